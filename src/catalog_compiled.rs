//! The shape of the precompiled built-in catalog. build.rs (which includes this file with `#[path]`,
//! so it uses nothing but std and serde) parses each rule file's lean text once, as TOML with spans,
//! and writes these structs with postcard; a run decodes them (`config::default_configs`) instead of
//! parsing ~330 KB of TOML at every start, which was half of what a one-file scan paid.
//!
//! The fields are `config::ConfigFile`'s for what the built-in files use, with `S` the type of a
//! value whose place is kept: `toml::Spanned<String>` when build.rs reads the TOML, `Lined` in the
//! binary. Unknown keys are refused (`deny_unknown_fields`), so a key added to the catalog that
//! this shape does not carry (an `[extend]`, a `[rules.verify]`) stops the build instead of being
//! dropped; the test suite compares every decoded file with the TOML parse, rule by rule.
use serde::{Deserialize, Serialize};

// `S` needs no `Default` for `#[serde(default)]` on an `Option<S>` or a `Vec<S>`: the bound serde
// would infer is replaced by the one that holds.

/// A value and the line of the rule file it is written on (1-based): what messages and
/// suppression reports name, and all that the binary keeps of its place.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lined {
    pub line: u32,
    pub value: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct File<S> {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub rules: Vec<Rule<S>>,
    #[serde(default, alias = "allowList")]
    pub allowlist: Option<Allowlist<S>>,
    #[serde(default, alias = "allowLists")]
    pub allowlists: Vec<Allowlist<S>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct Rule<S> {
    pub id: S,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub regex: Option<S>,
    #[serde(default, alias = "secretgroup")]
    pub secret_group: Option<usize>,
    #[serde(default)]
    pub entropy: Option<f64>,
    #[serde(default)]
    pub keywords: Option<Vec<String>>,
    #[serde(default)]
    pub path: Option<S>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default, alias = "allowList")]
    pub allowlist: Option<Allowlist<S>>,
    #[serde(default, alias = "allowLists")]
    pub allowlists: Vec<Allowlist<S>>,
    #[serde(default)]
    pub validators: Vec<S>,
    #[serde(default)]
    pub short_validator: Option<S>,
    #[serde(default, alias = "skipplaceholders")]
    pub skip_placeholders: Option<bool>,
    #[serde(default)]
    pub lines: Option<S>,
    /// The key `catalog_lean::without_examples` left in place of the table (`builtin = "NAME#K"`).
    #[serde(default)]
    pub examples: Option<ExamplesKey>,
    #[serde(default)]
    pub severity: Option<S>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplesKey {
    pub builtin: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct Allowlist<S> {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub condition: Option<S>,
    #[serde(default, alias = "regextarget")]
    pub regex_target: Option<S>,
    #[serde(default)]
    pub regexes: Vec<S>,
    #[serde(default)]
    pub paths: Vec<S>,
    #[serde(default)]
    pub globs: Vec<S>,
    #[serde(default, alias = "stopWords")]
    pub stopwords: Vec<S>,
    #[serde(default)]
    pub commits: Vec<S>,
    #[serde(default)]
    pub fingerprints: Vec<S>,
    #[serde(default, alias = "targetrules")]
    pub target_rules: Vec<S>,
}
