//! A read-only reader of git pack files (index v2, SHA-1), for reading many blobs fast.
//!
//! libgit2 keeps no delta base larger than 1 MB in its cache, so every version of a large file that is
//! stored as a delta (a lock file, generated data with hundreds of versions) re-inflates its base and
//! re-applies the whole delta chain: quadratic work. Here objects are read in pack order, and each
//! worker keeps its recently resolved objects (any size, within a byte budget), so each delta is
//! applied once onto a cached base, as `git cat-file --batch-all-objects --unordered` does.
//!
//! Anything this reader does not handle (loose objects, alternates, other index versions, a base
//! outside the packs) is left to the caller, which falls back to libgit2.

use anyhow::{anyhow, bail, Result};
use flate2::{Decompress, FlushDecompress, Status};
use memmap2::Mmap;
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

const OBJ_COMMIT: u8 = 1;
const OBJ_TREE: u8 = 2;
const OBJ_BLOB: u8 = 3;
/// The type number of a blob, as `PackReader::header` and `read` return it.
pub const BLOB: u8 = OBJ_BLOB;
pub const COMMIT: u8 = OBJ_COMMIT;
pub const TREE: u8 = OBJ_TREE;
const OBJ_TAG: u8 = 4;
pub const TAG: u8 = OBJ_TAG;
const OBJ_OFS_DELTA: u8 = 6;
const OBJ_REF_DELTA: u8 = 7;
/// Longest delta chain followed before giving up (git's default depth is 50; repacks allow more).
const MAX_CHAIN: usize = 10_000;
/// Deflate cannot expand its input more than about 1032 times (a 258-byte match in under 2 bits), so
/// an entry cannot hold more than this many bytes per compressed byte, whatever its header says.
const MAX_DEFLATE_RATIO: usize = 1032;
/// A delta's copy instruction, its shortest form one byte, copies at most 64 KiB.
const MAX_DELTA_RATIO: usize = 0x10000;

/// Reserves room for `claimed` bytes (a size read from a pack or delta header: untrusted) but no more
/// than `can_hold`, what the input can possibly produce; an allocation failure is an error, not an
/// abort. The vector still grows past it if the data really is larger.
fn reserve_untrusted(claimed: usize, can_hold: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    out.try_reserve_exact(claimed.min(can_hold))
        .map_err(|_| anyhow!("pack entry claims {claimed} bytes, more than can be held"))?;
    Ok(out)
}

struct Pack {
    idx: Bytes,
    data: Bytes,
    count: usize,
}

/// A pack's or index's bytes: mapped from disk, or held in memory (for the fuzz targets).
enum Bytes {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

impl Pack {
    fn open(idx_path: &Path) -> Option<Pack> {
        // SAFETY: the maps are read-only, and git never rewrites a pack or its index in place: it
        // writes new files and renames them over, and `git gc` deletes old ones, which leaves an open
        // map valid on Unix. Only a file truncated under us by something else would fault on access,
        // a risk git and libgit2, which map packs too, accept. Every read is bounds-checked below.
        let idx = unsafe { Mmap::map(&File::open(idx_path).ok()?) }.ok()?;
        // SAFETY: as for the index: a pack is immutable once written.
        let data = unsafe { Mmap::map(&File::open(idx_path.with_extension("pack")).ok()?) }.ok()?;
        Pack::new(Bytes::Mapped(idx), Bytes::Mapped(data))
    }

    /// Checks an index and its pack enough that every later read can be bounds-checked.
    fn new(idx: Bytes, data: Bytes) -> Option<Pack> {
        // Version 2 only: "\xfftOc", version 2, 256 fan-out entries.
        if idx.len() < 8 + 256 * 4 || idx[..4] != [0xff, b't', b'O', b'c'] || be32(&idx[4..8]) != 2
        {
            return None;
        }
        let count = be32(&idx[8 + 255 * 4..8 + 256 * 4]) as usize;
        let need = count
            .checked_mul(20 + 4 + 4)
            .and_then(|n| n.checked_add(8 + 256 * 4 + 40));
        if need.is_none_or(|need| idx.len() < need) {
            return None;
        }
        if data.len() < 12 + 20 || &data[..4] != b"PACK" {
            return None;
        }
        Some(Pack { idx, data, count })
    }

    fn fanout(&self, byte: u8) -> usize {
        let at = 8 + byte as usize * 4;
        be32(&self.idx[at..at + 4]) as usize
    }

    fn find(&self, oid: &[u8]) -> Option<u64> {
        let lo = if oid[0] == 0 {
            0
        } else {
            self.fanout(oid[0] - 1)
        };
        let hi = self.fanout(oid[0]);
        let names = 8 + 256 * 4;
        let (mut lo, mut hi) = (lo, hi.min(self.count));
        while lo < hi {
            let mid = (lo + hi) / 2;
            let name = &self.idx[names + mid * 20..names + mid * 20 + 20];
            match name.cmp(oid) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.offset(mid)),
            }
        }
        None
    }

    fn offset(&self, i: usize) -> u64 {
        let offsets = 8 + 256 * 4 + self.count * 24;
        let o = be32(&self.idx[offsets + i * 4..offsets + i * 4 + 4]);
        if o & 0x8000_0000 == 0 {
            return o as u64;
        }
        let large = offsets + self.count * 4 + (o & 0x7fff_ffff) as usize * 8;
        self.idx
            .get(large..large + 8)
            .map_or(u64::MAX, |b| u64::from_be_bytes(b.try_into().unwrap()))
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Where an object lives: pack number and offset, sortable into pack order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub pack: u32,
    pub offset: u64,
}

/// Every v2 pack of an object directory.
pub struct PackSet {
    packs: Vec<Pack>,
}

impl PackSet {
    /// The packs in `objects/pack` of a git directory. Unreadable or unknown packs are left out (their
    /// objects are then read through libgit2).
    pub fn open(git_dir: &Path) -> PackSet {
        let mut packs = Vec::new();
        if let Ok(rd) = std::fs::read_dir(git_dir.join("objects").join("pack")) {
            let mut idx: Vec<_> = rd
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect();
            idx.sort();
            packs.extend(idx.iter().filter_map(|p| Pack::open(p)));
        }
        PackSet { packs }
    }

    /// Drops the mapped packs' pages from the resident set. They stay in the page cache: a page read
    /// again is mapped again from it (a minor fault), with the same bytes, since a pack never changes.
    pub fn release_pages(&self) {
        for p in &self.packs {
            if let Bytes::Mapped(m) = &p.data {
                // SAFETY: the map is read-only and file-backed, so MADV_DONTNEED discards nothing that
                // cannot be read back from the file; no reference into it changes meaning, and
                // concurrent readers see the same bytes, faulted in again.
                let _ = unsafe { m.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
            }
        }
    }

    /// A pack held in memory whose objects are at `offsets`, under made-up ids: the i-th object's id
    /// is 16 zero bytes then `i` in big-endian. For the fuzz targets, which feed pack bytes directly.
    #[doc(hidden)]
    pub fn from_memory(pack: Vec<u8>, offsets: &[u32]) -> Option<PackSet> {
        let n = offsets.len();
        let mut idx = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
        for _ in 0..256 {
            idx.extend_from_slice(&(n as u32).to_be_bytes());
        }
        for i in 0..n {
            idx.extend_from_slice(&Self::made_up_id(i));
        }
        idx.extend(std::iter::repeat_n(0, n * 4)); // CRCs, unused
        for o in offsets {
            idx.extend_from_slice(&(o & 0x7fff_ffff).to_be_bytes());
        }
        idx.extend_from_slice(&[0; 40]);
        let pack = Pack::new(Bytes::Owned(idx), Bytes::Owned(pack))?;
        Some(PackSet { packs: vec![pack] })
    }

    /// The id `from_memory` gives its `i`-th object.
    #[doc(hidden)]
    pub fn made_up_id(i: usize) -> [u8; 20] {
        let mut id = [0u8; 20];
        id[16..].copy_from_slice(&(i as u32).to_be_bytes());
        id
    }

    pub fn locate(&self, oid: &git2::Oid) -> Option<Location> {
        let raw = oid.as_bytes();
        if raw.len() != 20 {
            return None;
        }
        self.packs.iter().enumerate().find_map(|(i, p)| {
            p.find(raw).map(|offset| Location {
                pack: i as u32,
                offset,
            })
        })
    }
}

/// An entry's header: type, the size in its header, and where its compressed data (after any delta
/// base reference) starts.
struct Entry {
    kind: u8,
    size: usize,
    data_at: usize,
    base: Option<Base>,
}

enum Base {
    Offset(u64),
    Oid([u8; 20]),
}

/// An object read whole: where it lives, its type and its content.
type Resolved = (Location, u8, Arc<Vec<u8>>);

/// Reads objects from a `PackSet` with a cache of resolved objects. One per worker thread.
pub struct PackReader<'a> {
    set: &'a PackSet,
    cache: HashMap<Location, (u8, Arc<Vec<u8>>, u64)>,
    cached_bytes: usize,
    budget: usize,
    /// The last two objects resolved that are too large for the budget's cache (over half of it),
    /// newest first, kept apart: the versions of one large file (a lock file, a generated bundle)
    /// come one after another in pack order, most of them a delta on one of the last two read, so
    /// each finds its base here instead of resolving its whole chain again (a 4.8 MB file in 150
    /// versions took 2.7x the CPU when no object over half the budget was kept).
    large: [Option<Resolved>; 2],
    tick: u64,
    /// Deltas applied so far: each delta once, when its bases stay at hand.
    deltas_applied: u64,
    inflater: Decompress,
}

impl<'a> PackReader<'a> {
    pub fn new(set: &'a PackSet, budget: usize) -> Self {
        PackReader {
            set,
            cache: HashMap::new(),
            cached_bytes: 0,
            budget,
            large: [None, None],
            tick: 0,
            deltas_applied: 0,
            // Raw deflate: the zlib header and the Adler-32 trailer are checked in `inflate`.
            inflater: Decompress::new(false),
        }
    }

    fn entry(&self, loc: Location) -> Result<Entry> {
        let pack = &self.set.packs[loc.pack as usize];
        let data = &pack.data[..];
        let mut at = usize::try_from(loc.offset).map_err(|_| anyhow!("offset out of range"))?;
        let end = data.len() - 20;
        let mut next = || -> Result<u8> {
            if at >= end {
                bail!("pack entry runs past the end of the pack (truncated pack?)");
            }
            at += 1;
            Ok(data[at - 1])
        };
        let mut c = next()?;
        let kind = (c >> 4) & 7;
        let mut size = (c & 15) as usize;
        let mut shift = 4;
        while c & 0x80 != 0 {
            c = next()?;
            if shift > 60 {
                bail!("bad pack entry header");
            }
            size |= ((c & 0x7f) as usize) << shift;
            shift += 7;
        }
        let base = match kind {
            OBJ_OFS_DELTA => {
                let mut c = next()?;
                let mut ofs = (c & 0x7f) as u64;
                while c & 0x80 != 0 {
                    c = next()?;
                    if ofs > u64::MAX >> 8 {
                        bail!("bad delta base offset");
                    }
                    ofs = ((ofs + 1) << 7) | (c & 0x7f) as u64;
                }
                if ofs == 0 || ofs > loc.offset {
                    bail!("bad delta base offset");
                }
                Some(Base::Offset(loc.offset - ofs))
            }
            OBJ_REF_DELTA => {
                let mut oid = [0u8; 20];
                for b in oid.iter_mut() {
                    *b = next()?;
                }
                Some(Base::Oid(oid))
            }
            OBJ_COMMIT | OBJ_TREE | OBJ_BLOB | OBJ_TAG => None,
            _ => bail!("unknown pack entry type {kind}"),
        };
        Ok(Entry {
            kind,
            size,
            data_at: at,
            base,
        })
    }

    /// Inflates an entry's data: all of it (checked against the header's size), or its first `limit` bytes.
    fn inflate(&mut self, loc: Location, e: &Entry, limit: Option<usize>) -> Result<Vec<u8>> {
        let data = &self.set.packs[loc.pack as usize].data;
        let input = &data[e.data_at..data.len() - 20];
        // A zlib stream: a 2-byte header (deflate, no preset dictionary, its check bits right), the
        // deflate data, an Adler-32 of the output. The data is inflated raw and the trailer is
        // checked here, on what was inflated, when the entry was read to its end (a read of a
        // commit's header stops early and cannot be): damage that still inflates to the size the
        // header says (a flipped byte in the trailer, or in stored deflate data) is an error, as
        // git and libgit2 make it, not a blob scanned as if it were the object.
        let input = match input {
            [cmf, flg, rest @ ..]
                if cmf & 0x0f == 8
                    && cmf >> 4 <= 7
                    && flg & 0x20 == 0
                    && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0 =>
            {
                rest
            }
            _ => bail!("corrupt compressed data in pack"),
        };
        let want = limit.map_or(e.size, |l| l.min(e.size));
        // One byte more than expected, so that data longer than its header says shows as such.
        let mut out = reserve_untrusted(
            want.saturating_add(1),
            input
                .len()
                .saturating_mul(MAX_DEFLATE_RATIO)
                .saturating_add(1),
        )?;
        self.inflater.reset(false);
        loop {
            let (seen_in, seen_out) = (self.inflater.total_in(), self.inflater.total_out());
            let consumed = seen_in as usize;
            let status = self
                .inflater
                .decompress_vec(
                    &input[consumed.min(input.len())..],
                    &mut out,
                    FlushDecompress::Finish,
                )
                .map_err(|_| anyhow!("corrupt compressed data in pack"))?;
            if status == Status::StreamEnd {
                if out.len() == e.size {
                    let at = self.inflater.total_in() as usize;
                    let trailer = input
                        .get(at..at + 4)
                        .ok_or_else(|| anyhow!("truncated compressed data in pack"))?;
                    if adler2::adler32_slice(&out).to_be_bytes() != trailer {
                        bail!("corrupt compressed data in pack (Adler-32 checksum mismatch)");
                    }
                }
                break;
            }
            if limit.is_some() && out.len() >= want {
                break;
            }
            if out.len() > e.size {
                bail!("pack entry inflates past its size");
            }
            if out.len() == out.capacity() {
                out.reserve(64);
                continue;
            }
            if self.inflater.total_in() == seen_in && self.inflater.total_out() == seen_out {
                bail!("truncated compressed data in pack");
            }
        }
        if limit.is_none() && out.len() != e.size {
            bail!(
                "pack entry inflated to {} bytes, its header says {}",
                out.len(),
                e.size
            );
        }
        out.truncate(want);
        Ok(out)
    }

    /// The object's type (1 commit, 2 tree, 3 blob, 4 tag) and size, without reading it whole.
    pub fn header(&mut self, loc: Location) -> Result<(u8, usize)> {
        let mut loc = loc;
        let mut size = None;
        for _ in 0..MAX_CHAIN {
            if let Some((kind, data)) = self.cached(loc) {
                return Ok((kind, size.unwrap_or(data.len())));
            }
            let e = self.entry(loc)?;
            match e.base {
                None => return Ok((e.kind, size.unwrap_or(e.size))),
                Some(ref base) => {
                    if size.is_none() {
                        let head = self.inflate(loc, &e, Some(32))?;
                        let mut p = 0;
                        varint(&head, &mut p)?;
                        size = Some(varint(&head, &mut p)?);
                    }
                    loc = self.base_location(loc, base)?;
                }
            }
        }
        bail!("delta chain too long")
    }

    fn base_location(&self, at: Location, base: &Base) -> Result<Location> {
        match base {
            Base::Offset(o) => Ok(Location {
                pack: at.pack,
                offset: *o,
            }),
            Base::Oid(oid) => {
                let oid = git2::Oid::from_bytes(oid).map_err(|_| anyhow!("bad base id"))?;
                self.set.locate(&oid).ok_or_else(|| {
                    anyhow!("delta base {} is not in a pack", &oid.to_string()[..12])
                })
            }
        }
    }

    /// The type and first `n` bytes (fewer if it is shorter) of the object at `loc` when it is stored
    /// whole; `None` for a delta. Inflating stops there: what a commit's header says is in its first
    /// few hundred bytes, its message after them.
    pub fn read_prefix(&mut self, loc: Location, n: usize) -> Result<Option<(u8, Vec<u8>)>> {
        let e = self.entry(loc)?;
        if e.base.is_some() {
            return Ok(None);
        }
        Ok(Some((e.kind, self.inflate(loc, &e, Some(n))?)))
    }

    /// Reads the object at `loc`: its type and content.
    pub fn read(&mut self, loc: Location) -> Result<(u8, Arc<Vec<u8>>)> {
        // Down the chain to a cached object or a full one, then apply the deltas back up.
        let mut chain: Vec<(Location, Entry)> = Vec::new();
        let mut cur = loc;
        let (kind, mut data) = loop {
            if let Some(found) = self.cached(cur) {
                break found;
            }
            if chain.len() > MAX_CHAIN {
                bail!("delta chain too long");
            }
            let e = self.entry(cur)?;
            match &e.base {
                None => {
                    let kind = e.kind;
                    let data = Arc::new(self.inflate(cur, &e, None)?);
                    if !chain.is_empty() {
                        self.remember(cur, kind, data.clone());
                    }
                    break (kind, data);
                }
                Some(base) => {
                    let next = self.base_location(cur, base)?;
                    chain.push((cur, e));
                    cur = next;
                }
            }
        };
        while let Some((at, e)) = chain.pop() {
            let delta = self.inflate(at, &e, None)?;
            data = Arc::new(apply_delta(&data, &delta)?);
            self.deltas_applied += 1;
            // Every object on the way is a base of the next; the last one is often the base of a later read.
            self.remember(at, kind, data.clone());
        }
        Ok((kind, data))
    }

    /// How many deltas this reader applied: the work its cache saves.
    pub fn deltas_applied(&self) -> u64 {
        self.deltas_applied
    }

    /// The object at `loc` if it is cached (marked as used now) or is the large one kept.
    fn cached(&mut self, loc: Location) -> Option<(u8, Arc<Vec<u8>>)> {
        if let Some((kind, data, used)) = self.cache.get_mut(&loc) {
            self.tick += 1;
            *used = self.tick;
            return Some((*kind, data.clone()));
        }
        self.large
            .iter()
            .flatten()
            .find(|(at, _, _)| *at == loc)
            .map(|(_, kind, data)| (*kind, data.clone()))
    }

    fn remember(&mut self, loc: Location, kind: u8, data: Arc<Vec<u8>>) {
        let len = data.len();
        if len > self.budget / 2 {
            if self.large[0].as_ref().is_some_and(|(at, _, _)| *at != loc) {
                self.large.swap(0, 1);
            }
            self.large[0] = Some((loc, kind, data));
            return;
        }
        self.tick += 1;
        if let Some(old) = self.cache.insert(loc, (kind, data, self.tick)) {
            self.cached_bytes -= old.1.len();
        }
        self.cached_bytes += len;
        if self.cached_bytes > self.budget {
            // Evict the least recently used half of the budget in one sweep.
            let mut by_age: Vec<(u64, Location, usize)> = self
                .cache
                .iter()
                .map(|(l, (_, d, t))| (*t, *l, d.len()))
                .collect();
            by_age.sort_unstable();
            for (_, l, n) in by_age {
                if self.cached_bytes <= self.budget / 2 {
                    break;
                }
                self.cache.remove(&l);
                self.cached_bytes -= n;
            }
        }
    }
}

fn varint(b: &[u8], p: &mut usize) -> Result<usize> {
    let mut v = 0usize;
    let mut shift = 0;
    loop {
        let c = *b.get(*p).ok_or_else(|| anyhow!("truncated delta header"))?;
        *p += 1;
        if shift > 60 {
            bail!("bad delta header");
        }
        v |= ((c & 0x7f) as usize) << shift;
        shift += 7;
        if c & 0x80 == 0 {
            return Ok(v);
        }
    }
}

/// Applies a git delta (source size, target size, then copy and insert instructions) to `base`.
/// Public for the fuzz target; the delta is untrusted input.
#[doc(hidden)]
pub fn apply_delta(base: &[u8], delta: &[u8]) -> Result<Vec<u8>> {
    let mut p = 0;
    let src_size = varint(delta, &mut p)?;
    let dst_size = varint(delta, &mut p)?;
    if src_size != base.len() {
        bail!(
            "delta expects a base of {src_size} bytes, found {}",
            base.len()
        );
    }
    let mut out = reserve_untrusted(dst_size, delta.len().saturating_mul(MAX_DELTA_RATIO))?;
    while p < delta.len() {
        let op = delta[p];
        p += 1;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            let mut size = 0usize;
            for i in 0..4 {
                if op & (1 << i) != 0 {
                    offset |= (*delta.get(p).ok_or_else(|| anyhow!("truncated delta"))? as usize)
                        << (8 * i);
                    p += 1;
                }
            }
            for i in 0..3 {
                if op & (0x10 << i) != 0 {
                    size |= (*delta.get(p).ok_or_else(|| anyhow!("truncated delta"))? as usize)
                        << (8 * i);
                    p += 1;
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            let chunk = base
                .get(offset..offset + size)
                .ok_or_else(|| anyhow!("delta copies outside its base"))?;
            if out.len() + size > dst_size {
                bail!("delta produces more than the {dst_size} bytes it declares");
            }
            out.extend_from_slice(chunk);
        } else if op != 0 {
            let n = op as usize;
            let chunk = delta
                .get(p..p + n)
                .ok_or_else(|| anyhow!("truncated delta"))?;
            if out.len() + n > dst_size {
                bail!("delta produces more than the {dst_size} bytes it declares");
            }
            out.extend_from_slice(chunk);
            p += n;
        } else {
            bail!("reserved delta instruction");
        }
    }
    if out.len() != dst_size {
        bail!("delta produced {} bytes, expected {dst_size}", out.len());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bare repository whose one pack holds 50 versions of a ~26 KB file, each the last with one
    /// line changed, stored as one chain of deltas (a window of one: each version a delta on the
    /// next), and their ids.
    fn versions_packed() -> (tempfile::TempDir, Vec<git2::Oid>) {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", dir.path())
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        git(&["init", "-q", "--bare", "."]);
        let repo = git2::Repository::open(dir.path()).unwrap();
        let mut lines: Vec<String> = (0..2000).map(|n| format!("line {n} of text")).collect();
        let ids: Vec<git2::Oid> = (0..50)
            .map(|i| {
                lines[i * 37 % 2000] = format!("line changed in version {i}");
                repo.blob(lines.join("\n").as_bytes()).unwrap()
            })
            .collect();
        // Committed one after another as one file's history, so that the repack packs them.
        let who = git2::Signature::new("A", "a@example.com", &git2::Time::new(0, 0)).unwrap();
        let mut parent: Option<git2::Commit> = None;
        for id in &ids {
            let mut tree = repo.treebuilder(None).unwrap();
            tree.insert("package-lock.json", *id, 0o100644).unwrap();
            let tree = repo.find_tree(tree.write().unwrap()).unwrap();
            let parents: Vec<&git2::Commit> = parent.iter().collect();
            let c = repo
                .commit(Some("refs/heads/main"), &who, &who, "m", &tree, &parents)
                .unwrap();
            parent = Some(repo.find_commit(c).unwrap());
        }
        git(&["repack", "-adfq", "--depth=64"]);
        (dir, ids)
    }

    /// Pages handed back are read again from the file: the same bytes, by a reader whose cache is
    /// cold and by one whose is warm.
    #[test]
    fn released_pages_read_back_the_same() {
        let (dir, ids) = versions_packed();
        let set = PackSet::open(dir.path());
        let read_all = |r: &mut PackReader| -> Vec<Arc<Vec<u8>>> {
            ids.iter()
                .map(|id| r.read(set.locate(id).expect("packed")).unwrap().1)
                .collect()
        };
        let mut warm = PackReader::new(&set, 1 << 20);
        let before = read_all(&mut warm);
        set.release_pages();
        assert_eq!(read_all(&mut warm), before);
        assert_eq!(read_all(&mut PackReader::new(&set, 1 << 20)), before);
    }

    /// Versions larger than half the cache's budget are not cached, but the last two resolved are
    /// kept: read in pack order, each delta is applied once (48 here), where resolving every chain
    /// again applied 501, and keeping only the last one 159 (a large lock file's versions, read by a
    /// worker whose budget they exceed).
    #[test]
    fn the_last_large_objects_are_the_next_ones_bases() {
        let (dir, ids) = versions_packed();
        let set = PackSet::open(dir.path());
        let mut at: Vec<Location> = ids.iter().map(|id| set.locate(id).unwrap()).collect();
        at.sort();
        let mut tiny = PackReader::new(&set, 1 << 10);
        let mut roomy = PackReader::new(&set, 64 << 20);
        for &loc in &at {
            assert_eq!(tiny.read(loc).unwrap(), roomy.read(loc).unwrap());
        }
        let deltas = roomy.deltas_applied();
        assert!(deltas >= 40, "the versions are stored as deltas: {deltas}");
        assert_eq!(tiny.deltas_applied(), deltas);
    }

    #[test]
    fn applies_copy_and_insert() {
        let base = b"hello, world";
        // src 12, dst 11; copy offset 0 size 5; insert "!!"; copy offset 7 size 4 -> "hello!!worl"
        let delta = [12u8, 11, 0x90, 5, 2, b'!', b'!', 0x91, 7, 4];
        assert_eq!(apply_delta(base, &delta).unwrap(), b"hello!!worl");
        assert!(apply_delta(b"short", &delta).is_err());
    }
}
