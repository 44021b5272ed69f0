//! Named rules over key paths: each value of structured text whose name is split over lines
//! (`twilio:\n  auth_token: V`) is scanned as the one line `twilio.auth_token = "V"` (keypath.rs)
//! and its hits are placed back on the value as it stands, as decoded spans' hits are.

use super::{Engine, Hit, Keywords, PathScope};
use crate::keypath::Views;
use crate::{decode, keypath};

impl Engine {
    /// Hits of `data`'s key-path views that the plain scan (`found`) did not make as precisely. A
    /// view hit on a value the plain scan gave only to a less specific rule (a generic assignment)
    /// takes its place (`finish` drops the overlap): the path names the vendor.
    pub(super) fn add_keypaths(
        &self,
        data: &[u8],
        scope: PathScope,
        keywords: &Keywords,
        found: &mut Vec<Hit>,
    ) {
        let no_keywords =
            keywords.content.is_empty() && keywords.path.as_ref().is_none_or(Vec::is_empty);
        // Code and prose (a Python module whose `SETTINGS = {` follows its imports) are walked too,
        // but only inside the literals they open under a name (`keypath::views_in_code`).
        if no_keywords || memchr::memchr(0, &data[..data.len().min(4096)]).is_some() {
            return;
        }
        self.add_ansi(data, scope, found);
        self.add_unescaped(data, scope, keywords, found);
        self.add_csv_columns(data, scope, found);
        let structured = keypath::looks_structured(data);
        // Where a keyword that may name a credential starts, content and path-scoped alike. In
        // code the walk asks `may_open_in_code` of those it meets, lazily: asked of every keyword
        // here, it cost 54M instructions of bd/real's 1,434M, for the few files that open a literal
        // or a call under a name.
        let mut starts =
            Vec::with_capacity(keywords.content.len() + keywords.path.as_ref().map_or(0, Vec::len));
        let lists = [
            (&self.keywords, Some(&keywords.content)),
            (&self.keywords, keywords.path.as_ref()),
        ];
        for (prefilter, hits) in lists {
            if let (Some(p), Some(hits)) = (prefilter, hits) {
                starts.extend(hits.iter().filter_map(|&(k, s)| {
                    let word = &data[s..(s + p.keyword_len(k)).min(data.len())];
                    keypath::names_a_key(word).then_some(s)
                }));
            }
        }
        // Two lists, each in order of start, merged: only when the second holds some (a path
        // rule admitted with none of its keywords in the text sorted every text of its files).
        // The stable sort finds the two runs and merges them in one pass; the unstable sort
        // partitioned them afresh, ~13M instructions a 1 MB file of the pathological input
        // (docs/engine.md, "Stop 42"). Starts are plain offsets: both give the same order.
        if keywords.path.as_ref().is_some_and(|p| !p.is_empty()) {
            starts.sort();
        }
        let views = if structured {
            keypath::views(data, &starts)
        } else {
            keypath::views_in_code(data, &starts)
        };

        if views.is_empty() {
            return;
        }
        let rules = &self.rules.rules;
        if let PathScope::PathRulesAt(_) = scope {
            // History scans a blob's content rules and its path rules apart (`ContentOnly`, then
            // `PathRulesAt`): a path rule's hit that a content rule's view hit outranks is dropped
            // here, as one scan of both (the working tree's) drops it in `finish`.
            // Marked, not dropped: should the content rule's hit be dropped by its own
            // allowlist, the path rule's is the finding (`findings`).
            let content = self.view_hits(&views, PathScope::ContentOnly);
            for f in found.iter_mut() {
                let over = content.iter().filter(|c| {
                    c.start < f.end
                        && f.start < c.end
                        && rules[c.rule].yields < rules[f.rule].yields
                });
                let over: Vec<_> = over.map(Hit::key).collect();
                f.shadowed_by.extend(over);
            }
        }
        let mut extra = Vec::new();
        for hit in self.view_hits(&views, scope) {
            let rank = rules[hit.rule].yields;
            // A plain hit that yields already (to an ANSI view's reading) is not there.
            let seen = found.iter().any(|f| {
                f.shadowed_by.is_empty()
                    && f.start < hit.end
                    && hit.start < f.end
                    && (f.rule == hit.rule || rules[f.rule].yields <= rank)
            });
            if !seen {
                extra.push(hit);
            }
        }
        found.append(&mut extra);
    }

    /// Hits on the lines of `data` whose values are wrapped in ANSI colour codes, read without them
    /// (src/ansi.rs). The plain scan read such a value with the code's letter before it (`[32mghp_…`
    /// has no boundary before `ghp_`) or a part of it (`eyJ…` of a prefixed JWT, 32 characters of a
    /// longer run): a plain hit that a view hit overlaps is that misreading, and the view's hit
    /// takes its place unless the plain one is by a more precise rule: the plain one yields to it
    /// (`Hit::shadowed_by`), judged after allowlists.
    fn add_ansi(&self, data: &[u8], scope: PathScope, found: &mut Vec<Hit>) {
        let Some(views) = crate::ansi::views(data) else {
            return;
        };
        let hits = self.view_hits(&views, scope);
        let rules = &self.rules.rules;
        // The misread plain hit is kept, marked with the view hits that read it right: should
        // each of those be dropped by its own rule's allowlist, the plain one is the finding
        // (`findings`), so the view never loses the value.
        // One that the view read as the same hit (place, rule and secret) is that hit, read right:
        // dropped, as `finish` would drop one of the two.
        for f in found.iter_mut() {
            for h in &hits {
                if h.start < f.end
                    && f.start < h.end
                    && rules[h.rule].yields <= rules[f.rule].yields
                {
                    f.shadowed_by.push(h.key());
                }
            }
        }
        let same = |f: &Hit| {
            hits.iter()
                .any(|h| h.key() == f.key() && h.secret == f.secret)
        };
        found.retain(|f| f.shadowed_by.is_empty() || !same(f));
        // Nothing before this view marks a plain hit (`add_decoded` keeps its yielding hits
        // apart): a marked one is a misreading, weighed no more.
        let kept: Vec<Hit> = hits
            .into_iter()
            .filter(|h| {
                !found.iter().any(|f| {
                    f.shadowed_by.is_empty()
                        && h.start < f.end
                        && f.start < h.end
                        && rules[f.rule].yields < rules[h.rule].yields
                })
            })
            .collect();
        found.extend(kept);
    }

    /// Hits on the windows of `data`'s lines that hold an escaped quote (`\"`, `\\\"`, `&quot;`),
    /// read with the quotes unescaped (src/unescape.rs): JSON inside a string literal or an HTML
    /// attribute. A view hit that a plain hit by the same or a more precise rule already covers
    /// adds nothing (the generic assignment reads one `\"` itself); one by a more precise rule
    /// than the plain hit's is added, and `finish` keeps it over the plain one.
    fn add_unescaped(
        &self,
        data: &[u8],
        scope: PathScope,
        keywords: &Keywords,
        found: &mut Vec<Hit>,
    ) {
        let Some(p) = &self.keywords else {
            return;
        };
        let near = keywords
            .content
            .iter()
            .map(|&(k, s)| (s, s + p.keyword_len(k)));
        let Some(views) = crate::unescape::views(data, near) else {
            return;
        };
        self.add_new_view_hits(&views, scope, found);
    }

    /// Hits on the password column of a CSV table (src/csvcols.rs: a password manager's export),
    /// each cell read under the column's name (`password = "…"`). A plain hit on the cell by the
    /// same or a more precise rule already reads it: the view adds nothing there.
    fn add_csv_columns(&self, data: &[u8], scope: PathScope, found: &mut Vec<Hit>) {
        let Some(views) = crate::csvcols::views(data) else {
            return;
        };
        self.add_new_view_hits(&views, scope, found);
    }

    /// The view hits that no plain hit already reads: one covered by a live plain hit of the same or
    /// a more precise rule adds nothing; one by a more precise rule than the plain hit's is added,
    /// and `finish` keeps it over the plain one.
    fn add_new_view_hits(&self, views: &Views, scope: PathScope, found: &mut Vec<Hit>) {
        let rules = &self.rules.rules;
        let extra: Vec<Hit> = self
            .view_hits(views, scope)
            .into_iter()
            .filter(|h| {
                !found.iter().any(|f| {
                    f.shadowed_by.is_empty()
                        && f.start < h.end
                        && h.start < f.end
                        && (f.rule == h.rule || rules[f.rule].yields <= rules[h.rule].yields)
                })
            })
            .collect();
        found.extend(extra);
    }

    /// The hits of the rules in `scope` on the views, placed on the values in the data.
    fn view_hits(&self, views: &Views, scope: PathScope) -> Vec<Hit> {
        let text = &views.text;
        let keywords = self.keywords_in(text, scope);
        // As deep as decoding goes: the views are matched, neither decoded nor viewed again.
        self.hits_at_depth(text, scope, &keywords, decode::MAX_DEPTH)
            .into_iter()
            .filter(|h| h.stands() && !h.is_whole_file())
            .filter_map(|inner| {
                let span = views.to_data(inner.match_start, inner.start..inner.end)?;
                Some(Hit {
                    start: span.start,
                    end: span.end,
                    match_start: span.start,
                    doc_example: 0,
                    ..inner
                })
            })
            .collect()
    }
}
