//! A new environment made from an existing one (`cfgctl env add NAME --from ENV`): a first
//! promotion into an environment that has nothing yet.
//!
//! The source's own files (its directory, its service and tenant overrides, its pack
//! activations) are copied; its secret files are decrypted in memory and encrypted again under
//! a new data key for the new environment's recipients (the source's ciphertext is never
//! copied); its flag file is copied with every flag off; `[repo] environments` gains the name
//! and `.sops.yaml` a creation rule for the new directory, both edited in place. The command
//! hands the files to the change pipeline, which validates the result with the new
//! `cfgctl.toml` and makes one commit.

use crate::config::{self, Config};
use crate::document::secret_key::is_secret_file;
use crate::document::{self, Format, Limits, Node, Value};
use crate::edit;
use crate::environment::{Environments, Part};
use crate::error::CliError;
use crate::flags::stage::{self, Stage};
use crate::keys;
use crate::repo::Source;
use crate::secrets::keys::{Keyring, Recipient};
use crate::secrets::rules::CreationRules;
use crate::secrets::{self, DataKey, SealOptions, Store};
use anyhow::{Context as _, Result, anyhow, bail};
use serde::Serialize;
use std::path::Path;

/// The `.sops.yaml` this workflow edits: the one at the repository root.
pub const SOPS_CONFIG: &str = ".sops.yaml";

/// What to add.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub name: &'a str,
    pub from: &'a str,
    /// The environment the new one follows in promotion order; `None`: right after `from`.
    pub after: Option<&'a str>,
    /// Age recipients for the new environment's secrets; empty: the source's.
    pub recipients: &'a [String],
}

/// How a file of the new environment came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Copied as it is.
    Copied,
    /// Decrypted and encrypted again for the new recipients, under a new data key.
    Reencrypted,
    /// The flag file, every flag off.
    FlagsOff,
    /// `cfgctl.toml`: the name added to `[repo] environments`.
    Settings,
    /// `.sops.yaml`: a creation rule for the new environment's secret files.
    SopsRule,
}

/// One file the new environment's commit writes.
#[derive(Debug, Clone, Serialize)]
pub struct NewFile {
    pub path: String,
    /// The file it was made from, when it was.
    pub from: Option<String>,
    pub origin: Origin,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// A new environment ready for the change pipeline.
#[derive(Debug, Clone, Serialize)]
pub struct Prepared {
    /// `[repo] environments` afterwards, in promotion order.
    pub order: Vec<String>,
    pub files: Vec<NewFile>,
    /// Who can decrypt the new environment's secret files.
    pub recipients: Vec<String>,
    /// The `.sops.yaml` rule added, as written.
    pub sops_rule: Option<String>,
    /// Things a reviewer should know.
    pub notes: Vec<String>,
}

/// Plans the new environment from the files of `tree` (the commit the change is made on).
pub fn prepare(
    tree: &dyn Source,
    config: &Config,
    keyring: &Keyring,
    request: &Request<'_>,
) -> Result<Prepared> {
    let environments = Environments::of(config);
    check_name(request.name, &environments)?;
    let from = environments.get(request.from)?;
    let after = environments.get(request.after.unwrap_or(request.from))?;
    for recipient in request.recipients {
        Recipient::parse(recipient).map_err(|e| CliError::new(e.context("--age")))?;
    }
    let listing = tree.list()?.paths;

    // Paths that would become the new environment's own files once it is declared.
    let mut with_new = config.repo.environments.clone();
    with_new.push(request.name.to_string());
    let future = Environments::new(&with_new);
    let new_env = future.get(request.name)?;
    if let Some(taken) = listing.iter().find(|p| new_env.owns(p)) {
        return Err(CliError::new(anyhow!(
            "{taken} already exists and would belong to the new environment `{}`",
            request.name
        ))
        .with_hint("move or remove it first, or choose another name")
        .into());
    }

    let mut order = config.repo.environments.clone();
    let at = order
        .iter()
        .position(|e| e == after.name())
        .expect("a declared environment")
        + 1;
    order.insert(at, request.name.to_string());

    let mut notes = Vec::new();
    let mut files = Vec::new();
    files.push(NewFile {
        path: config::FILE_NAME.to_string(),
        from: None,
        origin: Origin::Settings,
        bytes: settings_text(tree, config, request.name, at, &mut notes)?.into_bytes(),
    });

    let rules = match tree.read(SOPS_CONFIG) {
        Ok(bytes) => Some((
            String::from_utf8(bytes).map_err(|_| anyhow!("{SOPS_CONFIG}: not valid UTF-8"))?,
            CreationRules::parse(&tree.read(SOPS_CONFIG)?, Path::new(SOPS_CONFIG))
                .map_err(|e| e.in_file(SOPS_CONFIG))?,
        )),
        Err(_) => None,
    };
    let source_files: Vec<&String> = from.own_files(&listing);
    let secret_sources: Vec<&String> = source_files
        .iter()
        .copied()
        .filter(|p| from.belongs(p) == Some(crate::environment::Belonging::Own(Part::Secrets)))
        .collect();
    let source_rule = rules.as_ref().and_then(|(_, rules)| {
        let sample = secret_sources
            .first()
            .map(|p| p.to_string())
            .unwrap_or_else(|| format!("{}app.secret.yaml", from.dir()));
        rules.matching_relative(&sample).cloned()
    });

    // Recipients: as given, else the source's rule's, else those of the source's files.
    let mut recipients: Vec<String> = request.recipients.to_vec();
    if recipients.is_empty() {
        recipients = source_rule
            .as_ref()
            .map(|r| r.recipients.clone())
            .unwrap_or_default();
    }
    let mut opened = Vec::new();
    for path in &secret_sources {
        let bytes = tree.read(path)?;
        let file = secrets::read(path, &bytes)?.ok_or_else(|| {
            CliError::new(anyhow!("{path} is a secret file but is not encrypted"))
                .with_hint("encrypt it first: `cfgctl secrets encrypt`")
        })?;
        let plain = secrets::open(&file, keyring).map_err(|e| e.explain(path))?;
        if request.recipients.is_empty() && source_rule.is_none() {
            for age in &file.metadata.age {
                if !recipients.contains(&age.recipient) {
                    recipients.push(age.recipient.clone());
                }
            }
        }
        opened.push((path.to_string(), file, plain));
    }
    if !opened.is_empty() && recipients.is_empty() {
        return Err(CliError::new(anyhow!(
            "no age recipients for the new environment's secret files"
        ))
        .with_hint("give them with --age age1…")
        .into());
    }
    if request.recipients.is_empty() && !opened.is_empty() {
        notes.push(format!(
            "secret files are encrypted for {}'s recipients; give --age to use new keys",
            from.name()
        ));
    }

    let now = secrets::now_rfc3339()?;
    for (path, file, plain) in opened {
        let key = DataKey::generate();
        let text = secrets::seal(
            Store::from_path(&path),
            &plain.plaintext,
            &SealOptions {
                age: secrets::wrap_for(&key, &recipients)?,
                key,
                selector: file.metadata.selector.clone(),
                mac_only_encrypted: file.metadata.mac_only_encrypted,
                stash: None,
                now: now.clone(),
            },
        )
        .with_context(|| format!("encrypting {path} for `{}`", request.name))?;
        files.push(NewFile {
            path: moved(&path, from.name(), request.name),
            from: Some(path),
            origin: Origin::Reencrypted,
            bytes: text.into_bytes(),
        });
    }

    for path in source_files {
        let part = match from.belongs(path) {
            Some(crate::environment::Belonging::Own(part)) => part,
            _ => continue,
        };
        match part {
            Part::Secrets => {}
            Part::Flags => {
                let text = String::from_utf8(tree.read(path)?)
                    .map_err(|_| anyhow!("{path}: not valid UTF-8"))?;
                let ext = path.rsplit_once('.').map_or("json", |(_, e)| e);
                let target = format!("{}{}.flags.{ext}", crate::flags::FLAGS_DIR, request.name);
                files.push(NewFile {
                    bytes: flags_off(path, &text, from.name(), request.name)?.into_bytes(),
                    path: target,
                    from: Some(path.clone()),
                    origin: Origin::FlagsOff,
                });
            }
            Part::Document | Part::Packs | Part::Other => {
                let bytes = tree.read(path)?;
                if crate::secrets::looks_encrypted(&bytes) && !is_secret_file(path) {
                    notes.push(format!(
                        "{path} looks encrypted but is not named as a secret file: copied as it is"
                    ));
                }
                files.push(NewFile {
                    path: moved(path, from.name(), request.name),
                    from: Some(path.clone()),
                    origin: Origin::Copied,
                    bytes,
                });
            }
        }
    }

    // A creation rule, so that `secrets encrypt|set` and the sops CLI know the new
    // environment's recipients.
    let mut sops_rule = None;
    if !recipients.is_empty() {
        let rule = rule_text(request.name, from.name(), source_rule.as_ref(), &recipients);
        let text = match &rules {
            Some((text, parsed)) => with_rule_first(text, parsed, &rule, request.name)?,
            None => format!("creation_rules:\n{}", indent_item(&rule, "  ")),
        };
        check_rules(&text, rules.as_ref().map(|(_, r)| r), request.name)?;
        files.push(NewFile {
            path: SOPS_CONFIG.to_string(),
            from: None,
            origin: Origin::SopsRule,
            bytes: text.into_bytes(),
        });
        sops_rule = Some(rule);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Prepared {
        order,
        files,
        recipients,
        sops_rule,
        notes,
    })
}

/// An environment name is a directory name and a word in commit trailers: letters, digits,
/// `-`, `_` and `.`, starting with a letter or digit.
fn check_name(name: &str, environments: &Environments) -> Result<()> {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.len() <= 64;
    if !valid {
        return Err(
            CliError::new(anyhow!("`{name}` is not a valid environment name"))
                .with_hint("use letters, digits, `-`, `_` and `.`, starting with a letter or digit")
                .into(),
        );
    }
    if environments.contains(name) {
        return Err(
            CliError::new(anyhow!("environment `{name}` already exists"))
                .with_hint(environments.hint())
                .into(),
        );
    }
    Ok(())
}

/// `environments/FROM/x` → `environments/NAME/x`, `services/S/FROM/x` → `services/S/NAME/x`.
fn moved(path: &str, from: &str, name: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let at = match parts.first() {
        Some(&"environments") => 1,
        _ => 2,
    };
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| if i == at && *p == from { name } else { p })
        .collect::<Vec<_>>()
        .join("/")
}

/// `cfgctl.toml` with `name` inserted at `index` of `[repo] environments`. Appending after
/// the last environment would make the new one production by default, so then `production`
/// is written out as it was.
fn settings_text(
    tree: &dyn Source,
    config: &Config,
    name: &str,
    index: usize,
    notes: &mut Vec<String>,
) -> Result<String> {
    let text = String::from_utf8(tree.read(config::FILE_NAME)?)
        .map_err(|_| anyhow!("{}: not valid UTF-8", config::FILE_NAME))?;
    let mut text = edit::toml_array_insert(&text, &["repo"], "environments", index, name)
        .with_context(|| format!("adding `{name}` to [repo] environments"))?;
    if index == config.repo.environments.len()
        && config.repo.production.is_none()
        && let Some(last) = config.repo.environments.last()
    {
        text = edit::toml_set_string(&text, &["repo"], "production", last)?;
        notes.push(format!(
            "`{name}` is last in promotion order: [repo] production = \"{last}\" is written out so production stays `{last}`"
        ));
    }
    let parsed = Config::parse(&text).map_err(|e| anyhow!("{}: {e}", config::FILE_NAME))?;
    let production = |c: &Config| c.production().to_string();
    if production(&parsed) != production(config) {
        bail!("adding `{name}` would change which environment is production");
    }
    Ok(text)
}

/// The source's flag file with every flag off (`state: DISABLED`, `metadata.stage: disabled`,
/// as `flags stage FLAG disabled` writes it) and a `metadata.flagSetId` naming the source
/// renamed.
fn flags_off(path: &str, text: &str, from: &str, name: &str) -> Result<String> {
    let root = crate::flags::parse(path, text.as_bytes())?;
    let mut text = text.to_string();
    let flags: Vec<String> = match root.get("flags").map(|f| &f.value) {
        Some(Value::Map(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    };
    for flag in flags {
        text = match stage::plan(path, &text, &flag, Stage::Disabled, None) {
            Ok(plan) => plan.text,
            // A flag without an on/off pair (a string or number flag) has no stage: off is
            // `state: DISABLED`.
            Err(_) => {
                let at = ["flags", flag.as_str(), "state"].map(String::from);
                keys::plan(path, &text, &at, Some(string_node("DISABLED")))?.text
            }
        };
    }
    let set_id = ["metadata", "flagSetId"].map(String::from);
    if root
        .get("metadata")
        .and_then(|m| m.get("flagSetId"))
        .is_some_and(|id| id.as_str() == Some(from))
    {
        text = keys::plan(path, &text, &set_id, Some(string_node(name)))?.text;
    }
    Ok(text)
}

fn string_node(text: &str) -> Node {
    Node::new(Value::String(text.to_string()), document::Pos::default())
}

/// The new creation rule, as YAML mapping lines (without the list's `- `): the source rule's
/// path pattern with the environment renamed where it names it literally, its encryption rule,
/// and the recipients.
fn rule_text(
    name: &str,
    from: &str,
    source: Option<&crate::secrets::rules::Rule>,
    recipients: &[String],
) -> String {
    let escaped = regex::escape(name);
    let literal = format!("environments/{}/", regex::escape(from));
    let path_regex = source
        .and_then(|r| r.path_regex.as_ref())
        .map(|re| re.as_str())
        .filter(|re| re.contains(&literal))
        .map(|re| re.replacen(&literal, &format!("environments/{escaped}/"), 1))
        .unwrap_or_else(|| format!("^environments/{escaped}/.*\\.secret\\.[^/]+$"));
    let mut lines = vec![format!("path_regex: {}", quote(&path_regex))];
    if let Some(rule) = source {
        lines.push(format!(
            "{}: {}",
            rule.selector.key(),
            quote(rule.selector.pattern())
        ));
        if rule.mac_only_encrypted {
            lines.push("mac_only_encrypted: true".into());
        }
    }
    lines.push(format!("age: {}", quote(&recipients.join(","))));
    lines.join("\n")
}

/// A YAML scalar for `text`: plain when that reads back as the same string, else single-quoted.
fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.starts_with(|c: char| "!&*{}[]|>'\"%@`#,?-: ".contains(c))
        && document::parse(
            format!("k: {text}\n").as_bytes(),
            Format::Yaml,
            &Limits::default(),
        )
        .ok()
        .and_then(|d| d.roots.into_iter().next())
        .and_then(|r| r.get("k").and_then(|v| v.as_str().map(str::to_string)))
        .as_deref()
            == Some(text);
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// One list item: `- ` before the first line, the others indented to match.
fn indent_item(rule: &str, indent: &str) -> String {
    let mut out = String::new();
    for (i, line) in rule.lines().enumerate() {
        let lead = if i == 0 { "- " } else { "  " };
        out.push_str(&format!("{indent}{lead}{line}\n"));
    }
    out
}

/// `.sops.yaml` with `rule` as the first creation rule (the first match wins, and the new
/// rule names only the new directory), inserted above the first rule and the comment lines
/// that introduce it, in the list's own indentation.
fn with_rule_first(text: &str, parsed: &CreationRules, rule: &str, name: &str) -> Result<String> {
    let cannot = || {
        CliError::new(anyhow!(
            "cannot add a creation rule to {SOPS_CONFIG} in place (`creation_rules` is not a block list)"
        ))
        .with_hint(format!(
            "add this rule first in `creation_rules`, then run `env add` again:\n{}",
            indent_item(rule, "  ")
        ))
    };
    let Some(first) = parsed.rules.first() else {
        let root = document::parse(text.as_bytes(), Format::Yaml, &Limits::default())
            .map_err(|e| anyhow!("{SOPS_CONFIG}: {}", e.message))?;
        if root
            .roots
            .first()
            .and_then(|r| r.get("creation_rules"))
            .is_some()
        {
            return Err(cannot().into());
        }
        let mut text = text.to_string();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("creation_rules:\n{}", indent_item(rule, "  ")));
        return Ok(text);
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line = (first.pos.line as usize).saturating_sub(1);
    let Some(item_line) = lines.get(line) else {
        return Err(cannot().into());
    };
    let indent: String = item_line.chars().take_while(|c| *c == ' ').collect();
    if !item_line[indent.len()..].starts_with('-') {
        return Err(cannot().into());
    }
    // Comment lines right above the first rule introduce it: the new rule goes above them.
    let mut insert_at = line;
    while insert_at > 0 {
        let above = lines[insert_at - 1];
        if above.trim_start().starts_with('#') && above.starts_with(&indent) {
            insert_at -= 1;
        } else {
            break;
        }
    }
    let mut block = format!("{indent}# {name}: added by `cfgctl env add`\n");
    block.push_str(&indent_item(rule, &indent));
    block.push('\n');
    let mut out: String = lines[..insert_at].concat();
    out.push_str(&block);
    out.push_str(&lines[insert_at..].concat());
    Ok(out)
}

/// The edited `.sops.yaml` must read as the old rules with the new one first, and the new one
/// must match the new environment's secret files and no other environment's.
fn check_rules(text: &str, old: Option<&CreationRules>, name: &str) -> Result<()> {
    let new = CreationRules::parse(text.as_bytes(), Path::new(SOPS_CONFIG))
        .map_err(|e| anyhow!("the edited {SOPS_CONFIG} is not valid: {e}"))?;
    let patterns = |rules: &CreationRules| -> Vec<Option<String>> {
        rules
            .rules
            .iter()
            .map(|r| r.path_regex.as_ref().map(|re| re.as_str().to_string()))
            .collect()
    };
    let old_patterns = old.map(patterns).unwrap_or_default();
    let new_patterns = patterns(&new);
    if new_patterns.len() != old_patterns.len() + 1 || new_patterns[1..] != old_patterns[..] {
        bail!("editing {SOPS_CONFIG} in place would change its other rules; nothing was written");
    }
    let sample = format!("environments/{name}/app.secret.yaml");
    let added = &new.rules[0];
    if !added
        .path_regex
        .as_ref()
        .is_none_or(|re| re.is_match(&sample))
    {
        bail!("the new {SOPS_CONFIG} rule does not match {sample}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_move_to_the_new_environment() {
        assert_eq!(
            moved("environments/staging/db.yaml", "staging", "qa"),
            "environments/qa/db.yaml"
        );
        assert_eq!(
            moved("services/chat/staging/services.yaml", "staging", "qa"),
            "services/chat/qa/services.yaml"
        );
        assert_eq!(
            moved("environments/staging/staging/x.yaml", "staging", "qa"),
            "environments/qa/staging/x.yaml"
        );
    }

    #[test]
    fn names_are_directory_names() {
        let envs = Environments::new(&["dev".to_string()]);
        for bad in ["", "-x", "a/b", "..", "a b", "dev"] {
            assert!(check_name(bad, &envs).is_err(), "{bad:?}");
        }
        for good in ["qa", "perf-2", "eu.west", "Stage_1"] {
            assert!(check_name(good, &envs).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn scalars_are_quoted_when_plain_would_change_them() {
        assert_eq!(quote("age1abc,age1def"), "age1abc,age1def");
        assert_eq!(
            quote(r"^environments/qa/.*\.secret\.(yaml|json)$"),
            r"^environments/qa/.*\.secret\.(yaml|json)$"
        );
        assert_eq!(quote("a: b"), "'a: b'");
        assert_eq!(quote("*x"), "'*x'");
        assert_eq!(quote("it's # not"), "'it''s # not'");
        assert_eq!(quote("true"), "'true'");
    }

    const SOPS: &str = "\
# header
creation_rules:
  # Production only.
  - path_regex: ^environments/production/.*\\.secret\\.yaml$
    encrypted_regex: ^(password|token)$
    age: age1prod

  - path_regex: ^environments/(development|staging)/.*$
    age: age1dev
";

    #[test]
    fn the_new_rule_goes_first_above_the_first_rules_comment() {
        let parsed = CreationRules::parse(SOPS.as_bytes(), Path::new(SOPS_CONFIG)).unwrap();
        let source = parsed.rules[0].clone();
        let rule = rule_text("perf", "production", Some(&source), &["age1perf".into()]);
        assert_eq!(
            rule,
            "path_regex: ^environments/perf/.*\\.secret\\.yaml$\nencrypted_regex: ^(password|token)$\nage: age1perf"
        );
        let text = with_rule_first(SOPS, &parsed, &rule, "perf").unwrap();
        assert_eq!(
            text,
            "\
# header
creation_rules:
  # perf: added by `cfgctl env add`
  - path_regex: ^environments/perf/.*\\.secret\\.yaml$
    encrypted_regex: ^(password|token)$
    age: age1perf

  # Production only.
  - path_regex: ^environments/production/.*\\.secret\\.yaml$
    encrypted_regex: ^(password|token)$
    age: age1prod

  - path_regex: ^environments/(development|staging)/.*$
    age: age1dev
"
        );
        check_rules(&text, Some(&parsed), "perf").unwrap();
        // A rule that names several environments gives a pattern of the new one's own.
        let shared = rule_text("qa", "staging", Some(&parsed.rules[1]), &["age1qa".into()]);
        assert!(shared.starts_with("path_regex: ^environments/qa/.*\\.secret\\.[^/]+$\n"));
    }

    #[test]
    fn a_flow_list_is_not_edited() {
        let text = "creation_rules: [{path_regex: x, age: age1x}]\n";
        let parsed = CreationRules::parse(text.as_bytes(), Path::new(SOPS_CONFIG)).unwrap();
        assert!(with_rule_first(text, &parsed, "path_regex: y\nage: z", "qa").is_err());
        let empty = CreationRules::parse(b"stores: {}\n", Path::new(SOPS_CONFIG)).unwrap();
        assert_eq!(
            with_rule_first("stores: {}\n", &empty, "path_regex: y\nage: z", "qa").unwrap(),
            "stores: {}\ncreation_rules:\n  - path_regex: y\n    age: z\n"
        );
    }

    #[test]
    fn every_flag_is_turned_off() {
        let text = r#"{
  "metadata": {"flagSetId": "staging"},
  "flags": {
    "a": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on",
          "metadata": {"stage": "full"}},
    "b": {"state": "ENABLED", "variants": {"x": "x", "y": "y"}, "defaultVariant": "x"}
  }
}
"#;
        let out = flags_off("flags/staging.flags.json", text, "staging", "qa").unwrap();
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["flags"]["a"]["state"], "DISABLED");
        assert_eq!(json["flags"]["a"]["metadata"]["stage"], "disabled");
        assert_eq!(json["flags"]["b"]["state"], "DISABLED");
        assert_eq!(json["metadata"]["flagSetId"], "qa");
        // Edited in place: the layout of the untouched lines is the same.
        assert!(out.contains(r#""variants": {"x": "x", "y": "y"}"#), "{out}");
    }
}
