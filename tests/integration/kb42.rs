//! Stop 42's families (issue 17, rules/kb42.toml and the rule it widened): credentials that the peers'
//! catalogs name and that leakguard found only by a context rule when a credential word stood beside
//! them, or not at all: Duo Security secret keys, age post-quantum identities, Ory API keys, session
//! and OAuth2 tokens, Pydantic Logfire tokens, Kaggle `KGAT_` tokens, neptune.ai tokens, Matrix
//! access tokens, Honeycomb ingest keys, Apollo GraphOS keys, UploadThing tokens, Appwrite keys,
//! Portainer tokens, the keys of Web3 RPC endpoints (QuickNode, Ankr, Chainstack, GetBlock, NodeReal,
//! Blast API, dRPC, Moralis) and Make webhooks. Each value is generated here in the provider's
//! alphabet and length and written in the shapes people keep it in; the family's format rule must
//! report it in every cell, and near misses stay silent. A second test holds Xata's widened rule to
//! the lengths and the `xao_` kind its encoder gives.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine as _;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BECH32_UPPER: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

/// None: every cell is found by its family's rule.
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// A neptune.ai API token: base64 of its address, URL and key.
fn neptune_token(f: &mut Fake) -> String {
    let json = format!(
        "{{\"api_address\":\"https://app.neptune.ai\",\"api_url\":\"https://app.neptune.ai\",\"api_key\":\"{}\"}}",
        f.uuid()
    );
    STANDARD.encode(json)
}

/// An UploadThing token: base64 (unpadded) of its API key, app id and regions.
fn uploadthing_token(f: &mut Fake) -> String {
    let json = format!(
        "{{\"apiKey\":\"sk_live_{}\",\"appId\":\"{}\",\"regions\":[\"sea1\"]}}",
        f.hex(64),
        f.from_alphabet(LOWER_DIGITS, 10)
    );
    STANDARD_NO_PAD.encode(json)
}

/// A Matrix (Synapse) access token: the localpart's unpadded base64url, 20 letters, a 6-character
/// checksum.
fn matrix_token(f: &mut Fake, localpart: &str) -> String {
    format!(
        "syt_{}_{}_{}",
        URL_SAFE_NO_PAD.encode(localpart),
        f.from_alphabet(LETTERS, 20),
        f.alnum(6)
    )
}

/// A family whose value is a URL and whose secret is the key inside it.
fn url_fam(key: &'static str, value: String, secret: String, rule: &'static str) -> Family {
    Family {
        key,
        words: &["eth", "rpc", "url"],
        vendor: "Rpc",
        value,
        secret,
        rule,
        generic_shapes: true,
    }
}

fn families(f: &mut Fake) -> Vec<Family> {
    let mut v = vec![
        fam(
            "duo",
            &["duo", "secret", "key"],
            "Duo",
            f.alnum(40),
            "duo-security-secret-key",
        ),
        fam(
            "age-pq",
            &["sops", "age", "key"],
            "Age",
            format!("AGE-SECRET-KEY-PQ-1{}", f.from_alphabet(BECH32_UPPER, 58)),
            "age-pq-secret-key",
        ),
        fam(
            "ory-api",
            &["ory", "api", "key"],
            "Ory",
            format!("ory_pat_{}", f.alnum(32)),
            "ory-api-key",
        ),
        fam(
            "ory-session",
            &["ory", "session", "token"],
            "Ory",
            format!("ory_st_{}", f.alnum(32)),
            "ory-token",
        ),
        fam(
            "ory-oauth2",
            &["ory", "access", "token"],
            "Ory",
            format!(
                "ory_at_{}.{}",
                f.from_alphabet(URLSAFE, 43),
                f.from_alphabet(URLSAFE, 43)
            ),
            "ory-token",
        ),
        fam(
            "logfire",
            &["logfire", "token"],
            "Logfire",
            format!("pylf_v1_us_{}", f.alnum(44)),
            "pydantic-logfire-token",
        ),
        fam(
            "kaggle",
            &["kaggle", "api", "token"],
            "Kaggle",
            format!("KGAT_{}", f.hex(32)),
            "kaggle-api-token",
        ),
        fam(
            "neptune",
            &["neptune", "api", "token"],
            "Neptune",
            neptune_token(f),
            "neptune-api-token",
        ),
        fam(
            "matrix",
            &["matrix", "access", "token"],
            "Matrix",
            matrix_token(f, "alert-bot"),
            "matrix-access-token",
        ),
        fam(
            "honeycomb",
            &["honeycomb", "api", "key"],
            "Honeycomb",
            format!("hcaik_{}", f.from_alphabet(LOWER_DIGITS, 58)),
            "honeycomb-ingest-key",
        ),
        fam(
            "apollo",
            &["apollo", "key"],
            "Apollo",
            format!("service:acme-graph:{}", f.from_alphabet(URLSAFE, 22)),
            "apollo-graphos-api-key",
        ),
        fam(
            "uploadthing",
            &["uploadthing", "token"],
            "Uploadthing",
            uploadthing_token(f),
            "uploadthing-token",
        ),
        fam(
            "appwrite",
            &["appwrite", "api", "key"],
            "Appwrite",
            format!("standard_{}", f.hex(256)),
            "appwrite-api-key",
        ),
        fam(
            "portainer",
            &["portainer", "api", "token"],
            "Portainer",
            format!("ptr_{}", f.from_alphabet(URLSAFE, 43)),
            "portainer-access-token",
        ),
    ];
    let k = f.hex(40);
    v.push(url_fam(
        "quicknode",
        format!("https://bold-quiet-meadow.solana-mainnet.quiknode.pro/{k}/"),
        k,
        "quicknode-endpoint-token",
    ));
    let k = f.hex(64);
    v.push(url_fam(
        "ankr",
        format!("https://rpc.ankr.com/eth/{k}"),
        k,
        "ankr-rpc-api-key",
    ));
    let k = f.hex(32);
    v.push(url_fam(
        "chainstack",
        format!("https://nd-422-757-666.p2pify.com/{k}"),
        k,
        "chainstack-node-key",
    ));
    let k = f.hex(32);
    v.push(url_fam(
        "getblock",
        format!("https://go.getblock.io/{k}"),
        k,
        "getblock-access-token",
    ));
    let k = f.hex(32);
    v.push(url_fam(
        "nodereal",
        format!("https://bsc-mainnet.nodereal.io/v1/{k}"),
        k,
        "nodereal-api-key",
    ));
    let k = f.uuid();
    v.push(url_fam(
        "blastapi",
        format!("https://eth-mainnet.blastapi.io/{k}"),
        k,
        "blastapi-project-id",
    ));
    let k = f.from_alphabet(URLSAFE, 44);
    v.push(url_fam(
        "drpc",
        format!("https://lb.drpc.org/ogrpc?network=ethereum&dkey={k}"),
        k,
        "drpc-api-key",
    ));
    let k = f.hex(32);
    v.push(url_fam(
        "moralis",
        format!("https://site1.moralis-nodes.com/eth/{k}"),
        k,
        "moralis-node-key",
    ));
    let k = f.from_alphabet(LOWER_DIGITS, 32);
    v.push(Family {
        key: "make",
        words: &["make", "webhook", "url"],
        vendor: "Make",
        value: format!("https://hook.eu1.make.com/{k}"),
        secret: k,
        rule: "make-webhook-url",
        generic_shapes: true,
    });
    v
}

/// The shapes a provider's documentation and tools write beyond name = value: its own config files,
/// client calls, headers, commands.
fn own_shapes(key: &str, v: &str) -> Vec<Shape> {
    let ikey = "DIWJ8X6AEYOR5OMC6TQ1";
    match key {
        "duo" => vec![
            (
                "login-duo",
                "login_duo.conf",
                format!("[duo]\nikey = {ikey}\nskey = {v}\nhost = api-3f9a1c2e.duosecurity.com\n"),
            ),
            (
                "authproxy",
                "authproxy.cfg",
                format!("[radius_server_auto]\nikey={ikey}\nskey={v}\napi_host=api-3f9a1c2e.duosecurity.com\nfailmode=safe\n"),
            ),
            (
                "admin-api",
                "sync.py",
                format!("admin_api = duo_client.Admin(ikey=\"{ikey}\", skey=\"{v}\", host=\"api-3f9a1c2e.duosecurity.com\")\n"),
            ),
            (
                "universal-py",
                "login.py",
                format!("duo_client = Client(\"{ikey}\", \"{v}\", \"api-3f9a1c2e.duosecurity.com\", \"https://app.acme.io/duo-callback\")\n"),
            ),
            (
                "universal-js",
                "duo.js",
                format!("const duoClient = new Client({{ clientId: '{ikey}', clientSecret: '{v}', apiHost: 'api-3f9a1c2e.duosecurity.com', redirectUrl }});\n"),
            ),
        ],
        "age-pq" => vec![(
            "identity-file",
            "keys.txt",
            format!("# created: 2026-11-30T10:00:00Z\n# public key: age1pq1qzx7\n{v}\n"),
        )],
        "ory-api" => vec![(
            "header",
            "admin.ts",
            format!("const res = await fetch(url, {{ headers: {{ Authorization: `Bearer {v}` }} }});\n"),
        )],
        "ory-session" => vec![(
            "curl",
            "whoami.sh",
            format!("curl -H \"X-Session-Token: {v}\" https://acme.projects.oryapis.com/sessions/whoami\n"),
        )],
        "logfire" => vec![(
            "configure",
            "app.py",
            format!("logfire.configure(token=\"{v}\", service_name=\"api\")\n"),
        )],
        "kaggle" => vec![
            (
                "kaggle-json",
                "kaggle.json",
                format!("{{\"username\":\"acme\",\"key\":\"{v}\"}}\n"),
            ),
            (
                "bearer",
                "fetch.sh",
                format!("curl -H \"Authorization: Bearer {v}\" https://www.kaggle.com/api/v1/datasets/list\n"),
            ),
        ],
        "neptune" => vec![
            (
                "init-run",
                "train.py",
                format!("run = neptune.init_run(project=\"acme/churn\", api_token=\"{v}\")\n"),
            ),
            (
                "logger",
                "lightning.py",
                format!("neptune_logger = NeptuneLogger(project=\"acme/churn\", api_key=\"{v}\")\n"),
            ),
        ],
        "matrix" => vec![(
            "curl",
            "notify.sh",
            format!("curl -H \"Authorization: Bearer {v}\" -X PUT https://matrix.acme.org/_matrix/client/v3/rooms/x/send/m.room.message/1\n"),
        )],
        "honeycomb" => vec![(
            "otel-header",
            "otel.env",
            format!("OTEL_EXPORTER_OTLP_HEADERS=\"x-honeycomb-team={v}\"\n"),
        )],
        "apollo" => vec![(
            "rover",
            "publish.sh",
            format!("rover graph publish acme-graph@current --schema schema.graphql --key {v}\n"),
        )],
        "uploadthing" => vec![("neutral", "values.txt", format!("value = \"{v}\"\n"))],
        "appwrite" => vec![(
            "sdk",
            "server.js",
            format!("client.setEndpoint(\"https://cloud.appwrite.io/v1\").setProject(\"acme\").setKey(\"{v}\");\n"),
        )],
        // (A curl -H "X-API-Key: …" line is curl-user-credentials' finding, of the same rank.)
        "portainer" => vec![(
            "header",
            "deploy.py",
            format!("r = requests.get(\"https://portainer.acme.io/api/endpoints\", headers={{\"X-API-Key\": \"{v}\"}})\n"),
        )],
        "quicknode" | "ankr" | "chainstack" | "getblock" | "nodereal" | "blastapi" | "drpc"
        | "moralis" => vec![
            (
                "web3-py",
                "chain.py",
                format!("w3 = Web3(Web3.HTTPProvider(\"{v}\"))\n"),
            ),
            (
                "ethers",
                "chain.ts",
                format!("const provider = new ethers.JsonRpcProvider('{v}');\n"),
            ),
            (
                "foundry",
                "foundry.toml",
                format!("[rpc_endpoints]\nmainnet = \"{v}\"\n"),
            ),
        ],
        "make" => vec![(
            "post",
            "notify.py",
            format!("requests.post(\"{v}\", json={{\"event\": \"signup\"}})\n"),
        )],
        _ => vec![],
    }
}

#[test]
fn every_kb42_family_is_found_in_every_shape() {
    let mut f = Fake::new(4201);
    let matrix = shape_matrix::scan(families(&mut f), shape_matrix::core_shapes, own_shapes);
    shape_matrix::check(
        &matrix,
        &shape_matrix::core_shape_names(),
        true,
        KNOWN_MISSES,
        300,
    );
}

/// Xata keys are base62 of 20 random bytes and a CRC32: 32 to 36 characters, after `xau_` (a user's
/// key) or `xao_` (an OAuth token); the rule took 33 after `xau_` only.
#[test]
fn xata_keys_of_every_length_and_kind_are_found() {
    let mut f = Fake::new(4202);
    let keys = [
        format!("xau_{}", f.alnum(32)),
        format!("xau_{}", f.alnum(35)),
        format!("xau_{}", f.alnum(36)),
        format!("xao_{}", f.alnum(34)),
    ];
    let files: Vec<(String, String)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (
                format!("x{i}.py"),
                format!("xata = XataClient(api_key=\"{k}\")\n"),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (format!("x{i}.py"), "xata-api-key".to_string(), k.clone()))
        .collect();
    let missed = missed_values_of_rule(&files, &want, "xata-api-key");
    assert!(missed.is_empty(), "xata-api-key missed: {missed:?}");
}

/// Values cut short or one character long, placeholders and variables, public parts beside their
/// secrets, the prefixes inside identifiers and prose, public RPC endpoints without a key: none is
/// reported by rules/kb42.toml's rules.
#[test]
fn near_misses_of_the_kb42_families_are_silent() {
    let mut f = Fake::new(4203);
    let ours = [
        "duo-security-secret-key",
        "age-pq-secret-key",
        "ory-api-key",
        "ory-token",
        "pydantic-logfire-token",
        "kaggle-api-token",
        "neptune-api-token",
        "matrix-access-token",
        "honeycomb-ingest-key",
        "apollo-graphos-api-key",
        "uploadthing-token",
        "appwrite-api-key",
        "portainer-access-token",
        "quicknode-endpoint-token",
        "ankr-rpc-api-key",
        "chainstack-node-key",
        "getblock-access-token",
        "nodereal-api-key",
        "blastapi-project-id",
        "drpc-api-key",
        "moralis-node-key",
        "make-webhook-url",
    ];
    let files = [
        // One character short (or long).
        (
            "a.env",
            format!(
                "DUO_SECRET_KEY={}\nSOPS_AGE_KEY=AGE-SECRET-KEY-PQ-1{}\nORY_SESSION_TOKEN=ory_st_{}\nKAGGLE_API_TOKEN=KGAT_{}\nHONEYCOMB_API_KEY=hcaik_{}\nAPPWRITE_API_KEY=standard_{}\nPORTAINER_TOKEN=ptr_{}\n",
                f.alnum(39),
                f.from_alphabet(BECH32_UPPER, 57),
                f.alnum(31),
                f.hex(31),
                f.from_alphabet(LOWER_DIGITS, 57),
                f.hex(255),
                f.from_alphabet(URLSAFE, 42)
            ),
        ),
        (
            "b.env",
            format!(
                "APOLLO_KEY=service:acme-graph:{}\nKAGGLE_API_TOKEN=KGAT_{}\nETH_RPC=https://rpc.ankr.com/eth/{}\nBSC_RPC=https://go.getblock.io/{}\n",
                f.from_alphabet(URLSAFE, 21),
                f.hex(33),
                f.hex(63),
                f.hex(31)
            ),
        ),
        // Placeholders and variables.
        (
            "c.env",
            format!(
                "skey = ${{DUO_SKEY}}\nORY_API_KEY=ory_pat_xxx\nLOGFIRE_TOKEN=pylf_v1_us_{}\nNEPTUNE_API_TOKEN=eyJhcGlfYWRkcmVzcyI6...\nUPLOADTHING_TOKEN=${{UPLOADTHING_TOKEN}}\nRPC_URL=https://bold-quiet-meadow.quiknode.pro/${{QUICKNODE_TOKEN}}/\nMAINNET_RPC=https://lb.drpc.org/ogrpc?network=ethereum&dkey=${{DRPC_KEY}}\nBLAST=https://eth-mainnet.blastapi.io/00000000-0000-0000-0000-000000000000\n",
                "x".repeat(44)
            ),
        ),
        // A Duo skey of hex only (a digest under the name), the integration key and host alone.
        (
            "login_duo.conf",
            format!(
                "[duo]\nikey = DIWJ8X6AEYOR5OMC6TQ1\nskey = {}\nhost = api-3f9a1c2e.duosecurity.com\n",
                f.hex(40)
            ),
        ),
        // Public endpoints and documentation pages without a key.
        (
            "rpc.ts",
            "const urls = [\"https://eth-mainnet.public.blastapi.io\", \"https://rpc.ankr.com/eth\", \"https://eth.drpc.org\", \"https://nd-422-757-666.p2pify.com/\", \"https://hook.eu1.make.com/\", \"https://www.make.com/en/help/tools/webhooks\"];\n"
                .to_string(),
        ),
        // The prefixes inside identifiers, the words in prose.
        (
            "f.c",
            "static char *ptr_to_the_first_element_of_the_input_buffer;\n/* see KGAT_for_ACL and CPC_Cx_STAT_CONF_CLKGAT_IMPL */\nint syt_from_localpart_with_a_long_name_for_tests_only(void);\nconst char *mode = \"standard_deviation_of_the_sample\";\n"
                .to_string(),
        ),
        (
            "compose.yaml",
            "services:\n  api:\n    image: service:frontend:v1.2.3\n    labels:\n      service: backend\n    environment:\n      - ORY_KRATOS_SESSION=ory_kratos_session\n"
                .to_string(),
        ),
        // An Ory OAuth2 token cut before its signature; a Matrix token without its checksum.
        (
            "g.env",
            format!(
                "ORY_ACCESS_TOKEN=ory_at_{}\nMATRIX_ACCESS_TOKEN=syt_{}_{}\n",
                f.from_alphabet(URLSAFE, 43),
                URL_SAFE_NO_PAD.encode("alice"),
                f.from_alphabet(LETTERS, 20)
            ),
        ),
        // Duo integration keys are identifiers: an ikey alone is no secret.
        (
            "h.py",
            format!(
                "DUO_IKEY = \"DI{}\"\nDUO_API_HOST = \"api-3f9a1c2e.duosecurity.com\"\n",
                f.from_alphabet(UPPER_DIGITS, 18)
            ),
        ),
    ];
    let hits = findings_of_rules(&files, &ours);
    assert!(hits.is_empty(), "near misses reported: {hits:#?}");
}
