//! The built-in allowlist and path regexes as build.rs parsed them. A run compiles the few it
//! meets into lazy DFAs (`rules::LazyDfa`), and parsing them was most of that: 58 allowlist and
//! 15 path regexes on openai-python, ~11M instructions, of the ~18M their DFAs cost. build.rs
//! includes this file, parses each as `LazyDfa` parses it and writes the syntax trees with
//! `gate::encode` (filed under a 128-bit hash of the regex, as the rules' gate facts are); the
//! engine reads one back (`gate::decode`, through `Hir`'s own constructors) at a fraction of what
//! parsing costs (docs/engine.md, "The 150 MB/s floor, seventh round"). A user's regex is not in
//! the table and is parsed.

use regex_syntax::hir::Hir;
use serde::{Deserialize, Serialize};

/// A path or allowlist regex parsed as `rules::LazyDfa` parses it: over bytes, Unicode off, empty
/// matches may split a UTF-8 sequence (`regex_automata::util::syntax::Config` with `unicode(false)`
/// and `utf8(false)`, whose other settings are the parser's defaults).
pub(crate) fn parse(src: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(src)
        .ok()
}

/// The parsed regexes (build.rs writes `code` deflated, apart from the index).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Patterns {
    #[serde(skip)]
    pub(crate) code: Vec<u8>,
    /// Each regex's key (`gate::key`, no keywords) and where its tree lies in `code`; sorted by key.
    index: Vec<([u64; 2], (u32, u32))>,
}

impl Patterns {
    /// Adds the regex `src` if it parses (one that does not is left to the run, which fails to
    /// parse it as before). build.rs's, as `finish` is.
    #[allow(dead_code)]
    pub(crate) fn add(&mut self, src: &str) {
        let Some(hir) = parse(src) else {
            return;
        };
        let start = self.code.len();
        super::gate::encode(&hir, &mut self.code);
        let at = |n: usize| u32::try_from(n).expect("under 4 GiB of parsed regexes");
        self.index
            .push((super::gate::key(src, &[]), (at(start), at(self.code.len()))));
    }

    /// Sorts the index by key, one entry per key.
    #[allow(dead_code)]
    pub(crate) fn finish(&mut self) {
        self.index.sort_by_key(|(k, _)| *k);
        self.index.dedup_by_key(|(k, _)| *k);
    }

    /// The parsed regex `src`, if it is one of the table's, read from `code` (the table's `code` as
    /// build.rs wrote it).
    pub(crate) fn hir(&self, src: &str, code: &[u8]) -> Option<Hir> {
        let key = super::gate::key(src, &[]);
        let i = self.index.binary_search_by_key(&key, |(k, _)| *k).ok()?;
        let (start, end) = self.index[i].1;
        let mut code = code.get(start as usize..end as usize)?;
        super::gate::decode(&mut code).filter(|_| code.is_empty())
    }
}
