//! The route table. The router is built from this one list, and the authorisation test
//! walks the same list, so a route cannot exist without an expected status for every role.

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{MethodRouter, get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::{ErrorPageKind, error_response};
use crate::pages::{
    account, admin, applications, apply, authorities, challenges, dashboard, health, pool, public,
    staffing, team, training, upkeep, what_if,
};
use crate::{AppState, assets, middleware};

/// One route: its method, path pattern and handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

pub(crate) fn route(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> Route {
    Route {
        method,
        path,
        handler,
    }
}

/// Every route the service answers.
pub fn route_table(settings: &crate::Settings) -> Vec<Route> {
    // Multipart bodies may be as large as the largest accepted upload, plus the form around it.
    let upload_limit = DefaultBodyLimit::max(settings.guidance_max_bytes + 64 * 1024);
    vec![
        // Public
        route(Method::GET, "/", get(public::show_home)),
        route(Method::GET, "/contact", get(public::show_contact)),
        route(Method::GET, "/guidance", get(public::show_guidance)),
        route(
            Method::GET,
            "/guidance/download",
            get(public::download_guidance),
        ),
        route(Method::GET, "/privacy", get(public::show_privacy)),
        route(
            Method::GET,
            "/accessibility",
            get(public::show_accessibility),
        ),
        route(Method::GET, "/assets/{*path}", get(assets::serve_asset)),
        route(Method::GET, "/healthz", get(health::health)),
        route(Method::GET, "/metrics", get(health::metrics)),
        // Accounts
        route(Method::GET, "/sign-in", get(account::show_sign_in)),
        route(Method::POST, "/sign-in", post(account::sign_in)),
        route(Method::POST, "/sign-out", post(account::sign_out)),
        route(
            Method::GET,
            "/reset-password",
            get(account::show_forgot_password),
        ),
        route(
            Method::POST,
            "/reset-password",
            post(account::request_password_reset),
        ),
        route(
            Method::GET,
            "/reset-password/{token}",
            get(account::show_reset_password),
        ),
        route(
            Method::POST,
            "/reset-password/{token}",
            post(account::reset_password),
        ),
        route(
            Method::GET,
            "/set-password/{token}",
            get(account::show_accept_invitation),
        ),
        route(
            Method::POST,
            "/set-password/{token}",
            post(account::accept_invitation),
        ),
        // Applying to join the reviewer pool (public)
        route(Method::GET, "/apply", get(apply::show_start)),
        route(Method::GET, "/apply/check", get(apply::show_check)),
        route(Method::POST, "/apply/submit", post(apply::submit)),
        route(
            Method::GET,
            "/apply/confirmation",
            get(apply::show_confirmation),
        ),
        route(
            Method::GET,
            "/apply/consent/{token}",
            get(apply::show_consent),
        ),
        route(
            Method::POST,
            "/apply/consent/{token}",
            post(apply::give_consent),
        ),
        route(
            Method::GET,
            "/apply/reopen/{token}",
            get(apply::show_reopen),
        ),
        route(Method::POST, "/apply/reopen/{token}", post(apply::reopen)),
        route(Method::GET, "/apply/{page}", get(apply::show_question)),
        route(Method::POST, "/apply/{page}", post(apply::answer_question)),
        // Vetting applications to the pool
        route(
            Method::GET,
            "/pool/applications",
            get(applications::show_queue),
        ),
        route(
            Method::GET,
            "/pool/applications/{id}",
            get(applications::show_application),
        ),
        route(
            Method::POST,
            "/pool/applications/{id}/approve",
            post(applications::approve),
        ),
        route(
            Method::POST,
            "/pool/applications/{id}/more-information",
            post(applications::ask_for_more_information),
        ),
        route(
            Method::POST,
            "/pool/applications/{id}/decline",
            post(applications::decline),
        ),
        // The reviewer pool: directory, exports, member profiles, and a reviewer's own profile
        route(Method::GET, "/pool", get(pool::show_directory)),
        route(Method::GET, "/pool.csv", get(pool::download_csv)),
        route(Method::GET, "/pool.xlsx", get(pool::download_xlsx)),
        route(Method::GET, "/pool/members/{id}", get(pool::show_member)),
        route(
            Method::POST,
            "/pool/members/{id}/status",
            post(pool::change_member_status),
        ),
        route(
            Method::POST,
            "/pool/members/{id}/trained",
            post(pool::mark_member_trained),
        ),
        route(
            Method::POST,
            "/pool/members/{id}/travel",
            post(pool::change_member_travel),
        ),
        route(Method::GET, "/my-profile", get(pool::show_my_profile)),
        route(
            Method::GET,
            "/my-profile/edit",
            get(pool::show_edit_my_profile),
        ),
        route(
            Method::POST,
            "/my-profile/edit",
            post(pool::edit_my_profile),
        ),
        route(
            Method::POST,
            "/my-profile/status",
            post(pool::change_my_status),
        ),
        // Training for the pool: demand, sessions, invitations and attendance
        route(Method::GET, "/training", get(training::show_training)),
        route(
            Method::GET,
            "/training/new",
            get(training::show_new_session),
        ),
        route(
            Method::POST,
            "/training/new",
            post(training::create_session),
        ),
        route(Method::GET, "/training/{id}", get(training::show_session)),
        route(
            Method::POST,
            "/training/{id}/invite",
            post(training::invite),
        ),
        route(
            Method::POST,
            "/training/{id}/attendance",
            post(training::record_attendance),
        ),
        route(
            Method::GET,
            "/training/{id}/invitation.ics",
            get(training::download_ics),
        ),
        // One-day and two-day challenges: request, KLOEs, visit, lifecycle
        route(Method::GET, "/challenges", get(challenges::list_challenges)),
        route(
            Method::GET,
            "/challenges/what-if",
            get(what_if::show_what_if),
        ),
        route(
            Method::GET,
            "/challenges/new",
            get(challenges::show_request),
        ),
        route(
            Method::POST,
            "/challenges/new",
            post(challenges::request_challenge),
        ),
        route(
            Method::GET,
            "/challenges/{id}",
            get(challenges::show_challenge),
        ),
        route(
            Method::POST,
            "/challenges/{id}/move",
            post(challenges::move_challenge),
        ),
        route(
            Method::GET,
            "/challenges/{id}/cancel",
            get(challenges::show_cancel),
        ),
        route(
            Method::POST,
            "/challenges/{id}/cancel",
            post(challenges::cancel),
        ),
        route(
            Method::GET,
            "/challenges/{id}/kloes",
            get(challenges::show_kloes),
        ),
        route(
            Method::POST,
            "/challenges/{id}/kloes",
            post(challenges::save_kloes),
        ),
        route(
            Method::POST,
            "/challenges/{id}/kloes/agree",
            post(challenges::agree_kloes),
        ),
        route(
            Method::GET,
            "/challenges/{id}/visit",
            get(challenges::show_visit),
        ),
        route(
            Method::POST,
            "/challenges/{id}/visit",
            post(challenges::plan_visit),
        ),
        // The team: proposal, changes, confirmation, invitations and answers
        route(Method::GET, "/challenges/{id}/team", get(team::show_team)),
        route(
            Method::POST,
            "/challenges/{id}/team/propose",
            post(team::propose_team),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/recompose",
            post(team::recompose_team),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/swap",
            post(team::swap_member),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/add",
            post(team::add_member),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/remove",
            post(team::remove_member),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/shadow",
            post(staffing::shadow_seat),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/ask-travel",
            post(staffing::ask_to_travel),
        ),
        route(
            Method::POST,
            "/challenges/{id}/team/confirm",
            post(team::confirm_team),
        ),
        route(
            Method::GET,
            "/challenges/{id}/invitation.ics",
            get(team::download_invitation),
        ),
        route(
            Method::GET,
            "/challenges/{id}/respond",
            get(team::show_respond),
        ),
        route(
            Method::POST,
            "/challenges/{id}/respond",
            post(team::respond),
        ),
        route(Method::GET, "/my-challenges", get(team::show_my_challenges)),
        // Signed in
        route(Method::GET, "/dashboard", get(dashboard::show_dashboard)),
        route(
            Method::GET,
            "/authorities",
            get(authorities::list_authorities),
        ),
        route(
            Method::GET,
            "/authorities/{slug}",
            get(authorities::show_authority),
        ),
        // Co-ordinator
        route(Method::GET, "/admin/staff", get(admin::list_staff)),
        route(Method::GET, "/admin/staff/invite", get(admin::show_invite)),
        route(
            Method::POST,
            "/admin/staff/invite",
            post(admin::invite_staff),
        ),
        route(Method::GET, "/admin/audit", get(admin::show_audit_log)),
        route(
            Method::GET,
            "/admin/audit.csv",
            get(admin::download_audit_log),
        ),
        route(Method::GET, "/admin/outbox", get(admin::show_outbox)),
        route(Method::GET, "/admin/upkeep", get(upkeep::show_upkeep)),
        route(
            Method::GET,
            "/admin/guidance",
            get(admin::show_manage_guidance),
        ),
        route(
            Method::POST,
            "/admin/guidance",
            post(admin::publish_guidance).layer(upload_limit),
        ),
    ]
    .into_iter()
    .chain(crate::pages::visit::routes(settings))
    .chain(crate::pages::findings::routes())
    .chain(crate::pages::reports::routes())
    .chain(crate::pages::next_steps::routes(settings))
    .chain(crate::pages::progress::routes())
    .chain(crate::pages::returns::routes())
    .chain(crate::pages::indicators::routes())
    .chain(crate::pages::self_assessment::routes())
    .chain(crate::pages::self_assessments::routes())
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
