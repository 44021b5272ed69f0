//! Shapes a credential's name and value are written in that CredData's Password, Auth, API, Secret and
//! Token misses and the lead's open list named (stop 39, rules/cd39.toml and two keyword edits): a
//! `?:`/`??` fallback whose literal a formatter moved to the next line (Kotlin, C#, PHP, Swift, Dart,
//! Groovy, TypeScript; the operator ending the first line or opening the second), a call's name and
//! literal wrapped by black or a hand under any `.get(` (`settings.get(⏎ "api_key",⏎ "…")`,
//! PHP's `->get(`, Java's `getProperty(`), a YAML key whose plain value sits on the next line, Node's
//! `Buffer.from("…", "hex")` under a credential's name or in `createSecretKey(…)`, a credential type
//! constructed from a literal (`new OAuth2AccessToken("…")`, `SecretStr("…")`,
//! `SecretString::new("…")`), a PHP serialized array's `s:7:"api_key";s:N:"…";` and Kotlin's
//! `SecretKeySpec("…".toByteArray(), …)` without `new`. Each cell is a file of its own with a fresh
//! fake value built at run time, under several names; near misses (references, placeholders, weak
//! values, a name that is no credential's, prose and code that only mention the words) stay quiet.

use crate::common::*;

/// Each (file, template) under each name, a fresh generic key a cell: those no rule reports.
fn matrix(seed: u64, names: &[&str], shapes: &[(&str, &str)]) -> Vec<String> {
    missed_names_by_shapes(seed, names, shapes, Fake::generic_key, None)
}

#[test]
fn a_coalescing_fallback_wrapped_over_two_lines_is_found_in_each_language() {
    let names = [
        "apiKey",
        "clientSecret",
        "dbPassword",
        "authToken",
        "accessKey",
        "serviceToken",
        "privateKey",
    ];
    // The operator ending the first line: the assigned name says credential.
    let shapes = [
        (
            "app/build.gradle.kts",
            "val {N}: String = project.findProperty(\"value\") as String? ?:\n        \"{V}\"",
        ),
        (
            "app/src/main/java/a/Deep.kt",
            "class A {\n    fun f() {\n        val {N} = props.getProperty(\"value\") ?:\n            \"{V}\"\n    }\n}",
        ),
        ("config/app.php", "${N} = getenv('SERVICE_VALUE') ?:\n    '{V}';"),
        ("config/env.php", "${N} = $_ENV['SERVICE_VALUE'] ??\n    '{V}';"),
        (
            "src/Settings.cs",
            "string {N} = Environment.GetEnvironmentVariable(\"SERVICE_VALUE\") ??\n    \"{V}\";",
        ),
        (
            "Sources/App/Config.swift",
            "let {N} = ProcessInfo.processInfo.environment[\"SERVICE_VALUE\"] ??\n    \"{V}\"",
        ),
        (
            "lib/config.dart",
            "final {N} = Platform.environment['SERVICE_VALUE'] ??\n    '{V}';",
        ),
        (
            "Jenkinsfile.groovy",
            "def {N} = System.getenv('SERVICE_VALUE') ?:\n    '{V}'",
        ),
        ("src/config.ts", "const {N} = settings.value ??\n  \"{V}\";"),
        // The operator opening the second line (ktlint, dotnet-format, a hand): the looked-up name
        // ends the first.
        (
            "app/src/main/java/a/Config.kt",
            "val value = System.getenv(\"{N}\")\n    ?: \"{V}\"",
        ),
        (
            "app/src/main/java/a/Build.kt",
            "val value = BuildConfig.{N}\n        ?: \"{V}\"",
        ),
        (
            "src/Tabs.cs",
            "\t\tvar value = configuration[\"Service:{N}\"]\n\t\t\t?? \"{V}\";",
        ),
        (
            "Sources/App/Env.swift",
            "let value = ProcessInfo.processInfo.environment[\"{N}\"]\n    ?? \"{V}\"",
        ),
        ("config/lookup.php", "$value = getenv('{N}')\n    ?: '{V}';"),
    ];
    let missed = matrix(3901, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_wrapped_fallback_is_found_by_the_looked_up_name_and_with_crlf() {
    let names = [
        "API_KEY",
        "CLIENT_SECRET",
        "DB_PASSWORD",
        "AUTH_TOKEN",
        "ApiKey",
    ];
    let shapes = [
        (
            "a/Config.kt",
            "val value = System.getenv(\"{N}\")\n    ?: \"{V}\"",
        ),
        (
            "a/Config2.kt",
            "val value = System.getenv(\"{N}\")\r\n    ?: \"{V}\"\r\n",
        ),
        (
            "a/Settings.cs",
            "var value = config[\"{N}\"] ??\r\n    \"{V}\";\r\n",
        ),
        ("a/cfg.php", "$value = getenv('{N}') ?:\n        '{V}';"),
    ];
    let missed = matrix(3902, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_lookup_wrapped_by_a_formatter_under_any_get_is_found() {
    let names = [
        "api_key",
        "client_secret",
        "db_password",
        "auth_token",
        "STRIPE_SECRET_KEY",
        "db.password",
    ];
    let shapes = [
        (
            "app/settings.py",
            "API_VALUE = settings.get(\n    \"{N}\",\n    \"{V}\",\n)",
        ),
        (
            "app/conf.py",
            "class C:\n    def f(self):\n        value = self.config.get(\n            \"{N}\",\n            \"{V}\"\n        )",
        ),
        (
            "app/cfg.py",
            "value = options.get(\n    '{N}', '{V}'\n)",
        ),
        (
            "config/services.php",
            "$value = $config->get(\n    '{N}',\n    '{V}'\n);",
        ),
        (
            "src/main/java/a/App.java",
            "String value = props.getProperty(\n    \"{N}\",\n    \"{V}\");",
        ),
    ];
    let missed = matrix(3903, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_yaml_key_with_its_plain_value_on_the_next_line_is_found() {
    let names = [
        "password",
        "client_secret",
        "api_key",
        "auth_token",
        "db-password",
        "secretKey",
        "privateKey",
        "DB_PASSWORD",
    ];
    let shapes = [
        ("config/settings.yml", "oauth:\n  {N}:\n    {V}\n  other: 1"),
        ("config/app.yaml", "db:\n    {N}:\n        {V}  # rotated"),
        ("deploy/values.yaml", "{N}:\n  {V}"),
        (
            "docker-compose.yml",
            "services:\n  app:\n    environment:\n      {N}:\n        {V}",
        ),
        ("ansible/vars.yml.j2", "app:\n  {N}:\r\n    {V}\r\n"),
        ("ci/pipeline.yml", "steps:\n  - {N}:\n      {V}"),
    ];
    let missed = matrix(3904, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_buffer_from_literal_under_a_credential_name_is_found() {
    let names = [
        "jwtSecret",
        "signingKey",
        "apiToken",
        "hmacKey",
        "encryptionKey",
        "SECRET_KEY",
    ];
    let base64 = [
        ("src/auth.ts", "const {N} = Buffer.from('{V}', 'base64');"),
        (
            "src/auth.js",
            "module.exports = {\n  {N}: Buffer.from(\"{V}\", \"utf8\"),\n};",
        ),
        (
            "src/typed.ts",
            "export const {N}: Buffer = Buffer.from(`{V}`, 'base64url');",
        ),
        ("src/plain.mjs", "let {N} = Buffer.from(\"{V}\");"),
    ];
    let hex = [
        ("src/hex.ts", "const {N} = Buffer.from('{V}', 'hex');"),
        (
            "lib/keys.cjs",
            "exports.{N} = Buffer.from(\"{V}\", \"hex\");",
        ),
        (
            "src/jose.ts",
            "const {N} = createSecretKey(Buffer.from('{V}', 'hex'))",
        ),
        (
            "docs/keys.md",
            "```js\nconst {N} = crypto.createSecretKey(Buffer.from('{V}', 'hex'))\n```",
        ),
    ];
    let mut missed = matrix(3905, &names, &base64);
    missed.extend(missed_names_by_shapes(
        3906,
        &names,
        &hex,
        |f| f.hex(64),
        None,
    ));
    // Inside createSecretKey(…) the type says key, whatever the variable is called.
    missed.extend(missed_names_by_shapes(
        3907,
        &["k", "material", "x"],
        &[(
            "src/any.ts",
            "const {N} = createSecretKey(Buffer.from('{V}', 'hex'));",
        )],
        |f| f.hex(64),
        None,
    ));
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_credential_type_constructed_from_a_literal_is_found() {
    // The names here are the variables': the type says what the literal is.
    let names = ["t", "client", "result", "creds"];
    let shapes = [
        (
            "src/test/java/a/TokenTest.java",
            "        Object {N} = new OAuth2AccessToken(\"{V}\");",
        ),
        (
            "src/test/java/a/Return.java",
            "        return new AccessToken(\"{V}\", OffsetDateTime.now()); // {N}",
        ),
        (
            "src/App.cs",
            "var {N} = new OpenAIClient(new ApiKeyCredential(\"{V}\"));",
        ),
        (
            "src/Sas.cs",
            "var {N} = new BlobClient(uri, new AzureSasCredential(\"{V}\"));",
        ),
        ("app/settings.py", "{N} = SecretStr(\"{V}\")"),
        (
            "app/model.py",
            "{N} = Settings(openai=SecretStr('{V}'), debug=False)",
        ),
        (
            "src/main.rs",
            "let {N} = SecretString::new(\"{V}\".into());",
        ),
        (
            "src/lib.rs",
            "let {N} = Secret::new(String::from(\"{V}\"));",
        ),
        ("src/from.rs", "let {N} = SecretString::from(\"{V}\");"),
        ("src/a/B.kt", "val {N} = BearerToken(\"{V}\")"),
        ("src/refresh.ts", "const {N} = new RefreshToken(\"{V}\");"),
    ];
    let missed = matrix(3908, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_php_serialized_pair_is_found() {
    let names = [
        "api_key",
        "paypal_password",
        "secret_key",
        "auth_token",
        "smtp_password",
        "clientSecret",
    ];
    let files_and_templates = [
        (
            "migrations/m190809_settings.php",
            "$this->execute(\"INSERT INTO config VALUES ('a:2:{s:8:\\\"username\\\";s:5:\\\"alice\\\";s:{L}:\\\"{N}\\\";s:{M}:\\\"{V}\\\";}')\");",
        ),
        (
            "dump/wp_options.sql",
            "INSERT INTO wp_options VALUES (12,'plugin_settings','a:1:{s:{L}:\"{N}\";s:{M}:\"{V}\";}','yes');",
        ),
        ("var/cache/settings.txt", "a:3:{s:4:\"mode\";s:4:\"live\";s:{L}:\"{N}\";s:{M}:\"{V}\";s:3:\"ttl\";i:60;}"),
    ];
    let mut f = Fake::new(3909);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (si, (file, template)) in files_and_templates.iter().enumerate() {
        for (ni, name) in names.iter().enumerate() {
            let v = f.generic_key();
            let path = format!("c{si:02}n{ni}/{file}");
            let text = template
                .replace("{L}", &name.len().to_string())
                .replace("{M}", &v.len().to_string())
                .replace("{N}", name)
                .replace("{V}", &v);
            files.push((path.clone(), format!("{text}\n")));
            want.push((path, format!("{template} / {name}"), v));
        }
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_kotlin_secret_key_spec_without_new_is_found() {
    let names = ["spec", "keySpec", "k"];
    let shapes = [
        (
            "src/main/kotlin/a/Crypto.kt",
            "val {N} = SecretKeySpec(\"{V}\".toByteArray(), \"AES\")",
        ),
        (
            "src/main/kotlin/a/Mac.kt",
            "mac.init(SecretKeySpec(\"{V}\".toByteArray(Charsets.UTF_8), \"HmacSHA256\")) // {N}",
        ),
    ];
    let missed = matrix(3910, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn near_misses_of_those_shapes_stay_quiet() {
    let mut f = Fake::new(3911);
    let v = f.generic_key();
    let h = f.hex(64);
    let files: Vec<(String, String)> = vec![
        // References, a thrown error, a constant: no literal to report.
        (
            "a/Config.kt".into(),
            "val apiKey = System.getenv(\"API_KEY\")\n    ?: DEFAULT_API_KEY\nval token = System.getenv(\"TOKEN\")\n    ?: \"${TOKEN}\"\n".into(),
        ),
        (
            "a/Settings.cs".into(),
            "var apiKey = Environment.GetEnvironmentVariable(\"API_KEY\")\n    ?? throw new InvalidOperationException(\"API_KEY is not set\");\n".into(),
        ),
        (
            "a/vars.yml".into(),
            "token:\n  ${SERVICE_TOKEN}\nsecret:\n  \"{{ vault_secret }}\"\napi_key:\n  type: string\n  description: The key\n".into(),
        ),
        (
            "a/refs.js".into(),
            "const jwtSecret = Buffer.from(process.env.JWT_SECRET, 'base64');\nconst token = Buffer.from(`${user}:${pass}`).toString('base64');\n".into(),
        ),
        (
            "a/Types.java".into(),
            "return new OAuth2AccessToken(accessTokenValue);\nreturn new OAuth2AccessToken(\"\");\n".into(),
        ),
        // Placeholders and weak values.
        (
            "b/Config.kt".into(),
            "val apiKey = System.getenv(\"API_KEY\")\n    ?: \"your-api-key-here\"\nval dbPassword = System.getenv(\"DB_PASSWORD\") ?:\n    \"changeme\"\nval secret = props.getProperty(\"secret\")\n    ?: \"aaaaaaaaaaaaaaaa\"\n".into(),
        ),
        (
            "b/vars.yml".into(),
            "client_secret:\n    your-client-secret-here\npassword:\n  changeme\n".into(),
        ),
        (
            "b/keys.ts".into(),
            "const secretKey = Buffer.from('your-secret-key-here', 'utf8');\n".into(),
        ),
        ("b/s.py".into(), "key = SecretStr(\"your-secret-key-here\")\n".into()),
        (
            "b/dump.sql".into(),
            "INSERT INTO o VALUES ('a:2:{s:7:\"api_key\";s:0:\"\";s:8:\"password\";s:8:\"changeme\";}');\n".into(),
        ),
        // A name that is no credential's beside a random value.
        (
            "c/Config.kt".into(),
            format!("val baseUrl = System.getenv(\"BASE_URL\")\n    ?: \"{v}\"\nval apiKeyId = System.getenv(\"API_KEY_ID\")\n    ?: \"{v}\"\n"),
        ),
        (
            "c/usage.ts".into(),
            format!("const tokenCount = usage.total ??\n  \"{v}\";\n"),
        ),
        (
            "c/vars.yml".into(),
            format!("description:\n  {v}\nimage:\n  {v}\n"),
        ),
        (
            "c/body.js".into(),
            format!("const body = Buffer.from('{v}', 'base64');\nconst digest = Buffer.from('{h}', 'hex');\n"),
        ),
        (
            "c/settings.py".into(),
            format!("base = settings.get(\n    \"base_url\",\n    \"{v}\",\n)\n"),
        ),
        (
            "c/opts.php".into(),
            format!("a:1:{{s:8:\"username\";s:{}:\"{v}\";}}\n", v.len()),
        ),
        // Calls, not types: a getter given an argument, a lexer's bare Token.
        (
            "d/Calls.java".into(),
            format!("String t = getAccessToken(\"{v}\");\n"),
        ),
        // Prose and code that only mentions the words.
        (
            "d/notes.kt".into(),
            "// The token ?: operator falls back when the key is missing\nval label = tokenLabel ?: \"Token\"\n".into(),
        ),
        (
            "d/doc.yml".into(),
            "password:\n  required: true\ntoken:\n  - read\n  - write\n".into(),
        ),
    ];
    let v = scan_files_json(&files);
    let found = finding_rows(&v, |f| (f.s("path"), f.s("rule_id")));
    assert!(found.is_empty(), "near misses reported: {found:#?}");
}
