use super::common::{load_engine, ConfigArgs, Outcome};
use anyhow::{Context as _, Result};
use leakguard::baseline;
use leakguard::source::worktree::{self, WalkOptions};
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Record the current findings of a working-tree scan, so that later scans report only new ones
    /// (`--baseline FILE`). The file holds fingerprints, rule ids and paths: no secret.
    Create(CreateArgs),
}

#[derive(clap::Args, Debug)]
pub struct CreateArgs {
    /// The directory to scan; finding paths, hence fingerprints, are relative to it.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Where to write the baseline (default: .leakguard-baseline.json in PATH).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
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

fn create(a: CreateArgs) -> Result<Outcome> {
    let engine = load_engine(&a.config, &a.path)?;
    let opts = WalkOptions {
        no_ignore: a.no_ignore,
        ..WalkOptions::default()
    };
    let outcome = worktree::scan(&engine, std::slice::from_ref(&a.path), &opts)?;
    let accepted = baseline::Baseline::of(&outcome.findings);
    let output = a.output.unwrap_or_else(|| {
        if a.path.is_dir() {
            a.path.join(baseline::DEFAULT_FILE)
        } else {
            PathBuf::from(baseline::DEFAULT_FILE)
        }
    });
    std::fs::write(&output, accepted.to_text())
        .with_context(|| format!("{}: cannot write the baseline", output.display()))?;
    let n = accepted.findings.len();
    eprintln!(
        "leakguard: recorded {n} finding{} in {}; scan with --baseline {} to report only new ones",
        if n == 1 { "" } else { "s" },
        output.display(),
        output.display()
    );
    Ok(Outcome::Clean)
}
