//! The staged index: what `git commit` is about to record. New files are scanned whole (path rules
//! included); modified files report only hits on the lines the change adds, so a secret committed long
//! ago in the same file does not block every later commit to it.

use super::{classify, sort_findings, Content, ScanOutcome, SkipReason, Skipped, Stats};
use crate::engine::{Engine, PathScope};
use anyhow::{anyhow, Context as _, Result};
use git2::{Delta, DiffOptions, Patch, Repository};
use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

/// Opens the repository that contains `path` (searching upwards, as git does).
pub fn open(path: &Path) -> Result<Repository> {
    Repository::discover(path)
        .map_err(|e| anyhow!("{}: not a git repository ({})", path.display(), e.message()))
}

/// The repository's working-tree root, where its `.leakguard.toml` lives.
pub fn root(repo: &Repository) -> std::path::PathBuf {
    repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf()
}

pub fn scan(engine: &Engine, repo: &Repository) -> Result<ScanOutcome> {
    let started = Instant::now();
    // An unborn branch (no commit yet) compares the index against nothing: everything is new.
    let head_tree = match repo.head() {
        Ok(h) => Some(h.peel_to_tree().context("cannot read HEAD's tree")?),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            None
        }
        Err(e) => return Err(anyhow!("cannot read HEAD: {}", e.message())),
    };
    let index = repo.index().context("cannot read the index")?;
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        .ignore_submodules(true)
        .include_typechange(true);
    let diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut opts))
        .context("cannot compare the index with HEAD")?;
    let mut stats = Stats::default();
    let mut findings = Vec::new();
    for (i, delta) in diff.deltas().enumerate() {
        let is_new = match delta.status() {
            Delta::Added | Delta::Copied | Delta::Renamed | Delta::Typechange => true,
            Delta::Modified => false,
            _ => continue, // deleted, unmodified, ignored: nothing is being added
        };
        let file = delta.new_file();
        let path = String::from_utf8_lossy(file.path_bytes().unwrap_or_default()).into_owned();
        if file.mode() == git2::FileMode::Commit {
            stats.skipped.push(Skipped {
                path,
                reason: SkipReason::Submodule,
                detail: None,
            });
            continue;
        }
        let blob = repo
            .find_blob(file.id())
            .with_context(|| format!("{path}: cannot read the staged blob"))?;
        let text = match classify(blob.content()) {
            Content::Text(t) => t,
            Content::Binary => {
                stats.skipped.push(Skipped {
                    path: path.clone(),
                    reason: SkipReason::Binary,
                    detail: None,
                });
                // A new key file is a finding by its name alone.
                if is_new {
                    findings.extend(engine.scan_file_bytes(b"", &path));
                }
                continue;
            }
        };
        stats.scanned += 1;
        stats.bytes += text.len() as u64;
        let added = if is_new {
            None
        } else {
            Some(added_lines(&diff, i)?)
        };
        for hit in engine.scan(&text, PathScope::At(&path)) {
            let keep = match &added {
                None => true,
                Some(_) if hit.is_whole_file() => false, // the file was already there
                Some(lines) => (hit.line..=hit.end_line).any(|l| lines.contains(&l)),
            };
            if keep {
                findings.extend(engine.finding(&hit, &path, None));
            }
        }
    }
    sort_findings(&mut findings);
    stats.duration = started.elapsed();
    Ok(ScanOutcome { findings, stats })
}

/// Line numbers (1-based, in the staged version) that the change adds to the file of delta `i`.
fn added_lines(diff: &git2::Diff, i: usize) -> Result<HashSet<usize>> {
    let mut lines = HashSet::new();
    let Some(patch) = Patch::from_diff(diff, i).context("cannot diff a staged file")? else {
        return Ok(lines);
    };
    for h in 0..patch.num_hunks() {
        for l in 0..patch.num_lines_in_hunk(h)? {
            let line = patch.line_in_hunk(h, l)?;
            if line.origin() == '+' {
                if let Some(n) = line.new_lineno() {
                    lines.insert(n as usize);
                }
            }
        }
    }
    Ok(lines)
}
