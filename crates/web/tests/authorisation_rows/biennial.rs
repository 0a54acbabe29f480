//! The biennial pages, walked against a 2026 cycle in planning with four areas and no pairing
//! yet (`{cycle}`). The co-ordinator alone plans: empty forms are invalid (422), and publishing
//! or moving a cycle with no pairing is refused as a conflict (409), so the walk changes
//! nothing. Everyone who monitors the region reads, and so does every LA lead (every area
//! takes part); a reviewer gets nothing.

use super::*;

const READERS: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const PLANNER_INVALID: [u16; 6] = [
    REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const PLANNER_CONFLICT: [u16; 6] = [
    REDIRECT, CONFLICT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];

const OWN_LEAD_INVALID: [u16; 6] = [
    REDIRECT, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN, FORBIDDEN,
];
const KLOE_COMMENT: &str = "/biennial/{cycle}/kloes/00000000-0000-0000-0000-000000000000/comment";
const KLOE_AGREE: &str = "/biennial/{cycle}/kloes/00000000-0000-0000-0000-000000000000/agree";

/// The cycle the rows name.
pub async fn fixture(app: &TestApp) -> String {
    support::biennial_fixture::cycle_in_planning(
        &app.store,
        2026,
        &["derby", "leicester", "nottingham", "rutland"],
    )
    .await
    .to_string()
}

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  "/biennial",              "/biennial",                  READERS),
        row(Method::GET,  "/biennial/new",          "/biennial/new",              COORDINATOR_ONLY),
        row(Method::POST, "/biennial/new",          "/biennial/new",              PLANNER_INVALID),
        row(Method::GET,  "/biennial/{id}",         "/biennial/{cycle}",          READERS),
        row(Method::GET,  "/biennial/{id}/edit",    "/biennial/{cycle}/edit",     COORDINATOR_ONLY),
        row(Method::POST, "/biennial/{id}/edit",    "/biennial/{cycle}/edit",     PLANNER_INVALID),
        row(Method::POST, "/biennial/{id}/pairing", "/biennial/{cycle}/pairing",  PLANNER_INVALID),
        row(Method::POST, "/biennial/{id}/swap",    "/biennial/{cycle}/swap",     PLANNER_INVALID),
        row(Method::POST, "/biennial/{id}/publish", "/biennial/{cycle}/publish",  PLANNER_CONFLICT),
        row(Method::POST, "/biennial/{id}/move",    "/biennial/{cycle}/move",     PLANNER_CONFLICT),
        row(Method::POST, "/biennial/{id}/opt-out", "/biennial/{cycle}/opt-out",  PLANNER_INVALID),
        // Derby's page in the cycle: every reader opens it (what it shows is asked of the
        // policy per section); only Derby's own lead names its team and drafts its KLOEs (an
        // empty form is invalid), not even the co-ordinator.
        row(Method::GET,  "/biennial/{id}/areas/{slug}",       "/biennial/{cycle}/areas/derby",       READERS),
        row(Method::POST, "/biennial/{id}/areas/{slug}/team",  "/biennial/{cycle}/areas/derby/team",  OWN_LEAD_INVALID),
        row(Method::POST, "/biennial/{id}/areas/{slug}/kloes", "/biennial/{cycle}/areas/derby/kloes", OWN_LEAD_INVALID),
        row(Method::POST, "/biennial/{id}/areas/{slug}/support", "/biennial/{cycle}/areas/derby/support", OWN_LEAD_INVALID),
        // The co-ordinator comments (an empty comment is invalid) and agrees (refused while
        // the cycle is planning); nobody else.
        row(Method::POST, "/biennial/{id}/kloes/{kloe}/comment", KLOE_COMMENT,                         PLANNER_INVALID),
        row(Method::POST, "/biennial/{id}/kloes/{kloe}/agree",   KLOE_AGREE,                           PLANNER_CONFLICT),
    ]
}

/// Changing a KLOE draft (the challenging area's lead only: `biennial/kloe_edit.rs` proves it
/// allowed and refused on a real draft). Here the KLOE does not exist: whoever reads the cycle
/// finds no such KLOE (404) before the draft's own check; a reviewer is refused the cycle.
#[rustfmt::skip]
pub fn change_rows() -> Vec<Row> {
    const KLOE_EDIT: &str = "/biennial/{cycle}/kloes/00000000-0000-0000-0000-000000000000/edit";
    const MISSING: [u16; 6] = [REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND];
    vec![
        row(Method::GET,  "/biennial/{id}/kloes/{kloe}/edit", KLOE_EDIT, MISSING),
        row(Method::POST, "/biennial/{id}/kloes/{kloe}/edit", KLOE_EDIT, MISSING),
    ]
}
