//! The INI store, read-only: sops writes `[section]` / `key = value` files with a flattened
//! `[sops]` section. cfgctl decrypts them (teams migrating keep their files) but writes only
//! YAML and JSON.

use std::ops::Range;

/// One `key = value` line (or comment) of a section.
#[derive(Debug)]
pub enum Item {
    Value {
        path: Vec<String>,
        span: Range<usize>,
        text: String,
    },
    Comment {
        /// The section the comment belongs to (a comment before a section header belongs to
        /// that section, as sops's INI store attaches it).
        path: Vec<String>,
        /// From after the `;`/`#` marker to the end of the line.
        span: Range<usize>,
        text: String,
    },
}

#[derive(Debug, Default)]
pub struct Ini {
    pub items: Vec<Item>,
    /// The `[sops]` section's pairs.
    pub metadata: Vec<(String, String)>,
    /// The bytes of the `[sops]` section, cut out to get the plain file.
    pub sops_section: Option<Range<usize>>,
}

pub fn parse(text: &str) -> Ini {
    let mut ini = Ini::default();
    let mut section: Option<String> = None;
    let mut pending_comments: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let lead = content.len() - trimmed.len();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            if let Some(range) = &mut ini.sops_section {
                range.end = start;
            }
            if name == "sops" {
                ini.sops_section = Some(start..text.len());
            }
            // Comments waiting for a section belong to this one.
            for index in pending_comments.drain(..) {
                if let Item::Comment { path, .. } = &mut ini.items[index] {
                    *path = vec![name.to_string()];
                }
            }
            section = Some(name.to_string());
            continue;
        }
        if trimmed.starts_with([';', '#']) {
            let span = start + lead + 1..start + content.len();
            ini.items.push(Item::Comment {
                path: section.iter().cloned().collect(),
                text: text[span.clone()].to_string(),
                span,
            });
            if section.is_none() {
                pending_comments.push(ini.items.len() - 1);
            }
            continue;
        }
        let Some(eq) = trimmed.find('=') else {
            continue;
        };
        let key = trimmed[..eq].trim().to_string();
        let raw = &trimmed[eq + 1..];
        let value_lead = raw.len() - raw.trim_start().len();
        let value = raw.trim();
        let value_start = start + lead + eq + 1 + value_lead;
        if section.as_deref() == Some("sops") {
            ini.metadata.push((key, value.to_string()));
            continue;
        }
        let mut path: Vec<String> = section.iter().cloned().collect();
        path.push(key);
        ini.items.push(Item::Value {
            path,
            span: value_start..value_start + value.len(),
            text: value.to_string(),
        });
    }
    ini
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_values_comments_and_metadata() {
        let text = "; head\n[name]\nfirst = a b\n# note\n[sops]\nmac = m\nversion = 3.7.1\n";
        let ini = parse(text);
        let items: Vec<String> = ini
            .items
            .iter()
            .map(|i| match i {
                Item::Value { path, span, .. } => {
                    format!("v {} {}", path.join(":"), &text[span.clone()])
                }
                Item::Comment { path, text, .. } => format!("c {} {text}", path.join(":")),
            })
            .collect();
        assert_eq!(items, ["c name  head", "v name:first a b", "c name  note"]);
        assert_eq!(ini.metadata.len(), 2);
        assert_eq!(
            &text[ini.sops_section.unwrap()],
            "[sops]\nmac = m\nversion = 3.7.1\n"
        );
    }
}
