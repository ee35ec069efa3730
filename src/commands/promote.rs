//! `cfgctl promote FROM TO [DOCUMENT…]`

use super::Context;
use super::rollback::blockers as result_blockers;
use crate::config::{self, Config, Presence};
use crate::document::{self, Format as DocFormat, Limits};
use crate::edit;
use crate::error::{CliError, ExitStatus};
use crate::history;
use crate::output::{Format, styles};
use crate::promote::{self, Action, DocAction, DocPlan, Source};
use crate::repo::rollback::{self as write, Step};
use crate::repo::{self, Source as _, WorkTree};
use crate::rules::is_secret_file;
use crate::secrets::keys::Keyring;
use anyhow::{Result, anyhow};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment to copy from
    pub from: String,

    /// The environment to copy to
    pub to: String,

    /// Only these documents (names inside the environment, e.g. database.yaml)
    #[arg(value_name = "DOCUMENT")]
    pub documents: Vec<String>,

    /// Edit the files and commit (without it, only the plan is shown)
    #[arg(long)]
    pub execute: bool,

    /// Allow promoting out of the [repo] environments order
    #[arg(long)]
    pub skip_order: bool,

    /// Record an approval as an Approved-by trailer ("Name <email>"); repeatable
    #[arg(long, value_name = "NAME <EMAIL>")]
    pub approved_by: Vec<String>,

    /// Promote inside a freeze window, recording why
    #[arg(long, value_name = "REASON")]
    pub emergency: Option<String>,

    /// Commit on a new branch for review instead of the current one
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "promote")?;
    let root = repo::find_root(&ctx.cwd)?;
    let tree = WorkTree::new(&root);
    let config = config::read(&tree, Presence::Required)?;
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

    let listing = tree.list()?.paths;
    // Secret files are promoted decrypted and written re-encrypted for the target's
    // recipients; one that cannot be decrypted here is left out, and said so.
    let ring = Keyring::load(&[])?;
    let (from_docs, mut from_secrets, mut skipped) =
        read_env(&tree, &listing, &args.from, &config, &ring)?;
    let (to_docs, mut to_secrets, to_skipped) =
        read_env(&tree, &listing, &args.to, &config, &ring)?;
    let mut from_docs = from_docs;
    for (path, reason) in to_skipped {
        let name = path[format!("environments/{}/", args.to).len()..].to_string();
        if from_docs.remove(&name).is_some() {
            from_secrets.remove(&name);
            skipped.push((path, reason));
        }
    }
    skipped.sort();
    let from_docs: BTreeMap<String, Source> = from_docs
        .into_iter()
        .filter(|(name, _)| args.documents.is_empty() || args.documents.contains(name))
        .collect();
    let was_skipped = |name: &str| {
        skipped
            .iter()
            .any(|(path, _)| path.ends_with(&format!("/{name}")))
    };
    if let Some(missing) = args
        .documents
        .iter()
        .find(|d| !from_docs.contains_key(*d) && !was_skipped(d))
    {
        return Err(CliError::new(anyhow!(
            "no document `{missing}` in environment `{}`",
            args.from
        ))
        .into());
    }
    let pinned = config.pinned();
    let to_dir = format!("environments/{}/", args.to);
    let mut plans = promote::plan(&from_docs, &to_docs, &to_dir, &pinned);
    // A new flag file goes to flags/, not into the environment's directory.
    for plan in &mut plans {
        if plan.document == FLAGS_DOCUMENT && plan.action == DocAction::Copy {
            let ext = from_docs[FLAGS_DOCUMENT]
                .path
                .rsplit_once('.')
                .map_or("json", |(_, ext)| ext);
            plan.file = format!("{}{}.flags.{ext}", crate::flags::FLAGS_DIR, args.to);
        }
    }

    // The new file contents; an edit that cannot be made safely is a blocker.
    let mut blockers: Vec<String> = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let rules = crate::secrets::rules::find(&root, None)
        .map(|f| crate::secrets::rules::CreationRules::load(&f))
        .transpose()?;
    for plan in plans.iter().filter(|p| p.action != DocAction::Unchanged) {
        let text = new_text(plan, &from_docs, &to_docs).and_then(|text| {
            if from_secrets.contains_key(&plan.document) {
                encrypt_for_target(
                    plan,
                    &text,
                    to_secrets.remove(&plan.document),
                    &root,
                    rules.as_ref(),
                )
            } else {
                Ok(text)
            }
        });
        match text {
            Ok(text) => files.push((plan.file.clone(), text.into_bytes())),
            Err(err) => blockers.push(format!("{}: {err:#}", plan.file)),
        }
    }

    // Policy and safety, all listed before refusing.
    if to_index != from_index + 1 && !args.skip_order {
        blockers.push(format!(
            "`{}` does not come right after `{}` in [repo] environments ({}); pass --skip-order to promote anyway",
            args.to,
            args.from,
            envs.join(" -> ")
        ));
    }
    blockers.extend(policy(&config, &args.to, args)?);
    let source_files: Vec<String> = from_docs.values().map(|s| s.path.clone()).collect();
    for path in write::dirty(&root, &source_files)? {
        blockers.push(format!(
            "{path} has uncommitted changes: commit them before promoting them"
        ));
    }
    let step = if files.is_empty() {
        None
    } else {
        let tree_oid = write::tree_with_files(&root, &files)?;
        let step = Step {
            undoes: String::new(),
            subject: String::new(),
            tree: tree_oid,
            changed: files.iter().map(|(p, _)| p.clone()).collect(),
        };
        // Uncommitted work in the target files, and an invalid result.
        blockers.extend(result_blockers(
            &root,
            &config,
            std::slice::from_ref(&step),
        )?);
        Some(step)
    };

    let moved: usize = plans
        .iter()
        .map(|p| {
            p.changes
                .iter()
                .filter(|c| c.action != Action::Pinned)
                .count()
        })
        .sum();
    let head = repo::open_git(&root)?
        .head()?
        .peel_to_commit()?
        .id()
        .to_string();
    let message = message(args, files.len(), moved, &head);
    if !args.execute || !blockers.is_empty() || step.is_none() {
        print(ctx, args, &plans, &skipped, &blockers, None)?;
        if !blockers.is_empty() {
            ctx.output.status("Nothing was changed.");
            return Ok(ExitStatus::Findings);
        }
        if step.is_none() {
            ctx.output.status(&format!(
                "Nothing to promote: {} already matches {}.",
                args.to, args.from
            ));
        } else {
            ctx.output.status("Dry run: pass --execute to commit.");
        }
        return Ok(ExitStatus::Success);
    }
    let step = step.expect("checked above");
    let commit = match &args.branch {
        Some(branch) => write::commit_to_new_branch(&root, branch, step.tree, &message)?,
        None => write::commit_steps(&root, &[(step, message)])?.remove(0),
    };
    print(ctx, args, &plans, &skipped, &[], Some(&commit))?;
    Ok(ExitStatus::Success)
}

/// The document name of an environment's flag file in promotion plans.
const FLAGS_DOCUMENT: &str = "flags";

/// An encrypted document, opened.
struct SecretDoc {
    file: crate::secrets::SecretFile,
    opened: crate::secrets::Opened,
}

/// The documents of one environment, and its feature flags as the document `flags`. Secret
/// files are decrypted (their `Source` holds the plaintext, in memory only); those that cannot
/// be are returned with the reason.
#[allow(clippy::type_complexity)]
fn read_env(
    tree: &WorkTree,
    listing: &[String],
    env: &str,
    config: &Config,
    ring: &Keyring,
) -> Result<(
    BTreeMap<String, Source>,
    BTreeMap<String, SecretDoc>,
    Vec<(String, String)>,
)> {
    let prefix = format!("environments/{env}/");
    let limits = Limits {
        max_bytes: config.repo.max_file_size,
        ..Limits::default()
    };
    let mut docs = BTreeMap::new();
    let mut secret_docs = BTreeMap::new();
    let mut skipped = Vec::new();
    for path in listing.iter().filter(|p| p.starts_with(&prefix)) {
        let Some(format) = DocFormat::from_path(path) else {
            continue;
        };
        let mut bytes = tree.read(path)?;
        if is_secret_file(path) || crate::secrets::looks_encrypted(&bytes) {
            let Some(file) = crate::secrets::read(path, &bytes)? else {
                skipped.push((
                    path.clone(),
                    "not encrypted: run `cfgctl secrets check`".into(),
                ));
                continue;
            };
            match crate::secrets::open(&file, ring) {
                Ok(opened) => {
                    bytes = opened.plaintext.as_bytes().to_vec();
                    secret_docs
                        .insert(path[prefix.len()..].to_string(), SecretDoc { file, opened });
                }
                Err(crate::secrets::OpenError::NoIdentity { .. }) => {
                    skipped.push((
                        path.clone(),
                        "no identity here can decrypt it; secret files move only re-encrypted"
                            .into(),
                    ));
                    continue;
                }
                Err(e) => return Err(anyhow!("{path}: {e}")),
            }
        }
        let parsed = document::parse(&bytes, format, &limits).map_err(|e| e.in_file(path))?;
        let root = parsed
            .roots
            .into_iter()
            .next()
            .ok_or_else(|| anyhow!("{path}: empty document"))?;
        let text = String::from_utf8(bytes).map_err(|_| anyhow!("{path}: not UTF-8"))?;
        docs.insert(
            path[prefix.len()..].to_string(),
            Source {
                path: path.clone(),
                text,
                root,
            },
        );
    }
    // The environment's feature flags (flags/ENV.flags.json) are one more document.
    if let Some(path) = crate::flags::file_of(listing, env) {
        let bytes = tree.read(path)?;
        let root = crate::flags::parse(path, &bytes)?;
        let text = String::from_utf8(bytes).map_err(|_| anyhow!("{path}: not UTF-8"))?;
        docs.insert(
            FLAGS_DOCUMENT.to_string(),
            Source {
                path: path.clone(),
                text,
                root,
            },
        );
    }
    Ok((docs, secret_docs, skipped))
}

/// Encrypts a promoted secret document for the target: with the target's data key and
/// recipients when it exists (unchanged values keep their ciphertext), else for the recipients
/// `.sops.yaml` names for the target path. The source's ciphertext is never copied.
fn encrypt_for_target(
    plan: &DocPlan,
    plaintext: &str,
    target: Option<SecretDoc>,
    root: &std::path::Path,
    rules: Option<&crate::secrets::rules::CreationRules>,
) -> Result<String> {
    use crate::secrets::{self, DataKey, SealOptions, Store};
    let store = Store::from_path(&plan.file);
    let now = secrets::now_rfc3339()?;
    if let Some(target) = target {
        return secrets::seal(
            store,
            plaintext,
            &SealOptions {
                key: target.opened.key.clone(),
                age: target.file.metadata.age.clone(),
                selector: target.file.metadata.selector.clone(),
                mac_only_encrypted: target.file.metadata.mac_only_encrypted,
                stash: Some(&target.opened.stash),
                now,
            },
        );
    }
    let rule = rules
        .and_then(|r| r.matching(&root.join(&plan.file)))
        .filter(|r| !r.recipients.is_empty())
        .ok_or_else(|| anyhow!("no .sops.yaml creation rule with age recipients matches it"))?;
    let key = DataKey::generate();
    secrets::seal(
        store,
        plaintext,
        &SealOptions {
            age: secrets::wrap_for(&key, &rule.recipients)?,
            key,
            selector: rule.selector.clone(),
            mac_only_encrypted: rule.mac_only_encrypted,
            stash: None,
            now,
        },
    )
}

/// The target file's new text: the source copied for a new document, else an in-place edit.
fn new_text(
    plan: &DocPlan,
    from: &BTreeMap<String, Source>,
    to: &BTreeMap<String, Source>,
) -> Result<String> {
    match plan.action {
        DocAction::Copy => Ok(from[&plan.document].text.clone()),
        _ => {
            let target = &to[&plan.document];
            let format = DocFormat::from_path(&target.path).unwrap_or(DocFormat::Yaml);
            let expected = plan
                .expected
                .as_ref()
                .expect("planned documents have an expected tree");
            edit::apply(&target.text, format, &plan.edits, expected)
        }
    }
}

/// `[promote.<TO>]`: freeze windows, required approvals, allowed approvers.
fn policy(config: &Config, to: &str, args: &Args) -> Result<Vec<String>> {
    let mut blockers = Vec::new();
    let Some(table) = config.promote.get(to).and_then(|v| v.as_table()) else {
        return Ok(blockers);
    };
    let now = crate::clock::now()?;
    for window in table
        .get("freeze")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let field = |key: &str| {
            window.get(key).and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_datetime().map(|d| d.to_string()))
            })
        };
        let (Some(from), Some(until)) = (field("from"), field("to")) else {
            return Err(anyhow!(
                "cfgctl.toml: a [promote.{to}] freeze window needs `from` and `to`"
            ));
        };
        let (Some(start), Some(end)) = (history::parse_date(&from), history::parse_date(&until))
        else {
            return Err(anyhow!(
                "cfgctl.toml: freeze window `{from}` .. `{until}` is not two dates"
            ));
        };
        if (start..end).contains(&now) && args.emergency.is_none() {
            let reason = field("reason").unwrap_or_else(|| "freeze".into());
            blockers.push(format!("{to} is frozen from {from} to {until} ({reason}); pass --emergency \"why\" to promote anyway"));
        }
    }
    let approvers: Option<Vec<String>> =
        table.get("approvers").and_then(|v| v.as_array()).map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        });
    let mut approvals: Vec<&String> = args.approved_by.iter().collect();
    approvals.sort();
    approvals.dedup();
    if let Some(allowed) = &approvers {
        for approval in &approvals {
            if !allowed.iter().any(|a| a == *approval) {
                blockers.push(format!("`{approval}` is not in [promote.{to}] approvers"));
            }
        }
    }
    if let Some(required) = table.get("approvals").and_then(|v| v.as_integer())
        && (approvals.len() as i64) < required
    {
        blockers.push(format!(
                "promotions into {to} need {required} approval{} (--approved-by \"Name <email>\"), {} given",
                if required == 1 { "" } else { "s" },
                approvals.len()
            ));
    }
    Ok(blockers)
}

fn message(args: &Args, files: usize, keys: usize, head: &str) -> String {
    let mut text = format!(
        "promote: {} -> {} ({files} file{}, {keys} key{})\n\nCfgctl-Action: promote\nCfgctl-From: {}@{}\nCfgctl-To: {}\n",
        args.from,
        args.to,
        if files == 1 { "" } else { "s" },
        if keys == 1 { "" } else { "s" },
        args.from,
        &head[..12],
        args.to
    );
    let mut approvals = args.approved_by.clone();
    approvals.sort();
    approvals.dedup();
    for approval in approvals {
        text.push_str(&format!("Approved-by: {approval}\n"));
    }
    if let Some(reason) = &args.emergency {
        text.push_str(&format!("Cfgctl-Emergency: {reason}\n"));
    }
    text
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
    blockers: &[String],
    commit: Option<&String>,
) -> Result<()> {
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({
            "version": 1, "command": "promote", "from": args.from, "to": args.to,
            "executed": commit.is_some(), "commit": commit, "branch": args.branch,
            "documents": masked_plans(plans), "skipped_secret_files": skipped.iter().map(|(file, reason)| json!({"file": file, "reason": reason})).collect::<Vec<_>>(), "blockers": blockers,
        });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(());
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
                for change in &plan.changes {
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
    out.result(&text)?;
    for blocker in blockers {
        out.status(&format!("blocked: {blocker}"));
    }
    if let Some(commit) = commit {
        let place = args
            .branch
            .as_deref()
            .map(|b| format!(" on branch {b}"))
            .unwrap_or_default();
        out.status(&format!(
            "Promoted {} to {}{place}: {}",
            args.from,
            args.to,
            &commit[..7]
        ));
    }
    Ok(())
}
