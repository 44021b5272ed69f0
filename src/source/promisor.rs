//! Partial clones (`git clone --filter=blob:none`, what CI checkouts with a filter make): blobs the
//! clone left on the server are fetched through git from the promisor remote, all in one request,
//! before the history is scanned. libgit2 reads partial clones but cannot fetch what they lack.

use anyhow::{anyhow, Result};
use git2::Repository;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The promisor remote of a partial clone, or None when the repository is not one. git records it
/// as `extensions.partialClone` (older clones) or `remote.<name>.promisor = true`.
pub fn remote(repo: &Repository) -> Option<String> {
    let config = repo.config().ok()?.snapshot().ok()?;
    if let Ok(name) = config.get_string("extensions.partialclone") {
        if !name.is_empty() {
            return Some(name);
        }
    }
    let mut names = Vec::new();
    let entries = config.entries(Some(r"^remote\..*\.promisor$")).ok()?;
    entries
        .for_each(|e| {
            if e.value() == Some("true") {
                if let Some(name) = e.name() {
                    let name = name.strip_prefix("remote.").unwrap_or(name);
                    names.push(name.trim_end_matches(".promisor").to_string());
                }
            }
        })
        .ok()?;
    names.sort();
    names.into_iter().next()
}

/// Fetches `ids` from `remote` in one `git fetch`, as git itself does when it lazily fetches a
/// missing object (the noop negotiation: nothing is walked, only these objects are asked for).
/// The objects land in a new promisor pack, which readers opened afterwards see.
pub fn fetch<T: std::fmt::Display>(git_dir: &Path, remote: &str, ids: &[T]) -> Result<()> {
    let mut child = Command::new("git")
        .arg("--git-dir")
        .arg(git_dir)
        .args([
            "-c",
            "fetch.negotiationAlgorithm=noop",
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--recurse-submodules=no",
            "--filter=blob:none",
            "--stdin",
            remote,
        ])
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| anyhow!("cannot run git: {e}"))?;
    {
        let mut stdin = child.stdin.take().expect("piped stdin");
        let mut list = String::with_capacity(ids.len() * 41);
        for id in ids {
            list.push_str(&id.to_string());
            list.push('\n');
        }
        // A fetch that fails early closes its input: its exit status says why, below.
        let _ = stdin.write_all(list.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| anyhow!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let why = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("no message")
        .trim_start_matches("fatal: ")
        .to_string();
    Err(anyhow!("git fetch from {remote} failed: {why}"))
}
