//! Rules over joined literals: each run of string literals concatenated over lines (and each shell
//! line continued with `\`) is scanned as one line (joinlit.rs), and a hit whose secret the join
//! made is placed back on the real bytes, from the first piece it uses to the last.

use super::{Engine, Hit, Keywords, PathScope};
use crate::decode::{self, Encoding};
use crate::joinlit::{self, Joined};

impl Engine {
    /// Hits of `data`'s joined runs that the plain scan (`found`) did not make. A joined hit whose
    /// match holds what the plain scan found of it on one line (half a key, by the same or a less
    /// precise rule) takes its place: one leak, one finding, whole. The plain hit yields to it
    /// (`Hit::shadowed_by`), judged after allowlists, as a vaguer rule's hit yields.
    pub(super) fn add_joined(
        &self,
        data: &[u8],
        scope: PathScope,
        keywords: &Keywords,
        found: &mut Vec<Hit>,
    ) {
        // Where a keyword starts, content and path-scoped alike: a format's prefix inside a token
        // (a Mailchimp key's `-us12`) too, since the token may be split before it. Both lists are
        // in order of start: merged as they are read, not collected and sorted.
        let path: &[(u32, usize)] = keywords.path.as_deref().unwrap_or_default();
        if keywords.content.is_empty() && path.is_empty() {
            return;
        }
        let starts = Merged {
            a: keywords.content.iter().map(|&(_, s)| s).peekable(),
            b: path.iter().map(|&(_, s)| s).peekable(),
        };
        let joined = joinlit::join(data, starts);
        if joined.is_empty() {
            return;
        }
        let rules = &self.rules.rules;
        if let PathScope::PathRulesAt(_) = scope {
            // As for key paths (keypaths.rs): history scans content and path rules apart, so a path
            // rule's hit that a content rule's joined hit outranks is dropped here.
            // Marked, not dropped: should the content rule's hit be dropped by its own
            // allowlist, the path rule's is the finding (`findings`).
            let content = self.joined_hits(data, &joined, PathScope::ContentOnly);
            for f in found.iter_mut() {
                let over = content.iter().filter(|c| {
                    c.start < f.end
                        && f.start < c.end
                        && rules[c.rule].yields <= rules[f.rule].yields
                        && parts_of(f, c, &joined, rules[f.rule].yields == rules[c.rule].yields)
                });
                let over: Vec<_> = over.map(Hit::key).collect();
                f.shadowed_by.extend(over);
            }
        }
        // Each joined hit is judged against the plain scan's hits only: two rules on one joined
        // secret are `finish`'s to rank, as on one line.
        let mut replaced: Vec<Vec<super::HitKey>> = vec![Vec::new(); found.len()];
        let mut extra = Vec::new();
        for hit in self.joined_hits(data, &joined, scope) {
            let rank = rules[hit.rule].yields;
            // A plain hit that yields already (to a view's reading) is not there.
            let overlapping = |f: &Hit| {
                f.shadowed_by.is_empty()
                    && f.start < hit.end
                    && hit.start < f.end
                    && (f.rule == hit.rule || rules[f.rule].yields <= rank)
            };
            // A plain hit that is not a part of this secret (the same secret, a rule that matched
            // across the literals as written): the plain scan's finding stands.
            if found.iter().any(|f| {
                overlapping(f) && !parts_of(f, &hit, &joined, rules[f.rule].yields == rank)
            }) {
                continue;
            }
            for (i, f) in found.iter().enumerate() {
                if overlapping(f) {
                    replaced[i].push(hit.key());
                }
            }
            extra.push(hit);
        }
        // A replaced plain hit is kept, marked with the joined hits that replace it: should each of
        // those be dropped by its own rule's allowlist, the plain finding stands (`findings`), so
        // the view never loses the value. One that is the joined hit (same place, rule and
        // secret: a match the break cut after its secret) is that hit, read whole: dropped, as
        // `finish` would drop one of the two.
        let mut i = 0;
        found.retain_mut(|f| {
            let by = std::mem::take(&mut replaced[i]);
            i += 1;
            let same = by.contains(&f.key())
                && extra
                    .iter()
                    .any(|x| x.key() == f.key() && x.secret == f.secret);
            f.shadowed_by.extend(by);
            !same
        });
        found.append(&mut extra);
    }

    fn joined_hits(&self, data: &[u8], joined: &Joined, scope: PathScope) -> Vec<Hit> {
        let text = &joined.text;
        let keywords = self.keywords_in(text, scope);
        // As deep as decoding goes: the joined text is matched, neither decoded nor joined again.
        self.hits_at_depth(text, scope, &keywords, decode::MAX_DEPTH)
            .into_iter()
            .filter(|h| h.stands() && !h.is_whole_file() && h.decoded.is_empty())
            .filter_map(|inner| {
                let matched = inner.match_start..inner.match_start + inner.matched.len();
                let span = joined.to_data(matched, inner.start..inner.end)?;
                Some(Hit {
                    start: span.start,
                    end: span.end,
                    match_start: span.start,
                    doc_example: 0,
                    decoded: vec![Encoding::Joined],
                    encoded: data[span.clone()].to_vec(),
                    ..inner
                })
            })
            .collect()
    }
}

/// Whether `plain` (at least as precise as `joined`) is a strict part of `joined`'s secret: cut at
/// a break between pieces (half a key; a URL whose host the break cut, which the rule's allowlist
/// then takes for a placeholder's), or, found by a rule no more precise, a shorter secret within
/// the joined one. The same bytes, matched by a match that no break cut at its end, are no part:
/// a plain hit whose match merely starts at a piece's opening quote (`"sk-…"` on a shell
/// continuation line) is the whole value, and stands.
fn parts_of(plain: &Hit, joined: &Hit, runs: &Joined, same_rank: bool) -> bool {
    let matched = plain.match_start..plain.match_start + plain.matched.len();
    if plain.start == joined.start
        && plain.end == joined.end
        && !runs.ends_at_break(matched.clone())
    {
        return false;
    }
    let (p, j) = (plain.secret.expose(), joined.secret.expose());
    runs.cut_at_break(plain.start..plain.end)
        || runs.cut_at_break(matched)
        || (same_rank && p.len() < j.len() && j.contains(p))
}

/// Two ascending sequences as one.
struct Merged<A: Iterator<Item = usize>, B: Iterator<Item = usize>> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<A: Iterator<Item = usize>, B: Iterator<Item = usize>> Iterator for Merged<A, B> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match (self.a.peek(), self.b.peek()) {
            (Some(x), Some(y)) if y < x => self.b.next(),
            (Some(_), _) => self.a.next(),
            _ => self.b.next(),
        }
    }
}
