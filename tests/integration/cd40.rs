//! Stop 40's CredData shapes (rules/cd40.toml and reference filters in four rules): a credential's
//! name assigned an environment or settings lookup whose literal fallback sits on the next line
//! behind the `?:`/`??` operator that opens it (Kotlin, Groovy, C#, Swift, Dart, PHP, TypeScript),
//! and the template references and stand-ins that four rules reported as passwords on CredData's
//! False lines (Ruby's `#{password}` and `%{pass}` on a command line, PHP's `{$password}` and a
//! non-ASCII word in SQL, `invalid+token+value` and `'$mysql_root_password'` in a call, a
//! translation catalog's `password: Wachtwoord`). Each cell is a file of its own with a fresh fake
//! value built at run time, under several names; near misses stay quiet, and the same shapes with a
//! random value are still found.

use crate::common::*;

/// Each (file, template) under each name, a fresh generic key a cell: those not reported (by `rule`,
/// when given).
fn matrix(seed: u64, names: &[&str], shapes: &[(&str, &str)], rule: Option<&str>) -> Vec<String> {
    missed_names_by_shapes(seed, names, shapes, Fake::generic_key, rule)
}

/// The lookup's name says nothing of a credential (`SERVICE_VALUE`): only the assigned name does.
const LOOKUP_SHAPES: &[(&str, &str)] = &[
    (
        "app/src/main/java/a/Config.kt",
        "val {N}: String = System.getenv(\"SERVICE_VALUE\")\n    ?: \"{V}\"",
    ),
    (
        "app/src/main/java/a/Deep.kt",
        "class A {\n    companion object {\n        val {N} = BuildConfig.SERVICE_VALUE\n            ?: \"{V}\"\n    }\n}",
    ),
    (
        "app/build.gradle.kts",
        "val {N} = project.findProperty(\"service.value\") as String?\n    ?: \"{V}\"",
    ),
    (
        "Jenkinsfile.groovy",
        "def {N} = System.getenv('SERVICE_VALUE')\n    ?: '{V}'",
    ),
    (
        "src/Settings.cs",
        "string {N} = Environment.GetEnvironmentVariable(\"SERVICE_VALUE\")\n    ?? \"{V}\";",
    ),
    (
        "src/Windows.cs",
        "var {N} = Environment.GetEnvironmentVariable(\"SERVICE_VALUE\")\r\n    ?? @\"{V}\";\r",
    ),
    (
        "Sources/App/Config.swift",
        "let {N} = ProcessInfo.processInfo.environment[\"SERVICE_VALUE\"]\n    ?? \"{V}\"",
    ),
    (
        "lib/config.dart",
        "final {N} = Platform.environment['SERVICE_VALUE']\n    ?? '{V}';",
    ),
    ("config/app.php", "${N} = getenv('SERVICE_VALUE')\n    ?: '{V}';"),
    ("config/env.php", "${N} = $_ENV['SERVICE_VALUE']\n    ?? '{V}';"),
    (
        "src/config.ts",
        "export const {N}: string = process.env.SERVICE_VALUE\n  ?? \"{V}\";",
    ),
    (
        "src/config.mjs",
        "const {N} = process.env[\"SERVICE_VALUE\"]\n  ?? `{V}`;",
    ),
];

#[test]
fn a_lookup_fallback_whose_operator_opens_the_next_line_is_found_in_each_language() {
    let names = [
        "apiKey",
        "clientSecret",
        "dbPassword",
        "authToken",
        "accessKey",
        "privateKey",
        "serviceToken",
    ];
    let missed = matrix(
        4001,
        &names,
        LOOKUP_SHAPES,
        Some("secret-lookup-fallback-next-line"),
    );
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn a_lookup_fallback_under_a_constant_or_snake_case_name_is_found_too() {
    let names = ["API_KEY", "CLIENT_SECRET", "db_password", "auth_token"];
    let shapes = [
        (
            "app/src/main/java/a/Keys.kt",
            "const val {N} = System.getenv(\"SERVICE_VALUE\")\n    ?: \"{V}\"",
        ),
        (
            "config/keys.php",
            "${N} = getenv('SERVICE_VALUE')\n    ?: \"{V}\";",
        ),
        (
            "lib/keys.dart",
            "final {N} = Platform.environment['SERVICE_VALUE']\n      ?? \"{V}\";",
        ),
    ];
    let missed = matrix(
        4002,
        &names,
        &shapes,
        Some("secret-lookup-fallback-next-line"),
    );
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn near_misses_of_the_lookup_fallback_stay_quiet() {
    let mut f = Fake::new(4003);
    let v = f.generic_key();
    let files: Vec<(String, String)> = vec![
        // References, a thrown error, a constant: no literal to report.
        (
            "a/Config.kt".into(),
            "val apiKey = System.getenv(\"SERVICE_VALUE\")\n    ?: DEFAULT_SERVICE_VALUE\nval token = System.getenv(\"SERVICE_VALUE\")\n    ?: \"${SERVICE_VALUE}\"\n".into(),
        ),
        (
            "a/Settings.cs".into(),
            "var clientSecret = Environment.GetEnvironmentVariable(\"SERVICE_VALUE\")\n    ?? throw new InvalidOperationException(\"SERVICE_VALUE is not set\");\n".into(),
        ),
        (
            "a/config.ts".into(),
            "const authToken = process.env.SERVICE_VALUE\n  ?? process.env.FALLBACK_VALUE;\n".into(),
        ),
        // Placeholders and weak values.
        (
            "b/Config.kt".into(),
            "val apiKey = System.getenv(\"SERVICE_VALUE\")\n    ?: \"your-api-key-here\"\nval dbPassword = System.getenv(\"SERVICE_VALUE\")\n    ?: \"changeme\"\nval secret = System.getenv(\"SERVICE_VALUE\")\n    ?: \"abcdefghijklmnop\"\n".into(),
        ),
        (
            "b/env.php".into(),
            "$apiKey = getenv('SERVICE_VALUE')\n    ?: 'YOUR_API_KEY';\n".into(),
        ),
        // A name that is no credential's, or names a credential's id or count.
        (
            "c/Config.kt".into(),
            format!("val baseUrl = System.getenv(\"SERVICE_VALUE\")\n    ?: \"{v}\"\nval apiKeyId = System.getenv(\"SERVICE_VALUE\")\n    ?: \"{v}\"\n"),
        ),
        (
            "c/usage.ts".into(),
            format!("const tokenCount = process.env.SERVICE_VALUE\n  ?? \"{v}\";\n"),
        ),
        // The operator's line is not the next one: a statement ended between them.
        (
            "c/Split.cs".into(),
            format!("var clientSecret = Environment.GetEnvironmentVariable(\"SERVICE_VALUE\"); var other = x\n    ?? \"{v}\";\n"),
        ),
        // A language without the operator: Python's `os.getenv(` opens no window of the rule.
        (
            "d/settings.py".into(),
            format!("api_key = os.getenv(\"SERVICE_VALUE\")\n#    ?: \"{v}\"\n"),
        ),
    ];
    let v = scan_files_json(&files);
    let found = finding_rows(&v, |f| (f.s("path"), f.s("rule_id")));
    assert!(found.is_empty(), "near misses reported: {found:#?}");
}

#[test]
fn template_references_and_stand_ins_in_commands_sql_and_calls_stay_quiet() {
    let files: Vec<(String, String)> = vec![
        // Ruby's interpolation and format strings on a command line (capistrano, dpl).
        (
            "lib/capistrano/sync.rb".into(),
            "run \"mysqldump -u #{username} --password='#{password}' #{database} | bzip2 -9 > dump.sql.bz2\"\nsystem \"mysql -u #{username} --password='#{password}' #{database}\"\n".into(),
        ),
        (
            "lib/dpl/providers/ecr.rb".into(),
            "cmds login: 'docker login -u %{user} -p %{pass} %{url}',\n       login2: 'deis login %{controller} --username=%{username} --password=%{password}'\n".into(),
        ),
        (
            "scripts/backup.py".into(),
            "cmd = \"mysqldump --user=%(user)s --password=%(password)s db\" % opts\n".into(),
        ),
        // PHP's interpolation and a non-ASCII stand-in in SQL.
        (
            "install/init_mysql.php".into(),
            "mysql_query(\"set password for 'root'@'localhost' = PASSWORD('{$password}')\");\nmysql_query(\"SET PASSWORD = PASSWORD('{$this->rootPassword}')\");\n".into(),
        ),
        (
            "docs/mysql.md".into(),
            "set password = password('新密码');\n".into(),
        ),
        // A stand-in of words and a lower-case shell variable in a call.
        (
            "Test/AuthorityTests.cs".into(),
            "var token = new Token(\"invalid+token+value\", TokenType.AzureAccess);\n".into(),
        ),
        (
            "mysql/reset_root_password.sh".into(),
            "update user set password = Password('$mysql_root_password') where User = 'root';\n".into(),
        ),
        // A translation catalog: the word translated, under a password key.
        (
            "config/locales/nl.yml".into(),
            "nl:\n  user:\n    password: Wachtwoord\n    password_confirmation: Bevestig\n".into(),
        ),
        (
            "config/locales/pt-BR.yml".into(),
            "pt-BR:\n  password: Senha\n".into(),
        ),
        (
            "src/i18n/de.properties".into(),
            "login.password=Passwort\n".into(),
        ),
    ];
    let v = scan_files_json(&files);
    let found = finding_rows(&v, |f| (f.s("path"), f.s("rule_id")));
    assert!(found.is_empty(), "references reported: {found:#?}");
}

#[test]
fn the_same_commands_sql_calls_and_configs_with_a_random_value_are_still_found() {
    let names = ["x"];
    let shapes = [
        (
            "lib/capistrano/sync.rb",
            "run \"mysqldump -u deploy --password='{V}' production | bzip2 -9 > dump.sql.bz2\"",
        ),
        (
            "lib/dpl/providers/ecr.rb",
            "cmds login: 'docker login -u deploy -p {V} registry.acme-corp.io',",
        ),
        (
            "install/init_mysql.php",
            "mysql_query(\"set password for 'root'@'db.acme-corp.io' = PASSWORD('{V}')\");",
        ),
        (
            "Test/AuthorityTests.cs",
            "var token = new Token(\"{V}\", TokenType.AzureAccess);",
        ),
        (
            "mysql/reset_root_password.sh",
            "update user set password = Password('{V}') where User = 'root';",
        ),
        ("config/database.yml", "production:\n  password: {V}"),
    ];
    let missed = matrix(4004, &names, &shapes, None);
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn identifiers_beside_a_vendor_or_a_pass_name_stay_quiet() {
    let files: Vec<(String, String)> = vec![
        (
            "test/TwitterTests.cs".into(),
            "public class TwitterTests : RemoteAuthenticationTests<TwitterOptions>\n{\n    var twitterKey = TwitterConsumerKeyValue;\n}\n".into(),
        ),
        (
            "src/LinkedInAuthenticationHandler.cs".into(),
            "var fields = Options.Fields.Where(f => !string.Equals(f, LinkedInAuthenticationConstants.EmailAddressField, StringComparison.OrdinalIgnoreCase));\n".into(),
        ),
        (
            "test/AppleClientSecretGeneratorTests.cs".into(),
            "options.ClientSecret = clientSecretGeneratorKey;\nvar ClientSecretExpiresAfter = clientSecretGeneratorKey,\n".into(),
        ),
        (
            "src/db/index.js".into(),
            "const certPass = config.mongoSSLPassword;\nsmtpPass: config.smtp.SMTP_PASSWORD,\n".into(),
        ),
    ];
    let v = scan_files_json(&files);
    let found = finding_rows(&v, |f| (f.s("path"), f.s("rule_id")));
    assert!(found.is_empty(), "identifiers reported: {found:#?}");
}

#[test]
fn random_values_beside_those_vendors_and_pass_names_are_still_found() {
    let mut f = Fake::new(4005);
    let twitter = f.alnum(25);
    let linkedin = f.alnum(16);
    let google = f.alnum(24);
    let pass = f.generic_key();
    let files = vec![
        ("a/.env".to_string(), format!("TWITTER_API_KEY={twitter}\n")),
        (
            "b/settings.py".to_string(),
            format!("LINKEDIN_CLIENT_SECRET = \"{linkedin}\"\n"),
        ),
        (
            "c/config.rb".to_string(),
            format!("client_secret = \"{google}\"\n"),
        ),
        ("d/.env".to_string(), format!("SMTP_PASS={pass}\n")),
    ];
    let want = vec![
        ("a/.env".to_string(), "twitter".to_string(), twitter),
        (
            "b/settings.py".to_string(),
            "linkedin".to_string(),
            linkedin,
        ),
        (
            "c/config.rb".to_string(),
            "client secret".to_string(),
            google,
        ),
        ("d/.env".to_string(), "pass".to_string(), pass),
    ];
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn an_iam_policy_action_named_for_an_encryption_key_stays_quiet() {
    let files = vec![
        (
            "chalice/policies.json".to_string(),
            "{\n  \"RotateEncryptionKey\": \"redshift:RotateEncryptionKey\",\n  \"DisableEncryptionKey\": \"kms:DisableEncryptionKey\"\n}\n".to_string(),
        ),
        (
            "policies/actions.py".to_string(),
            "ACTIONS = {\n    \"DisableEncryptionKey\": \"kms:DisableEncryptionKey\",\n    \"RotateEncryptionKey\": \"redshift:RotateEncryptionKey\",\n}\n".to_string(),
        ),
    ];
    let v = scan_files_json(&files);
    let found = finding_rows(&v, |f| (f.s("path"), f.s("rule_id")));
    assert!(found.is_empty(), "policy actions reported: {found:#?}");
}
