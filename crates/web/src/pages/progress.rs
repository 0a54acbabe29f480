//! The board's view of next steps: every area's actions by RAG status and overdue, progress
//! over time as a chart drawn on the server, a page per area and per action with its history,
//! and the exports the board takes to its meetings (a workbook and a slide pack). An LA lead
//! sees the same pages for their own area only. Next steps come from every programme; the
//! region and area pages filter by programme with a plain GET form.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use domain::next_steps::{
    ACTION_FIELDS, ActionEntry, ActionValue, ProgressNote, Rag, rag_by_month,
};
use domain::programme::ActivityRef;
use domain::{Action, ActionId, AuthoritySlug, Programme};
use serde::Deserialize;
use store::{ActionChange, Authority, NextStepFilter, PlannedAction};

use crate::action_plans::{AreaSummary, board_pack, progress_svg, regional_workbook};
use crate::components::SelectItem;
use crate::extract::Id;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

const NAV: &str = "/progress";

pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/progress", get(show_region)),
        route(Method::GET, "/progress.xlsx", get(download_workbook)),
        route(
            Method::GET,
            "/progress/board-pack.pptx",
            get(download_board_pack),
        ),
        route(Method::GET, "/progress/areas/{slug}", get(show_area)),
        route(Method::GET, "/progress/actions/{action}", get(show_action)),
    ]
}

/// The programme the board chose to see (`?programme=thematic`); empty or unknown is all.
#[derive(Debug, Default, Deserialize)]
pub struct ProgrammeQuery {
    #[serde(default)]
    programme: String,
}

impl ProgrammeQuery {
    pub(crate) fn programme(&self) -> Option<Programme> {
        Programme::parse(&self.programme)
    }

    /// The query to carry to the next page, so the choice is kept ("" or "?programme=…").
    pub(crate) fn suffix(&self) -> String {
        self.programme()
            .map(|p| format!("?programme={}", p.code()))
            .unwrap_or_default()
    }

    /// Every area's next steps of the chosen programme.
    fn filter(&self) -> NextStepFilter {
        NextStepFilter {
            area: None,
            programme: self.programme(),
        }
    }

    /// "-thematic" in a download's file name when filtered, so two files do not look alike.
    fn file_part(&self) -> String {
        self.programme()
            .map(|p| format!("-{}", p.code()))
            .unwrap_or_default()
    }

    /// The filter's choices, the current one selected.
    pub(crate) fn items(&self) -> Vec<SelectItem> {
        let chosen = self.programme();
        std::iter::once(SelectItem {
            value: String::new(),
            text: "All programmes".into(),
            selected: chosen.is_none(),
        })
        .chain(Programme::ALL.iter().map(|p| SelectItem {
            value: p.code().into(),
            text: p.label().into(),
            selected: chosen == Some(*p),
        }))
        .collect()
    }
}

/// The region's current authorities (not the county Northamptonshire was before 2021).
async fn current_authorities(state: &AppState) -> Result<Vec<Authority>, AppError> {
    Ok(state
        .store
        .authorities()
        .await?
        .into_iter()
        .filter(|authority| authority.valid_to.is_none())
        .collect())
}

fn summarise(area: &Authority, actions: &[PlannedAction], today: NaiveDate) -> AreaSummary {
    let mine: Vec<&PlannedAction> = actions
        .iter()
        .filter(|a| a.authority == area.slug)
        .collect();
    let count = |rag: Rag| mine.iter().filter(|a| a.entry.rag == rag).count();
    AreaSummary {
        slug: area.slug.to_string(),
        name: area.name.clone(),
        total: mine.len(),
        red: count(Rag::Red),
        amber: count(Rag::Amber),
        green: count(Rag::Green),
        complete: count(Rag::Complete),
        overdue: mine
            .iter()
            .filter(|a| a.entry.is_overdue(today))
            .map(|a| {
                format!(
                    "{}: {} (due {})",
                    a.entry.reference,
                    a.entry.action,
                    crate::dates::date(a.entry.due)
                )
            })
            .collect(),
    }
}

/// The chart of the actions' RAG status at each month end, from their history.
async fn chart(state: &AppState, filter: &NextStepFilter, title: &str) -> Result<String, AppError> {
    let changes: Vec<(ActionId, NaiveDate, Rag)> = state
        .store
        .next_step_rag_changes(filter)
        .await?
        .into_iter()
        .map(|(action, at, rag)| (action, at.date_naive(), rag))
        .collect();
    Ok(progress_svg(&rag_by_month(&changes, state.today()), title))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/progress/region.html")]
pub struct RegionPage {
    chrome: Chrome,
    areas: Vec<AreaSummary>,
    totals: AreaSummary,
    chart: String,
    filter_action: String,
    programmes: Vec<SelectItem>,
    /// "?programme=…" when filtered, so the area links and downloads keep the choice.
    suffix: String,
    /// The programme chosen, as the download links name it.
    programme_label: Option<&'static str>,
}

pub async fn show_region(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ProgrammeQuery>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ViewProgress)?;
    if visitor.authorise(&Action::ViewRegionalProgress).is_err() {
        // An LA lead's progress is their own area's.
        return match principal.led_authorities().next() {
            Some(slug) => Ok(see_other(&format!(
                "/progress/areas/{slug}{}",
                query.suffix()
            ))),
            None => Err(AppError::Forbidden),
        };
    }
    let filter = query.filter();
    let actions = state.store.next_steps(&filter).await?;
    let today = state.today();
    let areas: Vec<AreaSummary> = current_authorities(&state)
        .await?
        .iter()
        .map(|area| summarise(area, &actions, today))
        .collect();
    let totals = AreaSummary::total_of(&areas);
    Ok(RegionPage {
        chrome: Chrome::new(&visitor, "Progress across the region", NAV),
        chart: chart(
            &state,
            &filter,
            "Actions across the region by RAG status, month by month",
        )
        .await?,
        areas,
        totals,
        filter_action: "/progress".into(),
        programmes: query.items(),
        suffix: query.suffix(),
        programme_label: query.programme().map(Programme::label),
    }
    .into_response())
}

struct ActionRow {
    href: String,
    reference: String,
    action: String,
    owner: String,
    due: String,
    rag: Rag,
    overdue: bool,
}

/// One activity's next steps on an area's page.
struct ActivityGroup {
    heading: String,
    programme: &'static str,
    /// The id of the group's caption, unique on the page.
    caption_id: String,
    rows: Vec<ActionRow>,
}

/// The area's actions grouped by the activity they answer, in the order they came.
fn group_by_activity(actions: &[PlannedAction], today: NaiveDate) -> Vec<ActivityGroup> {
    let mut groups: Vec<(ActivityRef, Vec<ActionRow>)> = Vec::new();
    for planned in actions {
        let row = ActionRow {
            href: format!("/progress/actions/{}", planned.id),
            reference: planned.entry.reference.clone(),
            action: planned.entry.action.clone(),
            owner: planned.entry.owner.clone(),
            due: crate::dates::date(planned.entry.due),
            rag: planned.entry.rag,
            overdue: planned.entry.is_overdue(today),
        };
        match groups.iter_mut().find(|(a, _)| a.id == planned.activity.id) {
            Some((_, rows)) => rows.push(row),
            None => groups.push((planned.activity.clone(), vec![row])),
        }
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(n, (activity, rows))| ActivityGroup {
            heading: activity.title,
            programme: activity.programme.label(),
            caption_id: format!("actions-caption-{n}"),
            rows,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/progress/area.html")]
pub struct AreaPage {
    chrome: Chrome,
    back: Option<&'static str>,
    name: String,
    summary: AreaSummary,
    groups: Vec<ActivityGroup>,
    chart: String,
    filter_action: String,
    programmes: Vec<SelectItem>,
}

pub async fn show_area(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Query(query): Query<ProgrammeQuery>,
) -> Result<AreaPage, AppError> {
    let slug = AuthoritySlug::parse(&slug).map_err(|_| AppError::NotFound)?;
    visitor.authorise(&Action::ViewAreaProgress(slug.clone()))?;
    let area = state
        .store
        .authority(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let filter = NextStepFilter {
        area: Some(slug.clone()),
        programme: query.programme(),
    };
    let actions = state.store.next_steps(&filter).await?;
    let today = state.today();
    Ok(AreaPage {
        chrome: Chrome::new(&visitor, format!("Progress: {}", area.name), NAV),
        back: visitor
            .authorise(&Action::ViewRegionalProgress)
            .is_ok()
            .then_some("/progress"),
        summary: summarise(&area, &actions, today),
        groups: group_by_activity(&actions, today),
        chart: chart(
            &state,
            &filter,
            &format!("{}: actions by RAG status, month by month", area.name),
        )
        .await?,
        filter_action: format!("/progress/areas/{slug}"),
        programmes: query.items(),
        name: area.name,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/progress/action.html")]
pub struct ActionPage {
    chrome: Chrome,
    back: String,
    area: String,
    action: PlannedAction,
    details: Vec<(&'static str, String)>,
    overdue: bool,
    progress: Vec<ProgressNote>,
    history: Vec<ActionChange>,
    plan_href: Option<String>,
}

/// An action's fields for its page, in the order of [`ACTION_FIELDS`], the theme by its name.
/// Its status is the page's tag and its notes are listed under it, so those two are left out.
fn details(entry: &ActionEntry, theme: &str) -> Vec<(&'static str, String)> {
    ACTION_FIELDS
        .iter()
        .filter_map(|field| {
            let shown = match (field.value)(entry) {
                ActionValue::Rag(_) | ActionValue::Progress(_) => return None,
                ActionValue::Theme(_) => theme.to_owned(),
                value => value.in_words(),
            };
            Some((field.label, shown))
        })
        .collect()
}

pub async fn show_action(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ActionId>,
) -> Result<ActionPage, AppError> {
    let planned = state.store.action(id).await?.ok_or(AppError::NotFound)?;
    visitor.authorise(&Action::ViewAreaProgress(planned.authority.clone()))?;
    let area = state
        .store
        .authority(&planned.authority)
        .await?
        .map_or_else(|| planned.authority.to_string(), |a| a.name);
    let theme = state
        .store
        .themes()
        .await?
        .into_iter()
        .find(|theme| theme.code == planned.entry.theme)
        .map_or_else(|| planned.entry.theme.to_string(), |theme| theme.label);
    let history = state.store.action_history(id).await?;
    // Those who keep the area's next steps are sent on to the plan; others only read it here.
    let keeps_plan = visitor.may(&Action::KeepNextSteps(planned.authority.clone()));
    Ok(ActionPage {
        chrome: Chrome::new(&visitor, format!("Action {}", planned.entry.reference), NAV),
        back: format!("/progress/areas/{}", planned.authority),
        area,
        details: details(&planned.entry, &theme),
        overdue: planned.entry.is_overdue(state.today()),
        progress: planned.entry.progress.iter().rev().cloned().collect(),
        history: history.into_iter().rev().collect(),
        plan_href: planned
            .activity
            .challenge
            .filter(|_| keeps_plan)
            .map(|challenge| format!("/challenges/{challenge}/actions")),
        action: planned,
    })
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

fn attachment(content_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub async fn download_workbook(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ProgrammeQuery>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewRegionalProgress)?;
    let actions = state.store.next_steps(&query.filter()).await?;
    let names: BTreeMap<String, String> = current_authorities(&state)
        .await?
        .into_iter()
        .map(|area| (area.slug.to_string(), area.name))
        .collect();
    let bytes = regional_workbook(&actions, &names)
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(attachment(
        XLSX,
        &format!("next-steps{}-{}.xlsx", query.file_part(), state.today()),
        bytes,
    ))
}

pub async fn download_board_pack(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ProgrammeQuery>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewRegionalProgress)?;
    let filter = query.filter();
    let actions = state.store.next_steps(&filter).await?;
    let today = state.today();
    let areas: Vec<AreaSummary> = current_authorities(&state)
        .await?
        .iter()
        .map(|area| summarise(area, &actions, today))
        .collect();
    let changes: Vec<(ActionId, NaiveDate, Rag)> = state
        .store
        .next_step_rag_changes(&filter)
        .await?
        .into_iter()
        .map(|(action, at, rag)| (action, at.date_naive(), rag))
        .collect();
    let months = rag_by_month(&changes, today);
    let bytes = board_pack(&areas, months, query.programme(), today)
        .map_err(|error| AppError::Internal(error.to_string()))?;
    let name = format!("board-pack{}-{today}.pptx", query.file_part());
    Ok(attachment(PPTX, &name, bytes))
}
