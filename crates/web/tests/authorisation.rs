//! Every route of the live router, requested by every role, against the expected status.
//! A route added without a row here fails `every_route_has_a_row`.

use crate::support;

use axum::http::{Method, StatusCode};
use domain::lifecycle::ChallengeState;
use support::challenge_fixture::challenge_in;
use support::findings_fixture::{next_steps_challenge, reporting_challenge};
use support::visit_fixture::add_visit_fixtures;
use support::{TestApp, Who};

const OK: u16 = 200;
const REDIRECT: u16 = 303;
const FORBIDDEN: u16 = 403;
const NOT_FOUND: u16 = 404;
const GONE: u16 = 410;
const INVALID: u16 = 422;

/// The expected statuses, in the order of `Who::ALL`:
/// anonymous, coordinator, project manager, lead of Derby, reviewer, board.
struct Row {
    method: Method,
    pattern: &'static str,
    /// The concrete path requested for the pattern.
    path: &'static str,
    expected: [u16; 6],
}

const fn row(method: Method, pattern: &'static str, path: &'static str, expected: [u16; 6]) -> Row {
    Row {
        method,
        pattern,
        path,
        expected,
    }
}

const EVERYONE_OK: [u16; 6] = [OK; 6];
const SIGNED_IN_OK: [u16; 6] = [REDIRECT, OK, OK, OK, OK, OK];
const COORDINATOR_ONLY: [u16; 6] = [REDIRECT, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const POOL_ONLY: [u16; 6] = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN];
/// The people who run the pool get past the policy to a 404 for an application that does
/// not exist; everyone else is refused first.
const POOL_NOT_FOUND: [u16; 6] = [
    REDIRECT, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const APPLICATION: &str = "/pool/applications/00000000-0000-0000-0000-000000000000";
const APPROVE: &str = "/pool/applications/00000000-0000-0000-0000-000000000000/approve";
const ASK: &str = "/pool/applications/00000000-0000-0000-0000-000000000000/more-information";
const DECLINE: &str = "/pool/applications/00000000-0000-0000-0000-000000000000/decline";
/// A reviewer's own profile: reviewers only. The test reviewer has no pool membership, so
/// every one of these answers with the page saying so.
const OWN_PROFILE: [u16; 6] = [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN];
/// A member's profile: refused to a reviewer (even their own: theirs is /my-profile), to an
/// LA lead and to the board; a 404 for the pool's managers, as no member has this id.
const MEMBER: &str = "/pool/members/00000000-0000-0000-0000-000000000000";
const MEMBER_STATUS: &str = "/pool/members/00000000-0000-0000-0000-000000000000/status";
const MEMBER_TRAINED: &str = "/pool/members/00000000-0000-0000-0000-000000000000/trained";
const MEMBER_TRAVEL: &str = "/pool/members/00000000-0000-0000-0000-000000000000/travel";
/// Training: the pool's managers only. An empty session form is invalid; a session that
/// does not exist is a 404 once past the policy.
const TRAINING_POSTS: [u16; 6] = [REDIRECT, INVALID, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const SESSION: &str = "/training/00000000-0000-0000-0000-000000000000";
const SESSION_INVITE: &str = "/training/00000000-0000-0000-0000-000000000000/invite";
const SESSION_ATTENDANCE: &str = "/training/00000000-0000-0000-0000-000000000000/attendance";
const SESSION_ICS: &str = "/training/00000000-0000-0000-0000-000000000000/invitation.ics";
const COORDINATOR_POSTS: [u16; 6] = [
    REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const CONFLICT: u16 = 409;
/// Challenge routes are walked against a real challenge hosted by Nottingham with a confirmed
/// team that none of the test accounts sits on (`{challenge}` in a path is its id): the lead
/// of Derby, a reviewer who is not on the team and the board get nothing.
const SCHEME_ONLY: [u16; 6] = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const SCHEME_INVALID: [u16; 6] = [REDIRECT, INVALID, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const SCHEME_REDIRECT: [u16; 6] = [
    REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const SCHEME_CONFLICT: [u16; 6] = [
    REDIRECT, CONFLICT, CONFLICT, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const REVIEWER_ON_TEAM_ONLY: [u16; 6] = [
    REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const CHALLENGE: &str = "/challenges/{challenge}";

/// The visit preparation's rows: timetable, case sample and pre-reading.
#[path = "authorisation_rows/visit.rs"]
mod visit_rows;

/// Evidence, findings and reports.
#[path = "authorisation_rows/findings.rs"]
mod findings_rows;

/// Next steps and the board's progress pages.
#[path = "authorisation_rows/next_steps.rs"]
mod next_steps_rows;

/// The biennial cycles.
#[path = "authorisation_rows/biennial.rs"]
mod biennial_rows;
/// A thematic event's pre-reading files.
#[path = "authorisation_rows/event_documents.rs"]
mod event_documents_rows;
/// Thematic events and their nominations.
#[path = "authorisation_rows/events.rs"]
mod events_rows;
/// The overview downloads of events and cycles.
#[path = "authorisation_rows/overviews.rs"]
mod overview_rows;
/// Next-steps returns kept on the web (agreed actions, a thematic event's next steps).
#[path = "authorisation_rows/returns.rs"]
mod returns_rows;
#[path = "authorisation_rows/self_assessment.rs"]
mod self_assessment_rows;
/// Triad scrutiny, the development plan and evidence documents.
#[path = "authorisation_rows/triads.rs"]
mod triads_rows;
/// The annual self-assessment's data packs.
#[path = "authorisation_rows/triangulation.rs"]
mod triangulation_rows;

// One line per route reads as the table it is.
#[rustfmt::skip]
fn table() -> Vec<Row> {
    let mut rows = vec![
        row(Method::GET,  "/",                       "/",                                 EVERYONE_OK),
        row(Method::GET,  "/contact",                "/contact",                          EVERYONE_OK),
        row(Method::GET,  "/guidance",               "/guidance",                         EVERYONE_OK),
        row(Method::GET,  "/guidance/download",      "/guidance/download",                [NOT_FOUND; 6]),
        row(Method::GET,  "/privacy",                "/privacy",                          EVERYONE_OK),
        row(Method::GET,  "/accessibility",          "/accessibility",                    EVERYONE_OK),
        row(Method::GET,  "/assets/{*path}",         "/assets/application.css",           EVERYONE_OK),
        row(Method::GET,  "/healthz",                "/healthz",                          EVERYONE_OK),
        row(Method::GET,  "/metrics",                "/metrics",                          EVERYONE_OK),
        row(Method::GET,  "/sign-in",                "/sign-in",                          [OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT]),
        row(Method::POST, "/sign-in",                "/sign-in",                          [INVALID; 6]),
        row(Method::POST, "/sign-out",               "/sign-out",                         [REDIRECT; 6]),
        row(Method::GET,  "/reset-password",         "/reset-password",                   EVERYONE_OK),
        row(Method::POST, "/reset-password",         "/reset-password",                   [INVALID; 6]),
        row(Method::GET,  "/reset-password/{token}", "/reset-password/not-a-live-token",  [GONE; 6]),
        row(Method::POST, "/reset-password/{token}", "/reset-password/not-a-live-token",  [GONE; 6]),
        row(Method::GET,  "/set-password/{token}",   "/set-password/not-a-live-token",    [GONE; 6]),
        row(Method::POST, "/set-password/{token}",   "/set-password/not-a-live-token",    [GONE; 6]),
        row(Method::GET,  "/apply",                  "/apply",                            EVERYONE_OK),
        row(Method::GET,  "/apply/check",            "/apply/check",                      [REDIRECT; 6]),
        row(Method::POST, "/apply/submit",           "/apply/submit",                     [REDIRECT; 6]),
        row(Method::GET,  "/apply/confirmation",     "/apply/confirmation",               EVERYONE_OK),
        row(Method::GET,  "/apply/consent/{token}",  "/apply/consent/not-a-live-token",   EVERYONE_OK),
        row(Method::POST, "/apply/consent/{token}",  "/apply/consent/not-a-live-token",   [GONE; 6]),
        row(Method::GET,  "/apply/reopen/{token}",   "/apply/reopen/not-a-live-token",    EVERYONE_OK),
        row(Method::POST, "/apply/reopen/{token}",   "/apply/reopen/not-a-live-token",    [GONE; 6]),
        row(Method::GET,  "/apply/{page}",           "/apply/name",                       EVERYONE_OK),
        row(Method::POST, "/apply/{page}",           "/apply/name",                       [INVALID; 6]),
        row(Method::GET,  "/pool/applications",      "/pool/applications",                POOL_ONLY),
        row(Method::GET,  "/pool/applications/{id}", APPLICATION,                         POOL_NOT_FOUND),
        row(Method::POST, "/pool/applications/{id}/approve",          APPROVE,            POOL_NOT_FOUND),
        row(Method::POST, "/pool/applications/{id}/more-information", ASK,                POOL_NOT_FOUND),
        row(Method::POST, "/pool/applications/{id}/decline",          DECLINE,            POOL_NOT_FOUND),
        row(Method::GET,  "/pool",                   "/pool",                             POOL_ONLY),
        row(Method::GET,  "/pool.csv",               "/pool.csv",                         POOL_ONLY),
        row(Method::GET,  "/pool.xlsx",              "/pool.xlsx",                        POOL_ONLY),
        row(Method::GET,  "/pool/members/{id}",      MEMBER,                              POOL_NOT_FOUND),
        row(Method::POST, "/pool/members/{id}/status",  MEMBER_STATUS,                    POOL_NOT_FOUND),
        row(Method::POST, "/pool/members/{id}/trained", MEMBER_TRAINED,                   POOL_NOT_FOUND),
        row(Method::POST, "/pool/members/{id}/travel", MEMBER_TRAVEL,                     POOL_NOT_FOUND),
        row(Method::GET,  "/my-profile",             "/my-profile",                       OWN_PROFILE),
        row(Method::GET,  "/my-profile/edit",        "/my-profile/edit",                  OWN_PROFILE),
        row(Method::POST, "/my-profile/edit",        "/my-profile/edit",                  OWN_PROFILE),
        row(Method::POST, "/my-profile/status",      "/my-profile/status",                OWN_PROFILE),
        row(Method::GET,  "/training",               "/training",                         POOL_ONLY),
        row(Method::GET,  "/training/new",           "/training/new",                     POOL_ONLY),
        row(Method::POST, "/training/new",           "/training/new",                     TRAINING_POSTS),
        row(Method::GET,  "/training/{id}",          SESSION,                             POOL_NOT_FOUND),
        row(Method::POST, "/training/{id}/invite",   SESSION_INVITE,                      POOL_NOT_FOUND),
        row(Method::POST, "/training/{id}/attendance", SESSION_ATTENDANCE,                POOL_NOT_FOUND),
        row(Method::GET,  "/training/{id}/invitation.ics", SESSION_ICS,                   POOL_NOT_FOUND),
        row(Method::GET,  "/challenges",             "/challenges",                       [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN]),
        row(Method::GET,  "/challenges/what-if",     "/challenges/what-if",               SCHEME_ONLY),
        row(Method::GET,  "/challenges/new",         "/challenges/new",                   [REDIRECT, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN]),
        row(Method::POST, "/challenges/new",         "/challenges/new",                   [REDIRECT, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN, FORBIDDEN]),
        row(Method::GET,  "/challenges/{id}",        CHALLENGE,                           SCHEME_ONLY),
        row(Method::POST, "/challenges/{id}/move",   "/challenges/{challenge}/move",      SCHEME_INVALID),
        row(Method::GET,  "/challenges/{id}/cancel", "/challenges/{challenge}/cancel",    SCHEME_ONLY),
        row(Method::POST, "/challenges/{id}/cancel", "/challenges/{challenge}/cancel",    SCHEME_INVALID),
        row(Method::GET,  "/challenges/{id}/kloes",  "/challenges/{challenge}/kloes",     SCHEME_ONLY),
        row(Method::POST, "/challenges/{id}/kloes",  "/challenges/{challenge}/kloes",     [REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        row(Method::POST, "/challenges/{id}/kloes/agree", "/challenges/{challenge}/kloes/agree", [REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        row(Method::GET,  "/challenges/{id}/visit",  "/challenges/{challenge}/visit",     SCHEME_ONLY),
        row(Method::POST, "/challenges/{id}/visit",  "/challenges/{challenge}/visit",     SCHEME_INVALID),
        row(Method::GET,  "/challenges/{id}/team",   "/challenges/{challenge}/team",      SCHEME_ONLY),
        row(Method::POST, "/challenges/{id}/team/propose",   "/challenges/{challenge}/team/propose",   SCHEME_REDIRECT),
        row(Method::POST, "/challenges/{id}/team/recompose", "/challenges/{challenge}/team/recompose", SCHEME_REDIRECT),
        row(Method::POST, "/challenges/{id}/team/swap",      "/challenges/{challenge}/team/swap",      SCHEME_CONFLICT),
        row(Method::POST, "/challenges/{id}/team/add",       "/challenges/{challenge}/team/add",       SCHEME_CONFLICT),
        row(Method::POST, "/challenges/{id}/team/remove",    "/challenges/{challenge}/team/remove",    SCHEME_CONFLICT),
        row(Method::POST, "/challenges/{id}/team/confirm",   "/challenges/{challenge}/team/confirm",   SCHEME_CONFLICT),
        row(Method::POST, "/challenges/{id}/team/shadow",    "/challenges/{challenge}/team/shadow",    SCHEME_CONFLICT),
        row(Method::POST, "/challenges/{id}/team/ask-travel", "/challenges/{challenge}/team/ask-travel", SCHEME_CONFLICT),
        row(Method::GET,  "/challenges/{id}/invitation.ics", "/challenges/{challenge}/invitation.ics", SCHEME_ONLY),
        row(Method::GET,  "/challenges/{id}/respond", "/challenges/{challenge}/respond",  REVIEWER_ON_TEAM_ONLY),
        row(Method::POST, "/challenges/{id}/respond", "/challenges/{challenge}/respond",  REVIEWER_ON_TEAM_ONLY),
        row(Method::GET,  "/my-challenges",          "/my-challenges",                    [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN]),
        row(Method::GET,  "/dashboard",              "/dashboard",                        SIGNED_IN_OK),
        row(Method::GET,  "/authorities",            "/authorities",                      SIGNED_IN_OK),
        row(Method::GET,  "/authorities/{slug}",     "/authorities/derby",                SIGNED_IN_OK),
        row(Method::GET,  "/admin/staff",            "/admin/staff",                      COORDINATOR_ONLY),
        row(Method::GET,  "/admin/staff/invite",     "/admin/staff/invite",               COORDINATOR_ONLY),
        row(Method::POST, "/admin/staff/invite",     "/admin/staff/invite",               COORDINATOR_POSTS),
        row(Method::GET,  "/admin/audit",            "/admin/audit",                      COORDINATOR_ONLY),
        row(Method::GET,  "/admin/audit.csv",        "/admin/audit.csv",                  COORDINATOR_ONLY),
        row(Method::GET,  "/admin/outbox",           "/admin/outbox",                     COORDINATOR_ONLY),
        row(Method::GET,  "/admin/upkeep",           "/admin/upkeep",                     COORDINATOR_ONLY),
        row(Method::GET,  "/admin/guidance",         "/admin/guidance",                   COORDINATOR_ONLY),
        row(Method::POST, "/admin/guidance",         "/admin/guidance",                   COORDINATOR_POSTS),
    ];
    rows.extend(visit_rows::rows());
    rows.extend(findings_rows::rows());
    rows.extend(next_steps_rows::rows());
    rows.extend(events_rows::rows());
    rows.extend(biennial_rows::rows());
    rows.extend(self_assessment_rows::rows());
    rows.extend(triads_rows::rows());
    rows.extend(triangulation_rows::rows());
    rows.extend(overview_rows::rows());
    rows.extend(returns_rows::rows());
    rows.extend(biennial_rows::change_rows());
    rows.extend(event_documents_rows::rows());
    rows
}

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let routes: Vec<(Method, &str)> = web::routes::route_table(&web::Settings::default())
        .iter()
        .map(|route| (route.method.clone(), route.path))
        .collect();
    let rows = table();
    for (method, path) in &routes {
        assert!(
            rows.iter()
                .any(|row| row.method == *method && row.pattern == *path),
            "{method} {path} has no row in the authorisation table"
        );
    }
    for row in &rows {
        assert!(
            routes
                .iter()
                .any(|(method, path)| *method == row.method && *path == row.pattern),
            "the table has a row for {} {} but the router has no such route",
            row.method,
            row.pattern
        );
    }
}

/// The records the table's paths name, made once per database.
struct Fixtures {
    substitutions: Vec<(&'static str, String)>,
}

impl Fixtures {
    async fn make(app: &TestApp) -> Self {
        let fixture = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
        let visit = add_visit_fixtures(&app.store, fixture.challenge, &fixture.team).await;
        let reporting = reporting_challenge(&app.store, "lincolnshire").await;
        let next = next_steps_challenge(&app.store, "leicestershire").await;
        let owed = app
            .store
            .returns(&store::ReturnFilter {
                area: domain::AuthoritySlug::parse("leicestershire").ok(),
                programme: None,
            })
            .await
            .expect("returns");
        let annual = self_assessment_rows::fixtures(app).await;
        let triads = triads_rows::fixtures(app).await;
        Self {
            substitutions: vec![
                ("{challenge}", fixture.challenge.to_string()),
                ("{activity}", visit.activity.to_string()),
                ("{case}", visit.case.to_string()),
                ("{document}", visit.document.to_string()),
                ("{reporting}", reporting.challenge.to_string()),
                ("{note}", reporting.note.to_string()),
                ("{finding}", reporting.finding.to_string()),
                ("{version}", reporting.version.to_string()),
                ("{next}", next.challenge.to_string()),
                ("{action}", next.action.to_string()),
                ("{return}", owed[0].id.to_string()),
                ("{event}", events_rows::open_event(&app.store).await),
                ("{cycle}", biennial_rows::fixture(app).await),
            ]
            .into_iter()
            .chain(annual)
            .chain(triads)
            .chain(overview_rows::fixtures(app).await)
            .chain(returns_rows::fixtures(app).await)
            .chain(event_documents_rows::fixtures(app).await)
            .collect(),
        }
    }

    /// The row's path with every placeholder replaced by a real record's id.
    fn path(&self, row: &Row) -> String {
        self.substitutions
            .iter()
            .fold(row.path.to_owned(), |path, (placeholder, id)| {
                path.replace(placeholder, id)
            })
    }
}

async fn walk_every_route(app: TestApp) {
    let fixtures = Fixtures::make(&app).await;
    let mut failures = Vec::new();
    for (index, who) in Who::ALL.into_iter().enumerate() {
        for row in table() {
            let path = fixtures.path(&row);
            // A fresh session per request: signing out must not end the walk.
            let mut browser = app.browser_as(who).await;
            let page = if row.method == Method::GET {
                browser.get(&path).await
            } else if row.pattern == "/admin/guidance" {
                browser.post_multipart(&path, &[("title", "")], None).await
            } else {
                browser.post(&path, &[]).await
            };
            let expected = row.expected[index];
            if page.status.as_u16() != expected {
                failures.push(format!(
                    "{who:?} {} {}: expected {expected}, got {}",
                    row.method, row.pattern, page.status
                ));
            }
            // A protected page (some role is let in where anonymous is redirected) sends
            // anonymous visitors to sign in.
            let protected = row.expected[1..].iter().any(|status| *status != REDIRECT);
            if who == Who::Anonymous
                && expected == REDIRECT
                && row.method == Method::GET
                && protected
            {
                assert_eq!(
                    page.location(),
                    Some("/sign-in"),
                    "{} sends anonymous visitors to sign in",
                    row.pattern
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation table mismatches:\n{}",
        failures.join("\n")
    );
}

app_test!(
    every_role_gets_exactly_what_the_table_says,
    walk_every_route
);

/// Hostile forms posted to every route.
#[path = "authorisation/hostile_forms.rs"]
mod hostile_forms;

#[path = "authorisation/scoped.rs"]
mod scoped;

#[tokio::test]
async fn an_unknown_path_is_a_gov_uk_404_page() {
    let app = TestApp::new(store::Backend::Sqlite).await;
    let page = app.browser().get("/no-such-page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
    assert!(page.body.contains("govuk-template"));
}

/// Path parameters that name a record by id. A malformed one names nothing.
const ID_PARAMETERS: [&str; 8] = [
    "{id}",
    "{version}",
    "{finding}",
    "{note}",
    "{action}",
    "{case}",
    "{document}",
    "{activity}",
];

/// Every page with an id in its path, asked for with a malformed id by the co-ordinator (who
/// may see the most), answers with the GOV.UK "Page not found" page: ids are parsed by the
/// extractor before any handler runs, never reported as axum's plain-text 400.
#[tokio::test]
async fn a_malformed_id_is_a_gov_uk_404_page() {
    let app = TestApp::new(store::Backend::Sqlite).await;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let fixtures = Fixtures::make(&app).await;
    let patterns: Vec<&str> = web::routes::route_table(&web::Settings::default())
        .iter()
        .filter(|route| route.method == Method::GET)
        .map(|route| route.path)
        .filter(|path| ID_PARAMETERS.iter().any(|param| path.contains(param)))
        .collect();
    assert!(patterns.len() > 20, "only {} id routes", patterns.len());
    for pattern in patterns {
        // Each id in turn is the malformed one; the others name real records.
        for malformed in ID_PARAMETERS
            .iter()
            .filter(|param| pattern.contains(**param))
        {
            // The challenge that owns the record named by the other id.
            let owner = match *malformed {
                "{version}" | "{finding}" | "{note}" => "{reporting}",
                "{action}" => "{next}",
                _ => "{challenge}",
            };
            let mut path = pattern
                .replace(malformed, "not-an-id")
                .replace("{id}", owner);
            for (placeholder, value) in &fixtures.substitutions {
                path = path.replace(placeholder, value);
            }
            let page = coordinator.get(&path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                page.body.contains("Page not found"),
                "{path}: {}",
                page.body
            );
        }
    }
}
