//! `env list`: the environments in promotion order with what belongs to each.

use crate::support::TempRepo;

#[test]
fn env_list_shows_each_environment_in_promotion_order() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl(&["env", "list"]);
    let out = &run.code(0).stdout;
    let order: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(order, ["1. development", "2. staging", "3. production"]);
    assert!(
        out.contains("  flag file:    flags/staging.flags.json\n"),
        "{out}"
    );
    assert!(out.contains("  packs:        none\n"), "{out}");

    // An activated pack shows under packs, not as a document.
    repo.cfgctl(&["packs", "release", "prompt-injection", "1.0.0", "--execute"])
        .code(0);
    repo.cfgctl(&[
        "packs",
        "activate",
        "staging",
        "prompt-injection@1.0.0",
        "--execute",
    ])
    .code(0);
    let doc = repo
        .cfgctl(&["env", "list", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(doc["command"], "env list");
    let envs = doc["environments"].as_array().unwrap();
    let names: Vec<&str> = envs.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["development", "staging", "production"]);
    let staging = &envs[1];
    assert_eq!(staging["packs"][0]["pack"], "prompt-injection");
    assert_eq!(staging["packs"][0]["version"], "1.0.0");
    assert_eq!(envs[2]["packs"], serde_json::json!([]));
    let documents: Vec<&str> = staging["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(!documents.contains(&"packs.yaml"), "{documents:?}");
    assert!(documents.contains(&"database.yaml"));
    assert_eq!(
        staging["documents"][0]["files"],
        serde_json::json!(["global/database.yaml", "environments/staging/database.yaml"])
    );
    assert_eq!(
        staging["secret_files"],
        serde_json::json!([
            "environments/staging/app.secret.yaml",
            "environments/staging/database.secret.yaml"
        ])
    );
    assert_eq!(staging["flag_file"], "flags/staging.flags.json");
}

/// The template's demo identity for development and staging.
const STAGING_KEY: &str =
    "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV";
/// A key pair for the new environment (age-keygen output).
const QA_KEY: &str = "AGE-SECRET-KEY-1VCQH40KQM8E4LKDWHY3ZT3HH4JXLKLG3WSGTFKSWMNW7P5DL6GCQGAFDGN";
const QA_RECIPIENT: &str = "age1vgq4t8vjwyux4w7p3cuw36jck68du73963ru5slueksl3yvhk3ts5sn43l";
const APPROVAL: &str = "Dana Reyes <dana@example.com>";

#[test]
fn env_add_makes_a_new_environment_in_one_commit() {
    let repo = TempRepo::from_template();
    let toml_before = repo.read("cfgctl.toml");
    let sops_before = repo.read(".sops.yaml");
    let head = repo.git(&["rev-parse", "HEAD"]);
    let staging_key = [("SOPS_AGE_KEY", STAGING_KEY)];
    let add = [
        "env",
        "add",
        "qa",
        "--from",
        "staging",
        "--age",
        QA_RECIPIENT,
        "--approved-by",
        APPROVAL,
    ];

    // A dry run shows the plan and changes nothing.
    let run = repo.cfgctl_env(&add, &staging_key);
    let out = &run.code(0).stdout;
    assert!(
        out.contains("order: development -> staging -> qa -> production"),
        "{out}"
    );
    assert!(
        out.contains("environments/qa/app.secret.yaml  (re-encrypted from environments/staging/app.secret.yaml)"),
        "{out}"
    );
    assert!(run.stderr.contains("Dry run: pass --execute to commit."));
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert!(!repo.path().join("environments/qa").exists());

    // Executed: one commit, recorded as an env-add into qa.
    let mut execute = add.to_vec();
    execute.push("--execute");
    let doc = repo
        .cfgctl_env(
            &[&execute[..], &["--format", "json"]].concat(),
            &staging_key,
        )
        .code(0)
        .json();
    assert_eq!(doc["command"], "env add");
    assert_eq!(doc["executed"], true);
    assert_eq!(
        doc["order"],
        serde_json::json!(["development", "staging", "qa", "production"])
    );
    assert_eq!(doc["recipients"], serde_json::json!([QA_RECIPIENT]));
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), head);
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains("Cfgctl-Action: env-add\nCfgctl-To: qa\n"),
        "{message}"
    );
    assert!(
        message.contains(&format!("Approved-by: {APPROVAL}")),
        "{message}"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    // The git CLI sees every file of staging under qa, and nothing else changed.
    let changed = repo.git(&["diff", "--name-status", "HEAD~1", "HEAD"]);
    let staging_files = repo.git(&["ls-files", "environments/staging"]);
    for file in staging_files.lines() {
        let new = file.replace("environments/staging/", "environments/qa/");
        assert!(
            changed.contains(&format!("A\t{new}\n")),
            "{new} in {changed}"
        );
    }
    assert!(changed.contains("A\tflags/qa.flags.json\n"));
    assert!(changed.contains("M\tcfgctl.toml\n") && changed.contains("M\t.sops.yaml\n"));
    assert_eq!(
        changed.lines().count(),
        staging_files.lines().count() + 3,
        "{changed}"
    );
    // Plain documents are copies, byte for byte.
    for doc in ["database.yaml", "external_apis.json", "monitoring.toml"] {
        assert_eq!(
            repo.read(&format!("environments/qa/{doc}")),
            repo.read(&format!("environments/staging/{doc}"))
        );
    }

    // cfgctl.toml and .sops.yaml are edited in place: one line changed, rule added first.
    let toml = repo.read("cfgctl.toml");
    assert_eq!(
        toml,
        toml_before.replace(
            "environments = [\"development\", \"staging\", \"production\"]",
            "environments = [\"development\", \"staging\", \"qa\", \"production\"]"
        )
    );
    let sops = repo.read(".sops.yaml");
    let rule_at = sops.find("  # qa: added by `cfgctl env add`\n").unwrap();
    assert!(rule_at < sops.find("  # Production").unwrap());
    assert!(sops.contains(&format!("    age: {QA_RECIPIENT}\n")));
    assert_eq!(
        sops.replacen(
            &sops[rule_at..sops[rule_at..].find("\n\n").unwrap() + rule_at + 2],
            "",
            1
        ),
        sops_before
    );

    // The secrets: the new key decrypts the same values; staging's key cannot; the source's
    // ciphertext is not reused.
    let qa_key = [("SOPS_AGE_KEY", QA_KEY)];
    for file in ["app.secret.yaml", "database.secret.yaml"] {
        let qa = repo
            .cfgctl_env(
                &["secrets", "decrypt", &format!("environments/qa/{file}")],
                &qa_key,
            )
            .code(0)
            .stdout
            .clone();
        let staging = repo
            .cfgctl_env(
                &[
                    "secrets",
                    "decrypt",
                    &format!("environments/staging/{file}"),
                ],
                &staging_key,
            )
            .code(0)
            .stdout
            .clone();
        assert_eq!(qa, staging);
        repo.cfgctl_env(
            &["secrets", "decrypt", &format!("environments/qa/{file}")],
            &staging_key,
        )
        .code(2);
        let ciphertexts = |text: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.split_once("ENC[").map(|(_, c)| c.to_string()))
                .collect()
        };
        let (q, s) = (
            ciphertexts(&repo.read(&format!("environments/qa/{file}"))),
            ciphertexts(&repo.read(&format!("environments/staging/{file}"))),
        );
        assert!(!q.is_empty() && q.iter().all(|c| !s.contains(c)));
    }
    // `secrets encrypt` of a new qa file picks the new rule.
    repo.write("environments/qa/extra.secret.yaml", "api_token: t0k\n");
    repo.cfgctl(&[
        "secrets",
        "encrypt",
        "environments/qa/extra.secret.yaml",
        "-i",
    ])
    .code(0);
    assert!(
        repo.read("environments/qa/extra.secret.yaml")
            .contains(QA_RECIPIENT)
    );
    std::fs::remove_file(repo.path().join("environments/qa/extra.secret.yaml")).unwrap();

    // Every flag is off in qa; staging's flags are as they were.
    let flags: serde_json::Value = serde_json::from_str(&repo.read("flags/qa.flags.json")).unwrap();
    for (name, flag) in flags["flags"].as_object().unwrap() {
        assert_eq!(flag["state"], "DISABLED", "{name}");
    }
    assert_eq!(flags["metadata"]["flagSetId"], "qa");
    let eval = |env: &str| {
        repo.cfgctl(&[
            "flags",
            "eval",
            "--all",
            "--env",
            env,
            "--context",
            "targetingKey=u1",
            "--context",
            "email=a@example.com",
            "--format",
            "json",
        ])
        .code(0)
        .json()
    };
    let qa = eval("qa");
    let reasons: Vec<&str> = qa["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert!(
        !reasons.is_empty() && reasons.iter().all(|r| *r == "DISABLED"),
        "{qa}"
    );
    assert!(eval("staging").to_string().contains("TARGETING_MATCH"));

    // The repository validates, qa renders like staging, and `env list` has it third.
    repo.cfgctl(&["validate"]).code(0);
    let render = |env: &str| {
        let doc = repo
            .cfgctl(&["render", env, "--format", "json"])
            .code(0)
            .json();
        doc["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["name"].clone(), d["content"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(render("qa"), render("staging"));
    let list = repo
        .cfgctl(&["env", "list", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(list["environments"][2]["name"], "qa");
    // And promotion goes through it in order.
    let run = repo.cfgctl(&["promote", "staging", "production"]);
    assert!(
        run.stderr.contains("does not come right after"),
        "{}",
        run.stderr
    );
}

#[test]
fn env_add_refuses_what_it_cannot_do_safely() {
    let repo = TempRepo::from_template();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let key = [("SOPS_AGE_KEY", STAGING_KEY)];
    let run = |args: &[&str]| repo.cfgctl_env(args, &key);

    // Usage errors: exit 2, one line naming the problem.
    let e = run(&["env", "add", "staging", "--from", "development"]);
    assert!(
        e.code(2)
            .stderr
            .contains("environment `staging` already exists")
    );
    let e = run(&["env", "add", "q/a", "--from", "staging"]);
    assert!(
        e.code(2)
            .stderr
            .contains("`q/a` is not a valid environment name")
    );
    let e = run(&["env", "add", "qa", "--from", "stagin"]);
    assert!(e.code(2).stderr.contains("unknown environment `stagin`"));
    let e = run(&["env", "add", "qa", "--from", "staging", "--age", "age1nope"]);
    assert!(e.code(2).stderr.contains("age1nope"), "{}", e.stderr);
    // Secrets that cannot be decrypted here are not copied: the error says which and how.
    let e = repo.cfgctl(&["env", "add", "qa", "--from", "production"]);
    assert!(
        e.code(2)
            .stderr
            .contains("environments/production/app.secret.yaml: no identity can unwrap"),
        "{}",
        e.stderr
    );
    // A file already where the new environment's files go.
    repo.write("services/chat/qa/services.yaml", "services: {}\n");
    repo.commit("a stray override");
    let e = run(&["env", "add", "qa", "--from", "staging"]);
    assert!(
        e.code(2)
            .stderr
            .contains("services/chat/qa/services.yaml already exists"),
        "{}",
        e.stderr
    );
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);

    // Policy: cfgctl.toml is every environment's, so production's approval is needed.
    let e = run(&["env", "add", "qa", "--from", "staging", "--execute"]);
    assert!(
        e.code(1)
            .stderr
            .contains("writes into production need 1 approval")
    );
    // Uncommitted work in a file the command writes or copies blocks it.
    repo.replace("cfgctl.toml", "# also the promotion order", "# edited");
    let e = run(&[
        "env",
        "add",
        "qa",
        "--from",
        "staging",
        "--approved-by",
        APPROVAL,
        "--execute",
    ]);
    assert!(
        e.code(1)
            .stderr
            .contains("cfgctl.toml has uncommitted changes")
    );
    repo.git(&["checkout", "cfgctl.toml"]);
    repo.replace("environments/staging/database.yaml", "staging", "stagin");
    let e = run(&[
        "env",
        "add",
        "qa",
        "--from",
        "staging",
        "--approved-by",
        APPROVAL,
        "--execute",
    ]);
    assert!(
        e.code(1)
            .stderr
            .contains("environments/staging/database.yaml has uncommitted changes"),
        "{}",
        e.stderr
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert!(!repo.path().join("environments/qa").exists());
}

#[test]
fn env_add_after_the_last_environment_keeps_production() {
    let repo = TempRepo::from_template();
    let prod_key = [(
        "SOPS_AGE_KEY",
        "AGE-SECRET-KEY-105SMLLQ47CY59W6DD9P25Z0SM6RX07A3S7UWHTSLPRRQNZQKPVPQRV43ZE",
    )];
    let add = [
        "env",
        "add",
        "dr",
        "--from",
        "production",
        "--approved-by",
        APPROVAL,
        "--execute",
    ];
    // Without --age the new environment would share production's key, which the
    // sops-shared-recipient rule refuses: the write is blocked and says why.
    let run = repo.cfgctl_env(&add, &prod_key);
    assert!(
        run.code(1).stderr.contains("give --age to use new keys"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("[sops-shared-recipient]"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("environments/dr").exists());

    repo.cfgctl_env(&[&add[..], &["--age", QA_RECIPIENT]].concat(), &prod_key)
        .code(0);
    let toml = repo.read("cfgctl.toml");
    assert!(toml.contains("environments = [\"development\", \"staging\", \"production\", \"dr\"]"));
    assert!(toml.contains("\nproduction = \"production\"\n"), "{toml}");
    // Production is still production (its hardening schema and policy), and dr validates.
    repo.cfgctl(&["validate"]).code(0);
    let sops = repo.read(".sops.yaml");
    assert!(
        sops.contains("  - path_regex: ^environments/dr/.*\\.secret\\.(yaml|json)$\n"),
        "{sops}"
    );
    repo.cfgctl_env(
        &["secrets", "decrypt", "environments/dr/app.secret.yaml"],
        &[("SOPS_AGE_KEY", QA_KEY)],
    )
    .code(0);
}
