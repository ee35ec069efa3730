//! `cfgctl flags …`: the flagd schema test documents, and the commands driven against
//! repositories made from the template.

use crate::support::TempRepo;

/// The template requires one approval for writes into production.
const APPROVER: &str = "Dana Reyes <dana@example.com>";
use cfgctl::document::{Format, Limits};
use cfgctl::finding::Severity;
use cfgctl::flags::validate::{FLAGD_SCHEMA, FLAGS_SCHEMA, TARGETING_SCHEMA, compiled};
use cfgctl::schema::Reporting;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const PROD: &str = "flags/production.flags.json";

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The schema repository's own documents: `positive/` must validate, `negative/` must not.
/// Each document's `$schema` names its schema (`../../../flags.json`); none means targeting
/// (for the examples: flags).
#[test]
fn schema_test_documents_give_the_expected_result() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flagd/schema-tests");
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut tests = 0;
    for file in &files {
        let rel = file
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(file).unwrap();
        let root = cfgctl::document::parse(&bytes, Format::Json, &Limits::default())
            .unwrap()
            .roots
            .remove(0);
        let json = root.to_json();
        let id = match json.get("$schema").and_then(Value::as_str) {
            Some(s) if s.ends_with("/flagd.json") => FLAGD_SCHEMA,
            Some(s) if s.ends_with("/flags.json") => FLAGS_SCHEMA,
            Some(s) => panic!("{rel}: unexpected $schema {s}"),
            // The examples are flag files; the test documents without `$schema` are rules.
            None if rel.starts_with("examples/") => FLAGS_SCHEMA,
            None => TARGETING_SCHEMA,
        };
        let findings = compiled(id).check(
            &rel,
            &root,
            Reporting {
                severity: Severity::Error,
                partial: false,
            },
        );
        // examples/full.json shows every operator, including `ends_with` with a number, which
        // the schema rejects (Python jsonschema 4.26 agrees); it is not one of the 36 tests.
        let expect_valid = !rel.contains("/negative/") && rel != "examples/full.json";
        if rel.starts_with("test/") {
            tests += 1;
        }
        if findings.is_empty() != expect_valid {
            wrong.push(format!(
                "{rel}: expected valid={expect_valid}, findings {findings:?}"
            ));
        }
    }
    assert_eq!(tests, 36, "the schema repository has 36 test documents");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_template_flags_validate_clean() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl_env(
        &["flags", "validate", "--format", "json"],
        &[crate::support::TEMPLATE_FRESH],
    );
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["findings"], json!([]), "{doc:#}");
    assert_eq!(doc["summary"]["files"], json!(3), "{doc:#}");
}

/// The template's flags expire on 2027-12-31. Run far in the future on purpose, every
/// command that checks flags reports exactly those expiries, whatever day the suite runs.
#[test]
fn the_template_in_2030_reports_its_expired_flags_and_only_them() {
    let repo = TempRepo::from_template();
    let stale = |file: &str, line: u64| {
        json!({
            "file": file,
            "line": line,
            "column": 20,
            "path": "flags.new-checkout.metadata.expires",
            "rule": "flags/stale",
            "severity": "warning",
            "message": "flag `new-checkout` expired on 2027-12-31: remove it or move `expires`",
            "schema": null,
        })
    };
    let expired = json!([
        stale("flags/development.flags.json", 23),
        stale("flags/production.flags.json", 24),
        stale("flags/staging.flags.json", 24),
    ]);
    let at = |now: &str, args: &[&str]| repo.cfgctl_env(args, &[("CFGCTL_NOW", now)]);
    // Validated first on the last day (results cached), then on the next: the cache must not
    // hide the expiry.
    for (now, want) in [
        ("2027-12-31T23:59:59Z", json!([])),
        ("2028-01-01T00:00:00Z", expired.clone()),
        ("2030-01-01T00:00:00Z", expired.clone()),
    ] {
        for args in [
            &["validate", "--format", "json"][..],
            &["flags", "validate", "--format", "json"],
        ] {
            let run = at(now, args);
            run.code(0);
            let doc = run.json();
            assert_eq!(doc["findings"], want, "{now} {args:?}");
            assert_eq!(
                doc["summary"]["warnings"],
                want.as_array().unwrap().len(),
                "{now} {args:?}"
            );
            assert_eq!(doc["summary"]["errors"], 0, "{now} {args:?}");
        }
    }
    // Warnings fail a run only when asked.
    let denied = at(
        "2030-01-01T00:00:00Z",
        &["flags", "validate", "--deny-warnings"],
    );
    denied.code(1);
    assert_eq!(
        denied.stdout,
        "flags/development.flags.json\n  flags/development.flags.json:23:20 warning flags.new-checkout.metadata.expires: flag `new-checkout` expired on 2027-12-31: remove it or move `expires` [flags/stale]\n\n\
         flags/production.flags.json\n  flags/production.flags.json:24:20 warning flags.new-checkout.metadata.expires: flag `new-checkout` expired on 2027-12-31: remove it or move `expires` [flags/stale]\n\n\
         flags/staging.flags.json\n  flags/staging.flags.json:24:20 warning flags.new-checkout.metadata.expires: flag `new-checkout` expired on 2027-12-31: remove it or move `expires` [flags/stale]\n"
    );
    at("2030-01-01T00:00:00Z", &["validate", "--deny-warnings"]).code(1);
    // Back on a day the template is fresh nothing has expired.
    let today = repo.cfgctl_env(
        &["validate", "--format", "json"],
        &[crate::support::TEMPLATE_FRESH],
    );
    today.code(0);
    assert_eq!(today.json()["findings"], json!([]));
}

#[test]
fn flag_findings_name_file_line_and_column_and_reach_top_level_validate() {
    let repo = TempRepo::from_template();
    repo.replace(
        PROD,
        r#"["on", 5], ["off", 95]"#,
        r#"["on", 5], ["of", 95]"#,
    )
    .replace(
        PROD,
        r#""expires": "2027-12-31""#,
        r#""expires": "2020-01-31""#,
    );
    let line = repo.line_of(PROD, r#"["of", 95]"#);
    let run = repo.cfgctl(&["flags", "validate"]);
    run.code(1);
    assert!(
        run.stdout.contains(&format!("{PROD}:{line}:")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("flags/unknown-variant"),
        "{}",
        run.stdout
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let rules: Vec<(String, String)> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        rules.contains(&("flags/unknown-variant".into(), "error".into())),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("flags/stale".into(), "warning".into())),
        "{rules:?}"
    );
}

#[test]
fn eval_prints_value_variant_and_reason() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&[
        "flags",
        "eval",
        "new-checkout",
        "--env",
        "production",
        "--targeting-key",
        "user-42",
        "--format",
        "json",
    ]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["version"], json!(1));
    assert_eq!(doc["file"], json!(PROD));
    let result = &doc["results"][0];
    assert_eq!(result["flag"], json!("new-checkout"));
    assert_eq!(result["value"], json!(false));
    assert_eq!(result["variant"], json!("off"));
    assert_eq!(result["reason"], json!("TARGETING_MATCH"));
    assert_eq!(result["metadata"]["stage"], json!("canary"));
    assert_eq!(result["metadata"]["flagSetId"], json!("production"));

    // The internal-users evaluator ($ref) comes first.
    let run = repo.cfgctl(&[
        "flags",
        "eval",
        "new-checkout",
        "--env",
        "production",
        "--targeting-key",
        "user-42",
        "--context",
        "email=dev@example.com",
    ]);
    run.code(0);
    assert!(
        run.stdout.starts_with("new-checkout = true\n"),
        "{}",
        run.stdout
    );

    // Every flag, with a context file and typed --context values.
    repo.write(
        "ctx.yaml",
        "plan: pro\napp_version: 2.4.0\ntenant_id: t-042\n",
    );
    let run = repo.cfgctl(&[
        "flags",
        "eval",
        "--all",
        "--env",
        "production",
        "--context-file",
        "ctx.yaml",
        "--targeting-key",
        "user-42",
        "--format",
        "json",
    ]);
    run.code(0);
    let results = run.json()["results"].as_array().unwrap().clone();
    let reasons: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["flag"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("new-checkout", "TARGETING_MATCH"),
            ("search-algo", "TARGETING_MATCH"),
            ("rate-limits", "TARGETING_MATCH"),
            ("dark-mode", "DISABLED"),
        ]
    );
    assert_eq!(results[3]["value"], Value::Null);
}

#[test]
fn eval_errors_and_usage_mistakes() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&[
        "flags",
        "eval",
        "nope",
        "--env",
        "production",
        "--format",
        "json",
    ]);
    run.code(1);
    assert_eq!(
        run.json()["results"][0]["error_code"],
        json!("FLAG_NOT_FOUND")
    );
    let run = repo.cfgctl(&["flags", "eval", "new-checkout", "--env", "qa"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: unknown environment `qa`\nhint: environments: development, staging, production\n"
    );
    let run = repo.cfgctl(&[
        "flags",
        "eval",
        "new-checkout",
        "--env",
        "production",
        "--context",
        "plan",
    ]);
    run.code(2);
    assert!(run.stderr.contains("is not KEY=VALUE"), "{}", run.stderr);
    repo.replace(PROD, r#""state": "DISABLED""#, r#""state": "OFF""#);
    let run = repo.cfgctl(&["flags", "eval", "new-checkout", "--env", "production"]);
    run.code(2);
    let line = repo.line_of(PROD, r#""state": "OFF""#);
    assert!(
        run.stderr.contains(&format!("{PROD}:{line}:")),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_shows_the_bucketing() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&[
        "flags",
        "explain",
        "new-checkout",
        "--env",
        "production",
        "--targeting-key",
        "user-42",
        "--format",
        "json",
    ]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["evaluators"], json!(["internal-users"]));
    let steps = doc["steps"].as_array().unwrap();
    assert_eq!(steps[0]["kind"], json!("if"));
    assert_eq!(steps[0]["matched"], Value::Null);
    let split = &steps[1];
    assert_eq!(split["key"], json!("new-checkoutuser-42"));
    // murmur3_x86_32("new-checkoutuser-42") = 2394511712; (h * 100) >> 32 = 55.
    assert_eq!(split["hash"], json!(2_394_511_712u64));
    assert_eq!(split["bucket"], json!(55));
    assert_eq!(split["total"], json!(100));
    assert_eq!(
        split["ranges"],
        json!([{"variant": "on", "from": 0, "to": 5}, {"variant": "off", "from": 5, "to": 100}])
    );
    assert_eq!(split["variant"], json!("off"));
    assert_eq!(doc["result"]["variant"], json!("off"));

    let run = repo.cfgctl(&[
        "flags",
        "explain",
        "new-checkout",
        "--env",
        "production",
        "--targeting-key",
        "user-42",
    ]);
    run.code(0);
    assert!(
        run.stdout
            .contains("bucket = (hash × 100) >> 32 = 55 of 100"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("off          [5, 100)  ← here"),
        "{}",
        run.stdout
    );
}

#[test]
fn stage_is_a_dry_run_until_execute_and_commits_with_trailers() {
    let repo = TempRepo::from_template();
    let before = repo.read(PROD);
    let run = repo.cfgctl(&[
        "flags",
        "stage",
        "new-checkout",
        "beta",
        "--env",
        "production",
        "--approved-by",
        APPROVER,
        "--percent",
        "20",
    ]);
    run.code(0);
    assert!(
        run.stdout.contains("canary (5%) -> beta (20%)"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("Dry run"), "{}", run.stderr);
    assert_eq!(repo.read(PROD), before);

    let run = repo.cfgctl(&[
        "flags",
        "stage",
        "new-checkout",
        "beta",
        "--env",
        "production",
        "--approved-by",
        APPROVER,
        "--percent",
        "20",
        "--execute",
        "--format",
        "json",
    ]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["executed"], json!(true));
    assert_eq!(doc["to"], json!({"stage": "beta", "percent": 20.0}));
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("flags: new-checkout to beta (20%) in production\n"),
        "{message}"
    );
    for trailer in [
        "Cfgctl-Action: flags-stage",
        "Cfgctl-To: production",
        "Cfgctl-Flag: new-checkout",
        "Cfgctl-Stage: beta",
    ] {
        assert!(message.contains(trailer), "{trailer} in {message}");
    }
    // Two lines changed (weights, stage), nothing else; the tree is clean.
    assert_eq!(
        repo.git(&["diff", "--numstat", "HEAD~1"]).trim(),
        format!("2\t2\t{PROD}")
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    let run = repo.cfgctl(&[
        "flags",
        "eval",
        "new-checkout",
        "--env",
        "production",
        "--targeting-key",
        "user-42",
        "--format",
        "json",
    ]);
    assert_eq!(run.json()["results"][0]["metadata"]["stage"], json!("beta"));
}

#[test]
fn stage_refuses_uncommitted_work_unless_forced() {
    let repo = TempRepo::from_template();
    repo.replace(PROD, r#""owner": "web-team""#, r#""owner": "design-team""#);
    let run = repo.cfgctl(&[
        "flags",
        "stage",
        "dark-mode",
        "canary",
        "--env",
        "production",
        "--approved-by",
        APPROVER,
        "--execute",
    ]);
    run.code(1);
    assert!(run.stderr.contains("uncommitted changes"), "{}", run.stderr);
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    let run = repo.cfgctl(&[
        "flags",
        "stage",
        "dark-mode",
        "canary",
        "--env",
        "production",
        "--approved-by",
        APPROVER,
        "--execute",
        "--force",
    ]);
    run.code(0);
    let committed = repo.git(&["show", &format!("HEAD:{PROD}")]);
    assert!(committed.contains("design-team"));
    assert!(committed.contains(r#""stage": "canary""#));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn stage_rejects_percent_for_full_and_flags_without_on_off() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&[
        "flags",
        "stage",
        "new-checkout",
        "full",
        "--env",
        "production",
        "--approved-by",
        APPROVER,
        "--percent",
        "5",
    ]);
    run.code(2);
    let run = repo.cfgctl(&[
        "flags",
        "stage",
        "search-algo",
        "beta",
        "--env",
        "production",
        "--approved-by",
        APPROVER,
    ]);
    run.code(2);
    assert!(
        run.stderr.contains("`on` and an `off` variant"),
        "{}",
        run.stderr
    );
}

#[test]
fn status_shows_each_flags_stage_per_environment() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&["status", "--format", "json"]);
    run.code(0);
    let flags = run.json()["flags"].clone();
    assert_eq!(flags[0]["flag"], "new-checkout");
    assert_eq!(
        flags[0]["stages"],
        json!({"development": "full", "staging": "beta", "production": "canary"})
    );
    assert_eq!(
        flags[0]["rollout"]["production"],
        json!({"percent": 5.0, "step": null, "steps": 5, "moved": null})
    );
    let run = repo.cfgctl(&["status"]);
    run.code(0);
    assert!(run.stdout.contains("dark-mode"), "{}", run.stdout);
}

#[test]
fn promote_carries_flags_but_not_their_rollout() {
    let repo = TempRepo::from_template();
    repo.replace(
        "flags/development.flags.json",
        r#""description": "Dark colour scheme""#,
        r#""description": "Dark colour scheme, every page""#,
    )
    .commit("describe dark mode better");
    let run = repo.cfgctl(&[
        "promote",
        "development",
        "staging",
        "flags",
        "--execute",
        "--format",
        "json",
    ]);
    run.code(0);
    let doc = run.json();
    let changes = doc["documents"][0]["changes"].as_array().unwrap().clone();
    let action = |path: &str| {
        changes
            .iter()
            .find(|c| c["path"] == json!(path))
            .map(|c| c["action"].as_str().unwrap().to_string())
    };
    assert_eq!(
        action("flags.dark-mode.metadata.description").as_deref(),
        Some("promoted")
    );
    assert_eq!(
        action("flags.new-checkout.metadata.stage").as_deref(),
        Some("pinned")
    );
    assert_eq!(
        action("flags.new-checkout.defaultVariant").as_deref(),
        Some("pinned")
    );
    let staging = repo.read("flags/staging.flags.json");
    assert!(staging.contains("every page"));
    assert!(staging.contains(r#""stage": "beta""#));
    assert_eq!(
        repo.git(&["diff", "--name-only", "HEAD~1"]).trim(),
        "flags/staging.flags.json"
    );
    // The flag commit counts as a change to staging in the history.
    let log = repo.cfgctl(&["log", "staging", "--format", "json"]);
    assert_eq!(log.json()["entries"][0]["kind"], json!("promote"));
}

/// Issue 15: `--next` walks `[flags.rollout]`, waits `min_step_interval` since the flag last
/// moved and while guard's last verdict is bad; `--back` steps back at once.
#[test]
fn rollout_schedule_next_and_back() {
    const APPROVER: &str = "Dana Reyes <dana@example.com>";
    let repo = TempRepo::from_template();
    // The template's schedule: [10, 25, 50, 75, 100], 30 minutes apart.
    assert!(
        repo.read("cfgctl.toml")
            .contains("min_step_interval = \"30m\"")
    );
    // Commits are dated 2026-01-01T00:00:00Z; the clock is set relative to that.
    let at = |time: &str, args: &[&str]| {
        let mut all = vec!["flags", "stage", "new-checkout", "--env", "production"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--approved-by", APPROVER, "--format", "json"]);
        repo.cfgctl_env(&all, &[("CFGCTL_NOW", time)])
    };
    // 5% (not a step) -> 10%, the first step: canary.
    let run = at("2026-01-01T00:00:00Z", &["--next", "--execute"]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["to"], json!({"stage": "canary", "percent": 10.0}));
    assert_eq!(doc["schedule"]["step"], 1);
    assert_eq!(doc["schedule"]["min_step_interval"], "30m");
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains("[flags.rollout] --next: step 1 of 5."),
        "{message}"
    );
    // Ten minutes later: inside the interval, refused with nothing changed.
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = at("2026-01-01T00:10:00Z", &["--next", "--execute"]);
    run.code(1);
    let blockers = run.json()["blockers"].to_string();
    assert!(
        blockers.contains("last moved in production 10m ago"),
        "{blockers}"
    );
    assert!(blockers.contains("min_step_interval is 30m"), "{blockers}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    // After the interval: 25%, beta.
    let run = at("2026-01-01T00:40:00Z", &["--next", "--execute"]);
    run.code(0);
    assert_eq!(run.json()["to"], json!({"stage": "beta", "percent": 25.0}));
    let step = repo.git(&["rev-parse", "HEAD"]).trim().to_string();

    // Guard finds the step unhealthy and rolls it back...
    repo.write(
        "sick.json",
        r#"{"error_rate": 0.3, "p95_latency_ms": 300, "time": "2026-01-01T00:45:00Z"}"#,
    );
    repo.cfgctl_env(
        &["guard", "production", "--metrics", "sick.json", "--execute"],
        &[("CFGCTL_NOW", "2026-01-01T00:50:00Z")],
    )
    .code(1);
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains(&format!("Cfgctl-Rollback-Of: {step}")),
        "{message}"
    );
    // ...and the next step waits for a better verdict, however long ago the last move was.
    let run = at("2026-01-01T05:00:00Z", &["--next"]);
    run.code(1);
    let blockers = run.json()["blockers"].to_string();
    assert!(
        blockers.contains("guard's last verdict for production is unhealthy")
            && blockers.contains("error_rate 0.3 > max 0.05"),
        "{blockers}"
    );
    repo.write(
        "well.json",
        r#"{"error_rate": 0.01, "p95_latency_ms": 300, "time": "2026-01-01T04:00:00Z"}"#,
    );
    repo.cfgctl_env(
        &["guard", "production", "--metrics", "well.json", "--execute"],
        &[("CFGCTL_NOW", "2026-01-01T05:00:00Z")],
    )
    .code(0);
    let run = at("2026-01-01T05:00:00Z", &["--next"]);
    run.code(0);
    assert_eq!(run.json()["to"], json!({"stage": "beta", "percent": 25.0}));

    // --back never waits: from 10% to disabled, and not past it.
    let run = at("2026-01-01T00:00:01Z", &["--back", "--execute"]);
    run.code(0);
    assert_eq!(run.json()["to"]["stage"], "disabled");
    at("2026-01-01T00:00:02Z", &["--back"]).code(1);
    // status shows where each flag stands and when it moved.
    let status = repo.cfgctl(&["status", "--format", "json"]);
    let flags = status.json()["flags"].clone();
    let row = flags
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flag"] == "new-checkout")
        .unwrap()
        .clone();
    assert_eq!(row["stages"]["production"], "disabled");
    assert_eq!(row["rollout"]["production"]["percent"], 0.0);
    assert_eq!(row["rollout"]["production"]["moved"]["kind"], "flags-stage");
    assert_eq!(row["rollout"]["staging"]["percent"], 25.0);
    assert_eq!(row["rollout"]["staging"]["step"], 2);
    assert_eq!(row["rollout"]["staging"]["moved"], serde_json::Value::Null);
    let human = repo.cfgctl(&["status"]);
    assert!(
        human.stdout.contains("moved 2026-01-01"),
        "{}",
        human.stdout
    );
    // --next with --percent is a usage error.
    repo.cfgctl(&[
        "flags",
        "stage",
        "new-checkout",
        "--env",
        "staging",
        "--next",
        "--percent",
        "5",
    ])
    .code(2);
}

#[test]
fn explain_with_context_follows_the_rule_the_context_matches() {
    let repo = TempRepo::from_template();
    let explain = |extra: &[&str]| {
        let mut args = vec!["flags", "explain", "new-checkout", "--env", "production"];
        args.extend_from_slice(extra);
        let run = repo.cfgctl(&args);
        run.code(0);
        run.stdout.clone()
    };
    // Without a context the internal-users rule does not match: the fractional split decides.
    let none = explain(&[]);
    assert!(none.contains("context: {}\n"), "{none}");
    assert!(
        none.contains("no rule matched (1 tried): the else branch applies\n"),
        "{none}"
    );
    assert!(
        none.ends_with("result: false (variant off, TARGETING_MATCH)\n"),
        "{none}"
    );
    // An internal e-mail address matches the rule, and the explanation says which.
    let internal = explain(&["--context", "email=jo@example.com"]);
    assert_eq!(
        internal,
        "new-checkout in flags/production.flags.json (ENABLED, stage canary)\n\
         context: {\"email\":\"jo@example.com\"}\n\
         evaluators used: internal-users\n\
         rule 1 of 1 matched: {\"$ref\":\"internal-users\"}\n\
         result: true (variant on, TARGETING_MATCH)\n"
    );
    // Another address does not; the context is shown as given.
    let other = explain(&["--context", "email=jo@elsewhere.org"]);
    assert!(
        other.contains("context: {\"email\":\"jo@elsewhere.org\"}\n")
            && other.contains("no rule matched (1 tried)"),
        "{other}"
    );
}
