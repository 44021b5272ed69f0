//! Compiles parsed configs into a rule set: regexes built, rules merged by id, defaults extended or
//! replaced the way gitleaks does it, every problem reported with its file, line and rule.

use crate::config::{
    self, AllowlistSpec, ConfigError, ConfigErrors, Examples, RuleSpec, SourcedConfig,
};
use crate::config_source::{self, Place, Source};
use crate::filters::Validator;
use crate::path_endings::PathEndings;
use crate::suppress::SuppressKind;
use crate::{gitleaks_ids, goregex};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Compiled regexes larger than this are refused rather than slowing every scan down.
pub(crate) const REGEX_SIZE_LIMIT: usize = 16 << 20;

#[derive(Debug)]
pub struct Rule {
    /// Canonical: fingerprints, baselines and reports use it, whatever id a config names the rule by.
    pub id: Arc<str>,
    /// Other ids the rule answers to in configs and .gitleaksignore (gitleaks' ids).
    pub aliases: Vec<String>,
    pub description: Arc<str>,
    pub regex: Option<RuleRegex>,
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    /// Lower-cased literals for the shared prefilter; empty means the regex runs on every file.
    pub keywords: Vec<String>,
    pub path: Option<PathRegex>,
    pub tags: Arc<[String]>,
    pub allowlists: Vec<Allowlist>,
    pub validators: Vec<Validator>,
    /// Keeps a secret under the entropy floor when it accepts it (`shortValidator`: a short key
    /// judged by its shape, where entropy cannot judge one so short).
    pub short_validator: Option<Validator>,
    pub skip_placeholders: bool,
    /// What the rule says of its matches and lines: its `lines` key, or `Lines::Many` when its
    /// regex turns the `s` flag on (`(?s)`: the author means matches to cross lines, whatever part
    /// of the regex does it); `None` leaves it to what the regex can match
    /// (`engine::gate::line_use`, `Engine::spans_lines`).
    pub lines: Option<Lines>,
    /// `lines` came from the rule's `lines` key.
    pub lines_declared: bool,
    /// Tagged `generic`, or its id says generic (gitleaks' rule): it matches by context (a secret-sounding name), not by a vendor's format, and
    /// yields to a specific rule that found the same secret.
    pub generic: bool,
    /// How readily a hit yields to another rule's hit on the same value: 0 for a rule that knows the
    /// vendor's format, 1 for `vendor-context` (a vendor's name beside any random value), 2 for
    /// generic, 3 for `fallback` (looser than generic: a password in prose), 4 for a `fallback` tagged
    /// `weak-password` (a password literal of any strength). A hit is dropped where a hit of a lower rank overlaps it, so one value gets one
    /// finding under its most precise name, and vendor-context rules may name vendors that also
    /// have a format rule (the off-format value is still found by name).
    pub yields: u8,
    /// Read through `examples()`: a built-in rule's are parsed only when asked for.
    examples: Option<Examples>,
    /// A `[rules.verify]` section from a user's config (built-in endpoints are in rules/verify/).
    pub verify: Option<crate::verify::VerifyToml>,
    /// Where the rule was defined, for messages.
    pub origin: String,
    pub severity: Severity,
}

/// How bad a finding is: reported in JSON and mapped to SARIF levels, so that a test-mode key
/// (Stripe `sk_test_`) can be told from a live one without a second rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Severity {
    Info,
    Low,
    Medium,
    #[default]
    High,
    Critical,
}

impl Severity {
    pub const NAMES: &'static [&'static str] = &["critical", "high", "medium", "low", "info"];

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "critical" => Severity::Critical,
            "high" => Severity::High,
            "medium" => Severity::Medium,
            "low" => Severity::Low,
            "info" => Severity::Info,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// SARIF result level: GitHub shows "error" as a failing alert, "warning" and "note" less loudly.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "note",
        }
    }

    /// GitHub's `security-severity` property (0.0-10.0), which it buckets into critical/high/medium/low.
    pub fn security_score(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "1.0",
        }
    }
}

impl Rule {
    /// The rule's `[rules.examples]`, if it has any.
    pub fn examples(&self) -> Option<&Examples> {
        self.examples.as_ref().map(Examples::resolved)
    }

    /// A rule with a path and no regex reports the file itself.
    pub fn is_path_only(&self) -> bool {
        self.regex.is_none()
    }
}

/// A rule's regex, compiled on first use. Built-in rules are compiled lazily because a scan usually
/// needs only the few whose keywords occur (a staged scan of one file starts in a few milliseconds
/// instead of compiling 150+ regexes); their validity is checked by the test suite. A user's rules are
/// compiled eagerly, at load, so that a bad regex is reported with its file, line and rule.
#[derive(Debug)]
pub struct RuleRegex {
    source: String,
    compiled: OnceLock<BytesRegex>,
}

impl RuleRegex {
    fn lazy(source: &str) -> RuleRegex {
        RuleRegex::lazy_owned(source.to_string())
    }

    fn lazy_owned(source: String) -> RuleRegex {
        RuleRegex {
            source,
            compiled: OnceLock::new(),
        }
    }

    fn eager(source: &str) -> Result<RuleRegex, regex::Error> {
        let r = RuleRegex::lazy(source);
        let _ = r.compiled.set(build_bytes_regex(source)?);
        Ok(r)
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled regex. Built-in sources are known to compile (tests/rule_examples.rs checks every one).
    pub fn get(&self) -> &BytesRegex {
        self.compiled
            .get_or_init(|| build_bytes_regex(&self.source).expect("built-in rule regexes compile"))
    }
}

/// A rule's (or an allowlist's) path regex. Every file's path is asked about every path-scoped
/// rule, so a built-in one is compiled only when a path first passes a test worked out from the
/// regex's syntax tree (`PathEndings`): most of these regexes end in `$` after a literal ending
/// (`\.pypirc$`, `(?i)\.(?:p12|pfx)$`) and most paths end with none of them. Compiling all ~20 at
/// start (Unicode `[^/]` and `(?i)` make large automata) was ~3% of scanning a small repository
/// (docs/engine.md). A user's path regex is compiled at load, so that a bad one is reported with
/// its file and line.
///
/// An ASCII path (nearly every one) is asked of the regex compiled with Unicode off, over bytes:
/// on ASCII text it selects exactly what the Unicode regex selects (`(?i)`'s non-ASCII case
/// variants, `[^/]`'s other code points and Unicode `\w`, `\s`, `\d`, `\b` differ only on
/// non-ASCII characters), and it compiles in a fraction of the instructions: the Unicode one cost
/// ~1.2M each, 13M of scanning openai-python's checkout (docs/engine.md, "What every run pays").
/// A path with a non-ASCII byte is asked of the Unicode regex, compiled when one first comes.
#[derive(Debug)]
pub struct PathRegex {
    source: String,
    /// The regex as written (Unicode on): for non-ASCII paths.
    compiled: OnceLock<Regex>,
    /// Unicode off, over bytes, a lazy DFA alone: for ASCII paths. None: the regex needs
    /// Unicode (`\p{..}`).
    ascii: OnceLock<Option<LazyDfa>>,
    /// A built-in regex's were worked out by build.rs; another's on the first path asked (from
    /// the Unicode-off parse: they test ASCII paths).
    endings: OnceLock<Option<PathEndings>>,
}

impl PathRegex {
    fn lazy(source: &str) -> PathRegex {
        PathRegex {
            source: source.to_string(),
            compiled: OnceLock::new(),
            ascii: OnceLock::new(),
            endings: OnceLock::new(),
        }
    }

    /// A built-in path regex: its endings as build.rs worked them out, when it did (parsing the
    /// ~24 regexes at every start to work them out was 2.8M instructions, 7% of a one-line
    /// staged scan).
    fn builtin(source: &str) -> PathRegex {
        let r = PathRegex::lazy(source);
        if let Some(e) = precomputed_endings(source) {
            let _ = r.endings.set(e);
        }
        r
    }

    fn eager(source: &str) -> Result<PathRegex, regex::Error> {
        let r = PathRegex::lazy(source);
        let _ = r.compiled.set(build_str_regex(source)?);
        Ok(r)
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    fn endings(&self) -> Option<&PathEndings> {
        self.endings
            .get_or_init(|| PathEndings::of(&self.source))
            .as_ref()
    }

    fn unicode(&self) -> &Regex {
        self.compiled
            .get_or_init(|| build_str_regex(&self.source).expect("built-in path regexes compile"))
    }

    /// Per byte, whether an ASCII path whose last byte it is may match: `is_match` says no to every
    /// other one at its first look (`engine::pathsel` asks only the regexes this leaves).
    pub fn may_end_with(&self) -> [bool; 256] {
        let endings = self.endings();
        std::array::from_fn(|b| endings.is_none_or(|e| e.may_end(b as u8)))
    }

    pub fn is_match(&self, path: &str) -> bool {
        if !path.is_ascii() {
            return self.unicode().is_match(path);
        }
        let bytes = path.as_bytes();
        if self.endings().is_some_and(|e| !e.end(bytes)) {
            return false;
        }
        let ascii = self.ascii.get_or_init(|| LazyDfa::build_path(&self.source));
        match ascii.as_ref().and_then(|dfa| dfa.is_match(bytes)) {
            Some(m) => m,
            None => self.unicode().is_match(path),
        }
    }
}

impl PathRegex {
    /// The regex's Unicode-off parse, when `is_match` asks an ASCII path of its reversed DFA
    /// anchored at the path's end (every alternative ends in `$`: `LazyDfa::build_path`): then a
    /// `PathSet` of it answers as `is_match` does.
    pub fn reversed_parse(&self) -> Option<regex_syntax::hir::Hir> {
        LazyDfa::parse(&self.source).filter(|hir| {
            hir.properties()
                .look_set_suffix()
                .contains(regex_syntax::hir::Look::End)
        })
    }
}

/// Several path regexes that every match ends where the path does (`PathRegex::reversed_parse`)
/// as one reversed lazy DFA: which of them match an ASCII path, read off the path's end once. A
/// file's path was asked of each regex its last byte leaves, ~13 on cargo's checkout, ~270
/// instructions each (docs/engine.md, "Stop 26").
pub struct PathSet(LazyDfa);

impl PathSet {
    /// At most 128 regexes (`matching` answers in bits).
    pub fn new(parses: &[regex_syntax::hir::Hir]) -> Option<PathSet> {
        use regex_automata::{hybrid::dfa::DFA, nfa::thompson};
        if parses.is_empty() || parses.len() > 128 {
            return None;
        }
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(false)
                    .reverse(true)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_many_from_hir(parses)
            .ok()?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(regex_automata::MatchKind::All)
                    .cache_capacity(REGEX_SIZE_LIMIT),
            )
            .build_from_nfa(nfa)
            .ok()?;
        Some(PathSet(LazyDfa {
            caches: dfa_caches(&dfa),
            dfa,
            reverse: true,
        }))
    }

    /// The regexes (bit `i`: the `i`-th of `new`'s) that match `path` (ASCII), each as its own
    /// reversed search anchored at the path's end would say; None when the DFA gave up.
    pub fn matching(&self, path: &[u8]) -> Option<u128> {
        use regex_automata::hybrid::dfa::OverlappingState;
        let input = regex_automata::Input::new(path).anchored(regex_automata::Anchored::Yes);
        self.0.with_cache(|dfa, cache| {
            let mut state = OverlappingState::start();
            let mut found = 0u128;
            loop {
                dfa.try_search_overlapping_rev(cache, &input, &mut state)
                    .ok()?;
                match state.get_match() {
                    Some(m) => found |= 1 << m.pattern().as_usize(),
                    None => return Some(found),
                }
            }
        })
    }
}

/// What build.rs wrote: each built-in path regex (a rule's `path`, an allowlist's `paths`) with its
/// endings (`PathEndings::of`'s), None where the regex does not say.
const PATH_ENDINGS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/path_endings.postcard"));

/// A built-in path regex's endings as build.rs worked them out; None if it did not see `source`.
fn precomputed_endings(source: &str) -> Option<Option<PathEndings>> {
    type Table = HashMap<String, Option<Vec<Vec<u8>>>>;
    static TABLE: OnceLock<Table> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        postcard::from_bytes::<Vec<(String, Option<Vec<Vec<u8>>>)>>(PATH_ENDINGS)
            .expect("the precomputed path endings decode")
            .into_iter()
            .collect()
    });
    table
        .get(source)
        .map(|e| e.clone().and_then(PathEndings::from_ends))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexTarget {
    Secret,
    Match,
    Line,
}

/// Regexes compiled to a forward lazy DFA alone, for the questions a DFA answers by itself: which
/// of them match somewhere in a text (an allowlist's regexes as one set), or whether one does (a
/// path regex). A meta regex (`regex::bytes::Regex`, `RegexSet`) also builds what finding a
/// match's start and groups needs (a reverse NFA, literal prefilters, capture states), ~1M
/// instructions a regex at first use, which nothing here uses: the allowlist regexes and path
/// regexes a run meets were 34M of openai-python's 605M, 18M after (docs/engine.md, "The
/// 150 MB/s floor, second round"). Parsed as `regex::bytes` parses them with Unicode off; the caller falls back
/// to its meta regex where this cannot be built or gives up.
#[derive(Debug)]
struct LazyDfa {
    dfa: regex_automata::hybrid::dfa::DFA,
    /// The DFA is of the reversed regex, searched anchored at the text's end (`build_path`).
    reverse: bool,
    /// The DFA's caches, one per thread asking at a time, kept: the states it built for one text
    /// serve the next (a fresh cache per text would build them again each time). A pool, as the
    /// regex crate keeps its own: the thread that asked first takes its cache without a lock (a
    /// lock and a cache moved out of a list and back were ~150 instructions of each question of
    /// a path, ~19k questions on cargo's checkout).
    caches: DfaCaches,
}

type DfaCaches = regex_automata::util::pool::Pool<
    regex_automata::hybrid::dfa::Cache,
    Box<dyn Fn() -> regex_automata::hybrid::dfa::Cache + Send + Sync>,
>;

/// The pool of `dfa`'s caches.
fn dfa_caches(dfa: &regex_automata::hybrid::dfa::DFA) -> DfaCaches {
    let dfa = dfa.clone();
    regex_automata::util::pool::Pool::new(Box::new(move || dfa.create_cache()))
}

impl LazyDfa {
    fn build(patterns: &[&str], kind: regex_automata::MatchKind) -> Option<LazyDfa> {
        use regex_automata::{hybrid::dfa::DFA, nfa::thompson};
        // What `DFA::builder().syntax(..).build_many(patterns)` does, with each built-in regex's
        // parse read back (`engine::builtin_pattern`) instead of made again.
        let hirs = patterns
            .iter()
            .map(|p| LazyDfa::parse(p))
            .collect::<Option<Vec<_>>>()?;
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(false)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_many_from_hir(&hirs)
            .ok()?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(kind)
                    .cache_capacity(REGEX_SIZE_LIMIT),
            )
            .build_from_nfa(nfa)
            .ok()?;
        Some(LazyDfa {
            caches: dfa_caches(&dfa),
            dfa,
            reverse: false,
        })
    }

    /// A path regex's lazy DFA. Nearly every path regex ends in `$` in each of its alternatives
    /// (`(?:^|/)\.pypirc$`, `(?i)(?:^|/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$`): every
    /// match ends where the path does, so whether one matches is whether the reversed regex
    /// matches anchored at the path's end, and that search reads only the bytes the regex's tail
    /// can take (the file's name, often a few bytes of its extension) where the forward search
    /// read the whole path, each file's path being asked of ~14 regexes (docs/engine.md, "The
    /// 150 MB/s floor, fifth round"). A regex not anchored at its end keeps the forward search.
    fn build_path(source: &str) -> Option<LazyDfa> {
        use regex_automata::{hybrid::dfa::DFA, nfa::thompson};
        let hir = LazyDfa::parse(source)?;
        let reverse = hir
            .properties()
            .look_set_suffix()
            .contains(regex_syntax::hir::Look::End);
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(false)
                    .reverse(reverse)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_from_hir(&hir)
            .ok()?;
        // Reversed, any match at all is the answer (the search stops at the first).
        let kind = if reverse {
            regex_automata::MatchKind::All
        } else {
            regex_automata::MatchKind::LeftmostFirst
        };
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(kind)
                    .cache_capacity(REGEX_SIZE_LIMIT),
            )
            .build_from_nfa(nfa)
            .ok()?;
        Some(LazyDfa {
            caches: dfa_caches(&dfa),
            dfa,
            reverse,
        })
    }

    /// A regex parsed Unicode off, over bytes (empty matches may split a UTF-8 sequence): a
    /// built-in one as build.rs parsed it, which parsing again was most of compiling the
    /// allowlist and path regexes a run meets (docs/engine.md, "The 150 MB/s floor, seventh
    /// round"); another parsed here.
    fn parse(source: &str) -> Option<regex_syntax::hir::Hir> {
        use regex_automata::util::syntax;
        crate::engine::builtin_pattern(source).or_else(|| {
            syntax::parse_with(source, &syntax::Config::new().unicode(false).utf8(false)).ok()
        })
    }

    fn with_cache<R>(
        &self,
        f: impl FnOnce(&regex_automata::hybrid::dfa::DFA, &mut regex_automata::hybrid::dfa::Cache) -> R,
    ) -> R {
        let mut cache = self.caches.get();
        f(&self.dfa, &mut cache)
    }

    /// The lowest of the patterns that match somewhere in `target` (built with every match kind);
    /// None when the DFA gave up.
    ///
    /// Most targets match none of the patterns: whether any does is asked first, with a search that
    /// stops at the first match state (the unrolled forward loop, no pattern set to allocate);
    /// only a target that matches is read again with the overlapping search, which goes on to the
    /// text's end to see every pattern. Both walk the same DFA with the same cache, and a match of
    /// any pattern is a match state of either search, so the answer is the overlapping search's.
    fn first_match(&self, target: &[u8]) -> Option<Option<usize>> {
        let any = regex_automata::Input::new(target).earliest(true);
        if self
            .with_cache(|dfa, cache| dfa.try_search_fwd(cache, &any))
            .ok()?
            .is_none()
        {
            return Some(None);
        }
        #[cfg(test)]
        OVERLAPPING_READS.with(|n| n.set(n.get() + 1));
        let mut found = regex_automata::PatternSet::new(self.dfa.pattern_len());
        let input = regex_automata::Input::new(target);
        self.with_cache(|dfa, cache| dfa.try_which_overlapping_matches(cache, &input, &mut found))
            .ok()?;
        Some(found.iter().next().map(|p| p.as_usize()))
    }

    /// Whether the pattern matches somewhere in `target` (built leftmost-first); None when the DFA
    /// gave up.
    fn is_match(&self, target: &[u8]) -> Option<bool> {
        let input = regex_automata::Input::new(target).earliest(true);
        if self.reverse {
            let input = input.anchored(regex_automata::Anchored::Yes);
            return self
                .with_cache(|dfa, cache| dfa.try_search_rev(cache, &input))
                .ok()
                .map(|m| m.is_some());
        }
        self.with_cache(|dfa, cache| dfa.try_search_fwd(cache, &input))
            .ok()
            .map(|m| m.is_some())
    }
}

#[derive(Debug)]
pub struct Allowlist {
    pub all_required: bool,
    pub target: RegexTarget,
    pub regexes: Vec<RuleRegex>,
    /// A built-in allowlist's regexes as one set, compiled when a candidate first asks (None:
    /// asked one by one). generic-secret-assignment lists 33; compiled one by one they cost
    /// ~0.5M instructions each, mostly what every meta regex builds besides its NFA (the reverse
    /// NFA, literal prefilters, a one-pass DFA for the `^`-anchored ones).
    regex_set: Option<OnceLock<Option<LazyDfa>>>,
    pub paths: Vec<PathRegex>,
    pub globs: Option<GlobSet>,
    pub stopwords: Vec<String>,
    pub commits: Vec<String>,
    pub fingerprints: HashSet<String>,
    pub target_rules: Vec<String>,
    /// The config file the allowlist is in, and the line of each entry.
    pub origin: String,
    pub lines: EntryLines,
}

/// What an allowlist is asked about one candidate finding.
pub struct Candidate<'a> {
    pub secret: &'a [u8],
    pub matched: &'a [u8],
    pub line: &'a [u8],
    pub path: &'a str,
    pub commit: Option<&'a str>,
    pub fingerprint: &'a str,
}

impl Allowlist {
    /// The first of `regexes` that matches `target`. A set reports every pattern that matches
    /// anywhere, as each one's `is_match` does, so its lowest is the first. The set is built as
    /// `build_bytes_regex` builds each (Unicode off, the same limits); where it cannot be, each
    /// regex is asked alone, as built alone (one may need Unicode).
    fn first_regex_match(&self, target: &[u8]) -> Option<usize> {
        #[cfg(test)]
        REGEX_TARGETS_READ.with(|n| n.set(n.get() + 1));
        let set = self.regex_set.as_ref().and_then(|set| {
            set.get_or_init(|| {
                let patterns: Vec<&str> = self.regexes.iter().map(RuleRegex::as_str).collect();
                LazyDfa::build(&patterns, regex_automata::MatchKind::All)
            })
            .as_ref()
        });
        match set.and_then(|set| set.first_match(target)) {
            Some(first) => first,
            None => self.regexes.iter().position(|r| r.get().is_match(target)),
        }
    }

    pub fn applies_to(&self, rule_id: &str) -> bool {
        self.target_rules.is_empty() || self.target_rules.iter().any(|r| r == rule_id)
    }

    pub fn allows(&self, c: &Candidate) -> bool {
        self.explain(c).is_some()
    }

    /// Whether the allowlist drops the candidate, and if so which kind of entry did it and where
    /// (`file:line`), for the suppression counts.
    pub fn explain(&self, c: &Candidate) -> Option<(SuppressKind, String)> {
        self.explain_on_lines(c, None)
    }

    /// `explain`, with what a `regexTarget = "line"` allowlist's regexes said of long lines kept in
    /// `lines` for the next candidate on the same line (the hits of one blob: `Engine::judge`);
    /// its line is the candidate's, borrowed as long as `lines` is kept.
    pub fn explain_on_lines<'l>(
        &self,
        c: &Candidate,
        lines: Option<(&LineMatches<'l>, &'l [u8])>,
    ) -> Option<(SuppressKind, String)> {
        let target = match self.target {
            RegexTarget::Secret => c.secret,
            RegexTarget::Match => c.matched,
            RegexTarget::Line => c.line,
        };
        let glob_hit = self
            .globs
            .as_ref()
            .and_then(|g| g.matches(c.path).first().copied());
        // Per criterion given: the line of the entry that matched (None: given, did not match).
        let checks: [(SuppressKind, Option<Option<usize>>); 5] = [
            (
                SuppressKind::Allowlist,
                (!self.regexes.is_empty()).then(|| {
                    match (self.target, lines) {
                        (RegexTarget::Line, Some((lines, line))) => lines.first_match(self, line),
                        _ => self.first_regex_match(target),
                    }
                    .map(|i| self.lines.regexes[i])
                }),
            ),
            (
                SuppressKind::Allowlist,
                (!self.paths.is_empty() || self.globs.is_some()).then(|| {
                    self.paths
                        .iter()
                        .position(|r| r.is_match(c.path))
                        .map(|i| self.lines.paths[i])
                        .or_else(|| glob_hit.map(|i| self.lines.globs[i]))
                }),
            ),
            (
                SuppressKind::Stopword,
                (!self.stopwords.is_empty()).then(|| {
                    // A stopword spelled by chance inside a long random key (`…x9TeSTq…`) is
                    // no word of it (issue 17, lost48).
                    let lower_secret = c.secret.to_ascii_lowercase();
                    self.stopwords
                        .iter()
                        .position(|w| {
                            crate::filters::holds_word_written(
                                &lower_secret,
                                c.secret,
                                w.as_bytes(),
                            )
                        })
                        .map(|i| self.lines.stopwords[i])
                }),
            ),
            (
                SuppressKind::Allowlist,
                (!self.commits.is_empty()).then(|| {
                    c.commit.and_then(|sha| {
                        self.commits
                            .iter()
                            .position(|x| sha.starts_with(x.as_str()))
                            .map(|i| self.lines.commits[i])
                    })
                }),
            ),
            (
                SuppressKind::Allowlist,
                (!self.fingerprints.is_empty()).then(|| {
                    self.fingerprints
                        .contains(c.fingerprint)
                        .then_some(self.lines.fingerprints)
                }),
            ),
        ];
        let given: Vec<(SuppressKind, Option<usize>)> = checks
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        let at = |line: usize| format!("{}:{line}", self.origin);
        if self.all_required {
            if given.is_empty() || given.iter().any(|(_, l)| l.is_none()) {
                return None;
            }
            let kind = if given.iter().all(|(k, _)| *k == SuppressKind::Stopword) {
                SuppressKind::Stopword
            } else {
                SuppressKind::Allowlist
            };
            given[0].1.map(|l| (kind, at(l)))
        } else {
            given.iter().find_map(|(k, l)| l.map(|l| (*k, at(l))))
        }
    }
}

/// What `regexTarget = "line"` allowlists' regexes said of each long line asked about, so that the
/// hits sharing one line (`LineText`: a minified bundle holds thousands) ask each allowlist once,
/// not once per hit: a 20 MB keyword-dense line spent half its scan reading itself again per hit
/// (docs/engine.md, "Stop 23"). Keyed by the allowlist's and the line's addresses: the lines are
/// borrowed for `'l`, so none asked about is freed (and its address reused) while this is kept.
/// Lines under `LineMatches::LONG` bytes are read again: remembering them costs more than that.
#[derive(Default)]
pub struct LineMatches<'l> {
    seen: std::cell::RefCell<HashMap<(usize, usize, usize), Option<usize>>>,
    lines: std::marker::PhantomData<std::cell::Cell<&'l [u8]>>,
}

impl<'l> LineMatches<'l> {
    const LONG: usize = 256;

    /// `allowlist.first_regex_match(line)`, worked out once per allowlist and long line.
    pub fn first_match(&self, allowlist: &Allowlist, line: &'l [u8]) -> Option<usize> {
        if line.len() < Self::LONG {
            return allowlist.first_regex_match(line);
        }
        let key = (
            allowlist as *const Allowlist as usize,
            line.as_ptr() as usize,
            line.len(),
        );
        if let Some(&first) = self.seen.borrow().get(&key) {
            return first;
        }
        let first = allowlist.first_regex_match(line);
        self.seen.borrow_mut().insert(key, first);
        first
    }
}

#[cfg(test)]
thread_local! {
    /// How many texts this thread's allowlists read with their regexes (tests count line reads).
    pub(crate) static REGEX_TARGETS_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many texts this thread's allowlist sets read with the overlapping search (only those
    /// some pattern matches: `LazyDfa::first_match`).
    static OVERLAPPING_READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Where each entry of an allowlist was written, for `file:line` sources: line numbers (a built-in
/// file's are precompiled with the catalog, see `config::default_configs`).
#[derive(Debug, Default)]
pub struct EntryLines {
    pub regexes: Vec<usize>,
    pub paths: Vec<usize>,
    pub globs: Vec<usize>,
    pub stopwords: Vec<usize>,
    pub commits: Vec<usize>,
    /// Fingerprints are one set: the line of the list.
    pub fingerprints: usize,
}

#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub global: Vec<Allowlist>,
    /// What loading noticed without rejecting it (gitleaks keys leakguard ignores, gitleaks rule ids
    /// leakguard has no rule for, an `[extend] path` found only next to the config): reported in
    /// `stats.notes`.
    pub notes: Vec<String>,
}

impl RuleSet {
    /// The built-in rules alone.
    pub fn builtin() -> Result<RuleSet, ConfigErrors> {
        let mut configs = config::default_configs();
        let specs = take_specs(&mut configs);
        let mut l = Loader {
            defaults_loaded: true,
            ..Loader::default()
        };
        let merged = l.merge_layers(vec![configs.iter().zip(specs).collect()], &[], true);
        l.finish(merged)
    }

    /// The rules a scan uses with the config file at `path` on disk.
    pub fn from_config_file(path: &Path) -> Result<RuleSet, ConfigErrors> {
        RuleSet::from_config(&Source::Disk, &Place::Disk(path.to_path_buf()))
    }

    /// The rules a scan uses with the config file at `place` in `source` (gitleaks semantics: a file
    /// that defines rules and does not `[extend] useDefault = true` replaces the defaults; one that
    /// defines no rules, only allowlists, keeps them). Every problem of the chain is reported at once.
    pub fn from_config(source: &Source, place: &Place) -> Result<RuleSet, ConfigErrors> {
        let mut l = Loader::default();
        let mut chain = Vec::new();
        l.load_chain(source, place, &mut chain, 0)?;
        Self::from_chain(l, chain)
    }

    /// As `from_config_file`, for a config held in a string (an `[extend] path` in it is opened
    /// from the working directory, as gitleaks does). Tests and embedders need no file.
    pub fn from_toml_str(text: &str) -> Result<RuleSet, ConfigErrors> {
        let cfg = config::parse("<string>", text)?;
        let mut l = Loader::default();
        let mut chain = Vec::new();
        let base = cfg.file.extend.as_ref().and_then(|e| e.path.clone());
        if let Some(base) = base.filter(|_| cfg.problems.is_empty()) {
            let place = Place::Disk(Path::new(base.get_ref()).to_path_buf());
            l.load_chain(&Source::Disk, &place, &mut chain, 1)?;
        }
        chain.push(cfg);
        Self::from_chain(l, chain)
    }

    /// The rules of a config chain (base first) over the defaults it keeps.
    fn from_chain(mut l: Loader, mut chain: Vec<SourcedConfig>) -> Result<RuleSet, ConfigErrors> {
        let mut defaults = config::default_configs();
        for c in &mut chain {
            l.errors.append(&mut c.problems);
            l.notes.append(&mut c.notes);
        }
        let mut disabled = Vec::new();
        let mut layers: Vec<Layer> = Vec::new();
        let base_uses_default = chain.first().is_some_and(|c| {
            let ext = c.file.extend.as_ref();
            ext.is_some_and(|e| e.use_default)
                || (ext.is_none_or(|e| e.path.is_none()) && c.file.rules.is_empty())
        });
        // Taken out of the defaults only when they are a layer: `what_is_off` counts them when not.
        let default_specs = if base_uses_default {
            take_specs(&mut defaults)
        } else {
            Vec::new()
        };
        if base_uses_default {
            layers.push(defaults.iter().zip(default_specs).collect());
        }
        for c in &chain {
            if let Some(e) = &c.file.extend {
                disabled.extend(e.disabled_rules.iter().map(|d| (d.clone(), c)));
            }
            layers.push(vec![(c, c.file.rules.iter().map(clone_spec).collect())]);
        }
        l.defaults_loaded = base_uses_default;
        let disabled_ids: Vec<String> = disabled.iter().map(|(d, _)| d.get_ref().clone()).collect();
        let merged = l.merge_layers(layers, &disabled, base_uses_default);
        let mut set = l.finish(merged)?;
        set.notes.extend(what_is_off(
            &defaults,
            base_uses_default,
            &disabled_ids,
            &set,
        ));
        Ok(set)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

impl Rule {
    /// Whether `id` names this rule: its own id or one of its aliases (gitleaks' id for the same
    /// credential).
    pub fn answers_to(&self, id: &str) -> bool {
        &*self.id == id || self.aliases.iter().any(|a| a == id)
    }
}

/// What a config switched off, as notes: disabled rules are not run, so nothing counts what they
/// would have found; a config that replaces the defaults turns every built-in rule off at once.
fn what_is_off(
    defaults: &[SourcedConfig],
    uses_default: bool,
    disabled: &[String],
    set: &RuleSet,
) -> Vec<String> {
    let mut notes = Vec::new();
    let default_ids: Vec<&String> = defaults
        .iter()
        .flat_map(|c| c.file.rules.iter().map(|r| r.id.get_ref()))
        .collect();
    if !uses_default {
        let off = default_ids
            .iter()
            .filter(|id| set.get(id).is_none())
            .count();
        notes.push(format!(
            "the config replaces the built-in rules ([extend] useDefault is not true): {off} of {} default rules are off",
            default_ids.len()
        ));
    }
    let mut named: Vec<&str> = disabled.iter().map(String::as_str).collect();
    named.sort_unstable();
    named.dedup();
    if !named.is_empty() {
        notes.push(format!(
            "the config disables {} rule{}: {}",
            named.len(),
            if named.len() == 1 { "" } else { "s" },
            named.join(", ")
        ));
    }
    notes
}

/// One layer of configs to merge, each with its rule specs: a user's cloned from its file (the
/// file is kept, for the notes), the built-in ones taken out of the decoded files (`take_specs`):
/// cloning ~700 specs was 2.3M instructions of every start.
type Layer<'a> = Vec<(&'a SourcedConfig, Vec<RuleSpec>)>;

/// The rule specs of `configs`, taken out of them.
fn take_specs(configs: &mut [SourcedConfig]) -> Vec<Vec<RuleSpec>> {
    configs
        .iter_mut()
        .map(|c| std::mem::take(&mut c.file.rules))
        .collect()
}

/// Rule specs and global allowlists after merging layers: a later rule with an existing id overrides
/// the fields it sets and adds its allowlists, as gitleaks' `[extend]` does.
struct Merged<'a> {
    rules: Vec<(RuleSpec, &'a SourcedConfig)>,
    global: Vec<(AllowlistSpec, &'a SourcedConfig)>,
}

/// One load: the problems found so far (all reported together) and the notes.
#[derive(Default)]
struct Loader {
    errors: Vec<ConfigError>,
    notes: Vec<String>,
    /// The built-in rules are part of the set (gitleaks: its default config is).
    defaults_loaded: bool,
}

/// How many `[extend] path` links gitleaks follows (its maxExtendDepth).
const MAX_EXTEND_DEPTH: usize = 2;

impl Loader {
    fn finish(mut self, merged: Merged) -> Result<RuleSet, ConfigErrors> {
        let set = self.compile(merged);
        if self.errors.is_empty() {
            let mut set = set;
            set.notes = self.notes;
            Ok(set)
        } else {
            Err(ConfigErrors(self.errors))
        }
    }

    /// Follows `[extend] path` links, base first, as deep as gitleaks does.
    fn load_chain(
        &mut self,
        source: &Source,
        place: &Place,
        chain: &mut Vec<SourcedConfig>,
        depth: usize,
    ) -> Result<(), ConfigErrors> {
        // Bounded: a regular file or blob under the size limit (not /dev/zero, not a FIFO).
        let text = source
            .read(place, config_source::MAX_CONFIG_BYTES)
            .map_err(|e| ConfigError {
                origin: e.name,
                line: None,
                rule: None,
                message: format!("cannot load config: {}", e.reason),
            })?;
        let cfg = config::parse(&place.display(), &text)?;
        // A file with schema problems (`useDefault` with `path`, say) is not followed: its problems
        // are what to report.
        let mut follow = cfg.problems.is_empty();
        if let Some(base) = cfg.file.extend.as_ref().and_then(|e| e.path.as_ref()) {
            // gitleaks follows `[extend] path` two levels deep and ignores a third (so a cycle ends).
            if depth >= MAX_EXTEND_DEPTH {
                follow = false;
                self.notes.push(format!(
                    "{}:{}: [extend] path {:?} not followed: like gitleaks, leakguard follows [extend] path {MAX_EXTEND_DEPTH} levels deep",
                    cfg.origin,
                    cfg.line_of(base.span().start),
                    base.get_ref()
                ));
            }
        }
        if let Some(base) = cfg
            .file
            .extend
            .as_ref()
            .and_then(|e| e.path.clone())
            .filter(|_| follow)
        {
            let next = match place {
                Place::Disk(path) => Place::Disk(self.resolve_extend_path(path, &cfg, &base)?),
                // In a git tree (a range's base), the target is a blob of the same tree.
                Place::Tree(_) => source
                    .resolve_extend(place, base.get_ref())
                    .map_err(|m| err(&cfg, Some(base.span().start), None, m))?,
            };
            self.load_chain(source, &next, chain, depth + 1)?;
        }
        chain.push(cfg);
        Ok(())
    }

    /// gitleaks opens `[extend] path` as given, i.e. from the working directory. A path that exists
    /// only next to the config (what leakguard did before, and what a reader of the file may expect)
    /// is used with a note.
    fn resolve_extend_path(
        &mut self,
        config_path: &Path,
        cfg: &SourcedConfig,
        base: &toml::Spanned<String>,
    ) -> Result<std::path::PathBuf, ConfigError> {
        let given = Path::new(base.get_ref());
        if given.is_file() {
            return Ok(given.to_path_buf());
        }
        let beside = config_path.parent().unwrap_or(Path::new(".")).join(given);
        if beside.is_file() {
            self.notes.push(format!(
                "{}: [extend] path {:?} is not found from the working directory (where gitleaks looks); used {}",
                cfg.origin,
                base.get_ref(),
                beside.display()
            ));
            return Ok(beside);
        }
        Err(err(
            cfg,
            Some(base.span().start),
            None,
            format!(
                "[extend] path {:?}: no such file from the working directory, nor beside the config",
                base.get_ref()
            ),
        ))
    }

    fn merge_layers<'a>(
        &mut self,
        layers: Vec<Layer<'a>>,
        disabled: &[(toml::Spanned<String>, &SourcedConfig)],
        defaults_loaded: bool,
    ) -> Merged<'a> {
        let mut rules: Vec<(RuleSpec, &SourcedConfig)> = Vec::new();
        let mut index = SpecIndex::default();
        let mut global = Vec::new();
        for layer in layers {
            for (cfg, specs) in layer {
                let user = !is_builtin(cfg);
                for mut spec in specs {
                    if user {
                        translate_spec(&mut spec);
                    }
                    self.merge_rule(&mut rules, &mut index, spec, cfg, defaults_loaded);
                }
                for a in cfg.file.allowlist.iter().chain(&cfg.file.allowlists) {
                    let mut a = a.clone();
                    if user {
                        translate_allowlist(&mut a);
                    }
                    global.push((a, cfg));
                }
            }
        }
        for (d, cfg) in disabled {
            let id = d.get_ref();
            let before = rules.len();
            rules.retain(|(r, _)| r.id.get_ref() != id && !r.aliases.iter().any(|a| a == id));
            if rules.len() == before {
                let known = known_ids(&rules);
                self.unknown_id(cfg, d, "disabledRules", &known, "nothing to disable");
            }
        }
        Merged { rules, global }
    }

    /// Adds `spec` to `rules`, or merges it into the rule(s) it names by id or alias.
    fn merge_rule<'a>(
        &mut self,
        rules: &mut Vec<(RuleSpec, &'a SourcedConfig)>,
        index: &mut SpecIndex,
        spec: RuleSpec,
        cfg: &'a SourcedConfig,
        defaults_loaded: bool,
    ) {
        let id = spec.id.get_ref().clone();
        if let Some(&i) = index.by_id.get(&id) {
            let (base, origin) = &mut rules[i];
            // The overriding file now owns the rule: its regex is compiled eagerly and errors point at it.
            override_spec(base, spec);
            *origin = cfg;
            index.aliases.extend(base.aliases.iter().cloned());
            return;
        }
        // A built-in rule is never another's extension: its id is its own, even where an earlier
        // built-in rule carries it as an alias (`vault-legacy-token` has gitleaks'
        // `vault-service-token`, a rule of ours too). Merged by alias, the later rule vanished into
        // the earlier one, silently, whenever the files' order put the alias first.
        let by_alias: Vec<usize> = if index.aliases.contains(&id) && !is_builtin(cfg) {
            (0..rules.len())
                .filter(|&i| rules[i].0.aliases.contains(&id))
                .collect()
        } else {
            Vec::new()
        };
        if !by_alias.is_empty() {
            for i in by_alias {
                let mut over = clone_spec(&spec);
                // The canonical id stays (fingerprints and baselines start with it); the span moves
                // to the extending file so that messages point there.
                over.id = toml::Spanned::new(spec.id.span(), rules[i].0.id.get_ref().clone());
                override_spec(&mut rules[i].0, over);
                rules[i].1 = cfg;
                index.aliases.extend(rules[i].0.aliases.iter().cloned());
            }
            return;
        }
        if spec.regex.is_none() && spec.path.is_none() && !is_builtin(cfg) && !id.trim().is_empty()
        {
            // An extension of a rule that is not there.
            if defaults_loaded && gitleaks_ids::is_default_id(&id) {
                self.notes.push(format!(
                    "{}:{}: [[rules]] '{id}' extends gitleaks' rule of that id, which leakguard has no rule for; ignored",
                    cfg.origin,
                    cfg.line_of(spec.id.span().start)
                ));
            } else {
                let known = known_ids(rules);
                self.errors.push(err(
                    cfg,
                    Some(spec.id.span().start),
                    Some(&id),
                    format!(
                        "a rule needs a `regex`, a `path`, or both; it extends no known rule{}",
                        closest(&id, &known)
                    ),
                ));
            }
            return;
        }
        index.by_id.entry(id).or_insert(rules.len());
        index.aliases.extend(spec.aliases.iter().cloned());
        rules.push((spec, cfg));
    }

    /// A rule id that names no rule: a gitleaks default id leakguard does not cover is noted (a real
    /// `.gitleaks.toml` still loads), anything else is an error with the closest known ids.
    fn unknown_id(
        &mut self,
        cfg: &SourcedConfig,
        id: &toml::Spanned<String>,
        key: &str,
        known: &[String],
        consequence: &str,
    ) {
        let line = cfg.line_of(id.span().start);
        // Without the defaults, a gitleaks id names nothing in gitleaks either: an error (gitleaks
        // rejects such a targetRules entry; it only warns about disabledRules).
        let lenient = self.defaults_loaded || key == "disabledRules";
        if lenient && gitleaks_ids::is_default_id(id.get_ref()) {
            self.notes.push(format!(
                "{}:{line}: {key}: '{}' is a gitleaks rule leakguard has no rule for; {consequence}",
                cfg.origin,
                id.get_ref()
            ));
        } else {
            self.errors.push(err(
                cfg,
                Some(id.span().start),
                None,
                format!(
                    "{key}: unknown rule id '{}'{}",
                    id.get_ref(),
                    closest(id.get_ref(), known)
                ),
            ));
        }
    }

    fn compile(&mut self, merged: Merged) -> RuleSet {
        let mut rules = Vec::with_capacity(merged.rules.len());
        for (spec, cfg) in merged.rules {
            match compile_rule(spec, cfg) {
                Ok(r) => rules.push(r),
                Err(mut e) => self.errors.append(&mut e),
            }
        }
        let mut global = Vec::new();
        // Every id and alias, for the message about a target that names none: listed when one
        // does (it was ~1,500 strings copied at every start; docs/engine.md, "Stop 40").
        let mut known: Option<Vec<String>> = None;
        for (a, cfg) in merged.global {
            let mut errs = Vec::new();
            let mut list = compile_allowlist(&a, cfg, None, &mut errs);
            self.errors.append(&mut errs);
            // targetRules name rules by id or alias; the compiled allowlist holds canonical ids.
            let mut targets = Vec::new();
            for t in &a.target_rules {
                let matched: Vec<String> = rules
                    .iter()
                    .filter(|r| r.answers_to(t.get_ref()))
                    .map(|r| r.id.to_string())
                    .collect();
                if matched.is_empty() {
                    let known = known.get_or_insert_with(|| {
                        rules
                            .iter()
                            .flat_map(|r: &Rule| {
                                std::iter::once(r.id.to_string()).chain(r.aliases.iter().cloned())
                            })
                            .collect()
                    });
                    self.unknown_id(cfg, t, "targetRules", known, "that target is skipped");
                }
                targets.extend(matched);
            }
            if !a.target_rules.is_empty() && targets.is_empty() {
                // Every target is absent: the allowlist applies to nothing (not to everything).
                continue;
            }
            list.target_rules = targets;
            global.push(list);
        }
        RuleSet {
            rules,
            global,
            notes: Vec::new(),
        }
    }
}

/// Every id and alias of the rules so far, for "closest known ids".
fn known_ids(rules: &[(RuleSpec, &SourcedConfig)]) -> Vec<String> {
    rules
        .iter()
        .flat_map(|(r, _)| std::iter::once(r.id.get_ref().clone()).chain(r.aliases.iter().cloned()))
        .collect()
}

/// "; closest known ids: a, b" (leakguard's ids, aliases and gitleaks' default ids), or nothing.
fn closest(id: &str, known: &[String]) -> String {
    let mut scored: Vec<(usize, &str)> = known
        .iter()
        .map(String::as_str)
        .chain(gitleaks_ids::DEFAULT_RULE_IDS.iter().copied())
        .map(|k| (strsim::damerau_levenshtein(id, k), k))
        .filter(|(d, _)| *d <= 3.max(id.len() / 3))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let names: Vec<&str> = scored.iter().take(3).map(|(_, k)| *k).collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("; closest known ids: {}", names.join(", "))
    }
}

/// A user's regexes are Go RE2 (gitleaks' dialect): rewritten to Rust syntax with the same meaning.
fn translate_spec(spec: &mut RuleSpec) {
    for r in spec.regex.iter_mut().chain(spec.path.iter_mut()) {
        translate_spanned(r);
    }
    for a in spec.allowlist.iter_mut().chain(spec.allowlists.iter_mut()) {
        translate_allowlist(a);
    }
}

fn translate_allowlist(a: &mut AllowlistSpec) {
    for r in a.regexes.iter_mut().chain(a.paths.iter_mut()) {
        translate_spanned(r);
    }
}

fn translate_spanned(r: &mut toml::Spanned<String>) {
    if let std::borrow::Cow::Owned(t) = goregex::translate(r.get_ref()) {
        *r = toml::Spanned::new(r.span(), t);
    }
}

fn clone_spec(s: &RuleSpec) -> RuleSpec {
    RuleSpec {
        id: s.id.clone(),
        description: s.description.clone(),
        regex: s.regex.clone(),
        secret_group: s.secret_group,
        entropy: s.entropy,
        keywords: s.keywords.clone(),
        path: s.path.clone(),
        tags: s.tags.clone(),
        aliases: s.aliases.clone(),
        allowlist: s.allowlist.clone(),
        allowlists: s.allowlists.clone(),
        validators: s.validators.clone(),
        short_validator: s.short_validator.clone(),
        skip_placeholders: s.skip_placeholders,
        lines: s.lines.clone(),
        examples: s.examples.clone(),
        severity: s.severity.clone(),
        verify: s.verify.clone(),
    }
}

/// gitleaks' merge of an extending rule into the rule it names: scalar fields given replace the
/// base's, tags, keywords and allowlists are added to it.
fn override_spec(base: &mut RuleSpec, over: RuleSpec) {
    base.id = over.id.clone();
    macro_rules! take {
        ($($f:ident),*) => { $( if over.$f.is_some() { base.$f = over.$f; } )* };
    }
    take!(
        description,
        regex,
        secret_group,
        entropy,
        short_validator,
        path,
        skip_placeholders,
        lines,
        examples,
        severity,
        verify
    );
    if let Some(extra) = over.keywords {
        let mut kw = base.keywords.take().unwrap_or_default();
        kw.extend(
            extra
                .into_iter()
                .filter(|k| !kw.contains(k))
                .collect::<Vec<_>>(),
        );
        base.keywords = Some(kw);
    }
    for t in over.tags {
        if !base.tags.contains(&t) {
            base.tags.push(t);
        }
    }
    for a in over.aliases {
        if !base.aliases.contains(&a) {
            base.aliases.push(a);
        }
    }
    if !over.validators.is_empty() {
        base.validators = over.validators;
    }
    base.allowlists.extend(over.allowlist);
    base.allowlists.extend(over.allowlists);
}

fn err(
    cfg: &SourcedConfig,
    offset: Option<usize>,
    rule: Option<&str>,
    message: String,
) -> ConfigError {
    ConfigError {
        origin: cfg.origin.clone(),
        line: offset.map(|o| cfg.line_of(o)),
        rule: rule.map(str::to_string),
        message,
    }
}

/// Where `merge_rule` finds a rule by id without comparing it with every rule before it (the
/// ~690 built-in specs cost ~240k string compares, 7M instructions at every start).
#[derive(Default)]
struct SpecIndex {
    /// Each id's first rule in the merged list (ids do not change once merged).
    by_id: HashMap<String, usize>,
    /// Every alias any merged rule has had: an id not here names no rule by alias.
    aliases: HashSet<String>,
}

/// Built-in rule files are embedded in the binary and named `<builtin>/rules/…`.
fn is_builtin(cfg: &SourcedConfig) -> bool {
    cfg.origin.starts_with(config::BUILTIN_ORIGIN)
}

pub(crate) fn build_bytes_regex(src: &str) -> Result<BytesRegex, regex::Error> {
    // Unicode off: ASCII classes and case folding are what secrets need, and it is markedly faster.
    // Patterns that need Unicode (\p{..}) fall back to the Unicode-aware build.
    let build = |unicode: bool| {
        BytesRegexBuilder::new(src)
            .unicode(unicode)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
    };
    build(false).or_else(|first| build(true).map_err(|_| first))
}

/// A path regex, under the same size limit as content regexes: a config cannot make loading hang.
fn build_str_regex(src: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(src)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// Compiles one rule; every problem in it (each bad regex, validator, allowlist) is returned, not
/// only the first.
fn compile_rule(mut spec: RuleSpec, cfg: &SourcedConfig) -> Result<Rule, Vec<ConfigError>> {
    let id = spec.id.get_ref().clone();
    let id_at = Some(spec.id.span().start);
    if id.trim().is_empty() {
        return Err(vec![err(
            cfg,
            id_at,
            None,
            "a rule needs a non-empty id".into(),
        )]);
    }
    let mut errs = Vec::new();
    let regex = match &mut spec.regex {
        // The spec's own string, moved (a copy of each was ~900 allocations of every start):
        // the spec's is read no more but for being there (`lines` reads the rule's regex).
        Some(src) if is_builtin(cfg) => Some(RuleRegex::lazy_owned(std::mem::take(src.get_mut()))),
        Some(src) => RuleRegex::eager(src.get_ref())
            .map_err(|e| {
                errs.push(err(
                    cfg,
                    Some(src.span().start),
                    Some(&id),
                    format!("invalid regex: {}", one_line(&e.to_string())),
                ))
            })
            .ok(),
        None => None,
    };
    let path = match &spec.path {
        Some(src) if is_builtin(cfg) => Some(PathRegex::builtin(src.get_ref())),
        Some(src) => PathRegex::eager(src.get_ref())
            .map_err(|e| {
                errs.push(err(
                    cfg,
                    Some(src.span().start),
                    Some(&id),
                    format!("invalid path regex: {}", one_line(&e.to_string())),
                ))
            })
            .ok(),
        None => None,
    };
    if spec.regex.is_none() && spec.path.is_none() {
        errs.push(err(
            cfg,
            id_at,
            Some(&id),
            "a rule needs a `regex`, a `path`, or both".into(),
        ));
    }
    if let (Some(group), Some(re)) = (
        spec.secret_group,
        regex.as_ref().filter(|_| !is_builtin(cfg)),
    ) {
        let re = re.get();
        if group >= re.captures_len() {
            errs.push(err(
                cfg,
                spec.regex.as_ref().map(|r| r.span().start),
                Some(&id),
                format!(
                    "secretGroup = {group}, but the regex has only {} capture group(s)",
                    re.captures_len() - 1
                ),
            ));
        }
    }
    let unknown_validator = |name: &str| {
        format!(
            "unknown validator '{name}' (known: {})",
            Validator::NAMES.join(", ")
        )
    };
    let mut validators = Vec::new();
    for v in &spec.validators {
        match Validator::parse(v.get_ref()) {
            Some(x) => validators.push(x),
            None => errs.push(err(
                cfg,
                Some(v.span().start),
                Some(&id),
                unknown_validator(v.get_ref()),
            )),
        }
    }
    // Only a secret under the entropy floor asks it: without a floor it would judge nothing.
    let short_validator = match &spec.short_validator {
        None => None,
        Some(v) => match Validator::parse(v.get_ref()) {
            Some(_) if spec.entropy.is_none_or(|e| e <= 0.0) => {
                errs.push(err(
                    cfg,
                    Some(v.span().start),
                    Some(&id),
                    "shortValidator keeps secrets under the entropy floor, but the rule sets no entropy".to_string(),
                ));
                None
            }
            Some(x) => Some(x),
            None => {
                errs.push(err(
                    cfg,
                    Some(v.span().start),
                    Some(&id),
                    unknown_validator(v.get_ref()),
                ));
                None
            }
        },
    };
    let mut allowlists = Vec::new();
    for a in spec.allowlist.iter().chain(spec.allowlists.iter()) {
        allowlists.push(compile_allowlist(a, cfg, Some(&id), &mut errs));
    }
    let declared = spec.lines.as_ref().and_then(|l| {
        Lines::parse(l.get_ref()).or_else(|| {
            errs.push(err(
                cfg,
                Some(l.span().start),
                Some(&id),
                format!(
                    "unknown lines '{}' (known: one, many, or a count of lines from 2 to 16)",
                    l.get_ref()
                ),
            ));
            None
        })
    });
    // The compiled rule's regex: a user's that failed to compile returned above.
    let lines = declared.or_else(|| {
        regex
            .as_ref()
            .is_some_and(|r| sets_dot_all(r.as_str()))
            .then_some(Lines::Many)
    });
    let severity = match &spec.severity {
        None => Severity::default(),
        Some(s) => Severity::parse(s.get_ref()).unwrap_or_else(|| {
            errs.push(err(
                cfg,
                Some(s.span().start),
                Some(&id),
                format!(
                    "unknown severity '{}' (known: {})",
                    s.get_ref(),
                    Severity::NAMES.join(", ")
                ),
            ));
            Severity::default()
        }),
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    // gitleaks treats a rule whose id contains "generic" as one (its generic-api-key has no tag).
    let generic = spec.tags.iter().any(|t| t == "generic")
            // Without a lowered copy of each id (an allocation per rule at every start).
            || id
                .as_bytes()
                .windows(7)
                .any(|w| w.eq_ignore_ascii_case(b"generic"));
    // A `fallback` rule (password-in-text: a password in prose or under a short name) is looser
    // than the generic assignments: where one of them found the same value, it says nothing more.
    // A `weak-password` fallback (a password literal of any strength, severity low) yields even to
    // the other fallbacks: where password-in-text reports the value, that finding (high) is the one.
    let yields = if spec.tags.iter().any(|t| t == "fallback") {
        if spec.tags.iter().any(|t| t == "weak-password") {
            4
        } else {
            3
        }
    } else if generic {
        2
    } else if spec
        .tags
        .iter()
        .any(|t| t == "vendor-context" || t == "any-issuer")
    {
        // `any-issuer`: a format every issuer shares (a signed JWT). A rule that names the issuer
        // beside it (CARTO's, Turso's token) says more of the same value, as a vendor-context
        // rule does of a bare value.
        1
    } else {
        0
    };
    let keywords = spec
        .keywords
        .unwrap_or_default()
        .into_iter()
        .filter(|k| !k.is_empty())
        // In place: a lowered copy of each was ~3,500 allocations of every start.
        .map(|mut k| {
            k.make_ascii_lowercase();
            k
        })
        .collect();
    Ok(Rule {
        description: spec.description.unwrap_or_else(|| id.clone()).into(),
        id: id.into(),
        aliases: spec.aliases,
        regex,
        secret_group: spec.secret_group,
        entropy: spec.entropy.filter(|e| *e > 0.0),
        keywords,
        path,
        tags: spec.tags.into(),
        allowlists,
        validators,
        short_validator,
        skip_placeholders: spec.skip_placeholders.unwrap_or(true),
        lines,
        lines_declared: declared.is_some(),
        generic,
        yields,
        examples: spec.examples,
        verify: spec.verify,
        origin: cfg.origin.clone(),
        severity,
    })
}

/// Compiles an allowlist; problems are pushed to `errs` and the bad entries left out.
fn compile_allowlist(
    a: &AllowlistSpec,
    cfg: &SourcedConfig,
    rule: Option<&str>,
    errs: &mut Vec<ConfigError>,
) -> Allowlist {
    // gitleaks also accepts `&&` and `||`.
    let all_required = match a
        .condition
        .as_ref()
        .map(|c| c.get_ref().to_ascii_uppercase())
    {
        None => false,
        Some(c) if c == "OR" || c == "||" || c.is_empty() => false,
        Some(c) if c == "AND" || c == "&&" => true,
        Some(other) => {
            let at = a.condition.as_ref().map(|c| c.span().start);
            errs.push(err(
                cfg,
                at,
                rule,
                format!("allowlist condition must be \"OR\" or \"AND\", not {other:?}"),
            ));
            false
        }
    };
    let target = match a.regex_target.as_ref().map(|t| t.get_ref().as_str()) {
        None | Some("secret") | Some("") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => {
            let at = a.regex_target.as_ref().map(|t| t.span().start);
            errs.push(err(
                cfg,
                at,
                rule,
                format!("regexTarget must be \"secret\", \"match\" or \"line\", not {other:?}"),
            ));
            RegexTarget::Secret
        }
    };
    let mut regexes = Vec::new();
    for r in &a.regexes {
        if is_builtin(cfg) {
            regexes.push(RuleRegex::lazy(r.get_ref()));
            continue;
        }
        match RuleRegex::eager(r.get_ref()) {
            Ok(x) => regexes.push(x),
            Err(e) => errs.push(err(
                cfg,
                Some(r.span().start),
                rule,
                format!("invalid allowlist regex: {}", one_line(&e.to_string())),
            )),
        }
    }
    let mut paths = Vec::new();
    for r in &a.paths {
        if is_builtin(cfg) {
            paths.push(PathRegex::builtin(r.get_ref()));
            continue;
        }
        match PathRegex::eager(r.get_ref()) {
            Ok(x) => paths.push(x),
            Err(e) => errs.push(err(
                cfg,
                Some(r.span().start),
                rule,
                format!("invalid allowlist path regex: {}", one_line(&e.to_string())),
            )),
        }
    }
    let globs = if a.globs.is_empty() {
        None
    } else {
        let mut b = GlobSetBuilder::new();
        for g in &a.globs {
            match Glob::new(g.get_ref()) {
                Ok(x) => {
                    b.add(x);
                }
                Err(e) => errs.push(err(
                    cfg,
                    Some(g.span().start),
                    rule,
                    format!("invalid glob: {e}"),
                )),
            }
        }
        match b.build() {
            Ok(set) => Some(set),
            Err(e) => {
                errs.push(err(cfg, None, rule, format!("invalid globs: {e}")));
                None
            }
        }
    };
    Allowlist {
        all_required,
        target,
        // A user's regexes were compiled at load (to report a bad one); a built-in list, which
        // the tests compile, waits for its first candidate.
        regex_set: (is_builtin(cfg) && !regexes.is_empty()).then(OnceLock::new),
        regexes,
        paths,
        globs,
        stopwords: a
            .stopwords
            .iter()
            .map(|s| s.get_ref().to_ascii_lowercase())
            .collect(),
        commits: a
            .commits
            .iter()
            .map(|c| c.get_ref().trim().to_ascii_lowercase())
            .collect(),
        fingerprints: a.fingerprints.iter().map(|f| f.get_ref().clone()).collect(),
        target_rules: a.target_rules.iter().map(|t| t.get_ref().clone()).collect(),
        origin: cfg.origin.clone(),
        lines: EntryLines {
            regexes: lines_of(cfg, &a.regexes),
            paths: lines_of(cfg, &a.paths),
            globs: lines_of(cfg, &a.globs),
            stopwords: lines_of(cfg, &a.stopwords),
            commits: lines_of(cfg, &a.commits),
            fingerprints: lines_of(cfg, &a.fingerprints).first().copied().unwrap_or(0),
        },
    }
}

fn lines_of(cfg: &SourcedConfig, entries: &[toml::Spanned<String>]) -> Vec<usize> {
    entries
        .iter()
        .map(|e| cfg.line_of(e.span().start))
        .collect()
}

/// regex errors span several lines with a caret diagram; a message should be one line.
fn one_line(s: &str) -> String {
    let lines: Vec<&str> = s
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '^' || c == ' '))
        .collect();
    lines.join(" ")
}

/// A rule's `lines` key: whether its matches may go on past its keyword's line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// Its keyword's line only: a class such as `[^"]` or `\s` stops at the line's end.
    One,
    /// Its keyword's line and the lines after it (16 KiB on): a JWK over lines, a key block.
    Many,
    /// `Many`, but every match starts on its keyword's line and spans at most this many lines
    /// (2 to 16, `lines = "2"`): a name on one line and its value on the next. Its windows end
    /// that many lines on (`engine::windows::Reach::Count`); `rules --check` refuses a count
    /// its regex can match more line breaks than (`examples::check`).
    Count(u8),
}

impl Lines {
    fn parse(s: &str) -> Option<Lines> {
        match s {
            "one" => Some(Lines::One),
            "many" => Some(Lines::Many),
            _ => match s.parse::<u8>() {
                Ok(n) if (2..=16).contains(&n) && !s.starts_with(['+', '0']) => {
                    Some(Lines::Count(n))
                }
                _ => None,
            },
        }
    }
}

/// Whether a regex's text turns the `s` flag on (`(?s)`, `(?is)`, `(?s:…)`, not `(?-s)`): the
/// author's word that matches cross lines, even where no `.` is left for the flag to act on and
/// `\s` does the crossing (`credentials\s*\{\s*username…` over a Gradle block). An escaped
/// `\(?s` is a literal parenthesis, not a flag.
pub(crate) fn sets_dot_all(src: &str) -> bool {
    // `memmem`, not `match_indices`: asked of every rule at every start-up, the two-way search
    // was 1.5M instructions of it (docs/engine.md, "Stop 39").
    memchr::memmem::find_iter(src.as_bytes(), b"(?").any(|i| {
        let escaped = src[..i].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
        !escaped
            && src[i + 2..]
                .bytes()
                .take_while(|b| b.is_ascii_alphabetic())
                .any(|b| b == b's')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s_flag_is_read_where_it_is_turned_on() {
        for src in [
            r"(?s)a.b",
            r"(?is)a.b",
            r"(?si-m)a",
            r"x(?s:.)y",
            r"(?i)a(?s)b",
        ] {
            assert!(sets_dot_all(src), "{src}");
        }
        for src in [
            r"(?i)a.b",
            r"(?-s)a.b",
            r"(?i-s)a",
            r"\(?s)",
            r"(?P<s>a)",
            r"a\s+b",
        ] {
            assert!(!sets_dot_all(src), "{src}");
        }
    }

    #[test]
    fn a_built_in_rule_is_never_merged_into_another_by_its_alias() {
        let builtin = |name: &str, text: &str| {
            config::parse(&format!("{}rules/{name}", config::BUILTIN_ORIGIN), text).unwrap()
        };
        let mut configs = vec![
            builtin(
                "a.toml",
                "[[rules]]\nid = \"acme-legacy\"\nregex = 'acme_([a-z]{8})'\nkeywords = [\"acme_\"]\naliases = [\"acme-token\"]\n",
            ),
            builtin(
                "b.toml",
                "[[rules]]\nid = \"acme-token\"\nregex = 'acmt_([a-z]{8})'\nkeywords = [\"acmt_\"]\n",
            ),
        ];
        let specs = take_specs(&mut configs);
        let mut l = Loader {
            defaults_loaded: true,
            ..Loader::default()
        };
        let merged = l.merge_layers(vec![configs.iter().zip(specs).collect()], &[], true);
        let set = l.finish(merged).unwrap();
        let ids: Vec<&str> = set.rules.iter().map(|r| &*r.id).collect();
        assert_eq!(ids, ["acme-legacy", "acme-token"]);
        // A user's rule of an alias still extends the rule that carries it (gitleaks' ids).
        let user = RuleSet::from_toml_str(
            "[extend]\nuseDefault = true\n[[rules]]\nid = \"vault-service-token\"\ndescription = \"mine\"\n",
        )
        .unwrap();
        assert!(user
            .rules
            .iter()
            .any(|r| &*r.id == "vault-service-token" && &*r.description == "mine"));
        // Every rule the catalog's files define is a rule of the built-in set.
        let defined: usize = config::default_configs()
            .iter()
            .map(|c| c.file.rules.len())
            .sum();
        assert_eq!(RuleSet::builtin().unwrap().rules.len(), defined);
    }

    #[test]
    fn a_short_validator_is_a_known_validator_under_an_entropy_floor() {
        let load = |extra: &str| {
            RuleSet::from_toml_str(&format!(
                "[[rules]]\nid = \"r\"\nregex = 'key=(\\w{{8,}})'\nkeywords = [\"key\"]\n{extra}"
            ))
        };
        let rule = load("entropy = 3.5\nshortValidator = \"interleaved\"")
            .unwrap()
            .rules
            .remove(0);
        assert_eq!(rule.short_validator, Some(Validator::Interleaved));
        let err = load("entropy = 3.5\nshortValidator = \"nope\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown validator 'nope'"), "{err}");
        let err = load("shortValidator = \"interleaved\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("sets no entropy"), "{err}");
        // generic-secret-assignment judges its short values so.
        let builtin = RuleSet::builtin().unwrap();
        let generic = builtin
            .rules
            .iter()
            .find(|r| &*r.id == "generic-secret-assignment")
            .unwrap();
        assert_eq!(generic.short_validator, Some(Validator::Interleaved));
    }

    #[test]
    fn a_rules_lines_key_is_one_or_many() {
        let load = |lines: &str| {
            RuleSet::from_toml_str(&format!(
                "[[rules]]\nid = \"r\"\nregex = 'key=(\\w{{8}})'\nkeywords = [\"key\"]\n{lines}"
            ))
        };
        let rule = |lines: &str| load(lines).unwrap().rules.remove(0);
        assert_eq!(rule("lines = \"one\"").lines, Some(Lines::One));
        assert_eq!(rule("lines = \"many\"").lines, Some(Lines::Many));
        assert!(rule("lines = \"many\"").lines_declared);
        assert_eq!(rule("").lines, None);
        assert!(!rule("").lines_declared);
        let err = load("lines = \"two\"").unwrap_err().to_string();
        assert!(err.contains("unknown lines 'two'"), "{err}");
        assert_eq!(rule("lines = \"2\"").lines, Some(Lines::Count(2)));
        assert_eq!(rule("lines = \"16\"").lines, Some(Lines::Count(16)));
        for bad in ["1", "17", "02", "+2", "-2"] {
            let err = load(&format!("lines = \"{bad}\"")).unwrap_err().to_string();
            assert!(err.contains(&format!("unknown lines '{bad}'")), "{err}");
        }
    }

    #[test]
    fn a_built_in_allowlists_regex_set_names_the_entry_its_regexes_name_one_by_one() {
        // Every built-in allowlist of several regexes, asked through its set (built on first use)
        // and each regex alone, on the words and lines of every rule's examples and on pieces of
        // the allowlist's own patterns (so that entries match): the same first entry, or none.
        let set = RuleSet::builtin().unwrap();
        let mut texts: Vec<String> = Vec::new();
        for r in &set.rules {
            if let Some(ex) = r.examples() {
                for e in ex.positive.iter().chain(&ex.negative) {
                    texts.push(e.clone());
                    texts.extend(e.split([' ', '"', '\'', '=', ':']).map(String::from));
                }
            }
            for a in &r.allowlists {
                for re in &a.regexes {
                    let plain: String = re
                        .as_str()
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || "._-@/".contains(*c))
                        .collect();
                    texts.push(plain);
                }
            }
        }
        let (mut lists, mut named) = (0, 0);
        for a in set.rules.iter().flat_map(|r| &r.allowlists) {
            if a.regex_set.is_none() {
                continue;
            }
            lists += 1;
            for t in &texts {
                let alone = a
                    .regexes
                    .iter()
                    .position(|r| r.get().is_match(t.as_bytes()));
                assert_eq!(
                    a.first_regex_match(t.as_bytes()),
                    alone,
                    "{:?} on {t:?}",
                    a.origin
                );
                // Answered by the set itself, not by the regexes it falls back on.
                let set = a
                    .regex_set
                    .as_ref()
                    .unwrap()
                    .get()
                    .unwrap()
                    .as_ref()
                    .unwrap_or_else(|| panic!("{}: its regexes built no set", a.origin));
                let before = OVERLAPPING_READS.with(|n| n.get());
                assert_eq!(set.first_match(t.as_bytes()), Some(alone), "{t:?}");
                // A text no pattern matches is answered by the first search alone.
                let after = OVERLAPPING_READS.with(|n| n.get());
                assert_eq!(after - before, usize::from(alone.is_some()), "{t:?}");
                named += usize::from(alone.is_some());
            }
            assert!(
                a.regex_set.as_ref().unwrap().get().unwrap().is_some(),
                "{}",
                a.origin
            );
        }
        assert!(
            lists > 20 && named > 1000,
            "{lists} lists, {named} texts named an entry"
        );
    }

    #[test]
    fn a_path_regex_selects_exactly_the_paths_its_compiled_regex_selects() {
        // Every built-in path regex (and a few written to probe the endings test) against the
        // regex crate on paths built from the regexes' own literals in every casing, with the
        // Unicode case variants `(?i)` admits (KELVIN SIGN for k, LONG S for s), cut short,
        // extended and under directories. The endings test may only turn away paths the regex
        // does not select: it fails if an ending is cut from the wrong side, compared with case
        // where the regex ignores it, or taken from a regex whose alternatives do not all end
        // with `$`.
        let set = RuleSet::builtin().unwrap();
        let mut sources: Vec<String> = set
            .rules
            .iter()
            .filter_map(|r| r.path.as_ref().map(|p| p.as_str().to_string()))
            .chain(
                set.rules
                    .iter()
                    .flat_map(|r| &r.allowlists)
                    .chain(&set.global)
                    .flat_map(|a| &a.paths)
                    .map(|p| p.as_str().to_string()),
            )
            .collect();
        sources.extend(
            [
                r"(?i)\.(?:key|pem)$|credentials",
                r"secret\.(?:ya?ml)$|^config/",
                r"(?m)\.pem$",
                r"\.env\z",
                r"(?i)\.(?:jks|keystore)$",
                r"(?:^|/)\.?netrc(?:\.bak)?$",
                // Classes whose Unicode and ASCII meanings differ off ASCII only.
                r"(?i)\bconfig\w*\s?\.d.$",
                r"^[^/]+/\S+\.key$|(?i)[[:^alpha:]]keystore\D",
                // Needs Unicode: asked of the Unicode regex, ASCII or not.
                r"(?i)\p{L}+\.pem$",
            ]
            .map(String::from),
        );
        let mut rng = crate::testrng::Rng(0x9a7e_5eed);
        let (mut by_dfa, mut by_reverse) = (0, 0);
        let (mut turned_away, mut selected) = (0, 0);
        for src in &sources {
            let re = PathRegex::lazy(src);
            let oracle = build_str_regex(src).unwrap();
            // The regex's own words, as path pieces.
            let words: Vec<String> = src
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-'))
                .filter(|w| !w.is_empty())
                .map(|w| w.replace("\\", ""))
                .collect();
            for _ in 0..400 {
                let mut path = String::new();
                for _ in 0..rng.below(3) {
                    path.push_str(
                        ["src", "config", ".aws", "deploy", "a b", "é"][rng.below(6) as usize],
                    );
                    path.push('/');
                }
                for _ in 0..1 + rng.below(2) {
                    let w = &words[rng.below(words.len() as u64) as usize];
                    let w: String = w
                        .chars()
                        .map(|c| match (c, rng.below(6)) {
                            ('k', 0) => '\u{212A}',
                            ('s', 0) => '\u{17F}',
                            (c, 1) => c.to_ascii_uppercase(),
                            (c, _) => c,
                        })
                        .collect();
                    let cut = rng.below(w.chars().count() as u64 + 1) as usize;
                    match rng.below(4) {
                        0 => path.extend(w.chars().take(cut)),
                        1 => path.extend(w.chars().skip(cut)),
                        _ => path.push_str(&w),
                    }
                }
                if rng.below(5) == 0 {
                    path.push_str([".bak", "x", "/", ".py"][rng.below(4) as usize]);
                }
                // Any ASCII character, controls and spaces included, somewhere in the path.
                if rng.below(3) == 0 {
                    let at = (0..=path.len())
                        .filter(|&i| path.is_char_boundary(i))
                        .nth(rng.below(path.chars().count() as u64 + 1) as usize)
                        .unwrap_or(0);
                    path.insert(at, char::from(rng.below(128) as u8));
                }
                let expected = oracle.is_match(&path);
                assert_eq!(re.is_match(&path), expected, "{src} on {path:?}");
                // An ASCII path is answered by the lazy DFA itself, not the Unicode fallback.
                if let Some(Some(dfa)) = re.ascii.get().filter(|_| path.is_ascii()) {
                    assert_eq!(dfa.is_match(path.as_bytes()), Some(expected), "{src}");
                    by_dfa += 1;
                    by_reverse += usize::from(dfa.reverse);
                }
                if expected {
                    selected += 1;
                } else if path.is_ascii() && re.endings().is_some_and(|e| !e.end(path.as_bytes())) {
                    turned_away += 1;
                }
            }
        }
        assert!(
            turned_away > 2000 && selected > 400 && by_dfa > 2000 && by_reverse > 1500,
            "{turned_away} turned away by their endings, {selected} selected, {by_dfa} by a DFA, \
             {by_reverse} of them reversed"
        );
        assert!(sources.len() > 25, "{}", sources.len());
    }

    #[test]
    fn every_built_in_path_regex_has_the_endings_build_rs_worked_out_as_they_are_worked_out_now() {
        // A built-in path regex's endings come from build.rs (`PathRegex::builtin`): they must be
        // what `PathEndings::of` gives now, for every one (a stale or missing table fails here).
        let set = RuleSet::builtin().unwrap();
        let mut checked = 0;
        let paths = set.rules.iter().filter_map(|r| r.path.as_ref()).chain(
            set.rules
                .iter()
                .flat_map(|r| &r.allowlists)
                .chain(&set.global)
                .flat_map(|a| &a.paths),
        );
        for p in paths {
            let table = precomputed_endings(p.as_str());
            assert_eq!(table, Some(PathEndings::of(p.as_str())), "{}", p.as_str());
            assert_eq!(p.endings.get(), table.as_ref(), "{}", p.as_str());
            checked += 1;
        }
        assert!(checked > 20, "{checked}");
        assert_eq!(precomputed_endings(r"(?i)\.not-built-in$"), None);
    }

    #[test]
    fn built_in_allowlist_entries_are_named_by_the_line_they_are_written_on() {
        let set = RuleSet::builtin().unwrap();
        let mut checked = 0;
        for a in set
            .rules
            .iter()
            .flat_map(|r| &r.allowlists)
            .chain(&set.global)
        {
            let name = a.origin.trim_start_matches(config::BUILTIN_ORIGIN);
            let text = &config::default_rule_files()
                .iter()
                .find(|(n, _)| name.strip_prefix("rules/") == Some(*n))
                .unwrap_or_else(|| panic!("{name}"))
                .1;
            let written = |line: usize| text.lines().nth(line - 1).unwrap();
            for (re, &pos) in a.regexes.iter().zip(&a.lines.regexes) {
                let head: String = re.as_str().chars().take(24).collect();
                assert!(
                    written(pos).contains(&head),
                    "{name}: {head} on {:?}",
                    written(pos)
                );
                checked += 1;
            }
            for (word, &pos) in a.stopwords.iter().zip(&a.lines.stopwords) {
                assert!(
                    written(pos).to_ascii_lowercase().contains(word.as_str()),
                    "{name}: {word}"
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked}");
    }
}
