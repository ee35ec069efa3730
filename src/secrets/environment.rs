//! An environment's secret files as `render` sees them: `${SECRET:database.password}` names a
//! key path in one of `environments/<env>/*.secret.*`. Keys are readable without a key, so a
//! reference is checked without decrypting; values are decrypted only when revealed.

use super::keys::Keyring;
use super::{OpenError, SecretFile};
use crate::document::{self, Format, Limits, Node, Value};
use crate::environment::Environment;
use crate::repo::Source;
use anyhow::{Result, anyhow};
use zeroize::Zeroizing;

/// One environment's encrypted files, with the structure of each.
pub struct EnvSecrets {
    files: Vec<(String, SecretFile, Node)>,
}

impl EnvSecrets {
    /// Reads the environment's secret files (`environments/<env>/**/*.secret.{yaml,yml,json}`,
    /// see [`Environment::secret_files`]) from the source.
    pub fn load(
        source: &dyn Source,
        listing: &[String],
        environment: Environment<'_>,
    ) -> Result<EnvSecrets> {
        let mut files = Vec::new();
        for path in environment.secret_files(listing) {
            let Some(format) = Format::from_path(path).filter(|f| *f != Format::Toml) else {
                continue;
            };
            let bytes = source.read(path)?;
            let Some(file) = super::read(path, &bytes)? else {
                continue;
            };
            let doc = document::parse_secret(&bytes, format, &Limits::default())
                .map_err(|e| e.in_file(path))?;
            let root = doc
                .roots
                .into_iter()
                .next()
                .ok_or_else(|| anyhow!("{path}: empty document"))?;
            files.push((path.clone(), file, root));
        }
        Ok(EnvSecrets { files })
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file that holds a key path, if any.
    pub fn locate(&self, key_path: &str) -> Option<&str> {
        let keys: Vec<&str> = key_path.split('.').collect();
        self.files
            .iter()
            .find(|(_, _, root)| lookup(root, &keys).is_some())
            .map(|(path, _, _)| path.as_str())
    }

    /// Decrypts the files that hold these key paths (only those: the others may be for keys
    /// this user does not have); the values are wiped when the result is dropped.
    pub fn reveal<'a>(
        &self,
        ring: &Keyring,
        key_paths: impl IntoIterator<Item = &'a str>,
    ) -> Result<Revealed, (String, OpenError)> {
        let needed: std::collections::HashSet<&str> = key_paths
            .into_iter()
            .filter_map(|k| self.locate(k))
            .collect();
        let mut roots = Vec::new();
        for (path, file, _) in self
            .files
            .iter()
            .filter(|(p, _, _)| needed.contains(p.as_str()))
        {
            let opened = super::open(file, ring).map_err(|e| (path.clone(), e))?;
            let format = if file.store == super::Store::Json {
                Format::Json
            } else {
                Format::Yaml
            };
            let doc =
                document::parse_secret(opened.plaintext.as_bytes(), format, &Limits::default())
                    .map_err(|e| {
                        (
                            path.clone(),
                            OpenError::Value {
                                location: "(document)".into(),
                                message: e.message,
                            },
                        )
                    })?;
            if let Some(root) = doc.roots.into_iter().next() {
                roots.push(root);
            }
        }
        Ok(Revealed { roots })
    }
}

/// Decrypted secret documents of one environment.
pub struct Revealed {
    roots: Vec<Node>,
}

impl Revealed {
    /// The value at a key path as text (what replaces `${SECRET:path}`).
    pub fn value(&self, key_path: &str) -> Option<String> {
        let keys: Vec<&str> = key_path.split('.').collect();
        self.roots.iter().find_map(|root| {
            let node = lookup(root, &keys)?;
            Some(
                Zeroizing::new(match &node.value {
                    Value::String(s) => s.clone(),
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Null | Value::Seq(_) | Value::Map(_) => return None,
                })
                .to_string(),
            )
        })
    }
}

fn lookup<'a>(root: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    let mut node = root;
    for key in keys {
        node = &node.as_map()?.get(*key)?.value;
    }
    // The metadata is not a secret.
    (keys.first() != Some(&"sops")).then_some(node)
}
