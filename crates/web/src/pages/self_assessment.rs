//! The annual self-assessment cycle's pages: the cycles, a year's timetable and triads (the
//! co-ordinator starts a cycle with triads proposed to avoid last year's groupings, changes
//! them with the rules checked again, and publishes them to the areas; LA leads see them once
//! published; reviewers take no part).

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::self_assessment::{
    CycleTimetable, check_triads, cycle_title, explain_triads, parse_cycle_year, propose_triads,
};
use domain::{Action, AuthoritySlug};
use serde::Deserialize;
use store::{AnnualCycle, Authority, StoreError};

use crate::components::{ErrorSummary, Select, SelectItem, TextInput};
use crate::forms::FormErrors;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

const NAV: &str = "/self-assessment";

pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/self-assessment", get(list_cycles)),
        route(Method::POST, "/self-assessment", post(start_cycle)),
        route(Method::GET, "/self-assessment/{year}", get(show_cycle)),
        route(
            Method::POST,
            "/self-assessment/{year}/triads",
            post(change_triads),
        ),
        route(
            Method::POST,
            "/self-assessment/{year}/publish",
            post(publish_triads),
        ),
    ]
}

/// A cycle as the list shows it.
#[derive(Clone, Debug)]
pub struct CycleRow {
    pub title: String,
    pub href: String,
    pub status: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/self_assessment/cycles.html")]
pub struct CyclesPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    cycles: Vec<CycleRow>,
    may_start: bool,
    year: TextInput,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    year: String,
}

async fn cycles_page(
    state: &AppState,
    visitor: &Visitor,
    typed: &str,
    errors: &FormErrors,
) -> Result<CyclesPage, AppError> {
    let cycles = state
        .store
        .annual_cycles()
        .await?
        .into_iter()
        .map(|c| CycleRow {
            title: cycle_title(c.year),
            href: format!("/self-assessment/{}", c.year),
            status: if c.published_at.is_some() {
                "Triads published"
            } else {
                "Triads being agreed"
            },
        })
        .collect();
    Ok(CyclesPage {
        chrome: Chrome::new(visitor, "Annual self-assessment", NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        cycles,
        may_start: visitor.may(&Action::ManageAnnualCycle),
        year: TextInput::new("year", "Year the cycle starts")
            .hint("Self-assessments are written in November and December, triads meet in January and February, and development plans are due in March")
            .classes("govuk-input--width-4")
            .value(typed)
            .errors(errors),
    })
}

pub async fn list_cycles(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<CyclesPage, AppError> {
    visitor.authorise(&Action::ViewAnnualCycles)?;
    let typed = chrono::Datelike::year(&state.today()).to_string();
    cycles_page(&state, &visitor, &typed, &FormErrors::default()).await
}

/// The region's current areas: those a cycle involves.
async fn cycle_areas(state: &AppState) -> Result<Vec<Authority>, AppError> {
    let today = state.today();
    Ok(state
        .store
        .authorities()
        .await?
        .into_iter()
        .filter(|a| a.is_current(today))
        .collect())
}

async fn refuse_start(
    state: &AppState,
    visitor: &Visitor,
    typed: &str,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let page = cycles_page(state, visitor, typed, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn start_cycle(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<StartForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageAnnualCycle)?;
    let year = match parse_cycle_year(&form.year, state.today()) {
        Ok(year) => year,
        Err(problem) => {
            return refuse_start(
                &state,
                &visitor,
                &form.year,
                FormErrors::from_problems([problem]),
            )
            .await;
        }
    };
    let Some(timetable) = CycleTimetable::usual(year) else {
        return Err(AppError::NotFound);
    };
    let areas: Vec<AuthoritySlug> = cycle_areas(&state)
        .await?
        .into_iter()
        .map(|a| a.slug)
        .collect();
    let last_year = state
        .store
        .annual_cycle(year - 1)
        .await?
        .map(|c| c.triads)
        .unwrap_or_default();
    let triads = propose_triads(&areas, &last_year);
    match state
        .store
        .create_annual_cycle(year, timetable, &areas, &triads, principal, Utc::now())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/self-assessment/{year}"))),
        Err(StoreError::Conflict(message)) => {
            let mut errors = FormErrors::default();
            errors.add("year", message);
            refuse_start(&state, &visitor, &form.year, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A triad as the cycle page shows it.
#[derive(Clone, Debug)]
pub struct TriadView {
    pub number: usize,
    pub names: Vec<String>,
    pub explanation: String,
    /// The visitor's own area is in it.
    pub yours: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/self_assessment/cycle.html")]
pub struct CyclePage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    notice: Option<String>,
    title: String,
    timetable: Vec<(&'static str, String)>,
    published: Option<String>,
    may_see_triads: bool,
    triads: Vec<TriadView>,
    /// The co-ordinator's form: a choice of triad per area, until published.
    editor: Vec<Select>,
    may_manage: bool,
    year: i32,
    /// The areas' self-assessments the visitor may open: name, link, where it stands.
    assessments: Vec<(String, String, &'static str)>,
    may_see_heat_map: bool,
}

async fn load_cycle(state: &AppState, year: &str) -> Result<AnnualCycle, AppError> {
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .annual_cycle(year)
        .await?
        .ok_or(AppError::NotFound)
}

async fn cycle_page(
    state: &AppState,
    visitor: &Visitor,
    cycle: &AnnualCycle,
    chosen: Option<&BTreeMap<String, String>>,
    errors: &FormErrors,
    notice: Option<String>,
) -> Result<CyclePage, AppError> {
    let authorities = state.store.authorities().await?;
    let name = |slug: &AuthoritySlug| {
        authorities
            .iter()
            .find(|a| &a.slug == slug)
            .map_or_else(|| slug.to_string(), |a| a.name.clone())
    };
    let last_year = state
        .store
        .annual_cycle(cycle.year - 1)
        .await?
        .map(|c| c.triads)
        .unwrap_or_default();
    let explanations = explain_triads(&cycle.triads, &last_year, &name);
    let may_see_triads = visitor.may(&Action::ViewTriads {
        published: cycle.published_at.is_some(),
    });
    let own: Vec<AuthoritySlug> = visitor
        .principal
        .as_ref()
        .map(|p| p.led_authorities().cloned().collect())
        .unwrap_or_default();
    let triads = cycle
        .triads
        .iter()
        .zip(explanations)
        .enumerate()
        .map(|(i, (group, explanation))| TriadView {
            number: i + 1,
            names: group.iter().map(&name).collect(),
            explanation,
            yours: group.iter().any(|a| own.contains(a)),
        })
        .collect();
    let may_manage = visitor.may(&Action::ManageAnnualCycle) && cycle.published_at.is_none();
    let editor = if may_manage {
        cycle
            .areas
            .iter()
            .map(|area| {
                let field = format!("triad-{area}");
                let current = chosen
                    .and_then(|c| c.get(&field).cloned())
                    .or_else(|| {
                        cycle
                            .triads
                            .iter()
                            .position(|g| g.contains(area))
                            .map(|p| (p + 1).to_string())
                    })
                    .unwrap_or_default();
                Select {
                    id: field.clone(),
                    name: field.clone(),
                    label: name(area),
                    hint: None,
                    error: errors.get(&field),
                    items: (1..=cycle.triads.len().max(1))
                        .map(|n| SelectItem {
                            value: n.to_string(),
                            text: format!("Triad {n}"),
                            selected: current == n.to_string(),
                        })
                        .collect(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut assessments = Vec::new();
    for area in &cycle.areas {
        let latest = state.store.self_assessment(cycle.id, area).await?;
        let submitted = state
            .store
            .self_assessment_versions(cycle.id, area)
            .await?
            .iter()
            .any(|v| v.status != domain::self_assessment_form::SelfAssessmentStatus::Draft);
        let readable = visitor.may(&Action::ReadSelfAssessment {
            area: area.clone(),
            submitted,
            same_triad: crate::pages::self_assessments::same_triad(visitor, cycle, area),
        });
        if readable {
            let stands = match &latest {
                Some(l) if visitor.may(&Action::EditSelfAssessment(area.clone())) => {
                    l.status.label()
                }
                Some(_) => "Submitted",
                None => "Not started",
            };
            assessments.push((
                name(area),
                format!("/self-assessment/{}/areas/{area}", cycle.year),
                stands,
            ));
        }
    }
    let t = cycle.timetable;
    Ok(CyclePage {
        chrome: Chrome::new(visitor, cycle_title(cycle.year), NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        notice,
        title: cycle_title(cycle.year),
        timetable: vec![
            (
                "Self-assessments written",
                format!(
                    "{} to {}",
                    dates::date(t.self_assessment_opens),
                    dates::date(t.self_assessment_due)
                ),
            ),
            (
                "Triad conversations",
                format!(
                    "{} to {}",
                    dates::date(t.conversations_from),
                    dates::date(t.conversations_to)
                ),
            ),
            ("Development plans due", dates::date(t.plans_due)),
        ],
        published: cycle.published_at.map(dates::date_time),
        may_see_triads,
        triads,
        editor,
        may_manage,
        year: cycle.year,
        assessments,
        may_see_heat_map: visitor.may(&Action::ViewSelfAssessmentHeatMap),
    })
}

pub async fn show_cycle(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(year): Path<String>,
) -> Result<CyclePage, AppError> {
    visitor.authorise(&Action::ViewAnnualCycles)?;
    let cycle = load_cycle(&state, &year).await?;
    cycle_page(&state, &visitor, &cycle, None, &FormErrors::default(), None).await
}

pub async fn change_triads(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(year): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageAnnualCycle)?;
    let cycle = load_cycle(&state, &year).await?;
    let count = cycle.triads.len().max(1);
    let mut groups: Vec<Vec<AuthoritySlug>> = vec![Vec::new(); count];
    let mut errors = FormErrors::default();
    for area in &cycle.areas {
        let field = format!("triad-{area}");
        match form
            .get(&field)
            .and_then(|n| n.trim().parse::<usize>().ok())
            .filter(|n| (1..=count).contains(n))
        {
            Some(n) => groups[n - 1].push(area.clone()),
            None => errors.add(field, format!("Choose a triad for {area}")),
        }
    }
    if errors.is_empty() {
        for problem in check_triads(&groups, &cycle.areas) {
            errors.push(problem);
        }
    }
    if errors.is_empty() {
        match state
            .store
            .save_triads(cycle.id, &groups, principal, Utc::now())
            .await
        {
            Ok(()) => return Ok(see_other(&format!("/self-assessment/{}", cycle.year))),
            Err(StoreError::Conflict(message)) => errors.add("triads", message),
            Err(other) => return Err(other.into()),
        }
    }
    let page = cycle_page(&state, &visitor, &cycle, Some(&form), &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn publish_triads(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(year): Path<String>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageAnnualCycle)?;
    let cycle = load_cycle(&state, &year).await?;
    match services::self_assessment::publish_triads(state.scheme(), principal, &cycle, Utc::now())
        .await
    {
        Ok(()) => Ok(see_other(&format!("/self-assessment/{}", cycle.year))),
        Err(services::journey::Refused::Rule(message)) => {
            let page = cycle_page(
                &state,
                &visitor,
                &cycle,
                None,
                &FormErrors::default(),
                Some(message),
            )
            .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(crate::error::refused(other)
            .err()
            .unwrap_or(AppError::Internal("a refusal with no page".to_owned()))),
    }
}
