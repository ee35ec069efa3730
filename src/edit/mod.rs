//! Editing configuration files in place: set or remove values at key paths while comments,
//! key order and formatting of everything else stay as they were (YAML through yaml-edit's
//! lossless tree, TOML through toml_edit; JSON scalars are replaced where they stand, and a
//! structural JSON edit rewrites the file, which has no comments to lose).
//!
//! Every edit is checked: the result is parsed again and must equal the expected tree, or
//! the edit is refused instead of writing a file that means something else.

use crate::diff::same_value;
use crate::document::{self, Format, Limits, Node, Value, emit};
use anyhow::{Result, anyhow, bail};
use std::str::FromStr;

/// One change to a document: a mapping-key path and its new value, or `None` to remove it.
#[derive(Debug, Clone)]
pub struct Edit {
    pub path: Vec<String>,
    pub value: Option<Node>,
}

/// Applies `edits` to `text` and returns the new text, which parses to `expected`.
pub fn apply(text: &str, format: Format, edits: &[Edit], expected: &Node) -> Result<String> {
    let edited = match format {
        Format::Yaml => yaml(text, edits)?,
        Format::Toml => toml(text, edits)?,
        Format::Json => json(text, edits).unwrap_or_else(|| emit::to_json_text(expected)),
    };
    let parsed = document::parse(edited.as_bytes(), format, &Limits::default())
        .map_err(|e| anyhow!("the edited text does not parse: {}", e.message))?;
    match parsed.roots.first() {
        Some(root) if same_value(root, expected) => Ok(edited),
        _ => bail!("an in-place edit would not give the intended values; nothing was written"),
    }
}

/// Applies edits to a tree in memory (what the file must mean afterwards).
pub fn apply_to_tree(root: &mut Node, edits: &[Edit]) {
    for edit in edits {
        let Some((last, parents)) = edit.path.split_last() else {
            if let Some(value) = &edit.value {
                *root = value.clone();
            }
            continue;
        };
        let mut node = &mut *root;
        let mut ok = true;
        for key in parents {
            if !matches!(node.value, Value::Map(_)) {
                ok = false;
                break;
            }
            let Value::Map(map) = &mut node.value else {
                unreachable!()
            };
            let entry = map.entry(key.clone()).or_insert_with(|| document::Entry {
                key_pos: document::Pos::default(),
                value: Node::new(
                    Value::Map(document::Map::default()),
                    document::Pos::default(),
                ),
            });
            node = &mut entry.value;
        }
        if !ok {
            continue;
        }
        if let Value::Map(map) = &mut node.value {
            match &edit.value {
                Some(value) => match map.get_mut(last) {
                    Some(entry) => entry.value = value.clone(),
                    None => {
                        map.insert(
                            last.clone(),
                            document::Entry {
                                key_pos: document::Pos::default(),
                                value: value.clone(),
                            },
                        );
                    }
                },
                None => {
                    map.shift_remove(last);
                }
            }
        }
    }
}

/// Replaces scalar values in JSON text where they stand, so the file's own layout survives;
/// `None` when an edit is structural (a key added or removed, a container replaced), and the
/// caller rewrites the file instead.
fn json(text: &str, edits: &[Edit]) -> Option<String> {
    let root = document::parse(text.as_bytes(), Format::Json, &Limits::default())
        .ok()?
        .roots
        .pop()?;
    let mut splices: Vec<(usize, usize, String)> = Vec::new();
    for edit in edits {
        let old = edit
            .path
            .iter()
            .try_fold(&root, |node, key| node.get(key))?;
        let new = edit.value.as_ref()?;
        let scalar = |n: &Node| !matches!(n.value, Value::Map(_) | Value::Seq(_));
        if !scalar(old) || !scalar(new) {
            return None;
        }
        let start = byte_offset(text, old.pos)?;
        let end = start + json_scalar_len(&text[start..])?;
        splices.push((start, end, serde_json::to_string(&new.to_json()).ok()?));
    }
    splices.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, replacement) in splices {
        out.replace_range(start..end, &replacement);
    }
    Some(out)
}

/// The byte offset of a 1-based line and character column.
fn byte_offset(text: &str, pos: document::Pos) -> Option<usize> {
    let line_start = if pos.line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(pos.line as usize - 2)?.0 + 1
    };
    let column = text[line_start..]
        .char_indices()
        .nth(pos.column as usize - 1)?
        .0;
    Some(line_start + column)
}

/// The length of the JSON scalar token at the start of `text`.
fn json_scalar_len(text: &str) -> Option<usize> {
    if let Some(rest) = text.strip_prefix('"') {
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return Some(i + 2),
                _ => {}
            }
        }
        return None;
    }
    let len = text
        .find(|c: char| matches!(c, ',' | '}' | ']') || c.is_whitespace())
        .unwrap_or(text.len());
    (len > 0).then_some(len)
}

fn yaml(text: &str, edits: &[Edit]) -> Result<String> {
    let doc = yaml_edit::Document::from_str(text)
        .map_err(|e| anyhow!("cannot edit this YAML in place: {e}"))?;
    for edit in edits {
        let Some((last, parents)) = edit.path.split_last() else {
            bail!("replacing a whole document is not an in-place edit");
        };
        let mut mapping = doc
            .as_mapping()
            .ok_or_else(|| anyhow!("the document is not a mapping"))?;
        for key in parents {
            mapping = mapping.get_mapping(key.as_str()).ok_or_else(|| {
                anyhow!("`{key}` is not a mapping here, so it cannot be edited in place")
            })?;
        }
        match &edit.value {
            Some(value) => {
                let fragment = yaml_edit::Document::from_str(&emit::to_yaml(value))
                    .map_err(|e| anyhow!("cannot write the new value of `{last}`: {e}"))?;
                mapping.set(last.as_str(), &fragment);
            }
            None => {
                mapping.remove(last.as_str());
            }
        }
    }
    Ok(doc.to_string())
}

fn toml(text: &str, edits: &[Edit]) -> Result<String> {
    let mut doc = toml_edit::DocumentMut::from_str(text)
        .map_err(|e| anyhow!("cannot edit this TOML in place: {e}"))?;
    for edit in edits {
        let Some((last, parents)) = edit.path.split_last() else {
            bail!("replacing a whole document is not an in-place edit");
        };
        let mut table: &mut dyn toml_edit::TableLike = doc.as_table_mut();
        for key in parents {
            table = table
                .get_mut(key)
                .and_then(|item| item.as_table_like_mut())
                .ok_or_else(|| {
                    anyhow!("`{key}` is not a table here, so it cannot be edited in place")
                })?;
        }
        match &edit.value {
            Some(value) => {
                let item = toml_item(value)?;
                match table.get_mut(last) {
                    // Keep the key's own decoration (comments before it) when replacing a value.
                    Some(existing) if existing.is_value() && item.is_value() => *existing = item,
                    _ => {
                        table.insert(last, item);
                    }
                }
            }
            None => {
                table.remove(last);
            }
        }
    }
    Ok(doc.to_string())
}

/// Converts a node to a TOML item: mappings become tables, everything else values.
fn toml_item(node: &Node) -> Result<toml_edit::Item> {
    Ok(match &node.value {
        Value::Map(map) => {
            let mut table = toml_edit::Table::new();
            for (key, entry) in map {
                table.insert(key, toml_item(&entry.value)?);
            }
            toml_edit::Item::Table(table)
        }
        _ => toml_edit::Item::Value(toml_value(node)?),
    })
}

fn toml_value(node: &Node) -> Result<toml_edit::Value> {
    Ok(match &node.value {
        Value::Null => bail!("TOML has no null"),
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::Float(f) => (*f).into(),
        Value::String(s) => s.as_str().into(),
        Value::Seq(items) => {
            let mut array = toml_edit::Array::new();
            for item in items {
                array.push(toml_value(item)?);
            }
            toml_edit::Value::Array(array)
        }
        Value::Map(map) => {
            let mut inline = toml_edit::InlineTable::new();
            for (key, entry) in map {
                inline.insert(key, toml_value(&entry.value)?);
            }
            toml_edit::Value::InlineTable(inline)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, format: Format) -> Node {
        document::parse(text.as_bytes(), format, &Limits::default())
            .unwrap()
            .roots
            .remove(0)
    }

    fn edit(path: &str, value: Option<&str>) -> Edit {
        Edit {
            path: path.split('.').map(str::to_string).collect(),
            value: value.map(|v| parse(v, Format::Yaml)),
        }
    }

    fn run(text: &str, format: Format, edits: &[Edit]) -> String {
        let mut expected = parse(text, format);
        apply_to_tree(&mut expected, edits);
        apply(text, format, edits, &expected).unwrap()
    }

    #[test]
    fn yaml_edits_keep_comments_and_order() {
        let text = "# database settings\ndb:\n  host: a.internal  # pinned\n  pool:\n    max: 10   # tuned\n  ssl: verify-full\n";
        let out = run(
            text,
            Format::Yaml,
            &[
                edit("db.pool.max", Some("40")),
                edit("db.timeout", Some("\"5s\"")),
                edit("db.ssl", None),
            ],
        );
        assert!(
            out.starts_with("# database settings\ndb:\n  host: a.internal  # pinned\n"),
            "{out}"
        );
        assert!(out.contains("max: 40"), "{out}");
        assert!(out.contains("timeout:"), "{out}");
        assert!(!out.contains("ssl"), "{out}");
    }

    #[test]
    fn yaml_subtrees_and_ambiguous_strings() {
        let text = "app:\n  ports:\n    - 80\n  mode: fast\n";
        let out = run(
            text,
            Format::Yaml,
            &[
                edit("app.ports", Some("[80, 443]")),
                edit("app.mode", Some("'on'")),
                edit("app.limits", Some("{cpu: 1, mem: 2Gi}")),
            ],
        );
        let parsed = parse(&out, Format::Yaml);
        assert_eq!(
            parsed.get("app").unwrap().get("mode").unwrap().value,
            Value::String("on".into()),
            "{out}"
        );
    }

    #[test]
    fn toml_edits_keep_comments() {
        let text = "# monitoring\n[metrics]\n# how often\ninterval = \"30s\"\nport = 9090\n\n[tracing]\nrate = 0.5\n";
        let out = run(
            text,
            Format::Toml,
            &[
                edit("metrics.interval", Some("15s")),
                edit("tracing.rate", Some("0.1")),
                edit("tracing.exporter", Some("otlp")),
            ],
        );
        assert!(
            out.contains("# monitoring\n[metrics]\n# how often\ninterval = \"15s\""),
            "{out}"
        );
        assert!(out.contains("rate = 0.1"), "{out}");
    }

    #[test]
    fn json_is_rewritten_with_the_new_values() {
        let text = "{\n  \"a\": {\"b\": 1, \"c\": 2}\n}\n";
        let out = run(text, Format::Json, &[edit("a.b", Some("5"))]);
        assert_eq!(
            parse(&out, Format::Json)
                .get("a")
                .unwrap()
                .get("b")
                .unwrap()
                .value,
            Value::Int(5)
        );
    }

    #[test]
    fn json_scalars_change_in_place_and_structure_is_rewritten() {
        let text = "{\n  \"a\": { \"b\": 1, \"c\": \"x\\\"y\" },\n    \"d\": [1,2]\n}\n";
        let out = run(
            text,
            Format::Json,
            &[edit("a.b", Some("500")), edit("a.c", Some("z"))],
        );
        assert_eq!(
            out,
            "{\n  \"a\": { \"b\": 500, \"c\": \"z\" },\n    \"d\": [1,2]\n}\n"
        );
        let out = run(text, Format::Json, &[edit("a.e", Some("1"))]);
        assert_eq!(
            parse(&out, Format::Json)
                .get("a")
                .unwrap()
                .get("e")
                .unwrap()
                .value,
            Value::Int(1)
        );
    }
}
