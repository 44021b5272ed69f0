//! JUnit XML: one failing test case per finding, so CI systems that read JUnit show each leak.

use super::{escape_control as esc, Report, TOOL_NAME};
use std::io::{self, Write};

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let n = r.findings.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{TOOL_NAME}" tests="{}" failures="{n}">"#,
        n.max(1)
    )?;
    writeln!(
        out,
        r#"  <testsuite name="{TOOL_NAME}" tests="{}" failures="{n}" time="{:.3}">"#,
        n.max(1),
        r.stats.duration.as_secs_f64()
    )?;
    if n == 0 {
        writeln!(
            out,
            r#"    <testcase classname="{TOOL_NAME}" name="no secrets found"/>"#
        )?;
    }
    for f in r.findings {
        // Fields from the scanned data are escaped (`\n`, `\x1b`) so that a CI system printing the
        // report as a log cannot be fed a forged line; the body's own line breaks stay.
        let location = format!("{}:{}:{}", esc(&f.path), f.line, f.column);
        let mut body = format!(
            "{} at {location}\nsecret: {}\ncontext: {}\nfingerprint: {}",
            esc(&f.description),
            esc(&r.secret_of(f)),
            esc(&r.context_of(f)),
            esc(&f.fingerprint())
        );
        if let Some(c) = &f.commit {
            body.push_str(&format!(
                "\ncommit: {} by {} <{}> on {}: {}",
                c.sha,
                esc(&c.author),
                esc(&c.email),
                c.date,
                esc(&c.subject)
            ));
        }
        writeln!(
            out,
            r#"    <testcase classname="{}" name="{}" file="{}">"#,
            xml(&esc(&f.rule_id)),
            xml(&location),
            xml(&esc(&f.path))
        )?;
        writeln!(
            out,
            r#"      <failure type="{}" message="{}">{}</failure>"#,
            xml(&esc(&f.rule_id)),
            xml(&esc(&f.description)),
            xml(&body)
        )?;
        writeln!(out, "    </testcase>")?;
    }
    // Notes (what the config switched off, what the scanned commits change in it) and the
    // suppression counts, where a JUnit reader shows the suite's output.
    let mut system_out: Vec<String> = r
        .stats
        .notes
        .iter()
        .map(|n| format!("note: {}", esc(n)))
        .collect();
    system_out.extend(super::suppressed_line(r));
    if !system_out.is_empty() {
        writeln!(
            out,
            "    <system-out>{}</system-out>",
            xml(&system_out.join("\n"))
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}
