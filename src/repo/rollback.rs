//! Undoing changes as new commits: reverting commits (a three-way merge of each commit's
//! parent onto the current tree, as `git revert` does) and restoring a set of files (an
//! environment's) to their state at a revision. Plans are computed in memory, so a conflict
//! leaves the index, the working tree and every ref exactly as they were.

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
    /// The trailers of the commit reverted (none for a restore to a revision).
    pub trailers: Vec<(String, String)>,
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
        let trailers = git2::message_trailers_strs(commit.message().unwrap_or_default())
            .map(|t| {
                t.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        steps.push(Step {
            undoes: commit.id().to_string(),
            subject: super::subject(&commit),
            tree: super::TreeId(tree.id()),
            changed,
            trailers,
        });
        current = tree;
    }
    Ok(Plan::Steps(steps))
}

/// Plans restoring the files `covers` selects (paths relative to the cfgctl root: a directory
/// and single files, say) to their content at `rev`: one step whose tree is HEAD's with every
/// selected file taken from `rev`, and every selected file that did not exist at `rev` removed.
/// `None` when that is HEAD's tree already.
pub fn plan_restore(root: &Path, covers: &dyn Fn(&str) -> bool, rev: &str) -> Result<Option<Step>> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let target = git
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| {
            crate::error::CliError::new(anyhow!("unknown revision `{rev}`: {}", e.message()))
                .with_hint("use a commit id, a branch, a tag or an expression like HEAD~2")
        })?;
    let head = git.head()?.peel_to_tree()?;
    let wanted = covered_files(&target.tree()?, &prefix, covers)?;
    let present = covered_files(&head, &prefix, covers)?;
    let mut update = git2::build::TreeUpdateBuilder::new();
    for (path, (oid, mode)) in &wanted {
        if present.get(path) != Some(&(*oid, *mode)) {
            update.upsert(format!("{prefix}{path}"), *oid, *mode);
        }
    }
    for path in present.keys().filter(|p| !wanted.contains_key(*p)) {
        update.remove(format!("{prefix}{path}"));
    }
    let tree = git.find_tree(update.create_updated(&git, &head)?)?;
    if tree.id() == head.id() {
        return Ok(None);
    }
    let changed = changed_between(&git, &head, &tree, &prefix)?;
    Ok(Some(Step {
        undoes: target.id().to_string(),
        subject: super::subject(&target),
        tree: super::TreeId(tree.id()),
        changed,
        trailers: Vec::new(),
    }))
}

/// The files of a tree (under the cfgctl root) that `covers` selects, by path relative to the
/// root, with their blob and mode.
fn covered_files(
    tree: &git2::Tree<'_>,
    prefix: &str,
    covers: &dyn Fn(&str) -> bool,
) -> Result<std::collections::BTreeMap<String, (git2::Oid, git2::FileMode)>> {
    let mut files = std::collections::BTreeMap::new();
    let mut failure = None;
    let walked = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Tree) {
            return git2::TreeWalkResult::Ok;
        }
        let full = match std::str::from_utf8(entry.name_bytes()) {
            Ok(name) => format!("{dir}{name}"),
            Err(_) => {
                // Only a name the restore would have to carry is a problem.
                let shown = format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes()));
                if shown.strip_prefix(prefix).is_some_and(covers) {
                    failure = Some(format!("`{shown}`: file name is not valid UTF-8"));
                    return git2::TreeWalkResult::Abort;
                }
                return git2::TreeWalkResult::Ok;
            }
        };
        if let Some(path) = full.strip_prefix(prefix)
            && covers(path)
        {
            let mode = match entry.filemode() {
                0o100755 => git2::FileMode::BlobExecutable,
                0o120000 => git2::FileMode::Link,
                0o160000 => git2::FileMode::Commit,
                _ => git2::FileMode::Blob,
            };
            files.insert(path.to_string(), (entry.id(), mode));
        }
        git2::TreeWalkResult::Ok
    });
    if let Some(problem) = failure {
        bail!("{problem}");
    }
    walked?;
    Ok(files)
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
