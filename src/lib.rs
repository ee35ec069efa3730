//! cfgctl: a Git repository as the single source of truth for application configuration.
//!
//! ```text
//! main.rs ─► commands (clap, one file per subcommand) ─► domain modules ─► output
//!              validate   schemas + rules over a Source (working tree, index, revision)
//!              schema     JSON Schemas compiled once, offline $ref resolution, positioned findings
//!              rules      semantic checks; rules::parity compares environments
//!              diff       semantic diff of two trees (render, diff and drift print it)
//!              document   YAML/JSON/TOML into one positioned tree; KeyPath, KeyPattern; writing trees back
//!              layers     layer files, merging them, ${VAR} substitution, rendering
//!              history    what each commit changed, where, and of what kind (trailers); status
//!              promote    promotion plans: promoted / added / removed / pinned per key path
//!              edit       in-place edits of YAML/TOML/JSON that keep comments, checked by re-parsing
//!              flags      flagd-format feature flags: load, validate, evaluate (JsonLogic, fractional), stage
//!              repo       the only git2 user: sources, changes, history, commits, reverts
//!              packs      attack packs: load, checks M1 … L3, checksums, release tags, activation
//!              config     cfgctl.toml: typed, checked at load, errors at line:col with suggestions
//!              output     human / json / github / junit, colour, progress
//! ```
//!
//! Domain modules return data (findings, reports); only `commands` and `output` decide what
//! is printed. Exit codes are defined in [`error`].

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod change;
pub mod clock;
pub mod commands;
pub mod config;
pub mod diff;
pub mod document;
pub mod edit;
pub mod error;
pub mod finding;
pub mod flags;
pub mod guard;
pub mod history;
pub mod layers;
pub mod output;
pub mod packs;
pub mod promote;
pub mod repo;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod template;
pub mod validate;
