//! Keys that carry their own checksum, and passwords handed by position to remote-login calls
//! (stop 42, rules/lead42.toml). A Bitcoin private key in wallet import format and a BIP-32
//! extended private key are Base58Check strings: the checksum says "key" where no name does, so
//! they are reported in any file and under any name; one character changed, or a public key of the
//! same shape, stays quiet. SSH, FTP and SMB login calls take their password by position.

use crate::common::*;

const WIF_RULE: &str = "bitcoin-wif-private-key";
const XPRV_RULE: &str = "bip32-extended-private-key";

use leakguard::checksum::base58check_encode as base58check;

/// A fresh private key in wallet import format for `version` (0x80 Bitcoin, 0xEF its test
/// networks, 0xB0 Litecoin, 0x9E Dogecoin), compressed or not.
fn wif(f: &mut Fake, version: u8, compressed: bool) -> String {
    let mut payload = vec![version];
    payload.extend(f.bytes(32));
    if compressed {
        payload.push(1);
    }
    base58check(&payload)
}

/// A fresh extended key under the four-byte `version`: private (0x00 and 32 bytes) or public (02
/// and 32 bytes) key data.
fn extended_key(f: &mut Fake, version: u32, private: bool) -> String {
    let mut payload = version.to_be_bytes().to_vec();
    payload.push(3); // depth
    payload.extend(f.bytes(8)); // parent fingerprint, child number
    payload.extend(f.bytes(32)); // chain code
    payload.push(if private { 0 } else { 2 });
    payload.extend(f.bytes(32));
    base58check(&payload)
}

/// A copy of `s` with one character changed (at a third of its length).
fn one_changed(s: &str) -> String {
    let i = s.len() / 3;
    let c = if &s[i..=i] == "a" { "b" } else { "a" };
    format!("{}{c}{}", &s[..i], &s[i + 1..])
}

/// Where a wallet's key is written: `{V}` the value. None of these says "key" in a way a generic
/// rule reads for a 51-character base58 value.
const KEY_SHAPES: &[(&str, &str)] = &[
    (".env", "BTC_PRIVATE_KEY={V}"),
    ("wallet.py", "key = Key(\"{V}\")"),
    ("send.js", "const keyPair = ECPair.fromWIF('{V}', network);"),
    ("keys.json", "{\n  \"wif\": \"{V}\"\n}"),
    ("config.yml", "wallet:\n  secret: {V}"),
    ("main.go", "wif, _ := btcutil.DecodeWIF(\"{V}\")"),
    (
        "Wallet.java",
        "ECKey key = DumpedPrivateKey.fromBase58(params, \"{V}\").getKey();",
    ),
    ("notes.md", "Bitcoin test wallet: `{V}`"),
    ("import.sh", "bitcoin-cli importprivkey {V} \"cold\" false"),
];

#[test]
fn a_wif_key_of_each_network_and_form_is_reported_in_every_shape() {
    let mut f = Fake::new(4201);
    let forms = [
        (0x80, false),
        (0x80, true),
        (0xEF, false),
        (0xEF, true),
        (0xB0, true),
        (0x9E, true),
    ];
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (fi, (version, compressed)) in forms.into_iter().enumerate() {
        for (si, (name, template)) in KEY_SHAPES.iter().enumerate() {
            let key = wif(&mut f, version, compressed);
            let path = format!("f{fi}s{si}/{name}");
            files.push((path.clone(), format!("{}\n", template.replace("{V}", &key))));
            want.push((path, format!("{version:x} {compressed} {template}"), key));
        }
    }
    let missed = missed_values_of_rule(&files, &want, WIF_RULE);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn an_extended_private_key_is_reported_and_a_public_one_is_not() {
    let mut f = Fake::new(4202);
    let versions = [
        0x0488_ADE4u32,
        0x0435_8394,
        0x049D_7878,
        0x04B2_430C,
        0x02AA_7A99,
    ];
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (vi, version) in versions.into_iter().enumerate() {
        for (si, (name, template)) in KEY_SHAPES.iter().enumerate() {
            let key = extended_key(&mut f, version, true);
            let path = format!("v{vi}s{si}/{name}");
            files.push((path.clone(), format!("{}\n", template.replace("{V}", &key))));
            want.push((path, format!("{version:x} {template}"), key));
        }
    }
    let missed = missed_values_of_rule(&files, &want, XPRV_RULE);
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn a_changed_character_an_address_or_a_public_key_stays_quiet() {
    let mut f = Fake::new(4203);
    let wif_key = wif(&mut f, 0x80, true);
    let xprv = extended_key(&mut f, 0x0488_ADE4, true);
    // An xpub: BIP-32's public version with public key data; a P2PKH address (version 0x00).
    let xpub = extended_key(&mut f, 0x0488_B21E, false);
    let mut address = vec![0u8];
    address.extend(f.bytes(20));
    let address = base58check(&address);
    let files = vec![
        (
            "a/.env".to_string(),
            format!("BTC_PRIVATE_KEY={}\n", one_changed(&wif_key)),
        ),
        (
            "b/keys.json".to_string(),
            format!("{{\"xprv\": \"{}\"}}\n", one_changed(&xprv)),
        ),
        (
            "c/keys.json".to_string(),
            format!("{{\"xpub\": \"{xpub}\"}}\n"),
        ),
        (
            "d/wallet.py".to_string(),
            format!("btc_address = \"{address}\"\n"),
        ),
        // The right length and alphabet with no checksum: 52 characters of a random draw.
        (
            "e/.env".to_string(),
            format!(
                "BTC_PRIVATE_KEY=K{}\n",
                f.from_alphabet(
                    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
                    51
                )
            ),
        ),
    ];
    let found: Vec<_> = findings_of_rules(&files, &[WIF_RULE, XPRV_RULE]);
    assert!(found.is_empty(), "reported: {found:?}");
    // The unchanged values are reported (the test's near misses are near).
    let files = vec![
        (
            "a/.env".to_string(),
            "BTC_PRIVATE_KEY={V}\n".replace("{V}", &wif_key),
        ),
        (
            "b/keys.json".to_string(),
            "{\"xprv\": \"{V}\"}\n".replace("{V}", &xprv),
        ),
    ];
    let found = findings_of_rules(&files, &[WIF_RULE, XPRV_RULE]);
    assert_eq!(found.len(), 2, "{found:?}");
}

/// Remote-login calls that take a password by position: `{P}` the password.
const LOGIN_CALLS: &[(&str, &str)] = &[
    (
        "deploy.py",
        "ssh.connect(\"10.0.4.17\", 22, \"deploy\", \"{P}\")",
    ),
    ("backup.py", "client.connect(host, port, username, '{P}')"),
    (
        "sync.py",
        "client.connect(HOST, SSH_PORT, 'pi', '{P}', timeout=10)",
    ),
    (
        "upload.py",
        "ftp = ftplib.FTP(\"ftp.files.acme.net\", \"uploader\", \"{P}\")",
    ),
    ("tls.py", "with FTP_TLS(host, user, '{P}') as ftp:"),
    (
        "scan.py",
        "conn = SMBConnection(\"scanner\", \"{P}\", \"client01\", \"fileserver\")",
    ),
    (
        "main.go",
        "\tAuth: []ssh.AuthMethod{ssh.Password(\"{P}\")},",
    ),
    (
        "Sync.cs",
        "using var client = new SftpClient(host, 22, \"etl\", \"{P}\");",
    ),
    (
        "Run.cs",
        "using (var ssh = new SshClient(\"10.1.2.3\", \"svc\", \"{P}\"))",
    ),
    (
        "Info.cs",
        "var info = new PasswordConnectionInfo(host, 2222, user, \"{P}\");",
    ),
];

#[test]
fn a_password_passed_by_position_to_a_login_call_is_reported() {
    let mut f = Fake::new(4204);
    let (mut files, mut want) = (Vec::new(), Vec::new());
    for (i, (name, template)) in LOGIN_CALLS.iter().enumerate() {
        let pw = format!("{}{}!", f.alnum(9), 10 + f.next() % 90);
        let path = format!("c{i}/{name}");
        files.push((path.clone(), format!("{}\n", template.replace("{P}", &pw))));
        want.push((path, template.to_string(), pw));
    }
    let missed = missed_values_of_rule(&files, &want, "remote-login-positional-password");
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn login_calls_with_names_defaults_or_sockets_stay_quiet() {
    let files: Vec<(String, String)> = [
        "ssh.connect(host, 22, user, password)",
        "ssh.connect(\"10.0.4.17\", 22, \"deploy\", os.environ[\"SSH_PASSWORD\"])",
        "ftp = ftplib.FTP(\"ftp.example.com\", \"anonymous\", \"anonymous\")",
        "s.connect((\"10.0.0.1\", 8080))",
        "db.connect(\"localhost\", 5432, \"app\")",
        "\tAuth: []ssh.AuthMethod{ssh.Password(cfg.Password)},",
        "conn = SMBConnection(user, \"password\", \"client\", \"server\")",
        "client.connect(host, 22, 'pi', 'raspberry')",
        "ftp = FTP(host, user, '${FTP_PASSWORD}')",
    ]
    .iter()
    .enumerate()
    .map(|(i, line)| (format!("q{i}/remote.py"), format!("{line}\n")))
    .collect();
    let found = findings_of_rules(&files, &["remote-login-positional-password"]);
    assert!(found.is_empty(), "reported: {found:?}");
}

/// A fresh Unsplash access key: 43 characters of base64url with a digit and a capital.
fn unsplash_key(f: &mut Fake) -> String {
    loop {
        let k = f.from_alphabet(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
            43,
        );
        if k.bytes().any(|b| b.is_ascii_digit()) && k.bytes().any(|b| b.is_ascii_uppercase()) {
            return k;
        }
    }
}

/// A fresh Wolfram|Alpha AppID: 6 and 10 upper-case letters or digits, with digits and letters.
fn wolfram_app_id(f: &mut Fake) -> String {
    const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    loop {
        let id = format!(
            "{}-{}",
            f.from_alphabet(UPPER_DIGITS, 6),
            f.from_alphabet(UPPER_DIGITS, 10)
        );
        let digits = id.bytes().filter(u8::is_ascii_digit).count();
        if (2..=12).contains(&digits) {
            return id;
        }
    }
}

#[test]
fn unsplash_keys_and_wolfram_app_ids_are_reported_where_their_apis_take_them() {
    let mut f = Fake::new(4205);
    let unsplash: &[(&str, &str)] = &[
        ("photos.js", "headers: { Authorization: 'Client-ID {V}' }"),
        (
            "photos.py",
            "headers = {\"Authorization\": \"Client-ID {V}\"}",
        ),
        (
            "fetch.sh",
            "curl -H \"Authorization: Client-ID {V}\" https://api.unsplash.com/photos",
        ),
        ("Api.kt", "@Headers(\"Authorization: Client-ID {V}\")"),
        (
            "random.py",
            "url = \"https://api.unsplash.com/photos/random?client_id={V}\"",
        ),
        (".env", "UNSPLASH_ACCESS_KEY={V}"),
        ("config.json", "{\"unsplashAccessKey\": \"{V}\"}"),
    ];
    let wolfram: &[(&str, &str)] = &[
        ("ask.py", "client = wolframalpha.Client(\"{V}\")"),
        (".env", "WOLFRAM_ALPHA_APPID={V}"),
        (
            "query.js",
            "const url = `https://api.wolframalpha.com/v2/query?appid={V}&input=${q}`;",
        ),
        ("config.yml", "wolfram:\n  app_id: {V}"),
        (
            "Wolfram.java",
            "String url = \"http://api.wolframalpha.com/v1/result?appid={V}&i=\" + q;",
        ),
    ];
    for (rule, shapes, value) in [
        (
            "unsplash-access-key",
            unsplash,
            unsplash_key as fn(&mut Fake) -> String,
        ),
        ("wolframalpha-app-id", wolfram, wolfram_app_id),
    ] {
        let (mut files, mut want) = (Vec::new(), Vec::new());
        for (i, (name, template)) in shapes.iter().enumerate() {
            let v = value(&mut f);
            let path = format!("{rule}{i}/{name}");
            files.push((path.clone(), format!("{}\n", template.replace("{V}", &v))));
            want.push((path, template.to_string(), v));
        }
        let missed = missed_values_of_rule(&files, &want, rule);
        assert!(missed.is_empty(), "{rule} missed:\n{}", missed.join("\n"));
    }
}

#[test]
fn imgur_client_ids_references_and_other_codes_stay_quiet() {
    let files: Vec<(String, String)> = [
        "headers: { Authorization: `Client-ID ${process.env.UNSPLASH_ACCESS_KEY}` }",
        "headers = {\"Authorization\": \"Client-ID 9f2c4e6a8b0d1f3\"}",
        "client = wolframalpha.Client(os.environ[\"WOLFRAM_APPID\"])",
        "WOLFRAM_ALPHA_APPID=XXXXXX-XXXXXXXXXX",
        "part_number = \"AB12CD-EF34GH56IJ\"",
    ]
    .iter()
    .enumerate()
    .map(|(i, line)| (format!("q{i}/config.py"), format!("{line}\n")))
    .collect();
    let found = findings_of_rules(&files, &["unsplash-access-key", "wolframalpha-app-id"]);
    assert!(found.is_empty(), "reported: {found:?}");
}
