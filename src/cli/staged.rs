use super::common::{emit, load_engine, ConfigArgs, Outcome, ReportArgs};
use anyhow::Result;
use leakguard::report::{Format, ScanKind};
use leakguard::source::staged::{self, StagedOptions, StagedRepo};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The repository (default: the one at or above the current directory, as git's environment
    /// says, which is what a hook sees).
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// Skip staged files larger than this many bytes (they are counted as skipped). Default: no limit.
    #[arg(long, value_name = "BYTES")]
    pub max_blob_size: Option<u64>,
    /// Scan every staged file, even those the root .leakguardignore matches.
    #[arg(long)]
    pub no_ignore: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(a: Args) -> Result<Outcome> {
    let sr = StagedRepo::open(a.repo.as_deref())?;
    let engine = load_engine(&a.config, &sr.root())?;
    let opts = StagedOptions {
        max_blob_size: a.max_blob_size,
        no_ignore: a.no_ignore,
    };
    let outcome = staged::scan(&engine, &sr, &opts)?;
    let result = emit(&a.report, &engine, ScanKind::Staged, outcome.findings, &outcome.stats, false)?;
    if result == Outcome::Findings && a.report.format == Format::Text {
        eprintln!(
            "leakguard: commit blocked: the staged changes above add secrets. Remove them from the files and \
             `git add` again (rotate any real credential); for a false positive, put `leakguard:allow` in a \
             comment on its line, or record it with `leakguard baseline create`. To skip the check once: \
             git commit --no-verify"
        );
    }
    Ok(result)
}
