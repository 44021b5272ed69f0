//! Where the bytes of a config, an `[extend]` target, a baseline or an ignore file come from: the disk
//! (a tree scan, `staged`, a full history: the person running leakguard owns the files), or a git tree
//! (a range scan: the base of the range, so that the commits under review cannot change the rules
//! that judge them). Reading is bounded either way: a regular file or a blob, never a device, a FIFO
//! or a symlink out of the tree, and never more than a size limit, so a hostile file is an error and
//! not a hang.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Config and `[extend] path` files larger than this are refused.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// Baselines list one entry per accepted finding: larger, still bounded.
pub const MAX_BASELINE_BYTES: u64 = 64 << 20;

/// A file a source can read: a path on disk, or a path inside the source's tree (slash-separated,
/// relative to the repository root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Disk(PathBuf),
    Tree(String),
}

impl Place {
    /// How the file is named in messages and in `file:line` sources.
    pub fn display(&self) -> String {
        match self {
            // `./.leakguard.toml` (a config discovered in `.`) reads better without its `./`.
            Place::Disk(p) => p
                .strip_prefix(".")
                .ok()
                .filter(|rest| !rest.as_os_str().is_empty())
                .unwrap_or(p)
                .display()
                .to_string(),
            Place::Tree(p) => p.clone(),
        }
    }
}

/// A git tree config files are read from, and the work tree paths inside the repository map to.
pub struct TreeSource {
    repo: git2::Repository,
    tree: git2::Oid,
    /// The commit the tree is of, for messages.
    pub commit: git2::Oid,
    /// The repository's work tree, canonical; None for a bare repository (every path is outside).
    workdir: Option<PathBuf>,
}

/// A file that could not be read: its name (with the commit, for a tree) and why, in a few words.
#[derive(Debug)]
pub struct ReadError {
    pub name: String,
    pub reason: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.reason)
    }
}

impl std::error::Error for ReadError {}

pub enum Source {
    Disk,
    Tree(TreeSource),
}

impl Source {
    /// Reading from the tree of `commit` in `repo`.
    pub fn tree(repo_path: &Path, commit: git2::Oid) -> Result<Source, String> {
        let repo = git2::Repository::open_ext(
            repo_path,
            git2::RepositoryOpenFlags::empty(),
            std::iter::empty::<&std::ffi::OsStr>(),
        )
        .map_err(|e| {
            format!(
                "{}: cannot open repository: {}",
                repo_path.display(),
                e.message()
            )
        })?;
        let tree = repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| format!("{commit}: cannot read the tree: {}", e.message()))?
            .id();
        let workdir = repo.workdir().and_then(|w| w.canonicalize().ok());
        Ok(Source::Tree(TreeSource {
            repo,
            tree,
            commit,
            workdir,
        }))
    }

    pub fn is_tree(&self) -> bool {
        matches!(self, Source::Tree(_))
    }

    /// Where a path named by the user (a flag or an environment variable) is read: in tree mode, a
    /// path inside the repository's work tree is read from the tree; anything else from disk (the
    /// CI owner named it, and the commits under review cannot write outside the repository).
    pub fn locate(&self, user_path: &Path) -> Place {
        match self {
            Source::Disk => Place::Disk(user_path.to_path_buf()),
            Source::Tree(t) => match t.relative(user_path) {
                Some(rel) => Place::Tree(rel),
                None => Place::Disk(user_path.to_path_buf()),
            },
        }
    }

    /// The config a scan uses when none is named: `.leakguard.toml`, else `.gitleaks.toml`, at the
    /// root (`disk_root` on disk, the tree's root in tree mode).
    pub fn discover(&self, disk_root: &Path) -> Option<Place> {
        match self {
            Source::Disk => crate::config::discover(disk_root).map(Place::Disk),
            Source::Tree(t) => [".leakguard.toml", ".gitleaks.toml"]
                .iter()
                .find(|n| t.entry_kind(n).is_some())
                .map(|n| Place::Tree(n.to_string())),
        }
    }

    /// Whether the file exists (of any kind: a wrong kind is reported when it is read).
    pub fn exists(&self, place: &Place) -> bool {
        match (self, place) {
            (_, Place::Disk(p)) => std::fs::symlink_metadata(p).is_ok(),
            (Source::Tree(t), Place::Tree(p)) => t.entry_kind(p).is_some(),
            (Source::Disk, Place::Tree(_)) => false,
        }
    }

    /// The target of `[extend] path = target` in the config at `from`. On disk, relative to the
    /// config's directory. In a tree, it must stay in the tree: an absolute path or one climbing out
    /// would let the reviewed commits read (or block on) any file of the machine.
    pub fn resolve_extend(&self, from: &Place, target: &str) -> Result<Place, String> {
        match from {
            Place::Disk(p) => Ok(Place::Disk(
                p.parent().unwrap_or(Path::new(".")).join(target),
            )),
            Place::Tree(rel) => {
                let Source::Tree(t) = self else {
                    return Err(format!("{rel}: no tree to read from"));
                };
                if Path::new(target).is_absolute() {
                    return t.relative(Path::new(target)).map(Place::Tree).ok_or_else(|| {
                        format!("[extend] path {target:?} is outside the repository; a config read from the base tree can extend only files in that tree")
                    });
                }
                let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
                normalize(&dir.join(target)).map(Place::Tree).ok_or_else(|| {
                    format!("[extend] path {target:?} climbs out of the repository; a config read from the base tree can extend only files in that tree")
                })
            }
        }
    }

    /// The file's text, at most `limit` bytes.
    pub fn read(&self, place: &Place, limit: u64) -> Result<String, ReadError> {
        let bytes = self.read_bytes(place, limit)?;
        String::from_utf8(bytes).map_err(|_| ReadError {
            name: self.describe(place),
            reason: "not UTF-8 text".into(),
        })
    }

    /// How a place is named in errors: a tree path says which commit it was read from.
    pub fn describe(&self, place: &Place) -> String {
        match (self, place) {
            (Source::Tree(t), Place::Tree(p)) => {
                format!("{p} (in base commit {})", short(t.commit))
            }
            _ => place.display(),
        }
    }

    fn read_bytes(&self, place: &Place, limit: u64) -> Result<Vec<u8>, ReadError> {
        let result = match place {
            Place::Disk(p) => read_disk(p, limit),
            Place::Tree(rel) => match self {
                Source::Tree(t) => t.read(rel, limit),
                Source::Disk => Err("no tree to read from".into()),
            },
        };
        result.map_err(|reason| ReadError {
            name: self.describe(place),
            reason,
        })
    }
}

fn read_disk(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    // Follows a symlink: on disk the person running the scan chose the file. What it points at
    // must still be a regular file (not /dev/zero, a FIFO, a directory).
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    // The file may grow between the check and the read: read one byte past the limit, no more.
    let mut buf = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| io_reason(&e))?;
    if buf.len() as u64 > limit {
        return Err(too_large(buf.len() as u64, limit));
    }
    Ok(buf)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not found".into(),
        _ => format!("cannot read: {e}"),
    }
}

fn too_large(size: u64, limit: u64) -> String {
    format!("too large ({size} bytes; the limit is {limit} bytes)")
}

impl TreeSource {
    /// The path of `user_path` relative to the work tree, slash-separated, if it lies inside it.
    fn relative(&self, user_path: &Path) -> Option<String> {
        let workdir = self.workdir.as_ref()?;
        let cwd = std::env::current_dir().ok()?;
        let cwd = cwd.canonicalize().unwrap_or(cwd);
        let absolute = normalize_abs(&cwd.join(user_path));
        // The file itself may be missing on disk (deleted by the reviewed commits): canonicalize the
        // deepest directory that exists, so that a symlinked checkout path still compares equal.
        let absolute = canonical_prefix(&absolute);
        let rel = absolute.strip_prefix(workdir).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    fn entry(&self, rel: &str) -> Option<git2::TreeEntry<'static>> {
        let tree = self.repo.find_tree(self.tree).ok()?;
        tree.get_path(Path::new(rel)).ok().map(|e| e.to_owned())
    }

    fn entry_kind(&self, rel: &str) -> Option<git2::ObjectType> {
        self.entry(rel).and_then(|e| e.kind())
    }

    fn read(&self, rel: &str, limit: u64) -> Result<Vec<u8>, String> {
        let entry = self
            .entry(rel)
            .ok_or_else(|| "not in the base tree (a file the reviewed commits add is not trusted: land it on the base branch first)".to_string())?;
        // 0o120000: a symlink, whose blob is a path that would be read from the disk. 0o160000: a
        // submodule. Only a plain (or executable) blob is a file of the tree.
        let mode = entry.filemode();
        if entry.kind() != Some(git2::ObjectType::Blob) || mode == 0o120000 {
            return Err(
                "not a regular file in the base tree (a symlink, directory or submodule)".into(),
            );
        }
        let odb = self.repo.odb().map_err(|e| e.message().to_string())?;
        let (size, _) = odb
            .read_header(entry.id())
            .map_err(|e| e.message().to_string())?;
        if size as u64 > limit {
            return Err(too_large(size as u64, limit));
        }
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|e| e.message().to_string())?;
        Ok(blob.content().to_vec())
    }
}

/// Lexical normalisation of a relative path: `.` dropped, `..` applied; None if it climbs out.
fn normalize(p: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn normalize_abs(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn canonical_prefix(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (
            existing.file_name().map(|n| n.to_owned()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return p.to_path_buf(),
        }
    }
}

pub fn short(oid: git2::Oid) -> String {
    oid.to_string()[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_in_the_tree() {
        assert_eq!(
            normalize(Path::new("a/./b/../c.toml")).as_deref(),
            Some("a/c.toml")
        );
        assert_eq!(normalize(Path::new("../x")), None);
        assert_eq!(normalize(Path::new("a/../../x")), None);
    }

    #[test]
    fn disk_reads_refuse_devices_and_large_files() {
        if Path::new("/dev/zero").exists() {
            let e = read_disk(Path::new("/dev/zero"), MAX_CONFIG_BYTES).unwrap_err();
            assert!(e.contains("not a regular file"), "{e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; (MAX_CONFIG_BYTES + 1) as usize]).unwrap();
        assert!(read_disk(&big, MAX_CONFIG_BYTES)
            .unwrap_err()
            .contains("too large"));
    }
}
