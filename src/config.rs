//! `cfgctl.toml`: the repository's settings, read once per run.
//!
//! Unknown keys are errors (a typo in a policy file must not be silently ignored). Sections
//! that later commands own (`[promote]`, `[guard]`) are parsed here too, so one file has one
//! reader.

use crate::document::{DEFAULT_MAX_FILE_BYTES, KeyPattern};
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
    pub promote: PromoteSettings,
    /// `[policy.ENV]`: what every write into ENV must satisfy.
    #[serde(default)]
    pub policy: BTreeMap<String, EnvPolicy>,
    /// `[guard.ENV]`: health thresholds for `cfgctl guard`.
    #[serde(default)]
    pub guard: BTreeMap<String, GuardSettings>,
}

/// `[promote]`: the pinned key paths, and (the older place for it) per-environment policy
/// tables `[promote.ENV]`, read exactly like `[policy.ENV]`.
#[derive(Debug, Clone, Default)]
pub struct PromoteSettings {
    /// Key paths a promotion never copies (parsed at load).
    pub pinned: Vec<KeyPattern>,
    pub policies: BTreeMap<String, EnvPolicy>,
}

impl<'de> Deserialize<'de> for PromoteSettings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = PromoteSettings;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [promote] table: `pinned = [...]` and [promote.ENV] policy tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PromoteSettings, A::Error> {
                let mut out = PromoteSettings::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "pinned" {
                        out.pinned = map.next_value()?;
                    } else {
                        // Anything else must be an environment's policy table; a scalar here
                        // is a typo of `pinned` or a policy key outside its table.
                        let policy: EnvPolicy = map.next_value().map_err(|e| {
                            serde::de::Error::custom(format!("[promote.{key}]: {e}"))
                        })?;
                        out.policies.insert(key, policy);
                    }
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The policy for writes into one environment: approvals, freeze windows, allowed times.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvPolicy {
    /// `Approved-by` trailers a forward change needs.
    #[serde(default)]
    pub approvals: u32,
    /// Who may approve ("Name <email>"); absent means anyone.
    pub approvers: Option<Vec<String>>,
    /// Windows in which forward changes are refused unless `--emergency`.
    #[serde(default)]
    pub freeze: Vec<FreezeWindow>,
    /// Days on which forward changes may land (`["mon", "tue", …]`, UTC); absent means every day.
    pub allowed_days: Option<Vec<Weekday>>,
    /// Hours in which forward changes may land, `"HH:MM-HH:MM"` in UTC.
    pub allowed_hours: Option<HourRange>,
}

/// One freeze window, parsed at load: `{ from = …, to = …, reason = "…" }`.
#[derive(Debug, Clone)]
pub struct FreezeWindow {
    /// Seconds since the epoch; the window is `[from, to)`.
    pub from: i64,
    pub to: i64,
    pub reason: Option<String>,
}

impl<'de> Deserialize<'de> for FreezeWindow {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            from: Timestamp,
            to: Timestamp,
            reason: Option<String>,
        }
        let raw = Raw::deserialize(deserializer)?;
        if raw.to.0 <= raw.from.0 {
            return Err(serde::de::Error::custom(
                "a freeze window's `to` must be after its `from`",
            ));
        }
        Ok(FreezeWindow {
            from: raw.from.0,
            to: raw.to.0,
            reason: raw.reason,
        })
    }
}

/// A date or date-time, written as a TOML datetime or an RFC 3339 string.
#[derive(Debug, Clone, Copy)]
struct Timestamp(i64);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = match toml::Value::deserialize(deserializer)? {
            toml::Value::String(s) => s,
            toml::Value::Datetime(d) => d.to_string(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "expected a date such as 2026-12-24T00:00:00Z, found {}",
                    other.type_str()
                )));
            }
        };
        crate::clock::parse_timestamp(&text)
            .map(Timestamp)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{text}` is not a date (use RFC 3339, e.g. 2026-12-24T00:00:00Z)"
                ))
            })
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// 0 = Monday, as [`crate::clock::weekday`] counts.
    pub fn index(self) -> u8 {
        self as u8
    }
}

/// A range of minutes in a UTC day, `"09:00-17:30"`; the end is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourRange {
    pub start: u32,
    pub end: u32,
}

impl HourRange {
    /// Parses `HH:MM-HH:MM`.
    pub fn parse(text: &str) -> Option<HourRange> {
        let minutes = |t: &str| {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
        };
        let (start, end) = text.split_once('-')?;
        let (start, end) = (minutes(start)?, minutes(end)?);
        (start < end).then_some(HourRange { start, end })
    }

    pub fn contains(&self, minute: u32) -> bool {
        (self.start..self.end).contains(&minute)
    }
}

impl std::fmt::Display for HourRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

impl<'de> Deserialize<'de> for HourRange {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        HourRange::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not an hour range (use \"HH:MM-HH:MM\" in UTC, e.g. \"09:00-17:00\")"
            ))
        })
    }
}

/// `[guard.ENV]`: `max_<metric>` / `min_<metric>` thresholds, a cooldown and a daily limit.
#[derive(Debug, Clone, Default)]
pub struct GuardSettings {
    pub thresholds: Vec<Threshold>,
    pub cooldown_minutes: Option<i64>,
    pub max_rollbacks_per_day: Option<i64>,
}

/// One health threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub metric: String,
    pub bound: Bound,
    pub limit: f64,
}

/// Whether a threshold is an upper (`max_`) or lower (`min_`) limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    Max,
    Min,
}

impl<'de> Deserialize<'de> for GuardSettings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = GuardSettings;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [guard.ENV] table of max_<metric> / min_<metric> numbers")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<GuardSettings, A::Error> {
                let mut out = GuardSettings::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "cooldown_minutes" => {
                            out.cooldown_minutes = Some(map.next_value::<u32>()?.into())
                        }
                        "max_rollbacks_per_day" => {
                            out.max_rollbacks_per_day = Some(map.next_value::<u32>()?.into())
                        }
                        _ => {
                            let (bound, metric) = if let Some(m) = key.strip_prefix("max_") {
                                (Bound::Max, m)
                            } else if let Some(m) = key.strip_prefix("min_") {
                                (Bound::Min, m)
                            } else {
                                return Err(serde::de::Error::custom(format!(
                                    "unknown [guard] setting `{key}`: thresholds are max_<metric> or min_<metric>; also cooldown_minutes, max_rollbacks_per_day"
                                )));
                            };
                            let limit: f64 = map.next_value()?;
                            if metric.is_empty() || !limit.is_finite() {
                                return Err(serde::de::Error::custom(format!(
                                    "`{key}` needs a metric name and a finite number"
                                )));
                            }
                            out.thresholds.push(Threshold {
                                metric: metric.to_string(),
                                bound,
                                limit,
                            });
                        }
                    }
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
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
    /// Key path patterns the rule does not report (`**.legacy_token`), parsed at load.
    #[serde(default)]
    pub ignore: Vec<KeyPattern>,
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
        let known_env = |table: &str, env: &str| -> Result<()> {
            if self.repo.environments.iter().any(|e| e == env) {
                return Ok(());
            }
            anyhow::bail!(
                "{FILE_NAME}: [{table}.{env}]: `{env}` is not one of the environments ({})",
                self.repo.environments.join(", ")
            )
        };
        for env in self.policy.keys() {
            known_env("policy", env)?;
        }
        for env in self.promote.policies.keys() {
            known_env("promote", env)?;
            if self.policy.contains_key(env) {
                anyhow::bail!(
                    "{FILE_NAME}: both [policy.{env}] and [promote.{env}] are set: keep [policy.{env}]"
                );
            }
        }
        for env in self.guard.keys() {
            known_env("guard", env)?;
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
    pub fn pinned(&self) -> &[KeyPattern] {
        &self.promote.pinned
    }

    /// Returns the policy for writes into `env` (`[policy.ENV]`, or the older `[promote.ENV]`).
    pub fn policy(&self, env: &str) -> Option<&EnvPolicy> {
        self.policy
            .get(env)
            .or_else(|| self.promote.policies.get(env))
    }

    /// Returns the `[guard.ENV]` thresholds.
    pub fn guard(&self, env: &str) -> Option<&GuardSettings> {
        self.guard.get(env)
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
    pub fn rule(&self, rule: RuleId) -> (Option<Severity>, &[KeyPattern]) {
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
        assert_eq!(ignore, [KeyPattern::parse("**.legacy_token").unwrap()]);
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
