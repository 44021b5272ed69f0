//! `leakguard baseline create` and `--baseline`: accepted findings stay quiet, new ones are reported.

use crate::gitrepo::{fake_pat, findings, Repo};

fn baseline_of(r: &Repo) -> serde_json::Value {
    let run = r.leakguard(&["baseline", "create"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let text = std::fs::read_to_string(r.root.join(".leakguard-baseline.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_baseline_records_fingerprints_rules_and_paths_and_no_secret() {
    let r = Repo::with_test_rules();
    let (a, b) = (fake_pat(200), fake_pat(201));
    r.write("one.py", format!("A = '{a}'\n"));
    r.write("sub/two.py", format!("x = 1\nB = '{b}'\nB2 = '{b}'\n"));
    r.write("conf/.env", "X=1\n");
    let v = baseline_of(&r);
    assert_eq!(v["version"], 1);
    assert_eq!(
        v["created_by"],
        format!("leakguard {}", env!("CARGO_PKG_VERSION"))
    );
    let entries = v["findings"].as_array().unwrap();
    // The same secret twice in one file is one fingerprint.
    assert_eq!(entries.len(), 3, "{v}");
    for e in entries {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["fingerprint", "rule_id", "path"]);
    }
    let paths: Vec<&str> = entries
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"one.py") && paths.contains(&"sub/two.py") && paths.contains(&"conf/.env"),
        "{paths:?}"
    );
    let text = std::fs::read_to_string(r.root.join(".leakguard-baseline.json")).unwrap();
    for secret in [&a, &b] {
        // Not the secret, nor any redacted prefix of it beyond the public `ghp_`.
        assert!(!text.contains(&secret[..8]), "{text}");
    }
    assert!(!text.contains('…'), "no redacted secret: {text}");
    // The baseline itself scans clean.
    let run = r.leakguard(&["scan", ".leakguard-baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.all());
}

#[test]
fn scan_with_the_baseline_reports_only_new_findings_even_after_lines_move() {
    let r = Repo::with_test_rules();
    let old = fake_pat(202);
    r.write("app.py", format!("OLD = '{old}'\n"));
    r.write("conf/.env", "X=1\n");
    baseline_of(&r);
    let run = r.leakguard(&["scan", "--baseline", ".leakguard-baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    // The accepted secret moves down its file; a new one arrives.
    let new = fake_pat(203);
    r.write(
        "app.py",
        format!("import os\n\n\nOLD = '{old}'\nNEW = '{new}'\n"),
    );
    let run = r.leakguard(&[
        "scan",
        "--baseline",
        ".leakguard-baseline.json",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "app.py".into(), 5)]
    );
    // Without the baseline, both.
    let run = r.leakguard(&["scan", "--format", "json"]);
    assert_eq!(findings(&run.json()).len(), 3, "{}", run.stdout);
    // The same secret in another file is another finding: fingerprints include the path.
    r.write("app.py", format!("OLD = '{old}'\n"));
    r.write("copy.py", format!("OLD = '{old}'\n"));
    let run = r.leakguard(&[
        "scan",
        "--baseline",
        ".leakguard-baseline.json",
        "--format",
        "json",
    ]);
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "copy.py".into(), 1)]
    );
}

#[test]
fn staged_with_the_baseline_reports_only_new_findings() {
    let r = Repo::with_test_rules();
    let old = fake_pat(204);
    r.write("app.py", format!("OLD = '{old}'\n"));
    r.commit_all("initial");
    let v = baseline_of(&r);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    // Re-indenting the accepted line makes it an added line, and the staged scan sees it again ...
    let new = fake_pat(205);
    r.write(
        "app.py",
        format!("if True:\n    OLD = '{old}'\nNEW = '{new}'\n"),
    );
    r.add(&["app.py"]);
    let run = r.leakguard(&["staged", "--format", "json"]);
    assert_eq!(findings(&run.json()).len(), 2, "{}", run.stdout);
    // ... but the baseline knows it.
    let run = r.leakguard(&[
        "staged",
        "--baseline",
        ".leakguard-baseline.json",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "app.py".into(), 3)]
    );
    // Only the accepted one: the commit may go.
    r.write("app.py", format!("if True:\n    OLD = '{old}'\n"));
    r.add(&["app.py"]);
    let run = r.leakguard(&["staged", "--baseline", ".leakguard-baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.all());
}

#[test]
fn output_and_path_options() {
    let r = Repo::with_test_rules();
    r.write("proj/k.txt", format!("{}\n", fake_pat(206)));
    let out = r.root.join("elsewhere.json");
    let run = r.leakguard(&[
        "baseline",
        "create",
        "proj",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // Paths are relative to the scanned directory, as a scan of that directory reports them.
    assert_eq!(v["findings"][0]["path"], "k.txt");
    let run = r.leakguard(&["baseline", "create", "proj"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(r.root.join("proj/.leakguard-baseline.json").is_file());
    let run = r.leakguard_at(
        &r.root.join("proj"),
        &["scan", "--baseline", ".leakguard-baseline.json"],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    let run = r.leakguard(&["scan", "--baseline", "missing.json"]);
    assert_eq!(run.code, 2, "{}", run.all());
}
