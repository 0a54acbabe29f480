//! The route table and the router. The router is built from this one list, and the
//! authorisation test walks the same list, so a route cannot exist without an expected
//! status for every role. Each page module registers its own routes (`routes()`); this file
//! gathers them and wraps them in the middleware.

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::{ErrorPageKind, error_response};
use crate::pages::triangulation;
use crate::pages::{
    account, admin, applications, apply, authorities, biennial, challenges, dashboard, events,
    findings, health, indicators, next_steps, pool, progress, public, reports, returns,
    self_assessment, self_assessments, staffing, team, training, triads, upkeep, visit, what_if,
};
pub use crate::route::Route;
use crate::{AppState, assets, middleware};

/// Every route the service answers: each page module's own list, so a page and its routes
/// live together and this file only gathers them.
pub fn route_table(settings: &crate::Settings) -> Vec<Route> {
    [
        public::routes(),
        assets::routes(),
        health::routes(),
        account::routes(),
        apply::routes(),
        applications::routes(),
        pool::routes(),
        training::routes(),
        challenges::routes(),
        what_if::routes(),
        team::routes(),
        staffing::routes(),
        visit::routes(settings),
        findings::routes(),
        reports::routes(),
        next_steps::routes(settings),
        progress::routes(),
        returns::routes(),
        dashboard::routes(),
        authorities::routes(),
        admin::routes(settings),
        upkeep::routes(),
        events::routes(),
        biennial::routes(),
        indicators::routes(),
        self_assessment::routes(),
        self_assessments::routes(),
        triads::routes(settings),
        triangulation::routes(),
        crate::pages::overview_files::routes(),
        crate::pages::programme_activities::routes(),
        crate::pages::return_next_steps::routes(),
        crate::pages::biennial_kloe_edit::routes(),
        crate::pages::event_documents::routes(settings),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The whole application: routes, then (innermost first) metrics, form tokens, the visitor,
/// cross-origin protection, security headers, timeouts, panics caught as 500 pages, tracing.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for Route { path, handler, .. } in route_table(&state.settings) {
        router = router.route(path, handler);
    }
    let csrf = state
        .settings
        .trusted_origins
        .iter()
        .fold(CsrfLayer::new(), |layer, origin| match layer.clone().add_trusted_origin(origin) {
            Ok(with_origin) => with_origin,
            Err(error) => {
                tracing::error!(%origin, ?error, "ignoring a trusted origin that is not a valid origin");
                layer
            }
        });
    router
        .fallback(public::not_found)
        .route_layer(from_fn(middleware::record_metrics))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::verify_form_token,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::identify_visitor,
        ))
        .layer(csrf.with_rejection_response(|_| {
            error_response(StatusCode::FORBIDDEN, ErrorPageKind::FormExpired)
        }))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(from_fn(crate::error::render_plain_rejections))
        .layer(CatchPanicLayer::custom(|_| {
            error_response(StatusCode::INTERNAL_SERVER_ERROR, ErrorPageKind::Status)
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
