//! An event's pre-reading files, walked against an open event (`{files_event}`) holding one
//! file (`{event_file}`). Everyone who reads events downloads them (staff, LA leads, the
//! board); reviewers see nothing of events; only the co-ordinator uploads and removes. The
//! upload posts an empty form (invalid for the co-ordinator); the removal's confirmation is
//! the co-ordinator's alone, and the walk's post does not confirm (the co-ordinator is sent to
//! the confirmation), so the file stays for the others.

use super::*;

const READERS: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const COORDINATOR_INVALID: [u16; 6] = [
    REDIRECT, INVALID, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const COORDINATOR: [u16; 6] = [REDIRECT, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN];
const UNCONFIRMED_REMOVAL: [u16; 6] = [
    REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const REMOVE: &str = "/events/{files_event}/documents/{event_file}/delete";

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::POST, "/events/{id}/documents",                   "/events/{files_event}/documents",              COORDINATOR_INVALID),
        row(Method::GET,  "/events/{id}/documents/{document}",        "/events/{files_event}/documents/{event_file}", READERS),
        row(Method::GET,  "/events/{id}/documents/{document}/delete", REMOVE,                                         COORDINATOR),
        row(Method::POST, "/events/{id}/documents/{document}/delete", REMOVE,                                         UNCONFIRMED_REMOVAL),
    ]
}

/// An open event with one pre-reading file: `{files_event}` and `{event_file}`.
pub async fn fixtures(app: &TestApp) -> Vec<(&'static str, String)> {
    let event = support::overview_fixture::open_event(&app.store, "Pre-reading walk").await;
    let coordinator =
        support::challenge_fixture::principal_of(&app.store, "coordinator@example.org").await;
    let file = app
        .store
        .upload_event_document(
            event,
            &store::NewEventDocument {
                file_name: "Agenda.pdf".into(),
                content_type: "application/pdf".into(),
                content: b"%PDF-1.4\n%%EOF\n".to_vec(),
            },
            coordinator.user_id,
            chrono::Utc::now(),
        )
        .await
        .expect("uploaded");
    vec![
        ("{files_event}", event.to_string()),
        ("{event_file}", file.to_string()),
    ]
}
