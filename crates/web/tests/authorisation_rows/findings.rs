//! Evidence, findings and reports, walked against a Lincolnshire challenge in reporting with
//! one note and one finding by the co-ordinator and a slide deck shared with the host
//! (`support::findings_fixture`). None of the team is a test account and the host is not
//! Derby: the lead of Derby, a reviewer not on the team and the board get nothing. The
//! co-ordinator leads every challenge's findings; the project manager reads and comments.
//! Posts are empty forms: invalid for those let in.

use super::*;

const TEAM_VIEW: [u16; 6] = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const LEADER_ONLY: [u16; 6] = [REDIRECT, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const LEADER_INVALID: [u16; 6] = [
    REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const DISCUSS_INVALID: [u16; 6] = [REDIRECT, INVALID, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN];
/// The version is already shared: sharing again is refused with the reason; an empty post to
/// make it final is sent to its confirmation page (the project manager is refused).
const SHARE_AGAIN: [u16; 6] = [
    REDIRECT, CONFLICT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const MAKE_FINAL: [u16; 6] = [
    REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
/// Only the host's LA lead checks a report for accuracy: no test account hosts this one.
const HOST_ONLY: [u16; 6] = [
    REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  "/challenges/{id}/evidence",                    "/challenges/{reporting}/evidence",                    TEAM_VIEW),
        row(Method::POST, "/challenges/{id}/evidence",                    "/challenges/{reporting}/evidence",                    LEADER_INVALID),
        row(Method::GET,  "/challenges/{id}/evidence/{note}",             "/challenges/{reporting}/evidence/{note}",             LEADER_ONLY),
        row(Method::POST, "/challenges/{id}/evidence/{note}",             "/challenges/{reporting}/evidence/{note}",             LEADER_INVALID),
        row(Method::GET,  "/challenges/{id}/findings",                    "/challenges/{reporting}/findings",                    TEAM_VIEW),
        row(Method::POST, "/challenges/{id}/findings",                    "/challenges/{reporting}/findings",                    LEADER_INVALID),
        row(Method::GET,  "/challenges/{id}/findings/{finding}",          "/challenges/{reporting}/findings/{finding}",          LEADER_ONLY),
        row(Method::POST, "/challenges/{id}/findings/{finding}",          "/challenges/{reporting}/findings/{finding}",          LEADER_INVALID),
        row(Method::POST, "/challenges/{id}/findings/{finding}/comments", "/challenges/{reporting}/findings/{finding}/comments", DISCUSS_INVALID),
        row(Method::GET,  "/challenges/{id}/reports",                     "/challenges/{reporting}/reports",                     TEAM_VIEW),
        row(Method::POST, "/challenges/{id}/reports",                     "/challenges/{reporting}/reports",                     LEADER_INVALID),
        row(Method::GET,  "/challenges/{id}/reports/{version}",           "/challenges/{reporting}/reports/{version}",           TEAM_VIEW),
        row(Method::POST, "/challenges/{id}/reports/{version}/share",     "/challenges/{reporting}/reports/{version}/share",     SHARE_AGAIN),
        row(Method::GET,  "/challenges/{id}/reports/{version}/final",     "/challenges/{reporting}/reports/{version}/final",     LEADER_ONLY),
        row(Method::POST, "/challenges/{id}/reports/{version}/final",     "/challenges/{reporting}/reports/{version}/final",     MAKE_FINAL),
        row(Method::POST, "/challenges/{id}/reports/{version}/comments",  "/challenges/{reporting}/reports/{version}/comments",  HOST_ONLY),
    ]
}
