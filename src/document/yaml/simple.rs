//! A fast path for the block YAML that configuration is written in.
//!
//! Most configuration files use a small part of YAML: block mappings and sequences, one-line
//! plain and quoted scalars, comments. Reading those with the general parser was the largest
//! single cost of a cold `validate` (its scanner is built for all of YAML). This reader walks
//! the lines of such a file and feeds the same [`Builder`] the same events, with the same
//! positions, that saphyr-parser would; scalar resolution, duplicate keys and limits stay in
//! one place.
//!
//! It accepts only what it is sure of. Anything else (flow collections, anchors, aliases, tags,
//! block and multi-line scalars, escapes, tabs, documents markers, every error) makes it give
//! up, and the full parser reads the file from the start, so a result or an error message never
//! depends on which reader ran. The tests compare the two readers on generated documents.

use super::Builder;
use crate::document::{Limits, Node};
use saphyr_parser::{Event, Marker, ScalarStyle, Span};
use std::borrow::Cow;

/// Parses `text` if it is simple block YAML; `None` leaves it, errors included, to the full
/// parser.
pub(super) fn parse(text: &str, limits: &Limits) -> Option<Vec<Node>> {
    if !plain_characters(text) {
        return None;
    }
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        lines: lines(text)?,
        // Errors never leave this reader, so there is nothing to redact.
        builder: Builder {
            duplicates_at_value: true,
            ..Builder::new(limits, false)
        },
        depth: 0,
        max_depth: limits.max_depth,
    };
    reader.document()?;
    Some(reader.builder.finish())
}

/// Whether every character is one this reader handles the way the full parser does: no tabs,
/// carriage returns or other control characters, no byte order mark, none of the characters
/// YAML readers disagree on as line breaks.
fn plain_characters(text: &str) -> bool {
    crate::document::printable_text(text.as_bytes(), false)
        && (text.is_ascii()
            || !text.chars().any(|c| {
                matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{feff}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

/// One line of the text: byte range without its line break, and its indentation in spaces.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    indent: usize,
    /// Neither blank nor only a comment.
    content: bool,
}

/// Splits the text into lines; `None` for directives and document markers, which the full
/// parser handles.
fn lines(text: &str) -> Option<Vec<Line>> {
    let text = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 20 + 1);
    let mut start = 0;
    // The last line is the text after the last line break (empty after a final one).
    for end in memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len())) {
        let bytes = &text[start..end];
        if bytes.starts_with(b"---") || bytes.starts_with(b"...") || bytes.starts_with(b"%") {
            return None;
        }
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        out.push(Line {
            start,
            end,
            indent,
            content: indent < bytes.len() && bytes[indent] != b'#',
        });
        start = end + 1;
    }
    Some(out)
}

/// Characters that cannot start a plain scalar (`-`, `?` and `:` can when a non-space
/// follows; this reader leaves those to the full parser, but for `-` in values like `-1`).
fn indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// A mapping key on a line.
struct Key<'t> {
    text: Cow<'t, str>,
    style: ScalarStyle,
    /// Byte offset of its `:`.
    colon: usize,
}

/// A block collection about to be read.
enum Block<'t> {
    /// A sequence; an `indentless` one sits at its key's own indentation.
    Sequence { indentless: bool },
    /// A mapping, with its first key.
    Mapping(Key<'t>),
}

/// A scalar on a line.
struct Scalar<'t> {
    text: Cow<'t, str>,
    style: ScalarStyle,
    /// Byte offset just past it.
    end: usize,
}

/// Keys longer than this are not simple keys to YAML (the spec's limit).
const MAX_KEY_BYTES: usize = 1024;

/// The bytes a plain key is looked at for: where it may end, or stop being simple.
static KEY_STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut i = 0;
    let bytes = b":#,[]{}";
    while i < bytes.len() {
        stops[bytes[i] as usize] = true;
        i += 1;
    }
    stops
};

struct Reader<'t, 'l> {
    text: &'t str,
    bytes: &'t [u8],
    lines: Vec<Line>,
    builder: Builder<'l>,
    depth: usize,
    max_depth: usize,
}

impl<'t> Reader<'t, '_> {
    fn document(&mut self) -> Option<()> {
        // An empty or comment-only file is left to the full parser.
        let first = self.next_content(0)?;
        self.emit(Event::StreamStart, 0, 0)?;
        self.emit(Event::DocumentStart(false), 0, 0)?;
        let at = self.first_byte(first);
        let next = self.node(first, at)?;
        if self.next_content(next).is_some() {
            return None;
        }
        let last = self.lines.len() - 1;
        let end = self.lines[last].end;
        self.emit(Event::DocumentEnd, last, end)?;
        self.emit(Event::StreamEnd, last, end)
    }

    /// A block mapping or sequence starting at byte `at` of `line`; returns the index of the
    /// first line it did not consume.
    fn node(&mut self, line: usize, at: usize) -> Option<usize> {
        let block = self.block_at(line, at)?;
        self.block(line, at, block)
    }

    /// What starts at byte `at` of `line`: a sequence item, or a mapping entry (its key read
    /// once); `None` for a scalar on a line of its own, or something this reader does not know.
    fn block_at(&self, line: usize, at: usize) -> Option<Block<'t>> {
        if self.is_dash(line, at) {
            Some(Block::Sequence { indentless: false })
        } else {
            self.key(line, at).map(Block::Mapping)
        }
    }

    /// Reads a block one nesting level down, within the depth limit.
    fn block(&mut self, line: usize, at: usize, block: Block<'t>) -> Option<usize> {
        self.depth += 1;
        let next = if self.depth > self.max_depth {
            None
        } else {
            match block {
                Block::Sequence { indentless } => self.sequence(line, at, indentless),
                Block::Mapping(first) => self.mapping(line, at, first),
            }
        };
        self.depth -= 1;
        next
    }

    /// A block mapping whose `first` key starts at byte `at` of `line`.
    fn mapping(&mut self, mut line: usize, mut at: usize, first: Key<'t>) -> Option<usize> {
        let indent = at - self.lines[line].start;
        self.emit(Event::MappingStart(0, None), line, at)?;
        let mut key = first;
        let next = loop {
            let colon = key.colon;
            self.emit(Event::Scalar(key.text, key.style, 0, None), line, at)?;
            let after = self.value(line, colon, indent)?;
            let Some(n) = self.next_content(after) else {
                break self.lines.len();
            };
            let l = self.lines[n];
            if l.indent > indent {
                return None;
            }
            // A `-` at this indentation after a complete entry is not part of this mapping;
            // whoever holds it decides (and gives up: it is not valid there).
            if l.indent < indent || self.is_dash(n, l.start + l.indent) {
                break n;
            }
            (line, at) = (n, l.start + l.indent);
            key = self.key(line, at)?;
        };
        self.emit_end(Event::MappingEnd, next)?;
        Some(next)
    }

    /// The value after the `:` at byte `colon` of `line`, of a key indented by `indent`.
    fn value(&mut self, line: usize, colon: usize, indent: usize) -> Option<usize> {
        let l = self.lines[line];
        let at = self.skip_spaces(colon + 1, l.end);
        if at == l.end || self.bytes[at] == b'#' {
            return match self.next_content(line + 1) {
                Some(n) if self.lines[n].indent > indent => self.node(n, self.first_byte(n)),
                // A sequence may sit at its key's own indentation.
                Some(n)
                    if self.lines[n].indent == indent && self.is_dash(n, self.first_byte(n)) =>
                {
                    self.block(n, self.first_byte(n), Block::Sequence { indentless: true })
                }
                // No value: the full parser reports a null positioned at the `:`.
                _ => {
                    self.emit(
                        Event::Scalar(Cow::Borrowed("~"), ScalarStyle::Plain, 0, None),
                        line,
                        colon,
                    )?;
                    Some(line + 1)
                }
            };
        }
        self.inline_value(line, at, indent)
    }

    /// A block sequence whose first `-` is at byte `at` of `line`. An `indentless` one sits at
    /// its key's indentation; the full parser positions those at their first item.
    fn sequence(&mut self, mut line: usize, mut at: usize, indentless: bool) -> Option<usize> {
        let indent = at - self.lines[line].start;
        let start = if indentless {
            let item = self.skip_spaces(at + 1, self.lines[line].end);
            if item == self.lines[line].end || self.bytes[item] == b'#' {
                return None;
            }
            item
        } else {
            at
        };
        self.emit(Event::SequenceStart(0, None), line, start)?;
        let next = loop {
            let l = self.lines[line];
            let item = self.skip_spaces(at + 1, l.end);
            let after = if item == l.end || self.bytes[item] == b'#' {
                // The item is on the lines below; an empty item is left to the full parser.
                let n = self.next_content(line + 1)?;
                if self.lines[n].indent <= indent {
                    return None;
                }
                self.node(n, self.first_byte(n))?
            } else if let Some(block) = self.block_at(line, item) {
                self.block(line, item, block)?
            } else {
                self.inline_value(line, item, indent)?
            };
            match self.next_content(after) {
                Some(n)
                    if self.lines[n].indent == indent && self.is_dash(n, self.first_byte(n)) =>
                {
                    (line, at) = (n, self.first_byte(n));
                }
                Some(n) if self.lines[n].indent > indent => return None,
                other => break other.unwrap_or(self.lines.len()),
            }
        };
        self.emit_end(Event::SequenceEnd, next)?;
        Some(next)
    }

    /// A scalar or one-line flow collection that ends its line, as the value of a key or a
    /// sequence item indented by `indent`; returns the next line.
    fn inline_value(&mut self, line: usize, at: usize, indent: usize) -> Option<usize> {
        let end = match self.bytes[at] {
            b'[' | b'{' => self.flow(line, at, self.depth + 1)?,
            b'"' | b'\'' => {
                let scalar = self.quoted(line, at)?;
                self.emit(Event::Scalar(scalar.text, scalar.style, 0, None), line, at)?;
                scalar.end
            }
            _ => {
                let scalar = self.plain(line, at)?;
                self.emit(Event::Scalar(scalar.text, scalar.style, 0, None), line, at)?;
                scalar.end
            }
        };
        if !self.only_comment_after(line, end) {
            return None;
        }
        // A more indented line below continues a plain scalar (or is an error): either way,
        // not simple.
        if let Some(n) = (line + 1..self.lines.len()).find(|&i| {
            let l = self.lines[i];
            l.indent < l.end - l.start
        }) && self.lines[n].indent > indent
        {
            return None;
        }
        Some(line + 1)
    }

    /// A flow collection (`[a, b]`, `{k: v}`) closed on the line it opens, at byte `at` and
    /// nesting `depth`; returns the byte just past its closing bracket.
    fn flow(&mut self, line: usize, at: usize, depth: usize) -> Option<usize> {
        if depth > self.max_depth {
            return None;
        }
        let end = self.lines[line].end;
        let b = self.bytes;
        let map = b[at] == b'{';
        let close = if map { b'}' } else { b']' };
        let (open_event, close_event) = if map {
            (Event::MappingStart(0, None), Event::MappingEnd)
        } else {
            (Event::SequenceStart(0, None), Event::SequenceEnd)
        };
        self.emit(open_event, line, at)?;
        let mut p = self.skip_spaces(at + 1, end);
        if p < end && b[p] == close {
            self.emit(close_event, line, p)?;
            return Some(p + 1);
        }
        loop {
            if map {
                let key = self.flow_scalar(line, p, true)?;
                self.emit(Event::Scalar(key.text, key.style, 0, None), line, p)?;
                let colon = self.skip_spaces(key.end, end);
                if colon + 1 >= end || b[colon] != b':' || b[colon + 1] != b' ' {
                    return None;
                }
                p = self.skip_spaces(colon + 1, end);
            }
            if p >= end {
                return None;
            }
            p = match b[p] {
                b'[' | b'{' => self.flow(line, p, depth + 1)?,
                _ => {
                    let scalar = self.flow_scalar(line, p, false)?;
                    self.emit(Event::Scalar(scalar.text, scalar.style, 0, None), line, p)?;
                    scalar.end
                }
            };
            p = self.skip_spaces(p, end);
            if p >= end {
                return None;
            }
            if b[p] == close {
                self.emit(close_event, line, p)?;
                return Some(p + 1);
            }
            if b[p] != b',' {
                return None;
            }
            p = self.skip_spaces(p + 1, end);
            // A trailing or doubled comma is left to the full parser.
            if p >= end || b[p] == close || b[p] == b',' {
                return None;
            }
        }
    }

    /// A scalar inside a flow collection: quoted, or plain up to a flow indicator (a `key`
    /// up to its `: `).
    fn flow_scalar(&self, line: usize, at: usize, key: bool) -> Option<Scalar<'t>> {
        let end = self.lines[line].end;
        let b = self.bytes;
        if b[at] == b'"' || b[at] == b'\'' {
            return self.quoted(line, at);
        }
        let dash_number = b[at] == b'-'
            && at + 1 < end
            && !matches!(b[at + 1], b' ' | b',' | b'[' | b']' | b'{' | b'}');
        if indicator(b[at]) && !dash_number {
            return None;
        }
        let mut p = at;
        while p < end {
            match b[p] {
                b',' | b'[' | b']' | b'{' | b'}' => break,
                b':' if key && p + 1 < end && b[p + 1] == b' ' => break,
                b':' if p + 1 == end
                    || matches!(b[p + 1], b' ' | b',' | b'[' | b']' | b'{' | b'}') =>
                {
                    return None;
                }
                b'#' if b[p - 1] == b' ' => return None,
                // A word starting with an indicator after a space: the full parser may read a
                // new token there (`5m -}` is an error to it).
                c if p > at && b[p - 1] == b' ' && indicator(c) => return None,
                _ => p += 1,
            }
        }
        let text = self.text[at..p].trim_end_matches(' ');
        if text.is_empty() {
            return None;
        }
        Some(Scalar {
            text: Cow::Borrowed(text),
            style: ScalarStyle::Plain,
            end: at + text.len(),
        })
    }

    /// The key of a mapping entry starting at byte `at`, if the line holds one there.
    fn key(&self, line: usize, at: usize) -> Option<Key<'t>> {
        let l = self.lines[line];
        let b = self.bytes;
        let (text, style, end) = match b[at] {
            b'"' | b'\'' => {
                let s = self.quoted(line, at)?;
                (s.text, s.style, s.end)
            }
            c if !indicator(c) => {
                let mut p = at;
                loop {
                    // Most bytes of a key are none of these: skip them with one lookup each.
                    while p < l.end && !KEY_STOPS[usize::from(b[p])] {
                        p += 1;
                    }
                    if p == l.end {
                        break;
                    }
                    match b[p] {
                        b':' if p + 1 == l.end || b[p + 1] == b' ' => break,
                        b'#' if b[p - 1] == b' ' => return None,
                        b',' | b'[' | b']' | b'{' | b'}' => return None,
                        _ => p += 1,
                    }
                }
                let key = self.text[at..p].trim_end_matches(' ');
                (Cow::Borrowed(key), ScalarStyle::Plain, at + key.len())
            }
            _ => return None,
        };
        let colon = self.skip_spaces(end, l.end);
        let is_key = colon < l.end
            && b[colon] == b':'
            && (colon + 1 == l.end || b[colon + 1] == b' ')
            && end - at <= MAX_KEY_BYTES;
        is_key.then_some(Key { text, style, colon })
    }

    /// A one-line quoted scalar starting at byte `at`: no escapes in double quotes (`''` in
    /// single quotes is read).
    fn quoted(&self, line: usize, at: usize) -> Option<Scalar<'t>> {
        let l = self.lines[line];
        let b = self.bytes;
        let quote = b[at];
        let start = at + 1;
        if quote == b'"' {
            let close = start
                + b[start..l.end]
                    .iter()
                    .position(|&c| c == b'"' || c == b'\\')?;
            if b[close] != b'"' {
                return None;
            }
            return Some(Scalar {
                text: Cow::Borrowed(&self.text[start..close]),
                style: ScalarStyle::DoubleQuoted,
                end: close + 1,
            });
        }
        let mut owned: Option<String> = None;
        let mut from = start;
        let mut p = start;
        loop {
            p += b[p..l.end].iter().position(|&c| c == b'\'')?;
            if p + 1 < l.end && b[p + 1] == b'\'' {
                owned
                    .get_or_insert_with(String::new)
                    .push_str(&self.text[from..=p]);
                p += 2;
                from = p;
                continue;
            }
            let text = match owned {
                Some(mut s) => {
                    s.push_str(&self.text[from..p]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(&self.text[start..p]),
            };
            return Some(Scalar {
                text,
                style: ScalarStyle::SingleQuoted,
                end: p + 1,
            });
        }
    }

    /// A one-line plain scalar in a value position starting at byte `at`.
    fn plain(&self, line: usize, at: usize) -> Option<Scalar<'t>> {
        let l = self.lines[line];
        let b = self.bytes;
        let dash_number = b[at] == b'-'
            && at + 1 < l.end
            && !matches!(b[at + 1], b' ' | b',' | b'[' | b']' | b'{' | b'}');
        if indicator(b[at]) && !dash_number {
            return None;
        }
        let mut p = at;
        while p < l.end {
            match b[p] {
                // `a: b: c` is an error, `a: b:` too; the full parser says so.
                b':' if p + 1 == l.end || b[p + 1] == b' ' => return None,
                b'#' if b[p - 1] == b' ' => break,
                // As in flow scalars: a word starting with an indicator is the full parser's.
                c if p > at && b[p - 1] == b' ' && indicator(c) => return None,
                _ => p += 1,
            }
        }
        let text = self.text[at..p].trim_end_matches(' ');
        Some(Scalar {
            text: Cow::Borrowed(text),
            style: ScalarStyle::Plain,
            end: at + text.len(),
        })
    }

    /// Whether only spaces, and a comment after at least one space, follow byte `at`.
    fn only_comment_after(&self, line: usize, at: usize) -> bool {
        let l = self.lines[line];
        let p = self.skip_spaces(at, l.end);
        p == l.end || (self.bytes[p] == b'#' && p > at)
    }

    /// Whether byte `at` is a block sequence indicator (`-` before a space or the line end).
    fn is_dash(&self, line: usize, at: usize) -> bool {
        let end = self.lines[line].end;
        self.bytes[at] == b'-' && (at + 1 == end || self.bytes[at + 1] == b' ')
    }

    fn skip_spaces(&self, mut at: usize, end: usize) -> usize {
        while at < end && self.bytes[at] == b' ' {
            at += 1;
        }
        at
    }

    fn first_byte(&self, line: usize) -> usize {
        self.lines[line].start + self.lines[line].indent
    }

    /// The first line at or after `from` that is neither blank nor only a comment.
    fn next_content(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&i| self.lines[i].content)
    }

    /// Feeds the builder one event positioned at byte `at` of `line`, as saphyr-parser
    /// positions it: 1-based line, 0-based column in characters.
    fn emit(&mut self, event: Event<'t>, line: usize, at: usize) -> Option<()> {
        let prefix = &self.text[self.lines[line].start..at];
        let column = if prefix.is_ascii() {
            prefix.len()
        } else {
            prefix.chars().count()
        };
        let mark = Marker::new(at, line + 1, column);
        self.builder.event(event, Span::new(mark, mark)).ok()
    }

    /// Ends a collection at the start of line `next` (or the text's end); the builder does
    /// not read end positions.
    fn emit_end(&mut self, event: Event<'t>, next: usize) -> Option<()> {
        let line = next.min(self.lines.len() - 1);
        let at = self.lines[line].start.min(self.text.len());
        self.emit(event, line, at)
    }
}

#[cfg(test)]
mod tests {
    use super::super::full;
    use crate::document::Limits;
    use crate::document::tests::dump;
    use std::fmt::Write;

    /// Reads `text` with both readers; returns whether the fast one took it. Where it did,
    /// the full parser must have read the same tree.
    fn agree(text: &str) -> bool {
        let limits = Limits::default();
        let Some(fast) = super::parse(text, &limits) else {
            return false;
        };
        match full(text, &limits, false) {
            Ok(roots) => assert_eq!(dump(&fast), dump(&roots), "\n--- text ---\n{text}"),
            Err(err) => {
                panic!("the fast reader took text the full parser refuses ({err:?}):\n{text}")
            }
        }
        true
    }

    #[test]
    fn takes_everyday_configuration() {
        let texts = [
            "a: 1\nb:\n  c: \"x y\"\n  d: 'it''s'\nlist:\n  - one\n  - k: v\n    k2: v2\n  -\n    deep: 1\n  - - nested\n    - again\ne: plain text # comment\nf:\ng: 'q'\n",
            "# leading comment\n\nroot:\n  # inside\n  key: value   \n\n  other: -7\n  url: http://example.com:8080/x?y=1#frag\n  secret: ${SECRET:db.password}\n",
            "list:\n- a\n- b\nnext: 1\n",
            "- a\n- b: 1\n  c:\n  - x\n  d: 2\n-   spaced\n",
            "  indented: root\n  too: 2\n",
            "key with spaces: v\n\"quoted key\": 1\n'single': 2\nkey   : padded\n",
            "unicode: héllo wörld\nünï: x\n",
            "f:   # comment\ng: 1\n",
            "a: 1",
            "a:",
            "t: true\nn: null\ni: 0x1F\no: 017\nf: 1.5e3\ne: ''\nq: \"\"\ntilde: ~\n",
            "a:\n  b:\n    c:\n      d: 1\n  e: 2\n",
            "r: { cpu: 500m, memory: \"1\" }\np:\n  - { name: http, port: 80 }\ne: []\nf: {}\ng: [ a , [b], {c: d} ]   # x\n",
            "list:\n-   k: v\n- \"x\"\nb:\n- - a\n",
        ];
        for text in texts {
            assert!(agree(text), "the fast reader should take:\n{text}");
        }
    }

    #[test]
    fn leaves_everything_else_to_the_full_parser() {
        let texts = [
            "a: [1, 2\n",
            "a: {b: 1,}\n",
            "a: {b}\n",
            "a: [a, b]c\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: multi\n  line\n",
            "a: \"esc\\n\"\n",
            "a: \"open\n  close\"\n",
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "%YAML 1.2\n---\na: 1\n",
            "a:\tb\n",
            "a: 1\r\nb: 2\r\n",
            "\u{feff}a: 1\n",
            "a: b: c\n",
            "a: 1\n b: 2\n",
            "a: 1\na: 2\n",
            "scalar\n",
            "",
            "# only\n",
            "- \n- a\n",
            "? complex\n: value\n",
            "a: 1\n- b\n",
            "a:\n  - x\n  y: 1\n",
            "a: \"x\"y\n",
            "a: 'x'#c\n",
            "[a]: 1\n",
            "<<: *base\n",
        ];
        for text in texts {
            assert!(!agree(text), "the fast reader should leave:\n{text}");
        }
    }

    /// A small deterministic generator of YAML-ish text: block structure with random
    /// indentation, keys, scalars of every style, comments and blank lines, and mistakes.
    struct Gen(crate::test_rng::Xorshift);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0.next()
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }

        fn scalar(&mut self) -> String {
            let s = self.pick(&[
                "1",
                "-7",
                "0",
                "017",
                "0x1F",
                "0o17",
                "1.5",
                "1e3",
                ".inf",
                "-.inf",
                ".nan",
                "true",
                "False",
                "null",
                "~",
                "on",
                "yes",
                "plain text",
                "a#b",
                "a #c",
                "é",
                "x:y",
                "${VAR:default}",
                "http://h:1/p",
                "'q'",
                "'it''s'",
                "\"dq\"",
                "\"\"",
                "''",
                "-",
                "- x",
                "a: b",
                "[1, 2]",
                "{a: 1}",
                "&a x",
                "*a",
                "!!str 1",
                "|",
                "@x",
                "`x",
                "%x",
                "? x",
                ":x",
                "x:",
                "\"a\"b",
                "'a'#c",
                "\"é\"",
                "1_000",
                "[]",
                "{}",
                "[a, 'b', \"c\"]",
                "{ a: 1, b: [x, y] }",
                "[a,b]",
                "{a: }",
                "[a, ]",
                "{ \"k\": v }",
                "[ -1, x:y ]",
                "{a: b}c",
                "[a #c]",
                "[[1], {b: 2}]",
                "+1",
                "-.5",
                "12:30",
                "a,b",
                "-1.5e-3",
                "  lots  ",
                "# c",
            ]);
            s.to_string()
        }

        fn key(&mut self) -> String {
            self.pick(&[
                "a",
                "b",
                "key",
                "other key",
                "\"q\"",
                "'s'",
                "1",
                "true",
                "null",
                "~",
                "<<",
                "a b ",
                "-k",
                "k-",
                "é",
                "x.y",
                "${K}",
                "a,b",
                "[k]",
                "k#",
                "k #c",
                "0x1F",
                "1.0",
            ])
            .to_string()
        }

        fn block(&mut self, out: &mut String, indent: usize, depth: usize) {
            let entries = 1 + self.next() % 4;
            let as_seq = self.next().is_multiple_of(3);
            for _ in 0..entries {
                let pad = " ".repeat(indent);
                match self.next() % 10 {
                    0 => out.push('\n'),
                    1 => {
                        let n = self.next() % (indent as u64 + 3);
                        let _ = writeln!(out, "{}# comment", " ".repeat(n as usize));
                    }
                    _ => {}
                }
                let lead = if as_seq && self.next().is_multiple_of(4) {
                    // An item that is a mapping: `- k: v` and keys aligned below it.
                    let spaces = 1 + (self.next() % 3) as usize;
                    let inner = " ".repeat(indent + 1 + spaces);
                    let _ = writeln!(
                        out,
                        "{pad}-{}{}: {}",
                        " ".repeat(spaces),
                        self.key(),
                        self.scalar()
                    );
                    let shift = ["", "", " ", ""][(self.next() % 4) as usize];
                    format!("{inner}{shift}{}:", self.key())
                } else if as_seq {
                    format!(
                        "{pad}-{}",
                        if self.next().is_multiple_of(7) {
                            ""
                        } else {
                            " "
                        }
                    )
                } else {
                    format!("{pad}{}:", self.key())
                };
                out.push_str(&lead);
                if depth < 4 && self.next().is_multiple_of(3) {
                    out.push('\n');
                    let step = [1, 2, 2, 4, 0][(self.next() % 5) as usize];
                    self.block(out, indent + step, depth + 1);
                } else {
                    match self.next() % 8 {
                        0 => {}
                        1 => out.push_str("   "),
                        _ => {
                            out.push(' ');
                            out.push_str(&self.scalar());
                        }
                    }
                    if self.next().is_multiple_of(6) {
                        out.push_str(" # trailing");
                    }
                    out.push('\n');
                }
            }
        }
    }

    #[test]
    fn agrees_with_the_full_parser_on_generated_documents() {
        let mut generator = Gen(crate::test_rng::Xorshift(0x2545_f491_4f6c_dd1d));
        let mut taken = 0;
        for _ in 0..50_000 {
            let mut text = String::new();
            generator.block(&mut text, 0, 0);
            if agree(&text) {
                taken += 1;
            }
        }
        // The generator writes both kinds: a reader that never took anything would pass the
        // comparison trivially.
        assert!(taken > 5_000, "the fast reader took only {taken} documents");
    }

    #[test]
    fn takes_the_template_files() {
        let mut taken = 0;
        let mut yaml = 0;
        for (path, bytes) in crate::template::FILES {
            if !path.ends_with(".yaml") && !path.ends_with(".yml") {
                continue;
            }
            yaml += 1;
            if agree(std::str::from_utf8(bytes).unwrap()) {
                taken += 1;
            }
        }
        assert!(yaml > 10 && taken * 2 > yaml, "took {taken} of {yaml}");
    }

    /// Real files with one small mistake or change each: a character that matters to YAML
    /// inserted, deleted or swapped at a random place. Whatever the fast reader takes, the
    /// full parser must read the same way.
    #[test]
    fn agrees_with_the_full_parser_on_mutated_template_files() {
        let mut rng = crate::test_rng::Xorshift(0x0bad_5eed_cafe_f00d);
        let marks = [
            ":", " ", "-", "#", "'", "\"", "\n", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">",
            "?", "\t", "\\", "é", "  ", "- ", ": ", "\n  ", "\n- ", "~",
        ];
        let (mut tried, mut taken) = (0, 0);
        for (path, bytes) in crate::template::FILES {
            if !path.ends_with(".yaml") && !path.ends_with(".yml") {
                continue;
            }
            let text = std::str::from_utf8(bytes).unwrap();
            for mutated in rng.mutations(text, &marks, 300) {
                tried += 1;
                if agree(&mutated) {
                    taken += 1;
                }
            }
        }
        assert!(
            taken * 4 > tried,
            "the fast reader took only {taken} of {tried}"
        );
    }
}
