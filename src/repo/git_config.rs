//! The repository's own Git settings (`.git/config`), and Git's text merge: what
//! `cfgctl secrets git-setup` writes and what the merge driver falls back to.

use anyhow::{Context as _, Result, anyhow};
use std::path::Path;
use std::process::Command;

/// A value of the repository's local Git configuration, if it is set there.
pub fn local_config(root: &Path, key: &str) -> Result<Option<String>> {
    let git = super::open_git(root)?;
    let config = git
        .config()
        .and_then(|c| c.open_level(git2::ConfigLevel::Local))
        .context("reading the repository's Git configuration")?;
    match config.get_string(key) {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(anyhow!("reading `{key}` from the Git configuration: {e}")),
    }
}

/// Sets a value in the repository's local Git configuration.
pub fn set_local_config(root: &Path, key: &str, value: &str) -> Result<()> {
    let git = super::open_git(root)?;
    let mut config = git
        .config()
        .and_then(|c| c.open_level(git2::ConfigLevel::Local))
        .context("opening the repository's Git configuration")?;
    config
        .set_str(key, value)
        .with_context(|| format!("setting `{key}` in the Git configuration"))
}

/// Git's own line-based merge of three files (`git merge-file`), written into `ours` with
/// conflict markers where both sides changed the same lines; `true` when it merged cleanly.
pub fn merge_file_text(ours: &Path, base: &Path, theirs: &Path, label: &str) -> Result<bool> {
    let status = Command::new("git")
        .arg("merge-file")
        .args(["-L", &format!("{label} (ours)")])
        .args(["-L", &format!("{label} (base)")])
        .args(["-L", &format!("{label} (theirs)")])
        .arg(ours)
        .arg(base)
        .arg(theirs)
        .status()
        .context("cannot run `git merge-file`")?;
    match status.code() {
        Some(0) => Ok(true),
        // The number of conflicts, at most 127; an error is negative (255).
        Some(1..=127) => Ok(false),
        _ => Err(anyhow!("`git merge-file` failed ({status})")),
    }
}
