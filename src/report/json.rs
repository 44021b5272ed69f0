use super::{Report, TOOL_VERSION};
use serde_json::{json, Value};
use std::io::{self, Write};

pub fn finding_value(r: &Report, f: &crate::finding::Finding) -> Value {
    let c = f.commit.as_ref();
    json!({
        "rule_id": &*f.rule_id,
        "description": &*f.description,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "secret": r.secret_of(f),
        "context": r.context_of(f),
        "entropy": (f.entropy * 100.0).round() / 100.0,
        "fingerprint": f.fingerprint(),
        "tags": &*f.tags,
        "commit": c.map(|c| c.sha.clone()),
        "author": c.map(|c| c.author.clone()),
        "email": c.map(|c| c.email.clone()),
        "date": c.map(|c| c.date.clone()),
        "commit_subject": c.map(|c| c.subject.clone()),
        "present_at_head": f.present_at_head,
    })
}

pub fn write(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = r.stats;
    let value = json!({
        "version": TOOL_VERSION,
        "findings": r.findings.iter().map(|f| finding_value(r, f)).collect::<Vec<_>>(),
        "stats": {
            "scanned": s.scanned,
            "bytes": s.bytes,
            "findings": r.findings.len(),
            "skipped": s.skipped.len(),
            "skipped_by_reason": s.skipped_by_reason(),
            "skipped_items": s.skipped,
            "duration_ms": s.duration.as_millis() as u64,
            "notes": s.notes,
            "suppressed": s.suppressed,
        }
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
