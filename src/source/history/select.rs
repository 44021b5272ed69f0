//! Which commits a history scan walks: the refs, a range or named revisions, `--since`, and with
//! `--all-objects` the commits and blobs no ref reaches.

use super::objects::{Commit, Objects};
use super::revwalk::Graph;
use super::walk::Walk;
use super::HistoryOptions;
use crate::source::git::corrupt;
use crate::source::pack::{self, PackSet};
use anyhow::{anyhow, Context as _, Result};
use git2::{ObjectType, Oid, Repository, Sort};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

/// What `select_commits` chose.
pub(super) struct Selection {
    /// The commits to walk, oldest first (parents before children).
    pub(super) commits: Vec<Oid>,
    /// The commits the revwalk parsed (tree, parents, committer time), so that the walk does not
    /// read them again; empty when libgit2 chose the commits.
    pub(super) known: HashMap<Oid, Commit>,
    /// Refs that point at a tree or a blob directly (`non_commit_ref_targets`), found while peeling
    /// every ref; `None` when not looked for (a range, named revisions, libgit2's revwalk).
    pub(super) ref_targets: Option<RefTargets>,
}

/// Refs that point at a tree or a blob: (ref name, object).
type RefTargets = Vec<(String, Oid)>;

/// Whether libgit2 must choose the commits: it reads parents and dates differently from the
/// commits' own bytes under grafts, in a shallow clone, and from a commit-graph file.
fn libgit2_walks(repo: &Repository) -> bool {
    repo.is_shallow()
        || repo.path().join("info").join("grafts").exists()
        || repo
            .path()
            .join("objects")
            .join("info")
            .join("commit-graph")
            .exists()
}

/// The commits to walk, oldest first (parents before children), in the order of libgit2's revwalk
/// sorted `TOPOLOGICAL | TIME | REVERSE` (reproduced by `revwalk.rs` where it can be). `cancel`,
/// set by another thread, stops it early (with an error nobody reads).
pub(super) fn select_commits(
    repo: &Repository,
    opts: &HistoryOptions,
    cancel: &AtomicBool,
) -> Result<Selection> {
    let packs = PackSet::open(repo.path());
    let mut objects = Objects::new(repo, &packs);
    // (commit, hidden), in the order libgit2 would be told them.
    let mut pushes: Vec<(Oid, bool)> = Vec::new();
    let mut ref_targets = None;
    if let Some(range) = &opts.range {
        push_range(repo, &mut pushes, range)?;
    }
    for r in &opts.refs {
        let obj = repo
            .revparse_single(r)
            .map_err(|_| anyhow!("{r}: unknown revision"))?;
        let commit = obj
            .peel_to_commit()
            .map_err(|_| anyhow!("{r}: does not name a commit"))?;
        pushes.push((commit.id(), false));
    }
    if pushes.is_empty() {
        let (commits, targets) = all_ref_commits(repo, &mut objects)?;
        pushes.extend(commits.into_iter().map(|c| (c, false)));
        ref_targets = Some(targets);
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(anyhow!("cancelled"));
    }
    if libgit2_walks(repo) {
        return Ok(Selection {
            commits: libgit2_revwalk(repo, &pushes, opts)?,
            known: HashMap::new(),
            ref_targets,
        });
    }
    let mut graph = Graph::new(&mut objects, cancel);
    for &(oid, hide) in &pushes {
        graph.push(oid, hide);
    }
    let mut commits = graph.sorted()?;
    if let Some(since) = opts.since {
        commits.retain(|&c| graph.time_of(c).is_some_and(|t| t >= since));
    }
    Ok(Selection {
        commits,
        known: graph.into_known(),
        ref_targets,
    })
}

/// The same choice through libgit2's revwalk.
fn libgit2_revwalk(
    repo: &Repository,
    pushes: &[(Oid, bool)],
    opts: &HistoryOptions,
) -> Result<Vec<Oid>> {
    let mut walk = repo.revwalk().context("cannot walk commits")?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
    for &(oid, hide) in pushes {
        if hide {
            walk.hide(oid)?;
        } else {
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

/// The commits a range pushes and hides, in libgit2's order of calls.
fn push_range(repo: &Repository, pushes: &mut Vec<(Oid, bool)>, range: &str) -> Result<()> {
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
        pushes.push((a, false));
        pushes.push((b, false));
        if let Ok(base) = repo.merge_base(a, b) {
            pushes.push((base, true));
        }
    } else if let Some((a, b)) = range.split_once("..") {
        let (a, b) = (resolve(a)?, resolve(b)?);
        pushes.push((b, false));
        pushes.push((a, true));
    } else {
        pushes.push((resolve(range)?, false));
    }
    Ok(())
}

/// The commit every ref (branches, tags, remote-tracking refs, notes, the stash and its older entries)
/// and HEAD points at, sorted; and the refs that point at a tree or a blob (not HEAD), in the order
/// libgit2 lists them. Refs are peeled through the pack reader where it can (libgit2 read each
/// target twice, with a zlib stream each: 56M instructions for tokio's 470 refs).
fn all_ref_commits(repo: &Repository, objects: &mut Objects) -> Result<(Vec<Oid>, RefTargets)> {
    let mut out = Vec::new();
    let mut targets = Vec::new();
    let mut refs: Vec<git2::Reference> = Vec::new();
    for r in repo.references().context("cannot list refs")? {
        refs.push(r.map_err(|e| anyhow!("cannot read a ref: {}", e.message()))?);
    }
    let listed = refs.len();
    // HEAD may be unborn (a new repository, a bare one pointing at no branch): that is not an error.
    refs.extend(repo.head().ok());
    for (i, r) in refs.into_iter().enumerate() {
        let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
        let target = match r.resolve() {
            Ok(t) => t,
            Err(_) => continue, // a symbolic ref to nothing
        };
        let peeled = target.target().and_then(|oid| objects.peel(oid));
        let (oid, kind) = match peeled {
            Some((oid, kind)) => (
                oid,
                match kind {
                    pack::COMMIT => ObjectType::Commit,
                    pack::TREE => ObjectType::Tree,
                    pack::BLOB => ObjectType::Blob,
                    _ => ObjectType::Any,
                },
            ),
            None => {
                let obj = target
                    .peel(ObjectType::Any)
                    .map_err(|e| match target.target() {
                        Some(oid) => corrupt(&format!("ref {name} ->"), oid, &e).into(),
                        None => anyhow!("cannot read ref {name}: {}", e.message()),
                    })?;
                (obj.id(), obj.kind().unwrap_or(ObjectType::Any))
            }
        };
        match kind {
            ObjectType::Commit => out.push(oid),
            ObjectType::Tree | ObjectType::Blob if i < listed => targets.push((name, oid)),
            _ => {}
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
    Ok((out, targets))
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

/// `revwalk.rs` against libgit2's own revwalk, on random histories built by `git fast-import`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrng::Rng;
    use std::io::Write as _;
    use std::path::Path;
    use std::process::{Command, Stdio};

    fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) {
        let mut child = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("git runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.unwrap_or_default())
            .unwrap();
        assert!(child.wait().unwrap().success(), "git {args:?}");
    }

    /// A random history: `commits` commits on up to `branches` branches, with merges (octopus ones
    /// too), orphan roots, committer dates drawn from a few values (many ties) and going backwards
    /// (clock skew), lightweight and annotated tags.
    fn random_history(dir: &Path, seed: u64, commits: usize, branches: usize) {
        let mut rng = Rng(seed);
        let mut script = String::new();
        // Each branch's tip (a fast-import mark), once it has one.
        let mut tips: Vec<Option<usize>> = vec![None; branches];
        let mut time: i64 = 1_600_000_000;
        for mark in 1..=commits {
            let b = rng.below(branches as u64) as usize;
            // Few distinct dates: ties everywhere; sometimes a step back in time.
            match rng.below(10) {
                0..=3 => {}
                4..=7 => time += rng.below(3) as i64 * 60,
                _ => time -= rng.below(5) as i64 * 3600,
            }
            let root = tips[b].is_none() || rng.below(40) == 0;
            if root {
                script.push_str(&format!("reset refs/heads/b{b}\n"));
            }
            script.push_str(&format!(
                "commit refs/heads/b{b}\nmark :{mark}\ncommitter C <c@example.com> {time} +0000\ndata 2\nc\n"
            ));
            if !root {
                script.push_str(&format!("from :{}\n", tips[b].unwrap()));
                let merges = match rng.below(10) {
                    0..=1 => 1,
                    2 => 2,
                    _ => 0,
                };
                for _ in 0..merges {
                    let o = rng.below(branches as u64) as usize;
                    if let Some(m) = tips[o].filter(|&m| Some(m) != tips[b]) {
                        script.push_str(&format!("merge :{m}\n"));
                    }
                }
            }
            script.push_str(&format!("M 644 inline f{}\ndata 1\nx\n", rng.below(7)));
            tips[b] = Some(mark);
            match rng.below(12) {
                0 => script.push_str(&format!("reset refs/tags/t{mark}\nfrom :{mark}\n")),
                1 => script.push_str(&format!(
                    "tag a{mark}\nfrom :{mark}\ntagger T <t@example.com> {time} +0000\ndata 1\nt\n"
                )),
                _ => {}
            }
        }
        git(dir, &["init", "-q", "--bare", "."], None);
        git(dir, &["fast-import", "--quiet"], Some(script.as_bytes()));
    }

    /// The two walks' choices for the same pushes.
    fn both(
        repo: &Repository,
        pushes: &[(Oid, bool)],
        opts: &HistoryOptions,
    ) -> (Vec<Oid>, Vec<Oid>) {
        let packs = PackSet::open(repo.path());
        let mut objects = Objects::new(repo, &packs);
        let cancel = AtomicBool::new(false);
        let mut graph = Graph::new(&mut objects, &cancel);
        for &(oid, hide) in pushes {
            graph.push(oid, hide);
        }
        let mut ours = graph.sorted().unwrap();
        if let Some(since) = opts.since {
            ours.retain(|&c| graph.time_of(c).is_some_and(|t| t >= since));
        }
        (ours, libgit2_revwalk(repo, pushes, opts).unwrap())
    }

    #[test]
    fn the_commits_come_in_libgit2s_order() {
        for (seed, commits, branches) in [
            (1u64, 60, 2),
            (2, 300, 8),
            (3, 400, 40),
            (4, 200, 120),
            (5, 500, 5),
        ] {
            let tmp = tempfile::tempdir().unwrap();
            random_history(tmp.path(), seed, commits, branches);
            let repo = Repository::open(tmp.path()).unwrap();
            assert!(!libgit2_walks(&repo));
            let packs = PackSet::open(repo.path());
            let mut objects = Objects::new(&repo, &packs);
            let (tips, _) = all_ref_commits(&repo, &mut objects).unwrap();
            assert!(tips.len() > 1, "seed {seed}");
            let all: Vec<(Oid, bool)> = tips.iter().map(|&t| (t, false)).collect();
            let opts = HistoryOptions::default();
            let (ours, theirs) = both(&repo, &all, &opts);
            assert_eq!(ours.len(), theirs.len(), "seed {seed}: every ref");
            assert!(ours == theirs, "seed {seed}: every ref, in another order");
            // Named revisions, ranges (hidden commits: limit_list's slop), a date cut.
            let mut rng = Rng(seed * 7919);
            for case in 0..12 {
                let a = tips[rng.below(tips.len() as u64) as usize];
                let b = tips[rng.below(tips.len() as u64) as usize];
                let mut pushes = Vec::new();
                let range = match case % 3 {
                    0 => format!("{a}..{b}"),
                    1 => format!("{a}...{b}"),
                    _ => a.to_string(),
                };
                push_range(&repo, &mut pushes, &range).unwrap();
                pushes.push((tips[case % tips.len()], false));
                let (ours, theirs) = both(&repo, &pushes, &opts);
                assert!(ours == theirs, "seed {seed}: {range}");
                let since = HistoryOptions {
                    since: Some(1_600_000_000 + rng.below(3000) as i64),
                    ..HistoryOptions::default()
                };
                let (ours, theirs) = both(&repo, &all, &since);
                assert!(ours == theirs, "seed {seed}: since");
            }
        }
    }

    #[test]
    fn a_commit_graph_file_leaves_the_choice_to_libgit2() {
        let tmp = tempfile::tempdir().unwrap();
        random_history(tmp.path(), 9, 20, 2);
        git(tmp.path(), &["commit-graph", "write", "--reachable"], None);
        assert!(libgit2_walks(&Repository::open(tmp.path()).unwrap()));
    }
}
