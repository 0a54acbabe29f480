//! UK time: the calendar date, the wall clock and summer time, from the tz database
//! (`chrono-tz`'s `Europe/London`) rather than rules written out by hand. Everything the
//! scheme dates ("due 1 March", "today", a session at 10am) is a UK date or time; instants are
//! stored in UTC and turned into UK time here only. Reading the current time is left to the
//! caller (the web app's clock), so this module stays free of IO.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The UK's time zone, with its summer time (BST) from the tz database.
pub const UK: Tz = chrono_tz::Europe::London;

/// `at` on the UK's wall clock.
pub fn uk_time(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&UK)
}

/// The UK calendar date at `at`: what "today" means to everyone using the scheme.
pub fn uk_date(at: DateTime<Utc>) -> NaiveDate {
    uk_time(at).date_naive()
}

/// The UTC instant a UK wall-clock time names. A time in the hour skipped in March is read
/// as GMT; the repeated hour in October as its first (summer-time) occurrence.
pub fn uk_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    match UK.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => Utc.from_utc_datetime(&local),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_default()
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|day| day.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    #[test]
    fn the_uk_date_turns_at_uk_midnight() {
        // 23:30 UTC on a summer evening is already the next day in the UK; not in winter.
        assert_eq!(
            uk_date(utc(2027, 7, 1, 23, 30)),
            NaiveDate::from_ymd_opt(2027, 7, 2).unwrap_or_default()
        );
        assert_eq!(
            uk_date(utc(2027, 1, 1, 23, 30)),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()
        );
    }

    #[test]
    fn summer_time_starts_and_ends_at_one_utc_on_the_last_sundays() {
        // 2026: forward on 29 March, back on 25 October.
        assert_eq!(
            uk_time(utc(2026, 3, 29, 0, 59)).format("%H:%M").to_string(),
            "00:59"
        );
        assert_eq!(
            uk_time(utc(2026, 3, 29, 1, 0)).format("%H:%M").to_string(),
            "02:00"
        );
        assert_eq!(
            uk_time(utc(2026, 10, 25, 0, 59))
                .format("%H:%M")
                .to_string(),
            "01:59"
        );
        assert_eq!(
            uk_time(utc(2026, 10, 25, 1, 0)).format("%H:%M").to_string(),
            "01:00"
        );
    }

    #[test]
    fn wall_clock_times_in_the_changed_hours_have_one_reading() {
        assert_eq!(uk_to_utc(local(2027, 7, 1, 10, 0)), utc(2027, 7, 1, 9, 0));
        assert_eq!(uk_to_utc(local(2027, 1, 1, 10, 0)), utc(2027, 1, 1, 10, 0));
        // 01:30 on 28 March 2027 never happens: read as GMT.
        assert_eq!(
            uk_to_utc(local(2027, 3, 28, 1, 30)),
            utc(2027, 3, 28, 1, 30)
        );
        // 01:30 on 31 October 2027 happens twice: the first, in summer time.
        assert_eq!(
            uk_to_utc(local(2027, 10, 31, 1, 30)),
            utc(2027, 10, 31, 0, 30)
        );
    }
}
