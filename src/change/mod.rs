//! The change pipeline: every write into the repository (promote, rollback, guard, flag
//! stages, pack releases, activations and rollbacks) goes plan → policy → blockers → dry run
//! unless `--execute` → one transaction.
//!
//! A writer [`begin`]s (with `--execute` that takes the repository's write lock, so writers
//! queue instead of losing each other's updates, and notes the commit the plan is made on),
//! builds its [`Proposal`] from that commit, and hands it to [`finish`]. `finish` adds the
//! policy of every environment the change writes into, uncommitted work in the paths it
//! touches and an invalid result as blockers, writes the trailers, and — only when executing
//! with no blocker — commits through [`crate::repo::transaction`]. Commands print the
//! [`Outcome`]; nothing here prints.

pub mod policy;

use crate::config::Config;
use crate::environment::{Environments, Owner};
use crate::repo::transaction::{self, NewCommit, NewTag, Target};
use crate::repo::{GitSource, TreeId, WriteLock};
pub use crate::trailers::{Action, Key, Message};
use crate::validate;
use anyhow::{Result, anyhow};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A write in progress: where the plan is made, and the lock when executing.
#[derive(Debug)]
pub struct Writer {
    root: PathBuf,
    base: String,
    lock: Option<WriteLock>,
}

/// Starts a write. With `execute` it takes the write lock first (waiting for another writer,
/// and settling a write a killed process left), so the plan is made on the latest commit.
pub fn begin(root: &Path, execute: bool, what: &str) -> Result<Writer> {
    // A dry run takes no lock, unless a killed write must be settled first (its plan would
    // otherwise be made on a half-written state).
    let lock = if execute || crate::repo::transaction::interrupted(root) {
        Some(WriteLock::acquire(root, what)?)
    } else {
        None
    };
    Ok(Writer {
        root: root.to_path_buf(),
        base: transaction::head(root)?,
        lock,
    })
}

impl Writer {
    /// The commit the plan is made on.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The base commit's tree with `files` (paths relative to the cfgctl root) in place.
    pub fn tree_with_files(&self, files: &[(String, Vec<u8>)]) -> Result<TreeId> {
        transaction::tree_with_files(&self.root, &self.base, files)
    }

    /// What settling an interrupted earlier write did, if anything.
    pub fn recovered(&self) -> Option<&str> {
        self.lock.as_ref().and_then(|l| l.recovered.as_deref())
    }
}

/// One commit a writer proposes.
#[derive(Debug, Clone)]
pub struct Planned {
    pub tree: TreeId,
    /// Paths (relative to the cfgctl root) the commit changes.
    pub changed: Vec<String>,
    /// Subject, body and the writer's own trailers; the pipeline adds the common ones.
    pub message: Message,
}

/// What a writer proposes.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub action: Action,
    /// The environment the write is into (`Cfgctl-To`), when there is one; policy also applies
    /// to every environment whose files the commits change.
    pub env: Option<String>,
    pub commits: Vec<Planned>,
    /// An annotated tag on the last commit (pack releases).
    pub tag: Option<NewTag>,
    /// Commit on this new branch instead of the current one (`promote --branch`).
    pub branch: Option<String>,
}

/// What the user said about the write.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub execute: bool,
    /// "Name <email>" approvals (`--approved-by`).
    pub approvals: Vec<String>,
    /// Why a forward change may go through a freeze (`--emergency`).
    pub emergency: Option<String>,
    /// Why the change is made (`--reason`), recorded as `Cfgctl-Reason`.
    pub reason: Option<String>,
    /// The plan already includes uncommitted work in the paths it writes (`flags stage
    /// --force`).
    pub allow_dirty: bool,
    /// Leave out the check that the result validates (pack releases check their pack).
    pub skip_validation: bool,
    /// A restore that puts a forward change back (a rollback of a rollback): the policy
    /// treats it as the forward change it is (freezes, hours, approvals).
    pub reapplies: bool,
}

/// How a write ended.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Every reason the write did not land; empty when it did or could.
    pub blockers: Vec<String>,
    /// Policy exceptions the write used (also in its trailers).
    pub exceptions: Vec<String>,
    /// The full commit messages, in order.
    pub messages: Vec<String>,
    /// The new commit ids, when executed.
    pub commits: Vec<String>,
    pub executed: bool,
    /// What settling an interrupted earlier write did.
    pub recovered: Option<String>,
}

impl Outcome {
    /// Nothing to write: the proposal had no commit.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

/// Checks a proposal and, when executing and nothing blocks, commits it. `blockers` are the
/// writer's own (every one is listed before refusing).
pub fn finish(
    writer: Writer,
    config: &Config,
    proposal: Proposal,
    options: &Options,
    mut blockers: Vec<String>,
) -> Result<Outcome> {
    let mut outcome = Outcome {
        recovered: writer.recovered().map(str::to_string),
        ..Outcome::default()
    };
    let mut changed: Vec<String> = proposal
        .commits
        .iter()
        .flat_map(|c| c.changed.clone())
        .collect();
    changed.sort();
    changed.dedup();

    // Policy of every environment written into.
    let mut envs = environments_written(&changed, &config.repo.environments);
    envs.extend(proposal.env.clone());
    let request = policy::Request {
        action: proposal.action,
        restore: proposal.action.is_restore() && !options.reapplies,
        approvals: &options.approvals,
        emergency: options.emergency.as_deref(),
        now: crate::clock::now()?,
    };
    for env in &envs {
        let verdict = policy::check(env, config.policy(env), &request);
        blockers.extend(verdict.blockers);
        outcome.exceptions.extend(verdict.exceptions);
    }

    // Safety: uncommitted work in the paths written, and a result that does not validate.
    if !options.allow_dirty && proposal.branch.is_none() {
        for path in transaction::dirty(&writer.root, &changed)? {
            blockers.push(format!(
                "{path} has uncommitted changes: commit or stash them first"
            ));
        }
    }
    if !options.skip_validation
        && let Some(last) = proposal.commits.last()
    {
        blockers.extend(invalid_result(&writer.root, config, last.tree, &changed)?);
    }

    // The messages: the writer's own, then the common trailers.
    let mut approvals = options.approvals.clone();
    approvals.sort();
    approvals.dedup();
    let messages: Vec<String> = proposal
        .commits
        .iter()
        .map(|planned| {
            let mut message = planned.message.clone();
            let mut common = Message::default().with(Key::Action, proposal.action.as_str());
            if let Some(env) = &proposal.env {
                common.push(Key::To, env);
            }
            message.trailers.splice(0..0, common.trailers);
            for approval in &approvals {
                message.push(Key::ApprovedBy, approval);
            }
            if let Some(why) = &options.emergency {
                message.push(Key::Emergency, why);
            }
            if let Some(reason) = &options.reason {
                message.push(Key::Reason, reason);
            }
            for exception in &outcome.exceptions {
                message.push(Key::Policy, exception);
            }
            message.to_string()
        })
        .collect();
    outcome.messages = messages.clone();
    outcome.blockers = blockers;
    if !options.execute || !outcome.blockers.is_empty() || proposal.commits.is_empty() {
        return Ok(outcome);
    }

    let lock = writer
        .lock
        .as_ref()
        .filter(|_| options.execute)
        .ok_or_else(|| anyhow!("internal error: an executed write without the write lock"))?;
    let commits: Vec<NewCommit> = proposal
        .commits
        .iter()
        .zip(messages)
        .map(|(planned, message)| NewCommit {
            tree: planned.tree,
            message,
            changed: planned.changed.clone(),
        })
        .collect();
    let target = match &proposal.branch {
        Some(name) => Target::NewBranch(name),
        None => Target::Head,
    };
    outcome.commits = transaction::commit(
        lock,
        &writer.base,
        &commits,
        proposal.tag.as_ref(),
        target,
        transaction::Options {
            allow_dirty: options.allow_dirty,
        },
    )?;
    outcome.executed = true;
    Ok(outcome)
}

/// The environments whose configuration `paths` change: an environment's own files, and every
/// environment for a shared layer or the settings (see [`crate::environment`]). A change to
/// `.sops.yaml` re-keys secrets of every environment, so it counts for all of them too.
pub fn environments_written(paths: &[String], environments: &[String]) -> BTreeSet<String> {
    let model = Environments::new(environments);
    let mut out = BTreeSet::new();
    for path in paths {
        match model.owner(path) {
            Some(Owner::Env { env, .. }) if model.contains(env) => {
                out.insert(env.to_string());
            }
            Some(Owner::Shared(_)) => out.extend(environments.iter().cloned()),
            _ if path == ".sops.yaml" => out.extend(environments.iter().cloned()),
            _ => {}
        }
    }
    out
}

/// Error findings of validating the repository as it would be with `tree`, under the
/// `cfgctl.toml` of that tree when the write changes it (`env add` declares an environment).
fn invalid_result(
    root: &Path,
    config: &Config,
    tree: TreeId,
    changed: &[String],
) -> Result<Vec<String>> {
    let source = GitSource::revision(root, &tree.to_string())?;
    let new_config;
    let config = if changed.iter().any(|p| p == crate::config::FILE_NAME) {
        new_config = match crate::config::read(&source, crate::config::Presence::Required) {
            Ok(config) => config,
            Err(err) => return Ok(vec![format!("the result is invalid: {err:#}")]),
        };
        &new_config
    } else {
        config
    };
    Ok(validate::errors(config, &source, root)?
        .iter()
        .map(|f| {
            format!(
                "the result is invalid: {}:{}: {} [{}]",
                f.file, f.pos, f.message, f.rule
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_written_by_paths() {
        let envs: Vec<String> = ["development", "staging", "production"]
            .map(String::from)
            .to_vec();
        let of = |paths: &[&str]| {
            environments_written(
                &paths.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
                &envs,
            )
            .into_iter()
            .collect::<Vec<_>>()
        };
        assert_eq!(of(&["environments/staging/services.yaml"]), ["staging"]);
        assert_eq!(of(&["flags/production.flags.json"]), ["production"]);
        assert_eq!(of(&["environments/production/packs.yaml"]), ["production"]);
        assert_eq!(
            of(&["services/chat/production/services.yaml"]),
            ["production"]
        );
        assert_eq!(of(&["global/database.yaml"]).len(), 3);
        assert_eq!(of(&["services/chat/services.yaml"]).len(), 3);
        assert_eq!(of(&["cfgctl.toml"]).len(), 3);
        assert!(of(&["packs/prompt-injection/pack.yaml", "README.md"]).is_empty());
    }
}
