//! The configuration repository on disk and in Git — the only module that touches git2.
//!
//! A [`Source`] is a set of files to check: the working tree, the Git index (`--staged`) or a
//! revision's tree. Paths are repository-relative with `/` separators. Reading through a
//! source never follows a symlink out of the repository.

use anyhow::{Context, Result, anyhow, bail};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use atomic::{AtomicWriter, replace_file, write_atomic};
pub use content::ContentId;
pub use git_config::{local_config, merge_file_text, set_local_config};

mod atomic;
mod content;
mod git_config;
pub mod history;
mod index_file;
pub mod notes;
pub mod rollback;
pub mod signing;
mod staged;
pub mod tags;
pub mod transaction;

pub use transaction::{TreeId, WriteLock, unchanged_since};

/// The settings file whose directory is the repository root (`config` reads it).
pub const SETTINGS_FILE: &str = "cfgctl.toml";

/// Files that could be listed and the ones that could not (e.g. a non-UTF-8 name).
#[derive(Debug, Default)]
pub struct Listing {
    pub paths: Vec<String>,
    /// `(path as shown, problem)` for entries that cannot be checked.
    pub problems: Vec<(String, String)>,
}

/// Somewhere cfgctl reads configuration files from.
pub trait Source: Sync {
    /// Lists every regular file (ignored files excluded for the working tree).
    fn list(&self) -> Result<Listing>;
    /// Reads one file by repository path.
    fn read(&self, path: &str) -> Result<Vec<u8>>;
    /// Says what is being read, for messages (`working tree`, `index`, `HEAD~1`).
    fn describe(&self) -> String;
    /// Returns the Git blob id of a file's content when it is known without reading the file
    /// (`None`: read it and use [`ContentId::of_bytes`]).
    fn known_id(&self, _path: &str) -> Option<ContentId> {
        None
    }
}

/// Where cfgctl keeps caches for the repository around `root`:
/// `<git-common-dir>/cfgctl/cache` (shared by linked worktrees, never in the work tree).
pub fn cache_dir(root: &Path) -> Result<PathBuf> {
    Ok(cache_dir_of(&open_git(root)?))
}

fn cache_dir_of(git: &git2::Repository) -> PathBuf {
    git.commondir().join("cfgctl").join("cache")
}

/// Finds the repository root: the nearest directory at or above `start` holding
/// `cfgctl.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = start
        .canonicalize()
        .with_context(|| format!("cannot open directory `{}`", start.display()))?;
    for dir in start.ancestors() {
        if dir.join(SETTINGS_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    Err(crate::error::CliError::new(anyhow!(
        "not a cfgctl repository: no {} in `{}` or any parent directory",
        SETTINGS_FILE,
        start.display()
    ))
    .with_hint("run `cfgctl init DIR` to create one, or pass -C DIR")
    .into())
}

/// Opens the Git repository that contains `root` as Git itself would from there: the
/// variables Git exports to hooks and scripts are honoured (`GIT_DIR`, `GIT_WORK_TREE`,
/// `GIT_INDEX_FILE`, `GIT_COMMON_DIR`, `GIT_OBJECT_DIRECTORY`, `GIT_CONFIG_GLOBAL`, …), so "the
/// index" is the one Git is about to commit: `commit -a`, `commit PATH`, `--include` and
/// `--only` hand their hooks a temporary index. Relative values are relative to the
/// current directory, which is the top of the work tree when Git runs a hook.
pub fn open_git(root: &Path) -> Result<git2::Repository> {
    let git = open_env(root).map_err(|err| {
        crate::error::CliError::new(anyhow!(
            "`{}` is not inside a Git repository: {}",
            root.display(),
            err.message()
        ))
        .with_hint("run `git init` there, or use cfgctl init")
    })?;
    // GIT_DIR and GIT_WORK_TREE may name another repository than the one around `root`.
    if let Some(workdir) = git.workdir() {
        let workdir = workdir
            .canonicalize()
            .unwrap_or_else(|_| workdir.to_path_buf());
        let inside = root
            .canonicalize()
            .is_ok_and(|root| root.starts_with(&workdir));
        if !inside {
            let set: Vec<&str> = ["GIT_DIR", "GIT_WORK_TREE"]
                .into_iter()
                .filter(|v| std::env::var_os(v).is_some())
                .collect();
            let hint = if set.is_empty() {
                "run cfgctl inside the work tree of the repository that holds it".to_string()
            } else {
                format!(
                    "{} {} set for another repository: unset {} (a hook that works on another repository must)",
                    set.join(" and "),
                    if set.len() == 1 { "is" } else { "are" },
                    if set.len() == 1 { "it" } else { "them" }
                )
            };
            return Err(crate::error::CliError::new(anyhow!(
                "`{}` is outside the Git work tree `{}`",
                root.display(),
                workdir.display()
            ))
            .with_hint(hint)
            .into());
        }
    }
    Ok(git)
}

/// Finds the repository from `start` the way Git does, environment included: `GIT_DIR` names
/// it outright; otherwise the search goes up from `start` (stopping at
/// `GIT_CEILING_DIRECTORIES`).
fn open_env(start: &Path) -> std::result::Result<git2::Repository, git2::Error> {
    let git = if std::env::var_os("GIT_DIR").is_some() {
        git2::Repository::open_from_env()?
    } else {
        let ceiling: Vec<PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
            .map(|dirs| std::env::split_paths(&dirs).collect())
            .unwrap_or_default();
        git2::Repository::open_ext(start, git2::RepositoryOpenFlags::FROM_ENV, ceiling)?
    };
    // libgit2 takes a relative GIT_WORK_TREE from the Git directory; Git takes it from the
    // current directory (`git --work-tree=.` exports `GIT_WORK_TREE=.` to hooks).
    if let Some(tree) = std::env::var_os("GIT_WORK_TREE").map(PathBuf::from)
        && tree.is_relative()
        && let Ok(cwd) = std::env::current_dir()
    {
        git.set_workdir(&cwd.join(tree), false)?;
    }
    Ok(git)
}

/// The working tree under `root`, skipping `.git`, hidden directories and what Git ignores.
pub struct WorkTree {
    root: PathBuf,
    /// The index's stat data, read on the first [`Source::known_id`].
    index: std::sync::OnceLock<Option<content::IndexStat>>,
    /// The listing found a `.gitattributes` (Git may filter what it stores).
    attributes: std::sync::atomic::AtomicBool,
}

impl WorkTree {
    pub fn new(root: &Path) -> WorkTree {
        WorkTree {
            root: root.to_path_buf(),
            index: std::sync::OnceLock::new(),
            attributes: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl Source for WorkTree {
    fn list(&self) -> Result<Listing> {
        // Hidden directories are skipped, but dotfiles at the root (.sops.yaml) are listed.
        let walker = ignore::WalkBuilder::new(&self.root)
            .hidden(false)
            .filter_entry(|entry| {
                entry.depth() == 0
                    || !(entry.file_type().is_some_and(|t| t.is_dir())
                        && entry.file_name().to_string_lossy().starts_with('.'))
            })
            .git_global(false)
            .require_git(false)
            .parents(true)
            .build_parallel();
        let listing = Mutex::new(Listing::default());
        let failure: Mutex<Option<ignore::Error>> = Mutex::new(None);
        walker.run(|| {
            Box::new(|entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => {
                        *failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(err);
                        return ignore::WalkState::Quit;
                    }
                };
                if entry.file_type().is_none_or(|t| t.is_dir()) {
                    return ignore::WalkState::Continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&self.root)
                    .unwrap_or(entry.path());
                if entry.file_name() == ".gitattributes" {
                    self.attributes
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
                let mut listing = listing.lock().unwrap_or_else(|e| e.into_inner());
                match rel.to_str() {
                    Some(path) => listing.paths.push(path.replace('\\', "/")),
                    None => listing.problems.push((
                        rel.to_string_lossy().into_owned(),
                        "file name is not valid UTF-8".into(),
                    )),
                }
                ignore::WalkState::Continue
            })
        });
        if let Some(err) = failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(anyhow!(err).context(format!("listing `{}`", self.root.display())));
        }
        let mut listing = listing.into_inner().unwrap_or_else(|e| e.into_inner());
        listing.paths.sort();
        listing.problems.sort();
        Ok(listing)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let full = self.root.join(path);
        // One path lookup per file (thousands are read): the open refuses a symbolic link,
        // which is then checked below.
        #[cfg(unix)]
        {
            use std::io::Read;
            use std::os::unix::fs::OpenOptionsExt;
            let opened = fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&full);
            match opened {
                Ok(mut file) => {
                    let meta = file
                        .metadata()
                        .with_context(|| format!("reading `{path}`"))?;
                    // A regular file is read to the size one fstat gave, mostly in one call:
                    // the read that would only find its end is not made (Git reads files
                    // the same way). One that shrank meanwhile is read again to its end.
                    if meta.is_file() && meta.len() > 0 {
                        let mut bytes = vec![0; meta.len() as usize];
                        match file.read_exact(&mut bytes) {
                            Ok(()) => return Ok(bytes),
                            Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => {
                                use std::io::Seek;
                                file.seek(std::io::SeekFrom::Start(0))
                                    .with_context(|| format!("reading `{path}`"))?;
                            }
                            Err(err) => {
                                return Err(err).with_context(|| format!("reading `{path}`"));
                            }
                        }
                    }
                    let mut bytes = Vec::new();
                    file.read_to_end(&mut bytes)
                        .with_context(|| format!("reading `{path}`"))?;
                    return Ok(bytes);
                }
                Err(err) if err.raw_os_error() == Some(libc::ELOOP) => {}
                Err(err) => return Err(err).with_context(|| format!("reading `{path}`")),
            }
        }
        let meta = fs::symlink_metadata(&full).with_context(|| format!("reading `{path}`"))?;
        if meta.file_type().is_symlink() {
            let target = full
                .canonicalize()
                .with_context(|| format!("`{path}` is a broken symlink"))?;
            if !target.starts_with(&self.root) {
                bail!(
                    "`{path}` is a symlink to `{}`, outside the repository",
                    target.display()
                );
            }
        }
        fs::read(&full).with_context(|| format!("reading `{path}`"))
    }

    fn describe(&self) -> String {
        "working tree".into()
    }

    fn known_id(&self, path: &str) -> Option<ContentId> {
        if self.attributes.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        self.index
            .get_or_init(|| content::IndexStat::load(&self.root))
            .as_ref()?
            .blob_id(path)
    }
}

/// Blobs by path from the index or a tree; reads go through one locked repository handle.
pub struct GitSource {
    git: Mutex<git2::Repository>,
    /// The `.git` directory, for per-thread handles.
    git_dir: PathBuf,
    /// Path (relative to the cfgctl root) to blob id.
    blobs: BTreeMap<String, git2::Oid>,
    problems: Vec<(String, String)>,
    what: String,
    /// Where the cfgctl root is in the repository (`""` or `dir/`).
    prefix: String,
    /// The index file the listing was read from, when cfgctl read it itself.
    snapshot: Option<Vec<u8>>,
}

impl GitSource {
    /// The files as staged in the index Git means ([`open_git`]): what a commit would hold.
    pub fn index(root: &Path) -> Result<GitSource> {
        let git = open_git(root)?;
        let prefix = root_prefix(&git, root)?;
        let mut blobs = BTreeMap::new();
        let mut problems = Vec::new();
        let mut add = |path: &[u8], id: git2::Oid| match std::str::from_utf8(path) {
            Ok(path) => {
                if let Some(rel) = strip_prefix(path, &prefix) {
                    blobs.insert(rel.to_string(), id);
                }
            }
            Err(_) => problems.push((
                String::from_utf8_lossy(path).into_owned(),
                "file name is not valid UTF-8".into(),
            )),
        };
        let read = index_file::read(&git, |entry| {
            if entry.is_committed() {
                add(&entry.path, entry.id);
            }
        })?;
        Ok(GitSource {
            git_dir: git.path().to_path_buf(),
            git: Mutex::new(git),
            blobs,
            problems,
            what: "index".into(),
            prefix,
            snapshot: read.bytes,
        })
    }

    /// The cache directory of the repository ([`cache_dir`]).
    pub fn cache_dir(&self) -> PathBuf {
        cache_dir_of(&self.git.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// For a source made by [`GitSource::index`]: the paths (relative to the cfgctl root)
    /// whose staged content differs from `HEAD`, what a commit would change, sorted. Deleted
    /// files are left out (nothing to check). For `commit --amend` this is what the amend
    /// adds: the rest of the amended commit was checked when it was made.
    pub fn staged_changes(&self) -> Result<Vec<String>> {
        let git = self.git.lock().unwrap_or_else(|e| e.into_inner());
        // From the index file the listing was made from (or the index libgit2 keeps).
        staged::changes(&git, self.snapshot.as_deref(), &self.prefix)
    }

    /// The files of a revision's tree (`HEAD~2`, a tag, a commit id).
    pub fn revision(root: &Path, rev: &str) -> Result<GitSource> {
        let git = open_git(root)?;
        let prefix = root_prefix(&git, root)?;
        let mut blobs = BTreeMap::new();
        let mut problems = Vec::new();
        {
            let tree = resolve_tree(&git, rev)?;
            tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                if entry.kind() != Some(git2::ObjectType::Blob) {
                    return 0;
                }
                match std::str::from_utf8(entry.name_bytes()) {
                    Ok(name) => {
                        let path = format!("{dir}{name}");
                        if let Some(rel) = strip_prefix(&path, &prefix) {
                            blobs.insert(rel.to_string(), entry.id());
                        }
                    }
                    Err(_) => problems.push((
                        format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes())),
                        "file name is not valid UTF-8".into(),
                    )),
                }
                0
            })?;
        }
        Ok(GitSource {
            git_dir: git.path().to_path_buf(),
            git: Mutex::new(git),
            blobs,
            problems,
            what: rev.to_string(),
            prefix,
            snapshot: None,
        })
    }
}

impl Source for GitSource {
    fn list(&self) -> Result<Listing> {
        Ok(Listing {
            paths: self.blobs.keys().cloned().collect(),
            problems: self.problems.clone(),
        })
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let oid = self
            .blobs
            .get(path)
            .ok_or_else(|| anyhow!("`{path}` is not in the {}", self.what))?;
        // Each thread reads through its own handle, so blobs inflate on every core.
        thread_local! {
            static HANDLE: std::cell::RefCell<Option<(PathBuf, git2::Repository)>> =
                const { std::cell::RefCell::new(None) };
        }
        let read = |git: &git2::Repository| -> Result<Vec<u8>> {
            let blob = git
                .find_blob(*oid)
                .with_context(|| format!("reading `{path}` from the {}", self.what))?;
            Ok(blob.content().to_vec())
        };
        HANDLE.with(|cell| {
            let mut cell = cell.borrow_mut();
            let fresh = !matches!(&*cell, Some((dir, _)) if *dir == self.git_dir);
            if fresh {
                let flags =
                    git2::RepositoryOpenFlags::NO_SEARCH | git2::RepositoryOpenFlags::FROM_ENV;
                match git2::Repository::open_ext(&self.git_dir, flags, std::iter::empty::<&str>()) {
                    Ok(git) => *cell = Some((self.git_dir.clone(), git)),
                    // Fall back to the shared handle rather than fail.
                    Err(_) => return read(&self.git.lock().unwrap_or_else(|e| e.into_inner())),
                }
            }
            let (_, git) = cell.as_ref().expect("handle opened above");
            read(git)
        })
    }

    fn describe(&self) -> String {
        self.what.clone()
    }

    fn known_id(&self, path: &str) -> Option<ContentId> {
        self.blobs.get(path).copied().map(ContentId::from_oid)
    }
}

/// Reads the index Git means: `GIT_INDEX_FILE` when set (see [`open_git`]), else the
/// repository's own.
fn read_index(git: &git2::Repository) -> Result<git2::Index> {
    let what = match std::env::var_os("GIT_INDEX_FILE") {
        Some(file) => format!(
            "reading the Git index `{}` (GIT_INDEX_FILE)",
            file.to_string_lossy()
        ),
        None => "reading the Git index".to_string(),
    };
    git.index().map_err(|err| {
        // libgit2 cannot read a split index (core.splitIndex, the `link` extension).
        let split = err.message().contains("'link'");
        let mut error = crate::error::CliError::new(anyhow!("{what}: {}", err.message()));
        if split {
            error = error.with_hint(
                "cfgctl cannot read a split index: run `git config core.splitIndex false && git update-index --no-split-index`",
            );
        }
        error.into()
    })
}

/// Returns the tree a revision names, with a clear error for an unknown revision.
fn resolve_tree<'r>(git: &'r git2::Repository, rev: &str) -> Result<git2::Tree<'r>> {
    let object = git.revparse_single(rev).map_err(|err| {
        crate::error::CliError::new(anyhow!("unknown revision `{rev}`: {}", err.message()))
            .with_hint("use a commit id, a branch, a tag or an expression like HEAD~2")
    })?;
    object
        .peel_to_tree()
        .with_context(|| format!("`{rev}` does not name a commit or tree"))
}

/// The cfgctl root's path inside the Git work tree (`""` when they are the same).
pub(crate) fn root_prefix(git: &git2::Repository, root: &Path) -> Result<String> {
    let workdir = git
        .workdir()
        .ok_or_else(|| anyhow!("the Git repository has no working tree (bare repository)"))?;
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let rel = root.strip_prefix(&workdir).unwrap_or(Path::new(""));
    let rel = rel
        .to_str()
        .ok_or_else(|| anyhow!("repository path is not valid UTF-8"))?;
    Ok(if rel.is_empty() {
        String::new()
    } else {
        format!("{}/", rel.replace('\\', "/"))
    })
}

fn strip_prefix<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    path.strip_prefix(prefix)
}

/// Paths changed between `rev` and the working tree, untracked files included.
pub fn changes_since(root: &Path, rev: &str) -> Result<Vec<String>> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let tree = resolve_tree(&git, rev)?;
    let mut options = git2::DiffOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let diff = git.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))?;
    Ok(changed_paths(&diff, &prefix))
}

/// Paths changed from the tree of `from` to the tree of `to` (what pushing `to` over `from`
/// changes).
pub fn changes_between(root: &Path, from: &str, to: &str) -> Result<Vec<String>> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let old = resolve_tree(&git, from)?;
    let new = resolve_tree(&git, to)?;
    let diff = git.diff_tree_to_tree(Some(&old), Some(&new), None)?;
    Ok(changed_paths(&diff, &prefix))
}

fn changed_paths(diff: &git2::Diff<'_>, prefix: &str) -> Vec<String> {
    let mut paths: Vec<String> = diff
        .deltas()
        .filter(|d| d.status() != git2::Delta::Deleted)
        .filter_map(|d| {
            d.new_file()
                .path_bytes()
                .map(|p| String::from_utf8_lossy(p).into_owned())
        })
        .filter_map(|p| strip_prefix(&p, prefix).map(str::to_string))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Commits `paths` (relative to `dir`) in the Git repository that holds `dir`, creating one
/// in `dir` when there is none. Only those paths are staged: whatever else the user has in
/// the index or working tree stays as it was. Returns the new commit's id.
pub fn init_and_commit(dir: &Path, paths: &[&str], message: &str) -> Result<git2::Oid> {
    let dir = dir.canonicalize()?;
    let git = match git2::Repository::discover(&dir) {
        Ok(git) if git.workdir().is_some() => git,
        _ => {
            let branch = git2::Config::open_default()
                .and_then(|c| c.get_string("init.defaultBranch"))
                .unwrap_or_else(|_| "main".into());
            let mut options = git2::RepositoryInitOptions::new();
            options.initial_head(&branch);
            git2::Repository::init_opts(&dir, &options)
                .with_context(|| format!("creating a Git repository in `{}`", dir.display()))?
        }
    };
    let prefix = root_prefix(&git, &dir)?;
    let mut index = git.index()?;
    for path in paths {
        index
            .add_path(Path::new(&format!("{prefix}{path}")))
            .with_context(|| format!("staging `{path}`"))?;
    }
    index.write()?;
    let tree_id = index.write_tree()?;
    let tree = git.find_tree(tree_id)?;
    // A fresh machine may have no Git identity yet; the template commit must not fail on it.
    let signature = signature_or_fallback(&git)?;
    let parents: Vec<git2::Commit<'_>> = match git.head() {
        Ok(head) => vec![head.peel_to_commit()?],
        Err(_) => Vec::new(),
    };
    let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
    signing::commit(&git, &signature, message, &tree, &parent_refs)
}

/// The user's Git identity, as `git commit` would use it.
pub fn signature(git: &git2::Repository) -> Result<git2::Signature<'static>> {
    // libgit2 reads only the config; git itself lets the environment override the identity
    // and the date, and so does cfgctl.
    let configured = git.signature().ok();
    let name = std::env::var("GIT_AUTHOR_NAME").ok().or_else(|| {
        configured
            .as_ref()
            .and_then(|s| s.name().ok().map(str::to_string))
    });
    let email = std::env::var("GIT_AUTHOR_EMAIL").ok().or_else(|| {
        configured
            .as_ref()
            .and_then(|s| s.email().ok().map(str::to_string))
    });
    let (Some(name), Some(email)) = (name, email) else {
        return Err(crate::error::CliError::new(anyhow!("no Git identity: user.name and user.email are not set"))
            .with_hint("run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`")
            .into());
    };
    dated(&name, &email)
}

/// The user's Git identity, or `cfgctl <cfgctl@localhost>` on a machine that has none yet
/// (for commits that must not fail on it: the template, notes). Either way dated by
/// `GIT_AUTHOR_DATE` when it is set.
pub fn signature_or_fallback(git: &git2::Repository) -> Result<git2::Signature<'static>> {
    signature(git).or_else(|_| dated("cfgctl", "cfgctl@localhost"))
}

/// A signature dated `GIT_AUTHOR_DATE`, or now when it is unset, as git dates a commit.
fn dated(name: &str, email: &str) -> Result<git2::Signature<'static>> {
    match std::env::var("GIT_AUTHOR_DATE")
        .ok()
        .and_then(|d| git_date(&d))
    {
        Some(seconds) => Ok(git2::Signature::new(
            name,
            email,
            &git2::Time::new(seconds, 0),
        )?),
        None => Ok(git2::Signature::now(name, email)?),
    }
}

/// Parses the date forms scripts give git in `GIT_AUTHOR_DATE`: ISO 8601 (`2026-01-01T00:00:00Z`)
/// and git's internal `@1767225600 +0000` / `1767225600 +0000`.
fn git_date(text: &str) -> Option<i64> {
    let text = text.trim();
    let raw = text.strip_prefix('@').unwrap_or(text);
    if let Some(seconds) = raw
        .split_whitespace()
        .next()
        .and_then(|s| s.parse::<i64>().ok())
    {
        return Some(seconds);
    }
    crate::clock::parse_timestamp(text)
}

/// The full id of the commit `rev` names (`HEAD`, a branch, a tag, an abbreviated id).
pub fn commit_id(root: &Path, rev: &str) -> Result<String> {
    let git = open_git(root)?;
    let commit = git
        .revparse_single(rev)
        .and_then(|object| object.peel_to_commit())
        .with_context(|| format!("`{rev}` is not a commit"))?;
    Ok(commit.id().to_string())
}

/// A commit's subject line (empty when it has none or is not UTF-8).
pub(crate) fn subject(commit: &git2::Commit<'_>) -> String {
    commit
        .summary()
        .ok()
        .flatten()
        .unwrap_or_default()
        .to_string()
}

/// Where Git runs this repository's hooks from, and where the cfgctl root is in it.
#[derive(Debug, Clone)]
pub struct HookSite {
    /// The hooks directory: `core.hooksPath`, else `hooks` in the common Git directory (which
    /// every linked worktree shares).
    pub dir: PathBuf,
    /// `core.hooksPath` as configured, when it is.
    pub hooks_path: Option<String>,
    /// The top of the work tree: Git runs hooks there, and relative `core.hooksPath` values
    /// start there.
    pub work_tree: PathBuf,
    /// The cfgctl root relative to the top of the work tree (`""` at the top).
    pub root_in_work_tree: String,
}

/// Finds where Git looks for the hooks of the repository that holds `root`.
pub fn hook_site(root: &Path) -> Result<HookSite> {
    let git = open_git(root)?;
    let prefix = root_prefix(&git, root)?;
    let work_tree = git
        .workdir()
        .ok_or_else(|| anyhow!("the Git repository has no working tree (bare repository)"))?;
    let work_tree = work_tree
        .canonicalize()
        .unwrap_or_else(|_| work_tree.to_path_buf());
    let config = git.config().context("reading the Git configuration")?;
    let hooks_path = match config.get_entry("core.hooksPath") {
        Ok(entry) if entry.has_value() => Some(
            config
                .get_path("core.hooksPath")
                .context("reading core.hooksPath")?,
        ),
        _ => None,
    };
    let dir = match &hooks_path {
        Some(path) => work_tree.join(path),
        None => git.commondir().join("hooks"),
    };
    Ok(HookSite {
        dir,
        hooks_path: hooks_path.map(|p| p.to_string_lossy().into_owned()),
        work_tree,
        root_in_work_tree: prefix.trim_end_matches('/').to_string(),
    })
}

/// Whether Git tracks this path (a place plaintext must not be written to).
pub fn is_tracked(path: &Path) -> bool {
    let Ok(abs) = std::path::absolute(path) else {
        return false;
    };
    let Ok(git) = open_env(abs.parent().unwrap_or(Path::new("/"))) else {
        return false;
    };
    let Some(workdir) = git.workdir() else {
        return false;
    };
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let dir = abs
        .parent()
        .and_then(|d| d.canonicalize().ok())
        .unwrap_or_default();
    let Some(name) = abs.file_name() else {
        return false;
    };
    let Ok(rel) = dir.join(name).strip_prefix(&workdir).map(Path::to_path_buf) else {
        return false;
    };
    git.index()
        .is_ok_and(|index| index.get_path(&rel, 0).is_some())
}

/// The work tree of the Git repository that holds `dir`, if any.
pub fn work_tree_of(dir: &Path) -> Option<PathBuf> {
    open_env(dir)
        .ok()
        .and_then(|g| g.workdir().map(Path::to_path_buf))
}

/// Running the `git` CLI in unit tests: a second, independent writer of what cfgctl reads.
#[cfg(test)]
mod test_git {
    use std::path::Path;

    /// Runs `git ARGS` in `dir` without the user's configuration, as a fixed author; returns
    /// whether it succeeded.
    pub(super) fn succeeds(dir: &Path, args: &[&str]) -> bool {
        std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs")
            .status
            .success()
    }

    /// Runs `git ARGS` in `dir`, which must succeed.
    pub(super) fn git(dir: &Path, args: &[&str]) {
        assert!(
            succeeds(dir, args),
            "git {args:?} failed in {}",
            dir.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn work_tree_reads_files_and_links_inside_and_refuses_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("a/dir")).unwrap();
        fs::write(root.join("a/app.yaml"), "x: 1\n").unwrap();
        fs::write(root.join("a/empty.yaml"), "").unwrap();
        std::os::unix::fs::symlink("app.yaml", root.join("a/link.yaml")).unwrap();
        std::os::unix::fs::symlink("gone.yaml", root.join("a/broken.yaml")).unwrap();
        let outside = tempfile::NamedTempFile::new().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("a/out.yaml")).unwrap();
        let tree = WorkTree::new(&root);
        let error = |path: &str| format!("{:#}", tree.read(path).unwrap_err());

        assert_eq!(tree.read("a/app.yaml").unwrap(), b"x: 1\n");
        assert_eq!(tree.read("a/empty.yaml").unwrap(), b"");
        assert_eq!(tree.read("a/link.yaml").unwrap(), b"x: 1\n");
        assert!(error("a/broken.yaml").starts_with("`a/broken.yaml` is a broken symlink"));
        assert!(error("a/out.yaml").contains("outside the repository"));
        assert!(error("a/missing.yaml").starts_with("reading `a/missing.yaml`: "));
        assert!(error("a/dir").starts_with("reading `a/dir`: "));
    }
}
