//! SARIF 2.1.0, shaped for GitHub code scanning: rule metadata, locations, partialFingerprints.

use super::{Report, TOOL_NAME, TOOL_URI, TOOL_VERSION};
use crate::finding::Finding;
use crate::rules::Rule;
use crate::suppress::{SuppressKind, Suppressed};
use crate::verify::Verification;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
pub struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRun<'a> {
    pub tool: Tool<'a>,
    pub results: Vec<SarifResult<'a>>,
    /// Columns count UTF-16 code units (GitHub's and editors' way); `Finding::column_utf16`.
    pub column_kind: &'static str,
    pub properties: RunProperties<'a>,
}

/// What the scan's config switched off or the scanned commits change in it (`stats.notes`), and what
/// its suppressions dropped (`stats.suppressed`).
#[derive(Serialize)]
pub struct RunProperties<'a> {
    pub notes: &'a [String],
    pub suppressed: &'a [Suppressed],
}

/// A finding that was dropped, kept visible as a suppressed result: an inline marker is in the
/// source, a baseline outside it.
#[derive(Serialize)]
pub struct Suppression {
    pub kind: &'static str,
    pub justification: &'static str,
}

#[derive(Serialize)]
pub struct Tool<'a> {
    pub driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver<'a> {
    pub name: &'static str,
    pub information_uri: &'static str,
    pub version: &'static str,
    pub semantic_version: &'static str,
    pub rules: Vec<SarifRule<'a>>,
}

#[derive(Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRule<'a> {
    pub id: &'a str,
    pub name: String,
    pub short_description: Text,
    pub full_description: Text,
    pub help: Help,
    pub default_configuration: Level,
    pub properties: RuleProperties<'a>,
}

#[derive(Serialize)]
pub struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Serialize)]
pub struct Level {
    pub level: &'static str,
}

#[derive(Serialize)]
pub struct RuleProperties<'a> {
    pub tags: Vec<String>,
    #[serde(rename = "security-severity")]
    pub security_severity: &'static str,
    /// gitleaks' ids for the same credential.
    pub aliases: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult<'a> {
    pub rule_id: &'a str,
    pub level: &'static str,
    pub message: Text,
    pub locations: [Location<'a>; 1],
    pub partial_fingerprints: Fingerprints,
    pub properties: ResultProperties<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    /// Only for findings an inline marker or a baseline dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressions: Option<[Suppression; 1]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location<'a> {
    pub physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation<'a> {
    pub artifact_location: ArtifactLocation<'a>,
    pub region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation<'a> {
    pub uri: &'a str,
    pub uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Text>,
}

#[derive(Serialize)]
pub struct Fingerprints {
    #[serde(rename = "leakguardFingerprint/v1")]
    pub v1: String,
}

/// History only: the commit that introduced the finding.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_subject: Option<&'a str>,
    /// `--verify`'s verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<&'static str>,
    /// Found by decoding: the decodings, outermost first.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub decoded: &'a [&'static str],
    /// In an archive (the location's file): the member, `config/app.env` or `inner.tar.gz!a.env`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_member: Option<&'a str>,
}

impl<'a> SarifRule<'a> {
    fn new(rule: &'a Rule) -> Self {
        let d = &rule.description;
        SarifRule {
            id: &rule.id,
            name: pascal_case(&rule.id),
            short_description: Text {
                text: d.to_string(),
            },
            full_description: Text {
                text: format!("{d} (leakguard rule {})", rule.id),
            },
            help: Help {
                text: format!("{d}. Revoke and rotate the credential, then remove it from the code and, if it was committed, from history."),
                markdown: format!("**{d}**\n\nRevoke and rotate the credential first, then remove it from the code. If it was committed, rewrite history (`git filter-repo --replace-text`) and force-push."),
            },
            default_configuration: Level {
                level: rule.severity.sarif_level(),
            },
            properties: RuleProperties {
                // SARIF's schema wants the tags unique: a rule's own `security` tag (or a tag
                // a config lists twice) is written once, in its first place.
                tags: {
                    let mut tags: Vec<String> = Vec::new();
                    for t in std::iter::once("security").chain(rule.tags.iter().map(String::as_str)) {
                        if !tags.iter().any(|seen| seen == t) {
                            tags.push(t.to_string());
                        }
                    }
                    tags
                },
                security_severity: rule.severity.security_score(),
                aliases: &rule.aliases,
            },
        }
    }
}

impl<'a> SarifResult<'a> {
    fn new(r: &Report, f: &'a Finding, suppressed_by: Option<SuppressKind>) -> Self {
        let snippet = r.context_of(f);
        let mut properties = match &f.commit {
            Some(c) => ResultProperties {
                commit: Some(&c.sha),
                author: Some(&c.author),
                email: Some(&c.email),
                date: Some(&c.date),
                commit_subject: Some(&c.subject),
                ..ResultProperties::default()
            },
            None => ResultProperties::default(),
        };
        properties.verification = f.verification.map(|v| v.as_str());
        properties.decoded = &f.decoded;
        properties.archive_member = f.archive_member.as_deref();
        // With --verify, a key the provider refused is a leak to clean up, not an open door: it
        // drops to a warning (or stays below, for a rule of low severity); live and unconfirmed
        // keep the rule's level.
        let level = match (f.verification, f.severity.sarif_level()) {
            (Some(Verification::Revoked), "error") => "warning",
            (_, level) => level,
        };
        SarifResult {
            rule_id: &f.rule_id,
            level,
            message: Text {
                text: match &f.archive_member {
                    // The location is the archive, the file code scanning can show; the lines
                    // are the member's.
                    Some(m) => format!(
                        "{} found: {} (in archive member {m})",
                        f.description,
                        r.secret_of(f)
                    ),
                    None => format!("{} found: {}", f.description, r.secret_of(f)),
                },
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: f.file_path(),
                        uri_base_id: "%SRCROOT%",
                    },
                    region: Region {
                        start_line: f.line.max(1),
                        start_column: f.column_utf16.max(1),
                        end_line: f.end_line.max(f.line).max(1),
                        end_column: f.end_column_utf16.max(1),
                        snippet: (!snippet.is_empty()).then_some(Text { text: snippet }),
                    },
                },
            }],
            partial_fingerprints: Fingerprints {
                v1: f.fingerprint(),
            },
            properties,
            rule_index: r.rules.iter().position(|x| x.id == f.rule_id),
            suppressions: suppressed_by.map(|k| {
                [match k {
                    SuppressKind::Inline => Suppression {
                        kind: "inSource",
                        justification: "inline allow marker",
                    },
                    _ => Suppression {
                        kind: "external",
                        justification: "accepted in the baseline",
                    },
                }]
            }),
        }
    }
}

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let log = SarifLog {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [SarifRun {
            tool: Tool {
                driver: Driver {
                    name: TOOL_NAME,
                    information_uri: TOOL_URI,
                    version: TOOL_VERSION,
                    semantic_version: TOOL_VERSION,
                    rules: r.rules.iter().map(SarifRule::new).collect(),
                },
            },
            results: r
                .findings
                .iter()
                .map(|f| SarifResult::new(r, f, None))
                .chain(
                    r.suppressed_findings
                        .iter()
                        .map(|(k, f)| SarifResult::new(r, f, Some(*k))),
                )
                .collect(),
            column_kind: "utf16CodeUnits",
            properties: RunProperties {
                notes: &r.stats.notes,
                suppressed: &r.stats.suppressed,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
