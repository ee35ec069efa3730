//! Policy for writes into an environment (`[policy.ENV]`): approvals, approvers, freeze
//! windows and allowed days and hours. One function decides for every writer.
//!
//! Forward changes (promote, flag stages, pack activations and releases) must satisfy all of
//! it; `--emergency "why"` lets one through a freeze or outside the allowed times, never past
//! missing approvals. Restores (rollback, guard, pack rollback) put a known earlier state back,
//! which is what an incident inside a freeze needs: they pass freezes and allowed times without
//! approvals, and the commit records that it did (`Cfgctl-Policy`).

use crate::clock;
use crate::config::EnvPolicy;
use crate::trailers::Action;

/// What a write asks of the policy.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub action: Action,
    /// Whether the write puts back a known earlier state (see [`Action::is_restore`]): then
    /// freezes and hours do not hold it back, and it needs no approvals.
    pub restore: bool,
    /// "Name <email>" approvals given with `--approved-by`.
    pub approvals: &'a [String],
    pub emergency: Option<&'a str>,
    /// Seconds since the epoch ([`clock::now`]).
    pub now: i64,
}

/// The policy's answer for one environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Reasons the write may not land.
    pub blockers: Vec<String>,
    /// Exceptions the write used, recorded as `Cfgctl-Policy` trailers.
    pub exceptions: Vec<String>,
}

/// Checks a write into `env` against its policy (none means anything goes).
pub fn check(env: &str, policy: Option<&EnvPolicy>, request: &Request<'_>) -> Verdict {
    let mut verdict = Verdict::default();
    let Some(policy) = policy else {
        return verdict;
    };
    let restore = request.restore;
    let what = request.action.as_str();

    // Times: freeze windows, then the allowed days and hours.
    let mut closed: Vec<String> = Vec::new();
    for window in &policy.freeze {
        if (window.from..window.to).contains(&request.now) {
            closed.push(format!(
                "{env} is frozen from {} to {} ({})",
                clock::format_rfc3339(window.from),
                clock::format_rfc3339(window.to),
                window.reason.as_deref().unwrap_or("freeze")
            ));
        }
    }
    if let Some(days) = &policy.allowed_days {
        let today = clock::weekday(request.now);
        if !days.iter().any(|d| d.index() == today) {
            closed.push(format!(
                "{env} takes changes only on {} (UTC); today is {}",
                days.iter()
                    .map(|d| day_name(d.index()))
                    .collect::<Vec<_>>()
                    .join(", "),
                day_name(today)
            ));
        }
    }
    if let Some(hours) = &policy.allowed_hours {
        let minute = clock::minute_of_day(request.now);
        if !hours.contains(minute) {
            closed.push(format!(
                "{env} takes changes only between {hours} UTC; it is {:02}:{:02}",
                minute / 60,
                minute % 60
            ));
        }
    }
    for reason in closed {
        if restore {
            verdict
                .exceptions
                .push(format!("{what} allowed while closed: {reason}"));
        } else if let Some(why) = request.emergency {
            verdict
                .exceptions
                .push(format!("emergency ({why}) while closed: {reason}"));
        } else {
            verdict.blockers.push(format!(
                "{reason}; pass --emergency \"why\" to write anyway"
            ));
        }
    }

    // People: who approved, and how many.
    let mut approvals: Vec<&String> = request.approvals.iter().collect();
    approvals.sort();
    approvals.dedup();
    if let Some(allowed) = &policy.approvers {
        for approval in &approvals {
            if !allowed.iter().any(|a| a == *approval) {
                verdict
                    .blockers
                    .push(format!("`{approval}` is not in [policy.{env}] approvers"));
            }
        }
    }
    let required = policy.approvals as usize;
    if !restore && approvals.len() < required {
        verdict.blockers.push(format!(
            "writes into {env} need {required} approval{} (--approved-by \"Name <email>\"), {} given",
            if required == 1 { "" } else { "s" },
            approvals.len()
        ));
    }
    verdict
}

fn day_name(index: u8) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][usize::from(index % 7)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{FreezeWindow, HourRange, Weekday};

    fn policy() -> EnvPolicy {
        EnvPolicy {
            approvals: 1,
            approvers: Some(vec!["Dana <dana@example.com>".into()]),
            freeze: vec![FreezeWindow {
                from: clock::parse_timestamp("2026-12-24T00:00:00Z").unwrap(),
                to: clock::parse_timestamp("2026-12-27T00:00:00Z").unwrap(),
                reason: Some("holiday freeze".into()),
            }],
            allowed_days: Some(vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ]),
            allowed_hours: HourRange::parse("09:00-17:00"),
        }
    }

    fn at(action: Action, when: &str, approvals: &[String], emergency: Option<&str>) -> Verdict {
        check(
            "production",
            Some(&policy()),
            &Request {
                action,
                restore: action.is_restore(),
                approvals,
                emergency,
                now: clock::parse_timestamp(when).unwrap(),
            },
        )
    }

    #[test]
    fn every_rule_blocks_a_forward_change_and_all_are_listed() {
        // Friday 2026-12-25 20:00: frozen, outside hours, no approval.
        let verdict = at(Action::FlagsStage, "2026-12-25T20:00:00Z", &[], None);
        assert_eq!(verdict.blockers.len(), 3, "{verdict:?}");
        assert!(verdict.blockers[0].contains("holiday freeze"));
        assert!(verdict.blockers[1].contains("between 09:00-17:00"));
        assert!(verdict.blockers[2].contains("need 1 approval"));
        // Saturday in a normal week.
        let weekend = at(Action::PackActivate, "2026-12-05T10:00:00Z", &[], None);
        assert!(
            weekend.blockers[0].contains("only on mon, tue, wed, thu, fri"),
            "{weekend:?}"
        );
    }

    #[test]
    fn approvals_and_approvers() {
        let dana = vec!["Dana <dana@example.com>".to_string()];
        let ok = at(Action::Promote, "2026-12-02T10:00:00Z", &dana, None);
        assert_eq!(ok, Verdict::default());
        let stranger = vec!["Eve <eve@example.com>".to_string()];
        let refused = at(Action::Promote, "2026-12-02T10:00:00Z", &stranger, None);
        assert_eq!(refused.blockers.len(), 1);
        assert!(refused.blockers[0].contains("not in [policy.production] approvers"));
    }

    #[test]
    fn emergency_passes_times_but_not_approvals() {
        let verdict = at(Action::Promote, "2026-12-25T12:00:00Z", &[], Some("outage"));
        assert_eq!(verdict.blockers.len(), 1, "{verdict:?}");
        assert!(verdict.blockers[0].contains("approval"));
        assert_eq!(verdict.exceptions.len(), 1);
        assert!(verdict.exceptions[0].starts_with("emergency (outage)"));
    }

    #[test]
    fn restores_pass_freezes_and_record_it() {
        for action in [Action::Rollback, Action::Guard, Action::PackRollback] {
            let verdict = at(action, "2026-12-25T12:00:00Z", &[], None);
            assert!(verdict.blockers.is_empty(), "{action}: {verdict:?}");
            assert!(verdict.exceptions[0].contains("holiday freeze"));
        }
    }

    #[test]
    fn no_policy_allows_everything() {
        let verdict = check(
            "development",
            None,
            &Request {
                action: Action::Promote,
                restore: false,
                approvals: &[],
                emergency: None,
                now: 0,
            },
        );
        assert_eq!(verdict, Verdict::default());
    }
}
