//! Stop 40's families (issue 17, rules/kb40.toml and the Firecrawl and Voyage rules it widened):
//! credentials of kingfisher's newer catalog that no leakguard rule reported by their format: GoDaddy
//! API keys and secrets (and the `sso-key <key>:<secret>` header), Lacework API secrets (`_` + 31),
//! OVHcloud application keys, application secrets and consumer keys, Trend Micro Cloud One keys
//! (`tmc1…:…`) and Deep Security keys (`<uuid>:<uuid>:<base64>`), Huawei client secrets (64 hex),
//! Nango secret keys (a UUID), Turso tokens (a JWT), MiniMax Token Plan keys (`MINIMAX-` + 4 x 8),
//! DryRun Security keys (`dryrunsec_`), Mappedin keys and secrets (`mik_`/`mis_`), FullContact keys,
//! Hex.pm organization and API keys, and Voyage AI `al-` keys (beside `pa-`). Each value is
//! generated here in the provider's alphabet and length and written in the shapes people keep it
//! in; the family's format rule must report it in every cell, and near misses stay silent.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const MIXED_HEX: &str = "0123456789abcdefABCDEF";

/// None: every cell is found by its family's rule.
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// A UUID in the mixed case Deep Security prints.
fn mixed_uuid(f: &mut Fake) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        f.from_alphabet(MIXED_HEX, 8),
        f.from_alphabet(MIXED_HEX, 4),
        f.from_alphabet(MIXED_HEX, 4),
        f.from_alphabet(MIXED_HEX, 4),
        f.from_alphabet(MIXED_HEX, 12)
    )
}

fn deep_security_key(f: &mut Fake) -> String {
    let a = mixed_uuid(f);
    let b = mixed_uuid(f);
    let c = STANDARD.encode(f.bytes(32));
    format!("{a}:{b}:{c}")
}

fn cloud_one_key(f: &mut Fake) -> String {
    format!("tmc1{}:{}", f.alnum(27), f.alnum(64))
}

fn turso_token(f: &mut Fake) -> String {
    let claims = format!(
        "{{\"a\":\"rw\",\"iat\":17{},\"id\":\"{}\"}}",
        f.from_alphabet("0123456789", 8),
        f.uuid()
    );
    f.jwt("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}", &claims)
}

fn minimax_key(f: &mut Fake) -> String {
    let mut parts = vec!["MINIMAX".to_string()];
    for _ in 0..4 {
        parts.push(f.from_alphabet(UPPER_DIGITS, 8));
    }
    parts.join("-")
}

fn families() -> Vec<Family> {
    let mut f = Fake::new(4001);
    vec![
        fam(
            "godaddy-key",
            &["godaddy", "api", "key"],
            "Godaddy",
            f.alnum(37),
            "godaddy-api-credential",
        ),
        fam(
            "godaddy-secret",
            &["godaddy", "api", "secret"],
            "Godaddy",
            f.alnum(22),
            "godaddy-api-credential",
        ),
        fam(
            "lacework",
            &["lacework", "api", "secret"],
            "Lacework",
            format!("_{}", f.from_alphabet(LOWER_DIGITS, 31)),
            "lacework-api-secret",
        ),
        fam(
            "ovh-app-key",
            &["ovh", "application", "key"],
            "Ovh",
            f.alnum(16),
            "ovh-api-credential",
        ),
        fam(
            "ovh-app-secret",
            &["ovh", "application", "secret"],
            "Ovh",
            f.alnum(32),
            "ovh-api-credential",
        ),
        fam(
            "ovh-consumer",
            &["ovh", "consumer", "key"],
            "Ovh",
            f.alnum(32),
            "ovh-api-credential",
        ),
        fam(
            "cloud-one",
            &["trendmicro", "api", "key"],
            "Trendmicro",
            cloud_one_key(&mut f),
            "trendmicro-cloudone-api-key",
        ),
        fam(
            "deep-security",
            &["deep", "security", "api", "key"],
            "DeepSecurity",
            deep_security_key(&mut f),
            "trendmicro-deepsecurity-api-key",
        ),
        fam(
            "huawei",
            &["huawei", "client", "secret"],
            "Huawei",
            f.hex(64),
            "huawei-client-secret",
        ),
        fam(
            "nango",
            &["nango", "secret", "key"],
            "Nango",
            f.uuid(),
            "nango-secret-key",
        ),
        fam(
            "turso",
            &["turso", "auth", "token"],
            "Turso",
            turso_token(&mut f),
            // A well-formed JWT named Turso's: the rule naming its issuer is the finding (`jwt`
            // ranks under it, `any-issuer`, stop 42); turso-auth-token also takes the tokens the
            // JWT rule does not (godaddy_headers_and_other_own_forms_are_reported_by_their_rules).
            "turso-auth-token",
        ),
        fam(
            "minimax",
            &["minimax", "api", "key"],
            "Minimax",
            minimax_key(&mut f),
            "minimax-token-plan-key",
        ),
        fam(
            "dryrun",
            &["dryrun", "api", "key"],
            "Dryrun",
            format!("dryrunsec_{}", f.alnum(32)),
            "dryrunsecurity-api-key",
        ),
        fam(
            "mappedin-secret",
            &["mappedin", "secret"],
            "Mappedin",
            format!("mis_{}", f.alnum(51)),
            "mappedin-api-secret",
        ),
        fam(
            "mappedin-key",
            &["mappedin", "key"],
            "Mappedin",
            format!("mik_{}", f.alnum(25)),
            "mappedin-api-key",
        ),
        fam(
            "fullcontact",
            &["fullcontact", "api", "key"],
            "Fullcontact",
            f.alnum(32),
            "fullcontact-api-key",
        ),
        fam(
            "hexpm",
            &["hex", "organization", "key"],
            "Hex",
            f.hex(32),
            "hexpm-key",
        ),
        fam(
            "voyage",
            &["voyage", "api", "key"],
            "Voyage",
            format!("al-{}", f.from_alphabet(URLSAFE, 43)),
            "voyage-api-key",
        ),
    ]
}

/// The shapes a provider's documentation writes beyond name = value: a client constructor, an
/// HTTP header, and for the prefixed Cloud One key the value under a name that says nothing of the
/// vendor (the prefix is the evidence).
fn own_shapes(key: &str, v: &str) -> Vec<Shape> {
    match key {
        "cloud-one" => vec![
            (
                "header",
                "c1.py",
                format!("headers = {{\"Authorization\": \"ApiKey {v}\"}}\n"),
            ),
            ("neutral", "values.txt", format!("value = \"{v}\"\n")),
        ],
        "deep-security" => vec![(
            "header",
            "ds.sh",
            format!(
                "curl -H \"api-secret-key: {v}\" -H \"api-version: v1\" https://app.deepsecurity.trendmicro.com/api/policies\n"
            ),
        )],
        "voyage" => vec![(
            "client",
            "embed.py",
            format!("vo = voyageai.Client(api_key=\"{v}\")\n"),
        )],
        "dryrun" => vec![(
            "header",
            "scan.sh",
            format!("curl -H \"Authorization: Bearer {v}\" https://simple-api.dryrun.security/v1/accounts\n"),
        )],
        "mappedin-secret" => vec![(
            "client",
            "map.ts",
            format!("const mapData = await getMapData({{ key: KEY, secret: \"{v}\", mapId: MAP }});\n"),
        )],
        "fullcontact" => vec![(
            "header",
            "enrich.py",
            format!("headers = {{\"X-FullContact-APIKey\": \"{v}\"}}\n"),
        )],
        "hexpm" => vec![(
            "cli",
            "ci.sh",
            format!("mix hex.organization auth acme --key {v}\n"),
        )],
        "turso" => vec![(
            "client",
            "db.ts",
            format!("const client = createClient({{ url: process.env.TURSO_URL, authToken: \"{v}\" }}); // turso\n"),
        )],
        _ => vec![],
    }
}

#[test]
fn every_kb40_family_is_found_in_every_shape() {
    let matrix = shape_matrix::scan(families(), shape_matrix::core_shapes, own_shapes);
    shape_matrix::check(
        &matrix,
        &shape_matrix::core_shape_names(),
        true,
        KNOWN_MISSES,
        170,
    );
}

/// GoDaddy's `sso-key <key>:<secret>` header (a shell command, a Python dict, an HTTP file) is
/// reported whole by `godaddy-sso-key`, a mixed-case-hex Firecrawl key by `firecrawl-api-key`, and a
/// Turso token whose parts are too short for the JWT rule by `turso-auth-token`.
#[test]
fn godaddy_headers_and_other_own_forms_are_reported_by_their_rules() {
    let mut f = Fake::new(4002);
    let pair = |f: &mut Fake, n: usize| format!("{}:{}", f.alnum(n), f.alnum(22));
    let (a, b, c) = (pair(&mut f, 37), pair(&mut f, 35), pair(&mut f, 37));
    let fc = format!("fc-{}", f.from_alphabet(MIXED_HEX, 32));
    let short_jwt = format!(
        "eyJ{}.eyJ{}.{}",
        f.alnum(9),
        f.alnum(12),
        f.from_alphabet(URLSAFE, 10)
    );
    let files = vec![
        (
            "curl.sh".to_string(),
            format!("curl -s -H \"Authorization: sso-key {a}\" https://api.godaddy.com/v1/domains\n"),
        ),
        (
            "dns.py".to_string(),
            format!("headers = {{\"Authorization\": \"sso-key {b}\", \"Accept\": \"application/json\"}}\n"),
        ),
        (
            "req.http".to_string(),
            format!("GET https://api.ote-godaddy.com/v1/domains\nAuthorization: sso-key {c}\n"),
        ),
        ("crawl.env".to_string(), format!("FIRECRAWL_API_KEY={fc}\n")),
        (
            "turso.env".to_string(),
            format!("TURSO_AUTH_TOKEN={short_jwt}\n"),
        ),
    ];
    let want = vec![
        ("curl.sh".to_string(), "curl".to_string(), a),
        ("dns.py".to_string(), "python".to_string(), b),
        ("req.http".to_string(), "http".to_string(), c),
    ];
    let missed = missed_values_of_rule(&files, &want, "godaddy-sso-key");
    assert!(missed.is_empty(), "missed: {missed:?}");
    let want_fc = vec![("crawl.env".to_string(), "firecrawl".to_string(), fc)];
    let missed = missed_values_of_rule(&files, &want_fc, "firecrawl-api-key");
    assert!(missed.is_empty(), "missed: {missed:?}");
    let want_turso = vec![("turso.env".to_string(), "turso".to_string(), short_jwt)];
    let missed = missed_values_of_rule(&files, &want_turso, "turso-auth-token");
    assert!(missed.is_empty(), "missed: {missed:?}");
}

/// Values cut short or grown long, placeholders, the wrong alphabet, public ids beside their
/// secrets, a name without the vendor, the shapes without their context: none is reported by the
/// rules of rules/kb40.toml.
#[test]
fn near_misses_of_the_kb40_families_are_silent() {
    let mut f = Fake::new(4003);
    let ours = [
        "godaddy-sso-key",
        "godaddy-api-credential",
        "lacework-api-secret",
        "ovh-api-credential",
        "trendmicro-cloudone-api-key",
        "trendmicro-deepsecurity-api-key",
        "huawei-client-secret",
        "nango-secret-key",
        "turso-auth-token",
        "voyage-api-key",
        "minimax-token-plan-key",
        "dryrunsecurity-api-key",
        "mappedin-api-secret",
        "mappedin-api-key",
        "fullcontact-api-key",
        "hexpm-key",
    ];
    let ds = deep_security_key(&mut f);
    let ds_two = ds.rsplit_once(':').unwrap().0.to_string();
    let c1 = cloud_one_key(&mut f);
    let files = [
        // One character short.
        (
            "a.sh",
            format!(
                "curl -H \"Authorization: sso-key {}:{}\"\n",
                f.alnum(37),
                f.alnum(21)
            ),
        ),
        ("b.env", format!("GODADDY_API_SECRET={}\n", f.alnum(21))),
        (
            "c.env",
            format!(
                "LACEWORK_API_SECRET=_{}\n",
                f.from_alphabet(LOWER_DIGITS, 30)
            ),
        ),
        ("d.env", format!("OVH_APPLICATION_KEY={}\n", f.alnum(15))),
        ("e.env", format!("HUAWEI_CLIENT_SECRET={}\n", f.hex(63))),
        (
            "f.env",
            format!("VOYAGE_API_KEY=pa-{}\n", f.from_alphabet(URLSAFE, 42)),
        ),
        ("g.env", format!("C1_API_KEY={}\n", &c1[..c1.len() - 10])),
        (
            "ga.env",
            format!("MINIMAX_API_KEY={}\n", &minimax_key(&mut f)[..42]),
        ),
        (
            "gb.env",
            format!(
                "DRYRUN_API_KEY=dryrunsec_{}\nMAPPEDIN_KEY=mik_{}\nFULLCONTACT_API_KEY={}\nHEX_API_KEY={}\n",
                f.alnum(31),
                f.alnum(24),
                f.alnum(31),
                f.hex(31)
            ),
        ),
        // Identifiers that begin with a prefix, and a hex value under a name that is no Hex.pm key.
        (
            "gc.py",
            format!(
                "mis_configured_connections_for_the_downstream_service_total = 0\nhex_color_key = \"{}\"\n",
                f.hex(32)
            ),
        ),
        // Two parts of a Deep Security key, not three.
        ("h.env", format!("DEEP_SECURITY_API_KEY={ds_two}\n")),
        // Placeholders and variables.
        (
            "i.env",
            format!("OVH_CONSUMER_KEY={}\nNANGO_SECRET_KEY=${{NANGO_SECRET_KEY}}\nTURSO_AUTH_TOKEN=${{TURSO_AUTH_TOKEN}}\n", "x".repeat(32)),
        ),
        // Public ids beside their secrets.
        (
            "j.env",
            format!(
                "NANGO_PUBLIC_KEY={}\nHUAWEI_CLIENT_ID={}\nOVH_ENDPOINT=ovh-eu\n",
                f.uuid(),
                f.hex(64)
            ),
        ),
        // The values under names without the vendor, or the context words without the values.
        (
            "k.py",
            format!(
                "request_id = \"{}\"\nchecksum = \"{}\"\nsecret = \"{ds}\"\n",
                f.uuid(),
                f.hex(64)
            ),
        ),
        (
            "l.env",
            format!("EMBEDDING_KEY=pa-{}\n", f.from_alphabet(URLSAFE, 43)),
        ),
        (
            "m.md",
            "Use the `sso-key` scheme; see the Deep Security api-secret-key header, TURSO_AUTH_TOKEN and OVH application keys.\n"
                .to_string(),
        ),
        // The wrong alphabet: upper-case hex where Huawei writes lower case.
        (
            "n.env",
            format!("HUAWEI_APP_SECRET={}\n", f.hex(64).to_uppercase()),
        ),
    ];
    let hits = findings_of_rules(&files, &ours);
    assert!(hits.is_empty(), "near misses reported: {hits:#?}");
}
