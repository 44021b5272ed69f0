//! Snapshot tests (insta) of every report leakguard writes: the five `--format`s of `scan` and of
//! `history`, the remediation file, the baseline file and the rules listing, on one small tree built
//! here with fake secrets from fixed seeds. The snapshots live in tests/integration/snapshots/.
//!
//! What depends on the machine or the moment is replaced before comparing (`normalize`): durations,
//! the version, the temporary directory, and the raw secrets of the one file that holds them (the
//! remediation file), so that the repository still scans itself clean. Every report is taken with
//! `-j 1` and `-j 4` and must be the same. After an intended change of output, re-bless them all
//! with `INSTA_UPDATE=always cargo test --profile ci -- snapshots::` (or review each with
//! `cargo insta review`), and read the diff before committing it.

use crate::common::{run_in, write, Fake, Run};
use crate::gitrepo::Repo;
use std::path::Path;

/// The demo's config: three content rules and a path rule, not the built-in catalog (whose size
/// would make every snapshot change with each new rule).
const CONFIG: &str = r#"[extend]
useDefault = false

[[rules]]
id = "github-pat"
description = "GitHub personal access token"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ghp_"]
tags = ["vcs", "github"]

[[rules]]
id = "aws-access-key-id"
description = "AWS access key ID"
regex = '''\b(AKIA[A-Z2-7]{16})\b'''
keywords = ["akia"]
tags = ["cloud", "aws"]

[[rules]]
id = "slack-bot-token"
description = "Slack bot token"
regex = '''\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24})\b'''
keywords = ["xoxb-"]

[[rules]]
id = "dotenv-file"
description = "A committed .env file"
path = '''(^|/)\.env$'''
"#;

const FORMATS: [&str; 5] = ["text", "json", "sarif", "junit", "github"];

/// The fake secrets of the demo, each with the label that stands for it in a snapshot.
struct Secrets(Vec<(&'static str, String)>);

impl Secrets {
    fn new() -> Secrets {
        let mut fake = Fake::new(20_261_128);
        Secrets(vec![
            ("[github-pat-1]", fake.github_pat()),
            ("[github-pat-2]", fake.github_pat()),
            ("[github-pat-3]", fake.github_pat()),
            ("[aws-key-1]", fake.aws_key_id()),
            ("[slack-bot-1]", fake.slack_bot()),
        ])
    }

    fn get(&self, label: &str) -> &str {
        &self.0.iter().find(|(l, _)| *l == label).unwrap().1
    }
}

/// Writes the demo tree under `root`: findings of each kind (content, path rule, a non-ASCII line,
/// a path that needs escaping in XML and workflow commands), one suppressed inline, one file too
/// large and one binary (read as its strings: no finding in it).
fn demo_tree(root: &Path, s: &Secrets) {
    write(root, ".leakguard.toml", CONFIG);
    write(
        root,
        "app.py",
        format!(
            "import os\n\nGITHUB_TOKEN = \"{}\"\nDEBUG = os.environ.get(\"DEBUG\")\n",
            s.get("[github-pat-1]")
        ),
    );
    write(
        root,
        "config/settings.ini",
        format!(
            "[aws]\nregion = eu-west-1\naws_access_key_id = {}\n",
            s.get("[aws-key-1]")
        ),
    );
    write(root, ".env", "DATABASE_URL=postgres://localhost/dev\n");
    write(
        root,
        "docs/café, notes & <todo>.md",
        format!(
            "# Notes\n\ncafé ✓ 😀 token = {} then slack {}\n",
            s.get("[github-pat-2]"),
            s.get("[slack-bot-1]")
        ),
    );
    write(
        root,
        "tests/fixture.py",
        format!(
            "TOKEN = \"{}\"  # leakguard:allow\n",
            s.get("[github-pat-3]")
        ),
    );
    write(root, "build/big.log", "progress line\n".repeat(200));
    write(
        root,
        "assets/logo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    );
}

/// Replaces what differs between machines, runs and versions with fixed words (insta filters are
/// regular expressions on the snapshot's text).
fn filters(tmp: &Path, secrets: &Secrets) -> Vec<(String, String)> {
    let mut f = Vec::new();
    // The temporary directory, as given and as the OS resolves it.
    for p in [tmp.to_path_buf(), tmp.canonicalize().unwrap()] {
        f.push((regex::escape(p.to_str().unwrap()), "[TMP]".to_string()));
    }
    for (label, secret) in &secrets.0 {
        f.push((regex::escape(secret), label.to_string()));
    }
    let version = regex::escape(env!("CARGO_PKG_VERSION"));
    f.extend(
        [
            (r#""duration_ms": \d+"#, r#""duration_ms": "[DURATION]""#),
            (r" in \d+(\.\d+)? m?s\b", " in [DURATION]"),
            (r#"time="[0-9.]+""#, r#"time="[DURATION]""#),
            (
                &format!(r#""(version|semanticVersion)": "{version}""#),
                r#""$1": "[VERSION]""#,
            ),
            (&format!("leakguard {version}"), "leakguard [VERSION]"),
            // The size of the built-in catalog, which the demo's config switches off.
            (
                r"\d+ of \d+ default rules are off",
                "[N] of [M] default rules are off",
            ),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string())),
    );
    f
}

fn normalize(text: &str, filters: &[(String, String)]) -> String {
    filters.iter().fold(text.to_string(), |t, (re, with)| {
        regex::Regex::new(re)
            .unwrap()
            .replace_all(&t, with.as_str())
            .into_owned()
    })
}

/// One place that compares a report with its snapshot: `name` is the snapshot's, `what` the command
/// that made it (shown in the snapshot's header), `text` the report as written.
fn check(name: &str, what: &str, text: &str, filters: &[(String, String)]) {
    let mut settings = insta::Settings::clone_current();
    settings.set_description(what);
    settings.set_omit_expression(true);
    for (re, with) in filters {
        settings.add_filter(re, with.as_str());
    }
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// Runs `args` with `-j 1` and `-j 4` (in `run`), asserts the exit code and that both reports are the
/// same once normalized, and returns the first.
fn same_at_any_thread_count(
    args: &[&str],
    code: i32,
    filters: &[(String, String)],
    run: impl Fn(&[&str]) -> Run,
) -> Run {
    let [first, second] = [1, 4].map(|j| {
        let j = j.to_string();
        let mut a = args.to_vec();
        a.extend(["-j", &j]);
        let r = run(&a);
        assert_eq!(r.code, code, "{a:?}: {}", r.all());
        r
    });
    assert_eq!(
        normalize(&first.stdout, filters),
        normalize(&second.stdout, filters),
        "{args:?}: -j 1 and -j 4 differ"
    );
    first
}

#[test]
fn scan_reports_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("demo");
    let secrets = Secrets::new();
    demo_tree(&root, &secrets);
    let filters = filters(tmp.path(), &secrets);
    for format in FORMATS {
        let args = ["scan", "-v", "--max-file-size", "1024", "-f", format];
        let r = same_at_any_thread_count(&args, 1, &filters, |a| run_in(&root, a));
        for (label, secret) in &secrets.0 {
            assert!(
                !r.all().contains(secret.as_str()),
                "{format}: {label} in full"
            );
        }
        check(
            &format!("scan_{format}"),
            &format!("leakguard {}", args.join(" ")),
            &r.stdout,
            &filters,
        );
    }
}

#[test]
fn baseline_file_and_rules_listing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("demo");
    let secrets = Secrets::new();
    demo_tree(&root, &secrets);
    let filters = filters(tmp.path(), &secrets);
    let r = run_in(&root, &["baseline", "create", "--output", "baseline.json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let text = std::fs::read_to_string(root.join("baseline.json")).unwrap();
    check(
        "baseline_file",
        "leakguard baseline create --output baseline.json",
        &text,
        &filters,
    );
    for (name, args) in [
        ("rules_text", &["rules"][..]),
        ("rules_json", &["rules", "--json"]),
    ] {
        let r = run_in(&root, args);
        assert_eq!(r.code, 0, "{}", r.all());
        check(
            name,
            &format!("leakguard {}", args.join(" ")),
            &r.stdout,
            &filters,
        );
    }
}

/// A history whose commit ids are the same on every run (fixed identity and dates): a token added
/// then removed (history only), a key still at HEAD, a `.env` and a commit on a tag.
fn demo_history(secrets: &Secrets) -> Repo {
    let repo = Repo::new();
    repo.write(".leakguard.toml", CONFIG);
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    repo.write(
        "app.py",
        format!("GITHUB_TOKEN = \"{}\"\n", secrets.get("[github-pat-1]")),
    );
    repo.write(".env", "DATABASE_URL=postgres://localhost/dev\n");
    repo.commit_all("add the app");
    repo.write("app.py", "GITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n");
    repo.commit_all("read the token from the environment");
    repo.write(
        "config/settings.ini",
        format!("aws_access_key_id = {}\n", secrets.get("[aws-key-1]")),
    );
    repo.commit_all("configure aws");
    repo.git(&["tag", "v1.0"]);
    repo
}

#[test]
fn history_reports_in_every_format_and_the_remediation_file() {
    let secrets = Secrets::new();
    let repo = demo_history(&secrets);
    let filters = filters(repo.tmp(), &secrets);
    for format in FORMATS {
        let args = ["history", "-f", format];
        let r = same_at_any_thread_count(&args, 1, &filters, |a| repo.leakguard(a));
        for (label, secret) in &secrets.0 {
            assert!(
                !r.all().contains(secret.as_str()),
                "{format}: {label} in full"
            );
        }
        check(
            &format!("history_{format}"),
            &format!("leakguard {}", args.join(" ")),
            &r.stdout,
            &filters,
        );
    }
    // The remediation file holds the secrets themselves: the snapshot holds their labels.
    let out = repo.tmp().join("replacements.txt");
    let r = repo.leakguard(&["history", "--remediation", out.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.all());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(secrets.get("[github-pat-1]")));
    check(
        "history_remediation_file",
        "leakguard history --remediation replacements.txt",
        &text,
        &filters,
    );
}
