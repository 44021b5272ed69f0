//! Baselines: the findings a project has accepted (already rotated, or known test data), recorded by
//! fingerprint so that later scans report only new ones. A baseline holds no secret, not even a
//! redacted prefix: a fingerprint is the rule id, the path and a hash of the secret.
//!
//! Scans find the project's accepted findings by themselves, so that the advice a blocked commit
//! gives (`leakguard baseline create`) unblocks it: `.leakguard-baseline.json` at the repository
//! root (the scanned root outside a repository). gitleaks' `.gitleaksignore` is read there too
//! (src/gitleaksignore.rs matches its entries; the CLI's common module loads both).

use crate::finding::Finding;
use anyhow::{bail, Context as _, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

pub const FORMAT_VERSION: u32 = 1;
/// Where `leakguard baseline create` writes by default, and where scans look for a baseline: the
/// repository root.
pub const DEFAULT_FILE: &str = ".leakguard-baseline.json";

/// `{"version":1,"created_by":"leakguard X","findings":[{"fingerprint","rule_id","path"}]}`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    /// Which leakguard wrote it; informative only.
    #[serde(default)]
    pub created_by: String,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    /// For the person reading the file; matching uses the fingerprint alone.
    #[serde(default)]
    pub rule_id: String,
    #[serde(default)]
    pub path: String,
}

impl Baseline {
    /// One entry per fingerprint, sorted, so that the file diffs well when it is re-created.
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut by_fp: BTreeMap<String, &Finding> = BTreeMap::new();
        for f in findings {
            by_fp.entry(f.fingerprint()).or_insert(f);
        }
        Baseline {
            version: FORMAT_VERSION,
            created_by: format!("leakguard {}", env!("CARGO_PKG_VERSION")),
            findings: by_fp
                .into_iter()
                .map(|(fingerprint, f)| Entry {
                    fingerprint,
                    rule_id: f.rule_id.to_string(),
                    path: f.path.clone(),
                })
                .collect(),
        }
    }

    /// The file's text: pretty JSON and a final newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serializes");
        text.push('\n');
        text
    }

    /// Parses a baseline; a version this leakguard does not know is an error, not an empty set.
    pub fn parse(text: &str) -> Result<Baseline> {
        // The version first, so that a future format fails on its version, not on its shape.
        #[derive(Deserialize)]
        struct Versioned {
            version: Option<serde_json::Value>,
        }
        let v: Versioned = serde_json::from_str(text).context("baseline is not valid JSON")?;
        match v.version {
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(FORMAT_VERSION as u64) => {}
            Some(other) => bail!(
                "baseline version {other} is not supported (this leakguard reads version {FORMAT_VERSION}; re-create it with `leakguard baseline create`)"
            ),
            None => bail!("baseline has no \"version\" (not a leakguard baseline?)"),
        }
        serde_json::from_str(text).context("baseline is not a leakguard baseline")
    }

    /// Reads the baseline at `path`: the fingerprints it accepts.
    pub fn read(path: &Path) -> Result<HashSet<String>> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read baseline", path.display()))?;
        let b = Baseline::parse(&text).with_context(|| path.display().to_string())?;
        Ok(b.findings.into_iter().map(|e| e.fingerprint).collect())
    }
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
            Baseline::read(p)
        }
        Choice::Discover => {
            let p = root.join(DEFAULT_FILE);
            if p.is_file() {
                Baseline::read(&p)
            } else {
                Ok(HashSet::new())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_checked() {
        let ok = r#"{"version":1,"created_by":"x","findings":[{"fingerprint":"a:b:c","rule_id":"a","path":"b"}]}"#;
        assert_eq!(
            Baseline::parse(ok).unwrap().findings[0].fingerprint,
            "a:b:c"
        );
        for bad in [
            r#"{"version":2,"findings":[]}"#,
            r#"{"version":"1","findings":[]}"#,
            r#"{"findings":[]}"#,
            r#"{"version":1}"#,
            "[1]",
            "not json",
        ] {
            let e = Baseline::parse(bad).unwrap_err();
            assert_eq!(format!("{e:#}").lines().count(), 1, "{bad}: {e:#}");
        }
    }
}
