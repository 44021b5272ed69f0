//! Stop 48's lead: false alarms 24 more real repositories showed (a reverse proxy's and an
//! authentication server's Kubernetes fixtures and Go code, a commerce platform's docs, a recipe
//! manager's settings, a self-hosted backend's `.env`, an identity server's schemas), each fixed for
//! its kind: base64 of a certificate or of an empty PEM stub under `tls.crt`/`tls.key`, a Go pointer
//! type (`*rsa.PrivateKey`) read as a value, a URL's `[:password]` slot, a rate limit (`1/m/user`)
//! under a password's name, a switch's state (`disabled`) in `.env`, a public key's bytes, a Basic
//! header encoding `client_id:client_secret` (now the weak tier's, at low), a schema's
//! `#/components/…` reference under `lookup_secret`, `POSTGRES_DB=postgres` read after a list's
//! password entry. Beside them, the same places with real-looking values stay reported: a private
//! key's PEM in base64, a real password in the URL, a random value where the rate limit or the
//! reference stood, a secret key's bytes.

use crate::common::*;

fn b64(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A PEM block of `label` around `body` (no `-----` literal in this file: the repository scans
/// itself clean).
fn pem(label: &str, body: &str) -> String {
    let d = "-".repeat(5);
    format!("{d}BEGIN {label}{d}\n{body}{d}END {label}{d}\n")
}

#[test]
fn public_pem_pointer_types_slots_rate_limits_and_flags_are_quiet() {
    let mut f = Fake::new(4801);
    let cert_body: String = f.base64_lines(6).iter().map(|l| format!("{l}\n")).collect();
    let private = ["PRIVATE", "KEY"].join(" ");
    let pub_bytes: Vec<String> = (0..32).map(|_| (f.next() % 256).to_string()).collect();
    let client = ["client_id", "client_secret"].join(":");
    assert_quiet(vec![
        (
            "pkg/provider/kubernetes/crd/fixtures/with_tls.yml",
            format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: supersecret\ndata:\n  tls.ca: {}\n  tls.crt: {}\n  tls.key: {}\n",
                b64(&pem("CERTIFICATE", &cert_body)),
                b64(&pem("CERTIFICATE", "")),
                b64(&pem(&private, "")),
            ),
        ),
        (
            "docs/ratelimit.md",
            // Cut short in the docs, as the page writes it: the BEGIN line alone.
            format!("data:\n  tls.crt: {}\n", b64(&format!("{}BEGIN CERTIFICATE{}", "-".repeat(5), "-".repeat(5)))),
        ),
        (
            "cmd/gen/cmd_docs_jsonschema.go",
            "\tcase \"rsa.PrivateKey\", \"*rsa.PrivateKey\":\n\tcase \"ecdsa.PrivateKey\", \"*.ecdsa.PrivateKey\":\n".to_string(),
        ),
        (
            "packages/core/types/src/common/config-module.ts",
            "   * postgres://[user][:password]@[host][:port]/[dbname]\n".to_string(),
        ),
        (
            "recipes/settings.py",
            "RATELIMIT = {\n    \"change_password\": \"1/m/user\",\n    \"reset_password\": \"1/m/ip,1/m/key\",\n    \"login_password\": \"5/300s\",\n}\n".to_string(),
        ),
        (".env", "_APP_VCS_GITHUB_PRIVATE_KEY=disabled\n_APP_AUTH_TOKEN=enabled\n".to_string()),
        (
            "api/apikey/service.go",
            "\tprefixedAPIKey := portainerAPIKeyPrefix + encodedRawAPIKey\n".to_string(),
        ),
        (
            ".schema/openapi/patches/selfservice.yaml",
            "      lookup_secret: \"#/components/schemas/updateSettingsFlowWithLookupMethod\"\n      password: \"#/definitions/selfServiceAfterDefaultLoginMethod\"\n".to_string(),
        ),

        (
            "internal/handlers/passkey_test.go",
            format!("\t\t\t\t\tPublicKey:       []byte{{{}}},\n", pub_bytes.join(", ")),
        ),
    ]);
    // A list of variables: the weak password is the weak tier's, and the setting after it no value.
    let files = vec![(
        "oryx/sqlcon/dockertest/test_helper.go".to_string(),
        format!(
            "\t\tdockertest.WithEnv([]string{{\"PGUSER=postgres\", \"POSTGRES_{}=secret\", \"POSTGRES_DB=postgres\"}}),\n",
            "PASSWORD"
        ),
    )];
    let v = scan_files_json(&files);
    let rows = finding_rows(&v, |x| (x.s("rule_id"), x.s("secret")));
    assert_eq!(
        rows,
        vec![(
            "weak-password-env-assignment".to_string(),
            "secret".to_string()
        )],
        "only the weak password: {rows:?}"
    );
    // The Basic pair that only names its two parts is read, at low, by the weak tier only.
    let files = vec![(
        "tests/test_token.py".to_string(),
        format!(
            "    headers = {{\"Authorization\": \"Basic {}\"}}\n",
            b64(&client)
        ),
    )];
    let v = scan_files_json(&files);
    let rows = finding_rows(&v, |x| (x.s("rule_id"), x.s("severity")));
    assert!(
        rows.iter().all(|(_, sev)| sev == "low"),
        "a Basic pair of two names is no high finding: {rows:?}"
    );
}

#[test]
fn the_same_places_with_real_looking_values_stay_reported() {
    let mut f = Fake::new(4802);
    let key_body: String = f.base64_lines(8).iter().map(|l| format!("{l}\n")).collect();
    let private = ["PRIVATE", "KEY"].join(" ");
    let cert_body: String = f.base64_lines(4).iter().map(|l| format!("{l}\n")).collect();
    // A bundle: a certificate, then its private key. The key makes the whole a secret.
    let bundle = format!(
        "{}{}",
        pem("CERTIFICATE", &cert_body),
        pem(&private, &key_body)
    );
    let url_pass = f.alnum(20);
    let limit = format!("7/{}/{}", f.alnum(4), f.alnum(12));
    let env_key = f.alnum(40);
    let lookup = f.alnum(32);
    let key_bytes: Vec<String> = (0..32).map(|_| (f.next() % 256).to_string()).collect();
    let client = format!("{}:{}", f.alnum(20), f.alnum(32));
    let files = vec![
        (
            "a/secret.yml".to_string(),
            format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  tls.key: {}\n  bundle.pem: {}\n",
                b64(&pem(&private, &key_body)),
                b64(&bundle)
            ),
        ),
        (
            "b/config.ts".to_string(),
            format!("const url = \"postgres://app:{url_pass}@db.acme.io:5432/app\";\n"),
        ),
        (
            "c/settings.py".to_string(),
            format!("RATELIMIT = {{\n    \"change_password\": \"{limit}\",\n}}\n"),
        ),
        ("d/.env".to_string(), format!("_APP_VCS_GITHUB_PRIVATE_KEY={env_key}\n")),
        (
            "g/selfservice.yaml".to_string(),
            format!("      lookup_secret: \"{lookup}\"\n"),
        ),
        (
            "e/crypto_test.go".to_string(),
            format!("\t\t\t\t\tPrivateKey:       []byte{{{}}},\n", key_bytes.join(", ")),
        ),
        (
            "f/test_token.py".to_string(),
            format!("    headers = {{\"Authorization\": \"Basic {}\"}}\n", b64(&client)),
        ),
    ];
    let v = scan_files_json(&files);
    let lines = finding_rows(&v, |x| (x.s("path"), x.n("line")));
    for (path, line) in [
        ("a/secret.yml", 6),
        ("a/secret.yml", 7),
        ("b/config.ts", 1),
        ("c/settings.py", 2),
        ("d/.env", 1),
        ("e/crypto_test.go", 1),
        ("f/test_token.py", 1),
        ("g/selfservice.yaml", 1),
    ] {
        assert!(
            lines.iter().any(|(p, l)| p == path && *l == line),
            "{path}:{line} unreported: {lines:?}"
        );
    }
}

/// Stop 48's third batch (an identity server, a backend in one file, a sign-in service, a
/// newsletter manager, a feed reader, a CI server): a Go context key's module path, translations of
/// "secret", "key" and "password" after a product's name, a localhost `proxyPass` under a password's
/// name, a package's constant and a React prop type under a key's name. The same places with a
/// random value, or a credential in the local URL, stay reported.
#[test]
fn module_paths_translations_local_urls_and_qualified_names_are_quiet() {
    assert_quiet(vec![
        (
            "object/kerberos.go",
            "const ctxCredentials = \"github.com/jcmturner/gokrb5/v8/ctxCredentials\"\n",
        ),
        (
            "i18n/fi.json",
            "    \"settings.security.captchaSecret\": \"hCaptcha.com-salaisuus\",\n",
        ),
        (
            "i18n/nl.json",
            "    \"settings.media.s3.secret\": \"AWS-toegangssleutelgeheim\",\n    \"settings.security.captchaSecret\": \"hCaptcha.com-geheim\",\n",
        ),
        ("i18n/sv.json", "    \"settings.bounces.sendgridKey\": \"SendGrid-nyckel\",\n"),
        ("locales/eo.json", "    \"git_password\": \"Git-pasvorto\",\n"),
        (
            "locales/de/data.json",
            "    \"WebAuthn credentials\": \"WebAuthn-Anmeldeinformationen\",\n",
        ),
        (
            "docs/nixos.md",
            "        locations.\"/\".proxyPass = \"http://localhost:3007\";\n",
        ),
        (
            "forge/bitbucket/convert_test.go",
            "\t\t\tEventKey: bitbucket.EventKeyPullRequestFrom,\n",
        ),
        (
            "src/components/examples.jsx",
            "  activeExamplesKey: PropTypes.string,\n  jumpToKey: PropTypes.string.isRequired,\n",
        ),
    ]);
    let mut f = Fake::new(4803);
    let (ctx, tr, pass, ev) = (f.alnum(32), f.alnum(24), f.alnum(20), f.alnum(28));
    let local = ["http://admin:", &pass, "@localhost:3007"].concat();
    let files = vec![
        (
            "a/kerberos.go".to_string(),
            format!("const ctxCredentials = \"{ctx}\"\n"),
        ),
        (
            "b/nl.json".to_string(),
            format!("    \"settings.media.s3.secret\": \"{tr}\",\n"),
        ),
        (
            "c/nixos.nix".to_string(),
            format!("        proxyPass = \"{local}\";\n"),
        ),
        (
            "d/convert_test.go".to_string(),
            format!("\t\t\tBitbucketKey: \"{ev}\",\n"),
        ),
    ];
    let v = scan_files_json(&files);
    let paths = finding_paths(&v);
    for path in [
        "a/kerberos.go",
        "b/nl.json",
        "c/nixos.nix",
        "d/convert_test.go",
    ] {
        assert!(
            paths.iter().any(|p| p == path),
            "{path} unreported: {paths:?}"
        );
    }
}

/// Stop 48's fourth batch (OAuth and OpenID libraries): the RFCs' own example tokens quoted in
/// docstrings (RFC 5849's signed request, RFC 6750's bearer token, RFC 7009's revocation) and a
/// Basic password that is a sentence saying what it stands for are quiet; a random token in the
/// same docstring, and a random password in the same call, are reported.
#[test]
fn rfc_example_tokens_and_sentence_passwords_are_quiet() {
    let rfc6750 = ["h480", "djs93hd8"].concat();
    let rfc5849 = ["kkk9d7dh", "3k39sjv7"].concat();
    let rfc7009 = ["45ghiukl", "djahdnhzdauz"].concat();
    assert_quiet(vec![
        (
            "authlib/oauth2/rfc6750/parameters.py",
            format!("    \"\"\"\n        access_token={rfc6750}\n    \"\"\"\n    token = \"{rfc6750}\"\n"),
        ),
        (
            "authlib/oauth1/rfc5849/signature.py",
            format!("        oauth_token=\"{rfc5849}\",\n"),
        ),
        (
            "authlib/oauth2/rfc7009/revocation.py",
            format!("        token={rfc7009}&token_type_hint=refresh_token\n"),
        ),
        (
            "test/client_auth/client_auth.test.js",
            "        .auth('client-basic', 'invalid secret')\n        .auth('an:identifier', 'some secure & non-standard secret')\n".to_string(),
        ),
    ]);
    let mut f = Fake::new(4804);
    let (token, pass) = (f.alnum(20), f.alnum(16));
    let files = vec![
        (
            "a/parameters.py".to_string(),
            format!("    token = \"{token}\"\n"),
        ),
        (
            "b/client_auth.test.js".to_string(),
            format!("        .auth('client-basic', '{pass}')\n"),
        ),
    ];
    let paths = finding_paths(&scan_files_json(&files));
    for path in ["a/parameters.py", "b/client_auth.test.js"] {
        assert!(
            paths.iter().any(|p| p == path),
            "{path} unreported: {paths:?}"
        );
    }
}
