//! Checksums that some credential formats carry, so a rule can tell an issued key from a string of
//! the same alphabet and length without a name nearby.
//!
//! NATS NKeys (github.com/nats-io/nkeys, `strkey.go`): the key is standard base32 without padding of
//! `prefix bytes ‖ payload ‖ CRC-16/XMODEM(prefix ‖ payload)` (the CRC little-endian). A seed's
//! first byte is 18 << 3 (the letter `S`) or'ed with the public key type's top bits, its second byte
//! the type's low bits shifted left by 3, then 32 bytes of ed25519 seed: 36 bytes, 58 characters.
//!
//! Bitcoin's Base58Check (Bitcoin Core's `base58.cpp`, BIP-32): base58 of `payload ‖ the first four
//! bytes of SHA-256(SHA-256(payload))`. A private key in wallet import format is a version byte,
//! the 32-byte secret and `0x01` when its public key is compressed; an extended private key is 78
//! bytes of version, depth, parent fingerprint, child number, chain code and `0x00 ‖ key`.
//!
//! Bech32 and bech32m (BIP-173, BIP-350): a human-readable part, `1`, then 5-bit groups of the
//! payload and six checksum characters of a BCH code over both. Sui (`suiprivkey1…`), Nostr
//! (`nsec1…`) and Cardano (`addr_xsk1…`, `ed25519_sk1…`, CIP-5) write private keys in it; Cardano's
//! extended keys run past BIP-173's 90 characters, which its libraries allow.
//!
//! Stellar's StrKey (SEP-23, `strkey.go`): NKeys' ancestor, base32 of a version byte, the 32-byte
//! payload and the CRC-16/XMODEM (little-endian); a secret seed's version byte is 18 << 3 (`S…`,
//! 56 characters).

/// Decodes RFC 4648 base32 (upper case, no padding); `None` on any other byte or on leftover bits
/// that are not zero (a string no encoder writes).
fn base32_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        } as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (acc == 0).then_some(out)
}

/// CRC-16/XMODEM (polynomial 0x1021, initial value 0), as nkeys computes it.
fn crc16_xmodem(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in data {
        crc ^= (b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The public key types a seed can be for: operator, server, cluster, account, user, curve.
const NKEY_TYPES: &[u8] = &[14 << 3, 13 << 3, 2 << 3, 0, 20 << 3, 23 << 3];

/// True when `s` is a NATS NKey seed whose checksum holds: 58 base32 characters decoding to the seed
/// prefix, a known key type, 32 bytes and the CRC-16 of all that.
pub fn nkey_seed(s: &[u8]) -> bool {
    if s.len() != 58 {
        return false;
    }
    let Some(raw) = base32_decode(s) else {
        return false;
    };
    if raw.len() != 36 || raw[0] >> 3 != 18 || raw[1] & 7 != 0 {
        return false;
    }
    let kind = ((raw[0] & 7) << 5) | (raw[1] >> 3);
    if !NKEY_TYPES.contains(&kind) {
        return false;
    }
    let (body, crc) = raw.split_at(34);
    crc16_xmodem(body) == u16::from_le_bytes([crc[0], crc[1]])
}

/// Bitcoin's base58 alphabet (no `0`, `O`, `I`, `l`): a character's value, or `None`.
fn base58_value(c: u8) -> Option<u32> {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// Decodes base58 (each leading `1` a zero byte, the rest a big-endian number); `None` on a
/// character outside the alphabet.
fn base58_decode(s: &[u8]) -> Option<Vec<u8>> {
    let zeros = s.iter().take_while(|&&c| c == b'1').count();
    // The number, little-endian in bytes, multiplied by 58 and added to a character at a time.
    let mut number: Vec<u8> = Vec::with_capacity(s.len());
    for &c in &s[zeros..] {
        let mut carry = base58_value(c)?;
        for byte in number.iter_mut() {
            carry += u32::from(*byte) * 58;
            *byte = carry as u8;
            carry >>= 8;
        }
        while carry > 0 {
            number.push(carry as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(number.iter().rev());
    Some(out)
}

/// The payload of a Base58Check string (Bitcoin's `payload ‖ first 4 bytes of
/// SHA-256(SHA-256(payload))`, base58), when its checksum holds.
fn base58check_payload(s: &[u8]) -> Option<Vec<u8>> {
    use sha2::{Digest, Sha256};
    let mut raw = base58_decode(s)?;
    if raw.len() < 5 {
        return None;
    }
    let check = raw.split_off(raw.len() - 4);
    let digest = Sha256::digest(Sha256::digest(&raw));
    (digest[..4] == check[..]).then_some(raw)
}

/// Base58Check of `payload`, as Bitcoin Core writes it: the reverse of `base58check_payload`. The
/// scanner never encodes; tests and fixture generators make fake keys of the real format with it.
pub fn base58check_encode(payload: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut raw = payload.to_vec();
    raw.extend_from_slice(&Sha256::digest(Sha256::digest(payload))[..4]);
    let zeros = raw.iter().take_while(|&&b| b == 0).count();
    // Base-58 digits, little-endian, a byte at a time.
    let mut digits: Vec<u32> = Vec::new();
    for &b in &raw[zeros..] {
        let mut carry = u32::from(b);
        for d in digits.iter_mut() {
            carry += *d << 8;
            *d = carry % 58;
            carry /= 58;
        }
        while carry > 0 {
            digits.push(carry % 58);
            carry /= 58;
        }
    }
    let mut out = "1".repeat(zeros);
    out.extend(digits.iter().rev().map(|&d| ALPHABET[d as usize] as char));
    out
}

/// The version bytes of a private key in wallet import format: Bitcoin's main network (0x80) and
/// test networks (0xEF), Litecoin (0xB0) and Dogecoin (0x9E), as their chain parameters set them.
const WIF_VERSIONS: &[u8] = &[0x80, 0xEF, 0xB0, 0x9E];

/// True when `s` is a private key in wallet import format whose checksum holds: Base58Check of a
/// version byte, the 32-byte secret, and `0x01` when its public key is compressed (51 or 52
/// characters). A random string of the alphabet passes the checksum once in 2^32.
pub fn wif_private_key(s: &[u8]) -> bool {
    if !(51..=52).contains(&s.len()) {
        return false;
    }
    base58check_payload(s).is_some_and(|p| {
        WIF_VERSIONS.contains(&p[0]) && (p.len() == 33 || (p.len() == 34 && p[33] == 0x01))
    })
}

/// The version bytes of BIP-32 extended private keys: `xprv`, `tprv` (BIP-32), `yprv`, `uprv`
/// (BIP-49), `zprv`, `vprv` (BIP-84), `Yprv`, `Zprv` (multi-signature).
const EXTENDED_PRIVATE_VERSIONS: &[u32] = &[
    0x0488_ADE4,
    0x0435_8394,
    0x049D_7878,
    0x044A_4E28,
    0x04B2_430C,
    0x045F_18BC,
    0x0295_B005,
    0x02AA_7A99,
];

/// True when `s` is a BIP-32 extended private key whose checksum holds: Base58Check of 78 bytes
/// (version, depth, parent fingerprint, child number, chain code, then `0x00` and the 32-byte key).
/// The key's `0x00` tells it from an extended public key, whose 33rd-from-last byte is 2 or 3.
pub fn extended_private_key(s: &[u8]) -> bool {
    base58check_payload(s).is_some_and(|p| {
        p.len() == 78
            && EXTENDED_PRIVATE_VERSIONS.contains(&u32::from_be_bytes([p[0], p[1], p[2], p[3]]))
            && p[45] == 0
    })
}

/// Bech32's alphabet, in the order of the 5-bit values it writes (BIP-173).
const BECH32_CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// Bech32's alphabet: a character's 5-bit value, or `None` (upper case counts as lower, as BIP-173
/// reads a string written all in capitals).
fn bech32_value(c: u8) -> Option<u8> {
    let c = c.to_ascii_lowercase();
    BECH32_CHARSET.iter().position(|&x| x == c).map(|v| v as u8)
}

/// BIP-173's checksum over 5-bit values.
fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// The constant a bech32 string's checksum leaves (1), and a bech32m string's (BIP-350).
const BECH32_CONSTANTS: [u32; 2] = [1, 0x2bc8_30a3];

/// The values the checksum covers: the human-readable part expanded (high bits, a zero, low
/// bits), then the data part's characters.
fn bech32_values<'a>(hrp: &'a [u8], data: &'a [u8]) -> impl Iterator<Item = u8> + 'a {
    let hrp = hrp.iter().map(u8::to_ascii_lowercase);
    hrp.clone()
        .map(|c| c >> 5)
        .chain(std::iter::once(0))
        .chain(hrp.map(|c| c & 31))
        .chain(data.iter().map(|&c| bech32_value(c).unwrap_or(0)))
}

/// True when `s` is a bech32 or bech32m string whose checksum holds: a human-readable part of
/// printable characters, the last `1`, and at least six data characters of the alphabet, in one
/// case. A random string of the alphabet passes once in about 2^30.
pub fn bech32(s: &[u8]) -> bool {
    let Some(sep) = s.iter().rposition(|&c| c == b'1') else {
        return false;
    };
    let (hrp, data) = (&s[..sep], &s[sep + 1..]);
    let one_case = !(s.iter().any(u8::is_ascii_lowercase) && s.iter().any(u8::is_ascii_uppercase));
    if hrp.is_empty()
        || data.len() < 6
        || !one_case
        || !hrp.iter().all(|c| (33..=126).contains(c))
        || !data.iter().all(|&c| bech32_value(c).is_some())
    {
        return false;
    }
    BECH32_CONSTANTS.contains(&bech32_polymod(bech32_values(hrp, data)))
}

/// Bech32 of `payload` under `hrp`: the reverse of `bech32`. The scanner never encodes; tests and
/// fixture generators make fake keys of the real format with it.
pub fn bech32_encode(hrp: &str, payload: &[u8]) -> String {
    let data: Vec<u8> = five_bit_groups(payload)
        .iter()
        .map(|&g| BECH32_CHARSET[g as usize])
        .collect();
    // The checksum that makes the whole string's polymod 1: computed over six zero groups.
    let chk = bech32_polymod(bech32_values(hrp.as_bytes(), &data).chain([0u8; 6])) ^ 1;
    let mut out = format!("{hrp}1");
    out.extend(data.iter().map(|&c| c as char));
    out.extend((0..6).map(|i| BECH32_CHARSET[((chk >> (5 * (5 - i))) & 31) as usize] as char));
    out
}

/// True when `s` is a Stellar secret seed whose checksum holds: 56 base32 characters decoding to
/// the seed's version byte (18 << 3), 32 bytes and their CRC-16.
pub fn stellar_seed(s: &[u8]) -> bool {
    if s.len() != 56 {
        return false;
    }
    base32_decode(s).is_some_and(|raw| {
        raw.len() == 35
            && raw[0] == 18 << 3
            && crc16_xmodem(&raw[..33]) == u16::from_le_bytes([raw[33], raw[34]])
    })
}

/// The 5-bit groups of `data`, most significant first, the last group padded with zero bits: what
/// base32 and bech32 both write, each in its own alphabet.
fn five_bit_groups(data: &[u8]) -> Vec<u8> {
    let mut groups = Vec::with_capacity(data.len() * 8 / 5 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in data {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            groups.push(((acc >> bits) & 31) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        groups.push(((acc << (5 - bits)) & 31) as u8);
    }
    groups
}

/// RFC 4648 base32 (upper case, no padding) of `data`: the reverse of `base32_decode`, for tests
/// and fixture generators.
fn base32_encode(data: &[u8]) -> String {
    const ALPHA: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    five_bit_groups(data)
        .iter()
        .map(|&g| ALPHA[g as usize] as char)
        .collect()
}

/// A Stellar secret seed of `payload`, as the SDKs write one: the reverse of `stellar_seed`, for
/// tests and fixture generators.
pub fn stellar_seed_encode(payload: &[u8; 32]) -> String {
    let mut raw = vec![18u8 << 3];
    raw.extend_from_slice(payload);
    raw.extend_from_slice(&crc16_xmodem(&raw).to_le_bytes());
    base32_encode(&raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seed made the way nkeys makes one, from a key type and 32 bytes.
    fn seed(kind: u8, payload: [u8; 32]) -> String {
        let mut raw = vec![(18 << 3) | (kind >> 5), (kind & 31) << 3];
        raw.extend_from_slice(&payload);
        let crc = crc16_xmodem(&raw);
        raw.extend_from_slice(&crc.to_le_bytes());
        base32_encode(&raw)
    }

    #[test]
    fn bech32_vectors_of_bip173_and_bip350_pass_and_a_changed_character_fails() {
        // Valid strings from BIP-173 (bech32) and BIP-350 (bech32m).
        for s in [
            "A12UEL5L",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
            "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
            "A1LQFN3A",
            "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        ] {
            assert!(bech32(s.as_bytes()), "{s}");
        }
        for s in [
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx",
            "A12Uel5L",
            "1pzry9x8gf2tvdw0s3jn54khce6mua7l",
            "abc1qpzr",
        ] {
            assert!(!bech32(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn bech32_encode_round_trips_under_every_key_prefix() {
        let mut rng = crate::testrng::Rng(29);
        for (hrp, len, chars) in [
            ("suiprivkey", 33, 70),
            ("nsec", 32, 63),
            ("addr_xsk", 96, 169),
        ] {
            let payload: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
            let s = bech32_encode(hrp, &payload);
            assert_eq!(s.len(), chars, "{hrp}");
            assert!(bech32(s.as_bytes()), "{s}");
            let mut changed = s.clone().into_bytes();
            let last = changed.len() - 1;
            changed[last] = if changed[last] == b'q' { b'p' } else { b'q' };
            assert!(!bech32(&changed), "{hrp}: one character changed");
        }
    }

    #[test]
    fn stellar_seeds_pass_and_other_strkeys_fail() {
        let mut rng = crate::testrng::Rng(31);
        for _ in 0..50 {
            let mut payload = [0u8; 32];
            payload.iter_mut().for_each(|b| *b = rng.below(256) as u8);
            let s = stellar_seed_encode(&payload);
            assert_eq!(s.len(), 56);
            assert!(s.starts_with('S'));
            assert!(stellar_seed(s.as_bytes()), "{s}");
            let mut changed = s.into_bytes();
            changed[20] = if changed[20] == b'A' { b'B' } else { b'A' };
            assert!(!stellar_seed(&changed));
        }
        // An NKey seed (58 characters, two prefix bytes) is not a Stellar seed.
        assert!(!stellar_seed(seed(0, [7; 32]).as_bytes()));
    }

    #[test]
    fn crc16_xmodem_check_value() {
        // The catalogue's check value of CRC-16/XMODEM over "123456789".
        assert_eq!(crc16_xmodem(b"123456789"), 0x31C3);
    }

    #[test]
    fn seeds_of_every_type_pass_and_start_with_their_letters() {
        let mut rng = crate::testrng::Rng(17);
        for (kind, letter) in NKEY_TYPES.iter().zip(["SO", "SN", "SC", "SA", "SU", "SX"]) {
            let mut payload = [0u8; 32];
            payload.iter_mut().for_each(|b| *b = rng.below(256) as u8);
            let s = seed(*kind, payload);
            assert_eq!(s.len(), 58);
            assert!(s.starts_with(letter), "{letter}: {}", &s[..4]);
            assert!(nkey_seed(s.as_bytes()));
        }
    }

    #[test]
    fn a_bad_checksum_or_shape_fails() {
        let s = seed(20 << 3, [7; 32]);
        assert!(nkey_seed(s.as_bytes()));
        // One character changed in the body: the CRC no longer matches.
        let mut bad = s.clone().into_bytes();
        bad[30] = if bad[30] == b'A' { b'B' } else { b'A' };
        assert!(!nkey_seed(&bad));
        // The checksum itself changed.
        let mut bad = s.clone().into_bytes();
        bad[55] = if bad[55] == b'Q' { b'R' } else { b'Q' };
        assert!(!nkey_seed(&bad));
        // Truncated, lower case, or an unknown key type.
        assert!(!nkey_seed(&s.as_bytes()[..57]));
        assert!(!nkey_seed(s.to_ascii_lowercase().as_bytes()));
        assert!(!nkey_seed(seed(1 << 3, [7; 32]).as_bytes()));
        assert!(!nkey_seed(&[b'A'; 58]));
    }

    fn random_bytes(rng: &mut crate::testrng::Rng, n: usize) -> Vec<u8> {
        (0..n).map(|_| rng.below(256) as u8).collect()
    }

    #[test]
    fn base58_round_trips_with_leading_zeros() {
        let mut rng = crate::testrng::Rng(58);
        for n in [1, 5, 20, 37, 78] {
            let mut payload = random_bytes(&mut rng, n);
            payload[0] = 0;
            let s = base58check_encode(&payload);
            assert!(s.starts_with('1'), "{s}");
            assert_eq!(base58check_payload(s.as_bytes()), Some(payload));
        }
        assert_eq!(base58_decode(b"0OIl"), None);
    }

    #[test]
    fn wif_keys_of_each_network_and_form_pass_and_start_with_their_letters() {
        let mut rng = crate::testrng::Rng(80);
        // (version, compressed, the characters a key of that form starts with)
        let forms: [(u8, bool, &str); 6] = [
            (0x80, false, "5"),
            (0x80, true, "KL"),
            (0xEF, false, "9"),
            (0xEF, true, "c"),
            (0xB0, true, "T"),
            (0x9E, true, "Q"),
        ];
        for (version, compressed, starts) in forms {
            for _ in 0..20 {
                let mut payload = vec![version];
                payload.extend(random_bytes(&mut rng, 32));
                if compressed {
                    payload.push(1);
                }
                let s = base58check_encode(&payload);
                assert_eq!(s.len(), if compressed { 52 } else { 51 }, "{version:x}");
                assert!(
                    starts.contains(&s[..1]),
                    "{version:x} {compressed}: {}",
                    &s[..1]
                );
                assert!(wif_private_key(s.as_bytes()), "{version:x} {compressed}");
            }
        }
    }

    #[test]
    fn a_wif_key_with_a_bad_checksum_version_or_flag_fails() {
        let mut rng = crate::testrng::Rng(81);
        let mut payload = vec![0x80];
        payload.extend(random_bytes(&mut rng, 32));
        payload.push(1);
        let s = base58check_encode(&payload);
        assert!(wif_private_key(s.as_bytes()));
        // One character changed: the checksum fails.
        let mut bad = s.clone().into_bytes();
        bad[20] = if bad[20] == b'a' { b'b' } else { b'a' };
        assert!(!wif_private_key(&bad));
        // A valid checksum over another version (an address's 0x00), or a wrong compression flag.
        let mut other = payload.clone();
        other[0] = 0x05;
        assert!(!wif_private_key(base58check_encode(&other).as_bytes()));
        let mut flag = payload.clone();
        flag[33] = 2;
        assert!(!wif_private_key(base58check_encode(&flag).as_bytes()));
        assert!(!wif_private_key(&[b'5'; 51]));
    }

    #[test]
    fn extended_private_keys_pass_and_public_ones_fail() {
        let mut rng = crate::testrng::Rng(32);
        for (version, prefix) in EXTENDED_PRIVATE_VERSIONS.iter().zip([
            "xprv", "tprv", "yprv", "uprv", "zprv", "vprv", "Yprv", "Zprv",
        ]) {
            let mut payload = version.to_be_bytes().to_vec();
            payload.extend(random_bytes(&mut rng, 41));
            payload.push(0);
            payload.extend(random_bytes(&mut rng, 32));
            let s = base58check_encode(&payload);
            assert_eq!(s.len(), 111);
            assert!(s.starts_with(prefix), "{prefix}: {}", &s[..4]);
            assert!(extended_private_key(s.as_bytes()), "{prefix}");
            // The same layout with a public key (02 or 03 before 32 bytes) under xpub's version.
            let mut public = payload.clone();
            public[..4].copy_from_slice(&0x0488_B21Eu32.to_be_bytes());
            public[45] = 2;
            assert!(!extended_private_key(
                base58check_encode(&public).as_bytes()
            ));
            let mut bad = s.clone().into_bytes();
            bad[60] = if bad[60] == b'z' { b'y' } else { b'z' };
            assert!(!extended_private_key(&bad));
        }
    }
}
