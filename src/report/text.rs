use super::{escape_control as esc, summary_line, suppressed_line, Report, ScanKind};
use crate::verify::Verification;
use owo_colors::OwoColorize;
use std::io::{self, Write};

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let paint = |s: &str, f: fn(&str) -> String| if r.color { f(s) } else { s.to_string() };
    for f in r.findings {
        writeln!(
            out,
            "{} {}  {}",
            paint("●", |s| s.red().bold().to_string()),
            paint(&esc(&f.rule_id), |s| s.bold().to_string()),
            paint(&esc(&f.description), |s| s.dimmed().to_string())
        )?;
        if let Some(v) = f.verification {
            let label = match v {
                Verification::Live => paint("verified: live (rotate it first)", |s| {
                    s.red().bold().to_string()
                }),
                Verification::Revoked => paint("verified: revoked", |s| s.green().to_string()),
                Verification::Unknown => "verified: unknown (checked, no clear answer)".to_string(),
            };
            writeln!(out, "  {label}")?;
        }
        writeln!(
            out,
            "  {}",
            paint(&format!("{}:{}:{}", esc(&f.path), f.line, f.column), |s| s
                .cyan()
                .to_string())
        )?;
        let ctx = r.context_of(f);
        if !ctx.is_empty() {
            writeln!(
                out,
                "  {} │ {}",
                paint(&f.line.to_string(), |s| s.dimmed().to_string()),
                esc(ctx.trim_start())
            )?;
        }
        if !f.secret.is_empty() {
            writeln!(out, "  secret: {}", esc(&r.secret_of(f)))?;
        }
        if !f.decoded.is_empty() {
            writeln!(out, "  decoded from: {}", esc(&f.decoded.join(" → ")))?;
        }
        if let Some(c) = &f.commit {
            writeln!(
                out,
                "  commit: {} by {} <{}> on {}: {}",
                paint(&c.sha[..c.sha.len().min(12)], |s| s.yellow().to_string()),
                esc(&c.author),
                esc(&c.email),
                esc(&c.date),
                esc(&c.subject)
            )?;
        }
        if let Some(present) = f.present_at_head {
            writeln!(
                out,
                "  at the tip of HEAD: {}",
                if present { "yes" } else { "no" }
            )?;
        }
        match f.present_at_refs.as_deref() {
            Some([]) => writeln!(out, "  at branch or tag tips: none (history only)")?,
            Some(refs) => writeln!(out, "  at branch or tag tips: {}", esc(&refs.join(", ")))?,
            None => {}
        }
        writeln!(out, "  fingerprint: {}", esc(&f.fingerprint()))?;
        writeln!(out)?;
    }
    if r.verbose {
        for s in &r.stats.skipped {
            match &s.detail {
                Some(d) => writeln!(
                    out,
                    "skipped ({}): {} ({})",
                    s.reason.label(),
                    esc(&s.path),
                    esc(d)
                )?,
                None => writeln!(out, "skipped ({}): {}", s.reason.label(), esc(&s.path))?,
            }
        }
    }
    for note in &r.stats.notes {
        writeln!(out, "note: {}", esc(note))?;
    }
    if let Some(line) = suppressed_line(r) {
        writeln!(out, "{line}")?;
    }
    let summary = summary_line(r);
    if r.findings.is_empty() {
        writeln!(
            out,
            "{} {summary}",
            paint("✓", |s| s.green().bold().to_string())
        )?;
    } else {
        writeln!(
            out,
            "{} {summary}",
            paint("✗", |s| s.red().bold().to_string())
        )?;
        if r.kind == ScanKind::History && r.remediation_hint {
            writeln!(out)?;
            writeln!(out, "What to do next, in this order:")?;
            writeln!(out, "  1. Revoke and rotate every credential listed above, now: it is public to anyone with a clone.")?;
            match &r.remediation_file {
                Some(file) => writeln!(
                    out,
                    "  2. Rewrite history to remove it: git filter-repo --replace-text {file} (that file holds the secrets: never commit it, delete it afterwards)"
                )?,
                None => writeln!(
                    out,
                    "  2. Rewrite history to remove it: git filter-repo --replace-text FILE (write FILE with `leakguard history --remediation FILE`)"
                )?,
            }
            let archives = crate::remediation::archives_to_remove(r.findings);
            if !archives.is_empty() {
                // Text replacement cannot reach into a compressed archive: it goes whole.
                let args: Vec<String> = archives
                    .iter()
                    .map(|p| format!("--path {}", crate::remediation::shell_quote(p)))
                    .collect();
                writeln!(
                    out,
                    "     Secrets inside archives cannot be replaced as text: remove the archive{} from history: git filter-repo --invert-paths {}",
                    if archives.len() == 1 { "" } else { "s" },
                    esc(&args.join(" "))
                )?;
            }
            writeln!(out, "  3. Force-push every rewritten branch and tag: git push --force --all && git push --force --tags")?;
            writeln!(out, "  4. Have every collaborator re-clone (old clones and forks still hold the secret).")?;
        }
    }
    Ok(())
}
