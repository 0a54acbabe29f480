//! Returns: what each area owes for a programme activity. The outstanding-areas view (every
//! area's for the board and the scheme's staff, an LA lead's own), one return's page with its
//! web form's link, the co-ordinator's per-area extension and the area's submission.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::programme::{ExtensionAnswers, ReturnStanding};
use domain::{Action, ReturnId};
use store::{OwedReturn, ReturnFilter, StoreError};

use crate::components::{ErrorSummary, TextInput};
use crate::forms::FormErrors;
use crate::pages::{Chrome, see_other};
use crate::routes::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

const NAV: &str = "/returns";

pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/returns", get(list_returns)),
        route(Method::GET, "/returns/{id}", get(show_return)),
        route(Method::POST, "/returns/{id}/extension", post(extend_return)),
        route(Method::POST, "/returns/{id}/submit", post(submit_return)),
    ]
}

struct ReturnRow {
    href: String,
    area: String,
    activity: String,
    kind: &'static str,
    due: String,
    standing: &'static str,
    tag: &'static str,
}

fn tag_of(standing: ReturnStanding) -> &'static str {
    match standing {
        ReturnStanding::Submitted => "govuk-tag--green",
        ReturnStanding::Outstanding(_) => "govuk-tag--yellow",
        ReturnStanding::Overdue(_) => "govuk-tag--red",
    }
}

async fn area_name(state: &AppState, owed: &OwedReturn) -> Result<String, AppError> {
    Ok(state
        .store
        .authority(&owed.area)
        .await?
        .map_or_else(|| owed.area.to_string(), |a| a.name))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/returns/list.html")]
pub struct ReturnsPage {
    chrome: Chrome,
    sections: Vec<Section>,
}

/// The outstanding areas first, then the returns already in.
struct Section {
    caption_id: &'static str,
    caption: &'static str,
    rows: Vec<ReturnRow>,
}

pub async fn list_returns(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<ReturnsPage, AppError> {
    visitor.authorise(&Action::ViewReturns)?;
    let today = state.today();
    let mut outstanding = Vec::new();
    let mut submitted = Vec::new();
    for owed in state.store.returns(&ReturnFilter::default()).await? {
        // Each row is asked of the policy: a lead sees their own area's only.
        if visitor
            .authorise(&Action::ViewAreaReturns(owed.area.clone()))
            .is_err()
        {
            continue;
        }
        let standing = owed.standing(today);
        let row = ReturnRow {
            href: format!("/returns/{}", owed.id),
            area: area_name(&state, &owed).await?,
            activity: owed.activity.title.clone(),
            kind: owed.kind.label(),
            due: crate::dates::date(owed.extended_to.unwrap_or(owed.due)),
            standing: standing.label(),
            tag: tag_of(standing),
        };
        if standing == ReturnStanding::Submitted {
            submitted.push(row);
        } else {
            outstanding.push(row);
        }
    }
    Ok(ReturnsPage {
        chrome: Chrome::new(&visitor, "Returns", NAV),
        sections: vec![
            Section {
                caption_id: "outstanding-caption",
                caption: "Areas yet to return",
                rows: outstanding,
            },
            Section {
                caption_id: "submitted-caption",
                caption: "Submitted",
                rows: submitted,
            },
        ],
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/returns/show.html")]
pub struct ReturnPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: ReturnId,
    area: String,
    activity: String,
    programme: &'static str,
    kind: &'static str,
    due: String,
    extended_to: Option<String>,
    extension_reason: Option<String>,
    standing: &'static str,
    tag: &'static str,
    submitted: Option<String>,
    /// Where the return is filled in (a challenge's action plan page).
    form_href: Option<String>,
    may_submit: bool,
    date: Option<TextInput>,
    reason: Option<TextInput>,
}

async fn return_page(
    state: &AppState,
    visitor: &Visitor,
    owed: OwedReturn,
    answers: &ExtensionAnswers,
    errors: &FormErrors,
) -> Result<ReturnPage, AppError> {
    let standing = owed.standing(state.today());
    let may_extend = visitor.authorise(&Action::ExtendReturn).is_ok() && owed.submitted.is_none();
    let may_submit = visitor
        .authorise(&Action::SubmitReturn(owed.area.clone()))
        .is_ok()
        && owed.submitted.is_none();
    Ok(ReturnPage {
        chrome: Chrome::new(visitor, format!("{} return", owed.kind.label()), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: owed.id,
        area: area_name(state, &owed).await?,
        activity: owed.activity.title.clone(),
        programme: owed.activity.programme.label(),
        kind: owed.kind.label(),
        due: crate::dates::date(owed.due),
        extended_to: owed.extended_to.map(crate::dates::date),
        extension_reason: owed.extension_reason.clone(),
        standing: standing.label(),
        tag: tag_of(standing),
        submitted: owed
            .submitted
            .as_ref()
            .map(|(at, by)| format!("{} by {by}", crate::dates::date_time(*at))),
        form_href: match owed.activity.programme {
            domain::Programme::Thematic => Some(format!(
                "/events/{}/next-steps/{}",
                owed.activity.id, owed.area
            )),
            _ => owed
                .activity
                .challenge
                .map(|challenge| format!("/challenges/{challenge}/actions")),
        },
        may_submit,
        date: may_extend.then(|| {
            TextInput::new("date", "New due date")
                .hint("For example, 14/03/2027")
                .classes("govuk-input--width-10")
                .value(&answers.date)
                .errors(errors)
        }),
        reason: may_extend.then(|| {
            TextInput::new("reason", "Reason for the extension")
                .value(&answers.reason)
                .errors(errors)
        }),
    })
}

async fn load(state: &AppState, visitor: &Visitor, id: &str) -> Result<OwedReturn, AppError> {
    let id: ReturnId = id.parse().map_err(|_| AppError::NotFound)?;
    let owed = state
        .store
        .owed_return(id)
        .await?
        .ok_or(AppError::NotFound)?;
    visitor.authorise(&Action::ViewAreaReturns(owed.area.clone()))?;
    Ok(owed)
}

pub async fn show_return(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<ReturnPage, AppError> {
    let owed = load(&state, &visitor, &id).await?;
    return_page(
        &state,
        &visitor,
        owed,
        &ExtensionAnswers::default(),
        &FormErrors::default(),
    )
    .await
}

pub async fn extend_return(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(answers): Form<ExtensionAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ExtendReturn)?;
    let owed = load(&state, &visitor, &id).await?;
    let errors = match answers.check() {
        Ok((date, reason)) => {
            match state
                .store
                .extend_return(owed.id, date, reason.as_str(), principal, Utc::now())
                .await
            {
                Ok(()) => return Ok(see_other(&format!("/returns/{}", owed.id))),
                Err(StoreError::Conflict(message)) => {
                    let mut errors = FormErrors::default();
                    errors.add("date", message);
                    errors
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(problems) => FormErrors::from_problems(problems),
    };
    let page = return_page(&state, &visitor, owed, &answers, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn submit_return(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, &id).await?;
    let principal = visitor.authorise(&Action::SubmitReturn(owed.area.clone()))?;
    match state
        .store
        .submit_return(owed.id, principal, Utc::now())
        .await
    {
        Ok(()) => Ok(see_other(&format!("/returns/{}", owed.id))),
        Err(StoreError::Conflict(message)) => {
            let mut errors = FormErrors::default();
            errors.add("submit", message);
            let page = return_page(
                &state,
                &visitor,
                owed,
                &ExtensionAnswers::default(),
                &errors,
            )
            .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
