//! Rule severity: a test-mode key is reported, but at a lower severity than a live one, in JSON and
//! in SARIF levels; a config with an unknown severity is refused with one clear line.

use crate::common::*;

fn findings_by_rule(v: &serde_json::Value) -> Vec<(String, String)> {
    sorted_finding_rows(v, |f| {
        let severity = f.opt("severity").unwrap_or_else(|| "<none>".into());
        (f.s("rule_id"), severity)
    })
}

#[test]
fn stripe_test_keys_are_reported_at_low_severity_and_live_keys_at_high() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(1717);
    // Built at runtime, so that this source holds no string a scanner would flag.
    let live = format!("{}_live_{}", "sk", fake.alnum(32));
    let test = format!("{}_test_{}", "sk", fake.alnum(32));
    write(
        dir.path(),
        "billing.env",
        format!("STRIPE_LIVE={live}\nSTRIPE_TEST={test}\n"),
    );
    let run = run_in(dir.path(), &["scan", "--format", "json", "."]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        findings_by_rule(&run.json()),
        vec![
            ("stripe-live-secret-key".to_string(), "high".to_string()),
            ("stripe-test-secret-key".to_string(), "low".to_string()),
        ]
    );

    let run = run_in(
        dir.path(),
        &["scan", "--format", "sarif", "--output", "out.sarif", "."],
    );
    assert_eq!(run.code, 1, "{}", run.all());
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.sarif")).unwrap()).unwrap();
    let mut levels: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    levels.sort();
    assert_eq!(
        levels,
        vec![
            ("stripe-live-secret-key".to_string(), "error".to_string()),
            ("stripe-test-secret-key".to_string(), "note".to_string()),
        ]
    );
    validate_sarif(&dir.path().join("out.sarif"));
}

#[test]
fn a_custom_rule_may_set_its_severity_and_an_unknown_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(99);
    write(
        dir.path(),
        "rules.toml",
        "[[rules]]\nid = \"acme-token\"\nregex = '''acme_[a-z0-9]{20}'''\nkeywords = [\"acme_\"]\nseverity = \"medium\"\n",
    );
    write(
        dir.path(),
        "app.cfg",
        format!("token = {}_{}\n", "acme", fake.hex(20)),
    );
    let run = run_in(
        dir.path(),
        &[
            "scan",
            "--config",
            "rules.toml",
            "--format",
            "json",
            "app.cfg",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        findings_by_rule(&run.json()),
        vec![("acme-token".to_string(), "medium".to_string())]
    );

    write(
        dir.path(),
        "bad.toml",
        "[[rules]]\nid = \"acme-token\"\nregex = '''acme_[a-z0-9]{20}'''\nkeywords = [\"acme_\"]\nseverity = \"urgent\"\n",
    );
    let run = run_in(dir.path(), &["scan", "--config", "bad.toml", "app.cfg"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("unknown severity 'urgent'"),
        "{}",
        run.all()
    );
    assert!(!run.all().contains("panicked"), "{}", run.all());
}
