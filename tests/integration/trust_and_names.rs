//! What a finding says and what silences one (issue 17, shapes5): a URL query's secret ends at
//! the next parameter; a documentation page's example wording, which the committed file itself
//! carries, lowers a generic finding to severity low, is counted where it silences the weak tier's
//! and never touches a format key; a
//! 40-character value under a bare `secret_key` is named AWS only with AWS beside it; a vendor's
//! plain name under `secrets:` is found; UTF-16 files are read in the tree, staged and history.

use crate::common::*;
use crate::gitrepo::{findings, Repo};

fn scan_json(d: &std::path::Path) -> serde_json::Value {
    let r = run_in(
        d,
        &["scan", ".", "--no-ignore", "-f", "json", "--show-secrets"],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    r.json()
}

#[test]
fn a_query_parameters_secret_ends_at_the_next_parameter() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut f = Fake::new(0x7175_6572);
    let v = format!("{}7", f.alnum(27));
    let files = [
        format!("url = \"https://api.example.net/v1/items?api_key={v}&limit=10\"\n"),
        format!("url = 'https://api.example.net/v1/items?api_key={v}&limit=10'\n"),
        format!("curl \"https://api.example.net/v1/items?token={v}&format=json\"\n"),
        format!("https://api.example.net/v1/items?access_token={v}&x.y=1\n"),
        format!("requests.get(\"https://h.example/x?secret={v}&a=b\", timeout=3)\n"),
        format!("  - \"https://h.example/x?api_key={v}&a-b=c\"\n"),
        format!("\"https://h.example/x?api_key={v}&a_b=c\",\n"),
    ];
    for (i, t) in files.iter().enumerate() {
        write(d, &format!("q{i}.txt"), t);
    }
    // A `&` inside a password is no parameter's start.
    let password = format!("p&ssw0rd{}", f.alnum(16));
    write(
        d,
        "compose.yml",
        format!("environment:\n  - \"DB_PASSWORD={password}\"\n"),
    );
    let by_path = rule_secrets_by_path(&scan_json(d));
    for (i, file) in files.iter().enumerate() {
        let got = by_path
            .get(&format!("q{i}.txt"))
            .cloned()
            .unwrap_or_default();
        assert!(
            !got.is_empty() && got.iter().all(|(_, s)| *s == v),
            "{file}: {got:?}"
        );
    }
    let got = &by_path["compose.yml"];
    assert!(got.iter().any(|(_, s)| *s == password), "{got:?}");
}

#[test]
fn a_pages_example_wording_is_counted_and_never_silences_a_format_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut f = Fake::new(0x7361_6d70);
    let token = format!("{}9", f.alnum(31));
    let pat = f.github_pat();
    // A weak password, put together at run time (the repository scans itself clean).
    let weak = ["tan", "ager9"].concat();
    write(
        d,
        "samples/aws_multi.md",
        format!(
            "Test sample for the credentials rule\n```json\n{{\n    \"Token\" : \"{token}\",\n    \"GithubToken\" : \"{pat}\",\n    \"Password\" : \"{weak}\"\n}}\n```\n"
        ),
    );
    let r = run_in(
        d,
        &["scan", ".", "--no-ignore", "-f", "json", "--show-secrets"],
    );
    let v = r.json();
    let found = rule_secrets_by_path(&v);
    let got = &found["samples/aws_multi.md"];
    assert!(
        got.iter().any(|(id, s)| id == "github-pat" && *s == pat),
        "{got:?}"
    );
    // The generic finding is reported at low, tagged; the format key keeps its severity.
    let severity_of = |secret: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["secret"] == secret)
            .map(|f| {
                let tagged = f["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t == "documentation-example");
                (f["severity"].as_str().unwrap().to_string(), tagged)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        severity_of(&token),
        vec![("low".to_string(), true)],
        "{got:?}"
    );
    assert_eq!(
        severity_of(&pat),
        vec![("high".to_string(), false)],
        "{got:?}"
    );
    assert!(!got.iter().any(|(_, s)| *s == weak), "{got:?}");
    // The weak password the page's wording silenced is counted, with where (once per weak rule
    // that read it).
    let suppressed = v["stats"]["suppressed"].as_array().unwrap();
    assert!(
        suppressed.iter().any(|s| s["kind"] == "doc-example"
            && s["source"] == "samples/aws_multi.md:6"
            && s["count"].as_u64() >= Some(1)),
        "{suppressed:?}"
    );
    let text = run_in(d, &["scan", ".", "--no-ignore"]);
    assert!(
        text.all()
            .contains("by documentation example (samples/aws_multi.md:6)"),
        "{}",
        text.all()
    );
}

#[test]
fn a_bare_secret_key_of_forty_characters_is_aws_only_beside_aws() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut f = Fake::new(0x6177_7321);
    // AWS's alphabet, `/` and `+` included, so that only the name tells the two apart.
    let aws_like = |f: &mut Fake| format!("{}/{}+{}", f.alnum(12), f.alnum(13), f.alnum(13));
    let (flask, django, ini, tf, boto) = (
        aws_like(&mut f),
        aws_like(&mut f),
        aws_like(&mut f),
        aws_like(&mut f),
        aws_like(&mut f),
    );
    write(d, "app.py", format!("app.secret_key = '{flask}'\n"));
    write(d, "web/settings.py", format!("SECRET_KEY = \"{django}\"\n"));
    write(d, "conf/app.ini", format!("[app]\nsecret_key = {ini}\n"));
    write(
        d,
        "infra/main.tf",
        format!("provider \"aws\" {{\n  region     = \"eu-west-1\"\n  secret_key = \"{tf}\"\n}}\n"),
    );
    write(
        d,
        "jobs/s3.py",
        format!("s3 = boto3.client(\"s3\", aws_secret_access_key=\"{boto}\")\n"),
    );
    let by_path = rule_secrets_by_path(&scan_json(d));
    for (path, value) in [
        ("app.py", &flask),
        ("web/settings.py", &django),
        ("conf/app.ini", &ini),
    ] {
        let got = by_path.get(path).cloned().unwrap_or_default();
        assert!(got.iter().any(|(_, s)| s == value), "{path}: {got:?}");
        assert!(
            !got.iter().any(|(id, _)| id == "aws-secret-access-key"),
            "{path}: no AWS beside it: {got:?}"
        );
    }
    for (path, value) in [("infra/main.tf", &tf), ("jobs/s3.py", &boto)] {
        let got = by_path.get(path).cloned().unwrap_or_default();
        assert!(
            got.iter()
                .any(|(id, s)| id == "aws-secret-access-key" && s == value),
            "{path}: {got:?}"
        );
    }
}

#[test]
fn a_vendors_plain_name_under_secrets_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut f = Fake::new(0x7365_6372);
    let aws = format!("{}/{}", f.alnum(20), f.alnum(19));
    let session = f.alnum(48);
    write(
        d,
        "config/secrets.yml",
        format!("secrets:\n  aws: {aws}\n  session: {session}\n"),
    );
    // A parent of no kind names nothing: its children are settings.
    write(
        d,
        "config/app.yml",
        format!("app:\n  aws: {aws}\n  session: {session}\n"),
    );
    let by_path = rule_secrets_by_path(&scan_json(d));
    let got = by_path
        .get("config/secrets.yml")
        .cloned()
        .unwrap_or_default();
    assert!(
        got.iter()
            .any(|(id, s)| id == "aws-secret-access-key" && *s == aws),
        "{got:?}"
    );
    assert!(got.iter().any(|(_, s)| *s == session), "{got:?}");
    assert!(!by_path.contains_key("config/app.yml"), "{by_path:?}");
}

#[test]
fn utf16_files_are_read_in_the_tree_staged_and_history() {
    let mut f = Fake::new(0x7574_6631);
    let (p1, p2) = (f.github_pat(), f.github_pat());
    let r = Repo::new();
    r.write(
        "settings.reg",
        utf16(
            &format!("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Acme]\r\n\"Token\"=\"{p1}\"\r\n"),
            true,
        ),
    );
    r.write(
        "deploy.ps1",
        utf16(
            &format!("# deploy\r\n$env:GITHUB_TOKEN = \"{p2}\"\r\n"),
            false,
        ),
    );
    let expect = vec![
        ("github-pat".to_string(), "deploy.ps1".to_string(), 2u64),
        ("github-pat".to_string(), "settings.reg".to_string(), 4u64),
    ];
    let lines = |run: &Run| {
        let mut v = findings(&run.json());
        v.sort();
        v
    };
    let scan = r.leakguard(&["scan", ".", "--no-ignore", "-f", "json"]);
    assert_eq!(lines(&scan), expect, "{}", scan.all());
    r.add(&["."]);
    let staged = r.leakguard(&["staged", "-f", "json"]);
    assert_eq!(lines(&staged), expect, "{}", staged.all());
    r.commit_all("windows files");
    let history = r.leakguard(&["history", ".", "-f", "json"]);
    assert_eq!(lines(&history), expect, "{}", history.all());
}
