//! Passwords in the shapes of CredData's Password and URL labels (issue 17, rules/cdurl.toml and the
//! URL rules' allowlists): an environment variable's password on a command line or in a compose
//! list, in every file type; URL logins in broker, proxy and camera schemes; a service's default
//! account to a loopback host; Amazon SES SMTP passwords. Values are generated here, of the real
//! shape; each true case is one the catalog missed before these rules.

use crate::common::*;

const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Fake::from_alphabet redraws a value that looks like a placeholder, which every one- or two-
// character value does: parts of a value are cut from longer draws.

/// (rule id, severity) of the finding at `path` whose secret is `secret`, if any.
fn finding_of(report: &serde_json::Value, path: &str, secret: &str) -> Option<(String, String)> {
    report["findings"].as_array().unwrap().iter().find_map(|f| {
        (f["path"].as_str() == Some(path) && f["secret"].as_str() == Some(secret)).then(|| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
    })
}

#[test]
fn an_env_password_on_a_command_line_is_reported_low_in_every_file_type() {
    let mut f = Fake::new(0xcd07_e5a1);
    let dir = tempfile::tempdir().unwrap();
    // (path, template): files no config-file rule reads, where only the command's shape tells.
    let shapes = [
        ("docs/install.md", "Start the database:\n\n    docker run -d --name db -e MYSQL_ROOT_PASSWORD={v} -d mysql:8\n"),
        ("README.md", "```sh\ndocker run \\\n  -e \"POSTGRES_PASSWORD={v}\" \\\n  postgres:16\n```\n"),
        ("scripts/deploy.sh", "#!/bin/sh\nheroku config:set SMTP_PASSWORD={v}\n"),
        ("Makefile", "db:\n\tdocker run -e 'SA_PASSWORD={v}' -p 1433:1433 mssql\n"),
        ("ci/Jenkinsfile", "sh 'ORACLE_PWD={v} ./setup.sh'\n"),
        ("tools/bind.ps1", "$env:X = 1; cmd /c \"set LDAP_BIND_PW={v}&& bind.exe\"\n"),
        ("deploy/fly.toml.tmpl", "ENV=\"ACCEPT_EULA=Y DB_PASS={v}\"\n"),
    ];
    let mut want = Vec::new();
    for (i, (path, template)) in shapes.iter().enumerate() {
        // Letters and digits, two classes: password-assignment leaves such a value out.
        let v = format!(
            "{}{}",
            f.from_alphabet("abcdefghijklmnopqrstuvwxyz", 6),
            f.from_alphabet("0123456789", 3 + i % 2)
        );
        write(dir.path(), path, template.replace("{v}", &v));
        want.push((path.to_string(), v));
    }
    // References, templates, placeholders, switches and prose: none is a password in use.
    let w = f.from_alphabet(LOWER_DIGITS, 9);
    let negatives = [
        (
            "neg/a.md",
            "docker run -e MYSQL_ROOT_PASSWORD=$MYSQL_ROOT_PASSWORD -d mysql:8\n".to_string(),
        ),
        (
            "neg/b.md",
            "docker run -e MYSQL_ALLOW_EMPTY_PASSWORD=yes -d mysql:8\n".to_string(),
        ),
        ("neg/c.md", "DB_PASSWORD=<Database Password>\n".to_string()),
        (
            "neg/d.sh",
            "POSTGRES_PASSWORD={{cookiecutter.postgres_password}} ./run\n".to_string(),
        ),
        ("neg/e.sh", "REDIS_PASSWORD=None ./run\n".to_string()),
        (
            "neg/f.md",
            "  - DATABASE_PASSWORD=/run/secrets/db-password\n".to_string(),
        ),
        (
            "neg/g.sh",
            "docker run -e RELAY_PASSWORD=smtp_password relay\n".to_string(),
        ),
        (
            "neg/h.md",
            format!("Pass the password={w} option to the client.\n"),
        ),
        (
            "neg/i.sh",
            format!("docker run -e WRONG_PASSWORD={w} tests\n"),
        ),
    ];
    for (p, c) in &negatives {
        write(dir.path(), p, c);
    }
    let report = scan_dir_json(dir.path(), &[]);
    for (path, v) in &want {
        assert_eq!(
            finding_of(&report, path, v),
            Some((
                "weak-password-env-assignment".to_string(),
                "low".to_string()
            )),
            "{path}: {}",
            report["findings"]
        );
    }
    for (p, _) in &negatives {
        assert!(
            !finding_paths(&report).iter().any(|x| x == p),
            "{p} reported: {}",
            report["findings"]
        );
    }
}

#[test]
fn url_logins_in_broker_proxy_and_camera_schemes_are_reported() {
    let mut f = Fake::new(0xcd07_0a11);
    let dir = tempfile::tempdir().unwrap();
    let shapes = [
        (
            "app/models/mqtt_agent.rb",
            "url-credentials-other-schemes",
            "    'uri' => 'mqtt://gw{u}:{v}@m12.broker-iot.net:18831',\n",
        ),
        (
            "deploy/proxy.env",
            "url-credentials-other-schemes",
            "ALL_PROXY=socks5h://relay{u}:{v}@proxy.acme.io:1080\n",
        ),
        (
            "cam/stream.py",
            "url-credentials-other-schemes",
            "cap = cv2.VideoCapture(\"rtsp://viewer{u}:{v}@cam-04.acme.io:554/s1\")\n",
        ),
        (
            "conf/nats.conf",
            "database-connection-url",
            "cluster { routes = [nats-route://route{u}:{v}@nats-b.acme.io:6222] }\n",
        ),
        (
            "conf/leaf.conf",
            "database-connection-url",
            "leafnodes { remotes = [{url: \"nats-leaf://edge{u}:{v}@hub.acme.io:7422\"}] }\n",
        ),
    ];
    let mut want = Vec::new();
    for (path, rule, template) in shapes {
        let u = f.from_alphabet("0123456789", 6);
        let v = f.from_alphabet(ALNUM, 16);
        write(
            dir.path(),
            path,
            template.replace("{u}", &u).replace("{v}", &v),
        );
        want.push((path, rule, v));
    }
    let negatives = [
        // PowerShell's escaped reference, printed for a log: a variable's name, not its value
        ("neg/push.ps1", "Write-Host \"git clone https://svc:`$AzureDevOpsToken@dev.azure.com/acme/_git/tools\"\n"),
        // stand-in words: a test's made-up login
        ("neg/test_install.py", "fake_url = \"http://test_user:test_password@files.acme.io/conf.zip\"\n"),
        ("neg/closed_test.go", "url := fmt.Sprintf(\"nats://my_user:wrong_pass@%s:%d\", host, port)\n"),
        ("neg/agent.rb", "'uri' => 'mqtt://user:mypass@broker.acme.io:1883',\n"),
    ];
    for (p, c) in negatives {
        write(dir.path(), p, c);
    }
    let report = scan_dir_json(dir.path(), &[]);
    for (path, rule, v) in &want {
        assert_eq!(
            finding_of(&report, path, v).map(|(r, _)| r).as_deref(),
            Some(*rule),
            "{path}: {}",
            report["findings"]
        );
    }
    for (p, _) in negatives {
        assert!(
            !finding_paths(&report).iter().any(|x| x == p),
            "{p} reported: {}",
            report["findings"]
        );
    }
}

#[test]
fn a_default_account_or_a_numeric_password_to_a_loopback_host_is_reported_low() {
    let mut f = Fake::new(0xcd07_1007);
    let dir = tempfile::tempdir().unwrap();
    let digits = f.from_alphabet("123456789", 6);
    // Elasticsearch's default account, joined here so that this file holds no such URL itself.
    let account = "elastic";
    write(
        dir.path(),
        "count_test.go",
        format!(
            "client := setupTestClient(t, SetURL(\"http://{account}:{account}@localhost:9210\"))\n"
        ),
    );
    write(
        dir.path(),
        "tests/test_connect.py",
        format!("    'dsn': 'postgres://app3:{digits}@localhost:5555/abc',\n"),
    );
    // the same default account to a compose service is the stack's own wiring: not reported
    write(
        dir.path(),
        "compose/app.env",
        "DATABASE_URL=postgres://postgres:postgres@db:5432/app\n",
    );
    let report = scan_dir_json(dir.path(), &[]);
    assert_eq!(
        finding_of(&report, "count_test.go", "elastic"),
        Some(("weak-url-credentials".to_string(), "low".to_string())),
        "{}",
        report["findings"]
    );
    assert_eq!(
        finding_of(&report, "tests/test_connect.py", &digits),
        Some(("weak-url-credentials".to_string(), "low".to_string())),
        "{}",
        report["findings"]
    );
    assert!(
        !finding_paths(&report)
            .iter()
            .any(|p| p == "compose/app.env"),
        "{}",
        report["findings"]
    );
}

#[test]
fn an_ses_smtp_password_is_found_by_its_version_byte() {
    let mut f = Fake::new(0xcd07_05e5);
    let dir = tempfile::tempdir().unwrap();
    // base64 of 0x04 and 32 bytes: `B`, then A-P (the byte's last two bits are zero), 42 more
    let key = format!(
        "B{}{}",
        &f.from_alphabet("ABCDEFGHIJKLMNOP", 12)[..1],
        f.from_alphabet(B64, 42)
    );
    let other = format!("BZ{}", f.from_alphabet(B64, 42));
    write(
        dir.path(),
        "infra/terraform.tfstate",
        format!("{{\n  \"attributes\": {{\n    \"ses_smtp_password_v4\": \"{key}\",\n    \"user\": \"mailer\"\n  }}\n}}\n"),
    );
    write(
        dir.path(),
        "infra/other.tfstate",
        format!("{{\"ses_smtp_password_v4\": \"{other}\"}}\n"),
    );
    let report = scan_dir_json(dir.path(), &[]);
    assert_eq!(
        finding_of(&report, "infra/terraform.tfstate", &key)
            .map(|(r, _)| r)
            .as_deref(),
        Some("aws-ses-smtp-password"),
        "{}",
        report["findings"]
    );
    assert_ne!(
        finding_of(&report, "infra/other.tfstate", &other)
            .map(|(r, _)| r)
            .as_deref(),
        Some("aws-ses-smtp-password"),
        "{}",
        report["findings"]
    );
}
