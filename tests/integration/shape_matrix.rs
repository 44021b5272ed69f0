//! The family-by-shape matrix shared by the catalog-breadth tests (kb26.rs, kb37.rs, …).
//!
//! A test file lists its families (a credential's name word by word, its vendor, a generated value and
//! the format rule that must report it) and the shapes it writes them in (its own `shapes` table or
//! the shared [`core_shapes`], plus a provider's own shapes per family). [`scan`] writes every cell's file and scans them all at
//! once; [`check`] then asks that every cell is found (but those its `known_misses` names, which must
//! stay missed so a fixed miss gets guarded), and that the family's own rule reports it in the core
//! shapes and in the family's own shapes.

use crate::common::*;
use std::collections::HashMap;

/// One credential family of a matrix.
pub struct Family {
    pub key: &'static str,
    /// The credential's name, word by word (each shape writes it in its naming convention).
    pub words: &'static [&'static str],
    /// The vendor's word for class names and nested sections.
    pub vendor: &'static str,
    pub value: String,
    /// What a finding must overlap (the value itself, or its secret part).
    pub secret: String,
    /// The format rule that must report it in the core shapes and the family's own shapes.
    pub rule: &'static str,
    /// Whether the file's shared shapes apply (a family with its own shapes only sets false).
    pub generic_shapes: bool,
}

/// A family whose whole value is the secret, written in every shared shape.
pub fn fam(
    key: &'static str,
    words: &'static [&'static str],
    vendor: &'static str,
    value: String,
    rule: &'static str,
) -> Family {
    Family {
        key,
        words,
        vendor,
        secret: value.clone(),
        value,
        rule,
        generic_shapes: true,
    }
}

/// (shape, file name, text): one cell's file.
pub type Shape = (&'static str, &'static str, String);

pub struct Cell {
    pub family: &'static str,
    pub shape: &'static str,
    pub secret: String,
    pub rule: &'static str,
    /// A provider's own shape (see `check`'s `own_by_rule`).
    pub own: bool,
}

/// Findings (rule, secret) by file.
pub type FoundByPath = HashMap<String, Vec<(String, String)>>;

/// Every family's cells, written as `<family>/<shape>/<file>`, and the findings of one scan of them.
/// `shapes(words, vendor, value)` gives the shared shapes; `own(family, value)` a family's own.
pub fn scan(
    families: Vec<Family>,
    shapes: impl Fn(&[&str], &str, &str) -> Vec<Shape>,
    mut own: impl FnMut(&str, &str) -> Vec<Shape>,
) -> (Vec<(String, Cell)>, FoundByPath) {
    let mut files = Vec::new();
    let mut cells = Vec::new();
    for fam in families {
        let mut all: Vec<(Shape, bool)> = if fam.generic_shapes {
            shapes(fam.words, fam.vendor, &fam.value)
                .into_iter()
                .map(|s| (s, false))
                .collect()
        } else {
            vec![]
        };
        all.extend(own(fam.key, &fam.value).into_iter().map(|s| (s, true)));
        for ((shape, file, text), own) in all {
            let path = format!("{}/{}/{}", fam.key, shape, file);
            files.push((path.clone(), text));
            cells.push((
                path,
                Cell {
                    family: fam.key,
                    shape,
                    secret: fam.secret.clone(),
                    rule: fam.rule,
                    own,
                },
            ));
        }
    }
    let found = scan_files_by_path(&files);
    (cells, found)
}

/// A finding's secret and a cell's secret overlap: one holds the other.
pub fn overlaps(found: &str, secret: &str) -> bool {
    !found.is_empty() && (secret.contains(found) || found.contains(secret))
}

/// Every cell found (but `known_misses`, which must stay missed), and the family's own rule
/// reporting it in every `core` shape, and in the family's own shapes if `own_by_rule` (a matrix
/// whose own shapes are a neighbour rule's, such as an Okta `SSWS` header, sets false); at least
/// `min_cells` cells.
pub fn check(
    (cells, found): &(Vec<(String, Cell)>, FoundByPath),
    core: &[&str],
    own_by_rule: bool,
    known_misses: &[(&str, &str)],
    min_cells: usize,
) {
    let mut missed = Vec::new();
    let mut not_by_rule = Vec::new();
    let mut fixed = Vec::new();
    for (path, cell) in cells {
        let got = found.get(path).cloned().unwrap_or_default();
        let hit = got.iter().any(|(_, s)| overlaps(s, &cell.secret));
        let known = known_misses.contains(&(cell.family, cell.shape));
        if !hit && !known {
            missed.push(format!("{} x {}: {got:?}", cell.family, cell.shape));
        }
        if hit && known {
            fixed.push(format!("{} x {}", cell.family, cell.shape));
        }
        if ((own_by_rule && cell.own) || core.contains(&cell.shape))
            && !got
                .iter()
                .any(|(r, s)| r == cell.rule && overlaps(s, &cell.secret))
        {
            not_by_rule.push(format!(
                "{} x {} (want {}): {got:?}",
                cell.family, cell.shape, cell.rule
            ));
        }
    }
    assert!(cells.len() >= min_cells, "{} cells", cells.len());
    assert!(missed.is_empty(), "cells missed: {missed:#?}");
    assert!(
        not_by_rule.is_empty(),
        "format rule absent: {not_by_rule:#?}"
    );
    // A known miss now found: take it off the list so that it is guarded too.
    assert!(fixed.is_empty(), "known misses now found: {fixed:#?}");
}

/// The names of `core_shapes`' shapes, in order: the cells where a family's own rule must report
/// its value (`check`'s `core`).
pub fn core_shape_names() -> Vec<&'static str> {
    core_shapes(&["api", "key"], "vendor", "value")
        .into_iter()
        .map(|(name, _, _)| name)
        .collect()
}

/// The shared shapes of the vendor matrices (kb37.rs, kb39.rs): every shape of `v` under the name
/// `words` (`.env`, YAML, JSON, TOML, properties, Python, Go, Java, shell, JS, PHP, compose, a
/// section named for `vendor`).
pub fn core_shapes(words: &[&str], vendor: &str, v: &str) -> Vec<Shape> {
    let e = words
        .iter()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    let s = words.join("_");
    let c = camel(words);
    let d = words.join(".");
    let vl = vendor.to_lowercase();
    let w0 = words[0];
    vec![
        ("env", ".env", format!("{e}={v}\n")),
        ("yaml-plain", "config.yml", format!("{s}: {v}\n")),
        (
            "json",
            "config.json",
            format!("{{\n  \"{c}\": \"{v}\"\n}}\n"),
        ),
        ("toml", "config.toml", format!("[{w0}]\n{s} = \"{v}\"\n")),
        ("properties", "application.properties", format!("{d}={v}\n")),
        ("py-assign", "settings.py", format!("{e} = \"{v}\"\n")),
        (
            "go-assign",
            "main.go",
            format!("package main\n\nconst {c} = \"{v}\"\n"),
        ),
        (
            "java-assign",
            "Config.java",
            format!("class Config {{\n    private static final String {e} = \"{v}\";\n}}\n"),
        ),
        ("shell-export", "setup.sh", format!("export {e}=\"{v}\"\n")),
        (
            "js-object",
            "config.js",
            format!("module.exports = {{\n  {c}: '{v}',\n}};\n"),
        ),
        (
            "php-array",
            "settings.php",
            format!("<?php\nreturn [\n    '{s}' => '{v}',\n];\n"),
        ),
        (
            "compose-list",
            "compose.yaml",
            format!("services:\n  app:\n    environment:\n      - {e}={v}\n"),
        ),
        ("yaml-nested", "app.yml", format!("{vl}:\n  {s}: {v}\n")),
        (
            "json-nested",
            "appsettings.json",
            format!("{{\n  \"{vendor}\": {{\n    \"{c}\": \"{v}\"\n  }}\n}}\n"),
        ),
    ]
}
