//! A thematic event's pre-reading files, on its KLOE page. The co-ordinator uploads them
//! (checked exactly as a challenge's pre-reading is: `visit::documents::recognise`, which reads
//! the file within bounds through `documents::upload` and refuses words that identify a child)
//! and removes them (after a confirmation page) until the KLOEs are first shared; the files
//! then go to every nominee as attachments of the KLOE email. Staff, the board and LA leads
//! download them behind sign-in, each download audit-logged by the store call that reads it.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use documents::upload::{Size, UploadProblem};
use domain::clock::uk_date;
use domain::{Action, DocumentId, ProgrammeActivityId};
use store::{
    EVENT_DOCUMENTS_MAX_TOTAL_BYTES, EventDocument, NewEventDocument, StoreError, ThematicEvent,
};

use crate::components::FileUpload;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::Chrome;
use crate::pages::delete::{DeleteForm, DeletePage};
use crate::pages::events::{NAV, kloes_page, load as load_event};
use crate::pages::public::human_size;
use crate::pages::see_other;
use crate::pages::visit::documents::{ACCEPT, clean_file_name, read_upload, recognise};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// The upload, download and removal routes, for `route_table`.
pub fn routes(settings: &crate::Settings) -> Vec<Route> {
    // As for a challenge's pre-reading: the body may be as large as the largest file
    // accepted plus the form around it; the handler gives the precise message.
    let limit = DefaultBodyLimit::max(settings.pre_reading_max_bytes + 64 * 1024);
    vec![
        route(
            Method::POST,
            "/events/{id}/documents",
            post(upload_document).layer(limit),
        ),
        route(
            Method::GET,
            "/events/{id}/documents/{document}",
            get(download_document),
        ),
        route(
            Method::GET,
            "/events/{id}/documents/{document}/delete",
            get(show_delete_document),
        ),
        route(
            Method::POST,
            "/events/{id}/documents/{document}/delete",
            post(delete_document),
        ),
    ]
}

/// One file as the KLOE page lists it.
pub struct DocumentRow {
    pub href: String,
    pub name: String,
    pub size: String,
    pub uploaded: String,
    /// The removal's confirmation page, while the co-ordinator may still remove it.
    pub remove_href: Option<String>,
}

/// The KLOE page's pre-reading: the files, and the co-ordinator's upload form until shared.
pub struct DocumentsSection {
    pub rows: Vec<DocumentRow>,
    /// The upload's address with the form token: a multipart body is not read for it.
    pub action: String,
    pub upload: Option<FileUpload>,
}

/// The most the next file may be: the pre-reading's limit for one file, and what is left of
/// the total the KLOE email carries.
fn room_left(state: &AppState, held: i64) -> usize {
    let held = usize::try_from(held).unwrap_or(usize::MAX);
    state
        .settings
        .pre_reading_max_bytes
        .min(EVENT_DOCUMENTS_MAX_TOTAL_BYTES.saturating_sub(held))
}

/// The section for `event`'s KLOE page, with `errors` shown at the file field.
pub async fn section(
    state: &AppState,
    visitor: &Visitor,
    event: &ThematicEvent,
    shared: bool,
    errors: &FormErrors,
) -> Result<DocumentsSection, AppError> {
    let editable = visitor.may(&Action::ManageEvents) && !shared;
    let base = format!("/events/{}/documents", event.id);
    let documents = state.store.event_documents(event.id).await?;
    let held: i64 = documents.iter().map(|d| d.size_bytes).sum();
    let rows = documents
        .iter()
        .map(|document| DocumentRow {
            href: format!("{base}/{}", document.id),
            name: document.file_name.clone(),
            size: human_size(document.size_bytes),
            uploaded: uploaded(document),
            remove_href: editable.then(|| format!("{base}/{}/delete", document.id)),
        })
        .collect();
    let room = Size(u64::try_from(room_left(state, held)).unwrap_or(u64::MAX)).to_string();
    Ok(DocumentsSection {
        rows,
        action: format!("{base}?csrf_token={}", visitor.form_token),
        upload: editable.then(|| FileUpload {
            id: "file".into(),
            name: "file".into(),
            label: "Upload a pre-reading file".into(),
            hint: Some(format!(
                "A PDF, Word, Excel, PowerPoint, OpenDocument, CSV or plain text file. The files go to every nominee with the KLOEs as email attachments, so together they may come to {}: this one may be {room} or smaller. Do not upload anything that identifies a child.",
                Size(EVENT_DOCUMENTS_MAX_TOTAL_BYTES as u64)
            )),
            error: errors.get("file"),
            accept: Some(ACCEPT),
        }),
    })
}

/// "6 March 2027 by Sam Okafor": when a file came, and from whom while their account lasts.
fn uploaded(document: &EventDocument) -> String {
    let day = dates::date(uk_date(document.uploaded_at));
    match &document.uploaded_by {
        Some(name) => format!("{day} by {name}"),
        None => day,
    }
}

fn kloes_href(id: ProgrammeActivityId) -> String {
    format!("/events/{id}/kloes")
}

pub async fn upload_document(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?.clone();
    let event = load_event(&state, &visitor, id).await?;
    let upload = read_upload(multipart).await;
    let held: i64 = state
        .store
        .event_documents(event.id)
        .await?
        .iter()
        .map(|d| d.size_bytes)
        .sum();
    let limit = room_left(&state, held);
    let mut errors = FormErrors::default();
    let file = match (upload.failure, upload.file) {
        (Some(StatusCode::PAYLOAD_TOO_LARGE), _) => {
            errors.add(
                "file",
                UploadProblem::TooLarge {
                    limit: Size(u64::try_from(limit).unwrap_or(u64::MAX)),
                },
            );
            None
        }
        (Some(_), _) => {
            errors.add(
                "file",
                "The selected file could not be uploaded – try again",
            );
            None
        }
        (None, None) => {
            errors.add("file", "Select a file");
            None
        }
        (None, Some((name, bytes))) => match recognise(&name, &bytes, limit) {
            Ok(content_type) => Some(NewEventDocument {
                file_name: clean_file_name(&name),
                content_type: content_type.to_owned(),
                content: bytes,
            }),
            Err(message) => {
                errors.add("file", message);
                None
            }
        },
    };
    if let Some(file) = file {
        match state
            .store
            .upload_event_document(event.id, &file, principal.user_id, Utc::now())
            .await
        {
            Ok(_) => return Ok(see_other(&kloes_href(event.id))),
            Err(StoreError::Conflict(why)) => {
                errors.add("file", format!("The file could not be added: {why}"))
            }
            Err(other) => return Err(other.into()),
        }
    }
    let page = kloes_page(&state, &visitor, &event, None, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The file itself, always as an attachment (never shown inline, so it can never run as a
/// page of this site), recorded in the audit log by the same store call.
pub async fn download_document(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, document)): Id<(ProgrammeActivityId, DocumentId)>,
) -> Result<Response, AppError> {
    let event = load_event(&state, &visitor, id).await?;
    let principal = visitor.authorise(&Action::ViewEvents)?;
    let file = state
        .store
        .download_event_document(event.id, document, principal.user_id, Utc::now())
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = HeaderValue::from_str(&file.summary.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        clean_file_name(&file.summary.file_name)
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (CONTENT_DISPOSITION, disposition),
        ],
        file.content,
    )
        .into_response())
}

/// One of the event's files, or not found.
async fn load_document(
    state: &AppState,
    event: &ThematicEvent,
    id: DocumentId,
) -> Result<EventDocument, AppError> {
    state
        .store
        .event_document(event.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// "Are you sure you want to remove this file?", while the KLOEs are unshared; once they are,
/// the KLOE page (which then offers no removal).
pub async fn show_delete_document(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, document)): Id<(ProgrammeActivityId, DocumentId)>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ManageEvents)?;
    let event = load_event(&state, &visitor, id).await?;
    let document = load_document(&state, &event, document).await?;
    let shared = state
        .store
        .event_kloes(event.id)
        .await?
        .iter()
        .any(|version| version.shared_at.is_some());
    if shared {
        return Ok(see_other(&kloes_href(event.id)));
    }
    let page = DeletePage {
        chrome: Chrome::new(&visitor, "Remove a pre-reading file", NAV),
        caption: event.details.title.to_string(),
        heading: "Are you sure you want to remove this file?".into(),
        details: vec![
            ("File".into(), document.file_name.clone()),
            ("Size".into(), human_size(document.size_bytes)),
            ("Uploaded".into(), uploaded(&document)),
        ],
        warning: "The nominees will not get it with the KLOEs. You cannot undo this.",
        action: format!("/events/{}/documents/{}/delete", event.id, document.id),
        back: kloes_href(event.id),
        button: "Remove file",
    };
    Ok(page.into_response())
}

/// Remove a file, once confirmed (an unconfirmed post goes to the confirmation); refused once
/// the KLOEs have been shared.
pub async fn delete_document(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, document)): Id<(ProgrammeActivityId, DocumentId)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?.clone();
    let event = load_event(&state, &visitor, id).await?;
    let document = load_document(&state, &event, document).await?.id;
    if !form.confirmed() {
        return Ok(see_other(&format!(
            "/events/{}/documents/{document}/delete",
            event.id
        )));
    }
    match state
        .store
        .delete_event_document(event.id, document, principal.user_id, Utc::now())
        .await
    {
        Ok(()) => Ok(see_other(&kloes_href(event.id))),
        Err(StoreError::Conflict(why)) => {
            let mut errors = FormErrors::default();
            errors.add("file", format!("The file could not be removed: {why}"));
            let page = kloes_page(&state, &visitor, &event, None, &errors).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}
