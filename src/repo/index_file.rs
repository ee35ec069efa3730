//! A reader for Git's index file (`.git/index`), for what libgit2 does not give: the
//! cache-tree extension, and a listing of the entries without libgit2's index (which hashes
//! the whole file with a collision-detecting SHA-1 and builds a map of every entry; Git
//! itself verifies the checksum only in `git fsck`).
//!
//! Versions 2 to 4 with SHA-1 object ids. Anything else — a split index (`link`), a sparse
//! one (`sdir`), an unknown required extension, a malformed file — reads as `None`, and the
//! caller uses libgit2.

use anyhow::Result;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

/// What [`read`] read the index from.
pub(super) struct Read {
    /// The index file, when known (libgit2 may hold an index only in memory).
    pub path: Option<PathBuf>,
    /// Its bytes, when this reader read them: the cache-tree can be read from them too.
    pub bytes: Option<Vec<u8>>,
}

/// Reads the index Git means and hands `each` every entry, in order: the repository's own
/// index with this reader; `GIT_INDEX_FILE`'s (which libgit2 read when it opened the
/// repository) and anything this reader declines with libgit2.
pub(super) fn read(git: &git2::Repository, mut each: impl FnMut(&Entry<'_>)) -> Result<Read> {
    if std::env::var_os("GIT_INDEX_FILE").is_none() {
        let path = git.path().join("index");
        if let Ok(bytes) = std::fs::read(&path)
            && let Some(file) = IndexFile::parse(&bytes)
        {
            file.entries.iter().for_each(&mut each);
            drop(file);
            return Ok(Read {
                path: Some(path),
                bytes: Some(bytes),
            });
        }
    }
    let index = super::read_index(git)?;
    for entry in index.iter() {
        each(&Entry::of(&entry));
    }
    Ok(Read {
        path: index.path().map(PathBuf::from),
        bytes: None,
    })
}

/// One index entry as the file records it (a version 4 index stores paths compressed, so
/// those are owned).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Entry<'a> {
    pub path: Cow<'a, [u8]>,
    pub id: git2::Oid,
    pub mode: u32,
    /// Assume-valid, extended, the stage (bits 12-13) and the name length.
    pub flags: u16,
    /// Version 3 and later: skip-worktree (bit 14) and intent-to-add (bit 13).
    pub extended: u16,
    /// The file's stat data when it was staged, which `git status` compares.
    pub stat: Stat,
}

/// The stat data an index entry records (each field truncated to 32 bits, as Git does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stat {
    pub ctime: (u32, u32),
    pub mtime: (u32, u32),
    pub ino: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u32,
}

impl Entry<'static> {
    /// An entry libgit2 read.
    pub fn of(entry: &git2::IndexEntry) -> Entry<'static> {
        Entry {
            path: Cow::Owned(entry.path.clone()),
            id: entry.id,
            mode: entry.mode,
            flags: entry.flags,
            extended: entry.flags_extended,
            stat: Stat {
                ctime: (entry.ctime.seconds() as u32, entry.ctime.nanoseconds()),
                mtime: (entry.mtime.seconds() as u32, entry.mtime.nanoseconds()),
                ino: entry.ino,
                uid: entry.uid,
                gid: entry.gid,
                size: entry.file_size,
            },
        }
    }
}

impl Entry<'_> {
    /// The merge stage (0 for a resolved entry, 1 to 3 for the sides of a conflict).
    pub fn stage(&self) -> u16 {
        (self.flags >> 12) & 0x3
    }

    /// A `git add -N` placeholder, which `git commit` leaves out.
    pub fn is_placeholder(&self) -> bool {
        const INTENT_TO_ADD: u16 = 1 << 13;
        self.extended & INTENT_TO_ADD != 0
    }

    /// Whether the entry goes into the next commit: a resolved entry that is not a
    /// placeholder.
    pub fn is_committed(&self) -> bool {
        self.stage() == 0 && !self.is_placeholder()
    }
}

/// What cfgctl reads of an index file: its entries in order and its cache-tree extension.
pub(super) struct IndexFile<'a> {
    pub entries: Vec<Entry<'a>>,
    /// The `TREE` extension's bytes, read on demand ([`IndexFile::valid_trees`]).
    cache_tree: Option<&'a [u8]>,
}

impl<'a> IndexFile<'a> {
    /// Reads index versions 2 to 4 (SHA-1); `None` for anything else or anything malformed.
    /// The trailing checksum is not verified, as Git verifies it only in `git fsck`.
    pub fn parse(bytes: &'a [u8]) -> Option<IndexFile<'a>> {
        const FIXED: usize = 62; // stat data (40), object id (20), flags (2)
        const EXTENDED: u16 = 0x4000;
        if bytes.len() < 12 + 20 || &bytes[..4] != b"DIRC" {
            return None;
        }
        let be32 = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
        };
        let version = be32(4)?;
        if !(2..=4).contains(&version) {
            return None;
        }
        let count = be32(8)? as usize;
        let end = bytes.len() - 20; // the trailing checksum
        let mut at = 12;
        let mut entries = Vec::with_capacity(count.min(end / FIXED));
        let mut previous: Vec<u8> = Vec::new();
        for _ in 0..count {
            let fixed = bytes.get(at..at + FIXED)?;
            let word =
                |i: usize| u32::from_be_bytes([fixed[i], fixed[i + 1], fixed[i + 2], fixed[i + 3]]);
            let stat = Stat {
                ctime: (word(0), word(4)),
                mtime: (word(8), word(12)),
                ino: word(20),
                uid: word(28),
                gid: word(32),
                size: word(36),
            };
            let mode = word(24);
            let id = git2::Oid::from_bytes(&fixed[40..60]).ok()?;
            let flags = u16::from_be_bytes(fixed[60..62].try_into().ok()?);
            let mut cursor = at + FIXED;
            let mut extended = 0;
            if flags & EXTENDED != 0 {
                if version < 3 {
                    return None;
                }
                extended = u16::from_be_bytes(bytes.get(cursor..cursor + 2)?.try_into().ok()?);
                cursor += 2;
            }
            let rest = bytes.get(cursor..end)?;
            let path = if version == 4 {
                // "Drop N bytes of the previous path, then append this NUL-terminated suffix."
                let (drop, used) = varint(rest)?;
                let suffix_len = rest.get(used..)?.iter().position(|&b| b == 0)?;
                previous.truncate(previous.len().checked_sub(drop)?);
                previous.extend_from_slice(&rest[used..used + suffix_len]);
                at = cursor + used + suffix_len + 1;
                Cow::Owned(previous.clone())
            } else {
                let path_len = rest.iter().position(|&b| b == 0)?;
                // 1 to 8 NULs pad the entry to a multiple of 8 bytes.
                at += (cursor - at + path_len + 8) & !7;
                Cow::Borrowed(&rest[..path_len])
            };
            if at > end {
                return None;
            }
            entries.push(Entry {
                path,
                id,
                mode,
                flags,
                extended,
                stat,
            });
        }
        let mut cache_tree = None;
        while at + 8 <= end {
            let signature = &bytes[at..at + 4];
            let size = be32(at + 4)? as usize;
            let data = bytes.get(at + 8..(at + 8).checked_add(size)?)?;
            if signature == b"TREE" {
                cache_tree = Some(data);
            } else if !signature[0].is_ascii_uppercase() {
                // A required extension this reader does not know (`link`: a split index;
                // `sdir`: a sparse one, whose entries may be directories). Optional ones
                // (REUC, UNTR, FSMN, EOIE, IEOT) say nothing about the entries.
                return None;
            }
            at += 8 + size;
        }
        Some(IndexFile {
            entries,
            cache_tree,
        })
    }

    /// The directories whose cache-tree entry is valid, with the tree id recorded for each
    /// (`""` is the root); empty without the extension, `None` when it is malformed.
    pub fn valid_trees(&self) -> Option<HashMap<Vec<u8>, [u8; 20]>> {
        let mut valid = HashMap::new();
        if let Some(data) = self.cache_tree {
            let mut cursor = 0;
            cache_tree(data, &mut cursor, Vec::new(), &mut valid)?;
        }
        Some(valid)
    }
}

/// Version 4's path-compression number: big-endian base-128 where each continuation adds one
/// (Git's "offset encoding"). Returns the value and the bytes it took.
fn varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut used = 0;
    let mut byte = *bytes.get(used)?;
    used += 1;
    let mut value = usize::from(byte & 0x7f);
    while byte & 0x80 != 0 {
        byte = *bytes.get(used)?;
        used += 1;
        value = value.checked_add(1)?.checked_mul(128)? | usize::from(byte & 0x7f);
    }
    Some((value, used))
}

/// Reads one cache-tree node and its subtrees: the path component, NUL, the entry count
/// (`-1` when invalidated), a space, the subtree count, a newline, then the tree id when
/// valid. `dir` is the node's parent directory with a trailing `/` (empty at the root).
fn cache_tree(
    data: &[u8],
    cursor: &mut usize,
    dir: Vec<u8>,
    valid: &mut HashMap<Vec<u8>, [u8; 20]>,
) -> Option<()> {
    let rest = data.get(*cursor..)?;
    let name_len = rest.iter().position(|&b| b == 0)?;
    let line_len = rest[name_len + 1..].iter().position(|&b| b == b'\n')?;
    let line = std::str::from_utf8(&rest[name_len + 1..name_len + 1 + line_len]).ok()?;
    let (entry_count, subtrees) = line.split_once(' ')?;
    let entry_count: i64 = entry_count.parse().ok()?;
    let subtrees: usize = subtrees.parse().ok()?;
    let mut path = dir;
    path.extend_from_slice(&rest[..name_len]);
    *cursor += name_len + 1 + line_len + 1;
    if entry_count >= 0 {
        let id: [u8; 20] = data.get(*cursor..*cursor + 20)?.try_into().ok()?;
        *cursor += 20;
        valid.insert(path.clone(), id);
    }
    if !path.is_empty() {
        path.push(b'/');
    }
    for _ in 0..subtrees {
        cache_tree(data, cursor, path.clone(), valid)?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Git's own index, in every version, with conflicts, placeholders and skip-worktree
    /// entries: read as libgit2 reads it.
    #[test]
    fn entries_read_as_libgit2_reads_them() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let git = |args: &[&str]| crate::repo::test_git::succeeds(dir, args);
        assert!(git(&["init", "-q", "-b", "main"]));
        for i in 0..300 {
            let path = dir.join(format!(
                "environments/env-{:03}/a-long-name-{i}.yaml",
                i % 7
            ));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("v: {i}\n")).unwrap();
        }
        std::fs::write(dir.join("conflict.yaml"), "a: 0\n").unwrap();
        assert!(git(&["add", "-A"]) && git(&["commit", "-q", "-m", "one"]));
        assert!(git(&["checkout", "-q", "-b", "other"]));
        std::fs::write(dir.join("conflict.yaml"), "a: 1\n").unwrap();
        assert!(git(&["commit", "-q", "-am", "other"]) && git(&["checkout", "-q", "main"]));
        std::fs::write(dir.join("conflict.yaml"), "a: 2\n").unwrap();
        assert!(git(&["commit", "-q", "-am", "main"]));
        assert!(
            !git(&["merge", "-q", "other"]),
            "the merge stops on the conflict"
        );
        std::fs::write(dir.join("placeholder.yaml"), "p: 1\n").unwrap();
        assert!(git(&["add", "-N", "placeholder.yaml"]));
        assert!(git(&[
            "update-index",
            "--skip-worktree",
            "environments/env-001/a-long-name-1.yaml"
        ]));
        for version in ["3", "4", "2"] {
            if version == "2" {
                // Version 2 has no extended flags: drop the ones that need them.
                assert!(git(&["rm", "-q", "--cached", "placeholder.yaml"]));
                assert!(git(&[
                    "update-index",
                    "--no-skip-worktree",
                    "environments/env-001/a-long-name-1.yaml"
                ]));
            }
            assert!(git(&["update-index", "--index-version", version]));
            let bytes = std::fs::read(dir.join(".git/index")).unwrap();
            let file = IndexFile::parse(&bytes).expect("Git's index reads");
            let index = git2::Index::open(&dir.join(".git/index")).unwrap();
            let theirs: Vec<_> = index.iter().collect();
            assert_eq!(file.entries.len(), theirs.len(), "version {version}");
            for (ours, theirs) in file.entries.iter().zip(&theirs) {
                assert_eq!(*ours.path, *theirs.path, "version {version}");
                assert_eq!(ours.id, theirs.id);
                assert_eq!(ours.mode, theirs.mode);
                let theirs = Entry::of(theirs);
                assert_eq!(ours.flags >> 12, theirs.flags >> 12);
                assert_eq!(ours.stat, theirs.stat);
                const SKIP_WORKTREE: u16 = 1 << 14;
                assert_eq!(
                    ours.extended & SKIP_WORKTREE,
                    theirs.extended & SKIP_WORKTREE
                );
                assert_eq!(
                    ours.is_committed(),
                    theirs.is_committed(),
                    "{}",
                    String::from_utf8_lossy(&ours.path)
                );
            }
            assert!(file.entries.iter().any(|e| !e.is_committed()));
        }
    }

    #[test]
    fn malformed_indexes_are_declined() {
        assert!(IndexFile::parse(b"").is_none());
        assert!(IndexFile::parse(&[b'D'; 40]).is_none());
        let mut header = b"DIRC\0\0\0\x05\0\0\0\0".to_vec();
        header.extend([0; 20]);
        assert!(IndexFile::parse(&header).is_none(), "version 5");
        header[7] = 2;
        header[11] = 1; // one entry, but no bytes for it
        assert!(IndexFile::parse(&header).is_none());
        header[11] = 0;
        assert!(IndexFile::parse(&header).is_some_and(|f| f.entries.is_empty()));
    }

    #[test]
    fn version_4_path_numbers_read_as_git_writes_them() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x7f]), Some((127, 1)));
        // 128 is written 0x80 0x00 in Git's offset encoding.
        assert_eq!(varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0x80, 0x01]), Some((129, 2)));
        assert_eq!(varint(&[0x80]), None);
    }
}
