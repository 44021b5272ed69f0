//! Compiles parsed configs into a rule set: regexes built, rules merged by id, defaults extended or
//! replaced the way gitleaks does it, every problem reported with its file, line and rule.

use crate::config::{self, AllowlistSpec, ConfigError, Examples, RuleSpec, SourcedConfig};
use crate::config_source::{self, Place, Source};
use crate::filters::Validator;
use crate::suppress::SuppressKind;
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex::Regex;
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Compiled regexes larger than this are refused rather than slowing every scan down.
const REGEX_SIZE_LIMIT: usize = 16 << 20;
/// How many `[extend] path` links a config may chain.
const MAX_EXTEND_DEPTH: usize = 4;

#[derive(Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub description: Arc<str>,
    pub regex: Option<RuleRegex>,
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    /// Lower-cased literals for the shared prefilter; empty means the regex runs on every file.
    pub keywords: Vec<String>,
    pub path: Option<Regex>,
    pub tags: Arc<[String]>,
    pub allowlists: Vec<Allowlist>,
    pub validators: Vec<Validator>,
    pub skip_placeholders: bool,
    /// The regex may span lines (private key blocks), so it is run on a larger window.
    pub multiline: bool,
    /// Tagged `generic`: it matches by context (a secret-sounding name), not by a vendor's format, and
    /// yields to a specific rule that found the same secret.
    pub generic: bool,
    pub examples: Option<Examples>,
    /// Where the rule was defined, for messages.
    pub origin: String,
}

impl Rule {
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
        RuleRegex {
            source: source.to_string(),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexTarget {
    Secret,
    Match,
    Line,
}

#[derive(Debug)]
pub struct Allowlist {
    pub all_required: bool,
    pub target: RegexTarget,
    pub regexes: Vec<RuleRegex>,
    pub paths: Vec<Regex>,
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
    pub fn applies_to(&self, rule_id: &str) -> bool {
        self.target_rules.is_empty() || self.target_rules.iter().any(|r| r == rule_id)
    }

    pub fn allows(&self, c: &Candidate) -> bool {
        self.explain(c).is_some()
    }

    /// Whether the allowlist drops the candidate, and if so which kind of entry did it and where
    /// (`file:line`), for the suppression counts.
    pub fn explain(&self, c: &Candidate) -> Option<(SuppressKind, String)> {
        let target = match self.target {
            RegexTarget::Secret => c.secret,
            RegexTarget::Match => c.matched,
            RegexTarget::Line => c.line,
        };
        let lower_secret = c.secret.to_ascii_lowercase();
        let glob_hit = self
            .globs
            .as_ref()
            .and_then(|g| g.matches(c.path).first().copied());
        // Per criterion given: the line of the entry that matched (None: given, did not match).
        let checks: [(SuppressKind, Option<Option<usize>>); 5] = [
            (
                SuppressKind::Allowlist,
                (!self.regexes.is_empty()).then(|| {
                    self.regexes
                        .iter()
                        .position(|r| r.get().is_match(target))
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
                    self.stopwords
                        .iter()
                        .position(|w| memchr::memmem::find(&lower_secret, w.as_bytes()).is_some())
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
        let at = |pos: usize| format!("{}:{}", self.origin, self.lines.line(&self.origin, pos));
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

/// Where each entry of an allowlist was written, for `file:line` sources: line numbers for a user's
/// config; byte offsets for the built-in files, whose hundreds of entries would otherwise cost a
/// scan of the file each at every start (a staged scan must start fast), turned into lines only
/// when a suppression is reported.
#[derive(Debug, Default)]
pub struct EntryLines {
    pub offsets: bool,
    pub regexes: Vec<usize>,
    pub paths: Vec<usize>,
    pub globs: Vec<usize>,
    pub stopwords: Vec<usize>,
    pub commits: Vec<usize>,
    /// Fingerprints are one set: the line of the list.
    pub fingerprints: usize,
}

impl EntryLines {
    fn line(&self, origin: &str, pos: usize) -> usize {
        if !self.offsets {
            return pos;
        }
        let name = origin.trim_start_matches(config::BUILTIN_ORIGIN);
        config::DEFAULT_RULE_FILES
            .iter()
            .find(|(n, _)| name.strip_prefix("rules/") == Some(*n))
            .map_or(0, |(_, text)| {
                memchr::memchr_iter(b'\n', &text.as_bytes()[..pos.min(text.len())]).count() + 1
            })
    }
}

#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub global: Vec<Allowlist>,
    /// What the config switched off (disabled rules, replaced defaults), for the report's notes.
    pub notes: Vec<String>,
}

impl RuleSet {
    /// The built-in rules alone.
    pub fn builtin() -> Result<RuleSet, ConfigError> {
        let configs = config::default_configs();
        compile(merge_layers(vec![configs.iter().collect()], &[]))
    }

    /// The rules a scan uses with the config file at `path` on disk.
    pub fn from_config_file(path: &Path) -> Result<RuleSet, ConfigError> {
        RuleSet::from_config(&Source::Disk, &Place::Disk(path.to_path_buf()))
    }

    /// The rules a scan uses with the config file at `place` in `source` (gitleaks semantics: a file
    /// that defines rules and does not `[extend] useDefault = true` replaces the defaults; one that
    /// defines no rules, only allowlists, keeps them).
    pub fn from_config(source: &Source, place: &Place) -> Result<RuleSet, ConfigError> {
        let defaults = config::default_configs();
        let mut chain = Vec::new();
        load_chain(source, place, &mut chain, 0)?;
        let mut disabled = Vec::new();
        let mut layers: Vec<Vec<&SourcedConfig>> = Vec::new();
        let base_uses_default = chain.first().is_some_and(|c| {
            let ext = c.file.extend.as_ref();
            ext.is_some_and(|e| e.use_default)
                || (ext.is_none_or(|e| e.path.is_none()) && c.file.rules.is_empty())
        });
        if base_uses_default {
            layers.push(defaults.iter().collect());
        }
        for c in &chain {
            if let Some(e) = &c.file.extend {
                disabled.extend(e.disabled_rules.iter().cloned());
            }
            layers.push(vec![c]);
        }
        let mut set = compile(merge_layers(layers, &disabled))?;
        set.notes = what_is_off(&defaults, base_uses_default, &disabled, &set);
        Ok(set)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

/// Follows `[extend] path` links, base first. Depth is capped so a cycle is an error, not a hang.
fn load_chain(
    source: &Source,
    place: &Place,
    chain: &mut Vec<SourcedConfig>,
    depth: usize,
) -> Result<(), ConfigError> {
    let origin = place.display();
    let plain = |message: String| ConfigError {
        origin: origin.clone(),
        line: None,
        rule: None,
        message,
    };
    if depth > MAX_EXTEND_DEPTH {
        return Err(plain(format!(
            "[extend] path nests more than {MAX_EXTEND_DEPTH} deep (a cycle?)"
        )));
    }
    let text = source
        .read(place, config_source::MAX_CONFIG_BYTES)
        .map_err(|e| ConfigError {
            origin: e.name,
            line: None,
            rule: None,
            message: format!("cannot load config: {}", e.reason),
        })?;
    let cfg = config::parse(&origin, &text)?;
    if let Some(base) = cfg.file.extend.as_ref().and_then(|e| e.path.clone()) {
        let base_place = source.resolve_extend(place, &base).map_err(plain)?;
        load_chain(source, &base_place, chain, depth + 1)?;
        let first_uses_default = chain
            .first()
            .is_some_and(|c| c.file.extend.as_ref().is_some_and(|e| e.use_default));
        if cfg.file.extend.as_ref().is_some_and(|e| e.use_default) && !first_uses_default {
            // useDefault alongside path: the defaults go under the whole chain.
            if let Some(first) = chain.first_mut() {
                first
                    .file
                    .extend
                    .get_or_insert_with(Default::default)
                    .use_default = true;
            }
        }
    }
    chain.push(cfg);
    Ok(())
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

/// Rule specs and global allowlists after merging layers: a later rule with an existing id overrides
/// the fields it sets and adds its allowlists, as gitleaks' `[extend]` does.
struct Merged<'a> {
    rules: Vec<(RuleSpec, &'a SourcedConfig)>,
    global: Vec<(AllowlistSpec, &'a SourcedConfig)>,
}

fn merge_layers<'a>(layers: Vec<Vec<&'a SourcedConfig>>, disabled: &[String]) -> Merged<'a> {
    let mut rules: Vec<(RuleSpec, &SourcedConfig)> = Vec::new();
    let mut global = Vec::new();
    for layer in layers {
        for cfg in layer {
            for spec in &cfg.file.rules {
                let spec = clone_spec(spec);
                match rules
                    .iter_mut()
                    .find(|(r, _)| r.id.get_ref() == spec.id.get_ref())
                {
                    Some((base, origin)) => {
                        // The overriding file now owns the rule: its regex is compiled eagerly and
                        // errors point at it.
                        override_spec(base, spec);
                        *origin = cfg;
                    }
                    None => rules.push((spec, cfg)),
                }
            }
            global.extend(cfg.file.allowlist.iter().cloned().map(|a| (a, cfg)));
            global.extend(cfg.file.allowlists.iter().cloned().map(|a| (a, cfg)));
        }
    }
    rules.retain(|(r, _)| !disabled.iter().any(|d| d == r.id.get_ref()));
    Merged { rules, global }
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
        allowlist: s.allowlist.clone(),
        allowlists: s.allowlists.clone(),
        validators: s.validators.clone(),
        skip_placeholders: s.skip_placeholders,
        examples: s.examples.clone(),
    }
}

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
        keywords,
        path,
        skip_placeholders,
        examples
    );
    if !over.tags.is_empty() {
        base.tags = over.tags;
    }
    if !over.validators.is_empty() {
        base.validators = over.validators;
    }
    base.allowlists.extend(over.allowlist);
    base.allowlists.extend(over.allowlists);
}

fn compile(merged: Merged) -> Result<RuleSet, ConfigError> {
    let mut rules = Vec::with_capacity(merged.rules.len());
    for (spec, cfg) in merged.rules {
        rules.push(compile_rule(spec, cfg)?);
    }
    let global = merged
        .global
        .into_iter()
        .map(|(a, cfg)| compile_allowlist(&a, cfg, None))
        .collect::<Result<_, _>>()?;
    Ok(RuleSet {
        rules,
        global,
        notes: Vec::new(),
    })
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

fn compile_rule(spec: RuleSpec, cfg: &SourcedConfig) -> Result<Rule, ConfigError> {
    let id = spec.id.get_ref().clone();
    let id_at = Some(spec.id.span().start);
    if id.trim().is_empty() {
        return Err(err(cfg, id_at, None, "a rule needs a non-empty id".into()));
    }
    let regex = match &spec.regex {
        Some(src) if is_builtin(cfg) => Some(RuleRegex::lazy(src.get_ref())),
        Some(src) => Some(RuleRegex::eager(src.get_ref()).map_err(|e| {
            err(
                cfg,
                Some(src.span().start),
                Some(&id),
                format!("invalid regex: {}", one_line(&e.to_string())),
            )
        })?),
        None => None,
    };
    let path = match &spec.path {
        Some(src) => Some(build_str_regex(src.get_ref()).map_err(|e| {
            err(
                cfg,
                Some(src.span().start),
                Some(&id),
                format!("invalid path regex: {}", one_line(&e.to_string())),
            )
        })?),
        None => None,
    };
    if regex.is_none() && path.is_none() {
        return Err(err(
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
            return Err(err(
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
    let validators = spec
        .validators
        .iter()
        .map(|v| {
            Validator::parse(v.get_ref()).ok_or_else(|| {
                err(
                    cfg,
                    Some(v.span().start),
                    Some(&id),
                    format!(
                        "unknown validator '{}' (known: {})",
                        v.get_ref(),
                        Validator::NAMES.join(", ")
                    ),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut allowlists = Vec::new();
    for a in spec.allowlist.iter().chain(spec.allowlists.iter()) {
        allowlists.push(compile_allowlist(a, cfg, Some(&id))?);
    }
    let generic = spec.tags.iter().any(|t| t == "generic");
    let multiline = spec.regex.as_ref().is_some_and(|r| {
        let s = r.get_ref();
        s.contains("\\n") || s.contains("[\\s\\S") || s.contains("(?s")
    });
    let keywords = spec
        .keywords
        .unwrap_or_default()
        .into_iter()
        .filter(|k| !k.is_empty())
        .map(|k| k.to_ascii_lowercase())
        .collect();
    Ok(Rule {
        description: spec.description.unwrap_or_else(|| id.clone()).into(),
        id: id.into(),
        regex,
        secret_group: spec.secret_group,
        entropy: spec.entropy.filter(|e| *e > 0.0),
        keywords,
        path,
        tags: spec.tags.into(),
        allowlists,
        validators,
        skip_placeholders: spec.skip_placeholders.unwrap_or(true),
        multiline,
        generic,
        examples: spec.examples,
        origin: cfg.origin.clone(),
    })
}

fn compile_allowlist(
    a: &AllowlistSpec,
    cfg: &SourcedConfig,
    rule: Option<&str>,
) -> Result<Allowlist, ConfigError> {
    let all_required = match a
        .condition
        .as_ref()
        .map(|c| c.get_ref().to_ascii_uppercase())
    {
        None => false,
        Some(c) if c == "OR" => false,
        Some(c) if c == "AND" => true,
        Some(other) => {
            let at = a.condition.as_ref().map(|c| c.span().start);
            return Err(err(
                cfg,
                at,
                rule,
                format!("allowlist condition must be \"OR\" or \"AND\", not {other:?}"),
            ));
        }
    };
    let target = match a.regex_target.as_ref().map(|t| t.get_ref().as_str()) {
        None | Some("secret") | Some("") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => {
            let at = a.regex_target.as_ref().map(|t| t.span().start);
            return Err(err(
                cfg,
                at,
                rule,
                format!("regexTarget must be \"secret\", \"match\" or \"line\", not {other:?}"),
            ));
        }
    };
    let regexes = a
        .regexes
        .iter()
        .map(|r| {
            if is_builtin(cfg) {
                return Ok(RuleRegex::lazy(r.get_ref()));
            }
            RuleRegex::eager(r.get_ref()).map_err(|e| {
                err(
                    cfg,
                    Some(r.span().start),
                    rule,
                    format!("invalid allowlist regex: {}", one_line(&e.to_string())),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let paths = a
        .paths
        .iter()
        .map(|r| {
            build_str_regex(r.get_ref()).map_err(|e| {
                err(
                    cfg,
                    Some(r.span().start),
                    rule,
                    format!("invalid allowlist path regex: {}", one_line(&e.to_string())),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let globs = if a.globs.is_empty() {
        None
    } else {
        let mut b = GlobSetBuilder::new();
        for g in &a.globs {
            b.add(Glob::new(g.get_ref()).map_err(|e| {
                err(
                    cfg,
                    Some(g.span().start),
                    rule,
                    format!("invalid glob: {e}"),
                )
            })?);
        }
        Some(
            b.build()
                .map_err(|e| err(cfg, None, rule, format!("invalid globs: {e}")))?,
        )
    };
    Ok(Allowlist {
        all_required,
        target,
        regexes,
        paths,
        globs,
        stopwords: a
            .stopwords
            .iter()
            .map(|s| s.get_ref().to_ascii_lowercase())
            .collect(),
        commits: a.commits.iter().map(|c| c.get_ref().clone()).collect(),
        fingerprints: a.fingerprints.iter().map(|f| f.get_ref().clone()).collect(),
        target_rules: a.target_rules.clone(),
        origin: cfg.origin.clone(),
        lines: EntryLines {
            offsets: is_builtin(cfg),
            regexes: lines_of(cfg, &a.regexes),
            paths: lines_of(cfg, &a.paths),
            globs: lines_of(cfg, &a.globs),
            stopwords: lines_of(cfg, &a.stopwords),
            commits: lines_of(cfg, &a.commits),
            fingerprints: lines_of(cfg, &a.fingerprints).first().copied().unwrap_or(0),
        },
    })
}

fn lines_of(cfg: &SourcedConfig, entries: &[toml::Spanned<String>]) -> Vec<usize> {
    if is_builtin(cfg) {
        return entries.iter().map(|e| e.span().start).collect();
    }
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
