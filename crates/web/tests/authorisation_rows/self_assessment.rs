//! Published data, inspections and the annual self-assessment cycle (issue 15). Anyone with a
//! role reads the releases held; only the co-ordinator imports a file or records an
//! inspection (an empty post is invalid for them, refused for everyone else before anything
//! is read). The cycle's pages are walked against this year's cycle with unpublished triads
//! (`{year}`): the board, the people who run the scheme and LA leads open them, reviewers
//! get nothing; only the co-ordinator starts a cycle, changes the triads (an empty form is
//! invalid) or publishes them. Self-assessments: an area's lead writes and reads its own; the
//! board and the scheme's staff read submitted ones; reviewers none.

use super::*;

const ANY_ROLE: [u16; 6] = [REDIRECT, OK, OK, OK, OK, OK];
const CYCLE_READERS: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const AREA: &str = "/self-assessment/{year}/areas/{area}";
const EDIT: &str = "/self-assessment/{year}/areas/{area}/edit";
/// Derby's submitted one: the scheme's staff, the board and Derby's lead; no reviewer.
const SUBMITTED_OWN: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const NO_ONE: [u16; 6] = [
    REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const DERBY_INVALID: [u16; 6] = [
    REDIRECT, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN, FORBIDDEN,
];

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
        // Derby's and Nottingham's are submitted, Leicester's a draft; the triads are not
        // published, so no LA lead shares a triad. Derby's lead reads and writes only Derby's.
        row(Method::GET,  AREA,                              "/self-assessment/{year}/areas/derby",      SUBMITTED_OWN),
        row(Method::GET,  AREA,                              "/self-assessment/{year}/areas/nottingham", [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK]),
        row(Method::GET,  AREA,                              "/self-assessment/{year}/areas/leicester",  NO_ONE),
        row(Method::GET,  EDIT,                              "/self-assessment/{year}/areas/derby/edit", [REDIRECT, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN]),
        row(Method::GET,  EDIT,                              "/self-assessment/{year}/areas/nottingham/edit", NO_ONE),
        // An empty form is an empty draft, saved; submitting it lists every missing rating.
        row(Method::POST, EDIT,                              "/self-assessment/{year}/areas/derby/edit", [REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN]),
        row(Method::POST, EDIT,                              "/self-assessment/{year}/areas/nottingham/edit", NO_ONE),
        row(Method::POST, "/self-assessment/{year}/areas/{area}/submit", "/self-assessment/{year}/areas/derby/submit", DERBY_INVALID),
        row(Method::POST, "/self-assessment/{year}/areas/{area}/submit", "/self-assessment/{year}/areas/leicester/submit", NO_ONE),
        row(Method::POST, "/self-assessment/{year}/areas/{area}/sign-off", "/self-assessment/{year}/areas/derby/sign-off", DERBY_INVALID),
        row(Method::POST, "/self-assessment/{year}/areas/{area}/sign-off", "/self-assessment/{year}/areas/nottingham/sign-off", NO_ONE),
        row(Method::GET,  "/self-assessment/{year}/heat-map", "/self-assessment/{year}/heat-map", [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK]),
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
    let cycle = app
        .store
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
    let summary = domain::self_assessment_form::SelfAssessmentAnswers {
        summary: "Steady progress".to_owned(),
        ..Default::default()
    };
    for (area, submitted) in [("derby", true), ("nottingham", true), ("leicester", false)] {
        let area = domain::AuthoritySlug::parse(area).expect("slug");
        app.store
            .save_self_assessment(cycle, &area, &summary, &coordinator, chrono::Utc::now())
            .await
            .expect("draft");
        if submitted {
            app.store
                .submit_self_assessment(cycle, &area, &coordinator, chrono::Utc::now())
                .await
                .expect("submitted");
        }
    }
    vec![("{year}", year.to_string())]
}
