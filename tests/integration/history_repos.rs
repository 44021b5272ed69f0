//! Repositories that real CI produces, read rather than refused: partial clones (blobs fetched from
//! the promisor remote in one request, or skipped and named with `--no-fetch`), repositories with
//! grafts. Real git, fake secrets generated per test.

use crate::common::*;
use crate::history::Repo;
use crate::history_audit::{audit, pairs};
use std::collections::BTreeSet;
use std::path::Path;

/// Serves `src` over `file://` with filters allowed and makes a bare `--filter=FILTER` clone of it
/// beside it, at `<tmp>/NAME`.
fn filtered_clone(src: &Repo, filter: &str, name: &str) -> std::path::PathBuf {
    src.git(&["config", "uploadpack.allowFilter", "true"]);
    src.git(&["config", "uploadpack.allowAnySHA1InWant", "true"]);
    let url = format!("file://{}", src.root.display());
    let clone = src.tmp().join(name);
    src.git_in(
        src.tmp(),
        &[
            "clone",
            "-q",
            "--bare",
            &format!("--filter={filter}"),
            &url,
            clone.to_str().unwrap(),
        ],
    );
    clone
}

/// A source repository with three versions of a token and a `.env`, served over `file://` with
/// filters allowed, and a `--filter=blob:none` clone of it (no checkout: every blob is missing).
fn partial_clone() -> (Repo, Vec<(String, String)>, std::path::PathBuf) {
    let src = Repo::new();
    let mut fake = Fake::new(1201);
    let mut want = Vec::new();
    for i in 0..3 {
        let pat = fake.github_pat();
        src.write("app.cfg", format!("v = {i}\ntoken = {pat}\n"));
        want.push((pat, src.commit_all(&format!("v{i}"))));
    }
    src.write(".env", "A=1\n");
    src.commit_all("env");
    let clone = filtered_clone(&src, "blob:none", "clone");
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
    let mut args = vec!["--show-secrets", "--format", "json"];
    args.extend_from_slice(extra);
    repo.history_env(dir, &args, &[("GIT_TRACE", trace.as_os_str())])
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
    let old = repo.commit_all("old");
    repo.write("app.cfg", "token = none\n");
    repo.commit_all("cleaned");
    repo.write("README.md", "# app\n");
    let head = repo.commit_all("readme");
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

/// A history with the cases an audit must get right (rotation in place, two branches at one line,
/// two stashes, a re-add, two paths, a merge that adds its own line, a deleted `.env`), the same
/// in any object format. Returns the (secret, commit subject) pairs it must report.
fn story(repo: &Repo) -> BTreeSet<(String, String)> {
    let mut fake = Fake::new(1203);
    let mut want = BTreeSet::new();
    let mut add = |s: &str, subject: &str| want.insert((s.to_string(), subject.to_string()));
    repo.write("README.md", "# app\n");
    repo.commit_all("initial");
    let keys: Vec<String> = (0..3).map(|_| fake.aws_key_id()).collect();
    for (i, k) in keys.iter().enumerate() {
        repo.write(
            "config.ini",
            format!("[default]\naws_access_key_id = {k}\n"),
        );
        repo.commit_all(&format!("key {i}"));
        add(k, &format!("key {i}"));
    }
    let (a, b, m) = (fake.github_pat(), fake.github_pat(), fake.github_pat());
    repo.git(&["checkout", "-q", "-b", "feature-a"]);
    repo.write("app.cfg", format!("token = {a}\n"));
    repo.commit_all("token a");
    add(&a, "token a");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["checkout", "-q", "-b", "feature-b"]);
    repo.write("app.cfg", format!("token = {b}\n"));
    repo.commit_all("token b");
    add(&b, "token b");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", "feature-a"]);
    repo.write("merged.cfg", format!("token = {m}\n"));
    repo.commit_all("merge with a line of its own");
    add(&m, "merge with a line of its own");
    let re = fake.github_pat();
    repo.write("re.cfg", format!("token = {re}\n"));
    repo.commit_all("re first");
    add(&re, "re first");
    repo.rm("re.cfg");
    repo.commit_all("re removed");
    repo.write("re.cfg", format!("token = {re}\n"));
    repo.write("copy/re.cfg", format!("x\ntoken = {re}\n"));
    repo.commit_all("re again");
    add(&re, "re again"); // at the second path only
    repo.write(".env", "A=1\n");
    repo.commit_all("env");
    add("", "env");
    repo.rm(".env");
    repo.commit_all("env removed");
    let (s1, s2) = (fake.github_pat(), fake.github_pat());
    repo.write("README.md", format!("# app\n{s1}\n"));
    repo.git(&["stash", "-q", "-m", "one"]);
    repo.write("README.md", format!("# app\n{s2}\n"));
    repo.git(&["stash", "-q", "-m", "two"]);
    add(&s1, "On main: one");
    add(&s2, "On main: two");
    want
}

const STORY_CONFIG: &str = r#"
[[rules]]
id = "aws-access-key-id"
description = "AWS access key ID"
regex = '''\b((?:AKIA|ASIA)[A-Z2-7]{16})\b'''
keywords = ["akia", "asia"]

[[rules]]
id = "github-pat"
description = "GitHub personal access token"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ghp_"]

[[rules]]
id = "dotenv-file"
description = "A committed .env file"
path = '''(^|/)\.env$'''
"#;

fn by_subject(v: &serde_json::Value) -> BTreeSet<(String, String)> {
    string_pairs(v, "secret", "commit_subject")
        .into_iter()
        .collect()
}

/// Findings without what differs between object formats (commit ids; fingerprints stay), as a
/// set: the report order breaks ties by commit id.
fn comparable(v: &serde_json::Value) -> BTreeSet<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f["commit"] = serde_json::Value::Null;
            f.to_string()
        })
        .collect()
}

#[test]
fn a_sha256_repository_is_audited_like_a_sha1_one() {
    let sha1 = Repo::with_config(STORY_CONFIG);
    let sha256 = Repo::with_init(STORY_CONFIG, &["init", "-q", "--object-format=sha256"]);
    assert_eq!(sha256.git(&["rev-parse", "--show-object-format"]), "sha256");
    let want = story(&sha1);
    assert_eq!(story(&sha256), want);
    let v1 = audit(&sha1, &[]);
    let v256 = audit(&sha256, &["-j", "2"]);
    assert_eq!(by_subject(&v256), want, "{:#}", v256["findings"]);
    assert_eq!(comparable(&v256), comparable(&v1));
    for f in v256["findings"].as_array().unwrap() {
        assert_eq!(f["commit"].as_str().unwrap().len(), 64, "{f:#}");
    }
    // Each commit as git names it.
    let pairs256 = pairs(&v256);
    let token_a = sha256.git(&["rev-parse", "feature-a"]);
    assert!(pairs256.iter().any(|(_, c)| *c == token_a));
    // A range, a ref, --since and --all-objects go through the same backend.
    let r = audit(&sha256, &["--ref", "feature-b"]);
    assert_eq!(by_subject(&r).len(), 4, "{:#}", r["findings"]);
    let range = audit(&sha256, &["main~3..main"]);
    let r1 = audit(&sha1, &["main~3..main"]);
    assert_eq!(by_subject(&range), by_subject(&r1));
    sha256.git(&["stash", "clear"]);
    sha256.git(&["branch", "-D", "feature-b"]);
    let gone = audit(&sha256, &[]);
    assert_eq!(by_subject(&gone).len(), want.len() - 3);
    let all = audit(&sha256, &["--all-objects"]);
    assert_eq!(by_subject(&all), want, "dangling commits found again");
    // The remediation file has every secret.
    let out = sha256.tmp().join("r.txt");
    let run = sha256.scan(&["--all-objects", "--remediation", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let lines = std::fs::read_to_string(&out).unwrap().lines().count();
    assert_eq!(
        lines,
        want.iter()
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, _)| s)
            .collect::<BTreeSet<_>>()
            .len()
    );
}

#[test]
fn a_sha256_partial_clone_fetches_what_it_lacks() {
    let src = Repo::with_init(STORY_CONFIG, &["init", "-q", "--object-format=sha256"]);
    let want = story(&src);
    let clone = filtered_clone(&src, "blob:none", "clone");
    let trace = src.tmp().join("trace");
    let none = scan_traced(&src, &clone, &trace, &["--no-fetch"]);
    let v = none.json();
    assert!(
        v["stats"]["skipped_by_reason"]["missing-promisor-object"]
            .as_u64()
            .unwrap()
            > 5
    );
    let r = scan_traced(&src, &clone, &trace, &[]);
    let v = r.json();
    assert_eq!(v["stats"]["skipped"], 0, "{:#}", v["stats"]);
    // A bare clone has no stashes: the rest is there.
    let mut expected = want.clone();
    expected.retain(|(_, s)| !s.starts_with("On main"));
    assert_eq!(by_subject(&v), expected);
    let log = std::fs::read_to_string(&trace).unwrap();
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("built-in: git fetch"))
            .count(),
        1,
        "{log}"
    );
}

#[test]
fn a_treeless_partial_clone_is_one_clear_error() {
    let (src, _, _) = partial_clone();
    let clone = filtered_clone(&src, "tree:0", "treeless");
    let r = src.scan_at(&clone, &[]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("tree:0"), "{}", r.stderr);
}
