//! What belongs to an environment: one definition that every command reads.
//!
//! Environment `ENV` owns
//! - its documents: the layer files under `environments/ENV/`, and the overrides only it reads
//!   under `services/<s>/ENV/` and `tenants/<t>/ENV/`;
//! - its secret files: the SOPS files (`*.secret.*`) among them;
//! - its feature flags: `flags/ENV.flags.json` (or `.yaml`, `.yml`);
//! - its attack-pack activations: `environments/ENV/packs.yaml`.
//!
//! Anything else under `environments/ENV/` or an override directory is ENV's too (a README
//! there is restored with the rest). ENV also reads what it shares with every environment:
//! the layers `global/`, `services/<s>/` and `tenants/<t>/`, and the settings (`cfgctl.toml`,
//! `schemas/`). A change to a shared file changes what ENV renders, but restoring ENV never
//! touches one.
//!
//! So `diff` compares an environment's own files and its rendered documents, `rollback --env`
//! restores its own files, `log ENV` lists the commits that changed its own or its shared files,
//! and `status` reads its flags and packs from here. Pure: paths in, answers out.

pub mod render;

use crate::document::Format;
use crate::error::CliError;
use crate::layers;
use anyhow::anyhow;

/// The document name under which `diff` and `promote` show an environment's flag file.
pub const FLAGS_DOCUMENT: &str = "flags";

/// Which of an environment's own files a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A layer file: a configuration document of this environment or one of its overrides.
    Document,
    /// A SOPS-encrypted file (`*.secret.yaml`, `*.sops.json`…).
    Secrets,
    /// The feature flag file, `flags/ENV.flags.json`.
    Flags,
    /// The attack-pack activations, `environments/ENV/packs.yaml`.
    Packs,
    /// Any other file in the environment's directories (cfgctl does not read it).
    Other,
}

/// Which kind of shared file a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    /// A document of a shared layer: `global/`, `services/<s>/`, `tenants/<t>/`.
    Layer,
    /// `cfgctl.toml` or a schema: they change what every environment's files mean.
    Settings,
}

/// Whose a repository path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'p> {
    /// One environment's own file.
    Env { env: &'p str, part: Part },
    /// A file every environment reads.
    Shared(Shared),
}

/// How a path relates to one environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Belonging {
    /// One of the environment's own files.
    Own(Part),
    /// A file it shares with every other environment.
    Shared(Shared),
}

/// The environments a repository declares (`[repo] environments`, in promotion order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environments {
    names: Vec<String>,
    /// Each name's place in `names`: repositories list thousands of environments, and every
    /// path a command classifies asks whether a directory is one of them.
    places: std::collections::HashMap<String, usize>,
}

/// One declared environment: answers what belongs to it.
#[derive(Debug, Clone, Copy)]
pub struct Environment<'e> {
    name: &'e str,
    all: &'e Environments,
}

impl Environments {
    pub fn new(names: &[String]) -> Environments {
        let mut places = std::collections::HashMap::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            places.entry(name.clone()).or_insert(i);
        }
        Environments {
            names: names.to_vec(),
            places,
        }
    }

    /// The environments `cfgctl.toml` lists.
    pub fn of(config: &crate::config::Config) -> Environments {
        Environments::new(&config.repo.environments)
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn contains(&self, name: &str) -> bool {
        self.places.contains_key(name)
    }

    /// Returns a declared environment, or a usage error (exit 2) whose hint lists them all.
    pub fn get(&self, name: &str) -> anyhow::Result<Environment<'_>> {
        match self.places.get(name) {
            Some(&i) => Ok(Environment {
                name: &self.names[i],
                all: self,
            }),
            None => Err(self.unknown(name)),
        }
    }

    /// The error for a name that is not a declared environment.
    pub fn unknown(&self, name: &str) -> anyhow::Error {
        CliError::new(anyhow!("unknown environment `{name}`"))
            .with_hint(self.hint())
            .into()
    }

    /// `environments: a, b, c` (or how to declare some), for hints.
    pub fn hint(&self) -> String {
        if self.names.is_empty() {
            format!(
                "no environments are declared: list them in [repo] environments in {}",
                crate::config::FILE_NAME
            )
        } else {
            format!("environments: {}", self.names.join(", "))
        }
    }

    /// Tells whose a repository path is: one environment's own file, a file every environment
    /// shares, or neither (`None`: packs, `.sops.yaml`, files cfgctl does not read in shared
    /// layers). A directory under `environments/` names its environment even when
    /// `[repo] environments` does not list it (the `unknown-environment` rule reports that).
    pub fn owner<'p>(&self, path: &'p str) -> Option<Owner<'p>> {
        if let Some(env) = crate::flags::env_of(path) {
            return self.contains(env).then_some(Owner::Env {
                env,
                part: Part::Flags,
            });
        }
        if path == crate::config::FILE_NAME || path.starts_with(crate::schema::SCHEMA_DIR) {
            return Some(Owner::Shared(Shared::Settings));
        }
        let (top, rest) = path.split_once('/')?;
        let env = match top {
            "environments" => {
                let (env, inner) = rest.split_once('/')?;
                (!env.is_empty() && !inner.is_empty()).then_some(env)?
            }
            "services" | "tenants" => {
                let (_, inner) = rest.split_once('/')?;
                match inner.split_once('/') {
                    Some((env, file)) if self.contains(env) && !file.is_empty() => env,
                    _ => {
                        let is_env = |name: &str| self.contains(name);
                        return layers::classify(path, is_env)
                            .map(|_| Owner::Shared(Shared::Layer));
                    }
                }
            }
            "global" => {
                return layers::classify(path, |_| false).map(|_| Owner::Shared(Shared::Layer));
            }
            _ => return None,
        };
        Some(Owner::Env {
            env,
            part: part_of(path, top == "environments"),
        })
    }
}

impl<'e> Environment<'e> {
    pub fn name(&self) -> &'e str {
        self.name
    }

    /// The environment's directory, `environments/ENV/`.
    pub fn dir(&self) -> String {
        format!("environments/{}/", self.name)
    }

    /// The activation file, `environments/ENV/packs.yaml` (it may not exist).
    pub fn packs_file(&self) -> String {
        crate::packs::activation::file_for(self.name)
    }

    /// The flag file among a listing, if the environment has one.
    pub fn flag_file<'p>(&self, paths: &'p [String]) -> Option<&'p String> {
        crate::flags::file_of(paths, self.name)
    }

    /// How a repository path relates to this environment; `None` when it does not feed it.
    pub fn belongs(&self, path: &str) -> Option<Belonging> {
        match self.all.owner(path)? {
            Owner::Env { env, part } if env == self.name => Some(Belonging::Own(part)),
            Owner::Env { .. } => None,
            Owner::Shared(shared) => Some(Belonging::Shared(shared)),
        }
    }

    /// Returns whether a path is one of the environment's own files: what a restore of the
    /// environment puts back as it was (and removes when it did not exist).
    pub fn owns(&self, path: &str) -> bool {
        matches!(self.belongs(path), Some(Belonging::Own(_)))
    }

    /// The environment's own files among a listing, in listing order.
    pub fn own_files<'p>(&self, paths: &'p [String]) -> Vec<&'p String> {
        paths.iter().filter(|p| self.owns(p)).collect()
    }

    /// The environment's secret files among a listing: the ones `${SECRET:…}` reads, under
    /// `environments/ENV/`.
    pub fn secret_files<'p>(&self, paths: &'p [String]) -> Vec<&'p String> {
        let dir = self.dir();
        paths
            .iter()
            .filter(|p| {
                p.starts_with(&dir) && self.belongs(p) == Some(Belonging::Own(Part::Secrets))
            })
            .collect()
    }
}

/// What `env list` shows of one environment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub name: String,
    /// The documents it renders (without a service or tenant; `packs.yaml` is under `packs`),
    /// each with its layer files in merge order.
    pub documents: Vec<DocumentFiles>,
    pub secret_files: Vec<String>,
    pub flag_file: Option<String>,
    /// The attack-pack versions `environments/ENV/packs.yaml` activates.
    pub packs: Vec<crate::packs::activation::Active>,
}

/// One rendered document and the layer files it merges.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentFiles {
    pub name: String,
    pub files: Vec<String>,
}

impl Environments {
    /// Every environment in promotion order with its documents, secret files, flag file and
    /// active packs, read from `source`.
    pub fn summaries(
        &self,
        source: &dyn crate::repo::Source,
        paths: &[String],
    ) -> anyhow::Result<Vec<Summary>> {
        // Each path is classified once, into the environment that owns it or the shared
        // layers: asking every environment about every path is quadratic in a repository of
        // thousands of environments.
        let mut shared: Vec<String> = Vec::new();
        let mut own: std::collections::HashMap<&str, Vec<String>> = Default::default();
        for path in paths {
            match self.owner(path) {
                Some(Owner::Env { env, .. }) => own.entry(env).or_default().push(path.clone()),
                Some(Owner::Shared(_)) => shared.push(path.clone()),
                None => {}
            }
        }
        let none = Vec::new();
        self.names
            .iter()
            .map(|name| {
                let env = Environment { name, all: self };
                let own = own.get(name.as_str()).unwrap_or(&none);
                let target = layers::merge::Target {
                    env: name,
                    service: None,
                    tenant: None,
                };
                let documents = target
                    .documents(
                        shared
                            .iter()
                            .chain(own)
                            .map(String::as_str)
                            .filter(|p| !crate::document::secret_key::is_secret_file(p))
                            .filter(|p| env.belongs(p) != Some(Belonging::Own(Part::Packs))),
                        |n| self.contains(n),
                    )
                    .into_iter()
                    .map(|(name, files)| DocumentFiles { name, files })
                    .collect();
                let packs_file = env.packs_file();
                let packs = if own.contains(&packs_file) {
                    crate::packs::activation::parse(&packs_file, &source.read(&packs_file)?)?
                } else {
                    Vec::new()
                };
                Ok(Summary {
                    name: name.clone(),
                    documents,
                    secret_files: env.secret_files(own).into_iter().cloned().collect(),
                    flag_file: env.flag_file(own).cloned(),
                    packs,
                })
            })
            .collect()
    }
}

/// The part of an environment a file in one of its directories is; `in_env_dir` tells
/// `environments/ENV/` from an override directory.
fn part_of(path: &str, in_env_dir: bool) -> Part {
    let name = path.rsplit('/').next().unwrap_or(path);
    if Format::from_path(path).is_none() {
        Part::Other
    } else if crate::document::secret_key::is_secret_file(path) {
        Part::Secrets
    } else if in_env_dir && path.matches('/').count() == 2 && name == "packs.yaml" {
        Part::Packs
    } else {
        Part::Document
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envs() -> Environments {
        Environments::new(&["staging".to_string(), "production".to_string()])
    }

    #[test]
    fn own_files_are_told_from_shared_ones() {
        let envs = envs();
        let prod = envs.get("production").unwrap();
        let own = |path: &str| prod.belongs(path);
        assert_eq!(
            own("environments/production/database.yaml"),
            Some(Belonging::Own(Part::Document))
        );
        assert_eq!(
            own("environments/production/app.secret.yaml"),
            Some(Belonging::Own(Part::Secrets))
        );
        assert_eq!(
            own("environments/production/packs.yaml"),
            Some(Belonging::Own(Part::Packs))
        );
        assert_eq!(
            own("environments/production/nested/packs.yaml"),
            Some(Belonging::Own(Part::Document))
        );
        assert_eq!(
            own("flags/production.flags.json"),
            Some(Belonging::Own(Part::Flags))
        );
        assert_eq!(
            own("flags/production.flags.yaml"),
            Some(Belonging::Own(Part::Flags))
        );
        assert_eq!(
            own("services/chat/production/x.yaml"),
            Some(Belonging::Own(Part::Document))
        );
        assert_eq!(
            own("tenants/acme/production/y.secret.json"),
            Some(Belonging::Own(Part::Secrets))
        );
        assert_eq!(
            own("environments/production/README.md"),
            Some(Belonging::Own(Part::Other))
        );
        for shared in [
            "global/db.yaml",
            "services/chat/x.yaml",
            "tenants/acme/y.yaml",
        ] {
            assert_eq!(
                own(shared),
                Some(Belonging::Shared(Shared::Layer)),
                "{shared}"
            );
        }
        // `extra` is not an environment: a document named extra/x.yaml of the service.
        assert_eq!(
            own("services/chat/extra/x.yaml"),
            Some(Belonging::Shared(Shared::Layer))
        );
        assert_eq!(
            own("cfgctl.toml"),
            Some(Belonging::Shared(Shared::Settings))
        );
        assert_eq!(
            own("schemas/db.schema.json"),
            Some(Belonging::Shared(Shared::Settings))
        );
        for other in [
            "environments/staging/database.yaml",
            "flags/staging.flags.json",
            "services/chat/staging/x.yaml",
            "packs/p/pack.yaml",
            ".sops.yaml",
            "global/README.md",
            "README.md",
        ] {
            assert_eq!(own(other), None, "{other}");
        }
        assert!(prod.owns("flags/production.flags.json"));
        assert!(!prod.owns("global/db.yaml"));
    }

    #[test]
    fn an_undeclared_environment_directory_still_names_its_owner() {
        assert_eq!(
            envs().owner("environments/qa/db.yaml"),
            Some(Owner::Env {
                env: "qa",
                part: Part::Document
            })
        );
        // A flag file of an undeclared environment is nobody's.
        assert_eq!(envs().owner("flags/qa.flags.json"), None);
    }

    #[test]
    fn unknown_environments_are_usage_errors_listing_the_known_ones() {
        let err = envs().get("prodution").unwrap_err();
        assert_eq!(
            crate::error::render(&err),
            "error: unknown environment `prodution`\nhint: environments: staging, production"
        );
    }

    #[test]
    fn files_of_one_environment() {
        let envs = envs();
        let prod = envs.get("production").unwrap();
        let paths: Vec<String> = [
            "environments/production/a.secret.yaml",
            "environments/production/db.yaml",
            "environments/staging/b.secret.yaml",
            "flags/production.flags.json",
            "flags/staging.flags.json",
            "global/db.yaml",
            "services/chat/production/c.secret.yaml",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            prod.flag_file(&paths).map(String::as_str),
            Some("flags/production.flags.json")
        );
        assert_eq!(prod.packs_file(), "environments/production/packs.yaml");
        assert_eq!(
            prod.secret_files(&paths),
            [&paths[0]],
            "${{SECRET:…}} reads environments/ENV/ only"
        );
        assert_eq!(
            prod.own_files(&paths),
            [&paths[0], &paths[1], &paths[3], &paths[6]]
        );
    }
}
