//! Reading the history of a configuration repository: which commits changed which files, who
//! made them, and the trailers cfgctl's own commits carry (`Cfgctl-Action`, `Cfgctl-From`, …).

use super::{open_git, root_prefix};
use anyhow::Result;
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
    /// The id of the cfgctl root's tree in this commit and in its first parent (`None`: no
    /// parent, or the root did not exist there). Equal trees render equally.
    pub tree: Option<String>,
    pub parent_tree: Option<String>,
    /// The first parent's id.
    pub parent: Option<String>,
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
    // libgit2 re-hashes every object it reads unless told not to; git itself does not, and
    // on long histories the hashing was a tenth of the walk. Reads only: nothing is written.
    git2::opts::strict_hash_verification(false);
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let mut revwalk = git.revwalk()?;
    if revwalk.push_head().is_err() {
        return Ok(()); // no commits yet
    }
    revwalk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
    for oid in revwalk {
        let commit = git.find_commit(oid?)?;
        let tree = subtree(&git, &commit.tree()?, &prefix)?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => subtree(&git, &parent.tree()?, &prefix)?,
            Err(_) => None,
        };
        let mut changed: Vec<String> = Vec::new();
        if tree.as_ref().map(git2::Tree::id) != parent_tree.as_ref().map(git2::Tree::id) {
            changed_paths(&git, parent_tree.as_ref(), tree.as_ref(), "", &mut changed)?;
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
            subject: super::subject(&commit),
            trailers,
            changed,
            tree: tree.as_ref().map(|t| t.id().to_string()),
            parent_tree: parent_tree.as_ref().map(|t| t.id().to_string()),
            parent: commit.parent_id(0).ok().map(|id| id.to_string()),
        };
        if !visit(info) {
            break;
        }
    }
    Ok(())
}

/// Reads single files of commits with one open repository: for history walks that look at a
/// few files of many commits, where listing each commit's whole tree would cost more.
pub struct Blobs {
    git: git2::Repository,
    prefix: String,
}

impl Blobs {
    pub fn open(root: &Path) -> Result<Blobs> {
        git2::opts::strict_hash_verification(false);
        let git = open_git(root)?;
        let prefix = root_prefix(&git, root)?;
        Ok(Blobs { git, prefix })
    }

    /// The file at `path` (relative to the cfgctl root) in `commit` (a full id); `None` when
    /// it is not there.
    pub fn read(&self, commit: &str, path: &str) -> Result<Option<Vec<u8>>> {
        let commit = self.git.find_commit(git2::Oid::from_str(commit)?)?;
        let tree = commit.tree()?;
        let full = format!("{}{path}", self.prefix);
        let Ok(entry) = tree.get_path(Path::new(&full)) else {
            return Ok(None);
        };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Ok(None);
        }
        Ok(Some(self.git.find_blob(entry.id())?.content().to_vec()))
    }
}

/// Returns the tree at `prefix` (`""` for the root tree itself; `None` when it is missing).
fn subtree<'r>(
    git: &'r git2::Repository,
    root: &git2::Tree<'r>,
    prefix: &str,
) -> Result<Option<git2::Tree<'r>>> {
    if prefix.is_empty() {
        return Ok(Some(root.clone()));
    }
    match root.get_path(Path::new(prefix.trim_end_matches('/'))) {
        Ok(entry) => Ok(entry.to_object(git)?.into_tree().ok()),
        Err(_) => Ok(None),
    }
}

/// Collects the blob paths that differ between two trees, descending only into subtrees
/// whose ids differ (the diff API reloads the repository configuration on every call, which
/// dominated history walks).
fn changed_paths(
    git: &git2::Repository,
    old: Option<&git2::Tree<'_>>,
    new: Option<&git2::Tree<'_>>,
    dir: &str,
    out: &mut Vec<String>,
) -> Result<()> {
    type Side = Option<(git2::Oid, Option<git2::ObjectType>)>;
    let side = |entry: Option<git2::TreeEntry<'_>>| -> Side { entry.map(|e| (e.id(), e.kind())) };
    let mut visit = |name: &[u8], before: Side, after: Side| -> Result<()> {
        if before.map(|b| b.0) == after.map(|a| a.0) {
            return Ok(());
        }
        let path = format!("{dir}{}", String::from_utf8_lossy(name));
        let tree = |s: Side| -> Result<Option<git2::Tree<'_>>> {
            match s {
                Some((id, Some(git2::ObjectType::Tree))) => Ok(Some(git.find_tree(id)?)),
                _ => Ok(None),
            }
        };
        let (old_tree, new_tree) = (tree(before)?, tree(after)?);
        let is_blob = |s: Side| s.is_some_and(|(_, kind)| kind != Some(git2::ObjectType::Tree));
        if is_blob(before) || is_blob(after) {
            out.push(path.clone());
        }
        if old_tree.is_some() || new_tree.is_some() {
            changed_paths(
                git,
                old_tree.as_ref(),
                new_tree.as_ref(),
                &format!("{path}/"),
                out,
            )?;
        }
        Ok(())
    };
    if let Some(new) = new {
        for entry in new.iter() {
            let before = side(old.and_then(|o| o.get_name_bytes(entry.name_bytes())));
            visit(entry.name_bytes(), before, side(Some(entry.clone())))?;
        }
    }
    if let Some(old) = old {
        for entry in old.iter() {
            if new
                .and_then(|n| n.get_name_bytes(entry.name_bytes()))
                .is_none()
            {
                visit(entry.name_bytes(), side(Some(entry.clone())), None)?;
            }
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
