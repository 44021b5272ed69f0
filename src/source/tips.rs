//! Which branch and tag tips still hold a history finding's secret (`present_at_refs`): a secret
//! gone from HEAD may still be at the tip of another branch, and is not "history only" until no
//! tip holds it.

use super::archive::Archives;
use super::blob::member_secrets;
use super::classify;
use crate::engine::{Engine, PathScope};
use crate::finding::Finding;
use git2::{ObjectType, Oid, Repository, Tree};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The tips looked at: local branches, tags and remote-tracking branches (a CI clone has only
/// those), by short name (`main`, `v1.2`, `origin/feature`), sorted, symbolic refs left out.
fn tips(repo: &Repository) -> Vec<(String, Tree<'_>)> {
    let mut out: Vec<(String, Tree)> = Vec::new();
    let Ok(refs) = repo.references() else {
        return out;
    };
    for r in refs.flatten() {
        if r.kind() != Some(git2::ReferenceType::Direct) {
            continue;
        }
        let Some(name) = r.name() else { continue };
        let short = ["refs/heads/", "refs/tags/", "refs/remotes/"]
            .iter()
            .find_map(|p| name.strip_prefix(p));
        let (Some(short), Ok(tree)) = (short, r.peel_to_tree()) else {
            continue;
        };
        out.push((short.to_string(), tree));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Sets `present_at_refs` on every finding that has a commit: the tips whose file at the finding's
/// path still yields the same rule and secret.
/// A finding in an archive member is looked for in the same member of the tip's archive.
pub fn mark_present_at_refs(
    repo: &Repository,
    engine: &Engine,
    archives: Option<&Archives>,
    findings: &mut [Finding],
) {
    if findings.iter().all(|f| f.commit.is_none()) {
        return;
    }
    let tips = tips(repo);
    let names: Vec<String> = tips.iter().map(|(n, _)| n.clone()).collect();
    mark_with(repo, engine, archives, findings, &names, |tip, path| {
        let entry = tips[tip].1.get_path(Path::new(path)).ok()?;
        (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
    });
}

/// `mark_present_at_refs` with the tips given: their short names, sorted, and `blob_at(tip, path)`,
/// the blob at a file path in a tip's tree (`None`: no blob there). For a caller that reads trees
/// its own way (`leakguard history`).
pub(crate) fn mark_with(
    repo: &Repository,
    engine: &Engine,
    archives: Option<&Archives>,
    findings: &mut [Finding],
    tips: &[String],
    mut blob_at: impl FnMut(usize, &str) -> Option<Oid>,
) {
    // Each blob is scanned once, however many tips and findings share it.
    // Keyed by path too: path-scoped rules make the same bytes yield different hits elsewhere.
    let mut hits_of: HashMap<(Oid, String), HashSet<(String, String)>> = HashMap::new();
    for f in findings.iter_mut().filter(|f| f.commit.is_some()) {
        let mut at = Vec::new();
        for (i, name) in tips.iter().enumerate() {
            let Some(id) = blob_at(i, f.file_path()) else {
                continue;
            };
            let hits = hits_of.entry((id, f.path.clone())).or_insert_with(|| {
                match (&f.archive_member, archives) {
                    (Some(m), Some(a)) => repo
                        .find_blob(id)
                        .map(|b| member_secrets(engine, a, b.content(), f.file_path(), m))
                        .unwrap_or_default(),
                    _ => blob_hits(repo, engine, id, &f.path),
                }
            });
            if hits.contains(&(f.rule_id.to_string(), f.secret.expose().to_string())) {
                at.push(name.clone());
            }
        }
        f.present_at_refs = Some(at);
    }
}

fn blob_hits(repo: &Repository, engine: &Engine, id: Oid, path: &str) -> HashSet<(String, String)> {
    let Ok(blob) = repo.find_blob(id) else {
        return HashSet::new();
    };
    let content = classify(blob.content());
    let text = content.scanned();
    engine
        .scan(text, PathScope::At(path))
        .iter()
        .map(|h| {
            (
                engine.rule(h.rule).id.to_string(),
                h.secret.expose().to_string(),
            )
        })
        .collect()
}
