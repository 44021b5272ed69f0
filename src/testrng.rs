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
