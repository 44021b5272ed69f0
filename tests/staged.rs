//! `leakguard staged` and the pre-commit hook, on real repositories built with the git CLI, with a
//! real hook installed and a real `git commit` blocked.

mod common;
mod gitrepo;
use common::*;
use gitrepo::{fake_pat, findings, Repo};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git")
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git_ok(dir.path(), &["init", "-q"]);
    dir
}

fn head(dir: &Path) -> String {
    String::from_utf8_lossy(&git(dir, &["rev-parse", "HEAD"]).stdout)
        .trim()
        .to_string()
}

#[test]
fn new_files_are_scanned_whole_even_without_commits() {
    let dir = repo();
    write(
        dir.path(),
        "src/app.py",
        format!("import os\nTOKEN = '{}'\n", Fake::new(31).github_pat()),
    );
    git_ok(dir.path(), &["add", "."]);
    let r = run_in(dir.path(), &["staged", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["findings"][0]["path"], "src/app.py");
    assert_eq!(v["findings"][0]["line"], 2);
    assert!(v["findings"][0]["rule_id"]
        .as_str()
        .unwrap()
        .contains("github"));
}

#[test]
fn only_added_lines_of_a_modified_file_are_reported() {
    let dir = repo();
    let mut fake = Fake::new(32);
    let old = fake.github_pat();
    write(
        dir.path(),
        "app.py",
        format!("a = 1\nOLD = '{old}'  \nb = 2\n"),
    );
    git_ok(dir.path(), &["add", "."]);
    git_ok(dir.path(), &["commit", "-qm", "old", "--no-verify"]);
    // Unrelated edit: the old secret must not block it.
    write(
        dir.path(),
        "app.py",
        format!("a = 1\nOLD = '{old}'  \nb = 3\n"),
    );
    git_ok(dir.path(), &["add", "."]);
    let r = run_in(dir.path(), &["staged", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // A new secret on an added line is reported at its line in the staged file.
    write(
        dir.path(),
        "app.py",
        format!(
            "a = 1\nOLD = '{old}'  \nb = 3\nNEW = '{}'\n",
            fake.github_pat()
        ),
    );
    git_ok(dir.path(), &["add", "."]);
    let r = run_in(dir.path(), &["staged", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["line"], 4);
}

#[test]
fn unstaged_changes_are_not_scanned_and_deletions_are_fine() {
    let dir = repo();
    write(dir.path(), "keep.txt", "hello\n");
    write(
        dir.path(),
        "gone.txt",
        format!("t = '{}'\n", Fake::new(33).github_pat()),
    );
    git_ok(dir.path(), &["add", "."]);
    git_ok(dir.path(), &["commit", "-qm", "init", "--no-verify"]);
    git_ok(dir.path(), &["rm", "-q", "gone.txt"]);
    write(
        dir.path(),
        "keep.txt",
        format!("t = '{}'\n", Fake::new(34).github_pat()),
    ); // not staged
    let r = run_in(dir.path(), &["staged"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn a_staged_env_file_is_a_finding_by_its_path() {
    let dir = repo();
    write(dir.path(), ".env", "SESSION_SECRET=password123\n");
    write(dir.path(), ".env.example", "SESSION_SECRET=\n");
    git_ok(dir.path(), &["add", "."]);
    let r = run_in(dir.path(), &["staged", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = r.json();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["path"] == ".env"),
        "{}",
        r.stdout
    );
}

#[test]
fn staged_outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["staged"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a git repository"), "{}", r.stderr);
}

#[test]
fn the_installed_hook_blocks_a_real_commit_until_the_key_is_gone_or_allowed() {
    let dir = repo();
    write(dir.path(), "README.md", "# project\n");
    git_ok(dir.path(), &["add", "."]);
    git_ok(dir.path(), &["commit", "-qm", "init"]);
    let r = run_in(dir.path(), &["install-hook"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = head(dir.path());

    let key = Fake::new(35).github_pat();
    write(
        dir.path(),
        "deploy/config.py",
        format!("GITHUB_TOKEN = '{key}'\n"),
    );
    git_ok(dir.path(), &["add", "."]);
    let out = git(dir.path(), &["commit", "-m", "add config"]);
    assert!(!out.status.success(), "the commit must be blocked");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("deploy/config.py:1:") && said.contains("github"),
        "{said}"
    );
    assert!(said.contains("commit blocked"), "{said}");
    assert!(!said.contains(&key), "the hook must not print the secret");
    assert_eq!(head(dir.path()), before, "no commit happened");

    // Allowed inline: goes through.
    write(
        dir.path(),
        "deploy/config.py",
        format!("GITHUB_TOKEN = '{key}'  # leakguard:allow\n"),
    );
    git_ok(dir.path(), &["add", "."]);
    let out = git(dir.path(), &["commit", "-qm", "allowed"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(head(dir.path()), before);

    // Removed: goes through too.
    let second = head(dir.path());
    write(
        dir.path(),
        "deploy/config.py",
        "GITHUB_TOKEN = os.environ['GITHUB_TOKEN']\n",
    );
    git_ok(dir.path(), &["add", "."]);
    let out = git(dir.path(), &["commit", "-qm", "removed"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(head(dir.path()), second);
}

#[test]
fn a_foreign_hook_is_refused_chained_or_replaced() {
    let dir = repo();
    let hooks = dir.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let foreign = "#!/bin/sh\necho foreign-hook-ran\nexit 0\n";
    write(&hooks, "pre-commit", foreign);
    std::fs::set_permissions(
        hooks.join("pre-commit"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();

    let r = run_in(dir.path(), &["install-hook"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--chain") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        foreign,
        "untouched"
    );

    let r = run_in(dir.path(), &["install-hook", "--chain"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.local")).unwrap(),
        foreign
    );
    write(dir.path(), "a.txt", "fine\n");
    git_ok(dir.path(), &["add", "."]);
    let out = git(dir.path(), &["commit", "-m", "chained"]);
    assert!(out.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("foreign-hook-ran"),
        "the chained hook runs first: {said}"
    );

    // Re-installing is idempotent; uninstalling restores the foreign hook.
    assert_eq!(run_in(dir.path(), &["install-hook"]).code, 0);
    assert_eq!(run_in(dir.path(), &["uninstall-hook"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        foreign
    );
    let r = run_in(dir.path(), &["uninstall-hook"]);
    assert_eq!(r.code, 2, "a foreign hook is never removed");

    let r = run_in(dir.path(), &["install-hook", "--force"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.leakguard-backup")).unwrap(),
        foreign
    );
}

#[test]
fn core_hooks_path_is_respected() {
    let dir = repo();
    git_ok(dir.path(), &["config", "core.hooksPath", "tools/hooks"]);
    let r = run_in(dir.path(), &["install-hook"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("tools/hooks/pre-commit").is_file());
    assert!(!dir.path().join(".git/hooks/pre-commit").exists());
    write(
        dir.path(),
        "k.py",
        format!("k = '{}'\n", Fake::new(36).github_pat()),
    );
    git_ok(dir.path(), &["add", "."]);
    assert!(
        !git(dir.path(), &["commit", "-qm", "x"]).status.success(),
        "blocked through core.hooksPath"
    );
}

// Staged scans on repositories with the test rules (tests/gitrepo): exact findings and positions.

fn staged_json(r: &Repo) -> (i32, serde_json::Value) {
    let run = r.leakguard(&["staged", "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}:\n{}",
        run.code,
        run.all()
    );
    (run.code, run.json())
}

#[test]
fn repository_without_commits_scans_everything_staged() {
    let r = Repo::with_test_rules();
    r.write(
        "src/app.py",
        format!("import os\n\nTOKEN = \"{}\"\n", fake_pat(1)),
    );
    r.write("README.md", "hello\n");
    r.add(&["."]);
    assert!(r.head().is_none());
    let (code, v) = staged_json(&r);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        vec![("github-pat".into(), "src/app.py".into(), 3)]
    );
    assert_eq!(v["findings"][0]["column"], 10);
    // README.md, src/app.py and .leakguard.toml went through the engine.
    assert_eq!(v["stats"]["scanned"], 3);
}

#[test]
fn added_lines_are_found_at_their_line_in_the_staged_file() {
    let r = Repo::with_test_rules();
    let old = fake_pat(2);
    r.write("config.py", format!("a = 1\nOLD = \"{old}\"\nb = 2\n"));
    r.commit_all("initial");
    // Lines inserted above move the committed secret down; a new secret is added further on.
    let new = fake_pat(3);
    r.write(
        "config.py",
        format!("# header\n# more\na = 1\nOLD = \"{old}\"\nb = 2\nc = 3\nNEW = \"{new}\"\n"),
    );
    r.add(&["config.py"]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        vec![("github-pat".into(), "config.py".into(), 7)]
    );
    let text = r.leakguard(&["staged"]);
    assert!(
        !text.all().contains(&old) && !text.all().contains(&new),
        "secrets are redacted"
    );
}

#[test]
fn a_committed_secret_is_not_reported_again_when_its_file_changes_elsewhere() {
    let r = Repo::with_test_rules();
    r.write("settings.ini", format!("[auth]\ntoken = {}\n", fake_pat(4)));
    r.commit_all("initial");
    r.write(
        "settings.ini",
        format!("[auth]\ntoken = {}\n[other]\nx = 1\n", fake_pat(4)),
    );
    r.add(&["settings.ini"]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["stats"]["scanned"], 1);
}

#[test]
fn what_is_staged_counts_not_the_work_tree() {
    let r = Repo::with_test_rules();
    r.write("a.txt", "clean\n");
    r.commit_all("initial");
    // Staged secret, then removed from the work tree only: the commit would still record it.
    r.write("a.txt", format!("clean\nkey {}\n", fake_pat(5)));
    r.add(&["a.txt"]);
    r.write("a.txt", "clean\n");
    let (code, v) = staged_json(&r);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![("github-pat".into(), "a.txt".into(), 2)]);
    // A secret in the work tree that is not staged is not the commit's business.
    r.git(&["reset", "-q"]);
    r.write("b.txt", format!("{}\n", fake_pat(6)));
    let (code, v) = staged_json(&r);
    assert_eq!(code, 0, "{v}");
}

#[test]
fn a_new_env_file_is_reported_by_its_path_but_an_edit_of_a_committed_one_is_not() {
    let r = Repo::with_test_rules();
    r.write("app/.env", "DEBUG=1\n");
    r.write(".env.example", "DEBUG=\n");
    r.add(&["."]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        vec![("env-file".into(), "app/.env".into(), 1)]
    );
    r.commit_all("initial");
    r.write("app/.env", "DEBUG=0\nLEVEL=info\n");
    r.add(&["app/.env"]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 0, "{v}");
    // Renamed to a path the rule selects: new at that path.
    r.git(&["reset", "-q", "--hard"]);
    r.git(&["mv", ".env.example", ".env"]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec![("env-file".into(), ".env".into(), 1)]);
}

#[test]
fn deleted_renamed_and_binary_files() {
    let r = Repo::with_test_rules();
    let pat = fake_pat(7);
    r.write("old/name.py", format!("x = 1\nT = '{pat}'\ny = 2\nz = 3\n"));
    r.write("gone.txt", format!("{}\n", fake_pat(8)));
    r.commit_all("initial");
    // A rename carries the secret along: it was committed already, so it is not new.
    std::fs::create_dir_all(r.root.join("new")).unwrap();
    r.git(&["mv", "old/name.py", "new/name.py"]);
    r.git(&["rm", "-q", "gone.txt"]);
    let mut bin = vec![0u8, 1, 2, 3, 0, 0];
    bin.extend_from_slice(fake_pat(9).as_bytes());
    r.write("blob.bin", &bin);
    r.add(&["blob.bin"]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["stats"]["skipped"], 1);
    assert_eq!(v["stats"]["skipped_items"][0]["path"], "blob.bin");
    assert_eq!(v["stats"]["skipped_items"][0]["reason"], "binary");
}

#[test]
fn paths_are_relative_to_the_repository_root_from_a_subdirectory() {
    let r = Repo::with_test_rules();
    r.write("deep/er/x.js", format!("const t = '{}';\n", fake_pat(10)));
    r.add(&["."]);
    let run = r.leakguard_at(&r.root.join("deep/er"), &["staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "deep/er/x.js".into(), 1)]
    );
    // --repo names it explicitly.
    let elsewhere = tempfile::tempdir().unwrap();
    let root = r.root.to_str().unwrap();
    let run = r.leakguard_at(
        elsewhere.path(),
        &["staged", "--repo", root, "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.all());
}

#[test]
fn inline_allow_and_leakguardignore_are_honoured() {
    let r = Repo::with_test_rules();
    r.write(
        "a.py",
        format!("T = '{}'  # leakguard:allow\n", fake_pat(11)),
    );
    r.write("testdata/fixture.txt", format!("{}\n", fake_pat(12)));
    r.write(".leakguardignore", "testdata/\n");
    r.add(&["."]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 0, "{v}");
    let run = r.leakguard(&["staged", "--no-ignore", "--format", "json"]);
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "testdata/fixture.txt".into(), 1)]
    );
}

#[test]
fn default_rules_apply_without_a_config() {
    let r = Repo::new();
    r.write(
        "deploy.sh",
        format!("export GITHUB_TOKEN={}\n", fake_pat(13)),
    );
    r.add(&["deploy.sh"]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 1, "{v}");
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].0.contains("github"), "{f:?}");
    assert_eq!((f[0].1.as_str(), f[0].2), ("deploy.sh", 1));
}

#[test]
fn outside_a_repository_is_an_error() {
    let r = Repo::with_test_rules();
    let outside = tempfile::tempdir().unwrap();
    let run = r.leakguard_at(outside.path(), &["staged"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn text_report_names_file_line_and_rule_and_says_the_commit_is_blocked() {
    let r = Repo::with_test_rules();
    r.write("x.yml", format!("a: 1\ntoken: {}\n", fake_pat(14)));
    r.add(&["x.yml"]);
    let run = r.leakguard(&["staged"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("github-pat") && run.stdout.contains("x.yml:2:"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("commit blocked"), "{}", run.stderr);
    assert!(run.stdout.contains("staged files"), "{}", run.stdout);
}
