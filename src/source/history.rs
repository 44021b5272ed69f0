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

use super::blob::read_full;
use super::gitcli::{self, CliRepo};
use super::pack::{self, Location, PackReader, PackSet};
use super::promisor;
use super::{
    classify, sort_findings, Content, ScanOutcome, SkipReason, Skipped, Stats, STREAM_CHUNK,
    STREAM_THRESHOLD,
};
use crate::engine::{Engine, Hit, Keywords, PathScope};
use crate::finding::{CommitInfo, Finding};
use crate::progress::Progress;
use anyhow::{anyhow, bail, Context as _, Result};
use git2::{ErrorCode, ObjectType, Odb, Oid, Repository, RepositoryOpenFlags, Sort, Tree};
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Per worker: resolved objects kept for the deltas that follow them in the pack.
const PACK_CACHE_BYTES: usize = 64 << 20;

/// Versions of a file at least this large have the keyword automaton run only where they differ from
/// the version of that file the worker scanned before (`Engine::scan_changed`). On tokio's history
/// (43,597 blobs) 16 KB measured ~6% less CPU than 256 KB and the same as 1 KB or 4 KB: below a few
/// kilobytes, finding what changed costs about what it saves.
const INCREMENTAL_MIN: usize = 16 << 10;

/// No commit: a blob reached only through a tag on a tree or blob, or through no ref at all.
pub(super) const NO_COMMIT: u32 = u32::MAX;

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
}

/// A repository opened by the backend that can read it.
pub enum Opened {
    Git2(Repository),
    /// One libgit2 cannot read (SHA-256), read through the git CLI (`gitcli`).
    Cli(CliRepo),
}

/// Opens the repository at or above `path`: a work tree, a `.git` directory or a bare repository.
pub fn open(path: &Path) -> Result<Repository> {
    match open_any(path)? {
        Opened::Git2(r) => Ok(r),
        Opened::Cli(_) => bail!(
            "{}: this repository's object format (SHA-256) cannot be read here",
            path.display()
        ),
    }
}

/// Opens the repository at or above `path` with libgit2, or through the git CLI when libgit2
/// cannot read its object format.
pub fn open_any(path: &Path) -> Result<Opened> {
    match std::fs::metadata(path) {
        Err(_) => bail!("{}: no such file or directory", path.display()),
        // A file inside a work tree would otherwise open the repository around it. A `.git` file
        // (the gitlink of a linked worktree or a submodule) names a repository and is fine.
        Ok(m) if !m.is_dir() && path.file_name() != Some(std::ffi::OsStr::new(".git")) => bail!(
            "{}: not a git repository (a file, not a directory)",
            path.display()
        ),
        Ok(_) => {}
    }
    match Repository::open_ext(
        path,
        RepositoryOpenFlags::empty(),
        std::iter::empty::<&std::ffi::OsStr>(),
    ) {
        Ok(r) => Ok(Opened::Git2(r)),
        Err(e) if gitcli::unsupported_by_libgit2(&e) => {
            Ok(Opened::Cli(CliRepo::discover(Some(path))?))
        }
        Err(e) if e.code() == ErrorCode::NotFound => {
            bail!("{}: not a git repository", path.display())
        }
        Err(e) => bail!(
            "{}: cannot open repository: {}",
            path.display(),
            e.message()
        ),
    }
}

/// Said when `.git/info/grafts` exists.
pub(super) const GRAFTS_NOTE: &str = "this repository has .git/info/grafts: grafted commits replace parents, so \
     history behind them may be hidden from the walk; --all-objects scans every object in the repository, \
     reachable or not";

/// Said of a shallow clone.
pub(super) const SHALLOW_NOTE: &str =
    "this is a shallow clone: commits beyond the shallow boundary could not be \
     reached, and what the boundary commits contain is attributed to them";

/// Scans the history of the repository at `path`.
pub fn scan(engine: &Engine, path: &Path, opts: &HistoryOptions) -> Result<ScanOutcome> {
    let started = Instant::now();
    // Objects are read to be scanned, not trusted: skip re-hashing each one (git cat-file does not either).
    // A damaged object still fails to inflate or to resolve its delta.
    git2::opts::strict_hash_verification(false);
    let repo = match open_any(path)? {
        Opened::Git2(r) => r,
        Opened::Cli(r) => return gitcli::scan_history(engine, &r, opts),
    };
    let git_dir = repo.path().to_path_buf();
    let mut stats = Stats::default();
    if git_dir.join("info").join("grafts").is_file() {
        stats.notes.push(GRAFTS_NOTE.to_string());
    }
    if repo.is_shallow() {
        stats.notes.push(SHALLOW_NOTE.to_string());
    }

    let mut walk = Walk::default();
    let commits = select_commits(&repo, opts)?;
    let promisor_remote = promisor::remote(&repo);
    for &oid in &commits {
        walk.add_commit(&repo, oid).map_err(|e| match &promisor_remote {
            // Blobs a partial clone lacks are fetched later, in one request; trees must be local.
            Some(remote) => e.context(format!(
                "this partial clone lacks trees (a --filter=tree:0 clone?); fetch them with \
                 `git fetch --refetch {remote}` without the filter, or clone with --filter=blob:none"
            )),
            None => e,
        })?;
    }
    for (name, oid) in non_commit_ref_targets(&repo, opts)? {
        walk.add_loose_root(&repo, &name, oid)?;
    }
    if opts.all_objects {
        let (dangling_commits, other_blobs) = unreached_objects(&repo, &walk)?;
        for oid in dangling_commits {
            walk.add_commit(&repo, oid)?;
        }
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
    // The walk's repository holds libgit2's cache of trees (up to 256 MB): let it go while blobs are read.
    drop(repo);
    let scanned = scan_blobs(engine, &git_dir, &jobs, opts)?;
    let repo = Repository::open(&git_dir).map_err(|e| {
        anyhow!(
            "{}: cannot reopen repository: {}",
            git_dir.display(),
            e.message()
        )
    })?;
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

    let mut findings = walk.attribute(&repo, engine, &jobs, scanned.results)?;
    mark_present_at_head(&repo, engine, &mut findings);
    super::tips::mark_present_at_refs(&repo, engine, &mut findings);
    sort_findings(&mut findings);
    stats
        .skipped
        .sort_by(|a, b| (&a.reason, &a.path, &a.detail).cmp(&(&b.reason, &b.path, &b.detail)));
    stats.duration = started.elapsed();
    Ok(ScanOutcome { findings, stats })
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
    let fresh = Repository::open(git_dir).map_err(|e| {
        anyhow!(
            "{}: cannot reopen repository: {}",
            git_dir.display(),
            e.message()
        )
    })?;
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

/// The commits to walk, oldest first (parents before children).
fn select_commits(repo: &Repository, opts: &HistoryOptions) -> Result<Vec<Oid>> {
    let mut walk = repo.revwalk().context("cannot walk commits")?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
    let mut pushed = false;
    if let Some(range) = &opts.range {
        push_range(repo, &mut walk, range)?;
        pushed = true;
    }
    for r in &opts.refs {
        let obj = repo
            .revparse_single(r)
            .map_err(|_| anyhow!("{r}: unknown revision"))?;
        let commit = obj
            .peel_to_commit()
            .map_err(|_| anyhow!("{r}: does not name a commit"))?;
        walk.push(commit.id())?;
        pushed = true;
    }
    if !pushed {
        for oid in all_ref_commits(repo)? {
            walk.push(oid)?;
        }
    }
    let mut out = Vec::new();
    for oid in walk {
        let oid = oid.map_err(|e| anyhow!("cannot walk commits: {}", e.message()))?;
        if let Some(since) = opts.since {
            let c = repo
                .find_commit(oid)
                .map_err(|e| corrupt("commit", oid, &e))?;
            if c.committer().when().seconds() < since {
                continue;
            }
        }
        out.push(oid);
    }
    Ok(out)
}

fn push_range(repo: &Repository, walk: &mut git2::Revwalk, range: &str) -> Result<()> {
    let resolve = |s: &str| -> Result<Oid> {
        let s = if s.is_empty() { "HEAD" } else { s };
        let obj = repo
            .revparse_single(s)
            .map_err(|_| anyhow!("{s}: unknown revision (in range {range})"))?;
        Ok(obj
            .peel_to_commit()
            .map_err(|_| anyhow!("{s}: does not name a commit"))?
            .id())
    };
    if let Some((a, b)) = range.split_once("...") {
        let (a, b) = (resolve(a)?, resolve(b)?);
        walk.push(a)?;
        walk.push(b)?;
        if let Ok(base) = repo.merge_base(a, b) {
            walk.hide(base)?;
        }
    } else if let Some((a, b)) = range.split_once("..") {
        let (a, b) = (resolve(a)?, resolve(b)?);
        walk.push(b)?;
        walk.hide(a)?;
    } else {
        walk.push(resolve(range)?)?;
    }
    Ok(())
}

/// The commit every ref (branches, tags, remote-tracking refs, notes, the stash and its older entries)
/// and HEAD points at.
fn all_ref_commits(repo: &Repository) -> Result<Vec<Oid>> {
    let mut out = Vec::new();
    let mut refs: Vec<git2::Reference> = Vec::new();
    for r in repo.references().context("cannot list refs")? {
        refs.push(r.map_err(|e| anyhow!("cannot read a ref: {}", e.message()))?);
    }
    // HEAD may be unborn (a new repository, a bare one pointing at no branch): that is not an error.
    refs.extend(repo.head().ok());
    for r in refs {
        let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
        let target = match r.resolve() {
            Ok(t) => t,
            Err(_) => continue, // a symbolic ref to nothing
        };
        let obj = target
            .peel(ObjectType::Any)
            .map_err(|e| match target.target() {
                Some(oid) => corrupt(&format!("ref {name} ->"), oid, &e),
                None => anyhow!("cannot read ref {name}: {}", e.message()),
            })?;
        if obj.kind() == Some(ObjectType::Commit) {
            out.push(obj.id());
        }
    }
    // Older stashes live only in the stash's reflog.
    if let Ok(log) = repo.reflog("refs/stash") {
        for entry in log.iter() {
            if repo.find_commit(entry.id_new()).is_ok() {
                out.push(entry.id_new());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Refs that point at a tree or a blob directly (`git tag name <blob>`): what they hold is reachable
/// but no commit introduced it.
fn non_commit_ref_targets(repo: &Repository, opts: &HistoryOptions) -> Result<Vec<(String, Oid)>> {
    if opts.range.is_some() || !opts.refs.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for r in repo.references().context("cannot list refs")? {
        let Ok(r) = r else { continue };
        let Ok(obj) = r.peel(ObjectType::Any) else {
            continue;
        };
        if matches!(obj.kind(), Some(ObjectType::Tree) | Some(ObjectType::Blob)) {
            out.push((
                String::from_utf8_lossy(r.name_bytes()).into_owned(),
                obj.id(),
            ));
        }
    }
    Ok(out)
}

/// Commits no walked ref reaches (oldest first), and every blob in the object database.
fn unreached_objects(repo: &Repository, walk: &Walk) -> Result<(Vec<Oid>, Vec<Oid>)> {
    let odb = repo.odb()?;
    let mut all = Vec::new();
    odb.foreach(|oid| {
        all.push(*oid);
        true
    })
    .map_err(|e| anyhow!("cannot list objects: {}", e.message()))?;
    all.sort();
    all.dedup();
    let walked: HashSet<Oid> = walk.commits.iter().copied().collect();
    let mut commits = Vec::new();
    let mut blobs = Vec::new();
    for oid in all {
        match odb.read_header(oid) {
            Ok((_, ObjectType::Commit)) if !walked.contains(&oid) => commits.push(oid),
            Ok((_, ObjectType::Blob)) => blobs.push(oid),
            Ok(_) => {}
            Err(e) => return Err(corrupt("object", oid, &e)),
        }
    }
    if commits.is_empty() {
        return Ok((commits, blobs));
    }
    let mut rw = repo.revwalk()?;
    rw.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
    for &c in &commits {
        rw.push(c)?;
    }
    for &c in &walk.commits {
        rw.hide(c)?;
    }
    let mut ordered = Vec::new();
    for oid in rw {
        let oid = oid.map_err(|e| anyhow!("cannot walk unreachable commits: {}", e.message()))?;
        if !walked.contains(&oid) {
            ordered.push(oid);
        }
    }
    Ok((ordered, blobs))
}

#[derive(Default)]
struct Walk {
    /// Walked commits, oldest first: the index is the attribution order.
    commits: Vec<Oid>,
    paths: Vec<Box<[u8]>>,
    path_ids: HashMap<Box<[u8]>, u32>,
    blobs: Vec<Oid>,
    /// The first path each blob was met at, to name it in messages.
    first_path: Vec<u32>,
    blob_ids: HashMap<Oid, u32>,
    intros: Vec<Intro>,
    /// Committer time of each walked commit (same index as `commits`).
    commit_times: Vec<i64>,
    /// (blob, path) pairs already introduced, with their index in `intros`: the same content at the
    /// same path introduced again (a revert, a cherry-pick on another branch) is one introduction,
    /// by the first of those commits (see `earlier`), whatever order the walk met them in.
    seen: HashMap<(u32, u32), usize>,
    submodules: BTreeSet<String>,
    path_buf: Vec<u8>,
}

impl Walk {
    fn intern_path(&mut self, p: &[u8]) -> u32 {
        if let Some(&id) = self.path_ids.get(p) {
            return id;
        }
        let id = self.paths.len() as u32;
        let boxed: Box<[u8]> = p.into();
        self.paths.push(boxed.clone());
        self.path_ids.insert(boxed, id);
        id
    }

    fn intern_blob(&mut self, oid: Oid, path: u32) -> u32 {
        let next = self.blobs.len() as u32;
        *self.blob_ids.entry(oid).or_insert_with(|| {
            self.blobs.push(oid);
            self.first_path.push(path);
            next
        })
    }

    fn path(&self, id: u32) -> String {
        String::from_utf8_lossy(&self.paths[id as usize]).into_owned()
    }

    fn first_path_of(&self, blob: u32) -> String {
        self.path(self.first_path[blob as usize])
    }

    fn introduce(&mut self, oid: Oid, commit: u32) {
        let path = self.path_buf.clone();
        let p = self.intern_path(&path);
        let b = self.intern_blob(oid, p);
        let next = self.intros.len();
        let i = *self.seen.entry((b, p)).or_insert(next);
        if i == next {
            self.intros.push(Intro {
                blob: b,
                path: p,
                commit,
            });
        } else if self.earlier(commit, self.intros[i].commit) {
            self.intros[i].commit = commit;
        }
    }

    /// Whether commit `a` comes before commit `b` in attribution order: lower committer time, then
    /// lower hex sha; `NO_COMMIT` comes last. The walk's own order (topological) is not used: on
    /// branches that diverge it depends on which ref the walk started from.
    fn earlier(&self, a: u32, b: u32) -> bool {
        self.commit_key(a) < self.commit_key(b)
    }

    fn commit_key(&self, c: u32) -> (bool, i64, Oid) {
        if c == NO_COMMIT {
            return (true, 0, Oid::zero());
        }
        (
            false,
            self.commit_times[c as usize],
            self.commits[c as usize],
        )
    }

    /// Each commit's position in attribution order (see `earlier`); `NO_COMMIT` maps past the end.
    fn commit_ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.commits.len() as u32).collect();
        order.sort_by_key(|&c| self.commit_key(c));
        let mut rank = vec![0u32; order.len()];
        for (r, &c) in order.iter().enumerate() {
            rank[c as usize] = r as u32;
        }
        rank
    }

    fn add_commit(&mut self, repo: &Repository, oid: Oid) -> Result<()> {
        let commit = repo
            .find_commit(oid)
            .map_err(|e| corrupt("commit", oid, &e))?;
        let tree = commit
            .tree()
            .map_err(|e| corrupt("tree of commit", oid, &e))?;
        let mut parents = Vec::with_capacity(commit.parent_count());
        for i in 0..commit.parent_count() {
            match commit.parent(i) {
                Ok(p) => parents.push(Some(
                    p.tree()
                        .map_err(|e| corrupt("tree of commit", p.id(), &e))?,
                )),
                // The boundary of a shallow clone: the parent is not there, and the commit counts as a root.
                Err(e) if e.code() == ErrorCode::NotFound && repo.is_shallow() => {}
                Err(e) => return Err(corrupt("parent of commit", oid, &e)),
            }
        }
        let index = self.commits.len() as u32;
        self.commits.push(oid);
        self.commit_times.push(commit.time().seconds());
        self.path_buf.clear();
        self.diff(repo, &tree, &parents, index)
    }

    /// A tree or blob a ref points at directly.
    fn add_loose_root(&mut self, repo: &Repository, name: &str, oid: Oid) -> Result<()> {
        let obj = repo
            .find_object(oid, None)
            .map_err(|e| corrupt("object", oid, &e))?;
        self.path_buf.clear();
        self.path_buf.extend_from_slice(name.as_bytes());
        match obj.kind() {
            Some(ObjectType::Blob) => self.introduce(oid, NO_COMMIT),
            Some(ObjectType::Tree) => {
                let tree = obj.peel_to_tree()?;
                self.path_buf.push(b':');
                self.diff(repo, &tree, &[], NO_COMMIT)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Records what `tree` introduces relative to `parents` (the same directory in each parent commit;
    /// `None` where a parent has no tree there). `path_buf` holds the directory's path.
    fn diff(
        &mut self,
        repo: &Repository,
        tree: &Tree,
        parents: &[Option<Tree>],
        commit: u32,
    ) -> Result<()> {
        let base = self.path_buf.len();
        for entry in tree.iter() {
            let id = entry.id();
            let name = entry.name_bytes();
            let mut in_parents: Vec<Option<(Oid, Option<ObjectType>)>> =
                Vec::with_capacity(parents.len());
            let mut unchanged = false;
            for p in parents {
                let pe = p
                    .as_ref()
                    .and_then(|t| t.get_name_bytes(name))
                    .map(|e| (e.id(), e.kind()));
                unchanged |= pe.is_some_and(|(pid, _)| pid == id);
                in_parents.push(pe);
            }
            if unchanged {
                continue;
            }
            self.path_buf.truncate(base);
            self.path_buf.extend_from_slice(name);
            match entry.kind() {
                Some(ObjectType::Blob) => self.introduce(id, commit),
                Some(ObjectType::Tree) => {
                    let sub = repo.find_tree(id).map_err(|e| corrupt("tree", id, &e))?;
                    let mut subs = Vec::with_capacity(in_parents.len());
                    for pe in in_parents {
                        subs.push(match pe {
                            Some((pid, Some(ObjectType::Tree))) => {
                                Some(repo.find_tree(pid).map_err(|e| corrupt("tree", pid, &e))?)
                            }
                            _ => None,
                        });
                    }
                    self.path_buf.push(b'/');
                    self.diff(repo, &sub, &subs, commit)?;
                }
                Some(ObjectType::Commit) => {
                    let p = String::from_utf8_lossy(&self.path_buf).into_owned();
                    self.submodules.insert(p);
                }
                _ => {}
            }
        }
        self.path_buf.truncate(base);
        Ok(())
    }

    /// One job per unique blob, in the order they were met, with the paths whose path-scoped rules the
    /// blob must also go through.
    fn jobs(&self, engine: &Engine) -> Vec<Job> {
        let mut path_rules: HashMap<u32, bool> = HashMap::new();
        let mut jobs: Vec<Job> = self
            .blobs
            .iter()
            .enumerate()
            .map(|(i, &oid)| Job {
                blob: i as u32,
                oid,
                lineage: self.first_path[i],
                rule_paths: Vec::new(),
                missing: false,
            })
            .collect();
        for intro in &self.intros {
            let needs = *path_rules.entry(intro.path).or_insert_with(|| {
                let p = String::from_utf8_lossy(&self.paths[intro.path as usize]).into_owned();
                engine.has_path_rules_for(&p)
            });
            if needs {
                let j = &mut jobs[intro.blob as usize];
                if !j.rule_paths.iter().any(|(p, _)| *p == intro.path) {
                    j.rule_paths.push((intro.path, self.path(intro.path)));
                }
            }
        }
        jobs
    }

    /// Turns hits into findings: for each rule, path and secret, the occurrences in the blob of the
    /// first commit (see `earlier`) that introduced that secret at that path.
    fn attribute(
        &self,
        repo: &Repository,
        engine: &Engine,
        jobs: &[Job],
        results: Vec<BlobHits>,
    ) -> Result<Vec<Finding>> {
        let rank = self.commit_ranks();
        let results = results
            .into_iter()
            .map(|r| (jobs[r.job].blob, r.content_hits, r.path_hits))
            .collect();
        attribute_hits(
            engine,
            &self.paths,
            &self.intros,
            &rank,
            results,
            |commit| commit_info(repo, self.commits[commit as usize]),
        )
    }
}

/// Where a blob was introduced: `path` and `commit` index the caller's tables (`NO_COMMIT`: none).
#[derive(Clone, Copy, Debug)]
pub(super) struct Intro {
    pub blob: u32,
    pub path: u32,
    pub commit: u32,
}

/// One blob's hits: its index, content hits, and path-rule hits by path index.
pub(super) type BlobResult = (u32, Vec<Hit>, Vec<(u32, Vec<Hit>)>);

/// The attribution shared by the object backends (libgit2 here, the git CLI in `gitcli`): each
/// blob's hits become findings at every path it was introduced at; for each (rule, path, secret)
/// only the occurrences in the blob of the earliest introducing commit (`rank`: position in
/// attribution order, by commit index) are kept, one per line. Different secrets are never merged,
/// whatever position they share. `info` gives a commit's details; it is asked once per commit that
/// introduces a hit (allowlists may name commits, so they are asked before the choice).
pub(super) fn attribute_hits(
    engine: &Engine,
    paths: &[Box<[u8]>],
    intros: &[Intro],
    rank: &[u32],
    results: Vec<BlobResult>,
    mut info: impl FnMut(u32) -> Result<CommitInfo>,
) -> Result<Vec<Finding>> {
    let with_hits: HashSet<u32> = results.iter().map(|r| r.0).collect();
    let mut intros_by_blob: HashMap<u32, Vec<Intro>> = HashMap::new();
    for i in intros {
        if with_hits.contains(&i.blob) {
            intros_by_blob.entry(i.blob).or_default().push(*i);
        }
    }
    let rank_of = |c: u32| {
        if c == NO_COMMIT {
            u32::MAX
        } else {
            rank[c as usize]
        }
    };
    let mut infos: HashMap<u32, CommitInfo> = HashMap::new();
    // (rule, path, secret) -> (rank of the earliest introducing commit, its findings)
    let mut best: HashMap<(usize, u32, String), (u32, Vec<Finding>)> = HashMap::new();
    for (blob, content_hits, path_hits) in &results {
        let Some(intros) = intros_by_blob.get(blob) else {
            continue;
        };
        for intro in intros {
            let path = String::from_utf8_lossy(&paths[intro.path as usize]).into_owned();
            let commit = if intro.commit == NO_COMMIT {
                None
            } else {
                if let Entry::Vacant(v) = infos.entry(intro.commit) {
                    v.insert(info(intro.commit)?);
                }
                infos.get(&intro.commit)
            };
            let r = rank_of(intro.commit);
            let path_hits = path_hits
                .iter()
                .filter(|(p, _)| *p == intro.path)
                .flat_map(|(_, h)| h.iter());
            for hit in content_hits.iter().chain(path_hits) {
                let Some(f) = engine.finding(hit, &path, commit) else {
                    continue;
                };
                let key = (hit.rule, intro.path, hit.secret.expose().to_string());
                match best.get_mut(&key) {
                    Some((c, fs)) if *c == r => fs.push(f),
                    Some((c, fs)) if *c > r => {
                        *c = r;
                        *fs = vec![f];
                    }
                    Some(_) => {}
                    None => {
                        best.insert(key, (r, vec![f]));
                    }
                }
            }
        }
    }
    let mut out: Vec<Finding> = best.into_values().flat_map(|(_, fs)| fs).collect();
    sort_findings(&mut out);
    // One finding per (rule, path, secret, line): the same secret twice on a line is one leak, at its
    // first column. Different secrets, or the same secret on another line, stay apart.
    let mut kept: HashSet<(Arc<str>, String, String, usize)> = HashSet::new();
    out.retain(|f| {
        kept.insert((
            f.rule_id.clone(),
            f.path.clone(),
            f.secret.expose().to_string(),
            f.line,
        ))
    });
    Ok(out)
}

fn commit_info(repo: &Repository, oid: Oid) -> Result<CommitInfo> {
    let c = repo
        .find_commit(oid)
        .map_err(|e| corrupt("commit", oid, &e))?;
    let author = c.author();
    let when = author.when();
    Ok(CommitInfo {
        sha: oid.to_string(),
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        date: rfc3339(when.seconds(), when.offset_minutes()),
        subject: c
            .summary_bytes()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default(),
    })
}

/// Whether each finding's secret is still in the file at its path in HEAD's tree (None without HEAD,
/// and for findings with no commit).
fn mark_present_at_head(repo: &Repository, engine: &Engine, findings: &mut [Finding]) {
    let Some(head) = repo.head().ok().and_then(|h| h.peel_to_tree().ok()) else {
        return;
    };
    let mut at_head: HashMap<String, HashSet<(String, String)>> = HashMap::new();
    for f in findings.iter_mut() {
        if f.commit.is_none() {
            continue;
        }
        let present = at_head
            .entry(f.path.clone())
            .or_insert_with(|| head_hits(repo, engine, &head, &f.path));
        f.present_at_head =
            Some(present.contains(&(f.rule_id.to_string(), f.secret.expose().to_string())));
    }
}

fn head_hits(
    repo: &Repository,
    engine: &Engine,
    head: &Tree,
    path: &str,
) -> HashSet<(String, String)> {
    let mut out = HashSet::new();
    let Ok(entry) = head.get_path(Path::new(path)) else {
        return out;
    };
    if entry.kind() != Some(ObjectType::Blob) {
        return out;
    }
    let Ok(blob) = repo.find_blob(entry.id()) else {
        return out;
    };
    let data = blob.content();
    let content = classify(data);
    let text: &[u8] = match &content {
        Content::Text(t) => t,
        Content::Binary => b"",
    };
    for hit in engine.scan(text, PathScope::At(path)) {
        if hit.inline_allowed {
            continue;
        }
        out.insert((
            engine.rule(hit.rule).id.to_string(),
            hit.secret.expose().to_string(),
        ));
    }
    out
}

/// A unique blob to scan.
struct Job {
    blob: u32,
    oid: Oid,
    /// The path the blob was first met at: versions of one file share it, and are scanned one after
    /// the other so that each is matched only where it differs from the one before.
    lineage: u32,
    /// Paths the blob was introduced at where some path-scoped rule applies.
    rule_paths: Vec<(u32, String)>,
    /// Not in the local object store (a partial clone's blob that was not fetched).
    missing: bool,
}

/// What scanning one blob found; only blobs with hits are kept.
struct BlobHits {
    job: usize,
    content_hits: Vec<Hit>,
    path_hits: Vec<(u32, Vec<Hit>)>,
}

#[derive(Default)]
struct Scanned {
    scanned: u64,
    bytes: u64,
    skipped: Vec<(usize, SkipReason, String)>,
    results: Vec<BlobHits>,
}

/// Scans every job's blob once, on worker threads that each open the repository themselves.
fn scan_blobs(
    engine: &Engine,
    git_dir: &Path,
    jobs: &[Job],
    opts: &HistoryOptions,
) -> Result<Scanned> {
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let threads = threads.clamp(1, jobs.len().max(1));
    // The versions of one file are read together, in pack order: a delta's base (usually another
    // version of the same file) comes before it in the pack, so it is still in the worker's cache,
    // and each version is matched only where it differs from the one before. Files come in the pack
    // order of their first version. Workers take runs of consecutive jobs.
    let packs = PackSet::open(git_dir);
    let locs: Vec<Option<Location>> = jobs.iter().map(|j| packs.locate(&j.oid)).collect();
    let mut first_of_lineage: HashMap<u32, (bool, Option<Location>)> = HashMap::new();
    for (j, loc) in jobs.iter().zip(&locs) {
        let key = (loc.is_none(), *loc);
        first_of_lineage
            .entry(j.lineage)
            .and_modify(|k| *k = (*k).min(key))
            .or_insert(key);
    }
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| {
        (
            first_of_lineage[&jobs[i].lineage],
            jobs[i].lineage,
            locs[i].is_none(),
            locs[i],
        )
    });
    const RUN: usize = 64;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let bytes_done = AtomicU64::new(0);
    let failed = AtomicBool::new(false);
    let finished = AtomicBool::new(false);
    let first_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    // Blobs too big to stream are read whole: one at a time, so memory stays bounded.
    let big = Mutex::new(());
    let mut total = Scanned::default();
    std::thread::scope(|s| {
        let progress = opts.progress.then(|| {
            s.spawn(|| {
                let bar = Progress::blobs(jobs.len(), true);
                while !finished.load(Ordering::Relaxed) {
                    std::thread::sleep(Progress::TICK);
                    bar.update(
                        done.load(Ordering::Relaxed),
                        bytes_done.load(Ordering::Relaxed),
                    );
                }
                bar.finish();
            })
        });
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> Scanned {
                    let mut local = Scanned::default();
                    let repo = Repository::open(git_dir);
                    let odb = match repo
                        .as_ref()
                        .map_err(|e| e.message().to_string())
                        .and_then(|r| r.odb().map_err(|e| e.message().to_string()))
                    {
                        Ok(o) => o,
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            first_error
                                .lock()
                                .unwrap()
                                .get_or_insert(anyhow!("cannot open repository: {e}"));
                            return local;
                        }
                    };
                    let odb = &odb;
                    let mut packed = Some(PackReader::new(&packs, PACK_CACHE_BYTES));
                    let mut previous: Option<Previous> = None;
                    let mut run = 0..0;
                    while !failed.load(Ordering::Relaxed) {
                        let i = match run.next() {
                            Some(k) => order[k],
                            None => {
                                let start = next.fetch_add(RUN, Ordering::Relaxed);
                                if start >= order.len() {
                                    break;
                                }
                                run = start..(start + RUN).min(order.len());
                                continue;
                            }
                        };
                        let found = scan_one(
                            engine,
                            odb,
                            &mut packed,
                            locs[i],
                            &jobs[i],
                            opts,
                            &big,
                            &mut previous,
                        );
                        match found {
                            Ok(outcome) => {
                                bytes_done.fetch_add(outcome.size, Ordering::Relaxed);
                                match outcome.skipped {
                                    Some((reason, detail)) => {
                                        local.skipped.push((i, reason, detail))
                                    }
                                    None => {
                                        local.scanned += 1;
                                        local.bytes += outcome.size;
                                    }
                                }
                                if !outcome.content_hits.is_empty() || !outcome.path_hits.is_empty()
                                {
                                    local.results.push(BlobHits {
                                        job: i,
                                        content_hits: outcome.content_hits,
                                        path_hits: outcome.path_hits,
                                    });
                                }
                            }
                            Err(e) => {
                                failed.store(true, Ordering::Relaxed);
                                first_error.lock().unwrap().get_or_insert(e);
                            }
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    local
                })
            })
            .collect();
        for w in workers {
            let local = w.join().expect("scan worker does not panic");
            total.scanned += local.scanned;
            total.bytes += local.bytes;
            total.skipped.extend(local.skipped);
            total.results.extend(local.results);
        }
        finished.store(true, Ordering::Relaxed);
        if let Some(p) = progress {
            let _ = p.join();
        }
    });
    if let Some(e) = first_error.into_inner().unwrap() {
        return Err(e);
    }
    total.results.sort_by_key(|r| r.job);
    Ok(total)
}

struct BlobOutcome {
    size: u64,
    skipped: Option<(SkipReason, String)>,
    content_hits: Vec<Hit>,
    path_hits: Vec<(u32, Vec<Hit>)>,
}

/// The last large text blob a worker matched, kept to match the next version of the same file against.
struct Previous {
    lineage: u32,
    text: Arc<Vec<u8>>,
    keywords: Keywords,
}

#[allow(clippy::too_many_arguments)]
fn scan_one(
    engine: &Engine,
    odb: &Odb,
    packed: &mut Option<PackReader>,
    loc: Option<Location>,
    job: &Job,
    opts: &HistoryOptions,
    big: &Mutex<()>,
    previous: &mut Option<Previous>,
) -> Result<BlobOutcome> {
    let oid = job.oid;
    if job.missing {
        return Ok(BlobOutcome {
            size: 0,
            skipped: Some((
                SkipReason::MissingPromisorObject,
                format!("blob {}, not in this partial clone", short(oid)),
            )),
            content_hits: Vec::new(),
            path_hits: path_rule_hits(engine, job, b""),
        });
    }
    // The pack reader first; anything it cannot do (or a damaged pack) goes to libgit2, whose verdict stands.
    let from_pack = match (packed.as_mut(), loc) {
        (Some(r), Some(l)) => r
            .header(l)
            .ok()
            .filter(|(kind, _)| *kind == pack::BLOB)
            .map(|(_, size)| size),
        _ => None,
    };
    let size = match from_pack {
        Some(size) => size as u64,
        None => {
            odb.read_header(oid)
                .map_err(|e| corrupt("blob", oid, &e))?
                .0 as u64
        }
    };
    let mut out = BlobOutcome {
        size,
        skipped: None,
        content_hits: Vec::new(),
        path_hits: Vec::new(),
    };
    if opts.max_blob_size.is_some_and(|max| size > max) {
        out.skipped = Some((
            SkipReason::TooLarge,
            format!("{size} bytes, blob {}", short(oid)),
        ));
        out.path_hits = path_rule_hits(engine, job, b"");
        return Ok(out);
    }
    let _one_at_a_time = if size > STREAM_THRESHOLD {
        if from_pack.is_none() {
            if let Ok((mut reader, _, _)) = odb.reader(oid) {
                // Loose objects stream; packed ones cannot and are read whole below.
                let mut head = vec![0u8; super::BINARY_PROBE];
                let n = read_full(&mut reader, &mut head)
                    .map_err(|e| anyhow!("cannot read blob {}: {e}", short(oid)))?;
                head.truncate(n);
                if super::is_binary_prefix(&head) {
                    out.skipped = Some((SkipReason::Binary, format!("blob {}", short(oid))));
                    out.path_hits = path_rule_hits(engine, job, b"");
                    return Ok(out);
                }
                let stream = std::io::Cursor::new(head).chain(reader);
                out.content_hits = engine
                    .scan_reader(stream, PathScope::ContentOnly, STREAM_CHUNK)
                    .map_err(|e| anyhow!("cannot read blob {}: {e}", short(oid)))?;
                out.path_hits = path_rule_hits(engine, job, b"");
                return Ok(out);
            }
        }
        // Blobs too big to stream are held whole: one at a time, so memory stays bounded.
        Some(big.lock().unwrap_or_else(|e| e.into_inner()))
    } else {
        None
    };
    if from_pack.is_some() {
        if let (Some(r), Some(l)) = (packed.as_mut(), loc) {
            if let Ok((pack::BLOB, data)) = r.read(l) {
                scan_data(engine, job, &data, Some(&data), opts, &mut out, previous);
                return Ok(out);
            }
        }
    }
    let obj = odb.read(oid).map_err(|e| corrupt("blob", oid, &e))?;
    scan_data(engine, job, obj.data(), None, opts, &mut out, previous);
    Ok(out)
}

/// Matches one blob's content; `shared` is the same bytes as `data` when they are already held in
/// an `Arc` (the pack reader's), so that keeping them for the next version costs no copy.
fn scan_data(
    engine: &Engine,
    job: &Job,
    data: &[u8],
    shared: Option<&Arc<Vec<u8>>>,
    opts: &HistoryOptions,
    out: &mut BlobOutcome,
    previous: &mut Option<Previous>,
) {
    match classify(data) {
        Content::Binary => {
            out.skipped = Some((SkipReason::Binary, format!("blob {}", short(job.oid))));
            out.path_hits = path_rule_hits(engine, job, b"");
        }
        Content::Text(text) => {
            let incremental = !opts.full_rescan && text.len() >= INCREMENTAL_MIN;
            let before = previous
                .as_ref()
                .filter(|p| incremental && p.lineage == job.lineage);
            let (hits, keywords) = match before {
                Some(p) => engine.scan_changed(&text, PathScope::ContentOnly, &p.text, &p.keywords),
                None => engine.scan_keeping_keywords(&text, PathScope::ContentOnly),
            };
            out.content_hits = hits;
            if incremental {
                let text = match (&text, shared) {
                    (std::borrow::Cow::Borrowed(_), Some(bytes)) => Arc::clone(bytes),
                    _ => Arc::new(text.to_vec()),
                };
                *previous = Some(Previous {
                    lineage: job.lineage,
                    text,
                    keywords,
                });
            }
            out.path_hits = path_rule_hits(engine, job, &text);
        }
    }
}

/// Path-scoped rules for each path the blob was introduced at. On a blob whose content is not scanned
/// (binary, too large) `data` is empty, and the rules that match on the path alone still fire.
fn path_rule_hits(engine: &Engine, job: &Job, data: &[u8]) -> Vec<(u32, Vec<Hit>)> {
    job.rule_paths
        .iter()
        .map(|(p, path)| (*p, engine.scan(data, PathScope::PathRulesAt(path))))
        .filter(|(_, h)| !h.is_empty())
        .collect()
}

fn short(oid: Oid) -> String {
    oid.to_string()[..12].to_string()
}

/// A read failure inside the object database: the repository is damaged (or a partial clone).
fn corrupt(what: &str, oid: Oid, e: &git2::Error) -> anyhow::Error {
    // A missing object is also what a partial clone looks like: say so rather than only "corrupt".
    let hint = if e.code() == git2::ErrorCode::NotFound {
        " (or an incomplete clone)"
    } else {
        ""
    };
    anyhow!(
        "corrupt repository{hint}: cannot read {what} {}: {}",
        short(oid),
        e.message().trim_end_matches('.')
    )
}

// Dates moved to crate::dates; re-exported for the callers of history's API.
pub use crate::dates::{now, parse_since, rfc3339};

/// The `git filter-repo --replace-text` expressions that remove every secret in `findings`: one line
/// per unique secret. Single-line secrets are `literal:` expressions; a secret spanning lines (a
/// private key block) or containing `==>` is written as an escaped `regex:`, since the file is read
/// line by line. Findings without a secret (a whole file matched by a path rule) cannot be replaced
/// by text; their paths are returned separately, for `--invert-paths`.
pub fn remediation_expressions(findings: &[Finding]) -> (String, Vec<String>) {
    let mut seen = HashSet::new();
    let mut text = String::new();
    let mut whole_files = BTreeSet::new();
    for f in findings {
        // A decoded secret is removed as it stands in the files: its encoded text.
        let s = f.encoded.as_ref().unwrap_or(&f.secret).expose();
        if s.is_empty() {
            whole_files.insert(f.path.clone());
            continue;
        }
        if !seen.insert(s.to_string()) {
            continue;
        }
        if s.contains(['\n', '\r']) || s.contains("==>") {
            text.push_str("regex:");
            text.push_str(&regex_escape(s));
        } else {
            text.push_str("literal:");
            text.push_str(s);
        }
        text.push_str("==>***REMOVED***\n");
    }
    (text, whole_files.into_iter().collect())
}

/// Escapes for Python's `re` (what filter-repo uses), keeping the expression on one line.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '=' | '>' | '-' | '/' | ' ' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() => out.push(c),
            c => {
                out.push('\\');
                out.push(c);
            }
        }
    }
    out
}

/// The repository's directory for config discovery: the work tree, or the git dir of a bare repository.
pub fn config_root(repo_path: &Path) -> PathBuf {
    match open_any(repo_path) {
        Ok(Opened::Git2(r)) => r
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| r.path().to_path_buf()),
        Ok(Opened::Cli(r)) => r.root(),
        Err(_) => repo_path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_escape_keeps_one_line() {
        let e = regex_escape("-----BEGIN KEY-----\nab+c/=\n");
        assert!(!e.contains('\n'));
        assert_eq!(
            e,
            "\\-\\-\\-\\-\\-BEGIN\\ KEY\\-\\-\\-\\-\\-\\nab\\+c\\/\\=\\n"
        );
    }
}
