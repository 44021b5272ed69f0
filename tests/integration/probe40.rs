//! The mission's families in every form their VALUES take (issue 17, stop 40, probe40;
//! rules/probe40.toml and the rules it widened). stop 39's probe varied the shape a value is written
//! in; this one varies the value the way another generator would, from the providers' documents:
//! OpenAI's five key prefixes (with and without the `T3BlbkFJ` marker, 48 to 164 characters), 30
//! OpenAI-compatible providers' keys (under their own name and under `OPENAI_API_KEY`), Anthropic's
//! three, Twilio's SIDs, tokens and API-key secrets, Fernet, Flask/Express/Rails/Laravel/Symfony/
//! Phoenix secrets, 18 database URL forms, GitHub's six prefixes, Slack's seven, AWS's four id
//! prefixes with secrets and session tokens, Facebook's tokens and app secrets.
//!
//! `every_form_of_every_family_is_found`: each form in 30 shapes, found by any rule.
//! `the_forms_that_were_lost_are_read_by_their_rule`: the forms main lost (Anyscale's `esecret_`,
//! Oracle's `user/password@host:1521/service`, Laravel's `base64:` key under any convention of its
//! name, Rails' and Phoenix's `secret_key_base` in a flag or a row, Facebook's `id|token` under a
//! YAML name), each reported by its format rule. Near misses stay quiet.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;

const AN: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS: &str = "0123456789";
const B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// 30 of stop 39's 57 shapes (tests/integration/lead39.rs's probe): config files, code in ten
/// languages, infrastructure, a flag, a row, a log line and a comment.
fn shapes(words: &[&str], vendor: &str, v: &str) -> Vec<Shape> {
    let e = words
        .iter()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    let s = words.join("_");
    let c = camel(words);
    let p = cap(&c);
    let k = words.join("-");
    let d = words.join(".");
    let vl = vendor.to_lowercase();
    vec![
        ("env", ".env", format!("{e}={v}\n")),
        ("env-quoted", ".env.production", format!("{e}=\"{v}\"\n")),
        ("py-const", "config.py", format!("{e} = \"{v}\"\n")),
        (
            "py-dict",
            "settings.py",
            format!("CONFIG = {{\n    \"{s}\": \"{v}\",\n}}\n"),
        ),
        (
            "py-kwarg",
            "client.py",
            format!("client = make_client({s}=\"{v}\")\n"),
        ),
        ("js-const", "config.js", format!("const {c} = '{v}';\n")),
        (
            "ts-object",
            "config.ts",
            format!("export default {{\n  {c}: \"{v}\",\n}};\n"),
        ),
        (
            "json",
            "config.json",
            format!("{{\n  \"{c}\": \"{v}\"\n}}\n"),
        ),
        ("yaml", "config.yaml", format!("{s}: {v}\n")),
        (
            "yaml-quoted",
            "config.yml",
            format!("{vl}:\n  {s}: \"{v}\"\n"),
        ),
        (
            "gha-env",
            ".github/workflows/ci.yml",
            format!("jobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      {e}: {v}\n    steps:\n      - run: make\n"),
        ),
        (
            "k8s-stringdata",
            "secret.yaml",
            format!("apiVersion: v1\nkind: Secret\nstringData:\n  {e}: \"{v}\"\n"),
        ),
        (
            "dockerfile-env",
            "Dockerfile",
            format!("FROM python:3.12\nENV {e}={v}\n"),
        ),
        ("toml", "config.toml", format!("[{vl}]\n{s} = \"{v}\"\n")),
        ("ini", "settings.ini", format!("[default]\n{s} = {v}\n")),
        ("properties", "application.properties", format!("{d}={v}\n")),
        ("tfvars", "terraform.tfvars", format!("{s} = \"{v}\"\n")),
        (
            "go-const",
            "main.go",
            format!("package main\n\nconst {c} = \"{v}\"\n"),
        ),
        (
            "java-field",
            "Config.java",
            format!("public class Config {{\n    private static final String {e} = \"{v}\";\n}}\n"),
        ),
        (
            "csharp-const",
            "Config.cs",
            format!("public const string {p} = \"{v}\";\n"),
        ),
        (
            "php-array",
            "config.php",
            format!("<?php\n$config['{s}'] = '{v}';\n"),
        ),
        ("ruby-const", "config.rb", format!("{e} = '{v}'\n")),
        ("powershell", "setup.ps1", format!("$env:{e} = \"{v}\"\n")),
        (
            "xml-elem",
            "config.xml",
            format!("<config>\n  <{c}>{v}</{c}>\n</config>\n"),
        ),
        (
            "xml-appsettings",
            "web.config",
            format!("<appSettings>\n  <add key=\"{p}\" value=\"{v}\" />\n</appSettings>\n"),
        ),
        ("cli-flag", "deploy.sh", format!("mytool deploy --{k} {v}\n")),
        (
            "sql",
            "seed.sql",
            format!("INSERT INTO settings (name, value) VALUES ('{s}', '{v}');\n"),
        ),
        ("csv", "keys.csv", format!("name,value\n{s},{v}\n")),
        (
            "log-line",
            "debug.log",
            format!("2024-01-01 INFO loaded {s}={v}\n"),
        ),
        ("comment", "notes.py", format!("# {s}: {v}\n")),
    ]
}

/// A family whose secret is part of the value written (a URL's password).
fn part(
    key: &'static str,
    words: &'static [&'static str],
    value: String,
    secret: String,
    rule: &'static str,
) -> Family {
    Family {
        key,
        words,
        vendor: words[0],
        value,
        secret,
        rule,
        generic_shapes: true,
    }
}

/// OpenAI's key body around its `T3BlbkFJ` marker.
fn marked(f: &mut Fake, prefix: &str, half: usize) -> String {
    format!(
        "{prefix}{}T3BlbkFJ{}",
        f.from_alphabet(URLSAFE, half),
        f.from_alphabet(URLSAFE, half)
    )
}

/// A GitHub token: 30 random characters and the base62 CRC-32 of them (6).
fn github(f: &mut Fake, prefix: &str) -> String {
    format!("{prefix}{}{}", f.alnum(30), f.alnum(6))
}

/// A password with a punctuation mark, as a URL carries it.
fn password(f: &mut Fake) -> String {
    format!("{}!{}", f.alnum(10), f.alnum(5))
}

/// Every form of every family (a fresh value each), found by any rule: `rule` is the rule that
/// reports it on main (checked in `the_forms_that_were_lost_are_read_by_their_rule` for the new ones).
fn every_form(f: &mut Fake) -> Vec<Family> {
    let oa: &'static [&'static str] = &["openai", "api", "key"];
    let mut v = vec![
        // OpenAI: legacy (48 after `sk-`, with the marker), project, service account, admin, None.
        fam(
            "oa-legacy",
            oa,
            "openai",
            format!("sk-{}T3BlbkFJ{}", f.alnum(20), f.alnum(20)),
            "-",
        ),
        fam(
            "oa-legacy-nomark",
            oa,
            "openai",
            format!("sk-{}", f.alnum(48)),
            "-",
        ),
        fam("oa-proj", oa, "openai", marked(f, "sk-proj-", 74), "-"),
        fam(
            "oa-proj-short",
            oa,
            "openai",
            format!("sk-proj-{}", f.alnum(48)),
            "-",
        ),
        fam(
            "oa-proj-nomark",
            oa,
            "openai",
            format!("sk-proj-{}", f.from_alphabet(URLSAFE, 124)),
            "-",
        ),
        fam(
            "oa-svcacct",
            oa,
            "openai",
            marked(f, "sk-svcacct-", 74),
            "-",
        ),
        fam(
            "oa-admin",
            &["openai", "admin", "key"],
            "openai",
            marked(f, "sk-admin-", 58),
            "-",
        ),
        fam("oa-none", oa, "openai", marked(f, "sk-None-", 74), "-"),
        // OpenAI-compatible providers, under their own name and under OpenAI's.
        fam(
            "deepseek",
            &["deepseek", "api", "key"],
            "deepseek",
            format!("sk-{}", f.hex(32)),
            "-",
        ),
        fam(
            "deepseek-as-openai",
            oa,
            "openai",
            format!("sk-{}", f.hex(32)),
            "-",
        ),
        fam(
            "moonshot",
            &["moonshot", "api", "key"],
            "moonshot",
            format!("sk-{}", f.alnum(48)),
            "-",
        ),
        fam(
            "dashscope",
            &["dashscope", "api", "key"],
            "dashscope",
            format!("sk-{}", f.hex(32)),
            "-",
        ),
        fam(
            "zhipu",
            &["zhipuai", "api", "key"],
            "zhipuai",
            format!("{}.{}", f.hex(32), f.alnum(16)),
            "-",
        ),
        fam(
            "siliconflow",
            &["siliconflow", "api", "key"],
            "siliconflow",
            format!("sk-{}", f.from_alphabet(LOWER, 48)),
            "-",
        ),
        fam(
            "openrouter",
            &["openrouter", "api", "key"],
            "openrouter",
            format!("sk-or-v1-{}", f.hex(64)),
            "-",
        ),
        fam(
            "openrouter-as-openai",
            oa,
            "openai",
            format!("sk-or-v1-{}", f.hex(64)),
            "-",
        ),
        fam(
            "together",
            &["together", "api", "key"],
            "together",
            format!("tgp_v1_{}", f.from_alphabet(URLSAFE, 43)),
            "-",
        ),
        fam(
            "fireworks",
            &["fireworks", "api", "key"],
            "fireworks",
            format!("fw_{}", f.alnum(24)),
            "-",
        ),
        fam(
            "groq-as-openai",
            oa,
            "openai",
            format!("gsk_{}", f.alnum(52)),
            "-",
        ),
        fam(
            "xai",
            &["xai", "api", "key"],
            "xai",
            format!("xai-{}", f.alnum(80)),
            "-",
        ),
        fam(
            "perplexity",
            &["perplexity", "api", "key"],
            "perplexity",
            format!("pplx-{}", f.alnum(48)),
            "-",
        ),
        fam(
            "mistral",
            &["mistral", "api", "key"],
            "mistral",
            f.alnum(32),
            "-",
        ),
        fam(
            "cerebras",
            &["cerebras", "api", "key"],
            "cerebras",
            format!("csk-{}", f.from_alphabet(LOWER_DIGITS, 48)),
            "-",
        ),
        fam(
            "nvidia-as-openai",
            oa,
            "openai",
            format!("nvapi-{}", f.from_alphabet(URLSAFE, 64)),
            "-",
        ),
        fam(
            "novita",
            &["novita", "api", "key"],
            "novita",
            format!("sk_{}", f.from_alphabet(URLSAFE, 43)),
            "-",
        ),
        fam(
            "litellm",
            &["litellm", "api", "key"],
            "litellm",
            format!("sk-{}", f.from_alphabet(URLSAFE, 22)),
            "-",
        ),
        fam(
            "azure-openai",
            &["azure", "openai", "api", "key"],
            "azure",
            f.hex(32),
            "-",
        ),
        // Anthropic.
        fam(
            "ant-api03",
            &["anthropic", "api", "key"],
            "anthropic",
            format!("sk-ant-api03-{}AA", f.from_alphabet(URLSAFE, 93)),
            "-",
        ),
        fam(
            "ant-admin01",
            &["anthropic", "admin", "key"],
            "anthropic",
            format!("sk-ant-admin01-{}AA", f.from_alphabet(URLSAFE, 93)),
            "-",
        ),
        fam(
            "ant-oat01",
            &["claude", "oauth", "token"],
            "claude",
            format!("sk-ant-oat01-{}AA", f.from_alphabet(URLSAFE, 93)),
            "-",
        ),
        // Twilio.
        fam(
            "tw-account-sid",
            &["twilio", "account", "sid"],
            "twilio",
            format!("AC{}", f.hex(32)),
            "-",
        ),
        fam(
            "tw-api-key-sid",
            &["twilio", "api", "key"],
            "twilio",
            format!("SK{}", f.hex(32)),
            "-",
        ),
        fam(
            "tw-auth-token",
            &["twilio", "auth", "token"],
            "twilio",
            f.hex(32),
            "-",
        ),
        fam(
            "tw-api-secret",
            &["twilio", "api", "secret"],
            "twilio",
            f.alnum(32),
            "-",
        ),
        // Fernet, framework and signing secrets.
        fam(
            "fernet",
            &["fernet", "key"],
            "fernet",
            URL_SAFE.encode(f.bytes(32)),
            "-",
        ),
        fam("flask", &["secret", "key"], "flask", f.hex(48), "-"),
        fam(
            "express",
            &["session", "secret"],
            "express",
            f.alnum(40),
            "-",
        ),
        fam("symfony", &["app", "secret"], "symfony", f.hex(32), "-"),
        fam("jwt", &["jwt", "secret"], "jwt", f.hex(64), "-"),
        // GitHub, Slack, AWS, Facebook.
        fam(
            "gh-ghp",
            &["github", "token"],
            "github",
            github(f, "ghp_"),
            "-",
        ),
        fam(
            "gh-gho",
            &["github", "token"],
            "github",
            github(f, "gho_"),
            "-",
        ),
        fam(
            "gh-ghu",
            &["github", "token"],
            "github",
            github(f, "ghu_"),
            "-",
        ),
        fam(
            "gh-ghs",
            &["github", "token"],
            "github",
            github(f, "ghs_"),
            "-",
        ),
        fam(
            "gh-ghr",
            &["github", "token"],
            "github",
            github(f, "ghr_"),
            "-",
        ),
        fam(
            "gh-fine",
            &["github", "token"],
            "github",
            format!("github_pat_{}_{}", f.alnum(22), f.alnum(59)),
            "-",
        ),
        fam(
            "slack-xoxp",
            &["slack", "user", "token"],
            "slack",
            format!(
                "xoxp-{}-{}-{}-{}",
                f.from_alphabet(DIGITS, 12),
                f.from_alphabet(DIGITS, 12),
                f.from_alphabet(DIGITS, 13),
                f.hex(32)
            ),
            "-",
        ),
        fam(
            "slack-xoxe",
            &["slack", "refresh", "token"],
            "slack",
            format!("xoxe-1-{}", f.alnum(140)),
            "-",
        ),
        fam(
            "slack-xapp",
            &["slack", "app", "token"],
            "slack",
            format!(
                "xapp-1-A{}-{}-{}",
                f.from_alphabet(UPPER_DIGITS, 10),
                f.from_alphabet(DIGITS, 13),
                f.hex(64)
            ),
            "-",
        ),
        fam(
            "slack-hook",
            &["slack", "webhook", "url"],
            "slack",
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                f.from_alphabet(UPPER_DIGITS, 10),
                f.from_alphabet(UPPER_DIGITS, 10),
                f.alnum(24)
            ),
            "-",
        ),
        fam(
            "aws-asia",
            &["aws", "access", "key", "id"],
            "aws",
            format!("ASIA{}", f.from_alphabet(B32, 16)),
            "-",
        ),
        fam(
            "aws-abia",
            &["aws", "access", "key", "id"],
            "aws",
            format!("ABIA{}", f.from_alphabet(B32, 16)),
            "-",
        ),
        fam(
            "aws-acca",
            &["aws", "access", "key", "id"],
            "aws",
            format!("ACCA{}", f.from_alphabet(B32, 16)),
            "-",
        ),
        fam(
            "aws-secret",
            &["aws", "secret", "access", "key"],
            "aws",
            f.from_alphabet(&format!("{AN}+/"), 40),
            "-",
        ),
        fam(
            "aws-session",
            &["aws", "session", "token"],
            "aws",
            format!("FwoGZXIvYXdzE{}", f.from_alphabet(&format!("{AN}+/"), 300)),
            "-",
        ),
        fam(
            "fb-token",
            &["facebook", "access", "token"],
            "facebook",
            format!("EAAG{}ZD{}", f.alnum(3), f.alnum(150)),
            "-",
        ),
        fam(
            "fb-secret",
            &["facebook", "app", "secret"],
            "facebook",
            f.hex(32),
            "-",
        ),
    ];
    for (key, url) in [
        ("db-psycopg", "postgresql+psycopg2://svc:{}@pg.internal:5432/core"),
        ("db-pymysql", "mysql+pymysql://root:{}@10.2.3.4:3306/shop"),
        ("db-mongo-srv", "mongodb+srv://admin:{}@cluster0.ab1cd.mongodb.net/prod"),
        ("db-redis-nouser", "redis://:{}@cache.internal:6379/0"),
        ("db-rediss", "rediss://default:{}@red-abc123.upstash.io:6380"),
        ("db-amqps", "amqps://svc:{}@b-1234.mq.us-east-1.amazonaws.com:5671"),
        ("db-jdbc-sqlserver", "jdbc:sqlserver://db.prod.internal:1433;databaseName=app;user=sa;password={};encrypt=true"),
        ("db-mssql-conn", "Server=tcp:acme.database.windows.net,1433;Database=app;User ID=sa;Password={};Encrypt=True"),
    ] {
        let pw = password(f);
        v.push(part(key, &["database", "url"], url.replace("{}", &pw), pw, "-"));
    }
    v
}

#[test]
fn every_form_of_every_family_is_found() {
    let mut f = Fake::new(40);
    let matrix = shape_matrix::scan(every_form(&mut f), shapes, |_, _| vec![]);
    // No format rule asked (some forms are read by the generic rules in some shapes): every cell
    // found by some rule.
    shape_matrix::check(&matrix, &[], false, &[], 1900);
}

/// The forms main lost, each with the rule that reads it now.
fn lost_forms(f: &mut Fake) -> Vec<Family> {
    let oracle_pw = password(f);
    let jdbc_pw = password(f);
    vec![
        fam(
            "anyscale",
            &["anyscale", "api", "key"],
            "anyscale",
            format!("esecret_{}", f.from_alphabet(LOWER_DIGITS, 26)),
            "anyscale-api-key",
        ),
        fam(
            "anyscale-as-openai",
            &["openai", "api", "key"],
            "openai",
            format!("esecret_{}", f.from_alphabet(LOWER_DIGITS, 26)),
            "anyscale-api-key",
        ),
        part(
            "oracle",
            &["database", "url"],
            format!("app_owner/{oracle_pw}@db01.prod.internal:1521/ORCLPDB1"),
            oracle_pw,
            "oracle-connect-password",
        ),
        part(
            "oracle-easy",
            &["oracle", "dsn"],
            format!("svc/{jdbc_pw}@//oradb.prod.internal/XEPDB1"),
            jdbc_pw,
            "oracle-connect-password",
        ),
        fam(
            "laravel",
            &["app", "key"],
            "laravel",
            format!("base64:{}", STANDARD.encode(f.bytes(32))),
            "laravel-app-key",
        ),
        fam(
            "fb-app-token",
            &["fb", "access", "token"],
            "facebook",
            format!(
                "1{}|{}",
                f.from_alphabet(DIGITS, 15),
                f.from_alphabet(URLSAFE, 27)
            ),
            "facebook-app-access-token",
        ),
    ]
}

/// The providers' own client calls for the lost forms.
fn own_calls(key: &str, v: &str) -> Vec<Shape> {
    match key {
        "anyscale" | "anyscale-as-openai" => vec![
            ("py-ctor-base", "llm.py", format!("client = openai.OpenAI(\n    base_url=\"https://api.endpoints.anyscale.com/v1\",\n    api_key=\"{v}\",\n)\n")),
            ("env-pair", ".env", format!("OPENAI_BASE_URL=https://api.endpoints.anyscale.com/v1\nOPENAI_API_KEY={v}\n")),
        ],
        "oracle" | "oracle-easy" => vec![
            ("cx-oracle", "db.py", format!("conn = cx_Oracle.connect(\"{v}\")\n")),
            ("godror", "db.go", format!("db, err := sql.Open(\"godror\", \"{v}\")\n")),
        ],
        "laravel" => vec![("laravel-env", ".env", format!("APP_NAME=Laravel\nAPP_KEY={v}\n"))],
        "rails" => vec![("secrets-yml", "config/secrets.yml", format!("production:\n  secret_key_base: {v}\n"))],
        "phoenix" => vec![("prod-exs", "config/prod.secret.exs", format!("config :app, AppWeb.Endpoint,\n  secret_key_base: \"{v}\"\n"))],
        _ => vec![],
    }
}

/// The shapes the new rules must read with their own rule (the rest may be another rule's).
const LOST_CORE: &[&str] = &[
    "env",
    "py-const",
    "py-dict",
    "js-const",
    "json",
    "yaml",
    "toml",
    "go-const",
    "java-field",
    "php-array",
    "xml-elem",
    "cli-flag",
    "sql",
    "csv",
];

#[test]
fn the_forms_that_were_lost_are_read_by_their_rule() {
    let mut f = Fake::new(4040);
    let matrix = shape_matrix::scan(lost_forms(&mut f), shapes, own_calls);
    shape_matrix::check(&matrix, LOST_CORE, true, &[], 185);
}

/// Rails' and Phoenix's secret_key_base: the generic session rule reads it after `=` and `:`; a
/// flag and a CSV row were lost, and are rails-secret-key-base's now.
#[test]
fn secret_key_base_in_a_flag_or_a_row_is_read() {
    let mut f = Fake::new(4041);
    let families = vec![
        fam(
            "rails",
            &["secret", "key", "base"],
            "rails",
            f.hex(128),
            "rails-secret-key-base",
        ),
        fam(
            "phoenix",
            &["secret", "key", "base"],
            "phoenix",
            STANDARD.encode(f.bytes(48)),
            "rails-secret-key-base",
        ),
    ];
    let matrix = shape_matrix::scan(families, shapes, own_calls);
    shape_matrix::check(&matrix, &["cli-flag", "csv"], false, &[], 60);
}

#[test]
fn near_misses_of_the_new_forms_stay_quiet() {
    let mut f = Fake::new(7);
    let hex = f.hex(32);
    let files: Vec<(String, String)> = vec![
        // Stand-ins from the providers' documents.
        ("a/.env".into(), "ANYSCALE_API_KEY=esecret_YOUR_API_KEY\n".into()),
        ("b/.env".into(), "OPENAI_API_KEY=sk-your-key-here\nOPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n".into()),
        // Oracle's demo account, a reference, a package path, a connect string without a password.
        ("c/db.py".into(), "DSN = \"scott/tiger@db01.acme.io:1521/ORCL\"\n".into()),
        ("d/db.py".into(), "DSN = \"app/${ORACLE_PASSWORD}@//db01.acme.io:1521/ORCL\"\n".into()),
        ("e/x.js".into(), "import x from \"node_modules/lodash@4.17.21/lodash.js\";\n".into()),
        ("f/db.py".into(), "conn = oracledb.connect(user=\"hr\", password=pw, dsn=\"db01.acme.io:1521/ORCL\")\n".into()),
        // Laravel's key read from the environment and its generator, Rails' key read from the environment.
        ("g/app.php".into(), "'key' => env('APP_KEY'),\n".into()),
        ("h/app.php".into(), "'key' => 'base64:'.base64_encode(random_bytes(32)),\n".into()),
        ("i/secrets.yml".into(), "production:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n".into()),
        ("j/run.sh".into(), "mytool --secret-key-base \"$SECRET_KEY_BASE\"\n".into()),
        // A pipe between a number and a short word under an access token's name is no app token.
        ("k/config.yml".into(), "access_token: 123456789012345|short\n".into()),
        // A hex digest under no credential's name.
        ("l/sums.txt".into(), format!("checksum: {hex}\n")),
    ];
    let v = scan_files_json(&files);
    let paths = finding_paths(&v);
    assert!(paths.is_empty(), "near misses reported: {paths:?}");
}
