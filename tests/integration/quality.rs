//! Detection quality on the labeled suite in fixtures/quality/ (written by its generate.py): the
//! built binary scans fixtures/quality/files as a user would, and its findings are scored against
//! labels.json.
//!
//! * A label (a true secret) is found when a finding in its file starts on one of its lines AND
//!   reports a secret that overlaps the labeled value (another value on the same line does not
//!   count); a path rule's finding (the file itself is the secret, e.g. .aws/credentials) finds
//!   every label in its file.
//! * A finding is a true positive when it matches a label that way; every other finding (on a
//!   decoy or anywhere else) is a false positive.
//!
//! Floors: recall >= 0.97 and precision >= 0.97 overall, and recall >= 0.90 in every family with
//! at least 3 labels. The per-family table is printed (always with --nocapture, and on failure).

use crate::common::*;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const MIN_RECALL: f64 = 0.97;
const MIN_PRECISION: f64 = 0.97;
const MIN_FAMILY_RECALL: f64 = 0.90;

struct Label {
    file: String,
    line: u64,
    end_line: u64,
    family: String,
    secret: String,
}

fn overlaps(found: &str, label: &str) -> bool {
    // Multi-line values: compare without line breaks (literal or escaped) and indentation.
    let norm = |s: &str| -> String {
        s.replace("\\n", "")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let (f, l) = (norm(found), norm(label));
    f.len() >= 8 && (l.contains(&f) || f.contains(&l))
}

fn matches(finding: &Value, label: &Label) -> bool {
    if finding["path"].as_str() != Some(label.file.as_str()) {
        return false;
    }
    let line = finding["line"].as_u64().unwrap_or(0);
    let secret = finding["secret"].as_str().unwrap_or("");
    // A path rule (a committed .aws/credentials, id_ed25519, master.key...) reports the file itself,
    // with no secret: it finds every labeled secret in that file.
    secret.is_empty()
        || (overlaps(secret, &label.secret) && line >= label.line && line <= label.end_line)
}

#[test]
fn labeled_suite_meets_recall_and_precision_floors() {
    check_suite(
        "fixtures/quality",
        Floors {
            recall: MIN_RECALL,
            precision: MIN_PRECISION,
            family_recall: MIN_FAMILY_RECALL,
            max_false_alarms: None,
        },
    );
}

/// What a labeled suite must reach: overall recall and precision, and recall in every family with
/// at least 3 labels.
pub struct Floors {
    pub recall: f64,
    pub precision: f64,
    pub family_recall: f64,
    /// At most this many findings that match no label (a count, for suites held to "at most N").
    pub max_false_alarms: Option<usize>,
}

/// Scans `suite`/files with the built binary and scores its findings against `suite`/labels.json;
/// prints the per-family table and fails below `floors`.
pub fn check_suite(suite: &str, floors: Floors) {
    let (min_recall, min_precision, min_family_recall) =
        (floors.recall, floors.precision, floors.family_recall);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(suite);
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("labels.json")).unwrap()).unwrap();
    let secrets: Vec<Label> = labels["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let line = s["line"].as_u64().unwrap();
            Label {
                file: s["file"].as_str().unwrap().to_string(),
                line,
                end_line: s["end_line"].as_u64().unwrap_or(line),
                family: s["family"].as_str().unwrap().to_string(),
                secret: s["secret"].as_str().unwrap().to_string(),
            }
        })
        .collect();
    let mut family_of_rule: HashMap<String, String> = HashMap::new();
    for (family, rules) in labels["families"].as_object().unwrap() {
        for r in rules.as_array().unwrap() {
            family_of_rule.insert(r.as_str().unwrap().to_string(), family.clone());
        }
    }
    let decoys: Vec<(String, u64)> = labels["decoys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();

    let r = run_in(
        &root,
        &[
            "scan",
            "files",
            "--no-ignore",
            "--format",
            "json",
            "--show-secrets",
        ],
    );
    assert_eq!(r.code, 1, "expected findings (exit 1):\n{}", r.stderr);
    let report = r.json();
    let findings = report["findings"].as_array().unwrap();

    // family -> [labels, found, findings, true-positive findings]
    let mut table: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut missed = Vec::new();
    for l in &secrets {
        let row = table.entry(l.family.clone()).or_default();
        row[0] += 1;
        if findings.iter().any(|f| matches(f, l)) {
            row[1] += 1;
        } else {
            missed.push(format!(
                "  {}:{} [{}] {}",
                l.file,
                l.line,
                l.family,
                &l.secret[..l.secret.len().min(24)]
            ));
        }
    }
    let mut false_pos = Vec::new();
    for f in findings {
        let rule = f["rule_id"].as_str().unwrap_or("?");
        let family = family_of_rule
            .get(rule)
            .cloned()
            .unwrap_or_else(|| "other".into());
        let tp = secrets.iter().any(|l| matches(f, l));
        let row = table.entry(family).or_default();
        row[2] += 1;
        if tp {
            row[3] += 1;
        } else {
            let (path, line) = (f["path"].as_str().unwrap_or("?"), f["line"].as_u64());
            let on_decoy = decoys.iter().any(|(p, l)| p == path && Some(*l) == line);
            false_pos.push(format!(
                "  {}:{} {} {}{}",
                path,
                line.unwrap_or(0),
                rule,
                f["secret"]
                    .as_str()
                    .map(|s| &s[..s.len().min(24)])
                    .unwrap_or(""),
                if on_decoy { " (a labeled decoy)" } else { "" }
            ));
        }
    }

    let (n_labels, n_found): (usize, usize) = (
        table.values().map(|r| r[0]).sum(),
        table.values().map(|r| r[1]).sum(),
    );
    let (n_findings, n_tp): (usize, usize) = (
        table.values().map(|r| r[2]).sum(),
        table.values().map(|r| r[3]).sum(),
    );
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let recall = ratio(n_found, n_labels);
    let precision = ratio(n_tp, n_findings);

    let mut out = String::from(
        "| family | secrets | found | recall | findings | true | precision |\n|---|---|---|---|---|---|---|\n",
    );
    let mut weak_families = Vec::new();
    for (family, [l, fo, fi, tp]) in &table {
        out += &format!(
            "| {family} | {l} | {fo} | {:.3} | {fi} | {tp} | {:.3} |\n",
            ratio(*fo, *l),
            ratio(*tp, *fi)
        );
        if *l >= 3 && ratio(*fo, *l) < min_family_recall {
            weak_families.push(family.clone());
        }
    }
    out += &format!(
        "| **all** | {n_labels} | {n_found} | **{recall:.3}** | {n_findings} | {n_tp} | **{precision:.3}** |\n"
    );
    out += &format!(
        "decoys: {}; missed secrets: {}; false positives: {}\n",
        decoys.len(),
        missed.len(),
        false_pos.len()
    );
    if !missed.is_empty() {
        out += &format!("missed:\n{}\n", missed.join("\n"));
    }
    if !false_pos.is_empty() {
        out += &format!("false positives:\n{}\n", false_pos.join("\n"));
    }
    println!("{out}");

    let too_many_false = floors
        .max_false_alarms
        .is_some_and(|max| false_pos.len() > max);
    assert!(
        recall >= min_recall
            && precision >= min_precision
            && weak_families.is_empty()
            && !too_many_false,
        "{suite}: detection quality below the floors (recall >= {min_recall}, precision >= \
         {min_precision}, family recall >= {min_family_recall}, false alarms <= {:?}; weak families: \
         {weak_families:?}):\n{out}",
        floors.max_false_alarms
    );
}

/// The committed fixtures are what generate.py writes (when python3 is there to say so).
#[test]
fn fixtures_match_their_generator() {
    check_generator("fixtures/quality");
}

/// `suite`/generate.py --check passes: the committed files are what the seeded generator writes.
pub fn check_generator(suite: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(out) = std::process::Command::new("python3")
        .arg(root.join(suite).join("generate.py"))
        .arg("--check")
        .output()
    else {
        eprintln!("python3 not found: skipping the generator check");
        return;
    };
    assert!(
        out.status.success(),
        "{suite} differs from its generator:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
