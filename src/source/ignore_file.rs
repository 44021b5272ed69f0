//! `.leakguardignore` files, matched by hand rather than through the walker's custom ignore files so
//! that every path one of them skips is counted under the `file:line` of the pattern that did it.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub const IGNORE_FILE: &str = ".leakguardignore";

/// The `.leakguardignore` files of a directory and its ancestors, loaded once per directory.
pub struct IgnoreFiles {
    /// Per directory: the ignore files that apply to its entries, deepest first.
    chains: Mutex<HashMap<PathBuf, Chain>>,
    /// The current directory, read once (relative walk paths are joined to it).
    cwd: PathBuf,
}

impl Default for IgnoreFiles {
    fn default() -> Self {
        IgnoreFiles {
            chains: Mutex::default(),
            cwd: std::env::current_dir().unwrap_or_default(),
        }
    }
}

type Chain = Arc<Vec<Arc<Loaded>>>;

struct Loaded {
    matcher: Gitignore,
    /// The file, and its trimmed lines, to name the line of the pattern that matched.
    file: PathBuf,
    lines: Vec<String>,
}

impl IgnoreFiles {
    /// If `path` is ignored, the ignore file and line that ignore it (`dir/.leakguardignore:3`, shown
    /// by `shown`). As git does: the deepest file with a matching pattern decides, and a `!pattern`
    /// there un-ignores. Ancestors are searched up to the repository root (a directory holding
    /// `.git`) or the filesystem root.
    pub fn ignored_by(
        &self,
        path: &Path,
        is_dir: bool,
        shown: impl Fn(&Path) -> String,
    ) -> Option<String> {
        // Absolute, so that the ancestors of a relative root (`.`, `sub`) reach the repository root.
        // Keyed by the directory as the walk names it: no join, no allocation for the common case
        // of a tree without ignore files.
        let chain = self.chain_of(path.parent()?);
        if chain.is_empty() {
            return None;
        }
        let joined;
        let path = if path.is_absolute() {
            path
        } else {
            joined = self.cwd.join(path);
            &joined
        };
        for loaded in chain.iter() {
            match loaded.matcher.matched(path, is_dir) {
                Match::Ignore(glob) => {
                    let line = loaded
                        .lines
                        .iter()
                        .position(|l| l == glob.original())
                        .map_or(0, |i| i + 1);
                    return Some(format!("{}:{line}", shown(&loaded.file)));
                }
                Match::Whitelist(_) => return None,
                Match::None => {}
            }
        }
        None
    }

    fn chain_of(&self, walked_dir: &Path) -> Chain {
        if let Some(c) = self
            .chains
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(walked_dir)
        {
            return Arc::clone(c);
        }
        let chain = if walked_dir.is_absolute() {
            self.chain(walked_dir)
        } else {
            self.chain(&self.cwd.join(walked_dir))
        };
        self.chains
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(walked_dir.to_path_buf(), Arc::clone(&chain));
        chain
    }

    /// The chain of `dir` (absolute): its own ignore file, then its parent's chain (unless `dir` is a
    /// repository root). Each directory is read once per scan, however many entries it holds.
    fn chain(&self, dir: &Path) -> Chain {
        if let Some(c) = self
            .chains
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir)
        {
            return Arc::clone(c);
        }
        let mut chain: Vec<Arc<Loaded>> = load(dir).into_iter().map(Arc::new).collect();
        if !dir.join(".git").exists() {
            if let Some(parent) = dir.parent() {
                chain.extend(self.chain(parent).iter().cloned());
            }
        }
        let chain = Arc::new(chain);
        self.chains
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf(), Arc::clone(&chain));
        chain
    }
}

fn load(dir: &Path) -> Option<Loaded> {
    let file = dir.join(IGNORE_FILE);
    let text = std::fs::read_to_string(&file).ok()?;
    let mut b = GitignoreBuilder::new(dir);
    for line in text.lines() {
        // A bad pattern is skipped, as git skips it.
        let _ = b.add_line(Some(file.clone()), line);
    }
    Some(Loaded {
        matcher: b.build().ok()?,
        lines: text.lines().map(|l| l.trim().to_string()).collect(),
        file,
    })
}
