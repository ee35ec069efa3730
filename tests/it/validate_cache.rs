//! `validate`'s result cache (`.git/cfgctl/cache/validate`): it never changes a result. Every
//! test compares a cached run with a `--no-cache` run, byte for byte, after a change that must
//! invalidate what was cached.

use crate::support::{Run, TempRepo};
use serde_json::Value;

const CONFIG: &str = r#"[repo]
environments = ["dev", "prod"]

[[schema]]
files = ["environments/*/app.yaml"]
schema = "schemas/app.schema.json"

[[schema]]
files = ["environments/*/worker.yaml"]
schema = "schemas/worker.schema.json"

[rules]
env-key-parity = "warning"
"#;

const APP: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "app": {
      "type": "object",
      "properties": {
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "replicas": {"$ref": "common.schema.json#/$defs/replicas"}
      }
    }
  }
}"#;

const WORKER: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {"app": {"type": "object", "additionalProperties": false, "properties": {"queue": {"type": "string"}}}}
}"#;

const COMMON: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$defs": {"replicas": {"type": "integer", "minimum": 1, "maximum": 50}}
}"#;

fn small_repo() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG)
        .write("schemas/app.schema.json", APP)
        .write("schemas/worker.schema.json", WORKER)
        .write("schemas/common.schema.json", COMMON)
        .write(
            "environments/dev/app.yaml",
            "app:\n  name: chat\n  replicas: 1\n  debug: true\n",
        )
        .write(
            "environments/prod/app.yaml",
            "app:\n  name: chat\n  replicas: 3\n",
        )
        .commit("initial");
    repo
}

/// Runs `validate ARGS` with the cache, then without, in JSON and in human form; asserts
/// that the outputs and exit codes are identical and returns the cached JSON run.
#[track_caller]
fn same_with_and_without_cache(repo: &TempRepo, args: &[&str]) -> Run {
    let run = |format: &str, cache: bool| {
        let mut argv = vec!["validate", "--format", format];
        argv.extend_from_slice(args);
        if !cache {
            argv.push("--no-cache");
        }
        repo.cfgctl(&argv)
    };
    let mut cached_json = None;
    for format in ["json", "human"] {
        let cached = run(format, true);
        let uncached = run(format, false);
        assert!(
            cached.code == uncached.code && cached.stdout == uncached.stdout,
            "validate {args:?} --format {format}: the cache changed the result\n--- cached (exit {}) ---\n{}{}\n--- --no-cache (exit {}) ---\n{}{}",
            cached.code,
            cached.stdout,
            cached.stderr,
            uncached.code,
            uncached.stdout,
            uncached.stderr
        );
        assert!(cached.code <= 1, "{}", cached.stderr);
        cached_json.get_or_insert(cached);
    }
    cached_json.unwrap()
}

/// (file, line, rule, severity) of every finding.
fn summary(run: &Run) -> Vec<(String, u64, String, String)> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f: &Value| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The numbers of the line in which a `validate -v ARGS` run says what came from the cache.
fn cache_line(repo: &TempRepo, args: &[&str]) -> Vec<usize> {
    let mut argv = vec!["validate", "-v"];
    argv.extend_from_slice(args);
    let run = repo.cfgctl(&argv);
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("Took the results of"))
        .unwrap_or_else(|| panic!("no cache line in:\n{}", run.stderr));
    line.split(' ').filter_map(|w| w.parse().ok()).collect()
}

/// How many files a `-v` run says came from the cache, and of how many.
fn from_cache(repo: &TempRepo, args: &[&str]) -> (usize, usize) {
    let numbers = cache_line(repo, args);
    (numbers[0], numbers[1])
}

#[test]
fn an_unchanged_repository_is_read_from_the_cache() {
    let repo = small_repo();
    same_with_and_without_cache(&repo, &[]);
    assert!(repo.path().join(".git/cfgctl/cache/validate").is_file());
    assert_eq!(from_cache(&repo, &[]), (2, 2));
    // An edit is checked again; the other file still comes from the cache.
    repo.replace("environments/prod/app.yaml", "replicas: 3", "replicas: 4");
    assert_eq!(from_cache(&repo, &[]), (1, 2));
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let repo = small_repo();
    repo.cfgctl(&["validate", "--no-cache"]).code(0);
    assert!(!repo.path().join(".git/cfgctl/cache").exists());
}

#[test]
fn editing_a_schema_invalidates_the_files_it_checks() {
    let repo = small_repo();
    let before = same_with_and_without_cache(&repo, &[]);
    repo.replace("schemas/app.schema.json", "^[a-z][a-z0-9-]*$", "^[A-Z]+$");
    let after = same_with_and_without_cache(&repo, &[]);
    assert_ne!(summary(&before), summary(&after));
    assert!(after.stdout.contains("schema/pattern"), "{}", after.stdout);
}

#[test]
fn editing_a_referenced_schema_invalidates_the_files_it_checks() {
    let repo = small_repo();
    let before = same_with_and_without_cache(&repo, &[]);
    repo.replace(
        "schemas/common.schema.json",
        "\"maximum\": 50",
        "\"maximum\": 2",
    );
    let after = same_with_and_without_cache(&repo, &[]);
    assert_ne!(summary(&before), summary(&after));
    assert!(after.stdout.contains("schema/maximum"), "{}", after.stdout);
}

#[test]
fn changing_rules_or_severities_in_cfgctl_toml_invalidates() {
    let repo = small_repo();
    let before = same_with_and_without_cache(&repo, &[]);
    assert!(
        summary(&before)
            .iter()
            .any(|f| f.2 == "env-key-parity" && f.3 == "warning")
    );
    // A severity.
    repo.replace(
        "cfgctl.toml",
        "env-key-parity = \"warning\"",
        "env-key-parity = \"error\"",
    );
    let error = same_with_and_without_cache(&repo, &[]);
    assert!(
        summary(&error)
            .iter()
            .any(|f| f.2 == "env-key-parity" && f.3 == "error")
    );
    // A rule turned off.
    repo.replace(
        "cfgctl.toml",
        "env-key-parity = \"error\"",
        "env-key-parity = \"off\"",
    );
    let off = same_with_and_without_cache(&repo, &[]);
    assert!(!summary(&off).iter().any(|f| f.2 == "env-key-parity"));
    // A per-file rule and its severity.
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  name: chat\n  replicas: 1\n  debug: true\n  password: hunter2\n",
    );
    let plaintext = same_with_and_without_cache(&repo, &[]);
    assert!(
        summary(&plaintext)
            .iter()
            .any(|f| f.2 == "plaintext-secret" && f.3 == "error")
    );
    repo.replace(
        "cfgctl.toml",
        "[rules]\n",
        "[rules]\nplaintext-secret = \"warning\"\n",
    );
    let warning = same_with_and_without_cache(&repo, &[]);
    assert!(
        summary(&warning)
            .iter()
            .any(|f| f.2 == "plaintext-secret" && f.3 == "warning")
    );
}

#[test]
fn moving_a_file_to_a_path_mapped_to_another_schema_invalidates() {
    let repo = small_repo();
    let before = same_with_and_without_cache(&repo, &[]);
    assert!(
        !before.stdout.contains("schema/additionalProperties"),
        "{}",
        before.stdout
    );
    // The same bytes at a path the worker schema checks.
    repo.git(&[
        "mv",
        "environments/dev/app.yaml",
        "environments/dev/worker.yaml",
    ]);
    let after = same_with_and_without_cache(&repo, &[]);
    assert!(
        after.stdout.contains("schema/additionalProperties"),
        "{}",
        after.stdout
    );
    // And back: the earlier entry serves again, with the earlier result.
    repo.git(&[
        "mv",
        "environments/dev/worker.yaml",
        "environments/dev/app.yaml",
    ]);
    let back = same_with_and_without_cache(&repo, &[]);
    assert_eq!(summary(&before), summary(&back));
}

#[test]
fn a_file_edited_without_changing_its_size_or_modification_time_is_checked_again() {
    let repo = small_repo();
    let path = repo.path().join("environments/prod/app.yaml");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    same_with_and_without_cache(&repo, &[]);
    // Same length, same mtime: only the change time (and the content) tell.
    std::fs::write(&path, "app:\n  name: chat\n  replicas: 0\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let after = same_with_and_without_cache(&repo, &[]);
    assert!(after.stdout.contains("schema/minimum"), "{}", after.stdout);
}

#[test]
fn staged_runs_compare_with_cached_environments_and_agree_without_the_cache() {
    let repo = small_repo();
    same_with_and_without_cache(&repo, &[]);
    // A key only prod has and a value out of range, staged; the working tree differs again.
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 0\n  region: eu\n",
    );
    repo.git(&["add", "environments/prod/app.yaml"]);
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  name: chat\n  replicas: 99\n",
    );
    let staged = same_with_and_without_cache(&repo, &["--staged"]);
    assert!(
        summary(&staged)
            .iter()
            .all(|f| f.0 == "environments/prod/app.yaml"),
        "{}",
        staged.stdout
    );
    assert!(
        staged.stdout.contains("schema/minimum"),
        "{}",
        staged.stdout
    );
    let worktree = same_with_and_without_cache(&repo, &[]);
    assert!(
        worktree.stdout.contains("schema/maximum"),
        "{}",
        worktree.stdout
    );
    same_with_and_without_cache(&repo, &["--at", "HEAD"]);
    same_with_and_without_cache(&repo, &["environments/prod/app.yaml"]);
}

#[test]
fn a_corrupt_cache_is_ignored_and_rebuilt() {
    let repo = small_repo();
    let before = same_with_and_without_cache(&repo, &[]);
    let file = repo.path().join(".git/cfgctl/cache/validate");
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    for bad in [
        flipped,
        good[..good.len() - 7].to_vec(),
        b"not a cache".to_vec(),
    ] {
        std::fs::write(&file, &bad).unwrap();
        assert_eq!(
            from_cache(&repo, &[]),
            (0, 2),
            "a corrupt cache served results"
        );
        // Rebuilt by that run.
        assert_eq!(from_cache(&repo, &[]), (2, 2));
        let after = same_with_and_without_cache(&repo, &[]);
        assert_eq!(before.stdout, after.stdout);
    }
}

#[test]
fn two_concurrent_runs_each_get_the_right_result_and_leave_a_valid_cache() {
    let repo = small_repo();
    let expected = repo.cfgctl(&["validate", "--format", "json", "--no-cache"]);
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(repo.path().join(".git/cfgctl/cache"));
        let a = repo.spawn(&["validate", "--format", "json"], &[]);
        let b = repo.spawn(&["validate", "--format", "json"], &[]);
        for run in [TempRepo::wait(a), TempRepo::wait(b)] {
            assert_eq!(run.code, expected.code, "{}", run.stderr);
            assert_eq!(run.stdout, expected.stdout);
        }
        assert_eq!(from_cache(&repo, &[]), (2, 2));
    }
}

#[test]
fn cached_and_uncached_findings_are_identical_on_a_generated_repository() {
    let repo = TempRepo::bare_dir();
    let out = repo.path().join("bench");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/gen-bench-repo.py");
    let mut python = std::process::Command::new("python3");
    crate::support::hermetic(&mut python, &repo.home());
    let status = python
        .args([
            script,
            out.to_str().unwrap(),
            "--files",
            "300",
            "--invalid-rate",
            "0.05",
        ])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs scripts/gen-bench-repo.py (install python3 to run this test)");
    assert!(status.success());
    let run = |args: &[&str]| {
        // The recorded findings are those of a day the template's flags are fresh.
        let mut cmd = crate::support::cfgctl_command(&out, &repo.home());
        let (var, now) = crate::support::TEMPLATE_FRESH;
        Run::from(cmd.env(var, now).args(args).output().unwrap())
    };
    let expected = run(&["validate", "--format", "json", "--no-cache"]);
    assert_eq!(expected.code, 1, "{}", expected.stderr);
    // The findings themselves are those recorded before the checking path was made faster:
    // the same files, places, rules and messages.
    let recorded = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bench-300.findings.json"
    );
    if std::env::var_os("CFGCTL_BLESS").is_some() {
        std::fs::write(recorded, &expected.stdout).unwrap();
    }
    assert!(
        std::fs::read_to_string(recorded).unwrap() == expected.stdout,
        "the findings on the generated repository changed; if the generator or the template \
         changed on purpose, run `CFGCTL_BLESS=1 cargo test --test it validate_cache::` and \
         commit tests/fixtures/bench-300.findings.json"
    );
    let cold = run(&["validate", "--format", "json"]);
    let warm = run(&["validate", "--format", "json"]);
    assert_eq!(cold.stdout, expected.stdout);
    assert_eq!(warm.stdout, expected.stdout);
    let human = run(&["validate", "--no-cache"]);
    assert_eq!(run(&["validate"]).stdout, human.stdout);
    // One environment file changed, one staged: both agree with a full check.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join(".bench/manifest.json")).unwrap()).unwrap();
    let staged: Vec<&str> = manifest["staged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    for path in &staged {
        std::fs::copy(out.join(".bench/staged").join(path), out.join(path)).unwrap();
    }
    let edited = run(&["validate", "--format", "json"]);
    assert_eq!(
        edited.stdout,
        run(&["validate", "--format", "json", "--no-cache"]).stdout
    );
    let add: Vec<&str> = std::iter::once("add")
        .chain(staged.iter().copied())
        .collect();
    repo.git_in("bench", &add).code(0);
    let staged_run = run(&["validate", "--staged", "--format", "json"]);
    assert_eq!(
        staged_run.stdout,
        run(&["validate", "--staged", "--format", "json", "--no-cache"]).stdout
    );
}

/// `packs validate` and `validate` with and without the cache, in JSON, at a given time.
#[track_caller]
fn packs_same_with_and_without_cache(repo: &TempRepo, now: &str) -> Run {
    let env = [("CFGCTL_NOW", now)];
    let mut first = None;
    for command in [&["packs", "validate"][..], &["validate"][..]] {
        let args = |cache: bool| {
            let mut argv = command.to_vec();
            argv.extend(["--format", "json"]);
            if !cache {
                argv.push("--no-cache");
            }
            argv
        };
        let cached = repo.cfgctl_env(&args(true), &env);
        let uncached = repo.cfgctl_env(&args(false), &env);
        assert_eq!(
            (cached.code, &cached.stdout),
            (uncached.code, &uncached.stdout),
            "{command:?}: the cache changed the result\n{}{}",
            cached.stderr,
            uncached.stderr
        );
        first.get_or_insert(cached);
    }
    first.unwrap()
}

#[test]
fn packs_are_checked_again_only_when_their_files_or_the_side_of_created_change() {
    let repo = TempRepo::from_template();
    let clean = packs_same_with_and_without_cache(&repo, "2026-06-01T10:00:00Z");
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    // Nothing changed: the second run adds nothing, so the cache file is not rewritten.
    let cache = repo.path().join(".git/cfgctl/cache/validate");
    let before = std::fs::read(&cache).unwrap();
    repo.cfgctl(&["packs", "validate"]).code(0);
    assert_eq!(std::fs::read(&cache).unwrap(), before);
    // A broken regex in a pattern file.
    let patterns = "packs/prompt-injection/patterns/direct-injection.yaml";
    repo.replace(
        patterns,
        "(?i)\\b(ignore|disregard|forget)\\b",
        "(?i)\\b(ignore|disregard|forget\\b",
    );
    let broken = packs_same_with_and_without_cache(&repo, "2026-06-01T10:00:00Z");
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    repo.replace(
        patterns,
        "(?i)\\b(ignore|disregard|forget\\b",
        "(?i)\\b(ignore|disregard|forget)\\b",
    );
    // `created` in the future of one clock and in the past of another (M8).
    repo.replace(
        "packs/prompt-injection/pack.yaml",
        "created: 2026-01-01T00:00:00Z",
        "created: 2026-07-01T00:00:00Z",
    );
    let future = packs_same_with_and_without_cache(&repo, "2026-06-01T10:00:00Z");
    assert!(future.stdout.contains("\"packs/M8\""), "{}", future.stdout);
    let past = packs_same_with_and_without_cache(&repo, "2026-08-01T00:00:00Z");
    assert!(!past.stdout.contains("\"packs/M8\""), "{}", past.stdout);
}

#[test]
fn a_schema_that_does_not_compile_is_still_an_error_when_the_files_are_cached() {
    let repo = small_repo();
    same_with_and_without_cache(&repo, &[]);
    // Schemas are compiled only when a file needs one, once the settings compiled before;
    // new settings are compiled up front, so the error comes before anything is checked.
    repo.replace(
        "schemas/worker.schema.json",
        "\"type\": \"string\"",
        "\"type\": \"strng\"",
    );
    for args in [&["validate"][..], &["validate", "--no-cache"][..]] {
        let run = repo.cfgctl(args);
        run.code(2);
        assert!(run.stderr.contains("worker.schema.json"), "{}", run.stderr);
    }
}

/// How many `[[rule]]` evaluations a `-v` run took from the cache, and of how many.
fn rules_from_cache(repo: &TempRepo) -> (usize, usize) {
    let numbers = cache_line(repo, &[]);
    assert_eq!(numbers.len(), 4, "{numbers:?}");
    (numbers[2], numbers[3])
}

/// `[[rule]]` evaluations are kept per environment (and once for a rule over `envs`): an
/// environment whose files did not change is not evaluated again, and whatever changes (a
/// file of one environment, the shared layer, a file the rules do not read in an
/// environment's directory, the rules themselves) gives what a run without the cache gives.
#[test]
fn rule_evaluations_are_kept_per_environment_and_never_change_a_result() {
    let repo = small_repo();
    let rules = r#"
[[rule]]
name = "enough-replicas"
expr = "env.app.replicas >= 2"
message = "too few replicas"

[[rule]]
name = "prod-has-more"
expr = "envs.prod.app.replicas > envs.dev.app.replicas"
"#;
    repo.write("cfgctl.toml", format!("{CONFIG}{rules}"))
        .commit("rules");
    let first = same_with_and_without_cache(&repo, &[]);
    assert_eq!(
        summary(&first)
            .iter()
            .filter(|f| f.2.starts_with("rule/"))
            .count(),
        1,
        "{}",
        first.stdout
    );
    // Two environments for the first rule, one evaluation of the second: all kept.
    assert_eq!(rules_from_cache(&repo), (3, 3));

    // One environment's file: its evaluation and the one over `envs` run again.
    repo.replace("environments/prod/app.yaml", "replicas: 3", "replicas: 1");
    assert_eq!(rules_from_cache(&repo), (1, 3));
    let changed = same_with_and_without_cache(&repo, &[]);
    assert!(
        changed.stdout.contains("rule/prod-has-more"),
        "{}",
        changed.stdout
    );
    repo.replace("environments/prod/app.yaml", "replicas: 1", "replicas: 5");
    assert_eq!(rules_from_cache(&repo), (1, 3));
    same_with_and_without_cache(&repo, &[]);

    // The shared layer renders into every environment.
    repo.write("global/app.yaml", "app:\n  replicas: 7\n  tier: gold\n");
    assert_eq!(rules_from_cache(&repo), (0, 3));
    same_with_and_without_cache(&repo, &[]);

    // A file the rules do not read, in an environment's directory.
    repo.write("environments/dev/NOTES.md", "dev notes\n");
    assert_eq!(rules_from_cache(&repo), (1, 3));
    same_with_and_without_cache(&repo, &[]);
    assert_eq!(rules_from_cache(&repo), (3, 3));

    // A rule's expression, its message, its severity.
    for (from, to) in [
        ("env.app.replicas >= 2", "env.app.replicas >= 6"),
        ("too few replicas", "need more replicas"),
        (
            "message = \"need more replicas\"",
            "message = \"need more replicas\"\nseverity = \"warning\"",
        ),
    ] {
        repo.replace("cfgctl.toml", from, to);
        assert_eq!(rules_from_cache(&repo), (0, 3));
        same_with_and_without_cache(&repo, &[]);
    }
    let last = same_with_and_without_cache(&repo, &[]);
    assert!(
        last.stdout.contains("need more replicas"),
        "{}",
        last.stdout
    );
    assert!(last.stdout.contains("warning"), "{}", last.stdout);
}
