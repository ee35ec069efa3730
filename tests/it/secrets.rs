//! `cfgctl secrets`: files sops wrote decrypt; files cfgctl writes decrypt with independent
//! readers (the age CLI for the data key, a step-by-step decoder written here from the format
//! notes); tampering is caught; edits keep unchanged ciphertext; keys, rules and Git are honoured.

use crate::support::TempRepo;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The sops project's public age test identities (tests/fixtures/sops/keys.txt).
const RECIPIENT_1: &str = "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw";
const RECIPIENT_2: &str = "age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sops")
}

fn keys_file() -> String {
    fixtures().join("keys.txt").display().to_string()
}

/// Only the first fixture identity, for tests that need one key but not the other.
fn first_identity(repo: &TempRepo) -> String {
    let text = std::fs::read_to_string(fixtures().join("keys.txt")).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap();
    repo.write(".keys/one.txt", format!("{line}\n"));
    repo.path().join(".keys/one.txt").display().to_string()
}

const PLAIN: &str = "# Payment service credentials\ndb:\n  user: admin\n  password: s3cr3t-Pw\n  port: 5432\n  ratio: 0.25\napi_token: tok-123\nflags_unencrypted:\n  beta: true\n";

fn repo_with_rules() -> TempRepo {
    let repo = TempRepo::new();
    repo.write(
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: ^prod/.*\\.secret\\.yaml$\n    age: {RECIPIENT_2}\n    encrypted_regex: ^(password|api_token)$\n  - path_regex: \\.secret\\.(yaml|json)$\n    age: {RECIPIENT_1}\n"
        ),
    );
    repo
}

fn env_with_keys() -> Vec<(&'static str, String)> {
    vec![("SOPS_AGE_KEY_FILE", keys_file())]
}

fn run_env(repo: &TempRepo, args: &[&str]) -> crate::support::Run {
    let env = env_with_keys();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    repo.cfgctl_env(args, &env)
}

#[test]
fn decrypts_the_four_files_sops_wrote() {
    let repo = TempRepo::new();
    for name in ["example.yaml", "example.json", "example.ini", "example.txt"] {
        repo.write(name, std::fs::read(fixtures().join(name)).unwrap());
    }
    let yaml = repo.cfgctl(&[
        "secrets",
        "decrypt",
        "--identity",
        &keys_file(),
        "example.yaml",
    ]);
    yaml.code(0);
    assert!(
        yaml.stdout.contains("myapp1: t00m4nys3cr3tzupdated\n"),
        "{}",
        yaml.stdout
    );
    assert!(yaml.stdout.contains("        password: c4r1b0u\n"));
    assert!(
        yaml.stdout
            .contains("# private key for secret operations in app2")
    );
    assert!(!yaml.stdout.contains("sops:"));
    let json = repo.cfgctl(&[
        "secrets",
        "decrypt",
        "--identity",
        &keys_file(),
        "example.json",
    ]);
    json.code(0);
    let doc = json.json();
    assert_eq!(doc["firstName"], "John");
    assert_eq!(doc["age"], 25.4);
    assert_eq!(doc["phoneNumbers"][1]["number"], "646 555-4567");
    let ini = repo.cfgctl(&[
        "secrets",
        "decrypt",
        "--identity",
        &keys_file(),
        "example.ini",
    ]);
    ini.code(0);
    assert!(ini.stdout.contains("streetAddress = 21 2nd Street"));
    let txt = repo.cfgctl(&[
        "secrets",
        "decrypt",
        "--identity",
        &keys_file(),
        "example.txt",
    ]);
    txt.code(0);
    assert!(
        txt.stdout
            .starts_with("Welcome to SOPS!\n\nSOPS is a manager of encrypted files")
    );
    let value = repo.cfgctl(&[
        "secrets",
        "get",
        "--identity",
        &keys_file(),
        "example.yaml",
        "app2.db.user",
    ]);
    assert_eq!(value.code(0).stdout, "eve\n");
}

const MAC_MISMATCH: &str = "MAC mismatch: the file was changed outside sops/cfgctl (a value, its order, or `lastmodified`)";

#[test]
fn tampering_with_a_value_the_mac_or_lastmodified_exits_1_naming_the_file() {
    let repo = TempRepo::new();
    let original = std::fs::read_to_string(fixtures().join("example.yaml")).unwrap();
    let cases = [
        (
            "value",
            "app2.db.password: the value does not decrypt with this file's data key at this key path (tampered, moved or renamed)",
            // Still valid base64 (`+R==` would not be): the ciphertext itself is changed.
            original.replacen("data:DywXZc/D+Q==", "data:DywXZc/E+Q==", 1),
        ),
        (
            "mac",
            MAC_MISMATCH,
            original.replacen(
                "mac: ENC[AES256_GCM,data:dwrq",
                "mac: ENC[AES256_GCM,data:Dwrq",
                1,
            ),
        ),
        (
            "lastmodified",
            MAC_MISMATCH,
            original.replace("2022-03-15T22:11:15Z", "2022-03-15T22:11:16Z"),
        ),
        (
            "clear value",
            MAC_MISMATCH,
            original.replace("going to remain in clear text", "changed in clear text"),
        ),
    ];
    for (what, why, text) in cases {
        assert_ne!(text, original, "{what}: the tampering did not apply");
        repo.write("tampered.yaml", &text);
        let run = repo.cfgctl(&[
            "secrets",
            "decrypt",
            "--identity",
            &keys_file(),
            "tampered.yaml",
        ]);
        run.code(1);
        assert_eq!(
            run.stderr,
            format!("error: tampered.yaml: {why}\n"),
            "{what}"
        );
        assert!(
            run.stdout.is_empty(),
            "{what}: plaintext printed despite tampering"
        );
    }
}

/// What cfgctl wrote, read back by following SOPS-FORMAT.md step by step with nothing of
/// cfgctl's: the age CLI unwraps the data key; AES-256-GCM (32-byte IV) opens each value with
/// its key path as AAD; SHA-512 over the plaintexts in order must equal the decrypted MAC.
#[test]
fn cfgctl_output_decrypts_with_the_age_cli_and_an_independent_decoder() {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use aes_gcm::aes::cipher::consts::U32;
    use base64::Engine;
    use sha2::Digest;

    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    run_env(
        &repo,
        &["secrets", "encrypt", "--in-place", "dev/pay.secret.yaml"],
    )
    .code(0);
    let text = repo.read("dev/pay.secret.yaml");

    // sops 3.13 layout: sorted metadata, mac unquoted, lastmodified quoted, a semver version.
    let meta = &text[text.find("\nsops:\n").expect("a sops block") + 1..];
    let keys: Vec<&str> = meta
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
        .map(|l| l.trim().split(':').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "age",
            "lastmodified",
            "mac",
            "unencrypted_suffix",
            "version"
        ]
    );
    assert!(meta.contains("\n    mac: ENC[AES256_GCM,"));
    assert!(meta.contains("\n    version: 3.13.2\n"));
    assert!(meta.contains("        - enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n"));

    // 1. The age CLI unwraps the data key from the `enc` armor.
    let key = data_key(&repo, "dev/pay.secret.yaml");

    // 2. Every value: the AAD is the mapping keys joined with ':' plus a trailing ':'.
    let cipher = aes_gcm::AesGcm::<aes_gcm::aes::Aes256, U32>::new_from_slice(&key).unwrap();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.decode(s).unwrap();
    let open = |enc: &str, aad: &str| -> Vec<u8> {
        let body = enc
            .strip_prefix("ENC[AES256_GCM,data:")
            .unwrap()
            .strip_suffix(']')
            .unwrap();
        let (data, rest) = body.split_once(",iv:").unwrap();
        let (iv, rest) = rest.split_once(",tag:").unwrap();
        let (tag, _kind) = rest.split_once(",type:").unwrap();
        let mut sealed = b64(data);
        sealed.extend(b64(tag));
        cipher
            .decrypt(
                aes_gcm::Nonce::<U32>::from_slice(&b64(iv)),
                Payload {
                    msg: &sealed,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_else(|_| panic!("value at {aad} does not open"))
    };
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut mac = sha2::Sha512::new();
    let mut decrypted = Vec::new();
    for line in text[..text.find("\nsops:\n").unwrap()].lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let (key, value) = trimmed.split_once(':').unwrap();
        stack.retain(|(i, _)| *i < indent);
        stack.push((indent, key.to_string()));
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let aad: String = stack.iter().map(|(_, k)| format!("{k}:")).collect();
        let bytes = if value.starts_with("ENC[") {
            let plain = open(value, &aad);
            decrypted.push((aad.clone(), String::from_utf8(plain.clone()).unwrap()));
            plain
        } else {
            // Clear values count too; sops writes booleans as True/False.
            match value {
                "true" => b"True".to_vec(),
                "false" => b"False".to_vec(),
                other => other.as_bytes().to_vec(),
            }
        };
        mac.update(&bytes);
    }
    assert_eq!(
        decrypted,
        [
            ("db:user:".to_string(), "admin".to_string()),
            ("db:password:".into(), "s3cr3t-Pw".into()),
            ("db:port:".into(), "5432".into()),
            ("db:ratio:".into(), "0.25".into()),
            ("api_token:".into(), "tok-123".into()),
        ]
    );
    // The top-level comment is encrypted with the root path `:`.
    let comment = text
        .lines()
        .find(|l| l.starts_with("#ENC["))
        .expect("an encrypted comment");
    assert_eq!(open(&comment[1..], ":"), b" Payment service credentials");

    // 3. The MAC: SHA-512 of the plaintexts, uppercase hex, encrypted with AAD = lastmodified.
    let lastmodified = meta
        .lines()
        .find_map(|l| l.trim().strip_prefix("lastmodified: "))
        .unwrap()
        .trim_matches('"');
    let stored = meta
        .lines()
        .find_map(|l| l.trim().strip_prefix("mac: "))
        .unwrap();
    let expected: String = mac.finalize().iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(
        String::from_utf8(open(stored, lastmodified)).unwrap(),
        expected
    );
}

#[test]
fn each_recipient_gets_its_own_enc_that_the_age_cli_unwraps() {
    let repo = TempRepo::new();
    repo.write("two.json", "{\"token\": \"abc\", \"n\": 1}\n");
    repo.cfgctl(&[
        "secrets",
        "encrypt",
        "-i",
        "--age",
        RECIPIENT_1,
        "--age",
        RECIPIENT_2,
        "two.json",
    ])
    .code(0);
    let doc: serde_json::Value = serde_json::from_str(&repo.read("two.json")).unwrap();
    assert!(repo.read("two.json").contains("\"mac\": \"ENC[AES256_GCM,"));
    let entries = doc["sops"]["age"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let mut keys = Vec::new();
    for entry in entries {
        repo.write(".enc.age", entry["enc"].as_str().unwrap());
        let out = Command::new("age")
            .args(["-d", "-i", &keys_file()])
            .arg(repo.path().join(".enc.age"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        keys.push(out.stdout);
    }
    assert_eq!(keys[0], keys[1], "both entries wrap the same data key");
    assert_eq!(keys[0].len(), 32);
}

#[test]
fn rules_pick_recipients_and_what_is_encrypted_by_the_target_path() {
    let repo = repo_with_rules();
    repo.write("prod/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "prod/pay.secret.yaml"]).code(0);
    let text = repo.read("prod/pay.secret.yaml");
    assert!(text.contains(&format!("recipient: {RECIPIENT_2}")));
    assert!(!text.contains(RECIPIENT_1));
    assert!(text.contains("    encrypted_regex: ^(password|api_token)$\n"));
    // Only the keys the rule names are encrypted; the rest is byte-identical.
    assert!(text.starts_with(
        "# Payment service credentials\ndb:\n  user: admin\n  password: ENC[AES256_GCM,"
    ));
    assert!(text.contains("  port: 5432\n  ratio: 0.25\napi_token: ENC["));
    // A file no rule covers, with no --age, is an error that says what to do.
    repo.write("other.yaml", "a: 1\n");
    let run = repo.cfgctl(&["secrets", "encrypt", "other.yaml"]);
    run.code(2);
    assert!(run.stderr.contains("no creation rule"), "{}", run.stderr);
}

#[test]
fn edit_without_change_is_a_no_op_and_one_change_is_a_one_line_diff() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    // Encrypted on one day and edited on another, so `lastmodified` must change.
    let keys = keys_file();
    repo.cfgctl_env(
        &["secrets", "encrypt", "-i", "dev/pay.secret.yaml"],
        &[
            ("SOPS_AGE_KEY_FILE", &keys),
            ("CFGCTL_NOW", "2026-06-01T10:00:00Z"),
        ],
    )
    .code(0);
    repo.commit("add secrets");
    let before = repo.read("dev/pay.secret.yaml");

    repo.cfgctl_env(
        &["secrets", "edit", "dev/pay.secret.yaml"],
        &[("SOPS_AGE_KEY_FILE", &keys), ("EDITOR", "true")],
    )
    .code(0);
    assert_eq!(
        repo.read("dev/pay.secret.yaml"),
        before,
        "an unchanged edit rewrote the file"
    );

    repo.cfgctl_env(
        &["secrets", "edit", "dev/pay.secret.yaml"],
        &[
            ("SOPS_AGE_KEY_FILE", &keys),
            ("EDITOR", "sed -i s/s3cr3t-Pw/n3w-Pw/"),
            ("CFGCTL_NOW", "2030-01-01T00:00:00Z"),
        ],
    )
    .code(0);
    let diff = repo.git(&["diff", "-U0", "--", "dev/pay.secret.yaml"]);
    let changed = crate::support::changed_lines(&diff);
    // The password line, and the metadata that must change: lastmodified and mac.
    assert_eq!(changed.len(), 6, "{diff}");
    assert!(changed.iter().any(|l| l.starts_with("+  password: ENC[")));
    assert_eq!(
        changed
            .iter()
            .filter(|l| l.contains("lastmodified"))
            .count(),
        2
    );
    let got = run_env(
        &repo,
        &["secrets", "get", "dev/pay.secret.yaml", "db.password"],
    );
    assert_eq!(got.code(0).stdout, "n3w-Pw\n");

    // An edit that does not parse is refused and changes nothing; no plaintext is left behind.
    let before = repo.read("dev/pay.secret.yaml");
    let tmp = repo.path().join(".tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let seen = tmp.join("seen");
    let editor = format!(
        "sh -c 'echo \"$0\" > {}; sed -i s/port:.5432/port:.[/ \"$0\"'",
        seen.display()
    );
    let run = repo.cfgctl_env(
        &["secrets", "edit", "dev/pay.secret.yaml"],
        &[
            ("SOPS_AGE_KEY_FILE", &keys),
            ("EDITOR", &editor),
            ("TMPDIR", &tmp.display().to_string()),
        ],
    );
    // The editor ran (in the private directory under TMPDIR) and its result was refused.
    let plaintext = std::fs::read_to_string(&seen).expect("the editor ran");
    let plaintext = Path::new(plaintext.trim());
    assert!(plaintext.starts_with(&tmp), "{}", plaintext.display());
    assert!(
        plaintext.ends_with("pay.secret.yaml"),
        "{}",
        plaintext.display()
    );
    run.code(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "error: the edited file is not valid:\n{}/dev/pay.secret.yaml:6:3: simple key expect ':'\n\
             error: the edited file is not valid; nothing was written; dev/pay.secret.yaml is unchanged\n",
            repo.path().display()
        )
    );
    assert_eq!(repo.read("dev/pay.secret.yaml"), before);
    // Nothing is left under TMPDIR but the editor's note: no file, no directory, and no
    // byte of the secret anywhere.
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            }
            out.push(path);
        }
    }
    let mut left = Vec::new();
    walk(&tmp, &mut left);
    assert_eq!(
        left,
        std::slice::from_ref(&seen),
        "left behind under TMPDIR"
    );
    assert!(!std::fs::read_to_string(&seen).unwrap().contains("s3cr3t"));
}

/// Starts `secrets edit` with an editor that records the plaintext path and its pid, then
/// sleeps; returns the running cfgctl, the path and the editor's pid once the editor runs.
fn edit_with_sleeping_editor(
    repo: &TempRepo,
    tmp: &Path,
) -> (std::process::Child, PathBuf, String) {
    let script = tmp.join("editor.sh");
    let seen = tmp.join("seen");
    let pid = tmp.join("pid");
    for file in [&seen, &pid] {
        let _ = std::fs::remove_file(file);
    }
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$1\" > {seen}.part && mv {seen}.part {seen}\necho $$ > {pid}.part && mv {pid}.part {pid}\nexec sleep 600\n",
            seen = seen.display(),
            pid = pid.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = crate::support::cfgctl_command(repo.path(), &repo.home());
    cmd.args(["secrets", "edit", "dev/pay.secret.yaml"])
        .env("SOPS_AGE_KEY_FILE", keys_file())
        .env("EDITOR", &script)
        .env("TMPDIR", tmp)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    // Wait for the editor (no deadline: cfgctl ending early fails the test instead).
    while !pid.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("cfgctl ended before the editor ran: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let path = PathBuf::from(std::fs::read_to_string(&seen).unwrap().trim());
    let editor = std::fs::read_to_string(&pid).unwrap().trim().to_string();
    (child, path, editor)
}

fn kill(signal: &str, pid: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), pid])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid}");
}

#[test]
fn edit_removes_its_plaintext_when_cfgctl_or_the_editor_gets_a_signal() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "dev/pay.secret.yaml"]).code(0);
    let before = repo.read("dev/pay.secret.yaml");
    let tmp = repo.path().join(".tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    for (signal, to_editor) in [
        ("TERM", false),
        ("HUP", false),
        ("TERM", true),
        ("HUP", true),
        ("INT", true),
    ] {
        let what = format!(
            "SIG{signal} to {}",
            if to_editor { "the editor" } else { "cfgctl" }
        );
        let (mut child, plaintext, editor) = edit_with_sleeping_editor(&repo, &tmp);
        assert!(plaintext.exists(), "{what}: the editor got no file");
        let target = if to_editor {
            editor.clone()
        } else {
            child.id().to_string()
        };
        kill(signal, &target);
        let status = child.wait().unwrap();
        // The editor may outlive cfgctl's grace period only as a stray `sleep`; end it.
        let _ = Command::new("kill")
            .args(["-KILL", &editor])
            .stderr(std::process::Stdio::null())
            .status();
        assert!(!status.success(), "{what}: cfgctl exited with {status}");
        if !to_editor {
            assert_eq!(
                status.code(),
                Some(128 + if signal == "TERM" { 15 } else { 1 }),
                "{what}"
            );
        }
        assert!(!plaintext.exists(), "{what}: the plaintext is still there");
        assert!(
            !plaintext.parent().unwrap().exists(),
            "{what}: the private directory is still there"
        );
        assert_eq!(repo.read("dev/pay.secret.yaml"), before, "{what}");
    }
}

#[test]
fn edit_removes_its_plaintext_directory() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "dev/pay.secret.yaml"]).code(0);
    let tmp = repo.path().join(".tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let keys = keys_file();
    let tmp_text = tmp.display().to_string();
    // The editor records where the plaintext was and that only its owner could read it.
    let editor = format!(
        "sh -c 'stat -c %a \"$(dirname \"$0\")\" \"$0\" > {tmp_text}/seen; echo \"$0\" >> {tmp_text}/seen'"
    );
    repo.cfgctl_env(
        &["secrets", "edit", "dev/pay.secret.yaml"],
        &[
            ("SOPS_AGE_KEY_FILE", &keys),
            ("EDITOR", &editor),
            ("TMPDIR", &tmp_text),
        ],
    )
    .code(0);
    let seen = std::fs::read_to_string(tmp.join("seen")).unwrap();
    let lines: Vec<&str> = seen.lines().collect();
    assert_eq!(&lines[..2], ["700", "600"], "{seen}");
    assert!(
        !Path::new(lines[2]).exists(),
        "the plaintext file is still there"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("seen")]);
}

#[test]
fn decrypt_refuses_to_write_plaintext_into_a_tracked_file() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "dev/pay.secret.yaml"]).code(0);
    repo.commit("secrets");
    let run = run_env(
        &repo,
        &["secrets", "decrypt", "--in-place", "dev/pay.secret.yaml"],
    );
    run.code(2);
    assert!(run.stderr.contains("Git tracks"), "{}", run.stderr);
    assert!(repo.read("dev/pay.secret.yaml").contains("ENC["));
    run_env(
        &repo,
        &[
            "secrets",
            "decrypt",
            "--in-place",
            "--force",
            "dev/pay.secret.yaml",
        ],
    )
    .code(0);
    assert_eq!(repo.read("dev/pay.secret.yaml"), PLAIN);
}

#[test]
fn set_and_get_keep_other_values_and_encrypt_new_keys_by_the_rule() {
    let repo = repo_with_rules();
    repo.write("prod/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "prod/pay.secret.yaml"]).code(0);
    let before = repo.read("prod/pay.secret.yaml");
    let keys = keys_file();
    let run = repo.cfgctl_stdin(
        &[
            "secrets",
            "set",
            "prod/pay.secret.yaml",
            "db.password",
            "--stdin",
        ],
        &[("SOPS_AGE_KEY_FILE", &keys)],
        "from-stdin\n",
    );
    run.code(0);
    run_env(
        &repo,
        &[
            "secrets",
            "set",
            "prod/pay.secret.yaml",
            "api_token",
            "tok-9",
        ],
    )
    .code(0);
    run_env(
        &repo,
        &[
            "secrets",
            "set",
            "prod/pay.secret.yaml",
            "db.host",
            "db.internal",
        ],
    )
    .code(0);
    let after = repo.read("prod/pay.secret.yaml");
    let line = |text: &str, key: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(key))
            .map(str::to_string)
    };
    assert_eq!(line(&after, "user:"), line(&before, "user:"));
    assert_ne!(line(&after, "password:"), line(&before, "password:"));
    // db.host is not named by encrypted_regex, so it stays readable.
    assert!(after.contains("  host: db.internal\n"), "{after}");
    assert_eq!(
        run_env(
            &repo,
            &["secrets", "get", "prod/pay.secret.yaml", "db.password"]
        )
        .code(0)
        .stdout,
        "from-stdin\n"
    );
    let json = run_env(
        &repo,
        &[
            "--format",
            "json",
            "secrets",
            "get",
            "prod/pay.secret.yaml",
            "db.port",
        ],
    );
    assert_eq!(json.code(0).json()["value"], 5432);
}

#[test]
fn keygen_writes_a_private_identity_where_sops_looks_and_never_overwrites() {
    let repo = TempRepo::new();
    let run = repo.cfgctl(&["secrets", "keygen"]);
    run.code(0);
    let recipient = run.stdout.trim().to_string();
    assert!(recipient.starts_with("age1"));
    let path = repo.path().join(".home/.config/sops/age/keys.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(&format!("# public key: {recipient}")));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let again = repo.cfgctl(&["secrets", "keygen"]);
    again.code(2);
    assert!(again.stderr.contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // The key is found at its default place: no variable needed to decrypt.
    repo.write("s.yaml", "token: abc\n");
    repo.cfgctl(&["secrets", "encrypt", "-i", "--age", &recipient, "s.yaml"])
        .code(0);
    assert_eq!(
        repo.cfgctl(&["secrets", "get", "s.yaml", "token"])
            .code(0)
            .stdout,
        "abc\n"
    );
    // The age CLI reads the identity cfgctl wrote.
    let out = Command::new("age-keygen")
        .args(["-y"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), recipient);
}

#[test]
fn a_missing_identity_says_where_it_looked() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "dev/pay.secret.yaml"]).code(0);
    let run = repo.cfgctl(&["secrets", "decrypt", "dev/pay.secret.yaml"]);
    run.code(2);
    assert!(run.stderr.contains(RECIPIENT_1), "{}", run.stderr);
    assert!(run.stderr.contains("SOPS_AGE_KEY (unset)"));
    assert!(run.stderr.contains(".config/sops/age/keys.txt (absent)"));
    assert!(run.stdout.is_empty());
}

#[test]
fn updatekeys_adds_recipients_without_touching_values_and_rotates_when_one_leaves() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "dev/pay.secret.yaml"]).code(0);
    let before = repo.read("dev/pay.secret.yaml");
    let data = |t: &str| t[..t.find("\nsops:\n").unwrap()].to_string();
    repo.replace(
        ".sops.yaml",
        &format!("    age: {RECIPIENT_1}\n"),
        &format!("    age: {RECIPIENT_1},{RECIPIENT_2}\n"),
    );
    let dry = run_env(
        &repo,
        &["--format", "json", "secrets", "updatekeys", "--dry-run"],
    );
    assert_eq!(dry.code(0).json()["files"][0]["action"], "re-wrapped");
    assert_eq!(repo.read("dev/pay.secret.yaml"), before);
    run_env(&repo, &["secrets", "updatekeys"]).code(0);
    let after = repo.read("dev/pay.secret.yaml");
    assert_eq!(data(&after), data(&before), "values changed on a re-wrap");
    assert!(after.contains(RECIPIENT_2));
    // The MAC still verifies, and a lone second identity now opens the file.
    let text = std::fs::read_to_string(fixtures().join("keys.txt")).unwrap();
    let second = text
        .lines()
        .filter(|l| l.starts_with("AGE-SECRET-KEY-"))
        .nth(1)
        .unwrap();
    repo.write(".keys/two.txt", format!("{second}\n"));
    let two = repo.path().join(".keys/two.txt").display().to_string();
    let got = repo.cfgctl(&[
        "secrets",
        "get",
        "--identity",
        &two,
        "dev/pay.secret.yaml",
        "api_token",
    ]);
    assert_eq!(got.code(0).stdout, "tok-123\n");

    // Removing the first recipient rotates the data key: every value is re-encrypted.
    repo.replace(
        ".sops.yaml",
        &format!("    age: {RECIPIENT_1},{RECIPIENT_2}\n"),
        &format!("    age: {RECIPIENT_2}\n"),
    );
    let rotated = run_env(&repo, &["--format", "json", "secrets", "updatekeys"]);
    assert_eq!(rotated.code(0).json()["files"][0]["action"], "rotated");
    let last = repo.read("dev/pay.secret.yaml");
    assert!(!last.contains(RECIPIENT_1));
    assert_ne!(data(&last).lines().nth(3), data(&after).lines().nth(3));
    let one = first_identity(&repo);
    repo.cfgctl(&[
        "secrets",
        "decrypt",
        "--identity",
        &one,
        "dev/pay.secret.yaml",
    ])
    .code(2);
}

#[test]
fn check_finds_unencrypted_files_clear_values_and_plaintext_secrets() {
    let repo = TempRepo::from_template();
    repo.cfgctl(&["secrets", "check"]).code(0);
    repo.write(
        "environments/staging/extra.secret.yaml",
        "extra:\n  token: plain\n",
    );
    repo.replace(
        "environments/staging/app.secret.yaml",
        "        host: smtp.staging.example.com\n",
        "        host: smtp.staging.example.com\n        smtp_password: hunter2\n",
    );
    repo.replace(
        "environments/staging/database.yaml",
        "${SECRET:database.password}",
        "hunter3",
    );
    let run = repo.cfgctl(&["--format", "json", "secrets", "check"]);
    run.code(1);
    let doc = run.json();
    let rules: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        rules.contains(&(
            "environments/staging/extra.secret.yaml".into(),
            "secrets/not-encrypted".into()
        )),
        "{rules:?}"
    );
    assert!(
        rules.contains(&(
            "environments/staging/app.secret.yaml".into(),
            "secrets/clear-value".into()
        )),
        "{rules:?}"
    );
    assert!(
        rules.contains(&(
            "environments/staging/database.yaml".into(),
            "plaintext-secret".into()
        )),
        "{rules:?}"
    );
    assert!(!run.stdout.contains("hunter"), "a secret value was echoed");
}

#[test]
fn check_verifies_macs_when_an_identity_is_available() {
    let repo = TempRepo::from_template();
    let key = (
        "SOPS_AGE_KEY",
        "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV",
    );
    repo.cfgctl_env(&["secrets", "check"], &[key]).code(0);
    // A value moved from one key to another keeps a valid ciphertext but fails its AAD.
    let file = "environments/staging/app.secret.yaml";
    let text = repo.read(file);
    let token = text
        .lines()
        .find(|l| l.trim_start().starts_with("webhook_token:"))
        .unwrap();
    let enc = token.split_once(": ").unwrap().1.to_string();
    let signing = text
        .lines()
        .find(|l| l.trim_start().starts_with("session_signing_key:"))
        .unwrap();
    repo.write(
        file,
        text.replacen(signing, &format!("    session_signing_key: {enc}"), 1),
    );
    let run = repo.cfgctl_env(&["secrets", "check", "--format", "json"], &[key]);
    run.code(1);
    let doc = run.json();
    assert_eq!(
        doc["findings"],
        json!([{
            "file": file,
            "line": 1,
            "column": 1,
            "path": null,
            "rule": "secrets/mac",
            "severity": "error",
            "message": "app.session_signing_key: the value does not decrypt with this file's data key at this key path (tampered, moved or renamed)",
            "schema": null,
        }])
    );
    assert_eq!(doc["summary"]["errors"], 1);
}

#[test]
fn exec_passes_values_as_variables_and_the_exit_code_back() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "dev/pay.secret.yaml"]).code(0);
    let run = run_env(
        &repo,
        &[
            "secrets",
            "exec",
            "dev/pay.secret.yaml",
            "--",
            "sh",
            "-c",
            "echo \"$db_password $api_token\"; exit 7",
        ],
    );
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert_eq!(run.stdout, "s3cr3t-Pw tok-123\n");
}

#[test]
fn encrypt_many_files_in_one_call() {
    let repo = repo_with_rules();
    let names: Vec<String> = (0..30)
        .map(|i| format!("dev/s{i:02}.secret.yaml"))
        .collect();
    for name in &names {
        repo.write(name, format!("token: t-{name}\n"));
    }
    let mut args = vec!["secrets", "encrypt", "--in-place"];
    args.extend(names.iter().map(String::as_str));
    run_env(&repo, &args).code(0);
    for name in &names {
        assert!(repo.read(name).contains("token: ENC[AES256_GCM,"), "{name}");
    }
    run_env(&repo, &["secrets", "check", "dev"]).code(0);
    assert_eq!(
        run_env(&repo, &["secrets", "get", &names[7], "token"])
            .code(0)
            .stdout,
        format!("t-{}\n", names[7])
    );
}

#[test]
fn render_checks_secret_references_and_fills_them_with_reveal() {
    let repo = TempRepo::from_template();
    let plain = repo.cfgctl(&["render", "staging", "database.yaml"]);
    assert!(
        plain
            .code(0)
            .stdout
            .contains("password: ${SECRET:database.password}")
    );
    let key = (
        "SOPS_AGE_KEY",
        "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV",
    );
    let revealed = repo.cfgctl_env(&["render", "staging", "database.yaml", "--reveal"], &[key]);
    assert!(
        revealed
            .code(0)
            .stdout
            .contains("password: stg-Vh3n9Lw2pXc8rT5m"),
        "{}",
        revealed.stdout
    );
    // Production's key is not the staging one: a clear error, nothing printed.
    let refused = repo.cfgctl_env(
        &["render", "production", "database.yaml", "--reveal"],
        &[key],
    );
    refused.code(2);
    assert!(refused.stdout.is_empty());
    assert!(
        refused
            .stderr
            .contains("environments/production/database.secret.yaml"),
        "{}",
        refused.stderr
    );
    // A reference to a key no secret file has fails the render.
    repo.replace(
        "environments/staging/database.yaml",
        "${SECRET:database.password}",
        "${SECRET:database.passwd}",
    );
    let missing = repo.cfgctl(&["render", "staging", "database.yaml"]);
    missing.code(1);
    assert!(
        missing.stderr.contains("database.passwd"),
        "{}",
        missing.stderr
    );
}

#[test]
fn validate_checks_the_structure_of_encrypted_files() {
    let repo = TempRepo::from_template();
    repo.write(
        "cfgctl.toml",
        format!(
            "{}\n[[schema]]\nfiles = [\"environments/*/app.secret.yaml\"]\nschema = \"schemas/app-secrets.schema.json\"\n",
            repo.read("cfgctl.toml")
        ),
    );
    repo.write(
        "schemas/app-secrets.schema.json",
        r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["app"], "additionalProperties": false,
            "properties": {"app": {"type": "object", "required": ["session_signing_key", "webhook_token"], "additionalProperties": false,
              "properties": {"session_signing_key": {"type": "string", "minLength": 64}, "webhook_token": {"type": "string", "pattern": "^whk_"},
                "smtp": {"type": "object"}}}}}"#,
    );
    // minLength and pattern cannot be judged on ciphertext; structure can.
    repo.cfgctl(&["validate"]).code(0);
    repo.replace(
        "environments/staging/app.secret.yaml",
        "    webhook_token:",
        "    webhook_tokn:",
    );
    let run = repo.cfgctl(&["--format", "json", "validate"]);
    run.code(1);
    let findings = run.json()["findings"].clone();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "environments/staging/app.secret.yaml"
                && f["rule"].as_str().unwrap().starts_with("schema/")),
        "{findings}"
    );
}

#[test]
fn promote_re_encrypts_secret_files_for_the_target() {
    let repo = TempRepo::from_template();
    let key = (
        "SOPS_AGE_KEY",
        "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV",
    );
    // A new secret file in development, promoted to staging.
    repo.write(
        "environments/development/queue.secret.yaml",
        "queue:\n  url: amqp://queue\n  password: q-dev-1\n",
    );
    repo.cfgctl_env(
        &[
            "secrets",
            "encrypt",
            "-i",
            "environments/development/queue.secret.yaml",
        ],
        &[key],
    )
    .code(0);
    repo.commit("queue credentials");
    let plan = repo.cfgctl_env(&["promote", "development", "staging"], &[key]);
    assert!(
        plan.code(0).stdout.contains("queue.secret.yaml"),
        "{}",
        plan.stdout
    );
    assert!(
        !plan.stdout.contains("q-dev-1"),
        "the plan printed a secret value"
    );
    repo.cfgctl_env(&["promote", "development", "staging", "--execute"], &[key])
        .code(0);
    let source = repo.read("environments/development/queue.secret.yaml");
    let target = repo.read("environments/staging/queue.secret.yaml");
    let enc_of = |t: &str| {
        t.lines()
            .find(|l| l.contains("password:"))
            .unwrap()
            .to_string()
    };
    assert_ne!(
        enc_of(&source),
        enc_of(&target),
        "the source ciphertext was copied"
    );
    let got = repo.cfgctl_env(
        &[
            "secrets",
            "get",
            "environments/staging/queue.secret.yaml",
            "queue.password",
        ],
        &[key],
    );
    assert_eq!(got.code(0).stdout, "q-dev-1\n");
    // Pinned credentials of the target stay as they were.
    let pw = repo.cfgctl_env(
        &[
            "secrets",
            "get",
            "environments/staging/database.secret.yaml",
            "database.password",
        ],
        &[key],
    );
    assert_eq!(pw.code(0).stdout, "stg-Vh3n9Lw2pXc8rT5m\n");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

/// A file that a crash left in cfgctl's temporary folder of the Git directory.
const DEAD_PID: u32 = 4_194_305;

#[test]
fn writes_leave_no_temporary_file_in_the_work_tree_and_clean_up_after_crashes() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN);
    repo.commit("plain secrets");
    let stale = repo
        .path()
        .join(format!(".git/cfgctl/tmp/{DEAD_PID}-crashed.tmp"));
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, "password: left by a crash\n").unwrap();
    run_env(&repo, &["secrets", "encrypt", "-i", "dev/pay.secret.yaml"]).code(0);
    assert!(!stale.exists(), "a crashed run's plaintext was kept");
    run_env(&repo, &["secrets", "rotate"]).code(0);
    run_env(
        &repo,
        &["secrets", "decrypt", "-i", "--force", "dev/pay.secret.yaml"],
    )
    .code(0);
    assert_eq!(repo.read("dev/pay.secret.yaml"), PLAIN);
    // Nothing but the edited file differs, ignored files included.
    let status = repo.git(&[
        "status",
        "--porcelain",
        "--ignored",
        "--untracked-files=all",
    ]);
    assert_eq!(status, "", "{status}");
    let tmp: Vec<_> = std::fs::read_dir(stale.parent().unwrap())
        .unwrap()
        .collect();
    assert!(tmp.is_empty(), "{tmp:?}");
}

#[test]
fn nothing_is_written_through_a_symbolic_link() {
    let repo = repo_with_rules();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("dev")).unwrap();
    std::fs::write(outside.path().join("dev/pay.secret.yaml"), PLAIN).unwrap();
    std::fs::write(outside.path().join("one.secret.yaml"), PLAIN).unwrap();
    // A directory of the repository that is a link out of it, and a file that is one.
    std::os::unix::fs::symlink(outside.path().join("dev"), repo.path().join("dev")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("one.secret.yaml"),
        repo.path().join("one.secret.yaml"),
    )
    .unwrap();
    for file in ["dev/pay.secret.yaml", "one.secret.yaml"] {
        let run = run_env(&repo, &["secrets", "encrypt", "-i", file]);
        run.code(2);
        assert!(
            run.stderr.contains("symbolic link"),
            "{file}: {}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(outside.path().join("dev/pay.secret.yaml")).unwrap(),
        PLAIN
    );
    assert_eq!(
        std::fs::read_to_string(outside.path().join("one.secret.yaml")).unwrap(),
        PLAIN
    );
    assert!(
        std::fs::symlink_metadata(repo.path().join("one.secret.yaml"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced"
    );
}

/// Runs `validate --format json` and returns (rule, file, line) of every finding.
fn findings(repo: &TempRepo) -> Vec<(String, String, u64)> {
    let run = repo.cfgctl_env(
        &["--format", "json", "validate"],
        &[crate::support::TEMPLATE_FRESH],
    );
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

const PROD_KEY: &str = "age1xfx0jv5duqx7074xmms0nh9kxjvhzups9f0440nqulavsfe2td9sw2d9mk";
const DEV_KEY: &str = "age1nfln7l7mtn2d2wqqfm0luhwsz3jd2p8ga8sh69u7gxgajym54enq6mkamw";

#[test]
fn a_misspelt_sops_yaml_key_is_an_error_with_its_position() {
    let repo = TempRepo::from_template();
    repo.cfgctl(&["validate"]).code(0);
    // `path_regx` used to be ignored: the rule then matched every path, and production
    // secrets were encrypted for the development key.
    repo.write(
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regx: ^environments/development/\n    age: {DEV_KEY}\n  - path_regex: ^environments/production/\n    age: {PROD_KEY}\n"
        ),
    );
    repo.write("environments/production/new.secret.yaml", "token: t0k\n");
    let run = repo.cfgctl(&[
        "secrets",
        "encrypt",
        "-i",
        "environments/production/new.secret.yaml",
    ]);
    run.code(2);
    assert!(
        run.stderr.contains(".sops.yaml:2:5: unknown key `path_regx` in creation rule 1 (did you mean `path_regex`?)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        repo.read("environments/production/new.secret.yaml"),
        "token: t0k\n"
    );
    let found = findings(&repo);
    assert!(
        found.contains(&("parse".into(), ".sops.yaml".into(), 2)),
        "{found:?}"
    );
}

#[test]
fn validate_reports_sops_rules_that_shadow_share_keys_or_encrypt_nothing() {
    let repo = TempRepo::from_template();
    let template = repo.read(".sops.yaml");
    // A catch-all first: every later rule is dead, and production shares the key.
    repo.write(
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: .*\n    age: {DEV_KEY}\n  - path_regex: ^environments/production/\n    age: {PROD_KEY}\n"
        ),
    );
    let found = findings(&repo);
    assert!(
        found.contains(&("sops-shadowed-rule".into(), ".sops.yaml".into(), 2)),
        "{found:?}"
    );
    assert!(
        found.contains(&("sops-shared-recipient".into(), ".sops.yaml".into(), 2)),
        "{found:?}"
    );
    // The general secret rule before the production one: the production rule is dead.
    repo.write(
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: \\.secret\\.(yaml|json)$\n    age: {DEV_KEY}\n  - path_regex: ^environments/production/.*\\.secret\\.(yaml|json)$\n    age: {PROD_KEY}\n"
        ),
    );
    let found = findings(&repo);
    assert!(
        found.contains(&("sops-shadowed-rule".into(), ".sops.yaml".into(), 4)),
        "{found:?}"
    );
    assert!(
        found.contains(&("sops-shared-recipient".into(), ".sops.yaml".into(), 2)),
        "{found:?}"
    );
    // Production and staging in one rule share its recipient.
    repo.write(
        ".sops.yaml",
        template.replace(
            "^environments/production/.*",
            "^environments/(production|staging)/.*",
        ),
    );
    let found = findings(&repo);
    assert!(
        found
            .iter()
            .any(|(rule, file, _)| rule == "sops-shared-recipient" && file == ".sops.yaml"),
        "{found:?}"
    );
    // An encrypted_regex that matches no key of a file it governs: its password stays clear.
    repo.write(".sops.yaml", &template);
    repo.write(
        "environments/staging/cache.secret.yaml",
        "cache:\n  pass: hunter2\n",
    );
    let run = repo.cfgctl(&["--format", "json", "validate"]);
    run.code(1);
    let text = run.stdout.clone();
    let found = findings(&repo);
    assert!(
        found.contains(&(
            "sops-encrypts-nothing".into(),
            "environments/staging/cache.secret.yaml".into(),
            2
        )),
        "{found:?}"
    );
    // ...and it is a secret file without sops metadata: plaintext.
    assert!(
        found.contains(&(
            "secret-not-encrypted".into(),
            "environments/staging/cache.secret.yaml".into(),
            2
        )),
        "{found:?}"
    );
    assert!(!text.contains("hunter2"), "a secret value was echoed");
}

#[test]
fn validate_reports_a_decrypted_secret_file() {
    let repo = TempRepo::from_template();
    let key = (
        "SOPS_AGE_KEY",
        "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV",
    );
    repo.cfgctl_env(
        &[
            "secrets",
            "decrypt",
            "-i",
            "--force",
            "environments/staging/app.secret.yaml",
        ],
        &[key],
    )
    .code(0);
    let found = findings(&repo);
    assert_eq!(
        found,
        [(
            "secret-not-encrypted".to_string(),
            "environments/staging/app.secret.yaml".to_string(),
            8
        )]
    );
}

#[test]
fn parse_errors_in_secret_files_give_the_position_never_the_token() {
    let repo = TempRepo::from_template();
    repo.write(
        "environments/staging/broken.secret.json",
        "{\n  \"password\": hunter2secret\n}\n",
    );
    let run = repo.cfgctl(&[
        "secrets",
        "encrypt",
        "-i",
        "environments/staging/broken.secret.json",
    ]);
    run.code(2);
    assert!(run.stderr.contains(":2:15:"), "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    let run = repo.cfgctl(&["--format", "json", "validate"]);
    run.code(1);
    assert!(run.stdout.contains("broken.secret.json"), "{}", run.stdout);
    assert!(!run.stdout.contains("hunter2"), "{}", run.stdout);
    // A value given to `set --json` is a secret too.
    let key = (
        "SOPS_AGE_KEY",
        "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV",
    );
    let run = repo.cfgctl_env(
        &[
            "secrets",
            "set",
            "--json",
            "environments/staging/app.secret.yaml",
            "app.webhook_token",
            "{\"t\": tok3nvalue}",
        ],
        &[key],
    );
    run.code(2);
    assert!(!run.stderr.contains("tok3n"), "{}", run.stderr);
}

#[test]
fn encrypting_refuses_what_decrypting_would_refuse() {
    let repo = repo_with_rules();
    // A duplicate key: decrypt (and every YAML reader) would refuse the file.
    let duplicated = "db:\n  password: one\n  password: two\n";
    repo.write("dev/dup.secret.yaml", duplicated);
    let run = run_env(&repo, &["secrets", "encrypt", "-i", "dev/dup.secret.yaml"]);
    run.code(2);
    assert!(
        run.stderr.contains("duplicate key `password`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(":3:3:"), "{}", run.stderr);
    assert_eq!(repo.read("dev/dup.secret.yaml"), duplicated);
    // Under the 10 MiB read limit in clear, over it once encrypted (base64 grows it by 4/3).
    let big = format!("blob: {}\n", "x".repeat(8_500_000));
    repo.write("dev/big.secret.yaml", &big);
    let run = run_env(&repo, &["secrets", "encrypt", "-i", "dev/big.secret.yaml"]);
    run.code(2);
    assert!(
        run.stderr.contains("over the 10485760 bytes"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read("dev/big.secret.yaml").len(), big.len());
}

#[test]
fn concurrent_sets_of_one_file_both_land() {
    for round in 0..4 {
        let repo = repo_with_rules();
        repo.write("prod/pay.secret.yaml", PLAIN);
        run_env(&repo, &["secrets", "encrypt", "-i", "prod/pay.secret.yaml"]).code(0);
        repo.commit("secrets");
        let keys = keys_file();
        let env = [("SOPS_AGE_KEY_FILE", keys.as_str())];
        let a = repo.spawn(
            &[
                "secrets",
                "set",
                "prod/pay.secret.yaml",
                "db.password",
                "first-value",
            ],
            &env,
        );
        let b = repo.spawn(
            &[
                "secrets",
                "set",
                "prod/pay.secret.yaml",
                "api_token",
                "second-value",
            ],
            &env,
        );
        let (a, b) = (TempRepo::wait(a), TempRepo::wait(b));
        a.code(0);
        b.code(0);
        for (key, value) in [
            ("db.password", "first-value"),
            ("api_token", "second-value"),
        ] {
            let got = run_env(&repo, &["secrets", "get", "prod/pay.secret.yaml", key]);
            got.code(0);
            assert_eq!(got.stdout.trim(), value, "round {round}: {key} was lost");
        }
    }
}

#[test]
fn an_edit_refuses_to_overwrite_a_change_made_while_the_editor_was_open() {
    let repo = repo_with_rules();
    repo.write("prod/pay.secret.yaml", PLAIN);
    run_env(&repo, &["secrets", "encrypt", "-i", "prod/pay.secret.yaml"]).code(0);
    repo.commit("secrets");
    let keys = keys_file();
    // The "editor" changes the plaintext and, meanwhile, another cfgctl sets a value in the
    // encrypted file itself.
    let editor = repo.path().join(".git/editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nsed -i s/s3cr3t-Pw/from-editor/ \"$1\"\n\"{}\" -C \"{}\" secrets set prod/pay.secret.yaml api_token from-elsewhere\n",
            crate::support::cfgctl_path().display(),
            repo.path().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let run = repo.cfgctl_env(
        &["secrets", "edit", "prod/pay.secret.yaml"],
        &[
            ("SOPS_AGE_KEY_FILE", &keys),
            ("EDITOR", &editor.display().to_string()),
        ],
    );
    run.code(2);
    assert!(
        run.stderr.contains("changed since it was read"),
        "{}",
        run.stderr
    );
    let token = run_env(
        &repo,
        &["secrets", "get", "prod/pay.secret.yaml", "api_token"],
    );
    assert_eq!(token.stdout.trim(), "from-elsewhere");
}

// ---------------------------------------------------------------------------------------------
// Hygiene: list, check --max-age, unset, set and unset --commit

const STAGING_KEY: &str =
    "AGE-SECRET-KEY-1LLC4VJ3MMVVM4RGPX43P32FHWXH5PVALZDTS97VFL6G8A26752KQ4ZRPGV";
const PRODUCTION_KEY: &str =
    "AGE-SECRET-KEY-105SMLLQ47CY59W6DD9P25Z0SM6RX07A3S7UWHTSLPRRQNZQKPVPQRV43ZE";

fn with_demo_keys(repo: &TempRepo, args: &[&str]) -> crate::support::Run {
    let keys = format!("{STAGING_KEY}\n{PRODUCTION_KEY}");
    repo.cfgctl_env(args, &[("SOPS_AGE_KEY", &keys)])
}

#[test]
fn list_shows_files_recipients_counts_and_age() {
    let repo = TempRepo::from_template();
    let run = repo.cfgctl_env(
        &["secrets", "list", "--format", "json"],
        &[("CFGCTL_NOW", "2026-12-01T00:00:00Z")],
    );
    run.code(0);
    let doc = run.json();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 6, "{doc}");
    let db = files
        .iter()
        .find(|f| f["file"] == "environments/staging/database.secret.yaml")
        .unwrap();
    assert_eq!(
        db["recipients"],
        serde_json::json!(["age1nfln7l7mtn2d2wqqfm0luhwsz3jd2p8ga8sh69u7gxgajym54enq6mkamw"])
    );
    assert_eq!(db["encrypted"], 1);
    assert_eq!(db["lastmodified"], "2026-11-22T04:26:10Z");
    assert_eq!(db["age_days"], 8);

    let human = repo.cfgctl(&["secrets", "list", "environments/staging"]);
    human.code(0);
    assert!(
        human
            .stdout
            .contains("environments/staging/app.secret.yaml")
    );
    assert!(!human.stdout.contains("production"));
}

#[test]
fn check_max_age_reports_files_written_too_long_ago() {
    let repo = TempRepo::from_template();
    let later = [("CFGCTL_NOW", "2027-06-01T00:00:00Z")];
    let run = repo.cfgctl_env(
        &[
            "secrets",
            "check",
            "environments",
            "--max-age",
            "90d",
            "--format",
            "json",
        ],
        &later,
    );
    run.code(1);
    let doc = run.json();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 6, "{doc}");
    assert!(findings.iter().all(|f| f["rule"] == "secrets/max-age"));
    let staging = findings
        .iter()
        .find(|f| f["file"] == "environments/staging/database.secret.yaml")
        .unwrap();
    assert!(
        staging["message"]
            .as_str()
            .unwrap()
            .contains("190 days ago (2026-11-22T04:26:10Z), longer than --max-age 90d"),
        "{staging}"
    );
    repo.cfgctl_env(
        &["secrets", "check", "environments", "--max-age", "1y"],
        &later,
    )
    .code(0);
    let bad = repo.cfgctl(&["secrets", "check", "--max-age", "90 days"]);
    bad.code(2);
    assert!(
        bad.stderr.contains("the unit must be h, d, w or y"),
        "{}",
        bad.stderr
    );
}

#[test]
fn unset_removes_a_value_in_place_and_set_creates_parents() {
    let repo = TempRepo::from_template();
    let file = "environments/staging/database.secret.yaml";
    with_demo_keys(
        &repo,
        &["secrets", "set", file, "replica.auth.password", "r-Pa55"],
    )
    .code(0);
    let run = with_demo_keys(&repo, &["secrets", "get", file, "replica.auth.password"]);
    run.code(0);
    assert_eq!(run.stdout, "r-Pa55\n");
    assert!(!repo.read(file).contains("r-Pa55"));
    let before = repo.read(file);

    let run = with_demo_keys(&repo, &["secrets", "unset", file, "database.password"]);
    run.code(0);
    assert!(
        run.stderr.contains("unset database.password"),
        "{}",
        run.stderr
    );
    let after = with_demo_keys(&repo, &["secrets", "decrypt", file]);
    after.code(0);
    assert!(
        !after.stdout.contains("database:\n    password"),
        "{}",
        after.stdout
    );
    // The other value keeps its ciphertext; the MAC is new and verifies.
    let line = |text: &str| {
        text.lines()
            .rfind(|l| l.contains("password: ENC"))
            .unwrap()
            .to_string()
    };
    assert_eq!(line(&repo.read(file)), line(&before));
    with_demo_keys(&repo, &["secrets", "check", file]).code(0);

    let again = with_demo_keys(&repo, &["secrets", "unset", file, "database.password"]);
    again.code(0);
    assert!(
        again.stderr.contains("is not there; nothing to do"),
        "{}",
        again.stderr
    );
}

#[test]
fn set_and_unset_commit_through_the_write_pipeline_and_policy() {
    let repo = TempRepo::from_template();
    let staging = "environments/staging/database.secret.yaml";
    let run = with_demo_keys(
        &repo,
        &[
            "secrets",
            "set",
            staging,
            "database.password",
            "n3w-Pa55",
            "--commit",
        ],
    );
    run.code(0);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with(&format!("secrets set: database.password in {staging}\n")),
        "{message}"
    );
    assert!(message.contains("Cfgctl-Action: set"), "{message}");
    assert!(
        message.contains("Cfgctl-Key: database.password"),
        "{message}"
    );
    assert!(!message.contains("n3w-Pa55"));
    let run = with_demo_keys(&repo, &["secrets", "get", staging, "database.password"]);
    assert_eq!(run.stdout, "n3w-Pa55\n");

    // Production's policy wants an approval: refused, nothing changed.
    let production = "environments/production/database.secret.yaml";
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = with_demo_keys(
        &repo,
        &[
            "secrets",
            "unset",
            production,
            "database.password",
            "--commit",
        ],
    );
    run.code(1);
    assert!(run.stderr.contains("blocked:"), "{}", run.stderr);
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    let run = with_demo_keys(
        &repo,
        &[
            "secrets",
            "unset",
            production,
            "database.password",
            "--commit",
            "--approved-by",
            "Dana Reyes <dana@example.com>",
            "--format",
            "json",
        ],
    );
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["command"], "secrets unset");
    assert_eq!(doc["changed"], true);
    assert!(
        repo.git(&["log", "-1", "--format=%B"])
            .contains("Approved-by: Dana Reyes")
    );
}

/// The data key of an encrypted file with one age recipient, unwrapped by the age CLI.
fn data_key(repo: &TempRepo, file: &str) -> Vec<u8> {
    let text = repo.read(file);
    let armor: String = text
        .lines()
        .skip_while(|l| !l.contains("-----BEGIN AGE ENCRYPTED FILE-----"))
        .take_while(|l| !l.trim().starts_with("recipient:"))
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    repo.write(".key.age", &armor);
    let out = Command::new("age")
        .args(["--decrypt", "--identity", &keys_file()])
        .arg(repo.path().join(".key.age"))
        .output()
        .expect("the age CLI is installed (scripts/test.sh installs Debian's age)");
    std::fs::remove_file(repo.path().join(".key.age")).unwrap();
    assert!(
        out.status.success(),
        "age: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout.len(), 32);
    out.stdout
}

/// The `ENC[…]` values of an encrypted YAML file, in order.
fn ciphertexts(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_once(": ENC[").map(|(_, v)| v.to_string()))
        .filter(|v| !v.contains("type:comment"))
        .collect()
}

#[test]
fn rotate_gives_a_new_data_key_and_new_ciphertexts_for_the_same_values() {
    let repo = repo_with_rules();
    repo.write("dev/pay.secret.yaml", PLAIN)
        .write("dev/other.secret.yaml", "token: untouched\n");
    for file in ["dev/pay.secret.yaml", "dev/other.secret.yaml"] {
        run_env(&repo, &["secrets", "encrypt", "-i", file]).code(0);
    }
    repo.commit("secrets");
    let before = repo.read("dev/pay.secret.yaml");
    let other = repo.read("dev/other.secret.yaml");
    let key = data_key(&repo, "dev/pay.secret.yaml");
    let plain = run_env(&repo, &["secrets", "decrypt", "dev/pay.secret.yaml"]);
    plain.code(0);
    let report = |dry_run: bool| {
        json!({
            "version": 1,
            "command": "secrets rotate",
            "dry_run": dry_run,
            "files": [{"file": "dev/pay.secret.yaml", "added": [], "removed": [], "action": "rotated"}],
        })
    };

    // A dry run says what it would do and writes nothing.
    let dry = run_env(
        &repo,
        &[
            "secrets",
            "rotate",
            "--dry-run",
            "--format",
            "json",
            "dev/pay.secret.yaml",
        ],
    );
    dry.code(0);
    assert_eq!(dry.json(), report(true));
    assert_eq!(repo.read("dev/pay.secret.yaml"), before);

    let run = run_env(
        &repo,
        &[
            "secrets",
            "rotate",
            "--format",
            "json",
            "dev/pay.secret.yaml",
        ],
    );
    run.code(0);
    assert_eq!(run.json(), report(false));
    let after = repo.read("dev/pay.secret.yaml");
    // A new data key (the age CLI unwraps it), every value encrypted again...
    assert_ne!(data_key(&repo, "dev/pay.secret.yaml"), key);
    let (old, new) = (ciphertexts(&before), ciphertexts(&after));
    assert_eq!(old.len(), new.len());
    assert!(!old.is_empty());
    for (o, n) in old.iter().zip(&new) {
        assert_ne!(o, n, "a value kept its ciphertext");
    }
    // ...to the same values, under a MAC that verifies; the clear parts are as they were.
    let again = run_env(&repo, &["secrets", "decrypt", "dev/pay.secret.yaml"]);
    assert_eq!(again.code(0).stdout, plain.stdout);
    run_env(&repo, &["secrets", "check", "dev/pay.secret.yaml"]).code(0);
    assert!(
        after.contains("flags_unencrypted:\n  beta: true\n"),
        "{after}"
    );
    // Only the file named was rotated.
    assert_eq!(repo.read("dev/other.secret.yaml"), other);
}

#[test]
fn encrypt_and_decrypt_output_write_where_they_are_told_and_nowhere_else() {
    let repo = repo_with_rules();
    repo.write("plain.yaml", PLAIN);
    // -o names the encrypted file; its path picks the creation rule (dev/: all values).
    let run = run_env(
        &repo,
        &[
            "secrets",
            "encrypt",
            "plain.yaml",
            "-o",
            "dev/out.secret.yaml",
        ],
    );
    run.code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(repo.read("plain.yaml"), PLAIN, "the source was changed");
    let sealed = repo.read("dev/out.secret.yaml");
    assert!(!sealed.contains("s3cr3t-Pw") && !sealed.contains("tok-123"));
    assert!(
        sealed.contains(&format!("recipient: {RECIPIENT_1}")),
        "{sealed}"
    );
    // Under prod/ the other rule applies: its recipient, and only password and api_token.
    run_env(
        &repo,
        &[
            "secrets",
            "encrypt",
            "plain.yaml",
            "--output",
            "prod/out.secret.yaml",
        ],
    )
    .code(0);
    let prod = repo.read("prod/out.secret.yaml");
    assert!(
        prod.contains(&format!("recipient: {RECIPIENT_2}")),
        "{prod}"
    );
    assert!(prod.contains("\n  user: admin\n"), "{prod}");
    // A path no rule covers is refused, and nothing is written.
    let run = run_env(
        &repo,
        &["secrets", "encrypt", "plain.yaml", "-o", "elsewhere.yaml"],
    );
    run.code(2);
    assert!(
        run.stderr.starts_with("error: no creation rule in "),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("elsewhere.yaml").exists());

    // decrypt -o writes the plaintext to the file (owner-only) and nothing to stdout.
    let out = repo.path().join(".home/back.yaml");
    let run = run_env(
        &repo,
        &[
            "secrets",
            "decrypt",
            "dev/out.secret.yaml",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    run.code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!("decrypted dev/out.secret.yaml into {}\n", out.display())
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), PLAIN);
    // A relative destination is named as given.
    let run = run_env(
        &repo,
        &[
            "secrets",
            "decrypt",
            "dev/out.secret.yaml",
            "-o",
            ".home/again.yaml",
        ],
    );
    run.code(0);
    assert_eq!(
        run.stderr,
        "decrypted dev/out.secret.yaml into .home/again.yaml\n"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(repo.read("dev/out.secret.yaml"), sealed);
}
