//! The shared blob path (src/source/blob.rs), seen from the binary: what used to differ between the
//! working tree and the staged index.

use crate::common::{run_in, utf16, Fake};
use crate::gitrepo::{findings, Repo};

/// A UTF-16 file over the 64 MiB streaming threshold used to be streamed untranscoded: every other
/// byte a NUL, so nothing in it matched. It is transcoded as it streams, as a small one is.
#[test]
fn a_utf16_file_over_64_mib_is_transcoded_while_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let pat = Fake::new(5101).github_pat();
    let filler = "# nothing to see in this line of a large generated file\n";
    let lines = (40 << 20) / filler.len(); // 40 Mi characters: 80 MiB in UTF-16
    let mut text = filler.repeat(lines);
    text.push_str(&format!("token = {pat}\n"));
    for (name, le) in [("le.txt", true), ("be.txt", false)] {
        let data = utf16(&text, le);
        assert!(data.len() > 64 << 20);
        std::fs::write(dir.path().join(name), data).unwrap();
    }
    let r = run_in(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let mut found = findings(&r.json());
    found.sort();
    let line = lines as u64 + 1;
    assert_eq!(
        found,
        vec![
            ("github-pat".to_string(), "be.txt".to_string(), line),
            ("github-pat".to_string(), "le.txt".to_string(), line),
        ]
    );
    assert_eq!(r.json()["stats"]["scanned"], 2, "{}", r.stdout);
}

/// A staged file over --max-blob-size is skipped like a working-tree file over --max-file-size, and
/// the path rules still see it.
#[test]
fn staged_and_worktree_skip_a_large_file_the_same_way() {
    let repo = Repo::with_test_rules();
    repo.write(".env", "X=1\n".repeat(100));
    repo.add(&[".env", ".leakguard.toml"]);
    let staged = repo.leakguard(&["staged", "--max-blob-size", "100", "--format", "json"]);
    let worktree = repo.leakguard(&["scan", "--max-file-size", "100", "--format", "json"]);
    for r in [&staged, &worktree] {
        assert_eq!(r.code, 1, "{}", r.all());
        let v = r.json();
        assert!(
            findings(&v).contains(&("env-file".to_string(), ".env".to_string(), 1)),
            "{}",
            r.stdout
        );
        let items = &v["stats"]["skipped_items"];
        assert_eq!(items[0]["path"], ".env", "{items}");
        assert_eq!(items[0]["reason"], "too_large", "{items}");
        assert_eq!(items[0]["detail"], "400 bytes", "{items}");
    }
}

/// History read a loose blob over the 64 MiB streaming threshold through a stream of its own, which
/// probed for binary but did not transcode UTF-16: such a blob was scanned as raw UTF-16 and nothing
/// in it matched. Its blobs take the shared path now, loose (streamed) and packed (read whole).
#[test]
fn history_transcodes_a_utf16_blob_over_64_mib() {
    let repo = Repo::with_test_rules();
    let pat = Fake::new(5102).github_pat();
    let filler = "# nothing to see in this line of a large generated file\n";
    let lines = (33 << 20) / filler.len(); // 33 Mi characters: 66 MiB in UTF-16
    let mut text = filler.repeat(lines);
    text.push_str(&format!("token = {pat}\n"));
    let data = utf16(&text, true);
    assert!(data.len() > 64 << 20);
    repo.write("big.txt", data);
    repo.commit_all("a large UTF-16 file");
    let line = lines as u64 + 1;
    for packed in [false, true] {
        if packed {
            repo.git(&["gc", "-q"]);
        }
        let r = repo.leakguard(&["history", "--format", "json"]);
        assert_eq!(r.code, 1, "packed {packed}: {}", r.all());
        assert_eq!(
            findings(&r.json()),
            vec![("github-pat".to_string(), "big.txt".to_string(), line)],
            "packed {packed}"
        );
    }
}
