//! What the engine's unit tests share: an engine from TOML, rules and fake values.

use super::Engine;
use crate::rules::RuleSet;

pub(super) fn engine(toml: &str) -> Engine {
    Engine::new(RuleSet::from_toml_str(toml).unwrap_or_else(|e| panic!("{e}")))
}

pub(super) const PAT_RULE: &str =
    "[[rules]]\nid = \"pat\"\nregex = '''\\b(ghp_[A-Za-z0-9]{36})\\b'''\nkeywords = [\"ghp_\"]\n";

pub(super) const KEY_RULE: &str = "[[rules]]\nid = \"pk\"\nregex = '''-----BEGIN PRIVATE KEY-----[\\s\\S]{16,}?-----END PRIVATE KEY-----'''\nkeywords = [\"-----BEGIN\"]\n";

// Split so that the source file itself holds no token-shaped literal (the repository scans itself clean).
pub(super) const TOKEN: &str = concat!("ghp", "_Q7mZ2kR9xW4vB8nL1pS6tY3cF0hJ5dGaUeKi");

pub(super) const STS_RULE: &str = "[[rules]]\nid = \"sts\"\nregex = '''\\b(IQoJ[A-Za-z0-9/+]{100,}={0,2})(?:[^A-Za-z0-9/+=]|$)'''\nkeywords = [\"iqoj\"]\n";

pub(super) const JWT_RULE: &str = "[[rules]]\nid = \"jwt\"\nregex = '''\\b(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,})(?:[^A-Za-z0-9_.-]|$)'''\nkeywords = [\"eyj\"]\n";

/// The inputs of the engine's randomized differential tests.
pub(super) use crate::testrng::Rng;

/// Random-looking base64 of `n` characters (deterministic).
pub(super) fn b64(seed: u64, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            A[(x % 64) as usize] as char
        })
        .collect()
}

pub(super) fn sts(seed: u64, n: usize) -> String {
    format!("IQoJ{}", b64(seed, n - 4))
}

/// Every built-in rule that has a regex, as its file writes it: (file name, regex, the rule's
/// positive and negative examples). The tests that hold an engine part to the `regex` crate (or to
/// the compiled regex) on the whole catalog iterate this.
pub(super) fn builtin_regexes_with_examples() -> Vec<(&'static str, String, Vec<String>)> {
    let mut out = Vec::new();
    for (name, text) in crate::config::default_rule_files() {
        let file: toml::Table = toml::from_str(text).unwrap();
        let Some(toml::Value::Array(specs)) = file.get("rules") else {
            continue;
        };
        for spec in specs {
            let Some(src) = spec.get("regex").and_then(|v| v.as_str()) else {
                continue;
            };
            let examples = ["positive", "negative"]
                .iter()
                .filter_map(|k| spec.get("examples")?.get(k)?.as_array())
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            out.push((*name, src.to_string(), examples));
        }
    }
    out
}
