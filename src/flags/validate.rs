//! Strict checks of a flag file: the flagd JSON Schemas (draft-07, all three registered by
//! `$id`, embedded), then what flagd only warns about or never checks.
//!
//! | rule | severity | what |
//! | --- | --- | --- |
//! | `schema/<keyword>` | error | the file against `https://flagd.dev/schema/v0/flagd.json` |
//! | `flags/load` | error | what makes flagd refuse the file (bad `state`, unknown `defaultVariant`) |
//! | `flags/variant-types` | error | variants of one flag of more than one type |
//! | `flags/unknown-evaluator` | error | a `$ref` that names no entry of `$evaluators` |
//! | `flags/unknown-operator` | error | an operator flagd does not know |
//! | `flags/fractional-weights` | error | a literal weight that is not an integer ≥ 0, or all weights 0 |
//! | `flags/unknown-variant` | error | a variant name a targeting rule can return that does not exist |
//! | `flags/stage` | error | `metadata.stage` unknown, or at odds with `state`/`targeting` |
//! | `flags/expires` | error | `metadata.expires` is not a `YYYY-MM-DD` date |
//! | `flags/stale` | warning | `metadata.expires` has passed |

use super::jsonlogic::{Op, to_js_string};
use super::stage::Stage;
use crate::document::{KeyPath, Node, Pos, Segment, Value};
use crate::finding::{Finding, Severity};
use crate::schema::{self, CompiledSchema, Reporting, SchemaStore};
use std::sync::{Arc, OnceLock};

/// `$id`s of the embedded schemas.
pub const FLAGD_SCHEMA: &str = "https://flagd.dev/schema/v0/flagd.json";
pub const FLAGS_SCHEMA: &str = "https://flagd.dev/schema/v0/flags.json";
pub const TARGETING_SCHEMA: &str = "https://flagd.dev/schema/v0/targeting.json";

const SCHEMAS: [(&str, &str); 3] = [
    ("flagd.json", include_str!("schema/flagd.json")),
    ("flags.json", include_str!("schema/flags.json")),
    ("targeting.json", include_str!("schema/targeting.json")),
];

/// Returns the embedded schema with `$id` `id`, compiled once per process.
pub fn compiled(id: &str) -> &'static CompiledSchema {
    static STORE: OnceLock<Arc<SchemaStore>> = OnceLock::new();
    static COMPILED: [OnceLock<CompiledSchema>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let index = [FLAGD_SCHEMA, FLAGS_SCHEMA, TARGETING_SCHEMA]
        .iter()
        .position(|known| *known == id)
        .expect("one of the embedded flagd schemas");
    COMPILED[index].get_or_init(|| {
        let store = STORE.get_or_init(|| {
            let files = SCHEMAS
                .iter()
                .map(|(name, text)| (format!("flagd/{name}"), text.as_bytes().to_vec()))
                .collect();
            Arc::new(SchemaStore::new("/cfgctl-embedded", files).expect("embedded schemas parse"))
        });
        // Under draft-07 a `$ref` ignores its siblings, `$id` included (flagd.json has both),
        // so validation always goes through a wrapper that refers to the schema by `$id`.
        let wrapper = serde_json::json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$ref": id,
        });
        let name = id.rsplit('/').next().unwrap_or(id);
        schema::compile_value(store, &format!("flagd/{name}"), &wrapper)
            .expect("embedded schemas compile")
    })
}

/// Checks one flag file and returns its findings. `today` is `(year, month, day)` in UTC.
pub fn check(path: &str, bytes: &[u8], today: (i32, u32, u32)) -> Vec<Finding> {
    let root = match super::parse(path, bytes) {
        Ok(root) => root,
        Err(err) => {
            let message = format!("{err:#}");
            let message = message
                .strip_prefix(&format!("{path}:"))
                .map_or(message.clone(), |m| m.trim_start().to_string());
            return vec![Finding {
                file: path.to_string(),
                pos: Pos::new(1, 1),
                path: None,
                rule: "parse".into(),
                severity: Severity::Error,
                message,
                schema: None,
            }];
        }
    };
    let mut findings = compiled(FLAGD_SCHEMA).check(
        path,
        &root,
        Reporting {
            severity: Severity::Error,
            partial: false,
        },
    );
    let mut checker = Checker {
        file: path,
        findings: Vec::new(),
        evaluators: root.get("$evaluators").and_then(Node::as_map),
    };
    checker.check_root(&root, today);
    findings.extend(checker.findings);
    Finding::sort(&mut findings);
    findings
}

struct Checker<'a> {
    file: &'a str,
    findings: Vec<Finding>,
    evaluators: Option<&'a crate::document::Map>,
}

impl<'a> Checker<'a> {
    fn report(
        &mut self,
        rule: &str,
        severity: Severity,
        pos: Pos,
        path: &KeyPath,
        message: String,
    ) {
        self.findings.push(Finding {
            file: self.file.to_string(),
            pos,
            path: Some(path.to_string()),
            rule: format!("flags/{rule}"),
            severity,
            message,
            schema: None,
        });
    }

    fn error(&mut self, rule: &str, pos: Pos, path: &KeyPath, message: String) {
        self.report(rule, Severity::Error, pos, path, message);
    }

    fn check_root(&mut self, root: &'a Node, today: (i32, u32, u32)) {
        if let Some(evaluators) = self.evaluators {
            for (name, entry) in evaluators {
                let path = KeyPath::from_keys(&["$evaluators".into(), name.clone()]);
                self.check_rule(&entry.value, &path);
            }
        }
        let flags: Vec<(String, &Node, KeyPath)> = match root.get("flags").map(|n| &n.value) {
            Some(Value::Map(map)) => map
                .iter()
                .map(|(k, e)| {
                    (
                        k.clone(),
                        &e.value,
                        KeyPath::from_keys(&["flags".into(), k.clone()]),
                    )
                })
                .collect(),
            Some(Value::Seq(items)) => items
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let key = n.get("key").and_then(Node::as_str).unwrap_or_default();
                    let mut path = KeyPath::from_keys(&["flags".into()]);
                    path.push(Segment::Index(i));
                    (key.to_string(), n, path)
                })
                .collect(),
            _ => Vec::new(),
        };
        for (key, flag, path) in flags {
            self.check_flag(&key, flag, &path, today);
        }
    }

    fn check_flag(&mut self, key: &str, flag: &'a Node, path: &KeyPath, today: (i32, u32, u32)) {
        let Some(map) = flag.as_map() else { return };
        let child = |name: &str| {
            let mut p = path.clone();
            p.push(Segment::Key(name.into()));
            p
        };
        let variants = map.get("variants").and_then(|e| e.value.as_map());
        let state = map.get("state").map(|e| &e.value);
        if let Some(state) = state
            && !matches!(state.as_str(), Some("ENABLED" | "DISABLED"))
        {
            self.error(
                "load",
                state.pos,
                &child("state"),
                format!(
                    "flag `{key}`: `state` must be ENABLED or DISABLED; flagd refuses this file"
                ),
            );
        }
        if let Some(entry) = map.get("defaultVariant")
            && let Some(name) = entry.value.as_str()
            && !variants.is_some_and(|v| v.contains_key(name))
        {
            self.error(
                "load",
                entry.value.pos,
                &child("defaultVariant"),
                format!("flag `{key}`: default variant `{name}` is not one of the variants; flagd refuses this file"),
            );
        }
        if let Some(variants) = variants {
            let mut first: Option<(&str, &str)> = None;
            for (name, entry) in variants {
                let kind = kind_of(&entry.value);
                match first {
                    None => first = Some((name, kind)),
                    Some((first_name, first_kind)) if first_kind != kind => {
                        let mut p = child("variants");
                        p.push(Segment::Key(name.clone()));
                        self.error(
                            "variant-types",
                            entry.value.pos,
                            &p,
                            format!(
                                "flag `{key}`: variant `{name}` is a {kind}, but `{first_name}` is a {first_kind}; all variants must have one type"
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
        let targeting = map.get("targeting").map(|e| &e.value).filter(|t| {
            !matches!(&t.value, Value::Map(m) if m.is_empty()) && !matches!(t.value, Value::Null)
        });
        if let Some(targeting) = targeting {
            self.check_rule(targeting, &child("targeting"));
            if let Some(variants) = variants {
                self.check_results(key, targeting, &child("targeting"), variants);
            }
        }
        let metadata = map.get("metadata").and_then(|e| e.value.as_map());
        if let Some(stage) = metadata.and_then(|m| m.get("stage")) {
            let mut p = child("metadata");
            p.push(Segment::Key("stage".into()));
            let enabled = state.and_then(Node::as_str) == Some("ENABLED");
            match stage.value.as_str().and_then(Stage::parse) {
                None => self.error(
                    "stage",
                    stage.value.pos,
                    &p,
                    format!(
                        "flag `{key}`: stage must be one of {}",
                        Stage::ALL.map(Stage::as_str).join(", ")
                    ),
                ),
                Some(Stage::Disabled) if enabled => self.error(
                    "stage",
                    stage.value.pos,
                    &p,
                    format!("flag `{key}`: stage is disabled but state is ENABLED"),
                ),
                Some(s) if s != Stage::Disabled && !enabled => self.error(
                    "stage",
                    stage.value.pos,
                    &p,
                    format!("flag `{key}`: stage is {} but state is not ENABLED", s.as_str()),
                ),
                Some(Stage::Full) if targeting.is_some() => self.error(
                    "stage",
                    stage.value.pos,
                    &p,
                    format!("flag `{key}`: stage is full but the flag still has targeting"),
                ),
                Some(s @ (Stage::Canary | Stage::Beta | Stage::Staged)) if targeting.is_none() => {
                    self.error(
                        "stage",
                        stage.value.pos,
                        &p,
                        format!(
                            "flag `{key}`: stage is {} but the flag has no targeting, so everyone gets the default variant",
                            s.as_str()
                        ),
                    )
                }
                Some(_) => {}
            }
        }
        if let Some(expires) = metadata.and_then(|m| m.get("expires")) {
            let mut p = child("metadata");
            p.push(Segment::Key("expires".into()));
            match expires.value.as_str().and_then(parse_date) {
                None => self.error(
                    "expires",
                    expires.value.pos,
                    &p,
                    format!("flag `{key}`: `expires` must be a date like 2026-12-31"),
                ),
                Some(date) if date < today => self.report(
                    "stale",
                    Severity::Warning,
                    expires.value.pos,
                    &p,
                    format!(
                        "flag `{key}` expired on {:04}-{:02}-{:02}: remove it or move `expires`",
                        date.0, date.1, date.2
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    /// Checks operators, `$ref`s and fractional weights anywhere in a rule.
    fn check_rule(&mut self, node: &Node, path: &KeyPath) {
        match &node.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Segment::Index(i));
                    self.check_rule(item, &p);
                }
            }
            Value::Map(map) if map.len() == 1 => {
                let (name, entry) = map.iter().next().expect("one entry");
                let mut p = path.clone();
                p.push(Segment::Key(name.clone()));
                if name == "$ref" {
                    let target = entry.value.as_str().unwrap_or_default();
                    if !self.evaluators.is_some_and(|e| e.contains_key(target)) {
                        self.error(
                            "unknown-evaluator",
                            entry.value.pos,
                            &p,
                            format!("`$ref` names `{target}`, which is not in `$evaluators`; flagd answers PARSE_ERROR"),
                        );
                    }
                    return;
                }
                match Op::from_name(name) {
                    None => self.error(
                        "unknown-operator",
                        entry.key_pos,
                        &p,
                        format!(
                            "`{name}` is not a flagd targeting operator; flagd answers PARSE_ERROR"
                        ),
                    ),
                    Some(Op::Fractional) => self.check_fractional(&entry.value, &p),
                    Some(_) => {}
                }
                self.check_rule(&entry.value, &p);
            }
            _ => {}
        }
    }

    fn check_fractional(&mut self, args: &Node, path: &KeyPath) {
        let Value::Seq(items) = &args.value else {
            return;
        };
        let mut all_literal = true;
        let mut total = 0f64;
        let mut buckets = 0;
        for (i, item) in items.iter().enumerate() {
            let Value::Seq(bucket) = &item.value else {
                continue; // the bucketing key
            };
            buckets += 1;
            let Some(weight) = bucket.get(1) else {
                total += 1.0;
                continue;
            };
            let mut p = path.clone();
            p.push(Segment::Index(i));
            p.push(Segment::Index(1));
            match weight.value {
                Value::Int(w) if w >= 0 => total += w as f64,
                Value::Int(_) | Value::Float(_) => {
                    all_literal = false;
                    self.error(
                        "fractional-weights",
                        weight.pos,
                        &p,
                        "a fractional weight must be an integer of 0 or more".into(),
                    );
                }
                _ => all_literal = false,
            }
        }
        if all_literal && buckets > 0 && total == 0.0 {
            self.error(
                "fractional-weights",
                args.pos,
                path,
                "all fractional weights are 0, so it always falls back to the default variant"
                    .into(),
            );
        }
    }

    /// Checks every literal a rule can return against the variants.
    fn check_results(
        &mut self,
        key: &str,
        node: &Node,
        path: &KeyPath,
        variants: &crate::document::Map,
    ) {
        let literal = match &node.value {
            Value::String(s) => Some(s.clone()),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => Some(to_js_string(&node.to_json())),
            _ => None,
        };
        if let Some(name) = literal {
            if !variants.contains_key(&name) {
                self.error(
                    "unknown-variant",
                    node.pos,
                    path,
                    format!("flag `{key}`: targeting can return `{name}`, which is not a variant"),
                );
            }
            return;
        }
        let Value::Map(map) = &node.value else { return };
        if map.len() != 1 {
            return;
        }
        let (name, entry) = map.iter().next().expect("one entry");
        let Value::Seq(args) = &entry.value.value else {
            return;
        };
        let at = |this: &mut Self, i: usize, sub: Option<usize>, n: &Node| {
            let mut p = path.clone();
            p.push(Segment::Key(name.clone()));
            p.push(Segment::Index(i));
            if let Some(j) = sub {
                p.push(Segment::Index(j));
            }
            this.check_results(key, n, &p, variants);
        };
        match Op::from_name(name) {
            Some(Op::If) => {
                for (i, arg) in args.iter().enumerate() {
                    // Branch values sit at odd indexes; a trailing even index is the else.
                    if i % 2 == 1 || i == args.len() - 1 && args.len() % 2 == 1 && i > 0 {
                        at(self, i, None, arg);
                    }
                }
            }
            Some(Op::Fractional) => {
                for (i, arg) in args.iter().enumerate() {
                    if let Value::Seq(bucket) = &arg.value
                        && let Some(variant) = bucket.first()
                    {
                        at(self, i, Some(0), variant);
                    }
                }
            }
            _ => {}
        }
    }
}

fn kind_of(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Today's date in UTC, from the one clock (`CFGCTL_NOW` pins it).
pub fn today() -> anyhow::Result<(i32, u32, u32)> {
    let (y, m, d) = crate::clock::today()?;
    Ok((y as i32, m as u32, d as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (i32, u32, u32) = (2026, 6, 1);

    fn rules(text: &str) -> Vec<(String, String)> {
        check("flags/prod.flags.json", text.as_bytes(), TODAY)
            .into_iter()
            .map(|f| (f.rule, format!("{}:{}", f.pos, f.path.unwrap_or_default())))
            .collect()
    }

    #[test]
    fn a_good_file_has_no_findings() {
        let text = r#"{
  "$evaluators": {"internal": {"ends_with": [{"var": "email"}, "@example.com"]}},
  "flags": {
    "new-checkout": {
      "state": "ENABLED",
      "variants": {"on": true, "off": false},
      "defaultVariant": "off",
      "targeting": {"if": [{"$ref": "internal"}, "on",
        {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user_id"}]}, ["on", 10], ["off", 90]]}]},
      "metadata": {"stage": "canary", "owner": "checkout", "expires": "2027-01-01"}
    }
  }
}"#;
        assert_eq!(rules(text), Vec::<(String, String)>::new());
    }

    #[test]
    fn semantic_problems_are_found_where_they_are() {
        let text = r#"{
  "flags": {
    "f": {
      "state": "ENABLED",
      "variants": {"on": true, "off": "no"},
      "defaultVariant": "on",
      "targeting": {"if": [{"$ref": "nope"}, "maybe", {"fractional": [["on", 0], ["off", 0]]}]},
      "metadata": {"stage": "full", "expires": "2026-01-01"}
    }
  }
}"#;
        let found = rules(text);
        let has = |rule: &str, at: &str| found.iter().any(|(r, a)| r == rule && a.starts_with(at));
        assert!(has("flags/variant-types", "5:39"), "{found:?}");
        assert!(has("flags/unknown-evaluator", "7:37"), "{found:?}");
        assert!(has("flags/unknown-variant", "7:46"), "{found:?}");
        assert!(has("flags/fractional-weights", "7:70"), "{found:?}");
        assert!(has("flags/stage", "8:29"), "{found:?}");
        assert!(has("flags/stale", "8:48"), "{found:?}");
        // The schema sees the mixed variant types too.
        assert!(
            found.iter().any(|(r, _)| r.starts_with("schema/")),
            "{found:?}"
        );
    }

    #[test]
    fn stage_must_agree_with_state() {
        let text = r#"{"flags": {
  "a": {"state": "DISABLED", "variants": {"on": true}, "defaultVariant": "on", "metadata": {"stage": "beta"}},
  "b": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "metadata": {"stage": "disabled"}},
  "c": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "metadata": {"stage": "canary"}},
  "d": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "metadata": {"stage": "later"}}
}}"#;
        let stages = rules(text)
            .into_iter()
            .filter(|(r, _)| r == "flags/stage")
            .count();
        assert_eq!(stages, 4);
    }

    #[test]
    fn what_flagd_refuses_is_an_error() {
        let text =
            r#"{"flags": {"f": {"state": "ON", "variants": {"a": 1}, "defaultVariant": "b"}}}"#;
        let found = rules(text);
        assert_eq!(
            found.iter().filter(|(r, _)| r == "flags/load").count(),
            2,
            "{found:?}"
        );
    }

    #[test]
    fn unknown_operators_and_bad_weights() {
        let text = r#"{"flags": {"f": {"state": "ENABLED", "variants": {"a": "a", "b": "b"}, "defaultVariant": "a",
  "targeting": {"if": [{"regex": ["x", "y"]}, {"fractional": [["a", 1.5], ["b", -1]]}, null]}}}}"#;
        let found = rules(text);
        assert!(
            found.iter().any(|(r, _)| r == "flags/unknown-operator"),
            "{found:?}"
        );
        assert_eq!(
            found
                .iter()
                .filter(|(r, _)| r == "flags/fractional-weights")
                .count(),
            2,
            "{found:?}"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-02-30"), Some((2026, 2, 30)));
        assert_eq!(parse_date("2026-2-3"), None);
        assert_eq!(parse_date("soon"), None);
    }
}
