//! `cfgctl rollback REV…` and `cfgctl rollback --env ENV --to REV | --last-promotion`

use super::{Context, WriteArgs};
use crate::change::{self, Action, Key, Message, Planned, Proposal};
use crate::config::{self, Presence};
use crate::error::{CliError, ExitStatus};
use crate::history;
use crate::output::Format;
use crate::repo::rollback::{self as plan, Plan};
use crate::repo::{self, WorkTree};
use anyhow::{Result, anyhow};
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Commits to revert, each as a new commit (like `git revert`), in the order given
    #[arg(value_name = "REV", conflicts_with = "env")]
    pub revs: Vec<String>,

    /// The environment to restore (with --to) or whose last promotion to revert
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// Restore the environment's own files (its directory, flag file and overrides) as at REV
    #[arg(
        long,
        value_name = "REV",
        requires = "env",
        conflicts_with = "last_promotion"
    )]
    pub to: Option<String>,

    /// Revert the last promotion into the environment
    #[arg(long, requires = "env")]
    pub last_promotion: bool,

    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "rollback")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = config::read(&WorkTree::new(&root), Presence::Required)?;
    let writer = change::begin(&root, args.write.execute, "rollback")?;
    let head = writer.base().to_string();

    // What to undo: explicit commits, an environment's state at a revision, or its last promotion.
    let (plan, env) = match (&args.env, &args.to, args.last_promotion) {
        (None, _, _) if args.revs.is_empty() => {
            return Err(CliError::new(anyhow!("nothing to roll back"))
                .with_hint("name commits (cfgctl rollback REV…), or --env ENV with --to REV or --last-promotion")
                .into());
        }
        (None, _, _) => (plan::plan_revert(&root, &args.revs)?, None),
        (Some(env), to, last) => {
            if !config.repo.environments.contains(env) {
                return Err(CliError::new(anyhow!("unknown environment `{env}`"))
                    .with_hint(format!(
                        "environments: {}",
                        config.repo.environments.join(", ")
                    ))
                    .into());
            }
            match (to, last) {
                (Some(rev), _) => {
                    let model = crate::environment::Environments::of(&config);
                    let environment = model.get(env)?;
                    let step = plan::plan_restore(&root, &|p| environment.owns(p), rev)?;
                    (Plan::Steps(step.into_iter().collect()), Some(env.clone()))
                }
                (None, true) => {
                    let promotion = last_promotion(&root, &config, env)?.ok_or_else(|| {
                        CliError::new(anyhow!("no promotion into `{env}` in the history"))
                    })?;
                    (plan::plan_revert(&root, &[promotion])?, Some(env.clone()))
                }
                (None, false) => {
                    return Err(
                        CliError::new(anyhow!("--env needs --to REV or --last-promotion")).into(),
                    );
                }
            }
        }
    };

    let steps = match plan {
        Plan::Conflict { sha, paths } => {
            report_conflict(ctx, &sha, &paths)?;
            return Ok(ExitStatus::Findings);
        }
        Plan::Steps(steps) => steps,
    };
    let commits: Vec<Planned> = steps
        .iter()
        .map(|step| {
            let short = &step.undoes[..step.undoes.len().min(7)];
            let message = if args.to.is_some() {
                Message::new(format!(
                    "rollback: restore {} to {short}",
                    env.as_deref().unwrap_or_default()
                ))
                .with(Key::RollbackOf, &head)
                .with(Key::RestoredFrom, &step.undoes)
            } else {
                Message::new(format!("rollback: revert {short} \"{}\"", step.subject))
                    .with(Key::RollbackOf, &step.undoes)
            };
            Planned {
                tree: step.tree,
                changed: step.changed.clone(),
                message,
            }
        })
        .collect();
    // Reverting a rollback (or a guard or pack rollback) puts a forward change back: the
    // policy holds it like one.
    let reapplies = steps.iter().any(|step| {
        step.trailers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(Key::Action.as_str()))
            .and_then(|(_, v)| Action::parse(v))
            .is_some_and(Action::is_restore)
    });
    let proposal = Proposal {
        action: Action::Rollback,
        env,
        commits,
        tag: None,
        branch: None,
    };
    let options = change::Options {
        reapplies,
        ..args.write.options()
    };
    let outcome = change::finish(writer, &config, proposal, &options, Vec::new())?;
    print_plan(ctx, &steps, &outcome)?;
    let n = outcome.commits.len();
    Ok(super::finish_change(
        ctx,
        &outcome,
        "Nothing to roll back: the result equals the current state.",
        &format!(
            "Committed {n} rollback commit{}.",
            if n == 1 { "" } else { "s" }
        ),
    ))
}

/// The newest commit that promoted into `env`.
pub(crate) fn last_promotion(
    root: &std::path::Path,
    config: &config::Config,
    env: &str,
) -> Result<Option<String>> {
    let mut found = None;
    repo::history::walk(root, &mut |commit| {
        let entry = history::entry(commit, &config.repo.environments);
        if entry.action() == Some(Action::Promote) && entry.target_env() == Some(env) {
            found = Some(entry.sha);
            return false;
        }
        true
    })?;
    Ok(found)
}

fn report_conflict(ctx: &Context, sha: &str, paths: &[String]) -> Result<()> {
    if ctx.output.format == Format::Json {
        let doc = json!({"version": 1, "command": "rollback", "executed": false,
            "conflict": {"commit": sha, "paths": paths}, "steps": [], "blockers": []});
        ctx.output
            .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else {
        ctx.output.problem(&format!(
            "blocked: reverting {} conflicts with later changes in: {}",
            &sha[..7],
            paths.join(", ")
        ));
        ctx.output.problem("Nothing was changed.");
    }
    Ok(())
}

fn print_plan(ctx: &Context, steps: &[plan::Step], outcome: &change::Outcome) -> Result<()> {
    if ctx.output.format == Format::Json {
        let entries: Vec<serde_json::Value> = steps
            .iter()
            .zip(&outcome.messages)
            .enumerate()
            .map(|(i, (step, message))| {
                json!({"undoes": step.undoes, "subject": step.subject, "files": step.changed,
                       "message": message, "commit": outcome.commits.get(i)})
            })
            .collect();
        let doc = json!({"version": 1, "command": "rollback", "conflict": null, "steps": entries});
        return super::print_change_json(ctx, doc, outcome);
    }
    let mut text = String::new();
    for (i, (step, message)) in steps.iter().zip(&outcome.messages).enumerate() {
        let title = message.lines().next().unwrap_or_default();
        match outcome.commits.get(i) {
            Some(sha) => text.push_str(&format!("{} {title}\n", &sha[..7])),
            None => text.push_str(&format!("would commit: {title}\n")),
        }
        for path in &step.changed {
            text.push_str(&format!("  {path}\n"));
        }
    }
    ctx.output.plan(&text)?;
    Ok(())
}
