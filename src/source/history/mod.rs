//! Git history: every blob that some commit introduced, scanned once however many commits and paths
//! it appears at, and each finding attributed to the oldest commit that introduced it at its path.
//!
//! Three phases:
//! 1. Walk: commits oldest-first (topological, reversed). For each commit, compare its tree with the
//!    tree of every parent by object id, descending only into subtrees that differ. A blob at a path is
//!    *introduced* by the commit when it differs from the blob at that path in EVERY parent; so a merge
//!    commit that adds content of its own (an evil merge, a conflict resolution) introduces it, while a
//!    clean merge introduces nothing. Root commits introduce all their blobs. Only object ids and
//!    paths are kept, never content.
//! 2. Scan: each unique blob is read (once) and scanned by worker threads, each with its own
//!    `git2::Repository` (it is not `Sync`). Only blobs with hits keep anything in memory.
//! 3. Attribute: a hit becomes a finding at each path the blob was introduced at; for one rule, path
//!    and secret the oldest introducing commit wins (a later edit of the file that keeps the secret is
//!    not a new leak). Each finding then says whether the secret is still in that file at HEAD.

mod attribute;
mod objects;
mod revwalk;
mod scan;
mod select;
mod tips;
mod walk;

use super::git::{self, short, Opened};
use super::gitcli;
use super::promisor;
use super::{sort_findings, ScanOutcome, SkipReason, Skipped, Stats};
use crate::engine::Engine;
use anyhow::{Context as _, Result};
use git2::{Oid, Repository};
use std::path::Path;
use std::time::Instant;
use walk::{Job, Walk};

use attribute::mark_present_at_head;
pub(crate) use attribute::{attribute_hits, BlobResult, Intro};
use scan::scan_blobs;
use select::{non_commit_ref_targets, select_commits, unreached_objects};

/// No commit: a blob reached only through a tag on a tree or blob, or through no ref at all.
pub(crate) const NO_COMMIT: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub struct HistoryOptions {
    /// Revisions to start from (branches, tags, shas). Empty, with no range: every ref and HEAD.
    pub refs: Vec<String>,
    /// `A..B` (commits reachable from B and not from A) or `A...B` (symmetric difference).
    pub range: Option<String>,
    /// Only commits whose committer date is at or after this Unix time.
    pub since: Option<i64>,
    /// Also scan objects no ref reaches (dangling commits and blobs).
    pub all_objects: bool,
    /// Blobs larger than this are skipped and counted.
    pub max_blob_size: Option<u64>,
    /// Draw a progress line on stderr (the caller decides whether stderr is a terminal).
    pub progress: bool,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Run the keyword automaton over every version of a file in full, instead of only over what
    /// changed since the version of it scanned before (see `INCREMENTAL_MIN`): the same findings,
    /// slower; a check on the incremental way, for tests and benchmarks.
    pub full_rescan: bool,
    /// In a partial clone, do not fetch the blobs it lacks from the promisor remote: skip them
    /// (`missing-promisor-object`) and say so.
    pub no_fetch: bool,
    /// How archives are opened; `None`: they are binary blobs.
    pub archives: Option<crate::source::archive::Archives>,
}

/// Said when `.git/info/grafts` exists.
pub(crate) const GRAFTS_NOTE: &str = "this repository has .git/info/grafts: grafted commits replace parents, so \
     history behind them may be hidden from the walk; --all-objects scans every object in the repository, \
     reachable or not";

/// Said of a shallow clone.
pub(crate) const SHALLOW_NOTE: &str =
    "this is a shallow clone: commits beyond the shallow boundary could not be \
     reached, and what the boundary commits contain is attributed to them";

/// Scans the history of the repository at `path`.
pub fn scan(engine: &Engine, path: &Path, opts: &HistoryOptions) -> Result<ScanOutcome> {
    scan_selected(engine, select(path, opts)?, opts)
}

/// A history scan's first step, which needs no rules: the repository opened and the commits to walk
/// chosen (libgit2's sorted revwalk: 339M instructions on tokio, serial). Apart from the rest so that
/// a caller can load the rules meanwhile, on another thread (`leakguard history` does).
pub struct Selected {
    started: Instant,
    kind: SelectedKind,
}

enum SelectedKind {
    Git2 {
        repo: Repository,
        selection: select::Selection,
        stats: Stats,
        timing: Timing,
    },
    /// Read through the git CLI (SHA-256): it chooses its commits itself, in `scan_selected`.
    Cli(gitcli::CliRepo),
}

/// Sets libgit2's global options for a history scan, once. Call it before any thread but this one
/// may use libgit2 (`select` calls it too, for callers that do not).
pub fn init_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Objects are read to be scanned, not trusted: skip re-hashing each one (git cat-file does
        // not either). A damaged object still fails to inflate or to resolve its delta.
        git2::opts::strict_hash_verification(false);
        // libgit2 caches every tree and commit it parses, up to 256 MB: most of the walk's memory on
        // a repository with many refs (cargo: 236 of 334 MB), and nothing it gains, since the walk
        // reads a tree about twice (as a commit's and as its child's parent's) and the packs' own
        // delta-base cache serves the rereads: the same CPU time without it (7.7 s user on cargo
        // either way).
        // SAFETY: libgit2's global options are not synchronised; the caller promises that no other
        // thread uses libgit2 yet, and `Once` keeps later calls from writing them again.
        unsafe {
            for kind in [git2::ObjectType::Tree, git2::ObjectType::Commit] {
                let _ = git2::opts::set_cache_object_limit(kind, 0);
            }
        }
    });
}

/// Opens the repository at `path` and chooses the commits to walk (its errors: the repository's,
/// then the revisions'), the first step of `scan`.
pub fn select(path: &Path, opts: &HistoryOptions) -> Result<Selected> {
    select_unless(path, opts, &std::sync::atomic::AtomicBool::new(false))
}

/// `select`, given up (with an error of no interest) once `cancel` is set: a caller that loads the
/// rules meanwhile sets it when they fail, so that their error is reported without waiting.
pub fn select_unless(
    path: &Path,
    opts: &HistoryOptions,
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<Selected> {
    let started = Instant::now();
    init_libgit2();
    let repo = match git::open_any(path)? {
        Opened::Git2(r) => r,
        Opened::Cli(r) => {
            return Ok(Selected {
                started,
                kind: SelectedKind::Cli(r),
            })
        }
    };
    let mut stats = Stats::default();
    if repo.path().join("info").join("grafts").is_file() {
        stats.notes.push(GRAFTS_NOTE.to_string());
    }
    if repo.is_shallow() {
        stats.notes.push(SHALLOW_NOTE.to_string());
    }
    let mut timing = Timing::from_env(started);
    let selection = select_commits(&repo, opts, cancel)?;
    timing.phase("select commits");
    Ok(Selected {
        started,
        kind: SelectedKind::Git2 {
            repo,
            selection,
            stats,
            timing,
        },
    })
}

/// The rest of `scan`, from the commits `select` chose: the walk, reading and matching the blobs,
/// attributing the findings.
pub fn scan_selected(
    engine: &Engine,
    selected: Selected,
    opts: &HistoryOptions,
) -> Result<ScanOutcome> {
    let started = selected.started;
    let (repo, selection, mut stats, mut timing) = match selected.kind {
        SelectedKind::Git2 {
            repo,
            selection,
            stats,
            timing,
        } => (repo, selection, stats, timing),
        SelectedKind::Cli(r) => return gitcli::scan_history(engine, &r, opts),
    };
    let git_dir = repo.path().to_path_buf();
    let mut walk = Walk::default();
    let promisor_remote = promisor::remote(&repo);
    let select::Selection {
        commits,
        known,
        ref_targets,
    } = selection;
    walk.add_commits(&repo, &git_dir, &commits, threads(opts), &known, engine)
        .map_err(|e| match &promisor_remote {
            // Blobs a partial clone lacks are fetched later, in one request; trees must be local.
            Some(remote) => e.context(format!(
                "this partial clone lacks trees (a --filter=tree:0 clone?); fetch them with \
                 `git fetch --refetch {remote}` without the filter, or clone with --filter=blob:none"
            )),
            None => e,
        })?;
    // Only each commit's tree is kept, for the tips (`present_at_refs`).
    let commit_trees: std::collections::HashMap<Oid, Oid> =
        known.into_iter().map(|(c, k)| (c, k.tree)).collect();
    timing.phase("walk");
    let ref_targets = match ref_targets {
        Some(t) => t,
        None => non_commit_ref_targets(&repo, opts)?,
    };
    for (name, oid) in ref_targets {
        walk.add_loose_root(&repo, &name, oid)?;
    }
    if opts.all_objects {
        let (dangling_commits, other_blobs) = unreached_objects(&repo, &walk)?;
        let none = std::collections::HashMap::new();
        walk.add_commits(
            &repo,
            &git_dir,
            &dangling_commits,
            threads(opts),
            &none,
            engine,
        )?;
        let unreachable: Vec<Oid> = other_blobs
            .into_iter()
            .filter(|b| !walk.blob_ids.contains_key(b))
            .collect();
        if !unreachable.is_empty() {
            stats.notes.push(format!(
                "{} blob{} that no commit reaches were scanned; their findings carry no commit",
                unreachable.len(),
                if unreachable.len() == 1 { "" } else { "s" }
            ));
        }
        for &b in &unreachable {
            let label = format!("(unreachable blob {})", short(b));
            let p = walk.intern_path(label.as_bytes());
            let bi = walk.intern_blob(b, p);
            walk.intros.push(Intro {
                blob: bi,
                path: p,
                commit: NO_COMMIT,
            });
        }
    }
    for p in &walk.submodules {
        stats.skipped.push(Skipped {
            path: p.clone(),
            reason: SkipReason::Submodule,
            detail: None,
        });
    }

    let mut jobs = walk.jobs(engine);
    if let Some(remote) = &promisor_remote {
        fetch_missing(&repo, &git_dir, remote, &mut jobs, opts, &mut stats)?;
    }
    timing.phase("jobs");
    // The walk's repository holds libgit2's cache of trees (up to 256 MB): let it go while blobs are read.
    drop(repo);
    let scanned = scan_blobs(engine, &git_dir, &jobs, opts)?;
    timing.phase("read and match blobs");
    let repo = git::reopen(&git_dir)?;
    stats.scanned = scanned.scanned;
    stats.bytes = scanned.bytes;
    for (job, reason, detail) in scanned.skipped {
        let j = &jobs[job];
        let first_path = walk.first_path_of(j.blob);
        stats.skipped.push(Skipped {
            path: first_path,
            reason,
            detail: Some(detail),
        });
    }

    for (job, mut s) in scanned.archive_skipped {
        // Listed under the first path the archive blob was met at, like the blob's own skips.
        s.path = format!("{}{}", walk.first_path_of(jobs[job].blob), s.path);
        stats.skipped.push(s);
    }
    let mut findings = walk.attribute(&repo, engine, &jobs, scanned.results, scanned.members)?;
    let archives = opts.archives.as_ref();
    mark_present_at_head(&repo, engine, archives, &mut findings);
    tips::mark_present_at_refs(&repo, &commit_trees, engine, archives, &mut findings);
    sort_findings(&mut findings);
    timing.phase("attribute, present at HEAD and refs");
    stats
        .skipped
        .sort_by(|a, b| (&a.reason, &a.path, &a.detail).cmp(&(&b.reason, &b.path, &b.detail)));
    stats.duration = started.elapsed();
    Ok(ScanOutcome { findings, stats })
}

/// Worker threads: `--jobs`, or one per core.
pub fn threads(opts: &HistoryOptions) -> usize {
    match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// With `LEAKGUARD_HISTORY_TIMING=1`, the wall time of each phase on stderr: where a history scan's
/// time goes, for whoever tunes it (not part of any report).
struct Timing {
    last: Option<Instant>,
}

impl Timing {
    fn from_env(started: Instant) -> Timing {
        let on = std::env::var_os("LEAKGUARD_HISTORY_TIMING").is_some_and(|v| v == "1");
        Timing {
            last: on.then_some(started),
        }
    }

    fn phase(&mut self, name: &str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            // Peak and current resident memory so far, where the system says (Linux).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |key: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map_or(String::new(), |v| v.trim().to_string())
            };
            eprintln!(
                "history timing: {name} {:.3} s (peak RSS {}, now {})",
                now.duration_since(last).as_secs_f64(),
                field("VmHWM:"),
                field("VmRSS:")
            );
            self.last = Some(now);
        }
    }
}

/// In a partial clone, fetches the blobs to scan that are not local, in one request to the promisor
/// remote; blobs still missing after it (or all of them, with `--no-fetch`) are marked so that they
/// are skipped as `missing-promisor-object`, with a note saying why.
fn fetch_missing(
    repo: &Repository,
    git_dir: &Path,
    remote: &str,
    jobs: &mut [Job],
    opts: &HistoryOptions,
    stats: &mut Stats,
) -> Result<()> {
    let odb = repo.odb().context("cannot open the object database")?;
    let missing: Vec<usize> = (0..jobs.len())
        .filter(|&i| !odb.exists(jobs[i].oid))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let n = missing.len();
    let blobs = if n == 1 { "blob" } else { "blobs" };
    let why = if opts.no_fetch {
        Some("--no-fetch".to_string())
    } else {
        let ids: Vec<Oid> = missing.iter().map(|&i| jobs[i].oid).collect();
        promisor::fetch(git_dir, remote, &ids)
            .err()
            .map(|e| e.to_string())
    };
    // A fresh object database sees the pack the fetch wrote.
    let fresh = git::reopen(git_dir)?;
    let odb = fresh.odb().context("cannot open the object database")?;
    let still: Vec<usize> = missing
        .into_iter()
        .filter(|&i| !odb.exists(jobs[i].oid))
        .collect();
    for &i in &still {
        jobs[i].missing = true;
    }
    match why {
        None if still.is_empty() => stats.notes.push(format!(
            "this is a partial clone: {n} {blobs} not in the local object store were fetched from the promisor remote {remote}"
        )),
        None => stats.notes.push(format!(
            "this is a partial clone: of {n} {blobs} fetched from the promisor remote {remote}, {} did not arrive; \
             their content was not scanned (skipped: missing-promisor-object)",
            still.len()
        )),
        Some(why) => stats.notes.push(format!(
            "this is a partial clone: {} {} not in the local object store {} not fetched ({why}), so {} content was \
             not scanned (skipped: missing-promisor-object); without --no-fetch, and with the promisor remote \
             {remote} reachable, they are fetched",
            still.len(),
            if still.len() == 1 { "blob" } else { "blobs" },
            if still.len() == 1 { "was" } else { "were" },
            if still.len() == 1 { "its" } else { "their" },
        )),
    }
    Ok(())
}

// Dates moved to crate::dates; re-exported for the callers of history's API.
pub use crate::dates::{now, parse_since, rfc3339};
