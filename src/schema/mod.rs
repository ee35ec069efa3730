//! JSON Schemas: load every schema under `schemas/` once, compile each mapped schema once,
//! and turn validation errors into positioned [`Finding`]s.
//!
//! Everything resolves offline. Each schema is registered by its path (`file://` URI) and by
//! its `$id`; a relative `$ref` against an https `$id` finds its sibling on disk through the
//! `$id` directory it shares. A reference to anything else (the network) is an error, never a
//! fetch.

mod instance;
pub mod rules;

use crate::document::secret_key;
use crate::document::{self, Format, KeyPath, Limits, Node};
use crate::finding::{Finding, Severity};
use anyhow::{Context, Result, anyhow, bail};
use jsonschema::error::ValidationErrorKind;
use jsonschema::{PatternOptions, Retrieve, Uri, ValidationError, Validator};
use rayon::prelude::*;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;

/// The directory whose files are schemas, not configuration.
pub const SCHEMA_DIR: &str = "schemas/";

/// Every schema file of a repository, by repository path and by `$id`.
#[derive(Debug, Default)]
pub struct SchemaStore {
    /// Absolute directory the repository paths hang off (for `file://` URIs).
    root: String,
    by_path: HashMap<String, Json>,
    by_id: HashMap<String, String>,
    /// The CEL rules of every schema file, compiled.
    rules: rules::RuleIndex,
}

impl SchemaStore {
    /// Builds a store from `(repository path, bytes)` pairs; `root` is the repository's absolute
    /// path (used only to form `file://` URIs, never read).
    pub fn new(root: &str, files: Vec<(String, Vec<u8>)>) -> Result<SchemaStore> {
        Self::build(root, files, false)
    }

    /// Like [`new`](Self::new) for schemas gathered from an arbitrary directory: the first
    /// file to claim an `$id` keeps it (give files nearest first) instead of an error.
    pub fn new_lenient(root: &str, files: Vec<(String, Vec<u8>)>) -> Result<SchemaStore> {
        Self::build(root, files, true)
    }

    fn build(root: &str, files: Vec<(String, Vec<u8>)>, lenient: bool) -> Result<SchemaStore> {
        let mut store = SchemaStore {
            root: root.trim_end_matches('/').to_string(),
            ..SchemaStore::default()
        };
        // Each file is read and its rules compiled on all cores, then added in order: the
        // first error and the first claim of an `$id` are the same as one by one.
        let prepared: Vec<Result<(String, Json, rules::FileRules)>> = files
            .into_par_iter()
            .map(|(path, bytes)| {
                let root = parse_schema_node(&path, &bytes)?;
                let is_json = Format::from_path(&path).is_none_or(|f| f == Format::Json);
                let rules = rules::RuleIndex::compile_file(&path, &root, is_json)
                    .map_err(|message| anyhow!(message))?;
                Ok((path, root.to_json(), rules))
            })
            .collect();
        for prepared in prepared {
            let (path, value, rules) = prepared?;
            store.rules.add(&path, rules);
            if let Some(id) = value
                .get("$id")
                .or_else(|| value.get("id"))
                .and_then(Json::as_str)
            {
                let id = strip_fragment(id).to_string();
                match store.by_id.get(&id) {
                    Some(other) if !lenient => {
                        bail!("{path}: `$id` {id} is already used by {other}")
                    }
                    Some(_) => {}
                    None => {
                        store.by_id.insert(id, path.clone());
                    }
                }
            }
            store.by_path.insert(path, value);
        }
        Ok(store)
    }

    /// Returns whether a file parses as a JSON/YAML object, i.e. could be a schema.
    pub fn looks_like_schema(path: &str, bytes: &[u8]) -> bool {
        parse_schema_file(path, bytes).is_ok_and(|v| v.is_object() || v.is_boolean())
    }

    /// Whether any schema has a transition rule (one that reads `oldSelf`).
    pub fn has_transition_rules(&self) -> bool {
        self.rules.has_transition_rules()
    }

    /// Returns the parsed schema at a repository path.
    pub fn get(&self, path: &str) -> Option<&Json> {
        self.by_path.get(path)
    }

    /// Resolves a `$ref` met in `from` to a schema file and a JSON pointer inside it.
    fn resolve_ref(&self, from: &str, reference: &str) -> Option<(String, String)> {
        let (base, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if base.is_empty() {
            from.to_string()
        } else if base.contains("://") {
            self.resolve_uri(base)?.to_string()
        } else {
            let dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
            let joined = normalize(&format!("{dir}/{base}"));
            self.resolve_uri(&self.file_uri(&joined))?.to_string()
        };
        let fragment = fragment.replace("%24", "$");
        Some((file, fragment))
    }

    /// The schema node `file#pointer`, when it is an object, as the rule walk sees it: where
    /// it goes from there.
    fn edges(&self, file: &str, pointer: &str) -> Option<Edges> {
        let Some(Json::Object(schema)) = self
            .by_path
            .get(file)
            .and_then(|s| rules::pointer(s, pointer))
        else {
            return None;
        };
        let at = |sub: String| (file.to_string(), sub);
        let mut edges = Edges::default();
        if let Some(Json::String(reference)) = schema.get("$ref")
            && let Some(target) = self.resolve_ref(file, reference)
        {
            edges.refs.push(target);
        }
        if let Some(Json::Array(all)) = schema.get("allOf") {
            edges
                .refs
                .extend((0..all.len()).map(|i| at(format!("{pointer}/allOf/{i}"))));
        }
        if let Some(Json::Object(properties)) = schema.get("properties") {
            edges.properties = properties
                .keys()
                .map(|key| {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    (key.clone(), at(format!("{pointer}/properties/{escaped}")))
                })
                .collect();
        }
        if schema
            .get("additionalProperties")
            .is_some_and(Json::is_object)
        {
            edges.additional = Some(at(format!("{pointer}/additionalProperties")));
        }
        if schema.get("items").is_some_and(Json::is_object) {
            edges.items = Some(at(format!("{pointer}/items")));
        }
        if let Some(Json::Array(prefix)) = schema.get("prefixItems") {
            edges.prefix = (0..prefix.len())
                .map(|i| at(format!("{pointer}/prefixItems/{i}")))
                .collect();
        }
        Some(edges)
    }

    /// Marks in `memo` (`file#pointer` → bool) whether rules are reachable from a schema node
    /// along the edges the rule walk follows, so the walk skips parts with none.
    fn reaches_rules(&self, file: &str, pointer: &str, memo: &mut HashMap<String, bool>) -> bool {
        let key = format!("{file}#{pointer}");
        if let Some(known) = memo.get(&key) {
            return *known;
        }
        // A cycle counts as nothing found until its first node is decided.
        memo.insert(key.clone(), false);
        let Some(edges) = self.edges(file, pointer) else {
            return false;
        };
        let mut found = !self.rules.at(file, pointer).is_empty();
        for (f, p) in edges.all() {
            found |= self.reaches_rules(f, p, memo);
        }
        memo.insert(key, found);
        found
    }

    /// Adds to `walk` the schema node `file#pointer` and what the rule walk reaches from it,
    /// if a rule can be reached (`memo`, from [`reaches_rules`](Self::reaches_rules)); returns
    /// its index. `ids` holds the nodes added so far, so `$ref` cycles become edges back.
    fn walk_node(
        &self,
        file: &str,
        pointer: &str,
        memo: &HashMap<String, bool>,
        ids: &mut HashMap<String, usize>,
        walk: &mut Vec<WalkNode>,
    ) -> Option<usize> {
        let key = format!("{file}#{pointer}");
        if let Some(&id) = ids.get(&key) {
            return Some(id);
        }
        if memo.get(&key) != Some(&true) {
            return None;
        }
        let edges = self.edges(file, pointer)?;
        let id = walk.len();
        walk.push(WalkNode {
            rules: (file.to_string(), pointer.to_string()),
            ..WalkNode::default()
        });
        ids.insert(key, id);
        let mut to = |(f, p): &(String, String)| self.walk_node(f, p, memo, ids, walk);
        let mut node = WalkNode {
            refs: edges.refs.iter().filter_map(&mut to).collect(),
            ..WalkNode::default()
        };
        for (key, edge) in &edges.properties {
            node.properties.insert(key.clone(), to(edge));
        }
        node.additional = edges.additional.as_ref().and_then(&mut to);
        node.prefix = edges.prefix.iter().map(&mut to).collect();
        node.items = edges.items.as_ref().and_then(&mut to);
        node.rules = std::mem::take(&mut walk[id].rules);
        walk[id] = node;
        Some(id)
    }

    fn file_uri(&self, path: &str) -> String {
        format!("file://{}/{}", self.root, path)
    }

    /// Finds the repository path for a URI: a `file://` URI inside the repository, a known
    /// `$id`, or a sibling of a known `$id` (same directory, relative path on disk).
    fn resolve_uri(&self, uri: &str) -> Option<&str> {
        let uri = strip_fragment(uri);
        if let Some(path) = uri.strip_prefix(&format!("file://{}/", self.root)) {
            return self.by_path.get_key_value(path).map(|(k, _)| k.as_str());
        }
        if let Some(path) = self.by_id.get(uri) {
            return Some(path);
        }
        for (id, path) in &self.by_id {
            let (Some((id_dir, _)), Some((path_dir, _))) =
                (id.rsplit_once('/'), path.rsplit_once('/'))
            else {
                continue;
            };
            if let Some(rest) = uri.strip_prefix(id_dir).and_then(|r| r.strip_prefix('/')) {
                let candidate = normalize(&format!("{path_dir}/{rest}"));
                if let Some((key, _)) = self.by_path.get_key_value(&candidate) {
                    return Some(key);
                }
            }
        }
        None
    }
}

fn strip_fragment(uri: &str) -> &str {
    uri.split_once('#').map_or(uri, |(base, _)| base)
}

/// Resolves `.` and `..` segments of a relative path.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.join("/")
}

fn parse_schema_file(path: &str, bytes: &[u8]) -> Result<Json> {
    Ok(parse_schema_node(path, bytes)?.to_json())
}

fn parse_schema_node(path: &str, bytes: &[u8]) -> Result<Node> {
    let format = Format::from_path(path).unwrap_or(Format::Json);
    let doc =
        document::parse(bytes, format, &Limits::default()).map_err(|err| err.in_file(path))?;
    doc.roots
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("{path}: empty schema file"))
}

/// The only way a schema reaches another schema: from the store, never from the network.
struct StoreRetriever(Arc<SchemaStore>);

impl Retrieve for StoreRetriever {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Json, Box<dyn std::error::Error + Send + Sync>> {
        let uri = uri.as_str();
        match self.0.resolve_uri(uri) {
            Some(path) => Ok(self.0.by_path[path].clone()),
            None if uri.starts_with("file://") => Err(format!(
                "`{uri}` is not a schema file under {SCHEMA_DIR} in this repository"
            )
            .into()),
            None => Err(format!(
                "`{uri}` is not a local schema: cfgctl never fetches schemas from the network; \
                 put it under {SCHEMA_DIR} with that `$id`"
            )
            .into()),
        }
    }
}

/// A compiled schema and where it came from.
pub struct CompiledSchema {
    pub path: String,
    validator: Validator<instance::Document>,
    /// The store the schema was compiled from, for its CEL rules.
    store: Arc<SchemaStore>,
    /// The schema nodes the CEL rule walk visits (empty when no rule can be reached).
    walk: Vec<WalkNode>,
}

/// Where the CEL rule walk goes from one schema node, as `(file, JSON pointer)`s.
#[derive(Debug, Default)]
struct Edges {
    /// `$ref`, then each `allOf` entry: walked at the same value.
    refs: Vec<(String, String)>,
    /// Each key of `properties`, with its schema.
    properties: Vec<(String, (String, String))>,
    /// `additionalProperties`, when a schema.
    additional: Option<(String, String)>,
    /// `items`, when a schema.
    items: Option<(String, String)>,
    /// `prefixItems`, by position.
    prefix: Vec<(String, String)>,
}

impl Edges {
    /// Every edge, in the order the walk follows them.
    fn all(&self) -> impl Iterator<Item = &(String, String)> {
        self.refs
            .iter()
            .chain(self.properties.iter().map(|(_, edge)| edge))
            .chain(&self.additional)
            .chain(&self.items)
            .chain(&self.prefix)
    }
}

/// One schema node of the CEL rule walk: its rules and where the walk goes from it. Only
/// nodes from which a rule can be reached are in the walk (`None`: the walk stops there).
#[derive(Debug, Default)]
struct WalkNode {
    /// The node's `(file, JSON pointer)`: the key of its rules.
    rules: (String, String),
    /// `$ref`, then each `allOf` entry: walked at the same value.
    refs: Vec<usize>,
    /// Every key of `properties`, with the node it leads to.
    properties: HashMap<String, Option<usize>, foldhash::fast::RandomState>,
    /// `additionalProperties` (when a schema), for keys not in `properties`.
    additional: Option<usize>,
    /// `prefixItems`, by position.
    prefix: Vec<Option<usize>>,
    /// `items` (when a schema), for positions past `prefixItems`.
    items: Option<usize>,
}

impl std::fmt::Debug for CompiledSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledSchema")
            .field("path", &self.path)
            .finish()
    }
}

/// Compiles the schema at a repository path against the store (all `$ref`s local).
pub fn compile(store: &Arc<SchemaStore>, path: &str) -> Result<CompiledSchema> {
    let schema = store.get(path).ok_or_else(|| {
        anyhow!("schema `{path}` does not exist (it must be a file under {SCHEMA_DIR})")
    })?;
    compile_value(store, path, schema)
}

/// Compiles a schema value that may live outside the store (for `validate --schema FILE`).
pub fn compile_value(
    store: &Arc<SchemaStore>,
    path: &str,
    schema: &Json,
) -> Result<CompiledSchema> {
    let validator = jsonschema::options_for::<instance::Document>()
        .with_base_uri(store.file_uri(path))
        .with_retriever(StoreRetriever(Arc::clone(store)))
        // The regex crate runs in linear time: a hostile `pattern` cannot hang validation.
        .with_pattern_options(PatternOptions::regex())
        .should_validate_formats(true)
        .build(schema)
        .map_err(|err| anyhow!("{err}"))
        .with_context(|| format!("schema `{path}` does not compile"))?;
    let mut walk = Vec::new();
    if !store.rules.is_empty() {
        let mut memo = HashMap::new();
        store.reaches_rules(path, "", &mut memo);
        store.walk_node(path, "", &memo, &mut HashMap::new(), &mut walk);
    }
    Ok(CompiledSchema {
        path: path.to_string(),
        validator,
        store: Arc::clone(store),
        walk,
    })
}

/// How a mapped schema's errors are reported.
#[derive(Debug, Clone, Copy)]
pub struct Reporting {
    pub severity: Severity,
    /// Layer fragments: `required` errors are dropped.
    pub partial: bool,
}

impl CompiledSchema {
    /// Validates one document root and returns findings positioned at the offending node.
    pub fn check(&self, file: &str, root: &Node, reporting: Reporting) -> Vec<Finding> {
        self.check_layered(file, &[], root, reporting)
    }

    /// Like [`check`](Self::check) for a merged document: each finding names the layer file
    /// (`origins[node.origin]`) the offending value came from.
    pub fn check_layered(
        &self,
        file: &str,
        origins: &[String],
        root: &Node,
        reporting: Reporting,
    ) -> Vec<Finding> {
        self.check_with_previous(file, origins, root, None, reporting)
    }

    /// Like [`check_layered`](Self::check_layered), with the document as it was at the base
    /// revision for transition rules (`oldSelf`).
    pub fn check_with_previous(
        &self,
        file: &str,
        origins: &[String],
        root: &Node,
        previous: Option<&Node>,
        reporting: Reporting,
    ) -> Vec<Finding> {
        let mut findings: Vec<Finding> = if self.validator.is_valid(root) {
            Vec::new()
        } else {
            self.validator
                .iter_errors(root)
                .filter(|err| {
                    !(reporting.partial
                        && matches!(err.kind(), ValidationErrorKind::Required { .. }))
                })
                .map(|err| self.finding(file, origins, root, &err, reporting.severity))
                .collect()
        };
        if !self.walk.is_empty() {
            let invalid: Vec<String> = findings.iter().filter_map(|f| f.path.clone()).collect();
            let target = rules::Target {
                file,
                origins,
                schema: &self.path,
                severity: reporting.severity,
                partial: reporting.partial,
                invalid: &invalid,
            };
            let mut at = KeyPath::root();
            self.walk_rules(0, root, previous, &mut at, &target, &mut findings, 0);
        }
        findings
    }

    /// Walks the schema along the document from walk node `id` and evaluates the rules of
    /// every schema node that describes a value present in it.
    #[allow(clippy::too_many_arguments)]
    fn walk_rules(
        &self,
        id: usize,
        node: &Node,
        old: Option<&Node>,
        at: &mut KeyPath,
        target: &rules::Target<'_>,
        out: &mut Vec<Finding>,
        refs: usize,
    ) {
        let here = &self.walk[id];
        if let Some(list) = self.store.rules.get(&here.rules) {
            rules::check_node(list, node, old, at, target, out);
        }
        if refs < rules::MAX_REF_DEPTH {
            for &to in &here.refs {
                self.walk_rules(to, node, old, at, target, out, refs + 1);
            }
        }
        match &node.value {
            document::Value::Map(map) => {
                for (key, entry) in map {
                    let to = match here.properties.get(key.as_str()) {
                        Some(to) => *to,
                        None => here.additional,
                    };
                    let Some(to) = to else { continue };
                    at.push(document::Segment::Key(key.clone()));
                    let old = old.and_then(|o| o.get(key));
                    self.walk_rules(to, &entry.value, old, at, target, out, 0);
                    at.pop();
                }
            }
            document::Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    let to = if i < here.prefix.len() {
                        here.prefix[i]
                    } else {
                        here.items
                    };
                    let Some(to) = to else { continue };
                    at.push(document::Segment::Index(i));
                    // List items are not matched up with the previous document's.
                    self.walk_rules(to, item, None, at, target, out, 0);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    fn finding(
        &self,
        file: &str,
        origins: &[String],
        root: &Node,
        err: &ValidationError<'_>,
        severity: Severity,
    ) -> Finding {
        let pointer = err.instance_path().as_str();
        let (node, _) = root.locate_pointer(pointer);
        let mut path = KeyPath::from_pointer(pointer);
        let mut pos = node.pos;
        // Point at the unexpected key itself rather than at its parent mapping.
        if let ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } = err.kind()
            && let Some(entry) = unexpected.first().and_then(|k| node.as_map()?.get(k))
        {
            pos = entry.key_pos;
            path.push(document::Segment::Key(unexpected[0].clone()));
        }
        let file = origins
            .get(node.origin as usize)
            .map_or(file, String::as_str);
        Finding {
            file: file.to_string(),
            pos,
            path: Some(path.to_string()),
            rule: format!("schema/{}", err.kind().keyword()),
            severity,
            message: message(err, &path),
            schema: Some(self.path.clone()),
        }
    }
}

/// A one-line message; values of secret-looking keys and whole objects are not echoed.
fn message(err: &ValidationError<'_>, path: &KeyPath) -> String {
    let secret = path.last_key().is_some_and(secret_key::looks_secret);
    let mut text = if secret || err.instance().is_object() || err.instance().is_array() {
        err.masked_with("the value").to_string()
    } else {
        err.to_string()
    };
    if let ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } =
        err.kind()
    {
        let branches: Vec<String> = context
            .iter()
            .enumerate()
            .filter_map(|(i, errors)| {
                let first = errors.first()?;
                let at = first.instance_path().as_str();
                let at = if at.is_empty() {
                    String::new()
                } else {
                    format!(" at {}", KeyPath::from_pointer(at))
                };
                Some(format!(
                    "option {}: {}{at}",
                    i + 1,
                    first.masked_with("the value")
                ))
            })
            .collect();
        if !branches.is_empty() {
            text = format!("{text} ({})", branches.join("; "));
        }
    }
    one_line(&text, 300)
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(files: &[(&str, &str)]) -> Arc<SchemaStore> {
        Arc::new(
            SchemaStore::new(
                "/repo",
                files
                    .iter()
                    .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
                    .collect(),
            )
            .unwrap(),
        )
    }

    fn yaml(text: &str) -> Node {
        crate::document::test_yaml(text)
    }

    /// Validates a test document as an error-severity mapping.
    fn check(schema: &CompiledSchema, root: &Node, partial: bool) -> Vec<Finding> {
        let reporting = Reporting {
            severity: Severity::Error,
            partial,
        };
        schema.check("a.yaml", root, reporting)
    }

    const COMMON: &str = r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://schemas.example.com/t/common.schema.json",
        "$defs": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}}}"#;
    const DB: &str = r#"{"$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://schemas.example.com/t/db.schema.json",
        "type": "object", "required": ["db"], "additionalProperties": false,
        "properties": {"db": {"type": "object", "required": ["host"],
            "properties": {"host": {"type": "string"}, "port": {"$ref": "common.schema.json#/$defs/port"},
                           "password": {"type": "string", "minLength": 12}}}}}"#;

    #[test]
    fn relative_refs_resolve_through_the_id_offline() {
        let store = store(&[
            ("schemas/common.schema.json", COMMON),
            ("schemas/db.schema.json", DB),
        ]);
        let schema = compile(&store, "schemas/db.schema.json").unwrap();
        let root = yaml("db:\n  host: x\n  port: 70000\n");
        let findings = check(&schema, &root, false);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].pos, crate::document::Pos::new(3, 9));
        assert_eq!(findings[0].path.as_deref(), Some("db.port"));
        assert_eq!(findings[0].rule, "schema/maximum");
    }

    #[test]
    fn refs_resolve_by_file_path_without_ids() {
        let common = r#"{"$defs": {"port": {"type": "integer"}}}"#;
        let db = r#"{"properties": {"port": {"$ref": "defs/common.json#/$defs/port"}}}"#;
        let store = store(&[
            ("schemas/defs/common.json", common),
            ("schemas/db.json", db),
        ]);
        let schema = compile(&store, "schemas/db.json").unwrap();
        let f = check(&schema, &yaml("port: abc\n"), false);
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn remote_refs_are_errors_not_fetches() {
        let db = r#"{"properties": {"port": {"$ref": "https://example.org/remote.json"}}}"#;
        let store = store(&[("schemas/db.json", db)]);
        let err = format!("{:#}", compile(&store, "schemas/db.json").unwrap_err());
        assert!(err.contains("never fetches"), "{err}");
    }

    #[test]
    fn partial_mode_drops_required_and_points_at_unexpected_keys() {
        let store = store(&[
            ("schemas/common.schema.json", COMMON),
            ("schemas/db.schema.json", DB),
        ]);
        let schema = compile(&store, "schemas/db.schema.json").unwrap();
        let root = yaml("db:\n  port: 80\nextra: 1\n");
        let all = check(&schema, &root, false);
        assert!(all.iter().any(|f| f.rule == "schema/required"));
        let extra = all
            .iter()
            .find(|f| f.rule == "schema/additionalProperties")
            .unwrap();
        assert_eq!(extra.pos, crate::document::Pos::new(3, 1));
        assert_eq!(extra.path.as_deref(), Some("extra"));
        let partial = check(&schema, &root, true);
        assert!(partial.iter().all(|f| f.rule != "schema/required"));
        assert_eq!(partial.len(), 1);
    }

    #[test]
    fn secret_values_are_not_echoed() {
        let store = store(&[
            ("schemas/common.schema.json", COMMON),
            ("schemas/db.schema.json", DB),
        ]);
        let schema = compile(&store, "schemas/db.schema.json").unwrap();
        let root = yaml("db:\n  host: x\n  password: hunter2\n");
        let f = check(&schema, &root, false);
        assert_eq!(f.len(), 1);
        assert!(!f[0].message.contains("hunter2"), "{}", f[0].message);
    }

    const RULES: &str = r##"{"$defs": {"scaling": {"type": "object",
        "x-kubernetes-validations": [{"rule": "self.min <= self.max", "message": "min above max", "fieldPath": ".min"}]}},
        "type": "object",
        "properties": {"services": {"type": "object", "additionalProperties": {
            "type": "object",
            "properties": {"scaling": {"$ref": "#/$defs/scaling"}},
            "x-cfgctl-rules": [{"rule": "quantity(self.cpu.request).compareTo(quantity(self.cpu.limit)) <= 0",
                                "messageExpression": "'cpu request ' + self.cpu.request + ' is above its limit ' + self.cpu.limit"}]}}}}"##;

    #[test]
    fn cel_rules_in_schemas_point_at_the_value() {
        let store = store(&[("schemas/s.json", RULES)]);
        let schema = compile(&store, "schemas/s.json").unwrap();
        let root = yaml(
            "services:\n  api:\n    cpu: {request: 250m, limit: 100m}\n    scaling:\n      min: 5\n      max: 2\n",
        );
        let f = check(&schema, &root, false);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].rule, "schema/x-cfgctl-rules");
        assert_eq!(f[0].path.as_deref(), Some("services.api"));
        assert_eq!(f[0].message, "cpu request 250m is above its limit 100m");
        assert_eq!(f[1].rule, "schema/x-kubernetes-validations");
        assert_eq!(f[1].path.as_deref(), Some("services.api.scaling.min"));
        assert_eq!(f[1].pos, crate::document::Pos::new(5, 12));
        assert_eq!(f[1].message, "min above max");
        // A layer fragment that does not set a field a rule reads is not judged.
        let fragment = yaml("services:\n  api:\n    scaling: {min: 1}\n");
        assert!(check(&schema, &fragment, true).is_empty());
        assert_eq!(check(&schema, &fragment, false).len(), 2);
    }

    #[test]
    fn rule_outcomes_are_remembered_by_value_and_reported_by_place() {
        let store = store(&[("schemas/s.json", RULES)]);
        let schema = compile(&store, "schemas/s.json").unwrap();
        // The same failing values twice, values that pass, and the same text as a number
        // (which `quantity` refuses): each is judged by its own values and reported at its
        // own place, in every document that holds them.
        let root = yaml(
            "services:\n  a:\n    cpu: {request: 2, limit: 1}\n  b:\n    cpu: {request: \"2\", limit: \"1\"}\n  c:\n    cpu: {request: \"1\", limit: \"2\"}\n  d:\n    cpu: {request: \"2\", limit: \"1\"}\n",
        );
        for _ in 0..2 {
            let f = check(&schema, &root, false);
            let found: Vec<(&str, &str)> = f
                .iter()
                .map(|f| (f.path.as_deref().unwrap(), f.message.as_str()))
                .collect();
            assert_eq!(found.len(), 3, "{f:?}");
            assert_eq!(found[0].0, "services.a");
            assert!(
                found[0].1.contains("could not be evaluated"),
                "{}",
                found[0].1
            );
            assert_eq!(
                found[1],
                ("services.b", "cpu request 2 is above its limit 1")
            );
            assert_eq!(
                found[2],
                ("services.d", "cpu request 2 is above its limit 1")
            );
            assert_eq!(f[2].pos, crate::document::Pos::new(9, 5));
        }
        let moved = yaml("services:\n  z:\n    cpu: {request: \"2\", limit: \"1\"}\n");
        let f = check(&schema, &moved, false);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].path.as_deref(), Some("services.z"));
        assert_eq!(f[0].pos, crate::document::Pos::new(3, 5));
    }

    #[test]
    fn a_rule_is_not_reported_as_unevaluable_where_the_schema_found_the_value_invalid() {
        let schema = r##"{"type": "object", "properties": {"scaling": {"type": "object",
            "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}},
            "x-kubernetes-validations": [{"rule": "self.min <= self.max"}]},
            "other": {"type": "object",
            "x-kubernetes-validations": [{"rule": "self.a + 1 > 0"}]}}}"##;
        let store = store(&[("schemas/s.json", schema)]);
        let schema = compile(&store, "schemas/s.json").unwrap();
        // `min` is a string: the type error is reported once, not again as a rule that
        // could not compare a string with a number.
        let f = check(&schema, &yaml("scaling: {min: two, max: 3}\n"), false);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "schema/type");
        assert_eq!(f[0].path.as_deref(), Some("scaling.min"));
        // A rule that fails to evaluate on a value the schema accepts is still a finding,
        // and an invalid value elsewhere does not hide it.
        let f = check(
            &schema,
            &yaml("scaling: {min: two, max: 3}\nother: {a: text}\n"),
            false,
        );
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[1].rule, "schema/x-kubernetes-validations");
        assert_eq!(f[1].path.as_deref(), Some("other"));
        assert!(
            f[1].message.contains("could not be evaluated"),
            "{}",
            f[1].message
        );
    }

    #[test]
    fn a_rule_that_does_not_compile_names_its_position() {
        let bad = "{\n  \"x-kubernetes-validations\": [{\"rule\": \"self.a < \"}]\n}";
        let err = SchemaStore::new(
            "/repo",
            vec![("schemas/b.json".into(), bad.as_bytes().to_vec())],
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("schemas/b.json:2:51: rule does not compile"),
            "{err}"
        );
    }
}
