//! Canary schedules: `[flags.rollout] steps = [10, 25, 50, 75, 100]` walked one step at a time
//! by `cfgctl flags stage FLAG --env ENV --next` (or `--back`).
//!
//! A step is a rollout percentage, written as the stage it falls in (below 25 % `canary`,
//! below 50 % `beta`, below 100 % `staged`, 100 % `full`; 0 % is `disabled`, the place before
//! the first step). `--next` goes to the first step above the flag's percentage and must
//! wait until `min_step_interval` has passed since the flag last moved in the environment and
//! while guard's last verdict for the environment is `violating` or `unhealthy`; `--back`
//! goes to the last step below and never waits. When the flag last moved is read from the
//! history: its newest flag-stage commit there, or the rollback (guard's or a person's) of
//! one.

use super::stage::Stage;
use crate::repo::history::CommitInfo;
use crate::trailers::{Action, Key};
use serde::Serialize;

/// Which way a step goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Next,
    Back,
}

/// The stage a rollout percentage is written as.
pub fn stage_for(percent: f64) -> Stage {
    if percent <= 0.0 {
        Stage::Disabled
    } else if percent >= 100.0 {
        Stage::Full
    } else if percent < 25.0 {
        Stage::Canary
    } else if percent < 50.0 {
        Stage::Beta
    } else {
        Stage::Staged
    }
}

/// The percentage one step from `current`: `Next` is the first step above it, `Back` the last
/// step below it (0, disabled, before the first). `None` at either end.
pub fn step(steps: &[f64], current: f64, direction: Direction) -> Option<f64> {
    const EPSILON: f64 = 1e-9;
    match direction {
        Direction::Next => steps.iter().copied().find(|p| *p > current + EPSILON),
        Direction::Back if current <= EPSILON => None,
        Direction::Back => Some(
            steps
                .iter()
                .copied()
                .rev()
                .find(|p| *p < current - EPSILON)
                .unwrap_or(0.0),
        ),
    }
}

/// The 1-based step `percent` is on, if it is one of `steps`.
pub fn position(steps: &[f64], percent: f64) -> Option<usize> {
    steps
        .iter()
        .position(|p| (p - percent).abs() < 1e-9)
        .map(|i| i + 1)
}

/// The commit that last moved a flag in an environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    pub sha: String,
    pub kind: String,
    pub date: String,
    #[serde(skip)]
    pub time: i64,
}

/// The newest commit (history newest first) that staged `flag` in `env`, or rolled back such
/// a stage.
pub fn last_move(flag: &str, env: &str, history: &[CommitInfo]) -> Option<Move> {
    let action = |c: &CommitInfo| c.trailer(Key::Action.as_str()).and_then(Action::parse);
    let stages: Vec<&str> = history
        .iter()
        .filter(|c| {
            action(c) == Some(Action::FlagsStage)
                && c.trailer(Key::To.as_str())
                    .or_else(|| c.trailer(Key::Env.as_str()))
                    == Some(env)
                && c.trailer(Key::Flag.as_str()) == Some(flag)
        })
        .map(|c| c.sha.as_str())
        .collect();
    history
        .iter()
        .find(|c| {
            stages.contains(&c.sha.as_str())
                || c.trailer(Key::RollbackOf.as_str())
                    .is_some_and(|of| stages.contains(&of))
        })
        .map(|c| Move {
            sha: c.sha.clone(),
            kind: action(c).map_or("edit", Action::as_str).to_string(),
            date: crate::clock::format_rfc3339(c.time),
            time: c.time,
        })
}

/// Guard's last verdict for an environment, as the schedule needs it (read by the caller
/// from guard's notes, so flags does not depend on guard).
#[derive(Debug, Clone, PartialEq)]
pub struct GuardVerdict {
    /// `healthy`, `insufficient_data`, `violating` or `unhealthy`.
    pub verdict: String,
    /// The verdict holds the next step back.
    pub bad: bool,
    pub time: i64,
    /// The change it judged, and its kind.
    pub change: String,
    pub kind: String,
    pub violations: Vec<String>,
}

/// Why `--next` must wait: the step interval since the last move, and guard's last verdict
/// for the environment (on its newest forward change).
pub fn blockers(
    flag: &str,
    env: &str,
    interval: Option<i64>,
    last: Option<&Move>,
    verdict: Option<&GuardVerdict>,
    now: i64,
) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(interval), Some(last)) = (interval, last) {
        let waited = now - last.time;
        if waited < interval {
            out.push(format!(
                "`{flag}` last moved in {env} {} ago ({} {}); min_step_interval is {}: the next step is allowed from {}",
                crate::clock::format_duration(waited),
                &last.sha[..7],
                last.kind,
                crate::clock::format_duration(interval),
                crate::clock::format_rfc3339(last.time + interval)
            ));
        }
    }
    if let Some(v) = verdict.filter(|v| v.bad) {
        let why = if v.violations.is_empty() {
            String::new()
        } else {
            format!(": {}", v.violations.join(", "))
        };
        out.push(format!(
            "guard's last verdict for {env} is {} ({}, on {} {}){why}",
            v.verdict,
            crate::clock::format_rfc3339(v.time),
            &v.change[..v.change.len().min(7)],
            v.kind
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: [f64; 5] = [10.0, 25.0, 50.0, 75.0, 100.0];

    #[test]
    fn steps_go_up_and_down_the_schedule() {
        assert_eq!(step(&STEPS, 0.0, Direction::Next), Some(10.0));
        assert_eq!(step(&STEPS, 5.0, Direction::Next), Some(10.0));
        assert_eq!(step(&STEPS, 25.0, Direction::Next), Some(50.0));
        assert_eq!(step(&STEPS, 100.0, Direction::Next), None);
        assert_eq!(step(&STEPS, 25.0, Direction::Back), Some(10.0));
        assert_eq!(step(&STEPS, 30.0, Direction::Back), Some(25.0));
        assert_eq!(step(&STEPS, 10.0, Direction::Back), Some(0.0));
        assert_eq!(step(&STEPS, 0.0, Direction::Back), None);
        assert_eq!(position(&STEPS, 50.0), Some(3));
        assert_eq!(position(&STEPS, 5.0), None);
        let stages: Vec<Stage> = [0.0, 10.0, 25.0, 50.0, 75.0, 100.0]
            .into_iter()
            .map(stage_for)
            .collect();
        use Stage::*;
        assert_eq!(stages, [Disabled, Canary, Beta, Staged, Staged, Full]);
    }

    fn entry(sha: &str, time: i64, trailers: &[(&str, &str)]) -> CommitInfo {
        CommitInfo {
            sha: sha.repeat(40 / sha.len()),
            time,
            offset_minutes: 0,
            author: "A".into(),
            email: "a@example.com".into(),
            subject: "s".into(),
            trailers: trailers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            changed: Vec::new(),
            tree: None,
            parent_tree: None,
            parent: None,
        }
    }

    #[test]
    fn the_interval_and_a_bad_verdict_block_the_next_step() {
        let stage = [
            ("Cfgctl-Action", "flags-stage"),
            ("Cfgctl-To", "prod"),
            ("Cfgctl-Flag", "f"),
        ];
        let history = vec![
            entry(
                "c",
                3_000,
                &[("Cfgctl-Action", "promote"), ("Cfgctl-To", "prod")],
            ),
            entry("b", 2_000, &stage),
            entry("a", 1_000, &stage),
        ];
        let last = last_move("f", "prod", &history).unwrap();
        assert!(last.sha.starts_with('b'));
        assert_eq!(last_move("g", "prod", &history), None);
        assert_eq!(last_move("f", "dev", &history), None);
        // A rollback of a stage moves the flag too.
        let mut undone = history.clone();
        let b = "b".repeat(40);
        undone.insert(
            0,
            entry(
                "d",
                4_000,
                &[("Cfgctl-Action", "guard"), ("Cfgctl-Rollback-Of", &b)],
            ),
        );
        assert!(
            last_move("f", "prod", &undone)
                .unwrap()
                .sha
                .starts_with('d')
        );

        let waiting = blockers("f", "prod", Some(1_800), Some(&last), None, 2_600);
        assert_eq!(waiting.len(), 1);
        assert!(
            waiting[0].contains("10m ago") && waiting[0].contains("min_step_interval is 30m"),
            "{waiting:?}"
        );
        assert!(blockers("f", "prod", Some(1_800), Some(&last), None, 3_800).is_empty());
        let record = |verdict: &str, bad: bool| GuardVerdict {
            verdict: verdict.into(),
            bad,
            time: 3_500,
            change: "c".repeat(40),
            kind: "promote".into(),
            violations: vec!["error_rate 0.2 > max 0.05".into()],
        };
        let bad = record("violating", true);
        let found = blockers("f", "prod", None, Some(&last), Some(&bad), 9_000);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("violating") && found[0].contains("error_rate 0.2"),
            "{found:?}"
        );
        let fine = record("insufficient_data", false);
        assert!(blockers("f", "prod", None, Some(&last), Some(&fine), 9_000).is_empty());
    }
}
