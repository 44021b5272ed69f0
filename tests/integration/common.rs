//! Shared test helpers: run the real binary, make fake secrets of real formats (never real ones).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_leakguard"))
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both streams, for assertion messages and for searching the whole output.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// The report's `stats.notes` (stdout must be a JSON report).
    pub fn notes(&self) -> Vec<String> {
        notes(&self.json())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
}

pub fn run_of(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_of(
        Command::new(bin())
            .args(args)
            .current_dir(dir)
            .env_remove("LEAKGUARD_CONFIG")
            .env("NO_COLOR", "1")
            .output()
            .expect("run leakguard"),
    )
}

/// A deterministic generator of fake secrets: the real alphabet and length, random-looking, and
/// checked to contain no placeholder-like runs so that it must be detected.
pub struct Fake(u64);

/// A word with its first letter in upper case (`api` → `Api`), for camel and Pascal case names.
pub fn cap(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|h| h.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A name's words in camel case (`["api", "key"]` → `apiKey`).
pub fn camel<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == 0 {
                w.as_ref().to_string()
            } else {
                cap(w.as_ref())
            }
        })
        .collect()
}

impl Fake {
    pub fn new(seed: u64) -> Fake {
        Fake(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1)
    }

    /// A signed token with the given header and claims (JSON text) and a random 43-character
    /// signature: the shape of an HS256 JWT, for the noise tests' test vectors and their real twins.
    pub fn jwt(&mut self, header: &str, claims: &str) -> String {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        let head = URL_SAFE_NO_PAD.encode(header);
        let body = URL_SAFE_NO_PAD.encode(claims);
        let sig = self.from_alphabet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            43,
        );
        format!("{head}.{body}.{sig}")
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    #[allow(clippy::wrong_self_convention)] // a generator's method, not a conversion
    pub fn from_alphabet(&mut self, alphabet: &str, n: usize) -> String {
        let a: Vec<char> = alphabet.chars().collect();
        loop {
            let s: String = (0..n)
                .map(|_| a[(self.next() % a.len() as u64) as usize])
                .collect();
            if !leakguard::filters::looks_like_placeholder(s.as_bytes()) {
                return s;
            }
        }
    }

    pub fn alnum(&mut self, n: usize) -> String {
        self.from_alphabet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            n,
        )
    }

    /// `n` lines of 64 base64 characters: a PEM body's shape.
    pub fn base64_lines(&mut self, n: usize) -> Vec<String> {
        (0..n)
            .map(|_| {
                self.from_alphabet(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                    64,
                )
            })
            .collect()
    }

    pub fn hex(&mut self, n: usize) -> String {
        self.from_alphabet("0123456789abcdef", n)
    }

    /// A random key's shape: letters and digits both, long enough (28) that its entropy clears the
    /// generic floor (3.5) whatever the draw (20 characters fell under it once in a few hundred).
    pub fn generic_key(&mut self) -> String {
        [self.alnum(13), "7".into(), self.alnum(14)].concat()
    }

    /// A random version-4 UUID (variant `a`).
    pub fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-a{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            self.hex(3),
            self.hex(12)
        )
    }

    /// `n` random bytes (from the generator's hex).
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let h = self.hex(2 * n);
        (0..n)
            .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    /// An Atlassian Data Center personal access token (Jira, Confluence, Bitbucket, Bamboo):
    /// base64 of `<12-digit id>:<20 random bytes>`.
    pub fn atlassian_datacenter_pat(&mut self) -> String {
        use base64::Engine as _;
        let mut raw = self.from_alphabet("0123456789", 12).into_bytes();
        raw.push(b':');
        raw.extend(self.bytes(20));
        base64::engine::general_purpose::STANDARD.encode(raw)
    }

    pub fn github_pat(&mut self) -> String {
        format!("ghp_{}", self.alnum(36))
    }

    pub fn aws_key_id(&mut self) -> String {
        format!(
            "AKIA{}",
            self.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        )
    }

    pub fn openai_project(&mut self) -> String {
        format!(
            "sk-proj-{}",
            self.from_alphabet(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                120
            )
        )
    }

    pub fn slack_bot(&mut self) -> String {
        format!(
            "xoxb-{}-{}-{}",
            self.from_alphabet("0123456789", 12),
            self.from_alphabet("0123456789", 13),
            self.alnum(24)
        )
    }
}

/// `n` bytes drawn from `alphabet` by xorshift64 from state `x` (advanced): text with no pattern but
/// its alphabet's, as fast as a test needs for megabytes.
pub fn xorshift_text(alphabet: &[u8], n: usize, x: &mut u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            *x ^= *x << 13;
            *x ^= *x >> 7;
            *x ^= *x << 17;
            alphabet[(*x % alphabet.len() as u64) as usize]
        })
        .collect()
}

pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, content).unwrap();
    p
}

/// One finding of a JSON report, read by field name: each test names the fields it compares.
pub struct Finding<'a>(&'a serde_json::Value);

impl Finding<'_> {
    /// A string field; a null or absent one is empty (secrets without `--show-secrets`).
    pub fn s(&self, key: &str) -> String {
        self.0[key].as_str().unwrap_or("").to_string()
    }

    /// A string field that may be null (`archive_member`).
    pub fn opt(&self, key: &str) -> Option<String> {
        self.0[key].as_str().map(str::to_string)
    }

    /// A number field (`line`, `column`), which every finding has.
    pub fn n(&self, key: &str) -> u64 {
        self.0[key]
            .as_u64()
            .unwrap_or_else(|| panic!("finding without a numeric {key}: {}", self.0))
    }

    /// A list of strings (`decoded`); absent is empty.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.0[key]
            .as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    }
}

/// Every finding of a JSON report as `row` reads it, in report order.
pub fn finding_rows<T>(v: &serde_json::Value, row: impl Fn(Finding) -> T) -> Vec<T> {
    v["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("a report without a findings array: {v}"))
        .iter()
        .map(|f| row(Finding(f)))
        .collect()
}

/// `finding_rows`, sorted: the tests that compare a set of findings, whatever the engine's order.
pub fn sorted_finding_rows<T: Ord>(v: &serde_json::Value, row: impl Fn(Finding) -> T) -> Vec<T> {
    let mut rows = finding_rows(v, row);
    rows.sort();
    rows
}

/// The `path` of every finding of a JSON report, in report order.
pub fn finding_paths(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

/// The `rule_id` of every finding of a JSON report, in report order.
pub fn rule_ids(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

/// (rule_id, line) of every finding of a JSON report, in report order.
pub fn rule_lines(v: &serde_json::Value) -> Vec<(String, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Two string fields of every finding of a JSON report, in report order; a null one is empty.
pub fn string_pairs(v: &serde_json::Value, a: &str, b: &str) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let field = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (field(a), field(b))
        })
        .collect()
}

/// The (path, rule id) of every finding of one of `rules` in one scan of `files` (`scan_files_json`):
/// what a near-miss test wants empty.
pub fn findings_of_rules<N: AsRef<str>, C: AsRef<[u8]>>(
    files: &[(N, C)],
    rules: &[&str],
) -> Vec<(String, String)> {
    string_pairs(&scan_files_json(files), "path", "rule_id")
        .into_iter()
        .filter(|(_, rule)| rules.contains(&rule.as_str()))
        .collect()
}

/// The (rule id, secret) of every finding of a JSON report (made with `--show-secrets`), by path.
pub fn rule_secrets_by_path(
    v: &serde_json::Value,
) -> std::collections::HashMap<String, Vec<(String, String)>> {
    let mut by_path: std::collections::HashMap<String, Vec<(String, String)>> = Default::default();
    for f in v["findings"].as_array().unwrap() {
        let field = |k: &str| f[k].as_str().unwrap_or("").to_string();
        by_path
            .entry(field("path"))
            .or_default()
            .push((field("rule_id"), field("secret")));
    }
    by_path
}

/// The JSON report of `leakguard scan . --no-ignore --show-secrets` over a temporary tree of `files`
/// (relative name, content), which must exit 0 or 1.
pub fn scan_files_json<N: AsRef<str>, C: AsRef<[u8]>>(files: &[(N, C)]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        write(dir.path(), name.as_ref(), content);
    }
    let run = run_in(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--no-ignore",
            "--show-secrets",
        ],
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.all());
    run.json()
}

/// `scan_files_json`'s (rule id, secret) of every finding, by path.
pub fn scan_files_by_path<N: AsRef<str>, C: AsRef<[u8]>>(
    files: &[(N, C)],
) -> std::collections::HashMap<String, Vec<(String, String)>> {
    rule_secrets_by_path(&scan_files_json(files))
}

/// Every description of `want` (path, description, value) whose value no finding of its file in
/// `files` reports as the secret: one scan of them all.
pub fn missed_values(files: &[(String, String)], want: &[(String, String, String)]) -> Vec<String> {
    missed_by(files, want, None)
}

/// `missed_values`, where only a finding of rule `rule` counts.
pub fn missed_values_of_rule(
    files: &[(String, String)],
    want: &[(String, String, String)],
    rule: &str,
) -> Vec<String> {
    missed_by(files, want, Some(rule))
}

/// Each (file, template) under each name, a file a cell: `{N}` is the name, `{V}` a fresh value of
/// `value`'s kind. The cells (`template / name`) whose value no finding reports, where `rule` is
/// given none of that rule's: one scan of them all.
pub fn missed_names_by_shapes(
    seed: u64,
    names: &[&str],
    shapes: &[(&str, &str)],
    value: impl Fn(&mut Fake) -> String,
    rule: Option<&str>,
) -> Vec<String> {
    let mut f = Fake::new(seed);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (si, (file, template)) in shapes.iter().enumerate() {
        for (ni, name) in names.iter().enumerate() {
            let v = value(&mut f);
            let path = format!("c{si:02}n{ni}/{file}");
            files.push((
                path.clone(),
                format!("{}\n", template.replace("{N}", name).replace("{V}", &v)),
            ));
            want.push((path, format!("{template} / {name}"), v));
        }
    }
    missed_by(&files, &want, rule)
}

/// Every description of `want` (path, description, value, rule) whose value no finding of that
/// rule in its file reports: `missed_values_of_rule` for cells of several rules, one scan of them all.
pub fn missed_values_each_of_its_rule<R: AsRef<str>>(
    files: &[(String, String)],
    want: &[(String, String, String, R)],
) -> Vec<String> {
    let by_path = scan_files_by_path(files);
    want.iter()
        .filter(|(path, _, value, rule)| {
            !by_path
                .get(path)
                .is_some_and(|found| found.iter().any(|(r, s)| s == value && r == rule.as_ref()))
        })
        .map(|(_, what, _, _)| what.clone())
        .collect()
}

/// Each (rule, key) written alone as `key = "…"` in a Python file of its own: the cells (`rule: key`)
/// whose key no finding of that rule reports, one scan of them all.
pub fn missed_keys_of_rules(keys: &[(&str, String)]) -> Vec<String> {
    let files: Vec<(String, String)> = keys
        .iter()
        .enumerate()
        .map(|(i, (_, k))| (format!("k{i}.py"), format!("key = \"{k}\"\n")))
        .collect();
    let want: Vec<_> = keys
        .iter()
        .enumerate()
        .map(|(i, (rule, k))| (format!("k{i}.py"), format!("{rule}: {k}"), k.clone(), *rule))
        .collect();
    missed_values_each_of_its_rule(&files, &want)
}

fn missed_by(
    files: &[(String, String)],
    want: &[(String, String, String)],
    rule: Option<&str>,
) -> Vec<String> {
    let by_path = scan_files_by_path(files);
    want.iter()
        .filter(|(path, _, value)| {
            !by_path.get(path).is_some_and(|found| {
                found
                    .iter()
                    .any(|(r, s)| s == value && rule.is_none_or(|want| r == want))
            })
        })
        .map(|(_, what, _)| what.clone())
        .collect()
}

/// The JSON report of `leakguard scan . --no-ignore --show-secrets --no-baseline --exit-zero` in
/// `dir`, with `extra` arguments after them.
pub fn scan_dir_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "scan",
        ".",
        "--no-ignore",
        "--format",
        "json",
        "--show-secrets",
        "--no-baseline",
        "--exit-zero",
    ];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args);
    assert_eq!(run.code, 0, "{}", run.all());
    run.json()
}

/// (secret, commit) of every finding of a JSON report, in report order; the commit is empty for a
/// finding that has none.
pub fn secret_commits(v: &serde_json::Value) -> Vec<(String, String)> {
    string_pairs(v, "secret", "commit")
}

/// The `stats.notes` of a JSON report.
pub fn notes(v: &serde_json::Value) -> Vec<String> {
    v["stats"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

/// Validates a SARIF file with the official OASIS 2.1.0 schema (draft-04, vendored in tests/schemas)
/// through python's `jsonschema`, which .ci/run installs.
#[allow(dead_code)]
pub fn validate_sarif(file: &Path) {
    let schema = std::env::var("LEAKGUARD_SARIF_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json")
        });
    assert!(
        schema.is_file(),
        "SARIF schema not found at {}",
        schema.display()
    );
    let script = "import json,sys,jsonschema\nschema=json.load(open(sys.argv[1]))\ndoc=json.load(open(sys.argv[2]))\n\
                  errs=list(jsonschema.Draft4Validator(schema).iter_errors(doc))\n[print(e.message, list(e.path)) for e in errs]\nsys.exit(1 if errs else 0)\n";
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&schema)
        .arg(file)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "SARIF does not validate against {} (is python jsonschema installed? pip install jsonschema):\n{}{}",
        schema.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes each `(path, content, lines)` under `dir`, scans the tree (`--no-ignore`) and asserts that
/// the findings are exactly those lines: a finding elsewhere is a false alarm, a listed line without
/// one a miss. The labeled-noise tests (decoys beside the real secrets of the same shape) share it.
pub fn assert_reports_exactly(dir: &Path, files: &[(&str, String, Vec<u64>)]) {
    for (path, content, _) in files {
        write(dir, path, content);
    }
    let r = run_in(dir, &["scan", ".", "--no-ignore", "-f", "json"]);
    let found: Vec<(String, u64, String)> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut problems = Vec::new();
    for (path, line, rule) in &found {
        let wanted = files
            .iter()
            .any(|(p, _, lines)| p == path && lines.contains(line));
        if !wanted {
            problems.push(format!("false alarm {path}:{line} {rule}"));
        }
    }
    for (path, _, lines) in files {
        for line in lines {
            if !found.iter().any(|(p, l, _)| p == path && l == line) {
                problems.push(format!("missed {path}:{line}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}\nfindings: {found:#?}");
}

/// `text` in UTF-16 with its byte-order mark.
pub fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend(if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

/// (file name, text with `{V}` for the secret and `{K}` for a companion): each must be reported by
/// `rule` with the `{V}` value.
pub fn check_cells(
    rule: &str,
    seed: u64,
    cells: &[(&str, &str)],
    value: impl Fn(&mut Fake) -> String,
    companion: impl Fn(&mut Fake) -> String,
) {
    let mut f = Fake::new(seed);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, (name, text)) in cells.iter().enumerate() {
        let v = value(&mut f);
        let k = companion(&mut f);
        let path = format!("c{i}/{name}");
        files.push((path.clone(), text.replace("{V}", &v).replace("{K}", &k)));
        want.push((path, format!("{rule}: {name}: {text} [{v}]"), v));
    }
    let missed = missed_values_of_rule(&files, &want, rule);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// Near misses: no rule may report anything in these files (path, text).
pub fn assert_quiet<T: AsRef<str>>(files: Vec<(&str, T)>) {
    let files: Vec<(String, String)> = files
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.as_ref().to_string()))
        .collect();
    let got = string_pairs(&scan_files_json(&files), "path", "rule_id");
    assert!(got.is_empty(), "reported: {got:?}");
}

/// A random key of `n` letters and digits holding a lower-case letter, a capital and a digit (the
/// generic rules' validators want letters and digits both).
pub fn mixed_alnum(f: &mut Fake, n: usize) -> String {
    loop {
        let v = f.alnum(n);
        let has = |p: fn(&char) -> bool| v.chars().any(|c| p(&c));
        if has(char::is_ascii_lowercase)
            && has(char::is_ascii_uppercase)
            && has(char::is_ascii_digit)
        {
            return v;
        }
    }
}

/// Files (path, text) and the values wanted in them (path, description, value).
pub type Cells = (Vec<(String, String)>, Vec<(String, String, String)>);

/// Cells of (path, template), a file each, with `{V}` a fresh value of `value`'s kind (`{A}` and
/// `{B}` its two halves, for a value split in the file): the files and the wanted values.
pub fn cells(f: &mut Fake, shapes: &[(&str, &str)], value: impl Fn(&mut Fake) -> String) -> Cells {
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, (name, template)) in shapes.iter().enumerate() {
        let v = value(f);
        let (a, b) = v.split_at(v.len() / 2);
        let text = template
            .replace("{V}", &v)
            .replace("{A}", a)
            .replace("{B}", b);
        let path = format!("c{i:02}/{name}");
        files.push((path.clone(), format!("{text}\n")));
        want.push((path, template.to_string(), v));
    }
    (files, want)
}

/// Asserts that a finding of `rule` reports each wanted value of `cells`' files whole.
pub fn assert_all_found(files: &[(String, String)], want: &[(String, String, String)], rule: &str) {
    let missed = missed_values_of_rule(files, want, rule);
    assert!(missed.is_empty(), "{rule} missed:\n{}", missed.join("\n"));
}
