//! TOML into the document tree, using the `toml` crate's spanned parser.
//!
//! `toml::de::DeTable::parse` gives every key and value a byte span; this module turns the
//! result into [`Node`]s, converting spans to line and column once per node (line starts are
//! computed once per file). Tables keep their key order; datetimes become strings in their
//! TOML text form (`1979-05-27T07:32:00Z`). Duplicate keys and every other syntax error come
//! from the crate and are reported at the crate's span, in one line.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Entry, Map, Node, ParseError, Pos, Value};

mod simple;

/// Parses a TOML document into one [`Node`]: a mapping.
pub(super) fn parse(text: &str) -> Result<Node, ParseError> {
    if let Some(root) = simple::parse(text) {
        return Ok(root);
    }
    full(text)
}

/// Parses with the `toml` crate: all of TOML, and the positioned error for invalid text.
fn full(text: &str) -> Result<Node, ParseError> {
    let mut lines = Lines::new(text);
    let root = DeTable::parse(text).map_err(|err| lines.error(&err))?;
    let span = root.span();
    Converter { lines }.table(root.into_inner(), span)
}

/// Recursion is bounded: the crate refuses nesting deeper than its own limit (80 levels of
/// headers, dotted keys or inline arrays and tables) before this runs.
struct Converter<'a> {
    lines: Lines<'a>,
}

impl Converter<'_> {
    fn value(&mut self, value: Spanned<DeValue<'_>>) -> Result<Node, ParseError> {
        let span = value.span();
        let pos = self.lines.pos(span.start);
        let value = match value.into_inner() {
            DeValue::String(s) => Value::String(s.into_owned()),
            DeValue::Boolean(b) => Value::Bool(b),
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Value::Int(n),
                Err(_) => {
                    let message = format!(
                        "integer `{}` is out of range for a 64-bit signed integer",
                        self.lines.source(&span)
                    );
                    return Err(ParseError::at(pos, message));
                }
            },
            DeValue::Float(f) => {
                let text = f.as_str();
                match text.parse::<f64>() {
                    Ok(x) if x.is_finite() || text.contains("inf") || text.contains("nan") => {
                        Value::Float(x)
                    }
                    _ => {
                        let message = format!(
                            "float `{}` is out of range for a 64-bit float",
                            self.lines.source(&span)
                        );
                        return Err(ParseError::at(pos, message));
                    }
                }
            }
            DeValue::Datetime(d) => Value::String(d.to_string()),
            DeValue::Array(items) => {
                let mut seq = Vec::with_capacity(items.len());
                for item in items {
                    seq.push(self.value(item)?);
                }
                Value::Seq(seq)
            }
            DeValue::Table(table) => return self.table(table, span),
        };
        Ok(Node::new(value, pos))
    }

    /// Converts a table; one with an empty span (the root) is placed at its first key.
    fn table(&mut self, table: DeTable<'_>, span: Range<usize>) -> Result<Node, ParseError> {
        // Ask for the table's position before its children's: positions asked in source order
        // are cheapest.
        let pos = (!span.is_empty()).then(|| self.lines.pos(span.start));
        let mut map = Map::with_capacity_and_hasher(table.len(), Default::default());
        let mut first_key = None;
        for (key, value) in table {
            let key_pos = self.lines.pos(key.span().start);
            first_key.get_or_insert(key_pos);
            let value = self.value(value)?;
            map.insert(key.into_inner().into_owned(), Entry { key_pos, value });
        }
        let pos = pos.or(first_key).unwrap_or(Pos::new(1, 1));
        Ok(Node::new(Value::Map(map), pos))
    }
}

/// Byte offsets to 1-based line and character column.
struct Lines<'a> {
    text: &'a str,
    /// Byte offset of the start of every line; `starts[0] == 0`.
    starts: Vec<usize>,
    /// With ASCII text, columns are byte differences.
    ascii: bool,
    /// The last answer on a non-ASCII text: line index, byte offset, 0-based column.
    cache: Option<(usize, usize, usize)>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines {
            text,
            starts,
            ascii: text.is_ascii(),
            cache: None,
        }
    }

    fn pos(&mut self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let column = if self.ascii {
            offset - start
        } else {
            let (from, base) = match self.cache {
                Some((l, at, column)) if l == line && at <= offset => (at, column),
                _ => (start, 0),
            };
            // Count characters, not bytes: continuation bytes (10xxxxxx) do not start one.
            let column = base
                + self.text.as_bytes()[from..offset]
                    .iter()
                    .filter(|&&b| (b & 0xC0) != 0x80)
                    .count();
            self.cache = Some((line, offset, column));
            column
        };
        Pos::new(line as u32 + 1, column as u32 + 1)
    }

    /// The source text of a span (for messages), cut at the end of its first line.
    fn source(&self, span: &Range<usize>) -> &'a str {
        let text = self.text.get(span.clone()).unwrap_or("");
        text.lines().next().unwrap_or("").trim()
    }

    /// Turns the crate's error into a one-line message at the start of its span.
    fn error(&mut self, err: &toml::de::Error) -> ParseError {
        // `message()` is the short description; `Display` adds a multi-line snippet.
        let mut message = err
            .message()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        message = message.trim_end_matches('.').to_owned();
        if message == "recursion limit" || message.starts_with("cannot recurse further") {
            message = "too deeply nested: tables and arrays nest deeper than the TOML parser \
                       allows"
                .to_owned();
        }
        match err.span() {
            Some(span) => {
                if message == "duplicate key" {
                    let key = self.source(&span);
                    if !key.is_empty() {
                        message = format!("duplicate key `{key}`");
                    }
                }
                ParseError::at(self.pos(span.start), message)
            }
            None => ParseError::whole_file(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse(text).unwrap_or_else(|e| panic!("{text:?}: {e} at {:?}", e.pos))
    }

    fn parse_err(text: &str) -> ParseError {
        match parse(text) {
            Ok(node) => panic!("{text:?} parsed: {node:?}"),
            Err(err) => {
                assert!(!err.message.contains('\n'), "{:?}", err.message);
                err
            }
        }
    }

    fn entry<'a>(node: &'a Node, key: &str) -> &'a Entry {
        node.as_map()
            .and_then(|m| m.get(key))
            .unwrap_or_else(|| panic!("no key {key} in {node:?}"))
    }

    fn items(node: &Node) -> &[Node] {
        match &node.value {
            Value::Seq(items) => items,
            other => panic!("not an array: {other:?}"),
        }
    }

    #[test]
    fn positions_in_sections() {
        let text = "# comment\ntitle = \"demo\"\n\n[server]\nhost = \"localhost\"\n  port = 8080\n\n[database]\nenabled = true\n";
        let root = parse_ok(text);
        // The root has no span of its own: it sits at its first key.
        assert_eq!(root.pos, Pos::new(2, 1));
        assert!(!root.plain);
        let title = entry(&root, "title");
        assert_eq!(title.key_pos, Pos::new(2, 1));
        assert_eq!(title.value.pos, Pos::new(2, 9));
        assert_eq!(title.value.as_str(), Some("demo"));
        let server = entry(&root, "server");
        assert_eq!(server.key_pos, Pos::new(4, 2));
        assert_eq!(server.value.pos, Pos::new(4, 1));
        let host = entry(&server.value, "host");
        assert_eq!(host.key_pos, Pos::new(5, 1));
        assert_eq!(host.value.pos, Pos::new(5, 8));
        let port = entry(&server.value, "port");
        assert_eq!(port.key_pos, Pos::new(6, 3));
        assert_eq!(port.value.pos, Pos::new(6, 10));
        assert_eq!(port.value.value, Value::Int(8080));
        let database = entry(&root, "database");
        assert_eq!(database.key_pos, Pos::new(8, 2));
        let enabled = entry(&database.value, "enabled");
        assert_eq!(enabled.value.value, Value::Bool(true));
        assert_eq!(enabled.value.pos, Pos::new(9, 11));
        let keys: Vec<&str> = root.as_map().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["title", "server", "database"]);
    }

    #[test]
    fn dotted_keys_and_dotted_headers() {
        let text = "a.b.c = 1\na.d = \"x\"\n\n[x.y]\nz = 2\n[x.\"q r\"]\n";
        let root = parse_ok(text);
        let a = entry(&root, "a");
        assert_eq!(a.key_pos, Pos::new(1, 1));
        assert_eq!(a.value.pos, Pos::new(1, 1));
        let b = entry(&a.value, "b");
        assert_eq!(b.key_pos, Pos::new(1, 3));
        let c = entry(&b.value, "c");
        assert_eq!(c.key_pos, Pos::new(1, 5));
        assert_eq!(c.value.pos, Pos::new(1, 9));
        assert_eq!(c.value.value, Value::Int(1));
        let d = entry(&a.value, "d");
        assert_eq!(d.key_pos, Pos::new(2, 3));
        assert_eq!(d.value.pos, Pos::new(2, 7));
        let x = entry(&root, "x");
        assert_eq!(x.key_pos, Pos::new(4, 2));
        let y = entry(&x.value, "y");
        assert_eq!(y.key_pos, Pos::new(4, 4));
        assert_eq!(y.value.pos, Pos::new(4, 1));
        let z = entry(&y.value, "z");
        assert_eq!(z.key_pos, Pos::new(5, 1));
        assert_eq!(z.value.pos, Pos::new(5, 5));
        // A quoted key's position is its opening quote.
        let qr = entry(&x.value, "q r");
        assert_eq!(qr.key_pos, Pos::new(6, 4));
        assert_eq!(qr.value.pos, Pos::new(6, 1));
        assert_eq!(qr.value.value, Value::Map(Map::default()));
    }

    #[test]
    fn arrays_of_tables() {
        let text = "[[svc]]\nname = \"a\"\n\n[[svc]]\nname = \"b\"\n[svc.meta]\nk = 1\n";
        let root = parse_ok(text);
        let svc = entry(&root, "svc");
        assert_eq!(svc.key_pos, Pos::new(1, 3));
        assert_eq!(svc.value.pos, Pos::new(1, 1));
        let list = items(&svc.value);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].pos, Pos::new(1, 1));
        assert_eq!(list[1].pos, Pos::new(4, 1));
        let name = entry(&list[1], "name");
        assert_eq!(name.key_pos, Pos::new(5, 1));
        assert_eq!(name.value.pos, Pos::new(5, 8));
        assert_eq!(name.value.as_str(), Some("b"));
        let meta = entry(&list[1], "meta");
        assert_eq!(meta.key_pos, Pos::new(6, 6));
        assert_eq!(meta.value.pos, Pos::new(6, 1));
        assert_eq!(entry(&meta.value, "k").value.pos, Pos::new(7, 5));
    }

    #[test]
    fn inline_tables_and_arrays() {
        let text = "point = { x = 1, y = { z = [1, 2.5, \"s\"] } }\nlist = [\n  { n = 1 },\n  [true],\n]\n";
        let root = parse_ok(text);
        let point = entry(&root, "point");
        assert_eq!(point.value.pos, Pos::new(1, 9));
        let x = entry(&point.value, "x");
        assert_eq!(x.key_pos, Pos::new(1, 11));
        assert_eq!(x.value.pos, Pos::new(1, 15));
        let y = entry(&point.value, "y");
        assert_eq!(y.key_pos, Pos::new(1, 18));
        assert_eq!(y.value.pos, Pos::new(1, 22));
        let z = entry(&y.value, "z");
        assert_eq!(z.key_pos, Pos::new(1, 24));
        assert_eq!(z.value.pos, Pos::new(1, 28));
        let zs = items(&z.value);
        assert_eq!(zs[1].pos, Pos::new(1, 32));
        assert_eq!(zs[1].value, Value::Float(2.5));
        assert_eq!(zs[2].pos, Pos::new(1, 37));
        let list = entry(&root, "list");
        assert_eq!(list.value.pos, Pos::new(2, 8));
        let list = items(&list.value);
        assert_eq!(list[0].pos, Pos::new(3, 3));
        assert_eq!(entry(&list[0], "n").key_pos, Pos::new(3, 5));
        assert_eq!(list[1].pos, Pos::new(4, 3));
        assert_eq!(items(&list[1])[0].pos, Pos::new(4, 4));
    }

    #[test]
    fn datetimes_become_strings() {
        let text = "odt = 1979-05-27T07:32:00Z\nodt2 = 1979-05-27 00:32:00.999999-07:00\nldt = 1979-05-27T07:32:00\nld = 1979-05-27\nlt = 07:32:00\n";
        let root = parse_ok(text);
        let get = |k: &str| entry(&root, k).value.as_str().map(str::to_owned);
        assert_eq!(get("odt").as_deref(), Some("1979-05-27T07:32:00Z"));
        assert_eq!(
            get("odt2").as_deref(),
            Some("1979-05-27T00:32:00.999999-07:00")
        );
        assert_eq!(get("ldt").as_deref(), Some("1979-05-27T07:32:00"));
        assert_eq!(get("ld").as_deref(), Some("1979-05-27"));
        assert_eq!(get("lt").as_deref(), Some("07:32:00"));
        assert_eq!(entry(&root, "odt2").value.pos, Pos::new(2, 8));
    }

    #[test]
    fn scalars() {
        let text = "a = 0xff\nb = 0o17\nc = 0b101\nd = 1_000\ne = +7\nf = -9223372036854775808\ng = 6.626e-34\nh = inf\ni = -inf\nj = nan\nk = '''\nraw\\n'''\nl = \"tab\\tq\\\"\"\n";
        let root = parse_ok(text);
        let v = |k: &str| entry(&root, k).value.value.clone();
        assert_eq!(v("a"), Value::Int(255));
        assert_eq!(v("b"), Value::Int(15));
        assert_eq!(v("c"), Value::Int(5));
        assert_eq!(v("d"), Value::Int(1000));
        assert_eq!(v("e"), Value::Int(7));
        assert_eq!(v("f"), Value::Int(i64::MIN));
        assert_eq!(v("g"), Value::Float(6.626e-34));
        assert_eq!(v("h"), Value::Float(f64::INFINITY));
        assert_eq!(v("i"), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(v("j"), Value::Float(x) if x.is_nan()));
        assert_eq!(v("k"), Value::String("raw\\n".into()));
        assert_eq!(v("l"), Value::String("tab\tq\"".into()));
    }

    #[test]
    fn out_of_range_numbers_are_errors() {
        let err = parse_err("ok = 1\nbig = 9223372036854775808\n");
        assert_eq!(err.pos, Some(Pos::new(2, 7)));
        assert_eq!(
            err.message,
            "integer `9223372036854775808` is out of range for a 64-bit signed integer"
        );
        let err = parse_err("x = [0xffffffffffffffff]");
        assert_eq!(err.pos, Some(Pos::new(1, 6)));
        let err = parse_err("f = 1e400");
        assert_eq!(err.pos, Some(Pos::new(1, 5)));
        assert_eq!(
            err.message,
            "float `1e400` is out of range for a 64-bit float"
        );
    }

    #[test]
    fn unicode_columns_count_characters() {
        let text = "\"é😀\" = \"ü\"\n[\"ß\"]\nk = \"日本\"  # ok\nv = 1\n";
        let root = parse_ok(text);
        let first = entry(&root, "é😀");
        assert_eq!(first.key_pos, Pos::new(1, 1));
        assert_eq!(first.value.pos, Pos::new(1, 8));
        let sz = entry(&root, "ß");
        assert_eq!(sz.key_pos, Pos::new(2, 2));
        assert_eq!(entry(&sz.value, "k").value.pos, Pos::new(3, 5));
        let err = parse_err("a = \"日本\" x\n");
        assert_eq!(err.pos, Some(Pos::new(1, 10)));
    }

    #[test]
    fn duplicate_keys_point_at_the_duplicate() {
        let err = parse_err("name = 1\nother = 2\n  name = 3\n");
        assert_eq!(err.pos, Some(Pos::new(3, 3)));
        assert_eq!(err.message, "duplicate key `name`");
        let err = parse_err("[a]\nx = 1\n\n[a]\n");
        assert_eq!(err.pos, Some(Pos::new(4, 2)));
        assert!(err.message.starts_with("duplicate key"), "{}", err.message);
        let err = parse_err("p = { x = 1, x = 2 }");
        assert_eq!(err.pos, Some(Pos::new(1, 14)));
        assert!(err.message.starts_with("duplicate key"), "{}", err.message);
        let err = parse_err("a.b = 1\na.b = 2\n");
        assert_eq!(err.pos, Some(Pos::new(2, 3)));
        assert!(err.message.starts_with("duplicate key"), "{}", err.message);
    }

    #[test]
    fn syntax_errors_are_one_line_at_the_offending_place() {
        let err = parse_err("a = 1\nb = \n");
        assert_eq!(err.pos, Some(Pos::new(2, 5)), "{}", err.message);
        let err = parse_err("a = 1\n[server\nport = 1\n");
        assert_eq!(err.pos.map(|p| p.line), Some(2), "{}", err.message);
        let err = parse_err("x = [1, 2\ny = 3\n");
        assert_eq!(err.pos, Some(Pos::new(2, 1)), "{}", err.message);
        assert!(err.message.contains("expected `,`"), "{}", err.message);
        let err = parse_err("k = \"unterminated\n");
        assert_eq!(err.pos.map(|p| p.line), Some(1), "{}", err.message);
        let err = parse_err("k = tru\n");
        assert_eq!(err.pos, Some(Pos::new(1, 5)), "{}", err.message);
        for text in ["a = 1\nb = \n", "[x\n", "k = tru\n", "a = 1 2\n", "= 1\n"] {
            let err = parse_err(text);
            assert!(!err.message.is_empty());
            assert!(!err.message.ends_with('.'), "{}", err.message);
            assert!(
                !err.message.starts_with("TOML parse error"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn empty_document_is_an_empty_table() {
        let root = parse_ok("");
        assert_eq!(root.value, Value::Map(Map::default()));
        assert_eq!(root.pos, Pos::new(1, 1));
        let root = parse_ok("# only a comment\n");
        assert_eq!(root.pos, Pos::new(1, 1));
        // A file that starts with a header: the root sits at the header's key.
        let root = parse_ok("\n[a]\n");
        assert_eq!(root.pos, Pos::new(2, 2));
    }

    #[test]
    fn deep_nesting_is_refused_by_the_crate() {
        let header = vec!["k"; 200].join(".");
        let err = parse_err(&format!("[{header}]\nv = 1\n"));
        assert!(
            err.message.starts_with("too deeply nested"),
            "{}",
            err.message
        );
        let err = parse_err(&format!("{header} = 1\n"));
        assert!(
            err.message.starts_with("too deeply nested"),
            "{}",
            err.message
        );
        let err = parse_err(&format!("a = {}{}", "[".repeat(200), "]".repeat(200)));
        assert!(
            err.message.starts_with("too deeply nested"),
            "{}",
            err.message
        );
        assert_eq!(err.pos.map(|p| p.line), Some(1));
        let header = vec!["k"; 60].join(".");
        let root = parse_ok(&format!("[{header}]\nv = 1\n"));
        let mut depth = 0;
        let mut node = &root;
        while let Some(next) = node.get("k") {
            depth += 1;
            node = next;
        }
        assert_eq!(depth, 60);
        assert_eq!(node.get("v").map(|v| v.pos), Some(Pos::new(2, 5)));
    }

    #[test]
    fn to_json_matches_the_crate() {
        let text = "name = \"chat\"\nreplicas = 3\nratio = 0.5\n[labels]\n\"app.kubernetes.io/name\" = \"chat\"\ntier = \"backend\"\n[[ports]]\nport = 80\n[[ports]]\nport = 443\nextra = { a = [1, 2], b = { c = false } }\n";
        let ours = parse_ok(text).to_json();
        let theirs: serde_json::Value = toml::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
    }
}
