//! The keyword pass: one Aho-Corasick automaton over the rules' keywords, and where it found them.

mod dfa;

use super::Workload;
use dfa::KeywordDfa;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// How many bytes a `Workload::FewBytes` engine searches for keywords without an automaton. A
/// staged scan reads a few kilobytes, and building the automaton over ~1,350 keywords costs a few
/// million instructions, more than the table lookup spends on them; past this, bulk input after
/// all, it is built.
const SMALL_BYTES: usize = 1 << 20;

/// A keyword automaton, and for each keyword the rules it stands for.
pub(super) struct Prefilter {
    /// Built ahead for bulk work; for a few bytes, only once they stop being few.
    automaton: OnceLock<KeywordDfa>,
    /// The keywords one after the other, pattern by pattern (`keyword`).
    text: String,
    /// The patterns in byte order of their keywords (what the automaton sorts from).
    order: Vec<u32>,
    /// For few bytes: the keywords without an automaton.
    small: Option<Small>,
    /// Bytes searched so far without the automaton.
    searched: AtomicUsize,
    /// Per pattern, its range of `rules` (`rules_of`).
    rules: Vec<usize>,
    rules_at: Vec<(u32, u32)>,
    /// Per pattern, its length in bytes; and the longest.
    lengths: Vec<usize>,
    /// Per pattern, its length up to a line break after its first byte (`keyword_line_len`).
    line_lengths: Vec<usize>,
    pub(super) longest: usize,
    /// Per pattern: the longest keyword it starts with (itself included) that a rule without a
    /// path filter has, or `NONE`: what the content rules read at a position where it is found.
    content_at: Vec<u32>,
    /// Per pattern: the longest keyword it starts with (itself included) that a rule with a path
    /// filter has, or `NONE`; the next shorter one is `path_at[parent[k]]`.
    path_at: Vec<u32>,
    /// Per pattern: the longest keyword it starts with, itself excluded, or `NONE`.
    parent: Vec<u32>,
    /// Per pattern: the rules with a path filter that have it themselves (not through a prefix).
    path_own: Vec<Vec<u32>>,
    /// Per pattern: `bloom` of every path rule whose keyword it starts with (itself included):
    /// where it shares no bit with the admitted rules' (`path_keyword`), none of them reads the
    /// hit, and the walk up its keywords (`path_keyword_from`) is not taken.
    path_bloom: Vec<u64>,
}

/// A set of rules as 64 bits (rule `r` sets bit `r % 64`): two sets that share no bit share no
/// rule; sharing one says they may.
pub(super) fn bloom(rules: &[u32]) -> u64 {
    rules.iter().fold(0, |b, &r| b | 1 << (r % 64))
}

/// No such pattern.
const NONE: u32 = u32::MAX;

/// `pairs` (keyword, rule) sorted, and where each keyword's begin: keyword i's are
/// `sorted[at[i]..at[i + 1]]`, in order of rule. The same as `sort_unstable` and counting, by a
/// counting sort on the keyword (`n` of them): the engine lists the pairs rule by rule, so each
/// keyword's rules come in order already (a keyword whose do not is sorted apart). The sort was
/// 0.83M instructions of every start (docs/engine.md, "Stop 40").
fn group_by_keyword(pairs: &[(u32, usize)], n: usize) -> (Vec<(u32, usize)>, Vec<usize>) {
    let mut at = vec![0usize; n + 1];
    for &(i, _) in pairs {
        at[i as usize + 1] += 1;
    }
    for i in 0..n {
        at[i + 1] += at[i];
    }
    let mut next = at.clone();
    let mut sorted = vec![(0u32, 0usize); pairs.len()];
    for &(i, r) in pairs {
        sorted[next[i as usize]] = (i, r);
        next[i as usize] += 1;
    }
    for i in 0..n {
        let part = &mut sorted[at[i]..at[i + 1]];
        if !part.is_sorted() {
            part.sort_unstable();
        }
    }
    (sorted, at)
}

/// A hasher for the keyword table (`Prefilter::build_split`): keywords are the rules' own, not
/// input, so no defence against chosen collisions is needed, and SipHash cost ~190 instructions a
/// lookup. FxHash's step (rustc's): a word at a time, rotate, xor, multiply.
#[derive(Clone, Copy, Default)]
struct KeyHash;

#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::BuildHasher for KeyHash {
    type Hasher = KeyHasher;
    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(0)
    }
}

impl KeyHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Prefilter {
    #[cfg(test)]
    pub(super) fn build<'a>(
        pairs: impl Iterator<Item = (usize, &'a String)>,
        workload: Workload,
    ) -> Option<Prefilter> {
        Prefilter::build_split(pairs, workload, |_| false)
    }

    /// `build`, knowing which rules have a path filter (`path_rule`): their keywords are searched
    /// in the same pass as every other rule's, and each hit read twice, as the longest keyword
    /// there that a rule without a path filter has (`content_keyword`) and as the longest that
    /// one of the path rules a file's path admits has (`path_keyword`): what two automata, one
    /// of each kind's keywords, would report (docs/engine.md, "Stop 24: path scopes and keywords").
    pub(super) fn build_split<'a>(
        pairs: impl Iterator<Item = (usize, &'a String)>,
        workload: Workload,
        path_rule: impl Fn(usize) -> bool,
    ) -> Option<Prefilter> {
        let mut keywords: Vec<&str> = Vec::new();
        // Sized for every pair up front: growing the table rehashed it (0.9M instructions).
        let pairs: Vec<(usize, &String)> = pairs.collect();
        // Hashed with `KeyHash`, not SipHash: ~4,500 lookups of short keywords at every start
        // (0.85M instructions with SipHash; docs/engine.md, "Stop 40").
        let mut index: std::collections::HashMap<&str, u32, KeyHash> =
            std::collections::HashMap::with_capacity_and_hasher(pairs.len(), KeyHash);
        // (keyword, rule) per pair, grouped by keyword: a `Vec` of rules per keyword was ~2,900
        // allocations of every start (with `rules_of`'s and the keywords' own copies, ~9,000 of
        // start-up's ~22,000 mallocs; docs/engine.md, "Stop 25").
        let mut found: Vec<(u32, usize)> = Vec::with_capacity(pairs.len());
        for (rule, kw) in pairs {
            let i = *index.entry(kw.as_str()).or_insert_with(|| {
                keywords.push(kw);
                (keywords.len() - 1) as u32
            });
            found.push((i, rule));
        }
        if keywords.is_empty() {
            return None;
        }
        let n = keywords.len();
        // Keyword i's own rules: own[own_at[i]..own_at[i + 1]], in order of rule.
        let (own, own_at) = group_by_keyword(&found, n);
        // A position is reported with the longest keyword starting there, so what it hides is
        // exactly the keywords that are proper prefixes of that one: those ride along. In byte
        // order a keyword's prefixes come before it, and every keyword between a prefix and it
        // starts with that prefix too; so on a stack of keywords, each a prefix of the next,
        // popped until its top is a prefix of the keyword at hand, the top is that keyword's
        // longest proper prefix among the keywords, whose rules already carry the shorter ones'.
        // (Looking up every prefix of every keyword in a hash map cost ~3M instructions of
        // start-up; testing every pair for containment, keywords² substring searches, a third.)
        // Sorted on their first eight bytes as one number first (big-endian, zero-padded: the
        // same order as the bytes'), the whole keywords compared only on a tie: a comparison
        // through two indirections and `memcmp` per step (0.8M instructions of every start).
        let head = |k: &str| {
            let mut b = [0u8; 8];
            let n = k.len().min(8);
            b[..n].copy_from_slice(&k.as_bytes()[..n]);
            u64::from_be_bytes(b)
        };
        let mut keyed: Vec<(u64, usize)> = (0..n).map(|i| (head(keywords[i]), i)).collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| keywords[a.1].cmp(keywords[b.1])));
        // Kept: the automaton sorts the keywords by their folded bytes from this order.
        let order: Vec<u32> = keyed.into_iter().map(|(_, i)| i as u32).collect();
        let sorted = order.iter().map(|&i| i as usize);
        // Every keyword's rules in one vector, each keyword's a range of it (see `rules_of`).
        let mut rules: Vec<usize> = Vec::with_capacity(own.len() * 2);
        let mut rules_at: Vec<(u32, u32)> = vec![(0, 0); n];
        let (mut content_at, mut path_at, mut parent) =
            (vec![NONE; n], vec![NONE; n], vec![NONE; n]);
        let mut path_own: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut path_bloom = vec![0u64; n];
        let mut chain: Vec<usize> = Vec::new();
        for i in sorted {
            while chain
                .last()
                .is_some_and(|&top| !keywords[i].starts_with(keywords[top]))
            {
                chain.pop();
            }
            let mine = &own[own_at[i]..own_at[i + 1]];
            // In order of rule already: sorted and deduplicated as the per-keyword lists were.
            path_own[i] = mine
                .iter()
                .filter(|&&(_, r)| path_rule(r))
                .map(|&(_, r)| r as u32)
                .collect();
            path_own[i].dedup();
            let up = chain.last().copied();
            parent[i] = up.map_or(NONE, |u| u as u32);
            content_at[i] = if mine.iter().any(|&(_, r)| !path_rule(r)) {
                i as u32
            } else {
                up.map_or(NONE, |u| content_at[u])
            };
            path_at[i] = if !path_own[i].is_empty() {
                i as u32
            } else {
                up.map_or(NONE, |u| path_at[u])
            };
            path_bloom[i] = bloom(&path_own[i]) | up.map_or(0, |u| path_bloom[u]);
            let from = rules.len();
            rules.extend(mine.iter().map(|&(_, r)| r));
            if let Some(top) = up {
                let (s, e) = rules_at[top];
                rules.extend_from_within(s as usize..e as usize);
            }
            rules[from..].sort_unstable();
            let mut kept = from;
            for j in from..rules.len() {
                if kept == from || rules[j] != rules[kept - 1] {
                    rules[kept] = rules[j];
                    kept += 1;
                }
            }
            rules.truncate(kept);
            rules_at[i] = (from as u32, kept as u32);
            chain.push(i);
        }
        let lengths = keywords.iter().map(|k| k.len()).collect::<Vec<_>>();
        let line_lengths = keywords
            .iter()
            .map(|k| match k.bytes().skip(1).position(|b| b == b'\n') {
                Some(i) => i + 1,
                None => k.len(),
            })
            .collect::<Vec<_>>();
        let longest = lengths.iter().copied().max().unwrap_or(0);
        // The keywords' bytes in one string (one allocation, not one per keyword).
        let text: String = keywords.concat();
        let prefilter = Prefilter {
            automaton: OnceLock::new(),
            small: (workload == Workload::FewBytes).then(|| Small::new(&keywords)),
            text,
            order,
            searched: AtomicUsize::new(0),
            rules,
            rules_at,
            lengths,
            line_lengths,
            longest,
            content_at,
            path_at,
            parent,
            path_own,
            path_bloom,
        };
        if workload == Workload::Bulk {
            prefilter.automaton();
        }
        Some(prefilter)
    }

    fn automaton(&self) -> &KeywordDfa {
        self.automaton
            .get_or_init(|| KeywordDfa::new_in(&self.keywords(), &self.order))
    }

    /// Every keyword, by pattern.
    fn keywords(&self) -> Vec<&str> {
        let mut at = 0;
        self.lengths
            .iter()
            .map(|&n| {
                at += n;
                &self.text[at - n..at]
            })
            .collect()
    }

    /// The rules of `pattern` and of every keyword it starts with. A start position is reported
    /// once, with the longest keyword starting there (see `Keywords`), so a shorter keyword
    /// hidden at the start of a longer one must bring its rules along.
    #[inline]
    pub(super) fn rules_of(&self, pattern: u32) -> &[usize] {
        let (s, e) = self.rules_at[pattern as usize];
        &self.rules[s as usize..e as usize]
    }

    /// Appends to `out`, in order of start, every position where a keyword lying wholly within
    /// `focus` starts, with the longest keyword starting there, as (keyword, start). What is
    /// found at a position depends only on the `longest` bytes from there on.
    fn hits(&self, data: &[u8], focus: std::ops::Range<usize>, out: &mut Vec<(u32, usize)>) {
        if let Some(small) = &self.small {
            let seen = self.searched.fetch_add(focus.len(), Ordering::Relaxed);
            if seen + focus.len() <= SMALL_BYTES {
                return small.hits(data, focus, out);
            }
        }
        let from = focus.start;
        self.automaton().hits(&data[focus], from, out)
    }

    pub(super) fn keyword_len(&self, pattern: u32) -> usize {
        self.lengths[pattern as usize]
    }

    /// A keyword's length up to its first line break after its first byte (its whole length if
    /// it holds none). A keyword may end with one (`token",⏎`: a rule spanning lines asks for
    /// lines that end so), and a hit stands for every rule of every keyword it holds (`token`
    /// too): a rule that keeps to a line must see the hit's own line only, or it would read the
    /// next line as well and its findings would change with another rule's keywords. A keyword
    /// that opens with a line break (`\nre_`, a key at a line's start) keeps the line it opens.
    pub(super) fn keyword_line_len(&self, pattern: u32) -> usize {
        self.line_lengths[pattern as usize]
    }

    #[cfg(test)]
    pub(super) fn keyword(&self, pattern: u32) -> &str {
        self.keywords()[pattern as usize]
    }

    /// What a rule without a path filter reads where `pattern` was found: the longest keyword
    /// there that one of them has.
    #[inline]
    pub(super) fn content_keyword(&self, pattern: u32) -> Option<u32> {
        Some(self.content_at[pattern as usize]).filter(|&k| k != NONE)
    }

    /// The `bloom` of the path rules whose keywords `pattern` starts with (`path_keyword` reads a
    /// hit for the admitted rules only where it shares a bit with theirs).
    #[inline]
    pub(super) fn path_bloom(&self, pattern: u32) -> u64 {
        self.path_bloom[pattern as usize]
    }

    /// What the path rules `admitted` (sorted; `admitted_bloom` is their `bloom`) read where
    /// `pattern` was found: the longest keyword there that one of them has.
    #[inline]
    pub(super) fn path_keyword(
        &self,
        pattern: u32,
        admitted: &[u32],
        admitted_bloom: u64,
    ) -> Option<u32> {
        // Most hits hold no admitted rule's keyword, often another path rule's (a `.py` rule's
        // file read with `.env` rules' keywords everywhere): one AND says so, without the walk
        // (docs/engine.md, "Stop 26").
        if self.path_bloom[pattern as usize] & admitted_bloom == 0 {
            return None;
        }
        self.path_keyword_from(self.path_at[pattern as usize], admitted)
    }

    /// `path_keyword` from `k`, a path rule's keyword at the position: out of line, since most
    /// hits are of no path rule's keyword.
    #[inline(never)]
    fn path_keyword_from(&self, mut k: u32, admitted: &[u32]) -> Option<u32> {
        #[cfg(test)]
        WALKS.with(|n| n.set(n.get() + 1));
        while k != NONE {
            if self.path_own[k as usize]
                .iter()
                .any(|r| admitted.binary_search(r).is_ok())
            {
                return Some(k);
            }
            k = match self.parent[k as usize] {
                NONE => NONE,
                up => self.path_at[up as usize],
            };
        }
        None
    }
}

/// The keywords without an automaton, for a few kilobytes of text: at every position where some
/// keyword starts (and ends within the range searched), the longest one, as the automaton reports;
/// so each position's candidates are looked up by their first two bytes, longest first. Built in a
/// few microseconds.
struct Small {
    /// Per first byte (ASCII lower case): (second byte, keyword) sorted by second byte, longer
    /// keywords first among equals.
    by_first: Vec<Vec<(u8, u32)>>,
    /// Per first byte: the one-byte keyword that is that byte, if any.
    single: Vec<Option<u32>>,
    keywords: Vec<Vec<u8>>,
}

impl Small {
    fn new(keywords: &[&str]) -> Small {
        let keywords: Vec<Vec<u8>> = keywords
            .iter()
            .map(|k| k.as_bytes().to_ascii_lowercase())
            .collect();
        let mut by_first = vec![Vec::new(); 256];
        let mut single = vec![None; 256];
        for (i, k) in keywords.iter().enumerate() {
            match k.as_slice() {
                [] => {}
                [b] => single[*b as usize] = Some(i as u32),
                [b, c, ..] => by_first[*b as usize].push((*c, i as u32)),
            }
        }
        for list in &mut by_first {
            list.sort_unstable_by_key(|&(c, i)| (c, std::cmp::Reverse(keywords[i as usize].len())));
        }
        Small {
            by_first,
            single,
            keywords,
        }
    }

    fn hits(&self, data: &[u8], focus: std::ops::Range<usize>, out: &mut Vec<(u32, usize)>) {
        let hay = &data[..focus.end];
        for p in focus {
            let b = hay[p].to_ascii_lowercase() as usize;
            let list = &self.by_first[b];
            let longer = hay.get(p + 1).and_then(|c| {
                let c = c.to_ascii_lowercase();
                let from = list.partition_point(|&(x, _)| x < c);
                list[from..]
                    .iter()
                    .take_while(|&&(x, _)| x == c)
                    .map(|&(_, i)| i)
                    .find(|&i| {
                        let k = &self.keywords[i as usize];
                        hay.len() - p >= k.len() && hay[p..p + k.len()].eq_ignore_ascii_case(k)
                    })
            });
            if let Some(i) = longer.or(self.single[b]) {
                out.push((i, p));
            }
        }
    }
}

/// Where the rules' keywords occur in one file: what the keyword automata found, as (keyword,
/// start), sorted by start, one entry per start position with the longest keyword starting there
/// (`Prefilter::rules_of` brings along the rules of the shorter ones). Kept from one version of a
/// file to the next by `Engine::scan_changed`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keywords {
    pub(super) content: Vec<(u32, usize)>,
    /// `None` when no path-scoped rule was in scope; else what those in scope read at each hit
    /// (`Prefilter::path_keyword`).
    pub(super) path: Option<Vec<(u32, usize)>>,
    /// The path-scoped rules in scope whose keywords `path` holds (`scan_changed` asks whether a
    /// new version's are the same).
    pub(super) path_rules: std::sync::Arc<[u32]>,
    /// The file's lines end in `\r\n`: the positions are those of its text read as LF
    /// (`crlf::Lf`), not of the bytes as they stand.
    pub(super) crlf: bool,
}

/// Every position inside one of `stretches` (sorted, disjoint) where a keyword starts, with the
/// longest keyword starting there, as (keyword, start) in order of start.
pub(super) fn find_keywords(
    p: &Prefilter,
    data: &[u8],
    stretches: &[std::ops::Range<usize>],
) -> Vec<(u32, usize)> {
    #[cfg(test)]
    RUNS.with(|n| n.set(n.get() + 1));
    let mut found = Vec::new();
    for r in stretches {
        // A keyword starting in the stretch may end past it; one starting past it is the next
        // stretch's, or unchanged text's (`scan_changed`).
        let end = (r.end + p.longest).min(data.len());
        p.hits(data, r.start..end, &mut found);
        while found.last().is_some_and(|&(_, start)| start >= r.end) {
            found.pop();
        }
    }
    found
}

#[cfg(test)]
thread_local! {
    /// How many keyword searches this thread ran (`find_keywords`).
    static RUNS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many hits this thread walked up for an admitted path rule's keyword
    /// (`Prefilter::path_keyword_from`).
    static WALKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod path_reading {
    use super::super::testkit::engine;
    use super::super::PathScope;
    use super::RUNS;

    const RULES: &str = r#"
[[rules]]
id = "content"
regex = '''alpha_[0-9]{8}'''
keywords = ["alpha_"]

[[rules]]
id = "env-only"
regex = '''zqpone_[0-9]{8}'''
keywords = ["zqpone_", "alpha_x"]
path = '''\.env$'''

[[rules]]
id = "py-only"
regex = '''(?:zqptwo|zqpthree)_[0-9]{8}'''
keywords = ["zqptwo_", "zqpthree_"]
path = '''\.py$'''
"#;

    /// One keyword search per text, whatever its path; its hits read by the content rules and
    /// by the path rules the path admits alone: none of a path rule's keywords where no path rule
    /// admits the path, one rule's alone where only it does (`Engine::read_keywords`).
    #[test]
    fn a_file_is_read_with_the_keywords_of_the_rules_its_path_admits_only() {
        let e = engine(RULES);
        // `alpha_x` is env-only's, and starts with the content rule's `alpha_`.
        let text = b"alpha_x zqpone_ zqptwo_ zqpthree_\n";
        let read = |scope: PathScope| {
            RUNS.with(|n| n.set(0));
            let (_, k) = e.scan_keeping_keywords(text, scope);
            let p = e.keywords.as_ref().unwrap();
            let words = |hits: &[(u32, usize)]| -> Vec<String> {
                hits.iter()
                    .map(|&(w, _)| p.keyword(w).to_string())
                    .collect()
            };
            (
                words(&k.content),
                k.path.as_deref().map(words),
                RUNS.with(|n| n.get()),
            )
        };
        let content = vec!["alpha_".to_string()];
        assert_eq!(
            read(PathScope::At("src/main.go")),
            (content.clone(), None, 1)
        );
        assert_eq!(
            read(PathScope::At("app/settings.py")),
            (
                content.clone(),
                Some(vec!["zqptwo_".into(), "zqpthree_".into()]),
                1
            )
        );
        assert_eq!(
            read(PathScope::At("deploy/.env")),
            (
                content.clone(),
                Some(vec!["alpha_x".into(), "zqpone_".into()]),
                1
            )
        );
        assert_eq!(read(PathScope::ContentOnly), (content, None, 1));
        assert_eq!(
            read(PathScope::PathRulesAt("app/settings.py")).1,
            Some(vec!["zqptwo_".into(), "zqpthree_".into()])
        );
    }

    /// The path rules a path admits are listed once for all of a file's texts (the blob, each
    /// decoded span), not once per text (`pathsel::PathFilters::scoped`); and each text is still
    /// read with them: a path rule's secret inside a base64 span is found.
    #[test]
    fn the_path_rules_a_path_admits_are_listed_once_for_all_of_a_files_texts() {
        use crate::engine::pathsel::SCOPED_MADE;
        use base64::Engine as _;
        let e = engine(RULES);
        let mut text = String::from("alpha_x zqpone_ zqptwo_\n");
        for i in 0..4 {
            let inner = format!(
                "config {i}: zqptwo_{} and alpha_{}\n",
                31415926 + i,
                27182818 + i
            );
            text.push_str(&format!(
                "blob{i} = \"{}\"\n",
                base64::engine::general_purpose::STANDARD.encode(inner)
            ));
        }
        for path in ["app/settings.py", "app/other.py"] {
            RUNS.with(|n| n.set(0));
            let made = SCOPED_MADE.with(|n| n.get());
            let hits = e.scan(text.as_bytes(), PathScope::At(path));
            let texts = RUNS.with(|n| n.get());
            let made = SCOPED_MADE.with(|n| n.get()) - made;
            let py = hits
                .iter()
                .filter(|h| &*e.rule(h.rule).id == "py-only")
                .count();
            assert!(texts >= 5, "{texts} texts read at {path}");
            assert!(py >= 4, "{py} py-only hits at {path}");
            // The first path makes the list (this engine's first); the second admits the same
            // rules, so not even once.
            let want = usize::from(path == "app/settings.py");
            assert_eq!(made, want, "lists made for {texts} texts at {path}");
        }
    }

    /// Hits of one path rule's keywords, in a file whose path admits only another path rule, are
    /// passed over without a walk up their keywords (their `bloom`s share no bit), and still read
    /// where their own rule is admitted: what a never-matching `.py` rule cost a Python file
    /// whose lines hold a built-in path rule's keywords (docs/engine.md, "Stop 26").
    #[test]
    fn another_path_rules_keywords_are_passed_over_without_a_walk() {
        use super::WALKS;
        let e = engine(RULES);
        let text = format!("{}zqptwo_31415926\n", "zqpone_ alpha_x ".repeat(50));
        let read = |path: &str| {
            WALKS.with(|n| n.set(0));
            let (_, k) = e.scan_keeping_keywords(text.as_bytes(), PathScope::At(path));
            (k.path.map_or(0, |hits| hits.len()), WALKS.with(|n| n.get()))
        };
        // py-only's one keyword, walked to; env-only's hundred passed over.
        assert_eq!(read("app/settings.py"), (1, 1));
        // Where env-only is admitted, its hundred are read (and py-only's is nobody's).
        assert_eq!(read("deploy/.env"), (100, 100));
        // Without py-only's keyword, a `.py` file is read as where no path rule is admitted, and
        // its path reading is there, empty (`Engine::read_keywords`).
        let plain = "zqpone_ alpha_x ".repeat(50);
        WALKS.with(|n| n.set(0));
        let (_, k) = e.scan_keeping_keywords(plain.as_bytes(), PathScope::At("app/settings.py"));
        assert_eq!((k.path, WALKS.with(|n| n.get())), (Some(Vec::new()), 0));
        assert_eq!(k.content.len(), 50);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn few_bytes_find_the_keywords_the_automaton_finds() {
        let words = [
            "to", "tok", "token", "t", "ke", "key", "api_key", "k", "ey", "Éa", "sk-", "s",
        ];
        let mut rng = Rng(0x2545_f491_u64);
        let mut next = |n: u64| rng.below(n);
        for round in 0..200 {
            let chosen: Vec<String> = words
                .iter()
                .filter(|_| next(3) > 0)
                .map(|w| w.to_ascii_lowercase())
                .collect();
            let rules: Vec<(usize, &String)> = chosen.iter().enumerate().collect();
            let (Some(bulk), Some(few)) = (
                Prefilter::build(rules.iter().copied(), Workload::Bulk),
                Prefilter::build(rules.iter().copied(), Workload::FewBytes),
            ) else {
                continue;
            };
            let alphabet = "tokenyaipKEYS_-É é.";
            let chars: Vec<char> = alphabet.chars().collect();
            let text: String = (0..next(300))
                .map(|_| chars[next(chars.len() as u64) as usize])
                .collect();
            let data = text.as_bytes();
            let a = next(data.len() as u64 + 1) as usize;
            let b = a + next((data.len() - a) as u64 + 1) as usize;
            let hits = |p: &Prefilter| {
                let mut v = Vec::new();
                p.hits(data, a..b, &mut v);
                v
            };
            assert_eq!(
                hits(&few),
                hits(&bulk),
                "round {round}: {text:?} {a}..{b} {chosen:?}"
            );
        }
    }

    /// Every occurrence of every keyword, by brute force: per start position, the rules of all the
    /// keywords starting there. What `find_keywords` reports must be exactly these positions, each
    /// with a keyword whose `rules_of` are exactly these rules.
    fn naive(
        words: &[String],
        rules_of_word: &[Vec<usize>],
        data: &[u8],
        stretches: &[std::ops::Range<usize>],
    ) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        for r in stretches {
            for p in r.clone() {
                let mut rules: Vec<usize> = words
                    .iter()
                    .zip(rules_of_word)
                    .filter(|(w, _)| {
                        data.len() - p >= w.len()
                            && data[p..p + w.len()].eq_ignore_ascii_case(w.as_bytes())
                    })
                    .flat_map(|(_, rs)| rs.iter().copied())
                    .collect();
                rules.sort_unstable();
                rules.dedup();
                if !rules.is_empty() {
                    out.push((p, rules));
                }
            }
        }
        out
    }

    #[test]
    fn the_keyword_pass_reports_every_keyword_a_brute_force_search_finds() {
        // Prefixes, suffixes, self-overlapping words, one-byte words, non-ASCII bytes; the text mixes
        // cases and the stretches cut keywords at their edges.
        let pool = [
            "to", "tok", "token", "oken", "ken", "en", "t", "k", "ke", "key", "keys", "_key",
            "api_key", "aa", "aaa", "aab", "ab", "sk-", "s", "Éa", "é", "n_",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15_u64);
        let mut next = |n: u64| rng.below(n);
        let alphabet: Vec<char> = "tokenTOKENyaAbpi_KEYsS- Éé\n".chars().collect();
        for round in 0..400 {
            let words: Vec<String> = pool
                .iter()
                .filter(|_| next(2) > 0)
                .map(|w| w.to_ascii_lowercase())
                .collect();
            // Some words stand for several rules, some rules for several words.
            let pairs: Vec<(usize, &String)> = words
                .iter()
                .enumerate()
                .flat_map(|(i, w)| [(i, w), (next(5) as usize + 100, w)])
                .collect();
            let mut rules_of_word = vec![Vec::new(); words.len()];
            for &(rule, w) in &pairs {
                let i = words.iter().position(|x| x == w).unwrap();
                rules_of_word[i].push(rule);
            }
            let text: String = (0..next(400))
                .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                .collect();
            let data = text.as_bytes();
            let mut stretches = Vec::new();
            let mut at = 0;
            while at < data.len() && stretches.len() < 4 {
                let s = at + next((data.len() - at) as u64) as usize;
                let e = s + 1 + next((data.len() - s) as u64) as usize;
                stretches.push(s..e);
                at = e + next(8) as usize;
            }
            let want = naive(&words, &rules_of_word, data, &stretches);
            for workload in [Workload::Bulk, Workload::FewBytes] {
                let Some(p) = Prefilter::build(pairs.iter().copied(), workload) else {
                    continue;
                };
                let got: Vec<(usize, Vec<usize>)> = find_keywords(&p, data, &stretches)
                    .into_iter()
                    .map(|(k, start)| (start, p.rules_of(k).to_vec()))
                    .collect();
                assert_eq!(
                    got, want,
                    "round {round} {workload:?}: {text:?} {stretches:?} {words:?}"
                );
            }
        }
    }

    /// The keywords `find_keywords` reports as (start, rules), for `naive` to compare.
    fn found(
        p: &Prefilter,
        data: &[u8],
        stretches: &[std::ops::Range<usize>],
    ) -> Vec<(usize, Vec<usize>)> {
        find_keywords(p, data, stretches)
            .into_iter()
            .map(|(k, start)| (start, p.rules_of(k).to_vec()))
            .collect()
    }

    #[test]
    fn long_text_walked_in_interleaved_parts_finds_every_keyword_once() {
        // Past a kilobyte the automaton walks four parts of the text in step, each reporting the
        // keywords that start in it and walking on past its end for those that end in the next.
        // Dense keywords, long ones (up to 40 bytes, several times the overlap of short ones) and
        // self-overlapping ones cross every cut; stretches start and end anywhere.
        let pool = [
            "to",
            "tok",
            "token",
            "oken",
            "ken",
            "t",
            "k",
            "ke",
            "key",
            "_key",
            "api_key",
            "aa",
            "aaaa",
            "aab",
            "sk-",
            "s",
            "n_",
            "tokentokentoken",
            "aaaaaaaaaaaaaaaaaaab",
            "key_key_key_key_key_key_key_key_key_key",
            "en_api_key_token_",
            "Éa",
        ];
        let mut rng = Rng(0x5851_f42d_4c95_7f2d_u64);
        let mut next = |n: u64| rng.below(n);
        let alphabet: Vec<char> = "tokenTOKENyaAbpi_KEYsS- É\n".chars().collect();
        for round in 0..80 {
            let words: Vec<String> = pool
                .iter()
                .filter(|_| next(3) > 0)
                .map(|w| w.to_ascii_lowercase())
                .collect();
            let pairs: Vec<(usize, &String)> = words.iter().enumerate().collect();
            let rules_of_word: Vec<Vec<usize>> = (0..words.len()).map(|i| vec![i]).collect();
            let mut text = String::new();
            let len = 1000 + next(6000) as usize;
            while text.len() < len {
                // Pieces of keywords, so that long ones occur whole and nearly whole.
                if next(4) == 0 && !words.is_empty() {
                    let w = &words[next(words.len() as u64) as usize];
                    let cut = w.len() - next(3).min(w.len() as u64 - 1) as usize;
                    text.push_str(w.get(..cut).unwrap_or(w));
                } else {
                    text.push(alphabet[next(alphabet.len() as u64) as usize]);
                }
            }
            let data = text.as_bytes();
            let a = if next(2) == 0 { 0 } else { next(200) as usize };
            let b = data.len() - if next(2) == 0 { 0 } else { next(200) as usize };
            let stretch = a..b;
            let stretches = std::slice::from_ref(&stretch);
            let want = naive(&words, &rules_of_word, data, stretches);
            for workload in [Workload::Bulk, Workload::FewBytes] {
                let Some(p) = Prefilter::build(pairs.iter().copied(), workload) else {
                    continue;
                };
                if workload == Workload::FewBytes {
                    // Past the table lookup, so that the automaton runs.
                    p.searched.store(SMALL_BYTES, Ordering::Relaxed);
                }
                assert_eq!(
                    found(&p, data, stretches),
                    want,
                    "round {round} {workload:?}: {stretches:?} {words:?}"
                );
            }
        }
    }

    #[test]
    fn the_catalog_keywords_are_found_as_a_brute_force_search_finds_them() {
        // The built-in catalog's ~1,350 content keywords (prefixes and suffixes of one another,
        // punctuation, digits): random text of their pieces in mixed case, long enough to be cut
        // in parts, and short stretches of it.
        let set = crate::rules::RuleSet::builtin().expect("built-in rules load");
        let mut words: Vec<String> = Vec::new();
        let mut rules_of_word: Vec<Vec<usize>> = Vec::new();
        let mut pairs: Vec<(usize, String)> = Vec::new();
        for (i, r) in set.rules.iter().enumerate() {
            if r.regex.is_none() || r.path.is_some() {
                continue;
            }
            for k in &r.keywords {
                pairs.push((i, k.clone()));
                match words.iter().position(|w| w == k) {
                    Some(j) => rules_of_word[j].push(i),
                    None => {
                        words.push(k.clone());
                        rules_of_word.push(vec![i]);
                    }
                }
            }
        }
        assert!(words.len() > 1000, "{} keywords", words.len());
        let p = Prefilter::build(pairs.iter().map(|(i, k)| (*i, k)), Workload::Bulk).unwrap();
        let mut rng = Rng(0x2f69_3d1a_77c4_e0b3_u64);
        let mut next = |n: u64| rng.below(n);
        for round in 0..12 {
            let mut text: Vec<u8> = Vec::new();
            while text.len() < 12_000 {
                match next(5) {
                    0 => text.push(b" =:\"'\n_-./"[next(10) as usize]),
                    1 => text.push(b'a' + next(26) as u8),
                    _ => {
                        let w = words[next(words.len() as u64) as usize].as_bytes();
                        let from = if next(3) == 0 {
                            next(w.len() as u64) as usize
                        } else {
                            0
                        };
                        let to = w.len()
                            - if next(3) == 0 {
                                next((w.len() - from) as u64) as usize
                            } else {
                                0
                            };
                        text.extend(w[from..to].iter().map(|b| {
                            if next(2) == 0 {
                                b.to_ascii_uppercase()
                            } else {
                                *b
                            }
                        }));
                    }
                }
            }
            let whole = 0..text.len();
            let short = 5000 + next(100) as usize..5300 + next(300) as usize;
            for stretches in [vec![whole.clone()], vec![0..700, short]] {
                let want = naive(&words, &rules_of_word, &text, &stretches);
                assert!(want.len() > 20, "{}", want.len());
                assert_eq!(
                    found(&p, &text, &stretches),
                    want,
                    "round {round} {stretches:?}"
                );
            }
        }
    }

    #[test]
    fn a_staged_scan_that_outgrows_the_table_finds_the_same_keywords() {
        // Past SMALL_BYTES a FewBytes prefilter builds its automaton.
        let words: Vec<String> = ["token", "to", "oken", "key"].map(String::from).to_vec();
        let pairs: Vec<(usize, &String)> = words.iter().enumerate().collect();
        let few = Prefilter::build(pairs.iter().copied(), Workload::FewBytes).unwrap();
        let bulk = Prefilter::build(pairs.iter().copied(), Workload::Bulk).unwrap();
        let data = "a TOKEN=tokey; ".repeat(SMALL_BYTES / 15 + 10);
        let range = 0..data.len();
        let whole = std::slice::from_ref(&range);
        let first = find_keywords(&few, data.as_bytes(), whole);
        assert!(few.automaton.get().is_some(), "the automaton was built");
        assert_eq!(first, find_keywords(&bulk, data.as_bytes(), whole));
        assert_eq!(first, find_keywords(&few, data.as_bytes(), whole));
        assert_eq!(first.len(), 4 * (SMALL_BYTES / 15 + 10));
    }

    use super::super::testkit::*;
    use super::*;
    use crate::engine::{PathScope, Workload};

    #[test]
    fn text_without_keywords_never_runs_a_regex_and_finds_nothing() {
        let e = engine(PAT_RULE);
        assert!(e
            .scan(
                b"nothing to see here\n".repeat(1000).as_slice(),
                PathScope::ContentOnly
            )
            .is_empty());
    }

    #[test]
    fn keyword_match_is_case_insensitive_but_regex_decides() {
        let e = engine(PAT_RULE);
        let upper = TOKEN.replacen("ghp_", "GHP_", 1);
        assert!(e.scan(upper.as_bytes(), PathScope::ContentOnly).is_empty());
        assert_eq!(e.scan(TOKEN.as_bytes(), PathScope::ContentOnly).len(), 1);
    }

    #[test]
    fn keywords_hidden_at_the_start_of_a_longer_one_still_run_their_rules() {
        // The keyword pass keeps only "mytok_" (the longest) where it starts, hiding "myt" and the
        // one-byte "m" there: their rules must ride along. "ok_", inside but starting later, is found on its own.
        let toml = "[[rules]]\nid = \"outer\"\nregex = '''mytok_[0-9]{40}'''\nkeywords = [\"mytok_\"]\n\
                    [[rules]]\nid = \"prefix\"\nregex = '''myt(ok_[a-z]{4}[0-9]{4})'''\nkeywords = [\"myt\"]\n\
                    [[rules]]\nid = \"byte\"\nregex = '''mytok_qz'''\nkeywords = [\"m\"]\n\
                    [[rules]]\nid = \"suffix\"\nregex = '''ok_([a-z]{4}[0-9]{4}[a-z]{4}[0-9]{4})'''\nkeywords = [\"ok_\"]\n";
        let e = engine(toml);
        let hits = e.scan(b"v = mytok_qzwx7391mfkd2864\n", PathScope::ContentOnly);
        let mut ids: Vec<&str> = hits.iter().map(|h| &*e.rules()[h.rule].id).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["byte", "prefix", "suffix"], "{hits:?}");
    }
}

#[cfg(test)]
mod grouping {
    use super::group_by_keyword;
    use crate::testrng::{n, Rng};

    #[test]
    fn keywords_are_grouped_as_sorting_the_pairs_groups_them() {
        // The counting sort against the sort it replaced: pairs listed rule by rule (the
        // engine's order), shuffled (each keyword's rules out of order), with repeated pairs,
        // keywords without a pair, and none at all.
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..300 {
            let keywords = 1 + n(&mut rng, 12);
            let mut pairs: Vec<(u32, usize)> = Vec::new();
            for rule in 0..n(&mut rng, 20) {
                for _ in 0..n(&mut rng, 4) {
                    pairs.push((n(&mut rng, keywords) as u32, rule));
                }
            }
            if round % 2 == 1 {
                for i in (1..pairs.len()).rev() {
                    pairs.swap(i, n(&mut rng, i + 1));
                }
            }
            let mut sorted = pairs.clone();
            sorted.sort_unstable();
            let mut at = vec![0usize; keywords + 1];
            for &(i, _) in &sorted {
                at[i as usize + 1] += 1;
            }
            for i in 0..keywords {
                at[i + 1] += at[i];
            }
            assert_eq!(
                group_by_keyword(&pairs, keywords),
                (sorted, at),
                "round {round}: {pairs:?}"
            );
        }
    }
}
