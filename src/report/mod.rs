//! Reporters: findings and statistics in, text for people or machines out. Secrets are redacted
//! unless the report was asked to show them.

mod github;
mod json;
mod junit;
mod sarif;
mod text;

use crate::finding::Finding;
use crate::rules::Rule;
use crate::stats::Stats;
use std::io::{self, Write};
use std::path::Path;

/// An output format. The CLI offers `Format::ALL` by `name()`, with `help()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people: one block per finding, then a summary.
    Text,
    /// `{"version", "findings": [...], "stats": {...}}`
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, one failing test case per finding.
    Junit,
    /// GitHub Actions workflow commands (`::error file=…,line=…::`), to annotate pull requests.
    Github,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ];

    /// The name the command line takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
        }
    }

    /// One line for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            Format::Text => "For people: one block per finding, then a summary",
            Format::Json => "`{\"version\", \"findings\": [...], \"stats\": {...}}`",
            Format::Sarif => "SARIF 2.1.0, for code scanning",
            Format::Junit => "JUnit XML, one failing test case per finding",
            Format::Github => {
                "GitHub Actions workflow commands (`::error file=…,line=…::`), to annotate pull requests"
            }
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown format {s:?}"))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanKind {
    WorkingTree,
    History,
    Staged,
}

impl ScanKind {
    /// What `n` scanned items are called: "1 blob", "2 blobs".
    pub fn noun(self, n: u64) -> &'static str {
        match (self, n == 1) {
            (ScanKind::WorkingTree, true) => "file",
            (ScanKind::WorkingTree, false) => "files",
            (ScanKind::History, true) => "blob",
            (ScanKind::History, false) => "blobs",
            (ScanKind::Staged, true) => "staged file",
            (ScanKind::Staged, false) => "staged files",
        }
    }
}

pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub stats: &'a Stats,
    pub rules: &'a [Rule],
    pub kind: ScanKind,
    pub show_secrets: bool,
    /// Only for text: list every skipped file.
    pub verbose: bool,
    /// Only for text: ANSI colours.
    pub color: bool,
    /// Only for text on history scans: end with the remediation steps.
    pub remediation_hint: bool,
    /// The `--remediation` file written for this scan, named in the remediation steps.
    pub remediation_file: Option<String>,
    /// Findings inline markers and baselines dropped, listed in SARIF as suppressed results.
    pub suppressed_findings: &'a [(crate::suppress::SuppressKind, Finding)],
    /// What was scanned, for reports merged across repositories: see `repository_name`.
    pub repository: Option<String>,
}

impl Report<'_> {
    fn secret_of(&self, f: &Finding) -> String {
        if self.show_secrets {
            f.secret.expose().to_string()
        } else {
            f.secret.redacted()
        }
    }

    fn context_of(&self, f: &Finding) -> String {
        f.context.render(self.show_secrets)
    }
}

pub const TOOL_NAME: &str = "leakguard";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
pub const TOOL_URI: &str = "https://github.com/leakguard/leakguard";

pub fn write(format: Format, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Github => github::write(report, out),
    }
}

/// Names a scanned root across an organisation: the URL of its git remote (`origin`, else the
/// first), without any user or password in it, else the directory's name.
pub fn repository_name(root: &Path) -> String {
    let remote = git2::Repository::discover(root).ok().and_then(|repo| {
        let names = repo.remotes().ok()?;
        let mut names: Vec<String> = names.iter().flatten().map(str::to_string).collect();
        names.sort_by_key(|n| n != "origin");
        let first = names.first()?.clone();
        let remote = repo.find_remote(&first).ok()?;
        remote.url().map(strip_userinfo)
    });
    remote.unwrap_or_else(|| {
        let abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        abs.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| abs.display().to_string())
    })
}

/// `https://user:token@host/x` → `https://host/x`: a remote URL may carry a credential.
fn strip_userinfo(url: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let host_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..host_end].rfind('@') {
            return format!("{}{}", &url[..scheme_end + 3], &rest[at + 1..]);
        }
    }
    url.to_string()
}

/// The summary line every format can print to stderr for a person watching.
pub fn summary_line(report: &Report) -> String {
    let s = report.stats;
    let files: std::collections::BTreeSet<&str> =
        report.findings.iter().map(|f| f.path.as_str()).collect();
    let mut line = format!(
        "{} finding{} in {} file{} · scanned {} {} ({}) in {:.2} s",
        report.findings.len(),
        if report.findings.len() == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        s.scanned,
        report.kind.noun(s.scanned),
        human_bytes(s.bytes),
        s.duration.as_secs_f64()
    );
    if !s.skipped.is_empty() {
        let parts: Vec<String> = s
            .skipped_by_reason()
            .iter()
            .map(|(r, n)| format!("{n} {r}"))
            .collect();
        line.push_str(&format!(
            " · skipped {} ({})",
            s.skipped.len(),
            parts.join(", ")
        ));
    }
    line
}

/// A string from the scanned data (a path, a commit subject, a context line, a rule description)
/// made safe to print on a terminal or a CI log: newlines, carriage returns, ESC and every other
/// control character are shown escaped (`\n`, `\r`, `\x1b`), so that a file name cannot start a new
/// log line (a forged `::error` workflow command) or move the cursor. A tab is kept.
pub fn escape_control(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            c if needs_escape(c) && (c as u32) <= 0xff => {
                o.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if needs_escape(c) => o.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => o.push(c),
        }
    }
    std::borrow::Cow::Owned(o)
}

/// Control characters (C0 but tab, DEL, C1) and the Unicode line and paragraph separators.
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t') || c == '\u{2028}' || c == '\u{2029}'
}

/// The line that says what suppressions dropped, if any.
pub fn suppressed_line(report: &Report) -> Option<String> {
    crate::suppress::summary(&report.stats.suppressed).map(|l| escape_control(&l).into_owned())
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn remote_credentials_are_dropped() {
        assert_eq!(
            // Built at run time: the repository scans itself clean.
            super::strip_userinfo(&format!(
                "https://x-access-token:{}@github.com/o/r.git",
                "a1b2c3"
            )),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            super::strip_userinfo("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
        assert_eq!(
            super::strip_userinfo("https://github.com/o/r"),
            "https://github.com/o/r"
        );
    }
}
