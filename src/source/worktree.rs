//! The working tree: walked with the `ignore` crate (so .gitignore, .ignore and .leakguardignore are
//! honoured), files scanned in parallel with rayon.

use super::ignore_file::IgnoreFiles;
use super::{
    classify, sort_findings, Content, ScanOutcome, SkipReason, Skipped, Stats, STREAM_CHUNK,
    STREAM_THRESHOLD,
};
use crate::engine::{Engine, PathScope};
use crate::finding::Finding;
use crate::suppress::{SuppressKind, Tally};
use ignore::WalkBuilder;
use rayon::prelude::*;
use std::fs::File;
use std::io::Read;
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
    let (jobs, mut skipped) = collect_jobs(roots, opts, &tally);
    let results: Vec<FileResult> = jobs
        .par_iter()
        .map(|job| scan_job(engine, job, opts))
        .collect();
    let mut stats = Stats::default();
    let mut findings: Vec<Finding> = Vec::new();
    for r in results {
        match r {
            FileResult::Scanned { bytes, findings: f } => {
                stats.scanned += 1;
                stats.bytes += bytes;
                findings.extend(f);
            }
            FileResult::Skipped(s, f) => {
                skipped.push(s);
                findings.extend(f);
            }
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    stats.skipped = skipped;
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
    jobs.sort_by(|a, b| a.shown.cmp(&b.shown));
    (jobs, skipped.into_inner().unwrap())
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

enum FileResult {
    Scanned {
        bytes: u64,
        findings: Vec<Finding>,
    },
    /// Content not scanned; rules that match on the path alone (a `.p12`, an `id_rsa`) still report.
    Skipped(Skipped, Vec<Finding>),
}

fn skipped(engine: &Engine, job: &Job, reason: SkipReason, detail: Option<String>) -> FileResult {
    let by_path = engine.scan_file_bytes(b"", &job.shown);
    FileResult::Skipped(
        Skipped {
            path: job.shown.clone(),
            reason,
            detail,
        },
        by_path,
    )
}

fn scan_job(engine: &Engine, job: &Job, opts: &WalkOptions) -> FileResult {
    let skip = |reason, detail: Option<String>| skipped(engine, job, reason, detail);
    let mut file = match File::open(&job.fs_path) {
        Ok(f) => f,
        Err(e) => return skip(SkipReason::Unreadable, Some(e.kind().to_string())),
    };
    let len = match file.metadata() {
        Ok(m) => m.len(),
        Err(e) => return skip(SkipReason::Unreadable, Some(e.kind().to_string())),
    };
    if opts.max_file_size.is_some_and(|max| len > max) {
        return skip(SkipReason::TooLarge, Some(format!("{len} bytes")));
    }
    if len > STREAM_THRESHOLD {
        return scan_streamed(engine, job, file, len);
    }
    let mut data = Vec::with_capacity(len as usize + 1);
    if let Err(e) = file.read_to_end(&mut data) {
        return skip(SkipReason::Unreadable, Some(e.kind().to_string()));
    }
    match classify(&data) {
        Content::Binary => skip(SkipReason::Binary, None),
        Content::Text(text) => FileResult::Scanned {
            bytes: data.len() as u64,
            findings: engine.scan_file_bytes(&text, &job.shown),
        },
    }
}

fn scan_streamed(engine: &Engine, job: &Job, mut file: File, len: u64) -> FileResult {
    let skip = |reason, detail: Option<String>| skipped(engine, job, reason, detail);
    let mut head = vec![0u8; 8000];
    let n = match file.read(&mut head) {
        Ok(n) => n,
        Err(e) => return skip(SkipReason::Unreadable, Some(e.kind().to_string())),
    };
    head.truncate(n);
    if super::is_binary_prefix(&head) {
        return skip(SkipReason::Binary, None);
    }
    let reader = std::io::Cursor::new(head).chain(file);
    match engine.scan_reader(reader, PathScope::At(&job.shown), STREAM_CHUNK) {
        Ok(hits) => FileResult::Scanned {
            bytes: len,
            findings: hits
                .iter()
                .filter_map(|h| engine.finding(h, &job.shown, None))
                .collect(),
        },
        Err(e) => skip(SkipReason::Unreadable, Some(e.kind().to_string())),
    }
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
