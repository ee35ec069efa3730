//! Writes are transactions: a locked index leaves everything as it was, concurrent writers
//! queue instead of losing each other's updates, and a write killed part-way is completed or
//! rolled back by the next run.

use crate::support::{Run, TempRepo};

fn head(repo: &TempRepo) -> String {
    repo.git(&["rev-parse", "HEAD"]).trim().to_string()
}

fn clean(repo: &TempRepo) {
    let status = repo.git(&["status", "--porcelain"]);
    assert!(
        status.trim().is_empty(),
        "git status is not clean:\n{status}"
    );
}

#[test]
fn a_locked_index_leaves_head_index_and_files_where_they_were() {
    let repo = TempRepo::from_template();
    let before = head(&repo);
    let file = "environments/staging/services.yaml";
    let text = repo.read(file);
    std::fs::write(repo.path().join(".git/index.lock"), "").unwrap();
    let run = repo.cfgctl(&["promote", "development", "staging", "--execute"]);
    run.code(2);
    assert!(run.stderr.contains("index is locked"), "{}", run.stderr);
    std::fs::remove_file(repo.path().join(".git/index.lock")).unwrap();
    assert_eq!(head(&repo), before);
    assert_eq!(repo.read(file), text);
    clean(&repo);
    // The same promotion then goes through, and git agrees with what was written.
    repo.cfgctl(&["promote", "development", "staging", "--execute"])
        .code(0);
    assert_ne!(head(&repo), before);
    clean(&repo);
}

#[test]
fn concurrent_flag_stages_both_land() {
    for round in 0..4 {
        let repo = TempRepo::from_template();
        let a = repo.spawn(
            &[
                "flags",
                "stage",
                "new-checkout",
                "full",
                "--env",
                "staging",
                "--execute",
            ],
            &[],
        );
        let b = repo.spawn(
            &[
                "flags",
                "stage",
                "dark-mode",
                "full",
                "--env",
                "staging",
                "--execute",
            ],
            &[],
        );
        let (a, b) = (TempRepo::wait(a), TempRepo::wait(b));
        a.code(0);
        b.code(0);
        let file = repo.git(&["show", "HEAD:flags/staging.flags.json"]);
        let flags: serde_json::Value = serde_json::from_str(&file).unwrap();
        for flag in ["new-checkout", "dark-mode"] {
            assert_eq!(
                flags["flags"][flag]["metadata"]["stage"], "full",
                "round {round}: {flag} was lost\n{}\n{}",
                a.stderr, b.stderr
            );
        }
        assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "3");
        clean(&repo);
    }
}

#[test]
fn two_identical_promotions_commit_once() {
    let repo = TempRepo::from_template();
    let before = head(&repo);
    let args = ["promote", "development", "staging", "--execute"];
    let (a, b) = (repo.spawn(&args, &[]), repo.spawn(&args, &[]));
    let runs: Vec<Run> = vec![TempRepo::wait(a), TempRepo::wait(b)];
    for run in &runs {
        run.code(0);
    }
    assert_eq!(
        repo.git(&["rev-list", "--count", &format!("{before}..HEAD")])
            .trim(),
        "1"
    );
    assert!(
        runs.iter().any(|r| r
            .stderr
            .contains("Nothing to promote: staging already matches development")),
        "{}\n{}",
        runs[0].stderr,
        runs[1].stderr
    );
    clean(&repo);
}

#[test]
fn a_second_writer_names_the_holder_when_it_gives_up() {
    let repo = TempRepo::from_template();
    // Hold the lock from this process, as another cfgctl would (a killed one holds nothing:
    // the kernel releases the lock with the process).
    let lock_path = repo.path().join(".git/cfgctl/lock");
    std::fs::create_dir_all(lock_path.parent().unwrap()).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(
        &lock_path,
        "pid 4242, `promote a b`, since 2026-06-01T10:00:00Z",
    )
    .unwrap();
    let run = repo.cfgctl_env(
        &[
            "flags",
            "stage",
            "dark-mode",
            "full",
            "--env",
            "staging",
            "--execute",
        ],
        &[("CFGCTL_LOCK_WAIT", "0.2")],
    );
    run.code(2);
    assert!(
        run.stderr
            .contains("another cfgctl is writing to this repository (pid 4242, `promote a b`"),
        "{}",
        run.stderr
    );
    // A dry run needs no lock.
    repo.cfgctl(&["flags", "stage", "dark-mode", "full", "--env", "staging"])
        .code(0);
    drop(lock);
    repo.cfgctl(&[
        "flags",
        "stage",
        "dark-mode",
        "full",
        "--env",
        "staging",
        "--execute",
    ])
    .code(0);
}

#[test]
fn a_write_killed_before_the_branch_moves_is_rolled_back() {
    let repo = TempRepo::from_template();
    let before = head(&repo);
    let flags = repo.read("flags/staging.flags.json");
    let run = repo.cfgctl_env(
        &[
            "flags",
            "stage",
            "dark-mode",
            "full",
            "--env",
            "staging",
            "--execute",
        ],
        &[("CFGCTL_FAILPOINT", "files")],
    );
    assert_ne!(run.code, 0);
    // Killed after the files and index were written: the branch did not move.
    assert_eq!(head(&repo), before);
    assert_ne!(repo.read("flags/staging.flags.json"), flags);
    // The next writer puts the files back before it plans.
    let next = repo.cfgctl(&["packs", "release", "prompt-injection", "1.0.0", "--execute"]);
    next.code(0);
    assert!(
        next.stderr.contains("rolled back an interrupted write"),
        "{}",
        next.stderr
    );
    assert_eq!(
        repo.git(&["show", "HEAD:flags/staging.flags.json"]),
        flags,
        "the killed stage must not land"
    );
    assert_eq!(repo.read("flags/staging.flags.json"), flags);
    clean(&repo);
}

#[test]
fn a_write_killed_after_the_branch_moved_is_completed() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl_env(
        &[
            "flags",
            "stage",
            "dark-mode",
            "full",
            "--env",
            "staging",
            "--execute",
        ],
        &[("CFGCTL_FAILPOINT", "ref")],
    );
    assert_ne!(run.code, 0);
    let moved = head(&repo);
    assert!(
        repo.git(&["show", "HEAD:flags/staging.flags.json"])
            .contains(r#""stage": "full""#)
    );
    let next = repo.cfgctl(&[
        "flags",
        "stage",
        "new-checkout",
        "full",
        "--env",
        "staging",
        "--execute",
    ]);
    next.code(0);
    assert!(
        next.stderr.contains("completed an interrupted write"),
        "{}",
        next.stderr
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]).trim(), moved);
    clean(&repo);
}

#[test]
fn a_release_killed_between_tag_and_branch_leaves_neither() {
    let repo = TempRepo::from_template();
    let before = head(&repo);
    let run = repo.cfgctl_env(
        &["packs", "release", "prompt-injection", "1.0.0", "--execute"],
        &[("CFGCTL_FAILPOINT", "tag")],
    );
    assert_ne!(run.code, 0);
    // Even a dry run settles it first, so its plan is not made on half a release.
    let next = repo.cfgctl(&["flags", "stage", "dark-mode", "full", "--env", "staging"]);
    next.code(0);
    assert!(
        next.stderr.contains("rolled back an interrupted write"),
        "{}",
        next.stderr
    );
    repo.cfgctl(&[
        "flags",
        "stage",
        "dark-mode",
        "full",
        "--env",
        "staging",
        "--execute",
    ])
    .code(0);
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]).trim(), before);
    assert_eq!(
        repo.git(&["tag", "--list"]).trim(),
        "",
        "the tag must go with its commit"
    );
    clean(&repo);
    // Released again, commit and tag land together.
    repo.cfgctl(&["packs", "release", "prompt-injection", "1.0.0", "--execute"])
        .code(0);
    let tagged = repo.git(&["rev-list", "-n", "1", "packs/prompt-injection/v1.0.0"]);
    assert_eq!(tagged.trim(), head(&repo));
}

#[test]
fn a_committed_link_is_never_written_through() {
    let repo = TempRepo::from_template();
    repo.cfgctl(&["packs", "release", "prompt-injection", "1.0.0", "--execute"])
        .code(0);
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("packs.yaml");
    std::fs::write(&target, "active: []\n").unwrap();
    std::os::unix::fs::symlink(&target, repo.path().join("environments/staging/packs.yaml"))
        .unwrap();
    repo.commit("a link to elsewhere");
    let before = head(&repo);
    let run = repo.cfgctl(&[
        "packs",
        "activate",
        "staging",
        "prompt-injection@1.0.0",
        "--execute",
    ]);
    run.code(2);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "active: []\n");
    assert_eq!(head(&repo), before);
}
