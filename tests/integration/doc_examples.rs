//! Documentation examples: a generic rule's match inside a code block that a Markdown, rst or AsciiDoc
//! page introduces as an example is reported at severity low, tagged `documentation-example` (the weak
//! tier's stand-ins there are dropped and counted); vendor-format secrets there keep their severity,
//! and so does the same text in a file that is not a documentation page. Values are generated here
//! (never real ones).

use crate::common::{rule_ids, run_in, write, Fake};

fn registries_page(token: &str) -> String {
    format!(
        "## Publishing\n\nThe token is stored in `credentials.toml`. It has a separate table for\neach registry, for example:\n\n```toml\n[registries.my-registry]\ntoken = \"{token}\"\n```\n"
    )
}

fn scan(dir: &std::path::Path) -> serde_json::Value {
    let r = run_in(dir, &["scan", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    r.json()
}

fn at(v: &serde_json::Value, path: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

/// The findings at `path` as (rule, severity, tagged as a documentation example).
fn graded(v: &serde_json::Value, path: &str) -> Vec<(String, String, bool)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t == "documentation-example"),
            )
        })
        .collect()
}

fn low_example(rule: &str) -> Vec<(String, String, bool)> {
    vec![(rule.to_string(), "low".to_string(), true)]
}

#[test]
fn a_generic_value_in_an_example_block_of_a_doc_page_is_reported_at_low() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(71);
    let token = fake.alnum(32);
    write(dir.path(), "docs/registries.md", registries_page(&token));
    // The same lines outside a documentation page are a config file: reported.
    write(
        dir.path(),
        "ci/credentials.toml",
        format!("[registries.my-registry]\ntoken = \"{token}\"\n"),
    );
    let v = scan(dir.path());
    assert_eq!(
        graded(&v, "docs/registries.md"),
        low_example("generic-secret-assignment"),
        "{v}"
    );
    assert_eq!(
        graded(&v, "ci/credentials.toml"),
        vec![(
            "generic-secret-assignment".to_string(),
            "high".to_string(),
            false
        )]
    );
    // SARIF: a note, which code scanning does not count as an error.
    let r = run_in(dir.path(), &["scan", "--format", "sarif"]);
    let sarif = r.json();
    let levels: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|res| {
            (
                res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                res["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        levels.contains(&("docs/registries.md".to_string(), "note".to_string())),
        "{levels:?}"
    );
    assert!(
        levels.contains(&("ci/credentials.toml".to_string(), "error".to_string())),
        "{levels:?}"
    );
}

#[test]
fn a_weak_password_in_an_example_block_is_dropped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    // A weak password, put together at run time (the repository scans itself clean).
    let weak = ["tan", "ager9"].concat();
    let page = format!(
        "## Connecting\n\nFor example:\n\n```yaml\ndatabase:\n  password: \"{weak}\"\n```\n"
    );
    write(dir.path(), "docs/connect.md", &page);
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    let v = r.json();
    assert!(at(&v, "docs/connect.md").is_empty(), "{v}");
    let suppressed = v["stats"]["suppressed"].as_array().unwrap();
    assert!(
        suppressed
            .iter()
            .any(|s| s["kind"] == "doc-example" && s["source"] == "docs/connect.md:7"),
        "{suppressed:?}"
    );
    // Without the example wording, the weak tier reports it (at low, untagged).
    write(
        dir.path(),
        "docs/connect.md",
        page.replace("For example:", "Production:"),
    );
    let v = scan(dir.path());
    assert_eq!(
        graded(&v, "docs/connect.md"),
        vec![(
            "weak-password-doc-assignment".to_string(),
            "low".to_string(),
            false
        )],
        "{v}"
    );
}

#[test]
fn a_pasted_value_without_example_wording_is_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(72);
    let page = format!(
        "# Releasing\n\n## Configuration\n\nThe release job publishes with these credentials:\n\n```toml\n[registries.internal]\ntoken = \"{}\"\n```\n",
        fake.alnum(32)
    );
    write(dir.path(), "docs/release.md", page);
    let v = scan(dir.path());
    assert_eq!(rule_ids(&v), vec!["generic-secret-assignment"]);
}

#[test]
fn a_vendor_token_in_an_example_block_is_still_a_leak() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(73);
    let page = registries_page(&fake.github_pat());
    write(dir.path(), "README.md", page);
    let v = scan(dir.path());
    assert_eq!(rule_ids(&v), vec!["github-pat"]);
}

#[test]
fn rst_and_asciidoc_examples() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(74);
    write(
        dir.path(),
        "docs/setup.rst",
        format!(
            "Configure the client like this:\n\n.. code-block:: ini\n\n   api_key = {}\n",
            fake.alnum(30)
        ),
    );
    write(
        dir.path(),
        "docs/setup.adoc",
        format!(
            "An example configuration:\n\n[source,ini]\n----\napi_key = {}\n----\n",
            fake.alnum(30)
        ),
    );
    write(
        dir.path(),
        "docs/prod.adoc",
        format!(
            "Production configuration:\n\n[source,ini]\n----\napi_key = {}\n----\n",
            fake.alnum(30)
        ),
    );
    let v = scan(dir.path());
    assert_eq!(
        graded(&v, "docs/setup.rst"),
        low_example("generic-secret-assignment"),
        "{v}"
    );
    assert_eq!(
        graded(&v, "docs/setup.adoc"),
        low_example("generic-secret-assignment"),
        "{v}"
    );
    assert_eq!(
        graded(&v, "docs/prod.adoc"),
        vec![(
            "generic-secret-assignment".to_string(),
            "high".to_string(),
            false
        )]
    );
}
