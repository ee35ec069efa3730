//! Attack packs (docs: PACKS.md): versioned sets of prompt-attack detection patterns kept
//! under `packs/<id>/`, released as annotated tags `packs/<id>/v<version>` and activated per
//! environment in `environments/<env>/packs.yaml`.
//!
//! This module reads a pack's files from any [`Source`] (working tree or a tag's tree) into a
//! [`Pack`]; [`checks`] validates it, [`checksum`] computes what a release records, and
//! [`activation`] reads and plans the per-environment activation file. Nothing here prints.

pub mod activation;
pub mod checks;
pub mod checksum;
pub mod release;
pub mod semver;

pub use release::{
    Release, TagRecord, Verified, parse_tag_message, prepare_release, read_release, releases,
    tag_message, verify,
};

use crate::document::{self, Entry, Format, Limits, Map, Node, ParseError, Pos, Value};
use crate::repo::Source;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;

/// The directory that holds every pack.
pub const PACKS_DIR: &str = "packs";
/// The manifest's name inside a pack.
pub const MANIFEST: &str = "pack.yaml";
/// The checksum file's name inside a pack.
pub const CHECKSUMS: &str = "CHECKSUMS.sha256";
/// The manifest schema this version of cfgctl reads.
pub const SCHEMA: &str = "cfgctl/attack-pack/v1";
/// The category list below.
pub const TAXONOMY: &str = "cfgctl-attack-categories/1";
/// The largest pack file accepted (check F4).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Taxonomy `cfgctl-attack-categories/1`: category id and default severity.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("direct-injection", "high"),
    ("indirect-injection", "critical"),
    ("system-prompt-extraction", "high"),
    ("jailbreak-persona", "high"),
    ("obfuscation-encoding", "medium"),
    ("delimiter-token-injection", "medium"),
    ("goal-hijacking", "medium"),
    ("data-exfiltration", "critical"),
    ("output-injection", "high"),
    ("tool-agent-abuse", "high"),
    ("sensitive-info-probing", "medium"),
    ("resource-exhaustion", "low"),
];

/// Pattern severities, most severe first.
pub const SEVERITIES: &[&str] = &["critical", "high", "medium", "low", "info"];

/// The header line of the tab-separated text format.
pub const TSV_HEADER: &str = "id\tcategory\tseverity\tname\texample";

/// A pack's files as read from a source, keyed by path relative to the pack directory.
#[derive(Debug, Clone)]
pub struct Pack {
    /// The directory name under `packs/`.
    pub id: String,
    pub files: BTreeMap<String, Vec<u8>>,
    /// Symbolic links found in the pack directory (working tree only); never read.
    pub symlinks: Vec<String>,
}

impl Pack {
    /// Returns the pack directory, repository-relative (`packs/<id>`).
    pub fn dir(&self) -> String {
        format!("{PACKS_DIR}/{}", self.id)
    }

    /// Returns a repository-relative path for a file of the pack.
    pub fn path(&self, rel: &str) -> String {
        format!("{PACKS_DIR}/{}/{rel}", self.id)
    }
}

/// Returns whether a repository path belongs to a pack (checked by the pack checks, not as
/// a configuration document).
pub fn is_pack_file(path: &str) -> bool {
    path.strip_prefix("packs/")
        .is_some_and(|rest| rest.contains('/'))
}

/// Returns the release tag of a pack version.
pub fn tag_name(pack: &str, version: &str) -> String {
    format!("{PACKS_DIR}/{pack}/v{version}")
}

/// Returns the ids of the packs in a listing: the directories directly under `packs/`.
pub fn pack_ids(listing: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = listing
        .iter()
        .filter_map(|p| p.strip_prefix("packs/"))
        .filter_map(|rest| rest.split_once('/').map(|(id, _)| id.to_string()))
        .collect();
    ids.dedup();
    ids
}

/// Reads every file of pack `id` from a source. With `worktree` (the repository root), symbolic
/// links are detected and left unread.
pub fn read(
    source: &dyn Source,
    listing: &[String],
    id: &str,
    worktree: Option<&Path>,
) -> Result<Pack> {
    let prefix = format!("{PACKS_DIR}/{id}/");
    let mut files = BTreeMap::new();
    let mut symlinks = Vec::new();
    for path in listing.iter().filter(|p| p.starts_with(&prefix)) {
        let rel = path[prefix.len()..].to_string();
        let is_link = worktree.is_some_and(|root| {
            std::fs::symlink_metadata(root.join(path)).is_ok_and(|m| m.file_type().is_symlink())
        });
        if is_link {
            symlinks.push(rel);
            continue;
        }
        files.insert(rel, source.read(path)?);
    }
    Ok(Pack {
        id: id.to_string(),
        files,
        symlinks,
    })
}

/// The formats a patterns file may have, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternFormat {
    /// `.yaml`/`.yml`: a sequence of patterns (or a mapping with a `patterns` sequence).
    Yaml,
    /// `.json`: the same as an array.
    Json,
    /// `.jsonl`: one pattern object per line.
    Jsonl,
    /// `.txt`/`.tsv`: tab-separated, header `id category severity name example`.
    Tsv,
}

impl PatternFormat {
    pub fn from_path(path: &str) -> Option<PatternFormat> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(PatternFormat::Yaml),
            "json" => Some(PatternFormat::Json),
            "jsonl" => Some(PatternFormat::Jsonl),
            "txt" | "tsv" => Some(PatternFormat::Tsv),
            _ => None,
        }
    }
}

/// Parses a patterns file into one mapping node per pattern, every node positioned in the file.
pub fn parse_patterns(format: PatternFormat, text: &str) -> Result<Vec<Node>, ParseError> {
    let limits = Limits {
        max_bytes: MAX_FILE_BYTES as u64,
        ..Limits::default()
    };
    match format {
        PatternFormat::Yaml | PatternFormat::Json => {
            let doc_format = if format == PatternFormat::Yaml {
                Format::Yaml
            } else {
                Format::Json
            };
            let doc = document::parse(text.as_bytes(), doc_format, &limits)?;
            if doc.roots.len() > 1 {
                return Err(ParseError::at(
                    doc.roots[1].pos,
                    "a patterns file holds one document",
                ));
            }
            let Some(root) = doc.roots.into_iter().next() else {
                return Ok(Vec::new());
            };
            let list = match root.value {
                Value::Seq(items) => items,
                Value::Null => Vec::new(),
                Value::Map(mut map) => match map.shift_remove("patterns") {
                    Some(Entry {
                        value:
                            Node {
                                value: Value::Seq(items),
                                ..
                            },
                        ..
                    }) => items,
                    _ => {
                        return Err(ParseError::at(
                            root.pos,
                            "expected a sequence of patterns (or `patterns:` with one)",
                        ));
                    }
                },
                _ => {
                    return Err(ParseError::at(root.pos, "expected a sequence of patterns"));
                }
            };
            Ok(list)
        }
        PatternFormat::Jsonl => {
            let mut items = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let doc = document::parse(line.as_bytes(), Format::Json, &limits).map_err(|e| {
                    ParseError::at(
                        e.pos.map_or(Pos::new(i as u32 + 1, 1), |p| {
                            Pos::new(p.line + i as u32, p.column)
                        }),
                        e.message,
                    )
                })?;
                let mut node = doc.roots.into_iter().next().expect("JSON has one root");
                shift_lines(&mut node, i as u32);
                items.push(node);
            }
            Ok(items)
        }
        PatternFormat::Tsv => parse_tsv(text),
    }
}

/// Moves every position in a tree down by `lines` (a JSON Lines record parsed on its own).
fn shift_lines(node: &mut Node, lines: u32) {
    node.pos.line += lines;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift_lines(n, lines)),
        Value::Map(map) => {
            for entry in map.values_mut() {
                entry.key_pos.line += lines;
                shift_lines(&mut entry.value, lines);
            }
        }
        _ => {}
    }
}

/// The text format: a header, then one pattern per line; `#` starts a comment line. It has no
/// description column, so the name stands in for it.
fn parse_tsv(text: &str) -> Result<Vec<Node>, ParseError> {
    let mut header_seen = false;
    let mut items = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !header_seen {
            if line != TSV_HEADER {
                return Err(ParseError::at(
                    Pos::new(line_no, 1),
                    "the first line must be the header `id<TAB>category<TAB>severity<TAB>name<TAB>example`",
                ));
            }
            header_seen = true;
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 5 {
            return Err(ParseError::at(
                Pos::new(line_no, 1),
                format!("expected 5 tab-separated fields, found {}", fields.len()),
            ));
        }
        let mut column = 1u32;
        let mut positioned = Vec::new();
        for field in &fields {
            positioned.push((*field, Pos::new(line_no, column)));
            column += field.chars().count() as u32 + 1;
        }
        let string = |(text, pos): (&str, Pos)| Node::new(Value::String(text.to_string()), pos);
        let mut map = Map::default();
        let mut put = |key: &str, value: Node| {
            map.insert(
                key.to_string(),
                Entry {
                    key_pos: value.pos,
                    value,
                },
            );
        };
        put("id", string(positioned[0]));
        put("category", string(positioned[1]));
        put("severity", string(positioned[2]));
        put("name", string(positioned[3]));
        put("description", string(positioned[3]));
        let example = string(positioned[4]);
        put(
            "examples",
            Node::new(Value::Seq(vec![example.clone()]), example.pos),
        );
        items.push(Node::new(Value::Map(map), Pos::new(line_no, 1)));
    }
    if !header_seen {
        return Err(ParseError::at(
            Pos::new(1, 1),
            "missing the header `id<TAB>category<TAB>severity<TAB>name<TAB>example`",
        ));
    }
    Ok(items)
}

/// Returns the version a pack's manifest declares, when it parses.
pub fn manifest_version(pack: &Pack) -> Option<semver::Version> {
    let bytes = pack.files.get(MANIFEST)?;
    let doc = document::parse(bytes, Format::Yaml, &Limits::default()).ok()?;
    doc.roots.first()?.get("version")?.as_str()?.parse().ok()
}

/// Validates packs as they are in a source: every pack, or those named in `only`. `root` gives
/// the release tags (for M5, I6, P4, K6); `worktree` says the source is the working tree there
/// (symbolic links are then detected); `now` is the clock for M8.
pub fn validate(
    source: &dyn Source,
    listing: &[String],
    root: Option<&Path>,
    worktree: bool,
    only: Option<&[String]>,
    now: i64,
) -> Result<Vec<(Pack, checks::Outcome)>> {
    validate_with(source, listing, root, worktree, only, now, &checks::check)
}

/// [`validate`] with the checks made by `check` (the validation cache wraps [`checks::check`]).
pub fn validate_with<T>(
    source: &dyn Source,
    listing: &[String],
    root: Option<&Path>,
    worktree: bool,
    only: Option<&[String]>,
    now: i64,
    check: &dyn Fn(&Pack, &checks::Context<'_>) -> T,
) -> Result<Vec<(Pack, T)>> {
    let mut out = Vec::new();
    for id in pack_ids(listing) {
        if only.is_some_and(|o| !o.contains(&id)) {
            continue;
        }
        let pack = read(source, listing, &id, root.filter(|_| worktree))?;
        let all = match root {
            Some(root) => releases(root, Some(&id))?,
            None => Vec::new(),
        };
        let released: Vec<checks::Released> = all
            .iter()
            .map(|r| checks::Released {
                version: r.version.clone(),
                digest: r.record.digest.clone(),
            })
            .collect();
        let previous = match (root, manifest_version(&pack)) {
            (Some(root), Some(version)) => match all.iter().rev().find(|r| r.version < version) {
                Some(r) => Some((r.version.clone(), read_release(root, r)?)),
                None => None,
            },
            _ => None,
        };
        let ctx = checks::Context {
            released: &released,
            previous: previous.as_ref().map(|(v, p)| (v, p)),
            now,
            cfgctl_version: env!("CARGO_PKG_VERSION"),
            released_tree: false,
        };
        let outcome = check(&pack, &ctx);
        out.push((pack, outcome));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_gives_positioned_patterns() {
        let yaml = "- id: AB-CD-0001\n  name: x\n- id: AB-CD-0002\n";
        let items = parse_patterns(PatternFormat::Yaml, yaml).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].get("id").unwrap().pos, Pos::new(3, 7));

        let jsonl = "{\"id\": \"AB-CD-0001\"}\n\n{\"id\": \"AB-CD-0002\"}\n";
        let items = parse_patterns(PatternFormat::Jsonl, jsonl).unwrap();
        assert_eq!(items[1].get("id").unwrap().pos.line, 3);
        let err = parse_patterns(PatternFormat::Jsonl, "{}\n{\"a\": }\n").unwrap_err();
        assert_eq!(err.pos.unwrap().line, 2);

        let tsv =
            format!("# comment\n{TSV_HEADER}\nAB-CD-0001\tgoal-hijacking\tlow\tName\tan example\n");
        let items = parse_patterns(PatternFormat::Tsv, &tsv).unwrap();
        assert_eq!(items[0].get("severity").unwrap().pos, Pos::new(3, 27));
        assert_eq!(items[0].get("description").unwrap().as_str(), Some("Name"));
        assert!(parse_patterns(PatternFormat::Tsv, "id\tname\n").is_err());
        assert!(parse_patterns(PatternFormat::Tsv, &format!("{TSV_HEADER}\na\tb\n")).is_err());

        let json = "{\"patterns\": [{\"id\": \"AB-CD-0001\"}]}";
        assert_eq!(parse_patterns(PatternFormat::Json, json).unwrap().len(), 1);
        assert!(parse_patterns(PatternFormat::Yaml, "a: 1\n").is_err());
    }

    #[test]
    fn pack_ids_come_from_directories() {
        let listing = vec![
            "packs/a/pack.yaml".to_string(),
            "packs/a/patterns/x.yaml".to_string(),
            "packs/b/pack.yaml".to_string(),
            "packs/README.md".to_string(),
        ];
        assert_eq!(pack_ids(&listing), vec!["a", "b"]);
    }
}
