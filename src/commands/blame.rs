//! `cfgctl blame ENV DOCUMENT`

use super::Context;
use crate::environment::Environments;
use crate::error::ExitStatus;
use crate::history::{self, Entry};
use crate::keys::{self, Blame};
use crate::output::{Format, styles};
use crate::repo::{self, WorkTree};
use anyhow::Result;
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment
    pub env: String,

    /// The document, as `render` names it (e.g. services.yaml)
    pub document: String,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "blame")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = crate::config::read(&WorkTree::new(&root), crate::config::Presence::Required)?;
    Environments::of(&config).get(&args.env)?;
    let mut blame = Blame::new(keys::leaves_at(&root, "HEAD", &args.env, &args.document)?);
    let mut commits: Vec<Entry> = Vec::new();
    let blobs = repo::history::Blobs::open(&root)?;
    let environments = &config.repo.environments;
    repo::history::walk(&root, &mut |commit| {
        let entry = history::entry(commit, environments);
        let may_change = entry.affects(&args.env)
            && keys::may_change(
                &entry.changed,
                environments,
                &args.env,
                Some(&args.document),
            );
        // A commit that changed only layer files, at none of the leaves still unexplained,
        // needs no render.
        let unchanged = || {
            !entry.changed.iter().any(|p| p == crate::config::FILE_NAME)
                && blame.unchanged_by(
                    &blobs,
                    &entry.sha,
                    entry.parent.as_deref(),
                    &keys::layer_files(&entry.changed, environments, &args.env, &args.document),
                )
        };
        if !may_change || unchanged() {
            blame.pass(entry.step());
            return true;
        }
        let done = blame.visit(&root, entry.step(), &args.env, &args.document);
        commits.push(entry);
        !done
    })?;

    let out = &ctx.output;
    if out.format == Format::Json {
        let keys: Vec<serde_json::Value> = blame
            .leaves
            .iter()
            .map(|(path, value)| {
                let e = blame.by.get(path).map(|&i| &commits[i]);
                json!({
                    "path": path,
                    "value": value,
                    "sha": e.map(|e| &e.sha),
                    "date": e.map(|e| &e.date),
                    "author": e.map(|e| &e.author),
                    "email": e.map(|e| &e.email),
                    "kind": e.map(|e| &e.kind),
                    "subject": e.map(|e| &e.subject),
                })
            })
            .collect();
        let doc = json!({"version": 1, "command": "blame", "environment": args.env, "document": args.document, "keys": keys});
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(ExitStatus::Success);
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["path", "value", "commit", "date", "author", "kind"]);
    for (path, value) in &blame.leaves {
        let value = value.to_string();
        let value = if value.chars().count() > 40 {
            format!("{}…", value.chars().take(39).collect::<String>())
        } else {
            value
        };
        let e = blame.by.get(path).map(|&i| &commits[i]);
        table.add_row(vec![
            out.paint(styles::PATH, path),
            value,
            e.map_or("?".into(), |e| e.short().to_string()),
            e.map_or(String::new(), |e| e.date.clone()),
            e.map_or(String::new(), |e| e.author.clone()),
            e.map_or(String::new(), |e| e.kind.clone()),
        ]);
    }
    out.result(&format!("{table}\n"))?;
    Ok(ExitStatus::Success)
}
