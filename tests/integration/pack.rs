//! Crafted packs: real repositories packed by git, then one entry rewritten so that a size in a pack
//! or delta header claims far more than the pack holds. The history scan must exit 2 with one line
//! naming the object, never abort on the allocation or panic.

use crate::common::Fake;
use crate::gitrepo::Repo;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use std::io::{Read, Write};
use std::path::PathBuf;

/// What a header claims: a terabyte, which no allocation may take at face value.
const CLAIM: u64 = 1 << 40;

/// Packs `blobs` alone into a new pack (their loose copies removed, so every read goes through it);
/// returns the pack and its last entry: (object id, offset, whether it is a delta). With one blob or
/// a blob and its delta base, the entry to rewrite is the last, so no other offset moves.
fn pack_alone(repo: &Repo, blobs: &[&str]) -> (PathBuf, String, usize, bool) {
    let input: String = blobs.iter().map(|b| format!("{b}\n")).collect();
    let name = repo.git_input(
        &["pack-objects", "-q", ".git/objects/pack/pack"],
        input.as_bytes(),
    );
    repo.git(&["prune-packed"]);
    let idx = repo
        .root
        .join(format!(".git/objects/pack/pack-{}.idx", name.trim()));
    let listing = repo.git(&["verify-pack", "-v", idx.to_str().unwrap()]);
    // "<id> <type> <size> <size in pack> <offset> [<depth> <base id>]"
    let last = listing
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() >= 5 && f[0].len() == 40).then(|| {
                (
                    f[0].to_string(),
                    f[1].to_string(),
                    f[4].parse::<usize>().unwrap(),
                    f.len() == 7,
                )
            })
        })
        .max_by_key(|e| e.2)
        .expect("objects in the pack");
    assert_eq!(last.1, "blob", "the last entry is a blob:\n{listing}");
    (idx.with_extension("pack"), last.0, last.2, last.3)
}

fn varint_len(b: &[u8]) -> usize {
    b.iter().position(|c| c & 0x80 == 0).unwrap() + 1
}

/// An entry header: type and size, little-endian groups of 4 then 7 bits.
fn entry_header(kind: u8, mut size: u64) -> Vec<u8> {
    let mut out = vec![(kind << 4) | (size & 15) as u8];
    size >>= 4;
    while size != 0 {
        *out.last_mut().unwrap() |= 0x80;
        out.push((size & 0x7f) as u8);
        size >>= 7;
    }
    out
}

fn delta_varint(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

/// Replaces the entry at `at`, the pack's last, with `entry`; the trailer is kept (nothing checks the
/// pack's checksum on open, libgit2 only compares it with the index's copy).
fn rewrite_last(pack: &PathBuf, at: usize, entry: &[u8]) {
    let bytes = std::fs::read(pack).unwrap();
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(entry);
    out.extend_from_slice(&bytes[bytes.len() - 20..]);
    // Packs are written read-only.
    let mut perms = std::fs::metadata(pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(pack, perms).unwrap();
    std::fs::write(pack, out).unwrap();
}

fn assert_corrupt(repo: &Repo, blob: &str, secret: &str) {
    let r = repo.leakguard(&["history", "."]);
    assert_eq!(r.code, 2, "{}", r.all());
    let line = r.stderr.trim();
    assert_eq!(line.lines().count(), 1, "one line: {line}");
    assert!(line.contains("corrupt repository: "), "{line}");
    assert!(line.contains(&blob[..12]), "names the object: {line}");
    assert!(!line.contains("internal error"), "{line}");
    assert!(!r.all().contains(secret), "the secret stays out of errors");
}

#[test]
fn an_entry_claiming_a_terabyte_is_a_corrupt_repository() {
    let repo = Repo::new();
    let pat = Fake::new(4101).github_pat();
    repo.write("a.txt", format!("token = {pat}\n").repeat(20));
    repo.commit_all("add");
    let blob = repo.git(&["rev-parse", "HEAD:a.txt"]);
    let (pack, blob, at, delta) = pack_alone(&repo, &[blob.trim()]);
    assert!(!delta);
    let bytes = std::fs::read(&pack).unwrap();
    let old = varint_len(&bytes[at..]);
    let mut entry = entry_header(3, CLAIM);
    entry.extend_from_slice(&bytes[at + old..bytes.len() - 20]);
    rewrite_last(&pack, at, &entry);
    assert_corrupt(&repo, &blob, &pat);
}

#[test]
fn a_delta_claiming_a_terabyte_is_a_corrupt_repository() {
    let repo = Repo::new();
    let pat = Fake::new(4102).github_pat();
    let body: String = (0..200)
        .map(|i| format!("line {i} of the file\n"))
        .collect();
    repo.write("a.txt", format!("{body}token = {pat}\n"));
    repo.commit_all("one");
    repo.write("a.txt", format!("{body}token = {pat}\nmore\n"));
    repo.commit_all("two");
    let one = repo.git(&["rev-parse", "HEAD~:a.txt"]);
    let two = repo.git(&["rev-parse", "HEAD:a.txt"]);
    let (pack, blob, at, delta) = pack_alone(&repo, &[one.trim(), two.trim()]);
    assert!(delta, "the last entry is a delta");
    let bytes = std::fs::read(&pack).unwrap();
    let header = varint_len(&bytes[at..]);
    let kind = (bytes[at] >> 4) & 7;
    let base_ref = match kind {
        6 => varint_len(&bytes[at + header..]),
        7 => 20,
        k => panic!("entry type {k} is not a delta"),
    };
    let data_at = at + header + base_ref;
    let mut delta = Vec::new();
    ZlibDecoder::new(&bytes[data_at..bytes.len() - 20])
        .read_to_end(&mut delta)
        .unwrap();
    // Source size, then target size: the target size becomes the claim.
    let src = varint_len(&delta);
    let dst = varint_len(&delta[src..]);
    let mut crafted = delta[..src].to_vec();
    crafted.extend(delta_varint(CLAIM));
    crafted.extend_from_slice(&delta[src + dst..]);
    let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&crafted).unwrap();
    let mut entry = entry_header(kind, crafted.len() as u64);
    entry.extend_from_slice(&bytes[at + header..data_at]);
    entry.extend(z.finish().unwrap());
    rewrite_last(&pack, at, &entry);
    assert_corrupt(&repo, &blob, &pat);
}

/// Flips the lowest bit of the byte at `at` in `pack` (a pack is written read-only).
fn flip(pack: &PathBuf, at: usize) {
    let mut bytes = std::fs::read(pack).unwrap();
    bytes[at] ^= 1;
    let mut perms = std::fs::metadata(pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(pack, perms).unwrap();
    std::fs::write(pack, bytes).unwrap();
}

#[test]
fn an_entry_whose_adler_trailer_is_damaged_is_a_corrupt_repository() {
    // The entry still inflates to the size its header says; only the Adler-32 after the deflate
    // data tells. git itself refuses the object ("incorrect data check").
    let repo = Repo::new();
    let pat = Fake::new(4103).github_pat();
    repo.write("a.txt", format!("token = {pat}\n").repeat(20));
    repo.commit_all("add");
    let blob = repo.git(&["rev-parse", "HEAD:a.txt"]);
    let (pack, blob, _, delta) = pack_alone(&repo, &[blob.trim()]);
    assert!(!delta);
    let len = std::fs::read(&pack).unwrap().len();
    // The last entry's last byte: the low byte of its Adler-32, just before the pack's checksum.
    flip(&pack, len - 21);
    let git = repo.try_git(&["cat-file", "-p", &blob]);
    assert_ne!(git.code, 0, "git reads the damaged object: {}", git.all());
    assert_corrupt(&repo, &blob, &pat);
}

#[test]
fn stored_data_damaged_to_the_same_size_is_a_corrupt_repository() {
    // Deflate's stored blocks copy bytes as they are: a flipped byte inflates to a different
    // blob of the same size, which only the Adler-32 catches.
    let repo = Repo::new();
    let pat = Fake::new(4104).github_pat();
    let text = format!("token = {pat}\n{}", "a line after the token\n".repeat(20));
    repo.write("a.txt", &text);
    repo.commit_all("add");
    let blob = repo.git(&["rev-parse", "HEAD:a.txt"]);
    let (pack, blob, at, delta) = pack_alone(&repo, &[blob.trim()]);
    assert!(!delta);
    let bytes = std::fs::read(&pack).unwrap();
    let header = varint_len(&bytes[at..]);
    let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::none());
    z.write_all(text.as_bytes()).unwrap();
    let mut entry = bytes[at..at + header].to_vec();
    entry.extend(z.finish().unwrap());
    rewrite_last(&pack, at, &entry);
    let untouched = repo.leakguard(&["history", "."]);
    assert_eq!(
        untouched.code,
        1,
        "stored blocks read back: {}",
        untouched.all()
    );
    // A byte of the last line, well after the token: stored as is, 4 bytes before the trailer.
    let len = std::fs::read(&pack).unwrap().len();
    flip(&pack, len - 20 - 4 - 3);
    assert_corrupt(&repo, &blob, &pat);
}
