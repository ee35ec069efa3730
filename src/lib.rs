//! cfgctl: a Git repository as the single source of truth for application configuration.
//!
//! ```text
//! main.rs ─► commands (clap, one file per subcommand: arguments → domain call → output)
//!
//!   writes     change       the pipeline every write takes: plan → policy → blockers → dry run
//!                           or one transaction; change::policy decides [policy.ENV]
//!              guard        readings judged (floor, window, K in a row), which change a verdict
//!                           rolls back, state in the notes ref refs/notes/cfgctl-guard
//!              promote      promotion plans: promoted / added / removed / pinned per key path
//!              packs        attack packs: load, checks M1 … L3, checksums, releases, activation
//!              flags        flagd-format flags: validate, evaluate (JsonLogic, fractional), stage,
//!                           canary schedules (flags::rollout)
//!              secrets      the SOPS format with age: encrypt, decrypt, re-key, edit
//!              hooks        the Git hooks cfgctl installs, and how install/uninstall plan them
//!              keys         one key: find it in a render, choose its layer file, plan a set/unset
//!   reads      validate     schemas + rules over a Source (working tree, index, revision)
//!              environment  what belongs to an environment; rendering it (environment::render)
//!              history      what each commit changed, where, and of what kind; status
//!              rules        semantic checks; rules::parity compares environments
//!              schema       JSON Schemas compiled once, offline $ref resolution, findings
//!              layers       layer files, merging them, ${VAR} substitution
//!              diff, edit   semantic diffs; in-place edits that keep comments
//!   ground     config       cfgctl.toml, typed and checked at load
//!              repo         the only git2 user: sources, history, tags, the write lock and
//!                           transactions (repo::transaction)
//!              trailers     the commit messages cfgctl writes and reads back
//!              document     YAML/JSON/TOML into one positioned tree; KeyPath, KeyPattern; secret key names
//!              finding      findings, reports and rule ids
//!              clock        the one clock (CFGCTL_NOW) and calendar arithmetic
//!              error        exit codes; output: human / json / github / junit, colour, progress
//! ```
//!
//! Dependencies point down this list and never back up: no module outside `commands` uses
//! `commands`, no module outside `repo` uses git2, and the module graph has no cycle
//! (tests/it/architecture.rs checks all three). Domain modules return data (findings,
//! reports, outcomes); only `commands` and `output` decide what is printed. Exit codes are
//! defined in [`error`].

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cel;
pub mod change;
pub mod clock;
pub mod commands;
pub mod config;
pub mod diff;
pub mod document;
pub mod edit;
pub mod environment;
pub mod error;
pub mod finding;
pub mod flags;
pub mod guard;
pub mod history;
pub mod hooks;
pub mod keys;
pub mod layers;
pub mod output;
pub mod packs;
pub mod promote;
pub mod repo;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod template;
#[cfg(test)]
mod test_rng;
pub mod trailers;
pub mod validate;
