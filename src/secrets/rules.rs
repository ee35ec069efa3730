//! `.sops.yaml` creation rules: which recipients and which encryption rule a file gets, chosen
//! by the first `path_regex` that matches the file's path relative to the config's directory.

use super::metadata::Selector;
use crate::document::{self, Node, Value};
use anyhow::{Context as _, Result, anyhow, bail};
use regex::Regex;
use std::path::{Path, PathBuf};

/// One creation rule, as cfgctl uses it.
#[derive(Debug, Clone)]
pub struct Rule {
    /// 1-based position in `creation_rules`, for messages.
    pub index: usize,
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
    pub fn load(file: &Path) -> Result<CreationRules> {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let label = file.display().to_string();
        let doc = document::parse(&bytes, document::Format::Yaml, &document::Limits::default())
            .map_err(|e| e.in_file(&label))?;
        let mut rules = Vec::new();
        if let Some(list) = doc.roots.first().and_then(|r| r.get("creation_rules")) {
            let Value::Seq(items) = &list.value else {
                bail!(
                    "{label}:{}:{}: `creation_rules` must be a list",
                    list.pos.line,
                    list.pos.column
                );
            };
            for (i, item) in items.iter().enumerate() {
                rules.push(
                    parse_rule(item, i + 1).map_err(|e| {
                        anyhow!("{label}:{}:{}: {e}", item.pos.line, item.pos.column)
                    })?,
                );
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
        self.rules
            .iter()
            .find(|r| r.path_regex.as_ref().is_none_or(|re| re.is_match(&text)))
    }
}

fn strings(node: &Node, what: &str) -> Result<Vec<String>> {
    Ok(match &node.value {
        Value::String(s) => s
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect(),
        Value::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(|s| s.trim().to_string())
                    .ok_or_else(|| anyhow!("`{what}` entries must be strings"))
            })
            .collect::<Result<_>>()?,
        Value::Null => Vec::new(),
        _ => bail!("`{what}` must be a string or a list"),
    })
}

fn parse_rule(node: &Node, index: usize) -> Result<Rule> {
    let Value::Map(map) = &node.value else {
        bail!("creation rule {index} must be a mapping");
    };
    let path_regex = match map.get("path_regex").map(|e| &e.value) {
        Some(n) => {
            let text = n
                .as_str()
                .ok_or_else(|| anyhow!("`path_regex` must be a string"))?;
            Some(
                Regex::new(text)
                    .map_err(|e| anyhow!("`path_regex` is not a valid regular expression: {e}"))?,
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
            bail!("`key_groups` must be a list");
        };
        if groups.len() > 1 {
            bail!(
                "rule {index} has {} key groups; Shamir secret sharing is not supported by cfgctl",
                groups.len()
            );
        }
        recipients = match groups.first().and_then(|g| g.get("age")) {
            Some(age) => strings(age, "key_groups.age")?,
            None => Vec::new(),
        };
    }
    let selector = Selector::from_map(map).map_err(|e| anyhow!("rule {index}: {e}"))?;
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
            bail!(
                "rule {index} names only {} keys; cfgctl encrypts for age recipients",
                others.join("/")
            );
        }
    }
    Ok(Rule {
        index,
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
