//! Which rules with a path filter select a file's path: worked out once per path, for all of
//! them together.
//!
//! Every text of a file asks which rules are in its scope: the blob, and each decoded span,
//! joined run and key-path view in it (`Engine::hits_at_depth`), and the keyword search before
//! them (`path_rules_in`). Asked of each rule's `PathRegex` every time, that was ~137k
//! regex questions on cargo's checkout, 38M of its 661M instructions, most of them the same
//! question about the same path (docs/engine.md, "The 150 MB/s floor, eighth round"). Here the
//! answer for a path is a set of bits, one per path-filtered rule, worked out by asking only the
//! regexes whose endings the path's last byte may end (`PathRegex::may_end_with`: the first
//! thing `PathRegex::is_match` itself looks at, so the others would say no), and kept for the
//! thread's next question about the same path.

use super::PathScope;
use crate::rules::Rule;
use std::cell::RefCell;
use std::sync::Arc;

/// The most path-filtered rules one set of bits holds (the catalog has ~25). A config with more
/// is asked rule by rule, each regex per question, as before.
const MOST: usize = u128::BITS as usize;

pub(super) struct PathFilters {
    /// Per rule of the catalog: its bit, if it has a path filter (and there are at most `MOST`).
    bit: Vec<Option<u8>>,
    /// The rules with a path filter, by bit.
    rules: Vec<usize>,
    /// Per last byte of an ASCII path: the bits of the rules whose regex a path ending in it may
    /// match (those without endings, and those with an ending that ends in it, either case).
    by_last: Box<[u128; 256]>,
    /// Tells this engine's answers apart from another engine's in a thread's `LAST`.
    engine: u64,
    /// The regexes that a reversed search anchored at the path's end answers, as one DFA
    /// (`rules::PathSet`), built at the first ASCII path asked: which of them match a path in
    /// one read of its end, instead of one search per regex.
    set: std::sync::OnceLock<Option<Set>>,
}

struct Set {
    dfa: crate::rules::PathSet,
    /// Per pattern of `dfa`, the bit of its rule.
    bit_of: Vec<u8>,
    /// The bits `dfa` answers for.
    covered: u128,
}

/// What one scope lets in: worked out once (`PathFilters::admits`), asked per rule.
#[derive(Clone, Copy)]
pub(super) struct Admits<'a> {
    /// Rules without a path filter are in (every scope but `PathRulesAt`).
    unfiltered: bool,
    filtered: Filtered<'a>,
}

#[derive(Clone, Copy)]
enum Filtered<'a> {
    /// No rule with a path filter is in (`ContentOnly`).
    None,
    /// Those whose bit is set.
    Bits(u128),
    /// Too many to hold in bits: each asks its regex of the path.
    Ask(&'a str),
}

thread_local! {
    /// The last path this thread asked about: its engine, the path and its bits.
    static LAST: RefCell<(u64, String, u128)> = const { RefCell::new((u64::MAX, String::new(), 0)) };
    /// The last list of admitted rules with a regex this thread made (`PathFilters::scoped`): its
    /// engine, the bits it was made of, and the list.
    static SCOPED: RefCell<(u64, u128, Arc<[u32]>)> = RefCell::new((u64::MAX, 0, Arc::from([])));
}

#[cfg(test)]
thread_local! {
    /// How many lists of admitted rules this thread made (`PathFilters::scoped`).
    pub(super) static SCOPED_MADE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many regexes this thread asked of a path one by one (`PathFilters::bits`).
    static ASKED_ALONE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl PathFilters {
    pub(super) fn new(rules: &[Rule], engine: u64) -> PathFilters {
        let filtered: Vec<usize> = (0..rules.len())
            .filter(|&r| rules[r].path.is_some())
            .collect();
        let mut bit = vec![None; rules.len()];
        let mut by_last = Box::new([0u128; 256]);
        if filtered.len() <= MOST {
            for (b, &r) in filtered.iter().enumerate() {
                bit[r] = Some(b as u8);
                let re = rules[r].path.as_ref().expect("a rule with a path filter");
                for (bits, may) in by_last.iter_mut().zip(re.may_end_with()) {
                    *bits |= u128::from(may) << b;
                }
            }
        }
        PathFilters {
            bit,
            rules: filtered,
            by_last,
            engine,
            set: std::sync::OnceLock::new(),
        }
    }

    /// `set`, built from the rules' regexes on first use; None when no regex or the DFA fails
    /// to build (each is then asked alone).
    fn set(&self, rules: &[Rule]) -> Option<&Set> {
        self.set
            .get_or_init(|| {
                let (mut parses, mut bit_of, mut covered) = (Vec::new(), Vec::new(), 0u128);
                for (b, &r) in self.rules.iter().enumerate().take(MOST) {
                    if let Some(hir) = rules[r].path.as_ref().and_then(|re| re.reversed_parse()) {
                        parses.push(hir);
                        bit_of.push(b as u8);
                        covered |= 1 << b;
                    }
                }
                Some(Set {
                    dfa: crate::rules::PathSet::new(&parses)?,
                    bit_of,
                    covered,
                })
            })
            .as_ref()
    }

    /// What `scope` lets in.
    pub(super) fn admits<'a>(&self, rules: &[Rule], scope: PathScope<'a>) -> Admits<'a> {
        let (unfiltered, path) = match scope {
            PathScope::ContentOnly => {
                return Admits {
                    unfiltered: true,
                    filtered: Filtered::None,
                }
            }
            PathScope::At(path) => (true, path),
            PathScope::PathRulesAt(path) => (false, path),
        };
        let filtered = if self.rules.len() > MOST {
            Filtered::Ask(path)
        } else {
            Filtered::Bits(self.bits(rules, path))
        };
        Admits {
            unfiltered,
            filtered,
        }
    }

    /// The bits of the rules whose path filter selects `path`: this thread's last answer if it
    /// was about the same path, else each regex the path's last byte leaves asked.
    fn bits(&self, rules: &[Rule], path: &str) -> u128 {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if last.0 == self.engine && last.1 == path {
                return last.2;
            }
            // A path with a byte past ASCII is asked of each regex (`PathRegex::is_match` then
            // asks its Unicode regex, which the endings do not describe).
            let mut ask = match path.as_bytes().last() {
                _ if !path.is_ascii() => u128::MAX,
                Some(&b) => self.by_last[usize::from(b)],
                // An empty path ends in nothing: only regexes without endings may match it.
                None => self.by_last.iter().fold(u128::MAX, |all, &b| all & b),
            };
            let mut bits = 0u128;
            // The regexes the set answers, in one read of the path's end; the others one by one.
            if path.is_ascii() && ask != 0 {
                if let Some(set) = self.set(rules).filter(|set| ask & set.covered != 0) {
                    if let Some(mut found) = set.dfa.matching(path.as_bytes()) {
                        while found != 0 {
                            let p = found.trailing_zeros() as usize;
                            found &= found - 1;
                            bits |= 1 << set.bit_of[p];
                        }
                        bits &= ask;
                        ask &= !set.covered;
                    }
                }
            }
            while ask != 0 {
                let b = ask.trailing_zeros() as usize;
                ask &= ask - 1;
                let Some(&r) = self.rules.get(b) else { break };
                #[cfg(test)]
                ASKED_ALONE.with(|n| n.set(n.get() + 1));
                if rules[r].path.as_ref().is_some_and(|re| re.is_match(path)) {
                    bits |= 1 << b;
                }
            }
            last.0 = self.engine;
            last.1.clear();
            last.1.push_str(path);
            last.2 = bits;
            bits
        })
    }

    /// The rules with a regex and a path filter that `scope` admits, in order of rule: what a
    /// text's keywords are read with (`Engine::read_keywords`). Every text of a file asks (the
    /// blob, each decoded span, key-path view and joined run), so the list is made once per set
    /// of bits and shared: made per text, with the loop over every path rule that made it, it was
    /// most of what a never-matching `.py` rule cost openai-python (docs/engine.md, "Stop 25").
    pub(super) fn scoped(&self, rules: &[Rule], scope: PathScope) -> Arc<[u32]> {
        let bits = match self.admits(rules, scope).filtered {
            Filtered::None => 0,
            Filtered::Bits(bits) => bits,
            Filtered::Ask(path) => {
                return self
                    .rules
                    .iter()
                    .filter(|&&r| rules[r].regex.is_some())
                    .filter(|&&r| rules[r].path.as_ref().is_some_and(|re| re.is_match(path)))
                    .map(|&r| r as u32)
                    .collect();
            }
        };
        SCOPED.with(|kept| {
            let mut kept = kept.borrow_mut();
            if kept.0 != self.engine || kept.1 != bits {
                #[cfg(test)]
                SCOPED_MADE.with(|n| n.set(n.get() + 1));
                let mut left = bits;
                let mut list = Vec::new();
                while left != 0 {
                    let b = left.trailing_zeros() as usize;
                    left &= left - 1;
                    let r = self.rules[b];
                    if rules[r].regex.is_some() {
                        list.push(r as u32);
                    }
                }
                *kept = (self.engine, bits, list.into());
            }
            Arc::clone(&kept.2)
        })
    }

    /// Whether some rule with a path filter selects `path`.
    pub(super) fn any(&self, rules: &[Rule], path: &str) -> bool {
        match self.admits(rules, PathScope::PathRulesAt(path)).filtered {
            Filtered::Bits(bits) => bits != 0,
            _ => self
                .rules
                .iter()
                .any(|&r| rules[r].path.as_ref().is_some_and(|re| re.is_match(path))),
        }
    }

    /// Whether rule `r` is in what `admits` lets in.
    #[inline]
    pub(super) fn admit(&self, rules: &[Rule], admits: &Admits, r: usize) -> bool {
        match (&rules[r].path, admits.filtered) {
            (None, _) => admits.unfiltered,
            (Some(_), Filtered::None) => false,
            (Some(_), Filtered::Bits(bits)) => self.bit[r].is_some_and(|b| bits >> b & 1 == 1),
            (Some(re), Filtered::Ask(path)) => re.is_match(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    /// Paths made of the path regexes' own words (every casing, cut short, under directories,
    /// with a byte past ASCII now and then), and the edge cases: empty, a directory, upper case.
    fn paths(rules: &[Rule], n: usize) -> Vec<String> {
        let words: Vec<String> = rules
            .iter()
            .filter_map(|r| r.path.as_ref())
            .flat_map(|re| {
                re.as_str()
                    .split(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
                    .filter(|w| !w.is_empty())
                    .map(|w| w.replace('\\', ""))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut rng = crate::testrng::Rng(0x0f1e_0007);
        let mut out: Vec<String> = [
            "",
            "/",
            ".env",
            "ENV",
            "Dockerfile",
            "DOCKERFILE.prod",
            "id_rsa",
        ]
        .map(String::from)
        .to_vec();
        for _ in 0..n {
            let mut path = String::new();
            for _ in 0..rng.below(3) {
                path.push_str(["src", ".aws", "config", "é", "a b"][rng.below(5) as usize]);
                path.push('/');
            }
            for _ in 0..1 + rng.below(2) {
                let w = &words[rng.below(words.len() as u64) as usize];
                let cut = rng.below(w.len() as u64 + 1) as usize;
                let w = match rng.below(5) {
                    0 => w[..cut].to_string(),
                    1 => w[cut..].to_string(),
                    2 => w.to_ascii_uppercase(),
                    _ => w.clone(),
                };
                path.push_str(&w);
            }
            if rng.below(6) == 0 {
                path.push_str(["x", ".bak", "/", "ß"][rng.below(4) as usize]);
            }
            out.push(path);
        }
        out
    }

    /// What each rule's filter says of `scope`, asked of its regex alone: the oracle.
    fn asked(rule: &Rule, scope: PathScope) -> bool {
        match (scope, &rule.path) {
            (PathScope::ContentOnly, p) => p.is_none(),
            (PathScope::At(_), None) => true,
            (PathScope::At(path) | PathScope::PathRulesAt(path), Some(re)) => re.is_match(path),
            (PathScope::PathRulesAt(_), None) => false,
        }
    }

    fn check(filters: &PathFilters, rules: &[Rule], path: &str) -> usize {
        let mut selected = 0;
        for scope in [
            PathScope::ContentOnly,
            PathScope::At(path),
            PathScope::PathRulesAt(path),
        ] {
            let admits = filters.admits(rules, scope);
            for (r, rule) in rules.iter().enumerate() {
                let expected = asked(rule, scope);
                assert_eq!(
                    filters.admit(rules, &admits, r),
                    expected,
                    "{} on {path:?} ({scope:?})",
                    rule.id
                );
                selected += usize::from(expected && rule.path.is_some());
            }
        }
        let any = rules
            .iter()
            .any(|r| r.path.as_ref().is_some_and(|re| re.is_match(path)));
        assert_eq!(filters.any(rules, path), any, "{path:?}");
        selected
    }

    /// An ASCII path is asked of the regexes the set does not hold only, one by one; the set
    /// holds nearly every built-in path regex.
    #[test]
    fn the_set_answers_for_its_regexes_and_the_others_are_asked_alone() {
        let set = RuleSet::builtin().unwrap();
        let rules = &set.rules;
        let filters = PathFilters::new(rules, 1_000_003);
        let built = filters
            .set(rules)
            .expect("the built-in path regexes make a set");
        let uncovered = filters.rules.len() - built.covered.count_ones() as usize;
        assert!(uncovered <= 2, "{uncovered} regexes outside the set");
        for path in [
            "src/main.rs",
            "config/.env",
            "deploy/values.yaml",
            "Dockerfile",
            "a.py",
            "",
        ] {
            ASKED_ALONE.with(|n| n.set(0));
            check(&filters, rules, path);
            let alone = ASKED_ALONE.with(|n| n.get());
            assert!(
                alone <= uncovered,
                "{alone} regexes asked alone of {path:?}"
            );
        }
    }

    #[test]
    fn the_rules_a_path_admits_are_those_each_rules_regex_selects() {
        // Two engines' filters asked in turn on one thread, the second over the catalog in
        // reverse (another bit per rule): an answer kept for one engine's path is not the other's.
        let set = RuleSet::builtin().unwrap();
        let rules = &set.rules;
        let reversed = RuleSet::builtin().unwrap();
        let mut back: Vec<Rule> = reversed.rules;
        back.reverse();
        let (one, two) = (
            PathFilters::new(rules, 1_000_001),
            PathFilters::new(&back, 1_000_002),
        );
        let ps = paths(rules, 3000);
        let (mut selected, mut pruned) = (0, 0);
        for (i, path) in ps.iter().enumerate() {
            selected += check(&one, rules, path);
            check(&two, &back, path);
            // The same path again (kept), and the one before it again.
            selected += check(&one, rules, path);
            check(&one, rules, &ps[i.saturating_sub(1)]);
            if let Some(&b) = path.as_bytes().last().filter(|_| path.is_ascii()) {
                pruned += one.rules.len() - one.by_last[usize::from(b)].count_ones() as usize;
            }
        }
        assert!(
            one.rules.len() > 20,
            "{} path-filtered rules",
            one.rules.len()
        );
        assert!(
            selected > 1000 && pruned > 20 * ps.len() / 2,
            "{selected} selected, {pruned} regexes left unasked"
        );
    }

    #[test]
    fn a_config_with_more_path_rules_than_bits_asks_each_regex() {
        let mut toml = String::new();
        for i in 0..MOST + 3 {
            toml.push_str(&format!(
                "[[rules]]\nid = \"p{i}\"\ndescription = \"p\"\npath = '''(?:^|/)f{i}\\.(?:x|y)$'''\n\n"
            ));
        }
        let set = RuleSet::from_toml_str(&toml).unwrap();
        let filters = PathFilters::new(&set.rules, 1_000_003);
        assert!(filters.bit.iter().all(Option::is_none));
        for path in ["f7.x", "a/f130.y", "f1.z", "é/f0.x", ""] {
            check(&filters, &set.rules, path);
        }
    }
}
