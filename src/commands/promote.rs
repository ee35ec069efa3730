//! `cfgctl promote FROM TO [DOCUMENT…]`

use super::{Context, WriteArgs};
use crate::change::{self, Action as ChangeAction, Key, Message, Planned, Proposal};
use crate::config::{self, Presence};
use crate::document::secret_key::is_secret_file;
use crate::error::{CliError, ExitStatus};
use crate::output::{Format, styles};
use crate::promote::{self, Action, DocAction, DocPlan};
use crate::repo::{self, WorkTree};
use anyhow::{Result, anyhow};
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment to copy from
    pub from: String,

    /// The environment to copy to
    pub to: String,

    /// Only these documents (names inside the environment, e.g. database.yaml)
    #[arg(value_name = "DOCUMENT")]
    pub documents: Vec<String>,

    #[command(flatten)]
    pub write: WriteArgs,

    /// Allow promoting out of the [repo] environments order
    #[arg(long)]
    pub skip_order: bool,

    /// List every pinned key in the plan (by default they are counted per document)
    #[arg(long)]
    pub show_pinned: bool,

    /// Commit on a new branch for review instead of the current one
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "promote")?;
    let root = repo::find_root(&ctx.cwd)?;
    let tree = WorkTree::new(&root);
    let config = config::read(&tree, Presence::Required)?;
    let writer = change::begin(
        &root,
        args.write.execute,
        &format!("promote {} {}", args.from, args.to),
    )?;
    let envs = &config.repo.environments;
    let position = |env: &str| {
        envs.iter().position(|e| e == env).ok_or_else(|| {
            CliError::new(anyhow!("unknown environment `{env}`"))
                .with_hint(format!("environments: {}", envs.join(", ")))
        })
    };
    let (from_index, to_index) = (position(&args.from)?, position(&args.to)?);
    if from_index == to_index {
        return Err(CliError::new(anyhow!("cannot promote `{}` onto itself", args.from)).into());
    }

    let prepared = promote::prepare(
        &root,
        &tree,
        &config,
        &promote::Request {
            from: &args.from,
            to: &args.to,
            documents: &args.documents,
        },
    )?;
    let promote::Prepared {
        plans,
        files,
        skipped,
        mut blockers,
        source_files,
        moved,
    } = prepared;
    // The order of environments; policy, uncommitted work and validity come from the pipeline.
    if to_index != from_index + 1 && !args.skip_order {
        blockers.push(format!(
            "`{}` does not come right after `{}` in [repo] environments ({}); pass --skip-order to promote anyway",
            args.to,
            args.from,
            envs.join(" -> ")
        ));
    }
    for path in repo::transaction::dirty(&root, &source_files)? {
        blockers.push(format!(
            "{path} has uncommitted changes: commit them before promoting them"
        ));
    }
    let mut commits = Vec::new();
    if !files.is_empty() {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let message = Message::new(format!(
            "promote: {} -> {} ({} file{}, {moved} key{})",
            args.from,
            args.to,
            files.len(),
            plural(files.len()),
            plural(moved)
        ))
        .with(Key::From, format!("{}@{}", args.from, &writer.base()[..12]));
        commits.push(Planned {
            tree: writer.tree_with_files(&files)?,
            changed: files.iter().map(|(p, _)| p.clone()).collect(),
            message,
        });
    }
    let proposal = Proposal {
        action: ChangeAction::Promote,
        env: Some(args.to.clone()),
        commits,
        tag: None,
        branch: args.branch.clone(),
    };
    let outcome = change::finish(writer, &config, proposal, &args.write.options(), blockers)?;
    print(ctx, args, &plans, &skipped, &outcome)?;
    let place = args
        .branch
        .as_deref()
        .map(|b| format!(" on branch {b}"))
        .unwrap_or_default();
    let done = match outcome.commits.first() {
        Some(sha) => format!(
            "Promoted {} to {}{place}: {}",
            args.from,
            args.to,
            &sha[..7]
        ),
        None => String::new(),
    };
    Ok(super::finish_change(
        ctx,
        &outcome,
        &format!(
            "Nothing to promote: {} already matches {}.",
            args.to, args.from
        ),
        &done,
    ))
}
/// Plans as JSON, with the values of secret documents replaced by `<secret>`.
fn masked_plans(plans: &[DocPlan]) -> serde_json::Value {
    let mut value = serde_json::to_value(plans).unwrap_or_default();
    for (plan, json) in plans.iter().zip(value.as_array_mut().into_iter().flatten()) {
        if !is_secret_file(&plan.file) {
            continue;
        }
        for change in json["changes"].as_array_mut().into_iter().flatten() {
            for side in ["old", "new"] {
                if !change[side].is_null() {
                    change[side] = "<secret>".into();
                }
            }
        }
    }
    value
}

fn print(
    ctx: &Context,
    args: &Args,
    plans: &[DocPlan],
    skipped: &[(String, String)],
    outcome: &change::Outcome,
) -> Result<()> {
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({
            "version": 1, "command": "promote", "from": args.from, "to": args.to,
            "commit": outcome.commits.first(), "branch": args.branch,
            "documents": masked_plans(plans), "skipped_secret_files": skipped.iter().map(|(file, reason)| json!({"file": file, "reason": reason})).collect::<Vec<_>>(),
        });
        return super::print_change_json(ctx, doc, outcome);
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["document", "key", "action", "value"]);
    for plan in plans {
        let secret = is_secret_file(&plan.file);
        let show = |v: &Option<serde_json::Value>| match v {
            Some(_) if secret => "<secret>".to_string(),
            Some(v) => v.to_string(),
            None => "—".into(),
        };
        match plan.action {
            DocAction::Copy => {
                table.add_row(vec![
                    plan.document.clone(),
                    "(whole document)".into(),
                    out.paint(styles::OK, "added"),
                    plan.file.clone(),
                ]);
            }
            _ => {
                let mut pinned = 0;
                for change in &plan.changes {
                    if change.action == Action::Pinned && !args.show_pinned {
                        pinned += 1;
                        continue;
                    }
                    let (label, style) = match change.action {
                        Action::Promoted => ("promoted", styles::WARNING),
                        Action::Added => ("added", styles::OK),
                        Action::Removed => ("removed", styles::ERROR),
                        Action::Pinned => ("pinned", styles::DIM),
                    };
                    let value = match change.action {
                        Action::Pinned => format!("keeps {}", show(&change.old)),
                        Action::Removed => show(&change.old),
                        Action::Added => show(&change.new),
                        Action::Promoted => {
                            format!("{} → {}", show(&change.old), show(&change.new))
                        }
                    };
                    table.add_row(vec![
                        plan.document.clone(),
                        change.path.clone(),
                        out.paint(style, label),
                        value,
                    ]);
                }
                if pinned > 0 {
                    table.add_row(vec![
                        plan.document.clone(),
                        format!("({pinned} pinned, kept as they are)"),
                        out.paint(styles::DIM, "pinned"),
                        String::new(),
                    ]);
                }
                table.add_row(vec![
                    plan.document.clone(),
                    format!("({} unchanged)", plan.unchanged),
                    String::new(),
                    String::new(),
                ]);
            }
        }
    }
    let mut text = format!("promote {} -> {}\n{table}\n", args.from, args.to);
    for (path, reason) in skipped {
        text.push_str(&format!("not promoted: {path} ({reason})\n"));
    }
    out.plan(&text)?;
    Ok(())
}
