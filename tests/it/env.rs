//! `env list`: the environments in promotion order with what belongs to each.

use crate::support::TempRepo;

#[test]
fn env_list_shows_each_environment_in_promotion_order() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&["env", "list"]);
    let out = &run.code(0).stdout;
    let order: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(order, ["1. development", "2. staging", "3. production"]);
    assert!(
        out.contains("  flag file:    flags/staging.flags.json\n"),
        "{out}"
    );
    assert!(out.contains("  packs:        none\n"), "{out}");

    // An activated pack shows under packs, not as a document.
    repo.cfgctl(&["packs", "release", "prompt-injection", "1.0.0", "--execute"])
        .code(0);
    repo.cfgctl(&[
        "packs",
        "activate",
        "staging",
        "prompt-injection@1.0.0",
        "--execute",
    ])
    .code(0);
    let doc = repo
        .cfgctl(&["env", "list", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(doc["command"], "env list");
    let envs = doc["environments"].as_array().unwrap();
    let names: Vec<&str> = envs.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["development", "staging", "production"]);
    let staging = &envs[1];
    assert_eq!(staging["packs"][0]["pack"], "prompt-injection");
    assert_eq!(staging["packs"][0]["version"], "1.0.0");
    assert_eq!(envs[2]["packs"], serde_json::json!([]));
    let documents: Vec<&str> = staging["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(!documents.contains(&"packs.yaml"), "{documents:?}");
    assert!(documents.contains(&"database.yaml"));
    assert_eq!(
        staging["documents"][0]["files"],
        serde_json::json!(["global/database.yaml", "environments/staging/database.yaml"])
    );
    assert_eq!(
        staging["secret_files"],
        serde_json::json!([
            "environments/staging/app.secret.yaml",
            "environments/staging/database.secret.yaml"
        ])
    );
    assert_eq!(staging["flag_file"], "flags/staging.flags.json");
}
