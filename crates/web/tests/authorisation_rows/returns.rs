//! A next-steps return kept on the web, walked against Derby's agreed actions for a 2028
//! biennial cycle past its day (`{agreed}`), with one action (`{agreed_action}`). Everyone
//! who monitors the region reads it, and so does Derby's lead; only Derby's lead and the
//! co-ordinator keep it (empty forms and an upload with no file are invalid); a reviewer gets
//! nothing.

use super::*;

const READERS: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const KEEPERS: [u16; 6] = [REDIRECT, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN];
const KEEPERS_INVALID: [u16; 6] = [REDIRECT, INVALID, FORBIDDEN, INVALID, FORBIDDEN, FORBIDDEN];

/// Derby's agreed-actions return and its one action.
pub async fn fixtures(app: &TestApp) -> Vec<(&'static str, String)> {
    let (cycle, owed) = support::biennial_fixture::cycle_held(&app.store, 2028).await;
    let coordinator =
        support::challenge_fixture::principal_of(&app.store, "coordinator@example.org").await;
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2028, m, d).expect("date");
    let action = app
        .store
        .save_next_step(
            cycle,
            &domain::AuthoritySlug::parse("derby").expect("slug"),
            None,
            &domain::next_steps::ActionEntry {
                reference: "DER-1".into(),
                answers: "P1".into(),
                theme: domain::ThemeCode::parse("PFA").expect("theme"),
                action: "Joint transition clinic".into(),
                owner: "Head of SEND".into(),
                partners: String::new(),
                start: day(1, 1),
                due: day(6, 30),
                milestones: String::new(),
                baseline: String::new(),
                target: String::new(),
                rag: domain::next_steps::Rag::Green,
                progress: Vec::new(),
                impact: String::new(),
            },
            &coordinator,
            chrono::Utc::now(),
        )
        .await
        .expect("action");
    vec![
        ("{agreed_action}", action.to_string()),
        ("{agreed}", owed.to_string()),
    ]
}

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  "/returns/{id}/next-steps",          "/returns/{agreed}/next-steps",                 READERS),
        row(Method::GET,  "/returns/{id}/next-steps.xlsx",     "/returns/{agreed}/next-steps.xlsx",            READERS),
        row(Method::POST, "/returns/{id}/next-steps/upload",   "/returns/{agreed}/next-steps/upload",          KEEPERS_INVALID),
        row(Method::GET,  "/returns/{id}/next-steps/new",      "/returns/{agreed}/next-steps/new",             KEEPERS),
        row(Method::POST, "/returns/{id}/next-steps/new",      "/returns/{agreed}/next-steps/new",             KEEPERS_INVALID),
        row(Method::GET,  "/returns/{id}/next-steps/{action}", "/returns/{agreed}/next-steps/{agreed_action}", KEEPERS),
        row(Method::POST, "/returns/{id}/next-steps/{action}", "/returns/{agreed}/next-steps/{agreed_action}", KEEPERS_INVALID),
    ]
}
