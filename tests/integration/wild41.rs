//! Keys as public repositories write them (stop 41, wild41): a corpus of excerpts of public GitHub
//! files, found by exact-string look-ups for the mission's families and the ways code names and
//! passes them, showed these shapes lost at main. Each is checked here in the syntaxes of several
//! languages with fresh fake values built at runtime, and must be reported by its rule with that
//! value; the near misses beside them (lookups, stand-ins, names of something else) stay quiet.
//! - discord.js hands the bot token to `client.login('…')`, with no Discord word on its line;
//! - Java's and Go's formatters move an AWS secret to the line after its key id's comma;
//! - a Fireworks key under a `firework` name or none (`fw_3Z…`, the current format);
//! - a generated Django key whose characters spell `$(` or `%s` read as template syntax;
//! - a key's name that goes on after KEY (`API_KEY_PROD`, `api_key_serp`, `$api_key_live`);
//! - stand-ins written in other languages and scripts (`password_smtp_anda`, `sua_senha`,
//!   `sk-你的密钥`) were reported as secrets.

use crate::common::*;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;

/// A Discord bot token: base64 of the bot's 18- or 19-digit id, a 6-character timestamp part and
/// a 38-character HMAC part.
fn discord_token(f: &mut Fake) -> String {
    let digits = 18 + (f.next() % 2) as usize;
    let id = format!("1{}", f.from_alphabet("0123456789", digits - 1));
    let url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    format!(
        "{}.{}.{}",
        STANDARD_NO_PAD.encode(id),
        f.from_alphabet(url, 6),
        f.from_alphabet(url, 38)
    )
}

/// An AWS secret access key: 40 characters of base64, both cases and a digit.
fn aws_secret(f: &mut Fake) -> String {
    loop {
        let s = f.from_alphabet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            40,
        );
        if s.bytes().any(|b| b.is_ascii_uppercase())
            && s.bytes().any(|b| b.is_ascii_lowercase())
            && s.bytes().any(|b| b.is_ascii_digit())
        {
            return s;
        }
    }
}

/// A Fireworks key of the current format: `fw_3Z` and 22 base58 characters.
fn fireworks_key(f: &mut Fake) -> String {
    format!(
        "fw_3Z{}",
        f.from_alphabet(
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
            22
        )
    )
}

const DJANGO: &str = "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*-_=+";

/// A key as Django's startproject generates it, 50 characters after the prefix, holding `spell`
/// (`$(`, `%s`) where its random characters put it.
fn django_key_spelling(f: &mut Fake, spell: &str) -> String {
    let head = f.from_alphabet(DJANGO, 20);
    let tail = f.from_alphabet(DJANGO, 50 - 20 - spell.len());
    format!("django-insecure-{head}{spell}{tail}")
}

#[test]
fn a_discord_token_given_to_client_login_is_reported() {
    let cells = [
        ("index.js", "client.login('{V}');\n"),
        (
            "bot.js",
            "const client = new Client({ intents: [] });\nclient.login(\"{V}\");\n",
        ),
        ("main.ts", "await client.login(`{V}`);\n"),
        (
            "app.js",
            "this.client.login('{V}').then(() => console.log('ready'));\n",
        ),
        ("bot.mjs", "export default () => bot.login('{V}');\n"),
        (
            "index.cjs",
            "client.once('ready', () => {});\nclient.login( '{V}' ); // replace me\n",
        ),
    ];
    check_cells("discord-bot-token", 4101, &cells, discord_token, |_| {
        String::new()
    });
}

#[test]
fn an_aws_secret_on_the_line_after_its_key_id_is_reported() {
    let cells = [
        (
            "S3Config.java",
            "AWSCredentials c = new BasicAWSCredentials(\"{K}\",\n        \"{V}\");\n",
        ),
        (
            "AwsConfig.kt",
            "val creds = BasicAWSCredentials(\"{K}\",\n    \"{V}\")\n",
        ),
        (
            "Storage.cs",
            "var creds = new BasicAWSCredentials(\"{K}\",\n                \"{V}\");\n",
        ),
        (
            "s3.go",
            "creds := credentials.NewStaticCredentials(\"{K}\",\n\t\"{V}\", \"\")\n",
        ),
        (
            "upload.py",
            "session = boto3.Session('{K}',\n                        '{V}')\n",
        ),
        (
            "s3.js",
            "const s3 = new AWS.S3(new AWS.Credentials('{K}',\n  '{V}'));\n",
        ),
    ];
    check_cells("aws-secret-access-key", 4102, &cells, aws_secret, |f| {
        f.aws_key_id()
    });
}

#[test]
fn a_fireworks_key_under_a_firework_name_or_none_is_reported() {
    let cells = [
        ("search.py", "api_key_firework = \"{V}\"\n"),
        ("chat.js", "const API_KEY = '{V}';\n"),
        ("client.py", "qrooper = Qrooper(\n    api_key=\"{V}\",\n)\n"),
        ("call.js", "headers: { Authorization: 'Bearer {V}' },\n"),
        ("test.sh", "# API_KEY={V}\n"),
        ("config.yaml", "llm:\n  key: \"{V}\"\n"),
        ("Settings.java", "static final String KEY = \"{V}\";\n"),
    ];
    check_cells("fireworks-api-key", 4103, &cells, fireworks_key, |_| {
        String::new()
    });
}

#[test]
fn a_django_key_whose_characters_spell_template_syntax_is_reported() {
    let shapes = [
        ("settings.py", "SECRET_KEY = '{V}'\n"),
        (".env", "DJANGO_SECRET_KEY={V}\n"),
        (
            "docker-compose.yml",
            "    environment:\n      - DJANGO_SECRET_KEY={V}\n",
        ),
        ("settings.json", "{\"SECRET_KEY\": \"{V}\"}\n"),
    ];
    for (i, spell) in ["$(", "%s", "$(=", "%d-"].iter().enumerate() {
        check_cells(
            "django-secret-key",
            4110 + i as u64,
            &shapes,
            |f| django_key_spelling(f, spell),
            |_| String::new(),
        );
    }
}

/// Names that go on after KEY: a deployment's, a vendor's or a version's copy of a key.
const QUALIFIED: &[&str] = &[
    "API_KEY_PROD",
    "api_key_serp",
    "SECRET_KEY_V2",
    "access_key_live",
    "CLIENT_KEY_STAGING",
    "apiKey_openweather",
    "APP_KEY_2",
];

/// A name and its quoted literal in each language's syntax.
const QUALIFIED_SHAPES: &[(&str, &str)] = &[
    ("config.py", "{N} = \"{V}\""),
    ("config.js", "const {N} = '{V}';"),
    ("Config.php", "    protected static string ${N} = \"{V}\";"),
    (
        "Keys.java",
        "    private static final String {N} = \"{V}\";",
    ),
    ("keys.go", "\t{N} := \"{V}\""),
    ("Keys.kt", "    const val {N} = \"{V}\""),
    ("keys.rb", "{N} = '{V}'"),
    ("config.yaml", "  {N}: \"{V}\""),
    ("settings.json", "  \"{N}\": \"{V}\","),
    ("config.ts", "export const {N}: string = \"{V}\";"),
];

#[test]
fn a_key_under_a_name_that_goes_on_after_key_is_reported() {
    for (seed, value) in [
        (
            4120,
            (|f: &mut Fake| f.generic_key()) as fn(&mut Fake) -> String,
        ),
        (4121, |f: &mut Fake| f.hex(40).to_uppercase()),
        // Sixteen upper-case letters and digits, a vendor's short key.
        (4122, |f: &mut Fake| loop {
            let s = f.from_alphabet("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 16);
            if s.bytes().filter(|b| b.is_ascii_digit()).count() >= 2
                && s.bytes().filter(|b| b.is_ascii_uppercase()).count() >= 6
            {
                return s;
            }
        }),
    ] {
        let missed = missed_names_by_shapes(
            seed,
            QUALIFIED,
            QUALIFIED_SHAPES,
            value,
            Some("qualified-key-assignment"),
        );
        assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    }
}

#[test]
fn near_misses_of_these_shapes_stay_quiet() {
    let mut f = Fake::new(4130);
    let digest = f.hex(64);
    let uuid = f.uuid();
    assert_quiet(vec![
        (
            "a/index.js",
            "client.login(process.env.DISCORD_TOKEN);\n".to_string(),
        ),
        (
            "b/index.js",
            "client.login('your-bot-token-goes-here');\n".to_string(),
        ),
        (
            "c/auth.js",
            "await apiClient.login(\"advocate@legal.in\", \"TODO\");\n".to_string(),
        ),
        (
            "d/S3.java",
            "new BasicAWSCredentials(accessKeyId,\n        System.getenv(\"AWS_SECRET\"));\n"
                .to_string(),
        ),
        (
            "e/config.py",
            "API_KEY_NAME = \"x-api-key-header-v2\"\nAPI_KEY_ENV = \"OPENAI_API_KEY\"\n"
                .to_string(),
        ),
        (
            "f/config.py",
            format!("api_key_hash = \"{digest}\"\napi_key_id = \"{uuid}\"\n"),
        ),
        (
            "g/config.py",
            "api_key_prod = os.environ[\"API_KEY_PROD\"]\n".to_string(),
        ),
        (
            "h/config.ts",
            "const API_KEY_PROD = \"prod-api-key\";\n".to_string(),
        ),
        (
            "i/.travis.yml",
            format!(
                "deploy:\n  access_key_id:\n    secure: \"{}\"\n",
                f.from_alphabet(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                    172
                )
            ),
        ),
        (
            "j/settings.py",
            "SECRET_KEY = 'django-insecure-your-secret-key-goes-here-change-it-before-deploying'\n"
                .to_string(),
        ),
        (
            "k/search.py",
            "FIREWORKS_API_KEY = \"fw_your_fireworks_key_here\"\n".to_string(),
        ),
    ]);
}

#[test]
fn stand_ins_in_other_languages_and_scripts_stay_quiet() {
    // What READMEs and samples written in Indonesian, Portuguese, Spanish, Vietnamese, French,
    // Chinese, Korean and Japanese put where the value goes.
    assert_quiet(vec![
        ("a/.env", "MAIL_USERNAME=username_smtp_anda\nMAIL_PASSWORD=password_smtp_anda\n"),
        ("b/.env", "DB_PASSWORD=sua_senha\nJWT_SECRET=sua_chave_secreta\n"),
        ("c/.env", "MAIL_PASSWORD=\"ma_16_ky_tu_v\u{1eeb}a_t\u{1ea1}o\"\n"),
        ("d/.env", "DB_PASSWORD=\u{5f3a}\u{968f}\u{673a}\u{4e1a}\u{52a1}\u{5e93}\u{5bc6}\u{7801}\n"),
        ("e/setup.sh", "echo \"   DB_PASSWORD=sua_senha\"\n"),
        ("f/app.js", "const openai = new OpenAI({ apiKey: \"sk-tu-nueva-api-key-aqui\" });\n"),
        ("g/config.py", "os.environ[\"OPENAI_API_KEY\"] = \"sk-\u{c5ec}\u{ae30}\u{c5d0}-\u{bcf8}\u{c778}\u{d0a4}\"\n"),
        ("h/config.py", "DASHSCOPE_API_KEY = \"sk-\u{4f60}\u{7684}\u{5bc6}\u{94a5}\"\n"),
        ("i/config.py", "password = \"votre_mot_de_passe\"\n"),
        ("j/config.yaml", "smtp:\n  password: \"\u{30d1}\u{30b9}\u{30ef}\u{30fc}\u{30c9}\u{3092}\u{5165}\u{529b}\"\n"),
    ]);
    // A password with accented Latin letters in use is still a password.
    let mut f = Fake::new(4140);
    let real = format!("Contrase\u{f1}a{}", f.alnum(10));
    let files = vec![("k/.env".to_string(), format!("DB_PASSWORD={real}\n"))];
    let want = vec![("k/.env".to_string(), "accented password".to_string(), real)];
    assert!(missed_values(&files, &want).is_empty());
}
