//! Embeds every rules/*.toml into the binary, sorted by name, so the default rule set is data, not
//! code: each file as written (`DEFAULT_RULE_FILES`, for `rules --check` and the tests) and without
//! its examples (`LEAN_RULE_FILES`, what a scan parses), stripped here rather than at every start.
use std::{env, fs, path::Path};

#[path = "src/catalog_lean.rs"]
mod catalog_lean;

fn main() {
    let dir = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/catalog_lean.rs");
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let out_dir = env::var("OUT_DIR").unwrap();
    let lean_dir = Path::new(&out_dir).join("lean");
    fs::create_dir_all(&lean_dir).unwrap();
    let mut full = String::from("[\n");
    let mut lean = String::from("[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        // Relative to the crate being compiled, not an absolute path: a target directory shared by two
        // checkouts (pre-commit's `cargo install` in CI reuses ours) must not embed the other's rules.
        full.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/\", {name:?}))),\n"
        ));
        let text = fs::read_to_string(f).unwrap();
        fs::write(
            lean_dir.join(&name),
            catalog_lean::without_examples(&name, &text),
        )
        .unwrap();
        lean.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/lean/\", {name:?}))),\n"
        ));
    }
    full.push(']');
    lean.push(']');
    fs::write(Path::new(&out_dir).join("default_rules.rs"), full).unwrap();
    fs::write(Path::new(&out_dir).join("lean_rules.rs"), lean).unwrap();
}
