//! A biennial KLOE draft changed by the area that challenges: its LA lead rewrites the
//! question, its priority or its themes until the co-ordinator agrees it, then it is fixed.
//! Nobody else sees the page: the policy's `DraftBiennialKloes` is the challenging area's.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::biennial::{KloeDraftAnswers, KloeStatus};
use domain::{Action, BiennialKloeId, ProgrammeActivityId};
use services::journey::Refused;
use store::{BiennialCycle, BiennialKloe};

use crate::components::{Checkboxes, ErrorSummary, Radios, Textarea};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::biennial::kloe_fields;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

pub fn routes() -> Vec<Route> {
    vec![
        route(
            Method::GET,
            "/biennial/{id}/kloes/{kloe}/edit",
            get(show_change),
        ),
        route(
            Method::POST,
            "/biennial/{id}/kloes/{kloe}/edit",
            post(change),
        ),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/biennial/kloe_edit.html")]
pub struct ChangePage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    action: String,
    fields: (Textarea, Radios, Checkboxes),
}

/// The cycle and the draft, once the visitor is its challenging area's lead (or refused).
async fn load(
    state: &AppState,
    visitor: &Visitor,
    id: ProgrammeActivityId,
    kloe: BiennialKloeId,
) -> Result<(BiennialCycle, BiennialKloe), AppError> {
    visitor.authorise(&Action::ViewBiennial)?;
    let cycle = state
        .store
        .biennial_cycle(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let kloe = state
        .store
        .biennial_kloes(id)
        .await?
        .into_iter()
        .find(|k| k.id == kloe)
        .ok_or(AppError::NotFound)?;
    visitor.authorise(&Action::DraftBiennialKloes(kloe.challenger.clone()))?;
    Ok((cycle, kloe))
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    cycle: &BiennialCycle,
    kloe: &BiennialKloe,
    typed: &KloeDraftAnswers,
    errors: &FormErrors,
) -> Result<ChangePage, AppError> {
    let themes = state.store.themes().await?;
    Ok(ChangePage {
        chrome: Chrome::new(visitor, "Change a draft KLOE", "/biennial")
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: format!("/biennial/{}/areas/{}", cycle.id, kloe.challenger),
        caption: cycle.title.clone(),
        action: format!("/biennial/{}/kloes/{}/edit", cycle.id, kloe.id),
        fields: kloe_fields(cycle, &themes, typed, errors),
    })
}

pub async fn show_change(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, kloe)): Id<(ProgrammeActivityId, BiennialKloeId)>,
) -> Result<Response, AppError> {
    let (cycle, kloe) = load(&state, &visitor, id, kloe).await?;
    let area = format!("/biennial/{}/areas/{}", cycle.id, kloe.challenger);
    // An agreed KLOE, or one past the deadline, is fixed: back to the area's page.
    if kloe.status != KloeStatus::Draft || !cycle.state.may_draft_kloes() {
        return Ok(see_other(&area));
    }
    let typed = KloeDraftAnswers {
        question: kloe.question.clone(),
        priority: (kloe.priority + 1).to_string(),
        themes: kloe.themes.iter().map(|t| t.as_str().to_owned()).collect(),
    };
    Ok(page(
        &state,
        &visitor,
        &cycle,
        &kloe,
        &typed,
        &FormErrors::default(),
    )
    .await?
    .into_response())
}

pub async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, kloe)): Id<(ProgrammeActivityId, BiennialKloeId)>,
    Form(form): Form<KloeDraftAnswers>,
) -> Result<Response, AppError> {
    let (cycle, kloe) = load(&state, &visitor, id, kloe).await?;
    let principal = visitor.authorise(&Action::DraftBiennialKloes(kloe.challenger.clone()))?;
    let outcome = services::biennial::change_kloe(
        state.scheme(),
        principal,
        &cycle,
        &kloe.challenger,
        kloe.id,
        &form,
        Utc::now(),
    )
    .await;
    let (errors, status) = match outcome {
        Ok(()) => {
            return Ok(see_other(&format!(
                "/biennial/{}/areas/{}",
                cycle.id, kloe.challenger
            )));
        }
        Err(Refused::Invalid(problems)) => (
            FormErrors::from_problems(problems),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // Agreed or shared meanwhile: said on the form, the words kept.
        Err(why) => {
            let mut errors = FormErrors::default();
            errors.add("question", crate::error::refused(why)?);
            (errors, StatusCode::CONFLICT)
        }
    };
    let shown = page(&state, &visitor, &cycle, &kloe, &form, &errors).await?;
    Ok((status, shown).into_response())
}
