//! Stop 37's families (issue 17, rules/kb37.toml): credentials kingfisher's newer rules tree detects
//! that the catalog had no format rule for. Each family's value is generated here (the real alphabet
//! and length) and written in the shapes credentials are kept in: .env, YAML, JSON, TOML, .properties,
//! Python, Go, Java, shell `export`, a JS object, a PHP array, and nested under a section named for the
//! vendor; plus each provider's own shapes (a CLI line, a client constructor, a device configuration).
//! The family's format rule must report the value in every `CORE_SHAPES` cell and in its own shapes;
//! every other cell must be found by some rule but those `KNOWN_MISSES` lists; near misses (a value
//! cut short, a placeholder, a variable, a name without the vendor) stay silent.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::Engine as _;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// Shapes where each family's format rule itself must report the value.
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
    "js-object",
    "php-array",
];

/// Cells no rule reports (none today: every shape here keeps the vendor's name on the value's line,
/// which the context rules of rules/kb37.toml need). A cell that stops being found fails the test
/// unless it is listed here with its reason.
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// An Azure account key: 64 random bytes in standard base64 (86 characters and `==`).
fn azure_key(f: &mut Fake) -> String {
    base64::engine::general_purpose::STANDARD.encode(f.bytes(64))
}

fn families() -> Vec<Family> {
    let mut f = Fake::new(3701);
    vec![
        fam(
            "blockprotocol",
            &["block", "protocol", "api", "key"],
            "BlockProtocol",
            format!("b10ck5.{}.{}", f.alnum(32), f.alnum(36)),
            "blockprotocol-api-key",
        ),
        fam(
            "inngest-signing",
            &["inngest", "signing", "key"],
            "Inngest",
            format!("signkey-prod-{}", f.hex(64)),
            "inngest-signing-key",
        ),
        fam(
            "inngest-event",
            &["inngest", "event", "key"],
            "Inngest",
            f.from_alphabet(URLSAFE, 86),
            "inngest-event-key",
        ),
        fam(
            "liveblocks",
            &["liveblocks", "secret", "key"],
            "Liveblocks",
            format!("sk_prod_{}", f.from_alphabet(URLSAFE, 64)),
            "liveblocks-secret-key",
        ),
        fam(
            "hetzner",
            &["hcloud", "token"],
            "Hcloud",
            f.alnum(64),
            "hetzner-cloud-api-token",
        ),
        fam(
            "volcengine-ak",
            &["volc", "access", "key"],
            "Volc",
            format!("AKLT{}", f.alnum(43)),
            "volcengine-access-key-id",
        ),
        fam(
            "volcengine-ark",
            &["ark", "api", "key"],
            "Ark",
            f.uuid(),
            "volcengine-ark-api-key",
        ),
        fam(
            "unleash",
            &["unleash", "api", "token"],
            "Unleash",
            format!("default:production.{}", f.hex(56)),
            "unleash-api-token",
        ),
        fam(
            "ghost-admin",
            &["ghost", "admin", "api", "key"],
            "Ghost",
            format!("{}:{}", f.hex(24), f.hex(64)),
            "ghost-admin-api-key",
        ),
        fam(
            "ghost-content",
            &["ghost", "content", "api", "key"],
            "Ghost",
            f.hex(26),
            "ghost-content-api-key",
        ),
        fam(
            "clay",
            &["clay", "api", "key"],
            "Clay",
            f.hex(20),
            "clay-api-key",
        ),
        fam(
            "close",
            &["close", "api", "key"],
            "Close",
            format!("api_{}.{}", f.alnum(22), f.alnum(22)),
            "close-api-key",
        ),
        fam(
            "composio",
            &["composio", "api", "key"],
            "Composio",
            format!("ak_{}", f.alnum(20)),
            "composio-api-key",
        ),
        fam(
            "atlassian-pat",
            &["confluence", "pat"],
            "Confluence",
            f.atlassian_datacenter_pat(),
            "atlassian-datacenter-pat",
        ),
        fam(
            "cypress",
            &["cypress", "record", "key"],
            "Cypress",
            f.uuid(),
            "cypress-record-key",
        ),
        fam(
            "cosmos",
            &["cosmos", "db", "key"],
            "Cosmos",
            azure_key(&mut f),
            "azure-cosmosdb-key",
        ),
        fam(
            "functions",
            &["azure", "function", "key"],
            "Azure",
            format!("{}==", f.from_alphabet(URLSAFE, 54)),
            "azure-functions-key",
        ),
        fam(
            "modal",
            &["modal", "token", "secret"],
            "Modal",
            format!("as-{}", f.alnum(22)),
            "modal-token-secret",
        ),
        fam(
            "xata",
            &["xata", "api", "key"],
            "Xata",
            format!("xau_{}", f.alnum(33)),
            "xata-api-key",
        ),
        fam(
            "friendli",
            &["friendli", "token"],
            "Friendli",
            format!("flp_{}", f.alnum(46)),
            "friendli-api-token",
        ),
        fam(
            "mintlify",
            &["mintlify", "api", "key"],
            "Mintlify",
            format!("mint_{}", f.alnum(32)),
            "mintlify-api-key",
        ),
        fam(
            "loops",
            &["loops", "api", "key"],
            "Loops",
            f.hex(32),
            "loops-api-key",
        ),
        fam(
            "hackclub",
            &["hackclub", "api", "key"],
            "Hackclub",
            format!("sk-hc-v1-{}", f.hex(64)),
            "hackclub-ai-api-key",
        ),
        fam(
            "wpengine",
            &["wpengine", "api", "key"],
            "Wpengine",
            f.alnum(32),
            "wpengine-api-key",
        ),
        fam(
            "deviantart",
            &["deviantart", "access", "token"],
            "Deviantart",
            f.alnum(50),
            "deviantart-credential",
        ),
        fam(
            "flagsmith",
            &["flagsmith", "api", "key"],
            "Flagsmith",
            format!("{}.{}", f.alnum(8), f.alnum(32)),
            "flagsmith-organisation-api-key",
        ),
        fam(
            "infisical",
            &["infisical", "token"],
            "Infisical",
            format!("st.{}.{}.{}", f.alnum(24), f.hex(32), f.hex(32)),
            "infisical-service-token",
        ),
        fam(
            "kling",
            &["kling", "secret", "key"],
            "Kling",
            f.alnum(32),
            "klingai-secret-key",
        ),
    ]
}

/// The shapes of one family its provider's documentation writes (a CLI line, a constructor, a file).
fn own_shapes(key: &str, v: &str) -> Vec<Shape> {
    match key {
        "inngest-signing" => vec![(
            "serve",
            "api/inngest.ts",
            format!("export default serve({{ client: inngest, functions, signingKey: \"{v}\" }});\n"),
        )],
        "unleash" => vec![(
            "client",
            "flags.js",
            format!(
                "const unleash = initialize({{ url: 'https://unleash.example.com/api/', appName: 'shop', customHeaders: {{ Authorization: '{v}' }} }});\n"
            ),
        )],
        "ghost-admin" => vec![(
            "client",
            "publish.js",
            format!(
                "const api = new GhostAdminAPI({{ url: 'https://blog.example.com', key: '{v}', version: 'v5.0' }});\n"
            ),
        )],
        "ghost-content" => vec![(
            "client",
            "posts.js",
            format!(
                "const api = new GhostContentAPI({{ url: 'https://blog.example.com', key: '{v}', version: 'v5.0' }});\n"
            ),
        )],
        "cypress" => vec![(
            "cli",
            ".github/workflows/e2e.yml",
            format!("      - run: npx cypress run --record --key {v} --parallel\n"),
        )],
        "cosmos" => vec![(
            "client",
            "Program.cs",
            format!(
                "var client = new CosmosClient(\"https://shop.documents.azure.com:443/\", \"{v}\");\n"
            ),
        )],
        "functions" => vec![(
            "header",
            "call.sh",
            format!(
                "curl -H \"x-functions-key: {v}\" https://orders.azurewebsites.net/api/create\n"
            ),
        )],
        "modal" => vec![(
            "cli",
            "setup.sh",
            format!("modal token set --token-id ak-{} --token-secret {v}\n", "Q7".repeat(11)),
        )],
        "volcengine-ark" => vec![(
            "client",
            "chat.py",
            format!(
                "client = Ark(base_url=\"https://ark.cn-beijing.volces.com/api/v3\", api_key=\"{v}\")\n"
            ),
        )],
        _ => vec![],
    }
}

#[test]
fn every_kb37_family_is_found_in_every_shape() {
    let matrix = shape_matrix::scan(families(), shape_matrix::core_shapes, own_shapes);
    shape_matrix::check(&matrix, CORE_SHAPES, true, KNOWN_MISSES, 350);
}

/// Device configurations and DBI calls: the value is a password, not a token, so these families
/// have their own files rather than the name-by-name matrix.
#[test]
fn device_configs_and_dbi_calls_are_found() {
    let mut f = Fake::new(3702);
    let enable = f.alnum(14);
    let type7 = f.from_alphabet("0123456789ABCDEF", 22);
    let user_pw = f.alnum(12);
    let community = f.alnum(12);
    let pac = f.alnum(16);
    let perl_pw = f.alnum(14);
    let ruby_pw = f.alnum(14);
    let bw = f.alnum(30);
    let bw_env = f.alnum(30);
    let id = f.uuid();
    let files = [
        (
            "r1.cfg",
            format!(
                "hostname r1\n!\nenable password {enable}\n!\nusername admin privilege 15 password 7 {type7}\nusername ops password 0 {user_pw}\nsnmp-server community {community} RW\nradius server ise\n pac key {pac}\n"
            ),
        ),
        (
            "lib/db.pl",
            format!("my $dbh = DBI->connect($dsn, \"app\", \"{perl_pw}\", {{ RaiseError => 1 }});\n"),
        ),
        (
            "db.rb",
            format!("dbh = DBI.connect('DBI:Mysql:shop:localhost', 'shop', '{ruby_pw}')\n"),
        ),
        (
            "data.json",
            format!("{{\n  \"user_{id}_token_apiKeyClientSecret\": \"{bw}\"\n}}\n"),
        ),
        ("bw.sh", format!("export BW_CLIENTSECRET={bw_env}\n")),
    ];
    let found = scan_files_by_path(&files);
    let has = |path: &str, rule: &str, secret: &str| {
        found
            .get(path)
            .is_some_and(|v| v.iter().any(|(r, s)| r == rule && s == secret))
    };
    for (secret, rule) in [
        (&enable, "cisco-ios-config-password"),
        (&type7, "cisco-ios-config-password"),
        (&user_pw, "cisco-ios-config-password"),
        (&pac, "cisco-ios-config-password"),
        (&community, "snmp-community-rw"),
    ] {
        assert!(has("r1.cfg", rule, secret), "{rule}: {found:#?}");
    }
    assert!(
        has("lib/db.pl", "dbi-connect-password", &perl_pw),
        "{found:#?}"
    );
    assert!(has("db.rb", "dbi-connect-password", &ruby_pw), "{found:#?}");
    assert!(
        has("data.json", "bitwarden-api-client-secret", &bw),
        "{found:#?}"
    );
    assert!(
        has("bw.sh", "bitwarden-api-client-secret", &bw_env),
        "{found:#?}"
    );
}

#[test]
fn near_misses_of_the_kb37_families_are_silent() {
    let mut f = Fake::new(3703);
    let files = [
        // Cut short.
        (
            "a.env",
            format!(
                "BLOCK_PROTOCOL_API_KEY=b10ck5.{}.{}\n",
                f.alnum(32),
                f.alnum(20)
            ),
        ),
        (
            "b.env",
            format!("INNGEST_SIGNING_KEY=signkey-prod-{}\n", f.hex(40)),
        ),
        ("c.env", format!("HCLOUD_TOKEN={}\n", f.alnum(40))),
        ("d.env", format!("XATA_API_KEY=xau_{}\n", f.alnum(20))),
        ("e.env", format!("CLOSE_API_KEY=api_{}\n", f.alnum(22))),
        (
            "f.env",
            format!("CONFLUENCE_PAT={}\n", &f.atlassian_datacenter_pat()[..30]),
        ),
        // Placeholders after the prefix, and variables.
        (
            "g.env",
            format!("LIVEBLOCKS_SECRET_KEY=sk_prod_{}\n", "x".repeat(64)),
        ),
        ("h.env", format!("FRIENDLI_TOKEN=flp_{}\n", "x".repeat(46))),
        (
            "i.yml",
            "      - run: npx cypress run --record --key ${{ secrets.CYPRESS_RECORD_KEY }}\n"
                .to_string(),
        ),
        (
            "j.pl",
            "my $dbh = DBI->connect($dsn, $user, $password);\n".to_string(),
        ),
        (
            "k.sh",
            "curl -H \"x-functions-key: $FUNCTION_KEY\" https://x.azurewebsites.net/api/f\n"
                .to_string(),
        ),
        // The shape without the vendor's name: a UUID, 24:64 hex, 20 hex, a 64-character run.
        ("l.py", format!("request_id = \"{}\"\n", f.uuid())),
        ("m.txt", format!("commit {}:{}\n", f.hex(24), f.hex(64))),
        ("n.py", format!("checksum = \"{}\"\n", f.hex(20))),
        ("o.py", format!("digest = \"{}\"\n", f.alnum(64))),
        // A name that only starts like the vendor's; a default SNMP community; a read-only one.
        ("p.env", format!("SPARK_API_KEY={}\n", f.uuid())),
        ("q.cfg", "snmp-server community private RW\n".to_string()),
        (
            "r.cfg",
            format!("snmp-server community {} RO\n", f.alnum(12)),
        ),
        (
            "s.md",
            "To turn it on, enable password authentication\n".to_string(),
        ),
        // Composio's prefix under WooCommerce's name.
        ("t.env", format!("WOOCOMMERCE_KEY=ck_{}\n", f.alnum(20))),
    ];
    let rules = [
        "blockprotocol-api-key",
        "inngest-signing-key",
        "hetzner-cloud-api-token",
        "xata-api-key",
        "close-api-key",
        "atlassian-datacenter-pat",
        "liveblocks-secret-key",
        "friendli-api-token",
        "cypress-record-key",
        "dbi-connect-password",
        "azure-functions-key",
        "volcengine-ark-api-key",
        "ghost-admin-api-key",
        "clay-api-key",
        "snmp-community-rw",
        "cisco-ios-config-password",
        "composio-api-key",
        "stripe-prod-key",
    ];
    let found = scan_files_by_path(&files);
    let by_format: Vec<_> = found
        .iter()
        .flat_map(|(p, v)| v.iter().map(move |(r, s)| (p, r, s)))
        .filter(|(_, r, _)| rules.contains(&r.as_str()))
        .collect();
    assert!(by_format.is_empty(), "{by_format:#?}");
}

/// A Liveblocks secret key (`sk_prod_` + 64 URL-safe characters) is Liveblocks', not a Stripe key.
#[test]
fn liveblocks_keys_are_not_taken_for_stripe_keys() {
    let mut f = Fake::new(3704);
    let key = loop {
        let k = f.from_alphabet(URLSAFE, 64);
        if k.contains(['_', '-']) {
            break format!("sk_prod_{k}");
        }
    };
    let found = scan_files_by_path(&[("a.env", format!("LIVEBLOCKS_SECRET_KEY={key}\n"))]);
    let rules: Vec<_> = found.values().flatten().map(|(r, _)| r.as_str()).collect();
    assert_eq!(rules, ["liveblocks-secret-key"], "{found:#?}");
}
