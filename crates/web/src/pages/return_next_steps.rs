//! A next-steps return kept on the web: any programme's (a thematic event's next steps, a
//! biennial cycle's agreed actions, an annual cycle's development plan) listed on the return's own page, added or changed one at
//! a time with the same form as a challenge's action plan, or as the `.xlsx` template checked
//! whole and applied all or nothing, through the same `services::next_steps` use cases. A
//! biennial action names the cycle's priority and the KLOE it answers (`P2 K1`), listed here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use documents::action_plan::{MAX_ACTIONS, UPLOAD_LIMITS};
use documents::upload::Size;
use domain::{Action, ActionId, ReturnId, ReturnKind};
use services::agreed_actions::{Answerable, Answering, answering};
use services::journey::Refused;
use services::next_steps::{self, NextStepsOf, Permit, SheetProblem, SpreadsheetRefused};
use store::{OwedReturn, PlannedAction};

use crate::components::{ErrorSummary, FileUpload};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::next_steps::{
    ActionForm, ActionPage, PROBLEMS_SHOWN, XLSX, action_fields, known_themes, plan_max_bytes,
    read_upload,
};
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

const NAV: &str = "/returns";

pub fn routes() -> Vec<Route> {
    let upload_limit = axum::extract::DefaultBodyLimit::max(plan_max_bytes() + 64 * 1024);
    vec![
        route(Method::GET, "/returns/{id}/next-steps", get(show_steps)),
        route(
            Method::GET,
            "/returns/{id}/next-steps.xlsx",
            get(download_template),
        ),
        route(
            Method::POST,
            "/returns/{id}/next-steps/upload",
            post(upload_steps).layer(upload_limit),
        ),
        route(
            Method::GET,
            "/returns/{id}/next-steps/new",
            get(show_new_step),
        ),
        route(Method::POST, "/returns/{id}/next-steps/new", post(add_step)),
        route(
            Method::GET,
            "/returns/{id}/next-steps/{action}",
            get(show_step),
        ),
        route(
            Method::POST,
            "/returns/{id}/next-steps/{action}",
            post(change_step),
        ),
    ]
}

/// The return of the path, if its kind is kept as next steps and the visitor may see it.
async fn load(state: &AppState, visitor: &Visitor, id: ReturnId) -> Result<OwedReturn, AppError> {
    let owed = state
        .store
        .owed_return(id)
        .await?
        .ok_or(AppError::NotFound)?;
    visitor.authorise(&Action::ViewAreaReturns(owed.area.clone()))?;
    if !matches!(
        owed.kind,
        ReturnKind::ThematicNextSteps
            | ReturnKind::BiennialActions
            | ReturnKind::AnnualDevelopmentPlan
    ) {
        return Err(AppError::NotFound);
    }
    Ok(owed)
}

/// Whether the return's next steps may still change. A development plan is settled once
/// submitted (the triad reads what was agreed); an event's next steps and a cycle's agreed
/// actions are an improvement plan kept up after they are returned.
fn still_open(owed: &OwedReturn) -> Result<(), &'static str> {
    match owed.kind {
        ReturnKind::AnnualDevelopmentPlan if owed.submitted.is_some() => {
            Err("The development plan has been submitted")
        }
        _ => Ok(()),
    }
}

fn steps_href(owed: &OwedReturn) -> String {
    format!("/returns/{}/next-steps", owed.id)
}

async fn area_steps(state: &AppState, owed: &OwedReturn) -> Result<Vec<PlannedAction>, AppError> {
    Ok(state
        .store
        .next_steps(&store::NextStepFilter {
            area: Some(owed.area.clone()),
            programme: Some(owed.activity.programme),
        })
        .await?
        .into_iter()
        .filter(|planned| planned.activity.id == owed.activity.id)
        .collect())
}

async fn what_it_answers(state: &AppState, owed: &OwedReturn) -> Result<Answering, AppError> {
    Ok(answering(
        &state.store,
        owed.activity.id,
        owed.activity.programme,
        &owed.area,
    )
    .await?)
}

fn of<'a>(owed: &'a OwedReturn, answering: &'a Answering) -> NextStepsOf<'a> {
    NextStepsOf {
        activity: owed.activity.id,
        area: &owed.area,
        links: answering.links.as_ref(),
    }
}

fn permit<'a>(visitor: &'a Visitor, action: &'a Action) -> Permit<'a> {
    Permit {
        principal: visitor.principal.as_ref(),
        action,
    }
}

struct StepRow {
    reference: String,
    answers: String,
    action: String,
    owner: String,
    due: String,
    rag: domain::next_steps::Rag,
    href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/returns/next_steps.html")]
pub struct StepsPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    return_href: String,
    area: String,
    activity: String,
    kind: &'static str,
    priorities: Vec<Answerable>,
    kloes: Vec<Answerable>,
    biennial: bool,
    rows: Vec<StepRow>,
    keeps: bool,
    new_href: String,
    download_href: String,
    upload_action: String,
    upload: FileUpload,
    upload_problems: Vec<SheetProblem>,
    more_problems: usize,
}

async fn steps_page(
    state: &AppState,
    visitor: &Visitor,
    owed: &OwedReturn,
    errors: &FormErrors,
    upload_problems: Vec<SheetProblem>,
) -> Result<StepsPage, AppError> {
    let keeps = visitor.may(&Action::KeepNextSteps(owed.area.clone())) && still_open(owed).is_ok();
    let answering = what_it_answers(state, owed).await?;
    let href = steps_href(owed);
    let area = state
        .store
        .authority(&owed.area)
        .await?
        .map_or_else(|| owed.area.to_string(), |a| a.name);
    Ok(StepsPage {
        chrome: Chrome::new(visitor, format!("{}: {area}", owed.kind.label()), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        return_href: format!("/returns/{}", owed.id),
        area,
        activity: owed.activity.title.clone(),
        kind: owed.kind.label(),
        biennial: answering.links.is_some(),
        priorities: answering.priorities,
        kloes: answering.kloes,
        rows: area_steps(state, owed)
            .await?
            .into_iter()
            .map(|planned| StepRow {
                href: keeps.then(|| format!("{href}/{}", planned.id)),
                reference: planned.entry.reference,
                answers: planned.entry.answers,
                action: planned.entry.action,
                owner: planned.entry.owner,
                due: crate::dates::date(planned.entry.due),
                rag: planned.entry.rag,
            })
            .collect(),
        keeps,
        new_href: format!("{href}/new"),
        download_href: format!("{href}.xlsx"),
        upload_action: format!("{href}/upload?csrf_token={}", visitor.form_token),
        upload: FileUpload {
            id: "plan".into(),
            name: "plan".into(),
            label: "Upload the filled-in template".into(),
            hint: Some(format!(
                "An .xlsx file made from the download above, {} or smaller, with at most {MAX_ACTIONS} rows. A row with a reference already here changes that next step; new references are added. Nothing changes unless every row is right.",
                Size(UPLOAD_LIMITS.max_bytes)
            )),
            error: errors.get("plan"),
            accept: Some(".xlsx"),
        },
        more_problems: upload_problems.len().saturating_sub(PROBLEMS_SHOWN),
        upload_problems: upload_problems.into_iter().take(PROBLEMS_SHOWN).collect(),
    })
}

pub async fn show_steps(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ReturnId>,
) -> Result<StepsPage, AppError> {
    let owed = load(&state, &visitor, id).await?;
    steps_page(&state, &visitor, &owed, &FormErrors::default(), Vec::new()).await
}

/// The template to fill in, holding every next step so far.
pub async fn download_template(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ReturnId>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, id).await?;
    let plan = area_steps(&state, &owed).await?;
    let themes = known_themes(&state).await?;
    let area = state
        .store
        .authority(&owed.area)
        .await?
        .map_or_else(|| owed.area.to_string(), |a| a.name);
    let bytes = crate::action_plans::area_workbook(&area, &plan, &themes)
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, XLSX.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}-{}.xlsx\"",
                    owed.area,
                    owed.kind.code().replace('_', "-")
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn upload_steps(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ReturnId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, id).await?;
    let keep = Action::KeepNextSteps(owed.area.clone());
    visitor.authorise(&keep)?;
    let upload = match still_open(&owed) {
        Err(closed) => Err(closed.to_owned()),
        Ok(()) => read_upload(multipart).await,
    };
    let (message, listed) = match upload {
        Err(message) => (message, Vec::new()),
        Ok(bytes) => {
            let answering = what_it_answers(&state, &owed).await?;
            match next_steps::apply_spreadsheet(
                &state.store,
                permit(&visitor, &keep),
                of(&owed, &answering),
                &bytes,
                Utc::now(),
                state.today(),
            )
            .await
            {
                Ok(_) => return Ok(see_other(&steps_href(&owed))),
                Err(SpreadsheetRefused::Unreadable(message)) => (message, Vec::new()),
                Err(SpreadsheetRefused::Problems(listed)) => (
                    format!(
                        "The spreadsheet has {} problem(s), listed below: nothing was changed",
                        listed.len()
                    ),
                    listed,
                ),
                Err(SpreadsheetRefused::Refused(why)) => (crate::error::refused(why)?, Vec::new()),
            }
        }
    };
    let mut errors = FormErrors::default();
    errors.add("plan", message);
    let page = steps_page(&state, &visitor, &owed, &errors, listed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn step_page(
    state: &AppState,
    visitor: &Visitor,
    owed: &OwedReturn,
    existing: Option<ActionId>,
    form: &ActionForm,
    errors: &FormErrors,
) -> Result<ActionPage, AppError> {
    let themes = known_themes(state).await?;
    let answering = what_it_answers(state, owed).await?;
    let href = steps_href(owed);
    let (heading, action, button) = match existing {
        Some(id) => ("Change a next step", format!("{href}/{id}"), "Save changes"),
        None => ("Add a next step", format!("{href}/new"), "Add next step"),
    };
    let mut fields = action_fields(form, &themes, errors);
    let hint = if answering.links.is_some() {
        "Start with the priority it answers, then the KLOE if it answers one, for example P1 K2: the codes are listed on the return's page."
    } else {
        "The KLOE it answers, in its words or by its number; the theme below says what it is about."
    };
    fields.reword("answers", "What it answers", hint.to_owned());
    Ok(ActionPage {
        chrome: Chrome::new(visitor, heading, NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::linking(errors, &["start", "due"])),
        back: href,
        caption: owed.activity.title.clone(),
        heading,
        action,
        button,
        form: fields,
    })
}

async fn load_step(
    state: &AppState,
    owed: &OwedReturn,
    id: ActionId,
) -> Result<PlannedAction, AppError> {
    state
        .store
        .action(id)
        .await?
        .filter(|planned| planned.activity.id == owed.activity.id && planned.authority == owed.area)
        .ok_or(AppError::NotFound)
}

pub async fn show_new_step(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ReturnId>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, id).await?;
    visitor.authorise(&Action::KeepNextSteps(owed.area.clone()))?;
    if still_open(&owed).is_err() {
        // The return's page says why.
        return Ok(see_other(&steps_href(&owed)));
    }
    if still_open(&owed).is_err() {
        // The return's page says why.
        return Ok(see_other(&steps_href(&owed)));
    }
    step_page(
        &state,
        &visitor,
        &owed,
        None,
        &ActionForm::default(),
        &FormErrors::default(),
    )
    .await
    .map(IntoResponse::into_response)
}

pub async fn show_step(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, action)): Id<(ReturnId, ActionId)>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, id).await?;
    visitor.authorise(&Action::KeepNextSteps(owed.area.clone()))?;
    let planned = load_step(&state, &owed, action).await?;
    step_page(
        &state,
        &visitor,
        &owed,
        Some(planned.id),
        &ActionForm::of(&planned.entry),
        &FormErrors::default(),
    )
    .await
    .map(IntoResponse::into_response)
}

/// Check and save the form; on a problem, the form again with every answer as typed.
async fn save_step(
    state: &AppState,
    visitor: &Visitor,
    owed: &OwedReturn,
    existing: Option<ActionId>,
    form: &ActionForm,
) -> Result<Response, AppError> {
    let keep = Action::KeepNextSteps(owed.area.clone());
    let answering = what_it_answers(state, owed).await?;
    let saved = next_steps::save_next_step(
        &state.store,
        permit(visitor, &keep),
        of(owed, &answering),
        existing,
        &form.answers(),
        Utc::now(),
        state.today(),
    )
    .await;
    let errors = match saved {
        Ok(_) => return Ok(see_other(&steps_href(owed))),
        Err(Refused::Invalid(problems)) => FormErrors::from_problems(problems),
        // A reference another next step uses.
        Err(why) => {
            let mut errors = FormErrors::default();
            errors.add("reference", crate::error::refused(why)?);
            errors
        }
    };
    let page = step_page(state, visitor, owed, existing, form, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn add_step(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ReturnId>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, id).await?;
    visitor.authorise(&Action::KeepNextSteps(owed.area.clone()))?;
    if still_open(&owed).is_err() {
        // The return's page says why.
        return Ok(see_other(&steps_href(&owed)));
    }
    save_step(&state, &visitor, &owed, None, &form).await
}

pub async fn change_step(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, action)): Id<(ReturnId, ActionId)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let owed = load(&state, &visitor, id).await?;
    visitor.authorise(&Action::KeepNextSteps(owed.area.clone()))?;
    if still_open(&owed).is_err() {
        // The return's page says why.
        return Ok(see_other(&steps_href(&owed)));
    }
    let planned = load_step(&state, &owed, action).await?;
    save_step(&state, &visitor, &owed, Some(planned.id), &form).await
}
