//! Semantic diff of two document trees, key path by key path.
//!
//! Mappings are compared by key; lists by an identity field (`name`, `id`, `key`) when every
//! item has one with unique values, else by position. The walk borrows both trees and visits
//! each pair of nodes once, so cost grows linearly with their size. Nothing here reads files
//! or prints: the `diff` command renders the [`Change`]s.

mod text;

pub use text::text_lines;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use crate::document::{KeyPath, Map, Node, Pos, Segment, Value};

/// How two trees are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Ignore list order: lists matched by identity report no [`Kind::Reordered`], and lists
    /// matched by position are equal when they hold the same items in any order.
    pub ignore_order: bool,
    /// Fields that identify a list item, tried in order (the first one every item has wins).
    pub identity_fields: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ignore_order: false,
            identity_fields: ["name", "id", "key"].map(String::from).to_vec(),
        }
    }
}

/// What happened at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Removed,
    Changed,
    /// The items of a list matched by identity are in another order; `old` and `new` are the
    /// two lists, and changes inside the items are reported separately.
    Reordered,
}

/// One difference between the old tree (`a`) and the new tree (`b`).
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub path: KeyPath,
    pub kind: Kind,
    /// The old value; `None` for [`Kind::Added`].
    pub old: Option<&'a Node>,
    /// The new value; `None` for [`Kind::Removed`].
    pub new: Option<&'a Node>,
    /// Where the change sits in the old source: the key's position when the path ends at a
    /// mapping key, else the node's. The file is `old.origin`.
    pub old_pos: Option<Pos>,
    /// Where the change sits in the new source, as `old_pos`; the file is `new.origin`.
    pub new_pos: Option<Pos>,
}

impl Change<'_> {
    /// Returns the line diff of a changed string when either side spans several lines.
    pub fn text_lines(&self) -> Option<Vec<String>> {
        let old = self.old?.as_str()?;
        let new = self.new?.as_str()?;
        (self.kind == Kind::Changed && (old.contains('\n') || new.contains('\n')))
            .then(|| text_lines(old, new))
    }
}

/// Returns every difference from `a` to `b`, in document order: `b`'s order, with removed
/// keys and items where they were in `a`. Equal trees give nothing.
pub fn diff<'a>(a: &'a Node, b: &'a Node, options: &Options) -> Vec<Change<'a>> {
    let mut walk = Walk {
        options,
        path: Vec::new(),
        out: Vec::new(),
    };
    walk.node(a, b, a.pos, b.pos);
    walk.out
}

/// Returns true when two nodes hold the same value: positions, origin and quoting are
/// ignored, mapping key order too; an integer never equals a float (`1` and `1.0` differ),
/// and NaN equals NaN so that a document equals itself.
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, e)| y.get(k).is_some_and(|f| same_value(&e.value, &f.value)))
        }
        _ => false,
    }
}

/// Returns the field that matches the items of two lists, or `None` when they are matched by
/// position: the first of `options.identity_fields` that every item of both lists has as a
/// non-null scalar, provided its values (compared as text) are unique within each list.
pub fn identity_field<'o>(a: &[Node], b: &[Node], options: &'o Options) -> Option<&'o str> {
    let field = find_identity_field(a, b, options)?;
    let unique = |items| identity_texts(items, field).is_some_and(|t| unique_index(&t).is_some());
    (unique(a) && unique(b)).then_some(field)
}

/// Returns the text an identity value is compared and displayed by, for a scalar.
fn scalar_text(node: &Node) -> Option<Cow<'_, str>> {
    match &node.value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Int(i) => Some(Cow::Owned(i.to_string())),
        Value::Float(f) => Some(Cow::Owned(f.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
    }
}

/// Returns an item's identity value node, if the item is a mapping with a scalar `field`.
fn identity<'a>(item: &'a Node, field: &str) -> Option<&'a Node> {
    item.get(field)
        .filter(|v| !matches!(v.value, Value::Null | Value::Seq(_) | Value::Map(_)))
}

fn find_identity_field<'o>(a: &[Node], b: &[Node], options: &'o Options) -> Option<&'o str> {
    options
        .identity_fields
        .iter()
        .map(String::as_str)
        .find(|field| {
            a.iter()
                .chain(b)
                .all(|item| identity(item, field).is_some())
        })
}

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Returns the identity text of every item, or `None` if an item lacks the field.
fn identity_texts<'a>(items: &'a [Node], field: &str) -> Option<Vec<Cow<'a, str>>> {
    items
        .iter()
        .map(|item| identity(item, field).and_then(scalar_text))
        .collect()
}

/// Returns the index of each identity text, or `None` if two items share one.
fn unique_index<'t>(texts: &'t [Cow<'_, str>]) -> Option<FastMap<&'t str, usize>> {
    let mut index = FastMap::default();
    index.reserve(texts.len());
    for (i, text) in texts.iter().enumerate() {
        if index.insert(text.as_ref(), i).is_some() {
            return None;
        }
    }
    Some(index)
}

/// One step of the path being walked, borrowed from the trees; it becomes a [`Segment`]
/// only when a change is reported, so equal subtrees allocate nothing.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
    Item { field: &'a str, id: &'a Node },
}

struct Walk<'a, 'o> {
    options: &'o Options,
    path: Vec<Step<'a>>,
    out: Vec<Change<'a>>,
}

impl<'a> Walk<'a, '_> {
    /// Compares two nodes found at the current path; `a_at` and `b_at` are where the path
    /// points in each source (a key's position, or the node's).
    fn node(&mut self, a: &'a Node, b: &'a Node, a_at: Pos, b_at: Pos) {
        match (&a.value, &b.value) {
            (Value::Map(x), Value::Map(y)) => self.map(x, y),
            (Value::Seq(x), Value::Seq(y)) => self.seq((a, x), (b, y), a_at, b_at),
            // Scalars, and a change of type: one change here, nothing below.
            _ if same_value(a, b) => {}
            _ => self.report(Kind::Changed, Some((a, a_at)), Some((b, b_at))),
        }
    }

    fn map(&mut self, a: &'a Map, b: &'a Map) {
        // Each removed key goes after the last key before it that `b` also has.
        let removed = removed_in_place(a.len(), |i| b.get_index_of(a.get_index(i)?.0));
        let mut removed = removed.iter().peekable();
        for slot in 0..=b.len() {
            while let Some(&&(_, ai)) = removed.peek().filter(|r| r.0 == slot) {
                removed.next();
                let (key, entry) = a.get_index(ai).expect("index from a");
                self.path.push(Step::Key(key));
                self.report(Kind::Removed, Some((&entry.value, entry.key_pos)), None);
                self.path.pop();
            }
            let Some((key, new)) = b.get_index(slot) else {
                break;
            };
            self.path.push(Step::Key(key));
            match a.get(key) {
                Some(old) => self.node(&old.value, &new.value, old.key_pos, new.key_pos),
                None => self.report(Kind::Added, None, Some((&new.value, new.key_pos))),
            }
            self.path.pop();
        }
    }

    fn seq(
        &mut self,
        (a_list, a): (&'a Node, &'a [Node]),
        (b_list, b): (&'a Node, &'a [Node]),
        a_at: Pos,
        b_at: Pos,
    ) {
        if a.is_empty() && b.is_empty() {
            return;
        }
        if let Some(field) = find_identity_field(a, b, self.options)
            && let Some(a_ids) = identity_texts(a, field)
            && let Some(b_ids) = identity_texts(b, field)
            && let Some(a_index) = unique_index(&a_ids)
            && let Some(b_index) = unique_index(&b_ids)
        {
            let in_b = |ai: usize| b_index.get(a_ids[ai].as_ref()).copied();
            let in_a = |bi: usize| a_index.get(b_ids[bi].as_ref()).copied();
            if !self.options.ignore_order {
                let mut common = (0..b.len()).filter_map(in_a);
                let mut last = common.next();
                let in_order = common.all(|ai| {
                    let ordered = last < Some(ai);
                    last = Some(ai);
                    ordered
                });
                if !in_order {
                    self.report(Kind::Reordered, Some((a_list, a_at)), Some((b_list, b_at)));
                }
            }
            let removed = removed_in_place(a.len(), in_b);
            let mut removed = removed.iter().peekable();
            for slot in 0..=b.len() {
                while let Some(&&(_, ai)) = removed.peek().filter(|r| r.0 == slot) {
                    removed.next();
                    self.path.push(item_step(&a[ai], field));
                    self.report(Kind::Removed, Some((&a[ai], a[ai].pos)), None);
                    self.path.pop();
                }
                let Some(new) = b.get(slot) else {
                    break;
                };
                self.path.push(item_step(new, field));
                match in_a(slot) {
                    Some(ai) => self.node(&a[ai], new, a[ai].pos, new.pos),
                    None => self.report(Kind::Added, None, Some((new, new.pos))),
                }
                self.path.pop();
            }
            return;
        }
        if self.options.ignore_order && a.len() == b.len() && same_multiset(a, b) {
            return;
        }
        for (i, (old, new)) in a.iter().zip(b).enumerate() {
            self.path.push(Step::Index(i));
            self.node(old, new, old.pos, new.pos);
            self.path.pop();
        }
        for (i, new) in b.iter().enumerate().skip(a.len()) {
            self.path.push(Step::Index(i));
            self.report(Kind::Added, None, Some((new, new.pos)));
            self.path.pop();
        }
        for (i, old) in a.iter().enumerate().skip(b.len()) {
            self.path.push(Step::Index(i));
            self.report(Kind::Removed, Some((old, old.pos)), None);
            self.path.pop();
        }
    }

    /// Records a change at the current path.
    fn report(&mut self, kind: Kind, old: Option<(&'a Node, Pos)>, new: Option<(&'a Node, Pos)>) {
        let mut path = KeyPath::root();
        for step in &self.path {
            path.push(match *step {
                Step::Key(key) => Segment::Key(key.to_string()),
                Step::Index(i) => Segment::Index(i),
                Step::Item { field, id } => Segment::Item {
                    field: field.to_string(),
                    value: scalar_text(id).unwrap_or_default().into_owned(),
                },
            });
        }
        self.out.push(Change {
            path,
            kind,
            old: old.map(|o| o.0),
            new: new.map(|n| n.0),
            old_pos: old.map(|o| o.1),
            new_pos: new.map(|n| n.1),
        });
    }
}

/// Returns the path step of a list item matched by `field`, borrowing the field's name from
/// the item itself so that the step lives as long as the tree.
fn item_step<'a>(item: &'a Node, field: &str) -> Step<'a> {
    let (field, id) = item
        .as_map()
        .and_then(|map| map.get_key_value(field))
        .map(|(key, entry)| (key.as_str(), &entry.value))
        .expect("every item of an identity-matched list has the field");
    Step::Item { field, id }
}

/// Returns true when two lists of equal length hold the same items, counted with
/// multiplicity, in any order. Items are bucketed by a hash consistent with [`same_value`].
fn same_multiset(a: &[Node], b: &[Node]) -> bool {
    let state = foldhash::fast::RandomState::default();
    let mut buckets: FastMap<u64, Vec<usize>> = FastMap::default();
    buckets.reserve(a.len());
    for (i, item) in a.iter().enumerate() {
        buckets.entry(value_hash(item, &state)).or_default().push(i);
    }
    b.iter().all(|item| {
        let Some(bucket) = buckets.get_mut(&value_hash(item, &state)) else {
            return false;
        };
        match bucket.iter().position(|&i| same_value(&a[i], item)) {
            Some(found) => {
                bucket.swap_remove(found);
                true
            }
            None => false,
        }
    })
}

/// Hashes a value so that [`same_value`] nodes hash alike: mapping entries are combined
/// without regard to order, all NaNs and both zeros hash as one.
fn value_hash(node: &Node, state: &impl BuildHasher) -> u64 {
    let mut h = state.build_hasher();
    match &node.value {
        Value::Null => 0u8.hash(&mut h),
        Value::Bool(b) => (1u8, b).hash(&mut h),
        Value::Int(i) => (2u8, i).hash(&mut h),
        Value::Float(f) => {
            let bits = if f.is_nan() {
                f64::NAN.to_bits()
            } else if *f == 0.0 {
                0
            } else {
                f.to_bits()
            };
            (3u8, bits).hash(&mut h);
        }
        Value::String(s) => (4u8, s).hash(&mut h),
        Value::Seq(items) => {
            (5u8, items.len()).hash(&mut h);
            for item in items {
                value_hash(item, state).hash(&mut h);
            }
        }
        Value::Map(map) => {
            let entries = map.iter().fold(0u64, |sum, (key, entry)| {
                sum.wrapping_add(state.hash_one((key, value_hash(&entry.value, state))))
            });
            (6u8, map.len(), entries).hash(&mut h);
        }
    }
    h.finish()
}

/// Returns `(slot, index in a)` for every element of `a` that `b` lacks, sorted by slot: the
/// element is reported just before `b`'s element `slot` (or at the end when `slot` is
/// `b`'s length). `in_b` maps an index of `a` to the matching index of `b`.
fn removed_in_place(a_len: usize, in_b: impl Fn(usize) -> Option<usize>) -> Vec<(usize, usize)> {
    let mut removed = Vec::new();
    let mut slot = 0;
    for ai in 0..a_len {
        match in_b(ai) {
            Some(bi) => slot = bi + 1,
            None => removed.push((slot, ai)),
        }
    }
    // Stable and nearly sorted: slots only go down when common elements were reordered.
    removed.sort_by_key(|r| r.0);
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Entry, Format, Limits, parse};

    fn yaml(text: &str) -> Node {
        crate::document::test_yaml(text)
    }

    /// Each change as `kind path`, e.g. `changed services.chat.replicas`.
    fn summary(changes: &[Change<'_>]) -> Vec<String> {
        changes
            .iter()
            .map(|c| format!("{} {}", format!("{:?}", c.kind).to_lowercase(), c.path))
            .collect()
    }

    fn run(a: &str, b: &str, options: &Options) -> Vec<String> {
        summary(&diff(&yaml(a), &yaml(b), options))
    }

    fn run_default(a: &str, b: &str) -> Vec<String> {
        run(a, b, &Options::default())
    }

    fn ignoring_order() -> Options {
        Options {
            ignore_order: true,
            ..Options::default()
        }
    }

    #[test]
    fn keys_added_removed_and_changed_in_document_order() {
        let a = yaml("keep: 1\nold: x\nport: 80\nlast: true\n");
        let b = yaml("keep: 1\nport: 8080\nnew: y\nlast: true\n");
        let changes = diff(&a, &b, &Options::default());
        assert_eq!(
            summary(&changes),
            ["removed old", "changed port", "added new"]
        );

        let [removed, changed, added] = &changes[..] else {
            unreachable!()
        };
        assert_eq!(removed.old.and_then(Node::as_str), Some("x"));
        assert!(removed.new.is_none() && removed.new_pos.is_none());
        assert_eq!(removed.old_pos, Some(Pos::new(2, 1)));
        assert_eq!(changed.old.map(|n| &n.value), Some(&Value::Int(80)));
        assert_eq!(changed.new.map(|n| &n.value), Some(&Value::Int(8080)));
        assert_eq!(
            (changed.old_pos, changed.new_pos),
            (Some(Pos::new(3, 1)), Some(Pos::new(2, 1)))
        );
        assert!(added.old.is_none() && added.old_pos.is_none());
        assert_eq!(added.new_pos, Some(Pos::new(3, 1)));
    }

    #[test]
    fn removed_keys_stay_where_they_were_in_a() {
        assert_eq!(
            run_default("gone1: 1\na: 1\ngone2: 2\nb: 2\n", "b: 3\nnew: 1\na: 1\n"),
            ["removed gone1", "changed b", "added new", "removed gone2"]
        );
    }

    #[test]
    fn a_type_change_is_one_change_without_recursion() {
        assert_eq!(
            run_default("db: {host: a, port: 1}\n", "db: postgres://a\n"),
            ["changed db"]
        );
        assert_eq!(run_default("x: [1, 2]\n", "x: {a: 1}\n"), ["changed x"]);
        assert_eq!(run_default("x: '1'\n", "x: 1\n"), ["changed x"]);
        assert_eq!(run_default("x: 1\n", "x: 1.0\n"), ["changed x"]);
        assert_eq!(run_default("x: null\n", "x: {}\n"), ["changed x"]);
        assert_eq!(run_default("[1]\n", "{a: 1}\n"), ["changed (root)"]);
    }

    #[test]
    fn nested_maps_report_full_paths() {
        let a = "services:\n  chat:\n    replicas: 2\n    env: {LOG: info, OLD: 1}\n";
        let b = "services:\n  chat:\n    replicas: 3\n    env: {LOG: debug, \"a.b\": 1}\n";
        assert_eq!(
            run_default(a, b),
            [
                "changed services.chat.replicas",
                "changed services.chat.env.LOG",
                "removed services.chat.env.OLD",
                "added services.chat.env.\"a.b\"",
            ]
        );
        assert!(run_default("a: {b: 1, c: 2}\n", "a: {c: 2, b: 1}\n").is_empty());
    }

    const LISTENERS_A: &str = "
listeners:
  - name: http
    port: 80
  - name: admin
    port: 9000
  - name: https
    port: 443
";

    #[test]
    fn lists_are_matched_by_name() {
        let b = "
listeners:
  - name: http
    port: 8080
  - name: https
    port: 443
  - name: grpc
    port: 50051
";
        let (a_root, b_root) = (yaml(LISTENERS_A), yaml(b));
        let changes = diff(&a_root, &b_root, &Options::default());
        assert_eq!(
            summary(&changes),
            [
                "changed listeners[name=http].port",
                "removed listeners[name=admin]",
                "added listeners[name=grpc]",
            ]
        );
        assert_eq!(
            changes[0].path.segments()[1],
            Segment::Item {
                field: "name".into(),
                value: "http".into()
            }
        );
        assert_eq!(changes[1].old_pos, Some(Pos::new(5, 5)));
    }

    #[test]
    fn reordered_identity_lists_report_the_order_and_item_changes() {
        let b = "
listeners:
  - name: https
    port: 443
  - name: http
    port: 81
  - name: admin
    port: 9000
";
        let a_root = yaml(LISTENERS_A);
        let b_root = yaml(b);
        let changes = diff(&a_root, &b_root, &Options::default());
        assert_eq!(
            summary(&changes),
            ["reordered listeners", "changed listeners[name=http].port"]
        );
        assert_eq!(changes[0].old, a_root.get("listeners"));
        assert_eq!(changes[0].new, b_root.get("listeners"));
        assert_eq!(
            run(LISTENERS_A, b, &ignoring_order()),
            ["changed listeners[name=http].port"]
        );
        // A removal alone is no reordering.
        let fewer = "listeners: [{name: http, port: 80}, {name: https, port: 443}]\n";
        assert_eq!(
            run_default(LISTENERS_A, fewer),
            ["removed listeners[name=admin]"]
        );
    }

    #[test]
    fn identity_falls_back_through_the_fields_and_keeps_int_ids() {
        // Not every item has `name`, every item has `id`.
        let a = "users: [{id: 1, name: ann}, {id: 2}]\n";
        let b = "users: [{id: 2, role: admin}, {id: 1, name: ann}]\n";
        assert_eq!(
            run_default(a, b),
            ["reordered users", "added users[id=2].role"]
        );
        let options = Options {
            identity_fields: vec!["key".into()],
            ..Options::default()
        };
        let a = "env: [{key: A, value: 1}, {key: B C, value: 2}]\n";
        let b = "env: [{key: A, value: 1}, {key: B C, value: 3}]\n";
        assert_eq!(run(a, b, &options), ["changed env[key=\"B C\"].value"]);
    }

    #[test]
    fn some_items_without_the_identity_field_means_positions() {
        let a = "l: [{name: a, v: 1}, {v: 2}]\n";
        let b = "l: [{v: 2}, {name: a, v: 1}]\n";
        assert_eq!(
            run_default(a, b),
            [
                "removed l[0].name",
                "changed l[0].v",
                "added l[1].name",
                "changed l[1].v"
            ]
        );
        assert!(run(a, b, &ignoring_order()).is_empty());
        let a_items = yaml(a);
        let Value::Seq(items) = &a_items.get("l").unwrap().value else {
            unreachable!()
        };
        assert_eq!(identity_field(items, &[], &Options::default()), None);
    }

    #[test]
    fn duplicate_identities_mean_positions() {
        let a = "l: [{name: a, v: 1}, {name: a, v: 2}]\n";
        let b = "l: [{name: a, v: 1}, {name: a, v: 3}]\n";
        assert_eq!(run_default(a, b), ["changed l[1].v"]);
        let a_root = yaml(a);
        let Value::Seq(items) = &a_root.get("l").unwrap().value else {
            unreachable!()
        };
        assert_eq!(identity_field(items, items, &Options::default()), None);
        assert_eq!(
            identity_field(&items[..1], items, &Options::default()),
            None
        );
        assert_eq!(
            identity_field(&items[..1], &items[1..], &Options::default()),
            Some("name")
        );
    }

    #[test]
    fn positional_lists_of_scalars() {
        assert_eq!(
            run_default("p: [1, 2, 3]\n", "p: [1, 5, 3, 4, 6]\n"),
            ["changed p[1]", "added p[3]", "added p[4]"]
        );
        assert_eq!(
            run_default("p: [a, b, c]\n", "p: [a]\n"),
            ["removed p[1]", "removed p[2]"]
        );
        assert_eq!(run_default("p: []\n", "p: [x]\n"), ["added p[0]"]);
        assert!(run_default("p: []\n", "p: []\n").is_empty());
    }

    #[test]
    fn ignore_order_treats_positional_lists_as_multisets() {
        let options = ignoring_order();
        assert!(run("p: [a, b, b, {x: 1}]\n", "p: [{x: 1}, b, a, b]\n", &options).is_empty());
        assert!(run("p: [.nan, 0.0]\n", "p: [-0.0, .nan]\n", &options).is_empty());
        // Different multisets fall back to positions.
        assert_eq!(
            run("p: [a, b, b]\n", "p: [b, a, a]\n", &options),
            ["changed p[0]", "changed p[1]", "changed p[2]"]
        );
        assert_eq!(
            run("p: [a, b]\n", "p: [b, a, c]\n", &options),
            ["changed p[0]", "changed p[1]", "added p[2]"]
        );
        // Without the option, order counts.
        assert_eq!(
            run_default("p: [a, b]\n", "p: [b, a]\n"),
            ["changed p[0]", "changed p[1]"]
        );
    }

    #[test]
    fn multi_line_strings_get_a_line_diff() {
        let a = "script: |\n  set -e\n  make\n  make test\n";
        let b = "script: |\n  set -e\n  make all\n  make test\n";
        let a_root = yaml(a);
        let b_root = yaml(b);
        let changes = diff(&a_root, &b_root, &Options::default());
        assert_eq!(summary(&changes), ["changed script"]);
        assert_eq!(
            changes[0].text_lines().unwrap(),
            [" set -e", "-make", "+make all", " make test"]
        );
        let (x, y) = (yaml("a: x\n"), yaml("a: y\n"));
        let one_line = diff(&x, &y, &Options::default());
        assert_eq!(one_line[0].text_lines(), None);
    }

    #[test]
    fn same_value_ignores_positions_and_key_order_but_not_number_types() {
        assert!(same_value(
            &yaml("{a: 1, b: [x, .nan]}"),
            &yaml("\n\nb: [x, .nan]\na: 1\n")
        ));
        assert!(!same_value(&yaml("a: 1"), &yaml("a: 1.0")));
        assert!(!same_value(&yaml("a: 1"), &yaml("a: 1\nb: 2")));
        assert!(!same_value(&yaml("[1, 2]"), &yaml("[2, 1]")));
        let yaml_doc = yaml("name: chat\nports: [80, 443]\nratio: 0.5\n");
        let json_doc = parse(
            br#"{"ratio": 0.5, "name": "chat", "ports": [80, 443]}"#,
            Format::Json,
            &Limits::default(),
        )
        .unwrap()
        .roots
        .remove(0);
        assert!(same_value(&yaml_doc, &json_doc));
        assert!(diff(&yaml_doc, &json_doc, &Options::default()).is_empty());
    }

    const REALISTIC: &str = r#"
# A service definition as teams write them.
service: &svc
  name: chat
  image: registry.example.com/chat:1.42.0
  replicas: 3
  resources: {cpu: "500m", memory: 512Mi}
autoscaling:
  enabled: true
  min: 2
  max: 12
  target: 0.75
  not_a_number: .nan
containers:
  - name: app
    env:
      - {key: LOG_LEVEL, value: info}
      - {key: FEATURES, value: "a,b,c"}
    ports: [8080, 9090]
  - name: sidecar
    args: ["--verbose", "--port", 15000]
routes:
  - {path: /, backend: app}
  - {path: /metrics, backend: sidecar}
copy: *svc
startup: |
  #!/bin/sh
  set -eu
  exec chat --config /etc/chat.yaml
empty_map: {}
empty_list: []
nothing: ~
"#;

    #[test]
    fn a_realistic_document_equals_itself() {
        let doc = yaml(REALISTIC);
        for options in [Options::default(), ignoring_order()] {
            assert!(diff(&doc, &doc, &options).is_empty());
            assert!(diff(&doc, &yaml(REALISTIC), &options).is_empty());
        }
        assert!(same_value(&doc, &doc));
        let edited = REALISTIC
            .replace("replicas: 3", "replicas: 4")
            .replace("value: info", "value: debug")
            .replace("set -eu", "set -eux");
        assert_eq!(
            run_default(REALISTIC, &edited),
            [
                "changed service.replicas",
                "changed containers[name=app].env[key=LOG_LEVEL].value",
                // The alias expands to a copy of the anchored mapping.
                "changed copy.replicas",
                "changed startup",
            ]
        );
    }

    /// A small deterministic generator (splitmix64), so the property test needs no crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn leaf(rng: &mut Rng) -> Node {
        let value = match rng.below(8) {
            0 => Value::Null,
            1 => Value::Bool(rng.below(2) == 0),
            2 => Value::Int(rng.below(5) as i64),
            3 => Value::Float([0.5, -0.0, 0.0, f64::NAN, 1.0][rng.below(5) as usize]),
            4 => Value::String(["a\nb\n", "a\nc", "x"][rng.below(3) as usize].into()),
            _ => Value::String(format!("s{}", rng.below(4))),
        };
        Node::new(value, crate::document::Pos::new(rng.below(100) as u32, 1))
    }

    fn tree(rng: &mut Rng, depth: u32) -> Node {
        let pos = Pos::new(rng.below(100) as u32, 1);
        if depth == 0 {
            return leaf(rng);
        }
        match rng.below(4) {
            0 => leaf(rng),
            1 => {
                let mut map = Map::default();
                for _ in 0..rng.below(5) {
                    let value = tree(rng, depth - 1);
                    let key = ["name", "id", "a", "b", "c.d", "e f"][rng.below(6) as usize];
                    map.insert(
                        key.into(),
                        Entry {
                            key_pos: pos,
                            value,
                        },
                    );
                }
                Node::new(Value::Map(map), pos)
            }
            2 => {
                let items = (0..rng.below(5)).map(|_| tree(rng, depth - 1)).collect();
                Node::new(Value::Seq(items), pos)
            }
            _ => {
                // Items with identities, sometimes missing or duplicated.
                let items = (0..rng.below(5))
                    .map(|_| {
                        let mut map = Map::default();
                        if rng.below(8) != 0 {
                            let id = Node::new(Value::Int(rng.below(6) as i64), pos);
                            map.insert(
                                "name".into(),
                                Entry {
                                    key_pos: pos,
                                    value: id,
                                },
                            );
                        }
                        let value = tree(rng, depth - 1);
                        map.insert(
                            "v".into(),
                            Entry {
                                key_pos: pos,
                                value,
                            },
                        );
                        Node::new(Value::Map(map), pos)
                    })
                    .collect();
                Node::new(Value::Seq(items), pos)
            }
        }
    }

    /// Changes leaves, removes and adds keys, reorders and shortens lists, at random.
    fn mutate(node: &mut Node, rng: &mut Rng) {
        match &mut node.value {
            Value::Map(map) => {
                for entry in map.values_mut() {
                    if rng.below(3) == 0 {
                        mutate(&mut entry.value, rng);
                    }
                }
                if !map.is_empty() && rng.below(8) == 0 {
                    let i = rng.below(map.len() as u64) as usize;
                    map.shift_remove_index(i);
                }
                if rng.below(8) == 0 {
                    let key_pos = Pos::new(1, 1);
                    let value = leaf(rng);
                    map.insert("added".into(), Entry { key_pos, value });
                }
            }
            Value::Seq(items) => {
                for item in items.iter_mut() {
                    if rng.below(3) == 0 {
                        mutate(item, rng);
                    }
                }
                if items.len() > 1 && rng.below(2) == 0 {
                    let i = rng.below(items.len() as u64) as usize;
                    items.swap(0, i);
                }
                if rng.below(8) == 0 {
                    items.pop();
                }
            }
            _ if rng.below(2) == 0 => *node = leaf(rng),
            _ => {}
        }
    }

    /// Returns the node a change path names, following item segments by identity text.
    fn resolve<'a>(root: &'a Node, path: &KeyPath) -> Option<&'a Node> {
        path.segments()
            .iter()
            .try_fold(root, |node, segment| match (segment, &node.value) {
                (Segment::Key(k), Value::Map(_)) => node.get(k),
                (Segment::Index(i), Value::Seq(items)) => items.get(*i),
                (Segment::Item { field, value }, Value::Seq(items)) => items.iter().find(|item| {
                    identity(item, field).and_then(scalar_text).as_deref() == Some(value)
                }),
                _ => None,
            })
    }

    #[test]
    fn generated_trees_equal_themselves_and_diffs_agree_with_same_value() {
        let mut rng = Rng(0x5EED);
        let (mut items_seen, mut reorders_seen) = (0, 0);
        for round in 0..600 {
            let a = tree(&mut rng, 4);
            for options in [Options::default(), ignoring_order()] {
                assert!(diff(&a, &a, &options).is_empty(), "{a:?}");
                assert!(diff(&a, &a.clone(), &options).is_empty());
            }
            let b = if round % 3 == 0 {
                tree(&mut rng, 4)
            } else {
                let mut b = a.clone();
                mutate(&mut b, &mut rng);
                b
            };
            let changes = diff(&a, &b, &Options::default());
            assert_eq!(changes.is_empty(), same_value(&a, &b), "{a:?}\n{b:?}");
            for change in &changes {
                let (old, new) = (change.old.is_some(), change.new.is_some());
                match change.kind {
                    Kind::Added => assert!(!old && new),
                    Kind::Removed => assert!(old && !new),
                    Kind::Changed | Kind::Reordered => assert!(old && new),
                }
                assert_eq!(change.old.is_some(), change.old_pos.is_some());
                assert_eq!(change.new.is_some(), change.new_pos.is_some());
                // The path names exactly the nodes reported.
                if let Some(old) = change.old {
                    assert!(std::ptr::eq(resolve(&a, &change.path).unwrap(), old));
                }
                if let Some(new) = change.new {
                    assert!(std::ptr::eq(resolve(&b, &change.path).unwrap(), new));
                }
                let segments = change.path.segments();
                items_seen += segments.iter().any(|s| matches!(s, Segment::Item { .. })) as u32;
                reorders_seen += (change.kind == Kind::Reordered) as u32;
            }
            if !diff(&a, &b, &ignoring_order()).is_empty() {
                assert!(!changes.is_empty());
            }
        }
        // The generator reaches the identity code paths.
        assert!(
            items_seen > 20 && reorders_seen > 5,
            "{items_seen} {reorders_seen}"
        );
    }
}
