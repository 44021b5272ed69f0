//! Baselines: the findings a project has accepted (already rotated, or known test data), recorded by
//! fingerprint so that later scans report only new ones. A baseline holds no secret, not even a
//! redacted prefix: a fingerprint is the rule id, the path and a hash of the secret.

use crate::finding::Finding;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const FORMAT_VERSION: u32 = 1;
/// Where `leakguard baseline create` writes by default, in the scanned directory.
pub const DEFAULT_FILE: &str = ".leakguard-baseline.json";

/// `{"version":1,"created_by":"leakguard X","findings":[{"fingerprint","rule_id","path"}]}`: one entry per
/// fingerprint, sorted, so that the file diffs well when it is re-created.
pub fn to_json(findings: &[Finding]) -> Value {
    let mut by_fp: BTreeMap<String, &Finding> = BTreeMap::new();
    for f in findings {
        by_fp.entry(f.fingerprint()).or_insert(f);
    }
    let entries: Vec<Value> = by_fp
        .iter()
        .map(|(fp, f)| json!({ "fingerprint": fp, "rule_id": &*f.rule_id, "path": f.path }))
        .collect();
    json!({
        "version": FORMAT_VERSION,
        "created_by": format!("leakguard {}", env!("CARGO_PKG_VERSION")),
        "findings": entries,
    })
}
