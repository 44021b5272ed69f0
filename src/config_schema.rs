//! The config schema check: every key a config file uses must be one leakguard reads, one of
//! gitleaks' keys that leakguard accepts and ignores (noted), or an error with a "did you mean". The
//! invalid combinations gitleaks rejects are rejected here too, one line each, all in one run.
//!
//! gitleaks reads its config through viper, which ignores key case, so the all-lowercase spelling of
//! every camelCase key is accepted as well (serde aliases in config.rs read them).

use crate::config::{line_of, ConfigError};
use toml_edit::{ImDocument, Item, Table, Value};

/// Keys of each table: (key, what leakguard does with it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Read,
    /// gitleaks' schema, ignored by leakguard: accepted with a note.
    Ignored(&'static str),
}

const TOP: &[(&str, Kind)] = &[
    ("title", Kind::Ignored("a label only")),
    ("description", Kind::Ignored("a label only")),
    ("minVersion", Kind::Ignored("a gitleaks version")),
    ("extend", Kind::Read),
    ("rules", Kind::Read),
    ("allowlist", Kind::Read),
    ("allowlists", Kind::Read),
];

const EXTEND: &[(&str, Kind)] = &[
    ("path", Kind::Read),
    ("useDefault", Kind::Read),
    ("disabledRules", Kind::Read),
    (
        "url",
        Kind::Ignored("not implemented by gitleaks either; use `path`"),
    ),
];

const RULE: &[(&str, Kind)] = &[
    ("id", Kind::Read),
    ("description", Kind::Read),
    ("regex", Kind::Read),
    ("secretGroup", Kind::Read),
    ("entropy", Kind::Read),
    ("keywords", Kind::Read),
    ("path", Kind::Read),
    ("tags", Kind::Read),
    ("allowlist", Kind::Read),
    ("allowlists", Kind::Read),
    (
        "skipReport",
        Kind::Ignored("leakguard reports every rule that matches"),
    ),
    (
        "required",
        Kind::Ignored("composite rules are not supported: the rule matches on its own"),
    ),
    // leakguard's additions.
    ("aliases", Kind::Read),
    ("severity", Kind::Read),
    ("validators", Kind::Read),
    ("shortValidator", Kind::Read),
    ("skipPlaceholders", Kind::Read),
    ("lines", Kind::Read),
    ("examples", Kind::Read),
    ("verify", Kind::Read),
];

const ALLOWLIST: &[(&str, Kind)] = &[
    ("description", Kind::Read),
    ("condition", Kind::Read),
    ("regexTarget", Kind::Read),
    ("regexes", Kind::Read),
    ("paths", Kind::Read),
    ("stopwords", Kind::Read),
    ("commits", Kind::Read),
    ("targetRules", Kind::Read),
    // leakguard's additions.
    ("globs", Kind::Read),
    ("fingerprints", Kind::Read),
];

/// The keys that make an allowlist allow something; one without any allows nothing.
const ALLOWLIST_CHECKS: &[&str] = &[
    "regexes",
    "paths",
    "stopwords",
    "commits",
    "globs",
    "fingerprints",
];

const EXAMPLES: &[(&str, Kind)] = &[
    ("path", Kind::Read),
    ("positive", Kind::Read),
    ("negative", Kind::Read),
    ("positivePaths", Kind::Read),
    ("negativePaths", Kind::Read),
];

/// Problems (errors) and notes (ignored gitleaks keys) of one config text. A text that is not valid
/// TOML yields nothing here: the TOML parser reports it.
pub fn check(origin: &str, text: &str) -> (Vec<ConfigError>, Vec<String>) {
    let mut c = Checker {
        origin,
        text,
        problems: Vec::new(),
        ignored: Vec::new(),
    };
    if let Ok(doc) = ImDocument::parse(text) {
        c.top(doc.as_table());
    }
    let notes = if c.ignored.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{origin}: gitleaks keys leakguard ignores: {}",
            c.ignored.join("; ")
        )]
    };
    (c.problems, notes)
}

struct Checker<'a> {
    origin: &'a str,
    text: &'a str,
    problems: Vec<ConfigError>,
    ignored: Vec<String>,
}

/// A table, whether written as `[table]` or inline `{ … }`.
enum Tab<'a> {
    Table(&'a Table),
    Inline(&'a toml_edit::InlineTable),
}

impl<'a> Tab<'a> {
    fn of(item: &'a Item) -> Option<Tab<'a>> {
        match item {
            Item::Table(t) => Some(Tab::Table(t)),
            Item::Value(Value::InlineTable(t)) => Some(Tab::Inline(t)),
            _ => None,
        }
    }

    /// (key, key's offset, value).
    fn entries(&self) -> Vec<(&'a str, Option<usize>, &'a Item)> {
        match self {
            Tab::Table(t) => t
                .iter()
                .map(|(k, v)| (k, t.key(k).and_then(|k| k.span()).map(|s| s.start), v))
                .collect(),
            Tab::Inline(t) => t
                .iter()
                .filter_map(|(k, _)| {
                    let (key, item) = t.get_key_value(k)?;
                    Some((k, key.span().map(|s| s.start), item))
                })
                .collect(),
        }
    }

    fn span_start(&self) -> Option<usize> {
        match self {
            Tab::Table(t) => t.span().map(|s| s.start),
            Tab::Inline(t) => t.span().map(|s| s.start),
        }
    }
}

/// The tables of an array of tables (`[[rules]]`) or of an inline array of tables.
fn tables_of(item: &Item) -> Vec<Tab<'_>> {
    match item {
        Item::ArrayOfTables(a) => a.iter().map(Tab::Table).collect(),
        Item::Value(Value::Array(a)) => a
            .iter()
            .filter_map(|v| match v {
                Value::InlineTable(t) => Some(Tab::Inline(t)),
                _ => None,
            })
            .collect(),
        other => Tab::of(other).into_iter().collect(),
    }
}

fn canonical(schema: &'static [(&'static str, Kind)], key: &str) -> Option<(&'static str, Kind)> {
    schema
        .iter()
        .find(|(k, _)| *k == key || k.to_ascii_lowercase() == key)
        .or_else(|| {
            // gitleaks' own spellings that differ from leakguard's.
            let alt = match key {
                "stopWords" => "stopwords",
                "allowList" => "allowlist",
                "allowLists" => "allowlists",
                _ => return None,
            };
            schema.iter().find(|(k, _)| *k == alt)
        })
        .copied()
}

impl Checker<'_> {
    fn problem(&mut self, at: Option<usize>, rule: Option<&str>, message: String) {
        self.problems.push(ConfigError {
            origin: self.origin.to_string(),
            line: at.map(|o| line_of(self.text, o)),
            rule: rule.map(str::to_string),
            message,
        });
    }

    /// Checks the keys of `tab` against `schema`; returns the entries under their canonical names.
    fn keys<'t>(
        &mut self,
        tab: &Tab<'t>,
        schema: &'static [(&'static str, Kind)],
        section: &str,
        rule: Option<&str>,
    ) -> Vec<(&'static str, Option<usize>, &'t Item)> {
        let mut known = Vec::new();
        for (key, at, item) in tab.entries() {
            match canonical(schema, key) {
                Some((name, Kind::Read)) => known.push((name, at, item)),
                Some((name, Kind::Ignored(why))) => {
                    let line = at.map(|o| line_of(self.text, o));
                    let place = line.map(|l| format!(" (line {l})")).unwrap_or_default();
                    self.ignored.push(format!("{section}{name}{place}: {why}"));
                }
                None => {
                    let hint = did_you_mean(key, schema.iter().map(|(k, _)| *k));
                    self.problem(at, rule, format!("unknown key `{section}{key}`{hint}"));
                }
            }
        }
        known
    }

    fn top(&mut self, table: &Table) {
        let known = self.keys(&Tab::Table(table), TOP, "", None);
        let has = |name: &str| known.iter().find(|(k, _, _)| *k == name);
        if let (Some(single), Some(_)) = (has("allowlist"), has("allowlists")) {
            self.problem(
                single.1,
                None,
                "[allowlist] cannot be used alongside [[allowlists]] (gitleaks rejects it too): move it into an [[allowlists]] entry".into(),
            );
        }
        for (name, at, item) in &known {
            match *name {
                "extend" => match Tab::of(item) {
                    Some(t) => self.extend(&t),
                    None => self.problem(*at, None, "`extend` must be a table".into()),
                },
                "rules" => {
                    for t in tables_of(item) {
                        self.rule(&t);
                    }
                }
                "allowlist" | "allowlists" => {
                    for t in tables_of(item) {
                        self.allowlist(&t, *at, None, name);
                    }
                }
                _ => {}
            }
        }
    }

    fn extend(&mut self, tab: &Tab) {
        let known = self.keys(tab, EXTEND, "extend.", None);
        let find = |name: &str| known.iter().find(|(k, _, _)| *k == name);
        let use_default = find("useDefault").is_some_and(|(_, _, v)| v.as_bool() == Some(true));
        if let (true, Some(path)) = (use_default, find("path")) {
            self.problem(
                path.1,
                None,
                "[extend] useDefault and path cannot both be set (gitleaks rejects it too): extend the defaults in the base file".into(),
            );
        }
    }

    fn rule(&mut self, tab: &Tab) {
        let id_item = tab.entries().into_iter().find(|(k, _, _)| *k == "id");
        let id = id_item.and_then(|(_, _, v)| v.as_str()).map(str::to_string);
        let id = id.as_deref();
        let known = self.keys(tab, RULE, "rules.", id);
        let has = |name: &str| known.iter().find(|(k, _, _)| *k == name);
        if let (Some(single), Some(_)) = (has("allowlist"), has("allowlists")) {
            self.problem(
                single.1,
                id,
                "[rules.allowlist] cannot be used alongside [[rules.allowlists]] (gitleaks rejects it too)".into(),
            );
        }
        for (name, at, item) in &known {
            match *name {
                "allowlist" | "allowlists" => {
                    for t in tables_of(item) {
                        self.allowlist(&t, *at, id, &format!("rules.{name}"));
                    }
                }
                "examples" => {
                    if let Some(t) = Tab::of(item) {
                        self.keys(&t, EXAMPLES, "rules.examples.", id);
                    }
                }
                _ => {}
            }
        }
    }

    fn allowlist(&mut self, tab: &Tab, key_at: Option<usize>, rule: Option<&str>, section: &str) {
        let known = self.keys(tab, ALLOWLIST, &format!("{section}."), rule);
        let at = tab.span_start().or(key_at);
        if rule.is_some() {
            if let Some((_, t_at, _)) = known.iter().find(|(k, _, _)| *k == "targetRules") {
                self.problem(
                    *t_at,
                    rule,
                    "targetRules belongs in a global [[allowlists]]; a rule's allowlist applies to that rule".into(),
                );
            }
        }
        let checks = known.iter().any(|(k, _, v)| {
            ALLOWLIST_CHECKS.contains(k) && v.as_array().is_none_or(|a| !a.is_empty())
        });
        if !checks {
            self.problem(
                at,
                rule,
                format!(
                    "[{section}] allows nothing: it needs at least one of {} (gitleaks rejects it too)",
                    ALLOWLIST_CHECKS.join(", ")
                ),
            );
        }
    }
}

/// ", did you mean `x`?" for the known key closest to `key`, when it is a near miss.
fn did_you_mean<'k>(key: &str, known: impl Iterator<Item = &'k str>) -> String {
    let lower = key.to_ascii_lowercase();
    let best = known
        .map(|k| {
            (
                strsim::damerau_levenshtein(&lower, &k.to_ascii_lowercase()),
                k,
            )
        })
        .min();
    match best {
        Some((d, k)) if d <= 2.max(key.len() / 3) => format!(", did you mean `{k}`?"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    fn errors(text: &str) -> Vec<String> {
        check("c.toml", text)
            .0
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn typo_in_rule_key_is_named_with_its_line_and_a_suggestion() {
        let e = errors("[[rules]]\nid = \"x\"\nregex = 'a'\nkeyword = [\"a\"]\n");
        assert_eq!(
            e,
            ["c.toml:4: rule 'x': unknown key `rules.keyword`, did you mean `keywords`?"]
        );
    }

    #[test]
    fn allowlist_path_for_paths() {
        let e = errors("[[allowlists]]\npath = ['''x''']\n");
        assert!(e[0].starts_with("c.toml:2: unknown key `allowlists.path`, did you mean `paths`?"));
        assert!(e[1].contains("allows nothing"), "{e:?}");
    }

    #[test]
    fn gitleaks_keys_are_noted_not_rejected() {
        let (e, notes) = check(
            "c.toml",
            "title = \"t\"\nminVersion = \"v8.25.0\"\n[[rules]]\nid = \"x\"\nregex = 'a'\nskipReport = true\n",
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("title (line 1)") && notes[0].contains("rules.skipReport (line 6)")
        );
    }

    #[test]
    fn lowercase_spellings_are_gitleaks_spellings() {
        let e = errors(
            "[extend]\nusedefault = true\ndisabledrules = [\"a\"]\n[[allowlists]]\nregextarget = \"line\"\nstopWords = [\"x\"]\ntargetrules = [\"a\"]\n",
        );
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn invalid_combinations() {
        let e = errors("[allowlist]\npaths = ['a']\n[[allowlists]]\npaths = ['b']\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("c.toml:1: [allowlist] cannot be used alongside"));
        let e = errors("[extend]\nuseDefault = true\npath = \"b.toml\"\n");
        assert!(e[0].starts_with("c.toml:3: [extend] useDefault and path"));
        let e = errors("[[rules]]\nid = \"x\"\nregex = 'a'\n[[rules.allowlists]]\ntargetRules = [\"y\"]\nregexes = ['b']\n");
        assert!(
            e[0].starts_with("c.toml:5: rule 'x': targetRules belongs"),
            "{e:?}"
        );
        let e = errors("[[allowlists]]\ndescription = \"empty\"\n");
        assert!(
            e[0].starts_with("c.toml:1: [allowlists] allows nothing"),
            "{e:?}"
        );
    }

    #[test]
    fn built_in_rule_files_pass() {
        for (name, text) in crate::config::default_rule_files() {
            let (e, notes) = check(name, text);
            assert!(e.is_empty() && notes.is_empty(), "{name}: {e:?} {notes:?}");
        }
    }
}
