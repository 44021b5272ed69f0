use super::common::Outcome;
use anyhow::Result;
use leakguard::hook::{self, Foreign, Installed, Removed};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct InstallArgs {
    /// Replace a pre-commit hook leakguard did not install (it is kept as pre-commit.leakguard-backup).
    #[arg(long, conflicts_with = "chain")]
    pub force: bool,
    /// Keep a pre-commit hook leakguard did not install, as pre-commit.local, and run it first.
    #[arg(long)]
    pub chain: bool,
    /// The repository (default: the one at or above the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct UninstallArgs {
    /// The repository (default: the one at or above the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
}

/// The hooks directory of the repository at `path`, read through libgit2 or, for a repository it
/// cannot open (SHA-256), through git.
fn hooks_dir(path: &std::path::Path) -> Result<PathBuf> {
    use leakguard::source::git::{open_any, Opened};
    match open_any(path)? {
        Opened::Git2(repo) => hook::hooks_dir(&repo),
        Opened::Cli(repo) => leakguard::source::gitcli::hooks_dir(&repo),
    }
}

pub fn install(a: InstallArgs) -> Result<Outcome> {
    let dir = hooks_dir(&a.repo)?;
    let foreign = if a.force {
        Foreign::Replace
    } else if a.chain {
        Foreign::Chain
    } else {
        Foreign::Refuse
    };
    let exe = std::env::current_exe().ok().filter(|p| p.is_file());
    let (path, done) = hook::install(&dir, exe.as_deref(), foreign)?;
    let at = path.display();
    match done {
        Installed::Created => println!("leakguard: installed the pre-commit hook: {at}"),
        Installed::Updated => println!("leakguard: updated the pre-commit hook: {at}"),
        Installed::Unchanged => println!("leakguard: the pre-commit hook is already installed: {at}"),
        Installed::Replaced { backup } => println!(
            "leakguard: installed the pre-commit hook: {at} (the previous one is kept as {})",
            backup.display()
        ),
        Installed::Chained { local } => println!(
            "leakguard: installed the pre-commit hook: {at}; it runs the previous one first, now at {}",
            local.display()
        ),
    }
    Ok(Outcome::Clean)
}

pub fn uninstall(a: UninstallArgs) -> Result<Outcome> {
    let dir = hooks_dir(&a.repo)?;
    let (path, done) = hook::uninstall(&dir)?;
    let at = path.display();
    match done {
        Removed::Nothing => println!("leakguard: no pre-commit hook to remove at {at}"),
        Removed::Removed => println!("leakguard: removed the pre-commit hook: {at}"),
        Removed::Restored { from } => {
            println!(
                "leakguard: removed the pre-commit hook: {at}; put back the previous one from {}",
                from.display()
            )
        }
    }
    Ok(Outcome::Clean)
}
