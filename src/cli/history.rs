use super::common::{drop_accepted, emit_history, load_engine, ConfigArgs, Outcome, ReportArgs};
use anyhow::{bail, Context as _, Result};
use leakguard::source::history::{self, HistoryOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The repository (work tree, .git directory or bare repository; default: the current directory)
    /// and/or a revision range `A..B` to scan only the commits in B and not in A (what CI pushes).
    #[arg(value_name = "REPO|RANGE", num_args = 0..=2)]
    pub targets: Vec<String>,
    /// Scan only what this revision reaches (repeatable). Default: every ref (branches, tags,
    /// remote-tracking refs, stash) and HEAD.
    #[arg(long = "ref", value_name = "REF")]
    pub refs: Vec<String>,
    /// A revision range: `A..B` (in B, not in A) or `A...B` (in either, not in both).
    #[arg(long, value_name = "A..B")]
    pub range: Option<String>,
    /// Only commits committed at or after DATE: YYYY-MM-DD, an RFC 3339 time, @UNIX or "N days ago".
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Also scan objects no ref reaches (dangling commits and blobs: amended, rebased, reset away).
    #[arg(long)]
    pub all_objects: bool,
    /// Skip blobs larger than this many bytes (they are counted as skipped). Default: no limit.
    #[arg(long, value_name = "BYTES")]
    pub max_blob_size: Option<u64>,
    /// Write a `git filter-repo --replace-text` file that removes every secret found. The file holds
    /// the secrets themselves: it is created readable by you only; never commit it.
    #[arg(long, value_name = "FILE")]
    pub remediation: Option<PathBuf>,
    /// In a partial clone (`git clone --filter=blob:none`), do not fetch the blobs it lacks from the
    /// promisor remote: skip them (counted as missing-promisor-object) and say so. Default: fetch
    /// them, all in one request.
    #[arg(long)]
    pub no_fetch: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

pub fn run(mut a: Args) -> Result<Outcome> {
    let mut repo: Option<PathBuf> = None;
    let mut range = a.range.clone();
    for t in &a.targets {
        let is_range = t.contains("..") && !Path::new(t).exists();
        if is_range && range.is_none() {
            range = Some(t.clone());
        } else if !is_range && repo.is_none() {
            repo = Some(PathBuf::from(t));
        } else {
            bail!("{t}: unexpected argument (give at most one repository and one range)");
        }
    }
    let repo = repo.unwrap_or_else(|| PathBuf::from("."));
    let since = a
        .since
        .as_deref()
        .map(|s| history::parse_since(s, history::now()))
        .transpose()?;
    // Fail on a bad repository before anything else, with a one-line message.
    history::open_any(&repo)?;
    let engine = load_engine(&a.config, &history::config_root(&repo))?;
    let opts = HistoryOptions {
        refs: a.refs.clone(),
        range,
        since,
        all_objects: a.all_objects,
        max_blob_size: a.max_blob_size,
        progress: std::io::stderr().is_terminal(),
        threads: a.threads.unwrap_or(0),
        // Undocumented on purpose: a check of incremental matching, for tests and benchmarks.
        full_rescan: std::env::var_os("LEAKGUARD_HISTORY_FULL").is_some_and(|v| v == "1"),
        no_fetch: a.no_fetch,
    };
    let outcome = history::scan(&engine, &repo, &opts)?;
    let mut findings = outcome.findings;
    a.report.root = Some(history::config_root(&repo));
    // Before the remediation file: an accepted finding is not to be rewritten away either.
    drop_accepted(&a.report, &engine, &mut findings)?;
    if let Some(path) = &a.remediation {
        write_remediation(path, &findings)?;
    }
    emit_history(
        &a.report,
        &engine,
        findings,
        &outcome.stats,
        a.remediation.as_deref(),
    )
}

/// Writes the filter-repo expressions file, readable by its owner only, and says so on stderr.
fn write_remediation(path: &Path, findings: &[leakguard::Finding]) -> Result<()> {
    let (text, whole_files) = history::remediation_expressions(findings);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts
        .open(path)
        .with_context(|| format!("{}: cannot write remediation file", path.display()))?;
    #[cfg(unix)]
    {
        // An existing file keeps its mode on open: tighten it.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("{}: cannot restrict permissions", path.display()))?;
    }
    file.write_all(text.as_bytes())
        .with_context(|| format!("{}: cannot write remediation file", path.display()))?;
    let n = text.lines().count();
    eprintln!(
        "leakguard: wrote {n} replacement expression{} to {}: it CONTAINS THE SECRETS; do not commit or share it, delete it after use",
        if n == 1 { "" } else { "s" },
        path.display()
    );
    if !whole_files.is_empty() {
        let args: Vec<String> = whole_files
            .iter()
            .map(|p| format!("--path '{}'", p.replace('\'', "'\\''")))
            .collect();
        eprintln!(
            "leakguard: {} whole file{} cannot be fixed by text replacement; remove {} with: git filter-repo --invert-paths {}",
            whole_files.len(),
            if whole_files.len() == 1 { "" } else { "s" },
            if whole_files.len() == 1 { "it" } else { "them" },
            args.join(" ")
        );
    }
    Ok(())
}
