//! The configuration history: what each commit changed, in which environments, and what
//! kind of change it was (from cfgctl's trailers), plus each environment's status.
//!
//! Git is the only state: everything here is computed from commits and trailers. Pure
//! functions over [`CommitInfo`]s, so they are tested without repositories.

use crate::environment::{Environments, Owner};
use crate::repo::history::CommitInfo;
use crate::trailers::{Action, Key};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// Marks a change to a layer that every environment renders (`global/`, a service or tenant
/// default).
pub const ALL_ENVIRONMENTS: &str = "*";

/// One line of `cfgctl log`.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub sha: String,
    pub date: String,
    pub kind: String,
    /// Environments whose configuration the commit changed; `*` for shared layers.
    pub environments: Vec<String>,
    pub author: String,
    pub email: String,
    pub subject: String,
    /// In message order, as `{"key": …, "value": …}` (a key may repeat: `Approved-by`).
    #[serde(serialize_with = "trailer_objects")]
    pub trailers: Vec<(String, String)>,
    #[serde(skip)]
    pub time: i64,
    #[serde(skip)]
    pub changed: Vec<String>,
    /// The cfgctl root's tree ids here and in the first parent (see [`CommitInfo`]).
    #[serde(skip)]
    pub tree: Option<String>,
    #[serde(skip)]
    pub parent_tree: Option<String>,
    #[serde(skip)]
    pub parent: Option<String>,
}

fn trailer_objects<S: serde::Serializer>(
    trailers: &[(String, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(trailers.len()))?;
    for (key, value) in trailers {
        seq.serialize_element(&serde_json::json!({ "key": key, "value": value }))?;
    }
    seq.end()
}

/// Interprets one commit: its kind (`Cfgctl-Action`, else `edit`) and environments: those
/// whose own files it changed (see [`crate::environment`]: documents, secret files, flag file,
/// packs.yaml), or `*` when it changed a shared layer or setting.
pub fn entry(commit: CommitInfo, environments: &[String]) -> Entry {
    let model = Environments::new(environments);
    let mut envs: BTreeSet<String> = BTreeSet::new();
    for path in &commit.changed {
        match model.owner(path) {
            Some(Owner::Env { env, .. }) => {
                envs.insert(env.to_string());
            }
            Some(Owner::Shared(_)) => {
                envs.insert(ALL_ENVIRONMENTS.to_string());
            }
            None => {}
        }
    }
    if let Some(to) = commit
        .trailer(Key::To.as_str())
        .or_else(|| commit.trailer(Key::Env.as_str()))
    {
        envs.insert(to.to_string());
    }
    let kind = commit
        .trailer(Key::Action.as_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| "edit".to_string());
    Entry {
        date: format_date(commit.time, commit.offset_minutes),
        sha: commit.sha,
        kind,
        environments: envs.into_iter().collect(),
        author: commit.author,
        email: commit.email,
        subject: commit.subject,
        trailers: commit.trailers,
        time: commit.time,
        changed: commit.changed,
        tree: commit.tree,
        parent_tree: commit.parent_tree,
        parent: commit.parent,
    }
}

impl Entry {
    /// The commit as a step of the key history.
    pub fn step(&self) -> crate::keys::Step<'_> {
        crate::keys::Step {
            sha: &self.sha,
            tree: self.tree.as_deref(),
            parent_tree: self.parent_tree.as_deref(),
            has_parent: self.parent.is_some(),
        }
    }

    /// Returns whether the commit changed what `env` renders (its own files or a shared layer).
    pub fn affects(&self, env: &str) -> bool {
        self.environments
            .iter()
            .any(|e| e == env || e == ALL_ENVIRONMENTS)
    }

    /// Returns whether the commit changed files of `env` itself (not shared layers): what a
    /// promotion out of `env` would carry. A promotion into `env` counts: its changes are
    /// not in the next environment yet.
    pub fn changes_own_files_of(&self, env: &str) -> bool {
        self.environments.iter().any(|e| e == env)
    }

    pub fn trailer(&self, key: &str) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The kind of cfgctl write, when the commit is one.
    pub fn action(&self) -> Option<crate::trailers::Action> {
        self.trailer(Key::Action.as_str()).and_then(Action::parse)
    }

    /// The environment the write was into (`Cfgctl-To`; older flag stages said `Cfgctl-Env`).
    pub fn target_env(&self) -> Option<&str> {
        self.trailer(Key::To.as_str())
            .or_else(|| self.trailer(Key::Env.as_str()))
    }

    pub fn short(&self) -> &str {
        &self.sha[..self.sha.len().min(7)]
    }
}

/// One row of `cfgctl status`.
#[derive(Debug, Clone, Serialize)]
pub struct EnvStatus {
    pub environment: String,
    pub last_change: Option<Entry>,
    pub last_promotion: Option<Promotion>,
    /// The environment promotions come from (the previous one in `[repo] environments`).
    pub source: Option<String>,
    /// Commits that changed the source environment's own files and are not promoted yet.
    pub behind: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Promotion {
    pub sha: String,
    pub date: String,
    pub from: Option<String>,
    /// The source commit recorded in `Cfgctl-From: ENV@sha`.
    pub from_commit: Option<String>,
    /// A later rollback names this promotion in `Cfgctl-Rollback-Of`.
    pub rolled_back: bool,
}

/// Computes every environment's status from the history (newest first). "Not yet promoted"
/// counts the commits that changed the previous environment's own files (not the shared
/// layers, which both render) after the source commit of the last promotion. `reachable_since`
/// returns the commits reachable from HEAD but not from a revision (None if it is unknown).
pub fn status(
    history: &[Entry],
    environments: &[String],
    reachable_since: &mut dyn FnMut(&str) -> Option<HashSet<String>>,
) -> Vec<EnvStatus> {
    environments
        .iter()
        .enumerate()
        .map(|(i, env)| {
            let last_change = history.iter().find(|e| e.affects(env)).cloned();
            let promotion = history.iter().find(|e| {
                e.action() == Some(Action::Promote) && e.target_env() == Some(env.as_str())
            });
            let last_promotion = promotion.map(|p| {
                let (from, from_commit) =
                    match p.trailer(Key::From.as_str()).map(|f| f.split_once('@')) {
                        Some(Some((env, sha))) => (Some(env.to_string()), Some(sha.to_string())),
                        _ => (None, None),
                    };
                let rolled_back = history
                    .iter()
                    .take_while(|e| e.sha != p.sha)
                    .any(|e| e.trailer(Key::RollbackOf.as_str()) == Some(p.sha.as_str()));
                Promotion {
                    sha: p.sha.clone(),
                    date: p.date.clone(),
                    from,
                    from_commit,
                    rolled_back,
                }
            });
            let source = i.checked_sub(1).map(|s| environments[s].clone());
            let behind = source.as_ref().map(|source| {
                // A commit that changed both environments (the first commit, a hand edit of
                // both) is not waiting for a promotion.
                let pending =
                    |e: &&Entry| e.changes_own_files_of(source) && !e.changes_own_files_of(env);
                let newer: Option<HashSet<String>> = last_promotion
                    .as_ref()
                    .and_then(|p| p.from_commit.as_deref())
                    .and_then(&mut *reachable_since);
                match (newer, promotion) {
                    // Everything the source changed after the commit that was promoted.
                    (Some(newer), _) => history
                        .iter()
                        .filter(pending)
                        .filter(|e| newer.contains(&e.sha))
                        .count(),
                    // The source commit is unknown: count what came after the promotion.
                    (None, Some(p)) => history
                        .iter()
                        .take_while(|e| e.sha != p.sha)
                        .filter(pending)
                        .count(),
                    (None, None) => history.iter().filter(pending).count(),
                }
            });
            EnvStatus {
                environment: env.clone(),
                last_change,
                last_promotion,
                source,
                behind,
            }
        })
        .collect()
}

/// Formats seconds since the epoch as `YYYY-MM-DD HH:MM` in the given offset.
pub fn format_date(seconds: i64, offset_minutes: i32) -> String {
    let local = seconds + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = crate::clock::civil_from_days(days);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} {sign}{:02}{:02}",
        secs / 3600,
        secs % 3600 / 60,
        off / 60,
        off % 60
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn envs() -> Vec<String> {
        ["dev", "stage", "prod"].map(String::from).to_vec()
    }

    /// A history entry for tests: a commit with these paths and trailers.
    pub(crate) fn commit(
        sha: &str,
        time: i64,
        changed: &[&str],
        trailers: &[(&str, &str)],
    ) -> Entry {
        entry(
            CommitInfo {
                sha: sha.to_string(),
                time,
                offset_minutes: 0,
                author: "A".into(),
                email: "a@example.com".into(),
                subject: format!("commit {sha}"),
                trailers: trailers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                changed: changed.iter().map(|s| s.to_string()).collect(),
                tree: None,
                parent_tree: None,
                parent: None,
            },
            &envs(),
        )
    }

    #[test]
    fn kinds_and_environments_come_from_paths_and_trailers() {
        let e = commit(
            "a1",
            0,
            &["environments/prod/db.yaml", "services/chat/stage/x.yaml"],
            &[],
        );
        assert_eq!(e.kind, "edit");
        assert_eq!(e.environments, ["prod", "stage"]);
        let g = commit("a2", 0, &["global/db.yaml"], &[]);
        assert_eq!(g.environments, ["*"]);
        assert!(g.affects("dev") && g.affects("prod"));
        let p = commit(
            "a3",
            0,
            &["environments/prod/db.yaml"],
            &[("Cfgctl-Action", "promote"), ("Cfgctl-To", "prod")],
        );
        assert_eq!(p.kind, "promote");
        assert!(p.changes_own_files_of("prod") && !p.changes_own_files_of("stage"));
        assert!(
            !g.changes_own_files_of("prod"),
            "shared layers are not promoted"
        );
        assert!(commit("a4", 0, &["cfgctl.toml"], &[]).affects("dev"));
        assert!(commit("a5", 0, &["README.md"], &[]).environments.is_empty());
        // An environment's flag file and pack activations are its own files.
        let f = commit("a6", 0, &["flags/prod.flags.json"], &[]);
        assert_eq!(f.environments, ["prod"]);
        assert!(f.changes_own_files_of("prod") && !f.affects("stage"));
        let p = commit("a7", 0, &["environments/stage/packs.yaml"], &[]);
        assert_eq!(p.environments, ["stage"]);
        assert!(
            commit("a8", 0, &["packs/p/pack.yaml"], &[])
                .environments
                .is_empty()
        );
    }

    #[test]
    fn status_counts_what_is_not_promoted_yet() {
        // Newest first.
        let history = vec![
            commit("c6", 6, &["environments/stage/a.yaml"], &[]),
            commit(
                "c5",
                5,
                &["environments/prod/a.yaml"],
                &[
                    ("Cfgctl-Action", "promote"),
                    ("Cfgctl-From", "stage@c3"),
                    ("Cfgctl-To", "prod"),
                ],
            ),
            commit("c4", 4, &["environments/stage/a.yaml"], &[]),
            commit("c3", 3, &["environments/stage/a.yaml"], &[]),
            commit("c2", 2, &["environments/dev/a.yaml"], &[]),
            commit("c1", 1, &["global/a.yaml"], &[]),
        ];
        let rows = status(&history, &envs(), &mut |rev| match rev {
            "c3" => Some(["c6", "c5", "c4"].map(String::from).into_iter().collect()),
            _ => None,
        });
        let dev = &rows[0];
        assert_eq!(dev.last_change.as_ref().unwrap().sha, "c2");
        assert_eq!((dev.source.as_deref(), dev.behind), (None, None));
        let stage = &rows[1];
        assert_eq!(stage.source.as_deref(), Some("dev"));
        assert_eq!(stage.behind, Some(1), "c2 was never promoted to stage");
        let prod = &rows[2];
        let promotion = prod.last_promotion.as_ref().unwrap();
        assert_eq!(
            (promotion.from.as_deref(), promotion.from_commit.as_deref()),
            (Some("stage"), Some("c3"))
        );
        assert_eq!(prod.behind, Some(2), "c4 and c6 changed stage after c3");
        assert_eq!(prod.last_change.as_ref().unwrap().sha, "c5");
    }

    #[test]
    fn dates_format_in_their_offset() {
        assert_eq!(format_date(0, 0), "1970-01-01 00:00 +0000");
        assert_eq!(format_date(1_767_225_600, 60), "2026-01-01 01:00 +0100");
        assert_eq!(format_date(1_767_225_600, -330), "2025-12-31 18:30 -0530");
    }
}
