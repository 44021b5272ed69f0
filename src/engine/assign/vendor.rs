//! Assignment-shaped rules matched by reading a line's names and values instead of running the
//! rule's regex along it (docs/engine.md, "The pathological input, fifth round").
//!
//! A rule of the shape `NAME OPERATOR (VALUE) TERMINATOR` matches where a name of its grammar is
//! followed by an operator and a value of its class. Searched with the regex, every line of
//! keyword-dense code (generated SDKs, minified bundles, config dumps) costs a lazy-DFA pass that
//! follows an attempt from every byte, or a located search (a forward and a backward pass, then an
//! anchored one) per window. Read by hand, a line costs one walk over its word starts, and the
//! name, operator and value are checked only where a name can end.
//!
//! Exactness: the hand-written matcher is used only for the regex it was written for, compared
//! byte for byte with the rule's pattern (`Assignment::of`): a user's config that changes the
//! rule's regex, or a catalog edit, puts the rule back on the regex path. The argument that it
//! reports what the regex reports (the same match and group spans, leftmost-first) is in each
//! function's comment; `assignment_matches_are_the_regex_matches` compares both on random and
//! real lines.

use super::shared::{is_pattern, is_space, is_word, starts_folded};
use super::Found;

/// `vendor-named-api-credential`'s regex (rules/catalog_vendor.toml), as written there.
pub(super) const VENDOR_NAMED: &str = r#"(?i)(?:\b[a-z][a-z0-9]{2,24}(?:[._-]?[a-z0-9]{1,12}){0,2}?[._-]?(?:key|token|secret|apikey|pat|auth|credentials?)(?:\s*:?\s*&?(?:'static\s+)?(?i:string|str)\b)?(?:\\?["'\x60]?\]?[ \t]*(?::=|=>|<-|\|\|=|\?\?=|\?=|\|\||\?\?|[=:>])[ \t]*\\?["'\x60]?|\\?["']\s*,\s*["']|["']\s+value\s*=\s*["']|[ \t]+-[ \t]+["'\x60])|\b[a-z][a-z0-9]{2,24}(?:[._-]?[a-z0-9]{1,12}){0,2}? (?:key|token|secret|apikey|pat|auth|credentials?)(?:\s*:?\s*&?(?:'static\s+)?(?i:string|str)\b)?(?:\\?["'\x60]?\]?[ \t]*(?::=|=>|<-|\|\|=|\?\?=|\?=|\|\||\?\?|[=:>])[ \t]*\\?["'\x60]|\\?["']\s*,\s*["']|["']\s+value\s*=\s*["']|[ \t]+-[ \t]+["'\x60])|[?&](?:api[_-]?key|apikey|key|token|access[_-]?token|api[_-]?token|auth[_-]?token)=)(?:(?:bearer|basic|token)[ \t]+)?([A-Za-z0-9][A-Za-z0-9_+/=.-]{14,1023})(?:["'`\s;,\\<&]|$)"#;

/// The assignment shapes matched by hand. One so far: the one that cost most on the pathological
/// input (a located search on every line that names one of ~580 vendors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::engine) enum Assignment {
    /// `VENDOR_NAMED`.
    VendorNamed,
}

impl Assignment {
    /// The hand matcher of a rule's regex `src`, if there is one for exactly that pattern.
    pub(in crate::engine) fn of(src: &str) -> Option<Assignment> {
        is_pattern(src, VENDOR_NAMED).then_some(Assignment::VendorNamed)
    }

    /// Every match in `hay`, leftmost first, each search resuming at the last match's end: what
    /// `captures_iter` yields (no match is empty).
    pub(in crate::engine) fn for_each(self, hay: &[u8], mut f: impl FnMut(Found)) {
        let Assignment::VendorNamed = self;
        let mut at = 0;
        while let Some(found) = vendor_named_from(hay, at) {
            at = found.end;
            f(found);
        }
    }
}

/// Each byte's class: whether it is a name byte, looked up once per byte of a line.
static NAME: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || c == b'-';
        b += 1;
    }
    t
};

/// The bytes a name is made of: `[a-z0-9]` (case folded) and `[._-]`.
fn is_name(b: u8) -> bool {
    NAME[b as usize]
}

fn is_sep(b: u8) -> bool {
    matches!(b, b'.' | b'_' | b'-')
}

/// The value's class after its first byte: `[A-Za-z0-9_+/=.-]`.
fn is_value(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'/' | b'=' | b'.' | b'-')
}

/// The longest name a match can have: `[a-z]` 1, `[a-z0-9]{2,24}` 24, two rounds of
/// `[._-]?[a-z0-9]{1,12}` 26, `[._-]?` 1, `credentials` 11.
const NAME_MAX: usize = 63;

/// The leftmost-first match of `VENDOR_NAMED` starting at or after `from` (look-behind sees
/// `hay` before `from`, as a search of an input whose range starts there does).
///
/// Every match starts where `\b[a-z]` holds (the named form: at a letter whose previous byte is
/// not a word byte) or at a `?` or `&` (the query-parameter form, `query_at`). Leftmost-first
/// search reports, of the positions where some match starts, the leftmost, and there the match
/// its priorities prefer; so the starts are tried in order and the first that has a match gives
/// it. `?` and `&` are not name bytes, so they lie between the runs the named form is read in.
///
/// The name `[a-z][a-z0-9]{2,24}(?:[._-]?[a-z0-9]{1,12}){0,2}?[._-]?(?:key|…|credentials?)`
/// is made of name bytes, so it lies in one run of them. The pattern's second form is the same
/// name with one space before the suffix (`zeplin token = '…'`), followed by the same operators
/// but each ending in a quote: it lies in a run, the space and the next run, which opens with the
/// suffix (`next_run_ends`; a start in the first run tries those ends too, and an end past the
/// run is read with the quote required). At a start the first form is preferred, but the two
/// never both match there (their ends differ, and only one end can be followed by the rest, as
/// below). What follows it in a match (the optional
/// type, then one of the operators) opens with a byte that is not a name byte, except the type
/// `str`/`string` written right after it. So a name that is followed by the rest of a match ends
/// at the run's end or where `str` starts inside the run (`ends`). And from a given start at
/// most one name end can be followed by the rest: the type `str`/`string` must be followed by a
/// word boundary and then an operator, so no name byte follows it; a later end `e2` would need
/// the bytes from `e` to `e2` to be name bytes, so the run to end at `e2` = `e + 3` or `e + 6`
/// (`str` or `string`), and no suffix ends in those. An end in the run is not followed by the rest
/// when a name across the space can end in the next run: the rest would open with that space and
/// then the suffix's letter, and no type (`:`, `&`, `'static`, `str`) nor operator opens so.
/// So whatever path the regex's priorities take through the name (it
/// holds no group), a match from `s` goes through that one end, and the rest (`vendor_tail`)
/// decides it and its spans.
fn vendor_named_from(hay: &[u8], from: usize) -> Option<Found> {
    let mut i = from;
    while i < hay.len() {
        if !is_name(hay[i]) {
            if matches!(hay[i], b'?' | b'&') {
                if let Some(found) = query_at(hay, i) {
                    return Some(found);
                }
            }
            i += 1;
            continue;
        }
        let a = i;
        while i < hay.len() && is_name(hay[i]) {
            i += 1;
        }
        let r = i;
        // A name may also end in the next run, after one space (`zeplin token = '…'`): that run
        // must open with the suffix (`next_run_ends`).
        let spaced = r < hay.len() && hay[r] == b' ' && r >= a + 3;
        if r < a + 6 && !spaced {
            continue;
        }
        // Where a name followed by the rest of a match can end in this run (at most a few
        // places), with what follows it: the rest depends only on where the name ends.
        let mut ends = [(0usize, (0usize, 0usize), 0usize); 8];
        let mut n = 0;
        let mut push = |e: usize| -> bool {
            if suffix_at(hay, e) == 0 {
                return true;
            }
            // A name across the space (an end past the run) is followed by a quoted value only.
            if let Some((value, end)) = vendor_tail(hay, e, e > r) {
                if n == ends.len() {
                    return false;
                }
                ends[n] = (e, value, end);
                n += 1;
            }
            true
        };
        // `str` lies in the run (its letters are name bytes), so it starts at `r - 3` at the
        // latest: only an `s` in `a + 6..r - 2` can open it. The run is walked once for its end
        // and the `s`s are looked for only where they count (most runs are shorter than 9).
        if r >= a + 9 {
            for e in memchr::memchr2_iter(b's', b'S', &hay[a + 6..r - 2]).map(|k| a + 6 + k) {
                if starts_folded(hay, e, b"str") && !push(e) {
                    // More than the array holds (a run of `keystr.keystr...`): every end is tried.
                    return vendor_named_slow(hay, a, r).or_else(|| vendor_named_from(hay, r));
                }
            }
        }
        if !push(r) {
            return vendor_named_slow(hay, a, r).or_else(|| vendor_named_from(hay, r));
        }
        if spaced {
            for e in next_run_ends(hay, r) {
                if !push(e) {
                    return vendor_named_slow(hay, a, r).or_else(|| vendor_named_from(hay, r));
                }
            }
        }
        if n == 0 {
            continue;
        }
        for s in a..r {
            if !hay[s].is_ascii_alphabetic() || s > 0 && is_word(hay[s - 1]) {
                continue;
            }
            for &(e, value, end) in &ends[..n] {
                if e >= s + 6 && e - s <= NAME_MAX && name_ends_at(hay, s, e) {
                    return Some(Found {
                        start: s,
                        end,
                        value,
                    });
                }
            }
        }
    }
    None
}

/// `vendor_named_from` within one run of name bytes `a..r`, trying every end: for runs with more
/// candidate ends than it keeps.
fn vendor_named_slow(hay: &[u8], a: usize, r: usize) -> Option<Found> {
    for s in a..r {
        if !hay[s].is_ascii_alphabetic() || s > 0 && is_word(hay[s - 1]) {
            continue;
        }
        let spaced = r < hay.len() && hay[r] == b' ';
        let own = s + 6..=r.min(s + NAME_MAX);
        let next = spaced.then(|| next_run_ends(hay, r)).into_iter().flatten();
        for e in own.chain(next.filter(|&e| e - s <= NAME_MAX)) {
            if name_ends_at(hay, s, e) {
                if let Some((value, end)) = vendor_tail(hay, e, e > r) {
                    return Some(Found {
                        start: s,
                        end,
                        value,
                    });
                }
            }
        }
    }
    None
}

/// Where a name that crosses the space at `r` (`VENDOR` `[._ -]?` `SUFFIX`, the separator a
/// space) can end: the run after the space must open with the suffix, so the end is 3, 4, 5, 6,
/// 10 or 11 bytes past it (the suffixes' lengths), at the run's end or where `str` starts (the
/// type, as for a run's own ends). Whether the suffix is there is `name_ends_at`'s to say: its
/// prefix may end in the space only, so a suffix that does not open the run is refused.
fn next_run_ends(hay: &[u8], r: usize) -> impl Iterator<Item = usize> + '_ {
    let b = r + 1;
    let end = hay[b..]
        .iter()
        .take(12)
        .position(|&c| !is_name(c))
        .map_or(hay.len().min(b + 12), |k| b + k);
    [3, 4, 5, 6, 10, 11]
        .into_iter()
        .map(move |len| b + len)
        .filter(move |&e| e == end || e < end && starts_folded(hay, e, b"str"))
}

/// The suffixes a name may end in at `e`, as a bit set (0: none): key, apikey, token, secret, pat,
/// auth, credential, credentials.
fn suffix_at(hay: &[u8], e: usize) -> u8 {
    let ends = |lit: &[u8]| e >= lit.len() && hay[e - lit.len()..e].eq_ignore_ascii_case(lit);
    match hay[e - 1] | 0x20 {
        b'y' if ends(b"key") => 1 | if ends(b"apikey") { 2 } else { 0 },
        b'n' if ends(b"token") => 4,
        b't' if ends(b"secret") => 8,
        b't' if ends(b"pat") => 16,
        b'h' if ends(b"auth") => 32,
        b'l' if ends(b"credential") => 64,
        b's' if ends(b"credentials") => 128,
        _ => 0,
    }
}

/// The query-parameter form at `i` (a `?` or `&`):
/// `[?&](?:api[_-]?key|apikey|key|token|access[_-]?token|api[_-]?token|auth[_-]?token)=` then the
/// value as after an operator. No parameter name holds `=`, so the name is the bytes up to the
/// first `=` and only one alternative can be followed by it.
fn query_at(hay: &[u8], i: usize) -> Option<Found> {
    const NAMES: &[&[u8]] = &[
        b"apikey",
        b"api_key",
        b"api-key",
        b"key",
        b"token",
        b"accesstoken",
        b"access_token",
        b"access-token",
        b"apitoken",
        b"api_token",
        b"api-token",
        b"authtoken",
        b"auth_token",
        b"auth-token",
    ];
    let rest = &hay[i + 1..];
    let eq = rest.iter().take(13).position(|&b| b == b'=')?;
    if !NAMES.iter().any(|n| rest[..eq].eq_ignore_ascii_case(n)) {
        return None;
    }
    let (value, end) = prefixed_value(hay, i + 1 + eq + 1)?;
    Some(Found {
        start: i,
        end,
        value,
    })
}

/// `hay[s..e]` matches the name (see `vendor_named_from`).
fn name_ends_at(hay: &[u8], s: usize, e: usize) -> bool {
    let suffixes = suffix_at(hay, e);
    [
        (1, 3),
        (2, 6),
        (4, 5),
        (8, 6),
        (16, 3),
        (32, 4),
        (64, 10),
        (128, 11),
    ]
    .iter()
    .any(|&(bit, len)| suffixes & bit != 0 && e - s >= 3 + len && name_prefix(&hay[s..e - len]))
}

/// `x` matches `[a-z][a-z0-9]{2,24}(?:[._-]?[a-z0-9]{1,12}){0,2}?[._-]?` whole (case folded).
/// Which of its paths matches does not change the match's spans (the name holds no group), so
/// only whether one does is worked out. After the letter and without a final separator, `x` is
/// runs of letters and digits with a single separator between two of them (a round may open with
/// one; nothing else takes it); the first run holds the first part (2 to 24 bytes) and maybe
/// rounds of 1 to 12 after it, each later run one round or more: it matches when the fewest
/// rounds that cover the runs are at most two.
fn name_prefix(x: &[u8]) -> bool {
    if x.len() < 3 || !x[0].is_ascii_alphabetic() {
        return false;
    }
    let mut y = &x[1..];
    // The separator before the suffix may be a space too (`[._ -]?`); no other part holds one.
    if y.last().is_some_and(|&b| is_sep(b) || b == b' ') {
        y = &y[..y.len() - 1];
    }
    let mut rounds = 0;
    for (i, run) in y.split(|&b| is_sep(b)).enumerate() {
        if run.is_empty() || !run.iter().all(u8::is_ascii_alphanumeric) {
            return false;
        }
        rounds += if i == 0 {
            if run.len() < 2 {
                return false;
            }
            run.len().saturating_sub(24).div_ceil(12)
        } else {
            run.len().div_ceil(12)
        };
        if rounds > 2 {
            return false;
        }
    }
    true
}

/// After a name ending at `e`: `(?:TYPE)?(?:OP1|OP2|OP3|OP4)(?:SCHEME)?(VALUE)(?:TERM|$)`, the value's span and
/// the match's end. Tried in the regex's order of preference: with the type first (a greedy `?`),
/// then without; the operators in their order. Each part reads one way only (the bytes each
/// optional piece may take are not those the next piece opens with: `\`, quotes, `]`, blanks,
/// the operator, and a value opening with a letter or digit), so each try is a straight walk.
///
/// `quoted`: the name crossed a space (the pattern's second form), whose operators all end in a
/// quote (the first operator's closing quote is not optional there).
fn vendor_tail(hay: &[u8], e: usize, quoted: bool) -> Option<((usize, usize), usize)> {
    if let Some(t) = type_end(hay, e) {
        if let Some(found) = operators(hay, t, quoted) {
            return Some(found);
        }
    }
    operators(hay, e, quoted)
}

/// `\s*:?\s*&?(?:'static\s+)?(?i:string|str)\b` at `i`: where it ends.
fn type_end(hay: &[u8], mut i: usize) -> Option<usize> {
    let spaces = |hay: &[u8], mut i: usize| {
        while i < hay.len() && is_space(hay[i]) {
            i += 1;
        }
        i
    };
    i = spaces(hay, i);
    if hay.get(i) == Some(&b':') {
        i += 1;
    }
    i = spaces(hay, i);
    if hay.get(i) == Some(&b'&') {
        i += 1;
    }
    if starts_folded(hay, i, b"'static") && hay.get(i + 7).is_some_and(|&b| is_space(b)) {
        i = spaces(hay, i + 7);
    }
    let boundary = |j: usize| j == hay.len() || !is_word(hay[j]);
    if starts_folded(hay, i, b"string") && boundary(i + 6) {
        Some(i + 6)
    } else if starts_folded(hay, i, b"str") && boundary(i + 3) {
        Some(i + 3)
    } else {
        None
    }
}

fn is_quote3(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`')
}

fn is_quote2(b: u8) -> bool {
    matches!(b, b'"' | b'\'')
}

/// The four operator forms at `t`, in order, each followed by the value.
fn operators(hay: &[u8], t: usize, quoted: bool) -> Option<((usize, usize), usize)> {
    let at = |i: usize| hay.get(i).copied();
    let blanks = |mut i: usize| {
        while matches!(at(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    let spaces = |mut i: usize| {
        while at(i).is_some_and(is_space) {
            i += 1;
        }
        i
    };
    // `\\?["'`]?\]?[ \t]*(?::=|=>|<-|\|\|=|\?\?=|\?=|\|\||\?\?|[=:>])[ \t]*\\?["'`]?`
    let op1 = || {
        let mut i = t;
        if at(i) == Some(b'\\') {
            i += 1;
        }
        if at(i).is_some_and(is_quote3) {
            i += 1;
        }
        if at(i) == Some(b']') {
            i += 1;
        }
        i = blanks(i);
        // The operator, the longest that is there: the regex tries `||=` before `||` and `??=`
        // before `??`, and of each pair only the longer can be followed by a value (after the
        // shorter comes `=`, which no blank, quote or value opens with); `?=` and `<-` open with
        // bytes no other operator opens with, and `:=`, `=>` likewise over `:`, `=`.
        let three = hay.get(i..i + 3);
        let two = hay.get(i..i + 2);
        if matches!(three, Some(b"||=" | b"??=")) {
            i += 3;
        } else if matches!(two, Some(b":=" | b"=>" | b"<-" | b"?=" | b"||" | b"??")) {
            i += 2;
        } else if matches!(at(i), Some(b'=' | b':' | b'>')) {
            i += 1;
        } else {
            return None;
        }
        i = blanks(i);
        if at(i) == Some(b'\\') {
            i += 1;
        }
        if at(i).is_some_and(is_quote3) {
            i += 1;
        } else if quoted {
            return None;
        }
        prefixed_value(hay, i)
    };
    // `\\?["']\s*,\s*["']`
    let op2 = || {
        let mut i = t;
        if at(i) == Some(b'\\') {
            i += 1;
        }
        if !at(i).is_some_and(is_quote2) {
            return None;
        }
        i = spaces(i + 1);
        if at(i) != Some(b',') {
            return None;
        }
        i = spaces(i + 1);
        if !at(i).is_some_and(is_quote2) {
            return None;
        }
        prefixed_value(hay, i + 1)
    };
    // `["']\s+value\s*=\s*["']`
    let op3 = || {
        if !at(t).is_some_and(is_quote2) || !at(t + 1).is_some_and(is_space) {
            return None;
        }
        let mut i = spaces(t + 1);
        if !starts_folded(hay, i, b"value") {
            return None;
        }
        i = spaces(i + 5);
        if at(i) != Some(b'=') {
            return None;
        }
        i = spaces(i + 1);
        if !at(i).is_some_and(is_quote2) {
            return None;
        }
        prefixed_value(hay, i + 1)
    };
    // `[ \t]+-[ \t]+["'`]`
    let op4 = || {
        if !matches!(at(t), Some(b' ' | b'\t')) {
            return None;
        }
        let i = blanks(t);
        if at(i) != Some(b'-') || !matches!(at(i + 1), Some(b' ' | b'\t')) {
            return None;
        }
        let i = blanks(i + 1);
        if !at(i).is_some_and(is_quote3) {
            return None;
        }
        prefixed_value(hay, i + 1)
    };
    op1().or_else(op2).or_else(op3).or_else(op4)
}

/// `(?:(?:bearer|basic|token)[ \t]+)?` then the value at `v`: with the scheme word first (a greedy
/// `?`), then without. The words differ in their first two bytes, so at most one is there, and
/// the blanks are followed by the value's letter or digit, so they are all taken.
fn prefixed_value(hay: &[u8], v: usize) -> Option<((usize, usize), usize)> {
    for word in [&b"bearer"[..], b"basic", b"token"] {
        if starts_folded(hay, v, word) && matches!(hay.get(v + word.len()), Some(b' ' | b'\t')) {
            let mut i = v + word.len();
            while matches!(hay.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            if let Some(found) = value(hay, i) {
                return Some(found);
            }
        }
    }
    value(hay, v)
}

/// `([A-Za-z0-9][A-Za-z0-9_+/=.-]{14,1023})(?:["'`\s;,\\<&]|$)` at `v`: the value's span and the
/// match's end. The value's class holds none of the terminator's bytes, so the greedy run stops
/// at the end of the run of value bytes or after 1,024 bytes, and backing off from there leaves
/// a value byte next, which no terminator is: the run must be 15 to 1,024 bytes and be followed
/// by a terminator or the end of the haystack.
fn value(hay: &[u8], v: usize) -> Option<((usize, usize), usize)> {
    if !hay.get(v)?.is_ascii_alphanumeric() {
        return None;
    }
    let run = hay[v..]
        .iter()
        .take(1025)
        .take_while(|&&b| is_value(b))
        .count();
    if !(15..=1024).contains(&run) {
        return None;
    }
    let j = v + run;
    match hay.get(j) {
        None => Some(((v, j), j)),
        Some(&b)
            if matches!(b, b'"' | b'\'' | b'`' | b';' | b',' | b'\\' | b'<' | b'&')
                || is_space(b) =>
        {
            Some(((v, j), j + 1))
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrng::{by_regex, n, regex_of, Rng, Spans};

    fn by_hand(a: Assignment, hay: &[u8]) -> Spans {
        let mut out = Vec::new();
        a.for_each(hay, |f| out.push((f.start, f.end, f.value.0, f.value.1)));
        out
    }

    /// A line of the shapes the rule reads and the near misses around them: names of vendor-like
    /// parts joined by `._-` and ending (or nearly) in the suffixes, type annotations, every
    /// operator form with quotes, backslashes and blanks, values of every length around the
    /// bounds, terminators and non-terminators, non-ASCII bytes.
    fn random_line(r: &mut Rng) -> Vec<u8> {
        const PARTS: &[&str] = &[
            "stripe",
            "mailgun",
            "x",
            "ab",
            "abc",
            "Twilio",
            "api",
            "key",
            "KEY",
            "token",
            "secret",
            "apikey",
            "pat",
            "Pat",
            "auth",
            "Auth",
            "credential",
            "CREDENTIALS",
            "str",
            "string",
            "s",
            "st",
            "id",
            "v2",
            "9",
            "é",
            "aaaaaaaaaaaaa",
            "abcdefghijklmnopqrstuvwxyz",
        ];
        const SEPS: &[&str] = &["", "", "_", ".", "-", "__", " ", "é"];
        const OPS: &[&str] = &[
            "=",
            " = ",
            ":",
            ": ",
            ":=",
            " := ",
            "=>",
            " => ",
            "||",
            "??",
            ">",
            // The operators of R, Ruby/JS, C#/JS/PHP and Make, and near misses of them.
            "<-",
            " <- \"",
            "<<-",
            "<",
            "-",
            "||=",
            " ||= '",
            "|=",
            "??=",
            " ??= \"",
            "?=",
            " ?= ",
            "?",
            "? =",
            "?==",
            "||==",
            ".=",
            " .= '",
            "!=",
            "<=",
            "\"]=",
            "\\\"=\\\"",
            "'] = '",
            "\", \"",
            "',  '",
            "\" value=\"",
            "' value = '",
            "\"value=\"",
            ": str = \"",
            ":str=",
            " &'static str = \"",
            "String = '",
            "string=",
            "str=",
            "STR => \"",
            ": String ",
            "\t=\t`",
            "==",
            "",
            " ",
            "\"",
            ",",
            " - \"",
            "\t-\t'",
            " -  `",
            " -\"",
            "- '",
            " - ",
            " -- \"",
            " - \\\"",
        ];
        // The query-parameter form and near misses of it.
        const QUERY: &[&str] = &[
            "?api_key=",
            "&apikey=",
            "?API-KEY=",
            "&key=",
            "?token=",
            "&access_token=",
            "?AccessToken=",
            "&access-token=",
            "?api_token=",
            "&apitoken=",
            "?auth-token=",
            "&authtoken=",
            "?auth__token=",
            "&keys=",
            "?tok=",
            "?=",
            "?key",
            "&&token=",
            "?key==",
        ];
        // The scheme word before the value and near misses of it.
        const SCHEMES: &[&str] = &[
            "Bearer ", "bearer\t", "BASIC  ", "token ", "Token \t", "bearer", "basic:", "Bearer-",
            "tokens ",
        ];
        const VALCH: &[u8] = b"abcXYZ0189_+/=.-";
        const TERMS: &[&str] = &[
            "\"", "'", "`", " ", ";", ",", "\\", "<", "&", "", "x", "#", "\n", ")", "é",
        ];
        let mut line = Vec::new();
        for _ in 0..n(r, 4) + 1 {
            if n(r, 4) == 0 {
                // A URL's query: the parameter may follow a name or a path.
                line.extend_from_slice(
                    ["", "https://api.x.io/v1", "stripe_key"][n(r, 3)].as_bytes(),
                );
                line.extend_from_slice(QUERY[n(r, QUERY.len())].as_bytes());
            } else {
                if n(r, 3) == 0 {
                    line.extend_from_slice(PARTS[n(r, PARTS.len())].as_bytes());
                }
                for _ in 0..n(r, 5) + 1 {
                    line.extend_from_slice(PARTS[n(r, PARTS.len())].as_bytes());
                    line.extend_from_slice(SEPS[n(r, SEPS.len())].as_bytes());
                }
                line.extend_from_slice(
                    [
                        "key",
                        "token",
                        "secret",
                        "apikey",
                        "pat",
                        "Key",
                        "TOKEN",
                        "ke",
                        "",
                        "auth",
                        "Credential",
                        "credentials",
                        "credentialss",
                        "AUTH",
                    ][n(r, 14)]
                    .as_bytes(),
                );
                line.extend_from_slice(OPS[n(r, OPS.len())].as_bytes());
            }
            if n(r, 3) == 0 {
                line.extend_from_slice(SCHEMES[n(r, SCHEMES.len())].as_bytes());
            }
            let len = match n(r, 6) {
                0 => n(r, 14),
                1 => 14 + n(r, 3),
                2 => 1020 + n(r, 8),
                _ => 15 + n(r, 40),
            };
            if n(r, 4) == 0 {
                line.push(b'_');
            }
            for _ in 0..len {
                line.push(VALCH[n(r, VALCH.len())]);
            }
            line.extend_from_slice(TERMS[n(r, TERMS.len())].as_bytes());
            line.extend_from_slice(SEPS[n(r, SEPS.len())].as_bytes());
        }
        line
    }

    #[test]
    fn assignment_matches_are_the_regex_matches() {
        let re = regex_of(VENDOR_NAMED);
        let a = Assignment::of(VENDOR_NAMED).expect("the vendor rule is read by hand");
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        let mut matched = 0;
        for _ in 0..20_000 {
            let line = random_line(&mut r);
            let want = by_regex(&re, &line);
            matched += want.len();
            assert_eq!(
                by_hand(a, &line),
                want,
                "{}",
                String::from_utf8_lossy(&line)
            );
        }
        // The lines are near misses and hits both.
        assert!(matched > 2_000, "{matched}");
        // Real lines: every file of the repository's fixtures, whole and line by line.
        let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        // And any further tree named here (the benchmark's inputs, when they are on the machine).
        if let Some(extra) = std::env::var_os("LEAKGUARD_ASSIGN_DIFF_DIR") {
            files.extend(std::env::split_paths(&extra));
        }
        let (mut lines, mut hits) = (0, 0);
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let Ok(text) = std::fs::read(&p) else {
                continue;
            };
            assert_eq!(by_hand(a, &text), by_regex(&re, &text), "{}", p.display());
            for line in text.split(|&b| b == b'\n') {
                let want = by_regex(&re, line);
                hits += want.len();
                lines += 1;
                assert_eq!(
                    by_hand(a, line),
                    want,
                    "{}: {}",
                    p.display(),
                    String::from_utf8_lossy(line)
                );
            }
        }
        eprintln!("{lines} real lines, {hits} matches");
        assert!(lines > 1_000 && hits > 0, "{lines} {hits}");
    }

    #[test]
    fn only_the_exact_pattern_is_read_by_hand() {
        assert_eq!(Assignment::of(VENDOR_NAMED), Some(Assignment::VendorNamed));
        // One byte off (a value of 13 rounds, not 14) keeps the regex.
        assert_eq!(
            Assignment::of(&VENDOR_NAMED.replace("{14,1023}", "{13,1023}")),
            None
        );
        // The built-in rule is this pattern: a catalog edit that changes it must update the hand
        // matcher (or drop it), which this test makes a deliberate step.
        let builtin = super::super::super::testkit::builtin_regexes_with_examples();
        assert!(builtin.iter().any(|(_, src, _)| src == VENDOR_NAMED));
    }
}
