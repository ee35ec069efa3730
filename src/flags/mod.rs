//! Feature flags in OpenFeature flagd format: `flags/<env>.flags.json` (or `.yaml`).
//!
//! Loading is as lenient as flagd's (only bad syntax, an unknown `state` or a `defaultVariant`
//! missing from `variants` refuse a file); [`validate`] is strict. Evaluation follows flagd's Go
//! evaluator step by step (FLAGS.md §A2), so cfgctl and a flagd serving the same repository
//! give the same answers. cfgctl's own concepts (stage, owner, expiry) live in `metadata`.

pub mod fractional;
pub mod jsonlogic;
pub mod murmur3;
pub mod rollout;
pub mod semver;
pub mod stage;
pub mod validate;

use crate::document::{self, Format, Limits, Node};
use indexmap::IndexMap;
use jsonlogic::{Env, Evaluator, Expr, Step};
use serde::Serialize;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::sync::Arc;

/// Where flag files live, one per environment.
pub const FLAGS_DIR: &str = "flags/";

/// Returns the environment a repository path is the flag file of (`flags/prod.flags.json`).
pub fn env_of(path: &str) -> Option<&str> {
    let name = path.strip_prefix(FLAGS_DIR)?;
    if name.contains('/') {
        return None;
    }
    [".flags.json", ".flags.yaml", ".flags.yml"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .filter(|env| !env.is_empty())
}

/// Returns the flag file of an environment among the repository's paths.
pub fn file_of<'p>(paths: &'p [String], env: &str) -> Option<&'p String> {
    paths.iter().find(|p| env_of(p) == Some(env))
}

/// Whether a flag is served at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum State {
    Enabled,
    Disabled,
}

/// A flag's targeting, compiled once.
#[derive(Debug, Clone, PartialEq)]
pub enum Targeting {
    /// No `targeting`, or `{}`.
    None,
    /// A rule, with `$ref`s replaced by their evaluators.
    Rule {
        expr: Expr,
        /// The evaluators the rule refers to, in order of appearance.
        refs: Vec<String>,
    },
    /// A rule flagd cannot run (an unknown operator, a `$ref` to a missing evaluator):
    /// every evaluation ends in `PARSE_ERROR`.
    Invalid(String),
}

/// One flag.
#[derive(Debug, Clone)]
pub struct Flag {
    pub key: String,
    pub state: State,
    pub variants: Map<String, Value>,
    pub default_variant: Option<String>,
    pub targeting: Targeting,
    pub metadata: Map<String, Value>,
    /// Flag-set metadata with the flag's own on top: what every evaluation returns, merged
    /// once at load and shared.
    pub resolved_metadata: Arc<Map<String, Value>>,
}

/// A flag file: the flags in file order, shared evaluators and flag-set metadata.
#[derive(Debug, Clone, Default)]
pub struct FlagSet {
    pub flags: IndexMap<String, Flag>,
    pub evaluators: Map<String, Value>,
    pub metadata: Arc<Map<String, Value>>,
    /// The `fractional` generation evaluations use: v2, as the flagd daemon, unless set.
    pub fractional: fractional::Generation,
}

/// Why a flag file cannot be loaded; `pointer` is the JSON pointer of the offending value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LoadError {
    pub pointer: String,
    pub message: String,
}

impl FlagSet {
    /// Loads a parsed flag file as flagd does: schema problems are tolerated; bad `state`
    /// values and a `defaultVariant` missing from `variants` are errors.
    pub fn from_json(json: &Value) -> Result<FlagSet, LoadError> {
        let err = |pointer: String, message: String| LoadError { pointer, message };
        let root = json
            .as_object()
            .ok_or_else(|| err(String::new(), "a flag file must be a JSON object".into()))?;
        let evaluators = match root.get("$evaluators") {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        let metadata = match root.get("metadata") {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        // flagd.json also allows an array of flags, each with its `key`.
        let entries: Vec<(String, String, &Value)> = match root.get("flags") {
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| (k.clone(), format!("/flags/{}", escape_pointer(k)), v))
                .collect(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let key = v.get("key").and_then(Value::as_str).unwrap_or_default();
                    (key.to_string(), format!("/flags/{i}"), v)
                })
                .collect(),
            _ => {
                return Err(err(
                    String::new(),
                    "a flag file needs a `flags` object".into(),
                ));
            }
        };
        let mut flags = IndexMap::new();
        for (key, pointer, value) in entries {
            let mut flag =
                Flag::from_json(&key, value, &evaluators).map_err(|(sub, message)| {
                    err(
                        format!("{pointer}{sub}"),
                        format!("flag `{key}`: {message}"),
                    )
                })?;
            let mut merged = metadata.clone();
            merged.extend(flag.metadata.iter().map(|(k, v)| (k.clone(), v.clone())));
            flag.resolved_metadata = Arc::new(merged);
            flags.insert(key, flag);
        }
        Ok(FlagSet {
            flags,
            evaluators,
            metadata: Arc::new(metadata),
            fractional: fractional::Generation::V2,
        })
    }

    /// Parses and loads a flag file; errors name the file, line and column.
    pub fn load(path: &str, bytes: &[u8]) -> anyhow::Result<FlagSet> {
        let root = parse(path, bytes)?;
        FlagSet::from_json(&root.to_json()).map_err(|e| {
            let (node, _) = root.locate_pointer(&e.pointer);
            anyhow::anyhow!("{path}:{}: {}", node.pos, e.message)
        })
    }

    /// Evaluates a flag over a context (a JSON object), recording steps into `trace` if given.
    pub fn evaluate(
        &self,
        key: &str,
        context: &Value,
        timestamp: i64,
        trace: Option<&RefCell<Vec<Step>>>,
    ) -> Resolution {
        let Some(flag) = self.flags.get(key) else {
            return Resolution::error(
                ErrorCode::FlagNotFound,
                format!("flag `{key}` not found"),
                Arc::clone(&self.metadata),
            );
        };
        let metadata = || Arc::clone(&flag.resolved_metadata);
        if flag.state == State::Disabled {
            return Resolution {
                reason: Reason::Disabled,
                ..Resolution::empty(metadata())
            };
        }
        let (variant, reason) = match &flag.targeting {
            Targeting::None => (flag.default_variant.clone(), Reason::Static),
            Targeting::Invalid(why) => {
                return Resolution::error(ErrorCode::ParseError, why.clone(), metadata());
            }
            Targeting::Rule { expr, .. } => {
                let env = Env {
                    flag_key: key,
                    timestamp,
                    fractional: self.fractional,
                };
                match Evaluator::new(env, trace).evaluate(expr, context) {
                    Value::Null => (flag.default_variant.clone(), Reason::Default),
                    result => {
                        let name = jsonlogic::to_js_string(&result);
                        if !flag.variants.contains_key(&name) {
                            return Resolution::error(
                                ErrorCode::General,
                                format!("targeting returned `{name}`, which is not a variant"),
                                metadata(),
                            );
                        }
                        (Some(name), Reason::TargetingMatch)
                    }
                }
            }
        };
        match variant {
            Some(name) => match flag.variants.get(&name) {
                Some(value) => Resolution {
                    value: Some(value.clone()),
                    variant: Some(name),
                    reason,
                    ..Resolution::empty(metadata())
                },
                None => Resolution::error(
                    ErrorCode::General,
                    format!("variant `{name}` does not exist"),
                    metadata(),
                ),
            },
            // No default variant: the caller's code default applies.
            None => Resolution {
                reason: Reason::Default,
                ..Resolution::empty(metadata())
            },
        }
    }

    /// Evaluates a flag and checks its value against the type the caller asked for.
    pub fn resolve(&self, key: &str, kind: Kind, context: &Value, timestamp: i64) -> Resolution {
        let resolution = self.evaluate(key, context, timestamp, None);
        match &resolution.value {
            Some(value) if !kind.accepts(value) => Resolution::error(
                ErrorCode::TypeMismatch,
                format!("flag `{key}` is not of type {kind:?}"),
                resolution.metadata,
            ),
            _ => resolution,
        }
    }
}

impl Flag {
    fn from_json(
        key: &str,
        json: &Value,
        evaluators: &Map<String, Value>,
    ) -> Result<Flag, (String, String)> {
        let fail = |sub: &str, message: String| Err((sub.to_string(), message));
        let Some(object) = json.as_object() else {
            return fail("", "a flag must be an object".into());
        };
        let state = match object.get("state") {
            Some(Value::String(s)) if s == "ENABLED" => State::Enabled,
            Some(Value::String(s)) if s == "DISABLED" => State::Disabled,
            Some(other) => {
                return fail(
                    "/state",
                    format!("`state` must be ENABLED or DISABLED, not {other}"),
                );
            }
            None => return fail("", "`state` is missing".into()),
        };
        let variants = match object.get("variants") {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        let default_variant = match object.get("defaultVariant") {
            Some(Value::String(name)) => {
                if !variants.contains_key(name) {
                    return fail(
                        "/defaultVariant",
                        format!("default variant `{name}` is not one of the variants"),
                    );
                }
                Some(name.clone())
            }
            _ => None,
        };
        let targeting = match object.get("targeting") {
            None | Some(Value::Null) => Targeting::None,
            Some(Value::Object(map)) if map.is_empty() => Targeting::None,
            Some(rule) => compile_targeting(rule, evaluators),
        };
        let metadata = match object.get("metadata") {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        Ok(Flag {
            key: key.to_string(),
            state,
            variants,
            default_variant,
            targeting,
            metadata,
            resolved_metadata: Arc::default(),
        })
    }

    /// `metadata.stage`, if it is a string.
    pub fn stage(&self) -> Option<&str> {
        self.metadata.get("stage").and_then(Value::as_str)
    }
}

/// Replaces every `{"$ref": NAME}` naming an evaluator by that evaluator (one level, as flagd
/// does by text substitution) and compiles the result.
pub fn compile_targeting(rule: &Value, evaluators: &Map<String, Value>) -> Targeting {
    let mut refs = Vec::new();
    let substituted = substitute_refs(rule, evaluators, &mut refs);
    match Expr::compile(&substituted) {
        Ok(expr) => Targeting::Rule { expr, refs },
        Err(jsonlogic::CompileError::UnknownOperator(op)) if op == "$ref" => {
            Targeting::Invalid("targeting refers to an evaluator that does not exist".into())
        }
        Err(err) => Targeting::Invalid(format!("targeting cannot be parsed: {err}")),
    }
}

fn substitute_refs(
    value: &Value,
    evaluators: &Map<String, Value>,
    refs: &mut Vec<String>,
) -> Value {
    match value {
        Value::Object(map) => {
            if map.len() == 1
                && let Some(Value::String(name)) = map.get("$ref")
                && let Some(evaluator) = evaluators.get(name)
            {
                refs.push(name.clone());
                return evaluator.clone();
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), substitute_refs(v, evaluators, refs)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute_refs(v, evaluators, refs))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Parses a flag file (JSON or YAML by extension) into its positioned tree.
pub fn parse(path: &str, bytes: &[u8]) -> anyhow::Result<Node> {
    let format = match Format::from_path(path) {
        Some(format @ (Format::Json | Format::Yaml)) => format,
        _ => anyhow::bail!("{path}: a flag file must be .json, .yaml or .yml"),
    };
    let doc = document::parse(bytes, format, &Limits::default()).map_err(|e| e.in_file(path))?;
    doc.roots
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("{path}:1:1: the file is empty"))
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The type a caller asks for (OpenFeature's typed resolvers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Boolean,
    String,
    /// An integral number (flagd's Go evaluator splits integers from floats).
    Integer,
    Float,
    Object,
}

impl Kind {
    pub fn accepts(self, value: &Value) -> bool {
        match self {
            Kind::Boolean => value.is_boolean(),
            Kind::String => value.is_string(),
            Kind::Integer => value.as_f64().is_some_and(|f| {
                f.fract() == 0.0 && (value.is_i64() || value.is_u64() || f.abs() < 9.0e15)
            }),
            Kind::Float => value.is_number(),
            Kind::Object => value.is_object() || value.is_array(),
        }
    }
}

/// Why an evaluation gave its value (OpenFeature reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    Static,
    Default,
    TargetingMatch,
    Disabled,
    Error,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Static => "STATIC",
            Reason::Default => "DEFAULT",
            Reason::TargetingMatch => "TARGETING_MATCH",
            Reason::Disabled => "DISABLED",
            Reason::Error => "ERROR",
        }
    }
}

/// What went wrong in an `ERROR` evaluation (OpenFeature error codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    FlagNotFound,
    ParseError,
    TypeMismatch,
    General,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::FlagNotFound => "FLAG_NOT_FOUND",
            ErrorCode::ParseError => "PARSE_ERROR",
            ErrorCode::TypeMismatch => "TYPE_MISMATCH",
            ErrorCode::General => "GENERAL",
        }
    }
}

/// The outcome of one evaluation. `value` and `variant` are absent when the caller's code
/// default applies (disabled flags, no default variant, errors).
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub value: Option<Value>,
    pub variant: Option<String>,
    pub reason: Reason,
    pub error_code: Option<ErrorCode>,
    pub error_message: Option<String>,
    pub metadata: Arc<Map<String, Value>>,
}

impl Resolution {
    fn empty(metadata: Arc<Map<String, Value>>) -> Resolution {
        Resolution {
            value: None,
            variant: None,
            reason: Reason::Default,
            error_code: None,
            error_message: None,
            metadata,
        }
    }

    fn error(code: ErrorCode, message: String, metadata: Arc<Map<String, Value>>) -> Resolution {
        Resolution {
            reason: Reason::Error,
            error_code: Some(code),
            error_message: Some(message),
            ..Resolution::empty(metadata)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(json: Value) -> FlagSet {
        FlagSet::from_json(&json).unwrap()
    }

    fn demo() -> FlagSet {
        set(json!({
            "$evaluators": {"isInternal": {"ends_with": [{"var": "email"}, "@example.com"]}},
            "metadata": {"flagSetId": "demo", "version": "1"},
            "flags": {
                "new-checkout": {
                    "state": "ENABLED",
                    "variants": {"on": true, "off": false},
                    "defaultVariant": "off",
                    "targeting": {"if": [
                        {"$ref": "isInternal"}, "on",
                        {"in": [{"var": "tenant_id"}, ["t-042"]]}, "on",
                        {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user_id"}]}, ["on", 10], ["off", 90]]}
                    ]},
                    "metadata": {"stage": "canary", "version": "2"}
                },
                "search-algo": {
                    "state": "ENABLED",
                    "variants": {"legacy": "legacy", "hybrid": "hybrid", "vector": "vector"},
                    "defaultVariant": "legacy",
                    "targeting": {"if": [
                        {"and": [{"in": [{"var": "plan"}, ["pro", "enterprise"]]},
                                 {"sem_ver": [{"var": "app_version"}, ">=", "2.3.0"]}]},
                        {"fractional": [["hybrid", 50], ["vector", 25], ["legacy", 25]]},
                        null
                    ]}
                },
                "rate-limits": {
                    "state": "ENABLED",
                    "variants": {"default": {"rps": 10}, "elevated": {"rps": 100}},
                    "defaultVariant": "default",
                    "targeting": {"if": [{"or": [{"==": [{"var": "role"}, "admin"]},
                                                {"starts_with": [{"var": "tenant_id"}, "t-0"]}]},
                                         "elevated", null]}
                },
                "old-banner": {"state": "DISABLED", "variants": {"on": true}, "defaultVariant": "on"},
                "broken": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on",
                           "targeting": {"if": [{"$ref": "missing"}, "on", null]}}
            }
        }))
    }

    fn eval(set: &FlagSet, key: &str, ctx: Value) -> (Option<Value>, Reason) {
        let r = set.evaluate(key, &ctx, 0, None);
        (r.value, r.reason)
    }

    /// The table of FLAGS.md §A4, checked there against flagd-core.
    #[test]
    fn demo_contexts_match_the_reference() {
        let s = demo();
        let u1 = json!({"targetingKey": "u-1", "user_id": "u-1", "email": "alice@example.com", "plan": "free", "app_version": "2.4.1"});
        assert_eq!(
            eval(&s, "new-checkout", u1.clone()),
            (Some(json!(true)), Reason::TargetingMatch)
        );
        assert_eq!(
            eval(&s, "search-algo", u1.clone()),
            (Some(json!("legacy")), Reason::Default)
        );
        assert_eq!(
            eval(&s, "rate-limits", u1),
            (Some(json!({"rps": 10})), Reason::Default)
        );
        let u3 = json!({"targetingKey": "u-3", "user_id": "u-3", "tenant_id": "t-777", "plan": "enterprise", "role": "admin", "app_version": "v3.0"});
        assert_eq!(
            eval(&s, "new-checkout", u3.clone()),
            (Some(json!(false)), Reason::TargetingMatch)
        );
        assert_eq!(
            eval(&s, "search-algo", u3.clone()),
            (Some(json!("hybrid")), Reason::TargetingMatch)
        );
        assert_eq!(
            eval(&s, "rate-limits", u3),
            (Some(json!({"rps": 100})), Reason::TargetingMatch)
        );
        let u4 = json!({"targetingKey": "u-4", "user_id": "u-4", "tenant_id": "t-900", "plan": "pro", "app_version": "2.2.9"});
        assert_eq!(
            eval(&s, "new-checkout", u4.clone()),
            (Some(json!(false)), Reason::TargetingMatch)
        );
        assert_eq!(
            eval(&s, "search-algo", u4),
            (Some(json!("legacy")), Reason::Default)
        );
        let u5 = json!({"user_id": "u-5", "app_version": "2.5.0", "plan": "pro"});
        assert_eq!(
            eval(&s, "new-checkout", u5.clone()),
            (Some(json!(true)), Reason::TargetingMatch)
        );
        assert_eq!(
            eval(&s, "search-algo", u5),
            (Some(json!("legacy")), Reason::Default)
        );
    }

    #[test]
    fn disabled_unknown_broken_and_mismatched_flags() {
        let s = demo();
        assert_eq!(eval(&s, "old-banner", json!({})), (None, Reason::Disabled));
        let missing = s.evaluate("nope", &json!({}), 0, None);
        assert_eq!(missing.error_code, Some(ErrorCode::FlagNotFound));
        let broken = s.evaluate("broken", &json!({}), 0, None);
        assert_eq!(broken.error_code, Some(ErrorCode::ParseError));
        let typed = s.resolve("new-checkout", Kind::String, &json!({}), 0);
        assert_eq!(typed.error_code, Some(ErrorCode::TypeMismatch));
    }

    #[test]
    fn flag_metadata_wins_over_set_metadata() {
        let r = demo().evaluate("new-checkout", &json!({}), 0, None);
        assert_eq!(r.metadata["flagSetId"], json!("demo"));
        assert_eq!(r.metadata["version"], json!("2"));
    }

    #[test]
    fn loading_refuses_what_flagd_refuses() {
        let bad_state =
            FlagSet::from_json(&json!({"flags": {"f": {"state": "ON", "variants": {}}}}));
        assert_eq!(bad_state.unwrap_err().pointer, "/flags/f/state");
        let bad_default = FlagSet::from_json(
            &json!({"flags": {"f": {"state": "ENABLED", "variants": {"a": 1}, "defaultVariant": "b"}}}),
        );
        assert_eq!(bad_default.unwrap_err().pointer, "/flags/f/defaultVariant");
        // Array form (flagd.json).
        let array = set(
            json!({"flags": [{"key": "a", "state": "ENABLED", "variants": {"x": 1}, "defaultVariant": "x"}]}),
        );
        assert!(array.flags.contains_key("a"));
    }

    #[test]
    fn file_names_map_to_environments() {
        assert_eq!(env_of("flags/prod.flags.json"), Some("prod"));
        assert_eq!(env_of("flags/staging.flags.yaml"), Some("staging"));
        assert_eq!(env_of("flags/x/prod.flags.json"), None);
        assert_eq!(env_of("flags/prod.json"), None);
        assert_eq!(env_of("envs/prod.flags.json"), None);
    }
}
