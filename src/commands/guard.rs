//! `cfgctl guard ENV --metrics FILE`: compare a health snapshot with `[guard.ENV]` and roll
//! back the last promotion into ENV when a threshold is crossed.
//!
//! The cooldown and the daily limit are computed from the history of guard commits
//! (`Cfgctl-Action: guard`): no state file.

use super::Context;
use super::rollback::{blockers, last_promotion};
use crate::config::{self, Presence};
use crate::document::{self, Format as DocFormat, Limits, Value};
use crate::error::{CliError, ExitStatus};
use crate::history;
use crate::output::Format;
use crate::repo::rollback::{self as plan, Plan};
use crate::repo::{self, WorkTree};
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment to guard
    pub env: String,

    /// The metrics snapshot: a JSON (or YAML) object of numbers, e.g. {"error_rate": 0.02,
    /// "p95_latency_ms": 420, "success_rate": 0.99}
    #[arg(long, value_name = "FILE")]
    pub metrics: PathBuf,

    /// Roll back the last promotion on a violation (without it, only report)
    #[arg(long)]
    pub execute: bool,
}

/// One crossed threshold.
#[derive(Debug, Clone, Serialize)]
struct Violation {
    metric: String,
    value: f64,
    /// `max` or `min`.
    kind: &'static str,
    limit: f64,
}

impl Violation {
    fn describe(&self) -> String {
        let op = if self.kind == "max" { ">" } else { "<" };
        format!(
            "{} {} {op} {} {}",
            self.metric, self.value, self.kind, self.limit
        )
    }
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "guard")?;
    let root = repo::find_root(&ctx.cwd)?;
    let config = config::read(&WorkTree::new(&root), Presence::Required)?;
    let table = config
        .guard
        .get(&args.env)
        .and_then(|v| v.as_table())
        .ok_or_else(|| {
            CliError::new(anyhow!("no [guard.{}] thresholds in cfgctl.toml", args.env))
                .with_hint("add for example: [guard.production] max_error_rate = 0.05")
        })?;
    let metrics = read_metrics(&ctx.cwd.join(&args.metrics))?;
    let (violations, settings) = compare(table, &metrics)?;
    if violations.is_empty() {
        return finish(
            ctx,
            args,
            &violations,
            "none",
            "all thresholds hold",
            None,
            ExitStatus::Success,
        );
    }

    // A violation: roll back the last promotion, within the cooldown and the daily limit.
    let (promotion, steps) = match rollback_plan(&root, &config, &args.env, &settings)? {
        Ok(plan) => plan,
        Err(reason) => {
            return finish(
                ctx,
                args,
                &violations,
                "refused",
                &reason,
                None,
                ExitStatus::Findings,
            );
        }
    };
    if !args.execute {
        let reason = format!("would roll back {} (pass --execute)", &promotion[..7]);
        return finish(
            ctx,
            args,
            &violations,
            "would_roll_back",
            &reason,
            None,
            ExitStatus::Findings,
        );
    }
    let mut message = format!(
        "guard: roll back {} in {}\n\nCfgctl-Action: guard\nCfgctl-Rollback-Of: {promotion}\nCfgctl-To: {}\n",
        &promotion[..7],
        args.env,
        args.env
    );
    for v in &violations {
        message.push_str(&format!("Cfgctl-Guard-Violation: {}\n", v.describe()));
    }
    let step = steps
        .into_iter()
        .next()
        .expect("one step per reverted commit");
    let shas = plan::commit_steps(&root, &[(step, message)])?;
    let reason = format!("rolled back {}", &promotion[..7]);
    finish(
        ctx,
        args,
        &violations,
        "rolled_back",
        &reason,
        shas.first(),
        ExitStatus::Findings,
    )
}

/// The last promotion into `env` and the steps that revert it, or why not: the cooldown,
/// the daily limit, nothing to roll back, a conflict, or a rollback blocker.
fn rollback_plan(
    root: &std::path::Path,
    config: &config::Config,
    env: &str,
    settings: &Settings,
) -> Result<std::result::Result<(String, Vec<plan::Step>), String>> {
    let now = crate::clock::now()?;
    let mut last_guard: Option<i64> = None;
    let mut since_day = 0i64;
    repo::history::walk(root, &mut |commit| {
        let entry = history::entry(commit, &config.repo.environments);
        if entry.kind == "guard" && entry.trailer("Cfgctl-To") == Some(env) {
            last_guard.get_or_insert(entry.time);
            if now - entry.time < 86_400 {
                since_day += 1;
            }
        }
        true
    })?;
    if let (Some(cooldown), Some(last)) = (settings.cooldown_minutes, last_guard) {
        let waited = (now - last) / 60;
        if waited < cooldown {
            return Ok(Err(format!(
                "the last guard rollback in {env} was {waited} min ago; the cooldown is {cooldown} min"
            )));
        }
    }
    if let Some(limit) = settings.max_rollbacks_per_day
        && since_day >= limit
    {
        return Ok(Err(format!(
            "{since_day} guard rollbacks in {env} in the last 24 hours; the limit is {limit}"
        )));
    }
    let Some(promotion) = last_promotion(root, config, env)? else {
        return Ok(Err(format!("no promotion into {env} to roll back")));
    };
    if already_rolled_back(root, config, &promotion)? {
        return Ok(Err(format!(
            "the last promotion into {env} ({}) is already rolled back",
            &promotion[..7]
        )));
    }
    let steps = match plan::plan_revert(root, std::slice::from_ref(&promotion))? {
        Plan::Steps(steps) => steps,
        Plan::Conflict { paths, .. } => {
            return Ok(Err(format!(
                "reverting {} conflicts in: {}",
                &promotion[..7],
                paths.join(", ")
            )));
        }
    };
    let blocked = blockers(root, config, &steps)?;
    if !blocked.is_empty() {
        return Ok(Err(blocked.join("; ")));
    }
    Ok(Ok((promotion, steps)))
}

/// Thresholds that are not metric limits.
struct Settings {
    cooldown_minutes: Option<i64>,
    max_rollbacks_per_day: Option<i64>,
}

/// Compares every `max_<metric>` / `min_<metric>` threshold with the snapshot.
fn compare(table: &toml::Table, metrics: &[(String, f64)]) -> Result<(Vec<Violation>, Settings)> {
    let number = |key: &str, value: &toml::Value| -> Result<f64> {
        value
            .as_float()
            .or_else(|| value.as_integer().map(|i| i as f64))
            .ok_or_else(|| anyhow!("cfgctl.toml: [guard] `{key}` must be a number"))
    };
    let mut settings = Settings {
        cooldown_minutes: None,
        max_rollbacks_per_day: None,
    };
    let mut violations = Vec::new();
    for (key, value) in table {
        match key.as_str() {
            "cooldown_minutes" => settings.cooldown_minutes = Some(number(key, value)? as i64),
            "max_rollbacks_per_day" => {
                settings.max_rollbacks_per_day = Some(number(key, value)? as i64)
            }
            _ => {
                let (kind, metric) = if let Some(m) = key.strip_prefix("max_") {
                    ("max", m)
                } else if let Some(m) = key.strip_prefix("min_") {
                    ("min", m)
                } else {
                    return Err(CliError::new(anyhow!("cfgctl.toml: unknown [guard] setting `{key}`"))
                        .with_hint("thresholds are max_<metric> or min_<metric>; also cooldown_minutes, max_rollbacks_per_day")
                        .into());
                };
                let limit = number(key, value)?;
                let Some((_, actual)) = metrics.iter().find(|(name, _)| name == metric) else {
                    return Err(CliError::new(anyhow!(
                        "the metrics snapshot has no `{metric}` (needed by `{key}`)"
                    ))
                    .into());
                };
                let crossed = if kind == "max" {
                    *actual > limit
                } else {
                    *actual < limit
                };
                if crossed {
                    violations.push(Violation {
                        metric: metric.to_string(),
                        value: *actual,
                        kind,
                        limit,
                    });
                }
            }
        }
    }
    Ok((violations, settings))
}

/// Reads a metrics snapshot: a JSON or YAML object whose values are numbers.
fn read_metrics(path: &std::path::Path) -> Result<Vec<(String, f64)>> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("reading metrics `{shown}`"))?;
    let format = DocFormat::from_path(&shown).unwrap_or(DocFormat::Json);
    let doc = document::parse(&bytes, format, &Limits::default()).map_err(|e| e.in_file(&shown))?;
    let root = doc
        .roots
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("{shown}: empty"))?;
    let Value::Map(map) = root.value else {
        return Err(anyhow!(
            "{shown}: the metrics snapshot must be an object of numbers"
        ));
    };
    map.into_iter()
        .filter(|(_, e)| !matches!(e.value.value, Value::Null))
        .map(|(key, entry)| {
            entry
                .value
                .as_f64()
                .map(|v| (key.clone(), v))
                .ok_or_else(|| anyhow!("{shown}:{}: `{key}` is not a number", entry.value.pos))
        })
        .collect()
}

fn already_rolled_back(root: &std::path::Path, config: &config::Config, sha: &str) -> Result<bool> {
    let mut found = false;
    repo::history::walk(root, &mut |commit| {
        let entry = history::entry(commit, &config.repo.environments);
        if entry.sha == sha {
            return false;
        }
        found |= entry.trailer("Cfgctl-Rollback-Of") == Some(sha);
        !found
    })?;
    Ok(found)
}

#[allow(clippy::too_many_arguments)]
fn finish(
    ctx: &Context,
    args: &Args,
    violations: &[Violation],
    action: &str,
    reason: &str,
    commit: Option<&String>,
    status: ExitStatus,
) -> Result<ExitStatus> {
    if ctx.output.format == Format::Json {
        let doc = json!({
            "version": 1, "command": "guard", "environment": args.env,
            "healthy": violations.is_empty(), "violations": violations,
            "action": action, "reason": reason, "commit": commit,
        });
        ctx.output
            .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else {
        let mut text = String::new();
        if violations.is_empty() {
            text.push_str(&format!("{} is healthy: {reason}.\n", args.env));
        } else {
            for v in violations {
                text.push_str(&format!("violation: {}\n", v.describe()));
            }
            text.push_str(&format!("{action}: {reason}\n"));
        }
        ctx.output.result(&text)?;
    }
    Ok(status)
}
