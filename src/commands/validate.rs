//! `cfgctl validate [PATH…]`

use super::Context;
use crate::config;
use crate::error::{CliError, ExitStatus};
use crate::output::findings::Report;
use crate::repo::{self, GitSource, Source, WorkTree};
use crate::schema;
use crate::validate::{self, Checker, Selection};
use anyhow::{Context as _, Result, anyhow};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to check (default: the whole repository)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Check what is staged in the Git index, not the working tree (for pre-commit hooks)
    #[arg(long, conflicts_with = "changed_since")]
    pub staged: bool,

    /// Check only files changed since REV (plus what cross-environment rules compare them with)
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,

    /// Check the files of a revision instead of the working tree (for pre-push hooks); with
    /// --changed-since, only what changed between the two
    #[arg(long, value_name = "REV", conflicts_with = "staged")]
    pub at: Option<String>,

    /// Check PATHs against this one schema, without a cfgctl.toml
    #[arg(long, value_name = "FILE", conflicts_with_all = ["staged", "changed_since", "at"])]
    pub schema: Option<PathBuf>,

    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,

    /// Check every file again instead of taking unchanged files' results from the cache in
    /// .git/cfgctl/cache (the results are the same either way)
    #[arg(long)]
    pub no_cache: bool,

    /// Say how long listing, compiling schemas, checking files and comparing environments took
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    // clap sees the conflict only when -q comes after the subcommand.
    if args.verbose && ctx.output.quiet {
        return Err(CliError::new(anyhow!("--verbose cannot be used with --quiet")).into());
    }
    let report = match &args.schema {
        Some(schema) => ad_hoc(args, schema, ctx)?,
        None => in_repository(args, ctx)?,
    };
    super::finish_report(&report, ctx, args.deny_warnings)
}

fn in_repository(args: &Args, ctx: &Context) -> Result<Report> {
    let started = Instant::now();
    let root = repo::find_root(&ctx.cwd)?;
    let root_str = root
        .to_str()
        .ok_or_else(|| anyhow!("repository path is not valid UTF-8"))?;
    // The index source is kept by its type too: the staged changes are read from it.
    let index = args.staged.then(|| GitSource::index(&root)).transpose()?;
    let other: Box<dyn Source>;
    let source: &dyn Source = match &index {
        Some(index) => index,
        None => {
            other = match &args.at {
                Some(rev) => Box::new(GitSource::revision(&root, rev)?),
                None => Box::new(WorkTree::new(&root)),
            };
            other.as_ref()
        }
    };
    let presence = if args.staged || args.at.is_some() {
        config::Presence::Optional
    } else {
        config::Presence::Required
    };
    // The settings are read while the files are listed: neither needs the other, and both
    // come before everything else.
    let (config, listing) = rayon::join(|| config::read(source, presence), || source.list());
    let config = match config {
        Ok(config) => config,
        // A mistake in cfgctl.toml is a finding like any other (CI shows it as an annotation
        // on the line); nothing else can be checked without the settings.
        Err(err) => match err.downcast_ref::<config::Error>() {
            Some(problem) => {
                return Ok(Report {
                    command: "validate",
                    source: source.describe(),
                    files: vec![config::FILE_NAME.to_string()],
                    findings: vec![problem.finding()],
                });
            }
            None => return Err(err),
        },
    };
    let listing = listing?;
    let listed = Instant::now();
    // No Git directory (a plain directory with a cfgctl.toml): no cache.
    let cache = (!args.no_cache)
        .then(|| match &index {
            // The index source's repository handle: opening another would read the index
            // again when `GIT_INDEX_FILE` names it (libgit2 reads it on opening).
            Some(index) => Some(index.cache_dir()),
            None => repo::cache_dir(&root).ok(),
        })
        .flatten()
        .map(|dir| validate::cache::Cache::open(&dir));
    let mut checker = match cache {
        Some(cache) => Checker::with_cache(&config, source, root_str, &listing.paths, cache)?,
        None => Checker::new(&config, source, root_str, &listing.paths)?,
    };
    // Transition rules (`oldSelf`) compare with the revision the change is measured from;
    // a repository without commits has none, and they are skipped.
    if checker.wants_base() {
        let base = if args.staged {
            GitSource::revision(&root, "HEAD").ok()
        } else if let Some(rev) = &args.changed_since {
            Some(GitSource::revision(&root, rev)?)
        } else {
            None
        };
        if let Some(base) = base {
            checker = checker.with_base(Box::new(base));
        }
    }
    let compiled = Instant::now();

    let mut selection = if args.paths.is_empty() {
        Selection::All
    } else {
        Selection::Only(expand_paths(
            &args.paths,
            ctx,
            &root,
            &listing.paths,
            &checker,
        )?)
    };
    let changed = if let Some(index) = &index {
        Some(index.staged_changes()?)
    } else if let (Some(rev), Some(at)) = (&args.changed_since, &args.at) {
        Some(repo::changes_between(&root, rev, at)?)
    } else if let Some(rev) = &args.changed_since {
        Some(repo::changes_since(&root, rev)?)
    } else {
        None
    };
    if let Some(changed) = changed {
        // A changed schema or cfgctl.toml can change the verdict on any file.
        let settings_changed = changed
            .iter()
            .any(|p| p == config::FILE_NAME || p.starts_with(schema::SCHEMA_DIR));
        if !settings_changed {
            let changed: BTreeSet<String> = changed
                .into_iter()
                .filter(|p| checker.is_config_file(p) || crate::packs::is_pack_file(p))
                .collect();
            selection = match selection {
                Selection::All => Selection::Only(changed),
                Selection::Only(paths) => {
                    Selection::Only(paths.intersection(&changed).cloned().collect())
                }
            };
        }
    }

    // Counting the files to check is a pass over the listing: only for a bar that is drawn.
    let total = match &selection {
        _ if !ctx.output.progress => 0,
        Selection::All => listing
            .paths
            .iter()
            .filter(|p| checker.is_config_file(p))
            .count(),
        Selection::Only(paths) => paths.len(),
    };
    let bar = ctx.output.progress_bar(total as u64, "validating");
    let listed_files = listing.paths.len();
    let (report, timings) = validate::run(&checker, source, listing, &selection, &|| bar.inc(1))?;
    bar.finish_and_clear();
    // The cache only saves time: a failure to write it (a read-only .git) is not an error.
    let saved = checker.save_cache();
    if args.verbose {
        let ms = |d: std::time::Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        ctx.output.status(&format!(
            "Listed {listed_files} files from the {} in {}; compiled {} schema mappings in {}; checked {} files in {} on {} threads; compared environments in {}.",
            report.source,
            ms(listed - started),
            config.schemas.len(),
            ms(compiled - listed),
            report.files.len(),
            ms(timings.files),
            rayon::current_num_threads(),
            ms(timings.environments),
        ));
        if !args.no_cache {
            let rules = if timings.rule_evaluations > 0 {
                format!(
                    " and {} of {} [[rule]] evaluations",
                    timings.rules_cached, timings.rule_evaluations
                )
            } else {
                String::new()
            };
            ctx.output.status(&match saved {
                Ok(()) => format!(
                    "Took the results of {} of {} files{rules} from the cache.",
                    timings.cached, timings.considered
                ),
                Err(err) => format!(
                    "Took the results of {} of {} files{rules} from the cache; could not write it: {err:#}.",
                    timings.cached, timings.considered
                ),
            });
        }
    }
    Ok(report)
}

/// Turns command-line paths (relative to the working directory) into repository paths;
/// a directory stands for the configuration files below it.
fn expand_paths(
    paths: &[PathBuf],
    ctx: &Context,
    root: &Path,
    listing: &[String],
    checker: &Checker,
) -> Result<BTreeSet<String>> {
    let mut selected = BTreeSet::new();
    for path in paths {
        let rel = repo_relative(&ctx.cwd.join(path), root).ok_or_else(|| {
            CliError::new(anyhow!(
                "`{}` is outside the repository at `{}`",
                path.display(),
                root.display()
            ))
        })?;
        let dir_prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        let under: Vec<&String> = listing
            .iter()
            .filter(|p| {
                p.starts_with(&dir_prefix)
                    && (checker.is_config_file(p) || crate::packs::is_pack_file(p))
            })
            .collect();
        if !rel.is_empty() && (listing.contains(&rel) || !ctx.cwd.join(path).is_dir()) {
            if !listing.contains(&rel) && !ctx.cwd.join(path).exists() {
                return Err(CliError::new(anyhow!("`{}` does not exist", path.display())).into());
            }
            selected.insert(rel);
        } else {
            selected.extend(under.into_iter().cloned());
        }
    }
    Ok(selected)
}

/// Returns `path` relative to `root` with `/` separators, resolving symlinks where the path
/// exists and `..` lexically where it does not.
fn repo_relative(path: &Path, root: &Path) -> Option<String> {
    let absolute = path.canonicalize().ok().or_else(|| {
        let parent = path.parent()?.canonicalize().ok()?;
        Some(parent.join(path.file_name()?))
    })?;
    let rel = absolute.strip_prefix(root).ok()?;
    Some(rel.to_str()?.replace('\\', "/"))
}

/// `validate --schema FILE PATH…`: one schema, any files, no repository needed. Sibling
/// schemas in the schema's directory are available to its `$ref`s.
fn ad_hoc(args: &Args, schema_path: &Path, ctx: &Context) -> Result<Report> {
    if args.paths.is_empty() {
        return Err(
            CliError::new(anyhow!("--schema needs at least one PATH to check"))
                .with_hint("cfgctl validate --schema schemas/app.json config/app.yaml")
                .into(),
        );
    }
    let schema_abs = ctx
        .cwd
        .join(schema_path)
        .canonicalize()
        .with_context(|| format!("cannot read schema `{}`", schema_path.display()))?;
    let schema_dir = schema_abs.parent().unwrap_or(Path::new("/")).to_path_buf();
    let schema_name = schema_abs
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow!("schema file name is not valid UTF-8"))?;
    // Register the JSON/YAML files near the chosen schema (its directory, three levels
    // down at most) for its `$ref`s; files that are not schemas are skipped, not errors, so
    // a schema kept in a busy directory still works.
    const MAX_SIBLINGS: usize = 5_000;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in ignore::WalkBuilder::new(&schema_dir)
        .max_depth(Some(3))
        .build()
        .flatten()
    {
        let Ok(rel) = entry.path().strip_prefix(&schema_dir) else {
            continue;
        };
        let Some(rel) = rel.to_str().map(|r| r.replace('\\', "/")) else {
            continue;
        };
        let is_schema_like = matches!(
            crate::document::Format::from_path(&rel),
            Some(crate::document::Format::Json | crate::document::Format::Yaml)
        );
        if !is_schema_like || !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        if rel == schema_name || schema::SchemaStore::looks_like_schema(&rel, &bytes) {
            files.push((rel, bytes));
        }
        if files.len() >= MAX_SIBLINGS {
            break;
        }
    }
    let dir = schema_dir
        .to_str()
        .ok_or_else(|| anyhow!("schema directory is not valid UTF-8"))?;
    // Nearest files first, so they win any `$id` that several files claim.
    files.sort_by_key(|(rel, _)| (rel.matches('/').count(), rel.clone()));
    let store = Arc::new(schema::SchemaStore::new_lenient(dir, files)?);
    let key = schema_name.to_string();
    let compiled = schema::compile(&store, &key)?;
    let checker = Checker::single_schema(compiled)?;

    let mut files = Vec::new();
    let mut findings = Vec::new();
    for path in &args.paths {
        let full = ctx.cwd.join(path);
        let targets: Vec<PathBuf> = if full.is_dir() {
            let tree = WorkTree::new(&full);
            tree.list()?
                .paths
                .into_iter()
                .filter(|p| crate::document::Format::from_path(p).is_some())
                .map(|p| path.join(p))
                .collect()
        } else {
            vec![path.clone()]
        };
        for target in targets {
            let shown = target.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(ctx.cwd.join(&target))
                .map_err(|err| CliError::new(anyhow!("cannot read `{shown}`: {err}")))?;
            let (file_findings, _) = checker.check_bytes(&shown, &bytes, true);
            findings.extend(file_findings);
            files.push(shown);
        }
    }
    crate::finding::Finding::sort(&mut findings);
    Ok(Report {
        command: "validate",
        source: "files".into(),
        files,
        findings,
    })
}
