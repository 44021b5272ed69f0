//! Sources of blobs: the working tree, git history, the staged index. Each hands bytes to the engine
//! and returns findings with the statistics of what it read and what it skipped.

pub mod archive;
pub mod blob;
pub mod git;
pub mod gitcli;
pub mod history;
pub mod ignore_file;
pub mod pack;
pub mod promisor;
pub mod staged;
pub mod strings;
pub mod tips;
pub mod worktree;

use crate::finding::Finding;
// Statistics live with the findings they count (crate::stats), so that reporters need no source.
pub use crate::stats::{ScanOutcome, SkipReason, Skipped, Stats};

/// Blobs up to this size are read whole; larger ones are streamed in chunks so memory stays bounded.
pub const STREAM_THRESHOLD: u64 = 64 << 20;
/// Chunk size for streamed blobs.
pub const STREAM_CHUNK: usize = 16 << 20;
/// How much of a blob's start is inspected to decide it is binary (git looks at 8000 bytes too).
pub const BINARY_PROBE: usize = 8000;

/// What a blob's bytes are, for scanning purposes.
pub enum Content<'a> {
    Text(std::borrow::Cow<'a, [u8]>),
    /// A binary blob: its printable strings, one per line (`strings::strings_of`), are what is
    /// scanned of it.
    Binary(Vec<u8>),
}

impl Content<'_> {
    /// The bytes the engine matches: the text, or a binary blob's strings.
    pub fn scanned(&self) -> &[u8] {
        match self {
            Content::Text(t) => t,
            Content::Binary(s) => s,
        }
    }
}

/// Classifies a blob by its first bytes: UTF-16 with a byte-order mark is transcoded to UTF-8 (secrets
/// in Windows-edited files are still secrets); a NUL byte otherwise means binary, read as its strings.
pub fn classify(data: &[u8]) -> Content<'_> {
    if let Some(text) = decode_utf16_bom(data) {
        return Content::Text(std::borrow::Cow::Owned(text.into_bytes()));
    }
    if is_binary(data) {
        Content::Binary(strings::strings_of(data))
    } else {
        Content::Text(std::borrow::Cow::Borrowed(data))
    }
}

/// A NUL byte in the first `BINARY_PROBE` bytes, as git decides it.
pub fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_PROBE)]).is_some()
}

fn decode_utf16_bom(data: &[u8]) -> Option<String> {
    let (le, body) = match data {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect(),
    )
}

/// Sorts findings into report order: path, position, rule, then (history) the introducing commit,
/// and last what tells apart findings that share all of these, so that the order never depends on
/// how the findings were gathered (hash maps, worker threads).
pub fn sort_findings(findings: &mut [Finding]) {
    fn key(f: &Finding) -> (&str, usize, usize, &str, Option<&str>, usize, usize, &str) {
        (
            f.path.as_str(),
            f.line,
            f.column,
            &f.rule_id,
            f.commit.as_ref().map(|c| c.sha.as_str()),
            f.end_line,
            f.end_column,
            f.secret.expose(),
        )
    }
    findings.sort_by(|a, b| key(a).cmp(&key(b)));
}
