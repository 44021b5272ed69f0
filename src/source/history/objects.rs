//! Commits and trees for the walk, read without libgit2 where it can be: through leakguard's pack
//! reader (one inflater reused for every object, delta bases cached) and parsed here, with the trees
//! parsed last kept, since a commit's trees are read again as its children's parents' trees.
//!
//! On tokio's history libgit2's object lookups were 1.4 of the walk's 1.7 billion instructions: a
//! zlib stream set up for each small object, and each tree read and parsed about twice. Anything
//! not in a pack, or that does not parse here, goes through libgit2, whose verdict stands (and
//! whose errors name the object); so do commits' parents when grafts or a shallow boundary
//! rewrite them.

use crate::source::pack::{self, PackReader, PackSet};
use git2::{ObjectType, Oid, Repository};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

/// Parsed trees kept per thread, by their bytes: a commit's trees are nearly always read again by
/// its child, a few commits later in the same run.
const TREE_CACHE_BYTES: usize = 4 << 20;
/// Resolved delta bases kept per thread by the pack reader.
const PACK_CACHE_BYTES: usize = 4 << 20;
/// Commits whose tree is remembered, per thread: a parent is read again by each child.
const COMMIT_CACHE: usize = 1 << 16;
/// How much of a commit is inflated first: its header (tree, parents, author, committer) is
/// 250-300 bytes in most commits; a longer one is read again whole.
const COMMIT_HEAD_BYTES: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Blob,
    Tree,
    Commit,
    Other,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Entry {
    name: (u32, u32),
    pub(super) kind: Kind,
    pub(super) id: Oid,
}

/// A tree's entries, in the order it lists them.
pub(super) struct Tree {
    bytes: Arc<Vec<u8>>,
    entries: Vec<Entry>,
    /// In git's order (names, a directory's as if it ended in '/'): looked up by binary search.
    sorted: bool,
}

impl Tree {
    pub(super) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(super) fn name(&self, e: &Entry) -> &[u8] {
        &self.bytes[e.name.0 as usize..e.name.1 as usize]
    }

    /// The entry named `name`, of whatever kind (as libgit2's `get_name_bytes`).
    pub(super) fn get(&self, name: &[u8]) -> Option<&Entry> {
        if !self.sorted {
            return self.entries.iter().find(|e| self.name(e) == name);
        }
        // A name sorts by its kind: look for it as a file, then as a directory.
        [false, true].into_iter().find_map(|as_dir| {
            self.entries
                .binary_search_by(|e| git_order(self.name(e), e.kind == Kind::Tree, name, as_dir))
                .ok()
                .map(|i| &self.entries[i])
        })
    }

    fn new(bytes: Arc<Vec<u8>>, entries: Vec<Entry>) -> Tree {
        let mut t = Tree {
            bytes,
            entries,
            sorted: true,
        };
        t.sorted = t.entries.windows(2).all(|w| {
            let (a, b) = (&w[0], &w[1]);
            git_order(
                t.name(a),
                a.kind == Kind::Tree,
                t.name(b),
                b.kind == Kind::Tree,
            ) == Ordering::Less
        });
        t
    }
}

/// Git's order of tree entries: by name, a directory's name as if it ended in '/'.
fn git_order(a: &[u8], a_dir: bool, b: &[u8], b_dir: bool) -> Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n]).then_with(|| {
        let end = |s: &[u8], dir: bool| s.get(n).copied().unwrap_or(if dir { b'/' } else { 0 });
        end(a, a_dir)
            .cmp(&end(b, b_dir))
            .then(a.len().cmp(&b.len()))
    })
}

/// What the walk needs of a commit.
#[derive(Clone, Debug)]
pub(super) struct Commit {
    pub(super) tree: Oid,
    pub(super) parents: Vec<Oid>,
    /// Committer time.
    pub(super) time: i64,
}

/// One thread's reader of commits and trees.
pub(super) struct Objects<'a> {
    repo: &'a Repository,
    packs: &'a PackSet,
    reader: PackReader<'a>,
    /// Commits' parents come from libgit2 (grafts, a shallow clone).
    rewritten_parents: bool,
    trees: HashMap<Oid, Arc<Tree>>,
    tree_bytes: usize,
    commit_trees: HashMap<Oid, Oid>,
    /// Commits the revwalk already parsed (`revwalk.rs`): not read again.
    known: Option<&'a HashMap<Oid, Commit>>,
}

impl<'a> Objects<'a> {
    pub(super) fn new(repo: &'a Repository, packs: &'a PackSet) -> Objects<'a> {
        let rewritten_parents =
            repo.is_shallow() || repo.path().join("info").join("grafts").exists();
        Objects {
            repo,
            packs,
            reader: PackReader::new(packs, PACK_CACHE_BYTES),
            rewritten_parents,
            trees: HashMap::new(),
            tree_bytes: 0,
            commit_trees: HashMap::new(),
            known: None,
        }
    }

    /// Serves the commits in `known` from it (the revwalk's, parsed the same way).
    pub(super) fn with_known(mut self, known: &'a HashMap<Oid, Commit>) -> Objects<'a> {
        self.known = Some(known);
        self
    }

    /// What a ref points at, through annotated tags: the object's id and pack type; `None` when the
    /// pack reader cannot say (loose objects, a tag it cannot parse): libgit2 decides then.
    pub(super) fn peel(&mut self, mut oid: Oid) -> Option<(Oid, u8)> {
        // As many tags as git allows in a chain before calling it a loop.
        for _ in 0..64 {
            let loc = self.packs.locate(&oid)?;
            // The type alone, from the entry's header: a commit is not inflated to be told apart.
            let (kind, _) = self.reader.header(loc).ok()?;
            if kind != pack::TAG {
                return Some((oid, kind));
            }
            let (_, data) = self.reader.read(loc).ok()?;
            oid = hex_oid(data.strip_prefix(b"object ")?.get(..40)?)?;
            if data.get(47) != Some(&b'\n') {
                return None;
            }
        }
        None
    }

    pub(super) fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The object's bytes, if the pack reader has it with that type.
    fn packed(&mut self, oid: Oid, kind: u8) -> Option<Arc<Vec<u8>>> {
        let loc = self.packs.locate(&oid)?;
        match self.reader.read(loc) {
            Ok((k, data)) if k == kind => Some(data),
            _ => None,
        }
    }

    /// A packed commit, parsed from its first bytes where the header is whole in them (inflating a
    /// commit's message too cost tokio's revwalk a third more), else from all of it.
    fn packed_commit(&mut self, oid: Oid) -> Option<Commit> {
        let loc = self.packs.locate(&oid)?;
        if let Ok(Some((kind, head))) = self.reader.read_prefix(loc, COMMIT_HEAD_BYTES) {
            if kind != pack::COMMIT {
                return None;
            }
            if let Some(c) = parse_commit(&head) {
                return Some(c);
            }
        }
        self.packed(oid, pack::COMMIT)
            .and_then(|data| parse_commit(&data))
    }

    pub(super) fn commit(&mut self, oid: Oid) -> Result<Commit, git2::Error> {
        if let Some(c) = self.known.and_then(|k| k.get(&oid)) {
            return Ok(c.clone());
        }
        let c = self.commit_uncached(oid)?;
        self.remember_tree_of(oid, c.tree);
        Ok(c)
    }

    /// A commit read and parsed (not served from `known`, not remembered).
    pub(super) fn commit_uncached(&mut self, oid: Oid) -> Result<Commit, git2::Error> {
        let parsed = if self.rewritten_parents {
            None
        } else {
            self.packed_commit(oid)
        };
        let c = match parsed {
            Some(c) => c,
            None => {
                let c = self.repo.find_commit(oid)?;
                Commit {
                    tree: c.tree_id(),
                    parents: c.parent_ids().collect(),
                    time: c.time().seconds(),
                }
            }
        };
        Ok(c)
    }

    fn remember_tree_of(&mut self, commit: Oid, tree: Oid) {
        if self.commit_trees.len() >= COMMIT_CACHE {
            self.commit_trees.clear();
        }
        self.commit_trees.insert(commit, tree);
    }

    /// The tree of a commit met as a parent (remembered: a commit is the parent of its children).
    pub(super) fn commit_tree(&mut self, oid: Oid) -> Result<Oid, git2::Error> {
        if let Some(&t) = self.commit_trees.get(&oid) {
            return Ok(t);
        }
        if let Some(c) = self.known.and_then(|k| k.get(&oid)) {
            return Ok(c.tree);
        }
        if self.rewritten_parents {
            let tree = self.repo.find_commit(oid)?.tree_id();
            self.remember_tree_of(oid, tree);
            return Ok(tree);
        }
        Ok(self.commit(oid)?.tree)
    }

    pub(super) fn tree(&mut self, oid: Oid) -> Result<Arc<Tree>, git2::Error> {
        if let Some(t) = self.trees.get(&oid) {
            return Ok(Arc::clone(t));
        }
        let tree = match self.packed(oid, pack::TREE).and_then(parse_tree) {
            Some(t) => t,
            None => libgit2_tree(&self.repo.find_tree(oid)?),
        };
        let tree = Arc::new(tree);
        let size = tree.bytes.len() + tree.entries.len() * std::mem::size_of::<Entry>();
        if self.tree_bytes + size > TREE_CACHE_BYTES {
            self.trees.clear();
            self.tree_bytes = 0;
        }
        self.tree_bytes += size;
        self.trees.insert(oid, Arc::clone(&tree));
        Ok(tree)
    }
}

/// A commit's tree, parents and committer time, from its bytes; `None` for anything but the plain
/// shape git writes (libgit2 then reads it).
fn parse_commit(data: &[u8]) -> Option<Commit> {
    let mut lines = data.split(|&b| b == b'\n');
    let tree = hex_oid(lines.next()?.strip_prefix(b"tree ")?)?;
    let mut parents = Vec::new();
    let mut line = lines.next()?;
    while let Some(p) = line.strip_prefix(b"parent ") {
        parents.push(hex_oid(p)?);
        line = lines.next()?;
    }
    line.strip_prefix(b"author ")?;
    let committer = lines.next()?.strip_prefix(b"committer ")?;
    // `Name <email> 1700000000 +0000`: the time follows the last '>'.
    let gt = committer.iter().rposition(|&b| b == b'>')?;
    committer[..gt].iter().rposition(|&b| b == b'<')?;
    let rest = committer[gt + 1..].strip_prefix(b" ")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 18 || rest.get(digits).is_some_and(|&b| b != b' ') {
        return None;
    }
    // The committer line must end in a newline (libgit2 says "no newline given" otherwise); in the
    // first bytes of a longer commit, a line cut short does not, and the whole commit is read.
    lines.next()?;
    let time = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
    Some(Commit {
        tree,
        parents,
        time,
    })
}

/// Forty hex digits (either case) as an id; decoded here, since libgit2's parser was a tenth of
/// the revwalk's own instructions.
fn hex_oid(hex: &[u8]) -> Option<Oid> {
    if hex.len() != 40 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut bytes = [0u8; 20];
    for (b, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
        *b = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Oid::from_bytes(&bytes).ok()
}

/// A tree's entries from its bytes (`<octal mode> <name>\0<20-byte id>`, again and again); `None`
/// if they do not parse (libgit2 then reads it).
fn parse_tree(bytes: Arc<Vec<u8>>) -> Option<Tree> {
    let b = &bytes[..];
    let mut entries = Vec::new();
    let mut at = 0;
    while at < b.len() {
        let space = at + memchr::memchr(b' ', &b[at..])?;
        if space == at {
            return None;
        }
        let mut mode: u32 = 0;
        for &c in &b[at..space] {
            if !(b'0'..=b'7').contains(&c) {
                return None;
            }
            mode = mode * 8 + u32::from(c - b'0');
            if mode > 0xffff {
                return None;
            }
        }
        let nul = space + 1 + memchr::memchr(0, &b[space + 1..])?;
        let end = nul + 21;
        if nul == space + 1 || end > b.len() {
            return None;
        }
        // As libgit2 reads a mode: a gitlink, a directory, or else a blob.
        let kind = match mode & 0o170000 {
            0o160000 => Kind::Commit,
            0o040000 => Kind::Tree,
            _ => Kind::Blob,
        };
        entries.push(Entry {
            name: (u32::try_from(space + 1).ok()?, u32::try_from(nul).ok()?),
            kind,
            id: Oid::from_bytes(&b[nul + 1..end]).ok()?,
        });
        at = end;
    }
    Some(Tree::new(bytes, entries))
}

/// A tree libgit2 read, in the same form.
fn libgit2_tree(t: &git2::Tree) -> Tree {
    let mut names = Vec::new();
    let mut entries = Vec::with_capacity(t.len());
    for e in t.iter() {
        let start = names.len() as u32;
        names.extend_from_slice(e.name_bytes());
        entries.push(Entry {
            name: (start, names.len() as u32),
            kind: match e.kind() {
                Some(ObjectType::Blob) => Kind::Blob,
                Some(ObjectType::Tree) => Kind::Tree,
                Some(ObjectType::Commit) => Kind::Commit,
                _ => Kind::Other,
            },
            id: e.id(),
        });
    }
    Tree::new(Arc::new(names), entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_order_puts_a_directory_after_a_file_that_extends_its_name() {
        // "a-b" < "a/" (directory "a") < "a.c"? '-' is 0x2d, '.' 0x2e, '/' 0x2f.
        assert_eq!(git_order(b"a-b", false, b"a", true), Ordering::Less);
        assert_eq!(git_order(b"a.c", false, b"a", true), Ordering::Less);
        assert_eq!(git_order(b"a", true, b"a0", false), Ordering::Less);
        assert_eq!(git_order(b"a", false, b"a.c", false), Ordering::Less);
        assert_eq!(git_order(b"a", false, b"a", true), Ordering::Less);
        assert_eq!(git_order(b"a", true, b"a", true), Ordering::Equal);
    }

    #[test]
    fn a_tree_parses_and_finds_files_and_directories_by_name() {
        let mut raw = Vec::new();
        let id = |n: u8| [n; 20];
        for (mode, name, n) in [
            ("100644", "a.c", 1u8),
            ("40000", "a", 2),
            ("160000", "sub", 3),
            ("120000", "z", 4),
        ] {
            raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            raw.extend_from_slice(&id(n));
        }
        let t = parse_tree(Arc::new(raw)).unwrap();
        assert!(t.sorted);
        let kinds: Vec<Kind> = t.entries().iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [Kind::Blob, Kind::Tree, Kind::Commit, Kind::Blob]);
        assert_eq!(t.get(b"a").unwrap().kind, Kind::Tree);
        assert_eq!(t.get(b"a.c").unwrap().id, Oid::from_bytes(&id(1)).unwrap());
        assert_eq!(t.get(b"z").unwrap().id, Oid::from_bytes(&id(4)).unwrap());
        assert!(t.get(b"b").is_none());
        assert!(parse_tree(Arc::new(b"100644 x\0short".to_vec())).is_none());
        assert!(parse_tree(Arc::new(b"10a644 x\0aaaaaaaaaaaaaaaaaaaa".to_vec())).is_none());
    }

    #[test]
    fn a_commit_parses_its_tree_parents_and_committer_time() {
        let t = "a".repeat(40);
        let p = "b".repeat(40);
        let raw = format!(
            "tree {t}\nparent {p}\nparent {p}\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1700000123 -0130\n\nmsg\n"
        );
        let c = parse_commit(raw.as_bytes()).unwrap();
        assert_eq!(c.tree.to_string(), t);
        let id = "0123456789abcdefABCDEF0123456789aBcDeF00";
        assert_eq!(hex_oid(id.as_bytes()), Oid::from_str(id).ok());
        assert_eq!(hex_oid(&id.as_bytes()[1..]), None);
        assert_eq!(hex_oid(id.replace('F', "g").as_bytes()), None);
        assert_eq!(c.parents.len(), 2);
        assert_eq!(c.time, 1_700_000_123);
        // No author line, or a time that is not a number: libgit2 decides.
        assert!(
            parse_commit(format!("tree {t}\ncommitter C <c@x> 5 +0000\n").as_bytes()).is_none()
        );
        assert!(parse_commit(
            format!("tree {t}\nauthor A <a@x> 1 +0000\ncommitter C <c@x> x5 +0000\n").as_bytes()
        )
        .is_none());
        // Its first bytes only: parsed once the committer line is whole, never from a line cut short
        // (a time "17000" for 1700000123).
        let end = raw.find("\n\nmsg").unwrap();
        for cut in 0..raw.len() {
            let head = parse_commit(&raw.as_bytes()[..cut]);
            assert_eq!(head.is_some(), cut > end, "cut at {cut}");
            assert!(head.is_none_or(|h| h.time == 1_700_000_123 && h.parents.len() == 2));
        }
    }
}
