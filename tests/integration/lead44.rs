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
