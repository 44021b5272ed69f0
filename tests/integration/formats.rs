//! The CI-facing formats: SARIF (from history too, validated against the official schema), JUnit XML
//! and GitHub workflow commands.

use crate::common::*;
use crate::gitrepo::Repo;
use std::path::Path;
use std::process::Command;

fn python(script: &str, arg: &Path) -> (bool, String) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(arg)
        .output()
        .expect("python3");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

#[test]
fn history_sarif_validates_and_carries_the_commit() {
    let repo = Repo::new();
    repo.write(
        "app.py",
        format!("TOKEN = '{}'\n", Fake::new(41).github_pat()),
    );
    // An author of its own, so that the report shows whose commit it was, not the helper's default.
    repo.git(&["add", "-A"]);
    repo.git(&["-c", "user.name=Ada Lovelace", "commit", "-qm", "add token"]);
    repo.write("app.py", "TOKEN = os.environ['TOKEN']\n");
    repo.commit_all("remove token");
    let r = repo.leakguard(&["history", "--format", "sarif", "--output", "h.sarif"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let file = repo.root.join("h.sarif");
    validate_sarif(&file);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let res = &v["runs"][0]["results"][0];
    assert_eq!(res["properties"]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(res["properties"]["author"], "Ada Lovelace");
    let rule =
        &v["runs"][0]["tool"]["driver"]["rules"][res["ruleIndex"].as_u64().unwrap() as usize];
    assert!(rule["shortDescription"]["text"].is_string() && rule["help"]["text"].is_string());
}

#[test]
fn junit_has_one_failing_case_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = Fake::new(42);
    write(
        dir.path(),
        "a & b.py",
        format!("x = '{}'\ny = '{}'\n", fake.github_pat(), fake.github_pat()),
    );
    let r = run_in(
        dir.path(),
        &["scan", "--format", "junit", "--output", "report.xml"],
    );
    assert_eq!(r.code, 1);
    let script = "import sys,xml.etree.ElementTree as ET\nroot=ET.parse(sys.argv[1]).getroot()\n\
                  cases=root.findall('.//testcase')\nfails=root.findall('.//testcase/failure')\nprint(len(cases),len(fails),root.get('failures'))";
    let (ok, said) = python(script, &dir.path().join("report.xml"));
    assert!(ok, "{said}");
    assert_eq!(said.trim(), "2 2 2");
    // Clean: one passing case, so CI shows the check ran.
    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), "ok.txt", "nothing\n");
    let r = run_in(
        clean.path(),
        &["scan", "--format", "junit", "--output", "report.xml"],
    );
    assert_eq!(r.code, 0);
    let (ok, said) = python(script, &clean.path().join("report.xml"));
    assert!(ok && said.trim() == "1 0 0", "{said}");
}

#[test]
fn github_format_annotates_each_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/deploy, prod.py",
        format!("\n\nx = '{}'\n", Fake::new(43).github_pat()),
    );
    let r = run_in(dir.path(), &["scan", "--format", "github"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    assert!(
        lines[0].starts_with("::error file=src/deploy%2C prod.py,line=3,col=6,"),
        "{}",
        lines[0]
    );
    let message = lines[0].rsplit("::").next().unwrap();
    assert!(
        message.contains("(github-pat)") && message.contains("ghp_…"),
        "rule and redacted secret: {message}"
    );
    assert!(
        lines[0].contains("title=leakguard%3A github-pat"),
        "{}",
        lines[0]
    );
}
