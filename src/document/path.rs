//! Key paths: how findings, pins and diffs name a place in a document.
//!
//! Displayed with dots between keys and brackets for sequence indices
//! (`services.chat.ports[1]`) and for list items matched by an identity field
//! (`listeners[name=http]`); a key that contains a dot, a bracket, a quote or a space is
//! quoted (`labels."app.kubernetes.io/name"`). Patterns use `*` for one segment and `**` for
//! any number of segments.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
    /// The list item whose identity field `field` has the scalar text `value`, as the
    /// semantic diff matches list items (`[name=http]`); it names an item wherever it sits.
    Item {
        field: String,
        value: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(Vec<Segment>);

/// A borrowed path segment, for walks that visit every node without allocating; turn it
/// into a [`KeyPath`] only when something is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentRef<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> SegmentRef<'a> {
    pub fn key(self) -> Option<&'a str> {
        match self {
            SegmentRef::Key(k) => Some(k),
            SegmentRef::Index(_) => None,
        }
    }
}

impl From<&[SegmentRef<'_>]> for KeyPath {
    fn from(refs: &[SegmentRef<'_>]) -> KeyPath {
        KeyPath(
            refs.iter()
                .map(|r| match r {
                    SegmentRef::Key(k) => Segment::Key((*k).to_string()),
                    SegmentRef::Index(i) => Segment::Index(*i),
                })
                .collect(),
        )
    }
}

impl KeyPath {
    pub fn root() -> Self {
        KeyPath(Vec::new())
    }

    pub fn push(&mut self, segment: Segment) {
        self.0.push(segment);
    }

    pub fn pop(&mut self) {
        self.0.pop();
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Returns the last key of the path, if it ends in a mapping key.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// Builds a path of mapping keys.
    pub fn from_keys(keys: &[String]) -> Self {
        KeyPath(keys.iter().cloned().map(Segment::Key).collect())
    }

    /// Builds a path from a JSON pointer (`/a/0/b`); numeric segments become indices.
    pub fn from_pointer(pointer: &str) -> Self {
        if pointer.is_empty() {
            return KeyPath::root();
        }
        KeyPath(
            pointer
                .trim_start_matches('/')
                .split('/')
                .map(|raw| {
                    let s = raw.replace("~1", "/").replace("~0", "~");
                    match s.parse::<usize>() {
                        Ok(i) if !s.starts_with('+') && (s == "0" || !s.starts_with('0')) => {
                            Segment::Index(i)
                        }
                        _ => Segment::Key(s),
                    }
                })
                .collect(),
        )
    }

    /// Returns the path as a JSON pointer.
    ///
    /// An [`Segment::Item`] is written as `field=value`, escaped like a key: such a pointer
    /// describes the item but is not an RFC 6901 position, and [`KeyPath::from_pointer`] reads
    /// the segment back as a key.
    pub fn to_pointer(&self) -> String {
        let mut out = String::new();
        for segment in &self.0 {
            out.push('/');
            match segment {
                Segment::Key(k) => out.push_str(&escape_pointer(k)),
                Segment::Index(i) => out.push_str(&i.to_string()),
                Segment::Item { field, value } => {
                    out.push_str(&escape_pointer(&format!("{field}={value}")));
                }
            }
        }
        out
    }

    /// Returns whether the path matches a dotted pattern where `*` is one segment (key, index
    /// or item) and `**` any number of segments, including none. An item segment matches its
    /// displayed form (`listeners.[name=http].port`); dots inside brackets do not split.
    pub fn matches(&self, pattern: &str) -> bool {
        let pattern: Vec<&str> = split_pattern(pattern);
        match_segments(&pattern, &self.0)
    }
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Splits a pattern at dots, except inside `[...]` (and quotes within it) so that an item
/// segment like `[host=db.internal]` stays whole.
fn split_pattern(pattern: &str) -> Vec<&str> {
    if pattern.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let (mut start, mut depth, mut quoted, mut escaped) = (0, 0usize, false, false);
    for (i, c) in pattern.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => {
                // `ports[1]` and `ports[name=http]` as printed are `ports.[1]`: a bracket
                // starts a segment of its own.
                if depth == 0 && i > start {
                    out.push(&pattern[start..i]);
                    start = i;
                }
                depth += 1;
            }
            ']' if !quoted => depth = depth.saturating_sub(1),
            '.' if depth == 0 && !quoted => {
                out.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&pattern[start..]);
    out
}

fn match_segments(pattern: &[&str], path: &[Segment]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| match_segments(rest, &path[skip..])),
        Some((head, rest)) => match path.split_first() {
            None => false,
            Some((segment, path_rest)) => {
                let ok = match segment {
                    _ if *head == "*" || *head == "[*]" => true,
                    Segment::Key(k) => k == head,
                    Segment::Index(i) => {
                        head.trim_start_matches('[').trim_end_matches(']') == i.to_string()
                    }
                    Segment::Item { field, value } => *head == item_text(field, value),
                };
                ok && match_segments(rest, path_rest)
            }
        },
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Item { field, value } => f.write_str(&item_text(field, value))?,
                Segment::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    let plain = !k.is_empty()
                        && k.chars()
                            .all(|c| !matches!(c, '.' | '[' | ']' | '"' | ' ' | '\t'));
                    if plain {
                        f.write_str(k)?;
                    } else {
                        write!(f, "\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Returns an item segment as displayed: `[name=http]`, or `[name="a b"]` when the value
/// would otherwise be ambiguous.
fn item_text(field: &str, value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| matches!(c, ']' | '"') || c.is_whitespace());
    if plain {
        format!("[{field}={value}]")
    } else {
        format!(
            "[{field}=\"{}\"]",
            value.replace('\\', "\\\\").replace('"', "\\\"")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> KeyPath {
        KeyPath::from_pointer(p)
    }

    #[test]
    fn displays_dots_brackets_and_quotes() {
        assert_eq!(
            path("/services/chat/ports/1").to_string(),
            "services.chat.ports[1]"
        );
        assert_eq!(
            path("/labels/app.kubernetes.io~1name").to_string(),
            "labels.\"app.kubernetes.io/name\""
        );
        assert_eq!(path("").to_string(), "(root)");
        assert_eq!(path("/a~0b/c").to_pointer(), "/a~0b/c");
    }

    #[test]
    fn patterns_match_one_or_many_segments() {
        let p = path("/database/primary/host");
        assert!(p.matches("database.**.host"));
        assert!(p.matches("database.*.host"));
        assert!(p.matches("**.host"));
        assert!(p.matches("**"));
        assert!(!p.matches("database.host"));
        assert!(path("/database/host").matches("database.**.host"));
        assert!(path("/services/chat/replicas").matches("**.replicas"));
        assert!(!path("/services/chat/replicas_max").matches("**.replicas"));
        assert!(path("/ports/1").matches("ports.*"));
    }

    #[test]
    fn numeric_keys_in_pointers_become_indices_but_leading_zeros_stay_keys() {
        assert_eq!(path("/a/0").segments()[1], Segment::Index(0));
        assert_eq!(path("/a/007").segments()[1], Segment::Key("007".into()));
    }

    fn items() -> KeyPath {
        let mut p = path("/listeners");
        p.push(Segment::Item {
            field: "name".into(),
            value: "http".into(),
        });
        p.push(Segment::Key("port".into()));
        p
    }

    #[test]
    fn item_segments_display_in_brackets_and_quote_odd_values() {
        assert_eq!(items().to_string(), "listeners[name=http].port");
        let mut p = path("/hosts");
        p.push(Segment::Item {
            field: "id".into(),
            value: "a \"b\"]".into(),
        });
        assert_eq!(p.to_string(), r#"hosts[id="a \"b\"]"]"#);
        let mut p = KeyPath::root();
        p.push(Segment::Item {
            field: "key".into(),
            value: "db.internal".into(),
        });
        assert_eq!(p.to_string(), "[key=db.internal]");
    }

    #[test]
    fn item_segments_in_pointers_are_escaped_like_keys() {
        assert_eq!(items().to_pointer(), "/listeners/name=http/port");
        let mut p = KeyPath::root();
        p.push(Segment::Item {
            field: "name".into(),
            value: "a/b~c".into(),
        });
        assert_eq!(p.to_pointer(), "/name=a~1b~0c");
        // Descriptive only: read back, the segment is a key.
        assert_eq!(
            KeyPath::from_pointer(&p.to_pointer()).segments(),
            [Segment::Key("name=a/b~c".into())]
        );
    }

    #[test]
    fn patterns_match_item_segments() {
        let p = items();
        assert!(p.matches("listeners.*.port"));
        assert!(p.matches("listeners.[name=http].port"));
        assert!(p.matches("**.port"));
        assert!(p.matches("listeners.**"));
        assert!(!p.matches("listeners.[name=https].port"));
        assert!(!p.matches("listeners.[id=http].port"));
        assert!(!p.matches("listeners.name=http.port"));
        let mut dotted = path("/hosts");
        dotted.push(Segment::Item {
            field: "key".into(),
            value: "db.internal".into(),
        });
        assert!(dotted.matches("hosts.[key=db.internal]"));
        let mut spaced = path("/hosts");
        spaced.push(Segment::Item {
            field: "name".into(),
            value: "a. b".into(),
        });
        assert!(spaced.matches(r#"hosts.[name="a. b"]"#));
    }

    #[test]
    fn printed_paths_work_as_patterns() {
        let p = items();
        assert!(p.matches(&p.to_string()), "{p}");
        assert!(p.matches("listeners[name=http].port"));
        assert!(path("/ports/1").matches("ports[1]"));
        assert!(path("/a/0/b").matches("a[*].b"));
    }
}
