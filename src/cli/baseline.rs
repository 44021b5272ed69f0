use super::common::{load_engine, ConfigArgs, Outcome, ReportArgs};
use anyhow::{Context as _, Result};
use leakguard::baseline::{self, Choice};
use leakguard::source::history::{self, HistoryOptions};
use leakguard::source::worktree::{self, WalkOptions};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Record the current findings, so that later scans report only new ones: `scan`, `history` and
    /// `staged` (so the pre-commit hook) read .leakguard-baseline.json at the repository root by
    /// themselves. The file holds fingerprints, rule ids and paths: no secret.
    Create(CreateArgs),
}

#[derive(clap::Args, Debug)]
pub struct CreateArgs {
    /// The directory to scan; finding paths, hence fingerprints, are relative to it. Default: the
    /// root of the repository around the current directory, else the current directory.
    pub path: Option<PathBuf>,
    /// Where to write the baseline (default: .leakguard-baseline.json in PATH).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also record what `leakguard history` finds in every commit of every ref (secrets already
    /// rotated and removed from the tree), so that a history audit passes on them too.
    #[arg(long)]
    pub history: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Scan everything: ignore .gitignore, .ignore and .leakguardignore.
    #[arg(long)]
    pub no_ignore: bool,
}

pub fn run(c: Command) -> Result<Outcome> {
    match c {
        Command::Create(a) => create(a),
    }
}

/// What `--baseline`/`--no-baseline` ask for.
pub fn choice(report: &ReportArgs) -> Choice {
    match (&report.baseline, report.no_baseline) {
        (_, true) => Choice::Nothing,
        (Some(p), false) => Choice::File(p.clone()),
        (None, false) => Choice::Discover,
    }
}

fn create(a: CreateArgs) -> Result<Outcome> {
    let path = a
        .path
        .clone()
        .unwrap_or_else(|| baseline::root_for(Path::new(".")));
    let engine = load_engine(&a.config, &path)?;
    let opts = WalkOptions {
        no_ignore: a.no_ignore,
        // What `scan` finds in archives by default is accepted too.
        archives: Some(leakguard::source::archive::Archives::new(
            leakguard::source::archive::Limits::default(),
        )),
        ..WalkOptions::default()
    };
    let mut findings = worktree::scan(&engine, std::slice::from_ref(&path), &opts)?.findings;
    let tree_count = findings.len();
    if a.history {
        let opts = HistoryOptions {
            progress: std::io::stderr().is_terminal(),
            archives: Some(leakguard::source::archive::Archives::new(
                leakguard::source::archive::Limits::default(),
            )),
            ..HistoryOptions::default()
        };
        findings.extend(history::scan(&engine, &path, &opts)?.findings);
    }
    let accepted = baseline::Baseline::of(&findings);
    let output = a.output.unwrap_or_else(|| {
        if path.is_dir() {
            path.join(baseline::DEFAULT_FILE)
        } else {
            PathBuf::from(baseline::DEFAULT_FILE)
        }
    });
    std::fs::write(&output, accepted.to_text())
        .with_context(|| format!("{}: cannot write the baseline", output.display()))?;
    let n = accepted.findings.len();
    let from = if a.history {
        format!(
            " ({tree_count} in the tree, {} in history)",
            findings.len() - tree_count
        )
    } else {
        String::new()
    };
    let default_place = output.file_name() == Some(baseline::DEFAULT_FILE.as_ref())
        && output.parent().map(|p| same_dir(p, &path)).unwrap_or(false);
    let how = if default_place {
        "scan, history and staged (and the pre-commit hook) read it from there; commit it"
            .to_string()
    } else {
        format!(
            "scan with --baseline {} to report only new ones",
            output.display()
        )
    };
    eprintln!(
        "leakguard: recorded {n} finding{}{from} in {}; {how}",
        if n == 1 { "" } else { "s" },
        output.display(),
    );
    Ok(Outcome::Clean)
}

fn same_dir(a: &Path, b: &Path) -> bool {
    let a = if a.as_os_str().is_empty() {
        Path::new(".")
    } else {
        a
    };
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
