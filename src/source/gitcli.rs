//! A second object backend, through the git CLI, for repositories libgit2 cannot open: SHA-256
//! repositories (`git init --object-format=sha256`). Slower than the libgit2 one (commits, trees
//! and blobs go through pipes), and the same answers: history introductions come from
//! `git diff-tree -c` (a combined diff lists exactly the paths whose blob differs from every
//! parent, the rule the libgit2 walk applies), blobs from one `git cat-file --batch`, and the
//! attribution is the one `history` uses. `staged` reads the index through `git diff --cached`.

use super::history::{attribute_hits, BlobResult, HistoryOptions, Intro, NO_COMMIT};

/// A blob's content hits and path-rule hits by path index.
type Hits = (Vec<Hit>, Vec<(u32, Vec<Hit>)>);
use super::staged::{added_findings, PathOrigin, StagedOptions};
use super::{classify, sort_findings, Content, ScanOutcome, SkipReason, Skipped, Stats};
use crate::engine::{Engine, Hit, PathScope};
use crate::finding::{CommitInfo, Finding};
use anyhow::{anyhow, bail, Context as _, Result};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A repository read through the git CLI.
#[derive(Clone, Debug)]
pub struct CliRepo {
    pub git_dir: PathBuf,
    pub work_tree: Option<PathBuf>,
    /// Run git in the caller's environment (GIT_DIR, GIT_INDEX_FILE...) rather than at `git_dir`:
    /// how a hook sees the repository.
    from_env: bool,
}

impl CliRepo {
    /// The repository at or above `path`, or, with None, the one git's environment and the current
    /// directory name.
    pub fn discover(path: Option<&Path>) -> Result<CliRepo> {
        let mut c = Command::new("git");
        if let Some(p) = path {
            c.arg("-C").arg(p);
            clear_env(&mut c);
        }
        let out = c
            .args(["rev-parse", "--absolute-git-dir", "--is-bare-repository"])
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| anyhow!("cannot run git: {e}"))?;
        let shown = path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ".".into());
        if !out.status.success() {
            bail!("{shown}: not a git repository");
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let git_dir = PathBuf::from(lines.next().unwrap_or_default());
        let bare = lines.next() == Some("true");
        let work_tree = if bare {
            None
        } else {
            let mut c = Command::new("git");
            if let Some(p) = path {
                c.arg("-C").arg(p);
                clear_env(&mut c);
            }
            let top = c
                .args(["rev-parse", "--show-toplevel"])
                .stderr(Stdio::null())
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim_end()));
            top.filter(|t| !t.as_os_str().is_empty())
        };
        Ok(CliRepo {
            git_dir,
            work_tree,
            from_env: path.is_none(),
        })
    }

    /// Where config and ignore files live: the work tree, or the git dir when bare.
    pub fn root(&self) -> PathBuf {
        self.work_tree
            .clone()
            .unwrap_or_else(|| self.git_dir.clone())
    }

    fn git(&self) -> Command {
        let mut c = Command::new("git");
        if self.from_env {
            if let Some(w) = &self.work_tree {
                c.current_dir(w);
            }
        } else {
            clear_env(&mut c);
            c.arg("--git-dir").arg(&self.git_dir);
            if let Some(w) = &self.work_tree {
                c.arg("--work-tree").arg(w);
            }
        }
        c
    }

    /// Runs git with `args` and `input` on its stdin; its stdout, or an error with git's message.
    fn run(&self, args: &[&str], input: &[u8]) -> Result<Vec<u8>> {
        run_git(self.git(), args, input)
    }

    /// Reads objects by name (ids or `REV:path`) with one `git cat-file --batch`, calling `each`
    /// with the index of the name and its content (None: missing). Objects stream through one at a
    /// time.
    fn read_objects(
        &self,
        names: &[String],
        mut each: impl FnMut(usize, Option<Vec<u8>>) -> Result<()>,
    ) -> Result<()> {
        if names.is_empty() {
            return Ok(());
        }
        let mut child = self
            .git()
            .args(["cat-file", "--batch"])
            // A partial clone's missing blobs were fetched in one request before, or are skipped:
            // never one lazy fetch per object.
            .env("GIT_NO_LAZY_FETCH", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| anyhow!("cannot run git: {e}"))?;
        let mut stdin = child.stdin.take().expect("piped");
        let list: String = names.iter().map(|n| format!("{n}\n")).collect();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(list.as_bytes());
        });
        let mut out = BufReader::with_capacity(1 << 20, child.stdout.take().expect("piped"));
        let mut header = Vec::new();
        for i in 0..names.len() {
            header.clear();
            out.read_until(b'\n', &mut header)
                .context("cannot read from git cat-file")?;
            let h = String::from_utf8_lossy(&header);
            let parts: Vec<&str> = h.split_whitespace().collect();
            match parts.as_slice() {
                [_, "missing"] | [_, "ambiguous"] => each(i, None)?,
                [_, _kind, size] => {
                    let size: usize = size.parse().context("bad git cat-file header")?;
                    let mut data = vec![0u8; size + 1];
                    out.read_exact(&mut data)
                        .context("cannot read from git cat-file")?;
                    data.truncate(size);
                    each(i, Some(data))?;
                }
                _ => bail!("git cat-file: unexpected output {h:?}"),
            }
        }
        drop(out);
        let _ = writer.join();
        let _ = child.wait();
        Ok(())
    }
}

/// Runs `git` (a command `CliRepo::git` made) with `args` and `input` on its stdin; its stdout, or an
/// error with git's message.
fn run_git(mut git: Command, args: &[&str], input: &[u8]) -> Result<Vec<u8>> {
    let mut child = git
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| anyhow!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child
        .wait_with_output()
        .map_err(|e| anyhow!("cannot run git: {e}"))?;
    let _ = writer.join();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let why = err
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("no message")
            .trim_start_matches("fatal: ");
        bail!("git {} failed: {why}", args.first().unwrap_or(&""));
    }
    Ok(out.stdout)
}

/// The files under `dir` that git tracks although its ignore rules (.gitignore, info/exclude, the
/// global excludes) match them, relative to `dir`: a file committed before the rule was written, or
/// added with `git add -f`. Empty when `dir` is in no git work tree or git cannot run.
pub fn tracked_but_ignored(dir: &Path) -> Vec<PathBuf> {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    clear_env(&mut c);
    let Ok(out) = c
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--ignored",
            "--exclude-standard",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    else {
        return Vec::new();
    };
    if !out.status.success() {
        return Vec::new();
    }
    out.stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .filter_map(|p| std::str::from_utf8(p).ok())
        .map(PathBuf::from)
        .collect()
}

fn clear_env(c: &mut Command) {
    for v in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_COMMON_DIR",
    ] {
        c.env_remove(v);
    }
}

struct CommitRow {
    sha: String,
    /// The committer time, corrected to exceed every listed parent's (attribution order, as
    /// `Walk::earlier` orders commits: a commit never comes before its own ancestor).
    time: i64,
    info: CommitInfo,
}

/// Scans the history of a repository through the git CLI; the same options and answers as
/// `history::scan`.
pub fn scan_history(engine: &Engine, repo: &CliRepo, opts: &HistoryOptions) -> Result<ScanOutcome> {
    let started = Instant::now();
    let mut stats = Stats::default();
    if repo.git_dir.join("info").join("grafts").is_file() {
        stats.notes.push(super::history::GRAFTS_NOTE.to_string());
    }
    if repo.git_dir.join("shallow").is_file() {
        stats.notes.push(super::history::SHALLOW_NOTE.to_string());
    }

    // Commits, oldest first, with what attribution needs to know of them.
    let mut revs: Vec<String> = Vec::new();
    if let Some(r) = &opts.range {
        revs.push(r.clone());
    }
    revs.extend(opts.refs.iter().cloned());
    let everything = revs.is_empty();
    if everything {
        // Older stashes live only in the stash's reflog.
        if let Ok(log) = repo.run(&["reflog", "show", "--format=%H", "refs/stash", "--"], b"") {
            revs.extend(String::from_utf8_lossy(&log).lines().map(str::to_string));
        }
        if opts.all_objects {
            revs.extend(all_objects_of(repo, "commit")?);
        }
    } else {
        for r in &opts.refs {
            repo.run(
                &["rev-parse", "--verify", "-q", &format!("{r}^{{commit}}")],
                b"",
            )
            .map_err(|_| anyhow!("{r}: unknown revision"))?;
        }
    }
    let mut stdin = String::new();
    for r in &revs {
        stdin.push_str(r);
        stdin.push('\n');
    }
    let mut args = vec![
        "rev-list",
        "--reverse",
        "--topo-order",
        "--no-commit-header",
        "--format=%H%x00%ct%x00%ai%x00%an%x00%ae%x00%P%x00%s",
    ];
    if everything {
        args.push("--all");
    }
    args.push("--stdin");
    let listed = repo.run(&args, stdin.as_bytes())?;
    let mut commits: Vec<CommitRow> = Vec::new();
    // Each listed commit's index in `commits`. Listed parents come first (`--topo-order
    // --reverse`), so each one's corrected time is known when its children come.
    let mut index_of: HashMap<String, u32> = HashMap::new();
    for line in String::from_utf8_lossy(&listed).lines() {
        let f: Vec<&str> = line.split('\0').collect();
        let [sha, ct, ai, an, ae, parents, s] = f.as_slice() else {
            continue;
        };
        let time: i64 = ct.parse().unwrap_or(0);
        if opts.since.is_some_and(|since| time < since) {
            continue;
        }
        let time = parents
            .split(' ')
            .filter_map(|p| index_of.get(p))
            .map(|&i| commits[i as usize].time.saturating_add(1))
            .fold(time, i64::max);
        index_of.insert(sha.to_string(), commits.len() as u32);
        commits.push(CommitRow {
            sha: sha.to_string(),
            time,
            info: CommitInfo {
                sha: sha.to_string(),
                author: an.to_string(),
                email: ae.to_string(),
                date: iso_to_rfc3339(ai),
                subject: s.to_string(),
            },
        });
    }

    // What each commit introduces.
    let key = |c: u32| -> (bool, i64, &str) {
        if c == NO_COMMIT {
            (true, 0, "")
        } else {
            let row = &commits[c as usize];
            (false, row.time, row.sha.as_str())
        }
    };
    let mut t = Table::default();
    let mut submodules = BTreeSet::new();
    let shas: String = commits.iter().map(|c| format!("{}\n", c.sha)).collect();
    let diffs = repo.run(
        &[
            "diff-tree",
            "--stdin",
            "-r",
            "-c",
            "--root",
            "-z",
            "--no-abbrev",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
        ],
        shas.as_bytes(),
    )?;
    let mut commit = NO_COMMIT;
    let mut fields = diffs.split(|&b| b == 0);
    while let Some(field) = fields.next() {
        if field.is_empty() {
            continue;
        }
        if field[0] != b':' {
            let sha = String::from_utf8_lossy(field);
            commit = index_of.get(sha.trim()).copied().unwrap_or(NO_COMMIT);
            continue;
        }
        let path = fields.next().unwrap_or_default();
        let meta = String::from_utf8_lossy(field);
        let tokens: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        if tokens.len() < 3 || commit == NO_COMMIT {
            continue;
        }
        let n = (tokens.len() - 1) / 2; // parents + 1
        let (mode, id) = (tokens[n - 1], tokens[tokens.len() - 2]);
        if id.bytes().all(|b| b == b'0') {
            continue; // deleted
        }
        match mode {
            "160000" => {
                submodules.insert(String::from_utf8_lossy(path).into_owned());
            }
            "040000" => {}
            _ => t.introduce(id, path, commit, &key),
        }
    }
    if opts.all_objects && everything {
        let introduced: HashSet<String> = t.blobs.iter().cloned().collect();
        let unreachable: Vec<String> = all_objects_of(repo, "blob")?
            .into_iter()
            .filter(|b| !introduced.contains(b))
            .collect();
        if !unreachable.is_empty() {
            stats.notes.push(format!(
                "{} blob{} that no commit reaches were scanned; their findings carry no commit",
                unreachable.len(),
                if unreachable.len() == 1 { "" } else { "s" }
            ));
        }
        for b in unreachable {
            let label = format!("(unreachable blob {})", &b[..12]);
            t.introduce(&b, label.as_bytes(), NO_COMMIT, &key);
        }
    }
    let Table {
        paths,
        blobs,
        intros,
        ..
    } = t;
    for p in submodules {
        stats.skipped.push(Skipped {
            path: p,
            reason: SkipReason::Submodule,
            detail: None,
        });
    }

    // Partial clones: fetch what is missing in one request first.
    let missing = missing_blobs(repo, &blobs)?;
    let mut still_missing: HashSet<u32> = HashSet::new();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|&b| blobs[b as usize].clone()).collect();
        let remote = repo
            .run(&["config", "--get-regexp", r"^remote\..*\.promisor$"], b"")
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o)
                    .lines()
                    .filter(|l| l.ends_with(" true"))
                    .filter_map(|l| l.split(' ').next())
                    .map(|k| {
                        k.trim_start_matches("remote.")
                            .trim_end_matches(".promisor")
                            .to_string()
                    })
                    .min()
            });
        let why = match (&remote, opts.no_fetch) {
            (_, true) => Some("--no-fetch".to_string()),
            (None, false) => Some("no promisor remote".to_string()),
            (Some(r), false) => super::promisor::fetch(&repo.git_dir, r, &names)
                .err()
                .map(|e| e.to_string()),
        };
        let after = missing_blobs(repo, &blobs)?;
        still_missing.extend(after.iter().copied());
        let n = missing.len();
        stats.notes.push(match why {
            None if after.is_empty() => format!(
                "this is a partial clone: {n} blob{} not in the local object store were fetched from the promisor remote {}",
                if n == 1 { "" } else { "s" },
                remote.unwrap_or_default()
            ),
            why => format!(
                "this is a partial clone: {} blob{} not in the local object store could not be read ({}), so their \
                 content was not scanned (skipped: missing-promisor-object)",
                after.len(),
                if after.len() == 1 { "" } else { "s" },
                why.unwrap_or_else(|| "the fetch did not bring them".into())
            ),
        });
    }

    // Scan every blob once; batches of content go to the worker threads.
    let mut rule_paths: Vec<Vec<u32>> = vec![Vec::new(); blobs.len()];
    let mut first_path: Vec<u32> = vec![u32::MAX; blobs.len()];
    let mut has_path_rules: HashMap<u32, bool> = HashMap::new();
    for i in &intros {
        let fp = &mut first_path[i.blob as usize];
        *fp = (*fp).min(i.path);
        let needs = *has_path_rules.entry(i.path).or_insert_with(|| {
            engine.has_path_rules_for(&String::from_utf8_lossy(&paths[i.path as usize]))
        });
        if needs && !rule_paths[i.blob as usize].contains(&i.path) {
            rule_paths[i.blob as usize].push(i.path);
        }
    }
    let path_str = |p: u32| String::from_utf8_lossy(&paths[p as usize]).into_owned();
    let path_rule_hits = |blob: usize, data: &[u8]| -> Vec<(u32, Vec<Hit>)> {
        rule_paths[blob]
            .iter()
            .map(|&p| (p, engine.scan(data, PathScope::PathRulesAt(&path_str(p)))))
            .filter(|(_, h)| !h.is_empty())
            .collect()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .context("cannot start worker threads")?;
    let mut results: Vec<BlobResult> = Vec::new();
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut batch_bytes = 0usize;
    let scan_batch =
        |batch: &mut Vec<(usize, Vec<u8>)>, results: &mut Vec<BlobResult>, stats: &mut Stats| {
            let outcomes: Vec<(usize, u64, Hits)> = pool.install(|| {
                batch
                    .par_iter()
                    .map(|(b, data)| {
                        // Text, or a binary blob's strings (source::strings).
                        let content = classify(data);
                        let text = content.scanned();
                        (
                            *b,
                            data.len() as u64,
                            (
                                engine.scan(text, PathScope::ContentOnly),
                                path_rule_hits(*b, text),
                            ),
                        )
                    })
                    .collect()
            });
            for (b, size, (content, by_path)) in outcomes {
                stats.scanned += 1;
                stats.bytes += size;
                if !content.is_empty() || !by_path.is_empty() {
                    results.push((b as u32, content, by_path));
                }
            }
            batch.clear();
        };
    let sizes = object_sizes(repo, &blobs)?;
    let mut to_read: Vec<String> = Vec::new();
    let mut read_index: Vec<usize> = Vec::new();
    for (b, id) in blobs.iter().enumerate() {
        let skip = if still_missing.contains(&(b as u32)) {
            Some((
                SkipReason::MissingPromisorObject,
                format!("blob {}, not in this partial clone", &id[..12]),
            ))
        } else if opts.max_blob_size.is_some_and(|m| sizes[b] > m) {
            Some((
                SkipReason::TooLarge,
                format!("{} bytes, blob {}", sizes[b], &id[..12]),
            ))
        } else {
            None
        };
        match skip {
            Some((reason, detail)) => {
                stats.skipped.push(Skipped {
                    path: path_str(first_path[b]),
                    reason,
                    detail: Some(detail),
                });
                let by_path = path_rule_hits(b, b"");
                if !by_path.is_empty() {
                    results.push((b as u32, Vec::new(), by_path));
                }
            }
            None => {
                to_read.push(id.clone());
                read_index.push(b);
            }
        }
    }
    repo.read_objects(&to_read, |i, data| {
        let b = read_index[i];
        let data = data.ok_or_else(|| {
            anyhow!(
                "cannot read blob {}: the repository is corrupt or incomplete",
                &blobs[b][..12]
            )
        })?;
        batch_bytes += data.len();
        batch.push((b, data));
        if batch_bytes >= 32 << 20 || batch.len() >= 4096 {
            scan_batch(&mut batch, &mut results, &mut stats);
            batch_bytes = 0;
        }
        Ok(())
    })?;
    scan_batch(&mut batch, &mut results, &mut stats);
    results.sort_by_key(|r| r.0);

    // Attribution, as the libgit2 backend does it.
    let mut order: Vec<u32> = (0..commits.len() as u32).collect();
    order.sort_by_key(|&c| key(c));
    let mut rank = vec![0u32; commits.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c as usize] = r as u32;
    }
    let mut findings = attribute_hits(engine, &paths, &intros, &rank, results, |c| {
        Ok(commits[c as usize].info.clone())
    })?;
    mark_present_at_head(repo, engine, &mut findings)?;
    sort_findings(&mut findings);
    stats
        .skipped
        .sort_by(|a, b| (&a.reason, &a.path, &a.detail).cmp(&(&b.reason, &b.path, &b.detail)));
    stats.duration = started.elapsed();
    Ok(ScanOutcome { findings, stats })
}

/// Paths, blobs and introductions, interned as the libgit2 walk does.
#[derive(Default)]
struct Table {
    paths: Vec<Box<[u8]>>,
    path_ids: HashMap<Box<[u8]>, u32>,
    blobs: Vec<String>,
    blob_ids: HashMap<String, u32>,
    intros: Vec<Intro>,
    /// (blob, path) -> index in `intros`: one introduction each, by its earliest commit.
    seen: HashMap<(u32, u32), usize>,
}

impl Table {
    fn introduce<K: Ord>(&mut self, blob: &str, path: &[u8], commit: u32, key: &impl Fn(u32) -> K) {
        let p = match self.path_ids.get(path) {
            Some(&p) => p,
            None => {
                let p = self.paths.len() as u32;
                self.paths.push(path.into());
                self.path_ids.insert(path.into(), p);
                p
            }
        };
        let b = match self.blob_ids.get(blob) {
            Some(&b) => b,
            None => {
                let b = self.blobs.len() as u32;
                self.blobs.push(blob.to_string());
                self.blob_ids.insert(blob.to_string(), b);
                b
            }
        };
        match self.seen.get(&(b, p)) {
            Some(&i) => {
                if key(commit) < key(self.intros[i].commit) {
                    self.intros[i].commit = commit;
                }
            }
            None => {
                self.seen.insert((b, p), self.intros.len());
                self.intros.push(Intro {
                    blob: b,
                    path: p,
                    commit,
                });
            }
        }
    }
}

/// Every object of one type in the object database, sorted (`--all-objects`).
fn all_objects_of(repo: &CliRepo, kind: &str) -> Result<Vec<String>> {
    let out = repo.run(
        &[
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objecttype) %(objectname)",
        ],
        b"",
    )?;
    let mut v: Vec<String> = String::from_utf8_lossy(&out)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(t, _)| *t == kind)
        .map(|(_, id)| id.to_string())
        .collect();
    v.sort();
    v.dedup();
    Ok(v)
}

/// Blobs not in the local object store (a partial clone's), asking git not to fetch them.
fn missing_blobs(repo: &CliRepo, blobs: &[String]) -> Result<Vec<u32>> {
    let check = batch_check(repo, blobs)?;
    Ok(check
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| i as u32)
        .collect())
}

fn object_sizes(repo: &CliRepo, blobs: &[String]) -> Result<Vec<u64>> {
    Ok(batch_check(repo, blobs)?
        .into_iter()
        .map(|s| s.unwrap_or(0))
        .collect())
}

/// Each object's size, None when missing, through one `git cat-file --batch-check`.
fn batch_check(repo: &CliRepo, ids: &[String]) -> Result<Vec<Option<u64>>> {
    Ok(batch_check_lines(repo, ids, "%(objectsize)")?
        .iter()
        .map(|l| l.trim().parse().ok())
        .collect())
}

/// One `git cat-file --batch-check=FORMAT` over `names`: its line for each, in order (git answers
/// "NAME missing" for an object it does not have).
fn batch_check_lines(repo: &CliRepo, names: &[String], format: &str) -> Result<Vec<String>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let input: String = names.iter().map(|i| format!("{i}\n")).collect();
    let mut git = repo.git();
    git.env("GIT_NO_LAZY_FETCH", "1");
    let out = run_git(
        git,
        &["cat-file", &format!("--batch-check={format}")],
        input.as_bytes(),
    )?;
    let lines: Vec<String> = String::from_utf8_lossy(&out)
        .lines()
        .map(str::to_string)
        .collect();
    if lines.len() != names.len() {
        bail!("git cat-file --batch-check: unexpected output");
    }
    Ok(lines)
}

/// Whether each finding's secret is still in its file at HEAD (`present_at_head`) and at which
/// branch, tag and remote-tracking tips (`present_at_refs`), as the libgit2 path sets them
/// (tips.rs). Each distinct blob is read and scanned once per path, however many tips share it.
fn mark_present_at_head(repo: &CliRepo, engine: &Engine, findings: &mut [Finding]) -> Result<()> {
    let has_head = repo
        .run(&["rev-parse", "--verify", "-q", "HEAD^{tree}"], b"")
        .is_ok();
    let mut wanted: Vec<String> = findings
        .iter()
        .filter(|f| f.commit.is_some() && !f.path.contains('\n'))
        .map(|f| f.path.clone())
        .collect();
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(());
    }
    // (short name, full ref) of direct refs, sorted by short name as tips.rs does.
    let listed = repo.run(
        &[
            "for-each-ref",
            "--format=%(symref)%00%(refname)",
            "refs/heads",
            "refs/tags",
            "refs/remotes",
        ],
        b"",
    )?;
    let mut tips: Vec<(String, String)> = String::from_utf8_lossy(&listed)
        .lines()
        .filter_map(|l| {
            let (symref, full) = l.split_once('\0')?;
            if !symref.is_empty() {
                return None;
            }
            let short = ["refs/heads/", "refs/tags/", "refs/remotes/"]
                .iter()
                .find_map(|p| full.strip_prefix(p))?;
            Some((short.to_string(), full.to_string()))
        })
        .collect();
    tips.sort();
    let mut revs: Vec<&str> = Vec::new();
    if has_head {
        revs.push("HEAD");
    }
    revs.extend(tips.iter().map(|(_, full)| full.as_str()));
    // Which blob each rev has at each wanted path.
    let names: Vec<String> = revs
        .iter()
        .flat_map(|rev| wanted.iter().map(move |p| format!("{rev}^{{tree}}:{p}")))
        .collect();
    let ids = object_ids(repo, &names)?;
    let mut unique: Vec<(String, usize)> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| id.clone().map(|id| (id, i % wanted.len())))
        .collect();
    unique.sort();
    unique.dedup();
    let to_read: Vec<String> = unique.iter().map(|(id, _)| id.clone()).collect();
    let mut hits_of: HashMap<(String, usize), HashSet<(String, String)>> = HashMap::new();
    repo.read_objects(&to_read, |i, data| {
        let (id, path) = &unique[i];
        let mut set = HashSet::new();
        if let Some(data) = data {
            if let Content::Text(text) = classify(&data) {
                for hit in engine.scan(&text, PathScope::At(&wanted[*path])) {
                    set.insert((
                        engine.rule(hit.rule).id.to_string(),
                        hit.secret.expose().to_string(),
                    ));
                }
            }
        }
        hits_of.insert((id.clone(), *path), set);
        Ok(())
    })?;
    let holds = |rev: usize, f: &Finding| -> bool {
        let Ok(p) = wanted.binary_search(&f.path) else {
            return false;
        };
        ids[rev * wanted.len() + p].as_ref().is_some_and(|id| {
            hits_of.get(&(id.clone(), p)).is_some_and(|s| {
                s.contains(&(f.rule_id.to_string(), f.secret.expose().to_string()))
            })
        })
    };
    let first_tip = usize::from(has_head);
    for f in findings.iter_mut().filter(|f| f.commit.is_some()) {
        if has_head {
            f.present_at_head = Some(holds(0, f));
        }
        f.present_at_refs = Some(
            tips.iter()
                .enumerate()
                .filter(|(t, _)| holds(first_tip + t, f))
                .map(|(_, (short, _))| short.clone())
                .collect(),
        );
    }
    Ok(())
}

/// Each object name's id (`rev:path`), None when it names no blob.
fn object_ids(repo: &CliRepo, names: &[String]) -> Result<Vec<Option<String>>> {
    Ok(
        batch_check_lines(repo, names, "%(objectname) %(objecttype)")?
            .iter()
            .map(|l| match l.split_once(' ') {
                Some((id, "blob")) => Some(id.to_string()),
                _ => None,
            })
            .collect(),
    )
}

/// `2023-11-14 23:13:20 +0100` (git's `%ai`) to RFC 3339.
fn iso_to_rfc3339(ai: &str) -> String {
    let mut parts = ai.split(' ');
    let (Some(date), Some(time), Some(zone)) = (parts.next(), parts.next(), parts.next()) else {
        return ai.to_string();
    };
    if zone == "+0000" || zone == "-0000" {
        return format!("{date}T{time}Z");
    }
    if zone.len() == 5 {
        return format!("{date}T{time}{}:{}", &zone[..3], &zone[3..]);
    }
    format!("{date}T{time}{zone}")
}

/// Scans what is staged, through the git CLI: `git diff --cached` names the changed files (renames
/// detected, as the libgit2 path does) and `git cat-file --batch` reads both sides.
pub fn scan_staged(engine: &Engine, repo: &CliRepo, opts: &StagedOptions) -> Result<ScanOutcome> {
    let started = Instant::now();
    if repo.work_tree.is_none() {
        bail!(
            "{}: a bare repository has no staged changes",
            repo.git_dir.display()
        );
    }
    let raw = repo.run(
        &[
            "diff",
            "--cached",
            "--raw",
            "-z",
            "--no-abbrev",
            "-M",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules=none",
        ],
        b"",
    )?;
    struct Change {
        path: String,
        blob: String,
        mode: String,
        old: Option<String>,
        origin: PathOrigin,
    }
    let mut changes: Vec<Change> = Vec::new();
    let mut fields = raw.split(|&b| b == 0);
    while let Some(meta) = fields.next() {
        if meta.is_empty() || meta[0] != b':' {
            continue;
        }
        let meta = String::from_utf8_lossy(&meta[1..]).into_owned();
        let t: Vec<&str> = meta.split(' ').collect();
        let [old_mode, new_mode, old_id, new_id, status] = t.as_slice() else {
            continue;
        };
        let first = String::from_utf8_lossy(fields.next().unwrap_or_default()).into_owned();
        let kind = status.chars().next().unwrap_or(' ');
        let (path, origin, old) = match kind {
            'R' | 'C' => {
                let to = String::from_utf8_lossy(fields.next().unwrap_or_default()).into_owned();
                (to, PathOrigin::Moved(first), Some(old_id.to_string()))
            }
            'A' => (first, PathOrigin::New, None),
            'M' => (first, PathOrigin::Kept, Some(old_id.to_string())),
            'T' if old_mode.starts_with("100") => {
                (first, PathOrigin::Kept, Some(old_id.to_string()))
            }
            'T' => (first, PathOrigin::Kept, None),
            _ => continue, // deleted, unmerged
        };
        changes.push(Change {
            path,
            blob: new_id.to_string(),
            mode: new_mode.to_string(),
            old,
            origin,
        });
    }
    let ignore = if opts.no_ignore {
        None
    } else {
        super::staged::leakguardignore(&repo.root())
    };
    changes.retain(|c| {
        !ignore
            .as_ref()
            .is_some_and(|gi| gi.matched_path_or_any_parents(&c.path, false).is_ignore())
    });
    let mut stats = Stats::default();
    let mut findings = Vec::new();
    let path_findings = |c: &Change| -> Vec<Finding> {
        let mut hits = engine.scan(b"", PathScope::PathRulesAt(&c.path));
        hits.retain(|h| h.is_whole_file() && c.origin.path_rule_applies(engine, h));
        engine.findings(&hits, &c.path, None)
    };
    let mut names = Vec::new();
    let mut readable = Vec::new();
    let sizes = batch_check(
        repo,
        &changes.iter().map(|c| c.blob.clone()).collect::<Vec<_>>(),
    )?;
    for (i, c) in changes.iter().enumerate() {
        let skip = match c.mode.as_str() {
            "120000" => Some((SkipReason::Symlink, None)),
            "160000" => Some((SkipReason::Submodule, None)),
            _ if c.blob.bytes().all(|b| b == b'0') => {
                // An intent-to-add entry (`git add -N`): nothing is staged yet.
                findings.extend(path_findings(c));
                stats.scanned += 1;
                continue;
            }
            _ => match (opts.max_blob_size, sizes[i]) {
                (Some(max), Some(size)) if size > max => {
                    Some((SkipReason::TooLarge, Some(format!("{size} bytes"))))
                }
                _ => None,
            },
        };
        if let Some((reason, detail)) = skip {
            findings.extend(path_findings(c));
            stats.skipped.push(Skipped {
                path: c.path.clone(),
                reason,
                detail,
            });
            continue;
        }
        readable.push(i);
        names.push(c.blob.clone());
        names.push(c.old.clone().unwrap_or_else(|| c.blob.clone()));
    }
    let mut contents: Vec<Option<Vec<u8>>> = vec![None; names.len()];
    repo.read_objects(&names, |i, data| {
        contents[i] = data;
        Ok(())
    })?;
    for (k, &i) in readable.iter().enumerate() {
        let c = &changes[i];
        let Some(data) = contents[2 * k].take() else {
            findings.extend(path_findings(c));
            stats.skipped.push(Skipped {
                path: c.path.clone(),
                reason: SkipReason::Unreadable,
                detail: Some("object missing".into()),
            });
            continue;
        };
        // Text, or a binary blob's strings (source::strings); an old version's likewise.
        let content = classify(&data);
        let old = if c.old.is_some() {
            contents[2 * k + 1].take()
        } else {
            None
        };
        let old_content = old.as_deref().map(classify);
        findings.extend(added_findings(
            engine,
            &c.path,
            &c.origin,
            content.scanned(),
            old_content.as_ref().map(Content::scanned),
        )?);
        stats.scanned += 1;
        stats.bytes += data.len() as u64;
    }
    stats.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    sort_findings(&mut findings);
    stats.duration = started.elapsed();
    Ok(ScanOutcome { findings, stats })
}

/// The hooks directory of a repository read through the CLI (`core.hooksPath` honoured).
pub fn hooks_dir(repo: &CliRepo) -> Result<PathBuf> {
    let mut c = repo.git();
    if let Some(w) = &repo.work_tree {
        c.current_dir(w);
    }
    let out = c
        .args(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| anyhow!("cannot run git: {e}"))?;
    if !out.status.success() {
        bail!("cannot find the hooks directory");
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&out.stdout).trim_end().to_string(),
    ))
}
