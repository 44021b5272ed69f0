//! Stop 45's lead: false alarms new real repositories showed (an LLM framework's test cassettes and
//! docs, an API client's test fixtures, a bastion host's manifests), each fixed for its kind: two
//! words of eight letters taken for a Google app password, camelCase names where values stand
//! (`isSecretBase64Encoded`, `localAiBasePath`), a negated name read as a password, `net user` in a
//! sentence of another script, a SigV4 credential scope, a label with `oauth2` in it after `Bearer`,
//! jwt.io's token under a name no JWT rule reads, translated labels (`API-Passwort`), a constant read
//! by its path (`window.CSRF_TOKEN`), a PascalCase stand-in, a docs address and a key file's path in
//! an env file, a Discord thread's id, Angular's `i18n-title`. Beside each, the same shape with a
//! real-looking value stays reported.

use crate::common::*;

/// jwt.io's claims: the token every tutorial shows.
const TOY_CLAIMS: &str = r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#;

#[test]
fn names_expressions_scopes_and_illustrations_where_values_stand_are_quiet() {
    let mut f = Fake::new(4501);
    let toy = f.jwt(r#"{"alg":"HS256","typ":"JWT"}"#, TOY_CLAIMS);
    // The weak tier reports `postgres` itself (at low severity, by design); two words of eight are
    // no app password.
    // Joined here so that the repository's own scan does not read the weak password.
    let docker = [(
        "cli/wizard.ts",
        format!(
            "  {{ id: \"pgvector\", setupHint: \"docker run -d -p 5432:5432 -e POSTGRES_PASSWORD={w} pgvector/pgvector:pg17\" }},\n",
            w = ["post", "gres"].concat()
        ),
    )];
    let got = findings_of_rules(&docker, &["google-app-password"]);
    assert!(got.is_empty(), "{got:?}");
    assert_quiet(vec![
        (
            "envs/jwt-auth-envs.json",
            "{\n  \"variables\": [\n    {\n      \"key\": \"isSecretBase64Encoded\",\n      \"value\": \"false\"\n    }\n  ]\n}\n".to_string(),
        ),
        (
            "src/utils/jwt.ts",
            "  const cryptoKey = isSecretBase64Encoded\n    ? decode(secret)\n    : encode(secret);\n".to_string(),
        ),
        (
            "src/pages/LLMPreference/index.jsx",
            "    requiredConfig: [\"LocalAiApiKey\", \"LocalAiBasePath\", \"LocalAiTokenLimit\"],\n".to_string(),
        ),
        (
            "src/chai-helpers.ts",
            "      const shouldPass = !hasDescriptor\n      pass = !isNegated;\n".to_string(),
        ),
        (
            "automations/windows/manifest.yml",
            "description:\n  zh: 使用命令 net user 收集 Windows 账号\n".to_string(),
        ),
        (
            "__tests__/aws-signature.spec.ts",
            "    expect(url).toContain(\"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test-key%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z\");\n".to_string(),
        ),
        (
            "__tests__/oauth2.spec.ts",
            "    expect(headers[0].value).toBe(\"Bearer oauth2_access_token_123\")\n".to_string(),
        ),
        (
            "src/lang/de-DE.json",
            "{\n  \"promosmsPassword\": \"API-Passwort\",\n  \"apiCredentials\": \"API-Zugangsdaten\",\n  \"RabbitMQ Password\": \"RabbitMQ-Passwort\",\n  \"RadiusSecret\": \"Radius-hemmelighet\"\n}\n".to_string(),
        ),
        (
            "static/dist/app.js",
            "r.detail.headers[\"X-CSRFToken\"]=window.CSRF_TOKEN,i.style.minHeight=0;\n".to_string(),
        ),
        (
            ".env.example",
            "APP_KEY=SomeRandomStringOf32CharsExactly\n".to_string(),
        ),
        (
            "ui/.env",
            "PB_OAUTH2_DOCS = \"https://pocketbase.io/docs/authentication#authenticate-with-oauth2\"\nTLS_KEY_FILE=/data/ssl/localhost.key\n".to_string(),
        ),
        (
            "src/components/Discord.vue",
            "  :placeholder=\"$t('e.g. {discordThreadID}', { discordThreadID: 1177466663751782411 })\"\n".to_string(),
        ),
        (
            "src/app/user-edit-dialog.component.html",
            "<pngx-input-password i18n-title title=\"Password\" formControlName=\"password\"></pngx-input-password>\n".to_string(),
        ),
        (
            "active_job/arguments.rb",
            "    WITH_INDIFFERENT_ACCESS_KEY = \"_aj_hash_with_indifferent_access\"\n".to_string(),
        ),
        (
            "config/routes.rb",
            "  put  \"/disk/:encoded_token\" => \"active_storage/disk#update\", as: :update_rails_disk_service\n".to_string(),
        ),
        (
            "test/commands/credentials_test.rb",
            "    content_path = app_path(\"config\", \"credentials\", \"Zq9Tm4_development.yml.enc\")\n".to_string(),
        ),
        (
            "tests/test_form_data_utils.py",
            format!("<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"{}\">\n", f.alnum(64)),
        ),
        (
            "__tests__/curlparser.spec.js",
            format!("      auth: {{\n        authType: \"bearer\",\n        token:\n          \"{toy}\",\n      }},\n"),
        ),
    ]);
}

#[test]
fn the_same_shapes_with_real_looking_values_stay_reported() {
    let mut f = Fake::new(4502);
    let app = f.from_alphabet("bcdfghjkmnpqrstvwxz", 16);
    let spaced = format!(
        "{} {} {} {}",
        &app[..4],
        &app[4..8],
        &app[8..12],
        &app[12..]
    );
    let key = f.alnum(32);
    let pass = format!("!{}", f.alnum(14));
    let net = f.alnum(12);
    let bearer = f.alnum(40);
    let claims = format!(
        r#"{{"sub":"{}","role":"service","exp":1893456000}}"#,
        f.hex(12)
    );
    let jwt = f.jwt(r#"{"alg":"HS256","typ":"JWT"}"#, &claims);
    let files = vec![
        ("a/mail.py".to_string(), format!("EMAIL_HOST_PASSWORD = \"{spaced}\"\n")),
        ("b/mail.py".to_string(), format!("server.login(sender, \"{app}\")\n")),
        (
            "c/env.json".to_string(),
            format!("{{\n  \"variables\": [\n    {{\n      \"key\": \"{key}\",\n      \"value\": \"true\"\n    }}\n  ]\n}}\n"),
        ),
        ("d/.env".to_string(), format!("DB_PASS={pass}\n")),
        ("e/setup.ps1".to_string(), format!("net user svc_deploy {net} /add\n")),
        (
            "f/client.ts".to_string(),
            format!("    headers: {{ Authorization: \"Bearer {bearer}\" }},\n"),
        ),
        (
            "h/.env".to_string(),
            format!("BOT_TOKEN_URL=https://api.telegram.example/bot{}:{}/\n", f.from_alphabet("0123456789", 10), f.alnum(35)),
        ),
        (
            "i/.env".to_string(),
            format!("DISCORD_CLIENT_ID={}\n", f.from_alphabet("0123456789", 18)),
        ),
        (
            "g/request.js".to_string(),
            format!("      auth: {{\n        authType: \"bearer\",\n        token:\n          \"{jwt}\",\n      }},\n"),
        ),
    ];
    let by_path = scan_files_by_path(&files);
    let found = |path: &str, value: &str| {
        by_path
            .get(path)
            .is_some_and(|f| f.iter().any(|(_, s)| s == value))
    };
    assert!(found("a/mail.py", &spaced), "{by_path:?}");
    assert!(found("b/mail.py", &app), "{by_path:?}");
    assert!(found("c/env.json", &key), "{by_path:?}");
    assert!(found("d/.env", &pass), "{by_path:?}");
    assert!(found("e/setup.ps1", &net), "{by_path:?}");
    assert!(found("f/client.ts", &bearer), "{by_path:?}");
    assert!(found("g/request.js", &jwt), "{by_path:?}");
    assert!(by_path.contains_key("h/.env"), "{by_path:?}");
    assert!(by_path.contains_key("i/.env"), "{by_path:?}");
    let rule_of = |path: &str| {
        by_path[path]
            .iter()
            .map(|(r, _)| r.clone())
            .collect::<Vec<_>>()
    };
    assert!(rule_of("a/mail.py").contains(&"google-app-password".to_string()));
    assert!(rule_of("b/mail.py").contains(&"google-app-password".to_string()));
}

/// NetBox's v2 token (`nbt_` + 12 + `.` + 40, letters and digits) in the places it is written.
#[test]
fn netbox_v2_tokens_are_reported_in_every_shape() {
    check_cells(
        "netbox-api-token",
        4503,
        &[
            (".env", "NETBOX_TOKEN={V}\n"),
            (
                "inventory.py",
                "nb = pynetbox.api(\"https://netbox.acme.io\", token=\"{V}\")\n",
            ),
            ("group_vars/all.yml", "netbox_token: {V}\n"),
            (
                "sync.sh",
                "curl -H \"Authorization: Bearer {V}\" https://netbox.acme.io/api/dcim/sites/\n",
            ),
            (
                "client.go",
                "req.Header.Set(\"Authorization\", \"Bearer {V}\")\n",
            ),
            (
                "settings.json",
                "{\"netbox\": {\"url\": \"https://netbox.acme.io\", \"token\": \"{V}\"}}\n",
            ),
        ],
        |f| format!("nbt_{}.{}", f.alnum(12), f.alnum(40)),
        |_| String::new(),
    );
    // The documentation's shape and a token cut short stay quiet.
    assert_quiet(vec![
        (
            "a.md",
            "Authorization: Bearer nbt_<key>.<token>\n".to_string(),
        ),
        ("b.env", "NETBOX_HINT=nbt_abc123.xxxxx\n".to_string()),
    ]);
}
