use super::common::{emit, load_engine_for, ConfigArgs, Outcome, ReportArgs};
use anyhow::Result;
use leakguard::report::ScanKind;
use leakguard::source::staged;
use leakguard::Workload;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A path inside the repository (default: the current directory).
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Running as the pre-commit hook: on findings, also say how to proceed.
    #[arg(long, hide = true)]
    pub hook: bool,
}

pub fn run(a: Args) -> Result<Outcome> {
    let repo = staged::open(&a.repo)?;
    let engine = load_engine_for(&a.config, &staged::root(&repo), Workload::FewBytes)?;
    let outcome = staged::scan(&engine, &repo)?;
    let n = outcome.findings.len();
    let result = emit(
        &a.report,
        &engine,
        ScanKind::Staged,
        outcome.findings,
        &outcome.stats,
        false,
    )?;
    if a.hook && result == Outcome::Findings {
        eprintln!(
            "leakguard: commit blocked: {n} secret{} in the staged changes. Remove {}, or if it is not a \
             secret add `leakguard:allow` in a comment on its line, then `git add` and commit again.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
    }
    Ok(result)
}
