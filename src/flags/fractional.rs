//! flagd's `fractional` bucketing, generation 2: `(murmur3(key) * total) >> 32`.
//!
//! Pure arithmetic over a key and integer weights; argument handling lives in
//! [`super::jsonlogic`]. Widening a rollout only moves the boundary between two adjacent
//! buckets, so a key below the old boundary stays below the new one.

use super::murmur3::murmur3_x86_32;

/// The largest total weight flagd accepts (`math.MaxInt32`).
pub const MAX_TOTAL_WEIGHT: u64 = 2_147_483_647;

/// Where a key falls among weighted buckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// MurmurHash3 x86_32 (seed 0) of the key's UTF-8 bytes.
    pub hash: u32,
    /// Sum of the weights.
    pub total: u64,
    /// `(hash * total) >> 32`, in `0..total`.
    pub bucket: u64,
    /// Index of the chosen weight: the first whose cumulative sum exceeds `bucket`.
    pub index: usize,
}

/// Places a key among buckets with the given weights; `None` when the total is 0 or larger
/// than [`MAX_TOTAL_WEIGHT`] (flagd returns null then).
pub fn place(key: &str, weights: &[u64]) -> Option<Placement> {
    let total = weights
        .iter()
        .try_fold(0u64, |sum, w| sum.checked_add(*w))?;
    if total == 0 || total > MAX_TOTAL_WEIGHT {
        return None;
    }
    let hash = murmur3_x86_32(key.as_bytes(), 0);
    let bucket = (u64::from(hash) * total) >> 32;
    let mut cumulative = 0;
    let index = weights
        .iter()
        .position(|w| {
            cumulative += w;
            cumulative > bucket
        })
        .expect("bucket < total, so some cumulative sum exceeds it");
    Some(Placement {
        hash,
        total,
        bucket,
        index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn testbed_key_lands_in_hearts() {
        let placed = place("fractional-flagjack", &[25, 25, 25, 25]).unwrap();
        assert_eq!(placed.bucket, 62);
        assert_eq!(placed.index, 2);
    }

    #[test]
    fn boundaries_of_a_fifty_fifty_split() {
        for (key, index) in [
            ("ejOoVL", 0),
            ("bY9fO-", 0),
            ("SI7p-", 0),
            ("6LvT0", 1),
            ("ceQdGm", 1),
        ] {
            assert_eq!(place(key, &[50, 50]).unwrap().index, index, "{key}");
        }
    }

    #[test]
    fn zero_and_oversized_totals_have_no_placement() {
        assert_eq!(place("k", &[0, 0]), None);
        assert_eq!(place("k", &[]), None);
        assert_eq!(place("k", &[MAX_TOTAL_WEIGHT, 1]), None);
        assert!(place("k", &[MAX_TOTAL_WEIGHT]).is_some());
    }

    #[test]
    fn zero_weight_buckets_are_never_chosen() {
        for i in 0..1000 {
            assert_eq!(place(&format!("user-{i}"), &[0, 1, 0]).unwrap().index, 1);
        }
    }
}
