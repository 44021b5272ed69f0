//! The commit walk runs on several threads (runs of consecutive commits, recorded in walk order):
//! a history of many refs where what a thread finds late must still be attributed exactly, and
//! nothing it finds may be lost, whatever the thread count.

use crate::common::*;
use crate::gitrepo::EPOCH;
use crate::history::Repo;
use crate::history_audit::{audit, pairs};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

const CONFIG: &str = r#"
[[rules]]
id = "github-pat"
description = "GitHub personal access token"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ghp_"]
"#;

/// One commit of a `git fast-import` stream.
fn commit(
    out: &mut String,
    branch: &str,
    from: Option<&str>,
    time: i64,
    subject: &str,
    files: &[(&str, &[u8])],
) {
    writeln!(out, "commit refs/heads/{branch}").unwrap();
    writeln!(out, "committer Dev <dev@example.com> {time} +0000").unwrap();
    writeln!(out, "data {}\n{subject}", subject.len()).unwrap();
    if let Some(from) = from {
        writeln!(out, "from {from}").unwrap();
    }
    for (path, content) in files {
        writeln!(out, "M 100644 inline {path}\ndata {}", content.len()).unwrap();
        out.push_str(std::str::from_utf8(content).unwrap());
        out.push('\n');
    }
}

/// 30 branches of 6 commits (181 commits: many runs of the walk, taken by different threads), each
/// commit adding a token of its own. One token, in one blob, is added at `shared.cfg` on every
/// branch. The last branch's commit adding it has the lowest committer time of all, but its
/// parent is later (a skewed clock): a commit never comes before its own ancestor, so its corrected
/// time follows its parent's and the first commit to add the blob is the first branch's. A binary blob (read as its strings) holding a token is added at
/// `bin/a.dat` on the first branch and at `bin/b.dat` on the last: a finding at each path, each in
/// the commit that added it there.
#[test]
fn a_parallel_walk_loses_no_blob_and_attributes_each_to_its_first_commit() {
    let repo = Repo::with_config(CONFIG);
    let mut fake = Fake::new(1601);
    let shared = format!("token = {}\n", fake.github_pat());
    let mut stream = String::new();
    commit(
        &mut stream,
        "main",
        None,
        EPOCH,
        "root",
        &[("README.md", b"# app\n")],
    );
    stream.push_str("reset refs/heads/root\nfrom refs/heads/main\n\n");
    // subject -> token it adds
    let mut added: BTreeMap<String, String> = BTreeMap::new();
    let bin_token = fake.github_pat();
    let binary = format!("\x00\x01binary\x00token = {bin_token}\x00").into_bytes();
    let branches = 30;
    for b in 0..branches {
        let branch = format!("b{b:02}");
        for i in 0..6 {
            let subject = format!("{branch} c{i}");
            let token = fake.github_pat();
            let path = format!("{branch}/c{i}.cfg");
            let content = format!("key = {token}\n");
            let mut files: Vec<(&str, &[u8])> = vec![(&path, content.as_bytes())];
            if i == 2 {
                files.push(("shared.cfg", shared.as_bytes()));
            }
            if b == 0 && i == 0 {
                files.push(("bin/a.dat", &binary));
            }
            if b == branches - 1 && i == 5 {
                files.push(("bin/b.dat", &binary));
            }
            // Times rise along each branch; the last branch's commit adding shared.cfg says it is
            // the oldest of all, although its parents are not.
            let mut time = EPOCH + 3600 * (1 + b as i64 * 10 + i as i64);
            if b == branches - 1 && i == 2 {
                time = EPOCH + 60;
            }
            let from = (i == 0).then_some("refs/heads/root");
            commit(&mut stream, &branch, from, time, &subject, &files);
            added.insert(subject, token);
        }
    }
    repo.git_input(&["fast-import", "--quiet"], stream.as_bytes());
    repo.git(&["checkout", "-q", "main"]);

    let log = repo.git(&["log", "--all", "--format=%H %s"]);
    let sha_of: BTreeMap<&str, &str> = log
        .lines()
        .map(|l| l.split_once(' ').map(|(h, s)| (s, h)).unwrap())
        .collect();
    let mut want: BTreeSet<(String, String)> = added
        .iter()
        .map(|(subject, token)| (token.clone(), sha_of[subject.as_str()].to_string()))
        .collect();
    // One finding per path the blob is added at, each in the commit that added it there.
    let (bin_first, bin_last) = (
        sha_of["b00 c0"],
        sha_of[format!("b{:02} c5", branches - 1).as_str()],
    );
    want.insert((bin_token.clone(), bin_first.to_string()));
    want.insert((bin_token.clone(), bin_last.to_string()));
    let first_shared = sha_of["b00 c2"];
    want.insert((
        shared.trim_start_matches("token = ").trim().to_string(),
        first_shared.to_string(),
    ));

    let mut reports = BTreeSet::new();
    for j in ["1", "2", "4", "4"] {
        let v = audit(&repo, &["-j", j]);
        assert_eq!(pairs(&v), want, "-j {j}");
        let in_binary: BTreeSet<(String, String)> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["secret"] == bin_token.as_str())
            .map(|f| (f["path"].to_string(), f["commit"].to_string()))
            .collect();
        let at = |p: &str, c: &str| (format!("\"{p}\""), format!("\"{c}\""));
        assert_eq!(
            in_binary,
            BTreeSet::from([at("bin/a.dat", bin_first), at("bin/b.dat", bin_last)]),
            "-j {j}"
        );
        let mut v: Value = v;
        v["stats"]["duration_ms"] = Value::from(0);
        reports.insert(v.to_string());
    }
    assert_eq!(reports.len(), 1, "reports differ between thread counts");
}

/// The pack reader reads the commits, refs and tips' trees of a packed repository; libgit2 those of
/// a loose one. The same repository, loose then repacked, gives the same report: which commit adds
/// each secret, and which branch and tag tips (annotated tags, nested paths, tags on a tree or a
/// blob, a branch that removed the secret) still hold it.
#[test]
fn a_packed_repository_reports_as_its_loose_self() {
    let repo = Repo::with_config(CONFIG);
    let mut fake = Fake::new(1789);
    let (kept, removed) = (fake.github_pat(), fake.github_pat());
    repo.write("deep/er/still.cfg", format!("key = {kept}\n"));
    repo.write("gone.cfg", format!("key = {removed}\n"));
    repo.commit_all("add both");
    repo.git(&["tag", "-a", "-m", "release", "v1"]);
    repo.git(&["tag", "-a", "-m", "again", "v1-again", "v1"]);
    repo.git(&["tag", "tree-tag", "HEAD^{tree}"]);
    let blob = repo.git(&["rev-parse", "HEAD:gone.cfg"]);
    repo.git(&["tag", "blob-tag", blob.trim()]);
    repo.git(&["branch", "keeps-both"]);
    repo.rm("gone.cfg");
    repo.write("deep/other.txt", "x\n");
    repo.commit_all("remove one");
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    repo.write("side.txt", "side\n");
    repo.commit_all("side work");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-edit", "side"]);

    let report = |j: &str| {
        let mut v = audit(&repo, &["-j", j]);
        v["stats"]["duration_ms"] = Value::from(0);
        v
    };
    let loose = report("1");
    let refs_of = |v: &Value, secret: &str| -> Vec<String> {
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["secret"] == secret && f["commit"].is_string())
            .unwrap_or_else(|| panic!("no finding for a secret: {v:#}"));
        f["present_at_refs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        refs_of(&loose, &kept),
        ["keeps-both", "main", "side", "tree-tag", "v1", "v1-again"]
    );
    assert_eq!(
        refs_of(&loose, &removed),
        ["keeps-both", "side", "tree-tag", "v1", "v1-again"]
    );
    // Packed, with no commit-graph file (where libgit2 would choose the commits).
    repo.git(&["repack", "-a", "-d", "-q"]);
    repo.git(&["prune-packed"]);
    assert!(!repo.root.join(".git/objects/info/commit-graph").exists());
    for j in ["1", "2"] {
        assert_eq!(report(j), loose, "-j {j}, packed");
    }
}
