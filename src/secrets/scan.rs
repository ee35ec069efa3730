//! Finds every scalar leaf and comment of a YAML or JSON secret file with its byte span and
//! key path, so values can be swapped for `ENC[...]` (and back) in place: keys, order,
//! formatting and clear-text values stay byte-identical, and an unchanged value keeps its line.

use crate::document::{Value, resolve_plain_scalar};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::ops::Range;

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    /// `|` or `>`; the span starts at the indicator.
    Block,
}

/// One scalar value of the data (never a key, never inside the `sops` block).
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Mapping keys from the root; list indices are not part of it (sops's AAD rule).
    pub path: Vec<String>,
    pub span: Range<usize>,
    pub value: Value,
    pub style: Style,
    pub in_flow: bool,
    /// The column a block scalar written here must be indented past: the key's column, or
    /// the `-` of a list item.
    pub base_column: usize,
    /// A direct item of a list (sops writes encrypted list comments as such items).
    pub list_item: bool,
}

/// A `# comment` outside any scalar.
#[derive(Debug, Clone)]
pub struct Comment {
    /// From the `#` to the end of the line (newline excluded).
    pub span: Range<usize>,
    /// The path of the enclosing mapping: the AAD sops uses for comments.
    pub path: Vec<String>,
    /// Inside a block list: sops would turn it into a list element.
    pub in_list: bool,
}

/// Everything found in one document.
#[derive(Debug, Default)]
pub struct Scan {
    pub leaves: Vec<Leaf>,
    pub comments: Vec<Comment>,
    /// The bytes of the top-level `sops` entry, cut out to get the plain document.
    pub sops_entry: Option<Range<usize>>,
    /// The root mapping is a flow mapping (JSON).
    pub flow_root: bool,
    /// Byte offset of the root mapping's closing `}` (flow root only).
    pub root_close: Option<usize>,
    /// The root mapping holds at least one entry besides `sops`.
    pub has_data: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ScanError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

enum Frame {
    Map {
        flow: bool,
        want_key: bool,
        key_column: usize,
    },
    Seq {
        flow: bool,
        column: usize,
    },
}

struct Key {
    offset: usize,
    column: usize,
    parent: Vec<String>,
}

/// Converts the parser's character indexes into byte offsets.
struct Offsets {
    bytes_of_char: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let bytes_of_char = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            v.push(text.len());
            v
        });
        Offsets {
            bytes_of_char,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes_of_char {
            Some(v) => v.get(char_index).copied().unwrap_or(self.len),
            None => char_index.min(self.len),
        }
    }
}

fn column_of(text: &str, offset: usize) -> usize {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset].chars().count()
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn error_at(text: &str, offset: usize, message: impl Into<String>) -> ScanError {
    let line = text[..offset].matches('\n').count() + 1;
    ScanError {
        line,
        column: column_of(text, offset) + 1,
        message: message.into(),
    }
}

/// Scans one YAML (or JSON) document. Only a mapping at the top, one document, no aliases:
/// the shapes sops itself round-trips.
pub fn scan(text: &str) -> Result<Scan, ScanError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut out = Scan::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut keys: Vec<Key> = Vec::new();
    let mut scalar_spans: Vec<Range<usize>> = Vec::new();
    let mut lists: Vec<(Range<usize>, usize)> = Vec::new();
    let mut open_lists: Vec<(usize, usize)> = Vec::new();
    let mut documents = 0;
    // Depth of the `sops` value being skipped, and where its entry started.
    let mut in_sops: Option<usize> = None;
    let mut sops_start = 0;
    let mut last_top_value_end = 0;

    let span_range = |span: &Span| offsets.byte(span.start.index())..offsets.byte(span.end.index());

    // After a complete value: the enclosing mapping expects its next key.
    fn value_done(stack: &mut [Frame], path: &mut Vec<String>) {
        if let Some(Frame::Map { want_key, .. }) = stack.last_mut() {
            *want_key = true;
            path.pop();
        }
    }

    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let offset = offsets.byte(e.marker().index());
            error_at(text, offset, e.info().to_string())
        })?;
        let range = span_range(&span);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(error_at(
                        text,
                        range.start,
                        "secret files hold one document (found `---`)",
                    ));
                }
            }
            Event::Alias(_) => {
                return Err(error_at(
                    text,
                    range.start,
                    "aliases (`*name`) are not supported in secret files",
                ));
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let flow = matches!(text.as_bytes().get(range.start), Some(b'{' | b'['));
                let is_map = matches!(event, Event::MappingStart(..));
                if stack.is_empty() {
                    if !is_map {
                        return Err(error_at(
                            text,
                            range.start,
                            "the top level of a secret file must be a mapping",
                        ));
                    }
                    out.flow_root = flow;
                }
                if let Some(Frame::Map { want_key: true, .. }) = stack.last() {
                    return Err(error_at(text, range.start, "mapping keys must be strings"));
                }
                if is_map {
                    stack.push(Frame::Map {
                        flow,
                        want_key: true,
                        key_column: 0,
                    });
                } else {
                    let column = column_of(text, range.start);
                    if !flow {
                        open_lists.push((range.start, column));
                    }
                    stack.push(Frame::Seq { flow, column });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Frame::Seq { flow: false, .. }) = stack.pop()
                    && let Some((start, column)) = open_lists.pop()
                {
                    lists.push((start..range.start.max(start), column));
                }
                if stack.is_empty() {
                    if out.flow_root {
                        out.root_close = Some(range.start);
                    }
                    continue;
                }
                if stack.len() == 1 {
                    if let Some(depth) = in_sops
                        && depth == 1
                    {
                        in_sops = None;
                        out.sops_entry = Some(sops_start..range.end);
                    } else {
                        last_top_value_end = range.end;
                    }
                }
                value_done(&mut stack, &mut path);
            }
            Event::Scalar(value, style, _, _) => {
                let want_key = matches!(stack.last(), Some(Frame::Map { want_key: true, .. }));
                if want_key {
                    let column = column_of(text, range.start);
                    if let Some(Frame::Map {
                        want_key,
                        key_column,
                        ..
                    }) = stack.last_mut()
                    {
                        *want_key = false;
                        *key_column = column;
                    }
                    scalar_spans.push(range.clone());
                    if stack.len() == 1 {
                        if value == "sops" {
                            sops_start = match (out.flow_root, out.has_data) {
                                // Cut from the end of the previous member: its comma goes too.
                                (true, true) => last_top_value_end,
                                (true, false) => range.start,
                                (false, _) => line_start(text, range.start),
                            };
                            in_sops = Some(1);
                        } else {
                            out.has_data = true;
                            if in_sops.is_none() && out.sops_entry.is_some() && !out.flow_root {
                                return Err(error_at(
                                    text,
                                    range.start,
                                    "`sops` must be the last top-level key",
                                ));
                            }
                        }
                    }
                    if in_sops.is_none() {
                        keys.push(Key {
                            offset: range.start,
                            column,
                            parent: path.clone(),
                        });
                    }
                    path.push(value.into_owned());
                    continue;
                }
                scalar_spans.push(range.clone());
                let in_flow = stack.iter().any(|f| {
                    matches!(
                        f,
                        Frame::Map { flow: true, .. } | Frame::Seq { flow: true, .. }
                    )
                });
                let (list_item, base_column) = match stack.last() {
                    Some(Frame::Seq { column, .. }) => (true, *column),
                    Some(Frame::Map { key_column, .. }) => (false, *key_column),
                    None => (false, 0),
                };
                if stack.is_empty() {
                    return Err(error_at(
                        text,
                        range.start,
                        "the top level of a secret file must be a mapping",
                    ));
                }
                let (span, style, value) = match style {
                    ScalarStyle::Plain => {
                        (range.clone(), Style::Plain, resolve_plain_scalar(&value))
                    }
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => (
                        range.clone(),
                        Style::Quoted,
                        Value::String(value.into_owned()),
                    ),
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        let start = block_header(text, range.start).ok_or_else(|| {
                            error_at(
                                text,
                                range.start,
                                "cannot find the block scalar's `|` or `>`",
                            )
                        })?;
                        // The parser's end can include the next line's indentation.
                        let end = match text[start..range.end].rfind('\n') {
                            Some(i) => start + i + 1,
                            None => range.end,
                        };
                        (start..end, Style::Block, Value::String(value.into_owned()))
                    }
                };
                if in_sops.is_none() {
                    out.leaves.push(Leaf {
                        path: path.clone(),
                        span: span.clone(),
                        value,
                        style,
                        in_flow,
                        base_column,
                        list_item,
                    });
                }
                if stack.len() == 1 {
                    if in_sops == Some(1) {
                        in_sops = None;
                        out.sops_entry = Some(sops_start..span.end);
                    } else {
                        last_top_value_end = span.end;
                    }
                }
                value_done(&mut stack, &mut path);
            }
            _ => {}
        }
    }
    // A block-style `sops` entry runs to the end of its lines.
    if let Some(entry) = &mut out.sops_entry
        && !out.flow_root
    {
        entry.end = text.len();
    }
    if !out.flow_root {
        out.comments = comments(text, &scalar_spans, &keys, &lists, out.sops_entry.as_ref());
    }
    Ok(out)
}

/// Finds where a block scalar's header (`|`, `>-`, `|2+` …) starts, looking back from the
/// first character of its content.
fn block_header(text: &str, content_start: usize) -> Option<usize> {
    let before = &text[..content_start];
    // The header is on the last line before the content that is not blank.
    let mut end = before.trim_end_matches([' ', '\t']).len();
    loop {
        let line_begin = before[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = &before[line_begin..end];
        if line.trim().is_empty() && line_begin > 0 {
            end = line_begin - 1;
            continue;
        }
        // Strip a trailing comment, then expect the indicator and its modifiers at the end.
        let code = match line.find(" #") {
            Some(i) => &line[..i],
            None => line,
        }
        .trim_end();
        let indicator = code.rfind(['|', '>'])?;
        let modifiers = &code[indicator + 1..];
        if modifiers
            .chars()
            .all(|c| matches!(c, '-' | '+' | '0'..='9'))
        {
            return Some(line_begin + indicator);
        }
        return None;
    }
}

fn comments(
    text: &str,
    scalars: &[Range<usize>],
    keys: &[Key],
    lists: &[(Range<usize>, usize)],
    sops: Option<&Range<usize>>,
) -> Vec<Comment> {
    let mut spans: Vec<&Range<usize>> = scalars.iter().collect();
    spans.sort_by_key(|r| r.start);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut next_span = 0;
    let mut i = 0;
    while i < bytes.len() {
        while next_span < spans.len() && spans[next_span].end <= i {
            next_span += 1;
        }
        if let Some(span) = spans.get(next_span)
            && span.start <= i
        {
            i = span.end.max(i + 1);
            continue;
        }
        if sops.is_some_and(|s| s.contains(&i)) {
            break;
        }
        if bytes[i] == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r')) {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            let end = if text[..end].ends_with('\r') {
                end - 1
            } else {
                end
            };
            let column = column_of(text, i);
            let path = keys
                .iter()
                .rev()
                .find(|k| k.offset < i && k.column <= column)
                .map(|k| k.parent.clone())
                .unwrap_or_default();
            let in_list = lists.iter().any(|(range, list_column)| {
                range.start < i && i < range.end && column >= *list_column
            });
            out.push(Comment {
                span: i..end,
                path,
                in_list,
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_leaves_with_paths_without_list_indices() {
        let text = "a: 1\nb:\n  c: 'x'\n  d:\n    - y\n    - {e: z}\nf: |\n  two\n  lines\n";
        let scan = scan(text).unwrap();
        let got: Vec<(String, &str)> = scan
            .leaves
            .iter()
            .map(|l| (l.path.join(":"), &text[l.span.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                ("a".to_string(), "1"),
                ("b:c".into(), "'x'"),
                ("b:d".into(), "y"),
                ("b:d:e".into(), "z"),
                ("f".into(), "|\n  two\n  lines\n"),
            ]
        );
        assert!(scan.leaves[3].in_flow);
        assert!(scan.leaves[2].list_item);
    }

    #[test]
    fn comments_take_the_path_of_the_enclosing_mapping() {
        let text = "# top\napp:\n    db:\n        user: x\n        # about db\n    key: y # inline\nlist:\n    - a\n    # in list\n    - b\n";
        let scan = scan(text).unwrap();
        let got: Vec<(&str, String, bool)> = scan
            .comments
            .iter()
            .map(|c| (&text[c.span.clone()], c.path.join(":"), c.in_list))
            .collect();
        assert_eq!(
            got,
            [
                ("# top", String::new(), false),
                ("# about db", "app:db".into(), false),
                ("# inline", "app".into(), false),
                ("# in list", "".into(), true),
            ]
        );
    }

    #[test]
    fn the_sops_entry_is_found_in_yaml_and_json() {
        let yaml = "a: 1\nsops:\n    mac: x\n    version: 3.13.2\n";
        let scan_yaml = scan(yaml).unwrap();
        assert_eq!(
            &yaml[scan_yaml.sops_entry.unwrap()],
            "sops:\n    mac: x\n    version: 3.13.2\n"
        );
        assert_eq!(scan_yaml.leaves.len(), 1);
        let json = "{\n\t\"a\": \"x\",\n\t\"sops\": {\n\t\t\"mac\": \"m\"\n\t}\n}\n";
        let scan_json = scan(json).unwrap();
        let cut = scan_json.sops_entry.unwrap();
        let mut plain = json.to_string();
        plain.replace_range(cut, "");
        assert_eq!(plain, "{\n\t\"a\": \"x\"\n}\n");
        assert!(scan_json.flow_root);
    }

    #[test]
    fn refuses_what_sops_cannot_round_trip() {
        assert!(scan("- a\n- b\n").is_err());
        assert!(scan("a: &x 1\nb: *x\n").is_err());
        assert!(scan("a: 1\n---\nb: 2\n").is_err());
    }

    #[test]
    fn non_ascii_text_gets_byte_spans() {
        let text = "é: ünïcode\nb: x\n";
        let scan = scan(text).unwrap();
        assert_eq!(&text[scan.leaves[0].span.clone()], "ünïcode");
        assert_eq!(&text[scan.leaves[1].span.clone()], "x");
    }
}
