//! Windows that end where their matches must (stop 39, `starts::Tail`): a rule whose matches
//! start at its keyword and are bounded, but for blanks repeated without bound, searches from the
//! keyword's line to the line where its longest match would end, not 16 KiB of lines; it still
//! finds the matches that end thousands of bytes past their keyword, or start before it.

use crate::common::{bin, write, Fake};
use std::process::Command;

/// The report of `leakguard scan dir` with the rule timing on: (findings, per rule id its windows
/// and the bytes they covered).
fn scan_timed(dir: &std::path::Path) -> (serde_json::Value, Vec<(String, u64, u64)>) {
    let out = Command::new(bin())
        .args(["scan", ".", "--no-ignore", "-j", "1", "--format", "json"])
        .args(["--show-secrets"])
        .current_dir(dir)
        .env_remove("LEAKGUARD_CONFIG")
        .env("LEAKGUARD_RULE_TIMING", "1")
        .output()
        .expect("run leakguard");
    let report = serde_json::from_slice(&out.stdout).expect("a JSON report");
    // `   0.6 ms    10 windows    327014 bytes    0 hits -- -  mailgun-api-key`
    let rows = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            (w.len() >= 11 && w[3] == "windows" && w[5] == "bytes")
                .then(|| {
                    (
                        w[w.len() - 1].to_string(),
                        w[2].parse().ok()?,
                        w[4].parse().ok()?,
                    )
                })
                .flatten()
        })
        .collect();
    (report, rows)
}

fn secrets_of(report: &serde_json::Value, rule: &str) -> Vec<(u64, String)> {
    let mut rows: Vec<(u64, String)> = report["findings"]
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

fn windows_of(rows: &[(String, u64, u64)], rule: &str) -> (u64, u64) {
    rows.iter()
        .find(|(id, _, _)| id == rule)
        .map(|&(_, n, bytes)| (n, bytes))
        .unwrap_or_else(|| panic!("no timing row for {rule}: {rows:?}"))
}

/// Lines of Python that name no credential and no vendor: what a long module holds between.
fn filler(lines: usize) -> String {
    (0..lines)
        .map(|i| format!("def handler_{i}(event, context):  return event.get(\"body\", {i})\n"))
        .collect()
}

#[test]
fn twilio_tokens_ending_far_past_their_keyword_are_found_in_short_windows() {
    let mut fake = Fake::new(39);
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (fake.hex(32), fake.hex(32));
    // The token before the vendor's name (the regex's third alternative runs from `auth_token`
    // up to 400 bytes on to `twilio`), then a Rust constant whose type stands 6,000 blank lines
    // below its name (its blanks are repeated without bound), between long stretches of code
    // that mention Twilio now and then.
    let mut text = String::from("import os\n");
    text += &format!("auth_token = \"{first}\"\n");
    text += &filler(4);
    text += "client = twilio.rest.Client(sid, auth_token)\n";
    text += &filler(600);
    text += "# see the twilio docs\n";
    text += &filler(600);
    let blank_from = text.lines().count() + 1;
    text += "TWILIO_AUTH_TOKEN";
    text += &"\n".repeat(6_000);
    text += &format!(": str = \"{second}\";\n");
    text += &filler(800);
    write(dir.path(), "notify/sms.py", &text);
    let (report, rows) = scan_timed(dir.path());
    assert_eq!(
        secrets_of(&report, "twilio-auth-token"),
        vec![(2, first), (blank_from as u64 + 6_000, second)],
        "{report}"
    );
    // Each of the four keywords' windows reaches to the line where a match from it would end:
    // ~600 bytes past the keyword outside the blanks, not 16 KiB (the 6,000 blank lines are in
    // the window that holds the constant).
    let (windows, bytes) = windows_of(&rows, "twilio-auth-token");
    assert!(windows >= 3, "{windows} windows");
    assert!(
        bytes < 6_000 + 4 * 2_048,
        "{windows} windows of {bytes} bytes"
    );
}

#[test]
fn a_configured_rule_matching_from_before_its_keyword_to_far_after_it_is_found() {
    let mut fake = Fake::new(3939);
    let dir = tempfile::tempdir().unwrap();
    // A name run before the keyword (the match starts up to 20 bytes before it), blanks repeated
    // without bound between the operator and the value: the window of its keyword's line still
    // holds the match's start, and reaches past the blanks to its end.
    std::fs::write(
        dir.path().join(".leakguard.toml"),
        r#"
[[rules]]
id = "vault-sec"
description = "a vault secret assigned"
regex = '''[\w.-]{0,20}?vaultsec\s*=\s*"([a-z0-9]{24})"\s*;'''
keywords = ["vaultsec"]
lines = "many"
"#,
    )
    .unwrap();
    let values: Vec<String> = (0..3)
        .map(|_| fake.from_alphabet("abcdefghijklmnopqrstuvwxyz0123456789", 24))
        .collect();
    let mut text = String::new();
    let mut want = Vec::new();
    for (i, value) in values.iter().enumerate() {
        text += &filler(300);
        let blanks = [0, 40, 9_000][i];
        text += &format!("cfg.app_{i}.vaultsec =");
        text += &"\n".repeat(blanks);
        want.push((
            text.lines().count() as u64 + u64::from(blanks > 0),
            value.clone(),
        ));
        text += &format!(" \"{value}\";\n");
    }
    text += &filler(300);
    write(dir.path(), "src/settings.js", &text);
    let (report, rows) = scan_timed(dir.path());
    assert_eq!(secrets_of(&report, "vault-sec"), want, "{report}");
    let (windows, bytes) = windows_of(&rows, "vault-sec");
    assert_eq!(windows, 3);
    assert!(bytes < 9_000 + 3 * 1_024, "{bytes} bytes");
}
