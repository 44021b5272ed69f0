//! Dates, with `jiff` doing the calendar: commit times as RFC 3339 for reports, and `--since` values
//! into Unix seconds. Calendar dates are checked (2023-02-31 is an error), and "N months ago" moves
//! by calendar months, not 30-day blocks.

use anyhow::{anyhow, Result};
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{Span, Timestamp};

/// `2024-05-01T12:00:00+02:00` from Unix seconds and a UTC offset in minutes (`Z` for UTC), as git
/// records a commit's time and zone.
pub fn rfc3339(seconds: i64, offset_minutes: i32) -> String {
    let at = Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH);
    let offset = Offset::from_seconds(offset_minutes.saturating_mul(60)).unwrap_or(Offset::UTC);
    let local = offset.to_datetime(at);
    let zone = if offset_minutes == 0 {
        "Z".to_string()
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let o = offset_minutes.unsigned_abs();
        format!("{sign}{:02}:{:02}", o / 60, o % 60)
    };
    format!("{}{zone}", local.strftime("%Y-%m-%dT%H:%M:%S"))
}

/// Parses `--since`: `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DDTHH:MM[:SS]` with an optional `Z` or
/// `±HH:MM` (UTC when absent), `@UNIX`, or `N <unit>s ago` (seconds to years, counted back from
/// `now` in UTC, months and years by the calendar).
pub fn parse_since(s: &str, now: i64) -> Result<i64> {
    let s = s.trim();
    let bad = || {
        anyhow!(
            "--since {s:?}: expected YYYY-MM-DD, an RFC 3339 time, @UNIX_SECONDS or \"N days ago\""
        )
    };
    if let Some(n) = s.strip_prefix('@') {
        return n.parse().map_err(|_| bad());
    }
    if let Some(rel) = s.strip_suffix("ago") {
        let rel = rel.replace('.', " ");
        let mut parts = rel.split_whitespace();
        let n: i64 = parts.next().and_then(|n| n.parse().ok()).ok_or_else(bad)?;
        let unit = parts.next().ok_or_else(bad)?.trim_end_matches('s');
        if parts.next().is_some() {
            return Err(bad());
        }
        let span = match unit {
            "second" | "sec" => Span::new().try_seconds(n),
            "minute" | "min" => Span::new().try_minutes(n),
            "hour" => Span::new().try_hours(n),
            "day" => Span::new().try_days(n),
            "week" => Span::new().try_weeks(n),
            "month" => Span::new().try_months(n),
            "year" => Span::new().try_years(n),
            _ => return Err(bad()),
        }
        .map_err(|_| bad())?;
        let now = Timestamp::from_second(now)
            .map_err(|_| bad())?
            .to_zoned(TimeZone::UTC);
        return Ok(now
            .checked_sub(span)
            .map_err(|_| bad())?
            .timestamp()
            .as_second());
    }
    // With an offset: an instant. Without: a civil date or time, taken as UTC.
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t.as_second());
    }
    if let Ok(d) = s.parse::<Date>() {
        if !s.contains(['T', 't', ' ']) {
            return utc_seconds(d.to_datetime(jiff::civil::Time::midnight())).ok_or_else(bad);
        }
    }
    let dt: DateTime = s.parse().map_err(|_| bad())?;
    utc_seconds(dt).ok_or_else(bad)
}

fn utc_seconds(dt: DateTime) -> Option<i64> {
    Some(dt.to_zoned(TimeZone::UTC).ok()?.timestamp().as_second())
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    Timestamp::now().as_second()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_keeps_the_commit_zone() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000, 120), "2023-11-15T00:13:20+02:00");
        assert_eq!(rfc3339(1_700_000_000, -330), "2023-11-14T16:43:20-05:30");
        assert_eq!(rfc3339(-86_400, 0), "1969-12-31T00:00:00Z");
    }

    #[test]
    fn since_forms() {
        assert_eq!(parse_since("2023-11-14", 0).unwrap(), 1_699_920_000);
        assert_eq!(
            parse_since("2023-11-14T22:13:20Z", 0).unwrap(),
            1_700_000_000
        );
        assert_eq!(
            parse_since("2023-11-15T00:13:20+02:00", 0).unwrap(),
            1_700_000_000
        );
        assert_eq!(
            parse_since("2023-11-14T22:13:20", 0).unwrap(),
            1_700_000_000
        );
        assert_eq!(
            parse_since("2023-11-14 22:13:20", 0).unwrap(),
            1_700_000_000
        );
        assert_eq!(parse_since("2023-11-14T22:13", 0).unwrap(), 1_699_999_980);
        assert_eq!(parse_since("@1700000000", 0).unwrap(), 1_700_000_000);
        assert_eq!(
            parse_since("2 days ago", 1_000_000).unwrap(),
            1_000_000 - 2 * 86_400
        );
        assert_eq!(
            parse_since("3.hours.ago", 100_000).unwrap(),
            100_000 - 3 * 3600
        );
        assert!(parse_since("yesterday-ish", 0).is_err());
    }

    /// The hand-written parser took any day up to 31 in any month.
    #[test]
    fn impossible_dates_are_errors() {
        for s in [
            "2023-02-31",
            "2023-04-31",
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
        ] {
            assert!(parse_since(s, 0).is_err(), "{s}");
        }
        assert_eq!(parse_since("2024-02-29", 0).unwrap(), 1_709_164_800);
    }

    /// A month back is a calendar month (it was 30 days).
    #[test]
    fn months_and_years_ago_follow_the_calendar() {
        let now = parse_since("2024-03-31T12:00:00Z", 0).unwrap();
        // 2024-03-31 minus one month: 2024-02-29 (clamped to the month's end).
        assert_eq!(
            parse_since("1 month ago", now).unwrap(),
            parse_since("2024-02-29T12:00:00Z", 0).unwrap()
        );
        assert_eq!(
            parse_since("1 year ago", now).unwrap(),
            parse_since("2023-03-31T12:00:00Z", 0).unwrap()
        );
    }
}
