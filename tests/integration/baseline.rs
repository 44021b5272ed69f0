//! `leakguard baseline create` and `--baseline`: accepted findings stay quiet, new ones are reported.

use crate::gitrepo::{fake_pat, findings, Repo};
use std::path::Path;

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
    let run = r.leakguard(&["scan", "--no-baseline", "--format", "json"]);
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
    let run = r.leakguard(&["staged", "--no-baseline", "--format", "json"]);
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

fn committed(r: &Repo, message: &str) -> (bool, String) {
    let run = r.try_git(&["commit", "-q", "-m", message]);
    (run.code == 0, run.all())
}

/// The advice a blocked commit gives works: `baseline create` at the root, then the same commit
/// passes through the installed hook with no option; a new secret is still blocked.
#[test]
fn a_blocked_commit_passes_after_baseline_create_and_a_new_secret_is_still_blocked() {
    let r = Repo::with_test_rules();
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    let run = r.leakguard(&["install-hook"]);
    assert_eq!(run.code, 0, "{}", run.all());

    let key = fake_pat(210);
    r.write("app/test_data.py", format!("TOKEN = \"{key}\"\n"));
    r.add(&["app/test_data.py"]);
    let (ok, said) = committed(&r, "test data");
    assert!(!ok, "blocked first:\n{said}");
    assert!(said.contains("leakguard baseline create"), "{said}");

    // From a subdirectory, as a user might: the baseline still lands at the repository root.
    let run = r.leakguard_at(&r.root.join("app"), &["baseline", "create"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        r.root.join(".leakguard-baseline.json").is_file(),
        "{}",
        run.all()
    );
    assert!(!r.root.join("app/.leakguard-baseline.json").exists());
    r.add(&[".leakguard-baseline.json"]);
    let (ok, said) = committed(&r, "test data");
    assert!(ok, "the same commit passes once baselined:\n{said}");

    // scan and history read it too, with no option; --no-baseline reports everything.
    assert_eq!(r.leakguard(&["scan"]).code, 0);
    assert_eq!(r.leakguard(&["history"]).code, 0);
    let run = r.leakguard(&["scan", "--no-baseline", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(findings(&run.json()).len(), 1);
    let run = r.leakguard(&["history", "--no-baseline"]);
    assert_eq!(run.code, 1, "{}", run.all());
    // --baseline FILE names another one instead (an empty one here): the key is reported.
    r.write("other.json", "{\"version\":1,\"findings\":[]}\n");
    assert_eq!(r.leakguard(&["scan", "--baseline", "other.json"]).code, 1);
    let run = r.leakguard(&["scan", "--baseline", "x.json", "--no-baseline"]);
    assert_eq!(run.code, 2, "they conflict: {}", run.all());

    // A new secret is still blocked, even in the same file.
    let new = fake_pat(211);
    r.write(
        "app/test_data.py",
        format!("TOKEN = \"{key}\"\nOTHER = \"{new}\"\n"),
    );
    r.add(&["app/test_data.py"]);
    let (ok, said) = committed(&r, "more");
    assert!(!ok, "a new secret is blocked:\n{said}");
    assert!(said.contains("app/test_data.py:2:"), "{said}");
    assert!(!said.contains(&new), "redacted: {said}");
}

/// A history audit of a repository with a secret rotated and removed long ago fails until
/// `baseline create --history` records it; a new secret in a later commit fails it again.
#[test]
fn a_history_baseline_accepts_rotated_and_removed_secrets_and_not_new_ones() {
    let r = Repo::with_test_rules();
    let old = fake_pat(212);
    r.write("deploy.sh", format!("export GH=\"{old}\"\n"));
    r.commit_all("deploy script");
    r.write("deploy.sh", "export GH=\"$GH_TOKEN\"\n");
    r.commit_all("rotate: read the token from the environment");
    assert_eq!(r.leakguard(&["scan"]).code, 0, "the tree is clean");
    assert_eq!(r.leakguard(&["history"]).code, 1, "history is not");

    // A tree-only baseline has nothing to record, so history still fails.
    let run = r.leakguard(&["baseline", "create"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(r.leakguard(&["history"]).code, 1);

    let run = r.leakguard(&["baseline", "create", "--history"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("1 in history"), "{}", run.stderr);
    let text = std::fs::read_to_string(r.root.join(".leakguard-baseline.json")).unwrap();
    assert!(
        !text.contains(&old[..8]),
        "no secret in the baseline: {text}"
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["findings"][0]["path"], "deploy.sh");
    let run = r.leakguard(&["history"]);
    assert_eq!(run.code, 0, "{}", run.all());
    r.commit_all("baseline");

    let new = fake_pat(213);
    r.write("ci.sh", format!("TOKEN={new}\n"));
    r.commit_all("oops");
    r.write("ci.sh", "TOKEN=$TOKEN\n");
    r.commit_all("fix");
    let run = r.leakguard(&["history", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "ci.sh".into(), 1)]
    );
}

/// gitleaks' .gitleaksignore at the root is read where the baseline is, by every scan.
#[test]
fn gitleaksignore_at_the_root_is_applied_and_no_baseline_ignores_it() {
    let r = Repo::with_test_rules();
    r.write("k.py", format!("K = \"{}\"\n", fake_pat(214)));
    assert_eq!(r.leakguard(&["scan"]).code, 1);
    r.write(".gitleaksignore", "# accepted\nk.py:github-pat:1\n");
    let run = r.leakguard(&["scan"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(r.leakguard(&["scan", "--no-baseline"]).code, 1);
    r.add(&["k.py"]);
    assert_eq!(r.leakguard(&["staged"]).code, 0);
    assert_eq!(r.leakguard(&["staged", "--no-baseline"]).code, 1);
    let head = r.commit_all("k");
    r.write(".gitleaksignore", format!("{head}:k.py:github-pat:1\n"));
    assert_eq!(r.leakguard(&["history"]).code, 0);
    assert_eq!(r.leakguard(&["history", "--no-baseline"]).code, 1);
}

/// Outside a repository, the scanned directory is the root; a missing optional baseline is fine.
#[test]
fn outside_a_repository_the_scanned_directory_holds_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    crate::common::write(root, "p/k.txt", format!("{}\n", fake_pat(215)));
    let scan = |args: &[&str]| crate::common::run_in(root, args);
    assert_eq!(scan(&["scan", "p"]).code, 1);
    let run = scan(&["baseline", "create", "p"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(Path::new(&root.join("p/.leakguard-baseline.json")).is_file());
    let run = scan(&["scan", "p"]);
    assert_eq!(run.code, 0, "{}", run.all());
}
