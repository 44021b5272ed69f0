//! Wallet keys that carry a checksum or a prefix of their own, and a Lightning node's macaroon
//! (stop 43, rules/lead43.toml). Sui, Nostr and Cardano write private keys in bech32, Stellar in
//! its StrKey: the checksum says "key" where no name does, so they are reported under any name and
//! in any file; one character changed, or the family's public key, stays quiet. Aptos writes the
//! scheme before the hex (AIP-80), cardano-cli wraps a key in a JSON envelope, LND's macaroons start
//! with the bytes of their location.

use crate::common::*;

use leakguard::checksum::{bech32_encode, stellar_seed_encode};

/// Where a wallet's key is written: `{V}` the value. Names that say key, and names that do not.
const KEY_SHAPES: &[(&str, &str)] = &[
    (".env", "WALLET_PRIVATE_KEY={V}"),
    ("deploy.py", "signer = load_signer(\"{V}\")"),
    ("deploy.ts", "const keypair = fromSecret('{V}');"),
    ("keys.json", "{\n  \"account\": \"{V}\"\n}"),
    ("config.yml", "wallet:\n  key: {V}"),
    ("main.go", "signer, err := wallet.FromString(\"{V}\")"),
    ("Cargo.toml", "[package.metadata.deploy]\nsigner = \"{V}\""),
    ("notes.md", "Test wallet for the faucet: `{V}`"),
    ("run.sh", "cli import --key {V} --alias ops"),
];

/// A copy of `s` with one character of its data part changed (at two thirds of its length, inside
/// the bech32 or base32 data whatever the prefix).
fn one_changed(s: &str, a: char, b: char) -> String {
    let i = s.len() * 2 / 3;
    let c = if s[i..].starts_with(a) { b } else { a };
    format!("{}{c}{}", &s[..i], &s[i + 1..])
}

/// Every shape of `KEY_SHAPES` with a fresh value of `key`: the cells whose value `rule` does not
/// report.
fn missed_in_key_shapes(seed: u64, rule: &str, key: impl Fn(&mut Fake) -> String) -> Vec<String> {
    let mut f = Fake::new(seed);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (si, (name, template)) in KEY_SHAPES.iter().enumerate() {
        let v = key(&mut f);
        let path = format!("s{si}/{name}");
        files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
        want.push((path, template.to_string(), v));
    }
    missed_values_of_rule(&files, &want, rule)
}

#[test]
fn sui_nostr_and_cardano_bech32_keys_are_reported_in_every_shape() {
    let families: &[(&str, &str, usize, u8)] = &[
        // (rule, human-readable part, payload bytes, flag byte or 0xFF for none)
        ("sui-private-key", "suiprivkey", 32, 0),
        ("sui-private-key", "suiprivkey", 32, 1),
        ("nostr-private-key", "nsec", 32, 0xFF),
        ("cardano-private-key", "ed25519_sk", 32, 0xFF),
        ("cardano-private-key", "ed25519e_sk", 64, 0xFF),
        ("cardano-private-key", "addr_xsk", 96, 0xFF),
        ("cardano-private-key", "root_xsk", 96, 0xFF),
        ("cardano-private-key", "acct_xsk", 96, 0xFF),
        ("cardano-private-key", "stake_sk", 32, 0xFF),
        ("cardano-private-key", "cc_cold_xsk", 96, 0xFF),
    ];
    let mut missed = Vec::new();
    for (i, &(rule, hrp, len, flag)) in families.iter().enumerate() {
        let key = |f: &mut Fake| {
            let mut payload = if flag == 0xFF { vec![] } else { vec![flag] };
            payload.extend(f.bytes(len));
            bech32_encode(hrp, &payload)
        };
        missed.extend(
            missed_in_key_shapes(4300 + i as u64, rule, key)
                .into_iter()
                .map(|m| format!("{hrp}: {m}")),
        );
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn aptos_keys_of_every_scheme_are_reported_in_every_shape() {
    for (i, scheme) in ["ed25519", "secp256k1", "secp256r1"].iter().enumerate() {
        let missed = missed_in_key_shapes(4320 + i as u64, "aptos-private-key", |f| {
            format!("{scheme}-priv-0x{}", f.hex(64))
        });
        assert!(missed.is_empty(), "{scheme} missed:\n{}", missed.join("\n"));
    }
}

/// How the Stellar SDKs and deployments write a secret seed: `{V}` the seed.
const STELLAR_SHAPES: &[(&str, &str)] = &[
    (
        "pay.js",
        "const source = StellarSdk.Keypair.fromSecret('{V}');",
    ),
    ("pay.ts", "const kp = Keypair.fromSecret(\"{V}\");"),
    ("pay.py", "source = Keypair.from_secret(\"{V}\")"),
    (
        "Pay.java",
        "KeyPair source = KeyPair.fromSecretSeed(\"{V}\");",
    ),
    ("Pay.kt", "val source = KeyPair.fromSecretSeed(\"{V}\")"),
    ("pay.go", "kp := keypair.MustParseFull(\"{V}\")"),
    ("sign.go", "kp, err := keypair.Parse(\"{V}\")"),
    (".env", "STELLAR_SECRET_KEY={V}"),
    (
        "docker-compose.yml",
        "services:\n  anchor:\n    environment:\n      - STELLAR_SEED={V}",
    ),
    (
        "soroban.sh",
        "soroban contract deploy --source {V} --network testnet",
    ),
    ("config.json", "{\"stellar\": {\"secret_seed\": \"{V}\"}}"),
];

#[test]
fn a_stellar_secret_seed_is_reported_in_every_sdk_call_and_config() {
    let mut f = Fake::new(4330);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (si, (name, template)) in STELLAR_SHAPES.iter().enumerate() {
        let mut payload = [0u8; 32];
        payload.copy_from_slice(&f.bytes(32));
        let seed = stellar_seed_encode(&payload);
        let path = format!("s{si}/{name}");
        files.push((
            path.clone(),
            format!("{}\n", template.replace("{V}", &seed)),
        ));
        want.push((path, template.to_string(), seed));
    }
    let missed = missed_values_of_rule(&files, &want, "stellar-secret-seed");
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn a_cardano_cli_signing_key_file_is_reported_pretty_or_on_one_line() {
    let mut f = Fake::new(4340);
    // (envelope type, description, CBOR prefix, key bytes)
    let kinds: &[(&str, &str, &str, usize)] = &[
        (
            "PaymentSigningKeyShelley_ed25519",
            "Payment Signing Key",
            "5820",
            32,
        ),
        (
            "StakeSigningKeyShelley_ed25519",
            "Stake Signing Key",
            "5820",
            32,
        ),
        (
            "PaymentExtendedSigningKeyShelley_ed25519_bip32",
            "",
            "5880",
            128,
        ),
        (
            "StakePoolSigningKey_ed25519",
            "Stake Pool Operator Signing Key",
            "5820",
            32,
        ),
        (
            "GenesisDelegateSigningKey_ed25519",
            "Genesis delegate operator key",
            "5820",
            32,
        ),
        (
            "DRepSigningKey_ed25519",
            "Delegated Representative Signing Key",
            "5820",
            32,
        ),
    ];
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, &(kind, description, prefix, len)) in kinds.iter().enumerate() {
        let pretty = format!("{prefix}{}", f.hex(2 * len));
        files.push((
            format!("k{i}/payment.skey"),
            format!(
                "{{\n    \"type\": \"{kind}\",\n    \"description\": \"{description}\",\n    \"cborHex\": \"{pretty}\"\n}}\n"
            ),
        ));
        want.push((
            format!("k{i}/payment.skey"),
            format!("{kind} pretty"),
            pretty,
        ));
        let one_line = format!("{prefix}{}", f.hex(2 * len));
        files.push((
            format!("k{i}/keys.json"),
            format!("{{\"type\": \"{kind}\", \"description\": \"{description}\", \"cborHex\": \"{one_line}\"}}\n"),
        ));
        want.push((
            format!("k{i}/keys.json"),
            format!("{kind} one line"),
            one_line,
        ));
    }
    let missed = missed_values_of_rule(&files, &want, "cardano-signing-key-file");
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// An LND macaroon's bytes: version 2, location `lnd`, an identifier of `id_len` bytes (its length
/// as a varint), the end of the header, then the signature field (32 bytes).
fn macaroon(f: &mut Fake, id_len: usize) -> Vec<u8> {
    let mut m = vec![2, 1, 3, b'l', b'n', b'd', 2];
    if id_len < 128 {
        m.push(id_len as u8);
    } else {
        m.extend([(id_len as u8 & 127) | 128, (id_len >> 7) as u8]);
    }
    m.extend(f.bytes(id_len));
    m.extend([0, 0, 6, 32]);
    m.extend(f.bytes(32));
    m
}

#[test]
fn an_lnd_macaroon_is_reported_as_hex_or_base64() {
    use base64::Engine as _;
    let shapes: &[(&str, &str)] = &[
        (".env", "LND_MACAROON={V}"),
        (
            "curl.sh",
            "curl -k -H \"Grpc-Metadata-macaroon: {V}\" https://node:8080/v1/balance/channels",
        ),
        ("btcpay.json", "{\n  \"macaroon\": \"{V}\"\n}"),
        (
            "thunderhub.yaml",
            "accounts:\n  - name: node\n    macaroon: '{V}'",
        ),
        ("node.py", "headers = {'Grpc-Metadata-macaroon': \"{V}\"}"),
        ("lnd.toml", "[lnd]\nmacaroon = \"{V}\""),
    ];
    let mut f = Fake::new(4350);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (si, (name, template)) in shapes.iter().enumerate() {
        for (form, id_len) in [("hex", 70), ("hex", 160), ("base64", 90), ("base64", 200)] {
            let m = macaroon(&mut f, id_len);
            let v = match form {
                "hex" => m.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                _ => base64::engine::general_purpose::STANDARD.encode(&m),
            };
            let path = format!("s{si}{form}{id_len}/{name}");
            files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
            want.push((path, format!("{form} {id_len} {template}"), v));
        }
    }
    let missed = missed_values_of_rule(&files, &want, "lnd-macaroon");
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn changed_characters_public_keys_and_placeholders_stay_quiet() {
    let mut f = Fake::new(4360);
    let sui = bech32_encode("suiprivkey", &[vec![0], f.bytes(32)].concat());
    let nsec = bech32_encode("nsec", &f.bytes(32));
    let xsk = bech32_encode("addr_xsk", &f.bytes(96));
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&f.bytes(32));
    let stellar = stellar_seed_encode(&seed);
    let quiet_rules = [
        "sui-private-key",
        "nostr-private-key",
        "cardano-private-key",
        "stellar-secret-seed",
        "aptos-private-key",
        "cardano-signing-key-file",
        "lnd-macaroon",
    ];
    let files = vec![
        ("a/.env".to_string(), format!("SUI_KEY={}\n", one_changed(&sui, 'q', 'p'))),
        ("b/bot.py".to_string(), format!("NOSTR = \"{}\"\n", one_changed(&nsec, 'q', 'p'))),
        ("c/keys.env".to_string(), format!("ROOT={}\n", one_changed(&xsk, 'q', 'p'))),
        (
            "d/pay.js".to_string(),
            format!("Keypair.fromSecret('{}');\n", one_changed(&stellar, 'A', 'B')),
        ),
        // Public keys of the same families, shared on purpose.
        (
            "e/profile.json".to_string(),
            format!("{{\"npub\": \"{}\"}}\n", bech32_encode("npub", &f.bytes(32))),
        ),
        (
            "f/keys.env".to_string(),
            format!("PAYMENT_VKEY={}\n", bech32_encode("addr_vk", &f.bytes(32))),
        ),
        (
            "g/keys.env".to_string(),
            format!("ACCOUNT_XVK={}\n", bech32_encode("acct_xvk", &f.bytes(64))),
        ),
        (
            "h/payment.vkey".to_string(),
            format!(
                "{{\n    \"type\": \"PaymentVerificationKeyShelley_ed25519\",\n    \"description\": \"Payment Verification Key\",\n    \"cborHex\": \"5820{}\"\n}}\n",
                f.hex(64)
            ),
        ),
        (
            "i/config.yaml".to_string(),
            format!("public_key: \"ed25519-pub-0x{}\"\n", f.hex(64)),
        ),
        // Placeholders and paths.
        (
            "j/.env".to_string(),
            "SUI_PRIVATE_KEY=suiprivkey1<your-key-here>\nLND_MACAROON_PATH=~/.lnd/data/chain/bitcoin/mainnet/admin.macaroon\nAPTOS_KEY=ed25519-priv-0x<hex>\n".to_string(),
        ),
        // The right alphabet and length with no checksum.
        (
            "k/pay.js".to_string(),
            format!(
                "Keypair.fromSecret('S{}');\n",
                f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 55)
            ),
        ),
        (
            "l/bot.py".to_string(),
            format!(
                "NOSTR = \"nsec1{}\"\n",
                f.from_alphabet("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)
            ),
        ),
    ];
    let found = findings_of_rules(&files, &quiet_rules);
    assert!(found.is_empty(), "reported: {found:?}");
}

/// A key handed by position to a client made from its module (`messagebird.Client("…")`,
/// `require('messagebird')("…")`, PHP's namespaced class, Ruby's `Client.new`), and Etherscan's and
/// ethers' providers: `{V}` a fresh key of the vendor's alphabet.
const POSITIONAL_CLIENTS: &[(&str, &str, &str)] = &[
    (
        "vendor-client-constructor-secret",
        "sms.py",
        "client = messagebird.Client('{V}')",
    ),
    (
        "vendor-client-constructor-secret",
        "sms.js",
        "var messagebird = require('messagebird')('{V}');",
    ),
    (
        "vendor-client-constructor-secret",
        "sms.php",
        "$messagebird = new \\MessageBird\\Client('{V}');",
    ),
    (
        "vendor-client-constructor-secret",
        "sms.rb",
        "client = MessageBird::Client.new('{V}')",
    ),
    (
        "vendor-client-constructor-secret",
        "mail.js",
        "const client = require(\"postmark-client\")(\"{V}\");",
    ),
    (
        "vendor-client-constructor-secret",
        "eth.ts",
        "const provider = new ethers.AlchemyProvider(\"homestead\", \"{V}\");",
    ),
    ("etherscan-api-key", "scan.py", "eth = Etherscan(\"{E}\")"),
    (
        "etherscan-api-key",
        "scan.js",
        "const api = require('etherscan-api').init('{E}');",
    ),
    (
        "etherscan-api-key",
        "scan.ts",
        "const provider = new ethers.EtherscanProvider(\"homestead\", \"{E}\");",
    ),
    (
        "etherscan-api-key",
        "scan.go",
        "client := etherscan.New(etherscan.Mainnet, \"{E}\")",
    ),
];

#[test]
fn a_key_given_by_position_to_a_module_client_or_provider_is_reported() {
    let mut f = Fake::new(4370);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, (rule, name, template)) in POSITIONAL_CLIENTS.iter().enumerate() {
        let v = if template.contains("{E}") {
            f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 34)
        } else {
            f.alnum(25)
        };
        let path = format!("c{i}/{name}");
        let text = template.replace("{V}", &v).replace("{E}", &v);
        files.push((path.clone(), format!("{text}\n")));
        want.push((path, format!("{rule}: {template}"), v, *rule));
    }
    let missed = missed_values_each_of_its_rule(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn module_clients_given_names_urls_and_project_ids_stay_quiet() {
    let files = [
        ("a/gcp.py", "db = firestore.Client(\"my-firebase-app-8f3k2\")\nbq = bigquery.Client(\"analytics-staging-44127\")\n"),
        ("b/aws.py", "idp = boto3.client('cognito-identity-provider')\n"),
        ("c/vault.py", "c = hvac.Client(\"https://vault.example.com:8200\")\n"),
        ("d/log.js", "const debug = require('debug')('app:server:http-handler');\nconst log = require('pino')('service-worker-events-23');\n"),
        ("e/eth.js", "const c = new ethers.JsonRpcProvider(\"http://127.0.0.1:8545\");\n"),
        ("f/sms.py", "client = messagebird.Client(os.environ['MESSAGEBIRD_KEY'])\nclient = messagebird.Client('YOUR_ACCESS_KEY_HERE_123')\n"),
    ];
    let found = findings_of_rules(
        &files,
        &["vendor-client-constructor-secret", "etherscan-api-key"],
    );
    assert!(found.is_empty(), "reported: {found:?}");
}

#[test]
fn a_go_mysql_dsn_to_a_local_stack_is_reported_at_low_severity_and_a_real_host_stays_high() {
    let mut f = Fake::new(4380);
    let strong = f.alnum(16);
    let local = f.alnum(14);
    // The DSNs are put together here so that this file holds none whole (the repository scans
    // itself clean).
    let dsn = |user: &str, password: &str, rest: &str| format!("{user}:{password}@{rest}");
    let files = [
        (
            "a/db_test.go",
            format!(
                "db, err := sql.Open(\"mysql\", \"{}\")\n",
                dsn("app", &local, "tcp(127.0.0.1:3306)/db")
            ),
        ),
        (
            "b/main.go",
            format!(
                "dsn := \"{}\"\n",
                dsn(
                    "root",
                    "kestrel7",
                    "tcp(localhost:3306)/shop?parseTime=true"
                )
            ),
        ),
        (
            "c/.env",
            format!(
                "MYSQL_DSN={}\n",
                dsn("api", "plover", "tcp(mysql:3306)/api")
            ),
        ),
        (
            "d/main.go",
            format!(
                "db, err := sql.Open(\"mysql\", \"{}\")\n",
                dsn("app", &strong, "tcp(db.acme.io:3306)/app")
            ),
        ),
        (
            "e/main.go",
            format!(
                "dsn := \"{}\"\n",
                dsn("api", "Falcon27", "unix(/var/run/mysqld/mysqld.sock)/api")
            ),
        ),
    ];
    let v = scan_files_json(&files);
    let got = sorted_finding_rows(&v, |f| {
        (f.s("path"), f.s("rule_id"), f.s("secret"), f.s("severity"))
    });
    let want = vec![
        (
            "a/db_test.go",
            "weak-go-mysql-dsn-password",
            local.as_str(),
            "low",
        ),
        ("b/main.go", "weak-go-mysql-dsn-password", "kestrel7", "low"),
        ("c/.env", "weak-go-mysql-dsn-password", "plover", "low"),
        (
            "d/main.go",
            "go-mysql-dsn-password",
            strong.as_str(),
            "high",
        ),
        ("e/main.go", "weak-go-mysql-dsn-password", "Falcon27", "low"),
    ];
    let want: Vec<_> = want
        .into_iter()
        .map(|(p, r, s, sev)| (p.to_string(), r.to_string(), s.to_string(), sev.to_string()))
        .collect();
    assert_eq!(got, want);
    let readme = format!(
        "Set `MYSQL_DSN={}` and run.\n",
        dsn("app", "kestrel7", "tcp(localhost:3306)/app")
    );
    assert_quiet(vec![
        (
            "f/main.go",
            "dsn := fmt.Sprintf(\"%s:%s@tcp(%s)/%s\", user, pass, host, name)\n",
        ),
        (
            "g/config.yaml",
            "mysql_dsn: api:${MYSQL_PASSWORD}@tcp(127.0.0.1:3306)/api\n",
        ),
        (
            "h/main.go",
            "const dsn = \"gorm:gorm@tcp(mysql57:3306)/gorm?charset=utf8\"\n",
        ),
        (
            "i/main.go",
            "dsn := \"app:password@tcp(localhost:3306)/db\"\n",
        ),
        ("j/README.md", readme.as_str()),
    ]);
}

#[test]
fn a_jokens_signing_secret_is_reported_in_its_config_and_its_signer() {
    check_cells(
        "joken-signer-secret",
        4390,
        &[
            (
                "config/config.exs",
                "config :joken, default_signer: \"{V}\"\n",
            ),
            (
                "config/runtime.exs",
                "config :joken,\n  default_signer: \"{V}\"\n",
            ),
            (
                "lib/token.ex",
                "signer = Joken.Signer.create(\"HS256\", \"{V}\")\n",
            ),
            (
                "lib/auth.ex",
                "  @signer Joken.Signer.create(\"HS512\", \"{V}\")\n",
            ),
        ],
        |f| f.alnum(32),
        |_| String::new(),
    );
    assert_quiet(vec![
        (
            "a/config.exs",
            "config :joken, default_signer: System.get_env(\"JWT_SECRET\")\n",
        ),
        (
            "b/token.ex",
            "signer = Joken.Signer.create(\"RS256\", %{\"pem\" => pem})\n",
        ),
        (
            "c/config.exs",
            "config :joken, default_signer: \"secret\"\n",
        ),
    ]);
}

#[test]
fn a_facebook_app_secret_given_after_the_app_id_is_reported() {
    check_cells(
        "facebook-app-secret-positional",
        4395,
        &[
            ("main.go", "var globalApp = fb.New(\"{K}\", \"{V}\")\n"),
            ("app.go", "app := fb.New(cfg.AppID, \"{V}\")\n"),
            (
                "auth.rb",
                "@oauth = Koala::Facebook::OAuth.new({K}, '{V}', callback_url)\n",
            ),
            (
                "token.py",
                "token = graph.get_app_access_token(\"{K}\", \"{V}\")\n",
            ),
            (
                "Fb.java",
                "AccessToken t = client.obtainAppAccessToken(\"{K}\", \"{V}\");\n",
            ),
        ],
        |f| f.hex(32),
        |f| format!("10{}", f.from_alphabet("0123456789", 14)),
    );
    assert_quiet(vec![
        ("a/main.go", "var globalApp = fb.New(appID, appSecret)\n"),
        (
            "b/auth.rb",
            "@oauth = Koala::Facebook::OAuth.new(app_id, ENV['FB_SECRET'], callback_url)\n",
        ),
    ]);
}
