//! Credentials whose name is split over the lines above the value (src/keypath.rs): a vendor as a
//! parent key, a Kubernetes `name:`/`value:` entry, a TOML section, a Terraform variable. Found at
//! the value's own line and column, by the vendor's rule, in every source (worktree, staged,
//! history, which share one blob path); placeholders and unrelated siblings under the vendor's key
//! stay quiet.

use crate::common::*;
use crate::gitrepo::{findings, Repo};

/// (file, text, line and column of the token) for one fake Twilio auth token in real config shapes.
fn configs(token: &str) -> Vec<(&'static str, String, u64, u64)> {
    vec![
        (
            "config/credentials.yml",
            format!("# Rails credentials\nproduction:\n  twilio:\n    account: main\n    auth_token: {token}\n"),
            5,
            17,
        ),
        (
            "k8s/deploy.yaml",
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: TWILIO_AUTH_TOKEN\n          value: \"{token}\"\n"
            ),
            10,
            19,
        ),
        (
            "appsettings.json",
            format!("{{\r\n  \"Twilio\": {{\r\n    \"AuthToken\": \"{token}\"\r\n  }}\r\n}}\r\n"),
            3,
            19,
        ),
        (
            "infra/vars.tf",
            format!("variable \"twilio_auth_token\" {{\n  type    = string\n  default = \"{token}\"\n}}\n"),
            3,
            14,
        ),
        ("settings.toml", format!("[twilio]\nauth_token = \"{token}\"\n"), 2, 15),
    ]
}

fn positions(v: &serde_json::Value) -> Vec<(String, String, u64, u64, String)> {
    sorted_finding_rows(v, |f| {
        let (path, rule) = (f.s("path"), f.s("rule_id"));
        (path, rule, f.n("line"), f.n("column"), f.s("fingerprint"))
    })
}

#[test]
fn split_names_are_found_at_the_value_in_every_source() {
    let token = Fake::new(1701).hex(32);
    let files = configs(&token);
    let r = Repo::new();
    for (path, text, _, _) in &files {
        r.write(path, text);
    }
    let mut expected: Vec<(String, String, u64, u64)> = files
        .iter()
        .map(|(p, _, l, c)| (p.to_string(), "twilio-auth-token".to_string(), *l, *c))
        .collect();
    expected.sort();
    let strip = |v: Vec<(String, String, u64, u64, String)>| -> Vec<(String, String, u64, u64)> {
        v.into_iter().map(|(p, r, l, c, _)| (p, r, l, c)).collect()
    };

    let scan = r.leakguard(&["scan", ".", "--no-ignore", "-f", "json"]);
    assert_eq!(scan.code, 1, "{}", scan.all());
    let worktree = positions(&scan.json());
    assert_eq!(strip(worktree.clone()), expected, "{}", scan.stdout);
    let secrets: Vec<_> = scan.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["secret"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !secrets.iter().any(|s| s.contains(&token)),
        "redacted by default"
    );

    r.add(&["."]);
    let staged = r.leakguard(&["staged", "-f", "json"]);
    assert_eq!(
        strip(positions(&staged.json())),
        expected,
        "{}",
        staged.stdout
    );

    r.commit_all("config");
    let history = r.leakguard(&["history", ".", "-f", "json"]);
    let hist = positions(&history.json());
    assert_eq!(strip(hist.clone()), expected, "{}", history.stdout);
    let fingerprints = |v: &[(String, String, u64, u64, String)]| -> Vec<String> {
        v.iter().map(|x| x.4.clone()).collect()
    };
    assert_eq!(
        fingerprints(&worktree),
        fingerprints(&hist),
        "one secret, one fingerprint, whatever the source"
    );
}

#[test]
fn placeholders_and_siblings_under_a_vendor_key_are_not_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let token = Fake::new(1702).hex(32);
    let files = vec![
        (
            "placeholders.yml",
            "production:\n  twilio:\n    auth_token: ${TWILIO_AUTH_TOKEN}\n    api_key: changeme\n    api_secret: <your-token>\n    account_sid: \"{{ twilio_sid }}\"\n"
                .to_string(),
            vec![],
        ),
        (
            "siblings.yml",
            format!(
                "twilio:\n  region: us-east-1\n  edge: ashburn-primary\n  callback_url: https://example.com/sms/callback\n  auth_token: {token}\n  timeout_ms: 1500000000\n"
            ),
            vec![5],
        ),
        (
            "dedent.yml",
            format!("twilio:\n  enabled: true\nnotifications:\n  digest_id: {token}\n"),
            vec![],
        ),
        (
            "k8s.yaml",
            "env:\n- name: TWILIO_AUTH_TOKEN\n  valueFrom:\n    secretKeyRef:\n      name: twilio\n      key: auth-token\n- name: TWILIO_REGION\n  value: us-east-1-ashburn\n"
                .to_string(),
            vec![],
        ),
        (
            "package.json",
            "{\n  \"name\": \"twilio-helper\",\n  \"twilio\": {\n    \"credentials\": [\n      \"dist/credentials/TwilioApi.credentials.js\"\n    ]\n  }\n}\n"
                .to_string(),
            vec![],
        ),
        (
            "openapi.yml",
            format!("components:\n  schemas:\n    TwilioAuth:\n      properties:\n        authToken:\n          example: '{token}'\n"),
            vec![],
        ),
    ];
    assert_reports_exactly(tmp.path(), &files);
}

/// (rule, path, line) of each finding of a scan of `dir`.
fn found_in(dir: &std::path::Path) -> Vec<(String, String, u64)> {
    let r = run_in(dir, &["scan", ".", "--no-ignore", "-f", "json"]);
    let mut out = findings(&r.json());
    out.sort();
    out
}

fn expect(rule: &str, files: &[(&str, String, Vec<u64>)]) -> Vec<(String, String, u64)> {
    let mut out: Vec<_> = files
        .iter()
        .flat_map(|(p, _, lines)| lines.iter().map(|l| (rule.to_string(), p.to_string(), *l)))
        .collect();
    out.sort();
    out
}

#[test]
fn code_is_walked_inside_the_literals_it_opens_and_the_calls_it_leaves_open() {
    let tmp = tempfile::tempdir().unwrap();
    let token = Fake::new(1703).hex(32);
    let files = vec![
        (
            "app/settings.py",
            format!("import os\nimport sys\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).parent\n\nSETTINGS = {{\n    \"debug\": False,\n    \"twilio\": {{\n        \"auth_token\": \"{token}\",\n    }},\n}}\n"),
            vec![10],
        ),
        (
            "config/index.js",
            format!("const path = require('path');\nconst fs = require('fs');\n\nmodule.exports = {{\n  root: path.join(__dirname, 'src'),\n  twilio: {{\n    authToken: '{token}',\n  }},\n}};\n"),
            vec![7],
        ),
        (
            "config/services.php",
            format!("<?php\n\nreturn [\n    'mailgun' => [\n        'domain' => env('MAILGUN_DOMAIN'),\n    ],\n    'twilio' => [\n        'token' => '{token}',\n    ],\n];\n"),
            vec![8],
        ),
        (
            "notify.py",
            format!("import os\nfrom twilio.rest import Client\n\nclient = TwilioClient(\n    account=os.environ['SID'],\n    auth_token=\"{token}\",\n)\n"),
            vec![6],
        ),
        (
            "sms.ts",
            format!("import twilio from 'twilio';\n\nexport const client = new Twilio({{\n  authToken: '{token}',\n}});\n"),
            vec![4],
        ),
    ];
    for (p, t, _) in &files {
        write(tmp.path(), p, t);
    }
    assert_eq!(found_in(tmp.path()), expect("twilio-auth-token", &files));
}

#[test]
fn one_line_shapes_no_rule_reads_as_an_assignment_are_viewed() {
    let tmp = tempfile::tempdir().unwrap();
    let token = Fake::new(1704).hex(32);
    let files = vec![
        ("Dockerfile", format!("FROM alpine:3.19\nENV TWILIO_AUTH_TOKEN {token}\n"), vec![2]),
        ("setup.cmd", format!("@echo off\nsetx TWILIO_AUTH_TOKEN \"{token}\"\n"), vec![2]),
        (
            "docs/setup.md",
            format!("# Setup\n\n| Name | Value |\n|------|-------|\n| `TWILIO_AUTH_TOKEN` | `{token}` |\n"),
            vec![5],
        ),
        (
            "infra/main.tf",
            format!("locals {{\n  twilio_auth_token = <<EOT\n{token}\nEOT\n}}\n"),
            vec![3],
        ),
    ];
    for (p, t, _) in &files {
        write(tmp.path(), p, t);
    }
    assert_eq!(found_in(tmp.path()), expect("twilio-auth-token", &files));
}

/// A Secret's password of random letters (no digit, mixed case) is a credential; an entry whose
/// base64 says a word (`Docsgpt`, `POSTGRES`, `redisCache`) is not. Before, any letters-only text of
/// up to 16 characters was taken for a word, and `password: <base64 of lrwZbqcabUGJmG>` was lost.
#[test]
fn a_kubernetes_secret_entry_of_random_letters_is_reported_and_of_a_word_is_not() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut f = Fake::new(1706);
    let letters = "abcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ";
    let (p1, p2) = (f.from_alphabet(letters, 14), f.from_alphabet(letters, 12));
    let tmp = tempfile::tempdir().unwrap();
    let manifest = |entries: &[(&str, String)]| {
        let body: String = entries
            .iter()
            .map(|(k, v)| format!("  {k}: {}\n", b64(v)))
            .collect();
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n{body}")
    };
    write(
        tmp.path(),
        "random.yaml",
        manifest(&[
            ("username", "administrator".into()),
            ("password", p1),
            ("db-password", p2),
        ]),
    );
    write(
        tmp.path(),
        "words.yaml",
        manifest(&[
            ("password", "Docsgpt".into()),
            ("db-password", "POSTGRES".into()),
            ("redis-auth", "redisCache".into()),
        ]),
    );
    let lines: Vec<(String, u64)> = found_in(tmp.path())
        .into_iter()
        .map(|(_, p, l)| (p, l))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("random.yaml".to_string(), 8),
            ("random.yaml".to_string(), 9)
        ]
    );
}

#[test]
fn every_credential_entry_of_a_kubernetes_secret_is_reported() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut f = Fake::new(1705);
    let (a, b, c) = (f.alnum(24), f.alnum(24), f.alnum(24));
    let token = f.hex(32);
    let tmp = tempfile::tempdir().unwrap();
    // `kubectl get -o yaml` order (data before kind), a comment above the first entry, entries whose
    // names only say `auth`, a ConfigMap after it in the same stream, a Secret holding a config file.
    let secret = format!(
        "apiVersion: v1\ndata:\n  # base64\n  username: {}\n  redis-auth: {}\n  region: {}\n  smtp-auth: {}\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  cache-key: {}\n",
        b64("admin"),
        b64(&a),
        b64("eu-west-1-zone-b"),
        b64(&b),
        b64(&c)
    );
    write(tmp.path(), "k8s/secret.yaml", &secret);
    let config = b64(&format!("twilio:\n  region: us1\n  auth_token: {token}\n"));
    write(
        tmp.path(),
        "k8s/config-secret.yaml",
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: cfg\ndata:\n  config.yaml: {config}\n"),
    );
    let found = found_in(tmp.path());
    let k8s = |line| {
        (
            "kubernetes-secret-manifest".to_string(),
            "k8s/secret.yaml".to_string(),
            line,
        )
    };
    assert_eq!(
        found,
        vec![
            k8s(5),
            k8s(7),
            (
                "twilio-auth-token".to_string(),
                "k8s/config-secret.yaml".to_string(),
                6
            ),
        ],
        "each credential entry at its own line; not the username, the region, nor the ConfigMap's"
    );
}

#[test]
fn code_and_line_shapes_invent_no_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let token = Fake::new(1706).hex(32);
    let files = vec![
        (
            "notebook.ipynb",
            "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"import openai\\n\",\n    \"openai.api_key = os.environ[\\\"OPENAI_API_KEY\\\"]\\n\",\n    \"print(\\\"key: sk-****************\\\")\"\n   ]\n  }\n ]\n}\n"
                .to_string(),
            vec![],
        ),
        (
            "docker-compose.yml",
            "services:\n  app:\n    environment:\n      - TWILIO_AUTH_TOKEN=${TWILIO_AUTH_TOKEN}\n      - \"TWILIO_REGION=${REGION:-us1}\"\n".to_string(),
            vec![],
        ),
        (
            "settings.py",
            "import os\n\nSETTINGS = {\n    \"twilio\": {\n        \"auth_token\": os.environ.get(\"TWILIO_AUTH_TOKEN\"),\n        \"token_name\": TWILIO_TOKEN_SETTING_NAME,\n        \"label\": \"Twilio auth token\",\n    },\n}\n\ndef f():\n    if x:\n        pass\n    else:\n        return 1\n".to_string(),
            vec![],
        ),
        (
            "config.js",
            "const x = require('x');\nmodule.exports = {\n  twilio: {\n    authToken: process.env.TWILIO_AUTH_TOKEN,\n    tokenHelp: 'see-the-twilio-console',\n  },\n};\n".to_string(),
            vec![],
        ),
        (
            "README.md",
            "| Variable | Description |\n|---|---|\n| `TWILIO_AUTH_TOKEN` | Your Twilio auth token |\n| TWILIO_AUTH_TOKEN | `${TWILIO_AUTH_TOKEN}` |\n".to_string(),
            vec![],
        ),
        (
            "Dockerfile",
            "FROM alpine:3.19\nARG TWILIO_AUTH_TOKEN\nENV TWILIO_AUTH_TOKEN ${TWILIO_AUTH_TOKEN}\nENV PATH /usr/local/bin:$PATH\n".to_string(),
            vec![],
        ),
        ("path.cmd", "setx PATH \"%PATH%;C:\\tools\\bin\"\nsetx TWILIO_AUTH_TOKEN %TOKEN%\n".to_string(), vec![]),
        (
            "spec/token.spec.js",
            format!("const token = new twilio.jwt.AccessToken(\n  accountSid,\n  keySid,\n  \"{}\",\n  {{ identity: 'x' }}\n);\n", Fake::new(1707).alnum(32)),
            vec![],
        ),
        (
            "notes.tf",
            format!("locals {{\n  twilio_auth_token = <<EOT\n{token}\nrotated yearly\nEOT\n}}\n"),
            vec![],
        ),
    ];
    assert_reports_exactly(tmp.path(), &files);
}
