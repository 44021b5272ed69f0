//! Stop 44's lead: a client's two credentials, each split into joined literals on one line
//! (src/joinlit.rs, `inline_run`). A Twilio client given its account SID and its auth token each as
//! two literals joined by the language's operator (`new Client("AC…" . "…", "…" . "…")` in PHP,
//! `+` in JS, Java, C#, Python and Ruby, `&` in VB): the line's view holds both values whole, so the
//! pair rule reads the token after its SID.

use crate::common::*;

/// A Twilio client's constructor in each language, `{S1}{S2}` the SID's halves and `{T1}{T2}` the
/// token's. PHP's `.` joins only in a file that opens as PHP.
#[rustfmt::skip]
const SPLIT_PAIRS: &[(&str, &str)] = &[
    ("sms.php", "<?php\nuse Twilio\\Rest\\Client;\n$client = new Client(\"{S1}\".\"{S2}\", \"{T1}\".\"{T2}\");\n"),
    ("notify.php", "<?php\n$twilio = new Client('{S1}' . '{S2}', '{T1}' . '{T2}');\n"),
    ("send.js", "const client = require('twilio')(\"{S1}\" + \"{S2}\", \"{T1}\" + \"{T2}\");\n"),
    ("Sms.java", "Twilio.init(\"{S1}\" + \"{S2}\", \"{T1}\" + \"{T2}\");\n"),
    ("Sms.cs", "TwilioClient.Init(\"{S1}\" + \"{S2}\", \"{T1}\" + \"{T2}\");\n"),
    ("sms.py", "client = Client(\"{S1}\" + \"{S2}\", \"{T1}\" + \"{T2}\")\n"),
    ("sms.rb", "client = Twilio::REST::Client.new('{S1}' + '{S2}', '{T1}' + '{T2}')\n"),
    ("Sms.vb", "TwilioClient.Init(\"{S1}\" & \"{S2}\", \"{T1}\" & \"{T2}\")\n"),
    // The SID whole, the token split; the SID split, the token whole.
    ("whole_sid.php", "<?php\n$client = new Client(\"{S1}{S2}\", \"{T1}\".\"{T2}\");\n"),
    ("whole_token.js", "const client = twilio('{S1}' + '{S2}', '{T1}{T2}');\n"),
];

#[test]
fn a_twilio_clients_sid_and_token_each_split_on_one_line_are_reported_whole() {
    let mut f = Fake::new(4401);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, (name, template)) in SPLIT_PAIRS.iter().enumerate() {
        let sid = format!("AC{}", f.hex(32));
        let token = f.hex(32);
        let (s1, s2) = sid.split_at(7 + i);
        let (t1, t2) = token.split_at(16 + i % 3);
        let text = template
            .replace("{S1}", s1)
            .replace("{S2}", s2)
            .replace("{T1}", t1)
            .replace("{T2}", t2);
        let path = format!("c{i}/{name}");
        files.push((path.clone(), text));
        let what = |v: &str| format!("{name}: {template} [{v}]");
        want.push((path.clone(), what(&sid), sid.clone(), "twilio-account-sid"));
        want.push((path, what(&token), token, "twilio-credential-pair"));
    }
    let missed = missed_values_each_of_its_rule(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn literals_an_operator_and_a_name_follow_stay_in_pieces() {
    // What the program adds a name to is no value it holds: `"AC" + "…" + suffix` is not the SID,
    // and a token prefix joined to a variable is not the token.
    let mut f = Fake::new(4402);
    let (a, b) = (f.hex(16), f.hex(16));
    assert_quiet(vec![
        (
            "a.js",
            format!("const c = twilio(\"AC{a}\" + \"{b}\" + region, token + \"{a}\");\n"),
        ),
        (
            "b.php",
            format!("<?php\n$c = new Client('AC' . '{a}' . $suffix, '{b}' . $rest);\n"),
        ),
    ]);
}

/// Where a short generic key is written: `{N}` a credential's name, `{V}` the value.
#[rustfmt::skip]
const SHORT_KEY_SHAPES: &[(&str, &str)] = &[
    ("client.py", "{N} = \"{V}\""),
    ("client.js", "const {N} = '{V}';"),
    ("client.R", "{N} <- \"{V}\""),
    ("config.yml", "service:\n  {N}: \"{V}\""),
];

/// Random keys of 10 to 16 letters and digits (both cases) under a key's, a secret's or a token's
/// name: most measure under the generic rule's 3.5 bits a character, and those with fewer than two
/// digits (one in four at 12 characters) or none (letters alone, one in sixteen at 16) were lost:
/// `interleaved` read only letters against digits, and an allowlist took any 12 to 19 letters for a
/// test's made-up value. Each length drawn 48 times: at least 40 found at 10 characters, 44 from
/// 12 (of 40 draws of an `api_key = "…"` line before: 9 found at 10 characters, 27 at 12, 33 at
/// 14).
#[test]
fn short_random_keys_of_mixed_case_are_reported_under_a_credentials_name() {
    const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let names = ["api_key", "client_secret", "access_token"];
    let mut f = Fake::new(4403);
    for len in [10usize, 12, 14, 16] {
        let (mut files, mut want) = (Vec::new(), Vec::new());
        for i in 0..48 {
            let (file, template) = SHORT_KEY_SHAPES[i % SHORT_KEY_SHAPES.len()];
            let v = f.from_alphabet(ALNUM, len);
            let path = format!("k{i:02}/{file}");
            let text = template
                .replace("{N}", names[i % names.len()])
                .replace("{V}", &v);
            files.push((path.clone(), format!("{text}\n")));
            want.push((path, format!("{template} [{v}]"), v));
        }
        let missed = missed_values(&files, &want);
        let most = if len == 10 { 8 } else { 4 };
        assert!(
            missed.len() <= most,
            "{len} characters, missed {}:\n{}",
            missed.len(),
            missed.join("\n")
        );
    }
}

#[test]
fn letters_that_read_as_words_stay_quiet_under_a_credentials_name() {
    // One case throughout, words in camelCase (with an acronym), and words with a number: a
    // test's or a sample's made-up value.
    let values = [
        "abcqwertzuiopmn",
        "TESTAPIKEYVALUE",
        "someRandomString",
        "myAPIKeyHere",
        "dummyTokenForTests",
        "SecretKEYForCI",
        "Test1234Token",
        "sessionTokenValue",
    ];
    let files: Vec<(String, String)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("q{i}/settings.py"), format!("api_key = \"{v}\"\n")))
        .collect();
    assert_quiet(
        files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect(),
    );
}

#[test]
fn a_properties_files_value_wrapped_over_indented_lines_is_reported_whole() {
    // Java's `.properties` reader drops a line's closing `\` and the next line's indentation: a
    // long key wrapped so is one value (wild44's probes: lost, or half reported).
    let mut f = Fake::new(4404);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, (name, value, rule)) in [
        (
            "stripe.api.key",
            format!("sk_live_{}", f.alnum(40)),
            "stripe-live-secret-key",
        ),
        ("github.token", f.github_pat(), "github-pat"),
        (
            "app.session.secret",
            f.alnum(40),
            "session-secret-assignment",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let (a, b) = value.split_at(value.len() / 2);
        let (b, c) = b.split_at(b.len() / 2);
        let path = format!("w{i}/application.properties");
        let text = format!("app.name=demo\n{name}={a}\\\n    {b}\\\n    {c}\nserver.port=8080\n");
        files.push((path.clone(), text));
        want.push((path, format!("{name} [{value}]"), value, rule));
    }
    let missed = missed_values_each_of_its_rule(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}
