//! `cfgctl init [DIR]`

use super::Context;
use crate::error::{CliError, ExitStatus};
use crate::output::Format;
use crate::repo;
use anyhow::{Result, anyhow};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the repository (created if missing)
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// Overwrite template files that already exist in DIR
    #[arg(long)]
    pub force: bool,

    /// Write the files but do not create a Git repository or commit
    #[arg(long)]
    pub no_commit: bool,
}

pub fn run(args: &Args, ctx: &Context) -> Result<ExitStatus> {
    super::require_format(ctx, &[Format::Human, Format::Json], "init")?;
    let dir = ctx.cwd.join(&args.dir);
    let files = crate::template::FILES;
    let existing: Vec<&str> = files
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| dir.join(path).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        let shown: Vec<&str> = existing.iter().take(5).copied().collect();
        let more = existing.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        return Err(CliError::new(anyhow!(
            "`{}` already has {}{more}: refusing to overwrite",
            args.dir.display(),
            shown.join(", ")
        ))
        .with_hint("pick an empty directory, or pass --force to overwrite those files")
        .into());
    }
    let writer = repo::AtomicWriter::new(&dir)?;
    for (path, bytes) in files {
        writer.write(&dir.join(path), bytes)?;
    }
    let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    let commit = if args.no_commit {
        None
    } else {
        Some(repo::init_and_commit(
            &dir,
            &paths,
            "Initial configuration from the cfgctl template",
        )?)
    };
    let dir = dir.canonicalize().unwrap_or(dir);
    match ctx.output.format {
        Format::Json => {
            let doc = serde_json::json!({
                "version": 1,
                "command": "init",
                "path": dir.display().to_string(),
                "files": paths,
                "commit": commit.map(|c| c.to_string()),
            });
            ctx.output
                .result(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        }
        _ => {
            let committed = match commit {
                Some(oid) => format!(", commit {}", &oid.to_string()[..7]),
                None => String::new(),
            };
            ctx.output.status(&format!(
                "Created a configuration repository in {} ({} files{committed}).",
                dir.display(),
                paths.len()
            ));
            ctx.output
                .status(&format!("Next: cfgctl -C {} validate", dir.display()));
        }
    }
    Ok(ExitStatus::Success)
}
