//! Reading the history of a configuration repository: which commits changed which files, who
//! made them, and the trailers cfgctl's own commits carry (`Cfgctl-Action`, `Cfgctl-From`, …).

use super::{open_git, root_prefix};
use anyhow::{Context, Result};
use std::path::Path;

/// One commit as the history commands need it.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub sha: String,
    /// Seconds since the epoch (UTC) and the author's offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    pub author: String,
    pub email: String,
    pub subject: String,
    /// Trailers in message order (`("Cfgctl-Action", "promote")`).
    pub trailers: Vec<(String, String)>,
    /// Paths (relative to the cfgctl root) that differ from the first parent.
    pub changed: Vec<String>,
}

impl CommitInfo {
    /// Returns the first trailer with this key (case-insensitive, as git compares them).
    pub fn trailer(&self, key: &str) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

/// Walks history from HEAD, newest first, and calls `visit` for each commit that changed
/// something under the cfgctl root; `visit` returns false to stop. Merge commits are compared
/// with their first parent.
pub fn walk(root: &Path, visit: &mut dyn FnMut(CommitInfo) -> bool) -> Result<()> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let mut revwalk = git.revwalk()?;
    if revwalk.push_head().is_err() {
        return Ok(()); // no commits yet
    }
    revwalk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
    let mut options = git2::DiffOptions::new();
    if !prefix.is_empty() {
        options.pathspec(&prefix);
    }
    for oid in revwalk {
        let commit = git.find_commit(oid?)?;
        let tree = commit.tree()?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree()?),
            Err(_) => None,
        };
        let diff = git
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))
            .with_context(|| {
                format!(
                    "comparing commit {oid:?} with its parent",
                    oid = commit.id()
                )
            })?;
        let mut changed: Vec<String> = Vec::new();
        for delta in diff.deltas() {
            for file in [delta.old_file(), delta.new_file()] {
                if let Some(path) = file.path_bytes() {
                    let path = String::from_utf8_lossy(path);
                    if let Some(rel) = path.strip_prefix(prefix.as_str())
                        && changed.last().map(String::as_str) != Some(rel)
                    {
                        changed.push(rel.to_string());
                    }
                }
            }
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        changed.dedup();
        let message = commit.message().unwrap_or_default().to_string();
        let trailers = git2::message_trailers_strs(&message)
            .map(|t| {
                t.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let author = commit.author();
        let info = CommitInfo {
            sha: commit.id().to_string(),
            time: author.when().seconds(),
            offset_minutes: author.when().offset_minutes(),
            author: author.name().unwrap_or_default().to_string(),
            email: author.email().unwrap_or_default().to_string(),
            subject: commit
                .summary()
                .ok()
                .flatten()
                .unwrap_or_default()
                .to_string(),
            trailers,
            changed,
        };
        if !visit(info) {
            break;
        }
    }
    Ok(())
}

/// Returns the commits reachable from HEAD but not from `base` (a revision), as full shas;
/// `None` when `base` does not resolve.
pub fn since(root: &Path, base: &str) -> Result<Option<std::collections::HashSet<String>>> {
    let git = open_git(root)?;
    let Ok(object) = git.revparse_single(base) else {
        return Ok(None);
    };
    let Ok(base) = object.peel_to_commit() else {
        return Ok(None);
    };
    let mut revwalk = git.revwalk()?;
    revwalk.push_head()?;
    revwalk.hide(base.id())?;
    Ok(Some(
        revwalk
            .filter_map(|oid| oid.ok().map(|o| o.to_string()))
            .collect(),
    ))
}
