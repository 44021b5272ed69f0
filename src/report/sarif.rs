//! SARIF 2.1.0, shaped for GitHub code scanning: rule metadata, locations, partialFingerprints.

use super::{Report, TOOL_NAME, TOOL_URI, TOOL_VERSION};
use crate::suppress::SuppressKind;
use serde_json::{json, Value};
use std::io::{self, Write};

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = r
        .rules
        .iter()
        .map(|rule| {
            json!({
                "id": &*rule.id,
                "name": pascal_case(&rule.id),
                "shortDescription": { "text": &*rule.description },
                "fullDescription": { "text": format!("{} (leakguard rule {})", rule.description, rule.id) },
                "help": {
                    "text": format!("{}. Revoke and rotate the credential, then remove it from the code and, if it was committed, from history.", rule.description),
                    "markdown": format!("**{}**\n\nRevoke and rotate the credential first, then remove it from the code. If it was committed, rewrite history (`git filter-repo --replace-text`) and force-push.", rule.description),
                },
                "defaultConfiguration": { "level": "error" },
                "properties": { "tags": std::iter::once("security".to_string()).chain(rule.tags.iter().cloned()).collect::<Vec<_>>(), "security-severity": "8.0", "aliases": rule.aliases },
            })
        })
        .collect();
    let suppressed = r.suppressed_findings.iter().map(|(k, f)| (f, Some(*k)));
    let results: Vec<Value> = r
        .findings
        .iter()
        .map(|f| (f, None))
        .chain(suppressed)
        .map(|(f, suppressed_by)| {
            let rule_index = r.rules.iter().position(|x| x.id == f.rule_id);
            let mut region = json!({
                "startLine": f.line.max(1),
                "startColumn": f.column.max(1),
                "endLine": f.end_line.max(f.line).max(1),
                "endColumn": f.end_column.max(1),
            });
            let snippet = r.context_of(f);
            if !snippet.is_empty() {
                region["snippet"] = json!({ "text": snippet });
            }
            let mut props = json!({});
            if let Some(c) = &f.commit {
                props = json!({ "commit": c.sha, "author": c.author, "email": c.email, "date": c.date, "commitSubject": c.subject });
            }
            let mut result = json!({
                "ruleId": &*f.rule_id,
                "level": "error",
                "message": { "text": format!("{} found: {}", f.description, r.secret_of(f)) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.path, "uriBaseId": "%SRCROOT%" },
                        "region": region,
                    }
                }],
                "partialFingerprints": { "leakguardFingerprint/v1": f.fingerprint() },
                "properties": props,
            });
            if let Some(i) = rule_index {
                result["ruleIndex"] = json!(i);
            }
            // Dropped findings stay visible as suppressed results: an inline marker is in the
            // source, a baseline outside it.
            match suppressed_by {
                Some(SuppressKind::Inline) => {
                    result["suppressions"] = json!([{ "kind": "inSource", "justification": "inline allow marker" }]);
                }
                Some(_) => {
                    result["suppressions"] = json!([{ "kind": "external", "justification": "accepted in the baseline" }]);
                }
                None => {}
            }
            result
        })
        .collect();
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": TOOL_NAME,
                "informationUri": TOOL_URI,
                "version": TOOL_VERSION,
                "semanticVersion": TOOL_VERSION,
                "rules": rules,
            }},
            "results": results,
            "columnKind": "utf16CodeUnits",
            "properties": {
                "notes": r.stats.notes,
                "suppressed": r.stats.suppressed,
            },
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
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
