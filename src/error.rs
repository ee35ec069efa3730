//! Exit codes and error reporting: the contract scripts rely on.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | ran, nothing to report (warnings do not count unless `--deny-warnings`) |
//! | 1 | ran, findings: invalid configuration, drift, a refused policy |
//! | 2 | could not run: bad flags, no repository, unreadable schema, I/O or Git errors |
//!
//! Errors win over findings. A closed pipe on stdout ends the run quietly with 0.

use std::fmt;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    Findings,
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// An error with an optional hint that says what to do about it.
#[derive(Debug)]
pub struct CliError {
    pub error: anyhow::Error,
    pub hint: Option<String>,
}

impl CliError {
    pub fn new(error: anyhow::Error) -> Self {
        CliError { error, hint: None }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A `CliError` stands in the chain for the error it wraps: it shows that error's own message,
/// and its source is that error's source. (Showing the whole wrapped chain here as well would
/// print every cause twice, once in this message and once as the next link.)
impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

/// Returns whether an error chain ends in a closed pipe (`cfgctl … | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |cause: &(dyn std::error::Error + 'static)| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    };
    err.chain().any(|cause| {
        broken(cause)
            || cause
                .downcast_ref::<CliError>()
                .is_some_and(|c| broken(c.error.as_ref()))
    })
}

/// Formats an error for stderr: `error: <cause chain>` and, if any hint is attached anywhere
/// in the chain, `hint: <hint>`.
pub fn render(err: &anyhow::Error) -> String {
    let hint = err.chain().find_map(|cause| {
        cause
            .downcast_ref::<CliError>()
            .and_then(|c| c.hint.clone())
    });
    let mut text = format!("error: {err:#}");
    if let Some(hint) = hint {
        text.push_str(&format!("\nhint: {hint}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn hints_survive_added_context() {
        let err: anyhow::Error = CliError::new(anyhow::anyhow!("no repository"))
            .with_hint("run `cfgctl init`")
            .into();
        let err = Err::<(), _>(err).context("validating").unwrap_err();
        assert_eq!(
            render(&err),
            "error: validating: no repository\nhint: run `cfgctl init`"
        );
    }

    #[test]
    fn each_cause_is_printed_once() {
        let cause = Err::<(), _>(anyhow::anyhow!("needs an `on` variant"))
            .context("flags/prod.flags.json: flag `search`")
            .unwrap_err();
        let err: anyhow::Error = CliError::new(cause)
            .with_hint("see `cfgctl flags validate`")
            .into();
        assert_eq!(
            render(&err),
            "error: flags/prod.flags.json: flag `search`: needs an `on` variant\nhint: see `cfgctl flags validate`"
        );
        let err = Err::<(), _>(err).context("staging").unwrap_err();
        assert_eq!(
            render(&err),
            "error: staging: flags/prod.flags.json: flag `search`: needs an `on` variant\nhint: see `cfgctl flags validate`"
        );
    }

    #[test]
    fn broken_pipes_are_recognised_through_context() {
        let io = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let err = Err::<(), _>(io).context("writing output").unwrap_err();
        assert!(is_broken_pipe(&err));
        let io = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let wrapped: anyhow::Error = CliError::new(io.into()).into();
        assert!(is_broken_pipe(&wrapped));
    }
}
