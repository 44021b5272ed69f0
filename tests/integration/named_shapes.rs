//! Named keys, tokens and secrets in the shapes real code writes them in that CredData's labeled
//! lines showed no rule reading (bench/coverage_cd.py, issue 17): JSON escaped inside a string or an
//! HTML attribute (src/unescape.rs), Open-Falcon's Apitoken header, OAuth 1.0 token pairs in form
//! bodies, credentials as URL query parameters, UUID-shaped tokens and API keys, key material as
//! byte-array literals and as decoded hex. Each shape in the languages it occurs in, beside the
//! look-alikes that are not credentials (templates, identifiers, digests, counting bytes). Values
//! are fresh fakes of the shape.

use crate::common::*;

/// A random version-4 UUID whose spread passes the generic rules' entropy floor (a real one does
/// nine times in ten).
fn uuid(f: &mut Fake) -> String {
    loop {
        let h = f.hex(32);
        let u = format!(
            "{}-{}-4{}-a{}-{}",
            &h[..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..]
        );
        let mut counts = std::collections::HashMap::new();
        u.chars()
            .for_each(|c| *counts.entry(c).or_insert(0usize) += 1);
        let n = u.len() as f64;
        let entropy: f64 = counts
            .values()
            .map(|&c| -(c as f64 / n) * (c as f64 / n).log2())
            .sum();
        if entropy > 3.65 {
            return u;
        }
    }
}

/// `n` random bytes as a literal's elements, in the given notation.
fn bytes(f: &mut Fake, n: usize, notation: fn(u8) -> String) -> String {
    let h = f.hex(2 * n);
    (0..n)
        .map(|i| notation(u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn escaped_json_inside_strings_and_attributes_is_read_unescaped() {
    let mut f = Fake::new(1801);
    let d = tempfile::tempdir().unwrap();
    let (k1, k2, k3, k4) = (f.alnum(32), f.alnum(30), f.hex(32), f.alnum(40));
    let files = vec![
        (
            // Doubly escaped: JSON in a string in a string (a request body logged as a literal).
            "src/Client.cs",
            format!(
                "var body = \"{{\\\\\\\"api_key\\\\\\\": \\\\\\\"{k1}\\\\\\\"}}\";\n\
                 var tmpl = \"{{\\\\\\\"api_key\\\\\\\": \\\\\\\"${{API_KEY}}\\\\\\\"}}\";\n"
            ),
            vec![1],
        ),
        (
            "web/index.html",
            format!(
                "<div data-config=\"{{&quot;client_secret&quot;: &quot;{k2}&quot;}}\"></div>\n\
                 <div data-config=\"{{&quot;client_secret&quot;: &quot;&lt;your secret&gt;&quot;}}\"></div>\n\
                 <p title=\"&quot;quoted&quot; prose with a token of wisdom\"></p>\n"
            ),
            vec![1],
        ),
        (
            "src/main/java/Cfg.java",
            format!("String cfg = \"{{\\\"twilio_auth_token\\\": \\\"{k3}\\\"}}\";\n"),
            vec![1],
        ),
        (
            "collections/echo.json",
            format!(
                "{{\"key\": \"Authorization\", \"value\": \"OAuth oauth_consumer_key=\\\"{}\\\",oauth_token=\\\"{k4}\\\",oauth_signature_method=\\\"HMAC-SHA1\\\"\"}}\n",
                f.alnum(16)
            ),
            vec![1],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}

/// The view reads a line again: what it reports stands where the value stands in the file as
/// written (its line, its columns, its bytes), not where it stands in the unescaped copy.
#[test]
fn unescaped_findings_point_at_the_original_text() {
    let mut f = Fake::new(1802);
    let d = tempfile::tempdir().unwrap();
    let v = f.alnum(30);
    let line = format!(
        "  <i data-x=\"{{&quot;n&quot;:1,&quot;client_secret&quot;:&quot;{v}&quot;}}\"></i>"
    );
    write(
        d.path(),
        "site/page.html",
        format!("<html>\n<body>\n{line}\n</body>\n"),
    );
    let r = run_in(
        d.path(),
        &["scan", ".", "--no-ignore", "-f", "json", "--show-secrets"],
    );
    let findings = r.json()["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let hit = &findings[0];
    let col = line.find(&v).unwrap() as u64 + 1;
    assert_eq!(hit["line"].as_u64(), Some(3));
    assert_eq!(hit["column"].as_u64(), Some(col));
    assert_eq!(hit["end_column"].as_u64(), Some(col + v.len() as u64));
    assert_eq!(hit["secret"].as_str(), Some(v.as_str()));
}

#[test]
fn open_falcon_api_tokens_are_found_in_headers_code_and_escaped_docs() {
    let mut f = Fake::new(1803);
    let d = tempfile::tempdir().unwrap();
    let s: Vec<String> = (0..5).map(|_| f.hex(32)).collect();
    let files = vec![
        (
            "docs/api.md",
            format!(
                "curl -H 'Apitoken: {{\"name\":\"root\",\"sig\":\"{}\"}}' http://falcon:8080/api/v1/user\n\
                 curl -H 'Apitoken: {{\"name\":\"root\",\"sig\":\"$SIG\"}}' http://falcon:8080/api/v1/user\n",
                s[0]
            ),
            vec![1],
        ),
        (
            "client/api.go",
            format!(
                "req.Header.Set(\"Apitoken\", `{{\"name\": \"ops\", \"sig\": \"{}\"}}`)\n\
                 req.Header.Set(\"Apitoken\", fmt.Sprintf(`{{\"name\": \"%v\", \"sig\": \"%v\"}}`, name, sig))\n",
                s[1]
            ),
            vec![1],
        ),
        (
            "docs/doc/user.html.json",
            format!("  \"Apitoken\": \"{{\\\"sig\\\": \\\"{}\\\", \\\"name\\\": \\\"root\\\"}}\",\n", s[2]),
            vec![1],
        ),
        (
            "docs/doc/user.html",
            format!(
                "var h = {{\"Apitoken\":\"{{&quot;name&quot;:&quot;root&quot;,&quot;sig&quot;:&quot;{}&quot;}}\"}};\n",
                s[3]
            ),
            vec![1],
        ),
        (
            "scripts/falcon.py",
            format!(
                "headers = {{\"Apitoken\": '{{\"name\": \"root\", \"sig\": \"{}\"}}'}}\nsession = {{\"sig\": \"{}\"}}\n",
                s[4],
                f.hex(32)
            ),
            vec![1],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}

#[test]
fn oauth1_tokens_in_form_bodies_and_credentials_in_query_strings_are_found() {
    let mut f = Fake::new(1804);
    let d = tempfile::tempdir().unwrap();
    let files = vec![
        (
            "spec/fixtures/access_token",
            format!(
                "oauth_token={}&oauth_token_secret={}&user_id=42\noauth_token=%s&oauth_token_secret=%s\n",
                f.alnum(42),
                f.alnum(40)
            ),
            vec![1],
        ),
        (
            "src/test/java/TokenTest.java",
            format!(
                "final String body = \"oauth_token={}&oauth_token_secret={}\";\n",
                f.alnum(20),
                f.alnum(20)
            ),
            vec![1],
        ),
        (
            "server/test/proxy.js",
            format!(
                "request('https://api.example.com/api/1/databases?apiKey={}');\n\
                 fetch(`https://api.example.com/items?apiKey=${{process.env.API_KEY}}`);\n",
                f.hex(24)
            ),
            vec![1],
        ),
        (
            "tools/sync.py",
            format!(
                "r = requests.get(\"https://gitlab.example.com/api/v4/projects?private_token={}&per_page=100\")\n\
                 url = \"https://api.example.com/list?page_token={}&limit=50\"\n",
                f.alnum(20),
                f.alnum(24)
            ),
            vec![1],
        ),
        (
            "logs/access.log",
            format!(
                "10.0.0.7 - - \"GET /v1/items?limit=10&access_token={} HTTP/1.1\" 200 512\n\
                 10.0.0.7 - - \"GET /v1/items?next_token={} HTTP/1.1\" 200 512\n",
                f.alnum(40),
                f.alnum(40)
            ),
            vec![1],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}

#[test]
fn uuid_shaped_tokens_and_api_keys_are_found_under_their_names_and_ids_are_not() {
    let mut f = Fake::new(1805);
    let d = tempfile::tempdir().unwrap();
    let u: Vec<String> = (0..9).map(|_| uuid(&mut f)).collect();
    let files = vec![
        (
            "test/mock_server.json",
            format!(
                "{{\"access_token\":\"{}\", \"token_type\":\"bearer\"}}\n{{\"device_token\": \"{}\"}}\n{{\"request_id\": \"{}\"}}\n",
                u[0], u[1], u[2]
            ),
            vec![1],
        ),
        (
            "app/settings.py",
            format!("SERVICE_API_KEY = \"{}\"\nCSRF_TOKEN = \"{}\"\n", u[3], u[4]),
            vec![1],
        ),
        (
            "deploy/values.yaml",
            format!("oauth:\n  client_id: {}\n  client_secret: {}\n", u[5], u[6]),
            vec![3],
        ),
        (
            "Jenkinsfile",
            format!(
                "withCredentials([usernamePassword(credentials: '{}')]) {{\n}}\n",
                u[7]
            ),
            vec![],
        ),
        (
            "src/client.go",
            format!(
                "resty.SetAuthToken(\"{}\")\nclient.SetAuthToken(\"GITHUB_TOKEN\")\n",
                f.hex(64).to_uppercase()
            ),
            vec![1],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
    let _ = &u[8];
}

#[test]
fn key_material_as_byte_arrays_and_decoded_hex_is_found_and_look_alikes_are_not() {
    let mut f = Fake::new(1806);
    let d = tempfile::tempdir().unwrap();
    let dec = |b: u8| b.to_string();
    let hex = |b: u8| format!("0x{b:02x}");
    let signed = |b: u8| (b as i8).to_string();
    let files = vec![
        (
            "proxy/mtproto_test.go",
            format!(
                "\tSecret: []byte{{{}}},\n\theader := []byte{{{}}}\n\tkey := []byte{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}\n\
                 \tsecretData, _ := hex.DecodeString(\"{}\")\n\tdigest, _ := hex.DecodeString(\"{}\")\n",
                bytes(&mut f, 16, dec),
                bytes(&mut f, 16, dec),
                f.hex(64),
                f.hex(64)
            ),
            vec![1, 4],
        ),
        (
            "src/Crypto/Keys.cs",
            format!(
                "private static readonly byte[] HmacKey = new byte[] {{ {} }};\nprivate static readonly byte[] Zero = new byte[] {{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }};\n",
                bytes(&mut f, 24, hex)
            ),
            vec![1],
        ),
        (
            "src/main/java/Keys.java",
            format!(
                "static final byte[] SECRET_KEY = {{{}}};\n",
                bytes(&mut f, 16, signed)
            ),
            vec![1],
        ),
        (
            "crypto/keys.py",
            format!(
                "signing_key = bytes([{}])\nkey = unhexlify('{}')\n",
                bytes(&mut f, 32, dec),
                f.hex(64)
            ),
            vec![1, 2],
        ),
        (
            "src/Hashing.kt",
            format!("val hmacKey = \"{}\".decodeHex()\n", f.hex(40)),
            vec![1],
        ),
    ];
    assert_reports_exactly(d.path(), &files);
}
