//! `secrets check`: what must be encrypted is, values and MACs verify where a key is at hand,
//! values are not older than allowed, and configuration files hold no plaintext secrets.
//!
//! A file is checked when a `.sops.yaml` rule covers it, its name marks it as secret
//! (`*.secret.*`), it is encrypted, it is configuration (YAML, JSON, TOML), or it was named
//! on the command line (whatever its extension).

use super::OpenError;
use super::keys::Keyring;
use super::rules::CreationRules;
use crate::document::{self, Format};
use crate::finding::{Finding, Severity};
use std::path::Path;

/// What a check needs besides the file.
pub struct Checker<'a> {
    pub rules: Option<&'a CreationRules>,
    pub ring: &'a Keyring,
    /// The findings of a configuration file that no rule covers (the plaintext-secret rule,
    /// with the repository's settings for it); `None` when it is not configuration.
    pub configuration: &'a ConfigurationCheck<'a>,
    pub max_age: Option<MaxAge<'a>>,
}

/// See [`Checker::configuration`].
pub type ConfigurationCheck<'a> = dyn Fn(&str, &[u8], Format) -> Option<Vec<Finding>> + Sync + 'a;

/// `--max-age`: as written, in seconds, and the time now.
#[derive(Debug, Clone, Copy)]
pub struct MaxAge<'a> {
    pub text: &'a str,
    pub seconds: i64,
    pub now: i64,
}

/// One checked file.
#[derive(Debug)]
pub struct Checked {
    pub file: String,
    pub findings: Vec<Finding>,
    /// Whether the MAC was verified (or nothing needed verifying); false when no identity
    /// opened the file.
    pub verified: bool,
}

impl Checked {
    fn new(file: &str, findings: Vec<Finding>, verified: bool) -> Checked {
        Checked {
            file: file.to_string(),
            findings,
            verified,
        }
    }
}

fn finding(
    file: &str,
    pos: document::Pos,
    path: Option<String>,
    rule: &str,
    severity: Severity,
    message: String,
) -> Finding {
    Finding {
        file: file.to_string(),
        pos,
        path,
        rule: rule.to_string(),
        severity,
        message,
        schema: None,
    }
}

impl Checker<'_> {
    /// Checks one file; `None` for files that are neither named, nor covered by a rule, nor
    /// encrypted, nor configuration.
    pub fn check(&self, shown: &str, abs: &Path, named: bool) -> Option<Checked> {
        let bytes = std::fs::read(abs);
        self.check_bytes(shown, abs, bytes, named)
    }

    /// [`Checker::check`] on bytes already read (`abs` picks the creation rule).
    pub fn check_bytes(
        &self,
        shown: &str,
        abs: &Path,
        bytes: std::io::Result<Vec<u8>>,
        named: bool,
    ) -> Option<Checked> {
        let (rules, ring, max_age) = (self.rules, self.ring, self.max_age);
        let covered =
            rules.and_then(|r| r.matching(abs)).is_some() && !shown.ends_with(".sops.yaml");
        let format = Format::from_path(shown);
        let named_secret =
            crate::document::secret_key::is_secret_file(shown) && !shown.ends_with(".sops.yaml");
        if !covered && !named_secret && format.is_none() && !named {
            return None;
        }
        let top = document::Pos::new(1, 1);
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                return Some(Checked::new(
                    shown,
                    vec![finding(
                        shown,
                        top,
                        None,
                        "secrets/unreadable",
                        Severity::Error,
                        e.to_string(),
                    )],
                    true,
                ));
            }
        };
        let file = match super::read(shown, &bytes) {
            Ok(file) => file,
            Err(e) => {
                return Some(Checked::new(
                    shown,
                    vec![finding(
                        shown,
                        top,
                        None,
                        "secrets/malformed",
                        Severity::Error,
                        format!("{e:#}"),
                    )],
                    true,
                ));
            }
        };
        let Some(file) = file else {
            if covered || named_secret {
                let why = if covered {
                    "a .sops.yaml creation rule covers it"
                } else {
                    "its name marks it as a secret file"
                };
                return Some(Checked::new(
                    shown,
                    vec![finding(
                        shown,
                        top,
                        None,
                        "secrets/not-encrypted",
                        Severity::Error,
                        format!("not encrypted, but {why}"),
                    )],
                    true,
                ));
            }
            // Configuration only: cfgctl.toml, schemas and CI files name secrets without holding any.
            let found = format.and_then(|format| (self.configuration)(shown, &bytes, format));
            return match found {
                Some(found) => Some(Checked::new(shown, found, true)),
                None => named.then(|| Checked::new(shown, Vec::new(), true)),
            };
        };
        let mut out = Vec::new();
        for (pos, path) in super::clear_values_that_must_be_encrypted(&file) {
            out.push(finding(
                shown,
                pos,
                Some(path.clone()),
                "secrets/clear-value",
                Severity::Error,
                format!(
                    "`{path}` must be encrypted by this file's rule (`{}`) but is clear text",
                    file.metadata.selector.key()
                ),
            ));
        }
        if let Some(rule) = rules.and_then(|r| r.matching(abs)) {
            let mut have: Vec<&str> = file
                .metadata
                .age
                .iter()
                .map(|k| k.recipient.as_str())
                .collect();
            let mut want: Vec<&str> = rule.recipients.iter().map(String::as_str).collect();
            have.sort_unstable();
            want.sort_unstable();
            if !want.is_empty() && have != want {
                out.push(finding(
                shown,
                top,
                None,
                "secrets/recipients",
                Severity::Warning,
                format!("encrypted for other recipients than creation rule {} names; run `cfgctl secrets updatekeys`", rule.index),
            ));
            }
        }
        if let Some(MaxAge { text, seconds, now }) = max_age {
            let summary = super::inventory::summarize(&file);
            match summary.modified_at {
            Some(at) if now - at > seconds => out.push(finding(
                shown,
                top,
                None,
                "secrets/max-age",
                Severity::Error,
                format!(
                    "values last written {} days ago ({}), longer than --max-age {text}; change them (and `cfgctl secrets set` the new ones)",
                    (now - at).div_euclid(86_400),
                    summary.lastmodified
                ),
            )),
            Some(_) => {}
            None => out.push(finding(
                shown,
                top,
                None,
                "secrets/max-age",
                Severity::Error,
                format!("`lastmodified` ({}) is not an RFC 3339 time, so the values' age is not known", summary.lastmodified),
            )),
        }
        }
        let verified = match super::open(&file, ring) {
            Ok(_) => true,
            Err(OpenError::NoIdentity { .. }) => false,
            Err(e) => {
                out.push(finding(
                    shown,
                    top,
                    None,
                    "secrets/mac",
                    Severity::Error,
                    e.to_string(),
                ));
                true
            }
        };
        Some(Checked::new(shown, out, verified))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sops")
                .join(name),
        )
        .unwrap()
    }

    fn rules(text: &str) -> CreationRules {
        CreationRules::parse(text.as_bytes(), Path::new("/repo/.sops.yaml")).unwrap()
    }

    fn check(checker: &Checker<'_>, shown: &str, bytes: &[u8], named: bool) -> Option<Checked> {
        checker.check_bytes(
            shown,
            &Path::new("/repo").join(shown),
            Ok(bytes.to_vec()),
            named,
        )
    }

    fn rule_ids(checked: &Checked) -> Vec<&str> {
        checked.findings.iter().map(|f| f.rule.as_str()).collect()
    }

    #[test]
    fn findings_of_each_kind() {
        let configuration =
            |_: &str, bytes: &[u8], _: Format| (bytes == b"password: hunter2\n").then(Vec::new);
        let ring = Keyring::default();
        let rules = rules(
            "creation_rules:\n  - path_regex: ^secret/\n    age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\n",
        );
        let checker = Checker {
            rules: Some(&rules),
            ring: &ring,
            configuration: &configuration,
            max_age: None,
        };

        let plain = check(&checker, "secret/db.yaml", b"password: x\n", false).unwrap();
        assert_eq!(rule_ids(&plain), ["secrets/not-encrypted"]);
        let named = check(&checker, "app.secret.json", b"{}", false).unwrap();
        assert_eq!(rule_ids(&named), ["secrets/not-encrypted"]);
        // Not covered, not secret, not configuration: skipped unless named.
        assert!(check(&checker, "notes.txt", b"x", false).is_none());
        assert!(
            check(&checker, "notes.txt", b"x", true)
                .unwrap()
                .findings
                .is_empty()
        );

        // An encrypted file, no key at hand: structure checked, MAC not verified.
        let encrypted = check(
            &checker,
            "secret/example.yaml",
            &fixture("example.yaml"),
            false,
        )
        .unwrap();
        assert!(!encrypted.verified);
        assert_eq!(rule_ids(&encrypted), ["secrets/recipients"]);

        let old = Checker {
            max_age: Some(MaxAge {
                text: "90d",
                seconds: 90 * 86_400,
                now: crate::clock::parse_timestamp("2026-01-01T00:00:00Z").unwrap(),
            }),
            ..checker
        };
        let aged = check(&old, "other/example.yaml", &fixture("example.yaml"), false).unwrap();
        assert_eq!(rule_ids(&aged), ["secrets/max-age"]);
        assert!(
            aged.findings[0]
                .message
                .contains("longer than --max-age 90d")
        );
    }
}
