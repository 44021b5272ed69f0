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
/// bytes skipped in both) at which a probe from one version is found in the other.
fn resynchronise(old: &[u8], new: &[u8], o: usize, n: usize) -> Option<(usize, usize)> {
    let (mut po, mut pn) = (o, n);
    for _ in 0..TRIES {
        po = next_probe_start(old, po);
        pn = next_probe_start(new, pn);
        // An insertion in `new`: old resumes at `po`, somewhere ahead in new.
        let inserted = probe(old, po).and_then(|p| find_ahead(new, n, p).map(|at| (po, at)));
        // A deletion from `old`: new resumes at `pn`, somewhere ahead in old.
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

fn find_ahead(data: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = &data[from..(from + LOOK_AHEAD).min(data.len())];
    memchr::memmem::find(hay, needle).map(|i| from + i)
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
}
