//! Thematic events, walked against an event open for nominations (`{event}`), made by the
//! co-ordinator for every area. The board, the scheme's staff and every LA lead read events
//! (every area takes part); reviewers see nothing of them. Only the co-ordinator creates,
//! changes and moves an event and reminds areas; the lead of Derby names Derby's officers and
//! the co-ordinator may name for any area; the project manager and the board see no names.
//! Posts are empty forms: invalid for those let in (attendance is refused before the event is
//! held).

use super::*;

const READERS: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const COORDINATOR_INVALID: [u16; 6] = [
    REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const NAMERS: [u16; 6] = [REDIRECT, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN];
const NAMERS_INVALID: [u16; 6] = [REDIRECT, INVALID, FORBIDDEN, INVALID, FORBIDDEN, FORBIDDEN];
/// A nomination that does not exist: a 404 for everyone who reads events.
const NO_NOMINATION: [u16; 6] = [
    REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND,
];
const WITHDRAW: &str = "/events/{event}/nominations/00000000-0000-0000-0000-000000000000/withdraw";

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  "/events",                                  "/events",                         READERS),
        row(Method::GET,  "/events/new",                              "/events/new",                     COORDINATOR_ONLY),
        row(Method::POST, "/events/new",                              "/events/new",                     COORDINATOR_INVALID),
        row(Method::GET,  "/events/{id}",                             "/events/{event}",                 READERS),
        row(Method::GET,  "/events/{id}/edit",                        "/events/{event}/edit",            COORDINATOR_ONLY),
        row(Method::POST, "/events/{id}/edit",                        "/events/{event}/edit",            COORDINATOR_INVALID),
        row(Method::POST, "/events/{id}/move",                        "/events/{event}/move",            COORDINATOR_INVALID),
        row(Method::GET,  "/events/{id}/nominations",                 "/events/{event}/nominations",     NAMERS),
        row(Method::POST, "/events/{id}/nominations",                 "/events/{event}/nominations",     NAMERS_INVALID),
        row(Method::POST, "/events/{id}/nominations/{nomination}/withdraw", WITHDRAW,                    NO_NOMINATION),
        row(Method::GET,  "/events/{id}/kloes",                       "/events/{event}/kloes",           READERS),
        row(Method::POST, "/events/{id}/kloes",                       "/events/{event}/kloes",           COORDINATOR_INVALID),
        row(Method::GET,  "/events/{id}/next-steps/{area}",           "/events/{event}/next-steps/derby", READERS),
        row(Method::GET,  "/events/{id}/next-steps/{area}/template.xlsx", "/events/{event}/next-steps/derby/template.xlsx", READERS),
        row(Method::POST, "/events/{id}/next-steps/{area}/upload",    "/events/{event}/next-steps/derby/upload", NAMERS_INVALID),
        row(Method::POST, "/events/{id}/attendance",                  "/events/{event}/attendance",      [REDIRECT, CONFLICT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        row(Method::GET,  "/events/{id}/breakouts.csv",               "/events/{event}/breakouts.csv",   COORDINATOR_ONLY),
        row(Method::GET,  "/events/{id}/overview",                    "/events/{event}/overview",        READERS),
        row(Method::POST, "/events/{id}/overview",                    "/events/{event}/overview",        [REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        row(Method::POST, "/events/{id}/remind",                      "/events/{event}/remind",          [REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ]
}

/// An event open for nominations, three weeks or more away, for every area; its id.
pub async fn open_event(store: &store::Store) -> String {
    use domain::events::{EventAnswers, EventState};
    let coordinator =
        support::challenge_fixture::principal_of(store, "coordinator@example.org").await;
    let date = support::challenge_fixture::future_weekday();
    let answers = EventAnswers {
        title: "Preparation for adulthood".into(),
        theme: "PFA".into(),
        topic: "Moving to adult services".into(),
        date: date.format("%d/%m/%Y").to_string(),
        starts: "10:00".into(),
        ends: "12:30".into(),
        format: "online".into(),
        joining_link: "https://meet.example.org/pfa".into(),
        facilitator: "Regional SEND co-ordinator".into(),
        capacity: "2".into(),
        nominations_close: (date - chrono::Duration::days(7))
            .format("%d/%m/%Y")
            .to_string(),
        returns_due: (date + chrono::Duration::days(28))
            .format("%d/%m/%Y")
            .to_string(),
        ..EventAnswers::default()
    };
    let themes: Vec<_> = store
        .themes()
        .await
        .expect("themes")
        .into_iter()
        .map(|t| t.code)
        .collect();
    let details = answers.check(&themes, None).expect("valid event");
    let areas: Vec<_> = store
        .authorities()
        .await
        .expect("areas")
        .into_iter()
        .filter(|a| a.valid_to.is_none())
        .map(|a| a.slug)
        .collect();
    let now = chrono::Utc::now();
    let id = store
        .create_event(&details, &areas, &coordinator, now)
        .await
        .expect("created");
    store
        .move_event(
            id,
            EventState::Draft,
            EventState::Open,
            vec![],
            &coordinator,
            now,
        )
        .await
        .expect("opened");
    id.to_string()
}
