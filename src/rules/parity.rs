//! Cross-environment rules: the same document should have the same keys (`env-key-parity`)
//! and the same value types (`env-type-parity`) in every environment.
//!
//! Each environment file is reduced to a [`Summary`] (key paths, value classes, positions) as
//! soon as it is parsed, so a run over thousands of files never holds every tree at once.
//! Paths inside sequences are not compared: lists legitimately differ in length.

use super::{RuleId, RuleSet};
use crate::document::{KeyPath, Node, Pos, Segment, Value};
use crate::finding::Finding;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The value classes compared across environments (integers and floats are both numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl Class {
    fn of(node: &Node) -> Class {
        match node.value {
            Value::Null => Class::Null,
            Value::Bool(_) => Class::Boolean,
            Value::Int(_) | Value::Float(_) => Class::Number,
            Value::String(_) => Class::String,
            Value::Seq(_) => Class::Array,
            Value::Map(_) => Class::Object,
        }
    }

    fn article_name(self) -> &'static str {
        match self {
            Class::Null => "null",
            Class::Boolean => "a boolean",
            Class::Number => "a number",
            Class::String => "a string",
            Class::Array => "a list",
            Class::Object => "a mapping",
        }
    }
}

/// What the cross-environment rules need of one environment file.
#[derive(Debug, Clone)]
pub struct Summary {
    pub file: String,
    pub env: String,
    pub document: String,
    /// Every mapping key path outside sequences, as a JSON pointer, with class and position.
    keys: HashMap<String, (Class, Pos)>,
}

impl Summary {
    /// Reduces a document root to its key paths.
    pub fn new(file: &str, env: &str, document: &str, root: &Node) -> Summary {
        let mut keys = HashMap::new();
        root.walk(&mut |path, node| {
            if path.segments().iter().all(|s| matches!(s, Segment::Key(_))) {
                keys.insert(path.to_pointer(), (Class::of(node), node.pos));
            }
        });
        Summary {
            file: file.to_string(),
            env: env.to_string(),
            document: document.to_string(),
            keys,
        }
    }
}

/// Compares every document across the environments and returns findings for the files that
/// `report` accepts (all files for a full run; the selected ones for `--staged` or paths).
pub fn check(
    rules: &RuleSet,
    summaries: Vec<Summary>,
    report: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let envs = rules.environments();
    let mut out = Vec::new();
    let mut unknown: BTreeMap<String, String> = BTreeMap::new();
    let mut by_document: BTreeMap<String, Vec<Summary>> = BTreeMap::new();
    for summary in summaries {
        if envs.contains(&summary.env) {
            by_document
                .entry(summary.document.clone())
                .or_default()
                .push(summary);
        } else {
            let first = unknown
                .entry(summary.env.clone())
                .or_insert_with(|| summary.file.clone());
            if summary.file < *first {
                *first = summary.file.clone();
            }
        }
    }
    for (env, file) in unknown {
        if report(&file) {
            out.extend(rules.finding(
                RuleId::UnknownEnvironment,
                &file,
                Pos::new(1, 1),
                &KeyPath::root(),
                format!(
                    "environments/{env}/ is not listed in [repo] environments ({}), so no rule, render or promotion sees it",
                    envs.join(", ")
                ),
            ));
        }
    }
    for (document, mut group) in by_document {
        group.sort_by_key(|s| envs.iter().position(|e| *e == s.env));
        missing_documents(rules, &document, &group, report, &mut out);
        key_parity(rules, &group, report, &mut out);
        type_parity(rules, &group, report, &mut out);
    }
    out
}

fn missing_documents(
    rules: &RuleSet,
    document: &str,
    group: &[Summary],
    report: &dyn Fn(&str) -> bool,
    out: &mut Vec<Finding>,
) {
    let present: HashSet<&str> = group.iter().map(|s| s.env.as_str()).collect();
    let missing: Vec<&str> = rules
        .environments()
        .iter()
        .map(String::as_str)
        .filter(|e| !present.contains(e))
        .collect();
    if missing.is_empty() || !report(&group[0].file) {
        return;
    }
    out.extend(rules.finding(
        RuleId::EnvKeyParity,
        &group[0].file,
        Pos::new(1, 1),
        &KeyPath::root(),
        format!(
            "document `{document}` is missing from environment(s): {}",
            missing.join(", ")
        ),
    ));
}

fn key_parity(
    rules: &RuleSet,
    group: &[Summary],
    report: &dyn Fn(&str) -> bool,
    out: &mut Vec<Finding>,
) {
    if rules.severity(RuleId::EnvKeyParity).is_none() || group.len() < 2 {
        return;
    }
    // Which environments have each key, in environment order.
    let mut holders: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for summary in group {
        for pointer in summary.keys.keys() {
            holders
                .entry(pointer.as_str())
                .or_default()
                .push(summary.env.as_str());
        }
    }
    for summary in group.iter().filter(|s| report(&s.file)) {
        for (pointer, envs) in &holders {
            if summary.keys.contains_key(*pointer) {
                continue;
            }
            // Report only the topmost missing key: its parent exists here.
            let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
            let Some((_, parent_pos)) = summary.keys.get(parent) else {
                continue;
            };
            let path = KeyPath::from_pointer(pointer);
            out.extend(rules.finding(
                RuleId::EnvKeyParity,
                &summary.file,
                *parent_pos,
                &path,
                format!("`{path}` is missing here but set in {}", list_envs(envs)),
            ));
        }
    }
}

fn type_parity(
    rules: &RuleSet,
    group: &[Summary],
    report: &dyn Fn(&str) -> bool,
    out: &mut Vec<Finding>,
) {
    if rules.severity(RuleId::EnvTypeParity).is_none() || group.len() < 2 {
        return;
    }
    // The reference for each key: the first environment (in promotion order) with a non-null value.
    let mut reference: HashMap<&str, (Class, &Summary, Pos)> = HashMap::new();
    for summary in group {
        for (pointer, (class, pos)) in &summary.keys {
            if *class != Class::Null {
                reference
                    .entry(pointer.as_str())
                    .or_insert((*class, summary, *pos));
            }
        }
    }
    for summary in group.iter().filter(|s| report(&s.file)) {
        let mut keys: Vec<_> = summary.keys.iter().collect();
        keys.sort_by_key(|(_, (_, pos))| *pos);
        for (pointer, (class, pos)) in keys {
            let Some((expected, origin, origin_pos)) = reference.get(pointer.as_str()) else {
                continue;
            };
            if *class == Class::Null || class == expected || std::ptr::eq(*origin, summary) {
                continue;
            }
            let path = KeyPath::from_pointer(pointer);
            out.extend(rules.finding(
                RuleId::EnvTypeParity,
                &summary.file,
                *pos,
                &path,
                format!(
                    "`{path}` is {} here but {} in {} ({}:{origin_pos})",
                    class.article_name(),
                    expected.article_name(),
                    origin.env,
                    origin.file
                ),
            ));
        }
    }
}

fn list_envs(envs: &[&str]) -> String {
    const SHOWN: usize = 3;
    if envs.len() <= SHOWN {
        envs.join(", ")
    } else {
        format!(
            "{} and {} more",
            envs[..SHOWN].join(", "),
            envs.len() - SHOWN
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::document::{self, Format, Limits};

    fn summary(env: &str, yaml: &str) -> Summary {
        let doc = document::parse(yaml.as_bytes(), Format::Yaml, &Limits::default()).unwrap();
        let file = format!("environments/{env}/db.yaml");
        Summary::new(&file, env, "db.yaml", &doc.roots[0])
    }

    fn rules() -> RuleSet {
        RuleSet::new(
            &Config::parse("[repo]\nenvironments = [\"dev\", \"stage\", \"prod\"]\n").unwrap(),
        )
    }

    #[test]
    fn missing_keys_are_reported_once_at_the_parent() {
        let findings = check(
            &rules(),
            vec![
                summary("dev", "db:\n  host: a\n  pool:\n    max: 5\n"),
                summary("stage", "db:\n  host: b\n  pool:\n    max: 5\n"),
                summary("prod", "db:\n  host: c\n"),
            ],
            &|_| true,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        let f = &findings[0];
        assert_eq!(f.file, "environments/prod/db.yaml");
        assert_eq!(f.path.as_deref(), Some("db.pool"));
        assert_eq!(f.pos, Pos::new(2, 3));
        assert!(f.message.contains("set in dev, stage"), "{}", f.message);
    }

    #[test]
    fn type_differences_name_the_reference_environment() {
        let findings = check(
            &rules(),
            vec![
                summary("dev", "db:\n  port: 5432\n  ratio: 1\n  opt: null\n"),
                summary("stage", "db:\n  port: '5432'\n  ratio: 1.5\n  opt: x\n"),
                summary("prod", "db:\n  port: 5432\n  ratio: 2\n  opt: 3\n"),
            ],
            &|_| true,
        );
        let types: Vec<_> = findings
            .iter()
            .filter(|f| f.rule == "env-type-parity")
            .collect();
        assert_eq!(types.len(), 2, "{findings:?}");
        assert_eq!(types[0].file, "environments/stage/db.yaml");
        assert_eq!(types[0].pos, Pos::new(2, 9));
        assert!(
            types[0]
                .message
                .contains("a string here but a number in dev (environments/dev/db.yaml:2:9)"),
            "{}",
            types[0].message
        );
        // `opt` is null in dev, so stage's string is the reference and prod's number differs.
        assert_eq!(types[1].file, "environments/prod/db.yaml");
        assert_eq!(types[1].path.as_deref(), Some("db.opt"));
    }

    #[test]
    fn missing_documents_and_unknown_environments() {
        let mut qa = summary("qa", "db: {}\n");
        qa.file = "environments/qa/db.yaml".into();
        let findings = check(&rules(), vec![summary("dev", "db: {}\n"), qa], &|_| true);
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["unknown-environment", "env-key-parity"]);
        assert!(
            findings[1]
                .message
                .contains("missing from environment(s): stage, prod")
        );
    }

    #[test]
    fn report_filter_limits_which_files_get_findings() {
        let findings = check(
            &rules(),
            vec![
                summary("dev", "db:\n  a: 1\n"),
                summary("stage", "db:\n  b: 1\n"),
                summary("prod", "db:\n  a: 1\n  b: 1\n"),
            ],
            &|file| file.contains("/stage/"),
        );
        assert!(findings.iter().all(|f| f.file.contains("/stage/")));
        assert_eq!(findings.len(), 1);
    }
}
