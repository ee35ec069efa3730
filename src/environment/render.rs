//! Rendering an environment: read every layer file of the environment (optionally for one
//! service and one tenant) from a [`Source`], merge them per document, and substitute
//! `${VAR}` references. Returns data; `commands::render` decides what to print.

use super::Environments;
use crate::config::Config;
use crate::document::{self, Limits, Node};
use crate::layers::merge::{self, Rendered, Target};
use crate::layers::subst::{self, Malformed, SecretRef, Unresolved};
use crate::repo::Source;
use anyhow::{Result, anyhow};

/// What to render.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub env: String,
    pub service: Option<String>,
    pub tenant: Option<String>,
    /// Only these document names (all when empty).
    pub documents: Vec<String>,
}

/// One rendered document and what substitution could not resolve.
#[derive(Debug, Clone)]
pub struct Document {
    pub rendered: Rendered,
    pub unresolved: Vec<Unresolved>,
    pub malformed: Vec<Malformed>,
    /// `${SECRET:…}` references, left in place (secrets are resolved by the secrets feature).
    pub secrets: Vec<SecretRef>,
}

/// Renders the requested environment from a source. `lookup` reads variables (the process
/// environment in the CLI). Errors name the file and position of anything unreadable.
pub fn render(
    source: &dyn Source,
    listing: &[String],
    config: &Config,
    request: &Request,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Document>> {
    let limits = config.parse_limits();
    render_with(source, listing, config, request, lookup, &|path| {
        read_root(source, path, &limits)
    })
}

/// A layer file's tree, read from a source and parsed (its first document).
pub fn read_root(source: &dyn Source, path: &str, limits: &Limits) -> Result<Node> {
    let bytes = source.read(path)?;
    let format = document::Format::from_path(path).expect("classified files have a format");
    let parsed = document::parse(&bytes, format, limits).map_err(|err| err.in_file(path))?;
    parsed
        .roots
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("{path}: empty document"))
}

/// [`render`], with each layer file's tree from `root`: a caller that renders many
/// environments parses the files they share once.
pub fn render_with(
    source: &dyn Source,
    listing: &[String],
    config: &Config,
    request: &Request,
    lookup: &dyn Fn(&str) -> Option<String>,
    root: &dyn Fn(&str) -> Result<Node>,
) -> Result<Vec<Document>> {
    let environments = Environments::of(config);
    environments.get(&request.env)?;
    render_in(
        source,
        listing,
        &|name| environments.contains(name),
        request,
        lookup,
        root,
    )
}

/// [`render_with`] for a declared environment, with `is_env` saying which names are
/// environments: a caller that renders thousands of them answers from one index instead of
/// a scan of the list per file.
pub fn render_in(
    source: &dyn Source,
    listing: &[String],
    is_env: &dyn Fn(&str) -> bool,
    request: &Request,
    lookup: &dyn Fn(&str) -> Option<String>,
    root: &dyn Fn(&str) -> Result<Node>,
) -> Result<Vec<Document>> {
    for (kind, name) in [("services", &request.service), ("tenants", &request.tenant)] {
        if let Some(name) = name {
            let prefix = format!("{kind}/{name}/");
            if !listing.iter().any(|p| p.starts_with(&prefix)) {
                return Err(crate::error::CliError::new(anyhow!(
                    "no {kind}/{name}/ directory in the {}",
                    source.describe()
                ))
                .into());
            }
        }
    }
    // Layer files per document, in merge order. Secret files are not layers: their values
    // reach a render through `${SECRET:…}` references.
    let target = Target {
        env: &request.env,
        service: request.service.as_deref(),
        tenant: request.tenant.as_deref(),
    };
    let mut documents = target.documents(
        listing
            .iter()
            .map(String::as_str)
            .filter(|p| !crate::document::secret_key::is_secret_file(p)),
        is_env,
    );
    if !request.documents.is_empty() {
        documents.retain(|name, _| request.documents.contains(name));
    }
    if let Some(missing) = request
        .documents
        .iter()
        .find(|d| !documents.contains_key(*d))
    {
        return Err(crate::error::CliError::new(anyhow!(
            "no document `{missing}` in environment `{}`",
            request.env
        ))
        .into());
    }
    let mut out = Vec::new();
    for (name, files) in documents {
        let mut layers = Vec::new();
        for path in files {
            let tree = root(&path)?;
            layers.push((path, tree));
        }
        let mut rendered = merge::merge(&name, layers);
        let substitution = subst::substitute(&mut rendered.root, lookup);
        out.push(Document {
            rendered,
            unresolved: substitution.unresolved,
            malformed: substitution.errors,
            secrets: substitution.secrets,
        });
    }
    Ok(out)
}

/// The digest a rendered ConfigMap carries (`cfgctl/digest`): `sha256:` and the hex SHA-256 of
/// each data key and its text, each followed by a NUL byte, in key order. Equal digests mean
/// equal data, whatever the manifest around it.
pub fn data_digest<'a>(data: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::{Digest, Sha256};
    let mut entries: Vec<(&str, &str)> = data.into_iter().collect();
    entries.sort_unstable();
    let mut hash = Sha256::new();
    for (key, text) in entries {
        hash.update(key.as_bytes());
        hash.update([0]);
        hash.update(text.as_bytes());
        hash.update([0]);
    }
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The documents as one dotenv file: every leaf as `A__B__C=value`, keys upper-cased with
/// `__` between levels (list items by index) and any character but letters, digits and `_`
/// written as `_` (the convention .NET configuration, pydantic-settings and others read).
/// Two paths that give the same name are an error, naming both.
pub fn dotenv(documents: &[Document]) -> Result<String> {
    let mut lines: std::collections::BTreeMap<String, (String, String)> = Default::default();
    for doc in documents {
        let mut leaves = Vec::new();
        dotenv_leaves(&doc.rendered.root, &mut Vec::new(), &mut leaves);
        for (path, value) in leaves {
            let name = path
                .iter()
                .map(|segment| {
                    segment
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() {
                                c.to_ascii_uppercase()
                            } else {
                                '_'
                            }
                        })
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("__");
            let shown = format!("{} {}", doc.rendered.document, path.join("."));
            if let Some((other, _)) = lines.get(&name) {
                return Err(crate::error::CliError::new(anyhow!(
                    "`{other}` and `{shown}` are both the variable {name}"
                ))
                .with_hint("rename one of the keys, or render the documents separately")
                .into());
            }
            lines.insert(name, (shown, value));
        }
    }
    Ok(lines
        .into_iter()
        .map(|(name, (_, value))| format!("{name}={}\n", dotenv_value(&value)))
        .collect())
}

/// Collects the scalar leaves of a tree with their path segments, as text (null is empty).
fn dotenv_leaves(
    node: &document::Node,
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) {
    use document::Value;
    match &node.value {
        Value::Map(map) => {
            for (key, entry) in map {
                path.push(key.clone());
                dotenv_leaves(&entry.value, path, out);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                dotenv_leaves(item, path, out);
                path.pop();
            }
        }
        Value::Null => out.push((path.clone(), String::new())),
        Value::String(s) => out.push((path.clone(), s.clone())),
        _ => out.push((path.clone(), node.to_json().to_string())),
    }
}

/// A value as dotenv writes it: bare when it is safe, else double-quoted with `\`, `"`, `$`
/// and newlines escaped.
fn dotenv_value(value: &str) -> String {
    let bare = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.,:/@+%=".contains(c));
    if bare {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Format, Limits};

    fn doc(name: &str, yaml: &str) -> Document {
        let root = document::parse(yaml.as_bytes(), Format::Yaml, &Limits::default())
            .unwrap()
            .roots
            .remove(0);
        Document {
            rendered: merge::merge(name, vec![(format!("global/{name}"), root)]),
            unresolved: Vec::new(),
            malformed: Vec::new(),
            secrets: Vec::new(),
        }
    }

    #[test]
    fn dotenv_flattens_with_double_underscores_and_quotes_what_needs_it() {
        let text = dotenv(&[doc(
            "a.yaml",
            "db:\n  primary-host: h.example\n  port: 5432\n  tls: true\n  note: \"two words $HOME\"\nports: [80, 443]\n",
        )])
        .unwrap();
        assert_eq!(
            text,
            "DB__NOTE=\"two words \\$HOME\"\nDB__PORT=5432\nDB__PRIMARY_HOST=h.example\nDB__TLS=true\nPORTS__0=80\nPORTS__1=443\n"
        );
        let clash = dotenv(&[doc("a.yaml", "a-b: 1\na_b: 2\n")]).unwrap_err();
        assert!(clash.to_string().contains("A_B"), "{clash}");
    }
}
