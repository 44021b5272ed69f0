//! Weak passwords (issue 17, rules/weak_passwords.toml): a password literal of any strength under a
//! password name is reported, at severity `low` with the tag `weak-password`, in code and config
//! files of many kinds, and in URLs to loopback hosts and compose services; templates, references,
//! placeholder words, field labels, documentation pages, translations, lock files, comparisons,
//! deliberately wrong values and a service's default account are not. The values are generated here
//! (lower-case letters and digits: two character classes, which password-assignment and
//! password-in-text leave out), so every true case is one only the weak-password rules find.

use crate::common::*;

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
/// The weak tier's rules: each of them reports at severity low, tagged `weak-password`.
pub(crate) const WEAK_RULES: &[&str] = &[
    "weak-password-assignment",
    "weak-password-config-value",
    "weak-password-env-assignment",
    "weak-password-comparison",
    "weak-url-credentials",
];

/// A weak password: lower-case letters and digits (two character classes at most), 9 of them.
fn weak(f: &mut Fake) -> String {
    f.from_alphabet(LOWER_DIGITS, 9)
}

/// (path, file content, the password in it): each must be reported.
fn positives(f: &mut Fake) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut add = |path: &str, template: &str, f: &mut Fake| {
        let v = weak(f);
        out.push((path.to_string(), template.replace("{v}", &v), v));
    };
    add("app/settings.py", "DB_PASSWORD = \"{v}\"\n", f);
    add(
        "app/db.py",
        "conn = connect(host=\"db1.acme.io\", user=\"ops\", passwd=\"{v}\")\n",
        f,
    );
    add(
        "web/config.js",
        "module.exports = {\n  user: 'ops',\n  password: '{v}',\n};\n",
        f,
    );
    add(
        "web/mailer.ts",
        "export const smtpPassword: string = \"{v}\";\n",
        f,
    );
    add(
        "svc/client.go",
        "opts := Options{User: \"ops\", Pass: \"{v}\"}\n",
        f,
    );
    add("svc/env.go", "os.Setenv(\"DB_PASSWORD\", \"{v}\")\n", f);
    add(
        "site/config.php",
        "<?php\nreturn [\n    'username' => 'ops',\n    'password' => '{v}',\n];\n",
        f,
    );
    add("lib/client.rb", "config.password = \"{v}\"\n", f);
    add(
        "src/main/java/Db.java",
        "class Db {\n    private static final String DB_PASSWORD = \"{v}\";\n}\n",
        f,
    );
    add("src/Db.cs", "var pwd = \"{v}\";\n", f);
    add(
        "src/config.rs",
        "const ADMIN_PASSWORD: &str = \"{v}\";\n",
        f,
    );
    add("config/app.yml", "db:\n  user: ops\n  password: {v}\n", f);
    add(
        "config/application.properties",
        "spring.datasource.password={v}\n",
        f,
    );
    add("config/app.ini", "[db]\npassword = {v}\n", f);
    add(
        "docker/Dockerfile",
        "FROM alpine:3.19\nENV DB_PASSWORD={v}\n",
        f,
    );
    add(
        "deploy/compose.yml",
        "services:\n  db:\n    environment:\n      - \"MYSQL_PASSWORD={v}\"\n",
        f,
    );
    add(
        "conf/settings.xml",
        "<settings>\n  <password>{v}</password>\n</settings>\n",
        f,
    );
    add(
        "app/broker.py",
        "BROKER_URL = \"amqp://app:{v}@localhost:5672/\"\n",
        f,
    );
    // To a compose service, a weak password is a word (and a number at most): letters only here.
    let word = f.from_alphabet(LOWER, 8);
    out.push((
        "app/cache.py".to_string(),
        format!("CACHE_URL = \"redis://cache:{word}@redis:6379/0\"\n"),
        word,
    ));
    out
}

/// (path, file content): nothing may be reported.
fn negatives(f: &mut Fake) -> Vec<(String, String)> {
    let v = weak(f);
    let files: Vec<(&str, String)> = vec![
        // templates and references
        (
            "n/ref.py",
            "DB_PASSWORD = os.getenv(\"DB_PASSWORD\")\n".into(),
        ),
        ("n/tpl.py", "password = \"${DB_PASSWORD}\"\n".into()),
        ("n/tpl.yml", "password: \"{{ db_password }}\"\n".into()),
        ("n/slot.yml", "password: <password>\n".into()),
        ("n/fmt.py", "password = \"%s\"\n".into()),
        ("n/attr.py", "password = self.password\n".into()),
        ("n/var.yml", "password: ${DB_PASSWORD}\n".into()),
        // placeholder words and masks
        ("n/changeme.py", "password = \"changeme\"\n".into()),
        ("n/yours.py", "password = \"your_password\"\n".into()),
        ("n/mask.py", "password = \"********\"\n".into()),
        ("n/same.yml", "password: Password\n".into()),
        ("n/bool.yml", "password: true\n".into()),
        // field labels and names that merely contain a password word
        ("n/label.js", "passwordLabel = \"Password\"\n".into()),
        ("n/url.py", "forgot_password_url = \"/reset\"\n".into()),
        ("n/input.js", "inputType = \"new-password\"\n".into()),
        ("n/policy.yml", "password_policy: strong\n".into()),
        (
            "n/ternary.ts",
            "result = passed ? 'Pass' : 'Fail';\n".into(),
        ),
        // deliberately wrong values, comparisons, concatenation
        ("n/wrong.py", format!("wrongPassword = \"{v}\"\n")),
        ("n/cmp.py", format!("if password != \"{v}\":\n    fail()\n")),
        ("n/concat.py", format!("password = \"{v}\" + suffix\n")),
        // documentation pages' prose quoting the syntax (a page's config block is read: cd24.rs),
        // translations, lock files
        (
            "n/README.md",
            format!("Log in with `password: \"{v}\"` in the config.\n"),
        ),
        (
            "n/guide.rst",
            format!("Set ``password = \"{v}\"`` in the config.\n"),
        ),
        ("n/locales/de.json", "{\"password\": \"Passwort\"}\n".into()),
        (
            "n/package.json",
            "{\"dependencies\": {\"minipass\": \"3.1.6\"}}\n".into(),
        ),
        // URLs: references, placeholders, documentation hosts, a service's default account
        (
            "n/dsn.py",
            "url = \"postgres://ops:${DB_PASS}@localhost/app\"\n".into(),
        ),
        (
            "n/dsn2.py",
            "url = \"https://user:password@example.com/\"\n".into(),
        ),
        (
            "n/dsn3.py",
            "DATABASE_URL = \"postgres://postgres:postgres@db:5432/app\"\n".into(),
        ),
        (
            "n/dsn4.go",
            "url := fmt.Sprintf(\"nats://%s:%s@%s\", user, pass, host)\n".into(),
        ),
    ];
    files.into_iter().map(|(p, c)| (p.to_string(), c)).collect()
}

#[test]
fn weak_passwords_are_reported_low_in_code_config_and_urls_and_nowhere_else() {
    let mut f = Fake::new(0x77ea_c0de);
    let pos = positives(&mut f);
    let neg = negatives(&mut f);
    assert_weak_tier_reports_exactly(&pos, &neg);
}

/// Writes `pos` (path, content, value) and `neg` (path, content: near misses, under `n/`), scans
/// them, and asserts that each value is reported once, by a rule of the weak tier at severity low
/// with the `weak-password` tag, and nothing in the near misses: one finding per value, a weak
/// rule never repeating what another rule reports.
pub(crate) fn assert_weak_tier_reports_exactly(
    pos: &[(String, String, String)],
    neg: &[(String, String)],
) {
    let dir = tempfile::tempdir().unwrap();
    for (p, c, _) in pos {
        write(dir.path(), p, c);
    }
    for (p, c) in neg {
        write(dir.path(), p, c);
    }
    let report = scan_dir_json(dir.path(), &[]);
    let findings = report["findings"].as_array().unwrap();
    let mut missed = Vec::new();
    for (path, _, value) in pos {
        let hit = findings
            .iter()
            .find(|x| x["path"].as_str() == Some(path) && x["secret"].as_str() == Some(value));
        match hit {
            None => missed.push(path.clone()),
            Some(x) => {
                let rule = x["rule_id"].as_str().unwrap();
                assert!(
                    WEAK_RULES.contains(&rule),
                    "{path}: a weak value is the weak-password rules' (got {rule})"
                );
                assert_eq!(x["severity"], "low", "{path}: {x}");
                assert!(
                    x["tags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| t == "weak-password"),
                    "{path}: {x}"
                );
            }
        }
    }
    assert!(missed.is_empty(), "weak passwords missed in: {missed:?}");
    let noisy: Vec<String> = findings
        .iter()
        .filter(|x| x["path"].as_str().is_some_and(|p| p.starts_with("n/")))
        .map(|x| format!("{} {}", x["path"], x["rule_id"]))
        .collect();
    assert!(noisy.is_empty(), "reported in negative files: {noisy:?}");
    assert_eq!(findings.len(), pos.len(), "{findings:#?}");
}

/// Scans one file holding `strong` and asserts it is reported once, whole, at high severity, by a
/// rule outside `weak_rules`: a strong value keeps its own rule when a weak tier reads its name too.
pub(crate) fn assert_strong_value_keeps_its_rule(
    path: &str,
    content: String,
    strong: &str,
    weak_rules: &[&str],
) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), path, content);
    let report = scan_dir_json(dir.path(), &[]);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["secret"], strong);
    assert!(!weak_rules.contains(&findings[0]["rule_id"].as_str().unwrap()));
    assert_eq!(findings[0]["severity"], "high");
}

#[test]
fn a_random_password_keeps_its_own_rule_and_severity() {
    let mut f = Fake::new(7);
    let strong = format!("{}#{}", f.alnum(6), f.alnum(5));
    assert_strong_value_keeps_its_rule(
        "app/settings.py",
        format!("DB_PASSWORD = \"{strong}\"\n"),
        &strong,
        WEAK_RULES,
    );
}

#[test]
fn a_gate_can_leave_weak_passwords_out_by_rule_id() {
    let mut f = Fake::new(0x77ea_c0de);
    let pos = positives(&mut f);
    let dir = tempfile::tempdir().unwrap();
    for (p, c, _) in &pos {
        write(dir.path(), p, c);
    }
    let strong = format!("{}#{}", f.alnum(6), f.alnum(5));
    write(
        dir.path(),
        "app/prod.py",
        format!("PROD_DB_PASSWORD = \"{strong}\"\n"),
    );
    write(
        dir.path(),
        "gate.toml",
        "[extend]\nuseDefault = true\ndisabledRules = [\"weak-password-assignment\", \"weak-password-config-value\", \"weak-password-env-assignment\", \"weak-url-credentials\"]\n",
    );
    let report = scan_dir_json(dir.path(), &["--config", "gate.toml"]);
    let findings = report["findings"].as_array().unwrap();
    let secrets: Vec<&str> = findings
        .iter()
        .map(|x| x["secret"].as_str().unwrap())
        .collect();
    assert_eq!(secrets, vec![strong.as_str()], "{findings:#?}");
}
