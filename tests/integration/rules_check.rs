//! `leakguard rules --check`: every rule's examples, built-in and the user's, run by the binary.

use crate::common::run_in;

/// The README's configuration example, as a user would copy it.
fn readme_config() -> String {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("## Configuration")
        .expect("a Configuration section");
    let block = &readme[start..];
    let open = block.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let close = block[open..].find("\n```").unwrap();
    block[open..open + close + 1].to_string()
}

#[test]
fn the_readme_example_rule_passes_its_own_examples() {
    let dir = tempfile::tempdir().unwrap();
    let config = readme_config();
    assert!(config.contains("id = \"corp-token\""), "{config}");
    std::fs::write(dir.path().join("corp.toml"), &config).unwrap();
    let r = run_in(dir.path(), &["rules", "--check", "--config", "corp.toml"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains(" pass"), "{}", r.stdout);
    assert!(!r.stdout.contains("FAIL"), "{}", r.stdout);
}

#[test]
fn failing_examples_are_listed_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    // The README's rule as it was: a base64 validator on a token with '-' and a .py/.js path rule
    // with examples scanned as example.txt; it never fired on its own positive example.
    let broken = readme_config()
        .replace(
            "validators = [\"not-hex-only\"]",
            "validators = [\"base64\"]",
        )
        .replace("path = \"src/client.py\"", "");
    std::fs::write(dir.path().join("old.toml"), &broken).unwrap();
    let extra = r#"
[[rules]]
id = "team-key"
description = "Team key"
regex = '''team_key\s*=\s*"([a-z]{12})"'''
keywords = ["team_key"]
[rules.examples]
positive = ['''team_key = "qhvzkrmwtjxp"''']
negative = ['''team_key = "npqwzrkxvtjm"''']
"#;
    std::fs::write(
        dir.path().join(".leakguard.toml"),
        format!("{broken}{extra}"),
    )
    .unwrap();
    let r = run_in(dir.path(), &["rules", "--check"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("FAIL corp-token (")
            && r.stdout
                .contains(".leakguard.toml): positive example 1 is not found at example.txt"),
        "{}",
        r.stdout
    );
    // A negative example the regex matches is a failure too; the secret itself is not printed.
    assert!(
        r.stdout.contains("FAIL team-key") && r.stdout.contains("negative example 1 is found"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("npqwzrkxvtjm"), "{}", r.stdout);
    assert!(
        r.stdout.contains("failing: corp-token, team-key"),
        "{}",
        r.stdout
    );
    let r = run_in(dir.path(), &["rules", "--check", "--config", "old.toml"]);
    assert_eq!(r.code, 1, "{}", r.all());
}

#[test]
fn the_built_in_rules_pass_their_examples() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["rules", "--check"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let bad = run_in(
        dir.path(),
        &["rules", "--check", "--config", "missing.toml"],
    );
    assert_eq!(bad.code, 2, "{}", bad.all());
}

/// A rule that yields (here a `fallback`, looser than the generic assignments) passes a positive
/// example another rule reports only where it read the value itself and gave way: a regex that
/// misses its own example fails, though the generic reader reports the value (before stop 39 it
/// passed on the other rule's finding).
#[test]
fn a_yielding_rule_passes_only_on_its_own_reading() {
    let dir = tempfile::tempdir().unwrap();
    let value = crate::common::Fake::new(39).alnum(24);
    let rule = |id: &str, name: &str| {
        format!(
            r#"
[[rules]]
id = "{id}"
description = "A team's loose reading"
regex = '''{name}\s*=\s*"([A-Za-z0-9]{{20,}})"'''
secretGroup = 1
keywords = ["{name}"]
tags = ["generic", "fallback"]
[rules.examples]
positive = ['''api_key = "{value}"''']
"#
        )
    };
    // `team-misses` reads `team_key = "…"` only: its example is generic-secret-assignment's alone.
    // `team-reads` reads `api_key = "…"` and yields to generic-secret-assignment there.
    let config = format!(
        "[extend]\nuseDefault = true\n{}{}",
        rule("team-misses", "team_key"),
        rule("team-reads", "api_key")
    );
    std::fs::write(dir.path().join("team.toml"), &config).unwrap();
    let r = run_in(dir.path(), &["rules", "--check", "--config", "team.toml"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("FAIL team-misses (")
            && r.stdout.contains("positive example 1 is not found at example.txt (found by generic-secret-assignment)"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("FAIL team-reads"), "{}", r.stdout);
    assert!(
        r.stdout.contains("failing: team-misses\n")
            || r.stdout.trim_end().ends_with("failing: team-misses"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains(&value), "{}", r.stdout);
}

#[test]
fn the_readme_names_every_validator_a_rule_may_use() {
    let config = readme_config();
    let line = config
        .lines()
        .find(|l| l.starts_with("validators = "))
        .expect("the validators line");
    let listed: Vec<&str> = line
        .split("# leakguard:")
        .nth(1)
        .expect("the line's list of validators")
        .split(',')
        .map(str::trim)
        .collect();
    let mut missing: Vec<&str> = leakguard::filters::Validator::NAMES
        .iter()
        .copied()
        .filter(|n| !listed.contains(n))
        .collect();
    missing.sort_unstable();
    assert!(
        missing.is_empty(),
        "README's validators line leaves out {missing:?}"
    );
    for name in listed {
        assert!(
            leakguard::filters::Validator::parse(name).is_some(),
            "README lists `{name}`, which is no validator"
        );
    }
}
