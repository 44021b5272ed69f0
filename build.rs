//! Embeds every rules/*.toml into the binary, sorted by name, so the default rule set is data, not
//! code: each file without its examples (`LEAN_RULE_FILES`, what a scan parses), stripped here rather
//! than at every start, and each file as written, deflated (`config::default_rule_files`, for
//! `rules --check`, examples and the tests: 604 KB of text in ~150 KB, which keeps the installed
//! binary under the 10 MB .ci/pre-commit-framework.sh holds it to).
use flate2::{write::DeflateEncoder, Compression};
use std::io::Write;
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
    let full_dir = Path::new(&out_dir).join("full");
    fs::create_dir_all(&full_dir).unwrap();
    let mut full = String::from("[\n");
    let mut lean = String::from("[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(f).unwrap();
        // In this build's OUT_DIR: a target directory shared by two checkouts (pre-commit's
        // `cargo install` in CI reuses ours) must not embed the other's rules.
        let mut deflated = DeflateEncoder::new(Vec::new(), Compression::best());
        deflated.write_all(text.as_bytes()).unwrap();
        fs::write(
            full_dir.join(format!("{name}.deflate")),
            deflated.finish().unwrap(),
        )
        .unwrap();
        full.push_str(&format!(
            "    ({name:?}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/full/\", {name:?}, \".deflate\"))),\n"
        ));
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
