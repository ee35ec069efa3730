//! The module graph points one way: read from the source, so a change that bends it fails
//! here with the file that did it. The rules are those in `src/lib.rs`'s module map.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
}

/// Every `.rs` file under `src/`, with its code outside `#[cfg(test)]` modules.
fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    rust_files(&src)
        .into_iter()
        .filter(|p| !p.ends_with("tests.rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, code)
        })
        .collect()
}

/// The top-level module a source file belongs to (`repo/mod.rs` → `repo`).
fn module_of(rel: &str) -> &str {
    let first = rel.split('/').next().unwrap();
    first.strip_suffix(".rs").unwrap_or(first)
}

/// `crate::NAME` references in code, comments and doc links left out.
fn references(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap();
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn only_commands_use_commands() {
    for (rel, code) in sources() {
        let module = module_of(&rel);
        if matches!(module, "commands" | "main" | "lib") {
            continue;
        }
        assert!(
            !references(&code).contains("commands"),
            "src/{rel} reaches up into crate::commands"
        );
    }
}

#[test]
fn only_repo_uses_git2() {
    for (rel, code) in sources() {
        if module_of(&rel) == "repo" {
            continue;
        }
        let uses = code
            .lines()
            .any(|l| l.split("//").next().unwrap().contains("git2::"));
        assert!(!uses, "src/{rel} uses git2 outside src/repo/");
    }
}

#[test]
fn one_clock_and_one_place_for_trailers() {
    for (rel, code) in sources() {
        let code: String = code
            .lines()
            .map(|l| l.split("//").next().unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        if rel != "clock.rs" {
            // Anything that tells the date or time of day; `Instant` only measures how long
            // something took and cannot, so timings may use it.
            for clock in [
                "SystemTime::now",
                "SystemTime",
                "Utc::now",
                "Local::now",
                "OffsetDateTime::now",
                "Zoned::now",
                "Timestamp::now",
                "chrono::",
                "time::OffsetDateTime",
                "jiff::",
                "NOW_VAR",
                "CFGCTL_NOW\"",
            ] {
                assert!(
                    !code.contains(clock),
                    "src/{rel} reads the wall clock (`{clock}`): use crate::clock::now (CFGCTL_NOW)"
                );
            }
            // A commit's date follows git (GIT_AUTHOR_DATE, else now), in src/repo only.
            if module_of(&rel) != "repo" {
                assert!(
                    !code.contains("Signature::now"),
                    "src/{rel} dates a commit itself: use crate::repo::signature"
                );
            }
        }
        if rel != "trailers.rs" {
            assert!(
                !code.contains("\"Cfgctl-"),
                "src/{rel} spells a trailer key: use crate::trailers::Key"
            );
        }
    }
}

#[test]
fn the_module_graph_has_no_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut whence: BTreeMap<(String, String), String> = BTreeMap::new();
    for (rel, code) in sources() {
        let module = module_of(&rel).to_string();
        if matches!(module.as_str(), "main" | "lib") {
            continue;
        }
        for target in references(&code) {
            if target != module {
                whence
                    .entry((module.clone(), target.clone()))
                    .or_insert_with(|| rel.clone());
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            let edges: Vec<String> = cycle
                .windows(2)
                .map(|w| {
                    format!(
                        "{} -> {} (src/{})",
                        w[0],
                        w[1],
                        whence[&(w[0].clone(), w[1].clone())]
                    )
                })
                .collect();
            panic!("the module graph has a cycle:\n  {}", edges.join("\n  "));
        }
    }
}

/// Every git and cfgctl the tests start runs in the hermetic environment (no global Git
/// config, a private HOME, the pinned clock): through `tests/it/support.rs`, never a bare
/// `Command::new` that inherits the developer's signing, hooks or aliases.
#[test]
fn tests_start_git_and_cfgctl_only_through_support() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut raw = Vec::new();
    for path in rust_files(&root.join("tests")) {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel == "tests/it/support.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap().replace(' ', "");
            let Some(at) = code.find("Command::new(") else {
                continue;
            };
            let program = &code[at + "Command::new(".len()..];
            if program.starts_with("\"git\"")
                || program.starts_with("\"cfgctl\"")
                || program.contains("cfgctl_path()")
            {
                raw.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        raw.is_empty(),
        "start git and cfgctl with support::git_command / cfgctl_command or TempRepo's helpers:\n  {}",
        raw.join("\n  ")
    );
}
