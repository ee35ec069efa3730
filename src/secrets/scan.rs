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
    /// The path of the mapping or list sops files the comment under (the AAD it uses for
    /// comments): the collection yaml.v3 attaches it to.
    pub path: Vec<String>,
    /// Filed under a block list: sops writes it as a list item, at this column (the list's
    /// `-`).
    pub list_column: Option<usize>,
    /// Written after other content on its line.
    pub inline: bool,
}

impl Comment {
    pub fn in_list(&self) -> bool {
        self.list_column.is_some()
    }
}

/// A block mapping or list, from its first key or `-` to the token that ends it.
#[derive(Debug, Clone)]
struct Container {
    range: Range<usize>,
    /// The column a comment must reach to be filed under this collection: a mapping's key
    /// column; for a list, the lesser of its `-` column and its key's (yaml.v3 files a
    /// comment at the key's column after the items under the list).
    indent: usize,
    path: Vec<String>,
    /// The `-` column, for a list.
    dash: Option<usize>,
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
    /// The path of every block collection, once each, in order.
    pub paths: Vec<Vec<String>>,
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
    // The YAML parser refuses the surrogate pairs JSON writes for characters outside the BMP
    // (`"\ud83d\ude80"`, Python's `json.dump`): it reads a copy with each masked, and such
    // strings are decoded from the original text.
    let masked = text
        .trim_start()
        .starts_with('{')
        .then(|| mask_surrogates(text))
        .flatten();
    let mut parser = Parser::new_from_str(masked.as_deref().unwrap_or(text));
    let mut out = Scan::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut keys: Vec<Key> = Vec::new();
    let mut scalar_spans: Vec<Range<usize>> = Vec::new();
    let mut containers: Vec<Container> = Vec::new();
    let mut open_containers: Vec<Option<Container>> = Vec::new();
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
        let mut range = span_range(&span);
        // The parser's span of a quoted scalar can run on over a comment after it
        // (`"x" # note` ends at the line's end): end it at its closing quote.
        if let Event::Scalar(_, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted, ..) = &event
        {
            range.end = quoted_end(text, range.start).unwrap_or(range.end);
        }
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
                let column = column_of(text, range.start);
                let open = (!flow).then(|| {
                    let dash = (!is_map).then_some(column);
                    let indent = match (is_map, stack.last()) {
                        (false, Some(Frame::Map { key_column, .. })) => column.min(*key_column),
                        _ => column,
                    };
                    Container {
                        range: range.start..text.len(),
                        indent,
                        path: path.clone(),
                        dash,
                    }
                });
                open_containers.push(open);
                if is_map {
                    stack.push(Frame::Map {
                        flow,
                        want_key: true,
                        key_column: 0,
                    });
                } else {
                    stack.push(Frame::Seq { flow, column });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                if let Some(Some(mut container)) = open_containers.pop() {
                    container.range.end = range.start.max(container.range.start);
                    containers.push(container);
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
            Event::Scalar(mut value, style, _, _) => {
                if masked.is_some() && style == ScalarStyle::DoubleQuoted {
                    let original = &text[range.clone()];
                    if mask_surrogates(original).is_some() {
                        let decoded: String = serde_json::from_str(original).map_err(|_| {
                            error_at(
                                text,
                                range.start,
                                "a string with \\u surrogate escapes must be a JSON string",
                            )
                        })?;
                        value = decoded.into();
                    }
                }
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
        for container in &containers {
            if !out.paths.contains(&container.path) {
                out.paths.push(container.path.clone());
            }
        }
        out.comments = comments(
            text,
            &scalar_spans,
            &keys,
            &containers,
            out.sops_entry.as_ref(),
        );
    }
    Ok(out)
}

/// The text with every `\uD800`–`\uDFFF` escape replaced by `\u003F` (same length, so
/// spans still fit the original), or `None` when there is none.
fn mask_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i + 6 <= bytes.len() {
        if bytes[i] == b'\\' {
            if bytes[i + 1] == b'u'
                && matches!(bytes[i + 2], b'd' | b'D')
                && matches!(bytes[i + 3], b'8' | b'9' | b'a'..=b'f' | b'A'..=b'F')
                && bytes[i + 4].is_ascii_hexdigit()
                && bytes[i + 5].is_ascii_hexdigit()
            {
                out.get_or_insert_with(|| bytes.to_vec())[i..i + 6].copy_from_slice(b"\\u003F");
                i += 6;
            } else {
                // An escaped character (`\\` included) is skipped whole.
                i += 2;
            }
            continue;
        }
        i += 1;
    }
    out.map(|v| String::from_utf8(v).expect("ASCII replaced by ASCII"))
}

/// The offset just past the closing quote of the quoted scalar starting at `start`.
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(start)?;
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
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
    containers: &[Container],
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
            let (path, list_column, inline) = file_comment(text, i, keys, containers);
            out.push(Comment {
                span: i..end,
                path,
                list_column,
                inline,
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// Where sops (through yaml.v3) files the comment at `at`: the path of the collection, the
/// `-` column when that is a list, and whether the comment is inline.
///
/// - inline after a key (`a: 1 # c`, `a: # c`): the key's mapping; after a list item
///   (`- x # c`): the list;
/// - on its own line before a key or `-` at its own column: that key's mapping or that list
///   (so a comment before the first key of a nested mapping belongs to it);
/// - otherwise (the end of a block): the innermost collection it is inside whose indentation
///   it reaches.
fn file_comment(
    text: &str,
    at: usize,
    keys: &[Key],
    containers: &[Container],
) -> (Vec<String>, Option<usize>, bool) {
    let begin = line_start(text, at);
    let column = column_of(text, at);
    let innermost_list = |offset: usize, dash: Option<usize>| {
        containers
            .iter()
            .filter(|c| c.dash.is_some() && c.range.start <= offset && offset < c.range.end)
            .filter(|c| dash.is_none() || c.dash == dash)
            .max_by_key(|c| c.range.start)
    };
    if !text[begin..at].trim().is_empty() {
        if let Some(key) = keys
            .iter()
            .rev()
            .find(|k| begin <= k.offset && k.offset < at)
        {
            return (key.parent.clone(), None, true);
        }
        if text[begin..at].trim_start().starts_with('-')
            && let Some(list) = innermost_list(at, None)
        {
            return (list.path.clone(), list.dash, true);
        }
    } else if let Some((next, indent)) = next_content_line(text, at)
        && indent == column
    {
        let first = next + indent;
        if text[first..].starts_with('-')
            && let Some(list) = innermost_list(first, Some(column))
        {
            return (list.path.clone(), list.dash, false);
        }
        if let Some(key) = keys.iter().find(|k| k.offset == first) {
            return (key.parent.clone(), None, false);
        }
    }
    let inline = !text[begin..at].trim().is_empty();
    match containers
        .iter()
        .filter(|c| c.range.start < at && at < c.range.end && c.indent <= column)
        .max_by_key(|c| c.range.start)
    {
        Some(container) => (container.path.clone(), container.dash, inline),
        None => (Vec::new(), None, inline),
    }
}

/// The start and indentation of the first line after `at`'s line that holds data (not blank,
/// not a comment).
fn next_content_line(text: &str, at: usize) -> Option<(usize, usize)> {
    let mut offset = text[at..].find('\n').map(|n| at + n + 1)?;
    while offset < text.len() {
        let line_end = text[offset..].find('\n').map_or(text.len(), |n| offset + n);
        let line = &text[offset..line_end];
        let trimmed = line.trim_start_matches(' ');
        let content = trimmed.trim();
        if !content.is_empty() && !content.starts_with('#') {
            return Some((offset, line.len() - trimmed.len()));
        }
        offset = line_end + 1;
    }
    None
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
            .map(|c| (&text[c.span.clone()], c.path.join(":"), c.in_list()))
            .collect();
        assert_eq!(
            got,
            [
                ("# top", String::new(), false),
                ("# about db", "app:db".into(), false),
                ("# inline", "app".into(), false),
                ("# in list", "list".into(), true),
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
    fn json_surrogate_pairs_are_read() {
        let text = "{\"u\": \"\\ud83d\\ude80 go\", \"\\ud83d\\ude00\": \"\\\\ud83d\"}";
        let scan = scan(text).unwrap();
        assert_eq!(scan.leaves[0].value, Value::String("\u{1F680} go".into()));
        assert_eq!(scan.leaves[1].path, ["\u{1F600}"]);
        assert_eq!(scan.leaves[1].value, Value::String("\\ud83d".into()));
    }

    #[test]
    fn a_quoted_value_ends_at_its_quote_not_at_the_comment_after_it() {
        let text = "a:\n  \"k\": \"x \\\" y\" # one\n  j: 'it''s' # two\n";
        let scan = scan(text).unwrap();
        let spans: Vec<&str> = scan.leaves.iter().map(|l| &text[l.span.clone()]).collect();
        assert_eq!(spans, ["\"x \\\" y\"", "'it''s'"]);
        let comments: Vec<&str> = scan
            .comments
            .iter()
            .map(|c| &text[c.span.clone()])
            .collect();
        assert_eq!(comments, ["# one", "# two"]);
    }

    #[test]
    fn non_ascii_text_gets_byte_spans() {
        let text = "é: ünïcode\nb: x\n";
        let scan = scan(text).unwrap();
        assert_eq!(&text[scan.leaves[0].span.clone()], "ünïcode");
        assert_eq!(&text[scan.leaves[1].span.clone()], "x");
    }
}
