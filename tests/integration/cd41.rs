//! Stop 41's CredData shapes (rules/cd41.toml and filters by shape in eleven rules): a `user:password`
//! literal turned into bytes and base64-encoded for an HTTP Basic header (the encoder after the
//! literal or around its bytes, in eleven languages, and a shell's `echo -n '…' | base64`), found
//! whatever the user's name; and the shapes CredData's False lines showed the URL, command-line,
//! password, vendor and env-file rules reading as credentials: an environment variable's name in a
//! password's place, a word in another script on a command line, a form's label and a validation
//! rule list under a password's name, a C member assigned a function, .NET's `PublicKeyToken=`, a
//! template named `example.env`. Each cell is a file of its own with a fresh fake value built at run
//! time; near misses stay quiet, and the same shapes with a random value are still found.

use crate::common::*;

/// Each (file, template) under each name, a fresh generic key a cell: those not reported (by `rule`,
/// when given).
fn matrix(seed: u64, names: &[&str], shapes: &[(&str, &str)], rule: Option<&str>) -> Vec<String> {
    missed_names_by_shapes(seed, names, shapes, Fake::generic_key, rule)
}

/// The user's names: `{N}` is the pair's user, `{V}` its password.
const USERS: &[&str] = &[
    "deploy",
    "svc-export",
    "ci.bot",
    "reporter@acme-corp.io",
    "api_user",
];

const BYTES_SHAPES: &[(&str, &str)] = &[
    (
        "src/Client.cs",
        "var auth = Convert.ToBase64String(Encoding.ASCII.GetBytes(\"{N}:{V}\"));",
    ),
    (
        "src/Interpolated.cs",
        "var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($\"{N}:{V}\"));",
    ),
    (
        "scripts/call.ps1",
        "$auth = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes(\"{N}:{V}\"))",
    ),
    (
        "Sources/Api.swift",
        "let auth = \"{N}:{V}\".data(using: .utf8)!.base64EncodedString()",
    ),
    (
        "Classes/Api.m",
        "NSString *auth = [[@\"{N}:{V}\" dataUsingEncoding:NSUTF8StringEncoding] base64EncodedStringWithOptions:0];",
    ),
    (
        "lib/api.dart",
        "final auth = base64Encode(utf8.encode('{N}:{V}'));",
    ),
    (
        "src/main/java/Api.java",
        "String auth = Base64.encodeBase64String(\"{N}:{V}\".getBytes());",
    ),
    (
        "src/main/java/Jaxb.java",
        "String auth = DatatypeConverter.printBase64Binary(\"{N}:{V}\".getBytes(\"UTF-8\"));",
    ),
    (
        "src/main/java/Jdk.java",
        "byte[] auth = Base64.getEncoder().encode(\"{N}:{V}\".getBytes());",
    ),
    ("lib/api.rb", "auth = [\"{N}:{V}\"].pack(\"m0\")"),
    ("lib/Api.pm", "my $auth = encode_base64('{N}:{V}', '');"),
    ("src/api.rs", "let auth = base64::encode(\"{N}:{V}\");"),
    (
        "api/client.py",
        "auth = base64.b64encode(bytes(\"{N}:{V}\", \"utf-8\")).decode()",
    ),
];

#[test]
fn a_basic_pair_turned_into_bytes_and_base64_encoded_is_found_in_each_language() {
    let missed = matrix(
        4101,
        USERS,
        BYTES_SHAPES,
        Some("basic-auth-bytes-encoded-pair"),
    );
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn a_basic_pair_in_a_node_buffer_base64_encoded_is_found() {
    let shapes = [
        (
            "src/client.js",
            "const auth = 'Basic ' + Buffer.from('{N}:{V}').toString('base64');",
        ),
        (
            "src/legacy.js",
            "var auth = new Buffer(\"{N}:{V}\", 'utf8').toString(\"base64\");",
        ),
    ];
    let missed = matrix(4104, USERS, &shapes, Some("basic-auth-buffer-encoded-pair"));
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn a_basic_pair_piped_into_base64_on_a_shell_line_is_found() {
    let shapes = [
        ("scripts/call.sh", "AUTH=$(echo -n '{N}:{V}' | base64)"),
        (
            "scripts/curl.sh",
            "curl -H \"Authorization: Basic $(printf '%s' \"{N}:{V}\" | base64 -w0)\" https://api.acme-corp.io/",
        ),
        ("scripts/plain.sh", "echo -n {N}:{V} | openssl base64"),
        (".github/workflows/ci.yml", "run: echo -e \"{N}:{V}\"|base64"),
        ("Makefile", "\tAUTH=`printf {N}:{V} | base64`"),
    ];
    let missed = matrix(4102, USERS, &shapes, Some("basic-auth-shell-encoded-pair"));
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn near_misses_of_the_encoded_basic_pair_stay_quiet() {
    let files: Vec<(String, String)> = vec![
        // References: no literal pair.
        (
            "a/client.js".into(),
            "const a = Buffer.from(user + ':' + pass).toString('base64');\nconst b = Buffer.from(`${user}:${pass}`).toString('base64');\n".into(),
        ),
        (
            "a/Client.cs".into(),
            "var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($\"{user}:{pass}\"));\n".into(),
        ),
        (
            "a/call.sh".into(),
            "AUTH=$(echo -n \"$USER:$PASS\" | base64)\nAUTH=$(echo -n \"${API_USER}:${API_PASS}\" | base64)\n".into(),
        ),
        // Stand-ins and low entropy.
        (
            "b/Api.swift".into(),
            "let a = \"admin:password\".data(using: .utf8)!.base64EncodedString()\nlet b = \"user:changeme\".data(using: .utf8)!.base64EncodedString()\n".into(),
        ),
        (
            "b/call.sh".into(),
            "echo -n 'admin:mypassword1' | base64\necho -n 'ci:aaaaaaaa1' | base64\n".into(),
        ),
        // No pair at all: text and files encoded.
        (
            "c/encode.js".into(),
            "const b = Buffer.from('hello world').toString('base64');\nconst c = Buffer.from(data).toString('base64');\n".into(),
        ),
        (
            "c/encode.sh".into(),
            "cat key.pem | base64 -w0\necho -n \"$PAYLOAD\" | base64\n".into(),
        ),
    ];
    let v = scan_files_json(&files);
    let found = finding_rows(&v, |f| (f.s("path"), f.s("rule_id")));
    assert!(found.is_empty(), "near misses reported: {found:#?}");
}

/// The rules whose filters stop 41 added: none of them may report the stand-ins below.
const FILTERED: &[&str] = &[
    "postgres-connection-url",
    "mysql-connection-url",
    "mongodb-connection-url",
    "redis-connection-url",
    "amqp-connection-url",
    "url-embedded-credentials",
    "url-credentials-other-schemes",
    "cli-password-argument",
    "cli-tool-password-argument",
    "mysql-client-quoted-password",
    "password-assignment",
    "password-in-text",
    "vendor-named-api-credential",
    "env-file-secret",
    "password-comparison",
    "weak-password-comparison",
];

/// The findings of `files` by a rule of `FILTERED`, as (path, rule).
fn filtered_findings(files: &[(String, String)]) -> Vec<(String, String)> {
    let v = scan_files_json(files);
    finding_rows(&v, |f| (f.s("path"), f.s("rule_id")))
        .into_iter()
        .filter(|(_, r)| FILTERED.contains(&r.as_str()))
        .collect()
}

#[test]
fn an_environment_variables_name_in_a_passwords_place_stays_quiet() {
    let files: Vec<(String, String)> = vec![
        (
            "README.md".into(),
            "    docker run app --connection postgres://POSTGRES_USER:POSTGRES_PASSWORD@POSTGRES_HOST:POSTGRES_PORT/POSTGRES_DATABASE\n".into(),
        ),
        (
            "docs/deploy.md".into(),
            "DATABASE_URL=mysql://APP_USER:APP_DB_PASSWORD@db.acme-corp.io:3306/app\nmongodb://MONGO_USER:MONGO_ROOT_PASS@mongo.acme-corp.io:27017/admin\n".into(),
        ),
        (
            "config/settings.py".into(),
            "BROKER_URL = \"amqp://RABBIT_USER:RABBIT_PASS@rabbit.acme-corp.io:5672/\"\nCACHE_URL = \"redis://:REDIS_AUTH_PASSWORD@cache.acme-corp.io:6379/0\"\n".into(),
        ),
        (
            "deploy/values.yaml".into(),
            "repo: https://GIT_USER:GIT_ACCESS_TOKEN@git.acme-corp.io/app.git\nbroker: mqtt://MQTT_USER:MQTT_PASSWORD@mqtt.acme-corp.io:1883\n".into(),
        ),
        (
            "docs/cli.md".into(),
            "  --password=NATS_PASSWORD  Password\n  --password DB_ADMIN_PASSWORD   the admin's password\n  docker login -u ci -p REGISTRY_PASSWORD registry.acme-corp.io\n".into(),
        ),
        (
            "docs/mysql.sh".into(),
            "mysql -u root -p'DB_ROOT_PASSWORD' -h db.acme-corp.io\n".into(),
        ),
    ];
    let found = filtered_findings(&files);
    assert!(found.is_empty(), "names reported: {found:#?}");
}

#[test]
fn a_word_in_another_script_on_a_command_line_stays_quiet() {
    let files: Vec<(String, String)> = vec![
        (
            "shell/manual.sh".into(),
            "sshpass -p '密码' ssh -n root@$IP \"echo hello\"\nmysql -uroot -p'密码' -e 'select 1' -h db.acme-corp.io\n".into(),
        ),
        (
            "docs/admin.md".into(),
            "app-admin --password=비밀번호 --host db.acme-corp.io\nsshpass -p 'пароль' ssh deploy@web.acme-corp.io\n".into(),
        ),
    ];
    let found = filtered_findings(&files);
    assert!(found.is_empty(), "words reported: {found:#?}");
}

#[test]
fn a_form_label_and_a_validation_rule_list_under_a_password_name_stay_quiet() {
    let files: Vec<(String, String)> = vec![
        (
            "src/view/translation.js".into(),
            "de: {\n  'labelPassword': 'Passwort:',\n  labelPassword2: 'Kennwort eingeben:',\n  placeholderPassword: 'Ihr Passwort',\n}\n".into(),
        ),
        (
            "src/strings.ts".into(),
            // The label's word apart from its name, so that this source's own line holds no pair.
            format!(
                "export const nl = {{ lblPassword: '{}', hintPassword: 'Minimaal8tekens' }};\n",
                "Wachtwoord:"
            ),
        ),
        (
            "app/Http/Requests/Register.php".into(),
            "return ['password' => 'required|min:8', 'password_confirmation' => 'required|same:password'];\n".into(),
        ),
        (
            "docs/validation.md".into(),
            "    password: 'required|min:8',\n    passwordConfirm: 'required|confirmed:password',\n".into(),
        ),
        (
            "forms/signup.py".into(),
            "rules = {\"password\": \"required|min:8\"}\n".into(),
        ),
    ];
    let found = filtered_findings(&files);
    assert!(found.is_empty(), "labels reported: {found:#?}");
}

#[test]
fn code_strong_names_and_templates_stay_quiet() {
    let files: Vec<(String, String)> = vec![
        // A C member assigned a function (libjpeg's quantizer passes).
        (
            "third_party/jpeg/jquant2.c".into(),
            "    cquantize->pub.finish_pass = finish_pass2;\n    cquantize->pub.start_pass = start_pass_2_quant; /* next */\n    ctx.pass = pass_buf1;\n".into(),
        ),
        // .NET strong names beside a vendor's name.
        (
            "src/Facebook/baseline.netcore.json".into(),
            "{\n  \"AssemblyIdentity\": \"Microsoft.AspNetCore.Authentication.Facebook, Version=2.1.1.0, Culture=neutral, PublicKeyToken=adb9793829ddae60\"\n}\n".into(),
        ),
        (
            "web.config".into(),
            "<add assembly=\"Twilio.AspNet, Version=5.0.0.0, Culture=neutral, PublicKeyToken=3c1f8d7b2e4a9f06\" />\n<section name=\"dropbox\" type=\"Dropbox.Api.Config, Dropbox.Api, Version=4.0.0.0, Culture=neutral, PublicKeyToken=310f0e82fbb45d01\" />\n".into(),
        ),
        // Templates named *.env.
        (
            "example.env".into(),
            "STRIPE_SECRET_KEY=stripe_secret_key\nMAILER_PASS=super-secret-password\n".into(),
        ),
        (
            "deploy/app.sample.env".into(),
            "API_TOKEN=token-goes-in-here\n".into(),
        ),
        ("config/template.env".into(), "DB_PASSWORD=db_pass_word\n".into()),
    ];
    let found = filtered_findings(&files);
    assert!(found.is_empty(), "code and templates reported: {found:#?}");
}

#[test]
fn an_authentication_schemes_name_compared_with_the_password_field_stays_quiet() {
    let files: Vec<(String, String)> = vec![
        (
            "src/Composer/Util/AuthHelper.php".into(),
            "if ($auth['password'] === 'bearer') {\n}\nif ($auth['password'] === 'private-token' || $auth['password'] === 'oauth2' || $auth['password'] === 'gitlab-ci-token') {\n}\n".into(),
        ),
        (
            "lib/git.js".into(),
            "if (creds.password === 'x-access-token') {}\nif (auth.password == \"x-oauth-basic\") {}\n".into(),
        ),
        (
            "app/auth.py".into(),
            "if password == \"Bearer\":\n    pass\n".into(),
        ),
    ];
    let found = filtered_findings(&files);
    assert!(found.is_empty(), "scheme names reported: {found:#?}");
}

#[test]
fn the_same_urls_commands_names_and_env_files_with_a_random_value_are_still_found() {
    let names = ["x"];
    let shapes = [
        (
            "README.md",
            "    docker run app --connection postgres://app:{V}@pg.acme-corp.io:5432/app",
        ),
        (
            "docs/deploy.md",
            "DATABASE_URL=mysql://app:{V}@db.acme-corp.io:3306/app",
        ),
        (
            "config/settings.py",
            "BROKER_URL = \"amqp://app:{V}@rabbit.acme-corp.io:5672/\"",
        ),
        (
            "docs/cli.md",
            "  app-admin --password={V} --host db.acme-corp.io",
        ),
        (
            "shell/manual.sh",
            "sshpass -p '{V}' ssh -n root@web.acme-corp.io \"echo hello\"",
        ),
        ("docs/mysql.sh", "mysql -u root -p'{V}' -h db.acme-corp.io"),
        (
            "src/view/translation.js",
            "const config = { 'password': '{V}' };",
        ),
        ("src/Facebook/Settings.cs", "var FacebookToken = \"{V}\";"),
        (
            "src/Composer/Util/AuthHelper.php",
            "if ($auth['password'] === '{V}') {",
        ),
        ("prod.env", "STRIPE_SECRET_KEY={V}"),
        ("deploy/app.env", "MAILER_PASS={V}"),
    ];
    let missed = matrix(4103, &names, &shapes, None);
    assert!(missed.is_empty(), "missed: {missed:#?}");
}
