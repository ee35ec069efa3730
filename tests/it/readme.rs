//! README.md examples are executed: every ```console block runs, in order, in one temporary
//! directory, with `cfgctl` on PATH.
//!
//! A line starting with `$ ` is a command (run by bash); the lines after it, up to the next
//! command, are its expected stdout followed by its stderr. `[..]` inside a line matches any
//! text, a line `...` matches any number of lines, and `[exit: N]` gives the expected exit
//! code (default 0).

use crate::support::{TEMPLATE_FRESH, hermetic};
use std::process::Command;

struct Step {
    command: String,
    expected: Vec<String>,
    exit: i32,
}

fn steps(markdown: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut in_block = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_block = line.trim() == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_string(),
                expected: Vec::new(),
                exit: 0,
            });
        } else if let Some(step) = steps.last_mut() {
            match line
                .strip_prefix("[exit: ")
                .and_then(|l| l.strip_suffix(']'))
            {
                Some(code) => step.exit = code.parse().expect("exit code"),
                None => step.expected.push(line.to_string()),
            }
        }
    }
    steps
}

fn line_matches(pattern: &str, actual: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == actual;
    }
    let mut rest = actual;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(at) = rest.find(part) else {
                return false;
            };
            rest = &rest[at + part.len()..];
        }
    }
    true
}

fn lines_match(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            !actual.is_empty() && line_matches(first, actual[0]) && lines_match(rest, &actual[1..])
        }
    }
}

#[test]
fn readme_examples_run_as_documented() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let steps = steps(&readme);
    assert!(steps.len() >= 4, "README.md has console examples");
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join(".home");
    std::fs::create_dir_all(&home).unwrap();
    for step in steps {
        let mut cmd = Command::new("bash");
        hermetic(&mut cmd, &home);
        // The hermetic environment puts the built cfgctl first on PATH. The tour shows the
        // template clean: its flags have not expired yet.
        let out = cmd
            .env(TEMPLATE_FRESH.0, TEMPLATE_FRESH.1)
            .args(["-c", &step.command])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let text = text.replace(&dir.path().display().to_string(), "/tmp/example");
        let actual: Vec<&str> = text.lines().collect();
        assert!(
            lines_match(&step.expected, &actual) && out.status.code() == Some(step.exit),
            "README example `$ {}` differs\n--- expected (exit {}) ---\n{}\n--- actual (exit {:?}) ---\n{}",
            step.command,
            step.exit,
            step.expected.join("\n"),
            out.status.code(),
            text
        );
    }
}

#[test]
fn the_matcher_itself() {
    assert!(line_matches("a [..] c", "a b c"));
    assert!(!line_matches("a [..] c", "a b d"));
    assert!(lines_match(
        &["x".into(), "...".into(), "z".into()],
        &["x", "1", "2", "z"]
    ));
    assert!(!lines_match(&["x".into()], &["x", "y"]));
}
