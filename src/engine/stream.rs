//! Scanning a stream of any size in bounded memory, in overlapping chunks.

use super::windows::{LINE_REACH, MULTILINE_REACH, TOKEN_REACH};
use super::{Engine, Hit, PathScope};
use std::io::Read;

impl Engine {
    /// Scans a stream of any size in bounded memory: chunks that overlap by a tail long enough for a
    /// multi-line match or a long token, with line numbers carried across chunks. Each hit is
    /// reported once: a hit that runs to the end of a chunk and starts in its tail may be cut by the
    /// chunk's end, so it is left to the next chunk, which holds it whole; a hit overlapping one
    /// already reported for its rule is the same secret seen again (or its tail, seen from the
    /// middle).
    pub fn scan_reader<R: Read>(
        &self,
        mut reader: R,
        scope: PathScope,
        chunk_size: usize,
    ) -> std::io::Result<Vec<Hit>> {
        let overlap = TOKEN_REACH.max(MULTILINE_REACH) + 2 * LINE_REACH;
        let chunk_size = chunk_size.max(overlap * 4);
        let mut buf: Vec<u8> = Vec::with_capacity(chunk_size + overlap);
        let mut base_offset = 0usize; // absolute offset of buf[0]
        let mut base_line = 0usize; // newlines before buf[0]
        let mut hits = Vec::new();
        // Per rule: the absolute end of the last hit reported, for hits seen again in the overlap.
        let mut reported_end: Vec<usize> = vec![0; self.rules.rules.len()];
        let mut first = true;
        let mut deferred = false; // a hit at the end of the last chunk was left to this one
        loop {
            let before = buf.len();
            buf.resize(before + chunk_size, 0);
            let mut filled = before;
            while filled < buf.len() {
                let n = reader.read(&mut buf[filled..])?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            buf.truncate(filled);
            let at_end = filled < before + chunk_size;
            let keep_from = if at_end {
                buf.len()
            } else {
                buf.len().saturating_sub(overlap)
            };
            if filled > before || first || deferred {
                deferred = false;
                for mut h in self.scan(&buf, scope) {
                    if h.is_whole_file() {
                        // Path-only rules report the file once.
                        if first {
                            hits.push(h);
                        }
                        continue;
                    }
                    // Seen whole from the next chunk, which starts at `keep_from`.
                    if !at_end && h.end == buf.len() && h.match_start >= keep_from + LINE_REACH {
                        deferred = true;
                        continue;
                    }
                    h.start += base_offset;
                    h.end += base_offset;
                    h.match_start += base_offset;
                    if h.start < reported_end[h.rule] {
                        continue;
                    }
                    reported_end[h.rule] = reported_end[h.rule].max(h.end);
                    h.line += base_line;
                    h.end_line += base_line;
                    hits.push(h);
                }
            }
            first = false;
            if at_end {
                return Ok(hits);
            }
            base_line += memchr::memchr_iter(b'\n', &buf[..keep_from]).count();
            base_offset += keep_from;
            buf.drain(..keep_from);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn streaming_in_chunks_finds_the_same_hits_as_one_pass() {
        let e = engine(&format!("{PAT_RULE}{KEY_RULE}"));
        let mut data = String::new();
        for i in 0..30_000 {
            data.push_str(&format!("line {i} of filler text that mentions nothing\n"));
            if i % 3_001 == 0 {
                data.push_str(&format!(
                    "token = {}\n",
                    TOKEN.replace('Q', &((i % 10).to_string()))
                ));
            }
            if i == 14_000 {
                data.push_str("-----BEGIN PRIVATE KEY-----\nTWlJRXZ3SUJBREFOQmdrcWhraUc5dzBC\nQVFFRkFBU0NCS2t3\n-----END PRIVATE KEY-----\n");
            }
        }
        let whole: Vec<_> = e
            .scan(data.as_bytes(), PathScope::ContentOnly)
            .iter()
            .map(|h| (h.rule, h.start, h.line, h.column))
            .collect();
        for chunk in [64 << 10, 100 << 10, 1 << 20] {
            let streamed: Vec<_> = e
                .scan_reader(data.as_bytes(), PathScope::ContentOnly, chunk)
                .unwrap()
                .iter()
                .map(|h| (h.rule, h.start, h.line, h.column))
                .collect();
            assert_eq!(streamed, whole, "chunk size {chunk}");
        }
        assert_eq!(whole.len(), 11);
    }

    #[test]
    fn streaming_reports_long_tokens_across_chunk_boundaries_once_and_whole() {
        let e = engine(&format!("{STS_RULE}{PAT_RULE}"));
        let overlap = TOKEN_REACH + 2 * LINE_REACH;
        let chunk = overlap * 4;
        let step = chunk - overlap;
        // Chunk ends fall at chunk, chunk + step, chunk + 2 step...: put tokens across and near them.
        let ends: Vec<usize> = (0..6).map(|i| chunk + i * step).collect();
        let mut data = String::new();
        let mut seed = 0u64;
        while data.len() < chunk * 4 {
            seed += 1;
            data.push_str(&format!("line {seed} of filler text\n"));
            let near = ends
                .iter()
                .any(|&x| x >= data.len() && x - data.len() < 3_000);
            if near || seed.is_multiple_of(500) {
                let t = sts(seed, 2_000 + (seed as usize % 3) * 1_500);
                data.push_str(&format!("token = {t} {TOKEN}\n"));
            }
        }
        let key = |h: &Hit| {
            (
                h.rule,
                h.start,
                h.end,
                h.line,
                h.column,
                h.secret.expose().to_string(),
            )
        };
        let whole: Vec<_> = e
            .scan(data.as_bytes(), PathScope::ContentOnly)
            .iter()
            .map(key)
            .collect();
        assert!(whole.len() > 10);
        for c in [chunk, chunk + 1_234, chunk + 7_777] {
            let streamed: Vec<_> = e
                .scan_reader(data.as_bytes(), PathScope::ContentOnly, c)
                .unwrap()
                .iter()
                .map(key)
                .collect();
            assert_eq!(streamed.len(), whole.len(), "chunk size {c}");
            assert!(streamed == whole, "chunk size {c}");
        }
    }

    #[test]
    fn path_only_rules_report_the_file_once_even_when_streamed() {
        let e = engine("[[rules]]\nid = \"envfile\"\npath = '''(^|/)\\.env$'''\n");
        assert_eq!(e.scan(b"A=1\n", PathScope::At("x/.env")).len(), 1);
        assert!(e.scan(b"A=1\n", PathScope::At("x/.env.example")).is_empty());
        assert!(e.scan(b"A=1\n", PathScope::ContentOnly).is_empty());
        let big = "A=1\n".repeat(100_000);
        assert_eq!(
            e.scan_reader(big.as_bytes(), PathScope::At(".env"), 64 << 10)
                .unwrap()
                .len(),
            1
        );
    }
}
