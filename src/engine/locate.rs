//! Where a hit is: 1-based lines and byte columns, the text of its lines, and a readable context.

use super::Hit;
use crate::finding::Context;

/// Longest context line kept for a finding; longer lines are cut around the secret.
const CONTEXT_REACH: usize = 80;

/// Turns byte offsets into 1-based line and column numbers, walking forward once for sorted hits.
///
/// A line is read once however many hits it holds: its end and its text are kept for the next
/// hit on it (`last`), and the hits share the text (`LineText`). Before, each hit searched for its
/// line's end and copied the line, so a 30 MB minified line with keyword-dense text cost 9.2 s and
/// 848 MB of memory (hits x line length); a file under review must not exhaust the runner.
pub(super) struct LineCounter<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    /// The last line located: its start, its end (the `\n` or the text's end) and its text.
    last: Option<(usize, usize, LineText)>,
}

/// A hit's line (a multi-line hit's first and last lines joined by `\n`), shared by the hits on it.
pub type LineText = std::sync::Arc<[u8]>;

impl<'a> LineCounter<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        LineCounter {
            data,
            pos: 0,
            line: 1,
            line_start: 0,
            last: None,
        }
    }

    /// The end of the line starting at `line_start` (which holds `at`), and its text.
    fn line_at(&mut self, line_start: usize, at: usize) -> (usize, LineText) {
        if let Some((s, e, text)) = &self.last {
            if *s == line_start {
                return (*e, text.clone());
            }
        }
        let data = self.data;
        let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i);
        let text: LineText = data[line_start..end].into();
        self.last = Some((line_start, end, text.clone()));
        (end, text)
    }

    fn seek(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.pos {
            // Hits in order of start still step back: the next hit starts before the last one's
            // end (several rules on one value, a match inside a wider one). Counted back over the
            // stretch between, not again from the text's start: on keyword-dense text that
            // recount was 3.4% of the scan (docs/engine.md, "The pathological input, tenth round").
            let span = &self.data[offset..self.pos];
            let crossed = memchr::memchr_iter(b'\n', span).count();
            if crossed > 0 {
                // Back over a line break: this line's start is found again. On the same line it
                // stands (a search back from the offset would read a long line once per hit).
                self.line -= crossed;
                self.line_start = memchr::memrchr(b'\n', &self.data[..offset]).map_or(0, |i| i + 1);
            }
            self.pos = offset;
            return (self.line, offset - self.line_start + 1);
        }
        let span = &self.data[self.pos..offset];
        let n = memchr::memchr_iter(b'\n', span).count();
        if n > 0 {
            self.line += n;
            self.line_start =
                self.pos + memchr::memrchr(b'\n', span).expect("counted a newline") + 1;
        }
        self.pos = offset;
        (self.line, offset - self.line_start + 1)
    }

    pub(super) fn locate(&mut self, hit: &mut Hit) {
        let (line, column) = self.seek(hit.start);
        let line_start = self.line_start;
        let (end_line, end_column) = self.seek(hit.end);
        hit.line = line;
        hit.column = column;
        hit.end_line = end_line;
        hit.end_column = end_column;
        let data = self.data;
        let (line_end, text) = self.line_at(line_start, hit.start);
        hit.line_text = if hit.end <= line_end {
            text
        } else {
            // The allow markers may sit on the first or the last line of a multi-line match.
            let last_line_start = self.line_start;
            let last_line_end =
                memchr::memchr(b'\n', &data[hit.end..]).map_or(data.len(), |i| hit.end + i);
            let mut both = text.to_vec();
            both.push(b'\n');
            both.extend_from_slice(&data[last_line_start..last_line_end]);
            both.into()
        };
        hit.context = context_for(data, line_start, line_end, hit.start, hit.end.min(line_end));
    }
}

/// The line around a secret, cut to a readable width, with the secret's position kept for redaction.
fn context_for(data: &[u8], line_start: usize, line_end: usize, s: usize, e: usize) -> Context {
    let from = s.saturating_sub(CONTEXT_REACH).max(line_start);
    let to = (e + CONTEXT_REACH).min(line_end);
    let trim_end = |v: &[u8]| -> String {
        String::from_utf8_lossy(v)
            .trim_end_matches('\r')
            .to_string()
    };
    let before = String::from_utf8_lossy(&data[from..s]).into_owned();
    let secret = String::from_utf8_lossy(&data[s..e]).into_owned();
    let after = trim_end(&data[e..to]);
    let lead = if from > line_start { "…" } else { "" };
    let tail = if to < line_end { "…" } else { "" };
    let text = format!("{lead}{before}{secret}{after}{tail}");
    let start = lead.len() + before.len();
    Context::new(text, start, start + secret.len())
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::LineCounter;
    use crate::engine::PathScope;

    #[test]
    fn positions_are_one_based_lines_and_byte_columns() {
        let e = engine(PAT_RULE);
        let data = format!("first line\n  x = \"{TOKEN}\"\n");
        let hits = e.scan(data.as_bytes(), PathScope::At("a.py"));
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].line, hits[0].column), (2, 8));
        assert_eq!(hits[0].secret.expose(), TOKEN);
    }

    /// Each hit's line text is its line (a multi-line hit's first and last lines joined by `\n`),
    /// whichever order the hits come in, and hits on one line share one copy of it: a long
    /// minified line is copied once, not once per hit (30 MB with keyword-dense text was 848 MB).
    #[test]
    fn hits_on_one_line_share_its_text_and_each_gets_its_own_lines() {
        let mut rng = crate::testrng::Rng(0x51_7cc1_b727_220a);
        let n = crate::testrng::n;
        for _ in 0..200 {
            let len = 1 + n(&mut rng, 300);
            let data: Vec<u8> = (0..len)
                .map(|_| if n(&mut rng, 9) == 0 { b'\n' } else { b'x' })
                .collect();
            let line_of = |at: usize| {
                let s = data[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let e = data[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(len, |i| at + i);
                (s, e)
            };
            let mut hits: Vec<super::Hit> = (0..20)
                .map(|_| {
                    let mut h = super::Hit::whole_file(0);
                    h.start = n(&mut rng, len);
                    h.end = (h.start + 1 + n(&mut rng, 40)).min(len);
                    h
                })
                .collect();
            hits.sort_by_key(|h| h.start);
            let mut c = LineCounter::new(&data);
            for h in &mut hits {
                c.locate(h);
                let (s, e) = line_of(h.start);
                let mut want = data[s..e].to_vec();
                let (ls, le) = line_of(h.end);
                if ls > e {
                    want.push(b'\n');
                    want.extend_from_slice(&data[ls..le]);
                }
                assert_eq!(&h.line_text[..], &want[..], "hit {}..{}", h.start, h.end);
            }
            for w in hits.windows(2) {
                let same_line = line_of(w[0].start) == line_of(w[1].start)
                    && w[0].end <= line_of(w[0].start).1
                    && w[1].end <= line_of(w[1].start).1;
                if same_line {
                    assert!(std::sync::Arc::ptr_eq(&w[0].line_text, &w[1].line_text));
                }
            }
        }
    }

    /// Every offset, visited in a random order (forward, back, repeated), gets the line and column
    /// counted from the text's start.
    #[test]
    fn lines_and_columns_are_right_whichever_way_the_counter_moves() {
        let mut rng = crate::testrng::Rng(0x9e37_79b9_7f4a_7c15);
        let n = crate::testrng::n;
        for _ in 0..200 {
            let len = n(&mut rng, 300);
            let data: Vec<u8> = (0..len)
                .map(|_| if n(&mut rng, 5) == 0 { b'\n' } else { b'x' })
                .collect();
            let mut c = LineCounter::new(&data);
            for _ in 0..50 {
                let at = n(&mut rng, len + 1);
                let line = 1 + data[..at].iter().filter(|&&b| b == b'\n').count();
                let start = data[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                assert_eq!(c.seek(at), (line, at - start + 1), "offset {at}");
                assert_eq!(c.line_start, start);
            }
        }
    }
}
