//! A credential's name and its literal on two lines, as formatters write a long call or property
//! (stop 38, rules/lead38.toml): black's `os.environ.get(⏎ "X_TOKEN",⏎ "…",⏎)`, a hand-wrapped
//! `getenv("X_TOKEN",⏎ "…")`, Laravel's `env('X_SECRET',⏎ '…')`, Java's `getOrDefault`, Go's
//! `getEnv` helpers, Ruby's `ENV.fetch`, and prettier's `apiKey:⏎ "…"` in JS/TS; with LF and CRLF
//! line ends.
//! Each cell is a file of its own with a fresh fake value and must be reported with that value;
//! the near misses beside them (a list of names, a reference, a stand-in, prose, a name that ends
//! with another word) stay quiet.

use crate::common::*;

/// (shape, file name, template): `{V}` is the value, `{N}` the credential's name.
const SHAPES: &[(&str, &str, &str)] = &[
    (
        "Python: black's three lines",
        "settings.py",
        "VALUE = os.environ.get(\n    \"{N}\",\n    \"{V}\",\n)\n",
    ),
    (
        "Python: getenv, default on the next line",
        "config.py",
        "VALUE = os.getenv(\"{N}\",\n                  \"{V}\")\n",
    ),
    (
        "Python: black's three lines, getenv",
        "app.py",
        "VALUE = getenv(\n    \"{N}\", \"{V}\"\n)\n",
    ),
    (
        "PHP: Laravel env()",
        "config/services.php",
        "<?php\nreturn [\n    'value' => env('{N}',\n        '{V}'),\n];\n",
    ),
    (
        "Java: getOrDefault",
        "Config.java",
        "class Config {\n  String v = System.getenv().getOrDefault(\"{N}\",\n      \"{V}\");\n}\n",
    ),
    (
        "Go: getEnv helper",
        "main.go",
        "package main\n\nvar v = getEnv(\"{N}\",\n\t\"{V}\")\n",
    ),
    (
        "Ruby: ENV.fetch",
        "boot.rb",
        "VALUE = ENV.fetch(\"{N}\",\n  \"{V}\")\n",
    ),
    (
        "JS: prettier's property",
        "config.js",
        "module.exports = {\n  {N}:\n    \"{V}\",\n};\n",
    ),
    (
        "TS: prettier's quoted property",
        "client.ts",
        "const headers = {\n  \"{N}\":\n    '{V}',\n};\n",
    ),
];

/// Credential names in the naming conventions the shapes use.
const NAMES: &[&str] = &[
    "API_TOKEN",
    "STRIPE_SECRET",
    "DB_PASSWORD",
    "SERVICE_API_KEY",
    "apiKey",
    "accessToken",
];

fn value(f: &mut Fake) -> String {
    // Letters and digits both, never a run a placeholder filter would take for a stand-in.
    [f.alnum(11), "4".into(), f.alnum(13)].concat()
}

#[test]
fn a_name_and_its_literal_on_two_lines_are_found_in_every_shape() {
    let mut f = Fake::new(3801);
    // (cell, file name, value, text)
    let mut cells: Vec<(String, String, String, String)> = Vec::new();
    for (i, (shape, file, t)) in SHAPES.iter().enumerate() {
        for (j, name) in NAMES.iter().enumerate() {
            for crlf in [false, true] {
                let v = value(&mut f);
                let mut text = t.replace("{N}", name).replace("{V}", &v);
                if crlf {
                    text = text.replace('\n', "\r\n");
                }
                let path = format!("s{i}/n{j}/{}/{file}", if crlf { "crlf" } else { "lf" });
                cells.push((format!("{shape} × {name} (crlf: {crlf})"), path, v, text));
            }
        }
    }
    let files: Vec<(&str, &str)> = cells
        .iter()
        .map(|(_, p, _, t)| (p.as_str(), t.as_str()))
        .collect();
    let by_path = scan_files_by_path(&files);
    let missed: Vec<String> = cells
        .iter()
        .filter(|(_, path, v, _)| {
            !by_path
                .get(path)
                .is_some_and(|hits| hits.iter().any(|(_, secret)| secret == v))
        })
        .map(|(cell, path, _, _)| format!("{cell}: {:?}", by_path.get(path)))
        .collect();
    assert_eq!(cells.len(), SHAPES.len() * NAMES.len() * 2);
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn near_misses_of_two_line_shapes_stay_quiet() {
    let mut f = Fake::new(3802);
    let v = value(&mut f);
    let near: Vec<(&str, String)> = vec![
        // A list or a tuple of names: the next string is another name.
        (
            "a.py",
            format!("FIELDS = (\"api_token\",\n          \"client_{v}\")\n"),
        ),
        (
            "b.ps1",
            format!("FunctionsToExport = @('Unprotect-Win32Credential',\n    'Get-{v}')\n"),
        ),
        ("c.js", format!("const names = [\"apiKey\",\n  \"{v}\"];\n")),
        // A reference, a stand-in, an empty default, a constant's name, prose.
        (
            "d.py",
            "VALUE = os.getenv(\"API_TOKEN\",\n                  \"${API_TOKEN}\")\n".into(),
        ),
        (
            "e.py",
            "VALUE = os.environ.get(\n    \"DB_PASSWORD\",\n    \"your-db-password-here\",\n)\n"
                .into(),
        ),
        (
            "f.py",
            "VALUE = os.environ.get(\n    \"DB_PASSWORD\",\n    \"\",\n)\n".into(),
        ),
        (
            "g.py",
            "VALUE = os.getenv(\"API_TOKEN\",\n                  \"API_TOKEN_DEFAULT\")\n".into(),
        ),
        (
            "h.js",
            "const labels = {\n  password:\n    \"Enter the password you chose\",\n};\n".into(),
        ),
        // The name ends with another word than the credential's.
        (
            "i.py",
            format!("VALUE = os.getenv(\"API_KEY_ID\",\n                  \"{v}\")\n"),
        ),
        // A default that is a variable, not a literal.
        (
            "j.py",
            "VALUE = os.getenv(\"API_TOKEN\",\n                  DEFAULT_TOKEN)\n".into(),
        ),
    ];
    let by_path = scan_files_by_path(&near);
    assert!(by_path.is_empty(), "{by_path:#?}");
}
