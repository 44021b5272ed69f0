//! Installs and removes leakguard's git pre-commit hook. Our hook is recognised by a marker line; a
//! hook that is not ours is never overwritten silently: the caller must choose to replace it (a backup
//! is kept) or to chain it (it runs first, and its failure blocks the commit too).

use anyhow::{bail, Context as _, Result};
use git2::Repository;
use std::path::{Path, PathBuf};

pub const MARKER: &str = "# leakguard pre-commit hook";
const HOOK_NAME: &str = "pre-commit";
/// Where a chained foreign hook is moved, and run from.
const CHAINED_NAME: &str = "pre-commit.local";
/// Where a replaced foreign hook is kept.
const BACKUP_NAME: &str = "pre-commit.leakguard-backup";

/// What to do with a pre-commit hook that is not ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    Refuse,
    Replace,
    Chain,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    Fresh(PathBuf),
    Updated(PathBuf),
    Replaced { hook: PathBuf, backup: PathBuf },
    Chained { hook: PathBuf, chained: PathBuf },
}

/// The hooks directory git uses: `core.hooksPath` (relative to the work tree) if set, else the
/// common git dir's `hooks` (shared by all worktrees of a repository).
pub fn hooks_dir(repo: &Repository) -> Result<PathBuf> {
    let config = repo.config().context("cannot read git config")?;
    if let Ok(p) = config.get_path("core.hooksPath") {
        if p.is_absolute() {
            return Ok(p);
        }
        let base = repo.workdir().unwrap_or_else(|| repo.path());
        return Ok(base.join(p));
    }
    Ok(repo.commondir().join("hooks"))
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|s| s.contains(MARKER))
}

/// The hook script: runs a chained hook first if there is one, then `leakguard staged`, preferring the
/// binary that installed it and falling back to the one on PATH.
fn script(binary: &Path, chain: bool) -> String {
    let bin = binary.display().to_string().replace('\'', "'\\''");
    let chained = if chain {
        format!(
            "# The hook that was here before leakguard runs first; its failure blocks the commit too.\n\
             \"$(dirname \"$0\")/{CHAINED_NAME}\" \"$@\" || exit $?\n"
        )
    } else {
        String::new()
    };
    format!(
        "#!/bin/sh\n{MARKER} (installed by `leakguard install-hook`; remove with `leakguard uninstall-hook`)\n\
         {chained}leakguard='{bin}'\n\
         [ -x \"$leakguard\" ] || leakguard=leakguard\n\
         exec \"$leakguard\" staged --hook\n"
    )
}

pub fn install(repo: &Repository, binary: &Path, existing: Existing) -> Result<Installed> {
    let dir = hooks_dir(repo)?;
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create hooks directory", dir.display()))?;
    let hook = dir.join(HOOK_NAME);
    let present = hook.exists();
    let ours = present && is_ours(&hook);
    let chained = dir.join(CHAINED_NAME);
    let outcome = if !present {
        Installed::Fresh(hook.clone())
    } else if ours {
        Installed::Updated(hook.clone())
    } else {
        match existing {
            Existing::Refuse => bail!(
                "{}: a pre-commit hook that is not leakguard's is already installed; \
                 use --chain to run it before leakguard, or --force to replace it (a backup is kept)",
                hook.display()
            ),
            Existing::Replace => {
                let backup = dir.join(BACKUP_NAME);
                std::fs::rename(&hook, &backup).with_context(|| format!("{}: cannot back up", hook.display()))?;
                Installed::Replaced { hook: hook.clone(), backup }
            }
            Existing::Chain => {
                if chained.exists() {
                    bail!("{}: already exists; not overwriting it", chained.display());
                }
                std::fs::rename(&hook, &chained).with_context(|| format!("{}: cannot move", hook.display()))?;
                Installed::Chained { hook: hook.clone(), chained: chained.clone() }
            }
        }
    };
    let chain = chained.exists();
    write_executable(&hook, &script(binary, chain))?;
    Ok(outcome)
}

/// Removes our hook and puts back the one it chained or replaced. A hook that is not ours is an error.
pub fn uninstall(repo: &Repository) -> Result<PathBuf> {
    let dir = hooks_dir(repo)?;
    let hook = dir.join(HOOK_NAME);
    if !hook.exists() {
        bail!("{}: no pre-commit hook installed", hook.display());
    }
    if !is_ours(&hook) {
        bail!(
            "{}: this pre-commit hook is not leakguard's; leaving it alone",
            hook.display()
        );
    }
    std::fs::remove_file(&hook).with_context(|| format!("{}: cannot remove", hook.display()))?;
    for previous in [CHAINED_NAME, BACKUP_NAME] {
        let p = dir.join(previous);
        if p.exists() {
            std::fs::rename(&p, &hook)
                .with_context(|| format!("{}: cannot restore", p.display()))?;
            break;
        }
    }
    Ok(hook)
}

fn write_executable(path: &Path, content: &str) -> Result<()> {
    std::fs::write(path, content)
        .with_context(|| format!("{}: cannot write hook", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("{}: cannot make it executable", path.display()))?;
    }
    Ok(())
}
