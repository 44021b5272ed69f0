//! Shapes stop 46 left lost or noisy (stop 48, lost48; README "Shapes stop 46 left lost or noisy"):
//! long random keys that spell a short word by chance (`…gFgeFAkEy`, `…x9TeSTq…`), base64 keys that
//! open with `/`, standard base64 that a narrower rule cut at a `+`, XML elements whose value
//! stands on its own line, Terraform resources that store a secret, and a key in a command's
//! environment (`A=1 SERVICE_KEY=… ./run`); and, quiet, words a person wrote into a key (a test's
//! `…FAKE…`), paths, references and stand-ins. Every value is a fresh fake of its format.

use crate::common::*;

const B62: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Short words the stand-in lists and the rules' stopwords hold (six letters or fewer: the words
/// chance spells, `CHANCE_WORD` in src/filters.rs).
const WORDS: &[&str] = &[
    "fake", "mock", "dummy", "bogus", "mocked", "sample", "xxxx", "test", "demo", "your", "secret",
    "token", "passwd", "lorem", "foobar", "jwt", "google", "gmail", "insert",
];

/// Words of hex letters, which a hex key spells by chance.
const HEX_WORDS: &[&str] = &[
    "dead", "beef", "cafe", "face", "fade", "decade", "facade", "added",
];

/// `word` with each letter's case drawn at random, as a random key spells it, drawn again while
/// three letters run in one case or it comes out capitalised: a word in one case or capitalised is
/// one a person writes and stays a stand-in, and so would a listed word inside it (`mock` in
/// `mockED`).
fn chance_case(f: &mut Fake, word: &str) -> String {
    loop {
        let w: String = word
            .chars()
            .map(|c| {
                if f.next().is_multiple_of(2) {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        let runs = w
            .as_bytes()
            .windows(3)
            .any(|t| t.iter().all(u8::is_ascii_lowercase) || t.iter().all(u8::is_ascii_uppercase));
        if !runs && w != cap(word) {
            return w;
        }
    }
}

/// `word` set inside `key`, neither first nor last, with a key character on either side.
fn inside(f: &mut Fake, key: &str, word: &str) -> String {
    let body = key.trim_end_matches('=');
    let at = 1 + (f.next() as usize) % (body.len() - 2);
    format!("{}{word}{}", &key[..at], &key[at..])
}

/// A random key of one family (base62 of 32 to 64, hex of 32 to 64, base64 of 40 to 88 with its
/// padding sometimes) with a short word inside it, in the case chance spells it.
fn key_spelling_a_word(f: &mut Fake, family: usize) -> String {
    let pick = |f: &mut Fake, list: &[&'static str]| list[(f.next() as usize) % list.len()];
    match family {
        0 => {
            let n = 32 + (f.next() as usize) % 33;
            let key = loop {
                let k = mixed_alnum(f, n);
                if k.chars().any(|c| c.is_ascii_uppercase()) {
                    break k;
                }
            };
            let w = pick(f, WORDS);
            let w = chance_case(f, w);
            inside(f, &key, &w)
        }
        1 => {
            let n = 32 + (f.next() as usize) % 33;
            let key = f.hex(n);
            let w = pick(f, HEX_WORDS);
            inside(f, &key, w)
        }
        _ => {
            let n = 4 * (10 + (f.next() as usize) % 13);
            let mut key = f.from_alphabet(B64, n);
            if f.next().is_multiple_of(3) {
                key.replace_range(n - 1.., "=");
            }
            let w = pick(f, WORDS);
            let w = chance_case(f, w);
            inside(f, &key, &w)
        }
    }
}

#[test]
fn long_random_keys_that_spell_a_word_by_chance_are_reported() {
    let mut f = Fake::new(4801);
    let shapes: &[(&str, &str)] = &[
        (".env", "{N}={V}"),
        ("settings.py", "{N} = \"{V}\""),
        ("config.js", "const {n} = \"{V}\";"),
        ("config.yaml", "{s}: {V}"),
    ];
    let names = [
        ("API_KEY", "apiKey", "api_key"),
        ("CLIENT_SECRET", "clientSecret", "client_secret"),
        ("ACCESS_TOKEN", "accessToken", "access_token"),
        ("AUTH_TOKEN", "authToken", "auth_token"),
        ("APP_SECRET", "appSecret", "app_secret"),
        ("SIGNING_SECRET", "signingSecret", "signing_secret"),
    ];
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for i in 0..480 {
        let (file, template) = shapes[i % shapes.len()];
        let (upper, camel, snake) = names[(i / shapes.len()) % names.len()];
        let v = key_spelling_a_word(&mut f, i % 3);
        let text = template
            .replace("{N}", upper)
            .replace("{n}", camel)
            .replace("{s}", snake)
            .replace("{V}", &v);
        let path = format!("c{i:03}/{file}");
        files.push((path.clone(), format!("{text}\n")));
        want.push((path, text, v));
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn words_written_into_keys_stay_stand_ins() {
    let mut f = Fake::new(4802);
    let k = |f: &mut Fake| mixed_alnum(f, 30);
    let (a, b, c, d, e) = (k(&mut f), k(&mut f), k(&mut f), k(&mut f), k(&mut f));
    let (g, h) = (k(&mut f), f.hex(36));
    let values = [
        // A test's stand-ins: the word in one case or capitalised inside a key of both cases.
        format!("{}FAKE{}", &a[..12], &a[12..]),
        format!("{}fake{}", &b[..9], &b[9..]),
        format!("{}Fake{}", &c[..15], &c[15..]),
        // The word twice.
        format!("{}fAkE{}FaKe{}", &d[..6], &d[6..20], &d[20..]),
        // Set off by a separator, or at an end.
        format!("fake_{e}"),
        format!("{g}-fake"),
        // A word past `f` inside a hex key.
        format!("{}fake{}", &h[..10], &h[10..]),
        // Words too long for chance, and values that are words.
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_string(),
        format!("{}PlaceHolder{}", &a[..10], &a[10..]),
        "your_api_key_here_please_replace_it".to_string(),
        "sk_test_fake_key_for_unit_tests_only".to_string(),
    ];
    let files: Vec<(String, String)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (
                format!("q{i:02}/settings.py"),
                format!("API_KEY = \"{v}\"\n"),
            )
        })
        .collect();
    let got = string_pairs(&scan_files_json(&files), "path", "rule_id");
    assert!(got.is_empty(), "reported: {got:?}");
}

#[test]
fn base64_keys_opening_with_a_slash_are_no_paths() {
    let mut f = Fake::new(4803);
    let key = |f: &mut Fake| loop {
        let k = format!("/{}", f.from_alphabet(B62, 43));
        // A `/` inside too, as base64 has: one long segment either side.
        let mut k = k.into_bytes();
        k[25] = b'/';
        let k = String::from_utf8(k).unwrap();
        if k[1..25].chars().any(|c| c.is_ascii_digit()) {
            return k;
        }
    };
    let shapes: &[(&str, &str)] = &[
        (".env", "PRIVATE_TOKEN={V}"),
        ("config.js", "const jwtSecret = \"{V}\";"),
        ("config.yaml", "app_secret: {V}"),
        ("settings.py", "API_KEY = \"{V}\""),
    ];
    let (files, want) = cells(&mut f, shapes, key);
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    assert_quiet(vec![
        (".env", "API_KEY=/run/secrets/apikey\n"),
        ("a.yaml", "api_key: /etc/app/keys/prod\n"),
        ("b.py", "SECRET_KEY = \"/var/lib/app/secret2\"\n"),
    ]);
}

#[test]
fn standard_base64_is_not_cut_at_a_plus_by_a_narrower_rule() {
    let mut f = Fake::new(4804);
    // 52 and 40 characters with a `+` inside: no 44-character Fernet key after it, no
    // 24-character legacy Google secret before it.
    let key = |f: &mut Fake, n: usize, at: usize| {
        let mut k = mixed_alnum(f, n).into_bytes();
        k[at] = b'+';
        String::from_utf8(k).unwrap()
    };
    let shapes = [
        (
            "a.yaml",
            "client_secret: ",
            format!("{}=", key(&mut f, 51, 7)),
        ),
        ("b.yaml", "client_secret: ", key(&mut f, 40, 24)),
        (
            "c.env",
            "CLIENT_SECRET=",
            format!("{}=", key(&mut f, 51, 7)),
        ),
    ];
    let files: Vec<(String, String)> = shapes
        .iter()
        .map(|(p, name, v)| (p.to_string(), format!("{name}{v}\n")))
        .collect();
    let want: Vec<(String, String, String)> = shapes
        .iter()
        .map(|(p, name, v)| (p.to_string(), name.to_string(), v.clone()))
        .collect();
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn xml_elements_with_the_value_on_its_own_line_are_reported() {
    let mut f = Fake::new(4805);
    let secrets: &[(&str, &str)] = &[
        (
            "conf/settings.xml",
            "<config>\n  <apiKey>\n    {V}\n  </apiKey>\n</config>",
        ),
        (
            "conf/app.xml",
            "<service>\n  <secretKey>\n      {V}\n  </secretKey>\n</service>",
        ),
        (
            "conf/auth.xml",
            "<auth>\n<access_token>\n{V}\n</access_token>\n</auth>",
        ),
        (
            "conf/client.config",
            "<client>\r\n  <clientSecret>\r\n    {V}\r\n  </clientSecret>\r\n</client>",
        ),
        (
            "conf/token.xml",
            "<session>\n  <token>\n    {V}\n  </token>\n</session>",
        ),
    ];
    let (files, want) = cells(&mut f, secrets, |f| mixed_alnum(f, 32));
    assert_all_found(&files, &want, "xml-secret-element-own-line");

    let password = |f: &mut Fake| format!("{}!{}", mixed_alnum(f, 10), f.next() % 90 + 10);
    let passwords: &[(&str, &str)] = &[
        (
            "settings.xml",
            "<server>\n  <id>nexus</id>\n  <password>\n    {V}\n  </password>\n</server>",
        ),
        (
            "conf/db.xml",
            "<ds>\n  <db.password>\n    {V}\n  </db.password>\n</ds>",
        ),
        (
            "conf/mail.xml",
            "<mail>\n  <smtpPassword>\n    {V}\n  </smtpPassword>\n</mail>",
        ),
    ];
    let (files, want) = cells(&mut f, passwords, password);
    assert_all_found(&files, &want, "xml-password-element-own-line");

    let key = mixed_alnum(&mut f, 32);
    assert_quiet(vec![
        (
            "a.xml",
            "<x>\n  <apiKey>\n    ${env.API_KEY}\n  </apiKey>\n</x>\n".to_string(),
        ),
        (
            "b.xml",
            "<x>\n  <apiKey>\n    YOUR_API_KEY_HERE\n  </apiKey>\n</x>\n".into(),
        ),
        (
            "c.xml",
            format!("<x>\n  <publicKey>\n    {key}\n  </publicKey>\n</x>\n"),
        ),
        (
            "d.xml",
            "<x>\n  <password>\n    {COQLCE6DU6GtcS5P=}\n  </password>\n</x>\n".into(),
        ),
        (
            "e.xml",
            "<x>\n  <password>\n    changeme\n  </password>\n</x>\n".into(),
        ),
        (
            "f.xml",
            "<x>\n  <passwordPolicy>\n    <minLength>12</minLength>\n  </passwordPolicy>\n</x>\n"
                .into(),
        ),
    ]);
}

#[test]
fn terraform_resources_that_store_a_secret_are_read() {
    let mut f = Fake::new(4806);
    let shapes: &[(&str, &str)] = &[
        (
            "infra/main.tf",
            "resource \"google_secret_manager_secret_version\" \"api\" {\n  secret      = google_secret_manager_secret.api.id\n  secret_data = \"{V}\"\n}",
        ),
        (
            "infra/github.tf",
            "resource \"github_actions_secret\" \"deploy\" {\n  repository      = \"app\"\n  secret_name     = \"DEPLOY_KEY\"\n  plaintext_value = \"{V}\"\n}",
        ),
        (
            "infra/aws.tf",
            "resource \"aws_secretsmanager_secret_version\" \"db\" {\n  secret_id     = aws_secretsmanager_secret.db.id\n  secret_string = \"{V}\"\n}",
        ),
        (
            "infra/azure.tf",
            "resource \"azurerm_key_vault_secret\" \"api\" {\n  name         = \"api-token\"\n  value        = \"{V}\"\n  key_vault_id = azurerm_key_vault.main.id\n}",
        ),
        (
            "infra/ssm.tf",
            "resource \"aws_ssm_parameter\" \"key\" {\n  name  = \"/app/prod/service\"\n  type  = \"SecureString\"\n  value = \"{V}\"\n}",
        ),
    ];
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 32));
    assert_all_found(&files, &want, "terraform-secret-resource-value");
    // A password of 13 characters (under the generic floor) in Secrets Manager.
    let (files, want) = cells(&mut f, &shapes[2..3], |f| {
        format!("{}#{}", mixed_alnum(f, 10), f.next() % 90 + 10)
    });
    assert_all_found(&files, &want, "terraform-secret-resource-value");

    let key = mixed_alnum(&mut f, 32);
    assert_quiet(vec![
        (
            "a.tf",
            "resource \"aws_secretsmanager_secret_version\" \"db\" {\n  secret_id     = aws_secretsmanager_secret.db.id\n  secret_string = random_password.db.result\n}\n".to_string(),
        ),
        (
            "b.tf",
            "resource \"aws_secretsmanager_secret_version\" \"db\" {\n  secret_string = \"${var.db_password}\"\n}\n".into(),
        ),
        (
            "c.tf",
            "resource \"aws_ssm_parameter\" \"region\" {\n  name  = \"/app/region\"\n  type  = \"String\"\n  value = \"eu-west-1\"\n}\n".into(),
        ),
        (
            "d.tf",
            format!("resource \"aws_s3_bucket\" \"logs\" {{\n  bucket = \"logs\"\n  tags = {{\n    value = \"{key}\"\n  }}\n}}\n"),
        ),
    ]);
}

#[test]
fn a_key_in_a_commands_environment_is_reported() {
    let mut f = Fake::new(4807);
    let shapes: &[(&str, &str)] = &[
        ("run.sh", "DEBUG=1 OPENAI_KEY={V} python app.py"),
        ("scripts/run.sh", "OPENAI_KEY={V} ./run"),
        ("Makefile", "run:\n\tPORT=8080 STRIPE_KEY={V} go run ."),
        (
            "Dockerfile",
            "RUN NODE_ENV=production SERVICE_KEY={V} npm ci",
        ),
        (
            "README.md",
            "```sh\n$ DEBUG=1 MAPS_KEY=\"{V}\" REGION=eu npm start\n```",
        ),
        (
            ".github/workflows/ci.yml",
            "      - run: CI=1 LICENSE_KEY={V} npm test",
        ),
    ];
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 32));
    assert_all_found(&files, &want, "shell-assignments-secret");

    let key = mixed_alnum(&mut f, 32);
    let quiet = [
        (
            "a.sh",
            "DEBUG=1 OPENAI_KEY=$OPENAI_KEY python app.py\n".to_string(),
        ),
        ("b.sh", format!("DEBUG=1 PUBLIC_KEY={key} ./run\n")),
        (
            "c.sh",
            "DEBUG=1 SERVICE_KEY=YOUR_SERVICE_KEY_HERE_PLEASE ./run\n".into(),
        ),
        // Not a shell file: a Python call's keyword argument.
        ("d.py", format!("client = Client(SERVICE_KEY={key} and)\n")),
    ];
    let found = findings_of_rules(&quiet, &["shell-assignments-secret"]);
    assert!(found.is_empty(), "{found:?}");
}
