//! `--format json`: one object, `{"version", "findings": [...], "stats": {...}}`. The structs below
//! are the schema: fields serialize in declaration order, so adding one is adding a line where it
//! should appear.

use super::{Report, TOOL_VERSION};
use crate::finding::Finding;
use crate::stats::Skipped;
use crate::suppress::Suppressed;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub version: &'a str,
    /// What was scanned (a remote URL without credentials, or a directory name), for merged reports.
    pub repository: Option<&'a str>,
    pub findings: Findings<'a>,
    pub stats: JsonStats<'a>,
}

/// The findings, each made a `JsonFinding` (its secret, context and fingerprint strings) only as
/// it is written and dropped after: the same array as a `Vec<JsonFinding>` serializes (serde's
/// `collect_seq`, the length known), without holding every finding's strings at once (59k findings,
/// a 59 MB report, on the benchmark's pathological row: docs/engine.md, "Stop 40").
pub struct Findings<'a>(&'a Report<'a>);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        s.collect_seq(r.findings.iter().map(|f| JsonFinding::new(r, f)))
    }
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub rule_id: &'a str,
    pub description: &'a str,
    pub path: &'a str,
    /// For a file inside an archive: the member (`path` is `archive!member`); null otherwise.
    pub archive_member: Option<&'a str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Redacted unless `--show-secrets`.
    pub secret: String,
    pub context: String,
    /// Rounded to two decimals.
    pub entropy: f32,
    pub fingerprint: String,
    pub tags: &'a [String],
    pub severity: &'static str,
    pub commit: Option<&'a str>,
    pub author: Option<&'a str>,
    pub email: Option<&'a str>,
    pub date: Option<&'a str>,
    pub commit_subject: Option<&'a str>,
    pub present_at_head: Option<bool>,
    /// History: the branch and tag tips that still hold the secret.
    pub present_at_refs: Option<&'a [String]>,
    /// `--verify`: "live", "revoked" or "unknown"; null when not checked.
    pub verification: Option<&'static str>,
    /// Found by decoding: the decodings, outermost first (absent for a secret seen as it is).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub decoded: &'a [&'static str],
}

#[derive(Serialize)]
pub struct JsonStats<'a> {
    pub scanned: u64,
    pub bytes: u64,
    pub findings: usize,
    pub skipped: usize,
    pub skipped_by_reason: BTreeMap<&'static str, usize>,
    pub skipped_items: &'a [Skipped],
    pub duration_ms: u64,
    pub notes: &'a [String],
    /// What allowlists, stopwords, inline markers, baselines and ignore files dropped.
    pub suppressed: &'a [Suppressed],
}

impl<'a> JsonFinding<'a> {
    pub fn new(r: &Report, f: &'a Finding) -> Self {
        let c = f.commit.as_ref();
        JsonFinding {
            rule_id: &f.rule_id,
            description: &f.description,
            path: &f.path,
            archive_member: f.archive_member.as_deref(),
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            secret: r.secret_of(f),
            context: r.context_of(f),
            entropy: (f.entropy * 100.0).round() / 100.0,
            fingerprint: f.fingerprint(),
            tags: &f.tags,
            severity: f.severity.as_str(),
            commit: c.map(|c| c.sha.as_str()),
            author: c.map(|c| c.author.as_str()),
            email: c.map(|c| c.email.as_str()),
            date: c.map(|c| c.date.as_str()),
            commit_subject: c.map(|c| c.subject.as_str()),
            present_at_head: f.present_at_head,
            present_at_refs: f.present_at_refs.as_deref(),
            verification: f.verification.map(|v| v.as_str()),
            decoded: &f.decoded,
        }
    }
}

impl<'a> JsonReport<'a> {
    pub fn new(r: &'a Report) -> Self {
        let s = r.stats;
        JsonReport {
            version: TOOL_VERSION,
            repository: r.repository.as_deref(),
            findings: Findings(r),
            stats: JsonStats {
                scanned: s.scanned,
                bytes: s.bytes,
                findings: r.findings.len(),
                skipped: s.skipped.len(),
                skipped_by_reason: s.skipped_by_reason(),
                skipped_items: &s.skipped,
                duration_ms: s.duration.as_millis() as u64,
                notes: &s.notes,
                suppressed: &s.suppressed,
            },
        }
    }
}

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes a pretty report a few bytes at a time (a key, a quote, an indent): through
    // `dyn Write` each was a call the compiler could not see into. A buffer of a known type takes
    // them inline and hands `out` 64 KiB at a time; the bytes are the same.
    let mut w = io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer_pretty(&mut w, &JsonReport::new(r))?;
    writeln!(w)?;
    w.flush()
}
