//! Stop 41's families (issue 17, rules/kb41.toml and the rules it widened): providers of kingfisher's
//! newer built-in list and of trufflehog's detectors that no leakguard rule named, or whose values only
//! a context rule reported when a credential word stood beside them: Convex deploy keys, Statsig server
//! secrets, Open VSX tokens, Gemfury tokens in repository URLs, Novu API keys, CARTO tokens, Flagsmith
//! admin API tokens, Smartsheet tokens, Coze PATs (`pat_`), hCaptcha secrets (`0x` + 40 hex), Tenable
//! keys (and the `X-ApiKeys` header), Sanity tokens (`sk` + 79 and more), Databricks OAuth secrets
//! (`dose`). Each value is generated here in the provider's alphabet and length and written in the
//! shapes people keep it in; the family's format rule must report it in every cell, and near misses
//! stay silent. A second test holds the widened rules to the shapes two peers accept (Typeform
//! `tfp_` + 40 hex, a Zapier hook id without its `/`, Teams webhook ids and hosts in any
//! case, Square `EAAA` tokens with `+`/`=`, HubSpot `pat-` ids in any case, `ya29.` tokens of 20-39,
//! legacy Azure DevOps PATs with any digit).

use crate::common::*;
use crate::shape_matrix::{self, fam, Family, Shape};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// None: every cell is found by its family's rule.
const KNOWN_MISSES: &[(&str, &str)] = &[];

/// A Convex deploy key: the kind, the deployment's name (adjective-animal-number), `|`, the secret.
fn convex_key(f: &mut Fake, kind: &str) -> String {
    let n = 100 + f.next() % 900;
    format!(
        "{kind}:brave-otter-{n}|{}",
        URL_SAFE_NO_PAD.encode(f.bytes(60))
    )
}

/// A CARTO API access token: an HS256 JWT whose header is `{"alg":"HS256"}`.
fn carto_token(f: &mut Fake) -> String {
    let claims = format!("{{\"a\":\"ac_{}\",\"jti\":\"{}\"}}", f.hex(8), f.hex(8));
    f.jwt("{\"alg\":\"HS256\"}", &claims)
}

fn families(f: &mut Fake) -> Vec<Family> {
    let mut v = vec![
        fam(
            "convex",
            &["convex", "deploy", "key"],
            "Convex",
            convex_key(f, "prod"),
            "convex-deploy-key",
        ),
        fam(
            "statsig",
            &["statsig", "server", "secret"],
            "Statsig",
            format!("secret-{}", f.alnum(43)),
            "statsig-server-secret-key",
        ),
        fam(
            "openvsx",
            &["ovsx", "pat"],
            "Ovsx",
            f.uuid(),
            "openvsx-access-token",
        ),
        fam(
            "novu",
            &["novu", "api", "key"],
            "Novu",
            f.hex(32),
            "novu-api-key",
        ),
        fam(
            "carto",
            &["carto", "api", "access", "token"],
            "Carto",
            carto_token(f),
            "carto-api-token",
        ),
        fam(
            "flagsmith",
            &["flagsmith", "api", "token"],
            "Flagsmith",
            f.hex(40),
            "flagsmith-api-token",
        ),
        fam(
            "smartsheet",
            &["smartsheet", "access", "token"],
            "Smartsheet",
            f.alnum(37),
            "smartsheet-access-token",
        ),
        fam(
            "coze",
            &["coze", "api", "token"],
            "Coze",
            format!("pat_{}", f.alnum(64)),
            "coze-personal-access-token",
        ),
        fam(
            "hcaptcha",
            &["hcaptcha", "secret"],
            "Hcaptcha",
            format!("0x{}", f.hex(40)),
            "hcaptcha-secret-key",
        ),
        fam(
            "tenable",
            &["tenable", "secret", "key"],
            "Tenable",
            f.hex(64),
            "tenable-api-key",
        ),
        fam(
            "sanity",
            &["sanity", "api", "token"],
            "Sanity",
            format!("sk{}", f.alnum(180)),
            "sanity-api-token",
        ),
        fam(
            "databricks",
            &["databricks", "client", "secret"],
            "Databricks",
            format!("dose{}", f.alnum(32)),
            "databricks-oauth-secret",
        ),
    ];
    // Values that live in URLs and headers: their own shapes only.
    let (access, secret) = (f.hex(64), f.hex(64));
    v.push(Family {
        key: "tenable-header",
        words: &["x", "api", "keys"],
        vendor: "Tenable",
        value: format!("accessKey={access};secretKey={secret}"),
        secret,
        rule: "tenable-api-keys",
        generic_shapes: false,
    });
    // Letters and digits: the rule leaves out a user name of letters alone before `@`.
    let token = format!("{}{}", f.alnum(17), f.from_alphabet("0123456789", 3));
    v.push(Family {
        key: "gemfury",
        words: &["fury", "url"],
        vendor: "Gemfury",
        value: token.clone(),
        secret: token,
        rule: "gemfury-token-url",
        generic_shapes: false,
    });
    v
}

/// The shapes a provider's documentation writes beyond name = value: a command, a client call, a
/// header, a repository URL.
fn own_shapes(key: &str, v: &str) -> Vec<Shape> {
    match key {
        "convex" => vec![(
            "command",
            "deploy.sh",
            format!("CONVEX_DEPLOY_KEY='{v}' npx convex deploy --cmd 'npm run build'\n"),
        )],
        "statsig" => vec![(
            "client",
            "flags.ts",
            format!("await Statsig.initialize(\"{v}\", {{ environment: {{ tier: \"production\" }} }});\n"),
        )],
        "openvsx" => vec![(
            "command",
            "release.sh",
            format!("npx ovsx publish -p {v}\n"),
        )],
        "novu" => vec![(
            "client",
            "notify.ts",
            format!("const novu = new Novu('{v}');\n"),
        )],
        "smartsheet" => vec![(
            "client",
            "sheets.py",
            format!("client = smartsheet.Smartsheet(\"{v}\")\n"),
        )],
        "coze" => vec![
            (
                "header",
                "bot.py",
                format!("headers = {{\"Authorization\": \"Bearer {v}\"}}\n"),
            ),
            ("neutral", "values.txt", format!("value = \"{v}\"\n")),
        ],
        "hcaptcha" => vec![(
            "client",
            "verify.py",
            format!(
                "r = requests.post(\"https://api.hcaptcha.com/siteverify\", data={{\"secret\": \"{v}\", \"response\": token}})\n"
            ),
        )],
        "sanity" => vec![(
            "client",
            "sanity.ts",
            format!("export const sanityClient = createClient({{ projectId: 'abc123', token: '{v}' }});\n"),
        )],
        "tenable-header" => vec![
            (
                "curl",
                "scan.sh",
                format!("curl -H \"X-ApiKeys: {v}\" https://cloud.tenable.com/scans\n"),
            ),
            (
                "python",
                "scan.py",
                format!("headers = {{\"X-ApiKeys\": \"{}\"}}\n", v.replace(';', "; ")),
            ),
        ],
        "gemfury" => vec![
            (
                "push",
                "release.sh",
                format!("curl -F package=@dist/acme-1.0.0.tgz https://{v}@push.fury.io/acme/\n"),
            ),
            (
                "pip",
                "pip.conf",
                format!("[global]\nextra-index-url = https://{v}:@pypi.fury.io/acme/\n"),
            ),
            (
                "npmrc",
                ".npmrc",
                format!("registry=https://npm-proxy.fury.io/{v}/acme/\n"),
            ),
            (
                "user-token",
                "upload.sh",
                format!("curl -F package=@acme.gem https://acme:{v}@push.fury.io/acme/\n"),
            ),
        ],
        _ => vec![],
    }
}

#[test]
fn every_kb41_family_is_found_in_every_shape() {
    let mut f = Fake::new(4101);
    let matrix = shape_matrix::scan(families(&mut f), shape_matrix::core_shapes, own_shapes);
    shape_matrix::check(
        &matrix,
        &shape_matrix::core_shape_names(),
        true,
        KNOWN_MISSES,
        160,
    );
}

/// The widened rules report the shapes two peers' patterns accept beside the issued ones.
#[test]
fn widened_rules_take_the_peers_wider_shapes() {
    let mut f = Fake::new(4102);
    let cases: Vec<(&str, &str, String, String)> = {
        let tfp = format!("tfp_{}", f.hex(40));
        let zap = f.alnum(16);
        let teams = format!(
            "https://AcmeCorp.webhook.office.com/webhookb2/{}-{}-{}-{}-{}@{}/IncomingWebhook/{}/{}",
            f.alnum(8),
            f.alnum(4),
            f.alnum(4),
            f.alnum(4),
            f.alnum(12),
            f.uuid(),
            f.alnum(32),
            f.uuid()
        );
        let square = format!("EAAA{}+{}=", f.alnum(30), f.alnum(28));
        let hubspot = format!(
            "pat-na1-{}-{}-{}-{}-{}",
            f.alnum(8),
            f.alnum(4),
            f.alnum(4),
            f.alnum(4),
            f.alnum(12)
        );
        let ya29 = format!("ya29.{}", f.from_alphabet(URLSAFE, 24));
        // Lower-case letters and every digit (the issued tokens are base32: no 0, 1, 8, 9).
        let ado = format!("0189{}", f.from_alphabet(LOWER_DIGITS, 48));
        vec![
            (
                "tf.env",
                "typeform-api-token",
                format!("TYPEFORM_TOKEN={tfp}\n"),
                tfp,
            ),
            (
                "zap.py",
                "zapier-webhook-url",
                format!("HOOK = \"https://hooks.zapier.com/hooks/catch/{zap}\"\n"),
                zap,
            ),
            (
                "teams.yml",
                "microsoft-teams-webhook-url",
                format!("webhook: {teams}\n"),
                teams,
            ),
            (
                "sq.py",
                "square-access-token",
                format!("SQUARE_ACCESS_TOKEN = \"{square}\"\n"),
                square,
            ),
            (
                "hs.py",
                "hubspot-private-app-token",
                format!("HUBSPOT_TOKEN = \"{hubspot}\"\n"),
                hubspot,
            ),
            (
                "g.sh",
                "google-oauth-access-token",
                format!("curl -H \"Authorization: Bearer {ya29}\" https://www.googleapis.com/drive/v3/files\n"),
                ya29,
            ),
            (
                "ado.env",
                "azure-devops-pat-legacy",
                format!("ADO_PAT=\"{ado}\"\n"),
                ado,
            ),
        ]
    };
    let files: Vec<(String, String)> = cases
        .iter()
        .map(|(p, _, text, _)| (p.to_string(), text.clone()))
        .collect();
    let want: Vec<_> = cases
        .iter()
        .map(|(path, rule, _, value)| {
            (
                path.to_string(),
                format!("{rule}: {path}"),
                value.clone(),
                *rule,
            )
        })
        .collect();
    let missed = missed_values_each_of_its_rule(&files, &want);
    assert!(missed.is_empty(), "missed: {missed:?}");
}

/// Values cut short, placeholders and variables, public keys beside their secrets, the prefixes in
/// identifiers, the vendors' words without values: none is reported by rules/kb41.toml's rules.
#[test]
fn near_misses_of_the_kb41_families_are_silent() {
    let mut f = Fake::new(4103);
    let ours = [
        "convex-deploy-key",
        "statsig-server-secret-key",
        "openvsx-access-token",
        "gemfury-token-url",
        "novu-api-key",
        "carto-api-token",
        "flagsmith-api-token",
        "smartsheet-access-token",
        "coze-personal-access-token",
        "hcaptcha-secret-key",
        "tenable-api-keys",
        "tenable-api-key",
        "sanity-api-token",
        "databricks-oauth-secret",
    ];
    let files = [
        // One character short.
        (
            "a.env",
            format!(
                "CONVEX_DEPLOY_KEY=prod:brave-otter-123|{}\nSTATSIG_SERVER_SECRET=secret-{}\nNOVU_API_KEY={}\nFLAGSMITH_API_TOKEN={}\n",
                f.alnum(31),
                f.alnum(31),
                f.hex(31),
                f.hex(39)
            ),
        ),
        (
            "b.sh",
            format!(
                "export SMARTSHEET_ACCESS_TOKEN={}\nexport COZE_API_TOKEN=pat_{}\nexport HCAPTCHA_SECRET=0x{}\nexport TENABLE_SECRET_KEY={}\nexport SANITY_API_TOKEN=sk{}\nexport DATABRICKS_CLIENT_SECRET=dose{}\n",
                f.alnum(36),
                f.alnum(63),
                f.hex(39),
                f.hex(63),
                f.alnum(78),
                f.alnum(31)
            ),
        ),
        // Placeholders and variables.
        (
            "c.env",
            format!(
                "CONVEX_DEPLOY_KEY=${{CONVEX_DEPLOY_KEY}}\nSTATSIG_SERVER_SECRET=secret-{}\nOVSX_PAT=00000000-0000-0000-0000-000000000000\nCOZE_API_TOKEN=pat_{}\n",
                "x".repeat(43),
                "x".repeat(64)
            ),
        ),
        // Public keys and ids beside their secrets; deployments named without a key.
        (
            "d.env",
            format!(
                "STATSIG_CLIENT_KEY=client-{}\nHCAPTCHA_SITEKEY={}\nCONVEX_DEPLOYMENT=prod:brave-otter-123\nCONVEX_URL=https://brave-otter-123.convex.cloud\n",
                f.alnum(43),
                f.uuid()
            ),
        ),
        // Repository URLs without a token.
        (
            "e.sh",
            "pip install --extra-index-url https://pypi.fury.io/acme/ acme\ngit remote add fury https://git.fury.io/acme/acme.git\n"
                .to_string(),
        ),
        // The prefixes inside identifiers, the words in prose.
        (
            "f.rs",
            "let pat_match_count_for_the_second_table_of_the_index_report_total = 0;\nlet dose_of_the_second_medication_per_kilogram_2 = 0.5;\n// sanity check: the secret-rotation job runs before the Tenable scan\n"
                .to_string(),
        ),
        // A value under a name that is not the vendor's.
        (
            "g.py",
            format!(
                "request_id = \"{}\"\nchecksum = \"{}\"\nsecret = \"0x{}\"\n",
                f.uuid(),
                f.hex(64),
                f.hex(40)
            ),
        ),
        // A CARTO token cut before its signature.
        (
            "h.env",
            format!(
                "CARTO_API_BASE_URL=https://gcp-us-east1.api.carto.com\nCARTO_API_ACCESS_TOKEN=eyJhbGciOiJIUzI1NiJ9.{}\n",
                f.from_alphabet(ALNUM, 19)
            ),
        ),
    ];
    let hits = findings_of_rules(&files, &ours);
    assert!(hits.is_empty(), "near misses reported: {hits:#?}");
}
