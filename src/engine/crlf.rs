//! CRLF line ends read as LF ones: a text whose lines end in `\r\n` is matched as the same text
//! with each of those `\r` taken out, and its hits placed back on the bytes as they stand.
//!
//! Why here, once, and not in each reader of a line's end: a rule's `$` holds before a `\n`, not
//! before a `\r\n` (generic-key-assignment's `[ \t]*$` found `LLM_KEY=…` on an LF line and nothing
//! on the same line ending `\r\n`), a value class such as `[^\n]+` or `[^"'\n]*` takes the `\r`
//! into the secret, a private key's block held a `\r` per line, and the hand readers (assignments,
//! key paths, dotenv lines, joined literals, placeholders, inline markers) each stop at `\n`. A
//! text read without its line-ending `\r` gives each of them the lines of the LF file: the
//! findings of a CRLF file are those of the LF file (rule, line, column, secret, context; only
//! byte offsets differ, mapped back here), and a secret never carries a line's `\r`. Lines and
//! columns need no mapping: a removed `\r` is the last byte of its line, after every column a
//! finding can name on it. A lone `\r` (an old Mac file, a progress bar in a log) is an ordinary
//! byte, as git counts lines (docs/engine.md, "Line edges on CRLF; windows by meaning").

/// A text with its line-ending `\r`s taken out (`text`), and where they were.
pub(super) struct Lf {
    pub(super) text: Vec<u8>,
    /// For each `\r` taken out, in order: the position in `text` of the `\n` that followed it.
    removed: Vec<usize>,
}

impl Lf {
    /// `data` without the `\r` of each `\r\n`; `None` when it has none (most texts: one pass of
    /// `memchr` for a `\r`, no copy).
    pub(super) fn of(data: &[u8]) -> Option<Lf> {
        let crlf = |&i: &usize| data.get(i + 1) == Some(&b'\n');
        let first = memchr::memchr_iter(b'\r', data).find(crlf)?;
        let mut text = Vec::with_capacity(data.len());
        let mut removed = Vec::new();
        let mut from = 0;
        for i in memchr::memchr_iter(b'\r', &data[first..])
            .map(|i| first + i)
            .filter(crlf)
        {
            text.extend_from_slice(&data[from..i]);
            removed.push(text.len());
            from = i + 1;
        }
        text.extend_from_slice(&data[from..]);
        Some(Lf { text, removed })
    }

    /// Where the byte at `text[at]` stands in the original data.
    pub(super) fn start(&self, at: usize) -> usize {
        at + self.removed.partition_point(|&r| r <= at)
    }

    /// Where a range of `text` ending (exclusively) at `at` ends in the original data: after its
    /// last byte, so a secret that ends a line does not take in the line's `\r`.
    pub(super) fn end(&self, at: usize) -> usize {
        at + self.removed.partition_point(|&r| r < at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_map_back_to_the_bytes_as_they_stand() {
        assert!(Lf::of(b"a\nb\rc\r").is_none());
        let data = b"ab\r\ncd\r\r\n\r\nef\rg\r\n";
        let lf = Lf::of(data).expect("has CRLF");
        assert_eq!(lf.text, b"ab\ncd\r\n\nef\rg\n");
        // Every byte of `text` maps to the same byte in `data`.
        for (i, &b) in lf.text.iter().enumerate() {
            assert_eq!(data[lf.start(i)], b, "{i}");
        }
        // A range ending before a line's end ends before its `\r`; one ending after it, after.
        assert_eq!(&data[lf.start(0)..lf.end(2)], b"ab");
        assert_eq!(&data[lf.start(3)..lf.end(6)], b"cd\r");
        assert_eq!(&data[lf.start(0)..lf.end(4)], b"ab\r\nc");
        assert_eq!(lf.end(lf.text.len()), data.len());
    }
}
