//! What every scanning command shares: config loading, report options, writing the report, exit codes.

use anyhow::{Context as _, Result};
use leakguard::finding::Finding;
use leakguard::gitleaksignore;
use leakguard::report::{self, Format, Report, ScanKind};
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
    super::verify::set_config_named(config.config.is_some());
    let path = config
        .config
        .clone()
        .or_else(|| leakguard::config::discover(root));
    let rules = match path {
        Some(p) => {
            if !p.exists() {
                anyhow::bail!("{}: config file not found", p.display());
            }
            RuleSet::from_config_file(&p)?
        }
        None => RuleSet::builtin()?,
    };
    Ok(Engine::for_workload(rules, workload))
}

/// Drops the findings a baseline or a `.gitleaksignore` accepts.
pub fn drop_accepted(
    args: &ReportArgs,
    engine: &Engine,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    if args.no_baseline {
        return Ok(());
    }
    // The baseline in effect: --baseline FILE, else .leakguard-baseline.json at the repository root.
    let root = args.root.as_deref().unwrap_or(Path::new("."));
    super::baseline::drop_baselined(args, &leakguard::baseline::root_for(root), findings)?;
    let entries = load_gitleaksignore(args)?;
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
    findings.retain(|f| {
        let rule = engine.rules().iter().find(|r| r.id == f.rule_id);
        !entries
            .iter()
            .any(|e| e.matches(f, rule, prefix, &mut present))
    });
    Ok(())
}

/// The entries of the `.gitleaksignore` files in effect: the one named, else those in the scanned
/// root and the current directory (where gitleaks looks).
fn load_gitleaksignore(args: &ReportArgs) -> Result<Vec<gitleaksignore::Entry>> {
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
            v.retain(|p| p.is_file());
            let mut seen = HashSet::new();
            v.retain(|p| seen.insert(p.canonicalize().ok()));
            v
        }
    };
    let mut entries = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f)
            .with_context(|| format!("{}: cannot read .gitleaksignore", f.display()))?;
        entries.extend(
            gitleaksignore::parse(&f.display().to_string(), &text).map_err(anyhow::Error::msg)?,
        );
    }
    Ok(entries)
}

/// Writes the report, prints the summary where a person will see it, and decides the exit code.
pub fn emit(
    args: &ReportArgs,
    engine: &Engine,
    kind: ScanKind,
    findings: Vec<Finding>,
    stats: &Stats,
    remediation_hint: bool,
) -> Result<Outcome> {
    emit_report(args, engine, kind, findings, stats, remediation_hint, None)
}

/// `emit` for history scans that wrote a `--remediation` file: the remediation steps name it.
pub fn emit_history(
    args: &ReportArgs,
    engine: &Engine,
    findings: Vec<Finding>,
    stats: &Stats,
    remediation_file: Option<&Path>,
) -> Result<Outcome> {
    let file = remediation_file.map(|p| p.display().to_string());
    emit_report(args, engine, ScanKind::History, findings, stats, true, file)
}

fn emit_report(
    args: &ReportArgs,
    engine: &Engine,
    kind: ScanKind,
    mut findings: Vec<Finding>,
    stats: &Stats,
    remediation_hint: bool,
    remediation_file: Option<String>,
) -> Result<Outcome> {
    let mut notes = Vec::new();
    let verify_plan = if args.verify.wanted() {
        let specs = super::verify::specs(engine.rules(), &mut notes)?;
        let ids = super::verify::pair_ids(&findings, &specs);
        Some((specs, ids))
    } else {
        None
    };
    drop_accepted(args, engine, &mut findings)?;
    if let Some((specs, ids)) = &verify_plan {
        super::verify::apply(&args.verify, specs, ids, &mut findings, &mut notes);
    }
    let mut stats = stats.clone();
    stats.notes.extend(engine.config_notes().iter().cloned());
    stats.notes.extend(notes);
    let stats = &stats;
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
        stats,
        rules: engine.rules(),
        kind,
        show_secrets: args.show_secrets,
        verbose: args.verbose,
        color,
        remediation_hint,
        remediation_file,
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
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            report::write(args.format, &report, &mut w)?;
            w.flush()?;
            // Machine formats keep stdout parseable; the summary is for the log.
            if args.format != Format::Text {
                eprintln!("{}", report::summary_line(&report));
            }
        }
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
        .map(|c| c.to_string().replace('\n', " "))
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
