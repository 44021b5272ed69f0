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
