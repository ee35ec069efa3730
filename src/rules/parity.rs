//! Cross-environment rules: the same document should have the same keys (`env-key-parity`)
//! and the same value types (`env-type-parity`) in every environment.
//!
//! Each environment file is reduced to a [`Summary`] (key paths, value classes, positions) as
//! soon as it is parsed, so a run over thousands of files never holds every tree at once.
//! Paths inside sequences are not compared: lists legitimately differ in length.

use super::{RuleId, RuleSet};
use crate::document::{KeyPath, Node, Pos, Value};
use crate::finding::Finding;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The value classes compared across environments (integers and floats are both numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A value only a render can know (`${VAR}` without a default, `${SECRET:…}`): it takes
    /// whatever type the other environments have.
    Any,
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
            Class::Any => "any value",
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
///
/// A repository of 10,000 files holds about half a million key paths at once (every
/// environment's documents must be read before any can be compared), so they are stored
/// compactly: all of a file's JSON pointers in one string, each key a fixed-size record.
#[derive(Debug, Clone)]
pub struct Summary {
    pub file: String,
    pub env: String,
    pub document: String,
    /// The JSON pointers of every mapping key path outside sequences (the root included, as
    /// ""), parents first, one after another; `KeyInfo::end` says where each ends.
    pointers: String,
    keys: Vec<KeyInfo>,
    /// The file could not be read as configuration: the environment has the document, but
    /// its keys are unknown, so it takes part in no key or type comparison.
    unreadable: bool,
}

#[derive(Debug, Clone, Copy)]
struct KeyInfo {
    /// Where this key's JSON pointer ends in `Summary::pointers` (it starts where the
    /// previous key's ends).
    end: u32,
    class: Class,
    /// Where the value starts (the root: where the document starts).
    value_pos: Pos,
    /// Where the key itself is written.
    key_pos: Pos,
}

impl Summary {
    /// A summary without keys yet; [`Summary::push_key`] adds them (the validation cache
    /// rebuilds summaries that way).
    pub fn empty(file: &str, env: &str, document: &str) -> Summary {
        Summary {
            file: file.to_string(),
            env: env.to_string(),
            document: document.to_string(),
            pointers: String::new(),
            keys: Vec::new(),
            unreadable: false,
        }
    }

    /// The summary of a file that could not be read as configuration.
    pub fn unreadable(file: &str, env: &str, document: &str) -> Summary {
        Summary {
            unreadable: true,
            ..Summary::empty(file, env, document)
        }
    }

    /// The summary of a parsed document.
    pub fn new(file: &str, env: &str, document: &str, root: &Node) -> Summary {
        fn go(node: &Node, key_pos: Pos, summary: &mut Summary) {
            summary.end_key(Class::of(node), node.pos, key_pos);
            if let Value::Map(map) = &node.value {
                // Each child's pointer starts with its parent's, which was just written.
                let parent = summary.keys.len() - 1;
                for (key, entry) in map {
                    let start = summary.start(parent);
                    summary
                        .pointers
                        .extend_from_within(start..summary.end(parent));
                    summary.pointers.push('/');
                    if key.bytes().any(|b| b == b'~' || b == b'/') {
                        summary
                            .pointers
                            .push_str(&key.replace('~', "~0").replace('/', "~1"));
                    } else {
                        summary.pointers.push_str(key);
                    }
                    go(&entry.value, entry.key_pos, summary);
                }
            }
        }
        thread_local! {
            /// Where summaries are built: grown once per thread, not once per file.
            static SCRATCH: std::cell::RefCell<(String, Vec<KeyInfo>)> = Default::default();
        }
        SCRATCH.with_borrow_mut(|(pointers, keys)| {
            let mut summary = Summary {
                pointers: std::mem::take(pointers),
                keys: std::mem::take(keys),
                ..Summary::empty(file, env, document)
            };
            summary.pointers.clear();
            summary.keys.clear();
            go(root, root.pos, &mut summary);
            // Exact copies: thousands of summaries are alive at once.
            *pointers = std::mem::take(&mut summary.pointers);
            *keys = std::mem::take(&mut summary.keys);
            summary.pointers = pointers.as_str().to_owned();
            summary.keys = keys.to_vec();
            summary
        })
    }

    /// Appends a key (parents first, as [`Summary::keys`] gives them).
    pub fn push_key(&mut self, pointer: &str, class: Class, value_pos: Pos, key_pos: Pos) {
        self.pointers.push_str(pointer);
        self.end_key(class, value_pos, key_pos);
    }

    /// Ends the key whose pointer was just written to `pointers`.
    fn end_key(&mut self, class: Class, value_pos: Pos, key_pos: Pos) {
        let end = u32::try_from(self.pointers.len()).expect("a summary's pointers under 4 GiB");
        self.keys.push(KeyInfo {
            end,
            class,
            value_pos,
            key_pos,
        });
    }

    fn start(&self, i: usize) -> usize {
        i.checked_sub(1).map_or(0, |p| self.end(p))
    }

    fn end(&self, i: usize) -> usize {
        self.keys[i].end as usize
    }

    fn pointer(&self, i: usize) -> &str {
        &self.pointers[self.start(i)..self.end(i)]
    }

    /// Every key as (JSON pointer, class, value position, key position), parents first.
    pub fn keys(&self) -> impl Iterator<Item = (&str, Class, Pos, Pos)> {
        self.keys
            .iter()
            .enumerate()
            .map(|(i, k)| (self.pointer(i), k.class, k.value_pos, k.key_pos))
    }

    /// Whether `other` has the same key pointers, in the same order.
    fn same_keys(&self, other: &Summary) -> bool {
        self.pointers == other.pointers
            && self.keys.len() == other.keys.len()
            && self
                .keys
                .iter()
                .zip(&other.keys)
                .all(|(a, b)| a.end == b.end)
    }

    /// Marks the values at these JSON pointers as any value: their type is not compared.
    pub fn with_any_value_at(mut self, pointers: impl IntoIterator<Item = String>) -> Summary {
        for pointer in pointers {
            if let Some(i) = (0..self.keys.len()).find(|&i| self.pointer(i) == pointer) {
                self.keys[i].class = Class::Any;
            }
        }
        self
    }
}

/// One document across its environments, with every key path interned to a small id so that
/// the comparisons are array lookups (thousands of environments stay linear).
struct Table<'a> {
    group: &'a [Summary],
    pointers: Vec<&'a str>,
    parent: Vec<Option<usize>>,
    /// Which environments (indices into `group`) hold each key, in environment order, with
    /// the key's index into that summary's `keys`.
    holders: Vec<Vec<(u32, u32)>>,
}

impl<'a> Table<'a> {
    fn new(group: &'a [Summary]) -> Table<'a> {
        let mut ids: HashMap<&'a str, usize, foldhash::fast::RandomState> = HashMap::default();
        let mut table = Table {
            group,
            pointers: Vec::new(),
            parent: Vec::new(),
            holders: Vec::new(),
        };
        // Environments mostly hold a document with the same keys in the same order: the
        // ids of the previous one's keys are taken over when its keys are the same.
        let mut previous: Option<(&Summary, Vec<usize>)> = None;
        for (env, summary) in group.iter().enumerate() {
            if let Some((before, key_ids)) = &previous
                && before.same_keys(summary)
            {
                for (i, &id) in key_ids.iter().enumerate() {
                    table.holders[id].push((env as u32, i as u32));
                }
                continue;
            }
            let mut key_ids = Vec::with_capacity(summary.keys.len());
            for (i, (pointer, ..)) in summary.keys().enumerate() {
                let id = match ids.get(pointer) {
                    Some(&id) => id,
                    None => {
                        let id = table.pointers.len();
                        ids.insert(pointer, id);
                        table.pointers.push(pointer);
                        // Parents come first in each summary, so the parent is known.
                        let parent = pointer
                            .rsplit_once('/')
                            .and_then(|(p, _)| ids.get(p).copied());
                        table.parent.push(parent);
                        table.holders.push(Vec::new());
                        id
                    }
                };
                // Environments are visited in order: each holder list stays sorted.
                table.holders[id].push((env as u32, i as u32));
                key_ids.push(id);
            }
            previous = Some((summary, key_ids));
        }
        table
    }

    fn key(&self, env: usize, id: usize) -> Option<&'a KeyInfo> {
        let holders = &self.holders[id];
        let at = holders
            .binary_search_by_key(&(env as u32), |&(e, _)| e)
            .ok()?;
        Some(&self.group[env].keys[holders[at].1 as usize])
    }

    /// The environments that hold a key, in order, with the key.
    fn held(&self, id: usize) -> impl Iterator<Item = (usize, &'a KeyInfo)> + '_ {
        self.holders[id]
            .iter()
            .map(|&(env, i)| (env as usize, &self.group[env as usize].keys[i as usize]))
    }

    fn env_names(&self, envs: impl Iterator<Item = usize>) -> Vec<&'a str> {
        envs.map(|e| self.group[e].env.as_str()).collect()
    }
}

/// Compares every document across the environments and returns findings for the files that
/// `report` accepts (all files for a full run; the selected ones for `--staged` or paths).
pub fn check(
    rules: &RuleSet,
    summaries: Vec<Summary>,
    report: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<Finding> {
    let envs = rules.environments();
    let mut out = Vec::new();
    let mut unknown: BTreeMap<String, String> = BTreeMap::new();
    // Each summary with its environment's place in promotion order.
    let mut by_document: BTreeMap<String, Vec<(usize, Summary)>> = BTreeMap::new();
    for summary in summaries {
        if let Some(index) = rules.env_index(&summary.env) {
            match by_document.get_mut(&summary.document) {
                Some(group) => group.push((index, summary)),
                None => {
                    by_document.insert(summary.document.clone(), vec![(index, summary)]);
                }
            }
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
    // Documents are independent: compare them on all cores.
    let per_document: Vec<Vec<Finding>> = by_document
        .into_par_iter()
        .map(|(document, mut group)| {
            let mut found = Vec::new();
            group.sort_by_key(|(index, _)| *index);
            let mut group: Vec<Summary> = group.into_iter().map(|(_, s)| s).collect();
            // A document none of whose files can be read says nothing about the others.
            if group.iter().any(|s| !s.unreadable) {
                missing_documents(rules, &document, &group, report, &mut found);
            }
            group.retain(|s| !s.unreadable);
            let table = Table::new(&group);
            key_parity(rules, &table, report, &mut found);
            type_parity(rules, &table, report, &mut found);
            found
        })
        .collect();
    out.extend(per_document.into_iter().flatten());
    out
}

/// A document that only some environments have: reported on the environments that lack it,
/// or, when fewer than half have it, on the ones that do (the odd ones out).
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
    if missing.is_empty() {
        return;
    }
    let holders: Vec<&Summary> = if present.len() * 2 < rules.environments().len() {
        group.iter().collect()
    } else {
        group.iter().take(1).collect()
    };
    for summary in holders.into_iter().filter(|s| report(&s.file)) {
        out.extend(rules.finding(
            RuleId::EnvKeyParity,
            &summary.file,
            Pos::new(1, 1),
            &KeyPath::root(),
            format!(
                "document `{document}` is missing from environment(s): {}",
                list_envs(&missing)
            ),
        ));
    }
}

/// A key that only some environments have. When most environments have it, each one that
/// lacks it is told (at the parent mapping); when most lack it, each one that has it is told
/// (at the key), so one stray key yields one finding, not one per environment. Only the
/// topmost differing key of a subtree is reported.
fn key_parity(
    rules: &RuleSet,
    table: &Table<'_>,
    report: &dyn Fn(&str) -> bool,
    out: &mut Vec<Finding>,
) {
    let total = table.group.len();
    if rules.severity(RuleId::EnvKeyParity).is_none() || total < 2 {
        return;
    }
    for (id, holders) in table.holders.iter().enumerate() {
        if holders.len() == total {
            continue;
        }
        let path = KeyPath::from_pointer(table.pointers[id]);
        let mut holds = vec![false; total];
        for (env, _) in table.held(id) {
            holds[env] = true;
        }
        if holders.len() * 2 < total {
            // A stray subtree is reported once, at its top.
            if table.parent[id].is_some_and(|p| table.holders[p].len() == holders.len()) {
                continue;
            }
            let lacking = table.env_names((0..total).filter(|&e| !holds[e]));
            for (env, key) in table.held(id) {
                if !report(&table.group[env].file) {
                    continue;
                }
                out.extend(rules.finding(
                    RuleId::EnvKeyParity,
                    &table.group[env].file,
                    key.key_pos,
                    &path,
                    format!(
                        "`{path}` is set here but missing in {}",
                        list_envs(&lacking)
                    ),
                ));
            }
        } else {
            let present = table.env_names(table.held(id).map(|(env, _)| env));
            let Some(parent) = table.parent[id] else {
                continue;
            };
            for env in (0..total).filter(|&e| !holds[e]) {
                // Only where the parent exists: otherwise the parent is what is missing.
                let Some(parent_key) = table.key(env, parent) else {
                    continue;
                };
                if !report(&table.group[env].file) {
                    continue;
                }
                out.extend(rules.finding(
                    RuleId::EnvKeyParity,
                    &table.group[env].file,
                    parent_key.value_pos,
                    &path,
                    format!(
                        "`{path}` is missing here but set in {}",
                        list_envs(&present)
                    ),
                ));
            }
        }
    }
}

/// The same key with values of different classes: each environment that differs from the
/// first environment (in promotion order) with a non-null value is told where that one is.
fn type_parity(
    rules: &RuleSet,
    table: &Table<'_>,
    report: &dyn Fn(&str) -> bool,
    out: &mut Vec<Finding>,
) {
    if rules.severity(RuleId::EnvTypeParity).is_none() || table.group.len() < 2 {
        return;
    }
    for id in 0..table.holders.len() {
        let mut reference: Option<(usize, &KeyInfo)> = None;
        for (env, key) in table.held(id) {
            if matches!(key.class, Class::Null | Class::Any) {
                continue;
            }
            let Some((origin_env, origin)) = reference else {
                reference = Some((env, key));
                continue;
            };
            if key.class == origin.class || !report(&table.group[env].file) {
                continue;
            }
            let path = KeyPath::from_pointer(table.pointers[id]);
            let origin_summary = &table.group[origin_env];
            out.extend(rules.finding(
                RuleId::EnvTypeParity,
                &table.group[env].file,
                key.value_pos,
                &path,
                format!(
                    "`{path}` is {} here but {} in {} ({}:{})",
                    key.class.article_name(),
                    origin.class.article_name(),
                    origin_summary.env,
                    origin_summary.file,
                    origin.value_pos
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
    fn the_table_holds_each_key_of_each_environment_once() {
        let a = "db:\n  host: x\n  port: 1\n";
        let b = "db:\n  port: 1\n  host: x\n  extra: {k: 1}\n";
        let c = "other: 1\n";
        let group: Vec<Summary> = [a, a, b, a, c, c, a]
            .iter()
            .enumerate()
            .map(|(i, yaml)| summary(&format!("e{i}"), yaml))
            .collect();
        let table = Table::new(&group);
        // Every key of every environment, found by its pointer.
        let mut expected: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
        for (env, s) in group.iter().enumerate() {
            for (i, (pointer, ..)) in s.keys().enumerate() {
                expected
                    .entry(pointer)
                    .or_default()
                    .push((env as u32, i as u32));
            }
        }
        let found: BTreeMap<&str, Vec<(u32, u32)>> = table
            .pointers
            .iter()
            .copied()
            .zip(table.holders.iter().cloned())
            .collect();
        assert_eq!(found, expected);
        assert_eq!(table.pointers.len(), expected.len());
        for (id, pointer) in table.pointers.iter().enumerate() {
            let parent = pointer
                .rsplit_once('/')
                .map(|(p, _)| table.pointers.iter().position(|q| *q == p).unwrap());
            assert_eq!(table.parent[id], parent, "{pointer}");
        }
    }

    #[test]
    fn a_value_only_a_render_knows_takes_any_type() {
        let prod = summary("prod", "db:\n  port: ${DB_PORT}\n");
        let findings = check(
            &rules(),
            vec![
                summary("dev", "db:\n  port: 5432\n"),
                summary("stage", "db:\n  port: 5433\n"),
                prod.clone().with_any_value_at(["/db/port".to_string()]),
            ],
            &|_| true,
        );
        assert_eq!(findings, []);
        let findings = check(
            &rules(),
            vec![
                summary("dev", "db:\n  port: 5432\n"),
                summary("stage", "db:\n  port: 5433\n"),
                prod,
            ],
            &|_| true,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].rule, "env-type-parity");
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
    fn a_stray_key_in_a_few_environments_is_reported_where_it_is() {
        let rules = RuleSet::new(
            &Config::parse("[repo]\nenvironments = [\"a\", \"b\", \"c\", \"d\", \"e\"]\n").unwrap(),
        );
        let mut all: Vec<Summary> = ["a", "b", "c", "d"]
            .iter()
            .map(|e| summary(e, "db:\n  host: x\n"))
            .collect();
        all.push(summary("e", "db:\n  host: x\n  debug:\n    level: 1\n"));
        let findings = check(&rules, all, &|_| true);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].file, "environments/e/db.yaml");
        assert_eq!(findings[0].pos, Pos::new(3, 3));
        assert_eq!(findings[0].path.as_deref(), Some("db.debug"));
        assert!(
            findings[0]
                .message
                .contains("set here but missing in a, b, c and 1 more"),
            "{}",
            findings[0].message
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
