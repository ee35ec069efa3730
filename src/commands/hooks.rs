//! `cfgctl hooks install|uninstall`

use super::Context;
use crate::error::ExitStatus;
use crate::hooks::{self, Action, InstallOptions, Kind, Plan};
use crate::output::Format;
use crate::repo;
use anyhow::Result;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Hooks go where Git looks for them: core.hooksPath when it is set, else the hooks directory of \
the repository (shared by its linked worktrees). A hook that cfgctl did not write is never \
overwritten without --force nor removed; teams that use the pre-commit framework add cfgctl \
to .pre-commit-config.yaml instead.")]
pub struct Args {
    #[command(subcommand)]
    pub command: HooksCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum HooksCommand {
    /// Write Git hooks that run cfgctl (default: the pre-commit hook)
    Install(InstallArgs),
    /// Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)
    Uninstall(UninstallArgs),
}

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// Install the pre-commit hook: `cfgctl validate --staged` on what is being committed
    #[arg(long)]
    pub pre_commit: bool,

    /// Install the pre-push hook: `cfgctl validate --at` each commit being pushed
    #[arg(long)]
    pub pre_push: bool,

    /// Overwrite a hook that cfgctl did not write (it is lost)
    #[arg(long, conflicts_with = "chain")]
    pub force: bool,

    /// Keep a hook that cfgctl did not write, as <hook>.before-cfgctl, and run it first
    #[arg(long)]
    pub chain: bool,
}

#[derive(Debug, clap::Args)]
pub struct UninstallArgs {
    /// Remove the pre-commit hook
    #[arg(long)]
    pub pre_commit: bool,

    /// Remove the pre-push hook
    #[arg(long)]
    pub pre_push: bool,

    /// Remove a hook cfgctl wrote even if it was changed since
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "hooks")?;
    let root = repo::find_root(&ctx.cwd)?;
    let site = repo::hook_site(&root)?;
    let (command, plan) = match &args.command {
        HooksCommand::Install(a) => {
            let kinds = kinds(a.pre_commit, a.pre_push, &[Kind::PreCommit]);
            let options = InstallOptions {
                force: a.force,
                chain: a.chain,
            };
            (
                "hooks install",
                hooks::plan_install(&site, &kinds, options)?,
            )
        }
        HooksCommand::Uninstall(a) => {
            let kinds = kinds(a.pre_commit, a.pre_push, &Kind::ALL);
            (
                "hooks uninstall",
                hooks::plan_uninstall(&site, &kinds, a.force)?,
            )
        }
    };
    if plan.blockers.is_empty() {
        hooks::apply(&plan)?;
    }
    report(command, &site, &plan, ctx)?;
    if plan.blockers.is_empty() {
        Ok(ExitStatus::Success)
    } else {
        Ok(ExitStatus::Findings)
    }
}

fn kinds(pre_commit: bool, pre_push: bool, default: &[Kind]) -> Vec<Kind> {
    let chosen: Vec<Kind> = [(pre_commit, Kind::PreCommit), (pre_push, Kind::PrePush)]
        .into_iter()
        .filter_map(|(on, kind)| on.then_some(kind))
        .collect();
    if chosen.is_empty() {
        default.to_vec()
    } else {
        chosen
    }
}

fn report(command: &str, site: &repo::HookSite, plan: &Plan, ctx: &Context) -> Result<()> {
    let out = &ctx.output;
    let changed = plan.blockers.is_empty();
    if out.format == Format::Json {
        let steps: Vec<serde_json::Value> = plan
            .steps
            .iter()
            .map(|s| {
                serde_json::json!({
                    "hook": s.kind.name(),
                    "path": hooks::shown_path(site, &s.path),
                    "action": s.action.as_str(),
                })
            })
            .collect();
        let doc = serde_json::json!({
            "version": 1,
            "command": command,
            "hooks_dir": hooks::shown_path(site, &site.dir),
            "core_hooks_path": site.hooks_path,
            "executed": changed,
            "hooks": steps,
            "blockers": plan.blockers,
        });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(());
    }
    if let Some(configured) = &site.hooks_path {
        out.status(&format!(
            "core.hooksPath is set ({configured}): Git runs the hooks in {}.",
            hooks::shown_path(site, &site.dir)
        ));
    }
    if !changed {
        for blocker in &plan.blockers {
            out.problem(&format!("blocked: {blocker}"));
        }
        out.problem("Nothing was changed.");
        return Ok(());
    }
    for step in &plan.steps {
        let name = step.kind.name();
        let path = hooks::shown_path(site, &step.path);
        let chained = hooks::shown_path(site, &hooks::chained_path(&step.path));
        let line = match step.action {
            Action::Install => format!("Installed {path}: runs {}.", step.kind.runs()),
            Action::Replace => format!(
                "Replaced {path} (the hook that was there is gone): runs {}.",
                step.kind.runs()
            ),
            Action::Chain => format!(
                "Installed {path}: runs {chained} (the hook that was there), then {}.",
                step.kind.runs()
            ),
            Action::Unchanged => format!("{path} is installed already."),
            Action::Remove => format!("Removed {path}."),
            Action::Restore => format!("Removed {path} and put back the hook it ran first."),
            Action::Absent => format!("No {name} hook to remove."),
            Action::LeaveOther => format!("{path} was not written by cfgctl: left as it is."),
        };
        out.status(&line);
    }
    Ok(())
}
