//! The pre-reading: the host uploads documents for the team (self-evaluation, data pack),
//! and the team, the co-ordinator, the project manager and the host's lead download them.
//! A file is accepted by its extension and the signature of its bytes together, so a
//! renamed program is refused; every download is audit-logged by the store call that reads
//! it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::Action;
use domain::training::uk_date;
use store::{DocumentKind, DocumentSummary, NewDocument, StoreError};

use super::{
    DeleteForm, DeletePage, NAV, Notice, after_delete, caption, closed_banner, may_change, parse_id,
};
use crate::components::{ErrorSummary, FileUpload, NotificationBanner, RadioItem, Radios};
use crate::forms::FormErrors;
use crate::pages::Chrome;
use crate::pages::challenges::{LoadedChallenge, load_challenge};
use crate::pages::public::human_size;
use crate::pages::see_other;
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

fn documents_href(loaded: &LoadedChallenge) -> String {
    format!("{}/documents", loaded.href())
}

// ---- What may be uploaded ------------------------------------------------------------------

/// The extensions the upload accepts, for the file picker.
const ACCEPT: &str = ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.csv,.txt";
const WRONG_TYPE: &str = "The selected file must be a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument (.odt, .ods or .odp), CSV or plain text (.txt) file";

const ZIP: &[u8] = b"PK\x03\x04";

/// An OpenDocument file is a zip whose first entry is an uncompressed `mimetype` file naming
/// its type (OpenDocument 1.2, part 3, section 3.3), which makes a renamed zip easy to tell.
fn is_open_document(bytes: &[u8], mime: &str) -> bool {
    bytes.starts_with(ZIP)
        && bytes.get(30..38) == Some(b"mimetype".as_slice())
        && bytes
            .get(38..)
            .is_some_and(|rest| rest.starts_with(mime.as_bytes()))
}

/// An Office Open XML file is a zip with its parts under a folder named for the application
/// (`word/`, `xl/`, `ppt/`); entry names are stored uncompressed, so the folder shows.
fn is_office_open_xml(bytes: &[u8], folder: &[u8]) -> bool {
    bytes.starts_with(ZIP) && bytes.windows(folder.len()).any(|window| window == folder)
}

/// Text: no NUL bytes and no control characters but tab, line ends and form feed. Binary
/// files are full of both; CSV from Excel in UTF-8 or Windows-1252 has neither.
fn is_text(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|byte| *byte >= 0x20 || matches!(byte, b'\t' | b'\n' | b'\r' | 0x0c))
}

/// The content type of an acceptable document, judged by its name and its bytes together.
fn recognise(file_name: &str, bytes: &[u8]) -> Option<&'static str> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())?;
    let (mime, fits) = match extension.as_str() {
        "pdf" => ("application/pdf", bytes.starts_with(b"%PDF-")),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            is_office_open_xml(bytes, b"word/"),
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            is_office_open_xml(bytes, b"xl/"),
        ),
        "pptx" => (
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            is_office_open_xml(bytes, b"ppt/"),
        ),
        "odt" | "ods" | "odp" => {
            let mime = match extension.as_str() {
                "odt" => "application/vnd.oasis.opendocument.text",
                "ods" => "application/vnd.oasis.opendocument.spreadsheet",
                _ => "application/vnd.oasis.opendocument.presentation",
            };
            (mime, is_open_document(bytes, mime))
        }
        "csv" => ("text/csv", is_text(bytes)),
        "txt" => ("text/plain", is_text(bytes)),
        _ => return None,
    };
    fits.then_some(mime)
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
fn clean_file_name(raw: &str) -> String {
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

/// "20 MB" for a limit in whole mebibytes, as people read file sizes.
fn limit_label(bytes: usize) -> String {
    const MEBIBYTE: usize = 1024 * 1024;
    if bytes >= MEBIBYTE && bytes.is_multiple_of(MEBIBYTE) {
        format!("{} MB", bytes / MEBIBYTE)
    } else {
        human_size(i64::try_from(bytes).unwrap_or(i64::MAX))
    }
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
                "A PDF, Word, Excel, PowerPoint, OpenDocument, CSV or plain text file, smaller than {}. Do not upload anything that identifies a child.",
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
        closed: !loaded.record.state.visit_preparation_open(),
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
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<DocumentsPage, AppError> {
    let loaded = load_challenge(&state, &visitor, &id).await?;
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
struct Upload {
    kind: String,
    file: Option<(String, Vec<u8>)>,
    /// Why the body could not be read: too large, or broken.
    failure: Option<StatusCode>,
}

/// Read the multipart body. A body that is not multipart at all (a form posted without its
/// file) reads as an empty upload, so it gets the same messages as one with nothing chosen.
async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> Upload {
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
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let loaded = load_challenge(&state, &visitor, &id).await?;
    let principal = visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    if !loaded.record.state.visit_preparation_open() {
        return Ok(closed(&loaded));
    }
    let upload = read_upload(multipart).await;
    let limit = state.settings.pre_reading_max_bytes;
    let too_large = format!(
        "The selected file must be smaller than {}",
        limit_label(limit)
    );
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
        (None, Some((_, bytes))) if bytes.is_empty() => {
            errors.add("file", "The selected file is empty");
            None
        }
        (None, Some((_, bytes))) if bytes.len() > limit => {
            errors.add("file", &too_large);
            None
        }
        (None, Some((name, bytes))) => match recognise(&name, &bytes) {
            Some(content_type) => Some((clean_file_name(&name), content_type, bytes)),
            None => {
                errors.add("file", WRONG_TYPE);
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
    Path((id, document)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let loaded = load_challenge(&state, &visitor, &id).await?;
    let principal = visitor.authorise(&Action::ReadPreReading(loaded.access.clone()))?;
    let file = state
        .store
        .download_pre_reading(
            loaded.record.id,
            parse_id(&document)?,
            principal.user_id,
            Utc::now(),
        )
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
    raw: &str,
) -> Result<DocumentSummary, AppError> {
    state
        .store
        .pre_reading_document(loaded.record.id, parse_id(raw)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show_delete_document(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, document)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let loaded = load_challenge(&state, &visitor, &id).await?;
    visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let document = load_document(&state, &loaded, &document).await?;
    if !loaded.record.state.visit_preparation_open() {
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
    Path((id, document)): Path<(String, String)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let loaded = load_challenge(&state, &visitor, &id).await?;
    let principal = visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let document = load_document(&state, &loaded, &document).await?;
    let href = documents_href(&loaded);
    if !form.confirmed() {
        return Ok(see_other(&format!("{href}/{}/delete", document.id)));
    }
    if !loaded.record.state.visit_preparation_open() {
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

    /// The start of a zip whose first entry is an uncompressed `mimetype` file.
    fn open_document(mime: &str) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.resize(30, 0);
        bytes.extend_from_slice(b"mimetype");
        bytes.extend_from_slice(mime.as_bytes());
        bytes
    }

    #[test]
    fn documents_are_recognised_by_name_and_bytes_together() {
        assert_eq!(
            recognise("SEF.PDF", b"%PDF-1.7 ..."),
            Some("application/pdf")
        );
        assert_eq!(
            recognise("SEF.pdf", b"MZ\x90\x00"),
            None,
            "a program renamed .pdf"
        );
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert!(recognise("Report.docx", docx).is_some());
        assert_eq!(
            recognise("Report.xlsx", docx),
            None,
            "a Word file renamed .xlsx"
        );
        assert!(recognise("Data.xlsx", b"PK\x03\x04..xl/workbook.xml").is_some());
        assert!(recognise("Slides.pptx", b"PK\x03\x04..ppt/presentation.xml").is_some());
        let ods = open_document("application/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(
            recognise("Data.ods", &ods),
            Some("application/vnd.oasis.opendocument.spreadsheet")
        );
        assert_eq!(
            recognise("Data.odt", &ods),
            None,
            "a spreadsheet renamed .odt"
        );
        assert_eq!(recognise("Data.ods", b"PK\x03\x04 any zip"), None);
        assert_eq!(
            recognise(
                "Figures.csv",
                "Area,EHCP %\r\nNottingham,48.2\r\n".as_bytes()
            ),
            Some("text/csv")
        );
        assert_eq!(
            recognise("Figures.csv", b"Area\x00\x01\x02"),
            None,
            "binary renamed .csv"
        );
        assert_eq!(
            recognise("Notes.txt", "Café – £5".as_bytes()),
            Some("text/plain")
        );
        assert_eq!(recognise("setup.exe", b"MZ"), None);
        assert_eq!(recognise("no-extension", b"%PDF-"), None);
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
        assert_eq!(limit_label(1500), "1 KB");
    }
}
