//! Commits and tags that honour Git's signing settings. libgit2 cannot sign, so when
//! `commit.gpgsign` or `tag.gpgsign` asks for it the object is made by the git CLI, which signs
//! with the user's own gpg, ssh or x509 setup (`gpg.format`, `user.signingkey`); otherwise
//! git2 writes it directly. Either way the author, committer and date are cfgctl's signature.

use anyhow::{Context as _, Result, anyhow, bail};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn config_flag(git: &git2::Repository, key: &str) -> bool {
    git.config().and_then(|c| c.get_bool(key)).unwrap_or(false)
}

/// Writes a commit object of `tree` with `parents` (signed when `commit.gpgsign` asks for it)
/// without moving any reference.
pub fn commit_object(
    git: &git2::Repository,
    sig: &git2::Signature<'_>,
    message: &str,
    tree: &git2::Tree<'_>,
    parents: &[&git2::Commit<'_>],
) -> Result<git2::Oid> {
    if !config_flag(git, "commit.gpgsign") {
        return Ok(git.commit(None, sig, sig, message, tree, parents)?);
    }
    let mut args = vec!["commit-tree".to_string(), tree.id().to_string()];
    for parent in parents {
        args.push("-p".into());
        args.push(parent.id().to_string());
    }
    args.extend(["-S".into(), "-F".into(), "-".into()]);
    let out =
        run_git(git, &args, sig, message).context("signing the commit (commit.gpgsign is set)")?;
    git2::Oid::from_str(out.trim()).map_err(|_| anyhow!("git commit-tree printed `{}`", out.trim()))
}

/// Writes a commit of `tree` with `parents` and moves HEAD's branch (or a detached HEAD) to it,
/// only if it still points to the first parent.
pub fn commit(
    git: &git2::Repository,
    sig: &git2::Signature<'_>,
    message: &str,
    tree: &git2::Tree<'_>,
    parents: &[&git2::Commit<'_>],
) -> Result<git2::Oid> {
    let oid = commit_object(git, sig, message, tree, parents)?;
    let reflog = format!("commit: {}", message.lines().next().unwrap_or_default());
    let head = git.find_reference("HEAD")?;
    match (head.symbolic_target()?, parents.first().map(|p| p.id())) {
        (Some(branch), Some(old)) => {
            git.reference_matching(branch, oid, true, old, &reflog)?;
        }
        (Some(branch), None) => {
            git.reference(branch, oid, false, &reflog)?;
        }
        (None, _) => git.set_head_detached(oid)?,
    }
    Ok(oid)
}

/// Creates an annotated tag `name` on `commit`, signed when `tag.gpgsign` asks for it. An
/// existing tag is never moved.
pub fn tag(
    git: &git2::Repository,
    name: &str,
    commit: &str,
    sig: &git2::Signature<'_>,
    message: &str,
) -> Result<()> {
    let object = git.revparse_single(commit)?;
    if git.find_reference(&format!("refs/tags/{name}")).is_ok() {
        bail!("tag `{name}` already exists and is never moved");
    }
    if !config_flag(git, "tag.gpgsign") {
        git.tag(name, &object, sig, message, false)
            .map_err(|e| anyhow!("creating tag `{name}`: {}", e.message()))?;
        return Ok(());
    }
    let args = [
        "tag".to_string(),
        "-s".into(),
        "-F".into(),
        "-".into(),
        name.to_string(),
        object.id().to_string(),
    ];
    run_git(git, &args, sig, message).context("signing the tag (tag.gpgsign is set)")?;
    Ok(())
}

/// Runs the git CLI in the repository with cfgctl's identity and `stdin` as input.
fn run_git(
    git: &git2::Repository,
    args: &[String],
    sig: &git2::Signature<'_>,
    stdin: &str,
) -> Result<String> {
    let dir: &Path = git.workdir().unwrap_or_else(|| git.path());
    let when = sig.when();
    let offset = when.offset_minutes();
    let date = format!(
        "@{} {}{:02}{:02}",
        when.seconds(),
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 60,
        offset.abs() % 60
    );
    let name = String::from_utf8_lossy(sig.name_bytes()).into_owned();
    let email = String::from_utf8_lossy(sig.email_bytes()).into_owned();
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", &name)
        .env("GIT_AUTHOR_EMAIL", &email)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_NAME", &name)
        .env("GIT_COMMITTER_EMAIL", &email)
        .env("GIT_COMMITTER_DATE", &date)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            crate::error::CliError::new(anyhow!("cannot run the git CLI to sign: {e}"))
                .with_hint("install git, or unset commit.gpgsign / tag.gpgsign for this repository")
        })?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "git {}: {}",
            args[0],
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
