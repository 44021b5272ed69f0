//! Lines of text whose values are wrapped in ANSI colour codes (`\x1b[32m<token>\x1b[0m` in a
//! saved CI log, `echo -e "…\e[32m<token>\e[0m"` in a script), written without the codes.
//!
//! A rule reads `[32mghp_…` as a word that only ends in `ghp_…` (no boundary before the prefix)
//! and `TOKEN=\x1b[32m…` as a name whose value starts with an escape, so colour alone hid every
//! credential (0 of 57 mission values in tests/integration/mission_corpus.rs). Each line holding a
//! code becomes a line of a key-path view (`keypath::Views`), its text runs between the codes kept
//! as the segments a hit is placed back on: the engine scans it as it scans key paths.

use crate::keypath::Views;

/// The ways a file writes the escape that opens a code: the byte itself, and as shell, C and
/// JSON write it in source (`\e`, `\033`, `\x1b`, `\u001b`).
const TEXT_ESCAPES: &[&[u8]] = &[
    b"\\e[",
    b"\\E[",
    b"\\033[",
    b"\\x1b[",
    b"\\x1B[",
    b"\\u001b[",
    b"\\u001B[",
];

/// The lines of `data` that hold an ANSI code, without their codes, or none.
pub fn views(data: &[u8]) -> Option<Views> {
    // One pass finds both the escape byte (rare outside logs) and the backslash of a written one.
    let mut out = Views::default();
    let mut done = 0; // where the lines not yet viewed start
    for i in memchr::memchr2_iter(0x1b, b'\\', data) {
        if i < done || code_len(data, i).is_none() {
            continue;
        }
        let ls = memchr::memrchr(b'\n', &data[done..i]).map_or(done, |n| done + n + 1);
        let le = memchr::memchr(b'\n', &data[i..]).map_or(data.len(), |n| i + n);
        push_line(data, ls, le, &mut out);
        done = le + 1;
    }
    (!out.is_empty()).then_some(out)
}

/// The length of the ANSI code (CSI: escape, `[`, parameters, one final letter) at `t[i..]`.
fn code_len(t: &[u8], i: usize) -> Option<usize> {
    let rest = &t[i..];
    let intro = if rest.first() == Some(&0x1b) {
        1
    } else if rest.first() == Some(&b'\\') {
        TEXT_ESCAPES
            .iter()
            .find(|e| rest.starts_with(&e[..e.len() - 1]))?
            .len()
            - 1
    } else {
        return None;
    };
    if rest.get(intro) != Some(&b'[') {
        return None;
    }
    let mut j = intro + 1;
    while rest
        .get(j)
        .is_some_and(|b| b.is_ascii_digit() || *b == b';' || *b == b'?')
    {
        j += 1;
    }
    rest.get(j)
        .is_some_and(u8::is_ascii_alphabetic)
        .then_some(j + 1)
}

/// `data[ls..le]` without its codes, as one line of `out` whose runs between codes are its
/// segments.
fn push_line(data: &[u8], ls: usize, le: usize, out: &mut Views) {
    let line = &data[ls..le];
    let mut segments = Vec::new();
    let (mut i, mut run) = (0, 0);
    while i < line.len() {
        match code_len(line, i) {
            Some(n) => {
                if run < i {
                    segments.push(ls + run..ls + i);
                }
                i += n;
                run = i;
            }
            None => i += 1,
        }
    }
    if run < line.len() {
        segments.push(ls + run..le);
    }
    out.push_segments(data, &segments);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(t: &str) -> Vec<String> {
        let v = views(t.as_bytes()).unwrap_or_default();
        v.entries_text()
    }

    #[test]
    fn codes_are_left_out_and_runs_kept_in_place() {
        let t = "ok\ntoken \x1b[1;32mabc123\x1b[0m done\n";
        assert_eq!(stripped(t), ["token abc123 done"]);
        let t = "echo -e \"T=\\e[32mvalue\\e[0m\"\n";
        assert_eq!(stripped(t), ["echo -e \"T=value\""]);
        let t = "printf '\\033[31mred\\033[0m'\n";
        assert_eq!(stripped(t), ["printf 'red'"]);
    }

    #[test]
    fn text_without_codes_has_no_views() {
        assert!(views(b"a[1] = b\\n[2]\nlet e = \"\\e\";\n").is_none());
        // An escape not followed by a code is no code.
        assert!(views(b"x\x1bplain\n").is_none());
    }
}
