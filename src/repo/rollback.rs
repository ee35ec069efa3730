//! Undoing changes as new commits: reverting commits (a three-way merge of each commit's
//! parent onto the current tree, as `git revert` does) and restoring one directory to its
//! state at a revision. Plans are computed in memory, so a conflict leaves the index, the
//! working tree and every ref exactly as they were.

use super::{open_git, root_prefix};
use anyhow::{Result, anyhow, bail};
use std::path::Path;

/// One commit to be written.
#[derive(Debug, Clone)]
pub struct Step {
    /// The commit this step undoes (for `Cfgctl-Rollback-Of`).
    pub undoes: String,
    pub subject: String,
    /// The tree after this step.
    pub tree: super::TreeId,
    /// Paths (relative to the cfgctl root) this step changes.
    pub changed: Vec<String>,
}

/// What a rollback would do, or why it cannot.
#[derive(Debug, Clone)]
pub enum Plan {
    Steps(Vec<Step>),
    /// Reverting `sha` conflicts in these paths; nothing was touched.
    Conflict {
        sha: String,
        paths: Vec<String>,
    },
}

/// Plans reverting `revs` in the order given, each onto the result of the previous one.
pub fn plan_revert(root: &Path, revs: &[String]) -> Result<Plan> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let mut current = git.head()?.peel_to_tree()?;
    let mut steps = Vec::new();
    for rev in revs {
        let commit = git
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| anyhow!("unknown commit `{rev}`: {}", e.message()))?;
        if commit.parent_count() != 1 {
            bail!(
                "`{rev}` is {}: only commits with one parent can be reverted",
                if commit.parent_count() == 0 {
                    "the first commit"
                } else {
                    "a merge"
                }
            );
        }
        let parent = commit.parent(0)?;
        let mut index = git.merge_trees(&commit.tree()?, &current, &parent.tree()?, None)?;
        if index.has_conflicts() {
            let mut paths: Vec<String> = index
                .conflicts()?
                .filter_map(|c| c.ok())
                .filter_map(|c| c.our.or(c.their).or(c.ancestor))
                .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                .map(|p| p.strip_prefix(&prefix).map(str::to_string).unwrap_or(p))
                .collect();
            paths.sort();
            paths.dedup();
            return Ok(Plan::Conflict {
                sha: commit.id().to_string(),
                paths,
            });
        }
        let tree = git.find_tree(index.write_tree_to(&git)?)?;
        let changed = changed_between(&git, &current, &tree, &prefix)?;
        steps.push(Step {
            undoes: commit.id().to_string(),
            subject: super::subject(&commit),
            tree: super::TreeId(tree.id()),
            changed,
        });
        current = tree;
    }
    Ok(Plan::Steps(steps))
}

/// Plans restoring `dir` (relative to the cfgctl root) to its content at `rev`: one step
/// whose tree is HEAD's with that directory taken from `rev` (or removed if it did not exist).
pub fn plan_restore(root: &Path, dir: &str, rev: &str) -> Result<Option<Step>> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let target = git
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| anyhow!("unknown revision `{rev}`: {}", e.message()))?;
    let full = format!("{prefix}{}", dir.trim_end_matches('/'));
    let wanted = target
        .tree()?
        .get_path(Path::new(&full))
        .ok()
        .map(|e| e.id());
    let head = git.head()?.peel_to_tree()?;
    let components: Vec<&str> = full.split('/').collect();
    let tree = git.find_tree(replace_subtree(&git, Some(&head), &components, wanted)?)?;
    if tree.id() == head.id() {
        return Ok(None);
    }
    let changed = changed_between(&git, &head, &tree, &prefix)?;
    Ok(Some(Step {
        undoes: target.id().to_string(),
        subject: super::subject(&target),
        tree: super::TreeId(tree.id()),
        changed,
    }))
}

/// Returns `tree` with the entry at `path` set to the tree `replacement` (or removed).
fn replace_subtree(
    git: &git2::Repository,
    tree: Option<&git2::Tree<'_>>,
    path: &[&str],
    replacement: Option<git2::Oid>,
) -> Result<git2::Oid> {
    let mut builder = git.treebuilder(tree)?;
    let (name, rest) = path.split_first().expect("a non-empty path");
    if rest.is_empty() {
        match replacement {
            Some(oid) => {
                builder.insert(name, oid, 0o040000)?;
            }
            None => {
                if builder.get(name)?.is_some() {
                    builder.remove(name)?;
                }
            }
        }
    } else {
        let child = match tree.and_then(|t| t.get_name(name)) {
            Some(entry) if entry.kind() == Some(git2::ObjectType::Tree) => {
                Some(git.find_tree(entry.id())?)
            }
            _ => None,
        };
        let oid = replace_subtree(git, child.as_ref(), rest, replacement)?;
        if git.find_tree(oid)?.is_empty() {
            if builder.get(name)?.is_some() {
                builder.remove(name)?;
            }
        } else {
            builder.insert(name, oid, 0o040000)?;
        }
    }
    Ok(builder.write()?)
}

/// Paths that differ between two trees, relative to the cfgctl root.
fn changed_between(
    git: &git2::Repository,
    old: &git2::Tree<'_>,
    new: &git2::Tree<'_>,
    prefix: &str,
) -> Result<Vec<String>> {
    let diff = git.diff_tree_to_tree(Some(old), Some(new), None)?;
    let mut paths: Vec<String> = diff
        .deltas()
        .flat_map(|d| [d.old_file().path_bytes(), d.new_file().path_bytes()])
        .flatten()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .map(|p| p.strip_prefix(prefix).map(str::to_string).unwrap_or(p))
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}
