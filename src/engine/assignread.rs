//! The generic assignment rules read by hand: a name's keyword, the lead-in to its value (closing
//! quotes, a type annotation, a C# property's accessors, an operator, a constructor; a call's next
//! argument; an XML `value=`), a fallback expression and the value in one of its forms, walked
//! once from each place a match can start instead of searched with the rule's regex
//! (docs/engine.md, "The pathological input, twelfth round").
//!
//! `generic-secret-assignment` reads most lines of keyword-dense code: at every keyword hit its
//! regex was searched anchored (a lazy DFA whose counted runs — a 30-byte type annotation, an
//! 80-byte fallback, 200-byte values — keep meeting states it has not built), and every match's
//! groups were resolved again by the bounded backtracker over the match's span.
//!
//! Exactness. The reader is used only for the regex it was written for, compared byte for byte
//! with the rule's pattern (`AssignRead::of`): a user's config that replaces the rule, or a
//! catalog edit that changes it, puts the rule back on the regex path. The places a match can
//! start are the engine's own (`KeywordStarts::next_candidate` over the rule's keyword hits,
//! tried in order; the name before the keyword by `Lead::start`), as the regex path does. At a
//! start the reader is a backtracking matcher of the rest of the regex: each piece offers its
//! ends in the order the regex's priorities try them (greedy: longest first, an optional piece
//! taken before it is skipped; lazy: shortest first; alternatives in the order written) and the
//! first path that reaches the pattern's end is the match, as leftmost-first semantics define
//! it. Where a run is followed by a piece whose first byte the run's class cannot hold, only
//! its longest length can be followed by that piece, and only that one is tried (each such place
//! says why). `generic_secret_matches_are_the_regex_matches` compares every match and its
//! value's group with the `regex` crate on random lines of hits and near misses of every form
//! and on the repository's fixtures.

use super::starts::{KeywordStarts, Lead};

/// `generic-secret-assignment`'s regex (rules/generic.toml), with the grammar's fragments
/// written out as build.rs writes them.
pub(super) const GENERIC_SECRET: &str = r#"(?i:[\w.-]{0,40}?(?:password|passwd|passphrase|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|credentials?))(?:(?:\\?["']\]?\s*,(?:\s*(?:default|fallback)\s*=)?|["']\s+value\s*=|\\?["']?\]?(?:\s*:\s*&?(?:'static\s+)?[A-Za-z_][\w.\[\]<>, |]{0,30}?)?(?:[ \t]*\{[ \t]*get;[^}\r\n]{0,30}\})?\s*(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?)\s*(?:[A-Za-z_][\w.]{0,40}(?:\(\))?(?:\.[A-Za-z_]\w*)?\(\s*(?:"([^"\s\\]{10,200})"|'([^'\s\\]{10,200})')\s*\)|(?:[\w.$\[\]"'()]{1,80}?\s*(?:\|\||\?\?|\bor\b)\s*)?(?:[bBrRuU]?\\?"(?:"")?([^"\s\\]{10,200})\\?"|[bBrRuU]?'(?:'')?([^'\s\\]{10,200})'|`([^`\s\\]{10,200})`|([A-Za-z0-9_+/=~!@%^*.&#-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#-]*)(?:\s*$|\s+#|\s+//|\s*;\s*$|[ \t]+\\$)))|>([^<>\s"']{10,200})</|=([A-Za-z0-9_+/=~!@%^*.&#-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#-]*)(?:(?:\x5cn)?["']\s*(?:,|\)\s*;?)?\s*$|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|=([A-Za-z0-9_+/~!@%^*.#-]*[0-9][A-Za-z0-9_+/~!@%^*.#-]*)&[A-Za-z_][\w.-]{0,30}=)"#;

/// The regexes read by hand here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AssignRead {
    /// `GENERIC_SECRET`.
    GenericSecret,
}

/// One match: the whole match's span (from the name's start) and its value's (the group that
/// matched), in the haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub value: (usize, usize),
}

/// A match of the rest after the keyword: where it ends and its value's span.
type Tail = (usize, (usize, usize));

impl AssignRead {
    /// The hand reader of a rule's regex `src`, if there is one for exactly that pattern.
    pub(super) fn of(src: &str) -> Option<AssignRead> {
        (src == GENERIC_SECRET).then_some(AssignRead::GenericSecret)
    }

    /// Every match in `hay`, leftmost first, each search resuming at the last match's end: what
    /// `captures_iter` yields, found as the regex path finds it with keyword hits
    /// (`Matcher::next_match`): the candidates `starts` gives for `hits` (positions in the text,
    /// `base` being where `hay` starts) are tried in order, the first where the rest matches
    /// anchored is the match, and `lead` moves its start back over the name.
    pub(super) fn for_each(
        self,
        hay: &[u8],
        starts: &KeywordStarts,
        hits: &[usize],
        base: usize,
        lead: &Lead,
        mut f: impl FnMut(Found),
    ) {
        let AssignRead::GenericSecret = self;
        let mut tried = 0;
        loop {
            let from = tried;
            let mut found = None;
            while let Some(c) = starts.next_candidate(hay, hits, base, &mut tried) {
                if let Some((end, value)) = rest_at(hay, c) {
                    found = Some((c, end, value));
                    break;
                }
            }
            let Some((c, end, value)) = found else {
                return;
            };
            // No match is empty (it holds a keyword): the next search starts at its end.
            tried = end;
            f(Found {
                start: lead.start(hay, from, c),
                end,
                value,
            });
        }
    }
}

/// The byte at `i`, if any.
fn at(h: &[u8], i: usize) -> Option<u8> {
    h.get(i).copied()
}

/// `\s` over ASCII (the pattern is parsed with Unicode off, as the engine parses it).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_quote(b: Option<u8>) -> bool {
    matches!(b, Some(b'"' | b'\''))
}

/// Past the longest run of `\s` from `i`.
fn skip_ws(h: &[u8], mut i: usize) -> usize {
    while i < h.len() && is_space(h[i]) {
        i += 1;
    }
    i
}

/// Past the longest run of `[ \t]` from `i`.
fn skip_blank(h: &[u8], mut i: usize) -> usize {
    while i < h.len() && matches!(h[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// The length of the run of bytes in `class` from `i`, counted up to `cap + 1` at most.
fn run(h: &[u8], i: usize, cap: usize, class: impl Fn(u8) -> bool) -> usize {
    let mut n = 0;
    while n <= cap && i + n < h.len() && class(h[i + n]) {
        n += 1;
    }
    n
}

fn starts_with(h: &[u8], i: usize, lit: &[u8]) -> bool {
    h.len() >= i + lit.len() && &h[i..i + lit.len()] == lit
}

/// `$` as the engine reads it (`gate::on_lines`): the text's end or before a `\n`.
fn is_eol(h: &[u8], i: usize) -> bool {
    i == h.len() || h[i] == b'\n'
}

/// `\s*$` from `a`: greedy, so the farthest place in the run of `\s` from `a` where a line ends
/// (the run's end when it is the text's, else its last `\n`).
fn eol_after_ws(h: &[u8], a: usize) -> Option<usize> {
    let w = skip_ws(h, a);
    if w == h.len() {
        return Some(w);
    }
    memchr::memrchr(b'\n', &h[a..w]).map(|k| a + k)
}

/// An optional `b` at `i`, greedy: `i + 1` (when `b` is there), then `i`.
fn opt_byte(h: &[u8], i: usize, b: u8) -> impl Iterator<Item = usize> {
    let with = (at(h, i) == Some(b)).then_some(i + 1);
    with.into_iter().chain(std::iter::once(i))
}

/// An optional literal at `i`, greedy.
fn opt_lit(h: &[u8], i: usize, lit: &'static [u8]) -> impl Iterator<Item = usize> {
    let with = starts_with(h, i, lit).then_some(i + lit.len());
    with.into_iter().chain(std::iter::once(i))
}

/// An optional byte of a class at `i`, greedy.
fn opt_class(h: &[u8], i: usize, class: impl Fn(u8) -> bool) -> impl Iterator<Item = usize> {
    let with = at(h, i).is_some_and(class).then_some(i + 1);
    with.into_iter().chain(std::iter::once(i))
}

/// Where the keyword alternation `(?i:password|passwd|passphrase|pwd|secret|token|api[_.-]?key|
/// apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|credentials?)` can end from `c`, in the
/// order it tries them. Only `credentials?` has two ends (`s` first); the others' spellings
/// differ at a byte both read (`api_key`/`apikey` end alike: the second is the first's
/// separator-less spelling, so it is no second end).
fn keyword_ends(h: &[u8], c: usize) -> ([usize; 2], usize) {
    let lower = |i: usize| at(h, i).map(|b| b.to_ascii_lowercase());
    let folded = |i: usize, lit: &[u8]| {
        h.len() >= i + lit.len() && h[i..i + lit.len()].eq_ignore_ascii_case(lit)
    };
    // `word[_.-]?key`: the end after `key`, with the separator or without.
    let sep_key = |word: &[u8]| {
        if !folded(c, word) {
            return None;
        }
        let i = c + word.len();
        let j = if matches!(at(h, i), Some(b'_' | b'.' | b'-')) && folded(i + 1, b"key") {
            i + 1
        } else {
            i
        };
        folded(j, b"key").then_some(j + 3)
    };
    let one = |e: usize| ([e, 0], 1);
    match lower(c) {
        Some(b'p') => {
            for w in [&b"password"[..], b"passwd", b"passphrase", b"pwd"] {
                if folded(c, w) {
                    return one(c + w.len());
                }
            }
            sep_key(b"private").map_or(([0, 0], 0), one)
        }
        Some(b's') if folded(c, b"secret") => one(c + 6),
        Some(b't') if folded(c, b"token") => one(c + 5),
        Some(b'a') => sep_key(b"api")
            .or_else(|| sep_key(b"access"))
            .or_else(|| sep_key(b"auth"))
            .map_or(([0, 0], 0), one),
        Some(b'c') if folded(c, b"credential") => {
            if lower(c + 10) == Some(b's') {
                ([c + 11, c + 10], 2)
            } else {
                one(c + 10)
            }
        }
        _ => ([0, 0], 0),
    }
}

/// The anchored match of the regex's rest (after the lazy name run) at `c`, where a keyword
/// starts: the first keyword end, in the alternation's order, whose tail matches.
fn rest_at(h: &[u8], c: usize) -> Option<Tail> {
    let (ends, n) = keyword_ends(h, c);
    ends[..n].iter().find_map(|&k| tail(h, k))
}

/// The tail after the keyword: an assignment (`generic_lead`, `\s*`, a call or a value), an XML
/// element's text (`>value</`), an embedded `NAME=value` or a query's `=value&name=`, in that
/// order.
fn tail(h: &[u8], k: usize) -> Option<Tail> {
    // `\s*` before the call or value: neither opens with a `\s` byte (the call with a letter or
    // `_`, the fallback with `[\w.$\[\]"'()]`, the values with a prefix, a quote, a backtick or a
    // byte of the bare class), so only the longest run can be followed by one.
    generic_lead(h, k, &mut |l| call_or_value(h, skip_ws(h, l)))
        .or_else(|| element_text(h, k))
        .or_else(|| embedded(h, k))
        .or_else(|| query(h, k))
}

/// `(?&generic_lead)`: `\\?["']\]?\s*,(?:\s*(?:default|fallback)\s*=)?` | `["']\s+value\s*=` |
/// `\\?["']?\]?(?&type_annotation)(?&cs_accessor)\s*(?&assign_op)(?&ctor_after_op)`: each end,
/// in order, handed to `f` until it matches.
fn generic_lead(h: &[u8], k: usize, f: &mut dyn FnMut(usize) -> Option<Tail>) -> Option<Tail> {
    // A call's next argument. `\s*` before `,`, `default`/`fallback` and `=`: none is `\s`.
    for p in opt_byte(h, k, b'\\') {
        if !is_quote(at(h, p)) {
            continue;
        }
        for r in opt_byte(h, p + 1, b']') {
            let w = skip_ws(h, r);
            if at(h, w) != Some(b',') {
                continue;
            }
            let comma = w + 1;
            let w = skip_ws(h, comma);
            let word = if starts_with(h, w, b"default") {
                Some(w + 7)
            } else if starts_with(h, w, b"fallback") {
                Some(w + 8)
            } else {
                None
            };
            if let Some(e) = word {
                let w = skip_ws(h, e);
                if at(h, w) == Some(b'=') {
                    if let Some(m) = f(w + 1) {
                        return Some(m);
                    }
                }
            }
            if let Some(m) = f(comma) {
                return Some(m);
            }
        }
    }
    // An XML attribute pair. `\s+` before `value`, `\s*` before `=`: neither is `\s`.
    if is_quote(at(h, k)) {
        let w = skip_ws(h, k + 1);
        if w > k + 1 && starts_with(h, w, b"value") {
            let w = skip_ws(h, w + 5);
            if at(h, w) == Some(b'=') {
                if let Some(m) = f(w + 1) {
                    return Some(m);
                }
            }
        }
    }
    // The assignment proper.
    for p in opt_byte(h, k, b'\\') {
        for q in opt_class(h, p, |b| b == b'"' || b == b'\'') {
            for r in opt_byte(h, q, b']') {
                let m = type_annotation(h, r, &mut |t| {
                    cs_accessor(h, t, &mut |u| {
                        // `\s*` before the operator: no operator opens with `\s`.
                        assign_op(h, skip_ws(h, u), &mut |o| ctor_after_op(h, o, f))
                    })
                });
                if m.is_some() {
                    return m;
                }
            }
        }
    }
    None
}

/// `(?:\s*:\s*&?(?:'static\s+)?[A-Za-z_][\w.\[\]<>, |]{0,30}?)?`: taken (its lazy run shortest
/// first), then skipped. `\s*` before `:`, and after it before `&`, `'static` or the type's first
/// letter; `\s+` after `'static` before that letter: none of those is `\s`.
fn type_annotation(h: &[u8], r: usize, f: &mut dyn FnMut(usize) -> Option<Tail>) -> Option<Tail> {
    let w = skip_ws(h, r);
    if at(h, w) == Some(b':') {
        let w = skip_ws(h, w + 1);
        for a in opt_byte(h, w, b'&') {
            let stat = (starts_with(h, a, b"'static") && at(h, a + 7).is_some_and(is_space))
                .then(|| skip_ws(h, a + 7));
            for b in stat.into_iter().chain(std::iter::once(a)) {
                if !at(h, b).is_some_and(|x| x.is_ascii_alphabetic() || x == b'_') {
                    continue;
                }
                let s0 = b + 1;
                let n = run(h, s0, 30, |x| {
                    is_word(x) || matches!(x, b'.' | b'[' | b']' | b'<' | b'>' | b',' | b' ' | b'|')
                })
                .min(30);
                for j in 0..=n {
                    if let Some(m) = f(s0 + j) {
                        return Some(m);
                    }
                }
            }
        }
    }
    f(r)
}

/// `(?:[ \t]*\{[ \t]*get;[^}\r\n]{0,30}\})?`: taken, then skipped. The blanks come before `{` and
/// `g`; the run before `}` cannot hold `}`, so only its longest length (at most 30) can be
/// followed by it.
fn cs_accessor(h: &[u8], t: usize, f: &mut dyn FnMut(usize) -> Option<Tail>) -> Option<Tail> {
    let w = skip_blank(h, t);
    if at(h, w) == Some(b'{') {
        let w = skip_blank(h, w + 1);
        if starts_with(h, w, b"get;") {
            let s = w + 4;
            let n = run(h, s, 30, |x| !matches!(x, b'}' | b'\r' | b'\n'));
            if n <= 30 && at(h, s + n) == Some(b'}') {
                if let Some(m) = f(s + n + 1) {
                    return Some(m);
                }
            }
        }
    }
    f(t)
}

/// `(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])` at `w`: each operator that is there, in that
/// order (`=>` before `=`, `||=` before `||`, …).
fn assign_op(h: &[u8], w: usize, f: &mut dyn FnMut(usize) -> Option<Tail>) -> Option<Tail> {
    const OPS: [&[u8]; 10] = [
        b"=>", b"<-", b"||=", b"??=", b"?=", b":=", b"||", b"??", b"=", b":",
    ];
    match at(h, w) {
        Some(b'=' | b'<' | b'|' | b'?' | b':') => {}
        _ => return None,
    }
    OPS.iter()
        .filter(|op| starts_with(h, w, op))
        .find_map(|op| f(w + op.len()))
}

/// `(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?`:
/// taken (each constructor that is there followed by `(`, in order), then skipped. The blanks
/// come before a capital or `s`/`n`, `\s+` after `new` before `S`.
fn ctor_after_op(h: &[u8], o: usize, f: &mut dyn FnMut(usize) -> Option<Tail>) -> Option<Tail> {
    let w = skip_blank(h, o);
    if matches!(at(h, w), Some(b'S' | b's' | b'n')) {
        let new = (starts_with(h, w, b"new") && at(h, w + 3).is_some_and(is_space))
            .then(|| skip_ws(h, w + 3))
            .filter(|&x| starts_with(h, x, b"String"))
            .map(|x| x + 6);
        let lit = |lit: &[u8]| starts_with(h, w, lit).then_some(w + lit.len());
        let ends = [
            lit(b"String::from"),
            new,
            lit(b"String"),
            lit(b"str"),
            lit(b"SecretStr"),
            lit(b"SecretString"),
            lit(b"Secret"),
            lit(b"Some"),
        ];
        for e in ends.into_iter().flatten() {
            if at(h, e) == Some(b'(') {
                if let Some(m) = f(e + 1) {
                    return Some(m);
                }
            }
        }
    }
    f(o)
}

/// After the lead-in and its blanks: a call with a quoted argument, else an optional fallback
/// expression and a value.
fn call_or_value(h: &[u8], s: usize) -> Option<Tail> {
    call(h, s).or_else(|| or_default(h, s))
}

/// `[A-Za-z_][\w.]{0,40}(?:\(\))?(?:\.[A-Za-z_]\w*)?\(\s*(?:"([^"\s\\]{10,200})"|'([^'\s\\]{10,200})')\s*\)`.
/// The name's run is tried longest first, each length with and without `()`, then with and
/// without a method (whose `\w*` comes before `(`: longest only). `\s*` before and after the
/// quoted argument come before a quote and `)`. The argument's class holds neither its quote
/// nor `\s`, so only its longest run (10 to 200) can be followed by the quote.
fn call(h: &[u8], s: usize) -> Option<Tail> {
    if !at(h, s).is_some_and(|b| b.is_ascii_alphabetic() || b == b'_') {
        return None;
    }
    let name = run(h, s + 1, 40, |b| is_word(b) || b == b'.').min(40);
    for n in (0..=name).rev() {
        for q in opt_lit(h, s + 1 + n, b"()") {
            let method = (at(h, q) == Some(b'.')
                && at(h, q + 1).is_some_and(|b| b.is_ascii_alphabetic() || b == b'_'))
            .then(|| q + 2 + run(h, q + 2, usize::MAX - 1, is_word));
            for r in method.into_iter().chain(std::iter::once(q)) {
                if at(h, r) != Some(b'(') {
                    continue;
                }
                let w = skip_ws(h, r + 1);
                let Some(quote @ (b'"' | b'\'')) = at(h, w) else {
                    continue;
                };
                let v = w + 1;
                let len = run(h, v, 200, |b| b != quote && !is_space(b) && b != b'\\');
                if !(10..=200).contains(&len) || at(h, v + len) != Some(quote) {
                    continue;
                }
                let w = skip_ws(h, v + len + 1);
                if at(h, w) == Some(b')') {
                    return Some((w + 1, (v, v + len)));
                }
            }
        }
    }
    None
}

/// `(?:[\w.$\[\]"'()]{1,80}?\s*(?:\|\||\?\?|\bor\b)\s*)?` then the value: the fallback taken
/// (its run shortest first) before it is skipped. `\s*` before `||`, `??` or `or`, and after
/// them before the value (which opens with no `\s` byte, `tail`): longest only.
fn or_default(h: &[u8], s: usize) -> Option<Tail> {
    let n = run(h, s, 80, |b| {
        is_word(b) || matches!(b, b'.' | b'$' | b'[' | b']' | b'"' | b'\'' | b'(' | b')')
    })
    .min(80);
    for j in 1..=n {
        let p = skip_ws(h, s + j);
        let op = if starts_with(h, p, b"||") || starts_with(h, p, b"??") {
            Some(p + 2)
        } else if starts_with(h, p, b"or")
            && (p == 0 || !is_word(h[p - 1]))
            && !at(h, p + 2).is_some_and(is_word)
        {
            Some(p + 2)
        } else {
            None
        };
        if let Some(e) = op {
            if let Some(m) = value(h, skip_ws(h, e)) {
                return Some(m);
            }
        }
    }
    value(h, s)
}

/// The bare value's class `[A-Za-z0-9_+/=~!@%^*.&#-]`.
fn bare(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'_' | b'+' | b'/' | b'=' | b'~' | b'!' | b'@' | b'%' | b'^' | b'*' | b'.' | b'&' | b'#'
                | b'-'
        )
}

/// `bare` less `=` and `&` (the query form's value).
fn bare_query(b: u8) -> bool {
    bare(b) && b != b'=' && b != b'&'
}

/// The longest run of `class` from `v`, when it holds a digit: `C*[0-9]C*` followed by a byte
/// `C` cannot hold can only be that run (a shorter one is followed by a byte of `C`).
fn bare_run(h: &[u8], v: usize, class: impl Fn(u8) -> bool) -> Option<usize> {
    let mut e = v;
    let mut digit = false;
    while e < h.len() && class(h[e]) {
        digit |= h[e].is_ascii_digit();
        e += 1;
    }
    digit.then_some(e)
}

/// A quoted value `quote(?:quote quote)?([class]{10,200})` and its closing `close` (tried with a
/// backslash first when `escaped`): the class holds neither the quote nor the backslash, so only
/// the longest run can be followed by the closing.
fn quoted(h: &[u8], q: usize, quote: u8, escaped: bool) -> Option<Tail> {
    if at(h, q) != Some(quote) {
        return None;
    }
    let doubled = [quote, quote];
    for b in opt_lit(h, q + 1, if quote == b'"' { b"\"\"" } else { b"''" }) {
        debug_assert!(b == q + 1 || h[q + 1..b] == doubled);
        let len = run(h, b, 200, |x| x != quote && x != b'\\' && !is_space(x));
        if !(10..=200).contains(&len) {
            continue;
        }
        let e = b + len;
        if escaped && at(h, e) == Some(b'\\') && at(h, e + 1) == Some(quote) {
            return Some((e + 2, (b, e)));
        }
        if at(h, e) == Some(quote) {
            return Some((e + 1, (b, e)));
        }
    }
    None
}

/// The value forms, in order: `[bBrRuU]?\\?"(?:"")?(…)\\?"`, `[bBrRuU]?'(?:'')?(…)'`,
/// `` `(…)` ``, a bare value with a digit and the line's end (`(?&line_end)`).
fn value(h: &[u8], v: usize) -> Option<Tail> {
    let prefix = |b: u8| matches!(b, b'b' | b'B' | b'r' | b'R' | b'u' | b'U');
    for p in opt_class(h, v, prefix) {
        for q in opt_byte(h, p, b'\\') {
            if let Some(m) = quoted(h, q, b'"', true) {
                return Some(m);
            }
        }
    }
    for p in opt_class(h, v, prefix) {
        if let Some(m) = quoted(h, p, b'\'', false) {
            return Some(m);
        }
    }
    if at(h, v) == Some(b'`') {
        let len = run(h, v + 1, 200, |x| x != b'`' && x != b'\\' && !is_space(x));
        if (10..=200).contains(&len) && at(h, v + 1 + len) == Some(b'`') {
            return Some((v + len + 2, (v + 1, v + 1 + len)));
        }
    }
    // The bare value: `(?&line_end)` opens with `\s`, `$` or `;`, none of them a bare byte (nor
    // a line's end), so only the longest run can be followed by it.
    let e = bare_run(h, v, bare)?;
    line_end(h, e).map(|end| (end, (v, e)))
}

/// `(?:\s*$|\s+#|\s+//|\s*;\s*$|[ \t]+\\$)` at `e`, the first form that matches.
fn line_end(h: &[u8], e: usize) -> Option<usize> {
    if let Some(end) = eol_after_ws(h, e) {
        return Some(end);
    }
    // `\s+` before `#`, `/`; `\s*` before `;`; `[ \t]+` before `\`: longest only.
    let w = skip_ws(h, e);
    if w > e && at(h, w) == Some(b'#') {
        return Some(w + 1);
    }
    if w > e && starts_with(h, w, b"//") {
        return Some(w + 2);
    }
    if at(h, w) == Some(b';') {
        if let Some(end) = eol_after_ws(h, w + 1) {
            return Some(end);
        }
    }
    let b = skip_blank(h, e);
    if b > e && at(h, b) == Some(b'\\') && is_eol(h, b + 1) {
        return Some(b + 1);
    }
    None
}

/// `>([^<>\s"']{10,200})</`: the class holds no `<`, so only the longest run can be followed by
/// `</`.
fn element_text(h: &[u8], k: usize) -> Option<Tail> {
    if at(h, k) != Some(b'>') {
        return None;
    }
    let v = k + 1;
    let len = run(h, v, 200, |b| !matches!(b, b'<' | b'>' | b'"' | b'\'') && !is_space(b));
    ((10..=200).contains(&len) && starts_with(h, v + len, b"</"))
        .then_some((v + len + 2, (v, v + len)))
}

/// `=(bare)(?&embedded_value_end)`: `(?:\x5cn)?["']\s*(?:,|\)\s*;?)?\s*$` |
/// `(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z])`. Both open with `\`, a quote or a blank, none a
/// bare byte: only the value's longest run can be followed by them.
fn embedded(h: &[u8], k: usize) -> Option<Tail> {
    if at(h, k) != Some(b'=') {
        return None;
    }
    let v = k + 1;
    let e = bare_run(h, v, bare)?;
    let found = |end: usize| Some((end, (v, e)));
    for p in opt_lit(h, e, b"\\n") {
        if !is_quote(at(h, p)) {
            continue;
        }
        // `\s*`, an optional `,` or `)\s*;?`, then `\s*$`. The first `\s*` is tried longest
        // first: at its longest (`w`, on a byte that is not `\s`) the `,` and `)` forms, then
        // neither (a line's end at `w`); at each shorter length only neither can follow (the
        // next byte is `\s`), where `\s*$` takes the run's last line end: together, the last
        // line end of the run from the quote (`eol_after_ws`). After `)`, `\s*` then `;?` then
        // `\s*$` likewise: with `;` at the run's end, then without (`eol_after_ws` after `)`).
        let q = p + 1;
        let w = skip_ws(h, q);
        match at(h, w) {
            Some(b',') => {
                if let Some(end) = eol_after_ws(h, w + 1) {
                    return found(end);
                }
            }
            Some(b')') => {
                let w2 = skip_ws(h, w + 1);
                if at(h, w2) == Some(b';') {
                    if let Some(end) = eol_after_ws(h, w2 + 1) {
                        return found(end);
                    }
                }
                if let Some(end) = eol_after_ws(h, w + 1) {
                    return found(end);
                }
            }
            _ => {}
        }
        if let Some(end) = eol_after_ws(h, q) {
            return found(end);
        }
    }
    for p in opt_lit(h, e, b"\\n") {
        for q in opt_class(h, p, |b| b == b'"' || b == b'\'') {
            // `[ \t]+` before `[a-z./]` or `-`: longest only.
            let b = skip_blank(h, q);
            if b == q {
                continue;
            }
            match at(h, b) {
                Some(b'a'..=b'z' | b'.' | b'/') => return found(b + 1),
                Some(b'-') => {
                    for r in opt_byte(h, b + 1, b'-') {
                        if at(h, r).is_some_and(|x| x.is_ascii_lowercase()) {
                            return found(r + 1);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// `=([…]*[0-9][…]*)&[A-Za-z_][\w.-]{0,30}=`: the value's class holds no `&`, the name's no `=`,
/// so only their longest runs can be followed by them.
fn query(h: &[u8], k: usize) -> Option<Tail> {
    if at(h, k) != Some(b'=') {
        return None;
    }
    let v = k + 1;
    let e = bare_run(h, v, bare_query)?;
    if at(h, e) != Some(b'&') || !at(h, e + 1).is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
    {
        return None;
    }
    let n = run(h, e + 2, 30, |b| is_word(b) || b == b'.' || b == b'-');
    (n <= 30 && at(h, e + 2 + n) == Some(b'=')).then_some((e + 3 + n, (v, e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrng::{n, Rng, Spans};

    /// The built-in rule's regex and keywords, as the engine loads them (fragments written out).
    fn builtin() -> (String, Vec<String>) {
        let rule = crate::rules::RuleSet::builtin()
            .unwrap()
            .rules
            .into_iter()
            .find(|r| &*r.id == "generic-secret-assignment")
            .expect("the rule is built in");
        (rule.regex.unwrap().as_str().to_string(), rule.keywords)
    }

    /// The engine's view of the pattern: its lead, where matches start, its keywords.
    struct Setup {
        lead: Lead,
        starts: KeywordStarts,
        keywords: Vec<Vec<u8>>,
        re: regex::bytes::Regex,
    }

    fn setup() -> Setup {
        let (src, keywords) = builtin();
        assert_eq!(src, GENERIC_SECRET);
        let hir = super::super::gate::parse(GENERIC_SECRET).unwrap();
        let (lead, rest) = Lead::split(&hir).expect("the name run is split off");
        let starts = KeywordStarts::of(&rest, &keywords).expect("matches open at keywords");
        // The engine reads `$` as a line's end (`gate::on_lines`): `(?m)`'s `$`.
        let re = regex::bytes::RegexBuilder::new(GENERIC_SECRET)
            .unicode(false)
            .multi_line(true)
            .size_limit(crate::rules::REGEX_SIZE_LIMIT)
            .build()
            .unwrap();
        Setup {
            lead,
            starts,
            keywords: keywords.iter().map(|k| k.as_bytes().to_vec()).collect(),
            re,
        }
    }

    /// Every position where a keyword starts (ASCII case folded), as the keyword pass reports
    /// them, offset by `base`.
    fn hits(s: &Setup, hay: &[u8], base: usize) -> Vec<usize> {
        (0..hay.len())
            .filter(|&i| {
                s.keywords.iter().any(|k| {
                    hay.len() >= i + k.len() && hay[i..i + k.len()].eq_ignore_ascii_case(k)
                })
            })
            .map(|i| i + base)
            .collect()
    }

    fn by_hand(s: &Setup, hay: &[u8], base: usize) -> Spans {
        let mut out = Vec::new();
        let hits = hits(s, hay, base);
        AssignRead::GenericSecret.for_each(hay, &s.starts, &hits, base, &s.lead, |f| {
            out.push((f.start, f.end, f.value.0, f.value.1))
        });
        out
    }

    /// Every match with the group that matched (the rule's secret: the first non-empty one).
    fn by_regex(s: &Setup, hay: &[u8]) -> Spans {
        s.re.captures_iter(hay)
            .map(|c| {
                let m = c.get(0).unwrap();
                let v = c
                    .iter()
                    .skip(1)
                    .flatten()
                    .find(|g| !g.is_empty())
                    .expect("every match has its value");
                (m.start(), m.end(), v.start(), v.end())
            })
            .collect()
    }

    fn pick<'a>(r: &mut Rng, xs: &[&'a str]) -> &'a str {
        xs[n(r, xs.len())]
    }

    /// A line of the shapes the rule reads and the near misses around them: names glued to the
    /// keywords (and near misses of them), every lead-in (call arguments, XML pairs, quotes,
    /// brackets, type annotations, C# accessors, each operator and near misses), constructors,
    /// calls, fallbacks, values in every form around their bounds, and what may end them.
    fn random_line(r: &mut Rng) -> Vec<u8> {
        const NAMES: &[&str] = &[
            "", "", "db_", "my.", "x-", "AWS_", "client", "user.", "é", "a b", "$", "[",
        ];
        const KEYWORDS: &[&str] = &[
            "password", "PASSWORD", "Passwd", "passphrase", "pwd", "secret", "Secret", "token",
            "TOKEN", "api_key", "api-key", "api.key", "apikey", "ApiKey", "api__key", "api_ke",
            "access_key", "accessKey", "auth-key", "authkey", "private_key", "privateKey",
            "credential", "credentials", "CREDENTIALSS", "tokens", "token_id", "secretKey", "pass",
            "passwor", "tok",
        ];
        const LEADS: &[&str] = &[
            "=", " = ", ":", ": ", "=>", " => ", "<-", " <- ", "||=", "??=", "?=", ":=", " := ",
            "||", "??", "==", "!=", "<=", "-", "", " ", "\t=\t", "\"]=", "\"] = ", "'] = ",
            "\\\"=", "\\\": ", "\": ", "': ", "\", ", "', ", "\",default=", "\", fallback = ",
            "\",  default =", "\" value=", "' value = ", "\"value=", "\\\", ", ": str = ",
            ": String = ", ": &'static str = ", ":&'static  str=", ": Option<String> = ",
            ": string | undefined = ", ": Dict[str, str] = ", ": a, b, c, d, e, f, g, h, i, j, k = ",
            ": Type", ": 9x = ", " { get; set; } = ", " {get; private set;} = ", "{ get; }=",
            " { get; init; } = ", " { get; set; }", " { get; aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa } = ",
            " = String::from(", " = String(", " = new String(", " = new  String(", " = str(",
            " = SecretStr(", " = SecretString(", " = Secret(", " = Some(", " = Some (", " = some(",
            "=String::from (", ">", "=", "=", "= ", "\n= ",
        ];
        const CALLS: &[&str] = &[
            "os.getenv(", "getenv(", "config.get(", "env()(", "a.b().get(", "a.b.c.d.e.f.g.h.i.j.k.l.m(",
            "_x(", "9x(", "f (", "f()(", "f().g(", "settings.value.x(",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(",
        ];
        const FALLBACKS: &[&str] = &[
            "process.env.X || ", "process.env.X||", "os.environ.get(\"X\") or ", "x or ",
            "xor ", "x ?? ", "$ENV['x'] || ", "a.b[0] ?? ", "x ||", "x | ", "orx ",
            "a_very_long_fallback_expression_that_goes_on_and_on_for_a_while_longer_than_eighty_bytes || ",
        ];
        const PREFIXES: &[&str] = &["", "", "", "b", "r", "u", "B", "f", "\\"];
        const VALCH: &[u8] = b"aZ09+/=_.-~!@%^*&#$";
        const ENDS: &[&str] = &[
            "", "", " ", "  ", ";", " ;", "; ", " # c", "#", " // c", "//", " \\", "\\", "\t\\",
            ",", ")", ");", " ) ; ", "\\n\"", "\\n\");", "\",", "\"", "'", "\" )", "' -t app .",
            " --flag", " -f", " -", " x", " X", " .", "\\n\" run", "&name=", "&n.a-m_e=", "&=",
            "&9=", "</", "</x>", "<", "\n", " \n", "\n\n", "\r\n", " \r\n ", "é",
        ];
        let mut line = Vec::new();
        for _ in 0..n(r, 3) + 1 {
            if n(r, 3) == 0 {
                line.extend_from_slice(pick(r, &["x ", "\t", "{", "(\"", "  ", "é", ";"]).as_bytes());
            }
            line.extend_from_slice(pick(r, NAMES).as_bytes());
            line.extend_from_slice(pick(r, KEYWORDS).as_bytes());
            line.extend_from_slice(pick(r, LEADS).as_bytes());
            match n(r, 5) {
                0 => line.extend_from_slice(pick(r, CALLS).as_bytes()),
                1 => line.extend_from_slice(pick(r, FALLBACKS).as_bytes()),
                _ => {}
            }
            if n(r, 4) == 0 {
                line.extend_from_slice(pick(r, &[" ", "  ", "\t", "\n"]).as_bytes());
            }
            line.extend_from_slice(pick(r, PREFIXES).as_bytes());
            let quote = pick(r, &["\"", "'", "`", "", "", "\"\"\"", "''", "\\\"", ">"]);
            line.extend_from_slice(quote.as_bytes());
            let len = match n(r, 5) {
                0 => n(r, 12),
                1 => 8 + n(r, 5),
                2 => 198 + n(r, 5),
                _ => 10 + n(r, 30),
            };
            let digit = n(r, 3) != 0;
            for i in 0..len {
                if digit && i == len / 2 {
                    line.push(b'0' + n(r, 10) as u8);
                } else if n(r, 30) == 0 {
                    line.extend_from_slice(pick(r, &[" ", "\"", "'", "\\", "é", "<", ">", "`"]).as_bytes());
                } else {
                    line.push(VALCH[n(r, VALCH.len())]);
                }
            }
            match n(r, 3) {
                0 => line.extend_from_slice(quote.trim_start_matches('\\').as_bytes()),
                1 => line.extend_from_slice(quote.as_bytes()),
                _ => {}
            }
            if n(r, 4) == 0 {
                line.extend_from_slice(pick(r, &[")", " )", "\")", ",", " , "]).as_bytes());
            }
            line.extend_from_slice(pick(r, ENDS).as_bytes());
        }
        line
    }

    #[test]
    fn generic_secret_matches_are_the_regex_matches() {
        let s = setup();
        let mut r = Rng(0x2545_F491_4F6C_DD1D);
        let (mut matched, mut lines) = (0, 0);
        let mut forms = std::collections::BTreeSet::new();
        for _ in 0..30_000 {
            let line = random_line(&mut r);
            let want = by_regex(&s, &line);
            matched += want.len();
            lines += 1;
            for &(_, end, _, ve) in &want {
                // Which form matched, by what follows the value (a rough census).
                forms.insert(line.get(ve).copied().map(|b| b as char));
                let _ = end;
            }
            let base = n(&mut r, 3) * 1000;
            assert_eq!(
                by_hand(&s, &line, base),
                want,
                "{:?}",
                String::from_utf8_lossy(&line)
            );
        }
        // The lines are near misses and hits both, of many forms.
        assert!(matched > 3_000, "{matched} of {lines}");
        assert!(forms.len() > 8, "{forms:?}");
        // Real lines: every file of the repository's fixtures, whole and line by line, and any
        // further tree named in `LEAKGUARD_ASSIGN_DIFF_DIR` (the benchmark's inputs).
        let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        if let Some(extra) = std::env::var_os("LEAKGUARD_ASSIGN_DIFF_DIR") {
            files.extend(std::env::split_paths(&extra));
        }
        let (mut real, mut hits) = (0, 0);
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let Ok(text) = std::fs::read(&p) else {
                continue;
            };
            assert_eq!(by_hand(&s, &text, 0), by_regex(&s, &text), "{}", p.display());
            for line in text.split(|&b| b == b'\n') {
                let want = by_regex(&s, line);
                hits += want.len();
                real += 1;
                assert_eq!(
                    by_hand(&s, line, 7),
                    want,
                    "{}: {}",
                    p.display(),
                    String::from_utf8_lossy(line)
                );
            }
        }
        eprintln!("{lines} random lines, {matched} matches; {real} real lines, {hits} matches");
        assert!(real > 1_000 && hits > 100, "{real} {hits}");
    }

    #[test]
    fn only_the_exact_pattern_is_read_by_hand() {
        assert_eq!(
            AssignRead::of(GENERIC_SECRET),
            Some(AssignRead::GenericSecret)
        );
        // One byte off (values of 11, not 10) keeps the regex.
        assert_eq!(
            AssignRead::of(&GENERIC_SECRET.replacen("{10,200}", "{11,200}", 1)),
            None
        );
        // The built-in rule is this pattern (its fragments written out): a catalog edit that
        // changes it must update the reader (or drop it), which this makes a deliberate step.
        assert_eq!(builtin().0, GENERIC_SECRET);
    }
}
