//! The project manager's queue of applications to the pool, and the three decisions: approve
//! (the applicant joins the pool and gets an account), ask for more information, or decline.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::application::{ApplicationStatus, DECISION_NOTE_LIMIT};
use domain::{Action, ApplicationId, MultiLine};
use serde::Deserialize;
use services::pool_emails::{self, Applicant};
use store::{StoreError, StoredApplication};

use crate::components::{ErrorSummary, NotificationBanner, Textarea};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::apply::{AnswerRow, answer_rows, reference};
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// Every route of vetting applications, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/pool/applications", get(show_queue)),
        route(
            Method::GET,
            "/pool/applications/{id}",
            get(show_application),
        ),
        route(
            Method::POST,
            "/pool/applications/{id}/approve",
            post(approve),
        ),
        route(
            Method::POST,
            "/pool/applications/{id}/more-information",
            post(ask_for_more_information),
        ),
        route(
            Method::POST,
            "/pool/applications/{id}/decline",
            post(decline),
        ),
    ]
}

struct QueueRow {
    href: String,
    reference: String,
    name: String,
    kind: String,
    submitted: String,
}

struct QueueSection {
    heading: &'static str,
    rows: Vec<QueueRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/applications/queue.html")]
pub struct QueuePage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    sections: Vec<QueueSection>,
}

fn queue_row(application: &StoredApplication) -> QueueRow {
    QueueRow {
        href: format!("/pool/applications/{}", application.id),
        reference: application.reference.to_string(),
        name: application.answers.full_name.clone(),
        kind: domain::pool::ReviewerType::parse(&application.answers.reviewer_type)
            .map_or_else(String::new, |kind| kind.label().to_owned()),
        submitted: dates::date(application.submitted_at.date_naive()),
    }
}

pub async fn show_queue(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<HashMap<String, String>>,
) -> Result<QueuePage, AppError> {
    visitor.authorise(&Action::VetApplications)?;
    let mut sections = Vec::new();
    for (heading, status) in [
        ("To review", ApplicationStatus::Submitted),
        (
            "Waiting for a parent or carer's consent",
            ApplicationStatus::AwaitingConsent,
        ),
        (
            "Waiting for the applicant's answer",
            ApplicationStatus::MoreInformationRequested,
        ),
    ] {
        let rows = state
            .store
            .applications(&[status])
            .await?
            .iter()
            .map(queue_row)
            .collect();
        sections.push(QueueSection { heading, rows });
    }
    Ok(QueuePage {
        chrome: Chrome::new(&visitor, "Applications to the pool", "/pool/applications"),
        banner: decision_banner(&query),
        sections,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/applications/decide.html")]
pub struct DecidePage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: String,
    reference: String,
    name: String,
    status: &'static str,
    open: bool,
    submitted: String,
    note: Option<String>,
    consent: Option<String>,
    rows: Vec<AnswerRow>,
    problems: Vec<String>,
    question: Textarea,
    reason: Textarea,
}

async fn decide_page(
    state: &AppState,
    visitor: &Visitor,
    application: &StoredApplication,
    errors: &FormErrors,
    typed: (&str, &str),
) -> Result<DecidePage, AppError> {
    let reference_data = reference(state).await?;
    let vocabulary = state.store.vocabulary().await?;
    let problems = match application.answers.complete(&vocabulary) {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .into_iter()
            .map(|(_, problem)| problem.message)
            .collect(),
    };
    Ok(DecidePage {
        chrome: Chrome::new(visitor, format!("Application {}", application.reference), "/pool/applications")
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: application.id.to_string(),
        reference: application.reference.to_string(),
        name: application.answers.full_name.clone(),
        status: application.status.label(),
        open: application.status.is_open(),
        submitted: dates::date_time(application.submitted_at),
        note: application.decision_note.clone(),
        consent: application.consent_confirmed_at.map(dates::date_time),
        rows: answer_rows(&application.answers, &reference_data),
        problems,
        question: Textarea::new("question", "Your question", typed.0)
            .hint("We will email it to the applicant with a link to update their application.")
            .limit(DECISION_NOTE_LIMIT)
            .errors(errors),
        reason: Textarea::new("reason", "Reason", typed.1)
            .hint(&format!(
                "We will email it to the applicant. It is deleted with the application after {} months.",
                state.settings.retention_months
            ))
            .limit(DECISION_NOTE_LIMIT)
            .errors(errors),
    })
}

async fn load(state: &AppState, id: ApplicationId) -> Result<StoredApplication, AppError> {
    state.store.application(id).await?.ok_or(AppError::NotFound)
}

pub async fn show_application(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ApplicationId>,
) -> Result<DecidePage, AppError> {
    visitor.authorise(&Action::VetApplications)?;
    let application = load(&state, id).await?;
    decide_page(
        &state,
        &visitor,
        &application,
        &FormErrors::default(),
        ("", ""),
    )
    .await
}

/// A decision that lost a race with another (the application was decided meanwhile).
fn already_decided(id: ApplicationId) -> Response {
    see_other(&format!("/pool/applications/{id}"))
}

pub async fn approve(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ApplicationId>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::VetApplications)?.clone();
    let stored = load(&state, id).await?;
    let vocabulary = state.store.vocabulary().await?;
    let Ok(application) = stored.answers.complete(&vocabulary) else {
        // Reference data changed since it was sent: ask the applicant instead.
        let page = decide_page(&state, &visitor, &stored, &FormErrors::default(), ("", "")).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let settings = state.settings.clone();
    let to = application.profile.email.clone();
    let name = application.profile.name.to_string();
    let application_reference = stored.reference.to_string();
    let result = state
        .store
        .approve_application(
            stored.id,
            &application,
            principal.user_id,
            Utc::now(),
            |invitation| {
                let applicant = Applicant {
                    name: &name,
                    email: &to,
                    reference: &application_reference,
                };
                pool_emails::application_approved(&settings, applicant, invitation)
            },
        )
        .await;
    match result {
        Ok(member) => Ok(see_other(&format!("/pool/applications?approved={member}"))),
        Err(StoreError::Conflict(_)) => Ok(already_decided(id)),
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    question: String,
}

pub async fn ask_for_more_information(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ApplicationId>,
    Form(form): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::VetApplications)?.clone();
    let stored = load(&state, id).await?;
    let mut errors = FormErrors::default();
    let question = errors.check(
        "question",
        MultiLine::required(
            "Your question",
            "the question to ask the applicant",
            &form.question,
            DECISION_NOTE_LIMIT,
        ),
    );
    let Some(question) = question else {
        let page = decide_page(&state, &visitor, &stored, &errors, (&form.question, "")).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let question = question.as_str();
    let settings = state.settings.clone();
    let to = domain::EmailAddress::parse(&stored.answers.email)
        .map_err(|_| AppError::Internal("stored email".into()))?;
    let name = stored.answers.full_name.clone();
    let application_reference = stored.reference.to_string();
    let result = state
        .store
        .request_more_information(
            stored.id,
            question,
            principal.user_id,
            Utc::now(),
            |token| {
                let applicant = Applicant {
                    name: &name,
                    email: &to,
                    reference: &application_reference,
                };
                pool_emails::more_information_asked(&settings, applicant, question, token)
            },
        )
        .await;
    match result {
        Ok(()) => Ok(see_other("/pool/applications?asked=1")),
        Err(StoreError::Conflict(_)) => Ok(already_decided(id)),
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct DeclineForm {
    #[serde(default)]
    reason: String,
}

pub async fn decline(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ApplicationId>,
    Form(form): Form<DeclineForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::VetApplications)?.clone();
    let stored = load(&state, id).await?;
    let mut errors = FormErrors::default();
    let reason = errors.check(
        "reason",
        MultiLine::required(
            "Reason",
            "the reason for declining the application",
            &form.reason,
            DECISION_NOTE_LIMIT,
        ),
    );
    let Some(reason) = reason else {
        let page = decide_page(&state, &visitor, &stored, &errors, ("", &form.reason)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let reason = reason.as_str();
    let settings = state.settings.clone();
    let to = domain::EmailAddress::parse(&stored.answers.email)
        .map_err(|_| AppError::Internal("stored email".into()))?;
    let name = stored.answers.full_name.clone();
    let application_reference = stored.reference.to_string();
    let result = state
        .store
        .decline_application(stored.id, reason, principal.user_id, Utc::now(), || {
            let applicant = Applicant {
                name: &name,
                email: &to,
                reference: &application_reference,
            };
            pool_emails::application_declined(&settings, applicant, reason)
        })
        .await;
    match result {
        Ok(()) => Ok(see_other("/pool/applications?declined=1")),
        Err(StoreError::Conflict(_)) => Ok(already_decided(id)),
        Err(error) => Err(error.into()),
    }
}

/// The banner after a decision, read from the redirect's query.
fn decision_banner(query: &HashMap<String, String>) -> Option<NotificationBanner> {
    if query.contains_key("approved") {
        Some(NotificationBanner::success(
            "Application approved: they have joined the pool and been emailed",
        ))
    } else if query.contains_key("asked") {
        Some(NotificationBanner::success(
            "Your question has been emailed to the applicant",
        ))
    } else if query.contains_key("declined") {
        Some(NotificationBanner::success(
            "Application declined: the applicant has been emailed",
        ))
    } else {
        None
    }
}
