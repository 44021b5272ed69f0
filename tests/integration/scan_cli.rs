//! End-to-end tests of `leakguard scan` as a user runs it: exit codes, JSON shape, ignore files,
//! allow comments, redaction, config handling, odd files.

use crate::common::*;

fn has_rule(v: &serde_json::Value, family: &str) -> bool {
    rule_ids(v).iter().any(|id| id.contains(family))
}

#[test]
fn finds_a_key_reports_json_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(1);
    let pat = fake.github_pat();
    write(
        dir.path(),
        "src/app/settings.py",
        format!("import os\n\nGITHUB_TOKEN = \"{pat}\"\n"),
    );
    let r = run_in(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(r.code, 1, "stderr: {}", r.stderr);
    let v = r.json();
    assert!(v["version"].is_string());
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"].as_str().unwrap().contains("github"))
        .expect("github finding");
    assert_eq!(f["path"], "src/app/settings.py");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 17);
    assert!(f["commit"].is_null());
    assert!(f["description"].is_string());
    assert_eq!(f["secret"], "ghp_…", "redacted by default");
    assert!(f["fingerprint"]
        .as_str()
        .unwrap()
        .starts_with(f["rule_id"].as_str().unwrap()));
    assert!(
        !r.stdout.contains(&pat) && !r.stderr.contains(&pat),
        "the secret leaked into output"
    );
    assert_eq!(v["stats"]["scanned"], 1);
}

#[test]
fn show_secrets_prints_the_match() {
    let dir = tempfile::tempdir().unwrap();
    let pat = Fake::new(2).github_pat();
    write(dir.path(), "a.txt", format!("token: {pat}\n"));
    let r = run_in(dir.path(), &["scan", "--format", "json", "--show-secrets"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["findings"][0]["secret"], pat.as_str());
}

#[test]
fn clean_tree_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "README.md",
        "# hello\n\nSet OPENAI_API_KEY=sk-your-key-here and SECRET_KEY=changeme.\n",
    );
    write(
        dir.path(),
        "hash.txt",
        "md5 d41d8cd98f00b204e9800998ecf8427e\nuuid 0f8fad5b-d9cb-469f-a165-70867728950e\n",
    );
    let r = run_in(dir.path(), &["scan", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("0 findings"), "{}", r.stdout);
}

#[test]
fn ignore_files_are_honoured_unless_no_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(3);
    write(dir.path(), ".gitignore", "build/\n");
    write(dir.path(), ".leakguardignore", "vendor/\n");
    write(
        dir.path(),
        "build/out.js",
        format!("var t='{}';\n", fake.github_pat()),
    );
    write(
        dir.path(),
        "vendor/lib.js",
        format!("var t='{}';\n", fake.github_pat()),
    );
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = run_in(dir.path(), &["scan", "--format", "json", "--no-ignore"]);
    assert_eq!(r.code, 1);
    let paths: Vec<_> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert!(
        paths.contains(&"build/out.js".to_string()) && paths.contains(&"vendor/lib.js".to_string()),
        "{paths:?}"
    );
}

#[test]
fn inline_allow_comments_suppress_their_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(4);
    let content = format!(
        "a = '{}'  # leakguard:allow\nb = '{}'  // gitleaks:allow\nc = '{}'  # pragma: allowlist secret\nd = '{}'\n",
        fake.github_pat(),
        fake.github_pat(),
        fake.github_pat(),
        fake.github_pat()
    );
    write(dir.path(), "x.py", content);
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = r.json();
    let lines: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![4]);
}

#[test]
fn placeholders_and_docs_are_not_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/setup.md",
        "export OPENAI_API_KEY=sk-your-key-here\nOPENAI_API_KEY=\"sk-1234567890abcdef\"\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
         SESSION_SECRET=<your-session-secret>\nJWT_SECRET=${JWT_SECRET}\npassword = os.getenv(\"DB_PASSWORD\")\ntoken: xxxxxxxxxxxxxxxxxxxxxxxx\n",
    );
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn committed_env_file_is_a_finding_even_with_weak_values_but_example_is_not() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".env", "SESSION_SECRET=password123\n");
    write(dir.path(), ".env.example", "SESSION_SECRET=password123\n");
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v = r.json();
    let paths = finding_paths(&v);
    assert!(paths.iter().all(|p| p == ".env"), "{paths:?}");
    assert!(!paths.is_empty());
}

#[test]
fn many_families_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(5);
    let content = format!(
        "OPENAI_API_KEY = \"{}\"\nAWS_ACCESS_KEY_ID = \"{}\"\nSLACK_BOT_TOKEN = \"{}\"\n",
        fake.openai_project(),
        fake.aws_key_id(),
        fake.slack_bot()
    );
    write(dir.path(), "config.py", content);
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = r.json();
    for family in ["openai", "aws", "slack"] {
        assert!(
            has_rule(&v, family),
            "no {family} finding in {:?}",
            rule_ids(&v)
        );
    }
}

#[test]
fn binary_files_are_read_as_their_strings() {
    // A Vim swap file of an env file: binary (NULs), its lines held as NUL-ended strings. What is
    // scanned of a binary file is its strings, one per line, as `strings -a` prints them
    // (src/source/strings.rs); a finding's line is the line of that output.
    let dir = tempfile::tempdir().unwrap();
    let pat = Fake::new(6).github_pat();
    let mut data = b"b0VIM 9.0\x00\x00\x10\x00\x01\x02root\x00\x00".to_vec();
    data.extend_from_slice(format!("GITHUB_TOKEN={pat}\x00DEBUG=1\x00").as_bytes());
    data.extend_from_slice(&[0xff, 0xfe, 0x00, 0x01]);
    write(dir.path(), ".env.swp", &data);
    let r = run_in(dir.path(), &["scan", "--format", "json", "--show-secrets"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v = r.json();
    let f = &v["findings"][0];
    assert_eq!(f["path"], ".env.swp", "{v}");
    assert_eq!(f["secret"], pat.as_str(), "{v}");
    // strings: `b0VIM 9.0`, `root`, `GITHUB_TOKEN=…`, `DEBUG=1`.
    assert_eq!(f["line"], 3, "{v}");
    assert_eq!(v["stats"]["scanned"], 1);
    assert_eq!(v["stats"]["skipped"], 0);
    // Deterministic, and the same through the text report.
    let again = run_in(dir.path(), &["scan", "--format", "json", "--show-secrets"]);
    assert_eq!(again.json()["findings"], v["findings"]);
    let t = run_in(dir.path(), &["scan"]);
    assert!(t.stdout.contains(".env.swp:3:"), "{}", t.stdout);
}

#[test]
fn non_utf8_and_utf16_files_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(7);
    let mut latin1 = b"caf\xe9 \xff\xfe token = '".to_vec();
    latin1.extend_from_slice(fake.github_pat().as_bytes());
    latin1.extend_from_slice(b"'\n");
    write(dir.path(), "latin1.txt", latin1);
    let text = format!("token = '{}'\r\n", fake.github_pat());
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    write(dir.path(), "windows.txt", utf16);
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = r.json();
    let paths = finding_paths(&v);
    assert!(
        paths.contains(&"latin1.txt".into()) && paths.contains(&"windows.txt".into()),
        "{paths:?}"
    );
}

#[test]
fn very_long_line_and_large_file_keep_positions() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(8);
    // A 5 MB single line with a key in the middle.
    let filler = "ab+/".repeat(655_360);
    write(
        dir.path(),
        "min.js",
        format!("{filler};var k=\"{}\";{filler}", fake.github_pat()),
    );
    // A file over the streaming threshold (64 MB) with keys near a chunk boundary and at the end.
    let line = "lorem ipsum dolor sit amet, consectetur adipiscing elit sed do\n";
    let lines_before = (16 << 20) / line.len();
    let mut big = String::with_capacity(70 << 20);
    for _ in 0..lines_before {
        big.push_str(line);
    }
    big.push_str(&format!("first = \"{}\"\n", fake.github_pat()));
    let more = (70 << 20) / line.len() - lines_before;
    for _ in 0..more {
        big.push_str(line);
    }
    big.push_str(&format!("last = \"{}\"\n", fake.github_pat()));
    write(dir.path(), "big.log", &big);
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let found: Vec<(String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        found.contains(&("min.js".into(), 1, filler.len() as u64 + 9)),
        "{found:?}"
    );
    assert!(
        found.contains(&("big.log".into(), lines_before as u64 + 1, 10)),
        "{found:?}"
    );
    assert!(
        found.contains(&("big.log".into(), (lines_before + more) as u64 + 2, 9)),
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|f| f.0 == "big.log").count(),
        2,
        "no duplicates across chunks: {found:?}"
    );
}

#[test]
fn symlink_loops_are_skipped_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("a/loop")).unwrap();
    write(dir.path(), "a/ok.txt", "nothing here\n");
    let r = run_in(dir.path(), &["scan", "--follow-links", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.json()["stats"]["skipped"].as_u64().unwrap() >= 1);
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["stats"]["skipped_by_reason"]["symlink"], 1);
}

#[test]
fn missing_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["scan", "does/not/exist"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("does/not/exist") && r.stderr.lines().count() == 1,
        "{}",
        r.stderr
    );
}

#[test]
fn broken_config_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".leakguard.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"x\"\nregex = '''abc\n",
    );
    let r = run_in(dir.path(), &["scan"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(".leakguard.toml:") && r.stderr.contains("invalid TOML"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("column"), "{}", r.stderr);
}

#[test]
fn invalid_rule_regex_names_the_rule_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".leakguard.toml", "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"broken-rule\"\nregex = '''(unclosed'''\nkeywords = [\"x\"]\n");
    let r = run_in(dir.path(), &["scan"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("rule 'broken-rule'") && r.stderr.contains(".leakguard.toml:6"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

#[test]
fn oversized_regex_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".leakguard.toml",
        "[[rules]]\nid = \"huge\"\nregex = '''(?u)\\w{5000}'''\nkeywords = [\"x\"]\n",
    );
    let r = run_in(dir.path(), &["scan"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("rule 'huge'"), "{}", r.stderr);
}

#[test]
fn unknown_validator_and_bad_secret_group_are_config_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "v.toml",
        "[[rules]]\nid = \"v\"\nregex = '''a(b)'''\nkeywords = [\"a\"]\nvalidators = [\"nope\"]\n",
    );
    write(
        dir.path(),
        "g.toml",
        "[[rules]]\nid = \"g\"\nregex = '''a(b)'''\nsecretGroup = 3\nkeywords = [\"a\"]\n",
    );
    let r = run_in(dir.path(), &["scan", "--config", "v.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown validator 'nope'") && r.stderr.contains("v.toml:5"),
        "{}",
        r.stderr
    );
    let r = run_in(dir.path(), &["scan", "--config", "g.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("secretGroup = 3") && r.stderr.contains("rule 'g'"),
        "{}",
        r.stderr
    );
    let r = run_in(dir.path(), &["scan", "--config", "missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.toml"), "{}", r.stderr);
}

#[test]
fn config_extends_defaults_disables_rules_and_allowlists() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(9);
    write(
        dir.path(),
        "app.py",
        format!("t = '{}'\nk = '{}'\n", fake.github_pat(), fake.aws_key_id()),
    );
    write(
        dir.path(),
        "fixtures/keys.py",
        format!("t = '{}'\n", fake.github_pat()),
    );
    write(
        dir.path(),
        "internal.cfg",
        "corp_token = CORP-7f3k9q2m5x8w1z4v\n",
    );
    let baseline = run_in(dir.path(), &["scan", "--format", "json"]);
    let github_rule = rule_ids(&baseline.json())
        .into_iter()
        .find(|id| id.contains("github"))
        .expect("github rule fires");
    write(
        dir.path(),
        ".leakguard.toml",
        format!(
            "[extend]\nuseDefault = true\ndisabledRules = [\"{github_rule}\"]\n\n\
             [[rules]]\nid = \"corp-token\"\ndescription = \"Corp token\"\nregex = '''CORP-[a-z0-9]{{16}}'''\nkeywords = [\"corp-\"]\n\n\
             [[allowlists]]\nglobs = [\"fixtures/**\"]\n"
        ),
    );
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = r.json();
    let ids = rule_ids(&v);
    assert!(!ids.contains(&github_rule), "{ids:?}");
    assert!(ids.contains(&"corp-token".to_string()), "{ids:?}");
    assert!(ids.iter().any(|i| i.contains("aws")), "{ids:?}");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["path"].as_str().unwrap().starts_with("fixtures/")));
}

#[test]
fn gitleaks_config_without_extend_replaces_defaults_and_is_discovered() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(10);
    write(
        dir.path(),
        "app.py",
        format!(
            "t = '{}'\ncorp = CORP-7f3k9q2m5x8w1z4v\n",
            fake.github_pat()
        ),
    );
    write(
        dir.path(),
        ".gitleaks.toml",
        "title = \"team config\"\n[[rules]]\nid = \"corp-token\"\ndescription = \"Corp token\"\nregex = '''CORP-([a-z0-9]{16})'''\nsecretGroup = 1\nentropy = 2.0\nkeywords = [\"corp-\"]\ntags = [\"corp\"]\n\n[allowlist]\ndescription = \"global\"\npaths = ['''^vendor/''']\n",
    );
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(rule_ids(&r.json()), vec!["corp-token".to_string()]);
}

#[test]
fn fingerprint_allowlist_suppresses_exactly_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(11);
    write(
        dir.path(),
        "a.py",
        format!("x = '{}'\ny = '{}'\n", fake.github_pat(), fake.github_pat()),
    );
    let first = run_in(dir.path(), &["scan", "--format", "json"]);
    let fp = first.json()["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    write(
        dir.path(),
        ".leakguard.toml",
        format!("[allowlist]\nfingerprints = [\"{fp}\"]\n"),
    );
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = r.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_ne!(v["findings"][0]["fingerprint"], fp.as_str());
}

#[test]
fn text_output_is_plain_unless_colour_is_forced() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.py",
        format!("x = '{}'\n", Fake::new(12).github_pat()),
    );
    let r = run_in(dir.path(), &["scan"]);
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains('\x1b'), "no ANSI when piped");
    assert!(r.stdout.contains("a.py:1:6"), "{}", r.stdout);
    let r = run_in(dir.path(), &["scan", "--color", "always"]);
    assert!(r.stdout.contains('\x1b'));
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.py",
        format!("x = '{}'\n", Fake::new(13).github_pat()),
    );
    let r = run_in(
        dir.path(),
        &[
            "scan",
            "--format",
            "json",
            "--output",
            "report.json",
            "a.py",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["path"], "a.py");
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(14);
    write(
        dir.path(),
        "a.py",
        format!("x = '{}'\nk = '{}'\n", fake.github_pat(), fake.aws_key_id()),
    );
    let r = run_in(
        dir.path(),
        &["scan", "--format", "sarif", "--output", "out.sarif"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for res in results {
        assert!(res["partialFingerprints"]["leakguardFingerprint/v1"].is_string());
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            sarif["runs"][0]["tool"]["driver"]["rules"][idx]["id"],
            res["ruleId"]
        );
        assert!(
            res["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
    validate_sarif(&dir.path().join("out.sarif"));
}

#[test]
fn rules_command_lists_the_rule_set() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["rules"]);
    assert_eq!(r.code, 0);
    let n: usize = r
        .stdout
        .lines()
        .last()
        .unwrap()
        .trim_end_matches(" rules")
        .parse()
        .unwrap();
    assert!(n >= 60, "{n}");
}

#[test]
fn the_repository_scans_itself_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = run_in(root, &["scan", ".", "--format", "json"]);
    assert_eq!(
        r.code, 0,
        "leakguard finds secrets in its own repository:\n{}",
        r.stdout
    );
}
