//! `leakguard staged` and the pre-commit hook, on real repositories built with the git CLI, with a
//! real hook installed and a real `git commit` blocked.

mod common;
use common::*;
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
