//! `generic-key-assignment` read by hand: a name ending in `_key`, `-key`, `.key` or `xKey`, a
//! lead-in (quotes, a type, an operator and a constructor; a call's next argument; an XML
//! `value=`; an element's `>`), a value of 20 to 200 and what may end it. The engine locates the
//! rule (its regex opens with `(?:^|[^A-Za-z0-9_.])`, no keyword), so the reader finds its own
//! starts: each `key`, and the walk back over the name's bytes (docs/engine.md, "The
//! pathological input, thirteenth round").

use super::shared::*;
use super::{Found, Tail};

/// `generic-key-assignment`'s regex (rules/generic_key.toml), with `(?&string_ctor)` written out
/// as build.rs writes it.
pub(super) const GENERIC_KEY: &str = r#"(?:^|[^A-Za-z0-9_.])[A-Za-z][\w.-]{0,40}?(?:[_.-](?i:key)|[A-Za-z0-9]Key)(?:\\?["'`]?\]?[ \t]*(?::[ \t]*&?[A-Za-z_][\w.<>\[\]]{0,30}[ \t]*)?(?:=>|<-|\|\|=|\?\?=|\?=|:=|[=:])[ \t]*(?:(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\([ \t]*)?|\\?["'][ \t]*,[ \t]*|["'][ \t]+value[ \t]*=[ \t]*|>)(?:[bruBRU]?\\?["'`])?([A-Za-z0-9_+/=.~!@#%^*-]{20,200})(?:\\?["'`<]|[ \t]*[,;)}\]&]|[ \t]*$|[ \t]+#|[ \t]+//|[ \t]+\\$)"#;

/// The leftmost-first match of `GENERIC_KEY` starting at or after `from` (look-behind sees
/// `hay` before `from`).
///
/// Every match holds a place `k` where `key` (ASCII case folded) starts: its name's keyword
/// (`[_.-]key`, `xKey`). The name `[A-Za-z][\w.-]{0,40}?` and the keyword's first byte are name
/// bytes (`[\w.-]`), so the name opens at a letter `ns` at most 42 bytes before `k` with only
/// name bytes between; the match opens at `ns` (after `^`) or one byte before it (the byte
/// `[^A-Za-z0-9_.]`, which may be a `-`, a name byte). Those are `k`'s candidates.
///
/// The places `k` are taken in order and each one's candidates tried in order, each with the
/// regex's own priorities at that start (`key_at`); the first that matches is the leftmost
/// match. A later `k'`'s candidate `p' <= k - 2` is one of `k`'s: its name opens at `ns' <= k -
/// 1`, within 42 name bytes of `k'` and so of `k`. So once `k`'s candidates have failed, every
/// start up to `k - 2` has been tried, and the smallest candidate that matches is the leftmost.
pub(super) fn key_from(hay: &[u8], from: usize) -> Option<Found> {
    let mut i = from;
    // Every start before `next` has been tried.
    let mut next = from;
    while let Some(j) = memchr::memchr2(b'k', b'K', &hay[i.min(hay.len())..]) {
        let k = i + j;
        i = k + 1;
        if k < 2 || !starts_folded(hay, k, b"key") || !keyword_at(hay, k) {
            continue;
        }
        let back = name_back(hay, from, k, 42);
        let mut last = None;
        for ns in back..k {
            if !hay[ns].is_ascii_alphabetic() {
                continue;
            }
            for p in [ns.wrapping_sub(1), ns] {
                if ns == 0 && p != ns || p < next || last.is_some_and(|l| p <= l) {
                    continue;
                }
                last = Some(p);
                if let Some((end, value)) = key_at(hay, p) {
                    return Some(Found {
                        start: p,
                        end,
                        value,
                    });
                }
            }
        }
        next = next.max(k - 1);
    }
    None
}

/// Whether the `key` at `k` can be a match's keyword: after `[_.-]` (any case) or a letter or
/// digit (`Key`), and followed by a byte a lead-in opens with (`\`, a quote, `]`, a blank, `:`,
/// an operator's first byte, `,` or `>`). A `key` that is not is no match's keyword; the places
/// skipped so are no match's `k`, and the argument of `key_from` holds for the places kept.
fn keyword_at(h: &[u8], k: usize) -> bool {
    let before = match h[k - 1] {
        b'_' | b'.' | b'-' => true,
        b => b.is_ascii_alphanumeric() && h[k..].starts_with(b"Key"),
    };
    before
        && matches!(
            at(h, k + 3),
            Some(
                b'\\'
                    | b'"'
                    | b'\''
                    | b'`'
                    | b']'
                    | b' '
                    | b'\t'
                    | b':'
                    | b'='
                    | b'<'
                    | b'|'
                    | b'?'
                    | b','
                    | b'>'
            )
        )
}

/// `[^A-Za-z0-9_.]`: the byte a match opens with when not at a line's start.
fn opener(b: u8) -> bool {
    !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// The anchored match at `p`: `^` (a line's start, as the engine reads it) then the name at `p`,
/// then `[^A-Za-z0-9_.]` and the name after it.
fn key_at(h: &[u8], p: usize) -> Option<Tail> {
    let line_start = p == 0 || h[p - 1] == b'\n';
    if line_start {
        if let Some(m) = key_name(h, p) {
            return Some(m);
        }
    }
    if at(h, p).is_some_and(opener) {
        return key_name(h, p + 1);
    }
    None
}

/// `[A-Za-z][\w.-]{0,40}?(?:[_.-](?i:key)|[A-Za-z0-9]Key)` at `ns` and the rest: the lazy run
/// shortest first, at each length the two keyword forms (they open with different bytes).
fn key_name(h: &[u8], ns: usize) -> Option<Tail> {
    if !at(h, ns).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let n = run(h, ns + 1, 40, is_name_byte).min(40);
    for q in ns + 1..=ns + 1 + n {
        let Some(b) = at(h, q) else {
            break;
        };
        let there = if matches!(b, b'_' | b'.' | b'-') {
            starts_folded(h, q + 1, b"key")
        } else {
            b.is_ascii_alphanumeric() && starts_with(h, q + 1, b"Key")
        };
        if there {
            if let Some(m) = key_lead(h, q + 4) {
                return Some(m);
            }
        }
    }
    None
}

/// The lead-in's four forms at `e`, in order, each followed by the value.
fn key_lead(h: &[u8], e: usize) -> Option<Tail> {
    // `\\?["'\x60]?\]?[ \t]*(?::[ \t]*&?[A-Za-z_][\w.<>\[\]]{0,30}[ \t]*)?OP[ \t]*(?:CTOR\([ \t]*)?`.
    // The blanks before `:` or the operator, and before it after the type, are followed by
    // neither a blank nor a type byte: longest only. The type's run holds `<` (`<-`'s first
    // byte), so each of its lengths is tried, longest first; the annotation taken before it is
    // skipped.
    for p in opt_byte(h, e, b'\\') {
        for q in opt_class(h, p, |b| matches!(b, b'"' | b'\'' | b'`')) {
            for r in opt_byte(h, q, b']') {
                let w = skip_blank(h, r);
                if at(h, w) == Some(b':') {
                    let w2 = skip_blank(h, w + 1);
                    for a in opt_byte(h, w2, b'&') {
                        if !at(h, a).is_some_and(|x| x.is_ascii_alphabetic() || x == b'_') {
                            continue;
                        }
                        let n = run(h, a + 1, 30, |x| {
                            is_word(x) || matches!(x, b'.' | b'<' | b'>' | b'[' | b']')
                        })
                        .min(30);
                        for j in (0..=n).rev() {
                            if let Some(m) = key_op(h, skip_blank(h, a + 1 + j)) {
                                return Some(m);
                            }
                        }
                    }
                }
                if let Some(m) = key_op(h, w) {
                    return Some(m);
                }
            }
        }
    }
    // `\\?["'][ \t]*,[ \t]*`: blanks before `,` and before the value: longest only.
    for p in opt_byte(h, e, b'\\') {
        if is_quote(at(h, p)) {
            let w = skip_blank(h, p + 1);
            if at(h, w) == Some(b',') {
                if let Some(m) = key_value(h, skip_blank(h, w + 1)) {
                    return Some(m);
                }
            }
        }
    }
    // `["'][ \t]+value[ \t]*=[ \t]*`.
    if is_quote(at(h, e)) {
        let w = skip_blank(h, e + 1);
        if w > e + 1 && starts_with(h, w, b"value") {
            let w = skip_blank(h, w + 5);
            if at(h, w) == Some(b'=') {
                if let Some(m) = key_value(h, skip_blank(h, w + 1)) {
                    return Some(m);
                }
            }
        }
    }
    // `>`.
    if at(h, e) == Some(b'>') {
        return key_value(h, e + 1);
    }
    None
}

/// `(?:=>|<-|\|\|=|\?\?=|\?=|:=|[=:])` at `w` (each that is there, in that order), then `[ \t]*`,
/// the optional constructor and its blanks (`ctor_after_op`: the blanks before the constructor
/// are the same run) and the value.
fn key_op(h: &[u8], w: usize) -> Option<Tail> {
    const OPS: [&[u8]; 8] = [b"=>", b"<-", b"||=", b"??=", b"?=", b":=", b"=", b":"];
    if !matches!(at(h, w), Some(b'=' | b'<' | b'|' | b'?' | b':')) {
        return None;
    }
    OPS.iter()
        .filter(|op| starts_with(h, w, op))
        .find_map(|op| ctor_after_op(h, w + op.len(), &mut |u| key_value(h, skip_blank(h, u))))
}

/// The value's class `[A-Za-z0-9_+/=.~!@#%^*-]`.
fn key_class(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_+/=.~!@#%^*-".contains(&b)
}

/// `(?:[bruBRU]?\\?["'\x60])?([A-Za-z0-9_+/=.~!@#%^*-]{20,200})` and the terminator at `v`: the
/// opening quote taken before it is skipped. No terminator opens with a byte of the class, so
/// only the value's longest run (20 to 200) can be followed by one.
fn key_value(h: &[u8], v: usize) -> Option<Tail> {
    let prefix = |b: u8| matches!(b, b'b' | b'r' | b'u' | b'B' | b'R' | b'U');
    for p in opt_class(h, v, prefix) {
        for q in opt_byte(h, p, b'\\') {
            if matches!(at(h, q), Some(b'"' | b'\'' | b'`')) {
                if let Some(m) = key_run(h, q + 1) {
                    return Some(m);
                }
            }
        }
    }
    key_run(h, v)
}

fn key_run(h: &[u8], a: usize) -> Option<Tail> {
    let n = run(h, a, 200, key_class);
    if !(20..=200).contains(&n) {
        return None;
    }
    let e = a + n;
    key_end(h, e).map(|end| (end, (a, e)))
}

/// `(?:\\?["'\x60<]|[ \t]*[,;)}\]&]|[ \t]*$|[ \t]+#|[ \t]+//|[ \t]+\\$)` at `e`, the first form
/// that matches. The blanks come before none of what follows them: longest only.
fn key_end(h: &[u8], e: usize) -> Option<usize> {
    let closing = |b: Option<u8>| matches!(b, Some(b'"' | b'\'' | b'`' | b'<'));
    if at(h, e) == Some(b'\\') && closing(at(h, e + 1)) {
        return Some(e + 2);
    }
    if closing(at(h, e)) {
        return Some(e + 1);
    }
    let b = skip_blank(h, e);
    if matches!(at(h, b), Some(b',' | b';' | b')' | b'}' | b']' | b'&')) {
        return Some(b + 1);
    }
    if is_eol(h, b) {
        return Some(b);
    }
    if b > e {
        match at(h, b) {
            Some(b'#') => return Some(b + 1),
            Some(b'/') if at(h, b + 1) == Some(b'/') => return Some(b + 2),
            Some(b'\\') if is_eol(h, b + 1) => return Some(b + 1),
            _ => {}
        }
    }
    None
}
