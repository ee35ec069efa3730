//! `cfgctl diff` (every A/B form) and `cfgctl drift`.

use crate::support::TempRepo;
use serde_json::{Value, json};

const CONFIG: &str = r#"[repo]
environments = ["dev", "prod"]

[promote]
pinned = ["**.replicas"]
"#;

fn repo() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG)
        .write("global/app.yaml", "app:\n  region: eu\n")
        .write(
            "environments/dev/app.yaml",
            "app:\n  replicas: 1\n  password: dev-pass\n  ports:\n    - name: http\n      port: 8080\n    - name: metrics\n      port: 9090\n  banner: |\n    line one\n    line two\n",
        )
        .write(
            "environments/prod/app.yaml",
            "app:\n  replicas: 3\n  password: prod-pass\n  ports:\n    - name: metrics\n      port: 9100\n    - name: http\n      port: 8080\n  banner: |\n    line one\n    line 2\n  tls: true\n",
        )
        .write("environments/dev/only-dev.yaml", "x: 1\n")
        .commit("initial");
    repo
}

fn changes(run: &crate::support::Run) -> Vec<(String, String, String)> {
    run.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["document"].as_str().unwrap().to_string(),
                c["path"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn change(document: &str, path: &str, kind: &str) -> (String, String, String) {
    (document.into(), path.into(), kind.into())
}

#[test]
fn environments_compare_rendered_key_by_key() {
    let repo = repo();
    let run = repo.cfgctl(&["diff", "dev", "prod", "--format", "json"]);
    run.code(0);
    assert_eq!(
        changes(&run),
        [
            change("app.yaml", "app.replicas", "changed"),
            change("app.yaml", "app.password", "changed"),
            change("app.yaml", "app.ports", "reordered"),
            change("app.yaml", "app.ports[name=metrics].port", "changed"),
            change("app.yaml", "app.banner", "changed"),
            change("app.yaml", "app.tls", "added"),
            change("only-dev.yaml", "", "removed"),
        ]
    );
    let doc = run.json();
    let replicas = &doc["changes"][0];
    assert_eq!(replicas["old"], 1);
    assert_eq!(replicas["new"], 3);
    assert_eq!(
        replicas["a"],
        json!({"file": "environments/dev/app.yaml", "line": 2})
    );
    assert_eq!(
        replicas["b"],
        json!({"file": "environments/prod/app.yaml", "line": 2})
    );
    assert_eq!(doc["summary"]["changed"], 4);
    // Secrets are masked unless revealed.
    assert_eq!(doc["changes"][1]["old"], "<secret: changed>");
    assert!(!run.stdout.contains("prod-pass"));
    let revealed = repo.cfgctl(&["diff", "dev", "prod", "--format", "json", "--reveal"]);
    assert_eq!(revealed.json()["changes"][1]["new"], "prod-pass");
}

#[test]
fn human_output_shows_paths_places_and_line_diffs() {
    let repo = repo();
    let run = repo.cfgctl(&["diff", "dev", "prod"]);
    run.code(0);
    assert!(run.stdout.contains("  ~ app.replicas: 1 → 3\n      environments/dev/app.yaml:2 → environments/prod/app.yaml:2\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("-line two") && run.stdout.contains("+line 2"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  + app.tls: true"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("2 documents differ: 4 changed, 1 added, 1 removed, 1 reordered."),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("dev-pass"));
}

#[test]
fn filters_and_exit_code() {
    let repo = repo();
    let run = repo.cfgctl(&[
        "diff",
        "dev",
        "prod",
        "app.yaml",
        "--ignore-order",
        "--ignore-pinned",
        "--ignore",
        "app.banner",
        "--ignore",
        "app.password",
        "--format",
        "json",
    ]);
    assert_eq!(
        changes(&run),
        [
            change("app.yaml", "app.ports[name=metrics].port", "changed"),
            change("app.yaml", "app.tls", "added")
        ]
    );
    repo.cfgctl(&["diff", "dev", "prod", "--exit-code"]).code(1);
    repo.cfgctl(&["diff", "dev", "dev", "--exit-code"]).code(0);
    let same = repo.cfgctl(&["diff", "prod", "prod"]);
    assert!(
        same.stderr
            .contains("No differences between prod and prod."),
        "{}",
        same.stderr
    );
}

#[test]
fn raw_compares_the_environment_files_alone() {
    let repo = repo();
    repo.write("environments/prod/app.yaml", "app:\n  replicas: 1\n  password: dev-pass\n  ports:\n    - name: http\n      port: 8080\n    - name: metrics\n      port: 9090\n  banner: |\n    line one\n    line two\n  region: us\n");
    // Rendered, both have region (eu from global, us in prod); raw, only prod has it.
    let rendered = repo.cfgctl(&["diff", "dev", "prod", "app.yaml", "--format", "json"]);
    assert_eq!(
        changes(&rendered),
        [change("app.yaml", "app.region", "changed")]
    );
    let raw = repo.cfgctl(&[
        "diff", "dev", "prod", "app.yaml", "--raw", "--format", "json",
    ]);
    assert_eq!(changes(&raw), [change("app.yaml", "app.region", "added")]);
}

#[test]
fn revisions_and_rev_env_and_paths() {
    let repo = repo();
    repo.write(
        "environments/prod/app.yaml",
        repo.read("environments/prod/app.yaml")
            .replace("replicas: 3", "replicas: 4"),
    )
    .commit("scale prod");
    repo.git(&["tag", "v1", "HEAD~1"]);
    // Revision against revision: every configuration file, by path.
    let run = repo.cfgctl(&["diff", "v1", "HEAD", "--format", "json"]);
    assert_eq!(
        changes(&run),
        [change(
            "environments/prod/app.yaml",
            "app.replicas",
            "changed"
        )]
    );
    assert_eq!(
        run.json()["changes"][0]["a"]["file"],
        "v1:environments/prod/app.yaml"
    );
    // REV:ENV against the working tree's environment.
    let run = repo.cfgctl(&["diff", "HEAD~1:prod", "prod", "--format", "json"]);
    assert_eq!(
        changes(&run),
        [change("app.yaml", "app.replicas", "changed")]
    );
    // Two files, and two directories.
    let run = repo.cfgctl(&[
        "diff",
        "environments/dev/app.yaml",
        "environments/prod/app.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(run.json()["summary"]["changed"], 4);
    let run = repo.cfgctl(&[
        "diff",
        "environments/dev",
        "environments/prod",
        "--format",
        "json",
    ]);
    assert!(changes(&run).contains(&change("only-dev.yaml", "", "removed")));
    // Mixed or unknown forms are usage errors with a hint.
    let run = repo.cfgctl(&["diff", "HEAD", "prod"]);
    run.code(2);
    assert!(run.stderr.contains("REV:ENV"), "{}", run.stderr);
    repo.cfgctl(&["diff", "nowhere", "prod"]).error(
        2,
        "error: `nowhere` is not an environment, a revision, or an existing path",
    );
}

#[test]
fn drift_against_a_directory_a_file_and_a_configmap() {
    let repo = repo();
    let deployed = TempRepo::bare_dir();
    // A faithful copy first: no drift.
    let rendered = repo.cfgctl(&["render", "prod", "--as", "json"]);
    let docs: Value = serde_json::from_str(&rendered.stdout).unwrap();
    deployed.write(
        "copy/app.yaml",
        serde_json::to_string(&docs["app.yaml"]).unwrap(),
    );
    let copy = deployed.path().join("copy");
    let run = repo.cfgctl(&[
        "drift",
        "prod",
        "--against",
        copy.to_str().unwrap(),
        "app.yaml",
    ]);
    run.code(0);
    // Someone edited the live copy.
    let mut edited = docs["app.yaml"].clone();
    edited["app"]["replicas"] = json!(7);
    deployed.write("copy/app.yaml", serde_json::to_string(&edited).unwrap());
    let run = repo.cfgctl(&[
        "drift",
        "prod",
        "--against",
        copy.to_str().unwrap(),
        "app.yaml",
        "--format",
        "json",
    ]);
    run.code(1);
    assert_eq!(
        changes(&run),
        [change("app.yaml", "app.replicas", "changed")]
    );
    // One file stands for the one document asked for.
    let file = copy.join("app.yaml");
    repo.cfgctl(&[
        "drift",
        "prod",
        "--against",
        file.to_str().unwrap(),
        "app.yaml",
    ])
    .code(1);
    // A ConfigMap written by render is in sync; a changed one is drift.
    let cm = repo.cfgctl(&["render", "prod", "--as", "configmap", "--name", "app"]);
    deployed.write("cm.yaml", &cm.stdout);
    let cm_path = deployed.path().join("cm.yaml");
    repo.cfgctl(&["drift", "prod", "--against", cm_path.to_str().unwrap()])
        .code(0);
    deployed.write("cm.yaml", cm.stdout.replace("replicas: 3", "replicas: 2"));
    let run = repo.cfgctl(&[
        "drift",
        "prod",
        "--against",
        cm_path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    run.code(1);
    assert_eq!(
        changes(&run),
        [change("app.yaml", "app.replicas", "changed")]
    );
    repo.cfgctl(&["drift", "prod", "--against", "/nonexistent/x"])
        .error(
            2,
            "error: reading `/nonexistent/x`: No such file or directory (os error 2)",
        );
}

const FLAGS: &str = r#"{
  "flags": {
    "new-ui": {
      "state": "ENABLED",
      "variants": {"on": true, "off": false},
      "defaultVariant": "off"
    }
  }
}
"#;

/// The repository with flag files for both environments, committed.
fn with_flags() -> TempRepo {
    let repo = repo();
    repo.write("flags/dev.flags.json", FLAGS)
        .write("flags/prod.flags.json", FLAGS)
        .commit("flags");
    repo
}

#[test]
fn a_commit_that_changes_only_a_flag_is_a_difference() {
    let repo = with_flags();
    repo.replace(
        "flags/prod.flags.json",
        r#""defaultVariant": "off""#,
        r#""defaultVariant": "on""#,
    )
    .commit("prod: new-ui on");
    let run = repo.cfgctl(&["diff", "HEAD~1", "HEAD", "--format", "json"]);
    run.code(0);
    assert_eq!(
        changes(&run),
        [change(
            "flags/prod.flags.json",
            "flags.new-ui.defaultVariant",
            "changed"
        )]
    );
    assert_eq!(run.json()["changes"][0]["new"], "on");
    repo.cfgctl(&["diff", "HEAD~1", "HEAD", "--exit-code"])
        .code(1);
    let human = repo.cfgctl(&["diff", "HEAD~1", "HEAD"]);
    assert!(
        human
            .stdout
            .contains("~ flags.new-ui.defaultVariant: \"off\" → \"on\""),
        "{}",
        human.stdout
    );
}

#[test]
fn an_environment_across_revisions_includes_its_flags_and_packs() {
    let repo = with_flags();
    repo.replace(
        "flags/prod.flags.json",
        r#""state": "ENABLED""#,
        r#""state": "DISABLED""#,
    )
    .write(
        "environments/prod/packs.yaml",
        "packs:\n  prompt-injection:\n    version: 1.0.0\n    digest: abc\n",
    )
    .commit("prod: flag off, pack on");
    let run = repo.cfgctl(&["diff", "HEAD~1:prod", "prod", "--format", "json"]);
    run.code(0);
    assert_eq!(
        changes(&run),
        [
            change("flags", "flags.new-ui.state", "changed"),
            change("packs.yaml", "", "added"),
        ]
    );
    assert_eq!(
        run.json()["changes"][0]["b"]["file"],
        "flags/prod.flags.json"
    );
    let run = repo.cfgctl(&["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(
        changes(&run),
        [
            change("environments/prod/packs.yaml", "", "added"),
            change("flags/prod.flags.json", "flags.new-ui.state", "changed"),
        ]
    );
    // Between environments, the flag files are one more document, `flags`.
    let run = repo.cfgctl(&["diff", "dev", "prod", "flags", "--format", "json"]);
    assert_eq!(
        changes(&run),
        [change("flags", "flags.new-ui.state", "changed")]
    );
    assert_eq!(
        run.json()["changes"][0]["a"]["file"],
        "flags/dev.flags.json"
    );
}

#[test]
fn an_environment_across_revisions_includes_its_secret_files() {
    let repo = repo();
    repo.write(
        "environments/prod/db.secret.yaml",
        "password: ENC[AES256_GCM,data:b2xk,iv:aXY=,tag:dGFn,type:str]\n",
    )
    .write(
        "environments/dev/db.secret.yaml",
        "password: ENC[AES256_GCM,data:ZGV2,iv:aXY=,tag:dGFn,type:str]\n",
    )
    .commit("secrets");
    repo.write(
        "environments/prod/db.secret.yaml",
        "password: ENC[AES256_GCM,data:bmV3,iv:aXY=,tag:dGFn,type:str]\n",
    )
    .commit("prod: new password");
    let run = repo.cfgctl(&["diff", "HEAD~1:prod", "prod", "--format", "json"]);
    assert_eq!(
        changes(&run),
        [change("db.secret.yaml", "password", "changed")]
    );
    assert_eq!(run.json()["changes"][0]["new"], "<secret: changed>");
    // Two environments' ciphertexts always differ: without the key only keys are compared.
    let run = repo.cfgctl(&["diff", "dev", "prod", "db.secret.yaml", "--format", "json"]);
    assert_eq!(changes(&run), []);
}

/// (document, path, kind, the layer files each side took the value from) of every change.
fn sourced(run: &crate::support::Run) -> Vec<(String, String, String, Value, Value)> {
    run.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["document"].as_str().unwrap().to_string(),
                c["path"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["a"]["file"].clone(),
                c["b"]["file"].clone(),
            )
        })
        .collect()
}

/// `--service` and `--tenant` add the service's and tenant's layers to both sides: the
/// template's chat and acme layers differ between staging and production in exactly these
/// keys, and acme's origin list replaces both environments' lists, which then agree.
#[test]
fn diff_with_a_service_and_a_tenant_compares_their_layers_too() {
    let repo = TempRepo::from_template();
    let args = ["diff", "staging", "production", "--format", "json"];
    let plain = repo.cfgctl(&args);
    plain.code(0);
    let layered = repo.cfgctl(&[&args[..], &["--service", "chat", "--tenant", "acme"]].concat());
    layered.code(0);
    let from_layers = |changes: Vec<(String, String, String, Value, Value)>| {
        changes
            .into_iter()
            .filter(|c| {
                [&c.3, &c.4].iter().any(|f| {
                    f.as_str()
                        .is_some_and(|f| f.starts_with("services/") || f.starts_with("tenants/"))
                })
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(from_layers(sourced(&plain)), []);
    let s = |t: &str| t.to_string();
    assert_eq!(
        from_layers(sourced(&layered)),
        [
            (
                s("security.yaml"),
                s("security.rate_limits.chat_messages.requests_per_minute"),
                s("changed"),
                json!("tenants/acme/security.yaml"),
                json!("tenants/acme/production/security.yaml")
            ),
            (
                s("security.yaml"),
                s("security.rate_limits.chat_messages.burst"),
                s("changed"),
                json!("tenants/acme/security.yaml"),
                json!("tenants/acme/production/security.yaml")
            ),
            (
                s("services.yaml"),
                s("services.chat.shutdown_grace_period"),
                s("changed"),
                json!("services/chat/services.yaml"),
                json!("services/chat/production/services.yaml")
            ),
            (
                s("services.yaml"),
                s("services.chat.pod_disruption_budget"),
                s("added"),
                Value::Null,
                json!("services/chat/production/services.yaml")
            ),
        ]
    );
    let cors = |changes: &[(String, String, String, Value, Value)]| {
        changes
            .iter()
            .filter(|c| c.1.starts_with("security.cors.allowed_origins"))
            .count()
    };
    assert_eq!(cors(&sourced(&plain)), 4);
    assert_eq!(cors(&sourced(&layered)), 0);
}

/// `drift --service --tenant` renders what is deployed for one service and tenant: a copy
/// rendered with those layers has no drift with them, and without them drifts by exactly the
/// keys the layers set.
#[test]
fn drift_with_a_service_and_a_tenant_compares_their_rendering() {
    let repo = TempRepo::from_template();
    let deployed = TempRepo::bare_dir();
    let rendered = repo.cfgctl(&[
        "render",
        "production",
        "--service",
        "chat",
        "--tenant",
        "acme",
        "--as",
        "configmap",
        "--name",
        "app",
    ]);
    rendered.code(0);
    deployed.write("app.yaml", &rendered.stdout);
    let against = deployed.path().join("app.yaml");
    let against = against.to_str().unwrap();
    let same = repo.cfgctl(&[
        "drift",
        "production",
        "--service",
        "chat",
        "--tenant",
        "acme",
        "--against",
        against,
        "--format",
        "json",
    ]);
    same.code(0);
    assert_eq!(same.json()["changes"], json!([]));
    let plain = repo.cfgctl(&[
        "drift",
        "production",
        "--against",
        against,
        "--format",
        "json",
    ]);
    plain.code(1);
    let paths: Vec<(String, String)> = sourced(&plain).into_iter().map(|c| (c.1, c.2)).collect();
    let p = |path: &str, kind: &str| (path.to_string(), kind.to_string());
    assert_eq!(
        paths,
        [
            p("security.cors.allowed_origins[0]", "changed"),
            p("security.cors.allowed_origins[1]", "changed"),
            p("security.cors.allowed_origins[2]", "removed"),
            p(
                "security.rate_limits.default.requests_per_minute",
                "changed"
            ),
            p("security.rate_limits.default.burst", "changed"),
            p(
                "security.rate_limits.chat_messages.requests_per_minute",
                "changed"
            ),
            p("security.rate_limits.chat_messages.burst", "changed"),
            p("services.chat.shutdown_grace_period", "added"),
            p("services.chat.labels", "added"),
            p("services.chat.pod_disruption_budget", "added"),
        ]
    );
}
