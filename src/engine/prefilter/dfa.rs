//! The keyword automaton: an Aho-Corasick DFA of our own over ASCII-case-folded keywords, built in
//! one breadth-first pass, and its walk, which runs four interleaved walks over a long text.
//!
//! Why our own (docs/engine.md, "The keyword automaton"): the walk is bound by the latency of one
//! table load per byte, each depending on the last; four independent walks over four parts of
//! the text keep four loads in flight. And the table is dense over the keywords' own bytes (56
//! classes for the catalog, not a power of two) with match states last, so that a transition is
//! one load and "is this a match" one comparison; built breadth-first, it costs a few million
//! instructions where `aho_corasick`'s DFA cost ~80M (start-up of every scan).

/// Text shorter than this is walked once; longer text in `STREAMS` parts. Each part but the last
/// walks `longest - 1` bytes past its end (a keyword starting in it may end in the next), so parts
/// must be long against that.
const MIN_SPLIT: usize = 1024;
/// Walks interleaved over one text: enough to hide most of a load's latency (two give 1.8x the
/// speed of one on the generated tree, four 2.2x, six 2.3x).
const STREAMS: usize = 4;

/// The automaton. State IDs are premultiplied (a state's ID is the offset of its row in `trans`)
/// and the start state is 0. The states that end some keyword come last, from `first_match` (a
/// power of two) on.
pub(super) struct KeywordDfa {
    /// Per byte, its class: 0 for bytes in no keyword, upper case ASCII as its lower case.
    classes: [u8; 256],
    /// Per state, per class: the next state. `stride` classes per row.
    trans: Vec<u32>,
    stride: usize,
    first_match: u32,
    /// Per match state (in order of ID): its range in `patterns`, the keywords that end there.
    match_ends: Vec<u32>,
    patterns: Vec<u32>,
    /// Per keyword, its length; and the longest.
    lengths: Vec<u32>,
    longest: usize,
}

/// Bulk tables of the automaton with its trie's state numbers, before they are renumbered.
const NONE: u32 = 0;

/// The byte classes of `keywords`: one class per distinct ASCII-folded byte they use, numbered in
/// byte order from 1 (0: every byte no keyword holds), upper case letters sharing their lower
/// case's; and the number of classes, a state's row length.
fn byte_classes<K: AsRef<[u8]>>(keywords: &[K]) -> ([u8; 256], usize) {
    let mut classes = [0u8; 256];
    let mut used = [false; 256];
    for k in keywords {
        for &b in k.as_ref() {
            used[b.to_ascii_lowercase() as usize] = true;
        }
    }
    // At most 230 distinct folded bytes (never the 26 upper case letters), so classes fit a u8.
    let mut stride = 1;
    for b in 0..=255u8 {
        if used[b as usize] {
            classes[b as usize] = stride as u8;
            stride += 1;
        }
    }
    for b in b'A'..=b'Z' {
        classes[b as usize] = classes[b.to_ascii_lowercase() as usize];
    }
    (classes, stride)
}

impl KeywordDfa {
    /// Matches `keywords` (their ASCII letters in either case) with Standard semantics: every
    /// occurrence of every keyword (but the empty one, never found). Panics only if the table
    /// would outgrow 32-bit offsets (~18M keyword bytes; memory would give out first).
    ///
    /// Built in two passes, each writing its final form (docs/engine.md, "The 150 MB/s floor,
    /// fourth round"): the trie from the keywords in order of their folded bytes, so that each
    /// state's children come in class order as linked lists (no dense row per trie state); then,
    /// breadth first, each state's row in the final table, at its final ID: a copy of its
    /// failure state's row (shallower, so complete) with its children written over it. A child's
    /// failure state is what the copied row held for its byte, so whether the child is a match
    /// state (it ends a keyword, or its failure state is one) is known when its parent is
    /// written, and it is given the next ID of its kind then: non-match states breadth first from
    /// 0, match states breadth first from `first_match`. That is the layout the builder before
    /// this one reached by renumbering a finished table (`new_reference`, the test's oracle),
    /// but for `first_match`, now the power of two past all states rather than past the
    /// non-match ones (address space only: the gap is never written or read).
    #[cfg(test)]
    pub(super) fn new<K: AsRef<[u8]>>(keywords: &[K]) -> KeywordDfa {
        let order: Vec<u32> = (0..keywords.len() as u32).collect();
        KeywordDfa::new_in(keywords, &order)
    }

    /// `new`, sorting the keywords from `order` (every pattern once; any order gives the same
    /// automaton): the prefilter's byte order, which the folded order differs from only where a
    /// keyword holds an upper case letter, so the sort (adaptive: it finds the sorted runs) has
    /// little to do (docs/engine.md, "Stop 40").
    pub(super) fn new_in<K: AsRef<[u8]>>(keywords: &[K], order: &[u32]) -> KeywordDfa {
        debug_assert_eq!(order.len(), keywords.len());
        let (classes, stride) = byte_classes(keywords);
        let folded = |p: u32| {
            keywords[p as usize]
                .as_ref()
                .iter()
                .map(|&b| classes[b as usize])
        };

        // The trie. Keywords in order of their classes (classes are numbered in byte order, so
        // this is the order of the folded bytes; stable, so keywords that fold alike keep their
        // order): a keyword shares with the one before exactly their common prefix, its new
        // states are appended, and each state's children are appended in class order. A keyword
        // ends at a new state, or at its predecessor's (the same folded bytes).
        // Compared on their first eight classes as one number first (big-endian, zero-padded:
        // class 0 is in no keyword, so a shorter keyword sorts first, as in the classes' own
        // order), the whole keywords only on a tie: comparing the mapped bytes one by one was
        // ~1.2M instructions of every start.
        let head = |p: u32| {
            let mut b = [0u8; 8];
            for (d, c) in b.iter_mut().zip(folded(p)) {
                *d = c;
            }
            u64::from_be_bytes(b)
        };
        let mut keyed: Vec<(u64, u32)> = order
            .iter()
            .copied()
            .filter(|&p| !keywords[p as usize].as_ref().is_empty())
            .map(|p| (head(p), p))
            .collect();
        // Ties (keywords that fold alike) in order of pattern, as the stable sort of the patterns
        // in order left them: with that last key the order is total, whatever `order` was.
        keyed.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| folded(a.1).cmp(folded(b.1)))
                .then(a.1.cmp(&b.1))
        });
        let sorted: Vec<u32> = keyed.into_iter().map(|(_, p)| p).collect();
        // Per trie state: its class, first child, next sibling, last child, and the range of
        // `end_patterns` that end there.
        let mut class_of: Vec<u8> = vec![0];
        let mut first_child: Vec<u32> = vec![NONE];
        let mut sibling: Vec<u32> = vec![NONE];
        let mut last_child: Vec<u32> = vec![NONE];
        let mut own: Vec<(u32, u32)> = vec![(0, 0)];
        let mut end_patterns: Vec<u32> = Vec::with_capacity(sorted.len());
        // The states along the previous keyword, the start state first.
        let mut path: Vec<u32> = vec![0];
        let mut previous: &[u8] = &[];
        for &p in &sorted {
            let k = keywords[p as usize].as_ref();
            let common = k
                .iter()
                .zip(previous)
                .take_while(|&(&a, &b)| classes[a as usize] == classes[b as usize])
                .count();
            path.truncate(common + 1);
            for &b in &k[common..] {
                let parent = *path.last().expect("the start state") as usize;
                let v = class_of.len() as u32;
                class_of.push(classes[b as usize]);
                first_child.push(NONE);
                sibling.push(NONE);
                last_child.push(NONE);
                own.push((0, 0));
                match last_child[parent] {
                    NONE => first_child[parent] = v,
                    last => sibling[last as usize] = v,
                }
                last_child[parent] = v;
                path.push(v);
            }
            let end = *path.last().expect("the start state") as usize;
            if own[end].1 == 0 {
                own[end].0 = end_patterns.len() as u32;
            }
            end_patterns.push(p);
            own[end].1 += 1;
            previous = k;
        }
        let states = class_of.len();

        // The table, breadth first (see above). `id[u]`: trie state u's final ID.
        let first_match = (states * stride).next_power_of_two();
        let mut plain = 0usize;
        let mut matches = 0usize;
        let mut id = vec![0u32; states];
        // Room for every state as a match state: zeroed pages that are never written are never
        // touched (a large `calloc` maps them), and the table is cut to its length at the end.
        let mut trans: Vec<u32> = vec![0; first_match + states * stride];
        let mut fail_id = vec![0u32; states];
        let mut match_ends: Vec<u32> = vec![0];
        let mut patterns: Vec<u32> = Vec::with_capacity(end_patterns.len());
        let mut order: Vec<u32> = Vec::with_capacity(states);
        order.push(0);
        plain += 1;
        let mut at = 0;
        while at < order.len() {
            let u = order[at] as usize;
            at += 1;
            let row = id[u] as usize;
            if u != 0 {
                let f = fail_id[u] as usize;
                trans.copy_within(f..f + stride, row);
            }
            let mut v = first_child[u];
            while v != NONE {
                let c = class_of[v as usize] as usize;
                // The failure state of v: the failure row's transition on v's byte (the start
                // state for the start state's children, whose row began empty).
                let f = trans[row + c];
                let (s, l) = own[v as usize];
                let new_id = if l > 0 || f as usize >= first_match {
                    patterns.extend_from_slice(&end_patterns[s as usize..(s + l) as usize]);
                    if f as usize >= first_match {
                        let m = (f as usize - first_match) / stride;
                        patterns
                            .extend_from_within(match_ends[m] as usize..match_ends[m + 1] as usize);
                    }
                    match_ends.push(patterns.len() as u32);
                    matches += 1;
                    first_match + (matches - 1) * stride
                } else {
                    plain += 1;
                    (plain - 1) * stride
                };
                id[v as usize] = new_id as u32;
                fail_id[v as usize] = f;
                trans[row + c] = new_id as u32;
                order.push(v);
                v = sibling[v as usize];
            }
        }
        let len = if matches > 0 {
            first_match + matches * stride
        } else {
            plain * stride
        };
        assert!(
            u32::try_from(len).is_ok() && plain * stride <= first_match,
            "keyword automaton too large ({states} states)"
        );
        trans.truncate(len);
        // Every transition is one of these: what makes `step`'s unchecked load sound, checked
        // rather than trusted.
        assert!(
            id.iter().all(|&i| i as usize + stride <= len),
            "keyword automaton: a state outside the table"
        );
        let lengths: Vec<u32> = keywords.iter().map(|k| k.as_ref().len() as u32).collect();
        KeywordDfa {
            classes,
            trans,
            stride,
            first_match: first_match as u32,
            match_ends,
            patterns,
            longest: lengths.iter().copied().max().unwrap_or(0) as usize,
            lengths,
        }
    }

    #[cfg(test)]
    /// The builder `new` replaced (trie as dense rows, then failure rows, then renumbered), kept
    /// as the differential test's oracle.
    /// Matches `keywords` (their ASCII letters in either case) with Standard semantics: every
    /// occurrence of every keyword (but the empty one, never found). Panics only if the table would outgrow 32-bit offsets (~18M
    /// keyword bytes; memory would give out first).
    pub(super) fn new_reference<K: AsRef<[u8]>>(keywords: &[K]) -> KeywordDfa {
        let (classes, stride) = byte_classes(keywords);

        // The trie, one row of `stride` children per state (NONE: no child; the start state, 0,
        // is no one's child), and for each keyword the state where it ends.
        let mut next: Vec<u32> = vec![NONE; stride];
        let mut ends: Vec<(u32, u32)> = Vec::with_capacity(keywords.len());
        for (pattern, k) in keywords.iter().enumerate() {
            // An empty keyword would make the start state a match state; rules have none.
            if k.as_ref().is_empty() {
                continue;
            }
            let mut s = 0usize;
            for &b in k.as_ref() {
                let slot = s * stride + classes[b as usize] as usize;
                s = match next[slot] {
                    NONE => {
                        let id = next.len() / stride;
                        next[slot] = id as u32;
                        next.resize(next.len() + stride, NONE);
                        id
                    }
                    child => child as usize,
                };
            }
            ends.push((s as u32, pattern as u32));
        }
        let states = next.len() / stride;
        ends.sort_unstable();

        // Breadth first, so that a state's failure state (shallower) is complete before it: a
        // missing child is the failure state's transition, and a child's failure state is the
        // failure state's transition on the child's byte. Rows are filled in place.
        let mut fail = vec![0u32; states];
        let mut order: Vec<u32> = Vec::with_capacity(states);
        order.push(0);
        let mut children: Vec<(usize, u32)> = Vec::with_capacity(stride);
        let mut at = 0;
        while at < order.len() {
            let u = order[at] as usize;
            at += 1;
            let row = u * stride;
            children.clear();
            children.extend(
                next[row..row + stride]
                    .iter()
                    .enumerate()
                    .filter(|&(_, &v)| v != NONE)
                    .map(|(c, &v)| (c, v)),
            );
            if u != 0 {
                let f = fail[u] as usize * stride;
                next.copy_within(f..f + stride, row);
            }
            for &(c, v) in &children {
                fail[v as usize] = if u == 0 { 0 } else { next[row + c] };
                next[row + c] = v;
                order.push(v);
            }
        }

        // What ends at each state: its own keywords, then its failure state's (a suffix).
        // `ends` sorted by state: state u's own keywords are ends[own[u]..own[u + 1]].
        let mut own = vec![0u32; states + 1];
        for &(u, _) in &ends {
            own[u as usize + 1] += 1;
        }
        for u in 0..states {
            own[u + 1] += own[u];
        }
        let mut span = vec![(0u32, 0u32); states];
        let mut outputs: Vec<u32> = Vec::new();
        for &u in &order {
            let start = outputs.len();
            let mine = &ends[own[u as usize] as usize..own[u as usize + 1] as usize];
            outputs.extend(mine.iter().map(|&(_, p)| p));
            if u != 0 {
                let (fs, fl) = span[fail[u as usize] as usize];
                outputs.extend_from_within(fs as usize..(fs + fl) as usize);
            }
            span[u as usize] = (start as u32, (outputs.len() - start) as u32);
        }

        // Renumber: non-match states breadth first (the shallow ones, where text mostly leaves
        // the walk, share cache lines), then the match states.
        let is_match = |u: u32| span[u as usize].1 > 0;
        let layout: Vec<u32> = order
            .iter()
            .copied()
            .filter(|&u| !is_match(u))
            .chain(order.iter().copied().filter(|&u| is_match(u)))
            .collect();
        let plain = order.iter().filter(|&&u| !is_match(u)).count();
        // The match rows start at a power of two, so that whether any of several states is a
        // match is one test of their OR (`to_match_in_step`); the gap before them is address
        // space only, never written or read.
        let first_match = (plain * stride).next_power_of_two();
        let offset = |i: usize| -> usize {
            if i < plain {
                i * stride
            } else {
                first_match + (i - plain) * stride
            }
        };
        let len = offset(states);
        assert!(
            u32::try_from(len).is_ok(),
            "keyword automaton too large ({states} states)"
        );
        let mut new_id = vec![0u32; states];
        for (i, &u) in layout.iter().enumerate() {
            new_id[u as usize] = offset(i) as u32;
        }
        // Every transition is one of these: what makes `step`'s unchecked load sound, checked
        // rather than trusted.
        assert!(
            new_id.iter().all(|&id| id as usize + stride <= len),
            "keyword automaton: a state outside the table"
        );
        let mut trans = vec![0u32; len];
        let mut match_ends = Vec::with_capacity(states - plain + 1);
        let mut patterns = Vec::with_capacity(outputs.len());
        match_ends.push(0);
        for (i, &u) in layout.iter().enumerate() {
            let row = u as usize * stride;
            let at = offset(i);
            for (to, &from) in trans[at..at + stride]
                .iter_mut()
                .zip(&next[row..row + stride])
            {
                *to = new_id[from as usize];
            }
            if i >= plain {
                let (s, l) = span[u as usize];
                patterns.extend_from_slice(&outputs[s as usize..(s + l) as usize]);
                match_ends.push(patterns.len() as u32);
            }
        }
        let lengths: Vec<u32> = keywords.iter().map(|k| k.as_ref().len() as u32).collect();
        KeywordDfa {
            classes,
            trans,
            stride,
            first_match: first_match as u32,
            match_ends,
            patterns,
            longest: lengths.iter().copied().max().unwrap_or(0) as usize,
            lengths,
        }
    }

    /// The keywords that end in match state `s`.
    fn ending_at(&self, s: u32) -> &[u32] {
        let m = ((s - self.first_match) as usize) / self.stride;
        &self.patterns[self.match_ends[m] as usize..self.match_ends[m + 1] as usize]
    }

    /// Appends to `out`, in order of start, every position in `hay` where a keyword starts, with
    /// the longest keyword starting there, as (keyword, `from` + position). Every occurrence of
    /// every keyword is seen where it ends (start = end - length). The keywords that start at one
    /// position are prefixes of one another, so they end in order of length: the last one seen
    /// for a start is its longest. Occurrences arrive by end, hence at most `longest` bytes out of
    /// start order: each is put in place by a walk back over the few entries that start later.
    ///
    /// Long text is cut in `STREAMS` parts walked in step: part i reports the keywords starting
    /// in it, walking on until the last of them has ended. A walk from the start state at some
    /// position finds every occurrence starting there or later, so each part finds exactly its own.
    pub(super) fn hits(&self, hay: &[u8], from: usize, out: &mut Vec<(u32, usize)>) {
        let floor = out.len();
        let n = hay.len();
        if n < MIN_SPLIT.max(STREAMS * self.longest * 4) {
            let mut s = 0;
            let mut at = 0;
            while let Some(i) = self.to_match(&mut s, &hay[at..]) {
                at += i;
                for &p in self.ending_at(s) {
                    place(out, floor, p, from + at - self.lengths[p as usize] as usize);
                }
            }
            return;
        }
        let part = n / STREAMS;
        // Part i: starts in [begin[i], limit[i]), walked up to stop[i].
        let begin: [usize; STREAMS] = std::array::from_fn(|i| i * part);
        let limit: [usize; STREAMS] =
            std::array::from_fn(|i| if i + 1 == STREAMS { n } else { (i + 1) * part });
        let stop: [usize; STREAMS] =
            std::array::from_fn(|i| (limit[i] + self.longest.saturating_sub(1)).min(n));
        let texts: [&[u8]; STREAMS] = std::array::from_fn(|i| &hay[begin[i]..stop[i]]);
        let common = texts.iter().map(|t| t.len()).min().unwrap_or(0);
        // Part 0's keywords go to `out` as found; the others' to their own lists, each kept in
        // order as `out` is (a part's starts all come before the next part's), appended after it.
        // They come nearly in order (by end), so each is placed a step or two from its list's
        // end; sorting them all at the end cost 3% of the pathological input's instructions.
        let mut later: [Vec<(u32, usize)>; STREAMS - 1] = std::array::from_fn(|_| Vec::new());
        let mut found = |i: usize, s: u32, end: usize| {
            for &p in self.ending_at(s) {
                let start = begin[i] + end - self.lengths[p as usize] as usize;
                if start < limit[i] {
                    if i == 0 {
                        place(out, floor, p, from + start);
                    } else {
                        place(&mut later[i - 1], 0, p, from + start);
                    }
                }
            }
        };
        let mut s = [0u32; STREAMS];
        let heads = texts.map(|t| &t[..common]);
        let mut at = 0;
        while let Some(k) = self.to_match_in_step(&mut s, &heads, at) {
            at = k;
            for (i, &si) in s.iter().enumerate() {
                if si >= self.first_match {
                    found(i, si, at);
                }
            }
        }
        for (i, text) in texts.iter().enumerate() {
            let mut at = common;
            while let Some(k) = self.to_match(&mut s[i], &text[at..]) {
                at += k;
                found(i, s[i], at);
            }
        }
        for part in later {
            out.extend(part);
        }
    }

    /// One transition: the byte's class, one table load.
    #[inline(always)]
    fn step(&self, s: usize, b: u8) -> usize {
        let at = s + self.classes[b as usize] as usize;
        debug_assert!(at < self.trans.len());
        // SAFETY: `s` is 0 or an entry of `trans`, a state's row, which `new` checked ends
        // within `trans`; classes are below `stride`. (Unchecked: the bounds check is
        // two of the five instructions a byte costs.)
        unsafe { *self.trans.get_unchecked(at) as usize }
    }

    /// Steps the walks `s` through `texts` (of one length) in step from `at`, until some walk
    /// enters a match state, and says where that was (the position after the byte). Its own
    /// function, so that its four states and pointers stay in registers.
    #[inline(never)]
    fn to_match_in_step(
        &self,
        s: &mut [u32; STREAMS],
        texts: &[&[u8]; STREAMS],
        at: usize,
    ) -> Option<usize> {
        let [mut s0, mut s1, mut s2, mut s3] = s.map(|x| x as usize);
        let first_match = self.first_match as usize;
        let [t0, t1, t2, t3] = texts.map(|t| &t[at..]);
        let n = t0.len();
        let (t1, t2, t3) = (&t1[..n], &t2[..n], &t3[..n]);
        // Any state at or past `first_match` (a power of two) shows in their OR.
        let mut k = 0;
        while k < n {
            s0 = self.step(s0, t0[k]);
            s1 = self.step(s1, t1[k]);
            s2 = self.step(s2, t2[k]);
            s3 = self.step(s3, t3[k]);
            k += 1;
            if s0 | s1 | s2 | s3 >= first_match {
                *s = [s0, s1, s2, s3].map(|x| x as u32);
                return Some(at + k);
            }
        }
        *s = [s0, s1, s2, s3].map(|x| x as u32);
        None
    }

    /// Steps `s` through `hay` until it enters a match state, and says how many bytes that took.
    /// Per byte: its class, one table load, one comparison; unrolled by eight so that its few
    /// values stay in registers.
    #[inline(never)]
    fn to_match(&self, s: &mut u32, hay: &[u8]) -> Option<usize> {
        let mut sid = *s as usize;
        let first_match = self.first_match as usize;
        let mut chunks = hay.chunks_exact(8);
        let mut at = 0;
        for chunk in &mut chunks {
            let bytes: [u8; 8] = chunk.try_into().expect("chunks of eight");
            for (k, b) in bytes.into_iter().enumerate() {
                sid = self.step(sid, b);
                if sid >= first_match {
                    *s = sid as u32;
                    return Some(at + k + 1);
                }
            }
            at += 8;
        }
        for &b in chunks.remainder() {
            sid = self.step(sid, b);
            at += 1;
            if sid >= first_match {
                *s = sid as u32;
                return Some(at);
            }
        }
        *s = sid as u32;
        None
    }
}

/// Records keyword `pattern` starting at `start` in `out[floor..]`, kept sorted by start with one
/// entry per start: the longest keyword (the later of two at one start is the longer).
fn place(out: &mut Vec<(u32, usize)>, floor: usize, pattern: u32, start: usize) {
    let mut j = out.len();
    while j > floor && out[j - 1].1 > start {
        j -= 1;
    }
    match out.get_mut(j.wrapping_sub(1)) {
        Some(last) if j > floor && last.1 == start => last.0 = pattern,
        _ => out.insert(j, (pattern, start)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `a` and `b` are the same automaton up to state IDs: from the start states,
    /// every transition leads to states that correspond, the same keywords end in corresponding
    /// states, and the non-match states have the same IDs (both number them breadth first from
    /// 0; only where the match states begin may differ).
    fn same_automaton(a: &KeywordDfa, b: &KeywordDfa) {
        assert_eq!(a.classes, b.classes);
        assert_eq!(a.stride, b.stride);
        assert_eq!(a.lengths, b.lengths);
        assert_eq!(a.longest, b.longest);
        let stride = a.stride;
        let mut seen: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        let mut queue = vec![(0u32, 0u32)];
        seen.insert(0, 0);
        while let Some((sa, sb)) = queue.pop() {
            let ma = sa >= a.first_match;
            assert_eq!(ma, sb >= b.first_match, "states {sa} / {sb}: match or not");
            if ma {
                assert_eq!(a.ending_at(sa), b.ending_at(sb), "states {sa} / {sb}");
                assert_eq!(
                    (sa - a.first_match) / stride as u32,
                    (sb - b.first_match) / stride as u32,
                    "match states in one order"
                );
            } else {
                assert_eq!(sa, sb, "non-match states numbered alike");
            }
            for c in 0..stride {
                let (ta, tb) = (a.trans[sa as usize + c], b.trans[sb as usize + c]);
                match seen.get(&ta) {
                    Some(&t) => assert_eq!(t, tb, "from {sa} / {sb} on class {c}"),
                    None => {
                        seen.insert(ta, tb);
                        queue.push((ta, tb));
                    }
                }
            }
        }
        // One state of `b` per state of `a` (every state of either is reached from the start:
        // each lies on its keyword's path).
        let partners: std::collections::HashSet<u32> = seen.values().copied().collect();
        assert_eq!(
            partners.len(),
            seen.len(),
            "two states of one table for one of the other"
        );
    }

    #[test]
    fn the_builder_makes_the_automaton_the_reference_builder_makes() {
        // The builder writes each row once, at its final ID, where the one before it built the
        // trie as dense rows and renumbered the finished table; both must make one automaton.
        // Keywords that fold alike, prefixes, suffixes, one-byte and non-ASCII ones, none.
        let sets: Vec<Vec<&str>> = vec![
            vec![],
            vec![""],
            vec!["a"],
            vec![
                "token", "Token", "tok", "oken", "ken", "k", "api_key", "_key", "key",
            ],
            vec![
                "aa", "aaaa", "aab", "a", "b", "ba", "Éa", "é", "\u{0}", "\u{7f}",
            ],
            vec![
                "sk-", "SK-", "s", "sk", "sk-live", "live", "iv", "e", "-", "--", "---",
            ],
        ];
        for words in &sets {
            same_automaton(&KeywordDfa::new(words), &KeywordDfa::new_reference(words));
        }
        let set = crate::rules::RuleSet::builtin().expect("built-in rules load");
        let mut content: Vec<String> = Vec::new();
        let mut path: Vec<String> = Vec::new();
        for r in &set.rules {
            let to = if r.path.is_some() {
                &mut path
            } else {
                &mut content
            };
            for k in &r.keywords {
                if !to.contains(k) {
                    to.push(k.clone());
                }
            }
        }
        assert!(content.len() > 1000, "{} keywords", content.len());
        for words in [&content, &path] {
            same_automaton(&KeywordDfa::new(words), &KeywordDfa::new_reference(words));
            // In another order too (pattern numbers follow the list).
            let reversed: Vec<&String> = words.iter().rev().collect();
            same_automaton(
                &KeywordDfa::new(&reversed),
                &KeywordDfa::new_reference(&reversed),
            );
            // Sorted from any order (`new_in`): backwards, and in byte order (the prefilter's).
            let backwards: Vec<u32> = (0..words.len() as u32).rev().collect();
            let mut by_bytes = backwards.clone();
            by_bytes.sort_by_key(|&p| words[p as usize].as_bytes());
            for order in [&backwards, &by_bytes] {
                same_automaton(
                    &KeywordDfa::new_in(words, order),
                    &KeywordDfa::new_reference(words),
                );
            }
        }
    }
}
