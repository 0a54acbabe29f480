//! The reviewer pool's vocabulary: who reviewers are, how deep their expertise goes, when
//! they cannot take part, and the dates and answers an application is made of.

pub mod profile;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::forms::FieldProblem;
use crate::text::OneLine;
use crate::{AuthoritySlug, EmailAddress, PersonName, ThemeCode};

vocabulary!(
    /// Who a reviewer is, as they describe themselves when applying.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    ReviewerType {
        LaOfficer => "la_officer", "Local authority officer";
        ParentCarer => "parent_carer", "Parent or carer";
        YoungAmbassador => "young_ambassador", "Young ambassador";
        /// A Designated Clinical Officer or another health professional.
        Health => "health", "Designated Clinical Officer or other health professional";
        Education => "education", "Education professional";
        SocialCare => "social_care", "Social care professional";
        Other => "other", "Something else";
    }
);

impl ReviewerType {
    /// Works in SEND professionally (as opposed to bringing lived experience as a parent carer
    /// or young ambassador). Only professionals see a case's details or lead a team.
    pub fn is_professional(self) -> bool {
        !matches!(self, Self::ParentCarer | Self::YoungAmbassador)
    }
}
vocabulary!(
    /// How well someone knows a SEND practice theme.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    ExpertiseLevel {
        Some => "some", "Some knowledge";
        Strong => "strong", "Strong knowledge";
        Specialist => "specialist", "Specialist";
    }
);

impl ExpertiseLevel {
    /// Strong or specialist knowledge is what covers a theme on a team.
    pub fn covers_a_theme(self) -> bool {
        matches!(self, Self::Strong | Self::Specialist)
    }
}
vocabulary!(
    /// A young ambassador's age band. Under 18 needs a parent or carer's consent.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    AgeBand {
        Under16 => "under_16", "Under 16";
        SixteenToSeventeen => "16_to_17", "16 or 17";
        EighteenToTwentyFive => "18_to_25", "18 to 25";
    }
);

impl AgeBand {
    pub fn needs_consent(self) -> bool {
        !matches!(self, Self::EighteenToTwentyFive)
    }
}
/// Where a reviewer is based: an authority of the region, or somewhere else in England.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeArea {
    Authority(AuthoritySlug),
    /// Outside the East Midlands, with the region they name.
    OutsideRegion(String),
}

vocabulary!(
    /// Whether a member can be asked to sit on a team.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    MemberStatus {
        Active => "active", "Active";
        /// Taking a break; not asked until they return.
        Paused => "paused", "Paused";
        /// Left the pool; kept only as long as the retention rules say.
        Left => "left", "Left the pool";
    }
);

/// Everything known about a member when they join or update their profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberProfile {
    pub name: PersonName,
    pub email: EmailAddress,
    pub phone: Option<PhoneNumber>,
    pub reviewer_type: ReviewerType,
    pub organisation: String,
    pub home: HomeArea,
    pub experience: String,
    pub adjustments: String,
    pub needs_training: bool,
    pub trained_on: Option<NaiveDate>,
    pub online_only: bool,
    pub max_per_year: u8,
    pub expertise: Vec<(ThemeCode, ExpertiseLevel)>,
    pub unavailable: Vec<DateRange>,
    /// Authorities they must not review, and why.
    pub conflicts: Vec<(AuthoritySlug, String)>,
    /// Authorities they can travel to (empty with `online_only`).
    pub travel_to: Vec<AuthoritySlug>,
}

/// What is wrong with a date typed as day, month and year, in the GOV.UK pattern's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum DateProblem {
    #[error("Enter {0}")]
    Missing(&'static str),
    #[error("{0} must include a {1}")]
    Incomplete(&'static str, &'static str),
    #[error("{0} must be a real date")]
    NotReal(&'static str),
    /// A year typed short ("27"): ask for all four digits rather than call it unreal.
    #[error("{0} must include a year with four digits, like 2027")]
    ShortYear(&'static str),
    #[error("The end date must be the same as or after the start date")]
    EndBeforeStart,
}

/// Read a date from the three boxes of the GOV.UK date input. `what` names the date in
/// messages ("Start date"). Month names ("March", "mar") are accepted as the pattern advises.
pub fn parse_date_parts(
    what: &'static str,
    day: &str,
    month: &str,
    year: &str,
) -> Result<NaiveDate, DateProblem> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Err(DateProblem::Missing(what));
    }
    for (value, part) in [(day, "day"), (month, "month"), (year, "year")] {
        if value.is_empty() {
            return Err(DateProblem::Incomplete(what, part));
        }
    }
    let month = month_number(month).ok_or(DateProblem::NotReal(what))?;
    let day: u32 = day.parse().map_err(|_| DateProblem::NotReal(what))?;
    if year.len() < 4 && year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateProblem::ShortYear(what));
    }
    let year: i32 = year.parse().map_err(|_| DateProblem::NotReal(what))?;
    if !(1900..=2200).contains(&year) {
        return Err(DateProblem::NotReal(what));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::NotReal(what))
}

fn month_number(text: &str) -> Option<u32> {
    if let Ok(number) = text.parse::<u32>() {
        return (1..=12).contains(&number).then_some(number);
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = text.to_lowercase();
    let prefix = lower.get(..3)?;
    MONTHS
        .iter()
        .position(|month| *month == prefix)
        .and_then(|index| u32::try_from(index + 1).ok())
}

/// A span of days, both ends included, whose end is not before its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

impl DateRange {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, DateProblem> {
        if end < start {
            Err(DateProblem::EndBeforeStart)
        } else {
            Ok(Self { start, end })
        }
    }

    pub fn start(&self) -> NaiveDate {
        self.start
    }

    pub fn end(&self) -> NaiveDate {
        self.end
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start.format("%-d %B %Y"))
        } else {
            write!(
                f,
                "{} to {}",
                self.start.format("%-d %B %Y"),
                self.end.format("%-d %B %Y")
            )
        }
    }
}

/// An application's short reference, quoted in emails and on the phone: `PC-` and six
/// characters from an alphabet without look-alikes (no 0/O, 1/I/L).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ApplicationReference(String);

impl ApplicationReference {
    const ALPHABET: &'static [u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// A reference from six random bytes (the caller supplies the randomness: no IO here).
    pub fn from_random(bytes: [u8; 6]) -> Self {
        let code: String = bytes
            .iter()
            .map(|byte| char::from(Self::ALPHABET[usize::from(*byte) % Self::ALPHABET.len()]))
            .collect();
        Self(format!("PC-{code}"))
    }

    pub fn parse(input: &str) -> Option<Self> {
        let upper = input.trim().to_uppercase();
        let code = upper.strip_prefix("PC-")?;
        let valid = code.len() == 6 && code.bytes().all(|byte| Self::ALPHABET.contains(&byte));
        valid.then_some(Self(upper))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ApplicationReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn dates_are_read_the_gov_uk_way() {
        assert_eq!(
            parse_date_parts("Start date", "12", "3", "2027"),
            Ok(day(2027, 3, 12))
        );
        assert_eq!(
            parse_date_parts("Start date", "12", "March", "2027"),
            Ok(day(2027, 3, 12))
        );
        assert_eq!(
            parse_date_parts("Start date", " 1 ", "dec", "2026"),
            Ok(day(2026, 12, 1))
        );
        assert_eq!(
            parse_date_parts("Start date", "", "", ""),
            Err(DateProblem::Missing("Start date"))
        );
        assert_eq!(
            parse_date_parts("Start date", "12", "", "2027"),
            Err(DateProblem::Incomplete("Start date", "month"))
        );
        assert_eq!(
            parse_date_parts("Start date", "31", "2", "2027"),
            Err(DateProblem::NotReal("Start date"))
        );
        assert_eq!(
            parse_date_parts("Start date", "1", "13", "2027"),
            Err(DateProblem::NotReal("Start date"))
        );
        assert_eq!(
            parse_date_parts("Start date", "1", "1", "27").map_err(|problem| problem.to_string()),
            Err("Start date must include a year with four digits, like 2027".to_owned())
        );
        assert_eq!(
            parse_date_parts("Start date", "1", "1", "0027"),
            Err(DateProblem::NotReal("Start date"))
        );
        assert_eq!(
            parse_date_parts("Start date", "12", "", "2027").map_err(|problem| problem.to_string()),
            Err("Start date must include a month".to_owned())
        );
    }

    #[test]
    fn a_range_never_ends_before_it_starts() {
        assert_eq!(
            DateRange::new(day(2027, 3, 12), day(2027, 3, 11)),
            Err(DateProblem::EndBeforeStart)
        );
        let range =
            DateRange::new(day(2027, 3, 12), day(2027, 3, 14)).unwrap_or_else(|_| unreachable!());
        assert!(range.contains(day(2027, 3, 14)) && !range.contains(day(2027, 3, 15)));
        assert_eq!(range.to_string(), "12 March 2027 to 14 March 2027");
    }

    #[test]
    fn references_avoid_look_alike_characters() {
        let reference = ApplicationReference::from_random([0, 1, 2, 30, 31, 255]);
        assert_eq!(reference.as_str().len(), 9);
        assert!(!reference.as_str()[3..].contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(
            ApplicationReference::parse(&reference.as_str().to_lowercase()),
            Some(reference)
        );
        assert_eq!(ApplicationReference::parse("PC-O0O0O0"), None);
    }

    #[test]
    fn codes_round_trip() {
        for kind in ReviewerType::ALL {
            assert_eq!(ReviewerType::parse(kind.code()), Some(kind));
        }
        for level in ExpertiseLevel::ALL {
            assert_eq!(ExpertiseLevel::parse(level.code()), Some(level));
        }
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::parse(band.code()), Some(band));
        }
        assert!(
            AgeBand::SixteenToSeventeen.needs_consent()
                && !AgeBand::EighteenToTwentyFive.needs_consent()
        );
        assert!(ExpertiseLevel::Strong.covers_a_theme() && !ExpertiseLevel::Some.covers_a_theme());
    }
}

/// The longest phone number anyone may type, spaces and brackets included.
pub const PHONE_LIMIT: usize = 30;

/// What the phone fields of the application and the profile say when a number will not do.
pub const PHONE_PROBLEM: &str =
    "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192";

/// A telephone number someone could really be called on: a UK number of 10 or 11 digits
/// (`01632 960 001`, `07700 900 982`, `+44 808 157 0192`, `+44 (0)1632 960001`), or an
/// international one (`+` or `00` and a country code) of at most 15 digits, as E.164 allows.
/// Spaces, hyphens and brackets may separate the digits; the number is kept as typed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// The number typed in a form: blank is no number, anything else must be a real one.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, &'static str> {
        let typed = input.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        Self::parse(typed).map(Some)
    }

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let typed = input.trim();
        let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')');
        let (international, rest) = match typed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, typed),
        };
        if typed.chars().count() > PHONE_LIMIT || !rest.chars().all(allowed) {
            return Err(PHONE_PROBLEM);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let international = international || digits.starts_with("00");
        let valid = if international {
            let country_and_number = digits.strip_prefix("00").unwrap_or(&digits);
            match country_and_number.strip_prefix("44") {
                // A UK number written internationally: the trunk 0 is dropped, though people
                // often write it in brackets ("+44 (0)1632 ..."), so one leading 0 is allowed.
                Some(national) => {
                    let national = national.strip_prefix('0').unwrap_or(national);
                    !national.starts_with('0') && (9..=10).contains(&national.len())
                }
                None => {
                    !country_and_number.starts_with('0')
                        && (8..=15).contains(&country_and_number.len())
                }
            }
        } else {
            digits.starts_with('0') && (10..=11).contains(&digits.len())
        };
        if valid {
            Ok(Self(typed.to_owned()))
        } else {
            Err(PHONE_PROBLEM)
        }
    }

    /// A number read back from the database, kept by an earlier, looser rule: shown as it is
    /// rather than refused, and checked again when next edited.
    pub fn stored(number: String) -> Self {
        Self(number)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest reason someone may give for a conflict of interest.
pub const CONFLICT_REASON_LIMIT: usize = crate::text::limits::SENTENCE;

/// An authority someone must not review, and why, as typed in a row of the application or
/// the profile form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictAnswer {
    pub authority: String,
    pub reason: String,
}

/// The one rule for declared conflicts, in the application and the profile alike: a row left
/// blank is skipped; otherwise it needs an authority from `authorities` (slug and name) and a
/// reason, and an authority listed twice is an error naming it. Rows are numbered in field ids
/// (`conflict-<n>-authority`, `conflict-<n>-reason`) from `first_number`.
pub fn check_conflicts(
    rows: &[ConflictAnswer],
    authorities: &[(AuthoritySlug, String)],
    first_number: usize,
    problems: &mut Vec<FieldProblem>,
) -> Vec<(AuthoritySlug, String)> {
    let mut conflicts: Vec<(AuthoritySlug, String)> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let number = first_number + index;
        let authority_field = format!("conflict-{number}-authority");
        let reason_field = format!("conflict-{number}-reason");
        let reason = match OneLine::parse("Reason", &row.reason, CONFLICT_REASON_LIMIT) {
            Ok(reason) => reason.into_string(),
            Err(found) => {
                problems.push(FieldProblem::new(reason_field, found));
                continue;
            }
        };
        if row.authority.is_empty() && reason.is_empty() {
            continue;
        }
        let Some((authority, name)) = authorities
            .iter()
            .find(|(slug, _)| slug.as_str() == row.authority)
        else {
            problems.push(FieldProblem::new(
                authority_field,
                "Select the authority you must not review",
            ));
            continue;
        };
        if conflicts.iter().any(|(listed, _)| listed == authority) {
            problems.push(FieldProblem::new(
                authority_field,
                format!("You have already listed {name}"),
            ));
            continue;
        }
        if reason.is_empty() {
            problems.push(FieldProblem::new(
                reason_field,
                format!("Enter why you must not review {name}"),
            ));
            continue;
        }
        conflicts.push((authority.clone(), reason));
    }
    conflicts.sort();
    conflicts
}

#[cfg(test)]
mod phone_and_conflict_tests {
    use super::*;

    #[test]
    fn uk_and_international_numbers_are_phone_numbers() {
        for good in [
            "01632 960 001",
            "07700 900 982",
            "07700900982",
            "0115 496 0000",
            "+44 808 157 0192",
            "+44 (0)1632 960001",
            "0044 7700 900982",
            "(01632) 960-001",
            "+353 1 234 5678",
            "+1 202 555 0143",
        ] {
            assert_eq!(
                PhoneNumber::parse(good).map(|p| p.to_string()),
                Ok(good.to_owned()),
                "{good}"
            );
        }
    }

    #[test]
    fn numbers_nobody_could_ring_are_refused() {
        for bad in [
            "123456",
            "0115 496",
            "01632 960 001 23",
            "7700 900 982",
            "+44 7700 900 982 12",
            "+44 00 1234 5678",
            "+1 234",
            "+1234 5678 9012 3456",
            "call me",
            "07700 900 982 ext 4",
            "++44 7700 900982",
            "0 7 7 0 0 9 0 0 9 8 2 0 0 0 0 0 0",
        ] {
            assert_eq!(PhoneNumber::parse(bad), Err(PHONE_PROBLEM), "{bad}");
        }
        assert_eq!(PhoneNumber::parse_optional("  "), Ok(None));
    }

    fn authorities() -> Vec<(AuthoritySlug, String)> {
        [("derby", "Derby"), ("rutland", "Rutland")]
            .iter()
            .filter_map(|(slug, name)| Some((AuthoritySlug::parse(slug).ok()?, (*name).to_owned())))
            .collect()
    }

    fn row(authority: &str, reason: &str) -> ConflictAnswer {
        ConflictAnswer {
            authority: authority.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn a_conflict_listed_twice_is_an_error_naming_it() {
        let mut problems = Vec::new();
        let rows = [
            row("derby", "My employer"),
            row("derby", "My child's school"),
        ];
        let conflicts = check_conflicts(&rows, &authorities(), 1, &mut problems);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(
            problems,
            [FieldProblem::new(
                "conflict-2-authority",
                "You have already listed Derby"
            )]
        );
    }

    #[test]
    fn blank_rows_are_skipped_and_half_rows_asked_about() {
        let mut problems = Vec::new();
        let rows = [
            row("", ""),
            row("rutland", ""),
            row("", "A reason"),
            row("leeds", "x"),
        ];
        assert!(check_conflicts(&rows, &authorities(), 0, &mut problems).is_empty());
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "conflict-1-reason",
                "conflict-2-authority",
                "conflict-3-authority"
            ]
        );
        assert_eq!(problems[0].message, "Enter why you must not review Rutland");
    }
}
