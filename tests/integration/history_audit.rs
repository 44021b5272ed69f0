//! `leakguard history` as an audit: every distinct secret that ever reached the repository is
//! reported once, at the commit that first introduced it, in the same order every run, and the
//! remediation file removes them all. Real repositories built with the git CLI; fake secrets
//! generated per test.

use crate::common::*;
use crate::history::Repo;
use serde_json::Value;
use std::collections::BTreeSet;

const CONFIG: &str = r#"
[[rules]]
id = "aws-access-key-id"
description = "AWS access key ID"
regex = '''\b((?:AKIA|ASIA)[A-Z2-7]{16})\b'''
keywords = ["akia", "asia"]

[[rules]]
id = "github-pat"
description = "GitHub personal access token"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ghp_"]
"#;

fn new_repo() -> Repo {
    Repo::with_config(CONFIG)
}

/// Scans with secrets shown; returns the report.
pub(crate) fn audit(repo: &Repo, extra: &[&str]) -> Value {
    let mut args = vec!["--show-secrets"];
    args.extend_from_slice(extra);
    let r = repo.scan(&args);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.all());
    r.json()
}

/// The (secret, commit) pairs of a report.
pub(crate) fn pairs(v: &Value) -> BTreeSet<(String, String)> {
    let fs = v["findings"].as_array().unwrap();
    let set: BTreeSet<(String, String)> = secret_commits(v).into_iter().collect();
    assert_eq!(
        set.len(),
        fs.len(),
        "a (secret, commit) pair twice: {fs:#?}"
    );
    set
}

fn want(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    pairs
        .iter()
        .map(|(s, c)| (s.to_string(), c.to_string()))
        .collect()
}

/// Runs with `--remediation` and returns the replacement lines, sorted.
pub(crate) fn remediation(repo: &Repo) -> Vec<String> {
    let out = repo.tmp().join("replacements.txt");
    let r = repo.scan(&["--remediation", out.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.all());
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

pub(crate) fn replacements(secrets: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = secrets
        .iter()
        .map(|s| format!("literal:{s}==>***REMOVED***"))
        .collect();
    v.sort();
    v
}

/// The report with the run-time-dependent field zeroed: what must be byte-identical between runs.
fn stable(stdout: &str) -> String {
    let mut v: Value = serde_json::from_str(stdout).unwrap();
    v["stats"]["duration_ms"] = Value::from(0);
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn a_key_rotated_in_place_reports_every_version() {
    let repo = new_repo();
    let mut fake = Fake::new(1101);
    let keys: Vec<String> = (0..3).map(|_| fake.aws_key_id()).collect();
    repo.write("README.md", "# app\n");
    repo.commit_all("initial");
    let mut commits = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        repo.write(
            "config.ini",
            format!("[default]\naws_access_key_id = {k}\nregion = eu-west-1\n"),
        );
        commits.push(repo.commit_all(&format!("key {i}")));
    }
    let v = audit(&repo, &[]);
    assert_eq!(
        pairs(&v),
        want(&[
            (&keys[0], &commits[0]),
            (&keys[1], &commits[1]),
            (&keys[2], &commits[2]),
        ])
    );
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(
            (f["path"].as_str(), f["line"].as_u64()),
            (Some("config.ini"), Some(2))
        );
        // Only the last key is still in the file.
        let at_head = f["secret"] == keys[2].as_str();
        assert_eq!(f["present_at_head"], at_head, "{f:#?}");
    }
    assert_eq!(
        remediation(&repo),
        replacements(&[&keys[0], &keys[1], &keys[2]])
    );
    // Two versions only: the key still at HEAD is reported too.
    let two = new_repo();
    two.write("config.ini", format!("aws_access_key_id = {}\n", keys[0]));
    let c1 = two.commit_all("one");
    two.write("config.ini", format!("aws_access_key_id = {}\n", keys[1]));
    let c2 = two.commit_all("two");
    assert_eq!(
        pairs(&audit(&two, &[])),
        want(&[(&keys[0], &c1), (&keys[1], &c2)])
    );
}

#[test]
fn two_branches_adding_different_tokens_at_the_same_place_are_both_reported() {
    let repo = new_repo();
    let mut fake = Fake::new(1102);
    let (a, b) = (fake.github_pat(), fake.github_pat());
    repo.write("app.cfg", "name = app\n");
    repo.commit_all("initial");
    repo.git(&["checkout", "-q", "-b", "feature-a"]);
    repo.write("app.cfg", format!("name = app\ntoken = {a}\n"));
    let ca = repo.commit_all("token a");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["checkout", "-q", "-b", "feature-b"]);
    repo.write("app.cfg", format!("name = app\ntoken = {b}\n"));
    let cb = repo.commit_all("token b");
    repo.git(&["checkout", "-q", "main"]);
    assert_eq!(pairs(&audit(&repo, &[])), want(&[(&a, &ca), (&b, &cb)]));
    assert_eq!(remediation(&repo), replacements(&[&a, &b]));
    // Each branch alone has its own.
    assert_eq!(
        pairs(&audit(&repo, &["--ref", "feature-b"])),
        want(&[(&b, &cb)])
    );
}

#[test]
fn every_stash_is_audited_older_ones_included() {
    let repo = new_repo();
    let mut fake = Fake::new(1103);
    let (a, b) = (fake.github_pat(), fake.github_pat());
    repo.write("app.cfg", "name = app\ntoken = none\n");
    repo.commit_all("initial");
    repo.write("app.cfg", format!("name = app\ntoken = {a}\n"));
    repo.git(&["stash", "-q"]);
    repo.write("app.cfg", format!("name = app\ntoken = {b}\n"));
    repo.git(&["stash", "-q"]);
    // The work-tree side of each stash (its commit) is what introduced the token.
    let older = repo.git(&["rev-parse", "stash@{1}"]);
    let newer = repo.git(&["rev-parse", "stash@{0}"]);
    assert_eq!(
        pairs(&audit(&repo, &[])),
        want(&[(&a, &older), (&b, &newer)])
    );
    assert_eq!(remediation(&repo), replacements(&[&a, &b]));
}

#[test]
fn a_secret_removed_and_added_again_is_one_finding_at_its_first_commit() {
    let repo = new_repo();
    let mut fake = Fake::new(1104);
    let pat = fake.github_pat();
    repo.write("app.cfg", format!("token = {pat}\n"));
    let first = repo.commit_all("add");
    repo.write("app.cfg", "token = none\n");
    repo.commit_all("remove");
    // The very same blob back (a revert)...
    repo.write("app.cfg", format!("token = {pat}\n"));
    repo.commit_all("revert");
    repo.write("app.cfg", "token = none\n");
    repo.commit_all("remove again");
    // ...and the same secret in other content, on another line.
    repo.write(
        "app.cfg",
        format!("# settings\nname = app\ntoken = {pat}\n"),
    );
    repo.commit_all("add again");
    let v = audit(&repo, &[]);
    assert_eq!(pairs(&v), want(&[(&pat, &first)]));
    assert_eq!(v["findings"][0]["line"], 1);
    assert_eq!(v["findings"][0]["present_at_head"], true);
    assert_eq!(remediation(&repo), replacements(&[&pat]));
}

#[test]
fn the_same_secret_on_two_lines_or_at_two_paths_is_two_findings() {
    let repo = new_repo();
    let mut fake = Fake::new(1105);
    let pat = fake.github_pat();
    repo.write("a.cfg", format!("token = {pat}\nbackup = {pat} {pat}\n"));
    let c1 = repo.commit_all("a");
    repo.write("b/c.cfg", format!("x = 1\ntoken = {pat}\n"));
    let c2 = repo.commit_all("b");
    let v = audit(&repo, &[]);
    let got: Vec<(String, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["commit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Two occurrences on one line are one finding (at the first).
    assert_eq!(
        got,
        vec![
            ("a.cfg".to_string(), 1, c1.clone()),
            ("a.cfg".to_string(), 2, c1.clone()),
            ("b/c.cfg".to_string(), 2, c2.clone()),
        ]
    );
    assert_eq!(v["findings"][1]["column"], 10);
    assert_eq!(remediation(&repo), replacements(&[&pat]));
}

#[test]
fn the_first_commit_is_the_earliest_committed_then_the_lowest_sha() {
    // Two branches add the same token to the same file in different content. The branch whose
    // commit is older by committer time wins, whichever branch a walk would meet first.
    let repo = new_repo();
    let pat = Fake::new(1106).github_pat();
    repo.write("README.md", "# app\n");
    repo.commit_all("initial");
    let base_clock = repo.clock.get();
    repo.git(&["checkout", "-q", "-b", "late"]);
    repo.clock.set(base_clock + 10 * 3600);
    repo.write("app.cfg", format!("late = 1\ntoken = {pat}\n"));
    repo.commit_all("late");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["checkout", "-q", "-b", "early"]);
    repo.clock.set(base_clock + 3600);
    repo.write("app.cfg", format!("early = 1\ntoken = {pat}\n"));
    let early = repo.commit_all("early");
    repo.git(&["checkout", "-q", "main"]);
    for _ in 0..3 {
        assert_eq!(pairs(&audit(&repo, &[])), want(&[(&pat, &early)]));
    }

    // Same committer time: the lower sha.
    let tie = new_repo();
    tie.write("README.md", "# app\n");
    tie.commit_all("initial");
    let at = tie.clock.get();
    let mut shas = Vec::new();
    for name in ["x", "y", "z"] {
        tie.git(&["checkout", "-q", "-b", name, "main"]);
        tie.clock.set(at);
        tie.write("app.cfg", format!("{name} = 1\ntoken = {pat}\n"));
        shas.push(tie.commit_all(name));
    }
    tie.git(&["checkout", "-q", "main"]);
    let lowest = shas.iter().min().unwrap().clone();
    assert_eq!(pairs(&audit(&tie, &[])), want(&[(&pat, &lowest)]));
}

#[test]
fn reports_are_identical_across_runs_and_thread_counts() {
    let repo = new_repo();
    let mut fake = Fake::new(1107);
    repo.write("README.md", "# app\n");
    repo.commit_all("initial");
    for branch in 0..4 {
        repo.git(&["checkout", "-q", "-b", &format!("b{branch}"), "main"]);
        for i in 0..5 {
            // Rotations in place and files at several paths, some sharing lines and columns.
            repo.write(
                &format!("svc{}/config.ini", i % 3),
                format!(
                    "aws_access_key_id = {}\ntoken = {}\n",
                    fake.aws_key_id(),
                    fake.github_pat()
                ),
            );
            repo.commit_all(&format!("b{branch} c{i}"));
        }
    }
    repo.git(&["checkout", "-q", "main"]);
    let mut json = BTreeSet::new();
    let mut sarif = BTreeSet::new();
    let mut text = BTreeSet::new();
    for j in ["1", "4", "1", "4"] {
        let r = repo.scan(&["-j", j, "--show-secrets"]);
        assert_eq!(r.code, 1, "{}", r.all());
        json.insert(stable(&r.stdout));
        let s = repo.scan(&["-j", j, "--format", "sarif"]);
        sarif.insert(s.stdout);
        let t = repo.scan(&["-j", j, "--format", "text"]);
        // All but the summary line, which says how long the scan took.
        text.insert(
            t.stdout
                .lines()
                .filter(|l| !l.contains(" s ·") && !l.ends_with(" s"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    assert_eq!(json.len(), 1, "JSON reports differ between runs");
    assert_eq!(sarif.len(), 1, "SARIF reports differ between runs");
    assert_eq!(text.len(), 1, "text reports differ between runs");
    let v: Value = serde_json::from_str(json.first().unwrap()).unwrap();
    let fs = v["findings"].as_array().unwrap();
    // 4 branches x 5 commits x 2 secrets, all distinct.
    assert_eq!(fs.len(), 40);
    let key = |f: &Value| {
        (
            f["path"].as_str().unwrap().to_string(),
            f["line"].as_u64().unwrap(),
            f["column"].as_u64().unwrap(),
            f["rule_id"].as_str().unwrap().to_string(),
            f["commit"].as_str().unwrap().to_string(),
        )
    };
    let keys: Vec<_> = fs.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "findings are sorted (path, line, column, rule, commit)"
    );
}
