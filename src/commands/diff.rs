//! `cfgctl diff A B [DOCUMENT…]` and `cfgctl drift ENV --against PATH`

use super::Context;
use crate::config::{self, Config};
use crate::diff::{self, Change, Kind};
use crate::document::secret_key::{self, is_secret_file};
use crate::document::{self, Format as DocFormat, KeyPattern, Limits, Node};
use crate::environment::render::{self, Request};
use crate::environment::{Environments, FLAGS_DOCUMENT, Owner, Part, Shared};
use crate::error::{CliError, ExitStatus};
use crate::layers::subst;
use crate::output::{Format, styles};
use crate::repo::{self, GitSource, Source, WorkTree};
use crate::secrets::{self, environment::EnvSecrets, keys::Keyring};
use anyhow::{Context as _, Result, anyhow};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old side: an environment, a revision, REV:ENV, or a file or directory
    pub a: String,

    /// The new side, in the same forms
    pub b: String,

    /// Only these documents (names as inside a layer, e.g. database.yaml)
    #[arg(value_name = "DOCUMENT")]
    pub documents: Vec<String>,

    /// Compare environments' own files instead of their rendered (layered) result
    #[arg(long)]
    pub raw: bool,

    #[command(flatten)]
    pub compare: CompareArgs,

    /// Exit 1 when anything differs
    #[arg(long)]
    pub exit_code: bool,
}

/// Options shared by `diff` and `drift`.
#[derive(Debug, Clone, clap::Args)]
pub struct CompareArgs {
    /// Include the layers of this service when rendering environments
    #[arg(long, value_name = "S")]
    pub service: Option<String>,

    /// Include the layers of this tenant when rendering environments
    #[arg(long, value_name = "T")]
    pub tenant: Option<String>,

    /// Ignore the order of list items
    #[arg(long)]
    pub ignore_order: bool,

    /// Hide keys pinned in [promote] pinned (differences meant to be there)
    #[arg(long)]
    pub ignore_pinned: bool,

    /// Hide key paths matching PATTERN and what is below them (`*` one key, `**` any number, `*_file` a glob); repeatable
    #[arg(long, value_name = "PATTERN")]
    pub ignore: Vec<KeyPattern>,

    /// Show values of secrets instead of masking them
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// The environment the repository describes
    pub env: String,

    /// The deployed copy: a directory of documents, one document, or a ConfigMap manifest
    #[arg(long, value_name = "PATH")]
    pub against: PathBuf,

    /// Only these documents
    #[arg(value_name = "DOCUMENT")]
    pub documents: Vec<String>,

    #[command(flatten)]
    pub compare: CompareArgs,
}

/// One document on one side: its tree and the files its nodes came from (`origin` indexes it).
struct Loaded {
    root: Node,
    files: Vec<String>,
}

/// Rendered documents by name.
fn by_name(documents: Vec<render::Document>) -> BTreeMap<String, Loaded> {
    documents
        .into_iter()
        .map(|d| {
            let loaded = Loaded {
                root: d.rendered.root,
                files: d.rendered.files,
            };
            (d.rendered.document, loaded)
        })
        .collect()
}

/// What an A or B argument names.
enum Side {
    Env { rev: Option<String>, env: String },
    Rev(String),
    Path(PathBuf),
}

impl Side {
    fn label(&self) -> String {
        match self {
            Side::Env {
                rev: Some(rev),
                env,
            } => format!("{rev}:{env}"),
            Side::Env { rev: None, env } => env.clone(),
            Side::Rev(rev) => rev.clone(),
            Side::Path(path) => path.display().to_string(),
        }
    }
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "diff")?;
    let root = repo::find_root(&ctx.cwd).ok();
    let config = match &root {
        Some(root) => load_config(&WorkTree::new(root))?,
        None => Config::default(),
    };
    let a = resolve(&args.a, ctx, root.as_deref(), &config)?;
    let b = resolve(&args.b, ctx, root.as_deref(), &config)?;
    let ring = reveal_keyring(&args.compare)?;
    let ring = ring.as_ref();
    // The two sides are read and parsed on two cores.
    let (left, right) = match (&a, &b) {
        (Side::Env { env: x, .. }, Side::Env { env: y, .. }) => {
            let root = root.as_deref().expect("environments need a repository");
            // Two environments' secret files hold different ciphertext for any value: unless
            // decrypted, only which keys exist can be compared.
            let opaque = x != y;
            let (left, right) = rayon::join(
                || load_env(&a, root, args, &config, ring, opaque),
                || load_env(&b, root, args, &config, ring, opaque),
            );
            (left?, right?)
        }
        (Side::Rev(x), Side::Rev(y)) => {
            let root = root.as_deref().expect("revisions need a repository");
            let (left, right) = rayon::join(
                || load_rev(root, x, &config, ring),
                || load_rev(root, y, &config, ring),
            );
            (left?, right?)
        }
        (Side::Path(x), Side::Path(y)) => load_paths(x, y, ring)?,
        _ => {
            return Err(CliError::new(anyhow!(
                "cannot compare `{}` with `{}`: both sides must be environments, revisions, or paths",
                args.a,
                args.b
            ))
            .with_hint("to compare an environment across revisions, write REV:ENV (for example HEAD~1:production)")
            .into());
        }
    };
    let left = only(left, &args.documents)?;
    let right = only(right, &args.documents)?;
    let changed = report(
        ctx,
        &a.label(),
        &b.label(),
        &left,
        &right,
        &args.compare,
        &config,
        "diff",
    )?;
    Ok(if changed && args.exit_code {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

pub fn run_drift(args: &DriftArgs, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "drift")?;
    let root = repo::find_root(&ctx.cwd)?;
    let source = WorkTree::new(&root);
    let config = load_config(&source)?;
    let environments = Environments::of(&config);
    let environment = environments.get(&args.env)?;
    let listing = source.list()?;
    let request = Request {
        env: args.env.clone(),
        service: args.compare.service.clone(),
        tenant: args.compare.tenant.clone(),
        documents: args.documents.clone(),
    };
    // The deployed copy holds substituted values, so the repository side is substituted too.
    let mut documents = render::render(&source, &listing.paths, &config, &request, &|var| {
        std::env::var(var).ok()
    })?;
    // The deployed copy holds secret values where the repository has `${SECRET:…}`: with
    // --reveal they are decrypted and compared; without, those keys are left out.
    let ring = reveal_keyring(&args.compare)?;
    let mut compare = args.compare.clone();
    match &ring {
        Some(ring) => {
            let env_secrets = EnvSecrets::load(&source, &listing.paths, environment)?;
            let wanted = documents
                .iter()
                .flat_map(|d| d.secrets.iter().map(|r| r.secret.as_str()));
            let revealed = env_secrets
                .reveal(ring, wanted)
                .map_err(|(path, e)| e.explain(&path))?;
            for doc in &mut documents {
                subst::fill_secrets(&mut doc.rendered.root, &doc.secrets, &|name| {
                    revealed.value(name)
                });
            }
        }
        None => {
            let paths: Vec<KeyPattern> = documents
                .iter()
                .flat_map(|d| d.secrets.iter().map(|r| KeyPattern::exact(&r.path)))
                .collect();
            if !paths.is_empty() {
                ctx.output.status(&format!(
                    "note: {} value{} from ${{SECRET:…}} not compared (pass --reveal to decrypt and compare)",
                    paths.len(),
                    if paths.len() == 1 { "" } else { "s" }
                ));
            }
            compare.ignore.extend(paths);
        }
    }
    let expected = by_name(documents);
    let against = ctx.cwd.join(&args.against);
    // Shown as the user wrote it, not as the absolute path it is read from.
    let shown = args.against.display().to_string();
    let deployed = load_deployed(&against, &shown, &expected, ring.as_ref())?;
    let deployed = only(deployed, &args.documents)?;
    let changed = report(
        ctx,
        &format!("{} (repository)", args.env),
        &format!("{} (deployed)", args.against.display()),
        &expected,
        &deployed,
        &compare,
        &config,
        "drift",
    )?;
    Ok(if changed {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

fn load_config(source: &dyn Source) -> Result<Config> {
    config::read(source, config::Presence::Optional)
}

/// Decides what an argument names: `REV:ENV`, an environment, an existing path, a revision.
fn resolve(arg: &str, ctx: &Context, root: Option<&Path>, config: &Config) -> Result<Side> {
    let is_env = |name: &str| config.repo.environments.iter().any(|e| e == name);
    if let Some(root) = root {
        if let Some((rev, env)) = arg.rsplit_once(':')
            && is_env(env)
            && !rev.is_empty()
        {
            GitSource::revision(root, rev)?;
            return Ok(Side::Env {
                rev: Some(rev.to_string()),
                env: env.to_string(),
            });
        }
        if is_env(arg) {
            return Ok(Side::Env {
                rev: None,
                env: arg.to_string(),
            });
        }
    }
    let path = ctx.cwd.join(arg);
    if path.exists() {
        return Ok(Side::Path(path));
    }
    if let Some(root) = root
        && let Ok(git) = repo::open_git(root)
        && git.revparse_single(arg).is_ok()
    {
        return Ok(Side::Rev(arg.to_string()));
    }
    let envs = config.repo.environments.join(", ");
    Err(CliError::new(anyhow!(
        "`{arg}` is not an environment, a revision, or an existing path"
    ))
    .with_hint(format!(
        "environments: {envs}; revisions: HEAD~1, a tag, a commit id; or REV:ENV"
    ))
    .into())
}

/// An environment's documents: rendered (layered) by default, its own files with `--raw`;
/// either way with its flag file (as the document `flags`), and, rendered, with its secret
/// files (by name, as in `--raw`), so that no part of the environment goes unseen. `opaque`
/// compares encrypted values that stay encrypted by presence only.
fn load_env(
    side: &Side,
    root: &Path,
    args: &Args,
    config: &Config,
    ring: Option<&Keyring>,
    opaque: bool,
) -> Result<BTreeMap<String, Loaded>> {
    let Side::Env { rev, env } = side else {
        unreachable!("load_env takes environments")
    };
    let source: Box<dyn Source> = match rev {
        Some(rev) => Box::new(GitSource::revision(root, rev)?),
        None => Box::new(WorkTree::new(root)),
    };
    let config = match rev {
        Some(_) => load_config(source.as_ref())?,
        None => config.clone(),
    };
    let listing = source.list()?;
    let environments = Environments::of(&config);
    let environment = environments.get(env)?;
    let prefix = environment.dir();
    let mut out = BTreeMap::new();
    let mut load = |name: String, path: &String| -> Result<()> {
        let mut root = parse(path, &source.read(path)?, &config, ring)?;
        if opaque {
            hide_ciphertext(&mut root);
        }
        out.insert(
            name,
            Loaded {
                root,
                files: vec![path.clone()],
            },
        );
        Ok(())
    };
    if let Some(path) = environment.flag_file(&listing.paths) {
        load(FLAGS_DOCUMENT.to_string(), path)?;
    }
    if args.raw {
        for path in listing.paths.iter().filter(|p| p.starts_with(&prefix)) {
            if DocFormat::from_path(path).is_some() {
                load(path[prefix.len()..].to_string(), path)?;
            }
        }
        return Ok(out);
    }
    for path in environment.secret_files(&listing.paths) {
        load(path[prefix.len()..].to_string(), path)?;
    }
    let request = Request {
        env: env.clone(),
        service: args.compare.service.clone(),
        tenant: args.compare.tenant.clone(),
        documents: Vec::new(),
    };
    // Differences between environments must not depend on the local shell: references are
    // compared as written.
    let documents = render::render(source.as_ref(), &listing.paths, &config, &request, &|_| {
        None
    })?;
    out.extend(by_name(documents));
    Ok(out)
}

/// Replaces every value that is still encrypted by one marker.
fn hide_ciphertext(node: &mut Node) {
    match &mut node.value {
        document::Value::String(text) if secrets::cipher::is_encrypted(text) => {
            *text = "ENC[…]".to_string();
        }
        document::Value::Map(map) => {
            for (_, entry) in map.iter_mut() {
                hide_ciphertext(&mut entry.value);
            }
        }
        document::Value::Seq(items) => items.iter_mut().for_each(hide_ciphertext),
        _ => {}
    }
}

/// Every configuration file of a revision, by path: each environment's own files (documents,
/// secret files, flag file, packs.yaml) and the shared layers.
fn load_rev(
    root: &Path,
    rev: &str,
    config: &Config,
    ring: Option<&Keyring>,
) -> Result<BTreeMap<String, Loaded>> {
    let source = GitSource::revision(root, rev)?;
    let config_at = load_config(&source).unwrap_or_else(|_| config.clone());
    let environments = Environments::of(&config_at);
    let mut out = BTreeMap::new();
    for path in source.list()?.paths {
        let configuration = match environments.owner(&path) {
            Some(Owner::Env { part, .. }) => part != Part::Other,
            Some(Owner::Shared(shared)) => shared == Shared::Layer,
            None => false,
        };
        if !configuration {
            continue;
        }
        let root = parse(&path, &source.read(&path)?, &config_at, ring)?;
        out.insert(
            path.clone(),
            Loaded {
                root,
                files: vec![format!("{rev}:{path}")],
            },
        );
    }
    Ok(out)
}

/// Two files (one document each) or two directories (documents by relative path).
#[allow(clippy::type_complexity)]
fn load_paths(
    a: &Path,
    b: &Path,
    ring: Option<&Keyring>,
) -> Result<(BTreeMap<String, Loaded>, BTreeMap<String, Loaded>)> {
    let load_file = |file: &Path| -> Result<Loaded> {
        let shown = file.display().to_string();
        let bytes = std::fs::read(file).with_context(|| format!("reading `{shown}`"))?;
        Ok(Loaded {
            root: parse(&shown, &bytes, &named_files(), ring)?,
            files: vec![shown],
        })
    };
    match (a.is_dir(), b.is_dir()) {
        (true, true) => Ok((load_dir(a, a, ring)?, load_dir(b, b, ring)?)),
        (false, false) => {
            let name = b
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((
                BTreeMap::from([(name.clone(), load_file(a)?)]),
                BTreeMap::from([(name, load_file(b)?)]),
            ))
        }
        _ => Err(CliError::new(anyhow!("cannot compare a file with a directory")).into()),
    }
}

/// Every document under a directory, by path relative to it; `shown` is how the directory
/// is named in output.
fn load_dir(dir: &Path, shown: &Path, ring: Option<&Keyring>) -> Result<BTreeMap<String, Loaded>> {
    let tree = WorkTree::new(dir);
    let mut out = BTreeMap::new();
    for path in tree.list()?.paths {
        if DocFormat::from_path(&path).is_none() {
            continue;
        }
        let shown = shown.join(&path).display().to_string();
        let root = parse(&shown, &tree.read(&path)?, &named_files(), ring)?;
        out.insert(
            path,
            Loaded {
                root,
                files: vec![shown],
            },
        );
    }
    Ok(out)
}

/// The deployed side of `drift`: a directory, one document, or a ConfigMap manifest.
fn load_deployed(
    path: &Path,
    shown: &str,
    expected: &BTreeMap<String, Loaded>,
    ring: Option<&Keyring>,
) -> Result<BTreeMap<String, Loaded>> {
    let shown = shown.to_string();
    if path.is_dir() {
        return load_dir(path, Path::new(&shown), ring);
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading `{shown}`"))?;
    let root = parse(&shown, &bytes, &named_files(), ring)?;
    let is_configmap = root.get("kind").and_then(Node::as_str) == Some("ConfigMap");
    if !is_configmap {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = if expected.len() == 1 && !expected.contains_key(&name) {
            expected.keys().next().cloned().unwrap_or(name)
        } else {
            name
        };
        return Ok(BTreeMap::from([(
            name,
            Loaded {
                root,
                files: vec![shown],
            },
        )]));
    }
    // ConfigMap keys are document names with `/` written as `.` (see `render --as configmap`).
    let by_key: BTreeMap<String, &String> =
        expected.keys().map(|d| (d.replace('/', "."), d)).collect();
    let mut out = BTreeMap::new();
    if let Some(data) = root.get("data").and_then(Node::as_map) {
        for (key, entry) in data {
            let document = by_key.get(key).map_or(key.clone(), |d| (*d).clone());
            let text = entry.value.as_str().ok_or_else(|| {
                anyhow!("{shown}:{}: data.{key} is not a string", entry.value.pos)
            })?;
            let file = format!("{shown} (data.{key})");
            let format = DocFormat::from_path(&document).unwrap_or(DocFormat::Yaml);
            let parsed = document::parse(text.as_bytes(), format, &Limits::default())
                .map_err(|err| anyhow!("{file}: {}", err.message))?;
            let doc_root = parsed
                .roots
                .into_iter()
                .next()
                .ok_or_else(|| anyhow!("{file}: empty"))?;
            out.insert(
                document,
                Loaded {
                    root: doc_root,
                    files: vec![file],
                },
            );
        }
    }
    Ok(out)
}

/// Settings for files named on the command line: the size cap of `[repo] max_file_size`
/// guards repository-wide runs, but a file the user names explicitly is read whatever its size.
fn named_files() -> Config {
    let mut config = Config::default();
    config.repo.max_file_size = u64::MAX;
    config
}

/// The identities `--reveal` decrypts with (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, keys.txt, ssh).
fn reveal_keyring(compare: &CompareArgs) -> Result<Option<Keyring>> {
    if compare.reveal {
        Keyring::load(&[]).map(Some)
    } else {
        Ok(None)
    }
}

/// Parses one document. An encrypted file is compared without its `sops` metadata (which
/// changes on every edit), as ciphertext, or decrypted when a keyring is given (`--reveal`).
fn parse(path: &str, bytes: &[u8], config: &Config, ring: Option<&Keyring>) -> Result<Node> {
    if secrets::looks_encrypted(bytes)
        && let Some(file) = secrets::read(path, bytes)?
    {
        let format = if file.store == secrets::Store::Json {
            DocFormat::Json
        } else {
            DocFormat::Yaml
        };
        // A file this user has no identity for is compared as ciphertext, even with --reveal
        // (a diff across environments may touch keys one person does not hold).
        let opened = match ring.map(|ring| secrets::open(&file, ring)) {
            Some(Ok(opened)) => Some(opened),
            Some(Err(secrets::OpenError::NoIdentity { .. })) | None => None,
            Some(Err(other)) => return Err(anyhow!("{path}: {other}")),
        };
        let mut root = match &opened {
            Some(opened) => parse_plain(path, opened.plaintext.as_bytes(), format, config)?,
            None => parse_plain(path, bytes, format, config)?,
        };
        if let document::Value::Map(map) = &mut root.value {
            map.shift_remove("sops");
        }
        return Ok(root);
    }
    let format = DocFormat::from_path(path).unwrap_or(DocFormat::Yaml);
    parse_plain(path, bytes, format, config)
}

fn parse_plain(path: &str, bytes: &[u8], format: DocFormat, config: &Config) -> Result<Node> {
    let limits = config.parse_limits();
    let doc = document::parse(bytes, format, &limits).map_err(|err| err.in_file(path))?;
    Ok(doc
        .roots
        .into_iter()
        .next()
        .unwrap_or_else(|| Node::new(document::Value::Null, document::Pos::new(1, 1))))
}

fn only(mut docs: BTreeMap<String, Loaded>, wanted: &[String]) -> Result<BTreeMap<String, Loaded>> {
    if !wanted.is_empty() {
        docs.retain(|name, _| wanted.contains(name));
    }
    Ok(docs)
}

/// A change with everything the output needs, owned.
struct Row {
    document: String,
    path: String,
    kind: Kind,
    old: Option<serde_json::Value>,
    new: Option<serde_json::Value>,
    a: Option<(String, u32)>,
    b: Option<(String, u32)>,
    text: Option<Vec<String>>,
}

/// Diffs document by document, prints, and returns whether anything differs.
#[allow(clippy::too_many_arguments)]
fn report(
    ctx: &Context,
    a_label: &str,
    b_label: &str,
    left: &BTreeMap<String, Loaded>,
    right: &BTreeMap<String, Loaded>,
    compare: &CompareArgs,
    config: &Config,
    command: &str,
) -> Result<bool> {
    let options = diff::Options {
        ignore_order: compare.ignore_order,
        ..diff::Options::default()
    };
    let mut ignore: Vec<KeyPattern> = compare.ignore.clone();
    if compare.ignore_pinned {
        ignore.extend_from_slice(config.pinned());
    }
    let mut names: Vec<&String> = left.keys().chain(right.keys()).collect();
    names.sort();
    names.dedup();
    let mut rows = Vec::new();
    for name in names {
        let secret_doc = is_secret_file(name);
        match (left.get(name), right.get(name)) {
            (Some(a), Some(b)) => {
                for change in diff::diff(&a.root, &b.root, &options) {
                    // Like promote's pins: a pattern hides its key and everything below it.
                    if ignore.iter().any(|p| p.covers(&change.path)) {
                        continue;
                    }
                    rows.push(row(name, &change, a, b, secret_doc, compare.reveal));
                }
            }
            (a, b) => {
                // A whole document on one side only.
                let present = a.or(b).expect("one side has the document");
                let node = &present.root;
                let at = Some((
                    present
                        .files
                        .get(node.origin as usize)
                        .cloned()
                        .unwrap_or_default(),
                    node.pos.line,
                ));
                let value = Some(mask(node, secret_doc, compare.reveal, false));
                rows.push(Row {
                    document: name.clone(),
                    path: String::new(),
                    kind: if a.is_some() {
                        Kind::Removed
                    } else {
                        Kind::Added
                    },
                    old: if a.is_some() { value.clone() } else { None },
                    new: if b.is_some() { value } else { None },
                    a: if a.is_some() { at.clone() } else { None },
                    b: if b.is_some() { at } else { None },
                    text: None,
                });
            }
        }
    }
    print_rows(ctx, a_label, b_label, &rows, command)?;
    Ok(!rows.is_empty())
}

fn row(
    document: &str,
    change: &Change<'_>,
    a: &Loaded,
    b: &Loaded,
    secret_doc: bool,
    reveal: bool,
) -> Row {
    let secret = secret_doc || change.path.last_key().is_some_and(secret_key::looks_secret);
    let side = |node: Option<&Node>, pos: Option<document::Pos>, loaded: &Loaded| {
        let node = node?;
        let pos = pos.unwrap_or(node.pos);
        Some((
            loaded
                .files
                .get(node.origin as usize)
                .cloned()
                .unwrap_or_default(),
            pos.line,
        ))
    };
    let changed = change.kind == Kind::Changed;
    Row {
        document: document.to_string(),
        path: change.path.to_string(),
        kind: change.kind,
        old: change.old.map(|n| mask(n, secret, reveal, changed)),
        new: change.new.map(|n| mask(n, secret, reveal, changed)),
        a: side(change.old, change.old_pos, a),
        b: side(change.new, change.new_pos, b),
        text: if secret && !reveal {
            None
        } else {
            change.text_lines()
        },
    }
}

/// Secret values are replaced by a marker unless `--reveal`.
fn mask(node: &Node, secret: bool, reveal: bool, changed: bool) -> serde_json::Value {
    if secret && !reveal {
        serde_json::Value::String(if changed {
            "<secret: changed>".into()
        } else {
            "<secret>".into()
        })
    } else {
        node.to_json()
    }
}

fn print_rows(
    ctx: &Context,
    a_label: &str,
    b_label: &str,
    rows: &[Row],
    command: &str,
) -> Result<()> {
    let out = &ctx.output;
    let count = |kind: Kind| rows.iter().filter(|r| r.kind == kind).count();
    let mut documents: Vec<&str> = rows.iter().map(|r| r.document.as_str()).collect();
    documents.dedup();
    if out.format == Format::Json {
        let changes: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let side = |s: &Option<(String, u32)>| {
                    s.as_ref()
                        .map(|(file, line)| json!({"file": file, "line": line}))
                };
                json!({
                    "document": r.document, "path": r.path, "kind": r.kind,
                    "old": r.old, "new": r.new, "a": side(&r.a), "b": side(&r.b),
                })
            })
            .collect();
        let doc = json!({
            "version": 1, "command": command, "a": a_label, "b": b_label,
            "summary": {
                "documents": documents.len(), "changed": count(Kind::Changed), "added": count(Kind::Added),
                "removed": count(Kind::Removed), "reordered": count(Kind::Reordered),
            },
            "changes": changes,
        });
        out.result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        return Ok(());
    }
    let mut text = String::new();
    let mut current = None;
    let show = |v: &Option<serde_json::Value>| {
        let s = v
            .as_ref()
            .map(|v| serde_json::to_string(v).unwrap_or_default())
            .unwrap_or_default();
        if s.chars().count() > 80 {
            format!("{}…", s.chars().take(79).collect::<String>())
        } else {
            s
        }
    };
    let place = |s: &Option<(String, u32)>| s.as_ref().map(|(f, l)| format!("{f}:{l}"));
    for r in rows {
        if current != Some(r.document.as_str()) {
            if current.is_some() {
                text.push('\n');
            }
            current = Some(&r.document);
            text.push_str(&out.paint(styles::FILE, &r.document));
            text.push('\n');
        }
        let path = if r.path.is_empty() {
            "(whole document)".to_string()
        } else {
            r.path.clone()
        };
        let (mark, style, body) = match r.kind {
            Kind::Added => ("+", styles::OK, format!("{path}: {}", show(&r.new))),
            Kind::Removed => ("-", styles::ERROR, format!("{path}: {}", show(&r.old))),
            Kind::Changed => (
                "~",
                styles::WARNING,
                format!("{path}: {} → {}", show(&r.old), show(&r.new)),
            ),
            Kind::Reordered => (
                "~",
                styles::WARNING,
                format!("{path}: same items, new order"),
            ),
        };
        text.push_str(&format!("  {} {body}\n", out.paint(style, mark)));
        let places = match (place(&r.a), place(&r.b)) {
            (Some(a), Some(b)) => format!("{a} → {b}"),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => String::new(),
        };
        if !places.is_empty() {
            text.push_str(&format!("      {}\n", out.paint(styles::DIM, &places)));
        }
        for line in r.text.iter().flatten() {
            let style = match line.chars().next() {
                Some('+') => styles::OK,
                Some('-') => styles::ERROR,
                _ => styles::DIM,
            };
            text.push_str(&format!("      {}\n", out.paint(style, line)));
        }
    }
    out.result(&text)?;
    let summary = if rows.is_empty() {
        format!("No differences between {a_label} and {b_label}.")
    } else {
        format!(
            "{} {}: {} changed, {} added, {} removed{}.",
            documents.len(),
            if documents.len() == 1 {
                "document differs"
            } else {
                "documents differ"
            },
            count(Kind::Changed),
            count(Kind::Added),
            count(Kind::Removed),
            match count(Kind::Reordered) {
                0 => String::new(),
                n => format!(", {n} reordered"),
            }
        )
    };
    out.status(&summary);
    Ok(())
}
