//! `cfgctl log` and `cfgctl status`: history read back from commits and trailers.

use crate::support::TempRepo;
use serde_json::Value;

const CONFIG: &str = "[repo]\nenvironments = [\"dev\", \"stage\", \"prod\"]\n";

/// dev edit, stage edit ×2, promotion stage -> prod (from the first stage edit), global edit.
fn history() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG)
        .write("global/app.yaml", "app: {}\n")
        .write("environments/dev/app.yaml", "app: {v: 1}\n")
        .write("environments/stage/app.yaml", "app: {v: 1}\n")
        .write("environments/prod/app.yaml", "app: {v: 1}\n")
        .commit("initial");
    repo.write("environments/dev/app.yaml", "app: {v: 2}\n")
        .commit("dev: v2");
    repo.write("environments/stage/app.yaml", "app: {v: 2}\n")
        .commit("stage: v2");
    let promoted = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.write("environments/stage/app.yaml", "app: {v: 3}\n")
        .commit("stage: v3");
    repo.write("environments/prod/app.yaml", "app: {v: 2}\n");
    repo.git(&["add", "-A"]);
    let message = format!(
        "promote: stage -> prod (1 files, 1 keys)\n\nCfgctl-Action: promote\nCfgctl-From: stage@{promoted}\nCfgctl-To: prod\nApproved-by: Dana Reyes <dana@example.com>\n"
    );
    repo.git(&["commit", "-q", "-m", &message]);
    repo.write("global/app.yaml", "app: {shared: true}\n")
        .commit("shared default");
    repo.write("notes.txt", "not configuration\n")
        .commit("notes");
    repo
}

fn subjects(run: &crate::support::Run) -> Vec<String> {
    run.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn log_reads_kinds_environments_and_trailers() {
    let repo = history();
    let run = repo.cfgctl(&["log", "--format", "json"]);
    run.code(0);
    assert_eq!(
        subjects(&run),
        [
            "shared default",
            "promote: stage -> prod (1 files, 1 keys)",
            "stage: v3",
            "stage: v2",
            "dev: v2",
            "initial"
        ],
        "notes.txt is not configuration"
    );
    let doc = run.json();
    let promote = &doc["entries"][1];
    assert_eq!(promote["kind"], "promote");
    assert_eq!(promote["environments"], serde_json::json!(["prod"]));
    assert_eq!(
        promote["trailers"][3],
        serde_json::json!({"key": "Approved-by", "value": "Dana Reyes <dana@example.com>"})
    );
    assert_eq!(doc["entries"][0]["environments"], serde_json::json!(["*"]));
    // The sha is git's, and trailers agree with git's own parser.
    let sha = promote["sha"].as_str().unwrap();
    let parsed = repo.git(&[
        "log",
        "-1",
        "--format=%(trailers:key=Cfgctl-To,valueonly)",
        sha,
    ]);
    assert_eq!(parsed.trim(), "prod");
}

#[test]
fn log_filters_by_environment_path_count_and_date() {
    let repo = history();
    let prod = repo.cfgctl(&["log", "prod", "--format", "json"]);
    assert_eq!(
        subjects(&prod),
        [
            "shared default",
            "promote: stage -> prod (1 files, 1 keys)",
            "initial"
        ]
    );
    let path = repo.cfgctl(&["log", "environments/stage", "--format", "json"]);
    assert_eq!(subjects(&path), ["stage: v3", "stage: v2", "initial"]);
    let two = repo.cfgctl(&["log", "-n", "2", "--format", "json"]);
    assert_eq!(subjects(&two).len(), 2);
    // The test clock puts every commit at 2026-01-01.
    let none = repo.cfgctl(&["log", "--since", "2026-01-02", "--format", "json"]);
    assert_eq!(subjects(&none).len(), 0);
    let all = repo.cfgctl(&["log", "--since", "2026-01-01", "--format", "json"]);
    assert_eq!(subjects(&all).len(), 6);
    repo.cfgctl(&["log", "--since", "last tuesday"]).code(2);
    let table = repo.cfgctl(&["log", "prod"]);
    table.code(0);
    assert!(
        table.stdout.contains("promote") && table.stdout.contains("2026-01-01 00:00 +0000"),
        "{}",
        table.stdout
    );
}

#[test]
fn status_shows_last_change_promotion_and_what_is_pending() {
    let repo = history();
    let run = repo.cfgctl(&["status", "--format", "json"]);
    run.code(0);
    let rows: Vec<Value> = run.json()["environments"].as_array().unwrap().clone();
    let row = |env: &str| {
        rows.iter()
            .find(|r| r["environment"] == env)
            .unwrap()
            .clone()
    };
    assert_eq!(row("dev")["behind"], Value::Null);
    assert_eq!(row("stage")["behind"], 1, "dev: v2 was never promoted");
    let prod = row("prod");
    assert_eq!(prod["last_promotion"]["from"], "stage");
    assert_eq!(
        prod["behind"], 1,
        "stage: v3 came after the promoted commit"
    );
    assert_eq!(prod["last_change"]["subject"], "shared default");
    let table = repo.cfgctl(&["status"]);
    assert!(
        table.stdout.contains("1 commit in stage"),
        "{}",
        table.stdout
    );
}

#[test]
fn an_empty_history_is_not_an_error() {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG);
    let run = repo.cfgctl(&["log"]);
    run.code(0);
    assert!(run.stderr.contains("No configuration changes."));
    repo.cfgctl(&["status", "--format", "json"]).code(0);
}

/// For every path, `cfgctl log PATH` lists the same commits as `git log -- PATH` on a linear
/// history with additions, edits, renames, deletions and nested directories.
#[test]
fn log_of_a_path_agrees_with_git() {
    let repo = history();
    repo.write("services/chat/stage/app.yaml", "app: {replicas: 2}\n")
        .commit("chat override");
    repo.git(&[
        "mv",
        "environments/dev/app.yaml",
        "environments/dev/application.yaml",
    ]);
    repo.git(&["commit", "-q", "-m", "rename dev document"]);
    repo.git(&["rm", "-q", "services/chat/stage/app.yaml"]);
    repo.git(&["commit", "-q", "-m", "drop chat override"]);
    repo.write("tenants/acme/prod/app.yaml", "app: {tenant: acme}\n")
        .commit("acme prod");
    for path in [
        "environments/dev",
        "environments/stage",
        "environments/prod",
        "environments/dev/app.yaml",
        "services",
        "services/chat/stage",
        "tenants",
        "global",
    ] {
        let cfgctl: Vec<String> = repo.cfgctl(&["log", path, "--format", "json"]).json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["sha"].as_str().unwrap().to_string())
            .collect();
        let git: Vec<String> = repo
            .git(&["log", "--format=%H", "--", path])
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(cfgctl, git, "{path}");
    }
}

#[test]
fn an_environment_log_counts_its_flag_file_and_pack_activations() {
    let repo = history();
    repo.write("flags/prod.flags.json", "{\"flags\": {}}\n")
        .commit("prod flags");
    repo.write(
        "environments/prod/packs.yaml",
        "packs:\n  p:\n    version: 1.0.0\n    digest: abc\n",
    )
    .commit("prod packs");
    repo.write("flags/stage.flags.json", "{\"flags\": {}}\n")
        .commit("stage flags");
    let prod = repo.cfgctl(&["log", "prod", "-n", "3", "--format", "json"]);
    assert_eq!(
        subjects(&prod),
        ["prod packs", "prod flags", "shared default"]
    );
    assert_eq!(
        prod.json()["entries"][1]["environments"],
        serde_json::json!(["prod"])
    );
}

#[test]
fn an_unknown_environment_is_a_usage_error_listing_the_environments() {
    let repo = history();
    let run = repo.cfgctl(&["log", "prdo"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: `prdo` is neither an environment nor a path in the repository\nhint: environments: dev, stage, prod\n"
    );
    assert_eq!(run.stdout, "");
    // A path that only history knows (deleted since) is still a path.
    repo.git(&["rm", "-q", "environments/dev/app.yaml"]);
    repo.git(&["commit", "-q", "-m", "drop dev app"]);
    let gone = repo.cfgctl(&["log", "environments/dev/app.yaml", "--format", "json"]);
    gone.code(0);
    assert_eq!(subjects(&gone), ["drop dev app", "dev: v2", "initial"]);
}
