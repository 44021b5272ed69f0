//! The organisation-wide audit: JSON reports name their repository, `leakguard report merge` joins
//! them, and the matrix cell's script (scripts/org-audit-repo.sh) runs against real repositories.

use crate::common;
use crate::gitrepo::{fake_pat, Repo};
use std::path::{Path, PathBuf};
use std::process::Command;

fn json_of(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A repository with a key in history (removed since) and one at HEAD, under `origin` = `url`.
fn leaky_repo(seed: u64, url: Option<&str>) -> Repo {
    let r = Repo::with_test_rules();
    r.write("old.py", format!("K = '{}'\n", fake_pat(seed)));
    r.commit_all("old");
    r.write("old.py", "K = env('K')\n");
    r.write("now.py", format!("K = '{}'\n", fake_pat(seed + 1)));
    r.commit_all("now");
    if let Some(u) = url {
        r.git(&["remote", "add", "origin", u]);
    }
    r
}

fn merge(dir: &Path, args: &[&str]) -> common::Run {
    let mut a = vec!["report", "merge"];
    a.extend_from_slice(args);
    common::run_in(dir, &a)
}

#[test]
fn json_reports_name_their_repository_without_credentials() {
    let r = leaky_repo(
        300,
        Some("https://x-access-token:tok123@example.com/org/api.git"),
    );
    let v = r.leakguard(&["history", "--format", "json"]).json();
    assert_eq!(v["repository"], "https://example.com/org/api.git");
    let r = leaky_repo(302, None);
    let v = r.leakguard(&["scan", "--format", "json"]).json();
    assert_eq!(
        v["repository"], "repo",
        "the directory's name without a remote"
    );
}

#[test]
fn merge_dedups_by_repository_and_fingerprint_and_counts_per_repository_and_rule() {
    let out = tempfile::tempdir().unwrap();
    let a = leaky_repo(310, Some("https://example.com/org/a"));
    let b = leaky_repo(320, Some("https://example.com/org/b"));
    let clean = Repo::with_test_rules();
    clean.write("README", "hi\n");
    clean.commit_all("init");
    clean.git(&["remote", "add", "origin", "https://example.com/org/clean"]);
    let mut reports: Vec<PathBuf> = Vec::new();
    for (name, r) in [("a", &a), ("b", &b), ("clean", &clean)] {
        let p = out.path().join(format!("{name}.json"));
        let run = r.leakguard(&["history", "--format", "json", "-o", p.to_str().unwrap()]);
        assert!(run.code <= 1, "{}", run.all());
        reports.push(p);
    }
    // The same repository audited twice (a re-run cell): its findings count once.
    let again = out.path().join("a-again.json");
    std::fs::copy(&reports[0], &again).unwrap();
    reports.push(again);
    // The same secret in another repository is another finding.
    let mut args: Vec<&str> = reports.iter().map(|p| p.to_str().unwrap()).collect();
    let run = merge(out.path(), &args);
    assert_eq!(run.code, 1, "{}", run.all());
    let v = run.json();
    assert_eq!(
        v["repositories"],
        serde_json::json!([
            "https://example.com/org/a",
            "https://example.com/org/b",
            "https://example.com/org/clean"
        ])
    );
    assert_eq!(v["stats"]["reports"], 4);
    assert_eq!(v["stats"]["findings"], 4);
    assert_eq!(v["stats"]["duplicates"], 2);
    assert_eq!(
        v["counts"]["by_repository"],
        serde_json::json!({"https://example.com/org/a": 2, "https://example.com/org/b": 2, "https://example.com/org/clean": 0})
    );
    assert_eq!(v["counts"]["by_rule"], serde_json::json!({"github-pat": 4}));
    assert_eq!(
        v["counts"]["by_repository_and_rule"]["https://example.com/org/b"],
        serde_json::json!({"github-pat": 2})
    );
    let f = &v["findings"][0];
    assert_eq!(f["repository"], "https://example.com/org/a");
    assert!(
        f["commit"].is_string() && f["fingerprint"].is_string(),
        "{f}"
    );
    assert!(
        !run.stdout.contains(&fake_pat(310)),
        "secrets stay redacted"
    );
    assert!(
        run.stderr
            .contains("4 findings in 2 of 3 repositories (2 duplicates dropped)"),
        "{}",
        run.stderr
    );
    // Deterministic, whatever the order of the reports.
    args.reverse();
    let again = merge(out.path(), &args).json();
    assert_eq!(again["findings"], v["findings"]);

    // SARIF: one run per repository, valid against the schema.
    let sarif = out.path().join("org.sarif");
    args.extend(["--format", "sarif", "-o", sarif.to_str().unwrap()]);
    let run = merge(out.path(), &args);
    assert_eq!(run.code, 1, "{}", run.all());
    common::validate_sarif(&sarif);
    let s = json_of(&sarif);
    let runs = s["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(
        runs[0]["versionControlProvenance"][0]["repositoryUri"],
        "https://example.com/org/a"
    );
    assert_eq!(runs[0]["results"].as_array().unwrap().len(), 2);
    assert!(runs[2]["results"].as_array().unwrap().is_empty());

    // Only clean repositories: exit 0. Bad input: exit 2 with one line.
    let run = merge(out.path(), &[reports[2].to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    std::fs::write(out.path().join("text.json"), "not json").unwrap();
    let run = merge(out.path(), &["text.json"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("text.json"), "{}", run.stderr);
    assert_eq!(merge(out.path(), &["missing.json"]).code, 2);
    assert_eq!(merge(out.path(), &[]).code, 2);
}

fn audit(repository: &str, out: &Path) -> common::Run {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/org-audit-repo.sh");
    let home = tempfile::tempdir().unwrap();
    common::run_of(
        Command::new("bash")
            .arg(&script)
            .arg(repository)
            .arg(out)
            .env("LEAKGUARD", common::bin())
            .env("HOME", home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GITHUB_TOKEN")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .unwrap(),
    )
}

/// The matrix cell's script, as the workflow runs it, against three real repositories (one of them
/// with a secret only on a branch that is not checked out), then the merge job's command.
#[test]
fn the_matrix_script_audits_each_repository_and_the_reports_merge() {
    let out = tempfile::tempdir().unwrap();
    let reports = out.path().join("reports");
    let a = leaky_repo(330, None);
    let b = Repo::with_test_rules();
    b.write("README", "hi\n");
    b.commit_all("init");
    b.git(&["checkout", "-q", "-b", "feature"]);
    b.write("f.py", format!("K = '{}'\n", fake_pat(340)));
    b.commit_all("feature key");
    b.git(&["checkout", "-q", "main"]);
    let c = Repo::with_test_rules();
    c.write("README", "clean\n");
    c.commit_all("init");
    let mut urls = Vec::new();
    for (name, r) in [("a", &a), ("b", &b), ("c", &c)] {
        // Named like owner/name.git, as a hosted repository would be.
        let bare = out.path().join(format!("org/{name}.git"));
        r.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
        urls.push(format!("file://{}", bare.display()));
    }
    for url in &urls {
        let run = audit(url, &reports);
        assert_eq!(run.code, 0, "{}", run.all());
    }
    let mut names: Vec<String> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["org__a.json", "org__b.json", "org__c.json"]);
    let b_report = json_of(&reports.join("org__b.json"));
    assert_eq!(b_report["repository"], urls[1].as_str());
    assert_eq!(
        common::finding_paths(&b_report),
        ["f.py"],
        "every branch is audited"
    );

    let files: Vec<String> = names.iter().map(|n| format!("reports/{n}")).collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let run = merge(out.path(), &args);
    assert_eq!(run.code, 1, "{}", run.all());
    let v = run.json();
    assert_eq!(v["counts"]["by_repository"][&urls[0]], 2);
    assert_eq!(v["counts"]["by_repository"][&urls[1]], 1);
    assert_eq!(v["counts"]["by_repository"][&urls[2]], 0);

    // A repository that cannot be cloned: the cell fails, its report says why, the merge exits 2.
    let run = audit(
        &format!("file://{}/org/gone.git", out.path().display()),
        &reports,
    );
    assert_eq!(run.code, 2, "{}", run.all());
    let gone = json_of(&reports.join("org__gone.json"));
    assert_eq!(gone["error"], "cannot clone");
    let mut args = args.clone();
    args.push("reports/org__gone.json");
    let run = merge(out.path(), &args);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("gone.git: cannot clone: not audited"),
        "{}",
        run.stderr
    );
}

/// The reusable workflow is valid YAML, is callable, fans out over the given repositories, runs the
/// script tested above and merges with `report merge`.
#[test]
fn the_org_audit_workflow_is_a_reusable_matrix_over_the_script() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg("-c")
        .arg("import json, sys, yaml\nd = yaml.safe_load(open(sys.argv[1]))\nd['on'] = d.pop(True)\nprint(json.dumps(d))")
        .arg(root.join(".github/workflows/org-audit.yml"))
        .output()
        .expect("python3 with yaml");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let call = &w["on"]["workflow_call"];
    assert_eq!(call["inputs"]["repositories"]["required"], true);
    let scan = &w["jobs"]["scan"];
    assert_eq!(
        scan["strategy"]["matrix"]["repository"],
        "${{ fromJSON(inputs.repositories) }}"
    );
    assert_eq!(scan["strategy"]["fail-fast"], false);
    let steps = scan["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["run"]
        .as_str()
        .is_some_and(|r| r.contains("scripts/org-audit-repo.sh \"$REPOSITORY\""))));
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@v4"))
        })
        .expect("each report is uploaded");
    assert_eq!(upload["if"], "always()");
    let merge = &w["jobs"]["merge"];
    assert_eq!(merge["needs"], "scan");
    let msteps = merge["steps"].as_array().unwrap();
    assert!(msteps
        .iter()
        .any(|s| s["with"]["pattern"] == "leakguard-report-*"));
    assert!(msteps.iter().any(|s| s["run"]
        .as_str()
        .is_some_and(|r| r.contains("report merge reports/*.json"))));
}
