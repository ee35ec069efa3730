//! The layer a file belongs to: `global → environments/<env> → services/<s> →
//! services/<s>/<env> → tenants/<t> → tenants/<t>/<env>`, and the document name under which
//! layers are merged (the path inside the layer). [`merge()`] folds a document's layers into one
//! tree; [`substitute()`] fills its `${VAR}` references.

pub mod merge;
pub mod subst;

pub use merge::{Rendered, Target, merge};
pub use subst::{Substitution, substitute};

use crate::document::Format;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    Global,
    Environment,
    Service(String),
    Tenant(String),
}

/// Where a configuration file sits among the layers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerFile {
    pub layer: Layer,
    /// The environment the file applies to, or `None` for all environments.
    pub env: Option<String>,
    /// The path inside the layer (`database.yaml`, `services/chat.yaml`).
    pub document: String,
}

/// Classifies a repository path; `is_env` tells the known environment names, so that
/// `services/chat/production/x.yaml` is an override while `services/chat/extra/x.yaml` is a
/// document named `extra/x.yaml`. Returns `None` for files outside the layers or with an
/// extension cfgctl does not read.
pub fn classify(path: &str, is_env: impl Fn(&str) -> bool) -> Option<LayerFile> {
    Format::from_path(path)?;
    let (top, rest) = path.split_once('/')?;
    let file = |layer: Layer, env: Option<&str>, document: &str| {
        (!document.is_empty()).then(|| LayerFile {
            layer,
            env: env.map(str::to_string),
            document: document.to_string(),
        })
    };
    match top {
        "global" => file(Layer::Global, None, rest),
        "environments" => {
            let (env, document) = rest.split_once('/')?;
            file(Layer::Environment, Some(env), document)
        }
        "services" | "tenants" => {
            let (name, inner) = rest.split_once('/')?;
            let layer = if top == "services" {
                Layer::Service(name.to_string())
            } else {
                Layer::Tenant(name.to_string())
            };
            match inner.split_once('/') {
                Some((env, document)) if is_env(env) => file(layer, Some(env), document),
                _ => file(layer, None, inner),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envs(name: &str) -> bool {
        name == "staging" || name == "production"
    }

    #[test]
    fn classifies_every_layer() {
        let c = |p: &str| classify(p, envs);
        assert_eq!(c("global/database.yaml").unwrap().layer, Layer::Global);
        let env = c("environments/staging/services.yaml").unwrap();
        assert_eq!(
            (env.env.as_deref(), env.document.as_str()),
            (Some("staging"), "services.yaml")
        );
        let svc = c("services/chat/production/services.yaml").unwrap();
        assert_eq!(svc.layer, Layer::Service("chat".into()));
        assert_eq!(svc.env.as_deref(), Some("production"));
        let svc = c("services/chat/extra/x.yaml").unwrap();
        assert_eq!((svc.env, svc.document.as_str()), (None, "extra/x.yaml"));
        let tenant = c("tenants/acme/security.yaml").unwrap();
        assert_eq!(tenant.layer, Layer::Tenant("acme".into()));
        assert_eq!(c("schemas/x.json"), None);
        assert_eq!(c("environments/staging/README.md"), None);
        assert_eq!(c("environments/x.yaml"), None);
    }
}
