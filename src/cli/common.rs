//! What every scanning command shares: config loading, report options, writing the report, exit codes.

use anyhow::{Context as _, Result};
use leakguard::baseline::Choice;
use leakguard::config_source::{self, Place, Source};
use leakguard::finding::Finding;
use leakguard::gitleaksignore;
use leakguard::report::{self, Format, Report, ScanKind};
use leakguard::source::archive::{Archives, Limits};
use leakguard::suppress::SuppressKind;
use leakguard::{Engine, RuleSet, Stats, Workload};
use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit codes: 0 clean, 1 findings, 2 error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Error => 2,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArgs {
    /// Config file (gitleaks TOML dialect). Default: .leakguard.toml, else .gitleaks.toml, in the scanned root.
    #[arg(long, short = 'c', env = "LEAKGUARD_CONFIG")]
    pub config: Option<PathBuf>,
}

impl ConfigArgs {
    /// The user named the config (`--config`, `LEAKGUARD_CONFIG`), even one read from the base of a
    /// range, rather than leaving it to be discovered in the scanned tree: only such a config is
    /// trusted to say where `--verify` sends secrets.
    pub fn named(&self) -> bool {
        self.config.is_some()
    }
}

/// How archives in the scanned files are read (the scan, staged and history commands).
#[derive(clap::Args, Debug, Clone)]
pub struct ArchiveArgs {
    /// Do not open archives (zip, jar, whl, apk, tar, tar.gz, gz): they stay binary files, read as
    /// their printable strings.
    #[arg(long)]
    pub no_archives: bool,
    /// How many archives deep members are read: 1 opens archives but not the archives inside them.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    pub max_archive_depth: usize,
    /// Uncompressed bytes read from one archive, nested ones included; what is past it is listed as
    /// skipped (archive-limit). A run reads at most 1 GiB from archives, or this, if larger.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_archive_bytes)]
    pub max_archive_bytes: u64,
}

impl ArchiveArgs {
    /// The run's archive settings; `None` with `--no-archives`.
    pub fn archives(&self) -> Option<Archives> {
        if self.no_archives || self.max_archive_depth == 0 {
            return None;
        }
        let d = Limits::default();
        Some(Archives::new(Limits {
            max_depth: self.max_archive_depth,
            max_archive_bytes: self.max_archive_bytes,
            max_run_bytes: d.max_run_bytes.max(self.max_archive_bytes),
            ..d
        }))
    }
}

#[derive(clap::Args, Debug, Clone)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, short = 'f', value_parser = format_parser(), default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Also write a SARIF report to this file, from the same scan (CI: the log's format on stdout,
    /// SARIF for code scanning, in one run).
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,
    /// Print secrets in full (default: redacted to a short prefix).
    #[arg(long)]
    pub show_secrets: bool,
    /// Baseline file: its findings are not reported. Default: .leakguard-baseline.json at the
    /// repository root, if there is one (and .gitleaksignore there is applied in any case).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report every finding: read no baseline and no .gitleaksignore.
    #[arg(long, conflicts_with_all = ["baseline", "gitleaks_ignore_path"])]
    pub no_baseline: bool,
    /// gitleaks' accepted findings: a .gitleaksignore file, or a directory holding one. Default:
    /// .gitleaksignore in the scanned root and in the current directory, when present.
    #[arg(long, value_name = "PATH")]
    pub gitleaks_ignore_path: Option<PathBuf>,
    /// The scanned root (a work tree or repository), set by the command: where .gitleaksignore is
    /// looked for, and the repository its commit entries are checked against.
    #[arg(skip)]
    pub root: Option<PathBuf>,
    /// List every skipped file and why.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit 0 even when there are findings (the report is still written).
    #[arg(long)]
    pub exit_zero: bool,
    #[command(flatten)]
    pub verify: super::verify::VerifyArgs,
}

/// The formats as `--format` takes them, with their help; the library's `Format` knows no clap.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    PossibleValuesParser::new(Format::ALL.map(|f| PossibleValue::new(f.name()).help(f.help())))
        .map(|s| s.parse::<Format>().expect("one of the possible values"))
}

/// The rules for a scan rooted at `root`: the named config, a discovered one, or the built-ins.
pub fn load_engine(config: &ConfigArgs, root: &Path) -> Result<Engine> {
    load_engine_for(config, root, Workload::Bulk)
}

pub fn load_engine_for(config: &ConfigArgs, root: &Path, workload: Workload) -> Result<Engine> {
    load_engine_from(config, &Source::Disk, root, workload)
}

/// The config a scan uses: the one named (`--config`, `LEAKGUARD_CONFIG`), located in `source`, else
/// the one discovered at `root` (on disk) or at the tree's root; None: the built-ins.
pub fn config_place(config: &ConfigArgs, source: &Source, root: &Path) -> Option<Place> {
    match &config.config {
        Some(p) => Some(source.locate(p)),
        None => source.discover(root),
    }
}

/// `load_engine_for`, reading the config (and what it extends) from `source`.
pub fn load_engine_from(
    config: &ConfigArgs,
    source: &Source,
    root: &Path,
    workload: Workload,
) -> Result<Engine> {
    let rules = match config_place(config, source, root) {
        Some(Place::Disk(p)) if !p.exists() => {
            anyhow::bail!("{}: config file not found", p.display())
        }
        Some(place) => RuleSet::from_config(source, &place)?,
        None => RuleSet::builtin()?,
    };
    Ok(Engine::for_workload(rules, workload))
}

/// A baseline: the fingerprints `leakguard baseline create` recorded, with the line of each (the
/// source of what it suppresses).
pub struct Baseline {
    pub name: String,
    pub lines: HashMap<String, usize>,
}

/// Reads the baseline at `place` in `source`, bounded in size.
pub fn load_baseline(source: &Source, place: &Place) -> Result<Baseline> {
    let name = place.display();
    let text = source
        .read(place, config_source::MAX_BASELINE_BYTES)
        .map_err(|e| anyhow::anyhow!("{}: cannot read baseline: {}", e.name, e.reason))?;
    // The library checks the format (its version first); the lines are this module's, for counts.
    let parsed = leakguard::baseline::Baseline::parse(&text).with_context(|| name.clone())?;
    // The line of each fingerprint, found in the text in order (the file is pretty-printed JSON,
    // one fingerprint a line; a hand-written one still gets the line of its first occurrence).
    let mut lines = HashMap::new();
    for e in parsed.findings {
        let line = text
            .find(&format!("\"{}\"", e.fingerprint))
            .map(|at| leakguard::config::line_of(&text, at))
            .unwrap_or(0);
        lines.entry(e.fingerprint).or_insert(line);
    }
    Ok(Baseline { name, lines })
}

/// The baseline in effect, read from `source` (the base of the range in a range scan, so that the
/// reviewed commits cannot accept their own findings): `--baseline FILE` (it must exist there), else
/// `.leakguard-baseline.json` at the repository root when present; none with `--no-baseline`.
/// Returns where it was read, for the config-change note, and the baseline.
pub fn choose_baseline(args: &ReportArgs, source: &Source) -> Result<Option<(Place, Baseline)>> {
    let place = match super::baseline::choice(args) {
        Choice::Nothing => return Ok(None),
        Choice::File(p) => {
            let place = source.locate(&p);
            if let Place::Disk(d) = &place {
                if !d.exists() {
                    anyhow::bail!("{}: baseline file not found", d.display());
                }
            }
            place
        }
        Choice::Discover => {
            let place = if source.is_tree() {
                Place::Tree(leakguard::baseline::DEFAULT_FILE.to_string())
            } else {
                let root = args.root.as_deref().unwrap_or(Path::new("."));
                Place::Disk(
                    leakguard::baseline::root_for(root).join(leakguard::baseline::DEFAULT_FILE),
                )
            };
            let present = match &place {
                Place::Disk(d) => d.is_file(),
                Place::Tree(_) => source.exists(&place),
            };
            if !present {
                return Ok(None);
            }
            place
        }
    };
    let baseline = load_baseline(source, &place)?;
    Ok(Some((place, baseline)))
}

/// Drops the findings the baseline accepts, counting each under the baseline's line, and keeps
/// them for SARIF.
pub fn apply_baseline(
    baseline: &Baseline,
    findings: &mut Vec<Finding>,
    tally: &leakguard::suppress::Tally,
) {
    findings.retain(|f| {
        let fp = f.fingerprint();
        match baseline.lines.get(&fp) {
            Some(line) => {
                tally.add(
                    SuppressKind::Baseline,
                    format!("{}:{line}", baseline.name),
                    Some(&f.rule_id),
                    1,
                );
                tally.keep(SuppressKind::Baseline, f.clone());
                false
            }
            None => true,
        }
    });
}

/// What a scan adds to the report beyond findings and statistics.
#[derive(Default)]
pub struct Extra {
    /// The baseline, already read (from disk or from the base tree).
    pub baseline: Option<Baseline>,
    /// Notes on what the scanned commits change in the scan's own config.
    pub config_changes: Vec<String>,
    /// `--fail-on-config-change`: a config change alone exits 1.
    pub fail_on_config_change: bool,
    pub remediation_hint: bool,
    pub remediation_file: Option<String>,
    /// Where the scan's own files are read (None: the disk).
    pub source: Option<Source>,
    /// The caller already dropped what `.gitleaksignore` accepts.
    pub accepted_done: bool,
}

/// Drops the findings a `.gitleaksignore` accepts (none with `--no-baseline`) (read from `source`: the base of a range), and
/// counts them (kind `baseline`: gitleaks' list of accepted findings). Baselines are `apply_baseline`'s.
pub fn drop_accepted(
    args: &ReportArgs,
    engine: &Engine,
    findings: &mut Vec<Finding>,
    source: &Source,
    tally: &leakguard::suppress::Tally,
) -> Result<()> {
    if args.no_baseline {
        return Ok(());
    }
    let (names, entries) = load_gitleaksignore(args, source)?;
    if entries.is_empty() || findings.is_empty() {
        return Ok(());
    }
    let repo = args
        .root
        .as_deref()
        .and_then(|r| git2::Repository::discover(r).ok());
    let mut blobs: HashMap<(String, String), Option<Vec<u8>>> = HashMap::new();
    let mut present = |commit: &str, file: &str, line: usize, secret: &str| -> bool {
        let Some(repo) = &repo else { return false };
        let blob = blobs
            .entry((commit.to_string(), file.to_string()))
            .or_insert_with(|| {
                let obj = repo.revparse_single(&format!("{commit}:{file}")).ok()?;
                Some(obj.peel_to_blob().ok()?.content().to_vec())
            });
        blob.as_deref().is_some_and(|b| {
            b.split(|&c| c == b'\n')
                .nth(line.saturating_sub(1))
                .is_some_and(|l| memchr::memmem::find(l, secret.as_bytes()).is_some())
        })
    };
    // Findings are relative to the scanned directory; gitleaks' entries, to where it was run.
    let prefix = args
        .root
        .as_deref()
        .filter(|r| r.is_dir())
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let prefix = prefix.trim_start_matches("./").trim_end_matches('/');
    let prefix = if prefix == "." { "" } else { prefix };
    let name = names.join(", ");
    findings.retain(|f| {
        let rule = engine.rules().iter().find(|r| r.id == f.rule_id);
        let accepted = entries
            .iter()
            .any(|e| e.matches(f, rule, prefix, &mut present));
        if accepted {
            tally.add(SuppressKind::Baseline, name.clone(), Some(&f.rule_id), 1);
            tally.keep(SuppressKind::Baseline, f.clone());
        }
        !accepted
    });
    Ok(())
}

/// The entries of the `.gitleaksignore` files in effect: the one named, else those in the scanned
/// root and the current directory (where gitleaks looks).
fn load_gitleaksignore(
    args: &ReportArgs,
    source: &Source,
) -> Result<(Vec<String>, Vec<gitleaksignore::Entry>)> {
    const NAME: &str = ".gitleaksignore";
    let files: Vec<PathBuf> = match &args.gitleaks_ignore_path {
        Some(p) if p.is_dir() => vec![p.join(NAME)],
        Some(p) => vec![p.clone()],
        None => {
            let mut v = vec![PathBuf::from(NAME)];
            if let Some(root) = &args.root {
                let dir = if root.is_file() {
                    root.parent().unwrap_or(root)
                } else {
                    root
                };
                v.push(dir.join(NAME));
                // Where the baseline is discovered: the repository root.
                v.push(leakguard::baseline::root_for(root).join(NAME));
            }
            // In a range scan, a discovered file is the base's: present there, not on disk.
            v.retain(|p| source.exists(&source.locate(p)));
            let mut seen = HashSet::new();
            v.retain(|p| {
                seen.insert(match source.locate(p) {
                    Place::Disk(d) => d.canonicalize().unwrap_or(d).display().to_string(),
                    Place::Tree(t) => format!("tree:{t}"),
                })
            });
            v
        }
    };
    let mut names = Vec::new();
    let mut entries = Vec::new();
    for f in files {
        let place = source.locate(&f);
        let text = source
            .read(&place, config_source::MAX_BASELINE_BYTES)
            .map_err(|e| {
                anyhow::anyhow!("{}: cannot read .gitleaksignore: {}", e.name, e.reason)
            })?;
        names.push(place.display());
        entries.extend(gitleaksignore::parse(&place.display(), &text).map_err(anyhow::Error::msg)?);
    }
    Ok((names, entries))
}

/// Writes the report, prints the summary where a person will see it, and decides the exit code.
/// `config`: how the engine's config was chosen (a discovered one may not direct `--verify`).
pub fn emit(
    args: &ReportArgs,
    config: &ConfigArgs,
    engine: &Engine,
    kind: ScanKind,
    findings: Vec<Finding>,
    stats: &Stats,
    remediation_hint: bool,
) -> Result<Outcome> {
    let extra = Extra {
        baseline: choose_baseline(args, &Source::Disk)?.map(|(_, b)| b),
        remediation_hint,
        ..Extra::default()
    };
    emit_report(args, config, engine, kind, findings, stats, extra)
}

pub fn emit_report(
    args: &ReportArgs,
    config: &ConfigArgs,
    engine: &Engine,
    kind: ScanKind,
    mut findings: Vec<Finding>,
    stats: &Stats,
    extra: Extra,
) -> Result<Outcome> {
    // Paired rules (an id with its secret) are matched over every finding, before any is dropped.
    let mut notes = Vec::new();
    let verify_plan = if args.verify.wanted() {
        let specs = super::verify::specs(engine.rules(), config.named(), &mut notes)?;
        let ids = super::verify::pair_ids(&findings, &specs);
        Some((specs, ids))
    } else {
        None
    };
    let tally = leakguard::suppress::Tally::default();
    if let Some(b) = &extra.baseline {
        apply_baseline(b, &mut findings, &tally);
    }
    if !extra.accepted_done {
        let disk = Source::Disk;
        let source = extra.source.as_ref().unwrap_or(&disk);
        drop_accepted(args, engine, &mut findings, source, &tally)?;
    }
    if let Some((specs, ids)) = &verify_plan {
        super::verify::apply(&args.verify, specs, ids, &mut findings, &mut notes);
    }
    let mut stats = stats.clone();
    // The source's notes first (what it could not reach), then what the config switched off, then
    // what the scanned commits change in it.
    stats.notes.extend(engine.config_notes().iter().cloned());
    stats.notes.extend(extra.config_changes.iter().cloned());
    stats.notes.extend(notes);
    stats.suppressed = leakguard::suppress::merge(
        std::mem::take(&mut stats.suppressed)
            .into_iter()
            .chain(engine.suppressions().counts())
            .chain(tally.counts()),
    );
    let mut suppressed_findings = engine.suppressions().kept();
    suppressed_findings.extend(tally.kept());
    leakguard::finding::redact_shared_lines(
        findings
            .iter_mut()
            .chain(suppressed_findings.iter_mut().map(|(_, f)| f)),
    );
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let report = Report {
        findings: &findings,
        stats: &stats,
        rules: engine.rules(),
        kind,
        show_secrets: args.show_secrets,
        verbose: args.verbose,
        color,
        remediation_hint: extra.remediation_hint,
        remediation_file: extra.remediation_file.clone(),
        suppressed_findings: &suppressed_findings,
        repository: args
            .root
            .as_deref()
            .map(|r| report::repository_name(&leakguard::baseline::root_for(r))),
    };
    if let Some(path) = &args.sarif_file {
        let file = std::fs::File::create(path)
            .with_context(|| format!("{}: cannot write SARIF report", path.display()))?;
        let mut w = std::io::BufWriter::new(file);
        report::write(Format::Sarif, &report, &mut w)?;
        w.flush()?;
    }
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("{}: cannot write report", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            report::write(args.format, &report, &mut w)?;
            w.flush()?;
            eprintln!("{}", report::summary_line(&report));
            if let Some(line) = report::suppressed_line(&report) {
                eprintln!("{line}");
            }
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            report::write(args.format, &report, &mut w)?;
            w.flush()?;
            // Machine formats keep stdout parseable; the summary is for the log.
            if args.format != Format::Text {
                eprintln!("{}", report::summary_line(&report));
                if let Some(line) = report::suppressed_line(&report) {
                    eprintln!("{line}");
                }
            }
        }
    }
    let config_changed = extra.fail_on_config_change && !extra.config_changes.is_empty();
    if config_changed {
        eprintln!("leakguard: failing: the scanned commits change the scan's own config (--fail-on-config-change)");
        return Ok(Outcome::Findings);
    }
    Ok(if findings.is_empty() || args.exit_zero {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// One line for an error: the chain of causes joined, never a multi-line dump.
pub fn error_line(e: &anyhow::Error) -> String {
    let parts: Vec<String> = e
        .chain()
        .map(|c| report::escape_control(&c.to_string().replace('\n', " ")).into_owned())
        .collect();
    let mut line = String::new();
    for p in parts {
        if !line.contains(&p) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&p);
        }
    }
    line
}

/// A panic must not print its payload (it could hold data being scanned): say where, and exit 2.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // print! to a closed pipe panics: the reader is gone, end quietly (std's own message, not data).
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .unwrap_or("");
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("leakguard: internal error at {at}; please report it (exit 2)");
        std::process::exit(2);
    }));
}
