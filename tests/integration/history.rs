//! End-to-end tests of `leakguard history` on real repositories built with the git CLI. Each test
//! writes its own config (a GitHub token rule and a `.env` path rule), so they do not depend on the
//! default rules. Secrets are fake values of the real format, generated per test.

use crate::common::*;
use crate::gitrepo::{self, EPOCH};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The tests' token rule, as a literal so that configs can be put together with `concat!`.
macro_rules! github_pat_rule {
    () => {
        r#"
[[rules]]
id = "github-pat"
description = "GitHub personal access token"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ghp_"]
"#
    };
}

const CONFIG: &str = concat!(
    github_pat_rule!(),
    r#"
[[rules]]
id = "dotenv-file"
description = "A committed .env file"
path = '''(^|/)\.env$'''
"#
);

/// A repository of the shared git helper (isolated environment, fixed identity and clock) with a
/// config file of its own beside the work tree, which every scan names.
pub(crate) struct Repo {
    git: gitrepo::Repo,
    pub(crate) config: PathBuf,
}

/// The helper's methods and fields (`git`, `write`, `commit_all`, `root`, `clock`, ...) on a history repo.
impl std::ops::Deref for Repo {
    type Target = gitrepo::Repo;
    fn deref(&self) -> &gitrepo::Repo {
        &self.git
    }
}

impl Repo {
    pub(crate) fn new() -> Repo {
        Repo::with_config(CONFIG)
    }

    /// A repository whose scans use `config` instead of the tests' default rules.
    pub(crate) fn with_config(config_text: &str) -> Repo {
        Repo::with_init(config_text, &["init", "-q"])
    }

    /// `init`: the `git init` command line that creates the repository (an object format, say).
    pub(crate) fn with_init(config_text: &str, init: &[&str]) -> Repo {
        let git = gitrepo::Repo::with_init(init);
        let config = git.tmp().join("rules.toml");
        std::fs::write(&config, config_text).unwrap();
        Repo { git, config }
    }

    /// `leakguard history` of the repository at `repo` with the test's config (text output unless
    /// `extra` says otherwise), run from outside it.
    pub(crate) fn history_at(&self, repo: &Path, extra: &[&str]) -> Run {
        self.history_env(repo, extra, &[])
    }

    pub(crate) fn history_env(
        &self,
        repo: &Path,
        extra: &[&str],
        vars: &[(&str, &std::ffi::OsStr)],
    ) -> Run {
        let cfg = self.config.to_str().unwrap();
        let mut args = vec!["history", repo.to_str().unwrap(), "--config", cfg];
        args.extend_from_slice(extra);
        self.leakguard_env(self.tmp(), &args, vars)
    }

    /// `leakguard history` with the test's config and JSON output, run from outside the repository.
    pub(crate) fn scan(&self, extra: &[&str]) -> Run {
        self.scan_at(&self.root, extra)
    }

    pub(crate) fn scan_at(&self, repo: &Path, extra: &[&str]) -> Run {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        self.history_at(repo, &args)
    }
}

fn findings(v: &Value) -> Vec<Value> {
    v["findings"].as_array().unwrap().clone()
}

fn by_path<'a>(fs: &'a [Value], path: &str) -> Vec<&'a Value> {
    fs.iter().filter(|f| f["path"] == path).collect()
}

fn assert_no_leak(r: &Run, secret: &str) {
    assert!(!r.stdout.contains(secret), "secret in stdout");
    assert!(!r.stderr.contains(secret), "secret in stderr");
}

#[test]
fn secret_added_then_deleted_is_found_and_attributed_to_the_adding_commit() {
    let repo = Repo::new();
    let pat = Fake::new(101).github_pat();
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    repo.write(
        "config/settings.py",
        format!("import os\n\nGITHUB_TOKEN = \"{pat}\"\n"),
    );
    let added = repo.commit_all("add settings\n\nlong body");
    repo.rm("config/settings.py");
    repo.commit_all("remove settings");

    let r = repo.scan(&[]);
    assert_eq!(r.code, 1, "stderr: {}", r.stderr);
    assert_no_leak(&r, &pat);
    let v = r.json();
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "{fs:#?}");
    let f = &fs[0];
    assert_eq!(f["rule_id"], "github-pat");
    assert_eq!(f["path"], "config/settings.py");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 17);
    assert_eq!(f["commit"], added.as_str(), "full sha of the adding commit");
    assert_eq!(f["author"], "Alice Example");
    assert_eq!(f["email"], "alice@example.com");
    assert_eq!(f["date"], "2023-11-14T23:13:20Z");
    assert_eq!(f["commit_subject"], "add settings");
    assert_eq!(f["present_at_head"], false);
    assert_eq!(f["secret"], "ghp_…");

    // The text report, too, keeps the secret out and ends with the remediation steps in order.
    let t = repo.history_at(&repo.root, &[]);
    assert_eq!(t.code, 1);
    assert_no_leak(&t, &pat);
    let revoke = t.stdout.find("Revoke and rotate").expect("revoke step");
    let rewrite = t.stdout.find("filter-repo").expect("rewrite step");
    let push = t.stdout.find("Force-push").expect("force-push step");
    let reclone = t.stdout.find("re-clone").expect("re-clone step");
    assert!(
        revoke < rewrite && rewrite < push && push < reclone,
        "{}",
        t.stdout
    );
    assert!(t.stdout.contains(&added[..12]));
}

#[test]
fn show_secrets_prints_the_secret() {
    let repo = Repo::new();
    let pat = Fake::new(102).github_pat();
    repo.write("a.txt", format!("t={pat}\n"));
    repo.commit_all("add");
    let r = repo.scan(&["--show-secrets"]);
    assert_eq!(r.code, 1);
    assert_eq!(findings(&r.json())[0]["secret"], pat.as_str());
}

#[test]
fn clean_history_exits_0() {
    let repo = Repo::new();
    repo.write("a.txt", "nothing to see\n");
    repo.commit_all("add");
    let r = repo.scan(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(findings(&r.json()).len(), 0);
}

#[test]
fn a_secret_kept_through_later_edits_is_one_finding_present_at_head() {
    let repo = Repo::new();
    let pat = Fake::new(103).github_pat();
    repo.write("app.env.example", format!("TOKEN={pat}\n"));
    let added = repo.commit_all("add");
    repo.write(
        "app.env.example",
        format!("# header\nTOKEN={pat}\nOTHER=1\n"),
    );
    repo.commit_all("edit, secret kept");
    let r = repo.scan(&[]);
    let fs = findings(&r.json());
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(
        fs[0]["commit"],
        added.as_str(),
        "the oldest introduction wins"
    );
    assert_eq!(fs[0]["line"], 1, "position in the introducing blob");
    assert_eq!(fs[0]["present_at_head"], true);
}

#[test]
fn a_secret_only_on_a_side_branch_is_found() {
    let repo = Repo::new();
    let pat = Fake::new(104).github_pat();
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("feature.js", format!("const token = '{pat}';\n"));
    let side = repo.commit_all("feature work");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README.md", "# demo\n\nmore\n");
    repo.commit_all("main work");

    let r = repo.scan(&[]);
    let fs = findings(&r.json());
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0]["commit"], side.as_str());
    assert_eq!(
        fs[0]["present_at_head"], false,
        "HEAD is main, which never had it"
    );

    // --ref main alone does not reach it; --ref feature does.
    assert_eq!(findings(&repo.scan(&["--ref", "main"]).json()).len(), 0);
    assert_eq!(findings(&repo.scan(&["--ref", "feature"]).json()).len(), 1);
}

#[test]
fn secrets_reachable_only_from_tags_are_found() {
    let repo = Repo::new();
    let mut fake = Fake::new(105);
    let (light, annotated) = (fake.github_pat(), fake.github_pat());
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    repo.git(&["checkout", "-q", "-b", "tmp1"]);
    repo.write("a.txt", format!("{light}\n"));
    let c1 = repo.commit_all("lightweight-tagged");
    repo.git(&["tag", "v-light"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["checkout", "-q", "-b", "tmp2"]);
    repo.write("b.txt", format!("{annotated}\n"));
    let c2 = repo.commit_all("annotated-tagged");
    repo.git(&["tag", "-a", "v-annotated", "-m", "release"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "tmp1", "tmp2"]);

    let fs = findings(&repo.scan(&[]).json());
    assert_eq!(fs.len(), 2, "{fs:#?}");
    assert_eq!(by_path(&fs, "a.txt")[0]["commit"], c1.as_str());
    assert_eq!(by_path(&fs, "b.txt")[0]["commit"], c2.as_str());
}

#[test]
fn an_evil_merge_is_attributed_to_the_merge_commit() {
    let repo = Repo::new();
    let mut fake = Fake::new(106);
    let (evil, from_side) = (fake.github_pat(), fake.github_pat());
    repo.write("app.py", "print('hello')\n");
    repo.commit_all("initial");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("side.py", format!("TOKEN = '{from_side}'\n"));
    let side = repo.commit_all("side work");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.py", "x = 1\n");
    repo.commit_all("main work");
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", "side"]);
    // Content in neither parent, slipped into the merge itself.
    repo.write("app.py", format!("print('hello')\nTOKEN = '{evil}'\n"));
    let merge = repo.commit_all("Merge branch 'side'");
    assert_eq!(
        repo.git(&["rev-list", "--parents", "-n1", "HEAD"])
            .split(' ')
            .count(),
        3,
        "a real merge"
    );

    let fs = findings(&repo.scan(&[]).json());
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let f = by_path(&fs, "app.py")[0];
    assert_eq!(
        f["commit"],
        merge.as_str(),
        "introduced by the merge, in neither parent"
    );
    assert_eq!(f["line"], 2);
    // What the merge only brought over from a parent belongs to the commit that wrote it.
    assert_eq!(by_path(&fs, "side.py")[0]["commit"], side.as_str());
}

#[test]
fn a_renamed_file_is_reported_at_both_paths() {
    let repo = Repo::new();
    let pat = Fake::new(107).github_pat();
    repo.write("old/name.cfg", format!("token={pat}\n"));
    let original = repo.commit_all("add");
    std::fs::create_dir(repo.root.join("new")).unwrap();
    repo.git(&["mv", "old/name.cfg", "new/name.cfg"]);
    let rename = repo.commit_all("rename");

    let fs = findings(&repo.scan(&[]).json());
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let old = by_path(&fs, "old/name.cfg")[0];
    assert_eq!(old["commit"], original.as_str());
    assert_eq!(old["present_at_head"], false);
    let new = by_path(&fs, "new/name.cfg")[0];
    assert_eq!(new["commit"], rename.as_str());
    assert_eq!(
        new["present_at_head"], true,
        "still there, under its new name"
    );
}

#[test]
fn the_same_blob_at_many_paths_and_commits_is_scanned_once_and_reported_per_path() {
    let repo = Repo::new();
    let pat = Fake::new(108).github_pat();
    let content = format!("token={pat}\n");
    repo.write("a/creds.txt", &content);
    repo.write("b/creds.txt", &content);
    repo.write("plain.txt", "hello\n");
    let c1 = repo.commit_all("two copies");
    repo.write("c/creds.txt", &content);
    let c2 = repo.commit_all("third copy");
    repo.rm("a/creds.txt");
    repo.commit_all("drop a");
    repo.write("a/creds.txt", &content);
    repo.commit_all("restore a (same blob, same path: not a new introduction)");
    repo.git(&["checkout", "-q", "-b", "other", &c1]);
    repo.write("d/creds.txt", &content);
    let c3 = repo.commit_all("fourth copy on a branch");

    let r = repo.scan(&[]);
    let v = r.json();
    assert_eq!(
        v["stats"]["scanned"], 2,
        "two unique blobs: the secret file and plain.txt"
    );
    let fs = findings(&v);
    assert_eq!(fs.len(), 4, "{fs:#?}");
    assert_eq!(by_path(&fs, "a/creds.txt")[0]["commit"], c1.as_str());
    assert_eq!(by_path(&fs, "b/creds.txt")[0]["commit"], c1.as_str());
    assert_eq!(by_path(&fs, "c/creds.txt")[0]["commit"], c2.as_str());
    assert_eq!(by_path(&fs, "d/creds.txt")[0]["commit"], c3.as_str());
}

#[test]
fn a_dotenv_added_and_deleted_later_is_found() {
    let repo = Repo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    repo.write(
        "services/api/.env",
        "DATABASE_URL=postgres://localhost/dev\n",
    );
    let added = repo.commit_all("add env");
    repo.rm("services/api/.env");
    repo.commit_all("oops, remove env");

    let fs = findings(&repo.scan(&[]).json());
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["rule_id"], "dotenv-file");
    assert_eq!(fs[0]["path"], "services/api/.env");
    assert_eq!(fs[0]["commit"], added.as_str());
    assert_eq!(fs[0]["present_at_head"], false);
}

#[test]
fn a_range_scans_only_the_commits_in_it() {
    let repo = Repo::new();
    let mut fake = Fake::new(109);
    let (before, inside) = (fake.github_pat(), fake.github_pat());
    repo.write("old.txt", format!("{before}\n"));
    let a = repo.commit_all("before the push");
    repo.write("new.txt", format!("{inside}\n"));
    let b = repo.commit_all("pushed");
    repo.write("other.txt", "x\n");
    repo.commit_all("pushed too");

    let positional = format!("{a}..HEAD");
    for args in [
        vec![positional.as_str()],
        vec!["--range", positional.as_str()],
    ] {
        let fs = findings(&repo.scan(&args).json());
        assert_eq!(fs.len(), 1, "{args:?}: {fs:#?}");
        assert_eq!(fs[0]["path"], "new.txt");
        assert_eq!(fs[0]["commit"], b.as_str());
    }
    // Only the range is given: the repository is the current directory.
    let r = repo.leakguard(&[
        "history",
        &format!("{a}..{b}"),
        "--config",
        repo.config.to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(findings(&r.json()).len(), 1, "{}", r.stderr);
    // An empty range finds nothing.
    assert_eq!(
        findings(&repo.scan(&[&format!("{b}..{b}")]).json()).len(),
        0
    );
    // A bad revision is an error.
    let r = repo.scan(&["nosuchref..HEAD"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nosuchref"), "{}", r.stderr);
}

#[test]
fn since_skips_older_commits() {
    let repo = Repo::new();
    let mut fake = Fake::new(110);
    let (old, recent) = (fake.github_pat(), fake.github_pat());
    repo.write("old.txt", format!("{old}\n"));
    repo.commit_all("old"); // EPOCH
    repo.clock.set(EPOCH + 30 * 86_400);
    repo.write("recent.txt", format!("{recent}\n"));
    let c = repo.commit_all("recent");
    let fs = findings(&repo.scan(&["--since", "2023-12-01"]).json());
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["commit"], c.as_str());
    assert_eq!(
        findings(&repo.scan(&["--since", "2023-11-01"]).json()).len(),
        2
    );
    let r = repo.scan(&["--since", "last tuesday-ish"]);
    assert_eq!(r.code, 2);
}

#[test]
fn bare_repositories_are_scanned() {
    let repo = Repo::new();
    let pat = Fake::new(111).github_pat();
    repo.write("a.txt", format!("{pat}\n"));
    let c = repo.commit_all("add");
    let bare = repo.tmp().join("bare.git");
    repo.git(&[
        "clone",
        "-q",
        "--bare",
        repo.root.to_str().unwrap(),
        bare.to_str().unwrap(),
    ]);
    let fs = findings(&repo.scan_at(&bare, &[]).json());
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0]["commit"], c.as_str());
    assert_eq!(fs[0]["present_at_head"], true);

    // A bare repository whose HEAD names no branch: no "present at HEAD" answer.
    repo.git_in(&bare, &["symbolic-ref", "HEAD", "refs/heads/nothing-here"]);
    let fs = findings(&repo.scan_at(&bare, &[]).json());
    assert_eq!(fs.len(), 1);
    assert!(fs[0]["present_at_head"].is_null());
}

#[test]
fn a_shallow_clone_says_so() {
    let repo = Repo::new();
    let mut fake = Fake::new(112);
    let (deep, recent) = (fake.github_pat(), fake.github_pat());
    repo.write("deep.txt", format!("{deep}\n"));
    repo.commit_all("deep");
    repo.rm("deep.txt");
    repo.commit_all("remove");
    repo.write("recent.txt", format!("{recent}\n"));
    repo.commit_all("recent");
    repo.write("x.txt", "x\n");
    let tip = repo.commit_all("tip");
    let shallow = repo.tmp().join("shallow");
    let url = format!("file://{}", repo.root.display());
    repo.git(&[
        "clone",
        "-q",
        "--depth",
        "2",
        &url,
        shallow.to_str().unwrap(),
    ]);

    let r = repo.scan_at(&shallow, &[]);
    let v = r.json();
    let notes = v["stats"]["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("shallow")),
        "{notes:?}"
    );
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "only what the clone has: {fs:#?}");
    assert_eq!(fs[0]["path"], "recent.txt");
    // The boundary commit is treated as a root: it introduces all it contains.
    assert_ne!(fs[0]["commit"], tip.as_str());
    let text = repo.history_at(&shallow, &[]);
    assert!(
        text.stdout.contains("note: ") && text.stdout.contains("shallow"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_directory_that_is_not_a_repository_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "file.txt", "x\n");
    let r = run_in(tmp.path(), &["history", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a git repository"), "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "one line: {}", r.stderr);

    let r = run_in(tmp.path(), &["history", "no/such/dir"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no such file or directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_missing_object_exits_2() {
    let repo = Repo::new();
    let pat = Fake::new(113).github_pat();
    repo.write("a.txt", format!("{pat}\n"));
    repo.write("b.txt", "other\n");
    repo.commit_all("add");
    let blob = repo.git(&["rev-parse", "HEAD:a.txt"]);
    let object = repo
        .root
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(&object).expect("a loose object to delete");
    let r = repo.scan(&[]);
    assert_eq!(r.code, 2, "stdout: {}", r.stdout);
    assert!(r.stderr.contains("corrupt"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&blob[..12]),
        "names the object: {}",
        r.stderr
    );
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert_no_leak(&r, &pat);
}

#[test]
fn a_missing_tree_or_truncated_pack_exits_2() {
    let repo = Repo::new();
    repo.write("dir/a.txt", "a\n");
    repo.commit_all("add");
    let tree = repo.git(&["rev-parse", "HEAD:dir"]);
    std::fs::remove_file(
        repo.root
            .join(".git/objects")
            .join(&tree[..2])
            .join(&tree[2..]),
    )
    .unwrap();
    let r = repo.scan(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("corrupt"), "{}", r.stderr);

    let repo = Repo::new();
    for i in 0..20 {
        repo.write(&format!("f{i}.txt"), format!("file {i}\n").repeat(50));
        repo.commit_all(&format!("c{i}"));
    }
    repo.git(&["gc", "-q"]);
    let pack_dir = repo.root.join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pack"))
        .unwrap();
    let len = std::fs::metadata(&pack).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&pack).unwrap();
    f.set_len(len / 2).unwrap();
    drop(f);
    let r = repo.scan(&[]);
    assert_eq!(r.code, 2, "stdout: {}", r.stdout);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
}

#[test]
fn remediation_file_lists_each_secret_once_and_is_private() {
    let repo = Repo::new();
    let mut fake = Fake::new(114);
    let (one, two) = (fake.github_pat(), fake.github_pat());
    repo.write("a.txt", format!("{one}\n"));
    repo.write("b.txt", format!("{one}\n{two}\n"));
    repo.write(".env", "A=1\n");
    repo.commit_all("add");
    let out = repo.tmp().join("replacements.txt");
    let r = repo.scan(&["--remediation", out.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert_no_leak(&r, &one);
    assert_no_leak(&r, &two);
    assert!(r.stderr.contains("CONTAINS THE SECRETS"), "{}", r.stderr);
    assert!(
        r.stderr.contains("--invert-paths --path '.env'"),
        "{}",
        r.stderr
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort();
    let mut want = vec![
        format!("literal:{one}==>***REMOVED***"),
        format!("literal:{two}==>***REMOVED***"),
    ];
    want.sort();
    assert_eq!(lines, want);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // The text report names the file in the rewrite step.
    let t = repo.history_at(&repo.root, &["--remediation", out.to_str().unwrap()]);
    assert!(
        t.stdout
            .contains(&format!("--replace-text {}", out.display())),
        "{}",
        t.stdout
    );
}

#[test]
fn submodules_are_counted_not_followed() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    let c = repo.commit_all("initial");
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{c},vendor/lib"),
    ]);
    repo.git(&["commit", "-q", "-m", "add submodule"]);
    let v = repo.scan(&[]).json();
    let items = v["stats"]["skipped_items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|s| s["reason"] == "submodule" && s["path"] == "vendor/lib"),
        "{items:?}"
    );
}

#[test]
fn large_blobs_are_skipped_and_counted_and_binaries_read_as_strings() {
    let repo = Repo::new();
    let pat = Fake::new(115).github_pat();
    // A binary blob: what is scanned of it is its strings (src/source/strings.rs), one per line.
    let mut bin = vec![0u8, 1, 2, 3];
    bin.extend_from_slice(b"PNG header\x00\x7f\xff");
    bin.extend_from_slice(pat.as_bytes());
    bin.push(0);
    repo.write("image.bin", bin);
    repo.write(
        "big.txt",
        format!("{}{pat}\n", "filler line\n".repeat(1000)),
    );
    repo.write("small.txt", "hi\n");
    let added = repo.commit_all("add");
    let v = repo.scan(&["--max-blob-size", "1000"]).json();
    assert_eq!(v["stats"]["skipped_by_reason"]["too large"], 1);
    assert!(
        v["stats"]["skipped_by_reason"]["binary"].is_null(),
        "{}",
        v["stats"]
    );
    assert_eq!(v["stats"]["scanned"], 2);
    // Found in the binary, on the second line of its strings, in the commit that added it.
    let f = &findings(&v);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["path"], "image.bin");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(f[0]["commit"], added.as_str());
    let t = repo.history_at(&repo.root, &["--max-blob-size", "1000", "-v"]);
    assert!(
        t.stdout.contains("skipped (too large): big.txt"),
        "{}",
        t.stdout
    );
    assert!(!t.stdout.contains("skipped (binary)"), "{}", t.stdout);
    // Without the limit, the big one is scanned too.
    assert_eq!(findings(&repo.scan(&[]).json()).len(), 2);
}

#[test]
fn all_objects_finds_what_no_ref_reaches() {
    let repo = Repo::new();
    let mut fake = Fake::new(116);
    let (amended, dangling) = (fake.github_pat(), fake.github_pat());
    repo.write("a.txt", "clean\n");
    repo.commit_all("initial");
    repo.write("conf.txt", format!("{amended}\n"));
    let lost = repo.commit_all("oops");
    repo.write("conf.txt", "fixed\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "-m", "clean"]);
    let blob_file = repo.tmp().join("loose.txt");
    std::fs::write(&blob_file, format!("k={dangling}\n")).unwrap();
    repo.git(&["hash-object", "-w", blob_file.to_str().unwrap()]);
    repo.git(&["reflog", "expire", "--expire=now", "--all"]);

    assert_eq!(
        findings(&repo.scan(&[]).json()).len(),
        0,
        "no ref reaches either"
    );
    let r = repo.scan(&["--all-objects"]);
    let fs = findings(&r.json());
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let f = by_path(&fs, "conf.txt")[0];
    assert_eq!(
        f["commit"],
        lost.as_str(),
        "the amended-away commit is walked"
    );
    let other = fs
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .starts_with("(unreachable blob ")
        })
        .expect("dangling blob");
    assert!(other["commit"].is_null());
    assert_no_leak(&r, &dangling);
}

#[test]
fn stashed_secrets_are_found() {
    let repo = Repo::new();
    let pat = Fake::new(117).github_pat();
    repo.write("a.txt", "clean\n");
    repo.commit_all("initial");
    repo.write("a.txt", format!("clean\n{pat}\n"));
    repo.git(&["stash", "-q"]);
    let fs = findings(&repo.scan(&[]).json());
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["path"], "a.txt");
    assert_eq!(fs[0]["present_at_head"], false);
}

#[test]
fn allowlisted_commits_are_honoured() {
    let repo = Repo::new();
    let pat = Fake::new(118).github_pat();
    repo.write("a.txt", format!("{pat}\n"));
    let c = repo.commit_all("add");
    let cfg = format!("{CONFIG}\n[[allowlists]]\ncommits = [\"{c}\"]\n");
    std::fs::write(&repo.config, cfg).unwrap();
    assert_eq!(findings(&repo.scan(&[]).json()).len(), 0);
}

/// Reads every object of a repository through leakguard's pack reader and through libgit2 and
/// compares them. Run on a real repository with
/// `LEAKGUARD_PACK_CHECK=/path/to/repo cargo test --release --test history -- --ignored pack_reader`.
#[test]
#[ignore]
fn pack_reader_agrees_with_libgit2_on_a_real_repository() {
    use leakguard::source::pack::{PackReader, PackSet};
    let Some(path) = std::env::var_os("LEAKGUARD_PACK_CHECK") else {
        return;
    };
    let repo = git2::Repository::open(path).unwrap();
    let odb = repo.odb().unwrap();
    let packs = PackSet::open(repo.path());
    let mut oids = Vec::new();
    odb.foreach(|o| {
        oids.push(*o);
        true
    })
    .unwrap();
    let mut located: Vec<_> = oids
        .iter()
        .filter_map(|o| packs.locate(o).map(|l| (l, *o)))
        .collect();
    located.sort();
    let mut reader = PackReader::new(&packs, 64 << 20);
    for (loc, oid) in &located {
        let (kind, size) = reader.header(*loc).unwrap();
        let (kind2, data) = reader.read(*loc).unwrap();
        let obj = odb.read(*oid).unwrap();
        assert_eq!(kind, kind2);
        assert_eq!(kind as i32, obj.kind().raw(), "{oid}");
        assert_eq!(size, obj.len(), "{oid}");
        assert!(data.as_slice() == obj.data(), "{oid} differs");
    }
    eprintln!("{} packed objects agree", located.len());
}

/// A large generated file (a benchmark log, a lockfile) edited in many commits is matched only where
/// each version differs from the one before; the findings must be exactly those of matching every
/// version in full (`LEAKGUARD_HISTORY_FULL=1`), packed or loose, and attributed to the commits that
/// introduced each secret.
#[test]
fn incremental_matching_of_large_files_finds_what_full_matching_finds() {
    let repo = Repo::new();
    let mut fake = Fake::new(4242);
    let (early, late, tail) = (fake.github_pat(), fake.github_pat(), fake.github_pat());
    let groups = ["alpha", "beta", "gamma", "delta"];
    let mut entries: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            (0..400)
                .map(|i| {
                    format!(
                        "    {{ \"bench\": \"{g}\", \"run\": {i}, \"ns\": {} }},\n",
                        i * 37 % 1000
                    )
                })
                .collect()
        })
        .collect();
    let render = |entries: &[Vec<String>], n: usize, extra: &[(usize, String)]| {
        let mut s = format!(
            "window.DATA = {{\n  \"lastUpdate\": {},\n",
            1_600_000_000 + n
        );
        for (g, lines) in entries.iter().enumerate() {
            s.push_str(&format!("  \"{}\": [\n", groups[g]));
            for (i, l) in lines.iter().enumerate() {
                s.push_str(l);
                for (at, text) in extra {
                    if *at == g * 1000 + i {
                        s.push_str(text);
                    }
                }
            }
            s.push_str("  ],\n");
        }
        s + "}\n"
    };
    let mut commits = Vec::new();
    for n in 0..30 {
        for (g, lines) in entries.iter_mut().enumerate() {
            lines.push(format!(
                "    {{ \"bench\": \"{}\", \"run\": {}, \"ns\": {} }},\n",
                groups[g],
                400 + n,
                n * 7
            ));
        }
        let mut extra = Vec::new();
        if (10..20).contains(&n) {
            // In the middle of a group, far from both ends of the file, then removed again.
            extra.push((1070, format!("    {{ \"token\": \"{early}\" }},\n")));
        }
        if n >= 15 {
            extra.push((20, format!("    {{ \"token\": \"{late}\" }},\n")));
        }
        if n >= 25 {
            // Added at the end of the last group, beside the appended entries.
            extra.push((
                3000 + 400 + n,
                format!("    {{ \"token\": \"{tail}\" }},\n"),
            ));
        }
        repo.write("dev/bench/data.js", render(&entries, n, &extra));
        commits.push(repo.commit_all(&format!("bench result {n}")));
    }
    let size = std::fs::metadata(repo.root.join("dev/bench/data.js"))
        .unwrap()
        .len();
    assert!(
        size > 64 << 10,
        "the file is large enough to be matched incrementally ({size} bytes)"
    );

    let run = |full: bool| {
        let vars: &[(&str, &std::ffi::OsStr)] = if full {
            &[("LEAKGUARD_HISTORY_FULL", "1".as_ref())]
        } else {
            &[]
        };
        let r = repo.history_env(&repo.root, &["--format", "json", "--show-secrets"], vars);
        assert_eq!(r.code, 1, "{}", r.all());
        r.json()
    };
    for packed in [false, true] {
        if packed {
            repo.git(&["gc", "-q", "--aggressive"]);
        }
        let incremental = run(false);
        assert_eq!(
            incremental["findings"],
            run(true)["findings"],
            "packed: {packed}"
        );
        let found = secret_commits(&incremental);
        assert_eq!(found.len(), 3, "{found:?}");
        for (secret, commit) in [
            (&early, &commits[10]),
            (&late, &commits[15]),
            (&tail, &commits[25]),
        ] {
            assert!(
                found.contains(&(secret.clone(), commit.clone())),
                "{secret} at {commit}: {found:?}"
            );
        }
    }
}

/// A generic path rule (a committed env file's values) and a specific content rule (a token's
/// format) on one secret: the history audit reports it once, under the specific rule, as a scan of
/// the working tree does. Path rules run apart from content rules in history (one content scan per
/// blob, one path scan per path it was introduced at), and the two used not to meet.
#[test]
fn a_path_rule_yields_to_a_specific_rule_on_the_same_secret_as_in_the_working_tree() {
    let config = concat!(
        github_pat_rule!(),
        r#"
[[rules]]
id = "env-value"
description = "A value in a committed .env file"
path = '''(^|/)\.env$'''
regex = '''(?m)^[A-Z_]+=(\S+)'''
secretGroup = 1
keywords = ["="]
tags = ["generic"]
"#
    );
    let repo = Repo::with_config(config);
    repo.write(
        ".env",
        format!("GH_TOKEN={}\nDB_PASSWORD=k3Rw9Lq2\n", gitrepo::fake_pat(41)),
    );
    repo.commit_all("env");
    let history = repo.scan(&[]);
    let cfg = repo.config.to_str().unwrap();
    let tree = repo.leakguard(&["scan", ".", "--config", cfg, "--format", "json"]);
    let rows = |r: &Run| {
        let mut v = gitrepo::findings(&r.json());
        v.sort();
        v
    };
    let want = vec![
        ("env-value".to_string(), ".env".to_string(), 2),
        ("github-pat".to_string(), ".env".to_string(), 1),
    ];
    assert_eq!(rows(&tree), want, "working tree: {}", tree.all());
    assert_eq!(rows(&history), want, "history: {}", history.all());
}
