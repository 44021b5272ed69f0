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
        let i = self
            .lines
            .partition_point(|l| l.0 <= secret.start)
            .checked_sub(1)?;
        let (line, value, value_end, at) = self.lines[i];
        if match_start < line || secret.start < value || secret.end > value_end {
            return None;
        }
        Some(at + secret.start - value..at + secret.end - value)
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
        // Not `==`, `=>`, `=~`, nor a `=` that ends the line: base64 padding (`- dGVzdA=`).
        Some(b'=') if !matches!(t.get(j + 1), None | Some(b'=' | b'>' | b'~')) => {
            Some((name, j + 1))
        }
        // An HCL block `name {` ends its line (`import { a } from …` is code).
        Some(b'{') if j + 1 == t.len() => Some((name, j)),
        Some(b'"') => {
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
}

impl<'a> Walker<'a> {
    fn push(&mut self, indent: isize, key: (usize, usize), entry: bool) {
        let keyword = self.next_keyword(key.0).is_some_and(|k| k < key.1);
        self.stack.push(Frame {
            indent,
            key,
            entry,
            keyword,
        });
    }

    /// Where the first keyword at or after `at` starts (`at` never goes back).
    fn next_keyword(&mut self, at: usize) -> Option<usize> {
        while self.keywords.get(self.cursor).is_some_and(|&k| k < at) {
            self.cursor += 1;
        }
        self.keywords.get(self.cursor).copied()
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
                let Some(k) = self.next_keyword(at) else {
                    break;
                };
                let from = k.saturating_sub(LOOKBACK);
                if from > at {
                    // The first line that starts at `from` or later (the keyword's own at the latest).
                    let line = memchr::memchr(b'\n', &data[from - 1..k])
                        .map_or_else(|| line_start(data, k), |i| from + i);
                    self.stack.clear();
                    self.block = None;
                    at = line;
                }
            }
            let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i);
            self.line(at, end, out);
            at = end + 1;
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
        let rest = &t[i..];
        if rest.is_empty() || rest == b"," || rest == b";" {
            return;
        }
        if let Some((name, after)) = key_at(t, i) {
            let key = (base + name.start, base + name.end);
            let value = trim(&t[after..]);
            let value_at = base + (value.as_ptr() as usize - t.as_ptr() as usize);
            match value.first() {
                Some(b'{' | b'[' | b'(') if value.len() == 1 => {
                    self.push(indent, key, false);
                }
                None => {
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
                Some(_) => {
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
                    self.emit(key, vs, ve, quoted, out);
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
                self.emit(None, vs, ve, quoted, out);
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
                        self.emit(key, tok.0, tok.1, true, out);
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
                        self.emit(key, s, i, false, out);
                    }
                }
            }
        }
        self.stack.truncate(depth);
    }

    /// A value under the stack's keys and `key` (the value's own line's key, if any): a view line,
    /// when the stack holds a key (a name all on the value's line is the plain scan's) and the value
    /// could be a credential.
    fn emit(
        &mut self,
        key: Option<(usize, usize)>,
        vs: usize,
        ve: usize,
        quoted: bool,
        out: &mut Views,
    ) {
        if self.stack.is_empty() || !(MIN_VALUE..=MAX_VALUE).contains(&(ve - vs)) {
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
}
