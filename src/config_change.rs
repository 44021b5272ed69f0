//! What the commits of a range change in the files that configure their own scan (configs, their
//! `[extend]` targets, ignore files, baselines): the scan reads those from the base of the range, and
//! says in a note what the range would have changed, so that a reviewer sees it.

use crate::config::{self, AllowlistSpec, ConfigFile};
use crate::config_source::{Place, Source, MAX_BASELINE_BYTES, MAX_CONFIG_BYTES};
use std::collections::BTreeSet;

/// Files that configure a scan wherever it runs, watched in every range scan.
pub const WATCHED: &[&str] = &[
    ".leakguard.toml",
    ".gitleaks.toml",
    ".leakguardignore",
    ".gitleaksignore",
    crate::baseline::DEFAULT_FILE,
];

/// How many items a note lists before it says "and N more".
const LIST_LIMIT: usize = 5;

/// Paths (in the tree) of the config at `place` in `base` and of every `[extend] path` it chains to.
pub fn config_chain(base: &Source, place: &Place) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = place.clone();
    for _ in 0..8 {
        if let Place::Tree(p) = &at {
            if out.contains(p) {
                break;
            }
            out.push(p.clone());
        }
        let Ok(text) = base.read(&at, MAX_CONFIG_BYTES) else {
            break;
        };
        let Ok(cfg) = config::parse(&at.display(), &text) else {
            break;
        };
        let Some(next) = cfg
            .file
            .extend
            .as_ref()
            .and_then(|e| e.path.as_ref().map(|p| p.get_ref().clone()))
        else {
            break;
        };
        match base.resolve_extend(&at, &next) {
            Ok(p) => at = p,
            Err(_) => break,
        }
    }
    out
}

/// One note per watched path whose content differs between `base` and `tip`.
pub fn describe(base: &Source, tip: &Source, paths: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut notes = Vec::new();
    for path in paths {
        if !seen.insert(path.clone()) {
            continue;
        }
        let place = Place::Tree(path.clone());
        let limit = if is_baseline(path) {
            MAX_BASELINE_BYTES
        } else {
            MAX_CONFIG_BYTES
        };
        let old = base.exists(&place).then(|| base.read(&place, limit));
        let new = tip.exists(&place).then(|| tip.read(&place, limit));
        let (old, new) = match (old, new) {
            (None, None) => continue,
            (Some(Ok(a)), Some(Ok(b))) if a == b => continue,
            (o, n) => (o, n),
        };
        let what: Vec<String> = match (&old, &new) {
            (_, None) => vec!["deletes it".into()],
            (_, Some(Err(e))) => vec![format!("makes it unreadable ({})", e.reason)],
            (old, Some(Ok(new))) => {
                let old = match old {
                    Some(Ok(t)) => Some(t.as_str()),
                    _ => None,
                };
                if path.ends_with(".toml") {
                    config_diff(path, old, new)
                } else if is_baseline(path) {
                    baseline_diff(old, new)
                } else {
                    ignore_diff(old, new)
                }
            }
        };
        let verb = if old.is_none() { "adds" } else { "edits" };
        notes.push(format!(
            "this change {verb} {path}, which configures its own scan (read from the base of the range instead): {}",
            what.join(", ")
        ));
    }
    notes
}

fn is_baseline(path: &str) -> bool {
    path.ends_with(".json")
}

fn config_diff(path: &str, old: Option<&str>, new: &str) -> Vec<String> {
    let new = match config::parse(path, new) {
        Ok(c) => c.file,
        Err(e) => return vec![format!("does not parse ({})", e.message)],
    };
    let old = old
        .and_then(|t| config::parse(path, t).ok())
        .map(|c| c.file)
        .unwrap_or_default();
    let mut out = Vec::new();
    let (old_default, new_default) = (uses_default(&old), uses_default(&new));
    if old_default && !new_default {
        let n: usize = config::default_configs()
            .iter()
            .map(|c| c.file.rules.len())
            .sum();
        out.push(format!(
            "turns off the {n} built-in rules ([extend] useDefault is not true)"
        ));
    }
    let old_ext = old.extend.as_ref();
    let new_ext = new.extend.as_ref();
    let path_of = |e: Option<&crate::config::Extend>| {
        e.and_then(|e| e.path.as_ref().map(|p| p.get_ref().clone()))
    };
    if path_of(old_ext) != path_of(new_ext) {
        if let Some(p) = path_of(new_ext) {
            out.push(format!("extends {p}"));
        }
    }
    let old_disabled: BTreeSet<&String> = old_ext
        .map(|e| e.disabled_rules.iter().map(|d| d.get_ref()).collect())
        .unwrap_or_default();
    let disabled: Vec<&str> = new_ext
        .map(|e| {
            e.disabled_rules
                .iter()
                .map(|d| d.get_ref())
                .filter(|d| !old_disabled.contains(d))
                .map(String::as_str)
                .collect()
        })
        .unwrap_or_default();
    if !disabled.is_empty() {
        out.push(format!("disables {}", list(&disabled)));
    }
    let old_lists: BTreeSet<String> = global_allowlists(&old).map(allowlist_text).collect();
    for a in global_allowlists(&new) {
        let text = allowlist_text(a);
        if !old_lists.contains(&text) {
            out.push(format!("adds an allowlist for {text}"));
        }
    }
    for rule in &new.rules {
        let id = rule.id.get_ref();
        let before = old.rules.iter().find(|r| r.id.get_ref() == id);
        let old_rule_lists: BTreeSet<String> = before
            .map(|r| {
                r.allowlist
                    .iter()
                    .chain(&r.allowlists)
                    .map(allowlist_text)
                    .collect()
            })
            .unwrap_or_default();
        for a in rule.allowlist.iter().chain(&rule.allowlists) {
            let text = allowlist_text(a);
            if !old_rule_lists.contains(&text) {
                out.push(format!("adds an allowlist to rule {id} for {text}"));
            }
        }
        match before {
            None => out.push(format!("adds rule {id}")),
            Some(b) => {
                let regex =
                    |r: &crate::config::RuleSpec| r.regex.as_ref().map(|x| x.get_ref().clone());
                let path =
                    |r: &crate::config::RuleSpec| r.path.as_ref().map(|x| x.get_ref().clone());
                if regex(b) != regex(rule)
                    || path(b) != path(rule)
                    || b.entropy != rule.entropy
                    || b.short_validator.as_ref().map(|v| v.get_ref())
                        != rule.short_validator.as_ref().map(|v| v.get_ref())
                    || b.keywords != rule.keywords
                {
                    out.push(format!("changes rule {id}"));
                }
            }
        }
    }
    let removed: Vec<&str> = old
        .rules
        .iter()
        .map(|r| r.id.get_ref().as_str())
        .filter(|id| !new.rules.iter().any(|r| r.id.get_ref() == id))
        .collect();
    if !removed.is_empty() {
        out.push(format!("removes rule {}", list(&removed)));
    }
    if out.is_empty() {
        out.push("edits it (no change to rules or allowlists found)".into());
    }
    out
}

/// gitleaks semantics, as `RuleSet::from_config`: the defaults are kept when asked for, or when the
/// file defines no rules of its own.
fn uses_default(c: &ConfigFile) -> bool {
    let ext = c.extend.as_ref();
    ext.is_some_and(|e| e.use_default)
        || (ext.is_none_or(|e| e.path.is_none()) && c.rules.is_empty())
}

fn global_allowlists(c: &ConfigFile) -> impl Iterator<Item = &AllowlistSpec> {
    c.allowlist.iter().chain(&c.allowlists)
}

/// "paths .*", "regexes ghp_ and stopwords test": what an allowlist matches on, in a few words.
fn allowlist_text(a: &AllowlistSpec) -> String {
    let s = |v: &[toml::Spanned<String>]| -> Vec<String> {
        v.iter().map(|x| x.get_ref().clone()).collect()
    };
    let mut parts = Vec::new();
    for (name, values) in [
        ("paths", s(&a.paths)),
        ("globs", s(&a.globs)),
        ("regexes", s(&a.regexes)),
        ("stopwords", s(&a.stopwords)),
        ("commits", s(&a.commits)),
    ] {
        if !values.is_empty() {
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            parts.push(format!("{name} {}", list(&refs)));
        }
    }
    if !a.fingerprints.is_empty() {
        parts.push(format!("{} fingerprints", a.fingerprints.len()));
    }
    if parts.is_empty() {
        parts.push("nothing".into());
    }
    let mut text = parts.join(" and ");
    if !a.target_rules.is_empty() {
        let refs: Vec<&str> = a
            .target_rules
            .iter()
            .map(|t| t.get_ref().as_str())
            .collect();
        text.push_str(&format!(" (rules {})", list(&refs)));
    }
    text
}

fn baseline_diff(old: Option<&str>, new: &str) -> Vec<String> {
    let fps = |t: &str| -> BTreeSet<String> {
        serde_json::from_str::<serde_json::Value>(t)
            .ok()
            .and_then(|v| v.get("findings").and_then(|f| f.as_array()).cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                e.get("fingerprint")
                    .and_then(|f| f.as_str())
                    .map(str::to_string)
            })
            .collect()
    };
    let before = old.map(fps).unwrap_or_default();
    let added = fps(new).difference(&before).count();
    vec![format!(
        "accepts {added} more finding{}",
        if added == 1 { "" } else { "s" }
    )]
}

fn ignore_diff(old: Option<&str>, new: &str) -> Vec<String> {
    let before: BTreeSet<&str> = old.map(|t| t.lines().collect()).unwrap_or_default();
    let added: Vec<&str> = new
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !before.contains(l))
        .collect();
    if added.is_empty() {
        vec!["edits it".into()]
    } else {
        vec![format!("ignores {}", list(&added))]
    }
}

fn list(items: &[&str]) -> String {
    let mut shown: Vec<String> = items
        .iter()
        .take(LIST_LIMIT)
        .map(|s| s.to_string())
        .collect();
    if items.len() > LIST_LIMIT {
        shown.push(format!("and {} more", items.len() - LIST_LIMIT));
    }
    shown.join(", ")
}
