//! Where a rule's matches can start: the lazy name run a generic rule opens with (`Lead`), split
//! off so that the rest is searched, and the few strings every match of the rest opens with, each
//! holding a keyword near its start (`KeywordStarts`). Both are read off the parsed regex; build.rs
//! includes this module and files each built-in rule's `KeywordStarts` with its gate facts
//! (`gate::Table`), so a run does not work out the openings again at each rule's first window: under
//! `(?i)` every letter of a name is a class of its own, and expanding a case-insensitive list of
//! call names (basic-auth-call-credentials) was ~4M instructions of a run (docs/engine.md, "The
//! 150 MB/s floor, seventh round").

use super::gate::RunNeed;
use regex_syntax::hir::{Hir, HirKind};

/// A regex that opens with a lazy, bounded run of one class — the name part of a generic rule,
/// `(?i:[\w.-]{0,40}?(?:password|secret|token…))…` — searched as the rest of the regex, with the
/// match's start moved back over the run afterwards. Searched whole, every byte of an identifier is
/// a place a match could start, and the lazy DFA has to count up to 40 of them for each: in text
/// where every line holds such names it determinizes states without end and reads each byte for
/// every start still alive. The rest starts at the name's core (`password`, `token`), which is rare
/// and which the regex's literal prefilter can look for.
///
/// The answer is the same match, by the semantics of leftmost-first search. Say the rest's leftmost
/// match from the search position `p` starts at `c`. A match of the whole regex starting at `s`
/// needs the rest to match at some `c' >= s >= p` with `s..c'` inside the run, so `c' >= c`; and
/// the earliest such `s` for any `c'` is at least the earliest for `c` (a run reaching back from
/// `c'` past a point reaches back from `c` past it too, and `c - s < c' - s`). So the whole match
/// starts at `s0` = the earliest start of the run before `c` (no further back than `max` bytes, nor
/// than `p`). From `s0` the lazy run tries the shortest lengths first, and the rest matches at no
/// position in `s0..c` (all are `>= p` and before `c`): it stops at `c`, where the rest's own
/// leftmost-first choice is the rest's match. Its capture groups lie in the rest, so they are the same.
#[derive(Debug, PartialEq)]
pub(super) struct Lead {
    set: [bool; 256],
    max: usize,
}

impl Lead {
    /// `(lead, rest)` when `hir` is a concatenation that opens with `C{0,max}?` (a class of single
    /// bytes) and whose rest cannot match empty (the iteration over matches treats empty ones apart).
    pub(super) fn split(hir: &Hir) -> Option<(Lead, Hir)> {
        let HirKind::Concat(parts) = hir.kind() else {
            return None;
        };
        let lead = Lead::of_first(parts.first()?)?;
        let rest = Hir::concat(parts[1..].to_vec());
        rest.properties()
            .minimum_len()
            .is_some_and(|n| n > 0)
            .then_some((lead, rest))
    }

    /// The lead that a concatenation opening with `first` opens with: `C{0,max}?`, a class of
    /// single bytes (`split` also asks that the rest cannot match empty).
    pub(super) fn of_first(first: &Hir) -> Option<Lead> {
        let HirKind::Repetition(rep) = first.kind() else {
            return None;
        };
        if rep.min != 0 || rep.greedy {
            return None;
        }
        let HirKind::Class(class) = rep.sub.kind() else {
            return None;
        };
        Some(Lead {
            set: RunNeed::byte_set(class)?,
            max: rep.max? as usize,
        })
    }

    /// Where the whole regex's match starts, given the rest's match at `c`, searched from `from`.
    pub(super) fn start(&self, hay: &[u8], from: usize, c: usize) -> usize {
        let floor = from.max(c.saturating_sub(self.max));
        let mut s = c;
        while s > floor && self.set[hay[s - 1] as usize] {
            s -= 1;
        }
        s
    }
}

/// Where a match of a rule's regex (`rest`, after any `Lead`) can start, relative to the rule's
/// keyword hits: every match opens with one of a few strings (worked out from the syntax tree,
/// ASCII case folded), each holding one of the rule's keywords at most `reach` bytes in. The
/// keyword pass reports every position where one of the rule's keywords starts (the longest keyword
/// there, whose `rules_of` carry the rules of the keywords it starts with), so a match starts
/// at most `reach` bytes before a hit, at a byte of `first`. The generic rules open with their
/// keywords (`password|secret|token|api[_.-]?key…`, after the split-off name part): `reach` 0,
/// the match starts at a hit. Their regexes searched unanchored read every byte of every line on
/// keyword-dense text, and a lazy DFA that follows a match attempt from every position meets new
/// states there; anchored at the few places a match can start, a search stops where the assignment
/// or the value fails (docs/engine.md, "The pathological input, third round").
#[derive(Debug, PartialEq)]
pub(crate) struct KeywordStarts {
    pub(crate) reach: usize,
    pub(crate) first: [bool; 256],
}

/// Strings that every match of a syntax tree starts with (`exact`: is one of), ASCII lower case.
struct Openings {
    strings: Vec<Vec<u8>>,
    exact: bool,
}

/// Past this many openings a tree is not expanded further: what it opens with is then not known.
const MAX_OPENINGS: usize = 256;
/// Farther than this from its keyword, a match's start is left to the unanchored search: each byte
/// between would be a place to try.
const MAX_START_REACH: usize = 16;
/// A class of more bytes than this (after case folding) is not expanded into openings.
const MAX_CLASS_OPENINGS: usize = 8;

impl KeywordStarts {
    /// The starts of a rule's whole parsed regex `hir`: those of its rest after any `Lead`, as
    /// `Matcher::build` works them out (build.rs files them with the rule's gate facts).
    pub(crate) fn of_regex(hir: &Hir, keywords: &[String]) -> Option<KeywordStarts> {
        match Lead::split(hir) {
            Some((_, rest)) => Self::of(&rest, keywords),
            None => Self::of(hir, keywords),
        }
    }

    pub(crate) fn of(rest: &Hir, keywords: &[String]) -> Option<KeywordStarts> {
        let keywords: Vec<Vec<u8>> = keywords
            .iter()
            .map(|k| k.as_bytes().to_ascii_lowercase())
            .collect();
        if keywords.is_empty() || keywords.iter().any(|k| k.is_empty()) {
            return None;
        }
        let openings = Self::openings(rest, &keywords);
        let mut starts = KeywordStarts {
            reach: 0,
            first: [false; 256],
        };
        for s in &openings.strings {
            let at = Self::keyword_at(s, &keywords)?;
            starts.reach = starts.reach.max(at);
            starts.first[s[0] as usize] = true;
            starts.first[s[0].to_ascii_uppercase() as usize] = true;
        }
        (!openings.strings.is_empty() && starts.reach <= MAX_START_REACH).then_some(starts)
    }

    /// Where the first of `keywords` starts in `s`.
    fn keyword_at(s: &[u8], keywords: &[Vec<u8>]) -> Option<usize> {
        (0..s.len()).find(|&i| {
            keywords
                .iter()
                .any(|k| k[0] == s[i] && s[i..].starts_with(k))
        })
    }

    fn openings(hir: &Hir, keywords: &[Vec<u8>]) -> Openings {
        let unknown = || Openings {
            strings: vec![Vec::new()],
            exact: false,
        };
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Openings {
                strings: vec![Vec::new()],
                exact: true,
            },
            HirKind::Literal(lit) => Openings {
                strings: vec![lit.0.to_ascii_lowercase()],
                exact: true,
            },
            HirKind::Class(class) => {
                let Some(set) = RunNeed::byte_set(class) else {
                    return unknown();
                };
                let mut bytes: Vec<u8> = (0..=255u8)
                    .filter(|&b| set[b as usize])
                    .map(|b| b.to_ascii_lowercase())
                    .collect();
                bytes.sort_unstable();
                bytes.dedup();
                if bytes.is_empty() || bytes.len() > MAX_CLASS_OPENINGS {
                    return unknown();
                }
                Openings {
                    strings: bytes.into_iter().map(|b| vec![b]).collect(),
                    exact: true,
                }
            }
            HirKind::Capture(cap) => Self::openings(&cap.sub, keywords),
            HirKind::Repetition(rep) => {
                if rep.max == Some(0) {
                    return Openings {
                        strings: vec![Vec::new()],
                        exact: true,
                    };
                }
                let mut sub = Self::openings(&rep.sub, keywords);
                if rep.min == 0 {
                    if rep.max != Some(1) || !sub.exact {
                        return unknown();
                    }
                    sub.strings.push(Vec::new());
                } else if rep.max != Some(1) {
                    // At least one round: the first one's openings, then anything.
                    sub.exact = false;
                }
                sub
            }
            HirKind::Alternation(alts) => {
                let mut all = Openings {
                    strings: Vec::new(),
                    exact: true,
                };
                for alt in alts {
                    let o = Self::openings(alt, keywords);
                    all.exact &= o.exact;
                    all.strings.extend(o.strings);
                    if all.strings.len() > MAX_OPENINGS {
                        return unknown();
                    }
                }
                all.strings.sort_unstable();
                all.strings.dedup();
                all
            }
            HirKind::Concat(parts) => {
                let mut acc = Openings {
                    strings: vec![Vec::new()],
                    exact: true,
                };
                for part in parts {
                    // Once every opening holds a keyword, what follows does not matter. Asked only
                    // before a part that is more than a byte or a few: under `(?i)` every letter
                    // of a keyword is a part of its own, and asking at each was most of the cost
                    // of working out the openings (on a small repository, a rule's start-up).
                    let simple = matches!(
                        part.kind(),
                        HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_)
                    );
                    let known = || {
                        acc.strings
                            .iter()
                            .all(|s| Self::keyword_at(s, keywords).is_some())
                    };
                    if !acc.exact || (!simple && known()) {
                        acc.exact = false;
                        break;
                    }
                    let next = Self::openings(part, keywords);
                    if acc.strings.len() * next.strings.len() > MAX_OPENINGS {
                        acc.exact = false;
                        break;
                    }
                    acc.strings = acc
                        .strings
                        .iter()
                        .flat_map(|a| next.strings.iter().map(move |b| [&a[..], b].concat()))
                        .collect();
                    acc.strings.sort_unstable();
                    acc.strings.dedup();
                    acc.exact = next.exact;
                }
                acc
            }
        }
    }

    /// The next place at or after `*tried` where a match can start in `hay`, given the rule's
    /// keyword hits (in order, each `base` plus a position in `hay`); `*tried` moves past it.
    pub(super) fn next_candidate(
        &self,
        hay: &[u8],
        hits: &[usize],
        base: usize,
        tried: &mut usize,
    ) -> Option<usize> {
        let k = hits.partition_point(|&p| p < base + *tried);
        for p in hits[k..].iter().map(|&p| p - base) {
            let lo = p.saturating_sub(self.reach).max(*tried);
            if let Some(c) = (lo..=p).find(|&c| self.first[hay[c] as usize]) {
                *tried = c + 1;
                return Some(c);
            }
            *tried = p + 1;
        }
        None
    }
}
