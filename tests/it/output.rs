//! The output contract of the read commands: `-q` leaves results, findings and errors only;
//! every accepted option acts; an unknown environment or revision is a usage error that names
//! the environments; each cause of an error is printed once.

use crate::support::TempRepo;

const ENVIRONMENTS_HINT: &str = "hint: environments: development, staging, production\n";

#[test]
fn quiet_read_commands_print_results_and_nothing_else() {
    let repo = TempRepo::from_template();
    let configmap = repo.cfgctl(&["render", "production", "--as", "configmap", "--name", "app"]);
    configmap.code(0);
    repo.write(".home/deployed.yaml", &configmap.stdout);
    let deployed = repo.path().join(".home/deployed.yaml");
    let deployed = deployed.to_str().unwrap();
    repo.cfgctl(&["packs", "release", "prompt-injection", "1.0.0", "--execute"])
        .code(0);
    let with_output: &[&[&str]] = &[
        &["render", "production"],
        &["diff", "staging", "production"],
        &["status"],
        &["log"],
        &["log", "production"],
        &["packs", "list"],
        &["flags", "eval", "new-checkout", "--env", "production"],
        &["flags", "explain", "new-checkout", "--env", "production"],
    ];
    let silent: &[&[&str]] = &[
        &["validate"],
        &["diff", "production", "production"],
        // The release commit changes a pack, no environment's configuration.
        &["diff", "HEAD~1", "HEAD"],
        &["drift", "production", "--against", deployed],
        &["log", "global", "--since", "2030-01-01"],
        &["secrets", "check"],
        &["packs", "validate"],
        &["packs", "verify", "prompt-injection@1.0.0"],
        &["flags", "validate"],
    ];
    for (args, prints) in with_output
        .iter()
        .map(|a| (a, true))
        .chain(silent.iter().map(|a| (a, false)))
    {
        let mut quiet = vec!["-q"];
        quiet.extend_from_slice(args);
        let run = repo.cfgctl_env(&quiet, &[crate::support::TEMPLATE_FRESH]);
        run.code(0);
        assert_eq!(run.stderr, "", "cfgctl {}", quiet.join(" "));
        assert_eq!(
            !run.stdout.is_empty(),
            prints,
            "cfgctl {}\n{}",
            quiet.join(" "),
            run.stdout
        );
    }
}

#[test]
fn quiet_still_prints_findings_and_errors() {
    let repo = TempRepo::from_template();
    // An unresolved reference fails a strict render; the merged result breaks a schema.
    repo.replace(
        "environments/production/services.yaml",
        "replicas: ",
        "replicas: ${GATEWAY_REPLICAS} #",
    );
    let run = repo.cfgctl(&["-q", "render", "production", "--strict"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("error: environments/production/services.yaml:")
            && run
                .stderr
                .contains("unresolved reference `${GATEWAY_REPLICAS}`"),
        "{}",
        run.stderr
    );
    let run = repo.cfgctl(&["-q", "render", "production", "--no-strict"]);
    run.code(1);
    assert!(
        run.stderr.contains("is not of type \"integer\"")
            && run
                .stderr
                .contains("error: the rendered `production` is invalid"),
        "{}",
        run.stderr
    );
    let run = repo.cfgctl_env(&["-q", "validate"], &[crate::support::TEMPLATE_FRESH]);
    run.code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}

#[test]
fn options_that_would_do_nothing_are_not_accepted() {
    let repo = TempRepo::from_template();
    // -v belongs to validate, where it reports timings; elsewhere it is a usage error.
    let run = repo.cfgctl(&["validate", "-v"]);
    run.code(0);
    assert!(
        run.stderr.contains("compared environments in"),
        "{}",
        run.stderr
    );
    for args in [
        &["-v", "status"][..],
        &["status", "-v"],
        &["diff", "staging", "production", "--verbose"],
        &["-q", "validate", "-v"],
        &["validate", "-q", "-v"],
    ] {
        let run = repo.cfgctl(args);
        run.code(2);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // --identity only where something is decrypted, --config only where recipients are chosen.
    for args in [
        &[
            "secrets",
            "keygen",
            "--identity",
            "k.txt",
            "--output",
            "new.txt",
        ][..],
        &[
            "secrets",
            "keygen",
            "--config",
            ".sops.yaml",
            "--output",
            "new.txt",
        ],
        &[
            "secrets",
            "--identity",
            "k.txt",
            "keygen",
            "--output",
            "new.txt",
        ],
        &[
            "secrets",
            "get",
            "environments/production/app.secret.yaml",
            "x",
            "--config",
            ".sops.yaml",
        ],
        &["secrets", "encrypt", "x.yaml", "--identity", "k.txt"],
    ] {
        let run = repo.cfgctl(args);
        run.code(2);
        assert!(
            run.stderr.contains("unexpected argument"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(!repo.path().join("new.txt").exists());
    // --config acts: the rule comes from the file named, not from the nearest .sops.yaml.
    repo.write("plain.yaml", "token: abc\n");
    repo.write(".home/rules.yaml", "creation_rules: []\n");
    let rules = repo.path().join(".home/rules.yaml");
    let run = repo.cfgctl(&[
        "secrets",
        "encrypt",
        "plain.yaml",
        "--config",
        rules.to_str().unwrap(),
    ]);
    run.code(2);
    assert!(
        run.stderr.contains("no creation rule in") && run.stderr.contains("rules.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_environments_and_revisions_are_usage_errors() {
    let repo = TempRepo::from_template();
    for args in [
        &["render", "prodution"][..],
        &["drift", "prodution", "--against", "environments/production"],
        &["log", "prodution"],
        &["diff", "prodution", "staging"],
        &["flags", "eval", "new-checkout", "--env", "prodution"],
        &["flags", "explain", "new-checkout", "--env", "prodution"],
        &["flags", "validate", "--env", "prodution"],
        &["rollback", "--env", "prodution", "--to", "HEAD"],
    ] {
        let run = repo.cfgctl(args);
        run.code(2);
        assert!(
            run.stderr.contains("`prodution`")
                && run.stderr.contains("development, staging, production"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{args:?}");
    }
    let run = repo.cfgctl(&["render", "prodution"]);
    assert_eq!(
        run.stderr,
        format!("error: unknown environment `prodution`\n{ENVIRONMENTS_HINT}")
    );
    for args in [
        &["render", "production", "--at", "nope"][..],
        &["diff", "nope:production", "production"],
        &["diff", "HEAD~5", "HEAD"],
        &["validate", "--changed-since", "nope"],
        &["rollback", "--env", "production", "--to", "nope"],
    ] {
        let run = repo.cfgctl(args);
        run.code(2);
        assert!(run.stderr.contains("hint: "), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
    }
}

#[test]
fn each_cause_of_an_error_is_printed_once() {
    let repo = TempRepo::from_template();
    // search-algo has three variants: no on/off pair to stage.
    let run = repo.cfgctl(&[
        "flags",
        "stage",
        "search-algo",
        "canary",
        "--env",
        "production",
    ]);
    run.code(2);
    let reason = "needs an `on` and an `off` variant";
    assert_eq!(run.stderr.matches(reason).count(), 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "error: flags/production.flags.json: flag `search-algo`: needs an `on` and an `off` variant (named so, or with the values true and false) to be staged"
    );
}
