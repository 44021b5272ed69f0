//! A credential's name beside its value in the syntaxes the generic rules did not read (stop 37,
//! rules/cd37.toml): an XML element's CDATA section, systemd's `Environment=` with several pairs on
//! one line, a .properties line whose separator is a blank, a CSV `name,value` row, an SQL settings
//! row (`SET value='…' WHERE name='api_key'`), a .NET `<setting>`'s `<value>`, CMake's `set(…)`,
//! `git config`, an Elixir module attribute, `Authorization: Token …`, a password piped to a
//! registry login, and a bare value passed to a vendor-named client's constructor; and the older
//! AWS session-token prefixes (rules/cloud.toml). Beside them, shapes the catalog already read that
//! the same matrix asks for (Clojure's `(def API-KEY "…")` in upper case, a map's
//! `put("apiSecret", "…")`), so a change that loses them fails here too. Each cell is a file of its
//! own with a fresh fake value built at run time; near misses (references, placeholders, weak
//! values, prose, a name that is no credential's, ids and URLs passed to a client) stay quiet.

use crate::common::*;

/// The names a generic credential goes by, in the spellings code and config use.
const NAMES: &[&str] = &[
    "API_KEY",
    "api_key",
    "apiSecret",
    "DB_PASSWORD",
    "auth_token",
    "client_secret",
    "privateKey",
];

/// (shape, file name, template): `{N}` is the name, `{V}` the value.
const SHAPES: &[(&str, &str, &str)] = &[
    (
        "XML element, CDATA",
        "conf/settings.xml",
        "<config>\n  <{N}><![CDATA[{V}]]></{N}>\n</config>\n",
    ),
    (
        "XML key attribute, CDATA",
        "conf/props.xml",
        "<properties>\n  <entry key=\"service.{N}\"><![CDATA[{V}]]></entry>\n</properties>\n",
    ),
    (
        "systemd Environment=, first of two pairs",
        "deploy/app.service",
        "[Service]\nEnvironment=\"{N}={V}\" \"NODE_ENV=production\"\n",
    ),
    (
        "systemd Environment=, unquoted pair after another",
        "deploy/worker.service",
        "[Service]\nEnvironment=PORT=8080 {N}={V}\n",
    ),
    (
        ".properties, blank separator",
        "src/main/resources/app.properties",
        "service.url=https://api.example.org\nservice.{N} {V}\n",
    ),
    (
        ".properties, tab separator",
        "conf/mail.properties",
        "{N}\t{V}\n",
    ),
    ("CSV name,value row", "seed/settings.csv", "name,value\n{N},{V}\n"),
    (
        "CSV quoted, semicolons, more columns",
        "export/config.csv",
        "env;name;value;updated\n\"prod\";\"{N}\";\"{V}\";\"2024-01-01\"\n",
    ),
    (
        "SQL UPDATE of a settings row",
        "db/seed.sql",
        "UPDATE settings SET value='{V}' WHERE name='{N}';\n",
    ),
    (
        "map put",
        "src/Config.java",
        "params.put(\"{N}\", \"{V}\");\n",
    ),
    (
        "git config",
        "scripts/bootstrap.sh",
        "git config --global tool.{N} {V}\n",
    ),
    (
        "CMake set",
        "CMakeLists.txt",
        "project(app)\nset({N} \"{V}\" CACHE STRING \"\")\n",
    ),
    (
        ".NET setting",
        "App/app.config",
        "<App.Properties.Settings>\n  <setting name=\"{N}\" serializeAs=\"String\">\n    <value>{V}</value>\n  </setting>\n</App.Properties.Settings>\n",
    ),
];

#[test]
fn a_generic_credential_is_found_in_every_shape_of_the_matrix() {
    let mut f = Fake::new(3701);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (si, (shape, file, template)) in SHAPES.iter().enumerate() {
        for (ni, name) in NAMES.iter().enumerate() {
            let value = f.generic_key();
            let path = format!("c{si:02}n{ni}/{file}");
            files.push((
                path.clone(),
                template.replace("{N}", name).replace("{V}", &value),
            ));
            want.push((path, format!("{shape} / {name}"), value));
        }
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn every_credential_pair_of_a_systemd_environment_line_is_found() {
    // Several pairs on one line: each credential is its own finding, whichever pair comes first.
    let mut f = Fake::new(3702);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, (a, b)) in [
        ("API_TOKEN", "DB_PASSWORD"),
        ("CLIENT_SECRET", "STRIPE_SECRET_KEY"),
        ("authToken", "smtp_password"),
    ]
    .iter()
    .enumerate()
    {
        let (va, vb) = (f.generic_key(), f.generic_key());
        for (j, line) in [
            format!("Environment=\"{a}={va}\" \"{b}={vb}\""),
            format!("Environment=\"LANG=C\" \"{a}={va}\" \"PORT=80\" \"{b}={vb}\""),
            format!("Environment={a}={va} {b}={vb}"),
            format!("Environment='{a}={va}' '{b}={vb}'"),
        ]
        .iter()
        .enumerate()
        {
            let path = format!("u{i}{j}/app.service");
            files.push((path.clone(), format!("[Service]\n{line}\n")));
            want.push((path.clone(), format!("{line:?} / {a}"), va.clone()));
            want.push((path, format!("{line:?} / {b}"), vb.clone()));
        }
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed pairs: {missed:#?}");
}

#[test]
fn upper_case_clojure_definitions_are_found() {
    let mut f = Fake::new(3703);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, name) in [
        "API-KEY",
        "SECRET-TOKEN",
        "DB-PASSWORD",
        "AUTH-TOKEN",
        "api-secret",
    ]
    .iter()
    .enumerate()
    {
        let value = f.generic_key();
        let path = format!("k{i}/src/app/config.clj");
        files.push((
            path.clone(),
            format!("(ns app.config)\n\n(def {name} \"{value}\")\n"),
        ));
        want.push((path, name.to_string(), value));
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn elixir_module_attributes_are_found() {
    let mut f = Fake::new(3706);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, name) in [
        "api_key",
        "secret_key_base",
        "auth_token",
        "db_password",
        "client_secret",
    ]
    .iter()
    .enumerate()
    {
        let value = f.generic_key();
        let path = format!("x{i}/lib/app/client.ex");
        files.push((
            path.clone(),
            format!("defmodule App.Client do\n  @{name} \"{value}\"\nend\n"),
        ));
        want.push((path, name.to_string(), value));
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn a_token_under_the_token_scheme_and_a_password_piped_to_a_login_are_found() {
    let mut f = Fake::new(3707);
    let mut files = Vec::new();
    let mut want = Vec::new();
    let templates = [
        ("api.md", "Authorization: Token {V}"),
        ("client.py", "headers = {\"Authorization\": \"Token {V}\"}"),
        (
            "call.sh",
            "curl -H 'Authorization: token {V}' https://api.example.org/user",
        ),
        ("rails.http", "Authorization: Token token=\"{V}\""),
        ("req.txt", "authorization: ApiKey {V}"),
        (
            "push.sh",
            "echo \"{V}\" | docker login -u deploy --password-stdin registry.example.org",
        ),
        (
            "ci.yml",
            "  - echo {V} | podman login quay.io -u bot --password-stdin",
        ),
        (
            "helm.sh",
            "echo '{V}' | helm registry login registry.example.org -u bot --password-stdin",
        ),
        (
            "crane.sh",
            "echo -n \"{V}\" | crane auth login ghcr.io -u bot --password-stdin",
        ),
    ];
    for (i, (file, template)) in templates.iter().enumerate() {
        let value = f.generic_key();
        let path = format!("t{i}/{file}");
        files.push((
            path.clone(),
            format!("{}\n", template.replace("{V}", &value)),
        ));
        want.push((path, template.to_string(), value));
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn a_bare_value_passed_to_a_vendor_named_client_is_found() {
    let mut f = Fake::new(3704);
    let mut files = Vec::new();
    let mut want = Vec::new();
    let hex32 = f.hex(32);
    let calls: Vec<(&str, &str, String)> = vec![
        (
            "app.py",
            "client = ParticleClient(\"{V}\")",
            f.generic_key(),
        ),
        (
            "Sms.cs",
            "var client = new TwilioClient(accountSid, \"{V}\");",
            hex32,
        ),
        (
            "mail.py",
            "mg = MailgunClient('{V}', \"mg.example.org\")",
            f.generic_key(),
        ),
        (
            "Chat.java",
            "StreamChatApi api = new StreamChatApi(\"app-id\", \"{V}\");",
            f.generic_key(),
        ),
        (
            "bot.ts",
            "const sdk = new AcmeSdk(\"{V}\");",
            f.generic_key(),
        ),
        (
            "push.go",
            "c := NewPushoverClient(\"{V}\")",
            f.generic_key(),
        ),
    ];
    for (i, (file, template, value)) in calls.iter().enumerate() {
        let path = format!("v{i}/{file}");
        files.push((
            path.clone(),
            format!("{}\n", template.replace("{V}", value)),
        ));
        want.push((path, template.to_string(), value.clone()));
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:#?}");
}

#[test]
fn near_misses_of_those_shapes_stay_quiet() {
    let mut f = Fake::new(3705);
    let v = f.generic_key();
    let files: Vec<(String, String)> = vec![
        // References and placeholders.
        (
            "a.xml".into(),
            "<c>\n  <password><![CDATA[${DB_PASSWORD}]]></password>\n  <apiKey><![CDATA[your_api_key_here]]></apiKey>\n</c>\n".into(),
        ),
        (
            "b.service".into(),
            "[Service]\nEnvironment=\"API_TOKEN=${API_TOKEN}\" \"DB_PASSWORD=%i\"\nEnvironment=\"NODE_ENV=production\" \"PORT=8080\"\n".into(),
        ),
        (
            "c.properties".into(),
            "db.password ${DB_PASSWORD}\napi.token @api.token@\n".into(),
        ),
        ("d.csv".into(), "name,value\napi_key,${API_KEY}\n".into()),
        (
            "e.sql".into(),
            "UPDATE settings SET value=':api_key' WHERE name='api_key';\n".into(),
        ),
        // Weak values: a word, a run.
        (
            "f.xml".into(),
            "<password><![CDATA[changeme]]></password>\n".into(),
        ),
        (
            "g.properties".into(),
            "db.password changeme\napi.secret aaaaaaaaaaaa\n".into(),
        ),
        ("h.csv".into(), "db_password,password\n".into()),
        // Prose and a header row.
        (
            "i.properties".into(),
            "# the password is read from the vault at start-up\n".into(),
        ),
        ("j.csv".into(), "api_key,secret_key,token\n".into()),
        // A name that is no credential's beside a random value.
        (
            "k.xml".into(),
            format!("<description><![CDATA[{v}]]></description>\n"),
        ),
        ("l.properties".into(), format!("db.username {v}\n")),
        ("m.csv".into(), format!("user_name,{v}\n")),
        (
            "n.sql".into(),
            format!("UPDATE settings SET value='{v}' WHERE name='site_title';\n"),
        ),
        (
            "o.service".into(),
            format!("[Service]\nEnvironment=\"BUILD_ID={v}\"\n"),
        ),
        // Ids, URLs, references and names passed to a client.
        (
            "p.py".into(),
            "a = ProjectClient(\"0f8fad5b-d9cb-469f-a165-70867728950e\")\nb = HttpClient(\"https://api.example.org/v1\")\nc = ParticleClient(os.environ[\"PARTICLE_TOKEN\"])\nd = StorageClient(\"my-app-bucket-name\")\n".into(),
        ),
        // The new readers' references, and their names that are no credential's.
        (
            "r.sh".into(),
            "echo \"API_KEY=${{ secrets.API_KEY }}\" >> .env\necho \"$REGISTRY_PASSWORD\" | docker login -u ci --password-stdin\ngit config --global github.token \"$GITHUB_TOKEN\"\n".into(),
        ),
        (
            "s.sh".into(),
            format!("echo \"BUILD_ID={v}\" >> .env\ngit config --global user.name {v}\necho \"{v}\" | docker build -\n"),
        ),
        (
            "t.py".into(),
            "headers = {\"Authorization\": f\"Token {token}\"}\nh = {'Authorization': 'Token ' + token}\n".into(),
        ),
        (
            "CMakeLists.txt".into(),
            format!("set(API_KEY \"${{ENV_API_KEY}}\")\nset(PROJECT_VERSION \"{v}\")\n"),
        ),
        (
            "app.config".into(),
            format!("<setting name=\"ServiceUrl\" serializeAs=\"String\">\n  <value>{v}</value>\n</setting>\n"),
        ),
        (
            "lib/v.ex".into(),
            format!("  @token_ttl \"{v}\"\n  @api_key System.get_env(\"API_KEY\")\n"),
        ),
    ];
    let by_path = scan_files_by_path(&files);
    assert!(by_path.is_empty(), "{by_path:#?}");
}

#[test]
fn aws_session_tokens_of_the_older_prefixes_are_found() {
    // The base64 of an STS token's first bytes: `FQoGZXIvYXdz` and `FQoDYXdz` before today's
    // `IQoJb3JpZ2luX2Vj` and `FwoGZXIvYXdz` (a pentest page's `"Token": "FQoG…"`).
    let mut f = Fake::new(3708);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, prefix) in [
        "FQoGZXIvYXdz",
        "FQoDYXdz",
        "FwoGZXIvYXdz",
        "IQoJb3JpZ2luX2Vj",
    ]
    .iter()
    .enumerate()
    {
        let body = f.from_alphabet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            180,
        );
        let token = format!("{prefix}{body}");
        let path = format!("s{i}/creds.json");
        files.push((
            path.clone(),
            format!("{{\n  \"Credentials\": {{\n    \"Token\": \"{token}\"\n  }}\n}}\n"),
        ));
        want.push((path, prefix.to_string(), token));
    }
    // By the session-token rule itself (the generic rules read a long value under `Token` too).
    let by_path = scan_files_by_path(&files);
    let missed: Vec<&String> = want
        .iter()
        .filter(|(path, _, token)| {
            !by_path.get(path).is_some_and(|found| {
                found
                    .iter()
                    .any(|(rule, s)| rule == "aws-session-token" && s == token)
            })
        })
        .map(|(_, prefix, _)| prefix)
        .collect();
    assert!(
        missed.is_empty(),
        "not found as session tokens: {missed:#?}"
    );
}
