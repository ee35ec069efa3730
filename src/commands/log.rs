//! `cfgctl log [ENV | PATH]` and `cfgctl status`

use super::Context;
use crate::config::{self, Config};
use crate::environment::Environments;
use crate::error::{CliError, ExitStatus};
use crate::history::{self, Entry};
use crate::output::{Format, styles};
use crate::repo::{self, WorkTree};
use anyhow::{Result, anyhow};
use serde_json::json;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// An environment (its own files and the shared layers it renders) or a path
    #[arg(value_name = "ENV|PATH")]
    pub target: Option<String>,

    /// Show at most N changes
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    pub max_count: Option<usize>,

    /// Only changes made on or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// With ENV: only the commits that changed the rendered value at KEYPATH (a change in any
    /// layer that feeds it), each with the old and the new value
    #[arg(long, value_name = "KEYPATH")]
    pub key: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {}

/// What `log` shows: one environment's changes, or the changes under a path.
enum Filter {
    All,
    Env(String),
    Path(String),
}

pub fn run_log(args: &LogArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "log")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = load_config(&root)?;
    let since = match &args.since {
        Some(text) => Some(crate::clock::parse_timestamp(text).ok_or_else(|| {
            CliError::new(anyhow!("`{text}` is not a date"))
                .with_hint("use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
        })?),
        None => None,
    };
    let environments = Environments::of(&config);
    let filter = match &args.target {
        None => Filter::All,
        Some(t) if environments.contains(t) => Filter::Env(t.clone()),
        Some(t) => {
            let full = ctx.cwd.join(t);
            let not_found = || {
                CliError::new(anyhow!(
                    "`{t}` is neither an environment nor a path in the repository"
                ))
                .with_hint(environments.hint())
            };
            let rel = full
                .strip_prefix(&root)
                .ok()
                .or_else(|| Path::new(t).strip_prefix("./").ok())
                .and_then(|p| p.to_str())
                .map(|p| p.trim_end_matches('/').to_string())
                .filter(|p| !p.is_empty() || full == root)
                .ok_or_else(not_found)?;
            // A path that is gone from the working tree is fine if history knows it (a
            // deleted file); otherwise it is most likely a misspelt environment.
            if !full.exists() && !ever_changed(&root, &rel)? {
                return Err(not_found().into());
            }
            Filter::Path(rel)
        }
    };
    if let Some(key) = &args.key {
        let Filter::Env(env) = &filter else {
            return Err(CliError::new(anyhow!("--key needs an environment"))
                .with_hint(format!(
                    "cfgctl log ENV --key {key}; {}",
                    environments.hint()
                ))
                .into());
        };
        return key_log(args, ctx, &root, &config, env, key, since);
    }
    let mut entries: Vec<Entry> = Vec::new();
    repo::history::walk(&root, &mut |commit| {
        if since.is_some_and(|s| commit.time < s) {
            return false;
        }
        let entry = history::entry(commit, &config.repo.environments);
        let keep = match &filter {
            Filter::All => !entry.environments.is_empty(),
            Filter::Env(env) => entry.affects(env),
            Filter::Path(path) => entry.changed.iter().any(|c| is_under(c, path)),
        };
        if keep {
            entries.push(entry);
        }
        args.max_count.is_none_or(|n| entries.len() < n)
    })?;
    print_log(&entries, ctx)?;
    Ok(ExitStatus::Success)
}

/// `log ENV --key KEYPATH`: the commits that changed the rendered value, newest first.
fn key_log(
    args: &LogArgs,
    ctx: &Context,
    root: &Path,
    config: &crate::config::Config,
    env: &str,
    key: &str,
    since: Option<i64>,
) -> Result<ExitStatus> {
    let path = crate::keys::parse_path(key)?;
    // The document the key is in now narrows every render (all of them when it is gone).
    let document = crate::keys::document_at(root, "HEAD", env, &path);
    let mut values = crate::keys::ByTree::default();
    let mut changes: Vec<(Entry, crate::keys::KeyChange)> = Vec::new();
    let blobs = repo::history::Blobs::open(root)?;
    let environments = &config.repo.environments;
    repo::history::walk(root, &mut |commit| {
        if since.is_some_and(|s| commit.time < s) {
            return false;
        }
        let entry = history::entry(commit, environments);
        let may_change = entry.affects(env)
            && crate::keys::may_change(&entry.changed, environments, env, document.as_deref());
        // A commit that changed only layer files, none of them at the key, needs no render.
        let at_key = || match document.as_deref() {
            Some(document) if !entry.changed.iter().any(|p| p == crate::config::FILE_NAME) => {
                let files = crate::keys::layer_files(&entry.changed, environments, env, document);
                !crate::keys::layers_agree_at(
                    &blobs,
                    &entry.sha,
                    entry.parent.as_deref(),
                    &files,
                    &path,
                )
            }
            _ => true,
        };
        if !may_change || !at_key() {
            values.pass_on(entry.tree.as_deref(), entry.parent_tree.as_deref());
        } else if let Some(change) = crate::keys::change_in(
            root,
            entry.step(),
            env,
            document.as_deref(),
            &path,
            &mut values,
        ) {
            changes.push((entry, change));
        }
        args.max_count.is_none_or(|n| changes.len() < n)
    })?;
    let out = &ctx.output;
    if out.format == Format::Json {
        let rows: Vec<serde_json::Value> = changes
            .iter()
            .map(|(entry, change)| {
                let mut row = serde_json::to_value(entry).unwrap_or_default();
                row["old"] = json!(change.old);
                row["new"] = json!(change.new);
                row
            })
            .collect();
        let doc = json!({"version": 1, "command": "log", "environment": env, "key": key, "entries": rows});
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(ExitStatus::Success);
    }
    if changes.is_empty() {
        out.status(&format!("No commit changed `{key}` in {env}."));
        return Ok(ExitStatus::Success);
    }
    let show = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map_or("(absent)".to_string(), |v| truncate(&v.to_string(), 40))
    };
    let mut table = table(&["commit", "date", "kind", "author", "change", "summary"]);
    for (e, change) in &changes {
        table.add_row(vec![
            e.short().to_string(),
            e.date.clone(),
            e.kind.clone(),
            e.author.clone(),
            format!("{} → {}", show(&change.old), show(&change.new)),
            truncate(&e.subject, 50),
        ]);
    }
    out.result(&format!("{table}\n"))?;
    Ok(ExitStatus::Success)
}

pub fn run_status(_args: &StatusArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "status")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = load_config(&root)?;
    let mut entries = Vec::new();
    repo::history::walk(&root, &mut |commit| {
        let entry = history::entry(commit, &config.repo.environments);
        if !entry.environments.is_empty() {
            entries.push(entry);
        }
        true
    })?;
    let rows = history::status(&entries, &config.repo.environments, &mut |rev| {
        repo::history::since(&root, rev).ok().flatten()
    });
    let active = super::packs::active_by_env(&root, &config)?;
    let packs_of = |env: &str| -> Vec<crate::packs::activation::Active> {
        active
            .iter()
            .find(|(e, _)| e == env)
            .map(|(_, list)| list.clone())
            .unwrap_or_default()
    };
    let flag_stages = super::flags::stages_by_env(&root, &config.repo.environments)?;
    let rollout = super::flags::rollout_by_env(&root, &config)?;
    let rollout_of = |flag: &str, env: &str| {
        rollout
            .iter()
            .find(|(f, e, _)| f == flag && e == env)
            .map(|(_, _, cell)| cell)
    };
    let out = &ctx.output;
    if out.format == Format::Json {
        let mut rows = serde_json::to_value(&rows)?;
        for row in rows.as_array_mut().into_iter().flatten() {
            let env = row["environment"].as_str().unwrap_or_default().to_string();
            row["packs"] = serde_json::to_value(packs_of(&env))?;
        }
        let flags: Vec<_> = flag_stages
            .iter()
            .map(|(flag, cells)| {
                let stages: serde_json::Map<String, serde_json::Value> = cells
                    .iter()
                    .map(|(env, stage)| (env.clone(), json!(stage)))
                    .collect();
                let cells: serde_json::Map<String, serde_json::Value> = cells
                    .iter()
                    .filter_map(|(env, _)| Some((env.clone(), json!(rollout_of(flag, env)?))))
                    .collect();
                json!({ "flag": flag, "stages": stages, "rollout": cells })
            })
            .collect();
        let doc =
            json!({ "version": 1, "command": "status", "environments": rows, "flags": flags });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(ExitStatus::Success);
    }
    let mut table = table(&[
        "environment",
        "last change",
        "last promotion",
        "not yet promoted",
        "active packs",
    ]);
    for row in &rows {
        let last = row.last_change.as_ref().map_or("—".to_string(), |e| {
            format!(
                "{} {} {}\n{}",
                e.short(),
                e.date,
                e.author,
                truncate(&e.subject, 50)
            )
        });
        let promotion = row.last_promotion.as_ref().map_or("—".to_string(), |p| {
            let from = match (&p.from, &p.from_commit) {
                (Some(env), Some(sha)) => format!("from {env}@{}", &sha[..sha.len().min(7)]),
                (Some(env), None) => format!("from {env}"),
                _ => String::new(),
            };
            let undone = if p.rolled_back { " (rolled back)" } else { "" };
            format!("{} {}{undone}\n{from}", &p.sha[..7], p.date)
        });
        let behind = match (&row.source, row.behind) {
            (Some(source), Some(n)) => {
                format!("{n} commit{} in {source}", if n == 1 { "" } else { "s" })
            }
            _ => "—".to_string(),
        };
        let packs: Vec<String> = packs_of(&row.environment)
            .iter()
            .map(|a| format!("{}@{}", a.pack, a.version))
            .collect();
        table.add_row(vec![
            out.paint(styles::FILE, &row.environment),
            last,
            promotion,
            behind,
            if packs.is_empty() {
                "—".to_string()
            } else {
                packs.join("\n")
            },
        ]);
    }
    out.result(&format!("{table}\n"))?;
    if !flag_stages.is_empty() {
        // One row per flag, one column per environment: the rollout stage there.
        let envs = &config.repo.environments;
        let mut header = vec!["flag"];
        header.extend(envs.iter().map(String::as_str));
        let mut flags = self::table(&header);
        for (flag, cells) in &flag_stages {
            let mut row = vec![out.paint(styles::FILE, flag)];
            row.extend(envs.iter().map(|env| {
                cells
                    .iter()
                    .find(|(e, _)| e == env)
                    .map_or("—".to_string(), |(_, stage)| {
                        // The stage, its percentage and step, and when it last moved.
                        let Some(cell) = rollout_of(flag, env) else {
                            return stage.clone();
                        };
                        let mut text = stage.clone();
                        if let Some(p) = cell
                            .percent
                            .filter(|_| stage != "disabled" && stage != "full")
                        {
                            text.push_str(&format!(" {}%", crate::flags::stage::fmt_percent(p)));
                        }
                        if let (Some(n), Some(of)) = (cell.step, cell.steps) {
                            text.push_str(&format!(" (step {n}/{of})"));
                        }
                        if let Some(moved) = &cell.moved {
                            text.push_str(&format!("\nmoved {}", moved.date));
                        }
                        text
                    })
            }));
            flags.add_row(row);
        }
        out.result(&format!("{flags}\n"))?;
    }
    Ok(ExitStatus::Success)
}

/// Whether a repository path is `path` or lies under it (`""` is the whole repository).
fn is_under(changed: &str, path: &str) -> bool {
    path.is_empty()
        || changed == path
        || changed
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether any commit changed `path` or something under it.
fn ever_changed(root: &Path, path: &str) -> Result<bool> {
    let mut seen = false;
    repo::history::walk(root, &mut |commit| {
        seen = commit.changed.iter().any(|c| is_under(c, path));
        !seen
    })?;
    Ok(seen)
}

fn load_config(root: &Path) -> Result<Config> {
    config::read(&WorkTree::new(root), config::Presence::Required)
}

fn print_log(entries: &[Entry], ctx: &Context) -> Result<()> {
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({ "version": 1, "command": "log", "entries": entries });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(());
    }
    if entries.is_empty() {
        out.status("No configuration changes.");
        return Ok(());
    }
    let mut table = table(&["commit", "date", "kind", "environment", "author", "summary"]);
    for e in entries {
        let kind = match e.kind.as_str() {
            "edit" => e.kind.clone(),
            _ => out.paint(styles::WARNING, &e.kind),
        };
        let envs = e
            .environments
            .iter()
            .map(|x| {
                if x == history::ALL_ENVIRONMENTS {
                    "all"
                } else {
                    x.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        table.add_row(vec![
            e.short().to_string(),
            e.date.clone(),
            kind,
            envs,
            e.author.clone(),
            // The reason a write gave (--reason) says more than its generated subject.
            match e.trailer(crate::trailers::Key::Reason.as_str()) {
                Some(reason) => format!("{} — {}", truncate(&e.subject, 60), truncate(reason, 60)),
                None => truncate(&e.subject, 60),
            },
        ]);
    }
    out.result(&format!("{table}\n"))?;
    Ok(())
}

fn table(header: &[&str]) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(header.to_vec());
    table
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}
