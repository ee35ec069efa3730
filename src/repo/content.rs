//! Content ids: Git's blob id of a file's bytes, known without reading the file where Git
//! already knows it.
//!
//! A file in the index or in a tree has its blob id for free. A working-tree file has the blob
//! id of its index entry when the entry's stat data (size, modification and change times,
//! inode, owner) still match the file and the entry is not "racily clean" (modified in the
//! same instant the index was written), which is the test `git status` itself makes. Anything
//! else — a modified or untracked file, a path Git filters on the way in (`.gitattributes`,
//! `core.autocrlf`), a symbolic link — has no known id, and the bytes are hashed instead
//! ([`ContentId::of_bytes`]), which gives the same id Git would.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Git's blob id of a file's content (SHA-1 of `blob <len>\0<bytes>`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentId(pub [u8; 20]);

impl ContentId {
    /// Returns the blob id of these bytes, as `git hash-object` computes it.
    pub fn of_bytes(bytes: &[u8]) -> ContentId {
        match git2::Oid::hash_object(git2::ObjectType::Blob, bytes) {
            Ok(oid) => ContentId::from_oid(oid),
            // libgit2 hashes in memory; it cannot fail on a byte slice, but never panic.
            Err(_) => {
                use sha2::Digest as _;
                let digest = sha2::Sha256::digest(bytes);
                let mut id = [0u8; 20];
                id.copy_from_slice(&digest[..20]);
                ContentId(id)
            }
        }
    }

    pub(super) fn from_oid(oid: git2::Oid) -> ContentId {
        let mut id = [0u8; 20];
        id.copy_from_slice(oid.as_bytes());
        ContentId(id)
    }
}

impl fmt::Debug for ContentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// The index's stat data for the working tree under a cfgctl root.
pub(super) struct IndexStat {
    root: PathBuf,
    /// Repository path (relative to the cfgctl root) to what the index recorded.
    entries: HashMap<String, Recorded>,
    /// When the index file was written (seconds, nanoseconds): a file modified at or after
    /// this instant may have changed without its size or time telling.
    written: (i64, u32),
}

struct Recorded {
    id: git2::Oid,
    stat: super::index_file::Stat,
}

impl IndexStat {
    /// Reads the index of the Git repository around `root`; `None` when there is none, it
    /// cannot be read, or Git may filter files on their way into it (then the bytes Git
    /// stores are not the bytes in the working tree).
    pub(super) fn load(root: &Path) -> Option<IndexStat> {
        let git = super::open_git(root).ok()?;
        if filters_may_apply(&git, root) {
            return None;
        }
        let prefix = super::root_prefix(&git, root).ok()?;
        // Only plain, resolved entries of regular files that Git compares by stat data (not
        // assume-unchanged, not skip-worktree, not a `git add -N` placeholder). A tracked
        // `.gitattributes` means Git may filter files on their way in: no stat data then.
        const ASSUME_VALID: u16 = 0x8000;
        const SKIP_WORKTREE: u16 = 1 << 14;
        let mut entries = HashMap::new();
        let mut attributes = false;
        let read = super::index_file::read(&git, |entry| {
            if !entry.is_committed()
                || entry.flags & ASSUME_VALID != 0
                || entry.extended & SKIP_WORKTREE != 0
                || entry.mode & 0o170000 != 0o100000
            {
                return;
            }
            let Ok(path) = std::str::from_utf8(&entry.path) else {
                return;
            };
            attributes |= path == ".gitattributes" || path.ends_with("/.gitattributes");
            if let Some(rel) = path.strip_prefix(prefix.as_str()) {
                let recorded = Recorded {
                    id: entry.id,
                    stat: entry.stat,
                };
                entries.insert(rel.to_string(), recorded);
            }
        })
        .ok()?;
        if attributes {
            return None;
        }
        let written = std::fs::metadata(read.path?).ok().and_then(|m| mtime(&m))?;
        Some(IndexStat {
            root: root.to_path_buf(),
            entries,
            written,
        })
    }

    /// The blob id of a working-tree file whose stat data match its index entry.
    pub(super) fn blob_id(&self, path: &str) -> Option<ContentId> {
        let recorded = self.entries.get(path)?;
        let meta = std::fs::symlink_metadata(self.root.join(path)).ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        let modified = mtime(&meta)?;
        // Racily clean: written in the same instant as (or after) the index.
        if modified >= self.written {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let stat = &recorded.stat;
            let matches = meta.size() as u32 == stat.size
                && (modified.0 as u32, modified.1) == stat.mtime
                && (meta.ctime() as u32, meta.ctime_nsec() as u32) == stat.ctime
                && meta.ino() as u32 == stat.ino
                && meta.uid() == stat.uid
                && meta.gid() == stat.gid;
            matches.then(|| ContentId::from_oid(recorded.id))
        }
        #[cfg(not(unix))]
        {
            let _ = (recorded, modified);
            None
        }
    }
}

fn mtime(meta: &std::fs::Metadata) -> Option<(i64, u32)> {
    let since = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((since.as_secs() as i64, since.subsec_nanos()))
}

/// Whether Git may change a file's bytes on their way into the index (end-of-line conversion,
/// clean filters, `ident`, an encoding): any attributes file, or `core.autocrlf`/`core.eol`
/// set. Errs on the side of hashing.
fn filters_may_apply(git: &git2::Repository, root: &Path) -> bool {
    if git.path().join("info").join("attributes").exists()
        || git.commondir().join("info").join("attributes").exists()
    {
        return true;
    }
    if let Ok(config) = git.config() {
        for key in ["core.autocrlf", "core.eol", "core.attributesFile"] {
            if config.get_entry(key).is_ok_and(|e| e.has_value()) {
                return true;
            }
        }
    }
    // The default global attributes file, when core.attributesFile is not set.
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    if xdg.is_some_and(|dir| dir.join("git").join("attributes").exists()) {
        return true;
    }
    // A .gitattributes at the top of the work tree or the cfgctl root; one deeper that Git
    // tracks is seen in the index ([`IndexStat::load`]), one it does not in the listing
    // (`WorkTree::list`).
    let top = git.workdir().map(Path::to_path_buf);
    top.iter()
        .chain(std::iter::once(&root.to_path_buf()))
        .any(|dir| dir.join(".gitattributes").exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            format!("{:?}", ContentId::of_bytes(b"hello\n")),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        // `git hash-object /dev/null`
        assert_eq!(
            format!("{:?}", ContentId::of_bytes(b"")),
            "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
        );
    }
}
