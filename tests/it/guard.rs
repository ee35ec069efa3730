//! `cfgctl guard`: thresholds, automatic rollback of the last promotion, cooldown and daily
//! limit computed from the history of guard commits.

use crate::support::TempRepo;

const CONFIG: &str = r#"[repo]
environments = ["dev", "prod"]

[guard.prod]
max_error_rate = 0.05
max_p95_latency_ms = 1000
min_success_rate = 0.9
max_queue_depth = 100
cooldown_minutes = 30
max_rollbacks_per_day = 2
"#;

/// Every commit in the test environment is dated 2026-01-01T00:00:00Z.
const SOON: &str = "2026-01-01T00:10:00Z";
const LATER: &str = "2026-01-01T02:00:00Z";

fn repo() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG)
        .write("environments/dev/app.yaml", "app: {image: v2}\n")
        .write("environments/prod/app.yaml", "app: {image: v1}\n")
        .commit("initial");
    promote(&repo, "v2");
    repo
}

fn promote(repo: &TempRepo, image: &str) {
    repo.write(
        "environments/prod/app.yaml",
        format!("app: {{image: {image}}}\n"),
    );
    repo.git(&["add", "environments"]);
    repo.git(&["commit", "-q", "-m", "promote: dev -> prod (1 files, 1 keys)\n\nCfgctl-Action: promote\nCfgctl-From: dev@HEAD\nCfgctl-To: prod\n"]);
}

fn metrics(repo: &TempRepo, json: &str) -> String {
    repo.write("metrics.json", json);
    repo.path().join("metrics.json").display().to_string()
}

const HEALTHY: &str =
    r#"{"error_rate": 0.01, "p95_latency_ms": 300, "success_rate": 0.99, "queue_depth": 4}"#;
const SICK: &str =
    r#"{"error_rate": 0.2, "p95_latency_ms": 300, "success_rate": 0.8, "queue_depth": 400}"#;

#[test]
fn healthy_metrics_exit_0() {
    let repo = repo();
    let file = metrics(&repo, HEALTHY);
    let run = repo.cfgctl(&["guard", "prod", "--metrics", &file, "--format", "json"]);
    run.code(0);
    assert_eq!(run.json()["healthy"], true);
    assert_eq!(run.json()["action"], "none");
}

#[test]
fn a_violation_rolls_back_the_last_promotion() {
    let repo = repo();
    let file = metrics(&repo, SICK);
    let head = repo.git(&["rev-parse", "HEAD"]);
    // Without --execute: the violations and the plan, nothing changed.
    let run = repo.cfgctl_env(
        &["guard", "prod", "--metrics", &file, "--format", "json"],
        &[("CFGCTL_NOW", LATER)],
    );
    run.code(1);
    let doc = run.json();
    let metrics: Vec<&str> = doc["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["metric"].as_str().unwrap())
        .collect();
    assert_eq!(metrics, ["error_rate", "success_rate", "queue_depth"]);
    assert_eq!(doc["action"], "would_roll_back");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    // With --execute: one guard commit that reverts the promotion.
    let run = repo.cfgctl_env(
        &["guard", "prod", "--metrics", &file, "--execute"],
        &[("CFGCTL_NOW", LATER)],
    );
    run.code(1);
    assert!(
        run.stdout.contains("violation: error_rate 0.2 > max 0.05"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("rolled_back: rolled back"),
        "{}",
        run.stdout
    );
    assert_eq!(
        repo.read("environments/prod/app.yaml"),
        "app: {image: v1}\n"
    );
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains("Cfgctl-Action: guard")
            && message.contains("Cfgctl-Guard-Violation: error_rate 0.2 > max 0.05"),
        "{message}"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "?? metrics.json\n");
    let log = repo.cfgctl(&["log", "-n", "1", "--format", "json"]);
    assert_eq!(log.json()["entries"][0]["kind"], "guard");
    repo.git(&["fsck", "--strict"]);
    // The same promotion is not rolled back twice.
    let again = repo.cfgctl_env(
        &[
            "guard",
            "prod",
            "--metrics",
            &file,
            "--execute",
            "--format",
            "json",
        ],
        &[("CFGCTL_NOW", "2026-01-01T05:00:00Z")],
    );
    again.code(1);
    assert!(
        again.json()["reason"]
            .as_str()
            .unwrap()
            .contains("already rolled back"),
        "{}",
        again.stdout
    );
}

#[test]
fn cooldown_and_daily_limit_come_from_history() {
    let repo = repo();
    let file = metrics(&repo, SICK);
    repo.cfgctl_env(
        &["guard", "prod", "--metrics", &file, "--execute"],
        &[("CFGCTL_NOW", LATER)],
    )
    .code(1);
    promote(&repo, "v3");
    // Ten minutes after the last guard commit: inside the 30-minute cooldown.
    let run = repo.cfgctl_env(
        &[
            "guard",
            "prod",
            "--metrics",
            &file,
            "--execute",
            "--format",
            "json",
        ],
        &[("CFGCTL_NOW", SOON)],
    );
    run.code(1);
    assert_eq!(run.json()["action"], "refused");
    assert!(
        run.json()["reason"]
            .as_str()
            .unwrap()
            .contains("cooldown is 30 min"),
        "{}",
        run.stdout
    );
    assert_eq!(
        repo.read("environments/prod/app.yaml"),
        "app: {image: v3}\n"
    );
    // Two hours later the cooldown is over; a second rollback within the day is allowed.
    repo.cfgctl_env(
        &["guard", "prod", "--metrics", &file, "--execute"],
        &[("CFGCTL_NOW", LATER)],
    )
    .code(1);
    assert_eq!(
        repo.read("environments/prod/app.yaml"),
        "app: {image: v1}\n"
    );
    // A third within 24 hours is over the daily limit of two.
    promote(&repo, "v4");
    let run = repo.cfgctl_env(
        &[
            "guard",
            "prod",
            "--metrics",
            &file,
            "--execute",
            "--format",
            "json",
        ],
        &[("CFGCTL_NOW", LATER)],
    );
    run.code(1);
    assert!(
        run.json()["reason"]
            .as_str()
            .unwrap()
            .contains("the limit is 2"),
        "{}",
        run.stdout
    );
    assert_eq!(
        repo.read("environments/prod/app.yaml"),
        "app: {image: v4}\n"
    );
}

#[test]
fn bad_input_is_an_error() {
    let repo = repo();
    let file = metrics(&repo, r#"{"error_rate": 0.01}"#);
    let run = repo.cfgctl(&["guard", "prod", "--metrics", &file]);
    run.code(2);
    assert!(run.stderr.contains("no `p95_latency_ms`"), "{}", run.stderr);
    let file = metrics(&repo, r#"{"error_rate": "high"}"#);
    repo.cfgctl(&["guard", "prod", "--metrics", &file]).code(2);
    repo.cfgctl(&["guard", "dev", "--metrics", &file]).code(2);
    repo.cfgctl(&["guard", "prod", "--metrics", "/nonexistent.json"])
        .code(2);
}
