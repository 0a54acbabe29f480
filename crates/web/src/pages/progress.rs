//! The board's view of next steps: every area's actions by RAG status and overdue, progress
//! over time as a chart drawn on the server, a page per area and per action with its history,
//! and the exports the board takes to its meetings (a workbook and a slide pack). An LA lead
//! sees the same pages for their own area only.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use domain::next_steps::{ProgressNote, Rag, rag_by_month};
use domain::{Action, ActionId, AuthoritySlug, Role};
use store::{ActionChange, Authority, PlannedAction};

use crate::action_plans::{AreaSummary, board_pack, progress_svg, regional_workbook};
use crate::pages::challenges::today;
use crate::pages::{Chrome, see_other};
use crate::routes::{Route, route};
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
async fn chart(
    state: &AppState,
    area: Option<&AuthoritySlug>,
    title: &str,
) -> Result<String, AppError> {
    let changes: Vec<(ActionId, NaiveDate, Rag)> = state
        .store
        .rag_changes(area)
        .await?
        .into_iter()
        .map(|(action, at, rag)| (action, at.date_naive(), rag))
        .collect();
    Ok(progress_svg(&rag_by_month(&changes, today()), title))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/progress/region.html")]
pub struct RegionPage {
    chrome: Chrome,
    areas: Vec<AreaSummary>,
    totals: AreaSummary,
    chart: String,
}

pub async fn show_region(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ViewProgress)?;
    if visitor.authorise(&Action::ViewRegionalProgress).is_err() {
        // An LA lead's progress is their own area's.
        return match principal.led_authorities().next() {
            Some(slug) => Ok(see_other(&format!("/progress/areas/{slug}"))),
            None => Err(AppError::Forbidden),
        };
    }
    let actions = state.store.actions(None).await?;
    let today = today();
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
            None,
            "Actions across the region by RAG status, month by month",
        )
        .await?,
        areas,
        totals,
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

#[derive(Template, WebTemplate)]
#[template(path = "pages/progress/area.html")]
pub struct AreaPage {
    chrome: Chrome,
    back: Option<&'static str>,
    name: String,
    summary: AreaSummary,
    actions: Vec<ActionRow>,
    chart: String,
}

pub async fn show_area(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<AreaPage, AppError> {
    let slug = AuthoritySlug::parse(&slug).map_err(|_| AppError::NotFound)?;
    visitor.authorise(&Action::ViewAreaProgress(slug.clone()))?;
    let area = state
        .store
        .authority(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let actions = state.store.actions(Some(&slug)).await?;
    let today = today();
    Ok(AreaPage {
        chrome: Chrome::new(&visitor, format!("Progress: {}", area.name), NAV),
        back: visitor
            .authorise(&Action::ViewRegionalProgress)
            .is_ok()
            .then_some("/progress"),
        summary: summarise(&area, &actions, today),
        actions: actions
            .iter()
            .map(|planned| ActionRow {
                href: format!("/progress/actions/{}", planned.id),
                reference: planned.entry.reference.clone(),
                action: planned.entry.action.clone(),
                owner: planned.entry.owner.clone(),
                due: crate::dates::date(planned.entry.due),
                rag: planned.entry.rag,
                overdue: planned.entry.is_overdue(today),
            })
            .collect(),
        chart: chart(
            &state,
            Some(&slug),
            &format!("{}: actions by RAG status, month by month", area.name),
        )
        .await?,
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
    theme: String,
    overdue: bool,
    progress: Vec<ProgressNote>,
    history: Vec<ActionChange>,
    plan_href: Option<String>,
}

pub async fn show_action(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<ActionPage, AppError> {
    let id: ActionId = id.parse().map_err(|_| AppError::NotFound)?;
    let planned = state.store.action(id).await?.ok_or(AppError::NotFound)?;
    let principal = visitor.authorise(&Action::ViewAreaProgress(planned.authority.clone()))?;
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
    // The host's lead and the co-ordinator keep the plan; others only read it here.
    let keeps_plan = principal.leads(&planned.authority) || principal.has_role(Role::Coordinator);
    Ok(ActionPage {
        chrome: Chrome::new(&visitor, format!("Action {}", planned.entry.reference), NAV),
        back: format!("/progress/areas/{}", planned.authority),
        area,
        theme,
        overdue: planned.entry.is_overdue(today()),
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
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewRegionalProgress)?;
    let actions = state.store.actions(None).await?;
    let names: BTreeMap<String, String> = current_authorities(&state)
        .await?
        .into_iter()
        .map(|area| (area.slug.to_string(), area.name))
        .collect();
    let bytes = regional_workbook(&actions, &names)
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(attachment(
        XLSX,
        &format!("next-steps-{}.xlsx", today()),
        bytes,
    ))
}

pub async fn download_board_pack(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewRegionalProgress)?;
    let actions = state.store.actions(None).await?;
    let today = today();
    let areas: Vec<AreaSummary> = current_authorities(&state)
        .await?
        .iter()
        .map(|area| summarise(area, &actions, today))
        .collect();
    let changes: Vec<(ActionId, NaiveDate, Rag)> = state
        .store
        .rag_changes(None)
        .await?
        .into_iter()
        .map(|(action, at, rag)| (action, at.date_naive(), rag))
        .collect();
    let months = rag_by_month(&changes, today);
    let bytes =
        board_pack(&areas, months, today).map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(attachment(PPTX, &format!("board-pack-{today}.pptx"), bytes))
}
