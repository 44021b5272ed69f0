//! Credentials whose name is split over the lines above the value (src/keypath.rs): a vendor as a
//! parent key, a Kubernetes `name:`/`value:` entry, a TOML section, a Terraform variable. Found at
//! the value's own line and column, by the vendor's rule, in every source (worktree, staged,
//! history, which share one blob path); placeholders and unrelated siblings under the vendor's key
//! stay quiet.

use crate::common::*;
use crate::gitrepo::Repo;

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
    let mut out: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["fingerprint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
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
