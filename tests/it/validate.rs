//! `cfgctl validate`: findings at the right place, every input source, every format, exit codes.

use crate::support::TempRepo;
use serde_json::Value;

const CONFIG: &str = r#"[repo]
environments = ["dev", "prod"]

[[schema]]
files = ["environments/*/app.yaml"]
schema = "schemas/app.schema.json"

[[schema]]
files = ["global/app.yaml"]
schema = "schemas/app.schema.json"
partial = true
"#;

const SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://schemas.example.com/test/app.schema.json",
  "type": "object",
  "required": ["app"],
  "additionalProperties": false,
  "properties": {
    "app": {
      "type": "object",
      "required": ["name", "replicas"],
      "additionalProperties": false,
      "properties": {
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "replicas": {"$ref": "common.schema.json#/$defs/replicas"},
        "log_level": {"enum": ["debug", "info", "warn", "error"]}
      }
    }
  }
}"#;

const COMMON: &str = r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://schemas.example.com/test/common.schema.json",
  "$defs": {"replicas": {"type": "integer", "minimum": 1, "maximum": 50}}
}"#;

/// A small repository: two environments, one schema with a `$ref` to a sibling by `$id`.
fn small_repo() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG)
        .write("schemas/app.schema.json", SCHEMA)
        .write("schemas/common.schema.json", COMMON)
        .write("global/app.yaml", "app:\n  log_level: info\n")
        .write(
            "environments/dev/app.yaml",
            "app:\n  name: chat\n  replicas: 1\n  log_level: debug\n",
        )
        .write(
            "environments/prod/app.yaml",
            "app:\n  name: chat\n  replicas: 3\n  log_level: info\n",
        )
        .commit("initial");
    repo
}

fn findings(run: &crate::support::Run) -> Vec<Value> {
    run.json()["findings"].as_array().unwrap().clone()
}

/// (file, line, column, rule) of every finding.
fn places(run: &crate::support::Run) -> Vec<(String, u64, u64, String)> {
    findings(run)
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn place(file: &str, line: u64, column: u64, rule: &str) -> (String, u64, u64, String) {
    (file.to_string(), line, column, rule.to_string())
}

#[test]
fn the_template_validates_clean() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl_env(
        &["validate", "--format", "json"],
        &[crate::support::TEMPLATE_FRESH],
    );
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["findings"], Value::Array(vec![]), "{doc:#}");
    assert!(doc["summary"]["files"].as_u64().unwrap() >= 15, "{doc:#}");
    // Quiet human output on success prints nothing at all (a pre-commit hook's contract).
    let run = repo.cfgctl_env(&["validate", "-q"], &[crate::support::TEMPLATE_FRESH]);
    run.code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}

#[test]
fn schema_errors_point_at_the_offending_node() {
    let repo = small_repo();
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: Chat\n  replicas: 0\n  log_level: loud\n  extra: true\n",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let file = "environments/prod/app.yaml";
    let schema_places: Vec<_> = places(&run)
        .into_iter()
        .filter(|p| p.3.starts_with("schema/"))
        .collect();
    assert_eq!(
        schema_places,
        [
            place(file, 2, 9, "schema/pattern"),
            place(file, 3, 13, "schema/minimum"),
            place(file, 4, 14, "schema/enum"),
            place(file, 5, 3, "schema/additionalProperties"),
        ]
    );
    let all: Vec<Value> = findings(&run)
        .into_iter()
        .filter(|f| f["file"] == file)
        .collect();
    assert_eq!(all[1]["path"], "app.replicas");
    assert_eq!(all[1]["schema"], "schemas/app.schema.json");
    assert_eq!(all[1]["severity"], "error");
    assert!(
        all[1]["message"].as_str().unwrap().contains("minimum of 1"),
        "{:#}",
        all[1]
    );
    assert_eq!(all[3]["path"], "app.extra");
}

#[test]
fn missing_required_keys_point_at_the_parent_and_partial_layers_are_exempt() {
    let repo = small_repo();
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  name: chat\n  log_level: debug\n",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let places = places(&run);
    assert!(
        places.contains(&place("environments/dev/app.yaml", 2, 3, "schema/required")),
        "{places:?}"
    );
    // global/app.yaml lacks name and replicas too, but it is a partial layer.
    assert!(
        places.iter().all(|p| p.0 != "global/app.yaml"),
        "{places:?}"
    );
}

#[test]
fn a_file_that_does_not_parse_is_a_finding_and_the_rest_is_still_checked() {
    let repo = small_repo();
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  name: chat\n replicas: 1\n",
    );
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 99\n  log_level: info\n",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let places = places(&run);
    assert!(
        places
            .iter()
            .any(|p| p.0 == "environments/dev/app.yaml" && p.1 == 3 && p.3 == "parse"),
        "{places:?}"
    );
    assert!(
        places.contains(&place(
            "environments/prod/app.yaml",
            3,
            13,
            "schema/maximum"
        )),
        "{places:?}"
    );
}

#[test]
fn duplicate_keys_name_both_lines() {
    let repo = small_repo();
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  name: chat\n  replicas: 1\n  name: other\n",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let f = &findings(&run)[0];
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(
        f["message"],
        "duplicate key `name` (first defined at line 2, column 3)"
    );
}

#[test]
fn json_and_toml_files_get_positions_too() {
    let repo = small_repo();
    repo.write(
        "cfgctl.toml",
        format!("{CONFIG}\n[[schema]]\nfiles = [\"environments/*/app.json\", \"environments/*/app.toml\"]\nschema = \"schemas/app.schema.json\"\n"),
    )
    .write("environments/dev/app.json", "{\n  \"app\": {\n    \"name\": \"chat\",\n    \"replicas\": \"two\"\n  }\n}\n")
    .write("environments/prod/app.toml", "[app]\nname = \"chat\"\nreplicas = 100\n");
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let places = places(&run);
    assert!(
        places.contains(&place("environments/dev/app.json", 4, 17, "schema/type")),
        "{places:?}"
    );
    assert!(
        places.contains(&place(
            "environments/prod/app.toml",
            3,
            12,
            "schema/maximum"
        )),
        "{places:?}"
    );
}

#[test]
fn rules_report_with_their_names_and_configured_severity() {
    let repo = small_repo();
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 3\n  log_level: debug\n  password: hunter2\n",
    );
    repo.write(
        "cfgctl.toml",
        format!("{CONFIG}\n[rules]\ndebug-in-production = \"warning\"\n"),
    );
    // The schema forbids `password` (additionalProperties), so widen it for this test.
    repo.replace(
        "schemas/app.schema.json",
        "\"log_level\": {",
        "\"password\": {\"type\": \"string\"},\n        \"log_level\": {",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let all = findings(&run);
    let summary: Vec<(&str, &str, u64)> = all
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        summary.contains(&("debug-in-production", "warning", 4)),
        "{summary:?}"
    );
    assert!(
        summary.contains(&("plaintext-secret", "error", 5)),
        "{summary:?}"
    );
    // Secrets are never echoed, in any format.
    for format in ["json", "human", "github", "junit"] {
        let run = repo.cfgctl(&["validate", "--format", format]);
        assert!(
            !run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"),
            "{format}"
        );
    }
}

/// A document that does not parse in one environment is reported once, as a parse error,
/// not also as missing from that environment in the others' cross-environment findings; with
/// the result cache and without it.
#[test]
fn a_document_that_does_not_parse_is_not_also_missing_from_its_environment() {
    let repo = small_repo();
    repo.write("environments/prod/app.yaml", "app:\n  name: [chat\n");
    for cache in [&[][..], &["--no-cache"][..]] {
        for _ in 0..2 {
            let mut args = vec!["validate", "--format", "json"];
            args.extend_from_slice(cache);
            let run = repo.cfgctl(&args);
            run.code(1);
            let all = findings(&run);
            assert_eq!(all.len(), 1, "{all:#?}");
            assert_eq!(all[0]["file"], "environments/prod/app.yaml");
            assert_eq!(all[0]["rule"], "parse", "{all:#?}");
        }
    }
}

#[test]
fn cross_environment_rules_compare_every_environment() {
    let repo = small_repo();
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: '3'\n",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let all = findings(&run);
    let parity: Vec<&Value> = all
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("env-"))
        .collect();
    let rules: Vec<&str> = parity.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["env-key-parity", "env-type-parity"], "{all:#?}");
    assert_eq!(parity[0]["path"], "app.log_level");
    assert_eq!(parity[0]["severity"], "warning");
    assert_eq!(parity[1]["line"], 3);
    assert!(
        parity[1]["message"]
            .as_str()
            .unwrap()
            .contains("environments/dev/app.yaml:3:13")
    );
}

#[test]
fn staged_validates_the_index_not_the_working_tree() {
    let repo = small_repo();
    // Stage a broken file, then repair it in the working tree only.
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 0\n  log_level: info\n",
    );
    repo.git(&["add", "environments/prod/app.yaml"]);
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 3\n  log_level: info\n",
    );
    let staged = repo.cfgctl(&["validate", "--staged", "--format", "json"]);
    staged.code(1);
    assert_eq!(
        places(&staged),
        [place("environments/prod/app.yaml", 3, 13, "schema/minimum")]
    );
    assert_eq!(staged.json()["source"], "index");
    repo.cfgctl(&["validate"]).code(0);

    // The other way round: a clean index and a broken working tree passes --staged.
    repo.git(&["reset", "-q"]);
    repo.write("environments/dev/app.yaml", "app: [broken\n");
    repo.cfgctl(&["validate", "--staged"]).code(0);
    repo.cfgctl(&["validate"]).code(1);
}

#[test]
fn staged_checks_only_what_the_commit_changes() {
    let repo = small_repo();
    // An old problem in a file the commit does not touch is not this commit's business.
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  name: chat\n  replicas: 0\n  log_level: debug\n",
    )
    .commit("old problem");
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 4\n  log_level: info\n",
    );
    repo.git(&["add", "-A"]);
    let run = repo.cfgctl(&["validate", "--staged", "--format", "json"]);
    run.code(0);
    assert_eq!(run.json()["summary"]["files"], 1);
    // A staged schema change re-checks everything.
    repo.replace(
        "schemas/common.schema.json",
        "\"maximum\": 50",
        "\"maximum\": 2",
    );
    repo.git(&["add", "-A"]);
    let run = repo.cfgctl(&["validate", "--staged", "--format", "json"]);
    run.code(1);
    let places = places(&run);
    assert!(
        places.contains(&place(
            "environments/prod/app.yaml",
            3,
            13,
            "schema/maximum"
        )),
        "{places:?}"
    );
    assert!(
        places.contains(&place("environments/dev/app.yaml", 3, 13, "schema/minimum")),
        "{places:?}"
    );
}

#[test]
fn changed_since_and_explicit_paths_limit_the_report() {
    let repo = small_repo();
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  name: chat\n  replicas: 0\n  log_level: debug\n",
    )
    .commit("break dev");
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 0\n  log_level: info\n",
    );
    let run = repo.cfgctl(&["validate", "--changed-since", "HEAD", "--format", "json"]);
    run.code(1);
    assert_eq!(
        places(&run),
        [place("environments/prod/app.yaml", 3, 13, "schema/minimum")]
    );
    let run = repo.cfgctl(&["validate", "--changed-since", "HEAD~1", "--format", "json"]);
    assert_eq!(places(&run).len(), 2);
    let run = repo.cfgctl(&["validate", "environments/dev", "--format", "json"]);
    assert_eq!(
        places(&run),
        [place("environments/dev/app.yaml", 3, 13, "schema/minimum")]
    );
    // Paths are relative to -C / the current directory, like git's.
    let run = repo.cfgctl(&[
        "-C",
        "environments",
        "validate",
        "prod/app.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(
        places(&run),
        [place("environments/prod/app.yaml", 3, 13, "schema/minimum")]
    );
    repo.cfgctl(&["validate", "--changed-since", "no-such-rev"])
        .code(2);
    repo.cfgctl(&["validate", "environments/nope.yaml"]).code(2);
}

#[test]
fn ad_hoc_schema_needs_no_repository() {
    let dir = TempRepo::bare_dir();
    dir.write("schemas/app.schema.json", SCHEMA)
        .write("schemas/common.schema.json", COMMON)
        .write("data/good.yaml", "app:\n  name: chat\n  replicas: 2\n")
        .write(
            "data/bad.json",
            "{\"app\": {\"name\": \"chat\", \"replicas\": 0}}",
        );
    let run = dir.cfgctl(&[
        "validate",
        "--schema",
        "schemas/app.schema.json",
        "data",
        "--format",
        "json",
    ]);
    run.code(1);
    assert_eq!(
        places(&run),
        [place("data/bad.json", 1, 38, "schema/minimum")]
    );
    assert_eq!(run.json()["summary"]["files"], 2);
    dir.cfgctl(&[
        "validate",
        "--schema",
        "schemas/app.schema.json",
        "data/good.yaml",
    ])
    .code(0);
}

#[test]
fn every_output_format_parses() {
    let repo = small_repo();
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 0\n  log_level: info\n",
    );
    let json = repo.cfgctl(&["validate", "--format", "json"]);
    json.code(1);
    assert_eq!(json.json()["version"], 1);
    assert_eq!(json.json()["summary"]["errors"], 1);

    let github = repo.cfgctl(&["validate", "--format", "github"]);
    github.code(1);
    let line = github.stdout.lines().next().unwrap();
    assert!(
        line.starts_with(
            "::error file=environments/prod/app.yaml,line=3,col=13,title=cfgctl schema/minimum::"
        ),
        "{line}"
    );

    let junit = repo.cfgctl(&["validate", "--format", "junit"]);
    junit.code(1);
    let checked = std::process::Command::new("python3")
        .args(["-c", "import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.read()); print(len(d.getElementsByTagName('testcase')), len(d.getElementsByTagName('failure')))"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(junit.stdout.as_bytes())?;
            child.wait_with_output()
        })
        .expect("python3 parses the JUnit XML (install python3 to run this test)");
    assert!(checked.status.success(), "{}", junit.stdout);
    assert_eq!(String::from_utf8_lossy(&checked.stdout).trim(), "3 1");

    let human = repo.cfgctl(&["validate"]);
    human.code(1);
    assert!(human.stdout.contains("environments/prod/app.yaml:3:13 error app.replicas: 0 is less than the minimum of 1 [schema/minimum]"), "{}", human.stdout);
    assert!(
        human
            .stderr
            .contains("failed: 1 error, 0 warnings in 1 file (3 files checked)."),
        "{}",
        human.stderr
    );
    assert!(
        !human.stdout.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    let coloured = repo.cfgctl(&["validate", "--color", "always"]);
    assert!(
        coloured.stdout.contains("\u{1b}["),
        "--color always colours"
    );
    // On a terminal, auto colours unless NO_COLOR is set (a pipe cannot show whether NO_COLOR
    // was read: auto is off for it anyway). A terminal also gets the findings under their file.
    let plain = "environments/prod/app.yaml\n  environments/prod/app.yaml:3:13 error app.replicas: 0 is less than the minimum of 1 [schema/minimum]\nfailed: 1 error, 0 warnings in 1 file (3 files checked).\n";
    if let Some(tty) = repo.cfgctl_tty(&["validate"], &[]) {
        tty.code(1);
        assert_eq!(
            tty.stdout,
            "\u{1b}[1menvironments/prod/app.yaml\u{1b}[0m\n  \u{1b}[2menvironments/prod/app.yaml:3:13\u{1b}[0m \u{1b}[1m\u{1b}[31merror\u{1b}[0m \u{1b}[36mapp.replicas\u{1b}[0m: 0 is less than the minimum of 1 \u{1b}[2m[schema/minimum]\u{1b}[0m\n\u{1b}[1m\u{1b}[31mfailed:\u{1b}[0m 1 error, 0 warnings in 1 file (3 files checked).\n",
            "auto colours on a terminal"
        );
        for (args, env) in [
            (&["validate"][..], &[("NO_COLOR", "1")][..]),
            (&["validate", "--color", "auto"], &[("NO_COLOR", "1")]),
            (&["validate", "--color", "never"], &[]),
        ] {
            let run = repo.cfgctl_tty(args, env).unwrap();
            run.code(1);
            assert_eq!(run.stdout, plain, "{args:?} {env:?}");
        }
        // An empty NO_COLOR counts as unset (no-color.org); --color always beats NO_COLOR.
        for (args, env) in [
            (&["validate"][..], &[("NO_COLOR", "")][..]),
            (&["validate", "--color", "always"], &[("NO_COLOR", "1")]),
        ] {
            let run = repo.cfgctl_tty(args, env).unwrap();
            assert_eq!(run.stdout, tty.stdout, "{args:?} {env:?}");
        }
    }
    let json_always = repo.cfgctl(&["validate", "--format", "json", "--color", "always"]);
    assert!(
        !json_always.stdout.contains('\u{1b}'),
        "machine output never has colour"
    );
}

#[test]
fn warnings_alone_pass_unless_denied() {
    let repo = small_repo();
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  name: chat\n  replicas: 1\n  log_level: debug\n  # missing nothing\n",
    );
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 2\n",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(0);
    assert_eq!(run.json()["summary"]["warnings"], 1);
    repo.cfgctl(&["validate", "--deny-warnings"]).code(1);
}

#[test]
fn hostile_files_are_findings_never_crashes() {
    let repo = small_repo();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(", ")
        ));
    }
    repo.write("environments/dev/bomb.yaml", bomb)
        .write("environments/dev/binary.yaml", b"app: \x00\x01\x02")
        .write("environments/dev/latin1.yaml", b"app: caf\xe9\n")
        .write("environments/dev/deep.json", "[".repeat(100_000))
        .write("environments/dev/empty.json", "")
        .write(
            "environments/dev/huge.yaml",
            format!("app: \"{}\"\n", "x".repeat(11 * 1024 * 1024)),
        );
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "app: {}\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path(),
        repo.path().join("environments/dev/link.yaml"),
    )
    .unwrap();
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"environments/dev/caf\xe9.yaml");
        std::fs::write(repo.path().join(name), "app: {}\n").unwrap();
    }
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let all = findings(&run);
    // Each hostile file is one finding, at its place, with its rule and the whole message.
    let mut got: Vec<String> = all
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {} {}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    let dev = "environments/dev";
    assert_eq!(
        got,
        [
            format!(
                "{dev}/binary.yaml 1:6 parse binary content (NUL byte): not a text configuration file"
            ),
            format!(
                "{dev}/bomb.yaml 7:10 parse alias expansion exceeds 1000000 nodes (a YAML alias bomb?)"
            ),
            format!("{dev}/caf\u{fffd}.yaml 1:1 parse file name is not valid UTF-8"),
            format!(
                "{dev}/deep.json 1:257 parse too deeply nested: more than 256 levels of arrays and objects"
            ),
            format!("{dev}/empty.json 1:1 parse empty file: expected a JSON value"),
            format!(
                "{dev}/huge.yaml 1:1 parse file is 11534344 bytes, over the 10485760 byte limit (raise [repo] max_file_size in cfgctl.toml)"
            ),
            format!(
                "{dev}/latin1.yaml 1:9 parse invalid UTF-8: configuration files must be UTF-8 text"
            ),
            format!(
                "{dev}/link.yaml 1:1 parse `{dev}/link.yaml` is a symlink to `{}`, outside the repository",
                outside.path().display()
            ),
        ]
    );
}

#[test]
fn problems_that_stop_checking_exit_2() {
    let empty = TempRepo::new();
    let run = empty.cfgctl(&["validate"]);
    run.code(2);
    assert!(
        run.stderr.starts_with("error: not a cfgctl repository"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: run `cfgctl init"),
        "{}",
        run.stderr
    );

    let repo = small_repo();
    repo.write("schemas/app.schema.json", "{\"type\": \"strnig\"}");
    let run = repo.cfgctl(&["validate"]);
    run.code(2);
    assert!(
        run.stderr.contains("schemas/app.schema.json"),
        "{}",
        run.stderr
    );

    let repo = small_repo();
    repo.replace(
        "schemas/app.schema.json",
        "common.schema.json#",
        "https://elsewhere.example.org/common.json#",
    );
    let run = repo.cfgctl(&["validate"]);
    run.code(2);
    assert!(run.stderr.contains("never fetches"), "{}", run.stderr);

    // Errors win over findings.
    repo.write("environments/prod/app.yaml", "app: [\n");
    repo.cfgctl(&["validate"]).code(2);

    // Usage errors are clap's 2.
    small_repo().cfgctl(&["validate", "--no-such-flag"]).code(2);
    small_repo()
        .cfgctl(&["validate", "--staged", "--changed-since", "HEAD"])
        .code(2);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let repo = small_repo();
    for i in 0..300 {
        repo.write(
            &format!("environments/dev/extra{i}.yaml"),
            "app:\n  name: Bad Name\n  replicas: 0\n",
        );
    }
    let script = format!(
        "'{}' validate --format json | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
        crate::support::cfgctl_path().display()
    );
    let mut bash = std::process::Command::new("bash");
    crate::support::hermetic(&mut bash, &repo.home());
    let out = bash
        .args(["-c", &script])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// Seeded errors in the real template: each is found at its line by the right check.
#[test]
fn seeded_errors_in_the_template_are_found_where_they_are() {
    let repo = TempRepo::from_template();
    let services = "environments/staging/services.yaml";
    let database = "environments/production/database.yaml";
    let apis = "environments/production/external_apis.json";
    let security = "environments/staging/security.yaml";
    let replicas_line = repo.line_of(services, "replicas: 2");
    repo.replace(services, "replicas: 2", "replicas: 5");
    let ssl_line = repo.line_of(database, "ssl_mode: verify-full");
    repo.replace(database, "ssl_mode: verify-full", "ssl_mode: require");
    let key_file_line = repo.line_of(apis, "\"key_file\"");
    let text = repo.read(apis);
    let without: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("\"key_file\""))
        .collect();
    repo.write(apis, without.join("\n"));
    let origin_line = repo.line_of(security, "- https://app.staging.example.com");
    repo.replace(security, "- https://app.staging.example.com", "- \"*\"");

    let run = repo.cfgctl(&["validate", "--format", "json"]);
    let all = findings(&run);
    let at = |file: &str, rule: &str| -> Vec<u64> {
        all.iter()
            .filter(|f| f["file"] == file && f["rule"] == rule)
            .map(|f| f["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(
        at(services, "autoscaling-bounds"),
        [replicas_line as u64],
        "{all:#?}"
    );
    let policy: Vec<&Value> = all
        .iter()
        .filter(|f| f["file"] == database && f["schema"] == "schemas/policy/production.schema.json")
        .collect();
    assert_eq!(policy.len(), 1, "{all:#?}");
    assert_eq!(policy[0]["line"], ssl_line as u64);
    assert_eq!(policy[0]["path"], "database.ssl_mode");
    let one_of: Vec<&Value> = all
        .iter()
        .filter(|f| f["file"] == apis && f["rule"] == "schema/oneOf")
        .collect();
    assert_eq!(one_of.len(), 1, "{all:#?}");
    assert!(one_of[0]["line"].as_u64().unwrap() < key_file_line as u64);
    assert_eq!(at(security, "cors-wildcard"), [origin_line as u64]);
    assert!(!at(security, "schema/pattern").is_empty(), "{all:#?}");
    run.code(1);
}

/// Findings as `(file, path, rule)`.
fn findings_of(run: &crate::support::Run) -> Vec<(String, String, String)> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_reference_is_validated_as_render_makes_it() {
    let repo = small_repo();
    // `${VAR:default}` renders as its default, typed like a plain scalar: an integer here.
    repo.replace(
        "environments/prod/app.yaml",
        "replicas: 3",
        "replicas: ${REPLICAS:3}",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(0);
    assert_eq!(findings_of(&run), []);
    let rendered = repo.cfgctl(&["render", "prod", "--format", "json"]);
    rendered.code(0);
    assert_eq!(
        rendered.json()["documents"][0]["content"]["app"]["replicas"],
        3
    );

    // A default render would refuse is refused here too, on the file and line that hold it,
    // and the type it renders to is the one compared across environments.
    repo.replace(
        "environments/prod/app.yaml",
        "${REPLICAS:3}",
        "${REPLICAS:three}",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let found = findings_of(&run);
    let here = |rule: &str| {
        (
            "environments/prod/app.yaml".to_string(),
            "app.replicas".to_string(),
            rule.to_string(),
        )
    };
    assert!(found.contains(&here("schema/type")), "{found:?}");
    assert!(found.contains(&here("env-type-parity")), "{found:?}");
    assert_eq!(run.json()["findings"][0]["line"], 3);

    // Quoted, the reference renders as a string, as render says.
    repo.replace(
        "environments/prod/app.yaml",
        "${REPLICAS:three}",
        "\"${REPLICAS:3}\"",
    );
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    assert!(findings_of(&run).contains(&here("schema/type")));

    // With no default (or from a secret), the value is whatever the deployment sets: any
    // value of the type the schema expects.
    for value in ["${REPLICAS}", "${SECRET:app.replicas}"] {
        repo.write(
            "environments/prod/app.yaml",
            format!("app:\n  name: chat\n  replicas: {value}\n  log_level: info\n"),
        );
        let run = repo.cfgctl(&["validate", "--format", "json"]);
        run.code(0);
        assert_eq!(findings_of(&run), [], "{value}");
    }
}

/// A mistake in cfgctl.toml is a finding on its line (an annotation in CI), exit 1; other
/// commands cannot run without the settings and exit 2.
#[test]
fn problems_in_cfgctl_toml_are_findings() {
    let repo = small_repo();
    let settings = repo.read("cfgctl.toml");
    repo.write(
        "cfgctl.toml",
        format!("{settings}\n[policy.prod]\nfrezee = []\n"),
    );
    let line = repo.line_of("cfgctl.toml", "frezee");
    let run = repo.cfgctl(&["validate", "--format", "json"]);
    run.code(1);
    let doc = run.json();
    assert_eq!(doc["summary"]["errors"], 1);
    let finding = &doc["findings"][0];
    assert_eq!(finding["file"], "cfgctl.toml");
    assert_eq!(finding["line"], line);
    assert_eq!(finding["column"], 1);
    assert_eq!(finding["rule"], "config");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .ends_with("did you mean `freeze`?"),
        "{finding}"
    );
    let github = repo.cfgctl(&["validate", "--format", "github"]);
    github.code(1);
    assert!(
        github
            .stdout
            .starts_with(&format!("::error file=cfgctl.toml,line={line},col=1")),
        "{}",
        github.stdout
    );
    repo.write("cfgctl.toml", "[repo]\nenvironments = \"dev\"\n");
    let run = repo.cfgctl(&["validate"]);
    run.code(1);
    assert!(
        run.stdout.contains("cfgctl.toml:2:16 error"),
        "{}",
        run.stdout
    );
    let other = repo.cfgctl(&["render", "dev"]);
    other.code(2);
    assert!(
        other
            .stderr
            .contains("cfgctl.toml:2:16: `repo.environments`"),
        "{}",
        other.stderr
    );
}

#[test]
fn at_checks_a_revision_and_changed_since_narrows_it_to_what_changed() {
    let repo = TempRepo::from_template();
    let services = "environments/staging/services.yaml";
    repo.replace(services, "replicas: 2\n", "replicas: 7\n")
        .commit("too many");
    // The working tree is repaired; the commit is not.
    repo.replace(services, "replicas: 7\n", "replicas: 3\n");
    repo.cfgctl(&["validate"]).code(0);
    let run = repo.cfgctl(&["validate", "--at", "HEAD", "--format", "json"]);
    run.code(1);
    assert_eq!(run.json()["source"], "HEAD");
    assert_eq!(run.json()["findings"][0]["file"], services);
    let run = repo.cfgctl(&[
        "validate",
        "--at",
        "HEAD",
        "--changed-since",
        "HEAD~1",
        "--format",
        "json",
    ]);
    run.code(1);
    assert_eq!(run.json()["summary"]["files"], 1);
    repo.cfgctl(&["validate", "--at", "HEAD~1"]).code(0);
    repo.cfgctl(&["validate", "--at", "no-such-rev"]).code(2);
}

#[test]
fn verbose_says_how_long_each_step_took_and_what_the_cache_gave() {
    let repo = small_repo();
    // The durations vary: each `N.N ms` becomes `T ms`, the thread count `N threads`.
    let shape = |text: &str| -> String {
        let words: Vec<&str> = text.split(' ').collect();
        words
            .iter()
            .enumerate()
            .map(
                |(i, w)| match words.get(i + 1).map(|n| n.trim_end_matches([';', '.'])) {
                    Some("ms") => "T",
                    Some("threads") => "N",
                    _ => w,
                },
            )
            .collect::<Vec<_>>()
            .join(" ")
    };
    let cold = repo.cfgctl(&["validate", "--verbose"]);
    cold.code(0);
    let lines: Vec<String> = cold.stderr.lines().map(shape).collect();
    assert_eq!(
        lines,
        [
            "Listed 6 files from the working tree in T ms; compiled 2 schema mappings in T ms; checked 3 files in T ms on N threads; compared environments in T ms.",
            "Took the results of 0 of 3 files from the cache.",
            "ok: 3 files checked, no findings.",
        ],
        "{}",
        cold.stderr
    );
    let warm = repo.cfgctl(&["validate", "-v"]);
    warm.code(0);
    assert_eq!(
        warm.stderr.lines().nth(1),
        Some("Took the results of 3 of 3 files from the cache."),
        "{}",
        warm.stderr
    );
    // Without it none of that is said; stdout is the same either way.
    let plain = repo.cfgctl(&["validate"]);
    plain.code(0);
    assert_eq!(plain.stderr, "ok: 3 files checked, no findings.\n");
    assert_eq!(plain.stdout, warm.stdout);
    // It cannot be combined with --quiet, on either side of the subcommand.
    for args in [&["validate", "-v", "-q"][..], &["-q", "validate", "-v"]] {
        let run = repo.cfgctl(args);
        run.code(2);
        assert!(
            run.stderr.contains("cannot be used with") && run.stderr.contains("--quiet"),
            "{args:?}: {}",
            run.stderr
        );
    }
}
