//! What `cfgctl secrets git-setup` writes so that Git merges encrypted files by key path and
//! shows them decrypted in `git diff`: `.gitattributes` lines naming the secret files, and
//! the repository's Git settings for the merge driver and the textconv.
//!
//! The lines cover the naming convention (`*.secret.*`) and, by exact path, every encrypted
//! file outside it (a `.sops.yaml` rule may cover any name; `path_regex` cannot be written as
//! a gitattributes pattern, so the files found are named instead). Planning reads what is
//! there and adds only what is missing: running it twice changes nothing.

/// The name of the merge driver and of the diff driver.
pub const DRIVER: &str = "cfgctl-secrets";

/// The attributes a secret file gets.
pub const ATTRIBUTES: &str = "merge=cfgctl-secrets diff=cfgctl-secrets";

/// The pattern of the naming convention (`*.secret.yaml`, `*.secret.json`, …).
pub const CONVENTION: &str = "*.secret.*";

/// The comment above the lines cfgctl adds.
const HEADER: &str = "# Encrypted files: merged by key path and shown decrypted in `git diff` (cfgctl secrets git-setup)";

/// The Git settings, as (key, value). The textconv output is not cached (no
/// `diff.cfgctl-secrets.cachetextconv`): Git would keep the plaintext in its notes.
pub fn settings() -> [(&'static str, &'static str); 3] {
    [
        (
            "merge.cfgctl-secrets.name",
            "cfgctl: three-way merge of SOPS-encrypted files by key path",
        ),
        (
            "merge.cfgctl-secrets.driver",
            "cfgctl secrets merge-driver %O %A %B %P",
        ),
        ("diff.cfgctl-secrets.textconv", "cfgctl secrets textconv"),
    ]
}

/// What git-setup writes: the `.gitattributes` lines to add and each Git setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub lines: Vec<String>,
    pub settings: Vec<Setting>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: &'static str,
    pub value: &'static str,
    pub action: SettingAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingAction {
    Set,
    Replaced,
    Unchanged,
}

impl SettingAction {
    pub fn as_str(self) -> &'static str {
        match self {
            SettingAction::Set => "set",
            SettingAction::Replaced => "replaced",
            SettingAction::Unchanged => "unchanged",
        }
    }
}

impl Plan {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
            && self
                .settings
                .iter()
                .all(|s| s.action == SettingAction::Unchanged)
    }
}

/// Plans git-setup from the `.gitattributes` text, the encrypted files found (paths relative
/// to its directory) and the current value of each setting.
pub fn plan(
    attributes: &str,
    encrypted: &[String],
    current: impl Fn(&str) -> anyhow::Result<Option<String>>,
) -> anyhow::Result<Plan> {
    let mut out = Vec::new();
    for (key, value) in settings() {
        let action = match current(key)? {
            Some(v) if v == value => SettingAction::Unchanged,
            Some(_) => SettingAction::Replaced,
            None => SettingAction::Set,
        };
        out.push(Setting { key, value, action });
    }
    Ok(Plan {
        lines: missing_lines(attributes, &patterns(encrypted)),
        settings: out,
    })
}

/// The patterns to give the attributes: the convention, then each encrypted file (a path
/// relative to the `.gitattributes` directory) the convention does not cover, anchored.
pub fn patterns(encrypted: &[String]) -> Vec<String> {
    let mut out = vec![CONVENTION.to_string()];
    for path in encrypted {
        if path
            .rsplit('/')
            .next()
            .is_some_and(|n| n.contains(".secret."))
        {
            continue;
        }
        // A space ends a pattern; `?` matches it (and nothing else is likely there).
        let pattern = format!("/{}", path.replace([' ', '\t'], "?"));
        if !out.contains(&pattern) {
            out.push(pattern);
        }
    }
    out
}

/// The lines of `.gitattributes` to add: one per pattern that does not already have both
/// attributes on a line of its own.
pub fn missing_lines(existing: &str, patterns: &[String]) -> Vec<String> {
    patterns
        .iter()
        .filter(|pattern| {
            !existing.lines().any(|line| {
                let mut words = line.split_whitespace();
                words.next() == Some(pattern.as_str()) && {
                    let attrs: Vec<&str> = words.collect();
                    attrs.contains(&"merge=cfgctl-secrets")
                        && attrs.contains(&"diff=cfgctl-secrets")
                }
            })
        })
        .map(|pattern| format!("{pattern} {ATTRIBUTES}"))
        .collect()
}

/// `.gitattributes` with `lines` added at the end, under cfgctl's comment.
pub fn with_lines(existing: &str, lines: &[String]) -> String {
    let mut out = existing.to_string();
    if lines.is_empty() {
        return out;
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !existing.lines().any(|l| l == HEADER) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(HEADER);
        out.push('\n');
    }
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_convention_and_the_files_outside_it() {
        let found = [
            "environments/staging/db.secret.yaml".to_string(),
            "legacy/creds.yaml".to_string(),
            "odd name.json".to_string(),
        ];
        assert_eq!(
            patterns(&found),
            ["*.secret.*", "/legacy/creds.yaml", "/odd?name.json"]
        );
    }

    #[test]
    fn planning_twice_adds_nothing_the_second_time() {
        let patterns = patterns(&["x/app.sops.yaml".to_string()]);
        let existing = "*.png binary\n";
        let lines = missing_lines(existing, &patterns);
        assert_eq!(
            lines,
            [
                "*.secret.* merge=cfgctl-secrets diff=cfgctl-secrets",
                "/x/app.sops.yaml merge=cfgctl-secrets diff=cfgctl-secrets"
            ]
        );
        let written = with_lines(existing, &lines);
        assert!(written.starts_with("*.png binary\n\n# Encrypted files"));
        assert!(missing_lines(&written, &patterns).is_empty());
        assert_eq!(with_lines(&written, &[]), written);
    }

    #[test]
    fn settings_already_there_are_unchanged() {
        let plan = plan("", &[], |key| {
            Ok(match key {
                "diff.cfgctl-secrets.textconv" => Some("cfgctl secrets textconv".into()),
                "merge.cfgctl-secrets.name" => Some("other".into()),
                _ => None,
            })
        })
        .unwrap();
        let actions: Vec<&str> = plan.settings.iter().map(|s| s.action.as_str()).collect();
        assert_eq!(actions, ["replaced", "set", "unchanged"]);
        assert!(!plan.is_empty());
    }

    #[test]
    fn a_line_with_other_attributes_is_completed_by_a_new_one() {
        let lines = missing_lines("*.secret.* diff=other\n", &patterns(&[]));
        assert_eq!(
            lines,
            ["*.secret.* merge=cfgctl-secrets diff=cfgctl-secrets"]
        );
    }
}
