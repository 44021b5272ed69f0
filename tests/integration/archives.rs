//! Archives in the tree, staged and in history: real zip, jar, whl, tar, tar.gz and gz files made by
//! Python's zipfile/tarfile/gzip (and the `zip`/`tar` tools when present), holding fake secrets;
//! members scanned like files and named `archive!member`; every limit listed, never silent.

use crate::common::{finding_rows, run_in, validate_sarif, Fake, Run};
use crate::gitrepo::{fake_pat, Repo};
use std::path::Path;
use std::process::Command;

/// Runs a Python script in `dir` with `args` (sys.argv[1:]): archives are made the way their users
/// make them, not by the crates that read them.
fn py(dir: &Path, script: &str, args: &[&str]) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A zip of (name, text) pairs given as alternating arguments, deflated.
const ZIP: &str = r#"import sys,zipfile
with zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED) as z:
    a=sys.argv[2:]
    [z.writestr(a[i],a[i+1]) for i in range(0,len(a),2)]
"#;

fn zip(dir: &Path, archive: &str, members: &[(&str, &str)]) {
    let mut args = vec![archive];
    for (n, t) in members {
        args.push(n);
        args.push(t);
    }
    py(dir, ZIP, &args);
}

fn scan_json(dir: &Path, extra: &[&str]) -> (Run, serde_json::Value) {
    let mut args = vec!["scan", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let run = run_in(dir, &args);
    assert!(run.code == 0 || run.code == 1, "{}", run.all());
    let v = run.json();
    (run, v)
}

/// (path, archive_member, rule) of every finding.
fn found(v: &serde_json::Value) -> Vec<(String, Option<String>, String)> {
    finding_rows(v, |f| {
        (f.s("path"), f.opt("archive_member"), f.s("rule_id"))
    })
}

/// (path, reason) of every skipped item.
fn skipped(v: &serde_json::Value) -> Vec<(String, String)> {
    v["stats"]["skipped_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(v: &serde_json::Value, path: &str, rule: &str) -> bool {
    found(v).iter().any(|(p, _, r)| p == path && r == rule)
}

#[test]
fn members_of_zip_jar_whl_gz_and_nested_tgz_are_scanned_like_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut fake = Fake::new(1901);
    let (k1, k2, k3, k4, k5) = (
        fake.github_pat(),
        fake.github_pat(),
        fake.github_pat(),
        fake.github_pat(),
        fake.slack_bot(),
    );
    std::fs::create_dir_all(d.join("dist")).unwrap();
    zip(
        d,
        "dist/bundle.zip",
        &[
            // A path rule applies to the member's own path: an env file inside a zip.
            ("config/app.env", "APP=shop\nDB_PASSWORD=Vq3kT9zLw2mXr8\n"), // leakguard:allow (a test's fake)
            ("src/settings.py", &format!("TOKEN = \"{k1}\"\n")),
            ("README.md", "nothing here\n"),
        ],
    );
    zip(
        d,
        "lib.jar",
        &[
            ("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"),
            ("app.properties", &format!("github.token={k2}\n")),
        ],
    );
    zip(
        d,
        "pkg-1.0-py3-none-any.whl",
        &[("pkg/conf.py", &format!("SLACK = \"{k5}\"\n"))],
    );
    // A tar.gz inside a zip; a plain gz; a zip that does not say so in its name.
    py(
        d,
        r#"import io,sys,tarfile,zipfile
buf=io.BytesIO()
with tarfile.open(fileobj=buf,mode='w:gz') as t:
    data=sys.argv[1].encode()
    i=tarfile.TarInfo('deploy/.env'); i.size=len(data); t.addfile(i,io.BytesIO(data))
with zipfile.ZipFile('outer.zip','w') as z:
    z.writestr('inner.tar.gz',buf.getvalue())
import gzip
open('notes.txt.gz','wb').write(gzip.compress(sys.argv[2].encode()))
with zipfile.ZipFile('blob.dat','w',zipfile.ZIP_DEFLATED) as z:
    z.writestr('x.txt',sys.argv[3])
"#,
        &[
            &format!("GITHUB_TOKEN={k3}\n"),
            &format!("token: {k4}\n"),
            &format!("t = \"{k1}\"\n"),
        ],
    );
    let (run, v) = scan_json(d, &[]);
    assert_eq!(run.code, 1, "{}", run.all());
    let f = found(&v);
    for (path, member, rule) in [
        (
            "dist/bundle.zip!config/app.env",
            "config/app.env",
            "env-file-secret",
        ),
        (
            "dist/bundle.zip!src/settings.py",
            "src/settings.py",
            "github-pat",
        ),
        ("lib.jar!app.properties", "app.properties", "github-pat"),
        (
            "pkg-1.0-py3-none-any.whl!pkg/conf.py",
            "pkg/conf.py",
            "slack-bot-token",
        ),
        (
            "outer.zip!inner.tar.gz!deploy/.env",
            "inner.tar.gz!deploy/.env",
            "github-pat",
        ),
        ("notes.txt.gz!notes.txt", "notes.txt", "github-pat"),
        ("blob.dat!x.txt", "x.txt", "github-pat"),
    ] {
        assert!(
            f.iter()
                .any(|(p, m, r)| p == path && m.as_deref() == Some(member) && r == rule),
            "no {rule} at {path} (member {member}):\n{f:#?}"
        );
    }
    assert!(skipped(&v).is_empty(), "{:?}", skipped(&v));
    // Members count as scanned files; the archives too.
    assert!(
        v["stats"]["scanned"].as_u64().unwrap() >= 12,
        "{}",
        v["stats"]
    );
    // Deterministic: the same report twice.
    let (_, again) = scan_json(d, &[]);
    assert_eq!(found(&again), f);

    // Text names the member in the path.
    let text = run_in(d, &["scan", "."]);
    assert!(
        text.stdout.contains("dist/bundle.zip!src/settings.py:1:"),
        "{}",
        text.stdout
    );

    // --no-archives: archives are binary files again, read as their strings (src/source/strings.rs):
    // no finding names a member, and none is skipped.
    let (_, off) = scan_json(d, &["--no-archives"]);
    assert!(
        found(&off).iter().all(|(_, member, _)| member.is_none()),
        "{:?}",
        found(&off)
    );
    assert!(skipped(&off).is_empty(), "{:?}", skipped(&off));
}

#[test]
fn archives_made_by_the_zip_and_tar_tools_are_read() {
    let have = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("zip") || !have("tar") {
        eprintln!("zip or tar not installed: covered by the Python-made archives");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let src = d.join("src");
    std::fs::create_dir_all(src.join("conf")).unwrap();
    std::fs::write(
        src.join("conf/app.ini"),
        format!("token = {}\n", fake_pat(1902)),
    )
    .unwrap();
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let ok = |c: &mut Command| assert!(c.status().unwrap().success());
    ok(Command::new("zip")
        .args(["-q", "-r", "../out/site.zip", "conf"])
        .current_dir(&src));
    ok(Command::new("tar")
        .args(["czf", "../out/site.tgz", "conf"])
        .current_dir(&src));
    ok(Command::new("tar")
        .args(["cf", "../out/site.tar", "conf"])
        .current_dir(&src));
    std::fs::remove_dir_all(&src).unwrap();
    let (_, v) = scan_json(d, &[]);
    for p in [
        "out/site.zip!conf/app.ini",
        "out/site.tgz!conf/app.ini",
        "out/site.tar!conf/app.ini",
    ] {
        assert!(has(&v, p, "github-pat"), "{p}: {:?}", found(&v));
    }
}

#[test]
fn a_zip_bomb_is_listed_as_an_archive_limit_and_the_rest_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let key = fake_pat(1903);
    py(
        d,
        r#"import sys,zipfile
with zipfile.ZipFile('bomb.zip','w',zipfile.ZIP_DEFLATED) as z:
    z.writestr('zeros.txt', b'0'*(64<<20))
    z.writestr('ok.txt', sys.argv[1])
"#,
        &[&format!("t = \"{key}\"\n")],
    );
    assert!(std::fs::metadata(d.join("bomb.zip")).unwrap().len() < 200_000);
    let (run, v) = scan_json(d, &[]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(has(&v, "bomb.zip!ok.txt", "github-pat"), "{:?}", found(&v));
    assert_eq!(
        skipped(&v),
        [(
            "bomb.zip!zeros.txt".to_string(),
            "archive_limit".to_string()
        )]
    );
    assert_eq!(v["stats"]["skipped_by_reason"]["archive-limit"], 1);
    let item = &v["stats"]["skipped_items"][0];
    assert!(item["detail"].as_str().unwrap().contains("100:1"), "{item}");
    // And in text, with --verbose.
    let text = run_in(d, &["scan", ".", "-v"]);
    assert!(
        text.stdout
            .contains("skipped (archive-limit): bomb.zip!zeros.txt"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("1 archive-limit"), "{}", text.stdout);
}

#[test]
fn nesting_depth_and_member_count_and_bytes_are_bounded_and_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let key = fake_pat(1904);
    // d.zip inside c.zip inside b.zip inside a.zip: four deep.
    py(
        d,
        r#"import io,sys,zipfile
data=sys.argv[1]
name='secret.txt'
for n in ['d.zip','c.zip','b.zip']:
    buf=io.BytesIO()
    with zipfile.ZipFile(buf,'w') as z: z.writestr(name,data)
    data=buf.getvalue(); name=n
with zipfile.ZipFile('a.zip','w') as z: z.writestr(name,data)
"#,
        &[&format!("t = \"{key}\"\n")],
    );
    let (run, v) = scan_json(d, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(
        skipped(&v),
        [(
            "a.zip!b.zip!c.zip!d.zip".to_string(),
            "archive_limit".to_string()
        )]
    );
    let (run, v) = scan_json(d, &["--max-archive-depth", "4"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        has(&v, "a.zip!b.zip!c.zip!d.zip!secret.txt", "github-pat"),
        "{:?}",
        found(&v)
    );
    let (_, v) = scan_json(d, &["--max-archive-depth", "1"]);
    assert_eq!(
        skipped(&v),
        [("a.zip!b.zip".to_string(), "archive_limit".to_string())]
    );
    std::fs::remove_file(d.join("a.zip")).unwrap();

    // More members than the limit (20,000): those read are scanned, the rest listed.
    py(
        d,
        r#"import sys,zipfile
with zipfile.ZipFile('many.zip','w') as z:
    z.writestr('first.txt', sys.argv[1])
    [z.writestr('f%05d.txt' % i, '') for i in range(20000)]
"#,
        &[&format!("t = \"{key}\"\n")],
    );
    let (run, v) = scan_json(d, &[]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(has(&v, "many.zip!first.txt", "github-pat"));
    assert_eq!(
        skipped(&v),
        [("many.zip".to_string(), "archive_limit".to_string())]
    );
    assert!(v["stats"]["skipped_items"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("20000 members"));
    std::fs::remove_file(d.join("many.zip")).unwrap();

    // Uncompressed bytes per archive (--max-archive-bytes): random text, so no ratio limit.
    py(
        d,
        r#"import random,sys,zipfile
r=random.Random(7)
with zipfile.ZipFile('big.zip','w',zipfile.ZIP_DEFLATED) as z:
    for n in ['1.txt','2.txt','3.txt']:
        z.writestr(n, ''.join(r.choice('0123456789abcdef\n') for _ in range(400000)))
"#,
        &[],
    );
    let (_, v) = scan_json(d, &["--max-archive-bytes", "1000000"]);
    assert_eq!(
        skipped(&v),
        [("big.zip!3.txt".to_string(), "archive_limit".to_string())]
    );
    let (_, v) = scan_json(d, &[]);
    assert!(skipped(&v).is_empty());
}

#[test]
fn a_corrupt_archive_is_listed_and_the_scan_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let key = fake_pat(1905);
    zip(d, "good.zip", &[("a.txt", "hello\n")]);
    let bytes = std::fs::read(d.join("good.zip")).unwrap();
    // Cut before the central directory: a zip no reader can open.
    std::fs::write(d.join("broken.zip"), &bytes[..bytes.len() - 30]).unwrap();
    // A tar.gz cut in the middle of its stream.
    py(
        d,
        r#"import io,os,tarfile
buf=io.BytesIO()
with tarfile.open(fileobj=buf,mode='w:gz') as t:
    data=os.urandom(200000)
    i=tarfile.TarInfo('r.bin'); i.size=len(data); t.addfile(i,io.BytesIO(data))
b=buf.getvalue()
open('cut.tar.gz','wb').write(b[:len(b)//2])
"#,
        &[],
    );
    std::fs::write(d.join("app.py"), format!("t = \"{key}\"\n")).unwrap();
    let (run, v) = scan_json(d, &[]);
    assert_eq!(run.code, 1, "one finding, not an error: {}", run.all());
    assert!(has(&v, "app.py", "github-pat"));
    let s = skipped(&v);
    assert!(
        s.contains(&("broken.zip".to_string(), "archive_corrupt".to_string())),
        "{s:?}"
    );
    assert!(
        s.iter()
            .any(|(p, r)| p.starts_with("cut.tar.gz") && r == "archive_corrupt"),
        "{s:?}"
    );
    assert_eq!(v["stats"]["skipped_by_reason"]["archive-corrupt"], 2);
}

#[test]
fn a_member_name_cannot_forge_log_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let key = fake_pat(1906);
    zip(
        d,
        "evil.zip",
        &[(
            "a\n::error file=x::pwned\u{1b}[31m.py",
            &format!("t = \"{key}\"\n"),
        )],
    );
    for format in ["text", "json", "sarif", "junit", "github"] {
        let out = run_in(
            d,
            &["scan", ".", "--format", format, "--show-secrets", "-v"],
        );
        assert_eq!(out.code, 1, "{format}: {}", out.all());
        for line in out.stdout.lines().chain(out.stderr.lines()) {
            assert!(
                !line.trim_start().starts_with("::error file=x"),
                "{format}: forged line {line:?}"
            );
            assert!(!line.contains('\u{1b}'), "{format}: raw ESC in {line:?}");
        }
    }
    let text = run_in(d, &["scan", "."]);
    assert!(
        text.stdout
            .contains("evil.zip!a\\n::error file=x::pwned\\x1b[31m.py:1:"),
        "{}",
        text.stdout
    );
    let gh = run_in(d, &["scan", ".", "--format", "github"]);
    assert!(
        gh.stdout.contains("::error file=evil.zip,line=1"),
        "{}",
        gh.stdout
    );
}

#[test]
fn sarif_points_at_the_archive_and_names_the_member() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let key = fake_pat(1907);
    std::fs::create_dir_all(d.join("dist")).unwrap();
    zip(
        d,
        "dist/bundle.zip",
        &[("config/settings.py", &format!("\n\nt = \"{key}\"\n"))],
    );
    let sarif = d.join("out.sarif");
    let run = run_in(
        d,
        &[
            "scan",
            ".",
            "--format",
            "sarif",
            "-o",
            sarif.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.all());
    validate_sarif(&sarif);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:#?}");
    let r = &results[0];
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "dist/bundle.zip");
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(r["properties"]["archiveMember"], "config/settings.py");
    assert!(
        r["message"]["text"]
            .as_str()
            .unwrap()
            .contains("in archive member config/settings.py"),
        "{r}"
    );
    assert!(!r.to_string().contains(&key), "redacted: {r}");
}

#[test]
fn a_staged_archive_is_blocked_by_the_hook_and_an_unrelated_change_to_it_is_not() {
    let r = Repo::with_test_rules();
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    let install = r.leakguard(&["install-hook"]);
    assert_eq!(install.code, 0, "{}", install.all());
    let key = fake_pat(1908);
    std::fs::create_dir_all(r.root.join("vendor")).unwrap();
    zip(
        &r.root,
        "vendor/bundle.zip",
        &[
            ("src/app.py", &format!("t = \"{key}\"\n")),
            (".env", "A=1\n"),
        ],
    );
    r.add(&["vendor/bundle.zip"]);
    let before = r.head().unwrap();
    let commit = r.try_git(&["commit", "-m", "vendor a bundle"]);
    let said = commit.all();
    assert_ne!(commit.code, 0, "{said}");
    assert!(said.contains("vendor/bundle.zip!src/app.py:1:"), "{said}");
    assert!(said.contains("vendor/bundle.zip!.env"), "path rule: {said}");
    assert!(said.contains("commit blocked"), "{said}");
    assert!(!said.contains(&key), "{said}");
    assert_eq!(r.head().unwrap(), before);

    // Committed anyway, then a member added: the commit adds nothing the archive did not hold.
    let forced = r.try_git(&["commit", "-q", "--no-verify", "-m", "forced"]);
    assert_eq!(forced.code, 0, "{}", forced.all());
    zip(
        &r.root,
        "vendor/bundle.zip",
        &[
            ("src/app.py", &format!("t = \"{key}\"\n")),
            (".env", "A=1\n"),
            ("docs.txt", "more\n"),
        ],
    );
    r.add(&["vendor/bundle.zip"]);
    let staged = r.leakguard(&["staged"]);
    assert_eq!(staged.code, 0, "{}", staged.all());
    // A new secret in it is caught.
    let key2 = fake_pat(1909);
    zip(
        &r.root,
        "vendor/bundle.zip",
        &[
            ("src/app.py", &format!("t = \"{key}\"\nu = \"{key2}\"\n")),
            (".env", "A=1\n"),
        ],
    );
    r.add(&["vendor/bundle.zip"]);
    let staged = r.leakguard(&["staged", "--format", "json"]);
    assert_eq!(staged.code, 1, "{}", staged.all());
    let v = staged.json();
    assert_eq!(
        found(&v),
        [(
            "vendor/bundle.zip!src/app.py".to_string(),
            Some("src/app.py".to_string()),
            "github-pat".to_string()
        )]
    );
    assert_eq!(v["findings"][0]["line"], 2);
    let off = r.leakguard(&["staged", "--no-archives"]);
    assert_eq!(off.code, 0, "{}", off.all());
}

#[test]
fn history_finds_an_archive_committed_then_deleted_with_its_commit() {
    let r = Repo::with_test_rules();
    r.write("README.md", "# demo\n");
    r.commit_all("initial");
    let key = fake_pat(1910);
    std::fs::create_dir_all(r.root.join("dist")).unwrap();
    zip(
        &r.root,
        "dist/bundle.zip",
        &[
            ("src/app.py", &format!("t = \"{key}\"\n")),
            (".env", "A=1\n"),
        ],
    );
    let added = r.commit_all("add the bundle");
    // A new version of the archive still holds the secret: attributed to the first.
    zip(
        &r.root,
        "dist/bundle.zip",
        &[
            ("src/app.py", &format!("t = \"{key}\"\n")),
            (".env", "A=1\n"),
            ("more.txt", "x\n"),
        ],
    );
    r.commit_all("update the bundle");
    r.git(&["branch", "keep"]);
    std::fs::remove_file(r.root.join("dist/bundle.zip")).unwrap();
    r.commit_all("remove the bundle");

    let run = r.leakguard(&["history", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.all());
    let v = run.json();
    assert_eq!(
        found(&v),
        [
            (
                "dist/bundle.zip!.env".to_string(),
                Some(".env".to_string()),
                "env-file".to_string()
            ),
            (
                "dist/bundle.zip!src/app.py".to_string(),
                Some("src/app.py".to_string()),
                "github-pat".to_string()
            ),
        ]
    );
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(f["commit"], added.as_str(), "{f}");
        assert_eq!(f["present_at_head"], false, "{f}");
        // The branch made before the deletion still holds the archive, and the secret in it.
        assert_eq!(f["present_at_refs"], serde_json::json!(["keep"]), "{f}");
    }

    // The steps say to remove the archive whole; so does --remediation, which holds no text for it.
    let text = r.leakguard(&["history", "."]);
    assert!(
        text.stdout
            .contains("git filter-repo --invert-paths --path 'dist/bundle.zip'"),
        "{}",
        text.stdout
    );
    let file = r.home.join("remove.txt");
    let rem = r.leakguard(&["history", ".", "--remediation", file.to_str().unwrap()]);
    assert_eq!(rem.code, 1, "{}", rem.all());
    assert!(
        rem.stderr
            .contains("--invert-paths --path 'dist/bundle.zip'"),
        "{}",
        rem.stderr
    );
    assert!(!std::fs::read_to_string(&file).unwrap().contains(&key));

    let off = r.leakguard(&["history", ".", "--no-archives"]);
    assert_eq!(off.code, 0, "{}", off.all());

    // A limit in history is listed under the archive's path.
    zip(&r.home, "inner.zip", &[("a.txt", "a\n")]);
    py(
        &r.root,
        "import sys,zipfile\nwith zipfile.ZipFile('dist/outer.zip','w') as z: z.writestr('inner.zip', open(sys.argv[1],'rb').read())\n",
        &[r.home.join("inner.zip").to_str().unwrap()],
    );
    r.commit_all("nested");
    let run = r.leakguard(&[
        "history",
        ".",
        "--format",
        "json",
        "--max-archive-depth",
        "1",
    ]);
    assert!(
        skipped(&run.json()).contains(&(
            "dist/outer.zip!inner.zip".to_string(),
            "archive_limit".to_string()
        )),
        "{}",
        run.stdout
    );
}
