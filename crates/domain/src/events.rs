//! Thematic peer challenge events: a short event (at most three hours) on one area of
//! practice, to which every area of the region names officers. The event's answers and their
//! checks, its states and the moves between them, and the nomination rules (capacity per area,
//! the close date, nobody named twice) live here so the store refuses what the pages refuse.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use crate::forms::FieldProblem;
use crate::{EmailAddress, MultiLine, OneLine, ThemeCode, limits};

/// The longest an event may run: the scheme's offer is "at most 3 hours".
pub const LONGEST: Duration = Duration::hours(3);

/// The most officers an area may name to one event; more is a conference, not an event.
pub const MOST_PER_AREA: u32 = 20;

vocabulary!(
    /// Where the event happens.
    EventFormat {
        FaceToFace => "face_to_face", "Face to face";
        Online => "online", "Online";
    }
);

vocabulary!(
    /// Where an event stands. The codes are stored.
    EventState {
        Draft => "draft", "Draft";
        Open => "open", "Open for nominations";
        KloesShared => "kloes_shared", "KLOEs shared";
        Held => "held", "Held";
        Returns => "returns", "Returns";
        OverviewPublished => "overview_published", "Overview published";
        Closed => "closed", "Closed";
        Cancelled => "cancelled", "Cancelled";
    }
);

impl EventState {
    /// The one move forward from here, if any (cancelling is offered separately).
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Draft => Some(Self::Open),
            Self::Open => Some(Self::KloesShared),
            Self::KloesShared => Some(Self::Held),
            Self::Held => Some(Self::Returns),
            Self::Returns => Some(Self::OverviewPublished),
            Self::OverviewPublished => Some(Self::Closed),
            Self::Closed | Self::Cancelled => None,
        }
    }

    /// Whether `self → to` is a move the event may make: one step forward, or cancelling
    /// anything not yet over.
    pub fn may_move_to(self, to: Self) -> bool {
        self.next() == Some(to) || (to == Self::Cancelled && self.is_live())
    }

    /// Not closed or cancelled: the event can still change.
    pub fn is_live(self) -> bool {
        !matches!(self, Self::Closed | Self::Cancelled)
    }

    /// Only a draft or an open event has its details changed: after the KLOEs are out, people
    /// have planned around them.
    pub fn may_edit(self) -> bool {
        matches!(self, Self::Draft | Self::Open)
    }

    /// Nominations are taken while the event is open (the close date is checked as well).
    pub fn takes_nominations(self) -> bool {
        self == Self::Open
    }

    /// Attendance is recorded once the event has been held.
    pub fn may_record_attendance(self) -> bool {
        matches!(self, Self::Held | Self::Returns)
    }

    /// The label of the button that moves an event on into `self`.
    pub fn move_label(self) -> &'static str {
        match self {
            Self::Draft => "Back to draft",
            Self::Open => "Open for nominations",
            Self::KloesShared => "Mark KLOEs as shared",
            Self::Held => "Mark as held",
            Self::Returns => "Ask areas for their next steps",
            Self::OverviewPublished => "Mark the overview as published",
            Self::Closed => "Close the event",
            Self::Cancelled => "Cancel the event",
        }
    }
}

vocabulary!(
    /// The organisation a nominee comes from, within the local area.
    Organisation {
        LocalAuthority => "local_authority", "Local authority";
        Health => "health", "Health";
        ParentCarerForum => "parent_carer_forum", "Parent carer forum";
        Education => "education", "Education";
    }
);

/// An event's details as the co-ordinator typed them, kept as typed for the form.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct EventAnswers {
    pub title: String,
    pub theme: String,
    pub topic: String,
    pub date: String,
    pub starts: String,
    pub ends: String,
    pub format: String,
    pub venue: String,
    pub address: String,
    pub accessibility: String,
    pub joining_link: String,
    pub facilitator: String,
    pub capacity: String,
    pub nominations_close: String,
    pub returns_due: String,
}

/// Where a face-to-face event happens, or how to join an online one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    FaceToFace {
        venue: OneLine,
        address: MultiLine,
        accessibility: MultiLine,
    },
    Online {
        /// An `https://` address, checked.
        joining_link: String,
    },
}

impl Place {
    pub fn format(&self) -> EventFormat {
        match self {
            Self::FaceToFace { .. } => EventFormat::FaceToFace,
            Self::Online { .. } => EventFormat::Online,
        }
    }
}

/// An event's details, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDetails {
    pub title: OneLine,
    pub theme: ThemeCode,
    pub topic: MultiLine,
    pub date: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub place: Place,
    pub facilitator: OneLine,
    /// How many officers each area may name.
    pub capacity: u32,
    pub nominations_close: NaiveDate,
    pub returns_due: NaiveDate,
}

impl EventDetails {
    /// When it starts, in UK local time.
    pub fn starts_at(&self) -> NaiveDateTime {
        self.date.and_time(self.starts)
    }

    pub fn ends_at(&self) -> NaiveDateTime {
        self.date.and_time(self.ends)
    }

    /// The answers these details came from, to fill the form for a change.
    pub fn answers(&self) -> EventAnswers {
        let (venue, address, accessibility, joining_link) = match &self.place {
            Place::FaceToFace {
                venue,
                address,
                accessibility,
            } => (
                venue.to_string(),
                address.to_string(),
                accessibility.to_string(),
                String::new(),
            ),
            Place::Online { joining_link } => (
                String::new(),
                String::new(),
                String::new(),
                joining_link.clone(),
            ),
        };
        EventAnswers {
            title: self.title.to_string(),
            theme: self.theme.to_string(),
            topic: self.topic.to_string(),
            date: self.date.format("%d/%m/%Y").to_string(),
            starts: self.starts.format("%H:%M").to_string(),
            ends: self.ends.format("%H:%M").to_string(),
            format: self.place.format().code().to_owned(),
            venue,
            address,
            accessibility,
            joining_link,
            facilitator: self.facilitator.to_string(),
            capacity: self.capacity.to_string(),
            nominations_close: self.nominations_close.format("%d/%m/%Y").to_string(),
            returns_due: self.returns_due.format("%d/%m/%Y").to_string(),
        }
    }
}

fn typed_date(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    text: &str,
    what: &str,
) -> Option<NaiveDate> {
    match text.trim() {
        "" => {
            problems.push(FieldProblem::new(field, format!("Enter {what}")));
            None
        }
        text => NaiveDate::parse_from_str(text, "%d/%m/%Y")
            .map_err(|_| {
                problems.push(FieldProblem::new(
                    field,
                    format!("Enter {what} as a real date, like 14/03/2027"),
                ))
            })
            .ok(),
    }
}

fn typed_time(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    text: &str,
    which: &str,
) -> Option<NaiveTime> {
    match text.trim() {
        "" => {
            problems.push(FieldProblem::new(field, format!("Enter the {which} time")));
            None
        }
        text => crate::training::parse_time(text).or_else(|| {
            problems.push(FieldProblem::new(
                field,
                format!("Enter the {which} time as hours and minutes, like 10:00 or 2pm"),
            ));
            None
        }),
    }
}

/// Free text of an event, bounded and checked for anything that identifies a child.
fn text<T>(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    parsed: Result<T, crate::TextProblem>,
    words: impl Fn(&T) -> &str,
) -> Option<T> {
    match parsed {
        Ok(value) => match crate::personal_data::check_free_text(field, words(&value)) {
            Ok(()) => Some(value),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
        Err(error) => {
            problems.push(FieldProblem::new(field, error.to_string()));
            None
        }
    }
}

/// Free text naming a place (a venue, its address): bounded, but not checked for personal
/// data, as a venue's full postcode is what people need to find it.
fn place_text<T>(
    problems: &mut Vec<FieldProblem>,
    field: &str,
    parsed: Result<T, crate::TextProblem>,
) -> Option<T> {
    parsed
        .map_err(|error| problems.push(FieldProblem::new(field, error.to_string())))
        .ok()
}

/// An online event's joining link: an absolute `https://` address with a host.
pub fn check_joining_link(input: &str) -> Result<String, &'static str> {
    let link = input.trim();
    if link.is_empty() {
        return Err("Enter the joining link for the online event");
    }
    let Some(rest) = link.strip_prefix("https://") else {
        return Err("The joining link must start with https://");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !host_ok || link.chars().any(|c| c.is_whitespace() || c.is_control()) || link.len() > 2000 {
        return Err("Enter the joining link as a web address, like https://meet.example.org/abc");
    }
    Ok(link.to_owned())
}

impl EventAnswers {
    /// The details, or each field's problem keyed by its HTML id. `today` refuses a date in
    /// the past for a new event; a change to an existing one passes `None` only when the
    /// date is unchanged (it may be today or already past when the event is corrected).
    pub fn check(
        &self,
        themes: &[ThemeCode],
        today: Option<NaiveDate>,
    ) -> Result<EventDetails, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let p = &mut problems;
        let title = text(
            p,
            "title",
            OneLine::required("The title", "a title", &self.title, limits::TITLE),
            OneLine::as_str,
        );
        let theme = match ThemeCode::parse(self.theme.trim()).filter(|t| themes.contains(t)) {
            Some(theme) => Some(theme),
            None => {
                p.push(FieldProblem::new(
                    "theme",
                    "Choose the area of practice the event is about",
                ));
                None
            }
        };
        let topic = text(
            p,
            "topic",
            MultiLine::required("The topic", "the topic", &self.topic, limits::STATEMENT),
            MultiLine::as_str,
        );
        let date = typed_date(p, "date", &self.date, "the date of the event");
        if let (Some(date), Some(today)) = (date, today)
            && date < today
        {
            p.push(FieldProblem::new(
                "date",
                "The date of the event must be today or in the future",
            ));
        }
        let starts = typed_time(p, "starts", &self.starts, "start");
        let ends = typed_time(p, "ends", &self.ends, "end");
        if let (Some(starts), Some(ends)) = (starts, ends) {
            if ends <= starts {
                p.push(FieldProblem::new(
                    "ends",
                    "The end time must be after the start time",
                ));
            } else if ends - starts > LONGEST {
                p.push(FieldProblem::new(
                    "ends",
                    "A thematic event lasts at most 3 hours: end it earlier or start it later",
                ));
            }
        }
        let place = match EventFormat::parse(self.format.trim()) {
            None => {
                p.push(FieldProblem::new(
                    "format",
                    "Choose whether the event is face to face or online",
                ));
                None
            }
            Some(EventFormat::Online) => match check_joining_link(&self.joining_link) {
                Ok(joining_link) => Some(Place::Online { joining_link }),
                Err(message) => {
                    p.push(FieldProblem::new("joining_link", message));
                    None
                }
            },
            Some(EventFormat::FaceToFace) => {
                let venue = place_text(
                    p,
                    "venue",
                    OneLine::required("The venue", "the venue", &self.venue, limits::PLACE),
                );
                let address = place_text(
                    p,
                    "address",
                    MultiLine::required("The address", "the address", &self.address, limits::PLACE),
                );
                let accessibility = text(
                    p,
                    "accessibility",
                    MultiLine::parse(
                        "The accessibility notes",
                        &self.accessibility,
                        limits::SHORT_NOTE,
                    ),
                    MultiLine::as_str,
                );
                match (venue, address, accessibility) {
                    (Some(venue), Some(address), Some(accessibility)) => Some(Place::FaceToFace {
                        venue,
                        address,
                        accessibility,
                    }),
                    _ => None,
                }
            }
        };
        let facilitator = text(
            p,
            "facilitator",
            OneLine::required(
                "The facilitator",
                "who facilitates the event",
                &self.facilitator,
                limits::NAME,
            ),
            OneLine::as_str,
        );
        let capacity = match self.capacity.trim().parse::<u32>() {
            Ok(n) if (1..=MOST_PER_AREA).contains(&n) => Some(n),
            Ok(_) | Err(_) if self.capacity.trim().is_empty() => {
                p.push(FieldProblem::new(
                    "capacity",
                    "Enter how many people each area may name",
                ));
                None
            }
            _ => {
                p.push(FieldProblem::new(
                    "capacity",
                    format!("Each area may name between 1 and {MOST_PER_AREA} people"),
                ));
                None
            }
        };
        let close = typed_date(
            p,
            "nominations_close",
            &self.nominations_close,
            "the date nominations close",
        );
        if let (Some(close), Some(date)) = (close, date)
            && close >= date
        {
            p.push(FieldProblem::new(
                "nominations_close",
                "Nominations must close before the day of the event",
            ));
        }
        let due = typed_date(
            p,
            "returns_due",
            &self.returns_due,
            "the date next steps are due",
        );
        if let (Some(due), Some(date)) = (due, date)
            && due <= date
        {
            p.push(FieldProblem::new(
                "returns_due",
                "Next steps are due after the day of the event",
            ));
        }
        match (
            title,
            theme,
            topic,
            date,
            starts,
            ends,
            place,
            facilitator,
            capacity,
            close,
            due,
        ) {
            (
                Some(title),
                Some(theme),
                Some(topic),
                Some(date),
                Some(starts),
                Some(ends),
                Some(place),
                Some(facilitator),
                Some(capacity),
                Some(nominations_close),
                Some(returns_due),
            ) if problems.is_empty() => Ok(EventDetails {
                title,
                theme,
                topic,
                date,
                starts,
                ends,
                place,
                facilitator,
                capacity,
                nominations_close,
                returns_due,
            }),
            _ => Err(problems),
        }
    }
}

/// A nomination as the LA lead typed it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct NominationAnswers {
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub email: String,
    /// "yes" when this person stands in if a named officer cannot come.
    pub deputy: String,
}

/// A nominee, checked. They need no account: the outbox writes to them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nominee {
    pub name: OneLine,
    pub role: OneLine,
    pub organisation: Organisation,
    pub email: EmailAddress,
    pub deputy: bool,
}

impl NominationAnswers {
    pub fn check(&self) -> Result<Nominee, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let p = &mut problems;
        let name = text(
            p,
            "name",
            OneLine::required("The name", "the person's name", &self.name, limits::NAME),
            OneLine::as_str,
        );
        let role = text(
            p,
            "role",
            OneLine::required("The role", "the person's role", &self.role, limits::TITLE),
            OneLine::as_str,
        );
        let organisation = Organisation::parse(self.organisation.trim()).or_else(|| {
            p.push(FieldProblem::new(
                "organisation",
                "Choose the organisation the person works for",
            ));
            None
        });
        let email = EmailAddress::parse(&self.email)
            .map_err(|error| p.push(FieldProblem::new("email", error.to_string())))
            .ok();
        match (name, role, organisation, email) {
            (Some(name), Some(role), Some(organisation), Some(email)) => Ok(Nominee {
                name,
                role,
                organisation,
                email,
                deputy: self.deputy == "yes",
            }),
            _ => Err(problems),
        }
    }
}

/// Why a nomination cannot be taken, whatever the answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NominationRefusal {
    NotOpen,
    Closed,
    Full,
    AlreadyNamed,
}

impl NominationRefusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::NotOpen => "this event is not taking nominations",
            Self::Closed => "nominations for this event have closed",
            Self::Full => "your area has named as many people as the event has places for",
            Self::AlreadyNamed => "this person has already been named for this event",
        }
    }
}

/// Whether an area may name `nominee` now: the event open, before its close date (the close
/// date itself is the last day), under capacity (a deputy takes no place: they come only
/// if someone cannot), and the same email not named already by any area.
pub fn check_nomination(
    state: EventState,
    close: NaiveDate,
    today: NaiveDate,
    capacity: u32,
    named_by_area: u32,
    deputy: bool,
    already_named: bool,
) -> Result<(), NominationRefusal> {
    if !state.takes_nominations() {
        return Err(NominationRefusal::NotOpen);
    }
    if today > close {
        return Err(NominationRefusal::Closed);
    }
    if already_named {
        return Err(NominationRefusal::AlreadyNamed);
    }
    if !deputy && named_by_area >= capacity {
        return Err(NominationRefusal::Full);
    }
    Ok(())
}

/// Reminders a nominee earns: a week before and the day before the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventReminder {
    WeekBefore,
    DayBefore,
}

impl EventReminder {
    /// The reminder due on `today` for an event on `date`, if any. The week's reminder is
    /// due from seven days before, so a day the daily job missed does not lose it; the store
    /// sends each once.
    pub fn due(date: NaiveDate, today: NaiveDate) -> Option<Self> {
        match (date - today).num_days() {
            2..=7 => Some(Self::WeekBefore),
            1 => Some(Self::DayBefore),
            _ => None,
        }
    }

    /// What the reminder is stored as, so none is sent twice.
    pub fn code(self) -> &'static str {
        match self {
            Self::WeekBefore => "week_before",
            Self::DayBefore => "day_before",
        }
    }
}

/// The KLOEs of an event as the co-ordinator typed them (the challenge's KLOE slots, each a
/// question and its themes) and the date they go to the nominees, checked: at least one KLOE,
/// each tagged with a theme and free of anything that identifies a child, and a sharing date
/// on or before the event's day.
pub fn check_kloes(
    answers: &crate::challenge::KloeAnswers,
    share_on: &str,
    event_date: NaiveDate,
    themes: &[ThemeCode],
) -> Result<(Vec<crate::challenge::Kloe>, NaiveDate), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let none = answers.questions.iter().all(|q| q.trim().is_empty())
        && answers.themes.iter().all(Vec::is_empty);
    let kloes = if none {
        problems.push(FieldProblem::new("kloe_1", "Enter at least one KLOE"));
        None
    } else {
        // A two-day challenge's rule (one to three KLOEs) is the slots' own bound.
        answers
            .check(crate::challenge::ChallengeKind::TwoDay, themes, false)
            .map_err(|found| problems.extend(found))
            .ok()
    };
    let date = typed_date(
        &mut problems,
        "share_on",
        share_on,
        "the date the KLOEs are shared",
    );
    if let Some(date) = date
        && date > event_date
    {
        problems.push(FieldProblem::new(
            "share_on",
            "Share the KLOEs on or before the day of the event",
        ));
    }
    match (kloes, date) {
        (Some(kloes), Some(date)) if problems.is_empty() => Ok((kloes, date)),
        _ => Err(problems),
    }
}

/// The most people in one breakout group.
pub const BREAKOUT_SIZE: usize = 6;

/// Breakout groups for the people who came, as (group name, email): as many groups as keep
/// each at most [`BREAKOUT_SIZE`], filled by dealing people out in area order, so each group
/// mixes areas as far as the numbers allow.
pub fn breakout_groups<'a>(people: &[(&'a str, &'a str)]) -> Vec<(String, &'a str)> {
    let groups = people.len().div_ceil(BREAKOUT_SIZE).max(1);
    let mut sorted: Vec<&(&str, &str)> = people.iter().collect();
    sorted.sort();
    let mut dealt: Vec<(usize, &str)> = sorted
        .iter()
        .enumerate()
        .map(|(index, (_, email))| (index % groups, *email))
        .collect();
    dealt.sort_by_key(|(group, _)| *group);
    dealt
        .into_iter()
        .map(|(group, email)| (format!("Group {}", group + 1), email))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).unwrap_or_default()
    }

    fn themes() -> Vec<ThemeCode> {
        vec![ThemeCode::parse("PFA").unwrap_or_else(|| unreachable!())]
    }

    fn online() -> EventAnswers {
        EventAnswers {
            title: "Preparation for adulthood".into(),
            theme: "PFA".into(),
            topic: "Transition to adult services".into(),
            date: "20/03/2027".into(),
            starts: "10:00".into(),
            ends: "13:00".into(),
            format: "online".into(),
            joining_link: "https://meet.example.org/pfa".into(),
            facilitator: "Regional SEND co-ordinator".into(),
            capacity: "3".into(),
            nominations_close: "13/03/2027".into(),
            returns_due: "17/04/2027".into(),
            ..EventAnswers::default()
        }
    }

    fn fields(answers: &EventAnswers, today: NaiveDate) -> Vec<String> {
        answers
            .check(&themes(), Some(today))
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn a_good_online_event_passes_and_round_trips_through_its_answers() {
        let details = online().check(&themes(), Some(day(1))).expect("valid");
        assert_eq!(details.ends - details.starts, LONGEST);
        assert_eq!(details.answers(), online());
    }

    #[test]
    fn over_three_hours_end_before_start_and_the_past_are_refused() {
        let long = EventAnswers {
            ends: "13:01".into(),
            ..online()
        };
        assert_eq!(fields(&long, day(1)), ["ends"]);
        let backwards = EventAnswers {
            ends: "9:00".into(),
            ..online()
        };
        assert_eq!(fields(&backwards, day(1)), ["ends"]);
        assert_eq!(fields(&online(), day(21)), ["date"]);
    }

    #[test]
    fn the_joining_link_must_be_https() {
        for bad in [
            "http://meet.example.org/x",
            "meet.example.org",
            "https://",
            "https://x y.org",
        ] {
            let answers = EventAnswers {
                joining_link: bad.into(),
                ..online()
            };
            assert_eq!(fields(&answers, day(1)), ["joining_link"], "{bad}");
        }
    }

    #[test]
    fn capacity_close_and_due_dates_are_checked_against_the_event() {
        let answers = EventAnswers {
            capacity: "0".into(),
            nominations_close: "20/03/2027".into(),
            returns_due: "20/03/2027".into(),
            ..online()
        };
        assert_eq!(
            fields(&answers, day(1)),
            ["capacity", "nominations_close", "returns_due"]
        );
    }

    #[test]
    fn a_face_to_face_event_needs_a_venue_and_address_and_may_give_its_postcode() {
        let answers = EventAnswers {
            format: "face_to_face".into(),
            ..online()
        };
        assert_eq!(fields(&answers, day(1)), ["venue", "address"]);
        let answers = EventAnswers {
            format: "face_to_face".into(),
            venue: "County Hall".into(),
            address: "Glenfield\nLeicester LE3 8RA".into(),
            ..online()
        };
        assert_eq!(fields(&answers, day(1)), Vec::<String>::new());
    }

    #[test]
    fn states_move_one_step_forward_or_to_cancelled() {
        assert!(EventState::Draft.may_move_to(EventState::Open));
        assert!(!EventState::Draft.may_move_to(EventState::Held));
        assert!(EventState::Held.may_move_to(EventState::Cancelled));
        assert!(!EventState::Closed.may_move_to(EventState::Cancelled));
        assert!(!EventState::Cancelled.may_move_to(EventState::Draft));
    }

    #[test]
    fn nominations_respect_state_close_capacity_and_duplicates() {
        let open = EventState::Open;
        assert_eq!(
            check_nomination(open, day(13), day(13), 2, 1, false, false),
            Ok(())
        );
        assert_eq!(
            check_nomination(open, day(13), day(14), 2, 0, false, false),
            Err(NominationRefusal::Closed)
        );
        assert_eq!(
            check_nomination(open, day(13), day(1), 2, 2, false, false),
            Err(NominationRefusal::Full)
        );
        assert_eq!(
            check_nomination(open, day(13), day(1), 2, 2, true, false),
            Ok(())
        );
        assert_eq!(
            check_nomination(open, day(13), day(1), 2, 0, false, true),
            Err(NominationRefusal::AlreadyNamed)
        );
        assert_eq!(
            check_nomination(EventState::Draft, day(13), day(1), 2, 0, false, false),
            Err(NominationRefusal::NotOpen)
        );
    }

    #[test]
    fn a_nominee_needs_every_answer() {
        let problems = NominationAnswers::default().check().expect_err("empty");
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "role", "organisation", "email"]);
    }

    #[test]
    fn reminders_fall_a_week_and_a_day_before() {
        assert_eq!(
            EventReminder::due(day(20), day(13)),
            Some(EventReminder::WeekBefore)
        );
        assert_eq!(
            EventReminder::due(day(20), day(19)),
            Some(EventReminder::DayBefore)
        );
        assert_eq!(
            EventReminder::due(day(20), day(18)),
            Some(EventReminder::WeekBefore)
        );
        assert_eq!(EventReminder::due(day(20), day(12)), None);
        assert_eq!(EventReminder::due(day(20), day(20)), None);
    }

    #[test]
    fn kloes_need_a_question_a_theme_and_a_date_by_the_event() {
        use crate::challenge::KloeAnswers;
        let mut answers = KloeAnswers::default();
        let none = check_kloes(&answers, "", day(20), &themes()).expect_err("empty");
        let fields: Vec<_> = none.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["kloe_1", "share_on"]);
        answers.questions[0] = "How well do partners plan transitions?".into();
        let untagged = check_kloes(&answers, "21/03/2027", day(20), &themes()).expect_err("bad");
        let fields: Vec<_> = untagged.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["kloe_1_themes", "share_on"]);
        answers.themes[0] = vec!["PFA".into()];
        let (kloes, on) = check_kloes(&answers, "06/03/2027", day(20), &themes()).expect("ok");
        assert_eq!((kloes.len(), on), (1, day(6)));
    }

    #[test]
    fn breakout_groups_mix_areas_and_stay_small() {
        let people: Vec<(&str, &str)> = (0..14)
            .map(|i| {
                (
                    ["derby", "leicester", "nottingham"][i % 3],
                    [
                        "a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org", "f@x.org",
                        "g@x.org", "h@x.org", "i@x.org", "j@x.org", "k@x.org", "l@x.org",
                        "m@x.org", "n@x.org",
                    ][i],
                )
            })
            .collect();
        let groups = breakout_groups(&people);
        assert_eq!(groups.len(), 14);
        for name in ["Group 1", "Group 2", "Group 3"] {
            let members: Vec<_> = groups
                .iter()
                .filter(|(g, _)| g == name)
                .map(|(_, e)| *e)
                .collect();
            assert!(
                members.len() <= BREAKOUT_SIZE && members.len() >= 4,
                "{name}: {members:?}"
            );
            let areas: std::collections::BTreeSet<_> = people
                .iter()
                .filter(|(_, e)| members.contains(e))
                .map(|(a, _)| *a)
                .collect();
            assert_eq!(areas.len(), 3, "{name} mixes every area");
        }
        assert!(breakout_groups(&[]).is_empty());
    }
}
