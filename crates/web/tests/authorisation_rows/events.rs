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
    support::overview_fixture::open_event(store, "Preparation for adulthood")
        .await
        .to_string()
}
