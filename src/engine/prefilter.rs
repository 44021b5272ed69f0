//! The keyword pass: one Aho-Corasick automaton over the rules' keywords, and where it found them.

use super::Workload;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// How many bytes a `Workload::FewBytes` engine searches for keywords without an automaton. A
/// staged scan reads a few kilobytes, and building the automaton over ~1,000 keywords cost more
/// instructions (12M) than the rest of the scan; past this, bulk input after all, it is built.
const SMALL_BYTES: usize = 1 << 20;

/// A keyword automaton, and for each keyword the rules it stands for.
pub(super) struct Prefilter {
    /// Built ahead for bulk work; for a few bytes, only once they stop being few.
    automaton: OnceLock<AhoCorasick>,
    kind: AhoCorasickKind,
    keywords: Vec<String>,
    /// For few bytes: the keywords without an automaton.
    small: Option<Small>,
    /// Bytes searched so far without the automaton.
    searched: AtomicUsize,
    /// Per pattern: the rules of that keyword and of every keyword it starts with. Leftmost-longest
    /// search reports one keyword per start position, so a shorter keyword hidden at the start of a
    /// longer one must bring its rules along.
    pub(super) rules_of: Vec<Vec<usize>>,
    /// Per pattern, its length in bytes; and the longest.
    lengths: Vec<usize>,
    pub(super) longest: usize,
}

impl Prefilter {
    pub(super) fn build<'a>(
        pairs: impl Iterator<Item = (usize, &'a String)>,
        workload: Workload,
    ) -> Option<Prefilter> {
        let mut keywords: Vec<&String> = Vec::new();
        let mut own: Vec<Vec<usize>> = Vec::new();
        let mut index: std::collections::HashMap<&String, usize> = std::collections::HashMap::new();
        for (rule, kw) in pairs {
            let i = *index.entry(kw).or_insert_with(|| {
                keywords.push(kw);
                own.push(Vec::new());
                keywords.len() - 1
            });
            own[i].push(rule);
        }
        if keywords.is_empty() {
            return None;
        }
        // Leftmost-longest reports, at a position, only the longest keyword starting there, and
        // `for_each_hit` restarts one byte after each hit, so what a hit hides is exactly the
        // keywords that are proper prefixes of it: those ride along. (Testing every pair of keywords
        // for containment cost keywords² substring searches, a third of startup at ~1,000 keywords.)
        let position: std::collections::HashMap<&str, usize> = keywords
            .iter()
            .enumerate()
            .map(|(j, k)| (k.as_str(), j))
            .collect();
        let rules_of = keywords
            .iter()
            .enumerate()
            .map(|(i, outer)| {
                let mut rules = own[i].clone();
                for len in 1..outer.len() {
                    if let Some(&j) = outer.get(..len).and_then(|p| position.get(p)) {
                        rules.extend_from_slice(&own[j]);
                    }
                }
                rules.sort_unstable();
                rules.dedup();
                rules
            })
            .collect();
        // Leftmost-longest over a DFA measured about twice as fast as an overlapping search on
        // real source code (tokio: 293 vs 127 MB/s per core with the built-in keywords). The DFA
        // takes ~10 ms to build, which only pays off on bulk input; a staged scan of a few files
        // uses the contiguous NFA, which builds in a fraction of that.
        let kind = match workload {
            Workload::Bulk => AhoCorasickKind::DFA,
            Workload::FewBytes => AhoCorasickKind::ContiguousNFA,
        };
        let keywords: Vec<String> = keywords.into_iter().cloned().collect();
        let lengths = keywords.iter().map(|k| k.len()).collect::<Vec<_>>();
        let longest = lengths.iter().copied().max().unwrap_or(0);
        let prefilter = Prefilter {
            automaton: OnceLock::new(),
            kind,
            small: (workload == Workload::FewBytes).then(|| Small::new(&keywords)),
            keywords,
            searched: AtomicUsize::new(0),
            rules_of,
            lengths,
            longest,
        };
        if workload == Workload::Bulk {
            prefilter.automaton();
        }
        Some(prefilter)
    }

    fn automaton(&self) -> &AhoCorasick {
        self.automaton.get_or_init(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(self.kind))
                .build(&self.keywords)
                .expect("keyword automaton builds")
        })
    }

    /// Calls `f(pattern, start)` for every keyword occurrence that lies within `focus`. Leftmost-longest
    /// search reports, at each position where some keyword starts, the longest one; restarting one
    /// byte after each hit's start finds keywords that overlap it. Hits are rare, so the re-read bytes
    /// cost nothing. What is found at a position depends only on the `longest` bytes from there on.
    fn for_each_hit(
        &self,
        data: &[u8],
        focus: std::ops::Range<usize>,
        mut f: impl FnMut(u32, usize),
    ) {
        if let Some(small) = &self.small {
            let seen = self.searched.fetch_add(focus.len(), Ordering::Relaxed);
            if seen + focus.len() <= SMALL_BYTES {
                return small.for_each_hit(data, focus, f);
            }
        }
        let automaton = self.automaton();
        let mut pos = focus.start;
        while pos < focus.end {
            let Some(m) = automaton.find(Input::new(data).range(pos..focus.end)) else {
                break;
            };
            f(m.pattern().as_u32(), m.start());
            pos = m.start() + 1;
        }
    }

    pub(super) fn keyword_len(&self, pattern: u32) -> usize {
        self.lengths[pattern as usize]
    }
}

/// The keywords without an automaton, for a few kilobytes of text: what leftmost-longest search
/// restarted one byte after each hit's start reports is, at every position where some keyword
/// starts (and ends within the range searched), the longest one; so each position's candidates
/// are looked up by their first two bytes, longest first. Built in a few microseconds.
struct Small {
    /// Per first byte (ASCII lower case): (second byte, keyword) sorted by second byte, longer
    /// keywords first among equals.
    by_first: Vec<Vec<(u8, u32)>>,
    /// Per first byte: the one-byte keyword that is that byte, if any.
    single: Vec<Option<u32>>,
    keywords: Vec<Vec<u8>>,
}

impl Small {
    fn new(keywords: &[String]) -> Small {
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

    fn for_each_hit(
        &self,
        data: &[u8],
        focus: std::ops::Range<usize>,
        mut f: impl FnMut(u32, usize),
    ) {
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
                f(i, p);
            }
        }
    }
}

/// Where the rules' keywords occur in one file: what the keyword automata found, as (keyword, start).
/// Kept from one version of a file to the next by `Engine::scan_changed`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keywords {
    pub(super) content: Vec<(u32, usize)>,
    /// `None` when no path-scoped rule was in scope, so their automaton did not run.
    pub(super) path: Option<Vec<(u32, usize)>>,
}

/// Every keyword occurrence that starts inside one of `stretches`, as (keyword, start).
pub(super) fn find_keywords(
    p: &Prefilter,
    data: &[u8],
    stretches: &[std::ops::Range<usize>],
) -> Vec<(u32, usize)> {
    let mut found = Vec::new();
    for r in stretches {
        // A keyword starting in the stretch may end past it.
        let end = (r.end + p.longest).min(data.len());
        p.for_each_hit(data, r.start..end, |pattern, start| {
            if start < r.end {
                found.push((pattern, start));
            }
        });
    }
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn few_bytes_find_the_keywords_the_automaton_finds() {
        let words = [
            "to", "tok", "token", "t", "ke", "key", "api_key", "k", "ey", "Éa", "sk-", "s",
        ];
        let mut x = 0x2545_f491_u64;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
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
                p.for_each_hit(data, a..b, |k, s| v.push((k, s)));
                v
            };
            assert_eq!(
                hits(&few),
                hits(&bulk),
                "round {round}: {text:?} {a}..{b} {chosen:?}"
            );
        }
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
        // Leftmost-longest reports only "mytok_" where it starts, hiding "myt" and the one-byte "m"
        // there: their rules must ride along. "ok_", inside but starting later, is found on its own.
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
