//! What the labeled corpora of other scanners showed (stop 48, corp48; README "Held-out: … (issue
//! 17, stop 48, corp48)"): a URL with an empty user and a password (`https://:…@host`) was lost to
//! the URL rules, which read an IPv6 address in brackets before `@` as a user and a password; a
//! Python f-string or a two-letter prefixed literal (`f"…"`, `rb'…'`) under a password's name was
//! lost; PHP's connect calls with a variable before the password, its other drivers and
//! pg_connect's `password=` were lost; and the short names `psw`, `passw`, `creds`, `cred` and a
//! quoted `"pw"` key were read by no rule.

use crate::common::*;

const URL: &str = "url-embedded-credentials";
const URL_OTHER: &str = "url-credentials-other-schemes";
const PASSWORD: &str = "password-assignment";
const PHP: &str = "php-connect-password-argument";
const SHORT: &str = "short-credential-name-assignment";

/// A random password of `n` letters and digits with a symbol in it (three classes or four).
fn password(f: &mut Fake, n: usize) -> String {
    let v = mixed_alnum(f, n - 1);
    let symbol = ["!", "#", "%", "^", "*", "~"][(f.next() % 6) as usize];
    let at = (f.next() as usize) % v.len();
    format!("{}{symbol}{}", &v[..at], &v[at..])
}

#[test]
fn a_url_with_an_empty_user_and_a_password_is_reported() {
    let shapes: &[(&str, &str)] = &[
        (
            "clone.sh",
            "git clone https://:{V}@dev.acme-git.io/acme/_git/infra",
        ),
        (".env", "UPSTREAM_URL=http://:{V}@api.acme-prod.io:8080/v1"),
        (
            "mirror.py",
            "FTP = \"ftp://:{V}@files.acme-prod.io/nightly\"",
        ),
        (
            "ws.js",
            "const socket = new WebSocket(\"wss://:{V}@rt.acme-prod.io/feed\");",
        ),
        (
            "values.yaml",
            "ldap:\n  url: ldaps://:{V}@dir.acme-prod.io:636\n",
        ),
    ];
    let mut f = Fake::new(4801);
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 20));
    assert_all_found(&files, &want, URL);
    let shapes: &[(&str, &str)] = &[
        (
            "iot.py",
            "BROKER = \"mqtts://:{V}@iot.acme-broker.net:8883\"",
        ),
        (
            "proxy.env",
            "ALL_PROXY=socks5h://:{V}@relay.acme-prod.io:1080",
        ),
    ];
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 20));
    assert_all_found(&files, &want, URL_OTHER);
    // The brokers' and Redis' own rules read the empty user already: still so.
    let shapes: &[(&str, &str)] = &[
        (
            "cache.py",
            "REDIS_URL = \"redis://:{V}@cache.acme-prod.io:6379/0\"",
        ),
        (
            "broker.env",
            "AMQP_URL=amqp://:{V}@mq.acme-prod.io:5672/app",
        ),
    ];
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 20));
    assert!(missed_values(&files, &want).is_empty());
}

#[test]
fn an_empty_user_with_a_reference_or_a_placeholder_or_to_a_local_host_is_quiet() {
    let mut f = Fake::new(4802);
    let v = mixed_alnum(&mut f, 20);
    assert_quiet(vec![
        (
            "a.sh",
            "git clone https://:${AZURE_DEVOPS_PAT}@dev.acme-git.io/acme/_git/infra\n".to_string(),
        ),
        (
            "b.env",
            "UPSTREAM=http://:password@api.acme-prod.io/v1\n".to_string(),
        ),
        ("c.env", format!("UPSTREAM=http://:{v}@localhost:8080/v1\n")),
        (
            "d.env",
            "UPSTREAM=http://:8080@api.acme-prod.io/v1\n".to_string(),
        ),
        (
            "e.py",
            "url = f\"https://:{token}@dev.acme-git.io/acme/_git/infra\"\n".to_string(),
        ),
    ]);
}

#[test]
fn an_ipv6_address_in_brackets_before_an_at_sign_is_no_password() {
    let hosts = [
        "[::1]:8080",
        "[2001:db8::1]:443",
        "[::]:80",
        "[0:0:0:0:0:ffff:127.0.0.1]:80",
        "[fe80::1ff:fe23:4567:890a]:8080",
        "[fd00::7]:1883",
    ];
    let mut files = Vec::new();
    for (i, h) in hosts.iter().enumerate() {
        for (j, scheme) in ["http", "https", "ws", "mqtt", "redis", "postgres"]
            .iter()
            .enumerate()
        {
            files.push((
                format!("p{i}{j}.txt"),
                format!("{scheme}://{h}@evil.acme-test.io/\n"),
            ));
        }
    }
    assert_quiet(files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect());
    // A user and a password before a bracketed host are still a credential.
    let mut f = Fake::new(4803);
    let shapes: &[(&str, &str)] = &[
        ("a.env", "API=https://deploy:{V}@[2001:db8::10]:8443/v1"),
        ("b.env", "API=http://:{V}@[2001:db8::10]:8080/v1"),
    ];
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 20));
    assert_all_found(&files, &want, URL);
}

#[test]
fn a_python_prefixed_literal_under_a_password_name_is_read() {
    let shapes: &[(&str, &str)] = &[
        ("a.py", "password = f\"{V}\""),
        ("b.py", "DB_PASSWORD = F'{V}'"),
        ("c.py", "smtp_password = rb\"{V}\""),
        ("d.py", "admin_pwd = br'{V}'"),
        ("e.py", "password = fr\"{V}\""),
        ("f.py", "password = Rf'{V}'"),
        ("g.py", "conn = connect(host=host, password=f\"{V}\")"),
    ];
    let mut f = Fake::new(4804);
    let (files, want) = cells(&mut f, shapes, |f| password(f, 12));
    assert_all_found(&files, &want, PASSWORD);
}

#[test]
fn an_f_string_that_interpolates_is_no_literal_password() {
    let mut f = Fake::new(4805);
    let a = password(&mut f, 8);
    let b = mixed_alnum(&mut f, 20);
    let files = vec![
        ("a.py", format!("password = f\"{{prefix}}{a}\"\n")),
        ("b.py", format!("password = f\"{}_{{env}}\"\n", &a[..6])),
        ("c.py", "password = f\"{user}:{pw}\"\n".to_string()),
        ("d.py", format!("db_password = f\"{{cfg.salt}}{b}\"\n")),
        ("e.py", format!("api_token = f'{b}{{n}}'\n")),
    ];
    assert_quiet(files);
}

#[test]
fn a_password_passed_to_a_php_connect_call_is_reported_in_every_shape() {
    let shapes: &[(&str, &str)] = &[
        ("a.php", "<?php\n$pdo = new PDO($dsn, 'shop', '{V}');"),
        ("b.php", "<?php\n$pdo = new \\PDO(DB_DSN, DB_USER, \"{V}\");"),
        ("c.php", "<?php\n$pdo = new PDO(\"mysql:host=$host;dbname=$db\", $user, '{V}');"),
        ("d.php", "<?php\n$db = mysqli_connect($host, \"app\", \"{V}\", \"shop\");"),
        ("e.php", "<?php\n$db = new mysqli($cfg['host'], $cfg['user'], '{V}', 'shop');"),
        ("f.php", "<?php\n$db = mysql_pconnect(getenv('DB_HOST'), 'app', '{V}');"),
        ("g.php", "<?php\nmysqli_real_connect($link, 'db1.acme.io', 'app', '{V}', 'shop');"),
        ("h.php", "<?php\n$mysqli->real_connect($this->host, 'app', '{V}');"),
        ("i.php", "<?php\n$c = odbc_connect($dsn, 'app', '{V}');"),
        ("j.php", "<?php\n$c = mssql_connect('db1.acme.io', 'sa', '{V}');"),
        ("k.php", "<?php\n$c = db2_connect($database, $user, '{V}');"),
        ("l.php", "<?php\n$c = ibase_connect($host, 'SYSDBA', '{V}');"),
        ("m.php", "<?php\n$c = oci_connect('scott', '{V}', 'db1.acme.io/ORCL');"),
        ("n.php", "<?php\n$pg = pg_connect(\"host=db1.acme.io dbname=shop user=app password={V}\");"),
        ("o.php", "<?php\n$pg = pg_pconnect(\"host=db1.acme.io user=app password='{V}' connect_timeout=5\");"),
        (
            "p.php",
            "<?php\n$pdo = new PDO(\n    'mysql:host=db1.acme.io;dbname=shop',\n    'app',\n    '{V}'\n);",
        ),
    ];
    let mut f = Fake::new(4806);
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 14));
    assert_all_found(&files, &want, PHP);
}

#[test]
fn php_connect_calls_with_a_variable_a_placeholder_or_an_empty_password_are_quiet() {
    assert_quiet(vec![
        ("a.php", "<?php\n$pdo = new PDO($dsn, $user, $password);\n"),
        (
            "b.php",
            "<?php\n$pdo = new PDO($dsn, 'shop', getenv('DB_PASS'));\n",
        ),
        (
            "c.php",
            "<?php\n$db = mysqli_connect($host, $user, \"{$pass}\");\n",
        ),
        (
            "d.php",
            "<?php\n$db = mysqli_connect(\"localhost\", \"root\", \"\");\n",
        ),
        (
            "e.php",
            "<?php\n$db = mysqli_connect(\"localhost\", \"root\", \"root\");\n",
        ),
        (
            "f.php",
            "<?php\n$db = mysqli_connect($host, $user, 'your_password_here');\n",
        ),
        (
            "g.php",
            "<?php\n$pg = pg_connect(\"host=$host dbname=$db user=$user password=$pass\");\n",
        ),
        (
            "h.php",
            "<?php\n$pg = pg_connect(\"host=localhost user=postgres password=postgres\");\n",
        ),
        (
            "i.php",
            "<?php\n$redis->connect('cache.acme.io', 6379, 2.5);\n",
        ),
    ]);
}

#[test]
fn a_random_value_under_a_short_credential_name_is_reported() {
    let shapes: &[(&str, &str)] = &[
        ("a.py", "psw = \"{V}\""),
        ("b.js", "const passw = '{V}';"),
        ("c.go", "creds := \"deploy:{V}\""),
        ("d.yaml", "backup:\n  creds: ops:{V}\n"),
        ("e.rb", "cred = 'svc-sync:{V}'"),
        ("f.json", "{\"pw\": \"{V}\"}"),
        ("g.json", "{\"db_pwd\": \"{V}\", \"host\": \"db1.acme.io\"}"),
        ("h.py", "cfg['smtp_pw'] = '{V}'"),
        ("i.ts", "const adminCreds = \"admin:{V}\";"),
        ("j.php", "$userPsw = '{V}';"),
        ("k.env", "PSW={V}"),
    ];
    let mut f = Fake::new(4807);
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 16));
    assert_all_found(&files, &want, SHORT);
}

#[test]
fn short_credential_names_holding_words_references_or_placeholders_are_quiet() {
    assert_quiet(vec![
        ("a.py", "creds = \"user:password\"\n"),
        ("b.py", "psw = \"changeme\"\n"),
        ("c.py", "creds = self.creds\n"),
        ("d.yaml", "creds: service-account.json\n"),
        ("e.py", "psw = \"aaaaaaaaaaaa\"\n"),
        ("f.json", "{\"pw\": \"${DB_PW}\"}\n"),
        ("g.py", "creds = get_credentials(profile)\n"),
        (
            "h.js",
            "const creds = { user: 'ops', pass: process.env.PASS };\n",
        ),
        ("i.yaml", "creds: YOUR_CREDENTIALS_HERE\n"),
        ("j.sh", "echo \"$(pwd)\"\n"),
        ("k.py", "passw = input('Password: ')\n"),
        ("l.json", "{\"pwd\": \"/home/deploy/app\"}\n"),
    ]);
    // A comparison, not an assignment.
    let mut f = Fake::new(4808);
    let v = mixed_alnum(&mut f, 16);
    assert_eq!(
        findings_of_rules(
            &[("a.py", format!("if psw == \"{v}\":\n    ok()\n"))],
            &[SHORT]
        ),
        vec![]
    );
}
