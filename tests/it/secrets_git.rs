//! Encrypted files in Git: `secrets git-setup`, the merge driver and the textconv,
//! driven through the git CLI. Two branches that set different values of one file merge; the
//! real sops (when installed, see tests/it/sops.rs) decrypts the result and verifies its MAC;
//! the same value set on both branches is a conflict that leaves no plaintext anywhere.

use crate::sops::{keys_file, sops, sops_ok, workspace};
use crate::support::{Run, TempRepo};
use serde_json::{Value as Json, json};

const FILE: &str = "app.secret.yaml";

/// Runs git with the test key (or without any key).
fn git(repo: &TempRepo, args: &[&str], with_key: bool) -> Run {
    let mut cmd = crate::support::git_command(repo.path(), &repo.home());
    if with_key {
        cmd.env("SOPS_AGE_KEY_FILE", keys_file());
    }
    Run::from(cmd.args(args).output().expect("running git"))
}

fn with_key(repo: &TempRepo, args: &[&str]) -> Run {
    repo.cfgctl_env(
        args,
        &[("SOPS_AGE_KEY_FILE", keys_file().to_str().unwrap())],
    )
}

/// A repository with one encrypted file, committed, and git-setup run and committed.
fn setup() -> TempRepo {
    let repo = workspace("");
    repo.write(
        "plain.yaml",
        "# the database\ndb:\n  user: app\n  password: base-password\napi:\n  token: base-token\n",
    );
    let sealed = with_key(&repo, &["secrets", "encrypt", "plain.yaml"]);
    sealed.code(0);
    repo.write(FILE, &sealed.stdout);
    std::fs::remove_file(repo.path().join("plain.yaml")).unwrap();
    repo.cfgctl(&["secrets", "git-setup"]).code(0);
    repo.commit("an encrypted file");
    repo
}

fn set(repo: &TempRepo, key: &str, value: &str) {
    with_key(repo, &["secrets", "set", FILE, key, value]).code(0);
    repo.commit(&format!("set {key}"));
}

fn decrypted(repo: &TempRepo) -> Json {
    let run = with_key(repo, &["secrets", "decrypt", FILE]);
    run.code(0);
    let doc = cfgctl::document::parse(
        run.stdout.as_bytes(),
        cfgctl::document::Format::Yaml,
        &Default::default(),
    )
    .unwrap();
    doc.roots[0].to_json()
}

#[test]
fn git_setup_writes_attributes_and_config_once() {
    let repo = workspace("");
    repo.write("legacy/creds.yaml", "a: 1\n");
    let sealed = with_key(&repo, &["secrets", "encrypt", "legacy/creds.yaml"]);
    repo.write("legacy/creds.yaml", &sealed.stdout);
    repo.write(".gitattributes", "*.png binary\n");

    let run = repo.cfgctl(&["secrets", "git-setup", "--dry-run", "--format", "json"]);
    run.code(0);
    let plan = run.json();
    assert_eq!(plan["dry_run"], json!(true));
    assert_eq!(
        plan["gitattributes"]["added"],
        json!([
            "*.secret.* merge=cfgctl-secrets diff=cfgctl-secrets",
            "/legacy/creds.yaml merge=cfgctl-secrets diff=cfgctl-secrets"
        ])
    );
    assert_eq!(repo.read(".gitattributes"), "*.png binary\n");

    repo.cfgctl(&["secrets", "git-setup"]).code(0);
    assert!(
        repo.read(".gitattributes")
            .starts_with("*.png binary\n\n# Encrypted files")
    );
    assert_eq!(
        repo.git(&["config", "--local", "merge.cfgctl-secrets.driver"]),
        "cfgctl secrets merge-driver %O %A %B %P\n"
    );
    assert_eq!(
        repo.git(&["config", "--local", "diff.cfgctl-secrets.textconv"]),
        "cfgctl secrets textconv\n"
    );
    assert_eq!(
        repo.git(&["check-attr", "merge", "diff", "--", "legacy/creds.yaml"]),
        "legacy/creds.yaml: merge: cfgctl-secrets\nlegacy/creds.yaml: diff: cfgctl-secrets\n"
    );

    // The second run has nothing to do.
    let before = repo.read(".gitattributes");
    let run = repo.cfgctl(&["secrets", "git-setup", "--format", "json"]);
    run.code(0);
    assert_eq!(run.json()["gitattributes"]["added"], json!([]));
    assert!(
        run.json()["git_config"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["action"] == "unchanged")
    );
    assert_eq!(repo.read(".gitattributes"), before);
}

#[test]
fn different_keys_on_two_branches_merge() {
    let repo = setup();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    set(&repo, "db.password", "feature-password");
    repo.git(&["checkout", "-q", "main"]);
    set(&repo, "api.token", "main-token");

    let merge = git(&repo, &["merge", "--no-edit", "feature"], true);
    merge.code(0);
    let values = decrypted(&repo);
    assert_eq!(values["db"]["password"], json!("feature-password"));
    assert_eq!(values["api"]["token"], json!("main-token"));
    assert_eq!(values["db"]["user"], json!("app"));
    // Ours' comment and layout are kept.
    assert!(
        with_key(&repo, &["secrets", "decrypt", FILE])
            .stdout
            .starts_with("# the database\ndb:\n")
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    // The real sops decrypts the result and verifies its MAC.
    if let Some(sops) = sops() {
        let out = sops_ok(&repo, &sops, &["decrypt", "--output-type", "json", FILE]);
        let out: Json = serde_json::from_str(&out).unwrap();
        assert_eq!(out["db"]["password"], json!("feature-password"));
        assert_eq!(out["api"]["token"], json!("main-token"));
    }
}

#[test]
fn unchanged_values_keep_their_ciphertext_through_a_merge() {
    let repo = setup();
    let line = |repo: &TempRepo, key: &str| {
        repo.read(FILE)
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap()
            .to_string()
    };
    let user = line(&repo, "user:");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    set(&repo, "db.password", "feature-password");
    let feature_password = line(&repo, "password:");
    repo.git(&["checkout", "-q", "main"]);
    set(&repo, "api.token", "main-token");
    let main_token = line(&repo, "token:");
    git(&repo, &["merge", "--no-edit", "feature"], true).code(0);
    assert_eq!(line(&repo, "user:"), user);
    assert_eq!(line(&repo, "password:"), feature_password);
    assert_eq!(line(&repo, "token:"), main_token);
}

#[test]
fn the_same_key_on_both_branches_conflicts_without_plaintext() {
    let repo = setup();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    set(&repo, "db.password", "theirs-Pa55word");
    set(&repo, "api.token", "theirs-token");
    repo.git(&["checkout", "-q", "main"]);
    set(&repo, "db.password", "ours-Pa55word");

    let merge = git(&repo, &["merge", "--no-edit", "feature"], true);
    assert_ne!(merge.code, 0, "{}{}", merge.stdout, merge.stderr);
    assert!(
        merge
            .stdout
            .contains(&format!("CONFLICT (content): Merge conflict in {FILE}")),
        "{}",
        merge.stdout
    );
    assert!(
        merge.stderr.contains("`db.password` changed on both sides"),
        "{}",
        merge.stderr
    );
    assert!(
        repo.git(&["diff", "--name-only", "--diff-filter=U"])
            .contains(FILE)
    );

    // The file in the working tree still decrypts: ours' value kept, theirs' other change in.
    let values = decrypted(&repo);
    assert_eq!(values["db"]["password"], json!("ours-Pa55word"));
    assert_eq!(values["api"]["token"], json!("theirs-token"));
    if let Some(sops) = sops() {
        sops_ok(&repo, &sops, &["decrypt", FILE]);
    }

    // No plaintext in the working tree, in .git's files, nor in any Git object.
    let mut everything = Vec::new();
    for entry in walk(repo.path()) {
        everything.extend(std::fs::read(entry).unwrap_or_default());
    }
    let objects = git(
        &repo,
        &["cat-file", "--batch-all-objects", "--batch"],
        false,
    );
    everything.extend(objects.stdout.as_bytes());
    let everything = String::from_utf8_lossy(&everything);
    for plain in [
        "theirs-Pa55word",
        "ours-Pa55word",
        "base-password",
        "theirs-token",
    ] {
        assert!(!everything.contains(plain), "`{plain}` is on disk");
    }

    // Resolving: set the value, add, commit.
    with_key(&repo, &["secrets", "set", FILE, "db.password", "resolved"]).code(0);
    repo.git(&["add", FILE]);
    repo.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(decrypted(&repo)["db"]["password"], json!("resolved"));
}

#[test]
fn without_an_identity_the_conflict_is_gits_and_ours_is_untouched() {
    let repo = setup();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    set(&repo, "db.password", "feature-password");
    repo.git(&["checkout", "-q", "main"]);
    set(&repo, "api.token", "main-token");
    let ours = repo.read(FILE);

    let merge = git(&repo, &["merge", "--no-edit", "feature"], false);
    assert_ne!(merge.code, 0);
    assert!(
        merge.stderr.contains("no identity can unwrap the data key"),
        "{}",
        merge.stderr
    );
    assert!(
        merge.stderr.contains("ours is unchanged"),
        "{}",
        merge.stderr
    );
    assert_eq!(repo.read(FILE), ours);
}

#[test]
fn git_diff_shows_values_to_key_holders_and_masks_them_for_others() {
    let repo = setup();
    set(&repo, "db.password", "new-password");

    let diff = git(&repo, &["diff", "HEAD~1", "--", FILE], true);
    diff.code(0);
    assert!(
        diff.stdout.contains("-  password: base-password"),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout.contains("+  password: new-password"),
        "{}",
        diff.stdout
    );
    assert!(!diff.stdout.contains("lastmodified"), "{}", diff.stdout);
    // One value changed: one line each way.
    assert_eq!(
        diff.stdout
            .lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .count(),
        1
    );

    let log = git(&repo, &["log", "-p", "-1", "--format=", "--", FILE], true);
    assert!(
        log.stdout.contains("+  password: new-password"),
        "{}",
        log.stdout
    );

    let masked = git(&repo, &["diff", "HEAD~1", "--", FILE], false);
    masked.code(0);
    assert!(!masked.stdout.contains("new-password"));
    assert!(
        masked.stdout.contains("+  password: ENC[str,masked:"),
        "{}",
        masked.stdout
    );
    assert_eq!(
        masked
            .stdout
            .lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .count(),
        1
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn files_encrypted_on_no_side_get_gits_line_merge() {
    let repo = setup();
    repo.write("todo.secret.yaml", "a: 1\nb: 2\nc: 3\nd: 4\n");
    repo.commit("a file not encrypted yet");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.replace("todo.secret.yaml", "a: 1", "a: 10");
    repo.commit("a");
    repo.git(&["checkout", "-q", "main"]);
    repo.replace("todo.secret.yaml", "d: 4", "d: 40");
    repo.commit("d");
    git(&repo, &["merge", "--no-edit", "feature"], false).code(0);
    assert_eq!(repo.read("todo.secret.yaml"), "a: 10\nb: 2\nc: 3\nd: 40\n");
}

#[test]
fn dotenv_files_merge_by_key() {
    let repo = workspace("");
    repo.write("plain.env", "# app\nA=1\nB=2\n");
    let sealed = with_key(&repo, &["secrets", "encrypt", "plain.env"]);
    repo.write("app.secret.env", &sealed.stdout);
    std::fs::remove_file(repo.path().join("plain.env")).unwrap();
    repo.cfgctl(&["secrets", "git-setup"]).code(0);
    repo.commit("an encrypted .env file");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    with_key(&repo, &["secrets", "set", "app.secret.env", "A", "theirs"]).code(0);
    repo.commit("A");
    repo.git(&["checkout", "-q", "main"]);
    with_key(&repo, &["secrets", "set", "app.secret.env", "C", "ours"]).code(0);
    repo.commit("C");
    git(&repo, &["merge", "--no-edit", "feature"], true).code(0);
    let out = with_key(&repo, &["secrets", "decrypt", "app.secret.env"]);
    assert_eq!(out.stdout, "# app\nA=theirs\nB=2\nC=ours\n");
    if let Some(sops) = sops() {
        assert_eq!(
            sops_ok(&repo, &sops, &["decrypt", "app.secret.env"]),
            "# app\nA=theirs\nB=2\nC=ours\n"
        );
    }
}
