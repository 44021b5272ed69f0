//! One engine matches every rule against bytes. A single Aho-Corasick automaton over all rules'
//! keywords finds where anything could match; each candidate rule's regex then runs only on the
//! lines around its keyword hits, so text that mentions no keyword costs one linear pass.

use crate::changes;
use crate::decode::{self, Encoding};
use crate::docs::{self, Markup};
use crate::filters::{looks_like_placeholder, says_not_real, shannon_entropy};
use crate::finding::{fingerprint, CommitInfo, Context, Finding, Secret};
use crate::rules::{Candidate, Rule, RuleSet, REGEX_SIZE_LIMIT};
use crate::suppress::{SuppressKind, Tally};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use regex_automata::util::captures::Captures;
use regex_automata::util::iter::Searcher;
use regex_automata::{meta, MatchKind as RegexMatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};
use std::cell::RefCell;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// How far a window reaches back and forward on one line when the line is long (minified code).
const LINE_REACH: usize = 1024;
/// How far forward a multi-line rule (a private key block) may reach from its keyword.
const MULTILINE_REACH: usize = 16 * 1024;
/// How far past its keyword a window may be stretched to take in the whole of a long token that its
/// nominal end cuts (an AWS session token, a kubeconfig's base64 key, a long JWT): a secret running
/// on beyond this is reported cut here.
const TOKEN_REACH: usize = 64 * 1024;
/// How far before its keyword a long token may start and still be stretched to: the rest of the name
/// the keyword is part of (`AWS_SESSION_TOKEN=` before `IQoJ…`, `aws_session_` before `token`).
const NAME_REACH: usize = 256;
/// Inline markers that suppress findings on their line.
const ALLOW_MARKERS: &[&[u8]] = &[
    b"leakguard:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];
/// Longest context line kept for a finding; longer lines are cut around the secret.
const CONTEXT_REACH: usize = 80;

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
    pub line_text: Vec<u8>,
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
}

pub struct Engine {
    rules: RuleSet,
    /// Keywords of the rules that apply to every file: the one pass every byte goes through.
    content_keywords: Option<Prefilter>,
    /// Keywords of path-scoped rules (`.env` files and the like), searched only in files whose path
    /// selects such a rule, so that their common words (`key`, `pass`) cost nothing elsewhere.
    path_keywords: Option<Prefilter>,
    /// Rules with a regex and no keywords: their regex runs on the whole blob.
    unkeyed: Vec<usize>,
    path_only: Vec<usize>,
    /// What allowlists, stopwords and inline markers dropped during this engine's scans.
    tally: Tally,
    /// Per rule, its regex as the engine runs it, compiled on first use.
    matchers: Vec<OnceLock<Matcher>>,
    /// Tells this engine's regex caches apart from another engine's in a thread's `SCRATCH`.
    id: u64,
}

/// A rule's regex as the engine runs it: the same pattern and settings as `rules::build_bytes_regex`
/// (so the same matches), held as a `regex_automata` meta regex so that each worker thread keeps one
/// cache per rule for the whole run (`SCRATCH`) instead of borrowing one from the regex's shared
/// pool per window. The pool hands a contended thread a fresh cache and drops it afterwards, and a
/// fresh lazy DFA has to be determinized again from nothing (docs/engine.md).
struct Matcher {
    /// The rule's regex, or when it has a `Lead`, the rest of it after the lead.
    re: meta::Regex,
    /// What every match must contain (see `RunNeed`).
    need: Option<Vec<RunNeed>>,
    lead: Option<Lead>,
}

impl Matcher {
    fn new(src: &str) -> Matcher {
        // regex::bytes::RegexBuilder's build, spelled out: leftmost-first, empty matches may split
        // a UTF-8 sequence, no UTF-8 requirement on the haystack, Unicode off unless the pattern
        // needs it; the size limits the rule was validated with. Parsed here (as `meta::Builder::build`
        // would) so that a leading name part can be split off the syntax tree.
        let syntax = |unicode: bool| {
            regex_automata::util::syntax::Config::new()
                .unicode(unicode)
                .utf8(false)
        };
        let hir = regex_automata::util::syntax::parse_with(src, &syntax(false))
            .ok()
            .or_else(|| regex_automata::util::syntax::parse_with(src, &syntax(true)).ok())
            .expect("rule regexes parse (validated when the rules were loaded)");
        let (lead, rest) = match Lead::split(&hir) {
            Some((lead, rest)) => (Some(lead), rest),
            None => (None, hir),
        };
        let re = meta::Builder::new()
            .configure(
                meta::Config::new()
                    .match_kind(RegexMatchKind::LeftmostFirst)
                    .utf8_empty(false)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .hybrid_cache_capacity(REGEX_SIZE_LIMIT),
            )
            .build_from_hir(&rest)
            .expect("rule regexes compile (validated when the rules were loaded)");
        Matcher {
            re,
            need: RunNeed::of_regex(src),
            lead,
        }
    }
}

impl Matcher {
    /// What `captures_iter` does, with this thread's cache: `f(captures, start)` for each match,
    /// where `start` is where the whole match starts (for a regex with a `Lead`, before group 0).
    fn for_each_match(
        &self,
        cache: &mut meta::Cache,
        caps: &mut Captures,
        hay: &[u8],
        mut f: impl FnMut(&Captures, usize),
    ) {
        let mut it = Searcher::new(regex_automata::Input::new(hay));
        let mut from = 0;
        loop {
            let _ = it.advance(|input| {
                from = input.start();
                self.re.search_captures_with(cache, input, caps);
                Ok(caps.get_match())
            });
            let Some(found) = caps.get_match() else {
                break;
            };
            let start = match &self.lead {
                Some(lead) => lead.start(hay, from, found.start()),
                None => found.start(),
            };
            f(caps, start);
        }
    }
}

/// A regex that opens with a lazy, bounded run of one class — the name part of a generic rule,
/// `(?i:[\w.-]{0,40}?(?:password|secret|token…))…` — searched as the rest of the regex, with the
/// match's start moved back over the run afterwards. Searched whole, every byte of an identifier is
/// a place a match could start, and the lazy DFA has to count up to 40 of them for each: in text
/// where every line holds such names it determinizes states without end and reads each byte for
/// every start still alive. The rest starts at the name's core (`password`, `token`), which is rare
/// and which the regex's literal prefilter can look for.
///
/// The answer is the same match, by the semantics of leftmost-first search. Say the rest's leftmost
/// match from the search position `p` starts at `c`. A match of the whole regex starting at `s`
/// needs the rest to match at some `c' >= s >= p` with `s..c'` inside the run, so `c' >= c`; and
/// the earliest such `s` for any `c'` is at least the earliest for `c` (a run reaching back from
/// `c'` past a point reaches back from `c` past it too, and `c - s < c' - s`). So the whole match
/// starts at `s0` = the earliest start of the run before `c` (no further back than `max` bytes, nor
/// than `p`). From `s0` the lazy run tries the shortest lengths first, and the rest matches at no
/// position in `s0..c` (all are `>= p` and before `c`): it stops at `c`, where the rest's own
/// leftmost-first choice is the rest's match. Its capture groups lie in the rest, so they are the same.
#[derive(Debug)]
struct Lead {
    set: [bool; 256],
    max: usize,
}

impl Lead {
    /// `(lead, rest)` when `hir` is a concatenation that opens with `C{0,max}?` (a class of single
    /// bytes) and whose rest cannot match empty (the iteration over matches treats empty ones apart).
    fn split(hir: &Hir) -> Option<(Lead, Hir)> {
        let HirKind::Concat(parts) = hir.kind() else {
            return None;
        };
        let HirKind::Repetition(rep) = parts.first()?.kind() else {
            return None;
        };
        if rep.min != 0 || rep.greedy {
            return None;
        }
        let HirKind::Class(class) = rep.sub.kind() else {
            return None;
        };
        let lead = Lead {
            set: RunNeed::byte_set(class)?,
            max: rep.max? as usize,
        };
        let rest = Hir::concat(parts[1..].to_vec());
        rest.properties()
            .minimum_len()
            .is_some_and(|n| n > 0)
            .then_some((lead, rest))
    }

    /// Where the whole regex's match starts, given the rest's match at `c`, searched from `from`.
    fn start(&self, hay: &[u8], from: usize, c: usize) -> usize {
        let floor = from.max(c.saturating_sub(self.max));
        let mut s = c;
        while s > floor && self.set[hay[s - 1] as usize] {
            s -= 1;
        }
        s
    }
}

/// A rule's lazy-DFA cache and capture slots, as one worker thread keeps them.
type RuleScratch = (meta::Cache, Captures);

static NEXT_ENGINE_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread's regex caches, one per rule of the engine whose id comes first; a thread that
    /// moves on to another engine starts afresh.
    /// With each cache, the rule's capture slots: allocated once, not once per window.
    static SCRATCH: RefCell<(u64, Vec<Option<RuleScratch>>)> = const { RefCell::new((u64::MAX, Vec::new())) };
}

/// A keyword automaton, and for each keyword the rules it stands for.
struct Prefilter {
    automaton: AhoCorasick,
    /// Per pattern: the rules of that keyword and of every keyword it starts with. Leftmost-longest
    /// search reports one keyword per start position, so a shorter keyword hidden at the start of a
    /// longer one must bring its rules along.
    rules_of: Vec<Vec<usize>>,
    /// Per pattern, its length in bytes; and the longest.
    lengths: Vec<usize>,
    longest: usize,
}

impl Prefilter {
    fn build<'a>(
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
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(kind))
            .build(&keywords)
            .expect("keyword automaton builds");
        let lengths = keywords.iter().map(|k| k.len()).collect::<Vec<_>>();
        let longest = lengths.iter().copied().max().unwrap_or(0);
        Some(Prefilter {
            automaton,
            rules_of,
            lengths,
            longest,
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
        let mut pos = focus.start;
        while pos < focus.end {
            let Some(m) = self.automaton.find(Input::new(data).range(pos..focus.end)) else {
                break;
            };
            f(m.pattern().as_u32(), m.start());
            pos = m.start() + 1;
        }
    }

    fn keyword_len(&self, pattern: u32) -> usize {
        self.lengths[pattern as usize]
    }
}

/// Where the rules' keywords occur in one file: what the keyword automata found, as (keyword, start).
/// Kept from one version of a file to the next by `Engine::scan_changed`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keywords {
    content: Vec<(u32, usize)>,
    /// `None` when no path-scoped rule was in scope, so their automaton did not run.
    path: Option<Vec<(u32, usize)>>,
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
        let keyword_pairs = |path_scoped: bool| {
            let rules = &rules.rules;
            rules
                .iter()
                .enumerate()
                .filter(move |(_, r)| r.regex.is_some() && r.path.is_some() == path_scoped)
                .flat_map(|(i, r)| r.keywords.iter().map(move |k| (i, k)))
        };
        let content_keywords = Prefilter::build(keyword_pairs(false), workload);
        let path_keywords = Prefilter::build(keyword_pairs(true), workload);

        let matchers = rules.rules.iter().map(|_| OnceLock::new()).collect();
        Engine {
            rules,
            content_keywords,
            path_keywords,
            unkeyed,
            path_only,
            tally: Tally::default(),
            matchers,
            id: NEXT_ENGINE_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules.rules
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

    fn in_scope(rule: &Rule, scope: PathScope) -> bool {
        match (scope, &rule.path) {
            (PathScope::ContentOnly, p) => p.is_none(),
            (PathScope::At(_), None) => true,
            (PathScope::At(path) | PathScope::PathRulesAt(path), Some(re)) => re.is_match(path),
            (PathScope::PathRulesAt(_), None) => false,
        }
    }

    /// True when some rule with a path filter selects `path`: only then does a blob seen at that path
    /// need a second, path-scoped scan.
    pub fn has_path_rules_for(&self, path: &str) -> bool {
        self.rules
            .rules
            .iter()
            .any(|r| r.path.as_ref().is_some_and(|re| re.is_match(path)))
    }

    /// Every hit in `data` for the rules in `scope`, in order of position.
    pub fn scan(&self, data: &[u8], scope: PathScope) -> Vec<Hit> {
        self.scan_keeping_keywords(data, scope).0
    }

    /// `scan`, and where the keywords are, for `scan_changed` on the next version of the file.
    pub fn scan_keeping_keywords(&self, data: &[u8], scope: PathScope) -> (Vec<Hit>, Keywords) {
        let keywords = self.keywords_in(data, scope);
        (self.hits_at_keywords(data, scope, &keywords), keywords)
    }

    /// Every keyword of the rules in `scope`, anywhere in `data`.
    fn keywords_in(&self, data: &[u8], scope: PathScope) -> Keywords {
        let whole = 0..data.len();
        let everywhere = std::slice::from_ref(&whole);
        let content = self
            .content_keywords
            .as_ref()
            .map(|p| find_keywords(p, data, everywhere))
            .unwrap_or_default();
        let path = self
            .path_rules_active(scope)
            .then(|| {
                self.path_keywords
                    .as_ref()
                    .map(|p| find_keywords(p, data, everywhere))
            })
            .map(Option::unwrap_or_default);
        Keywords { content, path }
    }

    /// `scan_keeping_keywords(data, scope)`, knowing the keywords of an earlier version of the file:
    /// `old`, whose `scan_keeping_keywords(old, scope)` gave `old_keywords`. A history holds many
    /// versions of each large file that differ by a few lines, and the keyword automaton is most of
    /// the cost of matching (the regexes run only around its hits). What the automaton finds at a
    /// position depends only on the next few bytes (as many as the longest keyword), so a keyword
    /// inside a stretch both versions share is carried over, moved with the stretch; the automaton
    /// runs only over the edits and their edges. Windows and regexes then run as in `scan`, over the
    /// whole of `data`: the hits are exactly those of `scan`.
    pub fn scan_changed(
        &self,
        data: &[u8],
        scope: PathScope,
        old: &[u8],
        old_keywords: &Keywords,
    ) -> (Vec<Hit>, Keywords) {
        let blocks = changes::common_blocks(old, data);
        let changed = |longest: usize| changed_stretches(&blocks, old.len(), data.len(), longest);
        let longest = [&self.content_keywords, &self.path_keywords]
            .iter()
            .filter_map(|p| p.as_ref().map(|p| p.longest))
            .max()
            .unwrap_or(0);
        if changed(longest).iter().map(|r| r.len()).sum::<usize>() > data.len() / 2 {
            return self.scan_keeping_keywords(data, scope);
        }
        let update = |p: &Prefilter, old_hits: &[(u32, usize)]| {
            let fresh = changed(p.longest);
            let mut hits = carry_keywords(p, old_hits, &blocks, old.len(), data.len());
            hits.extend(find_keywords(p, data, &fresh));
            hits.sort_unstable_by_key(|&(_, start)| start);
            hits
        };
        let content = match &self.content_keywords {
            Some(p) => update(p, &old_keywords.content),
            None => Vec::new(),
        };
        let path = match (self.path_rules_active(scope), &self.path_keywords) {
            (false, _) => None,
            (true, None) => Some(Vec::new()),
            (true, Some(p)) => Some(match &old_keywords.path {
                Some(old_hits) => update(p, old_hits),
                None => find_keywords(p, data, std::slice::from_ref(&(0..data.len()))),
            }),
        };
        let keywords = Keywords { content, path };
        (self.hits_at_keywords(data, scope, &keywords), keywords)
    }

    fn path_rules_active(&self, scope: PathScope) -> bool {
        self.rules
            .rules
            .iter()
            .any(|r| r.regex.is_some() && r.path.is_some() && Self::in_scope(r, scope))
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
        // A path rule reports the file itself, once, not each encoded text inside it.
        let mut hits: Vec<Hit> = self
            .path_only
            .iter()
            .filter(|&&i| depth == 0 && Self::in_scope(&rules[i], scope))
            .map(|&i| Hit::whole_file(i))
            .collect();
        let active: Vec<bool> = rules
            .iter()
            .map(|r| r.regex.is_some() && Self::in_scope(r, scope))
            .collect();
        let mut windows: Vec<(usize, usize, usize)> = Vec::new();
        // The last window opened per rule, so that hits on one line extend it instead of piling up.
        let mut open: Vec<Option<(usize, usize)>> = vec![None; rules.len()];
        // A keyword hit's window depends only on whether the rule spans lines, so it is worked out
        // once per hit, not once per rule the keyword stands for: on keyword-dense text a hit fans
        // out to a dozen rules, and each window costs a look back to the line's start.
        let mut add_window = |r: usize, lines: &mut [Option<(usize, usize)>; 2], start, end| {
            if !active[r] {
                return;
            }
            let multiline = rules[r].multiline;
            let (s, e) = *lines[usize::from(multiline)]
                .get_or_insert_with(|| window(data, start, end, multiline));
            match &mut open[r] {
                Some((os, oe)) if s <= *oe && e >= *os => {
                    *os = (*os).min(s);
                    *oe = (*oe).max(e);
                }
                slot => {
                    if let Some((os, oe)) = slot.replace((s, e)) {
                        windows.push((r, os, oe));
                    }
                }
            }
        };
        let found_by = [
            (&self.content_keywords, Some(&keywords.content)),
            (&self.path_keywords, keywords.path.as_ref()),
        ];
        for (prefilter, found) in found_by {
            if let (Some(p), Some(found)) = (prefilter, found) {
                for &(pattern, start) in found {
                    let end = start + p.keyword_len(pattern);
                    let mut lines = [None; 2];
                    for &r in &p.rules_of[pattern as usize] {
                        add_window(r, &mut lines, start, end);
                    }
                }
            }
        }
        windows.extend(
            open.into_iter()
                .enumerate()
                .filter_map(|(r, w)| w.map(|(s, e)| (r, s, e))),
        );
        for &r in &self.unkeyed {
            if active[r] {
                windows.push((r, 0, data.len()));
            }
        }
        windows.sort_unstable();
        let mut merged: Vec<(usize, usize, usize)> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if last.0 == w.0 && w.1 <= last.2 => last.2 = last.2.max(w.2),
                _ => merged.push(w),
            }
        }
        let mut found: Vec<Hit> = Vec::new();
        let page = docs::Page::new(data);
        for (r, s, e) in merged {
            self.match_rule(r, data, &page, s, e, &mut found);
        }
        self.add_decoded(data, scope, &mut found, depth);
        hits.extend(self.finish(data, found));
        hits
    }

    /// Hits in the encoded spans of `data` (base64, percent, JSON escapes, hex: decode.rs), matched by
    /// every rule in scope and placed on the encoded span, so the finding points at the text as it
    /// stands and names the secret it encodes. A secret the plain text already showed is not reported
    /// twice; a generic hit on a span that decoded to a secret is that secret, encoded, and yields.
    fn add_decoded(&self, data: &[u8], scope: PathScope, found: &mut Vec<Hit>, depth: usize) {
        if depth >= decode::MAX_DEPTH {
            return;
        }
        let mut extra: Vec<Hit> = Vec::new();
        for span in decode::spans(data) {
            let text = &span.text;
            let keywords = self.keywords_in(text, scope);
            // A specific rule that matched most of the encoded text as it stands (a kubeconfig's
            // base64 client key) already reported this secret in its stored form.
            let claimed = found.iter().any(|f| {
                !self.rules.rules[f.rule].generic
                    && 2 * (f.end.min(span.end).saturating_sub(f.start.max(span.start)))
                        >= span.end - span.start
            });
            if claimed {
                continue;
            }
            for inner in self.hits_at_depth(text, scope, &keywords, depth + 1) {
                // A marker inside the decoded text itself: dropped, as it was before markers were counted.
                if inner.inline_allowed {
                    continue;
                }
                let seen_plain = found
                    .iter()
                    .any(|f| f.start < span.end && span.start < f.end && f.secret == inner.secret);
                if seen_plain {
                    continue;
                }
                let mut decoded = vec![span.encoding];
                decoded.extend(inner.decoded);
                extra.push(Hit {
                    start: span.start,
                    end: span.end,
                    match_start: span.start,
                    encoded: data[span.start..span.end].to_vec(),
                    decoded,
                    doc_example: 0,
                    ..inner
                });
            }
        }
        if extra.is_empty() {
            return;
        }
        let rules = &self.rules.rules;
        found.retain(|f| {
            !rules[f.rule].generic || !extra.iter().any(|x| x.start < f.end && f.start < x.end)
        });
        found.append(&mut extra);
    }

    /// Orders raw matches, drops repeats and generic matches a specific rule also made, places them
    /// on lines and marks those whose line carries an allow marker.
    fn finish(&self, data: &[u8], mut found: Vec<Hit>) -> Vec<Hit> {
        // Two secrets decoded from one encoded span share its position: the secret tells them apart.
        found.sort_by(|a, b| {
            (a.start, a.rule)
                .cmp(&(b.start, b.rule))
                .then_with(|| a.secret.expose().cmp(b.secret.expose()))
        });
        found.dedup_by(|a, b| {
            (a.start, a.end, a.rule) == (b.start, b.end, b.rule) && a.secret == b.secret
        });
        self.drop_generic_overlaps(&mut found);
        let mut lines = LineCounter::new(data);
        for h in &mut found {
            lines.locate(h);
        }
        for h in &mut found {
            h.inline_allowed = allowed_inline(&h.line_text);
        }
        found
    }

    /// A secret that a specific rule (a vendor's format) found is not reported again by a generic
    /// rule (an assignment to a secret-sounding name): one leak, one finding, under its most precise name.
    fn drop_generic_overlaps(&self, found: &mut Vec<Hit>) {
        let rules = &self.rules.rules;
        let specific: Vec<(usize, usize)> = found
            .iter()
            .filter(|h| !rules[h.rule].generic)
            .map(|h| (h.start, h.end))
            .collect();
        if specific.is_empty() || specific.len() == found.len() {
            return;
        }
        found.retain(|h| {
            !rules[h.rule].generic || !specific.iter().any(|&(s, e)| h.start < e && s < h.end)
        });
    }

    fn match_rule(
        &self,
        r: usize,
        data: &[u8],
        page: &docs::Page,
        s: usize,
        e: usize,
        out: &mut Vec<Hit>,
    ) {
        let rule = &self.rules.rules[r];
        let Some(re) = &rule.regex else { return };
        let hay = &data[s..e];
        let m = self.matchers[r].get_or_init(|| Matcher::new(re.as_str()));
        if m.need
            .as_ref()
            .is_some_and(|need| !need.iter().any(|n| n.holds(hay)))
        {
            return;
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            if scratch.0 != self.id {
                *scratch = (self.id, Vec::new());
            }
            let caches = &mut scratch.1;
            if caches.len() <= r {
                caches.resize_with(self.rules.rules.len(), || None);
            }
            let (cache, caps) =
                caches[r].get_or_insert_with(|| (m.re.create_cache(), m.re.create_captures()));
            m.for_each_match(cache, caps, hay, |caps, start| {
                out.extend(self.take_match(r, data, page, s, caps, start))
            });
        });
    }

    /// One match of rule `r`'s regex in the window starting at `s`: a hit if its secret passes the
    /// rule's entropy floor, validators and placeholder check.
    fn take_match(
        &self,
        r: usize,
        data: &[u8],
        page: &docs::Page,
        s: usize,
        caps: &Captures,
        start: usize,
    ) -> Option<Hit> {
        let rule = &self.rules.rules[r];
        let group0 = caps.get_group(0).expect("group 0 always matches");
        // The whole match starts at `start` (before the searched part, for a regex with a `Lead`).
        let whole = regex_automata::Span {
            start,
            end: group0.end,
        };
        let secret = match rule.secret_group {
            Some(g) if g > 0 => caps.get_group(g),
            _ => caps
                .iter()
                .skip(1)
                .flatten()
                .find(|m| !m.is_empty())
                .or(Some(whole)),
        };
        let secret = secret.filter(|m| !m.is_empty())?;
        let bytes = &data[s + secret.start..s + secret.end];
        let entropy = shannon_entropy(bytes);
        if rule.entropy.is_some_and(|floor| entropy < floor) {
            return None;
        }
        if !rule.validators.iter().all(|v| v.accepts(bytes)) {
            return None;
        }
        if rule.skip_placeholders && looks_like_placeholder(bytes) || says_not_real(bytes) {
            return None;
        }
        if rule.generic && docs::comment_introduces_example(data, s + secret.start) {
            return None;
        }
        Some(Hit {
            rule: r,
            secret: Secret::new(String::from_utf8_lossy(bytes).into_owned()),
            matched: data[s + whole.start..s + whole.end].to_vec(),
            line_text: Vec::new(),
            start: s + secret.start,
            end: s + secret.end,
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            entropy: entropy as f32,
            context: Context::empty(),
            match_start: s + whole.start,
            doc_example: if rule.generic {
                page.example_markups(s + secret.start)
            } else {
                0
            },
            inline_allowed: false,
            decoded: Vec::new(),
            encoded: Vec::new(),
        })
    }

    /// Applies allowlists (the rule's and the global ones) for a hit seen at `path` in `commit`,
    /// and turns a surviving hit into a finding.
    pub fn finding(&self, hit: &Hit, path: &str, commit: Option<&CommitInfo>) -> Option<Finding> {
        let rule = &self.rules.rules[hit.rule];
        // A generic rule's value in a documentation page's code block introduced as an example.
        if hit.doc_example != 0
            && Markup::of_path(path).is_some_and(|m| hit.doc_example & m.bit() != 0)
        {
            return None;
        }
        let fp = fingerprint(&rule.id, path, hit.secret.expose());
        // `line_text` is the first line, then the last one after a newline for a multi-line hit.
        let (first, last) = match memchr::memchr(b'\n', &hit.line_text) {
            Some(i) => (&hit.line_text[..i], &hit.line_text[i + 1..]),
            None => (&hit.line_text[..], &hit.line_text[..]),
        };
        let finding = || Finding {
            rule_id: rule.id.clone(),
            description: rule.description.clone(),
            path: path.to_string(),
            archive_member: None,
            line: hit.line,
            column: hit.column,
            end_line: hit.end_line,
            end_column: hit.end_column,
            column_utf16: crate::finding::utf16_column(first, hit.column),
            end_column_utf16: crate::finding::utf16_column(last, hit.end_column),
            secret: hit.secret.clone(),
            context: hit.context.clone(),
            entropy: hit.entropy,
            tags: rule.tags.clone(),
            severity: rule.severity,
            commit: commit.cloned(),
            present_at_head: None,
            present_at_refs: None,
            verification: None,
            decoded: hit.decoded.iter().map(|e| e.as_str()).collect(),
            encoded: (!hit.decoded.is_empty())
                .then(|| Secret::new(String::from_utf8_lossy(&hit.encoded).into_owned())),
        };
        if hit.inline_allowed {
            let at = format!("{path}:{}", hit.line);
            self.tally.add(SuppressKind::Inline, at, Some(&rule.id), 1);
            self.tally.keep(SuppressKind::Inline, finding());
            return None;
        }
        let candidate = Candidate {
            secret: hit.secret.expose().as_bytes(),
            matched: &hit.matched,
            line: &hit.line_text,
            path,
            commit: commit.map(|c| c.sha.as_str()),
            fingerprint: &fp,
        };
        let allowed_by = rule
            .allowlists
            .iter()
            .find_map(|a| a.explain(&candidate))
            .or_else(|| {
                self.rules
                    .global
                    .iter()
                    .filter(|a| a.applies_to(&rule.id))
                    .find_map(|a| a.explain(&candidate))
            });
        if let Some((kind, source)) = allowed_by {
            self.tally.add(kind, source, Some(&rule.id), 1);
            return None;
        }
        Some(finding())
    }

    /// Scan-and-report for one file in the working tree.
    pub fn scan_file_bytes(&self, data: &[u8], path: &str) -> Vec<Finding> {
        self.scan(data, PathScope::At(path))
            .iter()
            .filter_map(|h| self.finding(h, path, None))
            .collect()
    }

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

impl Hit {
    fn whole_file(rule: usize) -> Hit {
        Hit {
            rule,
            secret: Secret::new(String::new()),
            matched: Vec::new(),
            line_text: Vec::new(),
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
        }
    }

    pub fn is_whole_file(&self) -> bool {
        self.secret.is_empty()
    }
}

fn find_keywords(
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

/// The positions of the new version where what the automaton finds may differ from the old version:
/// all but those whose next `longest` bytes lie inside one shared block (or run to the end of both
/// files from inside a block that ends both).
fn changed_stretches(
    blocks: &[changes::Block],
    old_len: usize,
    new_len: usize,
    longest: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut changed = Vec::new();
    let mut from = 0;
    for b in blocks {
        let ends_both = b.old_end() == old_len && b.new_end() == new_len;
        let same_to = if ends_both {
            b.new_end()
        } else {
            (b.new_end() + 1).saturating_sub(longest).max(b.new)
        };
        if b.new > from {
            changed.push(from..b.new);
        }
        from = same_to.max(from);
    }
    if from < new_len {
        changed.push(from..new_len);
    }
    changed
}

/// The old version's keyword hits that the new version has at the same place in a shared block.
fn carry_keywords(
    p: &Prefilter,
    old_hits: &[(u32, usize)],
    blocks: &[changes::Block],
    old_len: usize,
    new_len: usize,
) -> Vec<(u32, usize)> {
    let mut carried = Vec::with_capacity(old_hits.len());
    let mut next = 0;
    for &(pattern, start) in old_hits {
        while next < blocks.len() && blocks[next].old_end() <= start {
            next += 1;
        }
        let Some(b) = blocks.get(next) else { break };
        let ends_both = b.old_end() == old_len && b.new_end() == new_len;
        if start >= b.old && (start + p.longest <= b.old_end() || ends_both) {
            carried.push((pattern, start - b.old + b.new));
        }
    }
    carried
}

/// The stretch of `data` a rule's regex needs to see around a keyword hit at `s..e`: the whole line
/// (capped on very long lines), or for multi-line rules the next 16 KB too.
fn window(data: &[u8], s: usize, e: usize, multiline: bool) -> (usize, usize) {
    let lo = s.saturating_sub(LINE_REACH);
    let start = memchr::memrchr(b'\n', &data[lo..s]).map_or(lo, |i| lo + i + 1);
    let reach = if multiline {
        MULTILINE_REACH
    } else {
        LINE_REACH
    };
    let hi = (e + reach).min(data.len());
    let end = if multiline {
        let cap = (hi + LINE_REACH).min(data.len());
        memchr::memchr(b'\n', &data[hi..cap]).map_or(cap, |i| hi + i)
    } else {
        memchr::memchr(b'\n', &data[e..hi]).map_or(hi, |i| e + i)
    };
    (start, finish_token(data, end, s, e + TOKEN_REACH))
}

/// A window cut short on a long line can end inside a token. Cut there, a rule's regex would match
/// the token's head as if it were the whole secret (`$` and `\b` hold at the end of the text they
/// see), or not match at all when it needs what follows (a JWT's signature, a closing quote). So a
/// window that ends inside a token that starts at or after its keyword (give or take the name the
/// keyword is part of: `aws_session_token=IQoJ…`) reaches on to the token's end and one byte past
/// it, at most to `cap`. A token that began well before the keyword is a blob the keyword happens to
/// sit in (base64 data, a minified bundle's string), not a secret named or prefixed by it: stretching
/// every window in such blobs to `cap` would cost a regex pass over 64 KB per chance keyword. A
/// window that ends at a line's end, or between tokens, is as it was.
fn finish_token(data: &[u8], end: usize, keyword: usize, cap: usize) -> usize {
    if end >= data.len() || data[end] == b'\n' {
        return end;
    }
    if !is_token_byte(data[end]) {
        return end + 1;
    }
    let floor = keyword.saturating_sub(NAME_REACH);
    let started_before_floor = floor > 0
        && is_token_byte(data[floor - 1])
        && data[floor..end].iter().all(|&b| is_token_byte(b));
    if started_before_floor {
        return end;
    }
    let cap = cap.min(data.len()).max(end);
    let run = data[end..cap]
        .iter()
        .position(|&b| !is_token_byte(b))
        .map_or(cap, |i| end + i);
    if run < cap && data[run] != b'\n' {
        run + 1
    } else {
        run
    }
}

/// Bytes that secrets are written in: base64 (both alphabets, padding), hex, JWTs, URL-encoding,
/// the symbols generic passwords use, and the backslash of `\n` escapes in one-line JSON keys.
fn is_token_byte(b: u8) -> bool {
    TOKEN_BYTES[b as usize]
}

/// `is_token_byte` as a table: it is asked of every byte before a cut in a base64 blob.
static TOKEN_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric();
        b += 1;
    }
    let extra = b"+/=_-.~%!@^*\\";
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
};

/// A necessary condition for a regex to match: a run of at least `min` consecutive bytes of `set`
/// (a rule's `[a-f0-9]{32}`, `[A-Za-z0-9/+]{40}`). A rule's `needs` are a disjunction, one per
/// top-level alternative: a window that holds none of them cannot hold a match, so the regex is not
/// run on it. Such a window is what keyword-dense code is made of (`token`, `auth`, `twilio` on every
/// line, no 32-character hex value anywhere), and a rule whose regex spans a gap
/// (`twilio[\s\S]{0,400}?…`) costs the lazy DFA a new state per byte there: checking a byte table
/// instead costs about a nanosecond a byte. The regex still decides every match it runs on, so the
/// findings are exactly those of running it everywhere.
#[derive(Debug)]
struct RunNeed {
    set: [bool; 256],
    min: usize,
    /// When the regex puts a byte of this set right after the run (`([A-Za-z0-9_-]{43}=)`, a
    /// Fernet key's padding): the run must be followed by one. A rule that reaches 60 bytes past a
    /// common keyword for such a value otherwise runs on every line holding a long hex or base64
    /// run, and its gap costs the lazy DFA a new state per byte there.
    then: Option<[bool; 256]>,
}

/// Needs shorter than this say too little to be worth the pass over the window.
const MIN_RUN_NEED: usize = 8;

impl RunNeed {
    /// The needs of a rule's regex, parsed the way `rules::build_bytes_regex` compiles it (bytes,
    /// Unicode off unless the pattern requires it). `None` when some alternative needs no long run.
    fn of_regex(src: &str) -> Option<Vec<RunNeed>> {
        let parse = |unicode: bool| {
            regex_syntax::ParserBuilder::new()
                .unicode(unicode)
                .utf8(false)
                .build()
                .parse(src)
                .ok()
        };
        let hir = parse(false).or_else(|| parse(true))?;
        let needs = Self::of(&hir)?;
        (needs.iter().all(|n| n.min >= MIN_RUN_NEED)).then_some(needs)
    }

    /// Every match of `hir` holds at least one of the returned runs.
    fn of(hir: &Hir) -> Option<Vec<RunNeed>> {
        match hir.kind() {
            HirKind::Class(c) => Some(vec![RunNeed {
                set: Self::byte_set(c)?,
                min: 1,
                then: None,
            }]),
            HirKind::Repetition(rep) if rep.min == 0 => None,
            HirKind::Repetition(rep) => match rep.sub.kind() {
                HirKind::Class(c) => Some(vec![RunNeed {
                    set: Self::byte_set(c)?,
                    min: rep.min as usize,
                    then: None,
                }]),
                _ => Self::of(&rep.sub),
            },
            HirKind::Capture(cap) => Self::of(&cap.sub),
            // A match holds a match of every part: the part with the longest runs says the most.
            // A run followed by a byte the next part must start with says more than the run alone.
            HirKind::Concat(parts) => parts
                .iter()
                .enumerate()
                .filter_map(|(i, part)| match Self::run_then(part, parts.get(i + 1)) {
                    Some(need) => Some(vec![need]),
                    None => Self::of(part),
                })
                .max_by_key(|needs| {
                    (
                        needs.iter().map(|n| n.min).min().unwrap_or(0),
                        needs.iter().all(|n| n.then.is_some()),
                    )
                }),
            HirKind::Alternation(alts) => {
                let mut all = Vec::new();
                for alt in alts {
                    all.extend(Self::of(alt)?);
                }
                Some(all)
            }
            HirKind::Empty | HirKind::Look(_) | HirKind::Literal(_) => None,
        }
    }

    /// `part` as a run of at least `min` bytes of a class (`min >= 1`) that `next` must follow
    /// with one of the bytes it can start with (a literal's first byte, a class).
    fn run_then(part: &Hir, next: Option<&Hir>) -> Option<RunNeed> {
        let HirKind::Repetition(rep) = part.kind() else {
            return None;
        };
        let HirKind::Class(c) = rep.sub.kind() else {
            return None;
        };
        if rep.min == 0 {
            return None;
        }
        let then = match next?.kind() {
            HirKind::Literal(lit) => {
                let mut set = [false; 256];
                set[*lit.0.first()? as usize] = true;
                set
            }
            HirKind::Class(c) => Self::byte_set(c)?,
            HirKind::Repetition(r) if r.min >= 1 => match r.sub.kind() {
                HirKind::Class(c) => Self::byte_set(c)?,
                _ => return None,
            },
            _ => return None,
        };
        Some(RunNeed {
            set: Self::byte_set(c)?,
            min: rep.min as usize,
            then: Some(then),
        })
    }

    /// The bytes a class matches one at a time; `None` for a class of non-ASCII characters, which
    /// match several bytes each.
    fn byte_set(class: &Class) -> Option<[bool; 256]> {
        let mut set = [false; 256];
        match class {
            Class::Bytes(c) => {
                for r in c.iter() {
                    for b in r.start()..=r.end() {
                        set[b as usize] = true;
                    }
                }
            }
            Class::Unicode(c) => {
                for r in c.iter() {
                    if r.end() > '\x7f' {
                        return None;
                    }
                    for b in r.start() as u8..=r.end() as u8 {
                        set[b as usize] = true;
                    }
                }
            }
        }
        Some(set)
    }

    /// True when a match may lie in `hay`: it holds the run, and the byte after it if one is needed.
    fn holds(&self, hay: &[u8]) -> bool {
        match &self.then {
            None => self.run_holds(hay),
            Some(then) => self.run_holds(hay) && self.run_then_holds(hay, then),
        }
    }

    /// True when `hay` holds `min` consecutive bytes of the set. Checked from the far end of each
    /// candidate run backwards, so a byte outside the set moves the candidate past it: on text where
    /// such runs are rare most bytes are never looked at (Horspool's idea), and no byte is read
    /// twice before a run is found.
    /// True when some `min` consecutive bytes of the set are followed by a byte of `then` (inside a
    /// longer run, or right after it).
    fn run_then_holds(&self, hay: &[u8], then: &[bool; 256]) -> bool {
        // `run`: how many bytes of the set end just before `b`.
        let mut run = 0;
        for &b in hay {
            if run >= self.min && then[b as usize] {
                return true;
            }
            run = if self.set[b as usize] { run + 1 } else { 0 };
        }
        false
    }

    fn run_holds(&self, hay: &[u8]) -> bool {
        let m = self.min;
        let mut start = 0;
        'candidate: while start + m <= hay.len() {
            let mut j = start + m;
            while j > start {
                if !self.set[hay[j - 1] as usize] {
                    start = j;
                    continue 'candidate;
                }
                j -= 1;
            }
            return true;
        }
        false
    }
}

fn allowed_inline(line: &[u8]) -> bool {
    ALLOW_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(line, m).is_some())
}

/// Turns byte offsets into 1-based line and column numbers, walking forward once for sorted hits.
struct LineCounter<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineCounter<'a> {
    fn new(data: &'a [u8]) -> Self {
        LineCounter {
            data,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn seek(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.pos {
            // Rare: hits of different rules can overlap; recount from the start.
            *self = LineCounter::new(self.data);
        }
        let span = &self.data[self.pos..offset];
        let n = memchr::memchr_iter(b'\n', span).count();
        if n > 0 {
            self.line += n;
            self.line_start =
                self.pos + memchr::memrchr(b'\n', span).expect("counted a newline") + 1;
        }
        self.pos = offset;
        (self.line, offset - self.line_start + 1)
    }

    fn locate(&mut self, hit: &mut Hit) {
        let (line, column) = self.seek(hit.start);
        let line_start = self.line_start;
        let (end_line, end_column) = self.seek(hit.end);
        hit.line = line;
        hit.column = column;
        hit.end_line = end_line;
        hit.end_column = end_column;
        let data = self.data;
        let line_end =
            memchr::memchr(b'\n', &data[hit.start..]).map_or(data.len(), |i| hit.start + i);
        // The allow markers may sit on the first or the last line of a multi-line match.
        let last_line_start = memchr::memrchr(b'\n', &data[..hit.end])
            .map_or(0, |i| i + 1)
            .max(line_start);
        let last_line_end =
            memchr::memchr(b'\n', &data[hit.end..]).map_or(data.len(), |i| hit.end + i);
        hit.line_text = data[line_start..line_end].to_vec();
        if last_line_start > line_end {
            hit.line_text.extend_from_slice(b"\n");
            hit.line_text
                .extend_from_slice(&data[last_line_start..last_line_end]);
        }
        hit.context = context_for(data, line_start, line_end, hit.start, hit.end.min(line_end));
    }
}

/// The line around a secret, cut to a readable width, with the secret's position kept for redaction.
fn context_for(data: &[u8], line_start: usize, line_end: usize, s: usize, e: usize) -> Context {
    let from = s.saturating_sub(CONTEXT_REACH).max(line_start);
    let to = (e + CONTEXT_REACH).min(line_end);
    let trim_end = |v: &[u8]| -> String {
        String::from_utf8_lossy(v)
            .trim_end_matches('\r')
            .to_string()
    };
    let before = String::from_utf8_lossy(&data[from..s]).into_owned();
    let secret = String::from_utf8_lossy(&data[s..e]).into_owned();
    let after = trim_end(&data[e..to]);
    let lead = if from > line_start { "…" } else { "" };
    let tail = if to < line_end { "…" } else { "" };
    let text = format!("{lead}{before}{secret}{after}{tail}");
    let start = lead.len() + before.len();
    Context::new(text, start, start + secret.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn engine(toml: &str) -> Engine {
        Engine::new(RuleSet::from_toml_str(toml).unwrap_or_else(|e| panic!("{e}")))
    }

    const PAT_RULE: &str = "[[rules]]\nid = \"pat\"\nregex = '''\\b(ghp_[A-Za-z0-9]{36})\\b'''\nkeywords = [\"ghp_\"]\n";
    const KEY_RULE: &str = "[[rules]]\nid = \"pk\"\nregex = '''-----BEGIN PRIVATE KEY-----[\\s\\S]{16,}?-----END PRIVATE KEY-----'''\nkeywords = [\"-----BEGIN\"]\n";
    // Split so that the source file itself holds no token-shaped literal (the repository scans itself clean).
    const TOKEN: &str = concat!("ghp", "_Q7mZ2kR9xW4vB8nL1pS6tY3cF0hJ5dGaUeKi");

    #[test]
    fn positions_are_one_based_lines_and_byte_columns() {
        let e = engine(PAT_RULE);
        let data = format!("first line\n  x = \"{TOKEN}\"\n");
        let hits = e.scan(data.as_bytes(), PathScope::At("a.py"));
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].line, hits[0].column), (2, 8));
        assert_eq!(hits[0].secret.expose(), TOKEN);
    }

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

    #[test]
    fn multiline_rules_see_across_lines() {
        let e = engine(KEY_RULE);
        let body: String = (0..40)
            .map(|i| format!("TWlJRXZ3SUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2t3{i:02}\n"))
            .collect();
        let data = format!(
            "const k = `\n-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----\n`;\n"
        );
        let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].line, hits[0].end_line), (2, 43));
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

    const STS_RULE: &str = "[[rules]]\nid = \"sts\"\nregex = '''\\b(IQoJ[A-Za-z0-9/+]{100,}={0,2})(?:[^A-Za-z0-9/+=]|$)'''\nkeywords = [\"iqoj\"]\n";
    const JWT_RULE: &str = "[[rules]]\nid = \"jwt\"\nregex = '''\\b(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,})(?:[^A-Za-z0-9_.-]|$)'''\nkeywords = [\"eyj\"]\n";

    /// Random-looking base64 of `n` characters (deterministic).
    fn b64(seed: u64, n: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                A[(x % 64) as usize] as char
            })
            .collect()
    }

    fn sts(seed: u64, n: usize) -> String {
        format!("IQoJ{}", b64(seed, n - 4))
    }

    #[test]
    fn a_token_longer_than_the_window_is_reported_whole() {
        let e = engine(STS_RULE);
        for n in [1_000, 1_030, 1_500, 5_000, 40_000] {
            let t = sts(n as u64, n);
            let data = format!("[x]\naws_session_token = {t}\nregion = a\n");
            let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
            assert_eq!(hits.len(), 1, "{n}");
            assert_eq!(hits[0].secret.expose().len(), n);
            assert_eq!(hits[0].secret.expose(), t);
            assert_eq!(
                (
                    hits[0].line,
                    hits[0].column,
                    hits[0].end_line,
                    hits[0].end_column
                ),
                (2, 21, 2, 21 + n)
            );
        }
    }

    #[test]
    fn a_jwt_whose_payload_outruns_the_window_is_found() {
        // Cut inside the payload, the window held no signature: no match at all.
        let e = engine(JWT_RULE);
        let payload = format!("eyJ{}", b64(7, 3_000).replace(['+', '/'], "_"));
        let sig = b64(8, 43).replace(['+', '/'], "-");
        let jwt = format!("eyJhbGciOiJIUzI1NiJ9.{payload}.{sig}");
        let data = format!("token: {jwt}\n");
        let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].secret.expose(), jwt);
    }

    #[test]
    fn a_value_cut_by_the_window_is_not_taken_for_a_shorter_secret() {
        // 60 alphanumerics are not a value of 20 to 40: cut after 32, they looked like one.
        let e = engine(
            "[[rules]]\nid = \"k\"\nregex = '''key\\s*=\\s*([A-Za-z0-9]{20,40})\\b'''\nkeywords = [\"key\"]\n",
        );
        let spaces = " ".repeat(990);
        let value = TOKEN[4..].repeat(2)[..60].to_string();
        let data = format!("key ={spaces}{value}\n");
        assert!(e.scan(data.as_bytes(), PathScope::ContentOnly).is_empty());
        let data = format!("key ={spaces}{}\n", &value[..36]);
        assert_eq!(e.scan(data.as_bytes(), PathScope::ContentOnly).len(), 1);
    }

    #[test]
    fn a_token_beyond_the_reach_is_reported_cut_at_the_reach() {
        let e = engine(STS_RULE);
        let t = sts(3, TOKEN_REACH * 2);
        let data = format!("k = {t}\n");
        let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
        assert_eq!(hits.len(), 1);
        let got = hits[0].secret.expose();
        assert!(t.starts_with(got));
        assert!(
            got.len() >= TOKEN_REACH - 8 && got.len() <= TOKEN_REACH + 8,
            "{}",
            got.len()
        );
    }

    #[test]
    fn ordinary_lines_keep_their_windows() {
        // A window that ends at a line's end is not stretched.
        let data = b"a = 1\nbcd efg\n";
        assert_eq!(window(data, 0, 1, false), (0, 5));
        // The nominal end falls on the space before a run: one byte past it, no more.
        let long = format!("k {} {}\n", "x".repeat(LINE_REACH - 1), "y".repeat(5_000));
        assert_eq!(window(long.as_bytes(), 0, 1, false).1, LINE_REACH + 2);
        // Inside a token, the window reaches the token's end and the byte after it.
        let long = format!("k {}; z\n", "y".repeat(5_000));
        assert_eq!(window(long.as_bytes(), 0, 1, false).1, 5_003);
        // A keyword deep inside a blob: the token did not start near it, the window is not stretched.
        let blob = format!("{}\n", "Yq9+".repeat(2_000));
        assert_eq!(
            window(blob.as_bytes(), 3_000, 3_003, false),
            (3_000 - LINE_REACH, 3_003 + LINE_REACH)
        );
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

    #[test]
    fn allowlist_and_condition_needs_every_criterion() {
        let e = engine(&format!(
            "{PAT_RULE}\n[[allowlists]]\ncondition = \"AND\"\npaths = ['''^tests/''']\nstopwords = [\"q7mz\"]\n"
        ));
        let hit = &e.scan(TOKEN.as_bytes(), PathScope::ContentOnly)[0];
        assert!(
            e.finding(hit, "tests/a.py", None).is_none(),
            "both criteria hold"
        );
        assert!(
            e.finding(hit, "src/a.py", None).is_some(),
            "only the stopword holds"
        );
    }

    #[test]
    fn allowlist_regex_targets_secret_match_or_line() {
        let line = format!("token = {TOKEN} # vendored");
        for (target, regex, allowed) in [
            ("secret", "vendored", false),
            ("line", "vendored", true),
            ("match", "^ghp_Q7", true),
        ] {
            let e = engine(&format!("{PAT_RULE}\n[[rules.allowlists]]\nregexTarget = \"{target}\"\nregexes = ['''{regex}''']\n"));
            let hit = &e.scan(line.as_bytes(), PathScope::ContentOnly)[0];
            assert_eq!(e.finding(hit, "a", None).is_none(), allowed, "{target}");
        }
    }

    #[test]
    fn a_generic_rule_yields_to_a_specific_rule_on_the_same_secret() {
        let generic = "[[rules]]\nid = \"gen\"\ntags = [\"generic\"]\nregex = '''token\\s*=\\s*\"([^\"]{20,})\"'''\nkeywords = [\"token\"]\n";
        let e = engine(&format!("{PAT_RULE}{generic}"));
        let line = format!("token = \"{TOKEN}\"\nother_token = \"Zq8Lw3Nv7Rk2Jx5Tb9Mc4Hd6\"\n");
        let ids: Vec<_> = e
            .scan(line.as_bytes(), PathScope::ContentOnly)
            .iter()
            .map(|h| e.rule(h.rule).id.to_string())
            .collect();
        assert_eq!(
            ids,
            vec!["pat", "gen"],
            "one finding per secret, the generic rule only where nothing specific matched"
        );
    }

    #[test]
    fn run_needs_come_from_every_alternative_or_none() {
        let mins =
            |src: &str| RunNeed::of_regex(src).map(|n| n.iter().map(|n| n.min).collect::<Vec<_>>());
        // Each alternative's longest run; a gap before or after it does not matter.
        assert_eq!(
            mins(r"(?i:twilio)[\s\S]{0,400}?\bAC[a-f0-9]{32}\b|key\s*=\s*([A-Za-z0-9/+]{40})"),
            Some(vec![32, 40])
        );
        // A repeated group needs what its body needs.
        assert_eq!(mins(r"x(?:[0-9a-f]{8}-){2,}"), Some(vec![8]));
        // An alternative with no long run, an optional run, or a short one: no need at all.
        assert_eq!(mins(r"[a-f0-9]{32}|token"), None);
        assert_eq!(mins(r"a(?:[a-f0-9]{32})?"), None);
        assert_eq!(mins(r"[a-f0-9]{4}"), None);
        // Case folding widens the class: upper-case hex is in the set.
        let need = &RunNeed::of_regex(r"(?i)[a-f]{8}").unwrap()[0];
        assert!(need.holds(b"..ABCDEFab.."));
        assert!(!need.holds(b"..ABCDEFa.b.."));
    }

    #[test]
    fn a_run_followed_by_a_byte_needs_both() {
        let need = &RunNeed::of_regex(r"(?i:key).{0,20}?[^a-z]([a-z0-9_-]{8}=)").unwrap()[0];
        assert_eq!(need.min, 8);
        assert!(need.then.is_some());
        assert!(need.holds(b"key = abcdefgh="));
        assert!(need.holds(b"key = xabcdefgh= "));
        assert!(
            !need.holds(b"key = abcdefg= abcdefghij"),
            "seven before the ="
        );
        assert!(!need.holds(b"key = abcdefghij, ="));
        // Against the regex itself: wherever it matches, the need holds.
        let re = regex::bytes::Regex::new(r"(?i:key).{0,20}?[^a-z]([a-z0-9_-]{8}=)").unwrap();
        let (mut x, mut matched) = (0x2545_f491_u64, 0);
        for _ in 0..3_000 {
            let mut hay = b"key ".to_vec();
            hay.extend((0..36).map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b"abcdefg_9=x "[(x % 12) as usize]
            }));
            if re.is_match(&hay) {
                matched += 1;
                assert!(need.holds(&hay), "{:?}", String::from_utf8_lossy(&hay));
            }
        }
        assert!(matched > 100, "{matched}");
    }

    #[test]
    fn run_need_holds_exactly_when_a_long_enough_run_exists() {
        for min in 1..6 {
            let need = RunNeed::of(&regex_syntax::parse(&format!("[a-c]{{{min}}}")).unwrap())
                .unwrap()
                .remove(0);
            assert_eq!(need.min, min);
            let naive = |h: &[u8]| h.windows(min).any(|w| w.iter().all(|b| b"abc".contains(b)));
            let mut x = 0x2545_f491_u64;
            for len in 0..300 {
                let hay: Vec<u8> = (0..len % 60)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        b"abcabcx"[(x % 7) as usize]
                    })
                    .collect();
                assert_eq!(
                    need.holds(&hay),
                    naive(&hay),
                    "{min} {:?}",
                    String::from_utf8_lossy(&hay)
                );
            }
        }
    }

    #[test]
    fn a_gap_rule_finds_its_value_with_or_without_runs_elsewhere() {
        let e = engine(
            "[[rules]]\nid = \"gap\"\nregex = '''(?i:vendor)[\\s\\S]{0,200}?\\b([a-f0-9]{32})\\b'''\nkeywords = [\"vendor\"]\n",
        );
        let hex = "9f86d081884c7d659a2feaa0c55ad015";
        let filler = "vendor_client = make(vendor_token, vendor_auth)\n".repeat(50);
        assert!(e.scan(filler.as_bytes(), PathScope::ContentOnly).is_empty());
        let data = format!("{filler}vendor.key = \"{hex}\"\n{filler}");
        let hits = e.scan(data.as_bytes(), PathScope::ContentOnly);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].secret.expose(), hex);
        // A 31-character value is no match, and the window lacks the run: skipped, same answer.
        let short = format!("{filler}vendor.key = \"{}\"\n", &hex[..31]);
        assert!(e.scan(short.as_bytes(), PathScope::ContentOnly).is_empty());
    }

    /// The spans of a match's groups, group 0 first.
    type Spans = Vec<Option<(usize, usize)>>;

    /// Every match (group 0 and each group's span) as the `regex` crate's `captures_iter` finds it,
    /// and as the engine's `Matcher` does.
    fn both_ways(src: &str, hay: &[u8]) -> (Vec<Spans>, Vec<Spans>) {
        let re = regex::bytes::RegexBuilder::new(src)
            .unicode(false)
            .build()
            .unwrap();
        let want = re
            .captures_iter(hay)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect();
        let m = Matcher::new(src);
        let (mut cache, mut caps) = (m.re.create_cache(), m.re.create_captures());
        let mut got = Vec::new();
        m.for_each_match(&mut cache, &mut caps, hay, |caps, start| {
            let mut spans: Vec<_> = caps.iter().map(|s| s.map(|s| (s.start, s.end))).collect();
            spans[0] = spans[0].map(|(_, e)| (start, e));
            got.push(spans);
        });
        (want, got)
    }

    #[test]
    fn a_leading_name_part_is_split_off_and_matches_stay_the_same() {
        let generic = r#"(?i:[\w.-]{0,12}?(?:pass(?:word)?|token|api[_.-]?key))["']?\s*(?:=>|:=|[=:])\s*(?:"([^"\s]{4,20})"|([A-Za-z0-9_]*[0-9][A-Za-z0-9_]*)(?:\s*$|\s+#))"#;
        assert!(Matcher::new(generic).lead.is_some());
        // Greedy, or not a class, or a rest that may be empty: searched whole.
        for whole in [
            r"[a-z]{0,9}token=(\d+)",
            r"(?:ab){0,4}?token",
            r"[a-z]{0,4}?x?",
        ] {
            assert!(Matcher::new(whole).lead.is_none(), "{whole}");
        }
        let parts = [
            "password",
            "PassWord",
            "pass",
            "token",
            "api_key",
            "api-key",
            "my",
            "db.",
            "x_",
            "-",
            "_",
            "=",
            " = ",
            ":=",
            "=>",
            ": ",
            "\"",
            "\"k9Xq2LmP\"",
            "abc123",
            "Z9",
            " # c",
            "\n",
            " ",
            ";",
            "\"\"",
            "aaaaaaaaaaaa",
            "9",
        ];
        let mut x = 0x9e37_79b9_u64;
        for _ in 0..3_000 {
            let n = 1 + (x % 24) as usize;
            let mut hay = String::new();
            for _ in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                hay.push_str(parts[(x % parts.len() as u64) as usize]);
            }
            let (want, got) = both_ways(generic, hay.as_bytes());
            assert_eq!(got, want, "{hay:?}");
        }
    }

    #[test]
    fn entropy_floor_and_placeholders_filter_candidates() {
        let e = engine("[[rules]]\nid = \"g\"\nregex = '''secret\\s*=\\s*\"([^\"]{8,})\"'''\nentropy = 3.0\nkeywords = [\"secret\"]\n");
        assert!(
            e.scan(b"secret = \"aaaabbbbaaaabbbb\"", PathScope::ContentOnly)
                .is_empty(),
            "low entropy"
        );
        assert!(
            e.scan(b"secret = \"your-secret-key-here\"", PathScope::ContentOnly)
                .is_empty(),
            "placeholder"
        );
        assert_eq!(
            e.scan(b"secret = \"k9Xq2LmP8vR4tZ7w\"", PathScope::ContentOnly)
                .len(),
            1
        );
    }
}
