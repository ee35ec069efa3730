//! `CHECKSUMS.sha256` (the format `sha256sum -c` reads) and the pack digest.
//!
//! The checksum file covers every file of the pack but itself, sorted by path. The digest
//! is the SHA-256 of the sorted lines `path\tsha256\n` of every file except `pack.yaml` (which
//! records the digest) and `CHECKSUMS.sha256`.

use super::{CHECKSUMS, MANIFEST};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Returns the lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut text = String::with_capacity(64);
    for byte in hash {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// Returns the text of `CHECKSUMS.sha256` for the pack's files (paths relative to the pack).
pub fn checksums_text(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .iter()
        .filter(|(path, _)| path.as_str() != CHECKSUMS)
        .map(|(path, bytes)| format!("{}  {path}\n", sha256_hex(bytes)))
        .collect()
}

/// Returns the pack digest over every file except `pack.yaml` and `CHECKSUMS.sha256`.
pub fn digest(files: &BTreeMap<String, Vec<u8>>) -> String {
    let lines: String = files
        .iter()
        .filter(|(path, _)| path.as_str() != CHECKSUMS && path.as_str() != MANIFEST)
        .map(|(path, bytes)| format!("{path}\t{}\n", sha256_hex(bytes)))
        .collect();
    sha256_hex(lines.as_bytes())
}

/// One well-formed line of a checksum file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub line: u32,
    pub sha256: String,
    pub path: String,
}

/// Parses a checksum file; malformed lines come back as `(line number, problem)`.
pub fn parse(text: &str) -> (Vec<Line>, Vec<(u32, String)>) {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.split_terminator('\n').enumerate() {
        let number = i as u32 + 1;
        let Some((hash, path)) = raw.split_once("  ") else {
            problems.push((number, "expected `<64 hex digits>  <path>`".to_string()));
            continue;
        };
        if hash.len() != 64
            || !hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            problems.push((number, format!("`{hash}` is not 64 lowercase hex digits")));
            continue;
        }
        if path.is_empty() || path.ends_with('\r') || path.starts_with(' ') {
            problems.push((
                number,
                "the path after the two spaces is empty or padded".to_string(),
            ));
            continue;
        }
        lines.push(Line {
            line: number,
            sha256: hash.to_string(),
            path: path.to_string(),
        });
    }
    (lines, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn checksum_text_round_trips_and_skips_itself() {
        let files: BTreeMap<String, Vec<u8>> = [
            ("pack.yaml".to_string(), b"id: x\n".to_vec()),
            ("patterns/a.yaml".to_string(), b"[]\n".to_vec()),
            (CHECKSUMS.to_string(), b"stale".to_vec()),
        ]
        .into();
        let text = checksums_text(&files);
        assert_eq!(text.lines().count(), 2);
        let (lines, problems) = parse(&text);
        assert!(problems.is_empty());
        assert_eq!(lines[1].path, "patterns/a.yaml");
        assert_eq!(lines[1].sha256, sha256_hex(b"[]\n"));
        // The digest ignores the manifest.
        let mut other = files.clone();
        other.insert("pack.yaml".into(), b"id: y\n".to_vec());
        assert_eq!(digest(&files), digest(&other));
    }

    #[test]
    fn malformed_lines_are_reported() {
        let (_, problems) = parse("abc  x\nnot a line\n");
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[1].0, 2);
    }
}
