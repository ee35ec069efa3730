//! One key at a time: `get` reads a rendered value and where it came from; `set` and `unset`
//! edit one file in place (comments kept byte for byte), validate the whole repository first,
//! and with `--commit` go through the write pipeline and its policy.

use crate::support::TempRepo;

const SERVICES: &str = "environments/staging/services.yaml";
const FROZEN: &str = "2026-12-25T12:00:00Z";
const DANA: &str = "Dana Reyes <dana@example.com>";

#[test]
fn get_prints_scalars_subtrees_json_and_where_values_came_from() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&["get", "staging", "services.gateway.replicas"]);
    assert_eq!(run.code(0).stdout, "2\n");
    let run = repo.cfgctl(&["get", "staging", "services.gateway.log_level"]);
    assert_eq!(run.code(0).stdout, "info\n", "strings without quotes");

    let run = repo.cfgctl(&["get", "staging", "services.gateway.timeouts"]);
    assert_eq!(run.code(0).stdout, "request: \"30s\"\nidle: \"2m\"\n");

    // A value from the global layer is explained with that file and its line.
    let run = repo.cfgctl(&["get", "staging", "database.application_name", "--explain"]);
    let line = repo.line_of("global/database.yaml", "application_name");
    assert_eq!(
        run.code(0).stdout,
        format!("database.application_name: \"platform\"  (global/database.yaml:{line})\n")
    );

    let doc = repo
        .cfgctl(&[
            "get",
            "production",
            "monitoring.tracing.sample_rate",
            "--format",
            "json",
        ])
        .code(0)
        .json();
    assert_eq!(doc["command"], "get");
    assert_eq!(doc["document"], "monitoring.toml");
    assert_eq!(doc["value"], 0.1);
    assert_eq!(doc["file"], "environments/production/monitoring.toml");
    assert_eq!(
        doc["line"],
        repo.line_of("environments/production/monitoring.toml", "sample_rate")
    );

    // Secret references stay as written without --reveal.
    let run = repo.cfgctl(&["get", "staging", "database.primary.password"]);
    assert_eq!(run.code(0).stdout, "${SECRET:database.password}\n");
    // The template's demo key for staging decrypts it with --reveal.
    let key = (
        "SOPS_AGE_KEY",
        "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV",
    );
    let run = repo.cfgctl_env(
        &["get", "staging", "database.primary.password", "--reveal"],
        &[key],
    );
    assert_eq!(run.code(0).stdout, "stg-Vh3n9Lw2pXc8rT5m\n");

    let run = repo.cfgctl(&["get", "staging", "services.nope"]);
    run.code(1);
    assert!(
        run.stderr.contains("no key `services.nope`"),
        "{}",
        run.stderr
    );
    repo.cfgctl(&["get", "qa", "services"]).code(2);
    repo.cfgctl(&["get", "staging", "services[0]"]).code(2);
}

#[test]
fn set_keeps_every_comment_and_layout_byte_for_byte() {
    let repo = TempRepo::from_template();
    let before = repo.read(SERVICES);
    let run = repo.cfgctl(&["set", "staging", "services.gateway.replicas", "3"]);
    assert_eq!(
        run.code(0).stdout,
        format!("{SERVICES}: services.gateway.replicas: 2 → 3\n")
    );
    let after = repo.read(SERVICES);
    assert_eq!(
        after,
        before.replacen("    replicas: 2\n", "    replicas: 3\n", 1),
        "only the value changed"
    );
    // The Git CLI sees the same one-line change, and nothing was committed.
    let diff = repo.git(&["diff", "--numstat"]);
    assert_eq!(diff.trim(), format!("1\t1\t{SERVICES}"));
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(
        repo.cfgctl(&["get", "staging", "services.gateway.replicas"])
            .code(0)
            .stdout,
        "3\n"
    );

    // A quoted scalar is a string; the same value again is nothing to do.
    repo.cfgctl(&["set", SERVICES, "services.gateway.log_level", "\"debug\""])
        .code(0);
    assert!(repo.read(SERVICES).contains("log_level: debug"));
    let run = repo.cfgctl(&["set", SERVICES, "services.gateway.log_level", "debug"]);
    assert!(
        run.code(0).stderr.contains("Nothing to change"),
        "{}",
        run.stderr
    );

    // JSON: a scalar is replaced where it stands.
    let json = "environments/staging/external_apis.json";
    let before = repo.read(json);
    repo.cfgctl(&[
        "set",
        json,
        "external_apis.llm.rate_limit_per_minute",
        "301",
    ])
    .code(0);
    assert_eq!(
        repo.read(json),
        before.replacen(
            "\"rate_limit_per_minute\": 300",
            "\"rate_limit_per_minute\": 301",
            1
        )
    );

    // TOML keeps its comments too.
    let toml = "environments/staging/monitoring.toml";
    let before = repo.read(toml);
    repo.cfgctl(&["set", "staging", "monitoring.tracing.sample_rate", "0.25"])
        .code(0);
    let after = repo.read(toml);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.contains("0.25"));
    assert_eq!(before.lines().count(), after.lines().count());
}

#[test]
fn an_invalid_set_leaves_the_file_untouched_and_exits_1() {
    let repo = TempRepo::from_template();
    let before = repo.read(SERVICES);
    let run = repo.cfgctl(&["set", "staging", "services.gateway.replicas", "9"]);
    run.code(1);
    assert!(
        run.stderr.contains("[autoscaling-bounds]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("was not changed"), "{}", run.stderr);
    assert_eq!(repo.read(SERVICES), before);

    let doc = repo
        .cfgctl(&[
            "unset",
            "staging",
            "services.gateway.debug",
            "--format",
            "json",
        ])
        .code(1)
        .json();
    assert_eq!(doc["written"], false);
    assert_eq!(doc["findings"][0]["rule"], "schema/required");
    assert_eq!(repo.read(SERVICES), before);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn set_chooses_the_layer_and_refuses_secret_files() {
    let repo = TempRepo::from_template();
    // Defined only in global/: without --layer it becomes an override in the environment.
    repo.cfgctl(&["set", "staging", "database.application_name", "chat"])
        .code(0);
    assert!(
        repo.read("environments/staging/database.yaml")
            .contains("application_name: chat")
    );
    assert!(!repo.read("global/database.yaml").contains("chat"));
    repo.git(&["checkout", "-q", "."]);
    repo.cfgctl(&[
        "set",
        "staging",
        "database.application_name",
        "chat",
        "--layer",
        "global",
    ])
    .code(0);
    assert!(
        repo.read("global/database.yaml")
            .contains("application_name: chat")
    );
    repo.cfgctl(&["set", "staging", "x.y", "1", "--layer", "service"])
        .code(2);
    // A layer file that does not exist yet is created with only the key, and it counts.
    let run = repo.cfgctl(&[
        "set",
        "staging",
        "services.chat.replicas",
        "3",
        "--layer",
        "tenant",
        "--tenant",
        "acme",
        "--commit",
    ]);
    assert_eq!(
        run.code(0).stdout,
        "tenants/acme/staging/services.yaml (new file): services.chat.replicas: (absent) → 3\n"
    );
    assert_eq!(
        repo.git(&["show", "HEAD:tenants/acme/staging/services.yaml"]),
        "services:\n  chat:\n    replicas: 3\n"
    );
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "tenants/acme/staging/services.yaml\n"
    );
    let get = |args: &[&str]| repo.cfgctl(args).code(0).stdout.clone();
    assert_eq!(
        get(&[
            "get",
            "staging",
            "services.chat.replicas",
            "--tenant",
            "acme"
        ]),
        "3\n"
    );
    assert_eq!(get(&["get", "staging", "services.chat.replicas"]), "2\n");
    // An invalid new file is not created.
    let run = repo.cfgctl(&[
        "set",
        "staging",
        "services.chat.replicas",
        "many",
        "--layer",
        "tenant",
        "--tenant",
        "globex",
    ]);
    assert!(
        run.code(1)
            .stderr
            .contains("error: tenants/globex/staging/services.yaml:3:15:"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("tenants/globex/staging").exists());
    repo.cfgctl(&["set", "staging", "x.y", "1", "--reason", "why"])
        .code(2);

    let secret = "environments/staging/database.secret.yaml";
    let before = repo.read(secret);
    let run = repo.cfgctl(&["set", secret, "database.password", "x"]);
    run.code(2);
    assert!(run.stderr.contains("cfgctl secrets set"), "{}", run.stderr);
    assert_eq!(repo.read(secret), before);

    // --json sets a subtree; --stdin reads the value.
    repo.cfgctl(&[
        "set",
        "staging",
        "services.gateway.timeouts",
        "--json",
        r#"{"request": "20s", "idle": "1m"}"#,
    ])
    .code(0);
    assert_eq!(
        repo.cfgctl(&["get", "staging", "services.gateway.timeouts.request"])
            .code(0)
            .stdout,
        "20s\n"
    );
    repo.cfgctl_stdin(
        &["set", "staging", "services.gateway.replicas", "--stdin"],
        &[],
        "3\n",
    )
    .code(0);
    assert!(repo.read(SERVICES).contains("replicas: 3"));
}

#[test]
fn set_commit_goes_through_the_pipeline_and_its_policy() {
    let repo = TempRepo::from_template();
    let head = repo.git(&["rev-parse", "HEAD"]);

    // Production inside the holiday freeze is refused, nothing changes.
    let prod = "environments/production/services.yaml";
    let before = repo.read(prod);
    let run = repo.cfgctl_env(
        &[
            "set",
            "production",
            "services.gateway.replicas",
            "5",
            "--commit",
        ],
        &[("CFGCTL_NOW", FROZEN)],
    );
    run.code(1);
    assert!(run.stderr.contains("frozen"), "{}", run.stderr);
    assert_eq!(repo.read(prod), before);
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);

    // Staging commits, with the trailers log reads.
    let run = repo.cfgctl(&[
        "set",
        "staging",
        "services.gateway.replicas",
        "3",
        "--commit",
        "-m",
        "More gateways for the load test",
        "--reason",
        "load test",
    ]);
    assert!(run.code(0).stderr.contains("Committed: "), "{}", run.stderr);
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("More gateways for the load test\n"),
        "{message}"
    );
    for trailer in [
        "Cfgctl-Action: set",
        "Cfgctl-To: staging",
        "Cfgctl-Key: services.gateway.replicas",
        "Cfgctl-Reason: load test",
    ] {
        assert!(message.contains(trailer), "{message}");
    }
    assert_eq!(
        repo.git(&["show", "HEAD", "--format=", "--name-only"])
            .trim(),
        SERVICES
    );
    assert!(
        repo.git(&["show", &format!("HEAD:{SERVICES}")])
            .contains("replicas: 3")
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    // Production with an approval outside the freeze.
    let doc = repo
        .cfgctl(&[
            "set",
            "production",
            "services.gateway.log_level",
            "warn",
            "--commit",
            "--approved-by",
            DANA,
            "--format",
            "json",
        ])
        .code(0)
        .json();
    assert_eq!(doc["command"], "set");
    assert_eq!(doc["executed"], true);
    assert_eq!(doc["old"], "info");
    assert_eq!(doc["new"], "warn");
    assert_eq!(doc["commits"].as_array().unwrap().len(), 1);
}

/// The rendered value of `path` (in `document`) of staging at `rev`, read with `render --at`.
fn rendered_at(repo: &TempRepo, rev: &str, document: &str, path: &[&str]) -> serde_json::Value {
    let run = repo.cfgctl(&[
        "render", "staging", document, "--at", rev, "--format", "json",
    ]);
    if run.code != 0 {
        return serde_json::Value::Null;
    }
    let doc = run.json();
    path.iter()
        .fold(&doc["documents"][0]["content"], |v, k| &v[*k])
        .clone()
}

#[test]
fn log_key_lists_the_commits_that_changed_the_rendered_value() {
    let repo = TempRepo::from_template();
    repo.cfgctl(&[
        "set",
        "staging",
        "services.gateway.replicas",
        "3",
        "--commit",
    ])
    .code(0);
    // Another key of the same file, another environment, and the shared layer.
    repo.cfgctl(&[
        "set",
        "staging",
        "services.gateway.log_level",
        "debug",
        "--commit",
    ])
    .code(0);
    repo.replace(
        "environments/development/services.yaml",
        "log_level: debug",
        "log_level: info",
    )
    .commit("development: quieter logs");
    repo.cfgctl(&[
        "set",
        "staging",
        "database.application_name",
        "chat",
        "--layer",
        "global",
    ])
    .code(0);
    repo.commit("Rename the application everywhere");
    // An override that the value reaches from the environment layer, then removed again.
    repo.cfgctl(&[
        "set",
        "staging",
        "database.application_name",
        "staging-chat",
    ])
    .code(0);
    repo.commit("Staging's own name");
    repo.cfgctl(&["unset", "staging", "database.application_name", "--commit"])
        .code(0);
    // A side branch merged back: its commits and the merge are compared with their first
    // parents, as `git rev-list` and `sha^` below do.
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.cfgctl(&[
        "set",
        "staging",
        "services.gateway.replicas",
        "4",
        "--commit",
    ])
    .code(0);
    repo.git(&["checkout", "-q", "-"]);
    repo.cfgctl(&[
        "set",
        "staging",
        "services.gateway.log_level",
        "warn",
        "--commit",
    ])
    .code(0);
    repo.git(&["merge", "-q", "--no-ff", "side", "-m", "Merge side"]);

    for (document, key) in [
        ("services.yaml", "services.gateway.replicas"),
        ("database.yaml", "database.application_name"),
    ] {
        let path: Vec<&str> = key.split('.').collect();
        let doc = repo
            .cfgctl(&["log", "staging", "--key", key, "--format", "json"])
            .code(0)
            .json();
        let got: Vec<(String, serde_json::Value, serde_json::Value)> = doc["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["sha"].as_str().unwrap().to_string(),
                    e["old"].clone(),
                    e["new"].clone(),
                )
            })
            .collect();
        // The same history, walked with the Git CLI and rendered with render --at.
        let mut expected = Vec::new();
        for sha in repo.git(&["rev-list", "HEAD"]).lines() {
            let new = rendered_at(&repo, sha, document, &path);
            let old = rendered_at(&repo, &format!("{sha}^"), document, &path);
            if old != new {
                expected.push((sha.to_string(), old, new));
            }
        }
        assert_eq!(got, expected, "{key}");
    }
    let doc = repo
        .cfgctl(&[
            "log",
            "staging",
            "--key",
            "database.application_name",
            "--format",
            "json",
        ])
        .json();
    let kinds: Vec<&str> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["set", "edit", "edit", "edit"]);
    assert_eq!(doc["entries"][0]["old"], "staging-chat");
    assert_eq!(doc["entries"][0]["new"], "chat");

    let run = repo.cfgctl(&["log", "staging", "--key", "services.gateway.replicas"]);
    assert!(run.code(0).stdout.contains("2 → 3"), "{}", run.stdout);
    repo.cfgctl(&["log", "--key", "services.gateway.replicas"])
        .code(2);
}

#[test]
fn blame_names_the_last_commit_that_changed_each_rendered_value() {
    let repo = TempRepo::from_template();
    let initial = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.cfgctl(&[
        "set",
        "staging",
        "database.application_name",
        "chat",
        "--layer",
        "global",
    ])
    .code(0);
    repo.commit("Rename the application everywhere");
    let global = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    // An older change of a key that a newer commit changes again: blame passes it by.
    for value in ["25", "30"] {
        repo.cfgctl(&[
            "set",
            "staging",
            "database.pool.max_connections",
            value,
            "--commit",
        ])
        .code(0);
    }
    let set = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    // A change blame must not pick: the same key in production.
    repo.cfgctl(&["set", "production", "database.pool.max_connections", "99"])
        .code(0);
    repo.commit("production only");

    let doc = repo
        .cfgctl(&["blame", "staging", "database.yaml", "--format", "json"])
        .code(0)
        .json();
    let keys = doc["keys"].as_array().unwrap();
    let sha_of = |path: &str| {
        keys.iter()
            .find(|k| k["path"] == path)
            .unwrap_or_else(|| panic!("{path} not in {doc}"))["sha"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(sha_of("database.application_name"), global);
    assert_eq!(sha_of("database.pool.max_connections"), set);
    assert_eq!(sha_of("database.engine"), initial);
    // Every key agrees with the newest entry of log --key.
    for key in keys {
        let path = key["path"].as_str().unwrap();
        let log = repo
            .cfgctl(&["log", "staging", "--key", path, "--format", "json"])
            .code(0)
            .json();
        assert_eq!(log["entries"][0]["sha"], key["sha"], "{path}");
        assert_eq!(log["entries"][0]["new"], key["value"], "{path}");
    }
    let run = repo.cfgctl(&["blame", "staging", "database.yaml"]);
    assert!(run.code(0).stdout.contains(&set[..7]), "{}", run.stdout);
    repo.cfgctl(&["blame", "staging", "nope.yaml"]).code(2);
}

#[test]
fn set_json_writes_a_list_or_mapping_and_a_plain_value_must_be_a_scalar() {
    let repo = TempRepo::from_template();
    let file = "environments/staging/security.yaml";
    let before = repo.read(file);
    // Without --json the text is a YAML scalar: a list is refused and nothing changes.
    let run = repo.cfgctl(&[
        "set",
        "staging",
        "security.trusted_proxies",
        r#"["10.9.0.0/16"]"#,
    ]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: the value is not a scalar\nhint: pass --json to set a list or a mapping\n"
    );
    assert_eq!(repo.read(file), before);
    // With --json it is parsed as JSON and written as YAML in the file's place.
    let run = repo.cfgctl(&[
        "set",
        "staging",
        "security.trusted_proxies",
        r#"["10.9.0.0/16", "10.8.0.0/16"]"#,
        "--json",
        "--format",
        "json",
    ]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["file"], file);
    assert_eq!(
        doc["new"],
        serde_json::json!(["10.9.0.0/16", "10.8.0.0/16"])
    );
    assert_eq!(doc["written"], true);
    let got = repo.cfgctl(&[
        "get",
        "staging",
        "security.trusted_proxies",
        "--format",
        "json",
    ]);
    assert_eq!(
        got.code(0).json()["value"],
        serde_json::json!(["10.9.0.0/16", "10.8.0.0/16"])
    );
    // Only that key's lines changed.
    let diff = repo.git(&["diff", "-U0", "--", file]);
    let changed = crate::support::changed_lines(&diff);
    assert_eq!(
        changed[0]
            .trim_start_matches('-')
            .trim_start()
            .split(':')
            .next(),
        Some("trusted_proxies"),
        "{diff}"
    );
    assert!(changed[1..].iter().all(|l| l.starts_with('+')), "{diff}");
    assert_eq!(
        changed[1..].join("\n"),
        "+  trusted_proxies:\n+    - \"10.9.0.0/16\"\n+    - \"10.8.0.0/16\"",
        "{diff}"
    );
}
