//! The assignment-shaped rules read by hand (docs/engine.md, "The pathological input", fifth,
//! twelfth and thirteenth rounds): a rule whose regex is `NAME … OPERATOR … VALUE …` is matched by
//! walking the name, the lead-in and the value from each place a match can start, instead of
//! searching its regex. One module, one job:
//!
//! - `shared`: the byte primitives every reader uses (`\s`, `\w`, `\b` over ASCII, runs, optional
//!   pieces in the order a greedy regex tries them, a keyword's spelling and "each end once",
//!   walking back over a name's bytes, the shared operators and constructors);
//! - `vendor`: `vendor-named-api-credential` (a run of name bytes read once per line, stop 21);
//! - `generic`: `generic-secret-assignment` and `session-secret-assignment`, started at the
//!   engine's keyword candidates (stop 25);
//! - `weak`: `weak-secret-assignment` and `weak-password-assignment`, located by their keyword
//!   (`secret`; `pass`/`pwd`) and the walk back to where a match can start;
//! - `key`: `generic-key-assignment`, located likewise by `key`.
//!
//! Exactness. A reader is used only for the regex it was written for, compared byte for byte
//! with the rule's pattern (`Assignment::of`, `AssignRead::of`): a user's config that replaces the
//! rule, or a catalog edit that changes it, puts the rule back on the regex path. At a start a
//! reader is a backtracking matcher of the regex: each piece offers its ends in the order the
//! regex's priorities try them (greedy: longest first, an optional piece taken before it is
//! skipped; lazy: shortest first; alternatives in the order written) and the first path that
//! reaches the pattern's end is the match, as leftmost-first semantics define it. Where a run is
//! followed by a piece whose first byte the run's class cannot hold, only its longest length can
//! be followed by that piece, and only that one is tried (each such place says why). Each
//! reader's differential test compares every match and its value's group with the `regex` crate
//! on random lines of hits and near misses of every form and on the repository's fixtures.

mod generic;
mod key;
mod shared;
#[cfg(test)]
mod tests;
mod vendor;
mod weak;

use super::starts::{KeywordStarts, Lead};
pub(super) use vendor::Assignment;

/// The regexes read by hand here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AssignRead {
    /// `GENERIC_SECRET`.
    Generic,
    /// `SESSION_SECRET`.
    Session,
    /// `WEAK_SECRET`: its matches open at a word boundary up to 40 name bytes before `secret`
    /// (not at a keyword: the engine locates it), read from each `secret` (`weak::secret_from`).
    Weak,
    /// `WEAK_PASSWORD`: located likewise, read from each `pass` or `pwd` (`weak::password_from`).
    WeakPassword,
    /// `GENERIC_KEY`: located likewise, read from each `key` (`key::key_from`).
    GenericKey,
}

/// One match: the whole match's span (from the name's start) and its value's (the group that
/// matched), in the haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub value: (usize, usize),
}

/// A match of the rest after the keyword: where it ends and its value's span.
pub(super) type Tail = (usize, (usize, usize));

impl AssignRead {
    /// The hand reader of a rule's regex `src`, if there is one for exactly that pattern.
    pub(super) fn of(src: &str) -> Option<AssignRead> {
        [
            (generic::GENERIC_SECRET, AssignRead::Generic),
            (generic::SESSION_SECRET, AssignRead::Session),
            (weak::WEAK_SECRET, AssignRead::Weak),
            (weak::WEAK_PASSWORD, AssignRead::WeakPassword),
            (key::GENERIC_KEY, AssignRead::GenericKey),
        ]
        .into_iter()
        .find(|&(ours, _)| shared::is_pattern(src, ours))
        .map(|(_, read)| read)
    }

    /// The keyed readers' matches, found as the regex path finds them with keyword hits
    /// (`Matcher::next_match`): the candidates `starts` gives for `hits` (positions in the text,
    /// `base` being where `hay` starts) are tried in order, the first where the rest matches
    /// anchored is the match, and `lead` moves its start back over the name.
    /// Whether the reader takes its starts from the engine's keyword hits (`for_each`'s `keyed`).
    pub(super) fn keyed(self) -> bool {
        !matches!(
            self,
            AssignRead::Weak | AssignRead::WeakPassword | AssignRead::GenericKey
        )
    }

    /// Every match in `hay`, leftmost first, each search resuming at the last match's end: what
    /// `captures_iter` yields. A keyed reader needs `keyed` (else it reports nothing: the caller
    /// searches the regex).
    pub(super) fn for_each(
        self,
        hay: &[u8],
        keyed: Option<(&KeywordStarts, &[usize], usize, &Lead)>,
        mut f: impl FnMut(Found),
    ) {
        let shape = match (self, keyed) {
            (AssignRead::Generic, Some(_)) => &generic::GENERIC,
            (AssignRead::Session, Some(_)) => &generic::SESSION,
            (AssignRead::Weak, _) => {
                let mut at = 0;
                while let Some(found) = weak::secret_from(hay, at) {
                    at = found.end;
                    f(found);
                }
                return;
            }
            (AssignRead::WeakPassword, _) => {
                let mut at = 0;
                while let Some(found) = weak::password_from(hay, at) {
                    at = found.end;
                    f(found);
                }
                return;
            }
            (AssignRead::GenericKey, _) => {
                let mut at = 0;
                while let Some(found) = key::key_from(hay, at) {
                    at = found.end;
                    f(found);
                }
                return;
            }
            (_, None) => return,
        };
        let Some((starts, hits, base, lead)) = keyed else {
            return;
        };
        self.for_each_keyed(hay, shape, starts, hits, base, lead, f)
    }

    #[allow(clippy::too_many_arguments)]
    fn for_each_keyed(
        self,
        hay: &[u8],
        shape: &generic::Shape,
        starts: &KeywordStarts,
        hits: &[usize],
        base: usize,
        lead: &Lead,
        mut f: impl FnMut(Found),
    ) {
        let mut tried = 0;
        loop {
            let from = tried;
            let mut found = None;
            while let Some(c) = starts.next_candidate(hay, hits, base, &mut tried) {
                if let Some((end, value)) = generic::rest_at(hay, c, shape) {
                    found = Some((c, end, value));
                    break;
                }
            }
            let Some((c, end, value)) = found else {
                return;
            };
            // No match is empty (it holds a keyword): the next search starts at its end.
            tried = end;
            f(Found {
                start: lead.start(hay, from, c),
                end,
                value,
            });
        }
    }
}
