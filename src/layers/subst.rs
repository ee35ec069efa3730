//! `${VAR}`, `${VAR:default}` and `${SECRET:path}` references in the string values of a tree.
//!
//! Substitution runs once on a rendered tree, after merging, and never touches keys. Text that
//! a reference yields is not scanned again, so a variable cannot inject a reference, and `$${`
//! stands for a literal `${`. Secret references are left in place and listed with their byte
//! spans; [`fill_secrets`] fills exactly those spans later, so that a literal `${SECRET:…}` made
//! by an escape or by a variable's value is never taken for a reference.

use crate::document::{KeyPath, Node, Pos, Segment, SegmentRef, Value, resolve_plain_scalar};
use std::fmt;
use std::ops::Range;

/// A well-formed reference, as written between `${` and `}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `${NAME}` or `${NAME:default}`; the default is the text after the first `:`, up to the
    /// first `}`, taken literally (it may be empty and may hold `:`, but not `}`).
    Var {
        name: String,
        default: Option<String>,
    },
    /// `${SECRET:path}`: a key path into the environment's decrypted secret files.
    Secret { path: String },
}

/// A `${NAME}` without a default whose variable is not set; its text stays in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// Where the string value is in the document.
    pub path: KeyPath,
    /// The value's layer file (see [`super::Rendered::files`]) and its position in that file.
    pub origin: u32,
    pub pos: Pos,
    /// The reference as written, `${NAME}`.
    pub text: String,
}

/// A `${` that does not start a valid reference; its text stays in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub path: KeyPath,
    pub origin: u32,
    pub pos: Pos,
    /// The text as written: from `${` to the first `}`, or to the end of the value.
    pub text: String,
    pub problem: Problem,
}

/// Why a `${…}` is not a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// No `}` after the `${`.
    Unterminated,
    /// `${}` or `${:default}`.
    EmptyName,
    /// A name that is not `[A-Za-z_][A-Za-z0-9_]*`.
    InvalidName,
    /// `${SECRET:}`.
    EmptySecretPath,
}

/// A `${SECRET:path}` left in place for the secrets feature to fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    pub path: KeyPath,
    pub origin: u32,
    pub pos: Pos,
    /// The secret's key path, `db.password` in `${SECRET:db.password}`.
    pub secret: String,
    /// The byte range of `${SECRET:…}` in the string value after substitution.
    pub span: Range<usize>,
}

/// What [`substitute`] found, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Substitution {
    pub unresolved: Vec<Unresolved>,
    pub secrets: Vec<SecretRef>,
    pub errors: Vec<Malformed>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::Unterminated => "unterminated `${`: no closing `}`",
            Problem::EmptyName => "empty variable name",
            Problem::InvalidName => {
                "invalid variable name: use letters, digits and `_`, not starting with a digit"
            }
            Problem::EmptySecretPath => "empty secret path in `${SECRET:}`",
        })
    }
}

impl Substitution {
    /// Returns true when every variable resolved and every `${` was well-formed (secrets aside).
    pub fn is_clean(&self) -> bool {
        self.unresolved.is_empty() && self.errors.is_empty()
    }
}

/// Replaces variable references in every string value of the tree (not in keys), in place.
///
/// `${NAME}` becomes `lookup(NAME)` and stays as written when that is `None`;
/// `${NAME:default}` becomes `lookup(NAME)` or the default (a variable set to the empty string
/// counts as set). When a YAML plain scalar is exactly one variable reference, the result is
/// typed as a plain scalar with that text would be (`replicas: ${REPLICAS:3}` is the integer 3,
/// `${X:}` is null); quoted scalars, JSON and TOML strings, and text around a reference keep
/// the value a string. Malformed `${` and secret references are left as written and listed.
pub fn substitute(root: &mut Node, lookup: &dyn Fn(&str) -> Option<String>) -> Substitution {
    let mut found = Substitution::default();
    walk(root, &mut Vec::new(), lookup, &mut found);
    found
}

/// Fills secret references that [`substitute`] listed, in the same tree, unchanged since:
/// each span is replaced by `value(secret)`. A plain scalar that was exactly one secret
/// reference is typed like a substituted variable. Returns the references left unfilled: those
/// `value` does not know, and any whose span no longer holds a secret reference.
pub fn fill_secrets<'s>(
    root: &mut Node,
    secrets: &'s [SecretRef],
    value: &dyn Fn(&str) -> Option<String>,
) -> Vec<&'s SecretRef> {
    let mut order: Vec<&SecretRef> = secrets.iter().collect();
    // Right to left within a value, so that filling one span leaves the earlier ones valid.
    order.sort_by(|a, b| a.path.cmp(&b.path).then(b.span.start.cmp(&a.span.start)));
    let mut unfilled = Vec::new();
    for secret in order {
        let Some(node) = node_at_mut(root, &secret.path) else {
            unfilled.push(secret);
            continue;
        };
        let Value::String(text) = &mut node.value else {
            unfilled.push(secret);
            continue;
        };
        let in_place = text
            .get(secret.span.clone())
            .is_some_and(|raw| raw.starts_with("${SECRET:") && raw.ends_with('}'));
        let Some(filled) = value(&secret.secret).filter(|_| in_place) else {
            unfilled.push(secret);
            continue;
        };
        let whole = secret.span == (0..text.len());
        text.replace_range(secret.span.clone(), &filled);
        if whole && node.plain {
            node.value = resolve_plain_scalar(&filled);
        }
    }
    unfilled
}

/// Returns the well-formed references in a text, in order; escapes and malformed `${` are
/// skipped.
pub fn references(text: &str) -> Vec<Reference> {
    tokens(text)
        .into_iter()
        .filter_map(|token| match token {
            Token::Ref(reference, _) => Some(reference),
            _ => None,
        })
        .collect()
}

enum Token<'t> {
    Text(&'t str),
    /// `$${`, which stands for a literal `${`.
    Escape,
    /// A reference and its text as written.
    Ref(Reference, &'t str),
    Bad(Problem, &'t str),
}

/// Splits a text into literal runs, escapes and references. A `}` always closes the `${`
/// before it, so `${A:${B}}` is `A` with the default `${B` followed by a literal `}`.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut literal = 0;
    let mut i = 0;
    while let Some(found) = text[i..].find('$') {
        let at = i + found;
        let rest = &text[at..];
        // `$`, `{` and `}` are ASCII, so every index here is a character boundary.
        if rest.starts_with("$${") {
            push_text(&mut tokens, &text[literal..at]);
            tokens.push(Token::Escape);
            i = at + 3;
            literal = i;
        } else if let Some(after) = rest.strip_prefix("${") {
            push_text(&mut tokens, &text[literal..at]);
            let Some(close) = after.find('}') else {
                tokens.push(Token::Bad(Problem::Unterminated, rest));
                literal = text.len();
                break;
            };
            let raw = &rest[..close + 3];
            tokens.push(match parse_reference(&after[..close]) {
                Ok(reference) => Token::Ref(reference, raw),
                Err(problem) => Token::Bad(problem, raw),
            });
            i = at + raw.len();
            literal = i;
        } else {
            i = at + 1;
        }
    }
    push_text(&mut tokens, &text[literal..]);
    tokens
}

fn push_text<'t>(tokens: &mut Vec<Token<'t>>, text: &'t str) {
    if !text.is_empty() {
        tokens.push(Token::Text(text));
    }
}

/// Parses what is between `${` and `}`.
fn parse_reference(inner: &str) -> Result<Reference, Problem> {
    let (name, default) = match inner.split_once(':') {
        Some((name, default)) => (name, Some(default)),
        None => (inner, None),
    };
    match (name, default) {
        ("SECRET", Some("")) => Err(Problem::EmptySecretPath),
        ("SECRET", Some(path)) => Ok(Reference::Secret {
            path: path.to_string(),
        }),
        ("", _) => Err(Problem::EmptyName),
        _ if !is_name(name) => Err(Problem::InvalidName),
        _ => Ok(Reference::Var {
            name: name.to_string(),
            default: default.map(str::to_string),
        }),
    }
}

fn is_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn walk<'a>(
    node: &'a mut Node,
    path: &mut Vec<SegmentRef<'a>>,
    lookup: &dyn Fn(&str) -> Option<String>,
    found: &mut Substitution,
) {
    if let Value::String(text) = &node.value {
        if let Some(value) = expand(text, node, path, lookup, found) {
            node.value = value;
        }
        return;
    }
    match &mut node.value {
        Value::Map(map) => {
            for (key, entry) in map.iter_mut() {
                path.push(SegmentRef::Key(key));
                walk(&mut entry.value, path, lookup, found);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(SegmentRef::Index(i));
                walk(item, path, lookup, found);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Returns the new value of a string node whose text holds a `${`, recording what it found.
fn expand(
    text: &str,
    node: &Node,
    path: &[SegmentRef<'_>],
    lookup: &dyn Fn(&str) -> Option<String>,
    found: &mut Substitution,
) -> Option<Value> {
    if !text.contains("${") {
        return None;
    }
    let tokens = tokens(text);
    let mut out = String::with_capacity(text.len());
    let mut resolved = false;
    for token in &tokens {
        match token {
            Token::Text(literal) => out.push_str(literal),
            Token::Escape => out.push_str("${"),
            Token::Ref(Reference::Var { name, default }, raw) => {
                match lookup(name).or_else(|| default.clone()) {
                    Some(value) => {
                        out.push_str(&value);
                        resolved = true;
                    }
                    None => {
                        out.push_str(raw);
                        found.unresolved.push(Unresolved {
                            path: KeyPath::from(path),
                            origin: node.origin,
                            pos: node.pos,
                            text: raw.to_string(),
                        });
                    }
                }
            }
            Token::Ref(Reference::Secret { path: secret }, raw) => {
                let start = out.len();
                out.push_str(raw);
                found.secrets.push(SecretRef {
                    path: KeyPath::from(path),
                    origin: node.origin,
                    pos: node.pos,
                    secret: secret.clone(),
                    span: start..out.len(),
                });
            }
            Token::Bad(problem, raw) => {
                out.push_str(raw);
                found.errors.push(Malformed {
                    path: KeyPath::from(path),
                    origin: node.origin,
                    pos: node.pos,
                    text: raw.to_string(),
                    problem: *problem,
                });
            }
        }
    }
    // As if the text had been substituted before parsing: `replicas: ${N}` is a number.
    let retype = node.plain && resolved && tokens.len() == 1;
    Some(if retype {
        resolve_plain_scalar(&out)
    } else {
        Value::String(out)
    })
}

fn node_at_mut<'n>(root: &'n mut Node, path: &KeyPath) -> Option<&'n mut Node> {
    path.segments()
        .iter()
        .try_fold(root, |node, segment| match (&mut node.value, segment) {
            (Value::Map(map), Segment::Key(key)) => map.get_mut(key).map(|e| &mut e.value),
            (Value::Seq(items), Segment::Index(i)) => items.get_mut(*i),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Format, Limits, parse};

    fn yaml(text: &str) -> Node {
        crate::document::test_yaml(text)
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    /// Substitutes in a YAML text and returns the tree as JSON with what was found.
    fn run(text: &str, env: &[(&str, &str)]) -> (serde_json::Value, Substitution) {
        let mut root = yaml(text);
        let found = substitute(&mut root, &vars(env));
        (root.to_json(), found)
    }

    /// Substitutes in one double-quoted string value and returns the result.
    fn quoted(text: &str, env: &[(&str, &str)]) -> serde_json::Value {
        let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
        run(&format!("v: \"{escaped}\"\n"), env).0["v"].clone()
    }

    #[test]
    fn variables_resolve_and_unset_ones_are_listed() {
        let (out, found) = run(
            "db:\n  host: \"${HOST}\"\n  url: \"pg://${USER}@${HOST}:${PORT}/${USER}\"\n",
            &[("HOST", "db.internal"), ("USER", "app")],
        );
        assert_eq!(out["db"]["host"], "db.internal");
        assert_eq!(out["db"]["url"], "pg://app@db.internal:${PORT}/app");
        assert_eq!(
            found.unresolved,
            [Unresolved {
                path: KeyPath::from_pointer("/db/url"),
                origin: 0,
                pos: Pos::new(3, 8),
                text: "${PORT}".into(),
            }]
        );
        assert!(found.errors.is_empty() && found.secrets.is_empty());
        assert!(!found.is_clean());
    }

    #[test]
    fn defaults_apply_only_to_unset_variables() {
        assert_eq!(quoted("${A:fallback}", &[]), "fallback");
        assert_eq!(quoted("${A:fallback}", &[("A", "set")]), "set");
        // Set but empty is set.
        assert_eq!(quoted("[${A:fallback}]", &[("A", "")]), "[]");
        assert_eq!(quoted("[${A:}]", &[]), "[]");
        assert_eq!(
            quoted("${URL:http://localhost:8080/x}", &[]),
            "http://localhost:8080/x"
        );
        let (_, found) = run("v: \"${A:}\"\n", &[]);
        assert!(found.is_clean());
    }

    #[test]
    fn double_dollar_escapes_a_reference() {
        assert_eq!(
            quoted("$${HOME} and ${A}", &[("HOME", "/h"), ("A", "a")]),
            "${HOME} and a"
        );
        assert_eq!(quoted("$${", &[]), "${");
        // Only `$${` is an escape; other dollars are literal.
        assert_eq!(quoted("$5 $$ $A $", &[("A", "a")]), "$5 $$ $A $");
        // Scanned left to right: a lone `$`, then the escape.
        assert_eq!(quoted("$$${A}", &[("A", "a")]), "$${A}");
        assert_eq!(
            references("$${A} ${B}"),
            [Reference::Var {
                name: "B".into(),
                default: None
            }]
        );
        let (_, found) = run("v: $${NOPE}\n", &[]);
        assert!(found.is_clean());
    }

    #[test]
    fn malformed_references_are_errors_left_in_place() {
        let (out, found) = run(
            "a: \"${OK} ${abc\"\nb: \"${1A} ${}\"\nc: \"${:x} ${A-B} ${ A } ${SECRET:}\"\n",
            &[("OK", "ok"), ("abc", "no")],
        );
        assert_eq!(out["a"], "ok ${abc");
        assert_eq!(out["b"], "${1A} ${}");
        assert_eq!(out["c"], "${:x} ${A-B} ${ A } ${SECRET:}");
        let errors: Vec<(String, &str, Problem)> = found
            .errors
            .iter()
            .map(|e| (e.path.to_string(), e.text.as_str(), e.problem))
            .collect();
        assert_eq!(
            errors,
            [
                ("a".into(), "${abc", Problem::Unterminated),
                ("b".into(), "${1A}", Problem::InvalidName),
                ("b".into(), "${}", Problem::EmptyName),
                ("c".into(), "${:x}", Problem::EmptyName),
                ("c".into(), "${A-B}", Problem::InvalidName),
                ("c".into(), "${ A }", Problem::InvalidName),
                ("c".into(), "${SECRET:}", Problem::EmptySecretPath),
            ]
        );
        assert_eq!(found.errors[1].pos, Pos::new(2, 4));
        assert!(Problem::Unterminated.to_string().contains("unterminated"));
    }

    #[test]
    fn a_default_ends_at_the_first_closing_brace() {
        // `${A:${B}}` is A with the default `${B`, then a literal `}`; B is never looked up.
        assert_eq!(quoted("${A:${B}}", &[("B", "b")]), "${B}");
        assert_eq!(quoted("${A:${B}}", &[("A", "a"), ("B", "b")]), "a}");
        assert_eq!(
            references("${A:${B}}"),
            [Reference::Var {
                name: "A".into(),
                default: Some("${B".into())
            }]
        );
    }

    #[test]
    fn substituted_text_is_not_expanded_again() {
        let (out, found) = run("v: \"${A}\"\n", &[("A", "${B} ${SECRET:x} ${"), ("B", "b")]);
        assert_eq!(out["v"], "${B} ${SECRET:x} ${");
        assert!(found.is_clean() && found.secrets.is_empty());
    }

    #[test]
    fn plain_single_references_are_typed_like_yaml() {
        let (out, _) = run(
            "replicas: ${REPLICAS:3}\non: ${FLAG}\nratio: ${R}\nnone: ${X:}\nword: ${W}\nzero: ${Z}\nlist:\n  - ${REPLICAS:3}\n  - \"${REPLICAS:3}\"\n",
            &[("FLAG", "true"), ("R", "0.5"), ("W", "on"), ("Z", "017")],
        );
        assert_eq!(
            out,
            serde_json::json!({
                "replicas": 3, "on": true, "ratio": 0.5, "none": null, "word": "on",
                "zero": "017", "list": [3, "3"],
            })
        );
        // Text around the reference, two references, an unresolved one: strings.
        let (out, found) = run(
            "a: ${N:3}x\nb: x${N:3}\nc: ${N:1}${N:2}\nd: ${UNSET}\ne: '${N:3}'\n",
            &[],
        );
        assert_eq!(
            out,
            serde_json::json!({"a": "3x", "b": "x3", "c": "12", "d": "${UNSET}", "e": "3"})
        );
        assert_eq!(found.unresolved.len(), 1);
    }

    #[test]
    fn json_strings_stay_strings() {
        let mut root = parse(br#"{"n": "${N}"}"#, Format::Json, &Limits::default())
            .unwrap()
            .roots
            .remove(0);
        substitute(&mut root, &vars(&[("N", "3")]));
        assert_eq!(root.to_json(), serde_json::json!({"n": "3"}));
    }

    #[test]
    fn secrets_are_listed_not_resolved() {
        let (out, found) = run(
            "db:\n  url: \"${USER:app}:${SECRET:db.password}@host\"\n  key: ${SECRET:db.key}\n  keep: $${SECRET:not.one}\n",
            &[],
        );
        assert_eq!(out["db"]["url"], "app:${SECRET:db.password}@host");
        assert_eq!(out["db"]["key"], "${SECRET:db.key}");
        let listed: Vec<(String, &str, Range<usize>)> = found
            .secrets
            .iter()
            .map(|s| (s.path.to_string(), s.secret.as_str(), s.span.clone()))
            .collect();
        assert_eq!(
            listed,
            [
                ("db.url".into(), "db.password", 4..25),
                ("db.key".into(), "db.key", 0..16),
            ]
        );
        assert_eq!(found.secrets[1].pos, Pos::new(3, 8));
        assert!(found.is_clean());
        assert_eq!(
            references("${SECRET:a.b} ${SECRET}"),
            [
                Reference::Secret { path: "a.b".into() },
                Reference::Var {
                    name: "SECRET".into(),
                    default: None
                },
            ]
        );
    }

    #[test]
    fn filled_secrets_replace_exactly_their_spans() {
        let mut root = yaml(
            "url: \"${SECRET:u}:${SECRET:p}@$${SECRET:p}\"\nport: ${SECRET:port}\nq: \"${SECRET:port}\"\nmissing: ${SECRET:nope}\n",
        );
        let found = substitute(&mut root, &vars(&[]));
        let secrets = vars(&[("u", "admin"), ("p", "${x}"), ("port", "5432")]);
        let unfilled = fill_secrets(&mut root, &found.secrets, &secrets);
        assert_eq!(
            root.to_json(),
            serde_json::json!({
                "url": "admin:${x}@${SECRET:p}", "port": 5432, "q": "5432",
                "missing": "${SECRET:nope}",
            })
        );
        assert_eq!(unfilled.len(), 1);
        assert_eq!(unfilled[0].secret, "nope");
        // Stale spans are refused, not trusted.
        assert_eq!(fill_secrets(&mut root, &found.secrets, &secrets).len(), 5);
    }

    #[test]
    fn keys_are_never_substituted() {
        let (out, found) = run(
            "\"${A}\":\n  ${B}: \"${A}\"\nlist:\n  - ${A}\n",
            &[("A", "a"), ("B", "b")],
        );
        assert_eq!(
            out,
            serde_json::json!({"${A}": {"${B}": "a"}, "list": ["a"]})
        );
        assert!(found.is_clean());
        let (_, found) = run("list:\n  - x\n  - {k: \"${NOPE}\"}\n", &[]);
        assert_eq!(found.unresolved[0].path.to_string(), "list[1].k");
    }
}
