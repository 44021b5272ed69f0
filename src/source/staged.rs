//! The staged index: what `git commit` is about to record, compared with HEAD.
//!
//! Only what the commit adds is reported. For each staged file that differs from HEAD (by object id,
//! so unchanged files cost nothing), the staged blob is scanned whole, which keeps multi-line matches
//! and line numbers right, and a hit is kept when one of its lines is an added line: the new side of
//! a zero-context diff between the HEAD and staged versions. A new file is all added lines, and rules
//! that match on the path alone (`.env`, `id_rsa`) report only files that are new at their path. In a
//! repository with no commit yet, everything staged is new. Deleted files have nothing to scan;
//! binary blobs, symbolic links and submodules are skipped and counted.

use super::archive::{self, Archives};
use super::blob::{self, scan_blob, BlobSink, Body, FileOutcome, MemberHits};
use super::git::{self, Opened};
use super::gitcli::CliRepo;
use super::{classify, sort_findings, Content, ScanOutcome, SkipReason, Stats};
use crate::engine::{Engine, Hit, PathScope};
use crate::finding::Finding;
use crate::suppress::{SuppressKind, Suppressed};
use anyhow::{anyhow, bail, Context as _, Result};
use git2::{
    Delta, DiffFindOptions, DiffOptions, ErrorCode, FileMode, Index, Oid, Patch, Repository,
};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Up to this many changed files are scanned on the calling thread: a pre-commit hook usually sees a
/// handful, and a thread pool would cost more than it saves.
const SERIAL_MAX: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct StagedOptions {
    /// Skip staged blobs larger than this many bytes (counted as skipped). None: any size.
    pub max_blob_size: Option<u64>,
    /// Do not honour the repository's root `.leakguardignore`.
    pub no_ignore: bool,
    /// How archives are opened; `None`: they are binary files.
    pub archives: Option<Archives>,
}

/// The repository to scan. `None`: the one at or above the current directory, honouring git's
/// environment (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`...), which is how a hook sees it.
pub struct StagedRepo {
    repo: Staged,
    index_file: Option<PathBuf>,
}

enum Staged {
    Git2(Repository),
    /// A repository libgit2 cannot read (SHA-256): through the git CLI.
    Cli(CliRepo),
}

impl StagedRepo {
    pub fn open(path: Option<&Path>) -> Result<StagedRepo> {
        match path {
            Some(p) => Ok(StagedRepo {
                repo: match git::open_any(p)? {
                    Opened::Git2(r) => Staged::Git2(r),
                    Opened::Cli(r) => Staged::Cli(r),
                },
                index_file: None,
            }),
            None => {
                let repo = match git::open_from_env()? {
                    Opened::Git2(r) => r,
                    // git reads GIT_INDEX_FILE itself.
                    Opened::Cli(r) => {
                        return Ok(StagedRepo {
                            repo: Staged::Cli(r),
                            index_file: None,
                        })
                    }
                };
                // `git commit -a` and `git commit <paths>` stage into a temporary index and point hooks
                // at it with GIT_INDEX_FILE; that index, not .git/index, is what will be committed.
                let index_file = std::env::var_os("GIT_INDEX_FILE")
                    .filter(|v| !v.is_empty())
                    .map(|v| {
                        let p = PathBuf::from(v);
                        if p.is_absolute() {
                            p
                        } else {
                            std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p)
                        }
                    });
                Ok(StagedRepo {
                    repo: Staged::Git2(repo),
                    index_file,
                })
            }
        }
    }

    /// Where the repository's config and ignore files live: the work tree, or the git dir when bare.
    pub fn root(&self) -> PathBuf {
        match &self.repo {
            Staged::Git2(r) => r.workdir().unwrap_or_else(|| r.path()).to_path_buf(),
            Staged::Cli(r) => r.root(),
        }
    }

    fn index(&self, repo: &Repository) -> Result<Index> {
        match &self.index_file {
            Some(p) => {
                Index::open(p).with_context(|| format!("{}: cannot read the index", p.display()))
            }
            None => repo.index().context("cannot read the index"),
        }
    }
}

/// Where a staged file's previous version is, which decides what counts as added.
enum Origin {
    /// New at this path: every line is added, and path rules apply.
    New,
    /// Modified in place: lines added relative to the HEAD blob.
    Modified(Oid),
    /// Renamed or copied from another path: lines added relative to that blob; path rules apply when
    /// they did not already select the old path.
    Moved { from: String, old: Oid },
    /// Was a symbolic link or submodule: every line is added, but the path is not new.
    Retyped,
}

struct Change {
    path: String,
    blob: Oid,
    mode: FileMode,
    origin: Origin,
}

/// A staged blob's outcome: its findings, or the error of diffing it against its old version.
type Outcome = FileOutcome<Result<Vec<Finding>>>;

/// Scans what is staged in `sr` against its HEAD.
pub fn scan(engine: &Engine, sr: &StagedRepo, opts: &StagedOptions) -> Result<ScanOutcome> {
    let started = Instant::now();
    let repo = match &sr.repo {
        Staged::Git2(r) => r,
        Staged::Cli(r) => return super::gitcli::scan_staged(engine, r, opts),
    };
    if repo.is_bare() {
        bail!(
            "{}: a bare repository has no staged changes",
            repo.path().display()
        );
    }
    let changes = staged_changes(repo, &sr.index(repo)?)?;
    let ignore = if opts.no_ignore {
        None
    } else {
        leakguardignore(&sr.root())
    };
    let mut stats = Stats::default();
    let mut suppressed: Vec<Suppressed> = Vec::new();
    let changes: Vec<Change> = changes
        .into_iter()
        .filter(|c| {
            let Some(gi) = &ignore else { return true };
            match gi.matched_path_or_any_parents(&c.path, false) {
                ignore::Match::Ignore(glob) => {
                    // Counted under the pattern's line, so that nothing is skipped silently.
                    let line =
                        std::fs::read_to_string(sr.root().join(super::worktree::IGNORE_FILE))
                            .ok()
                            .and_then(|t| t.lines().position(|l| l.trim() == glob.original()))
                            .map_or(0, |i| i + 1);
                    let source = format!("{}:{line}", super::worktree::IGNORE_FILE);
                    match suppressed.iter_mut().find(|s| s.source == source) {
                        Some(s) => s.count += 1,
                        None => suppressed.push(Suppressed {
                            kind: SuppressKind::IgnoreFile,
                            source,
                            rule_id: None,
                            count: 1,
                        }),
                    }
                    false
                }
                _ => true,
            }
        })
        .collect();
    stats.suppressed = suppressed;

    let results: Vec<Result<Outcome>> = if changes.len() <= SERIAL_MAX {
        changes
            .iter()
            .map(|c| scan_change(engine, repo, c, opts))
            .collect()
    } else {
        // git2 repositories are not Sync: each worker opens its own.
        let git_dir = repo.path().to_path_buf();
        changes
            .par_iter()
            .map_init(
                || Repository::open(&git_dir),
                |r, c| match r {
                    Ok(r) => scan_change(engine, r, c, opts),
                    Err(e) => Err(anyhow!("cannot open the repository: {}", e.message())),
                },
            )
            .collect()
    };
    let mut findings = Vec::new();
    for r in results {
        findings.extend(stats.absorb(r?)?);
    }
    stats.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    sort_findings(&mut findings);
    stats.duration = started.elapsed();
    Ok(ScanOutcome { findings, stats })
}

/// Files whose staged blob differs from HEAD's, compared by object id. Renames are detected (a moved
/// file adds only what it changed); deletions and unmerged entries are left out.
fn staged_changes(repo: &Repository, index: &Index) -> Result<Vec<Change>> {
    let head_tree = match repo.head() {
        Ok(h) => Some(h.peel_to_tree().context("cannot read HEAD's tree")?),
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
        Err(e) => bail!("cannot read HEAD: {}", e.message()),
    };
    let mut dopts = DiffOptions::new();
    dopts.include_typechange(true).ignore_submodules(false);
    let mut diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(index), Some(&mut dopts))
        .context("cannot compare the index with HEAD")?;
    let mut find = DiffFindOptions::new();
    find.renames(true).copies(false);
    diff.find_similar(Some(&mut find))
        .context("cannot detect renames")?;
    let mut out = Vec::new();
    for d in diff.deltas() {
        let new = d.new_file();
        let Some(path) = new.path().map(slash_path) else {
            continue;
        };
        let origin = match d.status() {
            Delta::Added | Delta::Untracked => Origin::New,
            Delta::Modified => Origin::Modified(d.old_file().id()),
            Delta::Renamed | Delta::Copied => Origin::Moved {
                from: d.old_file().path().map(slash_path).unwrap_or_default(),
                old: d.old_file().id(),
            },
            Delta::Typechange => match d.old_file().mode() {
                FileMode::Blob | FileMode::BlobExecutable | FileMode::BlobGroupWritable => {
                    Origin::Modified(d.old_file().id())
                }
                _ => Origin::Retyped,
            },
            _ => continue, // deleted, unmodified, ignored, unreadable, conflicted
        };
        out.push(Change {
            path,
            blob: new.id(),
            mode: new.mode(),
            origin,
        });
    }
    Ok(out)
}

/// A staged change as the blob path sees it: hits are kept where the commit adds lines.
struct StagedBlob<'a> {
    repo: &'a Repository,
    c: &'a Change,
    archives: Option<&'a Archives>,
}

/// A libgit2 blob's bytes, held for the blob path.
struct GitBlob<'r>(git2::Blob<'r>);

impl AsRef<[u8]> for GitBlob<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.content()
    }
}

impl BlobSink for StagedBlob<'_> {
    type Out = Result<Vec<Finding>>;
    fn path(&self) -> &str {
        &self.c.path
    }
    fn scope(&self) -> PathScope<'_> {
        PathScope::At(&self.c.path)
    }
    fn matched(&mut self, engine: &Engine, hits: Vec<Hit>, text: Option<&[u8]>) -> Self::Out {
        let (c, repo) = (self.c, self.repo);
        let old_oid = match &c.origin {
            Origin::Modified(o) | Origin::Moved { old: o, .. } => Some(*o),
            Origin::New | Origin::Retyped => None,
        };
        let old_blob = old_oid.and_then(|o| repo.find_blob(o).ok());
        // A binary blob's strings: what it added are the strings its old version did not hold.
        let old_text = old_blob.as_ref().map(|b| classify(b.content()));
        let old_text = old_text.as_ref().map(Content::scanned);
        keep_added(
            engine,
            &c.path,
            &c.origin.path_origin(),
            hits,
            text,
            old_text,
        )
    }
    fn unscanned(&mut self, engine: &Engine) -> Self::Out {
        Ok(path_hits(engine, self.c, b""))
    }
    fn archives(&self) -> Option<&Archives> {
        self.archives
    }
    /// A staged archive adds what its HEAD version did not hold: a member's hit is kept unless the
    /// old archive had the same rule and secret (or path rule) in the member of the same name.
    fn archive(&mut self, engine: &Engine, members: Vec<MemberHits>) -> Self::Out {
        let mut found = path_hits(engine, self.c, b"");
        let old_oid = match &self.c.origin {
            Origin::Modified(o) | Origin::Moved { old: o, .. } => Some(*o),
            Origin::New | Origin::Retyped => None,
        };
        let old_blob = old_oid.and_then(|o| self.repo.find_blob(o).ok());
        let mut held = std::collections::HashSet::new();
        if let (Some(b), Some(archives)) = (&old_blob, self.archives) {
            if let Some(kind) = archive::kind(b.content()) {
                let old = blob::archive_hits(engine, archives, b.content(), kind, &self.c.path);
                for m in old.members {
                    for h in m.hits {
                        held.insert((m.member.clone(), h.rule, h.secret));
                    }
                }
            }
        }
        let members = members
            .into_iter()
            .map(|mut m| {
                m.hits
                    .retain(|h| !held.contains(&(m.member.clone(), h.rule, h.secret.clone())));
                m
            })
            .collect();
        found.extend(blob::member_findings(engine, members, None));
        Ok(found)
    }
}

fn scan_change(
    engine: &Engine,
    repo: &Repository,
    c: &Change,
    opts: &StagedOptions,
) -> Result<Outcome> {
    let mut sink = StagedBlob {
        repo,
        c,
        archives: opts.archives.as_ref(),
    };
    match c.mode {
        FileMode::Link => return Ok(blob::skip(engine, &mut sink, SkipReason::Symlink, None)),
        FileMode::Commit => return Ok(blob::skip(engine, &mut sink, SkipReason::Submodule, None)),
        _ => {}
    }
    if c.blob.is_zero() {
        // An intent-to-add entry (`git add -N`): nothing is staged yet.
        return Ok(Outcome::Scanned {
            bytes: 0,
            found: Ok(path_hits(engine, c, b"")),
        });
    }
    let odb = repo.odb().context("cannot open the object database")?;
    let gone = |e: git2::Error| std::io::Error::other(e.message().to_string());
    let size = match odb.read_header(c.blob) {
        Ok((size, _)) => size as u64,
        Err(e) => return Ok(blob::unreadable(engine, &mut sink, &gone(e))),
    };
    Ok(scan_blob(
        engine,
        &mut sink,
        size,
        opts.max_blob_size,
        || {
            let b = repo.find_blob(c.blob).map_err(gone)?;
            Ok(Body::Held(Box::new(GitBlob(b))))
        },
    ))
}

/// The findings a staged file adds: hits of its whole `text` on lines a diff from `old_text` marks
/// as added (all of them without `old_text`), and path rules where `origin` makes the path new.
/// Shared with the git CLI backend (`gitcli`).
pub(super) fn added_findings(
    engine: &Engine,
    path: &str,
    origin: &PathOrigin,
    text: &[u8],
    old_text: Option<&[u8]>,
) -> Result<Vec<Finding>> {
    let hits = engine.scan(text, PathScope::At(path));
    keep_added(engine, path, origin, hits, Some(text), old_text)
}

/// Of a staged file's `hits`, the findings its commit adds: hits on lines a diff of `text` from
/// `old_text` marks as added (all of them when either is missing: a new file, a binary one before,
/// a streamed one), and path rules where `origin` makes the path new.
fn keep_added(
    engine: &Engine,
    path: &str,
    origin: &PathOrigin,
    hits: Vec<Hit>,
    text: Option<&[u8]>,
    old_text: Option<&[u8]>,
) -> Result<Vec<Finding>> {
    let added = match (old_text, text) {
        (Some(old), Some(text)) => added_lines(old, text)?,
        _ => AddedLines::All,
    };
    let mut hits = hits;
    hits.retain(|hit| {
        if hit.is_whole_file() {
            origin.path_rule_applies(engine, hit)
        } else {
            added.intersects(hit.line, hit.end_line.max(hit.line))
        }
    });
    Ok(engine.findings(&hits, path, None))
}

/// Findings of the rules that match on the path alone, for a file that is new at its path.
fn path_hits(engine: &Engine, c: &Change, data: &[u8]) -> Vec<Finding> {
    let origin = c.origin.path_origin();
    let mut hits = engine.scan(data, PathScope::PathRulesAt(&c.path));
    hits.retain(|h| h.is_whole_file() && origin.path_rule_applies(engine, h));
    engine.findings(&hits, &c.path, None)
}

/// Whether a staged file's path is new, which decides whether path rules report it.
pub(super) enum PathOrigin {
    /// New at this path.
    New,
    /// Renamed or copied from this path.
    Moved(String),
    /// At this path before (modified, or changed type).
    Kept,
}

impl PathOrigin {
    /// A path rule reports a file once, when the file appears at a path the rule selects.
    pub(super) fn path_rule_applies(&self, engine: &Engine, hit: &Hit) -> bool {
        match self {
            PathOrigin::New => true,
            PathOrigin::Moved(from) => !engine
                .rule(hit.rule)
                .path
                .as_ref()
                .is_some_and(|re| re.is_match(from)),
            PathOrigin::Kept => false,
        }
    }
}

impl Origin {
    fn path_origin(&self) -> PathOrigin {
        match self {
            Origin::New => PathOrigin::New,
            Origin::Moved { from, .. } => PathOrigin::Moved(from.clone()),
            Origin::Modified(_) | Origin::Retyped => PathOrigin::Kept,
        }
    }
}

/// The 1-based line numbers of the staged version that the commit adds.
#[derive(Debug, PartialEq, Eq)]
pub enum AddedLines {
    All,
    /// Sorted, disjoint, inclusive ranges.
    Ranges(Vec<(usize, usize)>),
}

impl AddedLines {
    pub fn intersects(&self, first: usize, last: usize) -> bool {
        match self {
            AddedLines::All => true,
            AddedLines::Ranges(r) => {
                // The first range that ends at or after `first`; it intersects if it starts by `last`.
                let i = r.partition_point(|&(_, end)| end < first);
                r.get(i).is_some_and(|&(start, _)| start <= last)
            }
        }
    }
}

/// Lines of `new` that a zero-context diff from `old` marks as added.
pub fn added_lines(old: &[u8], new: &[u8]) -> Result<AddedLines> {
    let mut o = DiffOptions::new();
    o.context_lines(0).interhunk_lines(0).force_text(true);
    let patch = Patch::from_buffers(old, None, new, None, Some(&mut o))
        .context("cannot diff the staged file")?;
    let mut ranges = Vec::with_capacity(patch.num_hunks());
    for i in 0..patch.num_hunks() {
        let (hunk, _) = patch.hunk(i).context("cannot diff the staged file")?;
        if hunk.new_lines() > 0 {
            let start = hunk.new_start() as usize;
            ranges.push((start, start + hunk.new_lines() as usize - 1));
        }
    }
    Ok(AddedLines::Ranges(ranges))
}

/// The root `.leakguardignore`, in .gitignore syntax: staged files it matches are not scanned.
pub(super) fn leakguardignore(root: &Path) -> Option<ignore::gitignore::Gitignore> {
    let file = root.join(super::worktree::IGNORE_FILE);
    if !file.is_file() {
        return None;
    }
    let mut b = ignore::gitignore::GitignoreBuilder::new(root);
    b.add(&file);
    b.build().ok()
}

fn slash_path(p: &Path) -> String {
    super::worktree::display_path(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_are_the_new_side_of_each_hunk() {
        let old = b"a\nb\nc\nd\n";
        let new = b"a\nB\nc\nd\ne\nf\n";
        assert_eq!(
            added_lines(old, new).unwrap(),
            AddedLines::Ranges(vec![(2, 2), (5, 6)])
        );
        assert_eq!(
            added_lines(old, b"a\nc\nd\n").unwrap(),
            AddedLines::Ranges(vec![])
        );
        assert_eq!(
            added_lines(b"", b"x\ny").unwrap(),
            AddedLines::Ranges(vec![(1, 2)])
        );
    }

    #[test]
    fn intersection_of_ranges() {
        let a = AddedLines::Ranges(vec![(2, 2), (5, 6)]);
        assert!(!a.intersects(1, 1));
        assert!(a.intersects(2, 2));
        assert!(!a.intersects(3, 4));
        assert!(a.intersects(4, 5));
        assert!(a.intersects(6, 9));
        assert!(!a.intersects(7, 9));
        assert!(a.intersects(1, 10));
        assert!(AddedLines::All.intersects(100, 100));
    }
}
