//! Strings every match of a rule's regex holds, as a check of a window before any regex runs.
//!
//! A rule's keyword says where to look, not that a match can be there: the private-key rules open
//! at `begin private key` but a match also needs `-----END PRIVATE KEY-----`, and the 16 KiB
//! windows of such multi-line rules cover whole files of keyword-dense text, where the regex's lazy
//! DFA then reads every byte (docs/engine.md, "The pathological input, sixth round"). A window that
//! lacks one of these strings holds no match: it is left before the check DFA or the regex runs.

use memchr::memmem;
use regex_syntax::hir::{Class, Hir, HirKind};

/// Strings shorter than this are too common to be worth a pass over the window, unless they hold
/// a byte code seldom has (`seldom`).
const MIN_LEN: usize = 4;

/// Bytes that a line of code seldom holds, so that a window opened at a common keyword seldom
/// holds one either: a need of one of them, however short, rejects most windows for a `memchr`.
/// `url-embedded-credentials` opens at every `://` and needs the `@` of `user:pass@host`: of
/// ~7,300 lines with `://` in openai-python, 17 hold an `@` (docs/engine.md, "Stop 26").
fn seldom(b: u8) -> bool {
    matches!(
        b,
        b'@' | b'`' | b'~' | b'^' | b'|' | b'!' | b'%' | b'&' | b'\\' | b'?' | b'$'
    )
}

/// At most this many strings per rule (the longest): each is a pass over the window.
const MAX_NEEDS: usize = 3;

/// One string every match holds: its exact bytes, or (`folded`) its bytes with ASCII letters
/// lowercased, to be found ignoring ASCII case.
pub(super) struct LiteralNeed {
    bytes: Vec<u8>,
    folded: bool,
    /// For a folded string, where its least common byte is (`commonness`).
    rare: usize,
    finder: memmem::Finder<'static>,
}

impl LiteralNeed {
    /// The strings every match of `hir` holds (parsed as the engine parses rules: bytes, Unicode
    /// off unless the pattern needs it), less those a keyword of the rule holds when case is
    /// ignored (a window is opened at a keyword, so it nearly always holds them) unless they are
    /// exact and hold capitals, longest first.
    pub(super) fn of(hir: &Hir, keywords: &[String]) -> Vec<LiteralNeed> {
        Self::searched(Self::strings(hir, keywords))
    }

    /// What `of` looks for: each string's bytes, and whether it is folded. Worked out by build.rs
    /// for the built-in rules (`gate::Table`), not at each rule's first window.
    pub(crate) fn strings(hir: &Hir, keywords: &[String]) -> Vec<(Vec<u8>, bool)> {
        let mut found = required(hir);
        // An exact string with capitals (`NetworkCredential` where the regex keeps case) says
        // more than its keyword, which is matched ignoring case: it is kept.
        found.retain(|(bytes, folded)| {
            (bytes.len() >= MIN_LEN || bytes.iter().any(|&b| seldom(b)))
                && (!*folded && bytes.iter().any(u8::is_ascii_uppercase)
                    || !keywords.iter().any(|k| {
                        let k = k.to_ascii_lowercase();
                        let b = bytes.to_ascii_lowercase();
                        k.as_bytes().windows(b.len()).any(|w| w == &b[..])
                    }))
        });
        found.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        found.dedup();
        found.truncate(MAX_NEEDS);
        found
    }

    /// The needs of `strings` (`strings`' answer), each with its searcher.
    pub(super) fn searched(strings: Vec<(Vec<u8>, bool)>) -> Vec<LiteralNeed> {
        strings
            .into_iter()
            .map(|(bytes, folded)| LiteralNeed {
                finder: memmem::Finder::new(&bytes).into_owned(),
                rare: (0..bytes.len())
                    .min_by_key(|&i| commonness(bytes[i]))
                    .unwrap_or(0),
                bytes,
                folded,
            })
            .collect()
    }

    /// Whether `hay` holds the string (ignoring ASCII case when it is folded). A folded string is
    /// looked for at its rarest byte (both cases of it), then compared whole: its first byte is
    /// often its keyword's, which keyword-dense text holds everywhere.
    pub(super) fn holds(&self, hay: &[u8]) -> bool {
        if !self.folded {
            return self.finder.find(hay).is_some();
        }
        let n = self.bytes.len();
        if hay.len() < n {
            return false;
        }
        let (i, b) = (self.rare, self.bytes[self.rare]);
        // Every occurrence's byte `i` lies in `i..hay.len() - (n - 1 - i)`.
        let (lo, hi) = (i, hay.len() - (n - 1 - i));
        let mut from = lo;
        while from < hi {
            let at = match memchr::memchr2(b, b.to_ascii_uppercase(), &hay[from..hi]) {
                Some(k) => from + k,
                None => return false,
            };
            if hay[at - i..at - i + n].eq_ignore_ascii_case(&self.bytes) {
                return true;
            }
            from = at + 1;
        }
        false
    }
}

/// How common a byte is in source text, roughly (higher: more common): the folded search
/// (`LiteralNeed::holds`) starts from the string's least common byte.
fn commonness(b: u8) -> u8 {
    match b.to_ascii_lowercase() {
        b' ' | b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 9,
        b'h' | b'l' | b'd' | b'c' | b'u' | b'_' | b'=' | b'"' | b'\'' => 8,
        b'm' | b'f' | b'p' | b'g' | b'w' | b'y' | b'b' | b'.' | b',' | b':' => 7,
        b'v' | b'k' | b'0'..=b'9' | b'-' | b'/' | b'(' | b')' => 6,
        b'x' | b'j' | b'q' | b'z' => 4,
        _ => 5,
    }
}

/// A part of a concatenation that matches one fixed string, as (bytes, folded): a literal, a class
/// of one byte, or a class of an ASCII letter in both cases (what `(?i)` makes of a letter with
/// Unicode off; with Unicode on, `k` and `s` fold to more than two characters and are not taken).
fn piece(hir: &Hir) -> Option<(Vec<u8>, bool)> {
    match hir.kind() {
        HirKind::Literal(lit) => Some((lit.0.to_vec(), false)),
        HirKind::Class(class) => {
            let mut bytes = Vec::new();
            match class {
                Class::Bytes(c) => {
                    for r in c.ranges() {
                        if usize::from(r.end() - r.start()) + bytes.len() >= 2 {
                            return None;
                        }
                        bytes.extend(r.start()..=r.end());
                    }
                }
                Class::Unicode(c) => {
                    for r in c.ranges() {
                        let (s, e) = (u32::from(r.start()), u32::from(r.end()));
                        if e >= 0x80 || (e - s) as usize + bytes.len() >= 2 {
                            return None;
                        }
                        bytes.extend((s..=e).map(|b| b as u8));
                    }
                }
            }
            match bytes[..] {
                [b] => Some((vec![b], false)),
                [u, l] if u.is_ascii_uppercase() && l == u.to_ascii_lowercase() => {
                    Some((vec![l], true))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Strings every match of `hir` holds, each as (bytes, folded); folded strings hold lowercase
/// letters and are to be found ignoring ASCII case (a superset of where the exact pieces are).
/// Not necessarily all of them: what a concatenation spells out piece by piece, gathered through
/// groups, repetitions of at least one round and the alternatives' common strings.
fn required(hir: &Hir) -> Vec<(Vec<u8>, bool)> {
    match hir.kind() {
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Concat(parts) => {
            let mut out = Vec::new();
            let mut run: Option<(Vec<u8>, bool)> = None;
            let flush = |run: &mut Option<(Vec<u8>, bool)>, out: &mut Vec<(Vec<u8>, bool)>| {
                if let Some((mut bytes, folded)) = run.take() {
                    if folded {
                        bytes.make_ascii_lowercase();
                    }
                    out.push((bytes, folded));
                }
            };
            for part in parts {
                match piece(part) {
                    Some((bytes, folded)) => {
                        let r = run.get_or_insert_with(|| (Vec::new(), false));
                        r.0.extend(bytes);
                        r.1 |= folded;
                    }
                    None => {
                        flush(&mut run, &mut out);
                        out.extend(required(part));
                    }
                }
            }
            flush(&mut run, &mut out);
            out
        }
        HirKind::Alternation(alts) => {
            let mut alts = alts.iter().map(required);
            let first = alts.next().unwrap_or_default();
            alts.fold(first, |common, other| {
                common.into_iter().filter(|s| other.contains(s)).collect()
            })
        }
        HirKind::Literal(_) | HirKind::Class(_) => piece(hir)
            .map(|(mut bytes, folded)| {
                if folded {
                    bytes.make_ascii_lowercase();
                }
                vec![(bytes, folded)]
            })
            .unwrap_or_default(),
        HirKind::Repetition(_) | HirKind::Empty | HirKind::Look(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{builtin_regexes_with_examples, Rng};
    use super::*;

    /// Parsed as `Matcher::build` parses a rule's regex.
    fn parse(src: &str) -> Hir {
        let syntax = |unicode: bool| {
            regex_automata::util::syntax::Config::new()
                .unicode(unicode)
                .utf8(false)
        };
        regex_automata::util::syntax::parse_with(src, &syntax(false))
            .ok()
            .or_else(|| regex_automata::util::syntax::parse_with(src, &syntax(true)).ok())
            .expect("built-in regexes parse")
    }

    fn needs(src: &str, keywords: &[&str]) -> Vec<(String, bool)> {
        let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
        LiteralNeed::of(&parse(src), &keywords)
            .into_iter()
            .map(|n| (String::from_utf8(n.bytes).unwrap(), n.folded))
            .collect()
    }

    #[test]
    fn strings_every_match_holds_are_read_off_the_syntax_tree() {
        let key = "-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\s]{64,}?-----END PRIVATE KEY-----";
        assert_eq!(
            needs(key, &["begin private key"]),
            [
                ("-----BEGIN PRIVATE KEY-----".to_string(), false),
                ("-----END PRIVATE KEY-----".to_string(), false)
            ]
        );
        // Case folded, with Unicode off: a letter is a two-byte class.
        assert_eq!(
            needs("(?i)networkcredential\\s*\\(", &[]),
            [("networkcredential".to_string(), true)]
        );
        // What a keyword spells (ignoring case) is dropped: a window opened at it holds it; not
        // an exact string with capitals, which the keyword does not promise.
        assert!(needs("(?i)networkcredential\\s*\\(", &["networkcredential"]).is_empty());
        assert!(needs("begin key[0-9]+", &["begin key"]).is_empty());
        assert_eq!(
            needs("NetworkCredential\\s*\\(", &["networkcredential"]),
            [("NetworkCredential".to_string(), false)]
        );
        // Optional parts, and strings in only some alternatives, are not needs.
        assert_eq!(
            needs("abcd(?:efgh)?ijkl", &[]),
            [("abcd".to_string(), false), ("ijkl".to_string(), false)]
        );
        assert!(needs("(?:abcde|fghij)[0-9]{8}", &[]).is_empty());
        // The alternatives' common strings are those each spells whole, not those inside another.
        assert!(needs("(?:abcde|xabcde)[0-9]{8}", &[]).is_empty());
        assert_eq!(
            needs("(?:x+abcde|y+abcde)[0-9]{8}|z*abcde", &[]),
            [("abcde".to_string(), false)]
        );
        // A repetition of at least one round holds its part's strings; of none, nothing.
        assert_eq!(needs("(?:wxyz1){2,}", &[]), [("wxyz1".to_string(), false)]);
        assert!(needs("(?:wxyz1)*q", &[]).is_empty());
        // Short strings are not worth a pass; a class of more than one letter's two cases breaks a run.
        assert!(needs("abc[0-9]def", &[]).is_empty());
        // ... unless they hold a byte code seldom has: the `@` of a URL's credentials, which the
        // lines a `://` keyword opens seldom hold (`:` and `//` are everywhere there).
        assert_eq!(
            needs("(?:https?|ftp)://[^:@]+:([^@]+)@[a-z.]+", &["://"]),
            [("@".to_string(), false)]
        );
        assert!(needs("(?:https?|ftp)://[^:@]+:([^@]+)[a-z.]+", &["://"]).is_empty());
    }

    #[test]
    fn a_folded_need_is_found_in_any_case_and_an_exact_one_only_as_written() {
        let folded = &LiteralNeed::of(&parse("(?i)secretkey=[0-9]+"), &[])[0];
        assert!(folded.folded);
        for hay in [
            "xx SecretKey=",
            "SECRETKEY=",
            "k secretkey=",
            "ssecretkey=",
            "kSecretKEY=k",
        ] {
            assert!(folded.holds(hay.as_bytes()), "{hay}");
        }
        for hay in [
            "secretke",
            "secret key=",
            "secretkey",
            "",
            "kkkkkkkkkkkk",
            "ecretkey=",
            "k",
        ] {
            assert!(!folded.holds(hay.as_bytes()), "{hay}");
        }
        let exact = &LiteralNeed::of(&parse("-----END RSA KEY-----"), &[])[0];
        assert!(!exact.folded);
        assert!(exact.holds(b"a -----END RSA KEY----- b"));
        assert!(!exact.holds(b"a -----end rsa key----- b"));
    }

    /// `src` with runs of it changed the way near misses are: letters' case flipped, a byte
    /// dropped or doubled, a piece moved elsewhere, random bytes put in.
    fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
        let mut out = src.to_vec();
        for _ in 0..=rng.below(4) {
            if out.is_empty() {
                break;
            }
            let at = rng.below(out.len() as u64) as usize;
            match rng.below(6) {
                0 => {
                    let end = (at + 1 + rng.below(12) as usize).min(out.len());
                    for b in &mut out[at..end] {
                        if b.is_ascii_lowercase() {
                            *b = b.to_ascii_uppercase();
                        } else {
                            *b = b.to_ascii_lowercase();
                        }
                    }
                }
                1 => {
                    out.remove(at);
                }
                2 => {
                    let b = out[at];
                    out.insert(at, b);
                }
                3 => {
                    let end = (at + 1 + rng.below(30) as usize).min(out.len());
                    let piece = out[at..end].to_vec();
                    let to = rng.below(out.len() as u64 + 1) as usize;
                    out.splice(to..to, piece);
                }
                4 => out.insert(at, b" \n=:\"'-_.aZ09("[rng.below(14) as usize]),
                _ => out.insert(at, rng.below(256) as u8),
            }
        }
        out
    }

    #[test]
    fn every_match_of_every_built_in_rule_holds_its_literal_needs() {
        // Every built-in regex (keywords left out, so no need is dropped and more are tried), on
        // its own examples and 40 near misses of each (case flipped, bytes dropped, doubled,
        // moved, random bytes in), alone and joined: wherever `regex::bytes` finds a match, the
        // matched text holds every need. A need taken from an optional part, from one alternative
        // only, or found exactly where the regex ignores case would fail here.
        let mut rng = Rng(0x11_7e_4a_11);
        let (mut rules, mut with_needs, mut matches) = (0, 0, 0);
        for (name, src, examples) in builtin_regexes_with_examples() {
            rules += 1;
            let needs = LiteralNeed::of(&parse(&src), &[]);
            if needs.is_empty() {
                continue;
            }
            with_needs += 1;
            let re = crate::rules::build_bytes_regex(&src).unwrap();
            let mut hays: Vec<Vec<u8>> = examples.iter().map(|e| e.as_bytes().to_vec()).collect();
            for e in &examples {
                for _ in 0..40 {
                    hays.push(mutate(&mut rng, e.as_bytes()));
                }
            }
            hays.push(examples.join("\n").into_bytes());
            for hay in &hays {
                for m in re.find_iter(hay) {
                    matches += 1;
                    for n in &needs {
                        assert!(
                            n.holds(m.as_bytes()),
                            "{name}: {src}\nneed {:?} (folded {}) not in match {:?}",
                            String::from_utf8_lossy(&n.bytes),
                            n.folded,
                            String::from_utf8_lossy(m.as_bytes())
                        );
                    }
                }
            }
        }
        assert!(
            rules > 500 && with_needs > 100 && matches > 2000,
            "{rules} rules, {with_needs} with needs, {matches} matches"
        );
    }
}
