//! `cfgctl flags validate|eval|explain|stage`

use super::Context;
use crate::change::{self, Action, Key, Message, Planned, Proposal};
use crate::error::{CliError, ExitStatus};
use crate::flags::jsonlogic::{FractionalStep, Step, to_js_string};
use crate::flags::rollout;
use crate::flags::stage::{self, Stage, fmt_percent};
use crate::flags::{self, FlagSet, Reason, Resolution, State};
use crate::output::findings::Report;
use crate::output::{Format, styles};
use crate::repo::{self, Source as _, WorkTree};
use anyhow::{Result, anyhow};
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: FlagsCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum FlagsCommand {
    /// Check flag files against the flagd schemas and cfgctl's flag rules
    Validate(ValidateArgs),
    /// Evaluate a flag for a context, as flagd does
    Eval(EvalArgs),
    /// Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash
    Explain(ExplainArgs),
    /// Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)
    Stage(StageArgs),
    /// Evaluate many (flag, context) pairs in one process and print the rate
    #[command(hide = true)]
    Bench(BenchArgs),
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Check only this environment's flag file
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// Exit 1 on warnings (stale flags) too
    #[arg(long)]
    pub deny_warnings: bool,
}

/// The evaluation context, from the command line.
#[derive(Debug, clap::Args)]
pub struct ContextArgs {
    /// Environment whose flag file (flags/ENV.flags.json or .yaml) is used
    #[arg(long, value_name = "ENV")]
    pub env: String,

    /// A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,

    /// A JSON or YAML file with the context object (--context values override it)
    #[arg(long, value_name = "FILE")]
    pub context_file: Option<PathBuf>,

    /// The targeting key (OpenFeature's user id), `targetingKey` in the context
    #[arg(long, value_name = "KEY")]
    pub targeting_key: Option<String>,

    /// `fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)
    #[arg(long, value_name = "GEN", default_value = "v2", value_parser = clap::builder::PossibleValuesParser::new(["v2", "v3"]))]
    pub fractional: String,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Flag key (omit with --all)
    #[arg(
        value_name = "FLAG",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub flag: Option<String>,

    /// Evaluate every flag of the environment
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub context: ContextArgs,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Flag key
    #[arg(value_name = "FLAG")]
    pub flag: String,

    #[command(flatten)]
    pub context: ContextArgs,
}

#[derive(Debug, clap::Args)]
pub struct StageArgs {
    /// Flag key
    #[arg(value_name = "FLAG")]
    pub flag: String,

    /// Target stage (or --next / --back along [flags.rollout])
    #[arg(value_name = "STAGE", value_parser = clap::builder::PossibleValuesParser::new(["disabled", "canary", "beta", "staged", "full"]), required_unless_present_any = ["next", "back"])]
    pub stage: Option<String>,

    /// Advance one step of the [flags.rollout] schedule (refused inside min_step_interval or after an unhealthy guard verdict)
    #[arg(long, conflicts_with_all = ["stage", "percent", "back"])]
    pub next: bool,

    /// Go one step back along the [flags.rollout] schedule (to disabled before the first)
    #[arg(long, conflicts_with_all = ["stage", "percent"])]
    pub back: bool,

    /// Environment whose flag file is changed
    #[arg(long, value_name = "ENV")]
    pub env: String,

    /// Rollout percentage for canary, beta and staged (default 5, 25, 50; steps of 0.01)
    #[arg(long, value_name = "N")]
    pub percent: Option<f64>,

    #[command(flatten)]
    pub write: super::WriteArgs,

    /// Include uncommitted changes of the flag file in the commit instead of refusing
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Number of evaluations
    #[arg(long, default_value_t = 1_000_000)]
    pub count: u64,

    #[command(flatten)]
    pub context: ContextArgs,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    match &args.command {
        FlagsCommand::Validate(a) => validate(a, ctx),
        FlagsCommand::Eval(a) => eval(a, ctx),
        FlagsCommand::Explain(a) => explain(a, ctx),
        FlagsCommand::Stage(a) => stage(a, ctx),
        FlagsCommand::Bench(a) => bench(a, ctx),
    }
}

fn validate(args: &ValidateArgs, ctx: &Context) -> Result<ExitStatus> {
    let root = repo::find_root(&ctx.cwd)?;
    let tree = WorkTree::new(&root);
    let paths = tree.list()?.paths;
    let files: Vec<String> = match &args.env {
        Some(env) => {
            declared(&tree, &paths, env)?;
            vec![flag_file(&paths, env)?]
        }
        None => paths
            .iter()
            .filter(|p| flags::env_of(p).is_some())
            .cloned()
            .collect(),
    };
    let today = flags::validate::today()?;
    let mut findings = Vec::new();
    for file in &files {
        findings.extend(flags::validate::check(file, &tree.read(file)?, today));
    }
    crate::finding::Finding::sort(&mut findings);
    let report = Report {
        command: "flags validate",
        source: tree.describe(),
        files,
        findings,
    };
    super::finish_report(&report, ctx, args.deny_warnings)
}

/// A loaded environment: its flag file and the evaluation context.
struct Loaded {
    file: String,
    set: FlagSet,
    context: Value,
    timestamp: i64,
}

fn load(args: &ContextArgs, ctx: &Context) -> Result<Loaded> {
    let root = repo::find_root(&ctx.cwd)?;
    let tree = WorkTree::new(&root);
    let paths = tree.list()?.paths;
    declared(&tree, &paths, &args.env)?;
    let file = flag_file(&paths, &args.env)?;
    let mut set = FlagSet::load(&file, &tree.read(&file)?)?;
    if args.fractional == "v3" {
        set.fractional = flags::fractional::Generation::V3;
    }
    let context = build_context(args, &ctx.cwd)?;
    let timestamp = crate::clock::now()?;
    Ok(Loaded {
        file,
        set,
        context,
        timestamp,
    })
}

/// Refuses a name that is neither a declared environment nor one with a flag file (a typo,
/// most likely), listing the environments.
fn declared(tree: &WorkTree, paths: &[String], env: &str) -> Result<()> {
    if flags::file_of(paths, env).is_some() {
        return Ok(());
    }
    let config = crate::config::read(tree, crate::config::Presence::Optional)?;
    crate::environment::Environments::of(&config).get(env)?;
    Ok(())
}

fn flag_file(paths: &[String], env: &str) -> Result<String> {
    if let Some(file) = flags::file_of(paths, env) {
        return Ok(file.clone());
    }
    let known: Vec<&str> = paths.iter().filter_map(|p| flags::env_of(p)).collect();
    let hint = if known.is_empty() {
        format!(
            "create {}{env}.flags.json in flagd format",
            flags::FLAGS_DIR
        )
    } else {
        format!("environments with flags: {}", known.join(", "))
    };
    Err(CliError::new(anyhow!(
        "environment `{env}` has no flag file ({}{env}.flags.json)",
        flags::FLAGS_DIR
    ))
    .with_hint(hint)
    .into())
}

/// Builds the context object: the file first, then `--context`, then `--targeting-key`.
fn build_context(args: &ContextArgs, cwd: &Path) -> Result<Value> {
    let mut context = Map::new();
    if let Some(file) = &args.context_file {
        let shown = file.display().to_string();
        let bytes = std::fs::read(cwd.join(file))
            .map_err(|e| CliError::new(anyhow!("cannot read `{shown}`: {e}")))?;
        let format =
            crate::document::Format::from_path(&shown).unwrap_or(crate::document::Format::Json);
        let doc = crate::document::parse(&bytes, format, &crate::document::Limits::default())
            .map_err(|e| e.in_file(&shown))?;
        match doc.roots.first().map(|r| r.to_json()) {
            Some(Value::Object(map)) => context = map,
            _ => {
                return Err(
                    CliError::new(anyhow!("{shown}:1:1: the context must be an object")).into(),
                );
            }
        }
    }
    for pair in &args.context {
        let (key, raw) = pair.split_once('=').ok_or_else(|| {
            CliError::new(anyhow!("`--context {pair}` is not KEY=VALUE"))
                .with_hint("e.g. --context plan=pro --context age=42 --context 'id=\"42\"'")
        })?;
        let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()));
        insert_dotted(&mut context, key, value);
    }
    if let Some(key) = &args.targeting_key {
        context.insert("targetingKey".into(), Value::String(key.clone()));
    }
    Ok(Value::Object(context))
}

fn insert_dotted(map: &mut Map<String, Value>, key: &str, value: Value) {
    match key.split_once('.') {
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            insert_dotted(entry.as_object_mut().expect("made an object"), rest, value);
        }
        None => {
            map.insert(key.to_string(), value);
        }
    }
}

fn eval(args: &EvalArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "flags eval")?;
    let loaded = load(&args.context, ctx)?;
    let keys: Vec<String> = match &args.flag {
        Some(flag) => vec![flag.clone()],
        None => loaded.set.flags.keys().cloned().collect(),
    };
    let results: Vec<(String, Resolution)> = keys
        .into_iter()
        .map(|key| {
            let r = loaded
                .set
                .evaluate(&key, &loaded.context, loaded.timestamp, None);
            (key, r)
        })
        .collect();
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({
            "version": 1,
            "command": "flags eval",
            "env": args.context.env,
            "file": loaded.file,
            "context": loaded.context,
            "results": results.iter().map(|(k, r)| result_json(k, r)).collect::<Vec<_>>(),
        });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else if args.all {
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
        table.set_header(vec!["flag", "value", "variant", "reason"]);
        for (key, r) in &results {
            table.add_row(vec![
                out.paint(styles::FILE, key),
                value_text(r),
                r.variant.clone().unwrap_or_else(|| "—".into()),
                reason_text(r),
            ]);
        }
        out.result(&format!("{table}\n"))?;
    } else {
        let (key, r) = &results[0];
        let mut text = format!(
            "{} = {}\nvariant: {}\nreason: {}\n",
            out.paint(styles::FILE, key),
            value_text(r),
            r.variant.as_deref().unwrap_or("—"),
            reason_text(r)
        );
        if let Some(message) = &r.error_message {
            text.push_str(&format!("error: {message}\n"));
        }
        out.result(&text)?;
    }
    Ok(if results.iter().any(|(_, r)| r.reason == Reason::Error) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

fn result_json(key: &str, r: &Resolution) -> Value {
    json!({
        "flag": key,
        "value": r.value,
        "variant": r.variant,
        "reason": r.reason,
        "error_code": r.error_code,
        "error_message": r.error_message,
        "metadata": r.metadata.as_ref(),
    })
}

fn value_text(r: &Resolution) -> String {
    match &r.value {
        Some(v) => serde_json::to_string(v).unwrap_or_default(),
        None => "(caller default)".into(),
    }
}

fn reason_text(r: &Resolution) -> String {
    match r.error_code {
        Some(code) => format!("{} {}", r.reason.as_str(), code.as_str()),
        None => r.reason.as_str().to_string(),
    }
}

fn explain(args: &ExplainArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "flags explain")?;
    let loaded = load(&args.context, ctx)?;
    let trace = RefCell::new(Vec::new());
    let r = loaded
        .set
        .evaluate(&args.flag, &loaded.context, loaded.timestamp, Some(&trace));
    let steps = trace.into_inner();
    let evaluators = normalized_evaluators(&loaded.set);
    let flag = loaded.set.flags.get(&args.flag);
    let refs: Vec<String> = match flag.map(|f| &f.targeting) {
        Some(flags::Targeting::Rule { refs, .. }) => refs.clone(),
        _ => Vec::new(),
    };
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({
            "version": 1,
            "command": "flags explain",
            "env": args.context.env,
            "file": loaded.file,
            "flag": args.flag,
            "state": flag.map(|f| f.state),
            "stage": flag.and_then(|f| f.stage()),
            "default_variant": flag.and_then(|f| f.default_variant.clone()),
            "evaluators": refs,
            "context": loaded.context,
            "steps": steps.iter().map(|s| step_json(s, &evaluators)).collect::<Vec<_>>(),
            "result": result_json(&args.flag, &r),
        });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(exit_for(&r));
    }
    let mut text = String::new();
    let Some(flag) = flag else {
        text.push_str(&format!("{} has no flag `{}`.\n", loaded.file, args.flag));
        out.result(&text)?;
        return Ok(ExitStatus::Findings);
    };
    text.push_str(&format!(
        "{} in {} ({}{})\n",
        out.paint(styles::FILE, &args.flag),
        loaded.file,
        match flag.state {
            State::Enabled => "ENABLED",
            State::Disabled => "DISABLED",
        },
        flag.stage()
            .map(|s| format!(", stage {s}"))
            .unwrap_or_default()
    ));
    text.push_str(&format!(
        "context: {}\n",
        serde_json::to_string(&loaded.context)?
    ));
    match &flag.targeting {
        _ if flag.state == State::Disabled => {
            text.push_str("The flag is DISABLED: callers get their own default value.\n");
        }
        flags::Targeting::None => text.push_str(&format!(
            "No targeting: everyone gets the default variant `{}`.\n",
            flag.default_variant.as_deref().unwrap_or("(none)")
        )),
        flags::Targeting::Invalid(why) => text.push_str(&format!("{why}.\n")),
        flags::Targeting::Rule { .. } => {
            if !refs.is_empty() {
                text.push_str(&format!("evaluators used: {}\n", refs.join(", ")));
            }
            if steps.is_empty() {
                text.push_str("The rule has no conditions or splits; its result decides.\n");
            }
            for step in &steps {
                text.push_str(&step_text(step, &evaluators));
            }
        }
    }
    text.push_str(&format!(
        "result: {} (variant {}, {})\n",
        value_text(&r),
        r.variant.as_deref().unwrap_or("—"),
        reason_text(&r)
    ));
    if let Some(message) = &r.error_message {
        text.push_str(&format!("error: {message}\n"));
    }
    out.result(&text)?;
    Ok(exit_for(&r))
}

fn exit_for(r: &Resolution) -> ExitStatus {
    if r.reason == Reason::Error {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// The evaluators as compiled rules print them, to recognise them inside a condition.
fn normalized_evaluators(set: &FlagSet) -> Vec<(String, Value)> {
    set.evaluators
        .iter()
        .filter_map(|(name, body)| {
            let expr = crate::flags::jsonlogic::Expr::compile(body).ok()?;
            Some((name.clone(), expr.to_json()))
        })
        .collect()
}

/// Puts `{"$ref": NAME}` back where a condition contains an evaluator, as the file says it.
fn with_refs(value: &Value, evaluators: &[(String, Value)]) -> Value {
    if let Some((name, _)) = evaluators.iter().find(|(_, body)| body == value) {
        return json!({ "$ref": name });
    }
    match value {
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| with_refs(v, evaluators)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), with_refs(v, evaluators)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn step_json(step: &Step, evaluators: &[(String, Value)]) -> Value {
    match step {
        Step::If {
            branch,
            condition,
            conditions,
        } => json!({
            "kind": "if",
            "matched": branch.map(|b| b + 1),
            "conditions": conditions,
            "condition": condition.as_ref().map(|c| with_refs(c, evaluators)),
        }),
        Step::Fractional(f) => json!({
            "kind": "fractional",
            "key": f.key,
            "key_encoding": if f.cbor { "cbor-hex" } else { "utf-8" },
            "shorthand": f.shorthand,
            "hash": f.hash,
            "total": f.total,
            "bucket": f.bucket,
            "ranges": f.ranges.iter().map(|(variant, from, to)| json!({
                "variant": variant, "from": from, "to": to,
            })).collect::<Vec<_>>(),
            "variant": f.ranges[f.chosen].0,
        }),
        Step::FractionalNull(why) => json!({"kind": "fractional", "null": why}),
    }
}

fn step_text(step: &Step, evaluators: &[(String, Value)]) -> String {
    match step {
        Step::If {
            branch: Some(b),
            condition,
            conditions,
        } => format!(
            "rule {} of {conditions} matched: {}\n",
            b + 1,
            condition
                .as_ref()
                .map(|c| serde_json::to_string(&with_refs(c, evaluators)).unwrap_or_default())
                .unwrap_or_default()
        ),
        Step::If {
            branch: None,
            conditions,
            ..
        } => format!("no rule matched ({conditions} tried): the else branch applies\n"),
        Step::Fractional(f) => fractional_text(f),
        Step::FractionalNull(why) => format!("fractional gave no variant: {why}\n"),
    }
}

fn fractional_text(f: &FractionalStep) -> String {
    let mut text = match (f.cbor, f.shorthand) {
        (false, false) => format!("fractional split, bucketing key \"{}\"\n", f.key),
        (false, true) => format!(
            "fractional split, bucketing key \"{}\" (flag key + targetingKey)\n",
            f.key
        ),
        (true, false) => format!("fractional v3 split, bucketing key CBOR {}\n", f.key),
        (true, true) => format!(
            "fractional v3 split, bucketing key CBOR {} ([flag key, targetingKey])\n",
            f.key
        ),
    };
    text.push_str(&format!(
        "  murmur3_x86_32(key) = {} (0x{:08x})\n  bucket = (hash × {}) >> 32 = {} of {}\n",
        f.hash, f.hash, f.total, f.bucket, f.total
    ));
    for (i, (variant, from, to)) in f.ranges.iter().enumerate() {
        let mark = if i == f.chosen { "  ← here" } else { "" };
        text.push_str(&format!(
            "  {:<12} [{from}, {to}){mark}\n",
            to_js_string(variant)
        ));
    }
    text
}

fn stage(args: &StageArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "flags stage")?;
    if let Some(stage) = &args.stage {
        let to = Stage::parse(stage).expect("clap checks the stage");
        if args.percent.is_some() && matches!(to, Stage::Disabled | Stage::Full) {
            return Err(CliError::new(anyhow!(
                "--percent applies to canary, beta and staged, not {}",
                to.as_str()
            ))
            .into());
        }
    }
    let root = repo::find_root(&ctx.cwd)?;
    let tree = WorkTree::new(&root);
    let config = crate::config::read(&tree, crate::config::Presence::Required)?;
    // The lock comes before the read: a second writer plans on the first one's commit.
    let writer = change::begin(
        &root,
        args.write.execute,
        &format!("flags stage {} --env {}", args.flag, args.env),
    )?;
    let file = flag_file(&tree.list()?.paths, &args.env)?;
    let text =
        String::from_utf8(tree.read(&file)?).map_err(|_| anyhow!("{file}: not valid UTF-8"))?;
    let scheduled = match &args.stage {
        Some(_) => None,
        None => Some(schedule(args, &config, &root, &file, &text)?),
    };
    let (to, percent) = match (&args.stage, &scheduled) {
        (Some(stage), _) => (
            Stage::parse(stage).expect("clap checks the stage"),
            args.percent,
        ),
        (None, Some(Some(s))) => (s.to, s.percent),
        (None, _) => {
            let (steps, _) = config.rollout(&args.env).unwrap_or_default();
            let end = if args.next {
                "at the last step"
            } else {
                "disabled, before the first step"
            };
            ctx.output.problem(&format!(
                "refused: `{}` is already {end} of [flags.rollout] in {} ({})",
                args.flag,
                args.env,
                steps
                    .iter()
                    .map(|p| format!("{}%", fmt_percent(*p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return Ok(ExitStatus::Findings);
        }
    };
    let scheduled = scheduled.flatten();
    let plan = stage::plan(&file, &text, &args.flag, to, percent)
        .map_err(|e| CliError::new(e).with_hint("see `cfgctl flags validate`"))?;
    let mut commits = Vec::new();
    if !plan.changes.is_empty() {
        let mut message = commit_message(&plan, &file);
        if let Some(s) = &scheduled {
            message.body = Some(format!(
                "{}\n\n{}",
                message.body.clone().unwrap_or_default(),
                s.describe()
            ));
        }
        commits.push(Planned {
            tree: writer.tree_with_files(&[(file.clone(), plan.text.clone().into_bytes())])?,
            changed: vec![file.clone()],
            message,
        });
    }
    let blockers = scheduled
        .as_ref()
        .map(|s| s.blockers.clone())
        .unwrap_or_default();
    let proposal = Proposal {
        action: Action::FlagsStage,
        env: Some(args.env.clone()),
        commits,
        tag: None,
        branch: None,
    };
    let options = change::Options {
        allow_dirty: args.force,
        ..args.write.options()
    };
    let outcome = change::finish(writer, &config, proposal, &options, blockers)?;
    print_stage(ctx, args, &file, &plan, scheduled.as_ref(), &outcome)?;
    let done = match outcome.commits.first() {
        Some(sha) => format!("Committed: {}", &sha[..7]),
        None => String::new(),
    };
    Ok(super::finish_change(
        ctx,
        &outcome,
        &format!("Nothing to change: {} is already there.", plan.flag),
        &done,
    ))
}

/// A step along `[flags.rollout]`: where it goes and what stands in its way.
#[derive(Debug, Clone, serde::Serialize)]
struct Scheduled {
    direction: &'static str,
    #[serde(skip)]
    to: Stage,
    #[serde(skip)]
    percent: Option<f64>,
    steps: Vec<f64>,
    /// 1-based step of the schedule it goes to (null for disabled, before the first).
    step: Option<usize>,
    min_step_interval: Option<String>,
    last_moved: Option<rollout::Move>,
    blockers: Vec<String>,
}

impl Scheduled {
    fn describe(&self) -> String {
        let at = match self.step {
            Some(n) => format!("step {n} of {}", self.steps.len()),
            None => "before the first step".to_string(),
        };
        format!("[flags.rollout] --{}: {at}.", self.direction)
    }
}

/// Plans `--next` / `--back`: the step, and (for `--next`) the interval since the flag last
/// moved and guard's last verdict as blockers. `None` when there is no step that way.
fn schedule(
    args: &StageArgs,
    config: &crate::config::Config,
    root: &Path,
    file: &str,
    text: &str,
) -> Result<Option<Scheduled>> {
    let (steps, interval) = config.rollout(&args.env).ok_or_else(|| {
        CliError::new(anyhow!("no [flags.rollout] steps in cfgctl.toml for {}", args.env))
            .with_hint("add for example: [flags.rollout] steps = [10, 25, 50, 75, 100] and min_step_interval = \"30m\"")
    })?;
    let current = stage::current_percent(file, text, &args.flag)?.ok_or_else(|| {
        CliError::new(anyhow!(
            "{file}: `{}` has no single rollout split to step along",
            args.flag
        ))
        .with_hint("stage it once by hand: cfgctl flags stage FLAG canary --env ENV")
    })?;
    let direction = if args.next {
        rollout::Direction::Next
    } else {
        rollout::Direction::Back
    };
    let Some(percent) = rollout::step(&steps, current, direction) else {
        return Ok(None);
    };
    let mut commits = Vec::new();
    repo::history::walk(root, &mut |commit| {
        commits.push(commit);
        true
    })?;
    let last_moved = rollout::last_move(&args.flag, &args.env, &commits);
    let history: Vec<crate::history::Entry> = commits
        .into_iter()
        .map(|c| crate::history::entry(c, &config.repo.environments))
        .collect();
    let blockers = if args.next {
        let verdict = crate::guard::state::last_verdict(root, &args.env, &history)?.map(
            |(subject, record)| rollout::GuardVerdict {
                verdict: record.verdict.as_str().to_string(),
                bad: record.verdict.is_bad(),
                time: record.time,
                change: subject.sha,
                kind: subject.kind,
                violations: record.violations,
            },
        );
        rollout::blockers(
            &args.flag,
            &args.env,
            interval,
            last_moved.as_ref(),
            verdict.as_ref(),
            crate::clock::now()?,
        )
    } else {
        Vec::new()
    };
    let to = rollout::stage_for(percent);
    Ok(Some(Scheduled {
        direction: if args.next { "next" } else { "back" },
        to,
        percent: (!matches!(to, Stage::Disabled | Stage::Full)).then_some(percent),
        step: rollout::position(&steps, percent),
        steps,
        min_step_interval: interval.map(crate::clock::format_duration),
        last_moved,
        blockers,
    }))
}

fn describe(stage: Option<&str>, percent: Option<f64>) -> String {
    let stage = stage.unwrap_or("no stage");
    match percent {
        Some(p) if stage != "disabled" && stage != "full" => {
            format!("{stage} ({}%)", fmt_percent(p))
        }
        _ => stage.to_string(),
    }
}

fn commit_message(plan: &stage::Plan, file: &str) -> Message {
    let to = describe(Some(plan.to.as_str()), plan.to_percent);
    Message::new(format!(
        "flags: {} to {to} in {}",
        plan.flag,
        env_of_file(file)
    ))
    .body(format!(
        "{file}: {} -> {to}",
        describe(plan.from.as_deref(), plan.from_percent)
    ))
    .with(Key::Flag, &plan.flag)
    .with(Key::Stage, plan.to.as_str())
}

fn env_of_file(file: &str) -> &str {
    flags::env_of(file).unwrap_or(file)
}

fn print_stage(
    ctx: &Context,
    args: &StageArgs,
    file: &str,
    plan: &stage::Plan,
    scheduled: Option<&Scheduled>,
    outcome: &change::Outcome,
) -> Result<()> {
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({
            "version": 1,
            "command": "flags stage",
            "env": args.env,
            "file": file,
            "flag": plan.flag,
            "from": {"stage": plan.from, "percent": plan.from_percent},
            "to": {"stage": plan.to, "percent": plan.to_percent},
            "changes": plan.changes,
            "warnings": plan.warnings,
            "schedule": scheduled,
            "commit": outcome.commits.first(),
        });
        return super::print_change_json(ctx, doc, outcome);
    }
    let mut text = format!(
        "{} in {file}: {} -> {}\n",
        out.paint(styles::FILE, &plan.flag),
        describe(plan.from.as_deref(), plan.from_percent),
        describe(Some(plan.to.as_str()), plan.to_percent),
    );
    for change in &plan.changes {
        let show = |v: &Option<Value>| {
            v.as_ref().map_or("(absent)".to_string(), |v| {
                serde_json::to_string(v).unwrap_or_default()
            })
        };
        text.push_str(&format!(
            "  {}: {} -> {}\n",
            out.paint(styles::PATH, &change.pointer),
            show(&change.before),
            show(&change.after)
        ));
    }
    if plan.changes.is_empty() {
        text.push_str("  nothing to change\n");
    }
    if let Some(s) = scheduled {
        text.push_str(&format!("  {}\n", s.describe()));
    }
    out.plan(&text)?;
    for warning in &plan.warnings {
        out.warn(warning);
    }
    Ok(())
}

/// Evaluates `count` (flag, context) pairs, cycling over the environment's flags with a
/// different targeting key each time, and prints the rate.
fn bench(args: &BenchArgs, ctx: &Context) -> Result<ExitStatus> {
    let loaded = load(&args.context, ctx)?;
    let keys: Vec<&String> = loaded.set.flags.keys().collect();
    if keys.is_empty() {
        return Err(CliError::new(anyhow!("{} has no flags", loaded.file)).into());
    }
    let mut context = loaded.context.clone();
    let started = std::time::Instant::now();
    let mut matched = 0u64;
    for i in 0..args.count {
        let key = keys[(i % keys.len() as u64) as usize];
        if let Some(map) = context.as_object_mut() {
            map.insert("targetingKey".into(), Value::String(format!("user-{i}")));
        }
        let r = loaded.set.evaluate(key, &context, loaded.timestamp, None);
        matched += u64::from(r.reason == Reason::TargetingMatch);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rate = args.count as f64 / elapsed;
    let out = &ctx.output;
    if out.format == Format::Json {
        let doc = json!({
            "version": 1, "command": "flags bench", "file": loaded.file,
            "flags": keys.len(), "evaluations": args.count, "targeting_matches": matched,
            "seconds": elapsed, "per_second": rate,
        });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else {
        out.result(&format!(
            "{} evaluations of {} flags in {elapsed:.3} s: {rate:.0} per second ({matched} targeting matches)\n",
            args.count,
            keys.len()
        ))?;
    }
    Ok(ExitStatus::Success)
}

/// One flag's stage (or, without `metadata.stage`, its state) per environment.
pub type FlagStages = (String, Vec<(String, String)>);

/// The stage of every flag in every environment that has a flag file (for `status`), flags
/// in first-seen order.
pub fn stages_by_env(root: &Path, envs: &[String]) -> Result<Vec<FlagStages>> {
    let tree = WorkTree::new(root);
    let paths = tree.list()?.paths;
    let mut rows: Vec<FlagStages> = Vec::new();
    let model = crate::environment::Environments::new(envs);
    for env in envs {
        let Some(file) = model.get(env)?.flag_file(&paths) else {
            continue;
        };
        let Ok(set) = FlagSet::load(file, &tree.read(file)?) else {
            continue;
        };
        for (key, flag) in &set.flags {
            let stage = match (flag.stage(), flag.state) {
                (Some(stage), _) => stage.to_string(),
                (None, State::Enabled) => "enabled".to_string(),
                (None, State::Disabled) => "disabled".to_string(),
            };
            match rows.iter_mut().find(|(k, _)| k == key) {
                Some((_, cells)) => cells.push((env.clone(), stage)),
                None => rows.push((key.clone(), vec![(env.clone(), stage)])),
            }
        }
    }
    Ok(rows)
}

/// Where a flag stands in one environment's rollout, for `status`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RolloutCell {
    /// The rollout percentage (null when the flag has no single on/off split).
    pub percent: Option<f64>,
    /// The 1-based step of `[flags.rollout]` it is on, when it is on one.
    pub step: Option<usize>,
    pub steps: Option<usize>,
    /// The commit that last moved it there (a flag stage, or the rollback of one).
    pub moved: Option<rollout::Move>,
}

/// Each flag's rollout percentage, step and last move per environment: `(flag, env, cell)`.
pub fn rollout_by_env(
    root: &Path,
    config: &crate::config::Config,
) -> Result<Vec<(String, String, RolloutCell)>> {
    let tree = WorkTree::new(root);
    let paths = tree.list()?.paths;
    let envs = &config.repo.environments;
    let model = crate::environment::Environments::new(envs);
    let mut history = Vec::new();
    repo::history::walk(root, &mut |commit| {
        history.push(commit);
        true
    })?;
    let mut out = Vec::new();
    for env in envs {
        let Some(file) = model.get(env)?.flag_file(&paths) else {
            continue;
        };
        let Ok(text) = String::from_utf8(tree.read(file)?) else {
            continue;
        };
        let Ok(set) = FlagSet::load(file, text.as_bytes()) else {
            continue;
        };
        let steps = config.rollout(env).map(|(steps, _)| steps);
        for key in set.flags.keys() {
            let percent = stage::current_percent(file, &text, key).ok().flatten();
            out.push((
                key.clone(),
                env.clone(),
                RolloutCell {
                    percent,
                    step: steps
                        .as_ref()
                        .zip(percent)
                        .and_then(|(s, p)| rollout::position(s, p)),
                    steps: steps.as_ref().map(Vec::len),
                    moved: rollout::last_move(key, env, &history),
                },
            ));
        }
    }
    Ok(out)
}
