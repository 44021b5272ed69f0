//! Vendor tokens found by their format without the vendor's name (rules/catalog_d.toml, and Resend's and
//! ElevenLabs' rules widened in place), and curl's header credentials read by the one curl rule.
//!
//! Each value is generated (a seeded `Fake`) in the vendor's issued shape and written where the vendor is
//! not named (a neutral variable, an SDK call, a header); with the vendor named, the same value is one
//! finding by the format rule (the vendor-context rule yields). Near misses of each shape stay silent.

use crate::common::*;

const HEX: &str = "0123456789abcdef";
const B58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// (rule id, a value in the vendor's issued shape).
fn values(f: &mut Fake) -> Vec<(&'static str, String)> {
    vec![
        (
            "zoho-oauth-token-prefixed",
            format!(
                "1000.{}.{}",
                f.from_alphabet(HEX, 32),
                f.from_alphabet(HEX, 32)
            ),
        ),
        (
            "yandex-iam-token",
            format!(
                "t1.9euelZ{}.{}",
                f.from_alphabet(URLSAFE, 140),
                f.from_alphabet(URLSAFE, 86)
            ),
        ),
        (
            "yandex-oauth-token",
            format!("y0_Ag{}", f.from_alphabet(URLSAFE, 53)),
        ),
        (
            "resend-api-key",
            format!(
                "re_{}_{}",
                f.from_alphabet(B58, 8),
                f.from_alphabet(B58, 24)
            ),
        ),
        (
            "elevenlabs-api-key",
            format!("sk_{}", f.from_alphabet(HEX, 48)),
        ),
        (
            "airtable-oauth-token",
            format!(
                "oaa{}.v1.eyJ{}.{}",
                f.alnum(14),
                f.from_alphabet(URLSAFE, 240),
                f.from_alphabet(HEX, 64)
            ),
        ),
        (
            "minimax-api-key",
            format!("sk-api-{}", f.from_alphabet(URLSAFE, 119)),
        ),
    ]
}

#[test]
fn vendor_tokens_are_found_by_their_format_without_the_vendors_name() {
    let mut f = Fake::new(1804);
    for (rule, v) in values(&mut f) {
        let shapes = [
            ("a.env", format!("API_TOKEN={v}\n")),
            ("b.py", format!("client = Client(\"{v}\")\n")),
            (
                "c.sh",
                format!("curl -H \"Authorization: Bearer {v}\" https://api.acme.io/v1\n"),
            ),
            ("d.yaml", format!("auth:\n  credential: '{v}'\n")),
            // Alone on a line (not the file's first byte: resend-api-key's keywords carry the byte
            // before the prefix, a line's start among them).
            ("e.txt", format!("the key:\n{v}\n")),
        ];
        let found = scan_files_by_path(&shapes);
        for (name, _) in &shapes {
            let got = found.get(*name).cloned().unwrap_or_default();
            assert_eq!(got, vec![(rule.to_string(), v.clone())], "{rule} in {name}");
        }
    }
}

#[test]
fn a_named_vendor_token_is_one_finding_by_the_format_rule() {
    let mut f = Fake::new(1805);
    let zoho = format!(
        "1000.{}.{}",
        f.from_alphabet(HEX, 32),
        f.from_alphabet(HEX, 32)
    );
    let iam = format!(
        "t1.9euelZ{}.{}",
        f.from_alphabet(URLSAFE, 120),
        f.from_alphabet(URLSAFE, 86)
    );
    let aqvn = format!("AQVN{}", f.from_alphabet(URLSAFE, 36));
    let resend = format!(
        "re_{}_{}",
        f.from_alphabet(B58, 8),
        f.from_alphabet(B58, 24)
    );
    let cases = [
        (
            "zoho.env",
            format!("ZOHO_REFRESH_TOKEN={zoho}\n"),
            "zoho-oauth-token-prefixed",
            zoho,
        ),
        (
            "iam.env",
            format!("YANDEX_IAM_TOKEN={iam}\n"),
            "yandex-iam-token",
            iam,
        ),
        (
            "aqvn.env",
            format!("YANDEX_API_KEY={aqvn}\n"),
            "yandex-cloud-api-key",
            aqvn,
        ),
        (
            "resend.env",
            format!("RESEND_API_KEY={resend}\n"),
            "resend-api-key",
            resend,
        ),
    ];
    let files: Vec<(&str, String)> = cases.iter().map(|(n, c, _, _)| (*n, c.clone())).collect();
    let found = scan_files_by_path(&files);
    for (name, _, rule, v) in &cases {
        assert_eq!(
            found.get(*name).cloned().unwrap_or_default(),
            vec![(rule.to_string(), v.clone())],
            "{name}: one finding, by the format rule"
        );
    }
    // Off the format, the vendor's name still finds the value (a Zoho client secret: 42 hex).
    let secret = f.from_alphabet(HEX, 42);
    let found = scan_files_by_path(&[("s.env", format!("ZOHO_CLIENT_SECRET={secret}\n"))]);
    assert_eq!(
        found.get("s.env").cloned().unwrap_or_default(),
        vec![("zoho-oauth-token".to_string(), secret)]
    );
}

#[test]
fn near_misses_of_the_vendor_formats_are_not_reported() {
    let mut f = Fake::new(1806);
    let lines = [
        // Zoho client ids are public: one upper-case part.
        format!(
            "client_ref = \"1000.{}\"",
            f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 30)
        ),
        "total = 1000.00 * rate".to_string(),
        "SELECT t1.id, t1.name FROM users t1 WHERE t1.active = 1".to_string(),
        "y0_offset = compute_offset(frame, anchor_points, interpolation_mode, scale)".to_string(),
        "re_compile_patterns_for_all_regexes = True".to_string(),
        // One character short of each shape.
        format!("v = \"y0_{}\"", f.from_alphabet(URLSAFE, 54)),
        format!(
            "v = \"re_{}_{}\"",
            f.from_alphabet(B58, 8),
            f.from_alphabet(B58, 23)
        ),
        format!("v = \"sk_{}\"", f.from_alphabet(HEX, 47)),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let found = scan_files_by_path(&[("near.py", body)]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_cloudinary_url_reports_its_api_secret() {
    let mut f = Fake::new(1808);
    let (key, secret) = (
        f.from_alphabet("0123456789", 15),
        f.from_alphabet(URLSAFE, 27),
    );
    let url = format!("cloudinary://{key}:{secret}@acme-media");
    let found = scan_files_by_path(&[
        ("a.env", format!("CLOUDINARY_URL={url}\n")),
        ("b.log", format!("[DEBUG] Using url={url}\n")),
        (
            "c.py",
            format!("cloudinary.config(cloudinary_url=\"{url}\")\n"),
        ),
    ]);
    for name in ["a.env", "b.log", "c.py"] {
        assert_eq!(
            found.get(name).cloned().unwrap_or_default(),
            vec![("cloudinary-url".to_string(), secret.clone())],
            "{name}"
        );
    }
}

#[test]
fn curl_headers_and_an_empty_user_are_read_by_the_curl_rule() {
    let mut f = Fake::new(1807);
    let (k1, k2, k3, k4, t) = (f.alnum(40), f.alnum(26), f.hex(32), f.hex(40), f.alnum(52));
    let host = "https://api.acme-logistics.io/v2/items";
    let cases = [
        ("h1.sh", format!("curl -H \"X-Api-Key: {k1}\" {host}\n"), k1),
        (
            "h2.sh",
            format!("curl --header 'PRIVATE-TOKEN: {k2}' {host}\n"),
            k2,
        ),
        (
            "h3.sh",
            format!("curl -s {host} -H \"api-key: {k3}\" -d @body.json\n"),
            k3,
        ),
        (
            "h4.sh",
            format!("curl -H 'Authorization: Token {k4}' {host}\n"),
            k4,
        ),
        ("u.sh", format!("curl -u :{t} {host}\n"), t),
    ];
    let files: Vec<(&str, String)> = cases.iter().map(|(n, c, _)| (*n, c.clone())).collect();
    let found = scan_files_by_path(&files);
    for (name, _, v) in &cases {
        assert_eq!(
            found.get(*name).cloned().unwrap_or_default(),
            vec![("curl-user-credentials".to_string(), v.clone())],
            "{name}"
        );
    }
    // Not values: a variable, a file of headers, a header that is no credential, a placeholder, a
    // user and password sent to loopback.
    let quiet = [
        format!("curl -H \"X-Api-Key: $API_KEY\" {host}"),
        format!("curl -H @headers.txt {host}"),
        format!("curl -H \"X-Request-Id: {}\" {host}", f.alnum(40)),
        format!("curl -H \"X-Api-Key: YOUR_API_KEY_GOES_HERE\" {host}"),
        format!("curl -u \":$AZURE_DEVOPS_PAT\" {host}"),
        format!(
            "curl -u ops:{} http://localhost:8080/api/health",
            f.alnum(16)
        ),
    ];
    let body: String = quiet.iter().map(|l| format!("{l}\n")).collect();
    let found = scan_files_by_path(&[("quiet.sh", body)]);
    assert!(found.is_empty(), "{found:?}");
}
