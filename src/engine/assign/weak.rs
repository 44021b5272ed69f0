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

/// `weak-password-assignment`'s regex (rules/weak_passwords.toml), written out likewise: a call
/// form (`set("db_password", "…")`) or a name ending in a password word (`db_password`, `dbPass`,
/// `PWD`), then `WEAK_SECRET`'s lead-in and a quoted value of 3 to 64.
pub(super) const WEAK_PASSWORD: &str = r#"(?:\b(?i:setenv|putenv|put|set|setproperty|setdefault|getenv|get|env|add|setattr)\([ \t]*\\?["'](?:[\w.-]{0,40}?(?:(?i:password|passwd|passwort|passphrase)|[_.-](?i:pass|pwd)|[a-z0-9](?:Pass|Pwd)|[A-Z0-9](?:PASS|PWD))|(?i:pass|pwd))[0-9]?\\?["'][ \t]*,|\b(?:[\w.-]{0,40}?(?:(?i:password|passwd|passwort|passphrase)|[_.-](?i:pass|pwd)|[a-z0-9](?:Pass|Pwd)|[A-Z0-9](?:PASS|PWD))|(?i:pass|pwd))[0-9]?\\?["'`]?\]?(?::[ \t]*&?[A-Za-z_][\w.\[\]<>|]{0,30}?)?[ \t]*(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?)[ \t]*(?:[bBrRuU]?\\?"([^"\s\\]{3,64})\\?"|'([^'\s\\]{3,64})'|`([^`\s\\]{3,64})`)(?:[ \t]*(?:\+|\.[ \t]*[A-Za-z_$]|\[|%[ \t(]))?"#;

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
    first_end(h, c, NAMES, |e| weak_tail(h, e, 6))
}

/// After the name: each optional closing byte taken before it is skipped, the type (its lazy run
/// shortest first, then none), the operator (`[ \t]*` before it: no operator opens with a blank),
/// the constructor, and the value (`[ \t]*` before it: no value opens with one).
fn weak_tail(h: &[u8], e: usize, min: usize) -> Option<Tail> {
    for p in opt_byte(h, e, b'\\') {
        for q in opt_class(h, p, |b| matches!(b, b'"' | b'\'' | b'`')) {
            for r in opt_byte(h, q, b']') {
                let m = weak_type(h, r, &mut |t| {
                    assign_op(h, skip_blank(h, t), &mut |o| {
                        ctor_after_op(h, o, &mut |u| weak_value(h, skip_blank(h, u), min))
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

/// `[bBrRuU]?\\?"([^"\s\\]{min,64})\\?"|'([^'\s\\]{6,64})'|\x60([^\x60\s\\]{6,64})\x60`, then the
/// optional `(?:[ \t]*(?:\+|\.[ \t]*[A-Za-z_$]|\[|%[ \t(]))?` (taken when it is there). Each
/// value's class holds neither its quote nor `\`, so only its longest run (at most 64) can be
/// followed by the closing quote.
fn weak_value(h: &[u8], v: usize, min: usize) -> Option<Tail> {
    let body = |q: usize, quote: u8| {
        let len = run(h, q + 1, 64, |x| x != quote && x != b'\\' && !is_space(x));
        (min..=64).contains(&len).then_some((q + 1, q + 1 + len))
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

/// The leftmost-first match of `WEAK_PASSWORD` starting at or after `from` (look-behind sees
/// `hay` before `from`).
///
/// Every match holds a place `k` where `pass` or `pwd` (ASCII case folded) starts: the first of
/// its name's keyword (`password`… open with `pass`; `[_.-]pass`, `xPwd`, `XPWD` hold it after
/// one byte). A match's start `p` is one of `k`'s candidates (`password_starts`): in the name
/// form, a `\b` in the run of name bytes (`[\w.-]`) of at most 41 before `k` (the lazy run of
/// 40 and the keyword's one byte); in the call form, the start of the word before the `(` in
/// front of the quote that opens that run (the name opens right after the quote, so the run
/// back from `k` is the whole name; `\\?` and `[ \t]*` hold no name byte).
///
/// The places `k` are taken in order and each one's candidates tried in order, each with the
/// regex's own priorities at that start (`password_at`); the first that matches is the
/// leftmost match. No later `k'` has an untried candidate `p' <= k`: a name-form `p'` reaches
/// `k'` over name bytes within 41, so it reaches `k` too and is one of `k`'s; a call-form `p'`
/// has `k` inside the same quoted name (no call word holds `pass` or `pwd`, and `k >= p'`), so
/// `k`'s call candidate is the same word. So once `k`'s candidates have failed, only places after
/// `k` remain, and the smallest candidate that matches is the leftmost match.
pub(super) fn password_from(hay: &[u8], from: usize) -> Option<Found> {
    let mut i = from;
    // Every candidate up to `next` has been tried.
    let mut next = from;
    while let Some(j) = memchr::memchr2(b'p', b'P', &hay[i.min(hay.len())..]) {
        let k = i + j;
        i = k + 1;
        if !starts_folded(hay, k + 1, b"ass") && !starts_folded(hay, k + 1, b"wd") {
            continue;
        }
        let back = name_back(hay, from, k, 41);
        let call = call_start(hay, from, back);
        let named = (back..=k).filter(|&q| boundary(hay, q));
        for q in call.into_iter().chain(named) {
            if q < next {
                continue;
            }
            if let Some((end, value)) = password_at(hay, q) {
                return Some(Found {
                    start: q,
                    end,
                    value,
                });
            }
        }
        next = k + 1;
    }
    None
}

/// The call form's start for a quoted name that opens at `ns`: back over `\\?["']`, `[ \t]*` and
/// `(` to the run of letters before it (the call word's `\b` is checked by `password_at`).
fn call_start(h: &[u8], from: usize, ns: usize) -> Option<usize> {
    if ns == 0 || !matches!(h[ns - 1], b'"' | b'\'') {
        return None;
    }
    let mut i = ns - 1;
    if i > 0 && h[i - 1] == b'\\' {
        i -= 1;
    }
    while i > 0 && matches!(h[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == 0 || h[i - 1] != b'(' {
        return None;
    }
    let paren = i - 1;
    let mut p = paren;
    while p > from && p + 11 > paren && h[p - 1].is_ascii_alphabetic() {
        p -= 1;
    }
    (p < paren).then_some(p)
}

/// The anchored match of `WEAK_PASSWORD` at `s`: the call form, then the name form.
fn password_at(h: &[u8], s: usize) -> Option<Tail> {
    if !boundary(h, s) {
        return None;
    }
    password_call(h, s).or_else(|| password_name(h, s, &mut |e| weak_tail(h, e, 3)))
}

/// `(?i:setenv|…|setattr)\([ \t]*\\?["']NAME[0-9]?\\?["'][ \t]*,` then the value. The words are
/// letters and `(` is not one, so only the word that is the whole run of letters from `s` can be
/// followed by it. `[ \t]*` comes before `\` or a quote, and before `,`: longest only.
fn password_call(h: &[u8], s: usize) -> Option<Tail> {
    const WORDS: [&[u8]; 11] = [
        b"setenv",
        b"putenv",
        b"put",
        b"set",
        b"setproperty",
        b"setdefault",
        b"getenv",
        b"get",
        b"env",
        b"add",
        b"setattr",
    ];
    let w = run(h, s, 11, |b| b.is_ascii_alphabetic());
    if at(h, s + w) != Some(b'(') || !WORDS.iter().any(|x| h[s..s + w].eq_ignore_ascii_case(x)) {
        return None;
    }
    let b = skip_blank(h, s + w + 1);
    for p in opt_byte(h, b, b'\\') {
        if !is_quote(at(h, p)) {
            continue;
        }
        let m = password_name(h, p + 1, &mut |e| {
            for q in opt_byte(h, e, b'\\') {
                if !is_quote(at(h, q)) {
                    continue;
                }
                let w = skip_blank(h, q + 1);
                if at(h, w) == Some(b',') {
                    // `[ \t]*` before the value, which opens with no blank: longest only.
                    if let Some(m) = weak_value(h, skip_blank(h, w + 1), 3) {
                        return Some(m);
                    }
                }
            }
            None
        });
        if m.is_some() {
            return m;
        }
    }
    None
}

/// `(?:[\w.-]{0,40}?(?:(?i:password|passwd|passwort|passphrase)|[_.-](?i:pass|pwd)|[a-z0-9](?:Pass|Pwd)|[A-Z0-9](?:PASS|PWD))|(?i:pass|pwd))[0-9]?`
/// at `s`, each end handed to `rest` in the regex's order: the lazy run shortest first, at each
/// length the keyword's alternatives as written, then the bare `pass`/`pwd`; each end with its
/// digit, then without.
fn password_name(h: &[u8], s: usize, rest: &mut dyn FnMut(usize) -> Option<Tail>) -> Option<Tail> {
    let mut digit = |e: usize| {
        for d in opt_class(h, e, |b| b.is_ascii_digit()) {
            if let Some(m) = rest(d) {
                return Some(m);
            }
        }
        None
    };
    let n = run(h, s, 40, is_name_byte).min(40);
    for p in s..=s + n {
        // Every alternative holds `p`/`P` at `p` or `p + 1`.
        let Some(b) = at(h, p) else {
            break;
        };
        if b | 0x20 != b'p' && at(h, p + 1).is_none_or(|c| c | 0x20 != b'p') {
            continue;
        }
        for lit in [&b"password"[..], b"passwd", b"passwort", b"passphrase"] {
            if starts_folded(h, p, lit) {
                if let Some(m) = digit(p + lit.len()) {
                    return Some(m);
                }
            }
        }
        let folded = matches!(b, b'_' | b'.' | b'-');
        let lower = b.is_ascii_lowercase() || b.is_ascii_digit();
        let upper = b.is_ascii_uppercase() || b.is_ascii_digit();
        for (on, lits) in [
            (folded, [&b"pass"[..], b"pwd"]),
            (lower, [&b"Pass"[..], b"Pwd"]),
            (upper, [&b"PASS"[..], b"PWD"]),
        ] {
            if !on {
                continue;
            }
            for lit in lits {
                let there = if folded {
                    starts_folded(h, p + 1, lit)
                } else {
                    starts_with(h, p + 1, lit)
                };
                if there {
                    if let Some(m) = digit(p + 1 + lit.len()) {
                        return Some(m);
                    }
                }
            }
        }
    }
    for lit in [&b"pass"[..], b"pwd"] {
        if starts_folded(h, s, lit) {
            if let Some(m) = digit(s + lit.len()) {
                return Some(m);
            }
        }
    }
    None
}
