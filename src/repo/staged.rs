//! What the next commit changes: the staged paths whose content differs from `HEAD`.
//!
//! Comparing the whole index with every tree of `HEAD` reads thousands of tree objects in a
//! repository of thousands of environments, for a commit of five files. Git does not: the
//! index's cache-tree extension (`TREE`) records, per directory, the tree its staged entries
//! make, and `git add` invalidates only the directories above what it changed. A directory
//! whose recorded tree is `HEAD`'s is skipped whole, as `git diff --cached` skips it; only the
//! directories a change touched are compared entry by entry.
//!
//! The extension is read with cfgctl's own index reader (libgit2 does not expose it); when
//! the index came from libgit2, the file's entries must be exactly the ones libgit2 read. A
//! file rewritten in between, or anything the reader does not know, falls back to libgit2's
//! diff of the whole trees.

use super::index_file::{Entry, IndexFile};
use anyhow::Result;
use std::collections::HashMap;

/// Paths (relative to the cfgctl root, whose path in the repository is `prefix`) whose staged
/// content differs from `HEAD`, sorted. Deleted files are left out (nothing to check).
/// `snapshot` is the index file as cfgctl read it for the listing, if it did; else libgit2's
/// index is used.
pub(super) fn changes(
    git: &git2::Repository,
    snapshot: Option<&[u8]>,
    prefix: &str,
) -> Result<Vec<String>> {
    let head_tree = match git.head() {
        Ok(head) => Some(head.peel_to_tree()?),
        Err(_) => None, // no commit yet: everything staged is new
    };
    if let Some(head) = &head_tree {
        let found = match snapshot {
            Some(bytes) => {
                IndexFile::parse(bytes).and_then(|file| by_cache_tree(git, &file, head, prefix))
            }
            None => {
                let index = super::read_index(git)?;
                let bytes = index.path().and_then(|path| std::fs::read(path).ok());
                bytes
                    .as_deref()
                    .and_then(IndexFile::parse)
                    .filter(|file| same_entries(file, &index))
                    .and_then(|file| by_cache_tree(git, &file, head, prefix))
            }
        };
        if let Some(paths) = found {
            return Ok(paths);
        }
    }
    let index = super::read_index(git)?;
    by_diff(git, &index, head_tree.as_ref(), prefix)
}

/// Whether an index file holds exactly the entries libgit2 read (it was not rewritten since).
fn same_entries(file: &IndexFile<'_>, index: &git2::Index) -> bool {
    file.entries.len() == index.len()
        && file.entries.iter().zip(index.iter()).all(|(ours, theirs)| {
            *ours.path == *theirs.path.as_slice()
                && ours.id == theirs.id
                && ours.mode == theirs.mode
                && (ours.flags >> 12) & 0x3 == (theirs.flags >> 12) & 0x3
        })
}

/// The whole-tree comparison (libgit2's diff), for what the cache-tree cannot answer.
fn by_diff(
    git: &git2::Repository,
    index: &git2::Index,
    head_tree: Option<&git2::Tree<'_>>,
    prefix: &str,
) -> Result<Vec<String>> {
    // `git add -N` placeholders are not in the next commit; libgit2's diff lists them.
    let placeholders: std::collections::HashSet<String> = index
        .iter()
        .map(|entry| Entry::of(&entry))
        .filter(|entry| entry.stage() == 0 && entry.is_placeholder())
        .map(|entry| String::from_utf8_lossy(&entry.path).into_owned())
        .filter_map(|p| p.strip_prefix(prefix).map(str::to_string))
        .collect();
    let diff = git.diff_tree_to_index(head_tree, Some(index), None)?;
    let mut paths = super::changed_paths(&diff, prefix);
    paths.retain(|p| !placeholders.contains(p));
    Ok(paths)
}

/// The comparison through the cache-tree; `None` when it does not apply (conflicts, `git add
/// -N` placeholders, a case-insensitive index).
fn by_cache_tree(
    git: &git2::Repository,
    file: &IndexFile<'_>,
    head: &git2::Tree<'_>,
    prefix: &str,
) -> Option<Vec<String>> {
    // Case-insensitive indexes sort and match entries differently.
    if git
        .config()
        .ok()?
        .get_bool("core.ignorecase")
        .unwrap_or(false)
    {
        return None;
    }
    if !file.entries.iter().all(Entry::is_committed) {
        return None;
    }
    let valid_trees = file.valid_trees()?;
    let walk = Walk {
        git,
        entries: &file.entries,
        valid: &valid_trees,
        trees_read: std::cell::Cell::new(0),
    };
    let mut changed = Vec::new();
    if valid_trees.get(b"".as_slice()) != Some(&head.id().as_bytes().try_into().ok()?) {
        walk.dir(b"", 0..file.entries.len(), Some(head), &mut changed)
            .ok()?;
    }
    #[cfg(test)]
    TREES_READ.set(walk.trees_read.get());
    let mut paths: Vec<String> = changed
        .into_iter()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .filter_map(|p| p.strip_prefix(prefix).map(str::to_string))
        .collect();
    paths.sort();
    paths.dedup();
    Some(paths)
}

/// A walk of the index's directories beside `HEAD`'s trees.
struct Walk<'w, 'a> {
    git: &'w git2::Repository,
    entries: &'w [Entry<'a>],
    valid: &'w HashMap<Vec<u8>, [u8; 20]>,
    /// How many of `HEAD`'s trees it read below the root (what the cache-tree saves).
    trees_read: std::cell::Cell<usize>,
}

#[cfg(test)]
thread_local! {
    /// The last walk's [`Walk::trees_read`] on this thread, for the tests.
    static TREES_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl<'w, 'a> Walk<'w, 'a> {
    /// Adds the changed paths among `entries[range]`, the entries under `dir` (empty, or a
    /// directory with a trailing `/`), whose tree in `HEAD` is `head` (`None`: not a tree
    /// there, so everything under it is new). Subdirectories whose cache-tree entry is
    /// `HEAD`'s tree are skipped unread.
    fn dir(
        &self,
        dir: &[u8],
        range: std::ops::Range<usize>,
        head: Option<&git2::Tree<'_>>,
        changed: &mut Vec<&'w [u8]>,
    ) -> Result<(), git2::Error> {
        let mut i = range.start;
        while i < range.end {
            let path: &'w [u8] = &self.entries[i].path;
            let name_and_rest = &path[dir.len()..];
            match name_and_rest.iter().position(|&b| b == b'/') {
                Some(slash) => {
                    // A subdirectory: its entries are the next ones that share the prefix.
                    let sub = &path[..dir.len() + slash + 1];
                    let end = i + self.entries[i..range.end]
                        .iter()
                        .position(|e| !e.path.starts_with(sub))
                        .unwrap_or(range.end - i);
                    let name = &name_and_rest[..slash];
                    let in_head = head
                        .and_then(|h| entry_named(h, name))
                        .filter(|e| e.kind() == Some(git2::ObjectType::Tree));
                    // Staged as it is in HEAD: the tree's id says so without reading it.
                    let unchanged = in_head.as_ref().is_some_and(|e| {
                        self.valid
                            .get(&sub[..sub.len() - 1])
                            .is_some_and(|recorded| recorded == e.id().as_bytes())
                    });
                    if !unchanged {
                        let subtree = match in_head {
                            Some(entry) => {
                                self.trees_read.set(self.trees_read.get() + 1);
                                Some(self.git.find_tree(entry.id())?)
                            }
                            None => None,
                        };
                        self.dir(sub, i..end, subtree.as_ref(), changed)?;
                    }
                    i = end;
                }
                None => {
                    let entry = &self.entries[i];
                    let same = head
                        .and_then(|h| entry_named(h, name_and_rest))
                        .is_some_and(|t| t.id() == entry.id && t.filemode() as u32 == entry.mode);
                    if !same {
                        changed.push(path);
                    }
                    i += 1;
                }
            }
        }
        Ok(())
    }
}

fn entry_named<'t>(tree: &'t git2::Tree<'_>, name: &[u8]) -> Option<git2::TreeEntry<'t>> {
    tree.get_name_bytes(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::test_git::{git, succeeds};
    use crate::test_rng::Xorshift;
    use std::path::Path;

    fn write(dir: &Path, path: &str, text: &str) {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// A repository of `dirs` directories with three files each (one nested), committed.
    fn committed(dirs: usize) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        git(tmp.path(), &["init", "-q", "-b", "main"]);
        write(tmp.path(), "cfgctl.toml", "[repo]\n");
        for d in 0..dirs {
            write(
                tmp.path(),
                &format!("environments/env-{d:03}/app.yaml"),
                "a: 1\n",
            );
            write(
                tmp.path(),
                &format!("environments/env-{d:03}/db.yaml"),
                "b: 2\n",
            );
            write(
                tmp.path(),
                &format!("environments/env-{d:03}/x/deep.json"),
                "{}\n",
            );
        }
        // Files written in the same second as the index are "racily clean": Git hashes them
        // again on the next `add` and invalidates their directories. Old times keep the
        // cache-tree as it is in a repository whose files were not just written.
        let status = std::process::Command::new("find")
            .args([".", "-path", "./.git", "-prune", "-o", "-type", "f"])
            .args(["-exec", "touch", "-d", "@1700000000", "{}", "+"])
            .current_dir(tmp.path())
            .status()
            .unwrap();
        assert!(status.success());
        git(tmp.path(), &["add", "-A"]);
        git(tmp.path(), &["commit", "-q", "-m", "start"]);
        tmp
    }

    /// Both ways of listing the staged changes, for the repository at `dir`: through the
    /// cache-tree (`None` when it declines) and libgit2's diff of the whole trees.
    fn both(dir: &Path, prefix: &str) -> (Option<Vec<String>>, Vec<String>) {
        let repo = git2::Repository::open(dir).unwrap();
        let index = repo.index().unwrap();
        let head = repo.head().unwrap().peel_to_tree().unwrap();
        let bytes = std::fs::read(dir.join(".git/index")).unwrap();
        let file = IndexFile::parse(&bytes).expect("Git's index reads");
        assert!(same_entries(&file, &index));
        let fast = by_cache_tree(&repo, &file, &head, prefix);
        let slow = by_diff(&repo, &index, Some(&head), prefix).unwrap();
        // The way a run goes: from the bytes it listed, and from libgit2's index.
        assert_eq!(changes(&repo, Some(&bytes), prefix).unwrap(), slow);
        assert_eq!(changes(&repo, None, prefix).unwrap(), slow);
        (fast, slow)
    }

    #[test]
    fn only_the_directories_a_change_touched_are_read() {
        let repo = committed(40);
        let dir = repo.path();
        write(dir, "environments/env-007/db.yaml", "b: 3\n");
        write(dir, "environments/env-031/x/deep.json", "{\"a\": 1}\n");
        git(dir, &["add", "-A"]);
        let (fast, slow) = both(dir, "");
        assert_eq!(
            slow,
            [
                "environments/env-007/db.yaml",
                "environments/env-031/x/deep.json"
            ]
        );
        assert_eq!(fast.as_ref(), Some(&slow));
        // environments/, the two environments and one `x/`: not the other 38 environments.
        assert_eq!(TREES_READ.get(), 4);
        // Nothing staged: not one tree is read.
        git(dir, &["commit", "-q", "-m", "two"]);
        let (fast, slow) = both(dir, "");
        assert_eq!((fast, slow), (Some(vec![]), vec![]));
        assert_eq!(TREES_READ.get(), 0);
    }

    #[test]
    fn every_kind_of_change_is_listed_as_libgit2_lists_it() {
        for version in ["2", "3", "4"] {
            let repo = committed(6);
            let dir = repo.path();
            git(dir, &["update-index", "--index-version", version]);
            // Modified, added in a new directory, deleted, made executable, a file that
            // became a directory and a directory that became a file, a symbolic link.
            write(dir, "environments/env-000/app.yaml", "a: 2\n");
            write(dir, "environments/env-100/app.yaml", "a: 1\n");
            std::fs::remove_file(dir.join("environments/env-001/db.yaml")).unwrap();
            let executable = dir.join("environments/env-002/app.yaml");
            let mut permissions = std::fs::metadata(&executable).unwrap().permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
            std::fs::set_permissions(&executable, permissions).unwrap();
            std::fs::remove_file(dir.join("environments/env-003/app.yaml")).unwrap();
            write(dir, "environments/env-003/app.yaml/inner.yaml", "c: 1\n");
            std::fs::remove_dir_all(dir.join("environments/env-004/x")).unwrap();
            write(dir, "environments/env-004/x", "now a file\n");
            std::os::unix::fs::symlink("app.yaml", dir.join("environments/env-005/link.yaml"))
                .unwrap();
            git(dir, &["add", "-A"]);
            if version == "3" {
                // An extended flag (skip-worktree) makes Git write version 3 entries.
                git(dir, &["update-index", "--skip-worktree", "cfgctl.toml"]);
            }
            let (fast, slow) = both(dir, "");
            assert_eq!(
                slow,
                [
                    "environments/env-000/app.yaml",
                    "environments/env-002/app.yaml",
                    "environments/env-003/app.yaml/inner.yaml",
                    "environments/env-004/x",
                    "environments/env-005/link.yaml",
                    "environments/env-100/app.yaml",
                ],
                "index version {version}"
            );
            assert_eq!(fast.as_ref(), Some(&slow), "index version {version}");
            // Below a subdirectory of the repository, paths are relative to it.
            let (fast, slow) = both(dir, "environments/env-000/");
            assert_eq!(slow, ["app.yaml"]);
            assert_eq!(fast, Some(slow));
        }
    }

    #[test]
    fn placeholders_and_conflicts_are_left_to_the_whole_comparison() {
        let repo = committed(3);
        let dir = repo.path();
        write(dir, "environments/env-000/new.yaml", "n: 1\n");
        git(dir, &["add", "-N", "environments/env-000/new.yaml"]);
        write(dir, "environments/env-001/app.yaml", "a: 9\n");
        git(dir, &["add", "environments/env-001/app.yaml"]);
        let (fast, slow) = both(dir, "");
        assert_eq!(fast, None);
        assert_eq!(slow, ["environments/env-001/app.yaml"]);

        // A merge that stopped on a conflict: the index holds stages 1 to 3 of the file.
        let repo = committed(2);
        let dir = repo.path();
        git(dir, &["checkout", "-q", "-b", "other"]);
        write(dir, "environments/env-000/app.yaml", "a: other\n");
        git(dir, &["commit", "-q", "-am", "other"]);
        git(dir, &["checkout", "-q", "main"]);
        write(dir, "environments/env-000/app.yaml", "a: main\n");
        git(dir, &["commit", "-q", "-am", "main"]);
        assert!(
            !succeeds(dir, &["merge", "-q", "other"]),
            "the merge stops on the conflict"
        );
        let (fast, _) = both(dir, "");
        assert_eq!(fast, None);
    }

    #[test]
    fn a_rewritten_index_is_not_trusted() {
        let repo = committed(3);
        let dir = repo.path();
        let git2_repo = git2::Repository::open(dir).unwrap();
        let index = git2_repo.index().unwrap();
        // The file changes after libgit2 read it: its entries are not the ones in memory.
        write(dir, "environments/env-002/app.yaml", "a: 5\n");
        git(dir, &["add", "-A"]);
        let bytes = std::fs::read(dir.join(".git/index")).unwrap();
        let file = IndexFile::parse(&bytes).unwrap();
        assert!(!same_entries(&file, &index));
    }

    /// Random edits, staged with and without invalidating whole directories, in indexes of
    /// every version: the cache-tree walk lists what libgit2's diff lists.
    #[test]
    fn random_changes_are_listed_alike() {
        let mut rng = Xorshift(0x5eed_cafe);
        for round in 0..12 {
            let repo = committed(12);
            let dir = repo.path();
            let version = ["2", "3", "4"][round % 3];
            git(dir, &["update-index", "--index-version", version]);
            for _ in 0..(1 + rng.next() % 6) {
                let env = rng.next() % 14; // two environments that do not exist yet
                let file =
                    ["app.yaml", "db.yaml", "x/deep.json", "y/new.yaml"][(rng.next() % 4) as usize];
                let path = format!("environments/env-{env:03}/{file}");
                if rng.next().is_multiple_of(4) {
                    let _ = std::fs::remove_file(dir.join(&path));
                } else {
                    write(dir, &path, &format!("v: {}\n", rng.next() % 1000));
                }
            }
            if rng.next().is_multiple_of(3) {
                // Rebuilds the index from HEAD: a fully valid cache-tree, then the edits.
                git(dir, &["read-tree", "HEAD"]);
            }
            git(dir, &["add", "-A"]);
            let (fast, slow) = both(dir, "");
            assert_eq!(fast, Some(slow), "round {round}");
        }
    }
}
