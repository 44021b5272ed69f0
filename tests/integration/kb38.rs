//! Stop 38's families (issue 17, rules/kb38.toml and the rules it widened): a vendor named right
//! before a bare value (`mixpanel <value>`, `geoip '<value>'`, GeoIP.conf's `LicenseKey <value>`,
//! `websitepulse '<value>'`, `redhat <value>`, `mattermost '<value>'`), where the value has the
//! vendor's own shape; and shapes the older rules missed (a Google client secret glued to its name, an
//! Azure Functions key with `/` and `+` in its URL, a NetworkCredential password of six characters, a
//! Cisco type 8 hash with a 12-character salt). Each value is generated here in the vendor's alphabet
//! and length and written in the shapes people keep it in; the family's rule must report it in every
//! cell but those `KNOWN_MISSES` lists, and near misses stay silent.

use crate::common::*;
use crate::shape_matrix::overlaps;

const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const CRYPT64: &str = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Cells the family's rule does not report, each with its reason. A listed cell that becomes found
/// fails the test, so the list stays true.
const KNOWN_MISSES: &[(&str, &str, &str)] = &[
    (
        "mattermost",
        "bare",
        "unquoted: 26 lower-case letters and digits after the name are too weak without quotes",
    ),
    (
        "mattermost",
        "bare-indented",
        "unquoted: 26 lower-case letters and digits after the name are too weak without quotes",
    ),
];

/// `n` characters of `alphabet` holding a letter and a digit (the rules' letters-and-digits check).
fn mixed(f: &mut Fake, alphabet: &str, n: usize) -> String {
    loop {
        let v = f.from_alphabet(alphabet, n);
        if v.bytes().any(|b| b.is_ascii_digit()) && v.bytes().any(|b| b.is_ascii_alphabetic()) {
            break v;
        }
    }
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &str = "0123456789abcdef";

/// The bare-name families: (key, vendor name as written, name word, value, rule).
fn bare_families(
    f: &mut Fake,
) -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    String,
    &'static str,
)> {
    vec![
        (
            "mixpanel",
            "mixpanel",
            "secret",
            mixed(f, ALNUM, 32),
            "mixpanel-secret-bare",
        ),
        (
            "maxmind",
            "geoip",
            "",
            mixed(f, ALNUM, 16),
            "maxmind-legacy-license-key",
        ),
        (
            "websitepulse",
            "websitepulse",
            "key",
            mixed(f, HEX, 32),
            "websitepulse-api-key",
        ),
        (
            "redhat",
            "redhat",
            "key",
            mixed(f, LOWER_DIGITS, 32),
            "redhat-pyxis-api-key",
        ),
        (
            "mattermost",
            "mattermost",
            "token",
            mixed(f, LOWER_DIGITS, 26),
            "mattermost-access-token",
        ),
    ]
}

/// (shape, file name, text) of `v` after the vendor's bare name, and under `<vendor>_<word>`.
fn bare_shapes(vendor: &str, word: &str, v: &str) -> Vec<(&'static str, &'static str, String)> {
    let mut out = vec![
        ("bare", "notes.txt", format!("{vendor} {v}\n")),
        ("bare-quoted", "notes.txt", format!("{vendor} '{v}'\n")),
        ("bare-double", "notes.md", format!("- {vendor} \"{v}\"\n")),
        ("bare-indented", "keys.txt", format!("  {vendor}   {v}  \n")),
    ];
    if !word.is_empty() {
        let up = format!("{}_{}", vendor.to_uppercase(), word.to_uppercase());
        out.push(("env", ".env", format!("{up}={v}\n")));
        out.push(("yaml", "config.yaml", format!("{vendor}_{word}: \"{v}\"\n")));
        out.push((
            "json",
            "config.json",
            format!("{{\"{vendor}_{word}\": \"{v}\"}}\n"),
        ));
        out.push(("py", "settings.py", format!("{up} = \"{v}\"\n")));
    }
    out
}

/// A Cisco type 8 hash: `$8$` + salt + `$` + 43 characters of the crypt alphabet.
fn cisco8(f: &mut Fake, salt: usize) -> String {
    format!(
        "$8${}${}",
        f.from_alphabet(CRYPT64, salt),
        f.from_alphabet(CRYPT64, 43)
    )
}

/// (family, rule, file, text, value): the widened rules' own shapes.
fn own_cells(f: &mut Fake) -> Vec<(&'static str, &'static str, &'static str, String, String)> {
    let mut out = Vec::new();
    let geo = mixed(f, ALNUM, 12);
    out.push((
        "maxmind",
        "maxmind-legacy-license-key",
        "GeoIP.conf",
        format!(
            "AccountID {}\nLicenseKey {geo}\nEditionIDs GeoLite2-Country GeoLite2-City\n",
            100000 + f.next() % 900000
        ),
        geo,
    ));
    let geo16 = mixed(f, ALNUM, 16);
    out.push((
        "maxmind",
        "maxmind-legacy-license-key",
        "etc/GeoIP.conf",
        format!("# geoipupdate\nUserId 99120\nLicenseKey {geo16}\nProductIds 106\n"),
        geo16,
    ));
    let mm = mixed(f, ALNUM, 16);
    out.push((
        "maxmind",
        "maxmind-legacy-license-key",
        "notes.txt",
        format!("maxmind \"{mm}\"\n"),
        mm,
    ));
    let gs = format!(
        "GOCSPX-{}",
        f.from_alphabet(&format!("{LOWER_DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZ_-"), 28)
    );
    out.push((
        "gocspx",
        "gcp-oauth-client-secret",
        "joined.txt",
        format!(
            "{}.apps.googleusercontent.com:client_secret{gs}'\n",
            f.hex(12)
        ),
        gs.clone(),
    ));
    out.push((
        "gocspx",
        "gcp-oauth-client-secret",
        "creds.txt",
        format!("secret={gs}\n"),
        gs,
    ));
    let code = loop {
        let c = f.from_alphabet(B64, 54);
        if c.contains('/') && c.contains('+') && !c.starts_with(['/', '+']) {
            break format!("{c}==");
        }
    };
    out.push((
        "azure-function",
        "azure-function-key-url",
        "local.settings.json",
        format!(
            "{{\"OrdersUrl\": \"https://orders-fn.azurewebsites.net/api/Create?code={code}\"}}\n"
        ),
        code.clone(),
    ));
    out.push((
        "azure-function",
        "azure-function-key-url",
        "client.js",
        format!(
            "const url = `https://acme.azurewebsites.net/api/notify?clientId=web&code={code}`;\n"
        ),
        code,
    ));
    let pw = loop {
        let p = f.from_alphabet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 6);
        let mut cs: Vec<char> = p.chars().collect();
        cs.sort();
        cs.dedup();
        if cs.len() == 6
            && p.chars().any(|c| c.is_uppercase())
            && p.chars().any(|c| c.is_lowercase())
        {
            break p;
        }
    };
    out.push((
        "networkcredential",
        "dotnet-network-credential",
        "Mailer.cs",
        format!("client.Credentials = new NetworkCredential(\"ops\", \"{pw}\");\n"),
        pw,
    ));
    // Outside a router's configuration (where cisco-ios-config-password reports the line): a hash
    // list, a YAML field, a properties value.
    for (file, salt, line) in [
        ("hashes.txt", 12usize, "netops:{h}\n"),
        ("device.yaml", 10, "enable_secret: \"{h}\"\n"),
        ("hashes2.txt", 14, "admin:{h}\n"),
        ("application.properties", 12, "password.api.key={h}\n"),
    ] {
        let h = cisco8(f, salt);
        out.push((
            "cisco8",
            "cisco-password-hash",
            file,
            line.replace("{h}", &h),
            h,
        ));
    }
    out
}

#[test]
fn every_kb38_family_is_found_by_its_rule_in_every_shape() {
    let mut f = Fake::new(3801);
    let mut files = Vec::new();
    let mut cells = Vec::new();
    for (key, vendor, word, v, rule) in bare_families(&mut f) {
        for (shape, file, text) in bare_shapes(vendor, word, &v) {
            let path = format!("{key}/{shape}/{file}");
            files.push((path.clone(), text));
            cells.push((path, key, shape, rule, v.clone()));
        }
    }
    for (i, (key, rule, file, text, v)) in own_cells(&mut f).into_iter().enumerate() {
        let path = format!("{key}/own{i}/{file}");
        files.push((path.clone(), text));
        cells.push((path, key, "own", rule, v));
    }
    let found = scan_files_by_path(&files);
    let mut missed = Vec::new();
    let mut fixed = Vec::new();
    for (path, key, shape, rule, v) in &cells {
        let got = found.get(path).cloned().unwrap_or_default();
        let hit = got.iter().any(|(r, s)| r == rule && overlaps(s, v));
        let known = KNOWN_MISSES.iter().any(|(k, s, _)| k == key && s == shape);
        if !hit && !known {
            missed.push(format!("{key} x {shape} (want {rule}): {got:?}"));
        }
        if hit && known {
            fixed.push(format!("{key} x {shape}"));
        }
    }
    assert!(cells.len() >= 40, "{} cells", cells.len());
    assert!(missed.is_empty(), "cells missed: {missed:#?}");
    assert!(fixed.is_empty(), "known misses now found: {fixed:#?}");
}

#[test]
fn near_misses_of_the_kb38_families_are_silent() {
    let mut f = Fake::new(3802);
    let hex32 = f.hex(32);
    let files = [
        // Mixpanel project tokens are public (written into every page that loads the SDK).
        (
            "a.js",
            format!("mixpanel.init(\"{hex32}\", {{ debug: false }});\n"),
        ),
        ("b.env", format!("MIXPANEL_TOKEN={}\n", f.hex(32))),
        // The value running on past the vendor's length, cut short, or a placeholder.
        ("c.txt", format!("mixpanel {}\n", f.alnum(36))),
        ("d.txt", format!("websitepulse '{}'\n", f.hex(31))),
        (
            "e.txt",
            format!("mattermost '{}'\n", f.from_alphabet(LOWER_DIGITS, 25)),
        ),
        (
            "f.txt",
            "websitepulse 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\n".to_string(),
        ),
        // GeoIP.conf's shipped placeholder and a variable.
        (
            "GeoIP.conf",
            "AccountID 0\nLicenseKey 000000000000\n".to_string(),
        ),
        (
            "g/GeoIP.conf",
            "LicenseKey ${GEOIPUPDATE_LICENSE_KEY}\n".to_string(),
        ),
        ("h.txt", "geoip 'GeoLite2-Country'\n".to_string()),
        // A checksum after a package name: hex only, not a Pyxis key.
        ("i.txt", format!("redhat {}\n", f.hex(32))),
        // Too short a password, a variable; a short prefix body; a salt of seven.
        (
            "j.cs",
            "var c = new NetworkCredential(\"ops\", \"aaaa\");\n".to_string(),
        ),
        (
            "k.cs",
            "var c = new NetworkCredential(user, password);\n".to_string(),
        ),
        ("l.txt", format!("client_secretGOCSPX-{}\n", f.alnum(20))),
        ("m.txt", format!("hash = \"{}\"\n", cisco8(&mut f, 7))),
        (
            "n.txt",
            "https://acme.azurewebsites.net/api/notify?code=<your-function-key>\n".to_string(),
        ),
    ];
    let rules = [
        "mixpanel-secret-bare",
        "maxmind-legacy-license-key",
        "websitepulse-api-key",
        "redhat-pyxis-api-key",
        "mattermost-access-token",
        "dotnet-network-credential",
        "gcp-oauth-client-secret",
        "cisco-password-hash",
        "azure-function-key-url",
    ];
    let found = scan_files_by_path(&files);
    let by_rule: Vec<_> = found
        .iter()
        .flat_map(|(p, v)| v.iter().map(move |(r, s)| (p, r, s)))
        .filter(|(_, r, _)| rules.contains(&r.as_str()))
        .collect();
    assert!(by_rule.is_empty(), "{by_rule:#?}");
}
