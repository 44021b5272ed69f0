//! The stretch of text a rule's regex sees around a keyword hit: its line (capped on long lines),
//! more for multi-line rules, stretched to the end of a long token the cap would cut.

/// How far a window reaches back and forward on one line when the line is long (minified code).
pub(super) const LINE_REACH: usize = 1024;
/// How far forward a multi-line rule (a private key block) may reach from its keyword.
pub(super) const MULTILINE_REACH: usize = 16 * 1024;
/// How far past its keyword a window may be stretched to take in the whole of a long token that its
/// nominal end cuts (an AWS session token, a kubeconfig's base64 key, a long JWT): a secret running
/// on beyond this is reported cut here.
pub(super) const TOKEN_REACH: usize = 64 * 1024;
/// How far before its keyword a long token may start and still be stretched to: the rest of the name
/// the keyword is part of (`AWS_SESSION_TOKEN=` before `IQoJ…`, `aws_session_` before `token`).
const NAME_REACH: usize = 256;

/// How far a rule's window reaches from its keyword hit (`Engine::reach`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reach {
    /// The hit's line, `LINE_REACH` either side on a long line.
    Line,
    /// The hit's line, up to `MULTILINE_REACH` on along a long line: a rule whose matches keep
    /// to a line but may be longer than a line window holds (a service account's escaped key on
    /// one JSON line), and whose text once gave it 16 KiB windows (docs/engine.md, "Line edges
    /// on CRLF; windows by meaning" and "Windows by meaning, second round").
    LongLine,
    /// The hit's line and the lines up to `MULTILINE_REACH` on: a rule whose matches span lines.
    Lines,
    /// `Lines`, ended at the end of the `n`th line from the hit's (the hit's own is the first): a
    /// rule that says its matches start on its keyword's line and span at most `n` lines
    /// (`lines = "2"`, `rules::Lines::Count`). The same window as `Lines` cut short, so it ends at
    /// a line's end where it is shorter (docs/engine.md, "Stop 38").
    Count(u8),
}

impl Reach {
    /// Where a hit's window for this reach is kept while the hit fans out to its rules (`None`:
    /// worked out for each rule, `Count` being rare).
    pub(super) fn slot(self) -> Option<usize> {
        match self {
            Reach::Line => Some(0),
            Reach::LongLine => Some(1),
            Reach::Lines => Some(2),
            Reach::Count(_) => None,
        }
    }
}

/// The stretch of `data` a rule's regex needs to see around a keyword hit at `s..e`: the whole line
/// (capped on very long lines), or for multi-line rules the next 16 KB too.
#[cfg(test)]
pub(super) fn window(data: &[u8], s: usize, e: usize, multiline: bool) -> (usize, usize) {
    let reach = if multiline { Reach::Lines } else { Reach::Line };
    Windows::new(data).window(s, e, reach)
}

/// `window` for one text's keyword hits, taken in order of start. It remembers the run of token
/// bytes it last looked at, so that hits inside one long run (a base64 blob, a minified bundle)
/// do not each re-read the run's last kilobyte to find where it starts: on the generated
/// benchmark tree that re-reading was 314M instructions, 13% of the scan.
pub(super) struct Windows<'a> {
    data: &'a [u8],
    /// `data[run.0..run.1]` are all token bytes, and the byte before it (if any) is not one.
    run: (usize, usize),
    /// The last line whose bounds a window found whole: its start and its end (the newline's
    /// position, or the data's end). The next hits on it (keyword-dense code has several a line)
    /// take their line windows from it instead of looking for its ends again.
    line: (usize, usize),
}

/// Where a window around a keyword hit at `s..e` starts and ends before any token is finished:
/// from the hit's line start (within `LINE_REACH`) to its line end, or for multi-line rules to the
/// first line end past `MULTILINE_REACH`.
#[inline]
fn line_bounds(data: &[u8], s: usize, e: usize, reach: Reach) -> (usize, usize) {
    let reach_of = reach;
    let lo = s.saturating_sub(LINE_REACH);
    let start = memchr::memrchr(b'\n', &data[lo..s]).map_or(lo, |i| lo + i + 1);
    let multiline = matches!(reach, Reach::Lines | Reach::Count(_));
    let reach = if reach == Reach::Line {
        LINE_REACH
    } else {
        MULTILINE_REACH
    };
    let hi = (e + reach).min(data.len());
    let end = if multiline {
        let cap = (hi + LINE_REACH).min(data.len());
        memchr::memchr(b'\n', &data[hi..cap]).map_or(cap, |i| hi + i)
    } else {
        memchr::memchr(b'\n', &data[e..hi]).map_or(hi, |i| e + i)
    };
    if let Reach::Count(n) = reach_of {
        return (start, count_end(data, e, end, n));
    }
    (start, end)
}

/// Where a `Reach::Count(n)` window ends: at the `n`th line end at or after `e` (the hit's line's
/// end is the first), or at `end`, the `Lines` window's, when that comes first.
fn count_end(data: &[u8], e: usize, end: usize, n: u8) -> usize {
    let mut from = e;
    for _ in 1..n {
        match memchr::memchr(b'\n', &data[from..end]) {
            Some(i) => from += i + 1,
            None => return end,
        }
    }
    memchr::memchr(b'\n', &data[from..end]).map_or(end, |i| from + i)
}

impl<'a> Windows<'a> {
    pub(super) fn new(data: &'a [u8]) -> Windows<'a> {
        Windows {
            data,
            run: (0, 0),
            line: (1, 0),
        }
    }

    /// The stretch of the text a rule's regex needs to see around a keyword hit at `s..e`: the
    /// whole line (capped on very long lines), or for multi-line rules the next 16 KB too.
    pub(super) fn window(&mut self, s: usize, e: usize, reach: Reach) -> (usize, usize) {
        let (start, end) = if reach == Reach::Line {
            self.line_window(s, e)
        } else {
            line_bounds(self.data, s, e, reach)
        };
        (start, self.finish_token(end, s, e + TOKEN_REACH))
    }

    /// `line_bounds` of a one-line window, from the remembered line when the hit is on it: the
    /// line's start unless it lies beyond the reach back, its end unless beyond the reach on
    /// (what the two searches find, capped as they are).
    fn line_window(&mut self, s: usize, e: usize) -> (usize, usize) {
        let data = self.data;
        let (lo, hi) = (
            s.saturating_sub(LINE_REACH),
            (e + LINE_REACH).min(data.len()),
        );
        let (ls, le) = self.line;
        if ls <= s && e <= le {
            return (ls.max(lo), le.min(hi));
        }
        let back = memchr::memrchr(b'\n', &data[lo..s]);
        let on = memchr::memchr(b'\n', &data[e..hi]);
        let start = back.map_or(lo, |i| lo + i + 1);
        let end = on.map_or(hi, |i| e + i);
        // Known whole when each search found the line's end, or ran to the data's (and the hit
        // itself holds no line break, which neither search looks at).
        if (back.is_some() || lo == 0)
            && (on.is_some() || hi == data.len())
            && !data[s..e].contains(&b'\n')
        {
            self.line = (start, end);
        }
        (start, end)
    }

    /// A window cut short on a long line can end inside a token. Cut there, a rule's regex would
    /// match the token's head as if it were the whole secret (`$` and `\b` hold at the end of the
    /// text they see), or not match at all when it needs what follows (a JWT's signature, a closing
    /// quote). So a window that ends inside a token that starts at or after its keyword (give or
    /// take the name the keyword is part of: `aws_session_token=IQoJ…`) reaches on to the token's
    /// end and one byte past it, at most to `cap`. A token that began well before the keyword is a
    /// blob the keyword happens to sit in (base64 data, a minified bundle's string), not a secret
    /// named or prefixed by it: stretching every window in such blobs to `cap` would cost a regex
    /// pass over 64 KB per chance keyword. A window that ends at a line's end, or between tokens,
    /// is as it was.
    fn finish_token(&mut self, end: usize, keyword: usize, cap: usize) -> usize {
        let data = self.data;
        if end >= data.len() || data[end] == b'\n' {
            return end;
        }
        if !is_token_byte(data[end]) {
            return end + 1;
        }
        let floor = keyword.saturating_sub(NAME_REACH);
        // The token ending at `end` started before `floor`: `data[floor - 1..end]` are all token bytes.
        let started_before_floor = floor > 0 && self.token_run_start(end, floor - 1) < floor;
        if started_before_floor {
            return end;
        }
        let cap = cap.min(data.len()).max(end);
        let run = data[end..cap]
            .iter()
            .position(|&b| !is_token_byte(b))
            .map_or(cap, |i| end + i);
        if run < cap && data[run] != b'\n' {
            run + 1
        } else {
            run
        }
    }

    /// Where the run of token bytes that ends at `end` starts (`end` itself when `data[end - 1]`
    /// is not a token byte), or any position from `floor` to `end` when the run starts at or after
    /// `floor`. Hits come in order of start, so `end` mostly moves forward: the remembered run is
    /// extended, and each byte is read about once per text.
    fn token_run_start(&mut self, end: usize, floor: usize) -> usize {
        let (lo, hi) = self.run;
        let last_other = |from: usize| {
            self.data[from..end]
                .iter()
                .rposition(|&b| !is_token_byte(b))
                .map(|i| from + i + 1)
        };
        if (lo..=hi).contains(&end) {
            lo
        } else if end > hi {
            let start = last_other(hi).unwrap_or(lo);
            self.run = (start, end);
            start
        } else {
            // Behind the remembered run (a multi-line rule's window ended further on): look back
            // only as far as the question needs.
            last_other(floor).unwrap_or(floor)
        }
    }
}

/// Bytes that secrets are written in: base64 (both alphabets, padding), hex, JWTs, URL-encoding,
/// the symbols generic passwords use, and the backslash of `\n` escapes in one-line JSON keys.
fn is_token_byte(b: u8) -> bool {
    TOKEN_BYTES[b as usize]
}

/// `is_token_byte` as a table: it is asked of every byte before a cut in a base64 blob.
static TOKEN_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric();
        b += 1;
    }
    let extra = b"+/=_-.~%!@^*\\";
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::engine::PathScope;

    #[test]
    fn multiline_rules_see_across_lines() {
        let e = engine(KEY_RULE);
        let body: String = (0..40)
            .map(|i| format!("TWlJRXZ3SUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2t3{i:02}\n"))
            .collect();
        let data = format!(
            "const k = `\n-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----\n`;\n"
        );
        let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].line, hits[0].end_line), (2, 43));
    }

    #[test]
    fn a_keyword_ending_in_a_line_break_gives_a_one_line_rule_its_line_only() {
        // `one` keeps to its line (`lines = "one"`) though its regex could cross one; `wrapped`
        // spans lines and its keyword holds the line break after `token",`.
        let one = r#"[[rules]]
id = "one"
regex = '''token",\s*"(\w{8,})"'''
lines = "one"
keywords = ["token"]
"#;
        let wrapped = r#"[[rules]]
id = "wrapped"
regex = '''token",\n\s*"(zz\w{8,})"'''
lines = "many"
keywords = ["token\",\n"]
"#;
        let data = "x = get(\"api_token\",\n    \"q7Lm2Xw9Kp4R\")\nkey = \"api_token\", \"Zt8Qn3Vb6Hs1\"\n"; // leakguard:allow (a test's fake value)
        for rules in [one.to_string(), format!("{one}\n{wrapped}")] {
            let hits = engine(&rules).scan(data.as_bytes(), PathScope::ContentOnly);
            let found: Vec<_> = hits
                .iter()
                .map(|h| (h.line, h.secret.expose().to_string()))
                .collect();
            assert_eq!(found, vec![(3, "Zt8Qn3Vb6Hs1".to_string())], "{rules}");
        }
        // A keyword opening with the line break before its line's first byte keeps that line.
        let at_start = r#"[[rules]]
id = "at-start"
regex = '''(?m)^(re_\w{16,})'''
lines = "one"
keywords = ["\nre_"]
"#;
        let data = "first line\nre_Q7mZ2kR9xW4vB8nL1pS6\nlast\n";
        let hits = engine(at_start).scan(data.as_bytes(), PathScope::ContentOnly);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].line, 2);
    }

    #[test]
    fn a_token_longer_than_the_window_is_reported_whole() {
        let e = engine(STS_RULE);
        for n in [1_000, 1_030, 1_500, 5_000, 40_000] {
            let t = sts(n as u64, n);
            let data = format!("[x]\naws_session_token = {t}\nregion = a\n");
            let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
            assert_eq!(hits.len(), 1, "{n}");
            assert_eq!(hits[0].secret.expose().len(), n);
            assert_eq!(hits[0].secret.expose(), t);
            assert_eq!(
                (
                    hits[0].line,
                    hits[0].column,
                    hits[0].end_line,
                    hits[0].end_column
                ),
                (2, 21, 2, 21 + n)
            );
        }
    }

    #[test]
    fn a_jwt_whose_payload_outruns_the_window_is_found() {
        // Cut inside the payload, the window held no signature: no match at all.
        let e = engine(JWT_RULE);
        let payload = format!("eyJ{}", b64(7, 3_000).replace(['+', '/'], "_"));
        let sig = b64(8, 43).replace(['+', '/'], "-");
        let jwt = format!("eyJhbGciOiJIUzI1NiJ9.{payload}.{sig}");
        let data = format!("token: {jwt}\n");
        let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].secret.expose(), jwt);
    }

    #[test]
    fn a_value_cut_by_the_window_is_not_taken_for_a_shorter_secret() {
        // 60 alphanumerics are not a value of 20 to 40: cut after 32, they looked like one.
        let e = engine(
            "[[rules]]\nid = \"k\"\nregex = '''key\\s*=\\s*([A-Za-z0-9]{20,40})\\b'''\nkeywords = [\"key\"]\n",
        );
        let spaces = " ".repeat(990);
        let value = TOKEN[4..].repeat(2)[..60].to_string();
        let data = format!("key ={spaces}{value}\n");
        assert!(e.scan(data.as_bytes(), PathScope::ContentOnly).is_empty());
        let data = format!("key ={spaces}{}\n", &value[..36]);
        assert_eq!(e.scan(data.as_bytes(), PathScope::ContentOnly).len(), 1);
    }

    #[test]
    fn a_token_beyond_the_reach_is_reported_cut_at_the_reach() {
        let e = engine(STS_RULE);
        let t = sts(3, TOKEN_REACH * 2);
        let data = format!("k = {t}\n");
        let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
        assert_eq!(hits.len(), 1);
        let got = hits[0].secret.expose();
        assert!(t.starts_with(got));
        assert!(
            got.len() >= TOKEN_REACH - 8 && got.len() <= TOKEN_REACH + 8,
            "{}",
            got.len()
        );
    }

    /// `window` as it was before `Windows` remembered token runs: each hit re-reads the bytes
    /// between the name's reach and the window's end.
    fn window_direct(data: &[u8], s: usize, e: usize, reach: Reach) -> (usize, usize) {
        let (start, end) = line_bounds(data, s, e, reach);
        let cap = e + TOKEN_REACH;
        let finished = if end >= data.len() || data[end] == b'\n' {
            end
        } else if !is_token_byte(data[end]) {
            end + 1
        } else {
            let floor = s.saturating_sub(NAME_REACH);
            if floor > 0
                && is_token_byte(data[floor - 1])
                && data[floor..end].iter().all(|&b| is_token_byte(b))
            {
                end
            } else {
                let cap = cap.min(data.len()).max(end);
                let run = data[end..cap]
                    .iter()
                    .position(|&b| !is_token_byte(b))
                    .map_or(cap, |i| end + i);
                if run < cap && data[run] != b'\n' {
                    run + 1
                } else {
                    run
                }
            }
        };
        (start, finished)
    }

    #[test]
    fn remembered_token_runs_give_the_windows_of_a_fresh_look() {
        // Long lines of token runs (blobs) broken by spaces, quotes and newlines; hits in order of
        // start, some multi-line (their windows end further on, so the next hit looks behind).
        // Every other round, lines of code's lengths, several hits a line: the remembered line.
        let mut rng = Rng(0x51f1_5eed_u64);
        let mut next = |n: u64| rng.below(n);
        for round in 0..120 {
            let mut data = Vec::new();
            while data.len() < 40_000 {
                let run = match next(4) {
                    _ if round % 2 == 1 => next(40),
                    0 => next(8),
                    1 => next(300),
                    2 => next(3_000),
                    _ => next(20_000),
                };
                data.extend((0..run).map(|i| b"Ab9+/=_-.x"[(i % 10) as usize]));
                data.push(b" \n\"'"[next(4) as usize]);
            }
            let mut shared = Windows::new(&data);
            let mut s = next(50) as usize;
            while s + 8 < data.len() {
                let e = s + 1 + next(8) as usize;
                let reach = match next(20) {
                    0 => Reach::Lines,
                    1 => Reach::LongLine,
                    _ => Reach::Line,
                };
                assert_eq!(
                    shared.window(s, e, reach),
                    window_direct(&data, s, e, reach),
                    "round {round}: hit {s}..{e} {reach:?}"
                );
                let step = match next(3) {
                    0 => 4_000,
                    _ if round % 2 == 1 => 12,
                    _ => 40,
                };
                s += 1 + next(step) as usize;
            }
        }
    }

    #[test]
    fn a_counted_reach_is_the_lines_window_cut_at_its_last_line() {
        // Lines of every length (short ones, and some past `LINE_REACH` and `MULTILINE_REACH`,
        // where `Lines` cuts mid-line and stretches over a token): a `Count(n)` window starts
        // where `Lines` does and ends at the `n`th line end from the hit's, unless `Lines` ends
        // first, when it is `Lines`'s (stretched as that is).
        let mut rng = Rng(0x38c0_0a7e_u64);
        let mut next = |n: u64| rng.below(n);
        for round in 0..60 {
            let mut data = Vec::new();
            while data.len() < 60_000 {
                let len = match next(10) {
                    0 => next(20_000),
                    1 => next(2_000),
                    _ => next(80),
                };
                data.extend((0..len).map(|i| b"Ab9 _=x"[(i % 7) as usize]));
                data.push(b'\n');
            }
            let mut s = next(30) as usize;
            while s + 8 < data.len() {
                let e = s + 1 + next(6) as usize;
                let n = 2 + next(4) as u8;
                let lines = Windows::new(&data).window(s, e, Reach::Lines);
                let nth = data[e..]
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == b'\n')
                    .nth(usize::from(n) - 1)
                    .map(|(i, _)| e + i);
                let want = match nth {
                    Some(end) if end < lines.1 => (lines.0, end),
                    _ => lines,
                };
                assert_eq!(
                    Windows::new(&data).window(s, e, Reach::Count(n)),
                    want,
                    "round {round}: hit {s}..{e}, {n} lines"
                );
                s += 1 + next(900) as usize;
            }
        }
    }

    #[test]
    fn ordinary_lines_keep_their_windows() {
        // A window that ends at a line's end is not stretched.
        let data = b"a = 1\nbcd efg\n";
        assert_eq!(window(data, 0, 1, false), (0, 5));
        // The nominal end falls on the space before a run: one byte past it, no more.
        let long = format!("k {} {}\n", "x".repeat(LINE_REACH - 1), "y".repeat(5_000));
        assert_eq!(window(long.as_bytes(), 0, 1, false).1, LINE_REACH + 2);
        // Inside a token, the window reaches the token's end and the byte after it.
        let long = format!("k {}; z\n", "y".repeat(5_000));
        assert_eq!(window(long.as_bytes(), 0, 1, false).1, 5_003);
        // A keyword deep inside a blob: the token did not start near it, the window is not stretched.
        let blob = format!("{}\n", "Yq9+".repeat(2_000));
        assert_eq!(
            window(blob.as_bytes(), 3_000, 3_003, false),
            (3_000 - LINE_REACH, 3_003 + LINE_REACH)
        );
    }
}
