//! Short keys under a credential's name (issue 17, stop 23): generic-secret-assignment keeps a
//! value of 10 to 24 characters under its entropy floor when its letters and digits interleave as
//! a random key's do (`shortValidator = "interleaved"`), in every language and format the rule
//! reads. Generated values of that shape, each under 3.5 bits a character (so the entropy floor
//! alone drops it); the near misses beside them (words with a number, versions, identifiers,
//! sequences, repeated characters, a hex literal, a coverage badge's token, a short password)
//! stay silent.

use crate::common::*;

/// A file of a case: its path, its content and the secret expected there ("" for none).
type Case = (String, String, String);

/// Shannon entropy in bits a character.
fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = s.chars().count() as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// A short key as services and test suites write them: lower-case letters and digits, 12 or 15
/// characters, its letters and digits interleaved, three characters drawn twice, so that its
/// entropy (about 3.1 bits) is under the 3.5 generic-secret-assignment asks of a value.
fn short_key(f: &mut Fake, long: bool) -> String {
    fn distinct(pool: String, n: usize) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in pool.chars() {
            if !out.contains(&c) && out.len() < n {
                out.push(c);
            }
        }
        assert_eq!(
            out.len(),
            n,
            "a draw too short to pick {n} distinct characters"
        );
        out
    }
    let l = distinct(f.from_alphabet("abcdefghijkmnpqrstuvwxyz", 64), 7);
    let d = distinct(f.from_alphabet("23456789", 32), 4);
    // l d l l d l l d l l d l [d l l]: l0, l1 and d0 twice.
    let mut key: String = [
        l[0], d[0], l[1], l[2], d[1], l[3], l[0], d[2], l[4], l[5], d[0], l[1],
    ]
    .iter()
    .collect();
    if long {
        key.extend([d[3], l[6], l[2]]);
    }
    assert!(entropy(&key) < 3.5, "{key}");
    key
}

#[test]
fn a_short_key_under_a_credential_name_is_reported_in_every_syntax() {
    let mut f = Fake::new(0x5407_0001);
    // (path, template): {v} is the key.
    let shapes = [
        ("test/client.test.js", "const opts = {\n  auth: {\n    token: '{v}',\n  },\n};\n"),
        ("tests/test_api.py", "CREDS = {\n    'api_key': '{v}',\n}\n"),
        ("spec/client_spec.rb", "  let(:client) { Client.new(access_token: \"{v}\") }\n"),
        ("login/login_test.go", "\ttok := &oauth2.Token{\n\t\tRefreshToken: \"{v}\",\n\t}\n"),
        ("src/main/java/App.java", "    private static final String API_TOKEN = \"{v}\";\n"),
        ("Tests/ClientTests.cs", "        const string expectedClientSecret = \"{v}\";\n"),
        ("config/settings.yml", "service:\n  api_key: {v}\n"),
        ("config/service.ini", "[service]\napi_token = {v}\n"),
        ("fixtures/token.json", "{\n  \"refresh_token\": \"{v}\",\n  \"expires_in\": 3600\n}\n"),
        ("spec/url_spec.rb", "    expect(url).to eq(\"https://git.example.com/api/v4/files/raw?ref=main&private_token={v}\")\n"),
        ("infra/main.tf", "  api_token = \"{v}\"\n"),
        ("src/main.rs", "    let client_secret = String::from(\"{v}\");\n"),
        ("config/app.php", "return [\n    'api_key' => '{v}',\n];\n"),
        ("app/Config.kt", "    val authToken = \"{v}\"\n"),
        ("docs/setup.md", "```sh\nexport GITLAB_TOKEN={v}\n```\n"),
        ("pom.xml", "<properties>\n  <api.token>{v}</api.token>\n</properties>\n"),
    ];
    let mut files: Vec<Case> = Vec::new();
    for (i, (path, template)) in shapes.iter().enumerate() {
        let v = short_key(&mut f, i % 2 == 1);
        files.push((path.to_string(), template.replace("{v}", &v), v));
    }
    // Near misses under the same names: a word with a number, a version, an identifier, a name
    // with a counter, counting sequences, a repeated character, letters alone, digits alone, a
    // hex literal, a coverage badge's graph token; a short key under a name that holds no
    // credential.
    let k = short_key(&mut f, false);
    let negatives = [
        ("neg/a.py", "TOKEN = \"session2024x\"\n".to_string()),
        ("neg/b.yml", "  api_token: v12.10.4-rc3\n".to_string()),
        ("neg/c.js", "  apiKey: 'user123abc',\n".to_string()),
        ("neg/d.yml", "  cluster_token: etcd-cluster-01\n".to_string()),
        ("neg/e.json", "{\"api_key\": \"a1b2c3d4e5\"}\n".to_string()),
        ("neg/f.rb", "  token: 'q9w8e7r6t5',\n".to_string()),
        ("neg/g.go", "\tToken: \"aaaa1b2c3d4e\",\n".to_string()),
        ("neg/h.rb", "  token: 'qwkzmxqwkzmxbd',\n".to_string()),
        ("neg/i.yml", "  api_token: \"2095132720951327\"\n".to_string()),
        ("neg/j.go", "\tSIOCGLIFTOKEN = -0x3f879678\n".to_string()),
        ("neg/README.md", "[![codecov](https://codecov.io/gh/acme/widget/branch/main/graph/badge.svg?token=k7q2xz9mw4)](https://codecov.io/gh/acme/widget)\n".to_string()),
        ("neg/l.py", format!("    build_id = \"{k}\"\n")),
    ];
    for (path, content) in negatives {
        files.push((path.to_string(), content, String::new()));
    }
    crate::cdnamed::check("generic-secret-assignment", &files);
}

#[test]
fn a_random_key_of_any_length_is_still_the_entropy_floors() {
    // A key over the floor is reported as before, at every length; a long value under the floor
    // is not, whatever its shape.
    let mut f = Fake::new(0x5407_0002);
    let mut files: Vec<Case> = Vec::new();
    for (i, n) in [16usize, 24, 32, 40].into_iter().enumerate() {
        // Two digits after the draw: a random key of this length holds a digit.
        // Drawn again until it is over the floor (a short draw may repeat characters).
        let v = loop {
            let v = format!(
                "{}{}",
                f.alnum(n - 2),
                &f.from_alphabet("0123456789", 8)[..2]
            );
            if entropy(&v) >= 3.5 {
                break v;
            }
        };
        files.push((format!("src/k{i}.py"), format!("API_TOKEN = \"{v}\"\n"), v));
    }
    files.push((
        "src/long.py".to_string(),
        "API_TOKEN = \"k4bd7q2mk4bd7q2mk4bd7q2mk4bd\"\n".to_string(),
        String::new(),
    ));
    crate::cdnamed::check("generic-secret-assignment", &files);
}
