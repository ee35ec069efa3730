//! Replacing files atomically, with nothing left where it could be committed.
//!
//! A file is written to a temporary file, synced, and renamed over its destination. The
//! temporary file lives in the Git directory (`<git-dir>/cfgctl/tmp/`), never in the work
//! tree: a crash between create and rename (SIGKILL, power loss) must not leave an untracked
//! copy, perhaps of plaintext, that `git add -A` would pick up. Temporary files are named
//! after the process that made them, and those of processes that are gone are removed the
//! next time a writer is opened. When the Git directory is on another file system (a rename
//! would not be atomic) or there is no repository, the temporary file goes next to the
//! destination, hidden and named `.cfgctl-tmp-*`, and stale ones there are removed on the next
//! write into that directory.
//!
//! No file is ever written through a symbolic link: a link at the destination, or a directory
//! on the way to it (below the writer's root) that is a link, is refused.

use anyhow::{Context as _, Result, anyhow, bail};
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// The prefix of temporary files next to their destination (outside a Git repository).
const SIBLING_PREFIX: &str = ".cfgctl-tmp-";

/// Writes files under one root (a repository, or a directory outside any) atomically.
#[derive(Debug, Clone)]
pub struct AtomicWriter {
    /// Paths below the root are checked for symbolic links component by component.
    root: PathBuf,
    /// The root as given (made absolute), for paths spelt through it.
    given: PathBuf,
    /// `<git-dir>/cfgctl/tmp`, when the root is inside a Git repository.
    tmp: Option<PathBuf>,
}

impl AtomicWriter {
    /// Opens a writer for files under `root` (created if missing) and removes temporary files
    /// that earlier runs left behind.
    pub fn new(root: &Path) -> Result<AtomicWriter> {
        let root =
            std::path::absolute(root).with_context(|| format!("resolving `{}`", root.display()))?;
        fs::create_dir_all(&root).with_context(|| format!("creating `{}`", root.display()))?;
        let given = root.clone();
        let root = root.canonicalize().unwrap_or(root);
        let tmp = git2::Repository::discover(&root)
            .ok()
            .map(|git| git.path().join("cfgctl").join("tmp"));
        if let Some(dir) = &tmp {
            remove_stale(dir, "");
        }
        Ok(AtomicWriter { root, given, tmp })
    }

    /// Where temporary files go when the destination is inside the root's Git repository.
    pub fn temp_dir(&self) -> Option<&Path> {
        self.tmp.as_deref()
    }

    /// Replaces `path` with `bytes`: a temporary file (mode 0600) written and synced, then
    /// renamed over `path`. Refuses a destination that is, or goes through, a symbolic link.
    /// A replaced file keeps its permissions; a new one stays private (0600), which is right
    /// for plaintext.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.write_inner(path, bytes, None)
    }

    /// [`AtomicWriter::write`] with the Unix permission bits `mode`, set before the rename so
    /// the file never exists without them (a Git hook that is not executable is skipped; a
    /// checked-out configuration file is 0644).
    pub fn write_with_mode(&self, path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
        self.write_inner(path, bytes, Some(mode))
    }

    fn write_inner(&self, path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
        let path =
            std::path::absolute(path).with_context(|| format!("resolving `{}`", path.display()))?;
        let dir = path
            .parent()
            .ok_or_else(|| anyhow!("`{}` is not a file path", path.display()))?;
        self.refuse_links(&path)?;
        fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
        // Creating directories may have followed a link made meanwhile; look again.
        self.refuse_links(&path)?;
        let mut file = match self.temp_dir_for(dir) {
            Some(tmp) => tempfile::Builder::new()
                .prefix(&format!("{}-", std::process::id()))
                .suffix(".tmp")
                .tempfile_in(tmp),
            None => {
                remove_stale(dir, SIBLING_PREFIX);
                tempfile::Builder::new()
                    .prefix(&format!("{SIBLING_PREFIX}{}-", std::process::id()))
                    .tempfile_in(dir)
            }
        }
        .with_context(|| format!("creating a temporary file for `{}`", path.display()))?;
        file.write_all(bytes)
            .and_then(|()| file.as_file().sync_all())
            .with_context(|| format!("writing `{}`", path.display()))?;
        match mode {
            #[cfg(unix)]
            Some(mode) => {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(file.path(), fs::Permissions::from_mode(mode))
                    .with_context(|| format!("setting the permissions of `{}`", path.display()))?;
            }
            #[cfg(not(unix))]
            Some(_) => {}
            None => {
                if let Ok(meta) = fs::metadata(&path) {
                    fs::set_permissions(file.path(), meta.permissions()).with_context(|| {
                        format!("keeping the permissions of `{}`", path.display())
                    })?;
                }
            }
        }
        file.persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("writing `{}`", path.display()))?;
        Ok(())
    }

    /// The Git directory's temporary folder, if it exists (or can be made) on the same file
    /// system as `dir`, so that the rename is atomic.
    fn temp_dir_for(&self, dir: &Path) -> Option<&Path> {
        let tmp = self.tmp.as_deref()?;
        fs::create_dir_all(tmp).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let here = fs::metadata(dir).ok()?.dev();
            let there = fs::metadata(tmp).ok()?.dev();
            if here != there {
                return None;
            }
        }
        Some(tmp)
    }

    /// Refuses a destination that is a symbolic link, or lies below a directory (between the
    /// root and it) that is one. [`AtomicWriter::write`] calls it; code that writes files some
    /// other way (a Git checkout) should call it for each path first.
    pub fn check_destination(&self, path: &Path) -> Result<()> {
        let path =
            std::path::absolute(path).with_context(|| format!("resolving `{}`", path.display()))?;
        self.refuse_links(&path)
    }

    /// Refuses a symbolic link at `path`, or at any directory between the root and `path`.
    fn refuse_links(&self, path: &Path) -> Result<()> {
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            bail!(
                "refusing to write `{}`: it is a symbolic link (to `{}`); cfgctl never writes through a link",
                path.display(),
                fs::read_link(path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_else(|_| "?".into())
            );
        }
        // The shallowest ancestor that is the root, however the path spells it (it may reach
        // the root through a link above it, such as /tmp on some systems).
        let base: PathBuf = if path.starts_with(&self.root) {
            self.root.clone()
        } else if path.starts_with(&self.given) {
            self.given.clone()
        } else {
            match path
                .ancestors()
                .skip(1)
                .filter(|a| a.canonicalize().is_ok_and(|c| c == self.root))
                .last()
            {
                Some(base) => base.to_path_buf(),
                None => return Ok(()),
            }
        };
        let base = base.as_path();
        let below = path.strip_prefix(base).unwrap_or(Path::new(""));
        let mut at = base.to_path_buf();
        let parents: Vec<Component<'_>> = below.components().collect();
        for component in parents.iter().take(parents.len().saturating_sub(1)) {
            match component {
                Component::Normal(name) => at.push(name),
                // `..` could climb out of the root: resolve it only after the check.
                _ => bail!(
                    "refusing to write `{}`: the path is not plain below `{}`",
                    path.display(),
                    base.display()
                ),
            }
            match fs::symlink_metadata(&at) {
                Ok(meta) if meta.file_type().is_symlink() => bail!(
                    "refusing to write `{}`: `{}` is a symbolic link; cfgctl never writes through a link",
                    path.display(),
                    at.strip_prefix(base).unwrap_or(&at).display()
                ),
                Ok(_) => {}
                // Missing directories are created plainly.
                Err(_) => break,
            }
        }
        Ok(())
    }
}

/// Writes one file atomically under `root` (see [`AtomicWriter`]).
pub fn write_atomic(root: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    AtomicWriter::new(root)?.write(path, bytes)
}

/// Replaces a file that cfgctl keeps for itself in the Git directory (a cache): a temporary
/// file in the same directory, renamed over it, so a reader sees the old file or the new one
/// and two writers each put a whole file in place (the last rename wins). Not synced: a cache
/// whose bytes did not reach the disk before a crash fails its own checksum and is rebuilt.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| anyhow!("`{}` is not a file path", path.display()))?;
    fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
    remove_stale(dir, "");
    let mut file = tempfile::Builder::new()
        .prefix(&format!("{}-", std::process::id()))
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file for `{}`", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing `{}`", path.display()))?;
    file.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("writing `{}`", path.display()))?;
    Ok(())
}

/// Removes the temporary files in `dir` whose names start with `prefix` and that belong to a
/// process that is gone. Best effort: a file that cannot be removed stays for the next run.
/// Once per directory and process: the files it looks for are left by processes that ended
/// before this one, and listing a directory of a thousand files for each of a thousand writes
/// into it made a bulk write quadratic.
fn remove_stale(dir: &Path, prefix: &str) {
    type Swept = std::sync::Mutex<std::collections::HashSet<(std::path::PathBuf, String)>>;
    static SWEPT: std::sync::LazyLock<Swept> = std::sync::LazyLock::new(Default::default);
    let first = SWEPT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert((dir.to_path_buf(), prefix.to_string()));
    if !first {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &entry) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether the process that made a temporary file may still be writing it: by `/proc` where
/// there is one, else by the file's age (a write takes seconds, not an hour).
fn process_alive(pid: u32, entry: &fs::DirEntry) -> bool {
    if Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age.as_secs() < 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git_init(dir: &Path) {
        git2::Repository::init(dir).unwrap();
    }

    /// A pid that is certainly not running: above the kernel's maximum.
    const DEAD_PID: u32 = 4_194_305;

    #[test]
    fn temporary_files_go_to_the_git_directory_and_stale_ones_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        git_init(dir.path());
        let tmp = dir.path().join(".git/cfgctl/tmp");
        fs::create_dir_all(&tmp).unwrap();
        let stale = tmp.join(format!("{DEAD_PID}-abc.tmp"));
        fs::write(&stale, "plaintext from a crash").unwrap();
        let writer = AtomicWriter::new(dir.path()).unwrap();
        assert!(!stale.exists(), "a stale temporary file was kept");
        assert_eq!(
            writer.temp_dir().unwrap(),
            dir.path().canonicalize().unwrap().join(".git/cfgctl/tmp")
        );
        writer
            .write(&dir.path().join("a/b.yaml"), b"x: 1\n")
            .unwrap();
        assert_eq!(fs::read(dir.path().join("a/b.yaml")).unwrap(), b"x: 1\n");
        let left: Vec<_> = fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(left.len(), 1, "only the file itself is in its directory");
        assert_eq!(fs::read_dir(&tmp).unwrap().count(), 0);
    }

    #[test]
    fn outside_git_the_temporary_file_is_a_hidden_sibling_cleaned_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let writer = AtomicWriter::new(dir.path()).unwrap();
        if writer.temp_dir().is_some() {
            // The system temporary directory is inside a Git repository: nothing to test.
            return;
        }
        let stale = dir.path().join(format!("{SIBLING_PREFIX}{DEAD_PID}-x"));
        let other = dir.path().join(".tmpKEEP");
        fs::write(&stale, "x").unwrap();
        fs::write(&other, "not ours").unwrap();
        writer.write(&dir.path().join("f.txt"), b"new").unwrap();
        assert!(!stale.exists());
        assert!(other.exists(), "a file cfgctl did not make was removed");
        assert_eq!(fs::read(dir.path().join("f.txt")).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn links_at_the_destination_or_on_the_way_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        git_init(dir.path());
        let target = outside.path().join("victim.yaml");
        fs::write(&target, "kept\n").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("link.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked-dir")).unwrap();
        let writer = AtomicWriter::new(dir.path()).unwrap();
        assert!(
            writer
                .check_destination(&dir.path().join("link.yaml"))
                .is_err()
        );
        assert!(
            writer
                .check_destination(&dir.path().join("new/file.yaml"))
                .is_ok()
        );
        let err = writer
            .write(&dir.path().join("link.yaml"), b"new\n")
            .unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err:#}");
        let err = writer
            .write(&dir.path().join("linked-dir/victim.yaml"), b"new\n")
            .unwrap_err();
        assert!(
            err.to_string().contains("`linked-dir` is a symbolic link"),
            "{err:#}"
        );
        assert_eq!(fs::read(&target).unwrap(), b"kept\n");
        // The same directory link, with the root itself spelt through a link above it.
        let alias = outside.path().join("alias");
        std::os::unix::fs::symlink(dir.path(), &alias).unwrap();
        let err = writer
            .write(&alias.join("linked-dir/victim.yaml"), b"new\n")
            .unwrap_err();
        assert!(
            err.to_string().contains("`linked-dir` is a symbolic link"),
            "{err:#}"
        );
        writer.write(&alias.join("plain.yaml"), b"ok\n").unwrap();
        assert_eq!(fs::read(dir.path().join("plain.yaml")).unwrap(), b"ok\n");
        assert_eq!(fs::read(&target).unwrap(), b"kept\n");
        assert!(
            fs::symlink_metadata(dir.path().join("link.yaml"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
