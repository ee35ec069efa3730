//! Key paths: how findings, pins and diffs name a place in a document.
//!
//! Displayed with dots between keys and brackets for sequence indices
//! (`services.chat.ports[1]`) and for list items matched by an identity field
//! (`listeners[name=http]`); a key that contains a dot, a bracket, a quote or a space is
//! quoted (`labels."app.kubernetes.io/name"`).
//!
//! [`KeyPattern`]s select key paths (`[promote] pinned`, rule `ignore` lists, `diff --ignore`):
//! `*` is one segment, `**` any number of segments, and `*` inside a key is a glob
//! (`*_file`, `db_*`). They are parsed once, where they are read, so a malformed pattern is an
//! error there instead of a pattern that silently matches nothing.

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
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
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

/// A parsed key path pattern: `database.**.host`, `external_apis.*.auth.*_file`,
/// `listeners[name=http].port`.
///
/// Segments are separated by dots. A segment is a key (`host`, or `"app.kubernetes.io/name"`
/// quoted as paths print it), `*` (exactly one segment: key, index or item), `**` (any number
/// of segments, including none), a key glob with `*` inside it (`*_file`, `db_*`, `a*b*`;
/// matches keys only), or a bracket: `[1]` (an index), `[*]` (any one segment) or
/// `[name=http]` (a list item, as diffs print it). Every printed [`KeyPath`] is a pattern that
/// matches itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPattern {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// `**`
    AnyDepth,
    /// `*` or `[*]`
    Any,
    /// A key written out; a decimal one also matches that index (`ports.1`).
    Key(String),
    /// A key with `*` in it, split at the stars: `*_file` is `["", "_file"]`.
    Glob(Vec<String>),
    /// `[3]`
    Index(usize),
    /// `[name=http]`
    Item { field: String, value: String },
}

/// Why a key pattern could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad key pattern `{pattern}`: {reason}")]
pub struct PatternError {
    pub pattern: String,
    pub reason: String,
}

impl KeyPattern {
    /// Parses a dotted pattern.
    pub fn parse(text: &str) -> Result<KeyPattern, PatternError> {
        let fail = |reason: &str| PatternError {
            pattern: text.to_string(),
            reason: reason.to_string(),
        };
        if text.trim().is_empty() {
            return Err(fail("it is empty (use `**` to match every key path)"));
        }
        let mut parts = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        // Whether the next segment must be preceded by a dot (true after any segment).
        let mut after_segment = false;
        while i < chars.len() {
            if after_segment {
                match chars[i] {
                    '.' => {
                        i += 1;
                        if i == chars.len() {
                            return Err(fail("it ends with a dot"));
                        }
                    }
                    '[' => {}
                    c => {
                        return Err(fail(&format!(
                            "`{c}` after a closing bracket or quote (separate segments with dots)"
                        )));
                    }
                }
            }
            match chars[i] {
                '.' => {
                    return Err(fail(if i == 0 {
                        "it starts with a dot"
                    } else {
                        "it has an empty segment (two dots in a row)"
                    }));
                }
                '[' => {
                    let (part, next) = bracket(&chars, i).map_err(|r| fail(&r))?;
                    parts.push(part);
                    i = next;
                }
                '"' => {
                    let (key, next) = quoted(&chars, i + 1).map_err(|r| fail(&r))?;
                    parts.push(Part::Key(key));
                    i = next;
                }
                _ => {
                    let start = i;
                    while i < chars.len() && !matches!(chars[i], '.' | '[' | '"') {
                        i += 1;
                    }
                    if i < chars.len() && chars[i] == '"' {
                        return Err(fail(
                            "a quote inside a key (quote the whole key: `\"a.b\"`)",
                        ));
                    }
                    let segment: String = chars[start..i].iter().collect();
                    parts.push(plain(&segment).map_err(|r| fail(&r))?);
                }
            }
            after_segment = true;
        }
        // `a.**.**.b` means `a.**.b`; collapsing keeps matching linear in the path length
        // per `**`.
        parts.dedup_by(|a, b| *a == Part::AnyDepth && *b == Part::AnyDepth);
        Ok(KeyPattern {
            text: text.to_string(),
            parts,
        })
    }

    /// Returns the pattern that matches exactly this path, whatever characters its keys hold.
    pub fn exact(path: &KeyPath) -> KeyPattern {
        let parts = path
            .segments()
            .iter()
            .map(|segment| match segment {
                Segment::Key(k) => Part::Key(k.clone()),
                Segment::Index(i) => Part::Index(*i),
                Segment::Item { field, value } => Part::Item {
                    field: field.clone(),
                    value: value.clone(),
                },
            })
            .collect();
        KeyPattern {
            text: path.to_string(),
            parts,
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Returns whether the pattern matches the whole path.
    pub fn matches(&self, path: &KeyPath) -> bool {
        match_parts(&self.parts, path.segments(), false)
    }

    /// Returns whether the pattern matches the path or one of its parents: pinning
    /// `database.read_replicas` covers `database.read_replicas[0].host`.
    pub fn covers(&self, path: &KeyPath) -> bool {
        match_parts(&self.parts, path.segments(), !path.is_root())
    }
}

impl fmt::Display for KeyPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for KeyPattern {
    type Err = PatternError;
    fn from_str(text: &str) -> Result<KeyPattern, PatternError> {
        KeyPattern::parse(text)
    }
}

impl<'de> serde::Deserialize<'de> for KeyPattern {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        KeyPattern::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for KeyPattern {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// Parses an unquoted, unbracketed segment.
fn plain(segment: &str) -> Result<Part, String> {
    if segment.contains(char::is_whitespace) {
        return Err(format!(
            "`{segment}` has a space in it (quote such a key: `\"{segment}\"`)"
        ));
    }
    Ok(match segment {
        "**" => Part::AnyDepth,
        "*" => Part::Any,
        _ if segment.contains("***") => {
            return Err(format!(
                "`{segment}`: `*` is one key, `**` any number of keys; `***` means nothing"
            ));
        }
        _ if segment.contains("**") => {
            return Err(format!(
                "`{segment}`: `**` must be a segment of its own (`a.**.b`); inside a key, use `*`"
            ));
        }
        _ if segment.contains('*') => Part::Glob(segment.split('*').map(str::to_string).collect()),
        _ if segment.contains(']') => return Err(format!("`{segment}` has a `]` without a `[`")),
        _ => Part::Key(segment.to_string()),
    })
}

/// Parses `[...]` starting at `open`; returns the part and the index after `]`.
fn bracket(chars: &[char], open: usize) -> Result<(Part, usize), String> {
    let mut i = open + 1;
    let mut inner = String::new();
    while i < chars.len() && chars[i] != ']' && chars[i] != '=' {
        inner.push(chars[i]);
        i += 1;
    }
    if i == chars.len() {
        return Err("a `[` is never closed".into());
    }
    if chars[i] == ']' {
        let part = if inner == "*" {
            Part::Any
        } else if let Some(index) = canonical_index(&inner) {
            Part::Index(index)
        } else {
            return Err(format!(
                "`[{inner}]` is not `[N]`, `[*]` or `[field=value]`"
            ));
        };
        return Ok((part, i + 1));
    }
    // `[field=value]` or `[field="value"]`.
    let field = inner;
    if field.is_empty() || field.contains(['*', '"', '.', '[']) {
        return Err(format!("`[{field}=…]` needs a plain field name"));
    }
    i += 1;
    let (value, next) = if chars.get(i) == Some(&'"') {
        quoted(chars, i + 1)?
    } else {
        let mut value = String::new();
        while i < chars.len() && chars[i] != ']' {
            value.push(chars[i]);
            i += 1;
        }
        (value, i)
    };
    if chars.get(next) != Some(&']') {
        return Err(format!("`[{field}=…` is never closed"));
    }
    Ok((Part::Item { field, value }, next + 1))
}

/// Reads a quoted string whose text starts at `start` (after the opening quote), with `\"`
/// and `\\` escapes; returns it and the index after the closing quote.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '"' => return Ok((out, i + 1)),
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err("a quote is never closed".into())
}

/// `"3"` → 3; `"03"`, `"+3"` and `""` are not indices.
fn canonical_index(text: &str) -> Option<usize> {
    let index: usize = text.parse().ok()?;
    (index.to_string() == text).then_some(index)
}

fn match_parts(parts: &[Part], path: &[Segment], allow_rest: bool) -> bool {
    match parts.split_first() {
        None => path.is_empty() || allow_rest,
        Some((Part::AnyDepth, rest)) => {
            (0..=path.len()).any(|skip| match_parts(rest, &path[skip..], allow_rest))
        }
        Some((part, rest)) => match path.split_first() {
            None => false,
            Some((segment, path_rest)) => {
                part_matches(part, segment) && match_parts(rest, path_rest, allow_rest)
            }
        },
    }
}

fn part_matches(part: &Part, segment: &Segment) -> bool {
    match (part, segment) {
        (Part::Any, _) => true,
        (Part::Key(k), Segment::Key(key)) => k == key,
        (Part::Key(k), Segment::Index(i)) => canonical_index(k) == Some(*i),
        (Part::Glob(pieces), Segment::Key(key)) => glob_matches(pieces, key),
        (Part::Index(n), Segment::Index(i)) => n == i,
        (Part::Item { field, value }, Segment::Item { field: f, value: v }) => {
            field == f && value == v
        }
        _ => false,
    }
}

/// Matches a key against the pieces between the stars of a glob: the first piece is a
/// prefix, the last a suffix, and the ones between appear in order.
fn glob_matches(pieces: &[String], key: &str) -> bool {
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return true;
    };
    if key.len() < first.len() + last.len() || !key.starts_with(first.as_str()) {
        return false;
    }
    if !key.ends_with(last.as_str()) {
        return false;
    }
    let mut rest = &key[first.len()..key.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece.as_str()) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> KeyPath {
        KeyPath::from_pointer(p)
    }

    #[track_caller]
    fn matches(path: &KeyPath, pattern: &str) -> bool {
        KeyPattern::parse(pattern)
            .unwrap_or_else(|e| panic!("{e}"))
            .matches(path)
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
        assert!(matches(&p, "database.**.host"));
        assert!(matches(&p, "database.*.host"));
        assert!(matches(&p, "**.host"));
        assert!(matches(&p, "**"));
        assert!(!matches(&p, "database.host"));
        assert!(matches(&path("/database/host"), "database.**.host"));
        assert!(matches(&path("/services/chat/replicas"), "**.replicas"));
        assert!(!matches(
            &path("/services/chat/replicas_max"),
            "**.replicas"
        ));
        assert!(matches(&path("/ports/1"), "ports.*"));
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
        assert!(matches(&p, "listeners.*.port"));
        assert!(matches(&p, "listeners.[name=http].port"));
        assert!(matches(&p, "**.port"));
        assert!(matches(&p, "listeners.**"));
        assert!(!matches(&p, "listeners.[name=https].port"));
        assert!(!matches(&p, "listeners.[id=http].port"));
        assert!(!matches(&p, "listeners.name=http.port"));
        let mut dotted = path("/hosts");
        dotted.push(Segment::Item {
            field: "key".into(),
            value: "db.internal".into(),
        });
        assert!(matches(&dotted, "hosts.[key=db.internal]"));
        let mut spaced = path("/hosts");
        spaced.push(Segment::Item {
            field: "name".into(),
            value: "a. b".into(),
        });
        assert!(matches(&spaced, r#"hosts.[name="a. b"]"#));
    }

    #[test]
    fn printed_paths_work_as_patterns() {
        let p = items();
        assert!(matches(&p, &p.to_string()), "{p}");
        assert!(matches(&p, "listeners[name=http].port"));
        assert!(matches(&path("/ports/1"), "ports[1]"));
        assert!(matches(&path("/a/0/b"), "a[*].b"));
    }

    #[test]
    fn a_star_inside_a_key_is_a_glob_over_keys() {
        let cert = path("/external_apis/ledger/auth/cert_file");
        assert!(matches(&cert, "external_apis.*.auth.*_file"));
        assert!(matches(&cert, "**.*_file"));
        assert!(matches(&cert, "**.cert_*"));
        assert!(matches(&cert, "**.c*t*_f*e"));
        assert!(!matches(&cert, "**.*_files"));
        assert!(!matches(&cert, "**.key_*"));
        assert!(!matches(&path("/auth/token_env"), "auth.*_file"));
        assert!(matches(&path("/db_main/host"), "db_*.host"));
        // The star may match nothing, but the pieces around it may not overlap.
        assert!(matches(&path("/_file"), "*_file"));
        assert!(!matches(&path("/ab"), "ab*ab"));
        // Globs name keys: an index or a list item is not `*_file`.
        assert!(!matches(&path("/files/0"), "files.0*"));
    }

    #[test]
    fn quoted_keys_and_indices_without_brackets() {
        let p = path("/labels/app.kubernetes.io~1name");
        assert!(matches(&p, r#"labels."app.kubernetes.io/name""#));
        assert!(matches(&p, &p.to_string()));
        assert!(!matches(&p, "labels.app.kubernetes.io/name"));
        // A quoted star is a key named `*`, not a wildcard.
        assert!(matches(&path("/a/*"), r#"a."*""#));
        assert!(!matches(&path("/a/b"), r#"a."*""#));
        assert!(matches(&path("/ports/1"), "ports.1"));
        assert!(!matches(&path("/ports/1"), "ports.01"));
    }

    #[test]
    fn covers_means_the_path_or_a_parent_matches() {
        let pattern = KeyPattern::parse("database.read_replicas").unwrap();
        assert!(pattern.covers(&path("/database/read_replicas")));
        assert!(pattern.covers(&path("/database/read_replicas/0/host")));
        assert!(!pattern.covers(&path("/database")));
        assert!(!pattern.matches(&path("/database/read_replicas/0")));
        let glob = KeyPattern::parse("services.*.resources").unwrap();
        assert!(glob.covers(&path("/services/chat/resources/limits/cpu")));
        assert!(!KeyPattern::parse("a").unwrap().covers(&KeyPath::root()));
        let odd = path("/a/b**c/0");
        assert!(KeyPattern::exact(&odd).matches(&odd));
        assert!(!KeyPattern::exact(&odd).matches(&path("/a/bxc/0")));
    }

    #[test]
    fn malformed_patterns_are_errors() {
        for (pattern, reason) in [
            ("", "empty"),
            ("a..b", "empty segment"),
            (".a", "starts with a dot"),
            ("a.", "ends with a dot"),
            ("a.***", "`***`"),
            ("a.**_file", "segment of its own"),
            ("a**", "segment of its own"),
            ("ports[1", "never closed"),
            ("ports[x]", "not `[N]`"),
            ("a[1]b", "after a closing bracket"),
            ("a.\"b", "never closed"),
            ("a.b\"c\"", "quote inside a key"),
            ("a b", "space"),
            ("a]", "without a `[`"),
        ] {
            let err = KeyPattern::parse(pattern).expect_err(pattern);
            assert!(
                err.to_string().contains(reason),
                "{pattern}: {err} (expected {reason})"
            );
        }
        // `**.**` is allowed and means `**`.
        assert_eq!(
            KeyPattern::parse("a.**.**.b").unwrap().parts,
            KeyPattern::parse("a.**.b").unwrap().parts
        );
    }
}
