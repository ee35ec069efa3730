//! Key paths: how findings, pins and diffs name a place in a document.
//!
//! Displayed with dots between keys and brackets for sequence indices
//! (`services.chat.ports[1]`); a key that contains a dot, a bracket, a quote or a space is
//! quoted (`labels."app.kubernetes.io/name"`). Patterns use `*` for one segment and `**` for
//! any number of segments.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
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
    pub fn to_pointer(&self) -> String {
        let mut out = String::new();
        for segment in &self.0 {
            out.push('/');
            match segment {
                Segment::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    /// Returns whether the path matches a dotted pattern where `*` is one segment (key or
    /// index) and `**` any number of segments, including none.
    pub fn matches(&self, pattern: &str) -> bool {
        let pattern: Vec<&str> = split_pattern(pattern);
        match_segments(&pattern, &self.0)
    }
}

fn split_pattern(pattern: &str) -> Vec<&str> {
    if pattern.is_empty() {
        Vec::new()
    } else {
        pattern.split('.').collect()
    }
}

fn match_segments(pattern: &[&str], path: &[Segment]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| match_segments(rest, &path[skip..])),
        Some((head, rest)) => match path.split_first() {
            None => false,
            Some((segment, path_rest)) => {
                let ok = match segment {
                    _ if *head == "*" => true,
                    Segment::Key(k) => k == head,
                    Segment::Index(i) => {
                        head.trim_start_matches('[').trim_end_matches(']') == i.to_string()
                    }
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
}
