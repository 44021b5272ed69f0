//! Families from kingfisher's and betterleaks' catalogs that leakguard found only under the vendor's name
//! (rules/kf95.toml), and GitHub's stateless installation tokens (`ghs_<app id>_<JWT>`, github-app-token widened
//! in place).
//!
//! Each value is generated (a seeded `Fake`) in the issued shape and written where the vendor is not named:
//! an env line, YAML, JSON, code in two languages, a curl header or user, a git URL. Near misses stay silent.

use crate::common::*;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// A stateless GitHub App token as GitHub mints it since April 2026: the kind's prefix, the app's id, `_` and a
/// JWT (a JSON header, the installation's claims, an RS256 signature of 342 base64url characters), ~500 long.
fn stateless_github_token(f: &mut Fake, prefix: &str) -> String {
    let app = f.from_alphabet("123456789", 7);
    let header = format!(r#"{{"alg":"RS256","kid":"{}","typ":"JWT"}}"#, f.hex(16));
    let claims = format!(
        r#"{{"iat":17{},"exp":17{},"app":{app},"ins":{},"rid":"{}"}}"#,
        f.from_alphabet("0123456789", 8),
        f.from_alphabet("0123456789", 8),
        f.from_alphabet("123456789", 8),
        f.alnum(24)
    );
    let jwt = f.jwt(&header, &claims);
    // Fake::jwt signs with 43 characters (HS256); an RS256 signature is 342.
    let (head_body, _) = jwt.rsplit_once('.').unwrap();
    format!(
        "{prefix}{app}_{head_body}.{}",
        f.from_alphabet(URLSAFE, 342)
    )
}

#[test]
fn stateless_github_app_tokens_are_found_whole_in_every_shape() {
    let mut f = Fake::new(9501);
    for prefix in ["ghs_", "ghu_"] {
        let t = stateless_github_token(&mut f, prefix);
        assert!(t.len() > 450, "{}", t.len());
        let shapes = [
            ("a.env", format!("GITHUB_TOKEN={t}\n")),
            (
                "b.yml",
                format!("jobs:\n  sync:\n    env:\n      GH_TOKEN: {t}\n"),
            ),
            ("c.json", format!("{{\"token\": \"{t}\", \"expires_at\": \"2026-06-01T00:00:00Z\"}}\n")),
            ("d.py", format!("gh = Github(auth=Auth.Token(\"{t}\"))\n")),
            ("e.js", format!("const octokit = new Octokit({{ auth: '{t}' }});\n")),
            (
                "f.sh",
                format!("curl -H \"Authorization: Bearer {t}\" https://api.github.com/installation/repositories\n"),
            ),
            (
                "g.sh",
                format!("git clone https://x-access-token:{t}@github.com/acme/app.git\n"),
            ),
            ("h.txt", format!("echo {t} | gh auth login --with-token\n")),
        ];
        let found = scan_files_by_path(&shapes);
        for (name, _) in &shapes {
            let got = found.get(*name).cloned().unwrap_or_default();
            assert!(
                got.contains(&("github-app-token".to_string(), t.clone())),
                "{prefix} in {name}: {got:?}"
            );
            // One finding for the token: no rule reports its JWT or a piece of it apart.
            assert!(
                got.iter().all(|(_, s)| !t.contains(s.as_str()) || *s == t),
                "{prefix} in {name}: {got:?}"
            );
        }
    }
}

#[test]
fn near_misses_of_stateless_github_tokens_are_silent() {
    let mut f = Fake::new(9502);
    let t = stateless_github_token(&mut f, "ghs_");
    let (prefix_app, jwt) = t
        .split_once("_eyJ")
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap();
    let cases = [
        // The header is not base64url JSON.
        ("a.env", format!("GITHUB_TOKEN={prefix_app}_abc{jwt}\n")),
        // Parts too short to be a signed token.
        (
            "b.env",
            "GITHUB_TOKEN=ghs_123456_eyJhbGciOi.eyJpYXQ.c2ln\n".to_string(),
        ),
        // A slot in documentation.
        (
            "c.md",
            "Installation tokens now look like `ghs_<app id>_<jwt>`.\n".to_string(),
        ),
        // Another prefix.
        ("d.env", format!("TOKEN=ghx{}\n", &t[3..])),
    ];
    let found = scan_files_by_path(&cases);
    for (name, content) in &cases {
        let got = found.get(*name).cloned().unwrap_or_default();
        assert!(
            got.iter().all(|(r, _)| r != "github-app-token"),
            "{content}: {got:?}"
        );
    }
}

/// (rule id, a value in the vendor's issued shape, a near miss of it).
fn values(f: &mut Fake) -> Vec<(&'static str, String, String)> {
    let apify = format!("apify_api_{}", f.alnum(36));
    let apify_short = apify[..apify.len() - 8].to_string();
    let tt = format!(
        "sk_{}_{}_{}",
        f.from_alphabet("123456789", 4),
        f.from_alphabet("0123456789", 6),
        f.hex(32)
    );
    // The hex tail in upper case is not what Ticket Tailor issues.
    let tt_upper = format!("{}{}", &tt[..15], tt[15..].to_ascii_uppercase());
    vec![
        ("apify-api-token", apify, apify_short),
        ("tickettailor-api-key", tt, tt_upper),
    ]
}

#[test]
fn vendor_keys_are_found_by_their_format_without_the_vendors_name() {
    let mut f = Fake::new(9503);
    for (rule, v, near) in values(&mut f) {
        let shapes = [
            ("a.env", format!("SERVICE_KEY={v}\n")),
            ("b.py", format!("client = Client(\"{v}\")\n")),
            (
                "c.js",
                format!("const client = new Client({{ token: '{v}' }});\n"),
            ),
            (
                "d.yaml",
                format!("integrations:\n  reporting:\n    credential: '{v}'\n"),
            ),
            ("e.json", format!("{{\"credential\": \"{v}\"}}\n")),
            (
                "f.sh",
                format!("curl -u {v}: https://api.acme.io/v1/orders\n"),
            ),
            ("g.go", format!("cfg := Config{{Token: \"{v}\"}}\n")),
        ];
        let found = scan_files_by_path(&shapes);
        for (name, _) in &shapes {
            let got = found.get(*name).cloned().unwrap_or_default();
            assert!(
                got.contains(&(rule.to_string(), v.clone())),
                "{rule} in {name}: {got:?}"
            );
        }
        let misses = [
            ("a.env", format!("SERVICE_KEY={near}\n")),
            ("b.py", format!("client = Client(\"{near}\")\n")),
        ];
        let found = scan_files_by_path(&misses);
        for (name, content) in &misses {
            let got = found.get(*name).cloned().unwrap_or_default();
            assert!(got.iter().all(|(r, _)| r != rule), "{content}: {got:?}");
        }
    }
}
