//! JUnit XML: one failing test case per finding, so CI systems that read JUnit show each leak.

use super::{Report, TOOL_NAME};
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
        let location = format!("{}:{}:{}", f.path, f.line, f.column);
        let mut body = format!(
            "{} at {location}\nsecret: {}\ncontext: {}\nfingerprint: {}",
            f.description,
            r.secret_of(f),
            r.context_of(f),
            f.fingerprint()
        );
        if let Some(c) = &f.commit {
            body.push_str(&format!(
                "\ncommit: {} by {} <{}> on {}",
                c.sha, c.author, c.email, c.date
            ));
        }
        writeln!(
            out,
            r#"    <testcase classname="{}" name="{}" file="{}">"#,
            xml(&f.rule_id),
            xml(&location),
            xml(&f.path)
        )?;
        writeln!(
            out,
            r#"      <failure type="{}" message="{}">{}</failure>"#,
            xml(&f.rule_id),
            xml(&f.description),
            xml(&body)
        )?;
        writeln!(out, "    </testcase>")?;
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
