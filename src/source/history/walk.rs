//! The walk: for each commit, oldest first, what it introduces (the blobs that differ from the
//! same path in every parent), found by comparing trees by object id. Only ids and interned paths are
//! kept, never content.

use super::attribute::Intro;
use super::objects::{Commit, Kind, Objects, Tree};
use super::NO_COMMIT;
use crate::engine::Engine;
use crate::source::git::{corrupt, reopen};
use crate::source::pack::PackSet;
use anyhow::Result;
use git2::{ErrorCode, ObjectType, Oid, Repository};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

#[derive(Default)]
pub(super) struct Walk {
    /// Walked commits, oldest first: the index is the attribution order.
    pub(super) commits: Vec<Oid>,
    pub(super) paths: Vec<Box<[u8]>>,
    pub(super) path_ids: HashMap<Box<[u8]>, u32>,
    pub(super) blobs: Vec<Oid>,
    /// The first path each blob was met at, to name it in messages.
    pub(super) first_path: Vec<u32>,
    pub(super) blob_ids: HashMap<Oid, u32>,
    pub(super) intros: Vec<Intro>,
    /// Each walked commit's committer time, corrected to exceed its walked parents' (same index as
    /// `commits`; see `earlier`).
    pub(super) commit_times: Vec<i64>,
    /// Each walked commit's index in `commits`, to find its parents' corrected times.
    commit_index: HashMap<Oid, u32>,
    /// (blob, path) pairs already introduced, with their index in `intros`: the same content at the
    /// same path introduced again (a revert, a cherry-pick on another branch) is one introduction,
    /// by the first of those commits (see `earlier`), whatever order the walk met them in.
    pub(super) seen: HashMap<(u32, u32), usize>,
    pub(super) submodules: BTreeSet<String>,
    pub(super) path_buf: Vec<u8>,
    /// Whether some path-scoped rule applies at each path (same index as `paths`), as far as known:
    /// worked out while the walk's threads diff commits rather than after (it was 42M instructions
    /// on tokio, serial, with the other core idle).
    path_rules: Vec<bool>,
}

impl Walk {
    pub(super) fn intern_path(&mut self, p: &[u8]) -> u32 {
        if let Some(&id) = self.path_ids.get(p) {
            return id;
        }
        let id = self.paths.len() as u32;
        let boxed: Box<[u8]> = p.into();
        self.paths.push(boxed.clone());
        self.path_ids.insert(boxed, id);
        id
    }

    pub(super) fn intern_blob(&mut self, oid: Oid, path: u32) -> u32 {
        let next = self.blobs.len() as u32;
        *self.blob_ids.entry(oid).or_insert_with(|| {
            self.blobs.push(oid);
            self.first_path.push(path);
            next
        })
    }

    /// Works out `path_rules` for the paths met since last time.
    fn note_path_rules(&mut self, engine: &Engine) {
        for p in &self.paths[self.path_rules.len()..] {
            let p = String::from_utf8_lossy(p);
            self.path_rules.push(engine.has_path_rules_for(&p));
        }
    }

    pub(super) fn path(&self, id: u32) -> String {
        String::from_utf8_lossy(&self.paths[id as usize]).into_owned()
    }

    pub(super) fn first_path_of(&self, blob: u32) -> String {
        self.path(self.first_path[blob as usize])
    }

    pub(super) fn introduce(&mut self, oid: Oid, commit: u32) {
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

    /// Whether commit `a` comes before commit `b` in attribution order: lower corrected committer
    /// time, then lower hex sha; `NO_COMMIT` comes last. The walk's own order (topological) is not
    /// used: on branches that diverge it depends on which ref the walk started from. The corrected
    /// time (git's commit-graph "corrected commit date") is the committer time, raised where needed
    /// to one second past every parent's: a commit never comes before its own ancestor. Without it
    /// a rebase, a script or a skewed clock (commits of one second, a child dated before its
    /// parent) let the sha decide, and a secret kept in a later commit's blob was attributed to
    /// that commit rather than to the ancestor that introduced it. Between commits of diverging
    /// branches it is the committer time, as before.
    pub(super) fn earlier(&self, a: u32, b: u32) -> bool {
        self.commit_key(a) < self.commit_key(b)
    }

    pub(super) fn commit_key(&self, c: u32) -> (bool, i64, Oid) {
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
    pub(super) fn commit_ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.commits.len() as u32).collect();
        order.sort_by_key(|&c| self.commit_key(c));
        let mut rank = vec![0u32; order.len()];
        for (r, &c) in order.iter().enumerate() {
            rank[c as usize] = r as u32;
        }
        rank
    }

    /// Records a commit and what it introduces, as `diff_commit` found it: the same whichever thread
    /// found it, and applied in walk order, so blob and path indices are those of a serial walk.
    pub(super) fn apply(&mut self, oid: Oid, diff: CommitDiff) {
        let index = self.commits.len() as u32;
        let time = diff
            .parents
            .iter()
            .filter_map(|p| self.commit_index.get(p))
            .map(|&p| self.commit_times[p as usize].saturating_add(1))
            .fold(diff.time, i64::max);
        self.commits.push(oid);
        self.commit_index.insert(oid, index);
        self.commit_times.push(time);
        self.apply_intros(&diff, index);
    }

    fn apply_intros(&mut self, diff: &CommitDiff, commit: u32) {
        let mut start = 0;
        for &(end, blob) in &diff.blobs {
            self.path_buf.clear();
            self.path_buf.extend_from_slice(&diff.paths[start..end]);
            self.introduce(blob, commit);
            start = end;
        }
        self.submodules.extend(diff.submodules.iter().cloned());
    }

    /// Walks `commits` (oldest first) on `threads` threads: each diffs runs of consecutive commits with
    /// its own repository and object reader, and this thread records them in walk order as they come
    /// in. The trees are read and compared in parallel; the result is that of a serial walk, byte for
    /// byte (the same indices, the same first paths, the same first error).
    pub(super) fn add_commits(
        &mut self,
        repo: &Repository,
        git_dir: &Path,
        commits: &[Oid],
        threads: usize,
        known: &HashMap<Oid, Commit>,
        engine: &Engine,
    ) -> Result<()> {
        // Small runs keep every thread busy to the end; a run's diffs are a few kilobytes.
        const RUN: usize = 16;
        // The packs' pages read by the walk are handed back every this many runs (see
        // `PackSet::release_pages`): on a long history they would add up to the whole pack.
        const RELEASE_EVERY: usize = 256;
        let packs = PackSet::open(git_dir);
        let runs = commits.len().div_ceil(RUN);
        if threads <= 1 || runs <= 1 {
            let mut objects = Objects::new(repo, &packs).with_known(known);
            for (i, &oid) in commits.iter().enumerate() {
                let diff = diff_commit(&mut objects, oid)?;
                self.apply(oid, diff);
                if (i + 1) % (RUN * RELEASE_EVERY) == 0 {
                    packs.release_pages();
                }
            }
            return Ok(());
        }
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::sync_channel::<(usize, Result<Vec<CommitDiff>>)>(threads * 4);
        std::thread::scope(|s| {
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, packs) = (&next, &packs);
                s.spawn(move || {
                    let repo = match reopen(git_dir) {
                        Ok(r) => r,
                        Err(e) => {
                            let run = next.fetch_add(1, Ordering::Relaxed);
                            let _ = tx.send((run, Err(e.into())));
                            return;
                        }
                    };
                    let mut objects = Objects::new(&repo, packs).with_known(known);
                    loop {
                        let run = next.fetch_add(1, Ordering::Relaxed);
                        if run >= runs {
                            return;
                        }
                        if run % RELEASE_EVERY == RELEASE_EVERY - 1 {
                            packs.release_pages();
                        }
                        let diffs = commits[run * RUN..]
                            .iter()
                            .take(RUN)
                            .map(|&oid| diff_commit(&mut objects, oid))
                            .collect();
                        // The receiver is gone only after an error: stop.
                        if tx.send((run, diffs)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(tx);
            // Runs arrive in any order; they are recorded in order. Returning drops the receiver,
            // which stops the other threads at their next run.
            let mut waiting: BTreeMap<usize, Result<Vec<CommitDiff>>> = BTreeMap::new();
            let mut want = 0;
            for (run, diffs) in rx {
                waiting.insert(run, diffs);
                while let Some(diffs) = waiting.remove(&want) {
                    let first = want * RUN;
                    for (k, diff) in diffs?.into_iter().enumerate() {
                        self.apply(commits[first + k], diff);
                    }
                    self.note_path_rules(engine);
                    want += 1;
                }
            }
            if want < runs {
                // A thread could not open the repository before taking its run: say why.
                match waiting.into_values().find_map(|d| d.err()) {
                    Some(e) => return Err(e),
                    None => return Err(anyhow::anyhow!("the commit walk stopped early")),
                }
            }
            Ok(())
        })?;
        packs.release_pages();
        Ok(())
    }

    /// A tree or blob a ref points at directly.
    pub(super) fn add_loose_root(&mut self, repo: &Repository, name: &str, oid: Oid) -> Result<()> {
        let obj = repo
            .find_object(oid, None)
            .map_err(|e| corrupt("object", oid, &e))?;
        self.path_buf.clear();
        self.path_buf.extend_from_slice(name.as_bytes());
        match obj.kind() {
            Some(ObjectType::Blob) => self.introduce(oid, NO_COMMIT),
            Some(ObjectType::Tree) => {
                let packs = PackSet::open(repo.path());
                let mut objects = Objects::new(repo, &packs);
                let tree = objects.tree(oid).map_err(|e| corrupt("tree", oid, &e))?;
                let mut diff = CommitDiff::default();
                let mut path = name.as_bytes().to_vec();
                path.push(b':');
                diff_tree(&mut objects, &tree, &[], &mut path, &mut diff)?;
                self.apply_intros(&diff, NO_COMMIT);
            }
            _ => {}
        }
        Ok(())
    }

    /// One job per unique blob, in the order they were met, with the paths whose path-scoped rules the
    /// blob must also go through.
    pub(super) fn jobs(&mut self, engine: &Engine) -> Vec<Job> {
        self.note_path_rules(engine);
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
            if self.path_rules[intro.path as usize] {
                let j = &mut jobs[intro.blob as usize];
                if !j.rule_paths.iter().any(|(p, _)| *p == intro.path) {
                    j.rule_paths.push((intro.path, self.path(intro.path)));
                }
            }
        }
        jobs
    }
}

/// A unique blob to scan.
pub(super) struct Job {
    pub(super) blob: u32,
    pub(super) oid: Oid,
    /// The path the blob was first met at: versions of one file share it, and are scanned one after
    /// the other so that each is matched only where it differs from the one before.
    pub(super) lineage: u32,
    /// Paths the blob was introduced at where some path-scoped rule applies.
    pub(super) rule_paths: Vec<(u32, String)>,
    /// Not in the local object store (a partial clone's blob that was not fetched).
    pub(super) missing: bool,
}

/// What one commit introduces, found without touching the walk (so on any thread): its committer
/// time, the introduced blobs in tree order with their paths, and the submodules met.
#[derive(Default)]
pub(super) struct CommitDiff {
    time: i64,
    parents: Vec<Oid>,
    /// The introduced blobs' paths, one after the other.
    paths: Vec<u8>,
    /// Each introduced blob, with where its path ends in `paths`.
    blobs: Vec<(usize, Oid)>,
    submodules: Vec<String>,
}

/// Compares a commit's tree with the trees of its parents (see `diff_tree`).
pub(super) fn diff_commit(objects: &mut Objects, oid: Oid) -> Result<CommitDiff> {
    let commit = objects
        .commit(oid)
        .map_err(|e| corrupt("commit", oid, &e))?;
    let tree = objects
        .tree(commit.tree)
        .map_err(|e| corrupt("tree of commit", oid, &e))?;
    let mut parents = Vec::with_capacity(commit.parents.len());
    for &p in &commit.parents {
        match objects.commit_tree(p) {
            Ok(t) => parents.push(Some(
                objects
                    .tree(t)
                    .map_err(|e| corrupt("tree of commit", p, &e))?,
            )),
            // The boundary of a shallow clone: the parent is not there, and the commit counts as a root.
            Err(e) if e.code() == ErrorCode::NotFound && objects.is_shallow() => {}
            Err(e) => return Err(corrupt("parent of commit", oid, &e).into()),
        }
    }
    let mut diff = CommitDiff {
        time: commit.time,
        parents: commit.parents.clone(),
        ..CommitDiff::default()
    };
    diff_tree(objects, &tree, &parents, &mut Vec::new(), &mut diff)?;
    Ok(diff)
}

/// Records in `out` what `tree` introduces relative to `parents` (the same directory in each parent
/// commit; `None` where a parent has no tree there): the blobs that differ from the same path in
/// every parent. `path` holds the directory's path.
fn diff_tree(
    objects: &mut Objects,
    tree: &Tree,
    parents: &[Option<Arc<Tree>>],
    path: &mut Vec<u8>,
    out: &mut CommitDiff,
) -> Result<()> {
    let base = path.len();
    let mut in_parents: Vec<Option<(Oid, Kind)>> = Vec::with_capacity(parents.len());
    for entry in tree.entries() {
        let id = entry.id;
        let name = tree.name(entry);
        in_parents.clear();
        let mut unchanged = false;
        for p in parents {
            let pe = p.as_ref().and_then(|t| t.get(name)).map(|e| (e.id, e.kind));
            unchanged |= pe.is_some_and(|(pid, _)| pid == id);
            in_parents.push(pe);
        }
        if unchanged {
            continue;
        }
        path.truncate(base);
        path.extend_from_slice(name);
        match entry.kind {
            Kind::Blob => {
                out.paths.extend_from_slice(path);
                out.blobs.push((out.paths.len(), id));
            }
            Kind::Tree => {
                let sub = objects.tree(id).map_err(|e| corrupt("tree", id, &e))?;
                let mut subs = Vec::with_capacity(in_parents.len());
                for &pe in &in_parents {
                    subs.push(match pe {
                        Some((pid, Kind::Tree)) => {
                            Some(objects.tree(pid).map_err(|e| corrupt("tree", pid, &e))?)
                        }
                        _ => None,
                    });
                }
                path.push(b'/');
                diff_tree(objects, &sub, &subs, path, out)?;
            }
            Kind::Commit => {
                out.submodules
                    .push(String::from_utf8_lossy(path).into_owned());
            }
            Kind::Other => {}
        }
    }
    path.truncate(base);
    Ok(())
}
