//! Which pack versions an environment uses: `environments/<env>/packs.yaml`.
//!
//! ```yaml
//! packs:
//!   prompt-injection:
//!     version: 1.0.0
//!     digest: "<sha256 of the release>"
//! ```
//!
//! `activate` edits the file in place (comments and other packs stay); `rollback` looks for
//! the version that was active before in the file's history.

use crate::document::{self, Entry, Format, Limits, Map, Node, Pos, Value};
use crate::edit::{self, Edit};
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::path::Path;

/// Returns the activation file of an environment.
pub fn file_for(env: &str) -> String {
    format!("environments/{env}/packs.yaml")
}

/// One active pack version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Active {
    pub pack: String,
    pub version: String,
    pub digest: String,
}

/// Reads an activation file; `file` names it in errors.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Active>> {
    let doc =
        document::parse(bytes, Format::Yaml, &Limits::default()).map_err(|e| e.in_file(file))?;
    let Some(root) = doc.roots.first() else {
        return Ok(Vec::new());
    };
    let Some(packs) = root.get("packs") else {
        return Ok(Vec::new());
    };
    let map = packs.as_map().ok_or_else(|| {
        anyhow!(
            "{file}:{}: `packs` must be a mapping of pack ids",
            packs.pos
        )
    })?;
    let mut out = Vec::new();
    for (pack, entry) in map {
        let field = |key: &str| {
            entry
                .value
                .get(key)
                .and_then(Node::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    anyhow!(
                        "{file}:{}: packs.{pack}.{key} must be a string",
                        entry.value.pos
                    )
                })
        };
        out.push(Active {
            pack: pack.clone(),
            version: field("version")?,
            digest: field("digest")?,
        });
    }
    Ok(out)
}

/// Returns the activation file's new text with `active` recorded, editing `existing` in place.
pub fn with_active(existing: Option<&str>, active: &Active) -> Result<String> {
    let string = |s: &str| Node::new(Value::String(s.to_string()), Pos::default());
    let mut record = Map::default();
    for (key, value) in [("version", &active.version), ("digest", &active.digest)] {
        record.insert(
            key.to_string(),
            Entry {
                key_pos: Pos::default(),
                value: string(value),
            },
        );
    }
    let record = Node::new(Value::Map(record), Pos::default());
    let Some(text) = existing.filter(|t| !t.trim().is_empty()) else {
        return Ok(format!(
            "# Attack packs active in this environment, written by `cfgctl packs activate`.\npacks:\n  {}:\n    version: \"{}\"\n    digest: \"{}\"\n",
            active.pack, active.version, active.digest
        ));
    };
    let doc = document::parse(text.as_bytes(), Format::Yaml, &Limits::default())
        .map_err(|e| anyhow!("packs.yaml: {e}"))?;
    let mut expected = doc
        .roots
        .into_iter()
        .next()
        .unwrap_or_else(|| Node::new(Value::Map(Map::default()), Pos::default()));
    let edits = vec![Edit {
        path: vec!["packs".to_string(), active.pack.clone()],
        value: Some(record),
    }];
    edit::apply_to_tree(&mut expected, &edits);
    edit::apply(text, Format::Yaml, &edits, &expected)
}

/// Returns the version of `pack` an activation file records, if it parses and has one.
pub fn version_of(file: &str, bytes: &[u8], pack: &str) -> Option<String> {
    parse(file, bytes)
        .ok()?
        .into_iter()
        .find(|a| a.pack == pack)
        .map(|a| a.version)
}

/// Returns the version of `pack` the environment's activation file recorded after each commit
/// that changed it, newest first (`None` where the file or the pack was absent).
pub fn history(root: &Path, env: &str, pack: &str) -> Result<Vec<Option<String>>> {
    let file = file_for(env);
    let mut versions = Vec::new();
    let mut failure = None;
    crate::repo::history::walk(root, &mut |commit| {
        if commit.changed.iter().any(|p| p == &file) {
            match crate::repo::tags::read_at(root, &commit.sha, &file) {
                Ok(bytes) => versions.push(bytes.and_then(|b| version_of(&file, &b, pack))),
                Err(err) => {
                    failure = Some(err);
                    return false;
                }
            }
        }
        true
    })?;
    match failure {
        Some(err) => Err(err),
        None => Ok(versions),
    }
}

/// Returns the version to roll back to: walking the versions the file recorded, newest first,
/// the first one that differs from the current.
pub fn previous_version(current: Option<&str>, history: &[Option<String>]) -> Option<String> {
    history
        .iter()
        .flatten()
        .find(|v| Some(v.as_str()) != current)
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active(version: &str) -> Active {
        Active {
            pack: "prompt-injection".into(),
            version: version.into(),
            digest: "0123456789".repeat(6) + "0123",
        }
    }

    #[test]
    fn a_new_file_and_an_edit_keep_comments_and_other_packs() {
        let text = with_active(None, &active("1.0.0")).unwrap();
        let parsed = parse("x", text.as_bytes()).unwrap();
        assert_eq!(parsed, vec![active("1.0.0")]);

        let existing =
            "# keep me\npacks:\n  other:\n    version: 2.0.0  # pinned\n    digest: abc\n";
        let text = with_active(Some(existing), &active("1.1.0")).unwrap();
        assert!(
            text.contains("# keep me") && text.contains("# pinned"),
            "{text}"
        );
        let parsed = parse("x", text.as_bytes()).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1], active("1.1.0"));
        let text = with_active(Some(&text), &active("1.2.0")).unwrap();
        assert_eq!(parse("x", text.as_bytes()).unwrap()[1].version, "1.2.0");
    }

    #[test]
    fn an_empty_flow_mapping_is_filled_in_place() {
        let existing = "# active packs\npacks: {}\n";
        let text = with_active(Some(existing), &active("1.0.0")).unwrap();
        assert!(text.starts_with("# active packs\n"), "{text}");
        assert_eq!(parse("x", text.as_bytes()).unwrap(), vec![active("1.0.0")]);
    }

    #[test]
    fn rollback_picks_the_newest_different_version() {
        let h = |v: &[Option<&str>]| v.iter().map(|x| x.map(str::to_string)).collect::<Vec<_>>();
        assert_eq!(
            previous_version(Some("1.1.0"), &h(&[Some("1.1.0"), Some("1.0.0")])),
            Some("1.0.0".into())
        );
        assert_eq!(
            previous_version(Some("1.1.0"), &h(&[Some("1.1.0"), None])),
            None
        );
        assert_eq!(previous_version(Some("1.0.0"), &h(&[Some("1.0.0")])), None);
    }

    #[test]
    fn bad_files_name_the_position() {
        let err = parse(
            "environments/p/packs.yaml",
            b"packs:\n  x:\n    version: 1\n",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("environments/p/packs.yaml:3:"),
            "{err}"
        );
    }
}
