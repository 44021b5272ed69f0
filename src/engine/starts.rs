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
pub(crate) const MAX_START_REACH: usize = 16;
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
        Self::of_lines(rest, keywords).map(|(starts, _)| starts)
    }

    /// `of`, and whether some opening holds a `\n` before its keyword (a match may then start on
    /// the line above its keyword's).
    fn of_lines(rest: &Hir, keywords: &[String]) -> Option<(KeywordStarts, bool)> {
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
        let mut line_above = false;
        for s in &openings.strings {
            let at = Self::keyword_at(s, &keywords)?;
            starts.reach = starts.reach.max(at);
            starts.first[s[0] as usize] = true;
            starts.first[s[0].to_ascii_uppercase() as usize] = true;
            line_above |= s[..at].contains(&b'\n');
        }
        (!openings.strings.is_empty() && starts.reach <= MAX_START_REACH)
            .then_some((starts, line_above))
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

/// How far past a keyword hit every match around it ends (docs/engine.md, "Stop 39"): what lets a
/// window that reaches past its keyword's line (`Reach::Lines`, `Reach::Count`) end at the first
/// line end past it instead of 16 KiB on. A rule has one when every match starts on its keyword's
/// line, at most `KeywordStarts::reach` (and a `Lead`'s name run) before one of its keyword hits
/// (`KeywordStarts`, no `\n` before the keyword in any opening, none in the lead's class), so the
/// hit's window, which reaches back to the line's start, holds the match's start; and when the
/// whole match is bounded: at most `Bytes(n)` bytes (`maximum_len`), or at most `most` bytes outside
/// `free`, the bytes that its unbounded repetitions repeat (the blanks of `\s*`, a `[ \t(]+`). Such
/// a match ends, from its hit `p` on, before the `most + 1`th byte outside `free` (or `p + n`):
/// the window ended at the first `\n` at or after that place holds it whole, and its end is a line
/// end, where `^`, `$` and `\b` read as they read inside the longer window.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tail {
    Bytes(usize),
    Outside { free: [bool; 256], most: usize },
}

/// A `Lead`'s longest run that a `Tail` takes: with `MAX_START_REACH`, the most a match starts
/// before its hit, which must stay inside the hit's window's reach back (`windows::LINE_REACH`).
pub(crate) const MAX_TAIL_LEAD: usize = 256;

impl Tail {
    /// The tail of a rule's parsed regex `hir` with its `keywords`, if it has one.
    pub(crate) fn of_regex(hir: &Hir, keywords: &[String]) -> Option<Tail> {
        let starts = match Lead::split(hir) {
            Some((lead, rest)) => {
                if lead.set[usize::from(b'\n')] || lead.max > MAX_TAIL_LEAD {
                    return None;
                }
                KeywordStarts::of_lines(&rest, keywords)
            }
            None => KeywordStarts::of_lines(hir, keywords),
        };
        let (_, line_above) = starts?;
        if line_above {
            return None;
        }
        if let Some(n) = hir.properties().maximum_len() {
            return Some(Tail::Bytes(n));
        }
        let mut free = [false; 256];
        Self::free(hir, &mut free);
        let most = Self::most_outside(hir, &free)?;
        Some(Tail::Outside { free, most })
    }

    /// Adds to `free` the bytes of each class repeated without bound: ASCII, neither letters nor
    /// digits (a walk over code past letters would run as far as the window).
    fn free(hir: &Hir, free: &mut [bool; 256]) {
        match hir.kind() {
            HirKind::Repetition(rep) => {
                let mut sub = &*rep.sub;
                while let HirKind::Capture(cap) = sub.kind() {
                    sub = &cap.sub;
                }
                match sub.kind() {
                    HirKind::Class(class) if rep.max.is_none() => {
                        if let Some(set) = RunNeed::byte_set(class) {
                            let plain = (0..256).all(|b| {
                                !set[b] || (b < 0x80 && !(b as u8).is_ascii_alphanumeric())
                            });
                            if plain {
                                for (f, &s) in free.iter_mut().zip(set.iter()) {
                                    *f |= s;
                                }
                            }
                        }
                    }
                    _ => Self::free(sub, free),
                }
            }
            HirKind::Capture(cap) => Self::free(&cap.sub, free),
            HirKind::Concat(parts) | HirKind::Alternation(parts) => {
                parts.iter().for_each(|p| Self::free(p, free));
            }
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
        }
    }

    /// The most bytes outside `free` that a match of `hir` holds; `None` when unbounded.
    fn most_outside(hir: &Hir, free: &[bool; 256]) -> Option<usize> {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Some(0),
            HirKind::Literal(lit) => Some(lit.0.iter().filter(|&&b| !free[usize::from(b)]).count()),
            HirKind::Class(class) => match RunNeed::byte_set(class) {
                Some(set) => Some(usize::from((0..256).any(|b| set[b] && !free[b]))),
                // A class of characters beyond ASCII: any of its bytes may be outside.
                None => hir.properties().maximum_len(),
            },
            HirKind::Capture(cap) => Self::most_outside(&cap.sub, free),
            HirKind::Repetition(rep) => {
                let sub = Self::most_outside(&rep.sub, free)?;
                if sub == 0 {
                    Some(0)
                } else {
                    (rep.max? as usize).checked_mul(sub)
                }
            }
            HirKind::Concat(parts) => parts
                .iter()
                .try_fold(0usize, |n, p| n.checked_add(Self::most_outside(p, free)?)),
            HirKind::Alternation(parts) => parts
                .iter()
                .try_fold(0usize, |n, p| Some(n.max(Self::most_outside(p, free)?))),
        }
    }

    /// Where the window of a keyword hit at `p` in `data` may end instead of `end` (its window's
    /// end): the first `\n` at or after the place every match around the hit ends by, or `end`.
    /// `walk` is what the last call for the same rule and text walked (`Outside`): hits come in
    /// order, and a rule whose keyword stands on every line (twilio-auth-token in a Twilio client)
    /// would walk the same few hundred bytes again from each.
    pub(crate) fn end(&self, data: &[u8], p: usize, end: usize, walk: &mut Option<Walk>) -> usize {
        let by = match self {
            Tail::Bytes(n) => p.saturating_add(*n),
            Tail::Outside { free, most } => {
                let walk = match walk {
                    Some(w) if w.from <= p && p <= w.at => w,
                    _ => walk.insert(Walk {
                        from: p,
                        at: p,
                        left: *most,
                    }),
                };
                // `data[from..at]` holds `most - left` bytes outside `free`: the same from `p`
                // once those before `p` are given back.
                let back: usize = data[walk.from..p]
                    .iter()
                    .map(|&b| usize::from(!free[usize::from(b)]))
                    .sum();
                walk.left += back;
                walk.from = p;
                // The (most + 1)th byte outside `free` from `p`: no match holds it. The next
                // `left + 1` bytes hold at most that many, so they are counted a stretch at a
                // time, without a branch per byte (a byte at a time, the walks were 100M
                // instructions of twilio-python's scan).
                loop {
                    if walk.at >= end {
                        return end;
                    }
                    let take = (walk.left + 1).min(end - walk.at);
                    let stretch = &data[walk.at..walk.at + take];
                    let inside: usize = stretch
                        .iter()
                        .map(|&b| usize::from(free[usize::from(b)]))
                        .sum();
                    if take - inside <= walk.left {
                        walk.left -= take - inside;
                        walk.at += take;
                    } else {
                        // `left + 1` bytes, all outside: the last is the one.
                        walk.at += take - 1;
                        walk.left = 0;
                        break walk.at;
                    }
                }
            }
        };
        if by >= end {
            return end;
        }
        memchr::memchr(b'\n', &data[by..end]).map_or(end, |i| by + i)
    }
}

/// How far `Tail::end` walked for a rule in a text: from `from` to `at`, `left` more bytes outside
/// the tail's `free` to pass before the one no match holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Walk {
    from: usize,
    at: usize,
    left: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail(src: &str, keyword: &str) -> Option<Tail> {
        Tail::of_regex(
            &super::super::gate::parse(src).unwrap(),
            &[keyword.to_string()],
        )
    }

    fn blanks_and(extra: &[u8]) -> [bool; 256] {
        let mut free = [false; 256];
        for &b in b" \t\n\x0b\x0c\r".iter().chain(extra) {
            free[usize::from(b)] = true;
        }
        free
    }

    #[test]
    fn a_tail_is_the_longest_match_or_the_most_bytes_outside_its_unbounded_blanks() {
        // Bounded: the longest match, name run included.
        assert_eq!(
            tail(r"zqkey[\s\S]{0,300}?v=([a-z0-9]{24})\b", "zqkey"),
            Some(Tail::Bytes(331))
        );
        assert_eq!(
            tail(r"[\w.-]{0,40}?zqkey[\s\S]{0,30}x", "zqkey"),
            Some(Tail::Bytes(76))
        );
        // Unbounded blanks (and a `(`): the bytes outside them, each alternative's most.
        assert_eq!(
            tail(
                r#"zqkey(?:[ \t(]+|\s*=\s*"?)([a-z0-9]{24})"\s*;|zqkey\s*:\s*([a-f]{40})"#,
                "zqkey"
            ),
            Some(Tail::Outside {
                free: blanks_and(b"("),
                most: 46
            })
        );
        // A class of letters repeated without bound: no walk past it would end near the keyword.
        assert_eq!(tail(r"zqkey\w*=([a-z0-9]{24})", "zqkey"), None);
        assert_eq!(tail(r#"zqkey\s*=\s*"([^"]*)""#, "zqkey"), None);
        // The match may start on the line above its keyword: before it in an opening, or in the
        // name run.
        assert_eq!(tail(r"[\n,]zqkey[\s\S]{0,30}", "zqkey"), None);
        assert_eq!(
            tail(r"[ ,]zqkey[\s\S]{0,30}", "zqkey"),
            Some(Tail::Bytes(36))
        );
        assert_eq!(tail(r"[\w\n]{0,40}?zqkey[\s\S]{0,30}", "zqkey"), None);
        // A name run longer than the window's reach back, or an opening without the keyword.
        assert_eq!(tail(r"[\w.-]{0,400}?zqkey[\s\S]{0,30}", "zqkey"), None);
        assert_eq!(tail(r"(?:zqkey|other)[\s\S]{0,30}", "zqkey"), None);
    }

    #[test]
    fn a_tail_ends_a_window_at_the_line_end_past_its_last_possible_byte() {
        let data = b"zqkey = \n\n  \t abc\n  def\nghi\n";
        let outside = Tail::Outside {
            free: blanks_and(b""),
            most: 8,
        };
        // From 0: z q k e y = a b are 8 bytes outside the blanks; `c` is the 9th, which no match
        // holds, and its line ends at 17.
        assert_eq!(outside.end(data, 0, data.len(), &mut None), 17);
        // From 15 (`bc`): `b` to `i` are 8, a 9th is past the end: the window stays.
        assert_eq!(outside.end(data, 15, data.len(), &mut None), data.len());
        // From 14 (`abc`): `i` is the 9th, on the last line.
        assert_eq!(outside.end(data, 14, data.len(), &mut None), 27);
        // Never past the window's own end.
        assert_eq!(outside.end(data, 0, 10, &mut None), 10);
        let bytes = Tail::Bytes(12);
        // 0 + 12 is in `abc`'s line, which ends at 17.
        assert_eq!(bytes.end(data, 0, data.len(), &mut None), 17);
        // Exactly at a line end: that line end.
        assert_eq!(Tail::Bytes(17).end(data, 0, data.len(), &mut None), 17);
        assert_eq!(bytes.end(data, 20, data.len(), &mut None), data.len());
    }

    /// `Tail::end` of `Outside` by its definition: the 41st byte outside blanks and `(` from `p`,
    /// then the first line end from there, or `end`.
    fn naive_end(data: &[u8], p: usize, end: usize, most: usize) -> usize {
        let free = blanks_and(b"(");
        let Some(q) = (p..end).filter(|&i| !free[usize::from(data[i])]).nth(most) else {
            return end;
        };
        (q..end).find(|&i| data[i] == b'\n').unwrap_or(end)
    }

    #[test]
    fn a_walk_carried_from_hit_to_hit_ends_each_window_where_a_fresh_walk_does() {
        // Text of blanks, `(` and other bytes; hits in order, some close, some far, each with its
        // own window end (not in order either): the walk carried over, a stretch at a time, ends
        // each window where the definition does.
        let mut rng = crate::testrng::Rng(0x39_3a1c);
        let tail = Tail::Outside {
            free: blanks_and(b"("),
            most: 40,
        };
        for round in 0..200 {
            let n = 200 + rng.below(6_000) as usize;
            let data: Vec<u8> = (0..n)
                .map(|_| match rng.below(10) {
                    0..=3 => {
                        let i = rng.below(4) as usize;
                        b" \n\t("[i]
                    }
                    _ => {
                        let i = rng.below(6) as usize;
                        b"ab=9\"x"[i]
                    }
                })
                .collect();
            let mut walk = None;
            let mut p = 0;
            while p < n {
                let end = (p + 1 + rng.below(3_000) as usize).min(n);
                assert_eq!(
                    tail.end(&data, p, end, &mut walk),
                    naive_end(&data, p, end, 40),
                    "round {round}, hit {p}, end {end}"
                );
                let gap = [3, 60, 900][rng.below(3) as usize];
                p += 1 + rng.below(gap) as usize;
            }
        }
    }
}
