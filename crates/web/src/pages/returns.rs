//! Returns: what each area owes for a programme activity. The outstanding-areas view (every
//! area's for the board and the scheme's staff, an LA lead's own), one return's page with its
//! web form's link, its owner (which of the area's LA leads answers for it and hears its
//! reminders), the co-ordinator's per-area extension and the area's submission.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::programme::{ExtensionAnswers, ReturnStanding};
use domain::{Action, ReturnId, Role, UserId};
use serde::Deserialize;
use store::{OwedReturn, ReturnFilter, StaffMember, StoreError};

use crate::components::{ErrorSummary, Select, SelectItem, TextInput};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

const NAV: &str = "/returns";

pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/returns", get(list_returns)),
        route(Method::GET, "/returns/{id}", get(show_return)),
        route(Method::POST, "/returns/{id}/extension", post(extend_return)),
        route(Method::POST, "/returns/{id}/submit", post(submit_return)),
        route(Method::POST, "/returns/{id}/owner", post(assign_owner)),
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
    let names = state.store.authority_names().await?;
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
            area: names
                .get(&owed.area)
                .cloned()
                .unwrap_or_else(|| owed.area.to_string()),
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
    /// Who answers for it: a named LA lead, or every LA lead of the area.
    owner: String,
    /// The choice of owner, for those who may make it.
    owner_choice: Option<Select>,
    date: Option<TextInput>,
    reason: Option<TextInput>,
}

/// The area's LA leads, who may own its return.
async fn area_leads(state: &AppState, owed: &OwedReturn) -> Result<Vec<StaffMember>, AppError> {
    Ok(state
        .store
        .staff()
        .await?
        .into_iter()
        .filter(|person| {
            person
                .grants
                .iter()
                .any(|grant| grant.role() == Role::LaLead && grant.authority() == Some(&owed.area))
        })
        .collect())
}

const EVERY_LEAD: &str = "Every LA lead of the area";

async fn return_page(
    state: &AppState,
    visitor: &Visitor,
    owed: OwedReturn,
    answers: &ExtensionAnswers,
    errors: &FormErrors,
) -> Result<ReturnPage, AppError> {
    let standing = owed.standing(state.today());
    let leads = area_leads(state, &owed).await?;
    let owner = owed
        .owner
        .and_then(|owner| leads.iter().find(|lead| lead.id == owner))
        .map_or(EVERY_LEAD.to_owned(), |lead| {
            format!("{} ({})", lead.name, lead.email)
        });
    let may_assign = visitor
        .authorise(&Action::AssignReturnOwner(owed.area.clone()))
        .is_ok()
        && owed.submitted.is_none();
    let owner_choice = may_assign.then(|| Select {
        id: "owner".into(),
        name: "owner".into(),
        label: "Who answers for this return".into(),
        hint: Some(
            "They hear its reminders; with no one named, every LA lead of the area does.".into(),
        ),
        error: errors.get("owner"),
        items: std::iter::once(SelectItem {
            value: String::new(),
            text: EVERY_LEAD.into(),
            selected: owed.owner.is_none(),
        })
        .chain(leads.iter().map(|lead| SelectItem {
            value: lead.id.to_string(),
            text: lead.name.clone(),
            selected: owed.owner == Some(lead.id),
        }))
        .collect(),
    });
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
        form_href: match owed.kind {
            // Any programme's next steps are kept on the return's own pages.
            domain::ReturnKind::ThematicNextSteps
            | domain::ReturnKind::BiennialActions
            | domain::ReturnKind::AnnualDevelopmentPlan => {
                Some(format!("/returns/{}/next-steps", owed.id))
            }
            _ => owed
                .activity
                .challenge
                .map(|challenge| format!("/challenges/{challenge}/actions")),
        },
        may_submit,
        owner,
        owner_choice,
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

async fn load(state: &AppState, visitor: &Visitor, id: ReturnId) -> Result<OwedReturn, AppError> {
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
    Id(id): Id<ReturnId>,
) -> Result<ReturnPage, AppError> {
    let owed = load(&state, &visitor, id).await?;
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
    Id(id): Id<ReturnId>,
    Form(answers): Form<ExtensionAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ExtendReturn)?;
    let owed = load(&state, &visitor, id).await?;
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
    Id(id): Id<ReturnId>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, id).await?;
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
            page_again(&state, &visitor, owed, &errors, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OwnerForm {
    #[serde(default)]
    owner: String,
}

pub async fn assign_owner(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ReturnId>,
    Form(form): Form<OwnerForm>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, id).await?;
    let principal = visitor.authorise(&Action::AssignReturnOwner(owed.area.clone()))?;
    let mut errors = FormErrors::default();
    let owner = match form.owner.trim() {
        "" => Some(None),
        raw => errors
            .check(
                "owner",
                raw.parse::<UserId>()
                    .map_err(|_| "Choose one of the area's LA leads"),
            )
            .map(Some),
    };
    if let Some(owner) = owner {
        match state
            .store
            .assign_return_owner(owed.id, owner, principal, Utc::now())
            .await
        {
            Ok(()) => return Ok(see_other(&format!("/returns/{}", owed.id))),
            Err(StoreError::Conflict(message)) => errors.add("owner", message),
            Err(other) => return Err(other.into()),
        }
    }
    page_again(
        &state,
        &visitor,
        owed,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The return's page again after a refused submission or owner, the problem shown.
async fn page_again(
    state: &AppState,
    visitor: &Visitor,
    owed: OwedReturn,
    errors: &FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = return_page(state, visitor, owed, &ExtensionAnswers::default(), errors).await?;
    Ok((status, page).into_response())
}
