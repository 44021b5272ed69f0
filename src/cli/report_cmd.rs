use super::common::Outcome;
use anyhow::{bail, Context as _, Result};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Merge JSON reports (`--format json`, one per repository) into one: findings deduplicated by
    /// repository and fingerprint, counts per repository and per rule. Exit 1 if any finding, 2 if
    /// a report says its repository could not be audited.
    Merge(MergeArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MergeFormat {
    Json,
    Sarif,
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// JSON reports written by `scan`, `history` or `staged` with `--format json`.
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = MergeFormat::Json)]
    pub format: MergeFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
}

pub fn run(c: Command) -> Result<Outcome> {
    match c {
        Command::Merge(a) => merge(a),
    }
}

fn merge(a: MergeArgs) -> Result<Outcome> {
    if a.reports.is_empty() {
        bail!("no report to merge");
    }
    let m = leakguard::merge::merge(&a.reports)?;
    let value = match a.format {
        MergeFormat::Json => m.to_json(),
        MergeFormat::Sarif => m.to_sarif(),
    };
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    match &a.output {
        Some(p) => std::fs::write(p, text)
            .with_context(|| format!("{}: cannot write the merged report", p.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    let with = m
        .repositories
        .iter()
        .filter(|r| {
            m.findings
                .iter()
                .any(|f| f["repository"].as_str() == Some(r))
        })
        .count();
    eprintln!(
        "leakguard: merged {} report{}: {} finding{} in {with} of {} repositor{}{}",
        m.reports,
        if m.reports == 1 { "" } else { "s" },
        m.findings.len(),
        if m.findings.len() == 1 { "" } else { "s" },
        m.repositories.len(),
        if m.repositories.len() == 1 {
            "y"
        } else {
            "ies"
        },
        if m.duplicates > 0 {
            format!(
                " ({} duplicate{} dropped)",
                m.duplicates,
                if m.duplicates == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    );
    for (repo, error) in &m.errors {
        eprintln!("leakguard: {repo}: {error}: not audited");
    }
    if !m.errors.is_empty() {
        return Ok(Outcome::Error);
    }
    Ok(if m.findings.is_empty() || a.exit_zero {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
