//! Every built-in rule whose secret opens with a fixed prefix finds values at its format's length
//! edges, in every prefix variant it names (issue 17, peers22).
//!
//! The peers' own examples exercise a format's edges (the shortest and longest body, each prefix
//! variant: test/live, versions, regions); a rule whose regex admits an edge that its entropy floor,
//! a validator, a filter or the prefilter's keywords then drop loses the credential silently. This
//! test reads each rule's regex as built (fragments expanded), generates from it, with a seeded
//! generator, one line per (variant, edge): every repetition inside the secret at its minimum, then
//! at its maximum (an open upper bound: minimum + 40), and one value per alternative of the secret's
//! alternations; around the secret, the shortest text the regex accepts (a vendor's name where the
//! rule asks for one). Each line is scanned alone, and a secret that opens and closes the match is
//! also written as an env line, JSON, YAML and a call; every one must give a finding overlapping the
//! value. The values are random draws from the rules' alphabets, never real credentials.

use crate::common::*;
use regex_syntax::hir::{Class, Hir, HirKind};

/// Rules whose regex admits an edge that is not a credential, each with the reason. A rule listed
/// here is a rule whose regex should be tightened; keep the list short.
const SKIP: &[(&str, &str)] = &[
    (
        "temporal-cloud-api-key",
        "a JWT: its header and payload must decode to JSON, which a draw from the alphabet does not",
    ),
    (
        "private-key-der-base64",
        "a DER key: 600 characters of one alternative (`\\n` escapes) are not a key, and the \
         entropy floor says so",
    ),
    (
        "slack-app-token",
        "the first branch admits 1-character segments (`xapp-3-a-0-hz2`); the entropy floor keeps \
         such draws out, and issued app tokens are far longer",
    ),
    (
        "slack-user-token",
        "the legacy xoxo/xoxs branch admits a 1-character tail; the entropy floor keeps the \
         3-character `xoxs-1-2-3-x` out",
    ),
];

/// Validators that check a value's structure (a decoded header, a checksum, a key's bytes): a draw
/// from the regex's alphabet is not such a value, so rules with one are outside this test (their
/// examples and their own tests cover them).
const STRUCTURAL: &[&str] = &[
    "jwt",
    "grafana-legacy-key",
    "fernet-key",
    "byte-array-key",
    "nkey-seed",
    "basic-credentials",
    "base64-text",
    "basic-pair",
    "wif-key",
    "bip32-private-key",
    "bech32",
    "stellar-seed",
];

/// Rules added by this branch that must stay in the tested set (the test fails if one is removed or
/// stops opening with a fixed prefix).
const MUST_TEST: &[&str] = &[
    "pubnub-publish-key",
    "pubnub-secret-key",
    // Regexes narrowed to what their keywords find (dt0 + a letter outside c/s/a, sk_0…).
    "dynatrace-api-token",
    "tickettailor-api-key",
];

struct Gen {
    rng: u64,
    /// Which alternative each alternation inside the secret takes (variant k takes k mod its count).
    variant: usize,
    /// true: every repetition inside the secret at its maximum; false: at its minimum.
    max: bool,
    secret_group: u32,
    /// The length of the secret's fixed prefix.
    head_len: usize,
    inside: bool,
    secret: Vec<u8>,
    /// Some repetition inside the secret had more than one choice (so min and max differ).
    alternations_seen: usize,
}

impl Gen {
    fn next(&mut self, n: usize) -> usize {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        (self.rng % n as u64) as usize
    }

    /// One byte of a class: printable ASCII only; outside the secret the plainest delimiter the class
    /// allows (a space, `=`, `:`, a quote), a case pair's lower case, a letter.
    fn pick(&mut self, bytes: &[u8]) -> Option<u8> {
        let printable: Vec<u8> = bytes
            .iter()
            .copied()
            .filter(|b| (0x20..0x7f).contains(b))
            .collect();
        if printable.is_empty() {
            return bytes.first().copied();
        }
        // The first digit after the fixed prefix (a version, a counter: `api03`, `sk_1…`) at its
        // class's edge: the lowest in the minimum draw, the highest in the maximum one.
        if self.inside
            && self.secret.len() == self.head_len
            && printable.iter().all(u8::is_ascii_digit)
        {
            return Some(if self.max {
                printable[printable.len() - 1]
            } else {
                printable[0]
            });
        }
        if printable.len() == 2 && printable[0].eq_ignore_ascii_case(&printable[1]) {
            return Some(printable[1].to_ascii_lowercase());
        }
        if !self.inside {
            for b in *b" =:\"" {
                if printable.contains(&b) {
                    return Some(b);
                }
            }
            if let Some(b) = printable.iter().find(|b| b.is_ascii_alphanumeric()) {
                return Some(*b);
            }
        } else {
            // A wide class (`.`, `\S`, `[^"]`) inside the secret: the token characters it allows.
            let token: Vec<u8> = printable
                .iter()
                .copied()
                .filter(|b| b.is_ascii_alphanumeric())
                .collect();
            if printable.len() > 80 && !token.is_empty() {
                return Some(token[self.next(token.len())]);
            }
        }
        Some(printable[self.next(printable.len())])
    }

    fn class_bytes(c: &Class) -> Vec<u8> {
        let mut out = Vec::new();
        match c {
            Class::Bytes(b) => {
                for r in b.ranges() {
                    out.extend(r.start()..=r.end());
                }
            }
            Class::Unicode(u) => {
                for r in u.ranges() {
                    let (s, e) = (r.start() as u32, (r.end() as u32).min(0x7f));
                    if s <= e {
                        out.extend((s..=e).map(|b| b as u8));
                    }
                }
            }
        }
        out
    }

    fn emit(&mut self, out: &mut Vec<u8>, b: &[u8]) {
        out.extend_from_slice(b);
        if self.inside {
            self.secret.extend_from_slice(b);
        }
    }

    fn admits_space(&self, h: &Hir) -> bool {
        match h.kind() {
            HirKind::Class(c) => Self::class_bytes(c).contains(&b' '),
            HirKind::Literal(l) => &*l.0 == b" ",
            HirKind::Capture(c) => self.admits_space(&c.sub),
            HirKind::Alternation(hs) => hs.iter().any(|x| self.admits_space(x)),
            _ => false,
        }
    }

    /// Whether `h` can match the empty string (an alternation outside the secret prefers such a
    /// branch: `(?:[^A-Za-z0-9]|$)` after a token takes the line's end).
    fn nullable(h: &Hir) -> bool {
        h.properties().minimum_len() == Some(0)
    }

    fn gen(&mut self, h: &Hir, out: &mut Vec<u8>) -> Result<(), String> {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => Ok(()),
            HirKind::Literal(l) => {
                self.emit(out, &l.0.clone());
                Ok(())
            }
            HirKind::Class(c) => {
                let bytes = Self::class_bytes(c);
                let b = self.pick(&bytes).ok_or("empty class")?;
                self.emit(out, &[b]);
                Ok(())
            }
            HirKind::Repetition(r) => {
                let n = if self.inside {
                    if self.max {
                        r.max.unwrap_or(r.min + 40).min(r.min + 400)
                    } else {
                        r.min
                    }
                } else if r.min == 0 && r.max != Some(0) && self.admits_space(&r.sub) {
                    // Between a vendor's name and its key (`acme(?:.|\n){0,32}?key`), a space: the
                    // words stay words (a `\b` after them holds).
                    out.push(b' ');
                    return Ok(());
                } else {
                    r.min
                };
                for _ in 0..n {
                    self.gen(&r.sub, out)?;
                }
                Ok(())
            }
            HirKind::Capture(c) => {
                let was = self.inside;
                if c.index == self.secret_group {
                    self.inside = true;
                }
                let r = self.gen(&c.sub, out);
                self.inside = was;
                r
            }
            HirKind::Concat(hs) => {
                for x in hs {
                    self.gen(x, out)?;
                }
                Ok(())
            }
            HirKind::Alternation(hs) => {
                let i = if self.inside {
                    self.alternations_seen = self.alternations_seen.max(hs.len());
                    self.variant % hs.len()
                } else {
                    hs.iter().position(Self::nullable).unwrap_or(0)
                };
                self.gen(&hs[i], out)
            }
        }
    }
}

/// The capture group `index` of `h`, if any.
fn find_group(h: &Hir, index: u32) -> Option<&Hir> {
    match h.kind() {
        HirKind::Capture(c) if c.index == index => Some(&c.sub),
        HirKind::Capture(c) => find_group(&c.sub, index),
        HirKind::Repetition(r) => find_group(&r.sub, index),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            hs.iter().find_map(|x| find_group(x, index))
        }
        _ => None,
    }
}

/// The length of the fixed text a secret opens with: literal bytes and one-character classes (a case
/// pair counts), through alternations of such (their shortest), before anything that varies.
fn fixed_prefix(h: &Hir) -> usize {
    fn item(h: &Hir) -> Option<usize> {
        match h.kind() {
            HirKind::Literal(l) => Some(l.0.len()),
            HirKind::Class(c) => {
                let b = Gen::class_bytes(c);
                let one = b.len() == 1 || (b.len() == 2 && b[0].eq_ignore_ascii_case(&b[1]));
                one.then_some(1)
            }
            HirKind::Capture(c) => item(&c.sub),
            HirKind::Concat(hs) => {
                let mut n = 0;
                for x in hs {
                    n += item(x)?;
                }
                Some(n)
            }
            HirKind::Alternation(hs) => hs
                .iter()
                .map(item)
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .min(),
            _ => None,
        }
    }
    match h.kind() {
        HirKind::Concat(hs) => {
            let mut n = 0;
            for x in hs {
                match (x.kind(), item(x)) {
                    (HirKind::Look(_), _) => {}
                    (_, Some(k)) => n += k,
                    // An alternation of prefixes whose branches go on varying (`sk-(?:proj-|...)`)
                    // still opens with the text every branch shares; stop there.
                    _ => break,
                }
            }
            n
        }
        _ => item(h).unwrap_or(0),
    }
}

struct Case {
    rule: String,
    /// Written before the value on its line: the rule's keyword when the rule's keywords are its
    /// vendor's name rather than its prefix (`fw_…` is found where `fireworks` is named on the line:
    /// `fw_` is too common a prefilter); empty otherwise.
    prelude: String,
    label: String,
    line: Vec<u8>,
    secret: String,
    bare: bool,
}

fn cases() -> (Vec<Case>, Vec<String>, Vec<String>) {
    let mut out = Vec::new();
    let mut ungenerated = Vec::new();
    let mut tested = Vec::new();
    for (_, text) in leakguard::config::default_rule_files() {
        let table: toml::Table = toml::from_str(text).unwrap();
        let Some(rules) = table.get("rules").and_then(|r| r.as_array()) else {
            continue;
        };
        for r in rules {
            let id = r["id"].as_str().unwrap().to_string();
            let (Some(re), Some(group)) = (
                r.get("regex").and_then(|v| v.as_str()),
                r.get("secretGroup").and_then(|v| v.as_integer()),
            ) else {
                continue;
            };
            // Rules bound to a path, rules read over several lines and rules a generic finding stands
            // for are outside the question (a fixed prefix is a format's).
            if r.get("path").is_some()
                || SKIP.iter().any(|(s, _)| *s == id)
                || r.get("validators")
                    .and_then(|v| v.as_array())
                    .is_some_and(|v| {
                        v.iter()
                            .any(|x| STRUCTURAL.contains(&x.as_str().unwrap_or("")))
                    })
                || r.get("tags")
                    .and_then(|t| t.as_array())
                    .is_some_and(|t| t.iter().any(|x| x.as_str() == Some("generic")))
            {
                continue;
            }
            // As the engine builds it: Unicode off, else (a pattern that needs it) on.
            let parsed = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(re)
                .ok()
                .or_else(|| regex_syntax::parse(re).ok());
            let Some(hir) = parsed else { continue };
            let Some(secret) = find_group(&hir, group as u32) else {
                continue;
            };
            let head_len = fixed_prefix(secret);
            if head_len < 3 {
                continue;
            }
            let compiled = regex::bytes::RegexBuilder::new(re)
                .unicode(false)
                .build()
                .or_else(|_| regex::bytes::Regex::new(re))
                .unwrap();
            tested.push(id.clone());
            let validators: Vec<String> = r
                .get("validators")
                .and_then(|k| k.as_array())
                .map(|k| {
                    k.iter()
                        .filter_map(|x| x.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let keywords: Vec<String> = r
                .get("keywords")
                .and_then(|k| k.as_array())
                .map(|k| {
                    k.iter()
                        .filter_map(|x| x.as_str())
                        .map(str::to_lowercase)
                        .collect()
                })
                .unwrap_or_default();
            // A prefix rule's draws are written alone: a draw its keywords do not find (a prefix
            // variant the regex admits and the keywords miss) is one the prefilter never lets the
            // regex see, the failure this test is for.
            let mut variants = 1;
            let mut k = 0;
            while k < variants && k < 8 {
                for max in [false, true] {
                    // Seeded by the rule's id, so a rule's draws do not move when rules are added.
                    let seed = id
                        .bytes()
                        .chain([k as u8, max as u8])
                        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
                        });
                    let mut g = Gen {
                        rng: seed | 1,
                        variant: k,
                        max,
                        secret_group: group as u32,
                        head_len,
                        inside: false,
                        secret: Vec::new(),
                        alternations_seen: 0,
                    };
                    // The value validators a random draw may miss by chance (no digit in 20
                    // characters): draw again, as an issued value would have them.
                    let mut line = Vec::new();
                    let mut drawn = false;
                    for _ in 0..16 {
                        line.clear();
                        g.secret.clear();
                        if g.gen(&hir, &mut line).is_err() || g.secret.is_empty() {
                            break;
                        }
                        if meets_validators(&g.secret, &validators) {
                            drawn = true;
                            break;
                        }
                    }
                    if !drawn {
                        continue;
                    }
                    variants = variants.max(g.alternations_seen);
                    // The line must be one the rule's regex matches with this secret (a look-around
                    // the generator cannot honour leaves the draw out, counted).
                    let caps = compiled.captures(&line);
                    if caps
                        .and_then(|c| c.get(group as usize))
                        .map(|m| m.as_bytes())
                        != Some(&g.secret[..])
                    {
                        ungenerated.push(format!("{id} v{k}"));
                        continue;
                    }
                    let secret = String::from_utf8_lossy(&g.secret).into_owned();
                    // The rule's first keyword before the value, where the value holds none of
                    // them: a prefix rule's keywords are in its prefix (`dt0c0` of `dt0c01.`,
                    // `sk_1`), a vendor-named rule's are a word (`fireworks`; `exoscale` for
                    // `EXO…`), and a rule keyed on one start of its values as well as on its
                    // name (`fw_3z` and `firework`) has its name written where a draw has not
                    // that start.
                    let lower = secret.to_lowercase();
                    let prelude = if keywords.is_empty()
                        || keywords.iter().any(|k| lower.contains(k.as_str()))
                    {
                        String::new()
                    } else {
                        format!("{} ", keywords[0])
                    };
                    // Bare: the match is the secret give or take one delimiter each side.
                    let bare = line.len() <= g.secret.len() + 2
                        && !line
                            .iter()
                            .take(line.len() - g.secret.len())
                            .any(|b| b.is_ascii_alphanumeric());
                    out.push(Case {
                        rule: id.clone(),
                        prelude,
                        label: format!("v{k}-{}", if max { "max" } else { "min" }),
                        line,
                        secret,
                        bare,
                    });
                }
                k += 1;
            }
        }
    }
    (out, tested, ungenerated)
}

/// Whether a drawn value has what the rule's value validators ask of any issued value.
fn meets_validators(v: &[u8], validators: &[String]) -> bool {
    let has = |f: fn(&u8) -> bool| v.iter().any(f);
    validators.iter().all(|x| match x.as_str() {
        "letters-and-digits" => has(u8::is_ascii_alphabetic) && has(u8::is_ascii_digit),
        "mixed-case" => has(u8::is_ascii_uppercase) && has(u8::is_ascii_lowercase),
        "not-hex-only" => !v
            .iter()
            .all(|b| b.is_ascii_hexdigit() || !b.is_ascii_alphanumeric()),
        _ => true,
    })
}

fn overlaps(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let need = short.len().min(8);
    (0..=short.len() - need).any(|i| long.contains(&short[i..i + need]))
}

#[test]
fn fixed_prefix_rules_find_values_at_their_length_edges() {
    let (cases, tested, ungenerated) = cases();
    assert!(tested.len() > 250, "{} rules tested", tested.len());
    // Draws the regex did not take back are few (look-arounds the generator cannot honour).
    assert!(ungenerated.len() * 20 < cases.len(), "{ungenerated:?}");
    for id in MUST_TEST {
        assert!(tested.iter().any(|t| t == id), "{id} is not tested");
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut expect: Vec<(String, usize)> = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        // Not the file's first byte: some rules' keywords carry the byte before the prefix (a line's
        // start among them), and a file that opens with the key is another question.
        let mut line = format!("# the key\n{}", c.prelude).into_bytes();
        line.extend_from_slice(&c.line);
        line.push(b'\n');
        let name = format!("{i:05}/line.txt");
        files.push((name.clone(), line));
        expect.push((name, i));
        if c.bare {
            let s = &c.secret;
            for (name, body) in [
                ("a.env", format!("ACME_TOKEN={s}\n")),
                (
                    "b.json",
                    format!("{{\n  \"auth\": {{\"token\": \"{s}\"}}\n}}\n"),
                ),
                ("c.yaml", format!("service:\n  credential: '{s}'\n")),
                ("d.py", format!("client = Client(api_key=\"{s}\")\n")),
            ] {
                let name = format!("{i:05}/{name}");
                files.push((name.clone(), body.into_bytes()));
                expect.push((name, i));
            }
        }
    }
    let by_path = scan_files_by_path(&files);
    let mut missed = Vec::new();
    for (name, i) in &expect {
        let c = &cases[*i];
        let found = by_path
            .get(name)
            .is_some_and(|fs| fs.iter().any(|(_, s)| overlaps(s, &c.secret)));
        if !found {
            missed.push(format!(
                "{} {} {}: {}",
                c.rule,
                c.label,
                name,
                String::from_utf8_lossy(&c.line)
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} values not found:\n{}",
        missed.len(),
        expect.len(),
        missed.join("\n")
    );
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// PubNub's publish and secret keys are found by their format wherever a keyset is written (env, YAML,
/// JSON, the JS and Java SDKs, the publish REST URL); the subscribe key (public, read-only) and
/// placeholders are not.
#[test]
fn pubnub_publish_and_secret_keys_are_found_by_their_format() {
    let mut f = Fake::new(2201);
    let (publish, subscribe) = (format!("pub-c-{}", f.uuid()), format!("sub-c-{}", f.uuid()));
    let secret = format!("sec-c-{}", b64(f.uuid().as_bytes()));
    let files = [
        ("a.env", format!("PN_PUB={publish}\nPN_SUB={subscribe}\nPN_SEC={secret}\n")),
        ("b.yaml", format!("pubnub:\n  publish: \"{publish}\"\n  secret: '{secret}'\n")),
        ("c.json", format!("{{\"keys\": [\"{publish}\", \"{subscribe}\", \"{secret}\"]}}\n")),
        (
            "d.js",
            format!("const pn = new PubNub({{ publishKey: '{publish}', secretKey: \"{secret}\" }});\n"),
        ),
        (
            "e.java",
            format!("config.setPublishKey(\"{publish}\");\nconfig.setSecretKey(\"{secret}\");\n"),
        ),
        (
            "f.sh",
            format!("curl \"https://ps.pndsn.com/publish/{publish}/{subscribe}/0/ch/0/%22x%22\"\n# {secret}\n"),
        ),
    ];
    let by_path = scan_files_by_path(&files);
    for (name, _) in &files {
        let got = by_path.get(*name).cloned().unwrap_or_default();
        for (rule, value) in [
            ("pubnub-publish-key", &publish),
            ("pubnub-secret-key", &secret),
        ] {
            assert!(
                got.iter().any(|(r, s)| r == rule && s == value),
                "{name}: {rule} not found: {got:?}"
            );
        }
        assert!(
            !got.iter().any(|(_, s)| s.contains(&subscribe[6..])),
            "{name}: {got:?}"
        );
    }
    let negatives = [
        ("n1.env", format!("PN_SUB={subscribe}\n")),
        (
            "n2.env",
            "PN_PUB=pub-c-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\n".to_string(),
        ),
        (
            "n3.env",
            format!("PN_PUB={}\n", &publish[..publish.len() - 13]),
        ),
        ("n4.env", format!("PN_SEC={}\n", &secret[..30])),
        ("n5.env", "PN_SEC=sec-c-<your-secret-key>\n".to_string()),
    ];
    let by_path = scan_files_by_path(&negatives);
    for (name, _) in &negatives {
        let got = by_path.get(*name).cloned().unwrap_or_default();
        assert!(
            !got.iter().any(|(r, _)| r.starts_with("pubnub")),
            "{name}: {got:?}"
        );
    }
}
