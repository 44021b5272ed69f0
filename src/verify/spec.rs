//! Verification endpoints as data: the built-in catalog (`rules/verify/endpoints.toml`) and a rule's
//! `[rules.verify]` section in a config the user named, merged field by field over the built-in one.

use super::Verification;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// The built-in catalog, embedded so that what leakguard may send where is fixed by the binary.
const BUILTIN: &str = include_str!("../../rules/verify/endpoints.toml");

/// Bodies longer than this are not read further: judging needs a status and a small JSON field.
pub const MAX_BODY: u64 = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyKind {
    /// A templated HTTP request; the status (and optionally a JSON field) says live or revoked.
    Http,
    /// AWS: a SigV4-signed `sts:GetCallerIdentity` for an access key id and its secret key.
    AwsSts,
}

/// How to check one rule's secrets.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifySpec {
    pub kind: VerifyKind,
    pub endpoint: Endpoint,
    /// The rule whose secret, found in the same file, fills `{id}` (Twilio SID, AWS key id).
    pub pair: Option<String>,
}

/// The request and how to read its answer. `{secret}` and `{id}` are filled in `url`, `headers` and
/// `body`; `{base64:TEXT}` is TEXT (after filling) base64-encoded, for HTTP basic credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    /// Statuses that mean the secret works.
    pub live: Vec<u16>,
    /// Statuses that mean it is invalid or revoked.
    pub revoked: Vec<u16>,
    /// Where a live status is ambiguous (Slack answers 200 either way): a top-level JSON field of the
    /// body, and the value it has when the secret works; any other value means revoked.
    pub json_field: Option<String>,
    pub json_live: Option<serde_json::Value>,
}

impl Endpoint {
    pub fn judge(&self, status: u16, body: &str) -> Verification {
        if self.live.contains(&status) {
            let Some(field) = &self.json_field else {
                return Verification::Live;
            };
            let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
                return Verification::Unknown;
            };
            match (json.get(field), &self.json_live) {
                (Some(v), Some(want)) if v == want => Verification::Live,
                (Some(_), _) => Verification::Revoked,
                (None, _) => Verification::Unknown,
            }
        } else if self.revoked.contains(&status) {
            Verification::Revoked
        } else {
            Verification::Unknown
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError(pub String);

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VerifyError {}

/// A `[rules.verify]` section or a catalog entry as written: every field optional, so a config can
/// re-point only `url` and keep the rest of the built-in endpoint.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VerifyToml {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub live: Option<Vec<u16>>,
    #[serde(default)]
    pub revoked: Option<Vec<u16>>,
    #[serde(default)]
    pub json_field: Option<String>,
    #[serde(default)]
    pub json_live: Option<toml::Value>,
    #[serde(default)]
    pub pair: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    verify: Vec<CatalogEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogEntry {
    rules: Vec<String>,
    #[serde(flatten)]
    spec: VerifyToml,
}

/// The built-in endpoints by rule id.
pub fn builtin_specs() -> BTreeMap<String, VerifySpec> {
    let catalog: Catalog = toml::from_str(BUILTIN).expect("rules/verify/endpoints.toml parses");
    let mut out = BTreeMap::new();
    for entry in catalog.verify {
        let spec = VerifySpec::build(None, &entry.spec).expect("built-in verify entries are valid");
        for rule in entry.rules {
            out.insert(rule, spec.clone());
        }
    }
    out
}

impl VerifySpec {
    /// `over` laid over `base` (a built-in endpoint) field by field; without a base, `over` must say
    /// at least `url` and `live`.
    pub fn build(base: Option<&VerifySpec>, over: &VerifyToml) -> Result<VerifySpec, VerifyError> {
        let kind = match over.kind.as_deref() {
            None => base.map_or(VerifyKind::Http, |b| b.kind),
            Some("http") => VerifyKind::Http,
            Some("aws-sts") => VerifyKind::AwsSts,
            Some(other) => {
                return Err(VerifyError(format!(
                    "verify kind `{other}` is not one of `http`, `aws-sts`"
                )))
            }
        };
        let b = base.map(|b| &b.endpoint);
        let url = over
            .url
            .clone()
            .or_else(|| b.map(|b| b.url.clone()))
            .ok_or_else(|| VerifyError("a verify section needs a `url`".into()))?;
        check_url(&url)?;
        let live = over
            .live
            .clone()
            .or_else(|| b.map(|b| b.live.clone()))
            .unwrap_or_default();
        if live.is_empty() && kind == VerifyKind::Http {
            return Err(VerifyError(
                "a verify section needs `live`: the statuses that mean the secret works".into(),
            ));
        }
        let method = over
            .method
            .clone()
            .or_else(|| b.map(|b| b.method.clone()))
            .unwrap_or_else(|| "GET".into())
            .to_ascii_uppercase();
        if !matches!(method.as_str(), "GET" | "POST" | "HEAD") {
            return Err(VerifyError(format!(
                "verify method `{method}` is not GET, POST or HEAD: a check must not change anything"
            )));
        }
        let headers = match &over.headers {
            Some(h) => h.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            None => b.map(|b| b.headers.clone()).unwrap_or_default(),
        };
        let json_live = match &over.json_live {
            Some(v) => Some(
                serde_json::to_value(v)
                    .map_err(|e| VerifyError(format!("verify jsonLive: {e}")))?,
            ),
            None => b.and_then(|b| b.json_live.clone()),
        };
        Ok(VerifySpec {
            kind,
            pair: over
                .pair
                .clone()
                .or_else(|| base.and_then(|b| b.pair.clone())),
            endpoint: Endpoint {
                method,
                url,
                headers,
                body: over.body.clone().or_else(|| b.and_then(|b| b.body.clone())),
                live,
                revoked: over
                    .revoked
                    .clone()
                    .or_else(|| b.map(|b| b.revoked.clone()))
                    .unwrap_or_default(),
                json_field: over
                    .json_field
                    .clone()
                    .or_else(|| b.and_then(|b| b.json_field.clone())),
                json_live,
            },
        })
    }
}

/// Secrets go only over TLS, except to this machine (a test server, a local proxy).
pub fn check_url(url: &str) -> Result<(), VerifyError> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| VerifyError(format!("verify url `{url}` is not a URL")))?;
    let host = uri.host().unwrap_or("");
    match uri.scheme_str() {
        Some("https") if !host.is_empty() => Ok(()),
        Some("http") if is_loopback(host) => Ok(()),
        _ => Err(VerifyError(format!(
            "verify url `{url}` must be https (plain http only to localhost)"
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalog_loads_and_is_all_https() {
        let specs = builtin_specs();
        assert!(specs.contains_key("github-pat"));
        assert!(specs.contains_key("aws-secret-access-key"));
        for (rule, s) in &specs {
            assert!(s.endpoint.url.starts_with("https://"), "{rule}");
            if let Some(pair) = &s.pair {
                assert!(pair != rule, "{rule} pairs with itself");
            }
        }
    }

    #[test]
    fn every_catalog_entry_names_builtin_rules() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        for (rule, spec) in builtin_specs() {
            assert!(
                rules.get(&rule).is_some(),
                "verify catalog names unknown rule {rule}"
            );
            if let Some(pair) = &spec.pair {
                assert!(
                    rules.get(pair).is_some(),
                    "{rule} pairs with unknown rule {pair}"
                );
            }
        }
    }

    #[test]
    fn a_config_re_points_only_what_it_says() {
        let base = builtin_specs()["github-pat"].clone();
        let over = VerifyToml {
            url: Some("http://127.0.0.1:9/user".into()),
            ..Default::default()
        };
        let s = VerifySpec::build(Some(&base), &over).unwrap();
        assert_eq!(s.endpoint.url, "http://127.0.0.1:9/user");
        assert_eq!(s.endpoint.headers, base.endpoint.headers);
        assert_eq!(s.endpoint.live, base.endpoint.live);
    }

    #[test]
    fn urls_must_be_https_except_to_loopback() {
        for ok in [
            "https://api.example.test/x",
            "http://127.0.0.1:8080/x",
            "http://localhost/x",
            "http://[::1]:1/x",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.example.test/x",
            "http://10.0.0.1/x",
            "ftp://127.0.0.1/x",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn judging_by_status_and_json_field() {
        let mut e = builtin_specs()["github-pat"].endpoint.clone();
        assert_eq!(e.judge(200, ""), Verification::Live);
        assert_eq!(e.judge(401, ""), Verification::Revoked);
        assert_eq!(e.judge(500, ""), Verification::Unknown);
        e.json_field = Some("ok".into());
        e.json_live = Some(serde_json::Value::Bool(true));
        assert_eq!(e.judge(200, r#"{"ok":true}"#), Verification::Live);
        assert_eq!(
            e.judge(200, r#"{"ok":false,"error":"invalid_auth"}"#),
            Verification::Revoked
        );
        assert_eq!(e.judge(200, "<html>"), Verification::Unknown);
        assert_eq!(e.judge(200, r#"{"other":1}"#), Verification::Unknown);
    }

    #[test]
    fn writing_methods_and_unknown_keys_are_refused() {
        let over = VerifyToml {
            url: Some("https://x.test/".into()),
            live: Some(vec![200]),
            method: Some("DELETE".into()),
            ..Default::default()
        };
        assert!(VerifySpec::build(None, &over).is_err());
        assert!(toml::from_str::<VerifyToml>("urll = 'https://x.test'").is_err());
    }
}
