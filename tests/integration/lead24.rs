//! Secrets found lost by a stop-24 look at real repositories built to hold them (OWASP WrongSecrets,
//! Terraform goat, juice-shop, WebGoat) beside gitleaks, betterleaks and kingfisher: what Vault prints
//! when it is initialised or logged into (rules/lead24.toml), weak passwords with a counting run in
//! them (`Aa12345678`), passwords holding a non-ASCII symbol, and passwords under a `DEFAULT_` name.
//! Each beside near misses of the same shape.

use crate::common::*;

#[test]
fn what_vault_prints_at_init_and_login_is_found_and_its_stand_ins_are_not() {
    let mut f = Fake::new(2401);
    let share = f.from_alphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        44,
    );
    let share2 = f.from_alphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        44,
    );
    let hex = f.hex(66);
    let [t1, t2, t3, t4] = [0; 4].map(|_| format!("s.{}", f.alnum(24)));
    let (acc1, acc2) = (f.alnum(24), f.alnum(24));
    let hvs = format!("hvs.{}", f.alnum(90));
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "docs/init.md",
            format!(
                "```\nUnseal Key 1: {share}\nUnseal Key 2: {share2}\n\nInitial Root Token: {t1}\n```\n\nUnseal Key 1: <unseal-key-1>\n"
            ),
            vec![2, 3, 5],
        ),
        (
            "runbook/login.txt",
            format!(
                "$ vault login {}\nKey                  Value\n---                  -----\ntoken                {}\ntoken_accessor       {acc1}\ntoken_duration       ∞\n$ vault login $VAULT_TOKEN\n",
                t2, t3
            ),
            vec![1, 4],
        ),
        (
            "ci/init.json",
            format!(
                "{{\n  \"unseal_keys_b64\": [\n    \"{share}\"\n  ],\n  \"unseal_keys_hex\": [\"{hex}\"],\n  \"root_token\": \"{hvs}\"\n}}\n"
            ),
            vec![3, 5, 6],
        ),
        (
            "app/auth.json",
            format!(
                "{{\"auth\": {{\"client_token\": \"{t4}\", \"accessor\": \"{acc2}\"}}}}\n{{\"auth\": {{\"client_token\": \"s.xxxxxxxxxxxxxxxxxxxxxxxx\"}}}}\n"
            ),
            vec![1],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

#[test]
fn weak_and_symbol_passwords_are_found_and_fillers_and_translations_are_not() {
    // Put together at run time, so that this file does not hold the passwords it tests
    // (the repository scans itself clean).
    let (aa, goat) = (["Aa", "12345678"].concat(), ["web", "goat7"].concat());
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "terraform/sql.tf",
            format!("resource \"azurerm_sql_server\" \"db\" {{\n  administrator_login          = \"ariel\"\n  administrator_login_password = \"{aa}\"\n}}\n"),
            vec![3],
        ),
        (
            "config/app.properties",
            "db.password=admin123456\ncache.password=123456\nmq.password=1234567\n".to_string(),
            vec![1],
        ),
        (
            "data/users.yml",
            "users:\n  - email: ops@acme.io\n    password: 'q7Rw$*9VFYE\u{a7}59-!Fg1L6t&6lB'\n  - email: lbl@acme.io\n    password: 'Contrase\u{f1}a'\n  - email: x@acme.io\n    password: 'Mot de passe oubli\u{e9} 2'\n"
                .to_string(),
            vec![3],
        ),
        (
            "src/Users.java",
            format!("class Users {{\n  private static final String DEFAULT_PASSWORD = \"{goat}\";\n  private static final String DEFAULT_PASSWORD_FIELD = \"password\";\n}}\n"),
            vec![2],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
}

#[test]
fn an_aws_configure_transcript_gives_its_secret_key_to_the_aws_rule() {
    let mut f = Fake::new(2403);
    let id = f.aws_key_id();
    let secret = format!("{}/{}+{}", f.alnum(20), f.alnum(10), f.alnum(8));
    let other = format!("{}/{}+{}", f.alnum(20), f.alnum(10), f.alnum(8));
    let files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "docs/walkthrough.md",
            format!(
                "```\n$ aws configure --profile lab\nAWS Access Key ID [None]: {id}\nAWS Secret Access Key [None]: {secret}\nDefault region name [None]: us-east-1\n```\n\nAWS Secret Access Key [None]: <your secret access key>\n"
            ),
            vec![3, 4],
        ),
        ("notes/keys.txt", format!("Secret access key: {other}\n"), vec![1]),
    ];
    let tmp = tempfile::tempdir().unwrap();
    assert_reports_exactly(tmp.path(), &files);
    // The secret is the AWS rule's, not a generic rule's.
    let v = scan_dir_json(tmp.path(), &[]);
    let rules = rule_lines(&v);
    assert!(
        rules.contains(&("aws-secret-access-key".to_string(), 4)),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("aws-secret-access-key".to_string(), 1)),
        "{rules:?}"
    );
}
