//! Preparing a promotion from the repository: reading both environments (secret files
//! decrypted in memory, the flag file as the document `flags`), planning, and computing the
//! new text of every target file (edited in place, secret files re-encrypted for the target).
//! The command adds the order of environments and hands the result to the change pipeline.

use super::{Action, DocAction, DocPlan, Source};
use crate::config::Config;
use crate::document::secret_key::is_secret_file;
use crate::document::{self, Format as DocFormat};
use crate::edit;
use crate::error::CliError;
use crate::secrets::keys::Keyring;
use anyhow::{Result, anyhow};
use std::collections::BTreeMap;
use std::path::Path;

/// What to promote.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// Only these documents (names inside the environment); empty means all.
    pub documents: &'a [String],
}

/// A promotion ready for the change pipeline.
#[derive(Debug)]
pub struct Prepared {
    pub plans: Vec<DocPlan>,
    /// The target files' new contents, repository-relative.
    pub files: Vec<(String, Vec<u8>)>,
    /// Secret files left out, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Edits that cannot be made safely.
    pub blockers: Vec<String>,
    /// The files the promotion reads from (they must be committed).
    pub source_files: Vec<String>,
    /// Key paths that change (pinned ones left out).
    pub moved: usize,
}

/// Reads both environments from `tree`, plans the promotion and computes the new files.
pub fn prepare(
    root: &Path,
    tree: &dyn crate::repo::Source,
    config: &Config,
    request: &Request<'_>,
) -> Result<Prepared> {
    let listing = tree.list()?.paths;
    // Secret files are promoted decrypted and written re-encrypted for the target's
    // recipients; one that cannot be decrypted here is left out, and said so.
    let ring = Keyring::load(&[])?;
    let (from_docs, mut from_secrets, mut skipped) =
        read_env(tree, &listing, request.from, config, &ring)?;
    let (to_docs, mut to_secrets, to_skipped) =
        read_env(tree, &listing, request.to, config, &ring)?;
    let mut from_docs = from_docs;
    for (path, reason) in to_skipped {
        let name = path[format!("environments/{}/", request.to).len()..].to_string();
        if from_docs.remove(&name).is_some() {
            from_secrets.remove(&name);
            skipped.push((path, reason));
        }
    }
    skipped.sort();
    let from_docs: BTreeMap<String, Source> = from_docs
        .into_iter()
        .filter(|(name, _)| request.documents.is_empty() || request.documents.contains(name))
        .collect();
    let was_skipped = |name: &str| {
        skipped
            .iter()
            .any(|(path, _)| path.ends_with(&format!("/{name}")))
    };
    if let Some(missing) = request
        .documents
        .iter()
        .find(|d| !from_docs.contains_key(*d) && !was_skipped(d))
    {
        return Err(CliError::new(anyhow!(
            "no document `{missing}` in environment `{}`",
            request.from
        ))
        .into());
    }
    let pinned = config.pinned();
    let to_dir = format!("environments/{}/", request.to);
    let mut plans = super::plan(&from_docs, &to_docs, &to_dir, pinned);
    // A new flag file goes to flags/, not into the environment's directory.
    for plan in &mut plans {
        if plan.document == FLAGS_DOCUMENT && plan.action == DocAction::Copy {
            let ext = from_docs[FLAGS_DOCUMENT]
                .path
                .rsplit_once('.')
                .map_or("json", |(_, ext)| ext);
            plan.file = format!("{}{}.flags.{ext}", crate::flags::FLAGS_DIR, request.to);
        }
    }

    // The new file contents; an edit that cannot be made safely is a blocker.
    let mut blockers: Vec<String> = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let rules = crate::secrets::rules::find(root, None)
        .map(|f| crate::secrets::rules::CreationRules::load(&f))
        .transpose()?;
    for plan in plans.iter().filter(|p| p.action != DocAction::Unchanged) {
        let text = new_text(plan, &from_docs, &to_docs).and_then(|text| {
            if from_secrets.contains_key(&plan.document) {
                encrypt_for_target(
                    plan,
                    &text,
                    to_secrets.remove(&plan.document),
                    root,
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

    let source_files: Vec<String> = from_docs.values().map(|s| s.path.clone()).collect();
    let moved: usize = plans
        .iter()
        .map(|p| {
            p.changes
                .iter()
                .filter(|c| c.action != Action::Pinned)
                .count()
        })
        .sum();
    Ok(Prepared {
        plans,
        files,
        skipped,
        blockers,
        source_files,
        moved,
    })
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
    tree: &dyn crate::repo::Source,
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
    let limits = config.parse_limits();
    let mut docs = BTreeMap::new();
    let mut secret_docs = BTreeMap::new();
    let mut skipped = Vec::new();
    // Pack activations belong to each environment: `packs activate` moves them, with their
    // own checks; a promotion does not carry them.
    let packs = crate::packs::activation::file_for(env);
    for path in listing
        .iter()
        .filter(|p| p.starts_with(&prefix) && **p != packs)
    {
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
