//! The `leakguard` command: argument parsing and dispatch only; the work lives in the library.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "leakguard",
    version,
    about = "Find secrets in working trees, staged changes and git history."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories (the working tree).
    Scan(cli::scan::Args),
    /// Scan git history: every blob any commit introduced, attributed to the commit that added it.
    History(cli::history::Args),
    /// Scan what is staged for commit: the lines it adds, and files new at a path a rule flags.
    Staged(cli::staged::Args),
    /// Install the git pre-commit hook that runs `leakguard staged`.
    InstallHook(cli::hook::InstallArgs),
    /// Remove leakguard's pre-commit hook (and put back the one it replaced or chained).
    UninstallHook(cli::hook::UninstallArgs),
    /// Record accepted findings, so that scans report only new ones.
    #[command(subcommand)]
    Baseline(cli::baseline::Command),
    /// List the rules in effect (`--check`: test them against their examples).
    Rules(cli::rules_cmd::Args),
    /// Work on reports: `merge` JSON reports of many repositories into one.
    #[command(subcommand)]
    Report(cli::report_cmd::Command),
}

fn main() -> ExitCode {
    cli::common::install_panic_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(a) => cli::scan::run(a),
        Command::History(a) => cli::history::run(a),
        Command::Staged(a) => cli::staged::run(a),
        Command::InstallHook(a) => cli::hook::install(a),
        Command::UninstallHook(a) => cli::hook::uninstall(a),
        Command::Baseline(c) => cli::baseline::run(c),
        Command::Rules(a) => cli::rules_cmd::run(a),
        Command::Report(c) => cli::report_cmd::run(c),
    };
    match result {
        Ok(code) => code.into(),
        // The reader went away (`leakguard rules | head -1`): nothing left to say, as ripgrep does.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // A config's problems are all reported, one line each, so that one run shows them all.
            match e.downcast_ref::<leakguard::config::ConfigErrors>() {
                Some(errors) => errors
                    .0
                    .iter()
                    .for_each(|c| eprintln!("leakguard: error: {c}")),
                None => eprintln!("leakguard: error: {}", cli::common::error_line(&e)),
            }
            cli::common::Outcome::Error.into()
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
