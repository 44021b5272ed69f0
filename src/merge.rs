//! `leakguard report merge`: many JSON reports (one per repository, from an organisation-wide CI
//! matrix) into one, with duplicates dropped and counts per repository and per rule.

use anyhow::{bail, Context as _, Result};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The merged findings and their counts.
#[derive(Debug, Default)]
pub struct Merged {
    /// Each finding's JSON object with its `"repository"`, sorted by repository, path, line, rule.
    pub findings: Vec<Value>,
    /// Every repository read, sorted, even those with no finding.
    pub repositories: Vec<String>,
    pub reports: usize,
    /// Findings dropped because another report already had the same repository and fingerprint.
    pub duplicates: usize,
    /// Repositories whose report says it could not be made (`"error"`), with the reason.
    pub errors: Vec<(String, String)>,
}

/// Reads the reports in order. A report's repository is its top-level `"repository"`, else the
/// file's name without extension (reports written before that field existed).
pub fn merge(paths: &[impl AsRef<Path>]) -> Result<Merged> {
    let mut m = Merged::default();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut repos: std::collections::BTreeSet<String> = Default::default();
    for path in paths {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read report", path.display()))?;
        let v: Value = serde_json::from_str(&text).with_context(|| {
            format!(
                "{}: not a JSON report (write it with --format json)",
                path.display()
            )
        })?;
        let Some(findings) = v.get("findings").and_then(Value::as_array) else {
            bail!(
                "{}: not a leakguard JSON report (no \"findings\" array)",
                path.display()
            );
        };
        let repository = v
            .get("repository")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| {
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        repos.insert(repository.clone());
        m.reports += 1;
        if let Some(e) = v.get("error").and_then(Value::as_str) {
            m.errors.push((repository.clone(), e.to_string()));
        }
        for f in findings {
            let Some(obj) = f.as_object() else {
                bail!("{}: a finding is not an object", path.display());
            };
            let fingerprint = obj
                .get("fingerprint")
                .and_then(Value::as_str)
                .with_context(|| format!("{}: a finding has no fingerprint", path.display()))?;
            if !seen.insert((repository.clone(), fingerprint.to_string())) {
                m.duplicates += 1;
                continue;
            }
            let mut with_repo = Map::new();
            with_repo.insert("repository".into(), json!(repository));
            with_repo.extend(obj.clone());
            m.findings.push(Value::Object(with_repo));
        }
    }
    let key = |f: &Value| {
        (
            f["repository"].as_str().unwrap_or("").to_string(),
            f["path"].as_str().unwrap_or("").to_string(),
            f["line"].as_u64().unwrap_or(0),
            f["rule_id"].as_str().unwrap_or("").to_string(),
            f["fingerprint"].as_str().unwrap_or("").to_string(),
        )
    };
    m.findings.sort_by_key(key);
    m.repositories = repos.into_iter().collect();
    Ok(m)
}

impl Merged {
    /// `{"version", "repositories", "findings", "counts": {"by_repository", "by_rule",
    /// "by_repository_and_rule"}, "stats": {"reports", "findings", "duplicates"}}`.
    pub fn to_json(&self) -> Value {
        let mut by_repo: BTreeMap<&str, u64> =
            self.repositories.iter().map(|r| (r.as_str(), 0)).collect();
        let mut by_rule: BTreeMap<&str, u64> = BTreeMap::new();
        let mut by_both: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
        for f in &self.findings {
            let repo = f["repository"].as_str().unwrap_or("");
            let rule = f["rule_id"].as_str().unwrap_or("");
            *by_repo.entry(repo).or_default() += 1;
            *by_rule.entry(rule).or_default() += 1;
            *by_both.entry(repo).or_default().entry(rule).or_default() += 1;
        }
        json!({
            "version": crate::report::TOOL_VERSION,
            "repositories": self.repositories,
            "findings": self.findings,
            "counts": {
                "by_repository": by_repo,
                "by_rule": by_rule,
                "by_repository_and_rule": by_both,
            },
            "stats": {
                "reports": self.reports,
                "findings": self.findings.len(),
                "duplicates": self.duplicates,
                "errors": self.errors.iter().map(|(r, e)| json!({ "repository": r, "error": e })).collect::<Vec<_>>(),
            }
        })
    }

    /// SARIF 2.1.0 with one run per repository (its URL in `versionControlProvenance` when it is
    /// one), built from the findings' JSON fields; secrets stay as the reports had them.
    pub fn to_sarif(&self) -> Value {
        let runs: Vec<Value> = self
            .repositories
            .iter()
            .map(|repo| {
                let findings: Vec<&Value> = self
                    .findings
                    .iter()
                    .filter(|f| f["repository"].as_str() == Some(repo.as_str()))
                    .collect();
                let mut rules: BTreeMap<String, String> = BTreeMap::new();
                for f in &findings {
                    rules
                        .entry(f["rule_id"].as_str().unwrap_or("").to_string())
                        .or_insert_with(|| f["description"].as_str().unwrap_or("").to_string());
                }
                let index: BTreeMap<&str, usize> = rules
                    .keys()
                    .enumerate()
                    .map(|(i, k)| (k.as_str(), i))
                    .collect();
                let results: Vec<Value> = findings
                    .iter()
                    .map(|f| sarif_result(f, index[f["rule_id"].as_str().unwrap_or("")]))
                    .collect();
                let mut run = json!({
                    "tool": { "driver": {
                        "name": crate::report::TOOL_NAME,
                        "informationUri": crate::report::TOOL_URI,
                        "version": crate::report::TOOL_VERSION,
                        "rules": rules.iter().map(|(id, d)| json!({
                            "id": id,
                            "shortDescription": { "text": if d.is_empty() { id } else { d } },
                            "defaultConfiguration": { "level": "error" },
                        })).collect::<Vec<_>>(),
                    }},
                    "results": results,
                    "properties": { "repository": repo },
                });
                if repo.contains("://") {
                    run["versionControlProvenance"] = json!([{ "repositoryUri": repo }]);
                }
                run
            })
            .collect();
        json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": runs,
        })
    }
}

fn sarif_result(f: &Value, rule_index: usize) -> Value {
    let n = |k: &str| f[k].as_u64().unwrap_or(1).max(1);
    let mut props = Map::new();
    for (k, out) in [
        ("commit", "commit"),
        ("author", "author"),
        ("date", "date"),
        ("commit_subject", "commitSubject"),
        ("present_at_head", "presentAtHead"),
        ("present_at_refs", "presentAtRefs"),
    ] {
        if let Some(v) = f.get(k).filter(|v| !v.is_null()) {
            props.insert(out.into(), v.clone());
        }
    }
    json!({
        "ruleId": f["rule_id"],
        "ruleIndex": rule_index,
        "level": "error",
        "message": { "text": format!("{} found: {}",
            f["description"].as_str().unwrap_or(""), f["secret"].as_str().unwrap_or("")) },
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": f["path"] },
            "region": {
                "startLine": n("line"), "startColumn": n("column"),
                "endLine": n("end_line").max(n("line")), "endColumn": n("end_column"),
            },
        }}],
        "partialFingerprints": { "leakguardFingerprint/v1": f["fingerprint"] },
        "properties": props,
    })
}
