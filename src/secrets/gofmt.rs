//! Numbers written as sops writes them when it decrypts: its YAML store emits a float with
//! Go's `strconv.FormatFloat(f, 'g', -1, 64)` (yaml.v3), its JSON store with `json.Marshal`.
//! `secrets decrypt` prints the same text, so both tools give byte-equal values
//! (`1e+10`, not `10000000000.0`).

/// A float as yaml.v3 writes it: shortest digits, exponent form below 1e-4 and from 1e6 on,
/// `.inf`, `-.inf`, `.nan`.
pub fn yaml_float(value: f64) -> String {
    if value.is_nan() {
        return ".nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    let (digits, exp) = shortest(value);
    if !(-4..6).contains(&exp) {
        exponent_form(value, &digits, exp)
    } else {
        format!("{value}")
    }
}

/// A float as Go's `encoding/json` writes it: positional from 1e-6 up to 1e21, exponent
/// form (`1e+21`, `1e-7`) outside; `None` for infinities and NaN, which JSON cannot hold.
pub fn json_float(value: f64) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    let abs = value.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let (digits, exp) = shortest(value);
        let text = exponent_form(value, &digits, exp);
        // Go trims one leading zero of a negative exponent: e-07 → e-7.
        return Some(match text.rsplit_once("e-0") {
            Some((mantissa, rest)) => format!("{mantissa}e-{rest}"),
            None => text,
        });
    }
    Some(format!("{value}"))
}

/// The shortest round-trip decimal digits of a finite float (no sign, no leading zeros) and
/// its decimal exponent: `value = ±d.ddd × 10^exp`.
fn shortest(value: f64) -> (String, i32) {
    // Rust's `{:e}` prints the shortest digits that read back as the same float, as Go does.
    let text = format!("{:e}", value.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    (mantissa.replace('.', ""), exp.parse().unwrap_or(0))
}

/// `d.ddde±XX` with at least two exponent digits, as Go's `%e`.
fn exponent_form(value: f64, digits: &str, exp: i32) -> String {
    let sign = if value.is_sign_negative() { "-" } else { "" };
    let (first, rest) = digits.split_at(1.min(digits.len()));
    let dot = if rest.is_empty() { "" } else { "." };
    let exp_sign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{first}{dot}{rest}e{exp_sign}{:02}", exp.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_floats_are_written_as_go_writes_them() {
        // Expected values from Go: strconv.FormatFloat(v, 'g', -1, 64).
        let cases = [
            (1e10, "1e+10"),
            (-0.0, "-0"),
            (1.5, "1.5"),
            (100000.0, "100000"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e-300, "-2.5e-300"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (f64::INFINITY, ".inf"),
            (f64::NEG_INFINITY, "-.inf"),
            (f64::NAN, ".nan"),
        ];
        for (value, want) in cases {
            assert_eq!(yaml_float(value), want, "{value}");
        }
    }

    #[test]
    fn json_floats_are_written_as_go_writes_them() {
        let cases = [
            (1e10, "10000000000"),
            (-0.0, "-0"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (1.5e-6, "0.0000015"),
            (1.25e-10, "1.25e-10"),
        ];
        for (value, want) in cases {
            assert_eq!(json_float(value).unwrap(), want, "{value}");
        }
        assert_eq!(json_float(f64::NAN), None);
    }
}
