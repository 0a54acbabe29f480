//! The board's overview of a thematic event or a biennial cycle as a file to download (.docx
//! written report, .pptx slides), made by `services::programme_overviews` from what the store
//! holds, and the download links the event and cycle pages offer.

use axum::extract::State;
use axum::http::Method;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::findings::ReportFormat;
use domain::{Action, ProgrammeActivityId};
use services::programme_overviews::{
    OverviewError, cycle_overview_file, cycle_overview_published, event_overview_file,
    event_overview_published,
};
use store::{BiennialCycle, StoreError, ThematicEvent};

use crate::extract::Id;
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

pub fn routes() -> Vec<Route> {
    vec![
        route(
            Method::GET,
            "/events/{id}/overview.docx",
            get(event_written_overview),
        ),
        route(
            Method::GET,
            "/events/{id}/overview.pptx",
            get(event_overview_slides),
        ),
        route(
            Method::GET,
            "/biennial/{id}/overview.docx",
            get(cycle_written_overview),
        ),
        route(
            Method::GET,
            "/biennial/{id}/overview.pptx",
            get(cycle_overview_slides),
        ),
    ]
}

/// The overview's two downloads, for a page to link to.
#[derive(Clone, Debug)]
pub struct OverviewDownloads {
    pub docx: String,
    pub pptx: String,
    /// The co-ordinator's preview before the board has it.
    pub draft: bool,
}

fn read_event(event: &ThematicEvent) -> Action {
    Action::ReadProgrammeOverview {
        areas: event.areas.clone(),
        published: event_overview_published(event.state),
    }
}

fn read_cycle(cycle: &BiennialCycle) -> Action {
    Action::ReadProgrammeOverview {
        areas: cycle.areas.clone(),
        published: cycle_overview_published(cycle.state),
    }
}

/// The event's downloads, when the visitor may read its overview.
pub fn event_downloads(visitor: &Visitor, event: &ThematicEvent) -> Option<OverviewDownloads> {
    visitor.may(&read_event(event)).then(|| OverviewDownloads {
        docx: format!("/events/{}/overview.docx", event.id),
        pptx: format!("/events/{}/overview.pptx", event.id),
        draft: !event_overview_published(event.state),
    })
}

/// The cycle's downloads, when the visitor may read its overview.
pub fn cycle_downloads(visitor: &Visitor, cycle: &BiennialCycle) -> Option<OverviewDownloads> {
    visitor.may(&read_cycle(cycle)).then(|| OverviewDownloads {
        docx: format!("/biennial/{}/overview.docx", cycle.id),
        pptx: format!("/biennial/{}/overview.pptx", cycle.id),
        draft: !cycle_overview_published(cycle.state),
    })
}

/// A cycle's downloads from its list row, `areas` being those owing it a return: the board's
/// list reads no cycle whole.
pub fn summary_downloads(
    visitor: &Visitor,
    cycle: &store::BiennialSummary,
    areas: Vec<domain::AuthoritySlug>,
) -> Option<OverviewDownloads> {
    let published = cycle_overview_published(cycle.state);
    visitor
        .may(&Action::ReadProgrammeOverview { areas, published })
        .then(|| OverviewDownloads {
            docx: format!("/biennial/{}/overview.docx", cycle.id),
            pptx: format!("/biennial/{}/overview.pptx", cycle.id),
            draft: !published,
        })
}

fn attachment((name, bytes): (String, Vec<u8>), format: ReportFormat) -> Response {
    let content_type = match format {
        ReportFormat::SlideDeck => {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
        ReportFormat::WrittenReport => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    };
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn failed(error: OverviewError) -> AppError {
    match error {
        OverviewError::Store(StoreError::NotFound) => AppError::NotFound,
        OverviewError::Store(error) => error.into(),
        OverviewError::Document(error) => AppError::Internal(error.to_string()),
    }
}

async fn event_file(
    state: &AppState,
    visitor: &Visitor,
    id: ProgrammeActivityId,
    format: ReportFormat,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewEvents)?;
    let event = state.store.event(id).await?.ok_or(AppError::NotFound)?;
    visitor.authorise(&read_event(&event))?;
    let file = event_overview_file(&state.store, id, format, state.today())
        .await
        .map_err(failed)?;
    Ok(attachment(file, format))
}

async fn cycle_file(
    state: &AppState,
    visitor: &Visitor,
    id: ProgrammeActivityId,
    format: ReportFormat,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewBiennial)?;
    let cycle = state
        .store
        .biennial_cycle(id)
        .await?
        .ok_or(AppError::NotFound)?;
    visitor.authorise(&read_cycle(&cycle))?;
    let file = cycle_overview_file(&state.store, id, format, state.today())
        .await
        .map_err(failed)?;
    Ok(attachment(file, format))
}

pub async fn event_written_overview(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<Response, AppError> {
    event_file(&state, &visitor, id, ReportFormat::WrittenReport).await
}

pub async fn event_overview_slides(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<Response, AppError> {
    event_file(&state, &visitor, id, ReportFormat::SlideDeck).await
}

pub async fn cycle_written_overview(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<Response, AppError> {
    cycle_file(&state, &visitor, id, ReportFormat::WrittenReport).await
}

pub async fn cycle_overview_slides(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<Response, AppError> {
    cycle_file(&state, &visitor, id, ReportFormat::SlideDeck).await
}
