//! Compiles parsed configs into a rule set: regexes built, rules merged by id, defaults extended or
//! replaced the way gitleaks does it, every problem reported with its file, line and rule.

use crate::config::{self, AllowlistSpec, ConfigError, Examples, RuleSpec, SourcedConfig};
use crate::filters::Validator;
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex::Regex;
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Compiled regexes larger than this are refused rather than slowing every scan down.
const REGEX_SIZE_LIMIT: usize = 16 << 20;

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
    /// A `[rules.verify]` section from a user's config (built-in endpoints are in rules/verify/).
    pub verify: Option<crate::verify::VerifyToml>,
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
        let target = match self.target {
            RegexTarget::Secret => c.secret,
            RegexTarget::Match => c.matched,
            RegexTarget::Line => c.line,
        };
        let lower_secret = c.secret.to_ascii_lowercase();
        let checks: [Option<bool>; 5] = [
            (!self.regexes.is_empty())
                .then(|| self.regexes.iter().any(|r| r.get().is_match(target))),
            (!self.paths.is_empty() || self.globs.is_some()).then(|| {
                self.paths.iter().any(|r| r.is_match(c.path))
                    || self.globs.as_ref().is_some_and(|g| g.is_match(c.path))
            }),
            (!self.stopwords.is_empty()).then(|| {
                self.stopwords
                    .iter()
                    .any(|w| memchr::memmem::find(&lower_secret, w.as_bytes()).is_some())
            }),
            (!self.commits.is_empty()).then(|| {
                c.commit
                    .is_some_and(|sha| self.commits.iter().any(|x| sha.starts_with(x.as_str())))
            }),
            (!self.fingerprints.is_empty()).then(|| self.fingerprints.contains(c.fingerprint)),
        ];
        let mut given = checks.iter().flatten().peekable();
        if given.peek().is_none() {
            return false;
        }
        if self.all_required {
            given.all(|&ok| ok)
        } else {
            given.any(|&ok| ok)
        }
    }
}

#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub global: Vec<Allowlist>,
}

impl RuleSet {
    /// The built-in rules alone.
    pub fn builtin() -> Result<RuleSet, ConfigError> {
        let configs = config::default_configs();
        compile(merge_layers(vec![configs.iter().collect()], &[]))
    }

    /// The rules a scan uses with the config file at `path` (gitleaks semantics: a file that defines
    /// rules and does not `[extend] useDefault = true` replaces the defaults; one that defines no rules,
    /// only allowlists, keeps them).
    pub fn from_config_file(path: &Path) -> Result<RuleSet, ConfigError> {
        let defaults = config::default_configs();
        let mut chain = Vec::new();
        load_chain(path, &mut chain, 0)?;
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
        compile(merge_layers(layers, &disabled))
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

/// Follows `[extend] path` links, base first. Depth is capped so a cycle is an error, not a hang.
fn load_chain(
    path: &Path,
    chain: &mut Vec<SourcedConfig>,
    depth: usize,
) -> Result<(), ConfigError> {
    if depth > 4 {
        return Err(ConfigError {
            origin: path.display().to_string(),
            line: None,
            rule: None,
            message: "[extend] path nests too deeply (a cycle?)".into(),
        });
    }
    let cfg = config::read(path)?;
    if let Some(base) = cfg.file.extend.as_ref().and_then(|e| e.path.clone()) {
        let base_path = path.parent().unwrap_or(Path::new(".")).join(base);
        load_chain(&base_path, chain, depth + 1)?;
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
        verify: s.verify.clone(),
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
        examples,
        verify
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
    Ok(RuleSet { rules, global })
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
        Some(src) => Some(Regex::new(src.get_ref()).map_err(|e| {
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
        verify: spec.verify,
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
            Regex::new(r.get_ref()).map_err(|e| {
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
        stopwords: a.stopwords.iter().map(|s| s.to_ascii_lowercase()).collect(),
        commits: a.commits.clone(),
        fingerprints: a.fingerprints.iter().cloned().collect(),
        target_rules: a.target_rules.clone(),
    })
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
