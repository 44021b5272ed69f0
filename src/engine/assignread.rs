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
// `\w` and `\b` over ASCII, as the vendor template reader reads them.
use super::vendorword::{boundary, is_word};

/// `generic-secret-assignment`'s regex (rules/generic.toml), with the grammar's fragments
/// written out as build.rs writes them.
pub(super) const GENERIC_SECRET: &str = r#"(?i:[\w.-]{0,40}?(?:password|passwd|passphrase|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|credentials?))(?:(?:\\?["']\]?\s*,(?:\s*(?:default|fallback)\s*=)?|["']\s+value\s*=|\\?["']?\]?(?:\s*:\s*&?(?:'static\s+)?[A-Za-z_][\w.\[\]<>, |]{0,30}?)?(?:[ \t]*\{[ \t]*get;[^}\r\n]{0,30}\})?\s*(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?)\s*(?:[A-Za-z_][\w.]{0,40}(?:\(\))?(?:\.[A-Za-z_]\w*)?\(\s*(?:"([^"\s\\]{10,200})"|'([^'\s\\]{10,200})')\s*\)|(?:[\w.$\[\]"'()]{1,80}?\s*(?:\|\||\?\?|\bor\b)\s*)?(?:[bBrRuU]?\\?"(?:"")?([^"\s\\]{10,200})\\?"|[bBrRuU]?'(?:'')?([^'\s\\]{10,200})'|`([^`\s\\]{10,200})`|([A-Za-z0-9_+/=~!@%^*.&#-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#-]*)(?:\s*$|\s+#|\s+//|\s*;\s*$|[ \t]+\\$)))|>([^<>\s"']{10,200})</|=([A-Za-z0-9_+/=~!@%^*.&#-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#-]*)(?:(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)|\x5c[nrt]|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|:[ \t]*([A-Za-z0-9_+/=~!%^*.#-]*[0-9][A-Za-z0-9_+/=~!%^*.#-]*)(?:(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)|\x5c[nrt]|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|=([A-Za-z0-9_+/~!@%^*.#-]*[0-9][A-Za-z0-9_+/~!@%^*.#-]*)&[A-Za-z_][\w.-]{0,30}=)"#;

/// `session-secret-assignment`'s regex (rules/generic.toml), written out likewise: the same
/// grammar with its own names, values of 12 or more, `()` in a bare value, and a bare value of
/// letters alone (20 or more).
pub(super) const SESSION_SECRET: &str = r#"(?i:[\w.-]{0,30}?(?:session[_.-]?secret|cookie[_.-]?secret|secret[_.-]?key(?:[_.-]?base)?|app[_.-]?secret[_.-]?key|nextauth[_.-]?secret|auth[_.-]?secret|session[_.-]?key|signing[_.-]?secret|secret[_.-]?token))(?:(?:\\?["']\]?\s*,(?:\s*(?:default|fallback)\s*=)?|["']\s+value\s*=|\\?["']?\]?(?:\s*:\s*&?(?:'static\s+)?[A-Za-z_][\w.\[\]<>, |]{0,30}?)?(?:[ \t]*\{[ \t]*get;[^}\r\n]{0,30}\})?\s*(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?)\s*(?:[A-Za-z_][\w.]{0,40}(?:\(\))?(?:\.[A-Za-z_]\w*)?\(\s*(?:"([^"\s\\]{12,200})"|'([^'\s\\]{12,200})')\s*\)|(?:[\w.$\[\]"'()]{1,80}?\s*(?:\|\||\?\?|\bor\b)\s*)?(?:[bBrRuU]?\\?"(?:"")?([^"\s\\]{12,200})\\?"|[bBrRuU]?'(?:'')?([^'\s\\]{12,200})'|`([^`\s\\]{12,200})`|([A-Za-z0-9_+/=~!@%^*.&#()-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#()-]*|[A-Za-z]{20,200})(?:\s*$|\s+#|\s+//|\s*;\s*$|[ \t]+\\$)))|>([^<>\s"']{12,200})</|=([A-Za-z0-9_+/=~!@%^*.&#()-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#()-]*)(?:(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)|\x5c[nrt]|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|:[ \t]*([A-Za-z0-9_+/=~!%^*.#-]*[0-9][A-Za-z0-9_+/=~!%^*.#-]*)(?:(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)|\x5c[nrt]|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|=([A-Za-z0-9_+/~!@%^*.#-]*[0-9][A-Za-z0-9_+/~!@%^*.#-]*)&[A-Za-z_][\w.-]{0,30}=)"#;

/// `weak-secret-assignment`'s regex (rules/cdkey23.toml), written out likewise: a name ending in
/// `secret` (`secret_key`, `secret_key_base`, `secret_token`), a type, an operator and a quoted
/// value of 6 to 64, with what may follow it in an expression.
pub(super) const WEAK_SECRET: &str = r#"\b[\w.-]{0,40}?(?i:secret)(?:[_.-]?(?i:key)(?:[_.-]?(?i:base))?|[_.-]?(?i:token))?\\?["'`]?\]?(?::[ \t]*&?[A-Za-z_][\w.\[\]<>|]{0,30}?)?[ \t]*(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?[ \t]*(?:[bBrRuU]?\\?"([^"\s\\]{6,64})\\?"|'([^'\s\\]{6,64})'|`([^`\s\\]{6,64})`)(?:[ \t]*(?:\+|\.[ \t]*[A-Za-z_$]|\[|%[ \t(]))?"#;

/// The regexes read by hand here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AssignRead {
    /// `GENERIC_SECRET`.
    Generic,
    /// `SESSION_SECRET`.
    Session,
    /// `WEAK_SECRET`: its matches open at a word boundary up to 40 name bytes before `secret`
    /// (not at a keyword: the engine locates it), read from each `secret` (`weak_from`).
    Weak,
}

/// What tells the two patterns apart: their names' keyword alternation, the least length of a
/// value (quoted, a call's argument, an element's text), whether a bare value's class holds `(`
/// and `)`, and whether a bare value may be letters alone (`|[A-Za-z]{20,200}`).
struct Shape {
    keywords: &'static [&'static [P]],
    min: usize,
    paren: bool,
    letters: bool,
}

/// A piece of a keyword's spelling: a literal (ASCII case folded, as `(?i)` with Unicode off),
/// `[_.-]?`, or an optional group (both greedy).
#[derive(Debug)]
enum P {
    L(&'static [u8]),
    Sep,
    Opt(&'static [P]),
}

use P::{Opt, Sep, L};

const GENERIC: Shape = Shape {
    keywords: &[
        &[L(b"password")],
        &[L(b"passwd")],
        &[L(b"passphrase")],
        &[L(b"pwd")],
        &[L(b"secret")],
        &[L(b"token")],
        &[L(b"api"), Sep, L(b"key")],
        &[L(b"apikey")],
        &[L(b"access"), Sep, L(b"key")],
        &[L(b"auth"), Sep, L(b"key")],
        &[L(b"private"), Sep, L(b"key")],
        &[L(b"credential"), Opt(&[L(b"s")])],
    ],
    min: 10,
    paren: false,
    letters: false,
};

const SESSION: Shape = Shape {
    keywords: &[
        &[L(b"session"), Sep, L(b"secret")],
        &[L(b"cookie"), Sep, L(b"secret")],
        &[L(b"secret"), Sep, L(b"key"), Opt(&[Sep, L(b"base")])],
        &[L(b"app"), Sep, L(b"secret"), Sep, L(b"key")],
        &[L(b"nextauth"), Sep, L(b"secret")],
        &[L(b"auth"), Sep, L(b"secret")],
        &[L(b"session"), Sep, L(b"key")],
        &[L(b"signing"), Sep, L(b"secret")],
        &[L(b"secret"), Sep, L(b"token")],
    ],
    min: 12,
    paren: true,
    letters: true,
};

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
        match src {
            GENERIC_SECRET => Some(AssignRead::Generic),
            SESSION_SECRET => Some(AssignRead::Session),
            WEAK_SECRET => Some(AssignRead::Weak),
            _ => None,
        }
    }

    /// The keyed readers' matches, found as the regex path finds them with keyword hits
    /// (`Matcher::next_match`): the candidates `starts` gives for `hits` (positions in the text,
    /// `base` being where `hay` starts) are tried in order, the first where the rest matches
    /// anchored is the match, and `lead` moves its start back over the name.
    /// Whether the reader takes its starts from the engine's keyword hits (`for_each`'s `keyed`).
    pub(super) fn keyed(self) -> bool {
        !matches!(self, AssignRead::Weak)
    }

    /// Every match in `hay`, leftmost first, each search resuming at the last match's end: what
    /// `captures_iter` yields. A keyed reader needs `keyed` (else it reports nothing: the caller
    /// searches the regex).
    pub(super) fn for_each(
        self,
        hay: &[u8],
        keyed: Option<(&KeywordStarts, &[usize], usize, &Lead)>,
        mut f: impl FnMut(Found),
    ) {
        let shape = match (self, keyed) {
            (AssignRead::Generic, Some(_)) => &GENERIC,
            (AssignRead::Session, Some(_)) => &SESSION,
            (AssignRead::Weak, _) => {
                let mut at = 0;
                while let Some(found) = weak_from(hay, at) {
                    at = found.end;
                    f(found);
                }
                return;
            }
            (_, None) => return,
        };
        let Some((starts, hits, base, lead)) = keyed else {
            return;
        };
        self.for_each_keyed(hay, shape, starts, hits, base, lead, f)
    }

    #[allow(clippy::too_many_arguments)]
    fn for_each_keyed(
        self,
        hay: &[u8],
        shape: &Shape,
        starts: &KeywordStarts,
        hits: &[usize],
        base: usize,
        lead: &Lead,
        mut f: impl FnMut(Found),
    ) {
        let mut tried = 0;
        loop {
            let from = tried;
            let mut found = None;
            while let Some(c) = starts.next_candidate(hay, hits, base, &mut tried) {
                if let Some((end, value)) = rest_at(hay, c, shape) {
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

/// Each end of the spelling `ps` from `i`, in the order its greedy pieces try them (`[_.-]?` and
/// an optional group: taken, then skipped), handed to `k`.
fn spell(h: &[u8], i: usize, ps: &[P], k: &mut dyn FnMut(usize)) {
    match ps.split_first() {
        None => k(i),
        Some((L(lit), rest)) => {
            if h.len() >= i + lit.len() && h[i..i + lit.len()].eq_ignore_ascii_case(lit) {
                spell(h, i + lit.len(), rest, k);
            }
        }
        Some((Sep, rest)) => {
            if matches!(at(h, i), Some(b'_' | b'.' | b'-')) {
                spell(h, i + 1, rest, k);
            }
            spell(h, i, rest, k);
        }
        Some((Opt(sub), rest)) => {
            spell(h, i, sub, &mut |j| spell(h, j, rest, k));
            spell(h, i, rest, k);
        }
    }
}

/// The anchored match of the regex's rest (after the lazy name run) at `c`, where a keyword
/// starts: the keyword alternation's ends in the order it tries them (each alternative's ends in
/// its own order, the alternatives in the order written), the tail tried after each; the first
/// that matches is the match. An end met again is not tried again (the tail failed there
/// already; `apikey` is `api[_.-]?key`'s spelling without the separator).
fn rest_at(h: &[u8], c: usize, shape: &Shape) -> Option<Tail> {
    let first = at(h, c)?.to_ascii_lowercase();
    let (mut seen, mut n) = ([0usize; 8], 0);
    let mut found = None;
    for alt in shape.keywords {
        // Every alternative opens with a literal: its first byte rules most out.
        if matches!(alt.first(), Some(L(lit)) if lit[0] != first) {
            continue;
        }
        spell(h, c, alt, &mut |e| {
            if found.is_some() || seen[..n].contains(&e) {
                return;
            }
            if n < seen.len() {
                seen[n] = e;
                n += 1;
            }
            found = tail(h, e, shape);
        });
        if found.is_some() {
            break;
        }
    }
    found
}

/// The tail after the keyword: an assignment (`generic_lead`, `\s*`, a call or a value), an XML
/// element's text (`>value</`), an embedded `NAME=value` or `NAME: value` or a query's
/// `=value&name=`, in that order.
fn tail(h: &[u8], k: usize, shape: &Shape) -> Option<Tail> {
    // `\s*` before the call or value: neither opens with a `\s` byte (the call with a letter or
    // `_`, the fallback with `[\w.$\[\]"'()]`, the values with a prefix, a quote, a backtick or a
    // byte of the bare class), so only the longest run can be followed by one.
    generic_lead(h, k, &mut |l| call_or_value(h, skip_ws(h, l), shape))
        .or_else(|| element_text(h, k, shape.min))
        .or_else(|| embedded(h, k, shape.paren))
        .or_else(|| embedded_colon(h, k))
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
fn call_or_value(h: &[u8], s: usize, shape: &Shape) -> Option<Tail> {
    call(h, s, shape.min).or_else(|| or_default(h, s, shape))
}

/// `[A-Za-z_][\w.]{0,40}(?:\(\))?(?:\.[A-Za-z_]\w*)?\(\s*(?:"([^"\s\\]{10,200})"|'([^'\s\\]{10,200})')\s*\)`.
/// The name's run is tried longest first, each length with and without `()`, then with and
/// without a method (whose `\w*` comes before `(`: longest only). `\s*` before and after the
/// quoted argument come before a quote and `)`. The argument's class holds neither its quote
/// nor `\s`, so only its longest run (10 to 200) can be followed by the quote.
fn call(h: &[u8], s: usize, min: usize) -> Option<Tail> {
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
                if !(min..=200).contains(&len) || at(h, v + len) != Some(quote) {
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
fn or_default(h: &[u8], s: usize, shape: &Shape) -> Option<Tail> {
    let n = run(h, s, 80, |b| {
        is_word(b) || matches!(b, b'.' | b'$' | b'[' | b']' | b'"' | b'\'' | b'(' | b')')
    })
    .min(80);
    for j in 1..=n {
        let p = skip_ws(h, s + j);
        // `||`, `??` or `\bor\b`: each two bytes long.
        let op = (starts_with(h, p, b"||")
            || starts_with(h, p, b"??")
            || starts_with(h, p, b"or")
                && (p == 0 || !is_word(h[p - 1]))
                && !at(h, p + 2).is_some_and(is_word))
        .then_some(p + 2);
        if let Some(e) = op {
            if let Some(m) = value(h, skip_ws(h, e), shape) {
                return Some(m);
            }
        }
    }
    value(h, s, shape)
}

/// The bare value's class `[A-Za-z0-9_+/=~!@%^*.&#-]`, with `(` and `)` when `paren`.
fn bare(b: u8, paren: bool) -> bool {
    b.is_ascii_alphanumeric() || b"_+/=~!@%^*.&#-".contains(&b) || paren && (b == b'(' || b == b')')
}

/// `bare` less `=` and `&` (the query form's value).
fn bare_query(b: u8) -> bool {
    bare(b, false) && b != b'=' && b != b'&'
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
fn quoted(h: &[u8], q: usize, quote: u8, escaped: bool, min: usize) -> Option<Tail> {
    if at(h, q) != Some(quote) {
        return None;
    }
    let doubled = [quote, quote];
    for b in opt_lit(h, q + 1, if quote == b'"' { b"\"\"" } else { b"''" }) {
        debug_assert!(b == q + 1 || h[q + 1..b] == doubled);
        let len = run(h, b, 200, |x| x != quote && x != b'\\' && !is_space(x));
        if !(min..=200).contains(&len) {
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
fn value(h: &[u8], v: usize, shape: &Shape) -> Option<Tail> {
    let prefix = |b: u8| matches!(b, b'b' | b'B' | b'r' | b'R' | b'u' | b'U');
    for p in opt_class(h, v, prefix) {
        for q in opt_byte(h, p, b'\\') {
            if let Some(m) = quoted(h, q, b'"', true, shape.min) {
                return Some(m);
            }
        }
    }
    for p in opt_class(h, v, prefix) {
        if let Some(m) = quoted(h, p, b'\'', false, shape.min) {
            return Some(m);
        }
    }
    if at(h, v) == Some(b'`') {
        let len = run(h, v + 1, 200, |x| x != b'`' && x != b'\\' && !is_space(x));
        if (shape.min..=200).contains(&len) && at(h, v + 1 + len) == Some(b'`') {
            return Some((v + len + 2, (v + 1, v + 1 + len)));
        }
    }
    // The bare value: `(?&line_end)` opens with `\s`, `$` or `;`, none of them a bare byte nor a
    // letter (nor a line's end), so only the longest run can be followed by it; with digits
    // first, then (`letters`) of letters alone, 20 to 200.
    if let Some(e) = bare_run(h, v, |b| bare(b, shape.paren)) {
        if let Some(end) = line_end(h, e) {
            return Some((end, (v, e)));
        }
    }
    if shape.letters {
        let len = run(h, v, 200, |b| b.is_ascii_alphabetic());
        if (20..=200).contains(&len) {
            return line_end(h, v + len).map(|end| (end, (v, v + len)));
        }
    }
    None
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
fn element_text(h: &[u8], k: usize, min: usize) -> Option<Tail> {
    if at(h, k) != Some(b'>') {
        return None;
    }
    let v = k + 1;
    let len = run(h, v, 200, |b| {
        !matches!(b, b'<' | b'>' | b'"' | b'\'') && !is_space(b)
    });
    ((min..=200).contains(&len) && starts_with(h, v + len, b"</"))
        .then_some((v + len + 2, (v, v + len)))
}

/// `=(bare)(?&embedded_value_end)`.
fn embedded(h: &[u8], k: usize, paren: bool) -> Option<Tail> {
    if at(h, k) != Some(b'=') {
        return None;
    }
    let v = k + 1;
    let e = bare_run(h, v, |b| bare(b, paren))?;
    embedded_value_end(h, e).map(|end| (end, (v, e)))
}

/// `:[ \t]*([A-Za-z0-9_+/=~!%^*.#-]*[0-9][…]*)(?&embedded_value_end)`: the colon form inside a
/// string (`"API_KEY: value\n…"`). Its class holds neither `@` nor `&` (a URL's
/// `user:token@host`, a query's `a:b&c` are not it), nor a blank: only the longest blank run can
/// be followed by it, and only the value's longest run by the end (below).
fn embedded_colon(h: &[u8], k: usize) -> Option<Tail> {
    if at(h, k) != Some(b':') {
        return None;
    }
    let v = skip_blank(h, k + 1);
    let e = bare_run(h, v, |b| bare(b, false) && b != b'@' && b != b'&')?;
    embedded_value_end(h, e).map(|end| (end, (v, e)))
}

/// `(?&embedded_value_end)` at `e`, where its match ends: `(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)`
/// | `\x5c[nrt]` | `(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z])`. All three open with `\`, a quote,
/// a backtick or a blank, none a byte of a bare value's class: only the value's longest run can
/// be followed by them.
fn embedded_value_end(h: &[u8], e: usize) -> Option<usize> {
    let escape =
        |i: usize| at(h, i) == Some(b'\\') && matches!(at(h, i + 1), Some(b'n' | b'r' | b't'));
    // The string closes after an optional escape (tried with it first: greedy).
    let with_escape = escape(e).then_some(e + 2);
    for p in with_escape.into_iter().chain([e]) {
        if !matches!(at(h, p), Some(b'"' | b'\'' | b'`')) {
            continue;
        }
        // `\s*` then a byte of `[,;+)\]}.]`: none is `\s`, so only the run's longest length can
        // be followed by one; else `\s*$`, which takes the run's last line end (`eol_after_ws`).
        let q = p + 1;
        let w = skip_ws(h, q);
        if matches!(
            at(h, w),
            Some(b',' | b';' | b'+' | b')' | b']' | b'}' | b'.')
        ) {
            return Some(w + 1);
        }
        if let Some(end) = eol_after_ws(h, q) {
            return Some(end);
        }
    }
    // An escape alone: the string goes on.
    if escape(e) {
        return Some(e + 2);
    }
    for p in opt_lit(h, e, b"\\n") {
        for q in opt_class(h, p, |b| b == b'"' || b == b'\'') {
            // `[ \t]+` before `[a-z./]` or `-`: longest only.
            let b = skip_blank(h, q);
            if b == q {
                continue;
            }
            match at(h, b) {
                Some(b'a'..=b'z' | b'.' | b'/') => return Some(b + 1),
                Some(b'-') => {
                    for r in opt_byte(h, b + 1, b'-') {
                        if at(h, r).is_some_and(|x| x.is_ascii_lowercase()) {
                            return Some(r + 1);
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

/// The leftmost-first match of `WEAK_SECRET` starting at or after `from` (look-behind sees `hay`
/// before `from`, as a search whose range starts there does).
///
/// A match is `\b`, a lazy run `[\w.-]{0,40}?`, then the rest (`weak_rest`) at some `c` where
/// `secret` starts. For a place `c` where the rest matches, the match can start at the earliest
/// `s(c)` in `max(from, c - 40)..=c` with `\b` at `s` and only name bytes in `s..c`. Of two such
/// places `c < c'`, `s(c) <= s(c')` (a start that reaches `c'` over name bytes within 40 reaches
/// `c` too), so the leftmost match starts at `s(c)` of the first such `c` that has one; from there
/// the lazy run stops at the first place it reaches where the rest matches, which is that `c` (an
/// earlier one would have been found first). The rest depends only on `c`, so its groups are
/// the rest's.
fn weak_from(hay: &[u8], from: usize) -> Option<Found> {
    let mut i = from;
    while let Some(k) = memchr::memchr2(b's', b'S', &hay[i.min(hay.len())..]) {
        let c = i + k;
        i = c + 1;
        if !(hay.len() >= c + 6 && hay[c..c + 6].eq_ignore_ascii_case(b"secret")) {
            continue;
        }
        let Some(s) = weak_start(hay, from, c) else {
            continue;
        };
        if let Some((end, value)) = weak_rest(hay, c) {
            return Some(Found {
                start: s,
                end,
                value,
            });
        }
    }
    None
}

/// `s(c)` of `weak_from`: the earliest place in `max(from, c - 40)..=c` from which `c` is reached
/// over `[\w.-]` and where `\b` holds (ASCII).
fn weak_start(h: &[u8], from: usize, c: usize) -> Option<usize> {
    let lo = from.max(c.saturating_sub(40));
    let mut p = c;
    while p > lo && (is_word(h[p - 1]) || matches!(h[p - 1], b'.' | b'-')) {
        p -= 1;
    }
    (p..=c).find(|&q| boundary(h, q))
}

/// The rest of `WEAK_SECRET` at `c`, where `secret` starts: its name's ends in order, then
/// `\\?["'\x60]?\]?`, a type, `[ \t]*`, an operator, a constructor, `[ \t]*` and the value.
fn weak_rest(h: &[u8], c: usize) -> Option<Tail> {
    // `secret(?:[_.-]?key(?:[_.-]?base)?|[_.-]?token)?`: the group's ends (each alternative's in
    // its order) before the bare `secret`.
    const NAMES: &[&[P]] = &[
        &[L(b"secret"), Sep, L(b"key"), Opt(&[Sep, L(b"base")])],
        &[L(b"secret"), Sep, L(b"token")],
        &[L(b"secret")],
    ];
    let (mut seen, mut n) = ([0usize; 8], 0);
    let mut found = None;
    for alt in NAMES {
        spell(h, c, alt, &mut |e| {
            if found.is_some() || seen[..n].contains(&e) {
                return;
            }
            if n < seen.len() {
                seen[n] = e;
                n += 1;
            }
            found = weak_tail(h, e);
        });
        if found.is_some() {
            break;
        }
    }
    found
}

/// After the name: each optional closing byte taken before it is skipped, the type (its lazy run
/// shortest first, then none), the operator (`[ \t]*` before it: no operator opens with a blank),
/// the constructor, and the value (`[ \t]*` before it: no value opens with one).
fn weak_tail(h: &[u8], e: usize) -> Option<Tail> {
    for p in opt_byte(h, e, b'\\') {
        for q in opt_class(h, p, |b| matches!(b, b'"' | b'\'' | b'`')) {
            for r in opt_byte(h, q, b']') {
                let m = weak_type(h, r, &mut |t| {
                    assign_op(h, skip_blank(h, t), &mut |o| {
                        ctor_after_op(h, o, &mut |u| weak_value(h, skip_blank(h, u)))
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

/// `(?::[ \t]*&?[A-Za-z_][\w.\[\]<>|]{0,30}?)?`: taken (the lazy run shortest first), then
/// skipped. The blanks come before `&` or the type's first letter: longest only.
fn weak_type(h: &[u8], r: usize, f: &mut dyn FnMut(usize) -> Option<Tail>) -> Option<Tail> {
    if at(h, r) == Some(b':') {
        let w = skip_blank(h, r + 1);
        for a in opt_byte(h, w, b'&') {
            if !at(h, a).is_some_and(|x| x.is_ascii_alphabetic() || x == b'_') {
                continue;
            }
            let s0 = a + 1;
            let n = run(h, s0, 30, |x| {
                is_word(x) || matches!(x, b'.' | b'[' | b']' | b'<' | b'>' | b'|')
            })
            .min(30);
            for j in 0..=n {
                if let Some(m) = f(s0 + j) {
                    return Some(m);
                }
            }
        }
    }
    f(r)
}

/// `[bBrRuU]?\\?"([^"\s\\]{6,64})\\?"|'([^'\s\\]{6,64})'|\x60([^\x60\s\\]{6,64})\x60`, then the
/// optional `(?:[ \t]*(?:\+|\.[ \t]*[A-Za-z_$]|\[|%[ \t(]))?` (taken when it is there). Each
/// value's class holds neither its quote nor `\`, so only its longest run (at most 64) can be
/// followed by the closing quote.
fn weak_value(h: &[u8], v: usize) -> Option<Tail> {
    let body = |q: usize, quote: u8| {
        let len = run(h, q + 1, 64, |x| x != quote && x != b'\\' && !is_space(x));
        (6..=64).contains(&len).then_some((q + 1, q + 1 + len))
    };
    let prefix = |b: u8| matches!(b, b'b' | b'B' | b'r' | b'R' | b'u' | b'U');
    let mut found = None;
    'dq: for p in opt_class(h, v, prefix) {
        for q in opt_byte(h, p, b'\\') {
            if at(h, q) != Some(b'"') {
                continue;
            }
            if let Some((a, e)) = body(q, b'"') {
                if at(h, e) == Some(b'\\') && at(h, e + 1) == Some(b'"') {
                    found = Some((e + 2, (a, e)));
                    break 'dq;
                }
                if at(h, e) == Some(b'"') {
                    found = Some((e + 1, (a, e)));
                    break 'dq;
                }
            }
        }
    }
    if found.is_none() {
        for quote in [b'\'', b'`'] {
            if at(h, v) == Some(quote) {
                if let Some((a, e)) = body(v, quote) {
                    if at(h, e) == Some(quote) {
                        found = Some((e + 1, (a, e)));
                    }
                }
            }
        }
    }
    let (end, value) = found?;
    // The trailer: `[ \t]*` before `+`, `.`, `[` or `%` (longest only), `[ \t]*` after `.`
    // likewise.
    let b = skip_blank(h, end);
    let trailer = match at(h, b) {
        Some(b'+' | b'[') => Some(b + 1),
        Some(b'.') => {
            let w = skip_blank(h, b + 1);
            at(h, w)
                .is_some_and(|x| x.is_ascii_alphabetic() || x == b'_' || x == b'$')
                .then_some(w + 1)
        }
        Some(b'%') => matches!(at(h, b + 1), Some(b' ' | b'\t' | b'(')).then_some(b + 2),
        _ => None,
    };
    Some((trailer.unwrap_or(end), value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrng::{n, Rng, Spans};

    /// The built-in rule's regex and keywords, as the engine loads them (fragments written out).
    fn builtin(id: &str) -> (String, Vec<String>) {
        let rule = crate::rules::RuleSet::builtin()
            .unwrap()
            .rules
            .into_iter()
            .find(|r| &*r.id == id)
            .expect("the rule is built in");
        (rule.regex.unwrap().as_str().to_string(), rule.keywords)
    }

    /// The engine's view of the pattern: its lead, where matches start, its keywords.
    struct Setup {
        read: AssignRead,
        lead: Option<Lead>,
        starts: Option<KeywordStarts>,
        keywords: Vec<Vec<u8>>,
        re: regex::bytes::Regex,
    }

    fn setup(id: &str, src: &str) -> Setup {
        let (builtin, keywords) = builtin(id);
        assert_eq!(builtin, src);
        let hir = super::super::gate::parse(src).unwrap();
        let read = AssignRead::of(src).expect("read by hand");
        // The keyed readers' starts, as the engine works them out: the name run split off, the
        // keywords the rest opens with.
        let (lead, starts) = match Lead::split(&hir) {
            Some((lead, rest)) => (Some(lead), KeywordStarts::of(&rest, &keywords)),
            None => (None, None),
        };
        assert_eq!(read.keyed(), lead.is_some() && starts.is_some());
        // The engine reads `$` as a line's end (`gate::on_lines`): `(?m)`'s `$`.
        let re = regex::bytes::RegexBuilder::new(src)
            .unicode(false)
            .multi_line(true)
            .size_limit(crate::rules::REGEX_SIZE_LIMIT)
            .build()
            .unwrap();
        Setup {
            read,
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
        let keyed = s
            .starts
            .as_ref()
            .zip(s.lead.as_ref())
            .map(|(starts, lead)| (starts, &hits[..], base, lead));
        s.read.for_each(hay, keyed, |f| {
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
            "",
            "",
            "db_",
            "my.",
            "x-",
            "AWS_",
            "client",
            "user.",
            "é",
            "a b",
            "$",
            "[",
            "-",
            ".",
            "jwt_",
            "a_name_prefix_that_runs_longer_than_forty_bytes_",
            "x.a_name_of_thirty_nine_bytes_abcdefghi",
        ];
        const KEYWORDS: &[&str] = &[
            "password",
            "PASSWORD",
            "Passwd",
            "passphrase",
            "pwd",
            "secret",
            "Secret",
            "token",
            "TOKEN",
            "api_key",
            "api-key",
            "api.key",
            "apikey",
            "ApiKey",
            "api__key",
            "api_ke",
            "access_key",
            "accessKey",
            "auth-key",
            "authkey",
            "private_key",
            "privateKey",
            "credential",
            "credentials",
            "CREDENTIALSS",
            "tokens",
            "token_id",
            "secretKey",
            "pass",
            "passwor",
            "tok",
            "session_secret",
            "SessionSecret",
            "cookie-secret",
            "secret_key",
            "SECRET_KEY_BASE",
            "secretkeybase",
            "secret-key_base",
            "secret_key_bas",
            "app_secret_key",
            "appsecretkey",
            "NEXTAUTH_SECRET",
            "nextauth.secret",
            "auth_secret",
            "authsecret",
            "session_key",
            "sessionKey",
            "signing_secret",
            "secret_token",
            "secret..token",
            "session__secret",
        ];
        const LEADS: &[&str] = &[
            "=",
            " = ",
            ":",
            ": ",
            "=>",
            " => ",
            "<-",
            " <- ",
            "||=",
            "??=",
            "?=",
            ":=",
            " := ",
            "||",
            "??",
            "==",
            "!=",
            "<=",
            "-",
            "",
            " ",
            "\t=\t",
            "\"]=",
            "\"] = ",
            "'] = ",
            "\\\"=",
            "\\\": ",
            "\": ",
            "': ",
            "\", ",
            "', ",
            "\",default=",
            "\", fallback = ",
            "\",  default =",
            "\" value=",
            "' value = ",
            "\"value=",
            "\\\", ",
            ": str = ",
            ": String = ",
            ": &'static str = ",
            ":&'static  str=",
            ": Option<String> = ",
            ": string | undefined = ",
            ": Dict[str, str] = ",
            ": a, b, c, d, e, f, g, h, i, j, k = ",
            ": Type",
            ": 9x = ",
            " { get; set; } = ",
            " {get; private set;} = ",
            "{ get; }=",
            " { get; init; } = ",
            " { get; set; }",
            " { get; aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa } = ",
            " = String::from(",
            " = String(",
            " = new String(",
            " = new  String(",
            " = str(",
            " = SecretStr(",
            " = SecretString(",
            " = Secret(",
            " = Some(",
            " = Some (",
            " = some(",
            "=String::from (",
            ">",
            "=",
            "=",
            "= ",
            "\n= ",
        ];
        const CALLS: &[&str] = &[
            "os.getenv(",
            "getenv(",
            "config.get(",
            "env()(",
            "a.b().get(",
            "a.b.c.d.e.f.g.h.i.j.k.l.m(",
            "_x(",
            "9x(",
            "f (",
            "f()(",
            "f().g(",
            "settings.value.x(",
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
            "",
            "",
            " ",
            "  ",
            ";",
            " ;",
            "; ",
            " # c",
            "#",
            " // c",
            "//",
            " \\",
            "\\",
            "\t\\",
            ",",
            ")",
            ");",
            " ) ; ",
            "\\n\"",
            "\\n\");",
            "\",",
            "\"",
            "'",
            "\" )",
            "' -t app .",
            " --flag",
            " -f",
            " -",
            " x",
            " X",
            " .",
            "\\n\" run",
            "&name=",
            "&n.a-m_e=",
            "&=",
            "&9=",
            "</",
            "</x>",
            "<",
            "\n",
            " \n",
            "\n\n",
            "\r\n",
            " \r\n ",
            "é",
            " + x",
            "+",
            ".format(x)",
            " . $x",
            ".",
            ". 9",
            "[0]",
            " [",
            " % (",
            "%s",
            "%\t",
            "% x",
            // The ends of a value inside a string (`embedded_value_end`, stop 26).
            "\";",
            "\" ;",
            "\" + x",
            "\", \"B=1\"]",
            "\"]",
            "\"}",
            "'.",
            "`",
            "`;",
            "`.trim()",
            "\\r",
            "\\t\"",
            "\\r\\n\";",
            "\\nUser: x\"",
            "\\x",
            "@host",
            "@host\"",
            "&x\"",
            ":x\"",
        ];
        let mut line = Vec::new();
        for _ in 0..n(r, 3) + 1 {
            if n(r, 3) == 0 {
                line.extend_from_slice(
                    pick(r, &["x ", "\t", "{", "(\"", "  ", "é", ";"]).as_bytes(),
                );
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
            let len = match n(r, 6) {
                0 => n(r, 12),
                1 => 8 + n(r, 5),
                2 => 198 + n(r, 5),
                3 => 62 + n(r, 5),
                _ => 10 + n(r, 30),
            };
            let digit = n(r, 3) != 0;
            // Letters alone, around the bare form's 20 to 200.
            let letters = n(r, 5) == 0;
            for i in 0..len {
                if digit && i == len / 2 {
                    line.push(b'0' + n(r, 10) as u8);
                } else if letters {
                    line.push(b"abcXYZ"[n(r, 6)]);
                } else if n(r, 30) == 0 {
                    line.extend_from_slice(
                        pick(r, &[" ", "\"", "'", "\\", "é", "<", ">", "`", "(", ")"]).as_bytes(),
                    );
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
        same_as_the_regex(
            "generic-secret-assignment",
            GENERIC_SECRET,
            0x2545_F491_4F6C_DD1D,
        );
    }

    #[test]
    fn weak_secret_matches_are_the_regex_matches() {
        same_as_the_regex("weak-secret-assignment", WEAK_SECRET, 0xD1B5_4A32_D192_ED03);
    }

    #[test]
    fn session_secret_matches_are_the_regex_matches() {
        same_as_the_regex(
            "session-secret-assignment",
            SESSION_SECRET,
            0x9E37_79B9_7F4A_7C15,
        );
    }

    /// Every match and its value's group, by hand and by the `regex` crate, on 30,000 random
    /// lines and on the repository's fixtures (whole files and line by line).
    fn same_as_the_regex(id: &str, src: &str, seed: u64) {
        let s = setup(id, src);
        let mut r = Rng(seed);
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
        assert!(matched > 500, "{matched} of {lines}");
        assert!(forms.len() >= 4, "{forms:?}");
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
            assert_eq!(
                by_hand(&s, &text, 0),
                by_regex(&s, &text),
                "{}",
                p.display()
            );
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
        assert!(real > 1_000 && hits > 0, "{real} {hits}");
    }

    #[test]
    fn only_the_exact_pattern_is_read_by_hand() {
        assert_eq!(AssignRead::of(GENERIC_SECRET), Some(AssignRead::Generic));
        assert_eq!(AssignRead::of(SESSION_SECRET), Some(AssignRead::Session));
        // One byte off (values of 11, not 10) keeps the regex.
        assert_eq!(
            AssignRead::of(&GENERIC_SECRET.replacen("{10,200}", "{11,200}", 1)),
            None
        );
        // The built-in rule is this pattern (its fragments written out): a catalog edit that
        // changes it must update the reader (or drop it), which this makes a deliberate step.
        assert_eq!(builtin("generic-secret-assignment").0, GENERIC_SECRET);
        assert_eq!(builtin("session-secret-assignment").0, SESSION_SECRET);
        assert_eq!(builtin("weak-secret-assignment").0, WEAK_SECRET);
        assert_eq!(AssignRead::of(WEAK_SECRET), Some(AssignRead::Weak));
    }
}
