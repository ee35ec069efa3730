//! A fast path for the TOML that configuration is written in.
//!
//! Configuration TOML is mostly `[section]` headers over `key = value` lines with strings,
//! numbers, booleans and arrays of them. The `toml` crate reads all of TOML, at about 130
//! instructions a byte; this reader takes that common part in one pass over the bytes and
//! builds the same tree, with the same positions, that the crate's spans give.
//!
//! It accepts only what it is sure of. Anything else (dotted or quoted keys, inline tables,
//! arrays of tables, escapes, multi-line strings, datetimes, `inf`/`nan`, underscores and
//! non-decimal integers, a table defined twice, non-ASCII text, carriage returns, every
//! error) makes it give up, and the crate reads the file from the start, so a result or an
//! error message never depends on which reader ran. The tests compare the two readers on
//! generated documents and on mutated template files.

use crate::document::{Entry, Map, Node, Pos, Value};

/// Tables and arrays nested deeper than this are left to the crate, which has its own limit.
const MAX_DEPTH: usize = 16;

/// Parses `text` if it is simple TOML; `None` leaves it, errors included, to the crate.
pub(super) fn parse(text: &str) -> Option<Node> {
    let bytes = text.as_bytes();
    // ASCII keeps columns byte differences; tabs are TOML whitespace, other control
    // characters (and `\r`) are the crate's to judge.
    if !bytes.is_ascii() || !crate::document::printable_text(bytes, true) {
        return None;
    }
    let mut reader = Reader {
        text: bytes,
        at: 0,
        line: 1,
        line_start: 0,
        root: Map::default(),
        section: None,
    };
    reader.document()?;
    let Reader {
        mut root, section, ..
    } = reader;
    if let Some(section) = section {
        section.place(&mut root)?;
    }
    // The root has no span of its own: it sits at its first key, like the crate's.
    let pos = root
        .first()
        .map_or(Pos::new(1, 1), |(_, entry)| entry.key_pos);
    Some(Node::new(Value::Map(root), pos))
}

/// The `[header]` section being read: its table's key path and the entries read so far.
/// The table itself was placed (empty) when its header was read, so that it keeps its
/// place among its parent's keys; the entries go in when the section ends.
struct Section {
    path: Vec<String>,
    entries: Map,
}

impl Section {
    fn place(self, root: &mut Map) -> Option<()> {
        let mut table = root;
        for key in &self.path {
            match &mut table.get_mut(key)?.value.value {
                Value::Map(map) => table = map,
                _ => return None,
            }
        }
        *table = self.entries;
        Some(())
    }
}

struct Reader<'t> {
    text: &'t [u8],
    at: usize,
    /// 1-based line of `at`, and the byte offset where that line starts.
    line: u32,
    line_start: usize,
    root: Map,
    section: Option<Section>,
}

/// Characters of a bare key.
fn bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// The position of a byte offset on the current line.
    fn pos(&self, offset: usize) -> Pos {
        Pos::new(self.line, (offset - self.line_start + 1) as u32)
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Skips a comment, if one starts here, up to its line break.
    fn skip_comment(&mut self) {
        if self.peek() == Some(b'#') {
            self.at = memchr::memchr(b'\n', &self.text[self.at..])
                .map_or(self.text.len(), |n| self.at + n);
        }
    }

    fn newline(&mut self) {
        self.at += 1;
        self.line += 1;
        self.line_start = self.at;
    }

    /// The end of a header or key/value line: spaces, a comment, then a line break or the
    /// end of the text.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_spaces();
        self.skip_comment();
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.newline();
                Some(())
            }
            Some(_) => None,
        }
    }

    fn document(&mut self) -> Option<()> {
        loop {
            self.skip_spaces();
            match self.peek() {
                None => return Some(()),
                Some(b'\n') => self.newline(),
                Some(b'#') => self.end_of_line()?,
                Some(b'[') => self.header()?,
                Some(_) => self.key_value()?,
            }
        }
    }

    fn bare_key(&mut self) -> Option<(String, Pos)> {
        let start = self.at;
        while self.peek().is_some_and(bare) {
            self.at += 1;
        }
        if self.at == start {
            return None;
        }
        let key = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        Some((key.to_string(), self.pos(start)))
    }

    /// `[a.b.c]`: ends the current section and starts the table's.
    fn header(&mut self) -> Option<()> {
        let bracket = self.pos(self.at);
        self.at += 1;
        // `[[array of tables]]`
        if self.peek() == Some(b'[') {
            return None;
        }
        let mut keys = Vec::new();
        loop {
            self.skip_spaces();
            if keys.len() == MAX_DEPTH {
                return None;
            }
            keys.push(self.bare_key()?);
            self.skip_spaces();
            match self.peek() {
                Some(b'.') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    break;
                }
                _ => return None,
            }
        }
        self.end_of_line()?;
        if let Some(section) = self.section.take() {
            section.place(&mut self.root)?;
        }
        let (last, parents) = keys.split_last()?;
        let mut table = &mut self.root;
        for (key, key_pos) in parents {
            // A table named on the way is created when missing, at its key, like the
            // crate's.
            let entry = table.entry(key.clone()).or_insert_with(|| Entry {
                key_pos: *key_pos,
                value: Node::new(Value::Map(Map::default()), *key_pos),
            });
            match &mut entry.value.value {
                Value::Map(map) => table = map,
                _ => return None,
            }
        }
        // A table defined before, or a key of that name: the crate says what is wrong.
        if table.contains_key(&last.0) {
            return None;
        }
        table.insert(
            last.0.clone(),
            Entry {
                key_pos: last.1,
                value: Node::new(Value::Map(Map::default()), bracket),
            },
        );
        self.section = Some(Section {
            path: keys.into_iter().map(|(key, _)| key).collect(),
            entries: Map::default(),
        });
        Some(())
    }

    /// `key = value`, into the current section (or the root before the first header).
    fn key_value(&mut self) -> Option<()> {
        let (key, key_pos) = self.bare_key()?;
        self.skip_spaces();
        if self.peek() != Some(b'=') {
            return None;
        }
        self.at += 1;
        self.skip_spaces();
        let value = self.value(0)?;
        self.end_of_line()?;
        let table = match &mut self.section {
            Some(section) => &mut section.entries,
            None => &mut self.root,
        };
        match table.entry(key) {
            indexmap::map::Entry::Occupied(_) => None,
            indexmap::map::Entry::Vacant(slot) => {
                slot.insert(Entry { key_pos, value });
                Some(())
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        let pos = self.pos(self.at);
        let value = match self.peek()? {
            b'"' => Value::String(self.string(b'"')?),
            b'\'' => Value::String(self.string(b'\'')?),
            b'[' => return self.array(depth + 1),
            _ => self.bare_value()?,
        };
        Some(Node::new(value, pos))
    }

    /// A one-line basic string without escapes, or a one-line literal string.
    fn string(&mut self, quote: u8) -> Option<String> {
        let rest = &self.text[self.at + 1..];
        let len = memchr::memchr2(quote, b'\n', rest)?;
        // `"""` and `'''` start multi-line strings; a backslash starts an escape.
        if rest[len] != quote || (len == 0 && rest.get(1) == Some(&quote)) {
            return None;
        }
        let content = &rest[..len];
        if quote == b'"' && memchr::memchr(b'\\', content).is_some() {
            return None;
        }
        self.at += len + 2;
        Some(std::str::from_utf8(content).ok()?.to_string())
    }

    /// `true`, `false`, a decimal integer or a plain float.
    fn bare_value(&mut self) -> Option<Value> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b' ' | b'\t' | b'\n' | b',' | b']' | b'#'))
        {
            self.at += 1;
        }
        let token = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        match token {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => number(token),
        }
    }

    /// `[a, b, ...]`, over any number of lines, with comments between the items.
    fn array(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let pos = self.pos(self.at);
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_array_space();
            if self.peek()? == b']' {
                break;
            }
            items.push(self.value(depth)?);
            self.skip_array_space();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.at += 1;
        Some(Node::new(Value::Seq(items), pos))
    }

    /// Whitespace, line breaks and comments inside an array.
    fn skip_array_space(&mut self) {
        loop {
            self.skip_spaces();
            self.skip_comment();
            if self.peek() == Some(b'\n') {
                self.newline();
            } else {
                return;
            }
        }
    }
}

/// A decimal integer (`0`, `-17`, `+3`) or a float with a fraction and/or an exponent
/// (`1.5`, `-2e-3`, `6.0E+2`); `None` for anything else, and for numbers out of range,
/// which the crate reports.
fn number(token: &str) -> Option<Value> {
    let bytes = token.as_bytes();
    let unsigned = match bytes.first()? {
        b'+' | b'-' => &bytes[1..],
        _ => bytes,
    };
    let digits = unsigned.iter().take_while(|b| b.is_ascii_digit()).count();
    // No leading zeros in the integer part.
    if digits == 0 || (digits > 1 && unsigned[0] == b'0') {
        return None;
    }
    let mut rest = &unsigned[digits..];
    if rest.is_empty() {
        return token.parse::<i64>().ok().map(Value::Int);
    }
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    if let Some(exponent) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let exponent = match exponent.first() {
            Some(b'+' | b'-') => &exponent[1..],
            _ => exponent,
        };
        if exponent.is_empty() || !exponent.iter().all(u8::is_ascii_digit) {
            return None;
        }
        rest = &[];
    }
    if !rest.is_empty() {
        return None;
    }
    token
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Value::Float)
}

#[cfg(test)]
mod tests {
    use super::super::full;
    use crate::document::tests::dump;

    /// Reads `text` with both readers; returns whether the fast one took it. Where it did,
    /// the crate must have read the same tree.
    fn agree(text: &str) -> bool {
        let Some(fast) = super::parse(text) else {
            return false;
        };
        match full(text) {
            Ok(root) => assert_eq!(dump(&[fast]), dump(&[root]), "\n--- text ---\n{text}"),
            Err(err) => {
                panic!("the fast reader took text the crate refuses ({err:?}):\n{text}")
            }
        }
        true
    }

    #[test]
    fn takes_everyday_configuration() {
        let texts = [
            "",
            "# only a comment\n",
            "\n\n[a]\n",
            "title = \"demo\"\n\n[server]\nhost = \"localhost\"\n  port = 8080\n\n[database]\nenabled = true\n",
            "[monitoring]\nlog_level = \"debug\"\nredact = [\"a\", 'b']\n\n[monitoring.metrics]\nport = 9090\nbuckets = [10, 100, 1000]\nrate = 1.0   # a float\n",
            "[a.b.c]\nx = -1\n[a.b.d]\ny = +2\n[a.e]\nz = 0.5e-3\n",
            "list = [\n  \"one\", # first\n  \"two\",\n\n  # between\n  [1, [2, 3]],\n]\nempty = []\nspaces = [ ]\n",
            "\tindented\t=\t'tabs'\t# and a comment\n[ spaced . header ]\nk-1_x = 6.02E+23\n",
            "a = \"x # not a comment\"\nb = 'C:\\path\\no escapes'\nc = \"\"\nd = ''\ne = 1e5\nf = -0.0\ng = 0\n",
            "no_newline_at_end = true",
        ];
        for text in texts {
            assert!(agree(text), "the fast reader should take:\n{text}");
        }
    }

    #[test]
    fn leaves_everything_else_to_the_crate() {
        let texts = [
            // Not the subset.
            "a.b = 1\n",
            "\"quoted\" = 1\n",
            "t = { x = 1 }\n",
            "[[svc]]\nname = \"a\"\n",
            "s = \"tab\\tq\"\n",
            "s = \"\"\"\nmulti\n\"\"\"\n",
            "s = '''raw'''\n",
            "d = 1979-05-27\n",
            "t = 07:32:00\n",
            "x = inf\n",
            "x = nan\n",
            "x = 0xff\n",
            "x = 1_000\n",
            "s = \"é\"\n",
            "a = 1\r\nb = 2\r\n",
            "[a.b]\nx = 1\n[a]\ny = 2\n",
            // Errors, which the crate reports.
            "a = 1\na = 2\n",
            "[a]\n[a]\n",
            "a = 1\n[a]\n",
            "a = 1\n[a.b]\n",
            "[a]\nb = 1\n[a.b]\n",
            "a = \n",
            "a = 01\n",
            "a = 1.\n",
            "a = .5\n",
            "a = 1e\n",
            "a = 9223372036854775808\n",
            "a = 1e999\n",
            "a = [1 2]\n",
            "a = [1,,2]\n",
            "a = [,]\n",
            "a = [1\n",
            "a = \"open\n",
            "a = 1 b = 2\n",
            "a\n",
            "[]\n",
            "[a\n",
            "[a]x\n",
            "= 1\n",
            "a = truex\n",
        ];
        for text in texts {
            assert!(!agree(text), "the fast reader should leave:\n{text}");
        }
    }

    /// A small deterministic generator of TOML-ish text: sections, keys, values of every
    /// kind the fast reader takes and some it leaves, comments, blank lines, and mistakes.
    struct Gen(crate::test_rng::Xorshift);

    impl Gen {
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.0.next() % items.len() as u64) as usize]
        }

        fn value(&mut self, depth: usize) -> String {
            if depth < 3 && self.0.next().is_multiple_of(6) {
                let n = self.0.next() % 4;
                let sep = self.pick(&[", ", ",", " , ", ",\n  ", ", # c\n  "]);
                let items: Vec<String> = (0..n).map(|_| self.value(depth + 1)).collect();
                let open = self.pick(&["[", "[ ", "[\n  "]);
                let close = self.pick(&["]", " ]", ",]", "\n]", ", ]"]);
                return format!("{open}{}{close}", items.join(sep));
            }
            self.pick(&[
                "1",
                "0",
                "-0",
                "+7",
                "-42",
                "3.5",
                "-0.25",
                "1e3",
                "2E-2",
                "6.0e+2",
                "true",
                "false",
                "\"text\"",
                "\"\"",
                "'lit'",
                "''",
                "\"with # hash\"",
                "\"a'b\"",
                "'a\"b'",
                "\"http://x:1/p?q=1#f\"",
                "01",
                "1.",
                ".5",
                "1e",
                "1_0",
                "0x1f",
                "inf",
                "nan",
                "1979-05-27",
                "\"esc\\n\"",
                "{ a = 1 }",
                "\"open",
                "tru",
                "9223372036854775807",
                "-9223372036854775808",
                "9223372036854775808",
                "1e400",
                "1e05",
                "0e0",
                "-0e1",
                "00.5",
                "0.0",
                "1.0e",
                "1.5E3",
                "+0",
                "-",
                "+",
                "1.5.2",
                "1e+",
                "\"tab\there\"",
                "'back\\slash'",
                "true#c",
                "1#c",
            ])
            .to_string()
        }

        fn key(&mut self) -> String {
            self.pick(&[
                "a",
                "b",
                "name",
                "port",
                "log_level",
                "k-1",
                "x_y",
                "123",
                "true",
                "a.b",
                "\"q\"",
                "",
                "A",
            ])
            .to_string()
        }

        fn document(&mut self) -> String {
            let mut out = String::new();
            let lines = self.0.next() % 14;
            for _ in 0..lines {
                match self.0.next() % 10 {
                    0 => out.push('\n'),
                    1 => out.push_str(self.pick(&["# comment\n", "  # indented\n", "#\n"])),
                    2 | 3 => {
                        let depth = 1 + self.0.next() % 3;
                        let keys: Vec<String> = (0..depth).map(|_| self.key()).collect();
                        let open = self.pick(&["[", "[", "[ ", "  [", "[["]);
                        let close = self.pick(&["]", "]", " ]", "] # c", "]]"]);
                        let dot = self.pick(&[".", ".", " . "]);
                        out.push_str(&format!("{open}{}{close}\n", keys.join(dot)));
                    }
                    _ => {
                        let indent = self.pick(&["", "", "  ", "\t"]);
                        let eq = self.pick(&[" = ", "=", " =  ", "\t=\t"]);
                        let tail = self.pick(&["", "", "  ", " # note", "\t#x", " x"]);
                        let (key, value) = (self.key(), self.value(0));
                        out.push_str(&format!("{indent}{key}{eq}{value}{tail}\n"));
                    }
                }
            }
            if self.0.next().is_multiple_of(5) {
                out.pop();
            }
            out
        }
    }

    #[test]
    fn agrees_with_the_crate_on_generated_documents() {
        let mut generator = Gen(crate::test_rng::Xorshift(0x9e37_79b9_7f4a_7c15));
        let (mut tried, mut taken) = (0, 0);
        for _ in 0..50_000 {
            tried += 1;
            if agree(&generator.document()) {
                taken += 1;
            }
        }
        // The generator writes both kinds: a reader that never took anything would pass the
        // comparison trivially.
        assert!(
            taken * 10 > tried,
            "the fast reader took only {taken} of {tried}"
        );
    }

    #[test]
    fn takes_the_template_files() {
        let (mut toml, mut taken) = (0, 0);
        for (path, bytes) in crate::template::FILES {
            if !path.ends_with(".toml") {
                continue;
            }
            toml += 1;
            if agree(std::str::from_utf8(bytes).unwrap()) {
                taken += 1;
            }
        }
        assert!(toml > 3 && taken * 2 > toml, "took {taken} of {toml}");
    }

    /// Real files with one small mistake or change each: a character that matters to TOML
    /// inserted, deleted or swapped at a random place. Whatever the fast reader takes, the
    /// crate must read the same way.
    #[test]
    fn agrees_with_the_crate_on_mutated_template_files() {
        let mut rng = crate::test_rng::Xorshift(0x5eed_0f70_7a1c_0ffe);
        let marks = [
            "=", " ", "-", "+", "#", "'", "\"", "\n", "[", "]", "{", "}", ",", ".", "\t", "\\",
            "é", "0", "1", "e", "_", "\r", "[[", "]]", "\n[", "=\n",
        ];
        let (mut tried, mut taken) = (0, 0);
        for (path, bytes) in crate::template::FILES {
            if !path.ends_with(".toml") {
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
