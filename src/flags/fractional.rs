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

/// Which generation of `fractional` to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Generation {
    /// The bucketing key is a string, hashed as UTF-8: what the flagd daemon runs.
    #[default]
    V2,
    /// The bucketing key is any JSON value, hashed as its deterministic CBOR encoding (ADR
    /// `fractional-non-string-rand-units`); not in the flagd daemon yet.
    V3,
}

/// Places a key among buckets with the given weights; `None` when the total is 0 or larger
/// than [`MAX_TOTAL_WEIGHT`] (flagd returns null then).
pub fn place(key: &str, weights: &[u64]) -> Option<Placement> {
    place_bytes(key.as_bytes(), weights)
}

/// Like [`place`] for a key given as bytes (v3 hashes a CBOR encoding).
pub fn place_bytes(key: &[u8], weights: &[u64]) -> Option<Placement> {
    let total = weights
        .iter()
        .try_fold(0u64, |sum, w| sum.checked_add(*w))?;
    if total == 0 || total > MAX_TOTAL_WEIGHT {
        return None;
    }
    let hash = murmur3_x86_32(key, 0);
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

/// Encodes a JSON value as RFC 8949 core deterministic CBOR, the v3 bucketing key: integers
/// (and integral floats in the integer range, `-0.0` included) in the shortest head, other
/// floats in the shortest of half, single and double precision that keeps the value, map
/// keys sorted by their encoded bytes.
pub fn cbor(value: &serde_json::Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode(value, &mut out);
    out
}

fn encode(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Null => out.push(0xf6),
        Value::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                head(0, u, out);
            } else if let Some(i) = n.as_i64() {
                head(1, (-1 - i) as u64, out);
            } else {
                float(n.as_f64().unwrap_or(f64::NAN), out);
            }
        }
        Value::String(s) => {
            head(3, s.len() as u64, out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            head(4, items.len() as u64, out);
            for item in items {
                encode(item, out);
            }
        }
        Value::Object(map) => {
            let mut entries: Vec<(Vec<u8>, &Value)> = map
                .iter()
                .map(|(k, v)| (cbor(&Value::String(k.clone())), v))
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            head(5, entries.len() as u64, out);
            for (key, value) in entries {
                out.extend_from_slice(&key);
                encode(value, out);
            }
        }
    }
}

fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let major = major << 5;
    match n {
        0..=23 => out.push(major | n as u8),
        24..=0xff => out.extend_from_slice(&[major | 24, n as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

fn float(f: f64, out: &mut Vec<u8>) {
    // Integral values that fit an integer head are integers (so 1.0, 1 and -0.0 agree).
    const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
    if f.fract() == 0.0 && (-TWO_POW_64..TWO_POW_64).contains(&f) {
        if f >= 0.0 {
            head(0, f as u64, out);
        } else {
            head(1, (-1.0 - f) as u64, out);
        }
        return;
    }
    let single = f as f32;
    if f64::from(single) == f || f.is_nan() {
        if let Some(half) = f16_bits(single) {
            out.push(0xf9);
            out.extend_from_slice(&half.to_be_bytes());
        } else {
            out.push(0xfa);
            out.extend_from_slice(&single.to_bits().to_be_bytes());
        }
    } else {
        out.push(0xfb);
        out.extend_from_slice(&f.to_bits().to_be_bytes());
    }
}

/// The IEEE half-precision bits of `f` when it has one exactly.
fn f16_bits(f: f32) -> Option<u16> {
    let bits = f.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exponent = ((bits >> 23) & 0xff) as i32;
    let mantissa = bits & 0x7f_ffff;
    if exponent == 0 || exponent == 0xff {
        // Zero is an integer by now; f32 subnormals are below half precision; no NaN in JSON.
        return None;
    }
    let e = exponent - 127;
    if (-14..=15).contains(&e) {
        if mantissa & 0x1fff != 0 {
            return None;
        }
        return Some(sign | (((e + 15) as u16) << 10) | (mantissa >> 13) as u16);
    }
    if (-24..-14).contains(&e) {
        // Subnormal half: value = k * 2^-24 with k < 1024.
        let full = 0x80_0000 | mantissa;
        let shift = (-(e + 1)) as u32;
        if full & ((1 << shift) - 1) != 0 {
            return None;
        }
        return Some(sign | (full >> shift) as u16);
    }
    None
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
    fn cbor_is_deterministic() {
        use serde_json::json;
        assert_eq!(cbor(&json!("a")), [0x61, b'a']);
        assert_eq!(cbor(&json!(23)), [0x17]);
        assert_eq!(cbor(&json!(24)), [0x18, 24]);
        assert_eq!(cbor(&json!(-25)), [0x38, 24]);
        assert_eq!(cbor(&json!(1.0)), cbor(&json!(1)));
        assert_eq!(cbor(&json!(-0.0)), [0x00]);
        assert_eq!(cbor(&json!(1.5)), [0xf9, 0x3e, 0x00]);
        assert_eq!(cbor(&json!(65504.5)), [0xfa, 0x47, 0x7f, 0xe0, 0x80]);
        assert_eq!(cbor(&json!(5.960_464_477_539_063e-8)), [0xf9, 0x00, 0x01]);
        assert_eq!(
            cbor(&json!(0.1)),
            [0xfb, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]
        );
        assert_eq!(
            cbor(&json!({"b": 1, "a": 2})),
            cbor(&json!({"a": 2, "b": 1}))
        );
        assert_eq!(cbor(&json!([true, null])), [0x82, 0xf5, 0xf6]);
    }

    #[test]
    fn cbor_heads_use_the_shortest_width() {
        use serde_json::json;
        assert_eq!(cbor(&json!(255)), [0x18, 0xff]);
        assert_eq!(cbor(&json!(256)), [0x19, 0x01, 0x00]);
        assert_eq!(cbor(&json!(65535)), [0x19, 0xff, 0xff]);
        assert_eq!(cbor(&json!(65536)), [0x1a, 0x00, 0x01, 0x00, 0x00]);
        assert_eq!(
            cbor(&json!(4_294_967_295u64)),
            [0x1a, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            cbor(&json!(4_294_967_296u64)),
            [0x1b, 0, 0, 0, 0x01, 0, 0, 0, 0]
        );
        assert_eq!(cbor(&json!(-256)), [0x38, 0xff]);
        assert_eq!(cbor(&json!(-257)), [0x39, 0x01, 0x00]);
        let long = "x".repeat(24);
        assert_eq!(cbor(&json!(long))[..2], [0x78, 24]);
        assert_eq!(cbor(&json!({"k": []})), [0xa1, 0x61, b'k', 0x80]);
    }

    /// Negative values: integral floats become negative integers, others keep their sign bit.
    #[test]
    fn cbor_negative_floats() {
        use serde_json::json;
        assert_eq!(cbor(&json!(-1.0)), [0x20]);
        assert_eq!(cbor(&json!(-25.0)), cbor(&json!(-25)));
        assert_eq!(cbor(&json!(-1.5)), [0xf9, 0xbe, 0x00]);
        assert_eq!(cbor(&json!(-5.960_464_477_539_063e-8)), [0xf9, 0x80, 0x01]);
        assert_eq!(cbor(&json!(-65504.5)), [0xfa, 0xc7, 0x7f, 0xe0, 0x80]);
    }

    /// v3 keys from the flagd-testbed (`fractional-basic-flag`: 25 buckets of weight 4).
    #[test]
    fn v3_places_cbor_keys() {
        use serde_json::json;
        let bucket = |key: serde_json::Value| place_bytes(&cbor(&key), &[4; 25]).unwrap().index + 1;
        assert_eq!(bucket(json!("user1")), 22);
        assert_eq!(bucket(json!(true)), 5);
        assert_eq!(bucket(json!(123)), 20);
        assert_eq!(bucket(json!(1.23)), 14);
        assert_eq!(bucket(json!("1.23")), 4);
        assert_eq!(bucket(json!(-0.0)), 8);
        assert_eq!(bucket(json!(65505.0)), 17);
        assert_eq!(bucket(json!(5.960_464_477_539_063e-8)), 23);
        assert_eq!(bucket(json!(1.797_693_134_862_315_7e308)), 17);
        assert_eq!(bucket(json!({"b": 2, "a": 1})), 23);
        assert_eq!(bucket(json!({"ÿ": 2, "aaa": 1})), 12);
    }

    #[test]
    fn zero_weight_buckets_are_never_chosen() {
        for i in 0..1000 {
            assert_eq!(place(&format!("user-{i}"), &[0, 1, 0]).unwrap().index, 1);
        }
    }
}
