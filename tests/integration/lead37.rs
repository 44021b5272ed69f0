//! A credential's fallback or initial value in shapes the one-line rules did not read (stop 37):
//! an environment lookup's default wrapped over lines (JS/TS `process.env.X ||` / `??` with the
//! literal on the next line; Python's `os.environ.get(` over lines is left: see the README),
//! Ruby's `ENV.fetch("X") { "…" }` block, Perl's `$ENV{X} // '…'`, and C++ brace initialisation
//! (`std::string apiToken{"…"}`), and a value handed to a command that stores a secret or logs in
//! with one (`gh secret set X --body …`, a here-string into `vercel env add`, `echo … | docker login
//! --password-stdin`, openssl's `-pass pass:…`). Each cell is a file of its own with a fresh fake value and must
//! be reported with that value; the near misses beside them (stand-ins, references, a name that
//! says nothing of a credential, an initialiser that is a call) stay quiet.

use crate::common::*;

/// (shape, file name, template): `{V}` is the value.
const SHAPES: &[(&str, &str, &str)] = &[
    (
        "JS: env lookup's default on the next line",
        "a.ts",
        "export const key =\n  process.env.ACCOUNT_KEY ||\n  \"{V}\";\n",
    ),
    (
        "JS: `??`, name on the same line",
        "b.js",
        "const token = process.env.GH_TOKEN ??\n  '{V}';\n",
    ),
    (
        "JS: object property",
        "c.js",
        "module.exports = {\n  apiKey: process.env.SERVICE_KEY ||\n    `{V}`,\n};\n",
    ),
    (
        "Ruby: ENV.fetch block",
        "d.rb",
        "token = ENV.fetch(\"API_TOKEN\") { \"{V}\" }\n",
    ),
    (
        "Ruby: ENV.fetch block with a parameter",
        "e.rb",
        "key = ENV.fetch('STRIPE_SECRET') { |_| '{V}' }\n",
    ),
    (
        "Perl: `//`",
        "g.pl",
        "my $api_key = $ENV{API_KEY} // '{V}';\n",
    ),
    (
        "Perl: `||`, quoted name",
        "h.pm",
        "my $pw = $ENV{'DB_PASSWORD'} || \"{V}\";\n",
    ),
    (
        "C++: std::string brace init",
        "k.cpp",
        "static const std::string ApiToken{\"{V}\"};\n",
    ),
    (
        "C++: Qt string, k-prefixed name",
        "l.cc",
        "const QString kApiSecret{\"{V}\"};\n",
    ),
    (
        "C++: brace init over two lines",
        "m.hpp",
        "static const std::string AccountKey{\n    \"{V}\"};\n",
    ),
    (
        "C++: char array",
        "n.cpp",
        "constexpr char kAccessKey[]{\"{V}\"};\n",
    ),
    // A command that stores a secret, or logs in with one, says what the value is.
    (
        "gh secret set --body",
        "o.sh",
        "gh secret set DEPLOY_TOKEN --body \"{V}\"\n",
    ),
    (
        "gh secret set with a flag between, -b",
        "p.sh",
        "gh secret set NPM_TOKEN --repo acme/web -b {V}\n",
    ),
    (
        "dotnet user-secrets set",
        "q.sh",
        "dotnet user-secrets set \"Api:Key\" \"{V}\"\n",
    ),
    (
        "here-string into vercel env add",
        "r.sh",
        "vercel env add API_TOKEN production <<< \"{V}\"\n",
    ),
    (
        "here-string into wrangler secret put",
        "s.sh",
        "wrangler secret put STRIPE_KEY <<< {V}\n",
    ),
    (
        "echo into docker login --password-stdin",
        "t.sh",
        "echo \"{V}\" | docker login -u ci --password-stdin registry.acme.io\n",
    ),
    (
        "echo into gh auth login --with-token",
        "u.yml",
        "steps:\n  - run: echo {V} | gh auth login --with-token\n",
    ),
    (
        "openssl -k",
        "v.sh",
        "openssl enc -aes-256-cbc -salt -in db.sql -out db.sql.enc -k {V}\n",
    ),
    (
        "openssl -passout pass:",
        "w.sh",
        "openssl pkcs12 -export -in c.pem -inkey k.pem -out c.p12 -passout pass:{V}\n",
    ),
];

fn value(f: &mut Fake) -> String {
    // Letters and digits both, never a run a placeholder filter would take for a stand-in.
    [f.alnum(11), "7".into(), f.alnum(14)].concat()
}

#[test]
fn a_fallback_or_initial_value_is_found_in_every_shape() {
    let mut f = Fake::new(37);
    // (shape, file name, value, text)
    let cells: Vec<(&str, &str, String, String)> = SHAPES
        .iter()
        .map(|(shape, name, t)| {
            let v = value(&mut f);
            let text = t.replace("{V}", &v);
            (*shape, *name, v, text)
        })
        .collect();
    let files: Vec<(&str, &str)> = cells.iter().map(|(_, n, _, t)| (*n, t.as_str())).collect();
    let by_path = scan_files_by_path(&files);
    let missed: Vec<String> = cells
        .iter()
        .filter(|(_, name, v, _)| {
            !by_path
                .get(*name)
                .is_some_and(|hits| hits.iter().any(|(_, secret)| secret == v))
        })
        .map(|(shape, name, _, _)| format!("{shape} ({name}): {:?}", by_path.get(*name)))
        .collect();
    assert!(missed.is_empty(), "missed cells: {missed:#?}");
}

#[test]
fn near_misses_of_those_shapes_stay_quiet() {
    let mut f = Fake::new(38);
    let v = value(&mut f);
    let near: Vec<(String, String)> = [
        (
            "a.ts",
            "export const key =\n  process.env.ACCOUNT_KEY ||\n  \"changeme\";\n".to_string(),
        ),
        (
            "b.ts",
            format!("const baseUrl = process.env.BASE_URL ||\n  \"{v}\";\n"),
        ),
        (
            "c.ts",
            "const token = process.env.GH_TOKEN ??\n  process.env.GITHUB_TOKEN;\n".to_string(),
        ),
        (
            "d.rb",
            "token = ENV.fetch(\"API_TOKEN\") { raise \"API_TOKEN is not set\" }\n".to_string(),
        ),
        (
            "e.rb",
            "token = ENV.fetch(\"API_TOKEN\") { \"API_TOKEN_FALLBACK\" }\n".to_string(),
        ),
        ("f.pl", format!("my $home = $ENV{{HOME}} // '/home/{v}';\n")),
        (
            "g.py",
            "API_KEY = os.environ.get(\n    \"API_KEY\",\n    \"\")\n".to_string(),
        ),
        (
            "h.py",
            "SECRET = os.getenv(\"APP_SECRET\",\n                   \"your-secret-here\")\n"
                .to_string(),
        ),
        (
            "i.cpp",
            "static const std::string ApiTokenHeader{\"Authorization\"};\n".to_string(),
        ),
        (
            "j.cpp",
            "std::string token{\"API_TOKEN_NOT_SET\"};\n".to_string(),
        ),
        ("k.js", format!("const token{{\"{v}\"}}\n")),
        (
            "l.cpp",
            "std::string apiKey{getenv(\"API_KEY\")};\n".to_string(),
        ),
        (
            "m.cpp",
            format!("static const std::string CacheName{{\"{v}\"}};\n"),
        ),
        (
            "n.sh",
            "gh secret set DEPLOY_TOKEN --body \"$DEPLOY_TOKEN\"\n".to_string(),
        ),
        (
            "o.sh",
            "gh secret set NPM_TOKEN --body \"${{ secrets.NPM_TOKEN }}\"\n".to_string(),
        ),
        (
            "p.sh",
            "vercel env add API_TOKEN production <<< \"$TOKEN\"\n".to_string(),
        ),
        (
            "q.sh",
            "echo \"$REGISTRY_PASSWORD\" | docker login -u ci --password-stdin r.acme.io\n"
                .to_string(),
        ),
        ("r.sh", format!("echo \"{v}\" | base64 -d\n")),
        (
            "s.sh",
            "openssl enc -aes-256-cbc -in db.sql -out db.enc -pass env:BACKUP_KEY\n".to_string(),
        ),
        ("t.sh", format!("openssl rand -hex 32 -out {v}\n")),
        (
            "u.sh",
            "dotnet user-secrets set \"Api:Key\" \"your-api-key-here\"\n".to_string(),
        ),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), t))
    .collect();
    let by_path = scan_files_by_path(&near);
    assert!(by_path.is_empty(), "{by_path:#?}");
}

#[test]
fn a_data_center_pat_is_found_beside_its_product_or_a_bearer_header() {
    let mut f = Fake::new(44);
    let shapes: &[(&str, &str)] = &[
        ("a.env", "JIRA_TOKEN={V}\n"),
        (
            "b.yml",
            "confluence:\n  url: https://wiki.acme.io\n  pat: \"{V}\"\n",
        ),
        (
            "c.sh",
            "curl -H \"Authorization: Bearer {V}\" https://jira.acme.io/rest/api/2/myself\n",
        ),
        (
            "d.py",
            "jira = JIRA(server=\"https://jira.acme.io\", token_auth=\"{V}\")\n",
        ),
        ("e.json", "{\"bitbucket_token\": \"{V}\"}\n"),
        ("f.txt", "GET https://confluence.acme.io/rest/token/{V}\n"),
        ("g.env", "ATLASSIAN_DC_PAT={V}\n"),
    ];
    let cells: Vec<(&str, String, String)> = shapes
        .iter()
        .map(|(name, t)| {
            let v = f.atlassian_datacenter_pat();
            (*name, v.clone(), t.replace("{V}", &v))
        })
        .collect();
    let files: Vec<(&str, &str)> = cells.iter().map(|(n, _, t)| (*n, t.as_str())).collect();
    let by_path = scan_files_by_path(&files);
    for (name, v, _) in &cells {
        let hits = by_path.get(*name);
        assert!(
            hits.is_some_and(|h| h
                .iter()
                .any(|(rule, s)| rule == "atlassian-datacenter-pat" && s == v)),
            "{name}: {hits:?}"
        );
    }
}

#[test]
fn near_misses_of_a_data_center_pat_stay_quiet() {
    use base64::Engine as _;
    let mut f = Fake::new(45);
    let b64 = |raw: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(raw);
    let random = |f: &mut Fake, n: usize| -> Vec<u8> {
        f.from_alphabet("0123456789abcdefghijklmnopqrstuvwxyz", n)
            .bytes()
            .map(|b| b.wrapping_mul(5))
            .collect()
    };
    // A 4-digit id (`0001:`), an id with a letter, base64 of 33 random bytes, the shape glued to a
    // longer string: none is a Data Center token.
    let short_id = b64([b"0001:".to_vec(), random(&mut f, 28)].concat());
    let letter_id = b64([b"12345678901a:".to_vec(), random(&mut f, 20)].concat());
    let random_33 = b64(random(&mut f, 33));
    let glued = format!("x{}", f.atlassian_datacenter_pat());
    let files: Vec<(String, String)> = [short_id, letter_id, random_33, glued]
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("n{i}.env"), format!("JIRA_CHECKSUM={v}\n")))
        .collect();
    let by_path = scan_files_by_path(&files);
    let by_rule: Vec<_> = by_path
        .values()
        .flatten()
        .filter(|(rule, _)| rule == "atlassian-datacenter-pat")
        .collect();
    assert!(by_rule.is_empty(), "{by_path:#?}");
}

/// An Azure key in the common annotated format: 52 characters, `JQQJ9` and `9`/`D`/`H`, a
/// character, a letter A-L, 16 characters, the service tag, 4 characters (`==`-padded 88 for
/// storage).
fn azure_annotated(f: &mut Fake, kind: char, tag: &str, padded: bool) -> String {
    // Short pieces drawn one character at a time: `from_alphabet` redraws what looks like a
    // placeholder, and one or two characters alone always do.
    let mut pick = |alphabet: &[u8], n: usize| -> String {
        (0..n)
            .map(|_| alphabet[(f.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    };
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut k = [
        pick(ALNUM, 52),
        format!("JQQJ9{kind}"),
        pick(ALNUM, 1),
        pick(b"ABCDEFGHIJKL", 1),
        pick(ALNUM, 16),
        tag.to_string(),
        pick(ALNUM, 4),
    ]
    .concat();
    if padded {
        k.push_str(&pick(ALNUM, 2));
        k.push_str("==");
    }
    k
}

#[test]
fn an_azure_annotated_key_is_found_without_a_name_and_older_rules_keep_theirs() {
    let mut f = Fake::new(84);
    let ai = azure_annotated(&mut f, '9', "ACOG", false);
    let search = azure_annotated(&mut f, 'D', "AZSe", false);
    let storage = azure_annotated(&mut f, 'H', "AZSt", true);
    let header = azure_annotated(&mut f, '9', "AZEG", false);
    let devops = azure_annotated(&mut f, '9', "AZDO", false);
    let openai = azure_annotated(&mut f, '9', "ACOG", false);
    let files = [
        ("a.env", format!("AI_SERVICES_KEY={ai}\n")),
        (
            "b.py",
            format!("client = SearchClient(endpoint, index, AzureKeyCredential(\"{search}\"))\n"),
        ),
        (
            "c.config",
            format!("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={storage};EndpointSuffix=core.windows.net\n"),
        ),
        (
            "d.json",
            format!("{{\"headers\": {{\"aeg-sas-key\": \"{header}\"}}}}\n"),
        ),
        ("e.env", format!("AZURE_DEVOPS_PAT={devops}\n")),
        ("f.env", format!("AZURE_OPENAI_API_KEY={openai}\n")),
    ];
    let by_path = scan_files_by_path(&files);
    let rule_of = |name: &str, v: &str| -> Vec<String> {
        by_path
            .get(name)
            .into_iter()
            .flatten()
            .filter(|(_, s)| s == v)
            .map(|(r, _)| r.clone())
            .collect()
    };
    for (name, v) in [
        ("a.env", &ai),
        ("b.py", &search),
        ("c.config", &storage),
        ("d.json", &header),
    ] {
        assert_eq!(
            rule_of(name, v),
            ["azure-annotated-key"],
            "{name}: {by_path:#?}"
        );
    }
    // Their ids are older: a finding keeps its fingerprint.
    assert_eq!(
        rule_of("e.env", &devops),
        ["azure-devops-pat"],
        "{by_path:#?}"
    );
    assert_eq!(
        rule_of("f.env", &openai),
        ["azure-openai-api-key"],
        "{by_path:#?}"
    );
}

#[test]
fn near_misses_of_an_azure_annotated_key_stay_quiet() {
    let mut f = Fake::new(85);
    let good = azure_annotated(&mut f, '9', "ACOG", false);
    // The letter after the signature's next character out of A-L; one character short; glued to a
    // longer string; the signature's kind not 9, D or H.
    let off_letter = format!("{}Z{}", &good[..59], &good[60..]);
    let short = good[..83].to_string();
    let glued = format!("x{good}q");
    let off_kind = format!("{}7{}", &good[..57], &good[58..]);
    let files: Vec<(String, String)> = [off_letter, short, glued, off_kind]
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("n{i}.txt"), format!("value {v}\n")))
        .collect();
    let by_path = scan_files_by_path(&files);
    assert!(
        !by_path
            .values()
            .flatten()
            .any(|(rule, _)| rule == "azure-annotated-key"),
        "{by_path:#?}"
    );
}
