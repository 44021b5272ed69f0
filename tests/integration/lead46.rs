//! Stop 46's lead: false alarms thirteen more real repositories showed (a self-hosting platform's
//! PHP, an API client, a docs site's vendored editor, a FastAPI template, Kubernetes and Ansible
//! examples, a wiki's translations), each fixed for its kind: PHP building a value (`{$pass}` in a
//! connection URL, `'.$escaped.'`, `!$canEdit`, `"word{$i}"`), references to environment variables
//! in tools' own syntax (`os.environ/NAME`, `env:NAME`), a tokenizer's states (`@brackets.directive`),
//! a list of URL paths under a key's name, a webhook's signature, a protocol's name in its capitals
//! (`OAuth2AdvancedOptions`), a translated label (`Palavra-passe`), a percent-encoded phrase in a URL,
//! a Secret's entry encoding a plain address, a comment's prose in tomcat-users.xml, markup after
//! `Set Password`, a URL whose password is another variable in `.env`, a hash's name, a crypt salt.
//! Beside them, the same places with real-looking values stay reported.

use crate::common::*;

#[test]
fn code_references_and_labels_where_values_stand_are_quiet() {
    let b64 = |s: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(s)
    };
    assert_quiet(vec![
        (
            "app/Models/StandaloneMongodb.php",
            concat!(
                "        $url = \"mongodb://{$encodedUser}:{$encodedPass}@{$this->uuid}:27017/?directConnection=true\";\n",
                "        return \"mysql://{$encodedUser}:{$encodedPass}@{$serverIp}:{$this->public_port}/{$this->mysql_database}\";\n",
                "        return \"postgres://{$encodedUser}:{$encodedPass}@{$this->uuid}:5432/{$this->postgres_db}\";\n",
                "        return \"clickhouse://{$encodedUser}:{$encodedPass}@{$serverIp}:9000/{$database}\";\n",
            )
            .to_string(),
        ),
        (
            "tests/Unit/BackupSecurityTest.php",
            "    $command = 'docker exec -e PGPASSWORD='.$escaped.' container pg_dump';\n".to_string(),
        ),
        (
            "resources/views/livewire/env/show.blade.php",
            "    <x-forms.input :required=\"$is_redis_credential\" :disabled=\"!$canEditValue\" id=\"value\" />\n".to_string(),
        ),
        (
            "tests/Auth/RegistrationTest.php",
            "            'password' => \"barryIsTheBest{$i}\",\n".to_string(),
        ),
        (
            "templates/compose/litellm.yaml",
            "        litellm_params:\n          model: claude-3-haiku\n          api_key: \"os.environ/ANTHROPIC_API_KEY\"\n".to_string(),
        ),
        (
            "templates/compose/seaweedfs.yaml",
            "            \"accessKey\": \"env:AWS_ACCESS_KEY_ID\",\n            \"secretKey\": \"env:AWS_SECRET_ACCESS_KEY\"\n".to_string(),
        ),
        (
            "public/js/editor/basic-languages/freemarker.js",
            "[{token:\"@brackets.directive\"},{token:\"delimiter.directive\"},{token:\"@brackets.interpolation\",next:\"@popall\"}],[/[a-z]+/,{token:\"keyword.tag-$1\"}]\n".to_string(),
        ),
        (
            "packages/server/src/utils/constants.ts",
            "export const API_KEY_BLACKLIST_URLS = [\n    '/api/v1/nvidia-nim',\n    '/api/v1/account/delete',\n    '/api/v1/organizationuser',\n    '/api/v1/workspaceuser'\n]\n".to_string(),
        ),
        (
            "tests/Feature/Webhook/WebhookHmacTest.php",
            "        [\n            'bitbucket',\n            '/webhooks/source/bitbucket/events/manual',\n            ['HTTP_X-Event-Key' => 'repo:push', 'HTTP_X-Hub-Signature' => 'sha256=forgedhashvalue'],\n        ],\n".to_string(),
        ),
        (
            "src/ui/components/editors/auth/o-auth-2-auth.tsx",
            "      <AuthAccordion accordionKey='OAuth2AdvancedOptions' label='Advanced Options'>\n".to_string(),
        ),
        (
            "shared/i18n/locales/da_DK/translation.json",
            "  \"OAuth client secret\": \"OAuth-klienthemmelighed\",\n  \"OAuth application secret\": \"OAuth-applikationshemmelighed\",\n".to_string(),
        ),
        (
            ".env.test",
            format!(
                "GOOGLE_CLIENT_SECRET=123\nGITHUB_CLIENT_SECRET=123;\nSLACK_VERIFICATION_TOKEN=test-token-123\nOIDC_CLIENT_SECRET=client-secret\nUTILS_SECRET=test-utils-secret\nGITHUB_APP_PRIVATE_KEY=\"-----BEGIN RSA {k}-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA {k}-----\"\n",
                k = ["PRIVATE", "KEY"].join(" ")
            ),
        ),
        (
            "lang/pt/auth.php",
            "    'password' => 'Palavra-passe',\n    'password_confirm' => 'Confirmar Palavra-passe',\n".to_string(),
        ),
        (
            "tests/Unit/GitHubAppSubmoduleCredentialsTest.php",
            "    ->toContain(\"git -c 'url.https://x-access-token:review%20token%2Fwith%2Bsymbols@github.com/.insteadOf=https://github.com/'\");\n".to_string(),
        ),
        (
            "volumes/storageos/storageos-secret.yaml",
            format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: storageos-secret\ntype: \"kubernetes.io/storageos\"\ndata:\n  apiAddress: {}\n",
                b64("tcp://127.0.0.1:5705")
            ),
        ),
        (
            "roles/tomcat/templates/tomcat-users.xml",
            "<!--\n  NOTE:  By default, no user is included in the \"manager-gui\" role, you must define such a user - the username and password are arbitrary.\n-->\n".to_string(),
        ),
        (
            "frontend/src/components/Admin/AddUser.tsx",
            "                  Set Password <span className=\"text-destructive\">*</span>\n".to_string(),
        ),
        (
            ".env",
            "DATABASE_URL=postgresql://postgres:${POSTGRES_PASSWORD}@localhost:5432/app\n".to_string(),
        ),
        (
            "backend/tests/api/routes/test_login.py",
            "    user = User(email=email, hashed_password=argon2_hash, is_active=True)\n".to_string(),
        ),
        (
            "test/resources/EksFargateStackExpected.json",
            "          \"S3Key\": \"7e5f48d1e79c915595d938c932b6f0101715a162780d01a55845367e014fbcda.zip\"\n".to_string(),
        ),
        (
            "confs/post_deployment_objects.sh",
            "curl -s -XGET -u DOMAIN_ADMIN_UNAME:DOMAIN_ADMIN_PW 'https://DOMAIN_ENDPOINT/_cluster/health'\n".to_string(),
        ),
        (
            "src/main/docker/sonar.yml",
            "services:\n  sonar:\n    image: sonarqube:26.7.0.124771-community\n".to_string(),
        ),
        (
            "vault-agent-caching/README.md",
            "[DEBUG] cache: using auto auth token: path=/v1/auth/userpass/login/student method=POST\n".to_string(),
        ),
        (
            "language_features/user_commands.yml",
            "# python -c 'import crypt; print crypt.crypt(\"This is my Password\", \"$1$SomeSalt$\")'\n".to_string(),
        ),
    ]);
}

#[test]
fn the_same_places_with_real_looking_values_stay_reported() {
    let mut f = Fake::new(4601);
    let b64 = |s: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(s)
    };
    let (url_pass, cli_pass, litellm, access, token, accordion) = (
        f.alnum(20),
        f.alnum(18),
        f.alnum(40),
        f.alnum(32),
        f.alnum(32),
        f.alnum(24),
    );
    let label = format!("Kq{}!", f.alnum(10));
    let env_pass = f.alnum(22);
    let secret_pass = f.alnum(24);
    let test_secret = f.alnum(24);
    // A weak password in a test environment is still the one in use there.
    let test_pass = ["hunter", "2024"].concat();
    // A token that needed escaping: its `/` and `+` percent-encoded.
    let raw = format!("{}/{}+{}", f.alnum(12), f.alnum(10), f.alnum(14));
    let escaped = raw.replace('/', "%2F").replace('+', "%2B");
    let files = vec![
        (
            "a/StandaloneMongodb.php".to_string(),
            format!("        $url = \"mongodb://admin:{url_pass}@db.internal:27017/?directConnection=true\";\n"),
        ),
        (
            "b/BackupTest.php".to_string(),
            format!("    $command = 'docker exec -e PGPASSWORD={cli_pass} container pg_dump';\n"),
        ),
        (
            "c/litellm.yaml".to_string(),
            format!("        litellm_params:\n          model: claude-3-haiku\n          api_key: \"{litellm}\"\n"),
        ),
        (
            "d/seaweedfs.json".to_string(),
            format!("            \"accessKey\": \"{access}\",\n"),
        ),
        ("e/tokens.js".to_string(), format!("[{{token:\"{token}\"}}]\n")),
        (
            "f/auth.tsx".to_string(),
            format!("      <AuthAccordion accordionKey='{accordion}' label='Advanced Options'>\n"),
        ),
        (
            "g/auth.php".to_string(),
            format!("    'password' => '{label}',\n"),
        ),
        (
            "h/SubmoduleTest.php".to_string(),
            format!("    ->toContain(\"git -c 'url.https://x-access-token:{escaped}@github.com/.insteadOf=https://github.com/'\");\n"),
        ),
        (
            "i/.env".to_string(),
            format!("DATABASE_URL=postgresql://postgres:{env_pass}@db.acme.io:5432/app\n"),
        ),
        (
            "k/.env.test".to_string(),
            format!("GOOGLE_CLIENT_SECRET={test_secret}\nDB_PASSWORD={test_pass}\n"),
        ),
        (
            "j/secret.yaml".to_string(),
            format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n  apiAddress: {}\n  apiPassword: {}\n",
                b64("tcp://127.0.0.1:5705"),
                b64(&secret_pass)
            ),
        ),
    ];
    let by_path = scan_files_by_path(&files);
    let found = |path: &str, value: &str| {
        by_path
            .get(path)
            .is_some_and(|f| f.iter().any(|(_, s)| s.contains(value)))
    };
    for (path, value) in [
        ("a/StandaloneMongodb.php", url_pass.as_str()),
        ("b/BackupTest.php", cli_pass.as_str()),
        ("c/litellm.yaml", litellm.as_str()),
        ("d/seaweedfs.json", access.as_str()),
        ("e/tokens.js", token.as_str()),
        ("f/auth.tsx", accordion.as_str()),
        ("g/auth.php", label.as_str()),
        ("h/SubmoduleTest.php", escaped.as_str()),
        ("i/.env", env_pass.as_str()),
        ("k/.env.test", test_secret.as_str()),
        ("k/.env.test", test_pass.as_str()),
    ] {
        assert!(found(path, value), "{path}: {by_path:?}");
    }
    assert!(by_path.contains_key("j/secret.yaml"), "{by_path:?}");
}

/// curl's `-u user:password` quoted in a README's backticks: the password ends before the backtick,
/// so its fingerprint and redaction are the password's (stop 46: the lead's note quoted one).
#[test]
fn a_curl_password_in_backticks_ends_before_the_backtick() {
    let mut f = Fake::new(4602);
    let pass = f.alnum(16);
    let files = vec![(
        "README.md".to_string(),
        format!(
            "Upload with `{} deploy:{pass}` and check the log.\n",
            ["curl", "-u"].join(" ")
        ),
    )];
    let got = findings_of_rules(&files, &["curl-user-credentials"]);
    assert_eq!(got.len(), 1, "{got:?}");
    let by_path = scan_files_by_path(&files);
    let want = format!("deploy:{pass}");
    assert!(
        by_path["README.md"].iter().any(|(_, s)| *s == want),
        "{by_path:?}"
    );
}
