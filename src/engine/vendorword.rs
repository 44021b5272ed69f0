//! The vendor-context template read by hand (docs/engine.md, "The pathological input, seventh
//! round"). 224 built-in rules share one regex shape,
//!
//! `(?i:\bVENDOR)[^\r\n]{0,40}?(?i:access|key|private|secret|token)[^\r\n]{0,40}?\b(VALUE)\b`,
//!
//! differing only in the vendor's name and the value's classes. Searched with the regex, each
//! of them builds its own lazy DFA, whose two counted gaps make it a new state for nearly every
//! byte of a line it has not seen (the states of `{0,40}?` count the gap), and compiles its own
//! meta regex on first use: on keyword-dense code (generated SDKs, config dumps) the 224 rules
//! were ~9% of the rules' matching time for ~400 lines each. Read by hand, a window costs a
//! search for the vendor's name and, where it stands at a word boundary, a look at the 41
//! places the word may start and the 41 places the value may start after it.
//!
//! Exactness: the reader is used only for a regex that is the template exactly, compared byte
//! for byte (`VendorWord::of`), with a vendor of literal letters, digits, `_` and `-` and a value
//! that is a sequence of byte classes and literals of fixed length, the last one possibly a
//! greedy range. Its matches are the regex's, in the order `captures_iter` gives them (the
//! argument is in `VendorWord::at`'s comment); `vendor_word_matches_are_the_regex_matches`
//! compares both for every built-in rule of the template on random near misses and real lines.

use regex_syntax::hir::{Class, Hir, HirKind};

const HEAD: &str = r"(?i:\b";
const MID: &str = r")[^\r\n]{0,40}?(?i:access|key|private|secret|token)[^\r\n]{0,40}?\b(";
const TAIL: &str = r")\b";
/// The words between the gaps, in the alternation's order (no two start with the same letter,
/// so at most one matches at a place and the order never decides).
const WORDS: [&[u8]; 5] = [b"access", b"key", b"private", b"secret", b"token"];
/// Each gap's most bytes.
const GAP: usize = 40;

/// One part of the value: `min..=max` bytes of `set`, greedy (a literal byte is a set of one
/// byte, once).
#[derive(Debug, Clone)]
struct Part {
    set: [bool; 256],
    min: usize,
    max: usize,
}

/// A rule of the template: its vendor's name (lower case) and its value's parts, every one of
/// fixed length but the last.
#[derive(Debug, Clone)]
pub(super) struct VendorWord {
    vendor: Vec<u8>,
    value: Vec<Part>,
}

/// One match: the whole match's span and the value's (group 1), in the haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub value: (usize, usize),
}

/// `\w` over ASCII, what `\b` looks at with Unicode off (as the engine parses the template).
pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `\b` (ASCII) at `i` of `hay`: a word byte on one side only, outside the haystack counting as
/// none.
pub(super) fn boundary(hay: &[u8], i: usize) -> bool {
    let before = i > 0 && is_word(hay[i - 1]);
    let after = i < hay.len() && is_word(hay[i]);
    before != after
}

/// Whether `hay[i..]` starts with `lit` (lower case) ignoring ASCII case.
fn starts_folded(hay: &[u8], i: usize, lit: &[u8]) -> bool {
    hay.len() >= i + lit.len()
        && hay[i..i + lit.len()]
            .iter()
            .zip(lit)
            .all(|(h, l)| h.to_ascii_lowercase() == *l)
}

impl VendorWord {
    /// The hand reader of a rule's regex `src`, if it is the template exactly with a vendor and
    /// a value of the shapes read here.
    pub(super) fn of(src: &str) -> Option<VendorWord> {
        let rest = src.strip_prefix(HEAD)?.strip_suffix(TAIL)?;
        let (vendor, value) = rest.split_once(MID)?;
        // Literal bytes only: `.` would be any byte, other metacharacters more.
        if vendor.is_empty()
            || !vendor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return None;
        }
        // The value as the engine parses the whole pattern: bytes, Unicode off.
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(value)
            .ok()?;
        let mut parts = Vec::new();
        let items: Vec<&Hir> = match hir.kind() {
            HirKind::Concat(items) => items.iter().collect(),
            _ => vec![&hir],
        };
        for item in items {
            parts.extend(Self::parts(item)?);
        }
        // Every part but the last of one length: then the value's only choice is the last
        // part's count, which `value_end` tries from the most down, as the greedy regex does.
        let (last, fixed) = parts.split_last()?;
        if fixed.iter().any(|p| p.min != p.max) || last.max < last.min || last.max == 0 {
            return None;
        }
        Some(VendorWord {
            vendor: vendor.to_ascii_lowercase().into_bytes(),
            value: parts,
        })
    }

    /// A part of the value's concatenation as parts: a literal (each byte once), a byte class
    /// (once), or a greedy bounded repetition of a class.
    fn parts(hir: &Hir) -> Option<Vec<Part>> {
        let one = |b: u8| {
            let mut set = [false; 256];
            set[b as usize] = true;
            Part {
                set,
                min: 1,
                max: 1,
            }
        };
        let class = |c: &Class| -> Option<[bool; 256]> {
            let Class::Bytes(c) = c else {
                return None;
            };
            let mut set = [false; 256];
            for r in c.iter() {
                for b in r.start()..=r.end() {
                    set[b as usize] = true;
                }
            }
            Some(set)
        };
        match hir.kind() {
            HirKind::Literal(lit) => Some(lit.0.iter().map(|&b| one(b)).collect()),
            HirKind::Class(c) => Some(vec![Part {
                set: class(c)?,
                min: 1,
                max: 1,
            }]),
            HirKind::Repetition(rep) if rep.greedy => {
                let HirKind::Class(c) = rep.sub.kind() else {
                    return None;
                };
                Some(vec![Part {
                    set: class(c)?,
                    min: rep.min as usize,
                    max: rep.max? as usize,
                }])
            }
            _ => None,
        }
    }

    /// Every match in `hay`, leftmost first, each search resuming at the last match's end: what
    /// `captures_iter` yields (no match is empty).
    pub(super) fn for_each(&self, hay: &[u8], mut f: impl FnMut(Found)) {
        let (lo, up) = (self.vendor[0], self.vendor[0].to_ascii_uppercase());
        let mut at = 0;
        while at < hay.len() {
            let Some(i) = memchr::memchr2(lo, up, &hay[at..]) else {
                return;
            };
            let s = at + i;
            match self.at(hay, s) {
                Some(found) => {
                    at = found.end;
                    f(found);
                }
                None => at = s + 1,
            }
        }
    }

    /// The match that starts at `s`, if one does. A match starts where `\b` and the vendor's name
    /// (any case) are, so the leftmost match is at the first such `s` where this finds one, and
    /// `for_each` tries them in order. From `s`, the regex's preference is the backtracking order:
    /// the first gap as short as it can be (0 to 40 bytes, none of them `\r` or `\n`), then the
    /// one word that can stand there, then the second gap as short as it can be, then `\b` and the
    /// value, whose only choice is its last part's count, most first, that `\b` follows
    /// (`value_end`). The first choice that completes is the match the regex reports.
    fn at(&self, hay: &[u8], s: usize) -> Option<Found> {
        if !boundary(hay, s) || !starts_folded(hay, s, &self.vendor) {
            return None;
        }
        let a = s + self.vendor.len();
        for q in a..=(a + GAP).min(hay.len()) {
            if q > a && matches!(hay[q - 1], b'\r' | b'\n') {
                break;
            }
            let Some(word) = WORDS.iter().find(|w| starts_folded(hay, q, w)) else {
                continue;
            };
            let b = q + word.len();
            for v in b..=(b + GAP).min(hay.len()) {
                if v > b && matches!(hay[v - 1], b'\r' | b'\n') {
                    break;
                }
                if !boundary(hay, v) {
                    continue;
                }
                if let Some(end) = self.value_end(hay, v) {
                    return Some(Found {
                        start: s,
                        end,
                        value: (v, end),
                    });
                }
            }
        }
        None
    }

    /// Where the value that starts at `v` ends, with `\b` after it: the fixed parts in turn, then
    /// the last part's run, longest first.
    fn value_end(&self, hay: &[u8], v: usize) -> Option<usize> {
        let (last, fixed) = self.value.split_last().expect("a value has parts");
        let mut i = v;
        for p in fixed {
            if hay.len() < i + p.min || !hay[i..i + p.min].iter().all(|&b| p.set[b as usize]) {
                return None;
            }
            i += p.min;
        }
        let run = hay[i..]
            .iter()
            .take(last.max)
            .take_while(|&&b| last.set[b as usize])
            .count();
        if run < last.min {
            return None;
        }
        (last.min..=run)
            .rev()
            .map(|k| i + k)
            .find(|&end| boundary(hay, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrng::{by_regex, n, regex_of, Rng, Spans};

    fn by_hand(w: &VendorWord, hay: &[u8]) -> Spans {
        let mut out = Vec::new();
        w.for_each(hay, |f| out.push((f.start, f.end, f.value.0, f.value.1)));
        out
    }

    /// A value of the rule's parts, or a near miss of one: a count one off either way, a byte
    /// outside a part's set, a word byte glued on.
    fn value(r: &mut Rng, w: &VendorWord) -> Vec<u8> {
        let mut out = Vec::new();
        for p in &w.value {
            let members: Vec<u8> = (0..=255u8).filter(|&b| p.set[b as usize]).collect();
            let mut k = p.min + n(r, p.max - p.min + 1);
            match n(r, 8) {
                0 => k += 1,
                1 => k = k.saturating_sub(1),
                _ => {}
            }
            for _ in 0..k {
                out.push(members[n(r, members.len())]);
            }
            if n(r, 12) == 0 {
                out.push(b"_x9-. \""[n(r, 7)]);
            }
        }
        out
    }

    /// A line of the template's shapes and near misses: the vendor's name in any case, glued to a
    /// word or not, gaps around 40 bytes, the words and near misses of them, values and near
    /// misses, line breaks inside the gaps.
    fn random_line(r: &mut Rng, w: &VendorWord) -> Vec<u8> {
        const FILL: &[&str] = &[
            "", " ", "_", "-", ".", "=", " = \"", "': '", "x", "é", "\r", "\n", "\t", "api",
        ];
        const WORDS: &[&str] = &[
            "access", "KEY", "key", "Private", "secret", "token", "toke", "keys", "acces", "",
        ];
        let mut line = Vec::new();
        for _ in 0..n(r, 3) + 1 {
            if n(r, 5) == 0 {
                line.extend_from_slice(b"a");
            }
            let vendor: Vec<u8> = w
                .vendor
                .iter()
                .map(|&b| {
                    if n(r, 3) == 0 {
                        b.to_ascii_uppercase()
                    } else {
                        b
                    }
                })
                .collect();
            line.extend_from_slice(&vendor);
            for _ in 0..n(r, 3) {
                line.extend_from_slice(FILL[n(r, FILL.len())].as_bytes());
            }
            if n(r, 4) == 0 {
                line.extend(std::iter::repeat_n(b'x', 30 + n(r, 15)));
            }
            line.extend_from_slice(WORDS[n(r, WORDS.len())].as_bytes());
            for _ in 0..n(r, 4) {
                line.extend_from_slice(FILL[n(r, FILL.len())].as_bytes());
            }
            if n(r, 4) == 0 {
                line.extend(std::iter::repeat_n(b' ', 30 + n(r, 15)));
            }
            if n(r, 3) == 0 {
                line.extend_from_slice(WORDS[n(r, WORDS.len())].as_bytes());
                line.extend_from_slice(b" ");
            }
            line.extend(value(r, w));
            line.extend_from_slice(FILL[n(r, FILL.len())].as_bytes());
            if n(r, 3) == 0 {
                line.extend(value(r, w));
            }
        }
        line
    }

    /// Every built-in rule of the template: (regex, reader).
    fn builtin() -> Vec<(String, VendorWord)> {
        super::super::testkit::builtin_regexes_with_examples()
            .into_iter()
            .filter_map(|(_, src, _)| VendorWord::of(&src).map(|w| (src, w)))
            .collect()
    }

    #[test]
    fn vendor_word_matches_are_the_regex_matches() {
        let rules = builtin();
        // The catalog's template rules are read by hand (a catalog edit that changes the template
        // shows here).
        assert!(rules.len() >= 200, "{}", rules.len());
        // Real lines: every file of the repository's fixtures, and any tree named here (the
        // benchmark's inputs, when they are on the machine).
        let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        if let Some(extra) = std::env::var_os("LEAKGUARD_ASSIGN_DIFF_DIR") {
            files.extend(std::env::split_paths(&extra));
        }
        let mut texts = Vec::new();
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            } else if let Ok(text) = std::fs::read(&p) {
                texts.push((p, text));
            }
        }
        let mut r = Rng(0x2545_F491_4F6C_DD1D);
        let (mut lines, mut matched, mut real) = (0, 0, 0);
        for (src, w) in &rules {
            let re = regex_of(src);
            for _ in 0..400 {
                let line = random_line(&mut r, w);
                let want = by_regex(&re, &line);
                matched += want.len();
                lines += 1;
                assert_eq!(
                    by_hand(w, &line),
                    want,
                    "{src}\n{}",
                    String::from_utf8_lossy(&line)
                );
            }
            for (p, text) in &texts {
                let want = by_regex(&re, text);
                real += want.len();
                assert_eq!(by_hand(w, text), want, "{src} {}", p.display());
            }
        }
        eprintln!("{lines} random lines, {matched} matches; {real} matches in real files");
        // The lines are near misses and hits both.
        assert!(matched > lines / 10, "{matched} of {lines}");
    }

    #[test]
    fn only_the_template_with_literal_vendors_and_plain_values_is_read_by_hand() {
        let t = |vendor: &str, value: &str| format!("{HEAD}{vendor}{MID}{value}{TAIL}");
        assert!(VendorWord::of(&t("mediastack", "(?i:[a-z0-9]{32})")).is_some());
        assert!(VendorWord::of(&t("acme", "(?i:sk_[a-z0-9]{32})")).is_some());
        assert!(VendorWord::of(&t("acme", "(?i:[A-Z0-9]{7}\\-[A-Z0-9]{7})")).is_some());
        assert!(VendorWord::of(&t("acme", "ey[a-z]{4}\\.[a-z]{10,20}")).is_some());
        // `.` in the name is any byte; a value with a choice before its end, or an alternation.
        assert!(VendorWord::of(&t("api.video", "[a-z0-9]{32}")).is_none());
        assert!(VendorWord::of(&t("acme", "[a-z]{4,6}[0-9]{2}")).is_none());
        assert!(VendorWord::of(&t("acme", "[a-z]{32}|[0-9]{40}")).is_none());
        assert!(VendorWord::of(&t("acme", "[a-z]{32,}")).is_none());
        assert!(VendorWord::of(&t("acme", "[a-z]{0,32}?")).is_none());
        // One byte off the template keeps the regex.
        let src = t("acme", "[a-z0-9]{32}").replace("{0,40}?", "{0,41}?");
        assert!(VendorWord::of(&src).is_none());
        let src = t("acme", "[a-z0-9]{32}").replace("token)", "tokens)");
        assert!(VendorWord::of(&src).is_none());
    }
}
