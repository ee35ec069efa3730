//! YAML 1.2 into the [`Node`] tree, built from saphyr-parser's positioned events.
//!
//! Scalars resolve by the YAML 1.2 core schema (`on`, `yes`, `y` stay strings), with two
//! deliberate exceptions that follow the serde_yaml family: numbers with a leading zero
//! (`017`) and with underscores (`1_000`) stay strings, because YAML 1.1 readers disagree on
//! them. Aliases are expanded under a node budget, `<<` merge keys are honoured, and a
//! duplicate key is an error that names both places.

mod simple;

use super::{Entry, Limits, Map, Node, ParseError, Pos, Value};
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;

/// Parses every document of the text. With `redact`, error messages never quote a value
/// (secret files).
pub(super) fn parse(text: &str, limits: &Limits, redact: bool) -> Result<Vec<Node>, ParseError> {
    if let Some(roots) = simple::parse(text, limits) {
        return Ok(roots);
    }
    full(text, limits, redact)
}

/// Parses with saphyr-parser: all of YAML 1.2, and the positioned error for invalid text.
fn full(text: &str, limits: &Limits, redact: bool) -> Result<Vec<Node>, ParseError> {
    let mut builder = Builder::new(limits, redact);
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|err| {
            let mark = err.marker();
            let message = if err.info().contains("recursion limit") {
                too_deep(limits)
            } else {
                err.info().to_string()
            };
            ParseError::at(pos(mark.line(), mark.col()), message)
        })?;
        builder.event(event, span)?;
    }
    Ok(builder.finish())
}

fn too_deep(limits: &Limits) -> String {
    format!(
        "too deeply nested: more than {} levels of mappings and sequences",
        limits.max_depth
    )
}

fn pos(line: usize, col0: usize) -> Pos {
    Pos::new(line as u32, col0 as u32 + 1)
}

fn span_pos(span: &Span) -> Pos {
    pos(span.start.line(), span.start.col())
}

struct Builder<'l> {
    limits: &'l Limits,
    /// Error messages say what was wrong without quoting the value.
    redact: bool,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes added by alias expansion in the current document.
    alias_nodes: usize,
    roots: Vec<Node>,
    /// A duplicate key is found when its value is added, with one lookup, rather than when
    /// the key is read. The fast reader gives any error to the full parser, which finds it
    /// at the key, before any error in the value.
    duplicates_at_value: bool,
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        map: Map,
        key: Option<(String, Pos, bool)>,
        merges: Vec<Node>,
    },
}

impl<'l> Builder<'l> {
    fn new(limits: &'l Limits, redact: bool) -> Self {
        Builder {
            limits,
            redact,
            stack: Vec::new(),
            anchors: HashMap::default(),
            alias_nodes: 0,
            roots: Vec::new(),
            duplicates_at_value: false,
        }
    }

    /// The documents built; an empty file (or one of only comments) is one null document.
    fn finish(mut self) -> Vec<Node> {
        if self.roots.is_empty() {
            self.roots.push(Node::new(Value::Null, Pos::new(1, 1)));
        }
        self.roots
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ParseError> {
        let at = span_pos(&span);
        match event {
            Event::DocumentStart(_) => self.alias_nodes = 0,
            Event::Scalar(text, style, anchor, tag) => {
                let node = scalar(&text, style, tag.as_deref(), at).map_err(|mut e| {
                    if self.redact {
                        e.message = e.message.replace(&format!("`{text}`"), "the value");
                    }
                    e
                })?;
                self.register(anchor, &node);
                self.complete(node)?;
            }
            Event::Alias(id) => {
                let Some((node, count)) = self.anchors.get(&id) else {
                    return Err(ParseError::at(at, "alias refers to an unknown anchor"));
                };
                self.alias_nodes += count;
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(ParseError::at(
                        at,
                        format!(
                            "alias expansion exceeds {} nodes (a YAML alias bomb?)",
                            self.limits.max_alias_nodes
                        ),
                    ));
                }
                let mut node = node.clone();
                node.pos = at;
                self.complete(node)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.enter(at)?;
                self.stack.push(Frame::Seq {
                    pos: at,
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, _) => {
                self.enter(at)?;
                self.stack.push(Frame::Map {
                    pos: at,
                    anchor,
                    map: Map::default(),
                    key: None,
                    merges: Vec::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { pos, anchor, items }) => {
                        (Node::new(Value::Seq(items), pos), anchor)
                    }
                    Some(Frame::Map {
                        pos,
                        anchor,
                        map,
                        merges,
                        ..
                    }) => (
                        Node::new(Value::Map(apply_merges(map, merges)), pos),
                        anchor,
                    ),
                    None => return Err(ParseError::at(at, "unbalanced collection end")),
                };
                self.register(anchor, &node);
                self.complete(node)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn enter(&self, at: Pos) -> Result<(), ParseError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(ParseError::at(at, too_deep(self.limits)));
        }
        Ok(())
    }

    fn register(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors
                .insert(anchor, (node.clone(), count_nodes(node)));
        }
    }

    /// Places a finished node into its parent (or makes it a document root).
    fn complete(&mut self, node: Node) -> Result<(), ParseError> {
        let duplicates_at_key = !self.duplicates_at_value;
        match self.stack.last_mut() {
            None => self.roots.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                map, key, merges, ..
            }) => match key.take() {
                None => {
                    let (pos, plain) = (node.pos, node.plain);
                    let text = match node.value {
                        Value::String(s) => s,
                        Value::Null => String::from("null"),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(ParseError::at(
                                pos,
                                "complex mapping keys (a sequence or mapping used as a key) are not supported",
                            ));
                        }
                    };
                    let is_merge = plain && text == "<<";
                    if !is_merge
                        && duplicates_at_key
                        && let Some(first) = map.get(&text)
                    {
                        return Err(duplicate_key(&text, pos, first.key_pos));
                    }
                    *key = Some((text, pos, is_merge));
                }
                Some((text, key_pos, is_merge)) => {
                    if is_merge {
                        match node.value {
                            Value::Map(_) => merges.push(node),
                            Value::Seq(items) => {
                                for item in items {
                                    if !matches!(item.value, Value::Map(_)) {
                                        return Err(ParseError::at(
                                            item.pos,
                                            "a `<<` merge list may hold only mappings",
                                        ));
                                    }
                                    merges.push(item);
                                }
                            }
                            _ => {
                                return Err(ParseError::at(
                                    node.pos,
                                    "a `<<` merge key needs a mapping or a list of mappings",
                                ));
                            }
                        }
                    } else {
                        match map.entry(text) {
                            indexmap::map::Entry::Vacant(vacant) => {
                                vacant.insert(Entry {
                                    key_pos,
                                    value: node,
                                });
                            }
                            indexmap::map::Entry::Occupied(first) => {
                                return Err(duplicate_key(
                                    first.key(),
                                    key_pos,
                                    first.get().key_pos,
                                ));
                            }
                        }
                    }
                }
            },
        }
        Ok(())
    }
}

pub(super) fn duplicate_key(key: &str, at: Pos, first: Pos) -> ParseError {
    ParseError::at(
        at,
        format!(
            "duplicate key `{key}` (first defined at line {}, column {})",
            first.line, first.column
        ),
    )
}

/// Merges `<<` sources under the explicit keys: explicit keys win, earlier sources win over
/// later ones, and merged keys come after the explicit ones.
fn apply_merges(mut map: Map, merges: Vec<Node>) -> Map {
    for source in merges {
        if let Value::Map(source) = source.value {
            for (key, entry) in source {
                map.entry(key).or_insert(entry);
            }
        }
    }
    map
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(map) => map.values().map(|e| count_nodes(&e.value)).sum(),
        _ => 0,
    }
}

fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>, at: Pos) -> Result<Node, ParseError> {
    let plain = style == ScalarStyle::Plain;
    let value = match tag {
        Some(tag) if tag.is_yaml_core_schema() => match tag.suffix.as_str() {
            "str" => Value::String(text.to_string()),
            "null" => Value::Null,
            "bool" => match resolve_plain(text) {
                Value::Bool(b) => Value::Bool(b),
                _ => return Err(ParseError::at(at, format!("`{text}` is not a !!bool"))),
            },
            "int" => match resolve_plain(text) {
                Value::Int(i) => Value::Int(i),
                _ => return Err(ParseError::at(at, format!("`{text}` is not an !!int"))),
            },
            "float" => match resolve_plain(text) {
                Value::Int(i) => Value::Float(i as f64),
                Value::Float(f) => Value::Float(f),
                _ => return Err(ParseError::at(at, format!("`{text}` is not a !!float"))),
            },
            "binary" | "timestamp" => Value::String(text.to_string()),
            other => {
                return Err(ParseError::at(at, format!("unsupported tag `!!{other}`")));
            }
        },
        // Application tags (`!Ref`, `!vault`) carry no meaning for cfgctl: keep the text.
        _ if plain => resolve_plain(text),
        _ => Value::String(text.to_string()),
    };
    Ok(Node {
        value,
        pos: at,
        plain,
        origin: 0,
    })
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
pub(super) fn resolve_plain(text: &str) -> Value {
    // Every null, boolean and number starts with one of these; most keys and words do not.
    if !matches!(
        text.as_bytes().first(),
        None | Some(
            b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'.' | b'+' | b'-' | b'0'..=b'9'
        )
    ) {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = resolve_int(text) {
        return int;
    }
    if is_core_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::String(text.to_string())
}

fn resolve_int(text: &str) -> Option<Value> {
    if let Some(octal) = text.strip_prefix("0o") {
        return radix_int(octal, 8);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return radix_int(hex, 16);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // `017` is octal to YAML 1.1 readers and 17 to YAML 1.2 ones: keep the text.
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    Some(match text.parse::<i64>() {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(text.parse::<f64>().ok()?),
    })
}

fn radix_int(digits: &str, radix: u32) -> Option<Value> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    i64::from_str_radix(digits, radix).ok().map(Value::Int)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` from the YAML 1.2 core schema.
fn is_core_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - frac_start;
    } else if int_digits == 0 {
        return false;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if int_digits > 1 && b[int_start] == b'0' && frac_digits == 0 && i == b.len() {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let mut roots = parse(text, &Limits::default(), false).unwrap();
        assert_eq!(roots.len(), 1);
        roots.remove(0)
    }

    fn err(text: &str) -> ParseError {
        parse(text, &Limits::default(), false).unwrap_err()
    }

    #[test]
    fn secret_files_get_positions_not_values() {
        let e = parse("a: !!int hunter2\n", &Limits::default(), true).unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(1, 10)));
        assert!(!e.message.contains("hunter2"), "{e}");
        assert!(e.message.contains("!!int"), "{e}");
    }

    #[test]
    fn yaml_1_2_scalars() {
        let doc = one(
            "a: on\nb: yes\nc: y\nd: true\ne: 017\nf: 0o17\ng: 0x1F\nh: 1_000\ni: 1.5\nj: ~\nk: '1'\nl: 1e3\nm: .inf\nn: -7\n",
        );
        let get = |k: &str| doc.get(k).unwrap().value.clone();
        assert_eq!(get("a"), Value::String("on".into()));
        assert_eq!(get("b"), Value::String("yes".into()));
        assert_eq!(get("c"), Value::String("y".into()));
        assert_eq!(get("d"), Value::Bool(true));
        assert_eq!(get("e"), Value::String("017".into()));
        assert_eq!(get("f"), Value::Int(15));
        assert_eq!(get("g"), Value::Int(31));
        assert_eq!(get("h"), Value::String("1_000".into()));
        assert_eq!(get("i"), Value::Float(1.5));
        assert_eq!(get("j"), Value::Null);
        assert_eq!(get("k"), Value::String("1".into()));
        assert_eq!(get("l"), Value::Float(1000.0));
        assert_eq!(get("m"), Value::Float(f64::INFINITY));
        assert_eq!(get("n"), Value::Int(-7));
        assert!(doc.get("a").unwrap().plain);
        assert!(!doc.get("k").unwrap().plain);
    }

    #[test]
    fn every_node_has_its_position() {
        let doc = one("app:\n  db:\n    port: 5432\n  ports: [80, 443]\n");
        let app = doc.get("app").unwrap();
        let port = app.get("db").unwrap().get("port").unwrap();
        assert_eq!(port.pos, Pos::new(3, 11));
        assert_eq!(
            app.as_map().unwrap().get("db").unwrap().key_pos,
            Pos::new(2, 3)
        );
        let (node, depth) = doc.locate_pointer("/app/ports/1");
        assert_eq!(depth, 3);
        assert_eq!(node.pos, Pos::new(4, 15));
        let (node, depth) = doc.locate_pointer("/app/db/missing");
        assert_eq!(depth, 2);
        assert_eq!(node.pos, Pos::new(3, 5));
    }

    #[test]
    fn duplicate_keys_name_both_positions() {
        let e = err("a: 1\nb:\n  c: 2\n  c: 3\n");
        assert_eq!(e.pos, Some(Pos::new(4, 3)));
        assert_eq!(
            e.message,
            "duplicate key `c` (first defined at line 3, column 3)"
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = err("a:\n  b: 1\n c: 2\n");
        assert!(e.pos.is_some(), "{e:?}");
        assert_eq!(e.pos.unwrap().line, 3);
        let e = err("a: [1, 2\n");
        assert!(e.pos.is_some());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 9].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        let e = err(&text);
        assert!(e.message.contains("alias"), "{e}");
    }

    #[test]
    fn aliases_and_merge_keys_expand() {
        let doc = one(
            "base: &base\n  pool: 5\n  ssl: true\nprimary:\n  <<: *base\n  pool: 10\nreplica: *base\n",
        );
        let primary = doc.get("primary").unwrap();
        assert_eq!(primary.get("pool").unwrap().value, Value::Int(10));
        assert_eq!(primary.get("ssl").unwrap().value, Value::Bool(true));
        assert_eq!(
            doc.get("replica").unwrap().get("pool").unwrap().value,
            Value::Int(5)
        );
        assert_eq!(doc.get("replica").unwrap().pos, Pos::new(7, 10));
    }

    #[test]
    fn multi_document_and_empty_files() {
        let roots = parse("a: 1\n---\nb: 2\n", &Limits::default(), false).unwrap();
        assert_eq!(roots.len(), 2);
        assert_eq!(roots[1].get("b").unwrap().pos, Pos::new(3, 4));
        let roots = parse("# only a comment\n", &Limits::default(), false).unwrap();
        assert_eq!(roots[0].value, Value::Null);
    }

    #[test]
    fn depth_is_bounded() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = err(&text);
        assert!(e.message.starts_with("too deeply nested"), "{e}");
    }

    #[test]
    fn core_tags_coerce_or_fail() {
        let doc = one("a: !!str 12\nb: !!int '7'\nc: !Ref thing\n");
        assert_eq!(doc.get("a").unwrap().value, Value::String("12".into()));
        assert_eq!(doc.get("b").unwrap().value, Value::Int(7));
        assert_eq!(doc.get("c").unwrap().value, Value::String("thing".into()));
        assert!(err("a: !!int abc\n").message.contains("!!int"));
    }
}
