//! Probes for load balancers and monitoring: `/healthz` and `/metrics`.

use axum::extract::State;
use axum::http::Method;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::route::{Route, route};

/// Every route of health and metrics, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/healthz", get(health)),
        route(Method::GET, "/metrics", get(metrics)),
    ]
}

/// 200 when the database answers, 503 otherwise, so a load balancer takes a broken
/// instance out of rotation.
pub async fn health(State(state): State<AppState>) -> Response {
    if state.store.ping().await {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
    }
}

/// Prometheus text format. Carries counts and timings only, never personal data.
pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}
