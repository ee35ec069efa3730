//! Snapshots of what users see: for every command, the human and the `--format json` output of
//! one run, exit status, stdout and stderr together in one text, run in a repository made from
//! the built-in template with the hermetic environment of `support`.
//!
//! What varies between runs is redacted before comparing (see `redact`): the temporary
//! repository path (`[REPO]`), HOME (`[HOME]`), commit and tag ids of the repository, full or
//! abbreviated (`[COMMIT]`), and generated age recipients (`[RECIPIENT]`). Content digests are
//! stable and stay as they are. `[COMMIT]` is one character wider than a short id, so a table
//! column holding one has its right border shifted by one in the snapshot.
//!
//! The snapshots live in `tests/it/snapshots/`. After a change to what cfgctl prints, look at
//! the difference and accept it with
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --test it snapshots::   # then review `git diff tests/it/snapshots`
//! cargo insta review                                     # or interactively, with cargo-insta
//! ```
//!
//! Under `CI=true` a missing or different snapshot fails; otherwise the new text is written next
//! to the old one as `.snap.new` and the test fails. A renamed or removed test leaves its
//! `.snap` file behind: delete it with the test.

use crate::support::{self, Run, TempRepo};
use std::path::Path;

/// The demo identity of the template's development and staging secret files.
const STAGING_KEY: &str =
    "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV";
const APPROVER: &str = "Dana Reyes <dana@example.com>";

// ---------------------------------------------------------------------------------------------
// init

#[test]
fn init() {
    for format in ["human", "json"] {
        let dir = TempRepo::bare_dir();
        snap(&dir, "init", format, &["init", "demo"], &[]).code(0);
        assert!(dir.path().join("demo/cfgctl.toml").is_file());
    }
}

#[test]
fn init_refuses_a_repository_that_exists() {
    both("init_existing", template, &["init", "."], &[], 2);
}

// ---------------------------------------------------------------------------------------------
// validate

#[test]
fn validate_ok() {
    both("validate", template, &["validate"], &[], 0);
}

#[test]
fn validate_invalid_config_points_at_file_line_column() {
    both("validate_invalid", invalid_staging, &["validate"], &[], 1);
}

#[test]
fn validate_invalid_config_in_ci_formats() {
    for format in ["github", "junit", "gitlab"] {
        snap(
            &invalid_staging(),
            "validate_invalid",
            format,
            &["validate"],
            &[],
        )
        .code(1);
    }
}

#[test]
fn validate_unparsable_file_is_a_finding() {
    both(
        "validate_unparsable",
        unparsable_staging,
        &["validate"],
        &[],
        1,
    );
}

#[test]
fn validate_usage_error() {
    both("validate_usage", template, &["validate", "--bogus"], &[], 2);
}

#[test]
fn validate_staged_reports_only_the_staged_file() {
    both(
        "validate_staged",
        || {
            let repo = invalid_staging();
            repo.git(&["add", "environments/staging/services.yaml"]);
            repo
        },
        &["validate", "--staged"],
        &[],
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// render, get, set, unset

#[test]
fn render() {
    both(
        "render",
        template,
        &["render", "production", "monitoring.toml"],
        &[],
        0,
    );
}

#[test]
fn render_explain() {
    both(
        "render_explain",
        template,
        &["render", "staging", "monitoring.toml", "--explain"],
        &[],
        0,
    );
}

#[test]
fn render_unknown_environment() {
    both("render_unknown_env", template, &["render", "qa"], &[], 2);
}

#[test]
fn render_unparsable_file() {
    both(
        "render_unparsable",
        unparsable_staging,
        &["render", "staging", "services.yaml"],
        &[],
        2,
    );
}

#[test]
fn render_dotenv() {
    both(
        "render_dotenv",
        template,
        &["render", "production", "monitoring.toml", "--as", "dotenv"],
        &[],
        0,
    );
}

#[test]
fn get() {
    both(
        "get",
        template,
        &["get", "staging", "services.gateway.replicas"],
        &[],
        0,
    );
}

#[test]
fn get_explain() {
    both(
        "get_explain",
        template,
        &["get", "staging", "database.migrations", "--explain"],
        &[],
        0,
    );
}

#[test]
fn get_missing_key() {
    both(
        "get_missing",
        template,
        &["get", "staging", "services.gateway.nope"],
        &[],
        1,
    );
}

#[test]
fn set() {
    both(
        "set",
        template,
        &["set", "staging", "services.gateway.replicas", "3"],
        &[],
        0,
    );
}

#[test]
fn set_commit() {
    both(
        "set_commit",
        template,
        &[
            "set",
            "staging",
            "monitoring.tracing.sample_rate",
            "0.25",
            "--commit",
            "-m",
            "Sample more traces in staging",
        ],
        &[],
        0,
    );
}

#[test]
fn set_refuses_an_invalid_result() {
    both(
        "set_invalid",
        template,
        &["set", "staging", "services.gateway.replicas", "9"],
        &[],
        1,
    );
}

#[test]
fn unset() {
    both(
        "unset",
        template,
        &["unset", "staging", "services.gateway.timeouts.idle"],
        &[],
        0,
    );
}

#[test]
fn unset_refuses_a_required_key() {
    both(
        "unset_required",
        template,
        &["unset", "staging", "services.gateway.replicas"],
        &[],
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// diff, drift, env

#[test]
fn diff() {
    both(
        "diff",
        template,
        &["diff", "staging", "production", "monitoring.toml"],
        &[],
        0,
    );
}

#[test]
fn diff_revisions() {
    both(
        "diff_revisions",
        with_history,
        &["diff", "HEAD~2", "HEAD", "services.yaml"],
        &[],
        0,
    );
}

#[test]
fn diff_unknown_environment() {
    both(
        "diff_unknown_env",
        template,
        &["diff", "staging", "qa"],
        &[],
        2,
    );
}

#[test]
fn drift() {
    both(
        "drift",
        || {
            let repo = template();
            let out = repo.cfgctl(&["render", "production", "--as", "configmap", "--name", "cfg"]);
            repo.write(
                "deployed.yaml",
                out.code(0)
                    .stdout
                    .replace("sample_rate = 0.1", "sample_rate = 0.5"),
            );
            repo
        },
        &["drift", "production", "--against", "deployed.yaml"],
        &[],
        1,
    );
}

#[test]
fn env_list() {
    both("env_list", template, &["env", "list"], &[], 0);
}

#[test]
fn env_add_plan() {
    both(
        "env_add",
        template,
        &[
            "env",
            "add",
            "qa",
            "--from",
            "staging",
            "--age",
            "age1vgq4t8vjwyux4w7p3cuw36jck68du73963ru5slueksl3yvhk3ts5sn43l",
            "--approved-by",
            APPROVER,
        ],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn env_add_execute() {
    both(
        "env_add_execute",
        template,
        &[
            "env",
            "add",
            "qa",
            "--from",
            "staging",
            "--age",
            "age1vgq4t8vjwyux4w7p3cuw36jck68du73963ru5slueksl3yvhk3ts5sn43l",
            "--approved-by",
            APPROVER,
            "--execute",
        ],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn env_add_without_an_identity() {
    both(
        "env_add_no_identity",
        template,
        &["env", "add", "qa", "--from", "staging"],
        &[],
        2,
    );
}

// ---------------------------------------------------------------------------------------------
// promote, status, log, blame, rollback, guard

#[test]
fn promote_plan_blocked_without_approval() {
    both(
        "promote_blocked",
        with_release_candidate,
        &["promote", "staging", "production", "services.yaml"],
        &[],
        1,
    );
}

#[test]
fn promote_execute() {
    both(
        "promote_execute",
        with_release_candidate,
        &[
            "promote",
            "staging",
            "production",
            "services.yaml",
            "--approved-by",
            APPROVER,
            "--execute",
        ],
        &[],
        0,
    );
}

#[test]
fn promote_out_of_order() {
    both(
        "promote_out_of_order",
        template,
        &["promote", "development", "production"],
        &[],
        1,
    );
}

#[test]
fn status() {
    both("status", with_history, &["status"], &[], 0);
}

#[test]
fn log() {
    both("log", with_history, &["log"], &[], 0);
}

#[test]
fn log_key() {
    both(
        "log_key",
        with_history,
        &["log", "production", "--key", "services.gateway.image"],
        &[],
        0,
    );
}

#[test]
fn blame() {
    both(
        "blame",
        with_history,
        &["blame", "production", "services.yaml"],
        &[],
        0,
    );
}

#[test]
fn rollback_plan() {
    both(
        "rollback_plan",
        with_history,
        &["rollback", "--env", "production", "--last-promotion"],
        &[],
        0,
    );
}

#[test]
fn rollback_execute() {
    both(
        "rollback_execute",
        with_history,
        &[
            "rollback",
            "--env",
            "production",
            "--last-promotion",
            "--execute",
        ],
        &[],
        0,
    );
}

#[test]
fn rollback_unknown_revision() {
    both(
        "rollback_unknown_rev",
        with_history,
        &["rollback", "no-such-rev"],
        &[],
        2,
    );
}

#[test]
fn guard_unhealthy() {
    both(
        "guard_unhealthy",
        || with_metrics(r#"{"error_rate": 0.07, "p95_latency_ms": 1300, "requests": 2400}"#),
        &["guard", "production", "--metrics", "metrics.json"],
        &[],
        1,
    );
}

#[test]
fn guard_execute_rolls_back() {
    both(
        "guard_execute",
        || with_metrics(r#"{"error_rate": 0.07, "p95_latency_ms": 1300, "requests": 2400}"#),
        &[
            "guard",
            "production",
            "--metrics",
            "metrics.json",
            "--execute",
        ],
        &[],
        1,
    );
}

#[test]
fn guard_healthy() {
    both(
        "guard_healthy",
        || with_metrics(r#"{"error_rate": 0.01, "p95_latency_ms": 300, "requests": 2400}"#),
        &["guard", "production", "--metrics", "metrics.json"],
        &[],
        0,
    );
}

#[test]
fn guard_missing_metric() {
    both(
        "guard_missing_metric",
        || with_metrics(r#"{"error_rate": 0.01}"#),
        &["guard", "production", "--metrics", "metrics.json"],
        &[],
        2,
    );
}

// ---------------------------------------------------------------------------------------------
// secrets

#[test]
fn secrets_list() {
    both("secrets_list", template, &["secrets", "list"], &[], 0);
}

#[test]
fn secrets_check() {
    both(
        "secrets_check",
        template,
        &["secrets", "check"],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn secrets_check_finds_plaintext() {
    both(
        "secrets_check_plaintext",
        || {
            let repo = template();
            repo.write(
                "environments/staging/extra.secret.yaml",
                "api_key: plain-text-key\n",
            );
            repo
        },
        &["secrets", "check"],
        &[],
        1,
    );
}

#[test]
fn secrets_decrypt() {
    both(
        "secrets_decrypt",
        template,
        &["secrets", "decrypt", "environments/staging/app.secret.yaml"],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn secrets_decrypt_without_identity() {
    both(
        "secrets_decrypt_no_identity",
        template,
        &["secrets", "decrypt", "environments/staging/app.secret.yaml"],
        &[],
        2,
    );
}

#[test]
fn secrets_textconv_masks_without_identity() {
    both(
        "secrets_textconv_masked",
        template,
        &[
            "secrets",
            "textconv",
            "environments/staging/app.secret.yaml",
        ],
        &[],
        0,
    );
}

#[test]
fn secrets_get() {
    both(
        "secrets_get",
        template,
        &[
            "secrets",
            "get",
            "environments/staging/app.secret.yaml",
            "app.webhook_token",
        ],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn secrets_set() {
    both(
        "secrets_set",
        template,
        &[
            "secrets",
            "set",
            "environments/staging/database.secret.yaml",
            "database.password",
            "n3w-Pa55",
        ],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn secrets_unset() {
    both(
        "secrets_unset",
        template,
        &[
            "secrets",
            "unset",
            "environments/staging/app.secret.yaml",
            "app.smtp.host",
        ],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn secrets_encrypt_in_place() {
    both(
        "secrets_encrypt",
        || {
            let repo = template();
            repo.write(
                "environments/staging/extra.secret.yaml",
                "api_key: k-123\nregion: eu\n",
            );
            repo
        },
        &[
            "secrets",
            "encrypt",
            "environments/staging/extra.secret.yaml",
            "--in-place",
        ],
        &[],
        0,
    );
}

#[test]
fn secrets_edit() {
    both(
        "secrets_edit",
        template,
        &["secrets", "edit", "environments/staging/app.secret.yaml"],
        &[
            ("SOPS_AGE_KEY", STAGING_KEY),
            ("EDITOR", "sed -i s/smtp.staging/smtp2.staging/"),
        ],
        0,
    );
}

#[test]
fn secrets_git_setup_dry_run() {
    both(
        "secrets_git_setup",
        template,
        &["secrets", "git-setup", "--dry-run"],
        &[],
        0,
    );
}

#[test]
fn secrets_keygen() {
    both("secrets_keygen", template, &["secrets", "keygen"], &[], 0);
}

#[test]
fn secrets_updatekeys_dry_run() {
    both(
        "secrets_updatekeys",
        template,
        &["secrets", "updatekeys", "--dry-run"],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn secrets_rotate_dry_run() {
    both(
        "secrets_rotate",
        template,
        &[
            "secrets",
            "rotate",
            "environments/staging/app.secret.yaml",
            "--dry-run",
        ],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn secrets_rotate() {
    both(
        "secrets_rotate_execute",
        template,
        &["secrets", "rotate", "environments/staging/app.secret.yaml"],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

#[test]
fn secrets_exec() {
    both(
        "secrets_exec",
        template,
        &[
            "secrets",
            "exec",
            "environments/staging/app.secret.yaml",
            "--",
            "printenv",
            "app_smtp_host",
        ],
        &[("SOPS_AGE_KEY", STAGING_KEY)],
        0,
    );
}

// ---------------------------------------------------------------------------------------------
// packs

#[test]
fn packs_validate() {
    both("packs_validate", template, &["packs", "validate"], &[], 0);
}

#[test]
fn packs_release_plan() {
    both(
        "packs_release",
        template,
        &["packs", "release", "prompt-injection", "1.0.0"],
        &[],
        0,
    );
}

#[test]
fn packs_release_execute() {
    both(
        "packs_release_execute",
        template,
        &["packs", "release", "prompt-injection", "1.0.0", "--execute"],
        &[],
        0,
    );
}

#[test]
fn packs_list() {
    both("packs_list", with_pack_release, &["packs", "list"], &[], 0);
}

#[test]
fn packs_verify() {
    both(
        "packs_verify",
        with_pack_release,
        &["packs", "verify", "prompt-injection@1.0.0"],
        &[],
        0,
    );
}

#[test]
fn packs_verify_unknown_version() {
    both(
        "packs_verify_unknown",
        with_pack_release,
        &["packs", "verify", "prompt-injection@9.9.9"],
        &[],
        2,
    );
}

#[test]
fn packs_activate() {
    both(
        "packs_activate",
        with_pack_release,
        &[
            "packs",
            "activate",
            "staging",
            "prompt-injection@1.0.0",
            "--execute",
        ],
        &[],
        0,
    );
}

#[test]
fn packs_rollback_without_an_earlier_version() {
    both(
        "packs_rollback_blocked",
        || {
            let repo = with_pack_release();
            repo.cfgctl(&[
                "packs",
                "activate",
                "staging",
                "prompt-injection@1.0.0",
                "--execute",
            ])
            .code(0);
            repo
        },
        &["packs", "rollback", "staging", "prompt-injection"],
        &[],
        1,
    );
}

#[test]
fn packs_rollback_plan() {
    both(
        "packs_rollback",
        with_two_activations,
        &["packs", "rollback", "staging", "prompt-injection"],
        &[],
        0,
    );
}

#[test]
fn packs_rollback_execute() {
    both(
        "packs_rollback_execute",
        with_two_activations,
        &[
            "packs",
            "rollback",
            "staging",
            "prompt-injection",
            "--execute",
        ],
        &[],
        0,
    );
}

#[test]
fn packs_list_after_rollback() {
    both(
        "packs_list_active",
        || {
            let repo = with_two_activations();
            repo.cfgctl(&[
                "packs",
                "rollback",
                "staging",
                "prompt-injection",
                "--execute",
            ])
            .code(0);
            repo
        },
        &["packs", "list", "prompt-injection"],
        &[],
        0,
    );
}

#[test]
fn packs_validate_finds_a_broken_manifest() {
    both(
        "packs_validate_invalid",
        || {
            let repo = template();
            repo.replace("packs/prompt-injection/pack.yaml", "name:", "nme:");
            repo
        },
        &["packs", "validate"],
        &[],
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// flags

#[test]
fn flags_validate() {
    both("flags_validate", template, &["flags", "validate"], &[], 0);
}

#[test]
fn flags_eval() {
    both(
        "flags_eval",
        template,
        &[
            "flags",
            "eval",
            "new-checkout",
            "--env",
            "production",
            "--targeting-key",
            "user-42",
        ],
        &[],
        0,
    );
}

#[test]
fn flags_explain() {
    both(
        "flags_explain",
        template,
        &[
            "flags",
            "explain",
            "new-checkout",
            "--env",
            "production",
            "--targeting-key",
            "user-42",
        ],
        &[],
        0,
    );
}

#[test]
fn flags_eval_unknown_flag() {
    both(
        "flags_eval_unknown",
        template,
        &["flags", "eval", "no-such-flag", "--env", "production"],
        &[],
        1,
    );
}

#[test]
fn flags_stage_plan() {
    both(
        "flags_stage",
        template,
        &["flags", "stage", "dark-mode", "--env", "staging", "--next"],
        &[],
        0,
    );
}

#[test]
fn flags_stage_execute() {
    both(
        "flags_stage_execute",
        template,
        &[
            "flags",
            "stage",
            "dark-mode",
            "--env",
            "staging",
            "--next",
            "--execute",
        ],
        &[],
        0,
    );
}

#[test]
fn flags_validate_invalid() {
    both(
        "flags_validate_invalid",
        || {
            let repo = template();
            repo.replace("flags/staging.flags.json", "\"ENABLED\"", "\"ON\"");
            repo
        },
        &["flags", "validate"],
        &[],
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// hooks

#[test]
fn hooks_install() {
    both("hooks_install", template, &["hooks", "install"], &[], 0);
}

#[test]
fn hooks_uninstall() {
    both(
        "hooks_uninstall",
        || {
            let repo = template();
            repo.cfgctl(&["hooks", "install"]).code(0);
            repo
        },
        &["hooks", "uninstall"],
        &[],
        0,
    );
}

#[test]
fn unknown_command() {
    both("unknown_command", template, &["frobnicate"], &[], 2);
}

// ---------------------------------------------------------------------------------------------
// Fixtures

fn template() -> TempRepo {
    TempRepo::from_template()
}

/// The template with staging's gateway scaled above its autoscaling bound.
fn invalid_staging() -> TempRepo {
    let repo = template();
    repo.replace(
        "environments/staging/services.yaml",
        "replicas: 2\n",
        "replicas: 5\n",
    );
    repo
}

/// The template with a YAML syntax error in staging's services.yaml.
fn unparsable_staging() -> TempRepo {
    let repo = template();
    repo.replace(
        "environments/staging/services.yaml",
        "    replicas: 2\n",
        "    replicas: [2\n",
    );
    repo
}

/// The template with a new gateway release committed in staging.
fn with_release_candidate() -> TempRepo {
    let repo = template();
    repo.cfgctl(&[
        "set",
        "staging",
        "services.gateway.image",
        "registry.example.com/platform/gateway:1.43.0",
        "--commit",
        "-m",
        "Release gateway 1.43.0",
    ])
    .code(0);
    repo
}

/// `with_release_candidate`, promoted to production.
fn with_history() -> TempRepo {
    let repo = with_release_candidate();
    repo.cfgctl(&[
        "promote",
        "staging",
        "production",
        "services.yaml",
        "--approved-by",
        APPROVER,
        "--execute",
    ])
    .code(0);
    repo
}

/// `with_history` and one health reading in `metrics.json`.
fn with_metrics(reading: &str) -> TempRepo {
    let repo = with_history();
    repo.write("metrics.json", format!("{reading}\n"));
    repo
}

/// The template with prompt-injection 1.0.0 released.
fn with_pack_release() -> TempRepo {
    let repo = template();
    repo.cfgctl(&["packs", "release", "prompt-injection", "1.0.0", "--execute"])
        .code(0);
    repo
}

/// prompt-injection 1.0.0 and then 1.1.0 released and activated in staging.
fn with_two_activations() -> TempRepo {
    let repo = template();
    for version in ["1.0.0", "1.1.0"] {
        repo.cfgctl(&["packs", "release", "prompt-injection", version, "--execute"])
            .code(0);
        repo.cfgctl(&[
            "packs",
            "activate",
            "staging",
            &format!("prompt-injection@{version}"),
            "--execute",
        ])
        .code(0);
    }
    repo
}

// ---------------------------------------------------------------------------------------------
// Running and redacting

/// Snapshots one command twice, human and JSON, each in a fresh repository from `fixture`, and
/// checks the exit status of both.
#[track_caller]
fn both(
    name: &str,
    fixture: impl Fn() -> TempRepo,
    args: &[&str],
    env: &[(&str, &str)],
    code: i32,
) {
    for format in ["human", "json"] {
        let repo = fixture();
        snap(&repo, name, format, args, env).code(code);
    }
}

/// Commands whose stdout stays what it is under `--format json`: a decrypted or masked file,
/// or the output of the program run.
const RAW_STDOUT: &[&str] = &["secrets decrypt", "secrets textconv", "secrets exec"];

/// Runs cfgctl in `repo` (with `--format FORMAT` first unless `human`) and compares exit
/// status, stdout and stderr, redacted, with the snapshot `name` (`name_FORMAT`). JSON output
/// must parse.
#[track_caller]
fn snap(repo: &TempRepo, name: &str, format: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut full = Vec::new();
    if format != "human" {
        full.extend(["--format", format]);
    }
    full.extend_from_slice(args);
    let run = repo.cfgctl_env(&full, env);
    let raw = RAW_STDOUT.iter().any(|c| args.join(" ").starts_with(c));
    if matches!(format, "json" | "gitlab") && !run.stdout.is_empty() && !raw {
        run.json();
    }
    let command: Vec<String> = full
        .iter()
        .map(|a| {
            if a.contains([' ', '<', '>']) {
                format!("'{a}'")
            } else {
                a.to_string()
            }
        })
        .collect();
    let shown = format!(
        "$ cfgctl {}\n[exit: {}]\n--- stdout\n{}--- stderr\n{}",
        command.join(" "),
        run.code,
        run.stdout,
        run.stderr
    );
    let name = if format == "human" {
        name.to_string()
    } else {
        format!("{name}_{format}")
    };
    insta::assert_snapshot!(name, redact(repo, &shown));
    run
}

/// Replaces what differs from one run to the next with placeholders.
fn redact(repo: &TempRepo, text: &str) -> String {
    let mut out = text.to_string();
    // HOME lies inside the repository directory, so it goes first.
    for (dir, label) in [
        (repo.home(), "[HOME]"),
        (repo.path().to_path_buf(), "[REPO]"),
    ] {
        if let Ok(canonical) = dir.canonicalize() {
            out = out.replace(&canonical.display().to_string(), label);
        }
        out = out.replace(&dir.display().to_string(), label);
    }
    let ids = object_ids(repo.path());
    let hex = regex::Regex::new(r"\b[0-9a-f]{7,40}\b").unwrap();
    out = hex
        .replace_all(&out, |c: &regex::Captures| {
            let found = &c[0];
            if ids.iter().any(|id| id.starts_with(found)) {
                "[COMMIT]".to_string()
            } else {
                found.to_string()
            }
        })
        .into_owned();
    // Recipients of identities generated during the run (keygen); the template's are fixed.
    for recipient in generated_recipients(&repo.home()) {
        out = out.replace(&recipient, "[RECIPIENT]");
    }
    out
}

/// Every commit, tag and note id in the repository at `dir` and in repositories directly
/// below it (`init demo`), full length.
fn object_ids(dir: &Path) -> Vec<String> {
    let mut ids = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(dir) {
        dirs.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.join(".git").exists()),
        );
    }
    for dir in dirs {
        for args in [
            &["rev-list", "--all", "--reflog"][..],
            &["for-each-ref", "--format=%(objectname)"][..],
        ] {
            let mut cmd = support::git_command(&dir, &dir.join(".home"));
            // A directory that is not a repository must not find one above it.
            if let Some(parent) = dir.parent() {
                cmd.env("GIT_CEILING_DIRECTORIES", parent);
            }
            if let Ok(out) = cmd.args(args).output() {
                ids.extend(
                    String::from_utf8_lossy(&out.stdout)
                        .lines()
                        .map(str::to_string),
                );
            }
        }
    }
    ids
}

/// The public keys written to `HOME`'s sops key file (`# public key: age1…`).
fn generated_recipients(home: &Path) -> Vec<String> {
    let keys = std::fs::read_to_string(home.join(".config/sops/age/keys.txt")).unwrap_or_default();
    keys.lines()
        .filter_map(|l| l.strip_prefix("# public key: "))
        .map(str::to_string)
        .collect()
}
