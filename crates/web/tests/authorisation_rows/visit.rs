//! The visit preparation's routes: timetable, case sample and pre-reading. Walked against the
//! Nottingham challenge (team confirmed, so preparation is open) with one activity, one case
//! and one document (`support::visit_fixture`), none of whose team is a test account: the
//! people who run the scheme get in, the lead of Derby, a reviewer not on the team and the
//! board get nothing. Posts are empty forms: invalid for those let in, and a delete without
//! its confirmation is sent back to the confirmation page.

use super::*;

const VIEW: [u16; 6] = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const EMPTY_FORM: [u16; 6] = [REDIRECT, INVALID, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const UNCONFIRMED_DELETE: [u16; 6] = [
    REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  "/challenges/{id}/timetable",                   "/challenges/{challenge}/timetable",                   VIEW),
        row(Method::GET,  "/challenges/{id}/timetable.ics",               "/challenges/{challenge}/timetable.ics",               VIEW),
        row(Method::GET,  "/challenges/{id}/timetable/print",             "/challenges/{challenge}/timetable/print",             VIEW),
        row(Method::GET,  "/challenges/{id}/timetable/new",               "/challenges/{challenge}/timetable/new",               VIEW),
        row(Method::POST, "/challenges/{id}/timetable/new",               "/challenges/{challenge}/timetable/new",               EMPTY_FORM),
        row(Method::GET,  "/challenges/{id}/timetable/{activity}",        "/challenges/{challenge}/timetable/{activity}",        VIEW),
        row(Method::POST, "/challenges/{id}/timetable/{activity}",        "/challenges/{challenge}/timetable/{activity}",        EMPTY_FORM),
        row(Method::GET,  "/challenges/{id}/timetable/{activity}/delete", "/challenges/{challenge}/timetable/{activity}/delete", VIEW),
        row(Method::POST, "/challenges/{id}/timetable/{activity}/delete", "/challenges/{challenge}/timetable/{activity}/delete", UNCONFIRMED_DELETE),
        row(Method::GET,  "/challenges/{id}/cases",                       "/challenges/{challenge}/cases",                       VIEW),
        row(Method::POST, "/challenges/{id}/cases",                       "/challenges/{challenge}/cases",                       EMPTY_FORM),
        row(Method::GET,  "/challenges/{id}/cases/{case}/delete",         "/challenges/{challenge}/cases/{case}/delete",         VIEW),
        row(Method::POST, "/challenges/{id}/cases/{case}/delete",         "/challenges/{challenge}/cases/{case}/delete",         UNCONFIRMED_DELETE),
        row(Method::GET,  "/challenges/{id}/documents",                   "/challenges/{challenge}/documents",                   VIEW),
        // Multipart, or (as the walk posts it) url-encoded: either way an empty form.
        row(Method::POST, "/challenges/{id}/documents",                   "/challenges/{challenge}/documents",                   EMPTY_FORM),
        row(Method::GET,  "/challenges/{id}/documents/{document}",        "/challenges/{challenge}/documents/{document}",        VIEW),
        row(Method::GET,  "/challenges/{id}/documents/{document}/delete", "/challenges/{challenge}/documents/{document}/delete", VIEW),
        row(Method::POST, "/challenges/{id}/documents/{document}/delete", "/challenges/{challenge}/documents/{document}/delete", UNCONFIRMED_DELETE),
    ]
}
