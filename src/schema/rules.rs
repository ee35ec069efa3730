//! CEL rules inside schemas: `x-kubernetes-validations` (Kubernetes's shape) and
//! `x-cfgctl-rules` (the same shape) on any schema node, with `self` bound to the value the
//! node describes.
//!
//! Rules are found and compiled when the schema store is built, so a rule that does not
//! compile stops the run with its position in the schema file. At check time the schema is
//! walked along the document through `properties`, `additionalProperties`, `items`,
//! `prefixItems`, `allOf` and `$ref`; a value that is absent is not checked (as in
//! Kubernetes). Rules under `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
//! `patternProperties` and `dependentSchemas` are not reached.

use crate::cel::{EvalError, Expression, Input};
use crate::document::{KeyPath, Node, Pos, Segment, Value};
use crate::finding::{Finding, Severity};
use serde_json::Value as Json;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// The keywords that carry rules.
pub const KEYWORDS: [&str; 2] = ["x-kubernetes-validations", "x-cfgctl-rules"];

/// The variables a schema rule may use.
const VARIABLES: [&str; 2] = ["self", "oldSelf"];

/// Kubernetes's `reason` values.
const REASONS: [&str; 4] = [
    "FieldValueInvalid",
    "FieldValueForbidden",
    "FieldValueRequired",
    "FieldValueDuplicate",
];

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct SchemaRule {
    keyword: &'static str,
    rule: Expression,
    message: Option<String>,
    message_expression: Option<Expression>,
    field_path: Option<Vec<String>>,
}

/// Every rule of every schema file, by file and the JSON pointer of the node carrying it.
#[derive(Debug, Default)]
pub struct RuleIndex {
    rules: HashMap<(String, String), RuleList>,
    /// Whether any rule reads `oldSelf`.
    transition: bool,
}

impl RuleIndex {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether any rule is a transition rule (reads `oldSelf`).
    pub fn has_transition_rules(&self) -> bool {
        self.transition
    }

    /// Finds and compiles the rules of one schema file; errors are `file:line:col: message`.
    /// Touches nothing shared, so files compile on all cores; [`RuleIndex::add`] adds them.
    pub fn compile_file(file: &str, root: &Node, is_json: bool) -> Result<FileRules, String> {
        let mut found = Vec::new();
        collect(root, &mut String::new(), &mut found);
        let mut out = Vec::new();
        for (pointer, keyword, list) in found {
            let Value::Seq(items) = &list.value else {
                return Err(format!(
                    "{file}:{}: `{keyword}` must be a list of {{rule, message}} entries",
                    list.pos
                ));
            };
            let rules = items
                .iter()
                .map(|item| compile_rule(file, keyword, item, is_json))
                .collect::<Result<Vec<_>, _>>()?;
            out.push((pointer, rules));
        }
        Ok(FileRules(out))
    }

    /// Adds the compiled rules of schema file `file`.
    pub fn add(&mut self, file: &str, rules: FileRules) {
        for (pointer, rules) in rules.0 {
            self.transition |= rules.iter().any(|rule| rule.rule.uses("oldSelf"));
            self.rules
                .entry((file.to_string(), pointer))
                .or_default()
                .rules
                .extend(rules);
        }
    }

    pub(super) fn at(&self, file: &str, pointer: &str) -> &[SchemaRule] {
        self.rules
            .get(&(file.to_string(), pointer.to_string()))
            .map_or(&[], |list| list.rules.as_slice())
    }

    /// The rules of the schema node `(file, pointer)`.
    pub(super) fn get(&self, node: &(String, String)) -> Option<&RuleList> {
        self.rules.get(node)
    }
}

/// The rules of one schema file, by the JSON pointer of the node carrying them.
pub struct FileRules(Vec<(String, Vec<SchemaRule>)>);

/// The rules of one schema node, with what they read and what they gave before.
#[derive(Debug, Default)]
pub struct RuleList {
    rules: Vec<SchemaRule>,
    /// The top-level fields of `self` and of `oldSelf` the rules read (`None`: all of it).
    reads: OnceLock<[Option<BTreeSet<String>>; 2]>,
    /// The rules' outcomes by the values they read: a rule is a function of those alone, and
    /// the same settings recur across environments and services.
    memo: Mutex<HashMap<Vec<u8>, Arc<[Outcome]>, foldhash::fast::RandomState>>,
}

/// What one rule gave on one value.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Not evaluated: a transition rule without a previous value (as on create in Kubernetes).
    Skipped,
    Holds,
    /// Does not hold, with the message to report.
    Fails(String),
    Error(EvalError),
}

/// Remembered outcomes per rule list; past this, values are evaluated without being kept.
const MEMO_ENTRIES: usize = 4096;

/// Values whose encoding would be longer than this are evaluated without a memo key.
const MEMO_KEY_BYTES: usize = 16 * 1024;

impl RuleList {
    /// The top-level fields the rules read of `self` and of `oldSelf`.
    fn reads(&self) -> &[Option<BTreeSet<String>>; 2] {
        self.reads.get_or_init(|| {
            VARIABLES.map(|variable| {
                let mut all = BTreeSet::new();
                for rule in &self.rules {
                    let expressions = std::iter::once(&rule.rule).chain(&rule.message_expression);
                    for expr in expressions.filter(|e| e.uses(variable)) {
                        all.extend(expr.fields_of(variable)?.into_iter().map(str::to_string));
                    }
                }
                Some(all)
            })
        })
    }

    /// Each rule's outcome on `node` (and `old`, its value in the base revision), from the
    /// memo when the same values were seen before.
    fn outcomes(&self, node: &Node, old: Option<&Node>) -> Arc<[Outcome]> {
        let [this, previous] = self.reads();
        let key = memo_key(node, this.as_ref(), old, previous.as_ref());
        if let Some(key) = &key
            && let Some(found) = self.memo().get(key)
        {
            return Arc::clone(found);
        }
        let outcomes: Arc<[Outcome]> = self.evaluate(node, old).into();
        if let Some(key) = key {
            let mut memo = self.memo();
            if memo.len() < MEMO_ENTRIES {
                memo.insert(key, Arc::clone(&outcomes));
            }
        }
        outcomes
    }

    fn memo(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<Vec<u8>, Arc<[Outcome]>, foldhash::fast::RandomState>>
    {
        self.memo.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn evaluate(&self, node: &Node, old: Option<&Node>) -> Vec<Outcome> {
        let [this, previous] = self.reads();
        let this = Input::from_node_fields(node, this.as_ref());
        let old_input = old.map(|old| Input::from_node_fields(old, previous.as_ref()));
        self.rules
            .iter()
            .map(|rule| {
                let mut variables = vec![("self", &this)];
                match &old_input {
                    Some(old) => variables.push(("oldSelf", old)),
                    None if rule.rule.uses("oldSelf") => return Outcome::Skipped,
                    None => {}
                }
                match rule.rule.check(&variables) {
                    Ok(true) => Outcome::Holds,
                    Ok(false) => Outcome::Fails(match &rule.message_expression {
                        Some(expr) => expr
                            .message(&variables)
                            .unwrap_or_else(|_| default_message(rule)),
                        None => default_message(rule),
                    }),
                    Err(err) => Outcome::Error(err),
                }
            })
            .collect()
    }
}

/// The bytes that tell apart every pair of inputs the rules could tell apart: the fields
/// read of `node` (all of it for `None`) and of `old`, each value with its type; positions
/// and origins are not part of a value. `None` when the values are too large to keep.
fn memo_key(
    node: &Node,
    fields: Option<&BTreeSet<String>>,
    old: Option<&Node>,
    old_fields: Option<&BTreeSet<String>>,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    encode_read(node, fields, &mut out)?;
    if let Some(old) = old {
        out.push(b'o');
        encode_read(old, old_fields, &mut out)?;
    }
    Some(out)
}

/// Encodes what [`Input::from_node_fields`] converts of `node`.
fn encode_read(node: &Node, fields: Option<&BTreeSet<String>>, out: &mut Vec<u8>) -> Option<()> {
    match (fields, &node.value) {
        (Some(fields), Value::Map(map)) => {
            out.push(b'f');
            for (key, entry) in map.iter().filter(|(k, _)| fields.contains(k.as_str())) {
                encode_str(key, out);
                encode(&entry.value, out)?;
            }
            out.push(b'.');
            Some(())
        }
        _ => encode(node, out),
    }
}

/// A prefix-free encoding of a value: a type byte, then its contents with lengths.
fn encode(node: &Node, out: &mut Vec<u8>) -> Option<()> {
    match &node.value {
        Value::Null => out.push(b'n'),
        Value::Bool(b) => out.extend([b'b', u8::from(*b)]),
        Value::Int(i) => {
            out.push(b'i');
            out.extend(i.to_le_bytes());
        }
        Value::Float(f) => {
            out.push(b'd');
            out.extend(f.to_bits().to_le_bytes());
        }
        Value::String(s) => {
            out.push(b's');
            encode_str(s, out);
        }
        Value::Seq(items) => {
            out.push(b'l');
            out.extend((items.len() as u64).to_le_bytes());
            for item in items {
                encode(item, out)?;
            }
        }
        Value::Map(map) => {
            out.push(b'm');
            out.extend((map.len() as u64).to_le_bytes());
            for (key, entry) in map {
                encode_str(key, out);
                encode(&entry.value, out)?;
            }
        }
    }
    (out.len() <= MEMO_KEY_BYTES).then_some(())
}

fn encode_str(s: &str, out: &mut Vec<u8>) {
    out.extend((s.len() as u64).to_le_bytes());
    out.extend(s.as_bytes());
}

/// Finds every rule list under a schema node, with the pointer of the node holding it.
fn collect<'a>(
    node: &'a Node,
    pointer: &mut String,
    out: &mut Vec<(String, &'static str, &'a Node)>,
) {
    match &node.value {
        Value::Map(map) => {
            for keyword in KEYWORDS {
                if let Some(entry) = map.get(keyword) {
                    out.push((pointer.clone(), keyword, &entry.value));
                }
            }
            for (key, entry) in map {
                if KEYWORDS.contains(&key.as_str()) {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                collect(&entry.value, pointer, out);
                pointer.truncate(len);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                collect(item, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn compile_rule(
    file: &str,
    keyword: &'static str,
    item: &Node,
    is_json: bool,
) -> Result<SchemaRule, String> {
    let Some(map) = item.as_map() else {
        return Err(format!(
            "{file}:{}: a `{keyword}` entry must be a mapping with `rule`",
            item.pos
        ));
    };
    for (key, entry) in map {
        if ![
            "rule",
            "message",
            "messageExpression",
            "fieldPath",
            "reason",
            "optionalOldSelf",
        ]
        .contains(&key.as_str())
        {
            return Err(format!(
                "{file}:{}: unknown key `{key}` in a `{keyword}` entry (rule, message, messageExpression, fieldPath, reason)",
                entry.key_pos
            ));
        }
    }
    let string = |key: &str| -> Result<Option<(&str, &Node)>, String> {
        match map.get(key) {
            None => Ok(None),
            Some(e) => match e.value.as_str() {
                Some(s) => Ok(Some((s, &e.value))),
                None => Err(format!("{file}:{}: `{key}` must be a string", e.value.pos)),
            },
        }
    };
    let (source, node) = string("rule")?
        .ok_or_else(|| format!("{file}:{}: a `{keyword}` entry needs a `rule`", item.pos))?;
    let compile = |source: &str, node: &Node, what: &str| {
        Expression::compile(source, &VARIABLES).map_err(|err| {
            // Point into the string when it is on one line (+1 for a quote).
            let quoted = u32::from(is_json || !node.plain);
            let pos = if err.line == 1 {
                Pos::new(node.pos.line, node.pos.column + quoted + err.column - 1)
            } else {
                node.pos
            };
            format!("{file}:{pos}: {what} does not compile: {}", err.message)
        })
    };
    let message = string("messageExpression");
    // The two expressions compile side by side: a compile is the largest part of reading a
    // schema (about 2.5 M instructions, the ANTLR parser). Errors come in the same order.
    let (rule, message_expression) = rayon::join(
        || compile(source, node, "rule"),
        || match &message {
            Ok(Some((source, node))) => compile(source, node, "messageExpression").map(Some),
            _ => Ok(None),
        },
    );
    let rule = rule?;
    message?;
    let message_expression = message_expression?;
    let field_path = match string("fieldPath")? {
        Some((text, node)) => Some(parse_field_path(text).ok_or_else(|| {
            format!(
                "{file}:{}: fieldPath `{text}` is not a path such as .spec.replicas or .labels['app']",
                node.pos
            )
        })?),
        None => None,
    };
    if let Some((reason, node)) = string("reason")?
        && !REASONS.contains(&reason)
    {
        return Err(format!(
            "{file}:{}: reason `{reason}` is not one of {}",
            node.pos,
            REASONS.join(", ")
        ));
    }
    Ok(SchemaRule {
        keyword,
        rule,
        message: string("message")?.map(|(s, _)| s.to_string()),
        message_expression,
        field_path,
    })
}

/// `.a.b['c'][0]` → `["a", "b", "c", "0"]`.
fn parse_field_path(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            out.push(after[..end].to_string());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inner = after[..end].trim();
            let key = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
                .or_else(|| inner.bytes().all(|b| b.is_ascii_digit()).then_some(inner))?;
            out.push(key.to_string());
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Where and how findings of one check are reported.
pub(super) struct Target<'a> {
    pub file: &'a str,
    pub origins: &'a [String],
    pub schema: &'a str,
    pub severity: Severity,
    /// A layer fragment: a rule reading a field the fragment does not set is not judged.
    pub partial: bool,
    /// The key paths the schema's own keywords found invalid: a rule that cannot be
    /// evaluated on a value holding one of them (a string where it expects a number) says
    /// nothing the schema has not said.
    pub invalid: &'a [String],
}

impl Target<'_> {
    /// Whether the schema found a value at or below `at` invalid.
    fn invalid_within(&self, at: &KeyPath) -> bool {
        if at.is_root() {
            return !self.invalid.is_empty();
        }
        let at = at.to_string();
        self.invalid.iter().any(|path| {
            path.strip_prefix(at.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    }
}

/// Evaluates the rules of a schema node on the value it describes.
pub(super) fn check_node(
    list: &RuleList,
    node: &Node,
    old: Option<&Node>,
    at: &KeyPath,
    target: &Target<'_>,
    out: &mut Vec<Finding>,
) {
    if list.rules.is_empty() {
        return;
    }
    let outcomes = list.outcomes(node, old);
    for (rule, outcome) in list.rules.iter().zip(outcomes.iter()) {
        let message = match outcome {
            Outcome::Skipped | Outcome::Holds => continue,
            Outcome::Fails(message) => message.clone(),
            Outcome::Error(EvalError::NoSuchKey(_)) if target.partial => continue,
            Outcome::Error(_) if target.invalid_within(at) => continue,
            Outcome::Error(err) => format!(
                "rule `{}` could not be evaluated: {err}",
                rule.rule.source()
            ),
        };
        let (node, path) = locate(node, at, rule.field_path.as_deref());
        let file = target
            .origins
            .get(node.origin as usize)
            .map_or(target.file, String::as_str);
        out.push(Finding {
            file: file.to_string(),
            pos: node.pos,
            path: Some(path.to_string()),
            rule: format!("schema/{}", rule.keyword),
            severity: target.severity,
            message,
            schema: Some(target.schema.to_string()),
        });
    }
}

fn default_message(rule: &SchemaRule) -> String {
    rule.message
        .clone()
        .unwrap_or_else(|| format!("failed rule: {}", rule.rule.source()))
}

/// The node a finding points at: `fieldPath` below `node` when it exists.
fn locate<'a>(node: &'a Node, at: &KeyPath, field_path: Option<&[String]>) -> (&'a Node, KeyPath) {
    let mut path = at.clone();
    let mut current = node;
    for segment in field_path.unwrap_or_default() {
        let next = match &current.value {
            Value::Map(map) => map.get(segment).map(|e| &e.value),
            Value::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(child) => {
                path.push(match &current.value {
                    Value::Seq(_) => Segment::Index(segment.parse().unwrap_or_default()),
                    _ => Segment::Key(segment.clone()),
                });
                current = child;
            }
            None => break,
        }
    }
    (current, path)
}

/// How deep `$ref`s may chain without descending into the document (a schema referring to
/// itself).
pub(super) const MAX_REF_DEPTH: usize = 32;

/// Resolves a JSON pointer inside a schema value.
pub(super) fn pointer<'a>(schema: &'a Json, pointer: &str) -> Option<&'a Json> {
    if pointer.is_empty() {
        Some(schema)
    } else {
        schema.pointer(pointer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(yaml: &str) -> Node {
        let doc = crate::document::parse(
            yaml.as_bytes(),
            crate::document::Format::Yaml,
            &crate::document::Limits::default(),
        )
        .unwrap();
        doc.roots.into_iter().next().unwrap()
    }

    #[test]
    fn memo_keys_tell_apart_what_a_rule_can() {
        let fields: BTreeSet<String> = ["a".to_string()].into();
        let key = |yaml: &str, fields: Option<&BTreeSet<String>>| {
            memo_key(&node(yaml), fields, None, None).unwrap()
        };
        let distinct = [
            "{a: 1}",
            "{a: '1'}",
            "{a: 1.0}",
            "{a: true}",
            "{a: null}",
            "{a: []}",
            "{a: {}}",
            "{a: [1]}",
            "{a: [[1]]}",
            "{a: [1, 2]}",
            "{a: {b: 1}}",
            "{a: {b1: ''}}",
            "{a: {b: '1'}}",
            "{a: [b, c]}",
            "{a: ['b, c']}",
            "{}",
        ];
        let keys: BTreeSet<Vec<u8>> = distinct.iter().map(|y| key(y, Some(&fields))).collect();
        assert_eq!(keys.len(), distinct.len());
        // Fields the rules do not read, and positions, are not part of the key.
        assert_eq!(
            key("{a: 1, b: 2}", Some(&fields)),
            key("{a: 1}", Some(&fields))
        );
        assert_eq!(
            key("\n\n{ a:    1}", Some(&fields)),
            key("{a: 1}", Some(&fields))
        );
        // A rule reading the whole value sees every field.
        assert_ne!(key("{a: 1, b: 2}", None), key("{a: 1}", None));
        // The previous value, when there is one, is part of the key.
        let n = node("{a: 1}");
        assert_ne!(
            memo_key(&n, Some(&fields), None, None),
            memo_key(&n, Some(&fields), Some(&n), Some(&fields))
        );
        // Too large to keep: evaluated without a key.
        let big = format!("{{a: '{}'}}", "x".repeat(MEMO_KEY_BYTES));
        assert!(memo_key(&node(&big), Some(&fields), None, None).is_none());
    }

    #[test]
    fn field_paths() {
        assert_eq!(
            parse_field_path(".spec.replicas").unwrap(),
            ["spec", "replicas"]
        );
        assert_eq!(
            parse_field_path(".labels['app.kubernetes.io/name']").unwrap(),
            ["labels", "app.kubernetes.io/name"]
        );
        assert_eq!(
            parse_field_path(".ports[1].port").unwrap(),
            ["ports", "1", "port"]
        );
        assert!(parse_field_path("spec").is_none());
        assert!(parse_field_path("").is_none());
    }
}
