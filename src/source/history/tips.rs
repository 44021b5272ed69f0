//! `present_at_refs` for a history scan: which branch and tag tips still hold each finding's
//! secret, with the tips' trees read through the pack reader (`objects.rs`).
//!
//! Through libgit2 (`source::tips`) every tip's tree stayed parsed in memory while the findings were
//! looked up in it: on rust-lang/cargo's mirror (9,640 refs) the audit's peak, 112 -> 182 MB, and
//! on tokio 53M instructions on the calling thread, a commit and a tree inflated per ref. Here each
//! distinct root tree is read once, the blob at every finding's path noted, and the tree let go;
//! subtrees come from the reader's cache (tips share most of them) and the packs' pages are handed
//! back as it goes. Which tips are looked at, and in what order, is `source::tips`'s.

use super::objects::{Kind, Objects};
use crate::engine::Engine;
use crate::finding::Finding;
use crate::source::archive::Archives;
use crate::source::pack::{self, PackSet};
use git2::{Oid, ReferenceType, Repository};
use std::collections::HashMap;

/// Tips read between two hand-backs of the packs' pages.
const RELEASE_EVERY: usize = 512;

/// `commit_trees`: the tree of each commit the revwalk read (a tip's commit is not read again).
pub(super) fn mark_present_at_refs(
    repo: &Repository,
    commit_trees: &HashMap<Oid, Oid>,
    engine: &Engine,
    archives: Option<&Archives>,
    findings: &mut [Finding],
) {
    if findings.iter().all(|f| f.commit.is_none()) {
        return;
    }
    let packs = PackSet::open(repo.path());
    let mut objects = Objects::new(repo, &packs);
    // As `source::tips`: direct refs under heads/, tags/ and remotes/, by short name, peeled to a
    // tree (a ref to a blob, or that does not peel, is left out).
    let mut tips: Vec<(String, Oid)> = Vec::new();
    if let Ok(refs) = repo.references() {
        for r in refs.flatten() {
            if r.kind() != Some(ReferenceType::Direct) {
                continue;
            }
            let Some(name) = r.name() else { continue };
            let Some(short) = ["refs/heads/", "refs/tags/", "refs/remotes/"]
                .iter()
                .find_map(|p| name.strip_prefix(p))
            else {
                continue;
            };
            let tree = match r.target().and_then(|oid| objects.peel(oid)) {
                Some((oid, pack::COMMIT)) => match commit_trees.get(&oid) {
                    Some(&tree) => tree,
                    None => match objects.commit_uncached(oid) {
                        Ok(c) => c.tree,
                        Err(_) => continue,
                    },
                },
                Some((oid, pack::TREE)) => oid,
                Some(_) => continue,
                None => match r.peel_to_tree() {
                    Ok(t) => t.id(),
                    Err(_) => continue,
                },
            };
            tips.push((short.to_string(), tree));
        }
    }
    tips.sort_by(|a, b| a.0.cmp(&b.0));

    // The blob at each finding's path in each distinct root tree: one row per tree.
    let mut paths: Vec<String> = Vec::new();
    let mut path_index: HashMap<String, usize> = HashMap::new();
    for f in findings.iter().filter(|f| f.commit.is_some()) {
        let p = f.file_path();
        if !path_index.contains_key(p) {
            path_index.insert(p.to_string(), paths.len());
            paths.push(p.to_string());
        }
    }
    let mut rows: HashMap<Oid, usize> = HashMap::new();
    let mut table: Vec<Option<Oid>> = Vec::new();
    let mut row_of_tip = Vec::with_capacity(tips.len());
    for (i, (_, tree)) in tips.iter().enumerate() {
        let next = rows.len();
        let row = *rows.entry(*tree).or_insert(next);
        if row == next {
            for p in &paths {
                table.push(blob_at(&mut objects, *tree, p));
            }
        }
        row_of_tip.push(row);
        if (i + 1) % RELEASE_EVERY == 0 {
            packs.release_pages();
        }
    }
    drop(objects);
    drop(packs);
    let names: Vec<String> = tips.into_iter().map(|(n, _)| n).collect();
    let n = paths.len();
    crate::source::tips::mark_with(repo, engine, archives, findings, &names, |tip, path| {
        table[row_of_tip[tip] * n + path_index[path]]
    });
}

/// The blob at `path` in the tree `root` (as libgit2's `get_path`, a blob entry only).
fn blob_at(objects: &mut Objects, root: Oid, path: &str) -> Option<Oid> {
    let mut tree = objects.tree(root).ok()?;
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        let e = *tree.get(part.as_bytes())?;
        if parts.peek().is_none() {
            return (e.kind == Kind::Blob).then_some(e.id);
        }
        if e.kind != Kind::Tree {
            return None;
        }
        tree = objects.tree(e.id).ok()?;
    }
    None
}
