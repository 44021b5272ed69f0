//! Stop 43's families (issue 17, rules/kb43.toml): credentials whose format the peers' newest
//! detectors or the providers' own code give, and that leakguard reported only by a context rule (a
//! credential word, a vendor's name or the generic `sk-` rule beside them) or not at all: Figma's
//! `figp_` tokens, Gitpod personal access tokens, Daytona, turbopuffer, CodeSandbox, GoldRush and Plain
//! keys, Helicone keys, Helius RPC URLs, Upstash QStash tokens and signing keys, Intercom
//! access tokens by their base64 `tok:` prefix, Livestorm tokens by their JWT claims' start and
//! ImageKit private keys. Each value is generated here in the provider's alphabet and length and
//! written in the shapes people keep it in; the family's format rule must report it in every cell,
//! and near misses stay silent.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const BASE32_LOWER: &str = "abcdefghijklmnopqrstuvwxyz234567";
const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// None: every cell is found by its family's rule.
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// A Helicone key: `sk-helicone-` and four groups of 7 base32 characters.
fn helicone_key(f: &mut Fake, kind: &str) -> String {
    let groups: Vec<String> = (0..4).map(|_| f.from_alphabet(BASE32_LOWER, 7)).collect();
    format!("{kind}-helicone-{}", groups.join("-"))
}

/// An Upstash QStash token: base64 of its user id and password.
fn qstash_token(f: &mut Fake) -> String {
    let json = format!(
        "{{\"UserID\":\"{}\",\"Password\":\"{}\"}}",
        f.uuid(),
        f.hex(32)
    );
    STANDARD.encode(json)
}

/// An Intercom access token: base64 of `tok:`, the token's id and its version fields.
fn intercom_token(f: &mut Fake) -> String {
    STANDARD.encode(format!("tok:{}:1:0", f.uuid().replace('-', "_")))
}

/// A Livestorm API token: an HS256 JWT for the api.livestorm.co audience.
fn livestorm_token(f: &mut Fake) -> String {
    let claims = format!(
        "{{\"aud\":\"api.livestorm.co\",\"jti\":\"{}\",\"iat\":1712345678,\"org\":\"{}\"}}",
        f.uuid(),
        f.uuid()
    );
    format!(
        "eyJhbGciOiJIUzI1NiJ9.{}.{}",
        URL_SAFE_NO_PAD.encode(claims),
        f.from_alphabet(URLSAFE, 43)
    )
}

fn families(f: &mut Fake) -> Vec<Family> {
    let mut v = vec![
        fam(
            "figma",
            &["figma", "access", "token"],
            "Figma",
            format!("figp_{}", f.from_alphabet(URLSAFE, 43)),
            "figma-pat-figp",
        ),
        fam(
            "gitpod",
            &["gitpod", "token"],
            "Gitpod",
            format!(
                "gitpod_pat_{}.{}",
                f.from_alphabet(URLSAFE, 43),
                f.alnum(40)
            ),
            "gitpod-personal-access-token",
        ),
        fam(
            "daytona",
            &["daytona", "api", "key"],
            "Daytona",
            format!("dtn_{}", f.hex(64)),
            "daytona-api-key",
        ),
        fam(
            "turbopuffer",
            &["turbopuffer", "api", "key"],
            "Turbopuffer",
            format!("tpuf_{}", f.alnum(32)),
            "turbopuffer-api-key",
        ),
        fam(
            "helicone",
            &["helicone", "api", "key"],
            "Helicone",
            helicone_key(f, "sk"),
            "helicone-api-key",
        ),
        fam(
            "codesandbox",
            &["csb", "api", "key"],
            "CodeSandbox",
            format!("csb_v1_{}", f.from_alphabet(URLSAFE, 43)),
            "codesandbox-api-token",
        ),
        fam(
            "goldrush",
            &["goldrush", "api", "key"],
            "GoldRush",
            format!("cqt_{}", f.from_alphabet(BASE58, 28)),
            "goldrush-api-key",
        ),
        fam(
            "qstash",
            &["qstash", "token"],
            "QStash",
            qstash_token(f),
            "upstash-qstash-token",
        ),
        fam(
            "qstash-signing",
            &["qstash", "current", "signing", "key"],
            "QStash",
            format!("sig_{}", f.from_alphabet(BASE58, 28)),
            "upstash-qstash-signing-key",
        ),
        fam(
            "plain",
            &["plain", "api", "key"],
            "Plain",
            format!("plainApiKey_{}", f.from_alphabet(URLSAFE, 43)),
            "plain-api-key",
        ),
        fam(
            "intercom",
            &["intercom", "access", "token"],
            "Intercom",
            intercom_token(f),
            "intercom-access-token-base64",
        ),
        fam(
            "livestorm",
            &["livestorm", "api", "token"],
            "Livestorm",
            livestorm_token(f),
            "livestorm-api-token",
        ),
        fam(
            "imagekit",
            &["imagekit", "private", "key"],
            "ImageKit",
            format!("private_{}", STANDARD.encode(f.bytes(20))),
            "imagekit-private-key",
        ),
    ];
    let k = f.uuid();
    v.push(Family {
        key: "helius",
        words: &["solana", "rpc", "url"],
        vendor: "Solana",
        value: format!("https://mainnet.helius-rpc.com/?api-key={k}"),
        secret: k,
        rule: "helius-api-key",
        generic_shapes: true,
    });
    v
}

/// The shapes a provider's documentation and SDKs write beyond name = value: client calls, headers,
/// commands.
fn own_shapes(key: &str, v: &str) -> Vec<Shape> {
    match key {
        "figma" => vec![
            (
                "curl",
                "export.sh",
                format!("curl -H \"X-Figma-Token: {v}\" https://api.figma.com/v1/files/abc\n"),
            ),
            (
                "requests",
                "figma.py",
                format!("r = requests.get(url, headers={{\"X-Figma-Token\": \"{v}\"}})\n"),
            ),
        ],
        "gitpod" => vec![
            (
                "go-client",
                "list.go",
                format!("gitpod, err := client.New(client.WithCredentials(\"{v}\"))\n"),
            ),
            (
                "curl",
                "start.sh",
                format!("curl -H \"Authorization: Bearer {v}\" https://api.gitpod.io/gitpod.v1.WorkspaceService/ListWorkspaces\n"),
            ),
        ],
        "daytona" => vec![
            (
                "py-config",
                "sandbox.py",
                format!("daytona = Daytona(DaytonaConfig(api_key=\"{v}\"))\n"),
            ),
            (
                "ts-client",
                "sandbox.ts",
                format!("const daytona = new Daytona({{ apiKey: '{v}' }});\n"),
            ),
        ],
        "turbopuffer" => vec![
            (
                "py-client",
                "index.py",
                format!("tpuf = Turbopuffer(api_key=\"{v}\", region=\"gcp-us-central1\")\n"),
            ),
            (
                "ts-client",
                "index.ts",
                format!("const tpuf = new Turbopuffer({{ apiKey: \"{v}\" }});\n"),
            ),
        ],
        "helicone" => vec![
            (
                "openai-headers",
                "llm.py",
                format!("client = OpenAI(base_url=\"https://oai.helicone.ai/v1\", default_headers={{\"Helicone-Auth\": \"Bearer {v}\"}})\n"),
            ),
            (
                "curl",
                "query.sh",
                format!("curl -H \"Authorization: Bearer {v}\" https://api.helicone.ai/v1/request/query\n"),
            ),
        ],
        "codesandbox" => vec![(
            "sdk",
            "server.js",
            format!("const sdk = new CodeSandbox(\"{v}\");\n"),
        )],
        "goldrush" => vec![
            (
                "sdk",
                "chains.ts",
                format!("const client = new GoldRushClient(\"{v}\");\n"),
            ),
            (
                "url",
                "balances.py",
                format!("r = requests.get(f\"https://api.covalenthq.com/v1/eth-mainnet/address/{{addr}}/balances_v2/?key={v}\")\n"),
            ),
        ],
        "qstash" => vec![
            (
                "client",
                "queue.ts",
                format!("const qstash = new Client({{ token: \"{v}\" }});\n"),
            ),
            (
                "curl",
                "publish.sh",
                format!("curl -XPOST -H \"Authorization: Bearer {v}\" https://qstash.upstash.io/v2/publish/https://example.com\n"),
            ),
        ],
        "qstash-signing" => vec![(
            "receiver",
            "verify.ts",
            format!("const receiver = new Receiver({{ currentSigningKey: \"{v}\", nextSigningKey: process.env.NEXT }});\n"),
        )],
        "plain" => vec![(
            "sdk",
            "support.ts",
            format!("const client = new PlainClient({{ apiKey: '{v}' }});\n"),
        )],
        "intercom" => vec![
            (
                "curl",
                "contacts.sh",
                format!("curl -H \"Authorization: Bearer {v}\" https://api.intercom.io/contacts\n"),
            ),
            (
                "py-client",
                "crm.py",
                format!("intercom = Client(personal_access_token=\"{v}\")\n"),
            ),
        ],
        "livestorm" => vec![(
            "header",
            "events.py",
            format!("r = requests.get(\"https://api.livestorm.co/v1/events\", headers={{\"Authorization\": \"{v}\"}})\n"),
        )],
        "imagekit" => vec![(
            "sdk",
            "upload.js",
            format!("const imagekit = new ImageKit({{ publicKey: process.env.IK_PUBLIC, privateKey: \"{v}\", urlEndpoint: \"https://ik.imagekit.io/acme\" }});\n"),
        )],
        "helius" => vec![
            (
                "web3-js",
                "rpc.ts",
                format!("const connection = new Connection(\"{v}\", \"confirmed\");\n"),
            ),
            (
                "wss",
                "stream.ts",
                format!(
                    "const ws = new WebSocket(\"{}\");\n",
                    v.replace("https://", "wss://")
                ),
            ),
            (
                "api-xyz",
                "history.py",
                format!(
                    "url = f\"https://api.helius.xyz/v0/addresses/{{addr}}/transactions?limit=50&api-key={}\"\n",
                    v.rsplit('=').next().unwrap()
                ),
            ),
        ],
        _ => vec![],
    }
}

#[test]
fn every_kb43_family_is_found_in_every_shape() {
    let mut f = Fake::new(4301);
    let matrix = shape_matrix::scan(families(&mut f), shape_matrix::core_shapes, own_shapes);
    shape_matrix::check(
        &matrix,
        &shape_matrix::core_shape_names(),
        true,
        KNOWN_MISSES,
        180,
    );
}

/// Helicone's read keys, EU keys and proxy keys (a key and its UUID), and Figma tokens of the other
/// lengths trufflehog's detector takes.
#[test]
fn helicone_and_figma_key_kinds_are_found() {
    let mut f = Fake::new(4302);
    let proxy = format!("{}-{}", helicone_key(&mut f, "sk"), f.uuid())
        .replace("sk-helicone-", "sk-helicone-proxy-");
    let keys = [
        ("helicone-api-key", helicone_key(&mut f, "pk")),
        (
            "helicone-api-key",
            helicone_key(&mut f, "sk").replace("sk-helicone-", "sk-helicone-eu-"),
        ),
        ("helicone-api-key", proxy),
        (
            "figma-pat-figp",
            format!("figp_{}", f.from_alphabet(URLSAFE, 40)),
        ),
        (
            "figma-pat-figp",
            format!("figp_{}", f.from_alphabet(URLSAFE, 54)),
        ),
    ];
    let missed = missed_keys_of_rules(&keys);
    assert!(missed.is_empty(), "missed: {missed:?}");
}

/// Values cut short or one character long, placeholders and variables, documentation defaults,
/// the prefixes inside identifiers and file names, keyless URLs: none is reported by
/// rules/kb43.toml's rules.
#[test]
fn near_misses_of_the_kb43_families_are_silent() {
    let mut f = Fake::new(4303);
    let ours = [
        "figma-pat-figp",
        "gitpod-personal-access-token",
        "daytona-api-key",
        "helius-api-key",
        "turbopuffer-api-key",
        "helicone-api-key",
        "codesandbox-api-token",
        "goldrush-api-key",
        "upstash-qstash-token",
        "upstash-qstash-signing-key",
        "plain-api-key",
        "intercom-access-token-base64",
        "livestorm-api-token",
        "imagekit-private-key",
    ];
    let files = [
        // One character short (or long).
        (
            "a.env",
            format!(
                "FIGMA_TOKEN=figp_{}\nDAYTONA_API_KEY=dtn_{}\nDAYTONA_API_KEY2=dtn_{}\nTURBOPUFFER_API_KEY=tpuf_{}\nCSB_API_KEY=csb_v1_{}\nCOVALENT_API_KEY=cqt_{}\nQSTASH_CURRENT_SIGNING_KEY=sig_{}\nQSTASH_NEXT_SIGNING_KEY=sig_{}\nPLAIN_API_KEY=plainApiKey_{}\n",
                f.from_alphabet(URLSAFE, 39),
                f.hex(63),
                f.hex(65),
                f.alnum(31),
                f.from_alphabet(URLSAFE, 42),
                f.from_alphabet(BASE58, 27),
                f.from_alphabet(BASE58, 27),
                f.from_alphabet(BASE58, 29),
                f.from_alphabet(URLSAFE, 42)
            ),
        ),
        // A Gitpod token without its value; a Helicone key of three groups.
        (
            "b.env",
            format!(
                "GITPOD_TOKEN=gitpod_pat_{}\nHELICONE_API_KEY=sk-helicone-{}-{}-{}\n",
                f.from_alphabet(URLSAFE, 43),
                f.from_alphabet(BASE32_LOWER, 7),
                f.from_alphabet(BASE32_LOWER, 7),
                f.from_alphabet(BASE32_LOWER, 7)
            ),
        ),
        // Placeholders and variables, documentation defaults.
        (
            "c.env",
            "FIGMA_TOKEN=figp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nGITPOD_TOKEN=gitpod_pat_example.personal-access-token\nDAYTONA_API_KEY=dtn_...\nTURBOPUFFER_API_KEY=tpuf_...\nHELICONE_API_KEY=sk-helicone-...\nQSTASH_TOKEN=eyJVc2VySUQiOi...\nQSTASH_TOKEN_DEV=eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=\nPLAIN_API_KEY=plainApiKey_xxx\nINTERCOM_ACCESS_TOKEN=dG9rOjxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nHELIUS_RPC_URL=https://devnet.helius-rpc.com/?api-key=YOUR_API_KEY\nIMAGEKIT_PRIVATE_KEY=private_key_from_imagekit\nIMAGEKIT_PRIVATE_KEY2=private_xxxxxxxxxxxx\n"
                .to_string(),
        ),
        // ImageKit's public key beside its private key; a JWT of another audience.
        (
            "d.env",
            format!(
                "IMAGEKIT_PUBLIC_KEY=public_{}\nLIVESTORM_API_TOKEN=eyJhbGciOiJIUzI1NiJ9.{}.{}\n",
                STANDARD.encode(f.bytes(20)),
                URL_SAFE_NO_PAD.encode(format!("{{\"aud\":\"api.example.com\",\"jti\":\"{}\"}}", f.uuid())),
                f.from_alphabet(URLSAFE, 43)
            ),
        ),
        // Keyless URLs, a key held in a variable.
        (
            "rpc.ts",
            "const a = \"https://mainnet.helius-rpc.com\";\nconst b = `https://mainnet.helius-rpc.com/?api-key=${key}`;\nconst c = \"https://mainnet.helius-rpc.com/?api-key=00000000-0000-0000-0000-000000000000\";\n"
                .to_string(),
        ),
        // The prefixes inside identifiers and file names.
        (
            "f.c",
            "static volatile sig_atomic_t got_the_terminate_signal_flag_for_tests;\n#include \"csb_v1_f0182_group_stop_attacking_pc34_compat.h\"\nint dtn_list_cast_test_for_the_bundle_protocol(void);\nconst char *v = \"cqt_chunk_v1\"; const char *n = \"cqt_spectral_flux_of_the_harmony_stem\";\nvoid refresh_tpuf_namespace_for_the_prefect_docs(void);\n"
                .to_string(),
        ),
    ];
    let hits = findings_of_rules(&files, &ours);
    assert!(hits.is_empty(), "near misses reported: {hits:#?}");
}
