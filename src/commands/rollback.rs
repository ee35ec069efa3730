//! `cfgctl rollback REV…` and `cfgctl rollback --env ENV --to REV | --last-promotion`

use super::Context;
use crate::config::{self, Presence};
use crate::error::{CliError, ExitStatus};
use crate::finding::Severity;
use crate::history;
use crate::output::Format;
use crate::repo::rollback::{self as plan, Plan, Step};
use crate::repo::{self, GitSource, WorkTree};
use crate::validate::{self, Checker, Selection};
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

    /// Make the commits (without it, only the plan is shown)
    #[arg(long)]
    pub execute: bool,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "rollback")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = config::read(&WorkTree::new(&root), Presence::Required)?;
    let head = repo::open_git(&root)?
        .head()?
        .peel_to_commit()?
        .id()
        .to_string();

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
        Plan::Steps(steps) if steps.is_empty() => {
            print_plan(ctx, &[], None, false)?;
            return Ok(ExitStatus::Success);
        }
        Plan::Steps(steps) => steps,
    };

    let blockers = blockers(&root, &config, &steps)?;
    let messages: Vec<(Step, String)> = steps
        .iter()
        .map(|step| {
            (
                step.clone(),
                message(step, env.as_deref(), args.to.is_some(), &head),
            )
        })
        .collect();
    if !args.execute || !blockers.is_empty() {
        print_plan(ctx, &messages, None, false)?;
        for blocker in &blockers {
            ctx.output.status(&format!("blocked: {blocker}"));
        }
        if !blockers.is_empty() {
            ctx.output.status("Nothing was changed.");
            return Ok(ExitStatus::Findings);
        }
        ctx.output.status("Dry run: pass --execute to commit.");
        return Ok(ExitStatus::Success);
    }
    let shas = plan::commit_steps(&root, &messages)?;
    print_plan(ctx, &messages, Some(&shas), true)?;
    Ok(ExitStatus::Success)
}

/// Every reason not to write `steps`: uncommitted work in the paths they write, and a result
/// that does not validate.
pub(crate) fn blockers(
    root: &std::path::Path,
    config: &config::Config,
    steps: &[Step],
) -> Result<Vec<String>> {
    let mut touched: Vec<String> = steps.iter().flat_map(|s| s.changed.clone()).collect();
    touched.sort();
    touched.dedup();
    let mut blockers = Vec::new();
    for path in plan::dirty(root, &touched)? {
        blockers.push(format!("{path} has uncommitted changes"));
    }
    let Some(last) = steps.last() else {
        return Ok(blockers);
    };
    let source = GitSource::revision(root, &last.tree.to_string())?;
    let listing = crate::repo::Source::list(&source)?;
    let root_str = root
        .to_str()
        .ok_or_else(|| anyhow!("repository path is not valid UTF-8"))?;
    let checker = Checker::new(config, &source, root_str, &listing.paths)?;
    let (report, _) = validate::run(&checker, &source, listing, &Selection::All, &|| {})?;
    for f in report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
    {
        blockers.push(format!(
            "the result is invalid: {}:{}: {} [{}]",
            f.file, f.pos, f.message, f.rule
        ));
    }
    Ok(blockers)
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
        if entry.kind == "promote" && entry.trailer("Cfgctl-To") == Some(env) {
            found = Some(entry.sha);
            return false;
        }
        true
    })?;
    Ok(found)
}

/// The commit message, with the trailers `log` and `status` read back.
fn message(step: &Step, env: Option<&str>, restore: bool, head: &str) -> String {
    let short = &step.undoes[..step.undoes.len().min(7)];
    let mut text = if restore {
        format!(
            "rollback: restore environments/{} to {short}\n\nCfgctl-Action: rollback\nCfgctl-Rollback-Of: {head}\nCfgctl-Restored-From: {}\n",
            env.unwrap_or_default(),
            step.undoes
        )
    } else {
        format!(
            "rollback: revert {short} \"{}\"\n\nCfgctl-Action: rollback\nCfgctl-Rollback-Of: {}\n",
            step.subject, step.undoes
        )
    };
    if let Some(env) = env {
        text.push_str(&format!("Cfgctl-To: {env}\n"));
    }
    text
}

fn report_conflict(ctx: &Context, sha: &str, paths: &[String]) -> Result<()> {
    if ctx.output.format == Format::Json {
        let doc = json!({"version": 1, "command": "rollback", "executed": false,
            "conflict": {"commit": sha, "paths": paths}, "steps": []});
        ctx.output
            .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else {
        ctx.output.status(&format!(
            "error: reverting {} conflicts with later changes in: {}",
            &sha[..7],
            paths.join(", ")
        ));
        ctx.output.status("Nothing was changed.");
    }
    Ok(())
}

fn print_plan(
    ctx: &Context,
    steps: &[(Step, String)],
    shas: Option<&[String]>,
    executed: bool,
) -> Result<()> {
    if ctx.output.format == Format::Json {
        let entries: Vec<serde_json::Value> = steps
            .iter()
            .enumerate()
            .map(|(i, (step, message))| {
                json!({"undoes": step.undoes, "subject": step.subject, "files": step.changed,
                       "message": message, "commit": shas.and_then(|s| s.get(i))})
            })
            .collect();
        let doc = json!({"version": 1, "command": "rollback", "executed": executed, "conflict": null, "steps": entries});
        ctx.output
            .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(());
    }
    if steps.is_empty() {
        ctx.output
            .status("Nothing to roll back: the result equals the current state.");
        return Ok(());
    }
    let mut text = String::new();
    for (i, (step, message)) in steps.iter().enumerate() {
        let title = message.lines().next().unwrap_or_default();
        match shas.and_then(|s| s.get(i)) {
            Some(sha) => text.push_str(&format!("{} {title}\n", &sha[..7])),
            None => text.push_str(&format!("would commit: {title}\n")),
        }
        for path in &step.changed {
            text.push_str(&format!("  {path}\n"));
        }
    }
    ctx.output.result(&text)?;
    if executed {
        ctx.output.status(&format!(
            "Committed {} rollback commit{}.",
            steps.len(),
            if steps.len() == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}
