//! Which hit stands on a value two rules match, and what is counted when one is dropped: a hit
//! takes the value from a vaguer rule's hit only once it survives its own rule's allowlists, so a
//! suppressed hit never hides another rule's finding; the user's word on a value (an inline marker,
//! an untargeted global allowlist) holds whoever finds it; every suppression is counted.

use crate::common::*;
use crate::gitrepo::{self, Repo};

const LOWER_ALNUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// A format rule (`acme_` and 32 characters) whose own allowlist drops lines that say `vendored`,
/// and a generic rule that reads any long value assigned to `token`, which matches the same value.
const RULES: &str = r#"
[[rules]]
id = "acme-token"
regex = '''\b(acme_[a-z0-9]{32})\b'''
keywords = ["acme_"]

[[rules.allowlists]]
regexTarget = "line"
regexes = ['''vendored''']

[[rules]]
id = "gen-token"
tags = ["generic"]
regex = '''token\s*=\s*"([^"]{20,})"'''
keywords = ["token"]
"#;

fn acme(f: &mut Fake) -> String {
    format!("acme_{}", f.from_alphabet(LOWER_ALNUM, 32))
}

/// Scans `files` (with `config` as `.leakguard.toml`) and returns the JSON report.
fn scan(config: &str, files: &[(&str, String)]) -> serde_json::Value {
    let mut tree = vec![(".leakguard.toml", config.to_string())];
    tree.extend(files.iter().cloned());
    scan_files_json(&tree)
}

/// (kind, source, rule, count) of `stats.suppressed`.
fn suppressed(v: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    v["stats"]["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_string(),
                s["source"].as_str().unwrap().to_string(),
                s["rule_id"].as_str().unwrap_or_default().to_string(),
                s["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// (rule, path, secret) of every finding.
fn found(v: &serde_json::Value) -> Vec<(String, String, String)> {
    sorted_finding_rows(v, |f| (f.s("rule_id"), f.s("path"), f.s("secret")))
}

fn triple(rule: &str, path: &str, secret: &str) -> (String, String, String) {
    (rule.into(), path.into(), secret.into())
}

#[test]
fn a_vaguer_rules_finding_stands_where_the_precise_rules_hit_is_dropped_by_its_own_allowlist() {
    let mut f = Fake::new(1901);
    let (dropped, kept) = (acme(&mut f), acme(&mut f));
    let v = scan(
        RULES,
        &[
            ("a.py", format!("token = \"{dropped}\"  # vendored\n")),
            ("b.py", format!("token = \"{kept}\"\n")),
        ],
    );
    assert_eq!(
        found(&v),
        vec![
            // One secret, one finding, under its most precise name.
            triple("acme-token", "b.py", &kept),
            // acme-token's allowlist speaks for acme-token alone: the value is still a token.
            triple("gen-token", "a.py", &dropped),
        ],
    );
    // The dropped hit is counted, under the entry that dropped it.
    let counts = suppressed(&v);
    assert_eq!(counts.len(), 1, "{counts:?}");
    let (kind, source, rule, n) = &counts[0];
    assert_eq!(
        (kind.as_str(), rule.as_str(), *n),
        ("allowlist", "acme-token", 1)
    );
    assert!(source.starts_with(".leakguard.toml:"), "{source}");
}

#[test]
fn the_users_word_on_a_value_holds_whoever_finds_it_unless_it_names_its_rules() {
    let mut f = Fake::new(1902);
    let value = acme(&mut f);
    let line = format!("token = \"{value}\"\n");
    let only = |config: &str, path: &str| {
        let v = scan(config, &[(path, line.clone())]);
        (found(&v), suppressed(&v))
    };
    // A global allowlist of the value, of the path, or of the finding's fingerprint: the value is
    // accepted, and no other rule reports it. One suppression, the precise rule's.
    // A prefix of the value: the config file, scanned too, must not hold it whole.
    let prefix = &value[..13];
    let secret = format!("{RULES}\n[[allowlists]]\nregexes = ['''^{prefix}''']\n");
    let path = format!("{RULES}\n[[allowlists]]\npaths = ['''^vendor/''']\n");
    for (config, at) in [(&secret, "a.py"), (&path, "vendor/a.py")] {
        let (hits, counts) = only(config, at);
        assert!(hits.is_empty(), "{hits:?}");
        assert_eq!(counts.len(), 1, "{counts:?}");
        assert_eq!((counts[0].2.as_str(), counts[0].3), ("acme-token", 1));
    }
    let v = scan(RULES, &[("a.py", line.clone())]);
    let fp = v["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(fp.starts_with("acme-token:"), "{fp}");
    let by_fp = format!("{RULES}\n[[allowlists]]\nfingerprints = [\"{fp}\"]\n");
    let (hits, counts) = only(&by_fp, "a.py");
    assert!(hits.is_empty(), "{hits:?}");
    assert_eq!(counts.len(), 1, "{counts:?}");
    // An inline marker: the same.
    let v = scan(
        RULES,
        &[("a.py", format!("token = \"{value}\"  # leakguard:allow\n"))],
    );
    assert!(found(&v).is_empty());
    assert_eq!(
        suppressed(&v),
        vec![("inline".into(), "a.py:1".into(), "acme-token".into(), 1)]
    );
    // A global allowlist limited to the precise rule by targetRules is that rule's own: the value
    // is still the generic rule's finding.
    let targeted = format!(
        "{RULES}\n[[allowlists]]\ntargetRules = [\"acme-token\"]\nregexes = ['''^{prefix}''']\n"
    );
    let (hits, counts) = only(&targeted, "a.py");
    assert_eq!(hits, vec![triple("gen-token", "a.py", &value)]);
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(counts[0].2, "acme-token");
}

#[test]
fn a_commented_example_is_counted_with_its_file_and_line() {
    let mut f = Fake::new(1903);
    let value = f.alnum(24);
    let v = scan(
        RULES,
        &[(
            "examples/client.py",
            format!("# For example:\ntoken = \"{value}\"\n"),
        )],
    );
    assert!(found(&v).is_empty(), "{:?}", found(&v));
    assert_eq!(
        suppressed(&v),
        vec![(
            "comment-example".into(),
            "examples/client.py:2".into(),
            "gen-token".into(),
            1
        )]
    );
    // The summary line says it too.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".leakguard.toml", RULES);
    write(
        dir.path(),
        "examples/client.py",
        format!("# For example:\ntoken = \"{value}\"\n"),
    );
    let run = run_in(dir.path(), &["scan", ".", "--no-ignore"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.all()
            .contains("1 by commented example (examples/client.py:2)"),
        "{}",
        run.all()
    );
    // In an application's own code the example was copied into, comment and all, the value is
    // its live key (FastAPI's tutorial `SECRET_KEY` under `# to get a string like this run:`).
    let v = scan(
        RULES,
        &[(
            "app/core/security.py",
            format!(
                "# to get a string like this run:\n# openssl rand -hex 32\ntoken = \"{value}\"\n"
            ),
        )],
    );
    assert_eq!(
        found(&v),
        vec![triple("gen-token", "app/core/security.py", &value)]
    );
    assert!(suppressed(&v).is_empty(), "{:?}", suppressed(&v));
}

#[test]
fn a_marker_inside_decoded_text_is_counted() {
    use base64::Engine as _;
    let mut f = Fake::new(1904);
    let value = acme(&mut f);
    let inner = format!("token = \"{value}\"  # leakguard:allow\n");
    let encoded = base64::engine::general_purpose::STANDARD.encode(inner);
    let v = scan(RULES, &[("blob.txt", format!("payload: {encoded}\n"))]);
    assert!(found(&v).is_empty(), "{:?}", found(&v));
    assert_eq!(
        suppressed(&v),
        vec![("inline".into(), "blob.txt:1".into(), "acme-token".into(), 1)]
    );
}

#[test]
fn history_reports_the_vaguer_rules_finding_where_the_precise_ones_is_allowlisted() {
    let r = Repo::new();
    let mut f = Fake::new(1905);
    let value = acme(&mut f);
    r.write(".leakguard.toml", RULES);
    r.write("a.py", format!("token = \"{value}\"  # vendored\n"));
    r.commit_all("add a client");
    let run = r.leakguard(&["history", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert_eq!(
        gitrepo::findings(&run.json()),
        vec![("gen-token".to_string(), "a.py".to_string(), 1)]
    );
}

/// `RULES` and a format rule that reads the first 60 characters of a base64 blob after `blob:`.
fn blob_rules() -> String {
    format!("{RULES}\n[[rules]]\nid = \"acme-blob\"\nregex = '''blob:([A-Za-z0-9+/]{{60}})'''\nkeywords = [\"blob:\"]\n")
}

#[test]
fn a_secret_decoded_from_a_part_of_a_blob_another_rule_does_not_cover_is_reported() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut f = Fake::new(1906);
    let (elsewhere, covered) = (acme(&mut f), acme(&mut f));
    // The plain rule's 60 characters cover more than half of each blob: the first secret is
    // encoded in the other half, the second in the half the plain rule read.
    let other = b64(&format!(
        "note: plain words fill the first half here; key={elsewhere}"
    ));
    let same = b64(&format!("key={covered} and then plain words to pad it"));
    assert!(other.len() <= 120 && same.len() <= 120);
    let v = scan(
        &blob_rules(),
        &[
            ("a.txt", format!("blob:{other}\n")),
            ("b.txt", format!("blob:{same}\n")),
        ],
    );
    assert_eq!(
        found(&v),
        vec![
            triple("acme-blob", "a.txt", &other[..60]),
            triple("acme-blob", "b.txt", &same[..60]),
            // Decoded from the half the plain hit did not read: another secret.
            triple("acme-token", "a.txt", &elsewhere),
        ],
    );
}

#[test]
fn a_plain_hit_a_joined_literals_hit_replaces_stands_when_the_joined_one_is_allowlisted() {
    let mut f = Fake::new(1907);
    let (first, rest) = (f.alnum(24), f.alnum(12));
    let split = format!("const token = \"{first}\" +\n  \"{rest}\";\n");
    // The joined hit (the whole value) takes the place of the plain hit on its first piece, half
    // a value by the same rule: one leak, one finding, whole.
    let v = scan(RULES, &[("a.js", split.clone())]);
    assert_eq!(
        found(&v),
        vec![triple("gen-token", "a.js", &format!("{first}{rest}"))]
    );
    // The rule's own word (a global allowlist limited to it) drops the joined value: the plain
    // hit it replaced is judged on its own, and stands, not lost with it.
    let own = format!(
        "{RULES}\n[[allowlists]]\ntargetRules = [\"gen-token\"]\nregexes = ['''{rest}$''']\n"
    );
    let v = scan(&own, &[("a.js", split)]);
    assert_eq!(found(&v), vec![triple("gen-token", "a.js", &first)]);
    let counts = suppressed(&v);
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!((counts[0].2.as_str(), counts[0].3), ("gen-token", 1));
}

#[test]
fn one_value_two_rules_of_one_rank_read_is_one_finding() {
    let mut f = Fake::new(1908);
    let password = format!("{}7{}", f.alnum(8), f.alnum(7));
    let key = format!("{}9{}", f.alnum(14), f.alnum(13));
    let v = scan_files_json(&[
        (
            "deploy.sh",
            format!("mysqladmin --password={password} status\n"),
        ),
        ("config.yml", format!("auth:\n  jwt-secret-key: {key}\n")),
    ]);
    let mut ids: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    ids.sort();
    // Two generic readings of each value (the flag and the assignment; two names of a secret
    // key): one finding each, the narrower rule's, whatever order the rules matched in.
    assert_eq!(
        ids,
        vec![
            (
                "config.yml".to_string(),
                "session-secret-assignment".to_string()
            ),
            ("deploy.sh".to_string(), "cli-password-argument".to_string()),
        ],
        "{v}"
    );
    // The dropped reading is the same secret under another name: not a suppression.
    let counts = suppressed(&v);
    assert!(
        counts
            .iter()
            .all(|c| !c.2.contains("secret-assignment") && c.2 != "cli-password-argument"),
        "{counts:?}"
    );
}

#[test]
fn a_password_flags_value_taken_for_a_placeholder_is_counted() {
    let mut f = Fake::new(1909);
    let user = f.from_alphabet("abcdefghijklmnopqrstuvwxyz", 6);
    let v = scan_files_json(&[(
        "deploy.sh",
        format!("mysqladmin -u {user} --password=test123456 status\n"),
    )]);
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
    // Not a finding (a sequence of digits after a placeholder word), but a value a password flag
    // holds: the heuristic's drop is counted where it happened, not silently.
    assert_eq!(
        suppressed(&v),
        vec![(
            "placeholder".into(),
            "deploy.sh:1".into(),
            "cli-password-argument".into(),
            1
        )]
    );
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "deploy.sh",
        "mysqladmin --password=test123456 status\n",
    );
    let run = run_in(dir.path(), &["scan", ".", "--no-ignore"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.all().contains("1 by placeholder (deploy.sh:1)"),
        "{}",
        run.all()
    );
}
