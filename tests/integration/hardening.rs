//! Bad and extreme input for the working-tree scan: each case is a clean exit with the skip counted,
//! or exit 2 with a one-line message — never a panic, a hang or silence.

use crate::common::*;
use std::os::unix::ffi::OsStrExt;

#[test]
fn fifos_are_skipped_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    write(dir.path(), "ok.txt", "hello\n");
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["stats"]["skipped_by_reason"]["not a regular file"], 1);
    assert_eq!(v["stats"]["skipped_items"][0]["path"], "pipe");
}

#[test]
fn paths_with_spaces_and_non_utf8_bytes_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(21);
    write(
        dir.path(),
        "my docs/notes file.txt",
        format!("token = {}\n", fake.github_pat()),
    );
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(
        dir.path().join(odd),
        format!("token = {}\n", fake.github_pat()),
    )
    .unwrap();
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let paths = finding_paths(&v);
    assert!(
        paths.contains(&"my docs/notes file.txt".to_string()),
        "{paths:?}"
    );
    assert!(paths.contains(&"caf\u{FFFD}.txt".to_string()), "{paths:?}");
}

#[test]
fn empty_files_and_empty_dirs_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.txt", "");
    std::fs::create_dir_all(dir.path().join("nothing/here")).unwrap();
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["stats"]["scanned"], 1);
}

#[test]
fn a_file_root_is_scanned_and_reported_by_its_given_path() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sub/one.env.txt",
        format!("x={}\n", Fake::new(22).github_pat()),
    );
    let r = run_in(dir.path(), &["scan", "sub/one.env.txt", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["findings"][0]["path"], "sub/one.env.txt");
}

#[test]
fn max_file_size_skips_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "big.txt",
        format!("{}\nx={}\n", "a".repeat(10_000), Fake::new(23).github_pat()),
    );
    let r = run_in(
        dir.path(),
        &["scan", "--max-file-size", "1000", "--format", "json"],
    );
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["stats"]["skipped_by_reason"]["too large"], 1);
}

#[test]
fn unknown_flags_are_usage_errors_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["scan", "--no-such-flag"]);
    assert_eq!(r.code, 2);
    let r = run_in(dir.path(), &["scan", "--format", "yaml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn unwritable_output_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", "nothing\n");
    let r = run_in(
        dir.path(),
        &["scan", "a.txt", "--output", "no/such/dir/report.json"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("report.json"), "{}", r.stderr);
}

/// Every output format, to stdout and to a file: the raw secret appears nowhere unless --show-secrets.
#[test]
fn secrets_never_leak_in_any_format_without_show_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(24);
    let secrets = [
        fake.github_pat(),
        fake.aws_key_id(),
        fake.openai_project(),
        fake.slack_bot(),
    ];
    write(
        dir.path(),
        "app/config.py",
        format!(
            "GITHUB_TOKEN = \"{}\"\nAWS_ACCESS_KEY_ID = \"{}\"\nOPENAI_API_KEY = \"{}\"\nSLACK_BOT_TOKEN = \"{}\"\n",
            secrets[0], secrets[1], secrets[2], secrets[3]
        ),
    );
    for format in ["text", "json", "sarif", "junit", "github"] {
        for verbose in [false, true] {
            let mut args = vec!["scan", ".", "--format", format, "--color", "always"];
            if verbose {
                args.push("--verbose");
            }
            let r = run_in(dir.path(), &args);
            assert_eq!(r.code, 1, "{format}: {}", r.stderr);
            for s in &secrets {
                assert!(!r.stdout.contains(s.as_str()), "{format}: secret in stdout");
                assert!(!r.stderr.contains(s.as_str()), "{format}: secret in stderr");
                // Not even the part after the shown prefix, in case of a different cut.
                assert!(
                    !r.stdout.contains(&s[8..]),
                    "{format}: secret tail in stdout"
                );
            }
        }
        let out = dir.path().join(format!("report.{format}"));
        let r = run_in(
            dir.path(),
            &[
                "scan",
                "app",
                "--format",
                format,
                "--output",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 1);
        let written = std::fs::read_to_string(&out).unwrap();
        for s in &secrets {
            assert!(
                !written.contains(s.as_str()) && !r.stderr.contains(s.as_str()),
                "{format}: secret in report file"
            );
        }
        let r = run_in(
            dir.path(),
            &["scan", "app", "--format", format, "--show-secrets"],
        );
        assert!(
            secrets.iter().all(|s| r.stdout.contains(s.as_str())),
            "{format}: --show-secrets shows every secret"
        );
    }
}

#[test]
fn binary_key_files_are_still_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "certs/client.p12",
        b"\x30\x82\x0a\x00\x02\x01\x03\x00binary",
    );
    write(dir.path(), "certs/readme.bin", b"\x00\x01 not a key");
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v = r.json();
    let found = finding_paths(&v);
    assert_eq!(found, vec!["certs/client.p12".to_string()]);
    // Binary content is read as its strings (src/source/strings.rs): nothing is skipped.
    assert_eq!(v["stats"]["scanned"], 2, "{}", v["stats"]);
    assert_eq!(v["stats"]["skipped"], 0, "{}", v["stats"]);
}
