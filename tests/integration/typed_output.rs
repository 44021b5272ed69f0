//! The typed reports (src/report/json.rs, sarif.rs, src/baseline.rs) as a consumer reads them.

use crate::common::{run_in, Fake};

/// SARIF declares `columnKind: utf16CodeUnits`; byte columns put every annotation on a line with
/// non-ASCII text before the secret too far right.
#[test]
fn sarif_columns_count_utf16_units_on_a_non_ascii_line() {
    let dir = tempfile::tempdir().unwrap();
    let pat = Fake::new(6101).github_pat();
    // é: 2 bytes, 1 unit; ✓: 3 bytes, 1 unit; 😀: 4 bytes, 2 units.
    let prefix = "# café ✓ 😀 token = ";
    std::fs::write(dir.path().join("a.txt"), format!("{prefix}{pat} fin\n")).unwrap();
    let r = run_in(dir.path(), &["scan", "--format", "sarif"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v = r.json();
    assert_eq!(v["runs"][0]["columnKind"], "utf16CodeUnits");
    let region = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    let units_before = prefix.encode_utf16().count() as u64;
    assert_eq!(region["startColumn"], units_before + 1, "{region}");
    assert_eq!(
        region["endColumn"],
        units_before + 1 + pat.len() as u64,
        "{region}"
    );
    // JSON keeps byte columns, as it always did.
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.json()["findings"][0]["column"], prefix.len() as u64 + 1);
}

#[test]
fn a_baseline_of_an_unknown_version_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "nothing\n").unwrap();
    for (name, text) in [
        ("v2.json", r#"{"version": 2, "findings": []}"#),
        ("none.json", r#"{"findings": []}"#),
        ("shape.json", r#"{"version": 1, "findings": {}}"#),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let r = run_in(dir.path(), &["scan", "a.txt", "--baseline", name]);
        assert_eq!(r.code, 2, "{name}: {}", r.all());
        assert_eq!(r.stderr.trim().lines().count(), 1, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(name), "names the file: {}", r.stderr);
    }
    let r = run_in(dir.path(), &["scan", "a.txt", "--baseline", "v2.json"]);
    assert!(r.stderr.contains("version 2"), "{}", r.stderr);
}

/// The JSON report keeps its keys and their order (consumers diff it), and rounds entropy to two
/// decimals, as intended (it printed `4.599999904632568`).
#[test]
fn json_keys_keep_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let pat = Fake::new(6102).github_pat();
    std::fs::write(dir.path().join("a.txt"), format!("token = {pat}\n")).unwrap();
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    let v = r.json();
    let keys =
        |o: &serde_json::Value| -> Vec<String> { o.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&v), ["version", "repository", "findings", "stats"]);
    assert_eq!(
        keys(&v["findings"][0]),
        [
            "rule_id",
            "description",
            "path",
            "archive_member",
            "line",
            "column",
            "end_line",
            "end_column",
            "secret",
            "context",
            "entropy",
            "fingerprint",
            "tags",
            "severity",
            "commit",
            "author",
            "email",
            "date",
            "commit_subject",
            "present_at_head",
            "present_at_refs",
            "verification"
        ]
    );
    assert_eq!(
        keys(&v["stats"]),
        [
            "scanned",
            "bytes",
            "findings",
            "skipped",
            "skipped_by_reason",
            "skipped_items",
            "duration_ms",
            "notes",
            "suppressed"
        ]
    );
    let entropy = v["findings"][0]["entropy"].to_string();
    assert!(entropy.len() <= 4, "two decimals at most: {entropy}");
}

/// What the trust boundary added to the typed reports keeps its place: `stats.suppressed` entries,
/// the SARIF run's `properties` (notes, suppressed) after `columnKind`, and `suppressions` last in a
/// result an inline marker dropped.
#[test]
fn suppression_keys_keep_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let pat = Fake::new(6103).github_pat();
    std::fs::write(
        dir.path().join("a.txt"),
        format!("token = {pat} # leakguard:allow\n"),
    )
    .unwrap();
    let keys =
        |o: &serde_json::Value| -> Vec<String> { o.as_object().unwrap().keys().cloned().collect() };
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let v = r.json();
    assert_eq!(
        keys(&v["stats"]["suppressed"][0]),
        ["kind", "source", "rule_id", "count"]
    );
    assert_eq!(v["stats"]["suppressed"][0]["kind"], "inline");
    let r = run_in(dir.path(), &["scan", "--format", "sarif"]);
    let v = r.json();
    let run = &v["runs"][0];
    assert_eq!(keys(run), ["tool", "results", "columnKind", "properties"]);
    assert_eq!(keys(&run["properties"]), ["notes", "suppressed"]);
    let result = &run["results"][0];
    assert_eq!(keys(result).last().unwrap(), "suppressions", "{result}");
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
}
