//! `--format json`: one object, `{"version", "findings": [...], "stats": {...}}`. The structs below
//! are the schema: fields serialize in declaration order, so adding one is adding a line where it
//! should appear.

use super::{Report, TOOL_VERSION};
use crate::finding::Finding;
use crate::stats::Skipped;
use crate::suppress::Suppressed;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub version: &'a str,
    /// What was scanned (a remote URL without credentials, or a directory name), for merged reports.
    pub repository: Option<&'a str>,
    pub findings: Findings<'a>,
    pub stats: JsonStats<'a>,
}

/// The findings, each made a `JsonFinding` (its secret, context and fingerprint strings) only as
/// it is written and dropped after: the same array as a `Vec<JsonFinding>` serializes (serde's
/// `collect_seq`, the length known), without holding every finding's strings at once (59k findings,
/// a 59 MB report, on the benchmark's pathological row: docs/engine.md, "Stop 40").
pub struct Findings<'a>(&'a Report<'a>);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        s.collect_seq(r.findings.iter().map(|f| JsonFinding::new(r, f)))
    }
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub rule_id: &'a str,
    pub description: &'a str,
    pub path: &'a str,
    /// For a file inside an archive: the member (`path` is `archive!member`); null otherwise.
    pub archive_member: Option<&'a str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Redacted unless `--show-secrets`.
    pub secret: String,
    pub context: String,
    /// Rounded to two decimals.
    pub entropy: f32,
    pub fingerprint: String,
    pub tags: &'a [String],
    pub severity: &'static str,
    pub commit: Option<&'a str>,
    pub author: Option<&'a str>,
    pub email: Option<&'a str>,
    pub date: Option<&'a str>,
    pub commit_subject: Option<&'a str>,
    pub present_at_head: Option<bool>,
    /// History: the branch and tag tips that still hold the secret.
    pub present_at_refs: Option<&'a [String]>,
    /// `--verify`: "live", "revoked" or "unknown"; null when not checked.
    pub verification: Option<&'static str>,
    /// Found by decoding: the decodings, outermost first (absent for a secret seen as it is).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub decoded: &'a [&'static str],
}

#[derive(Serialize)]
pub struct JsonStats<'a> {
    pub scanned: u64,
    pub bytes: u64,
    pub findings: usize,
    pub skipped: usize,
    pub skipped_by_reason: BTreeMap<&'static str, usize>,
    pub skipped_items: &'a [Skipped],
    pub duration_ms: u64,
    pub notes: &'a [String],
    /// What allowlists, stopwords, inline markers, baselines and ignore files dropped.
    pub suppressed: &'a [Suppressed],
}

impl<'a> JsonFinding<'a> {
    pub fn new(r: &Report, f: &'a Finding) -> Self {
        let c = f.commit.as_ref();
        JsonFinding {
            rule_id: &f.rule_id,
            description: &f.description,
            path: &f.path,
            archive_member: f.archive_member.as_deref(),
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            secret: r.secret_of(f),
            context: r.context_of(f),
            entropy: (f.entropy * 100.0).round() / 100.0,
            fingerprint: f.fingerprint(),
            tags: &f.tags,
            severity: f.severity.as_str(),
            commit: c.map(|c| c.sha.as_str()),
            author: c.map(|c| c.author.as_str()),
            email: c.map(|c| c.email.as_str()),
            date: c.map(|c| c.date.as_str()),
            commit_subject: c.map(|c| c.subject.as_str()),
            present_at_head: f.present_at_head,
            present_at_refs: f.present_at_refs.as_deref(),
            verification: f.verification.map(|v| v.as_str()),
            decoded: &f.decoded,
        }
    }
}

impl<'a> JsonReport<'a> {
    pub fn new(r: &'a Report) -> Self {
        let s = r.stats;
        JsonReport {
            version: TOOL_VERSION,
            repository: r.repository.as_deref(),
            findings: Findings(r),
            stats: JsonStats {
                scanned: s.scanned,
                bytes: s.bytes,
                findings: r.findings.len(),
                skipped: s.skipped.len(),
                skipped_by_reason: s.skipped_by_reason(),
                skipped_items: &s.skipped,
                duration_ms: s.duration.as_millis() as u64,
                notes: &s.notes,
                suppressed: &s.suppressed,
            },
        }
    }
}

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes a pretty report a few bytes at a time (a key, a quote, an indent): through
    // `dyn Write` each was a call the compiler could not see into. A buffer of a known type takes
    // them inline and hands `out` 64 KiB at a time; the bytes are the same.
    let mut w = io::BufWriter::with_capacity(1 << 16, &mut *out);
    let report = JsonReport::new(r);
    // The report's frame and its findings are written here as `to_writer_pretty` lays them out
    // (two spaces an indent, `"key": value`, `[]` for an empty array); every value is still
    // serde_json's own (`value`), so escaping and number formats are its. Each finding's 22 keys
    // written through serde's pretty map cost ~300 instructions apiece, 8% of what the
    // pathological input's scan spent on its report (docs/engine.md, "Stop 46"). The test
    // `the_report_is_the_one_serde_json_writes_pretty` compares the bytes with serde_json's.
    w.write_all(b"{\n  \"version\": ")?;
    value(&mut w, &report.version)?;
    w.write_all(b",\n  \"repository\": ")?;
    value(&mut w, &report.repository)?;
    w.write_all(b",\n  \"findings\": ")?;
    findings(&mut w, r)?;
    w.write_all(b",\n  \"stats\": ")?;
    // The stats as serde_json writes them pretty, indented one level more: a line break never
    // stands inside a JSON string (it is written `\n`), so each one starts a line to indent.
    let stats = serde_json::to_vec_pretty(&report.stats)?;
    for (i, line) in stats.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            w.write_all(b"\n  ")?;
        }
        w.write_all(line)?;
    }
    w.write_all(b"\n}")?;
    writeln!(w)?;
    w.flush()
}

/// One value as serde_json writes it: a string, a number, a bool or null is written the same
/// compact and pretty.
fn value<W: Write, T: Serialize + ?Sized>(w: &mut W, v: &T) -> io::Result<()> {
    serde_json::to_writer(w, v).map_err(io::Error::from)
}

/// The findings array as `to_writer_pretty` writes `Findings` at the report's second level.
fn findings<W: Write>(w: &mut W, r: &Report) -> io::Result<()> {
    if r.findings.is_empty() {
        return w.write_all(b"[]");
    }
    for (i, f) in r.findings.iter().enumerate() {
        w.write_all(if i == 0 { b"[\n    {" } else { b",\n    {" })?;
        let f = JsonFinding::new(r, f);
        let key = |w: &mut W, k: &str| {
            w.write_all(b",\n      \"")?;
            w.write_all(k.as_bytes())?;
            w.write_all(b"\": ")
        };
        w.write_all(b"\n      \"rule_id\": ")?;
        value(w, f.rule_id)?;
        key(w, "description")?;
        value(w, f.description)?;
        key(w, "path")?;
        value(w, f.path)?;
        key(w, "archive_member")?;
        value(w, &f.archive_member)?;
        key(w, "line")?;
        value(w, &f.line)?;
        key(w, "column")?;
        value(w, &f.column)?;
        key(w, "end_line")?;
        value(w, &f.end_line)?;
        key(w, "end_column")?;
        value(w, &f.end_column)?;
        key(w, "secret")?;
        value(w, &f.secret)?;
        key(w, "context")?;
        value(w, &f.context)?;
        key(w, "entropy")?;
        value(w, &f.entropy)?;
        key(w, "fingerprint")?;
        value(w, &f.fingerprint)?;
        key(w, "tags")?;
        strings(w, f.tags.iter().map(String::as_str))?;
        key(w, "severity")?;
        value(w, f.severity)?;
        key(w, "commit")?;
        value(w, &f.commit)?;
        key(w, "author")?;
        value(w, &f.author)?;
        key(w, "email")?;
        value(w, &f.email)?;
        key(w, "date")?;
        value(w, &f.date)?;
        key(w, "commit_subject")?;
        value(w, &f.commit_subject)?;
        key(w, "present_at_head")?;
        value(w, &f.present_at_head)?;
        key(w, "present_at_refs")?;
        match f.present_at_refs {
            Some(refs) => strings(w, refs.iter().map(String::as_str))?,
            None => w.write_all(b"null")?,
        }
        key(w, "verification")?;
        value(w, &f.verification)?;
        if !f.decoded.is_empty() {
            key(w, "decoded")?;
            strings(w, f.decoded.iter().copied())?;
        }
        w.write_all(b"\n    }")?;
    }
    w.write_all(b"\n  ]")
}

/// An array of strings inside a finding (the report's fourth level), as `to_writer_pretty` writes it.
fn strings<'s, W: Write>(w: &mut W, items: impl Iterator<Item = &'s str>) -> io::Result<()> {
    let mut any = false;
    for (i, s) in items.enumerate() {
        w.write_all(if i == 0 {
            b"[\n        "
        } else {
            b",\n        "
        })?;
        value(w, s)?;
        any = true;
    }
    w.write_all(if any { b"\n      ]" } else { b"[]" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{CommitInfo, Context, Secret};
    use crate::rules::Severity;
    use crate::stats::Stats;
    use std::sync::Arc;

    fn finding(i: usize) -> Finding {
        // Values with what serde_json escapes (quotes, backslashes, control bytes), text beyond
        // ASCII, empty and full optional fields, and entropies of every shape.
        let odd = [
            "plain",
            "q\"uo\\te",
            "tab\tnl\nnul\u{0}\u{1f}\u{7f}",
            "ünï 密钥 😀",
            "",
        ];
        let text = |k: usize| format!("{}-{i}", odd[(i + k) % odd.len()]);
        Finding {
            rule_id: Arc::from(text(0).as_str()),
            description: Arc::from(text(1).as_str()),
            path: text(2),
            archive_member: i.is_multiple_of(3).then(|| text(3)),
            line: i * 7919,
            column: i,
            end_line: usize::MAX - i,
            end_column: i * 3,
            column_utf16: i,
            end_column_utf16: i,
            secret: Secret::new(text(4)),
            context: {
                let t = text(5);
                let first = t.chars().next().map_or(0, char::len_utf8);
                Context::new(t, 0, first)
            },
            entropy: [0.0, 4.17, f32::NAN, 1e-7, 123_456.79, -0.0, f32::INFINITY][i % 7],
            tags: (0..i % 3).map(&text).collect(),
            severity: [
                Severity::Info,
                Severity::Low,
                Severity::High,
                Severity::Critical,
            ][i % 4],
            commit: (i % 2 == 1).then(|| {
                Box::new(CommitInfo {
                    sha: text(6),
                    author: text(7),
                    email: text(8),
                    date: text(9),
                    subject: text(10),
                })
            }),
            present_at_head: [None, Some(true), Some(false)][i % 3],
            present_at_refs: [None, Some(vec![]), Some(vec![text(11), text(12)])][(i / 3) % 3]
                .clone(),
            verification: [None, Some(crate::verify::Verification::Live)][i % 2],
            decoded: [vec![], vec!["base64"], vec!["percent", "hex"]][(i / 2) % 3].clone(),
            encoded: None,
        }
    }

    /// The report written by hand is byte for byte the one serde_json's `to_writer_pretty` writes
    /// of `JsonReport` (and a line break): no findings, one, and many of every shape, shown or
    /// redacted, with and without a repository. Written otherwise (a space lost in an indent, a
    /// key out of order, `decoded` written when empty) it fails.
    #[test]
    fn the_report_is_the_one_serde_json_writes_pretty() {
        let stats = Stats {
            scanned: 3,
            notes: vec!["a \"note\"\n".into()],
            ..Stats::default()
        };
        for n in [0, 1, 2, 40] {
            let found: Vec<Finding> = (0..n).map(finding).collect();
            for (show_secrets, repository) in [(true, None), (false, Some("r\\\"po".to_string()))] {
                let r = Report {
                    findings: &found,
                    stats: &stats,
                    rules: &[],
                    kind: super::super::ScanKind::WorkingTree,
                    show_secrets,
                    verbose: false,
                    color: false,
                    remediation_hint: false,
                    remediation_file: None,
                    suppressed_findings: &[],
                    repository,
                };
                let mut ours = Vec::new();
                write(&r, &mut ours).unwrap();
                let mut theirs = serde_json::to_vec_pretty(&JsonReport::new(&r)).unwrap();
                theirs.push(b'\n');
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    String::from_utf8(theirs).unwrap(),
                    "{n} findings"
                );
            }
        }
    }
}
