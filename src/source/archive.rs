//! Archives (zip and its kin: jar, whl, apk; tar; gzip, tar.gz) opened in memory, their members handed
//! one at a time to the caller, which scans them like files. Recognised by their first bytes, not by
//! their names. Nothing is ever written to disk, so a member's name (untrusted) is only a label.
//!
//! An archive can cost far more than its size: a zip bomb inflates a thousandfold, a member can hold
//! another archive. So every archive is read within limits: nesting depth, uncompressed bytes per
//! archive (nested ones included) and per run, a compression ratio, a member count. Whatever a limit
//! stops is listed as skipped (`archive-limit`), a member that cannot be read as `archive-corrupt` or
//! `unreadable` (encrypted, a compression method not built in): never silently.

use crate::stats::{SkipReason, Skipped};
use std::io::{self, Cursor, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What bounds the reading of archives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How many archives deep members are read: 1 opens archives but not archives inside them.
    pub max_depth: usize,
    /// Uncompressed bytes read from one archive, the archives inside it included.
    pub max_archive_bytes: u64,
    /// Uncompressed bytes read from all archives of a run.
    pub max_run_bytes: u64,
    /// Uncompressed bytes per compressed byte above which a member is a bomb, not data; only for
    /// members over `RATIO_FLOOR` (a small file of one repeated line compresses very well too).
    pub max_ratio: u64,
    /// Members read from one archive, the archives inside it included.
    pub max_members: usize,
}

/// Members up to this size are read whatever their compression ratio.
pub const RATIO_FLOOR: u64 = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 3,
            max_archive_bytes: 128 << 20,
            max_run_bytes: 1 << 30,
            max_ratio: 100,
            max_members: 20_000,
        }
    }
}

/// The archive settings of one run, shared by its threads: the limits and what is left of the run's
/// byte budget.
#[derive(Clone, Debug)]
pub struct Archives {
    limits: Limits,
    run_left: Arc<AtomicU64>,
}

/// The kinds of archive recognised, by their magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Tar,
    Gzip,
}

/// The kind of archive `data` is, from its first bytes: a zip local header (or an empty zip's end
/// record), gzip's magic and deflate method, a POSIX or GNU tar header's `ustar` at offset 257.
/// Cheap enough for every blob: a few byte compares.
pub fn kind(data: &[u8]) -> Option<Kind> {
    match data {
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Some(Kind::Zip),
        [0x1f, 0x8b, 8, ..] => Some(Kind::Gzip),
        _ if data.get(257..262) == Some(b"ustar") => Some(Kind::Tar),
        _ => None,
    }
}

/// One file inside an archive, read whole.
pub struct Member<'a> {
    /// As reports show it: `bundle.zip!config/app.env`, `outer.zip!inner.tar.gz!a.env`.
    pub path: &'a str,
    /// The part after the outermost archive's path: `config/app.env`, `inner.tar.gz!a.env`.
    pub member: &'a str,
    /// Its name in the archive that holds it (`a.env`): what path rules match.
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// What reading an archive came to, beyond the members handed out.
#[derive(Debug, Default)]
pub struct Walked {
    /// False: `data` is not an archive after all (its header could not be read); `skipped` says why.
    pub opened: bool,
    /// What a limit stopped, what could not be read.
    pub skipped: Vec<Skipped>,
}

impl Archives {
    pub fn new(limits: Limits) -> Self {
        Archives {
            limits,
            run_left: Arc::new(AtomicU64::new(limits.max_run_bytes)),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Reads the archive `data` (of `kind`, which `kind()` said), shown as `path`, and hands each
    /// member that is not itself an archive to `visit`, in the archive's order; archives inside are
    /// opened in turn, to the depth limit.
    pub fn walk(
        &self,
        data: &[u8],
        kind: Kind,
        path: &str,
        visit: &mut dyn FnMut(Member<'_>),
    ) -> Walked {
        if self.limits.max_depth == 0 {
            return Walked::default();
        }
        let mut w = Walker {
            archives: self,
            left: self.limits.max_archive_bytes,
            members: 0,
            stopped: false,
            skipped: Vec::new(),
            visit,
        };
        match w.archive(data, kind, path, "", 1) {
            Ok(()) => Walked {
                opened: true,
                skipped: w.skipped,
            },
            Err(detail) => {
                // Nothing was read: the blob is what it was before archives, plus why.
                w.skip(path, SkipReason::ArchiveCorrupt, detail);
                Walked {
                    opened: false,
                    skipped: w.skipped,
                }
            }
        }
    }

    fn run_left(&self) -> u64 {
        self.run_left.load(Ordering::Relaxed)
    }

    fn spend(&self, n: u64) {
        let _ = self
            .run_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
                Some(v.saturating_sub(n))
            });
    }
}

/// One outermost archive being read: its budgets, and where its members go.
struct Walker<'a, 'v> {
    archives: &'a Archives,
    /// Uncompressed bytes this archive may still yield.
    left: u64,
    /// Members met so far, nested ones included.
    members: usize,
    /// A limit on the whole archive was reached: nothing more is read.
    stopped: bool,
    skipped: Vec<Skipped>,
    visit: &'v mut dyn FnMut(Member<'_>),
}

/// A member's bytes as far as the limits let them be read.
enum Inflated {
    Whole(Vec<u8>),
    /// Inflating past the ratio limit: a bomb; this member only is skipped.
    Ratio,
    /// The archive's or the run's byte budget is spent: nothing more is read.
    Budget(String),
    /// Read failed (a bad deflate stream, a CRC mismatch) after these bytes.
    Broken(io::Error, Vec<u8>),
}

impl Walker<'_, '_> {
    fn skip(&mut self, path: &str, reason: SkipReason, detail: String) {
        self.skipped.push(Skipped {
            path: path.to_string(),
            reason,
            detail: Some(detail),
        });
    }

    /// Reads the members of one archive. Err: its header cannot be read at all.
    fn archive(
        &mut self,
        data: &[u8],
        kind: Kind,
        path: &str,
        prefix: &str,
        depth: usize,
    ) -> Result<(), String> {
        match kind {
            Kind::Zip => self.zip(data, path, prefix, depth),
            Kind::Tar => self.tar(data, path, prefix, depth),
            Kind::Gzip => self.gzip(data, path, prefix, depth),
        }
    }

    /// Counts one more member; false (listed once) when the archive has too many.
    fn count_member(&mut self, path: &str) -> bool {
        self.members += 1;
        if self.members > self.archives.limits.max_members {
            let max = self.archives.limits.max_members;
            self.skip(
                path,
                SkipReason::ArchiveLimit,
                format!("more than {max} members: the rest were not read"),
            );
            self.stopped = true;
            return false;
        }
        true
    }

    /// Reads a member within the byte budgets and, when `compressed` is its compressed size, the
    /// ratio limit.
    fn read(&mut self, r: impl Read, compressed: Option<u64>) -> Inflated {
        let limits = &self.archives.limits;
        let run_left = self.archives.run_left();
        let budget = self.left.min(run_left);
        let ratio_cap = compressed.map_or(u64::MAX, |c| {
            c.saturating_mul(limits.max_ratio).max(RATIO_FLOOR)
        });
        let cap = budget.min(ratio_cap);
        let mut buf = Vec::new();
        let res = r.take(cap.saturating_add(1)).read_to_end(&mut buf);
        let n = buf.len() as u64;
        self.left = self.left.saturating_sub(n);
        self.archives.spend(n);
        if n > cap {
            return if ratio_cap < budget {
                Inflated::Ratio
            } else if self.left == 0 && budget < run_left {
                Inflated::Budget(format!(
                    "over {} uncompressed bytes in one archive (--max-archive-bytes): the rest were not read",
                    limits.max_archive_bytes
                ))
            } else {
                Inflated::Budget(format!(
                    "the run's {} bytes of archive content are spent: the rest were not read",
                    limits.max_run_bytes
                ))
            };
        }
        match res {
            Ok(_) => Inflated::Whole(buf),
            Err(e) => Inflated::Broken(e, buf),
        }
    }

    /// What became of a member read with `read`: its bytes handed on, or the skip listed.
    fn take(&mut self, read: Inflated, full: &str) -> Option<Vec<u8>> {
        match read {
            Inflated::Whole(b) => Some(b),
            Inflated::Ratio => {
                let ratio = self.archives.limits.max_ratio;
                self.skip(
                    full,
                    SkipReason::ArchiveLimit,
                    format!("inflates more than {ratio}:1 (a compression bomb?)"),
                );
                None
            }
            Inflated::Budget(detail) => {
                self.skip(full, SkipReason::ArchiveLimit, detail);
                self.stopped = true;
                None
            }
            Inflated::Broken(e, b) => {
                self.skip(full, SkipReason::ArchiveCorrupt, one_line(&e.to_string()));
                // What was read before the damage is still content that was committed.
                (!b.is_empty()).then_some(b)
            }
        }
    }

    /// A member read whole: an archive inside is opened (within the depth limit), anything else is
    /// handed to the caller.
    fn member(&mut self, bytes: &[u8], name: &str, path: &str, prefix: &str, depth: usize) {
        let full = format!("{path}!{name}");
        let member = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}!{name}")
        };
        if let Some(k) = kind(bytes) {
            let max = self.archives.limits.max_depth;
            if depth >= max {
                self.skip(
                    &full,
                    SkipReason::ArchiveLimit,
                    format!("an archive nested more than {max} deep (--max-archive-depth)"),
                );
                return;
            }
            match self.archive(bytes, k, &full, &member, depth + 1) {
                Ok(()) => return,
                // Not an archive after all: listed, and scanned as the file it is.
                Err(detail) => self.skip(&full, SkipReason::ArchiveCorrupt, detail),
            }
        }
        (self.visit)(Member {
            path: &full,
            member: &member,
            name,
            bytes,
        });
    }

    fn zip(&mut self, data: &[u8], path: &str, prefix: &str, depth: usize) -> Result<(), String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(data))
            .map_err(|e| format!("not a readable zip: {}", one_line(&e.to_string())))?;
        for i in 0..zip.len() {
            if self.stopped {
                break;
            }
            let name = match zip.name_for_index(i) {
                Some(Ok(n)) => n.into_owned(),
                _ => format!("#{i}"),
            };
            let full = format!("{path}!{name}");
            let mut entry = match zip.by_index(i) {
                Ok(e) => e,
                Err(e) => {
                    let (reason, detail) = match e {
                        zip::result::ZipError::UnsupportedArchive(m)
                            if m == zip::result::ZipError::PASSWORD_REQUIRED =>
                        {
                            (SkipReason::Unreadable, "encrypted".to_string())
                        }
                        zip::result::ZipError::CompressionMethodNotSupported(m) => (
                            SkipReason::Unreadable,
                            format!("compression method {m} is not supported"),
                        ),
                        e => (SkipReason::ArchiveCorrupt, one_line(&e.to_string())),
                    };
                    self.skip(&full, reason, detail);
                    continue;
                }
            };
            if entry.is_dir() {
                continue;
            }
            if !self.count_member(path) {
                break;
            }
            let compressed = entry.compressed_size();
            let read = self.read(&mut entry, Some(compressed));
            drop(entry);
            if let Some(bytes) = self.take(read, &full) {
                self.member(&bytes, &name, path, prefix, depth);
            }
        }
        Ok(())
    }

    fn tar(&mut self, data: &[u8], path: &str, prefix: &str, depth: usize) -> Result<(), String> {
        let mut tar = tar::Archive::new(Slice::new(data));
        let entries = tar
            .entries_with_seek()
            .map_err(|e| format!("not a readable tar: {}", one_line(&e.to_string())))?;
        for (seen, entry) in entries.enumerate() {
            if self.stopped {
                break;
            }
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) if seen == 0 => {
                    return Err(format!("not a readable tar: {}", one_line(&e.to_string())))
                }
                Err(e) => {
                    self.skip(
                        path,
                        SkipReason::ArchiveCorrupt,
                        format!(
                            "unreadable after {seen} entries: {}",
                            one_line(&e.to_string())
                        ),
                    );
                    break;
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            if !self.count_member(path) {
                break;
            }
            let full = format!("{path}!{name}");
            // A tar is not compressed: the budgets bound it, no ratio.
            let read = self.read(&mut entry, None);
            if let Some(bytes) = self.take(read, &full) {
                self.member(&bytes, &name, path, prefix, depth);
            }
        }
        Ok(())
    }

    /// A gzip stream holds one file: a tar (`.tar.gz`, `.tgz`), whose members are this archive's, or
    /// anything else, one member named after the archive (`app.env.gz!app.env`).
    fn gzip(&mut self, data: &[u8], path: &str, prefix: &str, depth: usize) -> Result<(), String> {
        let mut gz = flate2::read::MultiGzDecoder::new(data);
        let read = self.read(&mut gz, Some(data.len() as u64));
        let inner_name = gz_member_name(path, gz.header().and_then(|h| h.filename()));
        let (bytes, damage) = match read {
            Inflated::Broken(e, b) if b.is_empty() => {
                return Err(format!("not readable gzip: {}", one_line(&e.to_string())))
            }
            // What was inflated before the damage is read; the damage listed once.
            Inflated::Broken(e, b) => (b, Some(one_line(&e.to_string()))),
            // The ratio and budgets apply to the stream as a whole: listed under the archive.
            read => match self.take(read, path) {
                Some(b) => (b, None),
                None => return Ok(()),
            },
        };
        let listed = self.skipped.len();
        if kind(&bytes) == Some(Kind::Tar) {
            if let Err(detail) = self.tar(&bytes, path, prefix, depth) {
                self.skip(path, SkipReason::ArchiveCorrupt, detail);
            }
        } else if self.count_member(path) {
            self.member(&bytes, &inner_name, path, prefix, depth);
        }
        let tar_said_so = self.skipped[listed..]
            .iter()
            .any(|s| s.path == path && s.reason == SkipReason::ArchiveCorrupt);
        if let (Some(detail), false) = (damage, tar_said_so) {
            self.skip(path, SkipReason::ArchiveCorrupt, detail);
        }
        Ok(())
    }
}

/// The name of the one file a gzip stream holds: the archive's name without `.gz` (`.tgz` gives
/// `.tar`), else the name the gzip header recorded, else `data`.
fn gz_member_name(path: &str, recorded: Option<&[u8]>) -> String {
    let base = path.rsplit(['/', '!']).next().unwrap_or(path);
    let lower = base.to_ascii_lowercase();
    for (suffix, replacement) in [(".tgz", ".tar"), (".gz", ""), (".gzip", "")] {
        if lower.len() > suffix.len() && lower.ends_with(suffix) {
            return format!("{}{replacement}", &base[..base.len() - suffix.len()]);
        }
    }
    match recorded {
        Some(n) if !n.is_empty() => String::from_utf8_lossy(n).into_owned(),
        _ => "data".to_string(),
    }
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

/// A tar held in memory, read as `tar` reads a plain slice but skipping what it does not read
/// (the data of entries that are not files, each member's padding) by seeking: over a plain
/// slice `tar` skips by reading into a 32 KiB buffer it zeroes first, at every entry, which was
/// 60M of cargo's 775M instructions (docs/engine.md, "The 150 MB/s floor, second round"). A skip
/// past the end fails as `tar`'s reading skip fails there, with its words, so a truncated tar is
/// listed as it was.
struct Slice<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Slice<'a> {
    fn new(data: &'a [u8]) -> Slice<'a> {
        Slice { data, pos: 0 }
    }
}

impl Read for Slice<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let rest = &self.data[self.pos.min(self.data.len())..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

impl io::Seek for Slice<'_> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        // `tar` seeks only forward from where it is, by what it would otherwise read.
        let target = match to {
            io::SeekFrom::Current(d) => i64::try_from(self.pos).ok().and_then(|p| p.checked_add(d)),
            io::SeekFrom::Start(p) => i64::try_from(p).ok(),
            io::SeekFrom::End(d) => i64::try_from(self.data.len())
                .ok()
                .and_then(|l| l.checked_add(d)),
        };
        match target.and_then(|t| usize::try_from(t).ok()) {
            Some(t) if t <= self.data.len() => {
                self.pos = t;
                Ok(t as u64)
            }
            _ => Err(io::Error::other("unexpected EOF during skip")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip of stored (uncompressed) entries, written by hand: the crate is built without writing.
    fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in files {
            let crc = crc32(data);
            let offset = out.len() as u32;
            let mut local = Vec::new();
            local.extend_from_slice(b"PK\x03\x04");
            local.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            local.extend_from_slice(&crc.to_le_bytes());
            local.extend_from_slice(&(data.len() as u32).to_le_bytes());
            local.extend_from_slice(&(data.len() as u32).to_le_bytes());
            local.extend_from_slice(&(name.len() as u16).to_le_bytes());
            local.extend_from_slice(&[0, 0]);
            local.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&local);
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&crc.to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = flate2::Crc::new();
        c.update(data);
        c.sum()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut h = tar::Header::new_ustar();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn walk(a: &Archives, data: &[u8], path: &str) -> (Vec<(String, String, Vec<u8>)>, Walked) {
        let mut got = Vec::new();
        let w = a.walk(data, kind(data).unwrap(), path, &mut |m| {
            got.push((m.path.to_string(), m.member.to_string(), m.bytes.to_vec()))
        });
        (got, w)
    }

    fn reasons(w: &Walked) -> Vec<(String, &'static str)> {
        w.skipped
            .iter()
            .map(|s| (s.path.clone(), s.reason.label()))
            .collect()
    }

    #[test]
    fn kinds_by_magic_bytes() {
        assert_eq!(kind(&stored_zip(&[("a", b"x")])), Some(Kind::Zip));
        assert_eq!(kind(&gzip(b"x")), Some(Kind::Gzip));
        assert_eq!(kind(&tar_of(&[("a", b"x")])), Some(Kind::Tar));
        assert_eq!(kind(b"PK is not enough"), None);
        assert_eq!(kind(b""), None);
    }

    #[test]
    fn nested_members_are_named_by_their_chain() {
        let tgz = gzip(&tar_of(&[("dir/a.env", b"K=v\n"), ("b.txt", b"b\n")]));
        let outer = stored_zip(&[("inner.tar.gz", &tgz), ("c.txt", b"c\n")]);
        let (got, w) = walk(&Archives::new(Limits::default()), &outer, "x/outer.zip");
        assert!(w.opened && w.skipped.is_empty(), "{:?}", w.skipped);
        let names: Vec<(&str, &str)> = got
            .iter()
            .map(|(p, m, _)| (p.as_str(), m.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "x/outer.zip!inner.tar.gz!dir/a.env",
                    "inner.tar.gz!dir/a.env"
                ),
                ("x/outer.zip!inner.tar.gz!b.txt", "inner.tar.gz!b.txt"),
                ("x/outer.zip!c.txt", "c.txt"),
            ]
        );
        assert_eq!(got[0].2, b"K=v\n");
    }

    #[test]
    fn depth_limit_lists_what_it_stops() {
        let inner = stored_zip(&[("a.txt", b"a\n")]);
        let mid = stored_zip(&[("inner.zip", &inner)]);
        let outer = stored_zip(&[("mid.zip", &mid)]);
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let (got, w) = walk(&Archives::new(limits), &outer, "o.zip");
        assert!(got.is_empty());
        assert_eq!(
            reasons(&w),
            [("o.zip!mid.zip!inner.zip".to_string(), "archive-limit")]
        );
        let (got, w) = walk(&Archives::new(Limits::default()), &outer, "o.zip");
        assert_eq!(got.len(), 1);
        assert!(w.skipped.is_empty());
    }

    #[test]
    fn byte_budgets_stop_the_archive_and_the_run() {
        let big = vec![b'a'; 1000];
        let z = stored_zip(&[("1", &big), ("2", &big), ("3", &big)]);
        let limits = Limits {
            max_archive_bytes: 2500,
            ..Limits::default()
        };
        let (got, w) = walk(&Archives::new(limits), &z, "z.zip");
        assert_eq!(got.len(), 2);
        assert_eq!(reasons(&w), [("z.zip!3".to_string(), "archive-limit")]);
        assert!(w.skipped[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("one archive"));

        // The run's budget is shared: a second archive gets what the first left.
        let a = Archives::new(Limits {
            max_run_bytes: 3500,
            ..Limits::default()
        });
        assert_eq!(walk(&a, &z, "a.zip").0.len(), 3);
        let (got, w) = walk(&a, &z, "b.zip");
        assert!(got.is_empty(), "{}", got.len());
        assert!(w.skipped[0].detail.as_deref().unwrap().contains("run's"));
    }

    #[test]
    fn a_bomb_is_skipped_and_the_rest_read() {
        let bomb = gzip(&vec![0u8; 4 << 20]);
        assert!(bomb.len() < 40_000);
        let z = stored_zip(&[("bomb.gz", &bomb), ("ok.txt", b"ok\n")]);
        let (got, w) = walk(&Archives::new(Limits::default()), &z, "z.zip");
        assert_eq!(got.len(), 1);
        assert_eq!(
            reasons(&w),
            [("z.zip!bomb.gz".to_string(), "archive-limit")]
        );
    }

    #[test]
    fn member_count_is_bounded() {
        let files: Vec<(String, Vec<u8>)> = (0..5).map(|i| (format!("f{i}"), vec![b'x'])).collect();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let z = stored_zip(&refs);
        let limits = Limits {
            max_members: 3,
            ..Limits::default()
        };
        let (got, w) = walk(&Archives::new(limits), &z, "z.zip");
        assert_eq!(got.len(), 3);
        assert_eq!(reasons(&w), [("z.zip".to_string(), "archive-limit")]);
    }

    #[test]
    fn corrupt_archives_are_listed() {
        let mut z = stored_zip(&[("a.txt", b"hello\n")]);
        let n = z.len();
        z.truncate(n - 10);
        let (got, w) = walk(&Archives::new(Limits::default()), &z, "z.zip");
        assert!(!w.opened && got.is_empty());
        assert_eq!(reasons(&w), [("z.zip".to_string(), "archive-corrupt")]);

        let mut t = tar_of(&[("a.txt", b"hello\n"), ("b.txt", b"bye\n")]);
        t[512 + 512 + 148] ^= 0xff; // the second header's checksum
        let (got, w) = walk(&Archives::new(Limits::default()), &t, "t.tar");
        assert!(w.opened);
        assert_eq!(got.len(), 1);
        assert_eq!(reasons(&w), [("t.tar".to_string(), "archive-corrupt")]);
    }

    /// What `tar` makes of an archive, entry by entry: each header's path and type, a file's
    /// bytes, and the error that ends the walk, as the walker reads it (only files' data).
    fn tar_listing<R: Read>(entries: io::Result<tar::Entries<'_, R>>) -> Vec<String> {
        let mut out = Vec::new();
        let entries = match entries {
            Ok(e) => e,
            Err(e) => return vec![format!("open: {e}")],
        };
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    out.push(format!("error: {e}"));
                    break;
                }
            };
            let kind = entry.header().entry_type();
            let mut line = format!(
                "{:?} {:?}",
                String::from_utf8_lossy(&entry.path_bytes()),
                kind
            );
            if kind.is_file() {
                let mut bytes = Vec::new();
                match entry.read_to_end(&mut bytes) {
                    Ok(_) => line.push_str(&format!(" {bytes:?}")),
                    Err(e) => line.push_str(&format!(" read error {e}")),
                }
            }
            out.push(line);
        }
        out
    }

    #[test]
    fn a_tar_skipped_by_seeking_reads_as_one_skipped_by_reading() {
        // Files of every size around the 512-byte blocks (padding to skip), directories and links
        // (data never read), long names (GNU extension entries); then cut at random points and
        // with bytes flipped, so that skips run past the end and headers go bad.
        let mut rng = crate::testrng::Rng(0x7a5e_ed5e_u64);
        for round in 0..200 {
            let mut b = tar::Builder::new(Vec::new());
            for i in 0..1 + rng.below(6) {
                let len = match rng.below(4) {
                    0 => rng.below(8),
                    1 => 500 + rng.below(30),
                    2 => 1020 + rng.below(10),
                    _ => rng.below(40_000),
                } as usize;
                let data: Vec<u8> = (0..len).map(|j| (j * 7 + i as usize) as u8).collect();
                let name = if rng.below(5) == 0 {
                    format!("{}/f{i}", "long".repeat(40))
                } else {
                    format!("d/f{i}")
                };
                let mut h = tar::Header::new_gnu();
                match rng.below(4) {
                    0 => {
                        h.set_entry_type(tar::EntryType::Directory);
                        h.set_size(0);
                        b.append_data(&mut h, format!("dir{i}/"), &[][..]).unwrap();
                    }
                    1 => {
                        // A symlink's header with data after it, which only a skip passes.
                        h.set_entry_type(tar::EntryType::Symlink);
                        h.set_size(len as u64);
                        b.append_data(&mut h, &name, data.as_slice()).unwrap();
                    }
                    _ => {
                        h.set_size(len as u64);
                        h.set_mode(0o644);
                        b.append_data(&mut h, &name, data.as_slice()).unwrap();
                    }
                }
            }
            let whole = b.into_inner().unwrap();
            let mut t = whole.clone();
            match rng.below(3) {
                0 => {}
                1 => t.truncate(rng.below(whole.len() as u64) as usize),
                _ => {
                    let at = rng.below(whole.len() as u64) as usize;
                    t[at] ^= 1 << rng.below(8);
                }
            }
            let by_reading = tar_listing(tar::Archive::new(t.as_slice()).entries());
            let mut seekable = tar::Archive::new(Slice::new(&t));
            let by_seeking = tar_listing(seekable.entries_with_seek());
            assert_eq!(
                by_seeking,
                by_reading,
                "round {round}, {} of {} bytes",
                t.len(),
                whole.len()
            );
        }
    }

    #[test]
    fn gzip_member_names() {
        assert_eq!(gz_member_name("a/app.env.gz", None), "app.env");
        assert_eq!(gz_member_name("x.zip!b.TGZ", None), "b.tar");
        assert_eq!(gz_member_name("blob", Some(b"orig.txt")), "orig.txt");
        assert_eq!(gz_member_name("blob", None), "data");
    }
}
