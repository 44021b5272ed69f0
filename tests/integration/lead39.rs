//! A Twilio auth token passed to a client after an account SID held in a name (stop 39,
//! rules/lead39.toml `twilio-auth-token-argument`): every helper library's constructor (Node,
//! Python, Java, C#, Ruby, PHP) with the SID as a variable, a constant, a setting or an environment
//! lookup. Before, a token written so was reported only where the SID was written out (`AC…`) or
//! the token had a name of its own. Each cell is a file of its own with a fresh 32-hex token and
//! must be reported by the rule with that value; the near misses beside them stay quiet. And
//! django-secret-key's generated key wherever a deployment writes it (stop 39, rules/misc.toml).

use crate::common::*;

/// (language, file name, call): `{S}` is the SID's expression, `{V}` the token.
const CALLS: &[(&str, &str, &str)] = &[
    (
        "Node require",
        "notify.js",
        "const client = require('twilio')({S}, '{V}');\n",
    ),
    (
        "Node import",
        "sms.mjs",
        "import twilio from \"twilio\";\nconst client = twilio({S}, \"{V}\");\n",
    ),
    (
        "Node class",
        "sms.ts",
        "const client = new Twilio({S}, '{V}');\n",
    ),
    (
        "Python",
        "sms.py",
        "from twilio.rest import Client\n\nclient = Client({S}, \"{V}\")\n",
    ),
    (
        "Python wrapped (black)",
        "notify.py",
        "client = twilio.rest.Client(\n    {S}, \"{V}\"\n)\n",
    ),
    ("Java", "Sms.java", "Twilio.init({S}, \"{V}\");\n"),
    ("C#", "Sms.cs", "TwilioClient.Init({S}, \"{V}\");\n"),
    (
        "Ruby",
        "sms.rb",
        "@client = Twilio::REST::Client.new({S}, '{V}')\n",
    ),
    (
        "PHP",
        "sms.php",
        "<?php\n$twilio = new Twilio\\Rest\\Client({S}, \"{V}\");\n",
    ),
];

/// How the account SID is written: a name, a constant, a setting, an environment lookup.
const SIDS: &[&str] = &[
    "accountSid",
    "ACCOUNT_SID",
    "account_sid",
    "TWILIO_ACCOUNT_SID",
    "config.twilio.accountSid",
    "os.environ[\"TWILIO_ACCOUNT_SID\"]",
    "process.env.TWILIO_ACCOUNT_SID",
    "System.getenv(\"TWILIO_ACCOUNT_SID\")",
    "ENV['TWILIO_ACCOUNT_SID']",
];

#[test]
fn a_twilio_token_after_a_named_account_sid_is_found_in_every_helper_library() {
    let mut fake = Fake::new(3901);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, (lang, file, call)) in CALLS.iter().enumerate() {
        for (j, sid) in SIDS.iter().enumerate() {
            let token = fake.hex(32);
            let path = format!("c{i}-{j}/{file}");
            files.push((
                path.clone(),
                call.replace("{S}", sid).replace("{V}", &token),
            ));
            want.push((path, format!("{lang} with {sid}"), token));
        }
    }
    let missed = missed_values_of_rule(&files, &want, "twilio-auth-token-argument");
    assert!(
        missed.is_empty(),
        "{} of {} cells missed: {missed:#?}",
        missed.len(),
        want.len()
    );
}

#[test]
fn near_misses_of_a_twilio_token_argument_stay_quiet() {
    let mut fake = Fake::new(3902);
    let quiet: Vec<(&str, String)> = vec![
        // A tuple of a SID's name and a hex value: no call.
        (
            "pair.py",
            format!("pair = (ACCOUNT_SID, \"{}\")\n", fake.hex(32)),
        ),
        // A bare `sid` with no Twilio named on its line: a session or security id.
        (
            "sess.py",
            format!("sess = lookup(sid, \"{}\")\n", fake.hex(32)),
        ),
        // The token from the environment.
        (
            "env.js",
            "const client = require('twilio')(accountSid, process.env.TWILIO_AUTH_TOKEN);\n"
                .to_string(),
        ),
        // A 40-hex digest after a SID.
        (
            "audit.py",
            format!("twilio_audit.record(message_sid, \"{}\")\n", fake.hex(40)),
        ),
        // A stand-in.
        (
            "stand.js",
            "const client = require('twilio')(accountSid, 'your_auth_token');\n".to_string(),
        ),
        // Upper-case hex is no Twilio token (they are lower-case).
        (
            "upper.js",
            format!(
                "const client = require('twilio')(accountSid, '{}');\n",
                fake.hex(32).to_uppercase()
            ),
        ),
    ];
    let found = scan_files_by_path(&quiet);
    let loud: Vec<_> = found
        .iter()
        .filter(|(_, f)| f.iter().any(|(r, _)| r.starts_with("twilio")))
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

/// A key as Django's `get_random_secret_key` draws it (50 of lower-case letters, digits and
/// `!@#$%^&*(-_=+)`), after startproject's `django-insecure-`.
fn django_key(fake: &mut Fake) -> String {
    format!(
        "django-insecure-{}",
        fake.from_alphabet("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)", 50)
    )
}

/// django-secret-key read the generated key only as `SECRET_KEY = '…'`; a deployment writes it
/// wherever it sets the key, and the prefix alone says what it is.
#[test]
fn a_generated_django_key_is_found_wherever_it_is_written() {
    let shapes: &[(&str, &str, &str)] = &[
        ("settings.py", "settings.py", "SECRET_KEY = '{V}'\n"),
        (
            "settings default",
            "settings.py",
            "SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"{V}\")\n",
        ),
        (".env", ".env", "DJANGO_SECRET_KEY={V}\n"),
        (".env quoted", ".env.prod", "DJANGO_SECRET_KEY='{V}'\n"),
        (
            "compose",
            "docker-compose.yml",
            "services:\n  web:\n    environment:\n      - DJANGO_SECRET_KEY={V}\n",
        ),
        ("k8s", "secret.yaml", "stringData:\n  SECRET_KEY: \"{V}\"\n"),
        (
            "Dockerfile",
            "Dockerfile",
            "FROM python:3.12\nENV DJANGO_SECRET_KEY=\"{V}\"\n",
        ),
        (
            "CLI flag",
            "deploy.sh",
            "./deploy --secret-key {V} --env prod\n",
        ),
        (
            "JSON",
            "zappa_settings.json",
            "{\"prod\": {\"environment_variables\": {\"SECRET_KEY\": \"{V}\"}}}\n",
        ),
        (
            "JSON escaped",
            "event.json",
            "{\"body\": \"{\\\"key\\\": \\\"{V}\\\"}\"}\n",
        ),
        (
            "TOML",
            "pyproject.toml",
            "[tool.django]\nsecret = \"{V}\"\n",
        ),
        (
            "fly secrets",
            "README.md",
            "```\nfly secrets set DJANGO_SECRET_KEY='{V}'\n```\n",
        ),
    ];
    let mut fake = Fake::new(3903);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, (shape, file, text)) in shapes.iter().enumerate() {
        let key = django_key(&mut fake);
        let path = format!("d{i}/{file}");
        files.push((path.clone(), text.replace("{V}", &key)));
        want.push((path, shape.to_string(), key));
    }
    let missed = missed_values_of_rule(&files, &want, "django-secret-key");
    assert!(missed.is_empty(), "missed: {missed:#?}");
    // Prose naming the prefix, a stand-in, and a key cut short stay quiet.
    let quiet = [
        (
            "notes.md",
            "Django prefixes the keys it generates with django-insecure- to warn.\n".to_string(),
        ),
        (
            "stand.env",
            format!("DJANGO_SECRET_KEY=django-insecure-{}\n", "x".repeat(50)),
        ),
        (
            "short.py",
            "SECRET_KEY = 'django-insecure-change-me-please'\n".to_string(),
        ),
    ];
    let found = scan_files_by_path(&quiet);
    let loud: Vec<_> = found
        .iter()
        .filter(|(_, f)| f.iter().any(|(r, _)| r.starts_with("django")))
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}
