//! Reading and matching each unique blob once, on worker threads, in an order that keeps a delta's
//! base in the worker's cache and lets each version of a file be matched only where it changed.

use super::walk::Job;
use super::HistoryOptions;
use crate::engine::{Engine, Hit, Keywords, PathScope};
use crate::progress::Progress;
use crate::source::archive::Archives;
use crate::source::blob::{scan_blob, BlobSink, Body, FileOutcome, MemberHits};
use crate::source::git::{corrupt, short};
use crate::source::pack::{self, Location, PackReader, PackSet};
use crate::source::{SkipReason, Skipped, STREAM_THRESHOLD};
use anyhow::{anyhow, Result};
use git2::{Odb, Oid, Repository};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Per worker: resolved objects kept for the deltas that follow them in the pack. Jobs come in pack
/// order, versions of a file together, so a delta's base is nearly always among the last few objects
/// read: 16 MiB cost no more CPU than 64 MiB did on tokio's or cargo's history (1.0 s and 7.8 s user)
/// and held 48 MiB less per worker; 4 MiB, with the last two objects too large for it kept apart
/// (`PackReader`), costs +0.3% instructions on tokio's history and holds 12 MiB less per worker
/// (stop 40: tokio 91 -> 69-78 MB, cargo 182 -> 154 MB peak RSS). Without those two, objects over
/// 2 MiB were never kept and a 4.8 MB lock file's 150 versions took 2.7x the CPU.
pub(super) const PACK_CACHE_BYTES: usize = 4 << 20;

/// After each this many bytes of blobs read, the pages of the packs mapped so far are handed back
/// (`PackSet::release_pages`): a mapped page read once stays in the process's resident set otherwise,
/// and over a whole history that is the whole pack (106 MiB on cargo).
const RELEASE_EVERY: u64 = 64 << 20;

/// Versions of a file at least this large have the keyword automaton run only where they differ from
/// the version of that file the worker scanned before (`Engine::scan_changed`). On tokio's history
/// (43,597 blobs) 16 KB measured ~6% less CPU than 256 KB and the same as 1 KB or 4 KB: below a few
/// kilobytes, finding what changed costs about what it saves.
pub(super) const INCREMENTAL_MIN: usize = 16 << 10;

/// What scanning one blob found; only blobs with hits are kept.
pub(super) struct BlobHits {
    pub(super) job: usize,
    pub(super) content_hits: Vec<Hit>,
    pub(super) path_hits: Vec<(u32, Vec<Hit>)>,
}

#[derive(Default)]
pub(super) struct Scanned {
    pub(super) scanned: u64,
    pub(super) bytes: u64,
    pub(super) skipped: Vec<(usize, SkipReason, String)>,
    pub(super) results: Vec<BlobHits>,
    /// Hits in archive members, by job.
    pub(super) members: Vec<(usize, Vec<MemberHits>)>,
    /// What archive limits stopped or could not read, by job; a path is the rest after the blob's
    /// path (`!inner.zip`, or empty for the archive itself), which the caller puts before it.
    pub(super) archive_skipped: Vec<(usize, Skipped)>,
}

/// Scans every job's blob once, on worker threads that each open the repository themselves.
pub(super) fn scan_blobs(
    engine: &Engine,
    git_dir: &Path,
    jobs: &[Job],
    opts: &HistoryOptions,
) -> Result<Scanned> {
    let threads = super::threads(opts).clamp(1, jobs.len().max(1));
    // The versions of one file are read together, in pack order: a delta's base (usually another
    // version of the same file) comes before it in the pack, so it is still in the worker's cache,
    // and each version is matched only where it differs from the one before. Files come in the pack
    // order of their first version. Workers take runs of consecutive jobs.
    let packs = PackSet::open(git_dir);
    let locs: Vec<Option<Location>> = jobs.iter().map(|j| packs.locate(&j.oid)).collect();
    let mut first_of_lineage: HashMap<u32, (bool, Option<Location>)> = HashMap::new();
    for (j, loc) in jobs.iter().zip(&locs) {
        let key = (loc.is_none(), *loc);
        first_of_lineage
            .entry(j.lineage)
            .and_modify(|k| *k = (*k).min(key))
            .or_insert(key);
    }
    // Keys built once (a hash lookup per comparison was 118M instructions on tokio's history, on
    // the one thread, before any worker starts); the job index last keeps equal keys in job order.
    let mut keyed: Vec<_> = (0..jobs.len())
        .map(|i| {
            (
                first_of_lineage[&jobs[i].lineage],
                jobs[i].lineage,
                locs[i].is_none(),
                locs[i],
                i,
            )
        })
        .collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|k| k.4).collect();
    const RUN: usize = 64;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let bytes_done = AtomicU64::new(0);
    let failed = AtomicBool::new(false);
    let finished = AtomicBool::new(false);
    let first_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    // Blobs too big to stream are read whole: one at a time, so memory stays bounded.
    let big = Mutex::new(());
    let mut total = Scanned::default();
    std::thread::scope(|s| {
        let progress = opts.progress.then(|| {
            s.spawn(|| {
                let bar = Progress::blobs(jobs.len(), true);
                while !finished.load(Ordering::Relaxed) {
                    std::thread::sleep(Progress::TICK);
                    bar.update(
                        done.load(Ordering::Relaxed),
                        bytes_done.load(Ordering::Relaxed),
                    );
                }
                bar.finish();
            })
        });
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> Scanned {
                    let mut local = Scanned::default();
                    let repo = Repository::open(git_dir);
                    let odb = match repo
                        .as_ref()
                        .map_err(|e| e.message().to_string())
                        .and_then(|r| r.odb().map_err(|e| e.message().to_string()))
                    {
                        Ok(o) => o,
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            first_error
                                .lock()
                                .unwrap()
                                .get_or_insert(anyhow!("cannot open repository: {e}"));
                            return local;
                        }
                    };
                    let odb = &odb;
                    let mut packed = Some(PackReader::new(&packs, PACK_CACHE_BYTES));
                    let mut previous: Option<Previous> = None;
                    let mut run = 0..0;
                    while !failed.load(Ordering::Relaxed) {
                        let i = match run.next() {
                            Some(k) => order[k],
                            None => {
                                let start = next.fetch_add(RUN, Ordering::Relaxed);
                                if start >= order.len() {
                                    break;
                                }
                                run = start..(start + RUN).min(order.len());
                                continue;
                            }
                        };
                        let found = scan_one(
                            engine,
                            odb,
                            &mut packed,
                            locs[i],
                            &jobs[i],
                            opts,
                            &big,
                            &mut previous,
                        );
                        match found {
                            Ok((size, outcome)) => {
                                let before = bytes_done.fetch_add(size, Ordering::Relaxed);
                                if (before + size) / RELEASE_EVERY > before / RELEASE_EVERY {
                                    packs.release_pages();
                                }
                                let (content_hits, path_hits, members) = match outcome {
                                    FileOutcome::Scanned { bytes, found } => {
                                        local.scanned += 1;
                                        local.bytes += bytes;
                                        found
                                    }
                                    FileOutcome::Archive {
                                        members,
                                        bytes,
                                        skipped,
                                        found,
                                    } => {
                                        local.scanned += 1 + members;
                                        local.bytes += bytes;
                                        local
                                            .archive_skipped
                                            .extend(skipped.into_iter().map(|s| (i, s)));
                                        found
                                    }
                                    FileOutcome::Skipped(s, found) => {
                                        local.skipped.push((
                                            i,
                                            s.reason,
                                            s.detail.unwrap_or_default(),
                                        ));
                                        found
                                    }
                                };
                                if !members.is_empty() {
                                    local.members.push((i, members));
                                }
                                if !content_hits.is_empty() || !path_hits.is_empty() {
                                    local.results.push(BlobHits {
                                        job: i,
                                        content_hits,
                                        path_hits,
                                    });
                                }
                            }
                            Err(e) => {
                                failed.store(true, Ordering::Relaxed);
                                first_error.lock().unwrap().get_or_insert(e);
                            }
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    local
                })
            })
            .collect();
        for w in workers {
            let local = w.join().expect("scan worker does not panic");
            total.scanned += local.scanned;
            total.bytes += local.bytes;
            total.skipped.extend(local.skipped);
            total.results.extend(local.results);
            total.members.extend(local.members);
            total.archive_skipped.extend(local.archive_skipped);
        }
        finished.store(true, Ordering::Relaxed);
        if let Some(p) = progress {
            let _ = p.join();
        }
    });
    if let Some(e) = first_error.into_inner().unwrap() {
        return Err(e);
    }
    total.results.sort_by_key(|r| r.job);
    total.members.sort_by_key(|m| m.0);
    Ok(total)
}

/// A blob's content hits, its path-rule hits by path index, and, for an archive, its members' hits.
type Hits = (Vec<Hit>, Vec<(u32, Vec<Hit>)>, Vec<MemberHits>);

/// The last large text blob a worker matched, kept to match the next version of the same file against.
pub(super) struct Previous {
    pub(super) lineage: u32,
    pub(super) text: Arc<Vec<u8>>,
    pub(super) keywords: Keywords,
}

/// What history does with a blob on the shared blob path: content and path rules apart (a blob
/// introduced at several paths is matched once, and each path's rules on their own), and a version
/// of a file matched only where it differs from the version before it (`Engine::scan_changed`).
struct HistorySink<'a> {
    job: &'a Job,
    opts: &'a HistoryOptions,
    previous: &'a mut Option<Previous>,
    /// The pack reader's buffer the blob was read into, if it was: kept for the next version
    /// without a copy.
    shared: &'a RefCell<Option<Arc<Vec<u8>>>>,
}

impl BlobSink for HistorySink<'_> {
    type Out = Hits;

    /// A blob's skips are listed under the first path the walk met it at (`Scanned::skipped` names
    /// the job; the caller, which holds the paths, names it).
    fn path(&self) -> &str {
        ""
    }

    fn scope(&self) -> PathScope<'_> {
        PathScope::ContentOnly
    }

    fn scan_whole(&mut self, engine: &Engine, text: &[u8]) -> Vec<Hit> {
        let incremental = !self.opts.full_rescan && text.len() >= INCREMENTAL_MIN;
        let before = self
            .previous
            .as_ref()
            .filter(|p| incremental && p.lineage == self.job.lineage);
        let (hits, keywords) = match before {
            Some(p) => engine.scan_changed(text, PathScope::ContentOnly, &p.text, &p.keywords),
            None => engine.scan_keeping_keywords(text, PathScope::ContentOnly),
        };
        if incremental {
            // The text is the pack reader's buffer itself unless it was transcoded (UTF-16).
            let text = match self.shared.borrow_mut().take() {
                Some(bytes)
                    if bytes.as_slice().as_ptr() == text.as_ptr() && bytes.len() == text.len() =>
                {
                    bytes
                }
                _ => Arc::new(text.to_vec()),
            };
            *self.previous = Some(Previous {
                lineage: self.job.lineage,
                text,
                keywords,
            });
        }
        hits
    }

    fn matched(&mut self, engine: &Engine, hits: Vec<Hit>, text: Option<&[u8]>) -> Hits {
        (
            hits,
            path_rule_hits(engine, self.job, text.unwrap_or(b"")),
            Vec::new(),
        )
    }

    fn unscanned(&mut self, engine: &Engine) -> Hits {
        (
            Vec::new(),
            path_rule_hits(engine, self.job, b""),
            Vec::new(),
        )
    }

    fn archives(&self) -> Option<&Archives> {
        self.opts.archives.as_ref()
    }

    /// Members' hits are attributed like the blob's content (`attribute_members`), at each path
    /// the archive was introduced at.
    fn archive(&mut self, engine: &Engine, members: Vec<MemberHits>) -> Hits {
        (Vec::new(), path_rule_hits(engine, self.job, b""), members)
    }
}

/// Bytes shared with the pack reader's cache.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// An object libgit2 read whole.
struct Object<'a>(git2::OdbObject<'a>);

impl AsRef<[u8]> for Object<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.data()
    }
}

/// A streamed loose object whose read errors are a damaged repository (an error for the whole
/// scan, as history reports them), not a file to skip: the first one is noted for the caller.
struct Noted<'a, R> {
    inner: R,
    oid: Oid,
    failure: &'a RefCell<Option<anyhow::Error>>,
}

impl<R: Read> Read for Noted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            self.failure
                .borrow_mut()
                .get_or_insert_with(|| anyhow!("cannot read blob {}: {e}", short(self.oid)));
        })
    }
}

/// Reads and matches one blob through the shared blob path; returns its size (as its header says)
/// and what became of it. Skip details name the blob.
#[allow(clippy::too_many_arguments)]
pub(super) fn scan_one(
    engine: &Engine,
    odb: &Odb,
    packed: &mut Option<PackReader>,
    loc: Option<Location>,
    job: &Job,
    opts: &HistoryOptions,
    big: &Mutex<()>,
    previous: &mut Option<Previous>,
) -> Result<(u64, FileOutcome<Hits>)> {
    let oid = job.oid;
    if job.missing {
        let outcome = FileOutcome::Skipped(
            Skipped {
                path: String::new(),
                reason: SkipReason::MissingPromisorObject,
                detail: Some(format!("blob {}, not in this partial clone", short(oid))),
            },
            (Vec::new(), path_rule_hits(engine, job, b""), Vec::new()),
        );
        return Ok((0, outcome));
    }
    // The pack reader first; anything it cannot do (or a damaged pack) goes to libgit2, whose verdict stands.
    let from_pack = match (packed.as_mut(), loc) {
        (Some(r), Some(l)) => r
            .header(l)
            .ok()
            .filter(|(kind, _)| *kind == pack::BLOB)
            .map(|(_, size)| size),
        _ => None,
    };
    let size = match from_pack {
        Some(size) => size as u64,
        None => {
            odb.read_header(oid)
                .map_err(|e| corrupt("blob", oid, &e))?
                .0 as u64
        }
    };
    let shared = RefCell::new(None);
    let failure: RefCell<Option<anyhow::Error>> = RefCell::new(None);
    // Blobs too big to stream are held whole: one at a time, so memory stays bounded.
    let mut one_at_a_time = None;
    let open = || -> std::io::Result<Body<'_>> {
        if size > STREAM_THRESHOLD && from_pack.is_none() {
            // Loose objects stream; packed ones cannot and are read whole below.
            if let Ok((reader, _, _)) = odb.reader(oid) {
                return Ok(Body::Reader(Box::new(Noted {
                    inner: reader,
                    oid,
                    failure: &failure,
                })));
            }
        }
        if size > STREAM_THRESHOLD {
            one_at_a_time = Some(big.lock().unwrap_or_else(|e| e.into_inner()));
        }
        if from_pack.is_some() {
            if let (Some(r), Some(l)) = (packed.as_mut(), loc) {
                if let Ok((pack::BLOB, data)) = r.read(l) {
                    *shared.borrow_mut() = Some(Arc::clone(&data));
                    return Ok(Body::Held(Box::new(Shared(data))));
                }
            }
        }
        match odb.read(oid) {
            Ok(obj) => Ok(Body::Held(Box::new(Object(obj)))),
            Err(e) => {
                let e = corrupt("blob", oid, &e);
                let io = std::io::Error::other(e.to_string());
                *failure.borrow_mut() = Some(e.into());
                Err(io)
            }
        }
    };
    let mut sink = HistorySink {
        job,
        opts,
        previous,
        shared: &shared,
    };
    let outcome = scan_blob(engine, &mut sink, size, opts.max_blob_size, open);
    drop(one_at_a_time);
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    let outcome = match outcome {
        FileOutcome::Skipped(mut s, found) => {
            s.detail = Some(match s.detail {
                Some(d) => format!("{d}, blob {}", short(oid)),
                None => format!("blob {}", short(oid)),
            });
            FileOutcome::Skipped(s, found)
        }
        scanned => scanned,
    };
    Ok((size, outcome))
}

/// Path-scoped rules for each path the blob was introduced at. On a blob whose content is not scanned
/// (binary, too large) `data` is empty, and the rules that match on the path alone still fire.
pub(super) fn path_rule_hits(engine: &Engine, job: &Job, data: &[u8]) -> Vec<(u32, Vec<Hit>)> {
    job.rule_paths
        .iter()
        .map(|(p, path)| (*p, engine.scan(data, PathScope::PathRulesAt(path))))
        .filter(|(_, h)| !h.is_empty())
        .collect()
}
