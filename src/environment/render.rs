//! Rendering an environment: read every layer file of the environment (optionally for one
//! service and one tenant) from a [`Source`], merge them per document, and substitute
//! `${VAR}` references. Returns data; `commands::render` decides what to print.

use super::Environments;
use crate::config::Config;
use crate::document::{self, Limits};
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
    let environments = Environments::of(config);
    environments.get(&request.env)?;
    let is_env = |name: &str| environments.contains(name);
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
    let limits = Limits {
        max_bytes: config.repo.max_file_size,
        ..Limits::default()
    };
    let mut out = Vec::new();
    for (name, files) in documents {
        let mut layers = Vec::new();
        for path in files {
            let bytes = source.read(&path)?;
            let format =
                document::Format::from_path(&path).expect("classified files have a format");
            let parsed =
                document::parse(&bytes, format, &limits).map_err(|err| err.in_file(&path))?;
            let root = parsed
                .roots
                .into_iter()
                .next()
                .ok_or_else(|| anyhow!("{path}: empty document"))?;
            layers.push((path, root));
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
