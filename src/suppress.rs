//! Suppression accounting: every finding an allowlist, a stopword, an inline marker or a baseline
//! dropped, and every file an ignore file skipped, is counted under the `file:line` that did it, so
//! that a scan never goes quiet without saying why.

use crate::finding::Finding;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Inline- and baseline-suppressed findings kept for SARIF's `suppressions`, at most this many: a
/// report should not grow without bound on a repository full of accepted test keys.
const KEEP_LIMIT: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressKind {
    Allowlist,
    Stopword,
    Inline,
    Baseline,
    IgnoreFile,
    /// A generic rule's value in a documentation page's code block that the prose above it
    /// introduces as an example: counted, since the page's own words silenced it.
    DocExample,
    /// A generic rule's value that a comment right before it introduces as an example
    /// (`# for example:`): counted, since the file's own words silenced it.
    CommentExample,
    /// A value a password flag or a secret's name holds that the placeholder check took for a
    /// placeholder (`--password=test123456`: a sequence, a placeholder word, one character
    /// repeated): a heuristic that may be wrong about a real weak password, so counted.
    Placeholder,
}

impl SuppressKind {
    pub fn label(self) -> &'static str {
        match self {
            SuppressKind::Allowlist => "allowlist",
            SuppressKind::Stopword => "stopword",
            SuppressKind::Inline => "inline",
            SuppressKind::Baseline => "baseline",
            SuppressKind::IgnoreFile => "ignore-file",
            SuppressKind::DocExample => "documentation example",
            SuppressKind::CommentExample => "commented example",
            SuppressKind::Placeholder => "placeholder",
        }
    }
}

/// One line of `stats.suppressed`: what dropped how many findings (or, for an ignore file, files).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Suppressed {
    pub kind: SuppressKind,
    /// `file:line` of the allowlist entry, stopword, marker, baseline entry or ignore pattern.
    pub source: String,
    /// The rule whose findings were dropped; None for files an ignore file skipped.
    pub rule_id: Option<String>,
    pub count: u64,
}

type Key = (SuppressKind, String, Option<String>);

/// Counts shared by the threads of one scan.
#[derive(Default, Debug)]
pub struct Tally {
    counts: Mutex<BTreeMap<Key, u64>>,
    kept: Mutex<Vec<(SuppressKind, Finding)>>,
}

impl Tally {
    pub fn add(&self, kind: SuppressKind, source: String, rule_id: Option<&str>, n: u64) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        *counts
            .entry((kind, source, rule_id.map(str::to_string)))
            .or_insert(0) += n;
    }

    /// Keeps a suppressed finding for reports that list them (SARIF).
    pub fn keep(&self, kind: SuppressKind, f: Finding) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() < KEEP_LIMIT {
            kept.push((kind, f));
        }
    }

    /// The counts so far, in a stable order (kind, source, rule).
    pub fn counts(&self) -> Vec<Suppressed> {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .iter()
            .map(|((kind, source, rule_id), &count)| Suppressed {
                kind: *kind,
                source: source.clone(),
                rule_id: rule_id.clone(),
                count,
            })
            .collect()
    }

    /// The kept findings, one per occurrence (history sees a blob at several commits), sorted.
    pub fn kept(&self) -> Vec<(SuppressKind, Finding)> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner()).clone();
        kept.sort_by(|(ka, a), (kb, b)| {
            (ka, &a.path, a.line, a.column, &*a.rule_id).cmp(&(
                kb,
                &b.path,
                b.line,
                b.column,
                &*b.rule_id,
            ))
        });
        kept.dedup_by(|(ka, a), (kb, b)| {
            ka == kb
                && a.path == b.path
                && a.line == b.line
                && a.column == b.column
                && a.rule_id == b.rule_id
        });
        kept
    }
}

/// Adds up entries with the same kind, source and rule (from several tallies), sorted.
pub fn merge(parts: impl IntoIterator<Item = Suppressed>) -> Vec<Suppressed> {
    let mut m: BTreeMap<Key, u64> = BTreeMap::new();
    for s in parts {
        *m.entry((s.kind, s.source, s.rule_id)).or_insert(0) += s.count;
    }
    m.into_iter()
        .map(|((kind, source, rule_id), count)| Suppressed {
            kind,
            source,
            rule_id,
            count,
        })
        .collect()
}

/// The one-line summary: `suppressed 5: 3 allowlist (.leakguard.toml:4), 2 inline`.
pub fn summary(items: &[Suppressed]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let mut by_kind: BTreeMap<SuppressKind, (u64, Vec<&str>)> = BTreeMap::new();
    for s in items {
        let e = by_kind.entry(s.kind).or_default();
        e.0 += s.count;
        if !e.1.contains(&s.source.as_str()) {
            e.1.push(&s.source);
        }
    }
    let parts: Vec<String> = by_kind
        .iter()
        .map(|(k, (n, sources))| {
            let shown: Vec<&str> = sources.iter().take(3).copied().collect();
            let more = if sources.len() > 3 {
                format!(", +{} more", sources.len() - 3)
            } else {
                String::new()
            };
            format!("{n} by {} ({}{more})", k.label(), shown.join(", "))
        })
        .collect();
    Some(format!("suppressed: {}", parts.join("; ")))
}
