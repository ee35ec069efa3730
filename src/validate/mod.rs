//! `validate`: every configuration file against its schemas and the built-in rules, in
//! parallel, plus the cross-environment comparisons.
//!
//! Files are read, parsed, checked and dropped one at a time on each core; only the small
//! per-file summaries that the cross-environment rules need are kept until the end.

pub mod cache;
mod mappings;

use crate::config::{Config, SchemaMapping};
use crate::document::{self, Format, KeyPath, Limits, Node, Value};
use crate::finding::Report;
use crate::finding::{Finding, Severity};
use crate::layers::{self, Layer, LayerFile};
use crate::repo::{ContentId, Source};
use crate::rules::{RuleSet, parity::Summary};
use crate::schema::{self, CompiledSchema, Reporting, SchemaStore};
use anyhow::{Context, Result, anyhow};
use globset::{Glob, GlobBuilder};
use mappings::Mappings;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// Which files a run reports on. Cross-environment context is read either way.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every configuration file.
    All,
    /// Just these repository paths (explicit PATHs, `--staged`, `--changed-since`).
    Only(BTreeSet<String>),
}

/// A `[[schema]]` entry, compiled.
struct Mapping {
    schema: Arc<LazySchema>,
    reporting: Reporting,
}

/// A mapped schema, compiled when it is first needed: a run whose files all come from the
/// cache compiles nothing. Settings that never compiled are compiled up front, so a broken
/// schema is still an error before anything is checked.
struct LazySchema {
    path: String,
    store: Option<Arc<SchemaStore>>,
    compiled: std::sync::OnceLock<std::result::Result<CompiledSchema, String>>,
}

impl LazySchema {
    fn get(&self) -> std::result::Result<&CompiledSchema, &str> {
        self.compiled
            .get_or_init(|| match &self.store {
                Some(store) => schema::compile(store, &self.path)
                    .with_context(|| format!("{}: [[schema]] entry", crate::config::FILE_NAME))
                    .map_err(|e| format!("{e:#}")),
                None => Err(format!("schema `{}` was not compiled", self.path)),
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Everything a run needs that does not change per file: compiled once, shared by all cores.
pub struct Checker {
    mappings: Mappings,
    rules: RuleSet,
    /// `[[rule]]`s over rendered environments.
    custom: crate::rules::custom::CustomRules,
    limits: Limits,
    /// The repository root, where attack packs find their release tags (none ad hoc).
    root: Option<std::path::PathBuf>,
    /// Today's date from the one clock, for flag expiry.
    today: (i32, u32, u32),
    /// The revision transition rules (`oldSelf`) compare with; only set when a schema has one.
    base: Option<Box<dyn Source>>,
    transition_rules: bool,
    /// What every cache key of this run starts from (settings and schemas).
    settings: cache::Settings,
    /// The result cache, when the run uses one ([`Checker::use_cache`]).
    cache: Option<cache::Cache>,
    /// What the `[[rule]]`s read of the layer files this run parsed, so that rendering the
    /// environments for them does not parse those files again.
    layer_trees: std::sync::Mutex<std::collections::HashMap<String, Node>>,
}

impl Checker {
    /// Loads every schema from the source and compiles each mapped schema once.
    pub fn new(
        config: &Config,
        source: &dyn Source,
        root: &str,
        listing: &[String],
    ) -> Result<Checker> {
        Checker::build(config, source, root, listing, None)
    }

    /// [`Checker::new`] for a [`run`] that takes what it can from `cache` and adds what it
    /// finds to it; the results are the same with or without (the [`cache`] module says what
    /// its keys cover). Schemas that compiled before with the same settings are compiled only
    /// when a file needs them.
    pub fn with_cache(
        config: &Config,
        source: &dyn Source,
        root: &str,
        listing: &[String],
        cache: cache::Cache,
    ) -> Result<Checker> {
        Checker::build(config, source, root, listing, Some(cache))
    }

    fn build(
        config: &Config,
        source: &dyn Source,
        root: &str,
        listing: &[String],
        cache: Option<cache::Cache>,
    ) -> Result<Checker> {
        let schema_files: Vec<(String, Vec<u8>)> = listing
            .iter()
            .filter(|p| p.starts_with(schema::SCHEMA_DIR) && Format::from_path(p).is_some())
            .map(|p| Ok((p.clone(), source.read(p)?)))
            .collect::<Result<_>>()?;
        // Keys are only made for the cache (digesting the settings and schemas is work).
        let settings = match cache {
            Some(_) => {
                let config_bytes = source.read(crate::config::FILE_NAME).unwrap_or_default();
                cache::Settings::new(root, &config_bytes, &schema_files)
            }
            None => cache::Settings::new("", &[], &[]),
        };
        let store = Arc::new(SchemaStore::new(root, schema_files)?);
        let transition_rules = store.has_transition_rules();
        let mut compiled: Vec<Arc<LazySchema>> = Vec::new();
        let mut mappings = Vec::new();
        for mapping in &config.schemas {
            let schema = match compiled.iter().find(|c| c.path == mapping.schema) {
                Some(schema) => Arc::clone(schema),
                None => {
                    let schema = Arc::new(LazySchema {
                        path: mapping.schema.clone(),
                        store: Some(Arc::clone(&store)),
                        compiled: std::sync::OnceLock::new(),
                    });
                    compiled.push(Arc::clone(&schema));
                    schema
                }
            };
            mappings.push((
                Mapping {
                    schema,
                    reporting: Reporting {
                        severity: mapping.severity,
                        partial: mapping.partial,
                    },
                },
                globs(&mapping.files, mapping)?,
                globs(&mapping.exclude, mapping)?,
            ));
        }
        let mappings = Mappings::new(mappings);
        let compiled_before = settings.other(b"compiled", &[]);
        let compiled_earlier = cache
            .as_ref()
            .is_some_and(|c| c.findings(&compiled_before).is_some());
        if !compiled_earlier {
            // Compiled on all cores; the first error in mapping order is the one reported.
            let results: Vec<Result<(), String>> = compiled
                .par_iter()
                .map(|schema| schema.get().map(|_| ()).map_err(|e| e.to_string()))
                .collect();
            if let Some(Err(e)) = results.into_iter().find(Result::is_err) {
                return Err(anyhow!("{e}"));
            }
            if let Some(cache) = &cache {
                cache.put_findings(compiled_before, &[]);
            }
        }
        Ok(Checker {
            mappings,
            rules: RuleSet::new(config),
            custom: crate::rules::custom::CustomRules::new(config),
            limits: config.parse_limits(),
            root: Some(std::path::PathBuf::from(root)),
            today: crate::flags::validate::today()?,
            base: None,
            transition_rules,
            settings,
            cache,
            layer_trees: Default::default(),
        })
    }

    /// Writes the cache back, if this checker has one and the run added to it.
    pub fn save_cache(&self) -> Result<()> {
        match &self.cache {
            Some(cache) => cache.save(),
            None => Ok(()),
        }
    }

    /// Whether a schema has a transition rule, so a base revision is worth reading.
    pub fn wants_base(&self) -> bool {
        self.transition_rules
    }

    /// Sets the revision transition rules compare with (`--changed-since REV`, `--staged`).
    /// The result cache is not used then: what a transition rule finds depends on the base,
    /// which the cache's keys do not hold.
    pub fn with_base(mut self, base: Box<dyn Source>) -> Checker {
        self.base = Some(base);
        if self.transition_rules {
            self.cache = None;
        }
        self
    }

    /// The roots of a file at the base revision, when transition rules need them.
    fn previous(&self, path: &str, format: Format) -> Vec<Node> {
        let Some(base) = self.base.as_ref().filter(|_| self.transition_rules) else {
            return Vec::new();
        };
        base.read(path)
            .ok()
            .and_then(|bytes| document::parse(&bytes, format, &self.limits).ok())
            .map_or_else(Vec::new, |doc| doc.roots)
    }

    /// An ad-hoc checker: one schema for every file, no rules (`validate --schema`).
    pub fn single_schema(schema: CompiledSchema) -> Result<Checker> {
        let every_file = Mapping {
            schema: Arc::new(LazySchema {
                path: schema.path.clone(),
                store: None,
                compiled: std::sync::OnceLock::from(Ok(schema)),
            }),
            reporting: Reporting {
                severity: Severity::Error,
                partial: false,
            },
        };
        let all = Glob::new("**").expect("static glob");
        Ok(Checker {
            mappings: Mappings::new(vec![(every_file, vec![all], Vec::new())]),
            custom: Default::default(),
            rules: RuleSet::new(&Config {
                rules: crate::rules::RuleId::ALL
                    .iter()
                    .map(|r| {
                        (
                            r.name().to_string(),
                            crate::config::RuleSetting::Level(crate::config::Level::Off),
                        )
                    })
                    .collect(),
                ..Config::default()
            }),
            // Files named on the command line are read whatever their size.
            limits: Limits {
                max_bytes: u64::MAX,
                ..Limits::default()
            },
            root: None,
            today: crate::flags::validate::today()?,
            base: None,
            transition_rules: false,
            settings: cache::Settings::new("", &[], &[]),
            cache: None,
            layer_trees: Default::default(),
        })
    }

    fn is_mapped(&self, path: &str) -> bool {
        self.mappings.any(path)
    }

    /// Returns whether a path is a configuration file this run checks.
    pub fn is_config_file(&self, path: &str) -> bool {
        if path.starts_with(schema::SCHEMA_DIR) || path == crate::config::FILE_NAME {
            return false;
        }
        if crate::flags::env_of(path).is_some() {
            return true;
        }
        layers::classify(path, |e| self.rules.env_index(e).is_some()).is_some()
            || self.is_mapped(path)
    }

    /// Checks one file's bytes: parse, schemas, per-file rules. Returns the findings and, for
    /// an environment file, its cross-environment summary.
    pub fn check_bytes(
        &self,
        path: &str,
        bytes: &[u8],
        report: bool,
    ) -> (Vec<Finding>, Option<Summary>) {
        let (findings, summary, _) = self.check_bytes_full(path, bytes, report);
        (findings, summary)
    }

    /// [`Checker::check_bytes`], and whether the findings are about the whole file (it cannot
    /// be read as configuration): those are reported even when `report` is false.
    fn check_bytes_full(
        &self,
        path: &str,
        bytes: &[u8],
        report: bool,
    ) -> (Vec<Finding>, Option<Summary>, bool) {
        // Flag files have their own schemas and rules (flagd format).
        if crate::flags::env_of(path).is_some() {
            let findings = if report {
                crate::flags::validate::check(path, bytes, self.today)
            } else {
                Vec::new()
            };
            return (findings, None, false);
        }
        let Some(format) = Format::from_path(path) else {
            let finding = file_finding(path, None, "not a .yaml, .yml, .json or .toml file".into());
            return (vec![finding], None, true);
        };
        // A secret file's parse error gives the position, never the text found there.
        let parse = if crate::document::secret_key::is_secret_file(path) {
            document::parse_secret
        } else {
            document::parse
        };
        let mut doc = match parse(bytes, format, &self.limits) {
            Ok(doc) => doc,
            Err(err) => return (vec![file_finding(path, err.pos, err.message)], None, true),
        };
        // An encrypted file is checked for its structure: the `sops` metadata is set aside
        // and values that are `ENC[...]` are not held to their schema's value rules.
        let mut secret = SecretStructure::default();
        for root in &mut doc.roots {
            secret.set_aside(path, root);
        }
        let layer = layers::classify(path, |e| self.rules.env_index(e).is_some());
        // Schemas and type parity judge a layer document as `render` makes it; secret files
        // are not layers render substitutes.
        let dollar_brace = memchr::memmem::find(bytes, b"${").is_some();
        let rendered =
            (layer.is_some() && !crate::document::secret_key::is_secret_file(path) && dollar_brace)
                .then(|| Rendered::of(&doc.roots));
        // Whether a value may hold `${`: written so, or through an escape (`\x24{`).
        let references = dollar_brace || memchr::memchr(b'\\', bytes).is_some();
        let summary = match (&layer, doc.roots.first()) {
            (
                Some(LayerFile {
                    layer: Layer::Environment,
                    env: Some(env),
                    document,
                }),
                Some(root),
            ) => Some(match &rendered {
                Some(r) => Summary::new(path, env, document, &r.roots[0])
                    .with_any_value_at(r.open[0].iter().map(KeyPath::to_pointer)),
                None => Summary::new(path, env, document, root),
            }),
            _ => None,
        };
        if !report {
            self.keep_for_rules(path, doc.roots, references);
            return (Vec::new(), summary, false);
        }
        let mut findings = std::mem::take(&mut secret.findings);
        let previous = self.previous(path, format);
        for (i, root) in doc.roots.iter().enumerate() {
            let mut found = Vec::new();
            let as_rendered = rendered.as_ref().map_or(root, |r| &r.roots[i]);
            self.check_root(
                path,
                layer.as_ref(),
                root,
                as_rendered,
                previous.get(i),
                &mut found,
            );
            findings.extend(
                found.into_iter().filter(|f| {
                    !secret.hides(f) && !rendered.as_ref().is_some_and(|r| r.hides(i, f))
                }),
            );
        }
        self.keep_for_rules(path, doc.roots, references);
        (findings, summary, false)
    }

    /// Keeps what the `[[rule]]`s read of a layer file this run has parsed.
    /// `references`: whether a value of the file may hold `${` (its text has one, or an
    /// escape).
    fn keep_for_rules(&self, path: &str, roots: Vec<Node>, references: bool) {
        if let Some(root) = roots.into_iter().next()
            && self.custom.reads(path)
        {
            let kept = self.custom.what_it_reads(root, references);
            self.layer_trees
                .lock()
                .expect("no panic while holding the lock")
                .insert(path.to_string(), kept);
        }
    }

    /// Checks one file of a source, through the cache when there is one: a file whose key
    /// (settings, path, content id) is in the cache is not read at all when the source knows
    /// its content id.
    fn check_file(&self, source: &dyn Source, path: &str, report: bool) -> Checked {
        let read_error = |err: anyhow::Error| Checked {
            findings: vec![file_finding(path, None, format!("{err:#}"))],
            summary: SummaryAt::Here(None),
            id: None,
            cached: false,
            unreadable: true,
        };
        let Some(cache) = &self.cache else {
            return match source.read(path) {
                Ok(bytes) => {
                    let (findings, summary, whole_file) =
                        self.check_bytes_full(path, &bytes, report);
                    Checked {
                        findings,
                        summary: SummaryAt::Here(summary),
                        id: None,
                        cached: false,
                        unreadable: whole_file,
                    }
                }
                Err(err) => read_error(err),
            };
        };
        let today = crate::flags::env_of(path).is_some().then_some(self.today);
        let mut bytes = None;
        let id = match source.known_id(path) {
            Some(id) => id,
            None => match source.read(path) {
                Ok(read) => {
                    let id = ContentId::of_bytes(&read);
                    bytes = Some(read);
                    id
                }
                Err(err) => return read_error(err),
            },
        };
        let key = self.settings.file(path, &id, today);
        if let Some(entry) = cache.file(&key) {
            // A file read for comparisons only: nothing to report unless it is unreadable.
            let findings = if report || entry.whole_file() {
                entry.findings()
            } else {
                Some(Vec::new())
            };
            if let Some(findings) = findings {
                return Checked {
                    findings,
                    summary: SummaryAt::Cached(key),
                    id: Some(id),
                    cached: true,
                    unreadable: entry.whole_file(),
                };
            }
        }
        let (bytes, id) = match bytes {
            Some(bytes) => (bytes, id),
            // The id came from stat data; the file may have changed since. What is stored is
            // keyed by the bytes that were checked.
            None => match source.read(path) {
                Ok(read) => {
                    let id = ContentId::of_bytes(&read);
                    (read, id)
                }
                Err(err) => return read_error(err),
            },
        };
        let (findings, summary, whole_file) = self.check_bytes_full(path, &bytes, report);
        cache.put_file(
            self.settings.file(path, &id, today),
            (report || whole_file).then_some(findings.as_slice()),
            summary.as_ref(),
            whole_file,
        );
        Checked {
            findings,
            summary: SummaryAt::Here(summary),
            id: Some(id),
            cached: false,
            unreadable: whole_file,
        }
    }

    /// The cross-environment findings (all of them; the caller keeps the selected ones), per
    /// document through the cache: a document whose environment files are all unchanged is
    /// not compared again, and summaries are decoded only for documents that are.
    fn parity(&self, source: &dyn Source, checked: &mut [(String, Checked)]) -> Vec<Finding> {
        let Some(cache) = &self.cache else {
            let summaries = checked
                .iter_mut()
                .filter_map(|(path, c)| {
                    if c.unreadable {
                        return self.unreadable_summary(path);
                    }
                    match std::mem::replace(&mut c.summary, SummaryAt::Here(None)) {
                        SummaryAt::Here(summary) => summary,
                        SummaryAt::Cached(_) => None,
                    }
                })
                .collect();
            return crate::rules::parity::check(&self.rules, summaries, &|_| true);
        };
        // Files of environments that are not listed only yield `unknown-environment`.
        let mut unknown = Vec::new();
        let mut documents: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (i, (path, _)) in checked.iter().enumerate() {
            let layer = layers::classify(path, |e| self.rules.env_index(e).is_some());
            if let Some(LayerFile {
                layer: Layer::Environment,
                env: Some(env),
                document,
            }) = layer
            {
                if self.rules.env_index(&env).is_some() {
                    documents.entry(document).or_default().push(i);
                } else {
                    unknown.push(i);
                }
            }
        }
        let checked = &*checked;
        let summary_of = |i: usize| -> Option<Summary> {
            let (path, c) = &checked[i];
            if c.unreadable {
                return self.unreadable_summary(path);
            }
            match &c.summary {
                SummaryAt::Here(summary) => summary.clone(),
                SummaryAt::Cached(key) => cache
                    .file(key)
                    .and_then(|entry| entry.summary(path))
                    .unwrap_or_else(|| {
                        // Undecodable (it passed the checksum, so never expected): recompute.
                        source
                            .read(path)
                            .ok()
                            .and_then(|bytes| self.check_bytes(path, &bytes, false).1)
                    }),
            }
        };
        let mut out = crate::rules::parity::check(
            &self.rules,
            unknown.into_iter().filter_map(summary_of).collect(),
            &|_| true,
        );
        let per_document: Vec<Vec<Finding>> = documents
            .into_par_iter()
            .map(|(document, members)| {
                let mut sorted: Vec<(&str, Option<&ContentId>)> = members
                    .iter()
                    .map(|&i| (checked[i].0.as_str(), checked[i].1.id.as_ref()))
                    .collect();
                sorted.sort_by(|a, b| a.0.cmp(b.0));
                let key = sorted
                    .iter()
                    .map(|(p, id)| id.map(|id| (*p, id)))
                    .collect::<Option<Vec<_>>>()
                    .map(|ids| self.settings.parity(&document, ids.into_iter()));
                if let Some(found) = key.as_ref().and_then(|k| cache.findings(k)) {
                    return found;
                }
                let summaries = members.iter().filter_map(|&i| summary_of(i)).collect();
                let found = crate::rules::parity::check(&self.rules, summaries, &|_| true);
                if let Some(key) = key {
                    cache.put_findings(key, &found);
                }
                found
            })
            .collect();
        out.extend(per_document.into_iter().flatten());
        out
    }

    /// For an environment's file that cannot be read as configuration: a summary that says
    /// the environment has the document, without keys. Its parse error is the finding; the
    /// document is not also "missing" from the environment.
    fn unreadable_summary(&self, path: &str) -> Option<Summary> {
        match layers::classify(path, |e| self.rules.env_index(e).is_some())? {
            LayerFile {
                layer: Layer::Environment,
                env: Some(env),
                document,
            } => Some(Summary::unreadable(path, &env, &document)),
            _ => None,
        }
    }

    /// Checks a rendered document against the (complete-document) schemas mapped to the path
    /// it stands for; findings name the layer file each offending value came from.
    pub fn check_rendered(&self, as_path: &str, root: &Node, origins: &[String]) -> Vec<Finding> {
        self.mappings
            .matching(as_path)
            .into_iter()
            .filter(|m| !m.reporting.partial)
            .flat_map(|m| match m.schema.get() {
                Ok(schema) => schema.check_layered(as_path, origins, root, m.reporting),
                Err(message) => vec![file_finding(as_path, None, message.to_string())],
            })
            .collect()
    }

    /// Checks one document root: the schemas against `as_rendered` (what render makes of it),
    /// the per-file rules against `root` (what is written).
    fn check_root(
        &self,
        path: &str,
        layer: Option<&LayerFile>,
        root: &Node,
        as_rendered: &Node,
        previous: Option<&Node>,
        findings: &mut Vec<Finding>,
    ) {
        for mapping in self.mappings.matching(path) {
            match mapping.schema.get() {
                Ok(schema) => findings.extend(schema.check_with_previous(
                    path,
                    &[],
                    as_rendered,
                    previous,
                    mapping.reporting,
                )),
                // Only if a schema that compiled with these settings before no longer does.
                Err(message) => findings.push(file_finding(path, None, message.to_string())),
            }
        }
        findings.extend(self.rules.check_file(path, layer, root));
    }
}

/// The cache as the `[[rule]]` evaluations' memo: keys cover the settings (and so the rules
/// themselves, the schemas and cfgctl's version) besides what the rules add.
struct RuleMemo<'a> {
    cache: &'a cache::Cache,
    settings: &'a cache::Settings,
    source: &'a dyn Source,
    /// Content ids of the files this run checked.
    ids: std::collections::HashMap<String, ContentId>,
    /// Evaluations looked up, and found.
    asked: std::sync::atomic::AtomicUsize,
    found: std::sync::atomic::AtomicUsize,
}

impl crate::rules::custom::Memo for RuleMemo<'_> {
    fn content_id(&self, path: &str) -> Option<ContentId> {
        if let Some(id) = self.ids.get(path) {
            return Some(*id);
        }
        // A file the run did not check (a README in an environment's directory).
        self.source
            .known_id(path)
            .or_else(|| Some(ContentId::of_bytes(&self.source.read(path).ok()?)))
    }

    fn get(&self, key: &[&[u8]]) -> Option<Vec<Finding>> {
        use std::sync::atomic::Ordering::Relaxed;
        self.asked.fetch_add(1, Relaxed);
        let found = self.cache.findings(&self.settings.other(b"rule", key))?;
        self.found.fetch_add(1, Relaxed);
        Some(found)
    }

    fn put(&self, key: &[&[u8]], findings: &[Finding]) {
        self.cache
            .put_findings(self.settings.other(b"rule", key), findings);
    }
}

/// One file's outcome in a run.
struct Checked {
    findings: Vec<Finding>,
    summary: SummaryAt,
    /// Its content id (with a cache only).
    id: Option<ContentId>,
    /// Whether the findings came from the cache.
    cached: bool,
    /// Whether it could not be read as configuration (its findings are about the whole file).
    unreadable: bool,
}

/// Where a file's cross-environment summary is: decoded only when a comparison needs it.
enum SummaryAt {
    Here(Option<Summary>),
    Cached(cache::Key),
}

/// A layer document's roots as `render` makes them without any variable set: a
/// `${VAR:default}` holds its default, typed as render types it (`port: ${PORT:5432}` is the
/// integer 5432), and a value only a render can know (`${VAR}` with no default, a
/// `${SECRET:…}`) stands for any value of the type its schema expects.
struct Rendered {
    roots: Vec<Node>,
    /// Per root: where the values only a render can know are.
    open: Vec<Vec<document::KeyPath>>,
}

impl Rendered {
    fn of(roots: &[Node]) -> Rendered {
        let mut rendered = Rendered {
            roots: roots.to_vec(),
            open: Vec::with_capacity(roots.len()),
        };
        for root in &mut rendered.roots {
            let found = layers::substitute(root, &|_| None);
            let open = found.unresolved.into_iter().map(|u| u.path);
            rendered.open.push(
                open.chain(found.secrets.into_iter().map(|s| s.path))
                    .collect(),
            );
        }
        rendered
    }

    /// Schema findings about a value only a render can know are not findings.
    fn hides(&self, root: usize, finding: &Finding) -> bool {
        finding.rule.starts_with("schema/")
            && finding
                .path
                .as_ref()
                .is_some_and(|p| self.open[root].iter().any(|open| open.to_string() == *p))
    }
}

/// What validation sets aside in a SOPS-encrypted document.
#[derive(Default)]
struct SecretStructure {
    /// Printed key paths of `ENC[...]` values.
    encrypted: std::collections::HashSet<String>,
    findings: Vec<Finding>,
}

impl SecretStructure {
    fn set_aside(&mut self, path: &str, root: &mut Node) {
        let Value::Map(map) = &mut root.value else {
            return;
        };
        let Some(entry) = map.get("sops") else {
            return;
        };
        if entry.value.get("mac").is_none_or(|m| m.as_str().is_none()) {
            return;
        }
        if let Err(e) = crate::secrets::metadata::Metadata::from_node(&entry.value) {
            self.findings.push(Finding {
                file: path.to_string(),
                pos: entry.key_pos,
                path: Some("sops".into()),
                rule: "secrets/malformed".into(),
                severity: Severity::Error,
                message: format!("malformed sops metadata: {e:#}"),
                schema: None,
            });
        }
        map.shift_remove("sops");
        let encrypted = &mut self.encrypted;
        root.walk_refs(&mut |at, node| {
            if node
                .as_str()
                .is_some_and(crate::secrets::cipher::is_encrypted)
            {
                encrypted.insert(document::KeyPath::from(at).to_string());
            }
        });
    }

    /// Schema findings about an encrypted value's content cannot be judged without the key.
    fn hides(&self, finding: &Finding) -> bool {
        finding.rule.starts_with("schema/")
            && finding
                .path
                .as_ref()
                .is_some_and(|p| self.encrypted.contains(p))
    }
}

fn file_finding(path: &str, pos: Option<document::Pos>, message: String) -> Finding {
    Finding {
        file: path.to_string(),
        pos: pos.unwrap_or(document::Pos::new(1, 1)),
        path: None,
        rule: "parse".into(),
        severity: Severity::Error,
        message,
        schema: None,
    }
}

fn globs(patterns: &[String], mapping: &SchemaMapping) -> Result<Vec<Glob>> {
    let mut out = Vec::with_capacity(patterns.len());
    for pattern in patterns {
        // `*` stays within one directory; `**` crosses directories (like .gitignore).
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|err| {
                anyhow!(
                    "{}: bad glob `{pattern}` for `{}`: {err}",
                    crate::config::FILE_NAME,
                    mapping.schema
                )
            })?;
        out.push(glob);
    }
    Ok(out)
}

/// The attack packs' findings ([`crate::packs::validate`]), through the cache when there is
/// one: a pack whose files, symbolic links, release tags and previous release are unchanged,
/// and whose `created` date is on the same side of now, is not checked again (none of its
/// regexes is compiled).
pub fn pack_findings(
    cache: Option<&cache::Cache>,
    source: &dyn Source,
    listing: &[String],
    root: &std::path::Path,
    worktree: bool,
    only: Option<&[String]>,
    now: i64,
) -> Result<Vec<(crate::packs::Pack, Vec<Finding>)>> {
    use crate::packs::{Pack, checks};
    let settings = cache::Settings::new(&root.to_string_lossy(), b"", &[]);
    let key = |pack: &Pack, ctx: &checks::Context<'_>| {
        let mut parts: Vec<Vec<u8>> = vec![pack.id.clone().into_bytes()];
        let files = |parts: &mut Vec<Vec<u8>>, pack: &Pack| {
            parts.push(pack.files.len().to_le_bytes().to_vec());
            for (rel, bytes) in &pack.files {
                parts.push(rel.clone().into_bytes());
                parts.push(bytes.clone());
            }
            parts.push(pack.symlinks.len().to_le_bytes().to_vec());
            parts.extend(pack.symlinks.iter().map(|l| l.clone().into_bytes()));
        };
        files(&mut parts, pack);
        for released in ctx.released {
            parts.push(released.version.to_string().into_bytes());
            parts.push(released.digest.clone().unwrap_or_default().into_bytes());
        }
        if let Some((version, previous)) = ctx.previous {
            parts.push(version.to_string().into_bytes());
            files(&mut parts, previous);
        }
        // M8 compares `created` with now; only which side of now it is on matters.
        let future = pack
            .files
            .get(crate::packs::MANIFEST)
            .and_then(|bytes| {
                let limits = Limits {
                    max_bytes: u64::MAX,
                    ..Limits::default()
                };
                let doc = document::parse(bytes, Format::Yaml, &limits).ok()?;
                let text = doc.roots.first()?.get("created")?.as_str()?.to_string();
                checks::created_seconds(&text)
            })
            .map(|created| created > ctx.now);
        parts.push(vec![match future {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        }]);
        parts.push(vec![u8::from(ctx.released_tree)]);
        parts.push(ctx.cfgctl_version.as_bytes().to_vec());
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        settings.other(b"pack", &parts)
    };
    crate::packs::validate_with(
        source,
        listing,
        Some(root),
        worktree,
        only,
        now,
        &|pack, ctx| {
            let Some(cache) = cache else {
                return checks::check(pack, ctx).findings;
            };
            let key = key(pack, ctx);
            if let Some(findings) = cache.findings(&key) {
                return findings;
            }
            let findings = checks::check(pack, ctx).findings;
            cache.put_findings(key, &findings);
            findings
        },
    )
}

/// How long the phases of a run took (shown with `-v`).
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub files: std::time::Duration,
    pub environments: std::time::Duration,
    /// Files read or taken from the cache (selected ones and their comparison context).
    pub considered: usize,
    /// Files whose results came from the cache.
    pub cached: usize,
    /// `[[rule]]` evaluations looked up in the cache, and found there.
    pub rule_evaluations: usize,
    pub rules_cached: usize,
}

/// The error findings of validating everything in `source` with the repository's settings:
/// what a write checks its result with before it lands.
pub fn errors(
    config: &Config,
    source: &dyn Source,
    root: &std::path::Path,
) -> Result<Vec<Finding>> {
    let listing = source.list()?;
    let root_str = root
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("repository path is not valid UTF-8"))?;
    let checker = Checker::new(config, source, root_str, &listing.paths)?;
    let (report, _) = run(&checker, source, listing, &Selection::All, &|| {})?;
    Ok(report
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect())
}

/// Runs a validation over a source and returns the report. `tick` is called once per file
/// read (for a progress bar).
pub fn run(
    checker: &Checker,
    source: &dyn Source,
    listing: crate::repo::Listing,
    selection: &Selection,
    tick: &(dyn Fn() + Sync),
) -> Result<(Report, Timings)> {
    let started = std::time::Instant::now();
    let pack_paths: Vec<String> = listing
        .paths
        .iter()
        .filter(|p| crate::packs::is_pack_file(p))
        .cloned()
        .collect();
    let all_paths = listing.paths;
    // Sorting out thousands of paths is work too: on all cores (the order is kept).
    let config_files: Vec<String> = all_paths
        .par_iter()
        .filter(|p| checker.is_config_file(p))
        .cloned()
        .collect();
    let selected = |path: &str| match selection {
        Selection::All => true,
        Selection::Only(paths) => paths.contains(path),
    };
    // Cross-environment rules need the same document in every environment, selected or not.
    let context_documents: HashSet<String> = config_files
        .par_iter()
        .filter(|p| selected(p))
        .filter_map(|p| layers::classify(p, |e| checker.rules.env_index(e).is_some()))
        .filter(|l| l.layer == Layer::Environment)
        .map(|l| l.document)
        .collect();
    let mut to_read: Vec<(String, bool)> = config_files
        .par_iter()
        .filter_map(|p| {
            if selected(p) {
                return Some((p.clone(), true));
            }
            let layer = layers::classify(p, |e| checker.rules.env_index(e).is_some())?;
            (layer.layer == Layer::Environment && context_documents.contains(&layer.document))
                .then(|| (p.clone(), false))
        })
        .collect();
    // Explicitly named files are checked even when they sit outside the layers.
    if let Selection::Only(paths) = selection {
        let known: HashSet<&String> = config_files.iter().collect();
        to_read.extend(
            paths
                .iter()
                .filter(|p| !known.contains(p) && !crate::packs::is_pack_file(p))
                .map(|p| (p.clone(), true)),
        );
    }
    // Attack packs (PACKS.md): every check that applies to the files, per selected pack.
    // They need nothing the files' checks find: they run beside them, so that compiling the
    // packs' regexes does not wait for the last file.
    let now = crate::clock::now()?;
    let packs = || match &checker.root {
        Some(root) => {
            let only: Option<Vec<String>> = match selection {
                Selection::All => None,
                Selection::Only(paths) => Some(crate::packs::pack_ids(
                    &paths.iter().cloned().collect::<Vec<_>>(),
                )),
            };
            // Symbolic links (check F3) can only be seen in the working tree.
            let worktree = source.describe() == "working tree";
            pack_findings(
                checker.cache.as_ref(),
                source,
                &pack_paths,
                root,
                worktree,
                only.as_deref(),
                now,
            )
        }
        None => Ok(Vec::new()),
    };
    // .sops.yaml and the secret files, checked like cfgctl.toml (not ad hoc: no repository);
    // they too need nothing the files' checks find.
    let sops = || match checker.root {
        Some(_) => {
            crate::rules::sops::check(&checker.rules, source, &all_paths, &|file| selected(file))
        }
        None => Vec::new(),
    };
    let (mut results, (packs, sops)): (Vec<(String, Checked)>, _) = rayon::join(
        || {
            to_read
                .par_iter()
                .map(|(path, report)| {
                    let checked = checker.check_file(source, path, *report);
                    tick();
                    (path.clone(), checked)
                })
                .collect()
        },
        || rayon::join(packs, sops),
    );
    let mut findings = Vec::new();
    let considered = results.len();
    let mut cached = 0;
    for (_, checked) in &mut results {
        findings.append(&mut checked.findings);
        cached += usize::from(checked.cached);
    }
    for (path, problem) in listing.problems {
        if selected(&path) {
            findings.push(file_finding(&path, None, problem));
        }
    }
    let files_done = std::time::Instant::now();
    findings.extend(
        checker
            .parity(source, &mut results)
            .into_iter()
            .filter(|f| selected(&f.file)),
    );
    // The content ids the `[[rule]]` evaluations are kept by, in a run over every file.
    let rule_memo = match (&checker.cache, selection) {
        (Some(cache), Selection::All) if !checker.custom.is_empty() => Some(RuleMemo {
            cache,
            settings: &checker.settings,
            source,
            ids: results
                .iter()
                .filter_map(|(path, checked)| Some((path.clone(), checked.id?)))
                .collect(),
            asked: Default::default(),
            found: Default::default(),
        }),
        _ => None,
    };
    drop(results);
    if checker.root.is_some() {
        let layer_trees = std::mem::take(
            &mut *checker
                .layer_trees
                .lock()
                .expect("no panic while holding the lock"),
        );
        findings.extend(
            checker.custom.check(
                source,
                &all_paths,
                layer_trees,
                &|file| selected(file),
                rule_memo
                    .as_ref()
                    .map(|m| m as &dyn crate::rules::custom::Memo),
            ),
        );
    }
    let mut files: Vec<String> = to_read
        .into_iter()
        .filter(|(_, report)| *report)
        .map(|(p, _)| p)
        .collect();
    // .sops.yaml and the secret files: their findings, and .sops.yaml among the files checked.
    if checker.root.is_some() {
        findings.extend(sops.into_iter().filter(|f| selected(&f.file)));
        if selected(crate::rules::sops::CONFIG_FILE)
            && all_paths
                .iter()
                .any(|p| p == crate::rules::sops::CONFIG_FILE)
        {
            files.push(crate::rules::sops::CONFIG_FILE.to_string());
        }
    }
    for (pack, found) in packs? {
        files.extend(pack.files.keys().map(|rel| pack.path(rel)));
        findings.extend(found);
    }
    Finding::sort(&mut findings);
    let timings = Timings {
        files: files_done - started,
        environments: files_done.elapsed(),
        considered,
        cached,
        rule_evaluations: rule_memo
            .as_ref()
            .map_or(0, |m| m.asked.load(std::sync::atomic::Ordering::Relaxed)),
        rules_cached: rule_memo
            .as_ref()
            .map_or(0, |m| m.found.load(std::sync::atomic::Ordering::Relaxed)),
    };
    Ok((
        Report {
            command: "validate",
            source: source.describe(),
            files,
            findings,
        },
        timings,
    ))
}
