//! One engine matches every rule against bytes. A single Aho-Corasick automaton over all rules'
//! keywords finds where anything could match; each candidate rule's regex then runs only on the
//! lines around its keyword hits, so text that mentions no keyword costs one linear pass.
//!
//! By job: `prefilter` (the keyword automata), `windows` (the stretch of text a rule's regex sees
//! around a keyword hit), `matcher` (each rule's regex, its pre-checks and the per-thread caches),
//! `policy` (allowlists, stopwords, inline markers, documentation examples: whether a hit is
//! reported), `locate` (lines, columns, context), `incremental` (rescanning a changed version of a
//! file), `stream` (files too large to hold). This module holds the engine, its hits and the scan
//! that ties the jobs together.

mod assign;
mod crlf;
mod gate;
mod incremental;
mod joined;
mod keypaths;
mod litneed;
mod locate;
mod matcher;
mod nfacode;
mod pathsel;
mod patterns;
mod policy;
mod prefilter;
mod starts;
mod stream;
#[cfg(test)]
mod testkit;
mod vendorword;
mod windows;

pub use prefilter::Keywords;

use crate::decode::{self, Encoding};
use crate::docs;
use crate::finding::{Context, Finding, Secret};
use crate::rules::{Rule, RuleSet};
use crate::suppress::Tally;
use crlf::Lf;
use gate::{Facts, Gate};
use locate::{LineCounter, LineText};
use matcher::{Matcher, NEXT_ENGINE_ID};
use policy::allowed_inline;
use prefilter::{find_keywords, Prefilter};
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use windows::Windows;

/// Which rules a blob is subject to: path-scoped rules need to know where the blob lives.
#[derive(Clone, Copy, Debug)]
pub enum PathScope<'a> {
    /// Content rules only (a blob scanned once for many paths).
    ContentOnly,
    /// Rules without a path filter, plus those whose path filter matches this path.
    At(&'a str),
    /// Only rules with a path filter that matches this path (the complement of `ContentOnly`).
    PathRulesAt(&'a str),
}

/// A rule matched, and the secret passed the rule's entropy, validators and placeholder checks. Not yet
/// checked against allowlists, which may depend on the path and commit the blob is seen at.
#[derive(Clone, Debug)]
pub struct Hit {
    pub rule: usize,
    pub secret: Secret,
    pub matched: Vec<u8>,
    pub line_text: locate::LineText,
    /// Byte range of the secret in the scanned data.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub entropy: f32,
    context: Context,
    /// Where the rule's whole match starts (the secret is a part of it).
    match_start: usize,
    /// For generic rules: the documentation markups (`Markup::bit`s) in which the secret sits in a
    /// code block introduced as an example. Whether the file is such a page is known only with its path.
    doc_example: u8,
    /// The line carries an allow marker (`leakguard:allow`): `finding` drops it, and counts it under
    /// the path and line, which only it knows.
    pub inline_allowed: bool,
    /// Found in decoded text (decode.rs): the decodings, outermost first; the hit's position is the
    /// encoded span's, `matched` the rule's match in the decoded text (what allowlists judge).
    pub decoded: Vec<Encoding>,
    /// For a decoded hit: the encoded text as it stands in the blob (what history rewriting replaces).
    pub encoded: Vec<u8>,
    /// A generic rule's value that a comment right before it introduces as an example
    /// (`policy::introduced_as_example`): `findings` drops it and counts it (`comment-example`).
    comment_example: bool,
    /// A generic rule's value the placeholder check took for a placeholder
    /// (`filters::looks_made_up`): `findings` drops it and counts it (`placeholder`).
    placeholder: bool,
    /// The hits of more precise rules on this one's value (`Rule::yields`; an encoded span's decoded
    /// secret): this one is the same secret under a vaguer name, reported only if each of them is
    /// dropped by its own rule's filters (`Engine::findings`). Empty for most hits.
    pub shadowed_by: Vec<HitKey>,
}

/// Names a hit within one blob's hits, for `Hit::shadowed_by`: where its secret lies, and its rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HitKey {
    start: usize,
    end: usize,
    rule: usize,
}

/// The hits `mark_generic_overlaps` weighs each hit against, found by place instead of by a walk
/// over all of them (a keyword-dense file holds tens of thousands, and the walk was pairwise): the
/// short spans sorted by start, so those that can overlap `start..end` are the run starting within
/// the longest short span before `end`; the few long ones (a whole file's, a multi-line block's)
/// asked every time. `near` gives indices into the slice it was built from, ascending, so the
/// hits yielded to are pushed in the order the pairwise walk pushed them.
struct Overlaps {
    /// (start, index) of the spans of at most `Overlaps::SHORT` bytes, by start.
    short: Vec<(usize, usize)>,
    /// The longest of those spans.
    longest: usize,
    /// Indices of the longer spans.
    long: Vec<usize>,
}

impl Overlaps {
    const SHORT: usize = 4096;
    /// Up to this many pairs of hits, `mark_generic_overlaps` compares every pair.
    const PAIRWISE: usize = 1024;

    fn new(ranked: &[(u8, HitKey)]) -> Overlaps {
        let mut short = Vec::with_capacity(ranked.len());
        let mut long = Vec::new();
        let mut longest = 0;
        for (i, (_, k)) in ranked.iter().enumerate() {
            let len = k.end.saturating_sub(k.start);
            if len <= Self::SHORT {
                short.push((k.start, i));
                longest = longest.max(len);
            } else {
                long.push(i);
            }
        }
        short.sort_unstable();
        Overlaps {
            short,
            longest,
            long,
        }
    }

    /// `mark_generic_overlaps`' marking of `found` against `ranked` (what this was built from),
    /// each hit weighed against the spans near it only. Out of line: most files take the walk.
    #[inline(never)]
    fn mark(&self, rules: &[Rule], found: &mut [Hit], ranked: &[(u8, HitKey)]) {
        let mut near = Vec::new();
        for h in found.iter_mut() {
            let rank = rules[h.rule].yields;
            if rank == 0 || h.is_decoded_span() {
                continue;
            }
            self.near(h.start, h.end, &mut near);
            for &i in &near {
                let (r, k) = ranked[i];
                if r < rank && h.start < k.end && k.start < h.end {
                    h.shadowed_by.push(k);
                }
            }
        }
    }

    /// Every index whose span may overlap `start..end` (a superset: the caller tests each), in
    /// ascending order.
    fn near(&self, start: usize, end: usize, out: &mut Vec<usize>) {
        out.clear();
        out.extend_from_slice(&self.long);
        // A short span overlapping `start..end` starts before `end`, and no earlier than
        // `longest` bytes before `start` (it ends after `start`).
        let from = start.saturating_sub(self.longest);
        let lo = self.short.partition_point(|&(s, _)| s < from);
        let hi = self.short.partition_point(|&(s, _)| s < end);
        if lo < hi {
            out.extend(self.short[lo..hi].iter().map(|&(_, i)| i));
        }
        out.sort_unstable();
    }
}

#[cfg(test)]
mod overlaps_tests {
    use super::{HitKey, Overlaps};

    /// `Overlaps::near` keeps every span that overlaps, as the pairwise walk found them, and in
    /// its order: random spans, short and long, some empty, some sharing starts.
    #[test]
    fn near_spans_are_the_pairwise_walks_overlaps_in_order() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut near = Vec::new();
        for round in 0..300 {
            let n = 1 + next(200);
            let ranked: Vec<(u8, HitKey)> = (0..n)
                .map(|_| {
                    let start = next(20_000);
                    let len = match next(10) {
                        0 => 0,
                        1 => Overlaps::SHORT + next(30_000),
                        2 => Overlaps::SHORT - next(3),
                        _ => 1 + next(80),
                    };
                    let key = HitKey {
                        start,
                        end: start + len,
                        rule: round,
                    };
                    (0, key)
                })
                .collect();
            let overlaps = Overlaps::new(&ranked);
            for _ in 0..50 {
                let start = next(21_000);
                let reach = if next(8) == 0 { 9_000 } else { 90 };
                let end = start + next(reach);
                let walk: Vec<usize> = (0..n)
                    .filter(|&i| {
                        let k = ranked[i].1;
                        start < k.end && k.start < end
                    })
                    .collect();
                overlaps.near(start, end, &mut near);
                assert!(near.windows(2).all(|w| w[0] < w[1]), "ascending, once each");
                let kept: Vec<usize> = near
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let k = ranked[i].1;
                        start < k.end && k.start < end
                    })
                    .collect();
                assert_eq!(kept, walk, "spans {start}..{end}");
            }
        }
    }
}

/// Whether a regex's text says `\n`, `[\s\S` or `(?s`: what gave a rule 16 KiB windows before
/// what its regex can match decided (`Gate::spans`). Such a rule whose matches keep to a line
/// still reaches as far along a long line (`Reach::LongLine`): a service account's key on one JSON
/// line runs 2 KiB past its name. Asked with the rule's gate, at its first keyword hit, not of
/// all ~960 rules at every start-up (docs/engine.md, "Stop 39").
fn long_reach(src: &str) -> bool {
    let has = |needle: &str| memchr::memmem::find(src.as_bytes(), needle.as_bytes()).is_some();
    has("\\n") || has("[\\s\\S") || has("(?s")
}

pub struct Engine {
    rules: RuleSet,
    /// Keywords of every rule with a regex: the one pass every byte goes through. A hit is read
    /// as the rules without a path filter read it (`Keywords::content`) and as the path-scoped
    /// rules the file's path admits read it (`Keywords::path`), never as another path rule's.
    keywords: Option<Prefilter>,
    /// Per rule: it has a path filter (its keywords' hits are not the content rules').
    has_path: Vec<bool>,
    /// Rules with a regex and no keywords: their regex runs on the whole blob.
    unkeyed: Vec<usize>,
    path_only: Vec<usize>,
    /// What allowlists, stopwords and inline markers dropped during this engine's scans.
    tally: Tally,
    /// Per rule, its regex as the engine runs it, compiled on first use.
    matchers: Vec<OnceLock<Matcher>>,
    /// Per rule, what is asked of a window before its regex is parsed (`Engine::gate`).
    gates: Vec<OnceLock<Gate>>,
    /// Which rules with a path filter select a path, worked out once per path.
    path_filters: pathsel::PathFilters,
    /// Tells this engine's regex caches apart from another engine's in a thread's `SCRATCH`.
    id: u64,
}

/// How much input an engine will see: it decides what is worth precomputing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Working trees and histories: build the fastest matcher, whatever it costs to build.
    Bulk,
    /// A staged change: start fast.
    FewBytes,
}

impl Engine {
    pub fn new(rules: RuleSet) -> Engine {
        Engine::for_workload(rules, Workload::Bulk)
    }

    pub fn for_workload(rules: RuleSet, workload: Workload) -> Engine {
        let mut unkeyed = Vec::new();
        let mut path_only = Vec::new();
        for (i, rule) in rules.rules.iter().enumerate() {
            if rule.is_path_only() {
                path_only.push(i);
            } else if rule.keywords.is_empty() {
                unkeyed.push(i);
            }
        }
        let has_path: Vec<bool> = rules.rules.iter().map(|r| r.path.is_some()).collect();
        // One automaton for both kinds: a second one over the path rules' keywords ran over every
        // file any of them admitted (a user rule scoped to `\.py$`: +12% of openai-python).
        let pairs = rules
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.regex.is_some())
            .flat_map(|(i, r)| r.keywords.iter().map(move |k| (i, k)));
        let keywords = Prefilter::build_split(pairs, workload, |r| has_path[r]);

        let matchers = rules.rules.iter().map(|_| OnceLock::new()).collect();
        let gates = rules.rules.iter().map(|_| OnceLock::new()).collect();
        let id = NEXT_ENGINE_ID.fetch_add(1, Ordering::Relaxed);
        let path_filters = pathsel::PathFilters::new(&rules.rules, id);
        Engine {
            rules,
            keywords,
            has_path,
            unkeyed,
            path_only,
            tally: Tally::default(),
            matchers,
            gates,
            path_filters,
            id,
        }
    }

    /// Rule `r`'s gate (it has a regex): its need and whether it keeps to its keyword's line,
    /// from build.rs's table for a built-in rule, from its parse for any other. Parsing a rule's
    /// regex was most of what a keyword reaching it cost, and most rules reached never see a
    /// window that holds their need (docs/engine.md, "The 150 MB/s floor, third round").
    pub(super) fn gate(&self, r: usize) -> &Gate {
        self.gates[r].get_or_init(|| {
            let rule = &self.rules.rules[r];
            let src = rule.regex.as_ref().expect("a rule with a regex").as_str();
            let facts =
                builtin_facts(src, &rule.keywords).or_else(|| Facts::of(src, &rule.keywords));
            let facts = facts.expect("rule regexes parse (validated when the rules were loaded)");
            let mut gate = Gate::new(
                facts,
                windows::LINE_REACH,
                assign::Assignment::of(src).is_some(),
                rule.lines.map(|l| l != crate::rules::Lines::One),
            );
            gate.long_reach = long_reach(src);
            gate
        })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules.rules
    }

    /// Whether rule `r`'s regex crosses a line's end only through a repeated negated class
    /// (`[^"]*`: `gate::LineUse::Negated`) and the rule says neither `lines` nor `(?s)`: what
    /// `examples::check` refuses of a built-in rule.
    pub fn lines_undeclared(&self, r: usize) -> bool {
        let rule = &self.rules.rules[r];
        rule.regex.is_some()
            && rule.lines.is_none()
            && self.gate(r).line_use == gate::LineUse::Negated
    }

    /// Whether rule `r` counts its lines (`lines = "N"`, `rules::Lines::Count`) and its regex can
    /// match more line ends than `N - 1` (`gate::max_breaks`): its windows would cut such a match,
    /// so `examples::check` refuses it.
    pub fn lines_overcounted(&self, r: usize) -> bool {
        let rule = &self.rules.rules[r];
        let (Some(crate::rules::Lines::Count(n)), Some(regex)) = (rule.lines, &rule.regex) else {
            return false;
        };
        gate::parse(regex.as_str())
            .and_then(|hir| gate::max_breaks(&hir))
            .is_none_or(|most| most >= u64::from(n))
    }

    /// What loading the config noticed without rejecting it; reports add these to `stats.notes`.
    pub fn config_notes(&self) -> &[String] {
        &self.rules.notes
    }

    /// What allowlists, stopwords and inline markers dropped so far.
    pub fn suppressions(&self) -> &Tally {
        &self.tally
    }

    pub fn rule(&self, index: usize) -> &Rule {
        &self.rules.rules[index]
    }

    /// What `scope` lets in: rules without a path filter in every scope but `PathRulesAt`, those
    /// with one where it selects the scope's path (worked out once per path: `pathsel`).
    fn admits<'a>(&self, scope: PathScope<'a>) -> pathsel::Admits<'a> {
        self.path_filters.admits(&self.rules.rules, scope)
    }

    fn admit(&self, admits: &pathsel::Admits, r: usize) -> bool {
        self.path_filters.admit(&self.rules.rules, admits, r)
    }

    /// True when some rule with a path filter selects `path`: only then does a blob seen at that path
    /// need a second, path-scoped scan.
    pub fn has_path_rules_for(&self, path: &str) -> bool {
        self.path_filters.any(&self.rules.rules, path)
    }

    /// Every hit in `data` for the rules in `scope`, in order of position.
    pub fn scan(&self, data: &[u8], scope: PathScope) -> Vec<Hit> {
        self.scan_keeping_keywords(data, scope).0
    }

    /// `scan`, and where the keywords are, for `scan_changed` on the next version of the file.
    pub fn scan_keeping_keywords(&self, data: &[u8], scope: PathScope) -> (Vec<Hit>, Keywords) {
        // A CRLF file is matched as the LF file it reads as, its hits placed back (`crlf`).
        if let Some(lf) = Lf::of(data) {
            let mut keywords = self.keywords_in(&lf.text, scope);
            keywords.crlf = true;
            let mut hits = self.hits_at_keywords(&lf.text, scope, &keywords);
            for h in &mut hits {
                h.place_back(&lf, data);
            }
            return (hits, keywords);
        }
        let keywords = self.keywords_in(data, scope);
        (self.hits_at_keywords(data, scope, &keywords), keywords)
    }

    /// Every keyword of the rules in `scope`, anywhere in `data`.
    fn keywords_in(&self, data: &[u8], scope: PathScope) -> Keywords {
        let whole = 0..data.len();
        let found = self
            .keywords
            .as_ref()
            .map(|p| find_keywords(p, data, std::slice::from_ref(&whole)))
            .unwrap_or_default();
        self.read_keywords(found, self.path_rules_in(scope))
    }

    /// What the automaton `found`, as the content rules read it and as the path-scoped rules
    /// `path_rules` (those the path admits; none: no path reading) read it. Only their own
    /// keywords: another path rule's would open key-path views and joined runs that the
    /// content rules read (a Go literal `CreateBuildSnapshotCommand{` holds env-file-secret's
    /// `dsn`), and windows for rules the file is not in scope of.
    fn read_keywords(
        &self,
        mut found: Vec<(u32, usize)>,
        path_rules: std::sync::Arc<[u32]>,
    ) -> Keywords {
        let Some(p) = &self.keywords else {
            return Keywords {
                content: Vec::new(),
                path: (!path_rules.is_empty()).then(Vec::new),
                path_rules,
                crlf: false,
            };
        };
        let admitted_bloom = prefilter::bloom(&path_rules);
        // Whether a hit holds an admitted path rule's keyword, asked first in a loop of one AND
        // per hit: most files a path rule admits hold none (a `.py` rule's keyword in a Python
        // tree), and their hits are then read as where no path rule is admitted, the reading for
        // both kinds (a closure with a second list, ~2 instructions a hit more) left for the few
        // that do (docs/engine.md, "Stop 26").
        let path_read = !path_rules.is_empty()
            && found
                .iter()
                .any(|&(k, _)| p.path_bloom(k) & admitted_bloom != 0);
        let mut path = (!path_rules.is_empty()).then(Vec::new);
        if !path_read {
            found.retain_mut(|(k, _)| match p.content_keyword(*k) {
                Some(c) => {
                    *k = c;
                    true
                }
                None => false,
            });
        } else {
            // Both readings in one pass over the hits (a second loop over them was most of what
            // an admitted path rule cost a text; docs/engine.md, "Stop 25").
            let mut read: Vec<(u32, usize)> = Vec::new();
            found.retain_mut(|(k, s)| {
                if let Some(pk) = p.path_keyword(*k, &path_rules, admitted_bloom) {
                    read.push((pk, *s));
                }
                match p.content_keyword(*k) {
                    Some(c) => {
                        *k = c;
                        true
                    }
                    None => false,
                }
            });
            path = Some(read);
        }
        Keywords {
            content: found,
            path,
            path_rules,
            crlf: false,
        }
    }

    /// The rules with a regex and a path filter that `scope` admits, in order (`pathsel`: made
    /// once per path, not per text).
    fn path_rules_in(&self, scope: PathScope) -> std::sync::Arc<[u32]> {
        self.path_filters.scoped(&self.rules.rules, scope)
    }

    /// Every hit of the rules in `scope` around `keywords`, and of the rules without keywords.
    fn hits_at_keywords(&self, data: &[u8], scope: PathScope, keywords: &Keywords) -> Vec<Hit> {
        self.hits_at_depth(data, scope, keywords, 0)
    }

    /// `hits_at_keywords` of text that is `depth` decodings deep (0: the blob itself).
    fn hits_at_depth(
        &self,
        data: &[u8],
        scope: PathScope,
        keywords: &Keywords,
        depth: usize,
    ) -> Vec<Hit> {
        let rules = &self.rules.rules;
        let admits = self.admits(scope);
        // A path rule reports the file itself, once, not each encoded text inside it.
        let mut hits: Vec<Hit> = self
            .path_only
            .iter()
            .filter(|&&i| depth == 0 && self.admit(&admits, i))
            .map(|&i| Hit::whole_file(i))
            .collect();
        // The rules without a path filter are in every scope but `PathRulesAt`; those with one
        // where it selects the path: `keywords.path_rules`, worked out with the keywords (a
        // table of every rule made for each text was most of what an admitted path cost).
        let content_active = !matches!(scope, PathScope::PathRulesAt(_));
        // Each rule's windows, closed in the order they were opened (so in order of start, but
        // for a few hits of one line): the thread's table, all empty between texts. Kept per rule,
        // not as one list of (rule, start, end) sorted by rule, because keyword-dense text opens
        // ~50,000 windows a MiB that do not merge (one per line and rule): the list, its sorted
        // copy and the merged one were 56 MB of a 16 MB chunk's 100 MB peak (massif, a 200 MB
        // log with `token=` on every line).
        let mut windows = RULE_WINDOWS.with(|o| std::mem::take(&mut *o.borrow_mut()));
        if windows.len() < rules.len() {
            windows.resize_with(rules.len(), Vec::new);
        }
        // The last window opened per rule, so that hits on one line extend it instead of piling
        // up, and the rules that have one. The table is the thread's, all `None` between texts:
        // made and read whole for each text (the blob, and every decoded span, joined run and
        // key-path view in it), it was 10M of openai-python's 579M instructions, for the few
        // rules a text's keywords reach.
        let mut open = OPEN_WINDOWS.with(|o| std::mem::take(&mut *o.borrow_mut()));
        if open.len() < rules.len() {
            open.resize(rules.len(), None);
        }
        let mut opened: Vec<usize> = Vec::new();
        let mut windows_of = Windows::new(data);
        // Per rule, where its keyword hits are, in order: a rule whose matches start at or just
        // before its keywords (`Matcher::starts`) tries its regex only there. Each hit lies in the
        // rule's window it opened or extended, so a window's hits are all those within it. Kept
        // for every rule with a regex, not asked of its matcher here: that would parse the regex
        // of every rule a keyword reaches, most of which never pass their need (`Engine::gate`).
        // The thread's table, as `open` is, emptied of what this text put in before it is put back.
        let mut starts = KEYWORD_STARTS.with(|o| std::mem::take(&mut *o.borrow_mut()));
        if starts.len() < rules.len() {
            starts.resize_with(rules.len(), Vec::new);
        }
        // A keyword hit's window depends only on how far the rule reaches (`Reach`), so it is
        // worked out once per hit and reach, not once per rule the keyword stands for: on
        // keyword-dense text a hit fans out to a dozen rules, and each window costs a look back
        // to the line's start.
        // A hit ends at its keyword's end for a rule spanning lines, at its line break for the
        // others (`Prefilter::keyword_line_len`).
        let mut add_window = |r: usize,
                              lines: &mut [Option<(usize, usize)>; 3],
                              start,
                              (end, end_on_line): (usize, usize)| {
            let reach = self.reach(r);
            let end = if reach == windows::Reach::Lines {
                end
            } else {
                end_on_line
            };
            starts[r].push(start);
            let (s, e) = match reach.slot() {
                Some(i) => *lines[i].get_or_insert_with(|| windows_of.window(start, end, reach)),
                None => windows_of.window(start, end, reach),
            };
            match &mut open[r] {
                Some((os, oe)) if s <= *oe && e >= *os => {
                    *os = (*os).min(s);
                    *oe = (*oe).max(e);
                }
                slot => match slot.replace((s, e)) {
                    Some(closed) => windows[r].push(closed),
                    None => opened.push(r),
                },
            }
        };
        // A keyword's rules are both kinds': the content reading opens windows for those
        // without a path filter, the path reading for those the path admits.
        let found_by = [
            (Some(&keywords.content).filter(|_| content_active), false),
            (keywords.path.as_ref(), true),
        ];
        for (found, path_reading) in found_by {
            if let (Some(p), Some(found)) = (&self.keywords, found) {
                for &(pattern, start) in found {
                    let end = start + p.keyword_len(pattern);
                    let end_on_line = start + p.keyword_line_len(pattern);
                    let mut lines = [None; 3];
                    for &r in p.rules_of(pattern) {
                        let wanted = if path_reading {
                            keywords.path_rules.binary_search(&(r as u32)).is_ok()
                        } else {
                            !self.has_path[r]
                        };
                        if wanted {
                            add_window(r, &mut lines, start, (end, end_on_line));
                        }
                    }
                }
            }
        }
        // Each rule's last window after its others, as it was opened.
        for &r in &opened {
            if let Some(last) = open[r].take() {
                windows[r].push(last);
            }
        }
        OPEN_WINDOWS.with(|o| *o.borrow_mut() = open);
        // From here `opened` lists every rule with windows: the keyed ones that opened one, and
        // the rules without keywords, whose window is the whole text.
        for &r in &self.unkeyed {
            if rules[r].regex.is_some() && self.admit(&admits, r) {
                windows[r].push((0, data.len()));
                opened.push(r);
            }
        }
        // In order of rule, as the findings always were (`finish` weighs them in that order).
        opened.sort_unstable();
        let mut found: Vec<Hit> = Vec::new();
        // Whether a generic hit sits in a documentation example matters only on a documentation
        // page (`policy::example_markups`): where the scope names a path, only if that path is one.
        let page = match scope {
            PathScope::At(path) | PathScope::PathRulesAt(path) => docs::Markup::of_path(path)
                .is_some()
                .then(|| docs::Page::new(data)),
            PathScope::ContentOnly => Some(docs::Page::new(data)),
        };
        for &r in &opened {
            let of_rule = &mut windows[r];
            // A few hits on one line open their windows out of order (checked, and sorted then).
            if !of_rule.is_sorted_by_key(|w| w.0) {
                of_rule.sort_unstable();
            }
            // A rule's hits come in order of start, as its windows do: `taken` of them lie in
            // the windows already matched.
            let mut taken = 0;
            let mut i = 0;
            while i < of_rule.len() {
                // Overlapping windows of one rule are matched as one.
                let (s, mut e) = of_rule[i];
                i += 1;
                while i < of_rule.len() && of_rule[i].0 <= e {
                    e = e.max(of_rule[i].1);
                    i += 1;
                }
                let rest = &starts[r][taken..];
                // Counted from the front, not searched: a window holds a few of its rule's hits
                // and lies just after the last window's, so a binary search over all that are
                // left (a generic rule's thousands in a large file) costs more.
                let before = rest.iter().take_while(|&&p| p < s).count();
                let within = rest[before..].iter().take_while(|&&p| p < e).count();
                let hits = &rest[before..before + within];
                taken += before + within;
                self.match_rule(r, data, page.as_ref(), (s, e), hits, &mut found);
            }
            release(of_rule);
        }
        RULE_WINDOWS.with(|o| *o.borrow_mut() = windows);
        // Every rule with keyword hits opened a window first (`opened`).
        for &r in &opened {
            release(&mut starts[r]);
        }
        KEYWORD_STARTS.with(|o| *o.borrow_mut() = starts);
        // Commented examples and placeholders are dropped whatever else matched there: kept apart
        // from what the steps below weigh hits against, and counted by `findings`.
        let mut yielded: Vec<Hit> = Vec::new();
        if found.iter().any(|h| h.comment_example || h.placeholder) {
            let (examples, rest) = found
                .into_iter()
                .partition(|h| h.comment_example || h.placeholder);
            (yielded, found) = (examples, rest);
            // One value several generic rules took for made up is counted once, under the most
            // precise of them.
            let rules = &self.rules.rules;
            yielded.sort_by_key(|h| (h.start, h.end, !h.placeholder, rules[h.rule].yields, h.rule));
            yielded.dedup_by(|b, a| {
                a.placeholder && b.placeholder && (a.start, a.end) == (b.start, b.end)
            });
            // A placeholder another hit reads as a secret (a format rule's, a wider generic
            // match) is that hit's value: it yields to it, counted only where none stands.
            for p in yielded.iter_mut().filter(|h| h.placeholder) {
                p.shadowed_by = found
                    .iter()
                    .filter(|f| f.start < p.end && p.start < f.end)
                    .map(Hit::key)
                    .collect();
            }
        }
        self.add_decoded(data, scope, &mut found, &mut yielded, depth);
        // Key paths in decoded text too: a base64 Secret's value that is a YAML or JSON document.
        if depth < decode::MAX_DEPTH {
            self.add_keypaths(data, scope, keywords, &mut found);
        }
        if depth == 0 {
            self.add_joined(data, scope, keywords, &mut found);
        }
        hits.extend(self.finish(data, found, yielded));
        hits
    }

    /// Hits in the encoded spans of `data` (base64, percent, JSON escapes, hex: decode.rs), matched by
    /// every rule in scope and placed on the encoded span, so the finding points at the text as it
    /// stands and names the secret it encodes. A secret the plain text already showed is not reported
    /// twice; a generic or vendor-context hit on a span that decoded to a secret is that secret,
    /// encoded, and yields (`Rule::yields`).
    fn add_decoded(
        &self,
        data: &[u8],
        scope: PathScope,
        found: &mut Vec<Hit>,
        yielded: &mut Vec<Hit>,
        depth: usize,
    ) {
        if depth >= decode::MAX_DEPTH {
            return;
        }
        let mut extra: Vec<Hit> = Vec::new();
        for span in decode::spans(data) {
            // A decoded text with CRLF lines (a Windows `.env` in a base64 Secret) is read as LF
            // too: its hits are placed on the encoded span, whatever their offsets.
            let lf = Lf::of(&span.text);
            let text = lf.as_ref().map_or(&span.text[..], |lf| &lf.text[..]);
            let keywords = self.keywords_in(text, scope);
            // A specific rule that matched most of the encoded text as it stands (a kubeconfig's
            // base64 client key) already reported this secret in its stored form, and a more
            // precise rule's plain hit on the part of the span a decoded secret came from (an
            // ADO.NET password rule on `Password=%4D…`) is that secret as it stands. The span is
            // still decoded: a decoded secret from elsewhere in it is another one, reported. The
            // decoded secret yields to those hits (`yields_to`), judged after allowlists as any
            // hit that yields.
            let rules = &self.rules.rules;
            let claims = found.iter().any(|f| {
                rules[f.rule].yields == 0
                    && 2 * overlap(f.start..f.end, span.start..span.end) >= span.end - span.start
            });
            let yields_to = |inner: &Hit| -> Vec<HitKey> {
                let at = encoded_range(span.start..span.end, text.len(), inner.start..inner.end);
                let rank = rules[inner.rule].yields;
                found
                    .iter()
                    .filter(|f| {
                        let shared = overlap(f.start..f.end, at.clone());
                        let r = rules[f.rule].yields;
                        shared > 0
                            && (r < rank
                                || claims
                                    && r == 0
                                    && rank == 0
                                    && 2 * overlap(f.start..f.end, span.start..span.end)
                                        >= span.end - span.start
                                    && 2 * shared >= at.len())
                    })
                    .map(Hit::key)
                    .collect()
            };
            for inner in self.hits_at_depth(text, scope, &keywords, depth + 1) {
                let claimed = yields_to(&inner);
                let mut decoded = vec![span.encoding];
                decoded.extend(inner.decoded.iter().copied());
                let at_span = |key: &HitKey| HitKey {
                    start: span.start,
                    end: span.end,
                    rule: key.rule,
                };
                // A plain hit on the same secret is this one as it stands: it takes the span,
                // unless its own rule's filters drop it (`findings`).
                let plain: Vec<HitKey> = found
                    .iter()
                    .filter(|f| {
                        f.start < span.end && span.start < f.end && f.secret == inner.secret
                    })
                    .map(Hit::key)
                    .collect();
                let shadowed_by = inner
                    .shadowed_by
                    .iter()
                    .map(at_span)
                    .chain(plain)
                    .chain(claimed)
                    .collect();
                let hit = Hit {
                    start: span.start,
                    end: span.end,
                    match_start: span.start,
                    encoded: data[span.start..span.end].to_vec(),
                    decoded,
                    doc_example: 0,
                    shadowed_by,
                    ..inner
                };
                // A hit dropped whatever the rest says (a marker inside the decoded text, a
                // commented example), or one that yields: kept apart from what the plain hits
                // are judged against below, as if it were not there, and counted or resolved
                // by `findings`.
                if !hit.stands() {
                    yielded.push(hit);
                } else {
                    extra.push(hit);
                }
            }
        }
        if extra.is_empty() {
            return;
        }
        let rules = &self.rules.rules;
        let mut i = 0;
        while i < found.len() {
            let f = &found[i];
            let rank = rules[f.rule].yields;
            let over: Vec<HitKey> = extra
                .iter()
                .filter(|x| {
                    rank > 0 && rules[x.rule].yields <= rank && x.start < f.end && f.start < x.end
                })
                .map(Hit::key)
                .collect();
            if over.is_empty() {
                i += 1;
            } else {
                let mut f = found.remove(i);
                f.shadowed_by = over;
                yielded.push(f);
            }
        }
        found.append(&mut extra);
    }

    /// Orders raw matches, drops repeats, marks generic matches a specific rule also made, places
    /// them on lines and marks those whose line carries an allow marker. `yielded`: hits kept apart
    /// by the steps before (`add_decoded`), added back for `findings` to judge.
    fn finish(&self, data: &[u8], mut found: Vec<Hit>, yielded: Vec<Hit>) -> Vec<Hit> {
        // Two secrets decoded from one encoded span share its position: the secret tells them apart.
        let order = |a: &Hit, b: &Hit| {
            (a.start, a.rule)
                .cmp(&(b.start, b.rule))
                .then_with(|| a.secret.expose().cmp(b.secret.expose()))
        };
        let same = |a: &mut Hit, b: &mut Hit| {
            (a.start, a.end, a.rule) == (b.start, b.end, b.rule) && a.secret == b.secret
        };
        found.sort_by(order);
        found.dedup_by(same);
        self.mark_generic_overlaps(&mut found);
        if !yielded.is_empty() {
            // After the hits that stand (a stable sort): a repeat of one of them is that one.
            found.extend(yielded);
            found.sort_by(order);
            found.dedup_by(same);
        }
        let mut lines = LineCounter::new(data);
        for h in &mut found {
            lines.locate(h);
        }
        // Searched once per line: the hits on one line share its text (`LineText`), and a
        // minified line holds thousands of them.
        let mut last: Option<(LineText, bool)> = None;
        for h in &mut found {
            let allowed = match &last {
                Some((text, allowed)) if Arc::ptr_eq(text, &h.line_text) => *allowed,
                _ => {
                    let allowed = allowed_inline(&h.line_text);
                    last = Some((h.line_text.clone(), allowed));
                    allowed
                }
            };
            // A decoded hit's own text may have carried the marker (`add_decoded`).
            h.inline_allowed |= allowed;
        }
        found
    }

    /// A secret that a specific rule (a vendor's format) found is not reported again by a
    /// vendor-context rule (the vendor's name beside any value) or a generic one (an assignment to a
    /// secret-sounding name), nor a vendor-context one again by a generic one: one leak, one finding,
    /// under its most precise name (`Rule::yields`). The vaguer hit is kept, marked with the hits it
    /// yields to (`Hit::shadowed_by`): should all of those be dropped by their own rules' allowlists,
    /// it is reported (`findings`). Only hits that yield to none are asked: those marked already
    /// (a history's content hits, joined with a path's) stay as they are.
    pub(crate) fn mark_generic_overlaps(&self, found: &mut [Hit]) {
        let rules = &self.rules.rules;
        if found.iter().all(|h| rules[h.rule].yields == 0) {
            return;
        }
        // A decoded secret is placed on its whole encoded span, so its position says nothing of
        // which value it is: what it yields to was settled where its span was decoded (the hits
        // of the decoded text, weighed at their own places; the plain hit showing the same
        // secret; the plain hit claiming the part of the span it came from), and a plain hit's
        // yielding to it too (`add_decoded`).
        let ranked: Vec<(u8, HitKey)> = found
            .iter()
            .filter(|h| h.shadowed_by.is_empty() && !h.is_decoded_span())
            .map(|h| (rules[h.rule].yields, h.key()))
            .collect();
        // Pairwise where that is a few comparisons (most files' hits), by place otherwise.
        if found.len().saturating_mul(ranked.len()) > Overlaps::PAIRWISE {
            return Overlaps::new(&ranked).mark(rules, found, &ranked);
        }
        for h in found.iter_mut() {
            let rank = rules[h.rule].yields;
            if rank == 0 || h.is_decoded_span() {
                continue;
            }
            for &(r, k) in &ranked {
                if r < rank && h.start < k.end && k.start < h.end {
                    h.shadowed_by.push(k);
                }
            }
        }
    }

    /// Scan-and-report for one file in the working tree.
    pub fn scan_file_bytes(&self, data: &[u8], path: &str) -> Vec<Finding> {
        self.findings(&self.scan(data, PathScope::At(path)), path, None)
    }

    /// `scan_file_bytes` with each rule's reading of a value, where two rules of one rank read
    /// it (`Engine::judge`): for checking a rule against its examples.
    pub fn scan_file_bytes_every_reading(&self, data: &[u8], path: &str) -> Vec<Finding> {
        self.judge(&self.scan(data, PathScope::At(path)), path, None, false)
    }
}

thread_local! {
    /// `hits_at_depth`'s table of each rule's keyword hits, kept between texts (all empty).
    static KEYWORD_STARTS: std::cell::RefCell<Vec<Vec<usize>>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// `hits_at_depth`'s table of each rule's closed windows, kept between texts (all empty).
    static RULE_WINDOWS: std::cell::RefCell<Vec<Vec<(usize, usize)>>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// `hits_at_depth`'s table of the last window opened per rule, kept between texts.
    static OPEN_WINDOWS: std::cell::RefCell<Vec<Option<(usize, usize)>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Each built-in rule's gate facts as build.rs worked them out (`gate::Table`), read on first use.
const GATE_FACTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gate_facts.postcard"));

fn builtin_table() -> &'static gate::Table {
    static TABLE: OnceLock<gate::Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        postcard::from_bytes(GATE_FACTS).expect("build.rs wrote the gate facts in this shape")
    })
}

/// The facts build.rs worked out for the regex `src` with `keywords`, if it is a built-in rule's.
fn builtin_facts(src: &str, keywords: &[String]) -> Option<Facts> {
    builtin_table().facts(src, keywords)
}

/// The built-in rules' parsed regexes (`gate::Table::code`), deflated.
const GATE_CODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gate_code.deflate"));
/// The built-in rules' check NFAs (`nfacode`), each deflated on its own against `NFA_DICT`
/// (`gate::Table::pack_nfas`): a rule's is inflated when its check is first built.
const NFA_CODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfa_code.bin"));
/// The dictionary the check NFAs are deflated against.
const NFA_DICT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfa_dict.bin"));

/// The regex `src` (with `keywords`) as build.rs parsed it, if it is a built-in rule's: read back
/// at a fraction of what parsing costs (`gate::decode`); with where its matches start and the
/// strings they hold, as build.rs worked them out (`starts::KeywordStarts`, `litneed`).
fn builtin_hir(src: &str, keywords: &[String]) -> Option<gate::Built<'static>> {
    static CODE: OnceLock<Vec<u8>> = OnceLock::new();
    let code = CODE.get_or_init(|| inflate(GATE_CODE));
    builtin_table().hir(src, keywords, code, NFA_CODE)
}

/// A table's code as build.rs wrote it (`write_table`: the inflated length, then the deflated
/// bytes), inflated into a buffer of that length. Read to the end through a `DeflateDecoder`, it
/// was grown by doubling, each new part zeroed before it was written and probed for the end: a
/// fifth more than inflating, ~0.6M instructions of the first rule a run compiles
/// (docs/engine.md, "Stop 41").
fn inflate(framed: &[u8]) -> Vec<u8> {
    let (len, deflated) = framed.split_at(4);
    let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
    let mut code = Vec::with_capacity(len);
    let status = flate2::Decompress::new(false)
        .decompress_vec(deflated, &mut code, flate2::FlushDecompress::Finish)
        .expect("build.rs deflated the table's code");
    assert!(
        status == flate2::Status::StreamEnd && code.len() == len,
        "build.rs deflated the table's code whole"
    );
    code
}

/// A check NFA's code as build.rs wrote it (`gate::Table::pack_nfas`: the inflated length, then
/// the bytes deflated against `NFA_DICT`), inflated into a buffer of that length. The dictionary
/// is copied into the inflater's window first (16 KB, a few thousand instructions): against it the
/// NFAs take half the binary's bytes (docs/engine.md, "Stop 45").
fn inflate_nfa(framed: &[u8]) -> Vec<u8> {
    let (len, deflated) = framed.split_at(4);
    let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
    let mut code = Vec::with_capacity(len);
    let mut inflater = flate2::Decompress::new(false);
    if !NFA_DICT.is_empty() {
        inflater
            .set_dictionary(NFA_DICT)
            .expect("a raw inflate takes a dictionary");
    }
    let status = inflater
        .decompress_vec(deflated, &mut code, flate2::FlushDecompress::Finish)
        .expect("build.rs deflated the check's NFA against the dictionary");
    assert!(
        status == flate2::Status::StreamEnd && code.len() == len,
        "build.rs deflated the check's NFA whole"
    );
    code
}

/// The built-in path and allowlist regexes as build.rs parsed them (`patterns::Patterns`), and
/// their trees, deflated.
const PATTERN_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/patterns.postcard"));
const PATTERN_CODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/patterns_code.deflate"));

/// The path or allowlist regex `src` as `rules::LazyDfa` parses it, if it is a built-in one: read
/// back at a fraction of what parsing costs (the table and its trees inflated on first use).
pub(crate) fn builtin_pattern(src: &str) -> Option<regex_syntax::hir::Hir> {
    static TABLE: OnceLock<(patterns::Patterns, Vec<u8>)> = OnceLock::new();
    let (table, code) = TABLE.get_or_init(|| {
        let table = postcard::from_bytes(PATTERN_INDEX)
            .expect("build.rs wrote the parsed patterns in this shape");
        (table, inflate(PATTERN_CODE))
    });
    table.hir(src, code)
}

/// How many positions the ranges `a` and `b` share.
fn overlap(a: std::ops::Range<usize>, b: std::ops::Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// Where the bytes `inner` of a span's decoded text (`decoded_len` bytes) lie in the encoded span
/// `span`, in proportion: exact for base64 and hex without line breaks, near for the rest (an
/// escape is a few bytes for one). Enough to tell which part of an encoded blob a secret came from.
fn encoded_range(
    span: std::ops::Range<usize>,
    decoded_len: usize,
    inner: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let (len, n) = (span.len(), decoded_len.max(1));
    let start = span.start + inner.start.min(n) * len / n;
    let end = span.start + (inner.end.min(n) * len).div_ceil(n);
    start..end.max(start + 1).min(span.end.max(start + 1))
}

/// Empties a thread's table entry for the next text, keeping its room unless one large text
/// (a keyword-dense chunk) grew it: that room would stay with the thread for the whole scan.
fn release<T>(entries: &mut Vec<T>) {
    if entries.capacity() > 1 << 14 {
        *entries = Vec::new();
    } else {
        entries.clear();
    }
}

impl Hit {
    fn whole_file(rule: usize) -> Hit {
        Hit {
            rule,
            secret: Secret::new(String::new()),
            matched: Vec::new(),
            line_text: Default::default(),
            start: 0,
            end: 0,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            entropy: 0.0,
            context: Context::empty(),
            match_start: 0,
            doc_example: 0,
            inline_allowed: false,
            decoded: Vec::new(),
            encoded: Vec::new(),
            comment_example: false,
            placeholder: false,
            shadowed_by: Vec::new(),
        }
    }

    /// Moves a hit found in `lf`'s text onto the bytes `data` it was read from (`crlf`).
    fn place_back(&mut self, lf: &Lf, data: &[u8]) {
        // A path rule's hit names the file, not a place in it.
        if self.is_whole_file() {
            return;
        }
        let at = |start: usize, end: usize| (lf.start(start), lf.end(end).max(lf.start(start)));
        (self.start, self.end) = at(self.start, self.end);
        self.match_start = lf.start(self.match_start);
        if !self.encoded.is_empty() {
            self.encoded = data[self.start..self.end].to_vec();
        }
        for k in &mut self.shadowed_by {
            (k.start, k.end) = at(k.start, k.end);
        }
    }

    /// What `shadowed_by` names this hit by.
    pub fn key(&self) -> HitKey {
        HitKey {
            start: self.start,
            end: self.end,
            rule: self.rule,
        }
    }

    /// Neither dropped whatever else matched there (an allow marker on its line, a commented
    /// example) nor yielding to another hit. A view of the text (key paths, joined literals,
    /// ANSI-coloured or escaped lines) is a second reading of what the plain scan reads, and only
    /// its standing hits are weighed against the plain ones, as before hits were kept marked.
    pub(super) fn stands(&self) -> bool {
        !self.inline_allowed
            && !self.comment_example
            && !self.placeholder
            && self.shadowed_by.is_empty()
    }

    /// Found in an encoded span's decoded text (not a joined run, which is placed on its pieces).
    fn is_decoded_span(&self) -> bool {
        self.decoded.first().is_some_and(|e| *e != Encoding::Joined)
    }

    pub fn is_whole_file(&self) -> bool {
        self.secret.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;

    #[test]
    fn a_rule_whose_text_says_a_line_break_reaches_along_a_long_line() {
        // The same regex twice, a backslash and `n` after the value: spelled `\\n`, its text says
        // `\n` (`long_reach`, asked with the gate at the first hit), and its one-line matches of
        // unbounded length reach along a long line; spelled `\x5cn`, it reaches its line.
        let e = engine(concat!(
            "[[rules]]\nid = \"a\"\nregex = '''zqkey=([a-z0-9]{8,})(?:\\\\n|;)'''\nkeywords = [\"zqkey\"]\n",
            "[[rules]]\nid = \"b\"\nregex = '''zqkey=([a-z0-9]{8,})(?:\\x5cn|;)'''\nkeywords = [\"zqkey\"]\n",
            "[[rules]]\nid = \"c\"\nregex = '''(?s)zqkey=([a-z0-9]{8,})'''\nkeywords = [\"zqkey\"]\nlines = \"one\"\n",
        ));
        assert_eq!(e.reach(0), windows::Reach::LongLine);
        assert_eq!(e.reach(1), windows::Reach::Line);
        assert_eq!(e.reach(2), windows::Reach::LongLine);
        assert!(long_reach(r"a[\s\S]{0,9}b") && !long_reach(r"a[\s]{0,9}b"));
    }

    #[test]
    fn every_built_in_rules_gate_from_build_rs_is_the_one_its_parse_gives() {
        // build.rs works the facts out from the rule files; the engine looks them up by regex
        // and keywords as the loaded rule holds them. Each must be found, and be what the regex
        // parsed as `Matcher::build` parses it gives (a change to the analysis, the parse or the
        // keywords' form that build.rs does not follow fails here).
        let rules = RuleSet::builtin().expect("built-in rules load").rules;
        let mut checked = 0;
        let mut with_starts = 0;
        let mut with_literals = 0;
        for rule in rules.iter().filter(|r| r.regex.is_some()) {
            let src = rule.regex.as_ref().unwrap().as_str();
            let built = builtin_facts(src, &rule.keywords)
                .unwrap_or_else(|| panic!("{}: no facts from build.rs", rule.id));
            let syntax = |unicode: bool| {
                regex_automata::util::syntax::Config::new()
                    .unicode(unicode)
                    .utf8(false)
            };
            let hir = regex_automata::util::syntax::parse_with(src, &syntax(false))
                .ok()
                .or_else(|| regex_automata::util::syntax::parse_with(src, &syntax(true)).ok())
                .map(|hir| gate::on_lines(&hir))
                .unwrap();
            assert_eq!(built, Facts::of_hir(&hir, &rule.keywords), "{}", rule.id);
            let read_back = builtin_hir(src, &rule.keywords)
                .unwrap_or_else(|| panic!("{}: no parsed regex from build.rs", rule.id));
            let mut code = read_back.code;
            assert_eq!(gate::decode(&mut code).as_ref(), Some(&hir), "{}", rule.id);
            assert!(code.is_empty(), "{}", rule.id);
            // Where matches start and the strings they hold, as the matcher would work them out
            // from the parse.
            assert_eq!(
                read_back.starts,
                starts::KeywordStarts::of_regex(&hir, &rule.keywords),
                "{}",
                rule.id
            );
            assert_eq!(
                read_back.literals,
                litneed::LiteralNeed::strings(&hir, &rule.keywords),
                "{}",
                rule.id
            );
            with_starts += usize::from(read_back.starts.is_some());
            with_literals += usize::from(!read_back.literals.is_empty());
            assert_eq!(
                Some(&built),
                Facts::of(src, &rule.keywords).as_ref(),
                "{}",
                rule.id
            );
            checked += 1;
        }
        assert!(checked > 600, "{checked}");
        assert!(with_starts > 300, "{with_starts}");
        assert!(with_literals > 30, "{with_literals}");
        // A user's rule is not in the table: its facts come from its parse.
        assert!(builtin_facts("user[a-z]{40}", &["user".into()]).is_none());
        assert!(builtin_hir("user[a-z]{40}", &["user".into()]).is_none());
    }

    #[test]
    fn every_built_in_path_and_allowlist_regex_from_build_rs_is_the_one_its_parse_gives() {
        // build.rs parses them (`patterns::Patterns`); `rules::LazyDfa` compiles what it reads
        // back. Each must be found, and be the tree the DFA builder's own parse gives (a change
        // to the parse's settings, the encoding or the sources' form that build.rs does not
        // follow fails here).
        let set = RuleSet::builtin().expect("built-in rules load");
        let lists = || {
            set.global
                .iter()
                .chain(set.rules.iter().flat_map(|r| r.allowlists.iter()))
        };
        let mut sources: Vec<&str> = lists()
            .flat_map(|a| a.regexes.iter().map(|r| r.as_str()))
            .chain(lists().flat_map(|a| a.paths.iter().map(|p| p.as_str())))
            .chain(
                set.rules
                    .iter()
                    .filter_map(|r| r.path.as_ref().map(|p| p.as_str())),
            )
            .collect();
        sources.sort_unstable();
        sources.dedup();
        let syntax = regex_automata::util::syntax::Config::new()
            .unicode(false)
            .utf8(false);
        let mut checked = 0;
        for src in sources {
            let parsed = regex_automata::util::syntax::parse_with(src, &syntax).ok();
            // One that needs Unicode does not parse here, and is not filed.
            assert_eq!(builtin_pattern(src), parsed, "{src}");
            checked += usize::from(parsed.is_some());
        }
        assert!(checked > 200, "{checked}");
        assert!(builtin_pattern(r"(?:^|/)not-a-built-in\.txt$").is_none());
    }

    #[test]
    fn a_tables_code_is_inflated_whole_into_a_buffer_of_its_length() {
        for framed in [GATE_CODE, PATTERN_CODE] {
            let mut streamed = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::DeflateDecoder::new(&framed[4..]),
                &mut streamed,
            )
            .unwrap();
            assert!(streamed.len() > 100_000, "{}", streamed.len());
            let code = inflate(framed);
            assert_eq!(code, streamed);
            // One buffer, never grown: its room is the length build.rs wrote.
            assert_eq!(code.capacity(), code.len());
        }
    }

    #[test]
    fn the_check_nfas_inflate_against_the_shared_dictionary_and_only_against_it() {
        // Every NFA of the table, walked as build.rs laid them out: each inflates whole against
        // the dictionary, and some (most) do not inflate without it, so it is used.
        let (mut at, mut nfas, mut need_dict) = (0, 0, 0);
        while at < NFA_CODE.len() {
            let len = u32::from_le_bytes(NFA_CODE[at..at + 4].try_into().unwrap()) as usize;
            let mut inflater = flate2::Decompress::new(false);
            inflater.set_dictionary(NFA_DICT).unwrap();
            let mut code = Vec::with_capacity(len);
            let status = inflater
                .decompress_vec(
                    &NFA_CODE[at + 4..],
                    &mut code,
                    flate2::FlushDecompress::Finish,
                )
                .unwrap();
            assert_eq!((status, code.len()), (flate2::Status::StreamEnd, len));
            let end = at + 4 + inflater.total_in() as usize;
            assert_eq!(inflate_nfa(&NFA_CODE[at..end]), code);
            let mut alone = Vec::with_capacity(len);
            let without = flate2::Decompress::new(false).decompress_vec(
                &NFA_CODE[at + 4..end],
                &mut alone,
                flate2::FlushDecompress::Finish,
            );
            if without.is_err() || alone != code {
                need_dict += 1;
            }
            nfas += 1;
            at = end;
        }
        assert!(nfas > 1000, "{nfas}");
        assert!(need_dict * 2 > nfas, "{need_dict} of {nfas}");
        assert!(
            (8_000..=16 * 1024).contains(&NFA_DICT.len()),
            "{}",
            NFA_DICT.len()
        );
    }

    #[test]
    fn a_rule_whose_need_no_window_holds_is_never_parsed() {
        // Its keyword on every line, never the 36-character run its need asks for: the rule is
        // gated out before its regex is parsed; one window that holds the run builds it.
        let e = engine(PAT_RULE);
        let text = "ghp_short\nghp_x and ghp_y\n".repeat(20);
        assert!(e.scan(text.as_bytes(), PathScope::ContentOnly).is_empty());
        assert!(e.gates[0].get().is_some(), "the gate was asked");
        assert!(e.matchers[0].get().is_none(), "the regex was parsed");
        let hits = e.scan(
            format!("{text}{TOKEN}\n").as_bytes(),
            PathScope::ContentOnly,
        );
        assert_eq!(hits.len(), 1);
        assert!(e.matchers[0].get().is_some());
    }

    #[test]
    fn many_hits_on_one_line_are_each_reported_once() {
        let e = engine(PAT_RULE);
        let t2 = TOKEN.replace('Q', "R");
        let line = format!("{TOKEN} {t2} {TOKEN}\n");
        let hits = e.scan(line.as_bytes(), PathScope::ContentOnly);
        let cols: Vec<_> = hits.iter().map(|h| h.column).collect();
        assert_eq!(cols, vec![1, 42, 83]);
    }

    #[test]
    fn a_short_validator_keeps_a_value_under_the_entropy_floor_that_it_accepts() {
        // A quoted value (its group a whole run) and an unquoted one after `=` (a run's suffix:
        // `=` is in its class), both judged before their groups are resolved (`SecretShapes`).
        let rule = |short: &str| {
            let toml = r#"[[rules]]
id = "s"
regex = '''(?:token\s*:\s*"([a-z0-9.-]{8,40})"|token=+([a-z0-9.=-]+)$)'''
keywords = ["token"]
entropy = 3.5
"#;
            engine(&format!("{toml}{short}"))
        };
        // Short keys under 3.5 bits a character whose letters and digits interleave; a name with
        // a counter, a version, letters alone, a long value under the floor.
        let key = "fhdfc44hw62xfz"; // leakguard:allow (a test's fake)
        let bare = "c4mf7ciqmx"; // leakguard:allow (a test's fake)
        let text = format!(
            "token: \"{key}\"\ntoken={bare}\ntoken: \"etcd-cluster-01\"\n\
                    token=v12.10.4-rc3\ntoken: \"qwkzmxqwkzmxbd\"\n\
                    token=abcabcabcabc1212121212121212\n"
        );
        let found = |e: &Engine| -> Vec<String> {
            e.scan_file_bytes(text.as_bytes(), "a.yml")
                .iter()
                .map(|f| f.secret.expose().to_string())
                .collect()
        };
        assert_eq!(
            found(&rule("shortValidator = \"interleaved\"\n")),
            vec![key, bare]
        );
        assert!(found(&rule("")).is_empty(), "under the floor without it");
    }

    #[test]
    fn a_generic_rule_yields_to_a_specific_rule_on_the_same_secret() {
        let generic = "[[rules]]\nid = \"gen\"\ntags = [\"generic\"]\nregex = '''token\\s*=\\s*\"([^\"]{20,})\"'''\nkeywords = [\"token\"]\n";
        let e = engine(&format!("{PAT_RULE}{generic}"));
        let line = format!("token = \"{TOKEN}\"\nother_token = \"Zq8Lw3Nv7Rk2Jx5Tb9Mc4Hd6\"\n"); // leakguard:allow (a test's fake)
        let ids: Vec<_> = e
            .scan_file_bytes(line.as_bytes(), "a.py")
            .iter()
            .map(|f| f.rule_id.to_string())
            .collect();
        assert_eq!(
            ids,
            vec!["pat", "gen"],
            "one finding per secret, the generic rule only where nothing specific matched"
        );
    }

    /// A file with more hits than the walk is asked for (`Overlaps::PAIRWISE` pairs): each hit
    /// yields to every hit of a more precise rank on its span, in the file's order, as the walk
    /// marks them; and each value stands once.
    #[test]
    fn a_files_many_hits_yield_by_place_as_the_walk_marks_them() {
        let vendor = "[[rules]]\nid = \"ven\"\ntags = [\"vendor-context\"]\nregex = '''(?i)acme_?token\\s*=\\s*\"([^\"]{20,})\"'''\nkeywords = [\"acme\"]\n";
        let generic = "[[rules]]\nid = \"gen\"\ntags = [\"generic\"]\nregex = '''token\\s*=\\s*\"([^\"]{20,})\"'''\nkeywords = [\"token\"]\n";
        let e = engine(&format!("{PAT_RULE}{vendor}{generic}"));
        let (off_format, other) = ("Zq8Lw3Nv7Rk2Jx5Tb9M", "Pw4Kd8Ns2Bq6Tz9Lm3X"); // leakguard:allow (a test's fakes)
        let n = 40;
        let text: String = (0..n)
            .map(|i| {
                let token = format!("{}{i:06}", &TOKEN[..TOKEN.len() - 6]);
                format!(
                    "acme_token = \"{token}\"\nacme_token = \"{off_format}{i:05}\"\nother_token = \"{other}{i:05}\"\n"
                )
            })
            .collect();
        let hits = e.scan(text.as_bytes(), PathScope::At("a.py"));
        assert!(
            hits.len() * hits.len() > Overlaps::PAIRWISE,
            "{} hits",
            hits.len()
        );
        let rules = e.rules();
        for h in &hits {
            let walk: Vec<HitKey> = hits
                .iter()
                .filter(|k| {
                    rules[k.rule].yields < rules[h.rule].yields
                        && h.start < k.end
                        && k.start < h.end
                })
                .map(Hit::key)
                .collect();
            assert_eq!(h.shadowed_by, walk, "{} at {}", rules[h.rule].id, h.start);
        }
        let ids: Vec<_> = e
            .findings(&hits, "a.py", None)
            .iter()
            .map(|f| f.rule_id.to_string())
            .collect();
        assert_eq!(ids, ["pat", "ven", "gen"].repeat(n));
    }

    #[test]
    fn a_vendor_context_rule_yields_to_a_format_rule_and_a_generic_one_to_both() {
        let vendor = "[[rules]]\nid = \"ven\"\ntags = [\"vendor-context\"]\nregex = '''(?i)acme_?token\\s*=\\s*\"([^\"]{20,})\"'''\nkeywords = [\"acme\"]\n";
        let generic = "[[rules]]\nid = \"gen\"\ntags = [\"generic\"]\nregex = '''token\\s*=\\s*\"([^\"]{20,})\"'''\nkeywords = [\"token\"]\n";
        let e = engine(&format!("{PAT_RULE}{vendor}{generic}"));
        // The format rule's value, the vendor's off-format value, a value only the generic rule sees.
        let (off_format, other) = ("Zq8Lw3Nv7Rk2Jx5Tb9Mc4Hd6", "Pw4Kd8Ns2Bq6Tz9Lm3Xc7Vy5"); // leakguard:allow (a test's fakes)
        let text = format!(
            "acme_token = \"{TOKEN}\"\nacme_token = \"{off_format}\"\nother_token = \"{other}\"\n"
        );
        let ids: Vec<_> = e
            .scan_file_bytes(text.as_bytes(), "a.py")
            .iter()
            .map(|f| f.rule_id.to_string())
            .collect();
        assert_eq!(
            ids,
            vec!["pat", "ven", "gen"],
            "each value once, under the most precise rule that matched it"
        );
    }
}
