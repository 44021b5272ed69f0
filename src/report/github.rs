//! GitHub Actions workflow commands: each finding becomes an `::error` annotation on its line, each
//! note a `::warning`. Everything that comes from the scanned data is escaped twice: control
//! characters shown as `\n`, `\x1b` (so nothing reads as a new command when the log is copied), then
//! GitHub's own escaping for messages and properties.

use super::{escape_control as esc, Report};
use std::io::{self, Write};

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in r.findings {
        let mut message = format!("{} ({}): {}", f.description, f.rule_id, r.secret_of(f));
        if let Some(m) = &f.archive_member {
            // The annotation goes on the archive, the file the pull request has.
            message.push_str(&format!(" in archive member {m}"));
        }
        if let Some(c) = &f.commit {
            message.push_str(&format!(
                " introduced in {} by {}",
                &c.sha[..c.sha.len().min(12)],
                c.author
            ));
        }
        writeln!(
            out,
            "::error file={},line={},col={},endLine={},title={}::{}",
            property(f.file_path()),
            f.line,
            f.column,
            f.end_line.max(f.line),
            property(&format!("leakguard: {}", f.rule_id)),
            data(&message)
        )?;
    }
    for note in &r.stats.notes {
        writeln!(
            out,
            "::warning title={}::{}",
            property("leakguard note"),
            data(note)
        )?;
    }
    // The summary (and what suppressions dropped) goes to stderr like every machine format's (the
    // caller prints it): stdout holds only workflow commands.
    Ok(())
}

/// Escaping for a workflow command's message.
fn data(s: &str) -> String {
    esc(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a workflow command's properties.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
