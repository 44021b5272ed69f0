//! The working tree: walked with the `ignore` crate (so .gitignore, .ignore and .leakguardignore are
//! honoured), files scanned in parallel with rayon.

use super::archive::Archives;
use super::blob::{self, scan_blob, BlobSink, Body, FileOutcome, MemberHits};
use super::ignore_file::IgnoreFiles;
use super::{sort_findings, ScanOutcome, SkipReason, Skipped, Stats};
use crate::engine::{Engine, Hit, PathScope};
use crate::finding::Finding;
use crate::suppress::{SuppressKind, Tally};
use ignore::WalkBuilder;
use rayon::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The ignore file of leakguard's own, in .gitignore syntax.
pub use super::ignore_file::IGNORE_FILE;

#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Scan everything: no .gitignore, .ignore or .leakguardignore.
    pub no_ignore: bool,
    /// Follow symbolic links (loops are detected and reported as skips).
    pub follow_links: bool,
    /// Skip files larger than this many bytes (counted as skipped). None: scan any size.
    pub max_file_size: Option<u64>,
    /// How archives are opened; `None`: they are binary files.
    pub archives: Option<Archives>,
}

/// A file to scan and the path it is reported under.
struct Job {
    fs_path: PathBuf,
    shown: String,
}

#[derive(Debug)]
pub struct MissingPath(pub PathBuf);

impl std::fmt::Display for MissingPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: no such file or directory", self.0.display())
    }
}

impl std::error::Error for MissingPath {}

/// Scans files and directories. A missing root is an error; anything unreadable inside is a counted skip.
pub fn scan(
    engine: &Engine,
    roots: &[PathBuf],
    opts: &WalkOptions,
) -> Result<ScanOutcome, MissingPath> {
    let started = Instant::now();
    for root in roots {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(MissingPath(root.clone()));
        }
    }
    let tally = Arc::new(Tally::default());
    let (jobs, skipped) = collect_jobs(roots, opts, &tally);
    let results: Vec<FileOutcome> = jobs
        .par_iter()
        .map(|job| scan_job(engine, job, opts))
        .collect();
    let mut stats = Stats {
        skipped,
        ..Stats::default()
    };
    let mut findings: Vec<Finding> = Vec::new();
    for r in results {
        findings.extend(stats.absorb(r));
    }
    stats.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    stats.suppressed = tally.counts();
    sort_findings(&mut findings);
    stats.duration = started.elapsed();
    Ok(ScanOutcome { findings, stats })
}

fn collect_jobs(
    roots: &[PathBuf],
    opts: &WalkOptions,
    tally: &Arc<Tally>,
) -> (Vec<Job>, Vec<Skipped>) {
    let jobs = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    let single_dir_root = roots.len() == 1 && roots[0].is_dir();
    let ignore_files = Arc::new(IgnoreFiles::default());
    for root in roots {
        let mut builder = WalkBuilder::new(root);
        builder
            .hidden(false)
            .parents(!opts.no_ignore)
            .ignore(!opts.no_ignore)
            .git_ignore(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .require_git(false)
            .follow_links(opts.follow_links);
        let shown_for = move |p: &Path| -> String {
            let rel = if single_dir_root {
                p.strip_prefix(root).unwrap_or(p)
            } else {
                p
            };
            display_path(rel)
        };
        {
            // .leakguardignore is matched here, not by the walker, so that each skip is counted.
            let (ignore_files, tally) = (Arc::clone(&ignore_files), Arc::clone(tally));
            let use_ignore = !opts.no_ignore;
            let root = std::env::current_dir().unwrap_or_default().join(root);
            builder.filter_entry(move |e| {
                if e.file_name() == ".git" {
                    return false;
                }
                if !use_ignore || e.depth() == 0 {
                    return true;
                }
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                let shown = |p: &Path| {
                    let rel = if single_dir_root {
                        p.strip_prefix(&root).unwrap_or(p)
                    } else {
                        p
                    };
                    display_path(rel)
                };
                match ignore_files.ignored_by(e.path(), is_dir, shown) {
                    Some(source) => {
                        tally.add(SuppressKind::IgnoreFile, source, None, 1);
                        false
                    }
                    None => true,
                }
            });
        }
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                use ignore::WalkState::Continue;
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        let (path, reason) = walk_error_parts(&err);
                        let path = path.map(|p| shown_for(&p)).unwrap_or_default();
                        skipped.lock().unwrap().push(Skipped {
                            path,
                            reason,
                            detail: Some(one_line(&err.to_string())),
                        });
                        return Continue;
                    }
                };
                let Some(ft) = entry.file_type() else {
                    return Continue;
                };
                let shown = shown_for(entry.path());
                if ft.is_dir() {
                    return Continue;
                }
                if ft.is_symlink() {
                    skipped.lock().unwrap().push(Skipped {
                        path: shown,
                        reason: SkipReason::Symlink,
                        detail: None,
                    });
                } else if ft.is_file() {
                    jobs.lock().unwrap().push(Job {
                        fs_path: entry.into_path(),
                        shown,
                    });
                } else {
                    skipped.lock().unwrap().push(Skipped {
                        path: shown,
                        reason: SkipReason::NotRegularFile,
                        detail: None,
                    });
                }
                Continue
            })
        });
    }
    let mut jobs = jobs.into_inner().unwrap();
    if !opts.no_ignore {
        add_tracked_but_ignored(roots, single_dir_root, &ignore_files, tally, &mut jobs);
    }
    jobs.sort_by(|a, b| a.shown.cmp(&b.shown));
    (jobs, skipped.into_inner().unwrap())
}

/// Files git tracks although a .gitignore matches them (a `.env` committed before the rule was
/// written, Firebase's `GoogleService-Info.plist` added with `git add -f`): they are in the repository
/// and in every clone, so they are scanned. .gitignore says what git should not pick up, not what
/// was committed; .leakguardignore, the user's word to leakguard, still skips them.
fn add_tracked_but_ignored(
    roots: &[PathBuf],
    single_dir_root: bool,
    ignore_files: &IgnoreFiles,
    tally: &Arc<Tally>,
    jobs: &mut Vec<Job>,
) {
    let mut seen: std::collections::HashSet<PathBuf> =
        jobs.iter().map(|j| j.fs_path.clone()).collect();
    for root in roots.iter().filter(|r| r.is_dir()) {
        let shown = |p: &Path| {
            let rel = if single_dir_root {
                p.strip_prefix(root).unwrap_or(p)
            } else {
                p
            };
            display_path(rel)
        };
        for rel in super::gitcli::tracked_but_ignored(root) {
            let path = root.join(&rel);
            if seen.contains(&path)
                || rel.components().any(|c| c.as_os_str() == ".git")
                || !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            {
                continue;
            }
            // The file, or a directory above it up to the root, in a .leakguardignore.
            let ignored = rel
                .ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .find_map(|a| {
                    let p = root.join(a);
                    ignore_files.ignored_by(&p, p != path, shown)
                });
            if let Some(source) = ignored {
                tally.add(SuppressKind::IgnoreFile, source, None, 1);
                continue;
            }
            seen.insert(path.clone());
            jobs.push(Job {
                shown: shown(&path),
                fs_path: path,
            });
        }
    }
}

fn walk_error_parts(err: &ignore::Error) -> (Option<PathBuf>, SkipReason) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), walk_error_parts(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_parts(err)
        }
        ignore::Error::Loop { child, .. } => (Some(child.clone()), SkipReason::Symlink),
        ignore::Error::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            (None, SkipReason::Unreadable)
        }
        _ => (None, SkipReason::WalkError),
    }
}

/// A working-tree file as the blob path sees it.
struct FileSink<'a> {
    job: &'a Job,
    archives: Option<&'a Archives>,
}

/// A working-tree file's hits are all findings; a skipped file still meets the path rules.
impl BlobSink for FileSink<'_> {
    type Out = Vec<Finding>;
    fn path(&self) -> &str {
        &self.job.shown
    }
    fn scope(&self) -> PathScope<'_> {
        PathScope::At(&self.job.shown)
    }
    fn matched(&mut self, engine: &Engine, hits: Vec<Hit>, _text: Option<&[u8]>) -> Vec<Finding> {
        engine.findings(&hits, &self.job.shown, None)
    }
    fn unscanned(&mut self, engine: &Engine) -> Vec<Finding> {
        engine.scan_file_bytes(b"", &self.job.shown)
    }
    fn archives(&self) -> Option<&Archives> {
        self.archives
    }
    fn archive(&mut self, engine: &Engine, members: Vec<MemberHits>) -> Vec<Finding> {
        let mut found = self.unscanned(engine);
        found.extend(blob::member_findings(engine, members, None));
        found
    }
}

fn scan_job(engine: &Engine, job: &Job, opts: &WalkOptions) -> FileOutcome {
    let mut sink = FileSink {
        job,
        archives: opts.archives.as_ref(),
    };
    // The length decides before the file is read: over the limit, skipped; large, streamed.
    let opened = File::open(&job.fs_path).and_then(|f| Ok((f.metadata()?.len(), f)));
    let (len, file) = match opened {
        Ok(o) => o,
        Err(e) => return blob::unreadable(engine, &mut sink, &e),
    };
    scan_blob(engine, &mut sink, len, opts.max_file_size, || {
        Ok(Body::Reader(Box::new(file)))
    })
}

/// A path as reports show it: `/` separators, non-UTF-8 bytes replaced.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    if std::path::MAIN_SEPARATOR == '/' {
        s.to_string()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}
