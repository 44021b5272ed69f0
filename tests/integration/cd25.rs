//! Symmetric keys of an AES key's length (issue 17, stop 25, helper cd25, rules/cd25.toml): a
//! literal of exactly 16, 24 or 32 characters under a cipher's, a MAC's or a token signer's key
//! name, or passed to `setKey` on such an object, is reported at severity `low` by
//! `weak-encryption-key-assignment`, whatever it looks like (digits typed in a pattern, words cut to
//! length, dash-grouped characters), in each language's assignment and call shape. Near misses stay
//! quiet: references, a key's size or a public key's name, a setter on an object that is no cipher,
//! other lengths, documentation pages. A rule scoped by `path` to source files: its findings on
//! files it does not admit, and other rules' findings, stay as they were (tests/integration/
//! path_scopes.rs checks the engine's side).

use crate::common::*;

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";
const UPPER_DIGITS: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A key typed as people type them: a group of four distinct characters said again, 16, 24 or 32
/// characters in all, under the generic key rules' entropy floors.
fn typed_key(f: &mut Fake, times: usize, alphabet: &str) -> String {
    loop {
        let g = f.from_alphabet(alphabet, 4);
        let mut distinct: Vec<char> = g.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() == 4 {
            return g.repeat(times);
        }
    }
}

/// Five dash-separated groups of four (24 characters), as a licence-style key is written.
fn grouped_key(f: &mut Fake) -> String {
    let groups: Vec<String> = (0..5).map(|_| f.from_alphabet(UPPER_DIGITS, 4)).collect();
    let key = groups.join("-");
    assert_eq!(key.len(), 24);
    key
}

#[test]
fn symmetric_keys_of_an_aes_keys_length_are_reported_low_in_every_language() {
    let mut f = Fake::new(0x0cd2_5ae5);
    let shapes: Vec<(&str, &str, String)> = vec![
        (
            "src/main/java/com/acme/AesUtil.java",
            "private static final String AES_KEY = \"{v}\";\n",
            typed_key(&mut f, 4, DIGITS),
        ),
        (
            "src/crypto/tester.cpp",
            "cipher->SetKey(\"{v}\");\n",
            grouped_key(&mut f),
        ),
        (
            "src/crypto/tester2.cpp",
            "  cipher2.SetKey(\"{v}\");\n",
            grouped_key(&mut f),
        ),
        (
            "src/test/java/com/acme/PlatformTest.java",
            "        jwtProperties.setKey(\"{v}\");\n",
            typed_key(&mut f, 4, DIGITS),
        ),
        (
            "src/test/java/com/acme/SecretTest.java",
            "        secretProperties.setKey(\"{v}\");\n",
            typed_key(&mut f, 4, DIGITS),
        ),
        (
            "app/crypto.py",
            "ENCRYPTION_KEY = b\"{v}\"\n",
            typed_key(&mut f, 8, LOWER),
        ),
        (
            "src/hmac.js",
            "const hmacKey = '{v}';\n",
            typed_key(&mut f, 4, LOWER),
        ),
        (
            "config/cipher.php",
            "<?php\n$config['cipher_key'] = '{v}';\n",
            typed_key(&mut f, 6, DIGITS),
        ),
        (
            "internal/aes_test.go",
            "aesKey := \"{v}\"\n",
            typed_key(&mut f, 4, LOWER),
        ),
        (
            "src/Crypto.cs",
            "var encryptionKey = \"{v}\";\n",
            typed_key(&mut f, 8, DIGITS),
        ),
        (
            "app/src/main/kotlin/Keys.kt",
            "val signingKey = \"{v}\"\n",
            typed_key(&mut f, 6, LOWER),
        ),
        (
            "src/keys.rs",
            "const AES_KEY: &str = \"{v}\";\n",
            typed_key(&mut f, 4, DIGITS),
        ),
        (
            "lib/crypt.rb",
            "MASTER_KEY = '{v}'\n",
            typed_key(&mut f, 8, LOWER),
        ),
    ];
    let pos: Vec<(String, String, String)> = shapes
        .into_iter()
        .map(|(p, t, v)| (p.to_string(), t.replace("{v}", &v), v))
        .collect();
    let v16 = typed_key(&mut f, 4, DIGITS);
    let neg: Vec<(&str, String)> = vec![
        (
            "n/Env.java",
            "private static final String AES_KEY = System.getenv(\"AES_KEY\");\n".to_string(),
        ),
        ("n/size.js", format!("const aesKeySize = '{v16}';\n")),
        ("n/pub.py", format!("public_key = \"{v16}\"\n")),
        ("n/bytes.java", "cipher.setKey(keyBytes);\n".to_string()),
        ("n/map.java", format!("map.setKey(\"{v16}\");\n")),
        ("n/short.py", "ENCRYPTION_KEY = \"kestrel9\"\n".to_string()),
        ("n/twenty.py", format!("AES_KEY = \"{v16}abcd\"\n")),
        ("n/ref.go", "aesKey := \"${AES_KEY_VALUE}\"\n".to_string()),
        (
            "n/placeholder.py",
            "ENCRYPTION_KEY = \"your-key-here-16\"\n".to_string(),
        ),
        // Not a source file: a config's key is judged by the generic key rules' entropy.
        ("n/app.yml", format!("aes_key: \"{v16}\"\n")),
        (
            "n/README.md",
            format!("Set the key:\n\n    AES_KEY = \"{v16}\"\n"),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (p, c, _) in &pos {
        write(dir.path(), p, c);
    }
    for (p, c) in &neg {
        write(dir.path(), p, c);
    }
    let report = scan_dir_json(dir.path(), &[]);
    let findings = report["findings"].as_array().unwrap();
    for (path, _, value) in &pos {
        let hits: Vec<_> = findings
            .iter()
            .filter(|x| x["path"].as_str() == Some(path))
            .collect();
        assert_eq!(hits.len(), 1, "{path}: {hits:#?}");
        assert_eq!(hits[0]["secret"].as_str(), Some(value.as_str()), "{path}");
        assert_eq!(
            hits[0]["rule_id"], "weak-encryption-key-assignment",
            "{path}"
        );
        assert_eq!(hits[0]["severity"], "low", "{path}");
    }
    let noisy: Vec<String> = findings
        .iter()
        .filter(|x| x["path"].as_str().is_some_and(|p| p.starts_with("n/")))
        .map(|x| format!("{} {} {}", x["path"], x["rule_id"], x["line"]))
        .collect();
    assert!(noisy.is_empty(), "reported in negative files: {noisy:?}");
}

/// A random-looking key of an AES key's length keeps the stronger rule that reads it (and its
/// severity): the weak tier is a fallback.
#[test]
fn a_random_key_of_an_aes_length_keeps_its_own_rule() {
    let mut f = Fake::new(0xcd25_5eed);
    let strong = f.from_alphabet(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        32,
    );
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/Crypto.java",
        format!("private static final String AES_KEY = \"{strong}\";\n"),
    );
    let report = scan_dir_json(dir.path(), &[]);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["secret"].as_str(), Some(strong.as_str()));
    assert_ne!(findings[0]["rule_id"], "weak-encryption-key-assignment");
    assert_ne!(findings[0]["severity"], "low");
}
