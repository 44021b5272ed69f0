//! Go RE2 syntax (what gitleaks configs are written in) rewritten into the Rust `regex` syntax with
//! the same meaning. The two dialects agree on almost everything; where Go accepts a construct Rust
//! rejects, or the two read it differently, the construct is rewritten here, at config load, so that a
//! `.gitleaks.toml` works unchanged. Each rewrite keeps Go's meaning:
//!
//! - `{` that opens no valid repetition (`{`, `{,3}`, `{abc}`, `a{1001}` stays an error in both) is a
//!   literal brace in Go; Rust rejects it: it becomes `\{`.
//! - `\Q…\E` quotes a literal run in Go; Rust has no such syntax: the run is escaped character by
//!   character.
//! - `\<` and `\>` are the literal `<` and `>` in Go; in Rust they are word boundaries.
//! - Octal escapes (`\0`, `\012`, `\101`) are characters in Go; Rust rejects them: they become `\x{..}`.
//! - Inside a class, `[` is a literal in Go (`[[]`), `&&`, `~~` and `--` are literal characters; in Rust
//!   `[` opens a nested class and the doubled characters are set operations: they are escaped.
//!
//! Anything else is passed through, so an invalid Go regex is still reported by the Rust parser.

use std::borrow::Cow;

/// The Rust-syntax equivalent of a Go RE2 pattern. Returns the input unchanged (borrowed) when it
/// needs no rewrite, which is the common case.
pub fn translate(src: &str) -> Cow<'_, str> {
    if !src.contains(['{', '\\', '[']) {
        return Cow::Borrowed(src);
    }
    let out = rewrite(src);
    if out == src {
        Cow::Borrowed(src)
    } else {
        Cow::Owned(out)
    }
}

fn rewrite(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len() + 8);
    let mut i = 0;
    // Inside a character class: the index where its members start (after `[` and an optional `^`).
    let mut class_start: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                i = escape(&chars, i, &mut out, class_start.is_some());
                continue;
            }
            '[' if class_start.is_none() => {
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                // A `]` first in a class is a member in both dialects; escaping it is clearer.
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
                class_start = Some(i);
                continue;
            }
            '[' => {
                // `[:alpha:]` inside a class is a POSIX class in both dialects; any other `[` is literal in Go.
                if chars.get(i + 1) == Some(&':') {
                    if let Some(end) = find_seq(&chars, i + 2, &[':', ']']) {
                        out.extend(&chars[i..end + 2]);
                        i = end + 2;
                        continue;
                    }
                }
                out.push_str("\\[");
            }
            ']' if class_start.is_some() => {
                class_start = None;
                out.push(']');
            }
            '&' | '~' if class_start.is_some() => {
                out.push('\\');
                out.push(c);
            }
            '-' if class_start.is_some() && i > 0 && chars[i - 1] == '-' => out.push_str("\\-"),
            '{' if class_start.is_none() => match repetition_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                    continue;
                }
                None => out.push_str("\\{"),
            },
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Rewrites the escape at `chars[i] == '\\'`; returns the index after it.
fn escape(chars: &[char], i: usize, out: &mut String, in_class: bool) -> usize {
    let Some(&next) = chars.get(i + 1) else {
        out.push('\\');
        return i + 1;
    };
    match next {
        'Q' if !in_class => {
            let body_start = i + 2;
            let end = find_seq(chars, body_start, &['\\', 'E']);
            let body_end = end.unwrap_or(chars.len());
            for &ch in &chars[body_start..body_end] {
                push_literal(out, ch);
            }
            end.map_or(chars.len(), |e| e + 2)
        }
        '<' | '>' => {
            out.push(next);
            i + 2
        }
        '0'..='7' => {
            // Go: `\0` takes up to two more octal digits; `\1`..`\7` is octal only when followed by
            // another digit (alone it would be a backreference, an error in both dialects).
            let first_zero = next == '0';
            let mut end = i + 2;
            let limit = i + 4;
            while end < limit && end < chars.len() && ('0'..='7').contains(&chars[end]) {
                end += 1;
            }
            if !first_zero && end == i + 2 {
                out.push('\\');
                out.push(next);
                return i + 2;
            }
            let digits: String = chars[i + 1..end].iter().collect();
            let value = u32::from_str_radix(&digits, 8).unwrap_or(0);
            out.push_str(&format!("\\x{{{value:X}}}"));
            end
        }
        'p' | 'P' | 'x' if chars.get(i + 2) == Some(&'{') => {
            // `\p{Greek}`, `\x{41}`: the braces belong to the escape, not to a repetition.
            let close = chars[i + 2..]
                .iter()
                .position(|&c| c == '}')
                .map_or(chars.len(), |p| i + 2 + p + 1);
            out.extend(&chars[i..close]);
            close
        }
        _ => {
            out.push('\\');
            out.push(next);
            i + 2
        }
    }
}

fn push_literal(out: &mut String, ch: char) {
    if regex_syntax_meta(ch) {
        out.push('\\');
    }
    out.push(ch);
}

fn regex_syntax_meta(ch: char) -> bool {
    matches!(
        ch,
        '\\' | '.'
            | '+'
            | '*'
            | '?'
            | '('
            | ')'
            | '|'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '$'
            | '#'
            | '&'
            | '-'
            | '~'
    )
}

/// Where `seq` next starts at or after `from`.
fn find_seq(chars: &[char], from: usize, seq: &[char]) -> Option<usize> {
    (from..chars.len().saturating_sub(seq.len() - 1)).find(|&j| chars[j..].starts_with(seq))
}

/// The index of the `}` closing a Go repetition `{n}`, `{n,}` or `{n,m}` that starts at `chars[i]`,
/// or None when Go would read the `{` as a literal.
fn repetition_end(chars: &[char], i: usize) -> Option<usize> {
    // Out-of-range counts (Go's limit is 1000) stay a repetition, never a literal: both reject them.
    let mut j = i + 1;
    digits(chars, &mut j)?;
    if chars.get(j) == Some(&',') {
        j += 1;
        if chars.get(j) != Some(&'}') {
            digits(chars, &mut j)?;
        }
    }
    (chars.get(j) == Some(&'}')).then_some(j)
}

/// Skips a run of ASCII digits at `*j`; None when there is none.
fn digits(chars: &[char], j: &mut usize) -> Option<()> {
    let start = *j;
    while *j < chars.len() && chars[*j].is_ascii_digit() {
        *j += 1;
    }
    (*j > start).then_some(())
}

#[cfg(test)]
mod tests {
    use super::translate;
    use regex::Regex;

    fn rust_matches(go: &str, hay: &str) -> bool {
        Regex::new(&translate(go))
            .unwrap_or_else(|e| panic!("{go:?} -> {:?}: {e}", translate(go)))
            .is_match(hay)
    }

    #[test]
    fn valid_rust_syntax_is_untouched() {
        for p in [
            r"\b(ghp_[A-Za-z0-9]{36})\b",
            r"(?i)[\w.-]{0,50}?(?:key|token)",
            r"[[:alpha:]]+\d{2,}",
            r"\p{L}+\x{41}",
            r"a{3,5}b{2,}",
        ] {
            assert_eq!(translate(p), p);
        }
    }

    #[test]
    fn brace_that_opens_no_repetition_is_literal() {
        // gitleaks' own default config writes `${` and `{{` unescaped.
        assert!(rust_matches(r"^\${?[A-Z_]+}?$", "${TOKEN}"));
        assert!(rust_matches(r"{{ *\.[a-z]+ *}}", "{{ .token }}"));
        assert!(rust_matches(r"x{,3}", "x{,3}"));
        assert!(!rust_matches(r"x{,3}", "xx"));
        assert!(rust_matches(r"a{abc}", "a{abc}"));
        assert!(rust_matches(r"a{", "a{"));
        assert!(rust_matches(r"a{2}", "aa"));
        assert!(!rust_matches(r"a{2}", "a{2}"));
    }

    #[test]
    fn quoted_literal_run() {
        assert!(rust_matches(r"\Q$var.*(x)\E!", "$var.*(x)!"));
        assert!(!rust_matches(r"\Q$var.*\E", "$varxx"));
        assert!(rust_matches(r"\Qa+b", "a+b"));
    }

    #[test]
    fn escaped_angle_brackets_are_literals() {
        assert!(rust_matches(r"\<token\>", "<token>"));
        assert!(!rust_matches(r"\<token\>", "token"));
    }

    #[test]
    fn octal_escapes() {
        assert!(rust_matches(r"\101\0", "A\0"));
        assert!(rust_matches(r"a\11b", "a\tb"));
    }

    #[test]
    fn class_members_rust_reads_as_syntax() {
        assert!(rust_matches(r"[[]", "["));
        assert!(rust_matches(r"^[a&&b]+$", "a&&b"));
        assert!(rust_matches(r"^[~~x]+$", "~x"));
        assert!(rust_matches(r"^[+--]+$", ",+-"));
        assert!(rust_matches(r"^[]a]+$", "]a"));
        assert!(rust_matches(r"^[^]a]+$", "bc"));
        assert!(rust_matches(r"^[[:digit:][]+$", "1["));
    }

    #[test]
    fn invalid_go_stays_invalid() {
        assert!(Regex::new(&translate(r"(unclosed")).is_err());
        assert!(Regex::new(&translate(r"\1")).is_err());
    }
}
