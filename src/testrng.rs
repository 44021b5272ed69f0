//! A seeded xorshift generator for the crate's randomized tests (engine differential tests, path
//! regexes, random histories): one generator, so a seed means the same stream everywhere.

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// Steps the generator and returns the new value below `n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A random index below `k`: the usize form the differential tests draw lengths and picks with.
pub(crate) fn n(r: &mut Rng, k: usize) -> usize {
    r.below(k as u64) as usize
}

/// A match's span and its first group's, as the hand readers' differential tests compare them.
pub(crate) type Spans = Vec<(usize, usize, usize, usize)>;

/// Every match of `re` in `hay` with its first group: the oracle a hand reader is tested against.
pub(crate) fn by_regex(re: &regex::bytes::Regex, hay: &[u8]) -> Spans {
    re.captures_iter(hay)
        .map(|c| {
            let (m, v) = (c.get(0).unwrap(), c.get(1).unwrap());
            (m.start(), m.end(), v.start(), v.end())
        })
        .collect()
}

/// A rule's regex as the engine compiles it for bytes (Unicode off, the catalog's size limit): the
/// oracle's regex.
pub(crate) fn regex_of(src: &str) -> regex::bytes::Regex {
    regex::bytes::RegexBuilder::new(src)
        .unicode(false)
        .size_limit(crate::rules::REGEX_SIZE_LIMIT)
        .build()
        .unwrap()
}
