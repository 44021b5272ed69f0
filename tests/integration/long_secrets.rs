//! Secrets longer than the stretch of a line a rule's regex is first run on (1 KB past its keyword):
//! AWS session tokens, kubeconfig keys, long JWTs, one-line JSON service-account keys. Each must be
//! reported whole — its fingerprint, baseline entry and remediation text depend on it — at the right
//! line and columns. Every value is generated here, at run time, in the real format (never a real one).

use crate::common::{run_in, write, Fake};
use base64::Engine as _;

const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A fake STS session token of `len` characters, with the prefix real ones start with.
fn session_token(fake: &mut Fake, len: usize) -> String {
    let prefix = concat!("IQoJb3JpZ2lu", "X2Vj");
    format!("{prefix}{}", fake.from_alphabet(B64, len - prefix.len()))
}

/// A fake signed JWT (HS256 header) whose payload carries `claim_len` random characters.
fn long_jwt(fake: &mut Fake, claim_len: usize) -> String {
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let header = enc(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = enc(&format!(
        r#"{{"sub":"svc-{}","roles":"{}","iat":1732350000}}"#,
        fake.alnum(10),
        fake.alnum(claim_len)
    ));
    format!("{header}.{payload}.{}", fake.from_alphabet(B64URL, 43))
}

/// The base64 body of a fake PEM key: `lines` lines of 64 characters.
fn pem_body(fake: &mut Fake, lines: usize) -> Vec<String> {
    (0..lines).map(|_| fake.from_alphabet(B64, 64)).collect()
}

struct Found {
    rule: String,
    secret: String,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
}

fn scan(dir: &std::path::Path) -> Vec<(String, Found)> {
    let r = run_in(dir, &["scan", "--format", "json", "--show-secrets"]);
    assert_eq!(r.code, 1, "{}", r.all());
    r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                Found {
                    rule: f["rule_id"].as_str().unwrap().to_string(),
                    secret: f["secret"].as_str().unwrap().to_string(),
                    line: f["line"].as_u64().unwrap(),
                    column: f["column"].as_u64().unwrap(),
                    end_line: f["end_line"].as_u64().unwrap(),
                    end_column: f["end_column"].as_u64().unwrap(),
                },
            )
        })
        .collect()
}

/// The one finding at `path`, which must be of `rule`.
fn only<'a>(found: &'a [(String, Found)], path: &str, rule: &str) -> &'a Found {
    let at: Vec<&Found> = found
        .iter()
        .filter(|(p, _)| p == path)
        .map(|(_, f)| f)
        .collect();
    let rules: Vec<&str> = at.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, vec![rule], "findings at {path}");
    at[0]
}

/// `secret` reported whole, on one line, from 1-based byte `column`.
fn assert_whole(f: &Found, secret: &str, line: u64, column: u64) {
    assert_eq!(
        f.secret.len(),
        secret.len(),
        "reported {} of {} characters",
        f.secret.len(),
        secret.len()
    );
    assert!(f.secret == secret, "the reported secret is not the value");
    assert_eq!(
        (f.line, f.column, f.end_line, f.end_column),
        (line, column, line, column + secret.len() as u64)
    );
}

#[test]
fn aws_session_tokens_of_1_5_and_5_kb_are_reported_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(41);
    let short = session_token(&mut fake, 1_500);
    let long = session_token(&mut fake, 5_000);
    write(
        dir.path(),
        "deploy/sts-1.ini",
        format!("[ci]\naws_session_token = {short}\nregion = eu-west-1\n"),
    );
    write(
        dir.path(),
        "deploy/sts-2.sh",
        format!("#!/bin/sh\n\nexport AWS_SESSION_TOKEN=\"{long}\"\n"),
    );
    let found = scan(dir.path());
    assert_whole(
        only(&found, "deploy/sts-1.ini", "aws-session-token"),
        &short,
        2,
        21,
    );
    assert_whole(
        only(&found, "deploy/sts-2.sh", "aws-session-token"),
        &long,
        3,
        27,
    );
}

#[test]
fn a_3_kb_jwt_is_reported_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(42);
    let jwt = long_jwt(&mut fake, 2_200);
    assert!(jwt.len() > 3_000, "{}", jwt.len());
    write(
        dir.path(),
        "web/api.js",
        format!("// service account\nconst token = \"{jwt}\";\nfetch(url, {{ token }});\n"),
    );
    let found = scan(dir.path());
    assert_whole(only(&found, "web/api.js", "jwt"), &jwt, 2, 16);
}

#[test]
fn a_kubeconfig_client_key_is_reported_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(43);
    let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
    let pem = |kind: &str, body: Vec<String>| {
        format!(
            "-----{} {kind}-----\n{}\n-----{} {kind}-----\n",
            "BEGIN",
            body.join("\n"),
            "END"
        )
    };
    let cert = b64(pem("CERTIFICATE", pem_body(&mut fake, 18)));
    let key = b64(pem(
        &format!("RSA {}", "PRIVATE KEY"),
        pem_body(&mut fake, 25),
    ));
    assert!(key.len() > 2_000, "{}", key.len());
    let config = format!(
        "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\n"
    );
    write(dir.path(), "ops/kubeconfig.yaml", config);
    let found = scan(dir.path());
    assert_whole(
        only(&found, "ops/kubeconfig.yaml", "kubeconfig-client-key"),
        &key,
        7,
        22,
    );
}

#[test]
fn a_one_line_service_account_key_of_4096_bits_is_reported_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(44);
    let body = pem_body(&mut fake, 52).join("\\n");
    let before = format!(
        r#"{{"type": "service_account", "project_id": "billing-prod", "private_key_id": "{}", "private_key": "-----{} PRIVATE KEY-----\n"#,
        fake.hex(40),
        "BEGIN"
    );
    let json = format!(
        r#"{before}{body}\n-----{} PRIVATE KEY-----\n", "client_email": "exporter@billing-prod.iam.gserviceaccount.com"}}"#,
        "END"
    );
    write(dir.path(), "keys/sa.json", format!("{json}\n"));
    let found = scan(dir.path());
    let f = found
        .iter()
        .find(|(p, f)| p == "keys/sa.json" && f.rule == "gcp-service-account-key")
        .map(|(_, f)| f)
        .expect("the service-account rule reports the key");
    assert_whole(f, &body, 1, before.len() as u64 + 1);
    for (_, other) in found.iter().filter(|(p, _)| p == "keys/sa.json") {
        assert!(
            other.secret.len() >= body.len(),
            "{} reports a cut key",
            other.rule
        );
    }
}

#[test]
fn a_long_token_far_into_a_minified_line_keeps_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(45);
    let token = session_token(&mut fake, 2_400);
    let code: String = (0..300).map(|i| format!("a{i}=b.c(d,{i});")).collect();
    let head = format!("{code}var sessionToken=\"");
    write(
        dir.path(),
        "dist/app.min.js",
        format!("{head}{token}\";{code}\n"),
    );
    let found = scan(dir.path());
    assert_whole(
        only(&found, "dist/app.min.js", "aws-session-token"),
        &token,
        1,
        head.len() as u64 + 1,
    );
}

#[test]
fn a_baseline_does_not_accept_a_token_that_differs_past_the_first_kilobyte() {
    // The fingerprint hashes the secret: were the token cut, a new token sharing the old one's head
    // would pass as the baselined one.
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(46);
    let old = session_token(&mut fake, 1_800);
    write(dir.path(), "ci.cfg", format!("aws_session_token = {old}\n"));
    let r = run_in(dir.path(), &["baseline", "create"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let r = run_in(
        dir.path(),
        &["scan", ".", "--baseline", ".leakguard-baseline.json"],
    );
    assert_eq!(r.code, 0, "the baselined token is accepted: {}", r.all());
    let new = format!("{}{}", &old[..1_400], fake.from_alphabet(B64, 400));
    write(dir.path(), "ci.cfg", format!("aws_session_token = {new}\n"));
    let r = run_in(
        dir.path(),
        &["scan", ".", "--baseline", ".leakguard-baseline.json"],
    );
    assert_eq!(r.code, 1, "a new token is reported: {}", r.all());
}
