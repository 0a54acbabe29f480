//! A one-day or two-day peer challenge in a local area: what the authority asks for (kind,
//! format, partners, date windows, areas of focus and KLOEs), the visit the project manager
//! plans (days and seats), and a team member's seat and answer to the invitation.
//!
//! The lifecycle lives in [`crate::lifecycle`]; the visit timetable, case sample and personal
//! data checks in their own modules.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::ThemeCode;
use crate::forms::FieldProblem;
use crate::pool::{DateProblem, DateRange, ReviewerType, parse_date_parts};
use crate::text::{MultiLine, limits};

/// The areas of focus the authority asks the team to look at.
pub const FOCUS_LIMIT: usize = limits::SHORT_NOTE;
/// One key line of enquiry.
pub const KLOE_LIMIT: usize = limits::SENTENCE;
/// KLOE slots on the forms: a two-day challenge has at most three.
pub const KLOE_SLOTS: usize = 3;
/// A declared conflict of interest, or why someone declines an invitation.
pub const DECLARATION_LIMIT: usize = limits::SHORT_NOTE;
/// Why a challenge is cancelled.
pub const CANCEL_REASON_LIMIT: usize = limits::SHORT_NOTE;

vocabulary!(
    /// How long the visit is: a one-day deep dive into one KLOE, or two days on two or three.
    ChallengeKind {
        OneDay => "one_day", "One-day peer challenge";
        TwoDay => "two_day", "Two-day peer challenge";
    }
);

vocabulary!(
    /// Where the visit happens.
    VisitFormat {
        OnSite => "on_site", "On site";
        Virtual => "virtual", "Virtual";
        Hybrid => "hybrid", "Hybrid (on site and online)";
    }
);

vocabulary!(
    /// The local area's SEND partners taking part alongside the authority.
    Partner {
        NhsBoard => "nhs_board", "NHS integrated care board";
        ParentCarerForum => "parent_carer_forum", "Parent carer forum";
        Schools => "schools", "Schools and settings";
        SocialCare => "social_care", "Children's social care";
    }
);

vocabulary!(
    /// A seat on a challenge team. The codes are the team solver's role names.
    SeatRole {
        LeadReviewer => "lead_reviewer", "Lead reviewer";
        LaOfficer => "la_officer", "Local authority officer";
        ParentCarer => "parent_carer", "Parent carer";
        YoungAmbassador => "young_ambassador", "Young ambassador";
        Health => "health", "Designated Clinical Officer or health professional";
        Education => "education", "Education professional";
        SocialCare => "social_care", "Social care professional";
    }
);

impl ChallengeKind {
    /// How many visit days the kind has.
    pub fn visit_day_count(self) -> usize {
        match self {
            Self::OneDay => 1,
            Self::TwoDay => 2,
        }
    }

    /// How many KLOEs an agreed set has, and the words for the rule.
    fn kloe_rule(self) -> (usize, usize, &'static str) {
        match self {
            Self::OneDay => (1, 1, "A one-day challenge has exactly one main KLOE"),
            Self::TwoDay => (2, 3, "A two-day challenge has two or three KLOEs"),
        }
    }

    /// The seats the project manager starts from (domain.md, "Team composition rules"); the
    /// co-ordinator leads a two-day challenge in person, outside these pool seats.
    pub fn default_seats(self) -> Vec<SeatPlan> {
        let la_officers = match self {
            Self::OneDay => 2,
            Self::TwoDay => 3,
        };
        vec![
            SeatPlan::new(SeatRole::LeadReviewer, 1, 0),
            SeatPlan::new(SeatRole::LaOfficer, la_officers, 0),
            SeatPlan::new(SeatRole::ParentCarer, 1, 0),
            SeatPlan::new(SeatRole::Health, 1, 0),
        ]
    }

    /// The co-ordinator leads two-day challenges; a lead reviewer leads one-day ones.
    pub fn led_by_coordinator(self) -> bool {
        self == Self::TwoDay
    }
}

impl SeatRole {
    /// The pool member types that can sit in this seat. A lead reviewer is a professional; who
    /// is experienced enough to lead is [`can_lead`]'s question.
    pub fn fits(self, reviewer_type: ReviewerType) -> bool {
        match self {
            Self::LeadReviewer => reviewer_type.is_professional(),
            Self::LaOfficer => reviewer_type == ReviewerType::LaOfficer,
            Self::ParentCarer => reviewer_type == ReviewerType::ParentCarer,
            Self::YoungAmbassador => reviewer_type == ReviewerType::YoungAmbassador,
            Self::Health => reviewer_type == ReviewerType::Health,
            Self::Education => reviewer_type == ReviewerType::Education,
            Self::SocialCare => reviewer_type == ReviewerType::SocialCare,
        }
    }
}

/// A lead reviewer is a trained professional who has reviewed before: on an earlier challenge
/// of this scheme, or in the peer review or inspection experience they gave when applying.
pub fn can_lead(
    reviewer_type: ReviewerType,
    trained: bool,
    past_challenges: u32,
    declared_experience: &str,
) -> bool {
    reviewer_type.is_professional()
        && trained
        && (past_challenges > 0 || !declared_experience.trim().is_empty())
}

/// Seats of one role: how many, and how many of those are shadowing seats (for someone not yet
/// trained, who learns by watching).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeatPlan {
    pub role: SeatRole,
    pub count: u8,
    pub shadowing: u8,
}

impl SeatPlan {
    pub fn new(role: SeatRole, count: u8, shadowing: u8) -> Self {
        Self {
            role,
            count,
            shadowing,
        }
    }
}

/// A key line of enquiry: the question the team investigates, tagged with practice themes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kloe {
    pub question: String,
    pub themes: Vec<ThemeCode>,
}

/// The KLOE slots as typed: a question and the ticked theme codes per slot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KloeAnswers {
    pub questions: [String; KLOE_SLOTS],
    pub themes: [Vec<String>; KLOE_SLOTS],
}

impl KloeAnswers {
    pub fn from_kloes(kloes: &[Kloe]) -> Self {
        let mut answers = Self::default();
        for (slot, kloe) in kloes.iter().take(KLOE_SLOTS).enumerate() {
            answers.questions[slot] = kloe.question.clone();
            answers.themes[slot] = kloe.themes.iter().map(|t| t.as_str().to_owned()).collect();
        }
        answers
    }

    /// The KLOEs in the filled slots, or the problems keyed `kloe_N` and `kloe_N_themes`
    /// (N from 1). `known_themes` is the controlled vocabulary. A draft may have fewer KLOEs
    /// than the kind needs (the co-ordinator and the lead draft them together); `for_agreement`
    /// applies the kind's exact rule.
    pub fn check(
        &self,
        kind: ChallengeKind,
        known_themes: &[ThemeCode],
        for_agreement: bool,
    ) -> Result<Vec<Kloe>, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut kloes = Vec::new();
        for slot in 0..KLOE_SLOTS {
            if let Some(kloe) = self.check_slot(slot, known_themes, &mut problems) {
                kloes.push(kloe);
            }
        }
        let (least, most, rule) = kind.kloe_rule();
        let needed = if for_agreement { least } else { 1 };
        if problems.is_empty() && (kloes.len() < needed || kloes.len() > most) {
            problems.push(FieldProblem::new(
                self.first_problem_slot(&kloes, most),
                rule,
            ));
        }
        if problems.is_empty() {
            Ok(kloes)
        } else {
            Err(problems)
        }
    }

    fn check_slot(
        &self,
        slot: usize,
        known_themes: &[ThemeCode],
        problems: &mut Vec<FieldProblem>,
    ) -> Option<Kloe> {
        let number = slot + 1;
        let field = format!("kloe_{number}");
        let question =
            match MultiLine::parse(&format!("KLOE {number}"), &self.questions[slot], KLOE_LIMIT) {
                Ok(question) => question.into_string(),
                Err(found) => {
                    problems.push(FieldProblem::new(field, found));
                    return None;
                }
            };
        let question = question.as_str();
        let ticked = &self.themes[slot];
        if question.is_empty() {
            if !ticked.is_empty() {
                problems.push(FieldProblem::new(
                    format!("kloe_{number}"),
                    format!("Enter KLOE {number}, or untick its themes"),
                ));
            }
            return None;
        }
        if let Err(found) = crate::personal_data::check_free_text(&field, question) {
            problems.push(found);
        }
        let themes: Vec<ThemeCode> = ticked
            .iter()
            .filter_map(|code| ThemeCode::parse(code))
            .filter(|code| known_themes.contains(code))
            .collect();
        if themes.is_empty() {
            problems.push(FieldProblem::new(
                format!("kloe_{number}_themes"),
                format!("Select at least one practice theme for KLOE {number}"),
            ));
        }
        Some(Kloe {
            question: question.to_owned(),
            themes,
        })
    }

    /// Where the count rule's message goes: the first empty slot when more are needed, the
    /// last filled one when there are too many.
    fn first_problem_slot(&self, kloes: &[Kloe], most: usize) -> String {
        if kloes.len() > most {
            return format!("kloe_{}", KLOE_SLOTS);
        }
        let empty = (0..KLOE_SLOTS)
            .find(|slot| self.questions[*slot].trim().is_empty())
            .unwrap_or(0);
        format!("kloe_{}", empty + 1)
    }
}

/// The request form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestAnswers {
    pub kind: String,
    pub format: String,
    pub partners: Vec<String>,
    /// Two preferred windows, each a GOV.UK date pair: `[from day, month, year, to day, month, year]`.
    pub windows: [[String; 6]; 2],
    pub focus: String,
    pub kloes: KloeAnswers,
}

/// A checked request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeRequest {
    pub kind: ChallengeKind,
    pub format: VisitFormat,
    pub partners: Vec<Partner>,
    pub windows: Vec<DateRange>,
    pub focus: String,
    pub kloes: Vec<Kloe>,
}

impl RequestAnswers {
    /// The request, or every problem keyed by field id: `kind`, `format`, `partners`,
    /// `window_1_from`, `window_1_to`, `window_2_from`, `window_2_to`, `focus`, and the KLOE
    /// slots' keys. `today` refuses windows that have already passed.
    pub fn check(
        &self,
        known_themes: &[ThemeCode],
        today: NaiveDate,
    ) -> Result<ChallengeRequest, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let kind = ChallengeKind::parse(&self.kind);
        if kind.is_none() {
            problems.push(FieldProblem::new(
                "kind",
                "Select a one-day or a two-day challenge",
            ));
        }
        let format = VisitFormat::parse(&self.format);
        if format.is_none() {
            problems.push(FieldProblem::new(
                "format",
                "Select whether the visit is on site, virtual or hybrid",
            ));
        }
        let partners = self
            .partners
            .iter()
            .filter_map(|code| Partner::parse(code))
            .collect();
        let windows = self.check_windows(today, &mut problems);
        let focus = match MultiLine::required(
            "Areas of focus",
            "the areas of focus for the challenge",
            &self.focus,
            FOCUS_LIMIT,
        ) {
            Ok(focus) => focus.into_string(),
            Err(found) => {
                problems.push(FieldProblem::new("focus", found));
                String::new()
            }
        };
        if !focus.is_empty()
            && let Err(found) = crate::personal_data::check_free_text("focus", &focus)
        {
            problems.push(found);
        }
        // The request form asks for the kind's number of KLOEs, so a request is held to it;
        // the co-ordinator may still redraft them before they are agreed.
        let kloes =
            match self
                .kloes
                .check(kind.unwrap_or(ChallengeKind::TwoDay), known_themes, true)
            {
                Ok(kloes) => kloes,
                Err(found) => {
                    problems.extend(found);
                    Vec::new()
                }
            };
        match (kind, format) {
            (Some(kind), Some(format)) if problems.is_empty() => Ok(ChallengeRequest {
                kind,
                format,
                partners,
                windows,
                focus,
                kloes,
            }),
            _ => Err(problems),
        }
    }

    fn check_windows(&self, today: NaiveDate, problems: &mut Vec<FieldProblem>) -> Vec<DateRange> {
        let mut windows = Vec::new();
        for (index, parts) in self.windows.iter().enumerate() {
            let number = index + 1;
            let blank = parts.iter().all(|part| part.trim().is_empty());
            if blank && index > 0 {
                continue;
            }
            let from = date_field(
                &format!("window_{number}_from"),
                "The first date",
                &parts[0..3],
                problems,
            );
            let to = date_field(
                &format!("window_{number}_to"),
                "The last date",
                &parts[3..6],
                problems,
            );
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            match DateRange::new(from, to) {
                Err(found) => {
                    problems.push(FieldProblem::new(format!("window_{number}_to"), found))
                }
                Ok(_) if to < today => problems.push(FieldProblem::new(
                    format!("window_{number}_to"),
                    "The preferred dates must be in the future",
                )),
                Ok(range) => windows.push(range),
            }
        }
        windows
    }
}

fn date_field(
    field: &str,
    what: &'static str,
    parts: &[String],
    problems: &mut Vec<FieldProblem>,
) -> Option<NaiveDate> {
    match parse_date_parts(what, &parts[0], &parts[1], &parts[2]) {
        Ok(date) => Some(date),
        Err(DateProblem::Missing(_)) => {
            problems.push(FieldProblem::new(
                field,
                format!("Enter {}", what.to_lowercase()),
            ));
            None
        }
        Err(found) => {
            problems.push(FieldProblem::new(field, found));
            None
        }
    }
}

/// The visit form as typed: the first day, and per seat role its count and shadowing seats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisitAnswers {
    pub day: String,
    pub month: String,
    pub year: String,
    /// `(role code, seats, of which shadowing)` for every role in [`SeatRole::ALL`].
    pub seats: Vec<(String, String, String)>,
    /// `agreed` when the project manager confirms the area agreed days outside its preferred
    /// dates.
    pub outside_windows: String,
}

/// A checked visit plan: its days and seats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitPlan {
    pub days: Vec<NaiveDate>,
    pub seats: Vec<SeatPlan>,
}

/// The most seats of one role on a team.
const MAX_SEATS_PER_ROLE: u8 = 6;

impl VisitAnswers {
    pub fn from_plan(days: &[NaiveDate], seats: &[SeatPlan]) -> Self {
        let first = days.first();
        Self {
            day: first.map(|d| d.day().to_string()).unwrap_or_default(),
            month: first.map(|d| d.month().to_string()).unwrap_or_default(),
            year: first.map(|d| d.year().to_string()).unwrap_or_default(),
            seats: SeatRole::ALL
                .iter()
                .map(|role| {
                    let plan = seats.iter().find(|seat| seat.role == *role);
                    (
                        role.code().to_owned(),
                        plan.map_or(0, |p| p.count).to_string(),
                        plan.map_or(0, |p| p.shadowing).to_string(),
                    )
                })
                .collect(),
            outside_windows: String::new(),
        }
    }

    /// The plan, or problems keyed `visit_date`, `seats_<role>` and `shadowing_<role>`. A
    /// two-day visit runs on the first day and the next working day. `windows` are the area's
    /// preferred dates: a visit outside them needs `outside_windows` ticked, so it is never
    /// set there by a slip.
    pub fn check(
        &self,
        kind: ChallengeKind,
        today: NaiveDate,
        windows: &[DateRange],
    ) -> Result<VisitPlan, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let parts = [self.day.clone(), self.month.clone(), self.year.clone()];
        let first = date_field("visit_date", "The first visit day", &parts, &mut problems);
        if let Some(first) = first {
            if first <= today {
                problems.push(FieldProblem::new(
                    "visit_date",
                    "The first visit day must be in the future",
                ));
            } else if matches!(first.weekday(), Weekday::Sat | Weekday::Sun) {
                problems.push(FieldProblem::new(
                    "visit_date",
                    "The first visit day must be a weekday",
                ));
            }
        }
        let seats = self.check_seats(&mut problems);
        if seats.iter().map(|s| u32::from(s.count)).sum::<u32>() == 0 && problems.is_empty() {
            problems.push(FieldProblem::new(
                "seats_lead_reviewer",
                "Enter at least one seat",
            ));
        }
        if let Some(first) = first
            && problems.is_empty()
            && !windows.is_empty()
            && self.outside_windows != "agreed"
        {
            let days = visit_days(first, kind.visit_day_count());
            let inside = windows
                .iter()
                .any(|window| days.iter().all(|day| window.contains(*day)));
            if !inside {
                problems.push(FieldProblem::new(
                    "visit_date",
                    "The visit is outside the area's preferred dates: choose days within them, or confirm the area has agreed these",
                ));
            }
        }
        match first {
            Some(first) if problems.is_empty() => Ok(VisitPlan {
                days: visit_days(first, kind.visit_day_count()),
                seats,
            }),
            _ => Err(problems),
        }
    }

    fn check_seats(&self, problems: &mut Vec<FieldProblem>) -> Vec<SeatPlan> {
        let mut seats = Vec::new();
        for role in SeatRole::ALL {
            let typed = self.seats.iter().find(|(code, _, _)| code == role.code());
            let (count, shadowing) = typed
                .map(|(_, count, shadowing)| (count.trim(), shadowing.trim()))
                .unwrap_or(("0", "0"));
            let count = seat_number(&format!("seats_{}", role.code()), &role, count, problems);
            let shadowing = seat_number(
                &format!("shadowing_{}", role.code()),
                &role,
                shadowing,
                problems,
            );
            if let (Some(count), Some(shadowing)) = (count, shadowing) {
                if shadowing > count {
                    problems.push(FieldProblem::new(
                        format!("shadowing_{}", role.code()),
                        format!(
                            "Shadowing seats for {} cannot be more than its seats",
                            role.label().to_lowercase()
                        ),
                    ));
                } else if count > 0 {
                    seats.push(SeatPlan::new(role, count, shadowing));
                }
            }
        }
        seats
    }
}

fn seat_number(
    field: &str,
    role: &SeatRole,
    typed: &str,
    problems: &mut Vec<FieldProblem>,
) -> Option<u8> {
    let text = if typed.is_empty() { "0" } else { typed };
    match text.parse::<u8>() {
        Ok(number) if number <= MAX_SEATS_PER_ROLE => Some(number),
        _ => {
            problems.push(FieldProblem::new(
                field,
                format!(
                    "Seats for {} must be a whole number from 0 to {MAX_SEATS_PER_ROLE}",
                    role.label().to_lowercase()
                ),
            ));
            None
        }
    }
}

/// `count` working days from `first` (a Friday's next day is the Monday).
pub fn visit_days(first: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let mut days = vec![first];
    let mut day = first;
    while days.len() < count {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            days.push(day);
        }
    }
    days
}

vocabulary!(
    /// Where a person on the team stands. Only confirmed teams are invited; nobody hears of a
    /// proposal.
    MemberStatus {
        Proposed => "proposed", "Proposed";
        Invited => "invited", "Invited";
        Accepted => "accepted", "Accepted";
        Declined => "declined", "Declined";
        ConflictDeclared => "conflict", "Declared a conflict";
        Removed => "removed", "Replaced";
    }
);

impl MemberStatus {
    /// Still holds the seat (a decline, a conflict or a replacement frees it).
    pub fn holds_seat(self) -> bool {
        matches!(self, Self::Proposed | Self::Invited | Self::Accepted)
    }

    /// Has been told about the challenge, so may see it.
    pub fn is_on_team(self) -> bool {
        matches!(self, Self::Invited | Self::Accepted)
    }

    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Proposed => "govuk-tag--grey",
            Self::Invited => "govuk-tag--blue",
            Self::Accepted => "govuk-tag--green",
            Self::Declined | Self::ConflictDeclared => "govuk-tag--red",
            Self::Removed => "govuk-tag--grey",
        }
    }
}

/// The invitation answer as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseAnswers {
    /// `accept` or `decline`.
    pub response: String,
    /// `none` or `conflict` (when accepting).
    pub conflict: String,
    pub conflict_details: String,
    /// The confidentiality undertaking's checkbox (`agreed` when ticked).
    pub confidentiality: String,
    pub decline_reason: String,
}

/// A checked answer to an invitation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvitationResponse {
    /// Accepted with no conflict and the confidentiality undertaking given.
    Accept,
    /// Would take part, but declares a conflict: the project manager decides (a re-composition
    /// is offered), so the seat is freed.
    DeclareConflict(String),
    Decline(String),
}

impl ResponseAnswers {
    /// Field keys: `response`, `conflict`, `conflict_details`, `confidentiality`, `decline_reason`.
    pub fn check(&self) -> Result<InvitationResponse, Vec<FieldProblem>> {
        match self.response.as_str() {
            "accept" => self.check_acceptance(),
            "decline" => MultiLine::parse(
                "Reason for declining",
                &self.decline_reason,
                DECLARATION_LIMIT,
            )
            .map(|reason| InvitationResponse::Decline(reason.into_string()))
            .map_err(|found| vec![FieldProblem::new("decline_reason", found)]),
            _ => Err(vec![FieldProblem::new(
                "response",
                "Select whether you can take part in this challenge",
            )]),
        }
    }

    fn check_acceptance(&self) -> Result<InvitationResponse, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let details = MultiLine::parse(
            "Description of the conflict",
            &self.conflict_details,
            DECLARATION_LIMIT,
        );
        let details = match (self.conflict.as_str(), details) {
            ("conflict", Err(found)) => {
                problems.push(FieldProblem::new("conflict_details", found));
                String::new()
            }
            (_, details) => details.map(MultiLine::into_string).unwrap_or_default(),
        };
        match self.conflict.as_str() {
            "none" => {}
            "conflict" if details.is_empty() => {
                if !problems.iter().any(|p| p.field == "conflict_details") {
                    problems.push(FieldProblem::new(
                        "conflict_details",
                        "Describe the conflict of interest",
                    ));
                }
            }
            "conflict" => {
                if let Err(found) =
                    crate::personal_data::check_free_text("conflict_details", &details)
                {
                    problems.push(found);
                }
            }
            _ => problems.push(FieldProblem::new(
                "conflict",
                "Select whether you have a conflict of interest with this local area",
            )),
        }
        if self.confidentiality != "agreed" {
            problems.push(FieldProblem::new(
                "confidentiality",
                "Confirm that you will keep what you learn on this challenge confidential",
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(if self.conflict == "conflict" {
            InvitationResponse::DeclareConflict(details)
        } else {
            InvitationResponse::Accept
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kloes_focus_and_declarations_are_bounded_and_clean() {
        let mut kloes = KloeAnswers::default();
        kloes.questions[0] = "q".repeat(900_000);
        kloes.themes[0] = vec!["PFA".into()];
        kloes.questions[1] = "How well\u{0}?".into();
        kloes.themes[1] = vec!["PFA".into()];
        let found: Vec<(String, String)> = kloes
            .check(ChallengeKind::TwoDay, &themes(), false)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect();
        assert_eq!(
            found,
            [
                ("kloe_1", "KLOE 1 must be 500 characters or fewer"),
                ("kloe_2", "KLOE 2 must not contain control characters"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );
        let decline = ResponseAnswers {
            response: "decline".into(),
            decline_reason: "r".repeat(DECLARATION_LIMIT + 1),
            ..ResponseAnswers::default()
        };
        assert_eq!(
            decline.check().map_err(|found| found[0].message.clone()),
            Err("Reason for declining must be 2,000 characters or fewer".to_owned())
        );
        let conflict = ResponseAnswers {
            response: "accept".into(),
            conflict: "conflict".into(),
            conflict_details: "I used to work there\r\nuntil 2025".into(),
            confidentiality: "agreed".into(),
            ..ResponseAnswers::default()
        };
        assert_eq!(
            conflict.check(),
            Ok(InvitationResponse::DeclareConflict(
                "I used to work there\nuntil 2025".into()
            ))
        );
    }

    fn themes() -> Vec<ThemeCode> {
        ["EHCP_QUALITY", "PREPARING_ADULTHOOD"]
            .iter()
            .filter_map(|code| ThemeCode::parse(code))
            .collect()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn kloes(questions: &[&str]) -> KloeAnswers {
        let mut answers = KloeAnswers::default();
        for (slot, question) in questions.iter().enumerate() {
            answers.questions[slot] = (*question).to_owned();
            answers.themes[slot] = vec!["EHCP_QUALITY".into()];
        }
        answers
    }

    fn fields(problems: &[FieldProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_one_day_challenge_has_exactly_one_kloe() {
        let one = kloes(&["How well are plans co-produced?"]);
        assert!(one.check(ChallengeKind::OneDay, &themes(), true).is_ok());
        let two = kloes(&["First?", "Second?"]);
        let refused = two.check(ChallengeKind::OneDay, &themes(), true);
        assert_eq!(
            refused.map_err(|p| p[0].message.clone()),
            Err("A one-day challenge has exactly one main KLOE".to_owned())
        );
    }

    #[test]
    fn a_two_day_draft_may_have_one_kloe_but_agreement_needs_two_or_three() {
        let one = kloes(&["How well are plans co-produced?"]);
        assert!(one.check(ChallengeKind::TwoDay, &themes(), false).is_ok());
        let refused = one.check(ChallengeKind::TwoDay, &themes(), true);
        assert_eq!(
            refused.map_err(|p| fields(&p).join(",")),
            Err("kloe_2".into())
        );
        let three = kloes(&["A?", "B?", "C?"]);
        assert_eq!(
            three
                .check(ChallengeKind::TwoDay, &themes(), true)
                .map(|k| k.len()),
            Ok(3)
        );
    }

    #[test]
    fn every_kloe_needs_a_known_theme() {
        let mut answers = kloes(&["How well are plans co-produced?"]);
        answers.themes[0] = vec!["NOT_A_THEME".into()];
        let refused = answers.check(ChallengeKind::OneDay, &themes(), false);
        assert_eq!(
            refused.map_err(|p| fields(&p).join(",")),
            Err("kloe_1_themes".into())
        );
    }

    #[test]
    fn a_request_keeps_its_answers_and_lists_every_problem() {
        let answers = RequestAnswers {
            windows: [
                [
                    "1".into(),
                    "2".into(),
                    "2026".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                ],
                Default::default(),
            ],
            ..RequestAnswers::default()
        };
        let refused = answers.check(&themes(), day(2026, 11, 24));
        assert_eq!(
            refused.map_err(|p| fields(&p).join(",")),
            Err("kind,format,window_1_to,focus,kloe_1".into())
        );
    }

    #[test]
    fn a_complete_request_is_accepted() {
        let answers = RequestAnswers {
            kind: "two_day".into(),
            format: "hybrid".into(),
            partners: vec!["nhs_board".into(), "parent_carer_forum".into()],
            windows: [
                [
                    "1".into(),
                    "3".into(),
                    "2027".into(),
                    "31".into(),
                    "3".into(),
                    "2027".into(),
                ],
                Default::default(),
            ],
            focus: "Preparing for adulthood".into(),
            kloes: kloes(&["How well do young people prepare for adulthood?"]),
        };
        // The form says a two-day challenge has two or three KLOEs: one is not enough.
        let refused = answers.check(&themes(), day(2026, 11, 24));
        assert_eq!(
            refused,
            Err(vec![FieldProblem::new(
                "kloe_2",
                "A two-day challenge has two or three KLOEs"
            )])
        );
        let answers = RequestAnswers {
            kloes: kloes(&[
                "How well do young people prepare for adulthood?",
                "How well do families shape the services they use?",
            ]),
            ..answers
        };
        let request = answers.check(&themes(), day(2026, 11, 24));
        assert_eq!(
            request.map(|r| (r.kind, r.partners.len(), r.windows.len(), r.kloes.len())),
            Ok((ChallengeKind::TwoDay, 2, 1, 2))
        );
    }

    #[test]
    fn a_two_day_visit_skips_the_weekend() {
        assert_eq!(
            visit_days(day(2027, 3, 12), 2),
            vec![day(2027, 3, 12), day(2027, 3, 15)]
        );
    }

    #[test]
    fn the_visit_plan_checks_dates_and_seats() {
        let mut answers =
            VisitAnswers::from_plan(&[day(2027, 3, 11)], &ChallengeKind::TwoDay.default_seats());
        let plan = answers.check(ChallengeKind::TwoDay, day(2026, 11, 24), &[]);
        assert_eq!(
            plan.map(|p| (p.days, p.seats.len())),
            Ok((vec![day(2027, 3, 11), day(2027, 3, 12)], 4))
        );
        answers.seats[1].2 = "5".into();
        answers.day = "13".into();
        let refused = answers.check(ChallengeKind::TwoDay, day(2026, 11, 24), &[]);
        assert_eq!(
            refused.map_err(|p| fields(&p).join(",")),
            Err("visit_date,shadowing_la_officer".into())
        );
    }

    #[test]
    fn a_visit_outside_the_preferred_dates_needs_the_areas_agreement() {
        let march =
            DateRange::new(day(2027, 3, 1), day(2027, 3, 31)).unwrap_or_else(|_| unreachable!());
        let seats = ChallengeKind::TwoDay.default_seats();
        // Wednesday 31 March's second day is 1 April: half outside is outside.
        let mut answers = VisitAnswers::from_plan(&[day(2027, 3, 31)], &seats);
        let refused = answers.check(ChallengeKind::TwoDay, day(2026, 11, 24), &[march]);
        assert_eq!(
            refused.map_err(|p| fields(&p).join(",")),
            Err("visit_date".into())
        );
        answers.outside_windows = "agreed".into();
        assert!(
            answers
                .check(ChallengeKind::TwoDay, day(2026, 11, 24), &[march])
                .is_ok()
        );
        let inside = VisitAnswers::from_plan(&[day(2027, 3, 11)], &seats);
        assert!(
            inside
                .check(ChallengeKind::TwoDay, day(2026, 11, 24), &[march])
                .is_ok()
        );
    }

    #[test]
    fn accepting_needs_a_declaration_and_the_undertaking() {
        let answers = ResponseAnswers {
            response: "accept".into(),
            ..ResponseAnswers::default()
        };
        assert_eq!(
            answers.check().map_err(|p| fields(&p).join(",")),
            Err("conflict,confidentiality".into())
        );
        let conflict = ResponseAnswers {
            response: "accept".into(),
            conflict: "conflict".into(),
            conflict_details: "I worked for this authority until June".into(),
            confidentiality: "agreed".into(),
            ..ResponseAnswers::default()
        };
        assert!(matches!(
            conflict.check(),
            Ok(InvitationResponse::DeclareConflict(_))
        ));
    }

    #[test]
    fn seats_fit_the_right_people() {
        assert!(SeatRole::LeadReviewer.fits(ReviewerType::Health));
        assert!(!SeatRole::LeadReviewer.fits(ReviewerType::ParentCarer));
        assert!(SeatRole::ParentCarer.fits(ReviewerType::ParentCarer));
        assert!(!can_lead(ReviewerType::LaOfficer, false, 3, "Ofsted"));
        assert!(can_lead(
            ReviewerType::LaOfficer,
            true,
            0,
            "Two peer reviews"
        ));
    }
}
