//! `Engine::scan_changed` (what `history` uses on successive versions of a file) must give exactly the
//! hits of a full `scan`: the same rules, secrets, offsets, lines and columns, whatever the edit. Each
//! test chains hundreds of random edits over text dense with keywords, secrets and the awkward cases
//! (keywords cut by an edit, private key blocks, allow markers, long lines without newlines).

use crate::common::Fake;
use leakguard::changes::common_blocks;
use leakguard::engine::{Engine, Hit, PathScope};
use leakguard::rules::RuleSet;

/// A small deterministic generator for the edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn private_key(fake: &mut Fake) -> String {
    let body = fake.base64_lines(12);
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        body.join("\n")
    )
}

/// One random line (or block of lines) of the kinds a history holds.
fn line(rng: &mut Rng, fake: &mut Fake) -> String {
    match rng.below(14) {
        0 => format!("token = \"{}\"\n", fake.github_pat()),
        1 => format!("aws_access_key_id = {}\n", fake.aws_key_id()),
        2 => format!("OPENAI_API_KEY={}\n", fake.openai_project()),
        3 => format!("slack: {}  # gitleaks:allow\n", fake.slack_bot()),
        4 => private_key(fake),
        5 => format!("password = \"{}\"\n", fake.alnum(20)),
        6 => {
            // Minified code: a long line, keywords and secrets far from any newline.
            let mut s = String::new();
            for _ in 0..40 {
                s.push_str(&format!("var a{}=\"{}\";", rng.below(1000), fake.alnum(60)));
                if rng.below(8) == 0 {
                    s.push_str(&format!("var t=\"{}\";", fake.github_pat()));
                }
            }
            s + "\n"
        }
        7 => "ghp_ key secret token password private_key sk- xoxb- AKIA\n".to_string(),
        8 => format!("    \"api_key\": \"{}\",\n", fake.hex(32)),
        _ => format!(
            "    let value_{} = compute({}, \"{}\");\n",
            rng.below(100_000),
            rng.below(100),
            "x".repeat(rng.below(30))
        ),
    }
}

/// A random edit of `text`: inserted, deleted, replaced or moved lines, or bytes cut or spliced
/// anywhere, including inside a keyword or a secret.
fn edit(text: &str, rng: &mut Rng, fake: &mut Fake) -> String {
    let b = text.as_bytes();
    let at = |rng: &mut Rng| rng.below(b.len() + 1);
    let line_at = |rng: &mut Rng| {
        let p = rng.below(b.len() + 1);
        b[..p]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1)
    };
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 4096);
    match rng.below(7) {
        0 => {
            let p = line_at(rng);
            out.extend_from_slice(&b[..p]);
            for _ in 0..1 + rng.below(5) {
                out.extend_from_slice(line(rng, fake).as_bytes());
            }
            out.extend_from_slice(&b[p..]);
        }
        1 => {
            let p = at(rng);
            let q = (p + rng.below(3000)).min(b.len());
            out.extend_from_slice(&b[..p]);
            out.extend_from_slice(&b[q..]);
        }
        2 => {
            // A few bytes spliced mid-line: splits or forms keywords.
            let p = at(rng);
            out.extend_from_slice(&b[..p]);
            out.extend_from_slice(
                ["gh", "p_", "x", "\n", "AKIA", "=", "\""][rng.below(7)].as_bytes(),
            );
            out.extend_from_slice(&b[p..]);
        }
        3 => {
            // Edits at both ends, as a generated file's header and its appended entries.
            out.extend_from_slice(format!("// generated {}\n", rng.below(1 << 30)).as_bytes());
            out.extend_from_slice(&b[line_at(rng).min(b.len())..]);
            out.extend_from_slice(line(rng, fake).as_bytes());
        }
        4 => {
            // A stretch moved elsewhere.
            let p = line_at(rng);
            let q = (p + rng.below(8000)).min(b.len());
            let rest: Vec<u8> = [&b[..p], &b[q..]].concat();
            let r = rng.below(rest.len() + 1);
            out.extend_from_slice(&rest[..r]);
            out.extend_from_slice(&b[p..q]);
            out.extend_from_slice(&rest[r..]);
        }
        5 => {
            // Several small edits spread over the file.
            let mut cur = b.to_vec();
            for _ in 0..1 + rng.below(6) {
                let p = rng.below(cur.len() + 1);
                let ins = line(rng, fake);
                cur.splice(p..p, ins.bytes());
            }
            out = cur;
        }
        _ => {
            out.extend_from_slice(b);
            out.extend_from_slice(line(rng, fake).as_bytes());
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn key(
    h: &Hit,
) -> (
    usize,
    String,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
    Vec<u8>,
) {
    (
        h.rule,
        h.secret.expose().to_string(),
        h.start,
        h.end,
        h.line,
        h.column,
        h.end_line,
        h.end_column,
        h.line_text.to_vec(),
    )
}

fn chain(seed: u64, versions: usize, initial_lines: usize) {
    let engine = Engine::new(RuleSet::builtin().unwrap());
    let mut rng = Rng(seed.wrapping_mul(0x2545F4914F6CDD1D) | 1);
    let mut fake = Fake::new(seed);
    let mut text: String = (0..initial_lines)
        .map(|_| line(&mut rng, &mut fake))
        .collect();
    let (_, mut keywords) = engine.scan_keeping_keywords(text.as_bytes(), PathScope::ContentOnly);
    let mut total_hits = 0;
    for v in 0..versions {
        let next = edit(&text, &mut rng, &mut fake);
        let (full, full_keywords) =
            engine.scan_keeping_keywords(next.as_bytes(), PathScope::ContentOnly);
        let (changed, changed_keywords) = engine.scan_changed(
            next.as_bytes(),
            PathScope::ContentOnly,
            text.as_bytes(),
            &keywords,
        );
        let full_keys: Vec<_> = full.iter().map(key).collect();
        let changed_keys: Vec<_> = changed.iter().map(key).collect();
        assert!(
            full_keys == changed_keys,
            "seed {seed}, version {v}: {} hits in full, {} incremental",
            full.len(),
            changed.len()
        );
        assert!(
            full_keywords == changed_keywords,
            "seed {seed}, version {v}: keywords differ"
        );
        total_hits += full.len();
        text = next;
        keywords = changed_keywords;
    }
    assert!(total_hits > versions, "the text holds secrets to find");
}

#[test]
fn incremental_matching_equals_full_matching_on_small_files() {
    for seed in 1..=6 {
        chain(seed, 150, 60);
    }
}

#[test]
fn incremental_matching_equals_full_matching_on_large_files() {
    // Large enough that most of each version is carried over rather than re-scanned.
    for seed in 101..=103 {
        chain(seed, 120, 3000);
    }
}

#[test]
fn common_blocks_are_shared_and_cover_small_edits() {
    let mut rng = Rng(7);
    let mut fake = Fake::new(7);
    let mut text: String = (0..3000).map(|_| line(&mut rng, &mut fake)).collect();
    let mut shared_total = 0usize;
    let mut len_total = 0usize;
    for _ in 0..100 {
        let next = edit(&text, &mut rng, &mut fake);
        let blocks = common_blocks(text.as_bytes(), next.as_bytes());
        let (mut o, mut n) = (0, 0);
        for b in &blocks {
            assert!(b.old >= o && b.new >= n && b.len > 0);
            assert_eq!(
                text.as_bytes()[b.old..b.old_end()],
                next.as_bytes()[b.new..b.new_end()]
            );
            (o, n) = (b.old_end(), b.new_end());
        }
        shared_total += blocks.iter().map(|b| b.len).sum::<usize>();
        len_total += next.len();
        text = next;
    }
    // Edits touch a few KB of files of hundreds of KB: nearly everything is found shared.
    assert!(
        shared_total * 100 > len_total * 95,
        "shared {shared_total} of {len_total}"
    );
}
