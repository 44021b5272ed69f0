//! Documentation examples: a generic rule's match inside a code block that a Markdown, rst or AsciiDoc
//! page introduces as an example is not reported; vendor-format secrets there still are, and so is the
//! same text in a file that is not a documentation page. Values are generated here (never real ones).

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

#[test]
fn a_generic_value_in_an_example_block_of_a_doc_page_is_not_reported() {
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
    assert!(at(&v, "docs/registries.md").is_empty(), "{v}");
    assert_eq!(
        at(&v, "ci/credentials.toml"),
        vec!["generic-secret-assignment"]
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
    assert!(at(&v, "docs/setup.rst").is_empty(), "{v}");
    assert!(at(&v, "docs/setup.adoc").is_empty(), "{v}");
    assert_eq!(at(&v, "docs/prod.adoc"), vec!["generic-secret-assignment"]);
}
