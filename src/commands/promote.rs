//! `cfgctl promote FROM TO [DOCUMENT…]`

use super::{Context, WriteArgs};
use crate::change::{self, Action as ChangeAction, Key, Message, Planned, Proposal};
use crate::config::{self, Config, Presence};
use crate::document::{self, Format as DocFormat, Limits};
use crate::edit;
use crate::error::{CliError, ExitStatus};
use crate::output::{Format, styles};
use crate::promote::{self, Action, DocAction, DocPlan, Source};
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
    let mut plans = promote::plan(&from_docs, &to_docs, &to_dir, pinned);
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

    // The order of environments; policy, uncommitted work and validity come from the pipeline.
    if to_index != from_index + 1 && !args.skip_order {
        blockers.push(format!(
            "`{}` does not come right after `{}` in [repo] environments ({}); pass --skip-order to promote anyway",
            args.to,
            args.from,
            envs.join(" -> ")
        ));
    }
    let source_files: Vec<String> = from_docs.values().map(|s| s.path.clone()).collect();
    for path in repo::transaction::dirty(&root, &source_files)? {
        blockers.push(format!(
            "{path} has uncommitted changes: commit them before promoting them"
        ));
    }
    let moved: usize = plans
        .iter()
        .map(|p| {
            p.changes
                .iter()
                .filter(|c| c.action != Action::Pinned)
                .count()
        })
        .sum();
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
