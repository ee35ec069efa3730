//! Setting or removing one value of a decrypted secret file (`secrets set`, `secrets unset`):
//! the plaintext is edited in place, so comments, order and the other values' text stay, and
//! sealing it again reuses every unchanged value's IV. Missing parent mappings are created
//! (`set FILE a.b VALUE` in a file without `a`). Also the variables `secrets exec` passes on.

use crate::document::{self, Entry, Format, Limits, Map, Node, Pos, Value};
use crate::edit::{self, Edit};
use anyhow::{Result, anyhow, bail};
use zeroize::Zeroizing;

/// What an edit does to a file's plaintext.
pub enum Change {
    /// The key already has that value (or, for a removal, is not there).
    Unchanged,
    Edited(Zeroizing<String>),
}

/// Sets (`Some`) or removes (`None`) the value at `path` in the plaintext of a file stored as
/// `store`: YAML and JSON by key path, dotenv by key (values are strings there).
pub fn change_in(
    store: super::Store,
    plaintext: &str,
    path: &[String],
    value: Option<Node>,
) -> Result<Change> {
    match store {
        super::Store::Dotenv => {
            let [key] = path else {
                bail!("a dotenv file has no nested keys: name one KEY");
            };
            let value = match value.map(|v| v.value) {
                None => None,
                Some(Value::String(s)) => Some(s),
                Some(Value::Int(i)) => Some(i.to_string()),
                Some(Value::Float(f)) => Some(f.to_string()),
                Some(Value::Bool(b)) => Some(b.to_string()),
                Some(_) => bail!("a dotenv value is a string (or a number or boolean)"),
            };
            Ok(
                match super::dotenv::change(plaintext, key, value.as_deref())? {
                    Some(text) => Change::Edited(Zeroizing::new(text)),
                    None => Change::Unchanged,
                },
            )
        }
        super::Store::Json => change(plaintext, Format::Json, path, value),
        super::Store::Yaml => change(plaintext, Format::Yaml, path, value),
        super::Store::Ini | super::Store::Binary => {
            bail!("cfgctl edits values of YAML, JSON and dotenv secret files")
        }
    }
}

/// Sets (`Some`) or removes (`None`) the value at `path` in a plaintext document.
pub fn change(
    plaintext: &str,
    format: Format,
    path: &[String],
    value: Option<Node>,
) -> Result<Change> {
    if path.is_empty() {
        bail!("the key path is empty");
    }
    if path.len() == 1 && path[0] == "sops" {
        bail!("the top-level key `sops` is reserved for the metadata");
    }
    let root = document::parse_secret(plaintext.as_bytes(), format, &Limits::default())
        .map_err(|e| anyhow!("{}", e.message))?
        .roots
        .into_iter()
        .next()
        .unwrap_or_else(|| Node::new(Value::Map(Map::default()), Pos::default()));
    // Walk down to the first key that is missing; every parent on the way must be a mapping.
    let mut node = &root;
    let mut missing = None;
    for (i, key) in path.iter().enumerate() {
        let Value::Map(map) = &node.value else {
            bail!(
                "`{}` is not a mapping, so `{}` cannot go in it",
                path[..i].join("."),
                path.join(".")
            );
        };
        match map.get(key) {
            Some(entry) => node = &entry.value,
            None => {
                missing = Some(i);
                break;
            }
        }
    }
    let edit = match (missing, value) {
        (Some(_), None) => return Ok(Change::Unchanged),
        (None, Some(value)) if crate::diff::same_value(node, &value) => {
            return Ok(Change::Unchanged);
        }
        (None, Some(value)) => Edit {
            path: path.to_vec(),
            value: Some(value),
        },
        // A mapping left empty goes too (YAML would read `key:` back as null).
        (None, None) => Edit {
            path: path[..emptied_from(&root, path)].to_vec(),
            value: None,
        },
        // `a.b.c` where `a` has no `b`: `b` is added as `{c: VALUE}`.
        (Some(i), Some(value)) => Edit {
            path: path[..=i].to_vec(),
            value: Some(nested(&path[i + 1..], value)),
        },
    };
    let edits = [edit];
    let mut expected = root;
    edit::apply_to_tree(&mut expected, &edits);
    if matches!(&expected.value, Value::Map(map) if map.is_empty()) {
        // Nothing left: an empty document, which sealing turns into the metadata alone.
        return Ok(Change::Edited(Zeroizing::new(match format {
            Format::Json => "{\n}\n".into(),
            _ => String::new(),
        })));
    }
    let text = edit::apply(plaintext, format, &edits, &expected)?;
    Ok(Change::Edited(Zeroizing::new(text)))
}

/// How much of `path` to remove so that no mapping is left empty: the whole path, or the
/// shortest prefix (one key at least) whose mappings below hold only what is removed.
fn emptied_from(root: &Node, path: &[String]) -> usize {
    let mut keep = path.len();
    while keep > 1 {
        let parent = path[..keep - 1]
            .iter()
            .try_fold(root, |node, key| match &node.value {
                Value::Map(map) => map.get(key).map(|e| &e.value),
                _ => None,
            });
        match parent.map(|n| &n.value) {
            Some(Value::Map(map)) if map.len() == 1 => keep -= 1,
            _ => break,
        }
    }
    keep
}

/// The variables `secrets exec` gives a command: leaves by key path, see [`environment_of`].
pub fn variables(root: &Node) -> Vec<(String, Zeroizing<String>)> {
    let mut out = Vec::new();
    environment_of(root, &mut Vec::new(), &mut out);
    out
}

/// Leaves as variables: top-level keys as they are (like `sops exec-env`), nested ones joined
/// with `_` (`database.password` → `database_password`); lists and null are skipped.
fn environment_of(node: &Node, path: &mut Vec<String>, out: &mut Vec<(String, Zeroizing<String>)>) {
    match &node.value {
        Value::Map(map) => {
            for (key, entry) in map {
                path.push(key.clone());
                environment_of(&entry.value, path, out);
                path.pop();
            }
        }
        Value::Seq(_) | Value::Null => {}
        Value::String(s) => out.push((path.join("_"), Zeroizing::new(s.clone()))),
        Value::Bool(b) => out.push((path.join("_"), Zeroizing::new(b.to_string()))),
        Value::Int(i) => out.push((path.join("_"), Zeroizing::new(i.to_string()))),
        Value::Float(f) => out.push((path.join("_"), Zeroizing::new(f.to_string()))),
    }
}

/// `value` under the mapping keys of `path`, innermost last.
fn nested(path: &[String], value: Node) -> Node {
    path.iter().rev().fold(value, |inner, key| {
        let mut map = Map::default();
        map.insert(
            key.clone(),
            Entry {
                key_pos: Pos::default(),
                value: inner,
            },
        );
        Node::new(Value::Map(map), Pos::default())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split('.').map(str::to_string).collect()
    }

    fn string(text: &str) -> Node {
        Node::new(Value::String(text.into()), Pos::default())
    }

    fn edited(change: Change) -> String {
        match change {
            Change::Edited(text) => text.to_string(),
            Change::Unchanged => panic!("unchanged"),
        }
    }

    #[test]
    fn missing_parents_are_created() {
        let text = "# keep\ndb:\n  user: u\n";
        let out = change(
            text,
            Format::Yaml,
            &path("api.deep.token"),
            Some(string("t")),
        )
        .unwrap();
        assert_eq!(
            edited(out),
            "# keep\ndb:\n  user: u\napi:\n  deep:\n    token: t\n"
        );
        let out = change(text, Format::Yaml, &path("db.password"), Some(string("p"))).unwrap();
        assert_eq!(edited(out), "# keep\ndb:\n  user: u\n  password: p\n");
        let out = change(
            "{\n  \"a\": 1\n}\n",
            Format::Json,
            &path("b.c"),
            Some(string("x")),
        )
        .unwrap();
        assert!(edited(out).contains("\"c\": \"x\""));
    }

    #[test]
    fn removing_and_no_op_edits() {
        let text = "db:\n  user: u\n  password: p\n";
        let out = change(text, Format::Yaml, &path("db.password"), None).unwrap();
        assert_eq!(edited(out), "db:\n  user: u\n");
        let out = change(
            "a: 1\nb:\n  c:\n    d: 2\n",
            Format::Yaml,
            &path("b.c.d"),
            None,
        )
        .unwrap();
        assert_eq!(edited(out), "a: 1\n");
        assert!(matches!(
            change(text, Format::Yaml, &path("db.nothing"), None).unwrap(),
            Change::Unchanged
        ));
        assert!(matches!(
            change(text, Format::Yaml, &path("db.user"), Some(string("u"))).unwrap(),
            Change::Unchanged
        ));
    }

    #[test]
    fn removing_the_last_value_leaves_an_empty_document() {
        let out = change("# c\na:\n  b: 1\n", Format::Yaml, &path("a.b"), None).unwrap();
        assert_eq!(edited(out), "");
    }

    #[test]
    fn nested_values_become_underscored_variables() {
        let root = crate::document::test_yaml(
            "token: t\ndatabase:\n  password: p\n  port: 5432\nlist: [1]\n",
        );
        let got: Vec<(String, String)> = variables(&root)
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("token".into(), "t".into()),
                ("database_password".into(), "p".into()),
                ("database_port".into(), "5432".into())
            ]
        );
    }

    #[test]
    fn a_scalar_parent_is_refused() {
        let err = change("a: 1\n", Format::Yaml, &path("a.b"), Some(string("x")))
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "`a` is not a mapping, so `a.b` cannot go in it"
        );
    }
}
