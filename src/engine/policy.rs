//! Whether a hit is reported: allowlists (the rule's and the global ones), stopwords, inline allow
//! markers, documentation and commented examples, and which of the hits on one value stands.
//! Matching finds candidates; this decides what the user sees, and counts what it drops.

use super::{Engine, Hit, HitKey};
use crate::docs::{self, Markup};
use crate::finding::{fingerprint, CommitInfo, Finding, Secret, Utf16Columns};
use crate::rules::{Candidate, LineMatches, Rule, Severity};
use crate::suppress::SuppressKind;
use std::collections::HashMap;
use std::sync::Arc;

/// Inline markers that suppress findings on their line.
const ALLOW_MARKERS: &[&[u8]] = &[
    b"leakguard:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];

/// Why a hit is not reported.
struct Dropped {
    kind: SuppressKind,
    /// `file:line` of what dropped it.
    source: String,
    /// By the hit's own rule (its allowlists, a global allowlist limited to it by `targetRules`,
    /// a commented example, which only generic rules heed): the value may still be another rule's
    /// finding, so the hit does not take the span from the hits that yield to it. Otherwise the
    /// user's word on the value, its line, path or commit (an inline marker, an untargeted global
    /// allowlist, a documentation example): whoever finds the value, it stays dropped.
    own: bool,
}

impl Engine {
    /// The findings of one blob's `hits` seen at `path` in `commit`: each hit's allowlists (its
    /// rule's and the global ones) applied, and each hit that yields to another
    /// (`Hit::shadowed_by`) reported only when every hit it yields to was dropped by its own
    /// rule's filters. So a suppressed hit never hides another rule's finding, and one secret is
    /// still one finding. Every hit dropped is counted (`Tally`), but for one that yields to a
    /// standing hit: that is the same secret, reported or suppressed under the other's name.
    pub fn findings(&self, hits: &[Hit], path: &str, commit: Option<&CommitInfo>) -> Vec<Finding> {
        self.judge(hits, path, commit, true)
    }

    /// `findings`, with every rule's reading of a value when `one_per_value` is false: what a rule's
    /// own examples are checked against (`examples::check`), where a rule of the same rank reading
    /// the value too must not hide whether this one does.
    ///
    /// What depends on a hit's line alone is worked out once per line (the hits of a minified
    /// line share its text): the line allowlists' answers (`LineMatches`) and the UTF-16 columns
    /// (`Utf16Columns`), both kept only while `hits` are borrowed.
    pub(crate) fn judge(
        &self,
        hits: &[Hit],
        path: &str,
        commit: Option<&CommitInfo>,
        one_per_value: bool,
    ) -> Vec<Finding> {
        let lines = LineMatches::default();
        let mut columns = Utf16Columns::default();
        let mut verdicts: Vec<Option<Option<Dropped>>> = hits.iter().map(|_| None).collect();
        // The hits others yield to, by key (several decoded secrets may share one).
        let mut by_key: HashMap<HitKey, Vec<usize>> = HashMap::new();
        if hits.iter().any(|h| !h.shadowed_by.is_empty()) {
            for (i, h) in hits.iter().enumerate() {
                by_key.entry(h.key()).or_default().push(i);
            }
        }
        let mut standing: Vec<usize> = Vec::new();
        for (i, h) in hits.iter().enumerate() {
            // A yielding hit's own verdict is asked only when no hit it yields to stands: most
            // never are (a generic allowlist's regexes cost more than the rest of `findings`).
            let shadowed = h.shadowed_by.iter().any(|k| match by_key.get(k) {
                // Not itself: a view's hit may share a plain hit's place and rule (`add_ansi`).
                Some(of_key) => of_key.iter().filter(|&&j| j != i).any(|&j| {
                    let v = verdicts[j]
                        .get_or_insert_with(|| self.verdict(&hits[j], path, commit, &lines));
                    !v.as_ref().is_some_and(|d| d.own)
                }),
                // One that is not among the hits (a caller's filter left it out) stands, as it
                // did before a yielding hit was kept.
                None => true,
            });
            if shadowed {
                continue;
            }
            let v = verdicts[i]
                .take()
                .unwrap_or_else(|| self.verdict(h, path, commit, &lines));
            match v {
                None => standing.push(i),
                Some(d) => {
                    self.tally
                        .add(d.kind, d.source, Some(&self.rules.rules[h.rule].id), 1);
                    if d.kind == SuppressKind::Inline {
                        self.tally
                            .keep(d.kind, self.to_finding(h, path, commit, &mut columns));
                    }
                }
            }
        }
        if one_per_value {
            self.one_per_value(hits, &mut standing);
        }
        standing
            .into_iter()
            .map(|i| self.to_finding(&hits[i], path, commit, &mut columns))
            .collect()
    }

    /// Of standing hits on one value (the same secret at the same place: `--password=V` read by
    /// `cli-password-argument` and by `generic-secret-assignment`), keeps one: the most precise
    /// rule's (`Rule::yields`), then the most severe, then the one with the fewest keywords (the
    /// narrower reading), then the one defined first. Rules of one rank do not yield to each other
    /// (two names of one vendor, two generic readings), so `finish` leaves both standing; two
    /// findings of one value are one leak. The other is not counted: it is the same secret,
    /// reported under the kept rule's name.
    fn one_per_value(&self, hits: &[Hit], standing: &mut Vec<usize>) {
        if standing.len() < 2 {
            return;
        }
        let rules = &self.rules.rules;
        // A path rule's finding (the file itself) has no value: each stands.
        let value = |i: usize| {
            let h = &hits[i];
            (
                h.start,
                h.end,
                h.secret.expose(),
                h.is_whole_file().then_some(i),
            )
        };
        let preference = |i: usize| {
            let r = &rules[hits[i].rule];
            (
                r.yields,
                std::cmp::Reverse(r.severity),
                r.keywords.len(),
                hits[i].rule,
            )
        };
        let mut by_value = standing.clone();
        by_value.sort_by(|&a, &b| {
            value(a)
                .cmp(&value(b))
                .then(preference(a).cmp(&preference(b)))
        });
        if by_value.windows(2).all(|w| value(w[0]) != value(w[1])) {
            return;
        }
        by_value.dedup_by(|b, a| value(*a) == value(*b));
        // In the hits' order, as before.
        by_value.sort_unstable();
        *standing = by_value;
    }

    /// One hit's findings (tests): `findings` of it alone.
    #[cfg(test)]
    pub fn finding(&self, hit: &Hit, path: &str, commit: Option<&CommitInfo>) -> Option<Finding> {
        self.findings(std::slice::from_ref(hit), path, commit).pop()
    }

    /// Whether, and why, `hit` seen at `path` in `commit` is dropped: its own rule's reasons first.
    fn verdict<'h>(
        &self,
        hit: &'h Hit,
        path: &str,
        commit: Option<&CommitInfo>,
        lines: &LineMatches<'h>,
    ) -> Option<Dropped> {
        let rule = &self.rules.rules[hit.rule];
        let at = || format!("{path}:{}", hit.line);
        // A generic rule's value a comment right before it introduces as an example (`# e.g.`):
        // found by the matcher, which knows the text before it, and counted here, where the
        // path is known. Only in documentation (`docs::in_documentation`): in an application the
        // example was copied from, the value is its live key.
        if hit.comment_example && docs::in_documentation(path) {
            return Some(Dropped {
                kind: SuppressKind::CommentExample,
                source: at(),
                own: true,
            });
        }
        // Found by the matcher, which judged the value alone; counted here, where the path is
        // known. An inline marker on the line is the user's word, and says more.
        if hit.placeholder && !hit.inline_allowed {
            return Some(Dropped {
                kind: SuppressKind::Placeholder,
                source: at(),
                own: true,
            });
        }
        // A value in a documentation page's code block introduced as an example. The page's own
        // prose decides it, so a committed file can quiet its scan this way: the summary says
        // where (`suppressed: 1 by documentation example (docs/a.md:8)`). Only the rules that
        // drop such a value (`drops_doc_examples`); the other generic rules report it at low
        // (`to_finding`).
        if in_doc_example(hit, path) && drops_doc_examples(rule) {
            return Some(Dropped {
                kind: SuppressKind::DocExample,
                source: at(),
                own: false,
            });
        }
        if hit.inline_allowed {
            return Some(Dropped {
                kind: SuppressKind::Inline,
                source: at(),
                own: false,
            });
        }
        // The fingerprint (a SHA-256) only where an allowlist that may drop the hit lists
        // fingerprints: no other entry reads it, and most verdicts asked for none (8k instructions
        // each, 0.19G on the pathological input).
        let global = || self.rules.global.iter().filter(|a| a.applies_to(&rule.id));
        let fp = if rule
            .allowlists
            .iter()
            .chain(global())
            .any(|a| !a.fingerprints.is_empty())
        {
            fingerprint(&rule.id, path, hit.secret.expose())
        } else {
            String::new()
        };
        let candidate = Candidate {
            secret: hit.secret.expose().as_bytes(),
            matched: &hit.matched,
            line: &hit.line_text,
            path,
            commit: commit.map(|c| c.sha.as_str()),
            fingerprint: &fp,
        };
        let own = rule
            .allowlists
            .iter()
            .find_map(|a| a.explain_on_lines(&candidate, Some((lines, &hit.line_text))));
        if let Some((kind, source)) = own {
            return Some(Dropped {
                kind,
                source,
                own: true,
            });
        }
        global().find_map(|a| {
            a.explain_on_lines(&candidate, Some((lines, &hit.line_text)))
                .map(|(kind, source)| Dropped {
                    kind,
                    source,
                    own: !a.target_rules.is_empty(),
                })
        })
    }

    /// `hit` as reported at `path` in `commit`; `columns` counts UTF-16 columns on from the last
    /// hit's on the same line.
    fn to_finding<'h>(
        &self,
        hit: &'h Hit,
        path: &str,
        commit: Option<&CommitInfo>,
        columns: &mut Utf16Columns<'h>,
    ) -> Finding {
        let rule = &self.rules.rules[hit.rule];
        // `line_text` is the first line, then the last one after a newline for a multi-line hit
        // (one that ends on a later line: a one-line hit's text holds no newline, and searching a
        // minified line for one per hit read it again per hit).
        let text: &'h [u8] = &hit.line_text;
        let (first, last) = match (hit.end_line > hit.line)
            .then(|| memchr::memchr(b'\n', text))
            .flatten()
        {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => (text, text),
        };
        // A generic rule's value in a page's example block (`verdict` kept it): reported, at low
        // and tagged, so a gate on high findings passes a page's illustration while the value,
        // which may be a real one pasted as an example, is still shown.
        let (tags, severity) = if in_doc_example(hit, path) {
            let tags: Arc<[String]> = rule
                .tags
                .iter()
                .cloned()
                .chain([DOC_EXAMPLE_TAG.to_string()])
                .collect();
            (tags, rule.severity.min(Severity::Low))
        } else {
            (rule.tags.clone(), rule.severity)
        };
        Finding {
            rule_id: rule.id.clone(),
            description: rule.description.clone(),
            path: path.to_string(),
            archive_member: None,
            line: hit.line,
            column: hit.column,
            end_line: hit.end_line,
            end_column: hit.end_column,
            column_utf16: columns.column(first, hit.column),
            end_column_utf16: columns.column(last, hit.end_column),
            secret: hit.secret.clone(),
            context: hit.context.clone(),
            entropy: hit.entropy,
            tags,
            severity,
            commit: commit.map(|c| Box::new(c.clone())),
            present_at_head: None,
            present_at_refs: None,
            verification: None,
            decoded: hit.decoded.iter().map(|e| e.as_str()).collect(),
            encoded: (!hit.decoded.is_empty())
                .then(|| Secret::new(String::from_utf8_lossy(&hit.encoded).into_owned())),
        }
    }
}

/// True when the line carries an allow marker.
pub(super) fn allowed_inline(line: &[u8]) -> bool {
    #[cfg(test)]
    MARKER_SEARCHES.with(|n| n.set(n.get() + 1));
    // Every marker holds `allow`: a line without it holds none, found by one searcher built
    // once (`memmem::find` builds one per call, ~500 instructions; this is asked of every line
    // with a hit, 66k on the pathological input; docs/engine.md, "Stop 46").
    static ALLOW: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"allow"));
    ALLOW.find(line).is_some()
        && ALLOW_MARKERS
            .iter()
            .any(|m| memchr::memmem::find(line, m).is_some())
}

#[cfg(test)]
thread_local! {
    /// How many lines this thread searched for allow markers (tests count them per line).
    pub(super) static MARKER_SEARCHES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A generic rule's value that a comment right before it introduces as an example is not reported.
pub(super) fn introduced_as_example(rule: &Rule, data: &[u8], at: usize) -> bool {
    rule.generic && docs::comment_introduces_example(data, at)
}

/// Rules whose values a documentation page may show as examples: the generic ones, and vendor rules
/// tagged `doc-examples` because their keys are published in SDK and API documentation by design
/// (Google `AIza` browser keys: Firebase and Maps pages list them; they are restricted by referrer or
/// app). Only pages ask; in source code such a key is reported whatever its comment says.
fn example_aware(rule: &Rule) -> bool {
    rule.generic || rule.tags.iter().any(|t| t == "doc-examples")
}

/// The tag a finding in a documentation page's example block carries (reported at low).
pub const DOC_EXAMPLE_TAG: &str = "documentation-example";

/// Whether `hit`, seen at `path`, sits in a code block the page introduces as an example (the bits
/// the matcher recorded, for the markup of `path`'s page).
fn in_doc_example(hit: &Hit, path: &str) -> bool {
    hit.doc_example != 0 && Markup::of_path(path).is_some_and(|m| hit.doc_example & m.bit() != 0)
}

/// Example-aware rules whose values in a page's example block are dropped rather than reported at
/// low: the weak tier (tag `weak-password`: a stand-in password under a name is what every page's
/// illustration holds, and the tier is already low) and the vendor rules tagged `doc-examples`
/// (keys published by design). The other generic rules' values there are reported at low: a page
/// may paste a real key as its example, and CredData's labelers count such values (stop 25
/// measured 40 True lines against one False line) while four real pages' examples were found on
/// the noise corpora, which a gate on high findings now passes.
fn drops_doc_examples(rule: &Rule) -> bool {
    !rule.generic || rule.tags.iter().any(|t| t == "weak-password")
}

/// For an example-aware rule's value at `at`: the documentation markups (`Markup::bit`s) in which it sits in
/// a code block introduced as an example. `finding` drops the hit when its path is such a page.
/// `page` is `None` when the text is scanned at a path that is no documentation page: `finding`
/// then asks nothing of the bits, and reading back up to 60 lines per generic hit for them was 5%
/// of the pathological benchmark (docs/engine.md).
pub(super) fn example_markups(rule: &Rule, page: Option<&docs::Page>, at: usize) -> u8 {
    match page {
        Some(page) if example_aware(rule) => page.example_markups(at),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::engine::PathScope;

    /// A fingerprint allowlist drops the one finding it names, whether the rule's own or a global
    /// one limited to the rule: the fingerprint is worked out only where an allowlist that may
    /// drop the hit lists fingerprints, and these do.
    #[test]
    fn fingerprint_allowlists_of_the_rule_and_targeting_it_drop_their_finding() {
        let text = format!("k = \"{TOKEN}\"\n");
        let kept = |e: &crate::engine::Engine, path: &str| {
            let hits = e.scan(text.as_bytes(), PathScope::At(path));
            assert_eq!(hits.len(), 1);
            e.finding(&hits[0], path, None).is_some()
        };
        let plain = engine(PAT_RULE);
        assert!(kept(&plain, "a.js"));
        let fp = crate::finding::fingerprint("pat", "a.js", TOKEN);
        for list in [
            format!("{PAT_RULE}[[rules.allowlists]]\nfingerprints = [\"{fp}\"]\n"),
            format!(
                "{PAT_RULE}[[allowlists]]\ntargetRules = [\"pat\"]\nfingerprints = [\"{fp}\"]\n"
            ),
        ] {
            let e = engine(&list);
            assert!(!kept(&e, "a.js"), "{list}");
            assert!(
                kept(&e, "b.js"),
                "another path, another fingerprint: {list}"
            );
        }
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
    fn documentation_examples_are_looked_for_only_where_the_path_may_be_a_page() {
        let generic = "[[rules]]\nid = \"gen\"\ntags = [\"generic\"]\nregex = '''token\\s*=\\s*\"([^\"]{20,})\"'''\nkeywords = [\"token\"]\n";
        let e = engine(generic);
        let text = "For example:\n\n```toml\ntoken = \"Zq8Lw3Nv7Rk2Jx5Tb9Mc4Hd6\"\n```\n"; // leakguard:allow (a test's fake)
        let bits = |scope| {
            let hits = e.scan(text.as_bytes(), scope);
            assert_eq!(hits.len(), 1);
            hits[0].doc_example
        };
        let page = crate::docs::Markup::Markdown.bit();
        assert_eq!(bits(PathScope::At("docs/a.md")) & page, page);
        assert_eq!(
            bits(PathScope::ContentOnly) & page,
            page,
            "the path is not known yet"
        );
        assert_eq!(
            bits(PathScope::At("ci/a.toml")),
            0,
            "no page: not looked for"
        );
        // On the page: reported at low, tagged; elsewhere at the rule's severity.
        let hit = &e.scan(text.as_bytes(), PathScope::At("docs/a.md"))[0];
        let f = e.finding(hit, "docs/a.md", None).unwrap();
        assert_eq!(f.severity, crate::rules::Severity::Low);
        assert!(f.tags.iter().any(|t| t == super::DOC_EXAMPLE_TAG));
        let hit = &e.scan(text.as_bytes(), PathScope::At("ci/a.toml"))[0];
        let f = e.finding(hit, "ci/a.toml", None).unwrap();
        assert_eq!(f.severity, crate::rules::Severity::High);
        assert!(!f.tags.iter().any(|t| t == super::DOC_EXAMPLE_TAG));
        // The weak tier's value there is dropped (and counted), as is a `doc-examples` vendor
        // rule's.
        for tag in ["\"generic\", \"weak-password\"", "\"doc-examples\""] {
            let e = engine(&generic.replace("\"generic\"", tag));
            let hit = &e.scan(text.as_bytes(), PathScope::At("docs/a.md"))[0];
            assert!(e.finding(hit, "docs/a.md", None).is_none(), "{tag}");
        }
    }

    /// The hits on one long line (a minified bundle) share its text, and what depends on the line
    /// alone is worked out once for them: its allow-marker search, and each `regexTarget = "line"`
    /// allowlist's regexes over it. Per hit, a 20 MB line with many hits took seconds; each hit is
    /// still judged as before (all reported; all dropped once the line says `vendored`).
    #[test]
    fn a_long_lines_hits_read_it_once_for_markers_and_line_allowlists() {
        use super::MARKER_SEARCHES;
        use crate::rules::REGEX_TARGETS_READ;
        let e = engine(&format!(
            "{PAT_RULE}\n[[rules.allowlists]]\nregexTarget = \"line\"\nregexes = ['''vendored''']\n"
        ));
        let tokens: Vec<String> = (0..60)
            .map(|i| format!("{}{i:06}", &TOKEN[..TOKEN.len() - 6]))
            .collect();
        type Counter = std::thread::LocalKey<std::cell::Cell<usize>>;
        let count = |counter: &'static Counter, f: &mut dyn FnMut()| {
            let before = counter.with(|n| n.get());
            f();
            counter.with(|n| n.get()) - before
        };
        for tail in ["", " // vendored"] {
            let line = tokens
                .iter()
                .map(|t| format!("k = \"{t}\"; "))
                .collect::<String>()
                + tail;
            let mut hits = Vec::new();
            let searched = count(&MARKER_SEARCHES, &mut || {
                hits = e.scan(line.as_bytes(), PathScope::ContentOnly)
            });
            assert_eq!(hits.len(), tokens.len());
            assert_eq!(searched, 1, "marker searches of one line");
            let mut found = Vec::new();
            let read = count(&REGEX_TARGETS_READ, &mut || {
                found = e.findings(&hits, "a.js", None)
            });
            assert_eq!(read, 1, "allowlist reads of one line");
            let want = if tail.is_empty() { tokens.len() } else { 0 };
            assert_eq!(found.len(), want);
        }
        // A line each: each read.
        let text: String = tokens.iter().map(|t| format!("k = \"{t}\"\n")).collect();
        let hits = e.scan(text.as_bytes(), PathScope::ContentOnly);
        let read = count(&REGEX_TARGETS_READ, &mut || {
            assert_eq!(e.findings(&hits, "a.js", None).len(), tokens.len());
        });
        assert_eq!(read, tokens.len());
    }

    /// A line is searched for `allow` before its markers (stop 46): on random lines of marker
    /// pieces, markers cut short, `allow` alone and noise, `allowed_inline` answers as a search
    /// for each marker does. Searching for another word first (`allowl`) fails.
    #[test]
    fn inline_markers_are_found_where_a_search_for_each_finds_them() {
        use crate::testrng::{n, Rng};
        const PIECES: &[&[u8]] = &[
            b"leakguard:allow",
            b"gitleaks:allow",
            b"pragma: allowlist secret",
            b"leakguard:",
            b"gitleaks:allo",
            b"pragma: allowlist",
            b"allow",
            b"allo",
            b"w",
            b" ",
            b"# ",
            b"k = 1",
        ];
        let mut r = Rng(0xa1_10_46);
        let mut marked = 0;
        for _ in 0..50_000 {
            let line: Vec<u8> = (0..n(&mut r, 6))
                .flat_map(|_| PIECES[n(&mut r, PIECES.len())].iter().copied())
                .collect();
            let want = super::ALLOW_MARKERS
                .iter()
                .any(|m| memchr::memmem::find(&line, m).is_some());
            assert_eq!(
                super::allowed_inline(&line),
                want,
                "{:?}",
                String::from_utf8_lossy(&line)
            );
            marked += usize::from(want);
        }
        assert!(marked > 5_000 && marked < 45_000, "{marked}");
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
}
