//! Families trufflehog's detectors find that leakguard missed (rules/thog.toml), and ScrapingBee's and
//! Auth0's rules adjusted in place (rules/saas_context.toml).
//!
//! Each value is generated (a seeded `Fake`) in the vendor's issued shape and written in several languages
//! and config formats. Prefixed keys are found alone; bare keys only under the vendor's name (the same
//! value under a neutral name is not reported by the vendor's rule); near misses stay silent.

use crate::common::*;

const HEX: &str = "0123456789abcdef";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

type Found = std::collections::HashMap<String, Vec<(String, String)>>;

fn by_rule(found: &Found, path: &str, rule: &str) -> Vec<String> {
    found
        .get(path)
        .map(|v| {
            v.iter()
                .filter(|(r, _)| r == rule)
                .map(|(_, s)| s.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The shapes a key is written in: the name (a vendor-named variable, or a neutral one) in an env file,
/// YAML, JSON, Python, Go and JavaScript.
fn shapes(tag: &str, env_name: &str, camel_name: &str, v: &str) -> Vec<(String, String)> {
    vec![
        (format!("{tag}/a.env"), format!("{env_name}={v}\n")),
        (
            format!("{tag}/b.yaml"),
            format!("api:\n  {}: \"{v}\"\n", env_name.to_lowercase()),
        ),
        (
            format!("{tag}/c.json"),
            format!("{{\"{camel_name}\": \"{v}\"}}\n"),
        ),
        (
            format!("{tag}/d.py"),
            format!("{} = '{v}'\n", env_name.to_lowercase()),
        ),
        (format!("{tag}/e.go"), format!("{camel_name} := \"{v}\"\n")),
        (
            format!("{tag}/f.js"),
            format!("const {camel_name} = process.env.X || \"{v}\";\n"),
        ),
    ]
}

#[test]
fn prefixed_keys_are_found_alone_and_near_misses_are_not() {
    let mut f = Fake::new(1901);
    let cases = [
        (
            "bannerbear-prefixed-api-key",
            format!("bb_pr_{}", f.from_alphabet(HEX, 30)),
        ),
        (
            "bannerbear-prefixed-api-key",
            format!("bb_ma_{}", f.from_alphabet(HEX, 30)),
        ),
        (
            "trufflehog-enterprise-credential",
            format!("thog-key-{}", f.from_alphabet(HEX, 16)),
        ),
        (
            "trufflehog-enterprise-credential",
            format!("thog-secret-{}", f.from_alphabet(HEX, 32)),
        ),
    ];
    for (i, (rule, v)) in cases.iter().enumerate() {
        let tag = format!("k{i}");
        let files = shapes(&tag, "SERVICE_TOKEN", "serviceToken", v);
        let found = scan_files_by_path(&files);
        for (name, _) in &files {
            assert_eq!(
                by_rule(&found, name, rule),
                vec![v.clone()],
                "{rule} in {name}"
            );
        }
        // A header in a shell script, too.
        let sh = vec![(
            "h.sh".to_string(),
            format!("curl -H \"Authorization: Bearer {v}\" https://api.example.net/v2/me\n"),
        )];
        assert_eq!(
            by_rule(&scan_files_by_path(&sh), "h.sh", rule),
            vec![v.clone()]
        );
    }
    // Near misses: one character short, one too many, off the alphabet.
    let short = format!("bb_pr_{}", f.from_alphabet(HEX, 29));
    let long = format!("thog-key-{}", f.from_alphabet(HEX, 18));
    let upper = format!("bb_ma_{}", f.from_alphabet("0123456789ABCDEF", 30));
    let files = vec![
        ("a.env".to_string(), format!("SERVICE_TOKEN={short}\n")),
        ("b.env".to_string(), format!("SERVICE_TOKEN={long}\n")),
        ("c.env".to_string(), format!("SERVICE_TOKEN={upper}\n")),
    ];
    let found = scan_files_by_path(&files);
    for (name, _) in &files {
        for rule in [
            "bannerbear-prefixed-api-key",
            "trufflehog-enterprise-credential",
        ] {
            assert!(by_rule(&found, name, rule).is_empty(), "{rule} in {name}");
        }
    }
}

/// (rule, env name, camelCase name, value): bare keys, reported under the vendor's name only.
fn named(f: &mut Fake) -> Vec<(&'static str, &'static str, &'static str, String)> {
    vec![
        (
            "hasura-admin-secret",
            "HASURA_GRAPHQL_ADMIN_SECRET",
            "hasuraAdminSecret",
            f.alnum(64),
        ),
        (
            "checio-api-key",
            "CHECIO_API_KEY",
            "checioApiKey",
            format!("pk_{}", f.from_alphabet(LOWER_DIGITS, 45)),
        ),
        (
            "column-api-key",
            "COLUMN_API_KEY",
            "columnApiKey",
            format!("live_{}", f.alnum(27)),
        ),
        (
            "swell-secret-key",
            "SWELL_SECRET_KEY",
            "swellSecretKey",
            f.alnum(32),
        ),
        (
            "supernotes-api-key",
            "SUPERNOTES_API_KEY",
            "supernotesApiKey",
            f.from_alphabet(URLSAFE, 43),
        ),
        (
            "parsehub-api-key",
            "PARSEHUB_API_KEY",
            "parsehubApiKey",
            f.alnum(12),
        ),
        (
            "api2cart-api-key",
            "API2CART_API_KEY",
            "api2cartApiKey",
            f.from_alphabet(HEX, 32),
        ),
        (
            "captaindata-api-key",
            "CAPTAINDATA_API_KEY",
            "captainDataApiKey",
            f.from_alphabet(HEX, 64),
        ),
        (
            "convier-api-token",
            "CONVIER_API_TOKEN",
            "convierApiToken",
            format!("57|{}", f.alnum(40)),
        ),
        (
            "openvpn-cloud-client-secret",
            "OPENVPN_CLIENT_SECRET",
            "openvpnClientSecret",
            f.from_alphabet(URLSAFE, 64),
        ),
    ]
}

#[test]
fn bare_keys_are_found_under_the_vendors_name_only() {
    let mut f = Fake::new(1902);
    let keys = named(&mut f);
    let mut files = Vec::new();
    for (i, (_, env, camel, v)) in keys.iter().enumerate() {
        files.extend(shapes(&format!("v{i}"), env, camel, v));
        // The same value under a neutral name.
        files.extend(shapes(&format!("n{i}"), "SERVICE_TOKEN", "serviceToken", v));
    }
    let found = scan_files_by_path(&files);
    for (i, (rule, env, camel, v)) in keys.iter().enumerate() {
        for (name, _) in shapes(&format!("v{i}"), env, camel, v) {
            assert_eq!(
                by_rule(&found, &name, rule),
                vec![v.clone()],
                "{rule} in {name}"
            );
        }
        for (name, _) in shapes(&format!("n{i}"), "SERVICE_TOKEN", "serviceToken", v) {
            assert!(by_rule(&found, &name, rule).is_empty(), "{rule} in {name}");
        }
    }
}

#[test]
fn a_scrapingbee_key_is_found_on_the_line_after_its_name_and_only_in_upper_case() {
    let mut f = Fake::new(1903);
    let k = f.from_alphabet(UPPER_DIGITS, 80);
    let lower = f.from_alphabet(LOWER_DIGITS, 80);
    let files = vec![
        (
            "a.js".to_string(),
            format!("const scrapingBeeApiKey =\n  \"{k}\"; // the service's key\n"),
        ),
        (
            "b.py".to_string(),
            format!("gn.top_news(scraping_bee = '{k}')\n"),
        ),
        (
            "c.md".to_string(),
            format!("ScrapingBee API key:\n\n    {k}\n"),
        ),
        (
            "d.env".to_string(),
            format!("SCRAPINGBEE_API_KEY={lower}\n"),
        ),
    ];
    let found = scan_files_by_path(&files);
    for name in ["a.js", "b.py", "c.md"] {
        assert_eq!(
            by_rule(&found, name, "scrapingbee-api-key"),
            vec![k.clone()],
            "{name}"
        );
    }
    assert!(by_rule(&found, "d.env", "scrapingbee-api-key").is_empty());
}

#[test]
fn an_auth0_value_that_goes_on_past_a_dot_is_not_a_client_secret() {
    let mut f = Fake::new(1904);
    let id = f.from_alphabet(LOWER_DIGITS, 40);
    let dotted = format!("{}.{}", f.from_alphabet(LOWER_DIGITS, 40), f.alnum(10));
    let files = vec![
        (
            "b.yaml".to_string(),
            format!("auth0_credentials:\n  auth0_api_token: {dotted}\n"),
        ),
        (
            "c.txt".to_string(),
            format!("The auth0 client secret is {id}.\n"),
        ),
    ];
    let found = scan_files_by_path(&files);
    assert!(by_rule(&found, "b.yaml", "auth0-credential").is_empty());
    assert_eq!(
        by_rule(&found, "c.txt", "auth0-credential"),
        vec![id.clone()]
    );
}
