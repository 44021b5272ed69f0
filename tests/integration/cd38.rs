//! Shapes a credential's name and value are written in that stop 37 left out for cost and CredData's
//! misses named (stop 38, rules/cd38.toml): a shell line writing `NAME=value` into an env file
//! (`echo "API_KEY=…" >> .env`, `>> $GITHUB_ENV`, `>> ~/.bashrc`, `| tee -a`, PowerShell's
//! `| Out-File`), a C/C++ character array (`char API_KEY[] = "…"`, `PROGMEM`, `wchar_t`), nginx's
//! `set $api_key "…";`, and a camelCase name whose last word says it holds the credential's value
//! (`keyValue`, `apiKeyValue`, `tokenString`, `signingKeyHex`) in each language's syntax, its literal
//! as written or decoded in a call (`base64Decode("…")`). Each cell
//! is a file of its own with a fresh fake value built at run time, under several names; near misses
//! (references, placeholders, weak values, prose, a name or a target that is no credential's) stay
//! quiet.

use crate::common::*;

/// Each (file, template) under each name: `{N}` is the name, `{V}` a fresh value.
fn matrix(seed: u64, names: &[&str], shapes: &[(&str, &str)]) -> Vec<String> {
    let mut f = Fake::new(seed);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (si, (file, template)) in shapes.iter().enumerate() {
        for (ni, name) in names.iter().enumerate() {
            let value = f.generic_key();
            let path = format!("c{si:02}n{ni}/{file}");
            files.push((
                path.clone(),
                format!("{}\n", template.replace("{N}", name).replace("{V}", &value)),
            ));
            want.push((path, format!("{template} / {name}"), value));
        }
    }
    missed_values(&files, &want)
}

#[test]
fn a_credential_written_into_an_env_file_by_a_shell_line_is_found() {
    let names = [
        "API_KEY",
        "STRIPE_SECRET_KEY",
        "DB_PASSWORD",
        "AUTH_TOKEN",
        "CLIENT_SECRET",
        "github_token",
    ];
    let shapes = [
        ("scripts/setup.sh", "echo \"{N}={V}\" >> .env"),
        ("scripts/init.sh", "echo '{N}={V}' > .env.local"),
        ("Dockerfile", "RUN echo \"{N}={V}\" >> /app/.env"),
        (
            ".github/workflows/deploy.yml",
            "jobs:\n  d:\n    steps:\n      - run: echo \"{N}={V}\" >> \"$GITHUB_ENV\"",
        ),
        (
            "ci/job.yml",
            "build:\n  script:\n    - echo {N}={V} >> ${GITHUB_ENV}",
        ),
        ("Makefile", "env:\n\techo '{N}={V}' >> .env"),
        (
            "README.md",
            "```sh\necho \"export {N}={V}\" >> ~/.zshrc\n```",
        ),
        (
            "scripts/profile.sh",
            "echo \"export {N}={V}\" >> ~/.bash_profile",
        ),
        (
            "scripts/tee.sh",
            "printf \"{N}={V}\\n\" | sudo tee -a /etc/environment",
        ),
        ("scripts/direnv.sh", "echo -n \"{N}={V}\" >> .envrc"),
        ("scripts/setup.ps1", "\"{N}={V}\" | Out-File -Append .env"),
        ("scripts/setup.bat", "echo {N}={V}>> .env"),
    ];
    let missed = matrix(3801, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_credential_in_a_c_character_array_is_found() {
    let names = [
        "API_KEY",
        "kApiSecret",
        "auth_token",
        "password",
        "ACCESS_KEY",
        "privateKey",
    ];
    let shapes = [
        ("src/config.c", "char {N}[] = \"{V}\";"),
        ("include/keys.h", "static const char {N}[] = \"{V}\";"),
        ("src/client.cpp", "constexpr char {N}[] = \"{V}\";"),
        ("sketch/sketch.ino", "const char {N}[] PROGMEM = \"{V}\";"),
        ("src/auth.c", "char {N}[64] = \"{V}\";"),
        ("src/auth2.c", "unsigned char {N}[] = {\"{V}\"};"),
        ("src/win.cpp", "const wchar_t {N}[] = L\"{V}\";"),
        ("src/App.m", "static char {N}[] = \"{V}\";"),
        ("docs/arduino.md", "```c\nconst char {N}[] = \"{V}\";\n```"),
    ];
    let missed = matrix(3802, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_credential_in_an_nginx_set_directive_is_found() {
    let names = [
        "api_key",
        "auth_token",
        "upstream_secret",
        "client_password",
        "access_key",
    ];
    let shapes = [
        (
            "conf/nginx.conf",
            "server {\n    location / {\n        set ${N} \"{V}\";\n        proxy_set_header X-Api-Key ${N};\n    }\n}",
        ),
        ("conf.d/default.conf.template", "  set ${N} {V};"),
        ("conf/site.conf", "set ${N} '{V}';"),
        ("sites/app.vhost", "server {\n  set ${N} \"{V}\";\n}"),
    ];
    let missed = matrix(3803, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn a_camel_case_name_ending_in_value_string_or_hex_is_found_in_each_language() {
    let names = [
        "keyValue",
        "apiKeyValue",
        "accessTokenValue",
        "clientSecretValue",
        "tokenString",
        "signingKeyHex",
        "SecretValue",
    ];
    let shapes = [
        ("src/main/java/A.java", "        String {N} = \"{V}\";"),
        ("src/main/kotlin/A.kt", "    val {N}: String = \"{V}\""),
        ("src/A.cs", "    var {N} = \"{V}\";"),
        ("src/a.ts", "const {N}: string = \"{V}\";"),
        ("src/a.js", "module.exports = {\n  {N}: \"{V}\",\n};"),
        ("pkg/a.go", "func f() {\n\t{N} := \"{V}\"\n}"),
        ("Sources/A.swift", "let {N} = \"{V}\""),
        ("src/a.php", "<?php\n${N} = '{V}';"),
        ("app/a.py", "{N} = \"{V}\""),
        ("lib/a.rb", "@{N} = '{V}'"),
        ("conf/a.json", "{\"{N}\": \"{V}\"}"),
        ("conf/a.yml", "{N}: \"{V}\""),
        (
            "src/test/java/B.java",
            "        byte[] {N} = base64Decode(\"{V}\");",
        ),
        ("src/b.js", "const {N} = Buffer.from(\"{V}\", \"base64\");"),
    ];
    let missed = matrix(3804, &names, &shapes);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn near_misses_of_those_shapes_stay_quiet() {
    let mut f = Fake::new(3805);
    let v = f.generic_key();
    let files: Vec<(String, String)> = vec![
        // References the shell, the CI or a template expands.
        (
            "a.sh".into(),
            "echo \"API_KEY=${{ secrets.API_KEY }}\" >> $GITHUB_ENV\necho \"API_KEY=$API_KEY\" >> .env\necho \"DB_PASSWORD=$(vault read -field=pw secret/db)\" >> .env\nprintf 'API_KEY=%s\\n' \"$KEY\" > .env\n".into(),
        ),
        (
            "b.conf".into(),
            "set $api_key $http_x_api_key;\nset $auth_token \"\";\n".into(),
        ),
        (
            "c.java".into(),
            "String tokenValue = \"${TOKEN}\";\nString keyValue = \"{{ key }}\";\n".into(),
        ),
        // Placeholders and weak values.
        (
            "d.sh".into(),
            "echo \"API_KEY=your_api_key_here\" >> .env\necho \"DB_PASSWORD=changeme\" >> .env\n".into(),
        ),
        (
            "e.c".into(),
            "char API_KEY[] = \"YOUR_API_KEY_HERE\";\nchar password[] = \"password\";\nchar token[MAX_TOKEN] = \"\";\n".into(),
        ),
        ("f.conf".into(), "set $api_key \"changeme\";\n".into()),
        (
            "g.ts".into(),
            "const tokenValue = \"YOUR_TOKEN_VALUE\";\nconst keyValue = \"aaaaaaaaaaaaaaaa\";\n".into(),
        ),
        // A name or a target that is no credential's beside a random value.
        (
            "h.sh".into(),
            format!("echo \"BUILD_ID={v}\" >> .env\necho \"API_KEY={v}\" >> Cargo.toml\n"),
        ),
        ("i.c".into(), format!("char hostname[] = \"{v}\";\n")),
        ("j.conf".into(), format!("set $backend \"{v}\";\n")),
        (
            "k.java".into(),
            format!("String monkeyValue = \"{v}\";\nString keyValue = \"app.config.name\";\nString keyValue = System.getProperty(\"app.secret.key\");\nString tokenString = request.getHeader(\"Authorization\");\n"),
        ),
        // Prose and code that only mentions the words.
        (
            "l.rs".into(),
            "/// Returns the char boundary at `index` in the token stream.\nfn f(set: &mut Vec<u8>) {}\n".into(),
        ),
        (
            "m.cs".into(),
            "foreach (KeyValuePair<string, string> pair in tokens) { }\n".into(),
        ),
        (
            "n.sh".into(),
            "set $token\necho \"the API key goes in .env\" >> notes.txt\n".into(),
        ),
    ];
    let v = scan_files_json(&files);
    let found = finding_rows(&v, |f| (f.s("path"), f.s("rule_id")));
    assert!(found.is_empty(), "near misses reported: {found:#?}");
}
