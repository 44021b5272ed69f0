//! Keys as public repositories write them, fourth look (stop 44, wild44): excerpts of public GitHub
//! files found by exact-string look-ups over config systems and file kinds stops 41-43 did not
//! sample, and probes of the same shapes, showed these lost at main and these stand-ins reported.
//! Each is checked here in several syntaxes with fresh fake values built at runtime, and must be
//! reported by its rule with that value; the near misses and stand-ins beside them stay quiet.
//! - a secret's XML name/value pair written escaped inside another text: `&lt;key&gt;api_key&lt;/key&gt;`
//!   in a Javadoc comment or an HTML page, `\u003ckey\u003e…` in a JSON string, `&#60;…&#62;`;
//! - a secret given on the command line to a cloud secret store: `pulumi config set --secret`,
//!   `aws ssm put-parameter --type SecureString --value`, `aws secretsmanager … --secret-string`,
//!   `az keyvault secret set --value`, `echo … | gcloud secrets create`, `echo … | docker secret
//!   create`, over `\`-continued lines too;
//! - stand-ins: a vendor prefix run into a star mask (`AIza***`), a value typed as blocks of one
//!   character (`AAABBBCCC111222…`), letters and digits woven as a count that wraps from 9 to 0.

use crate::common::*;

/// A secret of the shape the generic rules read: 24 letters and digits.
fn secret(f: &mut Fake) -> String {
    f.alnum(24)
}

#[test]
fn a_secret_in_escaped_xml_is_reported() {
    let cells = [
        (
            "AuthClient.java",
            "/**\n * Sample request:\n * <pre>\n *  &lt;arg&gt;\n *  &lt;key&gt;api_key&lt;/key&gt;\n *  &lt;value&gt;{V}&lt;/value&gt;\n *  &lt;/arg&gt;\n * </pre>\n */\n",
        ),
        (
            "core-site.html",
            "<pre>&lt;property&gt;\n  &lt;name&gt;fs.s3a.secret.key&lt;/name&gt;\n  &lt;value&gt;{V}&lt;/value&gt;\n&lt;/property&gt;</pre>\n",
        ),
        (
            "setup.md",
            "Add to `Info.plist`:\n\n    &lt;key&gt;ClientSecret&lt;/key&gt;\n    &lt;string&gt;{V}&lt;/string&gt;\n",
        ),
        (
            "export.json",
            "{\"plist\": \"\\u003ckey\\u003eAPIKey\\u003c/key\\u003e\\n\\u003cstring\\u003e{V}\\u003c/string\\u003e\"}\n",
        ),
        (
            "page.html",
            "<code>&#60;name&#62;db.password&#60;/name&#62; &#60;value&#62;{V}&#60;/value&#62;</code>\n",
        ),
        (
            "bundle.js",
            "var xml = \"\\x3ckey\\x3eAuthToken\\x3c/key\\x3e\\x3cstring\\x3e{V}\\x3c/string\\x3e\";\n",
        ),
    ];
    check_cells("xml-escaped-key-value-secret", 4401, &cells, secret, |f| {
        f.alnum(8)
    });
}

#[test]
fn escaped_xml_near_misses_stay_quiet() {
    assert_quiet(vec![
        (
            "LinkTool.java",
            " * Toolbox configuration:\n * &lt;tool&gt;\n *   &lt;key&gt;link&lt;/key&gt;\n *   &lt;scope&gt;request&lt;/scope&gt;\n * &lt;/tool&gt;\n",
        ),
        (
            "Client.java",
            " *  &lt;key&gt;api_key&lt;/key&gt;\n *  &lt;value&gt;${FACEBOOK_API_KEY}&lt;/value&gt;\n",
        ),
        (
            "setup.md",
            "&lt;key&gt;APIKey&lt;/key&gt; &lt;string&gt;YOUR_API_KEY_HERE&lt;/string&gt;\n",
        ),
        (
            "notes.json",
            "{\"md\": \"\\u003ckey\\u003eNSAppTransportSecurity\\u003c/key\\u003e\\n\\u003cdict\\u003e\\u003c/dict\\u003e\"}\n",
        ),
        (
            "hadoop.html",
            "&lt;name&gt;hadoop.security.token.service.use_ip&lt;/name&gt; &lt;value&gt;false&lt;/value&gt;\n",
        ),
    ]);
}

#[test]
fn a_secret_given_to_a_cloud_secret_store_is_reported() {
    let cells = [
        ("deploy.md", "pulumi config set --secret dbPassword {V}\n"),
        ("setup.sh", "pulumi config set app:apiToken {V} --secret\n"),
        (
            "infra.sh",
            "pulumi config set --stack prod databasePassword '{V}'\n",
        ),
        (
            "ssm.sh",
            "aws ssm put-parameter --name /app/db/password --type SecureString --value \"{V}\" --overwrite\n",
        ),
        (
            "ssm.md",
            "aws ssm put-parameter --name /app/token \\\n  --value {V} \\\n  --type SecureString --region eu-west-1\n",
        ),
        (
            "secrets.sh",
            "aws secretsmanager create-secret --name prod/api --secret-string \"{V}\"\n",
        ),
        (
            "kv.ps1",
            "az keyvault secret set --vault-name kv-prod --name sql-password --value '{V}'\n",
        ),
        (
            "kv.sh",
            "az keyvault secret set \\\n  --vault-name kv-prod \\\n  --name jwt-secret \\\n  --value \"{V}\"\n",
        ),
        (
            "gcp.md",
            "echo -n \"{V}\" | gcloud secrets create bot-token --data-file=-\n",
        ),
        (
            "gcp.sh",
            "printf '%s' '{V}' | gcloud secrets versions add api-key --data-file=-\n",
        ),
        (
            "swarm.md",
            "echo \"{V}\" | docker secret create db_password -\n",
        ),
        (
            "swarm.ps1",
            "\"{V}\" | docker secret create api_key -\n",
        ),
    ];
    check_cells("cli-secret-store-value", 4402, &cells, secret, |f| {
        f.alnum(8)
    });
}

#[test]
fn secret_store_near_misses_stay_quiet() {
    assert_quiet(vec![
        ("a.sh", "pulumi config set aws:region us-west-2\n"),
        (
            "b.sh",
            "pulumi config set --secret dbPassword $DB_PASSWORD\npulumi config set --secret db-password $(openssl rand -base64 32)\n",
        ),
        ("c.md", "pulumi config set --secret dbPassword SUA_SENHA\n"),
        (
            "d.sh",
            "aws ssm put-parameter --name /app/region --type String --value \"eu-central-1a\"\n",
        ),
        (
            "e.md",
            "aws ssm put-parameter --name /app/key --type SecureString --value \"<APP_KEY>\" --overwrite\n",
        ),
        (
            "f.sh",
            "aws secretsmanager put-secret-value --secret-id prod/db --secret-string file://creds.json\n",
        ),
        (
            "g.sh",
            "az keyvault secret set --vault-name kv --name pwd --value \"$(az ad sp show --id $SP --query password -o tsv)\"\n",
        ),
        (
            "h.md",
            "echo -n \"<TELEGRAM_BOT_TOKEN>\" | gcloud secrets create telegram-bot-token --data-file=-\nprintf '%s' \"YOUR_GEMINI_API_KEY\" | gcloud secrets create gemini-api-key --data-file=-\n",
        ),
        (
            "i.md",
            "echo \"your_db_password\" | docker secret create db_password -\ncat secrets/id_ed25519 | docker secret create key_priv -\n",
        ),
        // A worker's setting stored as a secret: a URL with no credentials in it.
        (
            "j.md",
            "echo \"https://api-backend.fly.dev\" | wrangler secret put BACKEND_URL --name api\n",
        ),
    ]);
}

#[test]
fn masked_blocked_and_woven_stand_ins_stay_quiet() {
    assert_quiet(vec![
        (
            "c0/.env",
            "OPENAI_API_KEY=sk-***\nANTHROPIC_API_KEY=sk-ant-***\nPERPLEXITY_API_KEY=pplx-***\nGOOGLE_API_KEY=AIza***\n"
                .to_string(),
        ),
        (
            "c1/README.md",
            // Joined at runtime: this file's own text holds no value under a secret's name.
            [
                "```json\n{\n\t\"secretKey\": \"",
                "KKKLLLMMMNNNPPP",
                "77788899900011\"\n}\n```\n",
            ]
            .concat(),
        ),
        (
            "c2/config.json",
            "{\n  \"api_key\": \"a1b2c3d4e5f6g7h8i9j0k1l2\"\n}\n".to_string(),
        ),
    ]);
}

/// The filters read the value, not the place: random values in the same places are still reported.
#[test]
fn random_values_in_the_stand_ins_places_are_still_reported() {
    let mut f = Fake::new(4403);
    let key = f.alnum(39);
    let secret = f.alnum(32);
    let files = vec![
        (
            "c0/.env".to_string(),
            // Joined at runtime: the test's own text holds no key of the format.
            ["GOOGLE_API_KEY=AIza", &key[..35], "\n"].concat(),
        ),
        (
            "c1/README.md".to_string(),
            format!("```json\n{{\n\t\"secretKey\": \"{secret}\"\n}}\n```\n"),
        ),
    ];
    let want = vec![
        (
            "c0/.env".to_string(),
            "a Google key after the masked one's prefix".to_string(),
            ["AIza", &key[..35]].concat(),
        ),
        (
            "c1/README.md".to_string(),
            "a random secretKey".to_string(),
            secret.clone(),
        ),
    ];
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// A value echoed into `wrangler secret put`, and a here-string into `docker secret create`: the
/// line holds none of `cli-secret-store-command`'s other keywords, so it was never read (wild44).
#[test]
fn a_secret_piped_into_wrangler_or_a_here_string_into_docker_is_reported() {
    let cells = [
        ("setup.md", "echo \"{V}\" | wrangler secret put API_TOKEN\n"),
        (
            "deploy.sh",
            "printf '%s' '{V}' | wrangler pages secret put STRIPE_KEY --project-name shop\n",
        ),
        ("swarm.sh", "docker secret create db_pass - <<< \"{V}\"\n"),
        ("podman.sh", "podman secret create api_key - <<< '{V}'\n"),
    ];
    check_cells("cli-secret-store-command", 4404, &cells, secret, |f| {
        f.alnum(8)
    });
}
