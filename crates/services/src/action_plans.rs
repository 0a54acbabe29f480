//! Next steps as files and pictures: an action plan to and from its spreadsheet, every area's
//! actions as the board's workbook and slide pack, and the progress chart. The translation
//! between the domain's actions and `documents`' workbooks lives here, once, for the pages
//! and the demo alike.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use documents::DocumentError;
use documents::action_plan::{
    ActionPlanSheet, AreaActions, ExportedAction, ThemeLine, actions_export, read_action_plan,
    write_action_plan,
};
use documents::board::{AreaProgress, BoardPack};
use documents::chart::{ProgressChart, ProgressPoint, progress_chart};
use domain::ThemeCode;
use domain::next_steps::{ActionAnswers, action_field};
use domain::programme::Programme;
use store::{ChallengeRecord, PlannedAction};

/// One area's actions as the board sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AreaSummary {
    pub slug: String,
    pub name: String,
    pub total: usize,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub complete: usize,
    /// The overdue actions in words: "DER-3: Refresh the Local Offer (due 1 March 2027)".
    pub overdue: Vec<String>,
}

impl AreaSummary {
    /// Every area added up.
    pub fn total_of(areas: &[AreaSummary]) -> Self {
        areas.iter().fold(
            Self {
                name: "The region".into(),
                ..Self::default()
            },
            |sum, area| Self {
                total: sum.total + area.total,
                red: sum.red + area.red,
                amber: sum.amber + area.amber,
                green: sum.green + area.green,
                complete: sum.complete + area.complete,
                overdue: [sum.overdue.clone(), area.overdue.clone()].concat(),
                ..sum
            },
        )
    }
}

/// The board pack: the region's table, its RAG-by-month chart (`months`, from
/// [`domain::next_steps::rag_by_month`]), then a slide per area with a plan. `programme`
/// names the one programme the pack is about, when the board chose one.
pub fn board_pack(
    areas: &[AreaSummary],
    months: Vec<(NaiveDate, [usize; 4])>,
    programme: Option<Programme>,
    today: NaiveDate,
) -> Result<Vec<u8>, DocumentError> {
    let about = programme.map_or("next steps".to_owned(), |programme| {
        format!("next steps from {}", programme.label().to_lowercase())
    });
    let pack = BoardPack {
        months,
        title: format!(
            "SEND peer challenge {about}: regional board, {}",
            today.format("%B %Y")
        ),
        generated_on: today,
        areas: areas
            .iter()
            .map(|area| AreaProgress {
                area: area.name.clone(),
                total: area.total,
                red: area.red,
                amber: area.amber,
                green: area.green,
                complete: area.complete,
                overdue: area.overdue.len(),
                overdue_actions: area.overdue.clone(),
            })
            .collect(),
    };
    documents::pptx::board_pack(&pack)
}

/// An action as a row of the plan's spreadsheet.
fn row_of(planned: &PlannedAction) -> ActionAnswers {
    ActionAnswers::from_entry(&planned.entry)
}

/// The challenge's plan as the template to fill in, holding every action so far.
pub fn plan_workbook(
    record: &ChallengeRecord,
    plan: &[PlannedAction],
    themes: &[(ThemeCode, String)],
) -> Result<Vec<u8>, DocumentError> {
    write_action_plan(&ActionPlanSheet {
        area: record.authority_name.clone(),
        themes: themes
            .iter()
            .map(|(code, label)| ThemeLine {
                code: code.to_string(),
                label: label.clone(),
            })
            .collect(),
        rows: plan.iter().map(row_of).collect(),
    })
}

/// An uploaded plan's rows as answers to check, each with its spreadsheet row number; or why
/// the file cannot be read as a plan at all.
pub fn read_plan(bytes: &[u8]) -> Result<Vec<(usize, ActionAnswers)>, String> {
    let rows = read_action_plan(bytes).map_err(|problem| problem.to_string())?;
    Ok(rows
        .into_iter()
        .map(|row| (usize::try_from(row.row).unwrap_or(usize::MAX), row.answers))
        .collect())
}

/// Every area's actions in one workbook for the board; `names` maps authority slugs to names.
pub fn regional_workbook(
    actions: &[PlannedAction],
    names: &BTreeMap<String, String>,
) -> Result<Vec<u8>, DocumentError> {
    let mut areas: Vec<AreaActions> = Vec::new();
    for planned in actions {
        let slug = planned.authority.to_string();
        let name = names.get(&slug).cloned().unwrap_or(slug);
        let action = ExportedAction {
            programme: planned.activity.programme.label().to_owned(),
            activity: planned.activity.title.clone(),
            row: row_of(planned),
        };
        match areas.iter_mut().find(|area| area.area == name) {
            Some(area) => area.actions.push(action),
            None => areas.push(AreaActions {
                area: name,
                actions: vec![action],
            }),
        }
    }
    actions_export(&areas)
}

/// The spreadsheet's heading for a field of [`domain::next_steps::ACTION_FIELDS`], so an
/// upload's problems name the column as the person sees it.
pub fn column_heading(field: &str) -> &'static str {
    action_field(field).map_or("", |found| found.column)
}

/// The progress chart: the counts at each month end, from [`domain::next_steps::rag_by_month`].
pub fn progress_svg(months: &[(NaiveDate, [usize; 4])], title: &str) -> String {
    if months.is_empty() {
        return "<p class=\"govuk-body\">No actions have been recorded yet.</p>".to_owned();
    }
    progress_chart(&ProgressChart {
        id: "progress".to_owned(),
        title: title.to_owned(),
        period: "Month".to_owned(),
        points: months
            .iter()
            .map(|(month, [red, amber, green, complete])| ProgressPoint {
                label: month.format("%b %Y").to_string(),
                red: *red,
                amber: *amber,
                green: *green,
                complete: *complete,
            })
            .collect(),
    })
}

/// Any area's next steps for a programme activity as the template to fill in (a thematic
/// event's return), holding every one so far.
pub fn area_workbook(
    area_name: &str,
    plan: &[PlannedAction],
    themes: &[(ThemeCode, String)],
) -> Result<Vec<u8>, DocumentError> {
    write_action_plan(&ActionPlanSheet {
        area: area_name.to_owned(),
        themes: themes
            .iter()
            .map(|(code, label)| ThemeLine {
                code: code.to_string(),
                label: label.clone(),
            })
            .collect(),
        rows: plan.iter().map(row_of).collect(),
    })
}
