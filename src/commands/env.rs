//! `cfgctl env list`

use super::Context;
use crate::config;
use crate::environment::Environments;
use crate::error::ExitStatus;
use crate::output::{Format, styles};
use crate::repo::{self, Source, WorkTree};
use anyhow::Result;
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: EnvCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum EnvCommand {
    /// List the environments in promotion order with their documents, secret files, flag file
    /// and active packs
    List,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    match args.command {
        EnvCommand::List => list(ctx),
    }
}

fn list(ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "env list")?;
    let root = repo::find_root(&ctx.cwd)?;
    let source = WorkTree::new(&root);
    let config = config::read(&source, config::Presence::Required)?;
    let listing = source.list()?;
    let summaries = Environments::of(&config).summaries(&source, &listing.paths)?;
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({"version": 1, "command": "env list", "environments": summaries});
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(ExitStatus::Success);
    }
    let none = || "none".to_string();
    let mut text = String::new();
    for (i, env) in summaries.iter().enumerate() {
        let documents: Vec<&str> = env.documents.iter().map(|d| d.name.as_str()).collect();
        let packs: Vec<String> = env
            .packs
            .iter()
            .map(|p| format!("{}@{}", p.pack, p.version))
            .collect();
        let list = |items: Vec<String>| {
            if items.is_empty() {
                none()
            } else {
                items.join(", ")
            }
        };
        text.push_str(&format!(
            "{}. {}\n  documents:    {}\n  secret files: {}\n  flag file:    {}\n  packs:        {}\n",
            i + 1,
            out.paint(styles::PATH, &env.name),
            list(documents.iter().map(|d| d.to_string()).collect()),
            list(env.secret_files.clone()),
            env.flag_file.clone().unwrap_or_else(none),
            list(packs),
        ));
    }
    out.result(&text)?;
    Ok(ExitStatus::Success)
}
