//! Families no rule knew and HTTP Basic credentials in the shapes HTTP clients write them
//! (rules/cdfam.toml; issue 17, cdfam): Akamai EdgeGrid client secrets, Salesforce consumer keys,
//! secrets and refresh tokens, ConfigCat SDK keys, Paystack secret keys (no longer reported as
//! Stripe's); a user and password passed to a Basic-auth call, a `user:password`
//! literal being base64-encoded, the scheme and the encoded pair as two arguments.
//!
//! Every value is generated (a seeded `Fake`) in the issued shape and written in several languages
//! and formats; near misses (another vendor's name, placeholders, variables) stay silent.

use crate::common::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// Whether `path` holds a finding of `rule` whose secret is `secret`.
fn has(
    found: &std::collections::HashMap<String, Vec<(String, String)>>,
    path: &str,
    rule: &str,
    secret: &str,
) -> bool {
    found
        .get(path)
        .is_some_and(|v| v.iter().any(|(r, s)| r == rule && s == secret))
}

/// 32 random bytes in base64, as Akamai issues a client secret (43 characters and `=`).
fn akamai_secret(f: &mut Fake) -> String {
    let bytes: Vec<u8> = f
        .hex(64)
        .as_bytes()
        .chunks(2)
        .map(|h| u8::from_str_radix(std::str::from_utf8(h).unwrap(), 16).unwrap())
        .collect();
    STANDARD.encode(bytes)
}

#[test]
fn akamai_client_secrets_are_found_under_akamai_names_and_in_edgerc() {
    let mut f = Fake::new(2001);
    let s: Vec<String> = (0..5).map(|_| akamai_secret(&mut f)).collect();
    let token = format!(
        "akab-{}-{}",
        f.from_alphabet(LOWER_DIGITS, 16),
        f.from_alphabet(LOWER_DIGITS, 16)
    );
    let host = format!(
        "akab-{}-{}.luna.akamaiapis.net",
        f.from_alphabet(LOWER_DIGITS, 16),
        f.from_alphabet(LOWER_DIGITS, 16)
    );
    let files = [
        (
            ".edgerc",
            format!(
                "[default]\nclient_secret = {}\nhost = {host}\naccess_token = {token}\nclient_token = {token}\n",
                s[0]
            ),
        ),
        ("deploy.env", format!("AKAMAI_CLIENT_SECRET={}\nAKAMAI_HOST={host}\n", s[1])),
        (
            "vars.yml",
            format!("akamai:\n  akamai_client_secret: \"{}\"\n", s[2]),
        ),
        (
            "edge.go",
            format!("\tedgegridClientSecret := \"{}\"\n", s[3]),
        ),
        // Another vendor's client secret of the same shape is not Akamai's.
        ("google.env", format!("GOOGLE_CLIENT_SECRET={}\n", s[4])),
        // The bare name outside an .edgerc file is not Akamai's either.
        ("oauth.ini", format!("[app]\nclient_secret = {}\n", s[4])),
    ];
    let found = scan_files_by_path(&files);
    assert!(
        has(&found, ".edgerc", "akamai-edgerc-client-secret", &s[0]),
        "{found:?}"
    );
    assert!(
        has(&found, ".edgerc", "akamai-edgegrid-token", &token),
        "{found:?}"
    );
    assert!(
        has(&found, "deploy.env", "akamai-edgegrid-client-secret", &s[1]),
        "{found:?}"
    );
    assert!(
        has(&found, "vars.yml", "akamai-edgegrid-client-secret", &s[2]),
        "{found:?}"
    );
    assert!(
        has(&found, "edge.go", "akamai-edgegrid-client-secret", &s[3]),
        "{found:?}"
    );
    for path in ["google.env", "oauth.ini"] {
        let got = found.get(path).cloned().unwrap_or_default();
        assert!(
            got.iter().all(|(r, _)| !r.starts_with("akamai")),
            "{path}: {got:?}"
        );
    }
    // The host name is not a secret.
    assert!(
        found.values().flatten().all(|(_, v)| !v.contains("luna")),
        "{found:?}"
    );
}

#[test]
fn salesforce_keys_secrets_and_refresh_tokens_are_found_in_every_shape() {
    let mut f = Fake::new(2002);
    let key = format!(
        "3MVG9{}",
        f.from_alphabet(&format!("{URLSAFE}."), 80)
            .replace('-', ".")
    );
    let refresh = format!(
        "5Aep861{}",
        f.from_alphabet(&format!("{URLSAFE}."), 80)
            .replace('-', "_")
    );
    let secret = f.hex(64).to_ascii_uppercase();
    let digits = f.from_alphabet("0123456789", 19);
    let files = [
        (
            "a.env",
            format!("SALESFORCE_CONSUMER_KEY={key}\nSALESFORCE_CONSUMER_SECRET={secret}\nSF_REFRESH_TOKEN={refresh}\n"),
        ),
        (
            "b.py",
            format!("sf = Salesforce(consumer_key=\"{key}\", refresh_token=\"{refresh}\")\n"),
        ),
        (
            "c.json",
            format!("{{\"clientId\": \"{key}\", \"refresh_token\": \"{refresh}\"}}\n"),
        ),
        ("d.yml", format!("salesforce:\n  sf_client_secret: '{digits}'\n")),
        (
            "e.rb",
            format!("client = Restforce.new(refresh_token: '{refresh}', client_id: '{key}')\n"),
        ),
        // A consumer secret's shape without Salesforce's name is not Salesforce's.
        ("f.env", format!("CONSUMER_SECRET={digits}\n")),
    ];
    let found = scan_files_by_path(&files);
    for p in ["a.env", "b.py", "c.json", "e.rb"] {
        assert!(
            has(&found, p, "salesforce-consumer-key", &key),
            "{p}: {found:?}"
        );
        assert!(
            has(&found, p, "salesforce-refresh-token", &refresh),
            "{p}: {found:?}"
        );
    }
    assert!(
        has(&found, "a.env", "salesforce-consumer-secret", &secret),
        "{found:?}"
    );
    assert!(
        has(&found, "d.yml", "salesforce-consumer-secret", &digits),
        "{found:?}"
    );
    let got = found.get("f.env").cloned().unwrap_or_default();
    assert!(
        got.iter().all(|(r, _)| !r.starts_with("salesforce")),
        "{got:?}"
    );
}

#[test]
fn configcat_sdk_keys_are_found_new_and_legacy() {
    let mut f = Fake::new(2003);
    let sdk = format!(
        "configcat-sdk-1/{}/{}",
        f.from_alphabet(URLSAFE, 22),
        f.from_alphabet(URLSAFE, 22)
    );
    let legacy = format!(
        "{}/{}",
        f.from_alphabet(URLSAFE, 22),
        f.from_alphabet(URLSAFE, 22)
    );
    let files = [
        (
            "a.js",
            format!("const client = configcat.getClient(\"{sdk}\");\n"),
        ),
        (
            "b.cs",
            format!("var client = ConfigCatClient.Get(\"{sdk}\");\n"),
        ),
        ("c.env", format!("FLAGS_KEY={sdk}\n")),
        ("d.yaml", format!("flags:\n  sdkKey: '{sdk}'\n")),
        (
            "e.py",
            format!("client = configcatclient.get('{legacy}')\n"),
        ),
        ("f.env", format!("CONFIGCAT_SDK_KEY={legacy}\n")),
        // Two 22-character parts without ConfigCat's name: a path, not a key.
        ("g.txt", format!("see {legacy} for the build\n")),
    ];
    let found = scan_files_by_path(&files);
    for p in ["a.js", "b.cs", "c.env", "d.yaml"] {
        assert!(has(&found, p, "configcat-sdk-key", &sdk), "{p}: {found:?}");
    }
    for p in ["e.py", "f.env"] {
        assert!(
            has(&found, p, "configcat-legacy-sdk-key", &legacy),
            "{p}: {found:?}"
        );
    }
    let got = found.get("g.txt").cloned().unwrap_or_default();
    assert!(
        got.iter().all(|(r, _)| !r.starts_with("configcat")),
        "{got:?}"
    );
}

#[test]
fn paystack_keys_are_paystacks_and_stripes_stay_stripes() {
    let mut f = Fake::new(2004);
    let live = format!("sk_live_{}", f.hex(40));
    let test = format!("sk_test_{}", f.hex(40));
    let stripe_live = format!("sk_live_51{}", f.alnum(96));
    let stripe_test = format!("sk_test_51{}", f.alnum(96));
    let files = [
        (
            "a.env",
            format!("PAYSTACK_SECRET_KEY={live}\nPAYSTACK_TEST_KEY={test}\n"),
        ),
        (
            "b.js",
            format!("const paystack = require('paystack')('{live}');\nconst sandbox = '{test}';\n"),
        ),
        (
            "c.php",
            format!("$headers = ['Authorization' => 'Bearer {live}'];\n"),
        ),
        (
            "d.env",
            format!("STRIPE_SECRET_KEY={stripe_live}\nSTRIPE_TEST_KEY={stripe_test}\n"),
        ),
    ];
    let found = scan_files_by_path(&files);
    for p in ["a.env", "b.js"] {
        assert!(
            has(&found, p, "paystack-live-secret-key", &live),
            "{p}: {found:?}"
        );
        assert!(
            has(&found, p, "paystack-test-secret-key", &test),
            "{p}: {found:?}"
        );
    }
    assert!(
        has(&found, "c.php", "paystack-live-secret-key", &live),
        "{found:?}"
    );
    for (p, v) in found.iter() {
        if p != "d.env" {
            assert!(
                v.iter().all(|(r, _)| !r.starts_with("stripe")),
                "{p}: {v:?}"
            );
        }
    }
    assert!(
        has(&found, "d.env", "stripe-live-secret-key", &stripe_live),
        "{found:?}"
    );
    assert!(
        has(&found, "d.env", "stripe-test-secret-key", &stripe_test),
        "{found:?}"
    );
}

#[test]
fn basic_auth_passwords_are_found_in_every_clients_call() {
    let mut f = Fake::new(2005);
    let p: Vec<String> = (0..14).map(|_| f.alnum(14)).collect();
    let files = [
        ("a.go", format!("\treq.SetBasicAuth(\"reporter\", \"{}\")\n", p[0])),
        (
            "B.java",
            format!(
                "given().auth().preemptive().basic(\"svc-export\", \"{}\").when().get(\"/x\");\nheaders.setBasicAuth(\"reporter\", \"{}\");\nstubFor(get(\"/api\").withBasicAuth(\"deploy\", \"{}\"));\nnew RestTemplateBuilder().basicAuthentication(\"ci\", \"{}\").build();\n",
                p[1], p[2], p[3], p[4]
            ),
        ),
        (
            "c.rs",
            format!(
                "    let r = client.get(url).basic_auth(\"reporter\", Some(\"{}\")).send().await?;\n",
                p[5]
            ),
        ),
        ("d.rb", format!("req.basic_auth 'reporter', '{}'\n", p[6])),
        (
            "e.py",
            format!("r = requests.get(url, auth=HTTPBasicAuth(\"deploy-bot\", \"{}\"))\n", p[7]),
        ),
        (
            "f.cs",
            format!("client.Authenticator = new HttpBasicAuthenticator(\"reporter\", \"{}\");\nvar cred = new NetworkCredential(\"svc-backup\", \"{}\");\n", p[8], p[9]),
        ),
        ("g.js", format!("request.get(url).auth('reporter', '{}').end(cb);\n", p[10])),
        (
            "h.php",
            format!("$client->request('GET', $url, ['auth' => ['reporter', '{}']]);\n", p[11]),
        ),
    ];
    let found = scan_files_by_path(&files);
    let want = [
        ("a.go", 0),
        ("B.java", 1),
        ("B.java", 2),
        ("B.java", 3),
        ("B.java", 4),
        ("c.rs", 5),
        ("d.rb", 6),
        ("e.py", 7),
        ("f.cs", 8),
        ("f.cs", 9),
        ("g.js", 10),
        ("h.php", 11),
    ];
    for (path, i) in want {
        let got = found.get(path).cloned().unwrap_or_default();
        assert!(
            got.iter().any(|(_, s)| *s == p[i]),
            "{path} password {i}: {got:?}"
        );
    }
    // Most of them only this rule finds: count its own findings.
    let own = found
        .values()
        .flatten()
        .filter(|(r, _)| r == "basic-auth-call-credentials")
        .count();
    assert!(own >= 8, "{found:?}");
}

#[test]
fn basic_auth_pairs_encoded_in_code_and_two_argument_headers_are_found() {
    let mut f = Fake::new(2006);
    let p: Vec<String> = (0..6).map(|_| f.alnum(14)).collect();
    let header = STANDARD.encode(format!("reporter:{}", p[5]));
    let files = [
        (
            "a.js",
            format!("fetch(url, {{ headers: {{ Authorization: 'Basic ' + btoa('reporter:{}') }} }});\n", p[0]),
        ),
        (
            "b.py",
            format!("headers = {{\"Authorization\": \"Basic \" + base64.b64encode(b\"ci:{}\").decode()}}\n", p[1]),
        ),
        (
            "C.java",
            format!("String auth = Base64.getEncoder().encodeToString(\"reporter:{}\".getBytes());\n", p[2]),
        ),
        (
            "d.go",
            format!("\tauth := base64.StdEncoding.EncodeToString([]byte(\"deploy:{}\"))\n", p[3]),
        ),
        ("e.php", format!("$auth = base64_encode('svc-export:{}');\n", p[4])),
        (
            "F.cs",
            format!("client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"Basic\", \"{header}\");\n"),
        ),
    ];
    let found = scan_files_by_path(&files);
    for (i, path) in ["a.js", "b.py", "C.java", "d.go", "e.php"]
        .iter()
        .enumerate()
    {
        assert!(
            has(&found, path, "basic-auth-encoded-pair", &p[i]),
            "{path}: {found:?}"
        );
    }
    assert!(
        has(&found, "F.cs", "basic-auth-header-value-argument", &header),
        "{found:?}"
    );
}

#[test]
fn basic_auth_near_misses_are_silent() {
    let placeholder = STANDARD.encode("tester:password");
    let files = [
        ("a.go", "\treq.SetBasicAuth(user, pass)\n\treq.SetBasicAuth(cfg.User, os.Getenv(\"API_PASSWORD\"))\n".to_string()),
        ("b.go", "\treq.SetBasicAuth(\"user\", \"password\")\n".to_string()),
        ("C.java", "stubFor(get(\"/api\").withBasicAuth(\"admin\", \"changeme\"));\n".to_string()),
        ("d.js", "fetch(url, { headers: { Authorization: 'Basic ' + btoa(user + ':' + pass) } });\nconst b = btoa('hello world');\n".to_string()),
        ("e.py", "headers = {\"Authorization\": \"Basic \" + base64.b64encode(b\"user:password\").decode()}\n".to_string()),
        ("F.cs", format!("h.Authorization = new AuthenticationHeaderValue(\"Basic\", encoded);\nh.Authorization = new AuthenticationHeaderValue(\"Basic\", \"{placeholder}\");\n")),
    ];
    let found = scan_files_by_path(&files);
    assert!(found.values().all(|v| v.is_empty()), "{found:?}");
}
