//! Annotated tags and single-file reads at a revision (attack pack releases).

use super::{open_git, root_prefix, signature};
use anyhow::{Context, Result};
use std::path::Path;

/// A tag as `packs list` and `verify` need it.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    /// The tag message (empty for a lightweight tag).
    pub message: String,
    pub annotated: bool,
    /// Tagger time (commit time for a lightweight tag), seconds since the epoch, and offset.
    pub time: i64,
    pub offset_minutes: i32,
    /// The commit the tag points at.
    pub commit: String,
}

/// Lists the tags whose name starts with `prefix` (e.g. `packs/`), sorted by name.
pub fn list(root: &Path, prefix: &str) -> Result<Vec<Tag>> {
    let git = open_git(root)?;
    let names = git.tag_names(Some(&format!("{prefix}*")))?;
    let mut tags = Vec::new();
    for name in names.iter().flatten().flatten() {
        if let Some(tag) = read(&git, name)? {
            tags.push(tag);
        }
    }
    tags.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(tags)
}

/// Returns one tag, or `None` when it does not exist.
pub fn find(root: &Path, name: &str) -> Result<Option<Tag>> {
    read(&open_git(root)?, name)
}

fn read(git: &git2::Repository, name: &str) -> Result<Option<Tag>> {
    let reference = match git.find_reference(&format!("refs/tags/{name}")) {
        Ok(r) => r,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading tag `{name}`")),
    };
    let commit = reference
        .peel_to_commit()
        .with_context(|| format!("tag `{name}` does not point at a commit"))?;
    Ok(Some(match reference.peel_to_tag() {
        Ok(tag) => {
            let when = tag.tagger().map(|s| s.when());
            Tag {
                name: name.to_string(),
                message: tag.message().ok().flatten().unwrap_or_default().to_string(),
                annotated: true,
                time: when.map_or(commit.time().seconds(), |w| w.seconds()),
                offset_minutes: when.map_or(commit.time().offset_minutes(), |w| w.offset_minutes()),
                commit: commit.id().to_string(),
            }
        }
        Err(_) => Tag {
            name: name.to_string(),
            message: String::new(),
            annotated: false,
            time: commit.time().seconds(),
            offset_minutes: commit.time().offset_minutes(),
            commit: commit.id().to_string(),
        },
    }))
}

/// Creates an annotated tag on `commit`, signed when `tag.gpgsign` asks for it. An existing
/// tag is never moved: that is an error.
pub fn create(root: &Path, name: &str, commit: &str, message: &str) -> Result<()> {
    let git = open_git(root)?;
    let sig = signature(&git)?;
    super::signing::tag(&git, name, commit, &sig, message)
}

/// Returns a file's bytes at a revision (path relative to the cfgctl root), or `None`.
pub fn read_at(root: &Path, rev: &str, path: &str) -> Result<Option<Vec<u8>>> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let tree = git.revparse_single(rev)?.peel_to_tree()?;
    let Ok(entry) = tree.get_path(Path::new(&format!("{prefix}{path}"))) else {
        return Ok(None);
    };
    let blob = git.find_blob(entry.id())?;
    Ok(Some(blob.content().to_vec()))
}

/// Paths under `dir` (relative to the cfgctl root) with uncommitted changes, untracked and
/// deleted files included.
pub fn dirty_under(root: &Path, dir: &str) -> Result<Vec<String>> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let mut options = git2::StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .pathspec(format!("{prefix}{dir}"));
    let statuses = git.statuses(Some(&mut options))?;
    let mut out: Vec<String> = statuses
        .iter()
        .filter(|s| s.status() != git2::Status::CURRENT && !s.status().is_ignored())
        .filter_map(|s| s.path().ok().map(str::to_string))
        .map(|p| p.strip_prefix(&prefix).map(str::to_string).unwrap_or(p))
        .collect();
    out.sort();
    Ok(out)
}
