//! Every write into an environment goes through one pipeline: the policy of the environment
//! applies to each writer, blockers are printed even under `-q`, trailers are written the same
//! way, and guard reverts the newest change into the environment.

use crate::support::TempRepo;

/// Inside the template's holiday freeze (2026-12-24 to 27) and outside it.
const FROZEN: &str = "2026-12-25T12:00:00Z";
const OPEN: &str = "2026-12-02T10:00:00Z";
const DANA: &str = "Dana Reyes <dana@example.com>";

fn template() -> TempRepo {
    let repo = TempRepo::from_template();
    // A released pack to activate, and an earlier activation to roll back to.
    repo.cfgctl_env(
        &["packs", "release", "prompt-injection", "1.0.0", "--execute"],
        &[("CFGCTL_NOW", OPEN)],
    )
    .code(0);
    repo.cfgctl_env(
        &["packs", "release", "prompt-injection", "1.1.0", "--execute"],
        &[("CFGCTL_NOW", OPEN)],
    )
    .code(0);
    repo
}

fn head(repo: &TempRepo) -> String {
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

#[test]
fn the_freeze_blocks_every_forward_writer_and_lets_restores_through() {
    let repo = template();
    let guard_metrics = repo.path().join(".git/metrics.json");
    std::fs::write(
        &guard_metrics,
        r#"{"error_rate": 0.5, "p95_latency_ms": 100}"#,
    )
    .unwrap();
    let metrics = guard_metrics.display().to_string();

    // Land a pack activation and a flag stage outside the freeze, so there is something to
    // roll back inside it.
    for args in [
        vec!["packs", "activate", "production", "prompt-injection@1.0.0"],
        vec!["packs", "activate", "production", "prompt-injection@1.1.0"],
        vec![
            "flags",
            "stage",
            "dark-mode",
            "canary",
            "--env",
            "production",
        ],
    ] {
        let mut args = args.clone();
        args.extend(["--execute", "--approved-by", DANA]);
        repo.cfgctl_env(&args, &[("CFGCTL_NOW", OPEN)]).code(0);
    }
    let before_freeze = head(&repo);

    // Forward writers: each is refused inside the freeze, with the freeze named, and the
    // branch does not move.
    let forward: Vec<Vec<&str>> = vec![
        vec!["promote", "staging", "production"],
        vec!["flags", "stage", "dark-mode", "full", "--env", "production"],
        vec!["packs", "activate", "production", "prompt-injection@1.0.0"],
    ];
    for args in &forward {
        let mut args = args.clone();
        args.extend(["--execute", "--approved-by", DANA, "-q"]);
        let run = repo.cfgctl_env(&args, &[("CFGCTL_NOW", FROZEN)]);
        run.code(1);
        assert!(
            run.stderr.contains("blocked: production is frozen from 2026-12-24T00:00:00Z to 2026-12-27T00:00:00Z (holiday freeze)"),
            "{args:?}: {}",
            run.stderr
        );
        // -q prints the blockers and nothing else: no plan table.
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert_eq!(head(&repo), before_freeze, "{args:?} moved the branch");
    }

    // With --emergency the freeze is passed and recorded; approvals are still required.
    let run = repo.cfgctl_env(
        &[
            "flags",
            "stage",
            "dark-mode",
            "beta",
            "--env",
            "production",
            "--execute",
            "--emergency",
            "checkout outage",
        ],
        &[("CFGCTL_NOW", FROZEN)],
    );
    run.code(1);
    assert!(run.stderr.contains("need 1 approval"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("blocked: production is frozen"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("policy: emergency (checkout outage)"),
        "{}",
        run.stderr
    );

    // Restores pass the freeze, without approvals, and say so in the commit.
    let restores: Vec<Vec<&str>> = vec![
        vec!["packs", "rollback", "production", "prompt-injection"],
        vec!["guard", "production", "--metrics", &metrics],
        vec!["rollback", "--env", "production", "--to", &before_freeze],
    ];
    for args in &restores {
        let before = head(&repo);
        let mut args = args.clone();
        args.extend(["--execute", "--reason", "incident 42"]);
        let run = repo.cfgctl_env(&args, &[("CFGCTL_NOW", FROZEN)]);
        assert!(
            run.code == 0 || (args[0] == "guard" && run.code == 1),
            "{args:?}: {}",
            run.stderr
        );
        if args[0] == "rollback" {
            // Restoring the state before the freeze after the two restores above.
            assert_ne!(
                head(&repo),
                before,
                "{args:?} did not commit: {}",
                run.stderr
            );
        } else {
            assert_ne!(
                head(&repo),
                before,
                "{args:?} did not commit: {}",
                run.stderr
            );
        }
        let message = repo.git(&["log", "-1", "--format=%B"]);
        assert!(message.contains("Cfgctl-Reason: incident 42"), "{message}");
        assert!(message.contains("Cfgctl-To: production"), "{message}");
        assert!(
            message.contains("Cfgctl-Policy: ") && message.contains("holiday freeze"),
            "{args:?}: {message}"
        );
    }
    assert!(repo.git(&["status", "--porcelain"]).trim().is_empty());
}

#[test]
fn guard_reverts_the_newest_change_into_the_environment() {
    let repo = TempRepo::from_template();
    std::fs::write(
        repo.path().join("cfgctl.toml"),
        repo.read("cfgctl.toml")
            .replace("approvals = 1", "approvals = 0"),
    )
    .unwrap();
    repo.commit("no approvals needed in this test");
    let env = [("CFGCTL_NOW", OPEN)];
    repo.cfgctl_env(&["promote", "staging", "production", "--execute"], &env)
        .code(0);
    let promotion = head(&repo);
    repo.cfgctl_env(
        &[
            "flags",
            "stage",
            "dark-mode",
            "full",
            "--env",
            "production",
            "--execute",
        ],
        &env,
    )
    .code(0);
    let stage = head(&repo);
    assert_ne!(promotion, stage);
    let metrics = repo.path().join(".git/m.json");
    std::fs::write(&metrics, r#"{"error_rate": 0.5, "p95_latency_ms": 10}"#).unwrap();
    let metrics = metrics.display().to_string();

    let plan = repo.cfgctl_env(
        &[
            "guard",
            "production",
            "--metrics",
            &metrics,
            "--format",
            "json",
        ],
        &env,
    );
    plan.code(1);
    let doc = plan.json();
    assert_eq!(doc["action"], "would_roll_back");
    let reason = doc["reason"].as_str().unwrap();
    assert!(
        reason.contains(&stage[..7]) && reason.contains("flags-stage"),
        "{reason}"
    );

    repo.cfgctl_env(
        &["guard", "production", "--metrics", &metrics, "--execute"],
        &env,
    )
    .code(1);
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains(&format!("Cfgctl-Rollback-Of: {stage}")),
        "{message}"
    );
    // The flag is back where the promotion left it; the promotion stays.
    let flags = repo.git(&["show", "HEAD:flags/production.flags.json"]);
    let before = repo.git(&["show", &format!("{promotion}:flags/production.flags.json")]);
    assert_eq!(flags, before);
    let status = repo.git(&["status", "--porcelain"]);
    assert!(status.trim().is_empty(), "{status}");
}

#[test]
fn quiet_promote_prints_no_plan_and_reason_is_recorded() {
    let repo = TempRepo::from_template();
    let env = [("CFGCTL_NOW", OPEN)];
    let quiet = repo.cfgctl_env(&["-q", "promote", "development", "staging"], &env);
    quiet.code(0);
    assert!(quiet.stdout.is_empty(), "{}", quiet.stdout);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);

    // Pinned keys are counted per document unless asked for.
    let plan = repo.cfgctl_env(&["promote", "development", "staging"], &env);
    plan.code(0);
    assert!(
        plan.stdout.contains("pinned, kept as they are)"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("keeps "), "{}", plan.stdout);
    let full = repo.cfgctl_env(
        &["promote", "development", "staging", "--show-pinned"],
        &env,
    );
    assert!(full.stdout.contains("keeps "), "{}", full.stdout);
    assert!(full.stdout.lines().count() > plan.stdout.lines().count());

    repo.cfgctl_env(
        &[
            "promote",
            "development",
            "staging",
            "--execute",
            "--reason",
            "ship 1.5",
        ],
        &env,
    )
    .code(0);
    let log = repo.cfgctl(&["log", "--format", "json"]);
    let doc = log.json();
    let newest = &doc["entries"][0];
    assert_eq!(newest["kind"], "promote", "{doc}");
    let reason = newest["trailers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "Cfgctl-Reason")
        .unwrap_or_else(|| panic!("{newest}"));
    assert_eq!(reason["value"], "ship 1.5");
    let human = repo.cfgctl(&["log"]);
    assert!(human.stdout.contains("ship 1.5"), "{}", human.stdout);
}

#[test]
fn a_promotion_leaves_the_target_pack_activations_alone() {
    let repo = TempRepo::from_template();
    repo.cfgctl(&["packs", "release", "prompt-injection", "1.0.0", "--execute"])
        .code(0);
    repo.cfgctl(&[
        "packs",
        "activate",
        "development",
        "prompt-injection@1.0.0",
        "--execute",
    ])
    .code(0);
    let run = repo.cfgctl(&["promote", "development", "staging", "--format", "json"]);
    run.code(0);
    let doc = run.json();
    let documents: Vec<&str> = doc["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["document"].as_str().unwrap())
        .collect();
    assert!(!documents.contains(&"packs.yaml"), "{documents:?}");
    repo.cfgctl(&["promote", "development", "staging", "--execute"])
        .code(0);
    assert!(!repo.path().join("environments/staging/packs.yaml").exists());
}

#[test]
fn a_promotion_that_adds_a_flag_variant_keeps_the_flag_file_layout() {
    let repo = TempRepo::from_template();
    repo.cfgctl(&["promote", "development", "staging", "--execute"])
        .code(0);
    // The development flags add the `semantic` variant of `search-algo`: one line changes,
    // one is added; the one-line targeting rules elsewhere stay as written.
    let numstat = repo.git(&[
        "diff",
        "--numstat",
        "HEAD~1",
        "--",
        "flags/staging.flags.json",
    ]);
    assert_eq!(numstat.trim(), "2\t1\tflags/staging.flags.json");
    let file = repo.read("flags/staging.flags.json");
    assert!(file.contains("\"semantic\": \"semantic\"\n"), "{file}");
}

#[test]
fn reverting_a_rollback_is_held_like_the_forward_change_it_puts_back() {
    let repo = template();
    for version in ["1.0.0", "1.1.0"] {
        repo.cfgctl_env(
            &[
                "packs",
                "activate",
                "production",
                &format!("prompt-injection@{version}"),
                "--execute",
                "--approved-by",
                DANA,
            ],
            &[("CFGCTL_NOW", OPEN)],
        )
        .code(0);
    }
    // Inside the freeze, the pack rollback is a restore and passes.
    repo.cfgctl_env(
        &[
            "packs",
            "rollback",
            "production",
            "prompt-injection",
            "--execute",
        ],
        &[("CFGCTL_NOW", FROZEN)],
    )
    .code(0);
    let restore = head(&repo);

    // Reverting it activates 1.1.0 again: a forward change, so the freeze and the approval
    // hold it back.
    let run = repo.cfgctl_env(
        &["rollback", &restore, "--execute"],
        &[("CFGCTL_NOW", FROZEN)],
    );
    run.code(1);
    assert!(
        run.stderr.contains("blocked: production is frozen"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("need 1 approval"), "{}", run.stderr);
    assert_eq!(head(&repo), restore);

    // With an emergency and an approval it lands, and says so.
    repo.cfgctl_env(
        &[
            "rollback",
            &restore,
            "--execute",
            "--emergency",
            "1.0.0 misses an attack",
            "--approved-by",
            DANA,
        ],
        &[("CFGCTL_NOW", FROZEN)],
    )
    .code(0);
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains(&format!("Cfgctl-Rollback-Of: {restore}")),
        "{message}"
    );
    assert!(
        message.contains("Cfgctl-Emergency: 1.0.0 misses an attack"),
        "{message}"
    );
    assert!(
        message.contains(&format!("Approved-by: {DANA}")),
        "{message}"
    );
}
