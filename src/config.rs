//! Configuration in gitleaks' TOML dialect, plus leakguard's extra keys (validators, examples,
//! skipPlaceholders, fingerprints, globs). Parsing only: `rules.rs` compiles what this reads.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The default rule files as written (examples included): each file's name and length, in the
/// order build.rs wrote them one after another into `DEFAULT_RULE_TEXT`. A scan parses the
/// precompiled catalog and never inflates these; `rules --check`, `Examples::resolved` and the
/// tests do.
const DEFAULT_RULE_FILES: &[(&str, usize)] =
    &include!(concat!(env!("OUT_DIR"), "/default_rules.rs"));
/// The files' texts, one after another, deflated as one stream after their length (four bytes,
/// little-endian).
const DEFAULT_RULE_TEXT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default_rules.deflate"));

/// The default rule files as written, embedded at build time so the binary is self-contained;
/// inflated once, on first use.
pub fn default_rule_files() -> &'static [(&'static str, String)] {
    static FILES: std::sync::OnceLock<Vec<(&'static str, String)>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let (len, deflated) = DEFAULT_RULE_TEXT.split_at(4);
        let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
        let mut text = Vec::with_capacity(len);
        let status = flate2::Decompress::new(false)
            .decompress_vec(deflated, &mut text, flate2::FlushDecompress::Finish)
            .expect("built-in rule files inflate (deflated by build.rs)");
        assert!(status == flate2::Status::StreamEnd && text.len() == len);
        let text = String::from_utf8(text).expect("rule files are UTF-8");
        let mut at = 0;
        DEFAULT_RULE_FILES
            .iter()
            .map(|&(name, n)| {
                at += n;
                (name, text[at - n..at].to_string())
            })
            .collect()
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigFile {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub extend: Option<Extend>,
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// gitleaks before 8.25: one global allowlist.
    #[serde(default, alias = "allowList")]
    pub allowlist: Option<AllowlistSpec>,
    /// gitleaks 8.25+: several global allowlists, optionally limited to some rules.
    #[serde(default, alias = "allowLists")]
    pub allowlists: Vec<AllowlistSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extend {
    #[serde(default, alias = "usedefault")]
    pub use_default: bool,
    #[serde(default)]
    pub path: Option<Spanned<String>>,
    #[serde(default, alias = "disabledrules")]
    pub disabled_rules: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleSpec {
    pub id: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub regex: Option<Spanned<String>>,
    #[serde(default, alias = "secretgroup")]
    pub secret_group: Option<usize>,
    #[serde(default)]
    pub entropy: Option<f64>,
    #[serde(default)]
    pub keywords: Option<Vec<String>>,
    #[serde(default)]
    pub path: Option<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// leakguard: other ids the rule answers to (gitleaks' ids for the same credential) in
    /// disabledRules, targetRules, rule extensions and .gitleaksignore. The `id` stays canonical.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default, alias = "allowList")]
    pub allowlist: Option<AllowlistSpec>,
    #[serde(default, alias = "allowLists")]
    pub allowlists: Vec<AllowlistSpec>,
    #[serde(default)]
    pub validators: Vec<Spanned<String>>,
    /// leakguard: a validator that keeps a secret under the rule's entropy floor (a short key
    /// judged by its shape, `interleaved`); the entropy floor still judges every other secret.
    #[serde(default)]
    pub short_validator: Option<Spanned<String>>,
    #[serde(default, alias = "skipplaceholders")]
    pub skip_placeholders: Option<bool>,
    /// leakguard: whether the rule's matches may go on past its keyword's line ("many") or keep
    /// to it ("one"); absent, the regex says (`engine::gate::line_use`).
    #[serde(default)]
    pub lines: Option<Spanned<String>>,
    #[serde(default)]
    pub examples: Option<Examples>,
    /// leakguard: how bad a finding of this rule is ("critical", "high", "medium", "low", "info");
    /// "high" when absent. A Stripe test key is "low": it moves no money.
    #[serde(default)]
    pub severity: Option<Spanned<String>>,
    /// leakguard: how `--verify` asks the provider about this rule's secrets (see rules/verify/).
    #[serde(default)]
    pub verify: Option<crate::verify::VerifyToml>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct AllowlistSpec {
    #[serde(default)]
    pub description: Option<String>,
    /// "OR" (default): any criterion allows. "AND": every criterion given must hold.
    #[serde(default)]
    pub condition: Option<Spanned<String>>,
    /// "secret" (default), "match" or "line".
    #[serde(default, alias = "regextarget")]
    pub regex_target: Option<Spanned<String>>,
    #[serde(default)]
    pub regexes: Vec<Spanned<String>>,
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    /// leakguard: path globs, as in .gitignore (`fixtures/**`).
    #[serde(default)]
    pub globs: Vec<Spanned<String>>,
    #[serde(default, alias = "stopWords")]
    pub stopwords: Vec<Spanned<String>>,
    #[serde(default)]
    pub commits: Vec<Spanned<String>>,
    /// leakguard: finding fingerprints to accept.
    #[serde(default)]
    pub fingerprints: Vec<Spanned<String>>,
    /// gitleaks 8.25+: global allowlist that applies only to these rule ids.
    #[serde(default, alias = "targetrules")]
    pub target_rules: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Examples {
    /// Set by `default_configs` in place of a built-in table's contents (see `resolved`).
    #[serde(default)]
    pub builtin: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub positive: Vec<String>,
    #[serde(default)]
    pub negative: Vec<String>,
    #[serde(default, alias = "positivepaths")]
    pub positive_paths: Vec<String>,
    #[serde(default, alias = "negativepaths")]
    pub negative_paths: Vec<String>,
}

/// A parsed config file with its name and text, kept to turn byte offsets into line numbers in errors.
#[derive(Debug)]
pub struct SourcedConfig {
    pub origin: String,
    /// Empty for a built-in file (decoded, not parsed).
    pub text: String,
    /// The spans are lines, not byte offsets into `text`: a built-in file's (`default_configs`).
    pub lines: bool,
    pub file: ConfigFile,
    /// What the schema check (config_schema.rs) rejects: unknown keys, invalid combinations.
    pub problems: Vec<ConfigError>,
    /// Keys of gitleaks' schema that leakguard accepts and ignores.
    pub notes: Vec<String>,
}

impl SourcedConfig {
    /// The line of a span's start.
    pub fn line_of(&self, offset: usize) -> usize {
        if self.lines {
            return offset;
        }
        line_of(&self.text, offset)
    }
}

pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A configuration problem, with enough context (file, line, rule) to fix it.
#[derive(Debug)]
pub struct ConfigError {
    pub origin: String,
    pub line: Option<usize>,
    pub rule: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule '{rule}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

pub fn parse(origin: &str, text: &str) -> Result<SourcedConfig, ConfigError> {
    match toml::from_str::<ConfigFile>(text) {
        Ok(file) => {
            let mut cfg = SourcedConfig {
                origin: origin.to_string(),
                text: text.to_string(),
                lines: false,
                file,
                problems: Vec::new(),
                notes: Vec::new(),
            };
            // Built-in rule files are checked by the test suite, not at every start.
            if !origin.starts_with(BUILTIN_ORIGIN) {
                let (problems, notes) = crate::config_schema::check(origin, text);
                cfg.problems = problems;
                cfg.notes = notes;
            }
            Ok(cfg)
        }
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            let column = e.span().map(|s| {
                let start = s.start.min(text.len());
                start - text[..start].rfind('\n').map_or(0, |i| i + 1) + 1
            });
            let message = match column {
                Some(c) => format!("column {c}: invalid TOML: {}", e.message()),
                None => format!("invalid TOML: {}", e.message()),
            };
            Err(ConfigError {
                origin: origin.to_string(),
                line,
                rule: None,
                message,
            })
        }
    }
}

pub fn read(path: &Path) -> Result<SourcedConfig, ConfigError> {
    let origin = path.display().to_string();
    let place = crate::config_source::Place::Disk(path.to_path_buf());
    let text = crate::config_source::Source::Disk
        .read(&place, crate::config_source::MAX_CONFIG_BYTES)
        .map_err(|e| ConfigError {
            origin: origin.clone(),
            line: None,
            rule: None,
            message: format!("cannot read config: {}", e.reason),
        })?;
    parse(&origin, &text)
}

/// The origin prefix of built-in rule files, as shown in messages.
pub const BUILTIN_ORIGIN: &str = "<builtin>/";

/// The built-in rule files, decoded from the catalog build.rs precompiled (`catalog_compiled`):
/// parsing their TOML was most of a small scan's start-up (33M instructions of a one-file scan's
/// 74M). They are parsed without their `[rules.examples]`; each examples table keeps a `builtin`
/// key naming it, so that `Examples::resolved` finds it when a command asks (`rules --check`, the
/// tests). A built-in config has no text: its spans hold the line each value is written on
/// (`SourcedConfig::line_of`).
pub fn default_configs() -> Vec<SourcedConfig> {
    use crate::catalog_compiled::{File, Lined};
    let files: Vec<(String, File<Lined>)> =
        postcard::from_bytes(PRECOMPILED_CATALOG).expect("the precompiled catalog decodes");
    files
        .into_iter()
        .map(|(name, file)| SourcedConfig {
            origin: format!("{BUILTIN_ORIGIN}rules/{name}"),
            text: String::new(),
            lines: true,
            file: from_precompiled(file),
            problems: Vec::new(),
            notes: Vec::new(),
        })
        .collect()
}

/// What build.rs wrote: every rule file's `catalog_compiled::File`, in name order.
const PRECOMPILED_CATALOG: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.postcard"));

/// A decoded file as `parse` gives it, with each value's line as its span.
fn from_precompiled(
    f: crate::catalog_compiled::File<crate::catalog_compiled::Lined>,
) -> ConfigFile {
    use crate::catalog_compiled::{Allowlist, Lined, Rule};
    fn at(l: Lined) -> Spanned<String> {
        let line = l.line as usize;
        Spanned::new(line..line, l.value)
    }
    fn all(v: Vec<Lined>) -> Vec<Spanned<String>> {
        v.into_iter().map(at).collect()
    }
    fn allowlist(a: Allowlist<Lined>) -> AllowlistSpec {
        AllowlistSpec {
            description: a.description,
            condition: a.condition.map(at),
            regex_target: a.regex_target.map(at),
            regexes: all(a.regexes),
            paths: all(a.paths),
            globs: all(a.globs),
            stopwords: all(a.stopwords),
            commits: all(a.commits),
            fingerprints: all(a.fingerprints),
            target_rules: all(a.target_rules),
        }
    }
    fn rule(r: Rule<Lined>) -> RuleSpec {
        RuleSpec {
            id: at(r.id),
            description: r.description,
            regex: r.regex.map(at),
            secret_group: r.secret_group,
            entropy: r.entropy,
            keywords: r.keywords,
            path: r.path.map(at),
            tags: r.tags,
            aliases: r.aliases,
            allowlist: r.allowlist.map(allowlist),
            allowlists: r.allowlists.into_iter().map(allowlist).collect(),
            validators: all(r.validators),
            short_validator: r.short_validator.map(at),
            skip_placeholders: r.skip_placeholders,
            lines: r.lines.map(at),
            examples: r.examples.map(|k| Examples {
                builtin: Some(k.builtin),
                ..Examples::default()
            }),
            severity: r.severity.map(at),
            verify: None,
        }
    }
    ConfigFile {
        title: f.title,
        extend: None,
        rules: f.rules.into_iter().map(rule).collect(),
        allowlist: f.allowlist.map(allowlist),
        allowlists: f.allowlists.into_iter().map(allowlist).collect(),
    }
}

/// The built-in rule files parsed from their TOML, as build.rs parses them to precompile the
/// catalog (without their examples; spans are byte offsets into the lean texts): what
/// `default_configs` must equal, rule by rule.
#[cfg(test)]
pub(crate) fn default_configs_from_toml() -> Vec<(SourcedConfig, String)> {
    default_rule_files()
        .iter()
        .map(|(name, text)| {
            let lean = crate::catalog_lean::without_examples(name, text);
            let cfg = parse(&format!("{BUILTIN_ORIGIN}rules/{name}"), &lean)
                .expect("built-in rules are valid TOML");
            (cfg, lean)
        })
        .collect()
}

/// Every built-in examples table, by the key `catalog_lean::without_examples` gave it: parsed from the whole
/// text, once, when something asks for examples.
fn builtin_examples() -> &'static std::collections::HashMap<String, Examples> {
    #[derive(Deserialize)]
    struct File {
        #[serde(default)]
        rules: Vec<Entry>,
    }
    #[derive(Deserialize)]
    struct Entry {
        #[serde(default)]
        examples: Option<Examples>,
    }
    static MAP: std::sync::OnceLock<std::collections::HashMap<String, Examples>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = std::collections::HashMap::new();
        for (name, text) in default_rule_files() {
            let file: File = toml::from_str(text).expect("built-in rules are valid TOML");
            for (k, ex) in file
                .rules
                .into_iter()
                .filter_map(|r| r.examples)
                .enumerate()
            {
                map.insert(format!("{name}#{k}"), ex);
            }
        }
        map
    })
}

impl Examples {
    /// The examples themselves: for a built-in table parsed without them, the table as written.
    pub fn resolved(&self) -> &Examples {
        match &self.builtin {
            Some(key) => builtin_examples().get(key).unwrap_or(self),
            None => self,
        }
    }
}

/// The config file a scan of `root` uses when none is named: `.leakguard.toml`, else `.gitleaks.toml`.
pub fn discover(root: &Path) -> Option<PathBuf> {
    let dir = if root.is_file() { root.parent()? } else { root };
    [".leakguard.toml", ".gitleaks.toml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// Every problem found in a config chain, one line each, so that a user fixes them in one pass.
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl std::fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

impl From<ConfigError> for ConfigErrors {
    fn from(e: ConfigError) -> Self {
        ConfigErrors(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second rule under an id already taken would replace the first as a user's config
    /// replaces a built-in rule (the later one wins), silently dropping a detector.
    #[test]
    fn built_in_rule_ids_are_unique() {
        let mut seen = std::collections::HashMap::new();
        for config in default_configs() {
            for rule in &config.file.rules {
                let id = rule.id.get_ref().clone();
                if let Some(first) = seen.insert(id.clone(), config.origin.clone()) {
                    panic!("rule id {id} in {} and {first}", config.origin);
                }
            }
        }
        assert!(seen.len() > 600, "{}", seen.len());
    }

    #[test]
    fn built_in_files_parse_the_same_without_their_examples() {
        let mut tables = 0;
        for (name, text) in default_rule_files() {
            let stripped = crate::catalog_lean::without_examples(name, text);
            assert_eq!(stripped.lines().count(), text.lines().count(), "{name}");
            let mut full: toml::Table = toml::from_str(text).unwrap();
            let lean: toml::Table = toml::from_str(&stripped).unwrap();
            // The whole file with each examples table replaced by its key is the stripped file.
            let mut k = 0;
            if let Some(toml::Value::Array(rules)) = full.get_mut("rules") {
                for r in rules {
                    if let Some(ex) = r.get_mut("examples") {
                        let resolved = &builtin_examples()[&format!("{name}#{k}")];
                        assert_eq!(
                            ex.get("positive").map(|p| p.as_array().unwrap().len()),
                            Some(resolved.positive.len()).filter(|_| ex.get("positive").is_some()),
                            "{name}#{k}"
                        );
                        let mut key = toml::Table::new();
                        key.insert("builtin".into(), format!("{name}#{k}").into());
                        *ex = toml::Value::Table(key);
                        k += 1;
                    }
                }
            }
            assert_eq!(full, lean, "{name}");
            tables += k;
        }
        assert_eq!(builtin_examples().len(), tables);
        assert!(tables > 100, "{tables}");
    }

    /// Every value of a config, printed, with each span given as the line it starts on (a
    /// decoded file's spans are lines already).
    fn printed_with_lines(cfg: &SourcedConfig) -> String {
        let printed = format!("{:#?}", cfg.file);
        let span = regex::Regex::new(r"span: (\d+)\.\.(\d+)").unwrap();
        span.replace_all(&printed, |c: &regex::Captures| {
            format!("line: {}", cfg.line_of(c[1].parse().unwrap()))
        })
        .into_owned()
    }

    /// The catalog a run decodes is what parsing the rule files gives: the same files in the same
    /// order, every rule with every field (regex, keywords, path, allowlists with each entry,
    /// severity, the examples key) and every value on the same line. It fails when build.rs drops
    /// or changes a field, when a field added to `RuleSpec` is not carried, or when the binary
    /// embeds a stale catalog.
    #[test]
    fn the_precompiled_catalog_is_the_rule_files_parsed_rule_by_rule() {
        let decoded = default_configs();
        let parsed = default_configs_from_toml();
        assert_eq!(decoded.len(), parsed.len());
        let mut rules = 0;
        for (d, (p, lean)) in decoded.iter().zip(&parsed) {
            assert_eq!(d.origin, p.origin);
            assert!(d.lines && !p.lines && p.text == *lean);
            assert_eq!(d.file.rules.len(), p.file.rules.len(), "{}", d.origin);
            // Rule by rule, so that a difference names its rule.
            let (dp, pp) = (printed_with_lines(d), printed_with_lines(p));
            let split = |s: &str| -> Vec<String> {
                s.split("\n        RuleSpec {")
                    .map(str::to_string)
                    .collect()
            };
            let (dr, pr) = (split(&dp), split(&pp));
            assert_eq!(dr.len(), d.file.rules.len() + 1, "{}", d.origin);
            for (a, b) in dr.iter().zip(&pr) {
                assert_eq!(a, b, "{}", d.origin);
            }
            assert_eq!(dp, pp, "{}", d.origin);
            assert!(dp.contains("line: "), "{}", d.origin);
            rules += d.file.rules.len();
        }
        assert!(rules > 600, "{rules}");
        // What the rules compile to, too: the same ids, regexes, keywords and allowlist lines.
        let set = crate::rules::RuleSet::builtin().unwrap();
        assert_eq!(set.rules.len(), rules);
    }
}
