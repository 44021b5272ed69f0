//! Google app passwords and the mail login calls they are given to (stop 41, rules/lead41.toml,
//! and `password-assignment`'s login call with the user in a variable). A probe of 34 mail,
//! database and login calls with fresh values found every app-password cell missed: 16 lower-case
//! letters (in four groups of four as Google shows them, or joined) mix no digits, and a value
//! with spaces reads as text. Each cell is a file of its own with a fresh fake value that the named
//! rule must report; the stand-ins and near misses beside them stay quiet.

use crate::common::*;

/// A fresh app password: 16 lower-case letters, in four groups of four when `spaced`.
fn app_password(f: &mut Fake, spaced: bool) -> String {
    let letters = f.from_alphabet("abcdefghijklmnopqrstuvwxyz", 16);
    if !spaced {
        return letters;
    }
    let groups: Vec<&str> = (0..4).map(|i| &letters[i * 4..i * 4 + 4]).collect();
    groups.join(" ")
}

/// Where an app password is written under a name: `{N}` the name, `{V}` the value. A cell counts
/// as found by any rule (PHPMailer's and .NET's credential rules report some of them first); every
/// one of them was missed before `google-app-password`.
const NAMED_SHAPES: &[(&str, &str)] = &[
    (".env", "{N}={V}"),
    (".env.production", "{N}=\"{V}\""),
    ("settings.py", "{N} = \"{V}\""),
    ("app.py", "app.config[\"{N}\"] = '{V}'"),
    ("config.yml", "mail:\n  {N}: \"{V}\""),
    ("config.json", "{\n  \"{N}\": \"{V}\"\n}"),
    ("application.properties", "spring.mail.{N}={V}"),
    ("mailer.js", "const {N} = '{V}';"),
    ("Mailer.java", "private static final String {N} = \"{V}\";"),
    ("Mailer.cs", "public const string {N} = \"{V}\";"),
    ("mailer.go", "package main\n\nconst {N} = \"{V}\""),
    ("mailer.php", "<?php\n$mail->{N} = '{V}';"),
    ("smtp.rb", "  :{N} => '{V}',"),
    (
        "docker-compose.yml",
        "services:\n  app:\n    environment:\n      - {N}={V}",
    ),
];

const NAMES: &[&str] = &[
    "EMAIL_HOST_PASSWORD",
    "MAIL_PASSWORD",
    "SMTP_PASSWORD",
    "GMAIL_APP_PASSWORD",
    "password",
    "Password",
    "smtpPass",
];

#[test]
fn an_app_password_under_a_password_or_mail_name_is_reported_in_every_shape() {
    for (seed, spaced) in [(4101, true), (4102, false)] {
        let missed =
            missed_names_by_shapes(seed, NAMES, NAMED_SHAPES, |f| app_password(f, spaced), None);
        assert!(
            missed.is_empty(),
            "spaced {spaced}, missed:\n{}",
            missed.join("\n")
        );
    }
}

#[test]
fn an_app_password_given_to_a_mail_login_call_is_reported() {
    // `{N}` is the user argument: a literal, a variable, an attribute, a lookup.
    let calls: &[(&str, &str)] = &[
        ("send.py", "server = smtplib.SMTP_SSL(\"smtp.gmail.com\", 465)\nserver.login({N}, \"{V}\")"),
        ("read.py", "mail = imaplib.IMAP4_SSL(\"imap.gmail.com\")\nmail.login({N}, '{V}')"),
        ("notify.py", "yag = yagmail.SMTP({N}, \"{V}\")"),
        ("Mail.cs", "client.Credentials = new NetworkCredential({N}, \"{V}\");"),
        ("Mail.java", "return new PasswordAuthentication({N}, \"{V}\");"),
        ("mailer.js", "const transporter = nodemailer.createTransport({\n  service: 'gmail',\n  auth: { user: {N}, pass: '{V}' },\n});"),
    ];
    let users = [
        "\"reports@acme-shop.io\"",
        "sender_email",
        "self.user",
        "cfg[\"user\"]",
    ];
    for (seed, spaced) in [(4103, true), (4104, false)] {
        let missed = missed_names_by_shapes(seed, &users, calls, |f| app_password(f, spaced), None);
        assert!(
            missed.is_empty(),
            "spaced {spaced}, missed:\n{}",
            missed.join("\n")
        );
    }
}

#[test]
fn app_password_stand_ins_and_near_misses_stay_quiet() {
    let mut f = Fake::new(4105);
    let real = app_password(&mut f, true);
    let upper = real.to_uppercase();
    let three = real[..14].to_string();
    let files: Vec<(String, String)> = [
        (
            "a.py",
            "server.login(sender_email, \"abcd efgh ijkl mnop\")".to_string(),
        ),
        (
            "b.py",
            "EMAIL_HOST_PASSWORD = \"xxxx xxxx xxxx xxxx\"".to_string(),
        ),
        (
            "c.py",
            "EMAIL_HOST_PASSWORD = \"your app pass word\"".to_string(),
        ),
        ("d.py", "MAIL_PASSWORD = \"yourapppassword\"".to_string()),
        (
            "e.py",
            "EMAIL_HOST_PASSWORD = os.environ[\"EMAIL_HOST_PASSWORD\"]".to_string(),
        ),
        ("f.env", format!("SMTP_PASSWORD={real}2")),
        ("g.py", format!("description = \"{real}\"")),
        ("h.py", format!("server.login(sender_email, \"{upper}\")")),
        ("i.py", format!("EMAIL_HOST_PASSWORD = \"{three}\"")),
        (
            "j.md",
            "Paste the app password (`wxyz abcd efgh ijkl`) into `EMAIL_HOST_PASSWORD`."
                .to_string(),
        ),
        (
            "k.py",
            "server.login(user, \"this will fail here\")".to_string(),
        ),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), format!("{t}\n")))
    .collect();
    let found = rule_ids(&scan_files_json(&files));
    assert!(
        !found.iter().any(|r| r == "google-app-password"),
        "stand-ins reported: {found:?}"
    );
    // The lower-case text under a name that is no password is quiet altogether.
    let by_path = scan_files_by_path(&files);
    assert!(!by_path.contains_key("g.py"), "{:?}", by_path.get("g.py"));
}

#[test]
fn a_login_call_with_the_user_in_a_variable_reports_its_password() {
    let calls: &[(&str, &str)] = &[
        ("send.py", "server.login({N}, \"{V}\")"),
        ("ftp.py", "ftp.login({N}, '{V}')"),
        ("auth.py", "r = requests.get(url, auth=({N}, \"{V}\"))"),
        ("Auth.java", "client.authenticate({N}, \"{V}\");"),
    ];
    let users = [
        "sender_email",
        "settings.MAIL_USER",
        "cfg[\"user\"]",
        "$user",
    ];
    let missed = missed_names_by_shapes(
        4106,
        &users,
        calls,
        |f| {
            // A 12-character password mixing classes, as password-assignment's call reads them.
            let body = f.from_alphabet(
                "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
                10,
            );
            format!("{body}#7")
        },
        Some("password-assignment"),
    );
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    // The password read from the environment, a stand-in, or a call with no user argument stay
    // quiet.
    let quiet: Vec<(String, String)> = [
        (
            "a.py",
            "server.login(sender_email, os.environ[\"SMTP_PASSWORD\"])",
        ),
        ("b.py", "server.login(sender_email, \"password123\")"),
        ("c.py", "server.login(sender_email, password)"),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), format!("{t}\n")))
    .collect();
    let found = rule_ids(&scan_files_json(&quiet));
    assert!(found.is_empty(), "reported: {found:?}");
}

#[test]
fn an_arrow_in_a_file_named_env_is_not_a_value() {
    // `NAME => "…"` is PHP's or Ruby's syntax, not dotenv's: env-file-secret once reported `>`.
    let files = vec![(
        "config/app.env".to_string(),
        "SESSION_SECRET => \"<session_secret>\"\nAPI_TOKEN => env('API_TOKEN')\n".to_string(),
    )];
    let found = scan_files_by_path(&files);
    let secrets: Vec<_> = found.values().flatten().collect();
    assert!(
        !secrets.iter().any(|(_, s)| s.len() < 3),
        "a one-character secret: {secrets:?}"
    );
}

/// A fresh 64-hex private key, with `0x` when `prefixed`.
fn eth_key(f: &mut Fake, prefixed: bool) -> String {
    let hex = f.hex(64);
    if prefixed {
        format!("0x{hex}")
    } else {
        hex
    }
}

#[test]
fn an_ethereum_private_key_given_to_a_wallet_or_listed_as_an_account_is_reported() {
    // `{N}` is the call or the list the key goes to; the reported secret is the 64 hex digits.
    let shapes: &[(&str, &str)] = &[
        ("deploy.js", "const wallet = new ethers.Wallet('{V}', provider);"),
        ("deploy.ts", "const signer = new Wallet(\"{V}\", provider)"),
        ("viem.ts", "const account = privateKeyToAccount('{V}')"),
        ("web3.js", "const account = web3.eth.accounts.privateKeyToAccount('{V}');"),
        ("web3.js", "web3.eth.accounts.wallet.add('{V}');"),
        ("sign.py", "acct = w3.eth.account.from_key(\"{V}\")"),
        ("sign.py", "acct = Account.from_key('{V}')"),
        ("truffle-config.js", "provider: () => new HDWalletProvider('{V}', RPC_URL),"),
        ("truffle-config.js", "provider: () => new HDWalletProvider({ privateKeys: ['{V}'], providerOrUrl: RPC }),"),
        ("hardhat.config.js", "networks: { sepolia: { url: RPC, accounts: ['{V}'] } },"),
        ("hardhat.config.ts", "    sepolia: {\n      url: RPC,\n      accounts: [\n        \"{V}\",\n      ],\n    },"),
    ];
    for (seed, prefixed) in [(4111, true), (4112, false)] {
        let mut f = Fake::new(seed);
        let mut files = Vec::new();
        let mut want = Vec::new();
        for (i, (name, text)) in shapes.iter().enumerate() {
            let v = eth_key(&mut f, prefixed);
            let path = format!("c{i}/{name}");
            files.push((path.clone(), format!("{}\n", text.replace("{V}", &v))));
            let hex = v.trim_start_matches("0x").to_string();
            want.push((path, format!("{text} (0x: {prefixed})"), hex));
        }
        let missed = missed_values_of_rule(&files, &want, "ethereum-private-key");
        assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    }
}

#[test]
fn development_accounts_and_hashes_are_not_ethereum_keys() {
    let mut f = Fake::new(4113);
    let digest = f.hex(64);
    // Hardhat's account #0 (its documented `test … junk` mnemonic's first key): every project's
    // fixture.
    let hardhat0 = [
        "ac0974bec39a17e36ba4a6b4d238ff944bacb478",
        "cbed5efcae784d7bf4f2ff80",
    ]
    .concat();
    let files: Vec<(String, String)> = [
        (
            "a.js",
            format!("const wallet = new ethers.Wallet('0x{hardhat0}', provider);"),
        ),
        (
            "b.js",
            "const wallet = new ethers.Wallet(process.env.PRIVATE_KEY, provider);".to_string(),
        ),
        (
            "c.js",
            format!("const receipt = await contract.verify('0x{digest}');"),
        ),
        (
            "d.js",
            "networks: { sepolia: { url: RPC, accounts: [process.env.PRIVATE_KEY] } },".to_string(),
        ),
        ("e.py", format!("assert tx_hash == \"0x{digest}\"")),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), format!("{t}\n")))
    .collect();
    let found = rule_ids(&scan_files_json(&files));
    assert!(
        !found.iter().any(|r| r == "ethereum-private-key"),
        "reported: {found:?}"
    );
}

#[test]
fn node_provider_keys_in_rpc_urls_are_reported() {
    let mut f = Fake::new(4114);
    let mut files = Vec::new();
    let mut want = Vec::new();
    let cells: &[(&str, &str, &str)] = &[
        (
            "infura-project-id",
            "a.js",
            "const RPC = \"https://mainnet.infura.io/v3/{V}\";",
        ),
        (
            "infura-project-id",
            "b.py",
            "w3 = Web3(Web3.WebsocketProvider(\"wss://sepolia.infura.io/ws/v3/{V}\"))",
        ),
        ("infura-project-id", ".env", "INFURA_PROJECT_ID={V}"),
        (
            "infura-project-id",
            "c.ts",
            "const modal = new Web3Modal({ infuraId: \"{V}\" });",
        ),
        (
            "infura-project-id",
            "hardhat.config.js",
            "url: `https://polygon-mainnet.infura.io/v3/{V}`,",
        ),
        (
            "alchemy-api-key",
            "d.js",
            "const url = \"https://eth-mainnet.g.alchemy.com/v2/{A}\";",
        ),
        (
            "alchemy-api-key",
            ".env.local",
            "RPC_URL=https://arb-mainnet.g.alchemy.com/v2/{A}",
        ),
        (
            "alchemy-api-key",
            "e.py",
            "w3 = Web3(Web3.HTTPProvider('https://polygon-amoy.g.alchemy.com/v2/{A}'))",
        ),
    ];
    for (i, (rule, name, text)) in cells.iter().enumerate() {
        let v = if text.contains("{A}") {
            f.from_alphabet(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                32,
            )
        } else {
            f.hex(32)
        };
        let path = format!("c{i}/{name}");
        let text = text.replace("{V}", &v).replace("{A}", &v);
        files.push((path.clone(), format!("{text}\n")));
        want.push((path, format!("{rule}: {name}"), v));
    }
    for rule in ["infura-project-id", "alchemy-api-key"] {
        let mine: Vec<_> = want
            .iter()
            .filter(|w| w.1.starts_with(rule))
            .cloned()
            .collect();
        let missed = missed_values_of_rule(&files, &mine, rule);
        assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    }
    let quiet: Vec<(String, String)> = [
        (
            "a.js",
            "const RPC = `https://mainnet.infura.io/v3/${process.env.INFURA_ID}`;",
        ),
        (
            "b.js",
            "const url = \"https://eth-mainnet.g.alchemy.com/v2/docs-demo\";",
        ),
        ("c.env", "INFURA_PROJECT_ID=your-project-id"),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), format!("{t}\n")))
    .collect();
    let found = rule_ids(&scan_files_json(&quiet));
    assert!(found.is_empty(), "reported: {found:?}");
}

/// Twelve (or 24) fresh lower-case words of 3 to 8 letters: a recovery phrase's shape.
fn phrase(f: &mut Fake, words: usize) -> String {
    (0..words)
        .map(|_| {
            let n = 3 + (f.next() % 6) as usize;
            f.from_alphabet("abcdefghijklmnopqrstuvwxyz", n)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_wallet_recovery_phrase_is_reported_and_the_published_ones_are_not() {
    let shapes: &[(&str, &str)] = &[
        ("truffle-config.js", "const MNEMONIC = \"{V}\";"),
        (".env", "SEED_PHRASE={V}"),
        ("config.py", "WALLET_MNEMONIC = '{V}'"),
        ("hardhat.config.js", "accounts: { mnemonic: \"{V}\" },"),
        (
            "truffle-config.js",
            "provider: () => new HDWalletProvider(\"{V}\", RPC_URL),",
        ),
        (
            "wallet.ts",
            "const wallet = ethers.Wallet.fromPhrase(\"{V}\");",
        ),
        ("wallet.py", "acct = Account.from_mnemonic(\"{V}\")"),
        ("config.yml", "recovery_phrase: \"{V}\""),
    ];
    for (seed, words) in [(4115, 12), (4116, 24)] {
        let mut f = Fake::new(seed);
        let mut files = Vec::new();
        let mut want = Vec::new();
        for (i, (name, text)) in shapes.iter().enumerate() {
            let v = phrase(&mut f, words);
            let path = format!("c{i}/{name}");
            files.push((path.clone(), format!("{}\n", text.replace("{V}", &v))));
            want.push((path, format!("{text} ({words} words)"), v));
        }
        let missed = missed_values_of_rule(&files, &want, "crypto-wallet-mnemonic");
        assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    }
    let junk = ["test "; 11].concat() + "junk";
    let quiet: Vec<(String, String)> = [
        ("a.js", format!("const MNEMONIC = \"{junk}\";")),
        ("b.js", "const MNEMONIC = process.env.MNEMONIC;".to_string()),
        ("c.env", "MNEMONIC=\"your twelve word mnemonic phrase goes here and keep it secret please\"".to_string()),
        ("d.js", "const MNEMONIC = \"abandon ability able about above absent absorb abstract absurd abuse access accident\";".to_string()),
        ("e.py", "seed = 12345  # random seed phrase for the shuffle test of every model we train here".to_string()),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), format!("{t}\n")))
    .collect();
    let found = rule_ids(&scan_files_json(&quiet));
    assert!(
        !found.iter().any(|r| r == "crypto-wallet-mnemonic"),
        "reported: {found:?}"
    );
}

/// A value of a positional-secret cell: letters and digits, capitals and digits, or digits, of a length.
#[derive(Clone, Copy)]
enum Slot {
    Alnum(usize),
    Upper(usize),
    Digits(usize),
}

const EXCHANGE: &str = "exchange-api-secret-positional";
const TWITTER: &str = "twitter-client-positional-secret";
use Slot::{Alnum, Digits, Upper};

/// (rule, file, text with `{0}`, `{1}`, … for fresh values of the slots, the slots, which slot is
/// the secret the rule must report).
#[rustfmt::skip]
const POSITIONAL_SECRETS: &[(&str, &str, &str, &[Slot], usize)] = &[
    (EXCHANGE, "bot.py", "client = Client(\"{0}\", \"{1}\")", &[Alnum(64), Alnum(64)], 1),
    (EXCHANGE, "futures.py", "um = UMFutures('{0}', '{1}')", &[Alnum(64), Alnum(64)], 1),
    (EXCHANGE, "alpaca.py", "api = tradeapi.REST('PK{0}', '{1}', BASE_URL)", &[Upper(18), Alnum(40)], 1),
    (EXCHANGE, "alpaca2.py", "client = TradingClient(\"AK{0}\", \"{1}\", paper=False)", &[Upper(18), Alnum(40)], 1),
    (TWITTER, "tw.py", "auth = tweepy.OAuthHandler(\"{0}\", \"{1}\")", &[Alnum(25), Alnum(50)], 1),
    (TWITTER, "tw2.py", "auth.set_access_token(\"{2}-{0}\", \"{1}\")", &[Alnum(40), Alnum(45), Digits(19)], 1),
    (TWITTER, "tw3.py", "twitter = Twython('{0}', '{1}')", &[Alnum(25), Alnum(50)], 1),
    (TWITTER, "tw4.py", "auth = tweepy.OAuth1UserHandler(\"{0}\", \"{1}\", \"987654321-{2}\", \"{3}\")", &[Alnum(25), Alnum(50), Alnum(40), Alnum(45)], 1),
    (TWITTER, "tw5.py", "auth = tweepy.OAuth1UserHandler(\"{0}\", \"{1}\", \"987654321-{2}\", \"{3}\")", &[Alnum(25), Alnum(50), Alnum(40), Alnum(45)], 3),
];

#[test]
fn exchange_and_twitter_secrets_given_positionally_are_reported() {
    let mut f = Fake::new(4117);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, &(rule, name, template, slots, secret)) in POSITIONAL_SECRETS.iter().enumerate() {
        let values: Vec<String> = slots
            .iter()
            .map(|slot| match *slot {
                Slot::Alnum(n) => f.alnum(n),
                Slot::Upper(n) => f.from_alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n),
                Slot::Digits(n) => f.from_alphabet("0123456789", n),
            })
            .collect();
        let text = values
            .iter()
            .enumerate()
            .fold(template.to_string(), |t, (j, v)| {
                t.replace(&format!("{{{j}}}"), v)
            });
        let path = format!("c{i}/{name}");
        files.push((path.clone(), format!("{text}\n")));
        want.push((
            path,
            format!("{rule}: {text}"),
            values[secret].clone(),
            rule,
        ));
    }
    let missed = missed_values_each_of_its_rule(&files, &want);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// `n` random byte values written as a JSON array's elements (`, ` or `,` between them).
fn byte_values(f: &mut Fake, n: usize, sep: &str) -> String {
    (0..n)
        .map(|_| (f.next() % 256).to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

#[test]
fn a_solana_keypair_in_code_or_in_its_keypair_file_is_reported() {
    let b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut f = Fake::new(4121);
    let mut files = Vec::new();
    let mut want = Vec::new();
    let mut cell = |rule: &str, name: String, text: String, v: String| {
        let path = format!("c{}/{name}", files.len());
        files.push((path.clone(), text));
        want.push((path, format!("{rule}: {name}"), v, rule.to_string()));
    };
    for (name, template) in [
        (
            "airdrop.ts",
            "const payer = Keypair.fromSecretKey(new Uint8Array([{V}]));\n",
        ),
        (
            "airdrop.js",
            "const payer = Keypair.fromSecretKey(\n  Uint8Array.from([{V}])\n);\n",
        ),
        ("wallet.py", "kp = Keypair.from_bytes(bytes([{V}]))\n"),
        (
            "main.rs",
            "let payer = Keypair::from_bytes(&[{V}]).unwrap();\n",
        ),
    ] {
        let v = byte_values(&mut f, 64, ", ");
        cell(
            "solana-keypair",
            name.to_string(),
            template.replace("{V}", &v),
            v,
        );
    }
    let v = byte_values(&mut f, 32, ", ");
    cell(
        "solana-keypair",
        "seed.ts".to_string(),
        format!("const kp = Keypair.fromSeed(new Uint8Array([{v}]));\n"),
        v,
    );
    for (name, template) in [
        (
            "bot.ts",
            "const payer = Keypair.fromSecretKey(bs58.decode(\"{V}\"));\n",
        ),
        ("bot.py", "kp = Keypair.from_base58_string('{V}')\n"),
    ] {
        let v = f.from_alphabet(b58, 88);
        cell(
            "solana-keypair-base58",
            name.to_string(),
            template.replace("{V}", &v),
            v,
        );
    }
    for name in [
        "id.json",
        "target/deploy/app-keypair.json",
        "wallet.json",
        "keys/deployer.json",
    ] {
        let v = byte_values(&mut f, 64, ",");
        cell(
            "solana-keypair-file",
            name.to_string(),
            format!("[{v}]\n"),
            v,
        );
    }
    let v = f.from_alphabet(b58, 88);
    let public = f.from_alphabet(b58, 44);
    cell(
        "near-private-key",
        "near-credentials/testnet/app.testnet.json".to_string(),
        format!("{{\"account_id\":\"app.testnet\",\"public_key\":\"ed25519:{public}\",\"private_key\":\"ed25519:{v}\"}}\n"),
        v,
    );
    for rule in [
        "solana-keypair",
        "solana-keypair-base58",
        "solana-keypair-file",
        "near-private-key",
    ] {
        let mine: Vec<_> = want
            .iter()
            .filter(|w| w.3 == rule)
            .map(|(p, d, v, _)| (p.clone(), d.clone(), v.clone()))
            .collect();
        let missed = missed_values_of_rule(&files, &mine, rule);
        assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    }
    // Counting or zero bytes, an array in a file of another name, a key read from a file, and a
    // NEAR public key alone stay quiet.
    let counting = (1..=64)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let other = byte_values(&mut f, 64, ",");
    let quiet: Vec<(String, String)> = [
        ("id.json", format!("[{counting}]")),
        ("data/samples.json", format!("[{other}]")),
        ("a.ts", "const payer = Keypair.fromSecretKey(new Uint8Array(JSON.parse(fs.readFileSync(PATH, \"utf8\"))));".to_string()),
        ("b.json", format!("{{\"public_key\":\"ed25519:{public}\"}}")),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), format!("{t}\n")))
    .collect();
    let found = rule_ids(&scan_files_json(&quiet));
    assert!(found.is_empty(), "reported: {found:?}");
}

#[test]
fn a_solana_keypair_a_formatter_spread_over_lines_is_reported() {
    let mut f = Fake::new(4122);
    let values: Vec<String> = (0..64).map(|_| (f.next() % 256).to_string()).collect();
    // prettier fills a number array sixteen to a line.
    let rows: Vec<String> = values
        .chunks(16)
        .map(|c| format!("    {},", c.join(", ")))
        .collect();
    let text = format!(
        "const payer = Keypair.fromSecretKey(\n  new Uint8Array([\n{}\n  ])\n);\n",
        rows.join("\n")
    );
    let found = scan_files_by_path(&[("airdrop.ts", text)]);
    assert!(
        found
            .get("airdrop.ts")
            .is_some_and(|f| f.iter().any(|(r, _)| r == "solana-keypair")),
        "{found:?}"
    );
}
