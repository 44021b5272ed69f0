//! HTTP authorization values in the shapes code, fixtures and recordings write them
//! (rules/cdauth.toml; issue 17, cdauth): Basic credentials of any strength (a stand-in or default
//! pair at low severity, a chosen one still at the strong rules' high), under every header and
//! language that carries them and under a Docker or npm `auth` key; Elasticsearch's `ApiKey` scheme.
//!
//! Pairs are made up here (seeded `Fake`, stand-in words) and encoded at run time; near misses
//! (templates, masked pairs, prose after `Basic`, a base64 word without a colon) stay silent.

use crate::common::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

const WEAK: &str = "authorization-basic-weak-credentials";

/// Every finding of the scan as (path, rule, secret, severity).
fn findings(files: &[(&str, String)]) -> Vec<(String, String, String, String)> {
    let v = scan_files_json(files);
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("path"), s("rule_id"), s("secret"), s("severity"))
        })
        .collect()
}

fn of<'a>(
    found: &'a [(String, String, String, String)],
    path: &str,
) -> Vec<&'a (String, String, String, String)> {
    found.iter().filter(|f| f.0 == path).collect()
}

/// A stand-in or default pair, as tests and documentation write them: a user word and a password
/// that is the user again, a stand-in word, or a stand-in word and a number (the strong rules'
/// basic-credentials drops each of these).
fn weak_pair(f: &mut Fake, i: usize) -> String {
    const USERS: [&str; 6] = ["admin", "ops", "tester", "guest", "svc-report", "qa"];
    const WORDS: [&str; 6] = ["secret", "pass", "test", "password", "foobar", "key"];
    let user = USERS[i % USERS.len()];
    match i % 3 {
        0 => format!("{user}:{user}"),
        1 => format!("{user}:{}", WORDS[i % WORDS.len()]),
        _ => format!(
            "{user}:{}{}",
            WORDS[(i + 1) % WORDS.len()],
            f.from_alphabet("0123456789", 3)
        ),
    }
}

#[test]
fn weak_basic_pairs_are_reported_at_low_severity_in_every_header_shape() {
    let mut f = Fake::new(2101);
    let mut b: Vec<String> = (0..14)
        .map(|i| STANDARD.encode(weak_pair(&mut f, i)))
        .collect();
    b.push(STANDARD.encode("qa:ok"));
    let files: Vec<(&str, String)> = vec![
        (
            "client.test.js",
            format!("t.same(connection.headers, {{ authorization: 'Basic {}' }})\n", b[0]),
        ),
        (
            "api_spec.rb",
            format!(
                "  :headers => {{'Accept'=>'*/*', 'Authorization'=>'Basic {}', 'User-Agent'=>'Faraday'}}\n",
                b[1]
            ),
        ),
        (
            "verify_test.go",
            format!(
                "\tmock.Ctx.Request.Header.Set(\"Proxy-Authorization\", \"Basic {}\")\n",
                b[2]
            ),
        ),
        (
            "test_rpc.py",
            format!(
                "        self.assertEqual(req.get_header('Authorization'), 'Basic {}')\n",
                b[3]
            ),
        ),
        (
            "AuthTest.java",
            format!(
                "  withHeader(\"Authorization\", \"BASIC {}\")).statusCode(), is(200));\n",
                b[4]
            ),
        ),
        (
            "ClientTests.cs",
            format!(
                "request.Headers.Add(\"Authorization\", \"Basic {}\");\n",
                b[5]
            ),
        ),
        (
            "StreamTest.php",
            format!(
                "'header' => \"User-agent: foo\\r\\nAuthorization: Basic {}\",\n",
                b[6]
            ),
        ),
        (
            "smoke.sh",
            format!(
                "curl -sf -H \"Authorization: Basic {}\" http://localhost:3000/api/health\n",
                b[7]
            ),
        ),
        (
            "users.http",
            format!(
                "GET http://localhost:3000/api/users\nAuthorization: Basic {}\n",
                b[8]
            ),
        ),
        (
            "cassettes/login.yml",
            format!(
                "    headers:\n      Authorization:\n      - Basic {}\n",
                b[9]
            ),
        ),
        (
            "collection.json",
            format!(
                "{{\"key\": \"Authorization\",\n \"value\": \"Basic {}\",\n \"type\": \"text\"}}\n",
                b[10]
            ),
        ),
        (
            "resources/config-basic-auth.json",
            format!(
                "{{\n  \"auths\": {{\n    \"registry.internal:5000\": {{\n      \"auth\": \"{}\"\n    }}\n  }}\n}}\n",
                b[11]
            ),
        ),
        ("fixtures/npmrc", format!("_auth={}\nemail=ci@localhost\n", b[12])),
        (
            "map-to-registry.test.js",
            format!("    _auth: \"{}\",\n", b[13]),
        ),
        // the shortest pairs: a word of two letters each side (8 base64 characters)
        (
            "oauth_spec.rb",
            format!("  headers: {{authorization: 'Basic {}'}}\n", b[14]),
        ),
    ];
    let found = findings(&files);
    for (i, (path, _)) in files.iter().enumerate() {
        let got = of(&found, path);
        assert!(
            got.iter()
                .any(|(_, r, s, sev)| r == WEAK && s == &b[i] && sev == "low"),
            "{path}: {got:?}"
        );
    }
}

#[test]
fn a_chosen_basic_password_stays_with_the_strong_rules_and_is_reported_once() {
    let mut f = Fake::new(2102);
    let strong = STANDARD.encode(format!("deploy-bot:{}", f.alnum(20)));
    let weak = STANDARD.encode("deploy-bot:password1");
    let files = vec![
        (
            "deploy.sh",
            format!("curl -H \"Authorization: Basic {strong}\" https://ci.internal/api/json\n"),
        ),
        (
            "collection.json",
            format!("{{\"key\": \"Authorization\", \"value\": \"Basic {strong}\"}}\n"),
        ),
        (
            "stand_in.sh",
            format!("curl -H \"Authorization: Basic {weak}\" http://localhost:8080/\n"),
        ),
    ];
    let found = findings(&files);
    // The stand-in beside it is the weak tier's.
    let got = of(&found, "stand_in.sh");
    assert!(
        got.len() == 1 && got[0].1 == WEAK && got[0].2 == weak && got[0].3 == "low",
        "{got:?}"
    );
    for (path, _) in &files[..2] {
        let got = of(&found, path);
        assert_eq!(got.len(), 1, "{path}: {got:?}");
        assert!(
            got[0].1 != WEAK && got[0].2 == strong && got[0].3 == "high",
            "{path}: {got:?}"
        );
    }
}

#[test]
fn templates_masks_prose_and_words_after_basic_are_not_pairs() {
    let enc = |s: &str| STANDARD.encode(s);
    let files = vec![
        (
            "a.js",
            format!(
                "headers: {{ authorization: 'Basic {}' }}\n",
                enc("${USER}:${PASS}")
            ),
        ),
        (
            "b.py",
            format!(
                "headers = {{\"Authorization\": \"Basic {}\"}}\n",
                enc("user:********")
            ),
        ),
        (
            "c.go",
            format!(
                "req.Header.Set(\"Authorization\", \"Basic {}\")\n",
                enc("<user>:<password>")
            ),
        ),
        // base64 of a sentence, no colon in it
        (
            "d.rb",
            format!(
                "headers = {{authorization: 'Basic {}'}}\n",
                enc("not a credential pair")
            ),
        ),
        // binary that happens to hold a colon
        (
            "e.js",
            "headers: { authorization: 'Basic 3q06vu/+:w==' }\n".to_string(),
        ),
        (
            "f.md",
            "The API uses Basic authentication over TLS for every call.\n".to_string(),
        ),
        (
            "g.sh",
            "curl -H \"Authorization: Basic $CREDS\" http://localhost/\n".to_string(),
        ),
        (
            "h.yml",
            "security:\n  auth: \"required\"\n  basic: enabled\n".to_string(),
        ),
        (
            "i.js",
            "const auth = require('./auth');\nauth: authenticate,\n".to_string(),
        ),
        // the same header with a pair in it
        (
            "j.js",
            format!(
                "headers: {{ authorization: 'Basic {}' }}\n",
                enc("reporter:secret")
            ),
        ),
    ];
    let found = findings(&files);
    assert!(
        found.len() == 1 && found[0].0 == "j.js" && found[0].1 == WEAK,
        "{found:?}"
    );
}

#[test]
fn elasticsearch_api_keys_are_read_after_the_apikey_scheme() {
    let mut f = Fake::new(2103);
    const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let real: Vec<String> = (0..3)
        .map(|_| {
            STANDARD.encode(format!(
                "{}:{}",
                f.from_alphabet(URLSAFE, 20),
                f.from_alphabet(URLSAFE, 22)
            ))
        })
        .collect();
    let stand_in = STANDARD.encode("elastic:secret");
    let files = vec![
        (
            "connection.test.js",
            format!("      authorization: 'ApiKey {}'\n", real[0]),
        ),
        (
            "query.sh",
            format!(
                "curl -H \"Authorization: ApiKey {}\" https://es.internal:9200/_cat/indices\n",
                real[1]
            ),
        ),
        (
            "es_client.go",
            format!(
                "\treq.Header.Set(\"Authorization\", \"ApiKey {}\")\n",
                real[2]
            ),
        ),
        (
            "client.test.js",
            format!("  t.same(headers, {{ authorization: 'ApiKey {stand_in}' }})\n"),
        ),
        (
            "env.js",
            "const client = new Client({ auth: { apiKey: process.env.ES_API_KEY } })\n".to_string(),
        ),
        (
            "template.sh",
            "curl -H \"Authorization: ApiKey ${ES_API_KEY}\" $ES\n".to_string(),
        ),
    ];
    let found = findings(&files);
    for (i, path) in ["connection.test.js", "query.sh", "es_client.go"]
        .iter()
        .enumerate()
    {
        let got = of(&found, path);
        assert!(
            got.iter()
                .any(|(_, r, s, sev)| r == "elasticsearch-api-key-header"
                    && s == &real[i]
                    && sev == "high"),
            "{path}: {got:?}"
        );
    }
    let got = of(&found, "client.test.js");
    assert!(
        got.len() == 1 && got[0].1 == WEAK && got[0].2 == stand_in && got[0].3 == "low",
        "{got:?}"
    );
    for path in ["env.js", "template.sh"] {
        assert!(of(&found, path).is_empty(), "{path}: {found:?}");
    }
}

#[test]
fn token_arrays_of_recorded_responses_are_read_under_the_bare_tokens_key() {
    let mut f = Fake::new(2104);
    let t: Vec<String> = (0..4).map(|_| f.hex(16)).collect();
    let b = f.alnum(24);
    let files = vec![
        (
            "spec/cassettes/vehicle.yml",
            format!(
                "      string: '{{\"response\":[{{\"id\":4411,\"vehicle_id\":90213,\"tokens\":[\"{}\",\"{}\"],\"state\":\"online\"}}]}}'\n",
                t[0], t[1]
            ),
        ),
        (
            "fixtures/vehicles.json",
            format!("{{\n  \"tokens\": [\n    \"{}\", \"{}\"],\n  \"x\": 1\n}}\n", t[2], t[3]),
        ),
        ("fixtures/keys.json", format!("{{\"tokens\": [\"{b}\"]}}\n")),
        // Names, not values; an empty list; a language model's token list of words.
        (
            "services.py",
            "    \"tokens\": [\"stripe._token_service\", \"TokenService\"],\n".to_string(),
        ),
        ("empty.json", "{\"tokens\": []}\n".to_string()),
        (
            "completion.json",
            "{\"usage\": {\"prompt_tokens\": 12}, \"tokens\": [\"Hello\", \" world\"]}\n".to_string(),
        ),
    ];
    let found = findings(&files);
    let want = [
        ("spec/cassettes/vehicle.yml", &t[0]),
        ("fixtures/keys.json", &b),
    ];
    for (path, secret) in want {
        let got = of(&found, path);
        assert!(
            got.iter()
                .any(|(_, r, s, _)| r == "token-array-json" && s == secret),
            "{path}: {got:?}"
        );
    }
    for path in ["services.py", "empty.json", "completion.json"] {
        assert!(of(&found, path).is_empty(), "{path}: {found:?}");
    }
}
