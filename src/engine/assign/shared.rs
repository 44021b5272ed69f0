//! The byte primitives the assignment readers share: `\s`, `\w` and `\b` over ASCII (the engine
//! parses patterns with Unicode off), runs of a class, optional pieces in the order a greedy
//! regex tries them, a keyword's spelling (`[_.-]?` and optional groups) with each end tried once,
//! the walk back over a name's bytes, and the operators and constructors the assignment grammar
//! (rules' `(?&assign_op)`, `(?&ctor_after_op)`) writes once.

// `\w` and `\b` over ASCII, as the vendor template reader reads them.
pub(super) use super::super::vendorword::{boundary, is_word};
use super::Tail;

/// A piece of a keyword's spelling: a literal (ASCII case folded, as `(?i)` with Unicode off),
/// `[_.-]?`, or an optional group (both greedy).
#[derive(Debug)]
pub(super) enum P {
    L(&'static [u8]),
    Sep,
    Opt(&'static [P]),
}

pub(super) use P::{Opt, Sep, L};

/// The byte at `i`, if any.
pub(super) fn at(h: &[u8], i: usize) -> Option<u8> {
    h.get(i).copied()
}

/// `\s` over ASCII (the pattern is parsed with Unicode off, as the engine parses it).
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

pub(super) fn is_quote(b: Option<u8>) -> bool {
    matches!(b, Some(b'"' | b'\''))
}

/// Past the longest run of `\s` from `i`.
pub(super) fn skip_ws(h: &[u8], mut i: usize) -> usize {
    while i < h.len() && is_space(h[i]) {
        i += 1;
    }
    i
}

/// Past the longest run of `[ \t]` from `i`.
pub(super) fn skip_blank(h: &[u8], mut i: usize) -> usize {
    while i < h.len() && matches!(h[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// The length of the run of bytes in `class` from `i`, counted up to `cap + 1` at most.
pub(super) fn run(h: &[u8], i: usize, cap: usize, class: impl Fn(u8) -> bool) -> usize {
    let mut n = 0;
    while n <= cap && i + n < h.len() && class(h[i + n]) {
        n += 1;
    }
    n
}

pub(super) fn starts_with(h: &[u8], i: usize, lit: &[u8]) -> bool {
    h.len() >= i + lit.len() && &h[i..i + lit.len()] == lit
}

/// `$` as the engine reads it (`gate::on_lines`): the text's end or before a `\n`.
pub(super) fn is_eol(h: &[u8], i: usize) -> bool {
    i == h.len() || h[i] == b'\n'
}

/// `\s*$` from `a`: greedy, so the farthest place in the run of `\s` from `a` where a line ends
/// (the run's end when it is the text's, else its last `\n`).
pub(super) fn eol_after_ws(h: &[u8], a: usize) -> Option<usize> {
    let w = skip_ws(h, a);
    if w == h.len() {
        return Some(w);
    }
    memchr::memrchr(b'\n', &h[a..w]).map(|k| a + k)
}

/// An optional `b` at `i`, greedy: `i + 1` (when `b` is there), then `i`.
pub(super) fn opt_byte(h: &[u8], i: usize, b: u8) -> impl Iterator<Item = usize> {
    let with = (at(h, i) == Some(b)).then_some(i + 1);
    with.into_iter().chain(std::iter::once(i))
}

/// An optional literal at `i`, greedy.
pub(super) fn opt_lit(h: &[u8], i: usize, lit: &'static [u8]) -> impl Iterator<Item = usize> {
    let with = starts_with(h, i, lit).then_some(i + lit.len());
    with.into_iter().chain(std::iter::once(i))
}

/// An optional byte of a class at `i`, greedy.
pub(super) fn opt_class(
    h: &[u8],
    i: usize,
    class: impl Fn(u8) -> bool,
) -> impl Iterator<Item = usize> {
    let with = at(h, i).is_some_and(class).then_some(i + 1);
    with.into_iter().chain(std::iter::once(i))
}

/// Each end of the spelling `ps` from `i`, in the order its greedy pieces try them (`[_.-]?` and
/// an optional group: taken, then skipped), handed to `k`.
pub(super) fn spell(h: &[u8], i: usize, ps: &[P], k: &mut dyn FnMut(usize)) {
    match ps.split_first() {
        None => k(i),
        Some((L(lit), rest)) => {
            // The literals are lower case (`first_end` compares their first byte with the text's
            // folded), so only the text's bytes are folded: the same answer as
            // `eq_ignore_ascii_case`, which folds both and was not inlined (2.1M calls on the
            // pathological input, 145M instructions; docs/engine.md, "Stop 46").
            if h.len() >= i + lit.len()
                && h[i..i + lit.len()]
                    .iter()
                    .zip(lit.iter())
                    .all(|(a, b)| a.to_ascii_lowercase() == *b)
            {
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

/// `(?:=>|<-|\|\|=|\?\?=|\?=|:=|\|\||\?\?|[=:])` at `w`: each operator that is there, in that
/// order (`=>` before `=`, `||=` before `||`, …).
pub(super) fn assign_op(
    h: &[u8],
    w: usize,
    f: &mut dyn FnMut(usize) -> Option<Tail>,
) -> Option<Tail> {
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
pub(super) fn ctor_after_op(
    h: &[u8],
    o: usize,
    f: &mut dyn FnMut(usize) -> Option<Tail>,
) -> Option<Tail> {
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

/// `hay[i..]` starts with `lit` (lower case ASCII), ASCII case folded. Only the text is folded,
/// as in `spell` (stop 46): every caller's literal is lower case (the vendor word is lowered when
/// it is read), so this is `eq_ignore_ascii_case`'s answer without its call.
pub(super) fn starts_folded(hay: &[u8], i: usize, lit: &[u8]) -> bool {
    hay.len() >= i + lit.len()
        && hay[i..i + lit.len()]
            .iter()
            .zip(lit.iter())
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
}

/// `[\w.-]`: the bytes of a name's lazy run (`[\w.-]{0,40}?`).
pub(super) fn is_name_byte(b: u8) -> bool {
    is_word(b) || b == b'.' || b == b'-'
}

/// The earliest place in `max(lo, c - max)..=c` from which `c` is reached over name bytes
/// (`[\w.-]`): where a lazy name run of at most `max` bytes ending at `c` can open.
pub(super) fn name_back(h: &[u8], lo: usize, c: usize, max: usize) -> usize {
    let lo = lo.max(c.saturating_sub(max));
    let mut p = c;
    while p > lo && is_name_byte(h[p - 1]) {
        p -= 1;
    }
    p
}

/// The first match of an alternation of spellings `alts` at `c` followed by `rest`: each
/// alternative's ends in its own order (`spell`), the alternatives in the order written, `rest`
/// tried after each; the first that matches is the match. An end met again is not tried again:
/// `rest` depends only on where the spelling ends, and it failed there already (`apikey` is
/// `api[_.-]?key`'s spelling without the separator).
pub(super) fn first_end(
    h: &[u8],
    c: usize,
    alts: &[&[P]],
    mut rest: impl FnMut(usize) -> Option<Tail>,
) -> Option<Tail> {
    let first = at(h, c)?.to_ascii_lowercase();
    let (mut seen, mut n) = ([0usize; 8], 0);
    let mut found = None;
    for alt in alts {
        // An alternative opening with a literal (lower case) needs its first byte here.
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
            found = rest(e);
        });
        if found.is_some() {
            break;
        }
    }
    found
}

/// Whether `src` is the pattern `ours`, as the catalog writes it or as a user's config gives it.
/// A config's regex is Go RE2 text, rewritten into Rust syntax at load (`goregex::translate`:
/// among others `&` and `~` in a class are escaped, since Rust reads `&&` and `~~` there as set
/// operations), with the same meaning: a config that repeats a built-in rule's regex gets it
/// translated, and that text is the same regex. The rewrite only adds bytes, so any other text
/// is told apart by its length or its opening before anything is translated.
pub(super) fn is_pattern(src: &str, ours: &str) -> bool {
    src == ours
        || src.len() > ours.len()
            && src.len() <= 2 * ours.len()
            && src.as_bytes()[..8] == ours.as_bytes()[..8]
            && crate::goregex::translate(ours) == src
}
