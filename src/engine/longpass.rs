//! The rules whose windows cover most of a text, searched in one pass for which of them can match
//! there at all (docs/engine.md, "The pathological input, tenth round").
//!
//! A rule that spans lines reaches 16 KiB past each of its keyword hits
//! (`windows::MULTILINE_REACH`), so on keyword-dense text its windows merge into whole files, and
//! each such rule walks the file with its own check (or locator) lazy DFA: a dozen rules, a dozen
//! walks over the same bytes, nearly all of them finding nothing (on the pathological input, 1.4G
//! of 9.5G instructions). Here those rules are one multi-pattern lazy DFA, searched once over the
//! text for which of them match anywhere in it; a rule whose pattern matches nowhere has no match
//! in any of its windows, and they are not searched.
//!
//! Exactness. Each rule's pattern is its regex widened (`matcher::widened`: long counted
//! repetitions made open-ended) with every line and text edge (`^`, `$`, `\A`, `\z`, the line
//! edges `gate::on_lines` made) replaced by the empty pattern; word boundaries are kept. A window
//! `data[s..e]` is searched as a text of its own, so its edges are text edges; but where the byte
//! before `s` and the byte at `e` are ASCII bytes outside `\w` (or the text's own edges: a window
//! from a line's start to its end), a word boundary at any place in the window is judged alike in
//! the window and in `data` (`clean_edges`). There a match of the regex in the window (its edges
//! judged as the window's) is a match of the loosened pattern at the same place in `data`: the
//! widening and the emptied edges only add to what a pattern matches. So where the loosened
//! pattern matches nowhere in `data`, the regex matches in no window of it with clean edges, and
//! the rule, all of whose hits are matches of its regex (the hand readers' too, `assign`,
//! `vendorword`), has none there: what searching those windows would have found. Windows without
//! clean edges, and every window where the lazy DFA gives up, are searched as before.

use super::matcher::widened;
use crate::rules::REGEX_SIZE_LIMIT;
use regex_automata::nfa::thompson;
use regex_automata::{hybrid, Input, MatchKind, PatternSet};
use regex_syntax::hir::{Hir, HirKind};
use std::cell::RefCell;

/// Texts shorter than this are never searched by the pass: their windows are short, and each
/// rule's own check walks them as fast.
pub(super) const TEXT_MIN: usize = 64 * 1024;
/// The pass is run on a text when its long windows of rules spanning lines add up to this many
/// times its length: then one walk over the text replaces at least that many (each also paying
/// the rule's gate and, in long windows, its prefilter's calls). The small repositories, where a
/// file reaches at most a rule or two this way, never build it.
pub(super) const TIMES_TEXT: usize = 3;

/// The rules of the pass, one pattern each.
pub(super) struct LongPass {
    /// Per rule of the engine, its pattern in the pass (`None`: not in it).
    pattern: Vec<Option<usize>>,
    dfa: hybrid::dfa::DFA,
}

thread_local! {
    /// The pass's lazy-DFA cache, kept for the engine (by its id) whose pass built it, so that
    /// the states a text made serve the next.
    static CACHE: RefCell<Option<(u64, hybrid::dfa::Cache)>> = const { RefCell::new(None) };
}

impl LongPass {
    /// The pass of `rules` (a rule's index in the engine, and its regex as the engine runs it),
    /// for an engine of `n` rules. `None` when its NFA or lazy DFA cannot be built.
    pub(super) fn build(rules: &[(usize, Hir)], n: usize) -> Option<LongPass> {
        if rules.is_empty() {
            return None;
        }
        // A pattern that may match empty matches everywhere: its rule is left out (never absent).
        let rules: Vec<(usize, Hir)> = rules
            .iter()
            .map(|(r, h)| (*r, cut(&loosened(&widened(h)))))
            .filter(|(_, h)| h.properties().minimum_len().is_some_and(|n| n > 0))
            .collect();
        if rules.is_empty() {
            return None;
        }
        let hirs: Vec<Hir> = rules.iter().map(|(_, h)| h.clone()).collect();
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(false)
                    .shrink(false)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_many_from_hir(&hirs)
            .ok()?;
        // Every pattern's every match is reported (`MatchKind::All`), so that a pattern is seen
        // wherever it matches whatever the others do.
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true)
                    .cache_capacity(REGEX_SIZE_LIMIT)
                    .skip_cache_capacity_check(false)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa)
            .ok()?;
        let mut pattern = vec![None; n];
        for (i, (r, _)) in rules.iter().enumerate() {
            pattern[*r] = Some(i);
        }
        Some(LongPass { pattern, dfa })
    }

    /// Per rule of the engine, true when it is in the pass and its pattern matches nowhere in
    /// `data` (then neither does its regex in any window of `data` with clean edges). `None` when the lazy DFA gave
    /// up: nothing is known. `engine` keys the thread's cache.
    pub(super) fn absent(&self, data: &[u8], engine: u64) -> Option<Vec<bool>> {
        let mut found = PatternSet::new(self.dfa.pattern_len());
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.as_ref().is_none_or(|(id, _)| *id != engine) {
                *c = Some((engine, self.dfa.create_cache()));
            }
            let (_, cache) = c.as_mut().expect("made above");
            self.dfa
                .try_which_overlapping_matches(cache, &Input::new(data), &mut found)
                .ok()
        })?;
        Some(
            self.pattern
                .iter()
                .map(|p| p.is_some_and(|i| !found.contains(regex_automata::PatternID::must(i))))
                .collect(),
        )
    }
}

/// Whether a window `s..e` of `data` has clean edges: a word boundary (ASCII or Unicode) is
/// judged at every place of the window as in `data`, where the window's edges are text edges. The
/// byte before it and the byte after it are ASCII bytes outside `\w`, or there is none: then no
/// character spans an edge, and the text edge and the byte there are both "not a word character".
pub(super) fn clean_edges(data: &[u8], s: usize, e: usize) -> bool {
    let outside = |b: u8| b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'_');
    (s == 0 || outside(data[s - 1])) && (e == data.len() || outside(data[e]))
}

/// What every match of `hir` opens with, up to its first gap across lines (a repetition without
/// a maximum of bytes that take a newline, `[\s\S]{0,400}?` widened): a match of `hir` in a
/// window opens with a match of the cut pattern in the same window. A gap keeps the lazy DFA's
/// state of a pattern that has passed its opening alive to the text's end, and the states of a
/// dozen such patterns in one DFA multiply: without the cut the pass built states for most bytes
/// of the pathological input (5.4G instructions for a 1.6 MB file).
fn cut(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Concat(parts) => {
            let mut kept = Vec::new();
            for p in parts {
                if spans_a_gap(p) {
                    kept.push(cut(p));
                    break;
                }
                kept.push(p.clone());
            }
            Hir::concat(kept)
        }
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(cut).collect()),
        HirKind::Capture(cap) => cut(&cap.sub),
        HirKind::Repetition(rep) if spans_a_gap(hir) => {
            if rep.min == 0 || rep.max.is_none() && gap_class(&rep.sub) {
                Hir::empty()
            } else {
                cut(&rep.sub)
            }
        }
        _ => hir.clone(),
    }
}

/// Whether `hir` holds a gap across lines (`cut`).
fn spans_a_gap(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Repetition(rep) => {
            rep.max.is_none() && gap_class(&rep.sub) || spans_a_gap(&rep.sub)
        }
        HirKind::Capture(cap) => spans_a_gap(&cap.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(spans_a_gap),
        _ => false,
    }
}

/// A class that takes a newline.
fn gap_class(hir: &Hir) -> bool {
    use regex_syntax::hir::Class;
    match hir.kind() {
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        _ => false,
    }
}

/// `hir` with every line and text edge replaced by the empty pattern (word boundaries kept): it
/// matches wherever `hir` matches, whatever the lines around the match.
fn loosened(hir: &Hir) -> Hir {
    use regex_syntax::hir::Look;
    match hir.kind() {
        HirKind::Look(
            Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF,
        ) => Hir::empty(),
        HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(rep) => Hir::repetition(regex_syntax::hir::Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(loosened(&rep.sub)),
        }),
        HirKind::Capture(cap) => Hir::capture(regex_syntax::hir::Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(loosened(&cap.sub)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(loosened).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(loosened).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::matcher::rule_hir;
    use super::super::testkit::{builtin_regexes_with_examples, Rng};
    use super::*;

    #[test]
    fn a_rule_the_pass_finds_absent_matches_in_no_window_with_clean_edges() {
        // Every built-in rule with a regex, alone in a pass, against the `regex` crate on windows
        // of texts made of the rule's examples and the repository's fixture lines, cut at seeded
        // random points and joined by newlines or blanks (a window may open or close mid-line,
        // after a blank or inside a word): wherever the regex matches in a window with clean
        // edges, the pass must not call the rule absent from the text.
        let mut lines: Vec<Vec<u8>> = Vec::new();
        let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            } else if let Ok(text) = std::fs::read(&p) {
                lines.extend(text.split(|&b| b == b'\n').map(<[u8]>::to_vec));
            }
        }
        let mut rng = Rng(0x10_b055_u64);
        let pick = |rng: &mut Rng, n: usize| rng.below(n as u64) as usize;
        let (mut rules, mut matched, mut absent, mut unclean) = (0, 0, 0, 0);
        for (i, (name, src, examples)) in builtin_regexes_with_examples().into_iter().enumerate() {
            let Some(pass) = LongPass::build(&[(0, rule_hir(&src, &[]))], 1) else {
                continue;
            };
            let re = crate::testrng::regex_of(&src);
            rules += 1;
            for round in 0..12 {
                let mut hay: Vec<u8> = Vec::new();
                for _ in 0..pick(&mut rng, 12) + 1 {
                    let line: &[u8] = if !examples.is_empty() && pick(&mut rng, 3) == 0 {
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
                    hay.push(if round % 4 == 0 { b' ' } else { b'\n' });
                }
                let engine = u64::MAX / 2 + (i * 16 + round) as u64;
                let Some(gone) = pass.absent(&hay, engine) else {
                    continue;
                };
                absent += usize::from(gone[0]);
                for _ in 0..8 {
                    let (a, b) = (pick(&mut rng, hay.len() + 1), pick(&mut rng, hay.len() + 1));
                    let (s, e) = (a.min(b), a.max(b));
                    if !clean_edges(&hay, s, e) {
                        unclean += 1;
                        continue;
                    }
                    if re.is_match(&hay[s..e]) {
                        matched += 1;
                        assert!(
                            !gone[0],
                            "{name}: {src} matches in {s}..{e} of {:?}",
                            String::from_utf8_lossy(&hay)
                        );
                    }
                }
                // The whole text is a window with clean edges.
                if re.is_match(&hay) {
                    matched += 1;
                    assert!(
                        !gone[0],
                        "{name}: {src} in {:?}",
                        String::from_utf8_lossy(&hay)
                    );
                }
            }
        }
        eprintln!(
            "{rules} rules, {matched} windows matched, {absent} texts absent, {unclean} unclean"
        );
        assert!(
            rules > 700 && matched > 2_000 && absent > 2_000,
            "{rules} {matched} {absent}"
        );
    }

    #[test]
    fn clean_edges_are_ascii_non_word_bytes_or_the_texts_edges() {
        let t = b"ab cd\nef";
        assert!(clean_edges(t, 0, t.len()));
        assert!(clean_edges(t, 3, 5));
        assert!(clean_edges(t, 6, 8));
        assert!(!clean_edges(t, 1, 5));
        assert!(!clean_edges(t, 3, 4));
        assert!(!clean_edges("é x".as_bytes(), 2, 4));
    }
}
