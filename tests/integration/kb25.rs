//! Shapes of the peers' families that the coverage harness's LOOSE table had judged unreal, re-read at stop 25
//! (rules/kb25.toml, and `vendor-named-bare-credential-extra` widened): OpenWeather keys in a request URL's
//! `appid` parameter and in pyowm's `OWM(…)`, Twitch chat tokens written `oauth:<token>`, Ollama cloud keys
//! with Ollama on the line, and Civo, Lark, Travis CI and Bitbucket keys under the vendor's bare name.
//!
//! Values are generated (a seeded `Fake`) in the issued formats and written in several files and syntaxes;
//! near misses (a character short, the wrong case, a reference, a version) stay silent.

use crate::common::*;

const LOWER_ALNUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// Every file of `shapes` holds `secret`, reported by `rule`.
fn assert_found(shapes: &[(&str, String)], rule: &str, secret: &str) {
    let found = scan_files_by_path(shapes);
    for (name, text) in shapes {
        let got = found.get(*name).cloned().unwrap_or_default();
        assert!(
            got.contains(&(rule.to_string(), secret.to_string())),
            "{name} ({text:?}): {got:?}"
        );
    }
}

/// No file of `shapes` gives a finding of `rule`.
fn assert_not_by(shapes: &[(&str, String)], rule: &str) {
    let found = scan_files_by_path(shapes);
    for (name, got) in &found {
        assert!(got.iter().all(|(r, _)| r != rule), "{name}: {got:?}");
    }
}

/// No file of `shapes` gives a finding.
fn assert_silent(shapes: &[(&str, String)]) {
    let found = scan_files_by_path(shapes);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn openweather_keys_in_request_urls_and_pyowm_are_found() {
    let mut f = Fake::new(2501);
    let k = f.hex(32);
    let shapes = [
        ("weather.py", format!("url = \"https://api.openweathermap.org/data/2.5/weather?q=Lisbon&appid={k}&units=metric\"\n")),
        ("weather.js", format!("fetch(`https://api.openweathermap.org/data/2.5/forecast?lat=${{lat}}&lon=${{lon}}&APPID={k}`)\n")),
        ("fetch.sh", format!("curl -s \"https://api.openweathermap.org/data/3.0/onecall?lat=33.4&lon=-94.0&appid={k}\"\n")),
        ("README.md", format!("Try <http://api.openweathermap.org/data/2.5/weather?appid={k}&q=Porto> in a browser.\n")),
        ("bot.py", format!("import pyowm\nowm = pyowm.OWM('{k}')\n")),
        ("api.php", format!("$url = $base . \"&appid={k}\";\n")),
    ];
    assert_found(&shapes, "openweather-api-key-appid", &k);
}

#[test]
fn near_misses_of_openweather_keys_are_silent() {
    let mut f = Fake::new(2502);
    let k = f.hex(32);
    let short = &k[..31];
    let upper = k.to_uppercase();
    let shapes = [
        ("a.js", "fetch(`https://api.openweathermap.org/data/2.5/weather?q=${city}&appid=${API_KEY}`)\n".to_string()),
        ("b.py", "url = \"https://api.openweathermap.org/data/2.5/weather?q=Lisbon&appid={API key}\"\n".to_string()),
        ("c.py", format!("url = \"https://api.openweathermap.org/data/2.5/weather?q=Lisbon&appid={short}\"\n")),
        ("d.py", format!("url = \"https://api.openweathermap.org/data/2.5/weather?q=Lisbon&appid={upper}G\"\n")),
        ("e.py", "owm = pyowm.OWM(API_KEY)\n".to_string()),
    ];
    assert_silent(&shapes);
    // Wolfram|Alpha's `appid` in its own URL is Wolfram's AppID (wolframalpha-app-id, stop 42), not
    // an OpenWeather key.
    let wolfram = [(
        "f.py",
        format!(
            "url = \"https://api.wolframalpha.com/v2/query?input=pi&appid={}-{}\"\n",
            f.from_alphabet("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6),
            f.from_alphabet("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 10)
        ),
    )];
    let found = scan_files_by_path(&wolfram);
    assert!(
        found["f.py"]
            .iter()
            .all(|(r, _)| !r.starts_with("openweather")),
        "{found:?}"
    );
    assert!(
        found["f.py"]
            .iter()
            .any(|(r, _)| r == "wolframalpha-app-id"),
        "{found:?}"
    );
}

#[test]
fn twitch_chat_tokens_written_oauth_colon_are_found() {
    let mut f = Fake::new(2503);
    let t = f.from_alphabet(LOWER_ALNUM, 30);
    let shapes = [
        (".env", format!("TWITCH_OAUTH=oauth:{t}\n")),
        ("irc.txt", format!("PASS oauth:{t}\nNICK weatherbot\n")),
        ("bot.js", format!("const client = new tmi.Client({{ identity: {{ username: 'weatherbot', password: 'oauth:{t}' }}, channels: ['acme'] }});\n")),
        ("bot.py", format!("bot = commands.Bot(token=\"oauth:{t}\", prefix=\"!\")\n")),
        ("config.json", format!("{{\n  \"username\": \"weatherbot\",\n  \"password\": \"oauth:{t}\"\n}}\n")),
        ("config.yml", format!("twitch:\n  nick: weatherbot\n  pass: oauth:{t}\n")),
    ];
    assert_found(&shapes, "twitch-chat-oauth-token", &t);
}

#[test]
fn near_misses_of_twitch_chat_tokens_are_silent() {
    let mut f = Fake::new(2504);
    let t = f.from_alphabet(LOWER_ALNUM, 30);
    let mixed = format!("{}{}", &t[..15].to_uppercase(), &t[15..]);
    let shapes = [
        ("a.env", "TWITCH_OAUTH=oauth:${TWITCH_TOKEN}\n".to_string()),
        ("b.env", format!("OAUTH_CALLBACK=oauth:{}\n", &t[..29])),
        ("c.env", format!("CHAT=oauth:{mixed}Q\n")),
        (
            "d.py",
            "scope = \"urn:ietf:params:oauth:grant-type:jwt-bearer\"\n".to_string(),
        ),
        ("e.txt", format!("prefix oauth:{}\n", "x".repeat(30))),
    ];
    // An env file's own rule reads any value under a name there; this rule must not.
    assert_not_by(&shapes, "twitch-chat-oauth-token");
}

#[test]
fn ollama_cloud_keys_with_ollama_on_the_line_are_found() {
    let mut f = Fake::new(2505);
    let k = format!("{}.{}", f.hex(32), f.from_alphabet(URLSAFE, 24));
    let shapes = [
        ("providers.json", format!("{{\n  \"ollama\": \"{k}\",\n  \"local\": \"http://localhost:11434\"\n}}\n")),
        ("providers.yml", format!("keys:\n  ollama: {k}\n")),
        ("client.py", format!("client = Client(host=\"https://ollama.com\", headers={{\"Authorization\": \"Bearer {k}\"}})\n")),
        ("settings.toml", format!("[providers]\nollama = \"{k}\"\n")),
    ];
    assert_found(&shapes, "ollama-api-key", &k);
}

#[test]
fn near_misses_of_ollama_keys_are_silent() {
    let mut f = Fake::new(2506);
    let h = f.hex(32);
    let tail = f.from_alphabet(URLSAFE, 24);
    let shapes = [
        ("a.json", "{\"ollama\": \"llama3.1:8b\"}\n".to_string()),
        ("b.yml", "ollama: ${OLLAMA_API_KEY}\n".to_string()),
        (
            "c.json",
            format!("{{\"ollama\": \"{h}.{}\"}}\n", &tail[..21]),
        ),
        (
            "d.json",
            format!("{{\"ollama\": \"{}.{tail}\"}}\n", h.to_uppercase()),
        ),
    ];
    assert_silent(&shapes);
}

#[test]
fn civo_lark_travis_and_bitbucket_keys_under_the_bare_name_are_found() {
    let mut f = Fake::new(2507);
    for (vendor, n) in [
        ("civo", 50),
        ("lark", 32),
        ("travis", 22),
        ("bitbucket", 32),
    ] {
        let v = f.alnum(n);
        let shapes = [
            ("keys.yml", format!("providers:\n  {vendor}: {v}\n")),
            ("keys.json", format!("{{\"{vendor}\": \"{v}\"}}\n")),
            ("keys.py", format!("{vendor} = \"{v}\"\n")),
        ];
        assert_found(&shapes, "vendor-named-bare-credential-extra", &v);
    }
}

#[test]
fn bare_vendor_names_holding_versions_handles_or_urls_are_silent() {
    let shapes = [
        (
            "pyproject.toml",
            "[tool.poetry.dependencies]\nlark = \"^1.1.9\"\n".to_string(),
        ),
        (
            "badges.yml",
            "travis: octo-org/weather-station\n".to_string(),
        ),
        (
            "site.yml",
            "social:\n  bitbucket: weather-station-team\n".to_string(),
        ),
        (
            "notify.yml",
            "lark: https://open.larksuite.com/open-apis/bot/v2/hook/${LARK_HOOK}\n".to_string(),
        ),
        ("b.yml", format!("civo: {}\n", "x".repeat(50))),
    ];
    assert_silent(&shapes);
}
