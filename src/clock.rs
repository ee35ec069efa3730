//! The one clock: every command that asks "what time is it" asks here, so `CFGCTL_NOW`
//! (RFC 3339) pins time for reproducible runs and tests — freeze windows, guard cooldowns,
//! flag expiry, secret timestamps and flag evaluation alike.
//!
//! Also the calendar arithmetic the rest of cfgctl needs: parsing RFC 3339 timestamps (with
//! their offset), formatting, weekdays and the minute of the day, all in UTC seconds.

use anyhow::{Result, anyhow};

/// The environment variable that fixes the clock.
pub const NOW_VAR: &str = "CFGCTL_NOW";

/// Seconds since the epoch: `CFGCTL_NOW` when set, else the system clock.
pub fn now() -> Result<i64> {
    match std::env::var(NOW_VAR) {
        Ok(text) => parse_timestamp(&text).ok_or_else(|| {
            crate::error::CliError::new(anyhow!("{NOW_VAR}=`{text}` is not a date"))
                .with_hint("use RFC 3339, e.g. 2026-12-24T09:30:00Z")
                .into()
        }),
        Err(_) => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()),
    }
}

/// Today's date in UTC as (year, month, day).
pub fn today() -> Result<(i64, i64, i64)> {
    Ok(civil_from_days(now()?.div_euclid(86_400)))
}

/// Parses `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|±HH:MM]` (no
/// offset means UTC) into seconds since the epoch.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = match text.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (y, m, d) = (
        number(parts.next()?, 4)?,
        number(parts.next()?, 2)?,
        number(parts.next()?, 2)?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    let mut seconds = days_from_civil(y, m, d) * 86_400;
    let Some(time) = time else {
        return Some(seconds);
    };
    // Split off the offset: `Z`, or the last `+`/`-`.
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let (clock, off) = time.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (h, m) = off[1..].split_once(':')?;
        let (h, m) = (number(h, 2)?, number(m, 2)?);
        if h > 23 || m > 59 {
            return None;
        }
        (clock, sign * (h * 3600 + m * 60))
    } else {
        (time, 0)
    };
    let clock = clock.split_once('.').map_or(clock, |(whole, frac)| {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            "invalid"
        } else {
            whole
        }
    });
    let mut t = clock.split(':');
    let (h, min) = (number(t.next()?, 2)?, number(t.next()?, 2)?);
    let s = match t.next() {
        Some(s) => number(s, 2)?,
        None => 0,
    };
    if t.next().is_some() || h > 23 || min > 59 || s > 60 {
        return None;
    }
    seconds += h * 3600 + min * 60 + s;
    Some(seconds - offset)
}

/// Formats seconds since the epoch as RFC 3339 in UTC (`2026-12-24T09:30:00Z`).
pub fn format_rfc3339(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    let secs = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Parses a duration such as `90s`, `30m`, `2h`, `1d` or `1h30m` into seconds: one or more
/// whole numbers, each with its unit (`s`, `m`, `h`, `d`). Zero and an empty text are `None`.
pub fn parse_duration(text: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            _ => return None,
        };
        let n: i64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
    }
    (number.is_empty() && total > 0).then_some(total)
}

/// Formats seconds as the shortest duration text [`parse_duration`] reads (`1h30m`).
pub fn format_duration(seconds: i64) -> String {
    let mut rest = seconds.max(0);
    let mut out = String::new();
    for (unit, name) in [(86_400, 'd'), (3_600, 'h'), (60, 'm'), (1, 's')] {
        if rest >= unit {
            out.push_str(&format!("{}{name}", rest / unit));
            rest %= unit;
        }
    }
    if out.is_empty() { "0s".into() } else { out }
}

/// The day of the week in UTC, 0 = Monday … 6 = Sunday.
pub fn weekday(seconds: i64) -> u8 {
    // 1970-01-01 was a Thursday (3).
    (seconds.div_euclid(86_400) + 3).rem_euclid(7) as u8
}

/// Minutes since midnight UTC.
pub fn minute_of_day(seconds: i64) -> u32 {
    (seconds.rem_euclid(86_400) / 60) as u32
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// (year, month, day) to days since 1970-01-01.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A run of exactly `width` ASCII digits.
fn number(text: &str, width: usize) -> Option<i64> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m"), Some(1_800));
        assert_eq!(parse_duration("1h30m"), Some(5_400));
        assert_eq!(parse_duration("1d"), Some(86_400));
        assert_eq!(parse_duration(" 90s "), Some(90));
        for bad in [
            "",
            "30",
            "0m",
            "m",
            "1.5h",
            "1w",
            "-5m",
            "99999999999999999999d",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(format_duration(5_400), "1h30m");
        assert_eq!(format_duration(0), "0s");
    }

    #[test]
    fn parses_dates_times_and_offsets() {
        assert_eq!(parse_timestamp("2026-01-01"), Some(1_767_225_600));
        assert_eq!(parse_timestamp("2026-01-01T01:02:03Z"), Some(1_767_229_323));
        assert_eq!(parse_timestamp("2026-01-01 01:02:03"), Some(1_767_229_323));
        assert_eq!(
            parse_timestamp("2026-01-01T03:02:03+02:00"),
            Some(1_767_229_323)
        );
        assert_eq!(
            parse_timestamp("2025-12-31T23:02:03-02:00"),
            Some(1_767_229_323)
        );
        assert_eq!(
            parse_timestamp("2026-01-01T01:02:03.250Z"),
            Some(1_767_229_323)
        );
        assert_eq!(parse_timestamp("2024-02-29"), Some(1_709_164_800));
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "2023-02-29",
            "yesterday",
            "2026-1-1",
            "2026-01-01T25:00:00Z",
            "2026-01-01T01:02:03+2",
            "2026-01-01T01:02:03.Z",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_and_reads_back() {
        for seconds in [0, 1_767_229_323, 1_709_164_800, 4_102_444_799] {
            assert_eq!(parse_timestamp(&format_rfc3339(seconds)), Some(seconds));
        }
        assert_eq!(format_rfc3339(1_767_229_323), "2026-01-01T01:02:03Z");
    }

    #[test]
    fn weekdays_and_minutes() {
        // 2026-12-24 is a Thursday; 2026-12-27 a Sunday.
        assert_eq!(weekday(parse_timestamp("2026-12-24T12:00:00Z").unwrap()), 3);
        assert_eq!(weekday(parse_timestamp("2026-12-27T23:59:00Z").unwrap()), 6);
        assert_eq!(weekday(parse_timestamp("2026-12-28T00:00:00Z").unwrap()), 0);
        assert_eq!(
            minute_of_day(parse_timestamp("2026-12-24T09:30:00Z").unwrap()),
            570
        );
    }
}
