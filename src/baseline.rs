//! Baselines: the findings a project has accepted (already rotated, or known test data), recorded by
//! fingerprint so that later scans report only new ones. A baseline holds no secret, not even a
//! redacted prefix: a fingerprint is the rule id, the path and a hash of the secret.
//!
//! Scans find the project's accepted findings by themselves, so that the advice a blocked commit
//! gives (`leakguard baseline create`) unblocks it: `.leakguard-baseline.json` at the repository
//! root (the scanned root outside a repository). gitleaks' `.gitleaksignore` is read there too
//! (src/gitleaksignore.rs matches its entries; the CLI's common module loads both).

use crate::finding::Finding;
use anyhow::{Context as _, Result};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

pub const FORMAT_VERSION: u32 = 1;
/// Where `leakguard baseline create` writes by default, and where scans look for a baseline: the
/// repository root.
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

/// Fingerprints recorded by `leakguard baseline create`.
pub fn load(path: &Path) -> Result<HashSet<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read baseline", path.display()))?;
    let value: Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: baseline is not valid JSON", path.display()))?;
    let entries = value
        .get("findings")
        .and_then(|f| f.as_array())
        .with_context(|| format!("{}: baseline has no \"findings\" array", path.display()))?;
    Ok(entries
        .iter()
        .filter_map(|e| e.get("fingerprint").and_then(|f| f.as_str()))
        .map(str::to_string)
        .collect())
}

/// The directory whose baseline a scan of `scanned` uses: the root of the git work tree holding it,
/// else the scanned directory itself (a file's directory).
pub fn root_for(scanned: &Path) -> PathBuf {
    let dir = if scanned.is_dir() {
        scanned.to_path_buf()
    } else {
        scanned
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    };
    match git2::Repository::discover(&dir) {
        Ok(r) => r.workdir().map(Path::to_path_buf).unwrap_or(dir),
        Err(_) => dir,
    }
}

/// How a scan chooses its accepted findings.
#[derive(Clone, Debug, Default)]
pub enum Choice {
    /// `.leakguard-baseline.json` at the root, if it exists.
    #[default]
    Discover,
    /// This baseline file (it must exist).
    File(PathBuf),
    /// None (`--no-baseline`).
    Nothing,
}

/// The fingerprints of the baseline `choice` names, for a scan whose baseline root is `root`
/// (empty for none). A discovered file that is absent is no error; a named one is.
pub fn load_choice(choice: &Choice, root: &Path) -> Result<HashSet<String>> {
    match choice {
        Choice::Nothing => Ok(HashSet::new()),
        Choice::File(p) => {
            if !p.exists() {
                anyhow::bail!("{}: baseline file not found", p.display());
            }
            load(p)
        }
        Choice::Discover => {
            let p = root.join(DEFAULT_FILE);
            if p.is_file() {
                load(&p)
            } else {
                Ok(HashSet::new())
            }
        }
    }
}
