//! Which commits a history scan walks: the refs, a range or named revisions, `--since`, and with
//! `--all-objects` the commits and blobs no ref reaches.

use super::walk::Walk;
use super::HistoryOptions;
use crate::source::git::corrupt;
use anyhow::{anyhow, Context as _, Result};
use git2::{ObjectType, Oid, Repository, Sort};
use std::collections::HashSet;

/// The commits to walk, oldest first (parents before children).
pub(super) fn select_commits(repo: &Repository, opts: &HistoryOptions) -> Result<Vec<Oid>> {
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

pub(super) fn push_range(repo: &Repository, walk: &mut git2::Revwalk, range: &str) -> Result<()> {
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
pub(super) fn all_ref_commits(repo: &Repository) -> Result<Vec<Oid>> {
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
                Some(oid) => corrupt(&format!("ref {name} ->"), oid, &e).into(),
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
pub(super) fn non_commit_ref_targets(
    repo: &Repository,
    opts: &HistoryOptions,
) -> Result<Vec<(String, Oid)>> {
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
pub(super) fn unreached_objects(repo: &Repository, walk: &Walk) -> Result<(Vec<Oid>, Vec<Oid>)> {
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
            Err(e) => return Err(corrupt("object", oid, &e).into()),
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
