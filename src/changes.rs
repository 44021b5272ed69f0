//! What two versions of a file have in common: the stretches that are byte for byte the same, in the
//! same order. Git history holds many versions of each file that differ by a few lines, and a stretch
//! both versions share cannot hold a secret the older version did not (see `Engine::scan_changed`).
//!
//! This is not a minimal diff. It walks both versions together, skipping identical stretches with
//! memcmp, and where they part, looks a little way ahead for where they meet again: the next line of
//! one version found in the other (an insertion, a deletion or an edited line). That is linear in the
//! size of the files and fast on the edits histories are made of; when it cannot resynchronise, the
//! rest counts as changed, which costs speed, never findings.

/// `old[old..old + len] == new[new..new + len]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub old: usize,
    pub new: usize,
    pub len: usize,
}

impl Block {
    pub fn old_end(&self) -> usize {
        self.old + self.len
    }

    pub fn new_end(&self) -> usize {
        self.new + self.len
    }
}

/// Bytes of one version looked for in the other to resynchronise: long enough to be unlikely by
/// chance in text, short enough to fit between two edits.
const PROBE: usize = 48;
/// How far ahead of where the versions parted the other version is searched for a probe.
const LOOK_AHEAD: usize = 512 << 10;
/// Lines tried as probes past a parting before the rest is counted as changed.
const TRIES: usize = 16;
/// A probe starts at a line start, or this far into a long line (minified code has no lines).
const STEP: usize = 512;

/// Stretches `old` and `new` share, in increasing order in both, not overlapping.
pub fn common_blocks(old: &[u8], new: &[u8]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let (mut o, mut n) = (0, 0);
    loop {
        let run = common_prefix(&old[o..], &new[n..]);
        if run > 0 {
            blocks.push(Block {
                old: o,
                new: n,
                len: run,
            });
            o += run;
            n += run;
        }
        if o == old.len() || n == new.len() {
            return blocks;
        }
        match resynchronise(old, new, o, n) {
            Some((o2, n2)) => (o, n) = (o2, n2),
            None => break,
        }
    }
    let tail = common_suffix(&old[o..], &new[n..]);
    if tail > 0 {
        blocks.push(Block {
            old: old.len() - tail,
            new: new.len() - tail,
            len: tail,
        });
    }
    blocks
}

/// Where `old` and `new`, which part at `o` and `n`, meet again: the nearest pair of positions (by
/// bytes skipped in both) at which a probe from one version is found in the other; on a tie, the
/// insertion.
///
/// Of the two searches one usually fails (after an inserted line, the next line of `new` is nowhere
/// in `old`), and a failing search reads all of `LOOK_AHEAD`: most of the time common_blocks took
/// on tokio's history. So both go forward together in growing steps, and once one has found its
/// probe the other only looks as far as could still be nearer: the same answer, for about the bytes
/// up to the nearer meeting point.
fn resynchronise(old: &[u8], new: &[u8], o: usize, n: usize) -> Option<(usize, usize)> {
    let (mut po, mut pn) = (o, n);
    for _ in 0..TRIES {
        po = next_probe_start(old, po);
        pn = next_probe_start(new, pn);
        // An insertion in `new`: old resumes at `po`, somewhere ahead in new.
        let mut inserted = Search::new(new, n, probe(old, po));
        // A deletion from `old`: new resumes at `pn`, somewhere ahead in old.
        let mut deleted = Search::new(old, o, probe(new, pn));
        let mut step = FIRST_STEP;
        while !inserted.done() && !deleted.done() {
            inserted.advance(step, usize::MAX);
            deleted.advance(step, usize::MAX);
            step = step.saturating_mul(4);
        }
        // The distance of a meeting point: bytes skipped in both versions.
        let by_insertion = |at: usize| (po - o) + (at - n);
        let by_deletion = |at: usize| (at - o) + (pn - n);
        // One search is over: the other needs to look only where it could still win (the
        // insertion wins a tie, as it did when both searched all the way).
        if let Some(at) = inserted.found {
            let d = by_insertion(at);
            // by_deletion(x) < d  <=>  x < o + d - (pn - n)
            let last = (o + d).checked_sub(pn - n + 1);
            deleted.finish(last);
        } else if let Some(at) = deleted.found {
            let d = by_deletion(at);
            // by_insertion(x) <= d  <=>  x <= n + d - (po - o)
            let last = (n + d).checked_sub(po - o);
            inserted.finish(last);
        } else {
            inserted.finish(Some(usize::MAX));
            deleted.finish(Some(usize::MAX));
        }
        let best = [
            inserted.found.map(|at| (by_insertion(at), (po, at))),
            deleted.found.map(|at| (by_deletion(at), (at, pn))),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|&(d, _)| d)
        .map(|(_, at)| at);
        if best.is_some() {
            return best;
        }
        if po >= old.len() && pn >= new.len() {
            return None;
        }
    }
    None
}

/// The first window a search reads before the other search takes its turn: a few lines, since
/// most edits are a line or two (each later window is four times the one before).
const FIRST_STEP: usize = 512;

/// A search for the first occurrence of a probe in `data[from..from + LOOK_AHEAD]`, read a window
/// at a time.
struct Search<'a> {
    data: &'a [u8],
    needle: Option<Needle<'a>>,
    /// Where the next window starts: no occurrence starts before it.
    next: usize,
    end: usize,
    found: Option<usize>,
}

impl<'a> Search<'a> {
    fn new(data: &'a [u8], from: usize, probe: Option<&'a [u8]>) -> Search<'a> {
        Search {
            data,
            needle: probe.map(Needle::new),
            next: from,
            end: (from + LOOK_AHEAD).min(data.len()),
            found: None,
        }
    }

    fn done(&self) -> bool {
        self.found.is_some() || self.needle.is_none() || self.next >= self.end
    }

    /// Reads up to `len` more bytes, for an occurrence that starts at `last` or before.
    fn advance(&mut self, len: usize, last: usize) {
        if self.done() {
            return;
        }
        let Some(needle) = &self.needle else { return };
        let n = needle.bytes.len();
        // No occurrence that may be taken ends past `bound`.
        let bound = self.end.min(last.saturating_add(n));
        let stop = bound.min(self.next.saturating_add(len));
        if stop >= self.next + n {
            if let Some(i) = needle.find(&self.data[self.next..stop]) {
                self.found = Some(self.next + i);
                return;
            }
        }
        if stop >= bound {
            self.next = self.end;
        } else {
            // An occurrence that starts in the last n - 1 bytes runs past the window.
            self.next = (stop + 1 - n).max(self.next);
        }
    }

    /// Searches on to the first occurrence that starts at `last` or before (`None`: none can).
    fn finish(&mut self, last: Option<usize>) {
        match last {
            Some(last) => self.advance(usize::MAX, last),
            None => self.next = self.end,
        }
    }
}

/// A probe to search for. `memmem`'s searcher costs about 2,000 instructions to build (its two-way
/// factorisation), more than most of these searches, which stop within a few lines: a pair of the
/// probe's rarer bytes finds candidates instead (SIMD), each compared in full, and after
/// `MAX_CANDIDATES` that are not the probe (a text made to defeat the pair) `memmem` takes over, so
/// the worst case stays linear.
struct Needle<'a> {
    bytes: &'a [u8],
    #[cfg(target_arch = "x86_64")]
    pair: Option<memchr::arch::x86_64::sse2::packedpair::Finder>,
}

const MAX_CANDIDATES: usize = 64;

impl<'a> Needle<'a> {
    fn new(bytes: &'a [u8]) -> Needle<'a> {
        Needle {
            bytes,
            #[cfg(target_arch = "x86_64")]
            pair: memchr::arch::x86_64::sse2::packedpair::Finder::new(bytes),
        }
    }

    /// The first occurrence in `hay`.
    fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(pair) = &self.pair {
            let n = self.bytes.len();
            let mut at = 0;
            for _ in 0..MAX_CANDIDATES {
                let rest = &hay[at..];
                if rest.len() < pair.min_haystack_len() {
                    break;
                }
                let c = at + pair.find_prefilter(rest)?;
                if hay.get(c..c + n) == Some(self.bytes) {
                    return Some(c);
                }
                at = c + 1;
            }
            return memchr::memmem::find(&hay[at..], self.bytes).map(|i| at + i);
        }
        memchr::memmem::find(hay, self.bytes)
    }
}

fn next_probe_start(data: &[u8], from: usize) -> usize {
    let limit = (from + STEP).min(data.len());
    match memchr::memchr(b'\n', &data[from.min(limit)..limit]) {
        Some(i) => from + i + 1,
        None => limit,
    }
}

fn probe(data: &[u8], at: usize) -> Option<&[u8]> {
    let p = &data[at..(at + PROBE).min(data.len())];
    // Too short a probe (the very end of a file) matches by chance.
    (p.len() >= PROBE / 2).then_some(p)
}

/// Length of the longest common prefix.
pub fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let n = a.len().min(b.len());
    let mut i = 0;
    // Whole blocks compare with memcmp; only the first block that differs is walked byte by byte.
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Length of the longest common suffix.
pub fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    i + a[..n - i]
        .iter()
        .rev()
        .zip(b[..n - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(old: &[u8], new: &[u8]) -> Vec<Block> {
        let blocks = common_blocks(old, new);
        let (mut o, mut n) = (0, 0);
        for b in &blocks {
            assert!(b.len > 0 && b.old >= o && b.new >= n, "{blocks:?}");
            assert_eq!(old[b.old..b.old_end()], new[b.new..b.new_end()]);
            (o, n) = (b.old_end(), b.new_end());
        }
        blocks
    }

    fn shared(blocks: &[Block]) -> usize {
        blocks.iter().map(|b| b.len).sum()
    }

    fn lines(n: usize, tag: &str) -> String {
        (0..n)
            .map(|i| format!("    line {i} of {tag}: some text that is long enough\n"))
            .collect()
    }

    #[test]
    fn identical_and_empty() {
        let a = lines(100, "a");
        assert_eq!(check(a.as_bytes(), a.as_bytes()).len(), 1);
        assert!(check(b"", a.as_bytes()).is_empty());
        assert!(check(a.as_bytes(), b"").is_empty());
        assert!(check(b"", b"").is_empty());
    }

    #[test]
    fn edits_in_several_places_leave_the_rest_shared() {
        let (a, b, c, d) = (
            lines(500, "a"),
            lines(500, "b"),
            lines(500, "c"),
            lines(500, "d"),
        );
        let old = format!("{a}{b}{c}{d}");
        // An edited first line, an insertion, a deletion and an append.
        let edited = a.replacen("line 0 of a", "line 0 of A, edited", 1);
        let new = format!(
            "{edited}inserted\n{b}{}{d}appended at the end\n",
            &c[4000..]
        );
        let blocks = check(old.as_bytes(), new.as_bytes());
        assert!(
            shared(&blocks) > old.len() - 4100,
            "{} of {}",
            shared(&blocks),
            old.len()
        );
    }

    #[test]
    fn one_changed_line_in_the_middle() {
        let old = lines(2000, "x");
        let new = old.replacen("line 1000 of x", "line 1000 of X, changed", 1);
        let blocks = check(old.as_bytes(), new.as_bytes());
        // What follows the edit on its line is counted as changed too: the walk resumes at a line start.
        let line_len = "    line 1000 of x: some text that is long enough\n".len();
        assert!(shared(&blocks) >= old.len() - line_len, "{blocks:?}");
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn unrelated_versions_share_little_and_do_not_panic() {
        let old: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let new: Vec<u8> = (0..90_000u32).map(|i| (i * 13 % 241) as u8).collect();
        check(&old, &new);
        check(&new, &old);
        check(b"abc", b"abd");
        check(b"\n\n\n", b"\n\n");
    }

    #[test]
    fn a_long_line_without_newlines_resynchronises() {
        let old: String = (0..20_000).map(|i| format!("v{i},")).collect();
        let new = old.replacen("v5000,", "v5000,inserted,", 1);
        let blocks = check(old.as_bytes(), new.as_bytes());
        // Without newlines the walk resumes at most `STEP` bytes past the edit.
        assert!(shared(&blocks) >= old.len() - STEP, "{blocks:?}");
    }

    /// The search as it was before `Search`: both probes searched over all of `LOOK_AHEAD`.
    fn resynchronise_in_full(old: &[u8], new: &[u8], o: usize, n: usize) -> Option<(usize, usize)> {
        let find_ahead = |data: &[u8], from: usize, needle: &[u8]| {
            let hay = &data[from..(from + LOOK_AHEAD).min(data.len())];
            memchr::memmem::find(hay, needle).map(|i| from + i)
        };
        let (mut po, mut pn) = (o, n);
        for _ in 0..TRIES {
            po = next_probe_start(old, po);
            pn = next_probe_start(new, pn);
            let inserted = probe(old, po).and_then(|p| find_ahead(new, n, p).map(|at| (po, at)));
            let deleted = probe(new, pn).and_then(|p| find_ahead(old, o, p).map(|at| (at, pn)));
            let best = [inserted, deleted]
                .into_iter()
                .flatten()
                .min_by_key(|&(a, b)| (a - o) + (b - n));
            if best.is_some() {
                return best;
            }
            if po >= old.len() && pn >= new.len() {
                return None;
            }
        }
        None
    }

    /// The windowed search meets where the full one did, at every parting of versions made of
    /// random edits: insertions and deletions of a few bytes to 200 KB (past the first windows),
    /// repeated lines (many candidates for a probe), long lines, and ties between an insertion and
    /// a deletion.
    #[test]
    fn windowed_search_meets_where_the_full_search_did() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut rand = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let mut partings = 0;
        for round in 0..300 {
            let line_kinds = 1 + rand(40);
            let mut old = Vec::new();
            for _ in 0..(50 + rand(3000)) {
                let k = rand(line_kinds);
                if round % 7 == 0 && rand(10) == 0 {
                    old.extend(std::iter::repeat_n(b'x', 600 + rand(2000)));
                }
                old.extend_from_slice(format!("    value {k} = {};\n", k * 31 % 17).as_bytes());
            }
            let mut new = old.clone();
            for _ in 0..(1 + rand(6)) {
                let at = rand(new.len());
                match rand(4) {
                    0 => {
                        let len = rand(200_000).min(new.len() - at);
                        new.drain(at..at + len);
                    }
                    1 => {
                        let len = rand(40);
                        new.drain(at..(at + len).min(new.len()));
                    }
                    2 => {
                        let block: Vec<u8> = (0..rand(200_000)).map(|i| b"ab\nc"[i % 4]).collect();
                        new.splice(at..at, block);
                    }
                    _ => {
                        let from = rand(old.len());
                        let piece = old[from..(from + rand(5000)).min(old.len())].to_vec();
                        new.splice(at..at, piece);
                    }
                }
            }
            for (a, b) in [(&old, &new), (&new, &old)] {
                let (mut o, mut n) = (0, 0);
                loop {
                    let run = common_prefix(&a[o..], &b[n..]);
                    (o, n) = (o + run, n + run);
                    if o == a.len() || n == b.len() {
                        break;
                    }
                    partings += 1;
                    let want = resynchronise_in_full(a, b, o, n);
                    assert_eq!(resynchronise(a, b, o, n), want, "round {round} at {o}, {n}");
                    match want {
                        Some(next) => (o, n) = next,
                        None => break,
                    }
                }
            }
        }
        assert!(partings > 1000, "{partings}");
    }
}
