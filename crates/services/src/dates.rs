//! Dates and times as GOV.UK writes them ("24 November 2026 at 9:05am"), in UK time.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

/// The UK's offset at `at`: BST (UTC+1) from 01:00 UTC on the last Sunday of March to
/// 01:00 UTC on the last Sunday of October, GMT otherwise.
fn uk_offset(at: DateTime<Utc>) -> FixedOffset {
    let year = at.year();
    let change = |month: u32| {
        last_sunday(year, month)
            .and_then(|day| day.and_hms_opt(1, 0, 0))
            .map(|naive| Utc.from_utc_datetime(&naive))
    };
    let summer = match (change(3), change(10)) {
        (Some(start), Some(end)) => at >= start && at < end,
        _ => false,
    };
    FixedOffset::east_opt(if summer { 3600 } else { 0 })
        .unwrap_or(FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()))
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    Some(day)
}

/// "24 November 2026 at 9:05am".
pub fn date_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&uk_offset(at));
    let suffix = if local.format("%P").to_string() == "am" {
        "am"
    } else {
        "pm"
    };
    format!(
        "{} at {}{suffix}",
        local.format("%-d %B %Y"),
        local.format("%-I:%M")
    )
}

/// "24 November 2026".
pub fn date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

/// "9:05am", UK time.
pub fn time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&uk_offset(at));
    format!("{}{}", local.format("%-I:%M"), local.format("%P"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn writes_times_the_gov_uk_way_in_uk_time() {
        assert_eq!(
            date_time(utc(2026, 11, 24, 9, 5)),
            "24 November 2026 at 9:05am"
        );
        assert_eq!(
            date_time(utc(2026, 11, 24, 0, 30)),
            "24 November 2026 at 12:30am"
        );
        // BST: 13:00 UTC in July is 2pm in London.
        assert_eq!(date_time(utc(2026, 7, 1, 13, 0)), "1 July 2026 at 2:00pm");
        // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October.
        assert_eq!(time(utc(2026, 3, 29, 0, 59)), "12:59am");
        assert_eq!(time(utc(2026, 3, 29, 1, 0)), "2:00am");
        assert_eq!(time(utc(2026, 10, 25, 0, 59)), "1:59am");
        assert_eq!(time(utc(2026, 10, 25, 1, 0)), "1:00am");
    }
}
