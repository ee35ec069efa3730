//! `cfgctl get ENV KEYPATH`

use super::Context;
use crate::config;
use crate::document::{KeyPath, Node, Value, emit};
use crate::environment::Environments;
use crate::environment::render::{self, Request};
use crate::error::ExitStatus;
use crate::keys;
use crate::output::Format;
use crate::repo::{self, Source, WorkTree};
use crate::secrets::environment::EnvSecrets;
use anyhow::Result;
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment to read
    pub env: String,

    /// Dot-separated mapping keys, e.g. services.chat.replicas ("a.b" quotes a key with a dot)
    #[arg(value_name = "KEYPATH")]
    pub key_path: String,

    /// Look only in this document (when the key path is in several)
    #[arg(long, value_name = "NAME")]
    pub document: Option<String>,

    /// Add the layers of this service (services/S/ and services/S/ENV/)
    #[arg(long, value_name = "S")]
    pub service: Option<String>,

    /// Add the layers of this tenant (tenants/T/ and tenants/T/ENV/)
    #[arg(long, value_name = "T")]
    pub tenant: Option<String>,

    /// Show the layer file and line every value came from
    #[arg(long)]
    pub explain: bool,

    /// Replace ${SECRET:…} with decrypted values (needs an age identity); without it the
    /// references are printed as written
    #[arg(long)]
    pub reveal: bool,

    /// An age identity file for --reveal (repeatable)
    #[arg(long, value_name = "FILE", requires = "reveal")]
    pub identity: Vec<std::path::PathBuf>,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "get")?;
    let path = keys::parse_path(&args.key_path)?;
    let root = repo::find_root(&ctx.cwd)?;
    let source = WorkTree::new(&root);
    let config = config::read(&source, config::Presence::Required)?;
    let listing = source.list()?;
    let request = Request {
        env: args.env.clone(),
        service: args.service.clone(),
        tenant: args.tenant.clone(),
        documents: args.document.iter().cloned().collect(),
    };
    let mut documents = render::render(&source, &listing.paths, &config, &request, &|var| {
        std::env::var(var).ok()
    })?;
    if args.reveal {
        let environments = Environments::of(&config);
        let env_secrets = EnvSecrets::load(&source, &listing.paths, environments.get(&args.env)?)?;
        super::render::reveal(&env_secrets, &args.identity, &mut documents)?;
    }
    let Some(found) = keys::find(&documents, &path)? else {
        ctx.output.problem(&format!(
            "error: no key `{}` in what `{}` renders",
            args.key_path, args.env
        ));
        return Ok(ExitStatus::Findings);
    };

    let mut sources = Vec::new();
    super::render::leaves(found.node, &mut Vec::new(), &mut sources);
    let prefix = KeyPath::from_keys(&path).to_string();
    let full = |sub: &KeyPath| {
        if sub.is_root() {
            prefix.clone()
        } else {
            let sub = sub.to_string();
            if sub.starts_with('[') {
                format!("{prefix}{sub}")
            } else {
                format!("{prefix}.{sub}")
            }
        }
    };
    let file_of = |node: &Node| found.document.rendered.file_of(node).unwrap_or("?");

    let text = if ctx.output.format == Format::Json {
        let mut doc = json!({
            "version": 1,
            "command": "get",
            "environment": args.env,
            "service": args.service,
            "tenant": args.tenant,
            "document": found.document.rendered.document,
            "path": prefix,
            "value": found.node.to_json(),
            "file": found.file(),
            "line": found.node.pos.line,
        });
        if args.explain {
            doc["sources"] = sources
                .iter()
                .map(|(sub, node)| {
                    json!({"path": full(sub), "value": node.to_json(), "file": file_of(node), "line": node.pos.line})
                })
                .collect();
        }
        format!("{}\n", serde_json::to_string_pretty(&doc)?)
    } else if args.explain {
        sources
            .iter()
            .map(|(sub, node)| {
                format!(
                    "{}: {}  ({}:{})\n",
                    full(sub),
                    serde_json::to_string(&node.to_json()).unwrap_or_default(),
                    file_of(node),
                    node.pos.line
                )
            })
            .collect()
    } else {
        plain(found.node)
    };
    ctx.output.result(&text)?;
    Ok(ExitStatus::Success)
}

/// A scalar as plain text (a string without quotes), a subtree as YAML.
fn plain(node: &Node) -> String {
    match &node.value {
        Value::String(s) => format!("{s}\n"),
        Value::Map(_) | Value::Seq(_) => emit::to_yaml(node),
        _ => format!("{}\n", node.to_json()),
    }
}
