//! Key paths of structured text: for YAML (with Kubernetes `name:`/`value:` entries), JSON,
//! TOML/INI sections, Terraform/HCL blocks and parenthesised continuations, each scalar value whose
//! name is not all on its own line, with the path of keys it sits under (`production.twilio.
//! auth_token`, a Kubernetes env entry's `name`).
//!
//! A named rule (`twilio` … `auth_token` … 32 hex) sees one line at a time, so a credential whose
//! vendor is a parent key (`twilio:\n  auth_token: V`) is invisible to it. This module writes each
//! such value as one line, `path = "value"`, into a view: a small text the engine scans like a
//! decoded span (engine `add_keypaths`) and whose hits it places back on the value in the blob.
//!
//! Line-based, no parser: an indentation stack (YAML, pretty-printed JSON and HCL all indent their
//! nesting), section headers (TOML/INI), a `name:` frame for list entries, and a bracket stack for
//! what a line holds inline (`{"twilio": {"authToken": "V"}}`). It runs only on text whose first
//! lines look structured, and allocates nothing but the view.

use std::ops::Range;

/// Shortest value worth a view: shorter values are ports, flags and names, never a credential the
/// named rules accept.
const MIN_VALUE: usize = 8;
/// Longest value worth a view (a JWT-shaped token runs to a thousand characters; a certificate or
/// a blob is a format rule's, if anyone's).
const MAX_VALUE: usize = 2048;
/// Keys kept of a path, innermost last: the rules allow a few words between a vendor and a kind.
const MAX_KEYS: usize = 4;
/// How far above a keyword the walk resumes after skipping text without keywords: enough for the
/// few keys above a value that a path keeps.
const LOOKBACK: usize = 512;
/// Lines of the start of a text judged to tell whether it is structured.
const SNIFF_LINES: usize = 16;
/// A line longer than this is judged only by its start (minified JSON).
const SNIFF_BYTES: usize = 4 * 1024;
/// A name longer than this is not judged by `may_stand_in_key` (it may be a key).
const LONG_NAME: usize = 256;

/// The values of a text written as `path = value` lines, and where each value stands in the text.
#[derive(Debug, Default)]
pub struct Views {
    /// One line per value: `a.b.c = "value"\n`, the value quoted as it was (the rules trust a
    /// quoted value more than a bare one, so the view must not quote what the file did not).
    pub text: Vec<u8>,
    /// Per line of `text`: where the line starts in `text`, where its value starts and ends in
    /// `text`, and where the value starts in the scanned data (its length is the same in both).
    lines: Vec<(usize, usize, usize, usize)>,
}

impl Views {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// The span of the data that `secret` (a range of `text`) stands for, when the secret lies in
    /// one line's value and the rule's match started on that line (a rule that spans lines must not
    /// join one value's name to another's value).
    pub fn to_data(&self, match_start: usize, secret: Range<usize>) -> Option<Range<usize>> {
        // By where values start: a line of `ansi` views has a value per run between its codes.
        let i = self
            .lines
            .partition_point(|l| l.1 <= secret.start)
            .checked_sub(1)?;
        let (line, value, value_end, at) = self.lines[i];
        if match_start < line || secret.start < value || secret.end > value_end {
            return None;
        }
        Some(at + secret.start - value..at + secret.end - value)
    }

    /// Appends a line made of `segments` of `data`, each a value placed back where it stands
    /// (`ansi`: a line's runs between its colour codes).
    pub fn push_segments(&mut self, data: &[u8], segments: &[Range<usize>]) {
        let line = self.text.len();
        for s in segments {
            let v = self.text.len();
            self.text.extend_from_slice(&data[s.clone()]);
            self.lines.push((line, v, self.text.len(), s.start));
        }
        self.text.push(b'\n');
    }

    /// Appends a line made of `pieces`: a segment of `data` placed back where it stands, or
    /// (`None`) `literal`, text the data wrote otherwise (`unescape`: the quote that `\"` or
    /// `&quot;` stands for), which no hit can be placed on.
    pub fn push_pieces(&mut self, data: &[u8], pieces: &[Option<Range<usize>>], literal: &[u8]) {
        let line = self.text.len();
        for p in pieces {
            match p {
                Some(s) => {
                    let v = self.text.len();
                    self.text.extend_from_slice(&data[s.clone()]);
                    self.lines.push((line, v, self.text.len(), s.start));
                }
                None => self.text.extend_from_slice(literal),
            }
        }
        self.text.push(b'\n');
    }

    /// Appends the line `name = "value"`, the value being `span` of `data`, placed back where it
    /// stands (`csvcols`: a table's cell under the column's name).
    pub fn push_named(&mut self, name: &[u8], data: &[u8], span: Range<usize>) {
        let line = self.text.len();
        self.text.extend_from_slice(name);
        self.text.extend_from_slice(b" = \"");
        let v = self.text.len();
        self.text.extend_from_slice(&data[span.clone()]);
        self.lines.push((line, v, self.text.len(), span.start));
        self.text.extend_from_slice(b"\"\n");
    }

    /// Each line of the text (for tests).
    pub fn entries_text(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.text)
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The data's span and the key path of each value (for tests and debugging).
    pub fn entries(&self) -> Vec<(String, Range<usize>)> {
        (0..self.lines.len())
            .map(|i| {
                let (line, value, end, at) = self.lines[i];
                let path =
                    &self.text[line..memchr::memmem::find(&self.text[line..], b" = ")? + line];
                Some((
                    String::from_utf8_lossy(path).into_owned(),
                    at..at + end - value,
                ))
            })
            .collect::<Option<_>>()
            .expect("every view line has ` = `")
    }
}

/// The views of `data` (which `looks_structured`). A value is viewed only when a key above it
/// holds a keyword of a rule that needs a name: `keywords`, where such keywords start in `data`, in
/// order (the engine's keyword pass already found them). Only then can the path make a rule match
/// that the value's own line does not; so the walk skips ahead to the next keyword while no open key
/// holds one, and text without such keywords costs nothing.
pub fn views(data: &[u8], keywords: &[usize]) -> Views {
    walk(data, keywords, false)
}

/// The views of code (text that does not `looks_structured`: a Python module, a JS file): the
/// same walk, but only inside a literal that a line opens under a name (`SETTINGS = {`,
/// `module.exports = {`, `'stripe' => [`, `"stripe": {` where the walk resumes inside one), and only
/// quoted values: code's bare words are identifiers and expressions, and its other lines
/// (`else:`, `} else {`, `try {`) are no keys. `keywords`: those that may name a key
/// (`names_a_key`); the walk asks `may_open_in_code` of only those it meets (docs/engine.md,
/// "Key paths in code at a look per line").
pub fn views_in_code(data: &[u8], keywords: &[usize]) -> Views {
    walk(data, keywords, true)
}

fn walk(data: &[u8], keywords: &[usize], code: bool) -> Views {
    let mut out = Views::default();
    if keywords.is_empty() {
        return out;
    }
    Walker {
        data,
        stack: Vec::new(),
        block: None,
        keywords,
        cursor: 0,
        resume_cursor: 0,
        walk_to: None,
        last_in_key: None,
        secret: None,
        code,
        judged: if code {
            vec![Judged::Unknown; keywords.len()]
        } else {
            Vec::new()
        },
    }
    .run(&mut out);
    out
}

/// Whether a keyword as it stands in the text (`Twilio`, `auth_token`, `ace`) may name a
/// credential in a key: the credential words and vendor names do; the three-character prefixes
/// of formats (`ac0`…`acf`, `sk1`, `hf_`) sit in a value and are found where they stand, and in
/// keys they match any word (`namespace`), which would walk whole files for nothing.
pub fn names_a_key(keyword: &[u8]) -> bool {
    keyword.len() >= 4
        || [&b"key"[..], b"pwd", b"jwt", b"aws", b"dsn", b"api"]
            .iter()
            .any(|k| keyword.eq_ignore_ascii_case(k))
}

/// Whether the first lines of `data` are mostly keys, sections, brackets and list items: config
/// files are, code and prose are not (`def f():`, `fn main() {`, sentences), so they cost one look
/// at their start.
pub fn looks_structured(data: &[u8]) -> bool {
    let head = &data[..data.len().min(SNIFF_BYTES)];
    if memchr::memchr(0, head).is_some() {
        return false;
    }
    let (mut judged, mut structured) = (0, 0);
    for line in head.split(|&b| b == b'\n') {
        let t = trim(line);
        if t.is_empty() || is_comment(t) {
            continue;
        }
        judged += 1;
        structured += usize::from(structured_line(t));
        // A quarter of the lines judged so far not structured already is code or prose: most files
        // are told after a few lines.
        if judged == SNIFF_LINES || (judged >= 4 && (judged - structured) * 4 > judged) {
            break;
        }
    }
    judged > 0 && structured * 4 >= judged * 3
}

fn structured_line(t: &[u8]) -> bool {
    if matches!(t[0], b'{' | b'}' | b'[' | b']' | b')' | b'"' | b'\'') || t == b"---" {
        return true;
    }
    if let Some(rest) = t
        .strip_prefix(b"- ")
        .or(if t == b"-" { Some(b"") } else { None })
    {
        // A list item: a YAML one holds a key or a short scalar, a Markdown bullet a sentence.
        return rest.is_empty() || key_at(rest, 0).is_some() || !rest.contains(&b' ');
    }
    key_at(t, 0).is_some()
}

/// How many spaces `line` starts with, in whole eights: deep indentation (pretty-printed JSON)
/// passed eight bytes at a compare before the byte-by-byte look at the rest (a quarter of
/// openai-python's instructions in `views`; docs/engine.md, "The 150 MB/s floor, second round").
fn eight_spaces(line: &[u8]) -> usize {
    let mut i = 0;
    while line.get(i..i + 8) == Some(b"        ") {
        i += 8;
    }
    i
}

fn is_comment(t: &[u8]) -> bool {
    t[0] == b'#' || t[0] == b';' || t.starts_with(b"//") || t.starts_with(b"/*") || t[0] == b'*'
}

fn trim(line: &[u8]) -> &[u8] {
    let blanks = eight_spaces(line);
    let s = blanks
        + line[blanks..]
            .iter()
            .position(|b| !b" \t\r".contains(b))
            .unwrap_or(line.len() - blanks);
    let e = line
        .iter()
        .rposition(|b| !b" \t\r".contains(b))
        .map_or(s, |i| i + 1);
    &line[s..e.max(s)]
}

/// A key at `t[i..]`: (its name's range in `t`, where what follows the separator starts, how the
/// line goes on). Keys are `name:` (then a space, the end, or a quote), `name =`, `"name": `,
/// `name {`, and HCL blocks `word "label" … {`.
fn key_at(t: &[u8], i: usize) -> Option<(Range<usize>, usize)> {
    key_at_in(t, i, false)
}

/// `key_at`, in code when `code`: PHP's and Ruby's `'name' => value` is a key too, and neither an
/// HCL block `name {` (`} else {`, `try {`) nor its labels are.
fn key_at_in(t: &[u8], i: usize, code: bool) -> Option<(Range<usize>, usize)> {
    let (name, mut j) = if matches!(t.get(i), Some(b'"' | b'\'')) {
        let q = t[i];
        let close = i + 1 + memchr::memchr(q, &t[i + 1..])?;
        (i + 1..close, close + 1)
    } else {
        let end = i + t[i..]
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b"_.-/@$".contains(&b)))
            .unwrap_or(t.len() - i);
        if end == i || !(t[i].is_ascii_alphanumeric() || t[i] == b'_' || t[i] == b'$') {
            return None;
        }
        (i..end, end)
    };
    if name.is_empty() {
        return None;
    }
    while t.get(j).is_some_and(|b| *b == b' ' || *b == b'\t') {
        j += 1;
    }
    match t.get(j) {
        Some(b':') if !matches!(t.get(j + 1), Some(b'=' | b':')) => {
            // `name:` then a space, the end or a quote: not `http://` nor `a:b`.
            match t.get(j + 1) {
                None | Some(b' ' | b'\t' | b'"' | b'\'' | b'{' | b'[') => Some((name, j + 1)),
                _ => None,
            }
        }
        Some(b'=') if code && t.get(j + 1) == Some(&b'>') => Some((name, j + 2)),
        // Not `==`, `=>`, `=~`, nor a `=` that ends the line: base64 padding (`- dGVzdA=`).
        Some(b'=') if !matches!(t.get(j + 1), None | Some(b'=' | b'>' | b'~')) => {
            Some((name, j + 1))
        }
        // An HCL block `name {` ends its line (`import { a } from …` is code).
        Some(b'{') if j + 1 == t.len() && !code => Some((name, j)),
        Some(b'"') if !code => {
            // HCL block labels: `variable "name" {`, `resource "type" "name" {`: the labels are the key.
            let mut k = j;
            let mut last = None;
            while t.get(k) == Some(&b'"') {
                let close = k + 1 + memchr::memchr(b'"', &t[k + 1..])?;
                last = Some(k + 1..close);
                k = close + 1;
                while t.get(k) == Some(&b' ') {
                    k += 1;
                }
            }
            (t.get(k) == Some(&b'{')).then(|| (last.expect("a label"), k))
        }
        _ => None,
    }
}

/// Keys that name no credential but hold the value of the key above them (`- name: X` / `value:`,
/// Terraform's `default`): left out of the path.
fn transparent(key: &[u8]) -> bool {
    matches!(key, b"value" | b"default" | b"Value" | b"Default")
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    /// Indentation of the line that opened it; -1 for a section header, which only another ends.
    indent: isize,
    /// The key's range in the data.
    key: (usize, usize),
    /// A list entry's `name:` (Kubernetes env): its siblings, at its own indentation, stay under it.
    entry: bool,
    /// A rule's keyword starts in the key.
    keyword: bool,
    /// The key is a call's name (`TwilioClient(`): only its named arguments are its values (a
    /// positional one is whatever the call takes, not a value of that name).
    call: bool,
}

struct Walker<'a> {
    data: &'a [u8],
    stack: Vec<Frame>,
    /// Inside a YAML block scalar opened at this indentation: its lines are text, not keys.
    block: Option<isize>,
    keywords: &'a [usize],
    /// The first keyword not before the walk's position: the walk asks for ever later positions
    /// (lines, then keys on them), so the keywords are passed over once.
    cursor: usize,
    /// The keyword `resume_before` looks at next (its own cursor: it runs ahead of the walk).
    resume_cursor: usize,
    /// Structured text: the keyword whose line the walk is walking to without asking where to
    /// resume (a walk resuming above every keyword would not skip before it).
    walk_to: Option<usize>,
    /// Structured text: the last keyword that `may_stand_in_key`, once asked (then `Some`): past
    /// its line, with no key holding a keyword open, no value can be viewed.
    last_in_key: Option<Option<usize>>,
    /// Whether the text may hold a Kubernetes Secret, once asked (`may_hold_a_secret`).
    secret: Option<bool>,
    /// Walking code (`views_in_code`).
    code: bool,
    /// In code, per keyword: whether it `may_open_in_code`, asked when the walk first meets it.
    judged: Vec<Judged>,
}

/// Whether a keyword of code `may_open_in_code`, once asked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Judged {
    Unknown,
    Opens,
    Not,
}

impl<'a> Walker<'a> {
    fn push(&mut self, indent: isize, key: (usize, usize), entry: bool) {
        let keyword = self.next_keyword(key.0).is_some_and(|k| k < key.1);
        self.push_frame(indent, key, entry, keyword);
    }

    fn push_call(&mut self, indent: isize, key: (usize, usize)) {
        self.push(indent, key, false);
        if let Some(f) = self.stack.last_mut() {
            f.call = true;
        }
    }

    fn push_frame(&mut self, indent: isize, key: (usize, usize), entry: bool, keyword: bool) {
        self.stack.push(Frame {
            indent,
            key,
            entry,
            keyword,
            call: false,
        });
    }

    /// Where the first keyword at or after `at` starts (`at` never goes back). In code, a keyword
    /// counts only if it `may_open_in_code`: the others are passed over for good.
    fn next_keyword(&mut self, at: usize) -> Option<usize> {
        while self
            .keywords
            .get(self.cursor)
            .is_some_and(|&k| k < at || !self.counts(self.cursor))
        {
            self.cursor += 1;
        }
        self.keywords.get(self.cursor).copied()
    }

    /// Whether the `i`th keyword counts: always in structured text, in code if it
    /// `may_open_in_code` (judged once, when first asked).
    fn counts(&mut self, i: usize) -> bool {
        if !self.code {
            return true;
        }
        if self.judged[i] == Judged::Unknown {
            self.judged[i] = if may_open_in_code(self.data, self.keywords[i]) {
                Judged::Opens
            } else {
                Judged::Not
            };
        }
        self.judged[i] == Judged::Opens
    }

    /// In code, with no open key holding a keyword: the first counting keyword at or after `at`
    /// that the walk would start from or pass over with its line, and that line: (the keyword,
    /// the line's start when it may open, its end). Lines are judged before their keywords: a
    /// line that cannot open is passed over without asking `may_open_in_code` of its keywords
    /// (most of code's), which leaves the walk as it would be had it stopped there, when nothing
    /// is open (with keys open, it asks, and stops there if one counts).
    fn next_in_code(&mut self, at: usize) -> Option<(usize, Option<usize>, usize)> {
        let mut probe = at;
        loop {
            while self.keywords.get(self.cursor).is_some_and(|&k| k < probe) {
                self.cursor += 1;
            }
            let &first = self.keywords.get(self.cursor)?;
            let (ls, le) = line_may_open(self.data, first, probe);
            if ls.is_some() || !self.stack.is_empty() || self.block.is_some() {
                // The first keyword of this line that counts, if any.
                while self.keywords.get(self.cursor).is_some_and(|&k| k <= le) {
                    if self.counts(self.cursor) {
                        return Some((self.keywords[self.cursor], ls, le));
                    }
                    self.cursor += 1;
                }
            }
            probe = le + 1;
        }
    }

    fn run(&mut self, out: &mut Views) {
        let data = self.data;
        let mut at = 0;
        while at < data.len() {
            if !self.stack.iter().any(|f| f.keyword) {
                // No open key holds a keyword: no value before the next keyword's line can be
                // viewed. The walk resumes a little before that line, so that the keys just above
                // it (`google:` over `client_secret:`) are open again; keys further up are left
                // out of the path, as are all but the innermost few anyway.
                if self.code {
                    let Some((k, ls, le)) = self.next_in_code(at) else {
                        break;
                    };
                    // Code names keywords on most of its lines (`let token = next_token();`):
                    // only a line that opens a literal, a call or a heredoc (`"twilio": {`,
                    // `TwilioClient(`, `key = <<EOT`), or names and values on one line (`ENV NAME
                    // value`, a table row), is walked, from itself: a key holding a keyword opens
                    // what its values are under (a vendor is its rule's keyword), so the keys
                    // above it are not looked for. A line longer than a sniff (minified code) is
                    // the plain scan's, its start not looked for, so each long line costs one
                    // pass, not one per keyword.
                    let Some(ls) = ls else {
                        self.stack.clear();
                        at = le + 1;
                        continue;
                    };
                    if ls > at {
                        debug_assert!(ls <= k);
                        self.stack.clear();
                        self.block = None;
                        at = ls;
                    }
                } else if self.walk_to.is_none_or(|k| at > k) {
                    // Structured text. A value is viewed only under a key holding a keyword, so
                    // the walk goes only where a walk resuming a `LOOKBACK` above every keyword
                    // (what it did) would have walked with such a key ahead: it stops past the
                    // last keyword that may stand in a key, and where that walk would skip to
                    // the next keyword, it skips to the next one that may stand in a key,
                    // resuming where that walk would have resumed last before it
                    // (`resume_before`), so that the keys open on its line are the same.
                    let Some((to, skips)) = self.next_stop(at) else {
                        break;
                    };
                    let from = if skips {
                        self.resume_before(at, to)
                    } else {
                        at
                    };
                    if from > at {
                        self.stack.clear();
                        self.block = None;
                        at = from;
                    }
                    self.walk_to = Some(to);
                }
            }
            let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i);
            self.line(at, end, out);
            at = end + 1;
        }
    }

    /// Structured text, at the line start `at` with no key holding a keyword open: the keyword
    /// whose line to walk to and whether the walk at every keyword would skip before it, or none
    /// if no value can be viewed past `at`. The next keyword, if that walk would not skip to it
    /// (then the lines up to it are walked as it walked them); else the next that
    /// `may_stand_in_key`.
    fn next_stop(&mut self, at: usize) -> Option<(usize, bool)> {
        let (data, keywords) = (self.data, self.keywords);
        let last = match self.last_in_key {
            Some(last) => last,
            None => {
                let mut last = keywords
                    .iter()
                    .rev()
                    .copied()
                    .find(|&k| may_stand_in_key(data, k));
                if last != keywords.last().copied() && self.may_hold_a_secret() {
                    last = keywords.last().copied();
                }
                *self.last_in_key.insert(last)
            }
        }?;
        while keywords.get(self.resume_cursor).is_some_and(|&k| k < at) {
            self.resume_cursor += 1;
        }
        let &k = keywords.get(self.resume_cursor)?;
        if k > last {
            return None;
        }
        if k.saturating_sub(LOOKBACK) <= at {
            return Some((k, false));
        }
        let to = keywords[self.resume_cursor..]
            .iter()
            .copied()
            .find(|&k| may_stand_in_key(data, k));
        if to != Some(k) && self.may_hold_a_secret() {
            return Some((k, true));
        }
        to.map(|to| (to, true))
    }

    /// Whether the text may hold a Kubernetes Secret, whose `data:` opens a path without a
    /// keyword (`secret_kind`): then every keyword counts as standing in a key, and the walk is
    /// the walk at every keyword. Asked only where the answer changes where the walk goes.
    fn may_hold_a_secret(&mut self) -> bool {
        let data = self.data;
        *self.secret.get_or_insert_with(|| {
            memchr::memmem::find_iter(data, b"Secret")
                .any(|i| data[line_start(data, i)..].starts_with(b"kind:"))
        })
    }

    /// Where a walk from the line start `at` that resumed a `LOOKBACK` above each keyword in turn
    /// (all of them, those in keys or not) would have resumed last before the line of `to` (one
    /// of them): `at` if nowhere. Between keywords in keys no key holds one, so such a walk skips
    /// from the first line after each keyword's line, if the next keyword is further than
    /// `LOOKBACK` away, to the first line a `LOOKBACK` above it; what it walked before the last
    /// such place it cleared, and no value on the way is viewed. One line end per keyword line.
    fn resume_before(&mut self, at: usize, to: usize) -> usize {
        let data = self.data;
        let (mut pos, mut resumed) = (at, at);
        loop {
            while self.keywords[self.resume_cursor] < pos {
                self.resume_cursor += 1;
            }
            // `to` is a keyword not before `pos`.
            let k = self.keywords[self.resume_cursor];
            let from = k.saturating_sub(LOOKBACK);
            if from > pos {
                pos = memchr::memchr(b'\n', &data[from - 1..k])
                    .map_or_else(|| line_start(data, k), |i| from + i);
                resumed = pos;
            }
            let end = memchr::memchr(b'\n', &data[k..]).map_or(data.len(), |i| k + i);
            if to <= end {
                return resumed;
            }
            pos = end + 1;
        }
    }

    fn pop_to(&mut self, indent: isize) {
        while let Some(f) = self.stack.last() {
            let ends = if f.entry {
                f.indent > indent
            } else {
                f.indent >= indent
            };
            if !ends {
                break;
            }
            self.stack.pop();
        }
    }

    fn line(&mut self, start: usize, end: usize, out: &mut Views) {
        let data = self.data;
        let raw = &data[start..end];
        let blanks = eight_spaces(raw);
        let lead = blanks
            + raw[blanks..]
                .iter()
                .position(|b| *b != b' ' && *b != b'\t')
                .unwrap_or(raw.len() - blanks);
        let t = trim(raw);
        if t.is_empty() {
            return;
        }
        let indent = lead as isize;
        if let Some(b) = self.block {
            if indent > b {
                return;
            }
            self.block = None;
        }
        if is_comment(t) {
            return;
        }
        let base = start + lead; // `t` starts here in the data
        if t == b"---" || t == b"..." {
            self.stack.clear();
            return;
        }
        // A TOML/INI section: `[a.b]`, `[[a]]`.
        if t[0] == b'[' && lead == 0 && t.ends_with(b"]") {
            let inner = trim_brackets(t);
            if !inner.is_empty()
                && inner
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-\" ".contains(b))
            {
                self.stack.clear();
                let off = base + (inner.as_ptr() as usize - t.as_ptr() as usize);
                let mut s = 0;
                for (i, &b) in inner.iter().chain(std::iter::once(&b'.')).enumerate() {
                    if b == b'.' {
                        let k = trim_quotes(off + s, off + i, data);
                        if k.0 < k.1 {
                            self.push(-1, k, false);
                        }
                        s = i + 1;
                    }
                }
                return;
            }
        }
        // Closing brackets end what their indentation opened (`pop_to`); what follows them, if
        // anything, is read as a line of its own.
        let mut i = t
            .iter()
            .position(|b| !b"}])".contains(b))
            .unwrap_or(t.len());
        let mut indent = indent;
        let item = t[i..].starts_with(b"- ") || &t[i..] == b"-";
        if item {
            // YAML may write a list at its key's own indentation (`env:\n- name: X`): an item ends
            // only what is indented deeper than its dash.
            self.pop_to(indent + 1);
        } else {
            self.pop_to(indent);
        }
        if item {
            i += 1;
            while t.get(i) == Some(&b' ') {
                i += 1;
            }
            indent += i as isize;
        }
        if i == 0 && self.stack.is_empty() {
            if let Some((name, value, quoted)) = line_pair(t) {
                let key = (base + name.start, base + name.end);
                self.emit(
                    Some(key),
                    base + value.start,
                    base + value.end,
                    quoted,
                    true,
                    out,
                );
                return;
            }
        }
        if self.code && self.stack.is_empty() {
            // Outside a literal, code has no keys: only a line that opens one under a name starts
            // a path (`SETTINGS = {`, `const config = {`, `'stripe' => [`); a declaration's words
            // before the name are not part of it; minified code is left to the plain scan.
            if item || t.len() > SNIFF_BYTES {
                return;
            }
            while let Some(sp) = t[i..].iter().position(|b| *b == b' ') {
                if !DECLARATIONS.contains(&&t[i..i + sp]) {
                    break;
                }
                i += sp + 1;
            }
            let after = key_at_in(t, i, true).map(|(_, after)| after).or_else(|| {
                // Go's `cfg := Config{`.
                let n = t[i..].iter().position(|b| *b == b' ')?;
                t[i + n..].starts_with(b" := ").then_some(i + n + 4)
            });
            // A heredoc's key too (`key = <<EOT`, a .tf file whose value lines make it look like
            // no config): its value is viewed alone.
            let opens = after.is_some_and(|a| {
                let v = trim(&t[a..]);
                matches!(v, b"{" | b"[" | b"(") || v.starts_with(b"<<")
            });
            if !opens {
                // A call or constructor over lines: its name is the key of the arguments
                // (`client = TwilioClient(` over `auth_token="…",`; `new Stripe({`).
                let v = after.map_or(&t[i..], |a| trim(&t[a..]));
                if let Some(callee) = opening_call(v) {
                    let at = base + (v.as_ptr() as usize - t.as_ptr() as usize);
                    self.push_call(indent, (at + callee.start, at + callee.end));
                }
                return;
            }
        }
        let rest = &t[i..];
        if rest.is_empty() || rest == b"," || rest == b";" {
            return;
        }
        if let Some((name, after)) = key_at_in(t, i, self.code) {
            let key = (base + name.start, base + name.end);
            let value = trim(&t[after..]);
            let value_at = base + (value.as_ptr() as usize - t.as_ptr() as usize);
            match value.first() {
                Some(b'{' | b'[' | b'(') if value.len() == 1 => {
                    self.push(indent, key, false);
                }
                None => {
                    if indent == 0 && matches!(&data[key.0..key.1], b"data" | b"stringData") {
                        // A Kubernetes Secret's entries: under the kind's own word, so that
                        // `Secret.data.db-password = …` tells the kubernetes-secret-manifest rule
                        // each entry (a manifest writes `kind:` before or after `data:`).
                        if let Some(kind) = secret_kind(data, start) {
                            self.push_frame(indent, kind, false, true);
                        }
                    }
                    self.push(indent, key, false);
                }
                Some(b'|' | b'>') if value.len() <= 3 => {
                    self.block = Some(indent);
                }
                Some(b'{' | b'[') => {
                    self.push(indent, key, false);
                    self.inline(value_at, value_at + value.len(), out);
                    self.stack.pop();
                }
                Some(b'<') if value.starts_with(b"<<") => {
                    // An HCL/shell heredoc of one line: `key = <<EOT`, the value, `EOT`.
                    if let Some((vs, ve)) = heredoc(data, value, end) {
                        let own = (!transparent(&data[key.0..key.1])).then_some(key);
                        self.emit(own, vs, ve, false, own.is_some(), out);
                    }
                }
                Some(_) => {
                    if let Some(callee) = opening_call(value) {
                        // `client = TwilioClient(` in text that looks like config (a short script).
                        self.push_call(indent, (value_at + callee.start, value_at + callee.end));
                        return;
                    }
                    let Some((vs, ve, quoted)) = scalar(data, value_at, value_at + value.len())
                    else {
                        return;
                    };
                    let k = &data[key.0..key.1];
                    if item && matches!(k, b"name" | b"key" | b"Name" | b"Key") {
                        self.push(indent, (vs, ve), true);
                        return;
                    }
                    let key = (!transparent(k)).then_some(key);
                    self.emit(key, vs, ve, quoted, false, out);
                }
            }
            return;
        }
        // A value alone: a list item, an array element, a continued assignment's string.
        if rest[0] == b'{' || rest[0] == b'[' {
            self.inline(base + i, base + t.len(), out);
            return;
        }
        let quoted = rest[0] == b'"' || rest[0] == b'\'';
        if quoted || item {
            if let Some((vs, ve, quoted)) = scalar(data, base + i, base + t.len()) {
                self.emit(None, vs, ve, quoted, false, out);
            }
        }
    }

    /// What a line holds inline, from `start` (a `{` or `[`) to `end`: keys and values in brackets.
    fn inline(&mut self, start: usize, end: usize, out: &mut Views) {
        let data = self.data;
        let depth = self.stack.len();
        // Per open bracket: whether a key opened it (it is on the stack then), and whether it is an
        // array (whose elements are values without a key of their own).
        let mut opened: Vec<(bool, bool)> = Vec::new();
        let mut pending: Option<(usize, usize)> = None;
        let mut i = start;
        while i < end {
            match data[i] {
                b'{' | b'[' => {
                    let array = data[i] == b'[';
                    if let Some(k) = pending.take() {
                        self.push(isize::MAX, k, false);
                        opened.push((true, array));
                    } else {
                        opened.push((false, array));
                    }
                    i += 1;
                }
                b'}' | b']' => {
                    if opened.pop().is_some_and(|o| o.0) {
                        self.stack.pop();
                    }
                    pending = None;
                    i += 1;
                }
                b',' | b' ' | b'\t' | b'\r' => {
                    if data[i] == b',' {
                        pending = None;
                    }
                    i += 1;
                }
                q @ (b'"' | b'\'') => {
                    let Some(close) = memchr::memchr(q, &data[i + 1..end]).map(|c| i + 1 + c)
                    else {
                        break;
                    };
                    let tok = (i + 1, close);
                    i = close + 1;
                    let sep = data[i..end].iter().position(|b| *b != b' ');
                    if sep.is_some_and(|p| matches!(data[i + p], b':' | b'=')) {
                        pending = Some(tok);
                        i += sep.unwrap() + 1;
                    } else if !data[tok.0..tok.1].contains(&b'\\')
                        && (pending.is_some() || in_array(&opened))
                    {
                        let key = pending.take().filter(|k| !transparent(&data[k.0..k.1]));
                        self.emit(key, tok.0, tok.1, true, false, out);
                    }
                }
                _ => {
                    let s = i;
                    while i < end && !b",}] \t:=".contains(&data[i]) {
                        i += 1;
                    }
                    if i == s {
                        i += 1; // a stray `:` or `=`
                        continue;
                    }
                    let sep = data[i..end].iter().position(|b| *b != b' ');
                    if sep.is_some_and(|p| matches!(data[i + p], b':' | b'=')) {
                        pending = Some((s, i));
                        i += sep.unwrap() + 1;
                    } else if pending.is_some() || in_array(&opened) {
                        let key = pending.take().filter(|k| !transparent(&data[k.0..k.1]));
                        self.emit(key, s, i, false, false, out);
                    }
                }
            }
        }
        self.stack.truncate(depth);
    }

    /// A value under the stack's keys and `key` (the value's own line's key, if any): a view line,
    /// when the stack holds a key (a name all on the value's line is the plain scan's) and the value
    /// could be a credential.
    /// `alone`: the value's own key is its whole name, written apart from it in a way no rule
    /// reads (`line_pair`, a heredoc): viewed with no key above it, and bare in code too.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        key: Option<(usize, usize)>,
        vs: usize,
        ve: usize,
        quoted: bool,
        alone: bool,
        out: &mut Views,
    ) {
        if (self.stack.is_empty() && !alone)
            || (key.is_none() && self.stack.last().is_some_and(|f| f.call))
            || !(MIN_VALUE..=MAX_VALUE).contains(&(ve - vs))
            || (self.code && !quoted && !alone)
        {
            return;
        }
        let n = self.stack.len() + usize::from(key.is_some());
        let kept = n.saturating_sub(MAX_KEYS);
        // A key of the path holds a keyword (the value's own: `client:` over `secret:` makes
        // `client.secret`): else the view shows no rule more than the file does.
        let own = key.is_some_and(|(s, e)| self.next_keyword(s).is_some_and(|k| k < e));
        if !own && !self.stack.iter().skip(kept).any(|f| f.keyword) {
            return;
        }
        let data = self.data;
        let value = &data[vs..ve];
        // Spaces: prose. A bare value with brackets or quotes: an expression or a template
        // (`cfg['X']`, `{{ .Values.x }}`, `7.1.0(encoding@0.1.13)` in a lock file).
        let unlike: &[u8] = if quoted { b" \t" } else { b" \t\"'`()[]{}<>" };
        if value.iter().any(|b| unlike.contains(b)) {
            return;
        }
        let keys = || self.stack.iter().map(|f| f.key).chain(key);
        for (s, e) in keys() {
            let k = &data[s..e];
            // An API description's example value, and a value that repeats a key above it (a label:
            // `gitea: {token: "Gitea-adgangstoken"}`, a file list: `"credentials": ["dist/credentials/…"]`).
            if [&b"example"[..], b"examples", b"sample", b"samples"]
                .iter()
                .any(|x| k.eq_ignore_ascii_case(x))
                || (k.len() >= 4 && value.windows(k.len()).any(|w| w.eq_ignore_ascii_case(k)))
            {
                return;
            }
        }
        let line = out.text.len();
        for (j, (s, e)) in keys().skip(kept).enumerate() {
            if j > 0 {
                out.text.push(b'.');
            }
            out.text.extend_from_slice(&data[s..e]);
        }
        // `secrets:` over `sendgrid: V`: the parent says what kind of credential its children
        // are, the child's plain name whose; the view says both, `secrets.sendgrid_secret`.
        if let (Some((s, e)), Some(parent)) = (key, self.stack.last()) {
            if let Some(kind) = kind_of_children(&data[parent.key.0..parent.key.1]) {
                if !names_a_kind(&data[s..e]) {
                    out.text.push(b'_');
                    out.text.extend_from_slice(kind);
                }
            }
        }
        out.text
            .extend_from_slice(if quoted { b" = \"" } else { b" = " });
        let v = out.text.len();
        out.text.extend_from_slice(value);
        let v_end = out.text.len();
        out.text
            .extend_from_slice(if quoted { b"\"\n" } else { b"\n" });
        out.lines.push((line, v, v_end, vs));
    }
}

/// The kind of credential a parent key's children are (`secrets:`, `credentials:`, `api_keys:`,
/// `tokens:`, `passwords:`), singular, as a name's suffix.
fn kind_of_children(parent: &[u8]) -> Option<&'static [u8]> {
    const KINDS: &[(&[u8], &[u8])] = &[
        (b"secrets", b"secret"),
        (b"credentials", b"credential"),
        (b"api_keys", b"api_key"),
        (b"api-keys", b"api_key"),
        (b"apikeys", b"api_key"),
        (b"apiKeys", b"api_key"),
        (b"tokens", b"token"),
        (b"passwords", b"password"),
    ];
    let p = trim_quotes_of(parent);
    KINDS
        .iter()
        .find(|(k, _)| p.eq_ignore_ascii_case(k))
        .map(|(_, kind)| *kind)
}

/// A key's text without the quotes JSON puts around it.
fn trim_quotes_of(k: &[u8]) -> &[u8] {
    match k {
        [q, inner @ .., q2] if q == q2 && matches!(q, b'"' | b'\'') => inner,
        _ => k,
    }
}

/// Whether a key names a kind of credential itself (`auth_token`, `apiKey`, `password`): under a
/// `secrets:` parent such a child needs no suffix.
fn names_a_kind(key: &[u8]) -> bool {
    let k = key.to_ascii_lowercase();
    [
        &b"secret"[..],
        b"token",
        b"key",
        b"pass",
        b"pwd",
        b"credential",
        b"auth",
        b"dsn",
        b"url",
        b"uri",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&k, w).is_some())
}

/// A name and its value on one line, apart in a way no rule reads as an assignment: a Dockerfile's
/// `ENV NAME value`, Windows' `setx NAME "value"`, a Markdown table's `| NAME | value |` (backticks
/// around either allowed). (name, value, quoted) as ranges of `t`.
fn line_pair(t: &[u8]) -> Option<(Range<usize>, Range<usize>, bool)> {
    let word = |from: usize| {
        let n = t[from..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || b"_.-".contains(b)))
            .unwrap_or(t.len() - from);
        (n > 0).then_some(from..from + n)
    };
    if t[0] == b'|' {
        let mut cells = t[1..].split(|b| *b == b'|').map(|c| {
            let s = 1 + (c.as_ptr() as usize - t[1..].as_ptr() as usize);
            let c = trim(c);
            let s = s + (c.as_ptr() as usize - t[s..].as_ptr() as usize);
            match c {
                [b'`', inner @ .., b'`'] if !inner.is_empty() => (s + 1..s + c.len() - 1, true),
                _ => (s..s + c.len(), false),
            }
        });
        let (name, _) = cells.next()?;
        let (value, quoted) = cells.next()?;
        let whole = word(name.start).is_some_and(|w| w == name);
        let bare = !t[value.clone()].is_empty() && !t[value.clone()].contains(&b' ');
        return (whole && bare).then_some((name, value, quoted));
    }
    let rest = if let Some(r) = t.strip_prefix(b"ENV ") {
        r
    } else if t.len() > 5 && t[..5].eq_ignore_ascii_case(b"setx ") {
        &t[5..]
    } else {
        return None;
    };
    let from = t.len() - rest.len();
    let name = word(from)?;
    let v = &t[name.end..];
    let gap = v.iter().position(|b| *b != b' ' && *b != b'\t')?;
    if gap == 0 {
        return None; // `ENV A=1`: an assignment the rules read
    }
    let vs = name.end + gap;
    let (value, quoted) = match t[vs] {
        q @ (b'"' | b'\'') => {
            let close = vs + 1 + memchr::memchr(q, &t[vs + 1..])?;
            (vs + 1..close, true)
        }
        _ => {
            let n = memchr::memchr(b' ', &t[vs..]).unwrap_or(t.len() - vs);
            (vs..vs + n, false)
        }
    };
    // Nothing after it but setx's switches (`/M`).
    let tail = &t[value.end + usize::from(quoted)..];
    let ok = tail.is_empty() || tail.starts_with(b" /");
    (ok && !t[value.clone()].contains(&b' ')).then_some((name, value, quoted))
}

/// The one line of a heredoc opened by `value` (`<<EOT`, `<<-EOT`, `<<"EOT"`) on the line that
/// ends at `line_end`: its range, when the line after it closes the heredoc.
fn heredoc(data: &[u8], value: &[u8], line_end: usize) -> Option<(usize, usize)> {
    let marker = value[2..].strip_prefix(b"-").unwrap_or(&value[2..]);
    let marker = match marker {
        [b'"', m @ .., b'"'] | [b'\'', m @ .., b'\''] => m,
        m => m,
    };
    if marker.is_empty()
        || !marker
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        return None;
    }
    let vs = line_end + 1;
    let ve = vs + memchr::memchr(b'\n', data.get(vs..)?)?;
    let close_end = memchr::memchr(b'\n', &data[ve + 1..]).map_or(data.len(), |i| ve + 1 + i);
    if trim(&data[ve + 1..close_end]) != marker {
        return None;
    }
    let line = &data[vs..ve];
    let t = trim(line);
    let s = vs + (t.as_ptr() as usize - line.as_ptr() as usize);
    Some((s, s + t.len()))
}

/// The name of a call or constructor that a line opens and leaves open (`TwilioClient(`,
/// `twilio.Client(`, `new Stripe({`, Go's `Config{`): its range in `v`.
fn opening_call(v: &[u8]) -> Option<Range<usize>> {
    let s = if v.starts_with(b"new ") { 4 } else { 0 };
    let n = v[s..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || b"_.:".contains(b)))?;
    let rest = &v[s + n..];
    (n >= 3 && v[s].is_ascii_alphabetic() && matches!(rest, b"(" | b"({" | b"{" | b"{{"))
        .then_some(s..s + n)
}

/// Whether the keyword at `k` in code stands in a name that may start a view, judged from the few
/// bytes around it alone (code holds keywords on most of its lines, `let token = next_token();`,
/// and finding each one's line cost more than the rest of the walk): a name then a separator and
/// an opening bracket or heredoc (`"twilio": {`, `TWILIO = <<EOT`, `'twilio' => [`), a call's name
/// (`TwilioClient(`, `= new Twilio({`, `TwilioConfig{`), or a name after `ENV `, `setx ` or a
/// table's `| `.
pub fn may_open_in_code(data: &[u8], k: usize) -> bool {
    // A table, not a test per byte: this runs for each of a code file's keywords (188k on bd/real).
    let name = |b: u8| NAME_BYTE[usize::from(b)];
    let mut s = k;
    while s > 0 && k - s < 64 && name(data[s - 1]) {
        s -= 1;
    }
    let before = &data[s.saturating_sub(5)..s];
    if before.ends_with(b"ENV ")
        || before.ends_with(b"| ")
        || before.ends_with(b"|`")
        || before.ends_with(b"| `")
        || (before.len() == 5 && before.eq_ignore_ascii_case(b"setx "))
    {
        return true;
    }
    let mut i = k;
    while i < data.len() && i - k < 64 && name(data[i]) {
        i += 1;
    }
    let at = |i: usize| data.get(i).copied().unwrap_or(b'\n');
    if matches!(at(i), b'"' | b'\'') {
        i += 1;
    }
    if matches!(at(i), b'(' | b'{') {
        return true;
    }
    while matches!(at(i), b' ' | b'\t') {
        i += 1;
    }
    match at(i) {
        b':' => i += 1 + usize::from(at(i + 1) == b'='),
        b'=' => i += 1 + usize::from(at(i + 1) == b'>'),
        _ => return false,
    }
    while matches!(at(i), b' ' | b'\t') {
        i += 1;
    }
    if data[i.min(data.len())..].starts_with(b"new ") {
        i += 4;
    }
    while i < data.len() && name(data[i]) {
        i += 1;
    }
    matches!(at(i), b'{' | b'[' | b'(' | b'<')
}

/// Whether the keyword at `k` of structured text may stand in a key the walk reads: a bare name
/// before its separator (`twilio_token:`, `twilio {`, `Twilio::Client(`), a quoted one (`"twilio
/// key": `, an HCL label), a section header, a token before `:` in brackets, a list entry's
/// `name:`, a table row's or `ENV`/`setx` line's name. Never false for a position in a key (a
/// test holds it to the walk); true for some that are not, which only costs their walk.
pub fn may_stand_in_key(data: &[u8], k: usize) -> bool {
    let at = |i: usize| data.get(i).copied().unwrap_or(b'\n');
    // A bare name: its bytes, blanks, a separator (`"` after a name opens an HCL label, whose
    // key is the label).
    let mut i = k;
    while KEY_BYTE[usize::from(at(i))] {
        i += 1;
        if i - k > LONG_NAME {
            return true; // not judged: a keyword in a long run (base64) costs no long look
        }
    }
    while matches!(at(i), b' ' | b'\t') {
        i += 1;
    }
    if matches!(at(i), b':' | b'=' | b'{' | b'(') {
        return true;
    }
    // The line, if no longer than a sniff (minified text: walked as before).
    let lo = k.saturating_sub(SNIFF_BYTES);
    let ls = match memchr::memrchr(b'\n', &data[lo..k]) {
        Some(n) => lo + n + 1,
        None if lo == 0 => 0,
        None => return true,
    };
    let hi = data.len().min(k + SNIFF_BYTES);
    let Some(le) = memchr::memchr(b'\n', &data[k..hi])
        .map(|n| k + n)
        .or((hi == data.len()).then_some(hi))
    else {
        return true;
    };
    // A quoted name: the quote that closes it, blanks, a separator.
    for q in [b'"', b'\''] {
        if let Some(n) = memchr::memchr(q, &data[k..le]) {
            let mut j = k + n + 1;
            while matches!(at(j), b' ' | b'\t') {
                j += 1;
            }
            if matches!(at(j), b':' | b'=' | b'{') {
                return true;
            }
        }
    }
    // A token in brackets (`{a(b): c}`): any bytes up to `,}] \t:=`, spaces, then `:` or `=`.
    if memchr::memchr2(b'{', b'[', &data[ls..k]).is_some() {
        let mut j = k;
        while !b",}] \t:=\n".contains(&at(j)) {
            j += 1;
            if j - k > LONG_NAME {
                return true;
            }
        }
        while at(j) == b' ' {
            j += 1;
        }
        if matches!(at(j), b':' | b'=') {
            return true;
        }
    }
    let line = &data[ls..le];
    // As `Walker::line` reads it: the indentation is spaces and tabs, the text trimmed of `\r` too.
    let lead = line
        .iter()
        .position(|b| *b != b' ' && *b != b'\t')
        .unwrap_or(line.len());
    let t = trim(line);
    // A section header (`[twilio prod]`), a table row or a line pair (`line_pair`).
    if (lead == 0 && t.first() == Some(&b'['))
        || t.first() == Some(&b'|')
        || t.starts_with(b"ENV ")
        || (t.len() > 5 && t[..5].eq_ignore_ascii_case(b"setx "))
    {
        return true;
    }
    // A list entry's value under `name:`/`key:` (Kubernetes env): the key of its siblings.
    let item = &t[t
        .iter()
        .position(|b| !b"}])".contains(b))
        .unwrap_or(t.len())..];
    let Some(rest) = item.strip_prefix(b"-") else {
        return false;
    };
    let rest = &rest[rest.iter().position(|b| *b != b' ').unwrap_or(rest.len())..];
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    [&b"name"[..], b"key"]
        .iter()
        .any(|n| rest.len() >= n.len() && rest[..n.len()].eq_ignore_ascii_case(n))
}

/// The bytes of a bare key as `key_at_in` reads it: letters, digits, `_.-/@$`.
const KEY_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'/' | b'@' | b'$');
        b += 1;
    }
    t
};

/// The bytes of a name in code as `may_open_in_code` reads it: letters, digits, `_.-$`.
const NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'$');
        b += 1;
    }
    t
};

/// The line holding the keyword at `k` in code: (its start if the walk may start there, its
/// end). The walk may start at a line no longer than a sniff that `opens_in_code` (a longer one,
/// minified code, is the plain scan's, its start not looked for, so each long line costs one pass).
/// `from`: a line start at or before `k`, where the look back may stop.
fn line_may_open(data: &[u8], k: usize, from: usize) -> (Option<usize>, usize) {
    let le = memchr::memchr(b'\n', &data[k..]).map_or(data.len(), |i| k + i);
    let lo = k.saturating_sub(SNIFF_BYTES).max(from);
    let nl = memchr::memrchr(b'\n', &data[lo..k]).map(|i| lo + i);
    let ls = match nl.map(|i| i + 1) {
        Some(ls) if le - ls <= SNIFF_BYTES => ls,
        None if lo == from && le - from <= SNIFF_BYTES => from,
        _ => return (None, le),
    };
    (opens_in_code(trim(&data[ls..le])).then_some(ls), le)
}

/// Whether a line of code holding a keyword may start a view: it opens a literal, a call or a
/// heredoc, or is a `line_pair`.
fn opens_in_code(t: &[u8]) -> bool {
    let Some(&last) = t.last() else {
        return false;
    };
    matches!(last, b'{' | b'[' | b'(')
        || t[0] == b'|'
        || t.starts_with(b"ENV ")
        || (t.len() > 5 && t[..5].eq_ignore_ascii_case(b"setx "))
        || memchr::memchr_iter(b'<', t).any(|i| t.get(i + 1) == Some(&b'<'))
}

/// Words that declare a name in code before it (`export const config = {`): not part of the key.
const DECLARATIONS: &[&[u8]] = &[
    b"export",
    b"default",
    b"const",
    b"let",
    b"var",
    b"static",
    b"final",
    b"public",
    b"private",
    b"protected",
    b"readonly",
    b"my",
    b"our",
    b"local",
];

/// Where the word `Secret` stands when the YAML document holding `at` (a top-level `data:` line)
/// says `kind: Secret` at its top level, before or after that line.
fn secret_kind(data: &[u8], at: usize) -> Option<(usize, usize)> {
    // The document: from the `---` line above (if any) to the next one (`-----BEGIN` is no bound).
    let bound = |i: usize, d: &[u8]| d.get(i + 4).is_none_or(|b| *b != b'-');
    let start = memchr::memmem::rfind_iter(&data[..at], b"\n---")
        .find(|&i| bound(i, data))
        .map_or(0, |i| i + 1);
    let end = memchr::memmem::find_iter(&data[at..], b"\n---")
        .find(|&i| bound(at + i, data))
        .map_or(data.len(), |i| at + i);
    let doc = &data[start..end];
    memchr::memmem::find_iter(doc, b"kind:")
        .filter(|&i| i == 0 || doc[i - 1] == b'\n')
        .find_map(|i| {
            let line_end = memchr::memchr(b'\n', &doc[i..]).map_or(doc.len(), |e| i + e);
            let v = trim(&doc[i + 5..line_end]);
            let s = start + i + 5 + (v.as_ptr() as usize - doc[i + 5..].as_ptr() as usize);
            match v {
                b"Secret" => Some((s, s + 6)),
                b"\"Secret\"" | b"'Secret'" => Some((s + 1, s + 7)),
                _ => None,
            }
        })
}

/// Where the line holding `at` starts.
fn line_start(data: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &data[..at]).map_or(0, |i| i + 1)
}

/// Whether the innermost open bracket of an inline value is an array.
fn in_array(opened: &[(bool, bool)]) -> bool {
    opened.last().is_some_and(|o| o.1)
}

/// `[a.b]` → `a.b`, `[[a]]` → `a`.
fn trim_brackets(t: &[u8]) -> &[u8] {
    let mut s = t;
    while let [b'[', inner @ .., b']'] = s {
        s = inner;
    }
    trim(s)
}

/// A key's range without spaces and quotes around it.
fn trim_quotes(mut s: usize, mut e: usize, data: &[u8]) -> (usize, usize) {
    while s < e && b" \"".contains(&data[s]) {
        s += 1;
    }
    while e > s && b" \"".contains(&data[e - 1]) {
        e -= 1;
    }
    (s, e)
}

/// The scalar at `data[s..e]` (a value after its key, or alone): inside its quotes when quoted
/// (and closed on the line, with no escapes: the view holds the bytes as they stand), else up to a
/// ` #` comment or a trailing `,`. None for what is no scalar (a call, a reference, a block).
fn scalar(data: &[u8], s: usize, e: usize) -> Option<(usize, usize, bool)> {
    let v = &data[s..e];
    match v[0] {
        q @ (b'"' | b'\'') => {
            let close = memchr::memchr(q, &v[1..])? + 1;
            let inner = &v[1..close];
            if inner.contains(&b'\\') {
                return None;
            }
            Some((s + 1, s + close, true))
        }
        b'{' | b'[' | b'(' | b'&' | b'*' | b'!' => None,
        _ => {
            // Up to a comment: ` #` (a `#` inside a value is no comment).
            let mut end = memchr::memchr_iter(b'#', v)
                .find(|&i| i > 0 && (v[i - 1] == b' ' || v[i - 1] == b'\t'))
                .unwrap_or(v.len());
            while end > 0 && b" \t,;".contains(&v[end - 1]) {
                end -= 1;
            }
            (end > 0).then_some((s, s + end, false))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "Zq8Lw3Nv7Rk2Jx5T"; // leakguard:allow (a test's fake)

    /// A keyword at every position: every key holds one.
    fn everywhere(n: usize) -> Vec<usize> {
        (0..n).collect()
    }

    /// (path, value) of each view of `text`.
    fn paths(text: &str) -> Vec<(String, String)> {
        {
            assert!(looks_structured(text.as_bytes()), "{text}");
            views(text.as_bytes(), &everywhere(text.len()))
        }
        .entries()
        .into_iter()
        .map(|(p, r)| (p, text[r].to_string()))
        .collect()
    }

    fn one(path: &str) -> Vec<(String, String)> {
        vec![(path.to_string(), V.to_string())]
    }

    #[test]
    fn yaml_nesting_gives_the_parent_keys() {
        let t = format!("production:\n  twilio:\n    auth_token: {V}\n");
        assert_eq!(paths(&t), one("production.twilio.auth_token"));
        let t = format!("a:\n  b:\n    c:\n      d:\n        e:\n          f: \"{V}\"\n");
        assert_eq!(
            paths(&t),
            one("c.d.e.f"),
            "deep nesting keeps the innermost keys"
        );
    }

    #[test]
    fn a_kind_parent_names_its_childrens_kind() {
        let t = format!("secrets:\n  sendgrid: {V}\n  stripe_key: {V}\n");
        assert_eq!(
            paths(&t),
            [
                ("secrets.sendgrid_secret".to_string(), V.to_string()),
                ("secrets.stripe_key".to_string(), V.to_string())
            ]
        );
        let t = format!("{{\n  \"api_keys\": {{\n    \"mailgun\": \"{V}\"\n  }}\n}}\n");
        assert_eq!(paths(&t), one("api_keys.mailgun_api_key"));
        let t = format!("production:\n  sendgrid: {V}\n");
        assert_eq!(paths(&t), one("production.sendgrid"), "a parent of no kind");
    }

    #[test]
    fn siblings_and_dedents_do_not_leak_into_a_path() {
        let t = format!(
            "twilio:\n  sid: abcdefgh123\n  nested:\n    x: y\n  auth_token: {V}\nother:\n  token: {V}\n"
        );
        assert_eq!(
            paths(&t),
            vec![
                ("twilio.sid".to_string(), "abcdefgh123".to_string()),
                ("twilio.auth_token".to_string(), V.to_string()),
                ("other.token".to_string(), V.to_string()),
            ]
        );
        let t = format!("twilio:\n  a: b\nauth_token: {V}\n");
        assert!(
            paths(&t).is_empty(),
            "a key back at the margin has no parent"
        );
    }

    #[test]
    fn kubernetes_entries_name_their_value() {
        let t = format!(
            "env:\n  - name: TWILIO_AUTH_TOKEN\n    value: \"{V}\"\n  - name: REGION\n    value: us-east-1-long\n"
        );
        assert_eq!(
            paths(&t),
            vec![
                ("env.TWILIO_AUTH_TOKEN".to_string(), V.to_string()),
                ("env.REGION".to_string(), "us-east-1-long".to_string()),
            ]
        );
    }

    #[test]
    fn lists_comments_documents_and_crlf() {
        let t = format!("# a comment\nkeys:\n  # another\n  - {V}\n---\nother: {V}\n");
        assert_eq!(
            paths(&t),
            one("keys"),
            "the second document starts at the margin"
        );
        let t = format!("a:\r\n  token: {V}\r\n");
        assert_eq!(paths(&t), one("a.token"));
        let t = format!("a:\n  doc: |\n    token: {V}\n  b: x\n");
        assert!(paths(&t).is_empty(), "a block scalar's lines are text");
    }

    #[test]
    fn json_pretty_compact_and_arrays() {
        let t = format!("{{\n  \"twilio\": {{\n    \"authToken\": \"{V}\"\n  }}\n}}\n");
        assert_eq!(paths(&t), one("twilio.authToken"));
        let t = format!("{{\"twilio\": {{\"authToken\": \"{V}\"}}, \"region\": \"{V}\"}}\n");
        assert_eq!(
            paths(&t),
            one("twilio.authToken"),
            "a closed object ends its key"
        );
        let t = format!("{{\n  \"tokens\": [\n    \"{V}\"\n  ],\n  \"list\": [\"{V}\"]\n}}\n");
        assert_eq!(
            paths(&t),
            vec![
                ("tokens".to_string(), V.to_string()),
                ("list".to_string(), V.to_string())
            ]
        );
    }

    #[test]
    fn toml_sections_terraform_blocks_and_continuations() {
        let t = format!("[twilio]\nauth_token = \"{V}\"\n\n[other.part]\nkey = \"{V}\"\n");
        assert_eq!(
            paths(&t),
            vec![
                ("twilio.auth_token".to_string(), V.to_string()),
                ("other.part.key".to_string(), V.to_string())
            ]
        );
        let t = format!("variable \"twilio_auth_token\" {{\n  default = \"{V}\"\n}}\n");
        assert_eq!(paths(&t), one("twilio_auth_token"));
        let t = format!("TWILIO_AUTH_TOKEN = (\n    \"{V}\"\n)\n");
        assert_eq!(paths(&t), one("TWILIO_AUTH_TOKEN"));
    }

    #[test]
    fn expressions_templates_examples_and_labels_make_no_view() {
        let t = "twilio:\n  token: {{ .Values.twilio.token }}\n  sid: cfg['TWILIO_SID_NAME']\n";
        assert!(
            paths(t).is_empty(),
            "templates and expressions are no values"
        );
        let t = "deps:\n  '@inquirer/password': 4.0.16(@types/node@24.13.2)\n";
        assert!(paths(t).is_empty(), "a lock file's version with its peers");
        let t = format!("schemas:\n  auth:\n    token:\n      example: '{V}'\n");
        assert!(paths(&t).is_empty(), "an API description's example");
        let t = "gitea:\n  token: \"Gitea-adgangstoken\"\n";
        assert!(paths(t).is_empty(), "a label that repeats its key");
        assert!(!looks_structured(
            b"import { a } from 'b'\nimport c from 'd'\nconst x = a(c)\n"
        ));
    }

    #[test]
    fn a_view_keeps_the_value_quoted_as_it_was() {
        let t = format!("a:\n  token: {V}\n  secret: \"{V}\"\n");
        let v = views(t.as_bytes(), &everywhere(t.len()));
        assert_eq!(
            String::from_utf8_lossy(&v.text),
            format!("a.token = {V}\na.secret = \"{V}\"\n")
        );
    }

    #[test]
    fn code_and_prose_are_not_structured() {
        assert!(!looks_structured(
            b"import os\n\ndef main():\n    print(os.environ)\n    return 0\n"
        ));
        assert!(!looks_structured(
            b"The token is set below.\nRun the tool to see it.\n"
        ));
        assert!(looks_structured(b"a:\n  b: c\n"));
    }

    /// (path, value) of each view of code (`views_in_code`).
    fn code_paths(text: &str) -> Vec<(String, String)> {
        let b = text.as_bytes();
        let starts: Vec<usize> = (0..b.len()).filter(|&k| may_open_in_code(b, k)).collect();
        views_in_code(b, &starts)
            .entries()
            .into_iter()
            .map(|(p, r)| (p, text[r].to_string()))
            .collect()
    }

    #[test]
    fn code_is_walked_inside_the_literals_it_opens_under_a_name() {
        let t = format!(
            "import os\n\nSETTINGS = {{\n    \"twilio\": {{\n        \"auth_token\": \"{V}\",\n    }},\n}}\n\ndef f():\n    if x:\n        token = \"{V}\"\n"
        );
        assert_eq!(code_paths(&t), one("SETTINGS.twilio.auth_token"));
        let t = format!("const p = require('p');\nmodule.exports = {{\n  twilio: {{\n    authToken: '{V}',\n  }},\n}};\n");
        assert_eq!(code_paths(&t), one("module.exports.twilio.authToken"));
        let t = format!("export const config = {{\n  twilio: {{ authToken: '{V}' }},\n}};\n");
        assert_eq!(code_paths(&t), one("config.twilio.authToken"));
        let t =
            format!("<?php\nreturn [\n    'twilio' => [\n        'token' => '{V}',\n    ],\n];\n");
        assert_eq!(code_paths(&t), one("twilio.token"));
        let t = format!("client = TwilioClient(\n    auth_token=\"{V}\",\n)\n");
        assert_eq!(code_paths(&t), one("TwilioClient.auth_token"));
        let t = format!("const c = new Twilio({{\n  authToken: '{V}',\n}});\n");
        assert_eq!(code_paths(&t), one("Twilio.authToken"));
        let t = format!("cfg := TwilioConfig{{\n\tAuthToken: \"{V}\",\n}}\n");
        assert_eq!(code_paths(&t), one("TwilioConfig.AuthToken"));
        let t = format!("var t = new twilio.jwt.AccessToken(\n  sid,\n  \"{V}\",\n);\n");
        assert!(
            code_paths(&t).is_empty(),
            "a positional argument is no value of the call's name"
        );
        // Code's own lines are no keys, its bare words no values, and no literal is open.
        let t = format!("def f():\n    if x:\n        pass\n    else:\n        token = \"{V}\"\n}} else {{\n  token = '{V}'\n}}\nSETTINGS = {{\n  \"twilio\": TWILIO_TOKEN_VALUE,\n}}\n");
        assert!(code_paths(&t).is_empty(), "{:?}", code_paths(&t));
    }

    #[test]
    fn one_line_pairs_no_rule_reads_and_heredocs() {
        let t = format!("FROM alpine\nENV TWILIO_AUTH_TOKEN {V}\nENV A=1\n");
        assert_eq!(code_paths(&t), one("TWILIO_AUTH_TOKEN"));
        let t = format!("setx TWILIO_AUTH_TOKEN \"{V}\"\nSETX TWILIO_SID {V} /M\n");
        assert_eq!(
            code_paths(&t),
            vec![
                ("TWILIO_AUTH_TOKEN".to_string(), V.to_string()),
                ("TWILIO_SID".to_string(), V.to_string())
            ]
        );
        let t = format!("| Name | Value |\n|---|---|\n| `TWILIO_AUTH_TOKEN` | `{V}` |\n| TWILIO_SID | {V} |\n| token | the token of the app |\n");
        assert_eq!(
            code_paths(&t),
            vec![
                ("TWILIO_AUTH_TOKEN".to_string(), V.to_string()),
                ("TWILIO_SID".to_string(), V.to_string())
            ]
        );
        let keys = "  region = \"eu\"\n  zone = \"a\"\n  env = \"prod\"\n  app = \"x\"\n".repeat(3);
        let t =
            format!("locals {{\n{keys}  twilio_auth_token = <<EOT\n{V}\nEOT\n  zone = \"a\"\n}}\n");
        assert_eq!(paths(&t), one("locals.twilio_auth_token"));
        let t = format!("locals {{\n  twilio_auth_token = <<EOT\n{V}\nEOT\n}}\n");
        assert_eq!(code_paths(&t), one("twilio_auth_token"));
        let t = format!("twilio_auth_token = <<-\"EOT\"\n  {V}\n  EOT\n");
        assert_eq!(code_paths(&t), one("twilio_auth_token"));
        let t = format!("notes = <<EOT\n{V}\nmore\nEOT\n");
        assert!(code_paths(&t).is_empty(), "a heredoc of lines is text");
    }

    #[test]
    fn a_kubernetes_secret_names_its_entries_under_its_kind() {
        for t in [
            format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  db-password: {V}\n"),
            format!("apiVersion: v1\ndata:\n  db-password: {V}\nkind: \"Secret\"\nmetadata:\n  name: x\n"),
        ] {
            assert_eq!(paths(&t), one("Secret.data.db-password"), "{t}");
        }
        let t = format!("kind: Secret\n---\nkind: ConfigMap\ndata:\n  db-password: {V}\n");
        assert_eq!(
            paths(&t),
            one("data.db-password"),
            "another document's kind"
        );
    }

    #[test]
    fn a_view_maps_back_to_the_value_only() {
        let t = format!("twilio:\n  auth_token: {V}\n");
        let v = views(t.as_bytes(), &everywhere(t.len()));
        let vs = v.lines[0].1;
        assert_eq!(
            v.to_data(0, vs..vs + V.len()),
            Some(t.find(V).unwrap()..t.len() - 1)
        );
        assert_eq!(
            v.to_data(0, vs - 2..vs + 3),
            None,
            "a match beyond the value"
        );
    }

    /// The walk of structured text as it was before it went only to keywords that may stand in a
    /// key: it stopped at every keyword, resuming a `LOOKBACK` above it. The oracle of `views`.
    fn views_at_every_keyword(data: &[u8], keywords: &[usize]) -> Views {
        let mut out = Views::default();
        let mut w = Walker {
            data,
            stack: Vec::new(),
            block: None,
            keywords,
            cursor: 0,
            resume_cursor: 0,
            walk_to: None,
            last_in_key: None,
            secret: None,
            code: false,
            judged: Vec::new(),
        };
        let mut at = 0;
        while at < data.len() {
            if !w.stack.iter().any(|f| f.keyword) {
                let Some(k) = w.next_keyword(at) else {
                    break;
                };
                let from = k.saturating_sub(LOOKBACK);
                if from > at {
                    at = memchr::memchr(b'\n', &data[from - 1..k])
                        .map_or_else(|| line_start(data, k), |i| from + i);
                    w.stack.clear();
                    w.block = None;
                }
            }
            let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i);
            w.line(at, end, &mut out);
            at = end + 1;
        }
        out
    }

    /// `views` and its oracle agree on `data` with a keyword at each of `keywords`.
    fn same_views(data: &[u8], keywords: &[usize], what: &str) {
        let (new, old) = (
            views(data, keywords),
            views_at_every_keyword(data, keywords),
        );
        assert!(
            new.text == old.text && new.lines == old.lines,
            "{what}: keywords at {:?}\n{}\nviews:\n{}\noracle:\n{}",
            &keywords[..keywords.len().min(20)],
            String::from_utf8_lossy(data),
            String::from_utf8_lossy(&new.text),
            String::from_utf8_lossy(&old.text)
        );
    }

    /// A random structured text: every shape of key the walk reads (bare, quoted with spaces,
    /// dotted, sections with labels, HCL labels, tokens in brackets, list entries, table rows,
    /// `ENV`/`setx`, calls, heredocs, block scalars, Secrets), nested, with prose between them
    /// long enough that a walk resumes, in LF or CRLF.
    fn random_structured(r: &mut crate::testrng::Rng) -> String {
        use crate::testrng::n;
        const WORDS: &[&str] = &[
            "twilio",
            "auth_token",
            "stripe",
            "name",
            "key",
            "value",
            "secrets",
            "example",
            "data",
            "password",
            "api_key",
            "token",
            "x",
            "aws",
            "registry",
            "Default",
        ];
        let w = |r: &mut crate::testrng::Rng| WORDS[n(r, WORDS.len())];
        let v = |r: &mut crate::testrng::Rng| -> String {
            (0..8 + n(r, 12))
                .map(|_| b"abcdefXYZ0123456789_-"[n(r, 21)] as char)
                .collect()
        };
        let eol = if n(r, 4) == 0 { "\r\n" } else { "\n" };
        let mut t = String::new();
        for _ in 0..20 + n(r, 40) {
            let ind = [" ", "  ", "    ", "\t", "        ", "          "][n(r, 6)].repeat(n(r, 3));
            let (a, b, c) = (w(r), w(r), w(r));
            let val = v(r);
            let line = match n(r, 35) {
                0 => format!("{ind}{a}: {val}"),
                1 => format!("{ind}{a}:"),
                2 => format!("{ind}\"{a} {b}\": \"{val}\""),
                3 => format!("{ind}'{a}': '{val}'"),
                4 => format!("{ind}{a} = \"{val}\""),
                5 => format!("{ind}{a}.{b} = {val}"),
                6 => format!("[{a}.{b}]"),
                7 => format!("[{a} \"{b}\"]"),
                8 => format!("[[{a}]]"),
                9 => format!("{ind}{a} \"{b}\" \"{c}\" {{"),
                10 => format!("{ind}}}"),
                11 => format!("{ind}- name: {a}_{b}"),
                12 => format!("{ind}- \"key\": \"{a}\""),
                13 => format!("{ind}  value: \"{val}\""),
                14 => format!("| {a} | {val} |"),
                15 => format!("| `{a}_{b}` | `{val}` |"),
                16 => format!("ENV {a}_{b} {val}"),
                17 => format!("setx {a} \"{val}\""),
                18 => format!("{ind}{a} = {b}::{c}("),
                19 => format!("{ind}client = {a}.{b}({{"),
                20 => format!("{ind}{a}: {{{b}: {val}, \"{a} {c}\": \"{val}\", {b}({c}): {val}}}"),
                21 => format!("{ind}{a} = [{b}, \"{val}\"]"),
                22 => format!("{ind}{a}: |{eol}{ind}  {b}: {val}"),
                23 => "---".to_string(),
                24 => format!("# {a} {b}"),
                25 => format!(
                    "{ind}description: {}",
                    (0..20 + n(r, 120))
                        .map(|_| w(r))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                26 => format!("{ind}{a} = <<EOT{eol}{val}{eol}EOT"),
                27 => format!("kind: Secret{eol}data:{eol}  {a}: {val}"),
                28 => format!("{ind}\"{a}\": {{"),
                29 => format!("{ind}- {val}"),
                30 => format!("{ind}{a}_{b}: \"{val}\","),
                31 => format!("{ind}source = \"{a}+https://{b}.com/{c}\""),
                32 => format!("{ind}[\"{a}\", \"{b}-{c}\"],"),
                33 => format!("{ind}{a} = {{{b}({c})= {val}, {c}<{a}>: {val}, x{b}'s: {val}}}"),
                _ => format!("{ind}]"),
            };
            t.push_str(&line);
            t.push_str(eol);
        }
        t
    }

    #[test]
    fn the_walk_to_keywords_in_keys_gives_the_views_a_walk_to_every_keyword_gives() {
        let mut r = crate::testrng::Rng(0x5eed_f100_0005);
        for case in 0..400 {
            let t = random_structured(&mut r);
            let d = t.as_bytes();
            same_views(d, &everywhere(d.len()), "every position");
            // Each position alone: a key is walked to only if that keyword may stand in it.
            for p in 0..d.len() {
                same_views(d, &[p], "one keyword");
            }
            // Sparse and dense sets: where the walk resumes depends on the keywords not in keys.
            for one_in in [2, 7, 40, 300] {
                let ks: Vec<usize> = (0..d.len())
                    .filter(|_| crate::testrng::n(&mut r, one_in) == 0)
                    .collect();
                same_views(d, &ks, &format!("case {case}, one position in {one_in}"));
            }
        }
        // Real files: the fixtures' configs, code and prose, keywords at word starts.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut stack = vec![root];
        let mut files = 0;
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let d = std::fs::read(&p).unwrap();
                let words: Vec<usize> = (0..d.len())
                    .filter(|&i| {
                        d[i].is_ascii_alphanumeric()
                            && (i == 0 || !d[i - 1].is_ascii_alphanumeric())
                    })
                    .collect();
                for one_in in [1, 3, 20, 100] {
                    let ks: Vec<usize> = words
                        .iter()
                        .copied()
                        .filter(|_| crate::testrng::n(&mut r, one_in) == 0)
                        .collect();
                    same_views(&d, &ks, &p.display().to_string());
                }
                files += 1;
            }
        }
        assert!(files > 200, "{files} fixture files");
    }
}
