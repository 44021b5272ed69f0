//! CRLF files are read as LF files are: the same findings, every field, whatever a text's lines
//! end in (the engine's `crlf` reading; docs/engine.md, "Line edges on CRLF; windows by meaning").
//! A rule's `$` holds before a `\n`, and `[^\n]` takes a `\r`: before, generic-key-assignment
//! found nothing on `LLM_KEY=…\r\n`, and a private key's secret held a `\r` per line.

use crate::common::*;
use crate::gitrepo::Repo;
use leakguard::{Engine, RuleSet};
use std::path::Path;

/// `text` with every line ending in `\r\n` (the last one too, when it ends in a newline).
fn crlf(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' && (i == 0 || text[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// What a finding says, but for where its bytes are (byte offsets differ by the `\r`s).
fn said(f: &leakguard::Finding) -> String {
    format!(
        "{} {}:{}-{}:{} {:?} {:?}",
        f.rule_id,
        f.line,
        f.column,
        f.end_line,
        f.end_column,
        f.secret.expose(),
        f.context
    )
}

#[test]
fn every_rule_example_is_found_alike_with_crlf_line_ends() {
    // Every built-in rule's true examples, each ending in a newline, LF and CRLF: each finding
    // (rule, lines, columns, secret, context) the same.
    let e = Engine::new(RuleSet::builtin().expect("built-in rules compile"));
    let (mut failures, mut checked) = (Vec::new(), 0);
    for r in e.rules() {
        let Some(ex) = r.examples() else { continue };
        let path = ex.path.as_deref().unwrap_or("example.txt");
        for text in &ex.positive {
            let lf = format!("{}\n", text.replace("\r\n", "\n"));
            let scan = |data: &[u8]| -> Vec<String> {
                let mut got: Vec<String> = e.scan_file_bytes(data, path).iter().map(said).collect();
                got.sort();
                got
            };
            let (want, got) = (scan(lf.as_bytes()), scan(&crlf(lf.as_bytes())));
            checked += want.len();
            if want != got {
                failures.push(format!("{}: {lf:?}\n  LF   {want:?}\n  CRLF {got:?}", r.id));
            }
        }
    }
    assert!(checked > 1_000, "{checked} findings checked");
    assert!(
        failures.is_empty(),
        "{} examples differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Copies the text files of `from` into `to` with CRLF line ends (other files as they are).
fn copy_crlf(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
            copy_crlf(&src, &dst);
        } else {
            let bytes = std::fs::read(&src).unwrap();
            let text = std::str::from_utf8(&bytes).is_ok() && !bytes.contains(&0);
            std::fs::write(&dst, if text { crlf(&bytes) } else { bytes }).unwrap();
        }
    }
}

/// A JSON report's findings, each as its JSON text, sorted.
fn sorted_findings(v: &serde_json::Value) -> Vec<String> {
    let mut fs: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.to_string())
        .collect();
    fs.sort();
    fs
}

#[test]
fn the_labeled_suites_are_found_alike_with_crlf_line_ends() {
    // fixtures/quality, quality2 and shapes as they are and with CRLF lines: the same report,
    // every field of every finding (before: 10 findings lost or changed, env lists, Dockerfile
    // ENV lines, private keys whose secret held `\r`s).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for suite in ["quality", "quality2", "shapes"] {
        let files = root.join(suite).join("files");
        let dir = tempfile::tempdir().unwrap();
        copy_crlf(&files, dir.path());
        let want = sorted_findings(&scan_dir_json(&files, &[]));
        let got = sorted_findings(&scan_dir_json(dir.path(), &[]));
        assert!(want.len() > 100, "{suite}: {} findings", want.len());
        let lost: Vec<_> = want.iter().filter(|f| !got.contains(f)).collect();
        let new: Vec<_> = got.iter().filter(|f| !want.contains(f)).collect();
        assert!(
            lost.is_empty() && new.is_empty(),
            "{suite}: LF only {lost:#?}\nCRLF only {new:#?}"
        );
    }
}

/// Files whose secrets sit at a line's end or span lines, fake values of the real formats.
fn line_end_files(fake: &mut Fake) -> Vec<(&'static str, String)> {
    let body = fake.base64_lines(12);
    vec![
        (
            "deploy/app.env",
            format!(
                "# service\nLLM_KEY={}\nDB_PASSWORD={}\n",
                fake.alnum(40),
                fake.alnum(24)
            ),
        ),
        (
            "Dockerfile",
            format!(
                "FROM alpine\nENV SESSION_SECRET={}\nENV API_TOKEN {}\n",
                fake.alnum(43),
                fake.hex(32)
            ),
        ),
        (
            "certs/server.key",
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA{}\n{}\n-----END RSA PRIVATE KEY-----\n",
                &body[0][16..],
                body[1..].join("\n")
            ),
        ),
        ("ci/token.txt", format!("token: {}\n", fake.github_pat())),
    ]
}

/// (path, rule, line, column, secret) of every finding of a JSON report, sorted.
fn placed(v: &serde_json::Value) -> Vec<(String, String, u64, u64, String)> {
    sorted_finding_rows(v, |f| {
        let (path, rule) = (f.s("path"), f.s("rule_id"));
        (path, rule, f.n("line"), f.n("column"), f.s("secret"))
    })
}

#[test]
fn a_crlf_file_is_found_alike_staged_and_in_history() {
    // Two repositories with the same commits, one with LF files and one with CRLF files
    // (committed as they are: no autocrlf), each with a second version that adds a line (a
    // history scans a changed file where it changed, `scan_changed`): staged, and in history,
    // the same findings.
    let reports = |line_end: fn(&[u8]) -> Vec<u8>| {
        let repo = Repo::new();
        repo.git(&["config", "core.autocrlf", "false"]);
        let mut fake = Fake::new(2_121);
        let files = line_end_files(&mut fake);
        for (path, text) in &files {
            repo.write(path, line_end(text.as_bytes()));
        }
        repo.git(&["add", "-A"]);
        let staged = repo.leakguard(&["staged", "--format", "json", "--show-secrets"]);
        repo.commit_all("first");
        for (path, text) in &files {
            let more = format!("{text}PASSWORD={}\n", fake.alnum(20));
            repo.write(path, line_end(more.as_bytes()));
        }
        repo.commit_all("second");
        let history = repo.leakguard(&["history", "--format", "json", "--show-secrets"]);
        (placed(&staged.json()), placed(&history.json()))
    };
    let (lf_staged, lf_history) = reports(|t| t.to_vec());
    let (crlf_staged, crlf_history) = reports(crlf);
    assert!(lf_staged.len() >= 6, "{lf_staged:#?}");
    assert!(lf_history.len() > lf_staged.len(), "{lf_history:#?}");
    assert_eq!(crlf_staged, lf_staged);
    assert_eq!(crlf_history, lf_history);
}
