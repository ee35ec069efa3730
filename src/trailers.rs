//! The commit messages cfgctl writes and reads back: a subject, an optional body and
//! `Key: value` trailers (`Cfgctl-Action: promote`). This module is the one place that builds
//! and parses them, so `log`, `status`, `guard` and `rollback` read exactly what the writers
//! wrote.

use std::fmt;

/// What kind of write a commit is (`Cfgctl-Action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Promote,
    Rollback,
    Guard,
    FlagsStage,
    PackRelease,
    PackActivate,
    PackRollback,
    /// One key set or removed (`cfgctl set --commit`, `cfgctl unset --commit`).
    Set,
    /// A new environment made from an existing one (`cfgctl env add`).
    EnvAdd,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Promote,
        Action::Rollback,
        Action::Guard,
        Action::FlagsStage,
        Action::PackRelease,
        Action::PackActivate,
        Action::PackRollback,
        Action::Set,
        Action::EnvAdd,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Promote => "promote",
            Action::Rollback => "rollback",
            Action::Guard => "guard",
            Action::FlagsStage => "flags-stage",
            Action::PackRelease => "pack-release",
            Action::PackActivate => "pack-activate",
            Action::PackRollback => "pack-rollback",
            Action::Set => "set",
            Action::EnvAdd => "env-add",
        }
    }

    /// Reads a `Cfgctl-Action` value (case-insensitive, as older commits may differ).
    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether the write puts an environment back to an earlier state (a rollback, a guard
    /// rollback, a pack rollback): policy lets restores through freezes and outside hours.
    pub fn is_restore(self) -> bool {
        matches!(
            self,
            Action::Rollback | Action::Guard | Action::PackRollback
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The trailer keys cfgctl writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Action,
    /// `ENV@commit` a promotion copied from.
    From,
    /// The environment written into.
    To,
    /// Older flag-stage commits named their environment here.
    Env,
    ApprovedBy,
    Emergency,
    Reason,
    /// Which policy exception the write used (a restore inside a freeze).
    Policy,
    RollbackOf,
    RestoredFrom,
    Flag,
    Stage,
    Pack,
    Digest,
    GuardViolation,
    /// The key path a `set` or `unset` changed.
    KeyPath,
}

impl Key {
    pub fn as_str(self) -> &'static str {
        match self {
            Key::Action => "Cfgctl-Action",
            Key::From => "Cfgctl-From",
            Key::To => "Cfgctl-To",
            Key::Env => "Cfgctl-Env",
            Key::ApprovedBy => "Approved-by",
            Key::Emergency => "Cfgctl-Emergency",
            Key::Reason => "Cfgctl-Reason",
            Key::Policy => "Cfgctl-Policy",
            Key::RollbackOf => "Cfgctl-Rollback-Of",
            Key::RestoredFrom => "Cfgctl-Restored-From",
            Key::Flag => "Cfgctl-Flag",
            Key::Stage => "Cfgctl-Stage",
            Key::Pack => "Cfgctl-Pack",
            Key::Digest => "Cfgctl-Digest",
            Key::GuardViolation => "Cfgctl-Guard-Violation",
            Key::KeyPath => "Cfgctl-Key",
        }
    }
}

/// A commit message: subject, optional body paragraphs, trailers in order (a key may repeat).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: Option<String>,
    pub trailers: Vec<(String, String)>,
}

impl Message {
    pub fn new(subject: impl Into<String>) -> Message {
        Message {
            subject: one_line(&subject.into()),
            body: None,
            trailers: Vec::new(),
        }
    }

    pub fn body(mut self, body: impl Into<String>) -> Message {
        let body = body.into();
        self.body = (!body.trim().is_empty()).then(|| body.trim().to_string());
        self
    }

    /// Appends a trailer; a value is kept to one line so it reads back as written.
    pub fn push(&mut self, key: Key, value: impl AsRef<str>) {
        self.trailers
            .push((key.as_str().to_string(), one_line(value.as_ref())));
    }

    pub fn with(mut self, key: Key, value: impl AsRef<str>) -> Message {
        self.push(key, value);
        self
    }

    /// The first value of a trailer (case-insensitive, as git compares keys).
    pub fn trailer(&self, key: Key) -> Option<&str> {
        trailer(&self.trailers, key.as_str())
    }

    /// Parses a message as git does: the trailers are the last paragraph when every line of
    /// it is `Key: value` (with a token key).
    pub fn parse(text: &str) -> Message {
        let text = text.trim_end();
        let (subject, rest) = text.split_once('\n').unwrap_or((text, ""));
        let rest = rest.trim_start_matches('\n');
        let (body, last) = match rest.rsplit_once("\n\n") {
            Some((body, last)) => (Some(body), last),
            None => (None, rest),
        };
        let trailers: Option<Vec<(String, String)>> = last
            .lines()
            .map(|line| {
                let (key, value) = line.split_once(':')?;
                let token =
                    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                token.then(|| (key.to_string(), value.trim().to_string()))
            })
            .collect();
        match trailers {
            Some(trailers) if !last.trim().is_empty() => Message {
                subject: subject.to_string(),
                body: body.map(str::to_string).filter(|b| !b.trim().is_empty()),
                trailers,
            },
            _ => Message {
                subject: subject.to_string(),
                body: (!rest.trim().is_empty()).then(|| rest.to_string()),
                trailers: Vec::new(),
            },
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.subject)?;
        if let Some(body) = &self.body {
            write!(f, "\n{body}\n")?;
        }
        if !self.trailers.is_empty() {
            writeln!(f)?;
            for (key, value) in &self.trailers {
                writeln!(f, "{key}: {value}")?;
            }
        }
        Ok(())
    }
}

/// The first value of `key` among `trailers` (case-insensitive).
pub fn trailer<'a>(trailers: &'a [(String, String)], key: &str) -> Option<&'a str> {
    trailers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Newlines would end a trailer early: a value or subject is kept to one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let message = Message::new("promote: staging -> production (3 files, 12 keys)")
            .body("services.yaml: image 1.4 -> 1.5")
            .with(Key::Action, Action::Promote.as_str())
            .with(Key::From, "staging@4f1c2ab00000")
            .with(Key::To, "production")
            .with(Key::ApprovedBy, "Dana Reyes <dana@example.com>")
            .with(Key::ApprovedBy, "Lee <lee@example.com>")
            .with(Key::Reason, "ship the\nfix: now");
        let text = message.to_string();
        assert!(
            text.ends_with("Cfgctl-Reason: ship the fix: now\n"),
            "{text}"
        );
        let parsed = Message::parse(&text);
        assert_eq!(parsed, message);
        assert_eq!(parsed.trailer(Key::To), Some("production"));
        assert_eq!(
            parsed
                .trailers
                .iter()
                .filter(|(k, _)| k == "Approved-by")
                .count(),
            2
        );
    }

    #[test]
    fn without_body_or_trailers() {
        let plain = Message::new("just a subject");
        assert_eq!(Message::parse(&plain.to_string()), plain);
        let prose = "fix\n\nThis explains: nothing much.\nMore prose here.";
        let parsed = Message::parse(prose);
        assert!(parsed.trailers.is_empty());
        assert!(parsed.body.unwrap().contains("More prose"));
        let only = Message::new("s").with(Key::Action, "guard");
        assert_eq!(Message::parse(&only.to_string()), only);
    }

    #[test]
    fn actions_parse_back() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::parse("PROMOTE"), Some(Action::Promote));
        assert_eq!(Action::parse("edit"), None);
        assert!(Action::Guard.is_restore() && !Action::FlagsStage.is_restore());
    }
}
