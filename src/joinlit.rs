//! Secrets split over lines: string literals concatenated over consecutive lines (`"-----BEGIN
//! PRIVATE KEY-----\n" +` then one literal a line in Java, C#, JS/TS, Go, Kotlin; PHP's `.`; Python's
//! and C's adjacent literals inside parentheses), shell lines (and YAML double-quoted scalars)
//! continued with a trailing `\`, and YAML block scalars (`token: >-` over the value).
//!
//! Every rule reads a line, or a window of lines as they stand, so a key written as five quoted
//! pieces is five short strings to it. This module writes each such run as one line, the pieces
//! joined as the program joins them, into a small text (a view) that the engine scans like a decoded
//! span (engine `add_joined`); a hit whose secret spans two pieces or more is placed back on the real
//! bytes from the first piece it uses to the last.
//!
//! It joins only what the program itself joins: literals with nothing but a concatenation
//! operator, spaces and line breaks between them (never `"sk-" + name`, a format string's
//! arguments, a call), and a literal's text as written (escapes stay escapes, as a JSON file keeps
//! them). What the view line carries before the first literal (`const key = `, `API_KEY = (` on
//! the line above) is the name the rules need. Line-based, no parser: the engine asks only about the
//! lines where a rule's keyword stands, so text without keywords costs nothing.

use std::ops::Range;

/// Longest line looked at: a minified file's line is no hand-split literal.
const MAX_LINE: usize = 4096;
/// Most lines joined into one run (a 4096-bit RSA key in 64-character pieces is ~50 lines).
const MAX_RUN: usize = 80;

/// Runs of joined lines, one line of `text` each, and where each piece stands in the data.
#[derive(Debug, Default)]
pub struct Joined {
    /// One line per run: what precedes the first literal, the first literal's quote, the pieces
    /// joined, the quote again (shell runs: the lines joined as the shell joins them).
    pub text: Vec<u8>,
    /// Per piece, in order: where it starts and ends in `text`, where it starts in the data (the
    /// same length in both).
    pieces: Vec<(usize, usize, usize)>,
    /// Per line of `text`: where it starts, its first piece, one past its last piece, and whether
    /// what precedes the first piece is the line above it (`API_KEY = (`), which no plain line saw
    /// with it.
    lines: Vec<(usize, usize, usize, bool)>,
}

impl Joined {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The span of the data that `secret` (a range of `text`, in the rule's match `matched`)
    /// stands for, if the join made the match: the secret lies in one run's pieces (not in a
    /// separator nor before the first literal), and the match spans two pieces or more, or the run
    /// has its name on the line above its first piece. A match inside one piece (with its name on
    /// its line) is the plain scan's, which saw it.
    pub fn to_data(&self, matched: Range<usize>, secret: Range<usize>) -> Option<Range<usize>> {
        if secret.is_empty() || matched.is_empty() {
            return None;
        }
        let i = self
            .lines
            .partition_point(|l| l.0 <= secret.start)
            .checked_sub(1)?;
        let (line, first, end, name_above) = self.lines[i];
        let stop = self.lines.get(i + 1).map_or(self.text.len(), |l| l.0);
        if matched.start < line || matched.end > stop {
            return None;
        }
        let pieces = &self.pieces[first..end];
        // The piece `p` is in or follows (a separator, the closing quote); before the first: none.
        let at_or_after = |p: usize| pieces.partition_point(|pc| pc.0 <= p).checked_sub(1);
        let piece_of = |p: usize| at_or_after(p).filter(|&k| p < pieces[k].1);
        let a = piece_of(secret.start)?;
        let b = piece_of(secret.end - 1)?;
        // Under a name on the line above, the name may be all the rule needed of the join (its
        // keyword): any hit counts, and the plain scan's own hits of it stand (engine `add_joined`).
        let from = match at_or_after(matched.start) {
            _ if name_above => -1,
            None => 0,
            Some(k) => k as isize,
        };
        let to = at_or_after(matched.end - 1).map_or(-1, |k| k as isize);
        if to <= from {
            return None;
        }
        let (pa, pb) = (pieces[a], pieces[b]);
        Some(pa.2 + secret.start - pa.0..pb.2 + secret.end - pb.0)
    }

    /// Whether `span` of the data ends where a piece ends (or at its closing quote) and another
    /// follows in its run, or starts where a piece starts (or at its opening quote) after another:
    /// what a rule matched on one line was cut there.
    pub fn cut_at_break(&self, span: Range<usize>) -> bool {
        self.cut(span, true)
    }

    /// Whether `span` ends where a piece ends and another follows (`cut_at_break`'s first half).
    pub fn ends_at_break(&self, span: Range<usize>) -> bool {
        self.cut(span, false)
    }

    fn cut(&self, span: Range<usize>, or_starts: bool) -> bool {
        self.lines.iter().any(|&(_, first, end, _)| {
            let pieces = &self.pieces[first..end];
            pieces.iter().enumerate().any(|(k, pc)| {
                let piece_end = pc.2 + pc.1 - pc.0;
                (k + 1 < pieces.len() && (span.end == piece_end || span.end == piece_end + 1))
                    || (or_starts && k > 0 && (span.start == pc.2 || span.start + 1 == pc.2))
            })
        })
    }

    /// Each run's line as text and the data span from its first piece to its last (for tests).
    pub fn runs(&self) -> Vec<(String, Range<usize>)> {
        (0..self.lines.len())
            .map(|i| {
                let (start, first, end, _) = self.lines[i];
                let stop = self.lines.get(i + 1).map_or(self.text.len(), |l| l.0);
                let text = String::from_utf8_lossy(&self.text[start..stop - 1]).into_owned();
                let (f, l) = (self.pieces[first], self.pieces[end - 1]);
                (text, f.2..l.2 + l.1 - l.0)
            })
            .collect()
    }

    fn push_run(
        &mut self,
        prefix: &[u8],
        name_above: bool,
        quote: Option<u8>,
        pieces: &[(Range<usize>, bool)],
        data: &[u8],
    ) {
        let start = self.text.len();
        let first = self.pieces.len();
        self.text.extend_from_slice(prefix);
        self.text.extend(quote);
        for (i, (r, spaced)) in pieces.iter().enumerate() {
            if i > 0 && *spaced {
                self.text.push(b' ');
            }
            let at = self.text.len();
            self.text.extend_from_slice(&data[r.clone()]);
            self.pieces.push((at, self.text.len(), r.start));
        }
        self.text.extend(quote);
        self.text.push(b'\n');
        self.lines
            .push((start, first, self.pieces.len(), name_above));
    }

    /// One view line of the line `t` whose `groups` of literals (where each starts and ends in `t`,
    /// its pieces in the data) are each written as one literal, in the quote of its first piece:
    /// what precedes the first group, each group joined, the text between groups as it stands, and
    /// the rest of the line where it holds another literal (an argument beside the group).
    fn push_groups(&mut self, t: &[u8], groups: &[Group], data: &[u8]) {
        let start = self.text.len();
        let first = self.pieces.len();
        let mut copied = None;
        for Group {
            from,
            after,
            pieces,
        } in groups
        {
            let gap = match copied {
                None => trim_start(&t[..*from]),
                Some(c) => &t[c..*from],
            };
            self.text.extend_from_slice(gap);
            let quote = data[pieces[0].start - 1];
            self.text.push(quote);
            for r in pieces {
                let at = self.text.len();
                self.text.extend_from_slice(&data[r.clone()]);
                self.pieces.push((at, self.text.len(), r.start));
            }
            self.text.push(quote);
            copied = Some(*after);
        }
        let rest = copied.map_or(&t[..0], |c| &t[c..]);
        if memchr::memchr3(b'"', b'\'', b'`', rest).is_some() {
            self.text.extend_from_slice(rest);
        }
        self.text.push(b'\n');
        self.lines.push((start, first, self.pieces.len(), false));
    }
}

/// The runs of `data` that start on a line where one of `keywords` (positions in `data`, in
/// order) stands, or on the line below one that ends in an opening `(`, `=` or `:` (the name above
/// its literals).
pub fn join(data: &[u8], keywords: impl IntoIterator<Item = usize>) -> Joined {
    let mut out = Joined::default();
    // Asked of the text once a line needs it: join runs on every text with keywords, views too.
    let dots = std::cell::OnceCell::new();
    // Where the next line worth looking at starts: a keyword inside a line or a run already
    // looked at adds nothing.
    let mut done = 0;
    for k in keywords {
        if k < done || k >= data.len() {
            continue;
        }
        // `done` is a line's start: the look back for this one's stops there.
        let ls = done + memchr::memrchr(b'\n', &data[done..k]).map_or(0, |i| i + 1);
        let le = memchr::memchr(b'\n', &data[k..]).map_or(data.len(), |i| k + i);
        done = le + 1;
        if le - ls > MAX_LINE {
            continue;
        }
        let t = trim_end(&data[ls..le]);
        let Some(&last) = t.last() else { continue };
        // Most keyword lines neither end as a run's line can (an operator, a literal, an opening
        // `(`, `=` or `:`, a YAML block header, a `\`) nor start as one of its later lines can (a
        // literal, an operator): such a line is passed on its two ends, before the line below is
        // looked at (on openai-python, four in five keyword lines; docs/engine.md, "The 150 MB/s
        // floor, second round").
        let first = t[skip_spaces(t, 0)];
        let may_go_on_above = is_quote(first) || matches!(first, b'+' | b'.' | b'&');
        let may_go_on_below = matches!(
            last,
            b'\\' | b'(' | b'=' | b':' | b'|' | b'>' | b'-' | b'0'
                ..=b'9' | b'+' | b'.' | b'&' | b'"' | b'\'' | b'`'
        );
        // A line that can be no run's over lines may still be one on itself: asked here, once.
        let joins_inline = joins_on_its_line(t, || *dots.get_or_init(|| joins_with_dots(data)));
        if !may_go_on_above && !may_go_on_below && !joins_inline {
            continue;
        }
        if let Some(end) = run_at(data, ls, le, t, may_go_on_above, joins_inline, &mut out) {
            // `end` is the run's last newline (or the data's end).
            done = done.max(end + 1);
        }
    }
    out
}

/// The run that the keyword line `data[ls..le]` (`t` without its trailing spaces, not empty)
/// starts or goes on, added to `out`: where it ends. `may_go_on_above`: the line starts with a
/// literal or an operator, as a later piece of a run does. `joins_inline`: the line holds literals
/// joined on it (`joins_on_its_line`).
fn run_at(
    data: &[u8],
    ls: usize,
    le: usize,
    t: &[u8],
    may_go_on_above: bool,
    joins_inline: bool,
    out: &mut Joined,
) -> Option<usize> {
    let last = *t.last()?;
    // Most keyword lines end a statement: a run goes on only where the next line starts with
    // a literal (after an operator, or adjacent) or an operator (after a literal). Looked at
    // first, so that a line is parsed only when it may be a run's.
    let next = next_line_start(data, le);
    let ends_with_operator = matches!(last, b'+' | b'.' | b'&');
    let goes_on = match next {
        Some(b) if ends_with_operator => is_quote(b) || b"rbuRBU".contains(&b),
        Some(b) => is_quote(b) || b"+.&".contains(&b),
        None => false,
    };
    let found = match last {
        b'\\' => shell_run(data, ls, out),
        _ if may_go_on_above && continues_above(t) && (goes_on || ends_above(data, ls)) => {
            // A piece inside a run (the keyword in a later piece: a Mailchimp key's `-us12`):
            // the run from its first line, and the name above that.
            let start = run_start(data, ls);
            match ls_above(data, start) {
                Some(above) if continues_above(&data[start..]) => {
                    named_run(data, above, out).or_else(|| literal_run(data, start, None, out))
                }
                _ => literal_run(data, start, None, out),
            }
        }
        b'(' | b'=' | b':' if next.is_some_and(is_quote) => named_run(data, ls, out),
        b'|' | b'>' | b'-' | b'0'..=b'9' => yaml_block_run(data, ls, out),
        b'+' => yaml_block_run(data, ls, out)
            .or_else(|| goes_on.then(|| literal_run(data, ls, None, out)).flatten()),
        b'.' | b'&' | b'"' | b'\'' | b'`' if goes_on => literal_run(data, ls, None, out),
        _ => None,
    };
    // No run over lines: literals joined on the line itself (`"ghp_" + "…" + "…"`).
    found.or_else(|| {
        joins_inline
            .then(|| inline_run(data, ls, le, t, out))
            .flatten()
    })
}

/// Whether `t` holds a literal's closing quote, a concatenation operator and another literal's
/// opening quote (`" + "`, `' . '`, `"&"`): the cheap test that lets a keyword line that neither
/// starts nor ends a run over lines be parsed for a run on itself.
/// Whether the keyword line `t` holds a literal, a concatenation operator and another literal
/// (`" + "`, `' . '`, `"&"`): the cheap test that lets a line that neither starts nor ends a run
/// over lines be parsed for a run on itself.
///
/// Found from the operators, which are rare (on twilio-, openai- and stripe-python, 7,186 `+` and
/// `&` against 1,061,323 quotes and 527,464 dots): from the quotes, it cost 2.4% of a scan. `.`
/// joins strings in PHP and Perl alone (a method call or a decimal point elsewhere), so it is
/// looked at only in a text that opens as theirs (`joins_with_dots`). Only a line that ends as a
/// statement or an argument does (a literal, `;`, `)`, `,`, a closing bracket) is asked: a
/// docstring's sentence or a block's header is none, and the rest would still cost 1% of a scan
/// (docs/engine.md, "Literals joined on one line").
fn joins_on_its_line(t: &[u8], dots: impl FnOnce() -> bool) -> bool {
    let Some(last) = t.last() else { return false };
    if !matches!(last, b'"' | b'\'' | b';' | b')' | b',' | b']' | b'}') {
        return false;
    }
    memchr::memchr2_iter(b'+', b'&', t).any(|i| between_literals(t, i))
        || adjacent_after_assign(t)
        || (memchr::memchr(b'.', t).is_some()
            && dots()
            && memchr::memchr_iter(b'.', t).any(|i| between_literals(t, i)))
}

/// Whether the operator at `t[i]` stands between a literal's closing quote and another's opening
/// quote (after spaces, and a Python prefix). Double and single quotes only: backticks on one line
/// are Markdown's and reStructuredText's inline code far more often than JS template literals
/// joined (`` `pip install x` + `make test` `` in a release plan, a docstring's `` `task` ``).
fn between_literals(t: &[u8], i: usize) -> bool {
    let plain_quote = |b: u8| b == b'"' || b == b'\'';
    let before = t[..i].iter().rposition(|b| !matches!(b, b' ' | b'\t'));
    before.is_some_and(|b| plain_quote(t[b]))
        && operator_at(t, i).is_some_and(|after| {
            let j = skip_spaces(t, after);
            let j = j + usize::from(t.get(j).is_some_and(|b| b"rbuRBU".contains(b)));
            t.get(j).is_some_and(|b| plain_quote(*b))
        })
}

/// Whether the line `t` assigns literals written side by side with nothing but spaces between them
/// and nothing after them but a `;` (`API_KEY = "…" "…"`): Python and C join adjacent literals,
/// and after an assignment's `=` they are one value, not a command's arguments (`echo "a" "b"`)
/// nor a list of words (`Environment="A=…" "B=…"`, whose `=` has no space before it).
fn adjacent_after_assign(t: &[u8]) -> bool {
    let Some(eq) = memchr::memchr(b'=', t) else {
        return false;
    };
    // A space before the `=`, as Python and C write an assignment: a shell's or a systemd unit's
    // `Environment="A=…" "B=…"` (no space) is a list of words, each its own value.
    if eq == 0 || !matches!(t[eq - 1], b' ' | b'\t') || t.get(eq + 1) == Some(&b'=') {
        return false;
    }
    let plain = |t: &[u8], i: usize| {
        let j = i + usize::from(t.get(i).is_some_and(|b| b"rbuRBU".contains(b)));
        t.get(j).is_some_and(|b| *b == b'"' || *b == b'\'')
    };
    let mut i = skip_spaces(t, eq + 1);
    let mut literals = 0;
    while plain(t, i) {
        let Some((_, after)) = literal_at(t, i) else {
            return false;
        };
        literals += 1;
        let next = skip_spaces(t, after);
        if next == after {
            i = after;
            break;
        }
        i = next;
    }
    let rest = &t[i.min(t.len())..];
    literals >= 2 && matches!(rest, [] | [b';'])
}

/// Whether `data` opens as a PHP or Perl file, where `.` joins strings.
fn joins_with_dots(data: &[u8]) -> bool {
    // Byte searches, not `memmem::find`, whose searcher costs more to build than this reads.
    let head = &data[..data.len().min(256)];
    let first_line = &head[..memchr::memchr(b'\n', head).unwrap_or(head.len())];
    memchr::memchr_iter(b'<', head).any(|i| head[i..].starts_with(b"<?php"))
        || (first_line.starts_with(b"#!") && first_line.windows(4).any(|w| w == b"perl"))
}

/// Literals on one line written as one value (`inline_run`): where the group starts in the line (its
/// first literal's prefix or quote), where it ends (after its last closing quote), and its pieces'
/// text in the data.
struct Group {
    from: usize,
    after: usize,
    pieces: Vec<Range<usize>>,
}

/// The literals joined by concatenation operators on the keyword line `data[ls..le]` (`t` without
/// its trailing spaces) alone, as one view line: `TOKEN = "ghp_" + "…" + "…"`, PHP's `'…' . '…'`,
/// VB's `&`, Lua's `..` (asked only of a line `joins_on_its_line`). Each group of two literals or
/// more with an operator in every gap is written as one literal, and each literal after the first
/// group is a piece as it stands; what precedes the first group is the name, as on a run's first
/// line. A line may hold several groups: a Twilio client given its account SID and its token each
/// split in two (`new Client("AC…" . "…", "…" . "…")`), where one group alone would leave the other
/// half of the pair in pieces. A group that an operator follows (`"sk-" + "…" + name`) is no value
/// the program holds, and adjacent literals on one line are a call's arguments as often as one
/// string (`echo "a" "b"` in a shell): neither is joined, unless they are all an assignment's value
/// (`API_KEY = "…" "…"`, `adjacent_after_assign`).
fn inline_run(data: &[u8], ls: usize, le: usize, t: &[u8], out: &mut Joined) -> Option<usize> {
    let mut groups: Vec<Group> = Vec::new();
    // Python's and C's literals side by side after an assignment are one value too.
    let adjacent = adjacent_after_assign(t);
    let mut i = 0;
    while let Some(q) = memchr::memchr3(b'"', b'\'', b'`', &t[i..]).map(|k| i + k) {
        let start = if q > 0 && b"rbuRBU".contains(&t[q - 1]) {
            q - 1
        } else {
            q
        };
        let Some((text, mut after)) = literal_at(t, start) else {
            i = q + 1;
            continue;
        };
        let mut pieces = Vec::new();
        let mut push = |text: Range<usize>| {
            if !text.is_empty() {
                pieces.push(ls + text.start..ls + text.end);
            }
        };
        push(text);
        while let Some(next) = operator_at(t, after)
            .and_then(|op| literal_at(t, skip_spaces(t, op)))
            .or_else(|| {
                let j = skip_spaces(t, after);
                (adjacent && j > after).then(|| literal_at(t, j)).flatten()
            })
        {
            push(next.0);
            after = next.1;
        }
        // A literal alone after a group is a piece too: the token written whole after its SID's
        // halves, which the pair rule reads across both.
        let joined = pieces.len() >= 2 || (pieces.len() == 1 && !groups.is_empty());
        if joined && operator_at(t, after).is_none() {
            groups.push(Group {
                from: start,
                after,
                pieces,
            });
        }
        // Past this group whole, so that a quote inside it starts nothing.
        i = after;
    }
    if groups.is_empty() {
        return None;
    }
    out.push_groups(t, &groups, data);
    Some(le)
}

/// The first byte after the spaces of the line after the newline at `le`, if any.
fn next_line_start(data: &[u8], le: usize) -> Option<u8> {
    let rest = data.get(le + 1..)?;
    rest.get(skip_spaces(rest, 0))
        .copied()
        .filter(|b| !b"\r\n".contains(b))
}

/// Whether the line above the one at `ls` ends as a run's line does (an operator or a literal).
fn ends_above(data: &[u8], ls: usize) -> bool {
    ls_above(data, ls).is_some_and(|above| {
        matches!(
            trim_end(&data[above..ls - 1]).last(),
            Some(b'+' | b'.' | b'&' | b'"' | b'\'' | b'`')
        )
    })
}

/// Whether a line (from its start) goes on a run above it: it starts with a literal, or with an
/// operator and a literal (`+ "…"`).
fn continues_above(line: &[u8]) -> bool {
    let s = skip_spaces(line, 0);
    match line.get(s) {
        Some(b) if is_quote(*b) => true,
        Some(_) => operator_at(line, s).is_some_and(|after| {
            line.get(skip_spaces(line, after))
                .is_some_and(|b| is_quote(*b))
        }),
        None => false,
    }
}

/// Where the line above the one at `ls` starts, if there is one.
fn ls_above(data: &[u8], ls: usize) -> Option<usize> {
    (ls > 0).then(|| line_around(data, ls - 1).0)
}

/// The first line of the run that the line at `ls` goes on: up over the lines that end with an
/// operator or a literal, to the first that does not itself go on one above.
fn run_start(data: &[u8], ls: usize) -> usize {
    let mut start = ls;
    for _ in 0..MAX_RUN {
        let Some(above) = ls_above(data, start) else {
            break;
        };
        let t = trim_end(&data[above..start - 1]);
        if !matches!(t.last(), Some(b'+' | b'.' | b'&' | b'"' | b'\'' | b'`')) || t.len() > MAX_LINE
        {
            break;
        }
        start = above;
        if !continues_above(t) {
            break;
        }
    }
    start
}

/// A YAML block scalar under a key on the line at `ls` (`token: >-` over its indented lines), as
/// one line `token: value`: a folded scalar's lines joined with a space, as YAML folds them; a
/// literal one only if it is one line (a literal block of several lines keeps its line breaks: a
/// PEM block, which its rules read as it stands).
fn yaml_block_run(data: &[u8], ls: usize, out: &mut Joined) -> Option<usize> {
    let le = line_around(data, ls).1;
    let line = trim_end(&data[ls..le]);
    let indent = skip_spaces(line, 0);
    let colon = memchr::memrchr(b':', line)?;
    let indicator = trim(&line[colon + 1..]);
    let style = *indicator.first()?;
    let header_ok = matches!(style, b'|' | b'>')
        && indicator.len() <= 3
        && indicator[1..]
            .iter()
            .all(|b| matches!(b, b'-' | b'+' | b'0'..=b'9'))
        && colon + 1 < line.len()
        && matches!(line[colon + 1], b' ' | b'\t');
    let key = trim(&line[indent..colon]);
    if !header_ok || key.is_empty() || key.starts_with(b"- ") && key.len() == 2 {
        return None;
    }
    let mut pieces: Vec<(Range<usize>, bool)> = Vec::new();
    let mut at = le;
    while at < data.len() && pieces.len() < MAX_RUN {
        let next = at + 1;
        let ne = line_around(data, next).1;
        let l = trim_end(&data[next..ne]);
        let s = skip_spaces(l, 0);
        if s <= indent || s == l.len() || ne - next > MAX_LINE {
            break;
        }
        pieces.push((next + s..next + l.len(), true));
        at = ne;
    }
    if pieces.is_empty() || (style == b'|' && pieces.len() > 1) {
        return None;
    }
    let mut prefix = line[indent..=colon].to_vec();
    prefix.push(b' ');
    out.push_run(&prefix, true, None, &pieces, data);
    Some(at)
}

/// The run below the line at `ls`, which ends in `(`, `=` or `:` and so names it (`API_KEY = (`
/// over `"…"` lines).
fn named_run(data: &[u8], ls: usize, out: &mut Joined) -> Option<usize> {
    let le = line_around(data, ls).1;
    let t = trim_end(&data[ls..le]);
    let last = *t.last()?;
    let kept = if last == b'(' { t.len() - 1 } else { t.len() };
    let prefix = trim_start(&t[..kept]);
    let next = le + 1;
    if next >= data.len() || trim(prefix).is_empty() || !matches!(last, b'(' | b'=' | b':') {
        return None;
    }
    // The line below starts with a literal and goes on (a literal or an operator at its end): a
    // call's first argument (`f(` over `"…",`) is no run. Under an assignment (`=`, `:=`) the
    // literal may also end the statement (`;`): a constant whose value is on its own line.
    let n = trim(&data[next..line_around(data, next).1]);
    if !n.first().is_some_and(|b| is_quote(*b))
        || !n
            .last()
            .is_some_and(|b| is_quote(*b) || b"+.&".contains(b) || (last == b'=' && *b == b';'))
    {
        return None;
    }
    let mut name = prefix.to_vec();
    if !name.ends_with(b" ") {
        name.push(b' ');
    }
    literal_run_as(data, next, Some(&name), last == b'=', out)
}

fn is_quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`')
}

/// The line holding `at`: its start and its end (the newline's position, or the data's end).
fn line_around(data: &[u8], at: usize) -> (usize, usize) {
    let s = memchr::memrchr(b'\n', &data[..at]).map_or(0, |i| i + 1);
    let e = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i);
    (s, e)
}

fn trim_end(t: &[u8]) -> &[u8] {
    let e = t
        .iter()
        .rposition(|b| !b" \t\r".contains(b))
        .map_or(0, |i| i + 1);
    &t[..e]
}

fn trim_start(t: &[u8]) -> &[u8] {
    &t[skip_spaces(t, 0)..]
}

fn trim(t: &[u8]) -> &[u8] {
    trim_start(trim_end(t))
}

/// A string literal starting at `t[i]`: the range of its text and the index after its closing
/// quote. Double and single quotes with backslash escapes; a backtick one without `${`; a Python
/// `r`/`b`/`u` prefix. Not an f-string (its braces are code), not a triple quote (a docstring).
fn literal_at(t: &[u8], mut i: usize) -> Option<(Range<usize>, usize)> {
    if matches!(t.get(i), Some(b'r' | b'b' | b'u' | b'R' | b'B' | b'U'))
        && t.get(i + 1).is_some_and(|b| *b == b'"' || *b == b'\'')
        && (i == 0 || !(t[i - 1].is_ascii_alphanumeric() || t[i - 1] == b'_'))
    {
        i += 1;
    }
    let q = *t.get(i)?;
    if !is_quote(q) {
        return None;
    }
    // To the closing quote, over escapes (a backtick literal has none, but `${`).
    let stop = if q == b'`' { b'$' } else { b'\\' };
    let mut j = i + 1;
    let close = loop {
        let k = j + memchr::memchr2(q, stop, t.get(j..)?)?;
        match t[k] {
            b if b == q => break k,
            b'$' if t.get(k + 1) == Some(&b'{') => return None,
            b'$' => j = k + 1,
            _ => j = k + 2,
        }
    };
    let j = close;
    // `""` then a quote: a triple-quoted string, whose pieces are no concatenation.
    if t.get(j + 1) == Some(&q) || (j == i + 1 && t.get(j + 1) == Some(&q)) {
        return None;
    }
    Some((i + 1..j, j + 1))
}

/// After `t[i..]`'s spaces: a concatenation operator (`+`, PHP's `.`, VB's `&`, Lua's `..`) and
/// the index after it.
fn operator_at(t: &[u8], i: usize) -> Option<usize> {
    let i = skip_spaces(t, i);
    match t.get(i)? {
        b'+' if t.get(i + 1) != Some(&b'+') && t.get(i + 1) != Some(&b'=') => Some(i + 1),
        b'.' if t.get(i + 1) == Some(&b'.') => Some(i + 2),
        b'.' if t.get(i + 1) != Some(&b'=') => Some(i + 1),
        b'&' if t.get(i + 1) != Some(&b'&') => Some(i + 1),
        _ => None,
    }
}

fn skip_spaces(t: &[u8], mut i: usize) -> usize {
    // Indentation is mostly spaces by fours: eight at a compare.
    while t.get(i..i + 8) == Some(b"        ") {
        i += 8;
    }
    while t.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    i
}

/// How a line of a run ends.
#[derive(PartialEq, Eq, Clone, Copy)]
enum End {
    /// With an operator: the next line goes on.
    Operator,
    /// With a literal: the next line goes on if it starts with a literal or an operator.
    Literal,
    /// With what closes the expression (`)`, `;`, `,`): the run ends here.
    Closed,
}

/// From `t[i]` (a literal): literals separated by operators or spaces, to the end of the line or to
/// closing brackets and separators only. The literals' text ranges (offset by `base`) and how the
/// line ends; `None` where anything else stands (a name, a call, a format argument).
fn literals_to_end(
    t: &[u8],
    mut i: usize,
    base: usize,
    pieces: &mut Vec<(Range<usize>, bool)>,
) -> Option<End> {
    loop {
        let (text, after) = literal_at(t, i)?;
        if !text.is_empty() {
            pieces.push((base + text.start..base + text.end, false));
        }
        i = skip_spaces(t, after);
        if i == t.len() {
            return Some(End::Literal);
        }
        if let Some(after_op) = operator_at(t, i) {
            let j = skip_spaces(t, after_op);
            if j == t.len() {
                return Some(End::Operator);
            }
            i = j;
            continue;
        }
        if is_quote(t[i]) || matches!(t[i], b'r' | b'b' | b'u' | b'R' | b'B' | b'U') {
            // Adjacent literals (Python, C).
            continue;
        }
        return t[i..]
            .iter()
            .all(|b| b")];,} \t".contains(b))
            .then_some(End::Closed);
    }
}

/// The literal run starting on the line at `ls`: with `name`, the line starts with its first
/// literal and `name` (the line above) is what precedes it; without, the line's literals are its
/// tail and what stands before them is the name. Where the run ends in the data, if there is one.
fn literal_run(data: &[u8], ls: usize, name: Option<&[u8]>, out: &mut Joined) -> Option<usize> {
    literal_run_as(data, ls, name, false, out)
}

/// `literal_run`; `assigned`: `name` is a line that ends in `=` (`const apiKey =`, `key :=`), under
/// which one literal is a run: the value of a Go, Java, Kotlin, C# or JS constant written on the
/// line below its name, which no line holds with its name.
fn literal_run_as(
    data: &[u8],
    ls: usize,
    name: Option<&[u8]>,
    assigned: bool,
    out: &mut Joined,
) -> Option<usize> {
    let le = line_around(data, ls).1;
    let line = trim_end(&data[ls..le]);
    let mut pieces: Vec<(Range<usize>, bool)> = Vec::new();
    // The first line: its tail of literals, from the first quote from which one parses.
    let (prefix, mut end) = {
        let mut i = 0;
        loop {
            // The next quote (`is_quote`), found a vector at a time: the lines tried here are
            // keyword lines, often long, and mostly without a literal that opens a run.
            let q = i + memchr::memchr3(b'"', b'\'', b'`', &line[i..])?;
            let start = if q > 0 && matches!(line[q - 1], b'r' | b'b' | b'u' | b'R' | b'B' | b'U') {
                q - 1
            } else {
                q
            };
            pieces.clear();
            match literals_to_end(line, start, ls, &mut pieces) {
                Some(e)
                    if (e != End::Closed || assigned)
                        && (name.is_none() || trim(&line[..start]).is_empty()) =>
                {
                    break (&line[..start], e);
                }
                _ => {
                    if name.is_some() {
                        return None;
                    }
                    // Past this literal whole, so that a quote inside it starts nothing.
                    i = literal_at(line, start).map_or(q + 1, |(_, after)| after);
                }
            }
        }
    };
    let quote = data[pieces.first()?.0.start - 1];
    let mut at = le;
    let mut lines = 1;
    while end != End::Closed && at < data.len() && lines < MAX_RUN {
        let next = at + 1;
        let ne = line_around(data, next).1;
        let raw = trim_end(&data[next..ne]);
        let s = skip_spaces(raw, 0);
        let mut i = s;
        let mut linked = end == End::Operator;
        if !linked {
            match operator_at(raw, s) {
                Some(after) => {
                    i = skip_spaces(raw, after);
                    linked = true;
                }
                // Adjacent literals on consecutive lines (Python in parentheses, C).
                None => linked = raw.get(s).is_some_and(|b| is_quote(*b)),
            }
        }
        if !linked || ne - next > MAX_LINE {
            break;
        }
        let before = pieces.len();
        match literals_to_end(raw, i, next, &mut pieces) {
            Some(e) => end = e,
            None => {
                // Not a line of literals: the run ends above it (and an operator at the end of
                // the last line joined something that is not a literal: no join at all).
                pieces.truncate(before);
                if end == End::Operator {
                    return None;
                }
                break;
            }
        }
        at = ne;
        lines += 1;
    }
    let one_assigned = assigned && !pieces.is_empty();
    if !one_assigned && (lines < 2 || pieces.len() < 2) {
        return None;
    }
    let prefix = match name {
        Some(n) => n.to_vec(),
        None => trim_start(prefix).to_vec(),
    };
    out.push_run(&prefix, name.is_some(), Some(quote), &pieces, data);
    Some(at)
}

/// The shell run starting on the line at `ls` (which ends with `\`): each line's text up to its
/// trailing backslash, joined with a space, or with nothing where the break is inside a double
/// quote (`TOKEN="abc\` over `def"`). A break inside single quotes keeps its backslash: no join.
fn shell_run(data: &[u8], ls: usize, out: &mut Joined) -> Option<usize> {
    let mut pieces: Vec<(Range<usize>, bool)> = Vec::new();
    let (mut single, mut double) = (false, false);
    let mut at = ls;
    let mut spaced = false;
    // A `name=value\` line whose value is one unquoted word is a properties file's value wrapped
    // over lines (`api.key=abc\` then `    def`): Java's reader drops the break and the next
    // line's indentation, so the pieces join with nothing between them. A shell would run the
    // indented rest as a command, which no script means by a variable's value.
    let wrapped_value = {
        let first = trim_end(&data[ls..line_around(data, ls).1]);
        is_wrapped_property(first)
    };
    loop {
        let le = line_around(data, at).1;
        if le - at > MAX_LINE {
            return None;
        }
        let line = trim_end(&data[at..le]);
        let s = if pieces.is_empty() {
            0
        } else {
            skip_spaces(line, 0)
        };
        // The line's quoting, to know where its end stands.
        let mut j = s;
        while j < line.len() {
            match line[j] {
                b'\\' if !single => j += 1,
                b'\'' if !double => single = !single,
                b'"' if !single => double = !double,
                _ => {}
            }
            j += 1;
        }
        let continued = line.ends_with(b"\\") && !line.ends_with(b"\\\\") && !single;
        let e = if continued {
            line.len() - 1
        } else {
            line.len()
        };
        let text = if continued {
            trim_end(&line[s..e])
        } else {
            &line[s..e]
        };
        if !text.is_empty() {
            pieces.push((at + s..at + s + text.len(), spaced));
        }
        if !continued || le >= data.len() || pieces.len() >= MAX_RUN {
            if pieces.len() < 2 {
                return None;
            }
            // `export X=\` over its value: the first piece is the value's name, which no line
            // holds with it (its keyword may be all a rule needs, as under a name above).
            let named = data[..pieces[0].0.end].ends_with(b"=");
            out.push_run(b"", named, None, &pieces, data);
            return Some(le);
        }
        // A break inside double quotes joins the halves of a word; outside, it is a space (the
        // shell's word break), but in a wrapped property's value, where it is nothing. The shell
        // drops `\` and the line break and nothing else: with no space before the `\` and none
        // at the next line's start, the halves are one word (`export X=abc\` then `def` is
        // `X=abcdef`); a space on either side is the word break, and a command's arguments keep it.
        let glued = e > 0
            && !line[e - 1].is_ascii_whitespace()
            && data.get(le + 1).is_some_and(|b| !b.is_ascii_whitespace());
        spaced = !double && !wrapped_value && !glued;
        at = le + 1;
    }
}

/// Whether the line `t` (without trailing spaces) is `name=value\` or `name: value\` (a
/// properties file's key, dotted or not, then one unquoted word and the continuation): nothing
/// before the name (no `export`, no command), no space or quote in the value.
fn is_wrapped_property(t: &[u8]) -> bool {
    let Some(body) = t.strip_suffix(b"\\") else {
        return false;
    };
    let t = trim_start(body);
    let name = t
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    if name == 0 || !t[0].is_ascii_alphabetic() {
        return false;
    }
    let rest = skip_spaces(t, name);
    if !matches!(t.get(rest), Some(b'=' | b':')) {
        return false;
    }
    let value = &t[skip_spaces(t, rest + 1)..];
    !value.is_empty()
        && value
            .iter()
            .all(|b| !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b'`' | b'\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `join` as it was before keyword lines were passed on their two ends: each line looked at
    /// whole, the line below it too.
    fn old_join(data: &[u8], keywords: &[usize]) -> Joined {
        let mut out = Joined::default();
        // Asked of the text once a line needs it: join runs on every text with keywords, views too.
        let dots = std::cell::OnceCell::new();
        // Where the next line worth looking at starts: a keyword inside a line or a run already
        // looked at adds nothing.
        let mut done = 0;
        for &k in keywords {
            if k < done || k >= data.len() {
                continue;
            }
            // `done` is a line's start: the look back for this one's stops there.
            let ls = done + memchr::memrchr(b'\n', &data[done..k]).map_or(0, |i| i + 1);
            let le = memchr::memchr(b'\n', &data[k..]).map_or(data.len(), |i| k + i);
            done = le + 1;
            if le - ls > MAX_LINE {
                continue;
            }
            let t = trim_end(&data[ls..le]);
            let Some(&last) = t.last() else { continue };
            // Most keyword lines end a statement: a run goes on only where the next line starts with
            // a literal (after an operator, or adjacent) or an operator (after a literal). Looked at
            // first, so that a line is parsed only when it may be a run's.
            let next = next_line_start(data, le);
            let ends_with_operator = matches!(last, b'+' | b'.' | b'&');
            let goes_on = match next {
                Some(b) if ends_with_operator => is_quote(b) || b"rbuRBU".contains(&b),
                Some(b) => is_quote(b) || b"+.&".contains(&b),
                None => false,
            };
            let end = match last {
                b'\\' => shell_run(data, ls, &mut out),
                _ if continues_above(t) && (goes_on || ends_above(data, ls)) => {
                    // A piece inside a run (the keyword in a later piece: a Mailchimp key's `-us12`):
                    // the run from its first line, and the name above that.
                    let start = run_start(data, ls);
                    match ls_above(data, start) {
                        Some(above) if continues_above(&data[start..]) => {
                            named_run(data, above, &mut out)
                                .or_else(|| literal_run(data, start, None, &mut out))
                        }
                        _ => literal_run(data, start, None, &mut out),
                    }
                }
                b'(' | b'=' | b':' if next.is_some_and(is_quote) => named_run(data, ls, &mut out),
                b'|' | b'>' | b'-' | b'0'..=b'9' => yaml_block_run(data, ls, &mut out),
                b'+' => yaml_block_run(data, ls, &mut out).or_else(|| {
                    goes_on
                        .then(|| literal_run(data, ls, None, &mut out))
                        .flatten()
                }),
                b'.' | b'&' | b'"' | b'\'' | b'`' if goes_on => {
                    literal_run(data, ls, None, &mut out)
                }
                _ => None,
            };
            let end = end.or_else(|| {
                joins_on_its_line(t, || *dots.get_or_init(|| joins_with_dots(data)))
                    .then(|| inline_run(data, ls, le, t, &mut out))
                    .flatten()
            });
            if let Some(end) = end {
                // `end` is the run's last newline (or the data's end).
                done = done.max(end + 1);
            }
        }
        out
    }

    fn runs(text: &str) -> Vec<String> {
        // Every line start as a keyword: what the engine would pass where keywords stand.
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        join(text.as_bytes(), starts)
            .runs()
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    #[test]
    fn keyword_lines_passed_on_their_ends_join_as_lines_looked_at_whole() {
        // Random code of the shapes runs are made of and the lines around them (operators and
        // literals at either end, names over `(`/`=`/`:`, YAML headers, shell continuations,
        // indentation by spaces and tabs, blank lines), keywords at random places: the same runs,
        // pieces and places as `old_join`.
        const LINES: &[&str] = &[
            "String key = \"abc\" +",
            "    \"def\" +",
            "    \"ghi\";",
            "  + 'xyz'",
            "\t. 'php'",
            "API_KEY = (",
            "        \"part\"",
            "        r\"raw\" b'x'",
            ")",
            "token: >-",
            "  folded value",
            "secret: |",
            "  kept",
            "key: \"a\\",
            "  b\"",
            "cmd --token abc \\",
            "  --next 'q' \\",
            "x = call(y),",
            "\"k\": \"v\",",
            "def f(a, b):",
            "    return a + b",
            "if x == 1:",
            "let s = `tpl` &",
            "  `more`",
            "value = 12",
            "list = [",
            "",
            "   ",
            "        ",
            "\t\t\"tab\" +",
            "a = \"\"\"doc\"\"\"",
            "x = 'a' .. 'b'",
            "y = 'a' 'b' \\",
            "t = \"ab\" + \"cd\" + \"ef\";",
            "$x = 'a' . 'b';",
            "<?php",
            "f(\"a\", \"b\")",
            "echo \"a\" \"b\"",
            "k = \"a\" + name + \"b\"",
        ];
        let mut rng = crate::testrng::Rng(0x101a_5eed_u64);
        let mut found = 0;
        for round in 0..3_000 {
            let mut text = String::new();
            for _ in 0..1 + rng.below(30) {
                text.push_str(LINES[rng.below(LINES.len() as u64) as usize]);
                if rng.below(7) == 0 {
                    text.push_str("  ");
                }
                text.push('\n');
            }
            if rng.below(4) == 0 {
                text.pop();
            }
            let data = text.as_bytes();
            let mut keywords: Vec<usize> = (0..rng.below(12))
                .map(|_| rng.below(data.len() as u64 + 2) as usize)
                .collect();
            keywords.sort_unstable();
            let (new, old) = (
                join(data, keywords.iter().copied()),
                old_join(data, &keywords),
            );
            assert_eq!(
                format!("{new:?}"),
                format!("{old:?}"),
                "round {round}: {text:?} at {keywords:?}"
            );
            found += new.lines.len();
        }
        assert!(found > 1_000, "{found}");
    }

    #[test]
    fn literals_joined_by_operators_are_one_value_with_their_name() {
        assert_eq!(
            runs("String key = \"abc\" +\n    \"def\" +\n    \"ghi\";\n"),
            ["String key = \"abcdefghi\""]
        );
        assert_eq!(runs("$k = 'abc' .\n  'def';\n"), ["$k = 'abcdef'"]);
        assert_eq!(
            runs("const k = 'abc'\n  + 'def'\n  + 'ghi';\n"),
            ["const k = 'abcdefghi'"]
        );
    }

    #[test]
    fn literals_joined_on_one_line_are_one_value_with_their_name() {
        // A value split on its own line to pass a scanner by (`"ghp_" + "…"`): the program's one
        // string, whatever the line ends with.
        assert_eq!(
            runs("TOKEN = \"ghp_\" + \"abc\" + \"def\"\n"),
            ["TOKEN = \"ghp_abcdef\""]
        );
        assert_eq!(
            runs("const slack = 'xoxb-1' + 'abc';\n"),
            ["const slack = 'xoxb-1abc'"]
        );
        assert_eq!(
            runs("<?php\n$k = 'abc' . 'def';\n"),
            ["$k = 'abcdef'"],
            "PHP's `.`"
        );
        assert_eq!(runs("$k = 'abc'.'def';\n"), Vec::<String>::new(), "not PHP");
        assert_eq!(runs("k = \"abc\" & \"def\"\n"), ["k = \"abcdef\""]);
        // A call's last argument, with what stands before it as its name.
        assert_eq!(
            runs("set(\"key\", \"abc\" + \"def\");\n"),
            ["set(\"key\", \"abcdef\""]
        );
        assert_eq!(
            runs("token = (\"abc\" + \"def\")\n"),
            ["token = (\"abcdef\""]
        );
        // Two groups on one line (a client's account SID and token, each split), and a group
        // before a whole literal: each group one literal, a literal after a group a piece.
        assert_eq!(
            runs("<?php\n$c = new Client(\"AC12\".\"34\", \"ab\" . \"cd\");\n"),
            ["$c = new Client(\"AC1234\", \"abcd\""]
        );
        assert_eq!(
            runs("c = twilio(\"AC12\" + \"34\", \"abcd\");\n"),
            ["c = twilio(\"AC1234\", \"abcd\""]
        );
        assert_eq!(
            runs("c = twilio(\"AC1234\", 'ab' + 'cd', \"x\" + \"y\");\n"),
            ["c = twilio(\"AC1234\", 'abcd', \"xy\""]
        );
        // A group an operator follows is no value (the program adds a name to it).
        assert!(runs("k = \"abc\" + \"def\" + name;\n").is_empty());
        assert_eq!(
            runs("f(\"abc\" + \"def\" + name, \"gh\" + \"ij\");\n"),
            ["f(\"abc\" + \"def\" + name, \"ghij\""]
        );
        // Not one string: arguments side by side, a name between literals, a method on a literal,
        // a comparison.
        assert!(runs("echo \"abc\" \"def\"\n").is_empty());
        // Side by side after an assignment: Python's and C's one string.
        assert_eq!(
            runs("API_KEY = \"abc\" \"def\"\n"),
            ["API_KEY = \"abcdef\""]
        );
        assert_eq!(runs("key = 'abc' r'def';\n"), ["key = 'abcdef'"]);
        assert!(runs("k = \"abc\" \"def\" x\n").is_empty());
        assert!(runs("if k == \"abc\" \"def\"\n").is_empty());
        assert!(runs("Environment=\"A=abc\" \"B=def\"\n").is_empty());
        assert!(runs("f(\"abc\", \"def\")\n").is_empty());
        assert!(runs("k = \"abc\" + name + \"def\"\n").is_empty());
        assert!(runs("k = \"abc\".format(x) + \"def\"\n").is_empty());
        assert!(runs("if a == \"abc\" && b == \"def\"\n").is_empty());
        // Backticks on one line are Markdown's inline code, not template literals joined.
        assert!(runs("- `pip install abc` + `make def`\n").is_empty());
    }

    #[test]
    fn adjacent_literals_in_parentheses_take_the_name_above() {
        assert_eq!(
            runs("API_KEY = (\n    \"abc\"\n    \"def\"\n)\n"),
            ["API_KEY = \"abcdef\""]
        );
        assert_eq!(
            runs("static const char *key =\n  \"abc\"\n  \"def\";\n"),
            ["static const char *key = \"abcdef\""]
        );
    }

    #[test]
    fn a_shell_value_under_its_continued_name_maps_back() {
        let text = "export FW_KEY=\\\n  \"fw_abc\"\n";
        let j = join(text.as_bytes(), [0]);
        assert_eq!(j.runs()[0].0, "export FW_KEY= \"fw_abc\"");
        // A match inside the value alone (a rule whose keyword is in the name) counts.
        let at = j.text.windows(3).position(|w| w == b"fw_").unwrap();
        let span = j
            .to_data(at..at + 6, at..at + 6)
            .expect("placed on the value");
        assert_eq!(&text[span], "fw_abc");
        // Continued arguments are no name: a match inside one piece is the plain scan's.
        let text = "curl -H x \\\n  -d fw_abc\n";
        let j = join(text.as_bytes(), [0]);
        let at = j.text.windows(3).position(|w| w == b"fw_").unwrap();
        assert!(j.to_data(at..at + 6, at..at + 6).is_none());
    }

    #[test]
    fn one_literal_under_an_assignment_is_a_run() {
        assert_eq!(
            runs("const apiKey =\n\t\"abc\"\n"),
            ["const apiKey = \"abc\""]
        );
        assert_eq!(
            runs("private static final String API_KEY =\n    \"abc\";\n"),
            ["private static final String API_KEY = \"abc\""]
        );
        assert_eq!(runs("key :=\n  `abc`\n"), ["key := `abc`"]);
        // Not a value of the name: a call's argument, a literal with code after it, one under `:`
        // or `(` alone (YAML and parenthesised values are the key paths').
        assert!(runs("client = make(\n  \"abc\",\n  x)\n").is_empty());
        assert!(runs("key =\n  \"abc\" + name;\n").is_empty());
        assert!(runs("key:\n  \"abc\"\n").is_empty());
        assert!(runs("key = (\n  \"abc\"\n)\n").is_empty());
        assert!(runs("key =\n  \"abc\",\n").is_empty());
    }

    #[test]
    fn anything_but_literals_in_the_run_joins_nothing() {
        assert!(runs("k = \"sk-\" +\n  name;\n").is_empty());
        assert!(runs("k = \"sk-\" +\n  name + \"abc\";\n").is_empty());
        assert!(runs("log(\"%s\" %\n  x)\n").is_empty());
        assert!(runs("x = \"a\"\ny = \"b\"\n").is_empty());
        assert!(runs("doc = \"\"\"\nabc\n\"\"\"\n").is_empty());
        assert!(runs("items = [\n  \"abc\",\n  \"def\",\n]\n").is_empty());
    }

    #[test]
    fn yaml_block_scalars_are_one_line_under_their_key() {
        assert_eq!(
            runs("app:\n  token: >-\n    abcdef\n    ghijkl\nnext: 1\n"),
            ["token: abcdef ghijkl"]
        );
        assert_eq!(runs("token: |\n  abcdef\n"), ["token: abcdef"]);
        assert!(runs("cert: |\n  line one\n  line two\n").is_empty());
        assert!(runs("script: |\n\nrun: x\n").is_empty());
    }

    #[test]
    fn shell_continuations_join_with_a_space_or_inside_quotes_with_nothing() {
        assert_eq!(
            runs("tool deploy --token \\\n  abcdef\n"),
            ["tool deploy --token abcdef"]
        );
        assert_eq!(runs("TOKEN=\"abc\\\ndef\"\n"), ["TOKEN=\"abcdef\""]);
        // A properties file's value wrapped over indented lines: joined with nothing between.
        assert_eq!(
            runs("stripe.api.key=sk_live_abc\\\n    def\\\n    ghi\nnext=1\n"),
            ["stripe.api.key=sk_live_abcdefghi"]
        );
        assert_eq!(runs("api_key: abc\\\n  def\n"), ["api_key: abcdef"]);
        // A command's arguments and a quoted value stay the shell's.
        assert_eq!(
            runs("export TOKEN=abc\\\n  def\n"),
            ["export TOKEN=abc def"]
        );
        // No space on either side of the break: the shell's one word.
        assert_eq!(
            runs("export TOKEN=abc\\\ndef\\\nghi\n"),
            ["export TOKEN=abcdefghi"]
        );
        assert_eq!(runs("tool --token=abc \\\ndef\n"), ["tool --token=abc def"]);
        assert!(runs("echo 'a\\\nb'\n").is_empty());
    }

    #[test]
    fn a_hit_maps_back_only_when_its_match_spans_pieces() {
        let text = "k = \"abc\" +\n  \"def\";\n";
        let j = join(text.as_bytes(), [0]);
        let view = String::from_utf8(j.text.clone()).unwrap();
        let at = view.find("abcdef").unwrap();
        let span = j.to_data(0..at + 7, at..at + 6).expect("spans two pieces");
        assert_eq!(&text[span.start..span.start + 3], "abc");
        assert_eq!(&text[span.end - 3..span.end], "def");
        let one_piece = j.to_data(at..at + 3, at..at + 3);
        assert_eq!(one_piece, None, "one piece: the plain scan's");
        let over_break = j.to_data(0..at + 4, at..at + 2).map(|r| r.len());
        assert_eq!(over_break, Some(2), "a match over the break: the join's");
        let quote = j.to_data(0..at + 7, at - 1..at + 6);
        assert_eq!(quote, None, "the quote is no piece");
        let text = "API_KEY = (\n  \"abc\"\n  \"def\"\n)\n";
        let j = join(text.as_bytes(), [0]);
        let at = String::from_utf8(j.text.clone())
            .unwrap()
            .find("abc")
            .unwrap();
        let named = j.to_data(0..at + 3, at..at + 3);
        assert!(named.is_some(), "the name above makes it the join's");
    }
}
