//! Secrets settings checked like `cfgctl.toml`: the `.sops.yaml` creation rules at the
//! repository root, and the secret files they govern.
//!
//! - `sops-shadowed-rule`: a rule that can never apply, because an earlier one (without
//!   `path_regex`, or with one that matches everything) takes every path it would match.
//! - `sops-shared-recipient`: a production path would be encrypted for a recipient that the
//!   rules also give another environment's paths, so that environment's key opens production.
//! - `sops-encrypts-nothing`: a file a rule governs has no key the rule encrypts (an
//!   `encrypted_regex` that matches none of its keys leaves `password: hunter2` in clear).
//! - `secret-not-encrypted`: a `*.secret.*` file with no sops metadata: plaintext.
//!
//! Paths are probed, not proven: the repository's own files, plus one made-up secret file per
//! environment, stand for "every path".

use super::{RuleId, RuleSet, is_secret_file};
use crate::document::{self, Format, KeyPath, Node, Pos, Value};
use crate::finding::{Finding, Severity};
use crate::repo::Source;
use crate::secrets::metadata::Selector;
use crate::secrets::rules::{CreationRules, Rule};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The creation rules file cfgctl checks, at the repository root.
pub const CONFIG_FILE: &str = ".sops.yaml";

/// Checks `.sops.yaml` (when `paths` lists it) and the secret files among `paths`, those of
/// them `selected` keeps: a run over a few files reports nothing on the others, so it does
/// not read them (`paths` still stands for the repository in `.sops.yaml`'s own checks).
pub fn check(
    rules: &RuleSet,
    source: &dyn Source,
    paths: &[String],
    selected: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<Finding> {
    let creation = if paths.iter().any(|p| p == CONFIG_FILE) {
        match source.read(CONFIG_FILE).map(|bytes| {
            CreationRules::parse(&bytes, Path::new(CONFIG_FILE)).map_err(|e| (e.pos, e.message))
        }) {
            Ok(Ok(parsed)) => Some(parsed),
            Ok(Err((pos, message))) => {
                return vec![parse_finding(pos, message)];
            }
            Err(err) => return vec![parse_finding(None, format!("{err:#}"))],
        }
    } else {
        None
    };
    let mut out: Vec<Finding> = paths
        .par_iter()
        // Each file's findings are its own: only the files a run reports on are read.
        .filter(|p| selected(p))
        .filter(|p| Format::from_path(p).is_some() && p.as_str() != CONFIG_FILE)
        .filter(|p| {
            is_secret_file(p)
                || creation
                    .as_ref()
                    .is_some_and(|c| c.matching_relative(p).is_some())
        })
        .flat_map_iter(|path| check_file(rules, source, creation.as_ref(), path))
        .collect();
    // The rules' own findings are on `.sops.yaml`.
    if let Some(creation) = creation.as_ref().filter(|_| selected(CONFIG_FILE)) {
        let probes = probes(rules, paths);
        out.extend(shadowed(rules, creation, &probes));
        out.extend(shared_recipients(rules, creation, &probes));
    }
    out
}

fn parse_finding(pos: Option<Pos>, message: String) -> Finding {
    Finding {
        file: CONFIG_FILE.into(),
        pos: pos.unwrap_or(Pos::new(1, 1)),
        path: None,
        rule: "parse".into(),
        severity: Severity::Error,
        message,
        schema: None,
    }
}

fn finding(
    rules: &RuleSet,
    rule: RuleId,
    file: &str,
    pos: Pos,
    message: String,
) -> Option<Finding> {
    rules.finding(rule, file, pos, &KeyPath::root(), message)
}

/// A secret file in plaintext, and a governed file whose keys the rule's selector misses.
fn check_file(
    rules: &RuleSet,
    source: &dyn Source,
    creation: Option<&CreationRules>,
    path: &str,
) -> Vec<Finding> {
    let Ok(bytes) = source.read(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let format = Format::from_path(path).filter(|f| *f != Format::Toml);
    let doc =
        format.and_then(|f| document::parse_secret(&bytes, f, &document::Limits::default()).ok());
    let mut leaves: Vec<(Vec<String>, &Node)> = Vec::new();
    if let Some(Value::Map(map)) = doc.as_ref().and_then(|d| d.roots.first()).map(|r| &r.value) {
        for (key, entry) in map.iter().filter(|(k, _)| k.as_str() != "sops") {
            collect_leaves(&entry.value, &mut vec![key.clone()], &mut leaves);
        }
    }
    // No sops metadata and a value in clear: plaintext. (A malformed sops file is `secrets
    // check`'s finding, and a file of `ENC[...]` placeholders holds nothing readable.)
    let plaintext = matches!(crate::secrets::read(path, &bytes), Ok(None));
    let clear = leaves
        .iter()
        .find(|(_, node)| !node.as_str().is_some_and(|s| s.starts_with("ENC[")));
    if is_secret_file(path)
        && plaintext
        && let Some((_, first)) = clear
    {
        out.extend(finding(
            rules,
            RuleId::SecretNotEncrypted,
            path,
            first.pos,
            format!(
                "no sops metadata: this secret file is plaintext; encrypt it with `cfgctl secrets encrypt -i {path}`"
            ),
        ));
    }
    let Some(rule) = creation.and_then(|c| c.matching_relative(path)) else {
        return out;
    };
    let selector = &rule.selector;
    if leaves.is_empty() || selector.encrypts(&[]).is_none() {
        return out;
    }
    if !leaves
        .iter()
        .any(|(keys, _)| selector.encrypts(keys) == Some(true))
    {
        out.extend(finding(
            rules,
            RuleId::SopsEncryptsNothing,
            path,
            leaves[0].1.pos,
            format!(
                "creation rule {} in {CONFIG_FILE} (line {}) encrypts none of this file's {} values: {}, so every value stays in clear",
                rule.index,
                rule.pos.line,
                leaves.len(),
                describe(selector)
            ),
        ));
    }
    out
}

/// What a selector misses, for a message.
fn describe(selector: &Selector) -> String {
    match selector {
        Selector::EncryptedRegex(r) => format!("`encrypted_regex: {}` matches no key", r.as_str()),
        Selector::EncryptedSuffix(s) => format!("no key ends with `encrypted_suffix: {s}`"),
        Selector::UnencryptedRegex(r) => {
            format!("`unencrypted_regex: {}` matches every key", r.as_str())
        }
        Selector::UnencryptedSuffix(s) => format!("every key ends with `unencrypted_suffix: {s}`"),
        other => format!("`{}`", other.key()),
    }
}

/// Scalar leaves with their mapping keys (list indices are not part of sops's key paths).
fn collect_leaves<'a>(
    node: &'a Node,
    keys: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, &'a Node)>,
) {
    match &node.value {
        Value::Map(map) => {
            for (key, entry) in map {
                keys.push(key.clone());
                collect_leaves(&entry.value, keys, out);
                keys.pop();
            }
        }
        Value::Seq(items) => {
            for item in items {
                collect_leaves(item, keys, out);
            }
        }
        Value::Null => {}
        Value::String(s) if s.is_empty() => {}
        _ => out.push((keys.clone(), node)),
    }
}

/// The paths that stand for "every path": the repository's files and one made-up secret file
/// per environment, in both formats.
fn probes(rules: &RuleSet, paths: &[String]) -> Vec<String> {
    let mut probes: Vec<String> = paths
        .iter()
        .filter(|p| p.as_str() != CONFIG_FILE)
        .cloned()
        .collect();
    for env in rules.environments() {
        for ext in ["yaml", "json"] {
            probes.push(format!("environments/{env}/cfgctl-probe.secret.{ext}"));
        }
    }
    probes
}

/// Rules that can never apply: a catch-all before others, or a rule every one of whose
/// probed paths an earlier rule takes first.
fn shadowed(rules: &RuleSet, creation: &CreationRules, probes: &[String]) -> Vec<Finding> {
    let catch_all_probes = ["", "a", "Z/ü.json", "x.secret.yaml"];
    let mut out = Vec::new();
    let count = creation.rules.len();
    for (i, rule) in creation.rules.iter().enumerate() {
        if i + 1 == count {
            break;
        }
        let catch_all = match &rule.path_regex {
            None => true,
            Some(re) => {
                catch_all_probes.iter().all(|p| re.is_match(p))
                    && probes.iter().all(|p| re.is_match(p))
            }
        };
        if catch_all {
            let why = match &rule.path_regex {
                None => "has no path_regex".to_string(),
                Some(re) => format!(
                    "has `path_regex: {}`, which matches every path",
                    re.as_str()
                ),
            };
            out.extend(finding(
                rules,
                RuleId::SopsShadowedRule,
                CONFIG_FILE,
                rule.pos,
                format!(
                    "creation rule {} {why}, so {} after it never appl{}: the first matching rule wins",
                    rule.index,
                    later(i + 2, count),
                    if i + 2 == count { "ies" } else { "y" }
                ),
            ));
            return out;
        }
    }
    // A rule whose every probed path an earlier rule already takes.
    for rule in creation.rules.iter().skip(1) {
        let Some(re) = &rule.path_regex else {
            continue;
        };
        let mine: Vec<&String> = probes.iter().filter(|p| re.is_match(p)).collect();
        if mine.is_empty() {
            continue;
        }
        let takers: BTreeSet<usize> = mine
            .iter()
            .filter_map(|p| creation.matching_relative(p).map(|r| r.index))
            .collect();
        if !takers.contains(&rule.index) {
            let takers: Vec<String> = takers.iter().map(usize::to_string).collect();
            out.extend(finding(
                rules,
                RuleId::SopsShadowedRule,
                CONFIG_FILE,
                rule.pos,
                format!(
                    "creation rule {} never applies: every path it matches ({} here, e.g. `{}`) is matched first by creation rule {}",
                    rule.index,
                    mine.len(),
                    mine[0],
                    takers.join(" and ")
                ),
            ));
        }
    }
    out
}

fn later(from: usize, to: usize) -> String {
    if from == to {
        format!("creation rule {from}")
    } else {
        format!("creation rules {from}–{to}")
    }
}

/// Production paths encrypted for a recipient that another environment's paths also get.
fn shared_recipients(rules: &RuleSet, creation: &CreationRules, probes: &[String]) -> Vec<Finding> {
    let production = rules.production();
    // Environment -> recipient -> the rules that give it that recipient.
    let mut by_env: BTreeMap<String, BTreeMap<String, BTreeSet<usize>>> = BTreeMap::new();
    for path in probes.iter().filter(|p| is_secret_file(p)) {
        let Some(env) =
            crate::layers::classify(path, |e| rules.env_index(e).is_some()).and_then(|l| l.env)
        else {
            continue;
        };
        let Some(rule) = creation.matching_relative(path) else {
            continue;
        };
        for recipient in &rule.recipients {
            by_env
                .entry(env.clone())
                .or_default()
                .entry(recipient.clone())
                .or_default()
                .insert(rule.index);
        }
    }
    let Some(prod) = by_env.get(production) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (recipient, prod_rules) in prod {
        let others: Vec<(&String, &BTreeSet<usize>)> = by_env
            .iter()
            .filter(|(env, _)| env.as_str() != production)
            .filter_map(|(env, recipients)| recipients.get(recipient).map(|r| (env, r)))
            .collect();
        if others.is_empty() {
            continue;
        }
        let rule: &Rule = &creation.rules[*prod_rules.iter().next().expect("non-empty") - 1];
        let shared: Vec<String> = others
            .iter()
            .map(|(env, r)| {
                let list: Vec<String> = r.iter().map(usize::to_string).collect();
                format!("{env} (creation rule {})", list.join(", "))
            })
            .collect();
        out.extend(finding(
            rules,
            RuleId::SopsSharedRecipient,
            CONFIG_FILE,
            rule.pos,
            format!(
                "{production} secrets would be encrypted for {recipient}, which also receives the secrets of {}: whoever holds that key for {} can read {production}",
                shared.join(", "),
                others
                    .iter()
                    .map(|(env, _)| env.as_str())
                    .collect::<Vec<_>>()
                    .join(" and "),
            ),
        ));
    }
    out
}
