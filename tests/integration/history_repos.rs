//! Repositories that real CI produces, read rather than refused: partial clones (blobs fetched from
//! the promisor remote in one request, or skipped and named with `--no-fetch`), repositories with
//! grafts. Real git, fake secrets generated per test.

use crate::common::*;
use crate::history::Repo;
use crate::history_audit::{audit, pairs};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// A source repository with three versions of a token and a `.env`, served over `file://` with
/// filters allowed, and a `--filter=blob:none` clone of it (no checkout: every blob is missing).
fn partial_clone() -> (Repo, Vec<(String, String)>, std::path::PathBuf) {
    let src = Repo::new();
    let mut fake = Fake::new(1201);
    let mut want = Vec::new();
    for i in 0..3 {
        let pat = fake.github_pat();
        src.write("app.cfg", format!("v = {i}\ntoken = {pat}\n"));
        want.push((pat, src.commit(&format!("v{i}"))));
    }
    src.write(".env", "A=1\n");
    src.commit("env");
    src.git(&["config", "uploadpack.allowFilter", "true"]);
    src.git(&["config", "uploadpack.allowAnySHA1InWant", "true"]);
    let url = format!("file://{}", src.root.display());
    let clone = src.tmp().join("clone");
    src.git_in(
        src.tmp(),
        &[
            "clone",
            "-q",
            "--bare",
            "--filter=blob:none",
            &url,
            clone.to_str().unwrap(),
        ],
    );
    (src, want, clone)
}

fn missing_objects(repo: &Repo, dir: &Path) -> usize {
    repo.git_in(dir, &["rev-list", "--objects", "--all", "--missing=print"])
        .lines()
        .filter(|l| l.starts_with('?'))
        .count()
}

/// `leakguard history` on `dir` with git tracing to `trace`: which git processes ran.
fn scan_traced(repo: &Repo, dir: &Path, trace: &Path, extra: &[&str]) -> Run {
    let mut c = Command::new(bin());
    c.args([
        "history",
        dir.to_str().unwrap(),
        "--show-secrets",
        "--format",
        "json",
    ])
    .arg("--config")
    .arg(&repo.config)
    .args(extra)
    .current_dir(repo.tmp())
    .env("GIT_CONFIG_NOSYSTEM", "1")
    .env("GIT_CONFIG_GLOBAL", "/dev/null")
    .env("HOME", repo.tmp())
    .env("GIT_TRACE", trace)
    .env_remove("LEAKGUARD_CONFIG")
    .env_remove("GIT_DIR");
    run_of(c.output().unwrap())
}

#[test]
fn a_partial_clone_is_read_whole_fetching_missing_blobs_in_one_request() {
    let (src, want, clone) = partial_clone();
    assert_eq!(
        missing_objects(&src, &clone),
        4,
        "the clone lacks every blob"
    );
    let trace = src.tmp().join("trace");
    let r = scan_traced(&src, &clone, &trace, &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v = r.json();
    let got = pairs(&v);
    let mut expected: BTreeSet<(String, String)> = want.iter().cloned().collect();
    // The .env path rule has no secret text.
    let env_commit = src.git(&["rev-parse", "HEAD"]);
    expected.insert((String::new(), env_commit));
    assert_eq!(got, expected);
    assert_eq!(v["stats"]["skipped"], 0, "{:#}", v["stats"]);
    assert!(
        v["stats"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("partial clone: 4 blobs"),
        "{:#}",
        v["stats"]
    );
    assert_eq!(missing_objects(&src, &clone), 0, "fetched into the clone");
    // One fetch, one upload-pack on the server: not one round per object.
    let log = std::fs::read_to_string(&trace).unwrap();
    let fetches = log
        .lines()
        .filter(|l| l.contains("built-in: git fetch"))
        .count();
    let uploads = log
        .lines()
        .filter(|l| l.contains("built-in: git upload-pack"))
        .count();
    assert_eq!((fetches, uploads), (1, 1), "{log}");
}

#[test]
fn no_fetch_skips_and_names_the_missing_blobs() {
    let (src, want, clone) = partial_clone();
    let trace = src.tmp().join("trace");
    let r = scan_traced(&src, &clone, &trace, &["--no-fetch"]);
    // The .env path rule still fires: it needs no content.
    assert_eq!(r.code, 1, "{}", r.all());
    let v = r.json();
    let fs = v["findings"].as_array().unwrap();
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["path"], ".env");
    let stats = &v["stats"];
    assert_eq!(
        stats["skipped_by_reason"]["missing-promisor-object"], 4,
        "{stats:#}"
    );
    let items = stats["skipped_items"].as_array().unwrap();
    let paths: BTreeSet<&str> = items.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, BTreeSet::from([".env", "app.cfg"]));
    assert!(items
        .iter()
        .all(|i| i["detail"].as_str().unwrap().starts_with("blob ")));
    let note = stats["notes"][0].as_str().unwrap();
    assert!(
        note.contains("--no-fetch") && note.contains("not scanned"),
        "{note}"
    );
    assert_eq!(missing_objects(&src, &clone), 4, "nothing fetched");
    let log = std::fs::read_to_string(&trace).unwrap_or_default();
    assert!(!log.contains("built-in: git fetch"), "{log}");
    for (pat, _) in &want {
        assert!(!r.stdout.contains(pat.as_str()));
    }
}

#[test]
fn a_partial_clone_whose_remote_is_gone_is_skipped_with_a_note_not_refused() {
    let (src, _, clone) = partial_clone();
    std::fs::rename(&src.root, src.tmp().join("moved")).unwrap();
    let trace = src.tmp().join("trace");
    let r = scan_traced(&src, &clone, &trace, &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v = r.json();
    assert_eq!(
        v["stats"]["skipped_by_reason"]["missing-promisor-object"],
        4
    );
    let note = v["stats"]["notes"][0].as_str().unwrap();
    assert!(note.contains("git fetch from origin failed"), "{note}");
}

#[test]
fn grafts_get_a_note_and_all_objects_scans_behind_them() {
    let repo = Repo::new();
    let pat = Fake::new(1202).github_pat();
    repo.write("app.cfg", format!("token = {pat}\n"));
    let old = repo.commit("old");
    repo.write("app.cfg", "token = none\n");
    repo.commit("cleaned");
    repo.write("README.md", "# app\n");
    let head = repo.commit("readme");
    // Graft HEAD onto nothing: the two commits before it disappear from the walk.
    std::fs::write(repo.root.join(".git/info/grafts"), format!("{head}\n")).unwrap();
    let v = audit(&repo, &[]);
    let note = v["stats"]["notes"].as_array().unwrap();
    assert!(
        note.iter().any(|n| n.as_str().unwrap().contains("grafts")
            && n.as_str().unwrap().contains("--all-objects")),
        "{note:?}"
    );
    let all = audit(&repo, &["--all-objects"]);
    assert!(
        pairs(&all).contains(&(pat.clone(), old.clone())),
        "{:#}",
        all["findings"]
    );
}
