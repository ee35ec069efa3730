//! `cfgctl guard ENV --metrics FILE`: compare a health snapshot with `[guard.ENV]` and roll
//! back the newest change into ENV (a promotion, a flag stage or a pack activation) when a
//! threshold is crossed. The decisions live in [`crate::guard`].

use super::{Context, WriteArgs};
use crate::change::{self, Action, Key, Message, Planned, Proposal};
use crate::config::{self, Presence};
use crate::error::{CliError, ExitStatus};
use crate::guard::{self, Target, Violation};
use crate::history;
use crate::output::Format;
use crate::repo::rollback::{self as plan, Plan};
use crate::repo::{self, WorkTree};
use anyhow::{Result, anyhow};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment to guard
    pub env: String,

    /// The metrics snapshot: a JSON (or YAML) object of numbers, e.g. {"error_rate": 0.02,
    /// "p95_latency_ms": 420, "success_rate": 0.99}
    #[arg(long, value_name = "FILE")]
    pub metrics: PathBuf,

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
    let metrics = guard::read_metrics(&ctx.cwd.join(&args.metrics))?;
    let violations = guard::compare(settings, &metrics)?;
    if violations.is_empty() {
        print(ctx, args, &violations, "none", "all thresholds hold", None)?;
        return Ok(ExitStatus::Success);
    }

    // A violation: roll back the newest change into the environment.
    let writer = change::begin(&root, args.write.execute, &format!("guard {}", args.env))?;
    let mut history = Vec::new();
    repo::history::walk(&root, &mut |commit| {
        history.push(history::entry(commit, &config.repo.environments));
        true
    })?;
    let (sha, kind, subject) =
        match guard::target(&args.env, settings, &history, crate::clock::now()?) {
            Target::Revert { sha, kind, subject } => (sha, kind, subject),
            Target::Refused(reason) => {
                print(ctx, args, &violations, "refused", &reason, None)?;
                return Ok(ExitStatus::Findings);
            }
        };
    let step = match plan::plan_revert(&root, std::slice::from_ref(&sha))? {
        Plan::Steps(mut steps) if !steps.is_empty() => steps.remove(0),
        Plan::Steps(_) => {
            let reason = format!("reverting {} changes nothing", &sha[..7]);
            print(ctx, args, &violations, "refused", &reason, None)?;
            return Ok(ExitStatus::Findings);
        }
        Plan::Conflict { paths, .. } => {
            let reason = format!("reverting {} conflicts in: {}", &sha[..7], paths.join(", "));
            print(ctx, args, &violations, "refused", &reason, None)?;
            return Ok(ExitStatus::Findings);
        }
    };
    let mut message = Message::new(format!("guard: roll back {} in {}", &sha[..7], args.env))
        .body(format!("Reverts {kind} {}: \"{subject}\".", &sha[..7]))
        .with(Key::RollbackOf, &sha);
    for v in &violations {
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
    let outcome = change::finish(writer, &config, proposal, &args.write.options(), Vec::new())?;
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
    print(ctx, args, &violations, action, &reason, Some(&outcome))?;
    if let Some(recovered) = &outcome.recovered {
        ctx.output.warn(recovered);
    }
    for exception in &outcome.exceptions {
        ctx.output.status(&format!("policy: {exception}"));
    }
    Ok(ExitStatus::Findings)
}

fn print(
    ctx: &Context,
    args: &Args,
    violations: &[Violation],
    action: &str,
    reason: &str,
    outcome: Option<&change::Outcome>,
) -> Result<()> {
    if ctx.output.format == Format::Json {
        let doc = json!({
            "version": 1, "command": "guard", "environment": args.env,
            "healthy": violations.is_empty(), "violations": violations,
            "action": action, "reason": reason,
            "commit": outcome.and_then(|o| o.commits.first()),
        });
        return match outcome {
            Some(outcome) => super::print_change_json(ctx, doc, outcome),
            None => super::print_change_json(ctx, doc, &change::Outcome::default()),
        };
    }
    if violations.is_empty() {
        ctx.output
            .plan(&format!("{} is healthy: {reason}.\n", args.env))?;
        return Ok(());
    }
    // Violations and the verdict are findings: printed even under -q.
    let mut text = String::new();
    for v in violations {
        text.push_str(&format!("violation: {}\n", v.describe()));
    }
    text.push_str(&format!("{action}: {reason}\n"));
    ctx.output.result(&text)?;
    Ok(())
}
