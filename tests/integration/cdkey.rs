//! Keys, secrets, tokens and auth values in shapes CredData's labeled lines showed no rule reading
//! (bench/coverage_cd.py, issue 17, helper cdkey): a value continued by a shell `\`, standard base64
//! that begins with `/`, key names with an acronym (`HMACKey`) and ASP.NET's `decryptionKey`, key
//! flags named for their use (`--signing-key`), setters named for a key and key material decoded in
//! the call (`setCipherKey(Base64.decode("…"))`), unquoted keys of letters alone under a key's name.
//! Each shape in the files it occurs in, beside look-alikes that are not credentials (variables,
//! placeholders, paths, key files, identifiers). Values are fresh fakes of the shape.

use crate::common::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Standard base64 of `n` random bytes (n not a multiple of 3, so it ends in `=`) that begins with
/// `/`, as one key in 64 does.
fn slash_base64(f: &mut Fake, n: usize) -> String {
    let body = f.from_alphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        n * 4 / 3,
    );
    format!("/{}=", &body[1..])
}

#[test]
fn values_continued_by_a_shell_backslash_are_read() {
    let mut f = Fake::new(1901);
    let d = tempfile::tempdir().unwrap();
    let (s1, s2, s3, s4, s5) = (
        f.alnum(32),
        f.alnum(40),
        f.alnum(32),
        f.hex(40),
        f.alnum(36),
    );
    let files = vec![
        (
            "scripts/run-local.sh",
            format!(
                "docker run --rm \\\n\
                 \x20 -e WEBHOOK_SIGNING_SECRET={s1} \\\n\
                 \x20 -e SECRET_KEY={s2} \\\n\
                 \x20 -e MAPS_LICENSE_KEY={s3} \\\n\
                 \x20 -e API_TOKEN=$API_TOKEN \\\n\
                 \x20 -e CLIENT_SECRET=your-client-secret \\\n\
                 \x20 acme/app:latest\n"
            ),
            vec![2, 3, 4],
        ),
        (
            "Makefile",
            format!("deploy:\n\tDEPLOY_ACCESS_TOKEN={s4} \\\n\t  ./scripts/deploy.sh production\n"),
            vec![2],
        ),
        (
            // A provider's documented command kept in a TOML string (go-acme/lego's provider files).
            "providers/dns/acmedns.toml",
            format!(
                "Name = \"ACME DNS\"\nExample = '''\nACMEDNS_CLIENT_SECRET={s5} \\\n\
                 lego --email you@example.com --dns acmedns -d '*.example.com' run\n'''\n"
            ),
            vec![3],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}

#[test]
fn base64_beginning_with_a_slash_is_a_value_not_a_path() {
    let mut f = Fake::new(1902);
    let d = tempfile::tempdir().unwrap();
    let (b1, b2, b3) = (
        slash_base64(&mut f, 32),
        slash_base64(&mut f, 32),
        slash_base64(&mut f, 16),
    );
    let files = vec![
        (
            "config/app.yml",
            format!(
                "oauth:\n  client_secret: {b1}\n  token_file: /var/run/secrets/tokens/api-token\n\
                 \x20 secret: /etc/acme/secrets/client_secret.json\n"
            ),
            vec![2],
        ),
        (
            "src/session.js",
            format!("const SESSION_SECRET = \"{b2}\";\nconst SECRET_DIR = \"/run/secrets/app/session\";\n"),
            vec![1],
        ),
        (
            ".env",
            format!("DEPLOY_KEY={b3}\n"),
            vec![1],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}

#[test]
fn acronym_key_names_and_machine_keys_are_read() {
    let mut f = Fake::new(1903);
    let d = tempfile::tempdir().unwrap();
    let upper_hex = |f: &mut Fake, n: usize| f.hex(n).to_uppercase();
    let (validation, decryption) = (upper_hex(&mut f, 128), upper_hex(&mut f, 48));
    let files = vec![
        (
            "internal/webrtc/srtp_test.go",
            format!(
                "var cases = []keys{{\n\t{{\n\t\tHMACKey: \"{}\",\n\t\tMACKey:  \"{}\",\n\t\tKeyID:   \"primary\",\n\t}},\n}}\n",
                f.alnum(32),
                f.alnum(28)
            ),
            vec![3, 4],
        ),
        (
            "site/web.config",
            format!(
                "<configuration>\n  <system.web>\n    <machineKey\n      validationKey=\"{validation}\"\n\
                 \x20     decryptionKey=\"{decryption}\"\n      validation=\"HMACSHA256\" decryption=\"AES\" />\n\
                 \x20 </system.web>\n</configuration>\n"
            ),
            vec![4, 5],
        ),
        (
            "site/web.Debug.config",
            "<machineKey validationKey=\"AutoGenerate,IsolateApps\" decryptionKey=\"AutoGenerate,IsolateApps\" />\n"
                .to_string(),
            vec![],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}

#[test]
fn key_flags_setters_and_decoded_key_material_are_read() {
    let mut f = Fake::new(1904);
    let d = tempfile::tempdir().unwrap();
    let h = f.hex(32);
    let raw: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let shiro = STANDARD.encode(raw);
    let files = vec![
        (
            "scripts/release.sh",
            format!(
                "release-tool sign --signing-key {} --out dist/\n\
                 release-tool sign --signing-key keys/release-2024-signing.asc --out dist/\n\
                 webhookd serve --hmac-key {} \\\n  --port 8080\n\
                 webhookd serve --hmac-key \"$HMAC_KEY\" --port 8080\n",
                f.alnum(32),
                f.alnum(40)
            ),
            vec![1, 3],
        ),
        (
            "src/main/java/com/acme/ShiroConfig.java",
            format!(
                "manager.setCipherKey(Base64.decode(\"{shiro}\"));\n\
                 manager.setCipherKey(Base64.decode(properties.getCipherKey()));\n\
                 signer.setSigningKey(\"{}\");\n\
                 session.setSessionKey(\"user_session_cookie\");\n",
                f.alnum(32)
            ),
            vec![1, 3],
        ),
        (
            "app/src/main/kotlin/Auth.kt",
            format!(
                "val client = OAuthClient.builder()\n    .consumerSecret(\"{}\")\n    .build()\n",
                f.alnum(32)
            ),
            vec![2],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}

#[test]
fn letters_only_keys_unquoted_in_config_are_read() {
    let mut f = Fake::new(1906);
    let d = tempfile::tempdir().unwrap();
    let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let (k1, k2) = (f.from_alphabet(letters, 32), f.from_alphabet(letters, 28));
    let files = vec![
        (
            "src/main/resources/application.yml",
            format!(
                "sa-token:\n  jwt-secret-key: {k1}\n  token-name: satoken\n  auth_token: AuthenticationTokenProvider\n"
            ),
            vec![2],
        ),
        (
            "conf/app.properties",
            format!("app.sign.secret-key={k2}\napp.secret-name=platformSharedCredentials\n"),
            vec![1],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}
