use super::common::{emit, load_engine, ArchiveArgs, ConfigArgs, Outcome, ReportArgs};
use anyhow::Result;
use leakguard::report::ScanKind;
use leakguard::source::worktree::{self, WalkOptions};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Scan everything: ignore .gitignore, .ignore and .leakguardignore.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links (loops are detected and counted as skipped).
    #[arg(long)]
    pub follow_links: bool,
    /// Skip files larger than this many bytes (they are counted as skipped). Default: no limit.
    #[arg(long)]
    pub max_file_size: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub archives: ArchiveArgs,
}

pub fn run(mut a: Args) -> Result<Outcome> {
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .ok();
    }
    let engine = load_engine(&a.config, &a.paths[0])?;
    let opts = WalkOptions {
        no_ignore: a.no_ignore,
        follow_links: a.follow_links,
        max_file_size: a.max_file_size,
        archives: a.archives.archives(),
    };
    let outcome = worktree::scan(&engine, &a.paths, &opts)?;
    a.report.root = Some(a.paths[0].clone());
    let code = emit(
        &a.report,
        &a.config,
        &engine,
        ScanKind::WorkingTree,
        outcome.findings,
        &outcome.stats,
        false,
    );
    // The process ends here: freeing the compiled rules and the keyword automaton one allocation
    // at a time cost 3M instructions on an empty directory, 14M on openai-python.
    engine.report_rule_timing();
    std::mem::forget(engine);
    code
}
