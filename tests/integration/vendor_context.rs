//! The vendor-context rules (a vendor's name beside any random value) name vendors that also have
//! a format rule: a value in the vendor's format is reported once, by the format rule (the
//! vendor-context hit yields, as a generic one does), and a value off the format is still found
//! under the vendor's name.

use crate::common::*;

const LOWER_ALNUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

fn scan(content: &str) -> serde_json::Value {
    scan_file("settings.env", content)
}

fn scan_file(name: &str, content: &str) -> serde_json::Value {
    scan_files_json(&[(name, content)])
}

/// (name, value in the format a format rule checks, that rule's id)
fn in_format(f: &mut Fake) -> Vec<(&'static str, String, &'static str)> {
    vec![
        ("DATADOG_API_KEY", f.hex(32), "datadog-api-key"),
        (
            "TWITCH_API_KEY",
            f.from_alphabet(LOWER_ALNUM, 30),
            "twitch-api-token",
        ),
        (
            "BITTREX_API_KEY",
            f.from_alphabet(LOWER_ALNUM, 32),
            "bittrex-api-key",
        ),
        (
            "BITBUCKET_CLIENT_SECRET",
            f.from_alphabet(URLSAFE, 64),
            "bitbucket-client-secret",
        ),
    ]
}

#[test]
fn a_value_in_a_vendors_format_gets_one_finding_by_the_format_rule() {
    let mut f = Fake::new(1717);
    for (name, value, rule) in in_format(&mut f) {
        let v = scan(&format!("{name}={value}\n"));
        assert_eq!(
            rule_ids(&v),
            vec![rule.to_string()],
            "{name}: one finding, by the format rule, not again by a vendor-context rule"
        );
    }
}

#[test]
fn a_vendor_with_a_format_rule_is_found_by_name_with_an_off_format_value() {
    let mut f = Fake::new(1718);
    // Values in the peers' looser alphabets: lowercase alphanumerics where the format is hex, mixed
    // case where it is lowercase, a length the format rule does not take.
    let lines = [
        ("DATADOG_ACCESS_TOKEN", f.from_alphabet(LOWER_ALNUM, 40)),
        ("twitch_api_key", f.alnum(30)),
        ("bittrex_secret", f.alnum(32)),
        ("bitbucket_client_secret", f.alnum(40)),
    ];
    for (name, value) in lines {
        for text in [
            format!("{name} = \"{value}\"\n"),
            format!("{name}: {value}\n"),
        ] {
            let v = scan(&text);
            assert_eq!(
                rule_ids(&v),
                vec!["vendor-named-api-credential".to_string()],
                "{text}"
            );
            assert_eq!(
                v["findings"][0]["secret"].as_str(),
                Some(value.as_str()),
                "{text}"
            );
        }
    }
}

/// django-secret-key-template knows Django's SECRET_KEY by the startproject comment above it, not by
/// its format: a generated `django-insecure-` key there is one finding, by django-secret-key, and a
/// value a developer typed in its place is still found, by the template rule.
#[test]
fn a_django_key_under_the_startproject_comment_is_one_finding() {
    const DJANGO: &str = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";
    let mut f = Fake::new(1719);
    let comment = "# SECURITY WARNING: keep the secret key used in production secret!";
    let cases = [
        (
            format!("django-{}{}", "insecure-", f.from_alphabet(DJANGO, 50)),
            "django-secret-key",
        ),
        (f.alnum(9), "django-secret-key-template"),
    ];
    for (value, rule) in cases {
        let v = scan_file(
            "mysite/settings.py",
            &format!("{comment}\nSECRET_KEY = '{value}'\n"),
        );
        assert_eq!(rule_ids(&v), vec![rule.to_string()], "{value}");
        assert_eq!(v["findings"][0]["secret"].as_str(), Some(value.as_str()));
    }
}
