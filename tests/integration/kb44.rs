//! Stop 44's families (issue 17, rules/kb44.toml): keys of the AI, data and SaaS tools of 2025-2026
//! whose format the providers' SDKs and documentation give, and that leakguard reported only by a
//! context rule (a credential word or the vendor's name beside them, the any-issuer `jwt` rule, the
//! generic `sk-` rule) or not at all: Wix API keys (`IST.` + JWT), Checkout.com sandbox secret keys,
//! dbt Cloud tokens, Stack Auth secret server keys, Luma AI, Runway, Humanloop, Mixedbread, Zep
//! Cloud, Letta and Browser Use keys and Retool workflow keys. Each value is generated here in the
//! provider's alphabet and length and written in the shapes people keep it in; the family's format
//! rule must report it in every cell, and near misses stay silent.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const BASE32_LOWER: &str = "abcdefghijklmnopqrstuvwxyz234567";
const CROCKFORD_LOWER: &str = "0123456789abcdefghjkmnpqrstvwxyz";

/// None: every cell is found by its family's rule.
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// A Wix API key: `IST.` and an RS256 JWT whose claims hold the key's id, identity and tenant as a
/// JSON string.
fn wix_key(f: &mut Fake) -> String {
    let header = format!(
        "{{\"kid\":\"{}\",\"alg\":\"RS256\"}}",
        f.from_alphabet(URLSAFE, 8)
    );
    let data = format!(
        "{{\\\"id\\\":\\\"{}\\\",\\\"identity\\\":{{\\\"type\\\":\\\"application\\\",\\\"id\\\":\\\"{}\\\"}},\\\"tenant\\\":{{\\\"type\\\":\\\"account\\\",\\\"id\\\":\\\"{}\\\"}}}}",
        f.uuid(),
        f.uuid(),
        f.uuid()
    );
    let claims = format!("{{\"data\":\"{data}\",\"iat\":1767225600}}");
    format!(
        "IST.{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims),
        f.from_alphabet(URLSAFE, 342)
    )
}

/// A Zep Cloud API key: `z_`, its `{"uuid":…}` claim in base64url without the leading `eyJ`, `.`
/// and an 86-character signature.
fn zep_key(f: &mut Fake) -> String {
    let claim = URL_SAFE_NO_PAD.encode(format!("{{\"uuid\":\"{}\"}}", f.uuid()));
    format!("z_{}.{}", &claim[3..], f.from_alphabet(URLSAFE, 86))
}

fn families(f: &mut Fake) -> Vec<Family> {
    vec![
        fam(
            "wix",
            &["wix", "api", "key"],
            "Wix",
            wix_key(f),
            "wix-api-key",
        ),
        fam(
            "checkout",
            &["checkout", "secret", "key"],
            "Checkout",
            format!("sk_sbox_{}", f.from_alphabet(BASE32_LOWER, 27)),
            "checkout-sandbox-secret-key",
        ),
        fam(
            "dbt",
            &["dbt", "cloud", "api", "token"],
            "DbtCloud",
            format!("dbtc_{}", f.from_alphabet(URLSAFE, 50)),
            "dbt-cloud-api-token",
        ),
        fam(
            "stack",
            &["stack", "secret", "server", "key"],
            "StackAuth",
            format!("ssk_{}", f.from_alphabet(CROCKFORD_LOWER, 45)),
            "stack-auth-secret-server-key",
        ),
        fam(
            "luma",
            &["lumaai", "api", "key"],
            "LumaAI",
            format!("luma-{}-{}", f.uuid(), f.uuid()),
            "luma-ai-api-key",
        ),
        fam(
            "runway",
            &["runwayml", "api", "secret"],
            "RunwayML",
            format!("key_{}", f.hex(128)),
            "runwayml-api-secret",
        ),
        fam(
            "humanloop",
            &["humanloop", "api", "key"],
            "Humanloop",
            format!("hl_sk_{}", f.hex(48)),
            "humanloop-api-key",
        ),
        fam(
            "mixedbread",
            &["mxbai", "api", "key"],
            "Mixedbread",
            format!("mxb_{}", f.alnum(28)),
            "mixedbread-api-key",
        ),
        fam(
            "zep",
            &["zep", "api", "key"],
            "Zep",
            zep_key(f),
            "zep-cloud-api-key",
        ),
        fam(
            "letta",
            &["letta", "api", "key"],
            "Letta",
            format!(
                "sk-let-{}",
                STANDARD.encode(format!("{}:{}", f.uuid(), f.uuid()))
            ),
            "letta-api-key",
        ),
        fam(
            "browser-use",
            &["browser", "use", "api", "key"],
            "BrowserUse",
            format!("bu_{}", f.from_alphabet(URLSAFE, 43)),
            "browser-use-api-key",
        ),
        fam(
            "retool",
            &["retool", "workflow", "api", "key"],
            "Retool",
            format!("retool_wk_{}", f.hex(32)),
            "retool-workflow-api-key",
        ),
    ]
}

/// The shapes a provider's documentation and SDKs write beyond name = value: client calls, headers,
/// commands.
fn own_shapes(key: &str, v: &str) -> Vec<Shape> {
    match key {
        "wix" => vec![
            (
                "sdk-strategy",
                "wix-client.ts",
                format!("const wix = createClient({{ modules: {{ products }}, auth: ApiKeyStrategy({{ siteId: process.env.WIX_SITE_ID, apiKey: '{v}' }}) }});\n"),
            ),
            (
                "requests",
                "wix_sync.py",
                format!("headers = {{\"Authorization\": \"{v}\", \"wix-site-id\": site_id}}\n"),
            ),
            (
                "curl",
                "query.sh",
                format!("curl -X POST https://www.wixapis.com/stores/v1/products/query -H \"Authorization: {v}\" -H \"wix-account-id: $ACCOUNT\"\n"),
            ),
        ],
        "checkout" => vec![
            (
                "node-sdk",
                "cko.js",
                format!("const cko = new Checkout('{v}', {{ pk: process.env.CKO_PUBLIC_KEY }});\n"),
            ),
            (
                "curl",
                "pay.sh",
                format!("curl https://api.sandbox.checkout.com/payments -H \"Authorization: Bearer {v}\" -d @payment.json\n"),
            ),
        ],
        "dbt" => vec![
            (
                "terraform",
                "provider.tf",
                format!("provider \"dbtcloud\" {{\n  account_id = 12345\n  token      = \"{v}\"\n  host_url   = \"https://cloud.getdbt.com/api\"\n}}\n"),
            ),
            (
                "requests",
                "dbt_runs.py",
                format!("r = requests.get(runs_url, headers={{\"Authorization\": \"Token {v}\"}})\n"),
            ),
        ],
        "stack" => vec![
            (
                "server-app",
                "stack.ts",
                format!("export const stackServerApp = new StackServerApp({{\n  tokenStore: \"nextjs-cookie\",\n  secretServerKey: \"{v}\",\n}});\n"),
            ),
            (
                "curl",
                "users.sh",
                format!("curl https://api.stack-auth.com/api/v1/users -H \"x-stack-access-type: server\" -H \"x-stack-secret-server-key: {v}\"\n"),
            ),
        ],
        "luma" => vec![
            (
                "js-client",
                "luma.ts",
                format!("const client = new LumaAI({{ authToken: '{v}' }});\n"),
            ),
            (
                "py-client",
                "luma.py",
                format!("client = LumaAI(auth_token=\"{v}\")\n"),
            ),
            (
                "curl",
                "gen.sh",
                format!("curl https://api.lumalabs.ai/dream-machine/v1/generations -H \"authorization: Bearer {v}\"\n"),
            ),
        ],
        "runway" => vec![
            (
                "js-client",
                "runway.ts",
                format!("const client = new RunwayML({{ apiKey: '{v}' }});\n"),
            ),
            (
                "py-client",
                "runway.py",
                format!("client = RunwayML(api_key=\"{v}\")\n"),
            ),
            (
                "curl",
                "video.sh",
                format!("curl https://api.dev.runwayml.com/v1/image_to_video -H \"Authorization: Bearer {v}\" -H \"X-Runway-Version: 2024-11-06\"\n"),
            ),
        ],
        "humanloop" => vec![
            (
                "py-client",
                "hl.py",
                format!("humanloop = Humanloop(api_key=\"{v}\")\n"),
            ),
            (
                "requests",
                "hl_http.py",
                format!("r = requests.get(\"https://api.humanloop.com/v5/prompts\", headers={{\"X-API-KEY\": \"{v}\"}})\n"),
            ),
        ],
        "mixedbread" => vec![
            (
                "js-client",
                "mxbai.ts",
                format!("export const mxbai = new Mixedbread({{ apiKey: \"{v}\" }});\n"),
            ),
            (
                "cli",
                "setup.sh",
                format!("mxbai config set api_key {v}\n"),
            ),
        ],
        "retool" => vec![
            (
                "fetch",
                "trigger.ts",
                format!("await fetch(url, {{ method: \"POST\", headers: {{ \"X-Workflow-Api-Key\": \"{v}\" }} }});\n"),
            ),
        ],
        "zep" => vec![
            (
                "py-client",
                "memory.py",
                format!("zep = Zep(api_key=\"{v}\")\n"),
            ),
            (
                "js-client",
                "memory.ts",
                format!("const zep = new ZepClient({{ apiKey: \"{v}\" }});\n"),
            ),
            (
                "requests",
                "zep_http.py",
                format!("r = requests.get(url, headers={{\"Authorization\": \"Api-Key {v}\"}})\n"),
            ),
        ],
        "letta" => vec![
            (
                "py-client",
                "agent.py",
                format!("client = Letta(token=\"{v}\")\n"),
            ),
            (
                "js-client",
                "agent.ts",
                format!("const client = new LettaClient({{ token: '{v}' }});\n"),
            ),
        ],
        "browser-use" => vec![
            (
                "py-client",
                "browse.py",
                format!("client = BrowserUse(api_key=\"{v}\")\n"),
            ),
            (
                "requests",
                "bu_http.py",
                format!("r = requests.post(url, json=task, headers={{\"X-Browser-Use-API-Key\": \"{v}\"}})\n"),
            ),
        ],
        _ => vec![],
    }
}

#[test]
fn every_kb44_family_is_found_in_every_shape() {
    let mut f = Fake::new(4401);
    let matrix = shape_matrix::scan(families(&mut f), shape_matrix::core_shapes, own_shapes);
    shape_matrix::check(
        &matrix,
        &shape_matrix::core_shape_names(),
        true,
        KNOWN_MISSES,
        140,
    );
}

/// A key in a curl request header that `curl-user-credentials` reads by the header's name
/// (`X-API-KEY`, `X-…-Api-Key`, `Authorization: Token …`/`Api-Key …`): the value is reported once,
/// and the two rules are of one rank, so the tie goes to the rule with fewer keywords, then the
/// one defined first: curl's. The same header written in a Python client stays the family's (the
/// matrix above).
#[test]
fn curl_headers_of_the_kb44_families_are_reported_once() {
    let mut f = Fake::new(4404);
    let keys = [
        (
            format!("dbtc_{}", f.from_alphabet(URLSAFE, 50)),
            "curl -H \"Authorization: Token {}\" https://cloud.getdbt.com/api/v2/accounts/1/runs/",
        ),
        (
            format!("hl_sk_{}", f.hex(48)),
            "curl https://api.humanloop.com/v5/prompts -H \"X-API-KEY: {}\"",
        ),
        (
            format!("bu_{}", f.from_alphabet(URLSAFE, 43)),
            "curl https://api.browser-use.com/api/v2/tasks -H \"X-Browser-Use-API-Key: {}\"",
        ),
        (
            format!("retool_wk_{}", f.hex(32)),
            "curl -X POST \"$URL\" -H \"X-Workflow-Api-Key: {}\"",
        ),
    ];
    let files: Vec<(String, String)> = keys
        .iter()
        .enumerate()
        .map(|(i, (k, line))| (format!("c{i}.sh"), format!("{}\n", line.replace("{}", k))))
        .collect();
    let want: Vec<_> = keys
        .iter()
        .enumerate()
        .map(|(i, (k, _))| {
            (
                format!("c{i}.sh"),
                format!("curl-user-credentials: {k}"),
                k.clone(),
                "curl-user-credentials",
            )
        })
        .collect();
    let missed = missed_values_each_of_its_rule(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:?}");
}

/// dbt's personal tokens (`dbtu_`) and Checkout.com keys of 26 and 28 characters.
#[test]
fn dbt_personal_tokens_and_checkout_key_lengths_are_found() {
    let mut f = Fake::new(4402);
    let keys = [
        (
            "dbt-cloud-api-token",
            format!("dbtu_{}", f.from_alphabet(URLSAFE, 50)),
        ),
        (
            "dbt-cloud-api-token",
            format!("dbtc_{}", f.from_alphabet(URLSAFE, 40)),
        ),
        (
            "checkout-sandbox-secret-key",
            format!("sk_sbox_{}", f.from_alphabet(BASE32_LOWER, 26)),
        ),
        (
            "checkout-sandbox-secret-key",
            format!("sk_sbox_{}", f.from_alphabet(BASE32_LOWER, 28)),
        ),
    ];
    let missed = missed_keys_of_rules(&keys);
    assert!(missed.is_empty(), "missed: {missed:?}");
}

/// Values cut short or one character long, placeholders, public keys beside the secret ones, the
/// prefixes inside identifiers: none is reported by rules/kb44.toml's rules.
#[test]
fn near_misses_of_the_kb44_families_are_silent() {
    let mut f = Fake::new(4403);
    let ours = [
        "wix-api-key",
        "checkout-sandbox-secret-key",
        "dbt-cloud-api-token",
        "stack-auth-secret-server-key",
        "luma-ai-api-key",
        "runwayml-api-secret",
        "humanloop-api-key",
        "mixedbread-api-key",
        "retool-workflow-api-key",
        "zep-cloud-api-key",
        "letta-api-key",
        "browser-use-api-key",
    ];
    let files = [
        // One character short (or long).
        (
            "a.env",
            format!(
                "CKO_SECRET_KEY=sk_sbox_{}\nCKO_SECRET_KEY2=sk_sbox_{}\nDBT_CLOUD_API_TOKEN=dbtc_{}\nSTACK_SECRET_SERVER_KEY=ssk_{}\nRUNWAYML_API_SECRET=key_{}\nRUNWAYML_API_SECRET2=key_{}\nHUMANLOOP_API_KEY=hl_sk_{}\nMXBAI_API_KEY=mxb_{}\nRETOOL_API_KEY=retool_wk_{}\nRETOOL_API_KEY2=retool_wk_{}\n",
                f.from_alphabet(BASE32_LOWER, 25),
                f.from_alphabet(BASE32_LOWER, 29),
                f.from_alphabet(URLSAFE, 39),
                f.from_alphabet(CROCKFORD_LOWER, 39),
                f.hex(127),
                f.hex(129),
                f.hex(47),
                f.alnum(27),
                f.hex(31),
                f.hex(33)
            ),
        ),
        // A Luma key of one UUID; a Wix key without its signature.
        (
            "b.env",
            format!(
                "LUMAAI_API_KEY=luma-{}\nWIX_API_KEY=IST.{}.{}\n",
                f.uuid(),
                URL_SAFE_NO_PAD.encode("{\"kid\":\"abcdefgh\",\"alg\":\"RS256\"}"),
                URL_SAFE_NO_PAD.encode(format!("{{\"data\":\"{}\"}}", f.uuid()))
            ),
        ),
        // A Zep key without its signature, a Letta key of one UUID, a Browser Use key one short.
        (
            "e.env",
            format!(
                "ZEP_API_KEY=z_{}\nLETTA_API_KEY=sk-let-{}\nBROWSER_USE_API_KEY=bu_{}\n",
                &URL_SAFE_NO_PAD.encode(format!("{{\"uuid\":\"{}\"}}", f.uuid()))[3..],
                STANDARD.encode(f.uuid()),
                f.from_alphabet(URLSAFE, 42)
            ),
        ),
        // Placeholders from the providers' documentation.
        (
            "c.env",
            "WIX_API_KEY=IST.eyJ...\nCKO_SECRET_KEY=sk_sbox_XXX\nDBT_CLOUD_API_TOKEN=dbtc_xxxxxxxxxxxxxxxxxxxx\nDBT_CLOUD_API_TOKEN2=dbtc_...\nSTACK_SECRET_SERVER_KEY=ssk_...\nLUMA_API_KEY=luma-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nRUNWAYML_API_SECRET=key_...\nHUMANLOOP_API_KEY=hl_sk_...\nMXBAI_API_KEY=mxb_xxxxx\nMXBAI_API_KEY2=mxb_your_api_key_here\nRETOOL_API_KEY=retool_wk_...\nZEP_API_KEY=z_1dWlk...\nLETTA_API_KEY=sk-let-your-api-key-here\nBROWSER_USE_API_KEY=bu_xxxxxxxxxxx\n"
                .to_string(),
        ),
        // The public keys beside the secret ones: Checkout.com's and Stack Auth's publishable keys.
        (
            "d.env",
            format!(
                "CKO_PUBLIC_KEY=pk_sbox_{}\nNEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY=pck_{}\n",
                f.from_alphabet(BASE32_LOWER, 27),
                f.from_alphabet(CROCKFORD_LOWER, 45)
            ),
        ),
        // The prefixes inside identifiers, and hex digests under a `key_` name.
        (
            "f.c",
            format!(
                "static int ssk_setup_the_session_keys_for_the_tls_handshake_state(void);\nconst char *seed = \"dbtc_vault\"; const char *mint = \"dbtc_mint_and_burn_of_the_wrapped_bitcoin_on_the_bridge\";\nint LIST.eyJx;\nvoid bu_initialise_the_default_handler_for_all_cpus(void);\nconst char *api_key_sha512 = \"{}\";\nconst char *d = \"key_sha512_{}\";\n",
                f.hex(128),
                f.hex(128)
            ),
        ),
    ];
    let hits = findings_of_rules(&files, &ours);
    assert!(hits.is_empty(), "near misses reported: {hits:#?}");
}
