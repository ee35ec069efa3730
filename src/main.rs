use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

// Parsing thousands of files is mostly small allocations; see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cfgctl::commands::Cli::parse();
    match cfgctl::commands::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        // `cfgctl … | head` closing the pipe is not an error (ripgrep, ruff do the same).
        Err(err) if cfgctl::error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(std::io::stderr(), "{}", cfgctl::error::render(&err));
            ExitCode::from(cfgctl::error::ExitStatus::Error.code())
        }
    }
}
