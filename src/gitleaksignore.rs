//! `.gitleaksignore`: gitleaks' list of accepted findings, one fingerprint a line, in the two forms
//! gitleaks writes: `file:rule-id:line` (any scan) and `commit:file:rule-id:line` (a git scan).
//! leakguard honours the file as it is, so a team moving from gitleaks keeps its accepted findings.
//!
//! An entry matches a finding on file, rule id (leakguard's id or one of its aliases, i.e. gitleaks'
//! id) and line. A commit part matches a finding reported in that commit, or any finding whose secret
//! is present at that file and line in that commit: leakguard reports the commit that introduced a
//! secret, and gitleaks may have written a later one.

use crate::finding::Finding;
use crate::rules::Rule;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub commit: Option<String>,
    pub file: String,
    pub rule: String,
    pub line: usize,
}

/// Parses a `.gitleaksignore` text. Blank lines and `#` comments are skipped; an entry in neither
/// form is an error naming its line (gitleaks only warns, and the entry then silently matches nothing).
pub fn parse(origin: &str, text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let entry = parse_entry(line).ok_or_else(|| {
            format!(
                "{origin}:{}: not a gitleaks fingerprint (expected file:rule-id:line or commit:file:rule-id:line)",
                n + 1
            )
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

fn parse_entry(line: &str) -> Option<Entry> {
    // From the right: the line number and the rule id hold no `:`; a path may (`C:\…`).
    let (rest, line_no) = line.rsplit_once(':')?;
    let (rest, rule) = rest.rsplit_once(':')?;
    let line_no: usize = line_no.trim().parse().ok()?;
    if rule.is_empty() || rest.is_empty() {
        return None;
    }
    let (commit, file) = match rest.split_once(':') {
        Some((c, f)) if is_commit(c) && !f.is_empty() => (Some(c.to_ascii_lowercase()), f),
        _ => (None, rest),
    };
    Some(Entry {
        commit,
        // gitleaks writes Windows paths with `\`; findings use `/`.
        file: file.replace('\\', "/"),
        rule: rule.to_string(),
        line: line_no,
    })
}

fn is_commit(s: &str) -> bool {
    (7..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Entry {
    /// Whether this entry accepts `f` (found by `rule`). `present(commit, file, line, secret)` says
    /// whether the secret is on that line of that file in that commit; it is asked only for an entry
    /// whose commit is not the finding's own.
    ///
    /// `prefix` is the scanned directory as given (`src` for `leakguard scan src`): findings are
    /// relative to it, gitleaks' entries may include it.
    pub fn matches(
        &self,
        f: &Finding,
        rule: Option<&Rule>,
        prefix: &str,
        present: &mut dyn FnMut(&str, &str, usize, &str) -> bool,
    ) -> bool {
        let rule_ok = *f.rule_id == *self.rule || rule.is_some_and(|r| r.answers_to(&self.rule));
        let file_ok = f.path == self.file
            || (!prefix.is_empty()
                && self
                    .file
                    .strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix('/'))
                    == Some(&f.path));
        if !rule_ok || !file_ok {
            return false;
        }
        match (&self.commit, &f.commit) {
            (None, _) => f.line == self.line,
            (Some(_), None) => false,
            (Some(c), Some(info)) if info.sha.starts_with(c.as_str()) => f.line == self.line,
            (Some(c), Some(_)) => present(c, &self.file, self.line, f.secret.expose()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_and_windows_paths() {
        let text = "# accepted\n\nsrc/a.py:generic-api-key:12\n0123abcd0123abcd0123abcd0123abcd0123abcd:cfg\\b.yml:aws-access-token:3\nC:\\w\\x.go:jwt:5\n";
        let e = parse(".gitleaksignore", text).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].commit, None);
        assert_eq!(
            (e[0].file.as_str(), e[0].rule.as_str(), e[0].line),
            ("src/a.py", "generic-api-key", 12)
        );
        assert_eq!(
            e[1].commit.as_deref(),
            Some("0123abcd0123abcd0123abcd0123abcd0123abcd")
        );
        assert_eq!(e[1].file, "cfg/b.yml");
        assert_eq!(
            (e[2].commit.as_deref(), e[2].file.as_str()),
            (None, "C:/w/x.go")
        );
    }

    #[test]
    fn a_malformed_entry_names_its_line() {
        let err = parse("i", "a.py:rule:1\nnot an entry\n").unwrap_err();
        assert_eq!(
            err,
            "i:2: not a gitleaks fingerprint (expected file:rule-id:line or commit:file:rule-id:line)"
        );
        assert!(parse("i", "a.py:rule:x\n").is_err());
    }
}
