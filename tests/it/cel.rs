//! CEL rules: in schemas (`x-kubernetes-validations`) and in cfgctl.toml
//! (`[[rule]]`), on the template with one planted violation of each.

use crate::support::TempRepo;

/// The template with each of its three CEL rules broken once.
fn planted() -> TempRepo {
    let repo = TempRepo::from_template();
    // Schema rule: a CPU request above its limit (the gateway's limit is "1").
    repo.replace(
        "environments/production/services.yaml",
        "requests: { cpu: 500m",
        "requests: { cpu: 1500m",
    );
    // Cross-document rule: 15 + 6 + 3 replicas against a pool of 20 connections.
    repo.replace(
        "environments/production/services.yaml",
        "replicas: 4\n",
        "replicas: 15\n",
    );
    repo.replace(
        "environments/production/database.yaml",
        "max_connections: 120",
        "max_connections: 20",
    );
    // Cross-environment rule: staging's chat may scale further than production's (40).
    repo.replace(
        "environments/staging/services.yaml",
        "autoscaling: { enabled: true, min_replicas: 2, max_replicas: 6",
        "autoscaling: { enabled: true, min_replicas: 2, max_replicas: 50",
    );
    repo
}

fn finding<'a>(findings: &'a [serde_json::Value], rule: &str) -> &'a serde_json::Value {
    findings
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {findings:#?}"))
}

#[test]
fn the_template_passes_its_own_rules() {
    TempRepo::from_template()
        .cfgctl_env(&["validate"], &[crate::support::TEMPLATE_FRESH])
        .code(0);
}

#[test]
fn each_planted_violation_is_found_at_its_value() {
    let repo = planted();
    let run = repo.cfgctl_env(
        &["validate", "--format", "json"],
        &[crate::support::TEMPLATE_FRESH],
    );
    run.code(1);
    let report = run.json();
    let findings = report["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 3, "{findings:#?}");

    let cpu = finding(&findings, "schema/x-kubernetes-validations");
    assert_eq!(cpu["file"], "environments/production/services.yaml");
    assert_eq!(
        cpu["line"],
        repo.line_of("environments/production/services.yaml", "cpu: 1500m")
    );
    assert_eq!(cpu["path"], "services.gateway.resources.requests.cpu");
    assert_eq!(cpu["message"], "CPU request 1500m is above the CPU limit 1");
    assert_eq!(cpu["schema"], "schemas/services.schema.json");

    let pool = finding(&findings, "rule/pool-covers-replicas");
    assert_eq!(pool["severity"], "error");
    assert_eq!(pool["file"], "environments/production/services.yaml");
    assert_eq!(pool["path"], "services");
    assert!(
        pool["message"]
            .as_str()
            .unwrap()
            .ends_with("(in production)"),
        "{pool}"
    );

    let parity = finding(&findings, "rule/production-scales-like-staging");
    assert_eq!(parity["severity"], "warning");
    assert_eq!(parity["file"], "environments/production/services.yaml");

    // The other formats carry the same findings with positions.
    let human = repo.cfgctl(&["validate", "--color", "never"]);
    human.code(1);
    assert!(
        human.stdout.contains("[rule/pool-covers-replicas]"),
        "{}",
        human.stdout
    );
    let github = repo.cfgctl(&["validate", "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("file=environments/production/services.yaml,line="),
        "{}",
        github.stdout
    );
    let junit = repo.cfgctl(&["validate", "--format", "junit"]);
    assert!(
        junit.stdout.contains("x-kubernetes-validations"),
        "{}",
        junit.stdout
    );
}

/// `[[rule]]`s read only what they name: the environments they are evaluated in or name
/// through `envs`, and the top-level keys they read, or everything when they use `env` as a
/// whole. Each shape gives the same findings from files the per-file pass parsed (no cache)
/// and from files it took from the cache (so the rules read them themselves).
#[test]
fn rules_find_the_same_whatever_they_read_and_however_the_files_were_checked() {
    let repo = TempRepo::from_template();
    let narrowed = r#"
[[rule]]
name = "small-pool"
environments = ["production"]
expr = "env.database.pool.max_connections < 100"
message = "the pool is too large"

[[rule]]
name = "development-pool-is-smaller"
expr = "envs.development.database.pool.max_connections <= envs.production.database.pool.max_connections"
"#;
    let whole = r#"
[[rule]]
name = "no-monitoring-in-staging"
expr = "environment != 'staging' || !('monitoring' in env)"
"#;
    let line = repo.line_of("environments/production/database.yaml", "max_connections:");
    let rules = |repo: &TempRepo, args: &[&str]| -> Vec<(String, u64, String)> {
        let mut all = vec!["validate", "--format", "json"];
        all.extend_from_slice(args);
        let run = repo.cfgctl_env(&all, &[crate::support::TEMPLATE_FRESH]);
        run.code(1);
        run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let config = repo.read("cfgctl.toml");
    repo.write("cfgctl.toml", format!("{config}{narrowed}"));
    let small_pool = (
        "environments/production/database.yaml".to_string(),
        line as u64,
        "the pool is too large (in production)".to_string(),
    );
    for args in [&["--no-cache"][..], &[], &[]] {
        assert_eq!(
            rules(&repo, args),
            std::slice::from_ref(&small_pool),
            "{args:?}"
        );
    }
    repo.write("cfgctl.toml", format!("{config}{narrowed}{whole}"));
    // No value named: the finding points at the rule's expression.
    let rule_line = repo.line_of("cfgctl.toml", "expr = \"environment != 'staging'") as u64;
    let no_monitoring = (
        "cfgctl.toml".to_string(),
        rule_line,
        "rule `no-monitoring-in-staging` does not hold: environment != 'staging' || !('monitoring' in env) (in staging)".to_string(),
    );
    for args in [&["--no-cache"][..], &[], &[]] {
        let mut found = rules(&repo, args);
        found.sort();
        assert_eq!(
            found,
            [no_monitoring.clone(), small_pool.clone()],
            "{args:?}"
        );
    }
}

/// Rules that read other environments (all of `envs`, or one named environment from each
/// environment) beside one that reads only its own: the environments the first two read are
/// kept for them while the last is evaluated as each environment renders. The findings are
/// the same with and without the cache, and from it.
#[test]
fn rules_over_other_environments_and_own_ones_together() {
    let repo = TempRepo::from_template();
    let extra = r#"
[[rule]]
name = "pools-under-100"
expr = "envs.all(e, envs[e].database.pool.max_connections < 100)"
message = "a pool is over 100"

[[rule]]
name = "pool-at-most-staging"
expr = "env.database.pool.max_connections <= envs.staging.database.pool.max_connections"

[[rule]]
name = "small-pool"
expr = "env.database.pool.max_connections < 50"
"#;
    let config = repo.read("cfgctl.toml");
    repo.write("cfgctl.toml", format!("{config}{extra}"));
    let production = "environments/production/database.yaml".to_string();
    let pool = repo.line_of(&production, "max_connections:") as u64;
    let all_line = repo.line_of("cfgctl.toml", "expr = \"envs.all(") as u64;
    let mut expected = vec![
        ("cfgctl.toml".to_string(), all_line, "rule/pools-under-100".to_string(), "a pool is over 100".to_string()),
        (
            production.clone(),
            pool,
            "rule/pool-at-most-staging".to_string(),
            "rule `pool-at-most-staging` does not hold: env.database.pool.max_connections <= envs.staging.database.pool.max_connections (in production)".to_string(),
        ),
        (
            production.clone(),
            pool,
            "rule/small-pool".to_string(),
            "rule `small-pool` does not hold: env.database.pool.max_connections < 50 (in production)".to_string(),
        ),
    ];
    expected.sort();
    for args in [&["--no-cache"][..], &[], &[]] {
        let mut all = vec!["validate", "--format", "json"];
        all.extend_from_slice(args);
        let run = repo.cfgctl_env(&all, &[crate::support::TEMPLATE_FRESH]);
        run.code(1);
        let mut found: Vec<(String, u64, String, String)> = run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("rule/"))
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["rule"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        assert_eq!(found, expected, "{args:?}");
    }
}

#[test]
fn a_staged_change_reports_the_rules_it_breaks() {
    let repo = TempRepo::from_template();
    repo.replace(
        "environments/production/database.yaml",
        "max_connections: 120",
        "max_connections: 12",
    );
    repo.git(&["add", "-A"]);
    let run = repo.cfgctl(&["validate", "--staged", "--format", "json"]);
    run.code(1);
    let report = run.json();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"rule/pool-covers-replicas"), "{rules:?}");
}

/// A staged run evaluates the rules only where they can point at a staged file: a change
/// in staging breaks the cross-environment rule (reported at the staged value), and a change
/// elsewhere in staging breaks nothing.
#[test]
fn a_staged_run_reports_the_cross_environment_rule_at_the_staged_value() {
    let repo = TempRepo::from_template();
    repo.replace(
        "environments/staging/services.yaml",
        "autoscaling: { enabled: true, min_replicas: 2, max_replicas: 6",
        "autoscaling: { enabled: true, min_replicas: 2, max_replicas: 50",
    );
    repo.git(&["add", "-A"]);
    let run = repo.cfgctl_env(
        &["validate", "--staged", "--format", "json"],
        &[crate::support::TEMPLATE_FRESH],
    );
    run.code(0);
    let report = run.json();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "rule/production-scales-like-staging");
    assert_eq!(findings[0]["file"], "environments/staging/services.yaml");
    assert_eq!(findings[0]["severity"], "warning");
    repo.git(&["reset", "-q", "--hard"]);
    repo.replace(
        "environments/staging/database.yaml",
        "max_connections: 40",
        "max_connections: 41",
    );
    repo.git(&["add", "-A"]);
    let run = repo.cfgctl_env(
        &["validate", "--staged", "--format", "json"],
        &[crate::support::TEMPLATE_FRESH],
    );
    run.code(0);
    assert_eq!(
        run.json()["findings"],
        serde_json::json!([]),
        "{}",
        run.stdout
    );
}

#[test]
fn a_rule_that_does_not_compile_is_an_error_at_its_position() {
    let repo = TempRepo::from_template();
    let config = repo.read("cfgctl.toml");
    repo.write(
        "cfgctl.toml",
        config.replace(
            "expr = \"env.services.map(",
            "expr = \"env.services.map(s, ) + env.services.map(",
        ),
    );
    let line = repo.line_of("cfgctl.toml", "env.services.map(s, )");
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let f = &run.json()["findings"][0];
    assert_eq!(f["rule"], "config");
    assert_eq!(f["line"], line);
    assert_eq!(f["column"], 29, "{f}");
    assert!(
        f["message"].as_str().unwrap().contains("does not compile"),
        "{f}"
    );

    let repo = TempRepo::from_template();
    repo.replace(
        "schemas/services.schema.json",
        "\"rule\": \"!has(self.resources.requests.cpu)",
        "\"rule\": \"!has(self.resources.requests.cpu) && nope",
    );
    let line = repo.line_of("schemas/services.schema.json", "&& nope");
    let run = repo.cfgctl(&["validate"]);
    run.code(2);
    assert!(
        run.stderr
            .contains(&format!("schemas/services.schema.json:{line}:")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("undeclared reference to `nope`"),
        "{}",
        run.stderr
    );
}

#[test]
fn transition_rules_compare_with_the_base_revision() {
    let repo = TempRepo::new();
    repo.write(
        "cfgctl.toml",
        "[repo]\nenvironments = [\"production\"]\n\n[[schema]]\nfiles = [\"environments/*/app.yaml\"]\nschema = \"schemas/app.json\"\n",
    )
    .write(
        "schemas/app.json",
        r#"{"type": "object", "properties": {"replicas": {"type": "integer",
            "x-kubernetes-validations": [{"rule": "self >= oldSelf / 2",
              "message": "replicas may not drop by more than half in one change"}]}}}"#,
    )
    .write("environments/production/app.yaml", "replicas: 10\n")
    .commit("app");
    repo.write("environments/production/app.yaml", "replicas: 4\n");
    // Without a base revision there is no previous value: the rule is skipped.
    repo.cfgctl(&["validate"]).code(0);
    let run = repo.cfgctl(&["validate", "--changed-since", "HEAD", "--format", "json"]);
    run.code(1);
    let f = &run.json()["findings"][0];
    assert_eq!(
        f["message"],
        "replicas may not drop by more than half in one change"
    );
    assert_eq!(f["line"], 1);
    repo.git(&["add", "-A"]);
    repo.cfgctl(&["validate", "--staged"]).code(1);
    repo.write("environments/production/app.yaml", "replicas: 6\n");
    repo.cfgctl(&["validate", "--changed-since", "HEAD"])
        .code(0);
}

/// Where `scripts/test.sh` installs the official CEL conformance data (npm `@bufbuild/cel-spec`,
/// cel-spec v0.25.1's "simple" tests as data); CFGCTL_CEL_SPEC overrides it.
const CEL_SPEC_DEFAULT: &str =
    "/opt/cfgctl-ci/npm/node_modules/@bufbuild/cel-spec/dist/cjs/testdata/conformance.js";

/// The conformance suites that apply: no protocol buffer messages, timestamps, durations,
/// optionals, bytes encoders or type checking.
const SUITES: [&str; 10] = [
    "basic",
    "comparisons",
    "conversions",
    "fp_math",
    "integer_math",
    "lists",
    "logic",
    "macros",
    "parse",
    "string",
];

/// Reads the conformance data with node; `None` (with a note) when it is not installed,
/// except under CI=true, where that fails.
fn conformance_data() -> Option<serde_json::Value> {
    let path = std::env::var("CFGCTL_CEL_SPEC").unwrap_or_else(|_| CEL_SPEC_DEFAULT.into());
    let install =
        "npm install --prefix /opt/cfgctl-ci/npm @bufbuild/cel-spec@0.6.1 (scripts/test.sh does)";
    let output = std::process::Command::new("node")
        .arg("-e")
        .arg("process.stdout.write(JSON.stringify(require(process.argv[1]).tests))")
        .arg(&path)
        .output();
    let data = match output {
        Ok(out) if out.status.success() => serde_json::from_slice(&out.stdout).ok(),
        _ => None,
    };
    if data.is_none() {
        crate::support::missing(
            &format!("the CEL conformance data is not at `{path}` (or node is missing)"),
            install,
        );
    }
    data
}

/// The expected value of a simple test, when it is one this runner compares.
fn expected(test: &serde_json::Value) -> Option<Result<cfgctl_cel_value::Expected, ()>> {
    use cfgctl_cel_value::Expected;
    if test.get("evalError").is_some() {
        return Some(Err(()));
    }
    let value = test.get("value")?;
    let (kind, v) = value.as_object()?.iter().next()?;
    Some(Ok(match kind.as_str() {
        "int64Value" => Expected::Int(v.as_str()?.parse().ok()?),
        "uint64Value" => Expected::UInt(v.as_str()?.parse().ok()?),
        "doubleValue" => Expected::Float(match v {
            serde_json::Value::String(s) => match s.as_str() {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                _ => return None,
            },
            other => other.as_f64()?,
        }),
        "stringValue" => Expected::String(v.as_str()?.to_string()),
        "boolValue" => Expected::Bool(v.as_bool()?),
        "nullValue" => Expected::Null,
        _ => return None,
    }))
}

mod cfgctl_cel_value {
    #[derive(Debug, PartialEq)]
    pub enum Expected {
        Int(i64),
        UInt(u64),
        Float(f64),
        String(String),
        Bool(bool),
        Null,
    }

    pub fn matches(expected: &Expected, got: &cel::Value) -> bool {
        match (expected, got) {
            (Expected::Int(a), cel::Value::Int(b)) => a == b,
            (Expected::UInt(a), cel::Value::UInt(b)) => a == b,
            (Expected::Float(a), cel::Value::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Expected::String(a), cel::Value::String(b)) => a == b.as_str(),
            (Expected::Bool(a), cel::Value::Bool(b)) => a == b,
            (Expected::Null, cel::Value::Null) => true,
            _ => false,
        }
    }
}

/// Runs the official CEL conformance "simple" tests that apply (see `SUITES`; cases with
/// bindings, type environments or containers, and expected values of other types, are left
/// out) and pins how many pass, so that a regression — or an improvement — shows up here.
#[test]
fn cel_conformance_simple_subset() {
    let Some(data) = conformance_data() else {
        return;
    };
    // The parser recurses per operator: the long chains in the `parse` suite need more stack
    // than a test thread's default in a debug build.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || run_conformance(&data))
        .unwrap()
        .join()
        .unwrap();
}

fn run_conformance(data: &serde_json::Value) {
    let (mut run, mut passed) = (0, 0);
    let mut failures = Vec::new();
    for suite in data["suites"].as_array().unwrap() {
        let name = suite["name"].as_str().unwrap();
        if !SUITES.contains(&name) {
            continue;
        }
        for section in suite["suites"].as_array().into_iter().flatten() {
            for test in section["tests"].as_array().into_iter().flatten() {
                let original = &test["original"];
                let applies = [
                    "bindings",
                    "typeEnv",
                    "container",
                    "disableMacros",
                    "checkOnly",
                ]
                .iter()
                .all(|k| original.get(*k).is_none());
                let (Some(expr), Some(expected)) = (original["expr"].as_str(), expected(original))
                else {
                    continue;
                };
                if !applies {
                    continue;
                }
                run += 1;
                let got = cfgctl::cel::evaluate_standalone(expr);
                let ok = match (&expected, &got) {
                    (Err(()), Err(_)) => true,
                    (Ok(e), Ok(v)) => cfgctl_cel_value::matches(e, v),
                    _ => false,
                };
                if ok {
                    passed += 1;
                } else {
                    failures.push(format!("{name}/{}: {expr}", original["name"]));
                }
            }
        }
    }
    assert_eq!(
        (run, passed),
        (841, 802),
        "failing cases:\n{}",
        failures.join("\n")
    );
}

/// The rules keep of each environment only what their expressions can read; what they do
/// read must come out as a whole render makes it: a null in an override still deletes a key
/// of a map a rule iterates, and a `${VAR}` in a field no rule reads still makes the
/// environment's render incomplete (a rule failing there is then not judged).
#[test]
fn rules_see_deleted_keys_and_unresolved_references_in_what_they_do_not_read() {
    let repo = TempRepo::from_template();
    let extra = r#"
[[rule]]
name = "no-legacy"
expr = "env.services.all(s, s != 'legacy')"
message = "a legacy service is deployed"

[[rule]]
name = "every-service-has-a-port"
expr = "env.services.all(s, env.services[s].port > 0)"
"#;
    let config = repo.read("cfgctl.toml");
    repo.write("cfgctl.toml", format!("{config}{extra}"));
    // The template's databases hold a `${SECRET:…}` (read for its pool size): without it,
    // only what is written below leaves a render incomplete.
    for env in ["development", "staging", "production"] {
        let path = format!("environments/{env}/database.yaml");
        let text = repo.read(&path);
        let secret = "    password: \"${SECRET:database.password}\"\n";
        assert!(text.contains(secret), "{path}");
        repo.write(&path, text.replace(secret, ""));
    }
    // Every environment gets `legacy` from the shared layer; staging deletes it.
    repo.write(
        "global/services.yaml",
        "services:\n  legacy:\n    replicas: 1\n    image: old\n",
    );
    let staging = "environments/staging/services.yaml";
    let text = repo.read(staging);
    let text = text.replacen("services:\n", "services:\n  legacy: null\n", 1);
    // A reference no render can resolve, in a field neither rule reads.
    let text = text.replacen(
        "image: registry.example.com/platform/gateway:1.43.0-rc.2",
        "image: registry.example.com/platform/gateway:${GATEWAY_TAG}",
        1,
    );
    repo.write(staging, text);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "legacy service"]);
    let rules_found = |run: &crate::support::Run| -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("rule/"))
            .filter(|f| f["rule"] != "rule/pool-covers-replicas")
            .map(|f| {
                let message = f["message"].as_str().unwrap();
                let env = message.rsplit("(in ").next().unwrap().trim_end_matches(')');
                (f["rule"].as_str().unwrap().to_string(), env.to_string())
            })
            .collect();
        found.sort();
        found
    };
    let expected: Vec<(String, String)> = [
        // Staging's null deletes `legacy`; the others have it.
        ("rule/every-service-has-a-port", "development"),
        ("rule/every-service-has-a-port", "production"),
        ("rule/no-legacy", "development"),
        ("rule/no-legacy", "production"),
    ]
    .iter()
    .map(|(r, e)| (r.to_string(), e.to_string()))
    .collect();
    // No service has a `port`: the rule cannot be evaluated, except in staging, whose render
    // is incomplete (`${GATEWAY_TAG}`), where it is not judged.
    for args in [&["--no-cache"][..], &[], &[]] {
        let mut all = vec!["validate", "--format", "json"];
        all.extend_from_slice(args);
        let run = repo.cfgctl_env(&all, &[crate::support::TEMPLATE_FRESH]);
        run.code(1);
        assert_eq!(rules_found(&run), expected, "{args:?}");
    }
    // A staged change to one environment: the others' files are read for the rules, not
    // checked.
    repo.replace(staging, "replicas: 2", "replicas: 3");
    repo.git(&["add", "-A"]);
    let run = repo.cfgctl_env(
        &["validate", "--staged", "--format", "json", "--no-cache"],
        &[crate::support::TEMPLATE_FRESH],
    );
    assert_eq!(rules_found(&run), Vec::<(String, String)>::new());
}
