//! `cfgctl packs validate|release|list|verify|activate|rollback`

use super::Context;
use crate::change::{self, Action, Key, Message, Planned, Proposal};
use crate::config::{self, Config, Presence};
use crate::error::{CliError, ExitStatus};
use crate::finding::{Finding, Severity};
use crate::history;
use crate::output::findings::{self as report_output, Report};
use crate::output::{Format, styles};
use crate::packs::activation::{self, Active};
use crate::packs::checks::{self, lifecycle};
use crate::packs::semver::Version;
use crate::packs::{self, CHECKSUMS, MANIFEST};
use crate::repo::transaction::NewTag;
use crate::repo::{self, Source as _, WorkTree, tags};
use anyhow::{Result, anyhow};
use serde_json::json;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: PacksCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum PacksCommand {
    /// Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)
    Validate(ValidateArgs),
    /// Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION
    Release(ReleaseArgs),
    /// List released versions from their tags, and where each is active
    List(ListArgs),
    /// Recompute a release's checksums and digest from its tag and compare
    Verify(VerifyArgs),
    /// Make a released version the active one in an environment
    Activate(ActivateArgs),
    /// Re-activate the version that was active before in an environment
    Rollback(RollbackArgs),
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Packs to check (default: every pack under packs/)
    #[arg(value_name = "PACK")]
    pub packs: Vec<String>,

    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,

    /// Check every pack again instead of taking unchanged packs' results from the cache in
    /// .git/cfgctl/cache (the results are the same either way)
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// The pack (its directory under packs/)
    pub pack: String,
    /// The new version (semver, newer than every release of the pack)
    #[arg(value_name = "VERSION")]
    pub release: String,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this pack's releases
    pub pack: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The release to verify
    #[arg(value_name = "PACK@VERSION")]
    pub release: String,
}

#[derive(Debug, clap::Args)]
pub struct ActivateArgs {
    /// The environment
    pub env: String,
    /// The released version to activate
    #[arg(value_name = "PACK@VERSION")]
    pub release: String,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

#[derive(Debug, clap::Args)]
pub struct RollbackArgs {
    /// The environment
    pub env: String,
    /// The pack to roll back
    pub pack: String,
    #[command(flatten)]
    pub write: super::WriteArgs,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    match &args.command {
        PacksCommand::Validate(a) => validate(a, ctx),
        PacksCommand::Release(a) => release(a, ctx),
        PacksCommand::List(a) => list(a, ctx),
        PacksCommand::Verify(a) => verify(a, ctx),
        PacksCommand::Activate(a) => activate(a, ctx),
        PacksCommand::Rollback(a) => rollback(a, ctx),
    }
}

fn validate(args: &ValidateArgs, ctx: &Context) -> Result<ExitStatus> {
    let root = repo::find_root(&ctx.cwd)?;
    let tree = WorkTree::new(&root);
    let listing = tree.list()?.paths;
    let ids = packs::pack_ids(&listing);
    for name in &args.packs {
        if !ids.contains(name) {
            return Err(unknown_pack(name, &ids));
        }
    }
    let only = (!args.packs.is_empty()).then_some(args.packs.as_slice());
    let cache = (!args.no_cache)
        .then(|| repo::cache_dir(&root).ok())
        .flatten()
        .map(|dir| crate::validate::cache::Cache::open(&dir));
    let results = crate::validate::pack_findings(
        cache.as_ref(),
        &tree,
        &listing,
        &root,
        true,
        only,
        crate::clock::now()?,
    )?;
    // The cache only saves time: a failure to write it is not an error.
    let _ = cache.map(|c| c.save());
    let mut report = Report {
        command: "packs validate",
        source: tree.describe(),
        files: Vec::new(),
        findings: Vec::new(),
    };
    for (pack, findings) in results {
        report
            .files
            .extend(pack.files.keys().map(|rel| pack.path(rel)));
        report.findings.extend(findings);
    }
    Finding::sort(&mut report.findings);
    super::finish_report(&report, ctx, args.deny_warnings)
}

fn unknown_pack(name: &str, ids: &[String]) -> anyhow::Error {
    CliError::new(anyhow!("no pack `{name}` under packs/"))
        .with_hint(if ids.is_empty() {
            "create packs/<id>/pack.yaml (see README.md, Attack packs)".to_string()
        } else {
            format!("packs: {}", ids.join(", "))
        })
        .into()
}

/// Splits `PACK@VERSION`.
fn parse_release(text: &str) -> Result<(String, Version)> {
    let (pack, version) = text.split_once('@').ok_or_else(|| {
        CliError::new(anyhow!("`{text}` is not PACK@VERSION"))
            .with_hint("for example prompt-injection@1.0.0")
    })?;
    let version = version
        .parse::<Version>()
        .map_err(|e| CliError::new(anyhow!("{e}")).with_hint("versions are semver: 1.2.3"))?;
    Ok((pack.to_string(), version))
}

fn release(args: &ReleaseArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "packs release")?;
    let root = repo::find_root(&ctx.cwd)?;
    let tree = WorkTree::new(&root);
    let config = config::read(&tree, Presence::Required)?;
    let writer = change::begin(
        &root,
        args.write.execute,
        &format!("packs release {} {}", args.pack, args.release),
    )?;
    let listing = tree.list()?.paths;
    if !packs::pack_ids(&listing).contains(&args.pack) {
        return Err(unknown_pack(&args.pack, &packs::pack_ids(&listing)));
    }
    let version: Version = args.release.parse().map_err(|e: String| {
        CliError::new(anyhow!("{e}")).with_hint("versions are semver: 1.2.3")
    })?;
    let pack = packs::read(&tree, &listing, &args.pack, Some(&root))?;
    let all = packs::releases(&root, Some(&args.pack))?;
    let released: Vec<checks::Released> = all
        .iter()
        .map(|r| checks::Released {
            version: r.version.clone(),
            digest: r.record.digest.clone(),
        })
        .collect();
    let previous = match all.iter().rev().find(|r| r.version < version) {
        Some(r) => Some((r.version.clone(), packs::read_release(&root, r)?)),
        None => None,
    };
    let tag = packs::tag_name(&args.pack, &version.to_string());
    let mut plan = packs::release::plan(
        &pack,
        &version,
        &released,
        previous.as_ref().map(|(v, p)| (v, p)),
        tags::find(&root, &tag)?.is_some(),
        crate::clock::now()?,
    );
    for path in tags::dirty_under(&root, &pack.dir())? {
        plan.blockers.push(blocker(
            &path,
            "uncommitted change: a release is made from committed files only (commit or stash it)",
        ));
    }

    let mut commits = Vec::new();
    let files = plan.files();
    if plan.blockers.is_empty() && !files.is_empty() {
        commits.push(Planned {
            tree: writer.tree_with_files(&files)?,
            changed: files.into_iter().map(|(p, _)| p).collect(),
            message: plan.commit_message.clone(),
        });
    }
    let proposal = Proposal {
        action: Action::PackRelease,
        env: None,
        commits,
        tag: Some(NewTag {
            name: plan.tag.clone(),
            message: plan.tag_message.clone(),
        }),
        branch: None,
    };
    let blockers: Vec<String> = plan
        .blockers
        .iter()
        .map(|b| format!("{}:{}: {} [{}]", b.file, b.pos, b.message, b.rule))
        .collect();
    let options = change::Options {
        skip_validation: true,
        ..args.write.options()
    };
    let outcome = change::finish(writer, &config, proposal, &options, blockers)?;
    print_release(ctx, &plan, &outcome)?;
    let done = match outcome.commits.first() {
        Some(sha) => format!(
            "Released {}@{version}: commit {}, tag {}",
            args.pack,
            &sha[..7],
            plan.tag
        ),
        None => String::new(),
    };
    Ok(super::finish_change(
        ctx,
        &outcome,
        "Nothing to release.",
        &done,
    ))
}

fn print_release(
    ctx: &Context,
    plan: &packs::release::Plan,
    change: &change::Outcome,
) -> Result<()> {
    let out = &ctx.output;
    let outcome = &plan.outcome;
    let categories: Vec<&String> = outcome.categories.iter().collect();
    if out.format == Format::Json {
        let files: Vec<serde_json::Value> = match &plan.prepared {
            Some(prepared) => outcome
                .counts
                .iter()
                .map(|(path, count)| {
                    json!({"path": path, "sha256": packs::checksum::sha256_hex(&prepared.files[path]), "count": count})
                })
                .collect(),
            None => Vec::new(),
        };
        let doc = json!({
            "version": 1, "command": "packs release", "pack": plan.pack,
            "release": plan.version.to_string(), "tag": plan.tag, "digest": outcome.digest,
            "patterns": outcome.patterns(), "categories": categories, "files": files,
            "commit": change.commits.first(),
            "blockers": findings_json(&plan.blockers), "warnings": findings_json(&plan.warnings),
        });
        return super::print_change_json(ctx, doc, change);
    }
    let mut text = format!(
        "release {} {} (tag {})\n",
        plan.pack, plan.version, plan.tag
    );
    text.push_str(&format!("  digest      {}\n", outcome.digest));
    text.push_str(&format!(
        "  patterns    {} in {} file{}\n",
        outcome.patterns(),
        outcome.counts.len(),
        plural(outcome.counts.len())
    ));
    let categories: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
    text.push_str(&format!("  categories  {}\n", categories.join(", ")));
    let writes: Vec<String> = [MANIFEST, CHECKSUMS]
        .iter()
        .map(|rel| format!("{}/{}/{rel}", packs::PACKS_DIR, plan.pack))
        .collect();
    text.push_str(&format!("  writes      {}\n", writes.join(", ")));
    out.plan(&text)?;
    if let Some(line) = warnings_pointer(&plan.pack, &plan.warnings) {
        out.warn(&line);
    }
    Ok(())
}

/// One line instead of every warning again: `validate` is where warnings are read (and
/// `--format json` still lists them all).
fn warnings_pointer(pack: &str, warnings: &[Finding]) -> Option<String> {
    if warnings.is_empty() {
        return None;
    }
    let mut by_rule: Vec<(&str, usize)> = Vec::new();
    for w in warnings {
        let rule = w.rule.strip_prefix("packs/").unwrap_or(&w.rule);
        match by_rule.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, n)) => *n += 1,
            None => by_rule.push((rule, 1)),
        }
    }
    by_rule.sort();
    let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
    Some(format!(
        "{} warning{} ({}): `cfgctl packs validate {pack}` lists them",
        warnings.len(),
        plural(warnings.len()),
        rules.join(", ")
    ))
}

/// A reason to refuse that is not one of the pack checks (uncommitted work, an invalid
/// result); rule `blocked`.
fn blocker(file: &str, message: &str) -> Finding {
    Finding {
        file: file.to_string(),
        pos: crate::document::Pos::new(1, 1),
        path: None,
        rule: "blocked".into(),
        severity: Severity::Error,
        message: message.to_string(),
        schema: None,
    }
}

fn findings_json(findings: &[Finding]) -> Vec<serde_json::Value> {
    findings
        .iter()
        .map(|f| {
            json!({"file": f.file, "line": f.pos.line, "column": f.pos.column, "path": f.path,
                        "rule": f.rule, "severity": f.severity, "message": f.message})
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn no_release(pack: &str, version: &Version) -> anyhow::Error {
    CliError::new(anyhow!(
        "{pack}@{version} is not released (no tag {})",
        packs::tag_name(pack, &version.to_string())
    ))
    .with_hint("`cfgctl packs list` shows the releases")
    .into()
}

fn verify(args: &VerifyArgs, ctx: &Context) -> Result<ExitStatus> {
    let root = repo::find_root(&ctx.cwd)?;
    let (pack, version) = parse_release(&args.release)?;
    let Some(verified) = packs::verify(&root, &pack, &version)? else {
        return Err(no_release(&pack, &version));
    };
    let release = verified.release;
    let report = Report {
        command: "packs verify",
        source: release.tag.name.clone(),
        files: verified.files,
        findings: verified.findings,
    };
    let errors = report.count(Severity::Error);
    if ctx.output.format == Format::Human {
        // Errors in full; warnings were shown by `validate`, so a count and a pointer.
        let (warnings, shown): (Vec<Finding>, Vec<Finding>) = report
            .findings
            .iter()
            .cloned()
            .partition(|f| f.severity == Severity::Warning);
        let errors_only = Report {
            findings: shown,
            ..report.clone()
        };
        ctx.output
            .result(&report_output::render(&errors_only, &ctx.output))?;
        if let Some(line) = warnings_pointer(&pack, &warnings) {
            ctx.output.warn(&line);
        }
    } else {
        ctx.output
            .result(&report_output::render(&report, &ctx.output))?;
    }
    if ctx.output.format == Format::Human {
        if errors == 0 {
            ctx.output.status(&format!(
                "{} {pack}@{version} verifies: digest {}",
                ctx.output.paint(styles::OK, "ok:"),
                release.record.digest.as_deref().unwrap_or_default()
            ));
        } else {
            ctx.output
                .status(&report_output::summary_line(&report, &ctx.output));
        }
    }
    Ok(if errors > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

fn list(args: &ListArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "packs list")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = config::read(&WorkTree::new(&root), Presence::Required)?;
    let releases = packs::releases(&root, args.pack.as_deref())?;
    // A pack that was released and later removed from the tree is still listed; a name that
    // is neither is a mistake, not an empty list.
    if let Some(name) = &args.pack
        && releases.is_empty()
    {
        let ids = packs::pack_ids(&WorkTree::new(&root).list()?.paths);
        if !ids.contains(name) {
            return Err(unknown_pack(name, &ids));
        }
    }
    let active = active_by_env(&root, &config)?;
    let rows: Vec<serde_json::Value> = releases
        .iter()
        .map(|r| {
            let version = r.version.to_string();
            let envs: Vec<&String> = active
                .iter()
                .filter(|(_, list)| {
                    list.iter()
                        .any(|a| a.pack == r.pack && a.version == version)
                })
                .map(|(env, _)| env)
                .collect();
            json!({
                "pack": r.pack, "version": version, "tag": r.tag.name,
                "date": history::format_date(r.tag.time, r.tag.offset_minutes),
                "digest": r.record.digest, "patterns": r.record.patterns,
                "categories": r.record.categories, "commit": r.tag.commit, "active_in": envs,
            })
        })
        .collect();
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({"version": 1, "command": "packs list", "releases": rows});
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(ExitStatus::Success);
    }
    if rows.is_empty() {
        out.status("No released packs: `cfgctl packs release PACK VERSION` makes one.");
        return Ok(ExitStatus::Success);
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "pack",
        "version",
        "date",
        "digest",
        "patterns",
        "active in",
    ]);
    for row in &rows {
        let text = |k: &str| row[k].as_str().unwrap_or("—").to_string();
        let digest = text("digest");
        let envs: Vec<&str> = row["active_in"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        table.add_row(vec![
            out.paint(styles::FILE, &text("pack")),
            text("version"),
            text("date"),
            digest.chars().take(12).collect(),
            row["patterns"]
                .as_u64()
                .map_or("—".into(), |n| n.to_string()),
            if envs.is_empty() {
                out.paint(styles::DIM, "unused")
            } else {
                envs.join(", ")
            },
        ]);
    }
    out.result(&format!("{table}\n"))?;
    Ok(ExitStatus::Success)
}

/// The active packs of every environment, from the working tree.
pub(crate) fn active_by_env(root: &Path, config: &Config) -> Result<Vec<(String, Vec<Active>)>> {
    let mut out = Vec::new();
    let model = crate::environment::Environments::of(config);
    for env in &config.repo.environments {
        let file = model.get(env)?.packs_file();
        let list = match std::fs::read(root.join(&file)) {
            Ok(bytes) => activation::parse(&file, &bytes)?,
            Err(_) => Vec::new(),
        };
        out.push((env.clone(), list));
    }
    Ok(out)
}

fn activate(args: &ActivateArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "packs activate")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = config::read(&WorkTree::new(&root), Presence::Required)?;
    check_env(&config, &args.env)?;
    let writer = change::begin(
        &root,
        args.write.execute,
        &format!("packs activate {} {}", args.env, args.release),
    )?;
    let (pack, version) = parse_release(&args.release)?;
    let file = activation::file_for(&args.env);
    let verified = packs::verify(&root, &pack, &version)?;
    let errors = verify_errors(verified.as_ref());
    let blockers = lifecycle::activation(
        &file,
        &pack,
        &version.to_string(),
        verified.is_some(),
        &errors,
    );
    let digest = verified
        .as_ref()
        .and_then(|v| v.release.record.digest.clone())
        .unwrap_or_default();
    let change = Change {
        env: &args.env,
        pack: &pack,
        version: &version.to_string(),
        digest: &digest,
        previous: None,
        write: &args.write,
    };
    apply(ctx, writer, &config, change, blockers)
}

fn rollback(args: &RollbackArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "packs rollback")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = config::read(&WorkTree::new(&root), Presence::Required)?;
    check_env(&config, &args.env)?;
    let writer = change::begin(
        &root,
        args.write.execute,
        &format!("packs rollback {} {}", args.env, args.pack),
    )?;
    let file = activation::file_for(&args.env);
    let current = std::fs::read(root.join(&file))
        .ok()
        .and_then(|b| activation::version_of(&file, &b, &args.pack));
    let versions = activation::history(&root, &args.env, &args.pack)?;
    let previous = activation::previous_version(current.as_deref(), &versions);
    let target = previous.as_deref().and_then(|v| v.parse::<Version>().ok());
    let verified = match &target {
        Some(v) => packs::verify(&root, &args.pack, v)?,
        None => None,
    };
    let errors = verify_errors(verified.as_ref());
    let blockers = lifecycle::rollback(
        &file,
        &args.pack,
        previous.as_deref(),
        verified.is_some(),
        &errors,
    );
    let digest = verified
        .as_ref()
        .and_then(|v| v.release.record.digest.clone())
        .unwrap_or_default();
    let change = Change {
        env: &args.env,
        pack: &args.pack,
        version: previous.as_deref().unwrap_or_default(),
        digest: &digest,
        previous: Some(current.as_deref().unwrap_or("none")),
        write: &args.write,
    };
    apply(ctx, writer, &config, change, blockers)
}

fn check_env(config: &Config, env: &str) -> Result<()> {
    if config.repo.environments.iter().any(|e| e == env) {
        return Ok(());
    }
    Err(CliError::new(anyhow!("unknown environment `{env}`"))
        .with_hint(format!(
            "environments: {}",
            config.repo.environments.join(", ")
        ))
        .into())
}

fn verify_errors(verified: Option<&packs::Verified>) -> Vec<String> {
    verified
        .map(|v| {
            v.findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| format!("{}:{}: {} [{}]", f.file, f.pos, f.message, f.rule))
                .collect()
        })
        .unwrap_or_default()
}

/// An activation to write: `previous` is set for a rollback (the version it replaces).
struct Change<'a> {
    env: &'a str,
    pack: &'a str,
    version: &'a str,
    digest: &'a str,
    previous: Option<&'a str>,
    write: &'a super::WriteArgs,
}

/// Plans an activation or a rollback and hands it to the change pipeline.
fn apply(
    ctx: &Context,
    writer: change::Writer,
    config: &Config,
    change: Change<'_>,
    blockers: Vec<Finding>,
) -> Result<ExitStatus> {
    let root = writer.root().to_path_buf();
    let file = activation::file_for(change.env);
    let command = if change.previous.is_some() {
        "packs rollback"
    } else {
        "packs activate"
    };
    // The activation file is written back: never read or write it through a link.
    crate::repo::AtomicWriter::new(&root)?.check_destination(&root.join(&file))?;
    let existing = match std::fs::read(root.join(&file)) {
        Ok(bytes) => {
            Some(String::from_utf8(bytes).map_err(|_| anyhow!("{file}: not valid UTF-8"))?)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(anyhow!(err).context(format!("reading `{file}`"))),
    };
    let current = existing
        .as_deref()
        .and_then(|t| activation::parse(&file, t.as_bytes()).ok())
        .and_then(|l| l.into_iter().find(|a| a.pack == change.pack));
    let (action, subject) = match change.previous {
        Some(from) => (
            Action::PackRollback,
            format!(
                "packs: roll back {} in {} from {from} to {}",
                change.pack, change.env, change.version
            ),
        ),
        None => (
            Action::PackActivate,
            format!(
                "packs: activate {}@{} in {}",
                change.pack, change.version, change.env
            ),
        ),
    };
    let unchanged = current
        .as_ref()
        .is_some_and(|a| a.version == change.version && a.digest == change.digest);
    let mut commits = Vec::new();
    if blockers.is_empty() && !unchanged {
        let active = Active {
            pack: change.pack.into(),
            version: change.version.into(),
            digest: change.digest.into(),
        };
        let text = activation::with_active(existing.as_deref(), &active)
            .map_err(|e| anyhow!("{file}: {e:#}"))?;
        commits.push(Planned {
            tree: writer.tree_with_files(&[(file.clone(), text.into_bytes())])?,
            changed: vec![file.clone()],
            message: Message::new(subject.clone())
                .with(Key::Pack, format!("{}@{}", change.pack, change.version))
                .with(Key::Digest, change.digest),
        });
    }
    let proposal = Proposal {
        action,
        env: Some(change.env.to_string()),
        commits,
        tag: None,
        branch: None,
    };
    let own: Vec<String> = blockers
        .iter()
        .map(|b| format!("{}: {} [{}]", b.file, b.message, b.rule))
        .collect();
    let outcome = change::finish(writer, config, proposal, &change.write.options(), own)?;
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({
            "version": 1, "command": command, "environment": change.env, "pack": change.pack,
            "release": change.version, "previous": change.previous, "digest": change.digest,
            "file": file, "unchanged": unchanged, "commit": outcome.commits.first(),
        });
        super::print_change_json(ctx, doc, &outcome)?;
    } else if !outcome.is_empty() && outcome.blockers.is_empty() {
        let head = match outcome.commits.first() {
            Some(sha) => sha[..7].to_string(),
            None => "would commit:".to_string(),
        };
        out.plan(&format!("{head} {subject}\n  {file}\n"))?;
    }
    Ok(super::finish_change(
        ctx,
        &outcome,
        &format!(
            "{}@{} is already active in {}.",
            change.pack, change.version, change.env
        ),
        "",
    ))
}
