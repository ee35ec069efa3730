//! `cfgctl set FILE|ENV KEYPATH VALUE` and `cfgctl unset FILE|ENV KEYPATH`

use super::{Context, WriteArgs};
use crate::change::{self, Action, Key, Message, Planned, Proposal};
use crate::config::{self, Config};
use crate::document::Node;
use crate::environment::Environments;
use crate::environment::render::{self, Request};
use crate::error::{CliError, ExitStatus};
use crate::finding::Finding;
use crate::keys::{self, Layer, Plan};
use crate::output::Format;
use crate::repo::{self, Source, WorkTree};
use anyhow::{Context as _, Result, anyhow};
use serde_json::json;
use std::io::Read;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    #[command(flatten)]
    pub at: Where,

    /// The value, read as a YAML scalar (3, true, "3", text) or with --json as JSON; omit
    /// with --stdin
    #[arg(required_unless_present = "stdin")]
    pub value: Option<String>,

    /// Read the value from standard input
    #[arg(long, conflicts_with = "value")]
    pub stdin: bool,

    /// Read the value as JSON (for a list or a mapping)
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub write: Writing,
}

#[derive(Debug, clap::Args)]
pub struct UnsetArgs {
    #[command(flatten)]
    pub at: Where,

    #[command(flatten)]
    pub write: Writing,
}

/// Which key, in which file.
#[derive(Debug, clap::Args)]
pub struct Where {
    /// A configuration file, or an environment (the file of its layer that defines the key,
    /// else the environment's own document)
    #[arg(value_name = "FILE|ENV")]
    pub target: String,

    /// Dot-separated mapping keys, e.g. services.chat.replicas
    #[arg(value_name = "KEYPATH")]
    pub key_path: String,

    /// With ENV: the layer to write to
    #[arg(long, value_enum, value_name = "LAYER")]
    pub layer: Option<LayerArg>,

    /// With ENV: the document the key is in (when several have it, or for a new key)
    #[arg(long, value_name = "NAME")]
    pub document: Option<String>,

    /// With ENV: the service whose layers count (services/S/ and services/S/ENV/)
    #[arg(long, value_name = "S")]
    pub service: Option<String>,

    /// With ENV: the tenant whose layers count (tenants/T/ and tenants/T/ENV/)
    #[arg(long, value_name = "T")]
    pub tenant: Option<String>,
}

/// How the change is written.
#[derive(Debug, clap::Args)]
pub struct Writing {
    /// Commit the change through the write pipeline and policy, instead of editing the
    /// working tree file
    #[arg(long)]
    pub commit: bool,

    /// The commit subject (with --commit)
    #[arg(short, long, value_name = "MSG", requires = "commit")]
    pub message: Option<String>,

    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LayerArg {
    Global,
    Env,
    Service,
    Tenant,
}

pub fn run_set(args: &SetArgs, ctx: &Context) -> Result<ExitStatus> {
    let text = match (&args.value, args.stdin) {
        (Some(value), _) => value.clone(),
        (None, _) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading the value from standard input")?;
            text
        }
    };
    let value = keys::parse_value(&text, args.json)?;
    write(&args.at, &args.write, Some(value), ctx)
}

pub fn run_unset(args: &UnsetArgs, ctx: &Context) -> Result<ExitStatus> {
    write(&args.at, &args.write, None, ctx)
}

fn write(at: &Where, writing: &Writing, value: Option<Node>, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], command(&value))?;
    let path = keys::parse_path(&at.key_path)?;
    let root = repo::find_root(&ctx.cwd)?;
    let source = WorkTree::new(&root);
    let config = config::read(&source, config::Presence::Required)?;
    let environments = Environments::of(&config);
    let env = environments
        .contains(&at.target)
        .then_some(at.target.as_str());
    if env.is_none()
        && (at.layer.is_some()
            || at.document.is_some()
            || at.service.is_some()
            || at.tenant.is_some())
    {
        return Err(CliError::new(anyhow!(
            "--layer, --document, --service and --tenant go with an environment, not a file"
        ))
        .with_hint(environments.hint())
        .into());
    }
    let what = format!("{} {} in {}", command(&value), at.key_path, at.target);
    let execute = writing.commit || writing.write.execute;
    let w = &writing.write;
    if !execute && (!w.approved_by.is_empty() || w.emergency.is_some() || w.reason.is_some()) {
        return Err(CliError::new(anyhow!(
            "--approved-by, --emergency and --reason are recorded in a commit: they go with --commit"
        ))
        .into());
    }

    // The lock comes before the read: a second writer plans on the first one's result.
    let (writer, lock) = if execute {
        (Some(change::begin(&root, true, &what)?), None)
    } else {
        (None, Some(repo::WriteLock::acquire(&root, &what)?))
    };
    let file = match env {
        Some(env) => env_file(&source, &config, &environments, at, env, &path)?,
        None => repo_path(&root, &ctx.cwd.join(&at.target))?,
    };
    // With ENV, the chosen layer file may not exist yet: `set` creates it.
    let before = if env.is_some() && !root.join(&file).exists() {
        None
    } else {
        Some(
            source
                .read(&file)
                .with_context(|| format!("reading {file}"))?,
        )
    };
    let text = match &before {
        Some(bytes) => {
            String::from_utf8(bytes.clone()).map_err(|_| anyhow!("{file}: not valid UTF-8"))?
        }
        None => String::new(),
    };
    let plan = keys::plan(&file, &text, &path, value)?;

    if let Some(writer) = writer {
        let mut commits = Vec::new();
        if !plan.is_empty() {
            commits.push(Planned {
                tree: writer.tree_with_files(&[(file.clone(), plan.text.clone().into_bytes())])?,
                changed: vec![file.clone()],
                message: commit_message(&plan, writing.message.as_deref()),
            });
        }
        let proposal = Proposal {
            action: Action::Set,
            env: env.map(str::to_string),
            commits,
            tag: None,
            branch: None,
        };
        let options = change::Options {
            execute: true,
            ..writing.write.options()
        };
        let outcome = change::finish(writer, &config, proposal, &options, Vec::new())?;
        if ctx.output.format == Format::Json {
            let mut doc = plan_json(&plan, command(&plan.new), &[]);
            doc["created"] = json!(before.is_none() && !plan.is_empty());
            super::print_change_json(ctx, doc, &outcome)?;
        } else if !plan.is_empty() {
            ctx.output.result(&plan_line(&plan, before.is_none()))?;
        }
        let done = match outcome.commits.first() {
            Some(sha) => format!("Committed: {}", &sha[..7]),
            None => String::new(),
        };
        return Ok(super::finish_change(ctx, &outcome, &nothing(&plan), &done));
    }

    let findings = if plan.is_empty() {
        Vec::new()
    } else {
        keys::invalid_after(&config, &source, &root, &plan)?
    };
    let written = findings.is_empty() && !plan.is_empty();
    if written {
        let absolute = root.join(&file);
        repo::unchanged_since(&absolute, before.as_deref(), &file)?;
        repo::AtomicWriter::new(&root)?.write(&absolute, plan.text.as_bytes())?;
    }
    drop(lock);
    if ctx.output.format == Format::Json {
        let mut doc = plan_json(&plan, command(&plan.new), &findings);
        doc["written"] = json!(written);
        doc["created"] = json!(written && before.is_none());
        ctx.output
            .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else if plan.is_empty() {
        ctx.output.status(&nothing(&plan));
    } else {
        ctx.output.result(&plan_line(&plan, before.is_none()))?;
        for f in &findings {
            ctx.output.problem(&format!(
                "{}: {}:{}: {}{} [{}]",
                f.severity.as_str(),
                f.file,
                f.pos,
                f.path
                    .as_deref()
                    .map(|p| format!("{p}: "))
                    .unwrap_or_default(),
                f.message,
                f.rule
            ));
        }
    }
    if !findings.is_empty() {
        if ctx.output.format == Format::Human {
            ctx.output.problem(&format!(
                "error: the result is invalid: {file} was not changed"
            ));
        }
        return Ok(ExitStatus::Findings);
    }
    Ok(ExitStatus::Success)
}

fn command(value: &Option<Node>) -> &'static str {
    if value.is_some() { "set" } else { "unset" }
}

/// The file of `env` a key is written to: see [`keys::choose_file`].
fn env_file(
    source: &WorkTree,
    config: &Config,
    environments: &Environments,
    at: &Where,
    env: &str,
    path: &[String],
) -> Result<String> {
    let listing = source.list()?;
    let request = Request {
        env: env.to_string(),
        service: at.service.clone(),
        tenant: at.tenant.clone(),
        documents: at.document.iter().cloned().collect(),
    };
    let documents = render::render(source, &listing.paths, config, &request, &|var| {
        std::env::var(var).ok()
    })?;
    let found = keys::find(&documents, path)?;
    let document = match (&found, &at.document) {
        (Some(found), _) => found.document.rendered.document.clone(),
        (None, Some(document)) => document.clone(),
        (None, None) => {
            // A new key goes into the document that has its first key.
            let with_first: Vec<&str> = documents
                .iter()
                .filter(|d| keys::lookup(&d.rendered.root, &path[..1]).is_some())
                .map(|d| d.rendered.document.as_str())
                .collect();
            match with_first[..] {
                [one] => one.to_string(),
                _ => {
                    return Err(CliError::new(anyhow!(
                        "no document of `{env}` has `{}`, so where it goes is not clear",
                        path[0]
                    ))
                    .with_hint("name the document with --document")
                    .into());
                }
            }
        }
    };
    let target = keys::Target {
        env,
        service: at.service.as_deref(),
        tenant: at.tenant.as_deref(),
        layer: at.layer.map(|l| match l {
            LayerArg::Global => Layer::Global,
            LayerArg::Env => Layer::Env,
            LayerArg::Service => Layer::Service,
            LayerArg::Tenant => Layer::Tenant,
        }),
    };
    keys::choose_file(
        &listing.paths,
        environments,
        &target,
        &document,
        found.as_ref(),
    )
}

/// A path on the command line as a repository path (`/`-separated, relative to the root).
fn repo_path(root: &Path, path: &Path) -> Result<String> {
    let absolute = path
        .canonicalize()
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    let relative = absolute.strip_prefix(root).map_err(|_| {
        CliError::new(anyhow!(
            "`{}` is neither an environment nor a file in the repository",
            path.display()
        ))
    })?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    parts
        .map(|p| p.join("/"))
        .ok_or_else(|| anyhow!("`{}` is not valid UTF-8", path.display()))
}

fn show(node: Option<&Node>) -> String {
    node.map_or("(absent)".to_string(), |n| {
        serde_json::to_string(&n.to_json()).unwrap_or_default()
    })
}

fn plan_line(plan: &Plan, created: bool) -> String {
    format!(
        "{}{}: {}: {} → {}\n",
        plan.file,
        if created { " (new file)" } else { "" },
        plan.path.join("."),
        show(plan.old.as_ref()),
        show(plan.new.as_ref())
    )
}

fn nothing(plan: &Plan) -> String {
    match &plan.new {
        Some(_) => format!(
            "Nothing to change: {} is already {} in {}.",
            plan.path.join("."),
            show(plan.new.as_ref()),
            plan.file
        ),
        None => format!(
            "Nothing to change: {} is not in {}.",
            plan.path.join("."),
            plan.file
        ),
    }
}

fn commit_message(plan: &Plan, subject: Option<&str>) -> Message {
    let key = plan.path.join(".");
    let subject = subject.map_or_else(
        || format!("{}: {key} in {}", command(&plan.new), plan.file),
        str::to_string,
    );
    Message::new(subject)
        .body(format!(
            "{}: {key}: {} -> {}",
            plan.file,
            show(plan.old.as_ref()),
            show(plan.new.as_ref())
        ))
        .with(Key::KeyPath, &key)
}

/// The JSON document of a set or unset (documented in README, "set and unset").
fn plan_json(plan: &Plan, command: &str, findings: &[Finding]) -> serde_json::Value {
    json!({
        "version": 1,
        "command": command,
        "file": plan.file,
        "path": plan.path.join("."),
        "old": plan.old.as_ref().map(Node::to_json),
        "new": plan.new.as_ref().map(Node::to_json),
        "changed": !plan.is_empty(),
        "findings": findings.iter().map(|f| json!({
            "file": f.file, "line": f.pos.line, "column": f.pos.column, "path": f.path,
            "rule": f.rule, "severity": f.severity.as_str(), "message": f.message,
        })).collect::<Vec<_>>(),
    })
}
