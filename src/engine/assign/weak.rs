//! `weak-secret-assignment` and `weak-password-assignment` read by hand: a name ending in the
//! rule's word, a type, an operator, a constructor and a quoted value with what may follow it in
//! an expression. The engine locates these rules (no keyword opens their regex), so the readers
//! find their own starts: each place the word occurs, and the walk back over the name's bytes to
//! the earliest word boundary a match can open at.

use super::shared::*;
use super::{Found, Tail};

/// `weak-secret-assignment`'s regex (rules/cdkey23.toml), written out likewise: a name ending in
/// `secret` (`secret_key`, `secret_key_base`, `secret_token`), a type, an operator and a quoted
/// value of 6 to 64, with what may follow it in an expression.
pub(super) const WEAK_SECRET: &str = r#"\b[\w.-]{0,40}?(?i:secret)(?:[_.-]?(?i:key)(?:[_.-]?(?i:base))?|[_.-]?(?i:token))?\\?["'`]?\]?(?::[ \t]*&?[A-Za-z_][\w.\[\]<>|]{0,30}?)?[ \t]*(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?[ \t]*(?:[bBrRuU]?\\?"([^"\s\\]{6,64})\\?"|'([^'\s\\]{6,64})'|`([^`\s\\]{6,64})`)(?:[ \t]*(?:\+|\.[ \t]*[A-Za-z_$]|\[|%[ \t(]))?"#;

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
pub(super) fn secret_from(hay: &[u8], from: usize) -> Option<Found> {
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
    (name_back(h, from, c, 40)..=c).find(|&q| boundary(h, q))
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
    first_end(h, c, NAMES, |e| weak_tail(h, e))
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

