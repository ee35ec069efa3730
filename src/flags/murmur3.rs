//! MurmurHash3 x86_32, the hash behind flagd's `fractional` bucketing.
//!
//! flagd (Go) hashes the UTF-8 bytes of the bucketing key with seed 0; so does cfgctl.

/// Returns the 32-bit MurmurHash3 (x86 variant) of `data` with `seed`.
pub fn murmur3_x86_32(data: &[u8], seed: u32) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mut h = seed;
    let mut blocks = data.chunks_exact(4);
    for block in &mut blocks {
        let mut k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        h ^= k;
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, byte) in tail.iter().enumerate() {
            k |= u32::from(*byte) << (8 * i);
        }
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        h ^= k;
    }
    // The length is mixed in modulo 2^32, as every reference implementation does.
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(key: &str) -> u32 {
        murmur3_x86_32(key.as_bytes(), 0)
    }

    fn bucket_of_100(key: &str) -> u64 {
        (u64::from(hash(key)) * 100) >> 32
    }

    /// The vectors of FLAGS.md §A3 (seed 0, UTF-8).
    #[test]
    fn known_vectors() {
        assert_eq!(hash(""), 0);
        assert_eq!(hash("a"), 1_009_084_850);
        assert_eq!(hash("abc"), 3_017_643_002);
        assert_eq!(hash("hello"), 613_153_351);
        assert_eq!(hash("hello"), 0x248b_fa47);
        assert_eq!(hash("fractional-flagjack"), 2_682_799_072);
        assert_eq!(bucket_of_100("fractional-flagjack"), 62);
    }

    /// The testbed's hash edge keys, found by brute force to hit the bucket boundaries.
    #[test]
    fn boundary_vectors() {
        assert_eq!(hash("ejOoVL"), 0);
        assert_eq!(hash("bY9fO-"), 1);
        assert_eq!(hash("SI7p-"), 0x7fff_ffff);
        assert_eq!(bucket_of_100("SI7p-"), 49);
        assert_eq!(hash("6LvT0"), 0x8000_0000);
        assert_eq!(bucket_of_100("6LvT0"), 50);
        assert_eq!(hash("ceQdGm"), 0xffff_ffff);
        assert_eq!(bucket_of_100("ceQdGm"), 99);
    }

    /// Non-ASCII keys are hashed as UTF-8, like flagd's Go evaluator (FLAGS.md §A4, divergence 2).
    #[test]
    fn hashes_utf8_bytes() {
        assert_eq!(hash("é"), 269_551_495);
        assert_eq!(bucket_of_100("名前"), 70);
    }

    #[test]
    fn seed_changes_the_hash() {
        assert_ne!(murmur3_x86_32(b"abc", 1), hash("abc"));
    }
}
