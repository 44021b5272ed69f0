//! AWS keys: `sts:GetCallerIdentity`, signed with Signature Version 4. It needs no permission, changes
//! nothing, and answers 200 for a working key pair and 403 for an unknown or revoked one.

use super::spec::Endpoint;
use super::Reply;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const PAYLOAD: &str = "Action=GetCallerIdentity&Version=2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// `secret` is the secret access key, `id` the access key id found beside it.
pub fn send(agent: &ureq::Agent, e: &Endpoint, secret: &str, id: Option<&str>) -> Option<Reply> {
    let id = id?;
    let uri: ureq::http::Uri = e.url.parse().ok()?;
    let host = uri.authority()?.as_str().to_string();
    let path = match uri.path() {
        "" => "/",
        p => p,
    };
    let region = region_of(uri.host()?);
    let amz_date = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let headers = [
        ("content-type", CONTENT_TYPE),
        ("host", host.as_str()),
        ("x-amz-date", amz_date.as_str()),
    ];
    let auth = authorization(&Signing {
        method: "POST",
        path,
        query: "",
        headers: &headers,
        payload: PAYLOAD.as_bytes(),
        amz_date: &amz_date,
        region: &region,
        service: "sts",
        key_id: id,
        secret_key: secret,
    });
    let req = ureq::http::Request::builder()
        .method("POST")
        .uri(e.url.as_str())
        .header("content-type", CONTENT_TYPE)
        .header("x-amz-date", amz_date.as_str())
        .header("authorization", auth)
        .body(PAYLOAD.to_string())
        .ok()?;
    super::http::read_reply(agent.run(req).ok()?)
}

/// `sts.eu-west-1.amazonaws.com` is signed for eu-west-1; the global endpoint (and a test server) for
/// us-east-1.
fn region_of(host: &str) -> String {
    let parts: Vec<&str> = host.split('.').collect();
    match parts.as_slice() {
        ["sts", region, "amazonaws", ..] if region.contains('-') => region.to_string(),
        _ => "us-east-1".to_string(),
    }
}

/// What a Signature Version 4 signature covers. Header names are lower-case and sorted.
pub struct Signing<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub payload: &'a [u8],
    pub amz_date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
    pub key_id: &'a str,
    pub secret_key: &'a str,
}

pub fn authorization(s: &Signing) -> String {
    let signed_headers: Vec<&str> = s.headers.iter().map(|(k, _)| *k).collect();
    let signed_headers = signed_headers.join(";");
    let canonical_headers: String = s
        .headers
        .iter()
        .map(|(k, v)| format!("{k}:{}\n", v.trim()))
        .collect();
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        s.method,
        s.path,
        s.query,
        canonical_headers,
        signed_headers,
        hex(&Sha256::digest(s.payload))
    );
    let day = &s.amz_date[..8];
    let scope = format!("{day}/{}/{}/aws4_request", s.region, s.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        s.amz_date,
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{}", s.secret_key).as_bytes(), day.as_bytes());
    let k_region = hmac(&k_date, s.region.as_bytes());
    let k_service = hmac(&k_region, s.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let signature = hex(&hmac(&k_signing, string_to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        s.key_id
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's published Signature Version 4 test suite, case `get-vanilla`, with the documentation's
    /// example credentials: the signature must be the suite's.
    #[test]
    fn signs_the_published_get_vanilla_case() {
        let key_id = ["AKID", "EXAMPLE"].concat();
        let secret = ["wJalrXUtnFEMI/K7MDENG+", "bPxRfiCYEXAMPLEKEY"].concat();
        let auth = authorization(&Signing {
            method: "GET",
            path: "/",
            query: "",
            headers: &[
                ("host", "example.amazonaws.com"),
                ("x-amz-date", "20150830T123600Z"),
            ],
            payload: b"",
            amz_date: "20150830T123600Z",
            region: "us-east-1",
            service: "service",
            key_id: &key_id,
            secret_key: &secret,
        });
        assert_eq!(
            auth,
            format!(
                "AWS4-HMAC-SHA256 Credential={key_id}/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
    }

    #[test]
    fn region_comes_from_a_regional_endpoint() {
        assert_eq!(region_of("sts.eu-west-1.amazonaws.com"), "eu-west-1");
        assert_eq!(region_of("sts.amazonaws.com"), "us-east-1");
        assert_eq!(region_of("127.0.0.1"), "us-east-1");
    }
}
