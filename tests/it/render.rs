//! `cfgctl render`: layer order, null deletion, substitution, explain, ConfigMaps, revisions.

use crate::support::TempRepo;
use serde_json::{Value, json};

const CONFIG: &str = r#"[repo]
environments = ["dev", "prod"]

[[schema]]
files = ["environments/*/app.yaml"]
schema = "schemas/app.schema.json"
"#;

const SCHEMA: &str = r#"{
  "type": "object",
  "properties": {"app": {"type": "object", "properties": {"replicas": {"type": "integer", "maximum": 10}}}}
}"#;

/// All six layers set `app.level`; each layer also adds a key of its own.
fn layered_repo() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG)
        .write("schemas/app.schema.json", SCHEMA)
        .write(
            "global/app.yaml",
            "app:\n  level: global\n  from_global: 1\n  drop_me: x\n  tags: [a, b]\n",
        )
        .write(
            "environments/dev/app.yaml",
            "app:\n  level: env\n  replicas: 1\n",
        )
        .write(
            "environments/prod/app.yaml",
            "app:\n  level: env\n  replicas: 3\n  drop_me: null\n  tags: [c]\n",
        )
        .write("services/chat/app.yaml", "app:\n  level: service\n")
        .write(
            "services/chat/prod/app.yaml",
            "app:\n  level: service-env\n",
        )
        .write("tenants/acme/app.yaml", "app:\n  level: tenant\n")
        .write(
            "tenants/acme/prod/app.yaml",
            "app:\n  level: tenant-env\n  image: ${IMAGE:registry/app:1}\n",
        )
        .commit("layers");
    repo
}

fn content(repo: &TempRepo, args: &[&str]) -> Value {
    let mut all = vec!["render", "--format", "json"];
    all.extend_from_slice(args);
    let run = repo.cfgctl(&all);
    run.code(0);
    run.json()["documents"][0]["content"].clone()
}

#[test]
fn layers_merge_in_order_and_null_deletes() {
    let repo = layered_repo();
    assert_eq!(
        content(&repo, &["prod"]),
        json!({"app": {"level": "env", "from_global": 1, "tags": ["c"], "replicas": 3}})
    );
    assert_eq!(
        content(&repo, &["prod", "--service", "chat"])["app"]["level"],
        "service-env"
    );
    assert_eq!(
        content(&repo, &["dev", "--service", "chat"])["app"]["level"],
        "service"
    );
    let all = content(&repo, &["prod", "--service", "chat", "--tenant", "acme"]);
    assert_eq!(all["app"]["level"], "tenant-env");
    assert_eq!(all["app"]["image"], "registry/app:1");
    // The JSON wrapper names the layer files in merge order.
    let run = repo.cfgctl(&[
        "render",
        "prod",
        "--service",
        "chat",
        "--tenant",
        "acme",
        "--format",
        "json",
    ]);
    assert_eq!(
        run.json()["documents"][0]["files"],
        json!([
            "global/app.yaml",
            "environments/prod/app.yaml",
            "services/chat/app.yaml",
            "services/chat/prod/app.yaml",
            "tenants/acme/app.yaml",
            "tenants/acme/prod/app.yaml"
        ])
    );
}

#[test]
fn yaml_output_is_a_stream_that_parses_back() {
    let repo = layered_repo();
    let run = repo.cfgctl(&["render", "prod"]);
    run.code(0);
    assert!(
        run.stdout.starts_with(
            "--- # app.yaml (global/app.yaml, environments/prod/app.yaml)\napp:\n  level: env\n"
        ),
        "{}",
        run.stdout
    );
    let run = repo.cfgctl(&["render", "prod", "--as", "json"]);
    let parsed: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(parsed["app.yaml"]["app"]["replicas"], 3);
}

#[test]
fn explain_names_the_file_and_line_of_every_value() {
    let repo = layered_repo();
    let run = repo.cfgctl(&[
        "render",
        "prod",
        "--tenant",
        "acme",
        "--explain",
        "--format",
        "json",
    ]);
    run.code(0);
    let rows = run.json()["explain"].as_array().unwrap().clone();
    let at = |path: &str| {
        let row = rows
            .iter()
            .find(|r| r["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {rows:#?}"));
        (
            row["file"].as_str().unwrap().to_string(),
            row["line"].as_u64().unwrap(),
        )
    };
    assert_eq!(at("app.level"), ("tenants/acme/prod/app.yaml".into(), 2));
    assert_eq!(at("app.from_global"), ("global/app.yaml".into(), 3));
    assert_eq!(at("app.replicas"), ("environments/prod/app.yaml".into(), 3));
    assert_eq!(at("app.tags"), ("environments/prod/app.yaml".into(), 5));
    let table = repo.cfgctl(&["render", "prod", "--explain"]);
    assert!(
        table.stdout.contains("global/app.yaml:3"),
        "{}",
        table.stdout
    );
}

#[test]
fn unresolved_variables_warn_or_fail_under_strict_and_ci() {
    let repo = layered_repo();
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  level: env\n  size: ${SIZE}\n  url: https://${HOST}/x\n",
    );
    let run = repo.cfgctl(&["render", "dev"]);
    run.code(0);
    assert!(
        run.stderr
            .contains("environments/dev/app.yaml:3:9: unresolved reference `${SIZE}`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("size: ${SIZE}"),
        "left in place: {}",
        run.stdout
    );

    let run = repo.cfgctl(&["render", "dev", "--strict"]);
    run.code(1);
    assert!(run.stdout.is_empty(), "nothing half-rendered on stdout");
    assert!(
        run.stderr.contains("${SIZE}") && run.stderr.contains("${HOST}"),
        "all of them: {}",
        run.stderr
    );
    repo.cfgctl_env(&["render", "dev"], &[("CI", "true")])
        .code(1);
    repo.cfgctl_env(&["render", "dev", "--no-strict"], &[("CI", "true")])
        .code(0);

    // Set variables resolve, and a plain `${VAR}` takes the type the text has.
    let run = repo.cfgctl_env(
        &["render", "dev", "--strict", "--format", "json"],
        &[("SIZE", "4"), ("HOST", "api.example.com")],
    );
    run.code(0);
    let app = &run.json()["documents"][0]["content"]["app"];
    assert_eq!(app["size"], 4);
    assert_eq!(app["url"], "https://api.example.com/x");
}

#[test]
fn an_unresolved_reference_where_a_number_belongs_fails_validation() {
    let repo = layered_repo();
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  replicas: ${REPLICAS}\n",
    );
    let run = repo.cfgctl(&["render", "dev"]);
    run.code(1);
    assert!(run.stderr.contains("environments/dev/app.yaml:2:13: app.replicas: \"${REPLICAS}\" is not of type \"integer\""), "{}", run.stderr);
    let run = repo.cfgctl_env(&["render", "dev", "--format", "json"], &[("REPLICAS", "2")]);
    run.code(0);
    assert_eq!(run.json()["documents"][0]["content"]["app"]["replicas"], 2);
}

#[test]
fn the_merged_result_is_validated() {
    let repo = layered_repo();
    // Each layer is valid on its own; the tenant pushes replicas over the maximum.
    repo.write("tenants/acme/prod/app.yaml", "app:\n  replicas: 12\n");
    let run = repo.cfgctl(&["render", "prod", "--tenant", "acme"]);
    run.code(1);
    assert!(
        run.stderr.contains("tenants/acme/prod/app.yaml:2:13"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    repo.cfgctl(&["render", "prod", "--tenant", "acme", "--no-validate"])
        .code(0);
    repo.cfgctl(&["validate"]).code(0);
}

#[test]
fn configmap_output_is_a_manifest_with_one_key_per_document() {
    let repo = layered_repo();
    repo.write(
        "environments/prod/limits.json",
        "{\"limits\": {\"rps\": 5}}",
    );
    let run = repo.cfgctl(&[
        "render",
        "prod",
        "--as",
        "configmap",
        "--name",
        "app-config",
    ]);
    run.code(0);
    let dir = TempRepo::bare_dir();
    dir.write("cm.yaml", &run.stdout);
    let cm = dir.cfgctl(&["diff", "cm.yaml", "cm.yaml"]);
    cm.code(0);
    assert!(
        run.stdout
            .starts_with("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  app.yaml: |\n    app:\n      level: env\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  limits.json: |\n    {\n"),
        "{}",
        run.stdout
    );
    repo.cfgctl(&["render", "prod", "--as", "configmap"])
        .error(2, "error: --as configmap needs --name");
    repo.cfgctl(&["render", "prod", "--as", "configmap", "--name", "Bad_Name"])
        .error(2, "error: `Bad_Name` is not a valid ConfigMap name");
}

#[test]
fn render_at_a_revision_needs_no_checkout() {
    let repo = layered_repo();
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  level: env\n  replicas: 5\n",
    )
    .commit("scale");
    assert_eq!(
        content(&repo, &["prod", "--at", "HEAD~1"])["app"]["replicas"],
        3
    );
    assert_eq!(content(&repo, &["prod"])["app"]["replicas"], 5);
    repo.cfgctl(&["render", "prod", "--at", "nope"]).error(
        2,
        "error: unknown revision `nope`: revspec 'nope' not found",
    );
}

#[test]
fn bad_requests_are_clear_errors() {
    let repo = layered_repo();
    let run = repo.cfgctl(&["render", "qa"]);
    run.code(2);
    assert!(
        run.stderr.contains("unknown environment `qa`"),
        "{}",
        run.stderr
    );
    repo.cfgctl(&["render", "prod", "--service", "nope"])
        .error(2, "error: no services/nope/ directory in the working tree");
    repo.cfgctl(&["render", "prod", "missing.yaml"])
        .error(2, "error: no document `missing.yaml` in environment `prod`");
    repo.write("environments/prod/app.yaml", "app: [\n");
    let run = repo.cfgctl(&["render", "prod"]);
    run.code(2);
    assert!(
        run.stderr.contains("environments/prod/app.yaml:2:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_template_renders_every_environment() {
    let repo = TempRepo::from_template();
    for env in ["development", "staging", "production"] {
        repo.cfgctl_env(&["render", env, "--strict"], &[("CI", "true")])
            .code(0);
        let plain = repo.cfgctl(&["render", env, "--as", "json"]);
        plain.code(0);
        let plain = plain.json();
        let documents: Vec<&String> = plain.as_object().unwrap().keys().collect();
        assert_eq!(
            documents,
            [
                "database.yaml",
                "external_apis.json",
                "monitoring.toml",
                "security.yaml",
                "services.yaml"
            ],
            "{env}"
        );
        // Each environment's own file is in the result, on top of global/.
        let own = repo.cfgctl(&["get", env, "services.chat.image"]);
        assert_eq!(
            plain["services.yaml"]["services"]["chat"]["image"]
                .as_str()
                .map(|s| format!("{s}\n")),
            Some(own.code(0).stdout.clone()),
            "{env}"
        );
        // The service and tenant layers are added: chat's labels, acme's origins.
        let layered = repo.cfgctl(&[
            "render",
            env,
            "--service",
            "chat",
            "--tenant",
            "acme",
            "--as",
            "json",
        ]);
        layered.code(0);
        let layered = layered.json();
        assert_eq!(
            layered["services.yaml"]["services"]["chat"]["labels"],
            serde_json::json!({"team": "chat", "tier": "frontend"}),
            "{env}"
        );
        assert_eq!(
            layered["security.yaml"]["security"]["cors"]["allowed_origins"],
            serde_json::json!(["https://chat.acme.example", "https://support.acme.example"]),
            "{env}"
        );
        assert_eq!(
            plain["services.yaml"]["services"]["chat"]["labels"],
            Value::Null
        );
    }
}

/// The template README's table of where `render production --service chat --tenant acme`
/// takes each value from is what cfgctl really reports.
#[test]
fn the_template_readme_explains_what_render_does() {
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config-repo-template/README.md"
    ))
    .unwrap();
    let table = readme
        .split("--service chat --tenant acme` gives:")
        .nth(1)
        .expect("the README has the example table");
    let rows: Vec<(String, String, String)> = table
        .lines()
        .skip_while(|l| !l.starts_with("| `"))
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let unquote = |c: &str| c.trim_matches('`').to_string();
            let file = cells[3]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            (unquote(cells[1]), unquote(cells[2]), file)
        })
        .collect();
    assert!(rows.len() >= 5, "{rows:?}");
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&[
        "render",
        "production",
        "--service",
        "chat",
        "--tenant",
        "acme",
        "--explain",
        "--format",
        "json",
    ]);
    run.code(0);
    let explain = run.json()["explain"].as_array().unwrap().clone();
    for (path, value, file) in rows {
        let row = explain
            .iter()
            .find(|r| r["path"] == path)
            .unwrap_or_else(|| panic!("{path} is not in the rendered result"));
        assert_eq!(row["file"], file, "{path}");
        if !value.starts_with('[') {
            let shown = match &row["value"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(shown, value, "{path}");
        }
    }
}

#[test]
fn dotenv_output_flattens_every_layer_merged() {
    let repo = layered_repo();
    let run = repo.cfgctl(&[
        "render",
        "prod",
        "--service",
        "chat",
        "--tenant",
        "acme",
        "--as",
        "dotenv",
    ]);
    assert_eq!(
        run.code(0).stdout,
        "APP__FROM_GLOBAL=1\nAPP__IMAGE=registry/app:1\nAPP__LEVEL=tenant-env\nAPP__REPLICAS=3\nAPP__TAGS__0=c\n"
    );
    // Every line is what a shell reads back as the same value.
    let script = format!(
        "set -a; . /dev/stdin <<'EOF'\n{}EOF\nprintf '%s' \"$APP__IMAGE\"",
        run.stdout
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "registry/app:1");
}

#[test]
fn configmap_says_which_commit_and_which_data_it_holds() {
    let repo = layered_repo();
    let annotation = |args: &[&str], key: &str| -> String {
        let mut all = vec!["render", "prod", "--as", "configmap", "--name", "app"];
        all.extend(args);
        let run = repo.cfgctl(&all);
        let prefix = format!("    cfgctl/{key}: ");
        run.code(0)
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no {key} in {}", run.stdout))
            .trim_matches('"')
            .to_string()
    };
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    assert_eq!(annotation(&[], "revision"), head);
    assert_eq!(annotation(&["--at", "HEAD"], "revision"), head);
    let digest = annotation(&[], "digest");
    assert!(
        digest.starts_with("sha256:") && digest.len() == 7 + 64,
        "{digest}"
    );
    assert_eq!(annotation(&["--at", "HEAD"], "digest"), digest);

    // An uncommitted change to a file the render reads: the revision says so, the data differs.
    repo.replace("environments/prod/app.yaml", "replicas: 3", "replicas: 4");
    assert_eq!(annotation(&[], "revision"), format!("{head}-dirty"));
    assert_ne!(annotation(&[], "digest"), digest);
    // A change elsewhere leaves both alone.
    repo.git(&["checkout", "-q", "."]);
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  level: env\n  replicas: 2\n",
    );
    assert_eq!(annotation(&[], "revision"), head);
    assert_eq!(annotation(&[], "digest"), digest);
}

/// `--reveal` decrypts `${SECRET:…}` with the identities `--identity` names, tried before any
/// found in the environment; the template's production secret needs the production key.
#[test]
fn render_reveal_decrypts_with_the_identity_file_given() {
    let repo = TempRepo::from_template();
    let keys = repo.path().join(".home/keys");
    std::fs::create_dir_all(&keys).unwrap();
    // The template README's demo keys.
    let production = keys.join("production.txt");
    std::fs::write(
        &production,
        "AGE-SECRET-KEY-105SMLLQ47CY59W6DD9P25Z0SM6RX07A3S7UWHTSLPRRQNZQKPVPQRV43ZE\n",
    )
    .unwrap();
    let staging = keys.join("staging.txt");
    std::fs::write(
        &staging,
        "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV\n",
    )
    .unwrap();
    let password = |run: &crate::support::Run| {
        run.json()["database.yaml"]["database"]["primary"]["password"].clone()
    };
    let masked = repo.cfgctl(&["render", "production", "--as", "json"]);
    masked.code(0);
    assert_eq!(password(&masked), "${SECRET:database.password}");
    let revealed = repo.cfgctl(&[
        "render",
        "production",
        "--as",
        "json",
        "--reveal",
        "--identity",
        staging.to_str().unwrap(),
        "--identity",
        production.to_str().unwrap(),
    ]);
    revealed.code(0);
    assert_eq!(password(&revealed), "prod-demo-Zr8mK2vQ9xLw4Tn6");
    // Only the staging key: production's data key cannot be unwrapped, and it says which.
    let wrong = repo.cfgctl(&[
        "render",
        "production",
        "--reveal",
        "--identity",
        staging.to_str().unwrap(),
    ]);
    wrong.code(2);
    assert!(wrong.stdout.is_empty(), "{}", wrong.stdout);
    assert!(
        wrong.stderr.starts_with(
            "error: environments/production/database.secret.yaml: no identity can unwrap the data key (recipients: age1xfx0jv5duqx7074xmms0nh9kxjvhzups9f0440nqulavsfe2td9sw2d9mk)\n"
        ),
        "{}",
        wrong.stderr
    );
}
