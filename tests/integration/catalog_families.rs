//! Issue 17's named families, each written with fresh fake values in every shape real projects use:
//! an env line, YAML (bare and quoted), JSON, Python, JS, Go, a properties line, an INI line, a
//! command-line flag (`--name value` and `--name=value`), `export`, and a URL query parameter. Every
//! (family, shape) must be reported, at the severity the family carries (Stripe test keys and Plaid
//! sandbox tokens low).

use crate::common::*;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const DIGITS: &str = "0123456789";
const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BECH32_UPPER: &str = "ACDEFGHJKLMNPQRSTUVWXYZ023456789";

type Gen = fn(&mut Fake) -> String;
/// How one shape writes a value.
type Render<'a> = Box<dyn Fn(&str) -> String + 'a>;

/// (family, variable name in SCREAMING_SNAKE case, value generator, expected severity)
fn families() -> Vec<(&'static str, &'static str, Gen, &'static str)> {
    vec![
        (
            "slack-xoxb-short",
            "SLACK_BOT_TOKEN",
            |f| format!("xoxb-{}-{}", f.from_alphabet(DIGITS, 10), f.alnum(24)),
            "high",
        ),
        ("slack-xoxb", "SLACK_BOT_TOKEN", |f| f.slack_bot(), "high"),
        (
            "slack-xoxe",
            "SLACK_REFRESH_TOKEN",
            |f| format!("xoxe-1-{}", f.alnum(146)),
            "high",
        ),
        (
            "slack-xoxe-xoxp",
            "SLACK_CONFIG_TOKEN",
            |f| format!("xoxe.xoxp-1-{}", f.alnum(166)),
            "high",
        ),
        (
            "slack-xapp",
            "SLACK_APP_TOKEN",
            |f| {
                format!(
                    "xapp-1-A{}-{}-{}",
                    f.from_alphabet(UPPER_DIGITS, 10),
                    f.from_alphabet(DIGITS, 13),
                    f.hex(64)
                )
            },
            "high",
        ),
        (
            "sourcegraph",
            "SRC_ACCESS_TOKEN",
            |f| format!("sgp_{}", f.hex(40)),
            "high",
        ),
        (
            "sourcegraph-local",
            "SRC_ACCESS_TOKEN",
            |f| format!("sgp_{}_{}", f.hex(16), f.hex(40)),
            "high",
        ),
        (
            "sourcegraph-legacy",
            "SOURCEGRAPH_TOKEN",
            |f| f.hex(40),
            "high",
        ),
        ("particle", "PARTICLE_ACCESS_TOKEN", |f| f.hex(40), "high"),
        (
            "blynk",
            "BLYNK_AUTH_TOKEN",
            |f| f.from_alphabet(URLSAFE, 32),
            "high",
        ),
        (
            "sonarqube-user",
            "SONAR_TOKEN",
            |f| format!("squ_{}", f.hex(40)),
            "high",
        ),
        (
            "sonarqube-project",
            "SONAR_TOKEN",
            |f| format!("sqp_{}", f.hex(40)),
            "high",
        ),
        (
            "sonarqube-global",
            "SONAR_TOKEN",
            |f| format!("sqa_{}", f.hex(40)),
            "high",
        ),
        ("sonarqube-legacy", "SONAR_TOKEN", |f| f.hex(40), "high"),
        (
            "newrelic-user",
            "NEW_RELIC_API_KEY",
            |f| format!("NRAK-{}", f.from_alphabet(UPPER_DIGITS, 27)),
            "high",
        ),
        (
            "newrelic-insert",
            "NEW_RELIC_INSERT_KEY",
            |f| format!("NRII-{}", f.from_alphabet(URLSAFE, 32)),
            "high",
        ),
        (
            "newrelic-query",
            "NEW_RELIC_QUERY_KEY",
            |f| format!("NRIQ-{}", f.from_alphabet(URLSAFE, 32)),
            "high",
        ),
        (
            "newrelic-browser",
            "NEW_RELIC_BROWSER_KEY",
            |f| format!("NRJS-{}", f.hex(19)),
            "high",
        ),
        (
            "newrelic-license",
            "NEW_RELIC_LICENSE_KEY",
            |f| format!("{}NRAL", f.hex(36)),
            "high",
        ),
        (
            "newrelic-admin",
            "NEW_RELIC_ADMIN_KEY",
            |f| format!("NRAA-{}", f.hex(27)),
            "high",
        ),
        (
            "newrelic-rest",
            "NEW_RELIC_REST_KEY",
            |f| format!("NRRA-{}", f.hex(42)),
            "high",
        ),
        (
            "okta",
            "OKTA_API_TOKEN",
            |f| format!("00{}", f.from_alphabet(URLSAFE, 40)),
            "high",
        ),
        (
            "age",
            "AGE_SECRET_KEY",
            |f| format!("AGE-SECRET-KEY-1{}", f.from_alphabet(BECH32_UPPER, 58)),
            "high",
        ),
        (
            "facebook-app-secret",
            "FACEBOOK_APP_SECRET",
            |f| f.hex(32),
            "high",
        ),
        (
            "stripe-restricted",
            "STRIPE_KEY",
            |f| format!("rk_live_{}", f.alnum(99)),
            "high",
        ),
        (
            "stripe-restricted-test",
            "STRIPE_KEY",
            |f| format!("rk_test_{}", f.alnum(24)),
            "low",
        ),
        (
            "stripe-test",
            "STRIPE_SECRET_KEY",
            |f| format!("sk_test_{}", f.alnum(99)),
            "low",
        ),
        (
            "cloudflare-origin-ca",
            "CLOUDFLARE_ORIGIN_CA_KEY",
            |f| format!("v1.0-{}-{}", f.hex(24), f.hex(146)),
            "high",
        ),
        (
            "cloudflare-token",
            "CLOUDFLARE_API_TOKEN",
            |f| f.from_alphabet(URLSAFE, 40),
            "high",
        ),
        (
            "intra42",
            "FT_CLIENT_SECRET",
            |f| format!("s-s4t2ud-{}", f.hex(64)),
            "high",
        ),
        (
            "google-oauth-client-secret",
            "GOOGLE_CLIENT_SECRET",
            |f| format!("GOCSPX-{}", f.from_alphabet(URLSAFE, 28)),
            "high",
        ),
        (
            "plaid-sandbox",
            "PLAID_ACCESS_TOKEN",
            |f| {
                format!(
                    "access-sandbox-{}-{}-{}-{}-{}",
                    f.hex(8),
                    f.hex(4),
                    f.hex(4),
                    f.hex(4),
                    f.hex(12)
                )
            },
            "low",
        ),
        (
            "vault-root",
            "VAULT_TOKEN",
            |f| format!("hvs.{}", f.alnum(24)),
            "high",
        ),
        (
            "github-fine-grained",
            "GITHUB_TOKEN",
            |f| format!("github_pat_{}", f.alnum(82)),
            "high",
        ),
        ("db-pass", "DB_PASS", |f| f.alnum(16), "high"),
    ]
}

#[test]
fn named_families_are_found_in_every_shape() {
    let mut fake = Fake::new(171_717);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // (family, shape, path, severity)
    let mut planted: Vec<(String, &str, String, &str)> = Vec::new();
    for (fam, name, gen, severity) in families() {
        let lower = name.to_ascii_lowercase();
        let mut parts = lower.split('_');
        let first = parts.next().unwrap().to_string();
        let camel: String = first
            + &parts
                .map(|p| p[..1].to_ascii_uppercase() + &p[1..])
                .collect::<String>();
        let dotted = lower.replace('_', ".");
        let kebab = lower.replace('_', "-");
        let shapes: Vec<(&str, String, Render<'_>)> = vec![
            (
                "env",
                format!("env/{fam}.env"),
                Box::new(|v: &str| format!("{name}={v}\n")),
            ),
            (
                "yaml",
                format!("yaml/{fam}.yaml"),
                Box::new(|v: &str| format!("config:\n  {lower}: {v}\n")),
            ),
            (
                "yaml-quoted",
                format!("yamlq/{fam}.yaml"),
                Box::new(|v: &str| format!("env:\n  {name}: \"{v}\"\n")),
            ),
            (
                "json",
                format!("json/{fam}.json"),
                Box::new(|v: &str| format!("{{\n  \"{camel}\": \"{v}\"\n}}\n")),
            ),
            (
                "python",
                format!("py/{fam}.py"),
                Box::new(|v: &str| format!("{name} = \"{v}\"\n")),
            ),
            (
                "js",
                format!("js/{fam}.js"),
                Box::new(|v: &str| format!("const {camel} = '{v}';\n")),
            ),
            (
                "go",
                format!("go/{fam}.go"),
                Box::new(|v: &str| format!("package main\n\nvar {camel} = \"{v}\"\n")),
            ),
            (
                "properties",
                format!("props/{fam}.properties"),
                Box::new(|v: &str| format!("{dotted}={v}\n")),
            ),
            (
                "ini",
                format!("ini/{fam}.ini"),
                Box::new(|v: &str| format!("[default]\n{lower} = {v}\n")),
            ),
            (
                "cli",
                format!("cli/{fam}.sh"),
                Box::new(|v: &str| format!("mytool deploy --{kebab} {v}\n")),
            ),
            (
                "cli-eq",
                format!("clieq/{fam}.sh"),
                Box::new(|v: &str| format!("mytool deploy --{kebab}={v}\n")),
            ),
            (
                "export",
                format!("export/{fam}.sh"),
                Box::new(|v: &str| format!("export {name}=\"{v}\"\n")),
            ),
            (
                "url",
                format!("url/{fam}.txt"),
                Box::new(|v: &str| format!("curl 'https://api.acme.io/v1/items?{lower}={v}'\n")),
            ),
        ];
        for (shape, path, render) in shapes {
            let value = gen(&mut fake);
            write(d, &path, render(&value));
            planted.push((fam.to_string(), shape, path, severity));
        }
    }
    let r = run_in(d, &["scan", ".", "--no-ignore", "-f", "json"]);
    let pairs = string_pairs(&r.json(), "path", "severity");
    let mut problems = Vec::new();
    for (fam, shape, path, severity) in &planted {
        let found: Vec<&String> = pairs
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, s)| s)
            .collect();
        if found.is_empty() {
            problems.push(format!("missed {fam} as {shape} ({path})"));
        } else if !found.iter().any(|s| s == severity) {
            problems.push(format!(
                "{fam} as {shape}: severity {found:?}, want {severity}"
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
