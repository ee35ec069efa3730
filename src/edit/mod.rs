//! Editing configuration files in place: set or remove values at key paths while comments,
//! key order and formatting of everything else stay as they were (YAML through yaml-edit's
//! lossless tree, TOML through toml_edit; JSON values are replaced, added and removed where
//! they stand, written in the layout of their neighbours, and only an edit that cannot be
//! placed so rewrites the file, which has no comments to lose).
//!
//! Every edit is checked: the result is parsed again and must equal the expected tree, or
//! the edit is refused instead of writing a file that means something else.

use crate::diff::same_value;
use crate::document::{self, Format, Limits, Node, Value, emit};
use anyhow::{Result, anyhow, bail};
use std::str::FromStr;

/// One change to a document: a mapping-key path and its new value, or `None` to remove it.
#[derive(Debug, Clone)]
pub struct Edit {
    pub path: Vec<String>,
    pub value: Option<Node>,
}

/// Applies `edits` to `text` and returns the new text, which parses to `expected`.
pub fn apply(text: &str, format: Format, edits: &[Edit], expected: &Node) -> Result<String> {
    let edited = match format {
        Format::Yaml => yaml(text, edits)?,
        Format::Toml => toml(text, edits)?,
        Format::Json => {
            // In place if the result means what it must; else the whole file, rewritten.
            let means_expected = |t: &String| {
                document::parse(t.as_bytes(), format, &Limits::default())
                    .ok()
                    .and_then(|d| d.roots.into_iter().next())
                    .is_some_and(|root| same_value(&root, expected))
            };
            json(text, edits)
                .filter(means_expected)
                .or_else(|| json_in_place(text, edits).filter(means_expected))
                .unwrap_or_else(|| emit::to_json_text(expected))
        }
    };
    let parsed = document::parse(edited.as_bytes(), format, &Limits::default())
        .map_err(|e| anyhow!("the edited text does not parse: {}", e.message))?;
    match parsed.roots.first() {
        Some(root) if same_value(root, expected) => Ok(edited),
        _ => bail!("an in-place edit would not give the intended values; nothing was written"),
    }
}

/// Applies edits to a tree in memory (what the file must mean afterwards).
pub fn apply_to_tree(root: &mut Node, edits: &[Edit]) {
    for edit in edits {
        let Some((last, parents)) = edit.path.split_last() else {
            if let Some(value) = &edit.value {
                *root = value.clone();
            }
            continue;
        };
        let mut node = &mut *root;
        let mut ok = true;
        for key in parents {
            if !matches!(node.value, Value::Map(_)) {
                ok = false;
                break;
            }
            let Value::Map(map) = &mut node.value else {
                unreachable!()
            };
            let entry = map.entry(key.clone()).or_insert_with(|| document::Entry {
                key_pos: document::Pos::default(),
                value: Node::new(
                    Value::Map(document::Map::default()),
                    document::Pos::default(),
                ),
            });
            node = &mut entry.value;
        }
        if !ok {
            continue;
        }
        if let Value::Map(map) = &mut node.value {
            match &edit.value {
                Some(value) => match map.get_mut(last) {
                    Some(entry) => entry.value = value.clone(),
                    None => {
                        map.insert(
                            last.clone(),
                            document::Entry {
                                key_pos: document::Pos::default(),
                                value: value.clone(),
                            },
                        );
                    }
                },
                None => {
                    map.shift_remove(last);
                }
            }
        }
    }
}

/// Replaces scalar values in JSON text where they stand, so the file's own layout survives;
/// `None` when an edit is structural (a key added or removed, a container replaced), and the
/// caller rewrites the file instead.
fn json(text: &str, edits: &[Edit]) -> Option<String> {
    let root = document::parse(text.as_bytes(), Format::Json, &Limits::default())
        .ok()?
        .roots
        .pop()?;
    let mut targets: Vec<(document::Pos, String)> = Vec::with_capacity(edits.len());
    for edit in edits {
        let old = edit
            .path
            .iter()
            .try_fold(&root, |node, key| node.get(key))?;
        let new = edit.value.as_ref()?;
        let scalar = |n: &Node| !matches!(n.value, Value::Map(_) | Value::Seq(_));
        if !scalar(old) || !scalar(new) {
            return None;
        }
        targets.push((old.pos, serde_json::to_string(&new.to_json()).ok()?));
    }
    // Positions become byte offsets through one index of line starts, not a scan per edit.
    targets.sort_by_key(|(pos, _)| *pos);
    let mut out = String::with_capacity(text.len());
    let lines = Lines::new(text);
    let mut copied = 0;
    for (pos, replacement) in targets {
        let start = lines.offset(pos)?;
        if start < copied {
            return None;
        }
        let end = start + json_scalar_len(&text[start..])?;
        out.push_str(&text[copied..start]);
        out.push_str(&replacement);
        copied = end;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Adds, removes and replaces JSON members where they stand: a replaced value takes the old
/// one's place, an added key goes after the last member of its object on a line of its own
/// (or inline, in an object written on one line), and a removed member takes its separator
/// with it. Values are written in the layout of the place they go to: on one line with
/// `", "` and `": "` where the surrounding object is on one line, else indented like their
/// neighbours. `None` when an edit cannot be placed so (a new key in an empty or a missing
/// object, the last member of an object removed, edits that overlap).
fn json_in_place(text: &str, edits: &[Edit]) -> Option<String> {
    let root = document::parse(text.as_bytes(), Format::Json, &Limits::default())
        .ok()?
        .roots
        .pop()?;
    let lines = Lines::new(text);
    let offset = |pos: document::Pos| lines.offset(pos);
    let indent_at = |at: usize| -> &str {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    };
    let unit = json_indent_unit(text);
    // (start, end, replacement) byte ranges of the original text.
    let mut splices: Vec<(usize, usize, String)> = Vec::new();
    for edit in edits {
        let (last, parents) = edit.path.split_last()?;
        let parent = parents.iter().try_fold(&root, |node, key| node.get(key))?;
        let Value::Map(map) = &parent.value else {
            return None;
        };
        let parent_start = offset(parent.pos)?;
        let parent_end = parent_start + json_value_len(&text[parent_start..])?;
        let inline = !text[parent_start..parent_end].contains('\n');
        let index = map.get_index_of(last.as_str());
        match (index, &edit.value) {
            (Some(i), Some(new)) => {
                let (_, entry) = map.get_index(i)?;
                let start = offset(entry.value.pos)?;
                let end = start + json_value_len(&text[start..])?;
                let one_line = !text[start..end].contains('\n');
                let written = json_text(&new.to_json(), one_line, indent_at(start), &unit);
                splices.push((start, end, written));
            }
            (Some(i), None) => {
                if map.len() < 2 {
                    return None;
                }
                let this_key = offset(map.get_index(i)?.1.key_pos)?;
                let this_end = {
                    let start = offset(map.get_index(i)?.1.value.pos)?;
                    start + json_value_len(&text[start..])?
                };
                if i > 0 {
                    // From the end of the previous member's value: `,\n  "key": value`.
                    let prev = &map.get_index(i - 1)?.1.value;
                    let prev_start = offset(prev.pos)?;
                    let prev_end = prev_start + json_value_len(&text[prev_start..])?;
                    splices.push((prev_end, this_end, String::new()));
                } else {
                    // To the next member's key: `"key": value,\n  `.
                    let next_key = offset(map.get_index(i + 1)?.1.key_pos)?;
                    splices.push((this_key, next_key, String::new()));
                }
            }
            (None, Some(new)) => {
                let (_, prev) = map.last()?;
                let prev_start = offset(prev.value.pos)?;
                let prev_end = prev_start + json_value_len(&text[prev_start..])?;
                let key = serde_json::to_string(last).ok()?;
                let member = if inline {
                    format!(", {key}: {}", json_text(&new.to_json(), true, "", &unit))
                } else {
                    let indent = indent_at(offset(prev.key_pos)?);
                    format!(
                        ",\n{indent}{key}: {}",
                        json_text(&new.to_json(), false, indent, &unit)
                    )
                };
                splices.push((prev_end, prev_end, member));
            }
            (None, None) => {}
        }
    }
    splices.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end, replacement) in splices {
        if start < copied {
            return None;
        }
        out.push_str(&text[copied..start]);
        out.push_str(&replacement);
        copied = end;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// A JSON value as text: on one line with `", "` and `": "` (the style of hand-written
/// one-line objects), or indented by `unit` per level after a first line at `indent`.
fn json_text(value: &serde_json::Value, one_line: bool, indent: &str, unit: &str) -> String {
    use serde_json::Value as J;
    let scalar = |v: &J| serde_json::to_string(v).unwrap_or_default();
    match value {
        J::Array(items) if items.is_empty() => "[]".into(),
        J::Object(map) if map.is_empty() => "{}".into(),
        J::Array(items) if one_line => format!(
            "[{}]",
            items
                .iter()
                .map(|v| json_text(v, true, "", unit))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        J::Object(map) if one_line => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!(
                    "{}: {}",
                    scalar(&J::String(k.clone())),
                    json_text(v, true, "", unit)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        J::Array(items) => {
            let inner = format!("{indent}{unit}");
            let body: Vec<String> = items
                .iter()
                .map(|v| format!("{inner}{}", json_text(v, false, &inner, unit)))
                .collect();
            format!("[\n{}\n{indent}]", body.join(",\n"))
        }
        J::Object(map) => {
            let inner = format!("{indent}{unit}");
            let body: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{inner}{}: {}",
                        scalar(&J::String(k.clone())),
                        json_text(v, false, &inner, unit)
                    )
                })
                .collect();
            format!("{{\n{}\n{indent}}}", body.join(",\n"))
        }
        other => scalar(other),
    }
}

/// The indentation one level adds in this file: the first indented line's, else two spaces.
fn json_indent_unit(text: &str) -> String {
    text.lines()
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .find(|i| !i.is_empty())
        .unwrap_or("  ")
        .to_string()
}

/// The length of the JSON value (scalar, object or array) at the start of `text`.
fn json_value_len(text: &str) -> Option<usize> {
    if !text.starts_with(['{', '[']) {
        return json_scalar_len(text);
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Turns 1-based line and character-column positions into byte offsets: the line starts are
/// found once, and a position after the last one asked for on the same line continues from
/// it, so positions in increasing order cost one walk of the text even on a one-line file.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last position resolved and its byte offset.
    last: std::cell::Cell<(document::Pos, usize)>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            text,
            starts,
            last: std::cell::Cell::new((document::Pos::new(1, 1), 0)),
        }
    }

    /// The byte offset of `pos`; `None` past the end of the text or of its line.
    fn offset(&self, pos: document::Pos) -> Option<usize> {
        let (last, last_byte) = self.last.get();
        let (mut column, mut byte) = if last.line == pos.line && last.column <= pos.column {
            (last.column, last_byte)
        } else {
            (1, *self.starts.get(pos.line.checked_sub(1)? as usize)?)
        };
        for c in self.text[byte..].chars() {
            if column == pos.column || c == '\n' {
                break;
            }
            byte += c.len_utf8();
            column += 1;
        }
        (column == pos.column).then(|| {
            self.last.set((pos, byte));
            byte
        })
    }
}

/// The length of the JSON scalar token at the start of `text`.
fn json_scalar_len(text: &str) -> Option<usize> {
    if let Some(rest) = text.strip_prefix('"') {
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return Some(i + 2),
                _ => {}
            }
        }
        return None;
    }
    let len = text
        .find(|c: char| matches!(c, ',' | '}' | ']') || c.is_whitespace())
        .unwrap_or(text.len());
    (len > 0).then_some(len)
}

/// Edits YAML: a scalar replaced by a scalar is spliced where the old one stands (one pass
/// over the text, whatever the number of edits); what else there is (added or removed keys,
/// containers) goes through yaml-edit, whose every change walks the mapping it edits.
fn yaml(text: &str, edits: &[Edit]) -> Result<String> {
    let (spliced, rest) = yaml_splice(text, edits);
    if rest.is_empty() {
        return Ok(spliced);
    }
    yaml_lossless(&spliced, &rest)
}

/// A scalar value's place in block-style YAML.
struct Spot {
    span: std::ops::Range<usize>,
    /// Plain or quoted, on one line, without anchor or tag.
    simple: bool,
    /// The entry's whole line (`  key: value  # comment\n`) when it has one to itself.
    line: Option<std::ops::Range<usize>>,
}

/// A block mapping's shape, for appending keys where yaml-edit would.
struct Block {
    /// Where a new entry goes: after the last entry's line (the end of the text at the top).
    end: Option<usize>,
    /// The entries' indentation.
    indent: usize,
    /// The last entry's key path, when its value is a one-line scalar.
    last: Option<Vec<String>>,
}

/// The scalars and block mappings reachable through block mappings only.
struct Spots {
    scalars: std::collections::HashMap<Vec<String>, Spot>,
    blocks: std::collections::HashMap<Vec<String>, Block>,
    /// Every key path of a block mapping, whatever its value.
    keys: std::collections::HashSet<Vec<String>>,
}

/// Splices the scalar-for-scalar edits in and returns the text with the edits left over.
/// Any document shape this does not handle simply (aliases, merge keys, several documents,
/// flow collections, lists on the way) leaves every edit to yaml-edit.
fn yaml_splice(text: &str, edits: &[Edit]) -> (String, Vec<Edit>) {
    let Some(Spots {
        scalars,
        blocks,
        keys,
    }) = yaml_scalar_spots(text)
    else {
        return (text.to_string(), edits.to_vec());
    };
    // Mappings that lose their last entry: where yaml-edit appends to them is left to it.
    let losing_last: std::collections::HashSet<&[String]> = edits
        .iter()
        .filter(|e| e.value.is_none())
        .filter_map(|e| {
            let (_, parent) = e.path.split_last()?;
            let block = blocks.get(parent)?;
            (block.last.as_ref() == Some(&e.path)).then_some(parent)
        })
        .collect();
    // Where each mapping takes new keys, if every key added to it can be spliced: yaml-edit
    // appends in edit order, so one that it must write means it writes them all.
    let mut appendable: std::collections::HashMap<&[String], Option<usize>> =
        std::collections::HashMap::new();
    for edit in edits.iter().filter(|e| !keys.contains(&e.path)) {
        let Some((key, parent)) = edit.path.split_last() else {
            continue;
        };
        let simple_value = edit
            .value
            .as_ref()
            .is_some_and(|v| !matches!(v.value, Value::Map(_) | Value::Seq(_)));
        let at = blocks.get(parent).and_then(|b| b.end).filter(|_| {
            simple_value && emit::quote_if_needed(key) == *key && !losing_last.contains(parent)
        });
        let slot = appendable.entry(parent).or_insert(at);
        if at.is_none() {
            *slot = None;
        }
    }
    let mut splices: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut rest = Vec::new();
    for edit in edits {
        let replacement = edit.value.as_ref().and_then(|new| match &new.value {
            Value::Map(_) | Value::Seq(_) => None,
            _ => {
                let written = emit::to_yaml(new);
                let written = written.strip_suffix('\n').unwrap_or(&written);
                (!written.contains('\n')).then(|| written.to_string())
            }
        });
        let spot = scalars.get(&edit.path).filter(|s| s.simple);
        let splice = match (spot, replacement) {
            // A value replaced where it stands.
            (Some(spot), Some(replacement)) => Some((spot.span.clone(), replacement)),
            // A removed entry: its whole line goes, as yaml-edit removes it.
            (Some(spot), None) if edit.value.is_none() => {
                spot.line.clone().map(|line| (line, String::new()))
            }
            // A new key: appended after the mapping's last entry, indented like it.
            (None, Some(replacement)) if !keys.contains(&edit.path) => {
                edit.path.split_last().and_then(|(key, parent)| {
                    let at = appendable.get(parent).copied().flatten()?;
                    let indent = blocks.get(parent)?.indent;
                    Some((
                        at..at,
                        format!("{}{key}: {replacement}\n", " ".repeat(indent)),
                    ))
                })
            }
            _ => None,
        };
        match splice {
            Some(splice) => splices.push(splice),
            None => rest.push(edit.clone()),
        }
    }
    // Stable: entries appended at one place keep the order of their edits.
    splices.sort_by_key(|(span, _)| (span.start, span.end > span.start));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (span, replacement) in splices {
        if span.start < copied {
            // Overlapping splices cannot happen for distinct key paths; be safe anyway.
            return (text.to_string(), edits.to_vec());
        }
        out.push_str(&text[copied..span.start]);
        out.push_str(&replacement);
        copied = span.end;
    }
    out.push_str(&text[copied..]);
    (out, rest)
}

/// The scalar values and block mappings reachable through block mappings only, by key path;
/// `None` when the text has a shape where a splice could mean something else (an alias, a
/// merge key, more than one document) or does not parse.
fn yaml_scalar_spots(text: &str) -> Option<Spots> {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    enum Frame {
        /// A block mapping reached through block mappings only.
        Map {
            /// The key whose value is being parsed, and where it starts.
            key: Option<(String, usize)>,
            block: Block,
        },
        /// Anything else: nothing below it is spliced.
        Other,
    }
    fn path_of(stack: &[Frame]) -> Vec<String> {
        stack
            .iter()
            .filter_map(|f| match f {
                Frame::Map { key, .. } => key.as_ref().map(|(k, _)| k.clone()),
                Frame::Other => None,
            })
            .collect()
    }
    // saphyr counts characters; spans are needed in bytes.
    let bytes_of_char: Option<Vec<usize>> = (!text.is_ascii()).then(|| {
        let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        v.push(text.len());
        v
    });
    let byte = |index: usize| match &bytes_of_char {
        Some(v) => v.get(index).copied().unwrap_or(text.len()),
        None => index.min(text.len()),
    };
    // The entry's own line: the key first on it, nothing but a comment after the value.
    let entry_line = |key_start: usize, value_end: usize| -> Option<std::ops::Range<usize>> {
        let start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
        if !text[start..key_start].chars().all(|c| c == ' ') {
            return None;
        }
        let newline = value_end + text[value_end..].find('\n')?;
        let after = text[value_end..newline].trim_start_matches(' ');
        (after.is_empty()
            || (after.starts_with('#') && after.len() < text[value_end..newline].len()))
        .then_some(start..newline + 1)
    };
    let mut spots = Spots {
        scalars: std::collections::HashMap::new(),
        blocks: std::collections::HashMap::new(),
        keys: std::collections::HashSet::new(),
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0;
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.ok()?;
        let range = byte(span.start.index())..byte(span.end.index());
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
            }
            Event::Alias(_) => return None,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let nested = stack.len() > 1;
                match stack.last_mut() {
                    Some(Frame::Map { key: None, .. }) => return None, // a complex key
                    Some(Frame::Map { block, .. }) => {
                        if nested {
                            block.end = None;
                        }
                        block.last = None;
                    }
                    _ => {}
                }
                let block_map = matches!(event, Event::MappingStart(..))
                    && !text[range.start..].starts_with('{')
                    && stack.iter().all(|f| matches!(f, Frame::Map { .. }));
                stack.push(if block_map {
                    Frame::Map {
                        key: None,
                        block: Block {
                            // At the top, yaml-edit appends at the end of the text (a
                            // CRLF file is left to it).
                            end: (stack.is_empty() && text.ends_with('\n') && !text.contains('\r'))
                                .then_some(text.len()),
                            indent: text[..range.start]
                                .rfind('\n')
                                .map_or(range.start, |i| range.start - i - 1),
                            last: None,
                        },
                    }
                } else {
                    Frame::Other
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let frame = stack.pop();
                if let Some(Frame::Map { block, .. }) = frame
                    && stack.iter().all(|f| matches!(f, Frame::Map { .. }))
                {
                    spots.blocks.insert(path_of(&stack), block);
                }
                if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                    *key = None;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let in_block_maps = stack.iter().all(|f| matches!(f, Frame::Map { .. }));
                let top = stack.len() == 1;
                let Some(Frame::Map { key, .. }) = stack.last_mut() else {
                    continue;
                };
                let Some((_, key_start)) = key.clone() else {
                    if value == "<<" && style == ScalarStyle::Plain {
                        return None;
                    }
                    *key = Some((value.into_owned(), range.start));
                    if in_block_maps {
                        spots.keys.insert(path_of(&stack));
                    }
                    continue;
                };
                if in_block_maps {
                    let simple = matches!(
                        style,
                        ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
                    ) && anchor == 0
                        && tag.is_none()
                        && !text[range.clone()].contains('\n');
                    let line = simple.then(|| entry_line(key_start, range.end)).flatten();
                    let path = path_of(&stack);
                    if let Some(Frame::Map { block, .. }) = stack.last_mut() {
                        if !top {
                            block.end = line.as_ref().map(|l| l.end);
                        }
                        block.last = line.is_some().then(|| path.clone());
                    }
                    spots.scalars.insert(
                        path,
                        Spot {
                            span: range,
                            simple,
                            line,
                        },
                    );
                }
                if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                    *key = None;
                }
            }
            _ => {}
        }
    }
    Some(spots)
}

/// Applies edits through yaml-edit's lossless tree, one by one.
fn yaml_lossless(text: &str, edits: &[Edit]) -> Result<String> {
    let doc = yaml_edit::Document::from_str(text)
        .map_err(|e| anyhow!("cannot edit this YAML in place: {e}"))?;
    for edit in edits {
        let Some((last, parents)) = edit.path.split_last() else {
            bail!("replacing a whole document is not an in-place edit");
        };
        let mut mapping = doc
            .as_mapping()
            .ok_or_else(|| anyhow!("the document is not a mapping"))?;
        for key in parents {
            mapping = mapping.get_mapping(key.as_str()).ok_or_else(|| {
                anyhow!("`{key}` is not a mapping here, so it cannot be edited in place")
            })?;
        }
        match &edit.value {
            Some(value) => {
                let fragment = yaml_edit::Document::from_str(&emit::to_yaml(value))
                    .map_err(|e| anyhow!("cannot write the new value of `{last}`: {e}"))?;
                mapping.set(last.as_str(), &fragment);
            }
            None => {
                mapping.remove(last.as_str());
            }
        }
    }
    Ok(doc.to_string())
}

fn toml(text: &str, edits: &[Edit]) -> Result<String> {
    let mut doc = toml_edit::DocumentMut::from_str(text)
        .map_err(|e| anyhow!("cannot edit this TOML in place: {e}"))?;
    for edit in edits {
        let Some((last, parents)) = edit.path.split_last() else {
            bail!("replacing a whole document is not an in-place edit");
        };
        let mut table: &mut dyn toml_edit::TableLike = doc.as_table_mut();
        for key in parents {
            table = table
                .get_mut(key)
                .and_then(|item| item.as_table_like_mut())
                .ok_or_else(|| {
                    anyhow!("`{key}` is not a table here, so it cannot be edited in place")
                })?;
        }
        match &edit.value {
            Some(value) => {
                let item = toml_item(value)?;
                match table.get_mut(last) {
                    // Keep the key's own decoration (comments before it) when replacing a value.
                    Some(existing) if existing.is_value() && item.is_value() => *existing = item,
                    _ => {
                        table.insert(last, item);
                    }
                }
            }
            None => {
                table.remove(last);
            }
        }
    }
    Ok(doc.to_string())
}

/// Inserts the string `value` at `index` of the array `key` in the table `table` (a path of
/// table names; empty for the top level), in the layout of its neighbours: the comments and
/// formatting of everything else stay as they were.
pub fn toml_array_insert(
    text: &str,
    table: &[&str],
    key: &str,
    index: usize,
    value: &str,
) -> Result<String> {
    let mut doc = toml_edit::DocumentMut::from_str(text)
        .map_err(|e| anyhow!("cannot edit this TOML in place: {e}"))?;
    let mut tab: &mut dyn toml_edit::TableLike = doc.as_table_mut();
    for name in table {
        tab = tab
            .get_mut(name)
            .and_then(|item| item.as_table_like_mut())
            .ok_or_else(|| anyhow!("`{name}` is not a table"))?;
    }
    let array = tab
        .get_mut(key)
        .and_then(|item| item.as_array_mut())
        .ok_or_else(|| anyhow!("`{}` is not an array", [table, &[key]].concat().join(".")))?;
    if index > array.len() {
        bail!("index {index} is past the end of `{key}`");
    }
    // The new element takes the spacing of the one it displaces (or of the last one), so a
    // one-line array stays on one line and a one-per-line array stays one per line.
    let neighbour = if index < array.len() && index > 0 {
        Some(index)
    } else if index == array.len() && index > 1 {
        Some(index - 1)
    } else {
        None
    };
    let decor = neighbour
        .and_then(|i| array.get(i))
        .map(|v| v.decor().clone());
    let mut item = toml_edit::Value::from(value);
    match decor {
        Some(decor) => *item.decor_mut() = decor,
        None if index > 0 => item.decor_mut().set_prefix(" "),
        None => {}
    }
    if index == 0
        && let Some(first) = array.get(0)
    {
        // The new first element takes the old first one's spacing; that one moves on.
        *item.decor_mut() = first.decor().clone();
        let spacing = array.get(1).map(|v| v.decor().clone());
        if let Some(old) = array.get_mut(0) {
            match spacing {
                Some(decor) => *old.decor_mut() = decor,
                None => old.decor_mut().set_prefix(" "),
            }
        }
    }
    array.insert_formatted(index, item);
    Ok(doc.to_string())
}

/// Sets the string `key` in the table `table` (which must exist): the key's comments stay,
/// a new key goes at the end of the table.
pub fn toml_set_string(text: &str, table: &[&str], key: &str, value: &str) -> Result<String> {
    let path: Vec<String> = table
        .iter()
        .map(|s| s.to_string())
        .chain([key.to_string()])
        .collect();
    toml(
        text,
        &[Edit {
            path,
            value: Some(Node::new(
                Value::String(value.to_string()),
                document::Pos::default(),
            )),
        }],
    )
}

/// Converts a node to a TOML item: mappings become tables, everything else values.
fn toml_item(node: &Node) -> Result<toml_edit::Item> {
    Ok(match &node.value {
        Value::Map(map) => {
            let mut table = toml_edit::Table::new();
            for (key, entry) in map {
                table.insert(key, toml_item(&entry.value)?);
            }
            toml_edit::Item::Table(table)
        }
        _ => toml_edit::Item::Value(toml_value(node)?),
    })
}

fn toml_value(node: &Node) -> Result<toml_edit::Value> {
    Ok(match &node.value {
        Value::Null => bail!("TOML has no null"),
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::Float(f) => (*f).into(),
        Value::String(s) => s.as_str().into(),
        Value::Seq(items) => {
            let mut array = toml_edit::Array::new();
            for item in items {
                array.push(toml_value(item)?);
            }
            toml_edit::Value::Array(array)
        }
        Value::Map(map) => {
            let mut inline = toml_edit::InlineTable::new();
            for (key, entry) in map {
                inline.insert(key, toml_value(&entry.value)?);
            }
            toml_edit::Value::InlineTable(inline)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_array_insert_keeps_layout_and_comments() {
        let one_line = "[repo]\nenvironments = [\"dev\", \"staging\", \"prod\"]   # order\n";
        assert_eq!(
            toml_array_insert(one_line, &["repo"], "environments", 2, "qa").unwrap(),
            "[repo]\nenvironments = [\"dev\", \"staging\", \"qa\", \"prod\"]   # order\n"
        );
        assert_eq!(
            toml_array_insert(one_line, &["repo"], "environments", 3, "dr").unwrap(),
            "[repo]\nenvironments = [\"dev\", \"staging\", \"prod\", \"dr\"]   # order\n"
        );
        assert_eq!(
            toml_array_insert(one_line, &["repo"], "environments", 0, "sandbox").unwrap(),
            "[repo]\nenvironments = [\"sandbox\", \"dev\", \"staging\", \"prod\"]   # order\n"
        );
        let per_line = "[repo]\n# the order\nenvironments = [\n  \"dev\",\n  \"prod\", # last\n]\n";
        assert_eq!(
            toml_array_insert(per_line, &["repo"], "environments", 1, "qa").unwrap(),
            "[repo]\n# the order\nenvironments = [\n  \"dev\",\n  \"qa\",\n  \"prod\", # last\n]\n"
        );
        assert!(toml_array_insert(per_line, &["repo"], "nothing", 0, "x").is_err());
    }

    #[test]
    fn toml_set_string_adds_a_key_to_its_table() {
        let text = "[repo]\nenvironments = [\"a\"]\n\n[rules]\nx = \"off\"\n";
        assert_eq!(
            toml_set_string(text, &["repo"], "production", "a").unwrap(),
            "[repo]\nenvironments = [\"a\"]\nproduction = \"a\"\n\n[rules]\nx = \"off\"\n"
        );
    }

    fn parse(text: &str, format: Format) -> Node {
        document::parse(text.as_bytes(), format, &Limits::default())
            .unwrap()
            .roots
            .remove(0)
    }

    fn edit(path: &str, value: Option<&str>) -> Edit {
        Edit {
            path: path.split('.').map(str::to_string).collect(),
            value: value.map(|v| parse(v, Format::Yaml)),
        }
    }

    fn run(text: &str, format: Format, edits: &[Edit]) -> String {
        let mut expected = parse(text, format);
        apply_to_tree(&mut expected, edits);
        apply(text, format, edits, &expected).unwrap()
    }

    #[test]
    fn yaml_edits_keep_comments_and_order() {
        let text = "# database settings\ndb:\n  host: a.internal  # pinned\n  pool:\n    max: 10   # tuned\n  ssl: verify-full\n";
        let out = run(
            text,
            Format::Yaml,
            &[
                edit("db.pool.max", Some("40")),
                edit("db.timeout", Some("\"5s\"")),
                edit("db.ssl", None),
            ],
        );
        assert!(
            out.starts_with("# database settings\ndb:\n  host: a.internal  # pinned\n"),
            "{out}"
        );
        assert!(out.contains("max: 40"), "{out}");
        assert!(out.contains("timeout:"), "{out}");
        assert!(!out.contains("ssl"), "{out}");
    }

    #[test]
    fn yaml_subtrees_and_ambiguous_strings() {
        let text = "app:\n  ports:\n    - 80\n  mode: fast\n";
        let out = run(
            text,
            Format::Yaml,
            &[
                edit("app.ports", Some("[80, 443]")),
                edit("app.mode", Some("'on'")),
                edit("app.limits", Some("{cpu: 1, mem: 2Gi}")),
            ],
        );
        let parsed = parse(&out, Format::Yaml);
        assert_eq!(
            parsed.get("app").unwrap().get("mode").unwrap().value,
            Value::String("on".into()),
            "{out}"
        );
    }

    #[test]
    fn toml_edits_keep_comments() {
        let text = "# monitoring\n[metrics]\n# how often\ninterval = \"30s\"\nport = 9090\n\n[tracing]\nrate = 0.5\n";
        let out = run(
            text,
            Format::Toml,
            &[
                edit("metrics.interval", Some("15s")),
                edit("tracing.rate", Some("0.1")),
                edit("tracing.exporter", Some("otlp")),
            ],
        );
        assert!(
            out.contains("# monitoring\n[metrics]\n# how often\ninterval = \"15s\""),
            "{out}"
        );
        assert!(out.contains("rate = 0.1"), "{out}");
    }

    #[test]
    fn json_is_rewritten_with_the_new_values() {
        let text = "{\n  \"a\": {\"b\": 1, \"c\": 2}\n}\n";
        let out = run(text, Format::Json, &[edit("a.b", Some("5"))]);
        assert_eq!(
            parse(&out, Format::Json)
                .get("a")
                .unwrap()
                .get("b")
                .unwrap()
                .value,
            Value::Int(5)
        );
    }

    #[test]
    fn json_scalars_change_in_place_and_structure_is_rewritten() {
        let text = "{\n  \"a\": { \"b\": 1, \"c\": \"x\\\"y\" },\n    \"d\": [1,2]\n}\n";
        let out = run(
            text,
            Format::Json,
            &[edit("a.b", Some("500")), edit("a.c", Some("z"))],
        );
        assert_eq!(
            out,
            "{\n  \"a\": { \"b\": 500, \"c\": \"z\" },\n    \"d\": [1,2]\n}\n"
        );
        let out = run(text, Format::Json, &[edit("a.e", Some("1"))]);
        assert_eq!(
            parse(&out, Format::Json)
                .get("a")
                .unwrap()
                .get("e")
                .unwrap()
                .value,
            Value::Int(1)
        );
    }

    /// A flag file as flagd users write it: compact one-line targeting inside an indented
    /// document. Added, removed and replaced members keep every other byte.
    #[test]
    fn json_members_are_added_removed_and_replaced_where_they_stand() {
        let text = "{\n  \"flags\": {\n    \"search\": {\n      \"variants\": {\n        \"legacy\": \"legacy\",\n        \"hybrid\": \"hybrid\"\n      },\n      \"targeting\": {\"fractional\": [[\"hybrid\", 50], [\"legacy\", 50]]},\n      \"metadata\": {\"owner\": \"search\", \"stage\": \"beta\"}\n    }\n  }\n}\n";
        let out = run(
            text,
            Format::Json,
            &[edit("flags.search.variants.semantic", Some("semantic"))],
        );
        assert_eq!(
            out,
            text.replace(
                "        \"hybrid\": \"hybrid\"\n",
                "        \"hybrid\": \"hybrid\",\n        \"semantic\": \"semantic\"\n"
            )
        );
        // Inline objects stay inline.
        let out = run(
            text,
            Format::Json,
            &[edit("flags.search.metadata.expires", Some("2027-01-01"))],
        );
        assert!(
            out.contains(
                "{\"owner\": \"search\", \"stage\": \"beta\", \"expires\": \"2027-01-01\"}"
            ),
            "{out}"
        );
        // Removing the first, a middle or the last member takes its separator along.
        for (key, gone) in [
            ("legacy", "        \"legacy\": \"legacy\",\n"),
            ("hybrid", ",\n        \"hybrid\": \"hybrid\""),
        ] {
            let out = run(
                text,
                Format::Json,
                &[edit(&format!("flags.search.variants.{key}"), None)],
            );
            assert_eq!(out, text.replace(gone, ""), "{key}");
        }
        // A replaced container is written in the layout of the one it replaces.
        let targeting = Node::new(
            Value::Map(
                [(
                    "fractional".to_string(),
                    document::Entry {
                        key_pos: document::Pos::default(),
                        value: parse("[[\"hybrid\", 25], [\"legacy\", 75]]", Format::Json),
                    },
                )]
                .into_iter()
                .collect(),
            ),
            document::Pos::default(),
        );
        let edits = [Edit {
            path: vec!["flags".into(), "search".into(), "targeting".into()],
            value: Some(targeting),
        }];
        let out = run(text, Format::Json, &edits);
        assert_eq!(
            out,
            text.replace("50], [\"legacy\", 50", "25], [\"legacy\", 75")
        );
    }

    /// A document of `keys` values of many kinds and spellings, with comments; `variant`
    /// changes every value.
    fn many_keys(keys: usize, variant: usize) -> String {
        let mut text = String::from("# generated\n");
        for group in 0..keys.div_ceil(20) {
            text.push_str(&format!("group_{group}:  # group comment\n"));
            for i in group * 20..((group + 1) * 20).min(keys) {
                let v = i + variant;
                let value = match i % 8 {
                    0 => format!("{v}"),
                    1 => format!("\"quoted {v}\""),
                    2 => format!("'single {v}'"),
                    3 => format!("{}.5", v),
                    4 => {
                        if v.is_multiple_of(2) {
                            "true".into()
                        } else {
                            "false".into()
                        }
                    }
                    5 => format!("plain-{v}   # trailing comment"),
                    6 => ["on", "5s", "a: b", "#x", "", "null", "017", "é-{v}"][v % 8]
                        .replace("{v}", &v.to_string()),
                    _ => format!("\"é ü {v}\""),
                };
                let value = if value.is_empty() {
                    "\"\"".into()
                } else {
                    value
                };
                text.push_str(&format!("  key_{i}: {value}\n"));
            }
        }
        text
    }

    #[test]
    fn splicing_many_yaml_scalars_gives_the_same_bytes_as_yaml_edit() {
        let target = many_keys(400, 0);
        let source = parse(&many_keys(400, 3), Format::Yaml);
        let target_root = parse(&target, Format::Yaml);
        let mut edits = Vec::new();
        for (group, entry) in source.as_map().unwrap() {
            for (key, value) in entry.value.as_map().unwrap() {
                edits.push(Edit {
                    path: vec![group.clone(), key.clone()],
                    value: Some(value.value.clone()),
                });
            }
        }
        // Keys removed and added in several mappings and at the top; one new mapping, which
        // goes through yaml-edit after the splices.
        let removed = |e: &Edit| {
            [5, 65, 145, 385, 399]
                .iter()
                .any(|k| e.path[1] == format!("key_{k}"))
        };
        edits.retain(|e| !removed(e));
        for (i, group) in [0, 3, 7, 19].into_iter().enumerate() {
            edits.push(edit(&format!("group_{group}.key_{}", group * 20 + 5), None));
            edits.push(edit(&format!("group_{group}.new_{i}"), Some("\"5s\"")));
            edits.push(edit(&format!("group_{group}.newer_{i}"), Some("42")));
        }
        edits.push(edit("group_19.key_399", None));
        edits.push(edit("top_added", Some("on")));
        edits.push(edit("group_3.added", Some("{a: 1}")));
        let mut expected = target_root.clone();
        apply_to_tree(&mut expected, &edits);
        let fast = apply(&target, Format::Yaml, &edits, &expected).unwrap();
        let reference = yaml_lossless(&target, &edits).unwrap();
        assert_eq!(fast, reference);
        let (_, rest) = yaml_splice(&target, &edits);
        let rest: Vec<String> = rest.iter().map(|e| e.path.join(".")).collect();
        // A mapping that gets a new mapping, or loses its last entry, is left to yaml-edit.
        assert_eq!(
            rest,
            [
                "group_3.new_1",
                "group_3.newer_1",
                "group_19.new_3",
                "group_19.newer_3",
                "group_3.added"
            ]
        );
    }

    #[test]
    fn removed_and_added_keys_land_where_yaml_edit_puts_them() {
        let text = "# top\ngroup:  # c\n  a: 1\n  # before b\n  b: 2   # tb\n  c: \"x\"\nother: 5\n# end\n";
        for edits in [
            vec![edit("group.b", None)],
            vec![edit("group.c", None)],
            vec![edit("group.z", Some("\"5s\""))],
            vec![edit("zz", Some("7"))],
            vec![edit("other", None)],
            vec![edit("other", None), edit("zz", Some("7"))],
            vec![edit("group.c", None), edit("group.z", Some("1"))],
            vec![
                edit("group.a", Some("3")),
                edit("group.b", None),
                edit("group.y", Some("4")),
                edit("group.z", Some("5")),
            ],
        ] {
            let mut expected = parse(text, Format::Yaml);
            apply_to_tree(&mut expected, &edits);
            let fast = apply(text, Format::Yaml, &edits, &expected).unwrap();
            assert_eq!(fast, yaml_lossless(text, &edits).unwrap(), "{edits:?}");
        }
    }

    #[test]
    fn yaml_shapes_that_are_not_simple_go_through_yaml_edit() {
        for text in [
            "base: &b {x: 1}\napp:\n  <<: *b\n  y: 2\n",
            "a: 1\n---\na: 2\n",
            "a: &x 1\nb: *x\n",
            "a: {b: 1}\n",
            "a:\n  - b: 1\n",
            "a: |\n  text\n",
        ] {
            let first = parse(text, Format::Yaml);
            let path = match first.as_map().unwrap().keys().last().unwrap().as_str() {
                "app" => "app.y",
                "b" => "b",
                _ => "a",
            };
            let edits = [edit(path, Some("5"))];
            let (_, rest) = yaml_splice(text, &edits);
            assert_eq!(rest.len(), 1, "{text}");
        }
    }

    #[test]
    fn json_scalars_in_many_places_are_replaced_in_one_pass() {
        let mut text = String::from("{\n");
        for i in 0..300 {
            text.push_str(&format!("  \"k{i}\": {{\"é\": {i}, \"s\": \"v{i}\"}},\n"));
        }
        text.push_str("  \"last\": [1, 2]\n}\n");
        let edits: Vec<Edit> = (0..300)
            .rev()
            .flat_map(|i| {
                [
                    Edit {
                        path: vec![format!("k{i}"), "é".into()],
                        value: Some(parse(&format!("{}", i * 2), Format::Yaml)),
                    },
                    Edit {
                        path: vec![format!("k{i}"), "s".into()],
                        value: Some(parse(&format!("\"w{i}\""), Format::Yaml)),
                    },
                ]
            })
            .collect();
        let out = run(&text, Format::Json, &edits);
        let mut reference = text.clone();
        for i in 0..300 {
            reference = reference.replace(
                &format!("\"k{i}\": {{\"é\": {i}, \"s\": \"v{i}\"}}"),
                &format!("\"k{i}\": {{\"é\": {}, \"s\": \"w{i}\"}}", i * 2),
            );
        }
        assert_eq!(out, reference);
    }
}
