//! The scheme's programmes as one model: every programme activity (a challenge today; a
//! thematic event, a biennial cycle and an annual self-assessment cycle next) belongs to a
//! region and involves areas; next steps belong to an area and an activity; and a return is
//! what one area owes for an activity by a due date, with reminders before and after it and
//! extensions per area. Programme-specific rules stay in their own modules.

use chrono::NaiveDate;

use crate::ids::{ChallengeId, ProgrammeActivityId};

/// The scheme's programmes. The codes are stored; never change one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Programme {
    /// A one-day or two-day peer challenge in one area.
    Challenge,
    /// A thematic event on one area of practice, for every area.
    Thematic,
    /// The biennial large-scale challenge: each area's team challenges another.
    Biennial,
    /// The annual self-assessment, scrutinised in triads.
    Annual,
}

impl Programme {
    pub const ALL: &'static [Programme] = &[
        Self::Challenge,
        Self::Thematic,
        Self::Biennial,
        Self::Annual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Challenge => "challenge",
            Self::Thematic => "thematic",
            Self::Biennial => "biennial",
            Self::Annual => "annual",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Challenge => "Peer challenges",
            Self::Thematic => "Thematic events",
            Self::Biennial => "Biennial large-scale challenge",
            Self::Annual => "Annual self-assessment",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.code() == code)
    }
}

/// One activity of a programme, as the next steps and returns name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRef {
    pub id: ProgrammeActivityId,
    pub programme: Programme,
    /// What people call it ("CH-2027-003: Derby", "Preparing for adulthood event").
    pub title: String,
    /// The challenge it is, for a challenge activity.
    pub challenge: Option<ChallengeId>,
}

/// What a return is: the structure submitted. Each programme adds its own as it lands
/// (the thematic next-steps template, the biennial agreed actions, the self-assessment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReturnKind {
    /// A challenge's host area's action plan (its next steps, by spreadsheet or web form).
    ActionPlan,
    /// Each area's next steps after a thematic event (the next-steps template).
    ThematicNextSteps,
    /// A biennial cycle's agreed actions / next steps template from each area taking part.
    BiennialActions,
    /// An area's annual self-assessment, owed once its cycle's triads are published.
    SelfAssessment,
    /// An area's development plan after its triad conversation: its next steps under the
    /// annual cycle, due on the cycle's development-plans date.
    AnnualDevelopmentPlan,
}

impl ReturnKind {
    pub const ALL: &'static [ReturnKind] = &[
        Self::ActionPlan,
        Self::ThematicNextSteps,
        Self::BiennialActions,
        Self::SelfAssessment,
        Self::AnnualDevelopmentPlan,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ActionPlan => "action_plan",
            Self::ThematicNextSteps => "thematic_next_steps",
            Self::BiennialActions => "biennial_actions",
            Self::SelfAssessment => "self_assessment",
            Self::AnnualDevelopmentPlan => "annual_development_plan",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ActionPlan => "Action plan",
            Self::ThematicNextSteps => "Next steps",
            Self::BiennialActions => "Agreed actions",
            Self::SelfAssessment => "Self-assessment",
            Self::AnnualDevelopmentPlan => "Development plan",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// How long a challenge's host area has to return its action plan once the challenge reaches
/// next steps; the co-ordinator extends it per area when there is reason to.
pub const ACTION_PLAN_WEEKS: i64 = 8;

/// Where a return stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnStanding {
    Submitted,
    /// Not yet submitted, due on this (possibly extended) date, which is today or later.
    Outstanding(NaiveDate),
    /// Not submitted and past this (possibly extended) date.
    Overdue(NaiveDate),
}

impl ReturnStanding {
    pub fn of(
        due: NaiveDate,
        extended_to: Option<NaiveDate>,
        submitted: bool,
        today: NaiveDate,
    ) -> Self {
        let due = extended_to.unwrap_or(due);
        if submitted {
            Self::Submitted
        } else if today > due {
            Self::Overdue(due)
        } else {
            Self::Outstanding(due)
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Submitted => "Submitted",
            Self::Outstanding(_) => "Outstanding",
            Self::Overdue(_) => "Overdue",
        }
    }
}

/// A reminder a return earns: before its due date and after it. The occasion is the date
/// it is about, so an extension earns fresh reminders and none is ever sent twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnReminder {
    DueSoon(NaiveDate),
    Overdue(NaiveDate),
}

impl ReturnReminder {
    pub fn kind(self) -> &'static str {
        match self {
            Self::DueSoon(_) => "return_due_soon",
            Self::Overdue(_) => "return_overdue",
        }
    }

    pub fn occasion(self) -> String {
        match self {
            Self::DueSoon(day) | Self::Overdue(day) => day.to_string(),
        }
    }

    /// The reminder due today for a return in `standing`, warning `days_before` its date.
    pub fn due(standing: ReturnStanding, days_before: u32, today: NaiveDate) -> Option<Self> {
        match standing {
            ReturnStanding::Submitted => None,
            ReturnStanding::Outstanding(due) => {
                ((due - today).num_days() <= i64::from(days_before) && days_before > 0)
                    .then_some(Self::DueSoon(due))
            }
            ReturnStanding::Overdue(due) => Some(Self::Overdue(due)),
        }
    }
}

/// Why an extension is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionProblem {
    #[error("The new date must be after the date the return is due now")]
    NotLater,
    #[error("This return has been submitted, so it needs no extension")]
    AlreadySubmitted,
}

/// An extension must move the date the return is due now later, and only while it is owed.
pub fn check_extension(
    due: NaiveDate,
    extended_to: Option<NaiveDate>,
    submitted: bool,
    new_date: NaiveDate,
) -> Result<(), ExtensionProblem> {
    if submitted {
        return Err(ExtensionProblem::AlreadySubmitted);
    }
    if new_date <= extended_to.unwrap_or(due) {
        return Err(ExtensionProblem::NotLater);
    }
    Ok(())
}

/// An extension as the co-ordinator types it: the new date (dd/mm/yyyy) and the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ExtensionAnswers {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub reason: String,
}

impl ExtensionAnswers {
    /// The date and the reason, or each field's problem (keyed by its HTML id).
    pub fn check(&self) -> Result<(NaiveDate, crate::OneLine), Vec<crate::forms::FieldProblem>> {
        let mut problems = Vec::new();
        let problem = crate::forms::FieldProblem::new;
        let date = match self.date.trim() {
            "" => {
                problems.push(problem("date", "Enter the new due date".into()));
                None
            }
            text => match NaiveDate::parse_from_str(text, "%d/%m/%Y") {
                Ok(date) => Some(date),
                Err(_) => {
                    problems.push(problem(
                        "date",
                        "The new due date must be a real date, like 14/03/2027".into(),
                    ));
                    None
                }
            },
        };
        let reason =
            match crate::OneLine::parse("The reason", &self.reason, crate::limits::SENTENCE) {
                Ok(reason) if reason.as_str().is_empty() => {
                    problems.push(problem(
                        "reason",
                        "Enter the reason for the extension".into(),
                    ));
                    None
                }
                Ok(reason) => Some(reason),
                Err(error) => {
                    problems.push(problem("reason", error.to_string()));
                    None
                }
            };
        match (date, reason) {
            (Some(date), Some(reason)) => Ok((date, reason)),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).expect("a real date")
    }

    #[test]
    fn codes_round_trip() {
        for p in Programme::ALL {
            assert_eq!(Programme::parse(p.code()), Some(*p));
        }
        for k in ReturnKind::ALL {
            assert_eq!(ReturnKind::parse(k.code()), Some(*k));
        }
        assert_eq!(Programme::parse("other"), None);
    }

    #[test]
    fn standing_follows_the_extension() {
        assert_eq!(
            ReturnStanding::of(day(10), None, false, day(11)),
            ReturnStanding::Overdue(day(10))
        );
        assert_eq!(
            ReturnStanding::of(day(10), Some(day(20)), false, day(11)),
            ReturnStanding::Outstanding(day(20))
        );
        assert_eq!(
            ReturnStanding::of(day(10), None, true, day(30)),
            ReturnStanding::Submitted
        );
    }

    #[test]
    fn reminders_before_and_after_the_date() {
        let out = ReturnStanding::Outstanding(day(10));
        assert_eq!(ReturnReminder::due(out, 7, day(2)), None);
        assert_eq!(
            ReturnReminder::due(out, 7, day(3)),
            Some(ReturnReminder::DueSoon(day(10)))
        );
        assert_eq!(ReturnReminder::due(out, 0, day(10)), None);
        assert_eq!(
            ReturnReminder::due(ReturnStanding::Overdue(day(10)), 7, day(11)),
            Some(ReturnReminder::Overdue(day(10)))
        );
        assert_eq!(
            ReturnReminder::due(ReturnStanding::Submitted, 7, day(11)),
            None
        );
    }

    #[test]
    fn extension_answers_are_checked_per_field() {
        let ok = ExtensionAnswers {
            date: "21/03/2027".into(),
            reason: " New director ".into(),
        }
        .check()
        .expect("valid");
        assert_eq!(ok.0, day(21));
        assert_eq!(ok.1.as_str(), "New director");
        let problems = ExtensionAnswers {
            date: "31/02/2027".into(),
            reason: String::new(),
        }
        .check()
        .expect_err("invalid");
        assert_eq!(
            problems
                .iter()
                .map(|p| p.field.as_str())
                .collect::<Vec<_>>(),
            ["date", "reason"]
        );
    }

    #[test]
    fn extensions_move_later_while_owed() {
        assert_eq!(
            check_extension(day(10), None, false, day(10)),
            Err(ExtensionProblem::NotLater)
        );
        assert_eq!(
            check_extension(day(10), Some(day(20)), false, day(15)),
            Err(ExtensionProblem::NotLater)
        );
        assert_eq!(
            check_extension(day(10), None, true, day(15)),
            Err(ExtensionProblem::AlreadySubmitted)
        );
        assert_eq!(
            check_extension(day(10), Some(day(20)), false, day(21)),
            Ok(())
        );
    }
}
