//! `cfgctl init`: the embedded template, written and committed.

use crate::support::{Run, TempRepo};

#[test]
fn init_writes_the_template_and_commits_it() {
    let dir = TempRepo::bare_dir();
    let run = dir.cfgctl(&["init", "demo", "--format", "json"]);
    run.code(0);
    let doc = run.json();
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for expected in [
        "cfgctl.toml",
        ".sops.yaml",
        ".pre-commit-config.yaml",
        "environments/production/database.yaml",
    ] {
        assert!(files.contains(&expected), "{expected} in {files:?}");
    }
    // git, an independent reader, sees one commit holding exactly those files and a clean tree.
    let git = |args: &[&str]| dir.git_in("demo", args).code(0).stdout.clone();
    assert_eq!(git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(
        git(&["rev-parse", "HEAD"]).trim(),
        doc["commit"].as_str().unwrap()
    );
    let mut tracked: Vec<String> = git(&["ls-files"]).lines().map(str::to_string).collect();
    tracked.sort();
    let mut expected: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    expected.sort();
    assert_eq!(tracked, expected);
    assert_eq!(git(&["status", "--porcelain"]), "");
    assert_eq!(
        git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        "Test Author <author@example.com>"
    );
    git(&["fsck", "--strict"]);
}

#[test]
fn init_refuses_to_overwrite_unless_forced() {
    let dir = TempRepo::bare_dir();
    dir.write("demo/cfgctl.toml", "# mine\n");
    let run = dir.cfgctl(&["init", "demo"]);
    run.code(2);
    assert!(
        run.stderr.contains("refusing to overwrite") && run.stderr.contains("cfgctl.toml"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
    assert_eq!(dir.read("demo/cfgctl.toml"), "# mine\n");
    dir.cfgctl(&["init", "demo", "--force"]).code(0);
    assert_ne!(dir.read("demo/cfgctl.toml"), "# mine\n");
}

#[test]
fn init_inside_an_existing_repository_commits_only_the_template() {
    let repo = TempRepo::new();
    repo.write("notes.txt", "work in progress\n");
    repo.cfgctl(&["init", "config"]).code(0);
    let committed = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        committed.lines().all(|p| p.starts_with("config/")),
        "{committed}"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]).trim(), "?? notes.txt");
    repo.cfgctl(&["-C", "config", "validate"]).code(0);
}

#[test]
fn init_works_without_a_git_identity() {
    let dir = TempRepo::bare_dir();
    // No user.name or user.email anywhere (the hermetic run has no global config), and no
    // GIT_AUTHOR_NAME or GIT_AUTHOR_EMAIL: the template commit falls back to cfgctl's own name,
    // still dated by GIT_AUTHOR_DATE (2026-01-01) as git would date it.
    let mut cmd = crate::support::cfgctl_command(dir.path(), &dir.home());
    let run = Run::from(
        cmd.env_remove("GIT_AUTHOR_NAME")
            .env_remove("GIT_AUTHOR_EMAIL")
            .args(["init", "other", "--format", "json"])
            .output()
            .unwrap(),
    );
    run.code(0);
    let commit = run.json()["commit"].as_str().unwrap().to_string();
    assert_eq!(
        dir.git_in(
            "other",
            &["log", "-1", "--format=%H|%an <%ae>|%at|%cn <%ce>|%ct"]
        )
        .code(0)
        .stdout,
        format!(
            "{commit}|cfgctl <cfgctl@localhost>|1767225600|cfgctl <cfgctl@localhost>|1767225600\n"
        )
    );
    assert_eq!(
        dir.git_in("other", &["status", "--porcelain"])
            .code(0)
            .stdout,
        ""
    );
}

#[test]
fn init_no_commit_writes_the_files_and_no_repository() {
    let dir = TempRepo::bare_dir();
    let run = dir.cfgctl(&["init", "demo", "--no-commit", "--format", "json"]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["commit"], serde_json::Value::Null, "{doc:#}");
    let files = doc["files"].as_array().unwrap();
    assert!(!files.is_empty());
    for file in files {
        let file = file.as_str().unwrap();
        assert!(
            dir.path().join("demo").join(file).is_file(),
            "{file} was not written"
        );
    }
    // No Git repository: not in demo, and none was started in the directory around it.
    assert!(!dir.path().join("demo/.git").exists());
    assert!(!dir.path().join(".git").exists());
    // The files are the template all the same: with a repository around them they validate.
    dir.git_in("demo", &["init", "-q", "-b", "main"]).code(0);
    dir.cfgctl_env(
        &["-C", "demo", "validate"],
        &[crate::support::TEMPLATE_FRESH],
    )
    .code(0);
}
