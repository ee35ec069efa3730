//! The command-line contract: help, version, generated completions and man pages.

use crate::support::TempRepo;
use std::path::Path;

const SHELLS: [(&str, &str); 5] = [
    ("bash", "cfgctl.bash"),
    ("zsh", "_cfgctl"),
    ("fish", "cfgctl.fish"),
    ("powershell", "_cfgctl.ps1"),
    ("elvish", "cfgctl.elv"),
];

/// Set CFGCTL_BLESS=1 to rewrite the checked-in copies after changing the command line.
fn bless() -> bool {
    std::env::var_os("CFGCTL_BLESS").is_some()
}

#[test]
fn checked_in_completions_are_current() {
    let repo = TempRepo::bare_dir();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in SHELLS {
        let run = repo.cfgctl(&["completions", shell]);
        run.code(0);
        assert!(
            run.stdout.contains("validate"),
            "{shell} completion mentions subcommands"
        );
        let path = dir.join(file);
        if bless() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &run.stdout).unwrap();
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == run.stdout,
            "completions/{file} is stale: run `CFGCTL_BLESS=1 cargo test --test it cli::` and commit the result"
        );
    }
}

#[test]
fn checked_in_man_pages_are_current() {
    let repo = TempRepo::bare_dir();
    let out = repo.path().join("man-out");
    repo.cfgctl(&["man", "--output-dir", out.to_str().unwrap()])
        .code(0);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut generated: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    generated.sort();
    assert!(
        generated.contains(&"cfgctl.1".to_string())
            && generated.contains(&"cfgctl-validate.1".to_string())
    );
    if bless() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for name in &generated {
            std::fs::copy(out.join(name), dir.join(name)).unwrap();
        }
    }
    let mut checked_in: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    checked_in.sort();
    assert_eq!(
        checked_in, generated,
        "man/ has other pages than `cfgctl man` generates"
    );
    for name in &generated {
        assert!(
            std::fs::read(out.join(name)).unwrap() == std::fs::read(dir.join(name)).unwrap(),
            "man/{name} is stale: run `CFGCTL_BLESS=1 cargo test --test it cli::` and commit the result"
        );
    }
    // Without --output-dir the main page goes to stdout.
    let run = repo.cfgctl(&["man"]);
    run.code(0);
    assert!(
        run.stdout.starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        &run.stdout[..80.min(run.stdout.len())]
    );
}

#[test]
fn help_and_version() {
    let repo = TempRepo::bare_dir();
    let run = repo.cfgctl(&["--help"]);
    run.code(0);
    assert!(run.stdout.contains("Exit status:"));
    for command in ["init", "validate", "completions", "man"] {
        assert!(run.stdout.contains(command), "{command} in --help");
    }
    let run = repo.cfgctl(&["--version"]);
    run.code(0);
    assert_eq!(
        run.stdout.trim(),
        format!("cfgctl {}", env!("CARGO_PKG_VERSION"))
    );
    repo.cfgctl(&[]).code(2);
    repo.cfgctl(&["no-such-command"]).code(2);
    repo.cfgctl(&["completions", "tcsh"]).code(2);
}

#[test]
fn formats_a_command_cannot_print_are_usage_errors() {
    let repo = TempRepo::bare_dir();
    let run = repo.cfgctl(&["init", "x", "--format", "junit"]);
    run.code(2);
    assert!(
        run.stderr.contains("`init` cannot print --format junit"),
        "{}",
        run.stderr
    );
    assert!(
        !repo.path().join("x").exists(),
        "nothing written on a usage error"
    );
}
