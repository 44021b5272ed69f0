//! The `leakguard` command: argument parsing and dispatch only; the work lives in the library.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: compiling the rules a scan reaches on first use (NFA
/// states, syntax trees, lazy-DFA caches) makes ~100k small allocations per repository, and
/// glibc's malloc, free and realloc were ~13% of scanning openai-python's instructions
/// (docs/engine.md, "Stop 43").
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How mimalloc's memory is held. Its pages are given back to the kernel as soon as they are
/// free, not a second later (its default purge delay): the rules' compiled state and each file's
/// buffers come and go faster than that. And no transparent huge pages for this process: mimalloc
/// reserves its memory in large aligned arenas, and where the kernel backs anonymous memory with
/// huge pages whenever it can (`/sys/kernel/mm/transparent_hugepage/enabled` set to `always`, as
/// on Debian), each page the allocator touched brought in 2 MiB, and a purge of part of one gave
/// nothing back. Peak RSS scanning openai-python: 45 MB with glibc's allocator, 103 MB with
/// mimalloc's defaults, ~44 MB with both settings; the pathological input 136 → 161 → ~138 MB
/// (docs/engine.md, "Stop 43"). The huge-page flag is read when a page is first touched, so it
/// holds for memory reserved before `main` too.
fn hold_memory_lean() {
    /// `mi_option_purge_delay` in mimalloc's `mi_option_e` (the crate does not name it).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of mimalloc's options, read at each purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and sets nothing but the flag.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

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
    hold_memory_lean();
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
