//! A file git tracks although .gitignore matches it (committed before the rule, or with `git add
//! -f`) is in every clone: `leakguard scan .` reads it. Seen in real repositories: Firebase's
//! quickstart commits seventeen `GoogleService-Info.plist` files that its own .gitignore lists.
//! Untracked ignored files stay skipped, and .leakguardignore still skips tracked ones.

use crate::gitrepo::Repo;

#[test]
fn tracked_files_that_gitignore_matches_are_scanned() {
    let r = Repo::with_test_rules();
    let pat = |n: u64| crate::gitrepo::fake_pat(n);
    r.write(".gitignore", "*.plist\n.env\nsecrets/\n");
    r.write(
        "app/Service-Info.plist",
        format!("<string>{}</string>\n", pat(1)),
    );
    r.write("secrets/deploy.txt", format!("token {}\n", pat(2)));
    r.write("vendor/blob.txt", format!("token {}\n", pat(3)));
    r.write(".leakguardignore", "vendor/\n");
    r.write("src/main.rs", "fn main() {}\n");
    r.git(&["add", "-A"]);
    r.git(&["add", "-f", "app/Service-Info.plist", "secrets/deploy.txt"]);
    r.commit_all("init");
    // Ignored and never added: not part of the repository.
    r.write(
        "local/Local-Info.plist",
        format!("<string>{}</string>\n", pat(4)),
    );
    // Tracked, then listed in .gitignore after the fact.
    r.write(".gitignore", "*.plist\n.env\nsecrets/\nvendor/\n");

    let run = r.leakguard(&["scan", ".", "-f", "json"]);
    let mut got: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(
        got,
        ["app/Service-Info.plist", "secrets/deploy.txt"],
        "{}",
        run.all()
    );

    // --no-ignore reads everything on disk, the untracked file and the .leakguardignore'd one too.
    let run = r.leakguard(&["scan", ".", "--no-ignore", "-f", "json"]);
    assert_eq!(
        run.json()["findings"].as_array().unwrap().len(),
        4,
        "{}",
        run.all()
    );

    // A subdirectory as the root: its tracked ignored files, shown relative to it.
    let run = r.leakguard(&["scan", "app", "-f", "json"]);
    let v = run.json();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["Service-Info.plist"], "{}", run.all());
}
