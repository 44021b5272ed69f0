//! `.leakguardignore` files, matched by hand rather than through the walker's custom ignore files so
//! that every path one of them skips is counted under the `file:line` of the pattern that did it.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub const IGNORE_FILE: &str = ".leakguardignore";

/// The `.leakguardignore` files of a directory and its ancestors, loaded once per directory.
#[derive(Default)]
pub struct IgnoreFiles {
    by_dir: Mutex<HashMap<PathBuf, Option<Arc<Loaded>>>>,
}

struct Loaded {
    matcher: Gitignore,
    /// Trimmed lines of the file, to find the line of the pattern that matched.
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
        let path = &std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        for dir in path.ancestors().skip(1) {
            if let Some(loaded) = self.load(dir) {
                match loaded.matcher.matched(path, is_dir) {
                    Match::Ignore(glob) => {
                        let line = loaded
                            .lines
                            .iter()
                            .position(|l| l == glob.original())
                            .map_or(0, |i| i + 1);
                        return Some(format!("{}:{line}", shown(&dir.join(IGNORE_FILE))));
                    }
                    Match::Whitelist(_) => return None,
                    Match::None => {}
                }
            }
            if dir.join(".git").exists() {
                break;
            }
        }
        None
    }

    fn load(&self, dir: &Path) -> Option<Arc<Loaded>> {
        let mut cache = self.by_dir.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                let file = dir.join(IGNORE_FILE);
                let text = std::fs::read_to_string(&file).ok()?;
                let mut b = GitignoreBuilder::new(dir);
                for line in text.lines() {
                    // A bad pattern is skipped, as git skips it.
                    let _ = b.add_line(Some(file.clone()), line);
                }
                Some(Arc::new(Loaded {
                    matcher: b.build().ok()?,
                    lines: text.lines().map(|l| l.trim().to_string()).collect(),
                }))
            })
            .clone()
    }
}
