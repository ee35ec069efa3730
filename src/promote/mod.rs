//! Promotion plans: what copying one environment's documents onto the next would change,
//! key path by key path, with the keys pinned in `[promote] pinned` kept at the target's
//! value. Pure: [`plan`] works on parsed documents, the command writes and commits.

pub mod new_environment;
pub mod prepare;

pub use prepare::{Prepared, Request, prepare};

use crate::diff::{self, Kind};
use crate::document::{KeyPath, KeyPattern, Node, Segment};
use crate::edit::{self, Edit};
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::HashSet;

/// What happens to one key path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The value changes to the source's.
    Promoted,
    /// The key is new in the target.
    Added,
    /// The key is gone from the target.
    Removed,
    /// The values differ but the key is pinned: the target keeps its own.
    Pinned,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyChange {
    pub path: String,
    pub action: Action,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// What happens to one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocAction {
    /// The target's file is edited in place.
    Update,
    /// The document is new in the target and copied whole.
    Copy,
    /// Nothing to change.
    Unchanged,
}

/// One document of a source environment, as read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
    pub root: Node,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocPlan {
    pub document: String,
    pub action: DocAction,
    pub file: String,
    pub changes: Vec<KeyChange>,
    /// Leaf values that are already equal.
    pub unchanged: usize,
    #[serde(skip)]
    pub edits: Vec<Edit>,
    /// What the target file must mean afterwards.
    #[serde(skip)]
    pub expected: Option<Node>,
}

/// Plans promoting `from` documents onto `to` documents (both by document name); `to_dir` is
/// the target environment's directory (`environments/prod/`) for new documents.
pub fn plan(
    from: &BTreeMap<String, Source>,
    to: &BTreeMap<String, Source>,
    to_dir: &str,
    pinned: &[KeyPattern],
) -> Vec<DocPlan> {
    let options = diff::Options::default();
    let mut plans = Vec::new();
    for (name, source) in from {
        let Some(target) = to.get(name) else {
            plans.push(DocPlan {
                document: name.clone(),
                action: DocAction::Copy,
                file: format!("{to_dir}{name}"),
                changes: Vec::new(),
                unchanged: 0,
                edits: Vec::new(),
                expected: Some(source.root.clone()),
            });
            continue;
        };
        let mut changes = Vec::new();
        let mut edits: Vec<Edit> = Vec::new();
        // Each edit's key path once; lists (by their key path) holding a pinned change; each
        // change's enclosing list, if it is inside one. Sets, so planning stays linear.
        let mut edited: HashSet<Vec<String>> = HashSet::new();
        let mut lists_with_pins: HashSet<Vec<String>> = HashSet::new();
        let mut in_list: Vec<Option<Vec<String>>> = Vec::new();
        for change in diff::diff(&target.root, &source.root, &options) {
            let pinned_here = is_pinned(&change.path, pinned);
            let action = match (pinned_here, change.kind) {
                (true, _) => Action::Pinned,
                (false, Kind::Added) => Action::Added,
                (false, Kind::Removed) => Action::Removed,
                (false, Kind::Changed | Kind::Reordered) => Action::Promoted,
            };
            // Sequences are taken whole: an edit inside a list replaces the list.
            let keys: Vec<String> = change
                .path
                .segments()
                .iter()
                .map_while(|s| match s {
                    Segment::Key(k) => Some(k.clone()),
                    _ => None,
                })
                .collect();
            let whole_list = keys.len() < change.path.segments().len();
            changes.push(KeyChange {
                path: change.path.to_string(),
                action,
                old: change.old.map(Node::to_json),
                new: change.new.map(Node::to_json),
            });
            in_list.push(whole_list.then(|| keys.clone()));
            if action == Action::Pinned {
                if whole_list {
                    lists_with_pins.insert(keys);
                }
                continue;
            }
            let value = if action == Action::Removed && !whole_list {
                None
            } else {
                Some(at_keys(&source.root, &keys).cloned()).flatten()
            };
            if edited.insert(keys.clone()) {
                edits.push(Edit { path: keys, value });
            }
        }
        // A list is replaced whole, so a pinned value inside it pins the whole list: the
        // target keeps its list, and every change inside it is reported as pinned.
        edits.retain(|e| !lists_with_pins.contains(&e.path));
        for (change, list) in changes.iter_mut().zip(&in_list) {
            if list.as_ref().is_some_and(|l| lists_with_pins.contains(l)) {
                change.action = Action::Pinned;
            }
        }
        let moved = changes
            .iter()
            .filter(|c| c.action != Action::Pinned)
            .count();
        let unchanged = leaves(&source.root).saturating_sub(changes.len());
        let mut expected = target.root.clone();
        edit::apply_to_tree(&mut expected, &edits);
        plans.push(DocPlan {
            document: name.clone(),
            action: if moved == 0 {
                DocAction::Unchanged
            } else {
                DocAction::Update
            },
            file: target.path.clone(),
            changes,
            unchanged,
            edits,
            expected: Some(expected),
        });
    }
    plans
}

fn at_keys<'a>(root: &'a Node, keys: &[String]) -> Option<&'a Node> {
    keys.iter().try_fold(root, |node, key| node.get(key))
}

fn leaves(node: &Node) -> usize {
    let mut count = 0;
    node.walk_refs(&mut |_, n| {
        if !matches!(
            n.value,
            crate::document::Value::Map(_) | crate::document::Value::Seq(_)
        ) {
            count += 1;
        }
    });
    count
}

/// Returns whether a key path is pinned: a pattern matches it or one of its parents (pinning
/// `database.read_replicas` pins everything in that list).
pub fn is_pinned(path: &KeyPath, pinned: &[KeyPattern]) -> bool {
    pinned.iter().any(|p| p.covers(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(texts: &[&str]) -> Vec<KeyPattern> {
        texts
            .iter()
            .map(|t| KeyPattern::parse(t).unwrap())
            .collect()
    }

    /// Each change of a plan as (key path, action).
    fn actions(plan: &DocPlan) -> Vec<(&str, Action)> {
        plan.changes
            .iter()
            .map(|c| (c.path.as_str(), c.action))
            .collect()
    }

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
            root: crate::document::test_yaml(text),
        }
    }

    #[test]
    fn pinning_a_key_pins_what_is_below_it_and_lists_stay_whole() {
        let from = BTreeMap::from([(
            "db.yaml".to_string(),
            source(
                "s/db.yaml",
                "db:\n  replicas: [{host: s1, port: 1}]\n  nodes: [{host: s2, port: 7}]\n  pool: {max: 5}\n",
            ),
        )]);
        let to = BTreeMap::from([(
            "db.yaml".to_string(),
            source(
                "p/db.yaml",
                "db:\n  replicas: [{host: p1, port: 1}, {host: p2, port: 1}]\n  nodes: [{host: p3, port: 8}]\n  pool: {max: 50}\n",
            ),
        )]);
        let pins = patterns(&["db.replicas", "**.host", "db.pool"]);
        let plans = plan(&from, &to, "p/", &pins);
        assert!(
            plans[0].changes.iter().all(|c| c.action == Action::Pinned),
            "{:?}",
            plans[0].changes
        );
        assert_eq!(plans[0].action, DocAction::Unchanged);
        let expected = plans[0].expected.as_ref().unwrap().to_json();
        assert_eq!(
            expected["db"]["nodes"][0]["port"], 8,
            "a list with a pinned host is kept whole"
        );
    }

    #[test]
    fn plans_classify_every_key() {
        let from = BTreeMap::from([
            (
                "db.yaml".to_string(),
                source(
                    "environments/stage/db.yaml",
                    "db:\n  host: stage.internal\n  pool: 40\n  timeout: 5s\n  ports: [1, 2]\n",
                ),
            ),
            (
                "new.yaml".to_string(),
                source("environments/stage/new.yaml", "x: 1\n"),
            ),
        ]);
        let to = BTreeMap::from([(
            "db.yaml".to_string(),
            source(
                "environments/prod/db.yaml",
                "db:\n  host: prod.internal\n  pool: 10\n  legacy: true\n  ports: [1]\n",
            ),
        )]);
        let plans = plan(&from, &to, "environments/prod/", &patterns(&["**.host"]));
        let db = &plans[0];
        let actions = actions(db);
        assert_eq!(
            actions,
            [
                ("db.host", Action::Pinned),
                ("db.pool", Action::Promoted),
                ("db.legacy", Action::Removed),
                ("db.timeout", Action::Added),
                ("db.ports[1]", Action::Added),
            ]
        );
        let expected = db.expected.as_ref().unwrap().to_json();
        assert_eq!(expected["db"]["host"], "prod.internal");
        assert_eq!(expected["db"]["pool"], 40);
        assert_eq!(expected["db"]["ports"], serde_json::json!([1, 2]));
        assert!(expected["db"].get("legacy").is_none());
        assert_eq!(plans[1].action, DocAction::Copy);
        assert_eq!(plans[1].file, "environments/prod/new.yaml");
    }

    /// A list that lost elements is replaced by the source's list, never deleted; the leaves
    /// the source holds beyond the changes are counted as unchanged.
    #[test]
    fn a_shorter_list_replaces_the_longer_one_and_unchanged_leaves_are_counted() {
        let from = BTreeMap::from([(
            "db.yaml".to_string(),
            source("s/db.yaml", "db:\n  host: a\n  pool: 5\n  ports: [1, 2]\n"),
        )]);
        let to = BTreeMap::from([(
            "db.yaml".to_string(),
            source(
                "p/db.yaml",
                "db:\n  host: a\n  pool: 9\n  ports: [1, 2, 3]\n",
            ),
        )]);
        let plans = plan(&from, &to, "p/", &[]);
        let actions = actions(&plans[0]);
        assert_eq!(
            actions,
            [
                ("db.pool", Action::Promoted),
                ("db.ports[2]", Action::Removed)
            ]
        );
        let expected = plans[0].expected.as_ref().unwrap().to_json();
        assert_eq!(
            expected,
            serde_json::json!({"db": {"host": "a", "pool": 5, "ports": [1, 2]}})
        );
        // The source's leaves are host, pool, 1 and 2; two changes.
        assert_eq!(plans[0].unchanged, 2);
    }

    /// The template pinned `external_apis.*.auth.*_file` ("mounted certificate paths"), yet a
    /// promotion copied `external_apis.ledger.auth.cert_file`: `*_file` was compared as a
    /// literal key name.
    #[test]
    fn a_star_inside_a_key_pins_mounted_file_paths() {
        let doc = |dir: &str| {
            source(
                "x",
                &format!(
                    "external_apis:\n  ledger:\n    timeout: {dir}s\n    auth:\n      type: mtls\n      cert_file: /{dir}/client.crt\n      key_file: /{dir}/client.key\n"
                ),
            )
        };
        let from = BTreeMap::from([("apis.yaml".to_string(), doc("1"))]);
        let to = BTreeMap::from([("apis.yaml".to_string(), doc("2"))]);
        let plans = plan(
            &from,
            &to,
            "p/",
            &patterns(&["external_apis.*.auth.*_file"]),
        );
        let actions = actions(&plans[0]);
        assert_eq!(
            actions,
            [
                ("external_apis.ledger.timeout", Action::Promoted),
                ("external_apis.ledger.auth.cert_file", Action::Pinned),
                ("external_apis.ledger.auth.key_file", Action::Pinned),
            ]
        );
    }
}
