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

/// What a checking command found.
#[derive(Debug, Clone)]
pub struct Report {
    pub command: &'static str,
    /// What was read: `working tree`, `index`, a revision.
    pub source: String,
    /// Every file that was checked (findings or not), for the summary and JUnit.
    pub files: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Every built-in rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleId {
    AutoscalingBounds,
    EnvKeyParity,
    EnvTypeParity,
    PlaintextSecret,
    CorsWildcard,
    DebugInProduction,
    InsecureUrl,
    YamlAmbiguousBoolean,
    UnknownEnvironment,
    SopsShadowedRule,
    SopsSharedRecipient,
    SopsEncryptsNothing,
    SecretNotEncrypted,
}

impl RuleId {
    pub const ALL: [RuleId; 13] = [
        RuleId::AutoscalingBounds,
        RuleId::EnvKeyParity,
        RuleId::EnvTypeParity,
        RuleId::PlaintextSecret,
        RuleId::CorsWildcard,
        RuleId::DebugInProduction,
        RuleId::InsecureUrl,
        RuleId::YamlAmbiguousBoolean,
        RuleId::UnknownEnvironment,
        RuleId::SopsShadowedRule,
        RuleId::SopsSharedRecipient,
        RuleId::SopsEncryptsNothing,
        RuleId::SecretNotEncrypted,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RuleId::AutoscalingBounds => "autoscaling-bounds",
            RuleId::EnvKeyParity => "env-key-parity",
            RuleId::EnvTypeParity => "env-type-parity",
            RuleId::PlaintextSecret => "plaintext-secret",
            RuleId::CorsWildcard => "cors-wildcard",
            RuleId::DebugInProduction => "debug-in-production",
            RuleId::InsecureUrl => "insecure-url",
            RuleId::YamlAmbiguousBoolean => "yaml-ambiguous-boolean",
            RuleId::UnknownEnvironment => "unknown-environment",
            RuleId::SopsShadowedRule => "sops-shadowed-rule",
            RuleId::SopsSharedRecipient => "sops-shared-recipient",
            RuleId::SopsEncryptsNothing => "sops-encrypts-nothing",
            RuleId::SecretNotEncrypted => "secret-not-encrypted",
        }
    }

    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.name() == name)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            RuleId::EnvKeyParity
            | RuleId::InsecureUrl
            | RuleId::YamlAmbiguousBoolean
            | RuleId::UnknownEnvironment => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// One line on what the rule checks, for `--help` and the README.
    pub fn description(self) -> &'static str {
        match self {
            RuleId::AutoscalingBounds => "min_replicas <= replicas <= max_replicas",
            RuleId::EnvKeyParity => "a key present in one environment is missing in another",
            RuleId::EnvTypeParity => "the same key has different types across environments",
            RuleId::PlaintextSecret => {
                "a secret-looking key or credential-shaped value holds plaintext"
            }
            RuleId::CorsWildcard => "a CORS origin list allows `*` or `null`",
            RuleId::DebugInProduction => "debug switches or debug/trace log levels in production",
            RuleId::InsecureUrl => {
                "http:// or ws:// URLs to non-local hosts outside the first environment"
            }
            RuleId::YamlAmbiguousBoolean => {
                "unquoted yes/no/on/off, which YAML 1.1 readers take as booleans"
            }
            RuleId::UnknownEnvironment => {
                "a directory under environments/ that [repo] environments does not list"
            }
            RuleId::SopsShadowedRule => {
                "a .sops.yaml creation rule that never applies: an earlier rule takes its paths"
            }
            RuleId::SopsSharedRecipient => {
                "production secrets would be encrypted for a recipient another environment also gets"
            }
            RuleId::SopsEncryptsNothing => {
                "a file a .sops.yaml rule governs has no key the rule encrypts"
            }
            RuleId::SecretNotEncrypted => "a *.secret.* file without sops metadata (plaintext)",
        }
    }
}
