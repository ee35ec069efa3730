//! Where a problem in `cfgctl.toml` is and what the user probably meant: byte spans of every
//! key and value (read again from the text, since the typed settings carry none), serde's
//! messages made readable, and "did you mean" suggestions by edit distance.

use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step into the settings tree: a table key or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The spans of `cfgctl.toml`'s keys and values.
pub(crate) struct Spans<'i> {
    root: Spanned<DeTable<'i>>,
}

impl<'i> Spans<'i> {
    /// Reads the spans; `None` when the text is not TOML (serde has reported that already).
    pub(crate) fn parse(text: &'i str) -> Option<Spans<'i>> {
        DeTable::parse(text).ok().map(|root| Spans { root })
    }

    /// Returns the span of the value at `path`.
    pub(crate) fn value(&self, path: &[Step<'_>]) -> Option<Range<usize>> {
        self.node(path).map(Spanned::span)
    }

    /// Returns the keys of the table at `path` with their spans and whether their value is a
    /// table.
    pub(crate) fn keys(&self, path: &[Step<'_>]) -> Vec<(String, Range<usize>, bool)> {
        let table = if path.is_empty() {
            Some(self.root.get_ref())
        } else {
            self.node(path).and_then(|value| value.get_ref().as_table())
        };
        table
            .map(|table| {
                table
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.get_ref().to_string(),
                            k.span(),
                            v.get_ref().as_table().is_some(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Names the place of a byte offset reported by the parser: the table that holds the key
    /// starting there (`policy.production` for a misspelt key in it), or the key path of the
    /// value there (`policy.production.approvals`, `schema[1].files[0]`).
    pub(crate) fn describe(&self, offset: usize) -> Option<String> {
        let mut best: Option<(usize, String)> = None;
        let mut path = Vec::new();
        walk(self.root.get_ref(), &mut path, &mut |path, key, value| {
            let described = if key.start == offset {
                // The key itself (a misspelt key, an unknown table): name the table it is in,
                // whatever values around it span.
                Some((usize::MAX, display(&path[..path.len() - 1])))
            } else if value.contains(&offset) || value.start == offset {
                Some((path.len() * 2, display(path)))
            } else {
                None
            };
            if let Some((depth, text)) = described
                && best.as_ref().is_none_or(|(d, _)| depth > *d)
            {
                best = Some((depth, text));
            }
        });
        best.map(|(_, text)| text).filter(|t| !t.is_empty())
    }

    /// Narrows a span that covers a whole array to the string item the message quotes
    /// (`bad key pattern `a..b``): serde reports an item's custom error at its array.
    pub(crate) fn narrow(&self, span: Range<usize>, message: &str) -> Range<usize> {
        let mut found = None;
        visit_arrays(self.root.get_ref(), &mut |array, array_span| {
            if array_span != span || found.is_some() {
                return;
            }
            found = array.iter().find_map(|item| {
                let text = item.get_ref().as_str()?;
                message.contains(&format!("`{text}`")).then(|| item.span())
            });
        });
        found.unwrap_or(span)
    }

    fn node(&self, path: &[Step<'_>]) -> Option<&Spanned<DeValue<'i>>> {
        let (first, rest) = path.split_first()?;
        let Step::Key(first) = first else {
            return None;
        };
        let mut value = self.root.get_ref().get(*first)?;
        for step in rest {
            value = match (step, value.get_ref()) {
                (Step::Key(name), DeValue::Table(table)) => table.get(*name)?,
                (Step::Index(i), DeValue::Array(array)) => array.get(*i)?,
                _ => return None,
            };
        }
        Some(value)
    }
}

/// An element of a displayed path.
enum Part {
    Key(String),
    Index(usize),
}

fn display(path: &[Part]) -> String {
    let mut out = String::new();
    for part in path {
        match part {
            Part::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Part::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Called with a path, its key's span and its value's span.
type Visit<'a> = dyn FnMut(&[Part], Range<usize>, Range<usize>) + 'a;

/// Calls `visit(path, key span, value span)` for every key and array item.
fn walk(table: &DeTable<'_>, path: &mut Vec<Part>, visit: &mut Visit<'_>) {
    for (key, value) in table.iter() {
        path.push(Part::Key(key.get_ref().to_string()));
        visit(path, key.span(), value.span());
        walk_value(value, path, visit);
        path.pop();
    }
}

fn walk_value(value: &Spanned<DeValue<'_>>, path: &mut Vec<Part>, visit: &mut Visit<'_>) {
    match value.get_ref() {
        DeValue::Table(table) => walk(table, path, visit),
        DeValue::Array(array) => {
            for (i, item) in array.iter().enumerate() {
                path.push(Part::Index(i));
                // An item has no key: its own span stands for both, so a problem at its start
                // names the item rather than the array.
                visit(path, usize::MAX..usize::MAX, item.span());
                walk_value(item, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

fn visit_arrays(table: &DeTable<'_>, visit: &mut dyn FnMut(&toml::de::DeArray<'_>, Range<usize>)) {
    for value in table.values() {
        visit_value_arrays(value, visit);
    }
}

fn visit_value_arrays(
    value: &Spanned<DeValue<'_>>,
    visit: &mut dyn FnMut(&toml::de::DeArray<'_>, Range<usize>),
) {
    match value.get_ref() {
        DeValue::Table(table) => visit_arrays(table, visit),
        DeValue::Array(array) => {
            visit(array, value.span());
            for item in array.iter() {
                visit_value_arrays(item, visit);
            }
        }
        _ => {}
    }
}

/// Makes a serde or TOML message readable and adds a suggestion when it names an unknown key
/// or value that is close to an expected one.
pub(crate) fn explain(message: &str) -> String {
    let mut text = message.trim().to_string();
    // Rust type names mean nothing to someone editing a TOML file.
    for (rust, plain) in [
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
    ] {
        text = text.replace(rust, plain);
    }
    if let Some(suggestion) = suggestion_for_message(&text) {
        text.push_str(&format!("; did you mean `{suggestion}`?"));
    }
    text
}

/// Finds the unknown name and the expected ones in serde's and toml's wordings:
/// "unknown field `x`, expected one of `a`, `b`", "unknown variant `x`, expected `a` or `b`",
/// "unexpected keys in table: x, available keys: a, b".
fn suggestion_for_message(message: &str) -> Option<String> {
    if let Some(rest) = message
        .strip_prefix("unknown field ")
        .or_else(|| message.strip_prefix("unknown variant "))
    {
        let (unknown, expected) = rest.split_once(", expected")?;
        let unknown = unknown.trim().trim_matches('`');
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return suggest(unknown, known).map(str::to_string);
    }
    let rest = message.strip_prefix("unexpected keys in table: ")?;
    let (unknown, available) = rest.split_once(", available keys: ")?;
    let unknown = unknown.split(", ").next()?;
    suggest(unknown, available.split(", ")).map(str::to_string)
}

/// Returns the known name closest to `name`, if it is close enough to be a typo: a few edits
/// away (transposed letters count as one), a different case, a longer spelling of it
/// (`monday` for `mon`) or the start of it (`warn` for `warning`).
pub(crate) fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let allowed = (name.chars().count() / 3).clamp(1, 3);
    known
        .into_iter()
        .filter_map(|candidate| {
            let candidate_lower = candidate.to_lowercase();
            let distance = distance(&lower, &candidate_lower);
            let longer_spelling = candidate.len() >= 3 && lower.starts_with(&candidate_lower);
            let shorter_spelling = lower.len() >= 3 && candidate_lower.starts_with(&lower);
            (distance <= allowed || longer_spelling || shorter_spelling)
                .then_some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance with adjacent transpositions (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_and_nothing_else() {
        let policy = [
            "approvals",
            "approvers",
            "freeze",
            "allowed_days",
            "allowed_hours",
        ];
        assert_eq!(suggest("frezee", policy), Some("freeze"));
        assert_eq!(suggest("aprovals", policy), Some("approvals"));
        assert_eq!(suggest("Freeze", policy), Some("freeze"));
        assert_eq!(suggest("allowed_hour", policy), Some("allowed_hours"));
        assert_eq!(suggest("timezone", policy), None);
        assert_eq!(suggest("x", policy), None);
        assert_eq!(
            suggest("monday", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
            Some("mon")
        );
        assert_eq!(distance("frezee", "freeze"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn serde_messages_get_a_suggestion() {
        assert_eq!(
            explain(
                "unknown field `frezee`, expected one of `approvals`, `approvers`, `freeze`, `allowed_days`, `allowed_hours`"
            ),
            "unknown field `frezee`, expected one of `approvals`, `approvers`, `freeze`, `allowed_days`, `allowed_hours`; did you mean `freeze`?"
        );
        assert!(
            explain("unknown variant `warn`, expected one of `error`, `warning`, `off`")
                .ends_with("did you mean `warning`?")
        );
        assert!(
            explain("unexpected keys in table: pinnned, available keys: pinned")
                .ends_with("did you mean `pinned`?")
        );
        assert_eq!(
            explain("invalid type: string \"x\", expected u32"),
            "invalid type: string \"x\", expected a whole number (0 or more)"
        );
        assert_eq!(
            explain("unknown field `zzz`, expected `files`"),
            "unknown field `zzz`, expected `files`"
        );
    }

    #[test]
    fn spans_name_keys_and_values() {
        let text = "[repo]\nenvironments = [\"a\", \"b\"]\n\n[policy.b]\nfrezee = []\napprovals = \"x\"\n\n[[schema]]\nfiles = [\"x\"]\n";
        let spans = Spans::parse(text).unwrap();
        let at = |needle: &str| text.find(needle).unwrap();
        assert_eq!(
            spans
                .value(&[Step::Key("repo"), Step::Key("environments"), Step::Index(1)])
                .unwrap()
                .start,
            at("\"b\"")
        );
        assert_eq!(spans.describe(at("frezee")).as_deref(), Some("policy.b"));
        assert_eq!(
            spans.describe(at("\"x\"\n\n")).as_deref(),
            Some("policy.b.approvals")
        );
        assert_eq!(
            spans.describe(at("\"x\"]")).as_deref(),
            Some("schema[0].files[0]")
        );
        assert_eq!(spans.describe(at("[repo]") + 1), None);
        assert_eq!(
            spans.keys(&[Step::Key("policy")]),
            [("b".to_string(), at("b]")..at("b]") + 1, true)]
        );
    }
}
