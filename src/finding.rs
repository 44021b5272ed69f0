//! What a scan produces: findings, with the secret kept behind a type that redacts by default.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

/// A matched secret. It has no `Display`, and its `Debug` is redacted, so the plaintext can only reach
/// output through an explicit `expose()` (the reporters call it only under `--show-secrets`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The plaintext. Callers must be the reporters, honouring `--show-secrets`.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A short prefix and an ellipsis: enough to recognise which key it was, not enough to use it.
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

/// Keeps at most a quarter of the secret and never more than 4 characters.
pub fn redact(secret: &str) -> String {
    let keep = (secret.chars().count() / 4).min(4);
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}…")
}

/// The line a finding sits on, with the position of the secret inside it, so that it can be shown
/// redacted (default) or whole.
#[derive(Clone)]
pub struct Context {
    text: String,
    secret_start: usize,
    secret_end: usize,
    /// The spans of other findings' secrets on the same line, redacted too: the context of one
    /// finding must not show another in full.
    others: Vec<(usize, usize)>,
}

impl Context {
    /// `secret_start..secret_end` must be char boundaries inside `text`.
    pub fn new(text: String, secret_start: usize, secret_end: usize) -> Self {
        debug_assert!(secret_start <= secret_end && secret_end <= text.len());
        Context {
            text,
            secret_start,
            secret_end,
            others: Vec::new(),
        }
    }

    pub fn empty() -> Self {
        Context::new(String::new(), 0, 0)
    }

    pub fn render(&self, show_secret: bool) -> String {
        if show_secret {
            return self.text.clone();
        }
        let mut spans: Vec<(usize, usize)> = std::iter::once((self.secret_start, self.secret_end))
            .chain(self.others.iter().copied())
            .filter(|(a, b)| a < b)
            .collect();
        spans.sort_unstable();
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        let mut i = 0;
        while i < spans.len() {
            // Overlapping spans (two rules on one secret, a secret inside another) redact as one.
            let (start, mut end) = spans[i];
            while i + 1 < spans.len() && spans[i + 1].0 < end {
                end = end.max(spans[i + 1].1);
                i += 1;
            }
            if start >= at {
                out.push_str(&self.text[at..start]);
                out.push_str(&redact(&self.text[start..end]));
                at = end;
            }
            i += 1;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

/// Redacts, in the context of each finding, the secrets of the other findings on the same line
/// (same path, line and commit, same line text): by default no report shows a secret in full, even
/// in the context line of a neighbour.
pub fn redact_shared_lines<'a>(findings: impl IntoIterator<Item = &'a mut Finding>) {
    let mut findings: Vec<&mut Finding> = findings.into_iter().collect();
    let mut lines: std::collections::HashMap<(&str, usize, Option<&str>, &str), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let c = &f.context;
        if c.secret_start < c.secret_end {
            lines
                .entry((
                    f.path.as_str(),
                    f.line,
                    f.commit.as_ref().map(|c| c.sha.as_str()),
                    c.text.as_str(),
                ))
                .or_default()
                .push(i);
        }
    }
    let groups: Vec<Vec<usize>> = lines.into_values().filter(|g| g.len() > 1).collect();
    for group in groups {
        let spans: Vec<(usize, usize)> = group
            .iter()
            .map(|&i| {
                (
                    findings[i].context.secret_start,
                    findings[i].context.secret_end,
                )
            })
            .collect();
        for &i in &group {
            let c = &mut findings[i].context;
            let own = (c.secret_start, c.secret_end);
            c.others = spans.iter().copied().filter(|s| *s != own).collect();
            c.others.dedup();
        }
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Context({:?})", self.render(false))
    }
}

/// Where in git history a finding was introduced.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CommitInfo {
    pub sha: String,
    pub author: String,
    pub email: String,
    /// RFC 3339.
    pub date: String,
    pub subject: String,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule_id: Arc<str>,
    pub description: Arc<str>,
    /// Relative to the scanned root, with `/` separators; for a file inside an archive, the archive's
    /// path, `!` and the member (`bundle.zip!config/app.env`).
    pub path: String,
    /// For a file inside an archive: the part of `path` after the outermost archive's path
    /// (`config/app.env`, `inner.tar.gz!a.env`). Names in archives are untrusted, like file names.
    pub archive_member: Option<String>,
    /// 1-based.
    pub line: usize,
    /// 1-based, in bytes.
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// `column` and `end_column` counted in UTF-16 code units, as SARIF consumers and editors count.
    pub column_utf16: usize,
    pub end_column_utf16: usize,
    pub secret: Secret,
    pub context: Context,
    pub entropy: f32,
    pub tags: Arc<[String]>,
    pub severity: crate::rules::Severity,
    /// Boxed: five strings held inline made every finding 112 bytes larger, in a working tree's
    /// scan too, where it is always `None` (a pathological tree holds ~59,000 findings until the
    /// report; docs/engine.md, "Stop 40").
    pub commit: Option<Box<CommitInfo>>,
    /// History only: whether the same secret is still in the file at the tip of HEAD.
    pub present_at_head: Option<bool>,
    /// History only: the branch and tag tips (short names, sorted) whose file at this path still
    /// holds the same secret; empty when only history does.
    pub present_at_refs: Option<Vec<String>>,
    /// What the provider said with `--verify`; `None` when not checked.
    pub verification: Option<crate::verify::Verification>,
    /// Found by decoding (`["base64"]`, outermost first); empty for a secret seen as it is.
    pub decoded: Vec<&'static str>,
    /// For a decoded secret: the encoded text as it stands in the file (what history rewriting must
    /// replace). Kept as secret as the secret itself.
    pub encoded: Option<Secret>,
}

impl Finding {
    /// The file a finding is in as the repository has it: the outermost archive for a member.
    pub fn file_path(&self) -> &str {
        match &self.archive_member {
            Some(m) => self
                .path
                .strip_suffix(m.as_str())
                .and_then(|p| p.strip_suffix('!'))
                .unwrap_or(&self.path),
            None => &self.path,
        }
    }

    /// Stable across line moves and commits: rule id, path and a hash of the secret; no plaintext.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.rule_id, &self.path, self.secret.expose())
    }
}

/// A 1-based byte column of `line` as a 1-based column in UTF-16 code units: each character before
/// it counts one unit, or two above U+FFFF; an invalid byte counts one (it shows as U+FFFD). Bytes
/// past the end of `line` count one each.
pub fn utf16_column(line: &[u8], byte_column: usize) -> usize {
    let before = byte_column.saturating_sub(1);
    let units = utf16_units(&line[..before.min(line.len())]);
    units + before.saturating_sub(line.len()) + 1
}

/// `utf16_column` for the hits of one blob, in order: a column on the line last asked about is
/// counted on from the last place there at which decoding starts afresh (an ASCII byte: never
/// part of a longer sequence, valid or not, so the units before it and after it add up), not
/// from the line's start. Hits on a minified line otherwise read it again each (quadratic in
/// its length: docs/engine.md, "Stop 23"). The lines are borrowed for `'l`: none is freed (and
/// its address reused) while this is kept.
#[derive(Default)]
pub struct Utf16Columns<'l> {
    /// The line, an offset in it that is where the last count started, its length or an ASCII
    /// byte's, and the units before it.
    from: Option<(&'l [u8], usize, usize)>,
    /// Bytes decoded in all (tests).
    #[cfg(test)]
    read: usize,
}

impl<'l> Utf16Columns<'l> {
    pub fn column(&mut self, line: &'l [u8], byte_column: usize) -> usize {
        let before = byte_column.saturating_sub(1);
        let held = before.min(line.len());
        let (at, counted) = match self.from {
            Some((l, at, counted)) if std::ptr::eq(l, line) && at <= held => (at, counted),
            _ => (0, 0),
        };
        #[cfg(test)]
        {
            self.read += held - at;
        }
        // Counted in two: up to the last ASCII byte before the column, where the next count may
        // start should the column's own byte not be one (a secret starting with `é`).
        let ascii = line[at..held]
            .iter()
            .rposition(u8::is_ascii)
            .map_or(at, |i| at + i);
        let to_ascii = counted + utf16_units(&line[at..ascii]);
        let units = to_ascii + utf16_units(&line[ascii..held]);
        self.from = Some(if held == line.len() || line[held].is_ascii() {
            (line, held, units)
        } else {
            (line, ascii, to_ascii)
        });
        units + before.saturating_sub(line.len()) + 1
    }
}

/// UTF-16 code units of `bytes` as text, an invalid sequence one (as U+FFFD).
fn utf16_units(bytes: &[u8]) -> usize {
    /// Of valid UTF-8: a unit per character (each byte but continuation bytes) and another per
    /// character past U+FFFF (four bytes: its leading byte is 0xF0 or more). Counted byte by byte
    /// without decoding: a minified line's columns were ~16 instructions a byte decoded.
    fn units(valid: &[u8]) -> usize {
        valid
            .iter()
            .map(|&b| usize::from((b as i8) >= -0x40) + usize::from(b >= 0xF0))
            .sum()
    }
    if std::str::from_utf8(bytes).is_ok() {
        return units(bytes);
    }
    bytes
        .utf8_chunks()
        .map(|c| units(c.valid().as_bytes()) + usize::from(!c.invalid().is_empty()))
        .sum()
}

pub fn fingerprint(rule_id: &str, path: &str, secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule_id.as_bytes());
    hasher.update([0]);
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(secret.as_bytes());
    let digest = hasher.finalize();
    // Written digit by digit: a `format!` per byte was most of the cost of a finding's
    // fingerprint (two per finding: the allowlists' and the report's).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(rule_id.len() + path.len() + 2 + 32);
    out.push_str(rule_id);
    out.push(':');
    out.push_str(path);
    out.push(':');
    for &b in &digest[..16] {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_holds_its_commit_out_of_line() {
        // Every finding is held until the report; its commit (five strings, history only) is
        // boxed: 320 bytes a finding on x86-64, 432 with the commit inline.
        assert!(
            std::mem::size_of::<Finding>() <= 320,
            "{} bytes",
            std::mem::size_of::<Finding>()
        );
    }

    #[test]
    fn redaction_keeps_a_short_prefix_only() {
        assert_eq!(redact("sk-proj-abcdefghijklmnopqrstuvwxyz"), "sk-p…");
        assert_eq!(redact("abc"), "…");
        assert_eq!(redact("password123"), "pa…");
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let s = Secret::new("ghp_SuperSecretValue1234567890abcdefgh".into());
        let shown = format!("{s:?}");
        assert!(!shown.contains("SuperSecret"), "{shown}");
    }

    #[test]
    fn context_redacts_only_the_secret() {
        let c = Context::new("token = \"ghp_abcdefghijkl\" # x".into(), 9, 25);
        assert_eq!(c.render(false), "token = \"ghp_…\" # x");
        assert_eq!(c.render(true), "token = \"ghp_abcdefghijkl\" # x");
    }

    #[test]
    fn context_redacts_overlapping_and_neighbouring_secrets() {
        let mut c = Context::new("a = ghp_abcdefghijkl b = xoxb-123456789012".into(), 4, 20);
        c.others = vec![(25, 42), (6, 12)];
        assert_eq!(c.render(false), "a = ghp_… b = xoxb…");
        assert_eq!(c.render(true), "a = ghp_abcdefghijkl b = xoxb-123456789012");
    }

    #[test]
    fn utf16_columns_count_units_not_bytes() {
        assert_eq!(utf16_column(b"abc", 3), 3);
        let line = "é✓😀x".as_bytes(); // 2, 3 and 4 bytes: 1, 1 and 2 units
        assert_eq!(utf16_column(line, 1), 1);
        assert_eq!(utf16_column(line, 3), 2);
        assert_eq!(utf16_column(line, 6), 3);
        assert_eq!(utf16_column(line, 10), 5);
        assert_eq!(utf16_column(line, 11), 6);
        assert_eq!(utf16_column(b"\xff\xfeab", 3), 3);
        assert_eq!(utf16_column(b"ab", 5), 5);
    }

    /// Columns asked on lines of random bytes (ASCII, multi-byte sequences whole and cut, stray
    /// continuation bytes), mostly in order on one line as a blob's hits come, sometimes back or on
    /// another line: each is `utf16_column`'s, and a line asked in order is decoded once, not
    /// once per column.
    #[test]
    fn utf16_columns_counted_on_are_those_counted_from_the_start() {
        let mut rng = crate::testrng::Rng(0x7f4a_7c15_9e37_79b9);
        let n = crate::testrng::n;
        let pieces: [&[u8]; 9] = [
            b"a",
            b"=",
            "é".as_bytes(),
            "✓".as_bytes(),
            "😀".as_bytes(),
            b"\xe2\x9c",
            b"\xf0\x9f\x98",
            b"\x80",
            b"\xff",
        ];
        for _ in 0..300 {
            let lines: Vec<Vec<u8>> = (0..2)
                .map(|_| {
                    (0..n(&mut rng, 60))
                        .flat_map(|_| pieces[n(&mut rng, pieces.len())].iter().copied())
                        .collect()
                })
                .collect();
            let mut columns = Utf16Columns::default();
            let mut col = 1;
            for _ in 0..40 {
                let line = &lines[usize::from(n(&mut rng, 8) == 0)];
                col = match n(&mut rng, 10) {
                    0 => 1 + n(&mut rng, line.len() + 3),
                    _ => col + n(&mut rng, 6),
                };
                assert_eq!(
                    columns.column(line, col),
                    utf16_column(line, col),
                    "{line:?} column {col}"
                );
                // Units counted without decoding: as decoded.
                let held = &line[..(col - 1).min(line.len())];
                let decoded: usize = held
                    .utf8_chunks()
                    .map(|c| {
                        c.valid().encode_utf16().count() + usize::from(!c.invalid().is_empty())
                    })
                    .sum();
                assert_eq!(utf16_units(held), decoded, "{held:?}");
            }
        }
        let line = "x = \"é✓\", ".repeat(1000);
        let mut columns = Utf16Columns::default();
        for col in (1..=line.len() + 1).step_by(7) {
            assert_eq!(
                columns.column(line.as_bytes(), col),
                utf16_column(line.as_bytes(), col)
            );
        }
        // From the start each time: ~10M bytes; bytes past ASCII are read again, at most.
        assert!(columns.read <= 2 * line.len(), "read {}", columns.read);
    }

    #[test]
    fn fingerprint_has_no_plaintext_and_ignores_line() {
        let f = fingerprint("r", "a/b.py", "hunter2hunter2");
        assert!(!f.contains("hunter2"));
        assert_eq!(f, fingerprint("r", "a/b.py", "hunter2hunter2"));
        assert_ne!(f, fingerprint("r", "a/c.py", "hunter2hunter2"));
    }

    /// Fingerprints are stored in baselines and allowlists: the text must never change. Pinned
    /// to the first 16 bytes of SHA-256 of `rule\0path\0secret`, in lower-case hex.
    #[test]
    fn fingerprints_keep_their_spelling() {
        assert_eq!(
            fingerprint("r", "a/b.py", "hunter2hunter2"),
            format!("r:a/b.py:{}", "621e00ca613e6cad47baad8286c851ff")
        );
    }
}
