//! Stop 26's shape matrix (issue 17): every family the issue names, and the families kb26 added from
//! kingfisher's newest rules (rules/kb26.toml), each written as a generated fake value in every shape a
//! credential is kept in: .env, YAML (plain, quoted, block, folded, nested), JSON (flat, nested, escaped),
//! TOML, .properties, .ini, XML (attribute, element), shell `export`, a Dockerfile's ENV, GitHub Actions'
//! `env:`, compose files, Terraform, and literals of Python, JS, TS, Go, Java, Kotlin, Rust, Swift, C,
//! Ruby, PHP and C# (assignment, map entry, call argument, constructor keyword, builder step, fallback
//! of an environment read), a URL query, a curl header, a notebook cell and a README's code block.
//!
//! One scan reads the whole matrix. A cell is found when a finding in its file overlaps the value's
//! secret. Every cell must be found but those `KNOWN_MISSES` lists (shapes the generic layer must read,
//! named in README's "Stop 26: the named families in every shape"); each family's format rule must find
//! its value in the core shapes; and near misses stay silent.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};

const UPPER_ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_ALNUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BECH32_UPPER: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
const DIGITS: &str = "0123456789";

/// Cells no rule reads yet: a CDATA value (Spring's `<property name="…"><value><![CDATA[…]]>`) under a
/// name that does not end with a credential's word, which `xml-cdata-named-secret` asks for. A positional
/// argument of a vendor-named client (`ParticleClient("…")`, `new FacebookClient("…")`) and the other
/// CDATA cells are read since stop 37 (rules/cd37.toml).
const KNOWN_MISSES: &[(&str, &str)] = &[
    ("sonarqube-bare", "xml-cdata"),
    ("facebook-key", "xml-cdata"),
];

/// Shapes where each family's format rule itself (not only a generic rule) must report the value.
const CORE_SHAPES: &[&str] = &[
    "env",
    "yaml-plain",
    "json",
    "toml",
    "properties",
    "py-assign",
    "go-assign",
    "java-assign",
    "shell-export",
];

fn families() -> Vec<Family> {
    let mut f = Fake::new(2601);
    // A numeric id of `n` digits, not opening 0 (the generator rejects one-character draws as
    // placeholders, so the first digit is not drawn alone).
    let d = |f: &mut Fake, n: usize| {
        let id = f.from_alphabet(DIGITS, n);
        if let Some(rest) = id.strip_prefix('0') {
            format!("7{rest}")
        } else {
            id
        }
    };
    let mut v = vec![
        fam(
            "slack-xoxb-short",
            &["slack", "bot", "token"],
            "Slack",
            format!("xoxb-{}-{}-{}", d(&mut f, 9), d(&mut f, 11), f.alnum(24)),
            "slack-bot-token",
        ),
        fam(
            "slack-xoxb-legacy",
            &["slack", "bot", "token"],
            "Slack",
            format!("xoxb-{}-{}", d(&mut f, 11), f.alnum(24)),
            "slack-bot-token",
        ),
        fam(
            "slack-xoxe",
            &["slack", "refresh", "token"],
            "Slack",
            format!("xoxe-1-{}", f.alnum(146)),
            "slack-config-or-refresh-token",
        ),
        fam(
            "slack-xoxe-xoxp",
            &["slack", "user", "token"],
            "Slack",
            format!("xoxe.xoxp-1-{}", f.alnum(160)),
            "slack-config-or-refresh-token",
        ),
        fam(
            "slack-xapp",
            &["slack", "app", "token"],
            "Slack",
            format!(
                "xapp-1-A{}-{}-{}",
                f.from_alphabet(UPPER_ALNUM, 10),
                d(&mut f, 13),
                f.hex(64)
            ),
            "slack-app-token",
        ),
        fam(
            "sourcegraph",
            &["sourcegraph", "access", "token"],
            "Sourcegraph",
            format!("sgp_{}_{}", f.hex(16), f.hex(40)),
            "sourcegraph-access-token",
        ),
        fam(
            "sourcegraph-legacy",
            &["src", "access", "token"],
            "Sourcegraph",
            format!("sgp_{}", f.hex(40)),
            "sourcegraph-access-token",
        ),
        fam(
            "particle",
            &["particle", "access", "token"],
            "Particle",
            f.hex(40),
            "particle-token-context",
        ),
        fam(
            "blynk",
            &["blynk", "auth", "token"],
            "Blynk",
            f.from_alphabet(URLSAFE, 32),
            "blynk-auth-token",
        ),
        fam(
            "sonarqube",
            &["sonar", "token"],
            "Sonar",
            format!("squ_{}", f.hex(40)),
            "sonarqube-token",
        ),
        fam(
            "sonarqube-bare",
            &["sonar", "login"],
            "Sonar",
            f.hex(40),
            "sonarqube-token-context",
        ),
        fam(
            "newrelic-user",
            &["new", "relic", "api", "key"],
            "NewRelic",
            format!("NRAK-{}", f.from_alphabet(UPPER_ALNUM, 27)),
            "new-relic-key",
        ),
        fam(
            "newrelic-license",
            &["new", "relic", "license", "key"],
            "NewRelic",
            format!("{}NRAL", f.hex(36)),
            "new-relic-key",
        ),
        fam(
            "newrelic-browser",
            &["new", "relic", "browser", "key"],
            "NewRelic",
            format!("NRJS-{}", f.hex(19)),
            "newrelic-browser-api-token",
        ),
        fam(
            "newrelic-insert",
            &["new", "relic", "insert", "key"],
            "NewRelic",
            format!("NRII-{}", f.from_alphabet(URLSAFE, 32)),
            "new-relic-key",
        ),
        fam(
            "newrelic-query",
            &["new", "relic", "query", "key"],
            "NewRelic",
            format!("NRIQ-{}", f.from_alphabet(URLSAFE, 32)),
            "newrelic-insights-query-key",
        ),
        fam(
            "newrelic-admin",
            &["new", "relic", "admin", "key"],
            "NewRelic",
            format!("NRAA-{}", f.hex(27)),
            "newrelic-admin-api-key",
        ),
        fam(
            "newrelic-rest",
            &["new", "relic", "rest", "key"],
            "NewRelic",
            format!("NRRA-{}", f.hex(42)),
            "newrelic-rest-api-key",
        ),
        fam(
            "okta",
            &["okta", "api", "token"],
            "Okta",
            format!("00{}", f.from_alphabet(URLSAFE, 40)),
            "okta-api-token",
        ),
        fam(
            "age",
            &["age", "secret", "key"],
            "Age",
            ["AGE-SECRET-KEY-1", &f.from_alphabet(BECH32_UPPER, 58)].concat(),
            "age-secret-key",
        ),
        fam(
            "facebook",
            &["facebook", "app", "secret"],
            "Facebook",
            f.hex(32),
            "facebook-app-secret",
        ),
        fam(
            "facebook-key",
            &["facebook", "key"],
            "Facebook",
            f.hex(32),
            "facebook-app-secret",
        ),
        fam(
            "stripe-rk",
            &["stripe", "restricted", "key"],
            "Stripe",
            ["rk_", "live_", &f.alnum(99)].concat(),
            "stripe-restricted-key",
        ),
        fam(
            "stripe-test",
            &["stripe", "secret", "key"],
            "Stripe",
            ["sk_", "test_", &f.alnum(99)].concat(),
            "stripe-test-secret-key",
        ),
        fam(
            "cloudflare-v1",
            &["cloudflare", "origin", "ca", "key"],
            "Cloudflare",
            format!("v1.0-{}-{}", f.hex(24), f.hex(146)),
            "cloudflare-origin-ca-key",
        ),
        fam(
            "intra42",
            &["intra", "client", "secret"],
            "Intra",
            format!("s-s4t2ud-{}", f.hex(64)),
            "intra42-client-secret",
        ),
        fam(
            "google-oauth",
            &["google", "client", "secret"],
            "Google",
            format!("GOCSPX-{}", f.from_alphabet(URLSAFE, 28)),
            "gcp-oauth-client-secret",
        ),
        fam(
            "google-oauth-legacy",
            &["google", "client", "secret"],
            "Google",
            f.from_alphabet(URLSAFE, 24),
            "google-oauth-client-secret-legacy",
        ),
        fam(
            "telegram-AA",
            &["telegram", "bot", "token"],
            "Telegram",
            format!("{}:AA{}", d(&mut f, 10), f.from_alphabet(URLSAFE, 33)),
            "telegram-bot-token",
        ),
        fam(
            "lichess",
            &["lichess", "token"],
            "Lichess",
            format!("lip_{}", f.alnum(20)),
            "lichess-personal-access-token",
        ),
        // rules/kb26.toml: families of kingfisher's newest rules.
        fam(
            "arcjet",
            &["arcjet", "key"],
            "Arcjet",
            format!("ajkey_{}", f.from_alphabet(LOWER_ALNUM, 26)),
            "arcjet-key",
        ),
        fam(
            "browserbase",
            &["browserbase", "api", "key"],
            "Browserbase",
            format!("bb_live_{}", f.from_alphabet(URLSAFE, 27)),
            "browserbase-api-key",
        ),
        fam(
            "calcom",
            &["cal", "api", "key"],
            "Cal",
            format!("cal_live_{}", f.alnum(32)),
            "calcom-api-key",
        ),
        fam(
            "builderio",
            &["builder", "private", "key"],
            "Builder",
            format!("bpk-{}", f.hex(32)),
            "builderio-private-key",
        ),
        fam(
            "crossmint",
            &["crossmint", "server", "key"],
            "Crossmint",
            format!("sk_production_{}", f.alnum(88)),
            "crossmint-server-key",
        ),
        fam(
            "deepl",
            &["deepl", "auth", "key"],
            "Deepl",
            format!("{}:fx", f.uuid()),
            "deepl-api-key",
        ),
    ];
    // Credentials inside a larger value: the finding must overlap the secret part.
    let (a, b) = (f.hex(8), f.hex(8));
    v.push(Family {
        key: "sidekiq-url",
        words: &["sidekiq", "source", "url"],
        vendor: "Sidekiq",
        value: format!("https://{a}:{b}@gems.contribsys.com/"),
        secret: format!("{a}:{b}"),
        rule: "sidekiq-sensitive-url",
        generic_shapes: true,
    });
    let (a, b) = (f.hex(8), f.hex(8));
    v.push(Family {
        key: "sidekiq-bundle",
        words: &["bundle", "gems", "contribsys", "com"],
        vendor: "Sidekiq",
        value: format!("{a}:{b}"),
        secret: format!("{a}:{b}"),
        rule: "sidekiq-secret",
        generic_shapes: false,
    });
    let key = format!("{}=", f.from_alphabet(BASE64, 43));
    v.push(Family {
        key: "signalr",
        words: &["azure", "signalr", "connection", "string"],
        vendor: "SignalR",
        value: format!(
            "Endpoint=https://acme-chat.service.signalr.net;AccessKey={key};Version=1.0;"
        ),
        secret: key,
        rule: "azure-signalr-access-key",
        generic_shapes: true,
    });
    v
}

/// (shape, file name, text) of every shape of `v` under the name `words`.
fn shapes(words: &[&str], vendor: &str, v: &str) -> Vec<Shape> {
    let e = words
        .iter()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    let s = words.join("_");
    let c = camel(words);
    let d = words.join(".");
    let p: String = words.iter().copied().map(cap).collect();
    // The name's words after the vendor's, for shapes nested under a section named for the vendor.
    let rest: &[&str] = if vendor == "NewRelic" {
        &words[2..]
    } else if words.len() > 1 && vendor.to_lowercase().starts_with(words[0]) {
        &words[1..]
    } else {
        words
    };
    let r_ = rest.join("_");
    let rc = camel(rest);
    let vl = vendor.to_lowercase();
    let w0 = words[0];
    vec![
        ("env", ".env", format!("{e}={v}\n")),
        ("yaml-plain", "config.yml", format!("{s}: {v}\n")),
        (
            "yaml-quoted",
            "config.yaml",
            format!("app:\n  {c}: \"{v}\"\n"),
        ),
        (
            "yaml-block",
            "values.yaml",
            format!("secrets:\n  {s}: |\n    {v}\n"),
        ),
        (
            "json",
            "config.json",
            format!("{{\n  \"{c}\": \"{v}\"\n}}\n"),
        ),
        ("toml", "config.toml", format!("[{w0}]\n{s} = \"{v}\"\n")),
        ("properties", "application.properties", format!("{d}={v}\n")),
        ("ini", "settings.ini", format!("[{w0}]\n{s} = {v}\n")),
        (
            "xml-attr",
            "App.config",
            format!("<appSettings>\n  <add key=\"{p}\" value=\"{v}\" />\n</appSettings>\n"),
        ),
        (
            "xml-elem",
            "config.xml",
            format!("<config>\n  <{c}>{v}</{c}>\n</config>\n"),
        ),
        ("shell-export", "setup.sh", format!("export {e}=\"{v}\"\n")),
        (
            "dockerfile",
            "Dockerfile",
            format!("FROM alpine:3.19\nENV {e}={v}\n"),
        ),
        (
            "gha-env",
            ".github/workflows/ci.yml",
            format!("jobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      {e}: {v}\n"),
        ),
        ("py-assign", "settings.py", format!("{e} = \"{v}\"\n")),
        (
            "py-dict",
            "conf.py",
            format!("CONFIG = {{\n    \"{s}\": \"{v}\",\n}}\n"),
        ),
        (
            "py-call",
            "client.py",
            format!("client = {vendor}Client(\"{v}\")\n"),
        ),
        (
            "py-kw",
            "app.py",
            format!("client = {vendor}Client({s}=\"{v}\")\n"),
        ),
        ("js-assign", "index.js", format!("const {c} = '{v}';\n")),
        (
            "js-object",
            "config.js",
            format!("module.exports = {{\n  {c}: '{v}',\n}};\n"),
        ),
        (
            "js-new",
            "api.js",
            format!("const client = new {vendor}({{ {c}: \"{v}\" }});\n"),
        ),
        (
            "ts-assign",
            "env.ts",
            format!("export const {c}: string = \"{v}\";\n"),
        ),
        (
            "go-assign",
            "main.go",
            format!("package main\n\nconst {c} = \"{v}\"\n"),
        ),
        (
            "go-map",
            "cfg.go",
            format!("package cfg\n\nvar Settings = map[string]string{{\n\t\"{s}\": \"{v}\",\n}}\n"),
        ),
        (
            "java-assign",
            "Config.java",
            format!("class Config {{\n    private static final String {e} = \"{v}\";\n}}\n"),
        ),
        (
            "java-put",
            "Setup.java",
            format!("class Setup {{\n  void run() {{ props.put(\"{d}\", \"{v}\"); }}\n}}\n"),
        ),
        ("ruby-assign", "config.rb", format!("{e} = '{v}'\n")),
        (
            "ruby-hash",
            "init.rb",
            format!("CONFIG = {{ {s}: '{v}' }}\n"),
        ),
        (
            "php-assign",
            "config.php",
            format!("<?php\n${c} = '{v}';\n"),
        ),
        (
            "php-array",
            "settings.php",
            format!("<?php\nreturn [\n    '{s}' => '{v}',\n];\n"),
        ),
        (
            "cs-assign",
            "Settings.cs",
            format!("class Settings {{\n    public const string {p} = \"{v}\";\n}}\n"),
        ),
        (
            "cs-new",
            "Program.cs",
            format!("var client = new {vendor}Client(\"{v}\");\n"),
        ),
        ("yaml-nested", "app.yml", format!("{vl}:\n  {r_}: {v}\n")),
        (
            "toml-section",
            "Settings.toml",
            format!("[{vl}]\n{r_} = \"{v}\"\n"),
        ),
        ("ini-section", "app.ini", format!("[{vendor}]\n{r_}={v}\n")),
        (
            "json-nested",
            "appsettings.json",
            format!("{{\n  \"{vendor}\": {{\n    \"{rc}\": \"{v}\"\n  }}\n}}\n"),
        ),
        ("env-single", ".env.local", format!("{e}='{v}'\n")),
        (
            "yaml-single",
            "docker-compose.yml",
            format!("services:\n  app:\n    environment:\n      {e}: '{v}'\n"),
        ),
        (
            "compose-list",
            "compose.yaml",
            format!("services:\n  app:\n    environment:\n      - {e}={v}\n"),
        ),
        (
            "yaml-folded",
            "k8s.yaml",
            format!("stringData:\n  {s}: >-\n    {v}\n"),
        ),
        (
            "json-escaped",
            "payload.json",
            format!("{{\"body\": \"{{\\\"{c}\\\": \\\"{v}\\\"}}\"}}\n"),
        ),
        ("props-colon", "gradle.properties", format!("{d} : {v}\n")),
        ("ini-colon", "setup.cfg", format!("[{w0}]\n{s}: {v}\n")),
        (
            "xml-single",
            "web.config",
            format!("<add key='{p}' value='{v}'/>\n"),
        ),
        (
            "xml-cdata",
            "beans.xml",
            format!("<property name=\"{c}\"><value><![CDATA[{v}]]></value></property>\n"),
        ),
        (
            "tf",
            "main.tf",
            format!("variable \"{s}\" {{\n  default = \"{v}\"\n}}\n"),
        ),
        ("kotlin", "Config.kt", format!("val {c} = \"{v}\"\n")),
        ("rust", "config.rs", format!("const {e}: &str = \"{v}\";\n")),
        ("swift", "Keys.swift", format!("let {c} = \"{v}\"\n")),
        ("c-define", "secrets.h", format!("#define {e} \"{v}\"\n")),
        (
            "go-struct",
            "client.go",
            format!("package x\n\nvar c = Config{{\n\t{p}: \"{v}\",\n}}\n"),
        ),
        (
            "java-builder",
            "Client.java",
            format!("class C {{ Object c = Client.builder().{c}(\"{v}\").build(); }}\n"),
        ),
        ("ruby-env", "boot.rb", format!("ENV['{e}'] ||= '{v}'\n")),
        (
            "php-define",
            "wp-config.php",
            format!("<?php\ndefine('{e}', '{v}');\n"),
        ),
        (
            "cs-dict",
            "Startup.cs",
            format!("var cfg = new Dictionary<string, string> {{ {{ \"{p}\", \"{v}\" }} }};\n"),
        ),
        (
            "py-getenv",
            "env.py",
            format!("key = os.getenv(\"{e}\", \"{v}\")\n"),
        ),
        (
            "js-env-or",
            "server.js",
            format!("const key = process.env.{e} || '{v}';\n"),
        ),
        ("powershell", "setup.ps1", format!("$env:{e} = \"{v}\"\n")),
        ("batch", "setup.bat", format!("set {e}={v}\n")),
        (
            "notebook",
            "nb.ipynb",
            format!("{{\"cells\": [{{\"source\": [\"{e} = \\\"{v}\\\"\\n\"]}}]}}\n"),
        ),
        (
            "markdown",
            "README.md",
            format!("```bash\nexport {e}={v}\n```\n"),
        ),
        (
            "api-key-header",
            "call2.sh",
            format!("curl -H 'X-Api-Key: {v}' https://api.example.com/v1/me\n"),
        ),
        (
            "url-query",
            "links.md",
            format!("See https://api.example.com/v1/me?{s}={v}&format=json\n"),
        ),
        (
            "curl-header",
            "call.sh",
            format!("curl -H \"Authorization: Bearer {v}\" https://api.example.com/v1/me\n"),
        ),
    ]
}

/// The shapes of one family its provider's documentation writes (a request URL, a header, a file).
fn own_shapes(key: &str, v: &str, f: &mut Fake) -> Vec<Shape> {
    match key {
        "sidekiq-bundle" => vec![
            ("bundle-env", ".bundle/config", format!("---\nBUNDLE_GEMS__CONTRIBSYS__COM: \"{v}\"\n")),
            ("bundle-cmd", "install.sh", format!("bundle config --local gems.contribsys.com {v}\n")),
            (
                "gemfile",
                "Gemfile",
                format!("source \"https://{v}@gems.contribsys.com/\" do\n  gem \"sidekiq-pro\"\nend\n"),
            ),
            ("docker-env", "Dockerfile", format!("ENV BUNDLE_ENTERPRISE__CONTRIBSYS__COM={v}\n")),
        ],
        "okta" => vec![(
            "ssws-header",
            "call.sh",
            format!("curl -H \"Authorization: SSWS {v}\" https://dev-123456.okta.com/api/v1/users\n"),
        )],
        "particle" => vec![(
            "api-url",
            "p.sh",
            format!("curl https://api.particle.io/v1/devices?access_token={v}\n"),
        )],
        "blynk" => vec![(
            "api-url",
            "b.py",
            format!("r = requests.get('https://blynk.cloud/external/api/get?token={v}&V1')\n"),
        )],
        "telegram-AA" => vec![(
            "api-url",
            "t.py",
            format!("URL = 'https://api.telegram.org/bot{v}/getMe'\n"),
        )],
        "google-oauth" | "google-oauth-legacy" => vec![(
            "client-json",
            "client_secret.json",
            format!(
                "{{\"web\":{{\"client_id\":\"{}-{}.apps.googleusercontent.com\",\"client_secret\":\"{v}\"}}}}\n",
                f.from_alphabet(DIGITS, 12),
                f.from_alphabet(LOWER_ALNUM, 32)
            ),
        )],
        _ => vec![],
    }
}

#[test]
fn every_named_family_is_found_in_every_shape() {
    let mut f = Fake::new(2602);
    let matrix = shape_matrix::scan(families(), shapes, |k, v| own_shapes(k, v, &mut f));
    shape_matrix::check(&matrix, CORE_SHAPES, false, KNOWN_MISSES, 2000);
}

#[test]
fn stripe_test_keys_are_reported_at_low_severity() {
    let mut f = Fake::new(2603);
    let test = ["sk_", "test_", &f.alnum(99)].concat();
    let restricted = ["rk_", "live_", &f.alnum(99)].concat();
    let files = [
        ("a.env", format!("STRIPE_SECRET_KEY={test}\n")),
        ("b.env", format!("STRIPE_RESTRICTED_KEY={restricted}\n")),
    ];
    let v = scan_files_json(&files);
    let rows = finding_rows(&v, |x| (x.s("path"), x.s("rule_id"), x.s("severity")));
    assert!(
        rows.contains(&(
            "a.env".to_string(),
            "stripe-test-secret-key".to_string(),
            "low".to_string()
        )),
        "{rows:?}"
    );
    let live = rows
        .iter()
        .find(|r| r.0 == "b.env" && r.1 == "stripe-restricted-key")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_ne!(live.2, "low", "{rows:?}");
}

#[test]
fn near_misses_of_the_new_families_are_silent() {
    let mut f = Fake::new(2604);
    let files = [
        // Placeholders after the prefix.
        ("a.env", format!("ARCJET_KEY=ajkey_{}\n", "x".repeat(26))),
        ("b.env", format!("BROWSERBASE_API_KEY=bb_live_{}\n", "x".repeat(27))),
        ("c.env", format!("BUILDER_PRIVATE_KEY=bpk-{}\n", "0".repeat(32))),
        // A character short.
        ("d.py", format!("k = \"ajkey_{}\"\n", f.from_alphabet(LOWER_ALNUM, 25))),
        ("e.py", format!("k = \"bpk-{}\"\n", f.hex(31))),
        ("f.py", format!("k = \"cal_live_{}\"\n", f.alnum(31))),
        // The client-side Crossmint key is public; a plain UUID is no DeepL key.
        ("g.js", format!("const key = \"ck_production_{}\";\n", f.alnum(40))),
        ("h.py", format!("request_id = \"{}\"\n", f.uuid())),
        // A SignalR connection string without a key, or with a placeholder.
        (
            "i.json",
            "{\"Azure:SignalR:ConnectionString\": \"Endpoint=https://acme.service.signalr.net;AuthType=azure.msi;Version=1.0;\"}\n"
                .to_string(),
        ),
        (
            "j.json",
            "{\"c\": \"Endpoint=https://acme.service.signalr.net;AccessKey=<access-key>;Version=1.0;\"}\n"
                .to_string(),
        ),
        // Telegram named, but a secret opening B, or one character short.
        (
            "m.env",
            format!("TELEGRAM_BOT_TOKEN=7301945528:B{}\n", f.from_alphabet(URLSAFE, 34)),
        ),
        (
            "n.env",
            format!("TELEGRAM_BOT_TOKEN=7301945528:A{}\n", f.from_alphabet(URLSAFE, 33)),
        ),
        // An Okta client built from the environment.
        ("k.py", "client = OktaClient(os.environ[\"OKTA_API_TOKEN\"])\n".to_string()),
        ("l.h", "#define SONAR_LOGIN SONAR_LOGIN_FROM_ENV\n".to_string()),
    ];
    // The format rules stay silent (a generic rule may still read `key = "…"` as a credential).
    let rules = [
        "arcjet-key",
        "browserbase-api-key",
        "calcom-api-key",
        "builderio-private-key",
        "crossmint-server-key",
        "deepl-api-key",
        "azure-signalr-access-key",
        "okta-api-token",
        "sonarqube-token-context",
        "telegram-bot-token-context",
    ];
    let found = scan_files_by_path(&files);
    let by_format: Vec<_> = found
        .iter()
        .flat_map(|(p, v)| v.iter().map(move |(r, _)| (p, r)))
        .filter(|(_, r)| rules.contains(&r.as_str()))
        .collect();
    assert!(by_format.is_empty(), "{found:#?}");
}

#[test]
fn telegram_tokens_opening_a_single_a_are_found_with_telegram_on_the_line() {
    let mut f = Fake::new(2605);
    // The secret opens `A` but not `AA`: reported only where the line says Telegram.
    let id = f.from_alphabet(DIGITS, 10).replacen('0', "7", 1);
    let body = f.from_alphabet(URLSAFE, 34);
    // The second character is not an A (the catalog's other rule reads `:AA`).
    let body = match body.strip_prefix('A') {
        Some(rest) => format!("B{rest}"),
        None => body,
    };
    let t = format!("{id}:A{body}");
    let shapes = [
        (".env", format!("TELEGRAM_BOT_TOKEN={t}\n")),
        (
            "bot.py",
            format!("requests.get(f\"https://api.telegram.org/bot{t}/getMe\")\n"),
        ),
        ("notify.sh", format!("apprise -b done tgram://{t}/\n")),
    ];
    let found = scan_files_by_path(&shapes);
    for (name, _) in &shapes {
        let got = found.get(*name).cloned().unwrap_or_default();
        assert!(
            got.contains(&("telegram-bot-token-context".to_string(), t.clone())),
            "{name}: {got:?}"
        );
    }
    let bare = [("ids.txt", format!("session = \"{t}\"\n"))];
    let found = scan_files_by_path(&bare);
    assert!(
        found
            .values()
            .flatten()
            .all(|(r, _)| !r.starts_with("telegram")),
        "{found:?}"
    );
}
