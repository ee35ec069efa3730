//! Findings: what checks report. Data, not errors — a run with findings still succeeded.

use crate::document::Pos;
use serde::{Deserialize, Serialize};

/// How serious a finding is. Errors fail a run (exit 1); warnings are reported only.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    #[default]
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Repository-relative path with `/` separators.
    pub file: String,
    /// Where the offending node starts (1:1 when the problem is the whole file).
    pub pos: Pos,
    /// Key path of the offending node (`services.chat.replicas`), when there is one.
    pub path: Option<String>,
    /// `parse`, `config` (a problem in `cfgctl.toml`), `schema/<keyword>`, or a rule name such
    /// as `autoscaling-bounds`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// The schema file behind a `schema/*` finding.
    pub schema: Option<String>,
}

impl Finding {
    /// Orders findings by file, then position, then rule, so output is stable across runs.
    pub fn sort(findings: &mut [Finding]) {
        findings.sort_by(|a, b| {
            (&a.file, a.pos, &a.rule, &a.message).cmp(&(&b.file, b.pos, &b.rule, &b.message))
        });
    }
}
