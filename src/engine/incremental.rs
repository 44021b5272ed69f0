//! Rescanning a new version of a file with the old version's keyword hits: the automaton runs
//! only over what changed.

use super::crlf::Lf;
use super::prefilter::{find_keywords, Prefilter};
use super::{Engine, Hit, Keywords, PathScope};
use crate::changes;

impl Engine {
    /// `scan_keeping_keywords(data, scope)`, knowing the keywords of an earlier version of the file:
    /// `old`, whose `scan_keeping_keywords(old, scope)` gave `old_keywords`. A history holds many
    /// versions of each large file that differ by a few lines, and the keyword automaton is most of
    /// the cost of matching (the regexes run only around its hits). What the automaton finds at a
    /// position depends only on the next few bytes (as many as the longest keyword), so a keyword
    /// inside a stretch both versions share is carried over, moved with the stretch; the automaton
    /// runs only over the edits and their edges. Windows and regexes then run as in `scan`, over the
    /// whole of `data`: the hits are exactly those of `scan`.
    pub fn scan_changed(
        &self,
        data: &[u8],
        scope: PathScope,
        old: &[u8],
        old_keywords: &Keywords,
    ) -> (Vec<Hit>, Keywords) {
        // Keywords found in a text read as LF (`crlf`) lie elsewhere in the bytes as they stand:
        // a history's CRLF file is scanned whole, each version.
        if old_keywords.crlf || Lf::of(data).is_some() {
            return self.scan_keeping_keywords(data, scope);
        }
        // Hits are read as the path rules the path admits read them (`Engine::read_keywords`):
        // carried over only from a version whose path admitted the same ones.
        let path_rules = self.path_rules_in(scope);
        let Some(p) = &self.keywords else {
            return self.scan_keeping_keywords(data, scope);
        };
        if old_keywords.path_rules != path_rules {
            return self.scan_keeping_keywords(data, scope);
        }
        let blocks = changes::common_blocks(old, data);
        let fresh = changed_stretches(&blocks, old.len(), data.len(), p.longest);
        if fresh.iter().map(|r| r.len()).sum::<usize>() > data.len() / 2 {
            return self.scan_keeping_keywords(data, scope);
        }
        let fresh = self.read_keywords(find_keywords(p, data, &fresh), path_rules);
        let update = |old_hits: &[(u32, usize)], new: Vec<(u32, usize)>| {
            let mut hits = carry_keywords(p, old_hits, &blocks, old.len(), data.len());
            hits.extend(new);
            hits.sort_unstable_by_key(|&(_, start)| start);
            hits
        };
        let keywords = Keywords {
            content: update(&old_keywords.content, fresh.content),
            path: fresh
                .path
                .map(|new| update(old_keywords.path.as_deref().unwrap_or_default(), new)),
            path_rules: fresh.path_rules,
            crlf: false,
        };
        (self.hits_at_keywords(data, scope, &keywords), keywords)
    }
}

/// The positions of the new version where what the automaton finds may differ from the old version:
/// all but those whose next `longest` bytes lie inside one shared block (or run to the end of both
/// files from inside a block that ends both).
fn changed_stretches(
    blocks: &[changes::Block],
    old_len: usize,
    new_len: usize,
    longest: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut changed = Vec::new();
    let mut from = 0;
    for b in blocks {
        let ends_both = b.old_end() == old_len && b.new_end() == new_len;
        let same_to = if ends_both {
            b.new_end()
        } else {
            (b.new_end() + 1).saturating_sub(longest).max(b.new)
        };
        if b.new > from {
            changed.push(from..b.new);
        }
        from = same_to.max(from);
    }
    if from < new_len {
        changed.push(from..new_len);
    }
    changed
}

/// The old version's keyword hits that the new version has at the same place in a shared block.
fn carry_keywords(
    p: &Prefilter,
    old_hits: &[(u32, usize)],
    blocks: &[changes::Block],
    old_len: usize,
    new_len: usize,
) -> Vec<(u32, usize)> {
    let mut carried = Vec::with_capacity(old_hits.len());
    let mut next = 0;
    for &(pattern, start) in old_hits {
        while next < blocks.len() && blocks[next].old_end() <= start {
            next += 1;
        }
        let Some(b) = blocks.get(next) else { break };
        let ends_both = b.old_end() == old_len && b.new_end() == new_len;
        if start >= b.old && (start + p.longest <= b.old_end() || ends_both) {
            carried.push((pattern, start - b.old + b.new));
        }
    }
    carried
}
