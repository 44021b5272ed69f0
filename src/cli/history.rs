use super::common::{
    apply_baseline, choose_baseline, config_place, drop_accepted, emit_report, load_engine_from,
    ArchiveArgs, ConfigArgs, Extra, Outcome, ReportArgs,
};
use anyhow::{bail, Context as _, Result};
use leakguard::config_change;
use leakguard::config_source::{Place, Source};
use leakguard::report::ScanKind;
use leakguard::source::git;
use leakguard::source::history::{self, HistoryOptions};
use leakguard::suppress::SuppressKind;
use leakguard::Workload;
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
    /// With a range: exit 1 when the scanned commits change the scan's own config, ignore files or
    /// baseline, or add inline allow markers (they are always reported as a note).
    #[arg(long)]
    pub fail_on_config_change: bool,
    #[command(flatten)]
    pub archives: ArchiveArgs,
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
    let readable_by_libgit2 = matches!(git::open_any(&repo)?, git::Opened::Git2(_));
    let root = git::config_root(&repo);
    // A range's commits are under review: the config that judges them is the one at the base of the
    // range, read from git, not what those commits put in the working tree.
    let mut early_notes = Vec::new();
    let ends = match &range {
        Some(r) if readable_by_libgit2 => range_ends(&repo, r)?,
        Some(_) => {
            // Not yet: the base tree is read with libgit2, which cannot read this object format.
            early_notes.push("the config, ignore files and baseline were read from the working tree, not from the base of the range: this repository's object format (SHA-256) is read through the git CLI, and reading the base tree that way is not supported yet".to_string());
            None
        }
        None => None,
    };
    let source = match ends {
        Some((base, _)) => Source::tree(&repo, base).map_err(anyhow::Error::msg)?,
        None => Source::Disk,
    };
    a.report.root = Some(root.clone());
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
        archives: a.archives.archives(),
    };
    // The rules, the baseline and the config notes, all read before the scan needs them.
    let prepare = |source: Source| -> Result<Prepared> {
        let engine = load_engine_from(&a.config, &source, &root, Workload::Bulk)?;
        // The baseline in effect (named, or discovered at the root), from the base of a range too.
        let (baseline_place, baseline) = match choose_baseline(&a.report, &source)? {
            Some((place, b)) => (Some(place), Some(b)),
            None => (None, None),
        };
        let mut config_changes = early_notes;
        if let Some((_, tip)) = ends {
            let tip_source = Source::tree(&repo, tip).map_err(anyhow::Error::msg)?;
            let mut watched: Vec<String> = config_change::WATCHED
                .iter()
                .map(|s| s.to_string())
                .collect();
            if let Some(place) = config_place(&a.config, &source, &root) {
                watched.extend(config_change::config_chain(&source, &place));
            }
            if let Some(Place::Tree(p)) = &baseline_place {
                watched.push(p.clone());
            }
            config_changes = config_change::describe(&source, &tip_source, &watched);
        }
        Ok(Prepared {
            engine,
            baseline,
            config_changes,
            source,
        })
    };
    // Both serial and before any worker starts: libgit2's sorted revwalk choosing the commits (339M
    // instructions on tokio) and loading the rules (141M); with more than one thread they run side by
    // side. The errors keep the serial order: the repository's (above), then the rules', the
    // baseline's and the range tip's, then the revisions'.
    let (prepared, selected) = if history::threads(&opts) > 1 {
        history::init_libgit2(); // before a second thread may use libgit2
        let timing = std::env::var_os("LEAKGUARD_HISTORY_TIMING").is_some_and(|v| v == "1");
        // Set when the rules fail to load: their error is reported first, so the choice of commits
        // stops rather than finishing for nothing.
        let cancel = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let loading = s.spawn(|| {
                let started = std::time::Instant::now();
                let prepared = prepare(source);
                if prepared.is_err() {
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                (prepared, started.elapsed())
            });
            let selected = history::select_unless(&repo, &opts, &cancel);
            let waited = std::time::Instant::now();
            let (prepared, took) = loading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if timing {
                eprintln!(
                    "history timing: rules loaded beside the selection {:.3} s, waited for {:.3} s",
                    took.as_secs_f64(),
                    waited.elapsed().as_secs_f64()
                );
            }
            (prepared, selected)
        })
    } else {
        let prepared = prepare(source)?;
        (Ok(prepared), history::select(&repo, &opts))
    };
    let Prepared {
        engine,
        baseline,
        mut config_changes,
        source,
    } = prepared?;
    let selected = selected?;
    let outcome = history::scan_selected(&engine, selected, &opts)?;
    let mut findings = outcome.findings;
    // Before the remediation file is written: accepted findings are not rewritten out of history.
    if let Some(b) = &baseline {
        apply_baseline(b, &mut findings, engine.suppressions());
    }
    drop_accepted(
        &a.report,
        &engine,
        &mut findings,
        &source,
        engine.suppressions(),
    )?;
    if ends.is_some() {
        // Inline markers in the reviewed commits are honoured (a test key is a test key), and listed.
        let mut markers: Vec<String> = engine
            .suppressions()
            .counts()
            .into_iter()
            .filter(|s| s.kind == SuppressKind::Inline)
            .map(|s| s.source)
            .collect();
        markers.dedup();
        if !markers.is_empty() {
            let n = markers.len();
            if n > 20 {
                markers.truncate(20);
                markers.push(format!("and {} more", n - 20));
            }
            config_changes.push(format!(
                "this change silences {n} finding{} with inline allow markers (honoured): {}",
                if n == 1 { "" } else { "s" },
                markers.join(", ")
            ));
        }
    }
    if let Some(path) = &a.remediation {
        write_remediation(path, &findings)?;
    }
    let extra = Extra {
        baseline: None,
        config_changes,
        fail_on_config_change: a.fail_on_config_change,
        remediation_hint: true,
        remediation_file: a.remediation.as_ref().map(|p| p.display().to_string()),
        source: Some(source),
        accepted_done: true,
    };
    emit_report(
        &a.report,
        &a.config,
        &engine,
        ScanKind::History,
        findings,
        &outcome.stats,
        extra,
    )
}

/// What `run` reads before the scan, on a thread of its own beside the commit selection.
struct Prepared {
    engine: leakguard::engine::Engine,
    baseline: Option<super::common::Baseline>,
    config_changes: Vec<String>,
    source: Source,
}

/// The base and the tip of a range: `A..B` is (A, B); `A...B` is (merge base, B); an empty side is
/// HEAD. A single revision is not a range (None).
fn range_ends(repo_path: &Path, range: &str) -> Result<Option<(git2::Oid, git2::Oid)>> {
    let repo = git::open(repo_path)?;
    let resolve = |s: &str| -> Result<git2::Oid> {
        let s = if s.is_empty() { "HEAD" } else { s };
        let obj = repo
            .revparse_single(s)
            .map_err(|_| anyhow::anyhow!("{s}: unknown revision (in range {range})"))?;
        Ok(obj
            .peel_to_commit()
            .map_err(|_| anyhow::anyhow!("{s}: does not name a commit"))?
            .id())
    };
    if let Some((a, b)) = range.split_once("...") {
        let (a, b) = (resolve(a)?, resolve(b)?);
        let base = repo.merge_base(a, b).map_err(|_| {
            anyhow::anyhow!("{range}: the two sides have no common ancestor, so no base to read the config from")
        })?;
        Ok(Some((base, b)))
    } else if let Some((a, b)) = range.split_once("..") {
        Ok(Some((resolve(a)?, resolve(b)?)))
    } else {
        Ok(None)
    }
}

/// Writes the filter-repo expressions file, readable by its owner only, and says so on stderr.
fn write_remediation(path: &Path, findings: &[leakguard::Finding]) -> Result<()> {
    let (text, whole_files) = leakguard::remediation::remediation_expressions(findings);
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
