//! `leakguard staged` on real repositories built with the git CLI: exact findings and positions.
//! (The installed hook blocking a real `git commit` is tests/hook.rs.)

use crate::common;
use crate::gitrepo::{fake_pat, findings, Repo};

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
    let (code, v) = staged_json(&r);
    assert_eq!(code, 0, "{v}");
    // A binary file is read as its strings (src/source/strings.rs): a token in it blocks the commit.
    let mut bin = vec![0u8, 1, 2, 3, 0, 0];
    bin.extend_from_slice(fake_pat(9).as_bytes());
    r.write("blob.bin", &bin);
    r.add(&["blob.bin"]);
    let (code, v) = staged_json(&r);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["stats"]["skipped"], 0);
    assert_eq!(
        findings(&v),
        vec![("github-pat".into(), "blob.bin".into(), 1)]
    );
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
fn text_report_names_file_line_and_rule_and_only_the_hook_says_the_commit_is_blocked() {
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
    // Run by hand it is a scan, not a commit: only the hook (--hook) speaks of blocking.
    assert!(!run.all().contains("commit blocked"), "{}", run.all());
    assert!(run.stdout.contains("1 staged file "), "{}", run.stdout);
    let run = r.leakguard(&["staged", "--hook", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("commit blocked"), "{}", run.stderr);
    run.json();
}

#[test]
fn staged_sarif_validates_against_the_schema() {
    let r = Repo::with_test_rules();
    r.write("x.yml", format!("a: 1\ntoken: {}\n", fake_pat(15)));
    r.add(&["x.yml"]);
    let run = r.leakguard(&["staged", "--format", "sarif", "--output", "staged.sarif"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let sarif = r.root.join("staged.sarif");
    common::validate_sarif(&sarif);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let res = &v["runs"][0]["results"][0];
    assert_eq!(res["ruleId"], "github-pat");
    assert_eq!(
        res["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert!(res["partialFingerprints"]
        .as_object()
        .is_some_and(|o| !o.is_empty()));
}
