//! A team's `.gitleaks.toml` works unchanged: Go regex syntax, gitleaks' rule ids (aliases), rule
//! extension by id, strict schema errors (one line each, all in one run), `[extend] path` from the
//! working directory, and `.gitleaksignore`. The configs here are written for the tests; each uses
//! the constructs real gitleaks configs use.

use crate::common::{rule_lines, run_in, write, Fake, Run};
use crate::gitrepo::Repo;
use std::path::Path;

/// A fake value the generic assignment rule reports: high entropy, with digits, no placeholder runs.
fn generic_value(seed: u64) -> String {
    let mut f = Fake::new(seed);
    format!("{}7Q{}", f.alnum(14), f.alnum(10))
}

/// The error lines of a failed run (exit 2), without the "leakguard: error: " prefix.
fn error_lines(run: &Run) -> Vec<String> {
    assert_eq!(run.code, 2, "{}", run.all());
    run.stderr
        .lines()
        .map(|l| {
            l.strip_prefix("leakguard: error: ")
                .unwrap_or_else(|| panic!("not an error line: {l:?}\n{}", run.stderr))
                .to_string()
        })
        .collect()
}

fn scan_json(dir: &Path, config: &str) -> Run {
    run_in(dir, &["scan", "--config", config, "-f", "json", "src"])
}

#[test]
fn go_only_regex_syntax_loads_and_keeps_go_meaning() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut f = Fake::new(15);
    let (a, b, c) = (f.alnum(20), f.alnum(20), f.alnum(20));
    // A literal `{` where no repetition is valid, `\Q..\E`, `\<`, an octal escape and `[` in a class:
    // each is rejected or read differently by Rust's regex.
    write(
        d,
        "gitleaks.toml",
        r#"
[[rules]]
id = "braced-token"
regex = '''tok{([A-Za-z0-9]{20})}'''
secretGroup = 1
keywords = ["tok{"]

[[rules]]
id = "quoted-token"
regex = '''\Q$key.(\E\s*([A-Za-z0-9]{20})'''
secretGroup = 1
keywords = ["$key"]

[[rules]]
id = "angle-token"
regex = '''\<ang\>\075([A-Za-z0-9]{20})[[]'''
secretGroup = 1
keywords = ["<ang>"]

[[rules.allowlists]]
regexes = ['''^\${?[A-Z_]+}?$''']
"#,
    );
    write(
        d,
        "src/app.txt",
        format!("x = tok{{{a}}}\n$key.( {b}\n<ang>={c}[\nbraced tok{{{{xx}}}}\n"),
    );
    let run = scan_json(d, "gitleaks.toml");
    assert_eq!(run.code, 1, "{}", run.all());
    let found = rule_lines(&run.json());
    assert_eq!(
        found,
        [
            ("braced-token".to_string(), 1),
            ("quoted-token".to_string(), 2),
            ("angle-token".to_string(), 3)
        ]
    );
}

#[test]
fn every_regex_error_of_a_config_is_reported_in_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "src/a.txt", "nothing\n");
    write(
        d,
        "bad.toml",
        "[[rules]]\nid = \"one\"\nregex = '''(unclosed'''\npath = '''[z-a]'''\n\n[[rules]]\nid = \"two\"\nregex = '''ok'''\n[[rules.allowlists]]\nregexes = ['''*bad''']\n\n[[allowlists]]\nregexes = ['''fine''', '''(?P<x''']\n",
    );
    let lines = error_lines(&scan_json(d, "bad.toml"));
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[0].starts_with("bad.toml:3: rule 'one': invalid regex:"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("bad.toml:4: rule 'one': invalid path regex:"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("bad.toml:10: rule 'two': invalid allowlist regex:"),
        "{lines:?}"
    );
    assert!(
        lines[3].starts_with("bad.toml:13: invalid allowlist regex:"),
        "{lines:?}"
    );
}

/// Each typo gitleaks users make, as an error on its own line, with the line of the key.
#[test]
fn typos_and_invalid_combinations_are_errors_with_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "src/a.txt", "nothing\n");
    let cases: &[(&str, &str)] = &[
        (
            "[[rules]]\nid = \"x\"\nregex = '''abc'''\nkeyword = [\"abc\"]\n",
            "c.toml:4: rule 'x': unknown key `rules.keyword`, did you mean `keywords`?",
        ),
        (
            "[extend]\nuseDefault = true\n\n[[allowlists]]\ndescription = \"typo\"\npath = ['''vendor/''']\n",
            "c.toml:6: unknown key `allowlists.path`, did you mean `paths`?",
        ),
        (
            "[extend]\nuseDefault = true\n\n[[allowlists]]\ndescription = \"nothing to allow\"\n",
            "c.toml:4: [allowlists] allows nothing",
        ),
        (
            "[allowlist]\npaths = ['''a''']\n\n[[allowlists]]\npaths = ['''b''']\n",
            "c.toml:1: [allowlist] cannot be used alongside [[allowlists]]",
        ),
        (
            "[extend]\nuseDefault = true\npath = \"base.toml\"\n",
            "c.toml:3: [extend] useDefault and path cannot both be set",
        ),
        (
            "[extend]\nuseDefault = true\ndisabledRules = [\"generic-api-key\", \"no-such-rule\"]\n",
            "c.toml:3: disabledRules: unknown rule id 'no-such-rule'",
        ),
        (
            "[extend]\nuseDefaults = true\n",
            "c.toml:2: unknown key `extend.useDefaults`, did you mean `useDefault`?",
        ),
        (
            "[[rules]]\nid = \"x\"\nregex = '''abc'''\n[rules.allowlist]\nstopwords = [\"a\"]\n[[rules.allowlists]]\nstopwords = [\"b\"]\n",
            "c.toml:4: rule 'x': [rules.allowlist] cannot be used alongside [[rules.allowlists]]",
        ),
    ];
    for (config, expected) in cases {
        write(d, "c.toml", config);
        let lines = error_lines(&scan_json(d, "c.toml"));
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "config:\n{config}\nexpected {expected:?} in {lines:?}"
        );
        assert!(lines.iter().all(|l| l.starts_with("c.toml:")), "{lines:?}");
    }
    // Several problems at once: all reported, in file order.
    write(
        d,
        "c.toml",
        "[[rules]]\nid = \"x\"\nregex = '''abc'''\nkeyword = [\"abc\"]\nentrpy = 3.0\n",
    );
    let lines = error_lines(&scan_json(d, "c.toml"));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1]
        .starts_with("c.toml:5: rule 'x': unknown key `rules.entrpy`, did you mean `entropy`?"));
}

#[test]
fn gitleaks_keys_leakguard_ignores_are_accepted_and_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "src/a.txt", "nothing\n");
    write(
        d,
        "c.toml",
        "title = \"team config\"\nminVersion = \"v8.25.0\"\n[extend]\nusedefault = true\ndisabledrules = [\"adafruit-io-key\", \"adafruit-io-key-context\", \"adafruit-api-key\"]\n",
    );
    let run = scan_json(d, "c.toml");
    assert_eq!(run.code, 0, "{}", run.all());
    let n = run.notes();
    assert!(
        n.iter()
            .any(|x| x.contains("title (line 1)") && x.contains("minVersion (line 2)")),
        "{n:?}"
    );
    // A gitleaks rule leakguard has no rule for (every default one has: those are disabled first by
    // leakguard's ids): noted, not an error.
    assert!(
        n.iter().any(
            |x| x.starts_with("c.toml:5: disabledRules: 'adafruit-api-key' is a gitleaks rule")
        ),
        "{n:?}"
    );
}

#[test]
fn gitleaks_ids_are_aliases_in_listings_sarif_and_config_but_reports_use_the_canonical_id() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let aws = Fake::new(3).aws_key_id();
    let secret = generic_value(4);
    write(
        d,
        "src/app.py",
        format!("aws_id = \"{aws}\"\napi_password = \"{secret}\"\n"),
    );
    // Listing.
    let listed = run_in(d, &["rules"]);
    assert!(
        listed
            .stdout
            .lines()
            .any(|l| l.starts_with("generic-secret-assignment ")
                && l.ends_with("(also: generic-api-key)")),
        "{}",
        listed.stdout
    );
    let json = run_in(d, &["rules", "--json"]);
    let rules: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let aws_rule = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "aws-access-key-id")
        .unwrap();
    assert_eq!(aws_rule["aliases"], serde_json::json!(["aws-access-token"]));
    // Reports: canonical ids; SARIF rules carry the aliases.
    let run = run_in(d, &["scan", "-f", "json", "src"]);
    let ids = crate::common::rule_ids(&run.json());
    assert_eq!(ids, ["aws-access-key-id", "generic-secret-assignment"]);
    let sarif = run_in(d, &["scan", "-f", "sarif", "src"]);
    let v: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let rule = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "generic-secret-assignment")
        .unwrap();
    assert_eq!(
        rule["properties"]["aliases"],
        serde_json::json!(["generic-api-key"])
    );

    // disabledRules by gitleaks id.
    write(
        d,
        "c.toml",
        "[extend]\nuseDefault = true\ndisabledRules = [\"aws-access-token\"]\n",
    );
    let run = scan_json(d, "c.toml");
    assert_eq!(
        crate::common::rule_ids(&run.json()),
        ["generic-secret-assignment"]
    );

    // targetRules by gitleaks id: the allowlist applies to the generic rule only.
    write(
        d,
        "c.toml",
        "[[allowlists]]\ntargetRules = [\"generic-api-key\"]\nregexTarget = \"line\"\nregexes = ['''^(aws_id|api_password) = ''']\n",
    );
    let run = scan_json(d, "c.toml");
    // The allowlist is the generic rule's own: the weak-password fallback still reports the value
    // (README, "One value, several rules").
    assert_eq!(
        crate::common::rule_ids(&run.json()),
        ["aws-access-key-id", "password-in-text"]
    );
    // A gitleaks id leakguard lacks: noted while the defaults are in (a real config loads) ...
    write(
        d,
        "c.toml",
        "[extend]\nuseDefault = true\ndisabledRules = [\"adafruit-io-key\", \"adafruit-io-key-context\"]\n\n[[allowlists]]\ntargetRules = [\"adafruit-api-key\", \"generic-api-key\"]\nregexes = ['''x''']\n",
    );
    let run = scan_json(d, "c.toml");
    assert!(run
        .notes()
        .iter()
        .any(|n| n.starts_with("c.toml:6: targetRules: 'adafruit-api-key' is a gitleaks rule")));
    // ... an error when the config replaces them (gitleaks rejects a target that is not there).
    write(
        d,
        "c.toml",
        "[[rules]]\nid = \"own\"\nregex = '''x'''\n[[allowlists]]\ntargetRules = [\"adafruit-api-key\"]\nregexes = ['''x''']\n",
    );
    let lines = error_lines(&scan_json(d, "c.toml"));
    assert!(
        lines[0].starts_with("c.toml:5: targetRules: unknown rule id 'adafruit-api-key'"),
        "{lines:?}"
    );
    // An unknown target is an error naming the closest ids.
    write(
        d,
        "c.toml",
        "[[allowlists]]\ntargetRules = [\"generic-api-kye\"]\nregexes = ['''x''']\n",
    );
    let lines = error_lines(&scan_json(d, "c.toml"));
    assert!(
        lines[0].starts_with("c.toml:2: targetRules: unknown rule id 'generic-api-kye'; closest known ids: generic-api-key"),
        "{lines:?}"
    );
}

#[test]
fn extending_a_default_rule_by_its_gitleaks_id_adds_its_allowlists() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (kept, allowed) = (generic_value(5), generic_value(6));
    write(
        d,
        "src/app.py",
        format!("api_password = \"{kept}\"\nfixture_password = \"{allowed}\"\n"),
    );
    // gitleaks' documented way to tune a default rule: its id and an allowlist, no regex.
    write(
        d,
        "c.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"generic-api-key\"\n[[rules.allowlists]]\nregexTarget = \"line\"\nregexes = ['''^fixture_''']\n",
    );
    let run = scan_json(d, "c.toml");
    assert_eq!(run.code, 1, "{}", run.all());
    let v = run.json();
    // The added allowlist is the generic rule's own: the fallback still reports line 2's value
    // (README, "One value, several rules").
    assert_eq!(
        crate::common::rule_ids(&v),
        ["generic-secret-assignment", "password-in-text"]
    );
    assert_eq!(v["findings"][0]["line"], 1);
    assert_eq!(v["findings"][1]["line"], 2);
    // The same by leakguard's id, with a tag added (gitleaks appends tags and keywords).
    write(
        d,
        "c.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"generic-secret-assignment\"\ntags = [\"team\"]\n[[rules.allowlists]]\nregexTarget = \"line\"\nregexes = ['''^fixture_''']\n",
    );
    let v = scan_json(d, "c.toml").json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 2);
    assert_eq!(v["findings"][0]["rule_id"], "generic-secret-assignment");
    let tags = v["findings"][0]["tags"].as_array().unwrap();
    assert!(
        tags.contains(&"generic".into()) && tags.contains(&"team".into()),
        "{tags:?}"
    );
    // Extending a rule no one has: an error with the closest ids; a gitleaks id: its leakguard rules.
    write(
        d,
        "c.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"generic-api-keys\"\n[[rules.allowlists]]\nregexes = ['''x''']\n",
    );
    let lines = error_lines(&scan_json(d, "c.toml"));
    assert!(
        lines[0].starts_with("c.toml:5: rule 'generic-api-keys': a rule needs a `regex`, a `path`, or both; it extends no known rule; closest known ids: generic-api-key"),
        "{lines:?}"
    );
    write(
        d,
        "c.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"adafruit-api-key\"\n[[rules.allowlists]]\nregexes = ['''x''']\n",
    );
    // Every gitleaks default id now has leakguard rules, so this extends them (no note, no error); the
    // note for a gitleaks id leakguard lacks is covered through disabledRules and targetRules.
    let run = scan_json(d, "c.toml");
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        !run.notes().iter().any(|n| n.contains("adafruit-api-key")),
        "{:?}",
        run.notes()
    );
}

#[test]
fn extend_path_is_resolved_from_the_working_directory_as_gitleaks_does() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let secret = generic_value(7);
    write(d, "src/app.py", format!("api_password = \"{secret}\"\n"));
    write(
        d,
        ".github/base.toml",
        "[[rules]]\nid = \"team-rule\"\nregex = '''api_password = \"([^\"]+)\"'''\nsecretGroup = 1\n",
    );
    write(
        d,
        ".github/gitleaks.toml",
        "[extend]\npath = \".github/base.toml\"\n",
    );
    let run = scan_json(d, ".github/gitleaks.toml");
    assert_eq!(
        crate::common::rule_ids(&run.json()),
        ["team-rule"],
        "{}",
        run.all()
    );
    // Only beside the config: used, with a note.
    write(
        d,
        ".github/gitleaks.toml",
        "[extend]\npath = \"base.toml\"\n",
    );
    let run = scan_json(d, ".github/gitleaks.toml");
    assert_eq!(crate::common::rule_ids(&run.json()), ["team-rule"]);
    assert!(
        run.notes()
            .iter()
            .any(|n| n
                .contains("[extend] path \"base.toml\" is not found from the working directory")),
        "{}",
        run.all()
    );
    // gitleaks follows [extend] path two levels deep: a third link is not followed, and said so.
    write(d, "l1.toml", "[extend]\npath = \"l2.toml\"\n");
    write(d, "l2.toml", "[extend]\npath = \"l3.toml\"\n");
    write(
        d,
        "l3.toml",
        "[extend]\npath = \"missing.toml\"\n[[rules]]\nid = \"deep\"\nregex = '''api_password'''\n",
    );
    let run = scan_json(d, "l1.toml");
    assert_eq!(
        crate::common::rule_ids(&run.json()),
        ["deep"],
        "{}",
        run.all()
    );
    assert!(
        run.notes()
            .iter()
            .any(|n| n.starts_with("l3.toml:2: [extend] path \"missing.toml\" not followed")),
        "{}",
        run.all()
    );
    // Nowhere: an error on the line of the path.
    write(
        d,
        ".github/gitleaks.toml",
        "# team\n[extend]\npath = \"gone.toml\"\n",
    );
    let lines = error_lines(&scan_json(d, ".github/gitleaks.toml"));
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with(".github/gitleaks.toml:3: [extend] path \"gone.toml\""),
        "{lines:?}"
    );
}

#[test]
fn gitleaksignore_entries_accept_findings_by_file_rule_or_alias_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let aws = Fake::new(8).aws_key_id();
    let (s1, s2) = (generic_value(9), generic_value(10));
    write(
        d,
        "src/app.py",
        format!("api_password = \"{s1}\"\nother_password = \"{s2}\"\nid = \"{aws}\"\n"),
    );
    let all = run_in(d, &["scan", "-f", "json", "src"]);
    assert_eq!(
        crate::common::rule_ids(&all.json()).len(),
        3,
        "{}",
        all.all()
    );
    // gitleaks' ids (aliases) and leakguard's, on the right lines; one entry on a wrong line.
    write(
        d,
        ".gitleaksignore",
        "# accepted\nsrc/app.py:generic-api-key:1\nsrc/app.py:aws-access-key-id:3\nsrc/app.py:generic-api-key:5\n",
    );
    let run = run_in(d, &["scan", "-f", "json", "src"]);
    let v = run.json();
    assert_eq!(crate::common::rule_ids(&v), ["generic-secret-assignment"]);
    assert_eq!(v["findings"][0]["line"], 2);
    // Named explicitly: a file elsewhere, or a directory holding one (gitleaks' --gitleaks-ignore-path).
    let other = tempfile::tempdir().unwrap();
    let moved = other.path().join(".gitleaksignore");
    std::fs::rename(d.join(".gitleaksignore"), &moved).unwrap();
    assert_eq!(run_in(d, &["scan", "-f", "json", "src"]).code, 1);
    for given in [moved.as_path(), other.path()] {
        let args = [
            "scan",
            "-f",
            "json",
            "--gitleaks-ignore-path",
            given.to_str().unwrap(),
            "src",
        ];
        let v = run_in(d, &args).json();
        assert_eq!(v["findings"].as_array().unwrap().len(), 1, "{v}");
    }
    // A malformed entry is an error naming its line.
    write(
        d,
        ".gitleaksignore",
        "src/app.py:generic-api-key:1\nsrc/app.py\n",
    );
    let lines = error_lines(&run_in(d, &["scan", "-f", "json", "src"]));
    assert!(
        lines[0].contains(".gitleaksignore:2: not a gitleaks fingerprint"),
        "{lines:?}"
    );
}

#[test]
fn gitleaksignore_commit_entries_match_any_commit_where_the_secret_is_present() {
    let r = Repo::new();
    let secret = generic_value(11);
    let other = generic_value(12);
    r.write("app.py", format!("api_password = \"{secret}\"\n"));
    let introduced = r.commit_all("add");
    r.write("README", "docs\n");
    let later = r.commit_all("docs");
    r.write(
        "app.py",
        format!("api_password = \"{secret}\"\nold_password = \"{other}\"\n"),
    );
    r.commit_all("more");
    r.write("app.py", "new_password = os.environ[\"APP_PASSWORD\"]\n");
    let removed = r.commit_all("rotate");
    let ids = |run: &Run| -> Vec<u64> {
        run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["line"].as_u64().unwrap())
            .collect()
    };
    let all = r.leakguard(&["history", "-f", "json"]);
    assert_eq!(ids(&all), [1, 2], "{}", all.all());
    // gitleaks wrote a later commit in which the secret is still on line 1: accepted. An entry for a
    // commit where the line no longer holds the secret accepts nothing.
    r.write(
        ".gitleaksignore",
        format!("{later}:app.py:generic-api-key:1\n{removed}:app.py:generic-api-key:2\n"),
    );
    let run = r.leakguard(&["history", "-f", "json"]);
    assert_eq!(ids(&run), [2], "{}", run.all());
    // The introducing commit itself, abbreviated.
    r.write(
        ".gitleaksignore",
        format!("{}:app.py:generic-secret-assignment:1\n", &introduced[..12]),
    );
    let run = r.leakguard(&["history", "-f", "json"]);
    assert_eq!(ids(&run), [2], "{}", run.all());
    // A commit entry does not accept a working-tree finding (gitleaks' `dir` scans write no commit);
    // a file entry does.
    r.write("app.py", format!("api_password = \"{secret}\"\n"));
    r.write(
        ".gitleaksignore",
        format!("{later}:app.py:generic-api-key:1\n"),
    );
    let run = r.leakguard(&["scan", "-f", "json", "app.py"]);
    assert_eq!(ids(&run), [1], "{}", run.all());
    r.write(".gitleaksignore", "app.py:generic-api-key:1\n");
    let run = r.leakguard(&["scan", "-f", "json", "app.py"]);
    assert_eq!(run.code, 0, "{}", run.all());
}

/// gitleaks' generic-api-key carries no `generic` tag: its id is what makes it yield to a specific
/// rule that found the same secret on the line (gitleaks' own de-duplication).
#[test]
fn a_rule_whose_id_says_generic_yields_to_a_specific_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let pat = Fake::new(16).github_pat();
    let secret = generic_value(17);
    write(
        d,
        "src/app.py",
        format!("token = \"{pat}\"\ntoken = \"{secret}\"\n"),
    );
    write(
        d,
        "gitleaks.toml",
        r#"
[[rules]]
id = "github-pat"
regex = '''ghp_[0-9a-zA-Z]{36}'''
keywords = ["ghp_"]

[[rules]]
id = "generic-api-key"
regex = '''token = "([^"]+)"'''
secretGroup = 1
keywords = ["token"]
"#,
    );
    let v = scan_json(d, "gitleaks.toml").json();
    let found = rule_lines(&v);
    assert_eq!(
        found,
        [
            ("github-pat".to_string(), 1),
            ("generic-api-key".to_string(), 2)
        ]
    );
}

#[test]
fn a_custom_path_scoped_rule_selects_the_paths_its_regex_selects_ascii_or_not() {
    // A user's path regex is asked about an ASCII path through a build with Unicode off and
    // about any other path through the regex as written: under `(?i)` both must select what the
    // regex selects, the Kelvin sign and the long s (case variants of k and s) included, beside
    // the built-in rules, which a custom rule must not disturb.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "lg.toml",
        "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"acme-keystore-token\"\n\
         regex = '''acme_[a-z0-9]{20}'''\nkeywords = [\"acme_\"]\npath = '''(?i)\\.ks$'''\n",
    );
    let value = format!(
        "acme_{}",
        Fake::new(0x5eed_0016).from_alphabet("abcdefghjkmnpqrstuvwxyz23456789", 20)
    );
    let selected = ["a.ks", "b.KS", "c.\u{212A}s", "d.k\u{17F}", "deploy/e.kS"];
    let passed_over = ["f.ks.txt", "g.kz", "h.k", "i.ksx"];
    for name in selected.iter().chain(&passed_over) {
        write(dir, &format!("src/{name}"), format!("token = {value}\n"));
    }
    let run = scan_json(dir, "lg.toml");
    assert_eq!(run.code, 1, "{}", run.all());
    let mut found: Vec<String> = crate::common::rule_secrets_by_path(&run.json())
        .into_iter()
        .filter(|(_, hits)| hits.iter().any(|(rule, _)| rule == "acme-keystore-token"))
        .map(|(path, _)| path)
        .collect();
    found.sort();
    // Paths are reported from the directory scanned.
    let mut want: Vec<String> = selected.iter().map(|n| n.to_string()).collect();
    want.sort();
    assert_eq!(found, want);
}
