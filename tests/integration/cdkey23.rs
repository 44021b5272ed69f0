//! Secrets whatever their strength (issue 17, stop 23, helper cdkey23, rules/cdkey23.toml): a
//! signing, session, cookie, client or consumer secret set to a literal that does not look random
//! (a word, a repeated word, a keyboard-typed string) is reported at severity `low` by
//! `weak-secret-assignment` (code: a quoted literal) and `weak-secret-config-value` (a config
//! file's unquoted value), in every language's and format's assignment shape. Near misses stay
//! quiet: references and templates, another secret's name (`imagePullSecret`, `existingSecret`,
//! a Kubernetes object's name, a compose `secrets:` entry's `source`), the name again
//! (`appsecret`), placeholders, a route's `:secret` slot, API action maps (`RotateSecret`), a
//! concatenated literal, documentation pages.

use crate::common::*;

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const WEAK_SECRET_RULES: [&str; 2] = ["weak-secret-assignment", "weak-secret-config-value"];

/// (path, content, value): each value must be reported once, by a weak-secret rule at low.
fn positives(f: &mut Fake) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    // Made-up values as tests and sample configs write them: letters alone, short of the generic
    // rules' length and entropy (12 characters at 3.5 bits), and one word repeated.
    let shapes: [(&str, &str); 17] = [
        ("app/settings.py", "JWT_SECRET = \"{v}\"\n"),
        (
            "tests/test_oauth.py",
            "session = OAuth2Session(client_id=\"abc\", client_secret=\"{v}\")\n",
        ),
        (
            "test/auth.test.js",
            "const app = feathers().configure(auth({\n  secret: '{v}',\n}));\n",
        ),
        ("src/server.ts", "const SESSION_SECRET: string = \"{v}\";\n"),
        ("internal/proxy_test.go", "opts.CookieSecret = \"{v}\"\n"),
        (
            "internal/config_test.go",
            "cfg := Config{\n\tClientSecret: \"{v}\",\n}\n",
        ),
        (
            "spec/rcfile_spec.rb",
            "profile = { 'consumer_key' => 'abc', 'consumer_secret' => '{v}' }\n",
        ),
        (
            "spec/client_spec.rb",
            "client = Client.new(token: 'abc', token_secret: '{v}')\n",
        ),
        ("config/app.php", "<?php\nreturn ['app_secret' => '{v}'];\n"),
        (
            "src/test/java/JwtTest.java",
            "private static final String JWT_SECRET = \"{v}\";\n",
        ),
        ("tests/OAuthTests.cs", "options.ClientSecret = \"{v}\";\n"),
        (
            "test/fixtures/roles.sql",
            "ALTER ROLE authenticator SET pgrst.jwt_secret = '{v}';\n",
        ),
        ("test/io/server.config", "jwt-secret = \"{v}\"\n"),
        ("config/secrets.yml", "test:\n  secret_key_base: {v}\n"),
        (
            "deploy/docker-compose.yml",
            "services:\n  api:\n    environment:\n      - API_JWT_SECRET={v}\n",
        ),
        (
            "src/main/resources/application.properties",
            "security.oauth2.client.client-secret={v}\n",
        ),
        ("config/server.toml", "[session]\ncookie_secret = \"{v}\"\n"),
    ];
    for (i, (path, template)) in shapes.iter().enumerate() {
        let v = if i % 4 == 3 {
            // One word typed again and again (`reallyreally…`): under the entropy floor whatever
            // its length.
            f.from_alphabet(LOWER, 6).repeat(4)
        } else {
            f.from_alphabet(LOWER, 8 + i % 4)
        };
        out.push((path.to_string(), template.replace("{v}", &v), v));
    }
    out
}

/// (path, content): nothing may be reported.
fn negatives(f: &mut Fake) -> Vec<(String, String)> {
    let v = f.from_alphabet(LOWER, 9);
    let files: Vec<(&str, String)> = vec![
        ("n/env.py", "JWT_SECRET = os.getenv(\"JWT_SECRET\")\n".into()),
        ("n/tpl.yml", "jwt_secret: ${JWT_SECRET}\n".into()),
        ("n/helm.yml", "auth:\n  existingSecret: release-auth\n".into()),
        ("n/pull.yml", "imagePullSecret: regcred\n".into()),
        ("n/k8s.yml", "secret: ceph-secret-admin\n".into()),
        ("n/name.go", "const secretName = \"tls-cert\"\n".into()),
        (
            "n/compose.yml",
            "services:\n  app:\n    build:\n      secrets:\n        - source: envsecret\n          target: build_secret\n".into(),
        ),
        ("n/same.cs", "public const string AppSecret = \"appsecret\";\n".into()),
        ("n/ph.py", "client_secret = \"your_client_secret\"\n".into()),
        ("n/ph2.js", "const secret = 'changeme';\n".into()),
        ("n/ph3.yml", "client_secret: xxxxxxxxxxxx\n".into()),
        ("n/ph4.rb", "secret = 'replacethiswithasecret'\n".into()),
        (
            "n/route.rb",
            "url = web_requests_path(agent_id: ':id', secret: ':secret')\n".into(),
        ),
        (
            "n/policies.json",
            "{\n  \"RotateSecret\": \"secretsmanager:RotateSecret\"\n}\n".into(),
        ),
        ("n/type.ts", "secret: 'SecretKey',\n".into()),
        ("n/concat.py", format!("client_secret = \"{v}\" + suffix\n")),
        ("n/wrong.go", format!("wrongSecret := \"{v}\"\n")),
        ("n/ci.yml", "password_secret: GHCR_PAT\n".into()),
        ("n/bool.yml", "secret: true\n".into()),
        ("n/.env.example", "SESSION_SECRET=kestrelsong\n".into()),
        (
            "n/README.md",
            format!("Set the secret:\n\n    JWT_SECRET = \"{v}\"\n"),
        ),
    ];
    files.into_iter().map(|(p, c)| (p.to_string(), c)).collect()
}

#[test]
fn weak_secrets_under_a_secrets_name_are_reported_low_in_every_language() {
    let mut f = Fake::new(0x5ec2_e7a3);
    let pos = positives(&mut f);
    let neg = negatives(&mut f);
    let dir = tempfile::tempdir().unwrap();
    for (p, c, _) in &pos {
        write(dir.path(), p, c);
    }
    for (p, c) in &neg {
        write(dir.path(), p, c);
    }
    let report = scan_dir_json(dir.path(), &[]);
    let findings = report["findings"].as_array().unwrap();
    let mut missed = Vec::new();
    for (path, _, value) in &pos {
        let hits: Vec<_> = findings
            .iter()
            .filter(|x| x["path"].as_str() == Some(path))
            .collect();
        match hits.as_slice() {
            [x] if x["secret"].as_str() == Some(value) => {
                let rule = x["rule_id"].as_str().unwrap();
                assert!(WEAK_SECRET_RULES.contains(&rule), "{path}: got {rule}");
                assert_eq!(x["severity"], "low", "{path}: {x}");
                assert!(
                    x["tags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| t == "weak-password"),
                    "{path}: the weak tier's tag: {x}"
                );
            }
            _ => missed.push(format!("{path}: {hits:?}")),
        }
    }
    assert!(
        missed.is_empty(),
        "weak secrets missed or doubled: {missed:#?}"
    );
    let noisy: Vec<String> = findings
        .iter()
        .filter(|x| x["path"].as_str().is_some_and(|p| p.starts_with("n/")))
        .map(|x| format!("{} {} {}", x["path"], x["rule_id"], x["line"]))
        .collect();
    assert!(noisy.is_empty(), "reported in negative files: {noisy:?}");
}

#[test]
fn a_random_secret_keeps_its_own_rule_and_severity() {
    let mut f = Fake::new(0x0dd5_eed5);
    let strong = f.alnum(32);
    crate::weak_passwords::assert_strong_value_keeps_its_rule(
        "app/config.py",
        format!("JWT_SECRET = \"{strong}\"\n"),
        &strong,
        &WEAK_SECRET_RULES,
    );
}
