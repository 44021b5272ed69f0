//! Stop 48's families (issue 17, rules/kb48.toml): credential formats that trufflehog's detectors
//! read by a format of their own (its main branch, and the 2026 detector branches for Dify, CAST AI,
//! Dynatrace and Elastic) and that leakguard reported only by a context rule or not at all: Dify app
//! and knowledge-base keys (after a Dify word), CAST AI keys, Dynatrace platform tokens and OAuth
//! client secrets, Azure API Management Git passwords, Fullstory keys, Alchemy `alcht_` tokens,
//! Scrapfly keys and BestTime private keys; and the two widened rules, Elastic Cloud `essu_` keys and
//! Portainer `ptr_` tokens in standard base64 (`+`, `/`, a closing `=`), the alphabet their issuers'
//! code writes. Each value is generated here in the provider's alphabet and length and written in the
//! shapes people keep it in; the family's format rule must report it in every cell, and near misses
//! stay silent.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// None: every cell is found by its family's rule.
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// A Dify key: its prefix and 24 letters and digits, a capital, a lower-case letter and a digit in
/// them (Dify draws from ascii_letters + digits).
fn dify_key(f: &mut Fake, prefix: &str) -> String {
    format!("{prefix}-{}", mixed_alnum(f, 24))
}

/// What API Management generates for its Git user: `git&`, the expiry (yyyyMMddHHmm), `&`, the
/// base64 of a 64-byte signature.
fn apim_git_value(f: &mut Fake) -> String {
    format!(
        "git&2027{:02}{:02}{:02}{:02}&{}",
        f.next() % 12 + 1,
        f.next() % 28 + 1,
        f.next() % 24,
        f.next() % 60,
        STANDARD.encode(f.bytes(64))
    )
}

/// Standard base64 of `n` random bytes holding `+` or `/` (the characters the widened rules take).
fn base64_with_signs(f: &mut Fake, n: usize) -> String {
    loop {
        let s = STANDARD.encode(f.bytes(n));
        if s.contains('+') || s.contains('/') {
            return s;
        }
    }
}

/// A Dynatrace platform token (`dt0s16`) or OAuth client secret (`dt0s02`): an 8-character public
/// id and a 64-character secret of capitals and digits.
fn dynatrace_token(f: &mut Fake, prefix: &str) -> String {
    format!(
        "{prefix}.{}.{}",
        f.from_alphabet(UPPER_DIGITS, 8),
        f.from_alphabet(UPPER_DIGITS, 64)
    )
}

fn families(f: &mut Fake) -> Vec<Family> {
    vec![
        fam(
            "dify",
            &["dify", "api", "key"],
            "Dify",
            dify_key(f, "app"),
            "dify-api-key",
        ),
        fam(
            "dify-dataset",
            &["dify", "dataset", "key"],
            "Dify",
            dify_key(f, "dataset"),
            "dify-api-key",
        ),
        fam(
            "castai",
            &["castai", "api", "token"],
            "CastAI",
            format!("castai_v1_{}_{}", f.hex(64), f.hex(8)),
            "castai-api-key",
        ),
        fam(
            "dynatrace",
            &["dt", "platform", "token"],
            "Dynatrace",
            dynatrace_token(f, "dt0s16"),
            "dynatrace-platform-token",
        ),
        fam(
            "apim",
            &["apim", "git", "password"],
            "AzureApim",
            apim_git_value(f),
            "azure-apim-git-password",
        ),
        fam(
            "fullstory",
            &["fullstory", "api", "key"],
            "Fullstory",
            format!("na1.{}", f.from_alphabet(BASE64, 100)),
            "fullstory-api-key",
        ),
        fam(
            "alchemy",
            &["alchemy", "auth", "token"],
            "Alchemy",
            format!("alcht_{}", mixed_alnum(f, 30)),
            "alchemy-access-token",
        ),
        fam(
            "scrapfly",
            &["scrapfly", "api", "key"],
            "Scrapfly",
            format!("scp-live-{}", f.hex(32)),
            "scrapfly-api-key",
        ),
        fam(
            "besttime",
            &["besttime", "api", "key", "private"],
            "BestTime",
            format!("pri_{}", f.hex(32)),
            "besttime-private-key",
        ),
        fam(
            "portainer",
            &["portainer", "api", "key"],
            "Portainer",
            format!("ptr_{}", base64_with_signs(f, 32)),
            "portainer-access-token",
        ),
        fam(
            "elastic",
            &["ec", "api", "key"],
            "ElasticCloud",
            format!("essu_{}", base64_with_signs(f, 69)),
            "elastic-cloud-api-key",
        ),
    ]
}

/// The shapes a provider's documentation and SDKs write beyond name = value: client calls, headers,
/// URLs, commands.
fn own_shapes(key: &str, v: &str) -> Vec<Shape> {
    match key {
        "dify" => vec![
            (
                "curl",
                "chat.sh",
                format!("curl -X POST 'https://api.dify.ai/v1/chat-messages' -H 'Authorization: Bearer {v}' -H 'Content-Type: application/json' -d @body.json\n"),
            ),
            (
                "js-client",
                "dify.ts",
                format!("const difyClient = new DifyClient('{v}', 'https://api.dify.ai/v1');\n"),
            ),
            (
                "requests",
                "workflow.py",
                format!("r = requests.post(\"https://api.dify.ai/v1/workflows/run\", headers={{\"Authorization\": \"Bearer {v}\"}}, json=payload)\n"),
            ),
        ],
        "dify-dataset" => vec![(
            "requests",
            "kb.py",
            format!("r = requests.get(\"https://api.dify.ai/v1/datasets\", headers={{\"Authorization\": \"Bearer {v}\"}})\n"),
        )],
        "castai" => vec![
            (
                "terraform",
                "provider.tf",
                format!("provider \"castai\" {{\n  api_url   = \"https://api.cast.ai\"\n  api_token = \"{v}\"\n}}\n"),
            ),
            (
                "helm",
                "install.sh",
                format!("helm upgrade -i castai-agent castai-helm/castai-agent -n castai-agent --set apiKey={v} --set provider=eks\n"),
            ),
            (
                "openai-client",
                "kimchi.py",
                format!("client = OpenAI(base_url=\"https://llm.kimchi.dev/openai/v1\", api_key=\"{v}\")\n"),
            ),
        ],
        "dynatrace" => vec![
            (
                "curl",
                "query.sh",
                format!("curl -X POST https://abc12345.apps.dynatrace.com/platform/storage/query/v1/query:execute -H \"Authorization: Bearer {v}\" -d @query.json\n"),
            ),
            (
                "requests",
                "grail.py",
                format!("headers = {{\"Authorization\": f\"Bearer {v}\", \"Content-Type\": \"application/json\"}}\n"),
            ),
        ],
        "apim" => vec![
            (
                "git-url",
                "clone.sh",
                format!(
                    "git clone https://apim:{}@contoso.scm.azure-api.net\n",
                    v.replace('&', "%26")
                        .replace('+', "%2B")
                        .replace('/', "%2F")
                        .replace('=', "%3D")
                ),
            ),
            (
                "comment",
                "README.txt",
                format!("Clone with user apim and password {v} (expires next year).\n"),
            ),
        ],
        "fullstory" => vec![
            (
                "requests",
                "fs_users.py",
                format!("r = requests.get(\"https://api.fullstory.com/v2/users\", headers={{\"Authorization\": \"Basic {v}\"}})\n"),
            ),
            (
                "fetch",
                "fs.ts",
                format!("await fetch(\"https://api.fullstory.com/v2/events\", {{ method: \"POST\", headers: {{ Authorization: `Basic {v}` }}, body }});\n"),
            ),
        ],
        "alchemy" => vec![
            (
                "rpc-url",
                "provider.ts",
                format!("const provider = new JsonRpcProvider(\"https://eth-mainnet.g.alchemy.com/v2/{v}\");\n"),
            ),
            (
                "sdk",
                "notify.ts",
                format!("const alchemy = new Alchemy({{ authToken: \"{v}\", network: Network.ETH_MAINNET }});\n"),
            ),
            (
                "requests",
                "webhooks.py",
                format!("r = requests.get(\"https://dashboard.alchemy.com/api/team-webhooks\", headers={{\"X-Alchemy-Token\": \"{v}\"}})\n"),
            ),
        ],
        "scrapfly" => vec![
            (
                "py-client",
                "scrape.py",
                format!("scrapfly = ScrapflyClient(key=\"{v}\", max_concurrency=2)\n"),
            ),
            (
                "crewai-tool",
                "tools.py",
                format!("scrape_tool = ScrapflyScrapeWebsiteTool(api_key=\"{v}\")\n"),
            ),
        ],
        "besttime" => vec![
            (
                "requests",
                "forecast.py",
                format!("params = {{\"api_key_private\": \"{v}\", \"venue_name\": name, \"venue_address\": address}}\n"),
            ),
            (
                "url",
                "forecast.sh",
                format!("curl -X POST \"https://besttime.app/api/v1/forecasts?api_key_private={v}&venue_name=McDonalds\"\n"),
            ),
        ],
        "portainer" => vec![(
            "requests",
            "stacks.py",
            format!("r = requests.get(\"https://portainer.example.org/api/stacks\", headers={{\"X-API-Key\": \"{v}\"}})\n"),
        )],
        "elastic" => vec![(
            "terraform",
            "ec.tf",
            format!("provider \"ec\" {{\n  apikey = \"{v}\"\n}}\n"),
        )],
        _ => vec![],
    }
}

#[test]
fn every_kb48_family_is_found_in_every_shape() {
    let mut f = Fake::new(4801);
    let matrix = shape_matrix::scan(families(&mut f), shape_matrix::core_shapes, own_shapes);
    shape_matrix::check(
        &matrix,
        &shape_matrix::core_shape_names(),
        true,
        KNOWN_MISSES,
        170,
    );
}

/// The families' other kinds and lengths: Dynatrace OAuth client secrets (`dt0s02`), Scrapfly test
/// keys, Fullstory EU keys, Portainer and Elastic keys of base64url letters (what the rules read
/// before), an API Management password whose signature holds no sign.
#[test]
fn the_kb48_families_other_kinds_are_found() {
    let mut f = Fake::new(4802);
    let keys = [
        (
            "dynatrace-platform-token",
            dynatrace_token(&mut f, "dt0s02"),
        ),
        ("scrapfly-api-key", format!("scp-test-{}", f.hex(32))),
        (
            "fullstory-api-key",
            format!("eu1.{}", f.from_alphabet(BASE64, 100)),
        ),
        (
            "portainer-access-token",
            format!(
                "ptr_{}",
                f.from_alphabet(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                    43
                )
            ),
        ),
        (
            "elastic-cloud-api-key",
            format!(
                "essu_{}",
                f.from_alphabet(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                    88
                )
            ),
        ),
        (
            "azure-apim-git-password",
            format!(
                "git&202801010000&{}==",
                f.from_alphabet(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                    86
                )
            ),
        ),
    ];
    let missed = missed_keys_of_rules(&keys);
    assert!(missed.is_empty(), "missed: {missed:?}");
}

/// Values cut short or one character long, placeholders, public ids and keys beside the secret
/// ones, the prefixes inside identifiers and file names, a Dify-shaped key with no Dify word on its
/// line (or only `modify`): none is reported by rules/kb48.toml's rules.
#[test]
fn near_misses_of_the_kb48_families_are_silent() {
    let mut f = Fake::new(4803);
    let ours = [
        "dify-api-key",
        "castai-api-key",
        "dynatrace-platform-token",
        "azure-apim-git-password",
        "fullstory-api-key",
        "alchemy-access-token",
        "scrapfly-api-key",
        "besttime-private-key",
    ];
    let apim = apim_git_value(&mut f);
    let files = [
        // One character short (or long).
        (
            "a.env",
            format!(
                "DIFY_API_KEY=app-{}\nDIFY_API_KEY2=app-{}\nCASTAI_API_TOKEN=castai_v1_{}_{}\nCASTAI_API_TOKEN2=castai_v1_{}_{}\nDT_PLATFORM_TOKEN=dt0s16.{}.{}\nFULLSTORY_API_KEY=na1.{}\nALCHEMY_AUTH_TOKEN=alcht_{}\nALCHEMY_AUTH_TOKEN2=alcht_{}\nSCRAPFLY_API_KEY=scp-live-{}\nBESTTIME_API_KEY_PRIVATE=pri_{}\nBESTTIME_API_KEY_PRIVATE2=pri_{}\n",
                mixed_alnum(&mut f, 23),
                mixed_alnum(&mut f, 25),
                f.hex(63),
                f.hex(8),
                f.hex(64),
                f.hex(7),
                f.from_alphabet(UPPER_DIGITS, 8),
                f.from_alphabet(UPPER_DIGITS, 63),
                f.from_alphabet(BASE64, 99),
                mixed_alnum(&mut f, 29),
                mixed_alnum(&mut f, 31),
                f.hex(31),
                f.hex(31),
                f.hex(33)
            ),
        ),
        // An API Management password without its padding, with an 8-digit expiry, or a character
        // short; a CAST AI key without its suffix; a Dynatrace secret in lower case.
        (
            "b.env",
            format!(
                "APIM_GIT_PASSWORD={}\nAPIM_GIT_PASSWORD2=git&20270519{}\nAPIM_GIT_PASSWORD3={}==\nCASTAI_API_TOKEN=castai_v1_{}\nDT_PLATFORM_TOKEN=dt0s16.{}.{}\n",
                apim.trim_end_matches('='),
                &apim[16..],
                &apim[..apim.len() - 3],
                f.hex(64),
                f.from_alphabet(UPPER_DIGITS, 8),
                f.hex(64)
            ),
        ),
        // Placeholders from the providers' documentation and users' templates.
        (
            "c.env",
            "DIFY_API_KEY=app-xxxxxxxxxxxxxxxxxxxxxxxx\nDIFY_API_KEY2=app-your-dify-app-key-here\nDIFY_DATASET_KEY=dataset-XXXXXXXXXXXXXXXXXXXXXXXX\nCASTAI_API_TOKEN=castai_v1_xxxxxxxxxx\nDT_PLATFORM_TOKEN=dt0s16.SAMPLE.abcd1234\nDT_PLATFORM_TOKEN2=dt0s16.XXXXXXXX.XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\nFULLSTORY_API_KEY=na1.short\nALCHEMY_AUTH_TOKEN=alcht_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nSCRAPFLY_API_KEY=scp-live-your-key-here\nBESTTIME_API_KEY_PRIVATE=pri_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
                .to_string(),
        ),
        // Public ids and keys: a Dynatrace OAuth client id, BestTime's public key, Fullstory's EU
        // host.
        (
            "d.env",
            format!(
                "DT_OAUTH_CLIENT_ID=dt0s02.{}\nBESTTIME_API_KEY_PUBLIC=pub_{}\nFULLSTORY_HOST=app.eu1.fullstory.com\n",
                f.from_alphabet(UPPER_DIGITS, 8),
                f.hex(32)
            ),
        ),
        // A Dify-shaped value with no Dify word on its line: Kubernetes names, a `modify` comment.
        (
            "e.yaml",
            format!(
                "metadata:\n  name: app-{}\n  labels:\n    dataset: dataset-{}\n# modify the release before deploying app-{}\n",
                mixed_alnum(&mut f, 24),
                mixed_alnum(&mut f, 24),
                mixed_alnum(&mut f, 24)
            ),
        ),
        // The prefixes inside identifiers and file names.
        (
            "f.c",
            "static int pri_queue_insert_the_element_by_its_priority(struct pq *q);\nconst char *log = \"test/build/scp-live-tests.log\";\n![menu][com_walcht_ide_neovim_external_tools_menu_picture]\nif (git&& make) {}\n"
                .to_string(),
        ),
    ];
    let hits = findings_of_rules(&files, &ours);
    assert!(hits.is_empty(), "near misses reported: {hits:#?}");
}
