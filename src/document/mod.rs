//! One value tree for YAML, JSON and TOML, with a source position on every node.
//!
//! Every parser in this module produces the same [`Node`] tree: mappings keep their key order,
//! every key and every value knows its line and column, and duplicate keys are errors that name
//! both positions. Everything above this module (schemas, rules, diff, layers) works on this
//! tree and never on a format-specific one.

pub mod emit;
mod json;
mod path;
pub mod secret_key;
mod toml;
mod yaml;

pub use path::{KeyPath, KeyPattern, PatternError, Segment, SegmentRef};

use indexmap::IndexMap;
use std::fmt;

/// Files larger than this are refused unless `[repo] max_file_size` says otherwise.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A 1-based line and column in a source file (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value and where it starts in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// True for a YAML plain (unquoted) scalar; lets rules spot YAML 1.1 look-alikes like `on`.
    pub plain: bool,
    /// Which file the node came from, as an index into the file table of whatever holds the
    /// tree: always 0 for a parsed file; a layer index in a rendered (merged) document.
    pub origin: u32,
}

/// The value of a [`Node`]. Integers that do not fit an `i64` become floats.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Map),
}

/// An ordered mapping whose keys are strings (YAML scalar keys are turned into their text).
/// Hashed with foldhash: keys come from files, and parsing thousands of them is the hot path.
pub type Map = IndexMap<String, Entry, foldhash::fast::RandomState>;

/// One mapping entry: the key's position and the value node.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key_pos: Pos,
    pub value: Node,
}

/// The file formats cfgctl reads, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Yaml,
    Json,
    Toml,
}

impl Format {
    /// Returns the format for a path by its extension, or `None` for files cfgctl does not read.
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }
}

/// Limits that keep hostile input from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Most nodes an alias expansion may add to one document (a "billion laughs" guard).
    pub max_alias_nodes: usize,
    /// Deepest nesting accepted.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: DEFAULT_MAX_FILE_BYTES,
            max_alias_nodes: 1_000_000,
            max_depth: 256,
        }
    }
}

/// A parsed file: one root per document (JSON and TOML always have one; YAML may have several).
#[derive(Debug, Clone)]
pub struct Document {
    pub format: Format,
    pub roots: Vec<Node>,
}

/// Why a file could not be read as configuration. `pos` is where the parser stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub pos: Option<Pos>,
    pub message: String,
}

impl ParseError {
    pub fn at(pos: Pos, message: impl Into<String>) -> Self {
        ParseError {
            pos: Some(pos),
            message: message.into(),
        }
    }

    pub fn whole_file(message: impl Into<String>) -> Self {
        ParseError {
            pos: None,
            message: message.into(),
        }
    }

    /// Returns the error as one line that names the file: `path:line:col: message`.
    pub fn in_file(&self, path: &str) -> anyhow::Error {
        match self.pos {
            Some(pos) => anyhow::anyhow!("{path}:{pos}: {}", self.message),
            None => anyhow::anyhow!("{path}: {}", self.message),
        }
    }
}

/// Parses YAML text that a test knows to be valid and returns its first document.
#[cfg(test)]
pub(crate) fn test_yaml(text: &str) -> Node {
    parse(text.as_bytes(), Format::Yaml, &Limits::default())
        .expect("test YAML parses")
        .roots
        .remove(0)
}

/// Parses bytes as the given format, after checking size, binary content and UTF-8.
pub fn parse(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, ParseError> {
    parse_with(bytes, format, limits, false)
}

/// Parses a secret file (or its decrypted text) like [`parse`], but errors give the position
/// and what was expected, never the text found there: a malformed value must not end up in a
/// terminal, a CI log or a JSON report.
pub fn parse_secret(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, ParseError> {
    parse_with(bytes, format, limits, true)
}

fn parse_with(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    redact: bool,
) -> Result<Document, ParseError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ParseError::whole_file(format!(
            "file is {} bytes, over the {} byte limit (raise [repo] max_file_size in cfgctl.toml)",
            bytes.len(),
            limits.max_bytes
        )));
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(ParseError::at(
            pos_at_byte(bytes, offset),
            "binary content (NUL byte): not a text configuration file",
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            return Err(ParseError::at(
                pos_at_byte(bytes, err.valid_up_to()),
                "invalid UTF-8: configuration files must be UTF-8 text",
            ));
        }
    };
    // A UTF-8 byte order mark is legal in all three formats' wild files; skip it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let roots = match format {
        Format::Yaml => yaml::parse(text, limits, redact)?,
        Format::Json => vec![json::parse(text, limits, redact)?],
        // The TOML parser's messages quote the line; keep only the position.
        Format::Toml if redact => vec![toml::parse(text).map_err(|e| ParseError {
            pos: e.pos,
            message: "invalid TOML (the text is not shown: secret file)".into(),
        })?],
        Format::Toml => vec![toml::parse(text)?],
    };
    Ok(Document { format, roots })
}

/// Whether every byte is a line feed, a tab (when `tabs`), printable ASCII (0x20..=0x7e) or
/// part of a non-ASCII character: the text the fast readers take (control characters,
/// carriage returns and DEL are the full parsers' to judge).
///
/// Eight bytes at a time: this runs over every byte of every YAML and TOML file, and a byte
/// loop was 3 % of a cold run.
fn printable_text(bytes: &[u8], tabs: bool) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte that equals `b`; exact per byte (no carries across bytes).
    fn equal(word: u64, b: u8) -> u64 {
        let x = word ^ (ONES * u64::from(b));
        !(((x & !HIGH) + !HIGH) | x) & HIGH
    }
    let allowed =
        |b: u8| b == b'\n' || (tabs && b == b'\t') || (0x20..0x7f).contains(&b) || b >= 0x80;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Bytes below 0x20: their low seven bits plus 0x60 stay below 0x80, and their own
        // high bit is clear.
        let below = !(((word & !HIGH) + ONES * 0x60) | word) & HIGH;
        let mut tolerated = equal(word, b'\n');
        if tabs {
            tolerated |= equal(word, b'\t');
        }
        if (below & !tolerated) | equal(word, 0x7f) != 0 {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| allowed(b))
}

/// Returns the value a YAML plain (unquoted) scalar with this text resolves to, by the same
/// YAML 1.2 core schema rules as the YAML parser: `3` is an integer, `true` a boolean, `~` and
/// the empty text null, `on` and `017` strings.
///
/// Lets `${VAR}` substitution type a value as if its text had been in the file.
pub fn resolve_plain_scalar(text: &str) -> Value {
    yaml::resolve_plain(text)
}

/// Returns the 1-based line and column of a byte offset (columns count characters).
pub fn pos_at_byte(bytes: &[u8], offset: usize) -> Pos {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Count characters, not bytes: continuation bytes (10xxxxxx) do not start a character.
    let column = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    Pos::new(line as u32, column as u32)
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Self {
        Node {
            value,
            pos,
            plain: false,
            origin: 0,
        }
    }

    /// Returns the child at a mapping key, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(map) => map.get(key).map(|e| &e.value),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Returns the value as a number, for integers and floats.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// Converts the tree into a JSON value (key order kept); non-finite floats become strings
    /// so that a schema sees them as the wrong type instead of a silent `null`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(J::Number)
                .unwrap_or_else(|| J::String(f.to_string())),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(map) => J::Object(
                map.iter()
                    .map(|(k, e)| (k.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// Walks a JSON pointer (`/services/chat/replicas`) and returns the deepest node reached
    /// with the number of segments that matched; so a finding about a missing key can point at
    /// its parent mapping.
    pub fn locate_pointer(&self, pointer: &str) -> (&Node, usize) {
        let mut node = self;
        let mut depth = 0;
        if pointer.is_empty() {
            return (node, 0);
        }
        for raw in pointer.trim_start_matches('/').split('/') {
            let segment = raw.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Value::Map(map) => map.get(&segment).map(|e| &e.value),
                Value::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(child) => {
                    node = child;
                    depth += 1;
                }
                None => break,
            }
        }
        (node, depth)
    }

    /// Calls `visit` for every node with its borrowed key path, parents before children;
    /// nothing is allocated per node.
    pub fn walk_refs<'a>(&'a self, visit: &mut dyn FnMut(&[SegmentRef<'a>], &'a Node)) {
        fn go<'a>(
            node: &'a Node,
            path: &mut Vec<SegmentRef<'a>>,
            visit: &mut dyn FnMut(&[SegmentRef<'a>], &'a Node),
        ) {
            visit(path, node);
            match &node.value {
                Value::Map(map) => {
                    for (key, entry) in map {
                        path.push(SegmentRef::Key(key));
                        go(&entry.value, path, visit);
                        path.pop();
                    }
                }
                Value::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        path.push(SegmentRef::Index(i));
                        go(item, path, visit);
                        path.pop();
                    }
                }
                _ => {}
            }
        }
        go(self, &mut Vec::new(), visit);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every detail two readers of a format must agree on: values, key order, positions,
    /// plainness.
    pub(crate) fn dump(nodes: &[Node]) -> String {
        use std::fmt::Write;
        fn go(node: &Node, out: &mut String) {
            let _ = write!(out, "@{}{}", node.pos, if node.plain { "p" } else { "" });
            match &node.value {
                Value::Map(map) => {
                    out.push('{');
                    for (k, e) in map {
                        let _ = write!(out, "{k:?}@{}=", e.key_pos);
                        go(&e.value, out);
                        out.push(',');
                    }
                    out.push('}');
                }
                Value::Seq(items) => {
                    out.push('[');
                    for item in items {
                        go(item, out);
                        out.push(',');
                    }
                    out.push(']');
                }
                other => {
                    let _ = write!(out, "{other:?}");
                }
            }
        }
        let mut out = String::new();
        for node in nodes {
            go(node, &mut out);
            out.push('\n');
        }
        out
    }

    #[test]
    fn printable_text_is_the_byte_rule_eight_at_a_time() {
        let allowed = |b: u8, tabs: bool| {
            b == b'\n' || (tabs && b == b'\t') || (0x20..0x7f).contains(&b) || b >= 0x80
        };
        let mut rng = crate::test_rng::Xorshift(0x1234_5678_9abc_def1);
        for round in 0..20_000 {
            let len = (rng.next() % 40) as usize;
            // Mostly printable text, a few bytes of anything, at every place in a word.
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.next() % 16 {
                    0 => (rng.next() % 256) as u8,
                    1 => b'\n',
                    2 => b'\t',
                    _ => 0x20 + (rng.next() % 0x5f) as u8,
                })
                .collect();
            for tabs in [false, true] {
                let expected = bytes.iter().all(|&b| allowed(b, tabs));
                assert_eq!(
                    printable_text(&bytes, tabs),
                    expected,
                    "round {round}, tabs {tabs}: {bytes:?}"
                );
            }
        }
        for b in 0..=255u8 {
            let mut bytes = vec![b'a'; 16];
            bytes[5] = b;
            assert_eq!(printable_text(&bytes, true), allowed(b, true), "{b:#x}");
            assert_eq!(printable_text(&bytes, false), allowed(b, false), "{b:#x}");
        }
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "a: é\nbb: x".as_bytes();
        assert_eq!(pos_at_byte(text, 0), Pos::new(1, 1));
        assert_eq!(pos_at_byte(text, 6), Pos::new(2, 1));
        // "a: é" is 5 bytes; the byte after é is column 5.
        assert_eq!(pos_at_byte(text, 5), Pos::new(1, 5));
    }

    #[test]
    fn binary_and_non_utf8_and_oversized_files_are_refused() {
        let limits = Limits::default();
        let err = parse(b"a: 1\nb: \0", Format::Yaml, &limits).unwrap_err();
        assert!(err.message.contains("binary"), "{err}");
        assert_eq!(err.pos, Some(Pos::new(2, 4)));
        let err = parse(b"a: \xff\n", Format::Yaml, &limits).unwrap_err();
        assert!(err.message.contains("UTF-8"), "{err}");
        let small = Limits {
            max_bytes: 4,
            ..Limits::default()
        };
        let err = parse(b"a: 12345\n", Format::Yaml, &small).unwrap_err();
        assert!(err.message.contains("limit"), "{err}");
    }

    #[test]
    fn format_by_extension() {
        assert_eq!(Format::from_path("a/b.YML"), Some(Format::Yaml));
        assert_eq!(Format::from_path("x.toml"), Some(Format::Toml));
        assert_eq!(Format::from_path("x.json"), Some(Format::Json));
        assert_eq!(Format::from_path("README.md"), None);
        assert_eq!(Format::from_path("Makefile"), None);
    }
}
