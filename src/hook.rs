//! The git pre-commit hook: a small POSIX sh script that runs `leakguard staged`, installed where git
//! looks for hooks (`core.hooksPath`, else the common git dir's `hooks`, shared by every worktree).
//!
//! A hook leakguard wrote carries a marker line, so that re-installing is idempotent and uninstalling
//! never removes a hook someone else wrote. A foreign hook is left alone unless asked: `Replace` moves
//! it to `pre-commit.leakguard-backup`, `Chain` moves it to `pre-commit.local` and has our hook run it
//! first. Uninstalling puts either back.

use anyhow::{bail, Context as _, Result};
use git2::{ErrorCode, Repository};
use std::path::{Path, PathBuf};

/// Every hook leakguard writes starts its second line with this; nothing else makes a hook ours.
pub const MARKER: &str = "# leakguard pre-commit hook";
/// In a chaining hook: the line that says which hook runs first.
const CHAIN_MARKER: &str = "# leakguard-chain: pre-commit.local";
pub const HOOK_NAME: &str = "pre-commit";
pub const CHAINED_NAME: &str = "pre-commit.local";
pub const BACKUP_NAME: &str = "pre-commit.leakguard-backup";

/// What to do about a pre-commit hook leakguard did not write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Foreign {
    /// Leave it and fail.
    Refuse,
    /// Replace it, keeping it as `pre-commit.leakguard-backup`.
    Replace,
    /// Keep it as `pre-commit.local` and run it before leakguard.
    Chain,
}

/// What is at the hook's path now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    Nothing,
    Ours { chained: bool },
    Foreign,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Installed {
    Created,
    /// Ours was there with other content (another executable path): rewritten.
    Updated,
    /// Ours was there already, identical.
    Unchanged,
    /// A foreign hook was moved to this path, and ours written.
    Replaced {
        backup: PathBuf,
    },
    /// A foreign hook was moved to this path, and ours runs it first.
    Chained {
        local: PathBuf,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removed {
    /// No pre-commit hook was there.
    Nothing,
    Removed,
    /// Ours was removed and the hook it had replaced or chained was put back.
    Restored {
        from: PathBuf,
    },
}

/// The directory git runs hooks from, as `git rev-parse --git-path hooks` gives it: `core.hooksPath`
/// (a relative one is relative to the work tree, where hooks run), else `<common git dir>/hooks`.
pub fn hooks_dir(repo: &Repository) -> Result<PathBuf> {
    let config = repo.config().context("cannot read the git config")?;
    match config.get_path("core.hooksPath") {
        Ok(p) if !p.as_os_str().is_empty() => {
            if p.is_absolute() {
                Ok(p)
            } else {
                let base = repo.workdir().unwrap_or_else(|| repo.path());
                Ok(base.join(p))
            }
        }
        Ok(_) => Ok(repo.commondir().join("hooks")),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(repo.commondir().join("hooks")),
        Err(e) => bail!("cannot read core.hooksPath: {}", e.message()),
    }
}

pub fn inspect(hook: &Path) -> Existing {
    if std::fs::symlink_metadata(hook).is_err() {
        return Existing::Nothing;
    }
    match std::fs::read(hook) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            if text.lines().any(|l| l.starts_with(MARKER)) {
                // Hooks written before the chain marker existed name the chained hook all the same.
                Existing::Ours {
                    chained: text.contains(CHAINED_NAME),
                }
            } else {
                Existing::Foreign
            }
        }
        // A dangling symlink or an unreadable file: not ours, whatever it is.
        Err(_) => Existing::Foreign,
    }
}

/// The hook script. `exe`: leakguard's absolute path, tried first; `leakguard` on PATH otherwise.
pub fn script(exe: Option<&Path>, chained: bool) -> String {
    let mut s = String::from("#!/bin/sh\n");
    s.push_str(MARKER);
    s.push_str(" (installed by `leakguard install-hook`; `leakguard uninstall-hook` removes it)\n");
    s.push_str("# Blocks a commit whose staged changes add a secret. Skip the check once: git commit --no-verify\n");
    if chained {
        s.push_str(CHAIN_MARKER);
        s.push_str(
            "\n# The pre-commit hook that was here before runs first; if it fails, the commit stops.\n\
             hook_dir=$(dirname -- \"$0\")\n\
             if [ -x \"$hook_dir/pre-commit.local\" ]; then\n\
             \x20 \"$hook_dir/pre-commit.local\" \"$@\" || exit $?\n\
             fi\n",
        );
    }
    let quoted = exe
        .map(|p| sh_quote(&p.to_string_lossy()))
        .unwrap_or_else(|| "''".into());
    s.push_str(&format!("leakguard={quoted}\n"));
    s.push_str(
        "if [ -z \"$leakguard\" ] || [ ! -x \"$leakguard\" ]; then\n\
         \x20 leakguard=$(command -v leakguard 2>/dev/null) || {\n\
         \x20   echo \"leakguard: the pre-commit hook cannot find leakguard (install it, or skip the check once with git commit --no-verify)\" >&2\n\
         \x20   exit 1\n\
         \x20 }\n\
         fi\n\
         exec \"$leakguard\" staged --hook\n",
    );
    s
}

/// Installs the pre-commit hook in `dir`, a repository's hooks directory (`hooks_dir`).
pub fn install(dir: &Path, exe: Option<&Path>, foreign: Foreign) -> Result<(PathBuf, Installed)> {
    let dir = dir.to_path_buf();
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create the hooks directory", dir.display()))?;
    let hook = dir.join(HOOK_NAME);
    let outcome = match inspect(&hook) {
        Existing::Nothing => {
            write_hook(&hook, &script(exe, false))?;
            Installed::Created
        }
        Existing::Ours { chained } => {
            let wanted = script(exe, chained);
            if std::fs::read_to_string(&hook).is_ok_and(|t| t == wanted) && is_executable(&hook) {
                Installed::Unchanged
            } else {
                write_hook(&hook, &wanted)?;
                Installed::Updated
            }
        }
        Existing::Foreign => match foreign {
            Foreign::Refuse => bail!(
                "{}: a pre-commit hook that leakguard did not install is there; left alone. Re-run with \
                 --chain to keep it and run it before leakguard, or --force to replace it (it is kept as {BACKUP_NAME})",
                hook.display()
            ),
            Foreign::Replace => {
                let backup = dir.join(BACKUP_NAME);
                move_aside(&hook, &backup)?;
                write_hook(&hook, &script(exe, false))?;
                Installed::Replaced { backup }
            }
            Foreign::Chain => {
                let local = dir.join(CHAINED_NAME);
                move_aside(&hook, &local)?;
                write_hook(&hook, &script(exe, true))?;
                Installed::Chained { local }
            }
        },
    };
    Ok((hook, outcome))
}

/// Removes leakguard's pre-commit hook, putting back the one it had chained or replaced.
pub fn uninstall(dir: &Path) -> Result<(PathBuf, Removed)> {
    let dir = dir.to_path_buf();
    let hook = dir.join(HOOK_NAME);
    match inspect(&hook) {
        Existing::Nothing => Ok((hook, Removed::Nothing)),
        Existing::Foreign => bail!(
            "{}: this pre-commit hook was not installed by leakguard; left alone",
            hook.display()
        ),
        Existing::Ours { chained } => {
            std::fs::remove_file(&hook)
                .with_context(|| format!("{}: cannot remove", hook.display()))?;
            let candidates: &[&str] = if chained {
                &[CHAINED_NAME, BACKUP_NAME]
            } else {
                &[BACKUP_NAME]
            };
            for name in candidates {
                let previous = dir.join(name);
                if std::fs::symlink_metadata(&previous).is_ok() {
                    std::fs::rename(&previous, &hook)
                        .with_context(|| format!("{}: cannot restore", previous.display()))?;
                    return Ok((hook, Removed::Restored { from: previous }));
                }
            }
            Ok((hook, Removed::Removed))
        }
    }
}

fn move_aside(hook: &Path, to: &Path) -> Result<()> {
    if std::fs::symlink_metadata(to).is_ok() {
        bail!(
            "{}: already exists; move it away first (the hook at {} would overwrite it)",
            to.display(),
            hook.display()
        );
    }
    std::fs::rename(hook, to)
        .with_context(|| format!("{}: cannot move to {}", hook.display(), to.display()))
}

/// Writes through a temporary file and a rename, so that git never runs a half-written hook.
fn write_hook(hook: &Path, text: &str) -> Result<()> {
    let tmp = hook.with_extension("leakguard-tmp");
    std::fs::write(&tmp, text).with_context(|| format!("{}: cannot write", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("{}: cannot make executable", tmp.display()))?;
    }
    std::fs::rename(&tmp, hook).with_context(|| format!("{}: cannot write", hook.display()))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Single-quoted for sh: safe for any path.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_is_marked_and_quotes_the_path() {
        let s = script(Some(Path::new("/opt/it's here/leakguard")), false);
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.lines().nth(1).unwrap().starts_with(MARKER));
        assert!(
            s.contains(r#"leakguard='/opt/it'\''s here/leakguard'"#),
            "{s}"
        );
        assert!(!s.contains(CHAIN_MARKER));
        assert!(s.trim_end().ends_with("exec \"$leakguard\" staged --hook"));
        let c = script(None, true);
        assert!(c.contains(CHAIN_MARKER) && c.contains("pre-commit.local"));
        assert!(c.contains("leakguard=''"));
    }

    #[test]
    fn inspect_tells_ours_from_foreign() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pre-commit");
        assert_eq!(inspect(&p), Existing::Nothing);
        std::fs::write(&p, "#!/bin/sh\nexit 0\n").unwrap();
        assert_eq!(inspect(&p), Existing::Foreign);
        std::fs::write(&p, script(None, true)).unwrap();
        assert_eq!(inspect(&p), Existing::Ours { chained: true });
        std::fs::write(&p, script(None, false)).unwrap();
        assert_eq!(inspect(&p), Existing::Ours { chained: false });
    }
}
