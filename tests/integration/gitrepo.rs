//! Real git repositories for the end-to-end tests, built with the git CLI in an environment of their
//! own: a private HOME and no system or global config, so that nothing on the machine (a global
//! core.hooksPath, a signing setup) changes what the tests see; fixed identities, and commit dates
//! from a clock that moves an hour per commit, so that commit ids are the same on every run.
#![allow(dead_code)]

pub use crate::common::Run;
use crate::common::{finding_rows, run_of};
use std::cell::Cell;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small config the tests write themselves: one content rule, one path rule.
pub const TEST_RULES: &str = r#"[[rules]]
id = "github-pat"
description = "GitHub PAT"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ghp_"]

[[rules]]
id = "env-file"
description = "dotenv file"
path = '''(^|/)\.env$'''
"#;

/// The first commit's date (2023-11-14T23:13:20Z).
pub const EPOCH: i64 = 1_700_000_000;

pub struct Repo {
    _tmp: tempfile::TempDir,
    /// The work tree, `<tmp>/repo`.
    pub root: PathBuf,
    /// The private HOME, `<tmp>/home`.
    pub home: PathBuf,
    /// The author and committer date of the next commit, in seconds since the epoch; `commit_all`
    /// moves it an hour on. Set it to make a commit older or newer than the others.
    pub clock: Cell<i64>,
}

impl Repo {
    /// `git init` in a fresh directory; no commit.
    pub fn new() -> Repo {
        Repo::with_init(&["init", "-q"])
    }

    /// `init`: the `git init` command line that creates the repository (an object format, say).
    pub fn with_init(init: &[&str]) -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let r = Repo {
            _tmp: tmp,
            root,
            home,
            clock: Cell::new(EPOCH),
        };
        r.git(init);
        r
    }

    /// The temporary directory that holds the work tree and HOME: a place for clones, configs and
    /// reports outside the repository.
    pub fn tmp(&self) -> &Path {
        self._tmp.path()
    }

    /// With the test rules as the repository's config (they replace the defaults).
    pub fn with_test_rules() -> Repo {
        let r = Repo::new();
        r.write(".leakguard.toml", TEST_RULES);
        r
    }

    /// The environment of every command run here, git or leakguard.
    fn env(&self, c: &mut Command) {
        c.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env_remove("GIT_CONFIG_GLOBAL")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_OBJECT_DIRECTORY")
            .env_remove("LEAKGUARD_CONFIG")
            .env_remove("LEAKGUARD_HISTORY_FULL");
    }

    /// A git command in `dir`; returns its outcome whatever it is.
    pub fn git_at(&self, dir: &Path, args: &[&str]) -> Run {
        self.git_env(dir, args, &[])
    }

    /// A git command in `dir` with extra environment variables (hooks inherit them).
    pub fn git_env(&self, dir: &Path, args: &[&str], vars: &[(&str, &OsStr)]) -> Run {
        let mut c = self.git_command(args);
        c.current_dir(dir);
        for (k, v) in vars {
            c.env(k, v);
        }
        run_of(c.output().expect("run git"))
    }

    /// git with the fixed identity, no signing, no line-ending conversion, local clones allowed, and
    /// the clock's date, in the repository's environment.
    fn git_command(&self, args: &[&str]) -> Command {
        let date = format!("@{} +0000", self.clock.get());
        let mut c = Command::new("git");
        for setting in [
            "user.name=Alice Example",
            "user.email=alice@example.com",
            "init.defaultBranch=main",
            "commit.gpgsign=false",
            "tag.gpgsign=false",
            "core.autocrlf=false",
            "protocol.file.allow=always",
        ] {
            c.args(["-c", setting]);
        }
        c.args(args)
            .current_dir(&self.root)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        self.env(&mut c);
        c
    }

    /// A git command in `dir` that must succeed; its stdout, trimmed.
    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let r = self.git_at(dir, args);
        assert_eq!(r.code, 0, "git {args:?} failed:\n{}", r.all());
        r.stdout.trim().to_string()
    }

    /// A git command at the root that must succeed; its stdout, trimmed.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.root, args)
    }

    /// A git command at the root fed `input` on stdin, that must succeed; its stdout.
    pub fn git_input(&self, args: &[&str], input: &[u8]) -> String {
        use std::io::Write;
        use std::process::Stdio;
        let mut c = self.git_command(args);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("run git");
        child.stdin.take().unwrap().write_all(input).unwrap();
        let r = run_of(child.wait_with_output().expect("run git"));
        assert_eq!(r.code, 0, "git {args:?} failed:\n{}", r.all());
        r.stdout.trim().to_string()
    }

    pub fn try_git(&self, args: &[&str]) -> Run {
        self.git_at(&self.root, args)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    pub fn add(&self, paths: &[&str]) {
        let mut args = vec!["add", "--"];
        args.extend_from_slice(paths);
        self.git(&args);
    }

    /// `git rm` of a tracked file.
    pub fn rm(&self, rel: &str) {
        self.git(&["rm", "-q", rel]);
    }

    /// Commits everything in the work tree (or nothing: empty commits are allowed), hooks skipped;
    /// returns the new commit's full id. The next commit is an hour later.
    pub fn commit_all(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&[
            "commit",
            "-q",
            "--no-verify",
            "--allow-empty",
            "-m",
            message,
        ]);
        self.clock.set(self.clock.get() + 3600);
        self.head().unwrap()
    }

    pub fn head(&self) -> Option<String> {
        let r = self.try_git(&["rev-parse", "--verify", "-q", "HEAD"]);
        (r.code == 0).then(|| r.stdout.trim().to_string())
    }

    /// leakguard in `dir`, in the repository's environment.
    pub fn leakguard_at(&self, dir: &Path, args: &[&str]) -> Run {
        self.leakguard_env(dir, args, &[])
    }

    /// leakguard in `dir` with extra environment variables (`GIT_TRACE`, say).
    pub fn leakguard_env(&self, dir: &Path, args: &[&str], vars: &[(&str, &OsStr)]) -> Run {
        let mut c = Command::new(crate::common::bin());
        c.args(args).current_dir(dir);
        self.env(&mut c);
        for (k, v) in vars {
            c.env(k, v);
        }
        run_of(c.output().expect("run leakguard"))
    }

    pub fn leakguard(&self, args: &[&str]) -> Run {
        self.leakguard_at(&self.root, args)
    }
}

/// Fake secrets of the real format, different for each seed; never a real credential.
pub fn fake_pat(seed: u64) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    loop {
        let s = String::from_utf8(crate::common::xorshift_text(alphabet, 36, &mut x)).unwrap();
        if !leakguard::filters::looks_like_placeholder(s.as_bytes()) {
            return format!("ghp_{s}");
        }
    }
}

/// Findings of a JSON report as (rule, path, line).
pub fn findings(v: &serde_json::Value) -> Vec<(String, String, u64)> {
    finding_rows(v, |f| (f.s("rule_id"), f.s("path"), f.n("line")))
}
