//! What is scanned of a binary blob: its printable strings, one per line, as `strings -a` prints
//! them (runs of at least `MIN_RUN` printable ASCII bytes or tabs). A secret committed inside a
//! binary file is still a secret: the Vim swap file of an `.env`, a SQLite database's rows, the
//! constant pool of a compiled class or `.pyc`, an APK's dex strings. Before, a NUL byte in the
//! first 8000 bytes meant the blob was skipped whole (counted, never read), and a `.README.md.swp`
//! holding a JWT gave nothing where gitleaks and kingfisher report it.
//!
//! A finding's line in a binary file is the line of `strings -a FILE` that holds it, and its column
//! a byte column in that line: the same input always gives the same line. Random bytes (images,
//! compressed data) give short runs, which `MIN_RUN` drops, and the keyword pass finds nothing in
//! what is left, so a binary costs about one table lookup per byte.

use std::io::{self, Read};

/// Shortest run of printable bytes kept, as `strings` keeps by default.
pub const MIN_RUN: usize = 4;

/// Printable as `strings` sees it: ASCII from space to `~`, and the tab.
const fn printable_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0x20;
    while c < 0x7F {
        t[c] = true;
        c += 1;
    }
    t[b'\t' as usize] = true;
    t
}
static PRINTABLE: [bool; 256] = printable_table();

/// The printable strings of `data`, each ended by `\n`.
pub fn strings_of(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        // Skip to the next printable byte, then take the run it starts.
        match data[i..].iter().position(|&b| PRINTABLE[b as usize]) {
            None => break,
            Some(k) => i += k,
        }
        let len = data[i..]
            .iter()
            .position(|&b| !PRINTABLE[b as usize])
            .unwrap_or(data.len() - i);
        if len >= MIN_RUN {
            out.extend_from_slice(&data[i..i + len]);
            out.push(b'\n');
        }
        i += len;
    }
    out
}

/// `strings_of` as a stream, for a binary blob too large to hold (over 64 MB): the same bytes out,
/// in bounded memory whatever the length of a run.
pub struct StringsReader<R> {
    inner: R,
    buf: Vec<u8>,
    /// Bytes of `buf` read from `inner`, and how far they are consumed.
    filled: usize,
    at: usize,
    /// A run too short yet to be kept (fewer than `MIN_RUN` bytes so far).
    pending: Vec<u8>,
    /// The current run is kept: its bytes go straight out, and its end gives a `\n`.
    in_run: bool,
    eof: bool,
}

impl<R: Read> StringsReader<R> {
    pub fn new(inner: R) -> Self {
        StringsReader {
            inner,
            buf: vec![0; 64 << 10],
            filled: 0,
            at: 0,
            pending: Vec::with_capacity(MIN_RUN),
            in_run: false,
            eof: false,
        }
    }
}

impl<R: Read> Read for StringsReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            // Bytes of a kept run held back (`out` was full when the run reached `MIN_RUN`) go
            // out before anything after them.
            if self.in_run && !self.pending.is_empty() {
                let room = (out.len() - n).min(self.pending.len());
                out[n..n + room].copy_from_slice(&self.pending[..room]);
                n += room;
                self.pending.drain(..room);
                continue;
            }
            if self.at == self.filled {
                if self.eof {
                    break;
                }
                self.filled = super::blob::read_full(&mut self.inner, &mut self.buf)?;
                self.at = 0;
                if self.filled == 0 {
                    self.eof = true;
                    // A kept run at the very end is ended as `strings_of` ends it.
                    if self.in_run {
                        self.in_run = false;
                        out[n] = b'\n';
                        n += 1;
                    }
                    break;
                }
            }
            let b = self.buf[self.at];
            self.at += 1;
            if !PRINTABLE[b as usize] {
                self.pending.clear();
                if self.in_run {
                    self.in_run = false;
                    out[n] = b'\n';
                    n += 1;
                }
            } else if self.in_run {
                out[n] = b;
                n += 1;
            } else {
                self.pending.push(b);
                // Long enough: the run is kept, and what was held goes out first (above).
                self.in_run = self.pending.len() == MIN_RUN;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_four_printable_bytes_or_more_each_make_a_line() {
        let data = b"\x00\x01abc\x00token=Zq81vX\x7f\xffid\ttab\x00\x00end!";
        assert_eq!(strings_of(data), b"token=Zq81vX\nid\ttab\nend!\n");
        assert_eq!(strings_of(b"\x00\x00"), b"");
        // Line breaks of the original are separators like any other byte that is not printable.
        assert_eq!(
            strings_of(b"line one\nline two\r\n"),
            b"line one\nline two\n"
        );
    }

    /// The stream gives `strings_of`'s bytes, whatever sizes the reader is asked for and however
    /// the inner reader splits its bytes (runs across its 64 KiB buffer and across reads).
    #[test]
    fn the_stream_gives_the_same_bytes_as_the_whole_blob() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..40 {
            let len = (next() % 300_000) as usize;
            // Mostly printable with breaks, or mostly binary, by round.
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if round % 2 == 0 && r % 9 != 0 {
                        b'a' + (r % 26) as u8
                    } else {
                        (r >> 8) as u8
                    }
                })
                .collect();
            let want = strings_of(&data);
            for ask in [1usize, 3, 4, 5, 7, 4096, 1 << 20] {
                let mut r = StringsReader::new(io::Cursor::new(&data));
                let mut got = Vec::new();
                let mut chunk = vec![0u8; ask];
                loop {
                    let n = r.read(&mut chunk).unwrap();
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&chunk[..n]);
                }
                assert!(got == want, "round {round}, reads of {ask}");
            }
        }
    }
}
