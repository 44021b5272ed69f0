//! What every scanning command shares: config loading, report options, writing the report, exit codes.

use anyhow::{Context as _, Result};
use leakguard::finding::Finding;
use leakguard::report::{self, Format, Report, ScanKind};
use leakguard::{Engine, RuleSet, Stats, Workload};
use std::collections::HashSet;
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
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Print secrets in full (default: redacted to a short prefix).
    #[arg(long)]
    pub show_secrets: bool,
    /// Report only findings whose fingerprint is not in this baseline file.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
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

/// Fingerprints recorded by `leakguard baseline create`.
pub fn load_baseline(path: &Path) -> Result<HashSet<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read baseline", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: baseline is not valid JSON", path.display()))?;
    let entries = value
        .get("findings")
        .and_then(|f| f.as_array())
        .with_context(|| format!("{}: baseline has no \"findings\" array", path.display()))?;
    Ok(entries
        .iter()
        .filter_map(|e| e.get("fingerprint").and_then(|f| f.as_str()))
        .map(str::to_string)
        .collect())
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
    if let Some(b) = &args.baseline {
        let known = load_baseline(b)?;
        findings.retain(|f| !known.contains(&f.fingerprint()));
    }
    if let Some((specs, ids)) = &verify_plan {
        super::verify::apply(&args.verify, specs, ids, &mut findings, &mut notes);
    }
    let stats_with_notes;
    let stats = if notes.is_empty() {
        stats
    } else {
        stats_with_notes = Stats {
            notes: stats.notes.iter().cloned().chain(notes).collect(),
            ..stats.clone()
        };
        &stats_with_notes
    };
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
    };
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("{}: cannot write report", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            report::write(args.format, &report, &mut w)?;
            w.flush()?;
            if std::io::stderr().is_terminal() || args.format == Format::Text {
                eprintln!("{}", report::summary_line(&report));
            }
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            report::write(args.format, &report, &mut w)?;
            w.flush()?;
            if args.format != Format::Text && std::io::stderr().is_terminal() {
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
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("leakguard: internal error at {at}; please report it (exit 2)");
        std::process::exit(2);
    }));
}
