//! Keys as public repositories write them, seventh look (stop 48, wild48): excerpts of public GitHub
//! files found by exact-string look-ups over ground stops 41-46 did not sample (mail, MQTT and
//! object-store logins, setters, Go struct tags' defaults, commented-out C macros, OAuth 1.0 clients,
//! node-mailjet, NuGet commands) showed these lost at main and these stand-ins reported. Each shape is
//! checked here in several syntaxes with fresh fake values built at runtime, and must be reported by
//! its rule with that value; the near misses beside them stay quiet.
//! - a password by position to a login call: paho-mqtt's `username_pw_set`, JavaMail's
//!   `transport.connect`;
//! - a short password, or a mail provider's 16-letter app password, given to a setter (and the app
//!   password to Go's `smtp.PlainAuth`, NetEase's capitals to any mail login call);
//! - a credential's default in a Go struct tag (`env:"…" envDefault:"…"`);
//! - an access key's secret by position to a static credentials constructor, an OAuth 1.0 consumer
//!   secret by position after its key;
//! - a commented-out `//#define API_KEY "…"`, a `#define FIREBASE_AUTH "…"`, node-mailjet's
//!   `.connect(key, secret)`;
//! - stand-ins: NetworkCredential's literal `password`, a `{slot}` given to a setter, NuGet's and
//!   Microsoft Graph's docs' example keys, MinIO's playground pair, xkcd's passphrase.

use crate::common::*;

const KEY_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const PASSWORD_ALPHABET: &str =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#%";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";

/// Letters and digits both, `n` long (a draw of one kind alone is drawn again).
fn mixed(f: &mut Fake, n: usize) -> String {
    loop {
        let s = f.from_alphabet(KEY_ALPHABET, n);
        if s.bytes().any(|b| b.is_ascii_digit())
            && s.bytes().any(|b| b.is_ascii_lowercase())
            && s.bytes().any(|b| b.is_ascii_uppercase())
        {
            return s;
        }
    }
}

/// Hex digits with letters and digits both.
fn mixed_hex(f: &mut Fake, n: usize) -> String {
    loop {
        let s = f.hex(n);
        if s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic()) {
            return s;
        }
    }
}

/// A password of `n` characters holding a lower-case letter, a capital, a digit and a symbol.
fn password(f: &mut Fake, n: usize) -> String {
    loop {
        let s = f.from_alphabet(PASSWORD_ALPHABET, n);
        if s.bytes().any(|b| b.is_ascii_digit())
            && s.bytes().any(|b| b.is_ascii_lowercase())
            && s.bytes().any(|b| b.is_ascii_uppercase())
            && s.bytes().any(|b| b.is_ascii_punctuation())
        {
            return s;
        }
    }
}

/// Four letters a stand-in is written in (runs of the alphabet or the keyboard, one letter four
/// times, placeholder words): a fake app password holding one is drawn again.
fn reads_as_stand_in(s: &str) -> bool {
    let l = s.to_ascii_lowercase().replace(' ', "");
    let alphabet = LOWER.as_bytes();
    alphabet
        .windows(4)
        .any(|w| l.contains(std::str::from_utf8(w).unwrap()))
        || [
            "qwer", "asdf", "zxcv", "your", "pass", "word", "test", "mail", "code", "user", "name",
        ]
        .iter()
        .any(|w| l.contains(w))
        || l.as_bytes()
            .windows(4)
            .any(|w| w.iter().all(|c| *c == w[0]))
}

/// A mail app password: 16 lower-case letters, in four groups of four when `grouped`.
fn app_password(f: &mut Fake, grouped: bool) -> String {
    loop {
        let s = f.from_alphabet(LOWER, 16);
        if reads_as_stand_in(&s) {
            continue;
        }
        if grouped {
            return [&s[0..4], &s[4..8], &s[8..12], &s[12..16]].join(" ");
        }
        return s;
    }
}

/// A NetEase (163, 126) mail authorization code: 16 capitals.
fn auth_code(f: &mut Fake) -> String {
    app_password(f, false).to_ascii_uppercase()
}

#[test]
fn passwords_by_position_to_login_calls_are_reported() {
    let cells = [
        (
            "mqtt.py",
            "client.tls_set(tls_version=mqtt.ssl.PROTOCOL_TLS)\nclient.username_pw_set(\"hivemq.webclient.1700000000042\", \"{V}\")\n",
        ),
        (
            "mqtt2.py",
            "client.username_pw_set(\"sensor01\", password=\"{V}\")\n",
        ),
        (
            "Mailer.java",
            "            Transport transport = session.getTransport(\"smtp\");\n            transport.connect(\"smtp.acme-mail.io\", \"reports@acme-mail.io\", \"{V}\");\n",
        ),
        (
            "Mailer2.java",
            "        transport.connect(\"reports@acme-mail.io\", \"{V}\");\n",
        ),
        (
            "Mailer3.java",
            "            transport.connect(\"smtp.acme-mail.io\", \"reports@acme-mail.io\",\n                    \"{V}\");\n",
        ),
    ];
    check_cells(
        "login-call-positional-password",
        4801,
        &cells,
        |f| password(f, 12),
        |f| f.hex(4),
    );
}

#[test]
fn short_passwords_given_to_setters_are_reported() {
    let cells = [
        (
            "DataSourceConfig.java",
            "        dataSource.setPassword(\"{V}\");\n",
        ),
        ("MailConfig.kt", "        mailSender.setPassword(\"{V}\")\n"),
        ("settings.py", "    cfg.set_password('{V}')\n"),
        ("Mailer.php", "$mailer->setPassword('{V}');\n"),
        ("Smtp.cs", "        smtp.SetPassword(\"{V}\");\n"),
        ("Props.java", "        props.setSmtpPassword(\"{V}\");\n"),
    ];
    check_cells(
        "password-setter-short",
        4802,
        &cells,
        |f| password(f, 9),
        |f| f.hex(4),
    );
}

#[test]
fn mail_app_passwords_in_setters_and_login_calls_are_reported() {
    let lower = [
        (
            "MailConfig.java",
            "        mailSender.setUsername(\"shop@gmail.com\");\n        mailSender.setPassword(\"{V}\");\n",
        ),
        (
            "send.go",
            "\terr := e.Send(\"smtp.qq.com:587\", smtp.PlainAuth(\"\", \"10000@qq.com\", \"{V}\", \"smtp.qq.com\"))\n",
        ),
        (
            "Mailer.java",
            "            transport.connect(\"smtp.gmail.com\", \"ops@acme.io\", \"{V}\");\n",
        ),
    ];
    check_cells(
        "mail-app-password-call",
        4803,
        &lower,
        |f| app_password(f, false),
        |f| f.hex(4),
    );
    let grouped = [
        (
            "MailConfig.java",
            "        mailSender.setPassword(\"{V}\"); // SMTP password\n",
        ),
        ("MailConfig.kt", "        setPassword(\"{V}\")\n"),
    ];
    check_cells(
        "mail-app-password-call",
        4804,
        &grouped,
        |f| app_password(f, true),
        |f| f.hex(4),
    );
    let upper = [
        (
            "send.go",
            "\treturn e.SendWithTLS(\"smtp.126.com:587\", smtp.PlainAuth(\"\", \"ops@126.com\", \"{V}\", \"smtp.126.com\"), cfg)\n",
        ),
        ("mail.py", "mail.login(\"ops@163.com\", \"{V}\")\n"),
        (
            "MailAuth.java",
            "        return new PasswordAuthentication(\"ops@126.com\", \"{V}\");\n",
        ),
        ("MailConfig.java", "        mailSender.setPassword(\"{V}\");\n"),
    ];
    check_cells("mail-app-password-call", 4805, &upper, auth_code, |f| {
        f.hex(4)
    });
}

#[test]
fn credential_defaults_in_go_struct_tags_are_reported() {
    let cells = [
        (
            "config.go",
            "type Config struct {\n\tClientSecret string `env:\"CLIENT_SECRET\" envDefault:\"{V}\"`\n}\n",
        ),
        (
            "config2.go",
            "\tToken string `env:\"DEPOT_TOKEN\" envDefault:\"{V}\"`\n",
        ),
        (
            "config3.go",
            "\tPassword string `envconfig:\"DB_PASSWORD\" default:\"{V}\"`\n",
        ),
        (
            "config4.go",
            "\tAPIKey string `default:\"{V}\" envconfig:\"API_KEY\"`\n",
        ),
        (
            "config5.go",
            "\tSecret string `yaml:\"jwt_secret\" env:\"JWT_SECRET\" envDefault:\"{V}\"` // signing key\n",
        ),
        (
            "config6.go",
            "\tKey string `mapstructure:\"api_key\" default:\"{V}\"`\n",
        ),
    ];
    check_cells(
        "env-secret-fallback-tagged",
        4806,
        &cells,
        |f| mixed(f, 32),
        |f| f.hex(4),
    );
    let uuids = [(
        "config.go",
        "\tAPISecret string `env:\"API_SECRET\" envDefault:\"{V}\"`\n",
    )];
    check_cells(
        "env-secret-fallback-tagged",
        4807,
        &uuids,
        |f| f.uuid(),
        |f| f.hex(4),
    );
}

#[test]
fn secrets_by_position_after_their_keys_are_reported() {
    let statics = [
        (
            "minio.go",
            "\tclient, err := minio.New(\"localhost:9000\", &minio.Options{\n\t\tCreds: credentials.NewStaticV4(\"{K}\", \"{V}\", \"\"),\n\t})\n",
        ),
        (
            "minio2.go",
            "\t\tCreds: credentials.NewStaticV4(\"{K}\",\n\t\t\t\"{V}\", \"\"),\n",
        ),
        (
            "aws.go",
            "\tsess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials(keyID, \"{V}\", \"\")}))\n",
        ),
        (
            "awsv2.go",
            "\tcfg.Credentials = credentials.NewStaticCredentialsProvider(\"{K}\", \"{V}\", \"\")\n",
        ),
        (
            "Storage.java",
            "        MinioClient client = MinioClient.builder().endpoint(\"https://s3.acme.io\").credentials(\"{K}\", \"{V}\").build();\n",
        ),
    ];
    check_cells(
        "static-credentials-positional-secret",
        4808,
        &statics,
        |f| mixed(f, 40),
        |f| f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20),
    );
    let oauth = [
        (
            "twitter.js",
            "var oauth = new OAuth.OAuth(\n    'https://api.twitter.com/oauth/request_token',\n    'https://api.twitter.com/oauth/access_token',\n    '{K}',\n    '{V}',\n    '1.0A',\n    null,\n    'HMAC-SHA1'\n);\n",
        ),
        (
            "twitter2.js",
            "const oauth = new OAuth.OAuth(REQUEST_URL, ACCESS_URL, \"{K}\", \"{V}\", \"1.0A\", null, \"HMAC-SHA1\");\n",
        ),
        (
            "client.py",
            "consumer = oauth.Consumer(key=\"{K}\", secret=\"{V}\")\nclient = oauth.Client(consumer, token)\n",
        ),
        (
            "auth.py",
            "auth = OAuth1(\"{K}\", \"{V}\", access_token, access_token_secret)\n",
        ),
        (
            "session.py",
            "twitter = OAuth1Session(\"{K}\",\n    client_secret=\"{V}\")\n",
        ),
    ];
    check_cells(
        "oauth-consumer-secret-positional",
        4809,
        &oauth,
        |f| mixed(f, 50),
        |f| mixed(f, 25),
    );
}

#[test]
fn commented_defines_firebase_auth_and_mailjet_connect_are_reported() {
    let defines = [
        (
            "sketch.ino",
            "//#define API_KEY \"REPLACE_WITH_YOUR_FIREBASE_PROJECT_API_KEY\"\n//#define API_KEY \"{V}\"\n",
        ),
        (
            "firebase.ino",
            "//#define FIREBASE_HOST \"acme-iot.firebaseio.com\"\n  //#define FIREBASE_AUTH \"{V}\"\n",
        ),
        (
            "firebase2.ino",
            "#define FIREBASE_HOST \"acme-iot.firebaseio.com\"\n#define FIREBASE_AUTH \"{V}\"\n",
        ),
        (
            "onenet.ino",
            "#define DEV_ID \"1234001\"\n#define API_KEY \"{V}\" //change to your API-Key\n",
        ),
        ("keys.h", "/*#define SECRET_KEY \"{V}\"*/\n"),
        ("blynk.ino", "// #define BLYNK_AUTH \"{V}\"\n"),
    ];
    check_cells(
        "define-directive-secret",
        4810,
        &defines,
        |f| mixed(f, 40),
        |f| f.hex(4),
    );
    let mailjet = [
        (
            "mail.js",
            "var mailjet = require('node-mailjet').connect('{K}', '{V}');\n",
        ),
        (
            "mail2.js",
            "const Mailjet = require(\"node-mailjet\").connect(\"{K}\", \"{V}\");\n",
        ),
        (
            "mail3.js",
            "  var mailjet = require('node-mailjet').connect('{K}',\n                                                    '{V}');\n",
        ),
        (
            "mail4.js",
            "/*var Mailjet = Mailjet.connect('{K}', '{V}');*/\n",
        ),
    ];
    check_cells(
        "mailjet-api-secret",
        4811,
        &mailjet,
        |f| mixed_hex(f, 32),
        |f| mixed_hex(f, 32),
    );
}

#[test]
fn near_misses_of_the_new_shapes_stay_quiet() {
    assert_quiet(vec![
        (
            "a.go",
            "\tauth := smtp.PlainAuth(\"\", username, password, host)\n\tauth2 := smtp.PlainAuth(\"\", \"username\", \"password\", \"host\")\n\tauth3 := smtp.PlainAuth(\"\", \"ops@163.com\", \"<你的密码>\", \"smtp.163.com\")\n",
        ),
        (
            "b.py",
            "client.username_pw_set(\"username\", \"password\")\nclient.username_pw_set(MQTT_USER, MQTT_PASS)\nclient.username_pw_set(\"token:%s\" % TOKEN)\n",
        ),
        (
            "C.java",
            "        transport.connect(host, user, pass);\n        mailSender.setPassword(\"\");\n        mailSender.setPassword(System.getenv(\"MAIL_PASSWORD\"));\n        user.setPassword(\"password\");\n        user.setPasswordHash(\"aB3#xY9!\");\n        mailSender.setPassword(\"abcd efgh ijkl mnop\");\n        mailSender.setPassword(\"xxxxxxxxxxxxxxxx\");\n",
        ),
        (
            "d.go",
            "type Config struct {\n\tJWTSecret string `env:\"JWT_SECRET\" envDefault:\"secret\"`\n\tTokenExpiry time.Duration `env:\"TOKEN_EXPIRY\" envDefault:\"24h\"`\n\tVaultAddr string `env:\"SECRETS_VAULT_ADDR\" envDefault:\"http://localhost:8200\"`\n\tKeyFile string `env:\"PRIVATE_KEY_FILE\" envDefault:\"./keys/private_2048.pem\"`\n\tSessionSecret string `env:\"SESSION_SECRET\" envDefault:\"dev-session-secret-change-me\"`\n\tMasterKey string `env:\"VAULT_MASTER_KEY\" envDefault:\"dev-32-bytes-master-key!!\"`\n\tBotToken string `env:\"BOT_TOKEN\" envDefault:\"BAD_TOKEN\"`\n\tSlack string `env:\"SLACK_TOKEN\" envDefault:\"***\"`\n\tPassword string `envconfig:\"PASSWORD\" default:\"password\"`\n\tClientID string `env:\"OAUTH_CLIENT_ID\" envDefault:\"3c1f9e7a5b2d4c6e8f0a1b3d\"`\n}\n",
        ),
        (
            "e.go",
            "\t\tCreds:  credentials.NewStaticV4(\"minioadmin\", \"minioadmin\", \"\"),\n\t\tCreds2: credentials.NewStaticV4(accessKey, secretKey, \"\"),\n\t\tCreds3: credentials.NewStaticV4(\"KEY\", \"SECRET\", \"\"),\n",
        ),
        (
            "f.js",
            "var oauth = new OAuth.OAuth(reqUrl, accUrl, 'consumer key', 'secret key', '1.0A', null, 'HMAC-SHA1');\nconst o2 = new OAuth.OAuth(reqUrl, accUrl, process.env.CONSUMER_KEY, process.env.CONSUMER_SECRET, '1.0A', null, 'HMAC-SHA1');\nvar mailjet = require('node-mailjet').connect(process.env.MJ_APIKEY_PUBLIC, process.env.MJ_APIKEY_PRIVATE);\n//var Mailjet = require('node-mailjet').connect('API_KEY', 'API_SECRET');\n",
        ),
        (
            "g.ino",
            "//#define API_KEY \"<Your API key here>\"\n//#define FIREBASE_AUTH \"2\"\n#define FIREBASE_AUTH_DOMAIN \"acme-shop.firebaseapp.com\"\n#define AUTHOR \"Jane Doe\"\n// #define BOTtoken \"XXXXXXXXXX:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\"\n",
        ),
    ]);
}

#[test]
fn literal_words_slots_and_published_examples_are_stand_ins() {
    // NuGet's docs' example key and Microsoft Graph's docs' OATH secret, built from pieces so this
    // file holds no value of their shapes.
    let nuget = ["4003d786", "cc37", "4004", "bfdf", "c4f3e8ef9b3a"].join("-");
    let graph = ["6PJ4UKIW", "33NNXYZA", "EHQNFUFT", "ZF7WFTFB"].concat();
    // MinIO's playground pair, likewise.
    let play_id = ["Q3AM3UQ8", "67SPQQA4", "3P2F"].concat();
    let play_secret = ["zuf+tfte", "SlswRu7B", "J86wekit", "nifILbZa", "m1KYY3TG"].concat();
    assert_quiet(vec![
        (
            "Mail.cs",
            "            var smtpClient = new SmtpClient(\"smtp.outlook.com\", 587)\n            {\n                EnableSsl = true,\n                Credentials = new NetworkCredential(\"mail\", \"password\")\n            };\n".to_string(),
        ),
        (
            "MailConfig.java",
            "        mailSender.setUsername(email);\n        mailSender.setPassword(\"{2nd-factor-password}\");\n        client.setApiKey(\"<your-openai-key-here>\");\n".to_string(),
        ),
        (
            "publish.sh",
            format!("NUGET_API_KEY={nuget}\nnuget setapikey {nuget} -source https://example.com/nugetfeed\n"),
        ),
        (
            "Graph.java",
            format!("hardwareOathTokenAuthenticationMethodDevice.setModel(\"Hardware Token 1000\");\nhardwareOathTokenAuthenticationMethodDevice.setSecretKey(\"{graph}\");\n"),
        ),
        (
            "auth_test.go",
            "\tr.SetBasicAuth(\"alice\", \"correct horse battery staple\")\n".to_string(),
        ),
        (
            "play.go",
            format!("\ts3Client, err := minio.New(\"play.min.io\", &minio.Options{{\n\t\tCreds: credentials.NewStaticV4(\"{play_id}\", \"{play_secret}\", \"\"),\n\t}})\n"),
        ),
    ]);
    // Random values in the same places are still reported.
    let mut f = Fake::new(4812);
    let pw = password(&mut f, 12);
    let key = f.uuid();
    let secret = f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32);
    let phrase = format!("{} {}", mixed(&mut f, 10), mixed(&mut f, 10));
    let files = vec![
        (
            "Mail.cs".to_string(),
            format!("    Credentials = new NetworkCredential(\"mail\", \"{pw}\")\n"),
        ),
        ("publish.sh".to_string(), format!("NUGET_API_KEY={key}\n")),
        (
            "Graph.java".to_string(),
            format!("device.setSecretKey(\"{secret}\");\n"),
        ),
        (
            "auth_test.go".to_string(),
            format!("\tr.SetBasicAuth(\"alice\", \"{phrase}\")\n"),
        ),
    ];
    let want = vec![
        ("Mail.cs".to_string(), "a password".to_string(), pw),
        ("publish.sh".to_string(), "a NuGet key".to_string(), key),
        (
            "Graph.java".to_string(),
            "an OATH secret".to_string(),
            secret,
        ),
        (
            "auth_test.go".to_string(),
            "a passphrase".to_string(),
            phrase,
        ),
    ];
    let missed = missed_values(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:?}");
}
