//! Semantic versions for flagd's `sem_ver` operation.
//!
//! Parsing follows flagd's Go evaluator (golang.org/x/mod/semver after adding a `v`): a leading
//! `v`/`V` is optional, `1` and `1.2` stand for `1.0.0` and `1.2.0`, pre-release identifiers
//! order as semver says, and build metadata is ignored. Anything else is not a version.

use std::cmp::Ordering;

/// A parsed version. Numbers are kept as digit strings (no leading zeros), so any length works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    major: String,
    minor: String,
    patch: String,
    pre: Vec<String>,
}

impl Version {
    /// Parses a version, or returns `None` when it is not one.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text
            .strip_prefix('v')
            .or_else(|| text.strip_prefix('V'))
            .unwrap_or(text);
        // Build metadata never takes part in comparisons.
        let (text, build) = match text.split_once('+') {
            Some((version, build)) => (version, Some(build)),
            None => (text, None),
        };
        if let Some(build) = build
            && !identifiers_ok(build, false)
        {
            return None;
        }
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() > 3 || parts.iter().any(|p| !is_number(p)) {
            return None;
        }
        // A shorthand (`1`, `1.2`) may not carry a pre-release or build (x/mod/semver).
        if parts.len() < 3 && (pre.is_some() || build.is_some()) {
            return None;
        }
        let pre = match pre {
            Some(pre) if identifiers_ok(pre, true) => pre.split('.').map(str::to_string).collect(),
            Some(_) => return None,
            None => Vec::new(),
        };
        let part = |i: usize| parts.get(i).map_or("0", |p| p).to_string();
        Some(Version {
            major: part(0),
            minor: part(1),
            patch: part(2),
            pre,
        })
    }

    pub fn same_major(&self, other: &Version) -> bool {
        self.major == other.major
    }

    pub fn same_minor(&self, other: &Version) -> bool {
        self.major == other.major && self.minor == other.minor
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        numeric(&self.major, &other.major)
            .then_with(|| numeric(&self.minor, &other.minor))
            .then_with(|| numeric(&self.patch, &other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                // A pre-release sorts before its release.
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_pre(&self.pre, &other.pre),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares `left OP right` for a `sem_ver` operator; `None` for an unknown operator.
pub fn compare(left: &Version, op: &str, right: &Version) -> Option<bool> {
    let order = left.cmp(right);
    Some(match op {
        "=" => order == Ordering::Equal,
        "!=" => order != Ordering::Equal,
        "<" => order == Ordering::Less,
        "<=" => order != Ordering::Greater,
        ">" => order == Ordering::Greater,
        ">=" => order != Ordering::Less,
        "^" => left.same_major(right),
        "~" => left.same_minor(right),
        _ => return None,
    })
}

fn is_number(part: &str) -> bool {
    !part.is_empty()
        && part.bytes().all(|b| b.is_ascii_digit())
        && (part == "0" || !part.starts_with('0'))
}

fn identifiers_ok(text: &str, pre_release: bool) -> bool {
    text.split('.').all(|id| {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && (!pre_release || !id.bytes().all(|b| b.is_ascii_digit()) || is_number(id))
    })
}

/// Compares digit strings without leading zeros numerically.
fn numeric(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn compare_pre(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let x_num = x.bytes().all(|c| c.is_ascii_digit());
        let y_num = y.bytes().all(|c| c.is_ascii_digit());
        let order = match (x_num, y_num) {
            (true, true) => numeric(x, y),
            // Numeric identifiers have lower precedence than alphanumeric ones.
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(a: &str, op: &str, b: &str) -> bool {
        compare(&Version::parse(a).unwrap(), op, &Version::parse(b).unwrap()).unwrap()
    }

    #[test]
    fn orders_like_semver() {
        assert!(holds("2.1.0", ">", "2.0.0"));
        assert!(holds("1.9.0", "<", "2.0.0"));
        assert!(holds("2.0.0-alpha", "<", "2.0.0"));
        assert!(holds("1.0.0-alpha", "<", "1.0.0-alpha.1"));
        assert!(holds("1.0.0-alpha.1", "<", "1.0.0-alpha.beta"));
        assert!(holds("1.0.0-beta.2", "<", "1.0.0-beta.11"));
        assert!(holds("1.0.0-rc.1", "<", "1.0.0"));
        assert!(holds("10.0.0", ">", "9.99.99"));
        assert!(holds("2.3.0", ">=", "2.3.0"));
        assert!(holds("2.2.9", "!=", "2.3.0"));
    }

    #[test]
    fn accepts_prefixes_shorthands_and_build_metadata() {
        assert!(holds("v1.0.0", "=", "1.0.0"));
        assert!(holds("V1.0.0", "=", "1.0.0"));
        assert!(holds("1", "=", "1.0.0"));
        assert!(holds("1.2", "=", "1.2.0"));
        assert!(holds("1.0.0+other", "=", "1.0.0+build"));
    }

    #[test]
    fn caret_and_tilde_compare_major_and_minor() {
        assert!(holds("3.0.1", "~", "3.0.0"));
        assert!(!holds("3.1.0", "~", "3.0.0"));
        assert!(holds("3.1.0", "^", "3.0.0"));
        assert!(!holds("4.0.0", "^", "3.0.0"));
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        for bad in [
            "2.0.0.0",
            "not-a-version",
            "",
            "01.0.0",
            "1.0.0-",
            "1.0.0-01",
            "1.2-pre",
            "1..2",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
        let v = Version::parse("1.0.0").unwrap();
        assert_eq!(compare(&v, "===", &v), None);
    }
}
