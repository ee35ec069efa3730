//! `cfgctl completions SHELL` and `cfgctl man`: generated from the clap model, so they never
//! drift from the real flags. Checked-in copies live in `completions/` and `man/`.

use super::{Cli, Context};
use crate::error::ExitStatus;
use anyhow::{Context as _, Result};
use clap::CommandFactory;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write cfgctl.1 and one page per subcommand (cfgctl-validate.1, …) into DIR
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
}

/// The file name the checked-in completion script for a shell has.
pub fn completion_file_name(shell: clap_complete::Shell) -> &'static str {
    use clap_complete::Shell;
    match shell {
        Shell::Bash => "cfgctl.bash",
        Shell::Zsh => "_cfgctl",
        Shell::Fish => "cfgctl.fish",
        Shell::PowerShell => "_cfgctl.ps1",
        Shell::Elvish => "cfgctl.elv",
        _ => "cfgctl.completion",
    }
}

/// Returns the completion script for a shell.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cfgctl", &mut buf);
    buf
}

/// Returns every man page: `(file name, roff)`, the main page first.
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut command = Cli::command();
    command.build();
    let mut pages = Vec::new();
    render_pages(&command, "cfgctl", &mut pages)?;
    Ok(pages)
}

fn render_pages(
    command: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    let mut buf = Vec::new();
    // Subcommand pages are titled `cfgctl-validate` like git's; clap wants a 'static name.
    let title: &'static str = Box::leak(name.to_string().into_boxed_str());
    let page = clap_mangen::Man::new(command.clone().name(title));
    page.render(&mut buf)?;
    pages.push((format!("{name}.1"), buf));
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        render_pages(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}

pub fn run_completions(args: &CompletionsArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[crate::output::Format::Human], "completions")?;
    ctx.output
        .result(&String::from_utf8_lossy(&completion_script(args.shell)))?;
    Ok(ExitStatus::Success)
}

pub fn run_man(args: &ManArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[crate::output::Format::Human], "man")?;
    let pages = man_pages()?;
    match &args.output_dir {
        None => ctx.output.result(&String::from_utf8_lossy(&pages[0].1))?,
        Some(dir) => {
            let dir = ctx.cwd.join(dir);
            let writer = crate::repo::AtomicWriter::new(&dir)?;
            for (name, roff) in &pages {
                let path = dir.join(name);
                writer
                    .write(&path, roff)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            ctx.output.status(&format!(
                "Wrote {} man pages to {}.",
                pages.len(),
                dir.display()
            ));
        }
    }
    Ok(ExitStatus::Success)
}
