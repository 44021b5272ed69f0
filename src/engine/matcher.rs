//! Each rule's regex as the engine runs it: compiled once per engine, searched with one cache per
//! worker thread, after pre-checks (`RunNeed`) that rule out windows where it cannot match, and its
//! matches turned into hits when the secret passes the rule's own filters.

use super::assign::{AssignRead, Assignment};
use super::gate::split_code;
use super::gate::{RunNeed, WORD};
use super::litneed::LiteralNeed;
use super::starts::{KeywordStarts, Lead};
use super::vendorword::VendorWord;
use super::windows::Reach;
use super::{policy, Engine, Hit};
use crate::docs;
use crate::filters::{
    entropy_floor, is_masked, is_template_slot, looks_made_up, looks_made_up_password,
    names_a_placeholder, says_not_real, shannon_entropy, value_names_itself, Validator,
};
use crate::finding::{Context, Secret};
use crate::rules::REGEX_SIZE_LIMIT;
use regex_automata::nfa::thompson;
use regex_automata::util::captures::Captures;
use regex_automata::util::iter::Searcher;
use regex_automata::{hybrid, meta, MatchKind as RegexMatchKind};
use regex_syntax::hir::{Hir, HirKind};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// A rule's regex as the engine runs it: the same pattern and settings as `rules::build_bytes_regex`
/// (so the same matches), held as a `regex_automata` meta regex so that each worker thread keeps one
/// cache per rule for the whole run (`SCRATCH`) instead of borrowing one from the regex's shared
/// pool per window. The pool hands a contended thread a fresh cache and drops it afterwards, and a
/// fresh lazy DFA has to be determinized again from nothing (docs/engine.md).
pub(super) struct Matcher {
    /// The rule's regex, or when it has a `Lead`, the rest of it after the lead: compiled when a
    /// window first passes the need, since compiling is most of what a rule costs on a small
    /// repository and many rules reached by a keyword never see a window that could match.
    re: OnceLock<meta::Regex>,
    /// Whether a window holds any match at all: a forward lazy DFA of `rest` alone, compiled when
    /// a window first passes the need (`None` when it cannot be built). `re` is compiled only when
    /// this finds a match, which few rules ever do (docs/engine.md, "Compiling only what matches").
    check: OnceLock<Option<hybrid::dfa::DFA>>,
    /// The check with a prefilter on where a match can start (`check_for`), for long
    /// windows only (`LONG_WINDOW`): `None` when the pattern's prefixes make no fast prefilter.
    check_pre: OnceLock<Option<hybrid::dfa::DFA>>,
    /// How many bytes of long windows the rule has been checked on (`check_for`).
    long_bytes: AtomicUsize,
    /// Set once the check has found a match: the rule then goes straight to `re` (the check would
    /// only make it search twice).
    matched: AtomicBool,
    /// The check's pattern searched backwards (`Matcher::locator`): with the check, where the
    /// leftmost match of the widened pattern starts, so that `re` is searched anchored there.
    check_rev: OnceLock<Option<hybrid::dfa::DFA>>,
    /// `rest` with its long counted repetitions unbounded (`unbounded_past`), compiled on first
    /// use: what windows no longer than `short`'s length are searched with instead of `re`.
    re_short: OnceLock<meta::Regex>,
    /// What `re_short` is compiled from, and the longest window it may search: worked out when
    /// the rule's regex is first needed (most rules a keyword reaches never get that far).
    short: OnceLock<Option<(Hir, usize)>>,
    /// The lead, if the regex opens with one, and what `re` is compiled from (the rest): a
    /// built-in rule's read from `code` when first needed (a rule read by hand, or whose check
    /// never matches, never needs it).
    split: OnceLock<(Option<Lead>, Hir)>,
    /// `widened` of the rest: what `check` (and `check_pre`, `check_rev`) are compiled from. A
    /// built-in rule's is read from `code` widened as it is read, not built again from the rest.
    wide: OnceLock<Hir>,
    /// A built-in rule's regex as build.rs parsed it (`gate::encode`), read back on first use.
    code: Option<&'static [u8]>,
    /// A built-in rule's check NFA as build.rs compiled it (`nfacode`), deflated: what `check` is
    /// built from, without reading the widened tree back or compiling it.
    nfa: Option<&'static [u8]>,
    /// A built-in rule's `wide` matches nothing empty (build.rs worked it out): `locates` known
    /// without reading the tree back. `None` for a rule read from a config.
    nonempty: Option<bool>,
    /// Strings every match holds that the rule's keywords do not spell (`LiteralNeed`): a window
    /// without one of them is left unsearched.
    literals: Vec<LiteralNeed>,
    /// Where a match of `rest` can start, given the rule's keyword hits (`KeywordStarts`): `None`
    /// when the regex does not show that every match opens near one of its keywords.
    pub(super) starts: Option<KeywordStarts>,
    /// Where the secret can lie in a match, for the entropy check before its groups are resolved:
    /// worked out at the rule's first match (most rules reached by a keyword never match).
    shapes: OnceLock<Option<SecretShapes>>,
    secret_group: Option<usize>,
    /// The regex is one that `assign` reads by hand (names, operator, value) instead of
    /// searching: the same matches and groups (docs/engine.md, "The pathological input, fifth
    /// round").
    assign: Option<Assignment>,
    /// The regex is the vendor-context template (`\bvendor…{0,40}?word…{0,40}?\b(value)\b`,
    /// 224 built-in rules), read by hand instead of searched: the same matches and groups
    /// (docs/engine.md, "The pathological input, seventh round").
    vendor_word: Option<VendorWord>,
    /// The regex is one that `assignread` reads by hand at the rule's keyword starts (a name's
    /// keyword, the lead-in, the value): the same matches and groups (docs/engine.md, "The
    /// pathological input, twelfth round").
    assign_read: Option<AssignRead>,
}

impl Matcher {
    /// The matcher of a rule with a regex.
    fn of_rule(rule: &crate::rules::Rule) -> Matcher {
        let re = rule.regex.as_ref().expect("a rule with a regex");
        Matcher::build(re.as_str(), &rule.keywords, rule.secret_group)
    }

    #[cfg(test)]
    fn new(src: &str, keywords: &[String]) -> Matcher {
        Matcher::build(src, keywords, None)
    }

    fn build(src: &str, keywords: &[String], secret_group: Option<usize>) -> Matcher {
        // Parsed as regex::bytes::RegexBuilder parses it: empty matches may split a UTF-8
        // sequence, Unicode off unless the pattern needs it; the text's edges made line edges
        // (`gate::on_lines`). Parsed once, here, for the lead, whether it keeps to its
        // keyword's line, and the compiled regex.
        let syntax = |unicode: bool| {
            regex_automata::util::syntax::Config::new()
                .unicode(unicode)
                .utf8(false)
        };
        // A built-in rule's as build.rs parsed it (`gate::Table`), left encoded until its check or
        // regex is first built, with where its matches start and the strings they hold as build.rs
        // worked them out from that parse.
        let split = OnceLock::new();
        let (code, starts, literals, nfa, nonempty) = match super::builtin_hir(src, keywords) {
            Some(b) => (
                Some(b.code),
                b.starts,
                LiteralNeed::searched(b.literals),
                b.nfa,
                Some(b.nonempty),
            ),
            None => {
                let hir = regex_automata::util::syntax::parse_with(src, &syntax(false))
                    .ok()
                    .or_else(|| regex_automata::util::syntax::parse_with(src, &syntax(true)).ok())
                    .map(|hir| super::gate::on_lines(&hir))
                    .expect("rule regexes parse (validated when the rules were loaded)");
                let literals = LiteralNeed::of(&hir, keywords);
                let (lead, rest) = match Lead::split(&hir) {
                    Some((lead, rest)) => (Some(lead), rest),
                    None => (None, hir),
                };
                let starts = KeywordStarts::of(&rest, keywords);
                let _ = split.set((lead, rest));
                (None, starts, literals, None, None)
            }
        };
        Matcher {
            re: OnceLock::new(),
            check: OnceLock::new(),
            check_pre: OnceLock::new(),
            long_bytes: AtomicUsize::new(0),
            matched: AtomicBool::new(false),
            check_rev: OnceLock::new(),
            re_short: OnceLock::new(),
            short: OnceLock::new(),
            split,
            wide: OnceLock::new(),
            code,
            nfa,
            nonempty,
            literals,
            starts,
            shapes: OnceLock::new(),
            secret_group,
            assign: Assignment::of(src),
            vendor_word: VendorWord::of(src),
            assign_read: AssignRead::of(src),
        }
    }

    /// The lead and the rest (`split`), read back from `code` on first use.
    fn split(&self) -> &(Option<Lead>, Hir) {
        self.split.get_or_init(|| {
            let code = self.code.expect("a matcher without its parse has its code");
            split_code(code, false).expect("build.rs encoded the parsed regex")
        })
    }

    /// What `re` is compiled from: the regex, or the rest of it after its lead.
    fn rest(&self) -> &Hir {
        &self.split().1
    }

    /// The regex's lead (`Lead::split`), if it opens with one.
    fn lead(&self) -> Option<&Lead> {
        self.split().0.as_ref()
    }

    /// `widened(rest)`: a built-in rule's read from `code` widened (the same tree, built once;
    /// `every_built_in_rules_check_read_widened_is_the_widened_rest`).
    fn wide(&self) -> &Hir {
        self.wide.get_or_init(|| match self.code {
            Some(code) => {
                split_code(code, true)
                    .expect("build.rs encoded the parsed regex")
                    .1
            }
            None => widened(self.rest()),
        })
    }

    /// The compiled regex: regex::bytes::RegexBuilder's build, spelled out (leftmost-first, no
    /// UTF-8 requirement on the haystack, the size limits the rule was validated with), less the
    /// one-pass DFA. The meta regex finds a match with its lazy DFA and then resolves the capture
    /// groups inside the match's span with the one-pass DFA when the regex is one-pass, else with
    /// the bounded backtracker; both give the same groups, and on spans as short as a secret the
    /// backtracker costs no more, while building the one-pass DFA was ~10% of compiling the
    /// catalog (docs/engine.md, "Decoding, compiling and starting up").
    fn regex(&self) -> &meta::Regex {
        self.re
            .get_or_init(|| compile(self.rest(), self.anchored_only()))
    }

    /// The regex to search a window of `len` bytes with instead of `regex`, where the window is no
    /// longer than each of its long counted repetitions' maximum: `rest` with them unbounded
    /// (`unbounded_past`), which matches the same there with far fewer NFA states: its lazy DFA
    /// no longer tells apart every count of a value run, and the bounded backtracker that
    /// resolves groups clears a visited bit per NFA state and byte (docs/engine.md, "The
    /// pathological input, fourth round").
    fn short_for(&self, len: usize) -> Option<&meta::Regex> {
        let short = self.short.get_or_init(|| {
            let (hir, max) = unbounded_past(self.rest(), LONG_REPETITION);
            max.map(|max| (hir, max as usize))
        });
        match short {
            Some((hir, max)) if len <= *max => Some(
                self.re_short
                    .get_or_init(|| compile(hir, self.anchored_only())),
            ),
            _ => None,
        }
    }

    /// The forward lazy DFA that says whether `rest` matches anywhere in a window: what the meta
    /// regex's own lazy DFA runs first, without what only a match needs. The meta regex also
    /// compiles the NFA with capture states for its PikeVM and backtracker, a reverse NFA (to find
    /// where a match starts) and a literal prefilter: two thirds of its build, wasted on the
    /// rules (most of those reached on real code) whose windows never hold a match. Same NFA
    /// settings as the meta regex's (`utf8(false)` as `utf8_empty(false)`, the size limit), and the
    /// same lazy-DFA limits, so it gives up where that one would; a search that gives up or quits
    /// (a Unicode `\b` on a non-ASCII byte) leaves the answer to the meta regex.
    ///
    /// A built-in rule's NFA is build.rs's (`nfacode`): put back together state by state, it is
    /// the NFA compiled from `wide` (`every_built_in_rules_check_nfa_is_the_one_compiled_from_its_widened_rest`),
    /// without reading the tree back or compiling it, which were ~half of what the rules a run
    /// reaches cost to build (docs/engine.md, "Stop 44").
    fn check(&self) -> Option<&hybrid::dfa::DFA> {
        self.check
            .get_or_init(|| match self.nfa {
                Some(code) => {
                    let nfa = super::nfacode::decode(&super::inflate_nfa(code), REGEX_SIZE_LIMIT)
                        .expect("build.rs wrote the check's NFA");
                    lazy_dfa(nfa, RegexMatchKind::LeftmostFirst, None)
                }
                None => widened_dfa(self.wide(), false, RegexMatchKind::LeftmostFirst),
            })
            .as_ref()
    }

    /// The check to search a window of `len` bytes with, and whether it is the prefiltered one:
    /// on a long window, the prefiltered one when the pattern has a fast prefilter.
    fn check_for(&self, len: usize) -> Option<(&hybrid::dfa::DFA, bool)> {
        // Working out the prefixes and building their searcher costs about what the walk over
        // 50 KB does (~100k instructions, mostly the case-folded literals): a rule pays it only
        // once its long windows have come to `PREFILTER_AFTER`, so a repository with few long
        // windows (tokio: +0.7% when every long window was prefiltered) does not pay for a
        // prefilter it would hardly use, and keyword-dense code pays for the first
        // `PREFILTER_AFTER` bytes of a rule the walk's cost. Either check answers the same.
        if len >= LONG_WINDOW
            && self.long_bytes.fetch_add(len, Ordering::Relaxed) + len >= PREFILTER_AFTER
        {
            // Where a match can start is sought with the widened pattern's prefixes when they make
            // a fast prefilter: the lazy DFA leaves its start state for a walk byte by byte only
            // at a candidate, and skips the bytes between candidates. A rule spanning lines
            // searches whole files of keyword-dense code with its check, where no byte opens a
            // match of most such rules, and the walk byte by byte costs ~6 ns a byte. The
            // prefilter finds a superset of where matches start (it is what the meta regex runs
            // ahead of its own lazy DFA), and the DFA restarts at a candidate in the start state
            // of the bytes before it, so the answers are those of the plain check
            // (`a_prefiltered_check_answers_as_the_walk_over_every_byte_does`). The plain check's
            // NFA is shared: only the prefilter and the lazy DFA's shell are built.
            let pre = self.check_pre.get_or_init(|| {
                let nfa = self.check()?.get_nfa().clone();
                let kind = RegexMatchKind::LeftmostFirst;
                let pre =
                    regex_automata::util::prefilter::Prefilter::from_hir_prefix(kind, self.wide())
                        .filter(|p| p.is_fast())?;
                lazy_dfa(nfa, kind, Some(pre))
            });
            if let Some(dfa) = pre {
                return Some((dfa, true));
            }
        }
        self.check().map(|dfa| (dfa, false))
    }

    /// `check_for`, until the check has found a match.
    fn live_check_for(&self, len: usize) -> Option<(&hybrid::dfa::DFA, bool)> {
        if self.matched.load(Ordering::Relaxed) {
            return None;
        }
        self.check_for(len)
    }

    /// False when the check finds no match anywhere in `hay` (then neither does the regex: the
    /// same NFA, searched unanchored from the window's start to its end, as `for_each_match`'s
    /// first search is); true when it finds one or cannot tell. Unanchored even where the regex
    /// itself is searched only at its keywords (`KeywordStarts`): the widened check loops in few
    /// states along a line, and anchored searches at every keyword hit cost more on real code
    /// than they saved (docs/engine.md, "The pathological input, third round").
    #[cfg(test)]
    fn may_match(&self, cache: &mut hybrid::dfa::Cache, hay: &[u8]) -> bool {
        let Some(dfa) = self.check() else {
            return true;
        };
        Self::may_match_with(dfa, cache, hay)
    }

    /// `may_match` with the check `dfa` (plain or prefiltered) and its cache.
    fn may_match_with(dfa: &hybrid::dfa::DFA, cache: &mut hybrid::dfa::Cache, hay: &[u8]) -> bool {
        !matches!(
            dfa.try_search_fwd(cache, &regex_automata::Input::new(hay).earliest(true)),
            Ok(None)
        )
    }
}

/// The widened pattern of a rule's rest (`wide`, `widened`) as a lazy DFA, forwards for the check or
/// backwards (`reverse`) for `Located`: the meta regex's NFA settings (`utf8(false)` as
/// `utf8_empty(false)`, the size limit) without captures, and its lazy-DFA limits, so it gives up
/// where that one would.
fn widened_dfa(wide: &Hir, reverse: bool, kind: RegexMatchKind) -> Option<hybrid::dfa::DFA> {
    lazy_dfa(widened_nfa(wide, reverse)?, kind, None)
}

/// The NFA of `widened_dfa` (build.rs compiles the forward one with `nfacode::config`, the same
/// settings).
fn widened_nfa(wide: &Hir, reverse: bool) -> Option<thompson::NFA> {
    thompson::Compiler::new()
        .configure(super::nfacode::config(REGEX_SIZE_LIMIT).reverse(reverse))
        .build_from_hir(wide)
        .ok()
}

// build.rs compiles the checks' NFAs with the engine's size limit.
const _: () = assert!(super::nfacode::SIZE_LIMIT == REGEX_SIZE_LIMIT);

/// Windows at least this long are checked (and located) with the prefiltered check
/// (`Matcher::check_for`): the windows of rules spanning lines, which merge over keyword-dense
/// code into whole files. On line windows (a few hundred bytes) the lazy DFA leaves a line in a
/// few dozen bytes anyway, and building the prefilter (a Teddy searcher for a case-folded
/// prefix) and calling it at every return to the start state cost more than it saved: +1.3G
/// and −1.7G of the pathological input's instructions when every check had one.
const LONG_WINDOW: usize = 16 * 1024;

/// How many bytes of long windows a rule is checked on before its prefiltered check is built.
const PREFILTER_AFTER: usize = 256 * 1024;

/// The lazy DFA of a widened pattern's `nfa`, with the meta regex's lazy-DFA limits (so it gives
/// up where that one would) and the prefilter `pre`, if any.
fn lazy_dfa(
    nfa: thompson::NFA,
    kind: RegexMatchKind,
    pre: Option<regex_automata::util::prefilter::Prefilter>,
) -> Option<hybrid::dfa::DFA> {
    hybrid::dfa::Builder::new()
        .configure(
            hybrid::dfa::Config::new()
                .prefilter(pre)
                .match_kind(kind)
                .unicode_word_boundary(true)
                .cache_capacity(REGEX_SIZE_LIMIT)
                .skip_cache_capacity_check(false)
                .minimum_cache_clear_count(Some(3))
                .minimum_bytes_per_state(Some(10)),
        )
        .build_from_nfa(nfa)
        .ok()
}

impl Matcher {
    /// For a rule whose matches are not known to open at its keywords (`starts` is `None`), the
    /// check's forward lazy DFA and the same widened pattern compiled backwards: together they find
    /// where the leftmost match of the widened pattern starts (`locate`), which is where the
    /// regex's own search is anchored (`next_match`). `None` when the regex can match empty (the
    /// iteration over matches treats empty ones apart) or either DFA cannot be built.
    #[cfg(test)]
    fn locator(&self) -> Option<&hybrid::dfa::DFA> {
        self.locates().then(|| self.check()).flatten()
    }

    /// Whether the rule is located (`locator`).
    fn locates(&self) -> bool {
        // The widened pattern's shortest match is the rest's (widening raises maximums only).
        // A built-in rule's is build.rs's answer (`gate::Stored::nonempty`), so that a rule whose
        // check is build.rs's NFA never reads its tree back unless it matches.
        self.starts.is_none()
            && self.nonempty.unwrap_or_else(|| {
                self.wide()
                    .properties()
                    .minimum_len()
                    .is_some_and(|n| n > 0)
            })
    }

    /// The locator's forward DFA for a window of `len` bytes (`check_for`).
    fn locator_for(&self, len: usize) -> Option<(&hybrid::dfa::DFA, bool)> {
        self.locates().then(|| self.check_for(len)).flatten()
    }

    /// The check's pattern compiled backwards, for `Located`: built when the check first finds a
    /// match, since most rules a keyword reaches never see one (small repositories).
    fn check_rev(&self) -> Option<&hybrid::dfa::DFA> {
        self.check_rev
            .get_or_init(|| widened_dfa(self.wide(), true, RegexMatchKind::All))
            .as_ref()
    }
}

/// A rule's locator (`Matcher::locator`) with this thread's caches of its two DFAs.
pub(super) struct Located<'c> {
    matcher: &'c Matcher,
    fwd: &'c hybrid::dfa::DFA,
    fwd_cache: &'c mut hybrid::dfa::Cache,
    /// Made at the first match of the forward search.
    rev_cache: &'c mut Option<hybrid::dfa::Cache>,
    /// The last answer, and where it was asked: the window's first search, made to decide whether
    /// the regex is needed at all, is not made twice.
    memo: Option<(usize, Result<Option<usize>, ()>)>,
}

impl Located<'_> {
    /// Where the leftmost match of the widened pattern that starts at or after `at` starts:
    /// `Ok(None)` when there is none, `Err` when a DFA gave up or quit (a Unicode `\b` on a
    /// non-ASCII byte) or could not be built. The forward search finds the end of the
    /// leftmost-first match, the backward search anchored there the leftmost start that reaches
    /// it: what `hybrid::regex::Regex` does.
    fn locate(&mut self, hay: &[u8], at: usize) -> Result<Option<usize>, ()> {
        if let Some((asked, answer)) = self.memo {
            if asked == at {
                return answer;
            }
        }
        let answer = self.search(hay, at);
        self.memo = Some((at, answer));
        answer
    }

    fn search(&mut self, hay: &[u8], at: usize) -> Result<Option<usize>, ()> {
        let input = regex_automata::Input::new(hay).range(at..);
        let Some(end) = self
            .fwd
            .try_search_fwd(self.fwd_cache, &input)
            .map_err(|_| ())?
        else {
            return Ok(None);
        };
        let rev = self.matcher.check_rev().ok_or(())?;
        let rev_cache = self.rev_cache.get_or_insert_with(|| rev.create_cache());
        let back = regex_automata::Input::new(hay)
            .range(at..end.offset())
            .anchored(regex_automata::Anchored::Yes);
        match rev.try_search_rev(rev_cache, &back) {
            Ok(Some(start)) => Ok(Some(start.offset())),
            _ => Err(()),
        }
    }

    fn memory_usage(&self) -> usize {
        self.fwd_cache.memory_usage() + self.rev_cache.as_ref().map_or(0, |c| c.memory_usage())
    }
}

impl Matcher {
    /// Whether the regex is searched only anchored, at a candidate start: at the rule's keywords
    /// (`starts`) or where the widened pattern's leftmost match starts (`locates`). Only where the
    /// locator cannot answer (its lazy DFA gave up or quit, or could not be built) is the regex
    /// searched unanchored, which a prefilter only speeds up.
    fn anchored_only(&self) -> bool {
        self.starts.is_some() || self.locates()
    }
}

/// A rule's regex as `Matcher::regex` documents it. `anchored_only`: the regex is searched only
/// anchored (`Matcher::anchored_only`), so it is built without the literal prefilter and the
/// reverse-suffix and reverse-inner strategies, which only unanchored searches use (an anchored
/// one runs the core engines alone) and whose literal extraction was a third of compiling the
/// regexes a run reaches, ~10M instructions of scanning openai-python (docs/engine.md, "The
/// 150 MB/s floor, fifth round"). Prefilters and strategies never change a match, only how fast
/// an unanchored search finds it.
fn compile(hir: &Hir, anchored_only: bool) -> meta::Regex {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .match_kind(RegexMatchKind::LeftmostFirst)
                .utf8_empty(false)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .hybrid_cache_capacity(REGEX_SIZE_LIMIT)
                .onepass(false)
                .auto_prefilter(!anchored_only),
        )
        .build_from_hir(hir)
        .expect("rule regexes compile (validated when the rules were loaded)")
}

/// Counted repetitions with a maximum of at least this many rounds are unbounded in the regex
/// that searches windows no longer than the maximum (`Matcher::regex_for`): the catalog's value
/// runs (`{12,200}`, `{14,1023}`), not its name parts and gaps (`{0,40}`, `{1,80}`), which would
/// bound the windows to a few dozen bytes.
const LONG_REPETITION: u32 = 128;

/// `hir` with every counted repetition `x{n,m}` whose `m` is at least `from` and whose `x` cannot
/// match empty made open-ended (`x{n,}`), and the smallest such `m` (`None`: none was). In a text
/// of at most that many bytes the two match exactly the same, with the same groups: a round of
/// `x` takes at least one byte, so no path through the unbounded one can take more than `m`
/// rounds there, and the paths that remain, and the order leftmost-first search prefers them in
/// (greedy: more rounds first; lazy: fewer), are those of the counted one.
fn unbounded_past(hir: &Hir, from: u32) -> (Hir, Option<u32>) {
    let min = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match hir.kind() {
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            let (sub, mut max) = unbounded_past(&rep.sub, from);
            let takes_a_byte = sub.properties().minimum_len().is_some_and(|n| n > 0);
            if let Some(m) = rep
                .max
                .filter(|&m| m >= from && m > rep.min && takes_a_byte)
            {
                rep.max = None;
                max = min(max, Some(m));
            }
            rep.sub = Box::new(sub);
            (Hir::repetition(rep), max)
        }
        HirKind::Capture(cap) => {
            let mut cap = cap.clone();
            let (sub, max) = unbounded_past(&cap.sub, from);
            cap.sub = Box::new(sub);
            (Hir::capture(cap), max)
        }
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            let mut max = None;
            let parts: Vec<Hir> = parts
                .iter()
                .map(|p| {
                    let (p, m) = unbounded_past(p, from);
                    max = min(max, m);
                    p
                })
                .collect();
            let hir = if matches!(hir.kind(), HirKind::Concat(_)) {
                Hir::concat(parts)
            } else {
                Hir::alternation(parts)
            };
            (hir, max)
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {
            (hir.clone(), None)
        }
    }
}

/// `hir` with every long counted repetition (`x{n,m}`, `m` at least `WIDEN_FROM`) made open-ended
/// (`x{n,}`): the check's pattern. Widening a repetition only adds to what a pattern matches, so
/// a window where the widened pattern finds no match holds none of the rule's regex either, which
/// is all the check must answer. What it saves: a counted repetition compiles to `m` NFA states
/// and its lazy DFA tells apart every count it has seen (a new state per byte along a value run
/// or a gap), where an open-ended one loops in one state. The rules' gaps (`[^\r\n]{0,40}?`,
/// twilio-auth-token's `[\s\S]{0,400}?`), name tails (`[\w.-]{0,30}`) and value runs
/// (`{19,1023}`) were most of the instructions of compiling and running the checks
/// (docs/engine.md, "Widened checks and path endings").
///
/// Each node is built once from its parts: cloning a repetition or a group to then replace its
/// part copied the whole subtree below it at every level (quadratic in the nesting), ~2M
/// instructions of scanning openai-python (docs/engine.md, "The 150 MB/s floor, fifth round").
fn widened(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Repetition(rep) => Hir::repetition(regex_syntax::hir::Repetition {
            min: rep.min,
            max: super::gate::widened_max(rep.min, rep.max),
            greedy: rep.greedy,
            sub: Box::new(widened(&rep.sub)),
        }),
        HirKind::Capture(cap) => Hir::capture(regex_syntax::hir::Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(widened(&cap.sub)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(widened).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(widened).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
    }
}

impl Matcher {
    /// What `captures_iter` does, with this thread's cache: `f(captures, start)` for each match,
    /// where `start` is where the whole match starts (for a regex with a `Lead`, before group 0).
    fn shapes(&self) -> Option<&SecretShapes> {
        self.shapes
            .get_or_init(|| SecretShapes::of(self.rest(), self.secret_group))
            .as_ref()
    }

    #[cfg(test)]
    fn for_each_match(
        &self,
        cache: &mut meta::Cache,
        caps: &mut Captures,
        hay: &[u8],
        f: impl FnMut(&Captures, usize),
    ) {
        self.for_each_candidate(self.regex(), cache, caps, hay, None, None, None, None, f);
    }

    /// The next match: the leftmost-first search of `rest` that `captures_iter` makes (from the
    /// last match's end, which it stores in `from`), or with `keyword_hits` anchored searches at
    /// the only places a match can start (`KeywordStarts::next_candidate`), the leftmost first.
    /// Every match starts at a candidate, so the first candidate where one starts is the leftmost
    /// start, and an anchored search there prefers what the unanchored one prefers among the
    /// matches starting there: the same match. `tried` is where the candidates not yet tried
    /// begin.
    #[allow(clippy::too_many_arguments)]
    fn next_match(
        &self,
        re: &meta::Regex,
        cache: &mut meta::Cache,
        it: &mut Searcher,
        hay: &[u8],
        keyword_hits: Option<(&KeywordStarts, (&[usize], usize))>,
        located: Option<&mut Located>,
        tried: &mut usize,
        from: &mut usize,
    ) -> Option<regex_automata::Match> {
        if let Some(loc) = located {
            return Self::next_located(re, cache, hay, loc, tried, from);
        }
        let Some((starts, (hits, base))) = keyword_hits else {
            return it.advance(|input| {
                *from = input.start();
                Ok(re.search_with(cache, input))
            });
        };
        *from = *tried;
        while let Some(c) = starts.next_candidate(hay, hits, base, tried) {
            let at = regex_automata::Input::new(hay)
                .range(c..)
                .anchored(regex_automata::Anchored::Yes);
            if let Some(m) = re.search_with(cache, &at) {
                // Every match holds a keyword, so none is empty: the next search starts at its end.
                *tried = m.end();
                return Some(m);
            }
        }
        None
    }

    /// `next_match` located by the widened pattern (`Matcher::locator`): every match of the regex
    /// is a match of the widened pattern, so none starts before the leftmost start of the widened
    /// pattern's matches (from where the search resumes, `*tried`); the regex is searched anchored
    /// there, and if it does not match there, the widened pattern's next start is tried. The first
    /// start where the regex matches is its leftmost start, and the anchored search there prefers
    /// what the unanchored search prefers: the same match and groups, as with `KeywordStarts`.
    /// Searched unanchored, the regex's lazy DFA follows an attempt from every byte of a line at
    /// once, and its counted repetitions (`{14,1023}` values, `{2,24}` name parts) make each mix
    /// of attempts a new state; the widened pattern loops in few states, and an anchored search
    /// follows one attempt (docs/engine.md, "The pathological input, fourth round"). Where a DFA
    /// gives up, the regex is searched unanchored from where no match can have started yet.
    fn next_located(
        re: &meta::Regex,
        cache: &mut meta::Cache,
        hay: &[u8],
        loc: &mut Located,
        tried: &mut usize,
        from: &mut usize,
    ) -> Option<regex_automata::Match> {
        *from = *tried;
        let mut at = *tried;
        while at <= hay.len() {
            let found = match loc.locate(hay, at) {
                Ok(None) => return None,
                Ok(Some(start)) => {
                    let input = regex_automata::Input::new(hay)
                        .range(start..)
                        .anchored(regex_automata::Anchored::Yes);
                    match re.search_with(cache, &input) {
                        Some(m) => m,
                        None => {
                            at = start + 1;
                            continue;
                        }
                    }
                }
                Err(()) => {
                    let input = regex_automata::Input::new(hay).range(at..);
                    re.search_with(cache, &input)?
                }
            };
            // No match is empty (`locator`): the next search starts at this one's end.
            *tried = found.end();
            return Some(found);
        }
        None
    }

    /// `for_each_match`, less the matches whose secret cannot reach the entropy floor `floor`
    /// (the rule's, if it has one, with its short validator, which keeps a secret under the
    /// floor): for those no capture groups are resolved (`SecretShapes`).
    /// Each match is found without its groups first; the groups of a match that may pass are
    /// resolved by an anchored search over the match's span, as the meta regex itself resolves
    /// them after finding a match, so they are the groups `captures_iter` gives. With `hits`
    /// (every position where one of the rule's keywords starts in `hay`, in order, each offset by
    /// the second number: where `hay` starts in the text) and `starts` known, the matches are
    /// looked for only where they can start (`next_match`). True when the regex matched at all in
    /// `hay`, whether or not a match became a candidate.
    ///
    /// `short`: where `re` is the regex with its long counted repetitions (a window longer than
    /// the short regex's bound, `short_for`), the short regex's cache and slots: a match no longer
    /// than that bound has its groups resolved by the short regex instead.
    #[allow(clippy::too_many_arguments)]
    fn for_each_candidate(
        &self,
        re: &meta::Regex,
        cache: &mut meta::Cache,
        caps: &mut Captures,
        hay: &[u8],
        hits: Option<(&[usize], usize)>,
        mut located: Option<&mut Located>,
        floor: Option<(f64, Option<Validator>)>,
        mut short: Option<&mut Option<RuleScratch>>,
        mut f: impl FnMut(&Captures, usize),
    ) -> bool {
        let mut it = Searcher::new(regex_automata::Input::new(hay));
        let keyword_hits = self.starts.as_ref().zip(hits);
        // Where the next search starts, and (with `hits`) the first candidate start not yet tried.
        let (mut from, mut tried) = (0, 0);
        let mut any = false;
        loop {
            let Some(found) = self.next_match(
                re,
                cache,
                &mut it,
                hay,
                keyword_hits,
                located.as_deref_mut(),
                &mut tried,
                &mut from,
            ) else {
                break any;
            };
            any = true;
            if let Some((floor, short_validator)) = floor {
                let shapes = self.shapes();
                if shapes.is_some_and(|shapes| {
                    !shapes.may_pass(hay, found.range(), floor, short_validator)
                }) {
                    continue;
                }
            }
            let span = regex_automata::Input::new(hay)
                .range(found.range())
                .anchored(regex_automata::Anchored::Pattern(found.pattern()));
            // Groups are resolved by an anchored search over the match's span only, and in a text
            // no longer than the short regex's bound the two regexes match alike, groups too
            // (`unbounded_past`): the short one's backtracker clears a bit per state and byte of
            // far fewer states (docs/engine.md, "The pathological input, eleventh round").
            let by_short = short
                .as_deref_mut()
                .and_then(|slot| Some((self.short_for(found.len())?, slot)));
            let caps: &Captures = match by_short {
                Some((short_re, slot)) => {
                    let (short_cache, short_caps) = slot.get_or_insert_with(|| {
                        (short_re.create_cache(), short_re.create_captures())
                    });
                    short_re.search_captures_with(short_cache, &span, short_caps);
                    short_caps
                }
                None => {
                    re.search_captures_with(cache, &span, caps);
                    caps
                }
            };
            debug_assert_eq!(caps.get_match(), Some(found));
            if caps.get_match().is_none() {
                continue;
            }
            let start = match self.lead() {
                Some(lead) => lead.start(hay, from, found.start()),
                None => found.start(),
            };
            f(caps, start);
        }
    }
}

/// Captures of a pattern with one group besides the whole match: what the hand-read assignment
/// rules (`Assignment`) fill in.
fn assignment_captures() -> Captures {
    static INFO: OnceLock<regex_automata::util::captures::GroupInfo> = OnceLock::new();
    let info = INFO.get_or_init(|| {
        regex_automata::util::captures::GroupInfo::new([[None::<&str>, None]])
            .expect("two unnamed groups")
    });
    Captures::all(info.clone())
}

/// Where a rule's secret can lie in a match, worked out from the regex's syntax tree, so that a
/// match whose secret cannot reach the rule's entropy floor is dropped before its capture groups
/// are resolved. On keyword-dense text most matches of the generic rules (`token = "aaaa…"`,
/// `password: 'your-password-here'`) fail the floor, and resolving the groups of a regex with
/// thousands of NFA states (the bounded backtracker clears a bit per state and byte of the match)
/// was a fifth of the pathological benchmark's instructions (docs/engine.md).
///
/// The secret is one capture group's text: the rule's `secretGroup`, or else the first group
/// that matched something (and every match of the regex has one: `some_group_always`). Each
/// group matches only bytes of its set; the bytes that may come right before it in a match
/// (`prec`) and right after it (`follow`) are worked out like a Glushkov automaton's (looks match
/// no byte and are passed over: a superset). Where neither holds a byte of the group's set, the
/// group's text is a whole run of the set's bytes inside the match (its ends are the match's, or
/// a byte outside the set); where one side does, it is a run's prefix or suffix. Every such
/// candidate that has the group's length and holds a byte every match of the group holds is
/// checked against the floor; when none reaches it, the secret does not either, and `take_match`
/// would drop the match. The entropy is summed as the candidate grows, compared with a margin far
/// above the rounding error, so a candidate at the floor is always resolved and checked exactly.
#[derive(Debug)]
struct SecretShapes {
    groups: Vec<GroupShape>,
}

#[derive(Debug, PartialEq)]
struct GroupShape {
    set: [bool; 256],
    min: usize,
    max: usize,
    /// No byte before the group inside a match is in `set`: the group starts where a run does.
    whole_left: bool,
    /// No byte after it is: it ends where a run does.
    whole_right: bool,
    /// Every match of the group holds a byte of this set (`[0-9]` in `…*[0-9]…*`).
    holds: Option<[bool; 256]>,
}

/// A set of bytes; `|` of two.
type ByteSet = [bool; 256];

/// A set of bytes as bits, for the syntax-tree walks (unions of every part's edges).
type Bits = [u64; 4];

fn bits(set: &ByteSet) -> Bits {
    let mut b = [0u64; 4];
    for (i, &on) in set.iter().enumerate() {
        b[i / 64] |= u64::from(on) << (i % 64);
    }
    b
}

/// `bits(&RunNeed::byte_set(class)?)`, a range at a time: a word's mask per range instead of a
/// flag per byte and a pass over all 256 (most of `EdgeTree::of`'s cost).
fn class_bits(class: &regex_syntax::hir::Class) -> Option<Bits> {
    use regex_syntax::hir::Class;
    let mut b = [0u64; 4];
    let mut add = |lo: u8, hi: u8| {
        for (w, word) in b.iter_mut().enumerate() {
            let (from, to) = ((w * 64) as u8, (w * 64 + 63) as u8);
            let (lo, hi) = (lo.max(from), hi.min(to));
            if lo <= hi {
                let n = u32::from(hi - lo) + 1;
                let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
                *word |= mask << (lo - from);
            }
        }
    };
    match class {
        Class::Bytes(c) => c.iter().for_each(|r| add(r.start(), r.end())),
        Class::Unicode(c) => {
            for r in c.iter() {
                if r.end() > '\x7f' {
                    return None;
                }
                add(r.start() as u8, r.end() as u8);
            }
        }
    }
    Some(b)
}

fn union(a: &Bits, b: &Bits) -> Bits {
    std::array::from_fn(|i| a[i] | b[i])
}

fn meets(a: &Bits, b: &Bits) -> bool {
    (0..4).any(|i| a[i] & b[i] != 0)
}

/// The bytes that can sit next to a part of a concatenation, on one side: each neighbour's edge
/// bytes (`edge`), walked outward while the neighbours can match empty, and `outer` (what borders
/// the whole concatenation) when every neighbour on that side can.
fn adjacent<'e>(
    neighbours: impl Iterator<Item = &'e Edges>,
    edge: impl Fn(&Edges) -> &Bits,
    outer: &Bits,
) -> Bits {
    let mut bits = [0u64; 4];
    for e in neighbours {
        bits = union(&bits, edge(e));
        if !e.nullable {
            return bits;
        }
    }
    union(&bits, outer)
}

/// The bytes a match of a syntax tree can start and end with, and whether it can be empty.
struct Edges {
    first: Bits,
    last: Bits,
    nullable: bool,
}

/// A syntax tree's `Edges` at every node, worked out once from the leaves up: `SecretShapes::walk`
/// asks for the edges of every part of each concatenation and repetition it passes, and worked out
/// afresh from each part's subtree, a node's edges were worked out once per level above it (a
/// tenth of a millisecond per rule that matched, ~5M instructions of scanning openai-python;
/// docs/engine.md, "Stop 41"). `edges` is `None` where `Edges::of_node` gives none (a class that is not
/// a set of bytes, or a part holding one).
struct EdgeTree {
    edges: Option<Edges>,
    /// One per part, in order: a concatenation's or alternation's parts, a repetition's or
    /// group's one part; none for a leaf.
    kids: Vec<EdgeTree>,
}

impl EdgeTree {
    fn of(hir: &Hir) -> EdgeTree {
        let kids: Vec<EdgeTree> = match hir.kind() {
            HirKind::Repetition(rep) => vec![EdgeTree::of(&rep.sub)],
            HirKind::Capture(cap) => vec![EdgeTree::of(&cap.sub)],
            HirKind::Concat(parts) | HirKind::Alternation(parts) => {
                parts.iter().map(EdgeTree::of).collect()
            }
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {
                Vec::new()
            }
        };
        let edges = Edges::of_node(hir, &kids);
        EdgeTree { edges, kids }
    }

    /// The parts' edges, if every part has them.
    fn kid_edges(&self) -> Option<Vec<&Edges>> {
        self.kids.iter().map(|k| k.edges.as_ref()).collect()
    }
}

impl Edges {
    /// `hir`'s edges given its parts' trees (`kids`, as `EdgeTree::of` lists them).
    fn of_node(hir: &Hir, kids: &[EdgeTree]) -> Option<Edges> {
        let none = [0u64; 4];
        let kid = |i: usize| kids[i].edges.as_ref();
        Some(match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Edges {
                first: none,
                last: none,
                nullable: true,
            },
            HirKind::Literal(lit) => {
                let (mut first, mut last) = (none, none);
                if let (Some(&a), Some(&z)) = (lit.0.first(), lit.0.last()) {
                    first[a as usize / 64] |= 1 << (a % 64);
                    last[z as usize / 64] |= 1 << (z % 64);
                }
                Edges {
                    first,
                    last,
                    nullable: lit.0.is_empty(),
                }
            }
            HirKind::Class(c) => {
                let set = class_bits(c)?;
                Edges {
                    first: set,
                    last: set,
                    nullable: false,
                }
            }
            HirKind::Repetition(rep) => {
                let sub = kid(0)?;
                Edges {
                    first: sub.first,
                    last: sub.last,
                    nullable: sub.nullable || rep.min == 0,
                }
            }
            HirKind::Capture(_) => {
                let sub = kid(0)?;
                Edges {
                    first: sub.first,
                    last: sub.last,
                    nullable: sub.nullable,
                }
            }
            HirKind::Concat(_) => {
                let edges = (0..kids.len()).map(kid).collect::<Option<Vec<_>>>()?;
                let (mut first, mut last) = (none, none);
                for e in &edges {
                    first = union(&first, &e.first);
                    if !e.nullable {
                        break;
                    }
                }
                for e in edges.iter().rev() {
                    last = union(&last, &e.last);
                    if !e.nullable {
                        break;
                    }
                }
                Edges {
                    first,
                    last,
                    nullable: edges.iter().all(|e| e.nullable),
                }
            }
            HirKind::Alternation(_) => {
                let mut all = Edges {
                    first: none,
                    last: none,
                    nullable: false,
                };
                for i in 0..kids.len() {
                    let e = kid(i)?;
                    all.first = union(&all.first, &e.first);
                    all.last = union(&all.last, &e.last);
                    all.nullable |= e.nullable;
                }
                all
            }
        })
    }
}

impl SecretShapes {
    /// The shapes of the groups that may hold the secret of a rule with this regex (the part the
    /// engine searches, after any `Lead`: the groups all lie in it), or `None` when some group's
    /// text cannot be pinned to a run's edge.
    fn of(hir: &Hir, secret_group: Option<usize>) -> Option<SecretShapes> {
        let mut found = Vec::new();
        Self::walk(hir, &EdgeTree::of(hir), &[0; 4], &[0; 4], &mut found)?;
        let wanted: Vec<_> = match secret_group {
            Some(g) if g > 0 => found.into_iter().filter(|(i, _)| *i == g).collect(),
            // The first group that matched something, or the whole match when none did.
            _ if some_group_always(hir) => found,
            _ => return None,
        };
        // Groups of one shape (`"([^"]{12,200})"` in several alternatives) are checked once.
        let mut groups: Vec<GroupShape> = Vec::new();
        for (_, shape) in wanted {
            if !groups.contains(&shape) {
                groups.push(shape);
            }
        }
        (!groups.is_empty() && groups.iter().all(|g| g.whole_left || g.whole_right))
            .then_some(SecretShapes { groups })
    }

    /// Records each capture group under `hir` with the bytes that may come before (`prec`) and
    /// after (`follow`) `hir` in a match.
    fn walk(
        hir: &Hir,
        tree: &EdgeTree,
        prec: &Bits,
        follow: &Bits,
        found: &mut Vec<(usize, GroupShape)>,
    ) -> Option<()> {
        match hir.kind() {
            HirKind::Capture(cap) => {
                let (set, min, max) = RunNeed::word_bytes(&cap.sub)?;
                found.push((
                    cap.index as usize,
                    GroupShape {
                        set,
                        min: min.max(1),
                        max,
                        whole_left: !meets(prec, &bits(&set)),
                        whole_right: !meets(follow, &bits(&set)),
                        holds: holds_one_of(&cap.sub),
                    },
                ));
                Self::walk(&cap.sub, &tree.kids[0], prec, follow, found)
            }
            HirKind::Repetition(rep) => {
                let sub = &tree.kids[0];
                if rep.max == Some(1) {
                    return Self::walk(&rep.sub, sub, prec, follow, found);
                }
                // Repeated, it may follow or precede itself.
                let e = sub.edges.as_ref()?;
                Self::walk(
                    &rep.sub,
                    sub,
                    &union(prec, &e.last),
                    &union(follow, &e.first),
                    found,
                )
            }
            HirKind::Alternation(alts) => {
                for (alt, kid) in alts.iter().zip(&tree.kids) {
                    Self::walk(alt, kid, prec, follow, found)?;
                }
                Some(())
            }
            HirKind::Concat(parts) => {
                let edges = tree.kid_edges()?;
                for (i, (part, kid)) in parts.iter().zip(&tree.kids).enumerate() {
                    let before = adjacent(edges[..i].iter().rev().copied(), |e| &e.last, prec);
                    let after = adjacent(edges[i + 1..].iter().copied(), |e| &e.first, follow);
                    Self::walk(part, kid, &before, &after, found)?;
                }
                Some(())
            }
            HirKind::Empty | HirKind::Look(_) | HirKind::Literal(_) | HirKind::Class(_) => Some(()),
        }
    }

    /// False when no candidate for the secret in the match at `span` reaches the entropy floor,
    /// nor (with the rule's `short` validator) may pass that validator instead.
    fn may_pass(
        &self,
        hay: &[u8],
        span: std::ops::Range<usize>,
        floor: f64,
        short: Option<Validator>,
    ) -> bool {
        // Work in proportion to a few passes over the match; past it, resolve the groups.
        let mut budget = 64 * span.len() + 4096;
        self.groups.iter().any(|g| {
            let mut i = span.start;
            while i < span.end {
                if !g.set[hay[i] as usize] {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < span.end && g.set[hay[i] as usize] {
                    i += 1;
                }
                let run = &hay[start..i];
                if run.len() < g.min {
                    continue;
                }
                if budget < run.len() {
                    return true;
                }
                budget -= run.len();
                // The whole run, or a prefix or a suffix of it, grown a byte at a time.
                let (left, right) = (g.whole_left, g.whole_right);
                let pass = g.any_grown_reaches(run, !left, left && right, floor);
                if pass || short.is_some_and(|v| g.may_be_short(run, !left, left && right, v)) {
                    return true;
                }
            }
            false
        })
    }
}

impl GroupShape {
    /// True when some prefix (`from_end` false) or suffix of `run` (only the whole run when
    /// `whole`) of the group's length, holding a byte of `holds`, may reach `floor`. The entropy is updated as the candidate grows a byte
    /// at a time: `H = log2 n - (Σ c log2 c) / n`.
    fn any_grown_reaches(&self, run: &[u8], from_end: bool, whole: bool, floor: f64) -> bool {
        let mut counts = [0u16; 256];
        let (mut sum, mut hex, mut held) = (0.0f64, true, self.holds.is_none());
        let clog = c_log2_c();
        let holds = self.holds.as_ref();
        let grown = run.len().min(self.max);
        if grown >= clog.len() {
            return true;
        }
        for k in 0..grown {
            let b = if from_end {
                run[run.len() - 1 - k]
            } else {
                run[k]
            };
            let c = &mut counts[b as usize];
            sum += clog[*c as usize + 1] - clog[*c as usize];
            *c += 1;
            hex &= b.is_ascii_hexdigit();
            held |= holds.is_some_and(|h| h[b as usize]);
            let n = k + 1;
            if n < self.min || !held || whole && n < run.len() {
                continue;
            }
            let entropy = (n as f64).log2() - sum / n as f64;
            let floor = if n >= 16 && hex {
                floor.min(3.0)
            } else {
                floor
            };
            // Far above the rounding error of either sum: near the floor, the exact check decides.
            if entropy >= floor - 1e-6 {
                return true;
            }
        }
        false
    }
}

impl GroupShape {
    /// True when a candidate in `run` (as `any_grown_reaches` reads them), cut where the generic
    /// rules cut a value at a URL query's next parameter (`query_value_len`), may pass the short
    /// validator `v`: no longer than what `v` accepts, every such candidate is asked. A validator
    /// without a bound, or a candidate of a run holding a `&` that is not the whole run, may pass.
    fn may_be_short(&self, run: &[u8], from_end: bool, whole: bool, v: Validator) -> bool {
        let Some(max) = v.max_len() else {
            return true;
        };
        if whole {
            let cut = &run[..crate::filters::query_value_len(run)];
            return cut.len() <= max && v.accepts(cut);
        }
        if memchr::memchr(b'&', run).is_some() {
            return true;
        }
        (self.min..=run.len().min(self.max).min(max)).any(|n| {
            let candidate = if from_end {
                &run[run.len() - n..]
            } else {
                &run[..n]
            };
            v.accepts(candidate)
        })
    }
}

/// `c log2 c` for the counts a candidate's bytes can reach (`any_grown_reaches` answers "may
/// pass" for a candidate longer than the table).
fn c_log2_c() -> &'static [f64] {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..=4096u32)
            .map(|c| {
                if c < 2 {
                    0.0
                } else {
                    c as f64 * (c as f64).log2()
                }
            })
            .collect()
    })
}

/// Bytes of which every match of `hir` holds at least one, if it can tell.
fn holds_one_of(hir: &Hir) -> Option<ByteSet> {
    match hir.kind() {
        HirKind::Class(c) => RunNeed::byte_set(c),
        HirKind::Literal(lit) => {
            let mut set = [false; 256];
            set[*lit.0.first()? as usize] = true;
            Some(set)
        }
        HirKind::Repetition(rep) if rep.min >= 1 => holds_one_of(&rep.sub),
        HirKind::Capture(cap) => holds_one_of(&cap.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(holds_one_of)
            .min_by_key(|s| s.iter().filter(|&&b| b).count()),
        HirKind::Alternation(alts) => {
            let mut all = [false; 256];
            for alt in alts {
                let set = holds_one_of(alt)?;
                (0..256).for_each(|b| all[b] |= set[b]);
            }
            Some(all)
        }
        _ => None,
    }
}

/// True when every match of `hir` has a capture group that matched a non-empty text.
fn some_group_always(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Capture(cap) => {
            cap.sub.properties().minimum_len().is_some_and(|n| n > 0) || some_group_always(&cap.sub)
        }
        HirKind::Concat(parts) => parts.iter().any(some_group_always),
        HirKind::Alternation(alts) => alts.iter().all(some_group_always),
        HirKind::Repetition(rep) => rep.min >= 1 && some_group_always(&rep.sub),
        _ => false,
    }
}

/// A rule's lazy-DFA cache and capture slots, as one worker thread keeps them.
type RuleScratch = (meta::Cache, Captures);

pub(super) static NEXT_ENGINE_ID: AtomicU64 = AtomicU64::new(0);

/// How many bytes of lazy-DFA caches one worker thread keeps before it drops them all and starts
/// afresh: 96 MiB shared by the threads, at least 16 MiB each. Each rule's cache grows with the
/// states its regex meets; on text where every line sends dozens of rules to work (the
/// pathological benchmark input) ~600 rules' caches grew to 550 MB on one thread, most of it
/// states of gap rules that never recur. Dropping them costs a few per cent of CPU there
/// (docs/engine.md) and nothing on ordinary code, whose caches stay far below this.
fn cache_budget() -> usize {
    static BUDGET: OnceLock<usize> = OnceLock::new();
    *BUDGET.get_or_init(|| ((96usize << 20) / rayon::current_num_threads().max(1)).max(16 << 20))
}

/// One worker thread's regex caches for the engine `engine`, one per rule, and what they hold.
#[derive(Default)]
struct Scratch {
    engine: u64,
    caches: Vec<Option<RuleScratch>>,
    /// Per rule, what `caches` holds for its short regex (`Matcher::regex_for`).
    shorts: Vec<Option<RuleScratch>>,
    /// Per rule, the cache of its check (`Matcher::check`).
    checks: Vec<Option<hybrid::dfa::Cache>>,
    /// Per rule, the cache of its prefiltered check (`Matcher::check_for`).
    checks_pre: Vec<Option<hybrid::dfa::Cache>>,
    /// Per located rule, the cache of its check's pattern searched backwards (`Matcher::locator`).
    revs: Vec<Option<hybrid::dfa::Cache>>,
    /// What the caches hold, as `meta::Cache::memory_usage` counts it: each cache's size when made,
    /// and every change since.
    bytes: usize,
}

impl Scratch {
    /// Counts one cache's change from `before` to `after` bytes (a lazy DFA may also clear itself
    /// and shrink); past `budget`, drops every cache.
    fn settle(&mut self, before: usize, after: usize, budget: usize) {
        self.bytes = (self.bytes + after).saturating_sub(before);
        if self.bytes > budget {
            self.caches.iter_mut().for_each(|c| *c = None);
            self.checks.iter_mut().for_each(|c| *c = None);
            self.checks_pre.iter_mut().for_each(|c| *c = None);
            self.revs.iter_mut().for_each(|c| *c = None);
            self.shorts.iter_mut().for_each(|c| *c = None);
            self.bytes = 0;
        }
    }
}

thread_local! {
    /// This thread's regex caches, one per rule of the engine whose id comes first; a thread that
    /// moves on to another engine starts afresh.
    /// With each cache, the rule's capture slots: allocated once, not once per window.
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch { engine: u64::MAX, caches: Vec::new(), shorts: Vec::new(), checks: Vec::new(), checks_pre: Vec::new(), revs: Vec::new(), bytes: 0 }) };
}

impl RunNeed {
    /// True when a match may lie in `hay`: it holds the run, and the byte after it if one is needed.
    fn holds(&self, hay: &[u8]) -> bool {
        // The run first: it skips most bytes of ordinary code unread (`first_run`), and a span of
        // `min` bytes of the set from boundary to boundary, or a run followed by a byte of
        // `then`, is such a run. Neither can start before the first run, so the second check
        // reads on from there: on lines full of near misses (a hex run one byte short, or inside
        // a longer word) it no longer reads the line's head a second time.
        let Some(first) = self.first_run(hay) else {
            return false;
        };
        match (&self.then, self.word_max) {
            (_, Some(max)) => self.word_holds(hay, first, max),
            (None, None) => true,
            // The byte before `first` is not in the set: a run counted from there is whole.
            (Some(then), None) => self.run_then_holds(&hay[first..], then),
        }
    }

    /// True when `hay` holds a maximal run of ASCII word bytes of `min..=max` bytes, all in the
    /// set, starting at or after `from` (the start of a maximal run of the set's bytes).
    fn word_holds(&self, hay: &[u8], from: usize, max: usize) -> bool {
        // `\b` at `i`: the bytes either side differ in being word bytes (the edges count as not).
        let word = |i: usize| i < hay.len() && WORD[hay[i] as usize];
        let boundary = |i: usize| (i > 0 && word(i - 1)) != word(i);
        if self.word_only {
            // Word bytes only (hex, alphanumerics: the vendor-context rules' tokens): inside a
            // run of them no position is a boundary, so a run holds such a span exactly when it
            // is a whole word (a boundary at both ends) of `min..=max` bytes. Runs shorter than
            // `min` are skipped unread (`first_run`) rather than walked byte by byte.
            let mut start = from;
            loop {
                let end = start
                    + self.min
                    + hay[start + self.min..]
                        .iter()
                        .position(|&b| !self.set[b as usize])
                        .unwrap_or(hay.len() - start - self.min);
                if end - start <= max && boundary(start) && boundary(end) {
                    return true;
                }
                match self.first_run(&hay[end..]) {
                    Some(k) => start = end + k,
                    None => return false,
                }
            }
        }
        let mut i = from;
        while i < hay.len() {
            if !self.set[hay[i] as usize] {
                i += 1;
                continue;
            }
            // A run of the set's bytes, `start..end`: a match lies inside one, from a boundary to
            // a boundary `min..=max` bytes further on. `q` only passes positions that are not
            // boundaries, so it never goes back.
            let start = i;
            while i < hay.len() && self.set[hay[i] as usize] {
                i += 1;
            }
            let end = i;
            let mut q = start;
            for p in (start..end).filter(|&p| boundary(p)) {
                let last = end.min(p.saturating_add(max));
                q = q.max(p + self.min);
                while q <= last && !boundary(q) {
                    q += 1;
                }
                if q <= last {
                    return true;
                }
            }
        }
        false
    }

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

    /// Where the first `min` consecutive bytes of the set start in `hay`, if anywhere: the start
    /// of a maximal run (the byte before it, if any, is not in the set, or the run would start
    /// there). Checked from the far end of each candidate backwards, so a byte outside the set
    /// moves the candidate past it: on text where such runs are rare most bytes are never looked
    /// at (Horspool's idea), and no byte is read twice before a run is found. A candidate moved
    /// past a byte at `j - 1` skips no run: one starting before `j` would hold that byte.
    fn first_run(&self, hay: &[u8]) -> Option<usize> {
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
            return Some(start);
        }
        None
    }
}

impl Engine {
    /// Whether rule `r`'s windows reach past its keyword's line (`Gate::spans`).
    #[cfg(test)]
    pub(super) fn spans_lines(&self, r: usize) -> bool {
        self.rules.rules[r].regex.is_some() && self.gate(r).spans
    }

    /// How far rule `r`'s windows reach (it has a regex): past its keyword's line when it spans
    /// lines (`Gate::spans`, worked out on its first hit); along a long line as far as such a
    /// rule's when its text once gave it 16 KiB windows (`Gate::long_reach`), so that none of
    /// its one-line matches longer than a line window is cut (a rule whose matches are all
    /// shorter, `Gate::one_line`, had line windows already); else its line. A spanning rule that
    /// counts its lines (`lines = "2"`) reaches that many lines at most (`Reach::Count`).
    pub(super) fn reach(&self, r: usize) -> Reach {
        let gate = self.gate(r);
        if gate.spans {
            match self.rules.rules[r].lines {
                Some(crate::rules::Lines::Count(n)) => Reach::Count(n),
                _ => Reach::Lines,
            }
        } else if gate.long_reach && !gate.one_line {
            Reach::LongLine
        } else {
            Reach::Line
        }
    }

    /// Rule `r`'s matcher (it has a regex), built on first use.
    #[cfg(test)]
    pub(super) fn matcher(&self, r: usize) -> &Matcher {
        self.matchers[r].get_or_init(|| Matcher::of_rule(&self.rules.rules[r]))
    }

    /// Rule `r`'s hits in the window `s..e` of `data`. `hits` are the positions in the window
    /// where one of its keywords starts, every one of them, in order, when its matcher knows
    /// where matches start (`Matcher::starts`); else they are not read.
    pub(super) fn match_rule(
        &self,
        r: usize,
        data: &[u8],
        page: Option<&docs::Page>,
        (s, e): (usize, usize),
        hits: &[usize],
        out: &mut Vec<Hit>,
    ) {
        if !timing::on() {
            return self.match_rule_untimed(r, data, page, (s, e), hits, out);
        }
        let t = std::time::Instant::now();
        let n = out.len();
        self.match_rule_untimed(r, data, page, (s, e), hits, out);
        timing::add(self, r, t.elapsed().as_nanos() as u64, out.len() - n, e - s);
    }

    fn match_rule_untimed(
        &self,
        r: usize,
        data: &[u8],
        page: Option<&docs::Page>,
        (s, e): (usize, usize),
        hits: &[usize],
        out: &mut Vec<Hit>,
    ) {
        let rule = &self.rules.rules[r];
        if rule.regex.is_none() {
            return;
        }
        let hay = &data[s..e];
        // What every match must contain, checked before the regex is parsed: most rules a keyword
        // reaches never see a window that holds it (`Engine::gate`).
        let gate = self.gate(r);
        if !gate.assign
            && gate
                .needs
                .as_ref()
                .is_some_and(|need| !need.iter().any(|n| n.holds(hay)))
        {
            return;
        }
        let m = self.matchers[r].get_or_init(|| Matcher::of_rule(rule));
        // Read by hand: every match, as `captures_iter` gives it, goes to `take_match` (which
        // drops what the entropy check before the groups would have dropped).
        let mut caps = None;
        let mut take = |start: usize, end: usize, value: (usize, usize)| {
            let caps = caps.get_or_insert_with(assignment_captures);
            caps.set_pattern(Some(regex_automata::PatternID::ZERO));
            let slots = caps.slots_mut();
            for (slot, at) in slots.iter_mut().zip([start, end, value.0, value.1]) {
                *slot = regex_automata::util::primitives::NonMaxUsize::new(at);
            }
            out.extend(self.take_match(r, data, page, s, caps, start));
        };
        if let Some(assign) = m.assign {
            assign.for_each(hay, |f| take(f.start, f.end, f.value));
            return;
        }
        if let Some(vendor_word) = &m.vendor_word {
            vendor_word.for_each(hay, |f| take(f.start, f.end, f.value));
            return;
        }
        if !m.literals.iter().all(|l| l.holds(hay)) {
            return;
        }
        // Read by hand at the places a match can start, as the regex path finds them.
        if let Some(read) = m.assign_read {
            let keyed = m
                .starts
                .as_ref()
                .zip(m.lead())
                .map(|(starts, lead)| (starts, hits, s, lead));
            if !read.keyed() || keyed.is_some() {
                read.for_each(hay, keyed, |f| take(f.start, f.end, f.value));
                return;
            }
        }
        let hits = m.starts.is_some().then_some((hits, s));
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let scratch = &mut *scratch;
            if scratch.engine != self.id {
                *scratch = Scratch {
                    engine: self.id,
                    ..Scratch::default()
                };
            }
            if scratch.caches.len() <= r {
                scratch.caches.resize_with(self.rules.rules.len(), || None);
                scratch.checks.resize_with(self.rules.rules.len(), || None);
                scratch
                    .checks_pre
                    .resize_with(self.rules.rules.len(), || None);
                scratch.revs.resize_with(self.rules.rules.len(), || None);
                scratch.shorts.resize_with(self.rules.rules.len(), || None);
            }
            // A long window is checked (and located) with the prefiltered check, which keeps its
            // own cache.
            let locator = m.locator_for(hay.len());
            if locator.is_none() {
                if let Some((dfa, pre)) = m.live_check_for(hay.len()) {
                    let slot = if pre {
                        &mut scratch.checks_pre[r]
                    } else {
                        &mut scratch.checks[r]
                    };
                    // A cache just made counts whole, as the regex's below does.
                    let fresh = slot.is_none();
                    let check = slot.get_or_insert_with(|| dfa.create_cache());
                    let before = if fresh { 0 } else { check.memory_usage() };
                    let may = Matcher::may_match_with(dfa, check, hay);
                    let after = check.memory_usage();
                    scratch.settle(before, after, cache_budget());
                    if !may {
                        return;
                    }
                }
            }
            let Scratch {
                caches,
                shorts,
                checks,
                checks_pre,
                revs,
                bytes,
                ..
            } = &mut *scratch;
            // The located rules' first search stands for the check: a window where the widened
            // pattern finds nothing is left before the regex is compiled.
            let mut located = None;
            let mut grown = 0;
            if let Some((fwd, pre)) = locator {
                let slot = if pre {
                    &mut checks_pre[r]
                } else {
                    &mut checks[r]
                };
                let fresh = slot.is_none();
                let mut loc = Located {
                    matcher: m,
                    fwd,
                    fwd_cache: slot.get_or_insert_with(|| fwd.create_cache()),
                    rev_cache: &mut revs[r],
                    memo: None,
                };
                // A cache just made counts whole.
                let before = if fresh {
                    loc.memory_usage() - loc.fwd_cache.memory_usage()
                } else {
                    loc.memory_usage()
                };
                let first = loc.locate(hay, 0);
                grown = loc.memory_usage() as isize - before as isize;
                if first == Ok(None) {
                    scratch.settle(0, grown.max(0) as usize, cache_budget());
                    return;
                }
                located = Some(loc);
            }
            // A short window is searched with the short regex (`Matcher::short_for`), which keeps
            // its own cache.
            // A longer window is searched with the regex, but a match no longer than the short
            // regex's bound has its groups resolved by the short one (`for_each_candidate`).
            let (re, slot, mut short) = match m.short_for(hay.len()) {
                Some(re) => (re, &mut shorts[r], None),
                None => (m.regex(), &mut caches[r], Some(&mut shorts[r])),
            };
            if slot.is_none() {
                let cache = re.create_cache();
                *bytes += cache.memory_usage();
                *slot = Some((cache, re.create_captures()));
            }
            let (cache, caps) = slot.as_mut().expect("made above");
            // The short regex's cache, if it is made here, counts whole.
            let short_usage = |short: &Option<&mut Option<RuleScratch>>| {
                short
                    .as_ref()
                    .and_then(|slot| slot.as_ref())
                    .map_or(0, |(cache, _)| cache.memory_usage())
            };
            let short_before = short_usage(&short);
            let before = cache.memory_usage() as isize - grown + short_before as isize;
            let loc_before = located.as_ref().map_or(0, |l| l.memory_usage());
            let any = m.for_each_candidate(
                re,
                cache,
                caps,
                hay,
                hits,
                located.as_mut(),
                rule.entropy.map(|e| (e, rule.short_validator)),
                short.as_deref_mut(),
                |caps, start| out.extend(self.take_match(r, data, page, s, caps, start)),
            );
            // Once the regex has matched, the check would only make the rule search twice (a rule
            // without a locator). Not before: the check's pattern is wider than the regex
            // (`widened`), and a window it lets through in vain must not send every later window
            // to the costlier regex.
            if any {
                m.matched.store(true, Ordering::Relaxed);
            }
            let loc_after = located.as_ref().map_or(0, |l| l.memory_usage());
            let after = (cache.memory_usage() + loc_after + short_usage(&short)) as isize
                - loc_before as isize;
            let (before, after) = if after >= before {
                (0, (after - before) as usize)
            } else {
                ((before - after) as usize, 0)
            };
            scratch.settle(before, after, cache_budget());
        });
    }

    /// One match of rule `r`'s regex in the window starting at `s`: a hit if its secret passes the
    /// rule's entropy floor, validators and placeholder check.
    fn take_match(
        &self,
        r: usize,
        data: &[u8],
        page: Option<&docs::Page>,
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
        let mut secret = secret.filter(|m| !m.is_empty())?;
        if rule.generic {
            // A URL's query parameter ends at the next one (`?api_key=V&limit=10`): the generic
            // rules' value classes take `&`, which a password may hold.
            secret.end = secret.start
                + crate::filters::query_value_len(&data[s + secret.start..s + secret.end]);
        }
        let bytes = &data[s + secret.start..s + secret.end];
        let entropy = shannon_entropy(bytes);
        // Under the floor, a rule's short validator may still keep the secret (a short key judged
        // by its shape).
        if rule.entropy.is_some_and(|floor| {
            entropy < entropy_floor(bytes, floor)
                && !rule.short_validator.is_some_and(|v| v.accepts(bytes))
        }) {
            return None;
        }
        if !rule.validators.iter().all(|v| v.accepts(bytes)) {
            return None;
        }
        if says_not_real(bytes) || is_masked(bytes) || is_template_slot(bytes) {
            return None;
        }
        // A value that is its own name again (`IRC_PASS=irc_pass`) is a reference, under any rule:
        // the name is what stands before it on its line.
        let at = s + secret.start;
        let line_start = memchr::memrchr(b'\n', &data[at.saturating_sub(256)..at])
            .map_or(at.saturating_sub(256), |i| at.saturating_sub(256) + i + 1);
        if value_names_itself(&data[line_start..at], bytes) {
            return None;
        }
        // A value that says it is a placeholder (a placeholder word, template syntax, a type or a
        // path) is no match, as one under the rule's entropy floor or refused by its validators.
        // One that only looks made up (a sequence, a repeated character) may be a real weak
        // password: under a generic rule (whose context, a password flag or a secret's name, says
        // it is a secret) it is a hit `findings` drops and counts; any other rule's is no match.
        // The weak-password tier (`yields` 4) takes a value one letter dominates as typed
        // (`hooooorst`): it is there to report weak values.
        let (named, made_up) = if rule.skip_placeholders {
            let named = names_a_placeholder(bytes);
            let made_up = if rule.yields == 4 {
                looks_made_up_password(bytes)
            } else {
                looks_made_up(bytes)
            };
            (named, !named && made_up)
        } else {
            (false, false)
        };
        if named || made_up && !rule.generic {
            return None;
        }
        let placeholder = made_up;
        Some(Hit {
            rule: r,
            secret: Secret::new(String::from_utf8_lossy(bytes).into_owned()),
            matched: data[s + whole.start..s + whole.end].to_vec(),
            line_text: Default::default(),
            start: s + secret.start,
            end: s + secret.end,
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            entropy: entropy as f32,
            context: Context::empty(),
            match_start: s + whole.start,
            doc_example: policy::example_markups(rule, page, s + secret.start),
            inline_allowed: false,
            decoded: Vec::new(),
            encoded: Vec::new(),
            comment_example: policy::introduced_as_example(rule, data, s + secret.start),
            placeholder,
            shadowed_by: Vec::new(),
        })
    }
}

/// `LEAKGUARD_RULE_TIMING=1`: per rule, the time spent in `match_rule`, its windows and hits,
/// printed on stderr when the engine is dropped (the costliest first): where a keyword-dense input
/// spends its matching (docs/engine.md, "The pathological input, sixth round").
mod timing {
    use super::Engine;
    use std::sync::{Mutex, OnceLock};

    static ON: OnceLock<bool> = OnceLock::new();
    static TABLE: Mutex<Vec<[u64; 4]>> = Mutex::new(Vec::new());

    pub(super) fn on() -> bool {
        *ON.get_or_init(|| std::env::var_os("LEAKGUARD_RULE_TIMING").is_some_and(|v| v == "1"))
    }

    pub(super) fn add(engine: &Engine, r: usize, ns: u64, hits: usize, bytes: usize) {
        let mut t = TABLE.lock().unwrap_or_else(|e| e.into_inner());
        if t.len() < engine.rules.rules.len() {
            t.resize(engine.rules.rules.len(), [0; 4]);
        }
        t[r][0] += ns;
        t[r][1] += 1;
        t[r][2] += hits as u64;
        t[r][3] += bytes as u64;
    }

    impl Engine {
        /// With the switch on, the table so far on stderr (the CLI forgets its engine at exit).
        pub fn report_rule_timing(&self) {
            if !on() {
                return;
            }
            let t = std::mem::take(&mut *TABLE.lock().unwrap_or_else(|e| e.into_inner()));
            let mut rows: Vec<_> = t.iter().enumerate().filter(|(_, x)| x[1] > 0).collect();
            rows.sort_by_key(|(_, x)| std::cmp::Reverse(x[0]));
            let total: u64 = rows.iter().map(|(_, x)| x[0]).sum();
            eprintln!("rule timing: {:.1} ms in match_rule", total as f64 / 1e6);
            for (r, x) in
                rows.iter()
                    .take(if std::env::var_os("LEAKGUARD_RULE_TIMING_ALL").is_some() {
                        usize::MAX
                    } else {
                        40
                    })
            {
                eprintln!(
                    "{:>9.1} ms {:>8} windows {:>10} bytes {:>6} hits {} {}  {}",
                    x[0] as f64 / 1e6,
                    x[1],
                    x[3],
                    x[2],
                    // A rule whose gate kept every window out was never parsed: no matcher to ask.
                    match self.matchers[*r].get() {
                        Some(m) if m.starts.is_some() => "kw",
                        Some(_) => "--",
                        None => "..",
                    },
                    if self.matchers[*r]
                        .get()
                        .is_some_and(|m| m.matched.load(std::sync::atomic::Ordering::Relaxed))
                    {
                        "m"
                    } else {
                        "-"
                    },
                    self.rules.rules[*r].id
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::engine::PathScope;

    /// A user's config that replaces a hand-read rule with the same regex text (and keywords) is
    /// read by hand too: the reader is chosen by the pattern's text alone, and where a keyed
    /// reader starts is worked out from the parse of that text as for the built-in rule.
    #[test]
    fn every_built_in_rules_check_nfa_is_the_one_compiled_from_its_widened_rest() {
        // build.rs compiles each built-in rule's check NFA and writes its states (`nfacode`); put
        // back together with regex-automata's builder it must be, state for state and start for
        // start, the NFA compiled from the widened rest, so that the check answers as before. And
        // build.rs's `nonempty` must be the widened rest's, which `locates` asked of the tree.
        let (mut rules, mut states, mut unions) = (0, 0, 0);
        for rule in crate::rules::RuleSet::builtin().unwrap().rules {
            let Some(re) = rule.regex.as_ref() else {
                continue;
            };
            let m = Matcher::build(re.as_str(), &rule.keywords, rule.secret_group);
            let wide = m.wide();
            assert_eq!(
                m.nonempty,
                Some(wide.properties().minimum_len().is_some_and(|n| n > 0)),
                "{}",
                rule.id
            );
            let Some(compiled) = widened_nfa(wide, false) else {
                assert!(m.nfa.is_none(), "{}", rule.id);
                continue;
            };
            let code = m
                .nfa
                .unwrap_or_else(|| panic!("{}: no NFA from build.rs", rule.id));
            let read =
                super::super::nfacode::decode(&super::super::inflate_nfa(code), REGEX_SIZE_LIMIT)
                    .unwrap_or_else(|| panic!("{}: build.rs's NFA does not read back", rule.id));
            assert_eq!(format!("{read:?}"), format!("{compiled:?}"), "{}", rule.id);
            assert_eq!(
                read.start_anchored(),
                compiled.start_anchored(),
                "{}",
                rule.id
            );
            assert_eq!(
                read.start_unanchored(),
                compiled.start_unanchored(),
                "{}",
                rule.id
            );
            assert_eq!(
                format!("{:?}", read.byte_classes()),
                format!("{:?}", compiled.byte_classes()),
                "{}",
                rule.id
            );
            assert_eq!(read.look_set_any(), compiled.look_set_any(), "{}", rule.id);
            assert_eq!(read.has_empty(), compiled.has_empty(), "{}", rule.id);
            assert_eq!(read.memory_usage(), compiled.memory_usage(), "{}", rule.id);
            states += read.states().len();
            unions += read
                .states()
                .iter()
                .filter(|s| matches!(s, thompson::State::Union { .. }))
                .count();
            rules += 1;
        }
        assert!(rules > 1000, "{rules}");
        assert!(states > 100_000 && unions > 100, "{states} {unions}");
    }

    #[test]
    fn a_check_nfa_written_wrong_does_not_read_back() {
        let nfa = widened_nfa(
            &widened(&super::super::gate::parse(r"key_[a-f0-9]{32}\b").unwrap()),
            false,
        )
        .unwrap();
        let mut code = Vec::new();
        assert!(super::super::nfacode::encode(&nfa, &mut code));
        let read = super::super::nfacode::decode(&code, REGEX_SIZE_LIMIT).unwrap();
        assert_eq!(format!("{read:?}"), format!("{nfa:?}"));
        assert!(super::super::nfacode::decode(&code[..code.len() - 1], REGEX_SIZE_LIMIT).is_none());
        let mut longer = code.clone();
        longer.push(6);
        assert!(super::super::nfacode::decode(&longer, REGEX_SIZE_LIMIT).is_none());
        // A reverse NFA is not one `decode` rebuilds.
        let rev = widened_nfa(&super::super::gate::parse("abc").unwrap(), true).unwrap();
        assert!(!super::super::nfacode::encode(&rev, &mut Vec::new()));
    }

    #[test]
    fn every_built_in_rules_check_read_widened_is_the_widened_rest() {
        // A built-in rule's tree is read back from build.rs's code only when needed: widened as
        // it is read for the check, as it is for the regex. Both reads must give what splitting
        // and widening the decoded tree gives (so the check and the regex are the ones compiled
        // before), the lead read unwidened, and the same shortest match (`locates`).
        let (mut rules, mut leads, mut changed) = (0, 0, 0);
        for rule in crate::rules::RuleSet::builtin().unwrap().rules {
            let Some(re) = rule.regex.as_ref() else {
                continue;
            };
            let m = Matcher::build(re.as_str(), &rule.keywords, rule.secret_group);
            let code = m
                .code
                .unwrap_or_else(|| panic!("{}: not filed by build.rs", rule.id));
            assert!(
                m.split.get().is_none() && m.wide.get().is_none(),
                "{}",
                rule.id
            );
            let mut whole = code;
            let hir = super::super::gate::decode(&mut whole).unwrap();
            let (lead, rest) = match Lead::split(&hir) {
                Some((lead, rest)) => (Some(lead), rest),
                None => (None, hir),
            };
            let wide = widened(&rest);
            let (read_lead, read_rest) = split_code(code, false).unwrap();
            assert_eq!(read_lead, lead, "{}", rule.id);
            assert_eq!(read_rest, rest, "{}", rule.id);
            let (wide_lead, read_wide) = split_code(code, true).unwrap();
            assert_eq!(wide_lead, lead, "{}", rule.id);
            assert_eq!(read_wide, wide, "{}", rule.id);
            assert_eq!(read_wide.properties(), wide.properties(), "{}", rule.id);
            assert_eq!(
                wide.properties().minimum_len(),
                rest.properties().minimum_len(),
                "{}",
                rule.id
            );
            assert_eq!(m.wide(), &wide, "{}", rule.id);
            assert_eq!(m.lead(), lead.as_ref(), "{}", rule.id);
            assert_eq!(m.rest(), &rest, "{}", rule.id);
            rules += 1;
            leads += usize::from(lead.is_some());
            changed += usize::from(wide != rest);
        }
        assert!(rules > 600, "{rules}");
        assert!(leads >= 5, "{leads}");
        assert!(changed > 300, "{changed}");
    }

    #[test]
    fn a_built_in_rules_tree_is_read_back_only_when_its_windows_need_it() {
        // twilio-credential-pair's need (32 hex digits and a quote) holds and its check finds no
        // match: the check is built from build.rs's NFA, so neither the widened tree nor the
        // rest (what its regex compiles) is read back. A rule read by hand reads neither; a rule
        // that never compiled its regex, nor resolved a match, did not read the rest.
        let e = Engine::new(crate::rules::RuleSet::builtin().unwrap());
        let hex = "0123456789abcdef".repeat(2);
        let text = format!("sid = \"AC{hex}\" + suffix\nname = value\n");
        e.scan(text.as_bytes(), super::super::PathScope::ContentOnly);
        let r = e
            .rules
            .rules
            .iter()
            .position(|r| &*r.id == "twilio-credential-pair")
            .unwrap();
        let m = e.matchers[r]
            .get()
            .expect("its need held: the matcher was built");
        assert!(
            matches!(m.check.get(), Some(Some(_))),
            "its check was built"
        );
        assert!(m.wide.get().is_none(), "the widened tree was read back");
        assert!(m.split.get().is_none(), "the rest was read back");
        assert!(m.re.get().is_none(), "its regex was compiled");
        let mut built = 0;
        for m in e.matchers.iter().filter_map(|m| m.get()) {
            built += 1;
            if m.assign.is_some() || m.vendor_word.is_some() {
                assert!(m.split.get().is_none() && m.wide.get().is_none());
            }
            if m.re.get().is_none()
                && m.re_short.get().is_none()
                && m.shapes.get().is_none()
                && m.assign_read.is_none()
            {
                assert!(m.split.get().is_none());
            }
        }
        assert!(built > 1, "{built}");
    }

    #[test]
    fn a_users_rule_of_the_same_text_is_read_by_hand_as_the_built_in_one() {
        let builtin = crate::rules::RuleSet::builtin().unwrap();
        for id in [
            "generic-secret-assignment",
            "session-secret-assignment",
            "weak-secret-assignment",
            "weak-password-assignment",
            "generic-key-assignment",
            "vendor-named-api-credential",
        ] {
            let rule = builtin.get(id).unwrap();
            let src = rule.regex.as_ref().unwrap().as_str();
            let keywords: Vec<String> = rule.keywords.iter().map(|k| format!("{k:?}")).collect();
            let toml = format!(
                "[extend]\nuseDefault = true\n[[rules]]\nid = \"{id}\"\nregex = '''{src}'''\nkeywords = [{}]\n",
                keywords.join(", ")
            );
            let user = crate::rules::RuleSet::from_toml_str(&toml).unwrap();
            let theirs = user.get(id).unwrap();
            // The config's text is Go RE2, translated at load (`goregex::translate` escapes `&`
            // and `~` in a class): the same regex in other words.
            assert_eq!(
                theirs.regex.as_ref().unwrap().as_str(),
                crate::goregex::translate(src),
                "{id}"
            );
            let (ours, theirs) = (Matcher::of_rule(rule), Matcher::of_rule(theirs));
            assert!(ours.assign_read.is_some() || ours.assign.is_some(), "{id}");
            assert_eq!(ours.assign_read, theirs.assign_read, "{id}");
            assert_eq!(ours.assign, theirs.assign, "{id}");
            assert_eq!(ours.starts.is_some(), theirs.starts.is_some(), "{id}");
            assert_eq!(ours.lead().is_some(), theirs.lead().is_some(), "{id}");
            // The keyed readers need both (else the regex path runs).
            if ours.assign_read.is_some_and(|r| r.keyed()) {
                assert!(theirs.starts.is_some() && theirs.lead().is_some(), "{id}");
            }
        }
    }

    #[test]
    fn run_needs_come_from_every_alternative_or_none() {
        let mins =
            |src: &str| RunNeed::of_regex(src).map(|n| n.iter().map(|n| n.min).collect::<Vec<_>>());
        // Each alternative's longest run; a gap before or after it does not matter.
        assert_eq!(
            mins(r"(?i:twilio)[\s\S]{0,400}?\bAC[a-f0-9]{32}\b|key\s*=\s*([A-Za-z0-9/+]{40})"),
            Some(vec![34, 40])
        );
        // (The first alternative's run is a whole word: `AC` and 32 hex digits.)
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
        let (mut rng, mut matched) = (Rng(0x2545_f491_u64), 0);
        for _ in 0..3_000 {
            let mut hay = b"key ".to_vec();
            hay.extend((0..36).map(|_| b"abcdefg_9=x "[rng.below(12) as usize]));
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
            let mut rng = Rng(0x2545_f491_u64);
            for len in 0..300 {
                let hay: Vec<u8> = (0..len % 60)
                    .map(|_| b"abcabcx"[rng.below(7) as usize])
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

    /// A xorshift stream for the differential tests.
    fn pick<'a>(x: &mut u64, from: &[&'a str]) -> &'a str {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        from[(*x % from.len() as u64) as usize]
    }

    #[test]
    fn a_whole_word_need_holds_wherever_the_regex_matches() {
        let rules = [
            r"(?i:\bvend)[^\r\n]{0,10}?(?i:key|token)[^\r\n]{0,10}?\b((?i:[a-z0-9]{8}))\b",
            r"\b(AC[a-f0-9]{6})\b",
            r"\bx([a-f0-9]{8,10}|[g-h]{9})\b",
            r"\b([a-f0-9]{4}-[a-f0-9]{4})\b",
            r"(?i:\bvend)[^\r\n]{0,9}?\b([a-z0-9=_-]{8,9})\b",
        ];
        let parts = [
            "vend key = ",
            "vend",
            "VEND_",
            "key",
            "token",
            " = ",
            "'",
            ".",
            "-",
            "_",
            "\n",
            " AC",
            "ac",
            " x",
            "0a1b2c3d",
            "0a1b2c3",
            "0a1b2c3de",
            "0a1b2c3g",
            "0a1b2c",
            "ghghghghg",
            "gh",
            "0a1b-",
            "-9f9f",
            "9f9f",
            "==",
            "-",
            "--",
            "=a",
        ];
        for src in rules {
            let needs = RunNeed::of_regex(src).unwrap_or_else(|| panic!("{src}"));
            assert!(needs.iter().all(|n| n.word_max.is_some()), "{src}");
            let re = regex::bytes::RegexBuilder::new(src)
                .unicode(false)
                .build()
                .unwrap();
            let (mut x, mut matched, mut rejected) = (0x51f1_5eed_u64, 0, 0);
            for _ in 0..40_000 {
                let n = 1 + (x % 6) as usize;
                let hay: String = (0..n).map(|_| pick(&mut x, &parts)).collect();
                let holds = needs.iter().any(|n| n.holds(hay.as_bytes()));
                if re.is_match(hay.as_bytes()) {
                    matched += 1;
                    assert!(holds, "{src} on {hay:?}");
                } else if !holds {
                    rejected += 1;
                }
            }
            assert!(
                matched > 50 && rejected > 1_000,
                "{src}: {matched} {rejected}"
            );
        }
        // A run inside a longer word, or one byte short, is not the word.
        let need = &RunNeed::of_regex(rules[0]).unwrap()[0];
        assert_eq!((need.min, need.word_max), (8, Some(8)));
        assert!(need.holds(b"vend key = 0a1b2c3d;"));
        assert!(!need.holds(b"vend key = 0a1b2c3d4;"));
        assert!(!need.holds(b"vend key = 0a1b2c3_d;"));
        assert!(!need.holds(b"vend key = 0a1b2c3;"));
        // Bytes outside \w between the boundaries: a boundary may lie inside the span too.
        let need = &RunNeed::of_regex(rules[3]).unwrap()[0];
        assert_eq!((need.min, need.word_max), (9, Some(9)));
        assert!(need.holds(b"x = 0a1b-9f9f-"));
        assert!(!need.holds(b"x = 0a1b-9f9fa"));
        assert!(!need.holds(b"x = 0a1b_9f9f;"));
        // A boundary on one side only: a run need as before.
        assert_eq!(
            RunNeed::of_regex(r"\b([a-f0-9]{32})x").unwrap()[0].word_max,
            None
        );
    }

    #[test]
    fn a_word_need_of_word_bytes_answers_as_the_walk_over_every_boundary_does() {
        // The fast path (whole words found by skipping short runs) against the general walk, on
        // text of hex runs, longer words, `_` and separators, with the first run's start given
        // as `holds` gives it.
        for src in [
            r"\b([a-f0-9]{8})\b",
            r"\bAC[a-f0-9]{6,9}\b",
            r"\b[a-z0-9]{10}\b",
        ] {
            let mut need = RunNeed::of_regex(src).unwrap().remove(0);
            assert!(need.word_only, "{src}");
            let max = need.word_max.unwrap();
            let parts = [
                "0a1b2c3d",
                "AC",
                "9f",
                "_",
                "-",
                " ",
                "z",
                "ACe4",
                "0a1b2c3d4e",
            ];
            let (mut rng, mut held) = (Rng(0x5eed_cafe_u64), 0);
            for _ in 0..20_000 {
                let n = 1 + rng.below(8) as usize;
                let hay: String = (0..n)
                    .map(|_| parts[rng.below(parts.len() as u64) as usize])
                    .collect();
                let hay = hay.as_bytes();
                let Some(first) = need.first_run(hay) else {
                    continue;
                };
                need.word_only = true;
                let fast = need.word_holds(hay, first, max);
                need.word_only = false;
                let walk = need.word_holds(hay, 0, max);
                need.word_only = true;
                assert_eq!(fast, walk, "{src} on {:?}", String::from_utf8_lossy(hay));
                held += usize::from(fast);
            }
            assert!(held > 500, "{src}: {held}");
        }
    }

    #[test]
    fn line_windows_only_for_regexes_that_keep_to_their_keywords_line() {
        let one_line = |src: &str, kws: &[&str]| {
            let kws: Vec<String> = kws.iter().map(|k| k.to_string()).collect();
            let facts = crate::engine::gate::Facts::of(src, &kws).unwrap();
            crate::engine::gate::Gate::new(facts, crate::engine::windows::LINE_REACH, false, None)
                .one_line
        };
        let gap = r"(?i:\bvendor)[^\r\n]{0,40}?(?i:key|token)[^\r\n]{0,40}?\b((?i:[a-z0-9]{32}))\b";
        assert!(one_line(gap, &["vendor"]));
        assert!(one_line(&format!("(?m){gap}$"), &["vendor"]));
        assert!(one_line(r"(?:vendor|other)_[a-z]{4}", &["vendor", "other"]));
        // The keyword is not in every match; a match may hold a newline; may be longer than the
        // line reach.
        assert!(!one_line(gap, &["token"]));
        assert!(!one_line(r"(?:vendor|other)_[a-z]{4}", &["vendor"]));
        assert!(!one_line(r"vendor[\s\S]{0,40}?x", &["vendor"]));
        assert!(!one_line(r"(?s)vendor.{0,40}?x", &["vendor"]));
        assert!(!one_line(r"vendor[^\r\n]{0,2000}x", &["vendor"]));
        // `$` is a line's end in the engine's parse (`gate::on_lines`), the same in every window.
        assert!(one_line(&format!("{gap}$"), &["vendor"]));
        assert!(!one_line(r"vend(?:or)?[^\r\n]{0,9}x", &["vendor"]));
    }

    #[test]
    fn a_gap_rule_on_line_windows_finds_what_the_regex_finds_in_the_whole_text() {
        let src = r"(?i:\bvendor)[^\r\n]{0,40}?(?i:key|token)[^\r\n]{0,40}?\b((?i:[a-z0-9]{12}))\b";
        let e = engine(&format!(
            "[[rules]]\nid = \"gap\"\nregex = '''{src}'''\nkeywords = [\"vendor\"]\n"
        ));
        assert!(!e.spans_lines(0), "its regex keeps to the keyword's line");
        let re = regex::bytes::RegexBuilder::new(src)
            .unicode(false)
            .build()
            .unwrap();
        let long = "z".repeat(30);
        let parts = [
            "vendor",
            "VENDOR_",
            "key",
            "token",
            " = ",
            "'",
            "\n",
            "\n",
            "x",
            "k3Jq9ZpX2mWv",
            "Hr7tLm2Qx9Z",
            "Q9w8E7r6T5y4",
            "-",
            &long,
        ];
        let (mut x, mut total) = (0x7a11_0c8e_u64, 0);
        for _ in 0..2_000 {
            let n = 1 + (x % 120) as usize;
            let data: String = (0..n).map(|_| pick(&mut x, &parts)).collect();
            let want: Vec<(usize, usize)> = re
                .captures_iter(data.as_bytes())
                .map(|c| c.get(1).map(|m| (m.start(), m.end())).unwrap())
                .collect();
            assert_eq!(secrets_of(&e, &data), want, "{data:?}");
            total += want.len();
        }
        assert!(total > 100, "{total}");
    }

    /// Each rule's secrets (start, end) as the engine finds them in `data`, in order: what the
    /// differential tests compare with `regex::bytes`' captures.
    fn secrets_of(e: &Engine, data: &str) -> Vec<(usize, usize)> {
        let mut got: Vec<(usize, usize)> = e
            .scan(data.as_bytes(), PathScope::ContentOnly)
            .iter()
            .map(|h| (h.start, h.end))
            .collect();
        got.sort_unstable();
        got
    }

    #[test]
    fn a_rule_that_counts_its_lines_sees_that_many_from_its_keywords() {
        let rule = |regex: &str, lines: &str| {
            engine(&format!(
                "[[rules]]\nid = \"r\"\nregex = '''{regex}'''\nkeywords = [\"key\"]\nlines = \"{lines}\"\n"
            ))
        };
        let named = r"key[ \t]*:[ \t]*(?:\r?\n[ \t]*)?value: (\w{12})";
        let value = "Qx7Lm2Rt9Vb4";
        for (lines, want) in [("many", Reach::Lines), ("2", Reach::Count(2))] {
            let e = rule(named, lines);
            assert_eq!(e.reach(0), want);
            assert!(!e.lines_overcounted(0));
            // The value beside its name or on the next line, LF or CRLF.
            for text in [
                format!("key: value: {value}\n"),
                format!("x\nkey:\n  value: {value}\nz\n"),
                format!("x\r\nkey:\r\n  value: {value}\r\n"),
            ] {
                assert_eq!(secrets_of(&e, &text).len(), 1, "{lines}: {text:?}");
            }
        }
        // A match starting three lines on from a keyword: in the 16 KiB after it, and in its
        // `Count(4)` window, not in its `Count(3)` one.
        let loose = r"\n\w*: value: (\w{12})";
        let beyond = format!("key\n\n\nzz: value: {value}\n");
        assert_eq!(secrets_of(&rule(loose, "many"), &beyond).len(), 1);
        assert_eq!(secrets_of(&rule(loose, "4"), &beyond).len(), 1);
        assert_eq!(secrets_of(&rule(loose, "3"), &beyond).len(), 0);
        // `examples::check` refuses a count the regex can match as many line ends as.
        assert!(rule(r"key:\n\n?value: (\w{12})", "2").lines_overcounted(0));
        assert!(!rule(r"key:\n\n?value: (\w{12})", "3").lines_overcounted(0));
        assert!(rule(r"key:\s*value: (\w{12})", "16").lines_overcounted(0));
        assert!(!rule(r"key:\s*value: (\w{12})", "many").lines_overcounted(0));
    }

    #[test]
    fn a_negated_stretch_asks_a_rule_to_say_its_lines() {
        // `examples::check` refuses a built-in rule whose regex crosses lines only through a
        // repeated negated class and that says neither `lines` nor `(?s)`.
        let undeclared = |rule: &str| {
            engine(&format!(
                "[[rules]]\nid = \"r\"\n{rule}\nkeywords = [\"key\"]\n"
            ))
            .lines_undeclared(0)
        };
        assert!(undeclared(r#"regex = '''key[^"]{0,40}"(\w{20})"'''"#));
        assert!(!undeclared(
            r#"regex = '''key[^"]{0,40}"(\w{20})"'''
lines = "one""#
        ));
        assert!(!undeclared(r#"regex = '''(?s)key[^"]{0,40}"(\w{20})"'''"#));
        // A line break said outright, a blank, or one byte of a negated class: the regex says it.
        assert!(!undeclared(r"regex = '''key[\s\S]{0,40}(\w{20})'''"));
        assert!(!undeclared(
            r"regex = '''key[^}\r\n]{0,30}\s*=\s*(\w{20})'''"
        ));
        assert!(!undeclared(r"regex = '''key=(\w{20})(?:[^\w]|$)'''"));
    }

    #[test]
    fn a_text_edge_holds_at_a_line_edge_whatever_the_window() {
        // `$` after a value, and `^` before a name: a rule whose text says it spans lines (the
        // `\n` of `[^\n]`, `[^}\r\n]`) got 16 KiB windows, where `$` held only at the window's
        // end and `^` only at the first merged window's start, and lost the secrets its twin
        // without the `\n` found on their lines. Each pair finds the same; the last pair's first
        // is generic-key-assignment's regex with a C# property's operator (`[^}\r\n]{0,30}q=`
        // stands for `{ get; set; } =`) put in front of its others.
        let value = |seed: u64| b64(seed, 24).replace(['+', '/'], "Q");
        let (v1, v2) = (value(1), value(2));
        let data = format!("openai_key: {v1}\nx = 1\n  db_key: {v2}\n");
        let want = vec![(12, 36), (data.len() - 25, data.len() - 1)];
        let generic = r#"(?:^|[^A-Za-z0-9_.])[A-Za-z][\w.-]{0,40}?(?:[_.-](?i:key)|[A-Za-z0-9]Key)(?:\\?["'`]?\]?[ \t]*(?::[ \t]*&?[A-Za-z_][\w.<>\[\]]{0,30}[ \t]*)?(?:OP=>|:=|[=:])[ \t]*|\\?["'][ \t]*,[ \t]*|["'][ \t]+value[ \t]*=[ \t]*|>)(?:[bruBRU]?\\?["'`])?([A-Za-z0-9_+/=.~!@#%^*-]{20,200})(?:\\?["'`<]|[ \t]*[,;)}\]&]|[ \t]*$|[ \t]+#|[ \t]+//|[ \t]+\\$)"#;
        let with_alt = generic.replace("OP", r"[^}\r\n]{0,30}q=|");
        let pairs = [
            // The minimal one: one line, `$` (line windows once `$` is a line's end).
            (
                r"_key:[^\n]([A-Za-z0-9]{24})$",
                r"_key:[^\r]([A-Za-z0-9]{24})$",
            ),
            // A match need not hold the keyword (`Key`): 16 KiB windows stay, `$` and `^` in them.
            (
                r"^[ \t]*[a-z]+(?:_key|Key):[^\n]([A-Za-z0-9]{24})$",
                r"^[ \t]*[a-z]+(?:_key|Key):[^\r]([A-Za-z0-9]{24})$",
            ),
            (with_alt.as_str(), &*generic.replace("OP", "")),
        ];
        for (spans, plain) in pairs {
            // The first of each pair declared to span lines (`lines = "many"`): the text edges
            // hold at line edges in its 16 KiB windows as in the other's line windows.
            let rule = |src: &str, lines: &str| {
                engine(&format!(
                    "[[rules]]\nid = \"r\"\nregex = '''{src}'''\nkeywords = [\"_key\"]\n{lines}"
                ))
            };
            let (spans, plain) = (rule(spans, "lines = \"many\"\n"), rule(plain, ""));
            assert!(!plain.spans_lines(0));
            assert_eq!(secrets_of(&plain, &data), want, "{data:?}");
            assert_eq!(secrets_of(&spans, &data), want, "{data:?}");
        }
    }

    #[test]
    fn rules_with_line_edges_find_on_every_window_what_the_regex_finds_on_lines() {
        // Generated regexes of generic-key-assignment's kind (a name part, optional groups,
        // operator alternatives with counted negated classes, some of them `[^}\r\n]` that make
        // the rule one of those the catalog says span lines, a value group, endings with `$`,
        // names after `^`), on generated lines: the engine, whatever windows it gives the rule,
        // finds the secrets the `regex` crate finds over the whole text with `^`/`$` as line
        // edges (`m`), the text's CRLF line ends read as LF ones (`crlf`). Every match holds the
        // keyword `key` (ASCII case ignored), so every match lies in some window.
        let leads = [
            r"(?:^|[^A-Za-z0-9_.])[A-Za-z][\w.-]{0,12}?",
            r"^[ \t]*[A-Za-z][\w.-]{0,12}?",
            r"\b[A-Za-z]\w{0,8}?",
            r"(?:^|[\s{,])",
        ];
        let names = [
            r"(?:[_.-](?i:key)|[A-Za-z0-9]Key)",
            r"[_.-]key",
            r"(?i:key)",
        ];
        let types = ["", r"(?::[ \t]*&?[A-Za-z_][\w.<>\[\]]{0,12}[ \t]*)?"];
        let ops = [
            r"[^}\r\n]{0,30}q=",
            r"[^}\r\n]{0,8}=",
            r"[^}\r]{0,20}?q=",
            r"[^\n]{0,4}:",
            "=>",
            ":=",
            "[=:]",
            r"[ \t]*=[ \t]*",
        ];
        let values = [
            r"([A-Za-z0-9_+/=.-]{12,40})",
            r#"["']?([A-Za-z0-9]{12,24})["']?"#,
        ];
        let ends = [
            r"[ \t]*$",
            r#"(?:\\?["'`<]|[ \t]*[,;)}\]&]|[ \t]*$|[ \t]+#)"#,
            r"(?:$|\r?\n|[ \t])",
            r"(?:[^A-Za-z0-9]|$)",
            r#"(?:["';]|$)"#,
        ];
        let line_names = [
            "openai_key",
            "apiKey",
            "db.key",
            "MY_KEY",
            "x-key",
            "  secret_key",
            "\tstripeKey",
            "key",
            "{ _key",
        ];
        let line_ops = [
            ": ",
            "=",
            " = ",
            " { get; set; } q= ",
            ": string = ",
            "=>",
            ":=",
            " q=",
            ": '",
            "=\"",
            "",
        ];
        let line_values = [
            "Xq7LmT2vRb9KcW4nZp8HsJ3d",
            "k9Xq2LmPq1w2e3r4",
            "Hr7tLm2Qx9Zw",
            "ab",
            "Zq8Lw3Nv7Rk2Jx5Tb9Mc4Hd6Pw4Kd8Ns2Bq6Tz9Lm3Xc7Vy5",
        ];
        let line_tails = ["", ";", " # c", "\"", "'", ",", "  ", " x"];
        let breaks = ["\n", "\n", "\r\n", "\n\n", "\r\n\r\n"];
        let mut rng = Rng(0x11e_ed9e);
        let pick =
            |rng: &mut Rng, from: &[&'static str]| from[rng.below(from.len() as u64) as usize];
        let (mut total, mut spanning) = (0, 0);
        for _ in 0..60 {
            let op_count = 1 + rng.below(3) as usize;
            let ops: Vec<&str> = (0..op_count).map(|_| pick(&mut rng, &ops)).collect();
            let src = format!(
                "{}{}{}(?:{})[ \\t]*{}{}",
                pick(&mut rng, &leads),
                pick(&mut rng, &names),
                pick(&mut rng, &types),
                ops.join("|"),
                pick(&mut rng, &values),
                pick(&mut rng, &ends)
            );
            let e = engine(&format!(
                "[[rules]]\nid = \"g\"\nregex = '''{src}'''\nkeywords = [\"key\"]\n"
            ));
            spanning += usize::from(e.spans_lines(0));
            let re = regex::bytes::RegexBuilder::new(&src)
                .unicode(false)
                .multi_line(true)
                .build()
                .unwrap();
            for _ in 0..60 {
                let lines = 1 + rng.below(5) as usize;
                let mut data = String::new();
                for i in 0..lines {
                    if i > 0 {
                        data.push_str(pick(&mut rng, &breaks));
                    }
                    for part in [&line_names[..], &line_ops, &line_values, &line_tails] {
                        data.push_str(pick(&mut rng, part));
                    }
                }
                match rng.below(3) {
                    0 => data.push('\n'),
                    1 => data.push_str("\r\n"),
                    _ => {}
                }
                // The text as the engine reads it, each `\r\n` a `\n` (`crlf`), and where each
                // of its bytes stands in `data`: a CRLF line is the LF line it reads as.
                let (mut lf, mut at) = (Vec::new(), Vec::new());
                for (i, &b) in data.as_bytes().iter().enumerate() {
                    if !(b == b'\r' && data.as_bytes().get(i + 1) == Some(&b'\n')) {
                        lf.push(b);
                        at.push(i);
                    }
                }
                // A rule whose regex says its matches may go on past a line (`gate::line_use`)
                // is searched across lines; any other keeps to a line, whatever its `\s` and
                // `[^}\r\n]` let through: each line is a text of its own.
                let texts: Vec<(usize, &[u8])> = if e.spans_lines(0) {
                    vec![(0, &lf[..])]
                } else {
                    let mut from = 0;
                    lf.split(|&b| b == b'\n')
                        .map(|line| {
                            from += line.len() + 1;
                            (from - line.len() - 1, line)
                        })
                        .collect()
                };
                let want: Vec<(usize, usize)> = texts
                    .iter()
                    .flat_map(|&(from, text)| {
                        re.captures_iter(text)
                            .filter_map(|c| c.get(1))
                            .map(|m| (at[from + m.start()], at[from + m.end() - 1] + 1))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                assert_eq!(secrets_of(&e, &data), want, "{src} {data:?}");
                total += want.len();
            }
        }
        assert!(
            total > 500 && spanning > 10,
            "{total} secrets, {spanning} spanning"
        );
    }

    /// The spans of a match's groups, group 0 first.
    type Spans = Vec<Option<(usize, usize)>>;

    /// Every match (group 0 and each group's span) as the `regex` crate's `captures_iter` finds it
    /// (`^` and `$` at a line's edges, as the engine parses them: `gate::on_lines`), and as the
    /// engine's `Matcher` does.
    fn both_ways(src: &str, hay: &[u8]) -> (Vec<Spans>, Vec<Spans>) {
        let re = regex::bytes::RegexBuilder::new(src)
            .unicode(false)
            .multi_line(true)
            .build()
            .unwrap();
        let want = re
            .captures_iter(hay)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect();
        let m = Matcher::new(src, &[]);
        let (mut cache, mut caps) = (m.regex().create_cache(), m.regex().create_captures());
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
        assert!(Matcher::new(generic, &[]).lead().is_some());
        // Greedy, or not a class, or a rest that may be empty: searched whole.
        for whole in [
            r"[a-z]{0,9}token=(\d+)",
            r"(?:ab){0,4}?token",
            r"[a-z]{0,4}?x?",
        ] {
            assert!(Matcher::new(whole, &[]).lead().is_none(), "{whole}");
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
        let mut rng = Rng(0x9e37_79b9_u64);
        for _ in 0..3_000 {
            let n = 1 + (rng.0 % 24) as usize;
            let mut hay = String::new();
            for _ in 0..n {
                hay.push_str(parts[rng.below(parts.len() as u64) as usize]);
            }
            let (want, got) = both_ways(generic, hay.as_bytes());
            assert_eq!(got, want, "{hay:?}");
        }
    }

    /// Every match (group 0 and each group's span, group 0 from the `Lead`'s start) that
    /// `for_each_candidate` finds in `hay`, searched unanchored or, with `hits`, at the places
    /// `starts` allows; and whether it says the regex matched at all (what stops the check).
    fn matches_at(m: &Matcher, hay: &[u8], hits: Option<&[usize]>) -> (Vec<Spans>, bool) {
        let (mut cache, mut caps) = (m.regex().create_cache(), m.regex().create_captures());
        let mut got = Vec::new();
        let hits = hits.map(|h| (h, 0));
        let any = m.for_each_candidate(
            m.regex(),
            &mut cache,
            &mut caps,
            hay,
            hits,
            None,
            None,
            None,
            |caps, start| {
                let mut spans: Vec<_> = caps.iter().map(|s| s.map(|s| (s.start, s.end))).collect();
                spans[0] = spans[0].map(|(_, e)| (start, e));
                got.push(spans);
            },
        );
        (got, any)
    }

    /// Where the keyword pass reports one of `keywords` for the rule: every position where one
    /// starts, ignoring ASCII case.
    fn keyword_hits(hay: &[u8], keywords: &[String]) -> Vec<usize> {
        (0..hay.len())
            .filter(|&p| {
                keywords.iter().any(|k| {
                    hay.len() - p >= k.len()
                        && hay[p..p + k.len()].eq_ignore_ascii_case(k.as_bytes())
                })
            })
            .collect()
    }

    #[test]
    fn matches_searched_at_their_keywords_are_those_of_the_whole_line() {
        // A generic rule (its matches start at a keyword once the name part is split off), one
        // whose keyword sits up to 9 bytes in (`cookie_secret`, `nextauth_secret`), one behind a
        // one-byte option (`-p`, `--password`) and one behind a look.
        let cases: [(&str, &[&str], usize); 4] = [
            (
                r#"(?i:[\w.-]{0,12}?(?:pass(?:word)?|token|api[_.-]?key|credentials?))["']?\s*(?:=>|:=|[=:])\s*(?:"([^"\s]{4,20})"|([A-Za-z0-9_]*[0-9][A-Za-z0-9_]*)(?:\s*$|\s+#))"#,
                &[
                    "pass",
                    "token",
                    "api_key",
                    "api-key",
                    "api.key",
                    "apikey",
                    "credential",
                ],
                0,
            ),
            (
                r#"(?i:[\w.-]{0,8}?(?:session[_.-]?secret|cookie[_.-]?secret|nextauth[_.-]?secret|secret[_.-]?key))\s*[=:]\s*"([^"\s]{4,20})""#,
                &["secret", "session"],
                9,
            ),
            (
                r#"(?:-p|--pass(?:word)?)[ =]?([A-Za-z0-9!@#]{6,20})\b"#,
                &["pass", "-p"],
                1,
            ),
            (
                r#"\b(?i:token|pass)\s*[=:]\s*"?([A-Za-z0-9]{6,16})\b"#,
                &["token", "pass"],
                0,
            ),
        ];
        // Lines of assignments, each a name (a prefix and a keyword-like word), an operator and a
        // value, some broken by noise.
        let prefixes = [
            "",
            "",
            "my",
            "db.",
            "x_",
            "-",
            "_",
            "k",
            "NextAuth_",
            "cookie",
        ];
        let names = [
            "password",
            "PassWord",
            "pass",
            "token",
            "TOKEN",
            "api_key",
            "api-key",
            "credentials",
            "session_secret",
            "cookie-secret",
            "cookiesecret",
            "NextAuth_Secret",
            "secret",
            "secret_key",
            "session",
            "-p",
            "--password",
            "--pass",
            "Secret",
            "9",
        ];
        let ops = ["=", " = ", ":=", "=>", ": ", "", " ", "\"", "'"];
        let values = [
            "\"k9Xq2LmP\"",
            "abc123",
            "Z9",
            "hunter2!x",
            "\"\"",
            "aaaaaaaaaaaa",
            "\"Xk 9q\"",
            "q7",
        ];
        let tails = ["", " # c", " ", ";", "; ", "\"", "=", "token"];
        let pick =
            |rng: &mut Rng, from: &[&'static str]| from[rng.below(from.len() as u64) as usize];
        for (src, keywords, reach) in cases {
            let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
            let mut m = Matcher::new(src, &[]);
            m.starts = KeywordStarts::of(m.rest(), &keywords);
            let starts = m.starts.as_ref().unwrap_or_else(|| panic!("{src}"));
            assert_eq!(starts.reach, reach, "{src}");
            let mut rng = Rng(0x5eed_0f4e5 ^ reach as u64);
            let (mut total, mut lines) = (0, Vec::new());
            for _ in 0..3_000 {
                let n = 1 + rng.below(4) as usize;
                let hay: String = (0..n)
                    .flat_map(|_| {
                        [
                            pick(&mut rng, &prefixes),
                            pick(&mut rng, &names),
                            pick(&mut rng, &ops),
                            pick(&mut rng, &values),
                            pick(&mut rng, &tails),
                        ]
                    })
                    .collect();
                let hits = keyword_hits(hay.as_bytes(), &keywords);
                let whole = matches_at(&m, hay.as_bytes(), None);
                assert_eq!(
                    matches_at(&m, hay.as_bytes(), Some(&hits)),
                    whole,
                    "{src} {hay:?}"
                );
                let (want, _) = both_ways(src, hay.as_bytes());
                assert_eq!(whole.0, want, "{src} {hay:?}");
                total += want.len();
                lines.push((hay, hits));
            }
            assert!(total > 50, "{src}: {total}");
            // A reach one short loses matches: the test sees the bound.
            if reach > 0 {
                m.starts.as_mut().unwrap().reach = reach - 1;
                let lost = lines.iter().any(|(hay, hits)| {
                    matches_at(&m, hay.as_bytes(), Some(hits)).0
                        != matches_at(&m, hay.as_bytes(), None).0
                });
                assert!(lost, "{src}: a reach of {} loses nothing here", reach - 1);
            }
        }
    }

    /// `matches_at`, located by the widened pattern (`Matcher::locator`), as the engine searches.
    fn matches_located(m: &Matcher, hay: &[u8]) -> (Vec<Spans>, bool) {
        let (mut cache, mut caps) = (m.regex().create_cache(), m.regex().create_captures());
        let fwd = m.locator().expect("a locator");
        let (mut fwd_cache, mut rev_cache) = (fwd.create_cache(), None);
        let mut loc = Located {
            matcher: m,
            fwd,
            fwd_cache: &mut fwd_cache,
            rev_cache: &mut rev_cache,
            memo: None,
        };
        let mut got = Vec::new();
        let any = m.for_each_candidate(
            m.regex(),
            &mut cache,
            &mut caps,
            hay,
            None,
            Some(&mut loc),
            None,
            None,
            |caps, start| {
                let mut spans: Vec<_> = caps.iter().map(|s| s.map(|s| (s.start, s.end))).collect();
                spans[0] = spans[0].map(|(_, e)| (start, e));
                got.push(spans);
            },
        );
        (got, any)
    }

    #[test]
    fn matches_located_by_the_widened_pattern_are_those_of_the_unanchored_search() {
        // A vendor-style assignment (a `\b`, counted name parts, a long counted value), a generic
        // one with a split-off name part, and two whose counts are short enough that the widened
        // pattern often matches where the regex does not (a name or value one too long): there the
        // regex fails at the located start and the next one must be tried.
        let cases = [
            r#"(?i)\b[a-z][a-z0-9]{2,24}(?:[._-]?[a-z0-9]{1,12}){0,2}?[._-]?(?:key|token|secret)(?:["']?[ \t]*(?::=|=>|[=:>])[ \t]*["']?)([A-Za-z0-9][A-Za-z0-9_+/=.-]{14,40})(?:["'\s;,]|$)"#,
            r#"(?i:[\w.-]{0,12}?(?:pass(?:word)?|token|secret))["']?\s*(?:=>|:=|[=:])\s*(?:"([^"\s]{4,20})"|([A-Za-z0-9_]*[0-9][A-Za-z0-9_]*)(?:\s*$|\s+#))"#,
            r#"\b[a-z_]{2,17}(?:key|token)\s*=\s*"?([0-9a-f]{8,17})\b"#,
            r#"(?:[a-z]{1,17}_secret|token)[=:]\s?([A-Za-z0-9]{6,18})(?:;|\s|$)"#,
        ];
        let names = [
            "stripe",
            "my_vendor",
            "a",
            "abcdefghijklmnopqrstuvwxyz",
            "db.prod",
            "x-y-z",
            "pass",
            "password",
            "",
            "Ab9",
        ];
        let suffixes = [
            "_key", "token", "_secret", "-Token", "key", "_id", "", "secret",
        ];
        let ops = [
            "=", " = ", ":=", "=>", ": ", "", " ", "\"", "'", "=\"", ": '",
        ];
        let values = [
            "a1b2c3d4e5f6a7b8c9d0",
            "0123456789abcdef",
            "0123456789abcdef0123",
            "Zq8Lw3Nv7Rk2Jx5Tb9Mc4Hd6Pw4Kd8Ns2Bq6Tz9Lm3Xc7Vy5",
            "k9Xq2LmP",
            "abc123",
            "\"k9Xq2LmPq1w2e3\"",
            "deadbeef",
            "q7",
        ];
        let tails = ["", " # c", " ", ";", "; ", "\"", "'", ",", "token"];
        let pick =
            |rng: &mut Rng, from: &[&'static str]| from[rng.below(from.len() as u64) as usize];
        for (i, src) in cases.iter().enumerate() {
            let m = Matcher::new(src, &[]);
            let mut rng = Rng(0x10c_a7ed ^ i as u64);
            let (mut total, mut retried) = (0, 0);
            for _ in 0..3_000 {
                let n = 1 + rng.below(4) as usize;
                let hay: String = (0..n)
                    .flat_map(|_| {
                        [
                            pick(&mut rng, &names),
                            pick(&mut rng, &suffixes),
                            pick(&mut rng, &ops),
                            pick(&mut rng, &values),
                            pick(&mut rng, &tails),
                        ]
                    })
                    .collect();
                let located = matches_located(&m, hay.as_bytes());
                assert_eq!(
                    located,
                    matches_at(&m, hay.as_bytes(), None),
                    "{src} {hay:?}"
                );
                let (want, _) = both_ways(src, hay.as_bytes());
                assert_eq!(located.0, want, "{src} {hay:?}");
                total += want.len();
                // The widened pattern's leftmost start is not the regex's: a start was retried.
                let fwd = m.locator().unwrap();
                let (mut fc, mut rc) = (fwd.create_cache(), None);
                let mut loc = Located {
                    matcher: &m,
                    fwd,
                    fwd_cache: &mut fc,
                    rev_cache: &mut rc,
                    memo: None,
                };
                let first = loc.locate(hay.as_bytes(), 0).unwrap();
                let leftmost = m.regex().find(hay.as_bytes()).map(|f| f.start());
                if first.is_some() && first != leftmost {
                    retried += 1;
                }
            }
            assert!(total > 50, "{src}: {total}");
            if i >= 2 {
                assert!(retried > 50, "{src}: the retry path ran {retried} times");
            }
        }
    }

    #[test]
    fn long_repetitions_unbounded_match_the_same_in_texts_no_longer_than_their_bound() {
        // (pattern, repetitions from this many rounds unbounded, the bound): greedy and lazy
        // repetitions, one nested in another, one whose rounds can be empty (left counted).
        let cases: [(&str, u32, Option<u32>, &[&str]); 5] = [
            (
                r#"key\s*=\s*"?([A-Za-z0-9]{4,24})"?(?:;|$)"#,
                16,
                Some(24),
                &[
                    "key",
                    "key=",
                    "key = \"",
                    "\"",
                    ";",
                    " ",
                    "Abc123",
                    "0123456789012345678901",
                ],
            ),
            (
                r#"(?:(?:ab|c){2,20}|x{1,17}?)([0-9]{3,18})"#,
                16,
                Some(17),
                &[
                    "ab",
                    "c",
                    "x",
                    "xxxxxxxxxxxxxxxxxx",
                    "7",
                    "4242",
                    "a",
                    "0123456789012345678901",
                ],
            ),
            (
                r#"(?i)\b[a-z]{2,30}_token=([0-9a-f]{8,40}?)\b"#,
                16,
                Some(30),
                &[
                    " ",
                    "ab_token=deadbeef",
                    "_token=",
                    "Qx",
                    "12",
                    "g",
                    ";",
                    "abcdefghijklmnopqrstuvwxyzabcdef",
                ],
            ),
            (
                r#"((?:a[0-9]{1,19}){1,20})b"#,
                16,
                Some(19),
                &["a", "b", "1", "42", "a7", "01234567890123456789"],
            ),
            (r#"(a*){1,20}(b{0,5})"#, 16, None, &["a", "b"]),
        ];
        let mut rng = Rng(0x0b0_0d5);
        for (src, from, bound, pieces) in cases {
            let m = Matcher::new(src, &[]);
            let (short, got) = unbounded_past(m.rest(), from);
            assert_eq!(got, bound, "{src}");
            let Some(bound) = bound else {
                continue;
            };
            let (long_re, short_re) = (compile(m.rest(), false), compile(&short, false));
            let spans = |re: &meta::Regex, hay: &[u8]| -> Vec<Spans> {
                re.captures_iter(hay)
                    .map(|c| c.iter().map(|s| s.map(|s| (s.start, s.end))).collect())
                    .collect()
            };
            let (mut total, mut differs) = (0, 0);
            for _ in 0..4_000 {
                let want = 1 + rng.below(2 * u64::from(bound)) as usize;
                let mut hay = String::new();
                while hay.len() < want {
                    hay.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
                }
                hay.truncate(want);
                let (a, b) = (
                    spans(&long_re, hay.as_bytes()),
                    spans(&short_re, hay.as_bytes()),
                );
                if hay.len() <= bound as usize {
                    assert_eq!(a, b, "{src} {hay:?}");
                    total += a.len();
                } else if a != b {
                    differs += 1;
                }
            }
            assert!(total > 100, "{src}: {total}");
            // Past the bound they do differ: the bound is the one that matters.
            assert!(differs > 0, "{src}: no longer text tells them apart");
        }
    }

    #[test]
    fn groups_resolved_by_the_short_regex_are_the_regexs_in_long_windows() {
        // Windows longer than the short regex's bound are searched with the regex, and the
        // groups of each match no longer than the bound are resolved by the short regex
        // (`for_each_candidate`'s `short`). Matches longer than the bound occur too, where the
        // short regex would give other groups (`[a-z]{1,130}` then `[a-z]*`: the short one puts
        // every letter in the first group), so resolving those by the short regex fails here.
        let cases: [(&str, &[&str]); 3] = [
            (
                r#"([a-z]{1,130})([a-z]*)=([0-9]{0,3})"#,
                &[
                    "a",
                    "bc",
                    "=",
                    "1",
                    " ",
                    "abcdefghijklmnopqrstuvwxyz",
                    "abcdefghijklmnopqrstuvwxyz",
                    "abcdefghijklmnopqrstuvwxyz",
                    "abcdefghijklmnopqrstuvwxyz",
                    "qwertyuiopasdfghjkl",
                    "qwertyuiopasdfghjkl",
                    "qwertyuiopasdfghjkl",
                ],
            ),
            (
                r#"(?i)\b[a-z]{2,24}_token\s*=\s*["']?([A-Za-z0-9+/]{8,200}?)["']?(?:\s|$)"#,
                &[
                    "ab_token",
                    "XY_TOKEN",
                    " = ",
                    "=",
                    "'",
                    "\"",
                    " ",
                    "\n",
                    "Qx9",
                    "+/",
                    "deadbeef0123",
                ],
            ),
            (
                r#"((?:a[0-9]{1,129}){1,3})([0-9]*)b"#,
                &["a", "b", "1", "42", "a7", "01234567890123456789"],
            ),
        ];
        let mut rng = Rng(0x9a0_5b07);
        let mut long_matches = 0;
        for (src, pieces) in cases {
            let m = Matcher::new(src, &[]);
            let want_re = regex::bytes::RegexBuilder::new(src)
                .unicode(false)
                .multi_line(true)
                .build()
                .unwrap();
            let bound = m.short.get_or_init(|| {
                let (hir, max) = unbounded_past(m.rest(), LONG_REPETITION);
                max.map(|max| (hir, max as usize))
            });
            let bound = bound
                .as_ref()
                .map(|(_, max)| *max)
                .expect("a long repetition");
            let (mut short_total, mut long_total) = (0, 0);
            for _ in 0..600 {
                let len = bound + 1 + rng.below(3 * bound as u64) as usize;
                let mut hay = String::new();
                while hay.len() < len {
                    hay.push_str(pieces[rng.below(pieces.len() as u64) as usize]);
                }
                let hay = hay.as_bytes();
                let want: Vec<Spans> = want_re
                    .captures_iter(hay)
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                let (mut cache, mut caps) = (m.regex().create_cache(), m.regex().create_captures());
                let mut short = None;
                let mut got: Vec<Spans> = Vec::new();
                m.for_each_candidate(
                    m.regex(),
                    &mut cache,
                    &mut caps,
                    hay,
                    None,
                    None,
                    None,
                    Some(&mut short),
                    |caps, _| got.push(caps.iter().map(|s| s.map(|s| (s.start, s.end))).collect()),
                );
                assert_eq!(got, want, "{src} {:?}", String::from_utf8_lossy(hay));
                let before = short_total;
                for spans in &got {
                    let (a, b) = spans[0].expect("group 0");
                    if b - a <= bound {
                        short_total += 1;
                    } else {
                        long_total += 1;
                    }
                }
                // The short regex did resolve the short matches' groups (what saves the work).
                assert_eq!(short.is_some(), short_total > before, "{src}");
            }
            assert!(short_total > 100, "{src}: {short_total}");
            long_matches += long_total;
        }
        assert!(
            long_matches > 50,
            "{long_matches} matches longer than the bound"
        );
    }

    #[test]
    fn where_matches_start_is_known_only_when_every_opening_holds_a_keyword() {
        let of = |src: &str, keywords: &[&str]| {
            let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
            let m = Matcher::new(src, &keywords);
            KeywordStarts::of(m.rest(), &keywords).map(|s| s.reach)
        };
        assert_eq!(of(r"(?i)token\s*=\s*(\w+)", &["token"]), Some(0));
        let generic = r"(?i:[\w.-]{0,40}?(?:token|api[_.-]?key))=(\w+)";
        let spelled = ["token", "api_key", "api-key", "api.key", "apikey"];
        assert_eq!(of(generic, &spelled), Some(0));
        // `api.key` unlisted: a match may open with a keyword the pass does not report.
        assert_eq!(
            of(generic, &["token", "api_key", "api-key", "apikey"]),
            None
        );
        assert_eq!(of(r"(?i:my_?token)=(\w+)", &["token"]), Some(3));
        // Anything before the keyword: unbounded, or a class too wide to expand.
        assert_eq!(of(r"\w*token=(\w+)", &["token"]), None);
        assert_eq!(of(r"[a-z]token=(\w+)", &["token"]), None);
        assert_eq!(of(r"(?:x|token)=(\w+)", &["token"]), None);
        // Farther in than `MAX_START_REACH`.
        assert_eq!(of(r"averyveryverylongname_token=(\w+)", &["token"]), None);
        assert_eq!(of(r"token", &[]), None);
    }

    #[test]
    fn the_engine_tries_a_rule_only_at_its_keywords_and_finds_what_the_regex_finds() {
        // Two rules sharing keywords, through the engine (keyword pass, windows, hits per window):
        // every line's matches, as the regex finds them in each line.
        let a = r#"(?i:[\w.-]{0,12}?(?:token|secret))\s*[=:]\s*"([A-Za-z0-9]{8,20})""#;
        let b = r#"(?i:(?:cookie|session)[_.-]?secret)\s*=\s*'([A-Za-z0-9]{8,20})'"#;
        let e = engine(&format!(
            "[[rules]]\nid = \"a\"\nregex = '''{a}'''\nkeywords = [\"token\", \"secret\"]\n\
             [[rules]]\nid = \"b\"\nregex = '''{b}'''\nkeywords = [\"secret\"]\n"
        ));
        assert_eq!(e.matcher(0).starts.as_ref().map(|s| s.reach), Some(0));
        assert_eq!(e.matcher(1).starts.as_ref().map(|s| s.reach), Some(8));
        let parts = [
            "token",
            "Secret",
            "cookie_secret",
            "session-secret",
            "my_",
            " = ",
            "=",
            ": ",
            "\"",
            "'",
            "\"Xk9q2LmPw7\"",
            "'Qz8w3Nv7Rk2J'",
            "Hr7tLm2Qx9",
            " ",
            "\n",
            "; ",
        ];
        let res: Vec<_> = [a, b]
            .iter()
            .map(|src| {
                regex::bytes::RegexBuilder::new(src)
                    .unicode(false)
                    .build()
                    .unwrap()
            })
            .collect();
        let mut rng = Rng(0x0dd_ba11);
        let mut total = 0;
        for _ in 0..1_500 {
            let n = 1 + rng.below(40) as usize;
            let data: String = (0..n)
                .map(|_| parts[rng.below(parts.len() as u64) as usize])
                .collect();
            let mut want = Vec::new();
            let mut at = 0;
            for line in data.split('\n') {
                for (r, re) in res.iter().enumerate() {
                    for c in re.captures_iter(line.as_bytes()) {
                        want.push((at + c.get(1).unwrap().start(), r));
                    }
                }
                at += line.len() + 1;
            }
            want.sort_unstable();
            let mut got: Vec<_> = e
                .scan(data.as_bytes(), PathScope::ContentOnly)
                .iter()
                .map(|h| (h.start, h.rule))
                .collect();
            got.sort_unstable();
            assert_eq!(got, want, "{data:?}");
            total += want.len();
        }
        assert!(total > 100, "{total}");
    }

    #[test]
    fn a_match_dropped_before_its_groups_has_a_secret_under_the_entropy_floor() {
        // Every built-in rule with an entropy floor whose secret can be pinned to runs: on its
        // own examples and on keyword-dense lines of near misses, each match that `may_pass`
        // drops must be one whose secret (the group `take_match` takes) is under the floor.
        let rules = crate::rules::RuleSet::builtin().unwrap().rules;
        let names = [
            "api_key",
            "x.secret",
            "db-password",
            "token",
            "fo1__private_key",
            "r8_",
        ];
        let ops = [" = ", "=", ": ", " := ", " => ", "==", ":"];
        let values = [
            "\"aaaaaaaaaaaaaaaa\"",
            "'your-password-here'",
            "\"k9Xq2LmP8vR4tZ7wQ1\"",
            "bb23441cbde9c01a4dd4ef95ff889fdd",
            "x1",
            "abc123abc123",
            "'${TOKEN}'",
            "0a1b2c3d4e5f6a7b8c9d0e1f",
            "\"Zq8Lw3Nv7Rk2Jx5Tb9Mc4Hd6\"",
            "AC3c2b1451d97b37e8d2f6350bcb957728_f061",
            "sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            // Short keys under the floor that a short validator keeps, and one cut at a query's
            // next parameter.
            "\"q7k2mz9xk4bd\"",
            "h3kq9wz2h7qx5kdq",
            "x8vq2l0m9w&limit=10",
            "-0x3f879678",
        ];
        let tails = ["", ";", " # note", "\n", ", ", "'"];
        let mut rng = Rng(0x0dd_ba11_u64);
        let mut lines = String::new();
        for _ in 0..3_000 {
            for _ in 0..1 + rng.below(3) {
                for part in [&names[..], &ops[..], &values[..], &tails[..]] {
                    lines.push_str(part[rng.below(part.len() as u64) as usize]);
                }
            }
            lines.push('\n');
        }
        let (mut with_shapes, mut dropped, mut kept) = (0, 0, 0);
        for rule in rules
            .iter()
            .filter(|r| r.entropy.is_some() && r.regex.is_some())
        {
            let m = Matcher::of_rule(rule);
            let Some(shapes) = m.shapes() else { continue };
            with_shapes += 1;
            let floor = rule.entropy.unwrap();
            let short = rule.short_validator;
            let examples: Vec<&str> = rule
                .examples()
                .map(|e| {
                    e.positive
                        .iter()
                        .chain(&e.negative)
                        .map(String::as_str)
                        .collect()
                })
                .unwrap_or_default();
            let (mut cache, mut caps) = (m.regex().create_cache(), m.regex().create_captures());
            for hay in examples.iter().copied().chain([lines.as_str()]) {
                m.for_each_match(&mut cache, &mut caps, hay.as_bytes(), |caps, _| {
                    let secret = match rule.secret_group {
                        Some(g) if g > 0 => caps.get_group(g),
                        _ => caps.iter().skip(1).flatten().find(|s| !s.is_empty()),
                    };
                    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
                        return;
                    };
                    let bytes = &hay.as_bytes()[secret.range()];
                    let span = caps.get_match().unwrap().range();
                    if shapes.may_pass(hay.as_bytes(), span, floor, short) {
                        kept += 1;
                    } else {
                        dropped += 1;
                        // The secret as take_match cuts a generic rule's.
                        let cut = &bytes[..crate::filters::query_value_len(bytes)];
                        assert!(
                            shannon_entropy(bytes) < entropy_floor(bytes, floor)
                                && !short.is_some_and(|v| v.accepts(bytes) || v.accepts(cut)),
                            "{}: {:?} in {:?}",
                            rule.id,
                            String::from_utf8_lossy(bytes),
                            &hay[caps.get_match().unwrap().range()]
                        );
                    }
                });
            }
        }
        assert!(
            with_shapes > 20 && dropped > 500 && kept > 1_000,
            "{with_shapes} rules, {dropped} dropped, {kept} kept"
        );
    }

    #[test]
    fn a_class_s_bits_are_its_bytes() {
        use regex_syntax::hir::{
            Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange,
        };
        // Every one-range class of bytes, and pairs of ranges across words.
        for lo in 0..=255u8 {
            for hi in lo..=255u8 {
                let c = Class::Bytes(ClassBytes::new([ClassBytesRange::new(lo, hi)]));
                assert_eq!(class_bits(&c), Some(bits(&RunNeed::byte_set(&c).unwrap())));
                let two = Class::Bytes(ClassBytes::new([
                    ClassBytesRange::new(lo / 3, lo / 2),
                    ClassBytesRange::new(hi, hi),
                ]));
                assert_eq!(
                    class_bits(&two),
                    Some(bits(&RunNeed::byte_set(&two).unwrap()))
                );
            }
        }
        let ascii = Class::Unicode(ClassUnicode::new([ClassUnicodeRange::new('0', '\x7f')]));
        assert_eq!(
            class_bits(&ascii),
            Some(bits(&RunNeed::byte_set(&ascii).unwrap()))
        );
        // Past ASCII, no byte set: as `byte_set`.
        let wide = Class::Unicode(ClassUnicode::new([ClassUnicodeRange::new('a', '\u{e9}')]));
        assert_eq!(class_bits(&wide), None);
        assert_eq!(RunNeed::byte_set(&wide), None);
    }

    #[test]
    fn the_generic_rules_secrets_are_pinned_to_runs() {
        let rules = crate::rules::RuleSet::builtin().unwrap().rules;
        for id in [
            "generic-secret-assignment",
            "session-secret-assignment",
            "vendor-named-api-credential",
        ] {
            let rule = rules.iter().find(|r| &*r.id == id).unwrap();
            assert!(Matcher::of_rule(rule).shapes().is_some(), "{id}");
        }
        // A group that may be preceded and followed by its own bytes: no shape, groups resolved.
        assert!(SecretShapes::of(&regex_syntax::parse(r"a=([a-z]+)=?x?").unwrap(), None).is_some());
        assert!(SecretShapes::of(&regex_syntax::parse(r"a=?([a-z=]+)=?").unwrap(), None).is_none());
        // Some match may have no group: the whole match would be the secret.
        assert!(
            SecretShapes::of(&regex_syntax::parse(r"(?-u:k=(\w+)|q)").unwrap(), None).is_none()
        );
    }

    #[test]
    fn built_in_regexes_match_their_examples_with_the_groups_the_regex_crate_finds() {
        // Every built-in rule's regex, compiled as the engine compiles it (parsed once, lead split
        // off, the engine's meta settings), against `regex::bytes` on the rule's own positive and
        // negative examples, each alone and all on one text: the same matches and group spans.
        let (mut rules, mut matches) = (0, 0);
        for (name, src, examples) in builtin_regexes_with_examples() {
            let src = src.as_str();
            let examples: Vec<&str> = examples.iter().map(String::as_str).collect();
            // `^` and `$` are a line's edges in the engine's parse (`gate::on_lines`).
            let re = regex::bytes::RegexBuilder::new(src)
                .unicode(false)
                .multi_line(true)
                .build()
                .or_else(|_| {
                    regex::bytes::RegexBuilder::new(src)
                        .multi_line(true)
                        .build()
                })
                .unwrap();
            let m = Matcher::new(src, &[]);
            let (mut cache, mut caps) = (m.regex().create_cache(), m.regex().create_captures());
            let joined = examples.join("\n");
            for hay in examples.iter().copied().chain([joined.as_str()]) {
                let want: Vec<Spans> = re
                    .captures_iter(hay.as_bytes())
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                let mut got = Vec::new();
                m.for_each_match(&mut cache, &mut caps, hay.as_bytes(), |caps, start| {
                    let mut spans: Spans =
                        caps.iter().map(|s| s.map(|s| (s.start, s.end))).collect();
                    spans[0] = spans[0].map(|(_, e)| (start, e));
                    got.push(spans);
                });
                assert_eq!(got, want, "{name}: {src}");
                matches += got.len();
            }
            rules += 1;
        }
        assert!(
            rules > 500 && matches > 1000,
            "{rules} rules, {matches} matches"
        );
    }

    #[test]
    fn the_check_finds_a_match_exactly_where_the_regex_does() {
        // Every built-in rule's check (the forward lazy DFA that decides whether its regex is
        // compiled and run) against the compiled regex on the rule's examples, alone, joined, and
        // cut at seeded random points (a value one byte short, a keyword without its value): a
        // window where the check says no match must be one where the regex finds none, or the
        // engine loses findings; where it says a match, the regex must find one, or the check
        // saves nothing.
        let mut rng = Rng(0x5eed_c4ec);
        let (mut checked, mut with_match, mut without, mut in_vain) = (0, 0, 0, 0);
        for (name, src, examples) in builtin_regexes_with_examples() {
            let src = src.as_str();
            let examples: Vec<&str> = examples.iter().map(String::as_str).collect();
            let m = Matcher::new(src, &[]);
            let Some(dfa) = m.check() else { continue };
            let mut check = dfa.create_cache();
            let (mut cache, mut caps) = (m.regex().create_cache(), m.regex().create_captures());
            let mut hays: Vec<Vec<u8>> = examples.iter().map(|e| e.as_bytes().to_vec()).collect();
            hays.push(examples.join("\n").into_bytes());
            for e in &examples {
                for _ in 0..4 {
                    let (a, b) = (rng.below(e.len() as u64 + 1), rng.below(e.len() as u64 + 1));
                    let (a, b) = (a.min(b) as usize, a.max(b) as usize);
                    hays.push([&e.as_bytes()[..a], &e.as_bytes()[b..]].concat());
                    hays.push(e.as_bytes()[a..b].to_vec());
                }
            }
            for hay in &hays {
                let mut found = false;
                m.for_each_match(&mut cache, &mut caps, hay, |_, _| found = true);
                // An error (a Unicode `\b` quits on a non-ASCII byte) leaves it to the regex.
                let said = dfa.try_search_fwd(
                    &mut check,
                    &regex_automata::Input::new(hay.as_slice()).earliest(true),
                );
                // The check's pattern is widened (`widened`): it may let through a window where
                // the regex finds nothing (counted: rarely, or the check saves nothing), never
                // stop one where the regex finds a match.
                if let Ok(said) = said {
                    assert!(
                        said.is_some() || !found,
                        "{name}: {src} on {:?}",
                        String::from_utf8_lossy(hay)
                    );
                    if said.is_some() && !found {
                        in_vain += 1;
                    }
                }
                assert_eq!(m.may_match(&mut check, hay), !matches!(said, Ok(None)));
                if found {
                    with_match += 1;
                } else {
                    without += 1;
                }
            }
            checked += 1;
        }
        assert!(
            checked > 500 && with_match > 1000 && without > 1000 && in_vain * 50 < without,
            "{checked} rules, {with_match} texts with a match, {without} without, \
             {in_vain} of them let through by the check"
        );
    }

    #[test]
    fn a_regex_searched_only_anchored_is_built_without_a_prefilter() {
        // The rules whose regex is searched only at candidate starts (keyword starts or the
        // locator's) skip the literal extraction that only unanchored searches use; the others
        // keep it. Most of the catalog is the first kind.
        let (mut anchored, mut free) = (0, 0);
        for rule in crate::rules::RuleSet::builtin().unwrap().rules {
            let Some(re) = rule.regex.as_ref() else {
                continue;
            };
            let m = Matcher::build(re.as_str(), &rule.keywords, rule.secret_group);
            let only = m.starts.is_some() || m.locates();
            assert_eq!(m.anchored_only(), only, "{}", rule.id);
            assert_eq!(
                m.regex().get_config().get_auto_prefilter(),
                !only,
                "{}",
                rule.id
            );
            if only {
                anchored += 1;
            } else {
                free += 1;
            }
        }
        assert!(anchored > 500, "{anchored} anchored, {free} not");
    }

    #[test]
    fn widening_builds_the_tree_cloning_each_node_built() {
        // `widened` builds each node from its widened parts; the reference clones the node and
        // replaces its part, as it was first written. The same tree, properties included, for
        // every built-in rule's regex (parsed as `Matcher::build` parses it).
        fn reference(hir: &Hir) -> Hir {
            match hir.kind() {
                HirKind::Repetition(rep) => {
                    let mut rep = rep.clone();
                    if rep.max.is_some_and(|m| m >= 16 && m > rep.min) {
                        rep.max = None;
                    }
                    rep.sub = Box::new(reference(&rep.sub));
                    Hir::repetition(rep)
                }
                HirKind::Capture(cap) => {
                    let mut cap = cap.clone();
                    cap.sub = Box::new(reference(&cap.sub));
                    Hir::capture(cap)
                }
                HirKind::Concat(parts) => Hir::concat(parts.iter().map(reference).collect()),
                HirKind::Alternation(parts) => {
                    Hir::alternation(parts.iter().map(reference).collect())
                }
                _ => hir.clone(),
            }
        }
        let (mut rules, mut changed) = (0, 0);
        for rule in crate::rules::RuleSet::builtin().unwrap().rules {
            let Some(re) = rule.regex.as_ref() else {
                continue;
            };
            let m = Matcher::build(re.as_str(), &rule.keywords, rule.secret_group);
            let (ours, theirs) = (widened(m.rest()), reference(m.rest()));
            assert_eq!(ours, theirs, "{}", rule.id);
            assert_eq!(ours.properties(), theirs.properties(), "{}", rule.id);
            changed += usize::from(ours != *m.rest());
            rules += 1;
        }
        assert!(
            rules > 500 && changed > 300,
            "{rules} rules, {changed} widened"
        );
    }

    #[test]
    fn a_prefiltered_check_answers_as_the_walk_over_every_byte_does() {
        // Every built-in rule whose widened pattern has a fast prefilter: its forward lazy DFA
        // with the prefilter against the same DFA without it, on the rule's examples joined with
        // the repository's fixture lines (a match among many lines that do not open one, as a
        // multi-line rule's window of keyword-dense code is), cut at seeded random points, and
        // each searched from seeded random starts (`Located` resumes after a match), for the
        // earliest match (the check) and the leftmost-first end (the locator): the same answers.
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            } else if let Ok(text) = std::fs::read(&p) {
                lines.extend(text.split(|&b| b == b'\n').map(<[u8]>::to_vec));
            }
        }
        let mut rng = Rng(0x0bad_5eed_f00d);
        let pick = |rng: &mut Rng, n: usize| rng.below(n as u64) as usize;
        let (mut rules, mut searches, mut found, mut quit) = (0, 0, 0, 0);
        for (name, src, examples) in builtin_regexes_with_examples() {
            let m = Matcher::new(&src, &[]);
            let (Some((pre, true)), Some(walk)) = (m.check_for(PREFILTER_AFTER), m.check()) else {
                continue;
            };
            assert!(pre.get_config().get_prefilter().is_some());
            // A short window keeps the plain check.
            assert!(matches!(m.check_for(LONG_WINDOW - 1), Some((_, false))));
            rules += 1;
            let (mut pc, mut wc) = (pre.create_cache(), walk.create_cache());
            for round in 0..24 {
                let mut hay: Vec<u8> = Vec::new();
                for _ in 0..pick(&mut rng, 40) + 1 {
                    let line: &[u8] = if !examples.is_empty() && pick(&mut rng, 4) == 0 {
                        examples[pick(&mut rng, examples.len())].as_bytes()
                    } else {
                        &lines[pick(&mut rng, lines.len())]
                    };
                    let (a, b) = (
                        pick(&mut rng, line.len() + 1),
                        pick(&mut rng, line.len() + 1),
                    );
                    if round % 3 == 0 {
                        hay.extend_from_slice(&line[a.min(b)..a.max(b)]);
                    } else {
                        hay.extend_from_slice(line);
                    }
                    hay.push(if round % 5 == 0 { b' ' } else { b'\n' });
                }
                for _ in 0..4 {
                    let at = pick(&mut rng, hay.len() + 1);
                    for earliest in [true, false] {
                        let input = regex_automata::Input::new(&hay)
                            .range(at..)
                            .earliest(earliest);
                        let (p, w) = (
                            pre.try_search_fwd(&mut pc, &input),
                            walk.try_search_fwd(&mut wc, &input),
                        );
                        // A walk that quits (a Unicode `\b` on a non-ASCII byte) leaves the
                        // answer to the regex; the prefiltered one may pass that byte by.
                        if let (Ok(p), Ok(w)) = (&p, &w) {
                            assert_eq!(
                                p,
                                w,
                                "{name}: {src} from {at} ({earliest}) in {:?}",
                                String::from_utf8_lossy(&hay)
                            );
                            found += usize::from(w.is_some());
                            searches += 1;
                        } else {
                            quit += 1;
                        }
                    }
                }
            }
        }
        eprintln!("{rules} rules, {searches} searches, {found} found a match, {quit} quit");
        assert!(
            rules > 100 && found > 2_000 && searches - found > 2_000,
            "{rules} {searches} {found}"
        );
    }

    #[test]
    fn caches_are_counted_as_they_grow_and_dropped_past_the_budget() {
        let m = Matcher::new(
            r"(?i:vendor)[^\r\n]{0,40}?(?:key|token)[^\r\n]{0,40}?\b([a-f0-9]{32})\b",
            &[],
        );
        let mut scratch = Scratch {
            caches: vec![
                None,
                Some((m.regex().create_cache(), m.regex().create_captures())),
            ],
            ..Scratch::default()
        };
        let (cache, caps) = scratch.caches[1].as_mut().unwrap();
        let before = cache.memory_usage();
        let hay = "vendor x key = 0123456789abcdef0123456789abcdez and token 9f86d081884c7d659a2feaa0c55ad015\n";
        m.for_each_match(cache, caps, hay.repeat(20).as_bytes(), |_, _| {});
        let after = cache.memory_usage();
        assert!(after > before, "the lazy DFA grew: {before} -> {after}");
        scratch.settle(before, after, usize::MAX);
        assert_eq!(scratch.bytes, after - before);
        assert!(scratch.caches[1].is_some());
        scratch.settle(0, 1, after - before);
        assert!(
            scratch.caches.iter().all(Option::is_none),
            "past the budget"
        );
        assert_eq!(scratch.bytes, 0);
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
            e.scan(b"secret = \"k9Xq2LmP8vR4tZ7w\"", PathScope::ContentOnly) // leakguard:allow (a test's fake value)
                .len(),
            1
        );
    }
}
