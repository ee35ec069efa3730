//! One document's layer files folded into one tree, from `global` to `tenants/<t>/<env>`.
//!
//! Mappings merge deeply and a later layer wins; sequences and scalars are replaced whole; a
//! `null` in a mapping deletes the key. A key keeps the place of its first appearance and new
//! keys append. Every node of the result keeps the file (`origin`) and position that set it, so
//! `render --explain` and `diff` can name a file and line for any value. Pure: callers read and
//! parse the files, [`Target::documents`] tells which ones.

use super::{Layer, LayerFile, classify};
use crate::document::{Entry, Map, Node, Pos, Value};
use std::collections::BTreeMap;

/// What one render is for: an environment, and optionally a service and a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    pub env: &'a str,
    pub service: Option<&'a str>,
    pub tenant: Option<&'a str>,
}

/// One document after merging its layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The document name: the path inside the layer (`database.yaml`).
    pub document: String,
    /// The merged tree. Every node's `origin` indexes `files` and its `pos` is a position in
    /// that file; an entry's `key_pos` is in the file of its value's origin.
    pub root: Node,
    /// The layer files given to [`merge`], in merge order: the origin table. A file is listed
    /// even when later layers overrode everything it set.
    pub files: Vec<String>,
}

impl Target<'_> {
    /// Returns the repository path prefixes of this target's layers, in merge order.
    ///
    /// For display: `services/chat/` is also a prefix of `services/chat/staging/`, so select
    /// files with [`Target::rank`] or [`Target::documents`], not by prefix.
    pub fn layer_dirs(&self) -> Vec<String> {
        let env = self.env;
        let mut dirs = vec!["global/".to_string(), format!("environments/{env}/")];
        if let Some(service) = self.service {
            dirs.push(format!("services/{service}/"));
            dirs.push(format!("services/{service}/{env}/"));
        }
        if let Some(tenant) = self.tenant {
            dirs.push(format!("tenants/{tenant}/"));
            dirs.push(format!("tenants/{tenant}/{env}/"));
        }
        dirs
    }

    /// Returns where a classified file comes in the merge order, from 0 (`global`) to 5
    /// (`tenants/<t>/<env>`), or `None` when the file is not part of this target.
    pub fn rank(&self, file: &LayerFile) -> Option<u8> {
        let this_env = |env: &str| env == self.env;
        match (&file.layer, file.env.as_deref()) {
            (Layer::Global, None) => Some(0),
            (Layer::Environment, Some(env)) if this_env(env) => Some(1),
            (Layer::Service(s), env) if self.service == Some(s.as_str()) => match env {
                None => Some(2),
                Some(env) if this_env(env) => Some(3),
                Some(_) => None,
            },
            (Layer::Tenant(t), env) if self.tenant == Some(t.as_str()) => match env {
                None => Some(4),
                Some(env) if this_env(env) => Some(5),
                Some(_) => None,
            },
            _ => None,
        }
    }

    /// Groups repository paths by document name, each with its layer files in merge order;
    /// `is_env` tells the known environment names, as for [`classify`]. Paths outside the
    /// layers or outside this target are left out.
    pub fn documents<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p str>,
        is_env: impl Fn(&str) -> bool,
    ) -> BTreeMap<String, Vec<String>> {
        let mut ranked: BTreeMap<String, Vec<(u8, &str)>> = BTreeMap::new();
        for path in paths {
            let Some(file) = classify(path, &is_env) else {
                continue;
            };
            if let Some(rank) = self.rank(&file) {
                ranked.entry(file.document).or_default().push((rank, path));
            }
        }
        ranked
            .into_iter()
            .map(|(document, mut files)| {
                files.sort_unstable();
                let paths = files.into_iter().map(|(_, p)| p.to_string()).collect();
                (document, paths)
            })
            .collect()
    }
}

impl Rendered {
    /// Returns the layer file a node of [`Rendered::root`] came from.
    pub fn file_of(&self, node: &Node) -> Option<&str> {
        self.files.get(node.origin as usize).map(String::as_str)
    }
}

/// Merges one document's layer files, given in merge order as (repository path, parsed root).
///
/// A null root (an empty file, or one of only comments) overrides nothing. Null mapping values
/// never reach the result, in any layer: a null deletes the key if an earlier layer set it and
/// adds nothing otherwise, so `a: null` means the same in `global` as in an override. Nulls
/// inside sequences are kept, since a sequence is taken whole. A key deleted and set again by a
/// later layer moves to the end. With no layers, or only null roots, the root is null.
pub fn merge(document: &str, layers: Vec<(String, Node)>) -> Rendered {
    let mut files = Vec::with_capacity(layers.len());
    let mut root: Option<Node> = None;
    for (origin, (path, mut layer)) in layers.into_iter().enumerate() {
        files.push(path);
        set_origin(&mut layer, origin as u32);
        if matches!(layer.value, Value::Null) {
            continue;
        }
        match &mut root {
            Some(base) => merge_into(base, layer),
            None => root = Some(adopt(layer)),
        }
    }
    Rendered {
        document: document.to_string(),
        root: root.unwrap_or_else(|| Node::new(Value::Null, Pos::new(1, 1))),
        files,
    }
}

fn set_origin(node: &mut Node, origin: u32) {
    node.origin = origin;
    match &mut node.value {
        Value::Map(map) => {
            for entry in map.values_mut() {
                set_origin(&mut entry.value, origin);
            }
        }
        Value::Seq(items) => {
            for item in items {
                set_origin(item, origin);
            }
        }
        _ => {}
    }
}

/// Merges a later layer's node (never null) into the result so far.
fn merge_into(base: &mut Node, over: Node) {
    match (&mut base.value, over.value) {
        (Value::Map(into), Value::Map(from)) => {
            // The mapping keeps the origin and position of the layer that created it.
            for (key, entry) in from {
                merge_entry(into, key, entry);
            }
        }
        (_, value) => *base = adopt(Node { value, ..over }),
    }
}

fn merge_entry(into: &mut Map, key: String, entry: Entry) {
    if matches!(entry.value.value, Value::Null) {
        into.shift_remove(&key);
        return;
    }
    match into.get_mut(&key) {
        Some(existing) => {
            // `key_pos` must be read in the file of the value's origin: it moves with the
            // value when the value is replaced, and stays when a mapping is merged into.
            let merged = matches!(
                (&existing.value.value, &entry.value.value),
                (Value::Map(_), Value::Map(_))
            );
            if !merged {
                existing.key_pos = entry.key_pos;
            }
            merge_into(&mut existing.value, entry.value);
        }
        None => {
            let entry = Entry {
                key_pos: entry.key_pos,
                value: adopt(entry.value),
            };
            into.insert(key, entry);
        }
    }
}

/// Takes a node into the result as new: its mappings lose their null entries, as if merged
/// into nothing. In place: the keys of one mapping are distinct, so merging them one by one
/// into an empty mapping would rebuild the same mapping without its nulls.
fn adopt(mut node: Node) -> Node {
    drop_nulls(&mut node);
    node
}

fn drop_nulls(node: &mut Node) {
    if let Value::Map(map) = &mut node.value {
        map.retain(|_, entry| !matches!(entry.value.value, Value::Null));
        for entry in map.values_mut() {
            drop_nulls(&mut entry.value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Node {
        crate::document::test_yaml(text)
    }

    fn render(layers: &[(&str, &str)]) -> Rendered {
        let layers = layers
            .iter()
            .map(|(path, text)| (path.to_string(), yaml(text)))
            .collect();
        merge("doc.yaml", layers)
    }

    fn at<'n>(node: &'n Node, path: &str) -> &'n Node {
        path.split('.').fold(node, |node, key| match &node.value {
            Value::Seq(items) => &items[key.parse::<usize>().unwrap()],
            _ => node
                .get(key)
                .unwrap_or_else(|| panic!("no `{key}` in {path}")),
        })
    }

    fn keys(node: &Node) -> Vec<&str> {
        node.as_map().unwrap().keys().map(String::as_str).collect()
    }

    fn json(r: &Rendered) -> serde_json::Value {
        r.root.to_json()
    }

    const SIX: [&str; 6] = [
        "global/doc.yaml",
        "environments/staging/doc.yaml",
        "services/chat/doc.yaml",
        "services/chat/staging/doc.yaml",
        "tenants/acme/doc.yaml",
        "tenants/acme/staging/doc.yaml",
    ];

    #[test]
    fn later_layers_win_in_the_documented_order() {
        // Layer i sets the keys l0..l5 from li on: each key ends with the last layer that set it.
        let texts: Vec<String> = (0..6)
            .map(|i| (i..6).map(|k| format!("l{k}: {i}\n")).collect())
            .collect();
        let layers: Vec<(&str, &str)> = SIX
            .iter()
            .copied()
            .zip(texts.iter().map(String::as_str))
            .collect();
        let r = render(&layers);
        assert_eq!(
            json(&r),
            serde_json::json!({"l0": 0, "l1": 1, "l2": 2, "l3": 3, "l4": 4, "l5": 5})
        );
        for (k, file) in SIX.iter().enumerate() {
            let node = at(&r.root, &format!("l{k}"));
            assert_eq!(r.file_of(node), Some(*file));
        }
        assert_eq!(r.files, SIX);
        assert_eq!(r.document, "doc.yaml");
    }

    #[test]
    fn target_orders_and_selects_layer_files() {
        let target = Target {
            env: "staging",
            service: Some("chat"),
            tenant: Some("acme"),
        };
        assert_eq!(
            target.layer_dirs(),
            [
                "global/",
                "environments/staging/",
                "services/chat/",
                "services/chat/staging/",
                "tenants/acme/",
                "tenants/acme/staging/",
            ]
        );
        let env_only = Target {
            env: "production",
            service: None,
            tenant: None,
        };
        assert_eq!(
            env_only.layer_dirs(),
            ["global/", "environments/production/"]
        );

        let is_env = |name: &str| name == "staging" || name == "production";
        let mut paths: Vec<&str> = SIX.iter().rev().copied().collect();
        paths.extend([
            "environments/production/doc.yaml",
            "services/chat/production/doc.yaml",
            "services/mail/doc.yaml",
            "tenants/other/staging/doc.yaml",
            "tenants/acme/staging/only-here.yaml",
            "services/chat/extra/doc.yaml",
            "schemas/doc.json",
            "global/README.md",
        ]);
        let docs = target.documents(paths.iter().copied(), is_env);
        assert_eq!(
            docs.keys().map(String::as_str).collect::<Vec<_>>(),
            ["doc.yaml", "extra/doc.yaml", "only-here.yaml"]
        );
        assert_eq!(docs["doc.yaml"], SIX);
        assert_eq!(
            docs["only-here.yaml"],
            ["tenants/acme/staging/only-here.yaml"]
        );

        let docs = env_only.documents(paths.iter().copied(), is_env);
        assert_eq!(
            docs["doc.yaml"],
            ["global/doc.yaml", "environments/production/doc.yaml"]
        );
        assert_eq!(docs.len(), 1);
    }

    /// A service's or tenant's directory for another environment is not part of this target.
    #[test]
    fn layers_of_other_environments_are_left_out() {
        let staging = Target {
            env: "staging",
            service: Some("chat"),
            tenant: Some("acme"),
        };
        let is_env = |name: &str| name == "staging" || name == "production";
        let rank = |path: &str| staging.rank(&classify(path, is_env).unwrap());
        assert_eq!(rank("tenants/acme/staging/doc.yaml"), Some(5));
        assert_eq!(rank("tenants/acme/production/doc.yaml"), None);
        assert_eq!(rank("services/chat/staging/doc.yaml"), Some(3));
        assert_eq!(rank("services/chat/production/doc.yaml"), None);
        assert_eq!(rank("environments/production/doc.yaml"), None);
        let docs = staging.documents(
            [
                "tenants/acme/production/doc.yaml",
                "tenants/acme/production/only-prod.yaml",
                "global/doc.yaml",
            ],
            is_env,
        );
        assert_eq!(docs.len(), 1);
        assert_eq!(docs["doc.yaml"], ["global/doc.yaml"]);
    }

    #[test]
    fn mappings_merge_deeply() {
        let r = render(&[
            (
                "global/doc.yaml",
                "db:\n  primary:\n    host: a\n    port: 5432\n  pool: 10\nlog: info\n",
            ),
            (
                "environments/staging/doc.yaml",
                "db:\n  primary:\n    host: b\n",
            ),
        ]);
        assert_eq!(
            json(&r),
            serde_json::json!({"db": {"primary": {"host": "b", "port": 5432}, "pool": 10}, "log": "info"})
        );
    }

    #[test]
    fn sequences_are_replaced_whole() {
        let r = render(&[
            (
                "global/doc.yaml",
                "ports: [80, 443, 8080]\nhosts:\n  - {name: a, x: 1}\n",
            ),
            (
                "environments/staging/doc.yaml",
                "ports: [9000]\nhosts:\n  - {name: a}\n",
            ),
        ]);
        assert_eq!(
            json(&r),
            serde_json::json!({"ports": [9000], "hosts": [{"name": "a"}]})
        );
        assert_eq!(at(&r.root, "ports.0").origin, 1);
    }

    #[test]
    fn null_deletes_keys_and_adds_nothing() {
        let r = render(&[
            (
                "global/doc.yaml",
                "a: 1\nb:\n  c: 1\n  d: 2\ne: 3\nplaceholder: null\nlist: [1, null]\n",
            ),
            (
                "environments/staging/doc.yaml",
                "a: ~\nb:\n  c: null\ne:\nnew: null\nfresh:\n  x: 1\n  y: null\n",
            ),
        ]);
        assert_eq!(
            json(&r),
            serde_json::json!({"b": {"d": 2}, "list": [1, null], "fresh": {"x": 1}})
        );
    }

    #[test]
    fn empty_layers_override_nothing() {
        let r = render(&[
            ("global/doc.yaml", "a: 1\n"),
            ("environments/staging/doc.yaml", "# nothing here yet\n"),
            ("services/chat/doc.yaml", ""),
        ]);
        assert_eq!(json(&r), serde_json::json!({"a": 1}));
        assert_eq!(r.files.len(), 3);
        let none = merge("doc.yaml", Vec::new());
        assert_eq!(none.root.value, Value::Null);
        assert!(none.files.is_empty());
    }

    #[test]
    fn scalars_and_mappings_replace_each_other() {
        let r = render(&[
            ("global/doc.yaml", "a:\n  x: 1\nb: plain\nc: [1]\n"),
            (
                "environments/staging/doc.yaml",
                "a: off\nb:\n  y: 2\nc:\n  z: 3\n",
            ),
            ("services/chat/doc.yaml", "b:\n  w: 4\n"),
        ]);
        assert_eq!(
            json(&r),
            serde_json::json!({"a": "off", "b": {"y": 2, "w": 4}, "c": {"z": 3}})
        );
        // The mapping that replaced a scalar belongs to the layer that wrote it.
        let b = at(&r.root, "b");
        assert_eq!((b.origin, b.pos), (1, Pos::new(3, 3)));
        assert_eq!(r.root.as_map().unwrap()["b"].key_pos, Pos::new(2, 1));

        let r = render(&[
            ("global/doc.yaml", "a: 1\n"),
            ("environments/staging/doc.yaml", "- x\n"),
        ]);
        assert_eq!(json(&r), serde_json::json!(["x"]));
        let r = render(&[
            ("global/doc.yaml", "- x\n"),
            ("environments/staging/doc.yaml", "a: 1\n"),
        ]);
        assert_eq!(json(&r), serde_json::json!({"a": 1}));
    }

    #[test]
    fn keys_keep_their_first_place_and_new_keys_append() {
        let r = render(&[
            ("global/doc.yaml", "a: 1\nb: 2\nc: 3\nd: 4\n"),
            (
                "environments/staging/doc.yaml",
                "z: 0\nc: 30\na: 10\nb: null\n",
            ),
            ("services/chat/doc.yaml", "b: 20\ny: 0\n"),
        ]);
        assert_eq!(keys(&r.root), ["a", "c", "d", "z", "b", "y"]);
        let r = render(&[
            ("global/doc.yaml", "m:\n  k2: 1\n  k1: 1\n"),
            ("environments/staging/doc.yaml", "m:\n  k0: 1\n  k1: 2\n"),
        ]);
        assert_eq!(keys(at(&r.root, "m")), ["k2", "k1", "k0"]);
    }

    #[test]
    fn every_node_keeps_its_file_and_position() {
        let r = render(&[
            (
                "global/database.yaml",
                "database:\n  host: db.internal\n  port: 5432\n  tags: [a, b]\n",
            ),
            (
                "environments/staging/database.yaml",
                "# staging\ndatabase:\n  port: 6432\n  tags:\n    - c\n",
            ),
        ]);
        let db = at(&r.root, "database");
        // The merged mapping is global's; each entry keeps its own file and place.
        assert_eq!(
            (r.file_of(db), db.pos),
            (Some("global/database.yaml"), Pos::new(2, 3))
        );
        let host = at(&r.root, "database.host");
        assert_eq!((host.origin, host.pos), (0, Pos::new(2, 9)));
        let port = at(&r.root, "database.port");
        assert_eq!(
            (r.file_of(port), port.pos),
            (Some("environments/staging/database.yaml"), Pos::new(3, 9))
        );
        let tag = at(&r.root, "database.tags.0");
        assert_eq!((tag.origin, tag.pos), (1, Pos::new(5, 7)));
        // Key positions are read in the file of the value's origin.
        let entries = db.as_map().unwrap();
        assert_eq!(entries["host"].key_pos, Pos::new(2, 3));
        assert_eq!(entries["port"].key_pos, Pos::new(3, 3));
        assert_eq!(entries["tags"].key_pos, Pos::new(4, 3));
        assert_eq!(r.root.as_map().unwrap()["database"].key_pos, Pos::new(1, 1));
    }

    #[test]
    fn a_document_may_start_in_a_later_layer() {
        let r = merge(
            "queues.yaml",
            vec![(
                "tenants/acme/staging/queues.yaml".into(),
                yaml("q: [a]\nn: null\n"),
            )],
        );
        assert_eq!(json(&r), serde_json::json!({"q": ["a"]}));
        let q = at(&r.root, "q.0");
        assert_eq!(
            (r.file_of(q), q.pos),
            (Some("tenants/acme/staging/queues.yaml"), Pos::new(1, 5))
        );
        let r = render(&[
            ("global/doc.yaml", ""),
            ("services/chat/doc.yaml", "a: 1\n"),
        ]);
        assert_eq!(json(&r), serde_json::json!({"a": 1}));
        assert_eq!(r.file_of(&r.root), Some("services/chat/doc.yaml"));
    }
}
