//! What labeled corpora of other generators showed (stop 44, corp44; README "Held-out: labeled
//! corpora of other scanners"): a password holding an escaped backslash or quote was lost whole
//! (rules/corp44.toml); wget's and curl's other password options were not read; and three kinds
//! of clear non-secrets were reported: a template's expression in a URL's password place, a
//! positional format field under a password name, and Datadog's public browser client token.

use crate::common::*;

const ESCAPE_RULE: &str = "password-with-escape";

/// Symbols a password draws from here: none opens a reference (`$`, `{`, `<`), a class or a group.
const SYMBOLS: &str = "!#%&*+-.=?@^_~";

/// A fresh strong password that holds one escape as written inside a double-quoted literal:
/// an escaped backslash (`\\`) or an escaped quote (`\"`). The character after the escape is a
/// digit, so the escape never reads as `\n`, `\t`, `\d` or `\u`.
fn escaped_password(f: &mut Fake, quote: bool) -> String {
    let alphabet = format!("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789{SYMBOLS}");
    loop {
        let head = f.from_alphabet(&alphabet, 7);
        let tail = f.from_alphabet(&alphabet, 7);
        let digit = (b'2' + (f.next() % 8) as u8) as char;
        let esc = if quote { "\\\"" } else { "\\\\" };
        let v = format!("{head}{esc}{digit}{tail}");
        let has = |p: fn(&char) -> bool| v.chars().any(|c| p(&c));
        if has(char::is_ascii_lowercase)
            && has(char::is_ascii_uppercase)
            && has(|c| SYMBOLS.contains(*c))
        {
            return v;
        }
    }
}

/// Where a password is written as a double-quoted literal: `{V}` the value as written.
const DOUBLE_QUOTED: &[(&str, &str)] = &[
    (
        "config.json",
        "{\n  \"password\": \"{V}\",\n  \"port\": 5432\n}",
    ),
    ("settings.py", "DB_PASSWORD = \"{V}\""),
    ("mailer.js", "const smtpPassword = \"{V}\";"),
    (
        "Db.java",
        "private static final String adminPassword = \"{V}\";",
    ),
    ("Conn.cs", "var connPwd = \"{V}\";"),
    ("app.yml", "database:\n  password: \"{V}\""),
    ("main.go", "cfg := Config{\n\tPassphrase: \"{V}\",\n}"),
    ("params.rb", "params = { :password => \"{V}\" }"),
];

#[test]
fn a_password_holding_an_escaped_backslash_or_quote_is_reported_in_every_shape() {
    let mut f = Fake::new(4401);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for quote in [false, true] {
        for (si, (name, template)) in DOUBLE_QUOTED.iter().enumerate() {
            let v = escaped_password(&mut f, quote);
            let path = format!("q{}s{si}/{name}", quote as u8);
            files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
            want.push((path, format!("{template} (escaped quote: {quote})"), v));
        }
    }
    // A single-quoted literal with an escaped backslash (PHP, Python).
    for (si, template) in ["$mailPassword = '{V}';", "ftp_password = '{V}'"]
        .iter()
        .enumerate()
    {
        let v = escaped_password(&mut f, false);
        let path = format!("single{si}/conf.php");
        files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
        want.push((path, template.to_string(), v));
    }
    let missed = missed_values_of_rule(&files, &want, ESCAPE_RULE);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn patterns_paths_messages_and_comparisons_with_escapes_stay_quiet() {
    let mut f = Fake::new(4402);
    let store = f.alnum(8);
    let v = escaped_password(&mut f, false);
    let files = vec![
        (
            "a/policy.json",
            "{\"passwordPattern\": \"^(?=.*\\\\d)(?=.*[a-z])(?=.*[A-Z]).{12,}$\"}\n".to_string(),
        ),
        (
            "b/rules.py",
            "password_regex = \"^[A-Za-z0-9!@#\\\\$%]{12,64}$\"\n".to_string(),
        ),
        (
            "c/app.json",
            format!("{{\"passwordFile\": \"C:\\\\secrets\\\\{store}\\\\pw.txt\"}}\n"),
        ),
        (
            "d/Keystore.cs",
            format!("var keystorePassword = \"D:\\\\certs\\\\{store}\\\\app.pfx\";\n"),
        ),
        (
            "e/strings.json",
            "{\"password\": \"Enter\\\\nYour\\\\nPassword7!\"}\n".to_string(),
        ),
        (
            "f/check.js",
            format!("if (password == \"{v}\") {{ ok(); }}\n"),
        ),
        (
            "g/messages.json",
            format!("{{\"password_hint\": \"{v}\"}}\n"),
        ),
    ];
    let found = findings_of_rules(&files, &[ESCAPE_RULE]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn wget_and_curl_password_options_are_read() {
    let mut f = Fake::new(4403);
    let shapes = [
        "wget --http-user=ci --http-password={V} https://dl.acme-build.io/build.tgz",
        "wget --ftp-user=ops --ftp-password={V} ftp://files.acme-build.io/nightly.tgz",
        "wget -e use_proxy=on --proxy-user=ops --proxy-password={V} https://dl.acme-build.io/x",
        "curl --tlsuser ops --tlspassword {V} https://api.acme-build.io/v1/ping",
        "curl --proxy-tlspassword {V} -x https://proxy.acme-build.io https://api.acme-build.io",
        "curl -x http://proxy.acme-build.io:3128 --proxy-user ops:{V} https://api.acme-build.io",
    ];
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (si, template) in shapes.iter().enumerate() {
        let v = format!("{}{}{}", f.alnum(12), 2 + f.next() % 8, 2 + f.next() % 8);
        let path = format!("s{si}/fetch.sh");
        files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
        want.push((path, template.to_string(), v));
    }
    let missed = missed_values_of_rule(&files, &want, "cli-password-argument");
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    // A reference or a placeholder in the option's place stays quiet.
    let quiet = vec![
        (
            "q1/fetch.sh",
            "wget --http-password=$DL_PASSWORD https://dl.acme-build.io/x\n",
        ),
        (
            "q2/fetch.sh",
            "wget --proxy-password=\"${PROXY_PASS}\" https://dl.acme-build.io/x\n",
        ),
    ];
    let found = findings_of_rules(&quiet, &["cli-password-argument"]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn template_expressions_format_fields_and_public_client_tokens_stay_quiet() {
    let mut f = Fake::new(4404);
    let host = "git.acme-build.io";
    let client_token = format!("pub{}", f.hex(32));
    let quiet = vec![
        (
            "a/clone.py",
            format!("remote = f\"https://ci-bot:{{vault_pat(secret_name)}}@{host}/acme/infra.git\"\n"),
        ),
        (
            "b/clone.py",
            format!("url = f\"https://{{user}}:{{token_for(user)}}@{host}/acme/tools.git\"\n"),
        ),
        (
            "c/login.py",
            "login_password = \"svc-{0}-Pw9x\".format(region)\n".to_string(),
        ),
        (
            "d/Login.cs",
            "var adminPassword = String.Format(\"adm-{0}!Q7\", site);\n".to_string(),
        ),
        (
            "e/rum.js",
            format!(
                "datadogRum.init({{\n  applicationId: \"{}\",\n  clientToken: \"{client_token}\",\n  site: \"datadoghq.com\",\n}});\n",
                f.uuid()
            ),
        ),
        (
            "f/logs.ts",
            format!("datadogLogs.init({{ clientToken: '{client_token}', forwardErrorsToLogs: true }});\n"),
        ),
    ];
    let v = scan_files_json(&quiet);
    assert!(finding_paths(&v).is_empty(), "{}", v["findings"]);

    // The same shapes with a literal secret are still reported, by the same rules.
    let pw = format!("Kq{}7#Zx", f.alnum(8));
    let token = format!("{}9{}", f.alnum(20), f.alnum(11));
    let loud = vec![
        (
            "a/clone.py".to_string(),
            format!("remote = f\"https://ci-bot:{pw}@{host}/acme/infra.git\"\n"),
        ),
        (
            "e/rum.js".to_string(),
            format!("ddClient.init({{\n  clientToken: \"{token}\",\n}});\n"),
        ),
    ];
    let want = vec![
        ("a/clone.py".to_string(), "url password".to_string(), pw),
        ("e/rum.js".to_string(), "client token".to_string(), token),
    ];
    let missed = missed_values(&loud, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn a_kolide_api_token_is_reported_in_every_shape_and_near_misses_are_not() {
    let shapes: &[(&str, &str)] = &[
        (".env", "KOLIDE_API_TOKEN={V}"),
        ("audit.py", "headers = {\"Authorization\": \"Bearer {V}\"}"),
        (
            "client.go",
            "req.Header.Set(\"Authorization\", \"Bearer {V}\")",
        ),
        ("values.yml", "kolide:\n  token: {V}"),
        (
            "sync.sh",
            "curl -H \"Authorization: Bearer {V}\" https://api.kolide.com/devices",
        ),
        ("config.json", "{\"kolideToken\": \"{V}\"}"),
    ];
    let missed = missed_names_by_shapes(
        4405,
        &["-"],
        shapes,
        |f| format!("k2sk_v1_{}", f.alnum(24)),
        Some("kolide-api-token"),
    );
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));

    let mut f = Fake::new(4406);
    let quiet = vec![
        (
            "a/.env",
            format!("KOLIDE_API_TOKEN=k2sk_v1_{}\n", f.alnum(23)),
        ),
        (
            "b/.env",
            format!("KOLIDE_API_TOKEN=k2sk_v1_{}x\n", f.alnum(24)),
        ),
        (
            "c/.env",
            "KOLIDE_API_TOKEN=k2sk_v1_${KOLIDE_SECRET}\n".to_string(),
        ),
    ];
    let found = findings_of_rules(&quiet, &["kolide-api-token"]);
    assert!(found.is_empty(), "{found:?}");
}
