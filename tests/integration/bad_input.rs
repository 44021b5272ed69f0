//! Bad and extreme input for every command: each case is exit 2 with one readable line, or a clean
//! scan that counts what it skipped — never a panic, never silence. And no secret leaks through any
//! command, format, error or terminal output unless `--show-secrets` asks for it.

use crate::common;
use crate::common::Fake;
use crate::gitrepo::{fake_pat, findings, Repo, Run};
use std::path::Path;
use std::process::Command;

/// Exit 2, and the error is one line that says what went wrong.
fn assert_one_line_error(run: &Run, says: &str) {
    assert_eq!(run.code, 2, "{}", run.all());
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", run.stderr);
    assert!(lines[0].starts_with("leakguard: error: "), "{}", lines[0]);
    assert!(
        lines[0].contains(says),
        "{:?} should say {says:?}",
        lines[0]
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_file_or_a_missing_path_where_a_repository_is_expected() {
    let r = Repo::new();
    r.write("plain.txt", "x\n");
    assert_one_line_error(
        &r.leakguard(&["history", "plain.txt"]),
        "not a git repository",
    );
    assert_one_line_error(
        &r.leakguard(&["staged", "--repo", "plain.txt"]),
        "plain.txt",
    );
    assert_one_line_error(
        &r.leakguard(&["history", "no/such/dir"]),
        "no such file or directory",
    );
    assert_one_line_error(
        &r.leakguard(&["scan", "no/such/dir"]),
        "no such file or directory",
    );
    assert_one_line_error(
        &r.leakguard(&["baseline", "create", "no/such/dir"]),
        "no/such/dir",
    );

    // A directory outside any repository.
    let outside = tempfile::tempdir().unwrap();
    for args in [
        &["history"][..],
        &["staged"],
        &["install-hook"],
        &["uninstall-hook"],
    ] {
        let run = r.leakguard_at(outside.path(), args);
        assert_one_line_error(&run, "not a git repository");
    }
}

#[test]
fn config_errors_name_the_file_line_column_or_rule() {
    let r = Repo::new();
    r.write("ok.txt", "nothing\n");
    r.write(
        "bad.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"x\"\nregex = \"abc\n",
    );
    assert_one_line_error(
        &r.leakguard(&["scan", "--config", "bad.toml"]),
        "bad.toml:6: column 13",
    );
    r.write(
        "regex.toml",
        "[[rules]]\nid = \"broken-one\"\nregex = \"(abc\"\n",
    );
    for cmd in [&["scan"][..], &["history"], &["staged"]] {
        let mut args = cmd.to_vec();
        args.extend(["--config", "regex.toml"]);
        assert_one_line_error(&r.leakguard(&args), "regex.toml:3: rule 'broken-one'");
    }
    assert_one_line_error(
        &r.leakguard(&["scan", "--config", "none.toml"]),
        "none.toml",
    );
    // A directory given as the config.
    std::fs::create_dir_all(r.root.join("cfgdir")).unwrap();
    assert_one_line_error(&r.leakguard(&["scan", "--config", "cfgdir"]), "cfgdir");
}

/// `leakguard history` loads the rules on one thread while libgit2 chooses the commits on another:
/// when the config and the repository or the revisions are both bad, the error is still the one a
/// serial run gives (the repository's, then the config's, then the revisions'), at any `-j`, the
/// same line every run, even though the revision fails long before the config is read.
#[test]
fn a_bad_config_with_a_bad_repository_or_revision_gives_one_error_every_run() {
    let r = Repo::new();
    r.write("a.txt", "nothing\n");
    r.commit_all("one");
    r.write(
        "regex.toml",
        "[[rules]]\nid = \"broken-one\"\nregex = \"(abc\"\n",
    );
    let outside = tempfile::tempdir().unwrap();
    let not_a_repo = outside.path().to_str().unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["history", not_a_repo, "--config", "regex.toml"],
            "not a git repository",
        ),
        (
            &[
                "history",
                "--config",
                "regex.toml",
                "--ref",
                "no-such-branch",
            ],
            "regex.toml:3: rule 'broken-one'",
        ),
        // The config alone is fine: the revision's error, not a leftover of the other thread.
        (
            &["history", "--ref", "no-such-branch"],
            "no-such-branch: unknown revision",
        ),
    ];
    for (args, says) in cases {
        let mut seen = std::collections::BTreeSet::new();
        for j in ["1", "2", "4"] {
            for _ in 0..4 {
                let mut a = args.to_vec();
                a.extend(["-j", j]);
                let run = r.leakguard(&a);
                assert_one_line_error(&run, says);
                seen.insert(run.stderr);
            }
        }
        assert_eq!(seen.len(), 1, "{args:?}: {seen:?}");
    }
}

/// Runs leakguard as the unprivileged user `nobody` when the tests run as root (where permissions
/// do not stop reads); as the current user otherwise.
fn leakguard_unprivileged(dir: &Path, args: &[&str]) -> Run {
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut c = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_leakguard"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_leakguard"))
    };
    common::run_of(
        c.args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env_remove("LEAKGUARD_CONFIG")
            .output()
            .unwrap(),
    )
}

#[test]
fn unreadable_files_and_directories_are_skipped_counted_and_listed() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    common::write(dir, "locked.txt", format!("k = \"{}\"\n", fake_pat(40)));
    common::write(dir, "closed/inner.txt", "x\n");
    common::write(dir, "open.txt", format!("k = \"{}\"\n", fake_pat(41)));
    std::fs::set_permissions(
        dir.join("locked.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    std::fs::set_permissions(dir.join("closed"), std::fs::Permissions::from_mode(0o000)).unwrap();

    let run = leakguard_unprivileged(dir, &["scan", ".", "--format", "json", "--verbose"]);
    assert_eq!(
        run.code,
        1,
        "the readable key is still found: {}",
        run.all()
    );
    let v = run.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["stats"]["skipped_by_reason"]["unreadable"], 2,
        "{}",
        v["stats"]
    );
    let listed = v["stats"]["skipped_items"].to_string();
    assert!(
        listed.contains("locked.txt") && listed.contains("closed"),
        "{listed}"
    );
    let text = leakguard_unprivileged(dir, &["scan", ".", "--verbose"]);
    assert!(
        text.all().contains("skipped (unreadable): locked.txt"),
        "{}",
        text.all()
    );

    // An unreadable config is an error, not a silent fall-back to the defaults.
    common::write(dir, "cfg.toml", "[extend]\nuseDefault = true\n");
    std::fs::set_permissions(dir.join("cfg.toml"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = leakguard_unprivileged(dir, &["scan", "open.txt", "--config", "cfg.toml"]);
    assert_one_line_error(&run, "cfg.toml");

    for p in ["locked.txt", "closed", "cfg.toml"] {
        std::fs::set_permissions(dir.join(p), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Peak resident memory (MiB) of a leakguard run, from the kernel's rusage of a python parent.
fn peak_rss_mib(dir: &Path, args: &[&str]) -> (i32, u64) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import resource, subprocess, sys\n\
             r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n\
             print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)",
        )
        .arg(env!("CARGO_BIN_EXE_leakguard"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut it = said.split_whitespace().map(|x| x.parse::<i64>().unwrap());
    (it.next().unwrap() as i32, it.next().unwrap() as u64)
}

#[test]
fn a_200_mb_file_is_scanned_whole_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let line = "0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ token=value;\n";
    let mut body = line.repeat((200 << 20) / line.len());
    let key_line = body.len() / line.len() + 1;
    body.push_str(&format!("GITHUB_TOKEN={}\n", fake_pat(42)));
    common::write(tmp.path(), "huge.log", &body);
    drop(body);
    let out = tmp.path().join("out.json");
    let (code, mib) = peak_rss_mib(
        tmp.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        v["findings"][0]["line"], key_line as u64,
        "the key at the very end is found"
    );
    // Streamed in 16 MB windows: far below the file's size (the README states the figures). Measured
    // 68-71 MiB from run to run with two workers (each chunk, its overlap, its keyword hits and
    // windows, the rules' lazy-DFA caches); 99-101 MiB while a chunk's windows were listed three
    // times over (once opened, once sorted by rule, once merged). The bound is the file's size cut
    // by half.
    assert!(mib < 100, "peak RSS {mib} MiB for a 200 MB file");
}

/// A file under the streaming threshold is read whole: its windows (one per line for each of the
/// half dozen rules `token=` reaches) are held per rule, once. Listed, sorted and merged as three
/// lists they took a 63 MB file to 225 MiB; now about 167 MiB, of which the file itself is 60.
#[test]
fn a_keyword_dense_file_read_whole_holds_each_window_once() {
    let tmp = tempfile::tempdir().unwrap();
    let line = "0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ token=value;\n";
    let body = line.repeat((60 << 20) / line.len());
    common::write(tmp.path(), "dense.log", &body);
    drop(body);
    let (code, mib) = peak_rss_mib(tmp.path(), &["scan", ".", "-j", "1", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(mib < 200, "peak RSS {mib} MiB for a 63 MB file read whole");
}

/// One minified line of 20 MB whose text is keyword-dense (assignments, quotes, `token`, short
/// random runs): every hit on it shares the line's text. When each hit copied its line, memory grew
/// with hits times the line's length: 339 MB here (848 MB at 30 MB); now about 66 MB.
#[test]
fn one_long_keyword_dense_line_is_scanned_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 =:\"token,";
    let body = common::xorshift_text(alphabet, 20_000_000, &mut 0x10e6_11fe_u64);
    common::write(tmp.path(), "bundle.min.js", &body);
    drop(body);
    let (code, mib) = peak_rss_mib(tmp.path(), &["scan", ".", "-j", "1", "--format", "json"]);
    assert!(code == 0 || code == 1, "exit {code}");
    assert!(mib < 150, "peak RSS {mib} MiB for one 20 MB line");
}

#[test]
fn empty_repositories_and_repositories_without_commits() {
    let r = Repo::with_test_rules();
    for cmd in [&["history"][..], &["staged"], &["scan"]] {
        let run = r.leakguard(cmd);
        assert_eq!(run.code, 0, "{cmd:?}: {}", run.all());
    }
    // Something staged, nothing committed: staged sees it, history has nothing to scan.
    r.write("a.txt", format!("{}\n", fake_pat(43)));
    r.add(&["a.txt"]);
    assert_eq!(r.leakguard(&["staged"]).code, 1);
    let run = r.leakguard(&["history", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(run.json()["stats"]["scanned"], 0);
    // A bare repository with no commits.
    let bare = r.home.join("empty.git");
    r.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    assert_eq!(r.leakguard(&["history", bare.to_str().unwrap()]).code, 0);
}

#[test]
fn a_detached_head_is_scanned_by_history_and_staged() {
    let r = Repo::with_test_rules();
    r.write("a.txt", "x\n");
    r.commit_all("first");
    r.git(&["checkout", "-q", "--detach"]);
    r.write("b.txt", format!("{}\n", fake_pat(44)));
    let detached = r.commit_all("only on a detached HEAD");
    let run = r.leakguard(&["history", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(run.json()["findings"][0]["commit"], detached.as_str());
    r.write("c.txt", format!("{}\n", fake_pat(45)));
    r.add(&["c.txt"]);
    let run = r.leakguard(&["staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "c.txt".into(), 1)]
    );
}

#[test]
fn submodules_in_the_tree_in_the_index_and_in_history() {
    let r = Repo::with_test_rules();
    let sub = r.home.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    r.git_at(&sub, &["init", "-q"]);
    std::fs::write(sub.join("inner.txt"), format!("{}\n", fake_pat(46))).unwrap();
    assert_eq!(r.git_at(&sub, &["add", "-A"]).code, 0);
    assert_eq!(r.git_at(&sub, &["commit", "-qm", "sub"]).code, 0);
    r.write("top.txt", "x\n");
    r.commit_all("top");
    r.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        sub.to_str().unwrap(),
        "vendor/sub",
    ]);

    // Staged: the new gitlink and .gitmodules; the submodule's content is its own repository's business.
    let run = r.leakguard(&["staged", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    r.git(&["commit", "-qm", "add submodule", "--no-verify"]);
    // History: the gitlink is counted, not followed.
    let run = r.leakguard(&["history", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    // The working tree: the checked-out submodule's files are files like any other.
    let run = r.leakguard(&["scan", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "vendor/sub/inner.txt".into(), 1)]
    );
}

#[test]
fn linked_worktrees_are_repositories_for_history_and_staged() {
    let r = Repo::with_test_rules();
    r.write("a.txt", "x\n");
    r.commit_all("first");
    let wt = r.home.join("wt");
    r.git(&["worktree", "add", "-q", "-b", "side", wt.to_str().unwrap()]);
    std::fs::write(wt.join("side.txt"), format!("{}\n", fake_pat(47))).unwrap();
    assert_eq!(r.git_at(&wt, &["add", "side.txt"]).code, 0);
    let run = r.leakguard_at(&wt, &["staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        findings(&run.json()),
        vec![("github-pat".into(), "side.txt".into(), 1)]
    );
    assert_eq!(
        r.git_at(&wt, &["commit", "-qm", "side", "--no-verify"])
            .code,
        0
    );
    // The worktree's `.git` is a file naming the repository: given as the path, it opens it.
    let gitfile = r.leakguard(&[
        "history",
        wt.join(".git").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(gitfile.code, 1, "{}", gitfile.all());
    for dir in [&wt, &r.root] {
        let run = r.leakguard_at(dir, &["history", "--format", "json"]);
        assert_eq!(run.code, 1, "from {}: {}", dir.display(), run.all());
        assert_eq!(
            findings(&run.json()),
            vec![("github-pat".into(), "side.txt".into(), 1)]
        );
    }
}

/// Output as a terminal sees it (colours, progress): `script` runs the command on a pseudo-terminal.
fn on_a_terminal(r: &Repo, args: &[&str]) -> String {
    let mut cmd = String::from(env!("CARGO_BIN_EXE_leakguard"));
    for a in args {
        cmd.push_str(&format!(" '{a}'"));
    }
    let out = Command::new("script")
        .args(["-qefc", &cmd, "/dev/null"])
        .current_dir(&r.root)
        .env("HOME", &r.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("NO_COLOR")
        .env_remove("LEAKGUARD_CONFIG")
        .output()
        .expect("script (util-linux)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn secrets_never_leak_from_history_staged_or_baseline_in_any_format_or_on_a_terminal() {
    let r = Repo::new(); // the default rules
    let mut fake = Fake::new(77);
    let secrets = [
        fake.github_pat(),
        fake.aws_key_id(),
        fake.openai_project(),
        fake.slack_bot(),
    ];
    let body = format!(
        "GITHUB_TOKEN = \"{}\"\nAWS_ACCESS_KEY_ID = \"{}\"\nOPENAI_API_KEY = \"{}\"\nSLACK_BOT_TOKEN = \"{}\"\n",
        secrets[0], secrets[1], secrets[2], secrets[3]
    );
    r.write("app/settings.py", &body);
    r.commit_all("settings");
    r.write("app/more.py", &body);
    r.add(&["app/more.py"]);
    let check = |what: &str, text: &str| {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{what}: a secret leaked");
            assert!(!text.contains(&s[8..]), "{what}: a secret's tail leaked");
        }
    };
    for cmd in ["history", "staged", "scan"] {
        for format in ["text", "json", "sarif", "junit", "github"] {
            for verbose in [false, true] {
                let mut args = vec![cmd, "--format", format, "--color", "always"];
                if verbose {
                    args.push("--verbose");
                }
                let run = r.leakguard(&args);
                assert_eq!(run.code, 1, "{args:?}: {}", run.all());
                check(&format!("{args:?}"), &run.all());
            }
            let seen = on_a_terminal(&r, &[cmd, "--format", format]);
            assert!(
                seen.contains("github"),
                "{cmd} {format} on a terminal reports: {seen}"
            );
            check(&format!("{cmd} {format} on a terminal"), &seen);
        }
        let shown = r.leakguard(&[cmd, "--show-secrets"]);
        assert!(
            secrets.iter().all(|s| shown.stdout.contains(s.as_str())),
            "{cmd} --show-secrets shows them"
        );
    }
    // The remediation file holds the secrets by design; the report beside it does not.
    let run = r.leakguard(&["history", "--remediation", "../fix.txt"]);
    check("history --remediation", &run.all());
    // A baseline holds fingerprints only.
    let run = r.leakguard(&["baseline", "create", "--output", "../base.json"]);
    check("baseline create", &run.all());
    check(
        "the baseline file",
        &std::fs::read_to_string(r.home.parent().unwrap().join("base.json")).unwrap(),
    );
    // A config error on a line that holds a secret does not echo the line.
    r.write(
        "leaky.toml",
        format!("[[rules]]\nid = \"x\"\nregex = \"{}(\"\n", secrets[0]),
    );
    let run = r.leakguard(&["scan", "--config", "leaky.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("rule 'x'"), "{}", run.stderr);
}
