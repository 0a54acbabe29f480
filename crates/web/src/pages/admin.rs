//! The co-ordinator's administration: staff and invitations, the audit log, the outbox and
//! the guidance document.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Query, State};
use axum::http::Method;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::{NaiveDate, TimeZone, Utc};
use documents::csv::CsvTable;
use documents::upload::{self, FileKind, Size, UploadLimits, UploadProblem};
use domain::{Action, AuthoritySlug, EmailAddress, OneLine, PersonName, Role, RoleGrant, limits};
use serde::Deserialize;
use services::account_emails::{self, StaffInvitation};
use store::{
    AuditEntry, AuditFilter, GuidanceSummary, NewGuidance, NewUser, OutboxEmail, StaffMember,
    StoreError,
};

use crate::components::{
    CheckboxItem, Checkboxes, ErrorSummary, FileUpload, NotificationBanner, Select, SelectItem,
    TextInput,
};
use crate::forms::FormErrors;
use crate::pages::public::{document_kind, human_size};
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// Every route of the co-ordinator's administration, for `route_table`.
pub fn routes(settings: &crate::Settings) -> Vec<Route> {
    // Multipart bodies may be as large as the largest accepted upload, plus the form around it.
    let upload_limit =
        axum::extract::DefaultBodyLimit::max(settings.guidance_max_bytes + 64 * 1024);
    vec![
        route(Method::GET, "/admin/staff", get(list_staff)),
        route(Method::GET, "/admin/staff/invite", get(show_invite)),
        route(Method::POST, "/admin/staff/invite", post(invite_staff)),
        route(Method::GET, "/admin/audit", get(show_audit_log)),
        route(Method::GET, "/admin/audit.csv", get(download_audit_log)),
        route(Method::GET, "/admin/outbox", get(show_outbox)),
        route(Method::GET, "/admin/guidance", get(show_manage_guidance)),
        route(
            Method::POST,
            "/admin/guidance",
            post(publish_guidance).layer(upload_limit),
        ),
    ]
}

// ---- Staff ---------------------------------------------------------------------------

struct StaffRow {
    name: String,
    email: String,
    roles: Vec<String>,
    status: &'static str,
    added: String,
}

impl From<&StaffMember> for StaffRow {
    fn from(member: &StaffMember) -> Self {
        Self {
            name: member.name.clone(),
            email: member.email.to_string(),
            roles: member
                .grants
                .iter()
                .map(|grant| match grant.authority() {
                    Some(authority) => format!("{} ({authority})", grant.role().label()),
                    None => grant.role().label().to_owned(),
                })
                .collect(),
            status: if member.has_password {
                "Active"
            } else {
                "Invited"
            },
            added: dates::date(member.created_at.date_naive()),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/staff.html")]
pub struct StaffPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    staff: Vec<StaffRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct StaffNotice {
    invited: Option<String>,
}

pub async fn list_staff(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(notice): Query<StaffNotice>,
) -> Result<StaffPage, AppError> {
    visitor.authorise(&Action::ViewStaff)?;
    let staff = state.store.staff().await?;
    Ok(StaffPage {
        chrome: Chrome::new(&visitor, "Staff accounts", "/admin/staff"),
        banner: notice
            .invited
            .map(|_| NotificationBanner::success("Invitation sent")),
        staff: staff.iter().map(StaffRow::from).collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/invite.html")]
pub struct InvitePage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    name: TextInput,
    email: TextInput,
    roles: Checkboxes,
    authority: Select,
}

#[derive(Debug, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    authority: String,
}

async fn invite_page(
    state: &AppState,
    visitor: &Visitor,
    form: &InviteForm,
    errors: &FormErrors,
) -> Result<InvitePage, AppError> {
    let today = state.today();
    let authorities = state.store.authorities().await?;
    let mut authority_items = vec![SelectItem {
        value: String::new(),
        text: "Choose an authority".into(),
        selected: form.authority.is_empty(),
    }];
    authority_items.extend(authorities.iter().filter(|a| a.is_current(today)).map(|a| {
        SelectItem {
            value: a.slug.to_string(),
            text: a.name.clone(),
            selected: a.slug.as_str() == form.authority,
        }
    }));
    Ok(InvitePage {
        chrome: Chrome::new(visitor, "Invite a member of staff", "/admin/staff")
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        name: TextInput::new("name", "Full name")
            .autocomplete("off")
            .spellcheck(false)
            .limit(PersonName::MAX_CHARS)
            .value(&form.name)
            .errors(errors),
        email: TextInput::new("email", "Email address")
            .input_type("email")
            .autocomplete("off")
            .spellcheck(false)
            .hint("Use their work email address. We will send the invitation there.")
            .value(&form.email)
            .errors(errors),
        roles: Checkboxes {
            id_prefix: "roles".into(),
            name: "roles".into(),
            legend: "What will they do?".into(),
            legend_classes: Some("govuk-fieldset__legend--m"),
            hint: Some("Select all that apply.".into()),
            error: errors.get("roles"),
            items: Role::ALL
                .into_iter()
                .map(|role| CheckboxItem {
                    value: role.code().into(),
                    text: role.label().into(),
                    hint: Some(role_hint(role).into()),
                    checked: form.roles.iter().any(|chosen| chosen == role.code()),
                })
                .collect(),
        },
        authority: Select {
            id: "authority".into(),
            name: "authority".into(),
            label: "Local authority (for a local area lead)".into(),
            hint: Some("A local area lead sees their own authority only.".into()),
            error: errors.get("authority"),
            items: authority_items,
        },
    })
}

fn role_hint(role: Role) -> &'static str {
    match role {
        Role::Coordinator => "Runs the whole region, including staff accounts.",
        Role::ProjectManager => {
            "Receives requests, convenes reviewer teams, runs the pool and training."
        }
        Role::LaLead => "Requests challenges and updates next steps for one authority.",
        Role::Reviewer => "Sits on challenge teams and records evidence.",
        Role::Board => "Reads every area's progress; changes nothing.",
    }
}

pub async fn show_invite(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<InvitePage, AppError> {
    visitor.authorise(&Action::InviteStaff)?;
    invite_page(
        &state,
        &visitor,
        &InviteForm::default(),
        &FormErrors::default(),
    )
    .await
}

fn parse_invitation(form: &InviteForm, errors: &mut FormErrors) -> Option<NewUser> {
    let name = errors.check("name", PersonName::parse(&form.name));
    let email = errors.check("email", EmailAddress::parse(&form.email));
    let roles: Vec<Role> = form
        .roles
        .iter()
        .filter_map(|code| Role::parse(code))
        .collect();
    if roles.is_empty() {
        errors.add("roles", "Select what they will do");
    }
    let authority = match form.authority.as_str() {
        "" => None,
        slug => errors.check(
            "authority",
            AuthoritySlug::parse(slug).map_err(|_| "Select a local authority from the list"),
        ),
    };
    let grants: Vec<RoleGrant> = roles
        .into_iter()
        .filter_map(|role| {
            let scope = if role.needs_authority() {
                authority.clone()
            } else {
                None
            };
            errors.check("authority", RoleGrant::new(role, scope))
        })
        .collect();
    match (name, email) {
        (Some(name), Some(email)) if errors.is_empty() => Some(NewUser {
            name,
            email,
            grants,
        }),
        _ => None,
    }
}

pub async fn invite_staff(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let inviter = visitor.authorise(&Action::InviteStaff)?.clone();
    let mut errors = FormErrors::default();
    let Some(new_user) = parse_invitation(&form, &mut errors) else {
        let page = invite_page(&state, &visitor, &form, &errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let settings = state.settings.clone();
    let to = new_user.email.clone();
    let invitee = new_user.name.to_string();
    let result = state
        .store
        .invite_user(&new_user, inviter.user_id, Utc::now(), |token| {
            let invitation = StaffInvitation {
                invitee: &invitee,
                inviter: &inviter.name,
            };
            account_emails::staff_invitation(&settings, to, invitation, token)
        })
        .await;
    match result {
        Ok(_) => Ok(see_other("/admin/staff?invited=1")),
        Err(StoreError::Conflict(message)) => {
            errors.add("email", message);
            let page = invite_page(&state, &visitor, &form, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

// ---- Audit log -----------------------------------------------------------------------

struct AuditRow {
    when: String,
    who: String,
    action: String,
    object: String,
    summary: String,
}

impl From<AuditEntry> for AuditRow {
    fn from(entry: AuditEntry) -> Self {
        Self {
            when: dates::date_time(entry.at),
            who: match (entry.actor_name, entry.actor) {
                (Some(name), _) => name,
                (None, Some(_)) => "A removed account".into(),
                (None, None) => "The system".into(),
            },
            action: entry.action,
            object: format!("{} {}", entry.object_kind, entry.object_id),
            summary: entry.summary,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/audit.html")]
pub struct AuditPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    action: Select,
    from: TextInput,
    until: TextInput,
    rows: Vec<AuditRow>,
    limit: u64,
    download: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

/// A day typed as 24/11/2026 or 2026-11-24.
fn parse_day(input: &str) -> Result<Option<NaiveDate>, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(input, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(input, "%Y-%m-%d"))
        .map(Some)
        .map_err(|_| "Enter a real date, like 24/11/2026")
}

const AUDIT_PAGE_SIZE: u64 = 200;

/// The filter the query asks for, or the errors to show next to its fields.
fn audit_filter(query: &AuditQuery) -> Result<AuditFilter, FormErrors> {
    let mut errors = FormErrors::default();
    let from = errors.check("from", parse_day(&query.from)).flatten();
    let until = errors.check("until", parse_day(&query.until)).flatten();
    if let (Some(from), Some(until)) = (from, until)
        && until < from
    {
        errors.add(
            "until",
            "The end date must be the same as or after the start date",
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let midnight = |day: NaiveDate| {
        day.and_hms_opt(0, 0, 0)
            .map(|naive| Utc.from_utc_datetime(&naive))
    };
    Ok(AuditFilter {
        action: Some(query.action.clone()).filter(|action| !action.is_empty()),
        from: from.and_then(midnight),
        until: until.and_then(|day| day.succ_opt()).and_then(midnight),
        ..AuditFilter::default()
    })
}

pub async fn show_audit_log(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewAuditLog)?;
    audit_page(&state, &visitor, &query).await
}

async fn audit_page(
    state: &AppState,
    visitor: &Visitor,
    query: &AuditQuery,
) -> Result<Response, AppError> {
    let (rows, errors) = match audit_filter(query) {
        Ok(filter) => (
            state.store.audit_entries(&filter, AUDIT_PAGE_SIZE).await?,
            FormErrors::default(),
        ),
        Err(errors) => (Vec::new(), errors),
    };
    let mut action_items = vec![SelectItem {
        value: String::new(),
        text: "Any action".into(),
        selected: query.action.is_empty(),
    }];
    action_items.extend(
        state
            .store
            .audit_actions()
            .await?
            .into_iter()
            .map(|action| SelectItem {
                selected: action == query.action,
                text: action.clone(),
                value: action,
            }),
    );
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let download = format!(
        "/admin/audit.csv?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("action", &query.action)
            .append_pair("from", &query.from)
            .append_pair("until", &query.until)
            .finish()
    );
    let page = AuditPage {
        chrome: Chrome::new(visitor, "Audit log", "/admin/audit").with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(&errors)),
        action: Select {
            id: "action".into(),
            name: "action".into(),
            label: "Action".into(),
            items: action_items,
            ..Select::default()
        },
        from: TextInput::new("from", "From")
            .hint("For example, 24/11/2026")
            .classes("govuk-input--width-10")
            .value(&query.from)
            .errors(&errors),
        until: TextInput::new("until", "To")
            .hint("For example, 30/11/2026")
            .classes("govuk-input--width-10")
            .value(&query.until)
            .errors(&errors),
        rows: rows.into_iter().map(AuditRow::from).collect(),
        limit: AUDIT_PAGE_SIZE,
        download,
    };
    Ok((status, page).into_response())
}

/// The largest export: a year of a busy region's changes.
const AUDIT_EXPORT_LIMIT: u64 = 100_000;

/// The filtered log as a spreadsheet-safe CSV file; a bad filter shows the page with its errors.
pub async fn download_audit_log(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewAuditLog)?;
    let Ok(filter) = audit_filter(&query) else {
        return audit_page(&state, &visitor, &query).await;
    };
    let entries = state
        .store
        .audit_entries(&filter, AUDIT_EXPORT_LIMIT)
        .await?;
    let mut table = CsvTable::new(&[
        "when (UTC)",
        "who",
        "action",
        "object kind",
        "object id",
        "details",
    ]);
    for entry in entries {
        let when = entry.at.format("%Y-%m-%d %H:%M:%S").to_string();
        let who = entry.actor_name.clone().unwrap_or_default();
        table.push_row([
            when.as_str(),
            &who,
            &entry.action,
            &entry.object_kind,
            &entry.object_id,
            &entry.summary,
        ]);
    }
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8"),
        (
            CONTENT_DISPOSITION,
            "attachment; filename=\"peer-challenge-audit-log.csv\"",
        ),
    ];
    Ok((headers, table.into_bytes()).into_response())
}

// ---- Outbox --------------------------------------------------------------------------

struct OutboxRow {
    to: String,
    subject: String,
    status: &'static str,
    tag_class: &'static str,
    queued: String,
    detail: String,
}

impl From<OutboxEmail> for OutboxRow {
    fn from(email: OutboxEmail) -> Self {
        let tag_class = match email.status {
            store::OutboxStatus::Sent => "govuk-tag--green",
            store::OutboxStatus::Queued => "govuk-tag--blue",
            store::OutboxStatus::Failed => "govuk-tag--red",
        };
        let detail = match (&email.sent_at, &email.last_error) {
            (Some(sent), _) => format!("Sent {}", dates::date_time(*sent)),
            (None, Some(error)) => format!("{} attempts. Last error: {error}", email.attempts),
            (None, None) => "Not tried yet".into(),
        };
        Self {
            to: email.to.to_string(),
            subject: email.subject,
            status: email.status.label(),
            tag_class,
            queued: dates::date_time(email.created_at),
            detail,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/outbox.html")]
pub struct OutboxPage {
    chrome: Chrome,
    rows: Vec<OutboxRow>,
}

pub async fn show_outbox(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<OutboxPage, AppError> {
    visitor.authorise(&Action::ViewOutbox)?;
    let emails = state.store.outbox_emails(200).await?;
    Ok(OutboxPage {
        chrome: Chrome::new(&visitor, "Emails", "/admin/outbox"),
        rows: emails.into_iter().map(OutboxRow::from).collect(),
    })
}

// ---- Guidance ------------------------------------------------------------------------

struct VersionRow {
    title: String,
    file_name: String,
    kind: &'static str,
    size: String,
    published: String,
}

impl From<GuidanceSummary> for VersionRow {
    fn from(version: GuidanceSummary) -> Self {
        Self {
            kind: document_kind(&version.content_type),
            size: human_size(version.size_bytes),
            published: dates::date_time(version.uploaded_at),
            title: version.title,
            file_name: version.file_name,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/manage_guidance.html")]
pub struct ManageGuidancePage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    title: TextInput,
    file: FileUpload,
    versions: Vec<VersionRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct GuidanceNotice {
    published: Option<String>,
}

async fn guidance_page(
    state: &AppState,
    visitor: &Visitor,
    title: &str,
    errors: &FormErrors,
    banner: Option<NotificationBanner>,
) -> Result<ManageGuidancePage, AppError> {
    let max_size = Size(u64::try_from(state.settings.guidance_max_bytes).unwrap_or(u64::MAX));
    Ok(ManageGuidancePage {
        chrome: Chrome::new(visitor, "Guidance document", "/admin/guidance")
            .with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        title: TextInput::new("title", "Title")
            .hint("For example, East Midlands SEND and Inclusion Peer Challenge Guidance 2026.")
            .limit(limits::TITLE)
            .value(title)
            .errors(errors),
        file: FileUpload {
            id: "file".into(),
            name: "file".into(),
            label: "Upload the document".into(),
            hint: Some(format!(
                "A PDF, Word (.docx) or OpenDocument (.odt) file, {max_size} or smaller."
            )),
            error: errors.get("file"),
            accept: Some(".pdf,.docx,.odt"),
        },
        versions: state
            .store
            .guidance_versions()
            .await?
            .into_iter()
            .map(VersionRow::from)
            .collect(),
    })
}

pub async fn show_manage_guidance(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(notice): Query<GuidanceNotice>,
) -> Result<ManageGuidancePage, AppError> {
    visitor.authorise(&Action::ManageGuidance)?;
    let banner = notice
        .published
        .map(|_| NotificationBanner::success("The new guidance is published"));
    guidance_page(&state, &visitor, "", &FormErrors::default(), banner).await
}

/// The document types guidance may be.
const GUIDANCE_KINDS: [FileKind; 3] = [FileKind::Pdf, FileKind::Word, FileKind::OpenDocumentText];
const WRONG_TYPE: &str =
    "The selected file must be a PDF, Word (.docx) or OpenDocument (.odt) file";

/// The content type of an acceptable guidance document, judged by its name and its bytes
/// together within the limits (a renamed program or zip, or a zip bomb, is refused), or what
/// to tell the coordinator.
fn document_type(file_name: &str, bytes: &[u8], limit: usize) -> Result<&'static str, String> {
    let limits = UploadLimits::documents(u64::try_from(limit).unwrap_or(u64::MAX));
    match upload::recognise(file_name, bytes, &GUIDANCE_KINDS, &limits) {
        Ok(kind) => Ok(kind.content_type()),
        Err(UploadProblem::UnknownType) => Err(WRONG_TYPE.to_owned()),
        Err(problem) => Err(problem.to_string()),
    }
}

/// Keep a file name safe to echo in a header and on a page: letters, digits, dots, hyphens,
/// underscores and spaces, without any folder part.
fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = base
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "guidance".into()
    } else {
        cleaned
    }
}

/// Why a body could not be read: almost always a file over the limit, cut off by the body
/// limit before the handler sees it.
fn too_large_or_broken(state: &AppState) -> String {
    format!(
        "The selected file could not be read: it must be {} or smaller",
        Size(u64::try_from(state.settings.guidance_max_bytes).unwrap_or(u64::MAX))
    )
}

pub async fn publish_guidance(
    State(state): State<AppState>,
    visitor: Visitor,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let by = visitor.authorise(&Action::ManageGuidance)?.user_id;
    let mut errors = FormErrors::default();
    let mut title = String::new();
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("title") => title = field.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = field.file_name().unwrap_or_default().to_owned();
                    match field.bytes().await {
                        Ok(bytes) if !name.is_empty() => upload = Some((name, bytes.to_vec())),
                        Ok(_) => {}
                        Err(_) => errors.add("file", too_large_or_broken(&state)),
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                errors.add("file", too_large_or_broken(&state));
                break;
            }
        }
    }
    let title = errors
        .check(
            "title",
            OneLine::required("Title", "a title", &title, limits::TITLE),
        )
        .map(OneLine::into_string)
        .unwrap_or_else(|| title.trim().to_owned());
    let limit = state.settings.guidance_max_bytes;
    let document = match upload {
        None if errors.get("file").is_none() => {
            errors.add("file", "Select a file");
            None
        }
        None => None,
        Some((name, bytes)) => match document_type(&name, &bytes, limit) {
            Ok(content_type) => Some(NewGuidance {
                title: title.clone(),
                file_name: clean_file_name(&name),
                content_type: content_type.into(),
                content: bytes,
            }),
            Err(message) => {
                errors.add("file", message);
                None
            }
        },
    };
    match document.filter(|_| errors.is_empty()) {
        Some(document) => {
            state
                .store
                .publish_guidance(document, by, Utc::now())
                .await?;
            Ok(see_other("/admin/guidance?published=1"))
        }
        None => {
            let page = guidance_page(&state, &visitor, &title, &errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_recognised_by_name_and_content() {
        const LIMIT: usize = 10 * 1024 * 1024;
        assert_eq!(
            document_type("Guide.PDF", b"%PDF-1.7 ...\n%%EOF\n", LIMIT),
            Ok("application/pdf")
        );
        assert!(
            document_type("guide.pdf", b"MZ\x90\x00", LIMIT)
                .expect_err("refused")
                .contains("is not a PDF"),
            "an executable renamed .pdf"
        );
        // Any zip renamed .docx used to pass on its first four bytes.
        let renamed = upload::hostile::plain_zip();
        assert!(
            document_type("guide.docx", &renamed, LIMIT)
                .expect_err("refused")
                .contains("is not a Word document (.docx)")
        );
        assert_eq!(
            document_type("guide.xlsx", &renamed, LIMIT),
            Err(WRONG_TYPE.to_owned()),
            "spreadsheets are not guidance"
        );
        assert_eq!(
            document_type("guide.exe", b"PK\x03\x04", LIMIT),
            Err(WRONG_TYPE.to_owned())
        );
        assert_eq!(
            document_type("no-extension", b"%PDF-", LIMIT),
            Err(WRONG_TYPE.to_owned())
        );
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(
            clean_file_name("C:\\Users\\me\\Guidance 2026.pdf"),
            "Guidance 2026.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("\"evil\r\nheader\".pdf"), "evilheader.pdf");
        assert_eq!(clean_file_name("..."), "guidance");
    }

    #[test]
    fn days_are_read_the_uk_way() {
        assert_eq!(
            parse_day("24/11/2026"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 24))
        );
        assert_eq!(
            parse_day("2026-11-24"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 24))
        );
        assert_eq!(parse_day(""), Ok(None));
        assert!(parse_day("31/02/2026").is_err());
    }
}
