//! Stop 39's families (issue 17, rules/kb39.toml and the two rules it widened): providers of
//! kingfisher's newer catalog that no leakguard rule named, each issuing a credential with a prefix of
//! its own (Axiom `xaat-`/`xapt-`, Tencent Cloud `AKID`, Riot `RGAPI-`, Mercado Pago `APP_USR-`, Login
//! with Amazon `amzn1.oa2-cs.v1.`, VK `vk1.a.`, Heartland `skapi_`, Tigris `tsec_`, Trigger.dev `tr_`,
//! Tolgee `tgpak_`/`tgpat_`, Pangea `pts_`, Permit.io `permit_key_`, Testkube `tkcapi_`, WarpStream
//! `aks_`, Cfx.re `cfxk_`, Seam `seam_`, Tinybird `p.eyJ`, E2B `e2b_`, Dub `dub_`, Stytch
//! `secret-live-`, Vercel Blob `vercel_blob_rw_`, The Things Network `NNSXS.`), Tencent Cloud secret
//! keys under their name, and DeepL and AI21 keys written as UUIDs under the vendor's name. Each
//! value is generated here in the provider's alphabet and length and written in the shapes people
//! keep it in; the family's format rule must report it in every cell, and near misses stay silent.

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

const DIGITS: &str = "0123456789";
const BASE32_LOWER: &str = "abcdefghijklmnopqrstuvwxyz234567";
const BASE32_UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// None: every cell is found by its family's rule.
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// A UUID-shaped value whose version and variant digits are not v4's (DeepL's keys are such).
fn hex_uuid(f: &mut Fake) -> String {
    format!(
        "{}-{}-c{}-7{}-{}",
        f.hex(8),
        f.hex(4),
        f.hex(3),
        f.hex(3),
        f.hex(12)
    )
}

fn families() -> Vec<Family> {
    let mut f = Fake::new(3901);
    vec![
        fam(
            "axiom-api",
            &["axiom", "token"],
            "Axiom",
            format!("xaat-{}", f.uuid()),
            "axiom-token",
        ),
        fam(
            "axiom-pat",
            &["axiom", "personal", "token"],
            "Axiom",
            format!("xapt-{}", f.uuid()),
            "axiom-token",
        ),
        fam(
            "tencent-id",
            &["tencentcloud", "secret", "id"],
            "Tencent",
            format!("AKID{}", f.alnum(32)),
            "tencent-cloud-secret-id",
        ),
        fam(
            "tencent-key",
            &["tencentcloud", "secret", "key"],
            "Tencent",
            f.alnum(32),
            "tencent-cloud-secret-key",
        ),
        fam(
            "riot",
            &["riot", "api", "key"],
            "Riot",
            format!("RGAPI-{}", f.uuid()),
            "riot-games-api-key",
        ),
        fam(
            "mercadopago",
            &["mercadopago", "access", "token"],
            "MercadoPago",
            format!(
                "APP_USR-{}-{}-{}-{}",
                f.from_alphabet(DIGITS, 16),
                f.from_alphabet(DIGITS, 6),
                f.hex(32),
                f.from_alphabet(DIGITS, 9)
            ),
            "mercadopago-access-token",
        ),
        fam(
            "amazon-lwa",
            &["lwa", "client", "secret"],
            "Amazon",
            format!("amzn1.oa2-cs.v1.{}", f.hex(64)),
            "amazon-lwa-client-secret",
        ),
        fam(
            "vk",
            &["vk", "access", "token"],
            "Vk",
            format!("vk1.a.{}", f.from_alphabet(URLSAFE, 180)),
            "vk-access-token",
        ),
        fam(
            "heartland",
            &["heartland", "secret", "api", "key"],
            "Heartland",
            format!("skapi_cert_{}", f.alnum(42)),
            "heartland-secret-api-key",
        ),
        fam(
            "tigris",
            &["tigris", "secret", "access", "key"],
            "Tigris",
            format!("tsec_{}", f.alnum(58)),
            "tigris-secret-access-key",
        ),
        fam(
            "triggerdev-secret",
            &["trigger", "secret", "key"],
            "Trigger",
            format!("tr_prod_{}", f.alnum(20)),
            "triggerdev-secret-key",
        ),
        fam(
            "triggerdev-pat",
            &["trigger", "access", "token"],
            "Trigger",
            format!("tr_pat_{}", f.alnum(40)),
            "triggerdev-secret-key",
        ),
        fam(
            "tolgee",
            &["tolgee", "api", "key"],
            "Tolgee",
            format!("tgpak_{}", f.from_alphabet(BASE32_LOWER, 52)),
            "tolgee-api-key",
        ),
        fam(
            "pangea",
            &["pangea", "token"],
            "Pangea",
            format!("pts_{}", f.from_alphabet(LOWER_DIGITS, 32)),
            "pangea-service-token",
        ),
        fam(
            "permitio",
            &["permit", "api", "key"],
            "Permit",
            format!("permit_key_{}", f.alnum(86)),
            "permitio-api-key",
        ),
        fam(
            "testkube",
            &["testkube", "api", "token"],
            "Testkube",
            format!("tkcapi_{}", f.hex(30)),
            "testkube-api-token",
        ),
        fam(
            "warpstream",
            &["warpstream", "agent", "key"],
            "Warpstream",
            format!("aks_{}", f.hex(64)),
            "warpstream-agent-key",
        ),
        fam(
            "cfxre",
            &["sv", "license", "key"],
            "Fivem",
            format!("cfxk_{}_{}", f.alnum(26), f.alnum(6)),
            "cfxre-server-key",
        ),
        fam(
            "seam",
            &["seam", "api", "key"],
            "Seam",
            format!("seam_{}_{}", f.alnum(10), f.alnum(24)),
            "seam-api-key",
        ),
        fam(
            "tinybird",
            &["tb", "token"],
            "Tinybird",
            format!(
                "p.{}.{}",
                URL_SAFE_NO_PAD.encode(format!(
                    "{{\"u\": \"{}\", \"id\": \"{}\", \"host\": \"gcp-europe-west3\"}}",
                    f.uuid(),
                    f.uuid()
                )),
                f.from_alphabet(URLSAFE, 43)
            ),
            "tinybird-token",
        ),
        fam(
            "e2b",
            &["e2b", "api", "key"],
            "E2b",
            format!("e2b_{}", f.hex(40)),
            "e2b-api-key",
        ),
        fam(
            "dub",
            &["dub", "api", "key"],
            "Dub",
            format!("dub_{}", f.alnum(24)),
            "dub-api-key",
        ),
        fam(
            "stytch",
            &["stytch", "secret"],
            "Stytch",
            format!("secret-live-{}=", f.from_alphabet(URLSAFE, 36)),
            "stytch-project-secret",
        ),
        fam(
            "vercel-blob",
            &["blob", "read", "write", "token"],
            "Vercel",
            format!("vercel_blob_rw_{}_{}", f.alnum(16), f.alnum(30)),
            "vercel-blob-token",
        ),
        fam(
            "ttn",
            &["ttn", "api", "key"],
            "Ttn",
            format!(
                "NNSXS.{}.{}",
                f.from_alphabet(BASE32_UPPER, 39),
                f.from_alphabet(BASE32_UPPER, 52)
            ),
            "thethingsnetwork-api-key",
        ),
        fam(
            "deepl-pro",
            &["deepl", "auth", "key"],
            "Deepl",
            hex_uuid(&mut f),
            "deepl-api-key",
        ),
        fam(
            "ai21-uuid",
            &["ai21", "api", "key"],
            "Ai21",
            f.uuid(),
            "ai21-api-key",
        ),
    ]
}

/// The shapes a provider's documentation writes beyond name = value: a client constructor, a header,
/// a CLI flag, a server config line; and, for the prefixed families, the value under a name that says
/// nothing of the vendor (the prefix is the evidence).
fn own_shapes(key: &str, v: &str) -> Vec<Shape> {
    let mut out: Vec<Shape> = match key {
        "axiom-api" => vec![(
            "header",
            "query.sh",
            format!("curl -H \"Authorization: Bearer {v}\" https://api.axiom.co/v1/datasets\n"),
        )],
        "tencent-id" => vec![(
            "client",
            "cvm.py",
            format!("cred = credential.Credential(\"{v}\", os.environ[\"SK\"])\n"),
        )],
        "riot" => vec![(
            "header",
            "riot.py",
            format!("headers = {{\"X-Riot-Token\": \"{v}\"}}\n"),
        )],
        "mercadopago" => vec![(
            "client",
            "pay.py",
            format!("sdk = mercadopago.SDK(\"{v}\")\n"),
        )],
        "cfxre" => vec![(
            "server-cfg",
            "server.cfg",
            format!("sv_licenseKey \"{v}\"\n"),
        )],
        "deepl-pro" => vec![(
            "header",
            "usage.sh",
            format!(
                "curl -H \"Authorization: DeepL-Auth-Key {v}\" https://api.deepl.com/v2/usage\n"
            ),
        )],
        _ => vec![],
    };
    if !matches!(key, "tencent-key" | "deepl-pro" | "ai21-uuid") {
        out.push(("neutral", "values.txt", format!("value = \"{v}\"\n")));
    }
    out
}

#[test]
fn every_kb39_family_is_found_in_every_shape() {
    let matrix = shape_matrix::scan(families(), shape_matrix::core_shapes, own_shapes);
    shape_matrix::check(
        &matrix,
        &shape_matrix::core_shape_names(),
        true,
        KNOWN_MISSES,
        300,
    );
}

/// Values cut short or grown long, placeholders after the prefix, the wrong alphabet, a name without
/// the vendor, a public id beside its secret, and identifiers that merely begin with a prefix: none
/// is reported by the rules of rules/kb39.toml or the widened DeepL and AI21 rules.
#[test]
fn near_misses_of_the_kb39_families_are_silent() {
    let mut f = Fake::new(3903);
    let ours = [
        "axiom-token",
        "tencent-cloud-secret-id",
        "tencent-cloud-secret-key",
        "riot-games-api-key",
        "mercadopago-access-token",
        "amazon-lwa-client-secret",
        "vk-access-token",
        "heartland-secret-api-key",
        "tigris-secret-access-key",
        "tigris-access-key-id",
        "triggerdev-secret-key",
        "tolgee-api-key",
        "pangea-service-token",
        "permitio-api-key",
        "testkube-api-token",
        "warpstream-agent-key",
        "cfxre-server-key",
        "seam-api-key",
        "tinybird-token",
        "e2b-api-key",
        "dub-api-key",
        "stytch-project-secret",
        "vercel-blob-token",
        "thethingsnetwork-api-key",
        "deepl-api-key",
        "ai21-api-key",
    ];
    let files = [
        // One character short, or one too many.
        ("a.env", format!("AXIOM_TOKEN=xaat-{}\n", &f.uuid()[..35])),
        ("b.env", format!("SECRET_ID=AKID{}\n", f.alnum(31))),
        ("c.env", format!("SECRET_ID=AKID{}\n", f.alnum(33))),
        ("d.env", format!("RIOT_API_KEY=RGAPI-{}\n", &f.uuid()[..35])),
        (
            "e.env",
            format!("LWA_CLIENT_SECRET=amzn1.oa2-cs.v1.{}\n", f.hex(63)),
        ),
        (
            "f.env",
            format!("TRIGGER_SECRET_KEY=tr_dev_{}\n", f.alnum(19)),
        ),
        (
            "g.env",
            format!("TRIGGER_SECRET_KEY=tr_dev_{}\n", f.alnum(21)),
        ),
        ("h.env", format!("PANGEA_TOKEN=pts_{}\n", f.hex(31))),
        ("i.env", format!("TK_API_TOKEN=tkcapi_{}\n", f.hex(29))),
        ("j.env", format!("WARPSTREAM_AGENT_KEY=aks_{}\n", f.hex(63))),
        // The wrong alphabet: upper-case hex where the provider writes lower case, digits in base32.
        (
            "k.env",
            format!("RIOT_API_KEY=RGAPI-{}\n", f.uuid().to_uppercase()),
        ),
        (
            "l.env",
            format!("TOLGEE_API_KEY=tgpak_{}\n", f.from_alphabet("0189", 52)),
        ),
        // Placeholders after the prefix, and variables.
        ("m.env", format!("VK_TOKEN=vk1.a.{}\n", "x".repeat(180))),
        (
            "n.env",
            format!("PERMIT_API_KEY=permit_key_{}\n", "x".repeat(86)),
        ),
        (
            "o.env",
            "SEAM_API_KEY=seam_xxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxx\n".to_string(),
        ),
        (
            "p.env",
            "TENCENTCLOUD_SECRET_KEY=${TENCENTCLOUD_SECRET_KEY}\n".to_string(),
        ),
        // A UUID with neither DeepL nor AI21 on the line, and one under a DeepL name that is no key.
        ("q.py", format!("request_id = \"{}\"\n", hex_uuid(&mut f))),
        (
            "r.py",
            format!("deepl_glossary_id = \"{}\"\n", hex_uuid(&mut f)),
        ),
        // Mercado Pago public keys (a UUID after APP_USR-) are public; Amazon client ids too.
        (
            "s.env",
            format!("MERCADOPAGO_PUBLIC_KEY=APP_USR-{}\n", f.uuid()),
        ),
        (
            "t.env",
            format!("LWA_CLIENT_ID=amzn1.application-oa2-client.{}\n", f.hex(32)),
        ),
        ("x.env", format!("E2B_API_KEY=e2b_{}\n", f.hex(39))),
        ("y.env", format!("DUB_API_KEY=dub_{}\n", f.alnum(23))),
        (
            "z.env",
            format!("STYTCH_SECRET=secret-test-{}=\n", "x".repeat(36)),
        ),
        (
            "zb.env",
            format!("TTN_API_KEY=NNSXS.{}.{}\n", "X".repeat(39), "X".repeat(52)),
        ),
        // A Tinybird-shaped token with no signature.
        (
            "za.env",
            format!(
                "TB_TOKEN=p.{}\n",
                URL_SAFE_NO_PAD.encode(format!("{{\"u\": \"{}\"}}", f.uuid()))
            ),
        ),
        // Identifiers that begin with a prefix.
        (
            "u.rs",
            "let tid_parent_process_identifier = 0;\nlet pts_per_game_average_over_season = 1;\n"
                .to_string(),
        ),
        (
            "v.tf",
            "resource \"azurerm_kubernetes_cluster\" \"aks_main\" {}\n".to_string(),
        ),
        (
            "w.py",
            "def seam_carving_energy_map_compute_total(image): pass\n".to_string(),
        ),
    ];
    let hits = findings_of_rules(&files, &ours);
    assert!(hits.is_empty(), "near misses reported: {hits:#?}");
}
