//! Semantic versions (semver 2.0.0) for pack versions, release tags and `requires.cfgctl`.
//!
//! Build metadata (`+…`) is refused: two versions that differ only in it would sort equal but
//! name different tags.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// `MAJOR.MINOR.PATCH[-PRERELEASE]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Vec<Ident>,
}

/// One dot-separated pre-release identifier; numeric ones sort below alphanumeric ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ident {
    Num(u64),
    Alpha(String),
}

impl FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Version, String> {
        if text.contains('+') {
            return Err(format!(
                "`{text}` has build metadata (+…), which pack versions do not use"
            ));
        }
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let numbers: Vec<&str> = core.split('.').collect();
        if numbers.len() != 3 {
            return Err(format!("`{text}` is not MAJOR.MINOR.PATCH"));
        }
        let number = |s: &str| -> Result<u64, String> {
            if s.is_empty()
                || !s.bytes().all(|b| b.is_ascii_digit())
                || (s.len() > 1 && s.starts_with('0'))
            {
                return Err(format!(
                    "`{text}` is not a semantic version (`{s}` is not a number without leading zeros)"
                ));
            }
            s.parse()
                .map_err(|_| format!("`{text}`: `{s}` is too large"))
        };
        let mut idents = Vec::new();
        if let Some(pre) = pre {
            for part in pre.split('.') {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return Err(format!("`{text}` has an invalid pre-release part `{part}`"));
                }
                if part.bytes().all(|b| b.is_ascii_digit()) {
                    idents.push(Ident::Num(number(part)?));
                } else {
                    idents.push(Ident::Alpha(part.to_string()));
                }
            }
        }
        Ok(Version {
            major: number(numbers[0])?,
            minor: number(numbers[1])?,
            patch: number(numbers[2])?,
            pre: idents,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, ident) in self.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            match ident {
                Ident::Num(n) => write!(f, "{n}")?,
                Ident::Alpha(s) => f.write_str(s)?,
            }
        }
        Ok(())
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                // A pre-release sorts below its release.
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Returns whether `version` satisfies a requirement such as `>=0.4.0, <2.0.0` (comparators
/// `>=`, `>`, `<=`, `<`, `=` or none, separated by commas or spaces; all must hold).
pub fn satisfies(requirement: &str, version: &Version) -> Result<bool, String> {
    let parts: Vec<&str> = requirement
        .split([',', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err("empty version requirement".into());
    }
    let mut ok = true;
    for part in parts {
        let (op, rest) = [">=", "<=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest)))
            .unwrap_or(("=", part));
        let wanted: Version = rest.trim().parse()?;
        let order = version.cmp(&wanted);
        ok &= match op {
            ">=" => order != Ordering::Less,
            "<=" => order != Ordering::Greater,
            ">" => order == Ordering::Greater,
            "<" => order == Ordering::Less,
            _ => order == Ordering::Equal,
        };
    }
    Ok(ok)
}

/// Which part of the version changed from `old` to `new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// Returns the largest part that grew from `old` to `new` (pre-release changes count as patch).
pub fn bump(old: &Version, new: &Version) -> Bump {
    if new.major > old.major {
        Bump::Major
    } else if new.major == old.major && new.minor > old.minor {
        Bump::Minor
    } else if new > old {
        Bump::Patch
    } else {
        Bump::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        text.parse().unwrap()
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(v("1.4.0").to_string(), "1.4.0");
        assert_eq!(v("1.4.0-rc.1").to_string(), "1.4.0-rc.1");
        for bad in [
            "1.4",
            "01.2.3",
            "1.2.3+build",
            "1.2.x",
            "",
            "1.2.3-",
            "1.2.3-a..b",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_like_semver() {
        let order = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.10.0",
            "2.0.0",
        ];
        for pair in order.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn requirements_and_bumps() {
        assert!(satisfies(">=0.1.0", &v("0.1.0")).unwrap());
        assert!(satisfies(">=0.1.0, <1.0.0", &v("0.9.9")).unwrap());
        assert!(!satisfies(">=0.4.0", &v("0.1.0")).unwrap());
        assert!(satisfies("0.1.0", &v("0.1.0")).unwrap());
        assert!(satisfies(">=x", &v("0.1.0")).is_err());
        assert_eq!(bump(&v("1.0.0"), &v("2.0.0")), Bump::Major);
        assert_eq!(bump(&v("1.0.0"), &v("1.1.0")), Bump::Minor);
        assert_eq!(bump(&v("1.0.0"), &v("1.0.1")), Bump::Patch);
        assert_eq!(bump(&v("1.0.0"), &v("1.0.0")), Bump::None);
    }
}
