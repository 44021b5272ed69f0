//! Named regex fragments of the built-in catalog (`rules/fragments/grammar.toml`): the assignment
//! grammar (operators, a string type's constructor, the lead-in from a name to its value…) written
//! once and referenced from a rule's regex as `(?&name)`, so widening it is one edit, not a textual
//! replace over a hundred rules. build.rs (which includes this file with `#[path]`, so it uses
//! nothing but std) expands the references before it embeds and precompiles the catalog: the binary,
//! `rules --check` and the examples only ever see the expanded regex.
//!
//! `(?&name)` is PCRE's call of a named group, which neither Go's nor Rust's regex syntax accepts, so
//! no valid regex means anything else by it; an escaped `\(` and a `(` inside a character class are
//! not references. A user's config (gitleaks' dialect) is never expanded: a regex there means what it
//! means in Go.
use std::collections::BTreeMap;

/// The fragments, each fully expanded (references to other fragments resolved).
#[derive(Debug, Default)]
pub struct Fragments {
    expanded: BTreeMap<String, String>,
}

impl Fragments {
    /// The fragments of a `[fragments]` table (name to regex text, which may reference other
    /// fragments). Refused: a cycle, an unknown or malformed reference, a newline (it would move
    /// the lines of the rule file as built, which messages name), and a top-level `|` (the text
    /// would split the alternation it is inserted in: wrap it in `(?:…)`).
    pub fn new(defs: &BTreeMap<String, String>) -> Result<Fragments, String> {
        let mut out = Fragments::default();
        for name in defs.keys() {
            let mut stack = Vec::new();
            resolve(name, defs, &mut out.expanded, &mut stack)?;
        }
        for (name, text) in &out.expanded {
            if text.contains('\n') || text.contains('\r') {
                return Err(format!("fragment {name} holds a line break"));
            }
            if has_top_level_bar(text) {
                return Err(format!(
                    "fragment {name} has a top-level `|`: wrap it in (?:...)"
                ));
            }
        }
        Ok(out)
    }

    /// `regex` with every reference replaced by its fragment's text.
    pub fn expand(&self, regex: &str) -> Result<String, String> {
        expand_with(regex, &|name| self.expanded.get(name).cloned())
    }

    /// The fragment names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.expanded.keys().map(String::as_str)
    }
}

/// The names `regex` references, in order (outside classes, not escaped), without expanding them.
pub fn references(regex: &str) -> Result<Vec<String>, String> {
    let names = std::cell::RefCell::new(Vec::new());
    expand_with(regex, &|name| {
        names.borrow_mut().push(name.to_string());
        Some(String::from("(?:)"))
    })?;
    Ok(names.into_inner())
}

fn resolve(
    name: &str,
    defs: &BTreeMap<String, String>,
    done: &mut BTreeMap<String, String>,
    stack: &mut Vec<String>,
) -> Result<String, String> {
    if let Some(text) = done.get(name) {
        return Ok(text.clone());
    }
    if stack.iter().any(|s| s == name) {
        stack.push(name.to_string());
        return Err(format!(
            "fragments refer to each other: {}",
            stack.join(" -> ")
        ));
    }
    let Some(text) = defs.get(name) else {
        return Err(format!("unknown fragment (?&{name})"));
    };
    stack.push(name.to_string());
    // The references of `text`, resolved first (a RefCell: `expand_with` takes a `Fn`).
    let mut inner = BTreeMap::new();
    for r in references(text).map_err(|e| format!("fragment {name}: {e}"))? {
        let t = resolve(&r, defs, done, stack).map_err(|e| {
            if e.starts_with("unknown") {
                format!("fragment {name}: {e}")
            } else {
                e
            }
        })?;
        inner.insert(r, t);
    }
    stack.pop();
    let expanded = expand_with(text, &|n| inner.get(n).cloned())
        .map_err(|e| format!("fragment {name}: {e}"))?;
    done.insert(name.to_string(), expanded.clone());
    Ok(expanded)
}

/// One pass over `regex`, replacing each reference with what `lookup` gives for its name. Escapes
/// (`\x`) and character classes (nested ones too, `[]…]` and `[^]…]` with their literal `]`) are
/// copied as they are.
fn expand_with(regex: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(regex.len());
    let mut chars = regex.char_indices().peekable();
    let mut class_depth = 0usize;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some((_, e)) = chars.next() {
                    out.push(e);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` first in a class (after an optional `^`) is a literal.
                if chars.peek().is_some_and(|&(_, n)| n == '^') {
                    out.push(chars.next().unwrap().1);
                }
                if chars.peek().is_some_and(|&(_, n)| n == ']') {
                    out.push(chars.next().unwrap().1);
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            '(' if class_depth == 0 && regex[i..].starts_with("(?&") => {
                let rest = &regex[i + 3..];
                let len = rest
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .unwrap_or(rest.len());
                let name = &rest[..len];
                if name.is_empty() || !rest[len..].starts_with(')') {
                    return Err(format!(
                        "malformed fragment reference at byte {i}: write (?&name)"
                    ));
                }
                let text = lookup(name).ok_or_else(|| format!("unknown fragment (?&{name})"))?;
                let after = &rest[len + 1..];
                if after.starts_with(['?', '*', '+', '{']) && !is_one_group(&text) {
                    return Err(format!(
                        "(?&{name}) is repeated but is not one group: wrap it in (?:...)"
                    ));
                }
                out.push_str(&text);
                // Skip the name and its `)`.
                for _ in 0..name.len() + 3 {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// Each top-level character of `text` (outside groups and classes, not escaped), with its byte
/// offset, and the group depth after it.
fn top_level(text: &str) -> Vec<(usize, char, usize)> {
    let mut out = Vec::new();
    let (mut depth, mut class_depth) = (0usize, 0usize);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => {
                class_depth += 1;
                if chars.peek().is_some_and(|&(_, n)| n == '^') {
                    chars.next();
                }
                if chars.peek().is_some_and(|&(_, n)| n == ']') {
                    chars.next();
                }
            }
            ']' if class_depth > 0 => class_depth -= 1,
            _ if class_depth > 0 => {}
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                out.push((i, c, depth));
            }
            _ => out.push((i, c, depth)),
        }
    }
    out
}

fn has_top_level_bar(text: &str) -> bool {
    top_level(text)
        .iter()
        .any(|&(_, c, depth)| c == '|' && depth == 0)
}

/// Whether `text` is one group, `(…)` with its closing parenthesis last, which a quantifier after
/// a reference repeats as a whole.
fn is_one_group(text: &str) -> bool {
    if !text.starts_with('(') || !text.ends_with(')') {
        return false;
    }
    // The first group closes at the end: no `)` at depth 0 before the last byte.
    top_level(text)
        .iter()
        .filter(|&&(_, c, depth)| c == ')' && depth == 0)
        .all(|&(i, _, _)| i == text.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frags(defs: &[(&str, &str)]) -> Result<Fragments, String> {
        Fragments::new(
            &defs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn expands_references_nested_in_fragments() {
        let f = frags(&[
            ("op", r"(?:=>|[=:])"),
            ("ctor", r"(?:String|Some)\("),
            ("lead", r"\s*(?&op)\s*(?:(?&ctor))?"),
        ])
        .unwrap();
        assert_eq!(
            f.expand(r"(?i:token)(?&lead)([a-z]{8})").unwrap(),
            r"(?i:token)\s*(?:=>|[=:])\s*(?:(?:String|Some)\()?([a-z]{8})"
        );
        assert_eq!(
            references(r"a(?&op)b(?&lead)").unwrap(),
            vec!["op".to_string(), "lead".to_string()]
        );
    }

    #[test]
    fn escaped_and_class_text_is_not_a_reference() {
        let f = frags(&[("op", "(?:=)")]).unwrap();
        // `\(` is a literal parenthesis, and `(` in a class (nested, after a leading `]`) is a
        // character: both stay as written.
        for literal in [
            r"\(?&op)",
            r"[(?&op)]",
            r"[](?&op)]",
            r"[^](?&op)]",
            r"[a-z&&[^(?&op)]]",
            r"[\](?&op)]",
        ] {
            assert_eq!(f.expand(literal).unwrap(), literal, "{literal}");
        }
        assert_eq!(f.expand(r"\\(?&op)").unwrap(), r"\\(?:=)");
        assert_eq!(f.expand(r"[]]x(?&op)").unwrap(), r"[]]x(?:=)");
        assert_eq!(f.expand("é(?&op)").unwrap(), "é(?:=)");
    }

    #[test]
    fn unknown_malformed_and_cyclic_references_are_one_line_errors() {
        let f = frags(&[("op", "(?:=)")]).unwrap();
        assert_eq!(
            f.expand("a(?&opp)").unwrap_err(),
            "unknown fragment (?&opp)"
        );
        assert!(f.expand("a(?&op").unwrap_err().starts_with("malformed"));
        assert!(f.expand("a(?&)").unwrap_err().starts_with("malformed"));
        assert_eq!(
            frags(&[("a", "(?&b)"), ("b", "x(?&a)")]).unwrap_err(),
            "fragments refer to each other: a -> b -> a"
        );
        assert_eq!(
            frags(&[("a", "(?&c)")]).unwrap_err(),
            "fragment a: unknown fragment (?&c)"
        );
        for e in [
            f.expand("a(?&opp)").unwrap_err(),
            frags(&[("a", "(?&b)"), ("b", "(?&a)")]).unwrap_err(),
        ] {
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn a_fragment_keeps_its_meaning_where_it_is_inserted() {
        assert!(frags(&[("op", "=|:")])
            .unwrap_err()
            .contains("top-level `|`"));
        assert!(frags(&[("op", "(?:=|:)|x")]).is_err());
        assert!(frags(&[("op", "[|](?:=|:)")]).is_ok());
        assert!(frags(&[("op", "a\nb")]).is_err());
        let f = frags(&[("seq", r"\s*="), ("group", "(?:=)"), ("two", "(?:a)(?:b)")]).unwrap();
        assert!(f.expand("(?&seq)?").unwrap_err().contains("not one group"));
        assert!(f.expand("(?&two){2}").is_err());
        assert_eq!(f.expand("(?&group)?").unwrap(), "(?:=)?");
        assert_eq!(f.expand("(?&seq)x").unwrap(), r"\s*=x");
    }

    /// The `regex` of every rule of a rule file's text.
    fn rule_regexes(text: &str) -> Vec<String> {
        let t: toml::Table = toml::from_str(text).unwrap();
        t.get("rules")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("regex").and_then(|v| v.as_str()).map(str::to_string))
            .collect()
    }

    /// The catalog as built holds no reference: build.rs expanded them all (a `(?&` left in would
    /// fail to compile, and the rule would be lost).
    #[test]
    fn the_built_catalog_is_expanded() {
        let mut rules = 0;
        for (name, text) in crate::config::default_rule_files() {
            for re in rule_regexes(text) {
                assert_eq!(references(&re).unwrap(), Vec::<String>::new(), "{name}");
                rules += 1;
            }
        }
        assert!(rules > 600, "{rules}");
    }

    /// Every fragment is used by some rule as written in rules/ (an unused one is a fragment whose
    /// rules were edited away from it: remove it, or re-run scripts/fragment_rules.py).
    #[test]
    fn every_fragment_is_used() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let defs: toml::Table =
            toml::from_str(&std::fs::read_to_string(dir.join("fragments/grammar.toml")).unwrap())
                .unwrap();
        let defs: BTreeMap<String, String> = defs["fragments"]
            .as_table()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let f = Fragments::new(&defs).unwrap();
        let mut used: BTreeMap<String, usize> = f.names().map(|n| (n.to_string(), 0)).collect();
        let mark = |text: &str, used: &mut BTreeMap<String, usize>| {
            for r in references(text).unwrap() {
                *used.get_mut(&r).unwrap() += 1;
            }
        };
        // A fragment used only inside other fragments counts as used.
        for text in defs.values() {
            mark(text, &mut used);
        }
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                for re in rule_regexes(&std::fs::read_to_string(&p).unwrap()) {
                    mark(&re, &mut used);
                }
            }
        }
        let unused: Vec<_> = used.iter().filter(|(_, &n)| n == 0).collect();
        assert!(unused.is_empty(), "unused fragments: {unused:?}");
    }
}
