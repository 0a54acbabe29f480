//! Published data and inspections: the releases of statistics the product holds, the
//! co-ordinator's upload of a statistics-service CSV file (checked whole, every problem by row
//! and column, imported all or nothing), and the co-ordinator's record of an area's
//! inspections. The authority's page shows an area's figures and inspections.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use documents::published_data::MAX_BYTES;
use domain::inspections::{InspectionAnswers, InspectionKind, InspectionOutcome};
use domain::{Action, AuthoritySlug};
use serde::Deserialize;
use services::indicators::{
    AreaEvidence, DEFAULT_PUBLICATION, ImportRefused, Importer, NAME_LIMIT, import_file,
};
use store::{Authority, IndicatorRelease};

use crate::components::{ErrorSummary, FileUpload, NotificationBanner, Radios, TextInput};
use crate::forms::FormErrors;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

const NAV: &str = "/indicators";
/// Problems listed under a refused file; the rest are counted.
const PROBLEMS_SHOWN: usize = 50;

pub fn routes() -> Vec<Route> {
    let upload_limit = axum::extract::DefaultBodyLimit::max(MAX_BYTES + 64 * 1024);
    vec![
        route(Method::GET, "/indicators", get(show_indicators)),
        route(
            Method::POST,
            "/indicators/import",
            post(import_indicators).layer(upload_limit),
        ),
        route(
            Method::GET,
            "/indicators/inspections/{slug}",
            get(show_inspection_form),
        ),
        route(
            Method::POST,
            "/indicators/inspections/{slug}",
            post(record_inspection),
        ),
    ]
}

/// A problem in the file as the page lists it.
#[derive(Clone, Debug)]
pub struct RowProblem {
    pub row: u64,
    pub column: String,
    pub message: String,
}

/// A release as the page lists it.
#[derive(Clone, Debug)]
pub struct ReleaseRow {
    pub publication: String,
    pub release: String,
    pub imported: String,
    pub by: String,
    pub values: u64,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/indicators/index.html")]
pub struct IndicatorsPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    releases: Vec<ReleaseRow>,
    may_import: bool,
    action: String,
    publication: TextInput,
    release: TextInput,
    upload: FileUpload,
    problems: Vec<RowProblem>,
    more_problems: usize,
}

#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    #[serde(default)]
    notice: String,
    #[serde(default)]
    added: u64,
    #[serde(default)]
    revised: u64,
    #[serde(default)]
    unchanged: u64,
}

fn release_rows(releases: Vec<IndicatorRelease>) -> Vec<ReleaseRow> {
    releases
        .into_iter()
        .map(|r| ReleaseRow {
            publication: r.publication,
            release: r.release,
            imported: dates::date_time(r.imported_at),
            by: r.imported_by,
            values: r.values,
        })
        .collect()
}

async fn indicators_page(
    state: &AppState,
    visitor: &Visitor,
    errors: &FormErrors,
    typed: (&str, &str),
    problems: Vec<RowProblem>,
    banner: Option<NotificationBanner>,
) -> Result<IndicatorsPage, AppError> {
    let releases = release_rows(state.store.indicator_releases().await?);
    Ok(IndicatorsPage {
        chrome: Chrome::new(visitor, "Published data", NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        releases,
        may_import: visitor.may(&Action::ImportIndicators),
        action: format!("/indicators/import?csrf_token={}", visitor.form_token),
        publication: TextInput::new("publication", "Publication")
            .hint("The statistics service's publication the file is from")
            .limit(NAME_LIMIT)
            .value(typed.0)
            .errors(errors),
        release: TextInput::new("release", "Release")
            .hint("Which release of it, such as June 2025. A later release revises the figures an earlier one gave, and both are kept")
            .limit(NAME_LIMIT)
            .value(typed.1)
            .errors(errors),
        upload: FileUpload {
            id: "file".into(),
            name: "file".into(),
            label: "The CSV file".into(),
            hint: Some(format!(
                "As downloaded from Explore Education Statistics (UTF-8), {} MB or smaller. Columns are found by their names; national, regional and local authority rows are kept. Nothing is imported unless every row is right.",
                MAX_BYTES / (1024 * 1024)
            )),
            error: errors.get("file"),
            accept: Some(".csv"),
        },
        more_problems: problems.len().saturating_sub(PROBLEMS_SHOWN),
        problems: problems.into_iter().take(PROBLEMS_SHOWN).collect(),
    })
}

pub async fn show_indicators(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(notice): Query<Notice>,
) -> Result<IndicatorsPage, AppError> {
    visitor.authorise(&Action::ViewIndicators)?;
    let banner = (notice.notice == "imported").then(|| {
        NotificationBanner::success(format!(
            "File imported: {} figures added, {} revising an earlier release, {} unchanged",
            notice.added, notice.revised, notice.unchanged
        ))
    });
    indicators_page(
        &state,
        &visitor,
        &FormErrors::default(),
        (DEFAULT_PUBLICATION, ""),
        Vec::new(),
        banner,
    )
    .await
}

/// The form's fields and file, or why there is no file.
struct Upload {
    publication: String,
    release: String,
    file: Result<Vec<u8>, String>,
}

async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> Upload {
    let mut upload = Upload {
        publication: String::new(),
        release: String::new(),
        file: Err("Choose a CSV file to import".to_owned()),
    };
    let Ok(mut multipart) = multipart else {
        return upload;
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                upload.file = Err(if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    format!("The file is larger than {} MB", MAX_BYTES / (1024 * 1024))
                } else {
                    "The file could not be read: try again".to_owned()
                });
                return upload;
            }
        };
        match field.name() {
            Some("publication") => upload.publication = field.text().await.unwrap_or_default(),
            Some("release") => upload.release = field.text().await.unwrap_or_default(),
            Some("file") => {
                let named = field.file_name().is_some_and(|name| !name.is_empty());
                if let Ok(bytes) = field.bytes().await
                    && named
                    && !bytes.is_empty()
                {
                    upload.file = Ok(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    upload
}

pub async fn import_indicators(
    State(state): State<AppState>,
    visitor: Visitor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ImportIndicators)?;
    let upload = read_upload(multipart).await;
    let typed = (upload.publication.as_str(), upload.release.as_str());
    let mut errors = FormErrors::default();
    let mut problems = Vec::new();
    match upload.file {
        Err(message) => errors.add("file", message),
        Ok(bytes) => match import_file(
            &state.store,
            Importer::Person(principal),
            typed.0,
            typed.1,
            &bytes,
            Utc::now(),
        )
        .await
        {
            Ok(imported) => {
                return Ok(see_other(&format!(
                    "/indicators?notice=imported&added={}&revised={}&unchanged={}",
                    imported.summary.added + imported.summary.corrected,
                    imported.summary.revised,
                    imported.summary.unchanged
                )));
            }
            Err(ImportRefused::Unreadable(message)) => errors.add("file", message),
            Err(ImportRefused::Problems(found)) => {
                errors.add(
                    "file",
                    format!(
                        "The file has {} problem(s), listed below: nothing was imported",
                        found.len()
                    ),
                );
                problems = found
                    .into_iter()
                    .map(|p| RowProblem {
                        row: p.row,
                        column: p.column,
                        message: p.message,
                    })
                    .collect();
            }
            Err(ImportRefused::Refused(services::journey::Refused::Invalid(found))) => {
                for problem in found {
                    errors.push(problem);
                }
            }
            Err(ImportRefused::Refused(other)) => {
                errors.add("file", crate::error::refused(other)?);
            }
        },
    }
    let page = indicators_page(&state, &visitor, &errors, typed, problems, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// ---- Inspections ---------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "pages/indicators/inspection.html")]
pub struct InspectionPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    authority: Authority,
    action: String,
    month: TextInput,
    kind: Radios,
    outcome: Radios,
    report_url: TextInput,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct InspectionForm {
    #[serde(default)]
    month: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    report_url: String,
}

async fn authority_of(state: &AppState, slug: &str) -> Result<Authority, AppError> {
    let slug = AuthoritySlug::parse(slug).map_err(|_| AppError::NotFound)?;
    state
        .store
        .authorities()
        .await?
        .into_iter()
        .find(|a| a.slug == slug)
        .ok_or(AppError::NotFound)
}

fn inspection_page(
    visitor: &Visitor,
    authority: Authority,
    form: &InspectionForm,
    errors: &FormErrors,
) -> InspectionPage {
    let kinds: Vec<(&str, &str)> = InspectionKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    let outcomes: Vec<(&str, &str)> = InspectionOutcome::ALL
        .iter()
        .map(|o| (o.code(), o.label()))
        .collect();
    InspectionPage {
        chrome: Chrome::new(visitor, "Record an inspection", "/authorities")
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        action: format!("/indicators/inspections/{}", authority.slug),
        month: TextInput::new("month", "Month of the inspection")
            .hint("As year and month, for example 2024-03")
            .classes("govuk-input--width-10")
            .value(&form.month)
            .errors(errors),
        kind: Radios::new("kind", "Kind of inspection", &kinds, &form.kind).errors(errors),
        outcome: Radios::new("outcome", "Outcome", &outcomes, &form.outcome)
            .hint("A full inspection has one of the framework's three outcomes; a monitoring inspection says whether the priority areas are being acted on. Recording the same month and kind again corrects it.")
            .errors(errors),
        report_url: TextInput::new("report_url", "Link to the published report (optional)")
            .input_type("url")
            .spellcheck(false)
            .value(&form.report_url)
            .errors(errors),
        authority,
    }
}

pub async fn show_inspection_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<InspectionPage, AppError> {
    visitor.authorise(&Action::ManageInspections)?;
    let authority = authority_of(&state, &slug).await?;
    Ok(inspection_page(
        &visitor,
        authority,
        &InspectionForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn record_inspection(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    Form(form): Form<InspectionForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageInspections)?;
    let authority = authority_of(&state, &slug).await?;
    let answers = InspectionAnswers {
        month: form.month.clone(),
        kind: form.kind.clone(),
        outcome: form.outcome.clone(),
        report_url: form.report_url.clone(),
    };
    match answers.check(state.today()) {
        Ok(inspection) => {
            state
                .store
                .record_inspection(&authority.slug, &inspection, principal.user_id, Utc::now())
                .await?;
            Ok(see_other(&format!(
                "/authorities/{}#inspections",
                authority.slug
            )))
        }
        Err(problems) => {
            let errors = FormErrors::from_problems(problems);
            let page = inspection_page(&visitor, authority, &form, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The evidence part of an authority's page, rendered inside it.
#[derive(Template)]
#[template(path = "pages/indicators/area_evidence.html")]
pub struct EvidencePanel {
    pub evidence: AreaEvidence,
    pub slug: String,
    pub may_record: bool,
}

impl EvidencePanel {
    fn month(&self, month: &chrono::NaiveDate) -> String {
        domain::inspections::month_year(*month)
    }
}
