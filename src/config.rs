//! `cfgctl.toml`: the repository's settings, read once per run.
//!
//! Unknown keys are errors (a typo in a policy file must not be silently ignored). Sections
//! that later commands own (`[promote]`, `[guard]`) are parsed here too, so one file has one
//! reader.

use crate::document::DEFAULT_MAX_FILE_BYTES;
use crate::finding::Severity;
use crate::rules::RuleId;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The name of the settings file at the repository root.
pub const FILE_NAME: &str = "cfgctl.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub repo: RepoSettings,
    #[serde(default, rename = "schema")]
    pub schemas: Vec<SchemaMapping>,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    #[serde(default)]
    pub promote: toml::Table,
    #[serde(default)]
    pub guard: toml::Table,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoSettings {
    /// Environment directories under `environments/`, in promotion order.
    #[serde(default = "default_environments")]
    pub environments: Vec<String>,
    /// The environment that production-hardening rules apply to (default: the last one).
    pub production: Option<String>,
    /// Largest configuration file accepted, in bytes.
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
}

impl Default for RepoSettings {
    fn default() -> Self {
        RepoSettings {
            environments: default_environments(),
            production: None,
            max_file_size: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

fn default_environments() -> Vec<String> {
    vec!["development".into(), "staging".into(), "production".into()]
}

fn default_max_file_size() -> u64 {
    DEFAULT_MAX_FILE_BYTES
}

/// One `[[schema]]` entry: files matching `files` (and not `exclude`) are checked against
/// `schema`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaMapping {
    pub files: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub schema: String,
    #[serde(default)]
    pub severity: Severity,
    /// Layer fragments: `required` is not enforced, everything present must still be valid.
    #[serde(default)]
    pub partial: bool,
}

/// A rule's setting: a bare severity (`"error"`) or a table with options.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RuleSetting {
    Level(Level),
    Table(RuleTable),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleTable {
    pub severity: Level,
    /// Key path patterns the rule does not report (`**.legacy_token`).
    #[serde(default)]
    pub ignore: Vec<String>,
}

impl Config {
    /// Parses `cfgctl.toml` text; errors name the file, line and column.
    pub fn parse(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|err| {
            let position = err
                .span()
                .map(|span| {
                    let pos = crate::document::pos_at_byte(text.as_bytes(), span.start);
                    format!(":{pos}")
                })
                .unwrap_or_default();
            anyhow::anyhow!("{FILE_NAME}{position}: {}", err.message().trim())
        })?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<()> {
        if self.repo.environments.is_empty() {
            anyhow::bail!("{FILE_NAME}: [repo] environments must name at least one environment");
        }
        for env in &self.repo.environments {
            if env.is_empty() || env.contains(['/', '\\']) || env.starts_with('.') {
                anyhow::bail!(
                    "{FILE_NAME}: environment name `{env}` is not a plain directory name"
                );
            }
        }
        if let Some(prod) = &self.repo.production
            && !self.repo.environments.contains(prod)
        {
            anyhow::bail!(
                "{FILE_NAME}: [repo] production = `{prod}` is not one of the environments"
            );
        }
        for name in self.rules.keys() {
            if RuleId::from_name(name).is_none() {
                let known: Vec<&str> = RuleId::ALL.iter().map(|r| r.name()).collect();
                anyhow::bail!(
                    "{FILE_NAME}: unknown rule `{name}` in [rules] (known rules: {})",
                    known.join(", ")
                );
            }
        }
        for mapping in &self.schemas {
            if mapping.files.is_empty() {
                anyhow::bail!(
                    "{FILE_NAME}: [[schema]] for `{}` has an empty `files` list",
                    mapping.schema
                );
            }
        }
        Ok(())
    }

    /// Returns the `[promote] pinned` key path patterns.
    pub fn pinned(&self) -> Vec<String> {
        self.promote
            .get("pinned")
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Returns the environment that production rules apply to.
    pub fn production(&self) -> &str {
        self.repo
            .production
            .as_deref()
            .or(self.repo.environments.last().map(String::as_str))
            .unwrap_or("production")
    }

    /// Returns the configured severity of a rule (its default when not configured) and the
    /// key paths it ignores.
    pub fn rule(&self, rule: RuleId) -> (Option<Severity>, &[String]) {
        let level_to_severity = |level: Level| match level {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Off => None,
        };
        match self.rules.get(rule.name()) {
            None => (Some(rule.default_severity()), &[]),
            Some(RuleSetting::Level(level)) => (level_to_severity(*level), &[]),
            Some(RuleSetting::Table(table)) => (level_to_severity(table.severity), &table.ignore),
        }
    }
}

/// Whether a source must have a `cfgctl.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    /// Missing means the defaults (a revision or index from before the file existed).
    Optional,
}

/// Reads and parses the settings file from a source, with the path in any error.
pub fn read(source: &dyn crate::repo::Source, presence: Presence) -> Result<Config> {
    let text = match source.read(FILE_NAME) {
        Ok(bytes) => Some(
            String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{FILE_NAME} is not valid UTF-8"))?,
        ),
        Err(_) if presence == Presence::Optional => None,
        Err(err) => return Err(err),
    };
    match text {
        Some(text) => Config::parse(&text),
        None => Ok(Config::default()),
    }
    .context("reading the repository settings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_shape() {
        let config = Config::parse(
            r#"
[repo]
environments = ["dev", "prod"]

[[schema]]
files = ["environments/*/db.yaml"]
schema = "schemas/db.json"

[[schema]]
files = ["global/db.yaml"]
schema = "schemas/db.json"
partial = true
severity = "warning"

[rules]
env-key-parity = "off"
plaintext-secret = { severity = "warning", ignore = ["**.legacy_token"] }

[promote]
pinned = ["**.replicas"]
"#,
        )
        .unwrap();
        assert_eq!(config.production(), "prod");
        assert_eq!(config.schemas.len(), 2);
        assert!(config.schemas[1].partial);
        assert_eq!(config.schemas[1].severity, Severity::Warning);
        assert_eq!(config.rule(RuleId::EnvKeyParity).0, None);
        let (severity, ignore) = config.rule(RuleId::PlaintextSecret);
        assert_eq!(severity, Some(Severity::Warning));
        assert_eq!(ignore, ["**.legacy_token"]);
        assert_eq!(
            config.rule(RuleId::AutoscalingBounds).0,
            Some(Severity::Error)
        );
    }

    #[test]
    fn typos_are_errors_with_a_position() {
        let err = Config::parse("[repo]\nenvironmnets = [\"a\"]\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.starts_with("cfgctl.toml:2:1"), "{msg}");
        let err = Config::parse("[rules]\nno-such-rule = \"error\"\n").unwrap_err();
        assert!(format!("{err:#}").contains("unknown rule `no-such-rule`"));
        let err = Config::parse("[rules]\ncors-wildcard = \"loud\"\n").unwrap_err();
        assert!(format!("{err:#}").contains("cfgctl.toml:2"));
    }
}
