//! Rules that count their lines (`lines = "2"`, stop 38): their windows end a line after their
//! keyword's, and still see every name and value, SID and token, written over two lines through a
//! long file; `rules --check` refuses a count the regex can match more line breaks than.

use crate::common::{run_in, scan_files_json, Fake};

/// (rule id, line, secret) of every finding of `rule` in a JSON report, sorted.
pub(crate) fn of_rule(v: &serde_json::Value, rule: &str) -> Vec<(u64, String)> {
    let mut rows: Vec<(u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn two_line_rules_find_every_pair_through_a_long_file() {
    let mut fake = Fake::new(38);
    // A Deployment whose env list holds 300 entries, every tenth a secret's name with its value on
    // the next line, between names and comments holding the rule's keywords (`token`, `key`).
    let mut yaml = vec!["kind: Deployment".to_string(), "env:".to_string()];
    let mut want_env = Vec::new();
    for i in 0..300 {
        if i % 10 == 3 {
            let value = fake.alnum(28);
            yaml.push(format!("  - name: APP_{i}_SECRET"));
            yaml.push(format!("    value: \"{value}\""));
            want_env.push((yaml.len() as u64, value));
        } else {
            yaml.push(format!("  - name: LOG_LEVEL_{i}"));
            yaml.push("    value: \"info\"".to_string());
            yaml.push(format!("  # token rotation, key {i}"));
        }
    }
    // Python passing an account SID and its auth token on two lines, between lines whose quoted
    // words open with `ac` (the rule's keywords hold the quote and `ac` with a hex digit).
    let mut py = vec!["from twilio.rest import Client".to_string()];
    let mut want_pair = Vec::new();
    for i in 0..400 {
        if i % 40 == 7 {
            let (sid, token) = (format!("AC{}", fake.hex(32)), fake.hex(32));
            py.push(format!("client_{i} = Client("));
            py.push(format!("    \"{sid}\","));
            py.push(format!("    \"{token}\","));
            want_pair.push((py.len() as u64, token));
            py.push(")".to_string());
        } else {
            py.push(format!("access_{i} = \"ace{i}\"  # account access"));
            py.push(format!("def replace_{i}(x): return x"));
        }
    }
    let v = scan_files_json(&[
        ("k8s/deploy.yaml", yaml.join("\n") + "\n"),
        ("notify/sms.py", py.join("\n") + "\n"),
    ]);
    assert_eq!(want_env.len(), 30);
    assert_eq!(of_rule(&v, "env-list-secret"), want_env);
    assert_eq!(want_pair.len(), 10);
    assert_eq!(of_rule(&v, "twilio-credential-pair"), want_pair);
}

#[test]
fn a_count_the_regex_can_exceed_fails_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |id: &str, lines: &str| {
        format!(
            r#"
[[rules]]
id = "{id}"
description = "a name, then its value on one of the next lines"
regex = '''team_key:[ \t]*\r?\n(?:[ \t]*#[^\n]*\r?\n)?[ \t]*value: ([a-z]{{12}})'''
keywords = ["team_key"]
lines = "{lines}"
[rules.examples]
positive = ['''team_key:
  value: qhvzkrmwtjxp''']
"#
        )
    };
    // One line end, or two with a comment between: three lines.
    std::fs::write(
        dir.path().join(".leakguard.toml"),
        rule("team-key-three", "3") + &rule("team-key-two", "2"),
    )
    .unwrap();
    let r = run_in(dir.path(), &["rules", "--check"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("FAIL team-key-two ("), "{}", r.stdout);
    assert!(r.stdout.contains("more line breaks"), "{}", r.stdout);
    assert!(!r.stdout.contains("FAIL team-key-three"), "{}", r.stdout);
}
