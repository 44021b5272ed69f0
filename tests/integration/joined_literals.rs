//! Secrets split into string literals over lines, and shell lines continued with `\`
//! (src/joinlit.rs): found whole, by the vendor's rule, at the first piece's line and column, with
//! one fingerprint in every source (worktree, staged, history); pieces the program does not join
//! into one value (a name between them, a format string, SQL and messages built over lines) stay
//! quiet.

use crate::common::*;
use crate::gitrepo::Repo;

/// (path, text, rule, line, column, the whole secret) of each split shape.
fn split_files(f: &mut Fake) -> Vec<(&'static str, String, &'static str, u64, u64, String)> {
    let openai = f.openai_project();
    let (o1, o2) = openai.split_at(64);
    let twilio = f.hex(32);
    let (t1, t2) = twilio.split_at(16);
    let github = f.github_pat();
    let (g1, g2) = github.split_at(20);
    let flag = f.alnum(40);
    let stripe = format!("sk_{}_{}", "live", f.alnum(99));
    let (s1, s2) = stripe.split_at(40);
    // A value on the line below its name: a Go and a Java constant, a shell `export X=\`.
    let session = f.alnum(48);
    let java = format!("fw_{}", f.alnum(24));
    let fireworks = format!("fw_{}", f.alnum(24));
    // Split on one line, to pass a scanner by: Python's `+`, JS's `+`, PHP's `.`.
    let inline_gh = f.github_pat();
    let inline_py = format!(
        "GITHUB_TOKEN = \"{}\" + \"{}\" + \"{}\"\n",
        &inline_gh[..4],
        &inline_gh[4..22],
        &inline_gh[22..]
    );
    let slack = f.slack_bot();
    let inline_js = format!("const slack = '{}' + '{}';\n", &slack[..20], &slack[20..]);
    let inline_stripe = format!("sk_{}_{}", "live", f.alnum(99));
    let inline_php = format!(
        "<?php\n$key = '{}' . '{}';\n",
        &inline_stripe[..30],
        &inline_stripe[30..]
    );
    // The column of the first piece's first byte on its line.
    let column = |text: &str, line: &str| -> u64 {
        let l = text.lines().find(|l| l.contains(line)).unwrap();
        (l.find(line).unwrap() + 1) as u64
    };
    let mut files = vec![
        (
            "tools/release.py",
            inline_py.clone(),
            "github-pat",
            1,
            column(&inline_py, &inline_gh[..4]),
            inline_gh.clone(),
        ),
        (
            "web/notify.js",
            inline_js.clone(),
            "slack-bot-token",
            1,
            column(&inline_js, &slack[..20]),
            slack.clone(),
        ),
        (
            "billing/keys.php",
            inline_php.clone(),
            "stripe-live-secret-key",
            2,
            column(&inline_php, &inline_stripe[..30]),
            inline_stripe.clone(),
        ),
    ];
    files.extend(vec![
        (
            "internal/config/keys.go",
            format!("package config\n\nconst sessionSecret =\n\t\"{session}\"\n"),
            "session-secret-assignment",
            4,
            3,
            session.clone(),
        ),
        (
            "src/main/java/Keys.java",
            format!("class Keys {{\n    static final String FIREWORKS_API_KEY =\n        \"{java}\";\n}}\n"),
            "fireworks-api-key",
            3,
            10,
            java.clone(),
        ),
        (
            "deploy/fireworks.sh",
            format!("#!/bin/sh\nexport FIREWORKS_API_KEY=\\\n  \"{fireworks}\"\n"),
            "fireworks-api-key",
            3,
            4,
            fireworks.clone(),
        ),
        (
            "src/client.js",
            format!("const client = new OpenAI({{\n  apiKey: '{o1}' +\n    '{o2}',\n}});\n"),
            "openai-project-key",
            2,
            12,
            openai.clone(),
        ),
        (
            "app/settings.py",
            format!("TWILIO_AUTH_TOKEN = (\n    \"{t1}\"\n    \"{t2}\"\n)\n"),
            "twilio-auth-token",
            2,
            6,
            twilio.clone(),
        ),
        (
            "deploy/env.sh",
            format!("#!/bin/sh\nexport GITHUB_TOKEN=\"{g1}\\\n{g2}\"\n"),
            "github-pat",
            2,
            22,
            github.clone(),
        ),
        (
            "deploy/push.sh",
            format!("curl -s https://api.example.com/v1/deploy \\\n  --api-token \\\n  {flag}\n"),
            "cli-flag-secret",
            3,
            3,
            flag.clone(),
        ),
        (
            "src/main/java/Billing.java",
            format!(
                "class Billing {{\n    static final String KEY = \"{s1}\"\n        + \"{s2}\";\n}}\n"
            ),
            "stripe-live-secret-key",
            2,
            32,
            stripe.clone(),
        ),
    ]);
    files
}

fn positions(v: &serde_json::Value) -> Vec<(String, String, u64, u64, String, String)> {
    sorted_finding_rows(v, |f| {
        let (path, rule) = (f.s("path"), f.s("rule_id"));
        (
            path,
            rule,
            f.n("line"),
            f.n("column"),
            f.s("secret"),
            f.s("fingerprint"),
        )
    })
}

#[test]
fn a_secret_split_into_literals_is_found_whole_at_its_first_piece_in_every_source() {
    let files = split_files(&mut Fake::new(0x6a6f696e));
    let r = Repo::new();
    for (path, text, ..) in &files {
        r.write(path, text);
    }
    let mut expected: Vec<_> = files
        .iter()
        .map(|(p, _, rule, l, c, s)| (p.to_string(), rule.to_string(), *l, *c, s.clone()))
        .collect();
    expected.sort();
    let strip = |v: &[(String, String, u64, u64, String, String)]| -> Vec<_> {
        v.iter()
            .map(|(p, r, l, c, s, _)| (p.clone(), r.clone(), *l, *c, s.clone()))
            .collect::<Vec<_>>()
    };

    let scan = r.leakguard(&["scan", ".", "--no-ignore", "-f", "json", "--show-secrets"]);
    assert_eq!(scan.code, 1, "{}", scan.all());
    let worktree = positions(&scan.json());
    assert_eq!(strip(&worktree), expected, "{}", scan.stdout);
    // The finding says how the secret stands in the file: joined from literals.
    for f in scan.json()["findings"].as_array().unwrap() {
        assert_eq!(f["decoded"][0], "joined-literals", "{f}");
    }
    let redacted = r.leakguard(&["scan", ".", "--no-ignore", "-f", "json"]);
    for (.., secret) in &expected {
        assert!(
            !redacted.stdout.contains(secret.as_str()),
            "redacted by default"
        );
        assert!(!redacted.stdout.contains(&secret[..16]), "its pieces too");
    }

    r.add(&["."]);
    let staged = r.leakguard(&["staged", "-f", "json", "--show-secrets"]);
    assert_eq!(
        strip(&positions(&staged.json())),
        expected,
        "{}",
        staged.stdout
    );

    r.commit_all("split secrets");
    let history = r.leakguard(&["history", ".", "-f", "json", "--show-secrets"]);
    let hist = positions(&history.json());
    assert_eq!(strip(&hist), expected, "{}", history.stdout);
    let fingerprints = |v: &[(String, String, u64, u64, String, String)]| -> Vec<String> {
        v.iter().map(|x| x.5.clone()).collect()
    };
    assert_eq!(
        fingerprints(&worktree),
        fingerprints(&hist),
        "one secret, one fingerprint, whatever the source"
    );
}

#[test]
fn pieces_the_program_does_not_join_into_one_value_are_not_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut f = Fake::new(0x6e6f6a6f);
    let half = f.alnum(24);
    let tail = f.alnum(36);
    let files = [
        // A name between the pieces: what it holds is not in the file.
        ("a/Prefix.java", format!("String key = \"sk-\" + name +\n    \"-{half}\";\n")),
        // On one line: a name between the pieces, arguments side by side, a comparison.
        // Each would be a token of the real format if it were joined.
        ("a/inline.js", format!("const token = 'ghp_' + userSuffix + '{tail}';\n")),
        ("a/inline.sh", format!("echo \"ghp_\" \"{tail}\"\n")),
        ("a/inline.py", format!("ok = token == \"ghp_\" and rest == \"{tail}\"\n")),
        ("a/prefix.js", format!("const token = 'ghp_' +\n  userSuffix +\n  '{half}';\n")),
        // A format string and its arguments.
        (
            "a/log.py",
            "log.info(\"rotated api key %s for account %s \"\n         \"at %s\", key_id, account, when)\n"
                .to_string(),
        ),
        // SQL and messages built over lines.
        (
            "a/Query.java",
            "String q = \"SELECT api_key, secret_token FROM credentials \" +\n    \"WHERE account_id = ? AND token_hash = ?\";\n"
                .to_string(),
        ),
        (
            "a/messages.py",
            "API_KEY_HELP = (\n    \"Your API key was rotated. \"\n    \"Copy the new key from the dashboard.\"\n)\n"
                .to_string(),
        ),
        (
            "a/usage.go",
            "const usage = \"usage: tool --api-token TOKEN \" +\n\t\"[--verbose] [--region REGION]\"\n"
                .to_string(),
        ),
        // A call's first argument on the line below the call, and a value with code after it.
        (
            "a/client.go",
            format!("client := NewClient(\n\t\"{}\",\n\topts)\n", f.hex(32)),
        ),
        (
            "a/Keys.java",
            format!("String apiKey =\n    \"{}\" + suffix;\n", f.hex(16)),
        ),
        // A list of values is no concatenation.
        (
            "a/keys.py",
            format!("ALLOWED_KEYS = [\n    \"{}\",\n    \"{}\",\n]\n", f.hex(16), f.hex(16)),
        ),
        // A command continued over lines with no value on them.
        (
            "a/run.sh",
            "docker run --rm \\\n  -e API_KEY \\\n  -e GITHUB_TOKEN \\\n  ghcr.io/acme/app:latest\n"
                .to_string(),
        ),
    ];
    for (path, text) in &files {
        write(d, path, text);
    }
    let r = run_in(
        d,
        &["scan", ".", "--no-ignore", "-f", "json", "--show-secrets"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
}
