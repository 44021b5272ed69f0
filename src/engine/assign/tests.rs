//! The hand readers of `AssignRead` against the `regex` crate: every match and its value's group
//! on random lines of hits and near misses and on the repository's fixtures.

use super::generic::{GENERIC_SECRET, SESSION_SECRET};
use super::key::GENERIC_KEY;
use super::weak::{WEAK_PASSWORD, WEAK_SECRET};
use super::{AssignRead, KeywordStarts, Lead};
use crate::testrng::{n, Rng, Spans};

/// The built-in rule's regex and keywords, as the engine loads them (fragments written out).
fn builtin(id: &str) -> (String, Vec<String>) {
    let rule = crate::rules::RuleSet::builtin()
        .unwrap()
        .rules
        .into_iter()
        .find(|r| &*r.id == id)
        .expect("the rule is built in");
    (rule.regex.unwrap().as_str().to_string(), rule.keywords)
}

/// The engine's view of the pattern: its lead, where matches start, its keywords.
struct Setup {
    read: AssignRead,
    lead: Option<Lead>,
    starts: Option<KeywordStarts>,
    keywords: Vec<Vec<u8>>,
    re: regex::bytes::Regex,
}

fn setup(id: &str, src: &str) -> Setup {
    let (builtin, keywords) = builtin(id);
    assert_eq!(builtin, src);
    let hir = super::super::gate::parse(src).unwrap();
    let read = AssignRead::of(src).expect("read by hand");
    // The keyed readers' starts, as the engine works them out: the name run split off, the
    // keywords the rest opens with.
    let (lead, starts) = match Lead::split(&hir) {
        Some((lead, rest)) => (Some(lead), KeywordStarts::of(&rest, &keywords)),
        None => (None, None),
    };
    assert_eq!(read.keyed(), lead.is_some() && starts.is_some());
    // The engine reads `$` as a line's end (`gate::on_lines`): `(?m)`'s `$`.
    let re = regex::bytes::RegexBuilder::new(src)
        .unicode(false)
        .multi_line(true)
        .size_limit(crate::rules::REGEX_SIZE_LIMIT)
        .build()
        .unwrap();
    Setup {
        read,
        lead,
        starts,
        keywords: keywords.iter().map(|k| k.as_bytes().to_vec()).collect(),
        re,
    }
}

/// Every position where a keyword starts (ASCII case folded), as the keyword pass reports
/// them, offset by `base`.
fn hits(s: &Setup, hay: &[u8], base: usize) -> Vec<usize> {
    (0..hay.len())
        .filter(|&i| {
            s.keywords
                .iter()
                .any(|k| hay.len() >= i + k.len() && hay[i..i + k.len()].eq_ignore_ascii_case(k))
        })
        .map(|i| i + base)
        .collect()
}

fn by_hand(s: &Setup, hay: &[u8], base: usize) -> Spans {
    let mut out = Vec::new();
    let hits = hits(s, hay, base);
    let keyed = s
        .starts
        .as_ref()
        .zip(s.lead.as_ref())
        .map(|(starts, lead)| (starts, &hits[..], base, lead));
    s.read.for_each(hay, keyed, |f| {
        out.push((f.start, f.end, f.value.0, f.value.1))
    });
    out
}

/// Every match with the group that matched (the rule's secret: the first non-empty one).
fn by_regex(s: &Setup, hay: &[u8]) -> Spans {
    s.re.captures_iter(hay)
        .map(|c| {
            let m = c.get(0).unwrap();
            let v = c
                .iter()
                .skip(1)
                .flatten()
                .find(|g| !g.is_empty())
                .expect("every match has its value");
            (m.start(), m.end(), v.start(), v.end())
        })
        .collect()
}

fn pick<'a>(r: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[n(r, xs.len())]
}

/// A line of the shapes the rule reads and the near misses around them: names glued to the
/// keywords (and near misses of them), every lead-in (call arguments, XML pairs, quotes,
/// brackets, type annotations, C# accessors, each operator and near misses), constructors,
/// calls, fallbacks, values in every form around their bounds, and what may end them.
fn random_line(r: &mut Rng) -> Vec<u8> {
    const NAMES: &[&str] = &[
        "",
        "",
        "db_",
        "my.",
        "x-",
        "AWS_",
        "client",
        "user.",
        "é",
        "a b",
        "$",
        "[",
        "-",
        ".",
        "jwt_",
        "a_name_prefix_that_runs_longer_than_forty_bytes_",
        "x.a_name_of_thirty_nine_bytes_abcdefghi",
    ];
    const KEYWORDS: &[&str] = &[
        "password",
        "PASSWORD",
        "Passwd",
        "passphrase",
        "pwd",
        "secret",
        "Secret",
        "token",
        "TOKEN",
        "api_key",
        "api-key",
        "api.key",
        "apikey",
        "ApiKey",
        "api__key",
        "api_ke",
        "access_key",
        "accessKey",
        "auth-key",
        "authkey",
        "private_key",
        "privateKey",
        "credential",
        "credentials",
        "CREDENTIALSS",
        "tokens",
        "token_id",
        "secretKey",
        "pass",
        "passwor",
        "tok",
        "session_secret",
        "SessionSecret",
        "cookie-secret",
        "secret_key",
        "SECRET_KEY_BASE",
        "secretkeybase",
        "secret-key_base",
        "secret_key_bas",
        "app_secret_key",
        "appsecretkey",
        "NEXTAUTH_SECRET",
        "nextauth.secret",
        "auth_secret",
        "authsecret",
        "session_key",
        "sessionKey",
        "signing_secret",
        "secret_token",
        "secret..token",
        "session__secret",
    ];
    const LEADS: &[&str] = &[
        "=",
        " = ",
        ":",
        ": ",
        "=>",
        " => ",
        "<-",
        " <- ",
        "||=",
        "??=",
        "?=",
        ":=",
        " := ",
        "||",
        "??",
        "==",
        "!=",
        "<=",
        "-",
        "",
        " ",
        "\t=\t",
        "\"]=",
        "\"] = ",
        "'] = ",
        "\\\"=",
        "\\\": ",
        "\": ",
        "': ",
        "\", ",
        "', ",
        "\",default=",
        "\", fallback = ",
        "\",  default =",
        "\" value=",
        "' value = ",
        "\"value=",
        "\\\", ",
        ": str = ",
        ": String = ",
        ": &'static str = ",
        ":&'static  str=",
        ": Option<String> = ",
        ": string | undefined = ",
        ": Dict[str, str] = ",
        ": a, b, c, d, e, f, g, h, i, j, k = ",
        ": Type",
        ": 9x = ",
        " { get; set; } = ",
        " {get; private set;} = ",
        "{ get; }=",
        " { get; init; } = ",
        " { get; set; }",
        " { get; aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa } = ",
        " = String::from(",
        " = String(",
        " = new String(",
        " = new  String(",
        " = str(",
        " = SecretStr(",
        " = SecretString(",
        " = Secret(",
        " = Some(",
        " = Some (",
        " = some(",
        "=String::from (",
        ">",
        "=",
        "=",
        "= ",
        "\n= ",
    ];
    const CALLS: &[&str] = &[
        "os.getenv(",
        "getenv(",
        "config.get(",
        "env()(",
        "a.b().get(",
        "a.b.c.d.e.f.g.h.i.j.k.l.m(",
        "_x(",
        "9x(",
        "f (",
        "f()(",
        "f().g(",
        "settings.value.x(",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(",
    ];
    const FALLBACKS: &[&str] = &[
        "process.env.X || ", "process.env.X||", "os.environ.get(\"X\") or ", "x or ",
        "xor ", "x ?? ", "$ENV['x'] || ", "a.b[0] ?? ", "x ||", "x | ", "orx ",
        "a_very_long_fallback_expression_that_goes_on_and_on_for_a_while_longer_than_eighty_bytes || ",
    ];
    const PREFIXES: &[&str] = &["", "", "", "b", "r", "u", "B", "f", "\\"];
    const VALCH: &[u8] = b"aZ09+/=_.-~!@%^*&#$";
    const ENDS: &[&str] = &[
        "",
        "",
        " ",
        "  ",
        ";",
        " ;",
        "; ",
        " # c",
        "#",
        " // c",
        "//",
        " \\",
        "\\",
        "\t\\",
        ",",
        ")",
        ");",
        " ) ; ",
        "\\n\"",
        "\\n\");",
        "\",",
        "\"",
        "'",
        "\" )",
        "' -t app .",
        " --flag",
        " -f",
        " -",
        " x",
        " X",
        " .",
        "\\n\" run",
        "&name=",
        "&n.a-m_e=",
        "&=",
        "&9=",
        "</",
        "</x>",
        "<",
        "\n",
        " \n",
        "\n\n",
        "\r\n",
        " \r\n ",
        "é",
        " + x",
        "+",
        ".format(x)",
        " . $x",
        ".",
        ". 9",
        "[0]",
        " [",
        " % (",
        "%s",
        "%\t",
        "% x",
        // The ends of a value inside a string (`embedded_value_end`, stop 26).
        "\";",
        "\" ;",
        "\" + x",
        "\", \"B=1\"]",
        "\"]",
        "\"}",
        "'.",
        "`",
        "`;",
        "`.trim()",
        "\\r",
        "\\t\"",
        "\\r\\n\";",
        "\\nUser: x\"",
        "\\x",
        "@host",
        "@host\"",
        "&x\"",
        ":x\"",
    ];
    let mut line = Vec::new();
    for _ in 0..n(r, 3) + 1 {
        if n(r, 3) == 0 {
            line.extend_from_slice(pick(r, &["x ", "\t", "{", "(\"", "  ", "é", ";"]).as_bytes());
        }
        line.extend_from_slice(pick(r, NAMES).as_bytes());
        line.extend_from_slice(pick(r, KEYWORDS).as_bytes());
        line.extend_from_slice(pick(r, LEADS).as_bytes());
        match n(r, 5) {
            0 => line.extend_from_slice(pick(r, CALLS).as_bytes()),
            1 => line.extend_from_slice(pick(r, FALLBACKS).as_bytes()),
            _ => {}
        }
        if n(r, 4) == 0 {
            line.extend_from_slice(pick(r, &[" ", "  ", "\t", "\n"]).as_bytes());
        }
        line.extend_from_slice(pick(r, PREFIXES).as_bytes());
        let quote = pick(r, &["\"", "'", "`", "", "", "\"\"\"", "''", "\\\"", ">"]);
        line.extend_from_slice(quote.as_bytes());
        let len = match n(r, 6) {
            0 => n(r, 12),
            1 => 8 + n(r, 5),
            2 => 198 + n(r, 5),
            3 => 62 + n(r, 5),
            _ => 10 + n(r, 30),
        };
        let digit = n(r, 3) != 0;
        // Letters alone, around the bare form's 20 to 200.
        let letters = n(r, 5) == 0;
        for i in 0..len {
            if digit && i == len / 2 {
                line.push(b'0' + n(r, 10) as u8);
            } else if letters {
                line.push(b"abcXYZ"[n(r, 6)]);
            } else if n(r, 30) == 0 {
                line.extend_from_slice(
                    pick(r, &[" ", "\"", "'", "\\", "é", "<", ">", "`", "(", ")"]).as_bytes(),
                );
            } else {
                line.push(VALCH[n(r, VALCH.len())]);
            }
        }
        match n(r, 3) {
            0 => line.extend_from_slice(quote.trim_start_matches('\\').as_bytes()),
            1 => line.extend_from_slice(quote.as_bytes()),
            _ => {}
        }
        if n(r, 4) == 0 {
            line.extend_from_slice(pick(r, &[")", " )", "\")", ",", " , "]).as_bytes());
        }
        line.extend_from_slice(pick(r, ENDS).as_bytes());
    }
    line
}

#[test]
fn generic_secret_matches_are_the_regex_matches() {
    same_as_the_regex(
        "generic-secret-assignment",
        GENERIC_SECRET,
        0x2545_F491_4F6C_DD1D,
    );
}

#[test]
fn weak_secret_matches_are_the_regex_matches() {
    same_as_the_regex("weak-secret-assignment", WEAK_SECRET, 0xD1B5_4A32_D192_ED03);
}

#[test]
fn weak_password_matches_are_the_regex_matches() {
    same_as_the_regex_with(
        "weak-password-assignment",
        WEAK_PASSWORD,
        0x6A09_E667_F3BC_C908,
        password_line,
    );
}

/// A line of `weak-password-assignment`'s shapes and the near misses around them: call forms
/// (`set("db_password", "…")`, with blanks, escaped quotes, other words and words glued to a name
/// before them), names before and glued to each password word and near misses of them (`compass`,
/// `passw`, `xPASS`, a name longer than the 40-byte run), digits after the word, every lead-in
/// (quotes, brackets, types, operators and near misses, constructors), values in each quoting
/// around their bounds (3, 64) with stray quotes, blanks and backslashes, and the trailers.
fn password_line(r: &mut Rng) -> Vec<u8> {
    const CALLS: &[&str] = &[
        "set(",
        "Set(\"",
        "setenv(",
        "SETENV( ",
        "putenv(\t",
        "put(",
        "setProperty(",
        "setdefault(",
        "getenv(",
        "get(",
        "env(",
        "add(",
        "setattr(",
        "os.putenv(",
        "xset(",
        "_get(",
        "9put(",
        "set (",
        "sett(",
        "gett(",
        "setattrs(",
        "(",
        "set(\\",
    ];
    const NAMES: &[&str] = &[
        "",
        "",
        "",
        "db_",
        "my.",
        "x-",
        "DB_",
        "user",
        "a b",
        "$",
        "[",
        "-",
        ".",
        "_",
        "é",
        "client.",
        "a_name_prefix_that_runs_longer_than_forty_bytes_",
        "x.a_name_of_thirty_nine_bytes_abcdefghi",
        "abcdefghij_abcdefghij_abcdefghij_abcdefg",
        "abcdefghij_abcdefghij_abcdefghij_abcdefgh",
        "root",
        "9",
        "x",
    ];
    const WORDS: &[&str] = &[
        "password",
        "PASSWORD",
        "Password",
        "passwd",
        "PassWd",
        "passwort",
        "passphrase",
        "_pass",
        "-PWD",
        ".pwd",
        "_Pass",
        "Pass",
        "Pwd",
        "PASS",
        "PWD",
        "pass",
        "pwd",
        "PaSs",
        "dbPass",
        "xPwd",
        "DBPASS",
        "9PWD",
        "9Pass",
        "xPASS",
        "XPass",
        "passw",
        "pas",
        "pw",
        "compass",
        "passed",
        "passwords",
        "password_hash",
        "pwdx",
        "bypass",
        "Passport",
    ];
    const CLOSE: &[&str] = &["\"", "'", "\\\"", "`", "\"]", "", "\"\"", "'\\'"];
    const LEADS: &[&str] = &[
        ", ",
        ",",
        " , ",
        "\t,\t",
        "",
        " ",
        "=",
        " = ",
        ":",
        ": ",
        "=>",
        " => ",
        "<-",
        "||=",
        "??=",
        "?=",
        ":=",
        "||",
        "??",
        "==",
        "!=",
        "<=",
        "-",
        "] = ",
        "]=",
        ": str = ",
        ":&'static str=",
        ": &str = ",
        ": Option<String> = ",
        ": string|null = ",
        ": a.b[c]<d> = ",
        ": abcdefghijklmnopqrstuvwxyz0123456 = ",
        ": 9x = ",
        " = String::from(",
        " = new  String(",
        " = str(",
        " = SecretStr(",
        " = Some(",
        " = some(",
        "=Secret(",
        "\n= ",
    ];
    const PREFIXES: &[&str] = &["", "", "", "b", "r", "U", "f", "\\"];
    const QUOTES: &[&str] = &["\"", "'", "`", "\\\"", "", "\"\"", "''"];
    const TRAILERS: &[&str] = &[
        "",
        "",
        "",
        " + x",
        "+",
        ".format(x)",
        " . $x",
        ".",
        ". 9",
        "[0]",
        " [",
        " % (",
        "%s",
        "%\t",
        "% x",
        ",",
        ";",
        ")",
        "\n",
        " # c",
        "é",
    ];
    let mut line = Vec::new();
    for _ in 0..n(r, 3) + 1 {
        if n(r, 3) == 0 {
            line.extend_from_slice(pick(r, &["x ", "\t", "{", "(\"", "  ", "é", ";"]).as_bytes());
        }
        let call = n(r, 3) == 0;
        if call {
            line.extend_from_slice(pick(r, CALLS).as_bytes());
            line.extend_from_slice(pick(r, &["\"", "'", "\\\"", "", " \""]).as_bytes());
        }
        line.extend_from_slice(pick(r, NAMES).as_bytes());
        line.extend_from_slice(pick(r, WORDS).as_bytes());
        if n(r, 4) == 0 {
            line.extend_from_slice(pick(r, &["1", "2", "12", "x"]).as_bytes());
        }
        if call || n(r, 4) == 0 {
            line.extend_from_slice(pick(r, CLOSE).as_bytes());
        }
        line.extend_from_slice(pick(r, LEADS).as_bytes());
        if n(r, 4) == 0 {
            line.extend_from_slice(pick(r, &[" ", "  ", "\t", "\n"]).as_bytes());
        }
        line.extend_from_slice(pick(r, PREFIXES).as_bytes());
        let quote = pick(r, QUOTES);
        line.extend_from_slice(quote.as_bytes());
        let len = match n(r, 5) {
            0 => n(r, 6),
            1 => 62 + n(r, 5),
            _ => 3 + n(r, 20),
        };
        for _ in 0..len {
            if n(r, 25) == 0 {
                line.extend_from_slice(
                    pick(r, &[" ", "\"", "'", "\\", "é", "`", "\t", "\n"]).as_bytes(),
                );
            } else {
                line.push(b"aZ09+/=_.-~!@%^*&#$()<>[]"[n(r, 25)]);
            }
        }
        match n(r, 4) {
            0 => {}
            1 => line.extend_from_slice(quote.trim_start_matches('\\').as_bytes()),
            _ => line.extend_from_slice(quote.as_bytes()),
        }
        line.extend_from_slice(pick(r, TRAILERS).as_bytes());
    }
    line
}

#[test]
fn session_secret_matches_are_the_regex_matches() {
    same_as_the_regex(
        "session-secret-assignment",
        SESSION_SECRET,
        0x9E37_79B9_7F4A_7C15,
    );
}

/// Every match and its value's group, by hand and by the `regex` crate, on 30,000 random
/// lines and on the repository's fixtures (whole files and line by line).
fn same_as_the_regex(id: &str, src: &str, seed: u64) {
    same_as_the_regex_with(id, src, seed, random_line)
}

/// `same_as_the_regex` with lines from `line`.
fn same_as_the_regex_with(id: &str, src: &str, seed: u64, line: fn(&mut Rng) -> Vec<u8>) {
    let s = setup(id, src);
    let mut r = Rng(seed);
    let (mut matched, mut lines) = (0, 0);
    let mut forms = std::collections::BTreeSet::new();
    for _ in 0..30_000 {
        let line = line(&mut r);
        let want = by_regex(&s, &line);
        matched += want.len();
        lines += 1;
        for &(_, end, _, ve) in &want {
            // Which form matched, by what follows the value (a rough census).
            forms.insert(line.get(ve).copied().map(|b| b as char));
            let _ = end;
        }
        let base = n(&mut r, 3) * 1000;
        assert_eq!(
            by_hand(&s, &line, base),
            want,
            "{:?}",
            String::from_utf8_lossy(&line)
        );
    }
    // The lines are near misses and hits both, of many forms.
    assert!(matched > 500, "{matched} of {lines}");
    assert!(forms.len() >= 4, "{forms:?}");
    // Real lines: every file of the repository's fixtures, whole and line by line, and any
    // further tree named in `LEAKGUARD_ASSIGN_DIFF_DIR` (the benchmark's inputs).
    let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    if let Some(extra) = std::env::var_os("LEAKGUARD_ASSIGN_DIFF_DIR") {
        files.extend(std::env::split_paths(&extra));
    }
    let (mut real, mut hits) = (0, 0);
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let Ok(text) = std::fs::read(&p) else {
            continue;
        };
        assert_eq!(
            by_hand(&s, &text, 0),
            by_regex(&s, &text),
            "{}",
            p.display()
        );
        for line in text.split(|&b| b == b'\n') {
            let want = by_regex(&s, line);
            hits += want.len();
            real += 1;
            assert_eq!(
                by_hand(&s, line, 7),
                want,
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(line)
            );
        }
    }
    eprintln!("{lines} random lines, {matched} matches; {real} real lines, {hits} matches");
    assert!(real > 1_000 && hits > 0, "{real} {hits}");
}

#[test]
fn only_the_exact_pattern_is_read_by_hand() {
    assert_eq!(AssignRead::of(GENERIC_SECRET), Some(AssignRead::Generic));
    assert_eq!(AssignRead::of(SESSION_SECRET), Some(AssignRead::Session));
    // One byte off (values of 11, not 10) keeps the regex.
    assert_eq!(
        AssignRead::of(&GENERIC_SECRET.replacen("{10,200}", "{11,200}", 1)),
        None
    );
    // The built-in rule is this pattern (its fragments written out): a catalog edit that
    // changes it must update the reader (or drop it), which this makes a deliberate step.
    assert_eq!(builtin("generic-secret-assignment").0, GENERIC_SECRET);
    assert_eq!(builtin("session-secret-assignment").0, SESSION_SECRET);
    assert_eq!(builtin("weak-secret-assignment").0, WEAK_SECRET);
    assert_eq!(AssignRead::of(WEAK_SECRET), Some(AssignRead::Weak));
    assert_eq!(
        builtin("weak-password-assignment").0,
        WEAK_PASSWORD,
        "weak-password-assignment's regex changed: update weak::WEAK_PASSWORD and its reader"
    );
    assert_eq!(
        AssignRead::of(WEAK_PASSWORD),
        Some(AssignRead::WeakPassword)
    );
    // A value of 4 or more, not 3: the regex.
    assert_eq!(
        AssignRead::of(&WEAK_PASSWORD.replace("{3,64}", "{4,64}")),
        None
    );
}

#[test]
fn generic_key_matches_are_the_regex_matches() {
    same_as_the_regex_with(
        "generic-key-assignment",
        GENERIC_KEY,
        0xBB67_AE85_84CA_A73B,
        key_line,
    );
}

#[test]
fn only_the_exact_key_pattern_is_read_by_hand() {
    assert_eq!(
        builtin("generic-key-assignment").0,
        GENERIC_KEY,
        "generic-key-assignment's regex changed: update key::GENERIC_KEY and its reader"
    );
    assert_eq!(AssignRead::of(GENERIC_KEY), Some(AssignRead::GenericKey));
    assert_eq!(
        AssignRead::of(&GENERIC_KEY.replace("{20,200}", "{21,200}")),
        None
    );
}

/// A line of `generic-key-assignment`'s shapes and the near misses around them: what comes
/// before the name (a line's start, blanks, `-`, `.`, `_`, letters glued to it), names glued to
/// `_key`, `-KEY`, `.Key`, `xKey` and near misses (`xkey`, `keys`, `_ke`, a name longer than the
/// 40-byte run), each lead-in (quotes, brackets, types with `<`, `<-` and near misses, every
/// operator, constructors, call arguments, XML `value=`, `>`), value prefixes and quotes, values
/// around 20 and 200 with stray bytes, and each terminator and near miss.
fn key_line(r: &mut Rng) -> Vec<u8> {
    const BEFORE: &[&str] = &[
        "", "", " ", "\t", "-", ".", "_", "x", "9", "(\"", "{", "é", "\n", "$", "[", "'", "a.b-",
    ];
    const NAMES: &[&str] = &[
        "a",
        "api",
        "OPENAI",
        "licence",
        "x.y",
        "my-app",
        "db_",
        "S3",
        "a_name_prefix_that_runs_longer_than_forty_b",
        "abcdefghij_abcdefghij_abcdefghij_abcdefghi",
        "abcdefghij_abcdefghij_abcdefghij_abcdefghij",
        "9a",
        "_a",
        "mac",
        "HMAC",
    ];
    const KEYS: &[&str] = &[
        "_key", "-KEY", ".Key", "_Key", "Key", "key", "KEY", "_ke", "_keys", "Keys", "_key_key",
        "Key2", "-key.key", "xKey", "_keyKey",
    ];
    const LEADS: &[&str] = &[
        "=",
        " = ",
        ":",
        ": ",
        "=>",
        " => ",
        "<-",
        " <- ",
        "||=",
        "??=",
        "?=",
        ":=",
        "||",
        "??",
        "==",
        "\"=",
        "\"] = ",
        "\\\"=",
        "`:",
        "']: ",
        "\"]",
        ": str = ",
        ": &str=",
        ": Option<String> = ",
        ": Vec<u8><- ",
        ": a<-",
        ": x.y[0] = ",
        ": abcdefghijklmnopqrstuvwxyz01234 = ",
        ":9 = ",
        "\", ",
        "\",",
        "\\\" ,  ",
        "'\t,",
        "\" value=",
        "' value = ",
        "\"value=",
        ">",
        " >",
        "",
        " ",
        " = String::from(",
        "= new String(",
        "=new\tString( ",
        " = Some(",
        ": SecretStr(",
        "=str (",
        "\n= ",
    ];
    const PREFIXES: &[&str] = &["", "", "", "b", "R", "u", "f", "\\"];
    const QUOTES: &[&str] = &["\"", "'", "`", "\\\"", "", "", "<"];
    const ENDS: &[&str] = &[
        "", "\"", "'", "`", "<", "\\\"", "\\", " ,", ";", ")", "}", "]", "&", " &", "\t;", " ",
        "  ", "\n", " \n", " #", "#", " //", "/", " \\", "\t\\", "\\\n", " x", "é", "|", "$",
        "\r\n",
    ];
    let mut line = Vec::new();
    for _ in 0..n(r, 3) + 1 {
        line.extend_from_slice(pick(r, BEFORE).as_bytes());
        line.extend_from_slice(pick(r, NAMES).as_bytes());
        line.extend_from_slice(pick(r, KEYS).as_bytes());
        line.extend_from_slice(pick(r, LEADS).as_bytes());
        if n(r, 4) == 0 {
            line.extend_from_slice(pick(r, &[" ", "  ", "\t", "\n"]).as_bytes());
        }
        line.extend_from_slice(pick(r, PREFIXES).as_bytes());
        line.extend_from_slice(pick(r, QUOTES).as_bytes());
        let len = match n(r, 5) {
            0 => 17 + n(r, 6),
            1 => 197 + n(r, 6),
            _ => 20 + n(r, 40),
        };
        for _ in 0..len {
            if n(r, 40) == 0 {
                line.extend_from_slice(
                    pick(r, &[" ", "\"", "'", "\\", "é", "<", ",", "&"]).as_bytes(),
                );
            } else {
                line.push(b"aZ09+/=_.-~!@#%^*bB"[n(r, 19)]);
            }
        }
        line.extend_from_slice(pick(r, ENDS).as_bytes());
    }
    line
}
