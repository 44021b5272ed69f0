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
    /// Each ending as a number, its last byte lowest, and the mask of its bytes: a path ends
    /// with it when its own last bytes read so (`tail`) agree under the mask. None if an ending
    /// is longer than a number holds (`ends` is then compared byte by byte). A path that passes
    /// the last byte was compared with each of up to ~40 endings in turn, ~550 instructions a
    /// question on cargo's checkout (docs/engine.md, "The 150 MB/s floor, eighth round").
    packed: Option<Vec<(u32, u32)>>,
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
        let packed = ends
            .iter()
            .map(|e| (e.len() <= 4).then(|| (Self::tail(e), Self::mask(e.len()))))
            .collect();
        Some(PathEndings { ends, last, packed })
    }

    /// The last (up to 4) bytes of `bytes`, lower-cased, the last one lowest.
    fn tail(bytes: &[u8]) -> u32 {
        bytes.iter().rev().take(4).enumerate().fold(0, |n, (i, b)| {
            n | u32::from(b.to_ascii_lowercase()) << (8 * i)
        })
    }

    /// The mask of the last `len` (at most 4) bytes of a `tail`.
    fn mask(len: usize) -> u32 {
        u32::MAX.checked_shr(32 - 8 * len as u32).unwrap_or(0)
    }

    /// Whether a path whose last byte is `b` may pass (`end`'s first look).
    pub fn may_end(&self, b: u8) -> bool {
        self.last[usize::from(b.to_ascii_lowercase())]
    }

    pub fn end(&self, path: &[u8]) -> bool {
        if !path.last().is_some_and(|&b| self.may_end(b)) {
            return false;
        }
        let Some(packed) = &self.packed else {
            return self.ends.iter().any(|e| {
                path.len() >= e.len() && path[path.len() - e.len()..].eq_ignore_ascii_case(e)
            });
        };
        // An ending longer than the path has mask bits the path's own mask lacks.
        let (tail, have) = (Self::tail(path), Self::mask(path.len().min(4)));
        packed
            .iter()
            .any(|&(end, mask)| mask & !have == 0 && tail & mask == end)
    }
}

#[cfg(test)]
mod tests {
    use super::PathEndings;

    /// `end` against the endings compared byte by byte, ignoring ASCII case: endings of 1 to 5
    /// bytes (a 5-byte one is compared byte by byte), paths shorter and longer than them.
    #[test]
    fn a_path_ends_with_an_ending_as_its_bytes_say() {
        let mut rng = crate::testrng::Rng(0x0e4d_1495);
        let alphabet = b"aAbB.-/_\x00\xff";
        let word = |rng: &mut crate::testrng::Rng, most: u64| -> Vec<u8> {
            (0..rng.below(most + 1))
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect()
        };
        let (mut ended, mut asked) = (0, 0);
        for _ in 0..2000 {
            let longest = 4 + rng.below(2);
            let mut ends: Vec<Vec<u8>> = (0..1 + rng.below(4))
                .map(|_| {
                    let mut e = word(&mut rng, longest - 1);
                    e.push(b"ab.x"[rng.below(4) as usize]);
                    e.to_ascii_lowercase()
                })
                .collect();
            ends.sort();
            ends.dedup();
            let endings = PathEndings::from_ends(ends.clone()).unwrap();
            for _ in 0..20 {
                let path = word(&mut rng, 7);
                let expected = ends.iter().any(|e| {
                    path.len() >= e.len() && path[path.len() - e.len()..].eq_ignore_ascii_case(e)
                });
                assert_eq!(endings.end(&path), expected, "{ends:?} {path:?}");
                asked += 1;
                ended += usize::from(expected);
            }
        }
        assert!(
            ended > asked / 50 && ended < asked / 2,
            "{ended} of {asked}"
        );
    }
}
