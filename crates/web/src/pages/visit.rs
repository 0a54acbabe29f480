//! Preparing a challenge's visit: the timetable of each visit day, the case sample and the
//! pre-reading. The host's LA lead builds them (the co-ordinator and project manager may
//! too) while `ChallengeState::may_prepare_visit` says so; the team reads them. Each
//! area has its own module; this one holds the routes and what they share.

mod cases;
pub(crate) mod documents;
mod timetable;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{get, post};
use domain::Action;

use crate::AppError;
use crate::components::NotificationBanner;
use crate::pages::Notice;
use crate::pages::challenges::LoadedChallenge;
use crate::route::{Route, route};
use crate::visitor::Visitor;

/// The navigation item these pages sit under.
const NAV: &str = "/challenges";

/// Every route of the visit's preparation, for `route_table`.
pub fn routes(settings: &crate::Settings) -> Vec<Route> {
    // A multipart body may be as large as the largest accepted document, plus the form
    // around it; the handler gives the precise message for a file over the limit.
    let upload_limit = DefaultBodyLimit::max(settings.pre_reading_max_bytes + 64 * 1024);
    vec![
        // The timetable
        route(
            Method::GET,
            "/challenges/{id}/timetable",
            get(timetable::show_timetable),
        ),
        route(
            Method::GET,
            "/challenges/{id}/timetable.ics",
            get(timetable::download_ics),
        ),
        route(
            Method::GET,
            "/challenges/{id}/timetable/print",
            get(timetable::show_printable),
        ),
        route(
            Method::GET,
            "/challenges/{id}/timetable/new",
            get(timetable::show_new_activity),
        ),
        route(
            Method::POST,
            "/challenges/{id}/timetable/new",
            post(timetable::add_activity),
        ),
        route(
            Method::GET,
            "/challenges/{id}/timetable/{activity}",
            get(timetable::show_activity),
        ),
        route(
            Method::POST,
            "/challenges/{id}/timetable/{activity}",
            post(timetable::change_activity),
        ),
        route(
            Method::GET,
            "/challenges/{id}/timetable/{activity}/delete",
            get(timetable::show_delete_activity),
        ),
        route(
            Method::POST,
            "/challenges/{id}/timetable/{activity}/delete",
            post(timetable::delete_activity),
        ),
        // The case sample
        route(
            Method::GET,
            "/challenges/{id}/cases",
            get(cases::show_cases),
        ),
        route(
            Method::POST,
            "/challenges/{id}/cases",
            post(cases::add_case),
        ),
        route(
            Method::GET,
            "/challenges/{id}/cases/{case}/delete",
            get(cases::show_delete_case),
        ),
        route(
            Method::POST,
            "/challenges/{id}/cases/{case}/delete",
            post(cases::delete_case),
        ),
        // The pre-reading
        route(
            Method::GET,
            "/challenges/{id}/documents",
            get(documents::show_documents),
        ),
        route(
            Method::POST,
            "/challenges/{id}/documents",
            post(documents::upload_document).layer(upload_limit),
        ),
        route(
            Method::GET,
            "/challenges/{id}/documents/{document}",
            get(documents::download_document),
        ),
        route(
            Method::GET,
            "/challenges/{id}/documents/{document}/delete",
            get(documents::show_delete_document),
        ),
        route(
            Method::POST,
            "/challenges/{id}/documents/{document}/delete",
            post(documents::delete_document),
        ),
    ]
}

/// Whether this visitor may change the visit now: allowed to prepare it, and the challenge
/// at a stage where it may change.
fn may_change(loaded: &LoadedChallenge, visitor: &Visitor) -> bool {
    loaded.record.state.may_prepare_visit()
        && loaded.may(visitor, &Action::PrepareVisit(loaded.access.clone()))
}

/// The banner for a change refused because the challenge has moved past preparation (or
/// another notice this page does not know, which shows nothing).
fn closed_banner(notice: &str) -> Option<NotificationBanner> {
    (notice == "closed").then(|| NotificationBanner {
        success: false,
        heading: "The visit can no longer be changed at this stage of the challenge".into(),
    })
}

/// "PC-2027-004: Nottingham, two-day peer challenge": the caption over every heading.
fn caption(loaded: &LoadedChallenge) -> String {
    loaded.title()
}

/// What a confirmed delete answers: the list with a notice, or with the "closed" notice when the
/// challenge moved past preparation meanwhile.
fn after_delete(
    result: Result<(), store::StoreError>,
    list: &str,
) -> Result<axum::response::Response, AppError> {
    match result {
        Ok(()) => Ok(crate::pages::see_other(&format!("{list}?notice=deleted"))),
        Err(store::StoreError::Conflict(_)) => {
            Ok(crate::pages::see_other(&format!("{list}?notice=closed")))
        }
        Err(store::StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}
