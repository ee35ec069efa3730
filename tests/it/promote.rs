//! `cfgctl promote`: plans, in-place edits that keep comments and pinned values, policy,
//! one commit with trailers git can parse, a review branch, and refusals that change nothing.

use crate::support::TempRepo;

const CONFIG: &str = r#"[repo]
environments = ["dev", "stage", "prod"]

[[schema]]
files = ["environments/*/app.yaml"]
schema = "schemas/app.json"

[promote]
pinned = ["**.replicas", "app.db.host"]

[promote.prod]
approvals = 1
approvers = ["Dana Reyes <dana@example.com>", "Sam Lee <sam@example.com>"]
freeze = [{ from = "2026-12-24T00:00:00Z", to = "2026-12-27T00:00:00Z", reason = "holiday freeze" }]
"#;

const SCHEMA: &str =
    r#"{"properties": {"app": {"properties": {"replicas": {"type": "integer", "maximum": 10}}}}}"#;

const STAGE: &str = "# stage: release candidates\napp:\n  image: v2   # the candidate\n  replicas: 2\n  db:\n    host: db.stage.internal\n    pool: 20\n  timeout: 5s\n";
const PROD: &str = "# prod: what customers use\napp:\n  image: v1   # current release\n  replicas: 6  # sized for traffic\n  db:\n    host: db.prod.internal\n    pool: 10\n  legacy: true\n";

fn repo() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG)
        .write("schemas/app.json", SCHEMA)
        .write("environments/dev/app.yaml", STAGE)
        .write("environments/stage/app.yaml", STAGE)
        .write(
            "environments/stage/limits.toml",
            "# limits\n[limits]\nrps = 50 # per pod\n",
        )
        .write(
            "environments/stage/app.secret.yaml",
            "password: ENC[stage]\n",
        )
        .write("environments/prod/app.yaml", PROD)
        .write(
            "environments/prod/limits.toml",
            "# limits\n[limits]\nrps = 500 # per pod\n",
        )
        .commit("initial");
    repo.write(
        "environments/stage/limits.toml",
        "# limits\n[limits]\nrps = 60 # per pod\nburst = 10\n",
    )
    .commit("stage limits");
    repo.write(
        "environments/stage/new.json",
        "{\"feature\": {\"on\": true}}\n",
    )
    .commit("stage: new document");
    repo
}

const DANA: &str = "Dana Reyes <dana@example.com>";
const NOW: (&str, &str) = ("CFGCTL_NOW", "2026-03-01T00:00:00Z");

fn state(repo: &TempRepo) -> (String, String) {
    (
        repo.git(&["rev-parse", "HEAD"]),
        repo.git(&["status", "--porcelain"]),
    )
}

#[test]
fn the_plan_changes_nothing() {
    let repo = repo();
    let before = state(&repo);
    let run = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--approved-by",
            DANA,
            "--format",
            "json",
        ],
        &[NOW],
    );
    run.code(0);
    let doc = run.json();
    let app = doc["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["document"] == "app.yaml")
        .unwrap()
        .clone();
    let actions: Vec<(String, String)> = app["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().to_string(),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let pairs: Vec<(&str, &str)> = actions
        .iter()
        .map(|(p, a)| (p.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("app.image", "promoted"),
            ("app.replicas", "pinned"),
            ("app.db.host", "pinned"),
            ("app.db.pool", "promoted"),
            ("app.legacy", "removed"),
            ("app.timeout", "added"),
        ]
    );
    assert_eq!(
        doc["skipped_secret_files"],
        serde_json::json!([{
            "file": "environments/stage/app.secret.yaml",
            "reason": "not encrypted: run `cfgctl secrets check`"
        }])
    );
    assert_eq!(state(&repo), before);
}

#[test]
fn executing_edits_in_place_and_commits_with_trailers() {
    let repo = repo();
    let run = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            DANA,
        ],
        &[NOW],
    );
    run.code(0);
    let app = repo.read("environments/prod/app.yaml");
    assert!(
        app.starts_with("# prod: what customers use\napp:\n"),
        "comments survive:\n{app}"
    );
    assert!(
        app.contains("replicas: 6  # sized for traffic"),
        "pinned value and its comment kept:\n{app}"
    );
    assert!(app.contains("host: db.prod.internal"), "{app}");
    assert!(app.contains("image: v2"), "{app}");
    assert!(
        app.contains("pool: 20") && app.contains("timeout: \"5s\"") && !app.contains("legacy"),
        "{app}"
    );
    let limits = repo.read("environments/prod/limits.toml");
    assert!(
        limits.contains("# limits\n[limits]\nrps = 60") && limits.contains("burst = 10"),
        "{limits}"
    );
    assert_eq!(
        repo.read("environments/prod/new.json"),
        "{\"feature\": {\"on\": true}}\n",
        "new documents are copied"
    );
    assert!(
        !repo
            .path()
            .join("environments/prod/app.secret.yaml")
            .exists(),
        "secret files are not copied"
    );
    // One commit, a clean tree, and trailers git parses.
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("promote: stage -> prod (3 files, "),
        "{message}"
    );
    let trailers = repo.git(&["log", "-1", "--format=%(trailers:only)"]);
    let head_before = repo.git(&["rev-parse", "HEAD~1"]);
    assert!(trailers.contains("Cfgctl-Action: promote"), "{trailers}");
    assert!(
        trailers.contains(&format!("Cfgctl-From: stage@{}", &head_before[..12])),
        "{trailers}"
    );
    assert!(
        trailers.contains("Cfgctl-To: prod") && trailers.contains(&format!("Approved-by: {DANA}")),
        "{trailers}"
    );
    repo.git(&["fsck", "--strict"]);
    // The plan after the promotion has nothing left to move.
    let again = repo.cfgctl_env(&["promote", "stage", "prod", "--format", "json"], &[NOW]);
    let moving: usize = again.json()["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["changes"].as_array().unwrap().clone())
        .filter(|c| c["action"] != "pinned")
        .count();
    assert_eq!(moving, 0);
    let status = repo.cfgctl(&["status", "--format", "json"]);
    assert_eq!(
        status.json()["environments"][2]["last_promotion"]["from"],
        "stage"
    );
    repo.cfgctl(&["validate"]).code(0);
}

#[test]
fn policy_blockers_are_listed_together() {
    let repo = repo();
    let before = state(&repo);
    // In the freeze window, with no approval and a stranger's.
    let run = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            "Eve <eve@example.com>",
        ],
        &[("CFGCTL_NOW", "2026-12-25T12:00:00Z")],
    );
    run.code(1);
    assert!(run.stderr.contains("blocked: prod is frozen from 2026-12-24T00:00:00Z to 2026-12-27T00:00:00Z (holiday freeze)"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("blocked: `Eve <eve@example.com>` is not in [policy.prod] approvers"),
        "{}",
        run.stderr
    );
    assert_eq!(state(&repo), before);
    // Out of order.
    let run = repo.cfgctl_env(&["promote", "dev", "prod", "--approved-by", DANA], &[NOW]);
    run.code(1);
    assert!(
        run.stderr.contains("does not come right after"),
        "{}",
        run.stderr
    );
    let run = repo.cfgctl_env(&["promote", "stage", "prod"], &[NOW]);
    run.code(1);
    assert!(run.stderr.contains("need 1 approval"), "{}", run.stderr);
    // An emergency passes the freeze and is recorded.
    let run = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            DANA,
            "--emergency",
            "fix the outage",
        ],
        &[("CFGCTL_NOW", "2026-12-25T12:00:00Z")],
    );
    run.code(0);
    assert!(
        repo.git(&[
            "log",
            "-1",
            "--format=%(trailers:key=Cfgctl-Emergency,valueonly)"
        ])
        .contains("fix the outage")
    );
}

#[test]
fn a_review_branch_leaves_the_current_branch_alone() {
    let repo = repo();
    let before = state(&repo);
    let run = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            DANA,
            "--branch",
            "promote/prod",
        ],
        &[NOW],
    );
    run.code(0);
    assert_eq!(state(&repo), before);
    let on_branch = repo.git(&["show", "promote/prod:environments/prod/app.yaml"]);
    assert!(
        on_branch.contains("image: v2") && on_branch.contains("# prod: what customers use"),
        "{on_branch}"
    );
    assert_eq!(repo.git(&["rev-parse", "promote/prod~1"]), before.0);
    repo.git(&["fsck", "--strict"]);
    let again = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            DANA,
            "--branch",
            "promote/prod",
        ],
        &[NOW],
    );
    again.code(2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}

#[test]
fn uncommitted_work_and_invalid_results_are_refused() {
    let repo = repo();
    repo.write(
        "environments/prod/app.yaml",
        format!("{PROD}  extra: local\n"),
    );
    let before = state(&repo);
    let run = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            DANA,
        ],
        &[NOW],
    );
    run.code(1);
    assert!(
        run.stderr
            .contains("blocked: environments/prod/app.yaml has uncommitted changes"),
        "{}",
        run.stderr
    );
    assert_eq!(state(&repo), before);
    repo.git(&["checkout", "-q", "--", "environments/prod/app.yaml"]);
    // A source value the target's schema rejects (replicas is pinned, so use an unpinned key
    // the schema checks through the merged result: make stage's image a number).
    repo.write(
        "schemas/app.json",
        r#"{"properties": {"app": {"properties": {"image": {"type": "string"}}}}}"#,
    )
    .write(
        "environments/stage/app.yaml",
        STAGE.replace("image: v2", "image: 2"),
    )
    .commit("stage: bad image");
    let run = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            DANA,
        ],
        &[NOW],
    );
    run.code(1);
    assert!(
        run.stderr
            .contains("blocked: the result is invalid: environments/prod/app.yaml"),
        "{}",
        run.stderr
    );
    // Uncommitted source changes would be promoted under the wrong commit id.
    repo.write("environments/stage/limits.toml", "[limits]\nrps = 1\n");
    let run = repo.cfgctl_env(&["promote", "stage", "prod", "--approved-by", DANA], &[NOW]);
    assert!(
        run.stderr
            .contains("environments/stage/limits.toml has uncommitted changes"),
        "{}",
        run.stderr
    );
}

#[test]
fn commits_are_signed_when_git_is_set_to_sign() {
    let repo = repo();
    repo.enable_ssh_signing();
    let before = repo.git(&["rev-parse", "HEAD"]);
    let branch = repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            DANA,
            "--branch",
            "promote/prod",
        ],
        &[NOW],
    );
    branch.code(0);
    repo.git(&["verify-commit", "promote/prod"]);
    assert_eq!(
        repo.git(&["rev-parse", "HEAD"]),
        before,
        "the current branch moved"
    );
    repo.cfgctl_env(
        &[
            "promote",
            "stage",
            "prod",
            "--execute",
            "--approved-by",
            DANA,
        ],
        &[NOW],
    )
    .code(0);
    repo.git(&["verify-commit", "HEAD"]);
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), before);
    // The author is the one cfgctl uses, not a default of the git CLI.
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae> %aI"]).trim(),
        "Test Author <author@example.com> 2026-01-01T00:00:00Z"
    );
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(message.contains("Cfgctl-Action: promote"), "{message}");
    // A rollback is signed too.
    repo.cfgctl(&["rollback", "HEAD", "--execute"]).code(0);
    repo.git(&["verify-commit", "HEAD"]);
}

/// Every environment document of `env` at `rev` (and its flag file), read with `git show` and
/// merged into one JSON object: each document has one top-level key of its own.
fn environment_at(repo: &TempRepo, rev: &str, env: &str) -> serde_json::Value {
    use cfgctl::document::{Format, Limits};
    let mut merged = serde_json::Map::new();
    let mut files: Vec<String> = repo
        .git(&[
            "ls-tree",
            "--name-only",
            rev,
            &format!("environments/{env}/"),
        ])
        .lines()
        .filter(|p| !p.contains(".secret."))
        .map(str::to_string)
        .collect();
    files.push(format!("flags/{env}.flags.json"));
    for path in files {
        let text = repo.git(&["show", &format!("{rev}:{path}")]);
        let value: serde_json::Value = if path.ends_with(".json") {
            serde_json::from_str(&text).unwrap()
        } else if path.ends_with(".toml") {
            serde_json::to_value(toml::from_str::<toml::Table>(&text).unwrap()).unwrap()
        } else {
            cfgctl::document::parse(text.as_bytes(), Format::Yaml, &Limits::default())
                .unwrap()
                .roots[0]
                .to_json()
        };
        for (key, value) in value.as_object().unwrap() {
            assert!(merged.insert(key.clone(), value.clone()).is_none(), "{key}");
        }
    }
    serde_json::Value::Object(merged)
}

/// The values at a JSON pointer in which a `*` segment stands for every key of an object:
/// (concrete pointer, value or `None` when absent), for both trees.
fn at_pointer<'a>(
    pattern: &str,
    trees: &[&'a serde_json::Value],
) -> Vec<(String, Vec<Option<&'a serde_json::Value>>)> {
    let mut pointers = vec![String::new()];
    for segment in pattern.trim_start_matches('/').split('/') {
        pointers = pointers
            .into_iter()
            .flat_map(|prefix| {
                if segment != "*" {
                    return vec![format!("{prefix}/{segment}")];
                }
                let mut keys: Vec<String> = trees
                    .iter()
                    .filter_map(|t| t.pointer(&prefix)?.as_object())
                    .flat_map(|o| o.keys().cloned())
                    .collect();
                keys.sort();
                keys.dedup();
                keys.into_iter().map(|k| format!("{prefix}/{k}")).collect()
            })
            .collect();
    }
    pointers
        .into_iter()
        .map(|p| {
            let values = trees.iter().map(|t| t.pointer(&p)).collect();
            (p, values)
        })
        .collect()
}

/// The template's comments call these keys environment-specific (cfgctl.toml's pins and the
/// documents' own comments).
const ENVIRONMENT_SPECIFIC: &[&str] = &[
    "/database/primary/host",
    "/database/primary/name",
    "/database/primary/user",
    "/database/read_replicas",
    "/database/ssl_mode",
    "/database/ssl_root_cert_file",
    "/database/pool",
    "/database/slow_query_threshold",
    "/database/migrations/auto_apply",
    "/database/backups",
    "/services/*/replicas",
    "/services/*/resources",
    "/services/*/autoscaling",
    "/services/*/log_level",
    "/services/*/debug",
    "/services/worker/queue/name",
    "/services/worker/queue/concurrency",
    "/services/worker/queue/max_retries",
    "/external_apis/*/provider",
    "/external_apis/*/base_url",
    "/external_apis/*/rate_limit_per_minute",
    "/external_apis/*/retries",
    "/external_apis/ledger/auth/cert_file",
    "/external_apis/ledger/auth/key_file",
    "/external_apis/ledger/auth/ca_file",
    "/security/cors/allowed_origins",
    "/security/csrf",
    "/security/session",
    "/security/rate_limits",
    "/security/trusted_proxies",
    "/security/admin",
    "/monitoring/log_level",
    "/monitoring/log_format",
    "/monitoring/metrics/scrape_interval",
    "/monitoring/metrics/histogram_buckets_ms",
    "/monitoring/tracing/endpoint",
    "/monitoring/tracing/sample_rate",
    "/monitoring/slo",
    "/monitoring/alerts",
    "/metadata/flagSetId",
    "/flags/*/state",
    "/flags/*/defaultVariant",
    "/flags/*/targeting",
    "/flags/*/metadata/stage",
];

/// What a promotion is for: image tags, timeouts and feature settings that development has
/// and the next environments do not yet.
const MOVES: &[&str] = &[
    "/services/gateway/image",
    "/services/chat/image",
    "/services/worker/image",
    "/services/gateway/timeouts/request",
    "/flags/search-algo/variants/semantic",
];

/// The template's pins hold what its comments promise: walked through both promotions,
/// every environment-specific key keeps its target's value, and the release moves.
#[test]
fn the_template_keeps_what_its_comments_call_environment_specific() {
    let repo = TempRepo::from_template();
    // Outside the template's freeze window (24–27 December).
    let now = ("CFGCTL_NOW", "2026-12-02T10:00:00Z");
    let dev = environment_at(&repo, "HEAD", "development");
    let staging = environment_at(&repo, "HEAD", "staging");
    let production = environment_at(&repo, "HEAD", "production");

    repo.cfgctl_env(&["promote", "development", "staging", "--execute"], &[now])
        .code(0);
    let staging_after = environment_at(&repo, "HEAD", "staging");
    // Builds of main are refused by the production policy schema ...
    let head = repo.git(&["rev-parse", "HEAD"]);
    let promote_to_production = [
        "promote",
        "staging",
        "production",
        "--execute",
        "--approved-by",
        DANA,
    ];
    let refused = repo.cfgctl_env(&promote_to_production, &[now]);
    refused.code(1);
    assert!(
        refused.stderr.contains("gateway:main-8f3c2e1"),
        "{}",
        refused.stderr
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    // ... so the release is cut in staging first.
    let services = repo
        .read("environments/staging/services.yaml")
        .replace("gateway:main-8f3c2e1", "gateway:1.44.0-rc.1")
        .replace("chat:main-8f3c2e1", "chat:2.9.0-rc.1")
        .replace("worker:main-8f3c2e1", "worker:1.21.0-rc.1");
    repo.write("environments/staging/services.yaml", services)
        .commit("staging: release candidates");
    let release = environment_at(&repo, "HEAD", "staging");
    repo.cfgctl_env(&promote_to_production, &[now]).code(0);
    let production_after = environment_at(&repo, "HEAD", "production");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "4");
    assert!(
        repo.git(&[
            "log",
            "-1",
            "--format=%(trailers:key=Approved-by,valueonly)"
        ])
        .contains(DANA)
    );

    for pattern in ENVIRONMENT_SPECIFIC {
        let places = at_pointer(
            pattern,
            &[
                &dev,
                &staging,
                &staging_after,
                &production,
                &production_after,
            ],
        );
        assert!(
            places.iter().any(|(_, v)| v.iter().all(Option::is_some)),
            "{pattern} names no key every environment has"
        );
        let mut differs = false;
        for (pointer, v) in places {
            let (dev, staging, staging_after, production, production_after) =
                (v[0], v[1], v[2], v[3], v[4]);
            assert_eq!(staging_after, staging, "{pointer} changed in staging");
            assert_eq!(
                production_after, production,
                "{pointer} changed in production"
            );
            differs |= dev != staging || staging != production;
        }
        // A key that is the same everywhere would prove nothing.
        assert!(differs, "{pattern} is equal in every environment");
    }
    for pointer in MOVES {
        let (dev, before) = (dev.pointer(pointer), staging.pointer(pointer));
        assert!(dev.is_some() && dev != before, "{pointer} does not differ");
        assert_eq!(staging_after.pointer(pointer), dev, "{pointer} in staging");
        let released = release.pointer(pointer);
        assert_ne!(production.pointer(pointer), released, "{pointer}");
        assert_eq!(
            production_after.pointer(pointer),
            released,
            "{pointer} in production"
        );
    }
    repo.cfgctl(&["validate"]).code(0);
}

#[test]
fn skip_order_promotes_past_an_environment_and_only_when_asked() {
    let repo = repo();
    repo.replace("environments/dev/app.yaml", "image: v2", "image: v3")
        .commit("dev: v3");
    let dev = repo.git(&["rev-parse", "--short=12", "HEAD"]);
    let before = state(&repo);
    // dev -> prod skips stage: refused, with the order and the flag that allows it.
    let run = repo.cfgctl_env(
        &["promote", "dev", "prod", "--approved-by", DANA, "--execute"],
        &[NOW],
    );
    run.code(1);
    assert!(
        run.stderr.contains(
            "blocked: `prod` does not come right after `dev` in [repo] environments (dev -> stage -> prod); pass --skip-order to promote anyway"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(state(&repo), before);
    // With --skip-order it goes through: dev's image, prod's pinned replicas and host.
    let run = repo.cfgctl_env(
        &[
            "promote",
            "dev",
            "prod",
            "--skip-order",
            "--approved-by",
            DANA,
            "--execute",
        ],
        &[NOW],
    );
    run.code(0);
    let app = repo.read("environments/prod/app.yaml");
    assert!(app.contains("image: v3"), "{app}");
    assert!(app.contains("replicas: 6  # sized for traffic"), "{app}");
    assert!(app.contains("host: db.prod.internal"), "{app}");
    let trailers = repo.git(&[
        "log",
        "-1",
        "--format=%(trailers:key=Cfgctl-From,valueonly)",
    ]);
    assert_eq!(trailers.trim(), format!("dev@{}", dev.trim()));
}
