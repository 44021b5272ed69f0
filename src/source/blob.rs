//! One path for a blob's bytes, whatever the source (a file in the working tree, a staged blob, later
//! a blob of history): the size limit, the binary probe, UTF-16 transcoding at any size, reading whole
//! or streaming in bounded memory, and the path rules' findings for content that is not scanned. A
//! source says only where the bytes come from and what a hit means to it (a `BlobSink`); the outcome
//! is one `FileOutcome`, which `Stats::absorb` folds.

use super::archive::{self, Archives, Walked};
use super::strings::StringsReader;
use super::{classify, SkipReason, Skipped, Stats, BINARY_PROBE, STREAM_CHUNK, STREAM_THRESHOLD};
use crate::engine::{Engine, Hit, PathScope};
use crate::finding::Finding;
use std::io::{self, Read};

/// What became of one blob: its content matched, or skipped (and why). Both carry what the source
/// found: on a skipped blob, the path rules' findings (a `.p12` is a finding unread).
#[derive(Debug)]
pub enum FileOutcome<T = Vec<Finding>> {
    Scanned {
        bytes: u64,
        found: T,
    },
    Skipped(Skipped, T),
    /// An archive opened: `members` of its files scanned (`bytes` of them), and what its limits
    /// stopped or could not be read.
    Archive {
        members: u64,
        bytes: u64,
        skipped: Vec<Skipped>,
        found: T,
    },
}

impl Stats {
    /// Counts one blob's outcome and hands back what it found.
    pub fn absorb<T>(&mut self, outcome: FileOutcome<T>) -> T {
        match outcome {
            FileOutcome::Scanned { bytes, found } => {
                self.scanned += 1;
                self.bytes += bytes;
                found
            }
            FileOutcome::Skipped(s, found) => {
                self.skipped.push(s);
                found
            }
            FileOutcome::Archive {
                members,
                bytes,
                skipped,
                found,
            } => {
                // The archive is a file scanned, and so is each member.
                self.scanned += 1 + members;
                self.bytes += bytes;
                self.skipped.extend(skipped);
                found
            }
        }
    }
}

/// Where a blob's bytes come from.
pub enum Body<'a> {
    /// Already in memory (a libgit2 blob, a pack reader's buffer).
    Held(Box<dyn AsRef<[u8]> + 'a>),
    /// To be read: whole if it is small enough, else streamed.
    Reader(Box<dyn Read + 'a>),
}

/// What a source does with a blob's matches: how its hits become findings (or whatever the source
/// keeps), and what it reports for a blob whose content is not scanned.
pub trait BlobSink {
    type Out;
    /// The path a skipped blob is listed under.
    fn path(&self) -> &str;
    /// What the engine matches the content against: `At(path)` for content and path rules together.
    fn scope(&self) -> PathScope<'_>;
    /// Matches a blob held whole. A source may override it (history rescans only what changed).
    fn scan_whole(&mut self, engine: &Engine, text: &[u8]) -> Vec<Hit> {
        engine.scan(text, self.scope())
    }
    /// The hits on a blob's text; `text` is `None` when the blob was streamed.
    fn matched(&mut self, engine: &Engine, hits: Vec<Hit>, text: Option<&[u8]>) -> Self::Out;
    /// For a blob whose content is not scanned (binary, too large, unreadable): the path rules alone.
    fn unscanned(&mut self, engine: &Engine) -> Self::Out;
    /// How archives are read; `None` (the default): an archive is a binary blob like any other.
    fn archives(&self) -> Option<&Archives> {
        None
    }
    /// For an archive blob: the path rules on the archive itself and its members' hits. Only called
    /// when `archives` is `Some`.
    fn archive(&mut self, engine: &Engine, members: Vec<MemberHits>) -> Self::Out {
        let _ = members;
        self.unscanned(engine)
    }
}

/// The hits in one member of an archive (members without any are left out).
#[derive(Debug)]
pub struct MemberHits {
    /// As reports show it: `bundle.zip!config/app.env`.
    pub path: String,
    /// The part after the outermost archive's path (`Finding::archive_member`).
    pub member: String,
    pub hits: Vec<Hit>,
}

/// The findings in an archive's members (seen in `commit`, for history), each naming its member.
pub fn member_findings(
    engine: &Engine,
    members: Vec<MemberHits>,
    commit: Option<&crate::finding::CommitInfo>,
) -> Vec<Finding> {
    let mut found = Vec::new();
    for m in members {
        for mut f in engine.findings(&m.hits, &m.path, commit) {
            f.archive_member = Some(m.member.clone());
            found.push(f);
        }
    }
    found
}

/// What `member` of the archive `data` (at `path`) yields, as (rule id, secret) pairs: whether a
/// branch tip's version of an archive still holds a history finding's secret. Empty when `data` is
/// not an archive.
pub fn member_secrets(
    engine: &Engine,
    archives: &Archives,
    data: &[u8],
    path: &str,
    member: &str,
) -> std::collections::HashSet<(String, String)> {
    let Some(kind) = archive::kind(data) else {
        return Default::default();
    };
    archive_hits(engine, archives, data, kind, path)
        .members
        .iter()
        .filter(|m| m.member == member)
        .flat_map(|m| &m.hits)
        .map(|h| {
            (
                engine.rule(h.rule).id.to_string(),
                h.secret.expose().to_string(),
            )
        })
        .collect()
}

/// An archive's members, matched: what `archive_hits` returns.
pub struct ArchiveHits {
    pub walked: Walked,
    pub members: Vec<MemberHits>,
    /// Members whose content was matched (text), and their bytes.
    pub scanned: u64,
    pub bytes: u64,
}

/// Opens the archive `data` (shown as `path`) and matches each member like a file: its content when
/// it is text, the path rules on its own name always (`.env` inside a zip is an env file).
pub fn archive_hits(
    engine: &Engine,
    archives: &Archives,
    data: &[u8],
    kind: archive::Kind,
    path: &str,
) -> ArchiveHits {
    let mut members = Vec::new();
    let (mut scanned, mut bytes) = (0u64, 0u64);
    let walked = archives.walk(data, kind, path, &mut |m| {
        // Text, or a binary member's strings (a jar's compiled classes hold their constants).
        scanned += 1;
        bytes += m.bytes.len() as u64;
        let hits = engine.scan(classify(m.bytes).scanned(), PathScope::At(m.name));
        if !hits.is_empty() {
            members.push(MemberHits {
                path: m.path.to_string(),
                member: m.member.to_string(),
                hits,
            });
        }
    });
    ArchiveHits {
        walked,
        members,
        scanned,
        bytes,
    }
}

/// An archive blob through `sink`. `None`: its header was unreadable and it is text after all (a
/// file that happens to start like an archive), to be scanned as such.
fn scan_archive<S: BlobSink>(
    engine: &Engine,
    sink: &mut S,
    archives: &Archives,
    data: &[u8],
    kind: archive::Kind,
) -> Option<FileOutcome<S::Out>> {
    let path = sink.path().to_string();
    let mut a = archive_hits(engine, archives, data, kind, &path);
    if !a.walked.opened {
        if !super::is_binary(data) {
            return None;
        }
        let s = a.walked.skipped.pop()?;
        return Some(skip(engine, sink, s.reason, s.detail));
    }
    let found = sink.archive(engine, a.members);
    Some(FileOutcome::Archive {
        members: a.scanned,
        bytes: a.bytes,
        skipped: a.walked.skipped,
        found,
    })
}

/// Scans one blob of `size` bytes (as its header or the file system says) through `sink`. `open` is
/// called only when the blob is within `max_size`; an error reading it is an `Unreadable` skip.
pub fn scan_blob<'a, S: BlobSink>(
    engine: &Engine,
    sink: &mut S,
    size: u64,
    max_size: Option<u64>,
    open: impl FnOnce() -> io::Result<Body<'a>>,
) -> FileOutcome<S::Out> {
    if max_size.is_some_and(|max| size > max) {
        return skip(
            engine,
            sink,
            SkipReason::TooLarge,
            Some(format!("{size} bytes")),
        );
    }
    let why = |e: io::Error| (SkipReason::Unreadable, Some(detail(&e)));
    let archives = sink.archives().is_some();
    let prepared = open().map_err(why).and_then(|body| {
        match prepare(body, size, archives).map_err(why)? {
            Some(p) => Ok(p),
            // Archives are opened in memory; one this large is not opened, and says why.
            None => Err((
                SkipReason::ArchiveLimit,
                Some(format!(
                    "an archive of {size} bytes: archives over {STREAM_THRESHOLD} bytes are not opened"
                )),
            )),
        }
    });
    let prepared = match prepared {
        Ok(p) => p,
        Err((reason, detail)) => return skip(engine, sink, reason, detail),
    };
    match prepared {
        Prepared::Whole(data) => {
            // The one cost archives add to every blob: a few byte compares.
            if let Some(kind) = archive::kind((*data).as_ref()) {
                if let Some(archives) = sink.archives().cloned() {
                    if let Some(outcome) =
                        scan_archive(engine, sink, &archives, (*data).as_ref(), kind)
                    {
                        return outcome;
                    }
                }
            }
            let bytes = (*data).as_ref().len() as u64;
            // Text, or a binary blob's strings (source::strings).
            let content = classify((*data).as_ref());
            let text = content.scanned();
            let hits = sink.scan_whole(engine, text);
            let found = sink.matched(engine, hits, Some(text));
            FileOutcome::Scanned { bytes, found }
        }
        Prepared::Stream(reader) => match engine.scan_reader(reader, sink.scope(), STREAM_CHUNK) {
            Ok(hits) => {
                let found = sink.matched(engine, hits, None);
                FileOutcome::Scanned { bytes: size, found }
            }
            Err(e) => unreadable(engine, sink, &e),
        },
    }
}

/// A blob that could not be read: skipped as unreadable, with the OS's reason.
pub fn unreadable<S: BlobSink>(
    engine: &Engine,
    sink: &mut S,
    e: &io::Error,
) -> FileOutcome<S::Out> {
    skip(engine, sink, SkipReason::Unreadable, Some(detail(e)))
}

/// A read error in a few words: the OS's kind ("permission denied"), or the message of an error a
/// source made itself (libgit2's).
fn detail(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::Other {
        e.to_string()
    } else {
        e.kind().to_string()
    }
}

/// A blob whose content is not scanned: listed under the sink's path, with the path rules' findings.
pub fn skip<S: BlobSink>(
    engine: &Engine,
    sink: &mut S,
    reason: SkipReason,
    detail: Option<String>,
) -> FileOutcome<S::Out> {
    let found = sink.unscanned(engine);
    FileOutcome::Skipped(
        Skipped {
            path: sink.path().to_string(),
            reason,
            detail,
        },
        found,
    )
}

enum Prepared<'a> {
    /// Held in memory; classified (binary, UTF-16, text) by the caller.
    Whole(Box<dyn AsRef<[u8]> + 'a>),
    /// Larger than `STREAM_THRESHOLD`: matched chunk by chunk (UTF-16 transcoded, a binary blob as
    /// its strings).
    Stream(Box<dyn Read + 'a>),
}

/// Reads a blob whole, or probes a large one's start and returns it as a stream (a binary one as its
/// strings). `None`: an archive too large to open, when archives are opened (`archives`).
fn prepare(body: Body<'_>, size: u64, archives: bool) -> io::Result<Option<Prepared<'_>>> {
    let mut reader = match body {
        Body::Held(data) => return Ok(Some(Prepared::Whole(data))),
        Body::Reader(r) => r,
    };
    if size <= STREAM_THRESHOLD {
        // Read into a buffer of the known size and one byte more, not with `read_to_end`: on a
        // file that asks the system for the size and position again (a stat and a seek per file,
        // 2 of the 7 calls a small file cost), and through a wrapper it reads 8 KiB, 16 KiB...
        // The extra byte makes the second read the one that sees the end.
        let mut data = ReadBuffer::take(size as usize + 1);
        let n = read_full(&mut reader, &mut data.buf[..size as usize + 1])?;
        data.len = n;
        if n > size as usize {
            // The file grew since its size was taken: the rest as well.
            data.buf.truncate(n);
            reader.read_to_end(&mut data.buf)?;
            data.len = data.buf.len();
        }
        return Ok(Some(Prepared::Whole(Box::new(data))));
    }
    let mut head = vec![0u8; BINARY_PROBE];
    let n = read_full(&mut reader, &mut head)?;
    head.truncate(n);
    let utf16 = match head.as_slice() {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    };
    let stream = io::Cursor::new(head).chain(reader);
    let head = stream.get_ref().0.get_ref();
    Ok(match utf16 {
        Some(le) => Some(Prepared::Stream(Box::new(Utf16Reader::new(stream, le)))),
        None if archives && archive::kind(head).is_some() => None,
        // A binary blob too large to hold: its strings, as a stream (source::strings).
        None if memchr::memchr(0, head).is_some() => {
            Some(Prepared::Stream(Box::new(StringsReader::new(stream))))
        }
        None => Some(Prepared::Stream(Box::new(stream))),
    })
}

/// A file's bytes, read into a buffer that goes back to its thread when the file is done, so the
/// next file reads into it: a fresh buffer is zeroed before it is read into (`vec![0; n]`, calloc),
/// which was 11M of openai-python's 605M instructions and 15M of cargo's (docs/engine.md, "The
/// 150 MB/s floor, second round"). Only the part a larger file adds is zeroed, once.
struct ReadBuffer {
    /// Zeroed or read bytes, all of them initialised; the file is `buf[..len]`.
    buf: Vec<u8>,
    len: usize,
}

/// Buffers up to this size go back to their thread: one per thread is kept, and a larger file is
/// rare enough that zeroing its buffer costs little beside scanning it.
const KEPT_BUFFER: usize = 1 << 20;

thread_local! {
    static SPARE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl ReadBuffer {
    /// A buffer of at least `len` initialised bytes: the thread's spare one when there is one.
    fn take(len: usize) -> ReadBuffer {
        let mut buf = if len <= KEPT_BUFFER {
            SPARE_BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()))
        } else {
            Vec::new()
        };
        if buf.len() < len {
            buf.resize(len, 0);
        }
        ReadBuffer { buf, len: 0 }
    }
}

impl AsRef<[u8]> for ReadBuffer {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for ReadBuffer {
    fn drop(&mut self) {
        if self.buf.len() <= KEPT_BUFFER {
            let buf = std::mem::take(&mut self.buf);
            // A thread being torn down has no spare slot any more: the buffer is freed.
            let _ = SPARE_BUFFER.try_with(|b| {
                let mut spare = b.borrow_mut();
                if spare.len() < buf.len() {
                    *spare = buf;
                }
            });
        }
    }
}

/// Fills `buf` as far as the reader goes: one `read` may return fewer bytes than are there.
pub fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Transcodes a UTF-16 stream (its byte-order mark first, dropped) to UTF-8 as it is read, so a
/// UTF-16 file too large to hold is matched like a small one. Unpaired surrogates become U+FFFD, as
/// `classify` makes them for a blob held whole.
struct Utf16Reader<R> {
    inner: R,
    little_endian: bool,
    /// Raw bytes read and not yet decoded (an odd byte, a high surrogate waiting for its pair).
    raw: Vec<u8>,
    /// Decoded UTF-8 not yet handed out, from `out_at`.
    out: Vec<u8>,
    out_at: usize,
    bom_skipped: bool,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    fn new(inner: R, little_endian: bool) -> Self {
        Utf16Reader {
            inner,
            little_endian,
            raw: Vec::new(),
            out: Vec::new(),
            out_at: 0,
            bom_skipped: false,
            eof: false,
        }
    }

    /// Reads a block and decodes all of it but a trailing odd byte or unpaired high surrogate.
    fn refill(&mut self) -> io::Result<()> {
        let mut block = [0u8; 64 << 10];
        let n = self.inner.read(&mut block)?;
        if n == 0 {
            self.eof = true;
        }
        self.raw.extend_from_slice(&block[..n]);
        let mut from = 0;
        if !self.bom_skipped && self.raw.len() >= 2 {
            from = 2;
            self.bom_skipped = true;
        }
        let mut end = from + (self.raw.len() - from) / 2 * 2;
        if !self.eof && end > from {
            // A high surrogate at the end waits for the unit that completes it.
            let last = self.unit(&self.raw[end - 2..end]);
            if (0xD800..0xDC00).contains(&last) {
                end -= 2;
            }
        }
        let units: Vec<u16> = self.raw[from..end]
            .chunks_exact(2)
            .map(|c| self.unit(c))
            .collect();
        self.out.clear();
        self.out_at = 0;
        for c in char::decode_utf16(units) {
            let mut buf = [0u8; 4];
            let c = c.unwrap_or('\u{FFFD}');
            self.out
                .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        if self.eof {
            // An odd byte at the very end is dropped, as `classify` drops it.
            end = self.raw.len();
        }
        self.raw.drain(..end);
        Ok(())
    }

    fn unit(&self, c: &[u8]) -> u16 {
        if self.little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_at == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decode_utf16_bom;

    /// The transcoding a blob held whole gets (`classify`).
    fn whole(data: &[u8]) -> Vec<u8> {
        decode_utf16_bom(data).unwrap().into_bytes()
    }

    fn streamed(data: &[u8], le: bool, piece: usize) -> Vec<u8> {
        // A reader that returns at most `piece` bytes per read, to cut units and surrogate pairs.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        Utf16Reader::new(Trickle(data, piece), le)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// What `prepare` reads of a reader that holds `data` when the size taken was `size`.
    fn prepared(data: &[u8], size: u64) -> Vec<u8> {
        let body = Body::Reader(Box::new(io::Cursor::new(data.to_vec())));
        match prepare(body, size, true).unwrap() {
            Some(Prepared::Whole(held)) => (*held).as_ref().to_vec(),
            _ => panic!("a small blob is held whole"),
        }
    }

    #[test]
    fn a_reused_read_buffer_holds_only_the_file_read_into_it() {
        // One thread reads files of every size in turn into its spare buffer: each is read as it
        // is, never with the tail of a longer one read before it, nor cut by a shorter one; a
        // file that grew after its size was taken is read whole, and so is the next one.
        let mut rng = crate::testrng::Rng(0xb0ff_e75e_u64);
        for round in 0..300 {
            let len = match rng.below(4) {
                0 => rng.below(16),
                1 => rng.below(5_000),
                2 => KEPT_BUFFER as u64 - 2 + rng.below(4),
                _ => rng.below(KEPT_BUFFER as u64 / 2),
            } as usize;
            let data: Vec<u8> = (0..len).map(|i| (i as u64 * 31 + round) as u8).collect();
            let size = match rng.below(5) {
                // The file grew, or shrank, since its size was taken.
                0 => len.saturating_sub(1 + rng.below(100) as usize) as u64,
                1 => len as u64 + rng.below(100),
                _ => len as u64,
            };
            assert_eq!(
                prepared(&data, size),
                data,
                "round {round}: {len} bytes, size {size}"
            );
        }
    }

    #[test]
    fn utf16_streams_as_it_decodes_whole() {
        let text = "key = \"value\" é ✓ 😀 end\n".repeat(3);
        for le in [true, false] {
            let mut data = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in text.encode_utf16() {
                data.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            let mut odd = data.clone();
            odd.push(0x41); // a trailing odd byte
            let mut lone = data.clone();
            lone.extend(if le { [0x3D, 0xD8] } else { [0xD8, 0x3D] }); // an unpaired high surrogate
            for d in [&data, &odd, &lone] {
                for piece in [1, 2, 3, 5, 4096] {
                    assert_eq!(streamed(d, le, piece), whole(d), "le {le}, piece {piece}");
                }
            }
            assert_eq!(streamed(&data, le, 7), text.as_bytes());
        }
    }

    #[test]
    fn read_full_fills_across_short_reads() {
        let data = [7u8; 100];
        let mut r = io::Cursor::new(&data[..]).chain(io::Cursor::new(&data[..]));
        let mut buf = [0u8; 150];
        assert_eq!(read_full(&mut r, &mut buf).unwrap(), 150);
    }
}
