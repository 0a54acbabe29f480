//! Published data, inspections and the annual self-assessment cycle (issue 15). Anyone with a
//! role reads the releases held; only the co-ordinator imports a file or records an
//! inspection (an empty post is invalid for them, refused for everyone else before anything
//! is read). The cycle's pages are walked against this year's cycle with unpublished triads
//! (`{year}`): the board, the people who run the scheme and LA leads open them, reviewers
//! get nothing; only the co-ordinator starts a cycle, changes the triads (an empty form is
//! invalid) or publishes them.

use super::*;

const ANY_ROLE: [u16; 6] = [REDIRECT, OK, OK, OK, OK, OK];
const CYCLE_READERS: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  "/indicators",                     "/indicators",                       ANY_ROLE),
        row(Method::POST, "/indicators/import",              "/indicators/import",                COORDINATOR_POSTS),
        row(Method::GET,  "/indicators/inspections/{slug}",  "/indicators/inspections/derby",     COORDINATOR_ONLY),
        row(Method::POST, "/indicators/inspections/{slug}",  "/indicators/inspections/derby",     COORDINATOR_POSTS),
        row(Method::GET,  "/self-assessment",                "/self-assessment",                  CYCLE_READERS),
        row(Method::POST, "/self-assessment",                "/self-assessment",                  COORDINATOR_POSTS),
        row(Method::GET,  "/self-assessment/{year}",         "/self-assessment/{year}",           CYCLE_READERS),
        row(Method::POST, "/self-assessment/{year}/triads",  "/self-assessment/{year}/triads",    COORDINATOR_POSTS),
        // The co-ordinator's post publishes them (a second would be a conflict shown on the page).
        row(Method::POST, "/self-assessment/{year}/publish", "/self-assessment/{year}/publish",   [REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ]
}

/// This year's cycle for the region's ten areas, triads proposed and not published.
pub async fn fixtures(app: &TestApp) -> Vec<(&'static str, String)> {
    use chrono::Datelike;
    let year = chrono::Utc::now().date_naive().year();
    let coordinator =
        support::challenge_fixture::principal_of(&app.store, "coordinator@example.org").await;
    let areas: Vec<domain::AuthoritySlug> = app
        .store
        .authorities()
        .await
        .expect("authorities")
        .into_iter()
        .filter(|a| a.valid_to.is_none())
        .map(|a| a.slug)
        .collect();
    let triads = domain::self_assessment::propose_triads(&areas, &[]);
    app.store
        .create_annual_cycle(
            year,
            domain::self_assessment::CycleTimetable::usual(year).expect("timetable"),
            &areas,
            &triads,
            &coordinator,
            chrono::Utc::now(),
        )
        .await
        .expect("cycle");
    vec![("{year}", year.to_string())]
}
