//! Noise named in issue 17 (seen on the peers' negatives), each written beside the real secret of the
//! same shape that must still be reported: Google `AIza` keys listed as examples on a documentation
//! page, a `publicToken`, a numeric column whose name merely contains "okta" letters. Every finding is
//! checked: a decoy reported, or a secret missed, fails the test.

use crate::common::*;

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS: &str = "0123456789";

#[test]
fn documented_google_keys_public_tokens_and_numeric_tables_are_quiet_beside_real_twins() {
    let mut fake = Fake::new(1717);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut google = || {
        format!(
            "{}{}",
            "AIza",
            fake.from_alphabet(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                35
            )
        )
    };
    let (g1, g2, g3, g4) = (google(), google(), google(), google());
    // (file, content, lines that must be reported)
    let mut files: Vec<(&str, String, Vec<u64>)> = vec![
        (
            "docs/firebase-setup.md",
            format!(
                "# Firebase setup\n\nThe SDK's tests use keys such as these, for example:\n\n\
                 ```\n{g1}\n{g2}\n```\n\n## Our project\n\nThe release build reads:\n\n\
                 ```\napiKey: \"{g3}\"\n```\n"
            ),
            vec![15],
        ),
        // The same key shape in code is a key in use, whatever the comment says.
        (
            "web/src/firebase.js",
            format!("// for example:\nconst firebaseConfig = {{ apiKey: \"{g4}\" }};\n"),
            vec![2],
        ),
    ];
    let public = fake.from_alphabet(ALNUM, 43);
    let secret = fake.from_alphabet(ALNUM, 43);
    let public_snake = fake.from_alphabet(ALNUM, 32);
    files.push((
        "src/embed/config.py",
        format!(
            "publicToken = \"{public}\"\npublic_token: \"{public_snake}\"\nsecretToken = \"{secret}\"\n"
        ),
        vec![3],
    ));
    let column = fake.from_alphabet(DIGITS, 40);
    let row = fake.from_alphabet(DIGITS, 40);
    let okta = fake.from_alphabet(ALNUM, 40);
    files.push((
        "reports/lookup.py",
        format!("rookTable = 00{column}\n| okta | 00{row} |\noktaToken = \"00{okta}\"\n"),
        vec![3],
    ));

    assert_reports_exactly(d, &files);
}
