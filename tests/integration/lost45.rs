//! Shapes stop 44 left lost or misnamed (stop 45, lost45; README "Shapes stop 44 left lost"):
//! unquoted keys of letters alone, Bearer tokens under 20 characters, a shell value broken by `\`
//! with no space either side, a property list's key named after its vendor, an unquoted password
//! holding `\`, a multiple assignment's second value, JDBC's and OLE DB's other password keys, a
//! Flask secret ending in `(`, HockeyApp keys, and two labels (a sketch's Wi-Fi password, Facebook's
//! client token). Every value is a fresh fake of its format.

use crate::common::*;

const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM: &str = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// A random key of `n` letters of both cases that `random-letters` keeps (three draws in four
/// pass; the rule's own cost of the rest is the README's figure).
fn letters_key(f: &mut Fake, n: usize) -> String {
    loop {
        let v = f.from_alphabet(LETTERS, n);
        if leakguard::filters::Validator::RandomLetters.accepts(v.as_bytes()) {
            return v;
        }
    }
}

/// Letters and digits that interleave (`interleaved`), of `n` characters.
fn short_token(f: &mut Fake, n: usize) -> String {
    loop {
        let v = f.from_alphabet(ALNUM, n);
        if leakguard::filters::Validator::Interleaved.accepts(v.as_bytes()) {
            return v;
        }
    }
}

#[test]
fn unquoted_keys_of_letters_alone_are_reported_in_config_files() {
    let shapes: &[(&str, &str)] = &[
        ("config.yml", "service:\n  api_key: {V}\n  region: eu"),
        ("application.yaml", "auth:\n  client_secret: {V}"),
        ("app.properties", "app.api.key={V}"),
        ("app.properties", "client.secret = {V}"),
        ("settings.ini", "[api]\naccess_key = {V}"),
        ("deploy.sh", "export SERVICE_TOKEN={V}"),
        (
            "docker-compose.yml",
            "services:\n  web:\n    environment:\n      - API_KEY={V}",
        ),
        (".env.production", "APP_AUTH_KEY={V}"),
    ];
    let mut f = Fake::new(4501);
    for n in [12, 16, 20, 24, 32] {
        let (files, want) = cells(&mut f, shapes, |f| letters_key(f, n));
        let missed = missed_values(&files, &want);
        assert!(
            missed.is_empty(),
            "{n} letters missed:\n{}",
            missed.join("\n")
        );
    }
    // The rule itself reads the YAML and properties shapes (no other rule did).
    let (files, want) = cells(&mut f, &shapes[..4], |f| letters_key(f, 20));
    assert_all_found(&files, &want, "unquoted-letters-key-assignment");
}

#[test]
fn words_names_and_enum_values_of_letters_stay_quiet() {
    assert_quiet(vec![(
        "config.yml",
        "a:\n  api_key: MySecretApiKey\n  token: someRandomString\n  auth_token: ReadWriteAccess\n  \
         secret: AuthenticationTokenProvider\n  token_type: BearerTokenType\n  \
         api_key: abcdefghijklmnopqrst\n  secret_key: ABCDEFGHIJKLMNOPQRST\n  \
         access_key: XMLHttpRequestHandler\n  token: getInReplyToUserId\n",
    )]);
    assert_quiet(vec![(
        "app.properties",
        "security.token.provider=JwtTokenProviderImpl\napp.secret.store=VaultSecretStore\n",
    )]);
}

#[test]
fn bearer_tokens_under_twenty_characters_are_reported() {
    let shapes: &[(&str, &str)] = &[
        (
            "smoke.sh",
            "curl -H 'Authorization: Bearer {V}' https://api.acme.io/v1/me",
        ),
        (
            "smoke.sh",
            "curl -H \"Authorization: Bearer {V}\" https://api.acme.io/v1/me",
        ),
        (
            "api.http",
            "GET https://api.acme.io/users\nAuthorization: Bearer {V}",
        ),
        ("client.py", "headers = {'Authorization': 'Bearer {V}'}"),
        (
            "client.js",
            "fetch(url, { headers: { Authorization: `Bearer {V}` } })",
        ),
        (
            "client.go",
            "req.Header.Set(\"Authorization\", \"Bearer {V}\")",
        ),
        (
            "Client.java",
            "conn.setRequestProperty(\"Authorization\", \"Bearer {V}\");",
        ),
        ("client.rb", "req['Authorization'] = 'Bearer {V}'"),
    ];
    let mut f = Fake::new(4502);
    for n in [12, 14, 16, 19] {
        let (files, want) = cells(&mut f, shapes, |f| short_token(f, n));
        assert_all_found(&files, &want, "authorization-bearer-short-token");
    }
}

#[test]
fn short_words_after_bearer_stay_quiet() {
    assert_quiet(vec![(
        "notes.sh",
        "curl -H 'Authorization: Bearer accessTokenValue' x\ncurl -H 'Authorization: Bearer YOUR_API_TOKEN' x\n\
         curl -H 'Authorization: Bearer abcdefgh12345678' x\ncurl -H 'Authorization: Bearer test-token-123' x\n\
         curl -H \"Authorization: Bearer $TOKEN\" x\ncurl -H 'Authorization: Bearer mytoken12345' x\n",
    )]);
}

#[test]
fn a_shell_value_broken_with_no_space_either_side_is_one_word() {
    let mut f = Fake::new(4503);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, name) in ["deploy.sh", "run.bash", "Dockerfile"].iter().enumerate() {
        let (a, b) = (f.alnum(20), f.alnum(20));
        let body = if *name == "Dockerfile" {
            format!("FROM alpine\nENV API_TOKEN={a}\\\n{b}\n")
        } else {
            format!("#!/bin/sh\nexport API_TOKEN={a}\\\n{b}\nrun\n")
        };
        let path = format!("s{i}/{name}");
        files.push((path.clone(), body));
        want.push((path, name.to_string(), format!("{a}{b}")));
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn a_property_list_key_named_after_its_vendor_is_read() {
    let mut f = Fake::new(4504);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, key) in [
        "StripeKey",
        "OpenAIKey",
        "MixpanelKey",
        "SegmentWriteKey",
        "AlgoliaAdminKey",
    ]
    .iter()
    .enumerate()
    {
        let v = if i % 2 == 0 { f.hex(32) } else { f.alnum(32) };
        let path = format!("p{i}/Info.plist");
        files.push((
            path.clone(),
            format!("<plist><dict>\n\t<key>{key}</key>\n\t<string>{v}</string>\n</dict></plist>\n"),
        ));
        want.push((path, key.to_string(), v));
    }
    assert_all_found(&files, &want, "plist-vendor-key");
    assert_quiet(vec![(
        "Info.plist",
        "<dict>\n\t<key>StripeKey</key>\n\t<string>$(STRIPE_KEY)</string>\n\t\
         <key>StripePublishableKey</key>\n\t<string>Wx4Tm7Lv3Nh9Pb2Rk8ZqLm7X</string>\n\t\
         <key>NSExtensionPrincipalKey</key>\n\t<string>ShareViewController</string>\n\t\
         <key>BundleKey</key>\n\t<string>com.acme.widget.extension</string>\n</dict>\n",
    )]);
}

#[test]
fn an_unquoted_password_holding_a_backslash_is_reported() {
    let shapes: &[(&str, &str)] = &[
        ("application.properties", "spring.datasource.password={V}"),
        ("app.ini", "[db]\npassword = {V}"),
        (".env", "DB_PASSWORD={V}"),
        ("config.yml", "smtp:\n  smtp_password: {V}"),
        ("my.cnf", "[client]\npassword={V}"),
    ];
    let mut f = Fake::new(4505);
    let (files, want) = cells(&mut f, shapes, |f| {
        let (a, b) = (mixed_alnum(f, 6), mixed_alnum(f, 6));
        format!("{a}\\{b}")
    });
    assert_all_found(&files, &want, "password-unquoted-backslash");
    assert_quiet(vec![(
        "app.properties",
        "password_file=C:\\secrets\\db.txt\npassword.pattern=^(?=.*\\d)(?=.*[a-z]).{8,}$\n\
         db.password=${DB\\PASS}\n",
    )]);
}

#[test]
fn a_multiple_assignments_credential_is_read_where_it_stands() {
    // `{U}` is the first name's value (`admin`, `root`), written in at run time: this file holds
    // no `pass := "<word>"` of its own.
    let shapes: &[(&str, &str)] = &[
        ("main.go", "user, pass := \"{U}\", \"{V}\""),
        ("main.go", "var user, password = \"{U}\", \"{V}\""),
        (
            "db.go",
            "host, user, pwd := \"db.acme.io\", \"{U}\", \"{V}\"",
        ),
        ("conf.py", "user, password = \"{U}\", \"{V}\""),
        ("conf.py", "(api_id, api_secret) = ('{U}', '{V}')"),
        ("app.js", "const [user, secret] = [\"{U}\", \"{V}\"];"),
        ("app.js", "let [login, token] = ['{U}', '{V}'];"),
        ("main.go", "password, user := \"{V}\", \"{U}\""),
    ];
    let mut f = Fake::new(4506);
    let (mut files, want) = cells(&mut f, shapes, |f| mixed_alnum(f, 16));
    for (i, (_, text)) in files.iter_mut().enumerate() {
        *text = text.replace("{U}", ["admin", "root"][i % 2]);
    }
    assert_all_found(&files, &want, "multi-assignment-secret");
    // The first name's value is no password: the weak tier no longer reports it.
    let by_path = scan_files_by_path(&files);
    for (path, found) in by_path {
        assert!(
            !found.iter().any(|(_, s)| s == "admin" || s == "root"),
            "{path}: {found:?}"
        );
    }
    let quiet =
        "user, pass := \"{U}\", os.Getenv(\"DB_PASS\")\nkey, token := \"name\", \"${TOKEN}\"\n\
                 user, pass := \"{U}\", \"changeme123\"\n"
            .replace("{U}", "admin");
    assert_quiet(vec![("main.go", quiet)]);
}

#[test]
fn connection_strings_other_password_keys_are_read() {
    let shapes: &[(&str, &str, &str)] = &[
        (
            "db.properties",
            "url=jdbc:sqlserver://sql02.acme.io:1433;databaseName=crm;user=crm;userpass={V}",
            "jdbc-connection-password",
        ),
        (
            "db.properties",
            "url=jdbc:mysql://db.acme.io:3306/shop?user=shop&password2={V}",
            "jdbc-connection-password",
        ),
        (
            "db.properties",
            "url=jdbc:snowflake://acme.snowflakecomputing.com/?user=etl&private_key_file_pwd={V}",
            "jdbc-connection-password",
        ),
        (
            "Db.cs",
            "var cs = \"Provider=Microsoft.ACE.OLEDB.12.0;Data Source=crm.accdb;Jet OLEDB:Database Password={V};\";",
            "ado-net-connection-string-password",
        ),
    ];
    let mut f = Fake::new(4507);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, (name, template, rule)) in shapes.iter().enumerate() {
        let v = mixed_alnum(&mut f, 14);
        let path = format!("j{i}/{name}");
        files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
        want.push((path, template.to_string(), v, *rule));
    }
    let missed = missed_values_each_of_its_rule(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn a_weak_secret_ending_in_a_parenthesis_is_kept_and_calls_stay_quiet() {
    let mut f = Fake::new(4508);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for i in 0..6 {
        // A low-entropy 14-character secret (a repeated pair) ending in `(`.
        let head = f.from_alphabet("abcdefghijkmnpqrstuvwxyz", 4);
        let v = format!("{head}{head}{}(", f.from_alphabet("ABCDEFGH23456789!", 5));
        let path = format!("f{i}/app.py");
        files.push((path.clone(), format!("app.config['SECRET_KEY'] = '{v}'\n")));
        want.push((path, v.clone(), v));
    }
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    assert_quiet(vec![(
        "app.py",
        "SECRET_KEY = \"get_secret_key()\"\nsecret = \"(redacted)\"\n",
    )]);
}

#[test]
fn hockeyapp_keys_are_reported_in_their_sdks_shapes() {
    let shapes: &[(&str, &str)] = &[
        (
            "AppDelegate.m",
            "[[BITHockeyManager sharedHockeyManager] configureWithIdentifier:@\"{V}\"];",
        ),
        ("MainActivity.java", "CrashManager.register(this, \"{V}\");"),
        ("Config.java", "private static final String HOCKEYAPP_ID = \"{V}\";"),
        (
            "AndroidManifest.xml",
            "<meta-data android:name=\"net.hockeyapp.android.appIdentifier\" android:value=\"{V}\" />",
        ),
        ("build.gradle", "manifestPlaceholders = [HOCKEYAPP_APP_ID: \"{V}\"]"),
        ("strings.xml", "<string name=\"hockeyapp_key\">{V}</string>"),
        ("App.xaml.cs", "HockeyClient.Current.Configure(\"{V}\");"),
        (
            "upload.sh",
            "curl -H \"X-HockeyAppToken: {V}\" https://rink.hockeyapp.net/api/2/apps",
        ),
    ];
    let mut f = Fake::new(4509);
    let (files, want) = cells(&mut f, shapes, |f| f.hex(32));
    assert_all_found(&files, &want, "hockeyapp-key");
    assert_quiet(vec![(
        "MainActivity.java",
        "CrashManager.register(this, BuildConfig.HOCKEYAPP_ID);\nString HOCKEYAPP_ID = \"00000000000000000000000000000000\";\n",
    )]);
}

#[test]
fn a_sketchs_wifi_password_is_named_as_wifi_and_not_googles() {
    let mut f = Fake::new(4510);
    let lower = "abcdefghijklmnopqrstuvwxyz";
    let (mut files, mut want) = (Vec::new(), Vec::new());
    let shapes: &[(&str, &str)] = &[
        (
            "sketch.ino",
            "#include <WiFi.h>\nchar ssid[] = \"HomeNet\";\nchar pass[] = \"{V}\";\nvoid setup() { WiFi.begin(ssid, pass); }",
        ),
        (
            "main.cpp",
            "#include <ESP8266WiFi.h>\nconst char* ssid = \"HomeNet\";\nconst char* password = \"{V}\";\nvoid setup() { WiFi.begin(ssid, password); }",
        ),
        ("config.h", "#define WIFI_SSID \"HomeNet\"\n#define WIFI_PASSWORD \"{V}\""),
        ("net.ino", "void setup() {\n  WiFi.begin(\"HomeNet\", \"{V}\");\n}"),
    ];
    for (i, (name, template)) in shapes.iter().enumerate() {
        let v = loop {
            let v = f.from_alphabet(lower, 16);
            // No run of the alphabet or repeated letter (google-app-password's stand-ins).
            if !v
                .as_bytes()
                .windows(2)
                .any(|w| w[1] == w[0] || w[1] == w[0] + 1)
            {
                break v;
            }
        };
        let path = format!("w{i}/{name}");
        files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
        want.push((path, template.to_string(), v));
    }
    assert_all_found(&files, &want, "wifi-sketch-password");
    let by_path = scan_files_by_path(&files);
    for (path, found) in by_path {
        assert!(
            !found.iter().any(|(r, _)| r == "google-app-password"),
            "{path}: {found:?}"
        );
    }
    // A Gmail app password in a mail sketch stays Google's.
    let v = "qvtk zrmw hpjd nbxl";
    let got = findings_of_rules(
        &[(
            "mail.ino",
            format!(
                "#define AUTHOR_EMAIL \"ops@gmail.com\"\nconst char* smtp_password = \"{v}\";\n"
            ),
        )],
        &["google-app-password"],
    );
    assert_eq!(got.len(), 1, "{got:?}");
}

#[test]
fn facebooks_client_token_is_named_as_itself() {
    let mut f = Fake::new(4511);
    let shapes: &[(&str, &str)] = &[
        (
            "strings.xml",
            "<resources>\n  <string name=\"facebook_app_id\">1234567890123456</string>\n  <string name=\"facebook_client_token\">{V}</string>\n</resources>",
        ),
        (
            "Info.plist",
            "<dict>\n\t<key>FacebookClientToken</key>\n\t<string>{V}</string>\n</dict>",
        ),
        (".env", "FACEBOOK_CLIENT_TOKEN={V}"),
    ];
    let (files, want) = cells(&mut f, shapes, |f| f.hex(32));
    assert_all_found(&files, &want, "facebook-client-token");
    let by_path = scan_files_by_path(&files);
    for (path, found) in by_path {
        assert!(
            !found.iter().any(|(r, _)| r == "facebook-app-secret"),
            "{path}: {found:?}"
        );
    }
    // The app secret stays the app secret's.
    let v = f.hex(32);
    let got = findings_of_rules(
        &[(".env", format!("FACEBOOK_APP_SECRET={v}\n"))],
        &["facebook-app-secret"],
    );
    assert_eq!(got.len(), 1, "{got:?}");
}
