//! One configuration key at a time: finding a key path in an environment's rendered
//! documents (`get`), choosing the layer file a `set`/`unset` writes to, planning that edit in
//! place (through [`crate::edit`], so comments and order survive) and validating the
//! repository as it would be with the edited file. Returns data; commands print and write.

use crate::config::Config;
use crate::document::{self, Format, Limits, Node, Value};
use crate::edit::{self, Edit};
use crate::environment::render::Document;
use crate::error::CliError;
use crate::finding::Finding;
use crate::layers;
use crate::repo::{Listing, Source};
use crate::validate;
use anyhow::{Result, anyhow};
use std::path::Path;

/// Parses a key path of mapping keys: `services.chat.replicas`, with `"a.b"` quoting a key
/// that holds a dot (as paths are printed).
pub fn parse_path(text: &str) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut key = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => key.extend(chars.next()),
                    Some('"') => break,
                    Some(c) => key.push(c),
                    None => return Err(bad_path(text, "an unterminated quote")),
                }
            }
            if !matches!(chars.peek(), None | Some('.')) {
                return Err(bad_path(text, "text after a closing quote"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if matches!(c, '[' | ']' | '*') {
                    return Err(bad_path(
                        text,
                        "a list index or pattern (only mapping keys)",
                    ));
                }
                key.push(c);
                chars.next();
            }
            if key.is_empty() {
                return Err(bad_path(text, "an empty key"));
            }
        }
        keys.push(key);
        if chars.next().is_none() {
            return Ok(keys);
        }
    }
}

fn bad_path(text: &str, problem: &str) -> anyhow::Error {
    CliError::new(anyhow!("`{text}` is not a key path: {problem}"))
        .with_hint("write mapping keys separated by dots, e.g. services.chat.replicas")
        .into()
}

/// The node at a key path, through mappings only.
pub fn lookup<'a>(root: &'a Node, path: &[String]) -> Option<&'a Node> {
    path.iter().try_fold(root, |node, key| match &node.value {
        Value::Map(map) => map.get(key).map(|e| &e.value),
        _ => None,
    })
}

/// A key path found in one rendered document.
#[derive(Debug, Clone, Copy)]
pub struct Found<'d> {
    pub document: &'d Document,
    pub node: &'d Node,
}

impl Found<'_> {
    /// The layer file the value came from.
    pub fn file(&self) -> &str {
        self.document.rendered.file_of(self.node).unwrap_or("?")
    }
}

/// Finds `path` in the rendered documents: in exactly one of them, or an error that names
/// them (a usage error, exit 2) when it is in several; `Ok(None)` when it is in none.
pub fn find<'d>(documents: &'d [Document], path: &[String]) -> Result<Option<Found<'d>>> {
    let found: Vec<Found<'d>> = documents
        .iter()
        .filter_map(|document| {
            lookup(&document.rendered.root, path).map(|node| Found { document, node })
        })
        .collect();
    if found.len() > 1 {
        let names: Vec<&str> = found
            .iter()
            .map(|f| f.document.rendered.document.as_str())
            .collect();
        return Err(CliError::new(anyhow!(
            "`{}` is in several documents: {}",
            path.join("."),
            names.join(", ")
        ))
        .with_hint("name one with --document")
        .into());
    }
    Ok(found.into_iter().next())
}

/// Which layer of an environment a `set ENV` writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// `global/<document>`: every environment reads it.
    Global,
    /// `environments/ENV/<document>`.
    Env,
    /// `services/S/ENV/<document>`, or `services/S/<document>` when only that exists.
    Service,
    /// `tenants/T/ENV/<document>`, or `tenants/T/<document>` when only that exists.
    Tenant,
}

/// Where in an environment a key is written.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub env: &'a str,
    pub service: Option<&'a str>,
    pub tenant: Option<&'a str>,
    /// `None`: the layer file the rendered value comes from when it is one of ENV's own
    /// files, else ENV's own document.
    pub layer: Option<Layer>,
}

/// Chooses the file a `set ENV`/`unset ENV` edits. `document` is the document the key is in
/// (or goes into); `found` the rendered value, when there is one.
pub fn choose_file(
    listing: &[String],
    environments: &crate::environment::Environments,
    target: &Target<'_>,
    document: &str,
    found: Option<&Found<'_>>,
) -> Result<String> {
    let env = target.env;
    let exists = |p: &String| listing.contains(p);
    let layer = match target.layer {
        Some(layer) => layer,
        None => {
            if let Some(found) = found {
                let file = found.file();
                let own = environments.get(env).is_ok_and(|e| {
                    e.owns(file) && layers::classify(file, |n| environments.contains(n)).is_some()
                });
                if own {
                    return Ok(file.to_string());
                }
                if !file.starts_with("global/") {
                    return Err(CliError::new(anyhow!(
                        "the value of `{env}` comes from {file}, which other environments read too"
                    ))
                    .with_hint("choose where to write it with --layer global|env|service|tenant")
                    .into());
                }
            }
            Layer::Env
        }
    };
    let (name, kind) = match layer {
        // A layer file that does not exist yet is created by `set` (see [`plan`]).
        Layer::Global => return Ok(format!("global/{document}")),
        Layer::Env => return Ok(format!("environments/{env}/{document}")),
        Layer::Service => (target.service, "services"),
        Layer::Tenant => (target.tenant, "tenants"),
    };
    let flag = if kind == "services" {
        "--service"
    } else {
        "--tenant"
    };
    let name = name.ok_or_else(|| -> anyhow::Error {
        CliError::new(anyhow!("--layer {} needs {flag}", &kind[..kind.len() - 1])).into()
    })?;
    let specific = format!("{kind}/{name}/{env}/{document}");
    let shared = format!("{kind}/{name}/{document}");
    // The override only ENV reads, unless the service's (tenant's) shared file is the one
    // that exists; neither: the override is created.
    Ok([specific.clone(), shared]
        .into_iter()
        .find(exists)
        .unwrap_or(specific))
}

/// A planned edit of one key in one file.
#[derive(Debug, Clone)]
pub struct Plan {
    pub file: String,
    pub path: Vec<String>,
    /// The value in the file before (not the rendered one).
    pub old: Option<Node>,
    /// The value after; `None` for `unset`.
    pub new: Option<Node>,
    /// The file's new text; equal to the old when there is nothing to change.
    pub text: String,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        match (&self.old, &self.new) {
            (None, None) => true,
            (Some(a), Some(b)) => crate::diff::same_value(a, b),
            _ => false,
        }
    }
}

/// Plans setting (`value: Some`) or removing (`None`) `path` in `file`, whose text is `text`.
/// Secret files are refused; the edit keeps comments, order and formatting, and the new text
/// is parsed back and compared with the intent (see [`edit::apply`]).
pub fn plan(file: &str, text: &str, path: &[String], value: Option<Node>) -> Result<Plan> {
    if document::secret_key::is_secret_file(file) {
        return Err(CliError::new(anyhow!("{file} is a secret file"))
            .with_hint(format!(
                "change its values with `cfgctl secrets set {file} {} VALUE`",
                path.join(".")
            ))
            .into());
    }
    let format =
        Format::from_path(file).ok_or_else(|| anyhow!("{file}: not a YAML, JSON or TOML file"))?;
    let parsed = document::parse(text.as_bytes(), format, &Limits::default())
        .map_err(|e| e.in_file(file))?;
    // A new or empty file is an empty mapping (YAML reads an empty text as null).
    let root = parsed
        .roots
        .into_iter()
        .next()
        .filter(|_| !text.trim().is_empty())
        .unwrap_or_else(|| {
            Node::new(
                Value::Map(document::Map::default()),
                document::Pos::default(),
            )
        });
    // Every parent must be a mapping (or missing, and then it is created).
    let mut node = &root;
    for (i, key) in path.iter().enumerate() {
        let Value::Map(map) = &node.value else {
            return Err(CliError::new(anyhow!(
                "{file}: `{}` is not a mapping, so `{}` cannot go in it",
                path[..i].join("."),
                path.join(".")
            ))
            .into());
        };
        match map.get(key) {
            Some(entry) => node = &entry.value,
            None => break,
        }
    }
    let old = lookup(&root, path).cloned();
    let mut plan = Plan {
        file: file.to_string(),
        path: path.to_vec(),
        old,
        new: value.clone(),
        text: text.to_string(),
    };
    if plan.is_empty() {
        return Ok(plan);
    }
    let edits = [Edit {
        path: path.to_vec(),
        value,
    }];
    let mut expected = root;
    edit::apply_to_tree(&mut expected, &edits);
    plan.text = if text.trim().is_empty() {
        // A new (or empty) file: written out whole, then read back like an edit.
        new_file_text(file, format, &expected)?
    } else {
        edit::apply(text, format, &edits, &expected).map_err(|e| e.context(file.to_string()))?
    };
    Ok(plan)
}

/// The text of a file that holds only `tree`, in the file's format.
fn new_file_text(file: &str, format: Format, tree: &Node) -> Result<String> {
    let text = match format {
        Format::Yaml => document::emit::to_yaml(tree),
        Format::Json => document::emit::to_json_text(tree),
        Format::Toml => document::emit::to_toml(tree).map_err(|e| anyhow!("{file}: {e}"))?,
    };
    let parsed = document::parse(text.as_bytes(), format, &Limits::default())
        .map_err(|e| anyhow!("{file}: the new text does not parse: {}", e.message))?;
    match parsed.roots.first() {
        Some(root) if crate::diff::same_value(root, tree) => Ok(text),
        _ => Err(anyhow!(
            "{file}: the new text would not give the intended values; nothing was written"
        )),
    }
}

/// Reads a value given on the command line: a YAML scalar (`3`, `true`, `"3"`, `text`), or
/// with `json` any JSON value (a subtree).
pub fn parse_value(text: &str, json: bool) -> Result<Node> {
    let format = if json { Format::Json } else { Format::Yaml };
    let parsed = document::parse(text.as_bytes(), format, &Limits::default()).map_err(|e| {
        anyhow!(
            "the value is not valid {}: {}",
            if json { "JSON" } else { "YAML" },
            e.message
        )
    })?;
    let node = parsed
        .roots
        .into_iter()
        .next()
        .unwrap_or_else(|| Node::new(Value::Null, document::Pos::default()));
    if !json && matches!(node.value, Value::Map(_) | Value::Seq(_)) {
        return Err(CliError::new(anyhow!("the value is not a scalar"))
            .with_hint("pass --json to set a list or a mapping")
            .into());
    }
    Ok(node)
}

/// A source with one file replaced: the repository as it would be after an edit.
pub struct Overlay<'s> {
    pub base: &'s dyn Source,
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Source for Overlay<'_> {
    fn list(&self) -> Result<Listing> {
        // A file `set` creates is listed too.
        let mut listing = self.base.list()?;
        if !listing.paths.contains(&self.path) {
            listing.paths.push(self.path.clone());
            listing.paths.sort();
        }
        Ok(listing)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        if path == self.path {
            Ok(self.bytes.clone())
        } else {
            self.base.read(path)
        }
    }

    fn describe(&self) -> String {
        format!("{} with {} edited", self.base.describe(), self.path)
    }
}

/// The error findings of validating the whole repository as it would be with `plan` applied
/// (schemas, rules, and what each environment renders).
pub fn invalid_after(
    config: &Config,
    source: &dyn Source,
    root: &Path,
    plan: &Plan,
) -> Result<Vec<Finding>> {
    let overlay = Overlay {
        base: source,
        path: plan.file.clone(),
        bytes: plan.text.clone().into_bytes(),
    };
    validate::errors(config, &overlay, root)
}

/// The rendered value of `path` in `env` at a revision (without `${VAR}` substitution, so
/// references compare as written), or `None` when it is not there: the key, the document, the
/// environment or the revision itself missing, or a file there that does not parse.
/// `document` narrows the render to the document the key is in.
pub fn value_at(
    root: &Path,
    rev: &str,
    env: &str,
    document: Option<&str>,
    path: &[String],
) -> Option<serde_json::Value> {
    let source = crate::repo::GitSource::revision(root, rev).ok()?;
    let config = crate::config::read(&source, crate::config::Presence::Required).ok()?;
    let listing = source.list().ok()?;
    let request = crate::environment::render::Request {
        env: env.to_string(),
        documents: document.into_iter().map(str::to_string).collect(),
        ..Default::default()
    };
    let documents =
        crate::environment::render::render(&source, &listing.paths, &config, &request, &|_| None)
            .ok()?;
    documents
        .iter()
        .find_map(|d| lookup(&d.rendered.root, path))
        .map(Node::to_json)
}

/// The name of the document `path` is in when `env` is rendered at a revision.
pub fn document_at(root: &Path, rev: &str, env: &str, path: &[String]) -> Option<String> {
    let source = crate::repo::GitSource::revision(root, rev).ok()?;
    let config = crate::config::read(&source, crate::config::Presence::Required).ok()?;
    let listing = source.list().ok()?;
    let request = crate::environment::render::Request {
        env: env.to_string(),
        ..Default::default()
    };
    let documents =
        crate::environment::render::render(&source, &listing.paths, &config, &request, &|_| None)
            .ok()?;
    find(&documents, path)
        .ok()
        .flatten()
        .map(|f| f.document.rendered.document.clone())
}

/// Whether a commit that changed `changed` can have changed what `env` renders for
/// `document` (without a service or tenant): it touched one of the document's layer files, or
/// the settings. `None` for the document: every commit can.
pub fn may_change(
    changed: &[String],
    environments: &[String],
    env: &str,
    document: Option<&str>,
) -> bool {
    let Some(document) = document else {
        return true;
    };
    changed.iter().any(|path| path == crate::config::FILE_NAME)
        || !layer_files(changed, environments, env, document).is_empty()
}

/// The paths among `changed` that are layer files of `document` as `env` renders it (without
/// a service or tenant).
pub fn layer_files<'c>(
    changed: &'c [String],
    environments: &[String],
    env: &str,
    document: &str,
) -> Vec<&'c String> {
    let target = layers::merge::Target {
        env,
        service: None,
        tenant: None,
    };
    let is_env = |name: &str| environments.iter().any(|e| e == name);
    changed
        .iter()
        .filter(|path| {
            layers::classify(path, is_env)
                .is_some_and(|file| file.document == document && target.rank(&file).is_some())
        })
        .collect()
}

/// What one layer file says about `path`, as far as the merge goes: the first ancestor that
/// is missing or not a mapping (it decides the merged value there), else the subtree at
/// `path` itself. When this is the same before and after a commit in every layer file the
/// commit changed, the rendered value at `path` is the same too (mappings deep-merge, later
/// layers win, anything else replaces), so the commit needs no render.
fn merge_view(root: Option<&Node>, path: &[String]) -> serde_json::Value {
    let Some(mut node) = root else {
        return serde_json::json!({"missing": 0});
    };
    for (depth, key) in path.iter().enumerate() {
        let Value::Map(map) = &node.value else {
            return serde_json::json!({"replaced": depth, "by": node.to_json()});
        };
        match map.get(key) {
            Some(entry) => node = &entry.value,
            None => return serde_json::json!({"missing": depth + 1}),
        }
    }
    serde_json::json!({"value": node.to_json()})
}

/// Whether the layer files `files`, which a commit changed (and nothing else that feeds the
/// document), say the same about `path` before and after it; `false` when that cannot be
/// told (a file that does not parse), and the commit is rendered instead.
pub fn layers_agree_at(
    blobs: &crate::repo::history::Blobs,
    commit: &str,
    parent: Option<&str>,
    files: &[&String],
    path: &[String],
) -> bool {
    let Some(parent) = parent else {
        return false;
    };
    let view = |rev: &str, file: &str| -> Option<serde_json::Value> {
        let bytes = blobs.read(rev, file).ok()?;
        let Some(bytes) = bytes else {
            return Some(merge_view(None, path));
        };
        let format = Format::from_path(file)?;
        let parsed = document::parse(&bytes, format, &Limits::default()).ok()?;
        Some(merge_view(parsed.roots.first(), path))
    };
    files.iter().all(
        |file| matches!((view(commit, file), view(parent, file)), (Some(a), Some(b)) if a == b),
    )
}

/// Every leaf of one rendered document of `env` at a revision, by key path: scalars, empty
/// collections and whole lists (a list comes from one layer). Without `${VAR}` substitution.
pub fn leaves_at(
    root: &Path,
    rev: &str,
    env: &str,
    document: &str,
) -> Result<std::collections::BTreeMap<String, serde_json::Value>> {
    let source = crate::repo::GitSource::revision(root, rev)?;
    let config = crate::config::read(&source, crate::config::Presence::Required)?;
    let listing = source.list()?;
    let request = crate::environment::render::Request {
        env: env.to_string(),
        documents: vec![document.to_string()],
        ..Default::default()
    };
    let documents =
        crate::environment::render::render(&source, &listing.paths, &config, &request, &|_| None)?;
    let mut out = std::collections::BTreeMap::new();
    if let Some(doc) = documents.first() {
        flatten(&doc.rendered.root, &mut Vec::new(), &mut out);
    }
    Ok(out)
}

fn flatten(
    node: &Node,
    path: &mut Vec<String>,
    out: &mut std::collections::BTreeMap<String, serde_json::Value>,
) {
    match &node.value {
        Value::Map(map) if !map.is_empty() => {
            for (key, entry) in map {
                path.push(key.clone());
                flatten(&entry.value, path, out);
                path.pop();
            }
        }
        _ => {
            out.insert(
                crate::document::KeyPath::from_keys(path).to_string(),
                node.to_json(),
            );
        }
    }
}

/// Values computed from a revision's files, kept by the cfgctl root's tree id: equal trees
/// give equal values, so no tree is rendered twice, and a commit that cannot change the value
/// hands it on to its parent's tree without a render (in a linear history, one render per
/// commit that may change it, instead of two).
#[derive(Debug)]
pub struct ByTree<T> {
    known: std::collections::HashMap<String, T>,
}

impl<T: Clone> Default for ByTree<T> {
    fn default() -> Self {
        ByTree {
            known: Default::default(),
        }
    }
}

impl<T: Clone> ByTree<T> {
    /// The value for `tree`, computed by `compute` the first time (every time without a tree).
    pub fn get(&mut self, tree: Option<&str>, compute: impl FnOnce() -> T) -> T {
        match tree {
            Some(tree) => self
                .known
                .entry(tree.to_string())
                .or_insert_with(compute)
                .clone(),
            None => compute(),
        }
    }

    /// A commit that cannot change the value: its parent's tree has the one its own has.
    pub fn pass_on(&mut self, tree: Option<&str>, parent_tree: Option<&str>) {
        if let (Some(tree), Some(parent)) = (tree, parent_tree)
            && let Some(value) = self.known.get(tree).cloned()
        {
            self.known.entry(parent.to_string()).or_insert(value);
        }
    }
}

/// One commit of a history walk, as the key history needs it.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub sha: &'a str,
    /// The cfgctl root's tree ids in the commit and in its first parent.
    pub tree: Option<&'a str>,
    pub parent_tree: Option<&'a str>,
    /// Whether the commit has a first parent.
    pub has_parent: bool,
}

/// Blame in progress: the leaves of a document now, and for each the newest commit (so far)
/// that changed its rendered value.
#[derive(Debug)]
pub struct Blame {
    pub leaves: std::collections::BTreeMap<String, serde_json::Value>,
    /// Key path → index of the commit in the order [`Blame::visit`] saw them.
    pub by: std::collections::BTreeMap<String, usize>,
    seen: usize,
    renders: ByTree<std::collections::BTreeMap<String, serde_json::Value>>,
    /// Each leaf's keys (`None` when its path cannot be read back, and it is always rendered).
    keys: std::collections::BTreeMap<String, Option<Vec<String>>>,
}

impl Blame {
    pub fn new(leaves: std::collections::BTreeMap<String, serde_json::Value>) -> Blame {
        let keys = leaves
            .keys()
            .map(|path| (path.clone(), parse_path(path).ok()))
            .collect();
        Blame {
            leaves,
            by: Default::default(),
            seen: 0,
            renders: ByTree::default(),
            keys,
        }
    }

    /// Whether a commit that changed only the layer files `files` left every leaf still
    /// without its commit as it was: each file says the same about it before and after (see
    /// [`layers_agree_at`]). Then the commit needs no render.
    pub fn unchanged_by(
        &self,
        blobs: &crate::repo::history::Blobs,
        commit: &str,
        parent: Option<&str>,
        files: &[&String],
    ) -> bool {
        let Some(parent) = parent else {
            return false;
        };
        let mut pending = Vec::new();
        for (path, keys) in &self.keys {
            if self.by.contains_key(path) {
                continue;
            }
            match keys {
                Some(keys) => pending.push(keys),
                None => return false,
            }
        }
        let parsed = |rev: &str, file: &str| -> Option<Option<Node>> {
            let Some(bytes) = blobs.read(rev, file).ok()? else {
                return Some(None);
            };
            let format = Format::from_path(file)?;
            let doc = document::parse(&bytes, format, &Limits::default()).ok()?;
            Some(doc.roots.into_iter().next())
        };
        files.iter().all(|file| {
            let (Some(after), Some(before)) = (parsed(commit, file), parsed(parent, file)) else {
                return false;
            };
            pending
                .iter()
                .all(|keys| merge_view(after.as_ref(), keys) == merge_view(before.as_ref(), keys))
        })
    }

    /// A commit that cannot have changed the document.
    pub fn pass(&mut self, step: Step<'_>) {
        self.renders.pass_on(step.tree, step.parent_tree);
    }

    /// Looks at the next older commit that may have changed the document; returns whether
    /// every leaf now has its commit (the walk can stop).
    pub fn visit(&mut self, root: &Path, step: Step<'_>, env: &str, document: &str) -> bool {
        let index = self.seen;
        self.seen += 1;
        let after = self.renders.get(step.tree, || {
            leaves_at(root, step.sha, env, document).unwrap_or_default()
        });
        let before = if step.has_parent {
            self.renders.get(step.parent_tree, || {
                leaves_at(root, &format!("{}^", step.sha), env, document).unwrap_or_default()
            })
        } else {
            Default::default()
        };
        for path in self.leaves.keys() {
            if !self.by.contains_key(path) && after.get(path) != before.get(path) {
                self.by.insert(path.clone(), index);
            }
        }
        self.by.len() == self.leaves.len()
    }
}

/// One commit in which a key's rendered value changed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KeyChange {
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// Whether the commit changed the rendered value of `path` in `env`, compared with its first
/// parent; `values` keeps renders by tree.
pub fn change_in(
    root: &Path,
    step: Step<'_>,
    env: &str,
    document: Option<&str>,
    path: &[String],
    values: &mut ByTree<Option<serde_json::Value>>,
) -> Option<KeyChange> {
    let new = values.get(step.tree, || value_at(root, step.sha, env, document, path));
    let old = if step.has_parent {
        values.get(step.parent_tree, || {
            value_at(root, &format!("{}^", step.sha), env, document, path)
        })
    } else {
        None
    };
    (old != new).then_some(KeyChange { old, new })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_commits_touching_the_documents_layers_can_change_a_key() {
        let envs = ["staging".to_string(), "production".to_string()];
        let may = |paths: &[&str], doc| {
            let changed: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
            may_change(&changed, &envs, "staging", doc)
        };
        assert!(may(&["environments/staging/db.yaml"], Some("db.yaml")));
        assert!(may(&["global/db.yaml"], Some("db.yaml")));
        assert!(may(&["cfgctl.toml"], Some("db.yaml")));
        assert!(!may(&["environments/production/db.yaml"], Some("db.yaml")));
        assert!(!may(&["environments/staging/other.yaml"], Some("db.yaml")));
        assert!(!may(&["services/chat/db.yaml"], Some("db.yaml")));
        assert!(may(&["environments/staging/other.yaml"], None));
    }

    #[test]
    fn key_paths() {
        assert_eq!(parse_path("a.b.c").unwrap(), ["a", "b", "c"]);
        assert_eq!(
            parse_path(r#"labels."app.kubernetes.io/name""#).unwrap(),
            ["labels", "app.kubernetes.io/name"]
        );
        for bad in ["", "a..b", "a.", "a[0]", "a.*", "\"a", "\"a\"b"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_are_yaml_scalars_unless_json() {
        let v = |t: &str, json| parse_value(t, json).unwrap().to_json();
        assert_eq!(v("3", false), serde_json::json!(3));
        assert_eq!(v("true", false), serde_json::json!(true));
        assert_eq!(v("\"3\"", false), serde_json::json!("3"));
        assert_eq!(v("text", false), serde_json::json!("text"));
        assert_eq!(v("{\"a\": [1]}", true), serde_json::json!({"a": [1]}));
        assert!(parse_value("[1, 2]", false).is_err());
    }

    #[test]
    fn an_edit_keeps_comments_and_is_empty_when_nothing_changes() {
        let text = "# head\napp:\n  replicas: 2 # why two\n  name: chat\n";
        let path = parse_path("app.replicas").unwrap();
        let plan = plan(
            "a.yaml",
            text,
            &path,
            Some(parse_value("3", false).unwrap()),
        )
        .unwrap();
        assert_eq!(
            plan.text,
            "# head\napp:\n  replicas: 3 # why two\n  name: chat\n"
        );
        let same = super::plan(
            "a.yaml",
            text,
            &path,
            Some(parse_value("2", false).unwrap()),
        )
        .unwrap();
        assert!(same.is_empty());
        assert_eq!(same.text, text);
        let gone = super::plan("a.yaml", text, &path, None).unwrap();
        assert!(!gone.text.contains("replicas"));
        assert!(gone.text.contains("# head"));
        assert!(super::plan("a.secret.yaml", text, &path, None).is_err());
        let through_scalar = parse_path("app.name.first").unwrap();
        assert!(super::plan("a.yaml", text, &through_scalar, None).is_err());
    }
}
