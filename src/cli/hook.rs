use super::common::Outcome;
use anyhow::{Context as _, Result};
use leakguard::hook::{self, Existing, Installed};
use leakguard::source::staged;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct InstallArgs {
    /// A path inside the repository (default: the current directory).
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
    /// Replace a pre-commit hook that is not leakguard's (it is kept as pre-commit.leakguard-backup).
    #[arg(long, conflicts_with = "chain")]
    pub force: bool,
    /// Keep a pre-commit hook that is not leakguard's and run it first (moved to pre-commit.local).
    #[arg(long)]
    pub chain: bool,
}

#[derive(clap::Args, Debug)]
pub struct UninstallArgs {
    /// A path inside the repository (default: the current directory).
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
}

pub fn install(a: InstallArgs) -> Result<Outcome> {
    let repo = staged::open(&a.repo)?;
    let binary = std::env::current_exe().context("cannot locate the leakguard binary")?;
    let existing = if a.force {
        Existing::Replace
    } else if a.chain {
        Existing::Chain
    } else {
        Existing::Refuse
    };
    match hook::install(&repo, &binary, existing)? {
        Installed::Fresh(p) => println!("installed {}", p.display()),
        Installed::Updated(p) => println!("updated {}", p.display()),
        Installed::Replaced { hook, backup } => {
            println!(
                "installed {} (the previous hook is kept as {})",
                hook.display(),
                backup.display()
            )
        }
        Installed::Chained { hook, chained } => {
            println!(
                "installed {} (it runs the previous hook, now {}, first)",
                hook.display(),
                chained.display()
            )
        }
    }
    Ok(Outcome::Clean)
}

pub fn uninstall(a: UninstallArgs) -> Result<Outcome> {
    let repo = staged::open(&a.repo)?;
    let hook = hook::uninstall(&repo)?;
    println!("removed leakguard's hook from {}", hook.display());
    Ok(Outcome::Clean)
}
