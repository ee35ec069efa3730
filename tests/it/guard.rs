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
    assert!(run.stdout.contains("\nRolled back "), "{}", run.stdout);
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
    repo.cfgctl(&["guard", "prod", "--metrics", &file]).error(
        2,
        &format!("error: {file}:1:16: `error_rate` is not a number"),
    );
    repo.cfgctl(&["guard", "dev", "--metrics", &file])
        .error(2, "error: no [guard.dev] thresholds in cfgctl.toml");
    repo.cfgctl(&["guard", "prod", "--metrics", "/nonexistent.json"])
        .error(
            2,
            "error: reading metrics `/nonexistent.json`: No such file or directory (os error 2)",
        );
}

/// A sample floor, a window after the change and K bad readings in a row.
const JUDGING: &str = r#"[repo]
environments = ["dev", "prod"]

[guard.prod]
max_error_rate = 0.05
min_samples = { metric = "requests", value = 100 }
window = "1h"
violations_required = 2
"#;

fn judging_repo(config: &str) -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", config)
        .write("environments/dev/app.yaml", "app: {image: v2}\n")
        .write("environments/prod/app.yaml", "app: {image: v1}\n")
        .commit("initial");
    promote(&repo, "v2");
    repo
}

/// A reading taken `minutes` after the promotion (committed at 2026-01-01T00:00:00Z).
fn reading(minutes: u32, error_rate: f64, requests: u32) -> String {
    format!(
        r#"{{"time": "2026-01-01T{:02}:{:02}:00Z", "error_rate": {error_rate}, "requests": {requests}}}"#,
        minutes / 60,
        minutes % 60
    )
}

fn guard(repo: &TempRepo, stdin: &str) -> crate::support::Run {
    repo.cfgctl_stdin(
        &[
            "guard",
            "prod",
            "--metrics",
            "-",
            "--execute",
            "--format",
            "json",
        ],
        &[("CFGCTL_NOW", "2026-01-01T03:00:00Z")],
        stdin,
    )
}

#[test]
fn no_rollback_under_the_sample_floor() {
    // `min_requests` is the older spelling of the same floor, not a lower threshold.
    let legacy = JUDGING.replace(
        "min_samples = { metric = \"requests\", value = 100 }",
        "min_requests = 100",
    );
    for config in [JUDGING.to_string(), legacy] {
        let repo = judging_repo(&config);
        let head = repo.git(&["rev-parse", "HEAD"]);
        // A quiet start: very bad, but 20 requests are no evidence either way.
        let run = guard(
            &repo,
            &format!("{}\n{}\n", reading(5, 0.9, 20), reading(10, 0.9, 20)),
        );
        run.code(0);
        let doc = run.json();
        assert_eq!(doc["verdict"], "insufficient_data", "{}", run.stdout);
        assert_eq!(doc["action"], "none");
        assert_eq!(doc["healthy"], false);
        assert_eq!(doc["readings"][0]["counted"], "below_floor");
        assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
        // Healthy traffic (no `requests` threshold): judged healthy, still no rollback.
        let run = guard(&repo, &reading(15, 0.01, 10));
        run.code(0);
        assert_eq!(run.json()["verdict"], "insufficient_data");
        let run = guard(&repo, &reading(20, 0.01, 500));
        run.code(0);
        assert_eq!(run.json()["verdict"], "healthy");
    }
}

#[test]
fn k_minus_one_bad_readings_wait_and_k_roll_back_with_a_note_another_clone_reads() {
    let repo = judging_repo(JUDGING);
    let promotion = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    // K - 1 = 1 bad reading: violating, nothing reverted, exit 0; recorded in the note.
    let first = reading(5, 0.2, 500);
    let run = guard(&repo, &first);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["verdict"], "violating");
    assert_eq!(doc["streak"], 1);
    assert_eq!(doc["violations_required"], 2);
    assert_eq!(doc["action"], "none");
    assert_eq!(doc["recorded"], true);
    assert_eq!(repo.git(&["rev-parse", "HEAD"]).trim(), promotion);
    // The same reading fed again (a monitoring query over an overlapping range) counts once.
    let run = guard(&repo, &first);
    run.code(0);
    assert_eq!(run.json()["streak"], 1);
    // A dry run sees the second bad reading but records nothing and changes nothing.
    let second = reading(10, 0.3, 800);
    let dry = repo.cfgctl_stdin(
        &["guard", "prod", "--metrics", "-", "--format", "json"],
        &[("CFGCTL_NOW", "2026-01-01T03:00:00Z")],
        &second,
    );
    dry.code(1);
    assert_eq!(dry.json()["action"], "would_roll_back");
    assert_eq!(dry.json()["recorded"], false);
    // K = 2 in a row: the promotion is rolled back.
    let run = guard(&repo, &second);
    run.code(1);
    let doc = run.json();
    assert_eq!(doc["verdict"], "unhealthy");
    assert_eq!(doc["action"], "rolled_back", "{}", run.stdout);
    assert_eq!(doc["change"]["sha"], promotion);
    assert_eq!(
        repo.read("environments/prod/app.yaml"),
        "app: {image: v1}\n"
    );
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains("unhealthy: 2 of 2 required bad readings in a row")
            && message.contains("Cfgctl-Guard-Violation: error_rate 0.3 > max 0.05"),
        "{message}"
    );
    // Nothing but the guard commit on the branch: the state is in the notes ref.
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "3");
    let rollback = repo.git(&["rev-parse", "HEAD"]).trim().to_string();

    // Another clone fetches the notes ref and reads why, with git alone.
    let other = TempRepo::bare_dir();
    let origin = repo.path().display().to_string();
    other.git(&["clone", "-q", &origin, "clone"]);
    other.git(&[
        "-C",
        "clone",
        "fetch",
        "-q",
        "origin",
        "refs/notes/cfgctl-guard:refs/notes/cfgctl-guard",
    ]);
    let note = other.git(&[
        "-C",
        "clone",
        "notes",
        "--ref",
        "cfgctl-guard",
        "show",
        &promotion,
    ]);
    let state: serde_json::Value = serde_json::from_str(&note).expect("the note is JSON");
    assert_eq!(state["environment"], "prod");
    assert_eq!(state["change"], promotion.as_str());
    assert_eq!(state["readings"].as_array().unwrap().len(), 2);
    let verdicts: Vec<&str> = state["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["violating", "violating", "unhealthy"]);
    assert_eq!(state["verdicts"][2]["action"], "rolled_back");
    assert_eq!(state["verdicts"][2]["commit"], rollback.as_str());
    let log = other.git(&[
        "-C",
        "clone",
        "log",
        "-1",
        "--notes=cfgctl-guard",
        "--format=%N",
        &promotion,
    ]);
    assert!(log.contains("\"unhealthy\""), "{log}");
}

#[test]
fn readings_outside_the_window_are_ignored() {
    let repo = judging_repo(JUDGING);
    let head = repo.git(&["rev-parse", "HEAD"]);
    // Two bad readings, but 2 h after a promotion whose window is 1 h, and one from before it.
    let stdin = format!(
        "{}\n{}\n{}\n",
        reading(120, 0.5, 900),
        reading(121, 0.5, 900),
        r#"{"time": "2025-12-31T23:50:00Z", "error_rate": 0.5, "requests": 900}"#
    );
    let run = guard(&repo, &stdin);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["verdict"], "insufficient_data", "{}", run.stdout);
    let counted: Vec<&str> = doc["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["counted"].as_str().unwrap())
        .collect();
    assert_eq!(counted, ["before_change", "after_window", "after_window"]);
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    // Inside the window they count.
    let run = guard(
        &repo,
        &format!("{}\n{}\n", reading(30, 0.5, 900), reading(40, 0.5, 900)),
    );
    run.code(1);
    assert_eq!(run.json()["action"], "rolled_back");
}

#[test]
fn several_metrics_files_and_formats() {
    let repo = judging_repo(JUDGING);
    repo.write("a.json", reading(5, 0.2, 500));
    repo.write(
        "b.yaml",
        "- {time: 2026-01-01T00:06:00Z, error_rate: 0.01, requests: 500}\n- {time: 2026-01-01T00:07:00Z, error_rate: 0.3, requests: 500}\n",
    );
    repo.write("c.jsonl", format!("{}\n", reading(8, 0.4, 500)));
    let run = repo.cfgctl_env(
        &[
            "guard",
            "prod",
            "--metrics",
            "a.json",
            "--metrics",
            "b.yaml",
            "--metrics",
            "c.jsonl",
            "--format",
            "json",
        ],
        &[("CFGCTL_NOW", "2026-01-01T03:00:00Z")],
    );
    run.code(1);
    let doc = run.json();
    // 00:05 bad, 00:06 good, 00:07 and 00:08 bad: two in a row.
    assert_eq!(doc["verdict"], "unhealthy", "{}", run.stdout);
    assert_eq!(doc["readings"][1]["source"], "b.yaml:1");
    assert_eq!(doc["readings"][3]["source"], "c.jsonl:1");
    // Bad input names the file and line.
    repo.write(
        "bad.jsonl",
        "{\"error_rate\": 0.1, \"requests\": 500}\n{\"error_rate\": \"x\"}\n",
    );
    let run = repo.cfgctl(&["guard", "prod", "--metrics", "bad.jsonl"]);
    run.code(2);
    assert!(
        run.stderr
            .contains("bad.jsonl:2: `error_rate` is not a number"),
        "{}",
        run.stderr
    );
    repo.cfgctl(&["guard", "prod", "--metrics", "-", "--metrics", "-"])
        .error(2, "error: `--metrics -` can be given once");
}
