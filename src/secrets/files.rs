//! The files bulk commands work on (`updatekeys`, `rotate`, `check`, `list`, `git-setup`):
//! every file under the given paths or the workspace, `.gitignore` honoured, `.git` skipped,
//! and the encrypted ones among them, read in parallel.

use super::SecretFile;
use anyhow::{Result, bail};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Every file under `paths` (absolute; none: `base`), .gitignore honoured, as (shown relative
/// to `base`, absolute), sorted.
pub fn under(base: &Path, paths: &[PathBuf]) -> Result<Vec<(String, PathBuf)>> {
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![base.to_path_buf()]
    } else {
        paths.to_vec()
    };
    let mut out = Vec::new();
    for root in roots {
        if root.is_file() {
            out.push((show(base, &root), root));
            continue;
        }
        if !root.exists() {
            bail!("{}: no such file or directory", root.display());
        }
        for entry in ignore::WalkBuilder::new(&root)
            .hidden(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build()
        {
            let entry = entry?;
            if entry.file_type().is_some_and(|t| t.is_file()) {
                out.push((show(base, entry.path()), entry.path().to_path_buf()));
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A path as shown: relative to `base` when it is under it, `/`-separated.
pub fn show(base: &Path, path: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    abs.strip_prefix(&base)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.display().to_string())
}

/// The encrypted files among `files`, read.
pub fn encrypted(files: Vec<(String, PathBuf)>) -> Vec<(String, PathBuf, Result<SecretFile>)> {
    files
        .into_par_iter()
        .filter_map(|(shown, abs)| {
            let bytes = std::fs::read(&abs).ok()?;
            if !super::looks_encrypted(&bytes) {
                return None;
            }
            match super::read(&shown, &bytes) {
                Ok(Some(file)) => Some((shown, abs, Ok(file))),
                Ok(None) => None,
                Err(e) => Some((shown, abs, Err(e))),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_shows_relative_paths_and_finds_encrypted_files() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        std::fs::create_dir_all(base.join("a/.git")).unwrap();
        std::fs::write(base.join("a/.git/config"), "x").unwrap();
        std::fs::write(base.join("a/plain.yaml"), "a: 1\n").unwrap();
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sops/example.yaml");
        std::fs::copy(fixture, base.join("a/secret.yaml")).unwrap();
        let all = under(base, &[]).unwrap();
        let shown: Vec<&str> = all.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(shown, ["a/plain.yaml", "a/secret.yaml"]);
        let encrypted: Vec<String> = super::encrypted(all)
            .into_iter()
            .map(|(s, _, _)| s)
            .collect();
        assert_eq!(encrypted, ["a/secret.yaml"]);
        assert!(under(base, &[base.join("missing")]).is_err());
    }
}
