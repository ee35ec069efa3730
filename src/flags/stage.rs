//! Rollout stages: disabled → canary → beta → staged → full, written into the flag itself.
//!
//! A stage is `state` plus `metadata.stage`; the rollout percentage is the weight pair of the
//! flag's one `fractional` (`[on, p]`, `[off, 100 - p]`, or out of 10000 for 0.01% steps), and
//! `full` means `defaultVariant: on` with no targeting. [`plan`] computes the new text of the
//! flag file by splicing only the values that change (JSON) or through the lossless YAML
//! editor, and checks the result by parsing it again.
//!
//! Widening never removes anyone: a key is `on` exactly when its hash falls below
//! `p / 100 * 2^32` (or above `(1 - p / 100) * 2^32` when `on` is the second bucket), whatever
//! the total weight, so raising `p` only adds keys.

use crate::document::{self, Format, Limits, Node};
use crate::edit;
use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// A rollout stage, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Off for everyone (`state: DISABLED`)
    Disabled,
    /// A small slice of users (default 5%)
    Canary,
    /// A larger slice (default 25%)
    Beta,
    /// Half the users (default 50%)
    Staged,
    /// Everyone (`defaultVariant: on`, no targeting)
    Full,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Disabled,
        Stage::Canary,
        Stage::Beta,
        Stage::Staged,
        Stage::Full,
    ];

    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Disabled => "disabled",
            Stage::Canary => "canary",
            Stage::Beta => "beta",
            Stage::Staged => "staged",
            Stage::Full => "full",
        }
    }

    /// The rollout percentage a stage gets when none is given.
    pub fn default_percent(self) -> Option<f64> {
        match self {
            Stage::Disabled | Stage::Full => None,
            Stage::Canary => Some(5.0),
            Stage::Beta => Some(25.0),
            Stage::Staged => Some(50.0),
        }
    }
}

/// One value that changes, by JSON pointer within the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub pointer: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// What `stage` would do to one flag.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub flag: String,
    pub from: Option<String>,
    pub to: Stage,
    pub from_percent: Option<f64>,
    pub to_percent: Option<f64>,
    pub changes: Vec<Change>,
    /// Things a reviewer should know (a narrowed rollout removes users).
    pub warnings: Vec<String>,
    /// The whole flag file afterwards.
    #[serde(skip)]
    pub text: String,
}

/// A step through the document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone)]
struct Op {
    path: Vec<Seg>,
    value: Option<Value>,
}

/// Plans moving `key` in the flag file `text` (at `path`, which decides JSON or YAML) to
/// `to`, with an optional rollout percentage.
pub fn plan(path: &str, text: &str, key: &str, to: Stage, percent: Option<f64>) -> Result<Plan> {
    let root = super::parse(path, text.as_bytes())?;
    let json = root.to_json();
    let flags = json
        .get("flags")
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("{path}: `flags` is not an object of flags"))?;
    let flag = flags
        .get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("{path}: there is no flag `{key}`"))?;
    let base = vec![Seg::Key("flags".into()), Seg::Key(key.to_string())];
    let at = |segs: &[Seg]| {
        let mut p = base.clone();
        p.extend_from_slice(segs);
        p
    };
    let (on, off) = on_off(flag).with_context(|| format!("{path}: flag `{key}`"))?;
    let rollout = find_rollout(flag.get("targeting"), &on, &off);
    let from = flag
        .get("metadata")
        .and_then(|m| m.get("stage"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let enabled = flag.get("state").and_then(Value::as_str) == Some("ENABLED");
    let from_percent = match (&rollout, enabled) {
        (_, false) => Some(0.0),
        (Some(r), true) => Some(r.percent()),
        (None, true) if flag.get("defaultVariant").and_then(Value::as_str) == Some(&on) => {
            Some(100.0)
        }
        (None, true) => None,
    };

    let mut ops = Vec::new();
    let mut set = |segs: &[Seg], value: Value| {
        ops.push(Op {
            path: at(segs),
            value: Some(value),
        })
    };
    let key_seg = |k: &str| Seg::Key(k.to_string());
    let to_percent = match to {
        Stage::Disabled => {
            set(&[key_seg("state")], json!("DISABLED"));
            Some(0.0)
        }
        Stage::Full => {
            set(&[key_seg("state")], json!("ENABLED"));
            set(&[key_seg("defaultVariant")], json!(on));
            Some(100.0)
        }
        _ => {
            let p = percent
                .or(to.default_percent())
                .expect("rollout stages have a default");
            if !(0.0..=100.0).contains(&p) {
                bail!("--percent must be between 0 and 100");
            }
            set(&[key_seg("state")], json!("ENABLED"));
            match &rollout {
                Some(r) => {
                    let (w_on, w_off) = weights_for(p, r.total)?;
                    let mut bucket = r.path.clone();
                    bucket.push(Seg::Index(r.on_index));
                    bucket.push(Seg::Index(1));
                    set(&bucket, json!(w_on));
                    let mut bucket = r.path.clone();
                    bucket.push(Seg::Index(r.off_index));
                    bucket.push(Seg::Index(1));
                    set(&bucket, json!(w_off));
                }
                None => {
                    let has_targeting = flag.get("targeting").is_some_and(|t| {
                        !(t.is_null() || t.as_object().is_some_and(Map::is_empty))
                    });
                    if has_targeting {
                        bail!(
                            "{path}: flag `{key}` has targeting without one `fractional` split between `{on}` and `{off}`; add one by hand, e.g. {{\"fractional\": [[\"{on}\", 5], [\"{off}\", 95]]}}"
                        );
                    }
                    let (w_on, w_off) = weights_for(p, 100)?;
                    // The shorthand buckets on flagKey + targetingKey, like the documented
                    // {"cat": [{"var": "$flagd.flagKey"}, {"var": "targetingKey"}]}.
                    set(
                        &[key_seg("targeting")],
                        json!({"fractional": [[on, w_on], [off, w_off]]}),
                    );
                }
            }
            set(&[key_seg("defaultVariant")], json!(off));
            Some(p)
        }
    };
    if to == Stage::Full {
        ops.push(Op {
            path: at(&[key_seg("targeting")]),
            value: None,
        });
    }
    let mut metadata_stage = at(&[key_seg("metadata")]);
    if flag.get("metadata").is_some_and(Value::is_object) {
        metadata_stage.push(key_seg("stage"));
        ops.push(Op {
            path: metadata_stage,
            value: Some(json!(to.as_str())),
        });
    } else {
        ops.push(Op {
            path: metadata_stage,
            value: Some(json!({"stage": to.as_str()})),
        });
    }

    // Drop no-op changes (and removals of what is not there).
    let ops: Vec<Op> = ops
        .into_iter()
        .filter(|op| get(&json, &op.path) != op.value.as_ref())
        .collect();
    let mut expected = json.clone();
    let mut changes = Vec::new();
    for op in &ops {
        changes.push(Change {
            pointer: pointer(&op.path),
            before: get(&json, &op.path).cloned(),
            after: op.value.clone(),
        });
        apply(&mut expected, op);
    }
    let new_text = if ops.is_empty() {
        text.to_string()
    } else {
        match Format::from_path(path) {
            Some(Format::Yaml) => edit_yaml(text, &ops, &expected)?,
            _ => edit_json(text, &ops)?,
        }
    };
    let reparsed = super::parse(path, new_text.as_bytes())?.to_json();
    if reparsed != expected {
        bail!("{path}: an in-place edit would not give the intended flag; nothing was written");
    }
    let mut warnings = Vec::new();
    if let (Some(before), Some(after)) = (from_percent, to_percent)
        && after < before
    {
        warnings.push(format!(
            "this narrows `{key}` from {}% to {}%: some users who have `{on}` lose it",
            fmt_percent(before),
            fmt_percent(after)
        ));
    }
    Ok(Plan {
        flag: key.to_string(),
        from,
        to,
        from_percent,
        to_percent,
        changes,
        warnings,
        text: new_text,
    })
}

/// The rollout percentage of `key` in the flag file `text` now: 0 when disabled, 100 when on
/// for everyone, the `on` weight of its one split otherwise (`None` when it has no single
/// split between `on` and `off`).
pub fn current_percent(path: &str, text: &str, key: &str) -> Result<Option<f64>> {
    let root = super::parse(path, text.as_bytes())?;
    let json = root.to_json();
    let flag = json
        .get("flags")
        .and_then(|f| f.get(key))
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("{path}: there is no flag `{key}`"))?;
    let (on, off) = on_off(flag).with_context(|| format!("{path}: flag `{key}`"))?;
    if flag.get("state").and_then(Value::as_str) != Some("ENABLED") {
        return Ok(Some(0.0));
    }
    Ok(match find_rollout(flag.get("targeting"), &on, &off) {
        Some(r) => Some(r.percent()),
        None if flag.get("defaultVariant").and_then(Value::as_str) == Some(&on) => Some(100.0),
        None => None,
    })
}

/// Formats a percentage without a needless `.0`.
pub fn fmt_percent(p: f64) -> String {
    let text = format!("{p:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The `on` and `off` variants: by name, or by the values `true`/`false`.
fn on_off(flag: &Map<String, Value>) -> Result<(String, String)> {
    let variants = flag
        .get("variants")
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("has no variants"))?;
    let find = |name: &str, value: bool| {
        if variants.contains_key(name) {
            return Some(name.to_string());
        }
        variants
            .iter()
            .find(|(_, v)| v.as_bool() == Some(value))
            .map(|(k, _)| k.clone())
    };
    match (find("on", true), find("off", false)) {
        (Some(on), Some(off)) if on != off => Ok((on, off)),
        _ => bail!(
            "needs an `on` and an `off` variant (named so, or with the values true and false) to be staged"
        ),
    }
}

/// The flag's rollout: its one `fractional` with exactly two literal buckets, `on` and `off`.
struct Rollout {
    path: Vec<Seg>,
    on_index: usize,
    off_index: usize,
    on_weight: u64,
    total: u64,
}

impl Rollout {
    fn percent(&self) -> f64 {
        self.on_weight as f64 * 100.0 / self.total as f64
    }
}

fn find_rollout(targeting: Option<&Value>, on: &str, off: &str) -> Option<Rollout> {
    let mut found = Vec::new();
    if let Some(t) = targeting {
        collect_fractionals(t, &mut vec![Seg::Key("targeting".into())], &mut found);
    }
    let [(path, args)] = found.as_slice() else {
        return None;
    };
    let mut buckets = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if let Value::Array(bucket) = arg {
            let name = bucket.first()?.as_str()?;
            let weight = bucket.get(1)?.as_u64()?;
            buckets.push((i, name, weight));
        }
    }
    let [(i0, n0, w0), (i1, n1, w1)] = buckets.as_slice() else {
        return None;
    };
    let ((on_index, on_weight), off_index) = if *n0 == on && *n1 == off {
        ((*i0, *w0), *i1)
    } else if *n0 == off && *n1 == on {
        ((*i1, *w1), *i0)
    } else {
        return None;
    };
    let total = w0 + w1;
    let mut path = path.clone();
    path.push(Seg::Key("fractional".into()));
    (total > 0).then_some(Rollout {
        path,
        on_index,
        off_index,
        on_weight,
        total,
    })
}

fn collect_fractionals<'v>(
    value: &'v Value,
    path: &mut Vec<Seg>,
    found: &mut Vec<(Vec<Seg>, &'v Vec<Value>)>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "fractional"
                    && map.len() == 1
                    && let Value::Array(args) = v
                {
                    found.push((path.clone(), args));
                }
                path.push(Seg::Key(k.clone()));
                collect_fractionals(v, path, found);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                collect_fractionals(v, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Integer weights for `p` percent: out of the current total when that is exact, else out of
/// 100 or 10000 (0.01% steps).
fn weights_for(p: f64, total: u64) -> Result<(u64, u64)> {
    for total in [total, 100, 10_000] {
        let on = p * total as f64 / 100.0;
        if (on - on.round()).abs() < 1e-9 {
            let on = on.round() as u64;
            return Ok((on, total - on));
        }
    }
    bail!("--percent {p} is finer than 0.01%")
}

fn get<'v>(value: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, seg| match seg {
        Seg::Key(k) => v.get(k),
        Seg::Index(i) => v.get(i),
    })
}

fn apply(value: &mut Value, op: &Op) {
    let Some((last, parents)) = op.path.split_last() else {
        return;
    };
    let Some(parent) = parents.iter().try_fold(value, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k),
        Seg::Index(i) => v.get_mut(i),
    }) else {
        return;
    };
    match (last, &op.value, parent) {
        (Seg::Key(k), Some(new), Value::Object(map)) => {
            map.insert(k.clone(), new.clone());
        }
        (Seg::Key(k), None, Value::Object(map)) => {
            map.shift_remove(k);
        }
        (Seg::Index(i), Some(new), Value::Array(items)) if *i < items.len() => {
            items[*i] = new.clone();
        }
        _ => {}
    }
}

fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// YAML goes through the lossless editor, by mapping keys: a change inside a sequence
/// replaces the mapping value that holds the sequence.
fn edit_yaml(text: &str, ops: &[Op], expected: &Value) -> Result<String> {
    let mut edits: Vec<edit::Edit> = Vec::new();
    for op in ops {
        let keys: Vec<String> = op
            .path
            .iter()
            .map_while(|s| match s {
                Seg::Key(k) => Some(k.clone()),
                Seg::Index(_) => None,
            })
            .collect();
        let whole = keys.len() < op.path.len();
        let value = if whole {
            let segs: Vec<Seg> = keys.iter().cloned().map(Seg::Key).collect();
            get(expected, &segs).map(node_from_json)
        } else {
            op.value.as_ref().map(node_from_json)
        };
        if !edits.iter().any(|e| e.path == keys) {
            edits.push(edit::Edit { path: keys, value });
        }
    }
    edit::apply(text, Format::Yaml, &edits, &node_from_json(expected))
}

fn node_from_json(value: &Value) -> Node {
    use document::Value as V;
    let v = match value {
        Value::Null => V::Null,
        Value::Bool(b) => V::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => V::Int(i),
            None => V::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => V::String(s.clone()),
        Value::Array(items) => V::Seq(items.iter().map(node_from_json).collect()),
        Value::Object(map) => V::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        document::Entry {
                            key_pos: document::Pos::default(),
                            value: node_from_json(v),
                        },
                    )
                })
                .collect(),
        ),
    };
    Node::new(v, document::Pos::default())
}

/// JSON is edited by splicing text: a value replaced where it stands, a member inserted
/// before its object's closing brace, a member removed with its comma. Everything else keeps
/// its bytes.
fn edit_json(text: &str, ops: &[Op]) -> Result<String> {
    let mut text = text.to_string();
    for op in ops {
        let root = document::parse(text.as_bytes(), Format::Json, &Limits::default())
            .map_err(|e| anyhow!("{}", e.message))?
            .roots
            .pop()
            .ok_or_else(|| anyhow!("empty JSON"))?;
        let (last, parents) = op.path.split_last().expect("paths are never empty");
        let parent = node_at(&root, parents).ok_or_else(|| anyhow!("no parent for an edit"))?;
        let existing = node_at(parent, std::slice::from_ref(last));
        match (&op.value, existing) {
            (Some(new), Some(old)) => {
                let start = offset(&text, old.pos)?;
                let end = start + value_len(&text[start..])?;
                let indent = line_indent(&text, start);
                text.replace_range(start..end, &to_text(new, &indent));
            }
            (Some(new), None) => {
                let Seg::Key(key) = last else {
                    bail!("cannot insert into a sequence in place");
                };
                let start = offset(&text, parent.pos)?;
                let end = start + value_len(&text[start..])?;
                let close = end - 1;
                let body = &text[start + 1..close];
                let member_indent = match parent.as_map().and_then(|m| m.values().next()) {
                    Some(entry) if body.contains('\n') => {
                        line_indent(&text, offset(&text, entry.key_pos)?)
                    }
                    _ => String::new(),
                };
                let key_text = serde_json::to_string(key)?;
                let value_text = to_text(new, &member_indent);
                let member = format!("{key_text}: {value_text}");
                if body.trim().is_empty() {
                    text.replace_range(start + 1..close, &member);
                } else {
                    let after_last = start + 1 + body.trim_end().len();
                    let insert = if member_indent.is_empty() && !body.contains('\n') {
                        format!(", {member}")
                    } else {
                        format!(",\n{member_indent}{member}")
                    };
                    text.insert_str(after_last, &insert);
                }
            }
            (None, Some(old)) => {
                let Seg::Key(key) = last else {
                    bail!("cannot remove from a sequence in place");
                };
                let entry = parent
                    .as_map()
                    .and_then(|m| m.get(key))
                    .ok_or_else(|| anyhow!("no member `{key}`"))?;
                let key_start = offset(&text, entry.key_pos)?;
                let value_start = offset(&text, old.pos)?;
                let value_end = value_start + value_len(&text[value_start..])?;
                let rest = &text[value_end..];
                let after = rest.trim_start();
                if let Some(after_comma) = after.strip_prefix(',') {
                    // Not the last member: take the comma and the space up to the next one.
                    let next = value_end + (rest.len() - after_comma.trim_start().len());
                    text.replace_range(key_start..next, "");
                } else {
                    let before = text[..key_start].trim_end();
                    let from = if before.ends_with(',') {
                        before.len() - 1
                    } else {
                        key_start
                    };
                    text.replace_range(from..value_end, "");
                }
            }
            (None, None) => {}
        }
    }
    Ok(text)
}

fn node_at<'n>(node: &'n Node, path: &[Seg]) -> Option<&'n Node> {
    path.iter().try_fold(node, |n, seg| match (seg, &n.value) {
        (Seg::Key(k), document::Value::Map(map)) => map.get(k).map(|e| &e.value),
        (Seg::Index(i), document::Value::Seq(items)) => items.get(*i),
        _ => None,
    })
}

/// A value as JSON text: scalars and small arrays on one line, objects pretty-printed at the
/// indentation of the line they start on.
fn to_text(value: &Value, indent: &str) -> String {
    let compact = one_line(value);
    if !value.is_object() || compact.len() <= 60 {
        return compact;
    }
    let pretty = serde_json::to_string_pretty(value).expect("JSON values serialize");
    pretty.replace('\n', &format!("\n{indent}"))
}

/// JSON on one line, spaced as people write it: `{"a": [1, 2]}`.
fn one_line(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(one_line).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let members: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), one_line(v)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        scalar => scalar.to_string(),
    }
}

fn offset(text: &str, pos: document::Pos) -> Result<usize> {
    let line_start = if pos.line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(pos.line as usize - 2)
            .ok_or_else(|| anyhow!("position {pos} is past the end"))?
            .0
            + 1
    };
    let column = text[line_start..]
        .char_indices()
        .nth(pos.column as usize - 1)
        .ok_or_else(|| anyhow!("position {pos} is past the end of its line"))?
        .0;
    Ok(line_start + column)
}

fn line_indent(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// The length of the JSON value at the start of `text`.
fn value_len(text: &str) -> Result<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    in_string = false;
                    if depth == 0 {
                        return Ok(i + 1);
                    }
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            ',' | '}' | ']' if depth == 0 => return Ok(i),
            c if c.is_whitespace() && depth == 0 => return Ok(i),
            _ => {}
        }
    }
    if depth == 0 && !in_string && !text.is_empty() {
        Ok(text.len())
    } else {
        Err(anyhow!("unterminated JSON value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::FlagSet;

    const FILE: &str = r#"{
  "$schema": "https://flagd.dev/schema/v0/flags.json",
  "flags": {
    "new-checkout": {
      "state": "DISABLED",
      "variants": {
        "on": true,
        "off": false
      },
      "defaultVariant": "off",
      "metadata": {
        "owner": "checkout"
      }
    },
    "other": { "state": "ENABLED", "variants": { "a": 1 }, "defaultVariant": "a" }
  }
}
"#;

    fn step(text: &str, to: Stage, percent: Option<f64>) -> Plan {
        plan("flags/prod.flags.json", text, "new-checkout", to, percent).unwrap()
    }

    #[test]
    fn canary_adds_a_split_and_keeps_everything_else() {
        let p = step(FILE, Stage::Canary, Some(10.0));
        assert_eq!(p.to_percent, Some(10.0));
        assert!(p.text.contains(r#""state": "ENABLED""#), "{}", p.text);
        assert!(
            p.text
                .contains(r#""targeting": {"fractional": [["on", 10], ["off", 90]]}"#),
            "{}",
            p.text
        );
        assert!(
            p.text
                .contains("\"owner\": \"checkout\",\n        \"stage\": \"canary\""),
            "{}",
            p.text
        );
        // The other flag keeps its one-line layout byte for byte.
        assert!(p.text.contains(
            r#""other": { "state": "ENABLED", "variants": { "a": 1 }, "defaultVariant": "a" }"#
        ));
    }

    #[test]
    fn widening_changes_only_the_weights() {
        let canary = step(FILE, Stage::Canary, Some(10.0));
        let beta = step(&canary.text, Stage::Beta, Some(20.0));
        let changed: Vec<&str> = beta.changes.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(
            changed,
            [
                "/flags/new-checkout/targeting/fractional/0/1",
                "/flags/new-checkout/targeting/fractional/1/1",
                "/flags/new-checkout/metadata/stage"
            ]
        );
        assert!(beta.warnings.is_empty());
        let back = step(&beta.text, Stage::Canary, Some(5.0));
        assert_eq!(back.warnings.len(), 1);
    }

    #[test]
    fn full_removes_targeting_and_disabled_keeps_it() {
        let canary = step(FILE, Stage::Canary, None);
        let full = step(&canary.text, Stage::Full, None);
        assert!(!full.text.contains("targeting"), "{}", full.text);
        assert!(full.text.contains(r#""defaultVariant": "on""#));
        let set = FlagSet::load("f.json", full.text.as_bytes()).unwrap();
        let r = set.evaluate("new-checkout", &json!({"targetingKey": "u"}), 0, None);
        assert_eq!(r.value, Some(json!(true)));
        let disabled = step(&canary.text, Stage::Disabled, None);
        assert!(disabled.text.contains("fractional"));
        assert!(disabled.text.contains(r#""state": "DISABLED""#));
        let again = step(&full.text, Stage::Canary, Some(1.0));
        assert!(
            again.text.contains(r#"["on", 1], ["off", 99]"#),
            "{}",
            again.text
        );
        assert_eq!(again.warnings.len(), 1, "full to 1% narrows");
    }

    #[test]
    fn fine_percentages_use_ten_thousand() {
        let p = step(FILE, Stage::Canary, Some(0.5));
        assert!(
            p.text.contains(r#"["on", 50], ["off", 9950]"#),
            "{}",
            p.text
        );
        let err = plan(
            "flags/prod.flags.json",
            FILE,
            "new-checkout",
            Stage::Canary,
            Some(0.001),
        );
        assert!(err.is_err());
    }

    #[test]
    fn yaml_files_keep_their_comments() {
        let yaml = "# flags for prod\nflags:\n  new-checkout:\n    state: DISABLED  # not yet\n    variants:\n      on: true\n      off: false\n    defaultVariant: off\n    metadata:\n      owner: checkout  # team\n";
        let p = plan(
            "flags/prod.flags.yaml",
            yaml,
            "new-checkout",
            Stage::Beta,
            None,
        )
        .unwrap();
        assert!(p.text.starts_with("# flags for prod\n"), "{}", p.text);
        assert!(p.text.contains("# team"), "{}", p.text);
        let set = FlagSet::load("f.yaml", p.text.as_bytes()).unwrap();
        assert_eq!(set.flags["new-checkout"].stage(), Some("beta"));
    }

    #[test]
    fn json_members_are_inserted_and_removed_cleanly() {
        // Targeting as the last member, an empty metadata object, one-line layout.
        let text = r#"{"flags": {"f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off", "metadata": {}, "targeting": {"fractional": [["on", 5], ["off", 95]]}}}}"#;
        let full = plan("flags/x.flags.json", text, "f", Stage::Full, None).unwrap();
        assert_eq!(
            full.text,
            r#"{"flags": {"f": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on", "metadata": {"stage": "full"}}}}"#
        );
        // Targeting first among several members, multi-line.
        let text = "{\n  \"flags\": {\n    \"f\": {\n      \"targeting\": {\"fractional\": [[\"on\", 5], [\"off\", 95]]},\n      \"state\": \"ENABLED\",\n      \"variants\": {\"on\": true, \"off\": false},\n      \"defaultVariant\": \"off\"\n    }\n  }\n}\n";
        let full = plan("flags/x.flags.json", text, "f", Stage::Full, None).unwrap();
        assert_eq!(
            full.text,
            "{\n  \"flags\": {\n    \"f\": {\n      \"state\": \"ENABLED\",\n      \"variants\": {\"on\": true, \"off\": false},\n      \"defaultVariant\": \"on\",\n      \"metadata\": {\"stage\": \"full\"}\n    }\n  }\n}\n"
        );
        // Nothing to do: the same text, no changes.
        let again = plan("flags/x.flags.json", &full.text, "f", Stage::Full, None).unwrap();
        assert!(again.changes.is_empty());
        assert_eq!(again.text, full.text);
    }

    #[test]
    fn flags_without_on_and_off_cannot_be_staged() {
        let err = plan("flags/prod.flags.json", FILE, "other", Stage::Beta, None).unwrap_err();
        assert!(
            format!("{err:#}").contains("`on` and an `off` variant"),
            "{err:#}"
        );
    }

    /// Widening a rollout never takes the feature from anyone who had it: 20,000 keys from a
    /// fixed-seed generator, through every widening step, with `on` first or last, with the
    /// shorthand key and an explicit `cat(flagKey, user_id)` key.
    #[test]
    fn widening_never_removes_a_user() {
        let explicit = FILE.replace(
            r#""defaultVariant": "off","#,
            r#""defaultVariant": "off",
      "targeting": {"if": [{"==": [{"var": "role"}, "admin"]}, "on",
        {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user_id"}]}, ["off", 100], ["on", 0]]}]},"#,
        );
        let percents = [
            0.0, 0.01, 1.0, 5.0, 10.0, 12.5, 20.0, 33.33, 50.0, 99.99, 100.0,
        ];
        let mut seed: u64 = 0x5eed_cf9c_7100_0001;
        let keys: Vec<String> = (0..20_000)
            .map(|_| {
                // xorshift64*: a fixed sequence of pseudo-random ids.
                seed ^= seed >> 12;
                seed ^= seed << 25;
                seed ^= seed >> 27;
                format!("user-{:x}", seed.wrapping_mul(0x2545_f491_4f6c_dd1d))
            })
            .collect();
        for base in [FILE.to_string(), explicit] {
            let mut text = base;
            let mut had: Vec<bool> = vec![false; keys.len()];
            for (i, p) in percents.iter().enumerate() {
                let stage = if i % 2 == 0 {
                    Stage::Beta
                } else {
                    Stage::Canary
                };
                text = step(&text, stage, Some(*p)).text;
                let set = FlagSet::load("f.json", text.as_bytes()).unwrap();
                let mut on = 0usize;
                for (k, key) in keys.iter().enumerate() {
                    let ctx = json!({"targetingKey": key, "user_id": key});
                    let now =
                        set.evaluate("new-checkout", &ctx, 0, None).value == Some(json!(true));
                    assert!(
                        !had[k] || now,
                        "`{key}` lost the feature when widening to {p}%"
                    );
                    had[k] = now;
                    on += usize::from(now);
                }
                let share = on as f64 / keys.len() as f64 * 100.0;
                assert!((share - p).abs() < 1.0, "{share}% on at {p}%");
            }
        }
    }
}
