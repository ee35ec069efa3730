//! The deterministic generator the property tests draw their inputs from (xorshift64): the
//! same seed gives the same documents on every machine, so a failure can be replayed.

/// A xorshift64 generator; the seed must not be zero.
pub(crate) struct Xorshift(pub u64);

impl Xorshift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
