//! Remediation output: the `git filter-repo --replace-text` expressions that rewrite found secrets
//! out of history.

use crate::finding::Finding;
use std::collections::{BTreeSet, HashSet};

/// The `git filter-repo --replace-text` expressions that remove every secret in `findings`: one line
/// per unique secret. Single-line secrets are `literal:` expressions; a secret spanning lines (a
/// private key block) or containing `==>` is written as an escaped `regex:`, since the file is read
/// line by line. Findings without a secret (a whole file matched by a path rule) cannot be replaced
/// by text; their paths are returned separately, for `--invert-paths`. Nor can a secret inside an
/// archive (compressed, checksummed): the archive's path is returned with them.
pub fn remediation_expressions(findings: &[Finding]) -> (String, Vec<String>) {
    let mut seen = HashSet::new();
    let mut text = String::new();
    let mut whole_files = BTreeSet::new();
    for f in findings {
        if f.archive_member.is_some() {
            whole_files.insert(f.file_path().to_string());
            continue;
        }
        // A decoded secret is removed as it stands in the files: its encoded text.
        let s = f.encoded.as_ref().unwrap_or(&f.secret).expose();
        if s.is_empty() {
            whole_files.insert(f.path.clone());
            continue;
        }
        if !seen.insert(s.to_string()) {
            continue;
        }
        if s.contains(['\n', '\r']) || s.contains("==>") {
            text.push_str("regex:");
            text.push_str(&regex_escape(s));
        } else {
            text.push_str("literal:");
            text.push_str(s);
        }
        text.push_str("==>***REMOVED***\n");
    }
    (text, whole_files.into_iter().collect())
}

/// The archives `findings` are in, each once, sorted: removed from history whole, as text
/// replacement cannot reach inside them.
pub fn archives_to_remove(findings: &[Finding]) -> Vec<&str> {
    let set: BTreeSet<&str> = findings
        .iter()
        .filter(|f| f.archive_member.is_some())
        .map(|f| f.file_path())
        .collect();
    set.into_iter().collect()
}

/// A path as one shell word: `'a b'`, a quote inside as `'\''`.
pub fn shell_quote(path: &str) -> String {
    format!("'{}'", path.replace('\'', "'\\''"))
}

/// Escapes for Python's `re` (what filter-repo uses), keeping the expression on one line.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '=' | '>' | '-' | '/' | ' ' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() => out.push(c),
            c => {
                out.push('\\');
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_escape_keeps_one_line() {
        let e = regex_escape("-----BEGIN KEY-----\nab+c/=\n");
        assert!(!e.contains('\n'));
        assert_eq!(
            e,
            "\\-\\-\\-\\-\\-BEGIN\\ KEY\\-\\-\\-\\-\\-\\nab\\+c\\/\\=\\n"
        );
    }
}
