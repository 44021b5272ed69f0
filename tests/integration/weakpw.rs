//! Passwords as code writes them (issue 17, helper weakpw): the weak-password tier reports the
//! password in use whatever it says, so the word `password` in lower case, `secret`, `mypassword`
//! and Java's keystore default `changeit` under a password name are reported (severity `low`, tag
//! `weak-password`) in code and config of several languages, and so is a literal a password name is
//! compared with (`assert cfg["password"] == "…"`, `password === '…'`: weak-password-comparison).
//! Near misses stay quiet: a label (`Password`), the name again in another form (`pass: pass`,
//! `my_password`), a field's name (`FieldPassword = "password"`), the global placeholder `changeme`,
//! `!=`, a type test, an expected or wrong value, an empty string, documentation pages.

use crate::common::*;

const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// (path, content, value): each value must be reported by a weak-password rule at severity low.
fn positives(f: &mut Fake) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut add = |path: &str, content: String, value: &str| {
        out.push((path.to_string(), content, value.to_string()));
    };
    // The default words, under a password name, in each language's assignment shape. Spelled in
    // parts here so that this file scans clean.
    let password = ["pass", "word"].concat();
    let secret = ["sec", "ret"].concat();
    let mypassword = ["my", "pass", "word"].concat();
    let changeit = ["change", "it"].concat();
    let defaults: [(&str, &str, &String); 8] = [
        (
            "tests/test_login.py",
            "with login_as_user(app, name=\"admin\", password=\"{v}\") as c:\n    pass\n",
            &password,
        ),
        (
            "test/auth.test.js",
            "const creds = {\n  email: 'ops@acme.io',\n  password: '{v}',\n};\n",
            &secret,
        ),
        (
            "internal/store_test.go",
            "cfg := Config{User: \"ops\", Password: \"{v}\"}\n",
            &mypassword,
        ),
        (
            "config/tls.yml",
            "server:\n  ssl:\n    key-store-password: {v}\n",
            &changeit,
        ),
        (
            "src/main/resources/application.properties",
            "spring.datasource.password={v}\n",
            &password,
        ),
        (
            "conf/app.php",
            "<?php\n$config['db_password'] = '{v}';\n",
            &secret,
        ),
        (
            "deploy/compose.yml",
            "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD={v}\n",
            &password,
        ),
        (
            "run-db.sh",
            "docker run --name pg -e POSTGRES_PASSWORD={v} --rm postgres:16\n",
            &mypassword,
        ),
    ];
    for (path, template, value) in defaults {
        add(path, template.replace("{v}", value), value);
    }
    // Comparisons: a test's assertion or a hard-coded login check states the password.
    let v1 = f.from_alphabet(LOWER_DIGITS, 9);
    add(
        "tests/test_config.py",
        format!("def test_sudo():\n    assert config.sudo.password == \"{v1}\"\n"),
        &v1,
    );
    let v2 = f.from_alphabet(LOWER_DIGITS, 8);
    add(
        "tests/auth_test.py",
        format!("    assert cfg['password'] == '{v2}'\n"),
        &v2,
    );
    let v3 = f.from_alphabet(LOWER_DIGITS, 10);
    add(
        "src/login.ts",
        format!("const ok = req.body.user === 'ops' && req.body.password === '{v3}';\n"),
        &v3,
    );
    let v4 = f.from_alphabet(LOWER_DIGITS, 7);
    add(
        "src/UserRepository.php",
        format!("if ($username === 'ops' && $password === '{v4}') {{\n    return true;\n}}\n"),
        &v4,
    );
    let v5 = f.from_alphabet(LOWER_DIGITS, 9);
    add(
        "server/reload_test.go",
        format!("ok := updated.Password == \"{v5}\"\n"),
        &v5,
    );
    // An LDIF entry's password attribute; a word one letter dominates, as people type them.
    let v6 = f.from_alphabet(LOWER_DIGITS, 9);
    add(
        "ldap/users.ldif",
        format!("dn: uid=ops,ou=people,dc=acme,dc=io\nuid: ops\nuserPassword: {v6}\n"),
        &v6,
    );
    let typed = format!("z{}mb", "o".repeat(5));
    add(
        "test/api/userSpec.ts",
        format!("const body = {{ email: 'ops@acme.io', password: '{typed}' }};\n"),
        &typed,
    );
    out
}

/// (path, content): nothing may be reported.
fn negatives(f: &mut Fake) -> Vec<(String, String)> {
    let v = f.from_alphabet(LOWER_DIGITS, 9);
    let files: Vec<(&str, String)> = vec![
        ("n/label.yml", "password: Password\n".into()),
        (
            "n/label.js",
            "const passwordLabel = { password: \"Password\" };\n".into(),
        ),
        ("n/same.yml", "pass: pass\n".into()),
        ("n/mine.py", "password = \"my_password\"\n".into()),
        ("n/field.go", "const FieldPassword = \"password\"\n".into()),
        ("n/flag.go", "FlagPassword = \"password\"\n".into()),
        ("n/changeme.py", "password = \"changeme\"\n".into()),
        ("n/run.py", "password = \"12345678\"\n".into()),
        (
            "n/twochars.js",
            "const creds = { password: 'ababab' };\n".into(),
        ),
        ("n/this.yml", "password: changethis\n".into()),
        ("n/camel.js", "password: 'myPassword',\n".into()),
        ("n/ne.py", format!("assert cfg['password'] != '{v}'\n")),
        (
            "n/typeof.js",
            "if (typeof this.password === 'function') {\n}\n".into(),
        ),
        ("n/wrong.py", format!("assert wrong_password == \"{v}\"\n")),
        (
            "n/expected.ts",
            format!("expect(expectedPassword === '{v}')\n"),
        ),
        ("n/empty.py", "if password == \"\":\n    fail()\n".into()),
        (
            "n/ref.py",
            "assert cfg['password'] == os.environ['DB_PASSWORD']\n".into(),
        ),
        (
            "n/tpl.py",
            "assert cfg['password'] == \"${DB_PASSWORD}\"\n".into(),
        ),
        (
            "n/README.md",
            format!(
                "Log in:\n\n    assert password == \"{v}\"\n    password: \"{}\"\n",
                ["pass", "word"].concat()
            ),
        ),
    ];
    files.into_iter().map(|(p, c)| (p.to_string(), c)).collect()
}

#[test]
fn default_words_and_compared_literals_are_weak_passwords_in_every_language() {
    let mut f = Fake::new(0x3eb9_9a22);
    let pos = positives(&mut f);
    let neg = negatives(&mut f);
    crate::weak_passwords::assert_weak_tier_reports_exactly(&pos, &neg);
}
