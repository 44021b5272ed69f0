//! What the engine asks of a rule before it builds the rule's regex: what every match must
//! contain (`RunNeed`) and whether every match keeps to its keyword's line (`keeps_to_line`),
//! both read off the parsed regex alone. A keyword reaches a rule's window long before the rule
//! can match: on openai-python 88 rules were parsed (34M instructions) for ~40 that never passed
//! their need. So the facts are worked out here for every built-in rule by build.rs, which includes
//! this file (`Table`, written with postcard), and looked up by the engine (`Engine::gate`); a
//! user's rule has them worked out from its parse on first use (docs/engine.md, "The 150 MB/s
//! floor, third round").

use regex_syntax::hir::{Class, Hir, HirKind};
use serde::{Deserialize, Serialize};

/// A necessary condition for a regex to match: a run of at least `min` consecutive bytes of `set`
/// (a rule's `[a-f0-9]{32}`, `[A-Za-z0-9/+]{40}`). A rule's `needs` are a disjunction, one per
/// top-level alternative: a window that holds none of them cannot hold a match, so the regex is not
/// run on it. Such a window is what keyword-dense code is made of (`token`, `auth`, `twilio` on every
/// line, no 32-character hex value anywhere), and a rule whose regex spans a gap
/// (`twilio[\s\S]{0,400}?…`) costs the lazy DFA a new state per byte there: checking a byte table
/// instead costs about a nanosecond a byte. The regex still decides every match it runs on, so the
/// findings are exactly those of running it everywhere.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RunNeed {
    pub(crate) set: [bool; 256],
    pub(crate) min: usize,
    /// When the regex puts a byte of this set right after the run (`([A-Za-z0-9_-]{43}=)`, a
    /// Fernet key's padding): the run must be followed by one. A rule that reaches 60 bytes past a
    /// common keyword for such a value otherwise runs on every line holding a long hex or base64
    /// run, and its gap costs the lazy DFA a new state per byte there.
    pub(crate) then: Option<[bool; 256]>,
    /// When the run lies between two word boundaries (`\b([a-z0-9]{32})\b`, `\bAC[a-f0-9]{32}\b`,
    /// a UUID's `\b[a-f0-9]{8}-…-[a-f0-9]{12}\b`): the most bytes it may have. Then the window must
    /// hold `min..=max` bytes of `set` from a `\b` to a `\b` (ASCII word boundaries, as the rules'
    /// regexes have them with Unicode off). The ~230 vendor-context rules
    /// (`\bvendor[^\r\n]{0,40}?(?:key|token…)[^\r\n]{0,40}?\b(value)\b`) look for such a token; a
    /// window with a hex run one byte short, or inside a longer word, holds the run but not the
    /// token, and the two gaps cost the lazy DFA new states per byte wherever the regex runs.
    pub(crate) word_max: Option<usize>,
    /// With `word_max`: every byte of the set is a word byte (`word_holds`' fast path).
    pub(crate) word_only: bool,
}

/// ASCII word bytes (`[0-9A-Za-z_]`, what `\b` looks at with Unicode off), as a table.
pub(crate) static WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    t
};

/// Needs shorter than this say too little to be worth the pass over the window.
const MIN_RUN_NEED: usize = 8;

impl RunNeed {
    /// The needs of a rule's regex, parsed the way `rules::build_bytes_regex` compiles it (bytes,
    /// Unicode off unless the pattern requires it). `None` when some alternative needs no long run.
    #[cfg(test)]
    pub(crate) fn of_regex(src: &str) -> Option<Vec<RunNeed>> {
        Self::of_hir(&parse(src)?)
    }

    /// The needs of a rule's parsed regex.
    pub(crate) fn of_hir(hir: &Hir) -> Option<Vec<RunNeed>> {
        let mut needs = Self::of(hir)?;
        for n in &mut needs {
            n.word_only = n.word_max.is_some() && (0..256).all(|b| !n.set[b] || WORD[b]);
        }
        (needs.iter().all(|n| n.min >= MIN_RUN_NEED)).then_some(needs)
    }

    /// Every match of `hir` holds at least one of the returned runs.
    pub(crate) fn of(hir: &Hir) -> Option<Vec<RunNeed>> {
        match hir.kind() {
            HirKind::Class(c) => Some(vec![RunNeed {
                set: Self::byte_set(c)?,
                min: 1,
                then: None,
                word_max: None,
                word_only: false,
            }]),
            HirKind::Repetition(rep) if rep.min == 0 => None,
            HirKind::Repetition(rep) => match rep.sub.kind() {
                HirKind::Class(c) => Some(vec![RunNeed {
                    set: Self::byte_set(c)?,
                    min: rep.min as usize,
                    then: None,
                    word_max: None,
                    word_only: false,
                }]),
                _ => Self::of(&rep.sub),
            },
            HirKind::Capture(cap) => Self::of(&cap.sub),
            // A match holds a match of every part: the part with the longest runs says the most.
            // A run followed by a byte the next part must start with says more than the run alone.
            // A whole word between two word boundaries says more than any run inside it.
            HirKind::Concat(parts) => parts
                .iter()
                .enumerate()
                .filter_map(|(i, part)| {
                    if let Some(need) = Self::word_after(&parts[i..]) {
                        return Some(vec![need]);
                    }
                    match Self::run_then(part, parts.get(i + 1)) {
                        Some(need) => Some(vec![need]),
                        None => Self::of(part),
                    }
                })
                .max_by_key(|needs| {
                    (
                        needs.iter().map(|n| n.min).min().unwrap_or(0),
                        needs
                            .iter()
                            .all(|n| n.then.is_some() || n.word_max.is_some()),
                    )
                }),
            HirKind::Alternation(alts) => {
                let mut all = Vec::new();
                for alt in alts {
                    all.extend(Self::of(alt)?);
                }
                Some(all)
            }
            HirKind::Empty | HirKind::Look(_) | HirKind::Literal(_) => None,
        }
    }

    /// `part` as a run of at least `min` bytes of a class (`min >= 1`) that `next` must follow
    /// with one of the bytes it can start with (a literal's first byte, a class).
    fn run_then(part: &Hir, next: Option<&Hir>) -> Option<RunNeed> {
        let HirKind::Repetition(rep) = part.kind() else {
            return None;
        };
        let HirKind::Class(c) = rep.sub.kind() else {
            return None;
        };
        if rep.min == 0 {
            return None;
        }
        let then = match next?.kind() {
            HirKind::Literal(lit) => {
                let mut set = [false; 256];
                set[*lit.0.first()? as usize] = true;
                set
            }
            HirKind::Class(c) => Self::byte_set(c)?,
            HirKind::Repetition(r) if r.min >= 1 => match r.sub.kind() {
                HirKind::Class(c) => Self::byte_set(c)?,
                _ => return None,
            },
            _ => return None,
        };
        Some(RunNeed {
            set: Self::byte_set(c)?,
            min: rep.min as usize,
            then: Some(then),
            word_max: None,
            word_only: false,
        })
    }

    /// When `parts` opens with a word boundary followed by parts that assert nothing up to the next
    /// word boundary: what they match, from boundary to boundary, as a need (its length is what the
    /// parts allow, and every byte one they can match).
    fn word_after(parts: &[Hir]) -> Option<RunNeed> {
        use regex_syntax::hir::Look;
        let boundary = |h: &Hir, end: bool| match h.kind() {
            HirKind::Look(look) => {
                *look == Look::WordAscii
                    || *look
                        == if end {
                            Look::WordEndAscii
                        } else {
                            Look::WordStartAscii
                        }
            }
            _ => false,
        };
        if !boundary(parts.first()?, false) {
            return None;
        }
        let close = 1 + parts[1..].iter().position(|h| boundary(h, true))?;
        let (mut set, mut min, mut max) = ([false; 256], 0usize, 0usize);
        for part in &parts[1..close] {
            let (s, lo, hi) = Self::word_bytes(part)?;
            (0..256).for_each(|b| set[b] |= s[b]);
            min += lo;
            max = max.saturating_add(hi);
        }
        (min > 0).then_some(RunNeed {
            set,
            min,
            then: None,
            word_max: Some(max),
            word_only: false,
        })
    }

    /// The bytes `hir` may match and the least and most of them (`usize::MAX`: no most); `None`
    /// when it asserts something (a look) or matches non-ASCII characters.
    pub(crate) fn word_bytes(hir: &Hir) -> Option<([bool; 256], usize, usize)> {
        match hir.kind() {
            HirKind::Empty => Some(([false; 256], 0, 0)),
            HirKind::Literal(lit) => {
                let mut set = [false; 256];
                for &b in lit.0.iter() {
                    set[b as usize] = true;
                }
                Some((set, lit.0.len(), lit.0.len()))
            }
            HirKind::Class(c) => Some((Self::byte_set(c)?, 1, 1)),
            HirKind::Capture(cap) => Self::word_bytes(&cap.sub),
            HirKind::Repetition(rep) => {
                let (set, lo, hi) = Self::word_bytes(&rep.sub)?;
                let most = match rep.max {
                    Some(m) => hi.saturating_mul(m as usize),
                    None if hi == 0 => 0,
                    None => usize::MAX,
                };
                Some((set, lo.saturating_mul(rep.min as usize), most))
            }
            HirKind::Concat(parts) | HirKind::Alternation(parts) => {
                let concat = matches!(hir.kind(), HirKind::Concat(_));
                let (mut set, mut lo, mut hi) =
                    ([false; 256], if concat { 0 } else { usize::MAX }, 0usize);
                for part in parts {
                    let (s, l, h) = Self::word_bytes(part)?;
                    (0..256).for_each(|b| set[b] |= s[b]);
                    if concat {
                        lo += l;
                        hi = hi.saturating_add(h);
                    } else {
                        lo = lo.min(l);
                        hi = hi.max(h);
                    }
                }
                Some((set, lo, hi))
            }
            HirKind::Look(_) => None,
        }
    }

    /// The bytes a class matches one at a time; `None` for a class of non-ASCII characters, which
    /// match several bytes each.
    pub(crate) fn byte_set(class: &Class) -> Option<[bool; 256]> {
        let mut set = [false; 256];
        match class {
            Class::Bytes(c) => {
                for r in c.iter() {
                    for b in r.start()..=r.end() {
                        set[b as usize] = true;
                    }
                }
            }
            Class::Unicode(c) => {
                for r in c.iter() {
                    if r.end() > '\x7f' {
                        return None;
                    }
                    for b in r.start() as u8..=r.end() as u8 {
                        set[b as usize] = true;
                    }
                }
            }
        }
        Some(set)
    }
}

/// What a regex's matches may do at a line's end, read off what it can match rather than how its
/// text is spelled (docs/engine.md, "Windows by meaning, second round"). Ordered: a regex is what
/// its most reaching part is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum LineUse {
    /// No match holds a `\n` but through a blank: `\s`, or a class of every blank with a few
    /// other bytes (`[\s'"\\\]]`, an operator's surroundings). "A blank" keeps to the line in a
    /// rule whose matches do (a line window holds no `\n`).
    Blank = 0,
    /// Some match may hold a `\n` through a class of every byte but a few (`[^}]`, `[^"]`,
    /// `[^{}]`): "not a brace" crosses lines by meaning in a JWK written over lines, and means
    /// "the rest of the line" in a rule written for one line. A built-in rule holding one says
    /// which (`lines`, `rules::LinesDecl`); a user's rule reads it as gitleaks does, across lines.
    Negated = 1,
    /// Some match may hold a `\n` by what the regex says outright: a literal `\n` (`\r?\n`,
    /// `\x0a`), a class of every byte (`[\s\S]`, `(?s).`, `[\d\D]`), or a class of line breaks
    /// written out (`[\r\n]`, `[ \t\r\n]`, `[\n,]`: it holds `\n` and not every blank, so its
    /// `\n` is no `\s`'s). The next line is meant.
    Break = 2,
}

/// The ASCII bytes `\s` matches: tab, line feed, vertical tab, form feed, carriage return, space.
const BLANKS: [u8; 6] = [b'\t', b'\n', 0x0b, 0x0c, b'\r', b' '];

/// A class holding this many ASCII bytes or more is a negated one (every byte but a few).
const NEGATED_MIN: usize = 64;

/// `LineUse` of a regex: the most reaching of its parts. A part that may not repeat
/// (`\n{0}`) holds nothing.
pub(crate) fn line_use(hir: &Hir) -> LineUse {
    stretch_line_use(hir, false)
}

/// `line_use` of `hir` repeated (`stretch`: it may match more than one byte in a row) or not. One
/// byte of a negated class is an edge, not a stretch: the value terminators
/// `(?:[^A-Za-z0-9_-]|$)` and leads `(?:^|[^\w])` of ~180 rules take a line's `\n` where a line
/// window has its end, and `$`/`^` hold there.
fn stretch_line_use(hir: &Hir, stretch: bool) -> LineUse {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => LineUse::Blank,
        HirKind::Literal(lit) if lit.0.contains(&b'\n') => LineUse::Break,
        HirKind::Literal(_) => LineUse::Blank,
        HirKind::Class(c) => match class_line_use(c) {
            LineUse::Negated if !stretch => LineUse::Blank,
            other => other,
        },
        HirKind::Repetition(rep) if rep.max == Some(0) => LineUse::Blank,
        HirKind::Repetition(rep) => {
            stretch_line_use(&rep.sub, stretch || rep.max.is_none_or(|m| m > 1))
        }
        HirKind::Capture(cap) => stretch_line_use(&cap.sub, stretch),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts
            .iter()
            .map(|p| stretch_line_use(p, stretch))
            .max()
            .unwrap_or(LineUse::Blank),
    }
}

/// The most line feeds one match of `hir` can hold, searched over a window of lines as a spanning
/// rule's is (every class holding `\n` crosses there, `\s` too); `None` when unbounded. What a
/// rule's `lines = "N"` may not exceed (`N - 1` line ends: `Engine::lines_overcounted`).
pub(crate) fn max_breaks(hir: &Hir) -> Option<u64> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(lit) => Some(lit.0.iter().filter(|&&b| b == b'\n').count() as u64),
        HirKind::Class(Class::Bytes(c)) => Some(u64::from(
            c.iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        )),
        HirKind::Class(Class::Unicode(c)) => Some(u64::from(
            c.iter().any(|r| r.start() <= '\n' && '\n' <= r.end()),
        )),
        HirKind::Repetition(rep) => match (max_breaks(&rep.sub)?, rep.max) {
            (0, _) | (_, Some(0)) => Some(0),
            (n, Some(m)) => n.checked_mul(u64::from(m)),
            (_, None) => None,
        },
        HirKind::Capture(cap) => max_breaks(&cap.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .try_fold(0u64, |sum, p| sum.checked_add(max_breaks(p)?)),
        HirKind::Alternation(parts) => parts
            .iter()
            .try_fold(0u64, |most, p| Some(most.max(max_breaks(p)?))),
    }
}

/// `LineUse` of one class, by its ASCII members (a class of non-ASCII characters holds no `\n`).
fn class_line_use(class: &Class) -> LineUse {
    let mut ascii = [false; 128];
    match class {
        Class::Bytes(c) => c
            .iter()
            .flat_map(|r| r.start()..=r.end().min(0x7f))
            .for_each(|b| ascii[b as usize] = true),
        Class::Unicode(c) => c
            .iter()
            .filter(|r| r.start().is_ascii())
            .flat_map(|r| r.start() as u8..=r.end().min('\x7f') as u8)
            .for_each(|b| ascii[b as usize] = true),
    }
    let held = ascii.iter().filter(|&&b| b).count();
    if !ascii[b'\n' as usize] {
        LineUse::Blank
    } else if held == 128 {
        LineUse::Break
    } else if held >= NEGATED_MIN {
        LineUse::Negated
    } else if BLANKS.iter().all(|&b| ascii[b as usize]) {
        LineUse::Blank
    } else {
        LineUse::Break
    }
}

/// True when every match of `hir` lies on one line and holds one of `keywords` (lower-case, matched
/// ignoring ASCII case as the keyword pass does), and the regex asks nothing of Unicode word
/// boundaries. Then a match is seen whole by the line window of the keyword it holds (which
/// reaches `LINE_REACH` bytes either side of the keyword, or to the line's ends), every assertion
/// inside it reads the same bytes there as in a longer window (the text's edges are line edges
/// in the engine's parse, `on_lines`, and a match lies strictly inside the reach of its
/// keyword's window), and no match reaches from one window into text only a longer one covers: the
/// matches of the line windows are those of 16 KiB windows. The catalog marks a rule as spanning
/// lines by its text (`\n`, `[\s\S`, `(?s`), and the ~230 vendor-context rules say `[^\r\n]`: each of
/// their keyword hits ran the regex, and its run need, over 16 KiB instead of a line. What a line
/// window reaches (`LINE_REACH`) is the engine's: the caller adds that every match is shorter
/// (`Facts::max_len`, `Gate::spans`).
pub(crate) fn keeps_to_line(hir: &Hir, keywords: &[String]) -> bool {
    use regex_syntax::hir::Look;
    let looks = hir.properties().look_set();
    // The text's edges read differently in a line window and a longer one; the engine's parse
    // has none left (`on_lines`), a tree parsed otherwise may.
    let edges_or_unicode = [
        Look::Start,
        Look::End,
        Look::WordUnicode,
        Look::WordUnicodeNegate,
        Look::WordStartUnicode,
        Look::WordEndUnicode,
        Look::WordStartHalfUnicode,
        Look::WordEndHalfUnicode,
    ];
    !edges_or_unicode.iter().any(|&l| looks.contains(l))
        && !matches_newline(hir)
        && holds_keyword(hir, keywords)
}

/// True when some match of `hir` may hold a `\n` byte.
fn matches_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Bytes(c)) => c.iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Class(Class::Unicode(c)) => c.iter().any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Repetition(rep) => rep.max != Some(0) && matches_newline(&rep.sub),
        HirKind::Capture(cap) => matches_newline(&cap.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(matches_newline),
    }
}

/// True when every match of `hir` holds one of `keywords` ignoring ASCII case: spelled out by
/// consecutive literal bytes (a case-insensitive letter is a class of its two cases), in every
/// alternative.
fn holds_keyword(hir: &Hir, keywords: &[String]) -> bool {
    let has = |text: &[u8]| {
        keywords
            .iter()
            .any(|k| !k.is_empty() && text.windows(k.len()).any(|w| w == k.as_bytes()))
    };
    match hir.kind() {
        HirKind::Alternation(alts) => alts.iter().all(|a| holds_keyword(a, keywords)),
        HirKind::Capture(cap) => holds_keyword(&cap.sub, keywords),
        HirKind::Repetition(rep) => rep.min >= 1 && holds_keyword(&rep.sub, keywords),
        HirKind::Concat(parts) => {
            let mut run: Vec<u8> = Vec::new();
            for part in parts {
                if let Some(bytes) = folded_literal(part) {
                    run.extend(bytes);
                } else if !matches!(part.kind(), HirKind::Look(_)) {
                    // A look matches no bytes: the literal run goes on past it.
                    if has(&run) || holds_keyword(part, keywords) {
                        return true;
                    }
                    run.clear();
                }
            }
            has(&run)
        }
        _ => folded_literal(hir).is_some_and(|b| has(&b)),
    }
}

/// The bytes `hir` matches, lower-cased, when it matches exactly one string up to ASCII case.
fn folded_literal(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(lit.0.to_ascii_lowercase()),
        HirKind::Class(c) => {
            let set = RunNeed::byte_set(c)?;
            let bytes: Vec<u8> = (0..=255u8).filter(|&b| set[b as usize]).collect();
            match bytes[..] {
                [b] => Some(vec![b.to_ascii_lowercase()]),
                [u, l] if u.is_ascii_uppercase() && l == u.to_ascii_lowercase() => Some(vec![l]),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A rule's gate facts: what every match must contain, whether every match keeps to its keyword's
/// line (`keeps_to_line`), and the longest match.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Facts {
    pub(crate) needs: Option<Vec<RunNeed>>,
    /// What its matches may do at a line's end (`line_use`).
    pub(crate) line_use: LineUse,
    pub(crate) keeps_to_line: bool,
    pub(crate) max_len: Option<usize>,
}

/// A rule's regex parsed as the engine parses it (`Matcher::build`, and `rules::build_bytes_regex`
/// compiles it): over bytes, empty matches may split a UTF-8 sequence, Unicode off unless the
/// pattern needs it; and its text's edges are line edges (`on_lines`).
pub(crate) fn parse(src: &str) -> Option<Hir> {
    let parse = |unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .unicode(unicode)
            .utf8(false)
            .build()
            .parse(src)
            .ok()
    };
    parse(false)
        .or_else(|| parse(true))
        .map(|hir| on_lines(&hir))
}

/// `hir` with every assertion on the text's ends (`^` and `$` without `m`, `\A`, `\z`) made one on
/// a line's ends (`(?m:^)`, `(?m:$)`: after or before a `\n`, or at the text's ends). A rule's regex
/// runs on a window, not the whole text: its keyword's line for most rules, where the two read
/// the same (a line window holds no `\n`, `windows.rs`), but 16 KiB of lines for a rule whose
/// text says it spans lines (`\n`, `[\s\S`, `(?s`; `Gate::spans`), and then there `$` held
/// only at the window's end, somewhere 16 KiB on, and `^` only at the start of the first of the
/// windows merged. Whether a regex matched a line so depended on how its text is spelled, not on
/// what it matches: generic-key-assignment's `[ \t]*$` after a value found `openai_key: …` on its
/// line, and the same regex with one more operator `[^}\r\n]{0,30}q=` (whose `\n` made it a
/// multi-line rule) did not (docs/engine.md, "Line edges, whatever the window"). Made line
/// edges, they hold at the same places in every window: a window's edge is a line's edge or a
/// cut (a long line's reach), and a cut is an edge in every window the engine opens there.
pub(crate) fn on_lines(hir: &Hir) -> Hir {
    use regex_syntax::hir::{Capture, Look, Repetition};
    match hir.kind() {
        HirKind::Look(Look::Start) => Hir::look(Look::StartLF),
        HirKind::Look(Look::End) => Hir::look(Look::EndLF),
        // Most regexes have none: they are left as they are, not rebuilt.
        _ if !hir.properties().look_set().contains_anchor_haystack() => hir.clone(),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(on_lines(&rep.sub)),
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(on_lines(&cap.sub)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(on_lines).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(on_lines).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
    }
}

impl Facts {
    /// The facts of a rule's regex `src` with its `keywords` (lower-case, as the rule holds them);
    /// `None` when it does not parse.
    pub(crate) fn of(src: &str, keywords: &[String]) -> Option<Facts> {
        Some(Facts::of_hir(&parse(src)?, keywords))
    }

    pub(crate) fn of_hir(hir: &Hir, keywords: &[String]) -> Facts {
        Facts {
            needs: RunNeed::of_hir(hir),
            line_use: line_use(hir),
            keeps_to_line: keeps_to_line(hir, keywords),
            max_len: hir.properties().maximum_len(),
        }
    }
}

/// The built-in rules' facts as build.rs writes them (postcard), filed under a 128-bit hash of
/// the regex and the keywords (`key`): the regexes themselves are in the catalog already, and
/// the table would otherwise hold them a second time (~160 KB of a binary held under 10 MB). The
/// needs' byte sets are few (hex, base64, alphanumerics...), so they are stored once each.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Table {
    /// The parsed regexes (`encode`), one after another: build.rs writes them deflated, apart
    /// from the table, and the engine inflates them the first time it builds a rule's regex.
    #[serde(skip)]
    pub(crate) code: Vec<u8>,
    /// Each rule's check NFA (`nfacode::encode`), deflated one by one against `nfa_dict`, so that
    /// a run inflates only those of the rules it checks: build.rs writes them as they are, apart
    /// from the table.
    #[serde(skip)]
    pub(crate) nfa_code: Vec<u8>,
    /// What every check NFA is deflated against (`pack_nfas`): whole NFAs of the table, ~16 KB.
    /// Deflated alone, an NFA (1.2 KB on average) could point back only into itself; against the
    /// dictionary it points into the states other rules share with it (a class of hex digits, a
    /// word edge, a keyword's case-folded union), and the NFAs take half the bytes.
    #[serde(skip)]
    pub(crate) nfa_dict: Vec<u8>,
    /// Each NFA as `encode` wrote it, until `pack_nfas` deflates them (build.rs's).
    #[serde(skip)]
    nfa_raw: Vec<Vec<u8>>,
    /// Which of `nfa_raw` is the check's NFA of each rule, in the order `add` pushed them, until
    /// `pack_nfas` sets their `nfa` (build.rs's; kept out of `Stored`, which every run decodes).
    #[serde(skip)]
    raw_of: Vec<Option<usize>>,
    sets: Vec<[u8; 32]>,
    /// Sorted by key.
    rules: Vec<([u64; 2], Stored)>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    /// Where the parsed regex lies in `code`: what the engine compiles once a window passes the
    /// need, read back in a fraction of what parsing it costs (`Matcher::build`).
    hir: (u32, u32),
    needs: Option<Vec<StoredNeed>>,
    line_use: u8,
    keeps_to_line: bool,
    max_len: Option<u64>,
    /// Where matches start, relative to the keyword hits (`starts::KeywordStarts`): the reach and
    /// the first bytes' set (an index into `Table::sets`); worked out here because expanding a
    /// regex's openings at a rule's first window was up to ~4M instructions a rule.
    starts: Option<(u8, u16)>,
    /// The strings every match holds (`litneed::LiteralNeed::strings`), likewise.
    literals: Vec<(Vec<u8>, bool)>,
    /// Where the check's NFA (`nfacode`) lies in `Table::nfa_code`, deflated against
    /// `Table::nfa_dict` after its inflated length (`engine::inflate_nfa`): `None` when it could not be compiled or written.
    nfa: Option<(u32, u32)>,
    /// Whether the rest's (and so the widened rest's) shortest match is longer than empty: with no
    /// `starts`, whether the rule is located (`Matcher::locates`), known without reading its tree.
    nonempty: bool,
}

/// What `Table::hir` reads back for a built-in rule: its parsed regex, and what `Matcher::build`
/// would work out from it.
pub(crate) struct Built<'c> {
    /// The parsed regex as `encode` wrote it: read back (`decode_with`) only when the rule's check
    /// or regex is first built, widened for the check.
    pub(crate) code: &'c [u8],
    pub(crate) starts: Option<super::starts::KeywordStarts>,
    pub(crate) literals: Vec<(Vec<u8>, bool)>,
    /// The check's NFA as build.rs compiled it (`nfacode::encode`), deflated against the shared
    /// dictionary after its inflated length: inflated (`engine::inflate_nfa`) and put back
    /// together when the check is first built.
    pub(crate) nfa: Option<&'c [u8]>,
    /// `Stored::nonempty`.
    pub(crate) nonempty: bool,
}

/// A `RunNeed` as stored: its byte sets as indexes into `Table::sets`.
#[derive(Debug, Serialize, Deserialize)]
struct StoredNeed {
    set: u16,
    min: u32,
    then: Option<u16>,
    word_max: Option<u64>,
    word_only: bool,
}

// build.rs's (the engine only reads the table).
#[allow(dead_code)]
fn to_bits(set: &[bool; 256]) -> [u8; 32] {
    let mut bits = [0u8; 32];
    for (b, &on) in set.iter().enumerate() {
        bits[b / 8] |= u8::from(on) << (b % 8);
    }
    bits
}

fn from_bits(bits: &[u8; 32]) -> [bool; 256] {
    std::array::from_fn(|b| bits[b / 8] >> (b % 8) & 1 == 1)
}

/// `raw` deflated (raw deflate, best compression) with `dict` as the window it starts from.
// build.rs's.
#[allow(dead_code)]
fn deflate_against(raw: &[u8], dict: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    let mut c = Compress::new(Compression::best(), false);
    if !dict.is_empty() {
        c.set_dictionary(dict)
            .expect("a raw deflate stream takes a dictionary");
    }
    let mut out = Vec::with_capacity(raw.len() + 64);
    loop {
        let read = usize::try_from(c.total_in()).expect("under 4 GiB");
        match c.compress_vec(&raw[read..], &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => return out,
            Ok(_) => out.reserve(out.capacity().max(64)),
            Err(e) => panic!("deflate: {e}"),
        }
    }
}

/// Two FNV-1a hashes of the regex and the keywords, one over their bytes forwards and one
/// backwards: 128 bits, so that two of the ~1,000 regexes a run may hold share a key with a
/// chance of about 10^-33.
pub(crate) fn key(src: &str, keywords: &[String]) -> [u64; 2] {
    // The bytes are the regex's, a 0xff, then each keyword's and a 0. Hashed where they lie, one
    // slice at a time in each direction: collected into a vector and reversed, through a `dyn`
    // iterator, it was ~26k instructions a rule (a regex runs to kilobytes), 6M of openai-python's
    // scan (docs/engine.md, "Stop 26"). The same values: build.rs's table is filed under them.
    const START: u64 = 0xcbf2_9ce4_8422_2325;
    fn step(h: u64, b: u8) -> u64 {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }
    let mut forwards = src.bytes().fold(START, step);
    forwards = step(forwards, 0xff);
    for k in keywords {
        forwards = step(k.bytes().fold(forwards, step), 0);
    }
    let mut backwards = START;
    for k in keywords.iter().rev() {
        backwards = k.bytes().rev().fold(step(backwards, 0), step);
    }
    backwards = step(backwards, 0xff);
    backwards = src.bytes().rev().fold(backwards, step);
    [forwards, backwards]
}

impl Table {
    /// Adds the facts of the regex `src` with `keywords`; false when it does not parse. (build.rs's,
    /// as `finish` is.)
    #[allow(dead_code)]
    pub(crate) fn add(&mut self, src: &str, keywords: &[String]) -> bool {
        let Some(hir) = parse(src) else {
            return false;
        };
        let facts = Facts::of_hir(&hir, keywords);
        let starts = super::starts::KeywordStarts::of_regex(&hir, keywords);
        let literals = super::litneed::LiteralNeed::strings(&hir, keywords);
        let start = self.code.len();
        encode(&hir, &mut self.code);
        let at = |n: usize| u32::try_from(n).expect("under 4 GiB of parsed regexes");
        let hir = (at(start), at(self.code.len()));
        let (_, wide) = split_code(&self.code[start..], true).expect("encoded just above");
        let nonempty = wide.properties().minimum_len().is_some_and(|n| n > 0);
        let raw_nfa = self.add_nfa(&wide);
        let mut set_of = |set: &[bool; 256]| {
            let bits = to_bits(set);
            let i = match self.sets.iter().position(|s| *s == bits) {
                Some(i) => i,
                None => {
                    self.sets.push(bits);
                    self.sets.len() - 1
                }
            };
            u16::try_from(i).expect("fewer than 65,536 byte sets")
        };
        let needs = facts.needs.map(|needs| {
            needs
                .iter()
                .map(|n| StoredNeed {
                    set: set_of(&n.set),
                    min: u32::try_from(n.min).expect("a run need under 4G"),
                    then: n.then.as_ref().map(&mut set_of),
                    word_max: n.word_max.map(|m| m as u64),
                    word_only: n.word_only,
                })
                .collect()
        });
        let starts = starts.map(|s| {
            let reach = u8::try_from(s.reach).expect("a start's reach under 256");
            (reach, set_of(&s.first))
        });
        let stored = Stored {
            hir,
            needs,
            line_use: facts.line_use as u8,
            keeps_to_line: facts.keeps_to_line,
            max_len: facts.max_len.map(|n| n as u64),
            starts,
            literals,
            nfa: None,
            nonempty,
        };
        self.rules.push((key(src, keywords), stored));
        self.raw_of.push(raw_nfa);
        true
    }

    /// Compiles the check's NFA of the widened rest `wide` as `matcher::widened_dfa` does and
    /// keeps its code (`nfacode::encode`) for `pack_nfas`: its index, or `None` when it cannot be
    /// compiled (the engine then tries, and fails, as it would have).
    #[allow(dead_code)]
    fn add_nfa(&mut self, wide: &Hir) -> Option<usize> {
        let nfa = regex_automata::nfa::thompson::Compiler::new()
            .configure(super::nfacode::config(super::nfacode::SIZE_LIMIT))
            .build_from_hir(wide)
            .ok()?;
        let mut raw = Vec::new();
        if !super::nfacode::encode(&nfa, &mut raw) {
            return None;
        }
        self.nfa_raw.push(raw);
        Some(self.nfa_raw.len() - 1)
    }

    /// The dictionary (`nfa_dict`) and each check NFA deflated against it, after its inflated
    /// length (four bytes, little-endian), one after another in `nfa_code`. The dictionary is
    /// whole NFAs of up to 4 KB taken at even steps through the table, about 16 KB of them: the
    /// states rules share lie in many NFAs, so whole NFAs from all over the table serve best (the
    /// heads of NFAs, or the stretches richest in strings most NFAs hold, left the table 1.3-1.8x
    /// larger; docs/engine.md, "Stop 45").
    /// Called before `finish` (build.rs's).
    #[allow(dead_code)]
    pub(crate) fn pack_nfas(&mut self) {
        const DICT: usize = 16 * 1024;
        const LONGEST: usize = 4 * 1024;
        let candidates: Vec<&Vec<u8>> =
            self.nfa_raw.iter().filter(|r| r.len() <= LONGEST).collect();
        if !candidates.is_empty() {
            let mean = candidates.iter().map(|r| r.len()).sum::<usize>() / candidates.len();
            let step = (candidates.len() / (DICT / mean.max(1)).max(1)).max(1);
            let mut dict = Vec::new();
            for r in candidates.iter().step_by(step) {
                if dict.len() + r.len() > DICT {
                    break;
                }
                dict.extend_from_slice(r);
            }
            self.nfa_dict = dict;
        }
        let mut at = Vec::with_capacity(self.nfa_raw.len());
        for raw in &self.nfa_raw {
            let start = self.nfa_code.len();
            let len = u32::try_from(raw.len()).expect("an NFA under 4 GiB");
            self.nfa_code.extend(len.to_le_bytes());
            self.nfa_code.extend(deflate_against(raw, &self.nfa_dict));
            let pos = |n: usize| u32::try_from(n).expect("under 4 GiB of NFAs");
            at.push((pos(start), pos(self.nfa_code.len())));
        }
        assert_eq!(
            self.raw_of.len(),
            self.rules.len(),
            "packed before `finish`"
        );
        for ((_, stored), raw) in self.rules.iter_mut().zip(&self.raw_of) {
            stored.nfa = raw.map(|i| at[i]);
        }
    }

    /// Sorts the rules by key, one entry per key.
    #[allow(dead_code)]
    pub(crate) fn finish(&mut self) {
        self.rules.sort_by_key(|(k, _)| *k);
        self.rules.dedup_by_key(|(k, _)| *k);
    }

    fn stored(&self, src: &str, keywords: &[String]) -> Option<&Stored> {
        let key = key(src, keywords);
        let i = self.rules.binary_search_by_key(&key, |(k, _)| *k).ok()?;
        Some(&self.rules[i].1)
    }

    /// The parsed regex filed for the regex `src` with `keywords`, if it is one of the table's:
    /// read from `code`, the table's `code` as build.rs wrote it.
    /// With it, where its matches start (`starts::KeywordStarts`) and the strings they hold
    /// (`litneed`), as `Matcher::build` would work them out from that regex.
    pub(crate) fn hir<'c>(
        &self,
        src: &str,
        keywords: &[String],
        code: &'c [u8],
        nfa_code: &'c [u8],
    ) -> Option<Built<'c>> {
        let stored = self.stored(src, keywords)?;
        let (start, end) = stored.hir;
        let code = code.get(start as usize..end as usize)?;
        let starts = stored
            .starts
            .map(|(reach, first)| super::starts::KeywordStarts {
                reach: usize::from(reach),
                first: from_bits(&self.sets[usize::from(first)]),
            });
        let nfa = stored
            .nfa
            .and_then(|(start, end)| nfa_code.get(start as usize..end as usize));
        Some(Built {
            code,
            starts,
            literals: stored.literals.clone(),
            nfa,
            nonempty: stored.nonempty,
        })
    }

    /// The facts filed for the regex `src` with `keywords`, if it is one of the table's.
    pub(crate) fn facts(&self, src: &str, keywords: &[String]) -> Option<Facts> {
        let stored = self.stored(src, keywords)?;
        let set = |i: u16| from_bits(&self.sets[usize::from(i)]);
        Some(Facts {
            needs: stored.needs.as_ref().map(|needs| {
                needs
                    .iter()
                    .map(|n| RunNeed {
                        set: set(n.set),
                        min: n.min as usize,
                        then: n.then.map(set),
                        word_max: n.word_max.map(|m| usize::try_from(m).unwrap_or(usize::MAX)),
                        word_only: n.word_only,
                    })
                    .collect()
            }),
            line_use: match stored.line_use {
                0 => LineUse::Blank,
                1 => LineUse::Negated,
                _ => LineUse::Break,
            },
            keeps_to_line: stored.keeps_to_line,
            max_len: stored
                .max_len
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        })
    }
}

/// A rule's gate as the engine holds it (`Engine::gate`).
#[derive(Debug)]
pub(crate) struct Gate {
    /// What every match must contain (see `RunNeed`): a window that holds none of these is left
    /// before the regex is parsed.
    pub(crate) needs: Option<Vec<RunNeed>>,
    /// What its regex's matches may do at a line's end (`line_use`).
    pub(crate) line_use: LineUse,
    /// Every match lies on one line, holds one of the rule's keywords and is shorter than
    /// `line_reach` (`keeps_to_line`): line windows see it whole, whatever the rule says.
    pub(crate) one_line: bool,
    /// Its windows reach past its keyword's line (`Gate::spans`).
    pub(crate) spans: bool,
    /// The regex is read by hand (`assign`), which asks no need.
    pub(crate) assign: bool,
    /// Its regex's text says `\n`, `[\s\S` or `(?s` (`engine::long_reach`; set by the engine,
    /// `new` leaves it false).
    pub(crate) long_reach: bool,
}

impl Gate {
    /// The gate of a rule with `facts`, whose `lines` key (or `s` flag) says `many` (`Some(true)`
    /// for "many", `Some(false)` for "one": `rules::Lines`, which build.rs, including this file,
    /// does not know).
    pub(crate) fn new(facts: Facts, line_reach: usize, assign: bool, many: Option<bool>) -> Gate {
        let one_line = facts.keeps_to_line && facts.max_len.is_some_and(|n| n < line_reach);
        Gate {
            needs: facts.needs,
            one_line,
            line_use: facts.line_use,
            spans: Gate::spans(many, facts.line_use, one_line),
            assign,
            long_reach: false,
        }
    }

    /// Whether a rule's windows reach past its keyword's line: as its `lines` (or `s` flag) says,
    /// else when its regex can match a `\n` by more than a blank (`LineUse::Negated`: a user's
    /// `[^"]*` crosses lines as in gitleaks, which matches over the whole text; a built-in rule
    /// with one says `lines`, `examples::check`); never when every match keeps to the line anyway
    /// (`one_line`). A `\s` or `[^}\r\n]` no longer sends a rule to 16 KiB windows, where its
    /// `\s` crossed lines (docs/engine.md, "Windows by meaning, second round").
    pub(crate) fn spans(many: Option<bool>, line_use: LineUse, one_line: bool) -> bool {
        !one_line && many.unwrap_or(line_use >= LineUse::Negated)
    }
}

// A parsed regex as bytes: a tag per node, then its fields, numbers as LEB128. Read back through
// `Hir`'s own constructors, which give back the same `Hir` (its properties included) from the
// parts of one that they built: checked for every built-in rule
// (`engine::tests::every_built_in_rules_gate_from_build_rs_is_the_one_its_parse_gives`).
const EMPTY: u8 = 0;
const LITERAL: u8 = 1;
const BYTES: u8 = 2;
const UNICODE: u8 = 3;
const LOOK: u8 = 4;
const REPETITION: u8 = 5;
const CAPTURE: u8 = 6;
const CONCAT: u8 = 7;
const ALTERNATION: u8 = 8;

/// `n` as a varint (seven bits a byte, low first, the high bit set on all but the last): the
/// number format of the trees' code here and of the NFAs' (`nfacode`).
pub(crate) fn put(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The varint `put` wrote at the start of `code`, which it moves past; `None` at the end of
/// `code` or past 64 bits.
pub(crate) fn take(code: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = code.split_first()?;
        *code = rest;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

fn take_u32(code: &mut &[u8]) -> Option<u32> {
    u32::try_from(take(code)?).ok()
}

/// Appends `hir` to `out`.
#[allow(dead_code)]
pub(crate) fn encode(hir: &Hir, out: &mut Vec<u8>) {
    match hir.kind() {
        HirKind::Empty => out.push(EMPTY),
        HirKind::Literal(lit) => {
            out.push(LITERAL);
            put(out, lit.0.len() as u64);
            out.extend_from_slice(&lit.0);
        }
        HirKind::Class(Class::Bytes(c)) => {
            out.push(BYTES);
            put(out, c.ranges().len() as u64);
            for r in c.iter() {
                out.extend([r.start(), r.end()]);
            }
        }
        HirKind::Class(Class::Unicode(c)) => {
            out.push(UNICODE);
            put(out, c.ranges().len() as u64);
            for r in c.iter() {
                put(out, u64::from(u32::from(r.start())));
                put(out, u64::from(u32::from(r.end())));
            }
        }
        HirKind::Look(look) => {
            out.push(LOOK);
            put(out, u64::from(look.as_repr()));
        }
        HirKind::Repetition(rep) => {
            out.push(REPETITION);
            put(out, u64::from(rep.min));
            // The maximum plus one, 0 for none.
            put(out, rep.max.map_or(0, |m| u64::from(m) + 1));
            out.push(u8::from(rep.greedy));
            encode(&rep.sub, out);
        }
        HirKind::Capture(cap) => {
            out.push(CAPTURE);
            put(out, u64::from(cap.index));
            let name = cap.name.as_deref().map(str::as_bytes);
            // The name's length plus one, 0 for none.
            put(out, name.map_or(0, |n| n.len() as u64 + 1));
            out.extend_from_slice(name.unwrap_or_default());
            encode(&cap.sub, out);
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            out.push(if matches!(hir.kind(), HirKind::Concat(_)) {
                CONCAT
            } else {
                ALTERNATION
            });
            put(out, subs.len() as u64);
            for sub in subs {
                encode(sub, out);
            }
        }
    }
}

/// A built-in rule's regex read back from `code` (`gate::encode`) as `Lead::split` splits the parse:
/// its lead, if any, and the rest, widened as it is read with `widen` (`gate::decode_with`). The
/// lead is the concatenation's first part, read as it is (widening would unbound its count), and
/// only a lead when the rest cannot match empty, which widening does not change (it raises
/// maximums only). `every_built_in_rules_check_read_widened_is_the_widened_rest` checks both reads
/// against `Lead::split` and `widened` for every built-in rule.
pub(crate) fn split_code(code: &[u8], widen: bool) -> Option<(Option<super::starts::Lead>, Hir)> {
    use super::starts::Lead;
    let mut parts_code = code;
    if let Some(n) = concat_parts(&mut parts_code).filter(|&n| n >= 2) {
        let first = decode_with(&mut parts_code, false)?;
        if let Some(lead) = Lead::of_first(&first) {
            let mut parts = Vec::with_capacity(n - 1);
            for _ in 1..n {
                parts.push(decode_with(&mut parts_code, widen)?);
            }
            if !parts_code.is_empty() {
                return None;
            }
            let rest = Hir::concat(parts);
            if rest.properties().minimum_len().is_some_and(|n| n > 0) {
                return Some((Some(lead), rest));
            }
        }
    }
    let mut code = code;
    let hir = decode_with(&mut code, widen).filter(|_| code.is_empty())?;
    Some((None, hir))
}

/// Reads one `Hir` off the front of `code`; `None` when it is not one `encode` wrote.
pub(crate) fn decode(code: &mut &[u8]) -> Option<Hir> {
    decode_with(code, false)
}

/// Counted repetitions with a maximum of at least this many rounds (and more than their minimum)
/// are made open-ended in a rule's check (`matcher::widened`).
pub(crate) const WIDEN_FROM: u32 = 16;

/// A counted repetition's maximum as the check has it (`matcher::widened`): none where it is at
/// least `WIDEN_FROM` and more than the minimum.
pub(crate) fn widened_max(min: u32, max: Option<u32>) -> Option<u32> {
    max.filter(|&m| !(m >= WIDEN_FROM && m > min))
}

/// When `code` opens with a concatenation: reads its tag and its number of parts off the front,
/// leaving the parts.
pub(crate) fn concat_parts(code: &mut &[u8]) -> Option<usize> {
    let (&tag, mut rest) = code.split_first()?;
    if tag != CONCAT {
        return None;
    }
    let n = take(&mut rest)? as usize;
    *code = rest;
    Some(n)
}

/// `decode`, or with `widen` the tree widened as it is read (`matcher::widened`'s tree, built
/// once: a rule's check compiles the widened tree, and widening the decoded one rebuilt every node
/// a second time, ~137k instructions a rule; docs/engine.md, "Stop 37").
pub(crate) fn decode_with(code: &mut &[u8], widen: bool) -> Option<Hir> {
    use regex_syntax::hir::{
        Capture, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Look, Repetition,
    };
    let (&tag, rest) = code.split_first()?;
    *code = rest;
    // The next `n` bytes, borrowed: a class's ranges and a repetition's flag are read in place,
    // not copied into a buffer of their own first (an allocation per class and per repetition of
    // every tree read back; docs/engine.md, "Stop 41").
    fn bytes<'c>(code: &mut &'c [u8], n: usize) -> Option<&'c [u8]> {
        let (taken, rest) = (code.get(..n)?, code.get(n..)?);
        *code = rest;
        Some(taken)
    }
    Some(match tag {
        EMPTY => Hir::empty(),
        LITERAL => {
            let n = take(code)? as usize;
            Hir::literal(bytes(code, n)?.to_vec())
        }
        BYTES => {
            let n = take(code)? as usize;
            let pairs = bytes(code, 2 * n)?;
            let ranges = pairs.chunks(2).map(|p| ClassBytesRange::new(p[0], p[1]));
            Hir::class(Class::Bytes(ClassBytes::new(ranges)))
        }
        UNICODE => {
            let n = take(code)? as usize;
            let mut ranges = Vec::with_capacity(n);
            for _ in 0..n {
                let start = char::from_u32(take_u32(code)?)?;
                let end = char::from_u32(take_u32(code)?)?;
                ranges.push(ClassUnicodeRange::new(start, end));
            }
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        LOOK => Hir::look(Look::from_repr(take_u32(code)?)?),
        REPETITION => {
            let min = take_u32(code)?;
            let max = match take_u32(code)? {
                0 => None,
                m => Some(m - 1),
            };
            let max = if widen { widened_max(min, max) } else { max };
            let greedy = bytes(code, 1)?[0] == 1;
            let sub = Box::new(decode_with(code, widen)?);
            Hir::repetition(Repetition {
                min,
                max,
                greedy,
                sub,
            })
        }
        CAPTURE => {
            let index = take_u32(code)?;
            let name = match take(code)? as usize {
                0 => None,
                n => Some(
                    String::from_utf8(bytes(code, n - 1)?.to_vec())
                        .ok()?
                        .into_boxed_str(),
                ),
            };
            let sub = Box::new(decode_with(code, widen)?);
            Hir::capture(Capture { index, name, sub })
        }
        CONCAT | ALTERNATION => {
            let n = take(code)? as usize;
            let mut subs = Vec::with_capacity(n.min(code.len()));
            for _ in 0..n {
                subs.push(decode_with(code, widen)?);
            }
            if tag == CONCAT {
                Hir::concat(subs)
            } else {
                Hir::alternation(subs)
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `key` as it was first written (the bytes collected, reversed, hashed through an iterator):
    /// the values build.rs's table is filed under must not change with how they are worked out.
    fn key_by_copy(src: &str, keywords: &[String]) -> [u64; 2] {
        let bytes = || {
            src.bytes()
                .chain([0xff])
                .chain(keywords.iter().flat_map(|k| k.bytes().chain([0])))
        };
        let fnv = |it: &mut dyn Iterator<Item = u8>| {
            it.fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        };
        let forwards = fnv(&mut bytes());
        let mut all: Vec<u8> = bytes().collect();
        all.reverse();
        [forwards, fnv(&mut all.into_iter())]
    }

    #[test]
    fn a_regex_and_its_keywords_hash_to_the_key_they_were_filed_under() {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let mut n = 0;
        for rule in &set.rules {
            let Some(re) = rule.regex.as_ref() else {
                continue;
            };
            for keywords in [
                &rule.keywords[..],
                &[],
                &rule.keywords[..rule.keywords.len() / 2],
            ] {
                assert_eq!(
                    key(re.as_str(), keywords),
                    key_by_copy(re.as_str(), keywords),
                    "{}",
                    rule.id
                );
                n += 1;
            }
        }
        for (src, kws) in [
            ("", vec![]),
            ("", vec![String::new()]),
            ("a", vec!["b".into(), "".into()]),
        ] {
            assert_eq!(key(src, &kws), key_by_copy(src, &kws));
        }
        assert!(n > 2000, "{n} keys");
    }

    fn use_of(src: &str) -> LineUse {
        line_use(&parse(src).unwrap_or_else(|| panic!("{src}: does not parse")))
    }

    #[test]
    fn a_regex_crosses_lines_by_what_it_can_match_not_by_how_it_is_spelled() {
        // The next line, said outright: a literal line feed however written, a class of every
        // byte, a class of line breaks written out (its `\n` is no `\s`'s).
        for src in [
            r"BEGIN\nMII",
            r"BEGIN\r?\nMII",
            r"BEGIN(?:\r\n|\n)MII",
            r"BEGIN\x0aMII",
            r"BEGIN\x{A}MII",
            "BEGIN\nMII",
            r"key[\s\S]{0,40}value",
            r"key[\S\s]*?value",
            r"key[\d\D]{0,40}value",
            r"key(?s:.){0,40}value",
            r"(?is)key.{0,40}value",
            r"key[\r\n]+value",
            r"key[ \t\r\n]*value",
            r"key[\n,]value",
            r"key[\t-\r]value",
        ] {
            assert_eq!(use_of(src), LineUse::Break, "{src}");
        }
        // A stretch of every byte but a few: crosses lines by meaning in a JWK written over
        // several, reads the rest of a line in a rule written for one.
        for src in [
            r"kty[^{}]{0,2000}?d",
            r"kty[^}]*d",
            r#"key[^"]+value"#,
            r#"key[^;"']*;"#,
            r"key[^}\r]{0,20}?q=",
            r"key(?:[^}]|x){2}v",
        ] {
            assert_eq!(use_of(src), LineUse::Negated, "{src}");
        }
        // A blank: `\s` and the classes of every blank with a few other bytes (an operator's
        // surroundings); a negated class that leaves out `\n`; one byte of a negated class (a
        // value's terminator or lead, at a line's end where a line window has `$`); `.`.
        for src in [
            r"key\s*=\s*(\w{20})",
            r"key[\s]*=(\w{20})",
            r"key[[:space:]]*=(\w{20})",
            r#"key[\s'"\\\]]{0,4}=[\x60'"\\\s=]{0,5}(\w{20})"#,
            r"(?u)key\s*=(\w{20})",
            r"key[^}\r\n]{0,30}=(\w{20})",
            r"key[^\r\n]{0,40}(\w{20})",
            r#"key[^"\n]{0,30}(\w{20})"#,
            r"key.{0,40}(\w{20})",
            r"key=(\w{20})(?:[^A-Za-z0-9_-]|$)",
            r"(?:^|[^\w])key=(\w{20})",
            r"key[^a-z]?(\w{20})",
            r"key\n{0}=(\w{20})",
            r"(?m)^key=(\w{20})$",
            r"(?s)(?-s)key.{0,40}(\w{20})",
        ] {
            assert_eq!(use_of(src), LineUse::Blank, "{src}");
        }
    }

    #[test]
    fn max_breaks_counts_the_line_feeds_a_match_can_hold() {
        let most = |src: &str| max_breaks(&parse(src).unwrap());
        assert_eq!(most(r"key=(\w+)"), Some(0));
        assert_eq!(most(r"[^\n]*x\s{0}"), Some(0));
        assert_eq!(most(r"a\r?\nb"), Some(1));
        assert_eq!(most("a\nb\nc"), Some(2));
        assert_eq!(most(r"a(?:,\s?|\r?\n[ \t]*)b"), Some(1));
        assert_eq!(most(r"a\s{0,3}b[\r\n]{2}"), Some(5));
        assert_eq!(most(r"(?:x\n|y\n\n)z"), Some(2));
        assert_eq!(most(r"(?s)a.{0,4}"), Some(4));
        assert_eq!(most(r"(?m)^a$\n"), Some(1));
        assert_eq!(most(r"a\s*b"), None);
        assert_eq!(most(r"a[^}]+b"), None);
        assert_eq!(most(r"(?:\n\w*)+"), None);
        // `env-list-secret`'s name and value: one line end, so two lines (`lines = "2"`).
        let rule = crate::rules::RuleSet::builtin()
            .unwrap()
            .rules
            .into_iter()
            .find(|r| &*r.id == "env-list-secret")
            .unwrap();
        assert_eq!(most(rule.regex.as_ref().unwrap().as_str()), Some(1));
    }

    #[test]
    fn a_rule_spans_lines_as_it_says_else_as_its_regex_can_match() {
        let spans = |many, src: &str| {
            let facts = Facts::of(src, &["key".to_string()]).unwrap();
            Gate::new(facts, 1024, false, many).spans
        };
        // By the regex: a line break or a negated stretch (a user's `[^"]*` crosses lines as in
        // gitleaks), not a blank.
        assert!(spans(None, r"key[\s\S]{0,40}(\w{20})"));
        assert!(spans(None, r#"key[^"]{0,40}"(\w{20})"#));
        assert!(!spans(None, r"key\s*=\s*(\w{20})"));
        assert!(!spans(None, r"key[^}\r\n]{0,30}\s*=\s*(\w{20})"));
        // As the rule says, whatever the regex.
        assert!(!spans(Some(false), r#"key[^"]{0,40}"(\w{20})"#));
        assert!(spans(Some(true), r"key\s*\{\s*user\s*=\s*(\w{20})"));
        // Never when every match keeps to the line and is shorter than its reach.
        assert!(!spans(Some(true), r"key=(\w{20})"));
    }
}
