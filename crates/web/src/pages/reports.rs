//! A challenge's reports: whoever leads it makes a version from the findings (slides; and for
//! a two-day challenge a written report), shares it with the host's LA lead, who checks it for
//! factual accuracy and comments, and then makes it final. Every version stays downloadable.
//! The host sees only versions shared with them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::findings::{COMMENT_LIMIT, ReportFormat, ReportStatus, check_comment};
use domain::{Action, ChallengeId, ReportVersionId};

use crate::extract::Id;
use serde::Deserialize;
use store::{Author, ReportVersion, StoreError};

use crate::components::{ErrorSummary, NotificationBanner, Textarea};
use crate::forms::FormErrors;
use crate::pages::challenges::LoadedChallenge;
use crate::pages::{Chrome, Notice, see_other};
use crate::report_files::{ReportError, make_report};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};
use services::journey;

const NAV: &str = "/challenges";

pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/challenges/{id}/reports", get(show_reports)),
        route(Method::POST, "/challenges/{id}/reports", post(make_version)),
        route(
            Method::GET,
            "/challenges/{id}/reports/{version}",
            get(download_version),
        ),
        route(
            Method::POST,
            "/challenges/{id}/reports/{version}/share",
            post(share_version),
        ),
        route(
            Method::GET,
            "/challenges/{id}/reports/{version}/final",
            get(confirm_final),
        ),
        route(
            Method::POST,
            "/challenges/{id}/reports/{version}/final",
            post(finalise_version),
        ),
        route(
            Method::POST,
            "/challenges/{id}/reports/{version}/comments",
            post(comment_on_version),
        ),
    ]
}

fn reports_href(loaded: &LoadedChallenge) -> String {
    format!("{}/reports", loaded.href())
}

/// The reports a challenge owes: slides always, a written report for a two-day challenge.
fn formats(loaded: &LoadedChallenge) -> &'static [ReportFormat] {
    if loaded.record.kind.led_by_coordinator() {
        &[ReportFormat::SlideDeck, ReportFormat::WrittenReport]
    } else {
        &[ReportFormat::SlideDeck]
    }
}

fn banner(notice: &str) -> Option<NotificationBanner> {
    let heading = match notice {
        "made" => "A new version has been made from the findings",
        "shared" => "The version has been shared with the local area for an accuracy check",
        "final" => "The report is final",
        "commented" => "Your comment has been added",
        _ => return None,
    };
    Some(NotificationBanner::success(heading))
}

/// One version as a row, with what this visitor may do to it.
struct VersionRow {
    /// The element an error about this version links to.
    anchor: String,
    label: String,
    status: ReportStatus,
    made: String,
    size: String,
    href: String,
    share_action: Option<String>,
    final_action: Option<String>,
    comments: Vec<(String, String)>,
    comment: Option<(String, Textarea)>,
}

struct FormatSection {
    heading: &'static str,
    code: &'static str,
    versions: Vec<VersionRow>,
    can_make: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/findings/reports.html")]
pub struct ReportsPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    action: String,
    sections: Vec<FormatSection>,
    writes: bool,
    reporting: bool,
}

fn kilobytes(bytes: i64) -> String {
    format!("{} KB", (bytes + 1023) / 1024)
}

async fn reports_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    typed_comment: Option<(ReportVersionId, &str)>,
    errors: &FormErrors,
    banner: Option<NotificationBanner>,
) -> Result<ReportsPage, AppError> {
    let href = reports_href(loaded);
    let reporting = loaded.record.state.may_change_reports();
    let writes = loaded.may(visitor, &Action::WriteFindings(loaded.access.clone()));
    let runs_or_team =
        writes || loaded.may(visitor, &Action::DiscussFindings(loaded.access.clone()));
    let checks = loaded.may(visitor, &Action::CheckReportAccuracy(loaded.access.clone()));
    let versions = state.store.report_versions(loaded.record.id).await?;
    let sections = formats(loaded)
        .iter()
        .map(|format| {
            let mine: Vec<&ReportVersion> = versions
                .iter()
                .filter(|v| v.format == *format && (runs_or_team || v.status.seen_by_host()))
                .collect();
            let newest = mine.iter().map(|v| v.version).max();
            let is_final = mine.iter().any(|v| v.status == ReportStatus::Final);
            FormatSection {
                heading: format.label(),
                code: format.code(),
                can_make: writes && reporting && !is_final,
                versions: mine
                    .iter()
                    .map(|version| {
                        let newest = Some(version.version) == newest;
                        let act = |allowed: bool, what: &str| {
                            (reporting && newest && allowed)
                                .then(|| format!("{href}/{}/{what}", version.id))
                        };
                        VersionRow {
                            anchor: format!("version-{}", version.id),
                            label: format!("Version {}", version.version),
                            status: version.status,
                            made: format!(
                                "{} by {}",
                                crate::dates::date_time(version.created_at),
                                version.created_by_name
                            ),
                            size: kilobytes(version.size_bytes),
                            href: format!("{href}/{}", version.id),
                            share_action: act(
                                writes && version.status == ReportStatus::Draft,
                                "share",
                            ),
                            final_action: act(
                                writes && version.status == ReportStatus::Shared,
                                "final",
                            ),
                            comments: version
                                .comments
                                .iter()
                                .map(|c| (c.author_name.clone(), c.text.clone()))
                                .collect(),
                            comment: act(
                                checks && version.status == ReportStatus::Shared,
                                "comments",
                            )
                            .map(|action| {
                                let field = format!("comment-{}", version.id);
                                let typed = typed_comment
                                    .filter(|(id, _)| *id == version.id)
                                    .map_or("", |(_, text)| text);
                                let mut box_ = Textarea::new(
                                    "comment",
                                    "Your comments on factual accuracy",
                                    typed,
                                )
                                .hint("Say what is factually wrong or missing, and where.")
                                .limit(COMMENT_LIMIT);
                                box_.error = errors.get(&field);
                                box_.id = field;
                                box_.rows = 3;
                                (action, box_)
                            }),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(ReportsPage {
        chrome: Chrome::new(visitor, "Reports", NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: loaded.href(),
        caption: loaded.title(),
        action: href,
        sections,
        writes,
        reporting,
    })
}

pub async fn show_reports(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<ReportsPage, AppError> {
    visitor.authorise(&Action::ViewReports(loaded.access.clone()))?;
    reports_page(
        &state,
        &visitor,
        &loaded,
        None,
        &FormErrors::default(),
        banner(&notice.notice),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct MakeForm {
    #[serde(default)]
    format: String,
}

/// An action refused by the store's rules (the challenge moved on, a newer version exists):
/// the page again with the reason in an error summary.
async fn refused(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    field: String,
    message: &str,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    errors.add(field, message);
    let page = reports_page(state, visitor, loaded, None, &errors, None).await?;
    Ok((StatusCode::CONFLICT, page).into_response())
}

pub async fn make_version(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<MakeForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::WriteFindings(loaded.access.clone()))?;
    let Some(format) = ReportFormat::parse(&form.format).filter(|f| formats(&loaded).contains(f))
    else {
        let page = reports_page(&state, &visitor, &loaded, None, &invalid_format(), None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let now = Utc::now();
    let next = state
        .store
        .report_versions(loaded.record.id)
        .await?
        .iter()
        .filter(|v| v.format == format)
        .map(|v| v.version)
        .max()
        .unwrap_or(0)
        + 1;
    let bytes = match make_report(
        &state.store,
        loaded.record.id,
        format,
        &format!("Draft {next}"),
        Some(principal.user_id),
        now,
    )
    .await
    {
        Ok(bytes) => bytes,
        Err(ReportError::Store(error)) => return Err(error.into()),
        Err(other) => return Err(AppError::Internal(other.to_string())),
    };
    let author = Author {
        user: principal.user_id,
        name: &principal.name,
    };
    match state
        .store
        .add_report_version(loaded.record.id, format, bytes, author, now)
        .await
    {
        Ok(_) => Ok(see_other(&format!("{}?notice=made", reports_href(&loaded)))),
        Err(StoreError::Conflict(message)) => {
            refused(
                &state,
                &visitor,
                &loaded,
                format!("make-{}", format.code()),
                message,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

fn invalid_format() -> FormErrors {
    let mut errors = FormErrors::default();
    errors.add("make-pptx", "Choose which report to make");
    errors
}

pub async fn download_version(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, version)): Id<(ChallengeId, ReportVersionId)>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewReports(loaded.access.clone()))?;
    let (version, bytes) = state
        .store
        .report_file(loaded.record.id, version)
        .await?
        .ok_or(AppError::NotFound)?;
    let host_only = !loaded.may(&visitor, &Action::DiscussFindings(loaded.access.clone()))
        && !loaded.may(&visitor, &Action::WriteFindings(loaded.access.clone()));
    if host_only && !version.status.seen_by_host() {
        return Err(AppError::NotFound);
    }
    let disposition = format!(
        "attachment; filename=\"{}\"",
        version.file_name(&loaded.record.reference)
    );
    Ok((
        [
            (CONTENT_TYPE, version.format.content_type().to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

async fn move_version(
    state: AppState,
    visitor: Visitor,
    loaded: LoadedChallenge,
    version: ReportVersionId,
    to: ReportStatus,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::WriteFindings(loaded.access.clone()))?;
    match journey::move_report(
        state.scheme(),
        visitor.principal.as_ref(),
        loaded.on(),
        version,
        to,
        Utc::now(),
    )
    .await
    {
        Ok(()) => {
            let notice = if to == ReportStatus::Shared {
                "shared"
            } else {
                "final"
            };
            Ok(see_other(&format!(
                "{}?notice={notice}",
                reports_href(&loaded)
            )))
        }
        Err(why) => {
            let message = crate::error::refused(why)?;
            refused(
                &state,
                &visitor,
                &loaded,
                format!("version-{version}"),
                &message,
            )
            .await
        }
    }
}

pub async fn share_version(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, version)): Id<(ChallengeId, ReportVersionId)>,
) -> Result<Response, AppError> {
    move_version(state, visitor, loaded, version, ReportStatus::Shared).await
}

/// Making a version final cannot be undone, so it is asked twice: this page, then its button.
#[derive(Template, WebTemplate)]
#[template(path = "pages/findings/confirm_final.html")]
pub struct ConfirmFinalPage {
    chrome: Chrome,
    caption: String,
    what: String,
    action: String,
    back: String,
}

pub async fn confirm_final(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, version)): Id<(ChallengeId, ReportVersionId)>,
) -> Result<ConfirmFinalPage, AppError> {
    visitor.authorise(&Action::WriteFindings(loaded.access.clone()))?;
    let versions = state.store.report_versions(loaded.record.id).await?;
    let version = versions
        .iter()
        .find(|v| v.id == version)
        .ok_or(AppError::NotFound)?;
    let href = reports_href(&loaded);
    Ok(ConfirmFinalPage {
        chrome: Chrome::new(&visitor, "Make the report final", NAV),
        caption: loaded.title(),
        what: format!(
            "{} version {}",
            version.format.label().to_lowercase(),
            version.version
        ),
        action: format!("{href}/{}/final", version.id),
        back: format!("{href}#version-{}", version.id),
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct FinalForm {
    #[serde(default)]
    confirm: String,
}

pub async fn finalise_version(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, version)): Id<(ChallengeId, ReportVersionId)>,
    Form(form): Form<FinalForm>,
) -> Result<Response, AppError> {
    if form.confirm != "yes" {
        // Not from the confirmation page: ask there first.
        visitor.authorise(&Action::WriteFindings(loaded.access.clone()))?;
        return Ok(see_other(&format!(
            "{}/{version}/final",
            reports_href(&loaded)
        )));
    }
    move_version(state, visitor, loaded, version, ReportStatus::Final).await
}

#[derive(Debug, Default, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

pub async fn comment_on_version(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, version)): Id<(ChallengeId, ReportVersionId)>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::CheckReportAccuracy(loaded.access.clone()))?;
    let field = format!("comment-{version}");
    let text = match check_comment(&form.comment) {
        Ok(text) => text,
        Err(problem) => {
            let mut errors = FormErrors::default();
            errors.add(field, problem.message);
            let page = reports_page(
                &state,
                &visitor,
                &loaded,
                Some((version, &form.comment)),
                &errors,
                None,
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let author = Author {
        user: principal.user_id,
        name: &principal.name,
    };
    match state
        .store
        .comment_on_report(loaded.record.id, version, &text, author, Utc::now())
        .await
    {
        Ok(()) => Ok(see_other(&format!(
            "{}?notice=commented",
            reports_href(&loaded)
        ))),
        Err(StoreError::Conflict(message)) => {
            refused(&state, &visitor, &loaded, field, message).await
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}
