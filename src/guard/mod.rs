//! Rollback guard: a health snapshot compared with `[guard.ENV]` thresholds, and the choice of
//! what to roll back — the newest change into the environment (a promotion, a flag stage or a
//! pack activation) that is not rolled back yet.
//!
//! The cooldown and the daily limit are computed from the history of guard commits
//! (`Cfgctl-Action: guard`): no state file. Pure functions over settings, metrics and
//! history entries, so they are tested without a repository.

use crate::config::{Bound, GuardSettings};
use crate::document::{self, Format, Limits, Value};
use crate::history::Entry;
use crate::trailers::{Action, Key};
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use std::path::Path;

/// One crossed threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub metric: String,
    pub value: f64,
    /// `max` or `min`.
    pub kind: Bound,
    pub limit: f64,
}

impl Violation {
    pub fn describe(&self) -> String {
        let (op, kind) = match self.kind {
            Bound::Max => (">", "max"),
            Bound::Min => ("<", "min"),
        };
        format!("{} {} {op} {kind} {}", self.metric, self.value, self.limit)
    }
}

/// Compares every threshold with the snapshot; a metric a threshold needs must be there.
pub fn compare(settings: &GuardSettings, metrics: &[(String, f64)]) -> Result<Vec<Violation>> {
    let mut violations = Vec::new();
    for threshold in &settings.thresholds {
        let Some((_, actual)) = metrics.iter().find(|(name, _)| *name == threshold.metric) else {
            let prefix = match threshold.bound {
                Bound::Max => "max",
                Bound::Min => "min",
            };
            return Err(crate::error::CliError::new(anyhow!(
                "the metrics snapshot has no `{}` (needed by `{prefix}_{}`)",
                threshold.metric,
                threshold.metric
            ))
            .into());
        };
        let crossed = match threshold.bound {
            Bound::Max => *actual > threshold.limit,
            Bound::Min => *actual < threshold.limit,
        };
        if crossed {
            violations.push(Violation {
                metric: threshold.metric.clone(),
                value: *actual,
                kind: threshold.bound,
                limit: threshold.limit,
            });
        }
    }
    Ok(violations)
}

/// Reads a metrics snapshot: a JSON or YAML object whose values are numbers.
pub fn read_metrics(path: &Path) -> Result<Vec<(String, f64)>> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("reading metrics `{shown}`"))?;
    let format = Format::from_path(&shown).unwrap_or(Format::Json);
    let doc = document::parse(&bytes, format, &Limits::default()).map_err(|e| e.in_file(&shown))?;
    let root = doc
        .roots
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("{shown}: empty"))?;
    let Value::Map(map) = root.value else {
        return Err(anyhow!(
            "{shown}: the metrics snapshot must be an object of numbers"
        ));
    };
    map.into_iter()
        .filter(|(_, e)| !matches!(e.value.value, Value::Null))
        .map(|(key, entry)| {
            entry
                .value
                .as_f64()
                .map(|v| (key.clone(), v))
                .ok_or_else(|| anyhow!("{shown}:{}: `{key}` is not a number", entry.value.pos))
        })
        .collect()
}

/// The change a violation rolls back, or why nothing is.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Revert this commit (the newest forward change into the environment).
    Revert {
        sha: String,
        kind: String,
        subject: String,
    },
    Refused(String),
}

/// Decides what a violation in `env` rolls back, from the history (newest first): the
/// cooldown and the daily limit of guard rollbacks, then the newest promotion, flag stage or
/// pack activation into `env` that no later commit rolled back.
pub fn target(env: &str, settings: &GuardSettings, history: &[Entry], now: i64) -> Target {
    let guards: Vec<&Entry> = history
        .iter()
        .filter(|e| e.action() == Some(Action::Guard) && e.trailer(Key::To.as_str()) == Some(env))
        .collect();
    if let (Some(cooldown), Some(last)) = (settings.cooldown_minutes, guards.first()) {
        let waited = (now - last.time) / 60;
        if waited < cooldown {
            return Target::Refused(format!(
                "the last guard rollback in {env} was {waited} min ago; the cooldown is {cooldown} min"
            ));
        }
    }
    let today = guards.iter().filter(|e| now - e.time < 86_400).count() as i64;
    if let Some(limit) = settings.max_rollbacks_per_day
        && today >= limit
    {
        return Target::Refused(format!(
            "{today} guard rollbacks in {env} in the last 24 hours; the limit is {limit}"
        ));
    }
    let mut undone: Vec<&str> = Vec::new();
    for entry in history {
        if let Some(of) = entry.trailer(Key::RollbackOf.as_str()) {
            undone.push(of);
        }
        let forward = matches!(
            entry.action(),
            Some(Action::Promote | Action::FlagsStage | Action::PackActivate | Action::Set)
        );
        if !forward || entry.target_env() != Some(env) {
            continue;
        }
        if undone.contains(&entry.sha.as_str()) {
            return Target::Refused(format!(
                "the newest change into {env} ({} {}) is already rolled back",
                entry.short(),
                entry.kind
            ));
        }
        return Target::Revert {
            sha: entry.sha.clone(),
            kind: entry.kind.clone(),
            subject: entry.subject.clone(),
        };
    }
    Target::Refused(format!(
        "no promotion, flag stage or pack activation into {env} to roll back"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Threshold;

    fn settings() -> GuardSettings {
        GuardSettings {
            thresholds: vec![
                Threshold {
                    metric: "error_rate".into(),
                    bound: Bound::Max,
                    limit: 0.05,
                },
                Threshold {
                    metric: "success_rate".into(),
                    bound: Bound::Min,
                    limit: 0.9,
                },
            ],
            cooldown_minutes: Some(30),
            max_rollbacks_per_day: Some(2),
        }
    }

    fn entry(sha: &str, time: i64, trailers: &[(&str, &str)]) -> Entry {
        crate::history::tests::commit(&sha.repeat(40 / sha.len()), time, &[], trailers)
    }

    #[test]
    fn thresholds_cross_in_both_directions() {
        let metrics = vec![("error_rate".into(), 0.2), ("success_rate".into(), 0.5)];
        let found = compare(&settings(), &metrics).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].describe(), "error_rate 0.2 > max 0.05");
        assert_eq!(found[1].describe(), "success_rate 0.5 < min 0.9");
        let healthy = vec![("error_rate".into(), 0.01), ("success_rate".into(), 0.99)];
        assert!(compare(&settings(), &healthy).unwrap().is_empty());
        assert!(compare(&settings(), &healthy[..1]).is_err());
    }

    #[test]
    fn the_newest_forward_change_is_the_target() {
        let history = vec![
            entry(
                "c",
                300,
                &[
                    ("Cfgctl-Action", "flags-stage"),
                    ("Cfgctl-To", "production"),
                ],
            ),
            entry(
                "b",
                200,
                &[("Cfgctl-Action", "promote"), ("Cfgctl-To", "staging")],
            ),
            entry(
                "a",
                100,
                &[("Cfgctl-Action", "promote"), ("Cfgctl-To", "production")],
            ),
        ];
        match target("production", &settings(), &history, 10_000) {
            Target::Revert { sha, kind, .. } => {
                assert!(sha.starts_with('c'));
                assert_eq!(kind, "flags-stage");
            }
            other => panic!("{other:?}"),
        }
        match target("staging", &settings(), &history, 10_000) {
            Target::Revert { sha, .. } => assert!(sha.starts_with('b')),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rolled_back_changes_cooldown_and_daily_limit_refuse() {
        let c = "c".repeat(40);
        let history = vec![
            entry(
                "d",
                9_000,
                &[
                    ("Cfgctl-Action", "guard"),
                    ("Cfgctl-To", "production"),
                    ("Cfgctl-Rollback-Of", &c),
                ],
            ),
            entry(
                "c",
                300,
                &[
                    ("Cfgctl-Action", "pack-activate"),
                    ("Cfgctl-To", "production"),
                ],
            ),
        ];
        let within = target("production", &settings(), &history, 9_000 + 60);
        assert!(
            matches!(&within, Target::Refused(r) if r.contains("cooldown")),
            "{within:?}"
        );
        let later = target("production", &settings(), &history, 9_000 + 3_600);
        assert!(
            matches!(&later, Target::Refused(r) if r.contains("already rolled back")),
            "{later:?}"
        );
        let mut busy = history.clone();
        busy.insert(
            0,
            entry(
                "e",
                9_500,
                &[("Cfgctl-Action", "guard"), ("Cfgctl-To", "production")],
            ),
        );
        let limited = target("production", &settings(), &busy, 9_500 + 3_600);
        assert!(
            matches!(&limited, Target::Refused(r) if r.contains("the limit is 2")),
            "{limited:?}"
        );
    }
}
