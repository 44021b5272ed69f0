//! libgit2's sorted revwalk (`TOPOLOGICAL | TIME | REVERSE`), reproduced step for step over commits
//! read through leakguard's pack reader.
//!
//! libgit2 reads each commit with a fresh zlib stream (on tokio's history 275M of the 340M
//! instructions that chose the commits, serial, before any walk); `objects.rs` reuses one inflater.
//! The ORDER must be libgit2's exactly: it is the walk's order, which fixes the blob and path indices,
//! the first path each blob is named by and the order blobs are read in. So this is a port, not a
//! re-design: the same linked list with insertion by date (ties after their equals, and only as far
//! as the first older commit, even where the list is not sorted), the same `limit_list` with its
//! slop, the same binary heap (`pqueue.c`: which of two equal dates comes first depends on the
//! heap's shape) and the same 16-bit in-degrees. `tests/integration/history_order.rs` compares the
//! two on merges, equal dates, clock skew and many branches.
//!
//! Where libgit2 would read commits differently, the caller keeps libgit2's revwalk: grafts and
//! shallow clones (parents rewritten) and a commit-graph file (libgit2 takes dates and parents from it).
//!
//! The commits it parses are kept (tree, parents, committer time): the walk then reads no commit again.

use super::objects::{Commit, Objects};
use anyhow::{anyhow, Result};
use git2::Oid;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// libgit2's `SLOP`: how many uninteresting commits `limit_list` looks at once only they are left.
const SLOP: i32 = 5;
const NIL: u32 = u32::MAX;

struct Node {
    oid: Oid,
    time: i64,
    tree: Oid,
    /// Indices into `Graph::parents` (`parents_at..parents_at + out_degree`).
    parents_at: u32,
    out_degree: u32,
    parsed: bool,
    seen: bool,
    uninteresting: bool,
    added: bool,
    /// `uint16_t` in libgit2: kept so, wrapping included.
    in_degree: u16,
}

/// The commits met, by index, as libgit2's `git_commit_list_node`s.
pub(super) struct Graph<'o, 'a> {
    objects: &'o mut Objects<'a>,
    nodes: Vec<Node>,
    index: HashMap<Oid, u32>,
    parents: Vec<u32>,
    /// libgit2's `user_input`: pushed commits, the last pushed first.
    user_input: Vec<u32>,
    did_push: bool,
    /// Set by another thread that no longer needs the result (the rules failed to load).
    cancel: &'o AtomicBool,
}

/// A singly linked list of node indices in a slab, as libgit2's `git_commit_list`.
struct List {
    item: Vec<u32>,
    next: Vec<u32>,
    free: Vec<u32>,
    head: u32,
}

impl List {
    fn new() -> List {
        List {
            item: Vec::new(),
            next: Vec::new(),
            free: Vec::new(),
            head: NIL,
        }
    }

    fn cell(&mut self, item: u32, next: u32) -> u32 {
        match self.free.pop() {
            Some(c) => {
                self.item[c as usize] = item;
                self.next[c as usize] = next;
                c
            }
            None => {
                self.item.push(item);
                self.next.push(next);
                (self.item.len() - 1) as u32
            }
        }
    }

    fn pop(&mut self) -> Option<u32> {
        if self.head == NIL {
            return None;
        }
        let c = self.head;
        self.head = self.next[c as usize];
        self.free.push(c);
        Some(self.item[c as usize])
    }
}

impl<'o, 'a> Graph<'o, 'a> {
    pub(super) fn new(objects: &'o mut Objects<'a>, cancel: &'o AtomicBool) -> Self {
        Graph {
            objects,
            cancel,
            nodes: Vec::new(),
            index: HashMap::new(),
            parents: Vec::new(),
            user_input: Vec::new(),
            did_push: false,
        }
    }

    /// `git_revwalk__commit_lookup`: the node of `oid`, made (unparsed) if new.
    fn lookup(&mut self, oid: Oid) -> u32 {
        let next = self.nodes.len() as u32;
        let i = *self.index.entry(oid).or_insert(next);
        if i == next {
            self.nodes.push(Node {
                oid,
                time: 0,
                tree: Oid::zero(),
                parents_at: 0,
                out_degree: 0,
                parsed: false,
                seen: false,
                uninteresting: false,
                added: false,
                in_degree: 0,
            });
        }
        i
    }

    /// `git_revwalk_push` (`hide` false) and `git_revwalk_hide` (true), of a commit's id.
    pub(super) fn push(&mut self, oid: Oid, hide: bool) {
        let c = self.lookup(oid);
        // A previous hide already said this commit is not wanted.
        if self.nodes[c as usize].uninteresting {
            return;
        }
        if !hide {
            self.did_push = true;
        }
        self.nodes[c as usize].uninteresting = hide;
        self.user_input.push(c);
    }

    /// `git_commit_list_parse`.
    fn parse(&mut self, c: u32) -> Result<()> {
        if self.nodes[c as usize].parsed {
            return Ok(());
        }
        if self.cancel.load(Ordering::Relaxed) {
            return Err(anyhow!("cancelled"));
        }
        let oid = self.nodes[c as usize].oid;
        let commit = self
            .objects
            .commit_uncached(oid)
            .map_err(|e| anyhow!("cannot walk commits: {}", e.message()))?;
        if commit.parents.len() > usize::from(u16::MAX) {
            return Err(anyhow!(
                "cannot walk commits: commit has more than 2^16 parents"
            ));
        }
        let at = self.parents.len() as u32;
        for &p in &commit.parents {
            let pi = self.lookup(p);
            self.parents.push(pi);
        }
        let n = &mut self.nodes[c as usize];
        n.time = commit.time;
        n.tree = commit.tree;
        n.parents_at = at;
        n.out_degree = commit.parents.len() as u32;
        n.parsed = true;
        Ok(())
    }

    fn parent(&self, c: u32, i: u32) -> u32 {
        self.parents[(self.nodes[c as usize].parents_at + i) as usize]
    }

    fn degree(&self, c: u32) -> u32 {
        self.nodes[c as usize].out_degree
    }

    /// `git_commit_list_insert_by_date`: before the first commit strictly older, else at the end.
    fn insert_by_date(&self, item: u32, list: &mut List) {
        let t = self.nodes[item as usize].time;
        let mut prev = NIL;
        let mut at = list.head;
        while at != NIL {
            if self.nodes[list.item[at as usize] as usize].time < t {
                break;
            }
            prev = at;
            at = list.next[at as usize];
        }
        let cell = list.cell(item, at);
        if prev == NIL {
            list.head = cell;
        } else {
            list.next[prev as usize] = cell;
        }
    }

    /// `mark_parents_uninteresting`: every parsed ancestor, up to commits already uninteresting.
    fn mark_parents_uninteresting(&mut self, c: u32) {
        let mut stack: Vec<u32> = (0..self.degree(c)).map(|i| self.parent(c, i)).collect();
        while let Some(mut x) = stack.pop() {
            loop {
                let n = &mut self.nodes[x as usize];
                if n.uninteresting {
                    break;
                }
                n.uninteresting = true;
                if !n.parsed || n.out_degree == 0 {
                    break;
                }
                for i in 0..self.degree(x) {
                    stack.push(self.parent(x, i));
                }
                x = self.parent(x, 0);
            }
        }
    }

    /// `add_parents_to_list`.
    fn add_parents_to_list(&mut self, c: u32, list: &mut List) -> Result<()> {
        if self.nodes[c as usize].added {
            return Ok(());
        }
        self.nodes[c as usize].added = true;
        if self.nodes[c as usize].uninteresting {
            for i in 0..self.degree(c) {
                let p = self.parent(c, i);
                self.nodes[p as usize].uninteresting = true;
                self.parse(p)?;
                self.mark_parents_uninteresting(p);
                self.nodes[p as usize].seen = true;
                self.insert_by_date(p, list);
            }
            return Ok(());
        }
        for i in 0..self.degree(c) {
            let p = self.parent(c, i);
            self.parse(p)?;
            if !self.nodes[p as usize].seen {
                self.nodes[p as usize].seen = true;
                self.insert_by_date(p, list);
            }
        }
        Ok(())
    }

    /// `still_interesting`.
    fn still_interesting(&self, list: &List, time: i64, slop: i32) -> i32 {
        if list.head == NIL {
            return 0;
        }
        if time <= self.nodes[list.item[list.head as usize] as usize].time {
            return SLOP;
        }
        let mut at = list.head;
        while at != NIL {
            let n = &self.nodes[list.item[at as usize] as usize];
            if !n.uninteresting || n.time > time {
                return SLOP;
            }
            at = list.next[at as usize];
        }
        slop - 1
    }

    /// `limit_list`.
    fn limit_list(&mut self, commits: &[u32]) -> Result<Vec<u32>> {
        let mut list = List::new();
        for &c in commits.iter().rev() {
            list.head = list.cell(c, list.head);
        }
        let mut slop = SLOP;
        let mut time = i64::MAX;
        let mut out = Vec::new();
        while let Some(c) = list.pop() {
            self.add_parents_to_list(c, &mut list)?;
            if self.nodes[c as usize].uninteresting {
                self.mark_parents_uninteresting(c);
                slop = self.still_interesting(&list, time, slop);
                if slop != 0 {
                    continue;
                }
                break;
            }
            time = self.nodes[c as usize].time;
            out.push(c);
        }
        Ok(out)
    }

    /// `sort_in_topological_order` with `GIT_SORT_TIME`.
    fn topological(&mut self, list: &[u32]) -> Vec<u32> {
        for &c in list {
            self.nodes[c as usize].in_degree = 1;
        }
        for &c in list {
            for i in 0..self.degree(c) {
                let p = self.parent(c, i) as usize;
                if self.nodes[p].in_degree != 0 {
                    self.nodes[p].in_degree = self.nodes[p].in_degree.wrapping_add(1);
                }
            }
        }
        let mut queue = Heap::default();
        for &c in list {
            if self.nodes[c as usize].in_degree == 1 {
                queue.insert(&self.nodes, c);
            }
        }
        let mut out = Vec::with_capacity(list.len());
        while let Some(next) = queue.pop(&self.nodes) {
            for i in 0..self.degree(next) {
                let p = self.parent(next, i);
                let n = &mut self.nodes[p as usize];
                if n.in_degree == 0 {
                    continue;
                }
                n.in_degree = n.in_degree.wrapping_sub(1);
                if n.in_degree == 1 {
                    queue.insert(&self.nodes, p);
                }
            }
            self.nodes[next as usize].in_degree = 0;
            out.push(next);
        }
        out
    }

    /// `prepare_walk` and the iteration after it: the commits, oldest first (libgit2's order with
    /// `TOPOLOGICAL | TIME | REVERSE`).
    pub(super) fn sorted(&mut self) -> Result<Vec<Oid>> {
        if !self.did_push {
            return Ok(Vec::new());
        }
        let mut commits = Vec::new();
        let input: Vec<u32> = self.user_input.iter().rev().copied().collect();
        for c in input {
            self.parse(c)?;
            if self.nodes[c as usize].uninteresting {
                self.mark_parents_uninteresting(c);
            }
            if !self.nodes[c as usize].seen {
                self.nodes[c as usize].seen = true;
                commits.push(c);
            }
        }
        // Sorting makes the walk "limited" in libgit2, hidden commits or not.
        let limited = self.limit_list(&commits)?;
        let topo = self.topological(&limited);
        // Some commits become uninteresting after being listed.
        Ok(topo
            .into_iter()
            .rev()
            .filter(|&c| !self.nodes[c as usize].uninteresting)
            .map(|c| self.nodes[c as usize].oid)
            .collect())
    }

    /// The commits parsed (tree, parents, committer time), for the walk.
    pub(super) fn into_known(self) -> HashMap<Oid, Commit> {
        let mut out = HashMap::with_capacity(self.nodes.len());
        for (i, n) in self.nodes.iter().enumerate() {
            if !n.parsed {
                continue;
            }
            let parents = (0..n.out_degree)
                .map(|k| self.nodes[self.parent(i as u32, k) as usize].oid)
                .collect();
            out.insert(
                n.oid,
                Commit {
                    tree: n.tree,
                    parents,
                    time: n.time,
                },
            );
        }
        out
    }

    pub(super) fn time_of(&self, oid: Oid) -> Option<i64> {
        let &i = self.index.get(&oid)?;
        let n = &self.nodes[i as usize];
        n.parsed.then_some(n.time)
    }
}

/// libgit2's `git_pqueue` with `git_commit_list_time_cmp`: a binary heap, newest on top, whose
/// sifting decides between equal dates (so it is copied, not replaced by another heap).
#[derive(Default)]
struct Heap {
    items: Vec<u32>,
}

/// `git_commit_list_time_cmp`: the newer commit sorts first.
fn cmp(nodes: &[Node], a: u32, b: u32) -> i32 {
    let (ta, tb) = (nodes[a as usize].time, nodes[b as usize].time);
    if ta < tb {
        1
    } else if ta > tb {
        -1
    } else {
        0
    }
}

impl Heap {
    fn insert(&mut self, nodes: &[Node], item: u32) {
        self.items.push(item);
        // pqueue_up
        let mut el = self.items.len() - 1;
        let kid = self.items[el];
        while el > 0 {
            let parent_el = (el - 1) >> 1;
            let parent = self.items[parent_el];
            if cmp(nodes, parent, kid) <= 0 {
                break;
            }
            self.items[el] = parent;
            el = parent_el;
        }
        self.items[el] = kid;
    }

    fn pop(&mut self, nodes: &[Node]) -> Option<u32> {
        let top = *self.items.first()?;
        let last = self.items.pop()?;
        if !self.items.is_empty() {
            self.items[0] = last;
            // pqueue_down
            let len = self.items.len();
            let parent = self.items[0];
            let mut el = 0;
            loop {
                let mut kid_el = (el << 1) + 1;
                if kid_el >= len {
                    break;
                }
                let mut kid = self.items[kid_el];
                if kid_el + 1 < len && cmp(nodes, kid, self.items[kid_el + 1]) > 0 {
                    kid = self.items[kid_el + 1];
                    kid_el += 1;
                }
                if cmp(nodes, parent, kid) <= 0 {
                    break;
                }
                self.items[el] = kid;
                el = kid_el;
            }
            self.items[el] = parent;
        }
        Some(top)
    }
}
