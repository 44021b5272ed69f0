//! Two decodings of one string (issue 16, stop 24): a quoted string with both `%XX` and JSON
//! `\u`/`\/` escapes is a percent span and a JSON span of the same bytes. Only the first of the
//! two was read, and its decoded text holds no quote for a JSON span one level down: a token
//! written with a `\u` escape next to a percent-encoded one was lost.

use crate::common::*;

#[test]
fn a_string_with_percent_and_json_escapes_is_read_both_ways() {
    let mut fake = Fake::new(2424);
    let (a, b) = (fake.github_pat(), fake.github_pat());
    // `ghp%5F…`: the percent view reads it; `\u0067hp_…`: the JSON view does.
    let line = format!(
        "{{\"hook\": \"https:\\/\\/ci.example.io\\/run?a=ghp%5F{}&b=\\u0067hp_{}\"}}\n",
        &a[4..],
        &b[4..]
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "hooks.json", &line);
    let v = scan_dir_json(dir.path(), &[]);
    let mut got = sorted_finding_rows(&v, |f| (f.s("secret"), f.list("decoded")));
    got.dedup();
    let mut want = vec![
        (a, vec!["percent".to_string()]),
        (b, vec!["json-escape".to_string()]),
    ];
    want.sort();
    assert_eq!(got, want, "{line}");
}
