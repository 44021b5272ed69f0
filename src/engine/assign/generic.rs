//! `generic-secret-assignment` and `session-secret-assignment` read by hand: a name's keyword, the
//! lead-in to its value (closing quotes, a type annotation, a C# property's accessors, an operator,
//! a constructor; a call's next argument; an XML `value=`), a fallback expression and the value in
//! one of its forms, walked once from each keyword candidate the engine gives (docs/engine.md,
//! "The pathological input, twelfth round").
//!
//! `generic-secret-assignment` reads most lines of keyword-dense code: at every keyword hit its
//! regex was searched anchored (a lazy DFA whose counted runs — a 30-byte type annotation, an
//! 80-byte fallback, 200-byte values — keep meeting states it has not built), and every match's
//! groups were resolved again by the bounded backtracker over the match's span. The places a
//! match can start are the engine's own (`KeywordStarts::next_candidate` over the rule's keyword
//! hits, tried in order; the name before the keyword by `Lead::start`), as the regex path does.

use super::shared::*;
use super::Tail;

/// `generic-secret-assignment`'s regex (rules/generic.toml), with the grammar's fragments
/// written out as build.rs writes them.
pub(super) const GENERIC_SECRET: &str = r#"(?i:[\w.-]{0,40}?(?:password|passwd|passphrase|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|credentials?))(?:(?:\\?["']\]?\s*,(?:\s*(?:default|fallback)\s*=)?|["']\s+value\s*=|\\?["']?\]?(?:\s*:\s*&?(?:'static\s+)?[A-Za-z_][\w.\[\]<>, |]{0,30}?)?(?:[ \t]*\{[ \t]*get;[^}\r\n]{0,30}\})?\s*(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?)\s*(?:[A-Za-z_][\w.]{0,40}(?:\(\))?(?:\.[A-Za-z_]\w*)?\(\s*(?:"([^"\s\\]{10,200})"|'([^'\s\\]{10,200})')\s*\)|(?:[\w.$\[\]"'()]{1,80}?\s*(?:\|\||\?\?|\bor\b)\s*)?(?:[bBrRuU]?\\?"(?:"")?([^"\s\\]{10,200})\\?"|[bBrRuU]?'(?:'')?([^'\s\\]{10,200})'|`([^`\s\\]{10,200})`|([A-Za-z0-9_+/=~!@%^*.&#-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#-]*)(?:\s*$|\s+#|\s+//|\s*;\s*$|[ \t]+\\$)))|>([^<>\s"']{10,200})</|=([A-Za-z0-9_+/=~!@%^*.&#-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#-]*)(?:(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)|\x5c[nrt]|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|:[ \t]*([A-Za-z0-9_+/=~!%^*.#-]*[0-9][A-Za-z0-9_+/=~!%^*.#-]*)(?:(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)|\x5c[nrt]|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|=([A-Za-z0-9_+/~!@%^*.#-]*[0-9][A-Za-z0-9_+/~!@%^*.#-]*)&[A-Za-z_][\w.-]{0,30}=)"#;

/// `session-secret-assignment`'s regex (rules/generic.toml), written out likewise: the same
/// grammar with its own names, values of 12 or more, `()` in a bare value, and a bare value of
/// letters alone (20 or more).
pub(super) const SESSION_SECRET: &str = r#"(?i:[\w.-]{0,30}?(?:session[_.-]?secret|cookie[_.-]?secret|secret[_.-]?key(?:[_.-]?base)?|app[_.-]?secret[_.-]?key|nextauth[_.-]?secret|auth[_.-]?secret|session[_.-]?key|signing[_.-]?secret|secret[_.-]?token))(?:(?:\\?["']\]?\s*,(?:\s*(?:default|fallback)\s*=)?|["']\s+value\s*=|\\?["']?\]?(?:\s*:\s*&?(?:'static\s+)?[A-Za-z_][\w.\[\]<>, |]{0,30}?)?(?:[ \t]*\{[ \t]*get;[^}\r\n]{0,30}\})?\s*(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])(?:[ \t]*(?:String::from|(?:new\s+)?String|str|SecretStr|SecretString|Secret|Some)\()?)\s*(?:[A-Za-z_][\w.]{0,40}(?:\(\))?(?:\.[A-Za-z_]\w*)?\(\s*(?:"([^"\s\\]{12,200})"|'([^'\s\\]{12,200})')\s*\)|(?:[\w.$\[\]"'()]{1,80}?\s*(?:\|\||\?\?|\bor\b)\s*)?(?:[bBrRuU]?\\?"(?:"")?([^"\s\\]{12,200})\\?"|[bBrRuU]?'(?:'')?([^'\s\\]{12,200})'|`([^`\s\\]{12,200})`|([A-Za-z0-9_+/=~!@%^*.&#()-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#()-]*|[A-Za-z]{20,200})(?:\s*$|\s+#|\s+//|\s*;\s*$|[ \t]+\\$)))|>([^<>\s"']{12,200})</|=([A-Za-z0-9_+/=~!@%^*.&#()-]*[0-9][A-Za-z0-9_+/=~!@%^*.&#()-]*)(?:(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)|\x5c[nrt]|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|:[ \t]*([A-Za-z0-9_+/=~!%^*.#-]*[0-9][A-Za-z0-9_+/=~!%^*.#-]*)(?:(?:\x5c[nrt])?["'\x60](?:\s*[,;+)\]}.]|\s*$)|\x5c[nrt]|(?:\x5cn)?["']?[ \t]+(?:[a-z./]|--?[a-z]))|=([A-Za-z0-9_+/~!@%^*.#-]*[0-9][A-Za-z0-9_+/~!@%^*.#-]*)&[A-Za-z_][\w.-]{0,30}=)"#;

/// What tells the two patterns apart: their names' keyword alternation, the least length of a
/// value (quoted, a call's argument, an element's text), whether a bare value's class holds `(`
/// and `)`, and whether a bare value may be letters alone (`|[A-Za-z]{20,200}`).
pub(super) struct Shape {
    keywords: &'static [&'static [P]],
    min: usize,
    paren: bool,
    letters: bool,
}

pub(super) const GENERIC: Shape = Shape {
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

pub(super) const SESSION: Shape = Shape {
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

/// The anchored match of the regex's rest (after the lazy name run) at `c`, where a keyword
/// starts: the keyword alternation's ends in the order it tries them (each alternative's ends in
/// its own order, the alternatives in the order written), the tail tried after each; the first
/// that matches is the match. An end met again is not tried again (the tail failed there
/// already; `apikey` is `api[_.-]?key`'s spelling without the separator).
pub(super) fn rest_at(h: &[u8], c: usize, shape: &Shape) -> Option<Tail> {
    first_end(h, c, shape.keywords, |e| tail(h, e, shape))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrng::{n, Rng};

    /// `spell` as it was: each literal compared with `eq_ignore_ascii_case`.
    fn spell_folding_both(h: &[u8], i: usize, ps: &[P], k: &mut dyn FnMut(usize)) {
        match ps.split_first() {
            None => k(i),
            Some((L(lit), rest)) => {
                if h.len() >= i + lit.len() && h[i..i + lit.len()].eq_ignore_ascii_case(lit) {
                    spell_folding_both(h, i + lit.len(), rest, k);
                }
            }
            Some((Sep, rest)) => {
                if matches!(at(h, i), Some(b'_' | b'.' | b'-')) {
                    spell_folding_both(h, i + 1, rest, k);
                }
                spell_folding_both(h, i, rest, k);
            }
            Some((Opt(sub), rest)) => {
                spell_folding_both(h, i, sub, &mut |j| spell_folding_both(h, j, rest, k));
                spell_folding_both(h, i, rest, k);
            }
        }
    }

    /// One to `most` of `lits` run together, each byte upper-cased one time in three, each
    /// literal cut one byte short one time in six, and with `seps` one time in three followed by a
    /// separator or a letter.
    fn mixed_case(r: &mut Rng, lits: &[&[u8]], most: usize, seps: bool) -> Vec<u8> {
        let mut h = Vec::new();
        for _ in 0..1 + n(r, most) {
            let lit = lits[n(r, lits.len())];
            h.extend(lit.iter().map(|&b| match n(r, 3) {
                0 => b.to_ascii_uppercase(),
                _ => b,
            }));
            h.truncate(h.len() - usize::from(n(r, 6) == 0));
            if seps && n(r, 3) == 0 {
                h.push(b"_.-x"[n(r, 4)]);
            }
        }
        h
    }

    /// `starts_folded` folds only the text (stop 46): for the lower-case literals its callers pass
    /// it answers as `eq_ignore_ascii_case`, at every place of texts of those literals in random
    /// case, cut short and run together.
    #[test]
    fn starts_folded_answers_as_folding_both_for_lower_case_literals() {
        const LITS: &[&[u8]] = &[
            b"str",
            b"string",
            b"'static",
            b"value",
            b"key",
            b"ass",
            b"wd",
            b"pass",
            b"pwd",
            b"password",
            b"passwd",
            b"passwort",
            b"passphrase",
            b"bearer",
            b"basic",
            b"token",
            b"access",
            b"private",
            b"secret",
            b"mediastack",
        ];
        let mut r = Rng(0x5f_01_46);
        let mut yes = 0;
        for _ in 0..20_000 {
            let h = mixed_case(&mut r, LITS, 3, false);
            for i in 0..=h.len() {
                for lit in LITS {
                    let want =
                        h.len() >= i + lit.len() && h[i..i + lit.len()].eq_ignore_ascii_case(lit);
                    assert_eq!(starts_folded(&h, i, lit), want);
                    yes += usize::from(want);
                }
            }
        }
        assert!(yes > 10_000, "{yes}");
    }

    /// `spell` folds only the text (stop 46), which gives `eq_ignore_ascii_case`'s answer only
    /// because the readers' literals are lower case: every literal of the generic and session
    /// readers is, and on names of those literals in random case, with separators and cut short,
    /// `spell` gives the ends the old compare gave, in the same order. Folding neither side fails.
    #[test]
    fn spell_folding_the_text_alone_ends_where_folding_both_did() {
        fn literals(ps: &[P], out: &mut Vec<&'static [u8]>) {
            for p in ps {
                match p {
                    L(lit) => out.push(lit),
                    Opt(sub) => literals(sub, out),
                    Sep => {}
                }
            }
        }
        let mut lits = Vec::new();
        for alt in GENERIC.keywords.iter().chain(SESSION.keywords) {
            literals(alt, &mut lits);
        }
        assert!(lits.len() > 10);
        for lit in &lits {
            assert!(!lit.iter().any(u8::is_ascii_uppercase), "{lit:?}");
        }
        let mut r = Rng(0x5e_11_46);
        let (mut ends, mut upper) = (0, 0);
        for _ in 0..20_000 {
            let h = mixed_case(&mut r, &lits, 4, true);
            upper += usize::from(h.iter().any(u8::is_ascii_uppercase));
            for alt in GENERIC.keywords.iter().chain(SESSION.keywords) {
                let (mut ours, mut theirs) = (Vec::new(), Vec::new());
                spell(&h, 0, alt, &mut |e| ours.push(e));
                spell_folding_both(&h, 0, alt, &mut |e| theirs.push(e));
                assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(&h));
                ends += ours.len();
            }
        }
        assert!(
            ends > 5_000 && upper > 10_000,
            "{ends} ends, {upper} in upper case"
        );
    }
}
