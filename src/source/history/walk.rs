//! The walk: for each commit, oldest first, what it introduces (the blobs that differ from the
//! same path in every parent), found by comparing trees by object id. Only ids and interned paths are
//! kept, never content.

use super::attribute::Intro;
use super::NO_COMMIT;
use crate::engine::Engine;
use crate::source::git::corrupt;
use anyhow::Result;
use git2::{ErrorCode, ObjectType, Oid, Repository, Tree};
use std::collections::{BTreeSet, HashMap};

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
    /// Committer time of each walked commit (same index as `commits`).
    pub(super) commit_times: Vec<i64>,
    /// (blob, path) pairs already introduced, with their index in `intros`: the same content at the
    /// same path introduced again (a revert, a cherry-pick on another branch) is one introduction,
    /// by the first of those commits (see `earlier`), whatever order the walk met them in.
    pub(super) seen: HashMap<(u32, u32), usize>,
    pub(super) submodules: BTreeSet<String>,
    pub(super) path_buf: Vec<u8>,
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

    /// Whether commit `a` comes before commit `b` in attribution order: lower committer time, then
    /// lower hex sha; `NO_COMMIT` comes last. The walk's own order (topological) is not used: on
    /// branches that diverge it depends on which ref the walk started from.
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

    pub(super) fn add_commit(&mut self, repo: &Repository, oid: Oid) -> Result<()> {
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
                Err(e) => return Err(corrupt("parent of commit", oid, &e).into()),
            }
        }
        let index = self.commits.len() as u32;
        self.commits.push(oid);
        self.commit_times.push(commit.time().seconds());
        self.path_buf.clear();
        self.diff(repo, &tree, &parents, index)
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
    pub(super) fn diff(
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
    pub(super) fn jobs(&self, engine: &Engine) -> Vec<Job> {
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
