//! `[[rule]]` in `cfgctl.toml`: CEL rules over each environment's rendered documents.
//!
//! `env` is the environment's rendered documents merged at their top level (`services.yaml`'s
//! `services:` is `env.services`), `envs` is every environment by name and `environment` is
//! the name. A rule that reads `env` or `environment` is evaluated once per environment (those
//! it lists); one that only reads `envs` is evaluated once. A rule that does not hold is a
//! finding at the first value it names (the file and line it was rendered from).

use crate::cel::{EvalError, Expression, Input};
use crate::config::{Config, CustomRule};
use crate::document::{KeyPath, Node, Pos, Segment, Value};
use crate::environment::render::{self, Request};
use crate::finding::Finding;
use crate::repo::{ContentId, Source};
use rayon::prelude::*;
use sha2::{Digest as _, Sha256};
use std::collections::{HashMap, HashSet};

/// Earlier evaluations, for a run over the whole repository. Each evaluation of a rule (in
/// one environment, or once over `envs`) is kept under the rule and the content of every file
/// of each environment it reads, so an environment whose files did not change is not rendered
/// again. The keeper adds what else a result depends on (`cfgctl.toml`, schemas, cfgctl).
pub trait Memo: Sync {
    /// The content id of a repository file (`None`: unknown, nothing is kept).
    fn content_id(&self, path: &str) -> Option<ContentId>;
    fn get(&self, key: &[&[u8]]) -> Option<Vec<Finding>>;
    fn put(&self, key: &[&[u8]], findings: &[Finding]);
}

/// The `[[rule]]`s of a run, compiled.
#[derive(Debug, Clone, Default)]
pub struct CustomRules {
    rules: Vec<(CustomRule, Expression)>,
    config: Config,
    /// The top-level keys of an environment some rule reads (`None`: all of them).
    wanted: Option<HashSet<String>>,
    /// What the rules can read of an environment below those keys (`None`: all of it).
    reads: Option<crate::cel::reads::Reads>,
}

/// One environment's rendered documents.
struct Rendered {
    documents: Vec<render::Document>,
    /// Whether a value only a render can know is in it (`${VAR}`, `${SECRET:…}`).
    open: bool,
}

/// One environment as the expressions read it: each top-level key of its documents that
/// some rule reads, converted once for all of its evaluations.
struct EnvInput<'a> {
    top: Vec<(String, Input<'a>)>,
}

/// Where one rule is evaluated in a run, and which environments it reads through `envs`.
struct Scope<'a> {
    /// `Some(env)` per environment a per-environment rule is evaluated in; one `None` for a
    /// rule evaluated once; empty when the run has nothing to report of it.
    targets: Vec<Option<&'a str>>,
    /// The environments named through `envs` (`None`: all of them).
    named: Option<std::collections::BTreeSet<&'a str>>,
    reads_envs: bool,
}

impl<'a> EnvInput<'a> {
    fn of(rendered: &'a Rendered) -> EnvInput<'a> {
        let mut top: Vec<(String, Input<'a>)> = Vec::new();
        for doc in &rendered.documents {
            if let Some(map) = doc.rendered.root.as_map() {
                for (key, entry) in map {
                    if !top.iter().any(|(k, _)| k == key) {
                        top.push((key.clone(), Input::from_node(&entry.value)));
                    }
                }
            }
        }
        EnvInput { top }
    }

    /// The environment as `env`: only the top-level keys an expression reads, when it names
    /// them (the cost bound counts the largest list or map it is given).
    fn narrowed(&self, expr: &Expression, variable: &str) -> Input<'_> {
        self.with_fields(expr.fields_of(variable).as_ref())
    }

    /// The environment with the given top-level keys (`None`: all of them).
    fn with_fields(&self, fields: Option<&std::collections::BTreeSet<&str>>) -> Input<'_> {
        Input::map(
            self.top
                .iter()
                .filter(|(k, _)| fields.is_none_or(|f| f.contains(k.as_str())))
                .map(|(k, v)| (k.clone(), v)),
        )
    }
}

impl CustomRules {
    /// The rules with their expressions, compiled when the settings were read (a rule made
    /// in code is compiled here; one that does not compile is left out).
    pub fn new(config: &Config) -> CustomRules {
        let rules: Vec<(CustomRule, Expression)> = config
            .custom_rules
            .iter()
            .filter_map(|rule| {
                let expr = match &rule.compiled {
                    Some(expr) => expr.clone(),
                    None => Expression::compile(&rule.expr, &CustomRule::VARIABLES).ok()?,
                };
                Some((rule.clone(), expr))
            })
            .collect();
        let wanted = top_level_keys_read(&rules);
        let reads = environment_reads(&rules);
        CustomRules {
            rules,
            config: config.clone(),
            wanted,
            reads,
        }
    }

    /// Whether the rules read a file of the repository: a layer file the environments render
    /// from (not a secret file, whose values reach a render through references).
    pub fn reads(&self, path: &str) -> bool {
        !self.rules.is_empty()
            && (path.starts_with("global/") || path.starts_with("environments/"))
            && !crate::document::secret_key::is_secret_file(path)
    }

    /// The part of a layer file's tree the rules read: its top-level keys that some rule
    /// names (an environment merges its documents at the top level), and below them only
    /// what an expression can see ([`crate::cel::reads::Reads::prune`]: the values no rule
    /// reads become placeholders, so that the renders, the conversions for CEL and the trees
    /// kept until every environment is read hold only what the rules see). `references`:
    /// whether a value of the file may hold `${` (its text has one, or an escape).
    pub fn what_it_reads(&self, root: Node, references: bool) -> Node {
        let mut kept = self.top_level_read(root);
        if let Some(reads) = &self.reads {
            reads.prune(&mut kept, references);
        }
        kept
    }

    fn top_level_read(&self, root: Node) -> Node {
        match (&self.wanted, root.value) {
            (Some(wanted), Value::Map(map)) => Node {
                value: Value::Map(
                    map.into_iter()
                        .filter(|(key, _)| wanted.contains(key.as_str()))
                        .collect(),
                ),
                ..root
            },
            (_, value) => Node { value, ..root },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Where each rule is evaluated in this run: a per-environment rule in the environments
    /// it applies to whose files the run reports on (`touched`; `None`: every environment),
    /// a rule over `envs` once when it names a touched environment (or names none). A finding
    /// is kept only when a value it points at comes from a reported file, and a rule's values
    /// come from the environments it reads, so the others cannot give a kept finding.
    fn scopes<'a>(&'a self, touched: Option<&HashSet<&str>>) -> Vec<Scope<'a>> {
        let is_touched = |e: &str| touched.is_none_or(|t| t.contains(e));
        let environments = &self.config.repo.environments;
        self.rules
            .iter()
            .map(|(rule, expr)| {
                let named = expr.fields_of("envs");
                let targets: Vec<Option<&str>> = if expr.uses("env") || expr.uses("environment") {
                    environments
                        .iter()
                        .filter(|e| rule.environments.as_ref().is_none_or(|l| l.contains(e)))
                        .filter(|e| is_touched(e))
                        .map(|e| Some(e.as_str()))
                        .collect()
                } else {
                    let relevant = match (&named, touched) {
                        (_, None) => true,
                        (Some(names), Some(_)) => names.iter().any(|n| is_touched(n)),
                        (None, Some(t)) => !t.is_empty(),
                    };
                    if relevant { vec![None] } else { Vec::new() }
                };
                let reads_envs = expr.uses("envs") && !targets.is_empty();
                Scope {
                    targets,
                    named,
                    reads_envs,
                }
            })
            .collect()
    }

    /// Evaluates every rule. `selected` says which files the run reports on: a finding is
    /// kept when one of the values its rule names comes from a selected file (or `cfgctl.toml`
    /// is selected).
    /// `parsed` holds [`CustomRules::what_it_reads`] of the layer files the caller has parsed
    /// already; the others are read from `source`. `memo` is used when every file is selected.
    pub fn check(
        &self,
        source: &dyn Source,
        listing: &[String],
        mut parsed: HashMap<String, Node>,
        selected: &(dyn Fn(&str) -> bool + Sync),
        memo: Option<&dyn Memo>,
    ) -> Vec<Finding> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let environments = &self.config.repo.environments;
        // Each environment renders from the shared layer and its own directory only: handing
        // every render the whole listing would make thousands of environments quadratic.
        let mut shared: Vec<String> = Vec::new();
        let mut own: HashMap<&str, Vec<String>> = HashMap::new();
        for path in listing {
            if let Some(rest) = path.strip_prefix("environments/") {
                if let Some((env, _)) = rest.split_once('/') {
                    own.entry(env).or_default().push(path.clone());
                }
            } else if path.starts_with("global/") {
                shared.push(path.clone());
            }
        }
        let settings_selected = selected(crate::config::FILE_NAME);
        // The environments the run reports on (`None`: all of them, when the settings or a
        // shared layer file is reported on).
        let touched: Option<HashSet<&str>> = {
            let mut touched = HashSet::new();
            let mut all = settings_selected;
            for path in listing.iter().filter(|p| selected(p)) {
                match path
                    .strip_prefix("environments/")
                    .and_then(|r| r.split_once('/'))
                {
                    Some((env, _)) => {
                        touched.insert(env);
                    }
                    None => all |= path.starts_with("global/"),
                }
            }
            (!all).then_some(touched)
        };
        let scopes = self.scopes(touched.as_ref());
        // Each evaluation's key, and what an earlier run found for it.
        let memo = memo.filter(|_| touched.is_none() && settings_selected);
        let digests = memo.and_then(|m| env_digests(m, environments, &shared, &own));
        let keys: Vec<Vec<Option<Vec<u8>>>> = scopes
            .iter()
            .enumerate()
            .map(|(i, scope)| {
                scope
                    .targets
                    .iter()
                    .map(|target| Some(evaluation_key(i, *target, scope, digests.as_ref()?)))
                    .collect()
            })
            .collect();
        let earlier: Vec<Vec<Option<Vec<Finding>>>> = keys
            .iter()
            .map(|keys| {
                keys.iter()
                    .map(|key| memo?.get(&[key.as_deref()?]))
                    .collect()
            })
            .collect();
        // The environments to render (`None`: every one): those of the evaluations to make.
        let needed: Option<HashSet<&str>> = (|| {
            let mut names = HashSet::new();
            for (scope, earlier) in scopes.iter().zip(&earlier) {
                let missing = || {
                    scope
                        .targets
                        .iter()
                        .zip(earlier)
                        .filter(|(_, e)| e.is_none())
                };
                names.extend(missing().filter_map(|(t, _)| *t));
                if (scope.reads_envs || scope.targets.contains(&None)) && missing().next().is_some()
                {
                    match &scope.named {
                        Some(named) => names.extend(named.iter().copied()),
                        None if scope.reads_envs => return None,
                        None => {}
                    }
                }
            }
            Some(names)
        })();
        // Every layer file is parsed once (the shared layer's are read by every environment),
        // and only what the rules read of it is merged and converted. An environment's own
        // trees are moved into its render, the shared ones copied.
        let limits = self.config.parse_limits();
        let read = |path: &str| -> Result<Node, String> {
            render::read_root(source, path, &limits)
                .map(|tree| self.what_it_reads(tree, true))
                .map_err(|err| format!("{err:#}"))
        };
        let shared_work: Vec<(&str, Option<Node>)> = shared
            .iter()
            .filter(|p| self.reads(p))
            .map(|p| (p.as_str(), parsed.remove(p.as_str())))
            .collect();
        let shared_trees: HashMap<&str, Result<Node, String>> = shared_work
            .into_par_iter()
            .map(|(p, tree)| (p, tree.map_or_else(|| read(p), Ok)))
            .collect();
        // Every render asks which names are environments: one index for all of them.
        let declared = crate::environment::Environments::of(&self.config);
        let work: Vec<(&String, HashMap<String, Node>)> = environments
            .iter()
            .filter(|env| needed.as_ref().is_none_or(|n| n.contains(env.as_str())))
            .map(|env| {
                let own_trees = own
                    .get(env.as_str())
                    .into_iter()
                    .flatten()
                    .filter_map(|p| parsed.remove_entry(p))
                    .collect();
                (env, own_trees)
            })
            .collect();
        // A rule evaluated in each environment on that environment's values alone (`env`,
        // `environment`, not `envs`) is evaluated as the environment renders, and the render
        // is dropped then: only the environments the other rules read are kept (a render of
        // every environment held at once was most of a run's memory).
        let local: Vec<bool> = self
            .rules
            .iter()
            .zip(&scopes)
            .map(|((_, expr), scope)| {
                !expr.uses("envs") && scope.targets.iter().all(Option::is_some)
            })
            .collect();
        // The environments the other rules read (`None`: every one).
        let kept: Option<HashSet<&str>> = {
            let mut kept = HashSet::new();
            let mut all = false;
            for (scope, _) in scopes.iter().zip(&local).filter(|(_, local)| !**local) {
                kept.extend(scope.targets.iter().flatten().copied());
                if scope.reads_envs {
                    match &scope.named {
                        Some(named) => kept.extend(named.iter().copied()),
                        None => all = true,
                    }
                }
            }
            (!all).then_some(kept)
        };
        // Per local rule, each environment's index among its targets.
        let target_of: Vec<HashMap<&str, usize>> = scopes
            .iter()
            .zip(&local)
            .map(|(scope, &local)| {
                let targets = scope.targets.iter().enumerate();
                match local {
                    true => targets.filter_map(|(t, env)| Some(((*env)?, t))).collect(),
                    false => HashMap::new(),
                }
            })
            .collect();
        let no_envs = Input::map(std::iter::empty());
        // An environment that does not render (a file that does not parse) is reported by the
        // per-file checks; its rules are not evaluated.
        type Found = Vec<(usize, usize, Vec<Finding>)>;
        let streamed: Vec<(Option<(&str, Rendered)>, Found)> = work
            .into_par_iter()
            .filter_map(|(env, own_trees)| {
                let own_trees = std::cell::RefCell::new(own_trees);
                let root = |path: &str| -> anyhow::Result<Node> {
                    if let Some(tree) = own_trees.borrow_mut().remove(path) {
                        return Ok(tree);
                    }
                    match shared_trees.get(path) {
                        Some(tree) => tree.clone().map_err(|err| anyhow::anyhow!(err)),
                        None => read(path).map_err(|err| anyhow::anyhow!(err)),
                    }
                };
                let request = Request {
                    env: env.clone(),
                    ..Request::default()
                };
                let mut files = shared.clone();
                files.extend(own.get(env.as_str()).into_iter().flatten().cloned());
                let documents = render::render_in(
                    source,
                    &files,
                    &|name| declared.contains(name),
                    &request,
                    &|_| None,
                    &root,
                )
                .ok()?;
                let rendered = Rendered {
                    open: documents
                        .iter()
                        .any(|d| !d.unresolved.is_empty() || !d.secrets.is_empty()),
                    documents,
                };
                let mut found = Vec::new();
                {
                    let input = EnvInput::of(&rendered);
                    let this = |name: &str| (name == env.as_str()).then_some(&rendered);
                    for (i, (rule, expr)) in self.rules.iter().enumerate() {
                        let Some(&t) = target_of[i].get(env.as_str()) else {
                            continue;
                        };
                        if earlier[i][t].is_some() {
                            continue;
                        }
                        let evaluated = remembered(
                            memo.zip(keys[i][t].as_deref()),
                            self.evaluate(
                                rule,
                                expr,
                                Some(env),
                                Some(&input),
                                &no_envs,
                                &this,
                                &|| rendered.open,
                                selected,
                                settings_selected,
                            ),
                        );
                        found.push((i, t, evaluated));
                    }
                }
                let keep = kept.as_ref().is_none_or(|k| k.contains(env.as_str()));
                Some((keep.then_some((env.as_str(), rendered)), found))
            })
            .collect();
        let mut rendered: HashMap<&str, Rendered> = HashMap::new();
        let mut local_found: HashMap<(usize, usize), Vec<Finding>> = HashMap::new();
        for (kept, found) in streamed {
            rendered.extend(kept);
            local_found.extend(found.into_iter().map(|(i, t, f)| ((i, t), f)));
        }
        let inputs: HashMap<&str, EnvInput<'_>> = rendered
            .par_iter()
            .map(|(name, r)| (*name, EnvInput::of(r)))
            .collect();
        // Each environment whole, for `envs`.
        let whole: HashMap<&str, Input<'_>> = inputs
            .iter()
            .map(|(name, input)| (*name, input.with_fields(None)))
            .collect();
        let all_envs = Input::map(whole.iter().map(|(name, w)| (name.to_string(), w)));
        let lookup = |name: &str| rendered.get(name);
        let mut findings = Vec::new();
        for (i, ((rule, expr), scope)) in self.rules.iter().zip(&scopes).enumerate() {
            if local[i] {
                for (t, earlier) in earlier[i].iter().enumerate() {
                    match (earlier, local_found.remove(&(i, t))) {
                        (Some(found), _) => findings.extend(found.iter().cloned()),
                        (None, Some(found)) => findings.extend(found),
                        (None, None) => {}
                    }
                }
                continue;
            }
            if scope.targets.is_empty() {
                continue;
            }
            // `envs` narrowed to the environments the rule names (`envs.production…`).
            let envs = match &scope.named {
                Some(names) => Input::map(
                    whole
                        .iter()
                        .filter(|(name, _)| names.contains(*name))
                        .map(|(name, w)| (name.to_string(), w)),
                ),
                None => all_envs.borrow(),
            };
            // Whether an environment the evaluation reads holds a value only a render knows.
            let open = |env: Option<&str>| {
                rendered.iter().any(|(name, r)| {
                    let named = scope.named.as_ref().is_none_or(|n| n.contains(name));
                    r.open && (env == Some(*name) || (expr.uses("envs") && named))
                })
            };
            // One evaluation per environment, thousands of them: on all cores, in order.
            let found: Vec<Vec<Finding>> = scope
                .targets
                .par_iter()
                .enumerate()
                .map(|(t, &env)| {
                    if let Some(found) = &earlier[i][t] {
                        return found.clone();
                    }
                    let current = match env {
                        Some(env) => match inputs.get(env) {
                            Some(input) => Some(input),
                            None => return Vec::new(),
                        },
                        None => None,
                    };
                    remembered(
                        memo.zip(keys[i][t].as_deref()),
                        self.evaluate(
                            rule,
                            expr,
                            env,
                            current,
                            &envs,
                            &lookup,
                            &|| open(env),
                            selected,
                            settings_selected,
                        ),
                    )
                })
                .collect();
            findings.extend(found.into_iter().flatten());
        }
        drop(all_envs);
        drop(whole);
        drop(inputs);
        // The kept renders (every environment, when a rule reads all of `envs`) take a
        // while to free: on all cores.
        rendered.into_par_iter().for_each(drop);
        findings
    }

    /// Evaluates one rule in one environment (`None`: once); returns its finding, if any.
    #[allow(clippy::too_many_arguments)]
    fn evaluate<'r>(
        &self,
        rule: &CustomRule,
        expr: &Expression,
        env: Option<&str>,
        current: Option<&EnvInput<'_>>,
        envs: &Input<'_>,
        rendered: &dyn Fn(&str) -> Option<&'r Rendered>,
        open: &dyn Fn() -> bool,
        selected: &(dyn Fn(&str) -> bool + Sync),
        settings_selected: bool,
    ) -> Option<Finding> {
        let name = env.map(Input::string);
        let mut variables = vec![("envs", envs)];
        let narrowed = current.map(|c| c.narrowed(expr, "env"));
        if let (Some(current), Some(name)) = (&narrowed, &name) {
            variables.push(("env", current));
            variables.push(("environment", name));
        }
        let problem = match expr.check(&variables) {
            Ok(true) => return None,
            Ok(false) => rule
                .message
                .clone()
                .unwrap_or_else(|| format!("rule `{}` does not hold: {}", rule.name, rule.expr)),
            // A value only a render can know (`${VAR}` without a default,
            // `${SECRET:…}`) stands in the tree as its reference text; a rule that
            // fails on it is not judged (as schemas do not judge such values).
            Err(EvalError::NoSuchKey(_) | EvalError::Other(_)) if open() => {
                return None;
            }
            Err(err) => format!("rule `{}` could not be evaluated: {err}", rule.name),
        };
        let message = match env {
            Some(env) => format!("{problem} (in {env})"),
            None => problem,
        };
        let places = self.places(expr, env, rendered);
        let keep = settings_selected || places.iter().any(|(file, _, _)| selected(file));
        if !keep {
            return None;
        }
        let (file, pos, path) = places
            .iter()
            .find(|(file, _, _)| selected(file))
            .or(places.first())
            .cloned()
            .unwrap_or_else(|| {
                (
                    crate::config::FILE_NAME.to_string(),
                    rule.pos.unwrap_or(Pos::new(1, 1)),
                    None,
                )
            });
        Some(Finding {
            file,
            pos,
            path,
            rule: format!("rule/{}", rule.name),
            severity: rule.severity,
            message,
            schema: None,
        })
    }

    /// Where the values an expression names were rendered from, in the order it names them.
    fn places<'r>(
        &self,
        expr: &Expression,
        env: Option<&str>,
        rendered: &dyn Fn(&str) -> Option<&'r Rendered>,
    ) -> Vec<(String, Pos, Option<String>)> {
        let mut out = Vec::new();
        for path in expr.paths() {
            let (env, keys) = match (path[0].as_str(), env) {
                ("env", Some(env)) => (env, &path[1..]),
                ("envs", _) if path.len() > 1 => (path[1].as_str(), &path[2..]),
                _ => continue,
            };
            let Some(r) = rendered(env) else { continue };
            let Some(first) = keys.first() else { continue };
            let Some(doc) = r
                .documents
                .iter()
                .find(|d| d.rendered.root.get(first).is_some())
            else {
                continue;
            };
            let (node, key_path) = descend(&doc.rendered.root, keys);
            if key_path.is_root() {
                continue;
            }
            if let Some(file) = doc.rendered.files.get(node.origin as usize) {
                out.push((file.clone(), node.pos, Some(key_path.to_string())));
            }
        }
        out
    }
}

/// An evaluation's finding as a list, kept in the memo under its key when there is one.
fn remembered(memo: Option<(&dyn Memo, &[u8])>, found: Option<Finding>) -> Vec<Finding> {
    let found: Vec<Finding> = found.into_iter().collect();
    if let Some((memo, key)) = memo {
        memo.put(&[key], &found);
    }
    found
}

/// A digest of each environment's files for the [`Memo`]: every file of the shared layer and
/// of its own directory, by path and content id. `None` when a content id is unknown.
fn env_digests(
    memo: &dyn Memo,
    environments: &[String],
    shared: &[String],
    own: &HashMap<&str, Vec<String>>,
) -> Option<HashMap<String, [u8; 32]>> {
    let mut common = Sha256::new();
    for path in shared {
        common.update(path.as_bytes());
        common.update([0]);
        common.update(memo.content_id(path)?.0);
    }
    environments
        .iter()
        .map(|env| {
            let mut h = common.clone();
            h.update(b"\0env\0");
            h.update(env.as_bytes());
            for path in own.get(env.as_str()).into_iter().flatten() {
                h.update([0]);
                h.update(path.as_bytes());
                h.update([0]);
                h.update(memo.content_id(path)?.0);
            }
            Some((env.clone(), h.finalize().into()))
        })
        .collect()
}

/// The key of one evaluation: the rule (by its place in `cfgctl.toml`, which the keeper's
/// settings cover), where it is evaluated, and the digest of every environment it reads.
fn evaluation_key(
    rule: usize,
    target: Option<&str>,
    scope: &Scope<'_>,
    digests: &HashMap<String, [u8; 32]>,
) -> Vec<u8> {
    let mut key = Vec::new();
    key.extend_from_slice(&(rule as u64).to_le_bytes());
    key.extend_from_slice(target.unwrap_or("").as_bytes());
    key.push(0);
    let mut read: Vec<(&String, &[u8; 32])> = match target {
        Some(env) => digests.get_key_value(env).into_iter().collect(),
        None => Vec::new(),
    };
    if scope.reads_envs || target.is_none() {
        read = digests
            .iter()
            .filter(|(name, _)| {
                scope
                    .named
                    .as_ref()
                    .is_none_or(|n| n.contains(name.as_str()))
            })
            .chain(read)
            .collect();
    }
    read.sort();
    read.dedup();
    for (name, digest) in read {
        key.extend_from_slice(name.as_bytes());
        key.push(0);
        key.extend_from_slice(digest);
    }
    key
}

/// Follows keys down a tree as far as they exist.
fn descend<'a>(root: &'a Node, keys: &[String]) -> (&'a Node, KeyPath) {
    let mut node = root;
    let mut path = KeyPath::root();
    for key in keys {
        let next = match &node.value {
            crate::document::Value::Map(map) => map.get(key).map(|e| &e.value),
            crate::document::Value::Seq(items) => {
                key.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            _ => None,
        };
        let Some(next) = next else { break };
        path.push(match node.value {
            crate::document::Value::Seq(_) => Segment::Index(key.parse().unwrap_or_default()),
            _ => Segment::Key(key.clone()),
        });
        node = next;
    }
    (node, path)
}

/// What the rules can read of an environment, through `env` or any `envs.NAME` (`None`: all
/// of it).
fn environment_reads(rules: &[(CustomRule, Expression)]) -> Option<crate::cel::reads::Reads> {
    let mut all = crate::cel::reads::Reads::default();
    for (_, expr) in rules {
        if let Some(env) = expr.reads_of("env") {
            all.merge(env);
        }
        if let Some(envs) = expr.reads_of("envs") {
            if envs.whole {
                return None;
            }
            for (_, one) in envs.fields {
                all.merge(one);
            }
            if let Some(any) = envs.any {
                all.merge(*any);
            }
        }
    }
    (!all.whole).then_some(all)
}

/// The top-level keys of an environment some rule reads (`None`: all of them). Converting an
/// environment for CEL costs its size; rules usually read a few of its parts.
fn top_level_keys_read(rules: &[(CustomRule, Expression)]) -> Option<HashSet<String>> {
    let mut keys = HashSet::new();
    for (_, expr) in rules {
        if expr.uses("env") {
            keys.extend(expr.fields_of("env")?.into_iter().map(str::to_string));
        }
        if expr.uses("envs") {
            for path in expr.paths_of("envs")? {
                keys.insert(path.get(1)?.clone());
            }
        }
    }
    Some(keys)
}
