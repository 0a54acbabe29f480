//! Dates and times as GOV.UK writes them ("24 November 2026 at 9:05am"), in UK time.

use chrono::{DateTime, NaiveDate, Utc};
use domain::clock::uk_time;

/// "24 November 2026 at 9:05am".
pub fn date_time(at: DateTime<Utc>) -> String {
    let local = uk_time(at);
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
    let local = uk_time(at);
    format!("{}{}", local.format("%-I:%M"), local.format("%P"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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
