//! Three-way merge of encrypted files, for the Git merge driver (`cfgctl secrets
//! merge-driver`): two branches that changed different values of one file merge cleanly.
//!
//! Base, ours and theirs are decrypted in memory and merged by key path: a path changed on one
//! side only takes that side's value, a path changed alike on both is taken once, a path
//! changed differently on both is a conflict and keeps ours' value. Mappings merge key by key;
//! lists and scalars are replaced whole. The result is ours' text with theirs' changes edited
//! in (so ours' comments and layout stay), sealed again: unchanged values keep their IVs (and
//! so their ciphertext), the MAC is computed anew. Nothing of it is written in clear, conflict
//! or not.
//!
//! Recipients merge as sets (a recipient added on either side is kept, one removed on either
//! side is gone). The data key is ours' when the merged recipients are ours', else theirs'
//! when they are theirs', else a new one wrapped for the merged recipients.

use super::keys::Keyring;
use super::metadata::AgeKey;
use super::{DataKey, OpenError, Opened, SealOptions, SecretFile, Stash, Store};
use crate::diff::same_value;
use crate::document::{self, Format, Limits, Node, Value};
use crate::edit::Edit;
use anyhow::{Result, anyhow, bail};

/// One side of a merge: a file's bytes as Git gives them (base may be empty: added on both).
pub struct Side<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// A merged file, ready to be written over ours.
#[derive(Debug)]
pub struct Merged {
    /// The encrypted result.
    pub text: String,
    /// Key paths changed differently on both sides: ours' value was kept.
    pub conflicts: Vec<String>,
    /// Key paths whose value was taken from theirs.
    pub from_theirs: Vec<String>,
}

/// Why the driver cannot merge, so that Git's ordinary conflict must stand.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A side has no sops metadata: there is nothing to decrypt, and a text merge applies.
    #[error("{0} is not encrypted")]
    NotEncrypted(String),
    /// No identity opens a side.
    #[error("{0}")]
    NoIdentity(anyhow::Error),
    /// A side does not decrypt or verify, or cannot be sealed again.
    #[error("{0:#}")]
    Failed(anyhow::Error),
}

/// Merges `theirs` into `ours` with `base` as the common ancestor; `label` is the path in the
/// repository (it picks the store by extension).
pub fn merge(
    label: &str,
    base: Side<'_>,
    ours: Side<'_>,
    theirs: Side<'_>,
    ring: &Keyring,
    now: &str,
) -> Result<Merged, Refusal> {
    let store = Store::from_path(label);
    if !matches!(store, Store::Yaml | Store::Json | Store::Dotenv) {
        return Err(Refusal::Failed(anyhow!(
            "{label}: cfgctl merges YAML, JSON and dotenv secret files only"
        )));
    }
    let read = |side: &Side<'_>| -> Result<SecretFile, Refusal> {
        super::read(label, side.bytes)
            .map_err(Refusal::Failed)?
            .ok_or_else(|| Refusal::NotEncrypted(format!("{label} ({})", side.name)))
    };
    let ours_file = read(&ours)?;
    let theirs_file = read(&theirs)?;
    // Added on both branches: no ancestor, every difference is a conflict.
    let base_file = if base.bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(read(&base)?)
    };
    for file in [Some(&ours_file), Some(&theirs_file), base_file.as_ref()]
        .into_iter()
        .flatten()
    {
        if !file.metadata.foreign_keys.is_empty() {
            return Err(Refusal::Failed(anyhow!(
                "{label}: also has {} keys, which cfgctl cannot re-wrap",
                file.metadata.foreign_keys.join("/")
            )));
        }
    }
    let open = |file: &SecretFile, side: &str| -> Result<Opened, Refusal> {
        super::open(file, ring).map_err(|e| match e {
            missing @ OpenError::NoIdentity { .. } => {
                Refusal::NoIdentity(missing.explain(&format!("{label} ({side})")))
            }
            other => Refusal::Failed(anyhow!("{label} ({side}): {other}")),
        })
    };
    let ours_open = open(&ours_file, ours.name)?;
    let theirs_open = open(&theirs_file, theirs.name)?;
    let base_open = match &base_file {
        Some(file) => Some(open(file, base.name)?),
        None => None,
    };

    let format = if store == Store::Json {
        Format::Json
    } else {
        Format::Yaml
    };
    let tree = |opened: &Opened, side: &str| -> Result<Node, Refusal> {
        let parsed = if store == Store::Dotenv {
            super::dotenv::to_node(&opened.plaintext)
        } else {
            parse(&opened.plaintext, format)
        };
        parsed.map_err(|e| Refusal::Failed(anyhow!("{label} ({side}): {e}")))
    };
    let ours_tree = tree(&ours_open, ours.name)?;
    let theirs_tree = tree(&theirs_open, theirs.name)?;
    let base_tree = match &base_open {
        Some(opened) => Some(tree(opened, base.name)?),
        None => None,
    };

    let plan = three_way(base_tree.as_ref(), &ours_tree, &theirs_tree);
    let plaintext = if plan.take_theirs {
        zeroize::Zeroizing::new(theirs_open.plaintext.to_string())
    } else if plan.edits.is_empty() {
        zeroize::Zeroizing::new(ours_open.plaintext.to_string())
    } else if store == Store::Dotenv {
        let mut text = zeroize::Zeroizing::new(ours_open.plaintext.to_string());
        for edit in &plan.edits {
            let value = match edit.value.as_ref().map(|n| &n.value) {
                Some(Value::String(s)) => Some(s.as_str()),
                None => None,
                Some(_) => unreachable!("dotenv values are strings"),
            };
            if let Some(changed) = super::dotenv::change(&text, &edit.path[0], value)
                .map_err(|e| Refusal::Failed(anyhow!("{label}: {e}")))?
            {
                text = zeroize::Zeroizing::new(changed);
            }
        }
        text
    } else {
        let mut expected = ours_tree.clone();
        crate::edit::apply_to_tree(&mut expected, &plan.edits);
        zeroize::Zeroizing::new(
            crate::edit::apply(&ours_open.plaintext, format, &plan.edits, &expected)
                .map_err(|e| Refusal::Failed(anyhow!("{label}: {e:#}")))?,
        )
    };

    let keys = choose_key(
        base_file.as_ref(),
        (&ours_file, &ours_open),
        (&theirs_file, &theirs_open),
    )
    .map_err(Refusal::Failed)?;
    let text = super::seal(
        store,
        &plaintext,
        &SealOptions {
            key: keys.key,
            age: keys.age,
            selector: ours_file.metadata.selector.clone(),
            mac_only_encrypted: ours_file.metadata.mac_only_encrypted,
            stash: Some(&keys.stash),
            now: now.to_string(),
        },
    )
    .map_err(|e| Refusal::Failed(anyhow!("{label}: {e:#}")))?;
    Ok(Merged {
        text,
        conflicts: plan.conflicts.iter().map(|p| show(p)).collect(),
        from_theirs: plan.from_theirs.iter().map(|p| show(p)).collect(),
    })
}

fn parse(text: &str, format: Format) -> Result<Node> {
    document::parse_secret(text.as_bytes(), format, &Limits::default())
        .map_err(|e| anyhow!("{}", e.message))?
        .roots
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("empty document"))
}

fn show(path: &[String]) -> String {
    if path.is_empty() {
        "(the whole document)".into()
    } else {
        path.join(".")
    }
}

/// What merging two trees against their ancestor does to ours.
#[derive(Debug, Default)]
pub struct TreePlan {
    /// Theirs' changes, to apply to ours.
    pub edits: Vec<Edit>,
    /// Paths changed differently on both sides (ours kept).
    pub conflicts: Vec<Vec<String>>,
    /// Paths taken from theirs.
    pub from_theirs: Vec<Vec<String>>,
    /// Ours did not change at all: the result is theirs (with its comments and layout).
    pub take_theirs: bool,
}

/// The three-way merge of two trees by key path.
pub fn three_way(base: Option<&Node>, ours: &Node, theirs: &Node) -> TreePlan {
    let mut plan = TreePlan::default();
    if base.is_some_and(|b| same_value(b, ours)) && !same_value(ours, theirs) {
        plan.take_theirs = true;
        plan.from_theirs.push(Vec::new());
        return plan;
    }
    walk(&mut Vec::new(), base, Some(ours), Some(theirs), &mut plan);
    plan
}

fn walk(
    path: &mut Vec<String>,
    base: Option<&Node>,
    ours: Option<&Node>,
    theirs: Option<&Node>,
    plan: &mut TreePlan,
) {
    let same = |a: Option<&Node>, b: Option<&Node>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_value(a, b),
        _ => false,
    };
    if same(ours, theirs) || same(base, theirs) {
        return;
    }
    if same(base, ours) {
        plan.edits.push(Edit {
            path: path.clone(),
            value: theirs.cloned(),
        });
        plan.from_theirs.push(path.clone());
        return;
    }
    if let (Some(Value::Map(o)), Some(Value::Map(t))) =
        (ours.map(|n| &n.value), theirs.map(|n| &n.value))
    {
        let b = match base.map(|n| &n.value) {
            Some(Value::Map(b)) => Some(b),
            _ => None,
        };
        let mut keys: Vec<&String> = o.keys().collect();
        keys.extend(t.keys().filter(|k| !o.contains_key(*k)));
        if let Some(b) = b {
            // Removed on both sides: nothing to do; removed on one, walked below.
            keys.extend(
                b.keys()
                    .filter(|k| !o.contains_key(*k) && !t.contains_key(*k)),
            );
        }
        for key in keys {
            path.push(key.clone());
            walk(
                path,
                b.and_then(|b| b.get(key)).map(|e| &e.value),
                o.get(key).map(|e| &e.value),
                t.get(key).map(|e| &e.value),
                plan,
            );
            path.pop();
        }
        return;
    }
    plan.conflicts.push(path.clone());
}

/// The data key, its wrapped copies and the IVs a merged file is sealed with.
struct Keys {
    key: DataKey,
    age: Vec<AgeKey>,
    stash: Stash,
}

fn choose_key(
    base: Option<&SecretFile>,
    ours: (&SecretFile, &Opened),
    theirs: (&SecretFile, &Opened),
) -> Result<Keys> {
    let set = |file: &SecretFile| -> Vec<String> {
        let mut r: Vec<String> = file
            .metadata
            .age
            .iter()
            .map(|k| k.recipient.clone())
            .collect();
        r.sort();
        r.dedup();
        r
    };
    let (o, t) = (set(ours.0), set(theirs.0));
    let b = base.map(set).unwrap_or_default();
    let mut merged: Vec<String> = o
        .iter()
        .chain(t.iter())
        .filter(|r| {
            // On one side at least: kept on both, or added on one.
            (o.contains(r) && t.contains(r)) || !b.contains(r)
        })
        .cloned()
        .collect();
    merged.sort();
    merged.dedup();
    if merged.is_empty() {
        bail!("the merged file would have no recipient (each side removed the other's)");
    }
    let (key, age) = if merged == o {
        (ours.1.key.clone(), ours.0.metadata.age.clone())
    } else if merged == t {
        (theirs.1.key.clone(), theirs.0.metadata.age.clone())
    } else {
        let key = DataKey::generate();
        let age = super::wrap_for(&key, &merged)?;
        (key, age)
    };
    // IVs are reused only under the key they were made with.
    let mut stash = Stash::default();
    for opened in [ours.1, theirs.1] {
        if opened.key.as_bytes() == key.as_bytes() {
            stash.extend(&opened.stash);
        }
    }
    Ok(Keys { key, age, stash })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::test_yaml;

    fn paths(list: &[Vec<String>]) -> Vec<String> {
        list.iter().map(|p| p.join(".")).collect()
    }

    #[test]
    fn different_keys_merge_and_the_same_key_conflicts() {
        let base = test_yaml("db:\n  user: a\n  password: p\ntoken: t\n");
        let ours = test_yaml("db:\n  user: b\n  password: p\ntoken: t\n");
        let theirs = test_yaml("db:\n  user: a\n  password: q\ntoken: t\nnew: n\n");
        let plan = three_way(Some(&base), &ours, &theirs);
        assert_eq!(paths(&plan.from_theirs), ["db.password", "new"]);
        assert!(plan.conflicts.is_empty());
        assert!(!plan.take_theirs);

        let theirs = test_yaml("db:\n  user: c\n  password: p\ntoken: t\n");
        let plan = three_way(Some(&base), &ours, &theirs);
        assert_eq!(paths(&plan.conflicts), ["db.user"]);
        assert!(plan.edits.is_empty());
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = test_yaml("a: 1\nb: 2\n");
        let both = test_yaml("a: 3\nb: 2\n");
        let plan = three_way(Some(&base), &both, &both);
        assert!(plan.edits.is_empty() && plan.conflicts.is_empty());
    }

    #[test]
    fn removals_merge_and_conflict_with_changes() {
        let base = test_yaml("a: 1\nb: 2\nc: 3\n");
        let ours = test_yaml("a: 1\nb: 5\nc: 3\n");
        let theirs = test_yaml("b: 2\nc: 4\n");
        let plan = three_way(Some(&base), &ours, &theirs);
        assert_eq!(paths(&plan.from_theirs), ["a", "c"]);
        assert!(plan.edits[0].value.is_none());

        let theirs = test_yaml("a: 1\nc: 3\n");
        let plan = three_way(Some(&base), &ours, &theirs);
        assert_eq!(paths(&plan.conflicts), ["b"]);
    }

    #[test]
    fn lists_are_replaced_whole() {
        let base = test_yaml("l: [1, 2]\n");
        let ours = test_yaml("l: [1, 3]\n");
        let theirs = test_yaml("l: [0, 2]\n");
        let plan = three_way(Some(&base), &ours, &theirs);
        assert_eq!(paths(&plan.conflicts), ["l"]);
    }

    #[test]
    fn without_an_ancestor_differences_conflict() {
        let ours = test_yaml("a: 1\nb: 2\n");
        let theirs = test_yaml("a: 1\nb: 3\nc: 4\n");
        let plan = three_way(None, &ours, &theirs);
        assert_eq!(paths(&plan.conflicts), ["b"]);
        assert_eq!(paths(&plan.from_theirs), ["c"]);
    }

    const FIXTURE_RECIPIENT: &str =
        "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw";
    const OTHER_RECIPIENT: &str = "age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep";

    /// Merges three versions of `x.yaml` with the test identity.
    fn merge3(base: &str, ours: &str, theirs: &str) -> Merged {
        merge(
            "x.yaml",
            Side {
                name: "base",
                bytes: base.as_bytes(),
            },
            Side {
                name: "ours",
                bytes: ours.as_bytes(),
            },
            Side {
                name: "theirs",
                bytes: theirs.as_bytes(),
            },
            &ring(),
            "2026-06-02T00:00:00Z",
        )
        .unwrap()
    }

    fn ring() -> Keyring {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sops/keys.txt");
        let mut ring = Keyring::default();
        ring.add_text(&std::fs::read_to_string(path).unwrap(), "keys.txt")
            .unwrap();
        ring
    }

    fn sealed(plain: &str, key: &DataKey, recipients: &[&str], stash: Option<&Stash>) -> String {
        let recipients: Vec<String> = recipients.iter().map(|r| r.to_string()).collect();
        super::super::seal(
            Store::Yaml,
            plain,
            &SealOptions {
                key: key.clone(),
                age: super::super::wrap_for(key, &recipients).unwrap(),
                selector: Default::default(),
                mac_only_encrypted: false,
                stash,
                now: "2026-06-01T10:00:00Z".into(),
            },
        )
        .unwrap()
    }

    #[test]
    fn a_recipient_added_on_one_side_is_kept_with_the_same_key() {
        let key = DataKey::generate();
        let base = sealed("a: 1\nb: 2\n", &key, &[FIXTURE_RECIPIENT], None);
        let ours = sealed("a: 5\nb: 2\n", &key, &[FIXTURE_RECIPIENT], None);
        let theirs = sealed(
            "a: 1\nb: 2\n",
            &key,
            &[FIXTURE_RECIPIENT, OTHER_RECIPIENT],
            None,
        );
        let merged = merge3(&base, &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        let file = super::super::read("x.yaml", merged.text.as_bytes())
            .unwrap()
            .unwrap();
        assert_eq!(file.metadata.age.len(), 2);
        let opened = super::super::open(&file, &ring()).unwrap();
        assert_eq!(opened.key.as_bytes(), key.as_bytes());
        assert_eq!(opened.plaintext.as_str(), "a: 5\nb: 2\n");
        // `b` did not change: its ciphertext is ours'.
        let b_line = |text: &str| {
            text.lines()
                .find(|l| l.starts_with("b:"))
                .unwrap()
                .to_string()
        };
        assert_eq!(b_line(&merged.text), b_line(&ours));
    }

    #[test]
    fn a_recipient_removed_on_one_side_and_added_on_the_other_gets_a_new_key() {
        const THIRD: &str = "age1qg49plxhd2u6cngdvucjgqsqcvju2vshgrfpzy7lunpxgattzyks8gxx6p";
        let key = DataKey::generate();
        let base = sealed("a: 1\n", &key, &[FIXTURE_RECIPIENT, OTHER_RECIPIENT], None);
        let ours = sealed(
            "a: 2\n",
            &key,
            &[FIXTURE_RECIPIENT, OTHER_RECIPIENT, THIRD],
            None,
        );
        let theirs = sealed("a: 1\n", &DataKey::generate(), &[FIXTURE_RECIPIENT], None);
        let merged = merge3(&base, &ours, &theirs);
        let file = super::super::read("x.yaml", merged.text.as_bytes())
            .unwrap()
            .unwrap();
        let mut recipients: Vec<&str> = file
            .metadata
            .age
            .iter()
            .map(|k| k.recipient.as_str())
            .collect();
        recipients.sort_unstable();
        let mut want = vec![FIXTURE_RECIPIENT, THIRD];
        want.sort_unstable();
        assert_eq!(recipients, want);
        let opened = super::super::open(&file, &ring()).unwrap();
        assert_ne!(opened.key.as_bytes(), key.as_bytes());
        assert_eq!(opened.plaintext.as_str(), "a: 2\n");
    }

    #[test]
    fn an_unencrypted_side_is_refused() {
        let side = |name, text: &'static str| Side {
            name,
            bytes: text.as_bytes(),
        };
        let refusal = merge(
            "x.yaml",
            side("base", "a: 1\n"),
            side("ours", "a: 2\n"),
            side("theirs", "a: 3\n"),
            &ring(),
            "2026-06-02T00:00:00Z",
        )
        .unwrap_err();
        assert!(matches!(refusal, Refusal::NotEncrypted(_)));
    }

    #[test]
    fn an_unchanged_ours_takes_theirs_whole() {
        let base = test_yaml("a: 1\n");
        let theirs = test_yaml("a: 2\n");
        let plan = three_way(Some(&base), &base, &theirs);
        assert!(plan.take_theirs);
    }
}
