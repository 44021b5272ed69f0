//! Attribution: each hit becomes a finding at every path its blob was introduced at, kept only for
//! the first commit (in attribution order) that introduced that secret at that path; then whether
//! the secret is still at HEAD.

use super::scan::BlobHits;
use super::walk::{Job, Walk};
use super::NO_COMMIT;
use crate::dates::rfc3339;
use crate::engine::{Engine, Hit, PathScope};
use crate::finding::{CommitInfo, Finding};
use crate::source::archive::Archives;
use crate::source::blob::{member_secrets, MemberHits};
use crate::source::git::corrupt;
use crate::source::{classify, sort_findings};
use anyhow::Result;
use git2::{ObjectType, Oid, Repository, Tree};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

impl Walk {
    /// Turns hits into findings: for each rule, path and secret, the occurrences in the blob of the
    /// first commit (see `earlier`) that introduced that secret at that path.
    pub(super) fn attribute(
        &self,
        repo: &Repository,
        engine: &Engine,
        jobs: &[Job],
        results: Vec<BlobHits>,
        members: Vec<(usize, Vec<MemberHits>)>,
    ) -> Result<Vec<Finding>> {
        let rank = self.commit_ranks();
        let members = members
            .into_iter()
            .map(|(job, m)| (jobs[job].blob, m))
            .collect();
        let mut in_archives = attribute_members(
            engine,
            &self.paths,
            &self.intros,
            &rank,
            members,
            |commit| commit_info(repo, self.commits[commit as usize]),
        )?;
        let results = results
            .into_iter()
            .map(|r| (jobs[r.job].blob, r.content_hits, r.path_hits))
            .collect();
        let mut found = attribute_hits(
            engine,
            &self.paths,
            &self.intros,
            &rank,
            results,
            |commit| commit_info(repo, self.commits[commit as usize]),
        )?;
        found.append(&mut in_archives);
        sort_findings(&mut found);
        Ok(found)
    }
}

/// Where a blob was introduced: `path` and `commit` index the caller's tables (`NO_COMMIT`: none).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Intro {
    pub(crate) blob: u32,
    pub(crate) path: u32,
    pub(crate) commit: u32,
}

/// One blob's hits: its index, content hits, and path-rule hits by path index.
/// The rank of the earliest commit that introduced a secret, and its findings there.
type Earliest = (u32, Vec<Finding>);

pub(crate) type BlobResult = (u32, Vec<Hit>, Vec<(u32, Vec<Hit>)>);

/// The attribution shared by the object backends (libgit2 here, the git CLI in `gitcli`): each
/// blob's hits become findings at every path it was introduced at; for each (rule, path, secret)
/// only the occurrences in the blob of the earliest introducing commit (`rank`: position in
/// attribution order, by commit index) are kept, one per line. Different secrets are never merged,
/// whatever position they share. `info` gives a commit's details; it is asked once per commit that
/// introduces a hit (allowlists may name commits, so they are asked before the choice).
pub(crate) fn attribute_hits(
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
    let mut best: HashMap<(Arc<str>, u32, String), Earliest> = HashMap::new();
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
            // Path rules ran apart from the content rules (a blob is one content scan, but a path
            // scan per path it was introduced at): one secret, one finding, as a working-tree scan
            // gives it, so a path rule's generic hit gives way to a content rule's specific one on
            // the same value (an OpenAI key in a committed .env) and the other way round.
            let mut joined: Vec<Hit> = Vec::new();
            let hits: &[Hit] = if path_hits.iter().any(|(p, _)| *p == intro.path) {
                joined.extend(content_hits.iter().cloned());
                for (_, at_path) in path_hits.iter().filter(|(p, _)| *p == intro.path) {
                    joined.extend(at_path.iter().cloned());
                }
                engine.mark_generic_overlaps(&mut joined);
                &joined
            } else {
                content_hits
            };
            for f in engine.findings(hits, &path, commit) {
                let key = (f.rule_id.clone(), intro.path, f.secret.expose().to_string());
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

/// Findings in archive members (`members`: by blob index), attributed as `attribute_hits` does a
/// blob's: at every path the archive blob was introduced at, as `path!member`, kept for the
/// earliest commit that introduced that secret in that member at that path.
pub(crate) fn attribute_members(
    engine: &Engine,
    paths: &[Box<[u8]>],
    intros: &[Intro],
    rank: &[u32],
    members: Vec<(u32, Vec<MemberHits>)>,
    info: impl FnMut(u32) -> Result<CommitInfo>,
) -> Result<Vec<Finding>> {
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let mut intros_by_blob: HashMap<u32, Vec<Intro>> = HashMap::new();
    for i in intros {
        intros_by_blob.entry(i.blob).or_default().push(*i);
    }
    // Each member is a blob of its own at the paths `archive!member`, one index per distinct path
    // (so that versions of an archive meet at the same member path and the earliest commit wins).
    let mut member_paths: Vec<Box<[u8]>> = Vec::new();
    let mut path_index: HashMap<String, u32> = HashMap::new();
    let mut member_of: HashMap<String, String> = HashMap::new();
    let mut member_intros = Vec::new();
    let mut results: Vec<BlobResult> = Vec::new();
    for (blob, ms) in members {
        for m in ms {
            let id = results.len() as u32;
            for intro in intros_by_blob.get(&blob).into_iter().flatten() {
                let path = format!(
                    "{}!{}",
                    String::from_utf8_lossy(&paths[intro.path as usize]),
                    m.member
                );
                let p = *path_index.entry(path.clone()).or_insert_with(|| {
                    member_paths.push(path.clone().into_bytes().into());
                    (member_paths.len() - 1) as u32
                });
                member_of.insert(path, m.member.clone());
                member_intros.push(Intro {
                    blob: id,
                    path: p,
                    commit: intro.commit,
                });
            }
            results.push((id, m.hits, Vec::new()));
        }
    }
    let mut found = attribute_hits(engine, &member_paths, &member_intros, rank, results, info)?;
    for f in &mut found {
        f.archive_member = member_of.get(&f.path).cloned();
    }
    Ok(found)
}

pub(super) fn commit_info(repo: &Repository, oid: Oid) -> Result<CommitInfo> {
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
pub(super) fn mark_present_at_head(
    repo: &Repository,
    engine: &Engine,
    archives: Option<&Archives>,
    findings: &mut [Finding],
) {
    let Some(head) = repo.head().ok().and_then(|h| h.peel_to_tree().ok()) else {
        return;
    };
    let mut at_head: HashMap<String, HashSet<(String, String)>> = HashMap::new();
    for f in findings.iter_mut() {
        if f.commit.is_none() {
            continue;
        }
        let present = at_head.entry(f.path.clone()).or_insert_with(|| {
            match (&f.archive_member, archives) {
                // In an archive: the same member of HEAD's version of the archive.
                (Some(m), Some(a)) => head
                    .get_path(Path::new(f.file_path()))
                    .ok()
                    .and_then(|e| repo.find_blob(e.id()).ok())
                    .map(|b| member_secrets(engine, a, b.content(), f.file_path(), m))
                    .unwrap_or_default(),
                _ => head_hits(repo, engine, &head, &f.path),
            }
        });
        f.present_at_head =
            Some(present.contains(&(f.rule_id.to_string(), f.secret.expose().to_string())));
    }
}

pub(super) fn head_hits(
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
    let text = content.scanned();
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
