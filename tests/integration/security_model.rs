//! The trust boundary (README "Security model"): in a range scan the commits under review cannot
//! silence, redirect or exhaust their own scan; every suppression is counted; output cannot forge
//! CI workflow commands.

use crate::common::{bin, notes, rule_ids, run_of, Run};
use crate::gitrepo::{fake_pat, Repo, TEST_RULES};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A repository whose base commit has no config (the built-in rules), then one commit that adds a
/// GitHub token and `config_file` holding `config`. Returns (repo, base, tip).
fn range_with(config_file: &str, config: &str) -> (Repo, String, String) {
    let r = Repo::new();
    r.write("a.txt", "x = 1\n");
    let base = r.commit_all("base");
    r.write("a.txt", format!("x = 1\ntoken = \"{}\"\n", fake_pat(21)));
    r.write(config_file, config);
    let tip = r.commit_all("add a token and a config that silences it");
    (r, base, tip)
}

#[test]
fn a_range_cannot_silence_its_own_secret_with_a_config() {
    let variants: &[(&str, &str, &str)] = &[
        (
            ".leakguard.toml",
            "[[allowlists]]\npaths = ['''.*''']\n",
            "adds an allowlist for paths .*",
        ),
        (
            ".gitleaks.toml",
            "[allowlist]\nregexes = ['''ghp_''']\n",
            "adds an allowlist for regexes ghp_",
        ),
        (
            ".leakguard.toml",
            "[allowlist]\nstopwords = [\"ghp_\"]\n",
            "adds an allowlist for stopwords ghp_",
        ),
        (
            ".gitleaks.toml",
            "[extend]\nuseDefault = true\ndisabledRules = [\"github-pat\"]\n",
            "disables github-pat",
        ),
        (
            ".leakguard.toml",
            "[extend]\nuseDefault = false\n\n[[rules]]\nid = \"dummy\"\nregex = '''zq_dummy_[0-9]{30}'''\n",
            "turns off the",
        ),
        (
            ".gitleaks.toml",
            "[[rules]]\nid = \"dummy\"\nregex = '''zq_dummy_[0-9]{30}'''\n",
            "turns off the",
        ),
    ];
    for (file, config, says) in variants {
        let (r, base, tip) = range_with(file, config);
        // The config does silence the token where it is trusted: the working tree.
        let tree = r.leakguard(&["scan", ".", "--format", "json"]);
        assert_eq!(tree.code, 0, "{file}: {config}\n{}", tree.all());

        let range = format!("{base}..{tip}");
        let out = r.leakguard(&["history", &range, "--format", "json"]);
        assert_eq!(out.code, 1, "{file}: {config}\n{}", out.all());
        let v = out.json();
        assert_eq!(rule_ids(&v), ["github-pat"], "{file}: {config}");
        let n = notes(&v);
        let note = n
            .iter()
            .find(|n| n.contains(&format!("this change adds {file}")))
            .unwrap_or_else(|| panic!("{file}: {config}: no note in {n:?}"));
        assert!(note.contains(says), "{file}: {config}: {note}");

        // The same note in the text summary, and --fail-on-config-change fails on it alone.
        let text = r.leakguard(&["history", &range]);
        assert!(
            text.stdout
                .contains(&format!("note: this change adds {file}")),
            "{}",
            text.all()
        );
        // A merge-base range (A...B) reads the same base.
        let sym = r.leakguard(&["history", &format!("{base}...{tip}"), "--format", "json"]);
        assert_eq!(rule_ids(&sym.json()), ["github-pat"], "{}", sym.all());
    }
}

#[test]
fn config_change_alone_is_a_note_and_fails_only_when_asked() {
    let r = Repo::new();
    r.write("a.txt", "x = 1\n");
    let base = r.commit_all("base");
    r.write(".leakguard.toml", "[[allowlists]]\npaths = ['''.*''']\n");
    let tip = r.commit_all("config only");
    let range = format!("{base}..{tip}");
    let out = r.leakguard(&["history", &range, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out
        .notes()
        .iter()
        .any(|n| n.contains("adds .leakguard.toml")));
    let strict = r.leakguard(&["history", &range, "--fail-on-config-change"]);
    assert_eq!(strict.code, 1, "{}", strict.all());
    assert!(strict.stderr.contains("--fail-on-config-change"));

    // The note is a warning annotation in the GitHub format, and a SARIF run property.
    let gh = r.leakguard(&["history", &range, "--format", "github"]);
    assert!(
        gh.stdout
            .lines()
            .any(|l| l
                .starts_with("::warning title=leakguard note::this change adds .leakguard.toml")),
        "{}",
        gh.stdout
    );
    let sarif = r.leakguard(&["history", &range, "--format", "sarif"]);
    let v = sarif.json();
    let props = v["runs"][0]["properties"]["notes"].as_array().unwrap();
    assert!(props
        .iter()
        .any(|n| n.as_str().unwrap().contains("adds .leakguard.toml")));
}

#[test]
fn the_base_config_judges_the_range_and_a_merge_base_range_uses_the_fork_point() {
    let r = Repo::new();
    r.write(
        ".leakguard.toml",
        format!("{TEST_RULES}\n[[allowlists]]\npaths = ['''^fixtures/''']\n"),
    );
    r.write("a.txt", "x = 1\n");
    let base = r.commit_all("base with a trusted allowlist");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("fixtures/k.txt", format!("k = \"{}\"\n", fake_pat(31)));
    r.write("b.txt", format!("k = \"{}\"\n", fake_pat(32)));
    let tip = r.commit_all("feature");
    let out = r.leakguard(&["history", &format!("{base}..{tip}"), "--format", "json"]);
    let v = out.json();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["b.txt"],
        "the base allowlist applies: {}",
        out.all()
    );
    let sup = &v["stats"]["suppressed"];
    assert_eq!(sup[0]["kind"], "allowlist", "{sup}");
    let config = std::fs::read_to_string(r.root.join(".leakguard.toml")).unwrap();
    let line = config
        .lines()
        .position(|l| l.contains("^fixtures/"))
        .unwrap()
        + 1;
    assert_eq!(sup[0]["source"], format!(".leakguard.toml:{line}"), "{sup}");

    // The default branch later allows everything; A...B reads the fork point, not the branch tip.
    r.git(&["checkout", "-q", "-"]);
    r.write(
        ".leakguard.toml",
        format!("{TEST_RULES}\n[[allowlists]]\npaths = ['''.*''']\n"),
    );
    r.commit_all("main allows everything");
    let out = r.leakguard(&["history", "HEAD...feature", "--format", "json"]);
    assert_eq!(rule_ids(&out.json()), ["github-pat"], "{}", out.all());
}

#[test]
fn named_configs_inside_the_repository_and_their_extends_come_from_the_base() {
    let r = Repo::new();
    r.write("cfg/rules.toml", TEST_RULES);
    r.write("cfg/main.toml", "[extend]\npath = \"rules.toml\"\n");
    r.write("a.txt", "x = 1\n");
    let base = r.commit_all("base");
    r.write(
        "cfg/rules.toml",
        format!("{TEST_RULES}\n[[allowlists]]\nregexes = ['''.''']\n"),
    );
    r.write("a.txt", format!("t = \"{}\"\n", fake_pat(41)));
    let tip = r.commit_all("edit the extended file");
    let range = format!("{base}..{tip}");
    // By flag, relative to the current directory (a subdirectory here).
    let out = r.leakguard_at(
        &r.root.join("cfg"),
        &[
            "history",
            "..",
            &range,
            "--config",
            "main.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.notes()
            .iter()
            .any(|n| n.contains("edits cfg/rules.toml") && n.contains("regexes .")),
        "{}",
        out.stdout
    );
    // By environment variable.
    let out = r.leakguard_env(
        &r.root,
        &["history", &range, "--format", "json"],
        &[("LEAKGUARD_CONFIG", "cfg/main.toml".as_ref())],
    );
    assert_eq!(out.code, 1, "{}", out.all());

    // A config the range adds is not trusted, even when named: exit 2, one line.
    r.write("cfg/new.toml", "[[allowlists]]\npaths = ['''.*''']\n");
    let tip2 = r.commit_all("a new config");
    let out = r.leakguard(&[
        "history",
        &format!("{base}..{tip2}"),
        "--config",
        "cfg/new.toml",
    ]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains("not in the base tree"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);

    // A path outside the repository is the CI owner's: read from disk.
    let outside = r.home.join("ci.toml");
    std::fs::write(
        &outside,
        format!("{TEST_RULES}\n[[allowlists]]\nregexes = ['''.''']\n"),
    )
    .unwrap();
    let out = r.leakguard(&["history", &range, "--config", outside.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn baselines_inside_the_repository_come_from_the_base() {
    let r = Repo::with_test_rules();
    r.write("a.txt", format!("t = \"{}\"\n", fake_pat(51)));
    let made = r.leakguard(&["baseline", "create", "--output", "accepted.json"]);
    assert_eq!(made.code, 0, "{}", made.all());
    r.write("a.txt", "x = 1\n");
    let base = r.commit_all("base with a baseline");
    r.write("a.txt", format!("t = \"{}\"\n", fake_pat(51)));
    r.write("b.txt", format!("t = \"{}\"\n", fake_pat(52)));
    let tip = r.commit_all("the accepted key and a new one");
    let range = format!("{base}..{tip}");
    // The committed baseline accepts the old key; the working copy of it is not read.
    std::fs::write(r.root.join("accepted.json"), "not json").unwrap();
    let out = r.leakguard(&[
        "history",
        &range,
        "--baseline",
        "accepted.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    let v = out.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["path"], "b.txt");
    assert_eq!(v["stats"]["suppressed"][0]["kind"], "baseline");

    // A baseline the range edits to accept its own key is the base's, plus a note.
    r.git(&["checkout", "-q", "accepted.json"]);
    let edit = r.leakguard(&["baseline", "create", "--output", "accepted.json"]);
    assert_eq!(edit.code, 0, "{}", edit.all());
    let tip2 = r.commit_all("accept everything");
    let out = r.leakguard(&[
        "history",
        &format!("{base}..{tip2}"),
        "--baseline",
        "accepted.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.notes()
            .iter()
            .any(|n| n.contains("edits accepted.json") && n.contains("accepts 1 more finding")),
        "{}",
        out.stdout
    );
}

#[test]
fn inline_markers_added_in_a_range_are_honoured_and_listed() {
    let r = Repo::with_test_rules();
    r.write("a.txt", "x = 1\n");
    let base = r.commit_all("base");
    r.write(
        "a.txt",
        format!("x = 1\nt = \"{}\" # leakguard:allow\n", fake_pat(61)),
    );
    let tip = r.commit_all("allowed inline");
    let range = format!("{base}..{tip}");
    let out = r.leakguard(&["history", &range, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.notes()
            .iter()
            .any(|n| n.contains("inline allow markers") && n.contains("a.txt:2")),
        "{}",
        out.stdout
    );
    let strict = r.leakguard(&["history", &range, "--fail-on-config-change"]);
    assert_eq!(strict.code, 1, "{}", strict.all());
}

/// Runs leakguard under a 2 GB address-space limit, killing it after 20 s.
fn bounded(dir: &Path, args: &[&str]) -> (Run, Duration) {
    let script = format!("ulimit -v 2000000; exec \"{}\" \"$@\"", bin().display());
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg("leakguard")
        .args(args)
        .current_dir(dir)
        .env_remove("LEAKGUARD_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("leakguard {args:?} still running after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (run_of(child.wait_with_output().unwrap()), started.elapsed())
}

#[test]
fn hostile_config_files_are_one_line_errors_not_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "x = 1\n").unwrap();
    std::fs::write(d.join("zero.toml"), "[extend]\npath = \"/dev/zero\"\n").unwrap();
    std::fs::write(
        d.join("huge.toml"),
        format!("title = \"{}\"\n", "x".repeat(3 << 20)),
    )
    .unwrap();
    std::fs::write(
        d.join("extends-huge.toml"),
        "[extend]\npath = \"huge.toml\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("big-regex.toml"),
        "[[rules]]\nid = \"enormous\"\nregex = '''(?:[a-z]{1000}){1000}'''\n",
    )
    .unwrap();
    std::fs::write(d.join("loop.toml"), "[extend]\npath = \"loop.toml\"\n").unwrap();
    for (config, says) in [
        ("/dev/zero", "not a regular file"),
        // Refused before it is opened (no regular file at that path).
        ("zero.toml", "\"/dev/zero\""),
        ("huge.toml", "too large"),
        ("extends-huge.toml", "too large"),
        ("big-regex.toml", "rule 'enormous'"),
    ] {
        let (out, took) = bounded(d, &["scan", "a.txt", "--config", config]);
        assert_eq!(out.code, 2, "{config}: {}", out.all());
        assert!(out.stderr.contains(says), "{config}: {}", out.stderr);
        assert_eq!(
            out.stderr.trim().lines().count(),
            1,
            "{config}: {}",
            out.stderr
        );
        assert!(took < Duration::from_secs(20));
    }
    // A cycle ends where gitleaks stops following [extend] path, with a note, not a hang.
    let (out, _) = bounded(d, &["scan", "a.txt", "--config", "loop.toml"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("not followed"), "{}", out.stdout);
}

#[test]
fn hostile_files_in_the_base_tree_are_refused() {
    for (name, setup) in [
        ("absolute extend", 0),
        ("climbing extend", 1),
        ("symlinked config", 2),
        ("huge config", 3),
    ] {
        let r = Repo::new();
        match setup {
            0 => {
                r.write(".leakguard.toml", "[extend]\npath = \"/dev/zero\"\n");
            }
            1 => {
                r.write(
                    ".leakguard.toml",
                    "[extend]\npath = \"../../../../etc/hostname\"\n",
                );
            }
            2 => {
                std::os::unix::fs::symlink("/dev/zero", r.root.join(".leakguard.toml")).unwrap();
            }
            _ => {
                r.write(
                    ".leakguard.toml",
                    format!("title = \"{}\"\n", "x".repeat(2 << 20)),
                );
            }
        }
        let base = r.commit_all("base");
        r.write("a.txt", "x = 1\n");
        let tip = r.commit_all("tip");
        let (out, _) = bounded(&r.root, &["history", &format!("{base}..{tip}")]);
        assert_eq!(out.code, 2, "{name}: {}", out.all());
        assert_eq!(
            out.stderr.trim().lines().count(),
            1,
            "{name}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("base"), "{name}: {}", out.stderr);
    }
}

const FORGED: &str = "a\n::error file=x::pwned.py";

#[test]
fn a_file_name_cannot_forge_workflow_commands_in_any_format() {
    let r = Repo::with_test_rules();
    r.write(FORGED, format!("t = \"{}\"\n", fake_pat(71)));
    r.write("b.txt", "x = 1\n");
    r.commit_all("subject with \u{1b}[31mcolour\u{1b}[0m");
    for format in ["text", "json", "sarif", "junit", "github"] {
        for cmd in [&["scan", "."][..], &["history", "."][..]] {
            let mut args = cmd.to_vec();
            args.extend(["--format", format, "--show-secrets"]);
            let out = r.leakguard(&args);
            assert_eq!(out.code, 1, "{format} {cmd:?}: {}", out.all());
            for line in out.stdout.lines().chain(out.stderr.lines()) {
                assert!(
                    !line.trim_start().starts_with("::error file=x"),
                    "{format} {cmd:?}: forged command line: {line:?}\n{}",
                    out.stdout
                );
                assert!(
                    !line.contains('\u{1b}'),
                    "{format} {cmd:?}: raw ESC in {line:?}"
                );
            }
        }
    }
    let text = r.leakguard(&["history", "."]);
    assert!(
        text.stdout.contains("a\\n::error file=x::pwned.py"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("subject with \\x1b[31mcolour"),
        "{}",
        text.stdout
    );
    let gh = r.leakguard(&["scan", ".", "--format", "github"]);
    assert!(
        gh.stdout
            .contains("::error file=a\\n%3A%3Aerror file=x%3A%3Apwned.py,line=1"),
        "{}",
        gh.stdout
    );
}

#[test]
fn every_suppression_is_counted_with_its_source() {
    let r = Repo::new();
    let config = format!(
        "{TEST_RULES}\n[[allowlists]]\npaths = ['''^allowed/''']\n\n[[allowlists]]\nstopwords = [\"qqstopqq\"]\n"
    );
    r.write(".leakguard.toml", &config);
    r.write(".leakguardignore", "# skipped\nignored/\n");
    // The baseline is made while only the accepted key is in the tree.
    r.write("d.txt", format!("t = \"{}\"\n", fake_pat(81)));
    let base_json = r.home.join("baseline.json");
    let made = r.leakguard(&[
        "baseline",
        "create",
        "--output",
        base_json.to_str().unwrap(),
    ]);
    assert_eq!(made.code, 0, "{}", made.all());
    r.write("allowed/a.txt", format!("t = \"{}\"\n", fake_pat(82)));
    let stop = format!("ghp_qqstopqq{}", &fake_pat(83)[12..]);
    r.write("b.txt", format!("t = \"{stop}\"\n"));
    r.write(
        "c.txt",
        format!("x = 1\nt = \"{}\" # leakguard:allow\n", fake_pat(84)),
    );
    r.write("ignored/e.txt", format!("t = \"{}\"\n", fake_pat(85)));
    r.write("f.txt", format!("t = \"{}\"\n", fake_pat(86)));
    let out = r.leakguard(&[
        "scan",
        ".",
        "--baseline",
        base_json.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    let v = out.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["path"], "f.txt");
    let line_of = |needle: &str| config.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let baseline_text = std::fs::read_to_string(&base_json).unwrap();
    let fp_line = baseline_text
        .lines()
        .position(|l| l.contains("\"fingerprint\""))
        .unwrap()
        + 1;
    let expected = serde_json::json!([
        {"kind": "allowlist", "source": format!(".leakguard.toml:{}", line_of("^allowed/")), "rule_id": "github-pat", "count": 1},
        {"kind": "stopword", "source": format!(".leakguard.toml:{}", line_of("qqstopqq")), "rule_id": "github-pat", "count": 1},
        {"kind": "inline", "source": "c.txt:2", "rule_id": "github-pat", "count": 1},
        {"kind": "baseline", "source": format!("{}:{fp_line}", base_json.display()), "rule_id": "github-pat", "count": 1},
        {"kind": "ignore-file", "source": ".leakguardignore:2", "rule_id": null, "count": 1},
    ]);
    assert_eq!(v["stats"]["suppressed"], expected, "{}", v["stats"]);

    let text = r.leakguard(&["scan", ".", "--baseline", base_json.to_str().unwrap()]);
    assert!(
        text.stdout
            .contains("suppressed: 1 by allowlist (.leakguard.toml:"),
        "{}",
        text.stdout
    );
    let sarif = r.leakguard(&[
        "scan",
        ".",
        "--baseline",
        base_json.to_str().unwrap(),
        "--format",
        "sarif",
    ]);
    let v = sarif.json();
    // Suppressed results and run properties are valid SARIF 2.1.0.
    let sarif_file = r.home.join("suppressed.sarif");
    std::fs::write(&sarif_file, &sarif.stdout).unwrap();
    crate::common::validate_sarif(&sarif_file);
    let kinds: Vec<(String, String)> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|res| {
            (
                res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                res["suppressions"][0]["kind"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("f.txt".to_string(), String::new()),
            ("c.txt".to_string(), "inSource".to_string()),
            ("d.txt".to_string(), "external".to_string()),
        ]
    );
}

#[test]
fn what_a_config_switches_off_is_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "x = 1\n").unwrap();
    std::fs::write(
        d.join("off.toml"),
        "[extend]\nuseDefault = true\ndisabledRules = [\"github-pat\", \"aws-access-key-id\"]\n",
    )
    .unwrap();
    std::fs::write(d.join("own.toml"), TEST_RULES).unwrap();
    let out = crate::common::run_in(
        d,
        &["scan", "a.txt", "--config", "off.toml", "--format", "json"],
    );
    let n = out.notes();
    assert!(
        n.iter()
            .any(|n| n == "the config disables 2 rules: aws-access-key-id, github-pat"),
        "{n:?}"
    );
    let out = crate::common::run_in(
        d,
        &["scan", "a.txt", "--config", "own.toml", "--format", "json"],
    );
    let n = out.notes();
    assert!(
        n.iter().any(|n| n.contains("default rules are off")
            && n.starts_with("the config replaces the built-in rules")),
        "{n:?}"
    );
    let out = crate::common::run_in(d, &["scan", "a.txt", "--format", "json"]);
    assert!(out.notes().is_empty());
}

#[test]
fn staged_files_an_ignore_file_skips_are_counted() {
    let r = Repo::with_test_rules();
    r.write(".leakguardignore", "vendor/\n");
    r.commit_all("base");
    r.write("vendor/k.txt", format!("t = \"{}\"\n", fake_pat(91)));
    r.write("a.txt", "x = 1\n");
    r.git(&["add", "-A"]);
    let out = r.leakguard(&["staged", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.json()["stats"]["suppressed"],
        serde_json::json!([{"kind": "ignore-file", "source": ".leakguardignore:1", "rule_id": null, "count": 1}])
    );
}

/// The baseline scans discover by themselves (`.leakguard-baseline.json` at the root) and
/// `.gitleaksignore` follow the same rule as configs: in a range they are read from the base, so a
/// range that adds one accepting its own key is still reported (with a note), while the working
/// tree's copy, which a tree scan trusts, does accept it.
#[test]
fn a_discovered_baseline_or_gitleaksignore_added_in_a_range_does_not_silence_it() {
    for file in [".leakguard-baseline.json", ".gitleaksignore"] {
        let r = Repo::new();
        r.write("a.txt", "x = 1\n");
        let base = r.commit_all("base");
        r.write("a.txt", format!("x = 1\ntoken = \"{}\"\n", fake_pat(61)));
        if file == ".gitleaksignore" {
            r.write(file, "a.txt:github-pat:2\n");
        } else {
            let made = r.leakguard(&["baseline", "create"]);
            assert_eq!(made.code, 0, "{}", made.all());
        }
        // The entry is a real acceptance: the trusted tree scan honours it.
        let tree = r.leakguard(&["scan", ".", "--format", "json"]);
        assert_eq!(tree.code, 0, "{file}: {}", tree.all());
        assert_eq!(tree.json()["stats"]["suppressed"][0]["kind"], "baseline");
        let tip = r.commit_all("a key and a file that accepts it");
        let out = r.leakguard(&["history", &format!("{base}..{tip}"), "--format", "json"]);
        assert_eq!(out.code, 1, "{file}: {}", out.all());
        let v = out.json();
        assert_eq!(rule_ids(&v), ["github-pat"], "{file}: {}", out.stdout);
        assert!(
            notes(&v)
                .iter()
                .any(|n| n.contains("adds") && n.contains(file)),
            "{file}: {}",
            out.stdout
        );
    }
}

/// A baseline discovered at the base of the range is obeyed there, even once the working tree has
/// lost it: what the base accepted stays accepted, counted under the base's file.
#[test]
fn a_discovered_baseline_at_the_base_is_read_from_git() {
    let r = Repo::new();
    r.write("a.txt", format!("t = \"{}\"\n", fake_pat(62)));
    let made = r.leakguard(&["baseline", "create"]);
    assert_eq!(made.code, 0, "{}", made.all());
    r.write("a.txt", "x = 1\n");
    let base = r.commit_all("base with a baseline");
    r.write("a.txt", format!("t = \"{}\"\n", fake_pat(62)));
    let tip = r.commit_all("the accepted key again");
    std::fs::remove_file(r.root.join(".leakguard-baseline.json")).unwrap();
    let out = r.leakguard(&["history", &format!("{base}..{tip}"), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let v = out.json();
    assert_eq!(v["stats"]["suppressed"][0]["kind"], "baseline");
    assert!(v["stats"]["suppressed"][0]["source"]
        .as_str()
        .unwrap()
        .starts_with(".leakguard-baseline.json:"));
    // --no-baseline reads none, from the base or anywhere.
    let out = r.leakguard(&["history", &format!("{base}..{tip}"), "--no-baseline"]);
    assert_eq!(out.code, 1, "{}", out.all());
}
