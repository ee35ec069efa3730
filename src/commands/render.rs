//! `cfgctl render ENV [DOCUMENT…]`

use super::Context;
use crate::config;
use crate::document::{self, Entry, KeyPath, Map, Node, Pos, SegmentRef, Value, emit};
use crate::environment::Environments;
use crate::environment::render::{self, Document, Request};
use crate::error::{CliError, ExitStatus};
use crate::finding::{Finding, Severity};
use crate::output::{Format, styles};
use crate::repo::{self, GitSource, Source, WorkTree};
use crate::secrets::environment::EnvSecrets;
use crate::validate::Checker;
use anyhow::{Result, anyhow};
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The environment to render
    pub env: String,

    /// Only these documents (names as inside a layer, e.g. database.yaml)
    #[arg(value_name = "DOCUMENT")]
    pub documents: Vec<String>,

    /// Add the layers of this service (services/S/ and services/S/ENV/)
    #[arg(long, value_name = "S")]
    pub service: Option<String>,

    /// Add the layers of this tenant (tenants/T/ and tenants/T/ENV/)
    #[arg(long, value_name = "T")]
    pub tenant: Option<String>,

    /// Show, for every value, the layer file and line it came from
    #[arg(long, conflicts_with = "output")]
    pub explain: bool,

    /// Print the documents as yaml, json, dotenv (A__B=value), or a Kubernetes ConfigMap
    /// manifest
    #[arg(long = "as", value_enum, default_value_t = Output::Yaml, value_name = "FORM", id = "output")]
    pub output: Output,

    /// The ConfigMap's metadata.name (with --as configmap)
    #[arg(long, value_name = "N")]
    pub name: Option<String>,

    /// Render the environment as it was at a revision, without a checkout
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,

    /// Fail on any unresolved ${VAR} (the default when the CI variable is set)
    #[arg(long, overrides_with = "no_strict")]
    pub strict: bool,

    /// Only warn about unresolved ${VAR}, even in CI
    #[arg(long, overrides_with = "strict")]
    pub no_strict: bool,

    /// Do not validate the rendered documents against their schemas
    #[arg(long)]
    pub no_validate: bool,

    /// Replace ${SECRET:…} with decrypted values (needs an age identity); without it the
    /// references are checked against the secret files and left as written
    #[arg(long)]
    pub reveal: bool,

    /// An age identity file for --reveal (repeatable; SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the
    /// default keys.txt are tried too)
    #[arg(long, value_name = "FILE", requires = "reveal")]
    pub identity: Vec<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Yaml,
    Json,
    Dotenv,
    Configmap,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "render")?;
    let name = match (args.output, &args.name) {
        (Output::Configmap, Some(name)) => Some(configmap_name(name)?),
        (Output::Configmap, None) => {
            return Err(CliError::new(anyhow!("--as configmap needs --name"))
                .with_hint("cfgctl render production --as configmap --name app-config")
                .into());
        }
        (_, Some(_)) => {
            return Err(CliError::new(anyhow!("--name only goes with --as configmap")).into());
        }
        _ => None,
    };
    let strict = if args.strict {
        true
    } else if args.no_strict {
        false
    } else {
        std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
    };

    let root = repo::find_root(&ctx.cwd)?;
    let source: Box<dyn Source> = match &args.at {
        Some(rev) => Box::new(GitSource::revision(&root, rev)?),
        None => Box::new(WorkTree::new(&root)),
    };
    let config = config::read(source.as_ref(), config::Presence::Required)?;
    let listing = source.list()?;
    let request = Request {
        env: args.env.clone(),
        service: args.service.clone(),
        tenant: args.tenant.clone(),
        documents: args.documents.clone(),
    };
    let mut documents =
        render::render(source.as_ref(), &listing.paths, &config, &request, &|var| {
            std::env::var(var).ok()
        })?;
    let environments = Environments::of(&config);
    let env_secrets = EnvSecrets::load(
        source.as_ref(),
        &listing.paths,
        environments.get(&args.env)?,
    )?;

    // References: unresolved ones fail a strict render; malformed ones always do.
    let mut problems = Vec::new();
    for doc in &documents {
        let file = |origin: u32| {
            doc.rendered
                .files
                .get(origin as usize)
                .map_or("?", String::as_str)
        };
        for r in &doc.malformed {
            problems.push((
                "malformed reference",
                format!(
                    "{}:{}: malformed reference `{}` at {}: {}",
                    file(r.origin),
                    r.pos,
                    r.text,
                    r.path,
                    r.problem
                ),
            ));
        }
        for r in &doc.secrets {
            if env_secrets.locate(&r.secret).is_none() {
                problems.push((
                    "unknown secret",
                    format!(
                        "{}:{}: `${{SECRET:{}}}` at {}: no environments/{}/*.secret.* file has that key",
                        file(r.origin),
                        r.pos,
                        r.secret,
                        r.path,
                        args.env
                    ),
                ));
            }
        }
        for r in &doc.unresolved {
            problems.push((
                "unresolved reference",
                format!(
                    "{}:{}: unresolved reference `{}` at {}",
                    file(r.origin),
                    r.pos,
                    r.text,
                    r.path
                ),
            ));
        }
    }
    let fatal = problems
        .iter()
        .any(|(what, _)| strict || *what != "unresolved reference");
    for (_, line) in &problems {
        if fatal {
            ctx.output.problem(&format!("error: {line}"));
        } else {
            ctx.output.warn(&format!("{line} (left in place)"));
        }
    }
    if fatal {
        if strict {
            ctx.output.problem(
                "hint: set the variables, give defaults (${VAR:default}), or pass --no-strict",
            );
        }
        return Ok(ExitStatus::Findings);
    }

    if !args.no_validate {
        let findings = validate_rendered(
            &config,
            source.as_ref(),
            &root,
            &listing.paths,
            &args.env,
            &documents,
        )?;
        if !findings.is_empty() {
            let errors = findings.iter().any(|f| f.severity == Severity::Error);
            for f in &findings {
                ctx.output.problem(&format!(
                    "{}: {}:{}: {}{} [{}]",
                    f.severity.as_str(),
                    f.file,
                    f.pos,
                    f.path
                        .as_deref()
                        .map(|p| format!("{p}: "))
                        .unwrap_or_default(),
                    f.message,
                    f.rule
                ));
            }
            if errors {
                ctx.output.problem(&format!(
                    "error: the rendered `{}` is invalid (every layer can be valid while the merge is not); pass --no-validate to print it anyway",
                    args.env
                ));
                return Ok(ExitStatus::Findings);
            }
        }
    }

    // Secrets are filled after validation: schemas describe the references, not the values.
    if args.reveal {
        reveal(&env_secrets, &args.identity, &mut documents)?;
    }

    let text = if args.explain {
        explain(&documents, ctx)
    } else if ctx.output.format == Format::Json {
        wrapped_json(args, &documents)
    } else {
        match args.output {
            Output::Yaml => yaml_stream(&documents),
            Output::Json => documents_json(&documents),
            Output::Dotenv => render::dotenv(&documents)?,
            Output::Configmap => {
                let revision = revision(&root, args, &documents)?;
                configmap(
                    &documents,
                    name.as_deref().unwrap_or_default(),
                    args,
                    revision,
                )?
            }
        }
    };
    ctx.output.result(&text)?;
    Ok(ExitStatus::Success)
}

/// Fills every `${SECRET:…}` reference of rendered documents with its decrypted value.
pub(super) fn reveal(
    env_secrets: &EnvSecrets,
    identity: &[std::path::PathBuf],
    documents: &mut [Document],
) -> Result<()> {
    let ring = crate::secrets::keys::Keyring::load(identity)?;
    let wanted = documents
        .iter()
        .flat_map(|d| d.secrets.iter().map(|r| r.secret.as_str()));
    let revealed = env_secrets
        .reveal(&ring, wanted)
        .map_err(|(path, e)| e.explain(&path))?;
    for doc in documents {
        let unfilled =
            crate::layers::subst::fill_secrets(&mut doc.rendered.root, &doc.secrets, &|name| {
                revealed.value(name)
            });
        if let Some(r) = unfilled.first() {
            return Err(anyhow!(
                "`${{SECRET:{}}}` at {} did not resolve to a scalar value",
                r.secret,
                r.path
            ));
        }
    }
    Ok(())
}

/// Validates rendered documents against the schemas mapped to `environments/ENV/<document>`,
/// positioned in the layer file each offending value came from.
fn validate_rendered(
    config: &config::Config,
    source: &dyn Source,
    root: &std::path::Path,
    listing: &[String],
    env: &str,
    documents: &[Document],
) -> Result<Vec<Finding>> {
    let root_str = root
        .to_str()
        .ok_or_else(|| anyhow!("repository path is not valid UTF-8"))?;
    let checker = Checker::new(config, source, root_str, listing)?;
    let mut findings = Vec::new();
    for doc in documents {
        let as_path = format!("environments/{env}/{}", doc.rendered.document);
        findings.extend(checker.check_rendered(&as_path, &doc.rendered.root, &doc.rendered.files));
    }
    Finding::sort(&mut findings);
    Ok(findings)
}

/// The documents as one YAML stream, each introduced by its name and the files it came from.
fn yaml_stream(documents: &[Document]) -> String {
    let mut out = String::new();
    for doc in documents {
        out.push_str(&format!(
            "--- # {} ({})\n",
            doc.rendered.document,
            doc.rendered.files.join(", ")
        ));
        out.push_str(&emit::to_yaml(&doc.rendered.root));
    }
    out
}

fn documents_json(documents: &[Document]) -> String {
    let mut map = serde_json::Map::new();
    for doc in documents {
        map.insert(doc.rendered.document.clone(), doc.rendered.root.to_json());
    }
    format!(
        "{}\n",
        serde_json::to_string_pretty(&map).unwrap_or_default()
    )
}

/// `--format json`: the documents with where they came from (version 1).
fn wrapped_json(args: &Args, documents: &[Document]) -> String {
    let docs: Vec<serde_json::Value> = documents
        .iter()
        .map(|doc| {
            json!({
                "name": doc.rendered.document,
                "files": doc.rendered.files,
                "content": doc.rendered.root.to_json(),
                "unresolved": doc.unresolved.iter().map(|r| json!({
                    "path": r.path.to_string(), "reference": r.text,
                    "file": doc.rendered.files.get(r.origin as usize), "line": r.pos.line, "column": r.pos.column,
                })).collect::<Vec<_>>(),
                "secret_references": doc.secrets.iter().map(|r| json!({"path": r.path.to_string(), "secret": r.secret})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "command": "render",
        "environment": args.env,
        "service": args.service,
        "tenant": args.tenant,
        "revision": args.at,
        "documents": docs,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

/// `--explain`: every leaf with the file and line it came from.
fn explain(documents: &[Document], ctx: &Context) -> String {
    let mut rows: Vec<(String, String, serde_json::Value, String, u32)> = Vec::new();
    for doc in documents {
        let mut found = Vec::new();
        leaves(&doc.rendered.root, &mut Vec::new(), &mut found);
        for (path, node) in found {
            let file = doc
                .rendered
                .files
                .get(node.origin as usize)
                .cloned()
                .unwrap_or_default();
            rows.push((
                doc.rendered.document.clone(),
                path.to_string(),
                node.to_json(),
                file,
                node.pos.line,
            ));
        }
    }
    if ctx.output.format == Format::Json {
        let entries: Vec<serde_json::Value> = rows
            .into_iter()
            .map(|(document, path, value, file, line)| {
                json!({"document": document, "path": path, "value": value, "file": file, "line": line})
            })
            .collect();
        let doc = json!({"version": 1, "command": "render", "explain": entries});
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["document", "path", "value", "from"]);
    for (document, path, value, file, line) in rows {
        let value = serde_json::to_string(&value).unwrap_or_default();
        let value = if value.chars().count() > 60 {
            format!("{}…", value.chars().take(59).collect::<String>())
        } else {
            value
        };
        table.add_row(vec![
            document,
            ctx.output.paint(styles::PATH, &path),
            value,
            format!("{file}:{line}"),
        ]);
    }
    format!("{table}\n")
}

/// Collects the leaves of a tree: scalars, empty collections, and lists of scalars (one row
/// for the whole list, since a list comes from one layer).
pub(super) fn leaves<'a>(
    node: &'a Node,
    path: &mut Vec<SegmentRef<'a>>,
    out: &mut Vec<(KeyPath, &'a Node)>,
) {
    match &node.value {
        Value::Map(map) if !map.is_empty() => {
            for (key, entry) in map {
                path.push(SegmentRef::Key(key));
                leaves(&entry.value, path, out);
                path.pop();
            }
        }
        Value::Seq(items)
            if items
                .iter()
                .any(|i| matches!(i.value, Value::Map(_) | Value::Seq(_))) =>
        {
            for (i, item) in items.iter().enumerate() {
                path.push(SegmentRef::Index(i));
                leaves(item, path, out);
                path.pop();
            }
        }
        _ => out.push((KeyPath::from(&path[..]), node)),
    }
}

/// The commit a render comes from, for `cfgctl/revision`: the one `--at` names, else HEAD,
/// with `-dirty` when a file the documents were read from has uncommitted changes; `None`
/// before the first commit.
fn revision(root: &std::path::Path, args: &Args, documents: &[Document]) -> Result<Option<String>> {
    if let Some(rev) = &args.at {
        return Ok(Some(
            repo::commit_id(root, rev).unwrap_or_else(|_| rev.clone()),
        ));
    }
    let Ok(head) = repo::transaction::head(root) else {
        return Ok(None);
    };
    let files: Vec<String> = documents
        .iter()
        .flat_map(|d| d.rendered.files.iter().cloned())
        .collect();
    let dirty = !repo::transaction::dirty(root, &files)?.is_empty();
    Ok(Some(if dirty { format!("{head}-dirty") } else { head }))
}

/// A Kubernetes ConfigMap with one key per document, each in its own format, annotated with
/// the revision it was rendered from and the digest of its data.
fn configmap(
    documents: &[Document],
    name: &str,
    args: &Args,
    revision: Option<String>,
) -> Result<String> {
    let mut data = Map::default();
    for doc in documents {
        let rendered = &doc.rendered;
        let text = match document::Format::from_path(&rendered.document) {
            Some(document::Format::Json) => emit::to_json_text(&rendered.root),
            Some(document::Format::Toml) => emit::to_toml(&rendered.root)
                .map_err(|e| anyhow!("cannot write `{}` as TOML: {e}", rendered.document))?,
            _ => emit::to_yaml(&rendered.root),
        };
        // ConfigMap keys allow [-._a-zA-Z0-9]: nested document names use `.` for `/`.
        let key = rendered.document.replace('/', ".");
        data.insert(key, entry(Value::String(text)));
    }
    let mut labels = Map::default();
    labels.insert(
        "app.kubernetes.io/managed-by".into(),
        entry(Value::String("cfgctl".into())),
    );
    let mut annotations = Map::default();
    annotations.insert(
        "cfgctl/environment".into(),
        entry(Value::String(args.env.clone())),
    );
    let digest = render::data_digest(data.iter().filter_map(|(key, e)| match &e.value.value {
        Value::String(text) => Some((key.as_str(), text.as_str())),
        _ => None,
    }));
    for (key, value) in [
        ("cfgctl/service", &args.service),
        ("cfgctl/tenant", &args.tenant),
        ("cfgctl/revision", &revision),
        ("cfgctl/digest", &Some(digest)),
    ] {
        if let Some(value) = value {
            annotations.insert(key.into(), entry(Value::String(value.clone())));
        }
    }
    let mut metadata = Map::default();
    metadata.insert("name".into(), entry(Value::String(name.to_string())));
    metadata.insert("labels".into(), entry(Value::Map(labels)));
    metadata.insert("annotations".into(), entry(Value::Map(annotations)));
    let mut manifest = Map::default();
    manifest.insert("apiVersion".into(), entry(Value::String("v1".into())));
    manifest.insert("kind".into(), entry(Value::String("ConfigMap".into())));
    manifest.insert("metadata".into(), entry(Value::Map(metadata)));
    manifest.insert("data".into(), entry(Value::Map(data)));
    Ok(emit::to_yaml(&Node::new(
        Value::Map(manifest),
        Pos::default(),
    )))
}

fn entry(value: Value) -> Entry {
    Entry {
        key_pos: Pos::default(),
        value: Node::new(value, Pos::default()),
    }
}

/// Checks a ConfigMap name: a DNS-1123 subdomain (lower case, digits, `-`, `.`; ≤ 253).
fn configmap_name(name: &str) -> Result<String> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(name.to_string())
    } else {
        Err(CliError::new(anyhow!("`{name}` is not a valid ConfigMap name"))
            .with_hint("use lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit")
            .into())
    }
}
