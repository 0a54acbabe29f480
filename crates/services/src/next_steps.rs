//! Next steps kept for any programme activity, by the web form or by spreadsheet: the use
//! cases behind a challenge's action plan and every programme's next-steps return. The
//! caller names the action that permits the change (a challenge's `ManageActionPlan`, an
//! area's return), as it knows the context; the use case authorises it, checks, and writes in
//! one store transaction.

use chrono::{DateTime, NaiveDate, Utc};
use domain::agreed_actions::AnswerLinks;
use domain::next_steps::{ActionAnswers, check_plan_with};
use domain::{Action, ActionId, AuthoritySlug, Principal, ProgrammeActivityId, ThemeCode};
use store::{PlanApplied, Store};

use crate::action_plans::{column_heading, read_plan};
use crate::journey::{Refused, allowed};

/// One problem of an uploaded spreadsheet, by row and by column as the person sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetProblem {
    pub row: usize,
    pub column: &'static str,
    pub message: String,
}

/// Why an uploaded spreadsheet changed nothing.
#[derive(Debug)]
pub enum SpreadsheetRefused {
    /// Not a spreadsheet this service wrote, or not one at all: the words are for the person.
    Unreadable(String),
    /// Rows with problems, each listed: the sheet is checked whole and nothing is applied.
    Problems(Vec<SheetProblem>),
    /// Refused by the policy or a rule, or the store failed.
    Refused(Refused),
}

impl From<Refused> for SpreadsheetRefused {
    fn from(refused: Refused) -> Self {
        Self::Refused(refused)
    }
}

/// Who asks for a change, and the action that permits it in the caller's context.
#[derive(Clone, Copy, Debug)]
pub struct Permit<'a> {
    pub principal: Option<&'a Principal>,
    pub action: &'a Action,
}

/// Whose next steps a change is to: an area's, under one programme activity.
#[derive(Clone, Copy, Debug)]
pub struct NextStepsOf<'a> {
    pub activity: ProgrammeActivityId,
    pub area: &'a AuthoritySlug,
    /// What each action must name in its "Answers" (a biennial cycle's priority and KLOE);
    /// None leaves it to the area's own words (a challenge's finding, an event's KLOE).
    pub links: Option<&'a AnswerLinks>,
}

impl NextStepsOf<'_> {
    /// The programme's own rule for each action, beside the next steps' checks.
    fn rule(&self) -> impl Fn(&ActionAnswers) -> Option<domain::forms::FieldProblem> + '_ {
        move |answers| self.links.and_then(|links| links.problem(answers))
    }
}

async fn theme_codes(store: &Store) -> Result<Vec<ThemeCode>, Refused> {
    Ok(store
        .themes()
        .await?
        .into_iter()
        .map(|theme| theme.code)
        .collect())
}

/// Read an uploaded next-steps spreadsheet, check every row, and apply them all or none:
/// a row whose reference is already used changes that action, any other is added.
pub async fn apply_spreadsheet(
    store: &Store,
    permit: Permit<'_>,
    of: NextStepsOf<'_>,
    bytes: &[u8],
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<PlanApplied, SpreadsheetRefused> {
    let principal = allowed(permit.principal, permit.action)?;
    let rows = read_plan(bytes).map_err(SpreadsheetRefused::Unreadable)?;
    let themes = theme_codes(store).await?;
    let entries = check_plan_with(&rows, &themes, today, &of.rule()).map_err(|problems| {
        SpreadsheetRefused::Problems(
            problems
                .into_iter()
                .map(|(row, problem)| SheetProblem {
                    row,
                    column: column_heading(&problem.field),
                    message: problem.message,
                })
                .collect(),
        )
    })?;
    store
        .apply_next_steps(of.activity, of.area, &entries, principal, now)
        .await
        .map_err(|error| SpreadsheetRefused::Refused(error.into()))
}

/// Add one next step (`existing` None) or change one, from the web form's answers.
pub async fn save_next_step(
    store: &Store,
    permit: Permit<'_>,
    of: NextStepsOf<'_>,
    existing: Option<ActionId>,
    answers: &ActionAnswers,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<ActionId, Refused> {
    let principal = allowed(permit.principal, permit.action)?;
    let themes = theme_codes(store).await?;
    let entry = answers
        .check_with(&themes, today, &of.rule())
        .map_err(Refused::Invalid)?;
    Ok(store
        .save_next_step(of.activity, of.area, existing, &entry, principal, now)
        .await?)
}
