//! `cfgctl rollback`: reverts equal `git revert`, conflicts leave nothing behind, environments
//! restore to a revision, and every commit carries trailers git can parse.

use crate::support::TempRepo;

const CONFIG: &str = "[repo]\nenvironments = [\"dev\", \"prod\"]\n\n[[schema]]\nfiles = [\"environments/*/app.yaml\"]\nschema = \"schemas/app.json\"\n";
const SCHEMA: &str =
    r#"{"properties": {"app": {"properties": {"replicas": {"type": "integer", "maximum": 10}}}}}"#;

fn repo() -> TempRepo {
    let repo = TempRepo::new();
    repo.write("cfgctl.toml", CONFIG)
        .write("schemas/app.json", SCHEMA)
        .write(
            "environments/dev/app.yaml",
            "app:\n  replicas: 1\n  image: v1\n",
        )
        .write(
            "environments/prod/app.yaml",
            "app:\n  replicas: 3\n  image: v1\n",
        )
        .write("environments/prod/app.secret.yaml", "password: ENC[v1]\n")
        .commit("initial");
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  replicas: 3\n  image: v2\n",
    )
    .write("environments/prod/app.secret.yaml", "password: ENC[v2]\n")
    .commit("prod: image v2");
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  replicas: 2\n  image: v1\n",
    )
    .commit("dev: 2 replicas");
    repo
}

fn head(repo: &TempRepo) -> String {
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// The state git sees: HEAD, the index and the working tree.
fn state(repo: &TempRepo) -> (String, String, String) {
    (
        head(repo),
        repo.git(&["write-tree"]),
        repo.git(&["status", "--porcelain"]),
    )
}

#[test]
fn revert_gives_the_tree_git_revert_gives() {
    let repo = repo();
    let target = repo.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    // What git itself does, in a throwaway clone.
    let reference = TempRepo::bare_dir();
    let clone = reference.path().join("clone");
    reference.git(&[
        "clone",
        "-q",
        repo.path().to_str().unwrap(),
        clone.to_str().unwrap(),
    ]);
    reference
        .git_in("clone", &["revert", "--no-edit", &target])
        .code(0);
    let expected = reference
        .git_in("clone", &["rev-parse", "HEAD^{tree}"])
        .code(0)
        .stdout
        .clone();

    // A dry run changes nothing.
    let before = state(&repo);
    let plan = repo.cfgctl(&["rollback", &target]);
    plan.code(0);
    assert!(
        plan.stdout.contains("would commit: rollback: revert")
            && plan.stdout.contains("environments/prod/app.yaml"),
        "{}",
        plan.stdout
    );
    assert_eq!(state(&repo), before);

    let run = repo.cfgctl(&["rollback", &target, "--execute", "--format", "json"]);
    run.code(0);
    assert_eq!(
        run.json()["steps"][0]["commit"].as_str().unwrap(),
        head(&repo)
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD^{tree}"]), expected);
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "index and working tree follow the commit"
    );
    assert_eq!(
        repo.read("environments/prod/app.yaml"),
        "app:\n  replicas: 3\n  image: v1\n"
    );
    let trailers = repo.git(&["log", "-1", "--format=%B"]);
    let parsed = crate::support::git_command(repo.path(), &repo.home())
        .args(["interpret-trailers", "--parse"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(trailers.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let parsed = String::from_utf8(parsed.stdout).unwrap();
    assert!(parsed.contains("Cfgctl-Action: rollback"), "{parsed}");
    assert!(
        parsed.contains(&format!("Cfgctl-Rollback-Of: {target}")),
        "{parsed}"
    );
    repo.git(&["fsck", "--strict"]);
    // A directory left empty goes, as Git would never keep one.
    assert!(
        !repo.git(&["ls-tree", "-d", "HEAD"]).contains("tenants"),
        "{}",
        repo.git(&["ls-tree", "-r", "-t", "HEAD"])
    );
    // log reads it back as a rollback.
    let log = repo.cfgctl(&["log", "-n", "1", "--format", "json"]);
    assert_eq!(log.json()["entries"][0]["kind"], "rollback");
}

#[test]
fn a_conflict_leaves_nothing_behind() {
    let repo = repo();
    // Change the same line again, so reverting "prod: image v2" conflicts.
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  replicas: 3\n  image: v3\n",
    )
    .commit("prod: image v3");
    repo.write("environments/dev/notes.yaml", "wip: true\n");
    let before = state(&repo);
    let run = repo.cfgctl(&["rollback", "HEAD~2"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("conflicts with later changes in: environments/prod/app.yaml"),
        "{}",
        run.stderr
    );
    repo.cfgctl(&["rollback", "HEAD~2", "--execute"]).code(1);
    assert_eq!(state(&repo), before);
    assert!(!repo.path().join(".git/REVERT_HEAD").exists());
}

#[test]
fn an_environment_is_restored_to_a_revision_secrets_included() {
    let repo = repo();
    let first = repo
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_string();
    let run = repo.cfgctl(&["rollback", "--env", "prod", "--to", &first, "--execute"]);
    run.code(0);
    assert_eq!(
        repo.read("environments/prod/app.yaml"),
        "app:\n  replicas: 3\n  image: v1\n"
    );
    assert_eq!(
        repo.read("environments/prod/app.secret.yaml"),
        "password: ENC[v1]\n"
    );
    assert_eq!(
        repo.read("environments/dev/app.yaml"),
        "app:\n  replicas: 2\n  image: v1\n",
        "other environments untouched"
    );
    let diff = repo.git(&[
        "diff",
        "--name-only",
        &first,
        "HEAD",
        "--",
        "environments/prod",
    ]);
    assert_eq!(diff, "");
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("rollback: restore prod to "),
        "{message}"
    );
    assert!(message.contains("Cfgctl-To: prod"));
    // Restoring again to the same state is a no-op.
    let again = repo.cfgctl(&["rollback", "--env", "prod", "--to", &first, "--execute"]);
    again.code(0);
    assert!(
        again.stderr.contains("Nothing to roll back"),
        "{}",
        again.stderr
    );
}

#[test]
fn the_last_promotion_is_found_from_trailers() {
    let repo = repo();
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  replicas: 3\n  image: v9\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "promote: dev -> prod (1 files, 1 keys)\n\nCfgctl-Action: promote\nCfgctl-From: dev@HEAD\nCfgctl-To: prod\n"]);
    repo.write(
        "environments/dev/app.yaml",
        "app:\n  replicas: 4\n  image: v1\n",
    )
    .commit("dev: 4 replicas");
    repo.cfgctl(&["rollback", "--env", "prod", "--last-promotion", "--execute"])
        .code(0);
    assert_eq!(
        repo.read("environments/prod/app.yaml"),
        "app:\n  replicas: 3\n  image: v2\n"
    );
    let status = repo.cfgctl(&["status", "--format", "json"]);
    assert_eq!(
        status.json()["environments"][1]["last_promotion"]["rolled_back"],
        true
    );
    let none = repo.cfgctl(&["rollback", "--env", "dev", "--last-promotion"]);
    none.code(2);
    assert!(
        none.stderr.contains("no promotion into `dev`"),
        "{}",
        none.stderr
    );
}

#[test]
fn blockers_are_listed_and_nothing_changes() {
    let repo = repo();
    let target = repo.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    // Uncommitted work in a path the rollback writes is a blocker; elsewhere it is kept.
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  replicas: 3\n  image: local\n",
    );
    repo.write("environments/dev/scratch.yaml", "x: 1\n");
    let before = state(&repo);
    let run = repo.cfgctl(&["rollback", &target, "--execute"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("blocked: environments/prod/app.yaml has uncommitted changes"),
        "{}",
        run.stderr
    );
    assert_eq!(state(&repo), before);
    // An invalid result is a blocker too: reverting the fix of an invalid value.
    repo.git(&["checkout", "-q", "--", "environments/prod/app.yaml"]);
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  replicas: 30\n  image: v2\n",
    )
    .commit("prod: too many");
    repo.write(
        "environments/prod/app.yaml",
        "app:\n  replicas: 5\n  image: v2\n",
    )
    .commit("prod: fix replicas");
    let before = state(&repo);
    let run = repo.cfgctl(&["rollback", "HEAD", "--execute"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("blocked: the result is invalid: environments/prod/app.yaml:2:13"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Nothing was changed."));
    assert_eq!(state(&repo), before);
}

#[test]
fn usage_errors() {
    let repo = repo();
    let before = state(&repo);
    repo.cfgctl(&["rollback"])
        .error(2, "error: nothing to roll back");
    repo.cfgctl(&["rollback", "--env", "prod"])
        .error(2, "error: --env needs --to REV or --last-promotion");
    repo.cfgctl(&["rollback", "--env", "qa", "--to", "HEAD"])
        .error(2, "error: unknown environment `qa`");
    repo.cfgctl(&["rollback", "no-such-commit"]).error(
        2,
        "error: unknown commit `no-such-commit`: revspec 'no-such-commit' not found",
    );
    assert_eq!(state(&repo), before);
    let first = repo
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_string();
    let run = repo.cfgctl(&["rollback", &first]);
    run.code(2);
    assert!(run.stderr.contains("the first commit"), "{}", run.stderr);
}

#[test]
fn an_environment_restore_covers_its_flag_file_packs_and_overrides() {
    const FLAGS: &str = r#"{"flags": {"new-ui": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}}}
"#;
    let repo = repo();
    repo.write("flags/prod.flags.json", FLAGS)
        .write("flags/dev.flags.json", FLAGS)
        .write("services/chat/prod/app.yaml", "app:\n  image: chat-v1\n")
        .commit("flags and a service override");
    let target = head(&repo);
    repo.write(
        "flags/prod.flags.json",
        FLAGS.replace(r#""defaultVariant": "off""#, r#""defaultVariant": "on""#),
    )
    .write("flags/dev.flags.json", FLAGS.replace("ENABLED", "DISABLED"))
    .write(
        "environments/prod/packs.yaml",
        "packs:\n  prompt-injection:\n    version: 1.0.0\n    digest: abc\n",
    )
    .write("services/chat/prod/app.yaml", "app:\n  image: chat-v2\n")
    .write("services/chat/prod/extra.yaml", "x: 1\n")
    .write("tenants/acme/prod/app.yaml", "app:\n  tenant: acme\n")
    .write("global/app.yaml", "app:\n  region: eu\n")
    .commit("prod: new-ui on, a pack, chat v2; dev flag off; a shared default");
    let run = repo.cfgctl(&["rollback", "--env", "prod", "--to", &target, "--execute"]);
    run.code(0);
    // Git, reading independently: everything prod owns is as it was; other environments'
    // files and shared layers keep their later changes.
    assert_eq!(
        repo.git(&["diff", "--name-only", &target, "HEAD"]),
        "flags/dev.flags.json\nglobal/app.yaml\n"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert!(!repo.path().join("environments/prod/packs.yaml").exists());
    assert!(!repo.path().join("services/chat/prod/extra.yaml").exists());
    assert_eq!(repo.read("flags/prod.flags.json"), FLAGS);
    repo.git(&["fsck", "--strict"]);
    // A directory left empty goes, as Git would never keep one.
    assert!(
        !repo.git(&["ls-tree", "-d", "HEAD"]).contains("tenants"),
        "{}",
        repo.git(&["ls-tree", "-r", "-t", "HEAD"])
    );
    let files = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        files,
        "environments/prod/packs.yaml\nflags/prod.flags.json\nservices/chat/prod/app.yaml\nservices/chat/prod/extra.yaml\ntenants/acme/prod/app.yaml\n"
    );
}
