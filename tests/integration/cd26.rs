//! CredData's remaining shapes (issue 17, stop 26, helper cd26). A URL's stand-in password to a
//! hosted database, cache or broker provider's host (Atlas, mLab, RDS, Heroku Postgres' EC2 host,
//! Azure, Redis Cloud, CloudAMQP...) is a credential someone connected with: reported at low by
//! `hosted-database-url-password` (rules/cd26.toml) in every file syntax, while the same URL to a
//! loopback, made-up or placeholder host, a template, a mask or a documentation page stays quiet, and
//! a random-looking password keeps its URL rule (and severity). A secret set by Apache's `SetEnv`,
//! `launchctl setenv` or nginx's `fastcgi_param`/`uwsgi_param`/`scgi_param` is read by
//! `shell-setenv-secret` as csh's `setenv` is. Every value and URL is put together at run time (the
//! repository scans itself clean).

use crate::common::*;

/// `scheme://user:password@host:port/db`, joined here so that no URL is a literal of this file.
fn url(scheme: &str, user: &str, password: &str, host: &str, tail: &str) -> String {
    [scheme, "://", user, ":", password, "@", host, tail].concat()
}

/// The stand-in passwords the URL rules leave out, as people type them.
fn stand_ins() -> Vec<String> {
    vec![
        ["pass", "word"].concat(),
        ["test", "pass"].concat(),
        ["sec", "ret"].concat(),
        ["pa", "ss"].concat(),
        ["db", "pass"].concat(),
        ["db", "_pass", "word"].concat(),
    ]
}

/// Provider hosts of each family, with the port or path their connection strings carry.
fn hosted() -> Vec<(&'static str, String, &'static str)> {
    let mut f = Fake::new(0x0cd2_6d0b);
    let mut id = |n: usize| f.from_alphabet("abcdefghijklmnopqrstuvwxyz0123456789", n);
    vec![
        ("mongodb", format!("ds0{}.mlab.com", id(5)), ":48537/app"),
        (
            "mongodb",
            format!("ds0{}.mongolab.com", id(5)),
            ":31847/heroku_app",
        ),
        (
            "mongodb+srv",
            format!("cluster0.{}.mongodb.net", id(5)),
            "/shop?retryWrites=true",
        ),
        (
            "postgres",
            format!("app-db.{}.us-east-1.rds.amazonaws.com", id(12)),
            ":5432/app",
        ),
        (
            "postgres",
            "ec2-54-83-33-14.compute-1.amazonaws.com".to_string(),
            ":5432/d8h2k",
        ),
        (
            "redis",
            format!("redis-1{}.c1.us-east-1-2.ec2.cloud.redislabs.com", id(4)),
            ":12345",
        ),
        ("amqps", format!("{}.rmq.cloudamqp.com", id(6)), "/ops"),
        (
            "mysql",
            format!("{}.mysql.database.azure.com", id(8)),
            ":3306/shop",
        ),
        (
            "sqlserver",
            format!("{}.database.windows.net", id(8)),
            ":1433",
        ),
        (
            "postgresql",
            format!("ep-{}.us-east-2.aws.neon.tech", id(10)),
            "/neondb",
        ),
        (
            "postgres",
            format!("db.{}.supabase.co", id(20)),
            ":5432/postgres",
        ),
        ("rediss", format!("{}.upstash.io", id(12)), ":6379"),
    ]
}

/// The syntaxes a connection URL is written in: a file name and a line holding `{u}`.
const SYNTAXES: &[(&str, &str)] = &[
    ("app/settings.py", "MONGO_URI = \"{u}\"\n"),
    (".env", "DATABASE_URL={u}\n"),
    ("config/database.yml", "production:\n  url: {u}\n"),
    ("src/db.js", "const client = new MongoClient('{u}');\n"),
    ("internal/store/store.go", "const dsn = \"{u}\"\n"),
    (
        "config/initializers/redis.rb",
        "REDIS = Redis.new(url: '{u}')\n",
    ),
    ("config/db.php", "<?php\n$dsn = '{u}';\n"),
    ("app.json", "{\n  \"env\": {\"DATABASE_URL\": \"{u}\"}\n}\n"),
    (
        "src/main/resources/application.properties",
        "spring.data.mongodb.uri={u}\n",
    ),
    ("deploy/Procfile.sh", "export BROKER_URL=\"{u}\"\n"),
    ("src/Config.cs", "var url = @\"{u}\";\n"),
    (
        "tests/test_db.py",
        "    engine = create_engine(\"{u}\", echo=False)\n",
    ),
];

#[test]
fn a_stand_in_password_to_a_hosted_database_is_reported_low_in_every_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let words = stand_ins();
    let mut expected = Vec::new();
    for (i, (scheme, host, tail)) in hosted().into_iter().enumerate() {
        let (path, line) = SYNTAXES[i % SYNTAXES.len()];
        let password = &words[i % words.len()];
        let path = format!("h{i}/{path}");
        let u = url(scheme, "app", password, &host, tail);
        write(dir.path(), &path, line.replace("{u}", &u));
        // A committed env file's value is env-file-secret's, whole, at its own severity.
        let want = if path.ends_with("/.env") {
            ("env-file-secret", "high", u.clone())
        } else {
            ("hosted-database-url-password", "low", password.clone())
        };
        expected.push((path, want));
    }
    let v = scan_dir_json(dir.path(), &[]);
    let got = finding_rows(&v, |f| {
        (f.s("path"), f.s("rule_id"), f.s("severity"), f.s("secret"))
    });
    for (path, (rule, severity, secret)) in &expected {
        let at: Vec<_> = got.iter().filter(|g| &g.0 == path).collect();
        assert_eq!(
            at,
            vec![&(
                path.clone(),
                rule.to_string(),
                severity.to_string(),
                secret.clone()
            )],
            "{path}"
        );
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
}

#[test]
fn a_hosted_urls_near_misses_stay_quiet_and_a_strong_password_keeps_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    let pw = ["pass", "word"].concat();
    let atlas = "cluster0.q7zkd.mongodb.net";
    let rds = "app-db.c9akciq32.us-east-1.rds.amazonaws.com";
    let near: Vec<(&str, String)> = vec![
        // not a provider's host: the URL rules' stand-in drop holds
        (
            "n/a.py",
            url("mongodb", "app", &pw, "db.internal.acme.io", "/app"),
        ),
        (
            "n/b.py",
            url("postgres", "app", &pw, "localhost", ":5432/app"),
        ),
        // references, templates and masks
        (
            "n/c.py",
            url("mongodb+srv", "app", "${DB_PASS}", atlas, "/app"),
        ),
        (
            "n/d.py",
            url("mongodb+srv", "app", "<password>", atlas, "/app"),
        ),
        ("n/e.py", url("mongodb+srv", "app", "%s", atlas, "/app")),
        ("n/f.py", url("postgres", "app", "****", rds, "/app")),
        // a placeholder host before the provider's domain
        (
            "n/g.py",
            url("postgres", "app", &pw, "xxxxxxx.rds.amazonaws.com", "/app"),
        ),
        (
            "n/h.py",
            url(
                "mongodb+srv",
                "app",
                &pw,
                "your-cluster.mongodb.net",
                "/app",
            ),
        ),
        // a provider's host with no credentials
        (
            "n/i.py",
            ["https://", "s3.amazonaws.com/bucket/key"].concat(),
        ),
    ];
    for (p, u) in &near {
        write(dir.path(), p, format!("URL = \"{u}\"\n"));
    }
    // A documentation page shows the form.
    write(
        dir.path(),
        "n/README.md",
        format!(
            "Connect with\n\n    {}\n",
            url("mongodb+srv", "app", &pw, atlas, "/app")
        ),
    );
    // A random-looking password to the same host: the URL rule's finding, at high, is the one.
    let strong = Fake::new(0xcd26_5717).alnum(20) + "9";
    write(
        dir.path(),
        "s/settings.py",
        format!(
            "URL = \"{}\"\n",
            url("mongodb+srv", "app", &strong, atlas, "/app")
        ),
    );
    let v = scan_dir_json(dir.path(), &[]);
    let got = finding_rows(&v, |f| (f.s("path"), f.s("rule_id"), f.s("severity")));
    assert_eq!(
        got,
        vec![(
            "s/settings.py".to_string(),
            "mongodb-connection-url".to_string(),
            "high".to_string()
        )],
        "{v}"
    );
}

#[test]
fn apache_setenv_launchctl_and_nginx_params_are_read_as_setenv_is() {
    let mut f = Fake::new(0x0cd2_65e7);
    let mut secret = || f.alnum(22) + "7";
    let pos: Vec<(&str, String)> = vec![
        (
            "apache/.htaccess",
            format!("SetEnv DB_PASSWORD {}\n", secret()),
        ),
        (
            "apache/sites/app.conf",
            format!(
                "<VirtualHost *:443>\n    SetEnv STRIPE_API_KEY \"{}\"\n</VirtualHost>\n",
                secret()
            ),
        ),
        (
            "apache/httpd.conf",
            format!("setenv APP_SECRET {}\n", secret()),
        ),
        (
            "bin/setup.sh",
            format!("launchctl setenv GITHUB_TOKEN {}\n", secret()),
        ),
        (
            "nginx/app.conf",
            format!(
                "location ~ \\.php$ {{\n    fastcgi_param APP_SECRET {};\n}}\n",
                secret()
            ),
        ),
        (
            "nginx/uwsgi.conf",
            format!(
                "location / {{\n    uwsgi_param API_TOKEN \"{}\";\n}}\n",
                secret()
            ),
        ),
        (
            "nginx/scgi.conf",
            format!("location / {{\n    scgi_param AUTH_KEY {};\n}}\n", secret()),
        ),
    ];
    let neg: Vec<(&str, String)> = vec![
        ("n/.htaccess", "SetEnv API_TOKEN ${TOKEN}\n".to_string()),
        (
            "n/php.conf",
            "fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\nfastcgi_param API_TOKEN $api_token;\n"
                .to_string(),
        ),
        ("n/words.conf", "SetEnv APP_SECRET_MODE production\n".to_string()),
        (
            "n/if.conf",
            "SetEnvIf Request_URI \"^/api\" API_TOKEN_REQUIRED=1\n".to_string(),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (p, c) in pos.iter().chain(&neg) {
        write(dir.path(), p, c);
    }
    let v = scan_dir_json(dir.path(), &[]);
    let got = sorted_finding_rows(&v, |f| (f.s("path"), f.s("rule_id")));
    let mut want: Vec<(String, String)> = pos
        .iter()
        .map(|(p, _)| (p.to_string(), "shell-setenv-secret".to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want, "{v}");
}
