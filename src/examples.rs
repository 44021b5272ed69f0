//! Checking rules against their own examples (`[rules.examples]`): what `leakguard rules --check`
//! runs, so a team can test the rules it writes the way the built-in ones are tested.

use crate::engine::Engine;

/// One example its rule gets wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub rule_id: String,
    /// Where the rule was defined.
    pub origin: String,
    /// What went wrong, without the example's text (it looks like a secret).
    pub problem: String,
}

/// Every example of every rule in `engine`, scanned by the whole engine as a file at the example's
/// path (default `example.txt`), each rule's reading of a value kept (`scan_file_bytes_every_reading`:
/// a rule of the same rank reading it too does not hide this one's): a positive example must be
/// reported by its rule (or, for a rule that yields, read by it and given to a more precise rule's
/// finding: `read_and_yielded`), a negative one must not be, and path examples must be selected or
/// not by the rule's path. Failures come in rule order.
pub fn check(engine: &Engine) -> Vec<Failure> {
    let mut out = Vec::new();
    for (i, r) in engine.rules().iter().enumerate() {
        // A built-in rule says whether its `[^"]*` may cross lines (`lines`): the class means
        // "the rest of the line" in a rule written for one and "up to the brace" in a JWK written
        // over several, and its regex alone cannot tell (docs/engine.md, "Windows by meaning,
        // second round").
        if r.origin.starts_with(crate::config::BUILTIN_ORIGIN) && engine.lines_undeclared(i) {
            out.push(Failure {
                rule_id: r.id.to_string(),
                origin: r.origin.clone(),
                problem: "a repeated negated class of its regex can match a line break: say \
                          lines = \"one\" (it keeps to its line) or \"many\""
                    .into(),
            });
        }
        // A rule that counts its lines (`lines = "2"`) must not match more: its windows end there.
        if engine.lines_overcounted(i) {
            out.push(Failure {
                rule_id: r.id.to_string(),
                origin: r.origin.clone(),
                problem: "its regex can match more line breaks than its lines = \"N\" allows \
                          (N - 1): count them again or say \"many\""
                    .into(),
            });
        }
        let Some(ex) = r.examples() else { continue };
        let path = ex.path.as_deref().unwrap_or("example.txt");
        let mut fail = |problem: String| {
            out.push(Failure {
                rule_id: r.id.to_string(),
                origin: r.origin.clone(),
                problem,
            })
        };
        for (n, text) in ex.positive.iter().enumerate() {
            let found = engine.scan_file_bytes_every_reading(text.as_bytes(), path);
            // Yielding counts only where this rule read the value itself and gave way to a more
            // precise rule's standing hit on it: a rule whose own regex misses its example must
            // fail, though another rule (the generic reader) reports the value.
            let passes = found.iter().any(|f| f.rule_id == r.id)
                || (r.yields > 0 && read_and_yielded(engine, i, text.as_bytes(), path, &found));
            if !passes {
                let mut others: Vec<String> = found.iter().map(|f| f.rule_id.to_string()).collect();
                others.dedup();
                fail(format!(
                    "positive example {} is not found at {path}{}",
                    n + 1,
                    if others.is_empty() {
                        String::new()
                    } else {
                        format!(" (found by {})", others.join(", "))
                    }
                ));
            }
        }
        for (n, text) in ex.negative.iter().enumerate() {
            if engine
                .scan_file_bytes_every_reading(text.as_bytes(), path)
                .iter()
                .any(|f| f.rule_id == r.id)
            {
                fail(format!("negative example {} is found at {path}", n + 1));
            }
        }
        if let Some(re) = &r.path {
            for p in &ex.positive_paths {
                if !re.is_match(p) {
                    fail(format!("path {p} should be selected and is not"));
                }
            }
            for p in &ex.negative_paths {
                if re.is_match(p) {
                    fail(format!("path {p} should not be selected and is"));
                }
            }
        }
    }
    out
}

/// Whether rule `rule` read a value of `text` itself and yielded it (`Hit::shadowed_by`) to a
/// more precise rule's hit that stands among `found`: the one way a positive example passes
/// without its own rule's finding.
fn read_and_yielded(
    engine: &Engine,
    rule: usize,
    text: &[u8],
    path: &str,
    found: &[crate::finding::Finding],
) -> bool {
    let rules = engine.rules();
    let hits = engine.scan(text, crate::engine::PathScope::At(path));
    hits.iter()
        .filter(|h| h.rule == rule && !h.shadowed_by.is_empty())
        .any(|h| {
            hits.iter().any(|o| {
                rules[o.rule].yields < rules[rule].yields
                    && h.shadowed_by.contains(&o.key())
                    && found
                        .iter()
                        .any(|f| f.rule_id == rules[o.rule].id && f.line == o.line)
            })
        })
}
