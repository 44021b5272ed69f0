//! Checks applied to a candidate secret after its regex matched: entropy, placeholders, validators.

use base64::Engine as _;

/// Shannon entropy in bits per byte.
///
/// The terms are summed in ascending order of byte value, as a walk over all 256 counts takes
/// them, but only the bytes present are visited (a bit set of them, read lowest bit first): the
/// same additions in the same order, so the same `f64` to the last bit. Every match a rule's
/// filters see is measured here first, and on keyword-dense text most are short near misses
/// whose handful of distinct bytes made the walk over 256 counts the larger part of the cost
/// (docs/engine.md, "The pathological input, fourteenth round").
pub fn shannon_entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    let mut present = [0u64; 4];
    for &b in data {
        counts[b as usize] += 1;
        present[(b >> 6) as usize] |= 1 << (b & 63);
    }
    let len = data.len() as f64;
    present
        .iter()
        .enumerate()
        .flat_map(|(word, &bits)| {
            let mut bits = bits;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    word * 64 + b
                })
            })
        })
        .map(|b| {
            let p = counts[b] as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// The entropy floor a candidate must reach under a rule's `floor`, judged against its alphabet: a
/// hex-only value of 16 or more digits can carry at most 4 bits a character, and one random 32-digit hex
/// secret in five measures under 3.5 (a Twilio auth token, a `secrets.token_hex()` key), so for hex the
/// floor is at most 3.0 (which one random hex string in ten thousand misses). Digests stay out by
/// their names (the rules' allowlists), not by their entropy.
pub fn entropy_floor(secret: &[u8], floor: f64) -> f64 {
    if secret.len() >= 16 && secret.iter().all(u8::is_ascii_hexdigit) {
        floor.min(3.0)
    } else {
        floor
    }
}

/// The length of `secret` up to a URL query's next parameter: `&` then a parameter's name and `=`
/// (`V&limit=10`), or HTML's `&amp;`. A `&` in a password (`p&ssw0rd`) is followed by no `name=`.
pub fn query_value_len(secret: &[u8]) -> usize {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'&', &secret[from..]) {
        let at = from + i;
        let rest = &secret[at + 1..];
        if rest.starts_with(b"amp;") {
            return at;
        }
        let name = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            .count();
        if (1..=32).contains(&name) && !rest[0].is_ascii_digit() && rest.get(name) == Some(&b'=') {
            return at;
        }
        from = at + 1;
    }
    secret.len()
}

/// Words that, inside a candidate secret, mark it as a stand-in written for humans rather than a key.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "sample",
    "placeholder",
    "your_",
    "your-",
    "yourkey",
    // `pypi-AgEIcHlwaS5vcmcCJDYourTokenHere`: a real token's prefix with the fill-in written after
    // it in camel case (wild42).
    "yourtoken",
    "yoursecret",
    "yourpassword",
    "changeme",
    "change_me",
    "change-me",
    "replace-me",
    "replace_me",
    // `django-insecure-dev-key-change-in-production-2026x9zqwk`, `jwt-secret-not-for-production`:
    // a value that says where it must not be used was written as a stand-in (wild43).
    "in-production",
    "in_production",
    "for-production",
    "for_production",
    "replaceme",
    "dummy",
    "redacted",
    "xxxx",
    "****",
    "${",
    "{{",
    "$(",
    // PHP's interpolation inside a double-quoted value (`"barryIsTheBest{$i}"`, stop 46): built at
    // run time.
    "{$",
    // Elided or masked values: `AstraCS:...`, `user:\u{2022}\u{2022}\u{2022}@host`, `sk-\u{2026}`.
    "...",
    "\u{2022}",
    "\u{25cf}",
    "\u{2026}",
    // Fill-ins written in other languages, as READMEs and `.env` samples in them write "your
    // password", "your key", "here" (wild41: `sua_senha`, `password_smtp_anda`, `tu-clave-aqui`,
    // `email_cua_ban`, `votre_cle`). Each with its separator: a random key spells none of them.
    "sua_senha",
    "sua-senha",
    "suasenha",
    "sua_chave",
    "sua-chave",
    "seu_token",
    "seu-token",
    "tu_clave",
    "tu-clave",
    // "your key for …" with Spanish's other word for key (wild45: `tu--llave-para-unsplash`).
    "_llave",
    "-llave",
    "llave_",
    "llave-",
    "tu_contrase",
    "tu-contrase",
    "tu_token",
    "tu-token",
    "tu-nueva",
    "tu_nueva",
    "_aqui",
    "-aqui",
    "votre_",
    "votre-",
    "mot_de_passe",
    "mot-de-passe",
    "motdepasse",
    "dein_",
    "dein-",
    "ihr_passwort",
    "passwort_hier",
    "la_tua",
    "la-tua",
    "tua_password",
    "_anda",
    "-anda",
    "cua_ban",
    "cua-ban",
    // Russian "your" (`ваш_токен_бота`): Cyrillic letters are typed in passwords, this word in a
    // value is a fill-in.
    "\u{432}\u{430}\u{448}_",
    "\u{432}\u{430}\u{448}-",
];

/// Words by which a value says it is not a real credential: test doubles and stand-ins. Unlike the
/// placeholder words these hold in every file, committed env files included (`API_KEY=fake-api-key`
/// in a `.env.test` is not a leak, while `API_KEY=changeme` there is the password in use).
const NOT_REAL_WORDS: &[&str] = &[
    "fake",
    "dummy",
    "mock_",
    "mock-",
    "mocked",
    "placeholder",
    "notreal",
    "not_real",
    "not-real",
    // `[REDACTED]`, `<redacted>`, `REDACTED_AUTH_TOKEN`: a value removed before it was shown.
    "redacted",
    // `Sanitized-123`, `<sanitised>`: a log or fixture whose values were replaced before it was
    // committed (an issue tracker's JSON quoting a tool's output).
    "sanitized",
    "sanitised",
    // `nobody:bogus`, `dev:throwaway` in a registry login's base64 (wild42): a value written to be
    // refused.
    "bogus",
    "throwaway",
    // xkcd 936's example passphrase (`r.SetBasicAuth("alice", "correct horse battery staple")` in a
    // test, wild48): the most quoted example password there is, spaced or run together.
    "correct horse battery staple",
    "correcthorsebatterystaple",
];

/// Example credentials printed in RFCs (OAuth 2.0 RFC 6749, bearer tokens RFC 6750, OAuth 1.0
/// RFC 5849), which OAuth libraries quote in their tests and docs. Lower case.
const RFC_EXAMPLES: &[&str] = &[
    "2yotnfzfejr1zcsicmwpaa",
    "tgzv3jokf0xg5qx2tlkwia",
    "splxlobezqqybys6wxsbia",
    "s6bhdrkqt3",
    "gx1fbat3bv",
    "czzcagrsa3f0mzpnwdfmqmf0m2jw",
    "7fjfp0zbr1ktdrbnfvdmiw",
    "mf_9.b5f-4.1jqm",
    "dpf43f3p2l4k3l03",
    "kd94hf93k423kf44",
    "nnch734d00sl2jdk",
    "pfkkdhi9sl3r4s00",
    "hh5s93j4hdidpola",
    "hdk48djdsa",
    "xyz4992k83j47x0b",
    // RFC 5849's signed request and temporary credentials' secret, RFC 6750's and RFC 7009's
    // token examples (stop 48: an OAuth library's docstrings quoting them).
    "9djdj82h48djs9d2",
    "kkk9d7dh3k39sjv7",
    "hdhd0244k9j7ao03",
    "h480djs93hd8",
    "45ghiukldjahdnhzdauz",
];

/// Example credentials a vendor's own documentation prints, which tutorials, tests and READMEs
/// copy (wild42: each seen pasted in public repositories, the Stripe one as `sk_live_…` too): GitHub's
/// docs' personal access token, Stripe's docs' test key, Azure AI services' docs' subscription key,
/// the Azure storage emulator's (Azurite's) well-known account key, and the HMAC key a widely copied
/// Spring Security JWT tutorial printed. A value everyone can read signs nothing of anyone's. Lower
/// case.
const PUBLISHED_EXAMPLES: &[&str] = &[
    "16c7e42f292c6912e7710c838347ae178b4a",
    "4ec39hqlyjwdarjtt1zdp7dc",
    "13hc77781f7e4b19b5fcdd72a8df7156",
    "eby8vdm02xnocqflquwjpllmetlcdxj1ouzft50usrz6ifsufq2uvercz4i6tq/k1szfptotr/kbhbeksogmgw==",
    "404e635266556a586e3272357538782f413f4428472b4b6250645367566b5970",
    // The Kubernetes docs' Secret password (`password: MWYyZDFlMmU2N2Rm`, base64 of
    // `1f2d1e2e67df`), copied into manifests, tutorials and security guides (wild43).
    "mwyyzdflmmu2n2rm",
    "1f2d1e2e67df",
    // Cloudflare's API docs' example global API key (`X-Auth-Key: 144c…`), which generated SDK
    // tests and tutorials pass as `option.WithAPIKey("…")` (wild46).
    "144c9defac04969c7bfad8efaa8ea194",
    // Agora's token builders' sample App Certificates, in every language's sample and test of
    // AgoraIO/Tools and the apps that copied them (wild46, `rtc-app-certificate`; the first in
    // 112 places there, the other two in its C# and PHP tests).
    "5cfd2fd1755d40ecb72977518be15d3b",
    "3c481e60aac14b06a434a20e70de7c51",
    "386668c56db0499791d32264810c2a29",
    // NuGet's docs' example API key (`nuget setapikey 4003d786-…`, `nuget push foo.nupkg 4003d786-…`,
    // `dotnet nuget push foo.nupkg -k 4003d786-…` in every translation of the CLI reference, wild48).
    "4003d786-cc37-4004-bfdf-c4f3e8ef9b3a",
    // Microsoft Graph's docs' hardware OATH token secret (`secretKey: 6PJ4…` beside `Contoso`,
    // `Hardware Token 1000`), in every SDK's generated snippet (`setSecretKey("…")`, wild48).
    "6pj4ukiw33nnxyzaehqnfuftzf7wftfb",
    // MinIO's public playground's key pair (play.min.io), in minio-go's, minio-java's and
    // minio-py's examples and docs (`credentials.NewStaticV4("Q3AM…", "zuf+…", "")`, wild48).
    "q3am3uq867spqqa43p2f",
    "zuf+tfteslswru7bj86wekitnifilbzam1kyy3tg",
];

/// True when the value says it is no real credential (`fake-api-key`, `dummy_token`, `mock_secret`,
/// `placeholder`) or is an RFC's or a vendor's documentation's published example. Applies to every
/// rule, in every file.
pub fn says_not_real(secret: &[u8]) -> bool {
    NOT_REAL.holds_written(&secret.to_ascii_lowercase(), secret)
}

/// True when the word found at `at..at + len` of `secret` (as written) is a run that a long random
/// value spelled by chance, not a word written into it (issue 17, lost48): a 44-character key
/// ending `…gFgeFAkEy` holds `fake`, one of `…x9TeSTq…` holds `test`, and was dropped as a stand-in
/// or by a rule's stopword. Chance spells a word
/// - short enough (`CHANCE_WORD`), of letters only, once (`fake` twice is written: a test's
///   `…hFAKEQrhLGgFAKELZ…`);
/// - glued inside the value (`glued`: a letter, a digit, base64's `+` or `/` on either side; a
///   word set off by a separator or at an end, `fake_…`, `…-test`, `…Sample=`, was written);
/// - in the case the rest is drawn in: a key of both cases spells a word in mixed case (`FaKe`,
///   `tEsT`), as a person writes none, so a word in one case or capitalised there (`…wRFAKEiCse…`,
///   `…Uqthisisfake…`, `…Demo…`) was written; a key of one case spells it in that case; a hex key
///   spells no letter past `f`;
/// - and what the value holds around it is a key on its own (`long_random_rest`).
///
/// A value that is words (`your_api_key_here`, `sk_test_fake_key`) has separators or too little
/// else, and stays a stand-in. Chance spells a word in one case or capitalised too (3 draws in 16
/// at four letters): such a key stays dropped, the price of keeping a test's `…FAKE…` quiet.
fn spelled_by_chance(secret: &[u8], at: usize, len: usize) -> bool {
    let end = at + len;
    if len > CHANCE_WORD
        || secret.len() < LONG_RANDOM
        || at == 0
        || end >= secret.len()
        || !glued(secret[at - 1])
        || !glued(secret[end])
    {
        return false;
    }
    let (before, word, after) = (&secret[..at], &secret[at..end], &secret[end..]);
    let rest = [before, after].concat();
    let folded = word.to_ascii_lowercase();
    let has = |p: fn(&u8) -> bool| rest.iter().any(p);
    let (upper, lower) = (has(u8::is_ascii_uppercase), has(u8::is_ascii_lowercase));
    let one_case =
        word.iter().all(u8::is_ascii_lowercase) || word.iter().all(u8::is_ascii_uppercase);
    let capitalised = word[0].is_ascii_uppercase() && word[1..].iter().all(u8::is_ascii_lowercase);
    let cased_as_rest = match (upper, lower) {
        (true, true) => !one_case && !capitalised,
        (true, false) => word.iter().all(u8::is_ascii_uppercase),
        _ => word.iter().all(u8::is_ascii_lowercase),
    };
    let hex_rest = rest
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .all(u8::is_ascii_hexdigit);
    word.iter().all(u8::is_ascii_alphabetic)
        && cased_as_rest
        && (!hex_rest || word.iter().all(u8::is_ascii_hexdigit))
        && memchr::memmem::find(&rest.to_ascii_lowercase(), &folded).is_none()
        && long_random_rest(&rest)
}

/// True when `lower` (`written` folded to lower case) holds `word` at least once where a person
/// wrote it, not where a long random value spelled it by chance (`spelled_by_chance`): the one
/// reading of a word inside a value that the stand-in lists and the rules' stopwords share.
pub fn holds_word_written(lower: &[u8], written: &[u8], word: &[u8]) -> bool {
    memchr::memmem::find_iter(lower, word).any(|at| !spelled_by_chance(written, at, word.len()))
}

/// A character beside a word that leaves it glued inside a key: a letter, a digit or base64's `+`
/// and `/` (`…Qr+notreal/zu…` is one random run). `-`, `_`, `.` and `=` set a word off, as people
/// write one (`fake-`, `_test`, `…Placeholder=` at the value's end).
fn glued(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/')
}

/// The longest word random text spells by chance often enough to be met: a given word of `k`
/// letters stands in a 64-character base62 value with odds of about 60 in 31^k (case folded): one
/// in 15,000 at four letters, one in 15 million at six, one in 450 million at seven. `secret`,
/// `sample`, `token` or `fake` inside a key may be chance; `example`, `redacted`, `placeholder`
/// never are (AWS's documented `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` stays a stand-in).
const CHANCE_WORD: usize = 6;

/// The shortest value in which a word can be read as chance (`spelled_by_chance`): the families'
/// keys of 32 characters and more (hex, base62, base64).
const LONG_RANDOM: usize = 32;

/// The rest of a value around a word (before it and after it, joined) is a key of its own: only a
/// key's characters (letters, digits, base64's `+/=` and base64url's `-_`), 24 letters and digits
/// or more with both kinds, an entropy of 3.0 bits or more (24 random hex digits measure about
/// 3.6, seldom under 3.2; base62 about 4.3) and nothing made up (`looks_made_up`: runs, repeats,
/// typed patterns).
fn long_random_rest(rest: &[u8]) -> bool {
    rest.iter().all(key_char)
        && rest.iter().filter(|b| b.is_ascii_alphanumeric()).count() >= 24
        && rest.iter().any(u8::is_ascii_digit)
        && rest.iter().any(u8::is_ascii_alphabetic)
        && shannon_entropy(rest) >= 3.0
        && !looks_made_up(rest)
}

/// A character of a key's alphabets: letters, digits, base64's `+/=` and base64url's `-_`.
fn key_char(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
}

/// A word list asked of every candidate (`PLACEHOLDER_WORDS`, `NOT_REAL_WORDS` with
/// `RFC_EXAMPLES`, `MASKS`): does a value hold one of its words? On keyword-dense text ~30,000
/// candidates a run reach these filters, and a `memmem::find` per word (~50 words, each a
/// searcher set up for one short haystack) was ~110M instructions of the pathological input's;
/// one automaton per list reads a candidate once (docs/engine.md, "The pathological input, eighth
/// round" and "ninth round"). Building the three cost ~2.6M instructions, +0.4% of a run over a
/// small repository that asks the lists a few hundred times; so a list is searched word by word
/// until it has been asked `BUILD_AFTER` times, and only then built (a run that asks it that
/// often has spent more on the words than the build costs). Both answer whether any word occurs,
/// so which one answers does not change a finding (`the_word_lists_find_a_word_exactly_where_a_search_for_each_word_does`).
struct WordList {
    /// The words, in parts (the not-real words and the RFC examples are one list).
    parts: &'static [&'static [&'static str]],
    asked: std::sync::atomic::AtomicUsize,
    automaton: std::sync::OnceLock<aho_corasick::AhoCorasick>,
}

/// How often a list is asked before it is built into an automaton (see `WordList`).
const BUILD_AFTER: usize = 1024;

static PLACEHOLDER: WordList = WordList::new(&[PLACEHOLDER_WORDS]);
static NOT_REAL: WordList = WordList::new(&[NOT_REAL_WORDS, RFC_EXAMPLES, PUBLISHED_EXAMPLES]);
static MASK_MARKS: WordList = WordList::new(&[MASKS]);

impl WordList {
    const fn new(parts: &'static [&'static [&'static str]]) -> WordList {
        WordList {
            parts,
            asked: std::sync::atomic::AtomicUsize::new(0),
            automaton: std::sync::OnceLock::new(),
        }
    }

    fn words(&self) -> impl Iterator<Item = &'static str> {
        self.parts.iter().flat_map(|p| p.iter().copied())
    }

    /// True when `hay` holds one of the words (as written: callers fold case first).
    fn holds(&self, hay: &[u8]) -> bool {
        if let Some(automaton) = self.automaton.get() {
            return automaton.is_match(hay);
        }
        use std::sync::atomic::Ordering;
        if self.asked.fetch_add(1, Ordering::Relaxed) < BUILD_AFTER {
            return self.each_word(hay);
        }
        self.automaton().is_match(hay)
    }

    /// True when `hay` (`written` folded to lower case) holds one of the words written, not spelled
    /// by chance inside a long random value (`spelled_by_chance`). Most values hold none (`holds`);
    /// only a long one that does is read again, word by word, for where each word stands.
    fn holds_written(&self, hay: &[u8], written: &[u8]) -> bool {
        if !self.holds(hay) {
            return false;
        }
        // A value with a character no key has (a space, `$`, `{`, `.`) is no random key, and is
        // not read again.
        hay.len() < LONG_RANDOM
            || !hay.iter().all(key_char)
            || self
                .words()
                .any(|w| holds_word_written(hay, written, w.as_bytes()))
    }

    /// The word-by-word search.
    fn each_word(&self, hay: &[u8]) -> bool {
        self.words()
            .any(|w| memchr::memmem::find(hay, w.as_bytes()).is_some())
    }

    /// The list's automaton, built on first use. Whether any word occurs is all that is asked
    /// (`is_match`), so the match semantics do not matter; a DFA reads each byte once. No
    /// prefilter: the haystacks are a few dozen bytes, and building one (a packed searcher) was
    /// most of the build's cost.
    fn automaton(&self) -> &aho_corasick::AhoCorasick {
        self.automaton.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .prefilter(false)
                .build(self.words())
                .expect("a few dozen short words build")
        })
    }
}

/// Redaction and elision marks: a value holding one was shortened or hidden for display
/// (`sk-****abcd`, `sk-...abcd`, `sk-\u{2026}abcd`, `\u{2022}\u{2022}\u{2022}\u{2022}`).
const MASKS: &[&str] = &["****", "...", "\u{2026}", "\u{2022}", "\u{25cf}"];

/// True when the value is masked: after an optional vendor prefix that ends at a separator
/// (`ghp_`, `whuncJO_`, `sk.`, `ApiKey-xx `), every letter and digit is one fill character, as
/// documentation and redacted logs write a token's shape (`xxxx+xxxx/xxxx`, `glc_xxxx/xxxx+xxxx=`,
/// `xxxxx://xxxx:xxxx@xxxx.xxx/xxxx`, `$xx$xxxxx$xxxx`, `00000000-0000-0000-0000-000000000000`), or
/// it holds a redaction or elision mark (`sk-****abcd`, `sk-...abcd`). No generated credential has every
/// character the same, so this holds for every rule, the context rules that keep weak values
/// (`env-file-secret`) included. The fill is `x` or `*` (three or more of it) or any other character
/// repeated at least eight times; a random value that merely contains `xx` (`q8Xx3vLxxP9kW2`) has
/// other letters after it and stays a candidate.
pub fn is_masked(secret: &[u8]) -> bool {
    if MASK_MARKS.holds(secret) || is_starred_prefix(secret) {
        return true;
    }
    // The fill: the letter or digit after the prefix, i.e. the first one that starts a run of three.
    let Some(run) = secret.windows(3).position(|w| {
        w[0].is_ascii_alphanumeric() && w.iter().all(|b| b.eq_ignore_ascii_case(&w[0]))
    }) else {
        return false;
    };
    let fill = secret[run].to_ascii_lowercase();
    // The prefix is short and ends where the fill starts at a separator (or at the start); a value
    // that runs straight into its fill (`Tr0ub4dor3xxx`) is a password ending in x's.
    let mut start = run;
    while start > 0 && secret[start - 1].eq_ignore_ascii_case(&fill) {
        start -= 1;
    }
    if start > 20 || (start > 0 && secret[start - 1].is_ascii_alphanumeric()) {
        return false;
    }
    let body = &secret[start..];
    let filled = body
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .try_fold(0usize, |n, b| {
            b.eq_ignore_ascii_case(&fill).then_some(n + 1)
        });
    filled.is_some_and(|n| n >= if fill == b'x' { 3 } else { 8 })
}

/// A vendor's prefix and a star mask with at most the last four characters shown after it
/// (`AIza***`, `pplx-***`, `sk-***abcd`): how `.env` listings and redacted logs print a key whose
/// prefix runs straight into three stars (wild44), which the fill test above does not read (its
/// fill is a letter or digit, or four stars). No generated credential holds `*`; a password that
/// does (`P@ss*w0rd`, `***secret***`) has other characters around its stars.
fn is_starred_prefix(secret: &[u8]) -> bool {
    let Some(first) = secret.iter().position(|&b| b == b'*') else {
        return false;
    };
    let stars = secret[first..].iter().take_while(|&&b| b == b'*').count();
    let (prefix, tail) = (&secret[..first], &secret[first + stars..]);
    let prefix = prefix
        .strip_suffix(b"-")
        .or_else(|| prefix.strip_suffix(b"_"))
        .or_else(|| prefix.strip_suffix(b"."))
        .unwrap_or(prefix);
    stars >= 3
        && (1..=12).contains(&prefix.len())
        && prefix
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        && tail.len() <= 4
        && tail.iter().all(u8::is_ascii_alphanumeric)
}

/// Delimiter pairs around a name that a template engine, a build's token replacement or a reader
/// fills in: `%API_TOKEN%` (Windows, Octopus), `@db.password@` (Maven resource filtering),
/// `@@API_TOKEN@@`, `__API_TOKEN__` and `#{API_TOKEN}#`
/// (pipeline token replacement), `{api_token}` (format strings), `[api-token]` (docs), `$DB_PASS$`
/// (JetBrains' and installers' variables, stop 46: a connection URL's password) and `$env{db_pwd}`
/// (Perl's and Telegraf's environment reads).
const SLOTS: &[(&str, &str)] = &[
    ("%", "%"),
    ("$env{", "}"),
    ("$ENV{", "}"),
    ("$", "$"),
    ("@@", "@@"),
    ("@", "@"),
    ("__", "__"),
    ("#{", "}#"),
    ("{", "}"),
    // PHP's complex interpolation in a double-quoted string (`"mongodb://{$user}:{$encodedPass}@…"`,
    // stop 46: coolify's connection URLs).
    ("{$", "}"),
    ("[", "]"),
    // A `<name>` fill-in written into HTML or an XML doc comment (`amqps://&lt;username&gt;:&lt;key&gt;@…`).
    ("&lt;", "&gt;"),
];

/// True when the whole value is a slot to fill: a name (letters, digits, `_`, `-`, `.`, spaces; at
/// least one letter, at most two digits, each word in one case style or camelCase) between one of
/// `SLOTS`' pairs.
/// A random value does not start and end with a matching pair around a name.
pub fn is_template_slot(secret: &[u8]) -> bool {
    is_positional_slot(secret) || is_named_slot(secret)
}

/// A positional format field alone (`{0}`, `{12}`): String.Format's, MessageFormat's and Python's
/// `str.format` argument, filled when the string is built (stop 46: an ADO.NET connection string
/// written `"…;Password={2}"`).
fn is_positional_slot(secret: &[u8]) -> bool {
    secret
        .strip_prefix(b"{")
        .and_then(|r| r.strip_suffix(b"}"))
        .is_some_and(|n| (1..=2).contains(&n.len()) && n.iter().all(u8::is_ascii_digit))
}

/// `is_template_slot`'s named slots: a name between one of `SLOTS`' pairs.
fn is_named_slot(secret: &[u8]) -> bool {
    SLOTS.iter().any(|(open, close)| {
        let Some(name) = secret
            .strip_prefix(open.as_bytes())
            .and_then(|r| r.strip_suffix(close.as_bytes()))
        else {
            return false;
        };
        let name = name.trim_ascii();
        !name.is_empty()
            && name.len() <= 48
            && name[0].is_ascii_alphabetic()
            && name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' '))
            && name.iter().filter(|b| b.is_ascii_digit()).count() <= 2
            && !name.ends_with(b"_")
            && name
                .split(|b| matches!(b, b'_' | b'-' | b'.' | b' '))
                .all(|w| {
                    w.iter().all(|b| !b.is_ascii_lowercase())
                        || w.iter().all(|b| !b.is_ascii_uppercase())
                        || is_camel(w)
                })
    })
}

/// The words of a name or a value written as a name, lower-cased: split at `_`, `-`, `.`, spaces
/// and camelCase humps (`MAILER_SMTP_PASSWORD`, `mailerSmtpPassword` and `mailer.smtp-password` are
/// the same three words). `None` when a byte is not of a name.
fn name_words(s: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut words: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut prev = 0u8;
    for &b in s {
        if matches!(b, b'_' | b'-' | b'.' | b' ') {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
        } else if b.is_ascii_alphanumeric() {
            if b.is_ascii_uppercase() && prev.is_ascii_lowercase() && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            cur.push(b.to_ascii_lowercase());
        } else {
            return None;
        }
        prev = b;
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    Some(words)
}

/// True when a value is its own name written again, a reference rather than a secret:
/// `MAILER_SMTP_PASSWORD = 'MAILER_SMTP_PASSWORD'`, `IRC_PASS=irc_pass`, `SMTP_PASSWORD=smtp-password`,
/// `api_key: "API_KEY"`, `"${PASSWORD}"`, `%PASSWORD%`, `<DB_PASSWORD>`, in any case or separator
/// style; or the name's last words (`MAILER_SMTP_PASSWORD = "SMTP_PASSWORD"`); or, written as an
/// environment variable's name, the name with words before it (`password: DB_PASSWORD`). `before` is
/// the line up to the value (its name, the operator and an opening quote). One lower-case word equal
/// to its name (`password: password`) is left to the weak-password tier, which reports it at low (the
/// password in use more often than a stand-in, README "Shapes stop 44 left lost"). A random value
/// does not split into its name's words.
pub fn value_names_itself(before: &[u8], value: &[u8]) -> bool {
    // The value without a reference's wrapping: `${…}`, `$(…)`, `$…`, `%…%`, `{{…}}`, `<…>`, `#{…}`.
    let mut v = value.trim_ascii();
    for open in [&b"${"[..], b"$(", b"#{", b"{{", b"$", b"%", b"<", b"@"] {
        if let Some(r) = v.strip_prefix(open) {
            v = r;
            break;
        }
    }
    while let [rest @ .., b'}' | b')' | b'%' | b'>' | b' '] = v {
        v = rest;
    }
    while let [b' ', rest @ ..] = v {
        v = rest;
    }
    if v.len() < 4 || !v.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let Some(vw) = name_words(v) else {
        return false;
    };
    // The name: the last run of a name's characters before the operator and quotes.
    let mut b = before;
    while let [rest @ .., c] = b {
        if matches!(
            c,
            b' ' | b'\t' | b'"' | b'\'' | b'`' | b'=' | b':' | b'>' | b'(' | b',' | b'[' | b'@'
        ) {
            b = rest;
        } else {
            break;
        }
    }
    let start = b
        .iter()
        .rposition(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))
        .map_or(0, |i| i + 1);
    let Some(nw) = name_words(&b[start..]) else {
        return false;
    };
    if nw.is_empty() || vw.is_empty() {
        return false;
    }
    if vw == nw {
        // `password: password`: the weak tier's.
        return !(vw.len() == 1 && v.iter().all(|c| !c.is_ascii_uppercase()) && v == value);
    }
    // The name's last words (two at least), or an environment variable's name ending in the name.
    (vw.len() >= 2 && nw.ends_with(&vw))
        || (v.iter().all(|c| !c.is_ascii_lowercase()) && vw.len() > nw.len() && vw.ends_with(&nw))
}

/// camelCase or PascalCase words: no two capitals in a row, and a lowercase letter after each.
fn is_camel(name: &[u8]) -> bool {
    name.iter().all(u8::is_ascii_alphanumeric)
        && name
            .windows(2)
            .all(|w| !(w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase()))
        && name.last().is_some_and(|b| !b.is_ascii_uppercase())
}

/// Rows of a QWERTY keyboard, which people type along for a made-up value (`asdfqwer1234asdf`).
/// The digit row goes on from 9 to 0 as the keys do (`1234567890`): a count up typed on it wraps
/// there (`a1b2…i9j0k1l2`, wild44: a property list's test value).
const KEYBOARD_ROWS: &[&[u8]] = &[b"1234567890", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

/// Where each byte stands on `KEYBOARD_ROWS`: its row and place there, plus one (0: on no row).
/// No byte is on two rows nor twice on one, so a run along a row that starts with a byte can only
/// start at that byte's one place.
const KEYBOARD_PLACE: [(u8, u8); 256] = {
    let mut t = [(0u8, 0u8); 256];
    let mut r = 0;
    while r < KEYBOARD_ROWS.len() {
        let mut i = 0;
        while i < KEYBOARD_ROWS[r].len() {
            t[KEYBOARD_ROWS[r][i] as usize] = (r as u8 + 1, i as u8);
            i += 1;
        }
        r += 1;
    }
    t
};

/// The length of the keyboard or alphabet run that starts `s` (`abcd`, `4321`, `qwer`, `asdf`): the
/// characters each one more or one less than the last, or next to each other on a keyboard row.
///
/// It is called at every place of every value the filters judge (`has_typed_runs`), so the row run
/// is read from `s[0]`'s one place on the rows (`KEYBOARD_PLACE`) rather than by trying every place
/// of every row, which gave the same longest run: a place holding another byte matches nothing
/// (`run_at_is_the_longest_run_over_every_place`, in the tests, compares the two).
fn run_at(s: &[u8]) -> usize {
    let step = |d: fn(u8) -> u8| {
        1 + s
            .windows(2)
            .take_while(|w| {
                w[0].is_ascii_alphanumeric() && w[1].is_ascii_alphanumeric() && w[1] == d(w[0])
            })
            .count()
    };
    let up = step(|b| b.wrapping_add(1));
    let down = step(|b| b.wrapping_sub(1));
    let row = match s.first().map(|&b| KEYBOARD_PLACE[b as usize]) {
        Some((r @ 1.., i)) => KEYBOARD_ROWS[r as usize - 1][i as usize..]
            .iter()
            .zip(s)
            .take_while(|(r, c)| *r == *c)
            .count(),
        _ => 0,
    };
    up.max(down).max(row)
}

/// A value made only of keyboard runs of four or more (`abcd1234abcd1234`, `ABCD1234EFGH5678`,
/// `asdfqwer1234asdf`): the shape documentation types for a key, at least 12 long (a short one such
/// as `abcd1234` may be a weak password in use, which the password rules report). Expects lower case.
fn is_sequence_pattern(s: &[u8]) -> bool {
    if s.len() < 12 {
        return false;
    }
    let mut i = 0;
    while i < s.len() {
        let n = run_at(&s[i..]);
        if n < 4 {
            return false;
        }
        i += n;
    }
    true
}

/// Three or more separate runs of four (`8312341g-5678-abcd-…`: `1234`, `5678`, `abcd`): a value a
/// person typed into the shape of a key. One such run turns up in a random 36-character hex value with
/// odds near 1 in 60, three with odds near 1 in 200,000. Only values of up to 64 characters, the
/// length a person types: in a long token (an STS session token runs to a thousand) runs add up by
/// chance.
fn has_typed_runs(s: &[u8]) -> bool {
    if s.len() > 64 {
        return false;
    }
    let (mut i, mut runs) = (0, 0);
    while i < s.len() {
        // Runs do not overlap and are four bytes or more: the walk stops once three are found or
        // what is left cannot hold those still missing (it asked `run_at` at every place, the
        // pathological input's most called filter; docs/engine.md, "Stop 42").
        if runs >= 3 {
            return true;
        }
        if (3 - runs) * 4 > s.len() - i {
            return false;
        }
        let n = run_at(&s[i..]);
        if n >= 4 {
            runs += 1;
            i += n;
        } else {
            i += 1;
        }
    }
    runs >= 3
}

/// True when the candidate looks like documentation or a template value rather than a credential:
/// placeholder words, template syntax, one repeated character, or keyboard-run sequences like `123456`.
pub fn looks_like_placeholder(secret: &[u8]) -> bool {
    names_a_placeholder(secret) || looks_made_up(secret)
}

/// The part of `looks_like_placeholder` that reads what the value says: placeholder words, template
/// syntax, calls, format strings, phrases, something other than a secret (a type, an address, a
/// path). Such a value is no secret whatever name it stands under.
pub fn names_a_placeholder(secret: &[u8]) -> bool {
    let lower = secret.to_ascii_lowercase();
    PLACEHOLDER.holds_written(&lower, secret)
        || is_written_in_words(secret)
        || is_call(secret)
        || has_named_format(&lower)
        || has_positional_format(&lower)
        || is_word_phrase(secret)
        || is_my_placeholder(secret)
        || encodes_placeholder_text(secret)
        || spells_placeholder_word(&lower)
        || has_angle_slot(secret)
        || names_something_else(secret)
        || names_a_credential_slot(secret)
        || is_leet_word_phrase(secret)
        || is_toy_jwt(secret)
        || is_credential_label(secret)
        || is_percent_encoded_phrase(secret)
        || has_bracket_slot(secret)
        || is_rate_limit(secret)
        || encodes_public_or_empty_pem(secret)
}

/// A credential's name in square brackets, or with the bracket that closes a slot
/// (`[password]`, `[API_KEY]`, `password]`: documentation's `mysql://user:[password]@host`, whose
/// URL rule reads the value up to `@`, stop 48). A password that ends in `]` is letters and digits
/// before it, not a credential's name.
fn has_bracket_slot(secret: &[u8]) -> bool {
    let inner = secret.strip_prefix(b"[").unwrap_or(secret);
    let inner = inner.strip_suffix(b"]").unwrap_or(inner);
    inner.len() < secret.len() && slot_words(inner).is_some_and(|w| !w.is_empty())
}

/// A rate limit as web frameworks write one (`1/m/user`, `5/300s`, `10/min,100/day`: django-ratelimit's
/// and Flask-Limiter's strings, read under a `key=`/`token` name, stop 48): items joined by `,`,
/// each a count, `/`, a period (a number and a unit or a unit alone) and optionally `/` and what it
/// counts by in lower-case letters. A random value (`7/Hb1x/qz`) has no period's unit after its `/`.
fn is_rate_limit(secret: &[u8]) -> bool {
    const UNITS: &[&[u8]] = &[
        b"s", b"m", b"h", b"d", b"sec", b"secs", b"second", b"seconds", b"min", b"mins", b"minute",
        b"minutes", b"hour", b"hours", b"day", b"days",
    ];
    let item = |item: &[u8]| {
        let mut parts = item.split(|&b| b == b'/');
        let (Some(count), Some(period)) = (parts.next(), parts.next()) else {
            return false;
        };
        let digits = period.iter().take_while(|b| b.is_ascii_digit()).count();
        let by = parts.next();
        !count.is_empty()
            && count.iter().all(u8::is_ascii_digit)
            && UNITS.contains(&&period[digits..])
            && by.is_none_or(|b| !b.is_empty() && b.iter().all(u8::is_ascii_lowercase))
            && parts.next().is_none()
    };
    memchr::memchr(b'/', secret).is_some() && secret.split(|&b| b == b',').all(item)
}

/// The labels of PEM blocks that hold nothing secret.
const PUBLIC_PEM_LABELS: &[&[u8]] = &[
    b"CERTIFICATE",
    b"TRUSTED CERTIFICATE",
    b"CERTIFICATE REQUEST",
    b"NEW CERTIFICATE REQUEST",
    b"PUBLIC KEY",
    b"RSA PUBLIC KEY",
    b"X509 CRL",
    b"DH PARAMETERS",
    b"EC PARAMETERS",
    b"PGP PUBLIC KEY BLOCK",
    b"PGP SIGNATURE",
    b"SSH2 PUBLIC KEY",
];

/// Base64 of PEM text (`LS0tLS1CRUdJTi…`, `-----BEGIN` encoded) whose every block is public or
/// empty: a certificate, a public key, a CRL or parameters, as Kubernetes manifests and Helm values
/// carry a `caBundle`, a `tls.crt` or a JWKS's key under names that say secret or key, or a stub
/// whose `BEGIN` line meets its `END` line with nothing between (stop 48: traefik's and authelia's
/// test manifests). Any block of another label (a private key) keeps the value a secret; a value
/// cut short is read in its whole groups of four.
fn encodes_public_or_empty_pem(secret: &[u8]) -> bool {
    if !secret.starts_with(b"LS0tLS1CRUdJTi") {
        return false;
    }
    let whole = &secret[..secret.len() - secret.len() % 4];
    let Some(pem) = decode_base64_any(whole) else {
        return false;
    };
    let mut blocks = 0;
    let mut rest = pem.as_slice();
    while let Some(at) = memchr::memmem::find(rest, b"-----BEGIN ") {
        rest = &rest[at + 11..];
        let Some(end) = memchr::memmem::find(rest, b"-----") else {
            // The value ends inside the label: nothing says what the block holds.
            return false;
        };
        let label = &rest[..end];
        rest = &rest[end + 5..];
        let body_end = memchr::memmem::find(rest, b"-----END ").unwrap_or(rest.len());
        let empty = rest[..body_end].iter().all(u8::is_ascii_whitespace);
        if !(empty || PUBLIC_PEM_LABELS.contains(&label)) {
            return false;
        }
        blocks += 1;
        // The END line holds no `-----BEGIN `: the next search starts past it.
        rest = &rest[body_end..];
    }
    blocks > 0
}

/// A phrase written into a URL percent-encoded (`review%20token%2Fwith%2Bsymbols`, a test's
/// stand-in for a token with characters to escape, stop 46): decoded, its words joined by anything
/// but letters and digits read as `is_word_phrase` reads a phrase. A random password that needed
/// escaping (`p%40ss%2Fw0rd`) decodes to no phrase of words.
fn is_percent_encoded_phrase(secret: &[u8]) -> bool {
    if memchr::memchr(b'%', secret).is_none() {
        return false;
    }
    let Some(text) = crate::decode::percent_unescape(secret) else {
        return false;
    };
    let joined: Vec<u8> = text
        .iter()
        .map(|&b| if b.is_ascii_alphanumeric() { b } else { b'-' })
        .collect();
    is_word_phrase(&joined)
}

/// What a credential is called, in English or another language, after a product's or a protocol's
/// name: `API-Passwort`, `RabbitMQ-passord`, `Radius-hemmelighet`, `SMS-Password` (stop 45: an app's
/// translation files, `"promosmsPassword": "API-Passwort"`). Two or three words of letters, each up
/// to 12, joined by `-` or a space, the first capitalised as a label is; the last one of
/// `CREDENTIAL_NAMES`, the others a word (a vowel in it) or an acronym of up to five capitals. An
/// identifier (`api_password`) may be what a custom rule was written to find, and stays.
fn is_credential_label(secret: &[u8]) -> bool {
    // Most values open in no capital or hold no separator: asked first, before any splitting. A
    // brand may open in lower case with a capital inside (`hCaptcha.com-salaisuus`, stop 48).
    let Some(&first) = secret.first() else {
        return false;
    };
    if !first.is_ascii_alphabetic() {
        return false;
    }
    let Some(sep) = secret.iter().position(|b| matches!(b, b'-' | b' ')) else {
        return false;
    };
    if !first.is_ascii_uppercase() && !secret[1..sep].iter().any(u8::is_ascii_uppercase) {
        return false;
    }
    let parts: Vec<&[u8]> = secret.split(|b| matches!(b, b'-' | b' ')).collect();
    let Some((last, first)) = parts.split_last() else {
        return false;
    };
    // A compound ends in the name (Danish `OAuth-klienthemmelighed`, "client secret", stop 46).
    (2..=3).contains(&parts.len())
        && last.len() <= 24
        && last.iter().all(u8::is_ascii_alphabetic)
        && CREDENTIAL_NAMES
            .iter()
            .any(|n| last.len() >= n.len() && last[last.len() - n.len()..].eq_ignore_ascii_case(n))
        && first.iter().all(|w| {
            // A product named by its site (`hCaptcha.com`).
            let w = w.strip_suffix(b".com").unwrap_or(w);
            (1..=12).contains(&w.len())
                && w.iter().all(u8::is_ascii_alphabetic)
                && (has_vowel(w) || w.len() <= 5 && w.iter().all(u8::is_ascii_uppercase))
        })
}

/// Names of a credential in the languages apps are translated into (ASCII spellings).
const CREDENTIAL_NAMES: &[&[u8]] = &[
    b"password",
    b"passwort",
    b"kennwort",
    b"passord",
    b"wachtwoord",
    b"salasana",
    b"senha",
    b"parola",
    b"haslo",
    b"heslo",
    b"jelszo",
    b"sifre",
    b"lozinka",
    b"losenord",
    b"adgangskode",
    b"kodeord",
    b"contrasena",
    // Portuguese's `Palavra-passe` and French's `Mot de passe` end in `passe` (stop 46: BookStack's
    // translations); Catalan, Indonesian's `Kata sandi`, the languages' "key".
    b"passe",
    b"contrasenya",
    b"sandi",
    b"clave",
    b"chave",
    b"schluessel",
    b"secret",
    b"geheimnis",
    b"hemmelighet",
    b"hemmelighed",
    b"hemlighet",
    b"token",
    b"credentials",
    b"zugangsdaten",
    b"legitimasjon",
    b"credenciales",
    b"identifiants",
    // German "login details", Finnish "secret", Dutch "secret" and "key", Swedish and Norwegian
    // "key", Esperanto "password" (stop 48: a newsletter manager's and a CI server's translations).
    b"anmeldeinformationen",
    b"salaisuus",
    b"geheim",
    b"sleutel",
    b"nyckel",
    b"nokkel",
    b"pasvorto",
];

/// A value holding a letter of a script that people write words in and no one types a key or a
/// password in: Han, kana, Hangul, Thai, Arabic, Devanagari, and the letters only Vietnamese
/// writes (`sk-你的密钥`, `强随机业务库密码`, `sk-여기에-본인키`, `ma_16_ky_tu_vừa_tạo`): a README's or a
/// sample's sentence in the place of the value (wild41). Latin letters with accents (a Spanish or
/// German password) and Cyrillic stay candidates.
pub fn is_written_in_words(secret: &[u8]) -> bool {
    if secret.is_ascii() {
        return false;
    }
    String::from_utf8_lossy(secret).chars().any(|c| {
        matches!(c as u32,
            0x0600..=0x06FF // Arabic
            | 0x0900..=0x097F // Devanagari
            | 0x0E00..=0x0E7F // Thai
            | 0x1100..=0x11FF // Hangul jamo
            | 0x1EA0..=0x1EFF // Latin extended additional (Vietnamese)
            | 0x3040..=0x30FF // Hiragana, Katakana
            | 0x3400..=0x4DBF // CJK extension A
            | 0x4E00..=0x9FFF // CJK unified ideographs
            | 0xAC00..=0xD7AF // Hangul syllables
        )
    })
}

/// The part of `looks_like_placeholder` that reads the value's shape: few distinct characters, one
/// repeated, sequential runs (`123456`), a sequence pattern, typed runs. A made-up value looks so,
/// and so does a real weak password (`test123456`): where a rule's context names the value a
/// secret, the drop is counted (`SuppressKind::Placeholder`).
pub fn looks_made_up(secret: &[u8]) -> bool {
    made_up(secret, true)
}

/// `looks_made_up` for a value the weak-password tier reads (a literal under a password name,
/// reported at severity low whatever its strength): one character over half the value is how people
/// spell a word they typed as a password (`hooooorst`, `peewee`, `otool`), not a filler, so only
/// fewer than three distinct characters (`aaa`, `1212`), a run (`123456`, `abcdefgh`) or a typed
/// pattern make it a stand-in. CredData labels the first kind a credential on 17 lines and on none
/// not (stop 22).
pub fn looks_made_up_password(secret: &[u8]) -> bool {
    made_up(secret, false)
}

fn made_up(secret: &[u8], majority: bool) -> bool {
    let lower = secret.to_ascii_lowercase();
    // The distinct bytes and the largest count kept as the counts grow: the same two numbers
    // the two walks over all 256 counts gave, without them (~700 of the ~2,500 instructions a
    // value cost here on the pathological input, 67k values; docs/engine.md, "Stop 46").
    let mut counts = [0u32; 256];
    let (mut distinct, mut most) = (0usize, 0usize);
    for &b in &lower {
        let c = &mut counts[b as usize];
        distinct += usize::from(*c == 0);
        *c += 1;
        most = most.max(*c as usize);
    }
    if distinct < 3 || majority && most * 2 > lower.len() {
        return true;
    }
    // Under a password's name a run is a stand-in only when it is (nearly) the whole value: `123456`
    // or `1234567` is a filler, but `Aa12345678` (Terraform goat's Azure SQL admin password) and
    // `admin123456` are weak passwords people deploy, which the weak tier reports at low.
    let run = if majority {
        has_sequential_run(&lower, 6)
    } else {
        let longest = longest_sequential_run(&lower);
        longest >= 6 && longest + 1 >= lower.len()
    };
    run || is_sequence_pattern(&lower)
        || has_typed_runs(&lower)
        || (majority
            && (interleaved_runs(&lower) || is_stuttered(&lower) || is_repeated_word(&lower)))
}

/// One short word said over and over (`testtesttesttest…`, `abc1abc1abc1…`): a block of two to
/// eight characters repeated to fill 12 or more (stop 45: `APP_KEY=TestTestTest…` in an app's test
/// environment). A random key repeats its first eight characters with odds below 1 in 10^14.
fn is_repeated_word(lower: &[u8]) -> bool {
    lower.len() >= 12
        && (2..=8)
            .any(|p| p * 3 <= lower.len() && lower[p..].iter().zip(lower).all(|(a, b)| a == b))
}

/// A value typed as blocks of one character each (`AAABBBCCC111222…`,
/// `aabbccdd11223344`): every character stands in a run of two or more of itself, and there are four
/// runs or more, over 12 characters or more (wild44: a config sample's `secretKey`). A random key
/// repeats its neighbour about once in 30 places; every one of 12 doing so has odds below 1 in 10^17.
fn is_stuttered(lower: &[u8]) -> bool {
    if lower.len() < 12 {
        return false;
    }
    let mut runs = 0;
    let mut i = 0;
    while i < lower.len() {
        let n = lower[i..].iter().take_while(|&&b| b == lower[i]).count();
        if n < 2 {
            return false;
        }
        runs += 1;
        i += n;
    }
    runs >= 4
}

/// A value that is plainly something other than a secret, read where a generic rule takes any string
/// under a secret's name: a type written as a string (`secret_key: "Optional[str]" = None`, Python's
/// forward references), an e-mail address (`credentials: { email: "a@b.com" }`), a resource's path
/// (`S3Key: "ci/builds/app-626.war"`, `setPrivateKey("classpath:certs/key.pem")`) or a property
/// assignment (`"spring.mail.default-encoding:US-ASCII"`, the next argument after a
/// `"app.secret:value"` string). Seen on real repositories (spring-boot, sentry-python, ansible,
/// next-auth) as high-severity findings. Generated secrets have none of these shapes: a `[` … `]` pair
/// around identifiers, one `@` between words and a dotted domain with nothing else, a file extension
/// after `/`-separated words, a dotted lower-case name before `=` or `:`.
fn names_something_else(secret: &[u8]) -> bool {
    is_secret_store_reference(secret)
        || is_escaped_reference(secret)
        || is_camel_identifier(secret)
        || is_constant_reference(secret)
        || is_type_expression(secret)
        || is_email_address(secret)
        || is_resource_path(secret)
        || is_property_assignment(secret)
        || is_validation_rule_list(secret)
        || is_code_reference(secret)
        || is_version_tag(secret)
        || is_pointer_type(secret)
        || is_schema_reference(secret)
        || is_plain_env_assignment(secret)
        || is_module_path(secret)
        || is_local_url(secret)
        || is_qualified_camel_name(secret)
        || is_bracketed_address_tail(secret)
}

/// A Go module's or a package's import path (`github.com/jcmturner/gokrb5/v8/ctxCredentials`, a
/// context key's name as Go writes one, stop 48: an identity server's Kerberos code): a host of
/// lower-case labels ending in a known top-level domain, then two segments or more of identifier
/// characters. Random text opens in no lower-case host with a `.com`.
fn is_module_path(secret: &[u8]) -> bool {
    // Most values open in no lower-case letter or hold no `/`: asked before any splitting.
    if !secret.first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let Some(slash) = memchr::memchr(b'/', secret) else {
        return false;
    };
    let (host, path) = (&secret[..slash], &secret[slash + 1..]);
    let Some(dot) = memchr::memrchr(b'.', host) else {
        return false;
    };
    const TLDS: &[&[u8]] = &[
        b"com", b"org", b"io", b"net", b"in", b"dev", b"co", b"me", b"cloud",
    ];
    TLDS.contains(&&host[dot + 1..])
        && host
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
        && memchr::memchr(b'/', path).is_some()
        && path.split(|&b| b == b'/').all(|seg| {
            seg.first().is_some_and(u8::is_ascii_alphanumeric)
                && seg
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        })
}

/// A URL of this machine with no user or password in it (`http://localhost:3007`,
/// `http://127.0.0.1:8080/api`): nginx's and NixOS's `proxyPass` read under a password's name
/// (stop 48: a CI server's NixOS page). A URL that carries a credential holds `@` and stays.
fn is_local_url(secret: &[u8]) -> bool {
    let Some(rest) = [&b"http://"[..], b"https://"]
        .iter()
        .find_map(|p| secret.strip_prefix(*p))
    else {
        return false;
    };
    let host_len = rest
        .iter()
        .position(|b| matches!(b, b':' | b'/'))
        .unwrap_or(rest.len());
    matches!(
        &rest[..host_len],
        b"localhost" | b"127.0.0.1" | b"0.0.0.0" | b"[::1]"
    ) && memchr::memchr(b'@', rest).is_none()
        && rest
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~:/[]".contains(b))
}

/// A member of a package or a type named in words (`bitbucket.EventKeyPullRequestFrom`,
/// `PropTypes.string`): a Go constant or a React prop type read as a value under a key's name
/// (stop 48: a CI server's Bitbucket tests, Swagger UI's source maps). Two or three dotted parts,
/// each written in words (`is_worded_name`); random text holds no dot between names of words.
fn is_qualified_camel_name(secret: &[u8]) -> bool {
    if secret.len() < 10 || !secret[0].is_ascii_alphabetic() {
        return false;
    }
    let dots = memchr::memchr_iter(b'.', secret).count();
    (1..=2).contains(&dots) && secret.split(|&b| b == b'.').all(is_worded_name)
}

/// `EventKeyPullRequestFrom`, `bitbucket`, `string`: letters only, each word (a capital, or the
/// start, then lower-case letters) of two letters or more holding a vowel, up to 40 letters.
fn is_worded_name(part: &[u8]) -> bool {
    if !(2..=40).contains(&part.len()) || !part.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let mut i = 0;
    while i < part.len() {
        if i > 0 && !part[i].is_ascii_uppercase() {
            return false;
        }
        let end = i
            + 1
            + part[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
        let word = &part[i..end];
        if word.len() < 2 || !has_vowel(word) {
            return false;
        }
        i = end;
    }
    true
}

/// The rest of an IPv6 address in brackets and its port (`:1]:8080`, `db8::1]:443`,
/// `:ffff:127.0.0.1]:80`, `:1%25eth0]:80`): a URL rule that reads `[` as a user and what follows the
/// next `:` as a password, where a payload or a proxy setting puts `@` after the address
/// (`http://[::1]:8080@evil.io`, an SSRF test's URL; stop 48, corp48). Hex digits, `:` and `.` (a
/// zone after `%`), then `]` and a port or nothing: a password ending in `]` after hex and colons
/// alone is no password anyone chose.
fn is_bracketed_address_tail(secret: &[u8]) -> bool {
    let Some(close) = memchr::memchr(b']', secret) else {
        return false;
    };
    let (address, rest) = (&secret[..close], &secret[close + 1..]);
    let (address, zone) = match memchr::memchr(b'%', address) {
        Some(p) => (&address[..p], &address[p + 1..]),
        None => (address, &b""[..]),
    };
    address.contains(&b':')
        && address
            .iter()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
        && zone.iter().all(u8::is_ascii_alphanumeric)
        && (rest.is_empty()
            || rest
                .strip_prefix(b":")
                .is_some_and(|p| (1..=5).contains(&p.len()) && p.iter().all(u8::is_ascii_digit)))
}

/// A JSON Schema or OpenAPI reference (`#/components/schemas/updateSettingsFlow`, `#/definitions/…`):
/// where a schema's property named `password` or `lookup_secret` points, not a value (stop 48: an
/// identity server's OpenAPI patches and test schemas).
fn is_schema_reference(secret: &[u8]) -> bool {
    // The first segment a schema's section (`components`, `definitions`, `properties`), then more.
    let Some(rest) = secret.strip_prefix(b"#/") else {
        return false;
    };
    let section = rest.iter().take_while(|b| b.is_ascii_lowercase()).count();
    section >= 4
        && rest.get(section) == Some(&b'/')
        && rest
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'.'))
}

/// One environment variable set as a string, whose name says nothing secret (`POSTGRES_DB=postgres`,
/// `PGUSER=postgres`): read as the value after a list's credential entry (stop 48: a test helper's
/// `[]string{…, "POSTGRES_DB=postgres"}` after the password's entry). A name with a credential's word
/// (`API_KEY=…`, `DB_PASSWORD=…`) keeps the value, which names its own secret.
fn is_plain_env_assignment(secret: &[u8]) -> bool {
    let Some(eq) = memchr::memchr(b'=', secret) else {
        return false;
    };
    let (name, value) = (&secret[..eq], &secret[eq + 1..]);
    const SECRET_WORDS: &[&[u8]] = &[
        b"PASS", b"PWD", b"SECRET", b"TOKEN", b"KEY", b"AUTH", b"CRED", b"PRIVATE", b"SIGN",
        b"SALT", b"DSN", b"URL", b"URI", b"CONN",
    ];
    name.len() >= 2
        && name[0].is_ascii_uppercase()
        && name
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && !SECRET_WORDS
            .iter()
            .any(|w| memchr::memmem::find(name, w).is_some())
        // Base32's or base64's padding (`…ABC=`) leaves nothing after the `=`.
        && !value.is_empty()
        && !value.contains(&b'=')
}

/// A pointer or reference type as Go and Rust write one (`*rsa.PrivateKey`, `*ecdsa.PrivateKey`,
/// `&SigningKey`): a struct field's type read as its value where a name says key (stop 48: Go
/// structs in traefik and authelia, `PrivateKey *rsa.PrivateKey` in a YAML-like doc table). `*` or
/// `&`, then dotted identifiers, the last one opening in a capital as exported types do.
fn is_pointer_type(secret: &[u8]) -> bool {
    let Some(rest) = secret
        .strip_prefix(b"*")
        .or_else(|| secret.strip_prefix(b"&"))
    else {
        return false;
    };
    let rest = rest.strip_prefix(b".").unwrap_or(rest);
    let parts: Vec<&[u8]> = rest.split(|&b| b == b'.').collect();
    parts.iter().all(|p| {
        p.first().is_some_and(u8::is_ascii_alphabetic)
            && p.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    }) && parts.last().is_some_and(|p| p[0].is_ascii_uppercase())
}

/// `26.7.0.124771-community`, `8.2.1-alpine`, `1.27.3`: a release's number (three parts or more)
/// and a word or two after `-`, as an image's tag is written (stop 46: `image: sonarqube:…` read
/// under a vendor's name).
fn is_version_tag(secret: &[u8]) -> bool {
    let number = secret
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b'.')
        .count();
    let (version, rest) = secret.split_at(number);
    version.split(|&b| b == b'.').count() >= 3
        && version
            .split(|&b| b == b'.')
            .all(|p| (1..=8).contains(&p.len()))
        && (rest.is_empty()
            || rest.strip_prefix(b"-").is_some_and(|w| {
                w.split(|&b| b == b'-').all(|w| {
                    (2..=12).contains(&w.len())
                        && w.iter()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                        && w.iter().any(u8::is_ascii_lowercase)
                })
            }))
}

/// Code or a reference where a value stands, in the shapes real repositories showed under a
/// secret's name (stop 46, lead: coolify, litellm's configs, vendored Monaco, Flowise):
/// - a reference to an environment variable in a tool's own syntax: litellm's
///   `api_key: "os.environ/ANTHROPIC_API_KEY"`, SeaweedFS' `"accessKey": "env:AWS_ACCESS_KEY_ID"`,
///   PowerShell's `$env:API_KEY` (a prefix, then a constant's name);
/// - PHP that builds the value: a concatenated variable (`'PGPASSWORD='.$escaped.' …'` read between
///   its quotes as `.$escaped.`) or a negated one (`:disabled="!$canEdit"`);
/// - a tokenizer's state or a replacement reference (`{token: "@brackets.directive"}`,
///   `{token: "keyword.tag-$1"}`): dotted lower-case words after `@` or before `$1`;
/// - a URL's path (`API_KEY_BLACKLIST_URLS = ['/api/v1/workspace', …]`): `/`-separated lower-case
///   segments, one a word;
/// - a webhook's signature header (`'X-Hub-Signature' => 'sha256=…'`): a digest of a payload,
///   named by its algorithm, signs one request and opens nothing.
///
/// None is a shape a generated key takes: they need a sigil or a prefix and words around it.
fn is_code_reference(secret: &[u8]) -> bool {
    is_env_reference(secret)
        || is_php_variable_expression(secret)
        || is_tokenizer_reference(secret)
        || is_url_path(secret)
        || is_signature_digest(secret)
}

/// Prefixes by which tools' configs read an environment variable (case-insensitive).
const ENV_REFERENCE_PREFIXES: &[&[u8]] = &[b"os.environ/", b"env:", b"env/", b"$env:", b"env."];

/// `os.environ/NAME`, `env:NAME`, `$env:NAME`: a prefix of `ENV_REFERENCE_PREFIXES` and a
/// constant's name (upper case, digits, `_`; a letter first).
fn is_env_reference(secret: &[u8]) -> bool {
    ENV_REFERENCE_PREFIXES.iter().any(|p| {
        secret.len() > p.len() + 1
            && secret[..p.len()].eq_ignore_ascii_case(p)
            && is_constant_name(&secret[p.len()..])
    })
}

/// `API_KEY`, `AWS_ACCESS_KEY_ID`: upper-case letters, digits and `_`, opening in a letter.
fn is_constant_name(name: &[u8]) -> bool {
    name.first().is_some_and(u8::is_ascii_uppercase)
        && name
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// `.$escaped.`, `. $password .`, `!$canEditValue`, `.$this->secret`: a PHP variable (with `->`
/// members) joined to the string by `.` on either side, or negated. A random value holds no `$`
/// followed by a name with a `.` or `!` for its only other characters.
fn is_php_variable_expression(secret: &[u8]) -> bool {
    let trimmed = secret.trim_ascii();
    let (body, joined) = match trimmed.strip_prefix(b"!") {
        Some(rest) => (rest, true),
        None => {
            let lead = trimmed.strip_prefix(b".").map(<[u8]>::trim_ascii_start);
            let body = lead.unwrap_or(trimmed);
            let tail = body.strip_suffix(b".").map(<[u8]>::trim_ascii_end);
            (tail.unwrap_or(body), lead.is_some() || tail.is_some())
        }
    };
    let Some(name) = body.strip_prefix(b"$") else {
        return false;
    };
    let mut members = name.split(|&b| b == b'-');
    let first = members.next().unwrap_or_default();
    joined
        && first
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && first
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        && members.all(|m| {
            m.strip_prefix(b">").is_some_and(|m| {
                !m.is_empty() && m.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
            })
        })
}

/// `@brackets.directive`, `keyword.tag-$1`: a tokenizer's state (Monaco's `@name.name`) or a
/// token type with a regex group's number: dotted lower-case words (`-` inside), each with a vowel,
/// two or more, after `@` or before `$` and a digit.
fn is_tokenizer_reference(secret: &[u8]) -> bool {
    let body = if let Some(rest) = secret.strip_prefix(b"@") {
        rest
    } else {
        let digits = secret
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        match secret[..secret.len() - digits].strip_suffix(b"$") {
            Some(rest) if (1..=2).contains(&digits) => rest
                .strip_suffix(b"-")
                .or_else(|| rest.strip_suffix(b"."))
                .unwrap_or(rest),
            _ => return false,
        }
    };
    let parts: Vec<&[u8]> = body.split(|&b| b == b'.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            p.len() >= 2
                && p.iter().all(|b| b.is_ascii_lowercase() || *b == b'-')
                && p.split(|&b| b == b'-')
                    .all(|w| !w.is_empty() && (w.len() < 3 || has_vowel(w)))
        })
}

/// `/api/v1/workspace`, `/webhooks/source/events/`: a URL's path of two segments or more, lower
/// case, each of letters, digits, `-`, `_` and `.`, one of them a word (three letters or more with
/// a vowel). Base64 holding `/` has capitals; a path with a file's extension is
/// `is_resource_path`'s.
fn is_url_path(secret: &[u8]) -> bool {
    // A log's `path=/v1/auth/userpass/login` after the word a token was named by.
    let named = secret.iter().take_while(|b| b.is_ascii_lowercase()).count();
    let secret = match secret[named..].strip_prefix(b"=") {
        Some(rest) if named > 0 => rest,
        _ => secret,
    };
    let Some(body) = secret.strip_prefix(b"/") else {
        return false;
    };
    let body = body.strip_suffix(b"/").unwrap_or(body);
    let segments: Vec<&[u8]> = body.split(|&b| b == b'/').collect();
    segments.len() >= 2
        && segments.iter().all(|seg| {
            !seg.is_empty()
                && seg.len() <= 32
                && seg.iter().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
                })
        })
        && segments.iter().any(|seg| {
            seg.split(|b| matches!(b, b'-' | b'_' | b'.'))
                .any(|w| w.len() >= 3 && w.iter().all(u8::is_ascii_lowercase) && has_vowel(w))
        })
}

/// `sha256=…`, `sha1=…`: a webhook's signature header names the digest it carries; the digest of
/// one payload signs that payload and opens nothing.
fn is_signature_digest(secret: &[u8]) -> bool {
    [&b"sha1="[..], b"sha256=", b"sha512="]
        .iter()
        .any(|p| secret.len() > p.len() && secret[..p.len()].eq_ignore_ascii_case(p))
}

/// Where a secret store keeps the secret, not the secret: a 1Password secret reference
/// (`op://vault/item/field`, read by `op run` and `op inject`) or an AWS ARN (`arn:aws:secretsmanager:…`,
/// `arn:aws:ssm:…:parameter/…`, any partition), which ECS task definitions, Kubernetes' external
/// secrets and Spring's Secrets Manager import write where the value goes (stop 46: sonar-text's
/// `MYSQL_PASSWORD="op://vault/mysql/password"`). No credential opens with either.
fn is_secret_store_reference(secret: &[u8]) -> bool {
    if let Some(path) = secret.strip_prefix(b"op://") {
        return path.iter().filter(|b| **b == b'/').count() >= 1
            && path.first().is_some_and(|b| *b != b'/')
            && !path.iter().any(|b| b.is_ascii_whitespace());
    }
    secret
        .strip_prefix(b"arn:aws")
        .and_then(|r| r.split(|b| *b == b':').nth(1))
        .is_some_and(|service| {
            !service.is_empty()
                && service
                    .iter()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        })
}

/// A shell variable whose `$` is escaped for a later shell (`--password="\$MYSQL_PASSWORD"` in a
/// Makefile, a heredoc or `sh -c`): the command reads the variable when it runs (stop 46).
fn is_escaped_reference(secret: &[u8]) -> bool {
    let Some(name) = secret.strip_prefix(b"\\$") else {
        return false;
    };
    let name = name
        .strip_prefix(b"{")
        .and_then(|n| n.strip_suffix(b"}"))
        .unwrap_or(name);
    name.first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// A member read by its path whose last name is a constant's (`window.CSRF_TOKEN`,
/// `settings.API_KEY`, `Config::SECRET_KEY`): code that reads the value, not the value (stop 45: a
/// bundled script's `headers["X-CSRFToken"]=window.CSRF_TOKEN`).
fn is_constant_reference(secret: &[u8]) -> bool {
    let last = match (
        memchr::memrchr(b'.', secret),
        memchr::memmem::rfind(secret, b"::"),
    ) {
        (Some(d), Some(c)) => d.max(c + 1),
        (Some(d), None) => d,
        (None, Some(c)) => c + 1,
        (None, None) => return false,
    };
    let (path, name) = (&secret[..last], &secret[last + 1..]);
    path.first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_' || *b == b'$')
        && path
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.' | b':'))
        && name.len() >= 4
        && name.contains(&b'_')
        && is_constant_name(name)
}

/// A camelCase or PascalCase name of three words or more (`isSecretBase64Encoded`,
/// `localAiBasePath`, `SomeRandomStringOf32CharsExactly`): a variable a config or an environment
/// file names, or a stand-in written as one, read where a value stands (`"key": "…"` in an API
/// client's environment export, `cryptoKey = isSecretBase64Encoded`, `APP_KEY=SomeRandomString…`;
/// stop 45, real repositories). Every word a capital (or the start) then lower-case letters holding
/// a vowel, two letters or more; digits end a protocol's or encoding's name (`Base64`, `Oauth2`:
/// `TECH_WORDS`) or, in a name of five words or more, any word (`Of32`), two at most. 12 characters
/// or more. Seeded draws of random letters and digits pass one time in 2,000 at 12 characters and
/// one in 9,000 at 16 (letters alone: one in 240 and one in 600).
fn is_camel_identifier(secret: &[u8]) -> bool {
    if secret.len() < 12
        || !secret[0].is_ascii_alphabetic()
        || !secret.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let (mut words, mut numbered, mut i) = (0, 0, 0);
    while i < secret.len() {
        if i > 0 && !secret[i].is_ascii_uppercase() {
            return false;
        }
        // A protocol's name written in its own capitals (`OAuth2AdvancedOptions`, an accordion's
        // key in an API client's UI, stop 46) is one word.
        if let Some(n) = tech_word_at(&secret[i..]) {
            words += 1;
            i += n;
            continue;
        }
        let letters = i
            + 1
            + secret[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
        let end = letters
            + secret[letters..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        let word = &secret[i..letters];
        if word.len() < 2 || !has_vowel(word) {
            return false;
        }
        if end > letters && !is_tech_word(&secret[i..end]) {
            if end - letters > 2 {
                return false;
            }
            numbered += 1;
        }
        words += 1;
        i = end;
    }
    words >= 3 && (numbered == 0 || words >= 5)
}

/// Words that name a credential's slot rather than fill it: a value written with only these
/// (`AUTH_TOKEN`, `ClientSecret`, `secret-key`) is the name of what belongs there. Lower case.
const SLOT_WORDS: &[&str] = &[
    "access",
    "account",
    "acct",
    "api",
    "apikey",
    "app",
    "auth",
    "bearer",
    "client",
    "consumer",
    "credential",
    "credentials",
    "id",
    "key",
    "login",
    "pass",
    "passwd",
    "password",
    "private",
    "pwd",
    "secret",
    "sid",
    "token",
    "user",
    "username",
];

/// How many of `SLOT_WORDS` a value is made of, split at `_`, `-`, `.` and camelCase humps, each
/// word in one case style (`SECRET_ACCESS_KEY`: 3, `ClientSecret`: 2, `account_password`: 2); none
/// when a part is anything else.
fn slot_words(s: &[u8]) -> Option<Vec<Vec<u8>>> {
    if s.is_empty() || s.len() > 48 {
        return None;
    }
    let mut words = Vec::new();
    for part in s.split(|b| matches!(b, b'_' | b'-' | b'.')) {
        if part.is_empty() || !part.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let humps: Vec<&[u8]> = if part.iter().all(u8::is_ascii_uppercase) {
            vec![part]
        } else {
            let mut v = Vec::new();
            let mut start = 0;
            for (i, b) in part.iter().enumerate().skip(1) {
                if b.is_ascii_uppercase() {
                    v.push(&part[start..i]);
                    start = i;
                }
            }
            v.push(&part[start..]);
            v
        };
        for h in humps {
            if h[1..].iter().any(u8::is_ascii_uppercase) && !h.iter().all(u8::is_ascii_uppercase) {
                return None;
            }
            let lower = h.to_ascii_lowercase();
            if !SLOT_WORDS.iter().any(|w| w.as_bytes() == lower.as_slice()) {
                return None;
            }
            words.push(lower);
        }
    }
    Some(words)
}

/// A credential's slot named where its value belongs (wild43): a `user:password` pair whose two
/// halves are slot names (`curl -u "ACCOUNT_SID:AUTH_TOKEN"`, `access-key:secret-key`,
/// `account_login:account_password`), or a value of two slot words or more written as a constant
/// or a type, or kebab-case (`<add key="ClientSecret" value="ClientSecret" />`,
/// `password = SECRET_ACCESS_KEY`, `secret-key`).
/// One word alone (`password`) is the weak password people deploy, which the weak tier reports.
fn names_a_credential_slot(secret: &[u8]) -> bool {
    if let Some(i) = memchr::memchr(b':', secret) {
        let (user, pass) = (&secret[..i], &secret[i + 1..]);
        // Two constants a script substitutes before it runs (`DOMAIN_ADMIN_UNAME:DOMAIN_ADMIN_PW` after curl's `-u`,
        // stop 46: a CDK example's setup script), each of two words or more.
        let constant = |s: &[u8]| is_constant_name(s) && s.contains(&b'_') && !s.ends_with(b"_");
        return constant(user) && constant(pass)
            || slot_words(user).is_some_and(|w| !w.is_empty())
                && slot_words(pass).is_some_and(|w| !w.is_empty());
    }
    // Alone, a name as code writes a constant or a type (`AUTH_TOKEN`, `ClientSecret`) or as docs
    // write a slot (`secret-key`, which names no variable); a lower-case identifier (`api_password`,
    // `tokenSecret`) may be a variable, or what a custom rule was written to find.
    // Two different words (`SecretSecret` is no name), opening in capitals or joined by `-`.
    (secret.first().is_some_and(u8::is_ascii_uppercase) || secret.contains(&b'-'))
        && slot_words(secret).is_some_and(|mut w| {
            w.sort_unstable();
            w.dedup();
            w.len() >= 2
        })
}

/// A word phrase spelled with look-alike digits (`s3cr3t-value-for-test`, `t0ken-for-demo-only`):
/// the parts holding both letters and digits read back as letters (`unleet`), and the whole then a
/// phrase (`is_word_phrase`); each such part at most 12 long with at most a third digits. A random
/// token's parts keep digits that read as no letter (`8f1b`) or are too many (`3b0054cfdc55faf3`).
fn is_leet_word_phrase(secret: &[u8]) -> bool {
    if !secret.iter().any(|b| b"30457".contains(b)) || !secret.iter().any(|b| b"-_.".contains(b)) {
        return false;
    }
    let mut read = Vec::with_capacity(secret.len());
    for (i, part) in secret
        .split(|b| matches!(b, b'-' | b'_' | b'.'))
        .enumerate()
    {
        if i > 0 {
            read.push(b'-');
        }
        let digits = part.iter().filter(|b| b.is_ascii_digit()).count();
        let mixed = part.iter().any(u8::is_ascii_alphabetic) && digits > 0;
        // A word dressed up has a few look-alike digits (`s3cr3t`: two in six); a random hex or
        // base-36 part (`3b0054cfdc55faf3`) has many, and reads back as letters by chance.
        if mixed && (part.len() > 12 || digits * 3 > part.len()) {
            return false;
        }
        if mixed {
            read.extend(part.iter().map(|&b| unleet(b)));
        } else {
            read.extend_from_slice(part);
        }
    }
    read != secret && is_word_phrase(&read)
}

/// Text that is a few words joined by `-` or `_` (`http-basic`, `ceph_volume`), each cased as words
/// are: a short label a base64 entry encodes, not a key (wild43: a Secret's `type: aHR0cC1iYXNpYw==`).
fn is_joined_words(text: &[u8]) -> bool {
    let parts: Vec<&[u8]> = text.split(|b| matches!(b, b'-' | b'_')).collect();
    text.len() <= 16 && (2..=3).contains(&parts.len()) && parts.iter().all(|p| cased_like_words(p))
}

/// The share of `s` that runs of four or more cover (`run_at`, read greedily from the start).
fn run_cover(s: &[u8]) -> usize {
    let (mut i, mut covered) = (0, 0);
    while i < s.len() {
        let n = run_at(&s[i..]);
        if n >= 4 {
            covered += n;
            i += n;
        } else {
            i += 1;
        }
    }
    covered
}

/// Two typed runs woven together, a letter then a digit (`a1b2c3d4e5f6g7h8…`,
/// `p3w8r9t7y6u5i4o3…`): the letters read alone are an alphabet or keyboard run, the digits a
/// count up or down, each for four fifths of its length or more (wild43: an `X-API-Key` in a
/// README; a WordPress salt typed so stays reported, `wordpress-auth-key-salt` skipping these
/// filters). At least 16 characters, letters and digits only, alternating at nine places in ten.
/// Random text alternates so with odds near 1 in 2^16 and never makes runs of both.
fn interleaved_runs(lower: &[u8]) -> bool {
    if lower.len() < 16 || !lower.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let switches = lower
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count();
    if switches * 10 < (lower.len() - 1) * 9 {
        return false;
    }
    let letters: Vec<u8> = lower
        .iter()
        .copied()
        .filter(u8::is_ascii_alphabetic)
        .collect();
    let digits: Vec<u8> = lower.iter().copied().filter(u8::is_ascii_digit).collect();
    letters.len() >= 8
        && digits.len() >= 8
        && run_cover(&letters) * 5 >= letters.len() * 4
        && run_cover(&digits) * 5 >= digits.len() * 4
}

/// The rule names of a form validator (Laravel's, and the libraries that copy its syntax), which a
/// value written as `rule|rule:argument|…` holds.
const VALIDATION_RULES: &[&str] = &[
    "accepted",
    "active_url",
    "alpha",
    "alpha_dash",
    "alpha_num",
    "array",
    "between",
    "boolean",
    "bool",
    "confirmed",
    "date",
    "date_format",
    "different",
    "digits",
    "digits_between",
    "email",
    "exists",
    "file",
    "filled",
    "gt",
    "gte",
    "image",
    "in",
    "integer",
    "int",
    "ip",
    "json",
    "lt",
    "lte",
    "max",
    "mimes",
    "min",
    "not_in",
    "nullable",
    "numeric",
    "present",
    "regex",
    "required",
    "required_if",
    "required_with",
    "required_without",
    "same",
    "size",
    "sometimes",
    "string",
    "timezone",
    "unique",
    "url",
    "uuid",
    "prohibited",
    "decimal",
    "lowercase",
    "uppercase",
    "ascii",
    "current_password",
    "password",
];

/// `nullable|string|max:255`, `required|min:8|confirmed`: a form validator's rules for the field,
/// read where an array keyed by field names (`'app_secret' => 'nullable|string|max:255'`, Laravel's
/// `$request->validate([...])`) puts a secret's name before them (wild42). Two rules or more joined
/// by `|`, each a known rule's name with an optional `:argument`; a generated secret is no list of
/// validator names.
fn is_validation_rule_list(s: &[u8]) -> bool {
    let mut parts = 0;
    for part in s.split(|&b| b == b'|') {
        let name_len = part.iter().position(|&b| b == b':').unwrap_or(part.len());
        let (name, arg) = part.split_at(name_len);
        let known = VALIDATION_RULES.iter().any(|r| r.as_bytes() == name);
        let arg_ok = arg.is_empty()
            || arg.len() > 1
                && arg[1..]
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b',' | b'.' | b'-'));
        if !known || !arg_ok {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// `Optional[str]`, `typing.Dict[str, Any]`, `list[int] | None`: an identifier, then brackets holding
/// identifiers, commas, `|`, dots and nested brackets.
fn is_type_expression(s: &[u8]) -> bool {
    let name = s
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
        .count();
    if name == 0 || !s[0].is_ascii_alphabetic() || s.get(name) != Some(&b'[') {
        return false;
    }
    let mut depth = 0i32;
    let mut closed_at = None;
    for (i, &b) in s.iter().enumerate().skip(name) {
        match b {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
                if depth == 0 {
                    closed_at = Some(i);
                }
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b',' | b' ' | b'|') => {}
            _ => return false,
        }
    }
    // After the outer brackets only a union may follow (`| None`), nothing glued to them.
    depth == 0
        && closed_at.is_some_and(|end| {
            let rest = s[end + 1..].trim_ascii_start();
            rest.is_empty()
                || rest.strip_prefix(b"|").is_some_and(|r| {
                    r.iter()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'|' | b'_'))
                })
        })
}

/// `name@example.com`: a local part of two or more letters, digits and `._+-`, one `@`, then a
/// lower-case domain of at least two labels whose last is letters only (a password such as
/// `P@ssw0rd.com` has a one-letter local part; random text has capitals after its `@`).
fn is_email_address(s: &[u8]) -> bool {
    let Some(at) = memchr::memchr(b'@', s) else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    let labels: Vec<&[u8]> = domain.split(|&b| b == b'.').collect();
    local.len() >= 2
        && local
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'))
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.iter()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.iter().all(u8::is_ascii_lowercase))
}

/// A path to a file: an optional resource scheme (`classpath:`, `classpath*:`, `file:`), then
/// `/`-separated names of letters, digits and `_.-`, the last ending in a short lower-case extension
/// (`.pem`, `.war`, `.json`). Without a scheme at least one `/` is asked, so a bare `name.ext` stays
/// a candidate, and the path must be lower case. Base64 keys hold `/` and capitals, and random text
/// does not end in a file type.
/// Extensions of files that an object key or an upload names (`"S3Key": "<sha256>.zip"`, a CDK
/// asset, stop 46): a single file name with one of these is a path even without a `/`.
const FILE_EXTENSIONS: &[&[u8]] = &[
    b"zip", b"jar", b"war", b"ear", b"tar", b"tgz", b"gz", b"whl", b"json", b"yaml", b"yml",
    b"xml", b"txt", b"csv", b"png", b"jpg", b"jpeg", b"gif", b"svg", b"pdf", b"html", b"js",
    b"mjs", b"css", b"py", b"rb", b"go", b"java", b"class", b"wasm", b"bin", b"img", b"iso",
];

fn is_resource_path(s: &[u8]) -> bool {
    if is_asset_file_name(s) {
        return true;
    }
    let (body, scheme) = [&b"classpath*:"[..], b"classpath:", b"file:"]
        .iter()
        .find_map(|p| s.strip_prefix(*p))
        .map_or((s, false), |rest| (rest, true));
    let body = body.strip_prefix(b"/").unwrap_or(body);
    let segments: Vec<&[u8]> = body.split(|&b| b == b'/').collect();
    let Some(last) = segments.last() else {
        return false;
    };
    let ext_len = last
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_lowercase())
        .count();
    // Without a scheme the path is lower case, as object keys and build paths are: base64 text with
    // `/` and `.` in it (a loosely written Mapbox token) has capitals.
    (scheme || (segments.len() >= 2 && !body.iter().any(u8::is_ascii_uppercase)))
        && segments.iter().all(|seg| {
            !seg.is_empty()
                && seg
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        })
        && (2..=5).contains(&ext_len)
        && last.len() > ext_len + 1
        && last[last.len() - ext_len - 1] == b'.'
}

/// One file name of letters, digits, `-` and `_` and an extension of `FILE_EXTENSIONS`
/// (`7e5f…fcbda.zip`, `app-626.war`): what an asset's or an object's key holds.
fn is_asset_file_name(s: &[u8]) -> bool {
    let Some(dot) = memchr::memrchr(b'.', s) else {
        return false;
    };
    let (stem, ext) = (&s[..dot], &s[dot + 1..]);
    !stem.is_empty()
        && stem
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        && FILE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
}

/// `spring.mail.default-encoding:US-ASCII`, `--spring.devtools.livereload.port=0`: a dotted
/// lower-case property name (two parts or more, each a word of 2 to 30 letters, `-` and `_`, no
/// digit, each word of four letters or more with a vowel) and `=` or `:`, the way tests pass
/// settings as strings. Tokens made of dotted parts that may
/// hold `=` (Terraform's `….atlasv1.…`, Dropbox's `sl.…`) have digits or capitals in their parts.
fn is_property_assignment(s: &[u8]) -> bool {
    let s = s.strip_prefix(b"--").unwrap_or(s);
    let name = s
        .iter()
        .take_while(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
        .count();
    let key = &s[..name];
    name > 0
        && s[0].is_ascii_lowercase()
        && matches!(s.get(name), Some(b'=' | b':'))
        && key.split(|&b| b == b'.').count() >= 2
        // A first part of two letters is a token's prefix more often than a setting's (`pk.`, `sk.`, `sl.`).
        && key.iter().take_while(|&&b| b != b'.').count() >= 3
        && key.split(|&b| b == b'.').all(|p| {
            (2..=30).contains(&p.len())
                && p[0].is_ascii_lowercase()
                && p.iter().all(|b| b.is_ascii_lowercase() || matches!(b, b'-' | b'_'))
                && p.split(|b| matches!(b, b'-' | b'_'))
                    .all(|w| w.len() < 4 || w.iter().any(|b| b"aeiouy".contains(b)))
        })
}

/// Letters written as look-alike digits and symbols (`P@55w0rd_Ex@mple`): read back as letters.
fn unleet(b: u8) -> u8 {
    match b {
        b'@' | b'4' => b'a',
        b'3' => b'e',
        b'0' => b'o',
        b'5' | b'$' => b's',
        b'7' => b't',
        other => other,
    }
}

/// Placeholder words spelled with look-alike characters in a password a person typed
/// (`P@55w0rd_Ex@mple`, `Ch@ngeM3`): a value that dresses up "example" is still one. Only a value
/// with a `@` or `$` in it is read this way: generated keys have neither, while test suites spell
/// their made-up tokens with digits on purpose (`ghp_R4nd0m…`) and keep them as true examples. Only
/// the long words: a short one (`fake`) turns up in random text read this way. Expects lower case.
fn spells_placeholder_word(lower: &[u8]) -> bool {
    if !lower.iter().any(|b| b"@$".contains(b)) {
        return false;
    }
    let read: Vec<u8> = lower.iter().map(|&b| unleet(b)).collect();
    [
        "example",
        "sample",
        "placeholder",
        "changeme",
        "dummy",
        "redacted",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&read, w.as_bytes()).is_some())
}

/// Angle brackets as docs write a slot to fill (`<token>`, `<your api key>`, `sk-<key>`, `<TOKEN`)
/// or as code writes an operator (`->`, `=>`, `<=`, `<-`): a value that opens with `<`, closes with
/// `>`, or holds a `<` before a later `>`. A lone `<` or `>` inside is an ordinary character of a
/// generated password (symbol sets draw from all of ASCII's punctuation) and does not count.
fn has_angle_slot(secret: &[u8]) -> bool {
    let opens = memchr::memchr(b'<', secret);
    secret.first() == Some(&b'<')
        || secret.last() == Some(&b'>')
        || opens.is_some_and(|i| memchr::memchr(b'>', &secret[i..]).is_some())
        || [&b"->"[..], b"=>", b"<=", b"<-"]
            .iter()
            .any(|op| memchr::memmem::find(secret, op).is_some())
}

/// A phrase of words joined by `-`, `_` or `.` (`caller-passed-WRONG-key`, `test-api-key-12345`,
/// `e2e-fixed-encryption-key-never-use-in-prod`, an option name such as `mail.mailgun-api-key`): a label a person typed, not a generated key. At least
/// three parts; each a word in one case style (`wrong`, `WRONG`, `Wrong`), a number of up to six digits or
/// a short tag of up to three characters (`e2e`, `m0`, `v2`); at least two words of three letters or more,
/// and every word of four or more letters has a vowel (random letters usually do not, words do);
/// a protocol's or encoding's name with its digit (`oauth2`, `base64`: `TECH_WORDS`) is a word.
fn is_word_phrase(secret: &[u8]) -> bool {
    let parts: Vec<&[u8]> = secret
        .split(|&b| b == b'-' || b == b'_' || b == b'.')
        .collect();
    if parts.len() < 3 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let mut words = 0;
    for p in &parts {
        let letters = p.iter().all(u8::is_ascii_alphabetic);
        let one_case = p.iter().all(u8::is_ascii_lowercase)
            || p.iter().all(u8::is_ascii_uppercase)
            || (p[0].is_ascii_uppercase() && p[1..].iter().all(u8::is_ascii_lowercase));
        if letters && one_case {
            // No word runs past 24 letters; a run that long is the random body of a token
            // (`api_org_` + 34 lowercase letters).
            if p.len() > 24 {
                return false;
            }
            let vowel = has_vowel(p);
            if p.len() >= 4 && !vowel {
                return false;
            }
            if p.len() >= 3 {
                words += 1;
            }
        } else if p.iter().all(u8::is_ascii_digit) {
            if p.len() > 6 {
                return false;
            }
        } else if is_tech_word(p) {
            // `oauth2_access_token_123` (a test's bearer token): a protocol's or an encoding's
            // name is a word a label is written in.
            words += 1;
        } else if p.len() > 3 || !p.iter().all(u8::is_ascii_alphanumeric) {
            return false;
        }
    }
    words >= 2
}

/// Names of protocols, encodings and digests that hold a digit, which `is_word_phrase` reads as
/// words (a random part of letters and digits is not on a short list).
const TECH_WORDS: &[&[u8]] = &[
    b"oauth1", b"oauth2", b"base32", b"base64", b"sha1", b"sha256", b"sha512", b"md5", b"utf8",
    b"utf16", b"http2", b"http3", b"ipv4", b"ipv6", b"x509", b"pbkdf2", b"argon2", b"aes128",
    b"aes256", b"ed25519", b"k8s", b"i18n",
];

/// The length of the `TECH_WORDS` word (or `OAuth`, or an acronym code writes in its capitals
/// inside a name: `API`, `JWT`, `URL`, `URI`, `SSO`) `s` opens with, in any case, when a capital or
/// the end follows it (`OAuth2Advanced…`: 6; `portainerAPIKeyPrefix`, a constant's name read as
/// the value of a concatenation, stop 48: 3).
fn tech_word_at(s: &[u8]) -> Option<usize> {
    TECH_WORDS
        .iter()
        .copied()
        .chain([&b"oauth"[..], b"api", b"jwt", b"url", b"uri", b"sso"])
        .find(|w| {
            s.len() >= w.len()
                && s[..w.len()].eq_ignore_ascii_case(w)
                && s.get(w.len()).is_none_or(u8::is_ascii_uppercase)
        })
        .map(<[u8]>::len)
}

/// `part` is one of `TECH_WORDS`, in any case (`Base64`, `OAUTH2`).
fn is_tech_word(part: &[u8]) -> bool {
    TECH_WORDS.iter().any(|w| w.eq_ignore_ascii_case(part))
}

/// A vowel (`y` counted) in either case: a word has one, random consonants often none.
fn has_vowel(word: &[u8]) -> bool {
    word.iter().any(|b| b"aeiouyAEIOUY".contains(b))
}

/// "my", "your" or "some" and a name, the way docs and usage lines write a value to fill in:
/// `myPassword`, `my_secure_password`, `my-secret-token`, `MyApiKey1`, `some-password`,
/// `YourPwdShouldBeLongAndSecure!`. A name in words, up to four digits and a `!` after it.
fn is_my_placeholder(secret: &[u8]) -> bool {
    let Some(rest) = [
        &b"my"[..],
        b"My",
        b"MY",
        b"your",
        b"Your",
        b"YOUR",
        b"some",
        b"Some",
    ]
    .iter()
    .find_map(|p| secret.strip_prefix(*p)) else {
        return false;
    };
    let rest = rest.strip_suffix(b"!").unwrap_or(rest);
    let body = rest.len() - rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    rest.first()
        .is_some_and(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'-'))
        && rest.len() - body <= 4
        && rest[..body]
            .iter()
            .all(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'-'))
}

/// Base64 of printable text is text, not a key: judged by what it says. A Kubernetes Secret's
/// `ZG9jc2dwdA==` is `docsgpt`, a word; its 44-character `JWT_SECRET_KEY` decodes to a phrase ending
/// in `change-me`. (32 random bytes decode to printable ASCII with odds under 1e-13.)
fn encodes_placeholder_text(secret: &[u8]) -> bool {
    let Some(text) = decoded_text(secret) else {
        return false;
    };
    let lower = text.to_ascii_lowercase();
    (lower.len() <= 16 && cased_like_words(&text))
        || PLACEHOLDER_WORDS
            .iter()
            .any(|w| w.len() > 2 && memchr::memmem::find(&lower, w.as_bytes()).is_some())
        || says_not_real(&text)
        || is_word_phrase(&text)
        || is_my_placeholder(&text)
        || is_joined_words(&text)
        || is_url_without_credentials(&text)
        || names_a_credential_slot(&text)
}

/// `tcp://127.0.0.1:5705`, `https://api.acme.io/v1`: a scheme, `://` and an address with no user
/// part (no `@`). A Secret's entry encoding where a service listens (stop 46: a StorageOS Secret's
/// `apiAddress`) holds no credential; one encoding `https://user:pass@host` does, and stays.
fn is_url_without_credentials(text: &[u8]) -> bool {
    let Some(at) = memchr::memmem::find(text, b"://") else {
        return false;
    };
    let scheme = &text[..at];
    !scheme.is_empty()
        && scheme[0].is_ascii_alphabetic()
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        && text.len() > at + 3
        && !text.iter().any(|b| *b == b'@' || b.is_ascii_whitespace())
}

/// Letters only, cased as words are written: one case (`docsgpt`, `POSTGRES`), or humps that each
/// start with a capital and have a vowel (`Docsgpt`, `RedisCache`, `myApp`; `ConfigDb` is not). A random password of
/// letters, `lrwZbqcabUGJmG`, switches case within its humps and has humps without vowels: a Secret's
/// entry holding it is a credential, not a word (it was dropped as one before).
fn cased_like_words(text: &[u8]) -> bool {
    if text.is_empty() || !text.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    if text.iter().all(u8::is_ascii_lowercase) || text.iter().all(u8::is_ascii_uppercase) {
        return true;
    }
    // camelCase or PascalCase: split before each capital; every hump a capital (or the start)
    // then lower-case letters, and a vowel in every hump of two letters or more.
    let mut start = 0;
    for end in (1..=text.len()).filter(|&i| i == text.len() || text[i].is_ascii_uppercase()) {
        let hump = &text[start..end];
        if hump[1..].iter().any(u8::is_ascii_uppercase)
            || (hump.len() >= 2 && !has_vowel(hump))
            || hump.len() == 1 && end != text.len()
        {
            return false;
        }
        start = end;
    }
    true
}

/// The text a base64 value (length a multiple of four, at least 8) decodes to, when all of it is
/// printable ASCII; one line end after it is dropped (`echo postgres | base64` encodes the newline
/// too: `cG9zdGdyZXMK`).
pub fn decoded_text(secret: &[u8]) -> Option<Vec<u8>> {
    if secret.len() < 8 || !secret.len().is_multiple_of(4) {
        return None;
    }
    let mut d = decode_base64_any(secret)?;
    if d.ends_with(b"\r\n") {
        d.truncate(d.len() - 2);
    } else if d.ends_with(b"\n") {
        d.pop();
    }
    (!d.is_empty() && d.iter().all(|b| (0x20..0x7f).contains(b))).then_some(d)
}

/// Code rather than a value: a whole call such as `os.getenv("KEY")` or `Fernet.generate_key()` (a
/// possibly dotted name, then parentheses to the end). A `(` elsewhere is an ordinary character of
/// many generated secrets (Django's secret keys draw from `!@#$%^&*(-_=+)`).
fn is_call(secret: &[u8]) -> bool {
    let name = secret
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$' | b':'))
        .count();
    name > 0
        && !secret[0].is_ascii_digit()
        && secret.get(name) == Some(&b'(')
        && secret.ends_with(b")")
}

/// Python's named interpolation, `%(NAME)s`, as in a config file that takes the value from elsewhere.
fn has_named_format(s: &[u8]) -> bool {
    memchr::memmem::find_iter(s, b"%(").any(|i| {
        let rest = &s[i + 2..];
        let name = rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
        name > 0
            && rest.get(name) == Some(&b')')
            && rest.get(name + 1).is_some_and(|b| b"sdrif".contains(b))
    })
}

/// printf's `%s` or `%d` used as a slot (`Bearer %s`, `%s:%s`, `token_%s`): followed by the end, a
/// space or punctuation that joins parts, in a template whose other characters hold few digits. Inside
/// a password (`k9%sTq!`) it is followed by more of the password, and inside a generated key
/// (Django's `…2zha%d-0pu+s…`) the digits around it say the pair is chance.
fn has_positional_format(s: &[u8]) -> bool {
    if s.iter().filter(|b| b.is_ascii_digit()).count() > 2 {
        return false;
    }
    memchr::memmem::find_iter(s, b"%").any(|i| {
        matches!(s.get(i + 1), Some(b's' | b'd'))
            && s.get(i + 2)
                .is_none_or(|b| b" :/_-.,;@=&?'\"|)]}".contains(b))
    })
}

/// A run of `min` characters each one more (or one less) than the last, e.g. `123456`, `abcdef`, `987654`.
fn has_sequential_run(s: &[u8], min: usize) -> bool {
    longest_sequential_run(s) >= min
}

/// The length of the longest run of letters or digits each one more (or one less) than the last.
fn longest_sequential_run(s: &[u8]) -> usize {
    let (mut up, mut down, mut longest) = (1usize, 1usize, s.len().min(1));
    for w in s.windows(2) {
        let (a, b) = (w[0], w[1]);
        let alnum = a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
        up = if alnum && b == a.wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if alnum && b == a.wrapping_sub(1) {
            down + 1
        } else {
            1
        };
        longest = longest.max(up).max(down);
    }
    longest
}

/// Structural checks a rule can require of its secret, named in the rule's `validators` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validator {
    /// URL-safe base64 that decodes to exactly 32 bytes (a Fernet key).
    FernetKey,
    /// Decodes as standard or URL-safe base64, padded or not.
    Base64,
    /// Three dot-separated base64url parts whose header is JSON naming an `alg`.
    Jwt,
    /// Rejects secrets made only of hex digits (checksums, hashes).
    NotHexOnly,
    /// Passes the Luhn checksum (card-like numbers).
    Luhn,
    /// Holds both letters and digits (random keys do; words and hyphenated names do not).
    LettersAndDigits,
    /// Mixes at least three of lower case, upper case, digits and symbols, as a chosen password does.
    PasswordLike,
    /// Holds both upper- and lower-case letters, as 40 random base64 characters do (an AWS secret
    /// key with no capital is a test's made-up value: odds of a real one under 1e-8).
    MixedCase,
    /// HTTP Basic credentials: base64 of `user:password` whose password is not a stand-in
    /// (`test-username:test-password`, `AC000…:foobar` in an SDK's tests).
    BasicCredentials,
    /// A byte-array literal (`201, 17, 0x5e, -91, …`) whose bytes are a random key's: 16 or more,
    /// spread (not zeros, not a counting sequence, not text written as numbers).
    ByteArrayKey,
    /// Decodes as base64 to printable ASCII text (a `user:password` pair, not binary that happens
    /// to hold a colon).
    Base64Text,
    /// A NATS NKey seed whose CRC-16 checksum holds (src/checksum.rs).
    NkeySeed,
    /// A Grafana legacy API key: base64 of `{"k":"<key>","n":"<name>","id":<n>}`, read as far as
    /// it goes (documentation cuts the key short).
    GrafanaLegacyKey,
    /// HTTP Basic credentials of any strength: base64 of `user:password` text (a stand-in or a
    /// default pair such as `admin:admin` passes; a template slot or a placeholder does not).
    BasicPair,
    /// A short key (10 to 24 characters) judged by its shape where entropy cannot judge it:
    /// letters and digits interleave (`interleaved`). Meant for a rule's `shortValidator`.
    Interleaved,
    /// A private key in wallet import format (Bitcoin, its test networks, Litecoin, Dogecoin)
    /// whose Base58Check checksum holds (src/checksum.rs).
    WifKey,
    /// A BIP-32 extended private key (`xprv…`, `tprv…`, `zprv…`) whose Base58Check checksum
    /// holds and whose key data is a private key's (src/checksum.rs).
    Bip32PrivateKey,
    /// A bech32 or bech32m string whose checksum holds (Sui, Nostr and Cardano private keys;
    /// src/checksum.rs).
    Bech32,
    /// A Stellar secret seed (`S…`, 56 base32 characters) whose CRC-16 holds (src/checksum.rs).
    StellarSeed,
    /// Letters alone, of both cases, drawn at random rather than written as words
    /// (`random_letters`): an unquoted key with no digit in it.
    RandomLetters,
}

impl Validator {
    pub fn parse(name: &str) -> Option<Validator> {
        Some(match name {
            "fernet-key" => Validator::FernetKey,
            "base64" => Validator::Base64,
            "jwt" => Validator::Jwt,
            "not-hex-only" => Validator::NotHexOnly,
            "luhn" => Validator::Luhn,
            "letters-and-digits" => Validator::LettersAndDigits,
            "password-like" => Validator::PasswordLike,
            "basic-credentials" => Validator::BasicCredentials,
            "mixed-case" => Validator::MixedCase,
            "byte-array-key" => Validator::ByteArrayKey,
            "base64-text" => Validator::Base64Text,
            "nkey-seed" => Validator::NkeySeed,
            "grafana-legacy-key" => Validator::GrafanaLegacyKey,
            "basic-pair" => Validator::BasicPair,
            "interleaved" => Validator::Interleaved,
            "wif-key" => Validator::WifKey,
            "bip32-private-key" => Validator::Bip32PrivateKey,
            "bech32" => Validator::Bech32,
            "stellar-seed" => Validator::StellarSeed,
            "random-letters" => Validator::RandomLetters,
            _ => return None,
        })
    }

    pub const NAMES: &'static [&'static str] = &[
        "fernet-key",
        "base64",
        "jwt",
        "not-hex-only",
        "luhn",
        "letters-and-digits",
        "password-like",
        "basic-credentials",
        "mixed-case",
        "byte-array-key",
        "base64-text",
        "nkey-seed",
        "grafana-legacy-key",
        "basic-pair",
        "interleaved",
        "wif-key",
        "bip32-private-key",
        "bech32",
        "stellar-seed",
        "random-letters",
    ];

    /// The validator's name in a rule's `validators` or `shortValidator`.
    pub fn name(self) -> &'static str {
        Validator::NAMES
            .iter()
            .find(|n| Validator::parse(n) == Some(self))
            .expect("every validator has a name")
    }

    /// The longest secret the validator accepts, where it has a bound: as a rule's
    /// `shortValidator`, it tells how long a candidate under the entropy floor can be and still
    /// pass (the engine's shape check before resolving groups, `SecretShapes`).
    pub fn max_len(self) -> Option<usize> {
        match self {
            Validator::Interleaved => Some(*INTERLEAVED_LEN.end()),
            _ => None,
        }
    }

    pub fn accepts(self, secret: &[u8]) -> bool {
        match self {
            Validator::FernetKey => {
                // Either alphabet: Fernet() maps `-_` to `+/` before decoding, so a key pasted in
                // standard base64 works too (a string never mixes both here).
                secret.len() == 44
                    && base64::engine::general_purpose::URL_SAFE
                        .decode(secret)
                        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(secret))
                        .is_ok_and(|d| d.len() == 32 && !d.iter().all(|b| (0x20..0x7f).contains(b)))
            }
            Validator::Base64 => decode_base64_any(secret).is_some(),
            Validator::Jwt => is_jwt(secret),
            Validator::NotHexOnly => !secret.iter().all(|b| b.is_ascii_hexdigit()),
            Validator::Luhn => luhn(secret),
            Validator::LettersAndDigits => {
                secret.iter().any(u8::is_ascii_digit) && secret.iter().any(u8::is_ascii_alphabetic)
            }
            Validator::BasicCredentials => basic_credentials(secret),
            Validator::ByteArrayKey => byte_array_key(secret),
            Validator::Base64Text => decode_base64_any(secret)
                .is_some_and(|d| !d.is_empty() && d.iter().all(|b| (0x20..0x7f).contains(b))),
            Validator::NkeySeed => crate::checksum::nkey_seed(secret),
            Validator::GrafanaLegacyKey => grafana_legacy_key(secret),
            Validator::BasicPair => basic_pair(secret),
            Validator::Interleaved => interleaved(secret),
            Validator::WifKey => crate::checksum::wif_private_key(secret),
            Validator::Bip32PrivateKey => crate::checksum::extended_private_key(secret),
            Validator::Bech32 => crate::checksum::bech32(secret),
            Validator::StellarSeed => crate::checksum::stellar_seed(secret),
            Validator::RandomLetters => random_letters(secret),
            Validator::MixedCase => {
                secret.iter().any(u8::is_ascii_uppercase)
                    && secret.iter().any(u8::is_ascii_lowercase)
            }
            Validator::PasswordLike => {
                let has = |f: fn(&u8) -> bool| secret.iter().any(f) as u8;
                has(u8::is_ascii_lowercase)
                    + has(u8::is_ascii_uppercase)
                    + has(u8::is_ascii_digit)
                    + has(u8::is_ascii_punctuation)
                    >= 3
            }
        }
    }
}

/// How long a key `interleaved` judges: shorter, a value of letters and digits is a word or a
/// code more often than a key; longer, its entropy judges it (24 random characters measure 4.2
/// bits a character or so, far over the generic rules' 3.5).
pub const INTERLEAVED_LEN: std::ops::RangeInclusive<usize> = 10..=24;

/// A short random key told from a word, a name or a version by its shape, where entropy cannot
/// tell it: a 12-character value measures at most 3.58 bits a character, a 10-character one 3.32,
/// and a random key of 12 to 16 lower-case letters and digits (`secrets.token_hex`'s alphabet, or
/// the base-36 ids services issue as tokens) measures under the generic rules' 3.5 in most draws.
/// Such a key is letters and digits (with `_.+/=~-`, starting with a letter or a digit) that
/// interleave: at least two of each, at least four changes between a letter and a digit (three
/// from 12 characters up, where a random key of 26 letters and 10 digits has fewer than four in
/// about a third of draws, and a word with a number has one or two), or capitals and lower-case
/// letters that do (`cases_interleave`), no character four times in a row, at least half its
/// characters distinct. A word with a number
/// (`session2024`, `release-v12`), a version (`v1.2.3-rc4`, `v12.10.4-rc3`), a name with a
/// counter (`etcd-cluster-01`) or a hex literal (`0x3f879678`) does not, nor a counting sequence
/// typed as a key (`a1b2c3d4e5`: its letters or its digits count up or down).
fn interleaved(s: &[u8]) -> bool {
    if !INTERLEAVED_LEN.contains(&s.len())
        || !s[0].is_ascii_alphanumeric()
        || !s
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_.+/=~-".contains(b))
        || s.starts_with(b"0x")
        || s.starts_with(b"0X")
    {
        return false;
    }
    if !(digits_interleave(s) || cases_interleave(s))
        || s.windows(4).any(|w| w.iter().all(|&b| b == w[0]))
    {
        return false;
    }
    // A version's numbers (`v12.10.4-rc3`, `2.0.1b4`): a digit, a dot, a digit.
    if s.windows(3)
        .any(|w| w[1] == b'.' && w[0].is_ascii_digit() && w[2].is_ascii_digit())
    {
        return false;
    }
    // Letters or digits that count (`a1b2c3d4e5`, `x9y8z7w6v5`): a sequence typed as a key.
    let counts = |class: fn(&u8) -> bool| {
        let mut seq = s.iter().filter(|b| class(b)).map(u8::to_ascii_lowercase);
        let Some(mut prev) = seq.next() else {
            return false;
        };
        let mut n = 1;
        for b in seq {
            if b != prev.wrapping_add(1) && b != prev.wrapping_sub(1) {
                return false;
            }
            prev = b;
            n += 1;
        }
        n >= 3
    };
    if counts(u8::is_ascii_alphabetic) || counts(u8::is_ascii_digit) {
        return false;
    }
    let mut seen = [false; 256];
    let distinct = s
        .iter()
        .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
        .count();
    distinct * 2 >= s.len()
}

/// `interleaved`'s letters and digits: at least two of each, and at least four changes between a
/// letter and a digit (three from 12 characters up), read over the alphanumerics alone (`ab-12` is
/// one change).
fn digits_interleave(s: &[u8]) -> bool {
    let letters = s.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let digits = s.iter().filter(|b| b.is_ascii_digit()).count();
    if letters < 2 || digits < 2 {
        return false;
    }
    let mut changes = 0;
    let mut last: Option<bool> = None;
    for b in s.iter().filter(|b| b.is_ascii_alphanumeric()) {
        let digit = b.is_ascii_digit();
        if last.is_some_and(|l| l != digit) {
            changes += 1;
        }
        last = Some(digit);
    }
    changes >= if s.len() >= 12 { 3 } else { 4 }
}

/// `interleaved`'s letters of both cases: a random key drawn from both cases (and digits, or
/// not) falls apart into short pieces where an identifier reads as words. Split as a camelCase
/// name is (a run of capitals before a capital that opens a word, a capital and its lower-case
/// letters, a run of lower-case letters, a run of digits; anything else ends a piece), a key of
/// 12 to 19 random letters and digits makes pieces of 2.4 characters or fewer in nine draws of ten
/// (`FGI85nJpQkAJ`: `FGI`, `85`, `n`, `Jp`, `Qk`, `AJ`), where names and stand-ins make longer ones
/// (`MySecretApiKey` 3.5, `myAPIKeyHere` 3.0, `Test1234Token` 4.3, `TokenV2Beta` 2.75). At least two
/// capitals and two lower-case letters. Keys that measure under 3.5 bits a character with fewer
/// than two digits, or no digit at all, were lost before (stop 44, 40 draws a length under
/// `api_key`: 13 lost at 12 characters, 7 at 14, 5 at 15).
fn cases_interleave(s: &[u8]) -> bool {
    let upper = s.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower = s.iter().filter(|b| b.is_ascii_lowercase()).count();
    if upper < 2 || lower < 2 {
        return false;
    }
    let (mut pieces, mut i) = (0usize, 0usize);
    while i < s.len() {
        let b = s[i];
        let run = |from: usize, class: fn(&u8) -> bool| {
            from + s[from..].iter().take_while(|b| class(b)).count()
        };
        i = if b.is_ascii_digit() {
            run(i, u8::is_ascii_digit)
        } else if b.is_ascii_lowercase() {
            run(i, u8::is_ascii_lowercase)
        } else if b.is_ascii_uppercase() {
            let caps = run(i, u8::is_ascii_uppercase);
            if caps < s.len() && s[caps].is_ascii_lowercase() {
                if caps - i > 1 {
                    // `XMLHttp`: `XML`, then `Http`.
                    caps - 1
                } else {
                    run(caps, u8::is_ascii_lowercase)
                }
            } else {
                caps
            }
        } else {
            i += 1;
            continue;
        };
        pieces += 1;
    }
    pieces > 0 && s.len() * 5 <= pieces * 12
}

/// Letters alone, of both cases, drawn at random (an unquoted key with no digit: `api_key:
/// nWTBeNAjSdcluqwXUugA` in YAML), told from a name or a word written in camelCase. Either the
/// capitals and lower-case letters interleave as `cases_interleave` reads them (pieces of 2.4
/// characters or fewer on average), or, since a random run of capitals makes one long piece
/// (`bWvuYySVHQIOUNZS`), the pieces average 3.2 characters or fewer and vowels are rare: a tenth
/// of random letters' alphabet, two fifths of an English word's letters (`ReadWriteAccess` 3 pieces
/// of 5, `AuthenticationTokenProvider` 9.0, `zRemRangeByLex` 2.8 but 29% vowels). Random letters
/// of 12 to 40 characters pass in three draws of four at 12 to nine of ten at 40 (2,000 draws a
/// length); of 18,428 mixed-case identifiers of 12 letters or more in the noise trees' sources,
/// 40 pass, most of them base64 fragments.
fn random_letters(s: &[u8]) -> bool {
    if s.len() < 12 || !s.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    if cases_interleave(s) {
        return true;
    }
    let upper = s.iter().filter(|b| b.is_ascii_uppercase()).count();
    if upper < 2 || s.len() - upper < 2 {
        return false;
    }
    // Pieces as `cases_interleave` splits them: a capital and its lower-case letters, a run of
    // lower-case letters, a run of capitals (less its last when a word follows).
    let (mut pieces, mut i) = (0usize, 0usize);
    while i < s.len() {
        let caps = i + s[i..].iter().take_while(|b| b.is_ascii_uppercase()).count();
        i = if caps == i {
            i + s[i..].iter().take_while(|b| b.is_ascii_lowercase()).count()
        } else if caps < s.len() && caps - i > 1 {
            caps - 1
        } else if caps < s.len() {
            caps + s[caps..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count()
        } else {
            caps
        };
        pieces += 1;
    }
    let vowels = s.iter().filter(|b| b"aeiouAEIOU".contains(b)).count();
    s.len() * 5 <= pieces * 16 && vowels * 10 <= s.len() * 3
}

/// The bytes of a byte-array literal's elements (decimal, `0x` hex, signed Java bytes, a `(byte)`
/// cast or `u8` suffix each), judged as a key: decoded only to be judged, never reported.
fn byte_array_key(literal: &[u8]) -> bool {
    let mut bytes = Vec::new();
    for part in literal.split(|&b| b == b',') {
        let t: Vec<u8> = part
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let t = t.strip_prefix(b"(byte)").unwrap_or(&t);
        let t = t.strip_suffix(b"u8").unwrap_or(t);
        if t.is_empty() {
            continue;
        }
        let Ok(t) = std::str::from_utf8(t) else {
            return false;
        };
        let v = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            Some(h) => i32::from_str_radix(h, 16),
            None => t.parse::<i32>(),
        };
        match v {
            Ok(v) if (-128..=255).contains(&v) => bytes.push((v & 0xff) as u8),
            _ => return false,
        }
    }
    let n = bytes.len();
    if n < 16 {
        return false;
    }
    let mut seen = [false; 256];
    bytes.iter().for_each(|&b| seen[b as usize] = true);
    let distinct = seen.iter().filter(|&&s| s).count();
    // 16 random bytes hold ~15.5 distinct values, 64 hold ~57; a pattern or padding far fewer.
    let spread = distinct * 10 >= n.min(256) * 7;
    // A counting sequence (1, 2, 3, … or 0x10, 0x20, …): one step between every pair.
    let step = bytes[1].wrapping_sub(bytes[0]);
    let counting = bytes.windows(2).all(|w| w[1].wrapping_sub(w[0]) == step);
    // Text written as numbers: a random key's 16 bytes are all printable once in ~10^7.
    let text = bytes.iter().all(|b| (0x20..0x7f).contains(b));
    spread && !counting && !text
}

/// Words that, as an HTTP Basic password, mark a test or documentation pair (`secret:key` is
/// private-gpt's documented default).
const STAND_IN_PASSWORDS: &[&str] = &[
    "password", "passwd", "pass", "secret", "test", "foobar", "foo", "bar", "key",
];

/// Whether a Basic credential decodes to `user:password` text: printable UTF-8 with a password
/// after its first colon (the user may be empty: Azure DevOps takes `:<PAT>`), one line end after
/// it dropped (`echo user:pass | base64` encodes the newline too). Not binary that happens to hold
/// a colon, nor a pair that is a template or a placeholder (`<user>:<password>`, `${USER}:${PASS}`,
/// `xxxx:xxxx`, `user:********`). The password's strength is not judged (basic-credentials does).
fn basic_pair(secret: &[u8]) -> bool {
    let Some(mut decoded) = decode_base64_any(secret) else {
        return false;
    };
    if decoded.ends_with(b"\r\n") {
        decoded.truncate(decoded.len() - 2);
    } else if decoded.ends_with(b"\n") {
        decoded.pop();
    }
    let Ok(text) = std::str::from_utf8(&decoded) else {
        return false;
    };
    if text.chars().any(char::is_control) {
        return false;
    }
    let Some((user, password)) = text.split_once(':') else {
        return false;
    };
    let slot = |p: &str| {
        let b = p.as_bytes();
        !b.is_empty()
            && (names_a_placeholder(b) || says_not_real(b) || is_masked(b) || is_template_slot(b))
    };
    !password.is_empty() && !slot(user) && !slot(password)
}

fn basic_credentials(secret: &[u8]) -> bool {
    let Some(decoded) = decode_base64_any(secret) else {
        return false;
    };
    let Some(colon) = decoded.iter().position(|&b| b == b':') else {
        return false;
    };
    let password = &decoded[colon + 1..];
    let lower = password.to_ascii_lowercase();
    !password.is_empty()
        && !looks_like_placeholder(password)
        && !says_not_real(password)
        && !STAND_IN_PASSWORDS.iter().any(|w| {
            memchr::memmem::find(&lower, w.as_bytes()).is_some() && lower.len() <= w.len() + 6
        })
}

/// Grafana (pkg/components/apikeygen) writes a legacy API key as base64 of the JSON
/// `{"k":"<32 letters and digits>","n":"<key name>","id":<org id>}`. A whole key must decode to
/// that object; a key cut short (HTTP API docs show its first 50 characters) must still hold the
/// `k` member's opening and at least 24 characters of its random value.
fn grafana_legacy_key(secret: &[u8]) -> bool {
    let whole = secret.len() - secret.len() % 4;
    let Some(text) = decode_base64_any(secret).or_else(|| decode_base64_any(&secret[..whole]))
    else {
        return false;
    };
    let Some(rest) = text.strip_prefix(br#"{"k":""#) else {
        return false;
    };
    let key = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if key < 24 {
        return false;
    }
    match rest.get(key) {
        // Cut short inside the key.
        None => true,
        Some(b'"') => match serde_json::from_slice::<serde_json::Value>(&text) {
            Ok(v) => {
                v.get("n").is_some_and(|n| n.is_string()) && v.get("id").is_some_and(|i| i.is_u64())
            }
            // Cut short after the key: what is left must begin the name member.
            Err(_) => {
                let tail = &rest[key..];
                br#"","n":""#.starts_with(tail) || tail.starts_with(br#"","n":""#)
            }
        },
        Some(_) => false,
    }
}

fn decode_base64_any(data: &[u8]) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|e| e.decode(data).ok())
}

fn is_jwt(secret: &[u8]) -> bool {
    jwt_payload(secret).is_some_and(|payload| {
        !serde_json::from_slice::<serde_json::Value>(&payload).is_ok_and(|p| toy_claims(&p))
    })
}

/// A JWT whose claims are a tutorial's (jwt.io's `{"sub": "1234567890", "name": "John Doe"}`): an
/// illustration under whatever name it stands, not only where the `jwt` rule reads it (stop 45: a
/// curl parser's test gave jwt.io's token to `--oauth2-bearer`, which `secret-property-wrapped` read).
fn is_toy_jwt(secret: &[u8]) -> bool {
    secret.starts_with(b"eyJ")
        && jwt_payload(secret).is_some_and(|payload| {
            serde_json::from_slice::<serde_json::Value>(&payload).is_ok_and(|p| toy_claims(&p))
        })
}

/// The decoded payload of `header.payload.signature` whose header is JSON naming an `alg`.
fn jwt_payload(secret: &[u8]) -> Option<Vec<u8>> {
    let mut parts = secret.split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(_sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let header = decode_base64_any(header)?;
    let payload = decode_base64_any(payload)?;
    serde_json::from_slice::<serde_json::Value>(&header)
        .is_ok_and(|h| h.get("alg").is_some())
        .then_some(payload)
}

/// Words a tutorial or test puts in a token's claims (`{"sub": "foo"}`, `{"sub": "username:bob"}`,
/// jwt.io's `{"sub": "1234567890", "name": "John Doe"}`, RFC 7519's issuer `joe`, PyJWT's
/// `{"some": "payload"}`).
const TOY_CLAIM_WORDS: &[&str] = &[
    "foo",
    "bar",
    "baz",
    "qux",
    "bob",
    "alice",
    "john",
    "jane",
    "doe",
    "joe",
    "test",
    "tester",
    "user",
    "username",
    "admin",
    "example",
    "1234567890",
    "data",
    "someone",
    "johndoe",
    "janedoe",
    "some",
    "payload",
    "something",
    "string",
    "hello",
    "world",
];

/// The registered claims that hold times (RFC 7519 section 4.1): any number there is a date.
const TIME_CLAIMS: &[&str] = &["exp", "iat", "nbf", "auth_time"];

/// A string made of toy words, or an address at a domain reserved for examples (RFC 2606's
/// `example.com`, `urn:example:issuer`).
fn toy_string(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let example_address = (lower.starts_with("urn:example:")
        || lower.starts_with("http://")
        || lower.starts_with("https://"))
        && words.contains(&"example");
    example_address || words.iter().all(|w| TOY_CLAIM_WORDS.contains(w))
}

/// A number a test writes (`-1`, `0`, `1`, `5.01`, `1234`): small, fractional or a digit run.
fn toy_number(n: &serde_json::Number) -> bool {
    if n.as_f64()
        .is_some_and(|f| f.fract() != 0.0 || f.abs() <= 1.0)
    {
        return true;
    }
    let digits = n.to_string();
    digits.len() >= 4 && "1234567890".starts_with(digits.as_str())
}

/// Every value under `v` is a toy: strings by their words, numbers by `toy_number`, booleans and
/// nulls as they are. Counts the strings seen in `strings`.
fn toy_values(v: &serde_json::Value, strings: &mut usize) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            *strings += 1;
            toy_string(s)
        }
        Value::Number(n) => toy_number(n),
        Value::Array(a) => a.iter().all(|v| toy_values(v, strings)),
        Value::Object(o) => o.values().all(|v| toy_values(v, strings)),
        Value::Bool(_) | Value::Null => true,
    }
}

/// Claim names only a test vector uses (`{"foo": "paddedbar"}`, `{"test": 1234}`). Narrower than
/// the toy words: a real token may carry `data` or `user`.
const TOY_CLAIM_NAMES: &[&str] = &["foo", "bar", "baz", "qux", "test", "hello", "some"];

/// A payload that says the token is an illustration:
/// - every string claim made of toy words (or an address at an example domain), every other number
///   small or a digit run, dates aside, and at least one string;
/// - or every claim's name is one only a test uses (`{"foo": "paddedbar"}`, `{"test": 1234}`,
///   `{"urn:example:claim": true}`);
/// - or the issuer is at a domain reserved for examples and the subject, if any, is a toy
///   (`{"iss": "https://example.com", "sub": "1234567890", "role": "authenticated", …}`): no
///   deployment issues tokens as example.com.
///
/// A bearer token that a server issued names a real subject (an id, an e-mail, a tenant's URL)
/// whether or not it expires; a signing key is reported by the secret rules whatever token it
/// signed. A numeric id (`{"user_id": 4821}`) keeps the token a candidate.
fn toy_claims(payload: &serde_json::Value) -> bool {
    let Some(claims) = payload.as_object() else {
        return false;
    };
    if claims.is_empty() {
        return false;
    }
    let mut strings = 0;
    let values_toy = claims.iter().all(|(k, v)| match v {
        serde_json::Value::Number(_) if TIME_CLAIMS.contains(&k.as_str()) => true,
        v => toy_values(v, &mut strings),
    });
    let toy_name = |k: &String| {
        TOY_CLAIM_NAMES.contains(&k.to_ascii_lowercase().as_str())
            || k.to_ascii_lowercase().starts_with("urn:example:")
    };
    let example_issuer = claims
        .get("iss")
        .and_then(|v| v.as_str())
        .is_some_and(|iss| toy_string(iss) && iss.to_ascii_lowercase().contains("example"))
        && claims
            .get("sub")
            .is_none_or(|v| v.as_str().is_some_and(toy_string));
    (values_toy && strings > 0) || claims.keys().all(toy_name) || example_issuer
}

fn luhn(secret: &[u8]) -> bool {
    let digits: Vec<u32> = secret
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| (b - b'0') as u32)
        .collect();
    if digits.len() < 12 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use crate::testrng::{n, Rng};

    /// Random values of the shapes the made-up checks meet: keyboard rows and alphabet runs up
    /// and down, glued to each other and to random bytes of every kind, upper and lower case.
    fn runs_and_noise(r: &mut Rng) -> Vec<u8> {
        const PIECES: &[&[u8]] = &[
            b"qwertyuiop",
            b"asdfghjkl",
            b"zxcvbnm",
            b"abcdefghijklmnopqrstuvwxyz",
            b"0123456789",
            b"9876543210",
            b"zyxwvu",
            b"poiuy",
            b"QWERTY",
            b"ASDF",
            b"xyz{|}",
            b"/0123",
            b"9:;",
            b"@ABC",
            b"`abc",
        ];
        let mut v = Vec::new();
        for _ in 0..n(r, 6) {
            if n(r, 2) == 0 {
                let p = PIECES[n(r, PIECES.len())];
                let a = n(r, p.len());
                let b = a + n(r, p.len() - a + 1);
                v.extend_from_slice(&p[a..b]);
            } else {
                for _ in 0..n(r, 5) {
                    v.push(r.below(256) as u8);
                }
            }
        }
        v
    }

    /// `run_at`'s row run read at the first byte's one place is the longest run over every place
    /// of every row (the definition it replaced), and the whole run agrees, on 200,000 random
    /// values and every suffix of each. Broken on purpose (the place one off, or only the first
    /// row read), it fails.
    #[test]
    fn run_at_is_the_longest_run_over_every_place() {
        fn by_every_place(s: &[u8]) -> usize {
            let step = |d: fn(u8) -> u8| {
                1 + s
                    .windows(2)
                    .take_while(|w| {
                        w[0].is_ascii_alphanumeric()
                            && w[1].is_ascii_alphanumeric()
                            && w[1] == d(w[0])
                    })
                    .count()
            };
            let row = super::KEYBOARD_ROWS
                .iter()
                .map(|row| {
                    (0..row.len())
                        .map(|i| row[i..].iter().zip(s).take_while(|(r, c)| *r == *c).count())
                        .max()
                        .unwrap_or(0)
                })
                .max()
                .unwrap_or(0);
            step(|b| b.wrapping_add(1))
                .max(step(|b| b.wrapping_sub(1)))
                .max(row)
        }
        let mut r = Rng(0x005e_ed37);
        let mut rows = 0;
        for _ in 0..200_000 {
            let v = runs_and_noise(&mut r);
            let lower = v.to_ascii_lowercase();
            for s in [&v[..], &lower[..]] {
                for i in 0..=s.len() {
                    let want = by_every_place(&s[i..]);
                    assert_eq!(super::run_at(&s[i..]), want, "{:?}", &s[i..]);
                    rows += usize::from(want >= 4 && super::KEYBOARD_PLACE[s[i] as usize].0 > 0);
                }
            }
        }
        assert!(rows > 10_000, "too few row runs met: {rows}");
    }

    /// `has_typed_runs`, which stops once three runs are found or too few bytes are left for the
    /// runs still missing, answers as the walk over every place does, on 200,000 values of runs and
    /// noise and every suffix of each. With the room asked of a run one byte more than its four,
    /// it fails.
    #[test]
    fn typed_runs_cut_short_answer_as_the_whole_walk() {
        fn whole_walk(s: &[u8]) -> bool {
            if s.len() > 64 {
                return false;
            }
            let (mut i, mut runs) = (0, 0);
            while i < s.len() {
                let n = super::run_at(&s[i..]);
                if n >= 4 {
                    runs += 1;
                    i += n;
                } else {
                    i += 1;
                }
            }
            runs >= 3
        }
        let mut r = Rng(0x7e_d5_42);
        let mut typed = 0;
        for _ in 0..200_000 {
            let v = runs_and_noise(&mut r).to_ascii_lowercase();
            for i in 0..=v.len() {
                let want = whole_walk(&v[i..]);
                assert_eq!(super::has_typed_runs(&v[i..]), want, "{:?}", &v[i..]);
                typed += usize::from(want);
            }
        }
        assert!(typed > 1_000, "too few values with typed runs met: {typed}");
    }

    /// `made_up` counts its distinct bytes and its commonest as the counts grow (stop 46); the
    /// old walks over all 256 counts gave the same two numbers, so the same answer, with and without
    /// the majority test, on runs and noise, values of few distinct bytes and one byte repeated.
    /// Counting a byte distinct each time it is seen fails.
    #[test]
    fn made_up_counting_as_it_goes_answers_as_the_two_walks() {
        fn two_walks(secret: &[u8], majority: bool) -> bool {
            let lower = secret.to_ascii_lowercase();
            let mut counts = [0u32; 256];
            for &b in &lower {
                counts[b as usize] += 1;
            }
            let distinct = counts.iter().filter(|&&c| c > 0).count();
            let most = counts.iter().copied().max().unwrap_or(0) as usize;
            if distinct < 3 || majority && most * 2 > lower.len() {
                return true;
            }
            let run = if majority {
                super::has_sequential_run(&lower, 6)
            } else {
                let longest = super::longest_sequential_run(&lower);
                longest >= 6 && longest + 1 >= lower.len()
            };
            run || super::is_sequence_pattern(&lower)
                || super::has_typed_runs(&lower)
                || (majority
                    && (super::interleaved_runs(&lower)
                        || super::is_stuttered(&lower)
                        || super::is_repeated_word(&lower)))
        }
        let mut r = Rng(0x3a_de_46);
        let mut made = [0usize; 2];
        for i in 0..100_000 {
            let v = match i % 3 {
                0 => runs_and_noise(&mut r),
                1 => (0..n(&mut r, 40)).map(|_| b"aAb1"[n(&mut r, 4)]).collect(),
                _ => {
                    let mut v: Vec<u8> = (0..n(&mut r, 30)).map(|_| b'x').collect();
                    v.extend((0..n(&mut r, 30)).map(|_| b"q7Zk2"[n(&mut r, 5)]));
                    v
                }
            };
            for majority in [true, false] {
                let want = two_walks(&v, majority);
                assert_eq!(super::made_up(&v, majority), want, "{v:?} {majority}");
                made[usize::from(majority)] += usize::from(want);
            }
        }
        assert!(made.iter().all(|&m| m > 10_000 && m < 90_000), "{made:?}");
    }

    /// `shannon_entropy` over the bytes present is the walk over all 256 counts, to the last bit
    /// (the floors compare with it, and reports print it), on random values of every length and
    /// alphabet, including one byte repeated (whose entropy is a signed zero).
    #[test]
    fn entropy_over_the_bytes_present_is_the_walk_over_every_count() {
        fn by_every_count(data: &[u8]) -> f64 {
            if data.is_empty() {
                return 0.0;
            }
            let mut counts = [0u32; 256];
            for &b in data {
                counts[b as usize] += 1;
            }
            let len = data.len() as f64;
            counts
                .iter()
                .filter(|&&c| c > 0)
                .map(|&c| {
                    let p = c as f64 / len;
                    -p * p.log2()
                })
                .sum()
        }
        let mut r = Rng(0xe7_37);
        for _ in 0..100_000 {
            let len = n(&mut r, 300);
            let alphabet = 1 + n(&mut r, 256);
            let v: Vec<u8> = (0..len)
                .map(|_| {
                    (r.below(alphabet as u64) as u8)
                        .wrapping_mul(37)
                        .wrapping_add(200)
                })
                .collect();
            let (got, want) = (super::shannon_entropy(&v), by_every_count(&v));
            assert_eq!(got.to_bits(), want.to_bits(), "{v:?}: {got} against {want}");
        }
        for v in [&b""[..], b"a", b"aaaa", b"\xff\xff", b"ab", b"\x00\xff"] {
            assert_eq!(
                super::shannon_entropy(v).to_bits(),
                by_every_count(v).to_bits()
            );
        }
    }

    #[test]
    fn grafana_legacy_key_decodes_the_key_whole_or_cut_short() {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let v = Validator::GrafanaLegacyKey;
        let whole = b64(r#"{"k":"Qm3vT8xLp2Rz7WcN4dHs9FyK6bJa1UeG","n":"ci","id":1}"#);
        assert!(v.accepts(whole.as_bytes()));
        // Cut at 50 characters, as Grafana's API docs print it.
        assert!(v.accepts(&whole.as_bytes()[..50]));
        // Not a key: too short a k, words in it, no n member, not the k member first.
        assert!(!v.accepts(b64(r#"{"k":"Qm3vT8xLp2"}"#).as_bytes()));
        assert!(!v.accepts(b64(r#"{"k":"your-key-goes-here-in-this-place"}"#).as_bytes()));
        assert!(!v.accepts(b64(r#"{"k":"Qm3vT8xLp2Rz7WcN4dHs9FyK6bJa1UeG","id":1}"#).as_bytes()));
        assert!(!v.accepts(b64(r#"{"n":"ci","k":"Qm3vT8xLp2Rz7WcN4dHs9FyK6bJa1UeG"}"#).as_bytes()));
    }

    #[test]
    fn base64_text_wants_printable_text() {
        use base64::Engine as _;
        let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
        assert!(Validator::Base64Text.accepts(b64(b"deploy:Hw4at5JQa").as_bytes()));
        assert!(!Validator::Base64Text.accepts(b64(b"de\x01ploy:\xffHw").as_bytes()));
        assert!(!Validator::Base64Text.accepts(b"Authentication"));
    }
    use super::*;

    /// The word lists' automata answer as a search for each word did: on random values made of the
    /// words' own bytes and pieces of the words (halves, a byte dropped, case changed, two words
    /// overlapping, multi-byte marks cut short), near misses and hits both.
    #[test]
    fn the_word_lists_find_a_word_exactly_where_a_search_for_each_word_does() {
        use crate::testrng::{n, Rng};
        let lists: [(&WordList, Vec<&str>); 3] = [
            (&PLACEHOLDER, PLACEHOLDER_WORDS.to_vec()),
            (
                &NOT_REAL,
                NOT_REAL_WORDS
                    .iter()
                    .chain(RFC_EXAMPLES)
                    .chain(PUBLISHED_EXAMPLES)
                    .copied()
                    .collect(),
            ),
            (&MASK_MARKS, MASKS.to_vec()),
        ];
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        for (list, words) in lists {
            // The automaton, and a fresh copy of the list asked as the filters ask it: word by
            // word first, by its automaton once asked `BUILD_AFTER` times.
            let automaton = list.automaton();
            let fresh = WordList::new(list.parts);
            const { assert!(20_000 > 2 * BUILD_AFTER) };
            let (mut hits, mut misses) = (0, 0);
            for _ in 0..20_000 {
                let mut value = Vec::new();
                for _ in 0..1 + n(&mut r, 4) {
                    let w = words[n(&mut r, words.len())].as_bytes();
                    let piece: Vec<u8> = match n(&mut r, 6) {
                        0 => w.to_vec(),
                        1 => w[..w.len() / 2].to_vec(),
                        2 => w[w.len() / 2..].to_vec(),
                        3 => {
                            let cut = n(&mut r, w.len());
                            [&w[..cut], &w[cut + 1..]].concat()
                        }
                        4 => w.to_ascii_uppercase(),
                        _ => {
                            let fill = b"aeo_-.*x{$(\xe2\x80";
                            (0..n(&mut r, 6))
                                .map(|_| fill[n(&mut r, fill.len())])
                                .collect()
                        }
                    };
                    value.extend(piece);
                }
                let want = words
                    .iter()
                    .any(|w| memchr::memmem::find(&value, w.as_bytes()).is_some());
                assert_eq!(
                    automaton.is_match(&value),
                    want,
                    "{:?}",
                    String::from_utf8_lossy(&value)
                );
                assert_eq!(
                    fresh.holds(&value),
                    want,
                    "{:?}",
                    String::from_utf8_lossy(&value)
                );
                if want {
                    hits += 1;
                } else {
                    misses += 1;
                }
            }
            assert!(
                hits > 2_000 && misses > 2_000,
                "{hits} hits, {misses} misses"
            );
        }
    }

    #[test]
    fn a_query_value_ends_at_the_next_parameter() {
        let len = |s: &str| query_value_len(s.as_bytes());
        assert_eq!(len("Zq8Lw3Nv7Rk2&limit=10"), 12);
        assert_eq!(len("Zq8Lw3Nv7Rk2&amp;page=2"), 12);
        assert_eq!(len("Zq8Lw3Nv7Rk2&x.y-z_1=a&b=c"), 12);
        // A `&` inside a password, or one before no parameter's name.
        assert_eq!(len("p&ssw0rd7Rk2"), 12);
        assert_eq!(len("Zq8L&3=Nv7Rk2"), 13);
        assert_eq!(len("Zq8Lw3Nv7Rk2&"), 13);
    }

    #[test]
    fn the_weak_tier_takes_a_dominant_letter_as_typed_but_not_runs_or_two_characters() {
        for typed in ["hooooorst", "peewee", "otool", "wtffffffff"] {
            assert!(looks_made_up(typed.as_bytes()), "{typed}");
            assert!(!looks_made_up_password(typed.as_bytes()), "{typed}");
        }
        for filler in [
            "aaa", "1212", "121212", "123456", "abcdefgh", "12345678", "a1234567", "7654321",
        ] {
            assert!(looks_made_up_password(filler.as_bytes()), "{filler}");
        }
        // A run with more around it is a weak password someone deploys, not a filler; under a
        // secret's generic name (`looks_made_up`) it still is one.
        for weak in ["Aa12345678", "admin123456", "test123456"] {
            assert!(!looks_made_up_password(weak.as_bytes()), "{weak}");
            assert!(looks_made_up(weak.as_bytes()), "{weak}");
        }
    }

    #[test]
    fn an_ipv6_address_and_its_port_are_no_password() {
        for v in [
            ":1]:8080",
            "db8::1]:443",
            ":]:80",
            "0:0:0:0:ffff:127.0.0.1]:80",
            ":1%25eth0]:8080",
            "db8::5]",
        ] {
            assert!(names_a_placeholder(v.as_bytes()), "{v}");
        }
        // Letters past hex, no colon before `]`, or more after the port: a password.
        for v in [
            "Kx7vQ2]:80",
            "c0ffee]:8080",
            ":1]:8080x",
            "s3cr:et]:80",
            "ab:cd]:123456",
        ] {
            assert!(!is_bracketed_address_tail(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "your-secret-key-here",
            "pypi-AgEIcHlwaS5vcmcCJDYourTokenHere",
            "sk-your-key-here",
            "sk-1234567890abcdef",
            "xxxxxxxxxxxxxxxx",
            "<token>",
            "${SESSION_SECRET}",
            "os.getenv(\"KEY\")",
            "AKIAIOSFODNN7EXAMPLE",
            "changeme",
            "aaaaaaaaaaaaaaaaaaaa",
            "{{ secret }}",
            "Fernet.generate_key()",
            "%(PYPI_TOKEN)s",
            "get_secret(\"db\")",
            "std::env::var(\"TOKEN\")",
            "abcdefghij",
            "Bearer %s",
            "%s:%s",
            "token_%s",
            "sk-<key>",
            "<YOUR_TOKEN",
            "your token here>",
            "$this->secretValue",
        ] {
            assert!(looks_like_placeholder(p.as_bytes()), "{p}");
        }
    }

    /// wild44: values typed as blocks of one character, and a count typed along the digit row past
    /// 9 to 0, are stand-ins; random keys with a doubled character, and short weak passwords, are not.
    #[test]
    fn stuttered_blocks_and_the_digit_row_are_stand_ins() {
        for v in [
            "KKKLLLMMMNNNPPP77788899900011",
            "aabbccdd11223344",
            "xxxyyyzzz111222",
        ] {
            assert!(is_stuttered(v.to_ascii_lowercase().as_bytes()), "{v}");
            assert!(looks_made_up(v.as_bytes()), "{v}");
        }
        for v in ["Qm7Xv2LkkT9wRz4Np8", "aabbccd", "hk44tz99qm22", "aabbcc"] {
            assert!(!is_stuttered(v.to_ascii_lowercase().as_bytes()), "{v}");
        }
        // The count wraps from 9 to 0 along the digit row.
        assert!(interleaved_runs(b"a1b2c3d4e5f6g7h8i9j0k1l2"));
        assert!(looks_made_up(b"a1b2c3d4e5f6g7h8i9j0k1l2"));
        assert_eq!(run_at(b"7890"), 4);
        assert!(!looks_made_up(b"Qm7Xv2Lk8T9wRz0Np4"));
    }

    #[test]
    fn credential_slot_names_leet_phrases_and_woven_runs_are_stand_ins() {
        for v in [
            "ACCOUNT_SID:AUTH_TOKEN",
            "ACCESS_KEY_ID:SECRET_ACCESS_KEY",
            "access-key:secret-key",
            "account_login:account_password",
            "ClientSecret",
            "SECRET_ACCESS_KEY",
        ] {
            assert!(names_a_credential_slot(v.as_bytes()), "{v}");
            assert!(looks_like_placeholder(v.as_bytes()), "{v}");
        }
        // A real password after a slot-named user, a name with another word, one word alone.
        for v in [
            "deploy:Zr8kQ2mWx4vT",
            "ACCESS_KEY:hunter42",
            "password",
            "AdminSecret",
            "api_password",
            "tokenSecret",
            "SecretSecret",
            "Tk8vQ2zW5mXr9Lp3",
        ] {
            assert!(!names_a_credential_slot(v.as_bytes()), "{v}");
        }
        assert!(is_leet_word_phrase(b"s3cr3t-value-for-test"));
        assert!(!is_leet_word_phrase(b"8f14e45f-ceea-467f-a8f5"));
        // A prefixed key whose hex body holds only digits that read as letters (joined here so the
        // source holds no key).
        let thog = ["thog-key-", "3b0054cfdc55faf3"].concat();
        assert!(!is_leet_word_phrase(thog.as_bytes()));
        assert!(!is_leet_word_phrase(b"Zr8kQ2mWx4-vT7pL3nQ"));
        for v in [
            "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6",
            "p3w8r9t7y6u5i4o3p2q1w9e8r7t6y5u4i3o2p1q0",
            "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6",
        ] {
            assert!(interleaved_runs(v.as_bytes()), "{v}");
            assert!(looks_made_up(v.as_bytes()), "{v}");
        }
        // Random letters and digits in turn, and a short typed password, are not.
        for v in ["k3x9b2q7m4z8w1r5t6y0", "q1w2e3r4", "a7Kq2Zx9Lm4Vb8Nc3Tw6"] {
            assert!(!interleaved_runs(v.to_ascii_lowercase().as_bytes()), "{v}");
        }
        assert!(is_joined_words(b"http-basic"));
        assert!(!is_joined_words(b"kq7-zx9w"));
    }

    #[test]
    fn values_that_name_something_else_are_not_secrets() {
        for v in [
            "Optional[str]",
            "typing.Dict[str, Any]",
            "list[int] | None",
            "bill@fillmurray.com",
            "first.last+ci@mail.example-corp.io",
            "ci/beanstalk/gitlab_ci_elasticbeanstalk-626-1313.war",
            "classpath:test-key.pem",
            "classpath:org/springframework/boot/ssl/rsa-key.pem",
            "file:/etc/app/secrets.json",
            "spring.mail.default-encoding:US-ASCII",
            "--spring.devtools.livereload.enabled=true",
            "server.servlet.context-path:/test",
            "nullable|string|max:255",
            "required|string|min:8|confirmed",
            "sometimes|required|email|unique:users,email",
        ] {
            assert!(names_something_else(v.as_bytes()), "{v}");
            assert!(looks_like_placeholder(v.as_bytes()), "{v}");
        }
        // Generated secrets with brackets, `@`, `/`, `.` or `=` in them stay candidates.
        for v in [
            "Zq8[Lw3]Nv7Rk2",
            "p@ssW0rd.k9Tq2",
            "kD9s@Xq2Lm7.zV",
            "u95e#xr$t3!vdux@fj11.com!",
            "ab+9Kq/Lm3Zx/Pq7Vn2wRt5Y=",
            "9kQ2/xL7m/Tq4Zv8.PnR3",
            "pk.eyJ1Ijoiam9obmRvZSJ9/x2Lq+Tz.abc",
            "Tq4Zv8.PnR3=kD9sXq2",
            "app.Key=Zq8Lw3Nv7Rk2",
            "x.y:9kQ2xL7mTq4Zv8PnR3",
            "q8x2k4m9z1p7w3.atlasv1.kq8x2k4m9z1p7w3=zv",
            "sl.kqxzmpwvtn.qzx=kq8x2k4m9z1",
            "pk.jm=/xbiqvq2fd3g08v3mfytem5p",
            "required|Xq8vN3kR7tW2",
            "max:255",
            "string|Kq9|zV7",
        ] {
            assert!(!names_something_else(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn code_and_references_where_a_value_stands_are_not_secrets() {
        // Stop 46, real repositories: env references in tools' syntax, PHP building a value, a
        // tokenizer's states, URL paths, webhook signatures, PHP's `{$…}`, a protocol's name in
        // its capitals, translated labels, percent-encoded phrases, base64 of a plain URL.
        for v in [
            "os.environ/ANTHROPIC_API_KEY",
            "env:AWS_ACCESS_KEY_ID",
            "$env:OPENAI_API_KEY",
            ".$escaped.",
            ". $password .",
            ".$this->secret",
            "!$canEditValue",
            "@brackets.directive",
            "@brackets.interpolation",
            "keyword.tag-$1",
            "/api/v1/nvidia-nim",
            "/api/v1/organizationuser",
            "/webhooks/source/events/",
            "sha256=forgedhashvalue",
            "sha1=0b6f7c1e9a4d2f5b8c3e6a9d1f4b7c2e5a8d0f3b",
            "path=/v1/auth/userpass/login/student",
            "7e5f48d1e79c915595d938c932b6f0101715a162780d01a55845367e014fbcda.zip",
            "26.7.0.124771-community",
            "8.2.1-alpine",
        ] {
            assert!(names_something_else(v.as_bytes()), "{v}");
        }
        for v in [
            "{$encodedPass}",
            "DOMAIN_ADMIN_UNAME:DOMAIN_ADMIN_PW",
            "OAuth2AdvancedOptions",
            "Palavra-passe",
            "Mot de passe",
            "OAuth-klienthemmelighed",
            "review%20token%2Fwith%2Bsymbols",
            "gl-token%2Fwith%2Bsym",
            // base64 of `tcp://127.0.0.1:5705`
            concat!("dGNwOi8vMTI3LjAu", "MC4xOjU3MDU="),
        ] {
            assert!(looks_like_placeholder(v.as_bytes()), "{v}");
        }
        // Random keys with the same characters stay candidates.
        for k in [
            "env:Zq8Lw3Nv7Rk2Jx5T",
            "os.environ/kq8x2k4m9z1p7",
            "$Zq8.Lw3Nv7Rk2",
            ".$Kq9!vZ2x.",
            "@Zq8Lw3.Nv7Rk2Jx5",
            "Zq8Lw3Nv7$1",
            "/Zq8Lw3Nv7Rk2/Jx5Tb9Mc4H",
            "/kq8x2k4m9z1/p7w3zv",
            "sha3=Zq8Lw3Nv7Rk2",
            "Zq8Lw3Nv7Rk2.Jx5Tb9",
            "26.7.0.Zq8Lw3Nv7Rk2",
            "pw=/Zq8Lw3Nv7/Rk2Jx5",
            "DOMAIN_ADMIN:Kq9vZ2x7Lm",
            "OAuth2Zq8Lw3Nv7Rk2",
            "p%40ss%2Fw0rd%21Kq9z",
            "Kq7%2BvZ2x9Lm%2F4Tz",
            // base64 of an https URL with a user and a password in it
            concat!("aHR0cHM6Ly9zdmM6S3E3", "dloyeDlAZGIuYWNtZS5pbw=="),
        ] {
            assert!(!looks_like_placeholder(k.as_bytes()), "{k}");
        }
    }

    #[test]
    fn random_keys_are_not_placeholders() {
        for k in [
            concat!("sk-", "proj-Qm9hX2lzX3JhbmRvbV92YWx1ZV9mb3JfdGVzdHM"),
            "ghp_R4nd0mV4lu3sAr3N0tPl4c3h0ld3rsQz9W",
            "password123",
            concat!(
                "django-",
                "insecure-k(2v@x9_r+0w!m6qz)3t%j8h^b1s#y&n7c*e-4u=p5g$l"
            ),
            "Vq7(mZ2xKp9Lw*Tz",
            concat!(
                "django-",
                "insecure-@^0z_d86%7qttidv*z5*-ora13%6+8&t_lm%(429(*%k0_ciq*"
            ),
            "k9%sTq!xW2",
            "11l%d-0pu+s+tk^-n^h47-b=md+g^u@2zha+xpfxrf5%7n*zzq",
            // Symbols of a generated password, one angle bracket alone or closing before it opens.
            "q7K>mZ2x!Lp9w(T",
            "Wn8<vR3t^kP6s",
            "h4>Jm9Q<x2Lv",
        ] {
            assert!(!looks_like_placeholder(k.as_bytes()), "{k}");
        }
    }

    #[test]
    fn fill_ins_in_other_languages_and_scripts_are_placeholders() {
        for v in [
            "sua_senha",
            "password_smtp_anda",
            "sk-tu-nueva-api-key-aqui",
            "email_cua_ban",
            "votre_cle_api",
            "mot_de_passe",
            "sk-\u{4f60}\u{7684}\u{5bc6}\u{94a5}",
            "\u{5f3a}\u{968f}\u{673a}\u{5bc6}\u{7801}",
            "sk-\u{c5ec}\u{ae30}\u{c5d0}-key",
            "ma_16_ky_tu_v\u{1eeb}a_t\u{1ea1}o",
            "\u{30d1}\u{30b9}\u{30ef}\u{30fc}\u{30c9}",
            "\u{432}\u{430}\u{448}_\u{442}\u{43e}\u{43a}\u{435}\u{43d}",
        ] {
            assert!(names_a_placeholder(v.as_bytes()), "{v}");
        }
        // Accented Latin letters and Cyrillic are typed in passwords; a random key holds none of
        // the words.
        for v in [
            "Contrase\u{f1}a2024!",
            "Stra\u{df}e#2019",
            "\u{41f}\u{430}\u{440}\u{43e}\u{43b}\u{44c}2024",
            "Rwanda2019!",
            "Q7vK2mZxTp9LwB4nRc8s",
        ] {
            assert!(!names_a_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn masked_values_are_recognised() {
        for m in [
            "xxxx+xxxx/xxxx",
            "XXXXXXXXXXXXXXXXXXXX",
            "xxxxxx",
            "glc_xxxxx/xxxxxxxx+xxxxxxxx=",
            "whuncJO_xxxxxxxxx+xxxxxxxx",
            "b_xxxxxxxx+xxxxxxx\\xxx-xxxxxx/xxxxxx",
            "pk.x/xxxxxxx+xxxxx/xxxxxxx=x/xxxxx",
            "ApiKey-xx         xxxxxx-xxxx-xxxxxxxx",
            "xxxxx://xxxxxxx:x@xxxxxxxxx.xxx/xxxxxxxx.xxx",
            "$xx$xxxxx$xxxxxxxxx.xxxxxxxxxxxxxx",
            "{xxxxxxxxxx\"xxxx_xxxx\":xxxxxxxxxxxxxxx}",
            "SWMKEY-x-xxxxxxxxxxxxxxxxxxxx+xxxxxxxxxxxx",
            "00000000-0000-0000-0000-000000000000",
            "sk-****abcd",
            "ghp_****************************",
            "sk-...abcd",
            "sk-\u{2026}abcd",
            "\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}",
            "AIza***",
            "pplx-***",
            "sk-ant-***",
            "gsk_*****",
            "sk-***abcd",
        ] {
            assert!(is_masked(m.as_bytes()), "{m}");
        }
        for k in [
            // Random values that contain x runs: other letters follow the run.
            "q8Xx3vLxxP9kW2mZr7Tb",
            "xxx9vQ2mL7kR4tW8yB3n",
            "ghp_R4nd0mxxxV4lu3sAr3N0tPl4c3h0ld3rs",
            // A password that runs into its x's, and weak values in use.
            "Tr0ub4dor3xxx",
            "hunter2",
            "changeme",
            "aaaa",
            "2024-01-01",
            "*secret*",
            // Stars inside a password, and a long value after them.
            "P@ss***w0rd9",
            "***secret***",
            "ab***Qm7Xv2LkT9wRz4Np8",
        ] {
            assert!(!is_masked(k.as_bytes()), "{k}");
        }
    }

    #[test]
    fn template_slots_and_keyboard_patterns() {
        for t in [
            "%API_TOKEN%",
            "@@API_TOKEN@@",
            "__API_TOKEN__",
            "__REPLACE__",
            "#{ApiToken}#",
            "{api_token}",
            "[api-token]",
            "[Your Token]",
            "&lt;key&gt;",
            "&lt;service-principal-password&gt;",
        ] {
            assert!(is_template_slot(t.as_bytes()), "{t}");
        }
        for k in [
            // Random values and weak passwords between the same marks stay candidates.
            "%q8Xv3LkP9wZ2mR7%",
            "__a8Kf93LmQz7Rt2Vw__",
            "{9fK2mQx7Lp3Vz8Rt}",
            "[xK9mQ2vL7pR4tZ8wB3nC]",
            "@q8Xv3LkP9wZ2@",
            "q8Xv3LkP9wZ2",
        ] {
            assert!(!is_template_slot(k.as_bytes()), "{k}");
        }
        for p in ["abcd1234abcd1234abcd1234", "ABCD1234EFGH5678"] {
            assert!(looks_like_placeholder(p.as_bytes()), "{p}");
        }
        // A short one may be the weak password in use; a random value with a run of four is random.
        for k in ["abcd1234", "abcdq8Xv3LkP9wZ2mR7T"] {
            assert!(!looks_like_placeholder(k.as_bytes()), "{k}");
        }
    }

    #[test]
    fn values_that_say_they_are_not_real() {
        for v in [
            "fake-api-key",
            "DUMMY_TOKEN_1",
            "mock_secret_key",
            "my-placeholder",
            "2YotnFZFEjr1zCsicMWpAA",
            "[REDACTED]",
            "REDACTED_AUTH_TOKEN_1",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "bogus-token",
            "throwaway",
            "13hc77781f7e4b19b5fcdd72a8df7156",
        ] {
            assert!(says_not_real(v.as_bytes()), "{v}");
        }
        for v in ["Xq8vN3kR7tW2yB5mC9xL", "changeme", "password123"] {
            assert!(!says_not_real(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn password_like_mixes_three_classes() {
        assert!(Validator::ByteArrayKey
            .accepts(b"201, 17, 94, 63, 138, 250, 7, 88, 172, 41, 219, 130, 66, 9, 185, 244"));
        assert!(Validator::ByteArrayKey.accepts(
            b"0x3a, 0x9f, 0x12, 0xc7, 0x5e, 0x81, 0x2b, 0xd4,\n 0x6f, 0x08, 0xe3, 0x97, 0x4c, 0xb1, 0x25, 0x7a"
        ));
        assert!(Validator::ByteArrayKey
            .accepts(b"-91, 23, 108, -7, 66, -120, 31, 90, -44, 117, 2, -63, 88, 14, -102, 71"));
        assert!(!Validator::ByteArrayKey.accepts(b"0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0"));
        assert!(!Validator::ByteArrayKey
            .accepts(b"1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16"));
        assert!(!Validator::ByteArrayKey.accepts(b"201, 17, 94, 63, 138, 250, 7, 88"));
        // "hello, world, 42" as numbers: text, not a key.
        assert!(!Validator::ByteArrayKey
            .accepts(b"104, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 44, 32, 52, 50"));
        assert!(!Validator::ByteArrayKey
            .accepts(b"201, 17, 94, 63, 138, 250, 7, 88, 172, 41, 219, 130, 66, 9, 185, 999"));
        assert!(Validator::PasswordLike.accepts(b"Ab3dE.f9"));
        assert!(Validator::PasswordLike.accepts(b"k7#p!q2z"));
        assert!(!Validator::PasswordLike.accepts(b"changeme"));
        assert!(!Validator::PasswordLike.accepts(b"Password"));
        assert!(Validator::LettersAndDigits.accepts(b"sk-a1"));
        assert!(!Validator::LettersAndDigits.accepts(b"sk-custom-key"));
    }

    #[test]
    fn a_basic_pair_of_any_strength_is_user_and_password_text() {
        use base64::engine::general_purpose::STANDARD;
        // Stand-ins and defaults are pairs (the weak tier reports them at low severity); a line
        // end after the pair is what `echo user:pass | base64` writes.
        for pair in [
            "admin:admin",
            "user:pass",
            "postman:password",
            "tom:secret",
            "jos\u{e9}:s\u{259}cr\u{259}t",
            "deploy:AHuGkXnQ3UHJ3etNfE\n",
            ":Hw4at5JQa",
        ] {
            let b = STANDARD.encode(pair);
            assert!(Validator::BasicPair.accepts(b.as_bytes()), "{pair:?}");
        }
        for pair in [
            "user:",
            "no-colon-here",
            "<user>:<password>",
            "${USER}:${PASS}",
            "xxxx:xxxx",
            "user:********",
            "de\u{1}ploy:Hw4at",
        ] {
            let b = STANDARD.encode(pair);
            assert!(!Validator::BasicPair.accepts(b.as_bytes()), "{pair:?}");
        }
        assert!(!Validator::BasicPair.accepts(b"Authentication"));
        assert!(!Validator::BasicPair.accepts(&[0xde, 0xad]));
    }

    #[test]
    fn basic_credentials_need_a_real_looking_password() {
        use base64::engine::general_purpose::STANDARD;
        let ok = STANDARD.encode("deploy:AHuGkXnQ3UHJ3etNfE");
        assert!(Validator::BasicCredentials.accepts(ok.as_bytes()));
        // A long value that merely holds a stand-in word is a password (Mailgun's api:key-…).
        // (built at run time: the repository scans itself clean)
        let ok = STANDARD.encode(format!(
            "api:{}-{}",
            "key", "8d1c5a37e0b94f2a6c7d3e1f0b9a8c4d"
        ));
        assert!(Validator::BasicCredentials.accepts(ok.as_bytes()));
        for pair in [
            "AC0000:foobar",
            "user:",
            "no-colon-here",
            "test-username:test-password",
            "secret:key",
        ] {
            let b = STANDARD.encode(pair);
            assert!(!Validator::BasicCredentials.accepts(b.as_bytes()), "{pair}");
        }
    }

    #[test]
    fn typed_shapes_fill_ins_look_alikes_and_encoded_text_are_placeholders() {
        use base64::engine::general_purpose::STANDARD;
        for p in [
            // Keyboard rows and digit runs (Laravel's URL-parser tests).
            "asdfqwer1234asdf",
            "qwerty123456asdf",
            // A UUID-shaped value typed by hand (Kubernetes' sysdig example): 1234, 5678, abcd.
            "8312341g-5678-abcd-4a2b2c-33bcsd655",
            // Fill-ins: "your" and "some" as "my" (a Terraform module's README, a Helm chart's docs).
            "YourPwdShouldBeLongAndSecure!",
            "some-password",
            "your_password1",
            // Look-alike spellings of "example" and "sample".
            "P@55w0rd_Ex@mple_2023!",
            "S@mpleT0ken99x",
        ] {
            assert!(looks_like_placeholder(p.as_bytes()), "{p}");
        }
        // Base64 of a word with the newline `echo` adds.
        for text in ["postgres\n", "docsgpt\r\n"] {
            let b = STANDARD.encode(text);
            assert!(looks_like_placeholder(b.as_bytes()), "{text:?}");
        }
        for k in [
            // Random values with one run, passwords a person chose, and credentials in addresses.
            "q8Xv3LkP9wZ2asdfmR7T",
            "9f3e2d1c-5678-4b2a-8c7d-e6f5a4b3c2d1",
            "Forge123",
            "SuperSecretPassw0rd",
            "Sup3rS3cr3t!",
            "someone2Know#",
            "Yourself-K9x!q2",
            "sCaleio123",
            // Digits alone do not make a look-alike: a test's made-up token spells words with them.
            "ghp_R4nd0mV4lu3sAr3N0tPl4c3h0ld3rsQz9W",
        ] {
            assert!(!looks_like_placeholder(k.as_bytes()), "{k}");
        }
        for text in ["Jj5A2KtlW2\n", "knfCQGMHw2qQJNJ0B2UU6bctTdra5WcO"] {
            let b = STANDARD.encode(text);
            assert!(!looks_like_placeholder(b.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn word_phrases_my_names_and_encoded_words_are_placeholders() {
        use base64::engine::general_purpose::STANDARD;
        for p in [
            "caller-passed-WRONG-key",
            "settings-api-key-DO-NOT-LEAK",
            "e2e-fixed-encryption-key-never-use-in-prod",
            "test-api-key-12345",
            "m0-old-platform-key",
            "mail.mailgun-api-key",
            "oauth2_access_token_123",
            "base64-signing-key-v2",
            "isSecretBase64Encoded",
            "SomeRandomStringOf32CharsExactly",
            "TestTestTestTestTestTestTestTest",
            "window.CSRF_TOKEN",
            "Config::SECRET_KEY",
            "API-Passwort",
            "RabbitMQ-passord",
            "Radius-hemmelighet",
            "SMS-Password",
            "localAiBasePath",
            "oauth2AccessTokenUrl",
            "myPassword",
            "my_secure_password",
            "AstraCS:...",
            "user:\u{2022}\u{2022}\u{2022}",
        ] {
            assert!(looks_like_placeholder(p.as_bytes()), "{p}");
        }
        for text in ["docsgpt", "acme-dev-jwt-secret-change-me"] {
            let b = STANDARD.encode(text);
            assert!(looks_like_placeholder(b.as_bytes()), "{text}");
        }
        for k in [
            "Zq8v-N3kR-7tW2-yB5m",
            "qwxzk-plmnb-rtvbc",
            // A digit after random letters is no protocol's name.
            "oauth3_kqzvtr_mwplnx",
            // Random letters cased so: words too short or without a vowel, digits after no name.
            "kQzLmRtWpXvNaBcD",
            // A random word before a credential's name is no product's.
            "Xkqz7-password",
            "Qxzrtv-Wpl9z-secret",
            "api_password",
            // A constant's name alone, or a path ending in no constant, is not a reference.
            "Xk9.Qz7_WvR2mT8pL",
            "a.b.C",
            "tuvQbnHkwEpzMrd",
            "qWtrZvf7GhjkLmnpx",
            "correct-Hq7x9-battery",
            "myapp2024Secret!",
            "bXlhcHAtZGV2LXNlc3Npb24tc2VjcmV0LXJvdGF0ZSE=",
            // A token whose random body is one long lowercase run is no phrase of words.
            concat!("api_", "org_qhwfzeuoanvbtkdyraxmelcipgsjouwbti"),
        ] {
            assert!(!looks_like_placeholder(k.as_bytes()), "{k}");
        }
    }

    #[test]
    fn jwt_with_toy_claims_is_an_illustration() {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let h = e(r#"{"alg":"HS256","typ":"JWT"}"#);
        for claims in [
            r#"{"sub":"foo"}"#,
            r#"{"sub":"username:bob"}"#,
            r#"{"data":"foo"}"#,
            // Toy claims with a date: a library's test vector (golang-jwt's examples).
            r#"{"sub":"foo","exp":1893456000}"#,
            r#"{"foo":"bar","iss":"test","exp":1516239022}"#,
            // RFC 7519's own example, and example-domain claims (jose's docs).
            r#"{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}"#,
            r#"{"urn:example:claim":true,"iat":1669056231,"iss":"urn:example:issuer","aud":"urn:example:audience"}"#,
            // No string at all, but toy names (PyJWT's advisory tests, jose's sign tests).
            r#"{"test":1234}"#,
            r#"{"urn:example:claim":true}"#,
            r#"{"some":"payload"}"#,
            // Test-only claim names, and an example-domain issuer (supabase-js' tests).
            r#"{"foo":"paddedbar"}"#,
            r#"{"aud":"authenticated","exp":1748107074,"iss":"https://example.com","sub":"1234567890","role":"authenticated"}"#,
            r#"{"stringClaim":"string","intClaim":-1,"floatClaim":5.01,"objectClaim":{"property":"something"}}"#,
        ] {
            let t = format!("{h}.{}.c2lnbmF0dXJlX2J5dGVz", e(claims));
            assert!(!Validator::Jwt.accepts(t.as_bytes()), "{claims}");
            // Under any rule's name, not only the `jwt` rule's: an illustration.
            assert!(names_a_placeholder(t.as_bytes()), "{claims}");
        }
        for claims in [
            r#"{"sub":"8f14e45fceea","role":"service"}"#,
            r#"{"sub":"8f14e45fceea","exp":1893456000}"#,
            // A numeric id or a date alone names or dates a real session.
            r#"{"sub":"admin","user_id":4821,"exp":1893456000}"#,
            r#"{"exp":1893456000}"#,
            r#"{"iss":"https://dev-87evx9ru.auth0.com/","sub":"aW4Cca79xReLWUz0aE2H6kD0O3cXBVtC@clients","exp":1572006964}"#,
            r#"{"iss":"https://example.com","sub":"690112e6-858b-40c7-80e6-96db697192b5"}"#,
            r#"{"data":"8f14e45fceea","user":"c9f0f895fb98"}"#,
            r#"{"iss":"https://projectref.supabase.co","sub":"690112e6-858b-40c7-80e6-96db697192b5"}"#,
        ] {
            let t = format!("{h}.{}.c2lnbmF0dXJlX2J5dGVz", e(claims));
            assert!(Validator::Jwt.accepts(t.as_bytes()), "{claims}");
            assert!(!names_a_placeholder(t.as_bytes()), "{claims}");
        }
    }

    #[test]
    fn base64_of_a_word_is_a_placeholder_and_of_random_letters_is_not() {
        let b64 = |t: &[u8]| base64::engine::general_purpose::STANDARD.encode(t);
        for word in [
            &b"docsgpt"[..],
            b"Docsgpt",
            b"POSTGRES",
            b"RedisCache",
            b"myApp",
            b"password",
        ] {
            assert!(
                names_a_placeholder(b64(word).as_bytes()),
                "{}",
                String::from_utf8_lossy(word)
            );
        }
        for random in [
            &b"lrwZbqcabUGJmG"[..],
            b"QmTrXkPzLwBv",
            b"hGqTRwmnZpLk",
            b"XkqPwrTzmBnv",
        ] {
            assert!(
                !names_a_placeholder(b64(random).as_bytes()),
                "{}",
                String::from_utf8_lossy(random)
            );
        }
    }

    #[test]
    fn mixed_case_and_fernet_of_text() {
        assert!(Validator::MixedCase.accepts(b"wJalrXUtnFEMIK7MDENGbPxRfiCY1abcdEXAMPLE"));
        assert!(!Validator::MixedCase.accepts(b"7xebzorgm5143ouge9gvepxb2z70bsb2rtrh099e"));
        let text =
            base64::engine::general_purpose::URL_SAFE.encode(b"a-32-character-phrase-not-a-key!");
        assert!(!Validator::FernetKey.accepts(text.as_bytes()));
    }

    #[test]
    fn a_value_that_is_its_own_name_is_a_reference_and_a_random_one_is_not() {
        for (before, value) in [
            ("MAILER_SMTP_PASSWORD = '", "MAILER_SMTP_PASSWORD"),
            ("MAILER_SMTP_PASSWORD = '", "SMTP_PASSWORD"),
            ("IRC_PASS=", "irc_pass"),
            ("SMTP_PASSWORD=", "smtp-password"),
            ("  api_key: \"", "API_KEY"),
            ("password = \"", "${PASSWORD}"),
            ("db_password: ", "%DB_PASSWORD%"),
            ("password: ", "DB_PASSWORD"),
            ("{\"apiKey\": \"", "api_key"),
            ("'smtp_password' => '", "<SMTP_PASSWORD>"),
            ("PASSWORD=", "PASSWORD"),
        ] {
            assert!(
                value_names_itself(before.as_bytes(), value.as_bytes()),
                "{before}{value}"
            );
        }
        // One lower-case word equal to its name is the weak tier's; a random value, another
        // name's value and a compound with a word before the name are no reference.
        let mut r = Rng(0x4646);
        for _ in 0..2000 {
            let v: Vec<u8> = (0..16)
                .map(|_| {
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
                        [n(&mut r, 63)]
                })
                .collect();
            assert!(
                !value_names_itself(b"API_KEY=", &v),
                "{}",
                String::from_utf8_lossy(&v)
            );
        }
        for (before, value) in [
            ("password: ", "password"),
            ("SMTP_PASSWORD=", "MAILER_PASSWORD"),
            ("api_key = \"", "my_api_key"),
            ("token: ", "ghp_token"),
        ] {
            assert!(
                !value_names_itself(before.as_bytes(), value.as_bytes()),
                "{before}{value}"
            );
        }
    }

    #[test]
    fn random_letters_takes_keys_of_letters_alone_not_names_or_words() {
        for key in [
            "nWTBeNAjSdcluqwXUugA",
            "AFqftvbeEahsZhtVPcNeirYV",
            "LQdFxnwjOYbpFTNBsnAyyjLD",
            "JydGNbNIQOHXsutk",
        ] {
            assert!(random_letters(key.as_bytes()), "{key}");
        }
        for name in [
            "MySecretApiKey",
            "someRandomString",
            "ReadWriteAccess",
            "AuthenticationTokenProvider",
            "XMLHttpRequestHandler",
            "getInReplyToUserId",
            "abcdefghijklmnopqrst",
            "ABCDEFGHIJKLMNOPQRST",
            "nWTBeNAjSdcl2uqwXUugA",
            "shortKeyAb",
        ] {
            assert!(!random_letters(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn interleaved_takes_short_random_keys_not_words_names_versions_or_sequences() {
        // Short keys of lower case and digits under 3.5 bits a character (generated), and one of
        // mixed case.
        for key in [
            &b"aytf58db2q"[..],
            b"vcmcg6q4ky2b",
            b"3sgmzibm5i3gqinb",
            b"5ij3t4rtd66",
            b"dy5h4irqera7",
            b"Tz4k8Qw2mB",
            // Three changes from 12 characters up; a symbol of the token alphabets.
            b"ktqmkw482kpd7",
            b"q7k2-mz9x-k4bq",
        ] {
            assert!(
                shannon_entropy(key) < 3.5,
                "{}",
                String::from_utf8_lossy(key)
            );
            assert!(
                Validator::Interleaved.accepts(key),
                "{}",
                String::from_utf8_lossy(key)
            );
        }
        for not_key in [
            // A word or a name with a number, an identifier, a version, a counter.
            &b"session2024x"[..],
            b"user123abc",
            b"etcd-cluster-01",
            b"release-v12.3",
            b"v1.2.3-rc4.5",
            b"v12.10.4-rc3",
            b"2.0.1b4-py3k",
            // Three changes in fewer than 12 characters.
            b"hkwp385tzm4",
            // A counting sequence typed as a key.
            b"a1b2c3d4e5",
            b"q9w8e7r6t5y4",
            b"abc123def456",
            // Letters alone, digits alone, one character four times, few distinct characters.
            b"qwkzmxbdhtpl",
            b"209513272095",
            b"aaaa1b2c3d4e",
            b"k9k9k9k9k9k9",
            // A hex literal, a value opening with a symbol, a symbol no token alphabet has.
            b"0x3f879678ab",
            b"-k4bd7q2mz9x",
            b"q7k2mz9x@k4bd",
            // Too short or too long for this judgement (entropy judges a long value).
            b"a7k2m9zq4",
            b"q7k2mz9xw4bdq7k2mz9xw4bdq",
        ] {
            assert!(
                !Validator::Interleaved.accepts(not_key),
                "{}",
                String::from_utf8_lossy(not_key)
            );
        }
        // Capitals and lower-case letters that interleave, with fewer than two digits or none
        // (random draws of 12 to 16 letters and digits under 3.5 bits), and names that do not.
        for key in [
            &b"FGI85nJpQkAJ"[..],
            b"dXIylOvUXqgA",
            b"YYakKFPaIYEX",
            b"sOssBQocBDskS",
            b"GAgDAeoAb8KI",
        ] {
            assert!(shannon_entropy(key) < 3.5);
            assert!(
                Validator::Interleaved.accepts(key),
                "{}",
                String::from_utf8_lossy(key)
            );
        }
        for name in [
            &b"MySecretApiKey"[..],
            b"myAPIKeyHere",
            b"Test1234Token",
            b"TokenV2Beta",
            b"XMLHttpRequest",
            b"iOSClientSecret",
            b"secretKey2024",
        ] {
            assert!(
                !Validator::Interleaved.accepts(name),
                "{}",
                String::from_utf8_lossy(name)
            );
        }
        assert_eq!(Validator::Interleaved.max_len(), Some(24));
        assert_eq!(Validator::Base64.max_len(), None);
        assert_eq!(Validator::Interleaved.name(), "interleaved");
    }

    #[test]
    fn hex_values_are_held_to_a_lower_floor_than_their_alphabet_allows() {
        // A random 32-hex Twilio-style token measuring 3.46 bits: under 3.5, over the hex floor.
        let hex = b"02f36b258f2fb95f64b793e6217975ff";
        assert!(shannon_entropy(hex) < 3.5);
        assert!(shannon_entropy(hex) >= entropy_floor(hex, 3.5));
        assert_eq!(entropy_floor(b"Zq8vN3kR7tW2yB5m", 3.5), 3.5);
        assert_eq!(entropy_floor(b"abcdef", 3.5), 3.5);
        assert_eq!(entropy_floor(hex, 2.5), 2.5);
    }

    #[test]
    fn entropy_orders_randomness() {
        assert!(shannon_entropy(b"aaaaaaaa") < 0.01);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn fernet_key_must_decode_to_32_bytes() {
        let key = base64::engine::general_purpose::URL_SAFE.encode([7u8; 32]);
        assert!(Validator::FernetKey.accepts(key.as_bytes()));
        let short = base64::engine::general_purpose::URL_SAFE.encode([7u8; 31]);
        assert!(!Validator::FernetKey.accepts(short.as_bytes()));
        // Fernet() also takes a key pasted in standard base64 (`+` and `/`).
        let standard = base64::engine::general_purpose::STANDARD.encode([0xfbu8; 32]);
        assert!(standard.contains('+') || standard.contains('/'));
        assert!(Validator::FernetKey.accepts(standard.as_bytes()));
    }

    #[test]
    fn jwt_needs_a_json_header_with_alg() {
        let h = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let p = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"sub":"1"}"#);
        assert!(Validator::Jwt.accepts(format!("{h}.{p}.c2ln").as_bytes()));
        assert!(!Validator::Jwt.accepts(b"a.b.c"));
    }

    #[test]
    fn hex_only_is_rejected_by_not_hex_only() {
        assert!(!Validator::NotHexOnly.accepts(b"d41d8cd98f00b204e9800998ecf8427e"));
        assert!(Validator::NotHexOnly.accepts(b"d41d8cd98f00b204e9800998ecf8427z"));
    }

    #[test]
    fn stop_48_shapes_that_name_no_secret() {
        let b64 = |t: &str| base64::engine::general_purpose::STANDARD.encode(t);
        let d = "-".repeat(5);
        let cert =
            format!("{d}BEGIN CERTIFICATE{d}\nMIIBszCCAVmgAwIBAgIU\n{d}END CERTIFICATE{d}\n");
        let stub = format!("{d}BEGIN PRIVATE KEY{d}\n{d}END PRIVATE KEY{d}\n");
        let key = format!(
            "{d}BEGIN PRIVATE KEY{d}\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n{d}END PRIVATE KEY{d}\n"
        );
        assert!(encodes_public_or_empty_pem(b64(&cert).as_bytes()));
        assert!(encodes_public_or_empty_pem(b64(&stub).as_bytes()));
        assert!(!encodes_public_or_empty_pem(b64(&key).as_bytes()));
        assert!(!encodes_public_or_empty_pem(
            b64(&format!("{cert}{key}")).as_bytes()
        ));
        assert!(is_rate_limit(b"1/m/user"));
        assert!(is_rate_limit(b"1/m/ip,1/m/key"));
        assert!(is_rate_limit(b"5/300s"));
        assert!(!is_rate_limit(b"7/Hb1x/qz"));
        assert!(!is_rate_limit(b"12345678"));
        assert!(has_bracket_slot(b"password]"));
        assert!(has_bracket_slot(b"[API_KEY]"));
        assert!(!has_bracket_slot(b"Xk9pQ2]"));
        assert!(is_pointer_type(b"*rsa.PrivateKey"));
        assert!(is_pointer_type(b"*.ecdsa.PrivateKey"));
        assert!(!is_pointer_type(b"*k9Qz.x7Pw"));
        assert!(is_schema_reference(
            b"#/components/schemas/updateSettingsFlowWithLookupMethod"
        ));
        assert!(!is_schema_reference(b"#/Xk9pQ2mWzr"));
        assert!(is_plain_env_assignment(b"POSTGRES_DB=postgres"));
        let named = ["POSTGRES_PASS", "WORD=", "Xk9pQ2mW"].concat();
        assert!(!is_plain_env_assignment(named.as_bytes()));
        assert!(!is_plain_env_assignment(b"Xk9pQ2mW=="));
        assert!(!is_plain_env_assignment(b"JBSWY3DPEHPK3PXQ="));
        assert!(is_module_path(
            b"github.com/jcmturner/gokrb5/v8/ctxCredentials"
        ));
        assert!(is_module_path(b"golang.org/x/oauth2/google"));
        assert!(!is_module_path(b"Xk9pQ2.com/mWzr"));
        assert!(!is_module_path(b"k9pq2mwz/r7Hb1x/qzT4"));
        assert!(is_local_url(b"http://localhost:3007"));
        assert!(is_local_url(b"http://127.0.0.1:8080/api"));
        let with_user = [&b"http://admin:"[..], b"Xk9pQ2mW", b"@localhost:5432"].concat();
        assert!(!is_local_url(&with_user));
        assert!(!is_local_url(b"https://api.example-vendor.io/v1"));
        assert!(is_qualified_camel_name(
            b"bitbucket.EventKeyPullRequestFrom"
        ));
        assert!(is_qualified_camel_name(b"PropTypes.string"));
        assert!(!is_qualified_camel_name(b"Xk9pQ2mW.r7Hb1xqzT4"));
        assert!(!is_qualified_camel_name(b"sk.eyJ1IjoiYWJj"));
        assert!(is_credential_label(b"hCaptcha.com-salaisuus"));
        assert!(is_credential_label(b"AWS-toegangssleutelgeheim"));
        assert!(is_credential_label(b"WebAuthn-Anmeldeinformationen"));
        assert!(is_credential_label(b"SendGrid-nyckel"));
        assert!(is_credential_label(b"Git-pasvorto"));
        assert!(!is_credential_label(b"hX9q-Pw7zK2m"));
    }

    /// A word drawn as chance draws it: each letter's case at random, drawn again while three
    /// letters run in one case or it comes out capitalised (`spelled_by_chance` reads those as
    /// written, and a listed word inside one: `mock` in `mockED`).
    fn chance_case(r: &mut Rng, word: &[u8]) -> Vec<u8> {
        loop {
            let w: Vec<u8> = word
                .iter()
                .map(|b| {
                    if n(r, 2) == 0 {
                        b.to_ascii_uppercase()
                    } else {
                        *b
                    }
                })
                .collect();
            let runs = w.windows(3).any(|t| {
                t.iter().all(u8::is_ascii_lowercase) || t.iter().all(u8::is_ascii_uppercase)
            });
            let capitalised =
                w[0].is_ascii_uppercase() && w[1..].iter().all(u8::is_ascii_lowercase);
            if !runs && !capitalised {
                return w;
            }
        }
    }

    /// Issue 17 (lost48): 6,000 seeded random keys (base62 and hex of 32 to 64, base64 of 40 to
    /// 88) with a short word of the stand-in lists or the rules' stopwords inside, as chance
    /// spells one: none says it is no real key, names a placeholder, or holds its word as a
    /// stopword would read it. Main dropped each of them.
    #[test]
    fn a_short_word_a_long_random_key_spells_by_chance_leaves_it_a_key() {
        const B62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const WORDS: &[&[u8]] = &[
            b"fake", b"dummy", b"bogus", b"mocked", b"sample", b"xxxx", b"test", b"mock",
            b"secret", b"token", b"passwd", b"lorem", b"foobar", b"jwt", b"your", b"demo",
        ];
        const HEX_WORDS: &[&[u8]] = &[b"dead", b"beef", b"cafe", b"fade", b"decade", b"facade"];
        let mut r = Rng(0x4848_0017);
        let mut checked = 0;
        while checked < 6000 {
            let family = checked % 3;
            let (alphabet, len) = match family {
                0 => (B62, 32 + n(&mut r, 33)),
                1 => (&b"0123456789abcdef"[..], 32 + n(&mut r, 33)),
                _ => (B64, 4 * (10 + n(&mut r, 13))),
            };
            let key: Vec<u8> = (0..len)
                .map(|_| alphabet[n(&mut r, alphabet.len())])
                .collect();
            // A draw that is itself made up or a stand-in is not what this asks.
            if looks_like_placeholder(&key) || says_not_real(&key) {
                continue;
            }
            let word = if family == 1 {
                HEX_WORDS[n(&mut r, HEX_WORDS.len())].to_vec()
            } else {
                let w = WORDS[n(&mut r, WORDS.len())];
                chance_case(&mut r, w)
            };
            // A key that spells the word already would hold it twice, which reads as written.
            let folded = word.to_ascii_lowercase();
            if memchr::memmem::find(&key.to_ascii_lowercase(), &folded).is_some() {
                continue;
            }
            let at = 1 + n(&mut r, len - 2);
            let v = [&key[..at], &word, &key[at..]].concat();
            assert!(!says_not_real(&v), "{}", String::from_utf8_lossy(&v));
            assert!(!names_a_placeholder(&v), "{}", String::from_utf8_lossy(&v));
            assert!(
                spelled_by_chance(&v, at, word.len()),
                "{}",
                String::from_utf8_lossy(&v)
            );
            checked += 1;
        }
    }

    /// The same words written into a key by a person stay stand-ins: in one case or capitalised
    /// inside a key of both cases (a test's `…FAKE…`), twice, set off by a separator or at an end,
    /// past `f` inside a hex key, too long for chance (AWS's documented secret), or in a short
    /// value.
    #[test]
    fn a_word_written_into_a_key_stays_a_stand_in() {
        let key = b"Qm7Xv2LkT9wRz4Np8Hc3Vd6BzR5tJ2sY";
        let at = |w: &[u8], i: usize| [&key[..i], w, &key[i..]].concat();
        for w in [&b"FAKE"[..], b"fake", b"Fake", b"DUMMY", b"Bogus"] {
            assert!(says_not_real(&at(w, 12)), "{}", String::from_utf8_lossy(w));
        }
        assert!(!says_not_real(&at(b"fAkE", 12)));
        assert!(says_not_real(&[&at(b"fAkE", 12)[..], b"FaKe1"].concat()));
        assert!(says_not_real(&[&b"fake_"[..], key].concat()));
        assert!(says_not_real(&[&key[..], b"-fake"].concat()));
        assert!(says_not_real(&[&key[..], b"fAkE"].concat()));
        let hex = b"3b0054cfdc55faf31e9a7c20b48d6e1f95a2";
        assert!(says_not_real(&[&hex[..10], b"fake", &hex[10..]].concat()));
        assert!(!says_not_real(&[&hex[..10], b"fade", &hex[10..]].concat()));
        assert!(names_a_placeholder(&at(b"eXaMpLe", 12)));
        assert!(names_a_placeholder(
            b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ));
        assert!(says_not_real(b"Qm7Xv2LkfAkET9wRz4Np8"));
    }
}
