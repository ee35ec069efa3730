//! Writes as transactions. One cfgctl writer at a time holds the repository's write lock
//! (an OS file lock on `<git-common-dir>/cfgctl/lock`, released by the kernel if the process
//! dies). A transaction checks that the branch still points where the plan was made, writes
//! the commit objects, then the working tree files and the index of the changed paths, and
//! moves the branch last with a compare-and-swap; a release tag lands before the branch moves
//! and is removed again if it cannot.
//!
//! Before touching the working tree, a journal (`<git-dir>/cfgctl/transaction`) records the
//! old and new commits and the paths. If the process is killed part-way, the next writer finds
//! the journal and finishes the work when the branch already moved (roll forward) or puts the
//! files and index back when it did not (roll back); a file the user changed since is left
//! alone and named.

use super::{open_git, root_prefix, signature, signing};
use crate::error::CliError;
use anyhow::{Context as _, Result, anyhow, bail};
use std::fs::{self, File, OpenOptions};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A tree written to the object database, ready to be committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeId(pub(crate) git2::Oid);

impl std::fmt::Display for TreeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// How long a writer waits for another to finish, unless `CFGCTL_LOCK_WAIT` (seconds) says.
const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// The repository's write lock, held until dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    root: PathBuf,
    /// What an interrupted earlier write was found and how it was settled.
    pub recovered: Option<String>,
}

impl WriteLock {
    /// Takes the lock, waiting up to `CFGCTL_LOCK_WAIT` seconds (default 30) for another
    /// writer, then settles any write a killed process left half done.
    pub fn acquire(root: &Path, what: &str) -> Result<WriteLock> {
        let git = open_git(root)?;
        let dir = git.commondir().join("cfgctl");
        fs::create_dir_all(&dir).with_context(|| format!("creating `{}`", dir.display()))?;
        let path = dir.join("lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("opening the write lock `{}`", path.display()))?;
        let wait = std::env::var("CFGCTL_LOCK_WAIT")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map_or(DEFAULT_WAIT, Duration::from_secs_f64);
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    return Err(CliError::new(anyhow!(
                        "another cfgctl is writing to this repository ({}); waited {} s",
                        holder.trim(),
                        wait.as_secs()
                    ))
                    .with_hint(
                        "run again when it has finished, or raise CFGCTL_LOCK_WAIT (seconds)",
                    )
                    .into());
                }
                Err(fs::TryLockError::Error(err)) => {
                    return Err(anyhow!(err).context(format!("locking `{}`", path.display())));
                }
            }
        }
        file.set_len(0)?;
        file.rewind()?;
        write!(
            file,
            "pid {}, `{what}`, since {}",
            std::process::id(),
            crate::clock::format_rfc3339(crate::clock::now().unwrap_or_default())
        )?;
        let mut lock = WriteLock {
            _file: file,
            root: root.to_path_buf(),
            recovered: None,
        };
        lock.recovered = recover(root)?;
        Ok(lock)
    }
}

/// Refuses to write over `path` when it is no longer the `read` bytes (`None`: absent) that a
/// read-modify-write outside a commit (secrets set and edit, set) started from: another program
/// changed it meanwhile, and writing would silently undo that change.
pub fn unchanged_since(path: &Path, read: Option<&[u8]>, label: &str) -> Result<()> {
    let now = match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(anyhow!(err).context(format!("reading `{label}`"))),
    };
    if now.as_deref() == read {
        return Ok(());
    }
    Err(CliError::new(anyhow!(
        "{label} changed since it was read: nothing was written, so that change is not lost"
    ))
    .with_hint("run the command again on the new version")
    .into())
}

/// Whether a killed write left its journal (a dry run settles it before planning).
pub fn interrupted(root: &Path) -> bool {
    open_git(root).is_ok_and(|git| Journal::path(&git).exists())
}

/// One commit to write.
#[derive(Debug, Clone)]
pub struct NewCommit {
    pub tree: TreeId,
    pub message: String,
    /// Paths (relative to the cfgctl root) the commit changes.
    pub changed: Vec<String>,
}

/// An annotated tag on the last commit of a transaction.
#[derive(Debug, Clone)]
pub struct NewTag {
    pub name: String,
    pub message: String,
}

/// Where the commits go.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The current branch (or detached HEAD), with the working tree and index brought along.
    Head,
    /// A new branch for review; the current branch, index and working tree stay as they are.
    NewBranch(&'a str),
}

/// Options for [`commit`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The changed paths may hold uncommitted work that the plan already includes
    /// (`flags stage --force`); otherwise they must match the base commit exactly.
    pub allow_dirty: bool,
}

/// Writes `commits` (each on the previous, the first on `base`) and `tag` as one transaction
/// under `lock`. Returns the new commit ids.
pub fn commit(
    lock: &WriteLock,
    base: &str,
    commits: &[NewCommit],
    tag: Option<&NewTag>,
    target: Target<'_>,
    options: Options,
) -> Result<Vec<String>> {
    let root = lock.root.as_path();
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let base_commit = git.find_commit(git2::Oid::from_str(base)?)?;
    let head = git.head()?.peel_to_commit()?;
    if head.id() != base_commit.id() {
        return Err(branch_moved(base, &head.id().to_string()));
    }
    if let Some(tag) = tag
        && git
            .find_reference(&format!("refs/tags/{}", tag.name))
            .is_ok()
    {
        bail!("tag `{}` already exists and is never moved", tag.name);
    }

    // The commit objects: nothing visible changes yet.
    let sig = signature(&git)?;
    let mut shas = Vec::new();
    let mut parent = base_commit.clone();
    for new in commits {
        let tree = git.find_tree(new.tree.0)?;
        let oid = signing::commit_object(&git, &sig, &new.message, &tree, &[&parent])
            .context("writing the commit")?;
        parent = git.find_commit(oid)?;
        shas.push(oid);
    }
    let Some(&new_head) = shas.last() else {
        return Ok(Vec::new());
    };

    if let Target::NewBranch(name) = target {
        let refname = format!("refs/heads/{name}");
        if !git2::Reference::is_valid_name(&refname) {
            bail!("`{name}` is not a valid branch name");
        }
        if git.find_reference(&refname).is_ok() {
            return Err(CliError::new(anyhow!("branch `{name}` already exists"))
                .with_hint("pick another --branch name; cfgctl never moves an existing branch")
                .into());
        }
        git.reference(&refname, new_head, false, &reflog(&commits[0].message))?;
        return Ok(shas.iter().map(ToString::to_string).collect());
    }

    let mut paths: Vec<String> = commits.iter().flat_map(|c| c.changed.clone()).collect();
    paths.sort();
    paths.dedup();
    let full = |p: &str| format!("{prefix}{p}");
    let old_tree = base_commit.tree()?;
    let new_tree = parent.tree()?;
    let workdir = git
        .workdir()
        .ok_or_else(|| anyhow!("the Git repository has no working tree"))?
        .to_path_buf();
    let index_lock = git.path().join("index.lock");
    if index_lock.exists() {
        return Err(CliError::new(anyhow!(
            "the Git index is locked (`{}` exists): another git process is running; nothing was changed",
            index_lock.display()
        ))
        .with_hint("wait for it to finish, or remove the file if no git process is running")
        .into());
    }

    // Compare-and-swap on the files: each changed path must still be what the base commit has.
    if !options.allow_dirty {
        let index = git.index()?;
        let mut changed_since = Vec::new();
        for path in &paths {
            let expected = blob_at(&old_tree, &full(path));
            let on_disk = hash_file(&workdir.join(full(path)))?;
            let staged = index.get_path(Path::new(&full(path)), 0).map(|e| e.id);
            if on_disk != expected || staged != expected {
                changed_since.push(path.clone());
            }
        }
        if !changed_since.is_empty() {
            return Err(CliError::new(anyhow!(
                "uncommitted changes in {}: nothing was changed",
                changed_since.join(", ")
            ))
            .with_hint("commit or stash them, then run again")
            .into());
        }
    }

    let branch = git
        .find_reference("HEAD")?
        .symbolic_target()?
        .map(str::to_string);
    let journal = Journal {
        branch: branch.clone(),
        old: base_commit.id().to_string(),
        new: new_head.to_string(),
        tag: tag.map(|t| t.name.clone()),
        paths: paths.iter().map(|p| full(p)).collect(),
    };
    journal.write(&git)?;
    failpoint("journal");

    let result = (|| -> Result<()> {
        if let Some(tag) = tag {
            signing::tag(&git, &tag.name, &new_head.to_string(), &sig, &tag.message)?;
            failpoint("tag");
        }
        checkout_paths(&git, &workdir, &new_tree, &journal.paths)?;
        failpoint("files");
        let current = git.head()?.peel_to_commit()?.id();
        if current != base_commit.id() {
            return Err(branch_moved(base, &current.to_string()));
        }
        match &branch {
            Some(name) => {
                git.reference_matching(
                    name,
                    new_head,
                    true,
                    base_commit.id(),
                    &reflog(&commits[commits.len() - 1].message),
                )
                .map_err(|e| {
                    CliError::new(anyhow!("the branch moved while writing: {}", e.message()))
                        .with_hint("run again")
                })?;
            }
            None => git.set_head_detached(new_head)?,
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            failpoint("ref");
            Journal::remove(&git)?;
            Ok(shas.iter().map(ToString::to_string).collect())
        }
        Err(err) => {
            // Put everything back; the journal stays if even that fails, for the next run.
            if roll_back(&git, &workdir, &journal).is_ok() {
                Journal::remove(&git)?;
            }
            Err(err)
        }
    }
}

/// Stops the process dead at a named point of a transaction when `CFGCTL_FAILPOINT` names it,
/// as a kill would: the crash-recovery tests and `scripts/kill-writers.sh` use it. Points:
/// `journal` (before any file), `tag`, `files` (files and index written, branch not moved),
/// `ref` (branch moved, journal not yet removed).
fn failpoint(name: &str) {
    if std::env::var("CFGCTL_FAILPOINT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
}

fn branch_moved(base: &str, now: &str) -> anyhow::Error {
    CliError::new(anyhow!(
        "the branch moved since the plan was made (planned on {}, now at {}): nothing was changed",
        &base[..base.len().min(7)],
        &now[..now.len().min(7)]
    ))
    .with_hint("run again to plan on the new commit")
    .into()
}

fn reflog(message: &str) -> String {
    format!("cfgctl: {}", message.lines().next().unwrap_or_default())
}

/// The blob at `path` in `tree`, if it is a file there.
fn blob_at(tree: &git2::Tree<'_>, path: &str) -> Option<git2::Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
        .map(|e| e.id())
}

/// The blob id of a file in the working tree, `None` when it does not exist.
fn hash_file(path: &Path) -> Result<Option<git2::Oid>> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => Ok(Some(git2::Oid::hash_file(git2::ObjectType::Blob, path)?)),
        Ok(_) => bail!(
            "`{}` is not a regular file (a symlink or directory); cfgctl does not write through it",
            path.display()
        ),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(anyhow!(err).context(format!("reading `{}`", path.display()))),
    }
}

/// Makes the working tree files and index entries of `paths` (Git paths) match `tree`.
fn checkout_paths(
    git: &git2::Repository,
    workdir: &Path,
    tree: &git2::Tree<'_>,
    paths: &[String],
) -> Result<()> {
    let mut index = git.index()?;
    let writer = super::AtomicWriter::new(workdir)?;
    for path in paths {
        let file = workdir.join(path);
        // Never through a link, even one committed in the repository.
        writer.check_destination(&file)?;
        match tree.get_path(Path::new(path)) {
            Ok(entry) if entry.kind() == Some(git2::ObjectType::Blob) => {
                let blob = git.find_blob(entry.id())?;
                if hash_file(&file)? != Some(entry.id()) {
                    if fs::symlink_metadata(&file).is_ok() {
                        writer.write(&file, blob.content())?;
                    } else {
                        // A new file gets the mode Git would check it out with.
                        let mode = if entry.filemode() == 0o100755 {
                            0o755
                        } else {
                            0o644
                        };
                        writer.write_with_mode(&file, blob.content(), mode)?;
                    }
                }
                index
                    .add_path(Path::new(path))
                    .with_context(|| format!("staging `{path}`"))?;
            }
            _ => {
                if fs::symlink_metadata(&file).is_ok() {
                    fs::remove_file(&file).with_context(|| format!("removing `{path}`"))?;
                }
                if index.get_path(Path::new(path), 0).is_some() {
                    index.remove_path(Path::new(path))?;
                }
            }
        }
    }
    index.write().map_err(|e| {
        CliError::new(anyhow!("writing the Git index: {}", e.message()))
            .with_hint("another git process may hold index.lock; nothing was changed")
    })?;
    Ok(())
}

/// Puts the paths of an unfinished transaction back to the old commit, leaving alone any file
/// that is neither the old nor the new version (the user's work). Returns those files.
fn roll_back(git: &git2::Repository, workdir: &Path, journal: &Journal) -> Result<Vec<String>> {
    let old_tree = git
        .find_commit(git2::Oid::from_str(&journal.old)?)?
        .tree()?;
    let new_tree = git
        .find_commit(git2::Oid::from_str(&journal.new)?)?
        .tree()?;
    let (mine, theirs) = split_untouched(workdir, &old_tree, &new_tree, &journal.paths)?;
    checkout_paths(git, workdir, &old_tree, &mine)?;
    if let Some(tag) = &journal.tag
        && let Ok(mut reference) = git.find_reference(&format!("refs/tags/{tag}"))
        && reference.peel_to_commit().map(|c| c.id().to_string()).ok() == Some(journal.new.clone())
    {
        reference.delete()?;
    }
    Ok(theirs)
}

/// Splits `paths` into those whose file is the old or the new version (safe to rewrite) and
/// those changed by someone else since.
fn split_untouched(
    workdir: &Path,
    old: &git2::Tree<'_>,
    new: &git2::Tree<'_>,
    paths: &[String],
) -> Result<(Vec<String>, Vec<String>)> {
    let mut mine = Vec::new();
    let mut theirs = Vec::new();
    for path in paths {
        let on_disk = hash_file(&workdir.join(path)).unwrap_or(Some(git2::Oid::ZERO_SHA1));
        // A file cut short by a crash is neither version; absent counts as either side's.
        let cut_short = fs::metadata(workdir.join(path)).is_ok_and(|m| m.len() == 0);
        if on_disk == blob_at(old, path)
            || on_disk == blob_at(new, path)
            || on_disk.is_none()
            || cut_short
        {
            mine.push(path.clone());
        } else {
            theirs.push(path.clone());
        }
    }
    Ok((mine, theirs))
}

/// Settles a transaction a killed process left: see the module documentation.
fn recover(root: &Path) -> Result<Option<String>> {
    let git = open_git(root)?;
    let Some(journal) = Journal::read(&git)? else {
        return Ok(None);
    };
    let workdir = git
        .workdir()
        .ok_or_else(|| anyhow!("the Git repository has no working tree"))?
        .to_path_buf();
    let current = match &journal.branch {
        Some(name) => git.find_reference(name)?.peel_to_commit()?.id().to_string(),
        None => git.head()?.peel_to_commit()?.id().to_string(),
    };
    let short = |s: &str| s[..s.len().min(7)].to_string();
    let message = if current == journal.new {
        let new_tree = git
            .find_commit(git2::Oid::from_str(&journal.new)?)?
            .tree()?;
        let old_tree = git
            .find_commit(git2::Oid::from_str(&journal.old)?)?
            .tree()?;
        let (mine, theirs) = split_untouched(&workdir, &old_tree, &new_tree, &journal.paths)?;
        checkout_paths(&git, &workdir, &new_tree, &mine)?;
        let mut text = format!(
            "completed an interrupted write: the branch was at {}; its files and index are now up to date",
            short(&journal.new)
        );
        if let Some(tag) = &journal.tag
            && git.find_reference(&format!("refs/tags/{tag}")).is_err()
        {
            text.push_str(&format!(" (tag `{tag}` is missing: run the release again)"));
        }
        with_untouched(text, &theirs)
    } else if current == journal.old {
        let theirs = roll_back(&git, &workdir, &journal)?;
        with_untouched(
            format!(
                "rolled back an interrupted write of {}: the branch stayed at {}",
                short(&journal.new),
                short(&journal.old)
            ),
            &theirs,
        )
    } else {
        format!(
            "dropped the record of an interrupted write: the branch moved on to {}",
            short(&current)
        )
    };
    Journal::remove(&git)?;
    Ok(Some(message))
}

fn with_untouched(mut text: String, theirs: &[String]) -> String {
    if !theirs.is_empty() {
        text.push_str(&format!(
            "; left alone, changed since: {}",
            theirs.join(", ")
        ));
    }
    text
}

/// The record of a transaction in progress.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Journal {
    /// The branch HEAD pointed to (`None`: detached).
    branch: Option<String>,
    old: String,
    new: String,
    tag: Option<String>,
    /// Git paths (from the work tree's top).
    paths: Vec<String>,
}

impl Journal {
    fn path(git: &git2::Repository) -> PathBuf {
        git.path().join("cfgctl").join("transaction")
    }

    fn write(&self, git: &git2::Repository) -> Result<()> {
        let path = Journal::path(git);
        fs::create_dir_all(path.parent().expect("a parent"))?;
        let text = serde_json::to_vec(self)?;
        let tmp = path.with_extension("tmp");
        let mut file = File::create(&tmp)?;
        file.write_all(&text)?;
        file.sync_all()?;
        fs::rename(&tmp, &path)?;
        Ok(())
    }

    fn read(git: &git2::Repository) -> Result<Option<Journal>> {
        match fs::read(Journal::path(git)) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    fn remove(git: &git2::Repository) -> Result<()> {
        match fs::remove_file(Journal::path(git)) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err.into()),
            _ => Ok(()),
        }
    }
}

/// Paths among `paths` (relative to the cfgctl root) with uncommitted changes, staged or not.
pub fn dirty(root: &Path, paths: &[String]) -> Result<Vec<String>> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let mut options = git2::StatusOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let statuses = git.statuses(Some(&mut options))?;
    let wanted: std::collections::HashSet<String> =
        paths.iter().map(|p| format!("{prefix}{p}")).collect();
    let mut out: Vec<String> = statuses
        .iter()
        .filter(|s| s.status() != git2::Status::CURRENT && !s.status().is_ignored())
        .filter_map(|s| s.path().ok().map(str::to_string))
        .filter(|p| wanted.contains(p))
        .map(|p| p.strip_prefix(&prefix).map(str::to_string).unwrap_or(p))
        .collect();
    out.sort();
    Ok(out)
}

/// Writes `files` (paths relative to the cfgctl root) as blobs and returns the tree of commit
/// `base` with them in place, without touching the index or the working tree.
pub fn tree_with_files(root: &Path, base: &str, files: &[(String, Vec<u8>)]) -> Result<TreeId> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let tree = git.find_commit(git2::Oid::from_str(base)?)?.tree()?;
    let mut update = git2::build::TreeUpdateBuilder::new();
    for (path, bytes) in files {
        let blob = git.blob(bytes)?;
        update.upsert(format!("{prefix}{path}"), blob, git2::FileMode::Blob);
    }
    Ok(TreeId(update.create_updated(&git, &tree)?))
}

/// The commit HEAD points to.
pub fn head(root: &Path) -> Result<String> {
    let git = open_git(root)?;
    let head = git.head().map_err(|e| {
        CliError::new(anyhow!("the repository has no commit yet: {}", e.message()))
            .with_hint("commit the configuration first")
    })?;
    Ok(head.peel_to_commit()?.id().to_string())
}
