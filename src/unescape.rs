//! Text escaped once more for the string or the markup it sits in, read again unescaped: JSON
//! inside a string literal (`"{\"api_key\": \"…\"}"`, a C# or Java constant, a recorded request
//! body, a Postman collection's `"Authorization: OAuth oauth_token=\"…\""` header), doubly escaped
//! (`\\\"`) and HTML attributes (`data-config="{&quot;token&quot;: &quot;…&quot;}"`).
//!
//! The rules read a name and its value through their quotes: `\"api_key\": \"V\"` has a backslash
//! where the rules want the quote to end the name, so such values went unread unless the rule's own
//! grammar allowed the one backslash (the generic assignment does, the named rules do not; none
//! reads `&quot;`). Each window of a line around such an escape becomes a line of a key-path view
//! (`keypath::Views`) with the escapes written as the quote they stand for: the runs of text
//! between escapes are the segments a hit is placed back on, so the reported span and line are the
//! value's own in the original text. Cheap: only lines holding an escaped quote are viewed, and
//! only a window around each escape.
//!
//! A verbatim string's `@"` (C#'s `@"…"`, Objective-C's `NSString *k = @"…"`) is read the same
//! way, as the quote it opens: the rules' grammar allows quotes, spaces and backslashes between an
//! operator and a value, not an `@`, so `ApiKey = @"…"` went unread by every named rule (the shape
//! matrix's `csharp-verbatim` and `objc` shapes, tests/integration/rule_shapes.rs).

use crate::keypath::Views;

/// Bytes viewed either side of an escape: a name and its value (a long token or a JWT) fit, and a
/// minified line with one escape costs a window, not the line.
const WINDOW: usize = 768;

/// Where an escaped quote starts in `line` at `i` and how many bytes it takes: a run of backslashes
/// before `"` (`\"`, `\\"`, `\\\"`), the entity `&quot;` / `&#34;`, or a verbatim string's `@"`
/// that does not follow a word (`user@"…` is not one).
fn escape_at(line: &[u8], i: usize) -> Option<usize> {
    match line[i] {
        b'@' => (line.get(i + 1) == Some(&b'"')
            && (i == 0 || !(line[i - 1].is_ascii_alphanumeric() || line[i - 1] == b'_')))
            .then_some(2),
        b'\\' => {
            let n = line[i..].iter().take_while(|&&b| b == b'\\').count();
            (line.get(i + n) == Some(&b'"')).then_some(n + 1)
        }
        b'&' => {
            let rest = &line[i..];
            if rest.starts_with(b"&quot;") {
                Some(6)
            } else if rest.starts_with(b"&#34;") {
                Some(5)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The windows of `data`'s lines that hold an escaped quote near a keyword, unescaped, or none.
/// `keywords`: where the rules' keywords start and end in `data`, in order. A view can only make a
/// rule match whose keyword it holds, and an escape hides a name's value only where it closes the
/// name (`api_key\": \"…`, `token&quot;:&quot;…`, `"Apitoken":"{\"…`) or opens it (`\"api_key`):
/// so a keyword counts only when an escaped quote stands in the few bytes around its name, and only
/// such keywords' windows are searched. Three passes over every byte for escapes cost 5% of a
/// scan's instructions, a search of every keyword's window 2%, a word-by-word look at every
/// keyword's name 3.6%; this looks at each byte near a keyword once.
pub fn views(data: &[u8], keywords: impl IntoIterator<Item = (usize, usize)>) -> Option<Views> {
    let mut at: Vec<usize> = Vec::new();
    let mut done = 0; // bytes before this were searched for escapes
    let mut checked = 0; // bytes before this were looked at for an escape touching a name
    for (k, end) in keywords {
        if k + WINDOW <= done {
            continue;
        }
        // The name's neighbourhood, each byte looked at once however many keywords share it.
        let from = k.saturating_sub(6).max(checked);
        let to = (end + NAME_TAIL).min(data.len());
        if from >= to {
            continue;
        }
        checked = to;
        let hot = memchr::memchr3_iter(b'\\', b'&', b'@', &data[from..to])
            .any(|i| escape_at(data, from + i).is_some());
        if !hot {
            continue;
        }
        let from = k.saturating_sub(WINDOW).max(done);
        let to = (k + WINDOW).min(data.len());
        if from >= to {
            continue;
        }
        for i in memchr::memchr3_iter(b'\\', b'&', b'@', &data[from..to]) {
            let i = from + i;
            if escape_at(data, i).is_some() {
                // A run of backslashes is one escape, found at its first backslash.
                if at.last().is_none_or(|&p| p + escape_len(data, p) <= i) {
                    at.push(i);
                }
            }
        }
        done = to;
    }
    if at.is_empty() {
        return None;
    }
    let mut out = Views::default();
    let mut i = 0;
    while i < at.len() {
        let ls = memchr::memrchr(b'\n', &data[at[i].saturating_sub(WINDOW)..at[i]])
            .map_or(at[i].saturating_sub(WINDOW), |n| {
                at[i].saturating_sub(WINDOW) + n + 1
            });
        let le = memchr::memchr(b'\n', &data[at[i]..(at[i] + WINDOW).min(data.len())])
            .map_or((at[i] + WINDOW).min(data.len()), |n| at[i] + n);
        // The escapes of this line, each a window; windows that touch are one.
        let mut j = i;
        while j < at.len() && at[j] < le {
            j += 1;
        }
        let mut ws = at[i].saturating_sub(WINDOW).max(ls);
        let mut we = (at[i] + WINDOW).min(le);
        for &e in &at[i + 1..j] {
            if e.saturating_sub(WINDOW) <= we {
                we = (e + WINDOW).min(le);
            } else {
                push_window(data, ws, we, &mut out);
                ws = e.saturating_sub(WINDOW).max(ls);
                we = (e + WINDOW).min(le);
            }
        }
        push_window(data, ws, we, &mut out);
        i = j;
    }
    (!out.is_empty()).then_some(out)
}

/// Bytes after a keyword's end within which an escaped quote closes its name: the rest of the
/// name (`_secret` of `oauth_token_secret`), the quote, a colon or `=`, the value's opening quote.
const NAME_TAIL: usize = 40;

fn escape_len(data: &[u8], i: usize) -> usize {
    escape_at(data, i).unwrap_or(1)
}

/// `data[ws..we]` with each escaped quote written as `"`, as one line of `out` whose runs between
/// escapes are its segments.
fn push_window(data: &[u8], ws: usize, we: usize, out: &mut Views) {
    // A window cut inside a line starts at a word's boundary, so no name is read from its middle.
    let mut ws = ws;
    if ws > 0 && data[ws - 1] != b'\n' {
        while ws < we && (data[ws].is_ascii_alphanumeric() || data[ws] == b'_') {
            ws += 1;
        }
    }
    let line = &data[ws..we];
    let mut pieces = Vec::new();
    let (mut i, mut run) = (0, 0);
    while i < line.len() {
        if !matches!(line[i], b'\\' | b'&' | b'@') {
            i += 1;
            continue;
        }
        match escape_at(line, i) {
            Some(n) => {
                if run < i {
                    pieces.push(Some(ws + run..ws + i));
                }
                pieces.push(None);
                i += n;
                run = i;
            }
            None => i += 1,
        }
    }
    if run < line.len() {
        pieces.push(Some(ws + run..we));
    }
    // `None`: the quote an escape stands for.
    out.push_pieces(data, &pieces, b"\"");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unescaped(t: &str) -> Vec<String> {
        views(t.as_bytes(), (0..t.len()).map(|i| (i, i)))
            .unwrap_or_default()
            .entries_text()
    }

    #[test]
    fn escaped_quotes_are_read_as_quotes() {
        assert_eq!(
            unescaped("x = \"{\\\"api_key\\\": \\\"V1\\\"}\";\n"),
            ["x = \"{\"api_key\": \"V1\"}\";"]
        );
        assert_eq!(
            unescaped("s = '{\\\\\"k\\\\\": 1}'\n"),
            ["s = '{\"k\": 1}'"]
        );
        assert_eq!(
            unescaped("<div data-x=\"{&quot;token&quot;:&quot;V&quot;}\">\n"),
            ["<div data-x=\"{\"token\":\"V\"}\">"]
        );
        assert_eq!(unescaped("a=&#34;b&#34;\n"), ["a=\"b\""]);
    }

    #[test]
    fn a_verbatim_strings_at_sign_is_read_as_its_quote() {
        assert_eq!(
            unescaped("NSString *const kApiKey = @\"V1\";\n"),
            ["NSString *const kApiKey = \"V1\";"]
        );
        assert_eq!(unescaped("var token = @\"V\";\n"), ["var token = \"V\";"]);
        // After a word it is not a string's prefix (an address, a decorator's argument).
        assert!(unescaped("mail = user@\"host\"\n").is_empty());
    }

    #[test]
    fn only_lines_with_an_escaped_quote_are_viewed() {
        let t = b"a = \"b\\n\"\nc = 'd\\\\e'\nf &amp; g\n";
        assert!(views(t, (0..t.len()).map(|i| (i, i))).is_none());
        assert_eq!(unescaped("plain\nk = \\\"v\\\"\nplain\n"), ["k = \"v\""]);
    }

    #[test]
    fn only_escapes_near_a_keyword_are_viewed() {
        let mut t = "k = \\\"v\\\"\n".to_string();
        t.push_str(&"x".repeat(4 * WINDOW));
        t.push_str("\nother = \\\"w\\\"\n");
        let far = t.len() - 4;
        assert!(views(t.as_bytes(), [(10 + 2 * WINDOW, 11 + 2 * WINDOW)]).is_none());
        let v = views(t.as_bytes(), [(0, 1)]).unwrap();
        assert_eq!(v.entries_text(), ["k = \"v\""]);
        let v = views(t.as_bytes(), [(far - 10, far - 5)]).unwrap();
        assert_eq!(v.entries_text(), ["other = \"w\""]);
    }

    #[test]
    fn spans_map_back_to_the_original_text() {
        // The value is built here so that the source does not hold it whole.
        let value = ["Zq8vN3kR", "7tW2yB5m"].concat();
        let t = format!("first\nh = \"{{\\\"secret\\\": \\\"{value}\\\"}}\"\n");
        let v = views(t.as_bytes(), (0..t.len()).map(|i| (i, i))).unwrap();
        let text = String::from_utf8(v.text.clone()).unwrap();
        let s = text.find(&value).unwrap();
        let span = v.to_data(0, s..s + 16).unwrap();
        assert_eq!(&t[span], value);
        // A span across an escape (a quote the view wrote) stands for no text of the data.
        let q = text.find("secret").unwrap();
        assert!(v.to_data(0, q..q + 10).is_none());
    }

    #[test]
    fn a_long_line_is_viewed_in_windows_around_its_escapes() {
        let mut t = "y".repeat(5000);
        t.push_str(" k=\\\"v\\\" ");
        t.push_str(&"z".repeat(5000));
        let v = views(t.as_bytes(), (0..t.len()).map(|i| (i, i))).unwrap();
        assert!(v.text.len() < 2 * WINDOW + 16, "{}", v.text.len());
        assert!(String::from_utf8_lossy(&v.text).contains(" k=\"v\" "));
    }
}
