//! Next steps and the board's progress pages, walked against a Leicestershire challenge at
//! next steps with one action (`support::findings_fixture::next_steps_challenge`). The board
//! and the people who run the scheme read every area; the lead of Derby, whose area this is
//! not, gets nothing (and is sent from the regional page to their own area's); a reviewer gets
//! nothing. Only the host's lead and the co-ordinator change a plan. Posts are empty forms.

use super::*;

const MONITORS: [u16; 6] = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK];
const KEEPER_ONLY: [u16; 6] = [REDIRECT, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const KEEPER_INVALID: [u16; 6] = [
    REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const REGION: [u16; 6] = [REDIRECT, OK, OK, REDIRECT, FORBIDDEN, OK];

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  "/challenges/{id}/actions",          "/challenges/{next}/actions",          MONITORS),
        row(Method::GET,  "/challenges/{id}/actions.xlsx",     "/challenges/{next}/actions.xlsx",     MONITORS),
        row(Method::POST, "/challenges/{id}/actions/upload",   "/challenges/{next}/actions/upload",   KEEPER_INVALID),
        row(Method::GET,  "/challenges/{id}/actions/new",      "/challenges/{next}/actions/new",      KEEPER_ONLY),
        row(Method::POST, "/challenges/{id}/actions/new",      "/challenges/{next}/actions/new",      KEEPER_INVALID),
        row(Method::GET,  "/challenges/{id}/actions/{action}", "/challenges/{next}/actions/{action}", KEEPER_ONLY),
        row(Method::POST, "/challenges/{id}/actions/{action}", "/challenges/{next}/actions/{action}", KEEPER_INVALID),
        row(Method::GET,  "/progress",                         "/progress",                           REGION),
        row(Method::GET,  "/progress.xlsx",                    "/progress.xlsx",                      [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK]),
        row(Method::GET,  "/progress/board-pack.pptx",         "/progress/board-pack.pptx",           [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK]),
        row(Method::GET,  "/progress/areas/{slug}",            "/progress/areas/leicestershire",      MONITORS),
        row(Method::GET,  "/progress/actions/{action}",        "/progress/actions/{action}",          MONITORS),
        // Returns: the challenge's action plan, owed by Leicestershire. Every LA lead opens the
        // list (their own area's rows only); the co-ordinator alone extends; the host's lead or
        // the co-ordinator submits (an empty extension form is invalid; the plan has an action,
        // so the co-ordinator's submission goes through).
        row(Method::GET,  "/returns",                          "/returns",                            [REDIRECT, OK, OK, OK, FORBIDDEN, OK]),
        row(Method::GET,  "/returns/{id}",                     "/returns/{return}",                   MONITORS),
        row(Method::POST, "/returns/{id}/extension",           "/returns/{return}/extension",         [REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        // Before the submission: the co-ordinator names no one in particular, and it is saved.
        row(Method::POST, "/returns/{id}/owner",               "/returns/{return}/owner",             [REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        row(Method::POST, "/returns/{id}/submit",              "/returns/{return}/submit",            [REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ]
}
