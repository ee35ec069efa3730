//! `.sops.yaml` creation rules: which recipients and which encryption rule a file gets, chosen
//! by the first `path_regex` that matches the file's path relative to the config's directory.

use super::metadata::{Selector, settings_regex};
use crate::document::{self, Node, Pos, Value};
use anyhow::{Context as _, Result, anyhow};
use regex::Regex;
use std::path::{Path, PathBuf};

/// The keys sops reads at the top of `.sops.yaml`.
const TOP_KEYS: &[&str] = &["creation_rules", "destination_rules", "stores"];

/// The keys sops reads in a creation rule (its `creationRule` struct).
const RULE_KEYS: &[&str] = &[
    "path_regex",
    "age",
    "pgp",
    "kms",
    "aws_profile",
    "gcp_kms",
    "hckms",
    "azure_keyvault",
    "hc_vault_transit_uri",
    "key_groups",
    "shamir_threshold",
    "unencrypted_suffix",
    "encrypted_suffix",
    "unencrypted_regex",
    "encrypted_regex",
    "unencrypted_comment_regex",
    "encrypted_comment_regex",
    "mac_only_encrypted",
];

/// The keys sops reads in a key group.
const GROUP_KEYS: &[&str] = &[
    "age",
    "pgp",
    "kms",
    "gcp_kms",
    "hckms",
    "azure_keyvault",
    "hc_vault",
    "merge",
];

/// One creation rule, as cfgctl uses it.
#[derive(Debug, Clone)]
pub struct Rule {
    /// 1-based position in `creation_rules`, for messages.
    pub index: usize,
    /// Where the rule starts in `.sops.yaml`.
    pub pos: Pos,
    pub path_regex: Option<Regex>,
    pub recipients: Vec<String>,
    pub selector: Selector,
    pub mac_only_encrypted: bool,
}

/// The parsed `.sops.yaml`.
#[derive(Debug, Clone)]
pub struct CreationRules {
    /// The config file, and the directory paths are matched relative to.
    pub file: PathBuf,
    pub dir: PathBuf,
    pub rules: Vec<Rule>,
}

/// Why `.sops.yaml` cannot be used, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct RulesError {
    pub pos: Option<Pos>,
    pub message: String,
}

impl RulesError {
    fn at(pos: Pos, message: impl Into<String>) -> RulesError {
        RulesError {
            pos: Some(pos),
            message: message.into(),
        }
    }

    /// The error as one line naming the file: `path:line:col: message`.
    pub fn in_file(&self, label: &str) -> anyhow::Error {
        match self.pos {
            Some(pos) => anyhow!("{label}:{pos}: {}", self.message),
            None => anyhow!("{label}: {}", self.message),
        }
    }
}

/// What a newly written file is encrypted for: a creation rule's recipients and rule, or
/// recipients given explicitly (`--age`), with the default rule.
#[derive(Debug, Clone)]
pub struct Target {
    pub recipients: Vec<String>,
    pub selector: Selector,
    pub mac_only_encrypted: bool,
}

/// The target of a new file at `path`: `explicit` recipients, else the first creation rule
/// that matches. Errors say what to add.
pub fn target(
    path: &Path,
    explicit: &[String],
    rules: Option<&CreationRules>,
) -> anyhow::Result<Target> {
    if !explicit.is_empty() {
        return Ok(Target {
            recipients: explicit.to_vec(),
            selector: Selector::default(),
            mac_only_encrypted: false,
        });
    }
    let Some(rules) = rules else {
        return Err(crate::error::CliError::new(anyhow!(
            "no .sops.yaml found, and no --age recipient given"
        ))
        .with_hint("add a .sops.yaml with creation_rules, or pass --age age1…")
        .into());
    };
    let rule = rules.matching(path).ok_or_else(|| {
        crate::error::CliError::new(anyhow!(
            "no creation rule in {} matches {}",
            rules.file.display(),
            path.display()
        ))
        .with_hint("add a rule whose path_regex matches it, or pass --age age1…")
    })?;
    if rule.recipients.is_empty() {
        anyhow::bail!(
            "creation rule {} in {} names no age recipients",
            rule.index,
            rules.file.display()
        );
    }
    Ok(Target {
        recipients: rule.recipients.clone(),
        selector: rule.selector.clone(),
        mac_only_encrypted: rule.mac_only_encrypted,
    })
}

/// Finds `.sops.yaml` like sops: `SOPS_CONFIG` or an explicit path, else the nearest one in
/// `start` or its parents.
pub fn find(start: &Path, explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(start.join(path));
    }
    if let Some(path) = std::env::var_os("SOPS_CONFIG").filter(|v| !v.is_empty()) {
        return Some(start.join(PathBuf::from(path)));
    }
    start
        .ancestors()
        .take(100)
        .map(|dir| dir.join(".sops.yaml"))
        .find(|p| p.is_file())
}

impl CreationRules {
    /// Reads and checks a `.sops.yaml`; errors name the file, line and column.
    pub fn load(file: &Path) -> Result<CreationRules> {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        CreationRules::parse(&bytes, file).map_err(|e| e.in_file(&file.display().to_string()))
    }

    /// Parses `.sops.yaml` text as sops reads it, but strictly: an unknown key is an error (a
    /// misspelt `path_regx` would otherwise make a rule match every path), and so is a regex
    /// over the limits of [`settings_regex`].
    pub fn parse(bytes: &[u8], file: &Path) -> Result<CreationRules, RulesError> {
        let doc = document::parse(bytes, document::Format::Yaml, &document::Limits::default())
            .map_err(|e| RulesError {
                pos: e.pos,
                message: e.message,
            })?;
        let mut rules = Vec::new();
        let root = doc.roots.first();
        match root.map(|r| &r.value) {
            Some(Value::Map(map)) => unknown_keys(map, TOP_KEYS, "at the top of .sops.yaml")?,
            Some(Value::Null) | None => {}
            Some(_) => {
                return Err(RulesError::at(
                    root.map(|r| r.pos).unwrap_or_default(),
                    "the file must be a mapping with `creation_rules`",
                ));
            }
        }
        if let Some(list) = root.and_then(|r| r.get("creation_rules")) {
            let Value::Seq(items) = &list.value else {
                return Err(RulesError::at(list.pos, "`creation_rules` must be a list"));
            };
            for (i, item) in items.iter().enumerate() {
                rules.push(parse_rule(item, i + 1)?);
            }
        }
        Ok(CreationRules {
            file: file.to_path_buf(),
            dir: file.parent().unwrap_or(Path::new(".")).to_path_buf(),
            rules,
        })
    }

    /// The first rule whose `path_regex` matches `path` (absolute, or relative to the config's
    /// directory).
    pub fn matching(&self, path: &Path) -> Option<&Rule> {
        let relative = path.strip_prefix(&self.dir).unwrap_or(path);
        let text = relative.to_string_lossy().replace('\\', "/");
        self.matching_relative(&text)
    }

    /// The first rule whose `path_regex` matches a path already relative to the config's
    /// directory, with `/` separators.
    pub fn matching_relative(&self, path: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.path_regex.as_ref().is_none_or(|re| re.is_match(path)))
    }
}

/// Refuses keys of `map` that are not in `known`, at the key's position.
fn unknown_keys(map: &document::Map, known: &[&str], place: &str) -> Result<(), RulesError> {
    for (key, entry) in map {
        if known.contains(&key.as_str()) {
            continue;
        }
        let hint = known
            .iter()
            .find(|k| close(k, key))
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default();
        return Err(RulesError::at(
            entry.key_pos,
            format!(
                "unknown key `{key}` {place}{hint}; sops and cfgctl read: {}",
                known.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Whether two keys differ by at most two single-character edits (a typo).
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(row[j] + 1),
            );
        }
        previous = row;
    }
    previous[b.len()] <= 2
}

fn strings(node: &Node, what: &str) -> Result<Vec<String>, RulesError> {
    Ok(match &node.value {
        Value::String(s) => s
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect(),
        Value::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str().map(|s| s.trim().to_string()).ok_or_else(|| {
                    RulesError::at(i.pos, format!("`{what}` entries must be strings"))
                })
            })
            .collect::<Result<_, _>>()?,
        Value::Null => Vec::new(),
        _ => {
            return Err(RulesError::at(
                node.pos,
                format!("`{what}` must be a string or a list"),
            ));
        }
    })
}

fn parse_rule(node: &Node, index: usize) -> Result<Rule, RulesError> {
    let Value::Map(map) = &node.value else {
        return Err(RulesError::at(
            node.pos,
            format!("creation rule {index} must be a mapping"),
        ));
    };
    unknown_keys(map, RULE_KEYS, &format!("in creation rule {index}"))?;
    let path_regex = match map.get("path_regex").map(|e| &e.value) {
        Some(n) => {
            let text = n
                .as_str()
                .ok_or_else(|| RulesError::at(n.pos, "`path_regex` must be a string"))?;
            Some(
                settings_regex("path_regex", text)
                    .map_err(|e| RulesError::at(n.pos, e.to_string()))?,
            )
        }
        None => None,
    };
    let mut recipients = match map.get("age") {
        Some(entry) => strings(&entry.value, "age")?,
        None => Vec::new(),
    };
    if let Some(groups) = map.get("key_groups") {
        let Value::Seq(groups) = &groups.value.value else {
            return Err(RulesError::at(
                groups.value.pos,
                "`key_groups` must be a list",
            ));
        };
        if groups.len() > 1 {
            return Err(RulesError::at(
                node.pos,
                format!(
                    "rule {index} has {} key groups; Shamir secret sharing is not supported by cfgctl",
                    groups.len()
                ),
            ));
        }
        for group in groups {
            if let Value::Map(keys) = &group.value {
                unknown_keys(
                    keys,
                    GROUP_KEYS,
                    &format!("in a key group of creation rule {index}"),
                )?;
            }
        }
        recipients = match groups.first().and_then(|g| g.get("age")) {
            Some(age) => strings(age, "key_groups.age")?,
            None => Vec::new(),
        };
    }
    let selector = Selector::from_map(map)
        .map_err(|e| RulesError::at(node.pos, format!("rule {index}: {e}")))?;
    if recipients.is_empty() {
        let others: Vec<&str> = [
            "pgp",
            "kms",
            "gcp_kms",
            "azure_keyvault",
            "hc_vault_transit_uri",
            "hckms",
        ]
        .into_iter()
        .filter(|k| map.contains_key(*k))
        .collect();
        if !others.is_empty() {
            return Err(RulesError::at(
                node.pos,
                format!(
                    "rule {index} names only {} keys; cfgctl encrypts for age recipients",
                    others.join("/")
                ),
            ));
        }
    }
    Ok(Rule {
        index,
        pos: node.pos,
        path_regex,
        recipients,
        selector: selector.unwrap_or_default(),
        mac_only_encrypted: matches!(
            map.get("mac_only_encrypted").map(|e| &e.value.value),
            Some(Value::Bool(true))
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CreationRules, RulesError> {
        CreationRules::parse(text.as_bytes(), Path::new(".sops.yaml"))
    }

    #[test]
    fn unknown_keys_are_errors_at_their_position() {
        let err = parse(
            "creation_rules:\n  - path_regx: ^environments/production/\n    age: age1aaa\n  - age: age1bbb\n",
        )
        .unwrap_err();
        assert_eq!(err.pos, Some(Pos::new(2, 5)));
        assert!(
            err.message.starts_with(
                "unknown key `path_regx` in creation rule 1 (did you mean `path_regex`?)"
            ),
            "{err}"
        );
        let err = parse("creation_rule:\n  - age: age1aaa\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos::new(1, 1)));
        let err = parse("creation_rules:\n  - key_groups:\n      - agee: [age1a]\n").unwrap_err();
        assert!(err.message.contains("`agee`"), "{err}");
        assert_eq!(err.pos, Some(Pos::new(3, 9)));
        // Every key sops knows is accepted.
        parse("creation_rules:\n  - path_regex: a\n    age: age1a\n    shamir_threshold: 1\n    mac_only_encrypted: true\n    encrypted_regex: ^p$\ndestination_rules: []\nstores: {}\n").unwrap();
    }

    #[test]
    fn huge_or_heavy_regexes_fail_fast() {
        let huge = format!(
            "creation_rules:\n  - path_regex: '{}'\n    age: age1a\n",
            "a".repeat(5_000_000)
        );
        let err = parse(&huge).unwrap_err();
        assert!(err.message.contains("over the limit"), "{err}");
        assert_eq!(err.pos, Some(Pos::new(2, 17)));
        // Short, but its compiled program would be enormous.
        let heavy = "creation_rules:\n  - path_regex: '(\\w{100}){100}'\n    age: age1a\n";
        let err = parse(heavy).unwrap_err();
        assert!(err.message.contains("path_regex"), "{err}");
        let err =
            parse("creation_rules:\n  - encrypted_regex: '(\\w{100}){100}'\n    age: age1a\n")
                .unwrap_err();
        assert!(err.message.contains("encrypted_regex"), "{err}");
    }

    #[test]
    fn first_matching_rule_wins_and_keys_come_in_both_forms() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".sops.yaml");
        std::fs::write(
            &file,
            "creation_rules:\n  - path_regex: ^environments/production/.*\\.secret\\.ya?ml$\n    encrypted_regex: ^(password|token)$\n    age: age1aaa, age1bbb\n  - path_regex: \\.secret\\.(ya?ml|json)$\n    key_groups:\n      - age: [age1ccc]\n",
        )
        .unwrap();
        let rules = CreationRules::load(&file).unwrap();
        let prod = rules
            .matching(&dir.path().join("environments/production/db.secret.yaml"))
            .unwrap();
        assert_eq!(prod.index, 1);
        assert_eq!(prod.recipients, ["age1aaa", "age1bbb"]);
        assert_eq!(prod.selector.key(), "encrypted_regex");
        let dev = rules
            .matching(Path::new("environments/development/db.secret.json"))
            .unwrap();
        assert_eq!(dev.recipients, ["age1ccc"]);
        assert!(
            rules
                .matching(Path::new("environments/development/db.yaml"))
                .is_none()
        );
    }
}
