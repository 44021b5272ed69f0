//! Finds spans of a blob that look encoded and decodes them, so that a secret stored base64-encoded
//! (a Kubernetes `Secret`), percent-encoded (a recorded HTTP request), behind JSON escapes or as hex
//! is matched by the rules as the secret it is.
//!
//! The keyword prefilter cannot see through an encoding (`ghp_` is not in its base64 form), so this
//! is a second pass over every byte; it is built to cost little where nothing is encoded: one
//! table-driven sweep classifies runs, and a run is decoded only when its shape fits, then kept only
//! when the decoded bytes are mostly printable text (random bytes, hashes and compressed data are
//! dropped after a few bytes).

use base64::Engine as _;

/// How a span was encoded, in the order the decodings were applied (outermost first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    Base64,
    Percent,
    JsonEscape,
    Hex,
    /// Not an encoding: string literals concatenated over lines, joined (joinlit.rs).
    Joined,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Percent => "percent",
            Encoding::JsonEscape => "json-escape",
            Encoding::Hex => "hex",
            Encoding::Joined => "joined-literals",
        }
    }
}

/// An encoded span of the scanned text and what it decodes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub start: usize,
    pub end: usize,
    pub encoding: Encoding,
    pub text: Vec<u8>,
}

/// Shortest base64 run worth decoding: 28 characters are 21 bytes, the shortest prefixed token the
/// rules know (`ghp_` and 16 more). A shorter encoded value (a bare password in a Kubernetes
/// `Secret`) decodes to text no rule could judge without the name beside it, and every character
/// of this bound is a step of the probe stride below: 20 would cost a third more.
pub const MIN_BASE64: usize = 28;
/// Shortest hex run: 20 bytes of text (40 hex digits) — shorter hex is ids and digests.
pub const MIN_HEX: usize = 40;
/// A span longer than this is not decoded (a data URI of an image, a vendored blob).
pub const MAX_SPAN: usize = 64 * 1024;
/// Nested encodings are followed this deep.
pub const MAX_DEPTH: usize = 3;

const B64: u8 = 1; // A-Z a-z 0-9
const B64STD: u8 = 2; // + /
const B64URL: u8 = 4; // - _
const HEX: u8 = 8;
const UPPER: u8 = 16;
const LOWER: u8 = 32;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut v = 0;
        if c.is_ascii_alphanumeric() {
            v |= B64;
        }
        if c == b'+' || c == b'/' {
            v |= B64STD;
        }
        if c == b'-' || c == b'_' {
            v |= B64URL;
        }
        if c.is_ascii_hexdigit() {
            v |= HEX;
        }
        if c.is_ascii_uppercase() {
            v |= UPPER;
        }
        if c.is_ascii_lowercase() {
            v |= LOWER;
        }
        t[i] = v;
        i += 1;
    }
    t
};

/// Every encoded-looking span of `data` that decodes to text, in order of position.
pub fn spans(data: &[u8]) -> Vec<Decoded> {
    let mut out = Vec::new();
    base64_and_hex_spans(data, &mut out);
    percent_spans(data, &mut out);
    json_escape_spans(data, &mut out);
    // One span per range and encoding: a quoted string with both `%XX` and `\u`/`\/` escapes is
    // a percent span and a JSON span of the same bytes, each decoding what the other leaves (and
    // its decoded text has no quotes left for a JSON span one level down), so both are read.
    out.sort_by_key(|d| (d.start, d.end, d.encoding));
    out.dedup_by_key(|d| (d.start, d.end, d.encoding));
    out
}

/// Which of `N` bytes (a multiple of 16) are base64 or hex characters (A-Z a-z 0-9 + / - _), one
/// bit each, the first byte in the lowest bit.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn class_bits<const N: usize>(bytes: &[u8; N]) -> u64 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline, and each load reads 16 bytes inside `bytes`
    // (an unaligned load is allowed).
    unsafe {
        // `lo <= x <= hi` in two instructions: adding 0x80 - lo moves the range to the bottom of
        // the signed bytes, where one signed compare bounds it.
        let shift = |lo: u8| _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8);
        let bound = |lo: u8, hi: u8| _mm_set1_epi8((hi - lo + 1).wrapping_add(0x80) as i8);
        let (letters_shift, letters_bound) = (shift(b'a'), bound(b'a', b'z'));
        let (digits_shift, digits_bound) = (shift(b'/'), bound(b'/', b'9'));
        let (fold, plus, minus, under) = (
            _mm_set1_epi8(0x20),
            _mm_set1_epi8(b'+' as i8),
            _mm_set1_epi8(b'-' as i8),
            _mm_set1_epi8(b'_' as i8),
        );
        let mut bits = 0u64;
        let mut k = 0;
        while k < N {
            let v = _mm_loadu_si128(bytes.as_ptr().add(k) as *const __m128i);
            // OR 0x20 folds A-Z onto a-z and moves no other byte into a-z; `/` sits right below `0`.
            let letters = _mm_cmplt_epi8(
                _mm_add_epi8(_mm_or_si128(v, fold), letters_shift),
                letters_bound,
            );
            let digits = _mm_cmplt_epi8(_mm_add_epi8(v, digits_shift), digits_bound);
            let marks = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, plus), _mm_cmpeq_epi8(v, minus)),
                _mm_cmpeq_epi8(v, under),
            );
            let m = _mm_or_si128(_mm_or_si128(letters, digits), marks);
            bits |= (_mm_movemask_epi8(m) as u32 as u64) << k;
            k += 16;
        }
        bits
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn class_bits<const N: usize>(bytes: &[u8; N]) -> u64 {
    bytes
        .iter()
        .enumerate()
        .fold(0, |m, (k, &b)| m | (((CLASS[b as usize] != 0) as u64) << k))
}

/// Which of 16 bytes are in the base64 alphabet, one bit each.
#[inline(always)]
fn class_mask(block: &[u8; 16]) -> u32 {
    class_bits(block) as u32
}

/// The class mask of the 16 bytes at `i`, the bytes past the end counting as outside the class.
#[inline(always)]
fn mask_at(data: &[u8], i: usize) -> u32 {
    match data.get(i..i + 16) {
        Some(b) => class_mask(b.try_into().expect("16 bytes")),
        None => {
            let mut block = [0u8; 16];
            block[..data.len() - i].copy_from_slice(&data[i..]);
            class_mask(&block)
        }
    }
}

/// The class masks of the 64 bytes at `i`, one bit each, bytes past the end outside the class.
#[inline(always)]
fn mask64_at(data: &[u8], i: usize, class64: impl Fn(&[u8; 64]) -> u64) -> u64 {
    match data.get(i..i + 64) {
        Some(b) => class64(b.try_into().expect("64 bytes")),
        None => {
            let mut chunk = [0u8; 64];
            chunk[..data.len() - i].copy_from_slice(&data[i..]);
            class64(&chunk)
        }
    }
}

/// The bits of `m` that begin `len` consecutive set bits, all inside `m`.
#[inline(always)]
fn run_starts(m: u64, len: usize) -> u64 {
    // Doubling: after each step, bit j says bits j..j+k are all set.
    let (mut f, mut k) = (m, 1);
    while k < len {
        let shift = k.min(len - k);
        f &= f >> shift;
        k += shift;
    }
    f
}

/// The maximal runs of the base64 alphabet of at least MIN_BASE64 bytes, each handed to `take_run`.
fn base64_and_hex_spans(data: &[u8], out: &mut Vec<Decoded>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { base64_and_hex_spans_avx2(data, out) };
        return;
    }
    base64_and_hex_spans_sse2(data, out);
}

/// The body of the run scanner, written once for each way of classifying 64 bytes (`$class64`):
/// the loop must be compiled inside the function that enables AVX2 for the classifier to be
/// inlined into it.
macro_rules! run_scanner {
    ($data:ident, $out:ident, $class64:expr) => {{
        let data: &[u8] = $data;
        let out: &mut Vec<Decoded> = $out;
        let n = data.len();
        // Every byte of every blob passes here, and only maximal runs of the alphabet of at
        // least MIN_BASE64 bytes are looked at (MIN_HEX is longer). So the bytes are classified
        // 64 at a time into a bit mask, and `run` counts the alphabet bytes just before `i`: a
        // chunk wholly in the alphabet adds 64; in any other, a long run is one that goes on
        // from `run` at its start, or one that lies inside it (a few shifts find it), and what
        // its top bits begin is carried into the next. A run is walked only once it is known to
        // be long enough, so the identifiers, paths and words of ordinary code cost the
        // classification and a few bit operations per 64 bytes.
        let mut i = 0;
        let mut run = 0;
        while i < n {
            let m = mask64_at(data, i, $class64);
            let start = if m == u64::MAX || run + m.trailing_ones() as usize >= MIN_BASE64 {
                i - run
            } else {
                match run_starts(m, MIN_BASE64) {
                    0 => {
                        run = m.leading_ones() as usize;
                        i += 64;
                        continue;
                    }
                    // Its lowest bit begins a maximal run: the byte before is outside the
                    // alphabet (else that bit would be set too).
                    f => i + f.trailing_zeros() as usize,
                }
            };
            // A run of at least MIN_BASE64 begins at `start` (the byte before it is outside the
            // alphabet, or is where scanning went on after the last run). Long runs (lockfile
            // digests, embedded blobs) are walked 16 bytes at a time.
            let mut end = start.max(i);
            loop {
                let m = mask_at(data, end);
                if m == 0xFFFF {
                    end += 16;
                } else {
                    end += m.trailing_ones() as usize;
                    break;
                }
            }
            // `data[end]` is outside the alphabet: the next run starts after it (or after the
            // wrapped block the run begins).
            i = take_run(data, start, end, out) + 1;
            run = 0;
        }
    }};
}

fn base64_and_hex_spans_sse2(data: &[u8], out: &mut Vec<Decoded>) {
    run_scanner!(data, out, class_bits::<64>)
}

/// `base64_and_hex_spans_sse2` with the bytes classified 32 at a time by AVX2 (`class64_avx2`):
/// the classification is most of what every byte of every blob costs here (21M of openai-python's
/// 47M instructions in this module with SSE2).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn base64_and_hex_spans_avx2(data: &[u8], out: &mut Vec<Decoded>) {
    run_scanner!(data, out, |b: &[u8; 64]| class64_avx2(b))
}

/// `class_bits::<64>` with AVX2: each byte's class looked up by its two nibbles (`vpshufb`), the
/// byte in the alphabet when the two lookups share a bit; six instructions per 32 bytes, against
/// fifteen per 16 with SSE2's range compares.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn class64_avx2(bytes: &[u8; 64]) -> u64 {
    use std::arch::x86_64::*;
    // Bits: 1 digits (high nibble 3, low 0-9); 2 letters A-O, a-o (4 and 6, low 1-F); 4 letters
    // P-Z, p-z (5 and 7, low 0-A); 8 `+ - /` (2, low B, D, F); 16 `_` (5, low F). A high nibble
    // of 8 and above (not ASCII) looks up nothing.
    const LOW: [i8; 16] = {
        let mut t = [0i8; 16];
        let mut l = 0;
        while l < 16 {
            let mut v = 0;
            if l <= 9 {
                v |= 1;
            }
            if l >= 1 {
                v |= 2;
            }
            if l <= 0xA {
                v |= 4;
            }
            if l == 0xB || l == 0xD || l == 0xF {
                v |= 8;
            }
            if l == 0xF {
                v |= 16;
            }
            t[l] = v;
            l += 1;
        }
        t
    };
    const HIGH: [i8; 16] = [0, 0, 8, 1, 2, 4 | 16, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0];
    let table = |t: [i8; 16]| {
        _mm256_setr_epi8(
            t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13],
            t[14], t[15], t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11],
            t[12], t[13], t[14], t[15],
        )
    };
    let (low, high, nibble) = (table(LOW), table(HIGH), _mm256_set1_epi8(0x0F));
    let mut bits = 0u64;
    for k in [0, 32] {
        // SAFETY: the load reads 32 bytes inside `bytes` (an unaligned load is allowed).
        let v = unsafe { _mm256_loadu_si256(bytes.as_ptr().add(k) as *const __m256i) };
        let lo = _mm256_shuffle_epi8(low, _mm256_and_si256(v, nibble));
        let hi = _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
        let outside = _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), _mm256_setzero_si256());
        bits |= u64::from(!(_mm256_movemask_epi8(outside) as u32)) << k;
    }
    bits
}

/// A maximal run `data[start..end]` of the base64 alphabet: decoded as hex or base64 when it is
/// long enough and its shape fits.
/// Returns where scanning goes on: `i`, or the end of the wrapped block the run begins.
fn take_run(data: &[u8], start: usize, i: usize, out: &mut Vec<Decoded>) -> usize {
    let n = data.len();
    if !(MIN_BASE64..=MAX_SPAN).contains(&(i - start)) {
        return i;
    }
    if let Some(end) = wrapped_block(data, start, i, out) {
        return end;
    }
    let run = &data[start..i];
    // What the run holds, judged on its head: encoded text shows both letter cases within
    // its first characters, and the decoders check every character anyway. Each test stops at
    // the first byte that settles it: most runs are identifiers, rejected here (a fold over the
    // whole head for each test was 8M of openai-python's 47M in this module).
    let head = &run[..run.len().min(64)];
    let len = i - start;
    if len >= MIN_HEX && len.is_multiple_of(2) && head.iter().all(|&b| CLASS[b as usize] & HEX != 0)
    {
        if let Some(text) = decode_hex(run) {
            out.push(Decoded {
                start,
                end: i,
                encoding: Encoding::Hex,
                text,
            });
            return i;
        }
    }
    // A base64 run of text has upper- and lower-case letters: an identifier or a word of one
    // case is not base64 of anything readable (most runs of code: `test_method_create_with_...`,
    // import paths), and those are read to the head's end, so 16 bytes at a compare.
    if !has_both_cases(head) {
        return i;
    }
    let url_alphabet = memchr::memchr2(b'-', b'_', run).is_some();
    // base64 padding belongs to the run.
    let mut end = i;
    while end < n && end - i < 2 && data[end] == b'=' {
        end += 1;
    }
    if let Some(text) = decode_base64(&data[start..end], url_alphabet) {
        out.push(Decoded {
            start,
            end,
            encoding: Encoding::Base64,
            text,
        });
    }
    i
}

/// Shortest and longest line of base64 wrapped over lines that is joined: MIME's 76 columns (the
/// `base64` tool's default), PEM's 64, and what other encoders choose between them.
const WRAP_MIN: usize = 60;
const WRAP_MAX: usize = 120;

/// A run that opens base64 wrapped over lines (`base64` without `-w0`, a YAML block scalar of it):
/// the run alone on its line after its indentation, of a length a multiple of four, and the lines
/// after it of the same indentation each one run of the same length, the last as long or shorter
/// (with its padding). The lines joined are decoded as one, so a JWT or a key the wrapping cut in
/// two is read whole; when they join to text, one span (over the block) is added and the end of
/// the block returned (its lines are not decoded again one by one). Lines that do not join to text
/// (a PEM key's DER, a recorded protobuf body with text inside) are left to be decoded line by
/// line, as before.
fn wrapped_block(data: &[u8], start: usize, i: usize, out: &mut Vec<Decoded>) -> Option<usize> {
    let len = i - start;
    if !(WRAP_MIN..=WRAP_MAX).contains(&len) || !len.is_multiple_of(4) {
        return None;
    }
    let eol = |k: usize| match data.get(k) {
        Some(b'\n') => Some(k + 1),
        Some(b'\r') if data.get(k + 1) == Some(&b'\n') => Some(k + 2),
        _ => None,
    };
    let mut next = eol(i)?;
    let ls = memchr::memrchr(b'\n', &data[..start]).map_or(0, |k| k + 1);
    let indent = &data[ls..start];
    if !indent.iter().all(|b| *b == b' ' || *b == b'\t') {
        return None;
    }
    let in_alphabet = |b: u8| CLASS[b as usize] & (B64 | B64STD | B64URL) != 0;
    // Only the block's first line opens it: a line whose line before is a run of the same length
    // at the same indentation is inside a block already walked from its top (and, if that walk did
    // not join to text, read line by line). Without this a long wrapped file (a 1 MB `.b64` test
    // fixture) was walked again from each of its lines: quadratic, 60 s on the benchmark's tree.
    if ls > 0 {
        let prev_end = ls - 1;
        let prev_end = if prev_end > 0 && data[prev_end - 1] == b'\r' {
            prev_end - 1
        } else {
            prev_end
        };
        let prev_start = memchr::memrchr(b'\n', &data[..prev_end]).map_or(0, |k| k + 1);
        let prev = &data[prev_start..prev_end];
        if prev.len() == indent.len() + len
            && prev.starts_with(indent)
            && prev[indent.len()..].iter().all(|&b| in_alphabet(b))
        {
            return None;
        }
    }
    let mut joined: Vec<u8> = data[start..i].to_vec();
    let mut end = i;
    loop {
        if !data[next..].starts_with(indent) {
            break;
        }
        let from = next + indent.len();
        let mut k = from;
        while k < data.len() && k - from <= len && in_alphabet(data[k]) {
            k += 1;
        }
        let line = k - from;
        if line == 0 || line > len {
            break;
        }
        let mut pad = k;
        while pad < data.len() && pad - k < 2 && data[pad] == b'=' {
            pad += 1;
        }
        let at_end = pad == data.len() || eol(pad).is_some();
        if !at_end || (line < len && pad == k && line % 4 == 1) {
            break;
        }
        // A block longer than a span is not decoded whole: stop walking it at once.
        if joined.len() + (pad - from) > MAX_SPAN {
            return None;
        }
        joined.extend_from_slice(&data[from..pad]);
        end = pad;
        if line < len || pad > k {
            break;
        }
        match eol(pad) {
            Some(after) => next = after,
            None => break,
        }
    }
    if end == i || joined.len() > MAX_SPAN {
        return None;
    }
    let url_alphabet = memchr::memchr2(b'-', b'_', &joined).is_some();
    let text = decode_base64(&joined, url_alphabet)?;
    out.push(Decoded {
        start,
        end,
        encoding: Encoding::Base64,
        text,
    });
    Some(end)
}

/// Whether `head` (at most 64 bytes) holds an upper- and a lower-case ASCII letter.
fn has_both_cases(head: &[u8]) -> bool {
    let mut chunk = [0u8; 64];
    chunk[..head.len()].copy_from_slice(head);
    let (upper, lower) = case_bits(&chunk);
    upper != 0 && lower != 0
}

/// Which of 64 bytes are upper- and which lower-case ASCII letters, one bit each.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn case_bits(bytes: &[u8; 64]) -> (u64, u64) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline, and each load reads 16 bytes inside `bytes`.
    unsafe {
        // `lo <= x <= hi` as in `class_bits`: shifted to the bottom of the signed bytes.
        let shift = |lo: u8| _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8);
        let bound = |lo: u8, hi: u8| _mm_set1_epi8((hi - lo + 1).wrapping_add(0x80) as i8);
        let (upper_shift, upper_bound) = (shift(b'A'), bound(b'A', b'Z'));
        let (lower_shift, lower_bound) = (shift(b'a'), bound(b'a', b'z'));
        let (mut upper, mut lower) = (0u64, 0u64);
        let mut k = 0;
        while k < 64 {
            let v = _mm_loadu_si128(bytes.as_ptr().add(k) as *const __m128i);
            let u = _mm_cmplt_epi8(_mm_add_epi8(v, upper_shift), upper_bound);
            let l = _mm_cmplt_epi8(_mm_add_epi8(v, lower_shift), lower_bound);
            upper |= (_mm_movemask_epi8(u) as u32 as u64) << k;
            lower |= (_mm_movemask_epi8(l) as u32 as u64) << k;
            k += 16;
        }
        (upper, lower)
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn case_bits(bytes: &[u8; 64]) -> (u64, u64) {
    bytes.iter().enumerate().fold((0, 0), |(u, l), (k, &b)| {
        (
            u | (u64::from(b.is_ascii_uppercase()) << k),
            l | (u64::from(b.is_ascii_lowercase()) << k),
        )
    })
}

fn decode_base64(run: &[u8], url: bool) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let body: &[u8] = {
        let mut b = run;
        while let [rest @ .., b'='] = b {
            b = rest;
        }
        b
    };
    // A run whose length is 1 mod 4 is not base64; trim one character rather than give up, since a
    // run often ends in a character of the surrounding text.
    let body = if body.len() % 4 == 1 {
        &body[..body.len() - 1]
    } else {
        body
    };
    // The first character of each 4-character group holds the top six bits of a byte; for ASCII
    // the top bit is 0, so the character is one of A-Z a-f. Random data (digests, compressed and
    // binary data) fails this within a few groups, before anything is decoded or allocated.
    let ascii_lead = |c: u8| c.is_ascii_uppercase() || (b'a'..=b'f').contains(&c);
    if !body.chunks(4).take(6).all(|q| ascii_lead(q[0])) {
        return None;
    }
    // Reject early: the first 24 characters must already decode to text.
    let probe_len = body.len().min(24) / 4 * 4;
    let engine = if url {
        &URL_SAFE_NO_PAD
    } else {
        &STANDARD_NO_PAD
    };
    let probe = engine.decode(&body[..probe_len]).ok()?;
    if !is_text(&probe) {
        return None;
    }
    let text = engine.decode(body).ok()?;
    is_text(&text).then_some(text)
}

fn decode_hex(run: &[u8]) -> Option<Vec<u8>> {
    let nibble = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(run.len() / 2);
    for (k, pair) in run.chunks_exact(2).enumerate() {
        let byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
        // Random bytes fail within the first few.
        if k < 8 && !is_text_byte(byte) {
            return None;
        }
        out.push(byte);
    }
    is_text(&out).then_some(out)
}

fn is_text_byte(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\r' || b == b'\t'
}

/// Decoded bytes worth matching: at least 12 of them, nearly all printable ASCII.
fn is_text(bytes: &[u8]) -> bool {
    if bytes.len() < 12 {
        return false;
    }
    let printable = bytes.iter().filter(|&&b| is_text_byte(b)).count();
    printable * 100 >= bytes.len() * 97
}

/// Characters a percent-encoded or escaped value runs over: anything but space, quotes and the
/// brackets that end values in markup and code.
fn value_byte(b: u8) -> bool {
    b > b' ' && b < 0x7f && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b'(' | b')')
}

fn percent_spans(data: &[u8], out: &mut Vec<Decoded>) {
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'%', &data[from..]).map(|p| p + from) {
        from = p + 1;
        if p + 2 >= data.len()
            || !data[p + 1].is_ascii_hexdigit()
            || !data[p + 2].is_ascii_hexdigit()
        {
            continue;
        }
        let mut s = p;
        while s > 0 && value_byte(data[s - 1]) && p - s < MAX_SPAN {
            s -= 1;
        }
        let mut e = p;
        while e < data.len() && value_byte(data[e]) && e - s < MAX_SPAN {
            e += 1;
        }
        from = e.max(from);
        if let Some(text) = percent_decode(&data[s..e]) {
            out.push(Decoded {
                start: s,
                end: e,
                encoding: Encoding::Percent,
                text,
            });
        }
    }
}

fn percent_decode(span: &[u8]) -> Option<Vec<u8>> {
    percent_unescape(span).filter(|out| is_text(out))
}

/// `span` with each `%XX` replaced by its byte, when it holds one; whatever the bytes are (the
/// placeholder filters read a short phrase this way, `filters::is_percent_encoded_phrase`).
pub(crate) fn percent_unescape(span: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(span.len());
    let mut i = 0;
    let mut changed = false;
    while i < span.len() {
        if span[i] == b'%' && i + 2 < span.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(span[i + 1]), hex(span[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                changed = true;
                continue;
            }
        }
        out.push(span[i]);
        i += 1;
    }
    changed.then_some(out)
}

fn json_escape_spans(data: &[u8], out: &mut Vec<Decoded>) {
    let mut from = 0;
    // The line and the last quote before the last `\` looked at (`seen`), kept so that each `\`
    // searches back only over the bytes since: a long minified line would otherwise be read back
    // to its start once per escaped string.
    let (mut seen, mut line_start, mut quote) = (0, 0, None);
    while let Some(p) = memchr::memchr(b'\\', &data[from..]).map(|p| p + from) {
        from = p + 1;
        // `\u` and `\/` are JSON's own; a string with only `\n` or `\"` escapes is every
        // language's string literal, which the rules already read as it stands (a private key's
        // `\n` line breaks included), so it is not worth a second pass.
        let next = data.get(p + 1).copied();
        if !matches!(next, Some(b'u' | b'/')) {
            continue;
        }
        // The escaped string: back to its opening quote on this line, on to its closing one.
        if let Some(nl) = memchr::memrchr(b'\n', &data[seen..p]) {
            (line_start, quote) = (seen + nl + 1, None);
        }
        let back = seen.max(line_start);
        if let Some(q) = memchr::memrchr(b'"', &data[back..p]) {
            quote = Some(back + q + 1);
        }
        seen = p;
        let Some(q) = quote else {
            continue;
        };
        let mut e = p;
        while e < data.len() && data[e] != b'\n' && e - q < MAX_SPAN {
            if data[e] == b'\\' {
                e += 2;
                continue;
            }
            if data[e] == b'"' {
                break;
            }
            e += 1;
        }
        let e = e.min(data.len());
        from = e.max(from);
        if let Some(text) = json_unescape(&data[q..e]) {
            out.push(Decoded {
                start: q,
                end: e,
                encoding: Encoding::JsonEscape,
                text,
            });
        }
    }
}

fn json_unescape(span: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(span.len());
    let mut i = 0;
    let mut changed = false;
    while i < span.len() {
        if span[i] != b'\\' || i + 1 >= span.len() {
            out.push(span[i]);
            i += 1;
            continue;
        }
        let c = span[i + 1];
        let simple = match c {
            b'n' => Some(b'\n'),
            b't' => Some(b'\t'),
            b'r' => Some(b'\r'),
            b'/' | b'"' | b'\\' => Some(c),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            i += 2;
            changed = true;
            continue;
        }
        if c == b'u' && i + 6 <= span.len() {
            let code = std::str::from_utf8(&span[i + 2..i + 6])
                .ok()
                .and_then(|h| u32::from_str_radix(h, 16).ok());
            if let Some(ch) = code.and_then(char::from_u32) {
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                i += 6;
                changed = true;
                continue;
            }
        }
        out.push(span[i]);
        i += 1;
    }
    (changed && out.len() >= 12).then_some(out)
}

/// The scanner as it was before the run counting (docs/engine.md), kept to check that the spans
/// found are the same.
#[cfg(test)]
mod old {
    use super::*;

    pub fn spans(data: &[u8]) -> Vec<Decoded> {
        let mut out = Vec::new();
        base64_and_hex_spans(data, &mut out);
        percent_spans(data, &mut out);
        json_escape_spans(data, &mut out);
        out.sort_by_key(|d| (d.start, d.end, d.encoding));
        out.dedup_by_key(|d| (d.start, d.end, d.encoding));
        out
    }

    /// Which of 16 bytes are base64 or hex characters (A-Z a-z 0-9 + / - _), one bit each.
    #[cfg(target_arch = "x86_64")]
    fn old_class_mask(block: &[u8; 16]) -> u32 {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of the x86_64 baseline, and the load reads exactly the 16 bytes of
        // `block` (an unaligned load is allowed).
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr() as *const __m128i);
            // Signed compares: bytes from 0x80 up are negative and fall outside every range.
            let between = |x: __m128i, lo: u8, hi: u8| {
                _mm_and_si128(
                    _mm_cmpgt_epi8(x, _mm_set1_epi8(lo as i8 - 1)),
                    _mm_cmplt_epi8(x, _mm_set1_epi8(hi as i8 + 1)),
                )
            };
            let eq = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
            // OR 0x20 folds A-Z onto a-z and moves no other byte into a-z.
            let letters = between(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', b'z');
            let m = _mm_or_si128(
                _mm_or_si128(letters, between(v, b'0', b'9')),
                _mm_or_si128(
                    _mm_or_si128(eq(b'+'), eq(b'/')),
                    _mm_or_si128(eq(b'-'), eq(b'_')),
                ),
            );
            _mm_movemask_epi8(m) as u32
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn old_class_mask(block: &[u8; 16]) -> u32 {
        block
            .iter()
            .enumerate()
            .fold(0, |m, (k, &b)| m | (((CLASS[b as usize] != 0) as u32) << k))
    }

    fn base64_and_hex_spans(data: &[u8], out: &mut Vec<Decoded>) {
        let n = data.len();
        // Every byte of every blob passes here, so it is classified 16 bytes at a time, and a run is
        // walked byte by byte only where one of the two 8-byte halves is wholly in the alphabet: a run
        // of MIN_BASE64 (>= 15) characters always covers a whole half, whatever the alignment.
        let mut i = 0;
        // Where the last walked run ended: a walk never goes back over it.
        let mut floor = 0;
        while i < n {
            let m = match data.get(i..i + 16) {
                Some(b) => old_class_mask(b.try_into().expect("16 bytes")),
                None => {
                    let mut block = [0u8; 16];
                    block[..n - i].copy_from_slice(&data[i..]);
                    old_class_mask(&block)
                }
            };
            let probe = if m & 0xFF == 0xFF {
                i
            } else if m >> 8 == 0xFF {
                i + 8
            } else {
                i += 16;
                continue;
            };
            let mut start = probe;
            while start > floor && CLASS[data[start - 1] as usize] != 0 {
                start -= 1;
            }
            // Long runs (lockfile digests, embedded blobs) are skipped over 16 bytes at a time.
            let mut end = probe + 1;
            while end + 16 <= n
                && old_class_mask(data[end..end + 16].try_into().expect("16 bytes")) == 0xFFFF
            {
                end += 16;
            }
            while end < n && CLASS[data[end] as usize] != 0 {
                end += 1;
            }
            floor = end;
            i = end + 1;
            take_run(data, start, end, out);
        }
    }

    /// `take_run` as it was before its tests stopped at the first byte that settles them.
    fn take_run(data: &[u8], start: usize, i: usize, out: &mut Vec<Decoded>) {
        let n = data.len();
        if !(MIN_BASE64..=MAX_SPAN).contains(&(i - start)) {
            return;
        }
        let run = &data[start..i];
        let head = &run[..run.len().min(64)];
        let any = head.iter().fold(0, |acc, &b| acc | CLASS[b as usize]);
        let every = head.iter().fold(0xFF, |acc, &b| acc & CLASS[b as usize]);
        let url_alphabet = memchr::memchr2(b'-', b'_', run).is_some();
        let mut end = i;
        while end < n && end - i < 2 && data[end] == b'=' {
            end += 1;
        }
        let len = i - start;
        if every & HEX != 0 && len >= MIN_HEX && len.is_multiple_of(2) {
            if let Some(text) = decode_hex(run) {
                out.push(Decoded {
                    start,
                    end: i,
                    encoding: Encoding::Hex,
                    text,
                });
                return;
            }
        }
        if any & (UPPER | LOWER) != UPPER | LOWER {
            return;
        }
        if let Some(text) = decode_base64(&data[start..end], url_alphabet) {
            out.push(Decoded {
                start,
                end,
                encoding: Encoding::Base64,
                text,
            });
        }
    }

    fn json_escape_spans(data: &[u8], out: &mut Vec<Decoded>) {
        let mut from = 0;
        while let Some(p) = memchr::memchr(b'\\', &data[from..]).map(|p| p + from) {
            from = p + 1;
            // `\u` and `\/` are JSON's own; a string with only `\n` or `\"` escapes is every
            // language's string literal, which the rules already read as it stands (a private key's
            // `\n` line breaks included), so it is not worth a second pass.
            let next = data.get(p + 1).copied();
            if !matches!(next, Some(b'u' | b'/')) {
                continue;
            }
            // The escaped string: back to its opening quote on this line, on to its closing one.
            let line_start = memchr::memrchr(b'\n', &data[..p]).map_or(0, |i| i + 1);
            let Some(q) = memchr::memrchr(b'"', &data[line_start..p]).map(|i| i + line_start + 1)
            else {
                continue;
            };
            let mut e = p;
            while e < data.len() && data[e] != b'\n' && e - q < MAX_SPAN {
                if data[e] == b'\\' {
                    e += 2;
                    continue;
                }
                if data[e] == b'"' {
                    break;
                }
                e += 1;
            }
            let e = e.min(data.len());
            from = e.max(from);
            if let Some(text) = json_unescape(&data[q..e]) {
                out.push(Decoded {
                    start: q,
                    end: e,
                    encoding: Encoding::JsonEscape,
                    text,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    /// Base64 of `bytes` wrapped at 76 columns, each line ending in `\n`.
    fn wrapped_76(bytes: &[u8]) -> Vec<u8> {
        let enc = STANDARD.encode(bytes);
        let mut out = Vec::new();
        for line in enc.as_bytes().chunks(76) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn a_wrapped_block_is_walked_from_its_first_line_only() {
        // Binary bytes (a seeded xorshift) wrapped over 200 lines, then text wrapped over 4.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let binary: Vec<u8> = (0..57 * 200)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let text = b"plain words written out and more readable text that wraps over lines of base64 output, four of them at least in all, to be read whole".repeat(2);
        let mut data = wrapped_76(&binary);
        let text_at = data.len();
        data.extend_from_slice(&wrapped_76(&text));
        let mut out = Vec::new();
        // Inside the binary block (its second line): no walk, whatever comes after.
        assert_eq!(wrapped_block(&data, 77, 77 + 76, &mut out), None);
        // Its first line: walked, no text, nothing added.
        assert_eq!(wrapped_block(&data, 0, 76, &mut out), None);
        assert!(out.is_empty());
        // The text block's first line follows a binary line of the same length, so it is read as
        // inside that block (a known limit: two wrapped blocks with nothing between them).
        assert_eq!(wrapped_block(&data, text_at, text_at + 76, &mut out), None);
        // On its own, the text block joins to its text, one span.
        let alone = wrapped_76(&text);
        let end = wrapped_block(&alone, 0, 76, &mut out).expect("joins");
        assert_eq!(end, alone.len() - 1);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].text, text.to_vec());
    }

    fn only(data: &[u8]) -> Decoded {
        let s = spans(data);
        assert_eq!(s.len(), 1, "{s:?}");
        s.into_iter().next().unwrap()
    }

    #[test]
    fn base64_of_text_is_decoded_in_both_alphabets() {
        let plain = b"token=abcDEF0123456789?>>?";
        let enc = STANDARD.encode(plain);
        let data = format!("data:\n  API_TOKEN: {enc}\n");
        let d = only(data.as_bytes());
        assert_eq!(d.encoding, Encoding::Base64);
        assert_eq!(d.text, plain);
        assert_eq!(&data.as_bytes()[d.start..d.end], enc.as_bytes());
        let url = URL_SAFE_NO_PAD.encode(plain);
        assert!(url.contains('_') || url.contains('-'));
        assert_eq!(only(format!("v = '{url}'").as_bytes()).text, plain);
    }

    #[test]
    fn identifiers_hashes_and_binary_are_not_decoded() {
        let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let integrity = STANDARD.encode([
            0x9fu8, 0x10, 0xee, 0x03, 0xa1, 0xff, 0x00, 0x7e, 0x81, 0x22, 0x90, 0x11, 0xfe, 0xdc,
            0xba, 0x98, 0x76, 0x54,
        ]);
        for s in [
            "fn thisIsAVeryLongFunctionNameIndeed() {}".to_string(),
            format!("commit {sha}"),
            format!("\"integrity\": \"sha512-{integrity}\""),
            "ALL_UPPER_CASE_CONSTANT_NAME_HERE".to_string(),
        ] {
            assert!(
                spans(s.as_bytes()).is_empty(),
                "{s}: {:?}",
                spans(s.as_bytes())
            );
        }
    }

    #[test]
    fn hex_of_text_is_decoded() {
        // Split so the repository's own scan does not take the fake for a password.
        let plain = concat!("pass", "word=Zx9!qLw2#Rt5").as_bytes();
        let hex: String = plain.iter().map(|b| format!("{b:02x}")).collect();
        let d = only(format!("blob = {hex};").as_bytes());
        assert_eq!(d.encoding, Encoding::Hex);
        assert_eq!(d.text, plain);
    }

    #[test]
    fn percent_encoding_decodes_the_whole_value() {
        let data = b"GET /cb?code=1&token%3Dghp_abcdefABCDEF0123456789abcdefABCDEF HTTP/1.1";
        let d = only(data);
        assert_eq!(d.encoding, Encoding::Percent);
        assert!(
            d.text.windows(9).any(|w| w == b"token=ghp"),
            "{:?}",
            String::from_utf8_lossy(&d.text)
        );
        assert_eq!(data[d.start], b'/');
    }

    #[test]
    fn the_block_classifier_agrees_with_the_table_on_every_byte_and_lane() {
        for b in 0..=255u8 {
            for lane in 0..16 {
                let mut block = [b'!'; 16];
                block[lane] = b;
                let want = ((CLASS[b as usize] != 0) as u32) << lane;
                assert_eq!(class_mask(&block), want, "byte {b:#x} in lane {lane}");
            }
        }
    }

    /// Random text of the pieces the scanners look for and the ones that end them: encoded values
    /// of text and of random bytes, alphabet runs of every length around the bounds, percent and
    /// JSON escapes on long and short lines, quotes, newlines, `=` padding and UTF-8.
    fn random_text(x: &mut u64, pieces: usize) -> Vec<u8> {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE};
        let mut next = move || {
            *x ^= *x << 13;
            *x ^= *x >> 7;
            *x ^= *x << 17;
            *x
        };
        let mut out = Vec::new();
        for _ in 0..pieces {
            let r = next();
            let len = (next() % 64) as usize;
            let text: Vec<u8> = (0..len).map(|_| b' ' + (next() % 95) as u8).collect();
            let alnum = |k: u64| b"AbCdEfGh0123456789abcdefXYZ+/-_q"[(k % 32) as usize];
            match r % 20 {
                0 => out.extend(STANDARD.encode(&text).bytes()),
                1 => out.extend(URL_SAFE.encode(&text).bytes()),
                2 => out.extend(STANDARD_NO_PAD.encode(&text).bytes()),
                3 => out.extend(text.iter().flat_map(|b| format!("{b:02x}").into_bytes())),
                4 => {
                    out.extend((0..len).flat_map(|_| format!("{:02X}", next() % 256).into_bytes()))
                }
                5 => {
                    // An alphabet run of a length near a bound.
                    let n = [
                        1, 7, 8, 15, 16, 17, 27, 28, 29, 31, 32, 33, 39, 40, 41, 63, 64, 65,
                    ][(next() % 18) as usize];
                    out.extend((0..n).map(|_| alnum(next())));
                }
                6 => out.extend(text.iter().flat_map(|&b| {
                    if b.is_ascii_alphanumeric() {
                        vec![b]
                    } else {
                        format!("%{b:02X}").into_bytes()
                    }
                })),
                7 => {
                    out.push(b'"');
                    for &b in &text {
                        match b % 5 {
                            0 => out.extend(format!("\\u{:04x}", b).bytes()),
                            1 => out.extend(b"\\/"),
                            _ => out.push(b),
                        }
                    }
                    out.push(b'"');
                }
                8 => out.extend(b"\\u0041\\u00"),
                9 => out.push(b'\n'),
                10 => out.push(b'"'),
                11 => out.extend(
                    ["==", "=", " ", "%4", "%", "\\", "\\/", "é", "日本", "\t"]
                        [(next() % 10) as usize]
                        .bytes(),
                ),
                12 => out.extend((0..len).map(|_| (next() % 256) as u8)),
                13 => out.extend(&text),
                14 => out.extend(b"https:\\/\\/user:pa55@host\\/x?q=a%20b"),
                15 if next() % 200 == 0 => {
                    // A run around the longest span decoded.
                    let n = MAX_SPAN - 2 + (next() % 4) as usize;
                    out.extend((0..n).map(|_| alnum(next())));
                }
                _ => out.extend(b"token = "),
            }
        }
        out
    }

    #[test]
    fn spans_are_those_of_the_byte_walking_scanner() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let (mut total, mut kinds) = (0, std::collections::BTreeSet::new());
        for round in 0..3_000 {
            let data = random_text(&mut x, 1 + round % 120);
            // Every alignment of the 16-byte blocks against the text.
            for skip in [0, 1, 7, 15] {
                let data = &data[skip.min(data.len())..];
                let (new, old) = (spans(data), old::spans(data));
                assert_eq!(new, old, "{:?}", String::from_utf8_lossy(data));
                total += new.len();
                kinds.extend(new.iter().map(|d| d.encoding));
            }
        }
        // The inputs did hold spans of every kind: the comparison was not of empty lists.
        assert_eq!(kinds.len(), 4, "{kinds:?}");
        assert!(total > 3_000, "{total}");
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_avx2_classifier_and_scanner_agree_with_sse2() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            eprintln!("no AVX2 on this CPU: only the SSE2 scanner runs here");
            return;
        }
        // Every byte value at every place of a 64-byte block, against the class table.
        for b in 0..=255u8 {
            for at in 0..64 {
                let mut block = [b'a'; 64];
                block[at] = b;
                let want = (CLASS[b as usize] != 0) as u64;
                // SAFETY: the CPU has AVX2, checked above.
                let got = unsafe { class64_avx2(&block) };
                assert_eq!((got >> at) & 1, want, "byte {b:#04x} at {at}");
                assert_eq!(got | (1 << at), u64::MAX, "byte {b:#04x} at {at}");
                assert_eq!(got, class_bits::<64>(&block), "byte {b:#04x} at {at}");
            }
        }
        let mut x = 0x5eed_a4c2_0000_0001_u64;
        let mut total = 0;
        for round in 0..1_500 {
            let data = random_text(&mut x, 1 + round % 120);
            let (mut sse2, mut avx2) = (Vec::new(), Vec::new());
            base64_and_hex_spans_sse2(&data, &mut sse2);
            // SAFETY: the CPU has AVX2, checked above.
            unsafe { base64_and_hex_spans_avx2(&data, &mut avx2) };
            assert_eq!(avx2, sse2, "{:?}", String::from_utf8_lossy(&data));
            total += avx2.len();
        }
        assert!(total > 1_000, "{total}");
    }

    #[test]
    fn case_bits_are_the_ascii_cases() {
        for b in 0..=255u8 {
            for at in [0, 15, 16, 40, 63] {
                let mut block = [b'0'; 64];
                block[at] = b;
                let (upper, lower) = case_bits(&block);
                assert_eq!(
                    upper,
                    u64::from(b.is_ascii_uppercase()) << at,
                    "{b:#04x} at {at}"
                );
                assert_eq!(
                    lower,
                    u64::from(b.is_ascii_lowercase()) << at,
                    "{b:#04x} at {at}"
                );
            }
        }
    }

    #[test]
    fn escaped_strings_on_one_long_line_are_each_found() {
        // Many escaped strings on one minified line, one without a quote before it: each is found
        // from its own opening quote, as if the line were searched back from every escape.
        let mut line = String::from("x\\u0041 ");
        for k in 0..200 {
            line.push_str(&format!(
                "{{\"k{k}\": \"https:\\/\\/host{k:03}.example\\/path\"}}, "
            ));
        }
        let data = format!("head\n{line}\ntail \"\\u0067hp_abc\\u0044EF0123456789\"\n");
        let found = spans(data.as_bytes());
        assert_eq!(found, old::spans(data.as_bytes()));
        assert_eq!(found.len(), 201, "{found:?}");
        assert_eq!(found[0].text, b"https://host000.example/path");
        assert_eq!(found[200].text, b"ghp_abcDEF0123456789");
    }

    #[test]
    fn json_escapes_are_undone_inside_their_string() {
        let data = br#"{"url": "https:\/\/user:pa55word@example.com\/x", "n": 1}"#;
        let d = only(data);
        assert_eq!(d.encoding, Encoding::JsonEscape);
        assert_eq!(d.text, b"https://user:pa55word@example.com/x");
        let data = br#"{"k": "\u0067hp_abc\u0044EF0123456789"}"#;
        assert_eq!(only(data).text, b"ghp_abcDEF0123456789");
    }
}
