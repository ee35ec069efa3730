//! `cfgctl.toml`: the repository's settings, read once per run.
//!
//! Every table is typed and unknown keys are errors (a typo in a policy file must not be
//! silently ignored): an [`Error`] names the line and column of the offending key or value and,
//! when a known name is close, suggests it. Sections that later commands own (`[promote]`,
//! `[policy]`, `[guard]`) are parsed here too, so one file has one reader; key patterns and
//! dates are parsed at load. `config-repo-template/schemas/cfgctl.schema.json` describes the
//! same file for editors, and a test keeps the two in agreement.

mod diagnose;

use crate::document::{DEFAULT_MAX_FILE_BYTES, KeyPattern, Pos};
use crate::finding::RuleId;
use crate::finding::Severity;
use anyhow::Context;
use diagnose::{Spans, Step};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

/// The name of the settings file at the repository root.
pub const FILE_NAME: &str = crate::repo::SETTINGS_FILE;

/// A problem in `cfgctl.toml`: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// Where the offending key or value starts; `None` when the problem is the whole file.
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(pos) => write!(f, "{FILE_NAME}:{pos}: {}", self.message),
            None => write!(f, "{FILE_NAME}: {}", self.message),
        }
    }
}

impl Error {
    /// The rule id of the finding `validate` reports for a problem in this file.
    pub const RULE: &'static str = "config";

    /// Returns the problem as a finding on `cfgctl.toml` (1:1 when it concerns the whole file).
    pub fn finding(&self) -> crate::finding::Finding {
        crate::finding::Finding {
            file: FILE_NAME.to_string(),
            pos: self.pos.unwrap_or(Pos::new(1, 1)),
            path: None,
            rule: Error::RULE.to_string(),
            severity: Severity::Error,
            message: self.message.clone(),
            schema: None,
        }
    }

    fn at(text: &str, span: Option<Range<usize>>, message: String) -> Error {
        Error {
            pos: span.map(|s| crate::document::pos_at_byte(text.as_bytes(), s.start)),
            message,
        }
    }
}

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
    /// `[flags]`: the canary schedule `cfgctl flags stage --next` walks.
    #[serde(default)]
    pub flags: FlagsSettings,
    /// `[[rule]]`: CEL rules over each environment's rendered documents (checked at load).
    #[serde(default, rename = "rule")]
    pub custom_rules: Vec<CustomRule>,
}

/// `[flags]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagsSettings {
    /// `[flags.rollout]`, with `[flags.rollout.ENV]` overrides.
    pub rollout: Option<RolloutSettings>,
}

/// `[flags.rollout]`: rollout percentages in order and the least time between two steps;
/// `[flags.rollout.ENV]` may set either for one environment.
#[derive(Debug, Clone, Default)]
pub struct RolloutSettings {
    pub schedule: Rollout,
    pub envs: BTreeMap<String, Rollout>,
}

/// A canary schedule: percentages, ascending, each in (0, 100]; and the least time between
/// two steps (seconds).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rollout {
    pub steps: Option<Vec<f64>>,
    pub min_step_interval: Option<i64>,
}

impl<'de> Deserialize<'de> for RolloutSettings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RolloutSettings;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a [flags.rollout] table: steps, min_step_interval and [flags.rollout.ENV] tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RolloutSettings, A::Error> {
                let mut out = RolloutSettings::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "steps" => out.schedule.steps = Some(steps(map.next_value()?)?),
                        "min_step_interval" => {
                            out.schedule.min_step_interval = Some(interval(map.next_value()?)?)
                        }
                        _ => {
                            // An environment's table; `Config::check` reports a name that is
                            // not an environment, or a key that is not a table, at its line.
                            let env: RolloutEnv = map.next_value()?;
                            out.envs.insert(key, env.0);
                        }
                    }
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// One `[flags.rollout.ENV]` table.
struct RolloutEnv(Rollout);

impl<'de> Deserialize<'de> for RolloutEnv {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(
            deny_unknown_fields,
            expecting = "a [flags.rollout.ENV] table: steps, min_step_interval"
        )]
        struct Raw {
            steps: Option<Vec<f64>>,
            min_step_interval: Option<String>,
        }
        let raw = Raw::deserialize(deserializer)?;
        Ok(RolloutEnv(Rollout {
            steps: raw.steps.map(steps).transpose()?,
            min_step_interval: raw.min_step_interval.map(interval).transpose()?,
        }))
    }
}

fn steps<E: serde::de::Error>(steps: Vec<f64>) -> Result<Vec<f64>, E> {
    let ascending = steps.windows(2).all(|w| w[0] < w[1]);
    let in_range = steps.iter().all(|p| *p > 0.0 && *p <= 100.0);
    if steps.is_empty() || !ascending || !in_range {
        return Err(E::custom(
            "`steps` must be rollout percentages in ascending order, each above 0 and at most 100, e.g. [10, 25, 50, 75, 100]",
        ));
    }
    Ok(steps)
}

fn interval<E: serde::de::Error>(text: String) -> Result<i64, E> {
    crate::clock::parse_duration(&text).ok_or_else(|| {
        E::custom(format!(
            "`{text}` is not a duration (use e.g. \"30m\", \"2h\", \"1h30m\", \"1d\")"
        ))
    })
}

/// One `[[rule]]`: a CEL expression that must hold for the rendered configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRule {
    pub name: String,
    #[serde(default)]
    pub severity: Severity,
    /// The environments it is evaluated in (all when absent); only for rules that read `env`.
    pub environments: Option<Vec<String>>,
    pub expr: String,
    pub message: Option<String>,
    /// Where `expr` is written in cfgctl.toml (set at load).
    #[serde(skip)]
    pub pos: Option<Pos>,
    /// `expr` compiled (at load, where it must compile).
    #[serde(skip)]
    pub compiled: Option<crate::cel::Expression>,
}

impl CustomRule {
    /// The variables a `[[rule]]` expression may use.
    pub const VARIABLES: [&'static str; 3] = ["env", "envs", "environment"];
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
                    } else if let MaybePolicy(Some(policy)) = map.next_value()? {
                        out.policies.insert(key, policy);
                    }
                    // Anything but a table here is a typo of `pinned` or a policy key outside
                    // its table: `Config::check` reports it at the key, where the spans are.
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// A value under `[promote]` other than `pinned`: a policy table, or something that is not a
/// table (`None`).
struct MaybePolicy(Option<EnvPolicy>);

impl<'de> Deserialize<'de> for MaybePolicy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MaybePolicy;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a [promote.ENV] policy table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MaybePolicy, A::Error> {
                EnvPolicy::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|p| MaybePolicy(Some(p)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<MaybePolicy, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(MaybePolicy(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<MaybePolicy, E> {
                Ok(MaybePolicy(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<MaybePolicy, E> {
                Ok(MaybePolicy(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<MaybePolicy, E> {
                Ok(MaybePolicy(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<MaybePolicy, E> {
                Ok(MaybePolicy(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<MaybePolicy, E> {
                Ok(MaybePolicy(None))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The policy for writes into one environment: approvals, freeze windows, allowed times.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a policy table (approvals, approvers, freeze, allowed_days, allowed_hours)"
)]
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
        #[serde(
            deny_unknown_fields,
            expecting = "a freeze window { from = …, to = …, reason = \"…\" }"
        )]
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
    /// Parses `HH:MM-HH:MM` (the hour may have one digit; `24:00` is the end of the day).
    pub fn parse(text: &str) -> Option<HourRange> {
        let minutes = |t: &str| {
            let (h, m) = t.trim().split_once(':')?;
            let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
                len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
            };
            if !digits(h, 1..=2) || !digits(m, 2..=2) {
                return None;
            }
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
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

/// `[guard.ENV]`: `max_<metric>` / `min_<metric>` thresholds, a sample floor, the window
/// after a change in which readings count, how many bad readings in a row a rollback needs, a
/// cooldown and a daily limit.
#[derive(Debug, Clone, Default)]
pub struct GuardSettings {
    pub thresholds: Vec<Threshold>,
    pub cooldown_minutes: Option<i64>,
    pub max_rollbacks_per_day: Option<i64>,
    /// `min_samples = { metric = "requests", value = 100 }` (or the older `min_requests =
    /// 100`): a reading below it is not judged.
    pub min_samples: Option<SampleFloor>,
    /// `window = "30m"`: only readings taken at most this long after the change count
    /// (seconds).
    pub window: Option<i64>,
    /// `violations_required = K`: bad readings in a row before a rollback (absent: 1).
    pub violations_required: Option<u32>,
}

impl GuardSettings {
    /// Bad readings in a row a rollback needs (at least 1).
    pub fn required(&self) -> u32 {
        self.violations_required.unwrap_or(1).max(1)
    }
}

/// A sample floor: readings whose `metric` is below `value` are "not enough data".
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a sample floor { metric = \"requests\", value = 100 }"
)]
pub struct SampleFloor {
    pub metric: String,
    pub value: f64,
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

/// A key of a `[guard.ENV]` table.
enum GuardKey {
    Cooldown,
    MaxRollbacks,
    MinSamples,
    /// `min_requests`: read as `min_samples = { metric = "requests", value = N }`.
    MinRequests,
    Window,
    ViolationsRequired,
    Threshold(Bound, String),
}

impl GuardKey {
    const SETTINGS: [&'static str; 6] = [
        "cooldown_minutes",
        "max_rollbacks_per_day",
        "min_samples",
        "min_requests",
        "window",
        "violations_required",
    ];

    fn parse(key: &str) -> Result<GuardKey, String> {
        match key {
            "cooldown_minutes" => return Ok(GuardKey::Cooldown),
            "max_rollbacks_per_day" => return Ok(GuardKey::MaxRollbacks),
            "min_samples" => return Ok(GuardKey::MinSamples),
            "min_requests" => return Ok(GuardKey::MinRequests),
            "window" => return Ok(GuardKey::Window),
            "violations_required" => return Ok(GuardKey::ViolationsRequired),
            _ => {}
        }
        let unknown = || {
            let mut message = format!(
                "unknown [guard] setting `{key}`: thresholds are max_<metric> or min_<metric>; also {}",
                GuardKey::SETTINGS.join(", ")
            );
            if let Some(near) = diagnose::suggest(key, GuardKey::SETTINGS) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            message
        };
        // `max_rollback_per_day` would otherwise be a threshold on a metric nobody reports.
        if diagnose::suggest(key, GuardKey::SETTINGS).is_some() {
            return Err(unknown());
        }
        let (bound, metric) = if let Some(m) = key.strip_prefix("max_") {
            (Bound::Max, m)
        } else if let Some(m) = key.strip_prefix("min_") {
            (Bound::Min, m)
        } else {
            return Err(unknown());
        };
        if metric.is_empty() {
            return Err(format!(
                "`{key}` needs a metric name (max_<metric>, min_<metric>)"
            ));
        }
        Ok(GuardKey::Threshold(bound, metric.to_string()))
    }
}

impl<'de> Deserialize<'de> for GuardKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        GuardKey::parse(&key).map_err(serde::de::Error::custom)
    }
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
                // The key is checked as it is read, so an error points at it.
                while let Some(key) = map.next_key::<GuardKey>()? {
                    match key {
                        GuardKey::Cooldown => {
                            out.cooldown_minutes = Some(map.next_value::<u32>()?.into())
                        }
                        GuardKey::MaxRollbacks => {
                            out.max_rollbacks_per_day = Some(map.next_value::<u32>()?.into())
                        }
                        GuardKey::MinSamples | GuardKey::MinRequests => {
                            let floor = if matches!(key, GuardKey::MinSamples) {
                                map.next_value::<SampleFloor>()?
                            } else {
                                SampleFloor {
                                    metric: "requests".into(),
                                    value: map.next_value()?,
                                }
                            };
                            if out.min_samples.is_some() {
                                return Err(serde::de::Error::custom(
                                    "both `min_samples` and `min_requests` are set: keep `min_samples`",
                                ));
                            }
                            if floor.metric.is_empty()
                                || !floor.value.is_finite()
                                || floor.value < 0.0
                            {
                                return Err(serde::de::Error::custom(
                                    "a sample floor needs a metric name and a number >= 0",
                                ));
                            }
                            out.min_samples = Some(floor);
                        }
                        GuardKey::Window => {
                            let text: String = map.next_value()?;
                            let seconds = crate::clock::parse_duration(&text).ok_or_else(|| {
                                serde::de::Error::custom(format!(
                                    "`{text}` is not a duration (use e.g. \"30m\", \"2h\", \"1h30m\", \"1d\")"
                                ))
                            })?;
                            out.window = Some(seconds);
                        }
                        GuardKey::ViolationsRequired => {
                            let k: u32 = map.next_value()?;
                            if k == 0 {
                                return Err(serde::de::Error::custom(
                                    "`violations_required` must be at least 1",
                                ));
                            }
                            out.violations_required = Some(k);
                        }
                        GuardKey::Threshold(bound, metric) => {
                            let limit: f64 = map.next_value()?;
                            if !limit.is_finite() {
                                return Err(serde::de::Error::custom(format!(
                                    "`{}_{metric}` needs a finite number",
                                    if bound == Bound::Max { "max" } else { "min" }
                                )));
                            }
                            out.thresholds.push(Threshold {
                                metric,
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
#[derive(Debug, Clone)]
pub enum RuleSetting {
    Level(Level),
    Table(RuleTable),
}

impl<'de> Deserialize<'de> for RuleSetting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RuleSetting;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a severity (\"error\", \"warning\" or \"off\") or a table { severity = …, ignore = […] }",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RuleSetting, E> {
                Level::deserialize(serde::de::value::StrDeserializer::<E>::new(v))
                    .map(RuleSetting::Level)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RuleSetting, A::Error> {
                RuleTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RuleSetting::Table)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a rule table { severity = …, ignore = […] }"
)]
pub struct RuleTable {
    pub severity: Level,
    /// Key path patterns the rule does not report (`**.legacy_token`), parsed at load.
    #[serde(default)]
    pub ignore: Vec<KeyPattern>,
}

impl Config {
    /// The parse limits of the repository's configuration files (`[repo] max_file_size`).
    pub fn parse_limits(&self) -> crate::document::Limits {
        crate::document::Limits {
            max_bytes: self.repo.max_file_size,
            ..crate::document::Limits::default()
        }
    }

    /// Parses `cfgctl.toml` text; an error names the line and column of the offending key or
    /// value.
    pub fn parse(text: &str) -> Result<Config, Error> {
        let config: Config = toml::from_str(text).map_err(|err| {
            let mut message = diagnose::explain(err.message());
            let mut span = err.span();
            if let (Some(spans), Some(at)) = (Spans::parse(text), span.clone()) {
                let at = spans.narrow(at, &message);
                if let Some(place) = spans.describe(at.start) {
                    message = format!("`{place}`: {message}");
                }
                span = Some(at);
            }
            Error::at(text, span, message)
        })?;
        let spans = Spans::parse(text).ok_or_else(|| Error {
            pos: None,
            message: "cannot be read again for positions".into(),
        })?;
        config
            .check(&spans)
            .map_err(|(span, message)| Error::at(text, span, message))?;
        let mut config = config;
        for (i, rule) in config.custom_rules.iter_mut().enumerate() {
            let span = spans.value(&[Step::Key("rule"), Step::Index(i), Step::Key("expr")]);
            rule.pos = span.map(|s| crate::document::pos_at_byte(text.as_bytes(), s.start));
            match crate::cel::Expression::compile(&rule.expr, &CustomRule::VARIABLES) {
                Ok(expr) => rule.compiled = Some(expr),
                Err(err) => {
                    // Point into a one-line string: past its opening quote, at the column.
                    let pos = match rule.pos {
                        Some(pos) if err.line == 1 => Pos::new(pos.line, pos.column + err.column),
                        other => other.unwrap_or(Pos::new(1, 1)),
                    };
                    return Err(Error {
                        pos: Some(pos),
                        message: format!(
                            "[[rule]] `{}`: expr does not compile: {}",
                            rule.name, err.message
                        ),
                    });
                }
            }
        }
        Ok(config)
    }

    /// Checks what types cannot: names that must refer to something, and values that must
    /// agree with each other. Returns the span to report and the message.
    fn check(&self, spans: &Spans<'_>) -> Result<(), (Option<Range<usize>>, String)> {
        use Step::{Index, Key};
        let envs = &self.repo.environments;
        let environments = [Key("repo"), Key("environments")];
        if envs.is_empty() {
            return Err((
                spans.value(&environments),
                "[repo] environments must name at least one environment".into(),
            ));
        }
        // A set, not a scan of the earlier names: repositories list thousands of environments.
        let mut seen = std::collections::HashSet::with_capacity(envs.len());
        for (i, env) in envs.iter().enumerate() {
            let at = || {
                let mut path = environments.to_vec();
                path.push(Index(i));
                spans.value(&path)
            };
            if env.is_empty() || env.contains(['/', '\\']) || env.starts_with('.') {
                return Err((
                    at(),
                    format!("environment name `{env}` is not a plain directory name"),
                ));
            }
            if !seen.insert(env.as_str()) {
                return Err((at(), format!("environment `{env}` is listed twice")));
            }
        }
        let not_an_env = |env: &str| {
            let mut message = format!(
                "`{env}` is not one of the environments ({})",
                envs.join(", ")
            );
            if let Some(near) = diagnose::suggest(env, envs.iter().map(String::as_str)) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            message
        };
        if let Some(prod) = &self.repo.production
            && !envs.contains(prod)
        {
            return Err((
                spans.value(&[Key("repo"), Key("production")]),
                format!("[repo] production: {}", not_an_env(prod)),
            ));
        }
        for (name, span, _) in spans.keys(&[Key("rules")]) {
            if RuleId::from_name(&name).is_none() {
                let known: Vec<&str> = RuleId::ALL.iter().map(|r| r.name()).collect();
                let mut message = format!(
                    "unknown rule `{name}` in [rules] (known rules: {})",
                    known.join(", ")
                );
                if let Some(near) = diagnose::suggest(&name, known) {
                    message.push_str(&format!("; did you mean `{near}`?"));
                }
                return Err((Some(span), message));
            }
        }
        for table in ["policy", "promote", "guard"] {
            for (key, span, is_table) in spans.keys(&[Key(table)]) {
                if table == "promote" && key == "pinned" {
                    continue;
                }
                if table == "promote" && !is_table {
                    let mut message = format!(
                        "unknown key `{key}` in [promote]: it takes `pinned` and [promote.ENV] policy tables"
                    );
                    if let Some(near) = diagnose::suggest(&key, ["pinned"]) {
                        message.push_str(&format!("; did you mean `{near}`?"));
                    } else if is_policy_key(&key) {
                        message.push_str(&format!(
                            "; a policy setting belongs in a [policy.ENV] table, e.g. [policy.{}]",
                            self.production()
                        ));
                    }
                    return Err((Some(span), message));
                }
                if !envs.contains(&key) {
                    return Err((Some(span), format!("[{table}.{key}]: {}", not_an_env(&key))));
                }
                if table == "promote" && self.policy.contains_key(&key) {
                    return Err((
                        Some(span),
                        format!(
                            "both [policy.{key}] and [promote.{key}] are set: keep [policy.{key}]"
                        ),
                    ));
                }
            }
        }
        for (key, span, is_table) in spans.keys(&[Key("flags"), Key("rollout")]) {
            if matches!(key.as_str(), "steps" | "min_step_interval") {
                continue;
            }
            if !is_table || !envs.contains(&key) {
                let mut message = format!("[flags.rollout.{key}]: {}", not_an_env(&key));
                if !is_table {
                    message = format!(
                        "unknown key `{key}` in [flags.rollout]: it takes `steps`, `min_step_interval` and [flags.rollout.ENV] tables"
                    );
                    if let Some(near) = diagnose::suggest(&key, ["steps", "min_step_interval"]) {
                        message.push_str(&format!("; did you mean `{near}`?"));
                    }
                }
                return Err((Some(span), message));
            }
        }
        for (i, rule) in self.custom_rules.iter().enumerate() {
            let at = |key| spans.value(&[Key("rule"), Index(i), Key(key)]);
            let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
            if rule.name.is_empty() || !rule.name.chars().all(plain) {
                return Err((
                    at("name"),
                    format!(
                        "[[rule]] name `{}` must be letters, digits, - and _",
                        rule.name
                    ),
                ));
            }
            if self.custom_rules[..i].iter().any(|r| r.name == rule.name) {
                return Err((
                    at("name"),
                    format!("[[rule]] `{}` is defined twice", rule.name),
                ));
            }
            for (j, env) in rule.environments.iter().flatten().enumerate() {
                if !envs.contains(env) {
                    return Err((
                        spans.value(&[Key("rule"), Index(i), Key("environments"), Index(j)]),
                        format!("[[rule]] `{}`: {}", rule.name, not_an_env(env)),
                    ));
                }
            }
        }
        for (i, mapping) in self.schemas.iter().enumerate() {
            let entry = [Key("schema"), Index(i)];
            if mapping.files.is_empty() {
                return Err((
                    spans.value(&[entry[0], entry[1], Key("files")]),
                    format!(
                        "[[schema]] for `{}` has an empty `files` list",
                        mapping.schema
                    ),
                ));
            }
            for (list, globs) in [("files", &mapping.files), ("exclude", &mapping.exclude)] {
                for (j, glob) in globs.iter().enumerate() {
                    if let Err(err) = globset::GlobBuilder::new(glob)
                        .literal_separator(true)
                        .build()
                    {
                        return Err((
                            spans.value(&[entry[0], entry[1], Key(list), Index(j)]),
                            format!("bad glob `{glob}` in [[schema]] {list}: {}", err.kind()),
                        ));
                    }
                }
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

    /// Returns the canary schedule for `env`: `[flags.rollout.ENV]` over `[flags.rollout]`.
    /// `None` when there is none (or it names no steps).
    pub fn rollout(&self, env: &str) -> Option<(Vec<f64>, Option<i64>)> {
        let settings = self.flags.rollout.as_ref()?;
        let own = settings.envs.get(env);
        let steps = own
            .and_then(|r| r.steps.clone())
            .or_else(|| settings.schedule.steps.clone())?;
        let interval = own
            .and_then(|r| r.min_step_interval)
            .or(settings.schedule.min_step_interval);
        Some((steps, interval))
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

fn is_policy_key(key: &str) -> bool {
    [
        "approvals",
        "approvers",
        "freeze",
        "allowed_days",
        "allowed_hours",
    ]
    .contains(&key)
}

/// Whether a source must have a `cfgctl.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    /// Missing means the defaults (a revision or index from before the file existed).
    Optional,
}

/// Reads and parses the settings file from a source, with the path in any error. A problem
/// in the file itself is an [`Error`] (find it with `downcast_ref`); failing to read it is not.
pub fn read(source: &dyn crate::repo::Source, presence: Presence) -> anyhow::Result<Config> {
    let text = match source.read(FILE_NAME) {
        Ok(bytes) => Some(String::from_utf8(bytes).map_err(|_| Error {
            pos: None,
            message: "is not valid UTF-8".into(),
        })),
        Err(_) if presence == Presence::Optional => None,
        Err(err) => return Err(err),
    };
    match text {
        Some(text) => text.and_then(|text| Config::parse(&text)),
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

    /// Parses `body` after a `[repo]` table and returns the error as printed.
    fn error(body: &str) -> String {
        let text = format!(
            "[repo]\nenvironments = [\"development\", \"staging\", \"production\"]\n{body}"
        );
        Config::parse(&text)
            .expect_err("the configuration is refused")
            .to_string()
    }

    #[test]
    fn misspelt_keys_point_at_the_key_and_suggest_the_known_one() {
        // The measured bug: a typo'd freeze under a policy table silently did not freeze.
        for table in ["policy", "promote"] {
            let msg = error(&format!("[{table}.production]\nfrezee = []\n"));
            assert!(
                msg.starts_with(&format!(
                    "cfgctl.toml:4:1: `{table}.production`: unknown field `frezee`"
                )),
                "{msg}"
            );
            assert!(msg.ends_with("did you mean `freeze`?"), "{msg}");
            let msg = error(&format!("[{table}.production]\n\naprovals = 1\n"));
            assert!(msg.starts_with("cfgctl.toml:5:1: "), "{msg}");
            assert!(msg.ends_with("did you mean `approvals`?"), "{msg}");
        }
        let msg = error("[polcy.production]\napprovals = 1\n");
        assert!(
            msg.starts_with("cfgctl.toml:3:2: unknown field `polcy`"),
            "{msg}"
        );
        assert!(msg.ends_with("did you mean `policy`?"), "{msg}");
        let msg = error("[[schema]]\nfile = []\nschema = \"x\"\n");
        assert!(msg.starts_with("cfgctl.toml:4:1: `schema[0]`: "), "{msg}");
        assert!(msg.ends_with("did you mean `files`?"), "{msg}");
        let msg = error("[rules]\ncors-wildcard = { severity = \"error\", ignroe = [] }\n");
        assert!(msg.starts_with("cfgctl.toml:4:39: "), "{msg}");
        assert!(msg.ends_with("did you mean `ignore`?"), "{msg}");
        let msg = error("[guard.production]\ncooldown_minute = 3\n");
        assert!(msg.starts_with("cfgctl.toml:4:1: "), "{msg}");
        assert!(msg.ends_with("did you mean `cooldown_minutes`?"), "{msg}");
        // Close to a setting, so not taken for a threshold on a metric nobody reports.
        let msg = error("[guard.production]\nmax_rollback_per_day = 3\n");
        assert!(
            msg.ends_with("did you mean `max_rollbacks_per_day`?"),
            "{msg}"
        );
        // Far from every known key: no suggestion, just the list.
        let msg = error("[policy.production]\ntimezone = \"UTC\"\n");
        assert!(
            msg.ends_with("expected one of `approvals`, `approvers`, `freeze`, `allowed_days`, `allowed_hours`"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_values_point_at_the_value() {
        let msg = error("[policy.production]\napprovals = \"x\"\n");
        assert_eq!(
            msg,
            "cfgctl.toml:4:13: `policy.production.approvals`: invalid type: string \"x\", expected a whole number (0 or more)"
        );
        let msg = error("[rules]\ncors-wildcard = \"warn\"\n");
        assert!(msg.starts_with("cfgctl.toml:4:17: "), "{msg}");
        assert!(msg.ends_with("did you mean `warning`?"), "{msg}");
        let msg = error("[policy.production]\nallowed_days = [\"mon\", \"tuesday\"]\n");
        assert!(
            msg.starts_with("cfgctl.toml:4:24: `policy.production.allowed_days[1]`: "),
            "{msg}"
        );
        assert!(msg.ends_with("did you mean `tue`?"), "{msg}");
        let msg = error("[policy.production]\nallowed_hours = \"9-17\"\n");
        assert!(msg.starts_with("cfgctl.toml:4:17: "), "{msg}");
        let msg = error("[policy]\napprovals = 1\n");
        assert!(msg.contains("expected a policy table"), "{msg}");
    }

    #[test]
    fn names_must_exist_and_are_reported_where_they_are_written() {
        let msg = error("[rules]\ncors-wildcrd = \"error\"\n");
        assert!(
            msg.starts_with("cfgctl.toml:4:1: unknown rule `cors-wildcrd` in [rules]"),
            "{msg}"
        );
        assert!(msg.ends_with("did you mean `cors-wildcard`?"), "{msg}");
        for table in ["policy", "promote", "guard"] {
            let msg = error(&format!("\n[{table}.prod]\n"));
            let column = table.len() + 3;
            assert!(
                msg.starts_with(&format!(
                    "cfgctl.toml:4:{column}: [{table}.prod]: `prod` is not one of the environments"
                )),
                "{msg}"
            );
            assert!(msg.ends_with("did you mean `production`?"), "{msg}");
        }
        let msg = error("[promote]\npinnned = []\n");
        assert!(
            msg.starts_with("cfgctl.toml:4:1: unknown key `pinnned` in [promote]"),
            "{msg}"
        );
        assert!(msg.ends_with("did you mean `pinned`?"), "{msg}");
        let msg = error("[promote]\napprovals = 1\n");
        assert!(msg.contains("belongs in a [policy.ENV] table"), "{msg}");
        let msg = error("[policy.staging]\n[promote.staging]\napprovals = 1\n");
        assert!(
            msg.starts_with("cfgctl.toml:4:10: both [policy.staging] and [promote.staging]"),
            "{msg}"
        );
        let msg = Config::parse("[repo]\nenvironments = [\"a\", \"b\"]\nproduction = \"c\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("cfgctl.toml:3:14: [repo] production"),
            "{msg}"
        );
        let msg = Config::parse("[repo]\nenvironments = [\"a\", \"a\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("cfgctl.toml:2:22: environment `a` is listed twice"),
            "{msg}"
        );
        let msg = error("[[schema]]\nfiles = [\"ok/*\", \"a/[\"]\nschema = \"x\"\n");
        assert!(msg.starts_with("cfgctl.toml:4:18: bad glob `a/[`"), "{msg}");
    }

    #[test]
    fn key_patterns_are_parsed_at_load() {
        let config = Config::parse(
            "[promote]\npinned = [\"external_apis.*.auth.*_file\", \"**.replicas\"]\n",
        )
        .unwrap();
        let cert = crate::document::KeyPath::from_pointer("/external_apis/ledger/auth/cert_file");
        assert!(crate::promote::is_pinned(&cert, config.pinned()));
        let token = crate::document::KeyPath::from_pointer("/external_apis/ledger/auth/token_env");
        assert!(!crate::promote::is_pinned(&token, config.pinned()));
        let msg = error("[promote]\npinned = [\"a\", \"b.**_file\"]\n");
        assert!(
            msg.starts_with("cfgctl.toml:4:16: `promote.pinned[1]`: bad key pattern `b.**_file`"),
            "{msg}"
        );
        let msg =
            error("[rules]\nplaintext-secret = { severity = \"error\", ignore = [\"a..b\"] }\n");
        assert!(msg.starts_with("cfgctl.toml:4:52: "), "{msg}");
        assert!(msg.contains("empty segment"), "{msg}");
    }

    #[test]
    fn guard_floor_window_and_rollout_schedule() {
        let config = Config::parse(
            "[repo]\nenvironments = [\"dev\", \"prod\"]\n\n[guard.prod]\nmin_requests = 50\nwindow = \"1h30m\"\nviolations_required = 3\n\n[flags.rollout]\nsteps = [10, 50, 100]\nmin_step_interval = \"30m\"\n\n[flags.rollout.prod]\nmin_step_interval = \"2h\"\n",
        )
        .unwrap();
        let guard = config.guard("prod").unwrap();
        // `min_requests` is a sample floor now, not a threshold on requests.
        assert!(guard.thresholds.is_empty());
        assert_eq!(
            guard.min_samples,
            Some(SampleFloor {
                metric: "requests".into(),
                value: 50.0
            })
        );
        assert_eq!((guard.window, guard.required()), (Some(5_400), 3));
        assert_eq!(
            config.rollout("prod"),
            Some((vec![10.0, 50.0, 100.0], Some(7_200)))
        );
        assert_eq!(
            config.rollout("dev"),
            Some((vec![10.0, 50.0, 100.0], Some(1_800)))
        );
        let err = |text: &str| {
            Config::parse(&format!(
                "[repo]\nenvironments = [\"dev\", \"prod\"]\n{text}"
            ))
            .unwrap_err()
            .to_string()
        };
        let both = err(
            "[guard.prod]\nmin_requests = 5\nmin_samples = { metric = \"requests\", value = 5 }\n",
        );
        assert!(both.contains("keep `min_samples`"), "{both}");
        let unknown_env = err("[flags.rollout.qa]\nsteps = [10]\n");
        assert!(
            unknown_env.contains("`qa` is not one of the environments"),
            "{unknown_env}"
        );
        // What the schema cannot say: steps in ascending order.
        assert!(err("[flags.rollout]\nsteps = [50, 10]\n").contains("ascending"));
        let typo = err("[guard.prod]\nviolation_required = 2\n");
        assert!(
            typo.contains("did you mean `violations_required`"),
            "{typo}"
        );
    }

    /// The schema shipped for editors (`#:schema` in the template) and `Config::parse` must
    /// accept and refuse the same files.
    mod schema {
        use super::super::*;

        const TEMPLATE: &str = include_str!("../config-repo-template/cfgctl.toml");
        const SCHEMA: &str = include_str!("../config-repo-template/schemas/cfgctl.schema.json");

        fn validator() -> jsonschema::Validator {
            let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
            jsonschema::options()
                .with_pattern_options(jsonschema::PatternOptions::regex())
                .build(&schema)
                .unwrap()
        }

        /// TOML as editors hand it to a JSON Schema: date-times become RFC 3339 strings.
        fn to_json(value: toml::Value) -> serde_json::Value {
            use serde_json::Value as J;
            match value {
                toml::Value::String(s) => J::String(s),
                toml::Value::Integer(i) => J::from(i),
                toml::Value::Float(f) => J::from(f),
                toml::Value::Boolean(b) => J::Bool(b),
                toml::Value::Datetime(d) => J::String(d.to_string()),
                toml::Value::Array(items) => J::Array(items.into_iter().map(to_json).collect()),
                toml::Value::Table(table) => {
                    J::Object(table.into_iter().map(|(k, v)| (k, to_json(v))).collect())
                }
            }
        }

        fn schema_errors(text: &str) -> Vec<String> {
            let table: toml::Table = toml::from_str(text).unwrap();
            let instance = to_json(toml::Value::Table(table));
            validator()
                .iter_errors(&instance)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect()
        }

        #[test]
        fn the_template_passes_the_schema_and_the_parser() {
            assert!(
                TEMPLATE.starts_with("#:schema ./schemas/cfgctl.schema.json\n"),
                "editors find the schema from the first line"
            );
            assert_eq!(schema_errors(TEMPLATE), Vec::<String>::new());
            let config = Config::parse(TEMPLATE).unwrap();
            assert!(
                config
                    .policy("production")
                    .is_some_and(|p| p.approvals == 1)
            );
            assert!(!config.pinned().is_empty());
            assert!(config.guard("production").is_some());
        }

        /// The README shows every key of the file in one example: it must be a valid file.
        #[test]
        fn the_readme_example_passes_both() {
            let readme = include_str!("../README.md");
            let section = readme
                .split("## The configuration file: cfgctl.toml")
                .nth(1)
                .expect("the README has the section");
            let example = section
                .split("```toml\n")
                .nth(1)
                .and_then(|rest| rest.split("```").next())
                .expect("the section has a toml example");
            assert_eq!(schema_errors(example), Vec::<String>::new());
            let config = Config::parse(example).unwrap();
            assert_eq!(config.schemas.len(), 2);
            assert_eq!(config.pinned().len(), 3);
            let policy = config.policy("production").unwrap();
            assert!(policy.allowed_hours.is_some() && policy.freeze.len() == 1);
            assert_eq!(config.guard("production").unwrap().thresholds.len(), 2);
        }

        #[test]
        fn broken_files_are_refused_by_both() {
            let envs = "[repo]\nenvironments = [\"development\", \"staging\", \"production\"]\n";
            for body in [
                "[policy.production]\nfrezee = []\n",
                "[promote.production]\naprovals = 1\n",
                "[policy.production]\napprovals = -1\n",
                "[policy.production]\nallowed_hours = \"9-17\"\n",
                "[policy.production]\nallowed_hours = \"09:00-17:0\"\n",
                "[policy.production]\nallowed_days = [\"monday\"]\n",
                "[policy.production]\nfreeze = [{ from = \"2026-13-01\", to = \"2027-01-01\" }]\n",
                "[policy.production]\nfreeze = [{ from = 2026-12-24 }]\n",
                "[promote]\npinnned = []\n",
                "[promote]\npinned = [\"a..b\"]\n",
                "[promote]\npinned = [\"external_apis.**_file\"]\n",
                "[promote]\npinned = [\"a.***\"]\n",
                "[rules]\ncors-wildcrd = \"error\"\n",
                "[rules]\ncors-wildcard = \"warn\"\n",
                "[rules]\nplaintext-secret = { ignore = [] }\n",
                "[guard.production]\ncooldown_minute = 3\n",
                "[guard.production]\nmax_error_rate = \"high\"\n",
                "[guard.production]\nwindow = \"soon\"\n",
                "[guard.production]\nviolations_required = 0\n",
                "[guard.production]\nmin_samples = { metric = \"requests\" }\n",
                "[guard.production]\nmin_samples = { metric = \"requests\", value = 1, per = \"1m\" }\n",
                "[flags.rollout]\nsteps = [10, 150]\n",
                "[flags.rollout]\nstepz = [10]\n",
                "[flags.rollout]\nmin_step_interval = \"30\"\n",
                "[flags.rollout.production]\nsteps = []\n",
                "[flags]\nrolout = {}\n",
                "[[schema]]\nfiles = [\"x\"]\n",
                "[[schema]]\nfiles = []\nschema = \"s.json\"\n",
                "[[schema]]\nfiles = [\"x\"]\nschema = \"s.json\"\nseverity = \"fatal\"\n",
                "[polcy.production]\napprovals = 1\n",
            ] {
                let text = format!("{envs}{body}");
                assert!(Config::parse(&text).is_err(), "the parser accepts:\n{body}");
                assert!(
                    !schema_errors(&text).is_empty(),
                    "the schema accepts:\n{body}"
                );
            }
            for text in [
                "[repo]\nenvironments = []\n",
                "[repo]\nenvironments = [\"a\", \"a\"]\n",
                "[repo]\nenvironments = [\"../a\"]\n",
            ] {
                assert!(Config::parse(text).is_err(), "{text}");
                assert!(!schema_errors(text).is_empty(), "{text}");
            }
        }

        #[test]
        fn valid_files_are_accepted_by_both() {
            for text in [
                "",
                "[repo]\nenvironments = [\"dev\", \"prod\"]\nmax_file_size = 1024\n\n[policy.prod]\napprovals = 2\napprovers = [\"A <a@example.com>\"]\nallowed_days = [\"mon\", \"fri\"]\nallowed_hours = \"9:00-17:30\"\nfreeze = [{ from = 2026-12-24, to = 2026-12-27T12:00:00+01:00, reason = \"x\" }]\n\n[promote.dev]\napprovals = 0\n\n[guard.prod]\nmax_error_rate = 0.05\nmin_requests = 10\ncooldown_minutes = 5\n",
                "[guard.prod]\nmax_error_rate = 0.05\nmin_samples = { metric = \"requests\", value = 100 }\nwindow = \"1h30m\"\nviolations_required = 2\n\n[flags.rollout]\nsteps = [10, 25, 50, 100]\nmin_step_interval = \"30m\"\n\n[flags.rollout.prod]\nmin_step_interval = \"2h\"\n",
                "[rules]\nplaintext-secret = { severity = \"warning\", ignore = [\"**.legacy_token\", \"a[name=x].*_file\"] }\nenv-key-parity = \"off\"\n\n[promote]\npinned = [\"**.replicas\", \"labels.\\\"app.kubernetes.io/name\\\"\", \"db_*.host\", \"ports[1]\"]\n",
            ] {
                let text = if text.contains("[repo]") {
                    text.to_string()
                } else {
                    format!("[repo]\nenvironments = [\"dev\", \"prod\"]\n{text}")
                };
                if let Err(e) = Config::parse(&text) {
                    panic!("the parser refuses:\n{text}\n{e}");
                }
                assert_eq!(schema_errors(&text), Vec::<String>::new(), "{text}");
            }
        }
    }
}
