//! Git hooks as Git runs them: every way of committing, with a real `git commit` and
//! a hook that calls `cfgctl validate --staged`, is blocked when what it commits is invalid and
//! allowed when it is not.
//!
//! Git hands hooks the index it is about to commit in `GIT_INDEX_FILE` (a temporary one for
//! `commit -a`, `commit PATH`, `--include` and `--only`), and in a linked worktree or with
//! `--git-dir` also `GIT_DIR`/`GIT_WORK_TREE`; reading `.git/index` checks the wrong files.

use crate::support::{Run, TempRepo, cfgctl_path, hermetic};
use std::path::{Path, PathBuf};
use std::process::Command;

const SERVICES: &str = "environments/staging/services.yaml";
/// What validate says about `replicas: 7` in the staging gateway.
const TOO_MANY: &str = "replicas (7) is above max_replicas (4)";

/// A plain Git hook, as a team without the pre-commit framework writes it.
const PLAIN_HOOK: &str = "#!/bin/sh\nexec cfgctl validate --staged\n";

/// Writes an executable hook into `hooks_dir` (relative to the repository).
fn write_hook(repo: &TempRepo, hooks_dir: &str, name: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo.path().join(hooks_dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The template repository with the plain pre-commit hook installed.
fn repo_with_hook() -> TempRepo {
    let repo = TempRepo::from_template();
    write_hook(&repo, ".git/hooks", "pre-commit", PLAIN_HOOK);
    repo
}

/// Raises the staging gateway's replicas above its max_replicas (in the working tree).
fn break_services(repo: &TempRepo, dir: &str) {
    repo.replace(
        &format!("{dir}{SERVICES}"),
        "replicas: 2\n",
        "replicas: 7\n",
    );
}

/// Puts the gateway's replicas back within its bounds (in the working tree).
fn repair_services(repo: &TempRepo, dir: &str) {
    repo.replace(
        &format!("{dir}{SERVICES}"),
        "replicas: 7\n",
        "replicas: 3\n",
    );
}

fn head(repo: &TempRepo, dir: &str) -> String {
    repo.git_in(dir, &["rev-parse", "HEAD"])
        .code(0)
        .stdout
        .clone()
}

/// Asserts that the hook refused the commit for `finding` and that no commit was made.
#[track_caller]
fn assert_blocked(repo: &TempRepo, dir: &str, head_before: &str, run: &Run, finding: &str) {
    assert_ne!(
        run.code, 0,
        "the commit went through\n--- stdout ---\n{}\n--- stderr ---\n{}",
        run.stdout, run.stderr
    );
    let output = format!("{}{}", run.stdout, run.stderr);
    assert!(
        output.contains(finding),
        "refused, but not for `{finding}`:\n{output}"
    );
    assert_eq!(head(repo, dir), head_before, "HEAD moved");
}

/// Names of the files a commit changed.
fn committed_files(repo: &TempRepo, dir: &str, rev: &str) -> Vec<String> {
    repo.git_in(dir, &["show", "--name-only", "--format=", rev])
        .code(0)
        .stdout
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn commit_all_checks_the_working_tree_it_commits() {
    let repo = repo_with_hook();
    break_services(&repo, "");
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);

    repair_services(&repo, "");
    repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"])
        .code(0);
    assert_eq!(committed_files(&repo, ".", "HEAD"), [SERVICES]);
}

#[test]
fn commit_paths_checks_those_paths_as_they_are_on_disk() {
    let repo = repo_with_hook();
    break_services(&repo, "");
    let before = head(&repo, ".");
    // `git commit PATH` is `git commit --only PATH`: a temporary index of HEAD plus PATH.
    let run = repo.git_in(".", &["commit", "-q", "-m", "scale up", "--", SERVICES]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);
    let run = repo.git_in(".", &["commit", "-q", "--only", "-m", "scale up", SERVICES]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);

    repair_services(&repo, "");
    repo.git_in(".", &["commit", "-q", "-m", "scale up", "--", SERVICES])
        .code(0);
}

#[test]
fn commit_paths_leaves_out_what_else_is_staged() {
    let repo = repo_with_hook();
    // A broken file is staged, but the commit takes only another path, so nothing broken is
    // committed and the hook must let it through.
    break_services(&repo, "");
    repo.git(&["add", SERVICES]);
    let other = "environments/development/services.yaml";
    repo.write(other, format!("{}# reviewed\n", repo.read(other)));
    repo.git_in(".", &["commit", "-q", "-m", "note", "--", other])
        .code(0);
    assert_eq!(committed_files(&repo, ".", "HEAD"), [other]);
    // The broken change is still staged, for the next commit to be refused.
    assert_eq!(
        repo.git(&["diff", "--cached", "--name-only"]).trim(),
        SERVICES
    );
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "-m", "scale up"]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);
}

#[test]
fn commit_include_checks_the_index_with_those_paths_added() {
    let repo = repo_with_hook();
    break_services(&repo, "");
    let before = head(&repo, ".");
    let run = repo.git_in(
        ".",
        &["commit", "-q", "--include", "-m", "scale up", SERVICES],
    );
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);

    repair_services(&repo, "");
    repo.git_in(
        ".",
        &["commit", "-q", "--include", "-m", "scale up", SERVICES],
    )
    .code(0);
}

#[test]
fn partially_staged_files_are_checked_as_staged() {
    let repo = repo_with_hook();
    // `git add -p` in effect: one hunk of the file is staged (a patch applied to the index),
    // another one is only in the working tree.
    break_services(&repo, "");
    let broken_hunk = repo.git(&["diff", SERVICES]);
    repo.git(&["checkout", "--", SERVICES]);
    repo.replace(SERVICES, "debug: false\n", "debug: true\n");
    let harmless_hunk = repo.git(&["diff", SERVICES]);
    break_services(&repo, "");
    let apply_cached = |patch: &str| {
        let file = repo.path().join(".git/hunk.patch");
        std::fs::write(&file, patch).unwrap();
        repo.git(&["apply", "--cached", file.to_str().unwrap()]);
    };

    apply_cached(&broken_hunk);
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "-m", "scale up"]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);

    // The other way round: the staged hunk is fine, the broken one stays in the working tree.
    repo.git(&["reset", "-q"]);
    apply_cached(&harmless_hunk);
    repo.git_in(".", &["commit", "-q", "-m", "debug on"])
        .code(0);
    assert!(
        repo.git(&["diff", SERVICES]).contains("replicas: 7"),
        "the unstaged hunk is left alone"
    );
}

#[test]
fn amend_checks_the_tree_of_the_amended_commit() {
    let repo = repo_with_hook();
    let base = head(&repo, ".");
    let other = "environments/development/services.yaml";
    repo.write(other, format!("{}# reviewed\n", repo.read(other)));
    repo.git_in(".", &["commit", "-q", "-a", "-m", "note"])
        .code(0);

    break_services(&repo, "");
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "--amend", "-a", "--no-edit"]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);
    let run = repo.git_in(
        ".",
        &["commit", "-q", "--amend", "--no-edit", "--", SERVICES],
    );
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);

    repair_services(&repo, "");
    repo.git_in(".", &["commit", "-q", "--amend", "-a", "--no-edit"])
        .code(0);
    assert_ne!(head(&repo, "."), before);
    assert_eq!(
        repo.git(&["rev-parse", "HEAD~1"]),
        base,
        "the amended commit replaced the one before"
    );
}

#[test]
fn merge_commits_are_checked_by_pre_merge_commit() {
    let repo = repo_with_hook();
    write_hook(&repo, ".git/hooks", "pre-merge-commit", PLAIN_HOOK);
    let main = repo.git(&["symbolic-ref", "--short", "HEAD"]);
    let main = main.trim();
    // Each side is valid on its own; together the gateway has more replicas than it may.
    repo.git(&["checkout", "-q", "-b", "lower-ceiling"]);
    repo.replace(SERVICES, "max_replicas: 4,", "max_replicas: 3,");
    repo.git_in(".", &["commit", "-q", "-a", "-m", "lower ceiling"])
        .code(0);
    repo.git(&["checkout", "-q", main]);
    repo.replace(SERVICES, "replicas: 2\n", "replicas: 4\n");
    repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"])
        .code(0);

    let before = head(&repo, ".");
    let run = repo.git_in(
        ".",
        &["merge", "-q", "--no-ff", "-m", "merge", "lower-ceiling"],
    );
    assert_blocked(
        &repo,
        ".",
        &before,
        &run,
        "replicas (4) is above max_replicas (3)",
    );
    repo.git(&["merge", "--abort"]);

    // A merge that keeps the gateway within bounds goes through.
    repo.git(&["checkout", "-q", "-b", "harmless", "lower-ceiling"]);
    repo.replace(SERVICES, "debug: false\n", "debug: true\n");
    repo.git_in(".", &["commit", "-q", "-a", "-m", "debug on"])
        .code(0);
    repo.git(&["checkout", "-q", main]);
    repo.replace(SERVICES, "replicas: 4\n", "replicas: 3\n");
    repo.git_in(".", &["commit", "-q", "-a", "-m", "scale down"])
        .code(0);
    repo.git_in(".", &["merge", "-q", "--no-ff", "-m", "merge", "harmless"])
        .code(0);
}

#[test]
fn a_linked_worktree_commits_from_its_own_index() {
    let repo = repo_with_hook();
    std::fs::write(repo.path().join(".git/info/exclude"), "/wt/\n").unwrap();
    repo.git(&["worktree", "add", "-q", "-b", "feature", "wt"]);
    // The hook is the main repository's (hooks live in the common Git directory).
    break_services(&repo, "wt/");
    let before = head(&repo, "wt");
    let run = repo.git_in("wt", &["commit", "-q", "-a", "-m", "scale up"]);
    assert_blocked(&repo, "wt", &before, &run, TOO_MANY);
    repo.git_in("wt", &["add", SERVICES]).code(0);
    let run = repo.git_in("wt", &["commit", "-q", "-m", "scale up"]);
    assert_blocked(&repo, "wt", &before, &run, TOO_MANY);

    repair_services(&repo, "wt/");
    repo.git_in("wt", &["commit", "-q", "-a", "-m", "scale up"])
        .code(0);
    assert_eq!(committed_files(&repo, "wt", "HEAD"), [SERVICES]);
}

#[test]
fn a_git_dir_outside_the_work_tree() {
    // `git --git-dir=… --work-tree=…`: nothing under the work tree leads to the repository;
    // Git tells the hook both places in GIT_DIR and GIT_WORK_TREE.
    let repo = TempRepo::from_template();
    std::fs::rename(
        repo.path().join(".git"),
        repo.path().join(".home/store.git"),
    )
    .unwrap();
    write_hook(&repo, ".home/store.git/hooks", "pre-commit", PLAIN_HOOK);
    let git = |args: &[&str]| {
        let mut all = vec!["--git-dir=.home/store.git", "--work-tree=."];
        all.extend_from_slice(args);
        repo.git_in(".", &all)
    };
    break_services(&repo, "");
    let before = git(&["rev-parse", "HEAD"]).stdout;
    let run = git(&["commit", "-q", "-a", "-m", "scale up"]);
    assert_ne!(run.code, 0, "the commit went through");
    assert!(run.stderr.contains(TOO_MANY), "{}", run.stderr);
    assert_eq!(git(&["rev-parse", "HEAD"]).stdout, before);

    repair_services(&repo, "");
    git(&["commit", "-q", "-a", "-m", "scale up"]).code(0);
}

#[test]
fn intent_to_add_files_are_not_committed_nor_checked() {
    let repo = repo_with_hook();
    // `git add -N` records an empty placeholder that `git commit` leaves out.
    let new = "services/chat/external_apis.json";
    repo.write(new, "{ \"unfinished\": \n");
    repo.git(&["add", "-N", new]);
    let other = "environments/development/services.yaml";
    repo.write(other, format!("{}# reviewed\n", repo.read(other)));
    repo.git(&["add", other]);
    repo.git_in(".", &["commit", "-q", "-m", "note"]).code(0);
    assert_eq!(committed_files(&repo, ".", "HEAD"), [other]);
}

// ---------------------------------------------------------------------------------------------
// The pre-commit framework (https://pre-commit.com), the real client from PyPI

/// Where `.ci/run` installs pre-commit (a virtual environment).
const PRE_COMMIT_DEFAULT: &str = "/opt/cfgctl-ci/venv/bin/pre-commit";

/// The pre-commit executable: CFGCTL_PRE_COMMIT, else the one `.ci/run` installs. Without it
/// the framework tests are skipped with a note, except in CI (CI=true), where they fail.
fn pre_commit() -> Option<PathBuf> {
    let path = std::env::var_os("CFGCTL_PRE_COMMIT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(PRE_COMMIT_DEFAULT));
    if path.is_file() {
        return Some(path);
    }
    crate::support::missing(
        &format!(
            "pre-commit is not installed at `{}` (CFGCTL_PRE_COMMIT)",
            path.display()
        ),
        "install it with: python3 -m venv /opt/cfgctl-ci/venv && /opt/cfgctl-ci/venv/bin/pip install pre-commit (scripts/test.sh does)",
    );
    None
}

/// Runs pre-commit in the repository, in the hermetic environment plus `env`.
fn run_pre_commit(repo: &TempRepo, pre_commit: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut cmd = Command::new(pre_commit);
    hermetic(&mut cmd, &repo.home());
    cmd.args(args).current_dir(repo.path());
    for (key, value) in env {
        cmd.env(key, value);
    }
    Run::from(cmd.output().expect("running pre-commit"))
}

#[test]
fn the_template_pre_commit_config_blocks_what_commit_all_commits() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let repo = TempRepo::from_template();
    run_pre_commit(&repo, &pre_commit, &["install"], &[]).code(0);

    break_services(&repo, "");
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);
    let run = repo.git_in(".", &["commit", "-q", "-m", "scale up", "--", SERVICES]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);

    repair_services(&repo, "");
    repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"])
        .code(0);
    assert_eq!(committed_files(&repo, ".", "HEAD"), [SERVICES]);

    // Flags and packs are validated too, so a commit of only those runs the hook.
    let flags = "flags/production.flags.json";
    repo.replace(
        flags,
        "\"defaultVariant\": \"off\"",
        "\"defaultVariant\": \"nope\"",
    );
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "-a", "-m", "default"]);
    assert_blocked(&repo, ".", &before, &run, "default variant `nope`");
}

/// `.pre-commit-hooks.yaml` as its users get it: pre-commit clones this repository, builds
/// cfgctl with `cargo install` (`language: rust`) and runs both hooks. Only crates.io is
/// reached (the build has no other download).
#[test]
#[ignore = "builds cfgctl in release mode with cargo install (minutes); .ci/run runs it by name"]
fn try_repo_builds_and_runs_the_published_hooks() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let repo = TempRepo::from_template();
    break_services(&repo, "");
    repo.git(&["add", SERVICES]);

    // The hermetic HOME would hide the Rust toolchain and cargo's registry cache.
    let real_home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| real_home.join(".cargo"));
    let rustup_home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| real_home.join(".rustup"));
    // Build below where this test binary was built (target/try-repo), so a second run only
    // rebuilds cfgctl. Not in target/ itself: Cargo does not tell the clone pre-commit builds
    // from this checkout, and the clone's build-script output (the template's files, named by
    // their path in the clone, which is then deleted) would be taken for this checkout's.
    let target_dir = cfgctl_path()
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/cfgctl")
        .join("try-repo");
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = run_pre_commit(
        &repo,
        &pre_commit,
        &["try-repo", project.to_str().unwrap(), "--color", "never"],
        &[
            ("CARGO_HOME", &cargo_home),
            ("RUSTUP_HOME", &rustup_home),
            ("CARGO_TARGET_DIR", &target_dir),
        ],
    );
    let output = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 1, "{output}");
    let status_of = |name: &str| {
        output
            .lines()
            .find(|l| l.starts_with(name) && l.contains("..."))
            .unwrap_or_else(|| panic!("no `{name}` line in:\n{output}"))
            .rsplit('.')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(status_of("cfgctl validate"), "Failed", "{output}");
    assert_eq!(status_of("cfgctl secrets check"), "Passed", "{output}");
    assert!(output.contains(TOO_MANY), "{output}");
}

// ---------------------------------------------------------------------------------------------
// cfgctl hooks install / uninstall

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 == 0o111)
}

#[test]
fn installed_pre_commit_hook_blocks_commit_all() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&["hooks", "install"]);
    run.code(0);
    assert_eq!(
        run.stderr,
        "Installed .git/hooks/pre-commit: runs cfgctl validate --staged.\n"
    );
    assert!(is_executable(&repo.path().join(".git/hooks/pre-commit")));
    let again = repo.cfgctl(&["hooks", "install"]);
    again.code(0);
    assert_eq!(
        again.stderr,
        ".git/hooks/pre-commit is installed already.\n"
    );

    break_services(&repo, "");
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);
    repair_services(&repo, "");
    let run = repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"]);
    run.code(0);
    assert_eq!(run.stderr, "", "the hook is silent when all is well");

    let run = repo.cfgctl(&["hooks", "uninstall"]);
    run.code(0);
    assert_eq!(
        run.stderr,
        "Removed .git/hooks/pre-commit.\nNo pre-push hook to remove.\n"
    );
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
}

#[test]
fn install_keeps_someone_elses_hook_unless_told() {
    let repo = TempRepo::from_template();
    let foreign = "#!/bin/sh\necho lint >> .git/lint.log\nexit \"${LINT_EXIT:-0}\"\n";
    write_hook(&repo, ".git/hooks", "pre-commit", foreign);

    let run = repo.cfgctl(&["hooks", "install", "--pre-commit", "--pre-push"]);
    run.code(1);
    assert_eq!(
        run.stderr,
        "blocked: pre-commit hook `.git/hooks/pre-commit` is not cfgctl's: pass --chain to keep it and run it before cfgctl's, or --force to replace it\nNothing was changed.\n"
    );
    assert_eq!(repo.read(".git/hooks/pre-commit"), foreign);
    assert!(
        !repo.path().join(".git/hooks/pre-push").exists(),
        "nothing written"
    );

    // --chain: the hook that was there runs first, then cfgctl.
    let run = repo.cfgctl(&["hooks", "install", "--chain"]);
    run.code(0);
    assert_eq!(
        run.stderr,
        "Installed .git/hooks/pre-commit: runs .git/hooks/pre-commit.before-cfgctl (the hook that was there), then cfgctl validate --staged.\n"
    );
    assert_eq!(repo.read(".git/hooks/pre-commit.before-cfgctl"), foreign);
    break_services(&repo, "");
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);
    assert_eq!(repo.read(".git/lint.log"), "lint\n");
    repair_services(&repo, "");
    repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"])
        .code(0);
    assert_eq!(repo.read(".git/lint.log"), "lint\nlint\n");

    // uninstall puts the old hook back as it was; a second uninstall leaves it alone.
    repo.cfgctl(&["hooks", "uninstall", "--pre-commit"]).code(0);
    assert_eq!(repo.read(".git/hooks/pre-commit"), foreign);
    assert!(is_executable(&repo.path().join(".git/hooks/pre-commit")));
    assert!(
        !repo
            .path()
            .join(".git/hooks/pre-commit.before-cfgctl")
            .exists()
    );
    let run = repo.cfgctl(&["hooks", "uninstall", "--pre-commit"]);
    run.code(0);
    assert_eq!(
        run.stderr,
        ".git/hooks/pre-commit was not written by cfgctl: left as it is.\n"
    );
    assert_eq!(repo.read(".git/hooks/pre-commit"), foreign);

    // --force replaces it.
    let run = repo.cfgctl(&["hooks", "install", "--force"]);
    run.code(0);
    assert!(
        run.stderr.starts_with("Replaced .git/hooks/pre-commit"),
        "{}",
        run.stderr
    );
    assert!(
        repo.read(".git/hooks/pre-commit")
            .contains("# cfgctl-hook: pre-commit")
    );
}

#[test]
fn a_changed_cfgctl_hook_is_neither_overwritten_nor_removed_silently() {
    let repo = TempRepo::from_template();
    repo.cfgctl(&["hooks", "install"]).code(0);
    let hook = ".git/hooks/pre-commit";
    let edited = format!("{}# my own line\n", repo.read(hook));
    repo.write(hook, &edited);

    let run = repo.cfgctl(&["hooks", "install"]);
    run.code(1);
    assert!(
        run.stderr.contains("has changed since: pass --force"),
        "{}",
        run.stderr
    );
    let run = repo.cfgctl(&["hooks", "uninstall"]);
    run.code(1);
    assert!(run.stderr.contains("has changed since"), "{}", run.stderr);
    assert_eq!(repo.read(hook), edited);
    repo.cfgctl(&["hooks", "uninstall", "--force"]).code(0);
    assert!(!repo.path().join(hook).exists());
}

#[test]
fn install_honours_core_hooks_path_and_a_root_below_the_work_tree() {
    // The configuration lives in config/ of a larger repository that keeps hooks in .githooks.
    let repo = TempRepo::new();
    repo.write("README", "app\n").commit("app");
    repo.cfgctl(&["init", "config"]).code(0);
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let run = repo.cfgctl(&["-C", "config", "hooks", "install", "--format", "json"]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["hooks_dir"], ".githooks");
    assert_eq!(doc["core_hooks_path"], ".githooks");
    assert_eq!(doc["hooks"][0]["path"], ".githooks/pre-commit");
    assert_eq!(doc["hooks"][0]["action"], "installed");
    assert!(
        repo.read(".githooks/pre-commit")
            .contains("exec cfgctl -C config validate --staged --quiet\n")
    );

    break_services(&repo, "config/");
    let before = head(&repo, ".");
    let run = repo.git_in(".", &["commit", "-q", "-a", "-m", "scale up"]);
    assert_blocked(&repo, ".", &before, &run, TOO_MANY);
}

#[test]
fn installed_pre_push_hook_checks_the_commits_being_pushed() {
    let repo = TempRepo::from_template();
    repo.git(&["init", "-q", "--bare", ".home/remote.git"]);
    repo.git(&["remote", "add", "origin", ".home/remote.git"]);
    let branch = repo.git(&["symbolic-ref", "--short", "HEAD"]);
    let branch = branch.trim();
    repo.git(&["push", "-q", "origin", branch]);
    repo.cfgctl(&["hooks", "install", "--pre-push"]).code(0);

    // Committed past the pre-commit check, refused on the way out.
    break_services(&repo, "");
    repo.git_in(
        ".",
        &["commit", "-q", "-a", "--no-verify", "-m", "scale up"],
    )
    .code(0);
    let run = repo.git_in(".", &["push", "-q", "origin", branch]);
    assert_ne!(run.code, 0, "pushed:\n{}", run.stderr);
    // Git passes a pre-push hook's standard output through as it is.
    assert!(
        run.stdout.contains(TOO_MANY),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let remote = repo.git(&["ls-remote", "origin", branch]);
    assert!(!remote.starts_with(&head(&repo, ".").trim().to_string()));

    // A new branch is checked whole; a fixed one goes through.
    let run = repo.git_in(".", &["push", "-q", "origin", "HEAD:refs/heads/other"]);
    assert_ne!(run.code, 0);
    repair_services(&repo, "");
    repo.git_in(".", &["commit", "-q", "-a", "-m", "fix"])
        .code(0);
    repo.git_in(".", &["push", "-q", "origin", branch]).code(0);
    // Deleting a remote branch checks nothing.
    repo.git_in(".", &["push", "-q", "origin", "HEAD:refs/heads/gone"])
        .code(0);
    repo.git_in(".", &["push", "-q", "origin", ":refs/heads/gone"])
        .code(0);
}
