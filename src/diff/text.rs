//! Line diffs of multi-line string values, in unified style, via `similar`.
//!
//! A semantic diff reports a changed string as one change; when the string spans lines the
//! renderer shows these lines under it instead of the two whole values.

use similar::udiff::UnifiedHunkHeader;
use similar::{ChangeTag, TextDiff};

/// Lines of unchanged text kept around each change.
const CONTEXT: usize = 2;

/// Returns the line diff of two strings as `-old`, `+new` and ` context` lines (without line
/// ends), with 2 lines of context around each change.
///
/// Hunks after the first are introduced by their unified header (`@@ -12,5 +12,6 @@`); a
/// single hunk reads as plain lines. A removed or added last line that lacks its newline is
/// followed by `\ no newline at end` when the other side has the same text with one, since the
/// two lines would otherwise print the same. Returns nothing for equal strings.
pub fn text_lines(old: &str, new: &str) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 {
            out.push(UnifiedHunkHeader::new(group).to_string());
        }
        let lines: Vec<(ChangeTag, &str, bool)> = group
            .iter()
            .flat_map(|op| diff.iter_changes(op))
            .map(|change| {
                let text = change.value();
                let text = text.strip_suffix('\n').unwrap_or(text);
                let text = text.strip_suffix('\r').unwrap_or(text);
                (change.tag(), text, change.missing_newline())
            })
            .collect();
        for &(tag, text, missing_newline) in &lines {
            let sign = match tag {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            };
            out.push(format!("{sign}{text}"));
            // Only a last line can lack its newline, so this look-around runs at most twice.
            let looks_unchanged = missing_newline
                && tag != ChangeTag::Equal
                && lines
                    .iter()
                    .any(|&(t, other, _)| t != tag && t != ChangeTag::Equal && other == text);
            if looks_unchanged {
                out.push("\\ no newline at end".to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hunk_with_two_lines_of_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\n";
        let new = "a\nb\nc\nD\ne\nf\ng\n";
        assert_eq!(text_lines(old, new), [" b", " c", "-d", "+D", " e", " f"]);
    }

    #[test]
    fn distant_changes_are_separate_hunks_with_headers_between() {
        let old: String = (1..=12).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 11\n", "");
        assert_eq!(
            text_lines(&old, &new),
            [
                " line 1",
                "-line 2",
                "+line two",
                " line 3",
                " line 4",
                "@@ -9,4 +9,3 @@",
                " line 9",
                " line 10",
                "-line 11",
                " line 12",
            ]
        );
    }

    #[test]
    fn added_and_removed_lines_and_missing_final_newline() {
        assert_eq!(
            text_lines("a\nb", "a\nb\nc"),
            [" a", "-b", "\\ no newline at end", "+b", "+c"]
        );
        assert_eq!(
            text_lines("a\nb\n", "a\nb"),
            [" a", "-b", "+b", "\\ no newline at end"]
        );
        assert_eq!(text_lines("x\ny", "x\nz"), [" x", "-y", "+z"]);
        assert_eq!(text_lines("", "new\n"), ["+new"]);
        assert!(text_lines("same\n", "same\n").is_empty());
    }
}
