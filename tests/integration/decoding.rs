//! Encoded secrets: base64 (Kubernetes `Secret` manifests), percent-encoding (recorded requests),
//! JSON escapes and hex are decoded and matched by the vendor rule, reported where the encoded text
//! stands, with the chain of decodings; the remediation file holds the encoded text.

use crate::common::{run_in, sorted_finding_rows, validate_sarif, write, Fake};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

fn findings(v: &serde_json::Value) -> Vec<(String, String, u64, u64, String, Vec<String>)> {
    sorted_finding_rows(v, |f| {
        let (path, rule) = (f.s("path"), f.s("rule_id"));
        (
            path,
            rule,
            f.n("line"),
            f.n("column"),
            f.s("secret"),
            f.list("decoded"),
        )
    })
}

#[test]
fn a_kubernetes_secret_reports_the_key_it_encodes() {
    let mut fake = Fake::new(4242);
    let key = fake.openai_project();
    let pat = fake.github_pat();
    let tmp = tempfile::tempdir().unwrap();
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n  OPENAI_API_KEY: {}\n  GITHUB_TOKEN: {}\n",
        STANDARD.encode(&key),
        STANDARD.encode(&pat)
    );
    write(tmp.path(), "k8s/secret.yaml", &manifest);
    let r = run_in(tmp.path(), &["scan", ".", "-f", "json", "--show-secrets"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let got = findings(&r.json());
    let b64 = vec!["base64".to_string()];
    assert_eq!(
        got,
        vec![
            (
                "k8s/secret.yaml".into(),
                "openai-project-key".into(),
                7,
                19,
                key.clone(),
                b64.clone()
            ),
            (
                "k8s/secret.yaml".into(),
                "github-pat".into(),
                8,
                17,
                pat.clone(),
                b64.clone()
            ),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>(),
        "the vendor rule, not a generic one, at the encoded value's place"
    );
    // The fingerprint is the decoded secret's: the same key written plainly elsewhere has the same hash.
    let fp = |v: &serde_json::Value, rule: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule_id"] == rule)
            .unwrap()["fingerprint"]
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .to_string()
    };
    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "k8s/secret.yaml", format!("token: {pat}\n"));
    let p = run_in(plain.path(), &["scan", ".", "-f", "json"]);
    assert_eq!(fp(&r.json(), "github-pat"), fp(&p.json(), "github-pat"));
    // Redacted by default, like any secret: neither the key nor its encoded form is printed.
    let text = run_in(tmp.path(), &["scan", "."]);
    assert!(
        text.stdout.contains("decoded from: base64"),
        "{}",
        text.stdout
    );
    assert!(!text.all().contains(&pat[8..]), "{}", text.all());
    assert!(
        !text.all().contains(&STANDARD.encode(&pat)[8..]),
        "{}",
        text.all()
    );
    // SARIF carries the decodings.
    let sarif = tmp.path().join("out.sarif");
    run_in(
        tmp.path(),
        &["scan", ".", "-f", "sarif", "-o", sarif.to_str().unwrap()],
    );
    validate_sarif(&sarif);
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(
        s["runs"][0]["results"][0]["properties"]["decoded"][0],
        "base64"
    );
}

#[test]
fn percent_encoded_json_escaped_and_hex_values_are_found() {
    let mut fake = Fake::new(4243);
    let (a, b, c) = (fake.github_pat(), fake.github_pat(), fake.slack_bot());
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "fixtures/recorded.http",
        format!(
            "POST /login/oauth/callback?state=q1&payload=token%3D{a}%26scope%3Drepo HTTP/1.1\n"
        ),
    );
    let escaped: String = b
        .chars()
        .enumerate()
        .map(|(i, ch)| {
            if i % 4 == 0 {
                format!("\\u{:04x}", ch as u32)
            } else {
                ch.to_string()
            }
        })
        .collect();
    write(
        tmp.path(),
        "dump.json",
        format!("{{\"auth\": \"{escaped}\"}}\n"),
    );
    let hex: String = format!("SLACK_TOKEN={c}")
        .bytes()
        .map(|x| format!("{x:02x}"))
        .collect();
    write(tmp.path(), "blob.txt", format!("payload {hex}\n"));
    let r = run_in(tmp.path(), &["scan", ".", "-f", "json", "--show-secrets"]);
    let got = findings(&r.json());
    let find = |path: &str| got.iter().find(|f| f.0 == path).cloned();
    let http = find("fixtures/recorded.http").expect("percent-encoded token");
    assert_eq!(
        (http.1.as_str(), http.4.as_str()),
        ("github-pat", a.as_str())
    );
    assert_eq!(http.5, vec!["percent"]);
    let json = find("dump.json").expect("JSON-escaped token");
    assert_eq!(
        (json.1.as_str(), json.4.as_str()),
        ("github-pat", b.as_str())
    );
    assert_eq!(json.5, vec!["json-escape"]);
    let blob = find("blob.txt").expect("hex-encoded token");
    assert_eq!(
        (blob.1.as_str(), blob.4.as_str()),
        ("slack-bot-token", c.as_str())
    );
    assert_eq!(blob.5, vec!["hex"]);
}

#[test]
fn nested_encodings_are_followed_and_plain_secrets_are_not_doubled() {
    let mut fake = Fake::new(4244);
    let (inner, plain) = (fake.github_pat(), fake.github_pat());
    let tmp = tempfile::tempdir().unwrap();
    // base64 of a line holding a percent-encoded token: two decodings deep.
    let twice = STANDARD.encode(format!(
        "redirect=https%3A%2F%2Fapi.test%2F%3Ftoken%3D{inner}"
    ));
    write(tmp.path(), "a.yaml", format!("blob: {twice}\n"));
    // A plain token inside a JSON string with escapes: found once, as it is.
    write(
        tmp.path(),
        "b.json",
        format!("{{\"x\": \"line one\\/two\\nGITHUB_TOKEN={plain}\\n\"}}\n"),
    );
    let r = run_in(tmp.path(), &["scan", ".", "-f", "json", "--show-secrets"]);
    let got = findings(&r.json());
    let a: Vec<_> = got.iter().filter(|f| f.0 == "a.yaml").collect();
    assert_eq!(a.len(), 1, "{got:?}");
    assert_eq!(a[0].4, inner);
    assert_eq!(a[0].5, vec!["base64", "percent"]);
    let b: Vec<_> = got
        .iter()
        .filter(|f| f.0 == "b.json" && f.1 == "github-pat")
        .collect();
    assert_eq!(b.len(), 1, "{got:?}");
    assert!(b[0].5.is_empty(), "{b:?}");
}

#[test]
fn digests_identifiers_and_binary_blobs_stay_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(4245);
    // Bytes of no text: a digest, a PNG.
    let mut x: u64 = 0x2545F4914F6CDD1D;
    let random: Vec<u8> = (0..600)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let lock = format!(
        "\"integrity\": \"sha512-{}\",\nchecksum = \"{}\"\nfn aVeryLongCamelCaseFunctionNameForTesting() {{}}\nimage: data:image/png;base64,{}\n",
        STANDARD.encode(&random[..64]),
        fake.hex(64),
        STANDARD.encode(&random)
    );
    write(tmp.path(), "package-lock.json", &lock);
    let r = run_in(tmp.path(), &["scan", ".", "-f", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn history_remediation_replaces_the_encoded_text() {
    let repo = crate::gitrepo::Repo::new();
    let pat = Fake::new(4246).github_pat();
    let enc = STANDARD.encode(&pat);
    repo.write("secret.yaml", format!("data:\n  GITHUB_TOKEN: {enc}\n"));
    repo.commit_all("add secret");
    let rem = repo.root.join("..").join("remediation.txt");
    let r = repo.leakguard(&[
        "history",
        "-f",
        "json",
        "--remediation",
        rem.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.all());
    let text = std::fs::read_to_string(&rem).unwrap();
    assert!(text.contains(&format!("literal:{enc}==>")), "{text}");
}
