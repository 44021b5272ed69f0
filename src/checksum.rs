//! Checksums that some credential formats carry, so a rule can tell an issued key from a string of
//! the same alphabet and length without a name nearby.
//!
//! NATS NKeys (github.com/nats-io/nkeys, `strkey.go`): the key is standard base32 without padding of
//! `prefix bytes ‖ payload ‖ CRC-16/XMODEM(prefix ‖ payload)` (the CRC little-endian). A seed's
//! first byte is 18 << 3 (the letter `S`) or'ed with the public key type's top bits, its second byte
//! the type's low bits shifted left by 3, then 32 bytes of ed25519 seed: 36 bytes, 58 characters.

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

#[cfg(test)]
mod tests {
    use super::*;

    fn base32_encode(data: &[u8]) -> String {
        const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let (mut out, mut acc, mut bits) = (String::new(), 0u32, 0u32);
        for &b in data {
            acc = (acc << 8) | b as u32;
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(ALPHA[((acc >> bits) & 31) as usize] as char);
            }
            acc &= (1 << bits) - 1;
        }
        if bits > 0 {
            out.push(ALPHA[((acc << (5 - bits)) & 31) as usize] as char);
        }
        out
    }

    /// A seed made the way nkeys makes one, from a key type and 32 bytes.
    fn seed(kind: u8, payload: [u8; 32]) -> String {
        let mut raw = vec![(18 << 3) | (kind >> 5), (kind & 31) << 3];
        raw.extend_from_slice(&payload);
        let crc = crc16_xmodem(&raw);
        raw.extend_from_slice(&crc.to_le_bytes());
        base32_encode(&raw)
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
}
