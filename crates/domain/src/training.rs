//! Training for the reviewer pool: a session as the project manager plans it (checked field
//! by field, in the GOV.UK pattern's words), who was invited and whether they came, and the
//! UK clock the session's date and times are typed in.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::clock::uk_to_utc;
use crate::forms::FieldProblem;
use crate::pool::{DateProblem, parse_date_parts};
use crate::text::{MultiLine, OneLine, limits};

/// The most people one session can take.
pub const MAX_CAPACITY: u16 = 100;
/// A session's title.
pub const TITLE_LIMIT: usize = limits::TITLE;
/// The venue's address, or the online link.
pub const PLACE_LIMIT: usize = limits::PLACE;
/// Who runs the session.
pub const TRAINER_LIMIT: usize = limits::NAME;

/// The session form exactly as typed, so a page with errors shows every answer again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionAnswers {
    pub title: String,
    pub day: String,
    pub month: String,
    pub year: String,
    pub starts: String,
    pub ends: String,
    pub venue: String,
    pub online_link: String,
    pub capacity: String,
    pub trainer: String,
}

/// A checked session: a date, UK times on that day, somewhere to be (a venue, an online
/// link or both) and a capacity from 1 to [`MAX_CAPACITY`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionPlan {
    pub title: String,
    pub date: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub venue: Option<String>,
    pub online_link: Option<String>,
    pub capacity: u16,
    pub trainer: String,
}

impl SessionPlan {
    /// When the session starts, in UTC.
    pub fn starts_at(&self) -> DateTime<Utc> {
        uk_to_utc(self.date.and_time(self.starts))
    }

    /// When the session ends, in UTC.
    pub fn ends_at(&self) -> DateTime<Utc> {
        uk_to_utc(self.date.and_time(self.ends))
    }
}

/// Required text on one line up to `limit` characters; `missing` reads after "Enter".
fn required(
    field: &str,
    text: &str,
    missing: &str,
    label: &str,
    limit: usize,
    problems: &mut Vec<FieldProblem>,
) -> String {
    OneLine::required(label, missing, text, limit)
        .map(OneLine::into_string)
        .unwrap_or_else(|found| {
            problems.push(FieldProblem::new(field, found));
            String::new()
        })
}

impl SessionAnswers {
    /// The plan, or every problem in the order of the form (one per field). Field keys are
    /// the form's ids: `title`, `date`, `starts`, `ends`, `venue`, `online_link`,
    /// `capacity`, `trainer`. `today` (the UK date) refuses a session already past: a
    /// session is planned to be booked.
    pub fn check(&self, today: NaiveDate) -> Result<SessionPlan, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let title = required(
            "title",
            &self.title,
            "a title for the session",
            "Title",
            TITLE_LIMIT,
            &mut problems,
        );
        let date = match parse_date_parts("Date of the session", &self.day, &self.month, &self.year)
        {
            Ok(date) if date < today => {
                problems.push(FieldProblem::new(
                    "date",
                    "The date of the session must be today or in the future",
                ));
                None
            }
            Ok(date) => Some(date),
            Err(DateProblem::Missing(_)) => {
                problems.push(FieldProblem::new("date", "Enter the date of the session"));
                None
            }
            Err(other) => {
                problems.push(FieldProblem::new("date", other));
                None
            }
        };
        let starts = match self.starts.trim() {
            "" => {
                problems.push(FieldProblem::new("starts", "Enter the start time"));
                None
            }
            text => parse_time(text).or_else(|| {
                problems.push(FieldProblem::new(
                    "starts",
                    "Enter the start time as hours and minutes, like 10:00 or 14:30",
                ));
                None
            }),
        };
        let ends = match self.ends.trim() {
            "" => {
                problems.push(FieldProblem::new("ends", "Enter the end time"));
                None
            }
            text => match parse_time(text) {
                None => {
                    problems.push(FieldProblem::new(
                        "ends",
                        "Enter the end time as hours and minutes, like 13:00 or 16:30",
                    ));
                    None
                }
                Some(ends) if starts.is_some_and(|starts| ends <= starts) => {
                    problems.push(FieldProblem::new(
                        "ends",
                        "The end time must be after the start time",
                    ));
                    None
                }
                Some(ends) => Some(ends),
            },
        };
        let venue = MultiLine::parse("Venue", &self.venue, PLACE_LIMIT)
            .map(MultiLine::into_string)
            .unwrap_or_else(|found| {
                problems.push(FieldProblem::new("venue", found));
                String::new()
            });
        let link = self.online_link.trim();
        if venue.is_empty() && link.is_empty() && self.venue.trim().is_empty() {
            problems.push(FieldProblem::new(
                "venue",
                "Enter a venue or an online link for the session",
            ));
        }
        if !link.is_empty() && !is_web_link(link) {
            problems.push(FieldProblem::new(
                "online_link",
                "Enter the online link in the correct format, like https://meet.example.org/training",
            ));
        }
        let capacity = match self.capacity.trim() {
            "" => {
                problems.push(FieldProblem::new(
                    "capacity",
                    "Enter how many people the session can take",
                ));
                None
            }
            text => match text.parse::<u16>() {
                Ok(number) if (1..=MAX_CAPACITY).contains(&number) => Some(number),
                Ok(_) => {
                    problems.push(FieldProblem::new(
                        "capacity",
                        format!("Capacity must be between 1 and {MAX_CAPACITY}"),
                    ));
                    None
                }
                Err(_) => {
                    problems.push(FieldProblem::new(
                        "capacity",
                        "Capacity must be a whole number, like 12",
                    ));
                    None
                }
            },
        };
        let trainer = required(
            "trainer",
            &self.trainer,
            "the name of the trainer",
            "Trainer",
            TRAINER_LIMIT,
            &mut problems,
        );
        match (date, starts, ends, capacity) {
            (Some(date), Some(starts), Some(ends), Some(capacity)) if problems.is_empty() => {
                Ok(SessionPlan {
                    title,
                    date,
                    starts,
                    ends,
                    venue: (!venue.is_empty()).then_some(venue),
                    online_link: (!link.is_empty()).then(|| link.to_owned()),
                    capacity,
                    trainer,
                })
            }
            _ => Err(problems),
        }
    }
}

/// An https (or http) address with a host and no spaces: something a calendar can open.
fn is_web_link(text: &str) -> bool {
    if text.chars().count() > PLACE_LIMIT
        || text.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.and_then(|rest| rest.split(['/', '?', '#']).next())
        .is_some_and(|host| host.contains('.') && !host.starts_with('.') && !host.ends_with('.'))
}

/// A time of day as people type it: `10:00`, `9:30`, `14.30`, `1430`, `10am`, `2:30pm`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let lower = text.trim().to_lowercase().replace(' ', "");
    let (digits, half) = if let Some(rest) = lower.strip_suffix("am") {
        (rest, Some(false))
    } else if let Some(rest) = lower.strip_suffix("pm") {
        (rest, Some(true))
    } else {
        (lower.as_str(), None)
    };
    let (hour, minute) = match digits.split_once([':', '.']) {
        Some((hour, minute)) if minute.len() == 2 => (hour, minute),
        Some(_) => return None,
        None if half.is_some() && (1..=2).contains(&digits.len()) => (digits, "00"),
        // Checked as digits before splitting: four bytes of other text may not split at 2.
        None if digits.len() == 4
            && half.is_none()
            && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            digits.split_at(2)
        }
        None => return None,
    };
    if hour.is_empty() || hour.len() > 2 || !hour.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !minute.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute.parse().ok()?;
    match half {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (hour, true) => hour + 12,
                (hour, false) => hour,
            };
        }
        None if hour > 23 => return None,
        None => {}
    }
    NaiveTime::from_hms_opt(hour, minute, 0)
}

/// Whether someone invited came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attendance {
    Attended,
    Absent,
}

impl Attendance {
    pub fn code(self) -> &'static str {
        match self {
            Self::Attended => "attended",
            Self::Absent => "absent",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        [Self::Attended, Self::Absent]
            .into_iter()
            .find(|attendance| attendance.code() == input)
    }
}

vocabulary!(
    /// A place on a session: invited, then recorded as attended or absent.
    PlaceStatus {
        Invited => "invited", "Invited";
        Attended => "attended", "Attended";
        Absent => "absent", "Did not attend";
    }
);

impl From<Attendance> for PlaceStatus {
    fn from(attendance: Attendance) -> Self {
        match attendance {
            Attendance::Attended => Self::Attended,
            Attendance::Absent => Self::Absent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_bounded_and_clean() {
        let session = SessionAnswers {
            title: "Reviewer\ntraining".into(),
            venue: "County Hall\r\nMatlock\u{0}".into(),
            trainer: "t".repeat(TRAINER_LIMIT + 1),
            online_link: "https://meet.example.org/\u{0}".into(),
            ..answers()
        };
        assert_eq!(
            fields(session.check(today())),
            [
                ("title", "Title must be on one line"),
                ("venue", "Venue must not contain control characters"),
                (
                    "online_link",
                    "Enter the online link in the correct format, like https://meet.example.org/training"
                ),
                ("trainer", "Trainer must be 200 characters or fewer"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );
        let plan = SessionAnswers {
            venue: "County Hall\r\nMatlock".into(),
            ..answers()
        }
        .check(today())
        .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(plan.venue.as_deref(), Some("County Hall\nMatlock"));
    }

    /// Before the sample session's day.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 2, 1).unwrap_or_default()
    }

    #[test]
    fn a_session_already_past_is_refused() {
        let past = NaiveDate::from_ymd_opt(2027, 3, 5).unwrap_or_default();
        assert_eq!(
            fields(answers().check(past)),
            [(
                "date".to_owned(),
                "The date of the session must be today or in the future".to_owned()
            )]
        );
        let on_the_day = NaiveDate::from_ymd_opt(2027, 3, 4).unwrap_or_default();
        assert!(answers().check(on_the_day).is_ok());
    }

    fn answers() -> SessionAnswers {
        SessionAnswers {
            title: "Reviewer training".into(),
            day: "4".into(),
            month: "3".into(),
            year: "2027".into(),
            starts: "10:00".into(),
            ends: "15:30".into(),
            venue: "County Hall, Matlock".into(),
            online_link: String::new(),
            capacity: "16".into(),
            trainer: "Alex Morgan".into(),
        }
    }

    fn fields(result: Result<SessionPlan, Vec<FieldProblem>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| (problem.field, problem.message))
            .collect()
    }

    fn time(hour: u32, minute: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(hour, minute, 0)
    }

    #[test]
    fn a_complete_session_is_accepted() {
        let plan = answers()
            .check(today())
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(
            plan.date,
            NaiveDate::from_ymd_opt(2027, 3, 4).unwrap_or_default()
        );
        assert_eq!(Some(plan.starts), time(10, 0));
        assert_eq!(plan.capacity, 16);
        assert_eq!(plan.online_link, None);
        // 4 March is GMT; 10:00 there is 10:00 UTC.
        assert_eq!(plan.starts_at().to_rfc3339(), "2027-03-04T10:00:00+00:00");
    }

    #[test]
    fn every_problem_is_named_next_to_its_field() {
        let empty = SessionAnswers::default();
        let problems = fields(empty.check(today()));
        let keys: Vec<&str> = problems.iter().map(|(field, _)| field.as_str()).collect();
        assert_eq!(
            keys,
            [
                "title", "date", "starts", "ends", "venue", "capacity", "trainer"
            ]
        );
        assert!(problems.contains(&("date".into(), "Enter the date of the session".into())));

        let mut bad = answers();
        bad.day = "31".into();
        bad.month = "2".into();
        bad.starts = "14:00".into();
        bad.ends = "13:00".into();
        bad.capacity = "101".into();
        bad.online_link = "meet dot example".into();
        assert_eq!(
            fields(bad.check(today())),
            [
                ("date".into(), "Date of the session must be a real date".into()),
                ("ends".into(), "The end time must be after the start time".into()),
                (
                    "online_link".into(),
                    "Enter the online link in the correct format, like https://meet.example.org/training".into()
                ),
                ("capacity".into(), "Capacity must be between 1 and 100".into()),
            ]
        );
        let mut fraction = answers();
        fraction.capacity = "2.5".into();
        assert_eq!(
            fields(fraction.check(today())),
            [(
                "capacity".into(),
                "Capacity must be a whole number, like 12".into()
            )]
        );
        let mut nowhere = answers();
        nowhere.venue = "  ".into();
        assert_eq!(
            fields(nowhere.check(today())),
            [(
                "venue".into(),
                "Enter a venue or an online link for the session".into()
            )]
        );
        let mut online = nowhere.clone();
        online.online_link = "https://meet.example.org/abc?pwd=1".into();
        assert!(online.check(today()).is_ok_and(|plan| plan.venue.is_none()));
    }

    #[test]
    fn times_are_read_as_people_type_them() {
        assert_eq!(parse_time("10:00"), time(10, 0));
        assert_eq!(parse_time(" 9:05 "), time(9, 5));
        assert_eq!(parse_time("14.30"), time(14, 30));
        assert_eq!(parse_time("1430"), time(14, 30));
        assert_eq!(parse_time("10am"), time(10, 0));
        assert_eq!(parse_time("2:30 PM"), time(14, 30));
        assert_eq!(parse_time("12pm"), time(12, 0));
        assert_eq!(parse_time("12am"), time(0, 0));
        for bad in [
            "",
            "25:00",
            "10:60",
            "10:5",
            "13pm",
            "ten",
            "10",
            "1:00:00",
            "-1:00",
            "a\u{1380}",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn uk_times_follow_summer_time() {
        use crate::clock::uk_date;
        use chrono::TimeZone;
        let local = |y, m, d, h| {
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|day| day.and_hms_opt(h, 0, 0))
                .unwrap_or_default()
        };
        // GMT in winter, BST in summer.
        assert_eq!(
            uk_to_utc(local(2027, 1, 12, 10)).to_rfc3339(),
            "2027-01-12T10:00:00+00:00"
        );
        assert_eq!(
            uk_to_utc(local(2027, 7, 12, 10)).to_rfc3339(),
            "2027-07-12T09:00:00+00:00"
        );
        // Clocks go forward on 28 March 2027 and back on 31 October 2027.
        assert_eq!(
            uk_to_utc(local(2027, 3, 28, 3)).to_rfc3339(),
            "2027-03-28T02:00:00+00:00"
        );
        assert_eq!(
            uk_to_utc(local(2027, 10, 31, 3)).to_rfc3339(),
            "2027-10-31T03:00:00+00:00"
        );
        // 23:30 UTC on a summer evening is already the next day in the UK.
        let late = Utc
            .with_ymd_and_hms(2027, 7, 12, 23, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            uk_date(late),
            NaiveDate::from_ymd_opt(2027, 7, 13).unwrap_or_default()
        );
        let winter = Utc
            .with_ymd_and_hms(2027, 1, 12, 23, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            uk_date(winter),
            NaiveDate::from_ymd_opt(2027, 1, 12).unwrap_or_default()
        );
    }

    #[test]
    fn codes_round_trip() {
        for status in PlaceStatus::ALL {
            assert_eq!(PlaceStatus::parse(status.code()), Some(status));
        }
        for attendance in [Attendance::Attended, Attendance::Absent] {
            assert_eq!(Attendance::parse(attendance.code()), Some(attendance));
        }
    }
}
