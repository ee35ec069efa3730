//! What a repository's secret files hold, without decrypting them (`secrets list`), and how
//! old their values are (`secrets check --max-age`).
//!
//! sops records one `lastmodified` per file, written whenever any value is set, edited,
//! rotated or re-keyed; the age of a file's values is the time since then.

use super::{Body, SecretFile, cipher};
use anyhow::{Result, bail};

/// One encrypted file, as `secrets list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub recipients: Vec<String>,
    /// Encrypted values (comments not counted).
    pub encrypted: usize,
    /// Values left in clear by the file's rule (null not counted).
    pub clear: usize,
    /// As written in the file.
    pub lastmodified: String,
    /// `lastmodified` in seconds since the epoch, when it reads as RFC 3339.
    pub modified_at: Option<i64>,
}

impl Summary {
    /// Whole days since `lastmodified`, at `now` (0 for a time in the future).
    pub fn age_days(&self, now: i64) -> Option<i64> {
        self.modified_at
            .map(|at| (now - at).max(0).div_euclid(86_400))
    }
}

pub fn summarize(file: &SecretFile) -> Summary {
    let is_value = |text: &str| cipher::is_encrypted(text) && !text.ends_with(",type:comment]");
    let (mut encrypted, mut clear) = (0, 0);
    match &file.body {
        Body::Tree(scanned) => {
            for leaf in &scanned.leaves {
                match &leaf.value {
                    crate::document::Value::String(s) if cipher::is_encrypted(s) => {
                        if is_value(s) {
                            encrypted += 1;
                        }
                    }
                    crate::document::Value::Null => {}
                    _ => clear += 1,
                }
            }
        }
        Body::Ini(parsed) => {
            for item in &parsed.items {
                if let super::ini::Item::Value { text, .. } = item {
                    if is_value(text) {
                        encrypted += 1;
                    } else {
                        clear += 1;
                    }
                }
            }
        }
    }
    Summary {
        recipients: file
            .metadata
            .age
            .iter()
            .map(|k| k.recipient.clone())
            .collect(),
        encrypted,
        clear,
        lastmodified: file.metadata.lastmodified.clone(),
        modified_at: crate::clock::parse_timestamp(&file.metadata.lastmodified),
    }
}

/// A maximum age: a number and a unit, `h` (hours), `d` (days), `w` (weeks) or `y` (365
/// days): `90d`, `12w`, `1y`. Returns seconds.
pub fn parse_max_age(text: &str) -> Result<i64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let Ok(number) = number.parse::<i64>() else {
        bail!("`{text}` is not an age: write a number and a unit, like 90d, 12w or 1y");
    };
    let unit_seconds = match unit {
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        "y" => 365 * 86_400,
        _ => bail!("`{text}`: the unit must be h, d, w or y (like 90d)"),
    };
    if number == 0 {
        bail!("`{text}`: the age must be more than zero");
    }
    number
        .checked_mul(unit_seconds)
        .ok_or_else(|| anyhow::anyhow!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sops")
            .join(name);
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn counts_values_and_reads_lastmodified() {
        let file = super::super::read("example.yaml", fixture("example.yaml").as_bytes())
            .unwrap()
            .unwrap();
        let summary = summarize(&file);
        assert_eq!(summary.recipients.len(), 2);
        assert_eq!(
            summary.recipients[0],
            "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw"
        );
        assert_eq!(summary.lastmodified, "2022-03-15T22:11:15Z");
        assert!(summary.encrypted > 5, "{summary:?}");
        let at = crate::clock::parse_timestamp("2022-03-25T22:11:14Z").unwrap();
        assert_eq!(summary.age_days(at), Some(9));
    }

    #[test]
    fn ages() {
        assert_eq!(parse_max_age("90d").unwrap(), 90 * 86_400);
        assert_eq!(parse_max_age("2w").unwrap(), 14 * 86_400);
        assert_eq!(parse_max_age("36h").unwrap(), 36 * 3_600);
        assert_eq!(parse_max_age("1y").unwrap(), 365 * 86_400);
        for bad in ["", "d", "90", "90 days", "-1d", "0d", "99999999999999999y"] {
            assert!(parse_max_age(bad).is_err(), "{bad}");
        }
    }
}
