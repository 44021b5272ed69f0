use super::common::{emit, load_engine_for, ArchiveArgs, ConfigArgs, Outcome, ReportArgs};
use anyhow::Result;
use leakguard::report::ScanKind;
use leakguard::source::staged::{self, StagedOptions, StagedRepo};
use leakguard::Workload;
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
    pub archives: ArchiveArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Running as the pre-commit hook: on findings, say how to proceed whatever the format.
    #[arg(long, hide = true)]
    pub hook: bool,
}

pub fn run(mut a: Args) -> Result<Outcome> {
    let sr = StagedRepo::open(a.repo.as_deref())?;
    // A staged change is a few files: an engine that starts fast beats one that scans fast.
    let engine = load_engine_for(&a.config, &sr.root(), Workload::FewBytes)?;
    let opts = StagedOptions {
        max_blob_size: a.max_blob_size,
        no_ignore: a.no_ignore,
        archives: a.archives.archives(),
    };
    let outcome = staged::scan(&engine, &sr, &opts)?;
    a.report.root = Some(sr.root());
    let n = outcome.findings.len();
    let result = emit(
        &a.report,
        &a.config,
        &engine,
        ScanKind::Staged,
        outcome.findings,
        &outcome.stats,
        false,
    )?;
    if result == Outcome::Findings && a.hook {
        eprintln!(
            "leakguard: commit blocked: {n} secret{s} in the staged changes. Remove {it} and `git add` again \
             (and rotate any real credential); if it is not a secret, add `leakguard:allow` in a comment on \
             its line, or accept it with `leakguard baseline create` (writes .leakguard-baseline.json: commit it). Skip the check once: git commit --no-verify",
            s = if n == 1 { "" } else { "s" },
            it = if n == 1 { "it" } else { "them" },
        );
    }
    // The process ends here: freeing the rules and the engine one allocation at a time was 3.6M
    // of a one-line staged scan's ~37M instructions (as `scan` does).
    std::mem::forget(engine);
    Ok(result)
}
