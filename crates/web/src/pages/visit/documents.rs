//! The pre-reading: the host uploads documents for the team (self-evaluation, data pack),
//! and the team, the co-ordinator, the project manager and the host's lead download them.
//! A file is accepted by its extension and its bytes together, read within bounds by
//! `documents::upload` (a renamed program or zip, or a zip bomb, is refused); every download
//! is audit-logged by the store call that reads it.

use domain::{ChallengeId, DocumentId};

use crate::extract::Id;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use chrono::Utc;
use documents::upload::{self, FileKind, Size, UploadLimits, UploadProblem};
use domain::Action;
use domain::clock::uk_date;
use domain::personal_data::{PersonalData, find_personal_data_among};
use store::{DocumentKind, DocumentSummary, NewDocument, StoreError};

use super::{NAV, Notice, after_delete, caption, closed_banner, may_change};
use crate::components::{ErrorSummary, FileUpload, NotificationBanner, RadioItem, Radios};
use crate::forms::FormErrors;
use crate::pages::Chrome;
use crate::pages::challenges::LoadedChallenge;
use crate::pages::delete::{DeleteForm, DeletePage};
use crate::pages::public::human_size;
use crate::pages::see_other;
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

fn documents_href(loaded: &LoadedChallenge) -> String {
    format!("{}/documents", loaded.href())
}

// ---- What may be uploaded ------------------------------------------------------------------

/// The extensions the upload accepts, for the file picker.
pub(crate) const ACCEPT: &str = ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.csv,.txt";
const WRONG_TYPE: &str = "The selected file must be a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument (.odt, .ods or .odp), CSV or plain text (.txt) file";

/// The content type of an acceptable document, judged by its name and its bytes together
/// within the pre-reading's limits, or what to tell the person who sent it.
pub(crate) fn recognise(
    file_name: &str,
    bytes: &[u8],
    limit: usize,
) -> Result<&'static str, String> {
    let limits = UploadLimits::documents(u64::try_from(limit).unwrap_or(u64::MAX));
    match upload::recognise(file_name, bytes, &FileKind::ALL, &limits) {
        Ok(kind) => {
            // The privacy notice promises pre-reading identifies no child: its words are
            // checked as a form's free text is. A postcode is let through, as for a place:
            // councils' documents carry their offices' addresses.
            let text = upload::readable_text(kind, bytes, &limits).map_err(|p| p.to_string())?;
            match find_personal_data_among(&text, &PersonalData::ALL_BUT_POSTCODE) {
                Some(found) => Err(found.file_message()),
                None => Ok(kind.content_type()),
            }
        }
        Err(UploadProblem::UnknownType) => Err(WRONG_TYPE.to_owned()),
        Err(problem) => Err(problem.to_string()),
    }
}

/// What people call the file's type.
fn type_label(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "Word",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "Excel",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "PowerPoint",
        "application/vnd.oasis.opendocument.text" => "OpenDocument text",
        "application/vnd.oasis.opendocument.spreadsheet" => "OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.presentation" => "OpenDocument presentation",
        "text/csv" => "CSV",
        "text/plain" => "Plain text",
        _ => "File",
    }
}

/// A file name safe to echo in a header and on a page: letters, digits and a little
/// punctuation, no folders, no leading dot, the extension kept.
pub(crate) fn clean_file_name(raw: &str) -> String {
    let keep =
        |c: &char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')');
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let (stem, extension) = base.rsplit_once('.').unwrap_or((base, ""));
    let extension: String = extension
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect();
    let stem: String = stem.chars().filter(keep).take(100).collect();
    let stem = stem.trim().trim_start_matches('.').trim();
    let stem = if stem.is_empty() { "document" } else { stem };
    if extension.is_empty() {
        stem.to_owned()
    } else {
        format!("{stem}.{extension}")
    }
}

/// "20 MB": a limit in the binary units it is checked in.
fn limit_label(bytes: usize) -> String {
    Size(u64::try_from(bytes).unwrap_or(u64::MAX)).to_string()
}

// ---- The page ------------------------------------------------------------------------------

struct DocumentRow {
    href: String,
    name: String,
    kind: &'static str,
    file_type: &'static str,
    size: String,
    uploaded: String,
    delete_href: Option<String>,
}

struct UploadFields {
    kind: Radios,
    file: FileUpload,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/visit/documents.html")]
pub struct DocumentsPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    /// The upload's address, with the form token: a multipart body is not read for it.
    action: String,
    documents: Vec<DocumentRow>,
    form: Option<UploadFields>,
    closed: bool,
}

fn uploaded(document: &DocumentSummary) -> String {
    let day = dates::date(uk_date(document.uploaded_at));
    match &document.uploaded_by {
        Some(name) => format!("{day} by {name}"),
        None => day,
    }
}

async fn documents_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    kind: &str,
    errors: &FormErrors,
    banner: Option<NotificationBanner>,
) -> Result<DocumentsPage, AppError> {
    let editable = may_change(loaded, visitor);
    let href = documents_href(loaded);
    let documents = state
        .store
        .pre_reading(loaded.record.id)
        .await?
        .iter()
        .map(|document| DocumentRow {
            href: format!("{href}/{}", document.id),
            name: document.file_name.clone(),
            kind: document.kind.label(),
            file_type: type_label(&document.content_type),
            size: human_size(document.size_bytes),
            uploaded: uploaded(document),
            delete_href: editable.then(|| format!("{href}/{}/delete", document.id)),
        })
        .collect();
    let form = editable.then(|| UploadFields {
        kind: Radios {
            id_prefix: "kind".into(),
            name: "kind".into(),
            legend: "What is the document?".into(),
            legend_classes: Some("govuk-fieldset__legend--s"),
            error: errors.get("kind"),
            items: DocumentKind::ALL
                .iter()
                .map(|option| RadioItem {
                    value: option.code().into(),
                    text: option.label().into(),
                    hint: None,
                    checked: option.code() == kind,
                })
                .collect(),
            ..Radios::default()
        },
        file: FileUpload {
            id: "file".into(),
            name: "file".into(),
            label: "Upload a file".into(),
            hint: Some(format!(
                "A PDF, Word, Excel, PowerPoint, OpenDocument, CSV or plain text file, {} or smaller. Do not upload anything that identifies a child.",
                limit_label(state.settings.pre_reading_max_bytes)
            )),
            error: errors.get("file"),
            accept: Some(ACCEPT),
        },
    });
    Ok(DocumentsPage {
        chrome: Chrome::new(visitor, "Pre-reading", NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: loaded.href(),
        caption: caption(loaded),
        action: format!("{href}?csrf_token={}", visitor.form_token),
        documents,
        form,
        closed: !loaded.record.state.may_prepare_visit(),
    })
}

fn banner(notice: &str) -> Option<NotificationBanner> {
    let heading = match notice {
        "uploaded" => "The document has been uploaded",
        "deleted" => "The document has been deleted",
        other => return closed_banner(other),
    };
    Some(NotificationBanner::success(heading))
}

pub async fn show_documents(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<DocumentsPage, AppError> {
    visitor.authorise(&Action::ReadPreReading(loaded.access.clone()))?;
    documents_page(
        &state,
        &visitor,
        &loaded,
        "",
        &FormErrors::default(),
        banner(&notice.notice),
    )
    .await
}

fn closed(loaded: &LoadedChallenge) -> Response {
    see_other(&format!("{}?notice=closed", documents_href(loaded)))
}

/// The upload form as sent: the chosen kind, and the file unless it could not be read.
#[derive(Default)]
pub(crate) struct Upload {
    pub(crate) kind: String,
    pub(crate) file: Option<(String, Vec<u8>)>,
    /// Why the body could not be read: too large, or broken.
    pub(crate) failure: Option<StatusCode>,
}

/// Read the multipart body. A body that is not multipart at all (a form posted without its
/// file) reads as an empty upload, so it gets the same messages as one with nothing chosen.
pub(crate) async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> Upload {
    let mut upload = Upload::default();
    let Ok(mut multipart) = multipart else {
        return upload;
    };
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("kind") => upload.kind = field.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = field.file_name().unwrap_or_default().to_owned();
                    match field.bytes().await {
                        Ok(bytes) if !name.is_empty() => upload.file = Some((name, bytes.to_vec())),
                        Ok(_) => {}
                        Err(error) => {
                            upload.failure = Some(error.status());
                            break;
                        }
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(error) => {
                upload.failure = Some(error.status());
                break;
            }
        }
    }
    upload
}

pub async fn upload_document(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let upload = read_upload(multipart).await;
    let limit = state.settings.pre_reading_max_bytes;
    let too_large = UploadProblem::TooLarge {
        limit: Size(u64::try_from(limit).unwrap_or(u64::MAX)),
    }
    .to_string();
    let mut errors = FormErrors::default();
    let kind = DocumentKind::parse(upload.kind.trim());
    if kind.is_none() {
        errors.add("kind", "Select what the document is");
    }
    let file = match (upload.failure, upload.file) {
        (Some(StatusCode::PAYLOAD_TOO_LARGE), _) => {
            errors.add("file", &too_large);
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
            Ok(content_type) => Some((clean_file_name(&name), content_type, bytes)),
            Err(message) => {
                errors.add("file", message);
                None
            }
        },
    };
    if let (Some(kind), Some((file_name, content_type, content))) = (kind, file) {
        let document = NewDocument {
            kind,
            file_name,
            content_type: content_type.into(),
            content,
        };
        match state
            .store
            .upload_pre_reading(loaded.record.id, &document, principal.user_id, Utc::now())
            .await
        {
            Ok(_) => {
                return Ok(see_other(&format!(
                    "{}?notice=uploaded",
                    documents_href(&loaded)
                )));
            }
            Err(StoreError::Conflict(_)) => return Ok(closed(&loaded)),
            Err(other) => return Err(other.into()),
        }
    }
    let page = documents_page(&state, &visitor, &loaded, &upload.kind, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The document itself, always as an attachment (never shown inline, so a document can
/// never run as a page of this site), recorded in the audit log by the same store call.
pub async fn download_document(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, document)): Id<(ChallengeId, DocumentId)>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ReadPreReading(loaded.access.clone()))?;
    let file = state
        .store
        .download_pre_reading(loaded.record.id, document, principal.user_id, Utc::now())
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

async fn load_document(
    state: &AppState,
    loaded: &LoadedChallenge,
    id: DocumentId,
) -> Result<DocumentSummary, AppError> {
    state
        .store
        .pre_reading_document(loaded.record.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show_delete_document(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, document)): Id<(ChallengeId, DocumentId)>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let document = load_document(&state, &loaded, document).await?;
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let href = documents_href(&loaded);
    let page = DeletePage {
        chrome: Chrome::new(&visitor, "Delete a document", NAV),
        caption: caption(&loaded),
        heading: "Are you sure you want to delete this document?".into(),
        details: vec![
            ("Document".into(), document.file_name.clone()),
            ("What it is".into(), document.kind.label().into()),
            ("Uploaded".into(), uploaded(&document)),
        ],
        warning: "The team will no longer be able to read it. You cannot undo this.",
        action: format!("{href}/{}/delete", document.id),
        back: href,
        button: "Delete document",
    };
    Ok(page.into_response())
}

pub async fn delete_document(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, document)): Id<(ChallengeId, DocumentId)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let document = load_document(&state, &loaded, document).await?;
    let href = documents_href(&loaded);
    if !form.confirmed() {
        return Ok(see_other(&format!("{href}/{}/delete", document.id)));
    }
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let result = state
        .store
        .delete_pre_reading(loaded.record.id, document.id, principal.user_id, Utc::now())
        .await;
    after_delete(result, &href)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_recognised_by_name_and_bytes_together() {
        let limit = 20 * 1024 * 1024;
        let pdf = b"%PDF-1.7\n...\n%%EOF\n";
        assert_eq!(recognise("SEF.PDF", pdf, limit), Ok("application/pdf"));
        assert_eq!(
            recognise("SEF.pdf", b"MZ\x90\x00", limit),
            Err("The selected file is not a PDF, whatever its name says: save it again as a PDF and upload that".to_owned()),
            "a program renamed .pdf"
        );
        assert_eq!(
            recognise("setup.exe", b"MZ", limit),
            Err(WRONG_TYPE.to_owned())
        );
        assert_eq!(
            recognise("no-extension", pdf, limit),
            Err(WRONG_TYPE.to_owned())
        );
        // Zip-based files are opened and checked within bounds: documents::upload's tests
        // cover each kind; a fake that only names the folder is refused.
        let fake = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert!(recognise("Report.docx", fake, limit).is_err());
        assert_eq!(
            recognise(
                "Figures.csv",
                "Area,EHCP %\r\nNottingham,48.2\r\n".as_bytes(),
                limit
            ),
            Ok("text/csv")
        );
        assert!(recognise("Figures.csv", b"Area\x00\x01\x02", limit).is_err());
        assert_eq!(
            recognise("Notes.txt", "Café – £5".as_bytes(), limit),
            Ok("text/plain")
        );
        assert_eq!(
            recognise("Notes.txt", &[b'a'; 2049], 2048),
            Err("The selected file must be 2 KB or smaller".to_owned())
        );
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(
            clean_file_name("C:\\Users\\me\\Data pack (2027).xlsx"),
            "Data pack (2027).xlsx"
        );
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("\"evil\r\nheader\".pdf"), "evilheader.pdf");
        assert_eq!(clean_file_name("....pdf"), "document.pdf");
        assert_eq!(clean_file_name("Évaluation.pdf"), "valuation.pdf");
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(limit_label(20 * 1024 * 1024), "20 MB");
        assert_eq!(limit_label(10 * 1024 * 1024 + 512 * 1024), "10.5 MB");
        assert_eq!(limit_label(1500), "1.4 KB");
    }
}
