//! What a scan read and what it skipped, next to what it found: the sources fill these in, the
//! reporters print them; neither needs the other.

use crate::finding::Finding;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Why something was not scanned. Nothing is dropped silently: every skip is counted and can be listed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    Binary,
    Symlink,
    NotRegularFile,
    TooLarge,
    Unreadable,
    WalkError,
    Submodule,
    /// A blob a partial clone left on its promisor remote, not fetched (`--no-fetch`, or the fetch failed).
    MissingPromisorObject,
    /// What an archive limit stopped: a member too deep, a compression bomb, the byte or member budget.
    ArchiveLimit,
    /// An archive, or a member of one, that could not be read.
    ArchiveCorrupt,
}

impl SkipReason {
    pub fn label(&self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::Symlink => "symlink",
            SkipReason::NotRegularFile => "not a regular file",
            SkipReason::TooLarge => "too large",
            SkipReason::Unreadable => "unreadable",
            SkipReason::WalkError => "walk error",
            SkipReason::Submodule => "submodule",
            SkipReason::MissingPromisorObject => "missing-promisor-object",
            SkipReason::ArchiveLimit => "archive-limit",
            SkipReason::ArchiveCorrupt => "archive-corrupt",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: SkipReason,
    /// Why, in a few words (an OS error, a size); never file content.
    pub detail: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Files or blobs whose content went through the engine.
    pub scanned: u64,
    pub bytes: u64,
    pub skipped: Vec<Skipped>,
    pub duration: Duration,
    /// What the source could not reach (e.g. the history beyond a shallow clone's boundary), what
    /// the config switched off, what the scanned commits change in the scan's own config.
    pub notes: Vec<String>,
    /// What allowlists, stopwords, inline markers, baselines and ignore files dropped.
    pub suppressed: Vec<crate::suppress::Suppressed>,
}

impl Stats {
    pub fn skipped_by_reason(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for s in &self.skipped {
            *m.entry(s.reason.label()).or_insert(0) += 1;
        }
        m
    }
}

pub struct ScanOutcome {
    pub findings: Vec<Finding>,
    pub stats: Stats,
}
