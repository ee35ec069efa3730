//! Re-keying (`secrets updatekeys`, `secrets rotate`): which recipients a file gains and
//! loses against its creation rule, and what that does to it.
//!
//! Added recipients get the existing data key wrapped for them: values are untouched. A
//! removed recipient knew the data key, so the file is rotated instead: a new data key, every
//! value encrypted again, and the removed key cannot read what comes next. `rotate` always
//! rotates.

use super::keys::Keyring;
use super::metadata::{AgeKey, Metadata};
use super::{DataKey, OpenError, SealOptions, SecretFile};
use anyhow::{Result, anyhow, bail};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `updatekeys`: the recipients of the creation rule.
    Update,
    /// `rotate`: a new data key (for the rule's recipients, else the file's own).
    Rotate,
}

/// What re-keying does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// New recipients get the data key; values untouched.
    ReWrapped,
    /// A new data key; every value encrypted again.
    Rotated,
    UpToDate,
    /// No creation rule names recipients for the file (updatekeys only).
    NoRule,
}

impl Action {
    /// The name in the table and in JSON (`action`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReWrapped => "re-wrapped",
            Action::Rotated => "rotated",
            Action::UpToDate => "up to date",
            Action::NoRule => "no rule",
        }
    }

    /// Whether the file is written.
    pub fn writes(self) -> bool {
        matches!(self, Action::ReWrapped | Action::Rotated)
    }
}

/// The plan for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub action: Action,
    /// The recipients afterwards.
    pub recipients: Vec<String>,
}

/// Plans re-keying a file whose creation rule names `rule` (`None`: no rule, or one without
/// age recipients).
pub fn plan(file: &SecretFile, rule: Option<&[String]>, mode: Mode) -> Plan {
    let current: Vec<String> = file
        .metadata
        .age
        .iter()
        .map(|k| k.recipient.clone())
        .collect();
    let wanted: Vec<String> = match rule {
        Some(rule) if !rule.is_empty() => rule.to_vec(),
        _ if mode == Mode::Rotate => current.clone(),
        _ => {
            return Plan {
                added: Vec::new(),
                removed: Vec::new(),
                action: Action::NoRule,
                recipients: current,
            };
        }
    };
    let added: Vec<String> = wanted
        .iter()
        .filter(|r| !current.contains(r))
        .cloned()
        .collect();
    let removed: Vec<String> = current
        .iter()
        .filter(|r| !wanted.contains(r))
        .cloned()
        .collect();
    let action = if mode == Mode::Rotate || !removed.is_empty() {
        Action::Rotated
    } else if added.is_empty() {
        Action::UpToDate
    } else {
        Action::ReWrapped
    };
    Plan {
        added,
        removed,
        action,
        recipients: wanted,
    }
}

/// The file's new text under the plan (`None` when the plan writes nothing); `label` names
/// the file in errors. Both rotating and re-wrapping need an identity that opens the file.
pub fn apply(
    label: &str,
    file: &SecretFile,
    plan: &Plan,
    ring: &Keyring,
    now: &str,
) -> Result<Option<String>> {
    if !plan.action.writes() {
        return Ok(None);
    }
    if !file.metadata.foreign_keys.is_empty() {
        bail!(
            "{label}: also has {} keys, which cfgctl cannot re-wrap",
            file.metadata.foreign_keys.join("/")
        );
    }
    let opened = super::open(file, ring).map_err(|e| match e {
        missing @ OpenError::NoIdentity { .. } => missing.explain(label),
        other => anyhow!("{label}: {other}"),
    })?;
    let text = if plan.action == Action::Rotated {
        let key = DataKey::generate();
        let age = super::wrap_for(&key, &plan.recipients)?;
        super::seal(
            file.store,
            &opened.plaintext,
            &SealOptions {
                key,
                age,
                selector: file.metadata.selector.clone(),
                mac_only_encrypted: file.metadata.mac_only_encrypted,
                stash: None,
                now: now.to_string(),
            },
        )?
    } else {
        // Same data key: keep every existing wrapped key, add the new recipients'.
        let mut age: Vec<AgeKey> = file.metadata.age.clone();
        age.extend(super::wrap_for(&opened.key, &plan.added)?);
        super::rewrite_metadata(
            file,
            &Metadata {
                age,
                ..file.metadata.clone()
            },
        )?
    };
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw";
    const TWO: &str = "age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep";

    fn ring() -> Keyring {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sops/keys.txt");
        let mut ring = Keyring::default();
        ring.add_text(&std::fs::read_to_string(path).unwrap(), "keys.txt")
            .unwrap();
        ring
    }

    fn file_for(recipients: &[&str]) -> SecretFile {
        let key = DataKey::generate();
        let recipients: Vec<String> = recipients.iter().map(|r| r.to_string()).collect();
        let text = super::super::seal(
            super::super::Store::Yaml,
            "a: 1\nb: two\n",
            &SealOptions {
                age: super::super::wrap_for(&key, &recipients).unwrap(),
                key,
                selector: Default::default(),
                mac_only_encrypted: false,
                stash: None,
                now: "2026-01-01T00:00:00Z".into(),
            },
        )
        .unwrap();
        super::super::read("x.yaml", text.as_bytes())
            .unwrap()
            .unwrap()
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plans_follow_the_rule() {
        let file = file_for(&[ONE]);
        let same = plan(&file, Some(&strings(&[ONE])), Mode::Update);
        assert_eq!(same.action, Action::UpToDate);
        let add = plan(&file, Some(&strings(&[ONE, TWO])), Mode::Update);
        assert_eq!(
            (add.action, add.added.clone()),
            (Action::ReWrapped, strings(&[TWO]))
        );
        let swap = plan(&file, Some(&strings(&[TWO])), Mode::Update);
        assert_eq!(swap.action, Action::Rotated);
        assert_eq!(swap.removed, strings(&[ONE]));
        assert_eq!(plan(&file, None, Mode::Update).action, Action::NoRule);
        let rotate = plan(&file, None, Mode::Rotate);
        assert_eq!(
            (rotate.action, rotate.recipients),
            (Action::Rotated, strings(&[ONE]))
        );
    }

    #[test]
    fn re_wrapping_keeps_values_and_rotating_changes_the_key() {
        let file = file_for(&[ONE]);
        let before = super::super::open(&file, &ring()).unwrap();
        let add = plan(&file, Some(&strings(&[ONE, TWO])), Mode::Update);
        let text = apply("x.yaml", &file, &add, &ring(), "2026-02-01T00:00:00Z")
            .unwrap()
            .unwrap();
        let values = |t: &str| t.split("sops:").next().unwrap().to_string();
        assert_eq!(values(&text), values(&file.text));
        let after = super::super::read("x.yaml", text.as_bytes())
            .unwrap()
            .unwrap();
        assert_eq!(after.metadata.age.len(), 2);
        assert_eq!(
            super::super::open(&after, &ring()).unwrap().key.as_bytes(),
            before.key.as_bytes()
        );

        let rotate = plan(&file, None, Mode::Rotate);
        let text = apply("x.yaml", &file, &rotate, &ring(), "2026-02-01T00:00:00Z")
            .unwrap()
            .unwrap();
        let rotated = super::super::read("x.yaml", text.as_bytes())
            .unwrap()
            .unwrap();
        let opened = super::super::open(&rotated, &ring()).unwrap();
        assert_ne!(opened.key.as_bytes(), before.key.as_bytes());
        assert_eq!(opened.plaintext.as_str(), "a: 1\nb: two\n");
        assert_eq!(
            apply(
                "x.yaml",
                &file,
                &plan(&file, Some(&strings(&[ONE])), Mode::Update),
                &ring(),
                "x"
            )
            .unwrap(),
            None
        );
    }
}
