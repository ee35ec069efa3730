//! Writing a [`Node`] tree back out as YAML, JSON or TOML (for `render`).
//!
//! The YAML writer quotes every string that a YAML 1.1 or 1.2 reader could take for something
//! else (`on`, `yes`, `017`, `1_000`, `null`, `1e3`, `-`), so a rendered file means the same to
//! every consumer. Comments and styles of the sources are not kept: rendered output is data.

use super::{Node, Value};
use std::fmt::Write;

/// Returns the tree as a YAML 1.2 document (block style, two-space indent, trailing newline).
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match &node.value {
        Value::Map(map) if !map.is_empty() => write_map(&mut out, node, 0),
        Value::Seq(items) if !items.is_empty() => write_seq(&mut out, node, 0),
        _ => {
            out.push_str(&scalar(node));
            out.push('\n');
        }
    }
    out
}

/// Returns the tree as pretty-printed JSON with a trailing newline.
pub fn to_json_text(node: &Node) -> String {
    let mut text = serde_json::to_string_pretty(&node.to_json()).unwrap_or_default();
    text.push('\n');
    text
}

/// Returns the tree as TOML, or an error when it cannot be TOML (a non-table root, a null).
pub fn to_toml(node: &Node) -> Result<String, String> {
    let json = node.to_json();
    if !json.is_object() {
        return Err("a TOML document must be a table at the top".into());
    }
    if let Some(path) = find_null(&json, String::new()) {
        return Err(format!("TOML has no null: `{path}` is null"));
    }
    toml::to_string_pretty(&json).map_err(|e| e.to_string())
}

fn find_null(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::Null => Some(path),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_null(v, format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let sub = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            find_null(v, sub)
        }),
        _ => None,
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_map(out: &mut String, node: &Node, level: usize) {
    let Value::Map(map) = &node.value else { return };
    for (key, entry) in map {
        indent(out, level);
        out.push_str(&quote_if_needed(key));
        out.push(':');
        write_child(out, &entry.value, level);
    }
}

fn write_seq(out: &mut String, node: &Node, level: usize) {
    let Value::Seq(items) = &node.value else {
        return;
    };
    for item in items {
        indent(out, level);
        out.push('-');
        match &item.value {
            // A mapping item starts on the dash line: `- name: x` then its other keys.
            Value::Map(map) if !map.is_empty() => {
                out.push(' ');
                let mut first = true;
                for (key, entry) in map {
                    if !first {
                        indent(out, level + 1);
                    }
                    first = false;
                    out.push_str(&quote_if_needed(key));
                    out.push(':');
                    write_child(out, &entry.value, level + 1);
                }
            }
            _ => write_child(out, item, level),
        }
    }
}

/// Writes what follows `key:` or `-`: a nested block on the next lines, or ` scalar`.
fn write_child(out: &mut String, child: &Node, level: usize) {
    match &child.value {
        Value::Map(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, child, level + 1);
        }
        Value::Seq(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, child, level + 1);
        }
        Value::String(s) if s.contains('\n') && block_scalar_ok(s) => {
            out.push_str(if s.ends_with('\n') { " |" } else { " |-" });
            out.push('\n');
            for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                if !line.is_empty() {
                    indent(out, level + 1);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(child));
            out.push('\n');
        }
    }
}

/// A literal block keeps text exactly unless it has leading spaces on its first line,
/// trailing blank lines or characters YAML cannot carry raw.
fn block_scalar_ok(s: &str) -> bool {
    !s.starts_with([' ', '\t'])
        && !s.ends_with("\n\n")
        && !s.chars().any(|c| c.is_control() && c != '\n')
}

fn scalar(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_nan() => ".nan".into(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.into(),
        Value::Float(f) => {
            let text = f.to_string();
            // Keep floats floats when read back: `1` would be an integer.
            if text.contains(['.', 'e', 'E']) {
                text
            } else {
                format!("{text}.0")
            }
        }
        Value::String(s) => quote_if_needed(s),
        Value::Map(_) => "{}".into(),
        Value::Seq(_) => "[]".into(),
    }
}

/// Returns the string as a plain scalar when every YAML reader takes it back as the same
/// string, and double-quoted otherwise.
pub fn quote_if_needed(s: &str) -> String {
    if is_safe_plain(s) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

fn is_safe_plain(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return false;
    }
    // Anything a YAML 1.1 or 1.2 reader resolves to a non-string.
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null"
            | "~"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "y"
            | "n"
            | "on"
            | "off"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
    ) {
        return false;
    }
    let numeric_like = s
        .trim_start_matches(['-', '+'])
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if numeric_like {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    !(s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control() || c == '\u{feff}'))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{self, Format, Limits};

    fn parse(text: &str, format: Format) -> Node {
        document::parse(text.as_bytes(), format, &Limits::default())
            .unwrap()
            .roots
            .remove(0)
    }

    /// Values survive a round trip through the YAML writer and the YAML reader.
    #[test]
    fn yaml_round_trips_values() {
        let source = r##"{
            "a": "on", "b": "017", "c": "1_000", "d": "null", "e": "", "f": " padded ",
            "g": "key: value", "h": "- dash", "i": "line1\nline2\n", "j": "no newline\nend",
            "k": 1.0, "l": -3, "m": true, "n": null, "o": [], "p": {}, "q": "1e3",
            "r": [{"name": "x", "port": 80}, [1, 2], "s"], "s": {"t": {"u": "#x"}},
            "v": "tab\there", "w": "quote\"d", "x": "ünïcode", "y": "  lead\nx", "z": ".5"
        }"##;
        let node = parse(source, Format::Json);
        let yaml = to_yaml(&node);
        let back = parse(&yaml, Format::Yaml);
        assert_eq!(back.to_json(), node.to_json(), "\n{yaml}");
    }

    #[test]
    fn yaml_is_readable() {
        let node = parse(
            "a:\n  b: [1, 2]\n  c: {d: x}\nlist:\n  - name: x\n    port: 80\n",
            Format::Yaml,
        );
        assert_eq!(
            to_yaml(&node),
            "a:\n  b:\n    - 1\n    - 2\n  c:\n    d: x\nlist:\n  - name: x\n    port: 80\n"
        );
    }

    #[test]
    fn toml_refuses_what_it_cannot_hold() {
        let node = parse("[a]\nb = 1\n", Format::Toml);
        assert_eq!(to_toml(&node).unwrap(), "[a]\nb = 1\n");
        let null = parse("a:\n  b: null\n", Format::Yaml);
        assert!(to_toml(&null).unwrap_err().contains("a.b"));
    }
}
