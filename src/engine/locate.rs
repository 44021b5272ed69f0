//! Where a hit is: 1-based lines and byte columns, the text of its lines, and a readable context.

use super::Hit;
use crate::finding::Context;

/// Longest context line kept for a finding; longer lines are cut around the secret.
const CONTEXT_REACH: usize = 80;

/// Turns byte offsets into 1-based line and column numbers, walking forward once for sorted hits.
pub(super) struct LineCounter<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineCounter<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        LineCounter {
            data,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn seek(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.pos {
            // Hits in order of start still step back: the next hit starts before the last one's
            // end (several rules on one value, a match inside a wider one). Counted back over the
            // stretch between, not again from the text's start: on keyword-dense text that
            // recount was 3.4% of the scan (docs/engine.md, "The pathological input, tenth round").
            let span = &self.data[offset..self.pos];
            self.line -= memchr::memchr_iter(b'\n', span).count();
            self.line_start = memchr::memrchr(b'\n', &self.data[..offset]).map_or(0, |i| i + 1);
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
        let line_end =
            memchr::memchr(b'\n', &data[hit.start..]).map_or(data.len(), |i| hit.start + i);
        // The allow markers may sit on the first or the last line of a multi-line match.
        let last_line_start = memchr::memrchr(b'\n', &data[..hit.end])
            .map_or(0, |i| i + 1)
            .max(line_start);
        let last_line_end =
            memchr::memchr(b'\n', &data[hit.end..]).map_or(data.len(), |i| hit.end + i);
        hit.line_text = data[line_start..line_end].to_vec();
        if last_line_start > line_end {
            hit.line_text.extend_from_slice(b"\n");
            hit.line_text
                .extend_from_slice(&data[last_line_start..last_line_end]);
        }
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
