//! The labeled detection-quality suite (fixtures/quality): realistic files in many languages with
//! fake secrets of every family, beside decoys (placeholders, docs examples, hashes, checksums, SRI
//! strings, uuids, lockfiles, obvious test fakes). Recall and precision must stay at or above the
//! floors below; a miss or a false alarm is fixed in the rules, never by editing the suite to suit them.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The floors, stated in the README: at least this share of the labeled secrets found, and at least
/// this share of the findings being labeled secrets.
const RECALL_FLOOR: f64 = 0.97;
const PRECISION_FLOOR: f64 = 0.97;

fn labels() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/quality/labels.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A finding is a labeled secret's when it is in the same file and on the label's line, or when one
/// value holds the other (a multi-line key reported from another line, a URL's password).
fn is_of(finding: &Value, label: &Value) -> bool {
    if finding["path"] != label["path"] {
        return false;
    }
    if finding["line"] == label["line"] {
        return true;
    }
    let (f, l) = (
        finding["secret"].as_str().unwrap_or(""),
        label["secret"].as_str().unwrap(),
    );
    !f.is_empty() && !l.is_empty() && (f.contains(l) || l.contains(f))
}

#[test]
fn recall_and_precision_on_the_labeled_suite_stay_above_the_floors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/quality/files");
    let run = common::run_in(
        &root,
        &[
            "scan",
            ".",
            "--no-ignore",
            "--format",
            "json",
            "--show-secrets",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let findings = report["findings"].as_array().unwrap();
    let labels = labels();
    let secrets = labels["secrets"].as_array().unwrap();
    let decoys = labels["decoys"].as_array().unwrap();
    assert!(
        secrets.len() >= 50 && decoys.len() >= 50,
        "the suite is not a toy"
    );

    // Per family: (labeled, found).
    let mut families: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for label in secrets {
        let family = label["family"].as_str().unwrap();
        let found = findings.iter().any(|f| is_of(f, label));
        let entry = families.entry(family).or_default();
        entry.0 += 1;
        if found {
            entry.1 += 1;
        } else {
            missed.push(format!("{family} at {}:{}", label["path"], label["line"]));
        }
    }
    let false_alarms: Vec<String> = findings
        .iter()
        .filter(|f| !secrets.iter().any(|l| is_of(f, l)))
        .map(|f| {
            let on_decoy = decoys
                .iter()
                .find(|d| d["path"] == f["path"] && d["line"] == f["line"]);
            format!(
                "{} at {}:{} ({})",
                f["rule_id"],
                f["path"],
                f["line"],
                on_decoy.map_or("unlabeled line".to_string(), |d| format!(
                    "decoy: {}",
                    d["kind"]
                ))
            )
        })
        .collect();

    let found: usize = families.values().map(|v| v.1).sum();
    let recall = found as f64 / secrets.len() as f64;
    let precision = (findings.len() - false_alarms.len()) as f64 / findings.len() as f64;
    let table: String = families
        .iter()
        .map(|(family, (n, k))| format!("  {family:20} {k}/{n}\n"))
        .collect();
    let summary = format!(
        "recall {recall:.3} ({found}/{}), precision {precision:.3} ({} findings, {} false)\n{table}missed: {missed:#?}\nfalse alarms: {false_alarms:#?}",
        secrets.len(),
        findings.len(),
        false_alarms.len()
    );
    println!("{summary}");
    assert!(
        recall >= RECALL_FLOOR,
        "recall below {RECALL_FLOOR}: {summary}"
    );
    assert!(
        precision >= PRECISION_FLOOR,
        "precision below {PRECISION_FLOOR}: {summary}"
    );
    // No family may be missed outright, whatever the overall figures.
    assert!(
        families.values().all(|&(_, k)| k > 0),
        "a family is never found: {summary}"
    );
}

#[test]
fn no_decoy_is_reported() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/quality/files");
    let run = common::run_in(&root, &["scan", ".", "--no-ignore", "--format", "json"]);
    let report = run.json();
    let labels = labels();
    let hit: Vec<String> = labels["decoys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["path"] == d["path"] && f["line"] == d["line"])
        })
        .map(|d| format!("{} at {}:{}", d["kind"], d["path"], d["line"]))
        .collect();
    assert!(hit.is_empty(), "decoys reported: {hit:#?}");
}

#[test]
fn the_committed_suite_is_what_the_generator_makes() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/quality/generate.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg("--check")
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "fixtures/quality is stale: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
