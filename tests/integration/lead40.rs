//! Keys that SDK calls take as positional arguments, and a Fernet key a formatter moved to the line
//! after its call (stop 40, rules/lead40.toml). A probe of 39 client calls written as their SDKs'
//! documentation writes them found these missed by every rule, while the same keys under a name
//! were found: `rollbar.init('<token>', 'production')` (wrapped by black too), Mailjet's
//! `apiConnect(key, secret)` and `Client(auth=(key, secret))`, `Fernet(⏎ b'<key>'⏎ )`. Each cell is
//! a file of its own with fresh fake values and must be reported by the named rule with that value;
//! the near misses beside them (lookups, variables, placeholders) stay quiet.

use crate::common::*;
use base64::engine::general_purpose::URL_SAFE;
use base64::Engine as _;

/// (file name, text with `{V}` for the secret and `{K}` for a companion key): each must be reported
/// by `rule` with the `{V}` value.
fn check(rule: &str, seed: u64, cells: &[(&str, &str)], value: impl Fn(&mut Fake) -> String) {
    let mut f = Fake::new(seed);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, (name, text)) in cells.iter().enumerate() {
        let v = value(&mut f);
        let k = f.hex(32);
        let path = format!("c{i}/{name}");
        files.push((path.clone(), text.replace("{V}", &v).replace("{K}", &k)));
        want.push((path, format!("{rule}: {name}: {text}"), v));
    }
    let missed = missed_values_of_rule(&files, &want, rule);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn a_rollbar_token_given_to_init_or_under_a_rollbar_name_is_reported() {
    let cells = [
        ("monitoring.py", "import rollbar\nrollbar.init('{V}', 'production')\n"),
        (
            "app.py",
            "rollbar.init(\n    \"{V}\",\n    environment=\"production\",\n    code_version=\"1.0\",\n)\n",
        ),
        ("settings.py", "rollbar.init(access_token=\"{V}\", environment=\"prod\")\n"),
        (
            "bootstrap.php",
            "<?php\nRollbar::init(['access_token' => '{V}', 'environment' => 'production']);\n",
        ),
        (
            "index.js",
            "const rollbar = new Rollbar({ accessToken: '{V}', captureUncaught: true });\n",
        ),
        ("rollbar.rb", "Rollbar.configure do |config|\n  config.access_token = '{V}'\nend\n"),
        (".env", "ROLLBAR_ACCESS_TOKEN={V}\n"),
        ("config.yaml", "rollbar_server_token: \"{V}\"\n"),
        ("settings.json", "{\n  \"ROLLBAR_TOKEN\": \"{V}\"\n}\n"),
    ];
    // The Ruby block's `config.access_token` has no Rollbar name on its line: found by the generic
    // rules (checked below), not this one.
    let (named, block): (Vec<_>, Vec<_>) = cells.iter().partition(|(n, _)| *n != "rollbar.rb");
    check("rollbar-access-token", 4001, &named, |f| f.hex(32));
    let mut f = Fake::new(4002);
    let v = f.hex(32);
    let files = vec![("c/rollbar.rb".to_string(), block[0].1.replace("{V}", &v))];
    let want = vec![("c/rollbar.rb".to_string(), "ruby block".to_string(), v)];
    assert!(missed_values(&files, &want).is_empty());
}

#[test]
fn a_mailjet_secret_after_its_key_in_a_client_call_is_reported() {
    let cells = [
        (
            "send.js",
            "const mailjet = Mailjet.apiConnect('{K}', '{V}');\n",
        ),
        (
            "send.ts",
            "const mailjet = Mailjet.apiConnect(\n  \"{K}\",\n  \"{V}\"\n);\n",
        ),
        (
            "send.py",
            "from mailjet_rest import Client\nmailjet = Client(auth=(\"{K}\", \"{V}\"), version=\"v3.1\")\n",
        ),
        (
            "mail.php",
            "<?php\n$mj = new \\Mailjet\\Client('{K}', '{V}', true, ['version' => 'v3.1']);\n",
        ),
        (".env", "MJ_APIKEY_PUBLIC={K}\nMJ_APIKEY_PRIVATE={V}\n"),
    ];
    check("mailjet-api-secret", 4003, &cells, |f| f.hex(32));
}

#[test]
fn a_fernet_key_on_the_line_after_its_call_is_reported() {
    let fernet = |f: &mut Fake| URL_SAFE.encode(f.bytes(32));
    let cells = [
        ("crypto.py", "self.fernet = Fernet(\n    b\"{V}\"\n)\n"),
        ("vault.py", "cipher = Fernet(\n    '{V}'\n)\n"),
        ("keys.py", "f = Fernet(\n    key=b'{V}',\n)\n"),
        (
            "rotate.py",
            "cipher = MultiFernet([\n    Fernet(b\"{V}\"),\n])\n",
        ),
    ];
    check("fernet-key-call-argument", 4004, &cells, fernet);
    // On one line the standing Fernet rules read it, once.
    let mut f = Fake::new(4005);
    let v = fernet(&mut f);
    let by_path = scan_files_by_path(&[("one.py", format!("f = Fernet(b'{v}')\n"))]);
    let found = &by_path["one.py"];
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, v);
}

#[test]
fn lookups_variables_and_placeholders_in_the_same_calls_stay_quiet() {
    let files = [
        ("a.py", "rollbar.init(os.environ['ROLLBAR_ACCESS_TOKEN'], 'production')\n".to_string()),
        ("b.py", "rollbar.init(settings.ROLLBAR_TOKEN, environment='production')\n".to_string()),
        ("c.py", "rollbar.init('POST_SERVER_ITEM_ACCESS_TOKEN', 'production')\n".to_string()),
        ("d.js", "const mailjet = Mailjet.apiConnect(process.env.MJ_APIKEY_PUBLIC, process.env.MJ_APIKEY_PRIVATE);\n".to_string()),
        ("e.py", "mailjet = Client(auth=(api_key, api_secret), version='v3.1')\n".to_string()),
        (".env", "MJ_APIKEY_PRIVATE=your_private_key\n".to_string()),
        ("g.py", "f = Fernet(\n    settings.FERNET_KEY\n)\n".to_string()),
        ("h.py", "f = Fernet(\n    Fernet.generate_key()\n)\n".to_string()),
    ];
    let v = scan_files_json(&files);
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.is_empty(), "{findings:#?}");
}
