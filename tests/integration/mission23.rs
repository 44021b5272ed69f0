//! Database credentials in the shapes a probe of every syntax found lost (issue 17, mission23):
//! SQLAlchemy dialects with `_` (`oracle+cx_oracle://`), URLs behind JSON's `\/` escapes with a
//! percent-encoded password, short and warehouse schemes (`pg://`, `ms://`, `my://`,
//! `redshift+psycopg2://`), connection strings whose password comes first or that open with an OLE
//! DB provider, a Go MySQL DSN's human password, a MySQL client's quoted `-p'…'`, and a Twilio auth
//! token in a Markdown table. Each value is written into many files of real syntaxes (env, YAML,
//! JSON, TOML, XML, Dockerfile, Kubernetes, Terraform and code in several languages); every case is
//! one the catalog lost before. Placeholders in the same shapes stay quiet. Values are generated
//! here, of the real format.

use crate::common::*;

/// How a value is written in a file: (path, template with `{v}`, escaping of the value).
#[derive(Clone, Copy)]
enum Esc {
    Raw,
    Json,
    JsonSlash,
    Xml,
}

const WRAPPERS: &[(&str, &str, Esc)] = &[
    (".env", "DATABASE_URL={v}\n", Esc::Raw),
    ("config/app.yml", "database:\n  url: \"{v}\"\n  pool: 5\n", Esc::Raw),
    ("config/production.json", "{\n  \"db\": {\n    \"url\": \"{v}\"\n  }\n}\n", Esc::Json),
    ("config/default.json", "{\"database\": {\"uri\": \"{v}\"}}\n", Esc::JsonSlash),
    ("config/app.toml", "[database]\nurl = \"{v}\"\n", Esc::Json),
    (
        "web.config",
        "<connectionStrings>\n  <add name=\"Main\" connectionString=\"{v}\" />\n</connectionStrings>\n",
        Esc::Xml,
    ),
    ("Dockerfile", "FROM python:3.12\nENV DATABASE_URL={v}\n", Esc::Raw),
    (
        "k8s/secret.yaml",
        "apiVersion: v1\nkind: Secret\nstringData:\n  DATABASE_URL: \"{v}\"\n",
        Esc::Raw,
    ),
    (
        "infra/main.tf",
        "resource \"aws_ssm_parameter\" \"db\" {\n  value = \"{v}\"\n}\n",
        Esc::Json,
    ),
    ("app/models.py", "engine = create_engine(\"{v}\", pool_pre_ping=True)\n", Esc::Json),
    ("src/config.ts", "export const config = {\n  dbUrl: `{v}`,\n};\n", Esc::Raw),
    ("internal/store/db.go", "func open() (*sql.DB, error) {\n\treturn sql.Open(\"x\", \"{v}\")\n}\n", Esc::Json),
    ("src/main/java/Db.java", "class Db {\n  static final String URL = \"{v}\";\n}\n", Esc::Json),
    ("src/Api/Program.cs", "var cs = \"{v}\";\n", Esc::Json),
    ("config/database.php", "<?php\nreturn [\n    'url' => '{v}',\n];\n", Esc::Raw),
    ("src/main/resources/application.properties", "spring.datasource.url={v}\n", Esc::Raw),
];

fn escape(v: &str, e: Esc) -> String {
    match e {
        Esc::Raw => v.to_string(),
        Esc::Json => v.replace('\\', "\\\\").replace('"', "\\\""),
        Esc::JsonSlash => v
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('/', "\\/"),
        Esc::Xml => v
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
    }
}

/// Writes `value` (holding `password`) in every wrapper under `dir/<case>/`; returns (path, line)
/// of each written password.
fn write_everywhere(
    dir: &std::path::Path,
    case: &str,
    value: &str,
    password: &str,
) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for (path, template, esc) in WRAPPERS {
        let text = template.replace("{v}", &escape(value, *esc));
        let rel = format!("{case}/{path}");
        let at = text
            .find(&escape(password, *esc))
            .unwrap_or_else(|| panic!("{rel}: the password is not in {text}"));
        let line = text[..at].matches('\n').count() as u64 + 1;
        write(dir, &rel, text);
        out.push((rel, line));
    }
    out
}

/// Paths and lines of every finding.
fn covered(report: &serde_json::Value) -> Vec<(String, u64)> {
    finding_rows(report, |f| (f.s("path"), f.n("line")))
}

const WORDS: &[&str] = &[
    "Tiger", "Orchid", "Falcon", "Maple", "Copper", "Harbor", "Summit", "Glacier",
];

/// A random password of letters and digits, and a human one: a capitalised word, two digits and
/// a sign (`Harbor58!`), the kind people choose.
fn passwords(f: &mut Fake) -> [String; 2] {
    // Fake redraws a value that looks like a placeholder, as every one- or two-character value
    // does: the word's index and the digits are cut from a longer draw.
    let draw = f.from_alphabet("1234567", 8);
    let word = WORDS[draw[..1].parse::<usize>().unwrap()];
    [f.alnum(18), format!("{word}{}!", &draw[1..3])]
}

#[test]
fn database_credentials_in_shapes_the_probe_lost_are_reported_in_every_syntax() {
    let mut f = Fake::new(0x0023_d8a5);
    let dir = tempfile::tempdir().unwrap();
    let host = "orders.c9xk2pqz7w1e.eu-west-1.rds.amazonaws.com";
    let mut want = Vec::new();
    for (k, [random, human]) in [passwords(&mut f), passwords(&mut f)]
        .into_iter()
        .enumerate()
    {
        // A percent-encoded password (`@`, `#`, `/` escaped, as URL libraries write them).
        let pct = format!("{}%40{}%23{}%2F", f.alnum(8), f.alnum(4), f.alnum(3));
        let cases: Vec<(String, String, String)> = vec![
            // SQLAlchemy dialects whose driver name holds `_`
            ("cx_oracle".into(), format!("oracle+cx_oracle://etl:{random}@{host}:1521/?service_name=ORCL"), random.clone()),
            // usql's and node-postgres' short schemes, warehouses' dialects
            ("ms".into(), format!("ms://etl:{random}@{host}/erp"), random.clone()),
            ("pg".into(), format!("pg://billing:{human}@{host}:5432/billing"), human.clone()),
            ("my".into(), format!("my://shop:{random}@{host}/shop"), random.clone()),
            ("redshift".into(), format!("redshift+psycopg2://loader:{random}@dw.c1abc2def3gh.us-east-1.redshift.amazonaws.com:5439/dw"), random.clone()),
            // a percent-encoded password: in the JSON file with `\/` escapes too
            ("pct".into(), format!("postgresql://app_rw:{pct}@{host}:5432/orders"), pct.clone()),
            // the password before the server and the user; an OLE DB provider first
            ("pwfirst".into(), format!("Password={human};User ID=reporting;Initial Catalog=erp;Data Source={host}"), human.clone()),
            ("oledb".into(), format!("Provider=SQLOLEDB.1;Password={human};Persist Security Info=True;User ID=etl;Data Source={host}"), human.clone()),
            // Go's MySQL DSN with a human password
            ("godsn".into(), format!("shop:{human}@tcp({host}:3306)/shop?parseTime=true"), human.clone()),
        ];
        for (case, value, password) in cases {
            for (path, line) in
                write_everywhere(dir.path(), &format!("{k}/{case}"), &value, &password)
            {
                want.push((path, line));
            }
        }
    }
    // A MySQL client's password in quotes, with shell characters.
    let quoted = format!("{}!^{}*{}", f.alnum(6), f.alnum(5), f.alnum(4));
    write(
        dir.path(),
        "scripts/backup.sh",
        format!("mysqldump -h {host} -u backup -p'{quoted}' shop > shop.sql\n"),
    );
    want.push(("scripts/backup.sh".into(), 1));
    let human = passwords(&mut f)[1].clone();
    write(
        dir.path(),
        "Makefile",
        format!("db:\n\tmysql --host={host} --user=app -p\"{human}\" shop < schema.sql\n"),
    );
    want.push(("Makefile".into(), 2));

    let report = scan_dir_json(dir.path(), &[]);
    let got = covered(&report);
    let lost: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} lost: {lost:?}",
        lost.len(),
        want.len()
    );
}

#[test]
fn placeholders_in_the_same_shapes_stay_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let host = "orders.c9xk2pqz7w1e.eu-west-1.rds.amazonaws.com";
    let mut paths = Vec::new();
    for (k, p) in [
        "password",
        "<password>",
        "${DB_PASSWORD}",
        "changeme",
        "xxxxxxxx",
        "{password}",
    ]
    .into_iter()
    .enumerate()
    {
        for (case, value) in [
            (
                "cx_oracle",
                format!("oracle+cx_oracle://etl:{p}@{host}:1521/?service_name=ORCL"),
            ),
            ("ms", format!("ms://etl:{p}@{host}/erp")),
            (
                "redshift",
                format!("redshift+psycopg2://loader:{p}@dw.acme.io:5439/dw"),
            ),
            (
                "pwfirst",
                format!("Password={p};User ID=reporting;Initial Catalog=erp;Data Source={host}"),
            ),
            (
                "oledb",
                format!("Provider=SQLOLEDB.1;Password={p};User ID=etl;Data Source={host}"),
            ),
        ] {
            // the file types no file-wide rule reads (an .env's every value is env-file-secret's)
            for (path, template, esc) in WRAPPERS.iter().filter(|w| !w.0.ends_with(".env")) {
                let rel = format!("{k}/{case}/{path}");
                write(
                    dir.path(),
                    &rel,
                    template.replace("{v}", &escape(&value, *esc)),
                );
                paths.push(rel);
            }
        }
        write(
            dir.path(),
            &format!("{k}/sh/backup.sh"),
            format!("mysqldump -u backup -p'{p}' shop > shop.sql\n"),
        );
        paths.push(format!("{k}/sh/backup.sh"));
    }
    let report = scan_dir_json(dir.path(), &[]);
    let ours = [
        "database-url-more-schemes",
        "connection-string-password-first",
        "mysql-client-quoted-password",
        "database-connection-url",
        "ado-net-connection-string-password",
        "postgres-connection-url",
    ];
    let noisy: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| ours.contains(&f["rule_id"].as_str().unwrap()))
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["secret"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(noisy.is_empty(), "{noisy:?}");
    assert!(paths.len() > 400);
}

#[test]
fn a_twilio_auth_token_in_a_markdown_table_is_reported() {
    let mut f = Fake::new(0x0023_7a11);
    let (sid, token) = (format!("AC{}", f.hex(32)), f.hex(32));
    let text = format!(
        "| Name | Value |\n|---|---|\n| TWILIO_ACCOUNT_SID | {sid} |\n| TWILIO_AUTH_TOKEN | {token} |\n"
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docs/SETUP.md", &text);
    write(dir.path(), "neg/SETUP.md", "| TWILIO_AUTH_TOKEN | your_auth_token |\n| TWILIO_AUTH_TOKEN | xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx |\n");
    let report = scan_dir_json(dir.path(), &[]);
    let rows = rule_secrets_by_path(&report)
        .remove("docs/SETUP.md")
        .unwrap_or_default();
    assert!(
        rows.iter()
            .any(|(r, s)| r == "twilio-auth-token" && *s == token),
        "{rows:?}"
    );
    assert!(
        !finding_paths(&report).iter().any(|p| p.starts_with("neg/")),
        "{}",
        report["findings"]
    );
}
