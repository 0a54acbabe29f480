//! The board's view of next steps: every area's actions by RAG status and overdue, progress
//! over time as a chart drawn on the server, a page per area and per action with its history,
//! and the exports the board takes to its meetings (a workbook and a slide pack). An LA lead
//! sees the same pages for their own area only. Next steps come from every programme; the
//! region and area pages filter by programme with a plain GET form.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::next_steps::{ACTION_FIELDS, ActionEntry, ActionValue, ProgressNote, Rag};
use domain::{ActionId, AuthoritySlug, Programme};
use serde::Deserialize;
use services::progress::{self, ActivityActions, ProgressView};
use store::{ActionChange, PlannedAction};

use crate::action_plans::{AreaSummary, board_pack, regional_workbook};
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
    let region = match progress::progress(
        &state.store,
        &state.views,
        visitor.principal.as_ref(),
        query.programme(),
        state.today(),
    )
    .await?
    {
        ProgressView::Region(region) => region,
        // An LA lead's progress is their own area's.
        ProgressView::OwnArea(slug) => {
            return Ok(see_other(&format!(
                "/progress/areas/{slug}{}",
                query.suffix()
            )));
        }
    };
    Ok(RegionPage {
        chrome: Chrome::new(&visitor, "Progress across the region", NAV),
        chart: region.chart,
        areas: region.areas,
        totals: region.totals,
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

/// The area's actions by the activity they answer, each group captioned uniquely on the page.
fn activity_groups(activities: Vec<ActivityActions>) -> Vec<ActivityGroup> {
    activities
        .into_iter()
        .enumerate()
        .map(|(n, group)| ActivityGroup {
            heading: group.activity.title,
            programme: group.activity.programme.label(),
            caption_id: format!("actions-caption-{n}"),
            rows: group
                .actions
                .into_iter()
                .map(|(planned, overdue)| ActionRow {
                    href: format!("/progress/actions/{}", planned.id),
                    reference: planned.entry.reference,
                    action: planned.entry.action,
                    owner: planned.entry.owner,
                    due: crate::dates::date(planned.entry.due),
                    rag: planned.entry.rag,
                    overdue,
                })
                .collect(),
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
    let area = progress::area_progress(
        &state.store,
        &state.views,
        visitor.principal.as_ref(),
        &slug,
        query.programme(),
        state.today(),
    )
    .await?;
    Ok(AreaPage {
        chrome: Chrome::new(&visitor, format!("Progress: {}", area.area.name), NAV),
        back: area.sees_region.then_some("/progress"),
        summary: area.summary,
        groups: activity_groups(area.activities),
        chart: area.chart,
        filter_action: format!("/progress/areas/{slug}"),
        programmes: query.items(),
        name: area.area.name,
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
    let seen =
        progress::action_progress(&state.store, visitor.principal.as_ref(), id, state.today())
            .await?;
    Ok(ActionPage {
        chrome: Chrome::new(
            &visitor,
            format!("Action {}", seen.action.entry.reference),
            NAV,
        ),
        back: format!("/progress/areas/{}", seen.action.authority),
        area: seen.area_name,
        details: details(&seen.action.entry, &seen.theme),
        overdue: seen.overdue,
        progress: seen.progress,
        history: seen.history,
        plan_href: seen
            .kept_in_plan
            .map(|challenge| format!("/challenges/{challenge}/actions")),
        action: seen.action,
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
    let (actions, names) =
        progress::region_actions(&state.store, visitor.principal.as_ref(), query.programme())
            .await?;
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
    let today = state.today();
    let region = progress::region_progress(
        &state.store,
        &state.views,
        visitor.principal.as_ref(),
        query.programme(),
        today,
    )
    .await?;
    let bytes = board_pack(&region.areas, region.months, query.programme(), today)
        .map_err(|error| AppError::Internal(error.to_string()))?;
    let name = format!("board-pack{}-{today}.pptx", query.file_part());
    Ok(attachment(PPTX, &name, bytes))
}
