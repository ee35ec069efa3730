//! `cfgctl guard ENV --metrics FILE…`: judge health readings of the newest change into ENV
//! against `[guard.ENV]` and roll that change back (a promotion, a flag stage, a pack
//! activation or a `set`) when enough of them in a row cross a threshold. The judging and the
//! state kept between runs live in [`crate::guard`].
//!
//! `--format json` (version 1): `{"version": 1, "command": "guard", "environment", "verdict":
//! "healthy" | "insufficient_data" | "violating" | "unhealthy", "healthy" (verdict is
//! healthy), "summary", "streak", "violations_required", "violations": [{"metric", "value",
//! "kind", "limit"}] (of the newest judged reading), "change": {"sha", "kind", "subject",
//! "rolled_back_by"} | null, "readings": [{"time", "source", "metrics", "counted": "ok" |
//! "violating" | "below_floor" | "before_change" | "after_window", "violations"}], "recorded"
//! (the state was written to the notes ref), "notes_ref", "action": "none" |
//! "would_roll_back" | "rolled_back" | "refused", "reason", "commit"}` plus the fields every
//! write has.

use super::{Context, WriteArgs};
use crate::change::{self, Action, Key, Message, Planned, Proposal};
use crate::config::{self, Presence};
use crate::error::{CliError, ExitStatus};
use crate::guard::state::{self, NOTES_REF, Record};
use crate::guard::{self, Judgement, Subject, Target, Verdict, readings};
use crate::history;
use crate::output::Format;
use crate::repo::rollback::{self as plan, Plan};
use crate::repo::{self, WorkTree, WriteLock};
use anyhow::{Result, anyhow};
use serde_json::json;
use std::io::Read as _;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment to guard
    pub env: String,

    /// Health readings: a JSON or YAML object of numbers (one reading), an array of them, or
    /// JSON Lines (.jsonl, or - for stdin), e.g. {"time": "2026-06-01T10:00:00Z",
    /// "error_rate": 0.02, "requests": 1200}; repeatable
    #[arg(long, value_name = "FILE", required = true)]
    pub metrics: Vec<String>,

    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "guard")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = config::read(&WorkTree::new(&root), Presence::Required)?;
    if !config.repo.environments.contains(&args.env) {
        return Err(CliError::new(anyhow!("unknown environment `{}`", args.env))
            .with_hint(format!(
                "environments: {}",
                config.repo.environments.join(", ")
            ))
            .into());
    }
    let settings = config.guard(&args.env).ok_or_else(|| {
        CliError::new(anyhow!("no [guard.{}] thresholds in cfgctl.toml", args.env))
            .with_hint("add for example: [guard.production] max_error_rate = 0.05")
    })?;
    let now = crate::clock::now()?;
    let new_readings = read_all(&args.metrics, &ctx.cwd, now)?;

    // With --execute the write lock is held from here, so two guards do not lose each
    // other's readings.
    let writer = change::begin(&root, args.write.execute, &format!("guard {}", args.env))?;
    let mut entries = Vec::new();
    repo::history::walk(&root, &mut |commit| {
        entries.push(history::entry(commit, &config.repo.environments));
        true
    })?;
    let subject = guard::subject(&args.env, &entries);
    let mut kept = match &subject {
        Some(s) => Some(state::load(&root, &args.env, &s.sha)?),
        None => None,
    };
    let stored = kept.as_ref().map_or(&[][..], |s| &s.readings[..]);
    let all = readings::merge(stored, new_readings, state::MAX_READINGS);
    let judgement = guard::judge(settings, &all, subject.as_ref().map(|s| s.time))?;

    let mut decision = if judgement.verdict == Verdict::Unhealthy {
        roll_back(
            args, ctx, &config, settings, &entries, writer, &judgement, now,
        )?
    } else {
        let reason = match judgement.verdict {
            Verdict::InsufficientData => "not enough data: nothing is rolled back".to_string(),
            Verdict::Violating => format!(
                "waiting for {} bad readings in a row before rolling back",
                judgement.required
            ),
            _ => "all thresholds hold".to_string(),
        };
        Decision {
            action: "none",
            reason,
            outcome: None,
            writer: Some(writer),
        }
    };

    // Record what was seen, on the change's commit (not on the branch).
    let mut recorded = false;
    if args.write.execute
        && let (Some(state), Some(subject)) = (kept.as_mut(), &subject)
    {
        let _lock = match &decision.writer {
            Some(_) => None,
            // The rollback's transaction released the lock: take it again for the note.
            None => Some(WriteLock::acquire(&root, &format!("guard {}", args.env))?),
        };
        state.readings = all.clone();
        state.record(Record {
            time: now,
            verdict: judgement.verdict,
            streak: judgement.streak,
            required: judgement.required,
            violations: judgement.violations.iter().map(|v| v.describe()).collect(),
            action: decision.action.to_string(),
            reason: decision.reason.clone(),
            commit: decision
                .outcome
                .as_ref()
                .and_then(|o| o.commits.first().cloned()),
        });
        state::save(&root, state)?;
        recorded = true;
        if ctx.output.format == Format::Human {
            ctx.output.status(&format!(
                "Recorded in {NOTES_REF} on {}.",
                &subject.sha[..7]
            ));
        }
    }
    drop(decision.writer.take());
    print(ctx, args, &judgement, subject.as_ref(), &decision, recorded)?;
    if let Some(outcome) = &decision.outcome {
        if let Some(recovered) = &outcome.recovered {
            ctx.output.warn(recovered);
        }
        for exception in &outcome.exceptions {
            ctx.output.status(&format!("policy: {exception}"));
        }
    }
    Ok(if judgement.verdict == Verdict::Unhealthy {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Reads every `--metrics` argument in order; standard input at most once.
fn read_all(args: &[String], cwd: &Path, now: i64) -> Result<Vec<readings::Reading>> {
    if args.iter().filter(|a| *a == "-").count() > 1 {
        return Err(CliError::new(anyhow!("`--metrics -` can be given once")).into());
    }
    let mut stdin = None;
    if args.iter().any(|a| a == "-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| anyhow!("reading metrics from standard input: {e}"))?;
        stdin = Some(text);
    }
    let mut out = Vec::new();
    for arg in args {
        out.extend(readings::read(arg, cwd, stdin.as_deref(), now)?);
    }
    Ok(out)
}

/// What guard did about the verdict.
struct Decision {
    action: &'static str,
    reason: String,
    outcome: Option<change::Outcome>,
    /// The writer (and its lock), while it was not handed to a transaction.
    writer: Option<change::Writer>,
}

/// Rolls back the newest change into the environment, unless the cooldown, the daily limit or
/// the change itself say no.
#[allow(clippy::too_many_arguments)]
fn roll_back(
    args: &Args,
    _ctx: &Context,
    config: &config::Config,
    settings: &config::GuardSettings,
    entries: &[history::Entry],
    writer: change::Writer,
    judgement: &Judgement,
    now: i64,
) -> Result<Decision> {
    let refused = |reason: String, writer| Decision {
        action: "refused",
        reason,
        outcome: None,
        writer: Some(writer),
    };
    let (sha, kind, subject) = match guard::target(&args.env, settings, entries, now) {
        Target::Revert { sha, kind, subject } => (sha, kind, subject),
        Target::Refused(reason) => return Ok(refused(reason, writer)),
    };
    let step = match plan::plan_revert(writer.root(), std::slice::from_ref(&sha))? {
        Plan::Steps(mut steps) if !steps.is_empty() => steps.remove(0),
        Plan::Steps(_) => {
            return Ok(refused(
                format!("reverting {} changes nothing", &sha[..7]),
                writer,
            ));
        }
        Plan::Conflict { paths, .. } => {
            return Ok(refused(
                format!("reverting {} conflicts in: {}", &sha[..7], paths.join(", ")),
                writer,
            ));
        }
    };
    let mut message = Message::new(format!("guard: roll back {} in {}", &sha[..7], args.env))
        .body(format!(
            "Reverts {kind} {}: \"{subject}\".\n\n{}: {}. Readings and verdicts: git notes --ref {} show {}",
            &sha[..7],
            judgement.verdict.as_str(),
            judgement.summary(),
            NOTES_REF.trim_start_matches("refs/notes/"),
            &sha[..7]
        ))
        .with(Key::RollbackOf, &sha);
    for v in &judgement.violations {
        message.push(Key::GuardViolation, v.describe());
    }
    let proposal = Proposal {
        action: Action::Guard,
        env: Some(args.env.clone()),
        commits: vec![Planned {
            tree: step.tree,
            changed: step.changed,
            message,
        }],
        tag: None,
        branch: None,
    };
    let outcome = change::finish(writer, config, proposal, &args.write.options(), Vec::new())?;
    let subject = subject
        .strip_prefix(&format!("{kind}: "))
        .unwrap_or(&subject);
    let what = format!("{} ({kind}: {subject})", &sha[..7]);
    let (action, reason) = if !outcome.blockers.is_empty() {
        ("refused", outcome.blockers.join("; "))
    } else if outcome.executed {
        ("rolled_back", format!("rolled back {what}"))
    } else {
        (
            "would_roll_back",
            format!(
                "would roll back {what}, the newest change into {} (pass --execute)",
                args.env
            ),
        )
    };
    Ok(Decision {
        action,
        reason,
        outcome: Some(outcome),
        writer: None,
    })
}

fn print(
    ctx: &Context,
    args: &Args,
    judgement: &Judgement,
    subject: Option<&Subject>,
    decision: &Decision,
    recorded: bool,
) -> Result<()> {
    if ctx.output.format == Format::Json {
        let doc = json!({
            "version": 1, "command": "guard", "environment": args.env,
            "verdict": judgement.verdict,
            "healthy": judgement.verdict == Verdict::Healthy,
            "summary": judgement.summary(),
            "streak": judgement.streak,
            "violations_required": judgement.required,
            "violations": judgement.violations,
            "change": subject,
            "readings": judgement.readings,
            "recorded": recorded,
            "notes_ref": NOTES_REF,
            "action": decision.action, "reason": decision.reason,
            "commit": decision.outcome.as_ref().and_then(|o| o.commits.first()),
        });
        let empty = change::Outcome::default();
        return super::print_change_json(ctx, doc, decision.outcome.as_ref().unwrap_or(&empty));
    }
    let verdict = judgement.verdict;
    if !verdict.is_bad() {
        let head = match verdict {
            Verdict::Healthy => format!("{} is healthy", args.env),
            _ => format!("{}: not enough data", args.env),
        };
        ctx.output.plan(&format!(
            "{head}: {}; {}.\n",
            judgement.summary(),
            decision.reason
        ))?;
        return Ok(());
    }
    // Violations and the verdict are findings: printed even under -q.
    let mut text = String::new();
    for v in &judgement.violations {
        text.push_str(&format!("violation: {}\n", v.describe()));
    }
    text.push_str(&format!(
        "verdict: {}: {}\n",
        verdict.as_str(),
        judgement.summary()
    ));
    text.push_str(&sentence(decision.action, &decision.reason));
    text.push('\n');
    ctx.output.result(&text)?;
    Ok(())
}

/// A decision as a sentence: its reason already says what was (or would be) done, so the
/// action's name is not put in front of it, except for a refusal, whose reason is the cause.
fn sentence(action: &str, reason: &str) -> String {
    let text = match action {
        "refused" => format!("refused: {reason}"),
        _ => reason.to_string(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}
