//! `cfgctl secrets …`: age-encrypted values in the SOPS file format.

use super::Context;
use crate::document::{self, Format as DocFormat, Limits, Node, Value};
use crate::error::{CliError, ExitStatus};
use crate::finding::{Finding, Severity};
use crate::output::findings::Report;
use crate::output::{Format, styles};
use crate::repo;
use crate::secrets::check;
use crate::secrets::keys::{self, Keyring};
use crate::secrets::rekey::{self, Mode};
use crate::secrets::rules::{self as creation, CreationRules, Target};
use crate::secrets::{self, OpenError, Opened, SecretFile, Store};
use anyhow::{Context as _, Result, anyhow, bail};
use rayon::prelude::*;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: SecretsCommand,
}

/// `--identity`, for the subcommands that decrypt.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct IdentityArgs {
    /// An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY,
    /// SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys
    #[arg(long, value_name = "FILE")]
    pub identity: Vec<PathBuf>,
}

/// `--config`, for the subcommands that encrypt for the recipients of a creation rule.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RulesArgs {
    /// The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest
    /// .sops.yaml in the current directory or its parents)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum SecretsCommand {
    /// Create an age identity where sops looks for it and print its public recipient
    Keygen(KeygenArgs),
    /// Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names
    Encrypt(EncryptArgs),
    /// Decrypt a file (to stdout unless --in-place or --output)
    Decrypt(DecryptArgs),
    /// Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt
    Edit(EditArgs),
    /// Set one value (encrypted if the file's rule says so)
    Set(SetArgs),
    /// Remove one value
    Unset(UnsetArgs),
    /// Print one decrypted value
    Get(GetArgs),
    /// Re-wrap data keys for the recipients .sops.yaml names now
    Updatekeys(BulkArgs),
    /// Give files a new data key and re-encrypt every value
    Rotate(BulkArgs),
    /// List the encrypted files: recipients, values, age (no key needed)
    List(ListArgs),
    /// Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)
    Check(CheckArgs),
    /// Run a command with a file's values as environment variables
    Exec(ExecArgs),
    /// Make Git merge encrypted files by key path and show them decrypted in `git diff`
    GitSetup(GitSetupArgs),
    /// Merge an encrypted file three-way by key path (Git's merge driver; see git-setup)
    MergeDriver(MergeDriverArgs),
    /// Print an encrypted file decrypted, or masked without a key (Git's textconv; see
    /// git-setup)
    Textconv(TextconvArgs),
}

#[derive(Debug, clap::Args)]
pub struct GitSetupArgs {
    /// Show what would be written without writing it
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (Git's %O)
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// Ours (Git's %A): the merged result is written here
    #[arg(value_name = "OURS")]
    pub ours: PathBuf,
    /// Theirs (Git's %B)
    #[arg(value_name = "THEIRS")]
    pub theirs: PathBuf,
    /// The file's path in the repository (Git's %P): picks the format, names it in messages
    #[arg(value_name = "PATH")]
    pub path: String,
    #[command(flatten)]
    pub keys: IdentityArgs,
}

#[derive(Debug, clap::Args)]
pub struct TextconvArgs {
    pub file: PathBuf,
    #[command(flatten)]
    pub keys: IdentityArgs,
}

#[derive(Debug, clap::Args)]
pub struct KeygenArgs {
    /// Where to write the identity (default: $XDG_CONFIG_HOME/sops/age/keys.txt)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct EncryptArgs {
    /// The file(s) to encrypt; several need --in-place
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Replace each FILE with its encrypted version
    #[arg(long, short = 'i', conflicts_with = "output")]
    pub in_place: bool,
    /// Write the encrypted file here (its path picks the .sops.yaml rule)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Encrypt for these recipients instead of the .sops.yaml rule's (repeatable)
    #[arg(long, value_name = "RECIPIENT")]
    pub age: Vec<String>,
    #[command(flatten)]
    pub rules: RulesArgs,
}

#[derive(Debug, clap::Args)]
pub struct DecryptArgs {
    pub file: PathBuf,
    /// Replace FILE with the decrypted version
    #[arg(long, short = 'i', conflicts_with = "output")]
    pub in_place: bool,
    /// Write the plaintext here
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write plaintext even into a file Git tracks
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub keys: IdentityArgs,
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The file to edit (created, encrypted by its .sops.yaml rule, if it does not exist)
    pub file: PathBuf,
    #[command(flatten)]
    pub keys: IdentityArgs,
    #[command(flatten)]
    pub rules: RulesArgs,
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    pub file: PathBuf,
    /// Dot-separated key path, e.g. database.password
    pub key_path: String,
    /// The value (a string unless --json); omit with --stdin
    #[arg(required_unless_present = "stdin")]
    pub value: Option<String>,
    /// Read the value from standard input (keeps it out of shell history)
    #[arg(long, conflicts_with = "value")]
    pub stdin: bool,
    /// Parse the value as JSON (numbers, booleans, lists, objects)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub keys: IdentityArgs,
    #[command(flatten)]
    pub write: super::set::Writing,
}

#[derive(Debug, clap::Args)]
pub struct UnsetArgs {
    pub file: PathBuf,
    /// Dot-separated key path, e.g. database.password
    pub key_path: String,
    #[command(flatten)]
    pub keys: IdentityArgs,
    #[command(flatten)]
    pub write: super::set::Writing,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Files or directories (default: every encrypted file in the repository)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct GetArgs {
    pub file: PathBuf,
    /// Dot-separated key path, e.g. database.password
    pub key_path: String,
    #[command(flatten)]
    pub keys: IdentityArgs,
}

#[derive(Debug, clap::Args)]
pub struct BulkArgs {
    /// Files or directories (default: every encrypted file in the repository)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Show what would change without writing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub keys: IdentityArgs,
    #[command(flatten)]
    pub rules: RulesArgs,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories (default: the whole repository)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Report encrypted files whose values were last written longer ago than this (`lastmodified`;
    /// a number and h, d, w or y: 90d, 12w, 1y)
    #[arg(long, value_name = "AGE")]
    pub max_age: Option<String>,
    #[command(flatten)]
    pub keys: IdentityArgs,
    #[command(flatten)]
    pub rules: RulesArgs,
}

#[derive(Debug, clap::Args)]
pub struct ExecArgs {
    pub file: PathBuf,
    #[command(flatten)]
    pub keys: IdentityArgs,
    /// The command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    // Only `check` reports findings, so only it speaks the CI formats.
    if !matches!(args.command, SecretsCommand::Check(_)) {
        super::require_format(ctx, &[Format::Human, Format::Json], "secrets")?;
    }
    match &args.command {
        SecretsCommand::Keygen(a) => keygen(a, ctx),
        SecretsCommand::Encrypt(a) => encrypt(a, ctx),
        SecretsCommand::Decrypt(a) => decrypt(a, ctx),
        SecretsCommand::Edit(a) => edit(a, ctx),
        SecretsCommand::Set(a) => set(a, ctx),
        SecretsCommand::Unset(a) => unset(a, ctx),
        SecretsCommand::List(a) => list(a, ctx),
        SecretsCommand::Get(a) => get(a, ctx),
        SecretsCommand::Updatekeys(a) => rekey(a, ctx, Mode::Update),
        SecretsCommand::Rotate(a) => rekey(a, ctx, Mode::Rotate),
        SecretsCommand::Check(a) => check(a, ctx),
        SecretsCommand::Exec(a) => exec(a, ctx),
        SecretsCommand::GitSetup(a) => git_setup(a, ctx),
        SecretsCommand::MergeDriver(a) => merge_driver(a, ctx),
        SecretsCommand::Textconv(a) => textconv(a, ctx),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared steps

fn keyring(args: &IdentityArgs) -> Result<Keyring> {
    Keyring::load(&args.identity)
}

fn creation_rules(args: &RulesArgs, ctx: &Context) -> Result<Option<CreationRules>> {
    match creation::find(&ctx.cwd, args.config.as_deref()) {
        Some(file) => CreationRules::load(&file).map(Some),
        None => Ok(None),
    }
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| anyhow!("{}: not UTF-8 text", path.display()))
}

fn read_secret(path: &Path) -> Result<SecretFile> {
    let label = path.display().to_string();
    let text = read_text(path)?;
    secrets::read(&label, text.as_bytes())?.ok_or_else(|| {
        CliError::new(anyhow!("{label}: not encrypted (no `sops` metadata)"))
            .with_hint(format!(
                "encrypt it with `cfgctl secrets encrypt --in-place {label}`"
            ))
            .into()
    })
}

/// Opens a file, turning key and tampering problems into messages that say what to do.
/// Tampering is a finding (exit 1); a missing identity is an operational error (exit 2).
fn open_file(file: &SecretFile, ring: &Keyring, label: &str) -> Result<Opened, Failure> {
    secrets::open(file, ring).map_err(|e| Failure::from_open(e, label))
}

enum Failure {
    Tampered(String),
    Error(anyhow::Error),
}

impl Failure {
    fn from_open(err: OpenError, label: &str) -> Failure {
        match err {
            OpenError::MacMismatch => {
                Failure::Tampered(format!("{label}: {}", OpenError::MacMismatch))
            }
            OpenError::Value { location, message } => {
                Failure::Tampered(format!("{label}: {location}: {message}"))
            }
            missing @ OpenError::NoIdentity { .. } => Failure::Error(missing.explain(label)),
        }
    }

    /// Reports the failure and returns the exit status it means.
    fn report(self, ctx: &Context) -> Result<ExitStatus> {
        match self {
            Failure::Tampered(line) => {
                let prefix = ctx.output.paint(styles::ERROR, "error");
                ctx.output.problem(&format!("{prefix}: {line}"));
                Ok(ExitStatus::Findings)
            }
            Failure::Error(e) => Err(e),
        }
    }
}

fn format_of(store: Store) -> DocFormat {
    match store {
        Store::Json => DocFormat::Json,
        _ => DocFormat::Yaml,
    }
}

/// The writer for this run's files: atomic replacement with the temporary file in the
/// workspace's Git directory (created 0600), never through a symbolic link.
fn writer(ctx: &Context) -> Result<repo::AtomicWriter> {
    repo::AtomicWriter::new(&workspace(ctx))
}

fn seal_new(store: Store, plaintext: &str, target: &Target) -> Result<String> {
    secrets::seal_new(store, plaintext, target, &secrets::now_rfc3339()?)
}

fn reseal(file: &SecretFile, opened: &Opened, plaintext: &str) -> Result<String> {
    secrets::reseal(file, opened, plaintext, &secrets::now_rfc3339()?)
}

fn parse_plain(store: Store, text: &str, label: &str) -> Result<Node> {
    if store == Store::Dotenv {
        return secrets::dotenv::to_node(text).map_err(|e| anyhow!("{label}: {e}"));
    }
    let doc = document::parse_secret(text.as_bytes(), format_of(store), &Limits::default())
        .map_err(|e| e.in_file(label))?;
    doc.roots
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("{label}: empty document"))
}

fn split_path(key_path: &str) -> Vec<String> {
    key_path.split('.').map(str::to_string).collect()
}

// ---------------------------------------------------------------------------------------------
// keygen

fn keygen(args: &KeygenArgs, ctx: &Context) -> Result<ExitStatus> {
    let path = match &args.output {
        Some(p) => ctx.cwd.join(p),
        None => keys::default_identity_path().ok_or_else(|| {
            anyhow!("neither XDG_CONFIG_HOME nor HOME is set; pass --output FILE")
        })?,
    };
    if path.exists() {
        return Err(CliError::new(anyhow!(
            "{} already exists; cfgctl never overwrites an identity",
            path.display()
        ))
        .with_hint(
            "keep it (its public key is on its `# public key:` line), or pass --output NEW_FILE",
        )
        .into());
    }
    let (text, recipient) = keys::generate();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    secrets::edit::write_private(&path, text.as_bytes())?;
    if ctx.output.format == Format::Json {
        let doc = json!({"version": 1, "command": "secrets keygen", "recipient": recipient, "identity_file": path});
        ctx.output
            .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else {
        ctx.output.result(&format!("{recipient}\n"))?;
        ctx.output.status(&format!(
            "wrote a new age identity to {} (mode 0600); add the recipient above to .sops.yaml",
            path.display()
        ));
    }
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// encrypt / decrypt

fn encrypt(a: &EncryptArgs, ctx: &Context) -> Result<ExitStatus> {
    if a.files.len() > 1 {
        if !a.in_place {
            return Err(
                CliError::new(anyhow!("several files can only be encrypted --in-place")).into(),
            );
        }
        return encrypt_many(a, ctx);
    }
    let path = ctx.cwd.join(&a.files[0]);
    let label = a.files[0].display().to_string();
    let text = read_text(&path)?;
    if secrets::read(&label, text.as_bytes())?.is_some() {
        return Err(CliError::new(anyhow!("{label} is already encrypted"))
            .with_hint("use `cfgctl secrets rotate` for a new data key, or `updatekeys` for new recipients")
            .into());
    }
    let destination = match (&a.output, a.in_place) {
        (Some(out), _) => Some(ctx.cwd.join(out)),
        (None, true) => Some(path.clone()),
        (None, false) => None,
    };
    let rule_path = destination.as_deref().unwrap_or(&path);
    let rules = creation_rules(&a.rules, ctx)?;
    let target = creation::target(rule_path, &a.age, rules.as_ref())?;
    let store = Store::from_path(&rule_path.to_string_lossy());
    let sealed = seal_new(store, &text, &target).map_err(|e| anyhow!("{label}: {e:#}"))?;
    match destination {
        Some(dest) => {
            writer(ctx)?.write(&dest, sealed.as_bytes())?;
            ctx.output.status(&format!(
                "encrypted {} for {} recipient{}",
                a.output.as_ref().unwrap_or(&a.files[0]).display(),
                target.recipients.len(),
                if target.recipients.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        None => ctx.output.result(&sealed)?,
    }
    Ok(ExitStatus::Success)
}

/// Encrypts many files in place, in parallel; every file is checked before any is written.
fn encrypt_many(a: &EncryptArgs, ctx: &Context) -> Result<ExitStatus> {
    let rules = creation_rules(&a.rules, ctx)?;
    let bar = ctx.output.progress_bar(a.files.len() as u64, "encrypting");
    let sealed: Vec<Result<(PathBuf, String)>> = a
        .files
        .par_iter()
        .map(|file| {
            let path = ctx.cwd.join(file);
            let label = file.display().to_string();
            let text = read_text(&path)?;
            if secrets::read(&label, text.as_bytes())?.is_some() {
                bail!("{label} is already encrypted");
            }
            let target = creation::target(&path, &a.age, rules.as_ref())?;
            let store = Store::from_path(&label);
            let out = seal_new(store, &text, &target).map_err(|e| anyhow!("{label}: {e:#}"))?;
            bar.inc(1);
            Ok((path, out))
        })
        .collect();
    bar.finish_and_clear();
    let sealed: Vec<(PathBuf, String)> = sealed.into_iter().collect::<Result<_>>()?;
    let writer = writer(ctx)?;
    sealed
        .par_iter()
        .map(|(path, text)| writer.write(path, text.as_bytes()))
        .collect::<Result<Vec<()>>>()?;
    ctx.output
        .status(&format!("encrypted {} files", sealed.len()));
    Ok(ExitStatus::Success)
}

fn decrypt(a: &DecryptArgs, ctx: &Context) -> Result<ExitStatus> {
    let path = ctx.cwd.join(&a.file);
    let label = a.file.display().to_string();
    let destination = match (&a.output, a.in_place) {
        (Some(out), _) => Some(ctx.cwd.join(out)),
        (None, true) => Some(path.clone()),
        (None, false) => None,
    };
    if let Some(dest) = &destination
        && !a.force
    {
        secrets::edit::refuse_tracked(dest)?;
    }
    let file = read_secret(&path)?;
    let opened = match open_file(&file, &keyring(&a.keys)?, &label) {
        Ok(opened) => opened,
        Err(failure) => return failure.report(ctx),
    };
    for warning in &opened.warnings {
        ctx.output.warn(&format!("{label}: {warning}"));
    }
    match destination {
        Some(dest) => {
            writer(ctx)?.write(&dest, opened.plaintext.as_bytes())?;
            // Named as the user wrote it.
            let shown = a.output.as_deref().unwrap_or(&a.file).display();
            ctx.output
                .status(&format!("decrypted {label} into {shown}"));
        }
        None => ctx.output.result(&opened.plaintext)?,
    }
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// edit

fn edit(a: &EditArgs, ctx: &Context) -> Result<ExitStatus> {
    let path = ctx.cwd.join(&a.file);
    let label = a.file.display().to_string();
    let store = Store::from_path(&label);
    if !matches!(store, Store::Yaml | Store::Json | Store::Dotenv) {
        bail!("{label}: `secrets edit` works on .yaml, .yml, .json and .env files");
    }
    // What the edit starts from; the file must still be that when it is saved.
    let read = std::fs::read(&path).ok();
    let existing = if path.exists() {
        Some(read_secret(&path)?)
    } else {
        None
    };
    let opened = match &existing {
        Some(file) => match open_file(file, &keyring(&a.keys)?, &label) {
            Ok(opened) => Some(opened),
            Err(failure) => return failure.report(ctx),
        },
        None => None,
    };
    let original = zeroize::Zeroizing::new(match &opened {
        Some(o) => o.plaintext.to_string(),
        None if store == Store::Json => "{\n}\n".into(),
        None => String::new(),
    });
    let name = Path::new(&label)
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "secret.yaml".into());
    let outcome = secrets::edit::edit_plaintext(
        &original,
        &name,
        &secrets::edit::editor_command(),
        |text| check_edited(store, text, &path, ctx),
        |problem| {
            ctx.output.status(&format!(
                "error: the edited file is not valid:\n{problem:#}"
            ));
            if ask_reopen() {
                secrets::edit::Invalid::Reopen
            } else {
                secrets::edit::Invalid::GiveUp
            }
        },
    )
    .map_err(|e| anyhow!("{e:#}; {label} is unchanged"))?;
    let edited = match outcome {
        secrets::edit::Outcome::Edited(text) => text,
        secrets::edit::Outcome::Unchanged => {
            ctx.output
                .status(&format!("{label}: no changes; the file was left as it was"));
            return Ok(ExitStatus::Success);
        }
    };
    let sealed = match (&existing, &opened) {
        (Some(file), Some(opened)) => reseal(file, opened, &edited)?,
        _ => {
            let rules = creation_rules(&a.rules, ctx)?;
            seal_new(
                store,
                &edited,
                &creation::target(&path, &[], rules.as_ref())?,
            )?
        }
    };
    // The editor may have been open for minutes: lock only to compare and write.
    let _lock = lock_for(&path, &format!("secrets edit {label}"))?;
    repo::unchanged_since(&path, read.as_deref(), &label)?;
    writer(ctx)?.write(&path, sealed.as_bytes())?;
    ctx.output.status(&format!("{label}: saved, encrypted"));
    Ok(ExitStatus::Success)
}

/// The checks an edited plaintext must pass before it is encrypted: it parses, and passes the
/// schemas cfgctl.toml maps to the file, if any.
fn check_edited(store: Store, text: &str, path: &Path, ctx: &Context) -> Result<()> {
    let label = path.display().to_string();
    let root = parse_plain(store, text, &label)?;
    if root.get("sops").is_some() {
        bail!("{label}: a top-level key named `sops` is reserved for the metadata");
    }
    let Ok(repo_root) = repo::find_root(&ctx.cwd) else {
        return Ok(());
    };
    let Ok(rel) = std::path::absolute(path)?
        .strip_prefix(&repo_root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
    else {
        return Ok(());
    };
    let source = repo::WorkTree::new(&repo_root);
    let config = crate::config::read(&source, crate::config::Presence::Required)?;
    let listing = repo::Source::list(&source)?;
    let checker = crate::validate::Checker::new(
        &config,
        &source,
        &repo_root.to_string_lossy(),
        &listing.paths,
    )?;
    let (findings, _) = checker.check_bytes(&rel, text.as_bytes(), true);
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = errors
        .iter()
        .map(|f| {
            format!(
                "{}:{}: {}{}",
                rel,
                f.pos,
                f.path
                    .as_deref()
                    .map(|p| format!("{p}: "))
                    .unwrap_or_default(),
                f.message
            )
        })
        .collect();
    bail!("{}", lines.join("\n"))
}

/// Asks on the terminal whether to re-open the editor; `false` when there is no terminal.
fn ask_reopen() -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return false;
    }
    let _ = write!(std::io::stderr(), "Re-open the editor? [Y/n] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    !matches!(line.trim(), "n" | "N" | "no")
}

// ---------------------------------------------------------------------------------------------
// set / get

fn set(a: &SetArgs, ctx: &Context) -> Result<ExitStatus> {
    let raw = if a.stdin {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
        // One trailing newline is how `echo` and here-strings end; it is not part of the value.
        text.strip_suffix('\n')
            .map(|t| t.strip_suffix('\r').unwrap_or(t).to_string())
            .unwrap_or(text)
    } else {
        a.value.clone().unwrap_or_default()
    };
    let value = if a.json {
        let parsed = document::parse_secret(raw.as_bytes(), DocFormat::Json, &Limits::default())
            .map_err(|e| anyhow!("the value is not JSON: {}", e.message))?;
        parsed
            .roots
            .into_iter()
            .next()
            .ok_or_else(|| anyhow!("the value is empty"))?
    } else {
        Node::new(Value::String(raw), document::Pos::default())
    };
    change_value(&a.file, &a.key_path, Some(value), &a.keys, &a.write, ctx)
}

fn unset(a: &UnsetArgs, ctx: &Context) -> Result<ExitStatus> {
    change_value(&a.file, &a.key_path, None, &a.keys, &a.write, ctx)
}

/// Sets or removes one value: in place in the working tree, or with --commit through the
/// write pipeline (lock, policy of the environment written into, validation, one commit).
fn change_value(
    file: &Path,
    key_path: &str,
    value: Option<Node>,
    keys: &IdentityArgs,
    writing: &super::set::Writing,
    ctx: &Context,
) -> Result<ExitStatus> {
    let command = if value.is_some() { "set" } else { "unset" };
    let path = ctx.cwd.join(file);
    let label = file.display().to_string();
    let execute = writing.commit || writing.write.execute;
    let w = &writing.write;
    if !execute && (!w.approved_by.is_empty() || w.emergency.is_some() || w.reason.is_some()) {
        return Err(CliError::new(anyhow!(
            "--approved-by, --emergency and --reason are recorded in a commit: they go with --commit"
        ))
        .into());
    }
    let what = format!("secrets {command} {key_path} in {label}");
    // The lock comes before the read: a second writer plans on the first one's result.
    let (pipeline, _lock) = if execute {
        let root = repo::find_root(&ctx.cwd)?;
        let writer = crate::change::begin(&root, true, &what)?;
        (Some((root, writer)), None)
    } else {
        (None, lock_for(&path, &what)?)
    };
    let read = std::fs::read(&path).ok();
    let secret = read_secret(&path)?;
    let opened = match open_file(&secret, &keyring(keys)?, &label) {
        Ok(opened) => opened,
        Err(failure) => return failure.report(ctx),
    };
    let key = split_path(key_path);
    let changed = secrets::values::change_in(secret.store, &opened.plaintext, &key, value)
        .map_err(|e| anyhow!("{label}: {e:#}"))?;
    let sealed = match &changed {
        secrets::values::Change::Edited(plaintext) => Some(reseal(&secret, &opened, plaintext)?),
        secrets::values::Change::Unchanged => None,
    };
    let nothing = match command {
        "set" => format!("{label}: {key_path} already has that value; nothing to do"),
        _ => format!("{label}: {key_path} is not there; nothing to do"),
    };

    if let Some((root, writer)) = pipeline {
        let config = crate::config::read(
            &repo::WorkTree::new(&root),
            crate::config::Presence::Required,
        )?;
        let rel = repo_relative(&root, &path)?;
        let mut commits = Vec::new();
        if let Some(text) = &sealed {
            let subject = writing
                .message
                .clone()
                .unwrap_or_else(|| format!("secrets {command}: {key_path} in {rel}"));
            commits.push(crate::change::Planned {
                tree: writer.tree_with_files(&[(rel.clone(), text.clone().into_bytes())])?,
                changed: vec![rel.clone()],
                // The values are encrypted: the message names the key, never a value.
                message: crate::change::Message::new(subject)
                    .body(format!(
                        "{rel}: {key_path} {}",
                        if command == "set" {
                            "set (encrypted)"
                        } else {
                            "removed"
                        }
                    ))
                    .with(crate::change::Key::KeyPath, key_path),
            });
        }
        let proposal = crate::change::Proposal {
            action: crate::change::Action::Set,
            env: None,
            commits,
            tag: None,
            branch: None,
        };
        let options = crate::change::Options {
            execute: true,
            ..writing.write.options()
        };
        let outcome = crate::change::finish(writer, &config, proposal, &options, Vec::new())?;
        if ctx.output.format == Format::Json {
            let doc = json!({
                "version": 1,
                "command": format!("secrets {command}"),
                "file": rel,
                "path": key_path,
                "changed": sealed.is_some(),
            });
            super::print_change_json(ctx, doc, &outcome)?;
        }
        let done = match outcome.commits.first() {
            Some(sha) => format!("{label}: {command} {key_path}; committed: {}", &sha[..7]),
            None => String::new(),
        };
        return Ok(super::finish_change(ctx, &outcome, &nothing, &done));
    }

    if let Some(text) = &sealed {
        repo::unchanged_since(&path, read.as_deref(), &label)?;
        writer(ctx)?.write(&path, text.as_bytes())?;
    }
    if ctx.output.format == Format::Json {
        // {"version": 1, "command": "secrets set" | "secrets unset", "file", "path", "changed"}
        let doc = json!({
            "version": 1,
            "command": format!("secrets {command}"),
            "file": label,
            "path": key_path,
            "changed": sealed.is_some(),
        });
        ctx.output
            .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else if sealed.is_some() {
        ctx.output.status(&format!("{label}: {command} {key_path}"));
    } else {
        ctx.output.status(&nothing);
    }
    Ok(ExitStatus::Success)
}

/// A path as the repository names it (`/`-separated, relative to the cfgctl root).
fn repo_relative(root: &Path, path: &Path) -> Result<String> {
    let absolute = path
        .canonicalize()
        .with_context(|| format!("cannot open `{}`", path.display()))?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let relative = absolute.strip_prefix(&root).map_err(|_| {
        CliError::new(anyhow!(
            "{} is outside the repository, so it cannot be committed",
            path.display()
        ))
        .with_hint("drop --commit to change the file in place")
    })?;
    Ok(relative.to_string_lossy().replace('\\', "/"))
}

/// Takes the repository's write lock for a read-modify-write of `path` (secrets set, edit), so
/// that two cfgctl runs never lose each other's change; `None` outside a Git repository.
fn lock_for(path: &Path, what: &str) -> Result<Option<repo::WriteLock>> {
    match repo::work_tree_of(path.parent().unwrap_or(Path::new("."))) {
        Some(root) => Ok(Some(repo::WriteLock::acquire(&root, what)?)),
        None => Ok(None),
    }
}

fn lookup<'a>(root: &'a Node, path: &[String]) -> Option<&'a Node> {
    let mut node = root;
    for key in path {
        node = match &node.value {
            Value::Map(map) => &map.get(key)?.value,
            Value::Seq(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// A secret file named on the command line, decrypted and parsed.
struct OpenedTree {
    root: Node,
    label: String,
}

/// Reads, decrypts and parses a file; `None` when tampering was found and reported (exit 1).
fn open_tree(file: &Path, keys: &IdentityArgs, ctx: &Context) -> Result<Option<OpenedTree>> {
    let label = file.display().to_string();
    let secret = read_secret(&ctx.cwd.join(file))?;
    let opened = match open_file(&secret, &keyring(keys)?, &label) {
        Ok(opened) => opened,
        Err(failure) => {
            failure.report(ctx)?;
            return Ok(None);
        }
    };
    let root = parse_plain(secret.store, &opened.plaintext, &label)?;
    Ok(Some(OpenedTree { root, label }))
}

fn get(a: &GetArgs, ctx: &Context) -> Result<ExitStatus> {
    let Some(OpenedTree { root, label }) = open_tree(&a.file, &a.keys, ctx)? else {
        return Ok(ExitStatus::Findings);
    };
    let node = lookup(&root, &split_path(&a.key_path))
        .ok_or_else(|| anyhow!("{label}: no key `{}`", a.key_path))?;
    let value = node.to_json();
    if ctx.output.format == Format::Json {
        let doc = json!({"version": 1, "command": "secrets get", "file": label, "path": a.key_path, "value": value});
        ctx.output
            .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else {
        let text = match &value {
            serde_json::Value::String(s) => s.clone(),
            other => serde_json::to_string_pretty(other)?,
        };
        ctx.output.result(&format!("{text}\n"))?;
    }
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// updatekeys / rotate

/// Where bulk commands look, and how paths are shown: the repository root (cfgctl.toml, else
/// the Git work tree, else the current directory).
fn workspace(ctx: &Context) -> PathBuf {
    if let Ok(root) = repo::find_root(&ctx.cwd) {
        return root;
    }
    repo::work_tree_of(&ctx.cwd).unwrap_or_else(|| ctx.cwd.clone())
}

/// Every file under the PATHs (or the workspace), as (shown, absolute): see [`secrets::files`].
fn files_under(ctx: &Context, base: &Path, paths: &[PathBuf]) -> Result<Vec<(String, PathBuf)>> {
    let roots: Vec<PathBuf> = paths.iter().map(|p| ctx.cwd.join(p)).collect();
    secrets::files::under(base, &roots)
}

fn show(base: &Path, path: &Path) -> String {
    secrets::files::show(base, path)
}

fn encrypted_files(files: Vec<(String, PathBuf)>) -> Vec<(String, PathBuf, Result<SecretFile>)> {
    secrets::files::encrypted(files)
}

struct RekeyRow {
    file: String,
    plan: rekey::Plan,
}

fn rekey(a: &BulkArgs, ctx: &Context, mode: Mode) -> Result<ExitStatus> {
    let base = workspace(ctx);
    let rules = creation_rules(&a.rules, ctx)?;
    let files = encrypted_files(files_under(ctx, &base, &a.paths)?);
    if files.is_empty() {
        ctx.output.status("no encrypted files found");
    }
    let ring = keyring(&a.keys)?;
    let writer = writer(ctx)?;
    let now = secrets::now_rfc3339()?;
    let bar = ctx.output.progress_bar(
        files.len() as u64,
        if mode == Mode::Rotate {
            "rotating"
        } else {
            "re-keying"
        },
    );
    let results: Vec<Result<RekeyRow>> = files
        .into_par_iter()
        .map(|(shown, abs, file)| {
            let file = file?;
            let rule = rules.as_ref().and_then(|r| r.matching(&abs));
            let plan = rekey::plan(&file, rule.map(|r| r.recipients.as_slice()), mode);
            if !a.dry_run
                && let Some(text) = rekey::apply(&shown, &file, &plan, &ring, &now)?
            {
                writer.write(&abs, text.as_bytes())?;
            }
            bar.inc(1);
            Ok(RekeyRow { file: shown, plan })
        })
        .collect();
    bar.finish_and_clear();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    print_rekey(&rows, ctx, mode, a.dry_run)?;
    if let Some(first) = errors.into_iter().next() {
        return Err(first);
    }
    Ok(ExitStatus::Success)
}

fn print_rekey(rows: &[RekeyRow], ctx: &Context, mode: Mode, dry_run: bool) -> Result<()> {
    let out = &ctx.output;
    let command = if mode == Mode::Rotate {
        "secrets rotate"
    } else {
        "secrets updatekeys"
    };
    if out.format == Format::Json {
        let files: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| json!({"file": r.file, "added": r.plan.added, "removed": r.plan.removed, "action": r.plan.action.as_str()}))
            .collect();
        let doc = json!({"version": 1, "command": command, "dry_run": dry_run, "files": files});
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(());
    }
    if rows.is_empty() {
        return Ok(());
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "file",
        "added",
        "removed",
        if dry_run { "would be" } else { "result" },
    ]);
    for r in rows {
        let style = if r.plan.action.writes() {
            styles::WARNING
        } else {
            styles::DIM
        };
        table.add_row(vec![
            r.file.clone(),
            r.plan.added.join("\n"),
            r.plan.removed.join("\n"),
            out.paint(style, r.plan.action.as_str()),
        ]);
    }
    out.result(&format!("{table}\n"))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// list

fn list(a: &ListArgs, ctx: &Context) -> Result<ExitStatus> {
    use crate::secrets::inventory;
    let base = workspace(ctx);
    let now = crate::clock::now()?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (shown, _, file) in encrypted_files(files_under(ctx, &base, &a.paths)?) {
        match file {
            Ok(file) => rows.push((shown, inventory::summarize(&file))),
            Err(e) => errors.push(e),
        }
    }
    rows.sort_by(|x, y| x.0.cmp(&y.0));
    let out = &ctx.output;
    if out.format == Format::Json {
        // {"version": 1, "command": "secrets list", "files": [{"file", "recipients": [..],
        // "encrypted", "clear", "lastmodified", "age_days"}]} (README, "secrets").
        let files: Vec<serde_json::Value> = rows
            .iter()
            .map(|(file, s)| {
                json!({
                    "file": file,
                    "recipients": s.recipients,
                    "encrypted": s.encrypted,
                    "clear": s.clear,
                    "lastmodified": s.lastmodified,
                    "age_days": s.age_days(now),
                })
            })
            .collect();
        let doc = json!({"version": 1, "command": "secrets list", "files": files});
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
    } else if rows.is_empty() {
        out.status("no encrypted files found");
    } else {
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
        table.set_header(vec![
            "file",
            "recipients",
            "encrypted",
            "clear",
            "last modified",
        ]);
        for (file, s) in &rows {
            let age = match s.age_days(now) {
                Some(days) => format!("{} ({days} days ago)", s.lastmodified),
                None => s.lastmodified.clone(),
            };
            table.add_row(vec![
                file.clone(),
                s.recipients.join("\n"),
                s.encrypted.to_string(),
                s.clear.to_string(),
                age,
            ]);
        }
        out.result(&format!("{table}\n"))?;
    }
    match errors.into_iter().next() {
        Some(first) => Err(first),
        None => Ok(ExitStatus::Success),
    }
}

// ---------------------------------------------------------------------------------------------
// check

fn check(a: &CheckArgs, ctx: &Context) -> Result<ExitStatus> {
    let base = workspace(ctx);
    let rules = creation_rules(&a.rules, ctx)?;
    let ring = keyring(&a.keys)?;
    let files = files_under(ctx, &base, &a.paths)?;
    // A file named on the command line is checked whatever its extension (a named
    // `example.ini` used to be skipped and the run said `ok: 0 files checked`).
    let named: Vec<PathBuf> = a
        .paths
        .iter()
        .map(|p| ctx.cwd.join(p))
        .filter(|p| p.is_file())
        .collect();
    // The repository's [rules] settings apply to plaintext-secret here as in validate.
    let config = repo::find_root(&ctx.cwd)
        .ok()
        .map(|root| {
            crate::config::read(
                &repo::WorkTree::new(&root),
                crate::config::Presence::Required,
            )
        })
        .transpose()?
        .unwrap_or_default();
    let rule_set = crate::rules::RuleSet::new(&config);
    let max_age = match &a.max_age {
        Some(text) => Some(check::MaxAge {
            text,
            seconds: crate::secrets::inventory::parse_max_age(text)
                .map_err(|e| CliError::new(anyhow!("--max-age {e}")))?,
            now: crate::clock::now()?,
        }),
        None => None,
    };
    let configuration = |shown: &str, bytes: &[u8], format: DocFormat| {
        plaintext_secrets(shown, bytes, format, &rule_set)
    };
    let checker = check::Checker {
        rules: rules.as_ref(),
        ring: &ring,
        configuration: &configuration,
        max_age,
    };
    let bar = ctx.output.progress_bar(files.len() as u64, "checking");
    let results: Vec<check::Checked> = files
        .par_iter()
        .filter_map(|(shown, abs)| {
            let result = checker.check(shown, abs, named.contains(abs));
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    let mut findings = Vec::new();
    let mut checked = Vec::new();
    let mut unverified = 0;
    for result in results {
        if !result.verified {
            unverified += 1;
        }
        checked.push(result.file);
        findings.extend(result.findings);
    }
    Finding::sort(&mut findings);
    let report = Report {
        command: "secrets check",
        source: "working tree".into(),
        files: checked,
        findings,
    };
    let status = super::finish_report(&report, ctx, false)?;
    if ctx.output.format == Format::Human && unverified > 0 {
        ctx.output.status(&format!(
            "note: {unverified} encrypted file{} not MAC-verified (no identity for {}); structure was checked",
            if unverified == 1 { "" } else { "s" },
            if unverified == 1 { "it" } else { "them" }
        ));
    }
    Ok(status)
}

/// The plaintext-secret rule, with the repository's settings for it (severity, ignore
/// patterns), on a configuration file no creation rule covers.
fn plaintext_secrets(
    shown: &str,
    bytes: &[u8],
    format: DocFormat,
    rule_set: &crate::rules::RuleSet,
) -> Option<Vec<Finding>> {
    let layer = crate::layers::classify(shown, |_| true)?;
    let doc = document::parse(bytes, format, &Limits::default()).ok()?;
    let name = crate::rules::RuleId::PlaintextSecret.name();
    let mut out = Vec::new();
    for root in &doc.roots {
        out.extend(
            rule_set
                .check_file(shown, Some(&layer), root)
                .into_iter()
                .filter(|f| f.rule == name),
        );
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// exec

fn exec(a: &ExecArgs, ctx: &Context) -> Result<ExitStatus> {
    let Some(OpenedTree { root, .. }) = open_tree(&a.file, &a.keys, ctx)? else {
        return Ok(ExitStatus::Findings);
    };
    let vars = secrets::values::variables(&root);
    let (program, rest) = a
        .command
        .split_first()
        .ok_or_else(|| anyhow!("no command given after --"))?;
    let status = std::process::Command::new(program)
        .args(rest)
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .status()
        .with_context(|| format!("cannot run `{program}`"))?;
    drop(vars);
    // The child's exit code is the command's: scripts wrap `exec` around their real work.
    std::process::exit(status.code().unwrap_or(2));
}

// ---------------------------------------------------------------------------------------------
// git-setup, merge-driver, textconv

fn git_setup(a: &GitSetupArgs, ctx: &Context) -> Result<ExitStatus> {
    use crate::secrets::git_setup;
    let base = workspace(ctx);
    let root = repo::work_tree_of(&base).ok_or_else(|| {
        CliError::new(anyhow!("not inside a Git repository"))
            .with_hint("run it in the configuration repository (git init first)")
    })?;
    let encrypted: Vec<String> = encrypted_files(files_under(ctx, &base, &[])?)
        .into_iter()
        .map(|(shown, _, _)| shown)
        .collect();
    let attributes = base.join(".gitattributes");
    let existing = match std::fs::read(&attributes) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| anyhow!("{}: not UTF-8 text", attributes.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", attributes.display())),
    };
    let plan = git_setup::plan(&existing, &encrypted, |key| repo::local_config(&root, key))?;
    if !a.dry_run {
        if !plan.lines.is_empty() {
            writer(ctx)?.write(
                &attributes,
                git_setup::with_lines(&existing, &plan.lines).as_bytes(),
            )?;
        }
        for setting in &plan.settings {
            if setting.action != git_setup::SettingAction::Unchanged {
                repo::set_local_config(&root, setting.key, setting.value)?;
            }
        }
    }
    let shown = show(&base, &attributes);
    let out = &ctx.output;
    if out.format == Format::Json {
        // {"version": 1, "command": "secrets git-setup", "dry_run", "gitattributes": {"file",
        // "added": [line]}, "git_config": [{"key", "value", "action"}]}, action one of `set`,
        // `replaced`, `unchanged` (README, "Merging and diffing in Git").
        let doc = json!({
            "version": 1,
            "command": "secrets git-setup",
            "dry_run": a.dry_run,
            "gitattributes": {"file": shown, "added": plan.lines},
            "git_config": plan.settings.iter().map(|s| {
                json!({"key": s.key, "value": s.value, "action": s.action.as_str()})
            }).collect::<Vec<_>>(),
        });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(ExitStatus::Success);
    }
    let verb = if a.dry_run { "would add" } else { "added" };
    let mut text = String::new();
    for line in &plan.lines {
        text.push_str(&format!("{shown}: {verb} `{line}`\n"));
    }
    for setting in &plan.settings {
        use git_setup::SettingAction;
        let verb = match (a.dry_run, setting.action) {
            (_, SettingAction::Unchanged) => continue,
            (true, SettingAction::Set) => "would set",
            (true, SettingAction::Replaced) => "would replace",
            (false, SettingAction::Set) => "set",
            (false, SettingAction::Replaced) => "replaced",
        };
        text.push_str(&format!(
            "git config: {verb} {} = {}\n",
            setting.key, setting.value
        ));
    }
    if text.is_empty() {
        out.status("Git already merges and diffs the encrypted files with cfgctl; nothing to do.");
    } else {
        out.result(&text)?;
        if !a.dry_run && !plan.lines.is_empty() {
            out.status(&format!("commit {shown} so that every clone uses the driver; each clone runs `cfgctl secrets git-setup` once for its Git settings"));
        }
    }
    Ok(ExitStatus::Success)
}

fn merge_driver(a: &MergeDriverArgs, ctx: &Context) -> Result<ExitStatus> {
    use crate::secrets::merge::{self, Refusal, Side};
    let read = |path: &Path| -> Result<Vec<u8>> {
        std::fs::read(ctx.cwd.join(path)).with_context(|| format!("cannot read {}", path.display()))
    };
    let (base, ours, theirs) = (read(&a.base)?, read(&a.ours)?, read(&a.theirs)?);
    let label = a.path.as_str();
    let ring = keyring(&a.keys)?;
    let result = merge::merge(
        label,
        Side {
            name: "base",
            bytes: &base,
        },
        Side {
            name: "ours",
            bytes: &ours,
        },
        Side {
            name: "theirs",
            bytes: &theirs,
        },
        &ring,
        &secrets::now_rfc3339()?,
    );
    let out = &ctx.output;
    let merged = match result {
        Ok(merged) => merged,
        Err(Refusal::NotEncrypted(_))
            if [&base, &ours, &theirs]
                .iter()
                .all(|b| !secrets::looks_encrypted(b)) =>
        {
            // Nothing encrypted: Git's own line merge, conflict markers and all.
            let ours_path = ctx.cwd.join(&a.ours);
            let clean = repo::merge_file_text(
                &ours_path,
                &ctx.cwd.join(&a.base),
                &ctx.cwd.join(&a.theirs),
                label,
            )?;
            return Ok(if clean {
                ExitStatus::Success
            } else {
                ExitStatus::Findings
            });
        }
        Err(refusal) => {
            let why = match refusal {
                Refusal::NoIdentity(e) => return Err(CliError::new(anyhow!(
                    "{label}: cannot merge by key path, so Git reports a conflict (ours is unchanged): {e:#}"
                ))
                .with_hint("merge again with an identity that opens the file (SOPS_AGE_KEY_FILE, --identity), or resolve with `cfgctl secrets edit` after checking out a side")
                .into()),
                Refusal::NotEncrypted(what) => what,
                Refusal::Failed(e) => format!("{e:#}"),
            };
            return Err(anyhow!(
                "{label}: cannot merge by key path, so Git reports a conflict (ours is unchanged): {why}"
            ));
        }
    };
    writer(ctx)?.write(&ctx.cwd.join(&a.ours), merged.text.as_bytes())?;
    if merged.conflicts.is_empty() {
        out.status(&format!(
            "{label}: merged by key path ({} from theirs)",
            if merged.from_theirs.is_empty() {
                "nothing".to_string()
            } else {
                merged.from_theirs.join(", ")
            }
        ));
        return Ok(ExitStatus::Success);
    }
    let prefix = out.paint(styles::ERROR, "conflict");
    for path in &merged.conflicts {
        out.problem(&format!(
            "{prefix}: {label}: `{path}` changed on both sides; ours is kept"
        ));
    }
    out.problem(&format!(
        "hint: compare with `git show --textconv :3:{label}` (theirs), set the value with `cfgctl secrets set {label} KEY VALUE`, then `git add {label}`"
    ));
    Ok(ExitStatus::Findings)
}

fn textconv(a: &TextconvArgs, ctx: &Context) -> Result<ExitStatus> {
    use std::io::Write as _;
    let path = ctx.cwd.join(&a.file);
    let bytes =
        std::fs::read(&path).with_context(|| format!("cannot read {}", a.file.display()))?;
    // Never fails for want of a key: without one, values are masked.
    let (ring, note) = match keyring(&a.keys) {
        Ok(ring) => (ring, None),
        Err(e) => (
            Keyring::default(),
            Some(format!("{e:#}; values shown masked")),
        ),
    };
    let (shown, problem) = secrets::textconv::show(&a.file.display().to_string(), &bytes, &ring);
    for line in note.iter().chain(problem.iter()) {
        ctx.output.warn(line);
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&shown)?;
    stdout.flush()?;
    Ok(ExitStatus::Success)
}
