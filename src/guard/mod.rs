//! Rollback guard: health readings judged against `[guard.ENV]`, and the choice of what to
//! roll back — the newest change into the environment (a promotion, a flag stage, a pack
//! activation or a `set`) that is not rolled back yet.
//!
//! Judging, as an on-call engineer would: a reading counts only when it was taken after the
//! change and, with `window`, at most that long after it; a reading below the sample floor
//! (`min_samples`) is not judged at all; and a rollback needs `violations_required` bad
//! readings in a row (readings below the floor neither count nor break the run). The verdict
//! is `insufficient_data` (nothing judged), `healthy` (the newest judged reading holds),
//! `violating` (bad, but fewer in a row than required) or `unhealthy` (roll back).
//!
//! What guard has seen for a change (its readings and verdicts) is kept in a Git note on the
//! change's commit ([`state`], `refs/notes/cfgctl-guard`), so runs add up and any clone that
//! fetches the ref sees why a rollback happened. The cooldown and the daily limit are computed
//! from the history of guard commits (`Cfgctl-Action: guard`). Pure functions over settings,
//! readings and history entries, so they are tested without a repository.

pub mod readings;
pub mod state;

use crate::config::{Bound, GuardSettings};
use crate::history::Entry;
use crate::trailers::{Action, Key};
use anyhow::{Result, anyhow};
pub use readings::Reading;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// Compares every threshold with one reading; a metric a threshold needs must be there.
pub fn compare(settings: &GuardSettings, reading: &Reading) -> Result<Vec<Violation>> {
    let mut violations = Vec::new();
    for threshold in &settings.thresholds {
        let Some(actual) = reading.metrics.get(&threshold.metric) else {
            let prefix = match threshold.bound {
                Bound::Max => "max",
                Bound::Min => "min",
            };
            return Err(crate::error::CliError::new(anyhow!(
                "{}: the reading has no `{}` (needed by `{prefix}_{}`)",
                reading.source,
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

/// What guard thinks of the readings of one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No reading could be judged: none in the window, or all below the sample floor.
    InsufficientData,
    /// The newest judged reading holds every threshold.
    Healthy,
    /// The newest judged readings cross a threshold, fewer in a row than required.
    Violating,
    /// `violations_required` judged readings in a row cross a threshold: roll back.
    Unhealthy,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::InsufficientData => "insufficient_data",
            Verdict::Healthy => "healthy",
            Verdict::Violating => "violating",
            Verdict::Unhealthy => "unhealthy",
        }
    }

    /// Whether a next rollout step must wait (the last step is not known to be well).
    pub fn is_bad(self) -> bool {
        matches!(self, Verdict::Violating | Verdict::Unhealthy)
    }
}

/// How one reading was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// Judged: every threshold holds.
    Ok,
    /// Judged: a threshold is crossed.
    Violating,
    /// Not judged: below the sample floor.
    BelowFloor,
    /// Not judged: taken before the change, so it measures what came before.
    BeforeChange,
    /// Not judged: taken after the window.
    AfterWindow,
}

/// One reading and how it was counted.
#[derive(Debug, Clone, Serialize)]
pub struct Judged {
    #[serde(flatten)]
    pub reading: Reading,
    pub counted: Counted,
    pub violations: Vec<Violation>,
}

/// The verdict on a change's readings, and how it was reached.
#[derive(Debug, Clone, Serialize)]
pub struct Judgement {
    pub verdict: Verdict,
    /// Judged readings crossing a threshold, newest back to the last good one.
    pub streak: u32,
    pub required: u32,
    /// The violations of the newest judged reading.
    pub violations: Vec<Violation>,
    /// Every reading, oldest first.
    pub readings: Vec<Judged>,
}

impl Judgement {
    /// One line: the verdict and why.
    pub fn summary(&self) -> String {
        let judged = self
            .readings
            .iter()
            .filter(|r| matches!(r.counted, Counted::Ok | Counted::Violating))
            .count();
        let skipped = |c: Counted| self.readings.iter().filter(|r| r.counted == c).count();
        let mut not = Vec::new();
        for (c, what) in [
            (Counted::BelowFloor, "below the sample floor"),
            (Counted::BeforeChange, "from before the change"),
            (Counted::AfterWindow, "after the window"),
        ] {
            let n = skipped(c);
            if n > 0 {
                not.push(format!("{n} {what}"));
            }
        }
        let not = if not.is_empty() {
            String::new()
        } else {
            format!("; not judged: {}", not.join(", "))
        };
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let head = match self.verdict {
            Verdict::InsufficientData => "not enough data: no reading to judge".to_string(),
            Verdict::Healthy => "the newest judged reading holds every threshold".to_string(),
            Verdict::Violating | Verdict::Unhealthy => format!(
                "{} of {} required bad reading{} in a row",
                self.streak,
                self.required,
                plural(self.required as usize)
            ),
        };
        format!("{head} ({judged} judged{not})")
    }
}

/// Judges readings of a change made at `since` (no change: every reading counts in time).
pub fn judge(
    settings: &GuardSettings,
    readings: &[Reading],
    since: Option<i64>,
) -> Result<Judgement> {
    let mut out = Vec::new();
    for reading in readings {
        let (counted, violations) = match since {
            Some(t) if reading.time < t => (Counted::BeforeChange, Vec::new()),
            Some(t) if settings.window.is_some_and(|w| reading.time > t + w) => {
                (Counted::AfterWindow, Vec::new())
            }
            _ => match &settings.min_samples {
                Some(floor) => {
                    let samples = reading.metrics.get(&floor.metric).ok_or_else(|| {
                        crate::error::CliError::new(anyhow!(
                            "{}: the reading has no `{}` (needed by the sample floor `min_samples`)",
                            reading.source,
                            floor.metric
                        ))
                    })?;
                    if *samples < floor.value {
                        (Counted::BelowFloor, Vec::new())
                    } else {
                        judged(settings, reading)?
                    }
                }
                None => judged(settings, reading)?,
            },
        };
        out.push(Judged {
            reading: reading.clone(),
            counted,
            violations,
        });
    }
    out.sort_by_key(|j| j.reading.time);
    let required = settings.required();
    let mut streak = 0;
    let mut newest: Option<&Judged> = None;
    for j in out.iter().rev() {
        match j.counted {
            Counted::Violating => {
                newest.get_or_insert(j);
                streak += 1;
            }
            Counted::Ok => {
                newest.get_or_insert(j);
                break;
            }
            _ => {}
        }
    }
    let verdict = match newest {
        None => Verdict::InsufficientData,
        Some(_) if streak == 0 => Verdict::Healthy,
        Some(_) if streak < required => Verdict::Violating,
        Some(_) => Verdict::Unhealthy,
    };
    let violations = newest.map(|j| j.violations.clone()).unwrap_or_default();
    Ok(Judgement {
        verdict,
        streak,
        required,
        violations,
        readings: out,
    })
}

fn judged(settings: &GuardSettings, reading: &Reading) -> Result<(Counted, Vec<Violation>)> {
    let violations = compare(settings, reading)?;
    let counted = if violations.is_empty() {
        Counted::Ok
    } else {
        Counted::Violating
    };
    Ok((counted, violations))
}

/// The change guard judges in an environment: its newest forward change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subject {
    pub sha: String,
    pub kind: String,
    pub subject: String,
    /// Commit time, seconds since the epoch.
    #[serde(skip)]
    pub time: i64,
    /// The commit that rolled it back, when one did.
    pub rolled_back_by: Option<String>,
}

/// The newest promotion, flag stage, pack activation or `set` into `env` (history newest
/// first), and whether a later commit rolled it back.
pub fn subject(env: &str, history: &[Entry]) -> Option<Subject> {
    let mut undone: Vec<(&str, &str)> = Vec::new();
    for entry in history {
        if let Some(of) = entry.trailer(Key::RollbackOf.as_str()) {
            undone.push((of, entry.sha.as_str()));
        }
        let forward = matches!(
            entry.action(),
            Some(Action::Promote | Action::FlagsStage | Action::PackActivate | Action::Set)
        );
        if !forward || entry.target_env() != Some(env) {
            continue;
        }
        return Some(Subject {
            sha: entry.sha.clone(),
            kind: entry.kind.clone(),
            subject: entry.subject.clone(),
            time: entry.time,
            rolled_back_by: undone
                .iter()
                .find(|(of, _)| *of == entry.sha)
                .map(|(_, by)| by.to_string()),
        });
    }
    None
}

/// Metrics by name, for tests and callers that build a reading by hand.
pub fn metrics(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
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
    match subject(env, history) {
        Some(s) if s.rolled_back_by.is_some() => Target::Refused(format!(
            "the newest change into {env} ({} {}) is already rolled back",
            &s.sha[..s.sha.len().min(7)],
            s.kind
        )),
        Some(s) => Target::Revert {
            sha: s.sha,
            kind: s.kind,
            subject: s.subject,
        },
        None => Target::Refused(format!(
            "no promotion, flag stage or pack activation into {env} to roll back"
        )),
    }
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
            ..GuardSettings::default()
        }
    }

    fn entry(sha: &str, time: i64, trailers: &[(&str, &str)]) -> Entry {
        crate::history::tests::commit(&sha.repeat(40 / sha.len()), time, &[], trailers)
    }

    fn reading(time: i64, pairs: &[(&str, f64)]) -> Reading {
        Reading {
            time,
            source: format!("t{time}"),
            metrics: metrics(pairs),
            timed: true,
        }
    }

    #[test]
    fn thresholds_cross_in_both_directions() {
        let sick = reading(0, &[("error_rate", 0.2), ("success_rate", 0.5)]);
        let found = compare(&settings(), &sick).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].describe(), "error_rate 0.2 > max 0.05");
        assert_eq!(found[1].describe(), "success_rate 0.5 < min 0.9");
        let healthy = reading(0, &[("error_rate", 0.01), ("success_rate", 0.99)]);
        assert!(compare(&settings(), &healthy).unwrap().is_empty());
        assert!(compare(&settings(), &reading(0, &[("error_rate", 0.01)])).is_err());
    }

    #[test]
    fn a_run_of_bad_readings_a_floor_and_a_window() {
        let mut s = settings();
        s.min_samples = Some(crate::config::SampleFloor {
            metric: "requests".into(),
            value: 100.0,
        });
        s.window = Some(3_600);
        s.violations_required = Some(2);
        let bad = |t: i64| {
            reading(
                t,
                &[
                    ("error_rate", 0.2),
                    ("success_rate", 0.99),
                    ("requests", 500.0),
                ],
            )
        };
        let good = |t: i64| {
            reading(
                t,
                &[
                    ("error_rate", 0.0),
                    ("success_rate", 0.99),
                    ("requests", 500.0),
                ],
            )
        };
        let quiet = |t: i64| reading(t, &[("error_rate", 0.9), ("requests", 3.0)]);
        let verdict = |rs: &[Reading]| judge(&s, rs, Some(1_000)).unwrap().verdict;
        assert_eq!(verdict(&[]), Verdict::InsufficientData);
        // Below the floor: not judged, and its missing metrics are not asked for.
        assert_eq!(verdict(&[quiet(1_100)]), Verdict::InsufficientData);
        assert_eq!(verdict(&[bad(1_100)]), Verdict::Violating);
        assert_eq!(verdict(&[bad(1_100), bad(1_200)]), Verdict::Unhealthy);
        // A good reading ends the run; a quiet one neither counts nor ends it.
        assert_eq!(
            verdict(&[bad(1_100), good(1_150), bad(1_200)]),
            Verdict::Violating
        );
        assert_eq!(
            verdict(&[bad(1_100), quiet(1_150), bad(1_200)]),
            Verdict::Unhealthy
        );
        assert_eq!(
            verdict(&[bad(1_100), bad(1_200), good(1_300)]),
            Verdict::Healthy
        );
        // Order is by time, not by how they came.
        assert_eq!(
            verdict(&[good(1_300), bad(1_100), bad(1_200)]),
            Verdict::Healthy
        );
        // Before the change and after the window: not judged.
        let j = judge(&s, &[bad(900), bad(1_100), bad(1_000 + 3_601)], Some(1_000)).unwrap();
        assert_eq!(j.verdict, Verdict::Violating);
        let counted: Vec<Counted> = j.readings.iter().map(|r| r.counted).collect();
        assert_eq!(
            counted,
            [
                Counted::BeforeChange,
                Counted::Violating,
                Counted::AfterWindow
            ]
        );
        assert!(
            j.summary()
                .contains("1 of 2 required bad readings in a row"),
            "{}",
            j.summary()
        );
        // The floor's metric must be there.
        assert!(judge(&s, &[reading(1_100, &[("error_rate", 0.2)])], Some(1_000)).is_err());
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
