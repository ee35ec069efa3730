//! Which `[[schema]]` entries apply to a path.
//!
//! Every file of a run is matched against every entry's `files` and `exclude` globs. Most
//! globs end in a literal file name (`environments/*/database.yaml`): such a glob can only
//! match a path with that name, so a path is tried only against the globs that end in its
//! own name and the few that do not end in a literal one. Asking each entry's glob sets in
//! turn was a tenth of the work a cold run spends on a file outside parsing.

use super::Mapping;
use globset::{Candidate, Glob, GlobMatcher};
use std::collections::HashMap;

/// The `[[schema]]` entries with their compiled globs.
pub(super) struct Mappings {
    list: Vec<Mapping>,
    /// Every glob: the entry it belongs to, whether it is one of its `files` (or `exclude`).
    globs: Vec<(usize, bool, GlobMatcher)>,
    /// The globs whose last component is a literal name, by that name.
    by_name: HashMap<String, Vec<usize>, foldhash::fast::RandomState>,
    /// The other globs, tried for every path.
    others: Vec<usize>,
}

impl Mappings {
    /// The entries in `cfgctl.toml` order, each with its `files` and `exclude` globs.
    pub(super) fn new(entries: Vec<(Mapping, Vec<Glob>, Vec<Glob>)>) -> Mappings {
        let mut mappings = Mappings {
            list: Vec::with_capacity(entries.len()),
            globs: Vec::new(),
            by_name: HashMap::default(),
            others: Vec::new(),
        };
        for (i, (mapping, files, exclude)) in entries.into_iter().enumerate() {
            let tagged = files
                .into_iter()
                .map(|g| (true, g))
                .chain(exclude.into_iter().map(|g| (false, g)));
            for (include, glob) in tagged {
                let index = mappings.globs.len();
                match literal_name(glob.glob()) {
                    Some(name) => mappings
                        .by_name
                        .entry(name.to_string())
                        .or_default()
                        .push(index),
                    None => mappings.others.push(index),
                }
                mappings.globs.push((i, include, glob.compile_matcher()));
            }
            mappings.list.push(mapping);
        }
        mappings
    }

    /// The entries whose `files` match the path and whose `exclude` does not, in the order
    /// of `cfgctl.toml`.
    pub(super) fn matching(&self, path: &str) -> Vec<&Mapping> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let candidate = Candidate::new(path);
        let (mut included, mut excluded) =
            (vec![false; self.list.len()], vec![false; self.list.len()]);
        let named = self.by_name.get(name).map_or(&[][..], Vec::as_slice);
        for &g in named.iter().chain(&self.others) {
            let (entry, include, matcher) = &self.globs[g];
            let found = if *include {
                &mut included
            } else {
                &mut excluded
            };
            if !found[*entry] && matcher.is_match_candidate(&candidate) {
                found[*entry] = true;
            }
        }
        self.list
            .iter()
            .enumerate()
            .filter(|&(i, _)| included[i] && !excluded[i])
            .map(|(_, mapping)| mapping)
            .collect()
    }

    /// Whether any entry applies to the path.
    pub(super) fn any(&self, path: &str) -> bool {
        !self.matching(path).is_empty()
    }
}

/// The last path component of a glob when it has no glob syntax: with `*` kept inside one
/// component (`literal_separator`), a path the glob matches ends in exactly that name.
fn literal_name(glob: &str) -> Option<&str> {
    let name = glob.rsplit('/').next().unwrap_or(glob);
    let special = |c: char| matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\');
    (!name.is_empty() && !name.contains(special)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::schema::Reporting;
    use globset::{GlobBuilder, GlobSetBuilder};

    fn glob(pattern: &str) -> Glob {
        GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .unwrap()
    }

    fn mapping(schema: &str) -> Mapping {
        Mapping {
            schema: std::sync::Arc::new(super::super::LazySchema {
                path: schema.to_string(),
                store: None,
                compiled: std::sync::OnceLock::new(),
            }),
            reporting: Reporting {
                severity: Severity::Error,
                partial: false,
            },
        }
    }

    /// The entries' names the way every glob set asked in turn finds them.
    fn one_by_one(entries: &[(&str, Vec<&str>, Vec<&str>)], path: &str) -> Vec<String> {
        let set = |patterns: &[&str]| {
            let mut builder = GlobSetBuilder::new();
            for p in patterns {
                builder.add(glob(p));
            }
            builder.build().unwrap()
        };
        entries
            .iter()
            .filter(|(_, files, exclude)| set(files).is_match(path) && !set(exclude).is_match(path))
            .map(|(name, _, _)| name.to_string())
            .collect()
    }

    #[test]
    fn finds_what_every_glob_set_asked_in_turn_finds() {
        let entries: Vec<(&str, Vec<&str>, Vec<&str>)> = vec![
            ("db-env", vec!["environments/*/database.yaml"], vec![]),
            (
                "db-layers",
                vec![
                    "global/database.yaml",
                    "services/**/database.yaml",
                    "tenants/**/database.yaml",
                ],
                vec!["tenants/legacy/**"],
            ),
            (
                "prod",
                vec!["environments/production/**"],
                vec!["**/*.secret.yaml"],
            ),
            (
                "any-yaml",
                vec!["**/*.yaml"],
                vec!["schemas/**", "**/database.yaml"],
            ),
            ("top", vec!["database.yaml", "*.toml"], vec![]),
            (
                "odd",
                vec!["conf/{a,b}.json", "x/[ab]?.yml", "lit\\*.yaml", "dir/"],
                vec![],
            ),
        ];
        let mappings = Mappings::new(
            entries
                .iter()
                .map(|(name, files, exclude)| {
                    (
                        mapping(name),
                        files.iter().map(|p| glob(p)).collect(),
                        exclude.iter().map(|p| glob(p)).collect(),
                    )
                })
                .collect(),
        );
        let paths = [
            "environments/staging/database.yaml",
            "environments/production/database.yaml",
            "environments/production/services.yaml",
            "environments/production/db.secret.yaml",
            "environments/production/deep/x/database.yaml",
            "environments/a/b/database.yaml",
            "global/database.yaml",
            "services/api/database.yaml",
            "services/database.yaml",
            "tenants/legacy/x/database.yaml",
            "tenants/acme/eu/database.yaml",
            "database.yaml",
            "cfgctl.toml",
            "sub/cfgctl.toml",
            "schemas/a.yaml",
            "conf/a.json",
            "conf/c.json",
            "x/ab.yml",
            "x/abc.yml",
            "lit*.yaml",
            "litx.yaml",
            "dir/",
            "notes.txt",
            "",
        ];
        for path in paths {
            let found: Vec<String> = mappings
                .matching(path)
                .iter()
                .map(|m| m.schema.path.clone())
                .collect();
            assert_eq!(found, one_by_one(&entries, path), "{path}");
            assert_eq!(mappings.any(path), !found.is_empty(), "{path}");
        }
    }
}
