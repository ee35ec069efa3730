//! Kubernetes resource quantities (`250m`, `1.5Gi`, `2e3`), exactly: a quantity is held as a
//! whole number of nano units, as Kubernetes rounds anything finer up to one nano.

/// A quantity in nano units (`1` is 1_000_000_000, `250m` is 250_000_000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(pub i128);

const NANO: i128 = 1_000_000_000;

impl Quantity {
    /// Parses the Kubernetes quantity syntax: an optionally signed decimal number and a suffix
    /// that is binary SI (`Ki` … `Ei`), decimal SI (`n`, `u`, `m`, `k`, `M` … `E`) or a
    /// decimal exponent (`e3`, `E-2`).
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let invalid = || format!("`{text}` is not a quantity (e.g. 250m, 1.5Gi, 2e3)");
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let number_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let (number, suffix) = rest.split_at(number_len);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
            return Err(invalid());
        }
        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 30 {
            return Err(format!("`{text}` has too many digits"));
        }
        let mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| invalid())?
        };
        // value = mantissa * 10^(exp10 - fraction digits) * 2^exp2
        let (exp10, exp2): (i32, u32) = match suffix {
            "" => (0, 0),
            "n" => (-9, 0),
            "u" => (-6, 0),
            "m" => (-3, 0),
            "k" => (3, 0),
            "M" => (6, 0),
            "G" => (9, 0),
            "T" => (12, 0),
            "P" => (15, 0),
            "E" => (18, 0),
            "Ki" => (0, 10),
            "Mi" => (0, 20),
            "Gi" => (0, 30),
            "Ti" => (0, 40),
            "Pi" => (0, 50),
            "Ei" => (0, 60),
            _ => {
                let exponent = suffix
                    .strip_prefix(['e', 'E'])
                    .filter(|e| {
                        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                        !e.is_empty() && e.len() <= 3 && e.bytes().all(|b| b.is_ascii_digit())
                    })
                    .ok_or_else(invalid)?;
                (exponent.parse().map_err(|_| invalid())?, 0)
            }
        };
        let out_of_range = || format!("`{text}` is out of range");
        let scale = exp10 + 9 - fraction.len() as i32;
        let mut value = mantissa
            .checked_mul(1i128 << exp2)
            .ok_or_else(out_of_range)?;
        if scale >= 0 {
            let factor = 10i128.checked_pow(scale as u32).ok_or_else(out_of_range)?;
            value = value.checked_mul(factor).ok_or_else(out_of_range)?;
        } else {
            // Finer than a nano unit: round up, as Kubernetes does.
            let divisor = 10i128.checked_pow((-scale) as u32);
            value = match divisor {
                Some(d) => value / d + i128::from(value % d != 0),
                None => i128::from(value != 0),
            };
        }
        Ok(Quantity(if negative { -value } else { value }))
    }

    pub fn sign(self) -> i64 {
        self.0.signum() as i64
    }

    /// Whether the quantity is a whole number that fits an `int`.
    pub fn as_integer(self) -> Option<i64> {
        (self.0 % NANO == 0)
            .then(|| i64::try_from(self.0 / NANO).ok())
            .flatten()
    }

    pub fn as_approximate_float(self) -> f64 {
        self.0 as f64 / NANO as f64
    }

    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_add(other.0).map(Quantity)
    }

    pub fn from_int(value: i64) -> Quantity {
        Quantity(i128::from(value) * NANO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> i128 {
        Quantity::parse(text).unwrap().0
    }

    #[test]
    fn parses_the_kubernetes_suffixes() {
        assert_eq!(q("250m"), 250_000_000);
        assert_eq!(q("1"), NANO);
        assert_eq!(q("0.5"), NANO / 2);
        assert_eq!(q(".5"), NANO / 2);
        assert_eq!(q("1Ki"), 1024 * NANO);
        assert_eq!(q("1.5Gi"), 3 * (1 << 29) * NANO);
        assert_eq!(q("2e3"), 2000 * NANO);
        assert_eq!(q("2E-3"), 2_000_000);
        assert_eq!(q("1k"), 1000 * NANO);
        assert_eq!(q("1M"), 1_000_000 * NANO);
        assert_eq!(q("-100m"), -100_000_000);
        assert_eq!(q("7n"), 7);
        assert_eq!(q("1Ei"), (1i128 << 60) * NANO);
        // Finer than a nano unit rounds up.
        assert_eq!(q("1e-10"), 1);
        assert_eq!(q("1000m"), q("1"));
    }

    #[test]
    fn rejects_what_kubernetes_rejects() {
        for bad in [
            "", "m", "1.2.3", "1x", "1 m", "1KI", "--1", "1e", "1ee3", "abc",
        ] {
            assert!(Quantity::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn integer_and_float_views() {
        assert_eq!(Quantity::parse("3").unwrap().as_integer(), Some(3));
        assert_eq!(Quantity::parse("1500m").unwrap().as_integer(), None);
        assert_eq!(
            Quantity::parse("1500m").unwrap().as_approximate_float(),
            1.5
        );
        assert_eq!(Quantity::parse("-2").unwrap().sign(), -1);
    }
}
