//! `cfgctl env list` and `cfgctl env add NAME --from ENV`

use super::{Context, WriteArgs};
use crate::change::{self, Action, Key, Message, Planned, Proposal};
use crate::config;
use crate::environment::Environments;
use crate::error::ExitStatus;
use crate::output::{Format, styles};
use crate::promote::new_environment::{self, Origin, Prepared, Request};
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
    /// Add an environment made from an existing one: its files copied, its secrets
    /// re-encrypted for the new recipients, every flag off; one commit (dry run unless
    /// --execute)
    Add(AddArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The new environment's name (its directory under environments/)
    pub name: String,

    /// The environment whose files the new one starts from
    #[arg(long, value_name = "ENV")]
    pub from: String,

    /// The environment the new one follows in promotion order (default: the --from one)
    #[arg(long, value_name = "ENV")]
    pub after: Option<String>,

    /// An age recipient for the new environment's secret files (repeatable; default: the
    /// --from environment's recipients)
    #[arg(long = "age", value_name = "RECIPIENT")]
    pub recipients: Vec<String>,

    /// An age identity file that decrypts the --from environment's secret files (repeatable;
    /// SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys file are tried too)
    #[arg(long, value_name = "FILE")]
    pub identity: Vec<std::path::PathBuf>,

    #[command(flatten)]
    pub write: WriteArgs,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    match &args.command {
        EnvCommand::List => list(ctx),
        EnvCommand::Add(add_args) => add(add_args, ctx),
    }
}

fn add(args: &AddArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "env add")?;
    let root = repo::find_root(&ctx.cwd)?;
    let tree = WorkTree::new(&root);
    let config = config::read(&tree, config::Presence::Required)?;
    let writer = change::begin(
        &root,
        args.write.execute,
        &format!("env add {} --from {}", args.name, args.from),
    )?;
    let keyring = crate::secrets::keys::Keyring::load(&args.identity)?;
    let prepared = new_environment::prepare(
        &tree,
        &config,
        &keyring,
        &Request {
            name: &args.name,
            from: &args.from,
            after: args.after.as_deref(),
            recipients: &args.recipients,
        },
    )?;
    // The files copied must be committed: the new environment starts from a known commit.
    let sources: Vec<String> = prepared
        .files
        .iter()
        .filter_map(|f| f.from.clone())
        .collect();
    let mut blockers = Vec::new();
    for path in repo::transaction::dirty(&root, &sources)? {
        blockers.push(format!(
            "{path} has uncommitted changes: commit them before copying them"
        ));
    }
    let files: Vec<(String, Vec<u8>)> = prepared
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    let message = Message::new(format!(
        "env add: {} from {} ({} files)",
        args.name,
        args.from,
        files.len()
    ))
    .body(format!(
        "Promotion order: {}.\nSecret files are encrypted for: {}.",
        prepared.order.join(" -> "),
        if prepared.recipients.is_empty() {
            "(no secret files)".to_string()
        } else {
            prepared.recipients.join(", ")
        }
    ))
    .with(Key::From, format!("{}@{}", args.from, &writer.base()[..12]));
    let proposal = Proposal {
        action: Action::EnvAdd,
        env: Some(args.name.clone()),
        commits: vec![Planned {
            tree: writer.tree_with_files(&files)?,
            changed: files.iter().map(|(p, _)| p.clone()).collect(),
            message,
        }],
        tag: None,
        branch: None,
    };
    let outcome = change::finish(writer, &config, proposal, &args.write.options(), blockers)?;
    if ctx.output.format == Format::Json {
        super::print_change_json(ctx, add_json(args, &prepared), &outcome)?;
    } else {
        ctx.output.plan(&add_plan(args, &prepared, ctx))?;
        for note in &prepared.notes {
            ctx.output.status(&format!("note: {note}"));
        }
    }
    let done = match outcome.commits.first() {
        Some(sha) => format!(
            "Committed: {} (environment `{}` added)",
            &sha[..7],
            args.name
        ),
        None => String::new(),
    };
    Ok(super::finish_change(
        ctx,
        &outcome,
        "Nothing to add.",
        &done,
    ))
}

fn origin_text(origin: Origin) -> &'static str {
    match origin {
        Origin::Copied => "copied from",
        Origin::Reencrypted => "re-encrypted from",
        Origin::FlagsOff => "every flag off, from",
        Origin::Settings => "environment added to [repo] environments",
        Origin::SopsRule => "creation rule added",
    }
}

fn add_plan(args: &AddArgs, prepared: &Prepared, ctx: &Context) -> String {
    let out = &ctx.output;
    let mut text = format!(
        "Add environment {} from {}\n  order: {}\n",
        out.paint(styles::PATH, &args.name),
        args.from,
        prepared.order.join(" -> ")
    );
    for file in &prepared.files {
        let from = file
            .from
            .as_deref()
            .map(|f| format!(" {f}"))
            .unwrap_or_default();
        text.push_str(&format!(
            "  {}  ({}{from})\n",
            file.path,
            origin_text(file.origin)
        ));
    }
    if !prepared.recipients.is_empty() {
        text.push_str(&format!(
            "  secret files encrypted for: {}\n",
            prepared.recipients.join(", ")
        ));
    }
    text
}

/// The JSON document of `env add` (documented in README, "env add").
fn add_json(args: &AddArgs, prepared: &Prepared) -> serde_json::Value {
    json!({
        "version": 1,
        "command": "env add",
        "environment": args.name,
        "from": args.from,
        "order": prepared.order,
        "files": prepared.files,
        "recipients": prepared.recipients,
        "sops_rule": prepared.sops_rule,
        "notes": prepared.notes,
    })
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
