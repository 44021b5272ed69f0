//! Shapes stop 45 left lost or noisy (stop 46, lost46; README "Shapes stop 45 left lost or noisy"):
//! Python's and C's literals side by side after an assignment, Tcl's `set`, Erlang's binaries,
//! Android's manifest placeholders, Python's `dict(Authorization="Token …")`, base64 wrapped over
//! lines, OpenAI's ephemeral keys; and, quiet, a value that is its own name and the 32-hex ids of an
//! agent framework's `agent_key`/`crew_key`, with random values under the same names reported.
//! Every value is a fresh fake of its format.

use crate::common::*;

const ALNUM: &str = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

fn assert_all_found_any_rule(files: &[(String, String)], want: &[(String, String, String)]) {
    let missed = missed_values(files, want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn literals_side_by_side_after_an_assignment_are_one_value() {
    let mut f = Fake::new(4601);
    let shapes: &[(&str, &str)] = &[
        ("settings.py", "API_KEY = \"{A}\" \"{B}\""),
        ("settings.py", "api_key = '{A}' r'{B}'"),
        ("client.c", "static const char *api_key = \"{A}\" \"{B}\";"),
        (
            "client.cpp",
            "const std::string auth_token = \"{A}\" \"{B}\";",
        ),
    ];
    let (files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 40));
    assert_all_found_any_rule(&files, &want);
}

#[test]
fn tcl_erlang_and_manifest_placeholder_keys_are_reported() {
    let mut f = Fake::new(4602);
    let tcl: &[(&str, &str)] = &[
        ("client.tcl", "set api_key \"{V}\""),
        ("lib/auth.tcl", "    set ::config::auth_token {{V}}"),
        ("login.exp", "set password {V}"),
        ("opts.tcl", "set opts(secret) \"{V}\""),
    ];
    let (files, want) = cells(&mut f, tcl, |f| mixed_alnum(f, 32));
    assert_all_found(&files, &want, "tcl-set-secret");

    let erlang: &[(&str, &str)] = &[
        ("src/client.erl", "    ApiKey = <<\"{V}\">>,"),
        (
            "src/conf.erl",
            "Conf = #{api_key => <<\"{V}\">>, region => <<\"eu\">>},",
        ),
        ("lib/client.ex", "auth_token = <<\"{V}\"/utf8>>"),
    ];
    let (files, want) = cells(&mut f, erlang, |f| mixed_alnum(f, 32));
    assert_all_found(&files, &want, "erlang-binary-secret");

    let gradle: &[(&str, &str)] = &[
        (
            "app/build.gradle.kts",
            "        manifestPlaceholders[\"amapKey\"] = \"{V}\"",
        ),
        (
            "app/build.gradle.kts",
            "manifestPlaceholders.put(\"MAPS_API_KEY\", \"{V}\")",
        ),
        (
            "app/build.gradle.kts",
            "manifestPlaceholders += mapOf(\"appName\" to \"Demo\", \"amapKey\" to \"{V}\")",
        ),
        (
            "app/build.gradle",
            "manifestPlaceholders = [appName: \"Demo\", JPUSH_APPKEY: \"{V}\"]",
        ),
    ];
    let (files, want) = cells(&mut f, gradle, |f| f.hex(32));
    assert_all_found(&files, &want, "android-manifest-placeholder-secret");

    let kwargs: &[(&str, &str)] = &[
        ("api.py", "headers = dict(Authorization=\"Token {V}\")"),
        (
            "api.py",
            "r = requests.get(url, headers=dict(Authorization='Token {V}'))",
        ),
    ];
    let (files, want) = cells(&mut f, kwargs, |f| f.hex(40));
    assert_all_found(&files, &want, "authorization-token-scheme");

    // References and stand-ins stay quiet.
    let quiet = [
        ("a.tcl", "set api_key $::env(API_KEY)\n".to_string()),
        ("b.tcl", "set api_key [exec cat /run/secrets/key]\n".into()),
        ("c.erl", "ApiKey = <<\"YOUR_API_KEY\">>,\n".into()),
        ("d.erl", "TokenType = <<\"Bearer\">>,\n".into()),
        (
            "e/build.gradle.kts",
            "manifestPlaceholders[\"amapKey\"] = \"${amapKey}\"\n".into(),
        ),
        (
            "f/build.gradle",
            "manifestPlaceholders = [appName: \"@string/app_name\", JPUSH_CHANNEL: \"developer-default\"]\n"
                .into(),
        ),
        ("g.py", "headers = dict(Authorization=f\"Token {token}\")\n".into()),
    ];
    let found = findings_of_rules(
        &quiet,
        &[
            "tcl-set-secret",
            "erlang-binary-secret",
            "android-manifest-placeholder-secret",
            "authorization-token-scheme",
        ],
    );
    assert!(found.is_empty(), "{found:?}");
}

/// `text` base64-encoded and wrapped as the `base64` tool writes it (76 columns), each line after
/// `indent`, with `eol` line ends.
fn wrapped(text: &str, indent: &str, eol: &str) -> String {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    let b = STANDARD.encode(text);
    b.as_bytes()
        .chunks(76)
        .map(|c| format!("{indent}{}", std::str::from_utf8(c).unwrap()))
        .collect::<Vec<_>>()
        .join(eol)
}

#[test]
fn base64_wrapped_over_lines_is_decoded_whole() {
    let mut f = Fake::new(4603);
    let mut files = Vec::new();
    let mut want = Vec::new();
    let jwt = |f: &mut Fake| {
        let claims = format!(
            "{{\"sub\":\"{}\",\"iat\":{},\"role\":\"service\"}}",
            f.alnum(12),
            1_700_000_000 + f.next() % 100_000_000
        );
        f.jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", &claims)
    };
    for (i, shape) in ["plain", "yaml", "crlf"].iter().enumerate() {
        let t = jwt(&mut f);
        let text = match *shape {
            "yaml" => format!(
                "apiVersion: v1\nkind: ConfigMap\ndata:\n  token.b64: |\n{}\n",
                wrapped(&t, "    ", "\n")
            ),
            "crlf" => format!("{}\r\n", wrapped(&t, "", "\r\n")),
            _ => format!("{}\n", wrapped(&t, "", "\n")),
        };
        let path = format!("j{i}/token.b64");
        files.push((path.clone(), text));
        want.push((path, shape.to_string(), t));
    }
    assert_all_found(&files, &want, "jwt");

    // A whole .env file encoded: the OpenAI key in it, cut by the wrapping, is read whole.
    let k = format!("sk-proj-{}", f.from_alphabet(ALNUM, 156));
    let env = format!(
        "DEBUG=false\nOPENAI_API_KEY={k}\nREGION=eu-west-1\n{}\n",
        "LOG_LEVEL=info"
    );
    let files = vec![(
        "env.b64".to_string(),
        format!("{}\n", wrapped(&env, "", "\n")),
    )];
    let want = vec![("env.b64".to_string(), "env".to_string(), k)];
    assert_all_found(&files, &want, "openai-project-key");

    // Random bytes wrapped as a PEM body (64 columns) decode to no text: nothing reported.
    let body = f.base64_lines(12).join("\n");
    let quiet = [("blob.b64", format!("{body}\n"))];
    let v = scan_files_json(&quiet);
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn openai_ephemeral_keys_are_reported_and_stripes_are_not_taken() {
    let mut f = Fake::new(4604);
    let shapes: &[(&str, &str)] = &[
        (
            "session.json",
            "{\"value\": \"{V}\", \"expires_at\": 1767225600, \"session\": {\"type\": \"realtime\"}}",
        ),
        ("client.js", "const ephemeralKey = \"{V}\";"),
        (".env", "OPENAI_EPHEMERAL_KEY={V}"),
    ];
    let (files, want) = cells(&mut f, shapes, |f| format!("ek_{}", f.hex(32)));
    assert_all_found(&files, &want, "openai-ephemeral-key");
    let stripe = format!("ek_test_{}", f.alnum(60));
    let quiet = [
        ("a.json", format!("{{\"secret\": \"{stripe}\"}}\n")),
        (
            "b.json",
            "{\"value\": \"ek_test_not_a_real_secret\"}\n".into(),
        ),
        // An API description's example response: the key expired a minute after it was made.
        (
            "api/openapi.yaml",
            format!(
                "        example: |\n          {{\n            \"value\": \"ek_{}\",\n",
                f.hex(32)
            ),
        ),
    ];
    let found = findings_of_rules(&quiet, &["openai-ephemeral-key"]);
    assert!(found.is_empty(), "{found:?}");
}

/// Each (file, template, stand-in) as a file of its own twice: with the stand-in (`{V}`), and with
/// a random key in its place. The stand-ins' files with any finding, and the random keys missed.
fn names_and_randoms(shapes: &[(&str, &str, &str)], seed: u64) -> (Vec<String>, Vec<String>) {
    let mut f = Fake::new(seed);
    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, (name, template, standin)) in shapes.iter().enumerate() {
        files.push((
            format!("n{i:02}/{name}"),
            format!("{}\n", template.replace("{V}", standin)),
        ));
        let v = mixed_alnum(&mut f, 24);
        let path = format!("r{i:02}/{name}");
        files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
        want.push((path, template.to_string(), v));
    }
    let by_path = scan_files_by_path(&files);
    let noisy = by_path
        .iter()
        .filter(|(p, found)| p.starts_with('n') && !found.is_empty())
        .map(|(p, found)| format!("{p}: {found:?}"))
        .collect();
    let missed = want
        .iter()
        .filter(|(p, _, v)| {
            !by_path
                .get(p)
                .is_some_and(|found| found.iter().any(|(_, s)| s == v))
        })
        .map(|(_, t, _)| t.clone())
        .collect();
    (noisy, missed)
}

#[test]
fn a_value_that_is_its_own_name_is_quiet_and_a_random_one_is_reported() {
    let shapes: &[(&str, &str, &str)] = &[
        (
            "settings.py",
            "MAILER_SMTP_PASSWORD = '{V}'",
            "MAILER_SMTP_PASSWORD",
        ),
        (
            "settings.py",
            "MAILER_SMTP_PASSWORD = '{V}'",
            "SMTP_PASSWORD",
        ),
        (".env", "IRC_PASS={V}", "irc_pass"),
        (".env", "SMTP_PASSWORD={V}", "smtp-password"),
        (".env", "PASSWORD={V}", "PASSWORD"),
        ("config.yml", "api_key: \"{V}\"", "API_KEY"),
        ("config.yml", "password: \"{V}\"", "${PASSWORD}"),
        ("config.yml", "db_password: \"{V}\"", "%DB_PASSWORD%"),
        ("config.yml", "password: \"{V}\"", "DB_PASSWORD"),
        ("config.json", "{\"apiKey\": \"{V}\"}", "apiKey"),
        ("app.js", "const githubToken = \"{V}\";", "GITHUB_TOKEN"),
        ("config.php", "'smtp_password' => '{V}',", "SMTP_PASSWORD"),
        (
            "app.properties",
            "mail.smtp.password={V}",
            "MAIL_SMTP_PASSWORD",
        ),
    ];
    let (noisy, missed) = names_and_randoms(shapes, 4605);
    assert!(noisy.is_empty(), "names reported:\n{}", noisy.join("\n"));
    assert!(
        missed.is_empty(),
        "random values missed:\n{}",
        missed.join("\n")
    );
    // `password: password`, one lower-case word: still the weak tier's (reported at low).
    let v = scan_files_json(&[("c.yml", "password: password\n")]);
    assert_eq!(rule_ids(&v), ["weak-password-config-value"], "{v}");
}

#[test]
fn an_entity_id_key_is_quiet_and_a_credential_key_stays() {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    let mut f = Fake::new(4606);
    let mut quiet = Vec::new();
    for (i, name) in [
        "agent_key",
        "crew_key",
        "task_key",
        "cache_key",
        "idempotency_key",
    ]
    .iter()
    .enumerate()
    {
        let json = format!(
            "[{{\"key\": \"{}\", \"role\": \"Researcher\", \"{name}\": \"{}\", \"tools_names\": []}}]",
            f.hex(32),
            f.hex(32)
        );
        quiet.push((format!("q{i}/agents.json"), format!("{json}\n")));
        quiet.push((
            format!("q{i}/cassette.yaml"),
            format!(
                "- request:\n    body: !!binary |\n      {}\n",
                STANDARD.encode(&json)
            ),
        ));
        quiet.push((
            format!("q{i}/ids.py"),
            format!("{name} = \"{}\"\n", f.hex(32)),
        ));
    }
    let v = scan_files_json(&quiet);
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");

    let mut files = Vec::new();
    let mut want = Vec::new();
    for (i, name) in [
        "api_key",
        "secret_key",
        "access_key",
        "private_key",
        "signing_key",
    ]
    .iter()
    .enumerate()
    {
        let v = f.hex(32);
        let path = format!("k{i}/config.json");
        files.push((
            path.clone(),
            format!("{{\"role\": \"Researcher\", \"{name}\": \"{v}\"}}\n"),
        ));
        want.push((path, name.to_string(), v));
    }
    assert_all_found_any_rule(&files, &want);
}
