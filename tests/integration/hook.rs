//! `leakguard install-hook` / `uninstall-hook`: a real hook installed in real repositories, and real
//! `git commit`s blocked or let through.

use crate::gitrepo::{fake_pat, Repo};
use std::path::{Path, PathBuf};

fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Where git itself says hooks live, absolute.
fn git_hooks_dir(r: &Repo, dir: &Path) -> PathBuf {
    let out = r.git_at(dir, &["rev-parse", "--git-path", "hooks"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let p = PathBuf::from(out.stdout.trim());
    let p = if p.is_absolute() { p } else { dir.join(p) };
    std::fs::create_dir_all(&p).unwrap();
    p.canonicalize().unwrap()
}

fn installed(r: &Repo) -> (i32, String) {
    let run = r.leakguard(&["install-hook"]);
    (run.code, run.all())
}

fn committed(r: &Repo, args: &[&str]) -> (bool, String) {
    let mut a = vec!["commit"];
    a.extend_from_slice(args);
    let run = r.try_git(&a);
    (run.code == 0, run.all())
}

#[test]
fn a_real_commit_is_blocked_then_goes_through_once_the_key_is_removed_or_allowed() {
    let r = Repo::with_test_rules();
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    let (code, out) = installed(&r);
    assert_eq!(code, 0, "{out}");
    let hook = git_hooks_dir(&r, &r.root).join("pre-commit");
    assert!(hook.is_file(), "{out}");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(
        script.starts_with("#!/bin/sh\n") && script.contains(env!("CARGO_BIN_EXE_leakguard")),
        "{script}"
    );

    let before = r.head().unwrap();
    let key = fake_pat(100);
    r.write(
        "app/settings.py",
        format!("DEBUG = True\nGITHUB_TOKEN = \"{key}\"\n"),
    );
    r.add(&["app/settings.py"]);
    let (ok, said) = committed(&r, &["-m", "add settings"]);
    assert!(!ok, "the commit must be blocked:\n{said}");
    assert!(
        said.contains("app/settings.py:2:"),
        "names the file and line:\n{said}"
    );
    assert!(said.contains("github-pat"), "names the rule:\n{said}");
    assert!(said.contains("commit blocked"), "{said}");
    assert!(!said.contains(&key), "never prints the secret:\n{said}");
    assert_eq!(r.head().unwrap(), before, "no commit happened");

    // Removed: the commit goes through.
    r.write(
        "app/settings.py",
        "DEBUG = True\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n",
    );
    r.add(&["app/settings.py"]);
    let (ok, said) = committed(&r, &["-m", "settings from the environment"]);
    assert!(ok, "{said}");
    let second = r.head().unwrap();
    assert_ne!(second, before);

    // Allowed inline: goes through too.
    r.write(
        "tests/fixture.py",
        format!("TOKEN = \"{}\"  # leakguard:allow\n", fake_pat(101)),
    );
    r.add(&["tests/fixture.py"]);
    let (ok, said) = committed(&r, &["-m", "fixture"]);
    assert!(ok, "{said}");
    assert_ne!(r.head().unwrap(), second);
}

#[test]
fn commit_all_and_partial_commits_are_checked_through_their_temporary_index() {
    let r = Repo::with_test_rules();
    r.write("a.txt", "one\n");
    r.write("b.txt", "two\n");
    r.commit_all("initial");
    assert_eq!(installed(&r).0, 0);
    let before = r.head().unwrap();
    // Not staged: `git commit -a` stages it into a temporary index that the hook must read.
    r.write("a.txt", format!("one\n{}\n", fake_pat(102)));
    let (ok, said) = committed(&r, &["-a", "-m", "all"]);
    assert!(!ok && said.contains("a.txt:2:"), "{said}");
    assert_eq!(r.head().unwrap(), before);
    // `git commit b.txt` commits only b.txt (clean), even though a.txt is modified.
    r.write("b.txt", "two\nthree\n");
    let (ok, said) = committed(&r, &["-m", "only b", "b.txt"]);
    assert!(ok, "{said}");
    // And `git commit a.txt` with the secret is blocked although nothing is in .git/index.
    let after_b = r.head().unwrap();
    let (ok, said) = committed(&r, &["-m", "only a", "a.txt"]);
    assert!(!ok && said.contains("a.txt:2:"), "{said}");
    assert_eq!(r.head().unwrap(), after_b);
}

#[test]
fn reinstalling_is_idempotent_and_uninstall_removes_only_ours() {
    let r = Repo::with_test_rules();
    let (code, first) = installed(&r);
    assert_eq!(code, 0, "{first}");
    let hook = git_hooks_dir(&r, &r.root).join("pre-commit");
    let content = std::fs::read(&hook).unwrap();
    let (code, second) = installed(&r);
    assert_eq!(code, 0);
    assert!(second.contains("already installed"), "{second}");
    assert_eq!(std::fs::read(&hook).unwrap(), content);
    let run = r.leakguard(&["uninstall-hook"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(!hook.exists());
    let run = r.leakguard(&["uninstall-hook"]);
    assert_eq!(
        run.code,
        0,
        "nothing to remove is not an error: {}",
        run.all()
    );
    assert!(run.stdout.contains("no pre-commit hook"), "{}", run.stdout);
}

#[test]
fn a_foreign_hook_is_refused_unless_chained_or_forced() {
    let r = Repo::with_test_rules();
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    let hooks = git_hooks_dir(&r, &r.root);
    let hook = hooks.join("pre-commit");
    let foreign =
        "#!/bin/sh\necho foreign-check-ran\n[ ! -f \"$(git rev-parse --show-toplevel)/FAIL\" ]\n";
    std::fs::write(&hook, foreign).unwrap();
    make_executable(&hook);

    // Refused, untouched.
    let run = r.leakguard(&["install-hook"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("--chain") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), foreign);

    // Chained: the foreign hook runs first, and its failure blocks the commit.
    let run = r.leakguard(&["install-hook", "--chain"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.local")).unwrap(),
        foreign
    );
    r.write("FAIL", "x\n");
    r.write("ok.txt", "fine\n");
    r.add(&["ok.txt"]);
    let before = r.head().unwrap();
    let (ok, said) = committed(&r, &["-m", "blocked by the foreign hook"]);
    assert!(!ok && said.contains("foreign-check-ran"), "{said}");
    assert_eq!(r.head().unwrap(), before);
    std::fs::remove_file(r.root.join("FAIL")).unwrap();
    let (ok, said) = committed(&r, &["-m", "clean"]);
    assert!(ok && said.contains("foreign-check-ran"), "{said}");
    // Both run: leakguard still blocks a secret after the foreign hook passed.
    r.write("k.txt", format!("{}\n", fake_pat(103)));
    r.add(&["k.txt"]);
    let (ok, said) = committed(&r, &["-m", "secret"]);
    assert!(
        !ok && said.contains("foreign-check-ran") && said.contains("k.txt:1:"),
        "{said}"
    );
    r.git(&["rm", "-q", "--cached", "k.txt"]);
    // Re-installing keeps the chain.
    let (code, out) = installed(&r);
    assert_eq!(code, 0, "{out}");
    assert!(std::fs::read_to_string(&hook)
        .unwrap()
        .contains("pre-commit.local"));

    // Uninstalling puts the foreign hook back; uninstalling again refuses to touch it.
    let run = r.leakguard(&["uninstall-hook"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), foreign);
    assert!(!hooks.join("pre-commit.local").exists());
    let run = r.leakguard(&["uninstall-hook"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("not installed by leakguard"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), foreign);

    // Forced: replaced, with a backup that uninstall restores.
    let run = r.leakguard(&["install-hook", "--force"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.leakguard-backup")).unwrap(),
        foreign
    );
    assert!(!std::fs::read_to_string(&hook)
        .unwrap()
        .contains("pre-commit.local"));
    let run = r.leakguard(&["uninstall-hook"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), foreign);
    assert!(!hooks.join("pre-commit.leakguard-backup").exists());
    // --force and --chain together make no sense.
    assert_eq!(r.leakguard(&["install-hook", "--force", "--chain"]).code, 2);
}

#[test]
fn core_hooks_path_relative_and_absolute_is_respected() {
    let r = Repo::with_test_rules();
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    r.git(&["config", "core.hooksPath", ".githooks"]);
    assert_eq!(installed(&r).0, 0);
    let expected = git_hooks_dir(&r, &r.root);
    assert_eq!(expected, r.root.join(".githooks").canonicalize().unwrap());
    assert!(expected.join("pre-commit").is_file());
    assert!(!r.root.join(".git/hooks/pre-commit").exists());
    // From a subdirectory, the relative hooksPath is still relative to the work tree (where hooks run).
    std::fs::create_dir_all(r.root.join("sub")).unwrap();
    let run = r.leakguard_at(&r.root.join("sub"), &["install-hook"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("already installed"), "{}", run.stdout);
    assert!(!r.root.join("sub/.githooks").exists());
    r.write("s.txt", format!("{}\n", fake_pat(104)));
    r.add(&["s.txt"]);
    let (ok, said) = committed(&r, &["-m", "x"]);
    assert!(
        !ok && said.contains("s.txt:1:"),
        "blocked through core.hooksPath: {said}"
    );

    let shared = tempfile::tempdir().unwrap();
    let abs = shared.path().join("hooks");
    r.git(&["config", "core.hooksPath", abs.to_str().unwrap()]);
    assert_eq!(installed(&r).0, 0);
    assert!(abs.join("pre-commit").is_file());
    assert_eq!(git_hooks_dir(&r, &r.root), abs.canonicalize().unwrap());
}

#[test]
fn a_linked_worktree_uses_the_common_hooks_directory() {
    let r = Repo::with_test_rules();
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    let wt = r.root.parent().unwrap().join("linked");
    r.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "feature",
        wt.to_str().unwrap(),
    ]);
    let run = r.leakguard_at(&wt, &["install-hook"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let dir = git_hooks_dir(&r, &wt);
    assert_eq!(dir, r.root.join(".git/hooks").canonicalize().unwrap());
    assert!(dir.join("pre-commit").is_file());
    std::fs::write(wt.join("w.txt"), format!("{}\n", fake_pat(105))).unwrap();
    let add = r.git_at(&wt, &["add", "w.txt"]);
    assert_eq!(add.code, 0, "{}", add.all());
    let run = r.git_at(&wt, &["commit", "-m", "in the worktree"]);
    assert_ne!(run.code, 0, "blocked in the linked worktree: {}", run.all());
    assert!(run.all().contains("w.txt:1:"), "{}", run.all());
}

#[test]
fn the_hook_falls_back_to_leakguard_on_path_and_says_so_when_there_is_none() {
    let r = Repo::with_test_rules();
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    assert_eq!(installed(&r).0, 0);
    let hook = git_hooks_dir(&r, &r.root).join("pre-commit");
    let moved = std::fs::read_to_string(&hook)
        .unwrap()
        .replace(env!("CARGO_BIN_EXE_leakguard"), "/nonexistent/leakguard");
    std::fs::write(&hook, moved).unwrap();
    r.write("p.txt", format!("{}\n", fake_pat(106)));
    r.add(&["p.txt"]);

    // On PATH: found there, and it blocks.
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_leakguard"),
        bin.path().join("leakguard"),
    )
    .unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin.path().to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let run = r.git_env(&r.root, &["commit", "-m", "x"], &[("PATH", &path)]);
    assert_ne!(run.code, 0);
    assert!(run.all().contains("p.txt:1:"), "{}", run.all());

    // Nowhere: the commit is blocked with a message that says why.
    let git_dir = std::process::Command::new("sh")
        .args(["-c", "dirname \"$(command -v git)\""])
        .output()
        .unwrap();
    let only_git = String::from_utf8_lossy(&git_dir.stdout).trim().to_string();
    let empty = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(Path::new(&only_git).join("git"), empty.path().join("git")).unwrap();
    let path =
        std::env::join_paths([empty.path(), Path::new("/usr/bin"), Path::new("/bin")]).unwrap();
    let run = r.git_env(&r.root, &["commit", "-m", "x"], &[("PATH", &path)]);
    assert_ne!(run.code, 0, "{}", run.all());
    assert!(run.all().contains("cannot find leakguard"), "{}", run.all());
}

#[test]
fn in_a_sha256_repository_the_hook_and_staged_work() {
    let r = Repo::new();
    // Re-create as SHA-256 (Repo::new ran a plain `git init`).
    std::fs::remove_dir_all(r.root.join(".git")).unwrap();
    r.git(&["init", "-q", "--object-format=sha256"]);
    r.write(".leakguard.toml", crate::gitrepo::TEST_RULES);
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    let (code, out) = installed(&r);
    assert_eq!(code, 0, "{out}");
    let key = fake_pat(256);
    r.write("app.py", format!("x = 1\nTOKEN = \"{key}\"\n"));
    r.add(&["app.py"]);
    let direct = r.leakguard(&["staged", "--format", "json"]);
    assert_eq!(direct.code, 1, "{}", direct.all());
    assert_eq!(
        crate::gitrepo::findings(&direct.json()),
        vec![("github-pat".to_string(), "app.py".to_string(), 2)]
    );
    let (ok, said) = committed(&r, &["-m", "add"]);
    assert!(!ok, "the commit must be blocked:\n{said}");
    assert!(said.contains("app.py:2:"), "{said}");
    assert!(!said.contains(&key));
    // A modified file: only added lines count.
    r.write("app.py", "x = 1\n");
    r.add(&["app.py"]);
    let (ok, said) = committed(&r, &["-m", "clean"]);
    assert!(ok, "{said}");
    r.write("app.py", format!("x = 2\n# {key}\n"));
    r.write(".env", "A=1\n");
    r.add(&["app.py", ".env"]);
    let v = r.leakguard(&["staged", "--format", "json"]).json();
    assert_eq!(
        crate::gitrepo::findings(&v),
        vec![
            ("env-file".to_string(), ".env".to_string(), 1),
            ("github-pat".to_string(), "app.py".to_string(), 2)
        ]
    );
    let run = r.leakguard(&["uninstall-hook"]);
    assert_eq!(run.code, 0, "{}", run.all());
}
