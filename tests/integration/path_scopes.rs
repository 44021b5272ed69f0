//! A rule's path scope changes nothing in the files its path does not admit (issue 16, stop 24):
//! the same findings, every field, with and without a config adding a never-matching rule scoped
//! to one path shape or another. One automaton of every path rule's keywords used to run over a
//! file as soon as any path rule admitted it, and those keywords (`dsn`, `auth`, `private`) opened
//! key-path views that the content rules then read.

use crate::common::*;
use std::path::Path;

/// Files of several languages and formats, with fake secrets of real formats and the shapes the
/// key-path views read: a struct literal whose type name holds `dsn` (`BuilDSNapshot`), dicts and
/// maps under names holding `auth` and `private`, settings files.
fn write_fixtures(dir: &Path) {
    let mut fake = Fake::new(24);
    write(
        dir,
        "store/snapshot_test.go",
        "package store\n\nfunc TestBuildSnapshot(t *testing.T) {\n\tcmd := m.CreateBuildSnapshotCommand{\n\t\tKey:       \"plainvaluewithoutanyname7\",\n\t\tDeleteKey: \"removethis\",\n\t}\n\t_ = cmd\n}\n",
    );
    write(
        dir,
        "store/auth.go",
        format!(
            "package store\n\nvar defaults = AuthConfig{{\n\tPrivate: PrivateSettings{{\n\t\tToken: \"{}\",\n\t\tUser:  \"svc\",\n\t}},\n\tDsnTemplate: \"postgres://svc:{}@db:5432/app\",\n}}\n",
            fake.github_pat(),
            fake.alnum(18),
        ),
    );
    write(
        dir,
        "app/settings.py",
        format!(
            "AUTHORITY = dict(\n    key=\"plainvaluewithoutanyname3\",\n)\nprivate_settings = {{\"api_key\": \"{}\"}}\nDSN_SNAPSHOT = {{\"secret\": \"{}\"}}\n",
            fake.alnum(32),
            fake.alnum(24),
        ),
    );
    write(
        dir,
        "web/config.js",
        format!(
            "export const authSettings = {{\n  privateKey: '{}',\n  dsnSnapshot: {{ password: '{}' }},\n}};\n",
            fake.alnum(40),
            fake.alnum(16),
        ),
    );
    write(
        dir,
        "deploy/values.yaml",
        format!(
            "auth:\n  private:\n    token: {}\n  dsn:\n    password: {}\naws:\n  access_key_id: {}\n",
            fake.alnum(30),
            fake.alnum(14),
            fake.aws_key_id(),
        ),
    );
    write(
        dir,
        "deploy/app.json",
        format!(
            "{{\"auth\": {{\"client_secret\": \"{}\", \"dsn\": \"mysql://app:{}@db/app\"}}}}\n",
            fake.alnum(28),
            fake.alnum(12),
        ),
    );
    write(
        dir,
        ".env",
        format!(
            "DATABASE_URL=postgres://app:{}@db/app\nPRIVATE_TOKEN={}\n",
            fake.alnum(16),
            fake.alnum(32),
        ),
    );
    write(
        dir,
        "Cargo.toml",
        format!(
            "[package]\nname = \"x\"\n\n[auth]\nprivate_key = \"{}\"\n",
            fake.alnum(40)
        ),
    );
}

/// Every field a finding reports, and its secret: the whole of what a user sees.
fn findings(dir: &Path, config: Option<&Path>) -> Vec<String> {
    let config = config.map(|c| c.to_str().unwrap().to_string());
    let mut extra = vec![];
    if let Some(c) = &config {
        extra = vec!["-c", c.as_str()];
    }
    let v = scan_dir_json(dir, &extra);
    sorted_finding_rows(&v, |f| {
        format!(
            "{} {} {}:{}-{}:{} {} {}",
            f.s("rule_id"),
            f.s("path"),
            f.n("line"),
            f.n("column"),
            f.n("end_line"),
            f.n("end_column"),
            f.s("secret"),
            f.s("fingerprint"),
        )
    })
}

#[test]
fn a_never_matching_path_rule_changes_no_finding_whatever_its_path() {
    let root = tempfile::tempdir().unwrap();
    let files = root.path().join("files");
    write_fixtures(&files);
    let configs = root.path().join("configs");
    let without = findings(&files, None);
    assert!(
        without.len() >= 8,
        "the fixtures give findings: {without:#?}"
    );
    // The rule never matches and its keyword occurs nowhere; only its path differs. The paths:
    // one language, another, every file, config formats, a directory, a file name.
    let paths = [
        r"\.go$",
        r"\.py$",
        r".",
        r"(?i)\.(ya?ml|json|toml)$",
        r"^store/",
        r"(^|/)\.env$",
    ];
    for (i, path) in paths.iter().enumerate() {
        let config = write(
            &configs,
            &format!("c{i}.toml"),
            format!(
                "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"never-{i}\"\nregex = '''zqxjkvbw_[0-9]{{40}}'''\nkeywords = [\"zqxjkvbw_\"]\npath = '''{path}'''\n"
            ),
        );
        assert_eq!(
            findings(&files, Some(&config)),
            without,
            "a never-matching rule with path {path} changed the findings"
        );
    }
}

/// The same over the repository's own fixture sets: hundreds of files of every shape.
#[test]
fn a_never_matching_path_rule_changes_no_finding_in_the_fixture_sets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let configs = tempfile::tempdir().unwrap();
    for set in ["quality", "quality2", "shapes"] {
        let dir = root.join(set);
        if !dir.is_dir() {
            continue;
        }
        let without = findings(&dir, None);
        for (i, path) in [r"\.go$", r"\.py$", r"."].iter().enumerate() {
            let config = write(
                configs.path(),
                &format!("c{i}.toml"),
                format!(
                    "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"never-{i}\"\nregex = '''zqxjkvbw_[0-9]{{40}}'''\nkeywords = [\"zqxjkvbw_\"]\npath = '''{path}'''\n"
                ),
            );
            assert_eq!(
                findings(&dir, Some(&config)),
                without,
                "{set}: a never-matching rule with path {path} changed the findings"
            );
        }
    }
}
