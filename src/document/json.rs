//! JSON (RFC 8259) into the document tree, with a position on every key and value.
//!
//! serde_json keeps no positions, so this is a small hand-written parser over the bytes of the
//! text. It keeps an explicit stack of the open arrays and objects instead of recursing, so the
//! nesting depth is bounded by [`Limits::max_depth`] and never by the thread's stack.
//! Positions are computed incrementally (the current line, and a cached character count on
//! that line), so even a 20 MB file on a single line costs O(n) overall.

use super::{Entry, Limits, Map, Node, ParseError, Pos, Value};

/// Parses one JSON value (the whole text) into a [`Node`] tree. With `redact`, error messages
/// never quote the text (secret files): they say what was expected and where.
pub(super) fn parse(text: &str, limits: &Limits, redact: bool) -> Result<Node, ParseError> {
    let mut parser = Parser::new(text, limits.max_depth);
    parser.redact = redact;
    parser.parse_document()
}

/// An array or object that has been opened and not yet closed.
enum Frame {
    Seq {
        pos: Pos,
        items: Vec<Node>,
    },
    /// `key` is the member whose value is being parsed; it is inserted once the value is done.
    Map {
        pos: Pos,
        map: Map,
        key: String,
        key_pos: Pos,
    },
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Byte offset of the next unread byte.
    i: usize,
    /// 1-based line of byte `i`.
    line: u32,
    /// Byte offset where the current line starts.
    line_start: usize,
    /// `col` is the 1-based character column of byte `col_byte` (on the current line).
    col_byte: usize,
    col: u32,
    max_depth: usize,
    /// Error messages describe what was found without quoting it.
    redact: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, max_depth: usize) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            i: 0,
            line: 1,
            line_start: 0,
            col_byte: 0,
            col: 1,
            max_depth,
            redact: false,
        }
    }

    fn parse_document(mut self) -> Result<Node, ParseError> {
        self.skip_ws();
        if self.i == self.bytes.len() {
            return Err(self.error_at(self.i, "empty file: expected a JSON value"));
        }
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            // At the start of a value, whitespace skipped.
            let start = self.i;
            let pos = self.pos_at(start);
            let mut node = match self.bytes.get(start) {
                Some(b'[') => {
                    self.check_depth(stack.len(), start)?;
                    self.i += 1;
                    self.skip_ws();
                    if self.bytes.get(self.i) == Some(&b']') {
                        self.i += 1;
                        Node::new(Value::Seq(Vec::new()), pos)
                    } else {
                        stack.push(Frame::Seq {
                            pos,
                            items: Vec::new(),
                        });
                        continue 'value;
                    }
                }
                Some(b'{') => {
                    self.check_depth(stack.len(), start)?;
                    self.i += 1;
                    self.skip_ws();
                    if self.bytes.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        Node::new(Value::Map(Map::default()), pos)
                    } else {
                        let (key, key_pos) = self.parse_key(None, false)?;
                        stack.push(Frame::Map {
                            pos,
                            map: Map::default(),
                            key,
                            key_pos,
                        });
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let s = self.parse_string(pos)?;
                    Node::new(Value::String(s), pos)
                }
                Some(b'-' | b'0'..=b'9') => self.parse_number(pos)?,
                _ => self.parse_literal(pos)?,
            };
            // A value is complete: attach it to its parent, closing parents as they end.
            loop {
                self.skip_ws();
                match stack.last_mut() {
                    None => {
                        if self.i < self.bytes.len() {
                            return Err(
                                self.error_at(self.i, "trailing characters after the JSON value")
                            );
                        }
                        return Ok(node);
                    }
                    Some(Frame::Seq { items, .. }) => {
                        items.push(node);
                        match self.bytes.get(self.i) {
                            Some(b',') => {
                                self.i += 1;
                                self.skip_ws();
                                continue 'value;
                            }
                            Some(b']') => self.i += 1,
                            _ => {
                                return Err(
                                    self.expected(self.i, "`,` or `]` after an array element")
                                );
                            }
                        }
                    }
                    Some(Frame::Map {
                        map, key, key_pos, ..
                    }) => {
                        map.insert(
                            std::mem::take(key),
                            Entry {
                                key_pos: *key_pos,
                                value: node,
                            },
                        );
                        match self.bytes.get(self.i) {
                            Some(b',') => {
                                self.i += 1;
                                self.skip_ws();
                                let (k, kp) = self.parse_key(Some(&*map), true)?;
                                *key = k;
                                *key_pos = kp;
                                continue 'value;
                            }
                            Some(b'}') => self.i += 1,
                            _ => {
                                return Err(
                                    self.expected(self.i, "`,` or `}` after an object member")
                                );
                            }
                        }
                    }
                }
                // The innermost array or object just closed: it is the value to attach next.
                node = match stack.pop() {
                    Some(Frame::Seq { pos, items }) => Node::new(Value::Seq(items), pos),
                    Some(Frame::Map { pos, map, .. }) => Node::new(Value::Map(map), pos),
                    None => unreachable!("a frame was on the stack"),
                };
            }
        }
    }

    fn check_depth(&mut self, open: usize, at: usize) -> Result<(), ParseError> {
        if open >= self.max_depth {
            let message = format!(
                "too deeply nested: more than {} levels of arrays and objects",
                self.max_depth
            );
            return Err(self.error_at(at, message));
        }
        Ok(())
    }

    /// Parses `"key" :` and the whitespace after it; `map` holds the members so far.
    fn parse_key(
        &mut self,
        map: Option<&Map>,
        after_comma: bool,
    ) -> Result<(String, Pos), ParseError> {
        let at = self.i;
        if self.bytes.get(at) != Some(&b'"') {
            let what = if after_comma {
                "a string key after `,`"
            } else {
                "a string key or `}`"
            };
            let mut message = format!("expected {what}, found {}", self.found(at));
            match self.bytes.get(at) {
                Some(b'}') if after_comma => {
                    message.push_str(" (trailing commas are not allowed in JSON)")
                }
                Some(b'\'') => message.push_str(" (JSON strings use double quotes)"),
                Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {
                    message.push_str(" (object keys must be double-quoted strings)")
                }
                _ => {}
            }
            return Err(self.error_at(at, message));
        }
        let key_pos = self.pos_at(at);
        let key = self.parse_string(key_pos)?;
        if let Some(first) = map.and_then(|m| m.get(&key)) {
            return Err(ParseError::at(
                key_pos,
                format!(
                    "duplicate key `{}` (first defined at line {}, column {})",
                    printable(&key),
                    first.key_pos.line,
                    first.key_pos.column
                ),
            ));
        }
        self.skip_ws();
        if self.bytes.get(self.i) != Some(&b':') {
            return Err(self.expected(self.i, "`:` after an object key"));
        }
        self.i += 1;
        self.skip_ws();
        Ok((key, key_pos))
    }

    /// Parses the string whose opening quote is at `self.i` (and at `pos`).
    fn parse_string(&mut self, pos: Pos) -> Result<String, ParseError> {
        let bytes = self.bytes;
        let first = self.i + 1;
        let mut i = first;
        // Fast path: no escapes, one allocation.
        loop {
            match bytes.get(i) {
                Some(b'"') => {
                    self.i = i + 1;
                    return Ok(self.text[first..i].to_owned());
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => return Err(self.control_in_string(i, pos)),
                Some(_) => i += 1,
                None => return Err(self.unterminated(pos)),
            }
        }
        let mut out = String::with_capacity(i - first + 16);
        out.push_str(&self.text[first..i]);
        loop {
            let run = i;
            loop {
                match bytes.get(i) {
                    Some(b'"' | b'\\') => break,
                    Some(&b) if b < 0x20 => return Err(self.control_in_string(i, pos)),
                    Some(_) => i += 1,
                    None => return Err(self.unterminated(pos)),
                }
            }
            out.push_str(&self.text[run..i]);
            if bytes[i] == b'"' {
                self.i = i + 1;
                return Ok(out);
            }
            // A backslash at `i`.
            let escape = i;
            let simple = match bytes.get(i + 1) {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    let unit = self.hex4(i + 2)?;
                    i += 6;
                    let c = match unit {
                        0xD800..=0xDBFF => {
                            let low = if bytes.get(i) == Some(&b'\\')
                                && bytes.get(i + 1) == Some(&b'u')
                            {
                                Some(self.hex4(i + 2)?)
                            } else {
                                None
                            };
                            match low {
                                Some(low @ 0xDC00..=0xDFFF) => {
                                    i += 6;
                                    let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                                    char::from_u32(code).expect("a surrogate pair is a valid char")
                                }
                                _ => {
                                    let message = format!(
                                        "lone surrogate {} in a string: a high surrogate must be \
                                         followed by a low surrogate escape (`\\uDC00` to `\\uDFFF`)",
                                        self.quote(&self.text[escape..escape + 6])
                                    );
                                    return Err(self.error_at(escape, message));
                                }
                            }
                        }
                        0xDC00..=0xDFFF => {
                            let message = format!(
                                "lone surrogate {} in a string: a low surrogate must follow a \
                                 high surrogate escape (`\\uD800` to `\\uDBFF`)",
                                self.quote(&self.text[escape..escape + 6])
                            );
                            return Err(self.error_at(escape, message));
                        }
                        _ => char::from_u32(unit).expect("a non-surrogate BMP code point"),
                    };
                    out.push(c);
                    continue;
                }
                None => return Err(self.unterminated(pos)),
                Some(_) => {
                    let message = format!(
                        "expected an escape sequence (`\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, \
                         `\\r`, `\\t` or `\\uXXXX`) after `\\`, found {}",
                        self.found(i + 1)
                    );
                    return Err(self.error_at(escape, message));
                }
            };
            out.push(simple);
            i += 2;
        }
    }

    /// Reads the 4 hex digits of a `\u` escape starting at `at`.
    fn hex4(&mut self, at: usize) -> Result<u32, ParseError> {
        let mut unit = 0;
        for k in at..at + 4 {
            let digit = match self.bytes.get(k) {
                Some(&b) => (b as char).to_digit(16),
                None => None,
            };
            match digit {
                Some(d) => unit = unit * 16 + d,
                None => return Err(self.expected(k, "4 hex digits after `\\u`")),
            }
        }
        Ok(unit)
    }

    fn control_in_string(&mut self, at: usize, start: Pos) -> ParseError {
        let message = match self.bytes[at] {
            b'\n' | b'\r' => format!(
                "expected `\"` to close the string that starts at line {}, column {}, found a \
                 line break (write `\\n` for a line break inside a string)",
                start.line, start.column
            ),
            b => {
                let escape = match b {
                    b'\t' => "\\t".to_owned(),
                    0x08 => "\\b".to_owned(),
                    0x0c => "\\f".to_owned(),
                    _ => format!("\\u{b:04x}"),
                };
                format!(
                    "expected a string character or `\"`, found {} (control characters must be \
                     escaped in JSON strings: write `{escape}`)",
                    self.found(at)
                )
            }
        };
        self.error_at(at, message)
    }

    fn unterminated(&mut self, start: Pos) -> ParseError {
        let message = format!(
            "expected `\"` to close the string that starts at line {}, column {}, found end of \
             input",
            start.line, start.column
        );
        self.error_at(self.bytes.len(), message)
    }

    fn parse_number(&mut self, pos: Pos) -> Result<Node, ParseError> {
        let bytes = self.bytes;
        let start = self.i;
        let mut i = start;
        if bytes[i] == b'-' {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'0') => {
                i += 1;
                if bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    let message = format!(
                        "expected `.`, `e` or the end of the number after a leading `0`, found {} \
                         (leading zeros are not allowed in JSON)",
                        self.found(i)
                    );
                    return Err(self.error_at(i, message));
                }
            }
            Some(b'1'..=b'9') => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => {
                let mut message = format!("expected a digit after `-`, found {}", self.found(i));
                if self.text[i..].starts_with("Infinity") {
                    message.push_str(" (JSON has no NaN or Infinity)");
                }
                return Err(self.error_at(i, message));
            }
        }
        let mut integer = true;
        if bytes.get(i) == Some(&b'.') {
            integer = false;
            i += 1;
            if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(self.expected(i, "a digit after the decimal point"));
            }
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            integer = false;
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(self.expected(i, "a digit in the exponent"));
            }
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        self.i = i;
        let text = &self.text[start..i];
        if integer && let Ok(n) = text.parse::<i64>() {
            return Ok(Node::new(Value::Int(n), pos));
        }
        let f: f64 = text
            .parse()
            .expect("a JSON number is valid Rust float syntax");
        if f.is_infinite() {
            let shown = self.quote(&shorten(text));
            return Err(ParseError::at(
                pos,
                format!("number {shown} is out of range for a 64-bit float"),
            ));
        }
        Ok(Node::new(Value::Float(f), pos))
    }

    /// Parses `true`, `false` or `null`, or reports what was found instead of a value.
    fn parse_literal(&mut self, pos: Pos) -> Result<Node, ParseError> {
        let start = self.i;
        let bytes = self.bytes;
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        let word = &self.text[start..end];
        let value = match word {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            _ => {
                let found = if word.is_empty() {
                    self.found(start)
                } else if self.redact {
                    "a bare word (not shown: secret file)".to_owned()
                } else {
                    format!("`{}`", shorten(word))
                };
                let mut message = format!("expected a JSON value, found {found}");
                let hint = match bytes.get(start) {
                    Some(b']' | b'}') if self.after_comma(start) => {
                        " (trailing commas are not allowed in JSON)"
                    }
                    Some(b'+') => " (JSON numbers have no leading `+`)",
                    Some(b'.') => " (JSON numbers need a digit before the decimal point)",
                    Some(b'\'') => " (JSON strings use double quotes)",
                    _ if matches!(word, "NaN" | "Infinity") => " (JSON has no NaN or Infinity)",
                    _ if matches!(
                        word.to_ascii_lowercase().as_str(),
                        "true" | "false" | "null"
                    ) =>
                    {
                        " (JSON literals are lower-case)"
                    }
                    _ => "",
                };
                message.push_str(hint);
                return Err(ParseError::at(pos, message));
            }
        };
        self.i = end;
        Ok(Node::new(value, pos))
    }

    /// Whether the last non-whitespace byte before `at` is a comma.
    fn after_comma(&self, at: usize) -> bool {
        self.bytes[..at]
            .iter()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            == Some(&b',')
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                    self.col_byte = self.i;
                    self.col = 1;
                }
                _ => break,
            }
        }
    }

    /// Returns the position of byte `at`, which must be on the current line (at or after
    /// `line_start`); positions asked in increasing order cost O(n) in total.
    fn pos_at(&mut self, at: usize) -> Pos {
        debug_assert!(at >= self.line_start);
        if at < self.col_byte {
            self.col_byte = self.line_start;
            self.col = 1;
        }
        // Count characters, not bytes: continuation bytes (10xxxxxx) do not start one.
        let chars = self.bytes[self.col_byte..at]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        self.col += chars as u32;
        self.col_byte = at;
        Pos::new(self.line, self.col)
    }

    fn error_at(&mut self, at: usize, message: impl Into<String>) -> ParseError {
        ParseError::at(self.pos_at(at), message)
    }

    /// `expected {what}, found {what is at `at`}`, at `at`.
    fn expected(&mut self, at: usize, what: &str) -> ParseError {
        let message = format!("expected {what}, found {}", self.found(at));
        self.error_at(at, message)
    }

    /// Quotes a piece of the text for a message, or hides it in a secret file.
    fn quote(&self, text: &str) -> String {
        if self.redact {
            "(not shown: secret file)".to_owned()
        } else {
            format!("`{text}`")
        }
    }

    /// Describes the character at byte `at` for an error message (in a secret file, only
    /// JSON's own punctuation is named).
    fn found(&self, at: usize) -> String {
        let c = self.text.get(at..).and_then(|rest| rest.chars().next());
        if self.redact
            && let Some(c) = c
            && !matches!(
                c,
                '{' | '}' | '[' | ']' | ',' | ':' | '"' | '\n' | '\r' | '\t'
            )
        {
            return "a character (not shown: secret file)".to_owned();
        }
        match c {
            None if at >= self.bytes.len() => "end of input".to_owned(),
            None => format!("byte 0x{:02x}", self.bytes[at]),
            Some('\n' | '\r') => "a line break".to_owned(),
            Some('\t') => "a tab".to_owned(),
            Some('`') => "a backtick".to_owned(),
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        }
    }
}

/// A key or word for a message: control characters escaped.
fn printable(s: &str) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        s.to_owned()
    }
}

/// At most 40 characters of `s`, with an ellipsis when cut.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse(text, &Limits::default(), false)
            .unwrap_or_else(|e| panic!("{text:?}: {e} at {:?}", e.pos))
    }

    #[test]
    fn secret_files_get_positions_not_tokens() {
        for text in [
            "{\"password\": hunter2secret}",
            "{\"a\": 1,\n \"b\": \"x\\qy\"}",
            "{\"a\": \"\\ud800zz\"}",
            "{\"a\": 1e999999}",
            "{\"a\": 01234}",
            "{\"a\": s3cr3t }",
            "[1 hunter2]",
        ] {
            let clear = parse(text, &Limits::default(), false).unwrap_err();
            let err = parse(text, &Limits::default(), true).unwrap_err();
            assert!(err.pos.is_some(), "{text}");
            assert_eq!(err.pos, clear.pos, "{text}");
            for secret in ["hunter2", "s3cr3t", "1234", "999999", "ud800", "`q`", "`1`"] {
                assert!(!err.message.contains(secret), "{text}: {err}");
            }
            assert!(
                !err.message.contains("hunter2") && !err.message.contains("s3cr3t"),
                "{err}"
            );
        }
    }

    fn parse_err(text: &str) -> ParseError {
        match parse(text, &Limits::default(), false) {
            Ok(node) => panic!("{text:?} parsed: {node:?}"),
            Err(err) => err,
        }
    }

    /// Asserts the error position and that the message contains `needle`.
    fn assert_err(text: &str, line: u32, column: u32, needle: &str) {
        let err = parse_err(text);
        assert_eq!(
            err.pos,
            Some(Pos::new(line, column)),
            "{text:?}: {}",
            err.message
        );
        assert!(
            err.message.contains(needle),
            "{text:?}: {:?} does not contain {needle:?}",
            err.message
        );
        assert!(!err.message.ends_with('.'), "{}", err.message);
        assert!(!err.message.contains('\n'), "{}", err.message);
    }

    fn entry<'a>(node: &'a Node, key: &str) -> &'a Entry {
        node.as_map()
            .and_then(|m| m.get(key))
            .unwrap_or_else(|| panic!("no key {key}"))
    }

    #[test]
    fn positions_of_nested_keys_and_values() {
        let text = "{\n  \"name\": \"chat\",\n  \"spec\": {\n    \"ports\": [80,\n      443],\n    \"tls\": {\"on\": true}\n  },\n  \"n\":null\n}\n";
        let root = parse_ok(text);
        assert_eq!(root.pos, Pos::new(1, 1));
        assert!(!root.plain);
        let name = entry(&root, "name");
        assert_eq!(name.key_pos, Pos::new(2, 3));
        assert_eq!(name.value.pos, Pos::new(2, 11));
        assert_eq!(name.value.value, Value::String("chat".into()));
        let spec = entry(&root, "spec");
        assert_eq!(spec.key_pos, Pos::new(3, 3));
        assert_eq!(spec.value.pos, Pos::new(3, 11));
        let ports = entry(&spec.value, "ports");
        assert_eq!(ports.key_pos, Pos::new(4, 5));
        assert_eq!(ports.value.pos, Pos::new(4, 14));
        let Value::Seq(items) = &ports.value.value else {
            panic!("not a sequence")
        };
        assert_eq!(items[0].pos, Pos::new(4, 15));
        assert_eq!(items[0].value, Value::Int(80));
        assert_eq!(items[1].pos, Pos::new(5, 7));
        let tls = entry(&spec.value, "tls");
        assert_eq!(tls.key_pos, Pos::new(6, 5));
        assert_eq!(tls.value.pos, Pos::new(6, 12));
        let on = entry(&tls.value, "on");
        assert_eq!(on.key_pos, Pos::new(6, 13));
        assert_eq!(on.value.pos, Pos::new(6, 19));
        assert_eq!(on.value.value, Value::Bool(true));
        let n = entry(&root, "n");
        assert_eq!(n.key_pos, Pos::new(8, 3));
        assert_eq!(n.value.pos, Pos::new(8, 7));
        assert_eq!(n.value.value, Value::Null);
        // Key order is kept.
        let keys: Vec<&str> = root.as_map().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["name", "spec", "n"]);
    }

    #[test]
    fn scalar_roots_and_empty_containers() {
        assert_eq!(parse_ok(" 42 ").value, Value::Int(42));
        assert_eq!(parse_ok(" 42 ").pos, Pos::new(1, 2));
        assert_eq!(parse_ok("\"x\"").value, Value::String("x".into()));
        assert_eq!(parse_ok("null").value, Value::Null);
        assert_eq!(parse_ok("false").value, Value::Bool(false));
        assert_eq!(parse_ok("[ ]").value, Value::Seq(vec![]));
        assert_eq!(parse_ok("{\r\n}").value, Value::Map(Map::default()));
        let nested = parse_ok("[[], {}, [[]]]");
        let Value::Seq(items) = &nested.value else {
            panic!()
        };
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].pos, Pos::new(1, 10));
    }

    #[test]
    fn duplicate_keys_name_both_positions() {
        let text = "{\n  \"a\": 1,\n  \"b\": {\n    \"name\": 1,\n    \"name\": 2\n  }\n}";
        let err = parse_err(text);
        assert_eq!(err.pos, Some(Pos::new(5, 5)));
        assert_eq!(
            err.message,
            "duplicate key `name` (first defined at line 4, column 5)"
        );
        // Keys are compared after unescaping.
        let err = parse_err(r#"{"ab": 1, "a\u0062": 2}"#);
        assert_eq!(err.pos, Some(Pos::new(1, 11)));
        assert_eq!(
            err.message,
            "duplicate key `ab` (first defined at line 1, column 2)"
        );
        // The same key in different objects is fine.
        parse_ok(r#"{"a": {"x": 1}, "b": {"x": 2}}"#);
    }

    #[test]
    fn structural_errors() {
        assert_err(
            "{\"a\": 1 \"b\": 2}",
            1,
            9,
            "expected `,` or `}` after an object member, found `\"`",
        );
        assert_err(
            "[1 2]",
            1,
            4,
            "expected `,` or `]` after an array element, found `2`",
        );
        assert_err(
            "[1,\n 2",
            2,
            3,
            "expected `,` or `]` after an array element, found end of input",
        );
        assert_err(
            "{\"a\" 1}",
            1,
            6,
            "expected `:` after an object key, found `1`",
        );
        assert_err("{a: 1}", 1, 2, "expected a string key or `}`, found `a`");
        assert_err("{'a': 1}", 1, 2, "double quotes");
        assert_err(
            "{\"a\": 1,}",
            1,
            9,
            "expected a string key after `,`, found `}` (trailing commas",
        );
        assert_err(
            "[1, 2, ]",
            1,
            8,
            "expected a JSON value, found `]` (trailing commas",
        );
        assert_err("[,1]", 1, 2, "expected a JSON value, found `,`");
        assert_err("{\"a\": }", 1, 7, "expected a JSON value, found `}`");
        assert_err("[1] x", 1, 5, "trailing characters after the JSON value");
        assert_err("{}\n\n{}", 3, 1, "trailing characters after the JSON value");
        assert_err("", 1, 1, "empty file: expected a JSON value");
        assert_err(" \n\t\n", 3, 1, "empty file: expected a JSON value");
        assert_err("[tru]", 1, 2, "expected a JSON value, found `tru`");
        assert_err("[trueish]", 1, 2, "found `trueish`");
        assert_err("True", 1, 1, "found `True` (JSON literals are lower-case)");
        assert_err("{\"a\": undefined}", 1, 7, "found `undefined`");
        assert_err("[1] // comment", 1, 5, "trailing characters");
        assert_err("/* c */ 1", 1, 1, "expected a JSON value, found `/`");
        assert_err("[1,\n  @]", 2, 3, "expected a JSON value, found `@`");
    }

    #[test]
    fn number_errors() {
        assert_err(
            "01",
            1,
            2,
            "found `1` (leading zeros are not allowed in JSON)",
        );
        assert_err("[-00]", 1, 4, "leading zeros");
        assert_err(
            "+1",
            1,
            1,
            "expected a JSON value, found `+` (JSON numbers have no leading `+`)",
        );
        assert_err(
            ".5",
            1,
            1,
            "found `.` (JSON numbers need a digit before the decimal point)",
        );
        assert_err(
            "[1.]",
            1,
            4,
            "expected a digit after the decimal point, found `]`",
        );
        assert_err(
            "1.e5",
            1,
            3,
            "expected a digit after the decimal point, found `e`",
        );
        assert_err(
            "1e",
            1,
            3,
            "expected a digit in the exponent, found end of input",
        );
        assert_err("1e+x", 1, 4, "expected a digit in the exponent, found `x`");
        assert_err("[-]", 1, 3, "expected a digit after `-`, found `]`");
        assert_err("NaN", 1, 1, "found `NaN` (JSON has no NaN or Infinity)");
        assert_err(
            "[Infinity]",
            1,
            2,
            "found `Infinity` (JSON has no NaN or Infinity)",
        );
        assert_err(
            "-Infinity",
            1,
            2,
            "expected a digit after `-`, found `I` (JSON has no NaN",
        );
        assert_err("0x10", 1, 2, "trailing characters");
        assert_err(
            "[1e400]",
            1,
            2,
            "number `1e400` is out of range for a 64-bit float",
        );
    }

    #[test]
    fn numbers() {
        let cases: &[(&str, Value)] = &[
            ("0", Value::Int(0)),
            ("-0", Value::Int(0)),
            ("123", Value::Int(123)),
            ("-45", Value::Int(-45)),
            ("9223372036854775807", Value::Int(i64::MAX)),
            ("-9223372036854775808", Value::Int(i64::MIN)),
            ("9223372036854775808", Value::Float(9223372036854775808.0)),
            ("-9223372036854775809", Value::Float(-9223372036854775809.0)),
            ("18446744073709551616", Value::Float(18446744073709551616.0)),
            (
                "123456789012345678901234567890",
                Value::Float(1.2345678901234568e29),
            ),
            ("1.0", Value::Float(1.0)),
            ("1.5e3", Value::Float(1500.0)),
            ("1E2", Value::Float(100.0)),
            ("-2.5e-3", Value::Float(-0.0025)),
            ("0.1", Value::Float(0.1)),
            ("1e-400", Value::Float(0.0)),
        ];
        for (text, want) in cases {
            assert_eq!(&parse_ok(text).value, want, "{text}");
        }
    }

    #[test]
    fn strings_and_escapes() {
        let node = parse_ok(r#""a\"b\\c\/d\b\f\n\r\t \u0041\u00e9\u20AC \ud83d\ude00 \uFFFF""#);
        assert_eq!(
            node.as_str(),
            Some("a\"b\\c/d\u{8}\u{c}\n\r\t A\u{e9}\u{20ac} \u{1f600} \u{ffff}")
        );
        assert_eq!(parse_ok("\"\"").as_str(), Some(""));
        assert_eq!(parse_ok("\"héllo 😀\"").as_str(), Some("héllo 😀"));
        assert_eq!(parse_ok(r#""x\u0000y""#).as_str(), Some("x\0y"));
    }

    #[test]
    fn string_errors() {
        assert_err(
            "{\"a\": \"abc",
            1,
            11,
            "expected `\"` to close the string that starts at line 1, column 7, found end of input",
        );
        assert_err("[\"ab\ncd\"]", 1, 5, "found a line break");
        assert_err(
            "\"a\tb\"",
            1,
            3,
            "found a tab (control characters must be escaped in JSON strings: write `\\t`)",
        );
        assert_err("\"a\u{1}b\"", 1, 3, "found control character U+0001");
        assert_err("\"a\u{1}b\"", 1, 3, "write `\\u0001`");
        assert_err(r#"["é\x"]"#, 1, 4, "expected an escape sequence");
        assert_err(r#"["é\x"]"#, 1, 4, "found `x`");
        assert_err(
            r#""\u12G4""#,
            1,
            6,
            "expected 4 hex digits after `\\u`, found `G`",
        );
        assert_err(
            r#""\u12"#,
            1,
            6,
            "expected 4 hex digits after `\\u`, found end of input",
        );
        assert_err(r#"[1, "ab\uD800"]"#, 1, 8, "lone surrogate `\\uD800`");
        assert_err(
            r#""\uD800x""#,
            1,
            2,
            "high surrogate must be followed by a low surrogate",
        );
        assert_err(r#""\uD83D\u0041""#, 1, 2, "lone surrogate `\\uD83D`");
        assert_err(r#""\uD83D\uD83D""#, 1, 2, "lone surrogate `\\uD83D`");
        assert_err(
            r#""\uDE00""#,
            1,
            2,
            "lone surrogate `\\uDE00` in a string: a low surrogate",
        );
        assert_err(r#""\uD83D\uZZZZ""#, 1, 10, "expected 4 hex digits");
        assert_err("\"abc\\", 1, 6, "found end of input");
    }

    #[test]
    fn columns_count_characters() {
        let text = "{\"é😀\": \"ü\", \"k\": [\"ß\", 1]}";
        let root = parse_ok(text);
        let first = entry(&root, "é😀");
        assert_eq!(first.key_pos, Pos::new(1, 2));
        assert_eq!(first.value.pos, Pos::new(1, 8));
        let k = entry(&root, "k");
        assert_eq!(k.key_pos, Pos::new(1, 13));
        assert_eq!(k.value.pos, Pos::new(1, 18));
        let Value::Seq(items) = &k.value.value else {
            panic!()
        };
        assert_eq!(items[1].pos, Pos::new(1, 24));
        // Error columns count characters too.
        assert_err("[\"日本語\" 1]", 1, 8, "expected `,` or `]`");
        assert_err("\n  [\"€\",, 1]", 2, 8, "expected a JSON value, found `,`");
        // Escaped text counts as written, not as decoded.
        assert_err(r#"["\u00e9", x]"#, 1, 12, "found `x`");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        let err = parse_err(&deep);
        assert_eq!(err.pos, Some(Pos::new(1, 257)));
        assert_eq!(
            err.message,
            "too deeply nested: more than 256 levels of arrays and objects"
        );
        let deep = "{\"a\":".repeat(100_000);
        let err = parse_err(&deep);
        assert!(err.message.starts_with("too deeply nested"), "{err}");
        assert_eq!(err.pos, Some(Pos::new(1, 256 * 5 + 1)));

        // Exactly at the limit is fine, one more is not.
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        assert!(parse("[[[1]]]", &limits, false).is_ok());
        assert!(parse("[{\"a\":[]}]", &limits, false).is_ok());
        let err = parse("[[[[1]]]]", &limits, false).unwrap_err();
        assert_eq!(err.pos, Some(Pos::new(1, 4)));
        assert!(parse("[[[{}]]]", &limits, false).is_err());

        // Well past the default limit without recursion: 10k levels, closed properly.
        let limits = Limits {
            max_depth: 20_000,
            ..Limits::default()
        };
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let node = parse(&text, &limits, false).unwrap();
        let mut depth = 0;
        let mut cur = &node;
        while let Value::Seq(items) = &cur.value {
            depth += 1;
            match items.first() {
                Some(next) => cur = next,
                None => break,
            }
        }
        assert_eq!(depth, 10_000);
        // Dismantle iteratively so the test thread's stack is not needed for the drop.
        let mut stack = vec![node];
        while let Some(mut n) = stack.pop() {
            if let Value::Seq(items) = &mut n.value {
                stack.append(items);
            }
        }
    }

    #[test]
    fn long_single_line_is_linear() {
        // 200k members on one line: quadratic column counting would take minutes.
        let mut text = String::from("[");
        for i in 0..200_000 {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&format!("{{\"k\":\"é{i}\"}}"));
        }
        text.push(']');
        let root = parse_ok(&text);
        let Value::Seq(items) = &root.value else {
            panic!()
        };
        assert_eq!(items.len(), 200_000);
        assert_eq!(items[1].pos, Pos::new(1, 13));
        let last = &items[199_999];
        let last_start = text.rfind('{').unwrap();
        let expected_column = text[..last_start].chars().count() as u32 + 1;
        assert_eq!(last.pos, Pos::new(1, expected_column));
        assert_eq!(entry(last, "k").value.pos.column, expected_column + 5);
    }

    #[test]
    fn to_json_matches_serde_json() {
        let docs = [
            r#"{
  "name": "chat",
  "replicas": 3,
  "ratio": 0.75,
  "enabled": true,
  "owner": null,
  "labels": {"app.kubernetes.io/name": "chat", "tier": "backend"},
  "ports": [{"port": 80, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}],
  "env": [],
  "limits": {},
  "motd": "Grüße \"friends\"\n\t\u00e9 \ud83d\ude00",
  "big": 9223372036854775807,
  "small": -9223372036854775808,
  "exp": 1.5e10,
  "neg": -12.25
}"#,
            r#"[1, "two", [3, [4, {"five": 5}]], {"z": 1, "a": 2, "m": 3}, false, 2.5E-3]"#,
            r#"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1},"replicas":{"type":"integer","minimum":0,"maximum":100}},"additionalProperties":false}"#,
            "\"just a string\"",
            "  12345  ",
        ];
        for doc in docs {
            let ours = parse_ok(doc).to_json();
            let theirs: serde_json::Value = serde_json::from_str(doc).unwrap();
            assert_eq!(ours, theirs, "{doc}");
            // Key order is kept, as serde_json's preserve_order does.
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&theirs).unwrap()
            );
        }
    }
}
