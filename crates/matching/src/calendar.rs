//! Dates as people read them in explanations ("12 March 2027") and the overlap rule between visits.

use chrono::NaiveDate;

/// Formats a date the GOV.UK way: day without leading zero, full month name, year.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Formats several dates as "12 and 13 March 2027"-style plain English (falls back to a list).
pub fn long_dates(dates: &[NaiveDate]) -> String {
    let mut sorted = dates.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let parts: Vec<String> = sorted.iter().map(|date| long_date(*date)).collect();
    match parts.as_slice() {
        [] => "no date".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

/// Two visits overlap when they share a day: a reviewer cannot be on both.
pub fn visits_overlap(first: &[NaiveDate], second: &[NaiveDate]) -> bool {
    first.iter().any(|day| second.contains(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn formats_dates_like_gov_uk() {
        assert_eq!(long_date(day(2027, 3, 12)), "12 March 2027");
        assert_eq!(long_date(day(2027, 3, 2)), "2 March 2027");
        assert_eq!(
            long_dates(&[day(2027, 3, 13), day(2027, 3, 12)]),
            "12 March 2027 and 13 March 2027"
        );
    }

    #[test]
    fn overlap_means_a_shared_day() {
        assert!(visits_overlap(
            &[day(2027, 3, 12), day(2027, 3, 13)],
            &[day(2027, 3, 13)]
        ));
        assert!(!visits_overlap(&[day(2027, 3, 12)], &[day(2027, 3, 13)]));
    }
}
