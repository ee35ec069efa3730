//! What guard has seen for a change, kept between runs: the readings fed so far and every
//! verdict, as JSON in a Git note on the change's commit under [`NOTES_REF`]. No commit on
//! the branch: the note ref has its own history, so `git fetch origin
//! refs/notes/cfgctl-guard:refs/notes/cfgctl-guard` brings it to another clone, where
//! `git notes --ref cfgctl-guard show COMMIT` (or `git log --notes=cfgctl-guard`) shows why a
//! rollback happened.
//!
//! The note is a contract (`"version": 1`):
//!
//! ```json
//! {"version": 1, "environment": "production", "change": "<sha>",
//!  "readings": [{"time": "2026-01-01T00:05:00Z", "source": "metrics.json", "metrics": {"error_rate": 0.2}}],
//!  "verdicts": [{"time", "verdict": "healthy" | "insufficient_data" | "violating" | "unhealthy",
//!                "streak", "required", "violations": ["error_rate 0.2 > max 0.05"],
//!                "action": "none" | "would_roll_back" | "rolled_back" | "refused", "reason",
//!                "commit": "<guard commit>" | null}]}
//! ```
//!
//! The newest [`MAX_READINGS`] readings and [`MAX_VERDICTS`] verdicts are kept.

use super::readings::rfc3339;
use super::{Reading, Subject, Verdict};
use crate::history::Entry;
use crate::repo::notes;
use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The notes ref guard keeps its state in.
pub const NOTES_REF: &str = "refs/notes/cfgctl-guard";
pub const MAX_READINGS: usize = 1_000;
pub const MAX_VERDICTS: usize = 200;

/// Guard's state for one change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub environment: String,
    pub change: String,
    pub readings: Vec<Reading>,
    pub verdicts: Vec<Record>,
}

/// One run's verdict, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    #[serde(with = "rfc3339")]
    pub time: i64,
    pub verdict: Verdict,
    pub streak: u32,
    pub required: u32,
    pub violations: Vec<String>,
    pub action: String,
    pub reason: String,
    pub commit: Option<String>,
}

impl State {
    pub fn new(env: &str, change: &str) -> State {
        State {
            version: 1,
            environment: env.to_string(),
            change: change.to_string(),
            readings: Vec::new(),
            verdicts: Vec::new(),
        }
    }

    /// Appends a verdict, keeping the newest [`MAX_VERDICTS`].
    pub fn record(&mut self, record: Record) {
        self.verdicts.push(record);
        if self.verdicts.len() > MAX_VERDICTS {
            self.verdicts.drain(..self.verdicts.len() - MAX_VERDICTS);
        }
    }
}

/// Reads the state of `change` in `env` (empty when guard has not seen it). A note guard did
/// not write, or for another environment, is an error rather than silently replaced.
pub fn load(root: &Path, env: &str, change: &str) -> Result<State> {
    let Some(text) = notes::read(root, NOTES_REF, change)? else {
        return Ok(State::new(env, change));
    };
    let state: State = serde_json::from_str(&text).with_context(|| {
        format!("the note on {change} in {NOTES_REF} is not guard state (`git notes --ref cfgctl-guard show {change}`)")
    })?;
    if state.environment != env {
        anyhow::bail!(
            "the note on {change} in {NOTES_REF} is for environment `{}`, not `{env}`",
            state.environment
        );
    }
    Ok(state)
}

/// Writes the state as the note on its change.
pub fn save(root: &Path, state: &State) -> Result<()> {
    let text = format!("{}\n", serde_json::to_string_pretty(state)?);
    notes::write(root, NOTES_REF, &state.change, &text)
}

/// Guard's last verdict in `env`: the newest one recorded on the environment's newest forward
/// change (history newest first), with that change. `None` when guard has not judged it.
pub fn last_verdict(
    root: &Path,
    env: &str,
    history: &[Entry],
) -> Result<Option<(Subject, Record)>> {
    let Some(subject) = super::subject(env, history) else {
        return Ok(None);
    };
    let state = load(root, env, &subject.sha)?;
    Ok(state.verdicts.last().cloned().map(|r| (subject, r)))
}
