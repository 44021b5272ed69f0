//! Pack entry decoding: arbitrary bytes as a pack's entries (headers, delta base references, zlib
//! data, deltas), read through `PackReader` as the history scan does. Must never panic, abort or
//! allocate what a header claims rather than what the input can hold.
#![no_main]
use leakguard::source::pack::{Location, PackReader, PackSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte says how many objects the input holds (1 to 4); then each one's start, two
    // bytes big-endian, an offset into the entries that follow.
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = (n as usize % 4) + 1;
    if rest.len() < 2 * n {
        return;
    }
    let (starts, entries) = rest.split_at(2 * n);
    let mut pack = b"PACK\0\0\0\x02".to_vec();
    pack.extend_from_slice(&(n as u32).to_be_bytes());
    pack.extend_from_slice(entries);
    pack.extend_from_slice(&[0; 20]);
    let offsets: Vec<u32> = starts
        .chunks_exact(2)
        .map(|s| 12 + u16::from_be_bytes([s[0], s[1]]) as u32 % (entries.len() as u32 + 1))
        .collect();
    let Some(set) = PackSet::from_memory(pack, &offsets) else {
        return;
    };
    let mut r = PackReader::new(&set, 1 << 20);
    for &o in &offsets {
        let loc = Location {
            pack: 0,
            offset: o as u64,
        };
        let header = r.header(loc);
        if let Ok((kind, data)) = r.read(loc) {
            // A read object agrees with its header.
            assert_eq!(header.ok(), Some((kind, data.len())));
        }
    }
});
