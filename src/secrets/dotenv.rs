//! sops's dotenv store (`.env` files), read and written as sops 3.11 does: one `KEY=VALUE` per
//! line, the value taken as it stands (quotes are part of it) with `\n` read as a line break,
//! `#` comment lines, and the metadata flattened into `sops_…=…` lines at the end
//! (`sops_age__list_0__map_enc=…`, `sops_lastmodified=…`, sorted by key). Each value's key path
//! is its key alone; comments are filed under the root. Blank lines are kept where they are
//! (sops drops them).

use super::cipher::{self, ValueType};
use super::ini::{Ini, Item};
use super::metadata::Metadata;
use super::{Mac, SealOptions, aad};
use crate::document::{Entry, Map, Node, Pos, Value};
use anyhow::{Result, anyhow, bail};
use std::collections::HashMap;

/// The prefix of the metadata lines.
const PREFIX: &str = "sops_";

/// Parses a dotenv file into the items the INI store's reader walks (values with their key as
/// path, comments under the root) and the `sops_` metadata pairs (prefix removed).
pub fn parse(text: &str) -> Result<Ini> {
    let mut ini = Ini::default();
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            continue;
        }
        if let Some(section) = &ini.sops_section
            && !content.starts_with(PREFIX)
        {
            bail!(
                "line {}: only `sops_` metadata lines may follow the metadata (line {})",
                number + 1,
                text[..section.start].matches('\n').count() + 1
            );
        }
        if let Some(body) = content.strip_prefix('#') {
            let span = start + 1..start + content.len();
            ini.items.push(Item::Comment {
                path: Vec::new(),
                text: body.to_string(),
                span,
            });
            continue;
        }
        let Some(eq) = content.find('=') else {
            bail!("line {}: not a KEY=VALUE line nor a # comment", number + 1);
        };
        let key = &content[..eq];
        if key.is_empty() || key.chars().any(char::is_whitespace) {
            bail!("line {}: `{}` is not a dotenv key", number + 1, key.trim());
        }
        let raw = &content[eq + 1..];
        if let Some(name) = key.strip_prefix(PREFIX) {
            ini.sops_section.get_or_insert(start..text.len());
            ini.metadata.push((name.to_string(), raw.to_string()));
            continue;
        }
        let value_start = start + eq + 1;
        ini.items.push(Item::Value {
            path: vec![key.to_string()],
            span: value_start..value_start + raw.len(),
            text: unescape(raw),
        });
    }
    Ok(ini)
}

/// A value as stored: `\n` in the file is a line break.
fn unescape(raw: &str) -> String {
    raw.replace("\\n", "\n")
}

/// A value as written: a line break becomes `\n`.
pub fn escape(value: &str) -> String {
    value.replace('\n', "\\n")
}

/// The plain document as a mapping of strings (for `get`, `set`, `exec`).
pub fn to_node(plaintext: &str) -> Result<Node> {
    let parsed = parse(plaintext)?;
    let mut map = Map::default();
    for item in parsed.items {
        if let Item::Value { mut path, text, .. } = item {
            let key = path.pop().unwrap_or_default();
            map.insert(
                key,
                Entry {
                    key_pos: Pos::default(),
                    value: Node::new(Value::String(text), Pos::default()),
                },
            );
        }
    }
    Ok(Node::new(Value::Map(map), Pos::default()))
}

/// Sets (`Some`) or removes (`None`) one key of a plain dotenv text, in place; a new key goes
/// at the end. `None` when nothing changes.
pub fn change(plaintext: &str, key: &str, value: Option<&str>) -> Result<Option<String>> {
    if key.is_empty() || key.contains(['=', '\n']) || key.chars().any(char::is_whitespace) {
        bail!("`{key}` is not a dotenv key");
    }
    if key.starts_with(PREFIX) {
        bail!("keys starting with `{PREFIX}` are reserved for the metadata");
    }
    let parsed = parse(plaintext)?;
    let found = parsed.items.iter().rev().find_map(|item| match item {
        Item::Value { path, span, text } if path[0] == key => Some((span.clone(), text.clone())),
        _ => None,
    });
    Ok(match (found, value) {
        (Some((_, current)), Some(value)) if current == value => None,
        (None, None) => None,
        (Some((span, _)), Some(value)) => {
            let mut out = plaintext.to_string();
            out.replace_range(span, &escape(value));
            Some(out)
        }
        (Some((span, _)), None) => {
            let begin = plaintext[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let end = plaintext[span.end..]
                .find('\n')
                .map_or(plaintext.len(), |i| span.end + i + 1);
            let mut out = plaintext.to_string();
            out.replace_range(begin..end, "");
            Some(out)
        }
        (None, Some(value)) => {
            let mut out = plaintext.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!("{key}={}\n", escape(value)));
            Some(out)
        }
    })
}

/// Encrypts a plain dotenv text in place and appends the metadata lines.
pub fn seal(plaintext: &str, options: &SealOptions<'_>) -> Result<String> {
    let parsed = parse(plaintext)?;
    if parsed.sops_section.is_some() {
        bail!("the file already has `sops_` metadata lines (is it encrypted already?)");
    }
    let key = &options.key;
    let mut mac = Mac::new(options.mac_only_encrypted);
    let mut edits = Vec::new();
    let mut seen: HashMap<(String, Vec<u8>), usize> = HashMap::new();
    let mut seal_one = |path: &[String], kind: ValueType, bytes: &[u8]| -> String {
        let aad = aad(path);
        let nth = seen.entry((aad.clone(), bytes.to_vec())).or_default();
        let iv = options.stash.and_then(|s| s.iv(&aad, bytes, *nth));
        *nth += 1;
        cipher::seal(key, bytes, &aad, kind, iv).to_text()
    };
    for item in &parsed.items {
        match item {
            Item::Value { path, span, text } => {
                let encrypted = options.selector.encrypts(path).unwrap_or(true);
                if !encrypted || text.is_empty() {
                    mac.add(text.as_bytes(), false);
                    continue;
                }
                mac.add(text.as_bytes(), true);
                edits.push((
                    span.clone(),
                    seal_one(path, ValueType::Str, text.as_bytes()),
                ));
            }
            Item::Comment { path, span, text } => {
                if text.is_empty() || !options.selector.encrypts(path).unwrap_or(true) {
                    continue;
                }
                edits.push((
                    span.clone(),
                    seal_one(path, ValueType::Comment, text.as_bytes()),
                ));
            }
        }
    }
    let metadata = super::sealed_metadata(key, mac, options);
    let mut out = super::apply_edits(plaintext, edits);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&metadata_lines(&metadata));
    Ok(out)
}

/// The metadata as sops's dotenv store writes it: flattened, sorted, `sops_`-prefixed.
pub fn metadata_lines(metadata: &Metadata) -> String {
    let mut lines: Vec<(String, String)> = Vec::new();
    for (i, key) in metadata.age.iter().enumerate() {
        lines.push((format!("age__list_{i}__map_enc"), escape(&key.enc)));
        lines.push((
            format!("age__list_{i}__map_recipient"),
            key.recipient.clone(),
        ));
    }
    for (key, value, _) in metadata.sorted_scalars() {
        lines.push((key.to_string(), value));
    }
    lines.sort();
    lines
        .into_iter()
        .map(|(k, v)| format!("{PREFIX}{k}={v}\n"))
        .collect()
}

/// The file with its metadata lines replaced (values untouched).
pub fn rewrite_metadata(text: &str, parsed: &Ini, metadata: &Metadata) -> Result<String> {
    let cut = parsed
        .sops_section
        .clone()
        .ok_or_else(|| anyhow!("no `sops_` metadata"))?;
    Ok(format!(
        "{}{}",
        &text[..cut.start],
        metadata_lines(metadata)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_comments_and_metadata() {
        let text = "# head\nA=1\n\nB=\"q\" x=y\nC=a\\nb\nsops_mac=m\nsops_version=3.11.0\n";
        let ini = parse(text).unwrap();
        let items: Vec<String> = ini
            .items
            .iter()
            .map(|i| match i {
                Item::Value {
                    path,
                    span,
                    text: t,
                } => {
                    format!("v {} [{}] {t:?}", path.join(":"), &text[span.clone()])
                }
                Item::Comment { text, .. } => format!("c {text}"),
            })
            .collect();
        assert_eq!(
            items,
            [
                "c  head",
                "v A [1] \"1\"",
                "v B [\"q\" x=y] \"\\\"q\\\" x=y\"",
                "v C [a\\nb] \"a\\nb\""
            ]
        );
        assert_eq!(
            ini.metadata,
            [
                ("mac".into(), "m".into()),
                ("version".into(), "3.11.0".into())
            ]
        );
        assert_eq!(
            &text[ini.sops_section.unwrap()],
            "sops_mac=m\nsops_version=3.11.0\n"
        );
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        assert_eq!(
            parse("A=1\nnot a pair\n").unwrap_err().to_string(),
            "line 2: not a KEY=VALUE line nor a # comment"
        );
        assert!(parse("sops_mac=m\nA=1\n").is_err());
    }

    #[test]
    fn change_sets_adds_and_removes_in_place() {
        let text = "# c\nA=1\nB=2\n";
        assert_eq!(
            change(text, "A", Some("x\ny")).unwrap().unwrap(),
            "# c\nA=x\\ny\nB=2\n"
        );
        assert_eq!(
            change(text, "C", Some("3")).unwrap().unwrap(),
            "# c\nA=1\nB=2\nC=3\n"
        );
        assert_eq!(change(text, "A", None).unwrap().unwrap(), "# c\nB=2\n");
        assert_eq!(change(text, "B", Some("2")).unwrap(), None);
        assert_eq!(change(text, "Z", None).unwrap(), None);
        assert!(change(text, "sops_mac", Some("x")).is_err());
    }

    #[test]
    fn the_plain_document_as_a_mapping() {
        let node = to_node("A=1\nB=a\\nb\n").unwrap();
        assert_eq!(node.to_json(), serde_json::json!({"A": "1", "B": "a\nb"}));
    }
}
