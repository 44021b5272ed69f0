//! What the reports look like at their edges: where the summary goes, a closed pipe, number
//! formats, plurals, and where a history finding's secret still is.

use crate::common::{bin, run_in, write, Fake};
use crate::gitrepo::{fake_pat, Repo};
use std::process::{Command, Stdio};

fn one_secret_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        format!("TOKEN = '{}'\n", Fake::new(90).github_pat()),
    );
    dir
}

#[test]
fn every_machine_format_keeps_stdout_clean_and_puts_the_summary_on_stderr() {
    let dir = one_secret_dir();
    for format in ["json", "sarif", "junit", "github"] {
        let r = run_in(dir.path(), &["scan", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.all());
        assert!(
            r.stderr.contains("1 finding in 1 file"),
            "{format}: summary on stderr: {}",
            r.stderr
        );
        assert!(
            !r.stdout.contains("1 finding in 1 file"),
            "{format}: no summary on stdout: {}",
            r.stdout
        );
    }
    let r = run_in(dir.path(), &["scan", "--format", "github"]);
    assert!(
        r.stdout.lines().all(|l| l.starts_with("::error ")),
        "only workflow commands on stdout: {}",
        r.stdout
    );
}

/// The reader of stdout goes away before leakguard writes (`leakguard rules | head -1`): a quiet
/// exit 0, as ripgrep does, not an internal error.
#[test]
fn a_closed_pipe_ends_the_run_quietly_with_status_0() {
    let dir = one_secret_dir();
    for args in [
        &["rules"][..],
        &["rules", "--json"],
        &["scan", "--format", "json"],
        &["scan"],
    ] {
        let mut child = Command::new(bin())
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end at once: every write leakguard makes gets EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("internal error"), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
    // Through a real shell pipeline too.
    let out = Command::new("bash")
        .args([
            "-c",
            "set -o pipefail; \"$0\" rules | head -1 >/dev/null; echo \"status=${PIPESTATUS[0]}\"",
        ])
        .arg(bin())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("status=0"), "{said}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn entropy_has_two_decimals_in_json() {
    let dir = one_secret_dir();
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    let line = r
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("\"entropy\""))
        .expect("an entropy field");
    let number = line.split(':').nth(1).unwrap().trim().trim_end_matches(',');
    let decimals = number.split('.').nth(1).map_or(0, str::len);
    assert!(decimals <= 2, "{line}");
    assert!(number.parse::<f64>().unwrap() > 3.0, "{line}");
}

#[test]
fn counts_of_one_are_singular() {
    let dir = one_secret_dir();
    let r = run_in(dir.path(), &["scan"]);
    assert!(r.stdout.contains("scanned 1 file "), "{}", r.stdout);

    let repo = Repo::with_test_rules();
    repo.write("k.py", format!("K = '{}'\n", fake_pat(91)));
    repo.add(&["k.py"]);
    let r = repo.leakguard(&["staged", "--no-baseline"]);
    assert!(r.stdout.contains("scanned 1 staged file "), "{}", r.stdout);
    std::fs::remove_file(repo.root.join(".leakguard.toml")).unwrap();
    repo.commit_all("k");
    // One commit, one file (the config is gone): one blob.
    let r = repo.leakguard(&["history"]);
    assert!(r.stdout.contains("scanned 1 blob "), "{}", r.all());
}

/// A secret removed on main but still at another branch's tip and on a tag is not "history only".
#[test]
fn present_at_refs_names_the_branch_and_tag_tips_still_holding_the_secret() {
    let r = Repo::with_test_rules();
    let key = fake_pat(92);
    r.write("README", "hi\n");
    r.commit_all("init");
    r.write("conf.py", format!("K = '{key}'\n"));
    r.commit_all("add key");
    r.git(&["tag", "v1"]);
    r.git(&["branch", "feature"]);
    r.write("conf.py", "K = env('K')\n");
    r.commit_all("remove key");

    let run = r.leakguard(&["history", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let v = run.json();
    let f = &v["findings"][0];
    assert_eq!(f["present_at_head"], false);
    assert_eq!(f["present_at_refs"], serde_json::json!(["feature", "v1"]));
    let text = r.leakguard(&["history"]).stdout;
    assert!(text.contains("at the tip of HEAD: no"), "{text}");
    assert!(
        text.contains("at branch or tag tips: feature, v1"),
        "{text}"
    );

    // Gone from every tip: history only.
    r.git(&["branch", "-D", "feature"]);
    r.git(&["tag", "-d", "v1"]);
    let v = r.leakguard(&["history", "--format", "json"]).json();
    assert_eq!(v["findings"][0]["present_at_refs"], serde_json::json!([]));
    let text = r.leakguard(&["history"]).stdout;
    assert!(
        text.contains("at branch or tag tips: none (history only)"),
        "{text}"
    );

    // A working-tree finding has neither.
    let v = r
        .leakguard(&["scan", "--format", "json", "--no-baseline"])
        .json();
    assert!(v["findings"].as_array().unwrap().is_empty());
    std::fs::write(r.root.join("x.py"), format!("K = '{key}'\n")).unwrap();
    let v = r.leakguard(&["scan", "--format", "json"]).json();
    assert!(v["findings"][0]["present_at_refs"].is_null());
}

/// Two secrets on one line: the context of each finding showed the other in full. Redacted by
/// default in every format; `--show-secrets` shows both.
#[test]
fn a_context_line_redacts_the_other_secrets_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(93);
    let (pat, slack) = (fake.github_pat(), fake.slack_bot());
    write(
        dir.path(),
        "both.txt",
        format!("github = {pat} slack = {slack}\n"),
    );
    for format in ["text", "json", "sarif", "junit", "github"] {
        let r = run_in(dir.path(), &["scan", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.all());
        assert!(
            !r.all().contains(&pat) && !r.all().contains(&slack),
            "{format}: a secret in full:\n{}",
            r.stdout
        );
    }
    let v = run_in(dir.path(), &["scan", "--format", "json"]).json();
    let contexts: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["context"].as_str().unwrap())
        .collect();
    assert_eq!(contexts.len(), 2, "{v:#}");
    assert!(
        contexts
            .iter()
            .all(|c| *c == "github = ghp_… slack = xoxb…"),
        "{contexts:?}"
    );
    let shown = run_in(dir.path(), &["scan", "--format", "json", "--show-secrets"]);
    let line = format!("github = {pat} slack = {slack}");
    assert!(shown.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["context"] == line.as_str()));
}
