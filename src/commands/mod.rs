//! The command line: global flags, one module per subcommand, and the dispatch between them.
//! Commands parse arguments, call domain modules, and hand reports to `output`.

pub mod blame;
pub mod completions;
pub mod diff;
pub mod env;
pub mod flags;
pub mod get;
pub mod guard;
pub mod hooks;
pub mod init;
pub mod log;
pub mod packs;
pub mod promote;
pub mod render;
pub mod rollback;
pub mod secrets;
pub mod set;
pub mod validate;

use crate::error::ExitStatus;
use crate::output::{ColorChoice, Format, Output};
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Exit status:
  0  ran, nothing to report
  1  ran, findings (invalid configuration, drift, a refused policy)
  2  could not run (bad flags, no repository, unreadable schema, I/O or Git error)

Documentation: cfgctl man, and README.md in the source repository.";

/// Keep application configuration in Git: validate, diff, render and promote it
#[derive(Debug, Parser)]
#[command(name = "cfgctl", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// Run as if started in DIR (the repository root is found from there)
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub chdir: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    pub format: Format,

    /// When to colour human output (NO_COLOR is honoured with auto)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print nothing but results, findings, blockers and errors (no status lines, notes,
    /// summaries or progress)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a configuration repository from the built-in template
    Init(init::Args),
    /// Check configuration files against their schemas and the built-in rules
    Validate(validate::Args),
    /// Print an environment's configuration with every layer merged
    Render(render::Args),
    /// Print one key of an environment's rendered configuration, and where it came from
    Get(get::Args),
    /// Set one key in a configuration file, keeping its comments and formatting
    Set(set::SetArgs),
    /// Remove one key from a configuration file, keeping its comments and formatting
    Unset(set::UnsetArgs),
    /// Compare configuration key by key: environments, revisions, or files
    Diff(diff::Args),
    /// Compare what the repository says an environment is with a deployed copy
    Drift(diff::DriftArgs),
    /// The environments: list them in promotion order with what belongs to each
    Env(env::Args),
    /// Copy configuration from one environment to the next, keeping pinned keys
    Promote(promote::Args),
    /// Show each environment's last change, last promotion and what is not promoted yet
    Status(log::StatusArgs),
    /// Show the history of configuration changes, read from commits and their trailers
    Log(log::LogArgs),
    /// Per key of a rendered document: the commit, author and date that last changed its value
    Blame(blame::Args),
    /// Undo commits, or restore an environment to a revision, as new commits
    Rollback(rollback::Args),
    /// Feature flags in flagd format: validate, evaluate, explain, stage a rollout
    Flags(flags::Args),
    /// Check health metrics against [guard.ENV] and roll back the newest change on a violation
    Guard(guard::Args),
    /// Encrypt, decrypt and re-key secret files (SOPS format, age recipients)
    Secrets(secrets::Args),
    /// Release, verify, activate and roll back attack packs (prompt-attack patterns)
    Packs(packs::Args),
    /// Install Git hooks that run cfgctl (for teams without the pre-commit framework), or remove them
    Hooks(hooks::Args),
    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
    /// Print the man page (or write every page to a directory)
    Man(completions::ManArgs),
}

/// What every command needs once: where it runs and how to print.
#[derive(Debug, Clone)]
pub struct Context {
    /// The directory paths on the command line are relative to (`-C DIR` or the current one).
    pub cwd: PathBuf,
    pub output: Output,
}

/// Runs the parsed command line and returns how it ended.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    let cwd = match &cli.chdir {
        Some(dir) => std::env::current_dir()?.join(dir),
        None => std::env::current_dir()?,
    };
    let ctx = Context {
        cwd,
        output: Output::new(cli.format, cli.color, cli.quiet),
    };
    match &cli.command {
        Command::Init(args) => init::run(args, &ctx),
        Command::Validate(args) => validate::run(args, &ctx),
        Command::Render(args) => render::run(args, &ctx),
        Command::Get(args) => get::run(args, &ctx),
        Command::Set(args) => set::run_set(args, &ctx),
        Command::Unset(args) => set::run_unset(args, &ctx),
        Command::Diff(args) => diff::run(args, &ctx),
        Command::Drift(args) => diff::run_drift(args, &ctx),
        Command::Env(args) => env::run(args, &ctx),
        Command::Promote(args) => promote::run(args, &ctx),
        Command::Status(args) => log::run_status(args, &ctx),
        Command::Log(args) => log::run_log(args, &ctx),
        Command::Blame(args) => blame::run(args, &ctx),
        Command::Rollback(args) => rollback::run(args, &ctx),
        Command::Flags(args) => flags::run(args, &ctx),
        Command::Guard(args) => guard::run(args, &ctx),
        Command::Secrets(args) => secrets::run(args, &ctx),
        Command::Packs(args) => packs::run(args, &ctx),
        Command::Hooks(args) => hooks::run(args, &ctx),
        Command::Completions(args) => completions::run_completions(args, &ctx),
        Command::Man(args) => completions::run_man(args, &ctx),
    }
}

/// Prints a findings report in the chosen format (plus the summary line on stderr for people)
/// and returns its exit status: 1 when there are errors, or warnings with `deny_warnings`.
pub fn finish_report(
    report: &crate::output::findings::Report,
    ctx: &Context,
    deny_warnings: bool,
) -> Result<ExitStatus> {
    use crate::finding::Severity;
    use crate::output::findings as report_output;
    let out = &ctx.output;
    out.result(&report_output::render(report, out))?;
    if out.format == Format::Human && !(out.quiet && report.findings.is_empty()) {
        out.status(&report_output::summary_line(report, out));
    }
    let failing = report.count(Severity::Error)
        + if deny_warnings {
            report.count(Severity::Warning)
        } else {
            0
        };
    Ok(if failing > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// The options every write into the repository takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WriteArgs {
    /// Make the change and commit it (without it, only the plan is shown)
    #[arg(long)]
    pub execute: bool,

    /// Record an approval as an Approved-by trailer ("Name <email>"); repeatable
    #[arg(long, value_name = "NAME <EMAIL>")]
    pub approved_by: Vec<String>,

    /// Write inside a freeze window or outside the allowed hours, recording why
    #[arg(long, value_name = "WHY")]
    pub emergency: Option<String>,

    /// Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

impl WriteArgs {
    /// The pipeline options these arguments ask for.
    pub fn options(&self) -> crate::change::Options {
        crate::change::Options {
            execute: self.execute,
            approvals: self.approved_by.clone(),
            emergency: self.emergency.clone(),
            reason: self.reason.clone(),
            ..crate::change::Options::default()
        }
    }
}

/// Prints how a write ended, after the command printed its plan: what an interrupted earlier
/// write needed, every blocker (even under `-q`), the policy exceptions used, and whether
/// anything was committed. Returns the exit status: 1 when blocked.
pub fn finish_change(
    ctx: &Context,
    outcome: &crate::change::Outcome,
    nothing_to_do: &str,
    done: &str,
) -> ExitStatus {
    let out = &ctx.output;
    if let Some(recovered) = &outcome.recovered {
        out.warn(recovered);
    }
    if out.format == Format::Human {
        for blocker in &outcome.blockers {
            out.problem(&format!("blocked: {blocker}"));
        }
        for exception in &outcome.exceptions {
            out.status(&format!("policy: {exception}"));
        }
    }
    if !outcome.blockers.is_empty() {
        if out.format == Format::Human {
            out.problem("Nothing was changed.");
        }
        return ExitStatus::Findings;
    }
    if outcome.is_empty() {
        out.status(nothing_to_do);
    } else if outcome.executed {
        if !done.is_empty() {
            out.status(done);
        }
    } else {
        out.status("Dry run: pass --execute to commit.");
    }
    ExitStatus::Success
}

/// The fields every write's JSON document carries (documented in README, "JSON output").
pub fn change_json(outcome: &crate::change::Outcome) -> serde_json::Value {
    serde_json::json!({
        "executed": outcome.executed,
        "blockers": outcome.blockers,
        "policy_exceptions": outcome.exceptions,
        "messages": outcome.messages,
        "commits": outcome.commits,
        "recovered": outcome.recovered,
    })
}

/// Merges the common write fields into a command's JSON document and prints it.
pub fn print_change_json(
    ctx: &Context,
    mut doc: serde_json::Value,
    outcome: &crate::change::Outcome,
) -> Result<()> {
    if let (Some(map), serde_json::Value::Object(common)) =
        (doc.as_object_mut(), change_json(outcome))
    {
        for (key, value) in common {
            map.entry(key).or_insert(value);
        }
    }
    ctx.output
        .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    Ok(())
}

/// Refuses a `--format` that a command cannot produce (a usage error, exit 2).
pub fn require_format(ctx: &Context, allowed: &[Format], command: &str) -> Result<()> {
    if allowed.contains(&ctx.output.format) {
        return Ok(());
    }
    let names: Vec<String> = allowed
        .iter()
        .map(|f| format!("{f:?}").to_lowercase())
        .collect();
    Err(crate::error::CliError::new(anyhow::anyhow!(
        "`{command}` cannot print --format {}",
        format!("{:?}", ctx.output.format).to_lowercase()
    ))
    .with_hint(format!("use one of: {}", names.join(", ")))
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_clap_model_is_consistent() {
        Cli::command().debug_assert();
    }
}
