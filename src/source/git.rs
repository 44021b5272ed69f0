//! Opening a git repository, for every command that reads one (history, staged, the hook installer),
//! and the errors reading one can raise, as a type callers can match on rather than a message to
//! search.

use super::gitcli::CliRepo;
use git2::{ErrorCode, Oid, Repository, RepositoryOpenFlags};
use std::fmt;
use std::path::{Path, PathBuf};

/// What can go wrong opening or reading a repository. The messages are the one line a user sees.
#[derive(Debug)]
pub enum GitError {
    /// The path does not exist.
    NoSuchPath(PathBuf),
    /// The path is a file (and not a `.git` gitlink): a file inside a work tree would otherwise open
    /// the repository around it.
    NotADirectory(PathBuf),
    /// No repository at or above the path.
    NotARepository(PathBuf),
    /// A repository whose object format (SHA-256) libgit2 cannot read, asked of a caller that
    /// needs libgit2 (the git CLI backend reads it elsewhere).
    UnsupportedFormat(PathBuf),
    /// libgit2 refused to open it for another reason (permissions, a broken config...).
    CannotOpen { path: PathBuf, message: String },
    /// The git CLI, asked to read a repository libgit2 cannot, failed (or is not installed).
    Cli(String),
    /// An object inside the repository could not be read: the repository is damaged, or (`missing`)
    /// the object is absent, which is also what an incomplete or partial clone looks like.
    Corrupt {
        what: String,
        oid: Oid,
        missing: bool,
        message: String,
    },
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitError::NoSuchPath(p) => write!(f, "{}: no such file or directory", p.display()),
            GitError::NotADirectory(p) => write!(
                f,
                "{}: not a git repository (a file, not a directory)",
                p.display()
            ),
            GitError::NotARepository(p) => write!(f, "{}: not a git repository", p.display()),
            GitError::UnsupportedFormat(p) => write!(
                f,
                "{}: this repository's object format (SHA-256) cannot be read here",
                p.display()
            ),
            GitError::Cli(message) => f.write_str(message),
            GitError::CannotOpen { path, message } => {
                write!(f, "{}: cannot open repository: {message}", path.display())
            }
            GitError::Corrupt {
                what,
                oid,
                missing,
                message,
            } => write!(
                f,
                "corrupt repository{}: cannot read {what} {}: {}",
                if *missing {
                    " (or an incomplete clone)"
                } else {
                    ""
                },
                short(*oid),
                message.trim_end_matches('.')
            ),
        }
    }
}

impl std::error::Error for GitError {}

/// A read failure inside the object database: the repository is damaged (or a partial clone).
pub fn corrupt(what: &str, oid: Oid, e: &git2::Error) -> GitError {
    GitError::Corrupt {
        what: what.to_string(),
        oid,
        // A missing object is also what a partial clone looks like: say so rather than only "corrupt".
        missing: e.code() == ErrorCode::NotFound,
        message: e.message().to_string(),
    }
}

/// An object id as messages show it: its first 12 hex digits.
pub fn short(oid: Oid) -> String {
    oid.to_string()[..12].to_string()
}

/// Whether a libgit2 open failure means "use the git CLI": an object format libgit2 lacks. libgit2
/// has no error code for it, so its message is the only sign.
pub fn unsupported_by_libgit2(e: &git2::Error) -> bool {
    let m = e.message();
    m.contains("object format") || m.contains("objectformat")
}

/// A repository opened by the backend that can read it.
pub enum Opened {
    Git2(Repository),
    /// One libgit2 cannot read (SHA-256), read through the git CLI (`gitcli`).
    Cli(CliRepo),
}

/// Opens the repository at or above `path` with libgit2: a work tree, a `.git` directory or a bare
/// repository. A SHA-256 repository is `UnsupportedFormat`.
pub fn open(path: &Path) -> Result<Repository, GitError> {
    match open_any(path)? {
        Opened::Git2(r) => Ok(r),
        Opened::Cli(_) => Err(GitError::UnsupportedFormat(path.to_path_buf())),
    }
}

/// Opens the repository at or above `path` with libgit2, or through the git CLI when libgit2
/// cannot read its object format.
pub fn open_any(path: &Path) -> Result<Opened, GitError> {
    match std::fs::metadata(path) {
        Err(_) => return Err(GitError::NoSuchPath(path.to_path_buf())),
        // A `.git` file (the gitlink of a linked worktree or a submodule) names a repository and is fine.
        Ok(m) if !m.is_dir() && path.file_name() != Some(std::ffi::OsStr::new(".git")) => {
            return Err(GitError::NotADirectory(path.to_path_buf()));
        }
        Ok(_) => {}
    }
    match Repository::open_ext(
        path,
        RepositoryOpenFlags::empty(),
        std::iter::empty::<&std::ffi::OsStr>(),
    ) {
        Ok(r) => Ok(Opened::Git2(r)),
        Err(e) if unsupported_by_libgit2(&e) => cli(Some(path)),
        Err(e) => Err(not_opened(path, &e)),
    }
}

/// Opens the repository a hook sees: the one at or above the current directory, honouring git's
/// environment (`GIT_DIR`, `GIT_WORK_TREE`...).
pub fn open_from_env() -> Result<Opened, GitError> {
    match Repository::open_ext(
        ".",
        RepositoryOpenFlags::FROM_ENV,
        std::iter::empty::<&std::ffi::OsStr>(),
    ) {
        Ok(r) => Ok(Opened::Git2(r)),
        // git reads its environment itself.
        Err(e) if unsupported_by_libgit2(&e) => cli(None),
        Err(e) => Err(not_opened(&std::env::current_dir().unwrap_or_default(), &e)),
    }
}

/// Opens the repository at its git directory again (a worker thread's own handle: libgit2's
/// repositories are not `Sync`; or a fresh view of the object database after a fetch).
pub fn reopen(git_dir: &Path) -> Result<Repository, GitError> {
    Repository::open(git_dir).map_err(|e| GitError::CannotOpen {
        path: git_dir.to_path_buf(),
        message: e.message().to_string(),
    })
}

fn cli(path: Option<&Path>) -> Result<Opened, GitError> {
    CliRepo::discover(path)
        .map(Opened::Cli)
        .map_err(|e| GitError::Cli(format!("{e:#}")))
}

fn not_opened(path: &Path, e: &git2::Error) -> GitError {
    if e.code() == ErrorCode::NotFound {
        GitError::NotARepository(path.to_path_buf())
    } else {
        GitError::CannotOpen {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        }
    }
}

/// The repository's directory for config discovery: the work tree, or the git dir of a bare repository.
pub fn config_root(repo_path: &Path) -> PathBuf {
    match open_any(repo_path) {
        Ok(Opened::Git2(r)) => r
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| r.path().to_path_buf()),
        Ok(Opened::Cli(r)) => r.root(),
        Err(_) => repo_path.to_path_buf(),
    }
}
