//! The CI report formats on a scan: JUnit XML (one failing test case per finding) and GitHub Actions
//! workflow commands (one `::error` annotation per finding).

mod common;
mod gitrepo;

use gitrepo::{fake_pat, Repo};

fn two_findings() -> Repo {
    let r = Repo::with_test_rules();
    r.write("src/a.py", format!("x = 1\nT = '{}'\n", fake_pat(300)));
    r.write("b, c.txt", format!("{}\n", fake_pat(301)));
    r
}

#[test]
fn junit_is_xml_with_one_failure_per_finding() {
    let r = two_findings();
    let run = r.leakguard(&["scan", "--format", "junit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout.matches("<testcase").count(), 2, "{}", run.stdout);
    assert_eq!(run.stdout.matches("<failure").count(), 2, "{}", run.stdout);
    assert!(!run.stdout.contains(&fake_pat(300)), "redacted");
    // A real XML parser agrees.
    let file = r.root.join("report.xml");
    std::fs::write(&file, &run.stdout).unwrap();
    let py = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, xml.etree.ElementTree as ET\n\
             root = ET.parse(sys.argv[1]).getroot()\n\
             cases = root.findall('.//testcase')\n\
             fails = root.findall('.//testcase/failure')\n\
             print(len(cases), len(fails), root.find('testsuite').get('failures'))\n\
             print(sorted(c.get('file') for c in cases))",
        )
        .arg(&file)
        .output()
        .expect("python3");
    let out = String::from_utf8_lossy(&py.stdout);
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    assert_eq!(out.lines().next().unwrap(), "2 2 2", "{out}");
    assert_eq!(
        out.lines().nth(1).unwrap(),
        "['b, c.txt', 'src/a.py']",
        "{out}"
    );

    // Clean: valid XML, no failure.
    let clean = Repo::with_test_rules();
    clean.write("ok.txt", "nothing here\n");
    let run = clean.leakguard(&["scan", "--format", "junit"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.matches("<failure").count(), 0);
}

#[test]
fn github_format_annotates_each_finding_on_its_line() {
    let r = two_findings();
    let run = r.leakguard(&["scan", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(errors.len(), 2, "{}", run.stdout);
    // Sorted by path; properties escaped (`,` is %2C in a property value).
    assert!(
        errors[0].starts_with("::error file=b%2C c.txt,line=1,col=1,"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("::error file=src/a.py,line=2,col=6,"),
        "{}",
        errors[1]
    );
    for e in &errors {
        let (props, message) = e["::error ".len()..]
            .split_once("::")
            .expect("::error props::message");
        assert!(props.contains("title=leakguard%3A github-pat"), "{props}");
        assert!(
            message.contains("github-pat") && message.contains("ghp_"),
            "{message}"
        );
        assert!(
            !message.contains(&fake_pat(300)) && !message.contains(&fake_pat(301)),
            "redacted: {message}"
        );
    }
}
