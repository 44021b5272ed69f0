//! The endings test of a path regex (`rules::PathRegex`): which endings every path it matches has,
//! worked out from its syntax tree. build.rs includes this file with `#[path]` (it uses nothing
//! but std and regex_syntax) to work out the built-in regexes' endings once, at build time.

/// The endings of every path a regex matches, ignoring ASCII case: a test wider than the regex,
/// which decides what passes it. A literal of a finite suffix sequence (`regex_syntax`'s
/// extraction; one cut short is a shorter ending, still an ending) ends every match, and when
/// every match ends with `\z` (`$` without `m`) it ends the path.
#[derive(Debug, PartialEq, Eq)]
pub struct PathEndings {
    /// Lower-cased, at most `PathEndings::LEN` bytes.
    pub ends: Vec<Vec<u8>>,
    /// Their last bytes: most paths are turned away by this one lookup.
    last: [bool; 256],
}

impl PathEndings {
    /// Endings cut to this many bytes: enough to tell `.key` from `.py`, and short enough that a
    /// long alternation under `(?i)` stays a short list.
    const LEN: usize = 4;

    /// Parsed as the ASCII path regex is (Unicode off, bytes): the endings of what it matches,
    /// which on an ASCII path is what the regex as written matches. None: the regex does not
    /// say (an alternative without `$`, or an ending of a large class: `id_rsa[_-]\w+$`).
    pub fn of(source: &str) -> Option<PathEndings> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        use regex_syntax::hir::Look;
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(source)
            .ok()?;
        if !hir.properties().look_set_suffix().contains(Look::End) {
            return None;
        }
        let seq = Extractor::new()
            .kind(ExtractKind::Suffix)
            .limit_literal_len(Self::LEN)
            .extract(&hir);
        let mut ends: Vec<Vec<u8>> = seq
            .literals()?
            .iter()
            .map(|l| l.as_bytes().to_ascii_lowercase())
            .collect();
        ends.sort();
        ends.dedup();
        PathEndings::from_ends(ends)
    }

    /// The test of these endings (sorted, lower-cased), as `of` makes it; None if one is empty
    /// (some match ends in nothing the test could look for).
    pub fn from_ends(ends: Vec<Vec<u8>>) -> Option<PathEndings> {
        let mut last = [false; 256];
        for e in &ends {
            last[usize::from(*e.last()?)] = true;
        }
        Some(PathEndings { ends, last })
    }

    pub fn end(&self, path: &[u8]) -> bool {
        path.last()
            .is_some_and(|&b| self.last[usize::from(b.to_ascii_lowercase())])
            && self.ends.iter().any(|e| {
                path.len() >= e.len() && path[path.len() - e.len()..].eq_ignore_ascii_case(e)
            })
    }
}
