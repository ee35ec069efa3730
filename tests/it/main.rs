//! The single integration-test binary: every test drives the built `cfgctl` against
//! temporary Git repositories.

mod architecture;
mod cel;
mod ci;
mod cli;
mod diff;
mod env;
mod flags;
mod flags_testbed;
mod guard;
mod hooks;
mod init;
mod keys;
mod log;
mod output;
mod packs;
mod promote;
mod readme;
mod render;
mod rollback;
mod secrets;
mod secrets_git;
mod snapshots;
mod sops;
mod support;
mod transactions;
mod validate;
mod validate_cache;
mod writes;

/// Every file in tests/it must be declared above, or its tests silently never run.
#[test]
fn no_forgotten_test_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(module) = name.strip_suffix(".rs")
            && module != "main"
        {
            assert!(
                main.contains(&format!("mod {module};")),
                "tests/it/{name} is not declared in main.rs"
            );
        }
    }
}
