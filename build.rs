//! Embeds every rules/*.toml into the binary, sorted by name, so the default rule set is data, not
//! code: each file, its regexes' fragment references expanded first (`src/fragments.rs`; the
//! fragments are rules/fragments/grammar.toml's), parsed here, without its examples, into the
//! precompiled catalog a run decodes (`catalog_compiled`, postcard: parsing the TOML at every start
//! was half of a one-file scan), and each file as expanded, deflated (`config::default_rule_files`,
//! for `rules --check`, examples and the tests: 604 KB of text in ~150 KB, which keeps the
//! installed binary under the 10 MB .ci/pre-commit-framework.sh holds it to).
use flate2::{write::DeflateEncoder, Compression};
use std::io::Write;
use std::{env, fs, path::Path};

#[path = "src/catalog_compiled.rs"]
mod catalog_compiled;
#[path = "src/catalog_lean.rs"]
mod catalog_lean;
#[allow(dead_code)]
#[path = "src/fragments.rs"]
mod fragments;
#[allow(dead_code)]
#[path = "src/engine/gate.rs"]
mod gate;
#[allow(dead_code)]
#[path = "src/engine/litneed.rs"]
mod litneed;
#[allow(dead_code)]
#[path = "src/engine/nfacode.rs"]
mod nfacode;
#[allow(dead_code)]
#[path = "src/path_endings.rs"]
mod path_endings;
#[allow(dead_code)]
#[path = "src/engine/patterns.rs"]
mod patterns;
#[allow(dead_code)]
#[path = "src/engine/starts.rs"]
mod starts;

use catalog_compiled::{Allowlist, File, Lined, Rule};
use toml::Spanned;

fn main() {
    let dir = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/catalog_lean.rs");
    println!("cargo:rerun-if-changed=src/catalog_compiled.rs");
    println!("cargo:rerun-if-changed=src/fragments.rs");
    println!("cargo:rerun-if-changed=src/path_endings.rs");
    println!("cargo:rerun-if-changed=src/engine/gate.rs");
    println!("cargo:rerun-if-changed=src/engine/starts.rs");
    println!("cargo:rerun-if-changed=src/engine/nfacode.rs");
    println!("cargo:rerun-if-changed=src/engine/patterns.rs");
    println!("cargo:rerun-if-changed=src/engine/litneed.rs");
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let fragments = load_fragments(&dir.join("fragments/grammar.toml"));
    let out_dir = env::var("OUT_DIR").unwrap();
    // Every file as expanded, one after another, deflated as one stream: the files share most of
    // their text (keys, tables, allowlists, the fragments written out), and deflated each on its
    // own they took 51 KB more of the binary (docs/engine.md, "Stop 45").
    let mut full = String::from("[\n");
    let mut full_text = String::new();
    let mut compiled: Vec<(String, File<Lined>)> = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        // Everything below sees each rule's regex expanded, as if written out in full.
        let text = expand_fragments(&name, &fs::read_to_string(f).unwrap(), &fragments);
        full.push_str(&format!("    ({name:?}, {}),\n", text.len()));
        full_text.push_str(&text);
        let lean_text = catalog_lean::without_examples(&name, &text);
        let parsed: File<Spanned<String>> = toml::from_str(&lean_text)
            .unwrap_or_else(|e| panic!("rules/{name} (precompiled catalog): {e}"));
        compiled.push((name.clone(), lined_file(parsed, &lean_text)));
    }
    full.push(']');
    // In this build's OUT_DIR: a target directory shared by two checkouts (pre-commit's
    // `cargo install` in CI reuses ours) must not embed the other's rules.
    fs::write(Path::new(&out_dir).join("default_rules.rs"), full).unwrap();
    let len = u32::try_from(full_text.len()).expect("the rule files fit in 4 GB");
    let mut deflated = DeflateEncoder::new(len.to_le_bytes().to_vec(), Compression::best());
    deflated.write_all(full_text.as_bytes()).unwrap();
    fs::write(
        Path::new(&out_dir).join("default_rules.deflate"),
        deflated.finish().unwrap(),
    )
    .unwrap();
    fs::write(
        Path::new(&out_dir).join("catalog.postcard"),
        postcard::to_allocvec(&compiled).unwrap(),
    )
    .unwrap();
    // Each built-in path regex's endings test (`rules::PathRegex`), worked out here, not at
    // every start.
    let mut sources: Vec<&str> = Vec::new();
    for (_, f) in &compiled {
        let lists = f.allowlist.iter().chain(&f.allowlists).chain(
            f.rules
                .iter()
                .flat_map(|r| r.allowlist.iter().chain(&r.allowlists)),
        );
        sources.extend(lists.flat_map(|a| &a.paths).map(|p| p.value.as_str()));
        sources.extend(
            f.rules
                .iter()
                .filter_map(|r| r.path.as_ref())
                .map(|p| p.value.as_str()),
        );
    }
    sources.sort_unstable();
    sources.dedup();
    // The path regexes and the allowlists' regexes parsed (`engine::patterns`), not at every run
    // that compiles one.
    let mut patterns = patterns::Patterns::default();
    for (_, f) in &compiled {
        let lists = f.allowlist.iter().chain(&f.allowlists).chain(
            f.rules
                .iter()
                .flat_map(|r| r.allowlist.iter().chain(&r.allowlists)),
        );
        for a in lists {
            for r in &a.regexes {
                patterns.add(&r.value);
            }
        }
    }
    for s in &sources {
        patterns.add(s);
    }
    patterns.finish();
    write_table(
        &out_dir,
        ("patterns.postcard", &patterns),
        ("patterns_code.deflate", &patterns.code),
    );
    let endings: Vec<(&str, Option<Vec<Vec<u8>>>)> = sources
        .into_iter()
        .map(|s| (s, path_endings::PathEndings::of(s).map(|e| e.ends)))
        .collect();
    fs::write(
        Path::new(&out_dir).join("path_endings.postcard"),
        postcard::to_allocvec(&endings).unwrap(),
    )
    .unwrap();
    // Each built-in rule's gate (`engine::gate`): what the engine asks of a window before it
    // parses the rule's regex, worked out here, not at the first window of every run. Filed under
    // the regex and the keywords as the engine holds them (`rules.rs`: non-empty, lower case).
    let mut facts = gate::Table::default();
    for (name, f) in &compiled {
        for r in &f.rules {
            let Some(regex) = &r.regex else { continue };
            let keywords: Vec<String> = r
                .keywords
                .iter()
                .flatten()
                .filter(|k| !k.is_empty())
                .map(|k| k.to_ascii_lowercase())
                .collect();
            if !facts.add(&regex.value, &keywords) {
                panic!("rules/{name}: {} does not parse", r.id.value);
            }
        }
    }
    facts.pack_nfas();
    facts.finish();
    write_table(
        &out_dir,
        ("gate_facts.postcard", &facts),
        ("gate_code.deflate", &facts.code),
    );
    // The rules' check NFAs, each deflated on its own against one dictionary
    // (`gate::Table::pack_nfas`).
    fs::write(Path::new(&out_dir).join("nfa_code.bin"), &facts.nfa_code).unwrap();
    fs::write(Path::new(&out_dir).join("nfa_dict.bin"), &facts.nfa_dict).unwrap();
    drop_unwind_tables(&out_dir);
}

/// The binary without unwind tables (`.eh_frame`, `.eh_frame_hdr`: ~555 KB, 5.7% of the installed
/// binary): nothing in it unwinds. The release profile aborts on a panic, and in every profile the
/// panic hook (`cli::common::install_panic_hook`, the first thing `main` does) exits before an
/// unwind could start; no code catches one. A backtrace would read them, and none is printed.
/// rustc has no stable switch to leave them out (`-C force-unwind-tables=no` is a flag a user's
/// `RUSTFLAGS` would have to carry, and pre-commit's `cargo install` carries none), so the linker
/// drops them: rust-lld, the linker rustc ≥ 1.90 uses on x86_64 Linux (Cargo.toml's
/// `rust-version`), reads `OVERWRITE_SECTIONS` as a change to its default layout. Only there, only
/// when the toolchain carries rust-lld, and only when nothing names another linker or passes link
/// arguments of its own (GNU ld and mold do not know the command, and GNU ld's `/DISCARD/ …
/// INSERT` is one lld refuses): elsewhere the tables stay, as before.
fn drop_unwind_tables(out_dir: &str) {
    for var in [
        "TARGET",
        "RUSTC_LINKER",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER",
        "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let var = |name: &str| env::var(name).unwrap_or_default();
    let flags = var("CARGO_ENCODED_RUSTFLAGS");
    if var("TARGET") != "x86_64-unknown-linux-gnu"
        || env::var_os("RUSTC_LINKER").is_some()
        || env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
        || flags.contains("link")
        || flags.contains("fuse-ld")
        || !self_contained_lld()
    {
        return;
    }
    let script = Path::new(out_dir).join("no_unwind_tables.ld");
    fs::write(
        &script,
        "OVERWRITE_SECTIONS { /DISCARD/ : { *(.eh_frame) *(.eh_frame_hdr) } }\n",
    )
    .unwrap();
    // One argument each, so that a comma or a space in the path reaches the linker as it is.
    for arg in ["-Xlinker", "-T", "-Xlinker", &script.display().to_string()] {
        println!("cargo:rustc-link-arg-bins={arg}");
    }
    println!("cargo:rustc-link-arg-bins=-Wl,--no-eh-frame-hdr");
}

/// Whether this rustc carries the rust-lld it links x86_64 Linux binaries with (rustup's
/// toolchains do, under the sysroot's `gcc-ld`; a distribution's rustc may be built without it,
/// and then the system's linker links).
fn self_contained_lld() -> bool {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    std::process::Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .is_some_and(|root| {
            Path::new(root.trim())
                .join("lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld/ld.lld")
                .exists()
        })
}

/// A table the engine reads back (postcard) and the parsed regexes it points into, deflated apart:
/// the engine inflates them only when it first builds one. The deflated code follows its inflated
/// length (four bytes, little-endian), so that it is inflated into a buffer of its size
/// (`engine::inflate`).
fn write_table(out_dir: &str, table: (&str, &impl serde::Serialize), code: (&str, &[u8])) {
    let dir = Path::new(out_dir);
    fs::write(dir.join(table.0), postcard::to_allocvec(table.1).unwrap()).unwrap();
    let len = u32::try_from(code.1.len()).expect("the parsed regexes fit in 4 GB");
    let mut deflated = DeflateEncoder::new(len.to_le_bytes().to_vec(), Compression::best());
    deflated.write_all(code.1).unwrap();
    fs::write(dir.join(code.0), deflated.finish().unwrap()).unwrap();
}

/// A build error of one line (cargo prints a build script's stderr), not a panic's backtrace.
fn fail(message: String) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}

/// The catalog's named fragments (`src/fragments.rs`), from their `[fragments]` table.
fn load_fragments(path: &Path) -> fragments::Fragments {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Table {
        fragments: std::collections::BTreeMap<String, String>,
    }
    println!("cargo:rerun-if-changed={}", path.display());
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
    let table: Table = toml::from_str(&text)
        .unwrap_or_else(|e| fail(format!("{}: {}", path.display(), e.message())));
    fragments::Fragments::new(&table.fragments)
        .unwrap_or_else(|e| fail(format!("{}: {e}", path.display())))
}

/// The rule file's text with each rule's regex that references a fragment written out in full,
/// as a `'''` literal in the place of the value as written: the rest of the file, its lines
/// included, is unchanged (fragments hold no line break), so a regex written out in full in the
/// first place gives the same bytes.
fn expand_fragments(name: &str, text: &str, fragments: &fragments::Fragments) -> String {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        rules: Vec<Rule>,
    }
    #[derive(serde::Deserialize)]
    struct Rule {
        id: String,
        #[serde(default)]
        regex: Option<Spanned<String>>,
    }
    let file: File =
        toml::from_str(text).unwrap_or_else(|e| fail(format!("rules/{name}: {}", e.message())));
    let mut out = text.to_string();
    // From the end, so the spans before each edit stay where they were.
    for rule in file.rules.iter().rev() {
        let Some(regex) = &rule.regex else { continue };
        let at = |e: String| -> ! { fail(format!("rules/{name}: rule {}: {e}", rule.id)) };
        match fragments::references(regex.get_ref()) {
            Ok(names) if names.is_empty() => continue,
            Ok(_) => {}
            Err(e) => at(e),
        }
        let expanded = fragments.expand(regex.get_ref()).unwrap_or_else(|e| at(e));
        if expanded.contains("'''") || expanded.ends_with('\'') {
            at("the expanded regex holds ''' or ends with ': write it out in full".into());
        }
        out.replace_range(regex.span(), &format!("'''{expanded}'''"));
    }
    out
}

/// The parsed file with each value's span turned into its line: the lean text keeps the lines of
/// the file as written, so these are the lines a reader finds the entry on.
fn lined_file(f: File<Spanned<String>>, text: &str) -> File<Lined> {
    let starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let at = |s: Spanned<String>| Lined {
        // Newlines before the value, plus one.
        line: u32::try_from(starts.partition_point(|&nl| nl < s.span().start) + 1).unwrap(),
        value: s.into_inner(),
    };
    File {
        title: f.title,
        rules: f.rules.into_iter().map(|r| lined_rule(r, &at)).collect(),
        allowlist: f.allowlist.map(|a| lined_allowlist(a, &at)),
        allowlists: f
            .allowlists
            .into_iter()
            .map(|a| lined_allowlist(a, &at))
            .collect(),
    }
}

fn lined_rule(r: Rule<Spanned<String>>, at: &impl Fn(Spanned<String>) -> Lined) -> Rule<Lined> {
    Rule {
        id: at(r.id),
        description: r.description,
        regex: r.regex.map(at),
        secret_group: r.secret_group,
        entropy: r.entropy,
        keywords: r.keywords,
        path: r.path.map(at),
        tags: r.tags,
        aliases: r.aliases,
        allowlist: r.allowlist.map(|a| lined_allowlist(a, at)),
        allowlists: r
            .allowlists
            .into_iter()
            .map(|a| lined_allowlist(a, at))
            .collect(),
        validators: r.validators.into_iter().map(at).collect(),
        short_validator: r.short_validator.map(at),
        skip_placeholders: r.skip_placeholders,
        lines: r.lines.map(at),
        examples: r.examples,
        severity: r.severity.map(at),
    }
}

fn lined_allowlist(
    a: Allowlist<Spanned<String>>,
    at: &impl Fn(Spanned<String>) -> Lined,
) -> Allowlist<Lined> {
    let all = |v: Vec<Spanned<String>>| v.into_iter().map(at).collect();
    Allowlist {
        description: a.description,
        condition: a.condition.map(at),
        regex_target: a.regex_target.map(at),
        regexes: all(a.regexes),
        paths: all(a.paths),
        globs: all(a.globs),
        stopwords: all(a.stopwords),
        commits: all(a.commits),
        fingerprints: all(a.fingerprints),
        target_rules: all(a.target_rules),
    }
}
