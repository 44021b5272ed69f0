//! Every built-in rule carries its own true and false examples; this checks all of them, and the
//! properties every default rule must have.

use leakguard::{Engine, RuleSet};
use std::collections::HashSet;

fn engine() -> Engine {
    Engine::new(RuleSet::builtin().expect("built-in rules compile"))
}

#[test]
fn builtin_rule_set_is_large_and_well_formed() {
    let e = engine();
    let rules = e.rules();
    assert!(rules.len() >= 60, "only {} rules", rules.len());
    let mut ids = HashSet::new();
    for r in rules {
        assert!(ids.insert(r.id.to_string()), "duplicate rule id {}", r.id);
        // A rule scoped to a few file names (`path`) reads only those files: without keywords it
        // reads them whole, and nothing else.
        if r.regex.is_some() && r.path.is_none() {
            assert!(
                !r.keywords.is_empty(),
                "rule {} has a regex but no keywords (it would run on every byte)",
                r.id
            );
        }
        let ex = r
            .examples()
            .unwrap_or_else(|| panic!("rule {} has no examples", r.id));
        if r.regex.is_some() {
            assert!(
                ex.positive.len() >= 2,
                "rule {} needs at least 2 positive examples",
                r.id
            );
            assert!(
                !ex.negative.is_empty(),
                "rule {} needs negative examples",
                r.id
            );
        } else {
            assert!(
                !ex.positive_paths.is_empty() && !ex.negative_paths.is_empty(),
                "path rule {} needs path examples",
                r.id
            );
        }
    }
}

/// Built-in regexes compile lazily, on first use; this compiles every one, so none can fail in a scan.
#[test]
fn every_builtin_regex_compiles() {
    let e = engine();
    for r in e.rules() {
        if let Some(re) = &r.regex {
            let _ = re.get();
        }
        for a in &r.allowlists {
            for re in &a.regexes {
                let _ = re.get();
            }
        }
    }
    for r in e
        .rules()
        .iter()
        .filter(|r| r.secret_group.is_some() && r.regex.is_some())
    {
        let groups = r.regex.as_ref().unwrap().get().captures_len();
        assert!(
            r.secret_group.unwrap() < groups,
            "rule {}: secretGroup out of range",
            r.id
        );
    }
}

#[test]
fn every_positive_example_is_found_by_its_rule() {
    let e = engine();
    let mut failures = Vec::new();
    for r in e.rules() {
        let Some(ex) = r.examples() else { continue };
        let path = ex.path.as_deref().unwrap_or("example.txt");
        for text in &ex.positive {
            // Every rule's reading of the value: a rule of the same rank reading it too (reported
            // once, `Engine::findings`) does not hide whether this one does.
            let found = e.scan_file_bytes_every_reading(text.as_bytes(), path);
            // A generic or vendor-context rule yields to a more precise rule on the same secret
            // (`Rule::yields`): reported once, by the format rule's (or the vendor-context one's).
            let yielded = r.yields > 0
                && found.iter().any(|f| {
                    e.rules()
                        .iter()
                        .any(|o| o.id == f.rule_id && o.yields < r.yields)
                });
            if !found.iter().any(|f| f.rule_id == r.id) && !yielded {
                let got: Vec<_> = found.iter().map(|f| f.rule_id.to_string()).collect();
                failures.push(format!(
                    "{}: positive example not found (found {:?}): {}",
                    r.id,
                    got,
                    text.chars().take(100).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_negative_example_is_found_by_its_rule() {
    let e = engine();
    let mut failures = Vec::new();
    for r in e.rules() {
        let Some(ex) = r.examples() else { continue };
        let path = ex.path.as_deref().unwrap_or("example.txt");
        for text in &ex.negative {
            if e.scan_file_bytes_every_reading(text.as_bytes(), path)
                .iter()
                .any(|f| f.rule_id == r.id)
            {
                failures.push(format!(
                    "{}: negative example matched: {}",
                    r.id,
                    text.chars().take(100).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn path_examples_select_the_right_files() {
    let e = engine();
    let mut failures = Vec::new();
    for r in e.rules() {
        let (Some(ex), Some(re)) = (r.examples(), &r.path) else {
            continue;
        };
        for p in &ex.positive_paths {
            if !re.is_match(p) {
                failures.push(format!("{}: path {p} should be selected", r.id));
            }
        }
        for p in &ex.negative_paths {
            if re.is_match(p) {
                failures.push(format!("{}: path {p} should not be selected", r.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each `[[rules]]` table of the built-in files is a rule of its own: none silently extends another
/// (a built-in rule whose id equals an id or gitleaks alias an earlier built-in rule carries would be
/// merged into it, replacing its regex and examples).
#[test]
fn every_builtin_rule_table_is_its_own_rule() {
    let tables: usize = leakguard::config::default_rule_files()
        .iter()
        .map(|(_, text)| text.lines().filter(|l| l.trim() == "[[rules]]").count())
        .sum();
    assert_eq!(engine().rules().len(), tables);
}
