//! Git notes: text attached to a commit under a notes ref, kept in Git's own format (a commit
//! history on `refs/notes/NAME`, one blob per annotated commit), so `git notes --ref NAME
//! show COMMIT`, `git log --notes=NAME` and any clone that fetches the ref read the same. A
//! note is state about a commit that must not be a commit on the branch itself (guard's
//! readings and verdicts).

use super::open_git;
use anyhow::{Context, Result, anyhow};
use std::path::Path;

/// Reads the note on `commit` under `notes_ref`, if there is one.
pub fn read(root: &Path, notes_ref: &str, commit: &str) -> Result<Option<String>> {
    let git = open_git(root)?;
    let oid =
        git2::Oid::from_str(commit).with_context(|| format!("`{commit}` is not a commit id"))?;
    match git.find_note(Some(notes_ref), oid) {
        Ok(note) => match note.message() {
            Ok(text) => Ok(Some(text.to_string())),
            Err(_) => Err(anyhow!("the note on {commit} in {notes_ref} is not UTF-8")),
        },
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {notes_ref} for {commit}")),
    }
}

/// Writes (or replaces) the note on `commit` under `notes_ref`: one commit on the notes ref,
/// by the user's identity (as `git notes add -f` would make it). The branch, index and
/// working tree are not touched.
pub fn write(root: &Path, notes_ref: &str, commit: &str, text: &str) -> Result<()> {
    let git = open_git(root)?;
    let oid =
        git2::Oid::from_str(commit).with_context(|| format!("`{commit}` is not a commit id"))?;
    let signature = super::signature_or_fallback(&git)?;
    git.note(&signature, &signature, Some(notes_ref), oid, text, true)
        .with_context(|| format!("writing {notes_ref} for {commit}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_round_trips_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let git = git2::Repository::init(dir.path()).unwrap();
        let sig = git2::Signature::now("T", "t@example.com").unwrap();
        let tree = git.treebuilder(None).unwrap().write().unwrap();
        let tree = git.find_tree(tree).unwrap();
        let commit = git
            .commit(Some("HEAD"), &sig, &sig, "c", &tree, &[])
            .unwrap()
            .to_string();
        let r = "refs/notes/test";
        assert_eq!(read(dir.path(), r, &commit).unwrap(), None);
        write(dir.path(), r, &commit, "one\n").unwrap();
        write(dir.path(), r, &commit, "two\n").unwrap();
        assert_eq!(
            read(dir.path(), r, &commit).unwrap().as_deref(),
            Some("two\n")
        );
        // The branch did not move.
        assert_eq!(git.head().unwrap().target().unwrap().to_string(), commit);
    }
}
