//! The biennial large-scale challenge's pages: the cycles, a cycle planned and edited by the
//! co-ordinator, and a cycle's page (its priorities, the areas taking part and who opted out,
//! and the pairing as a table and a ring drawn on the server), with the co-ordinator's forms
//! to generate, swap and publish the pairing, move the cycle on and record an opt-out. Each
//! form posts to a `services::biennial` use case; problems come back next to their fields.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::biennial::{
    CycleAnswers, CycleState, KloeDraftAnswers, KloeStatus, MemberAnswers, PRIORITY_SLOTS,
    SupportOfferAnswers, TeamPartner, TriadPairing,
};
use domain::{Action, AuthoritySlug, BiennialKloeId, ProgrammeActivityId, ThemeCode, limits};
use services::biennial::{self as cycles, CommentAnswers, OptOutAnswers, SwapAnswers};
use services::journey::Refused;
use store::BiennialCycle;

use crate::components::{
    CheckboxItem, Checkboxes, ErrorSummary, NotificationBanner, Radios, Select, SelectItem,
    TextInput, Textarea,
};
use crate::error::refused;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::{Chrome, Notice, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

const NAV: &str = "/biennial";

pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/biennial", get(list_cycles)),
        route(Method::GET, "/biennial/new", get(show_new_cycle)),
        route(Method::POST, "/biennial/new", post(create_cycle)),
        route(Method::GET, "/biennial/{id}", get(show_cycle)),
        route(Method::GET, "/biennial/{id}/edit", get(show_edit_cycle)),
        route(Method::POST, "/biennial/{id}/edit", post(update_cycle)),
        route(
            Method::POST,
            "/biennial/{id}/pairing",
            post(generate_pairing),
        ),
        route(Method::POST, "/biennial/{id}/swap", post(swap_pairs)),
        route(
            Method::POST,
            "/biennial/{id}/publish",
            post(publish_pairing),
        ),
        route(Method::POST, "/biennial/{id}/move", post(move_cycle)),
        route(Method::POST, "/biennial/{id}/opt-out", post(opt_out)),
        route(Method::GET, "/biennial/{id}/areas/{slug}", get(show_area)),
        route(
            Method::POST,
            "/biennial/{id}/areas/{slug}/team",
            post(add_member),
        ),
        route(
            Method::POST,
            "/biennial/{id}/areas/{slug}/kloes",
            post(draft_kloe),
        ),
        route(
            Method::POST,
            "/biennial/{id}/areas/{slug}/support",
            post(offer_support),
        ),
        route(
            Method::POST,
            "/biennial/{id}/kloes/{kloe}/comment",
            post(comment_kloe),
        ),
        route(
            Method::POST,
            "/biennial/{id}/kloes/{kloe}/agree",
            post(agree_kloe),
        ),
    ]
}

// ---- The list ----------------------------------------------------------------------------

struct CycleRow {
    href: String,
    year: i32,
    day: String,
    venue: String,
    state: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/biennial/list.html")]
pub struct CyclesPage {
    chrome: Chrome,
    rows: Vec<CycleRow>,
    may_plan: bool,
}

pub async fn list_cycles(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<CyclesPage, AppError> {
    visitor.authorise(&Action::ViewBiennial)?;
    let rows = state
        .store
        .biennial_cycles()
        .await?
        .into_iter()
        .map(|c| CycleRow {
            href: format!("/biennial/{}", c.id),
            year: c.year,
            day: dates::date(c.event_date),
            venue: c.venue,
            state: c.state.label(),
        })
        .collect();
    Ok(CyclesPage {
        chrome: Chrome::new(&visitor, "Biennial peer challenge", NAV),
        rows,
        may_plan: visitor.may(&Action::ManageBiennial),
    })
}

// ---- The details form --------------------------------------------------------------------

struct PrioritySlot {
    title: TextInput,
    themes: Checkboxes,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/biennial/form.html")]
pub struct CycleFormPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    heading: String,
    action: String,
    year: TextInput,
    event_date: TextInput,
    venue: TextInput,
    kloes_due: TextInput,
    actions_due: TextInput,
    priorities: Vec<PrioritySlot>,
    reciprocal: Checkboxes,
    triads: Radios,
    /// Only when a cycle is made: afterwards areas leave by opting out.
    areas: Option<Checkboxes>,
}

/// How the pairing treats the year's triads: no preference until the co-ordinator says.
fn triad_radios(answers: &CycleAnswers, errors: &FormErrors) -> Radios {
    let options: Vec<(&str, &str)> = TriadPairing::ALL
        .iter()
        .map(|choice| (choice.code(), choice.label()))
        .collect();
    let selected = match answers.triads.as_str() {
        "" => TriadPairing::NoPreference.code(),
        code => code,
    };
    let mut radios = Radios::new("triads", "This year's triads", &options, selected)
        .hint("The annual programme's groups of three or four areas, which already challenge each other. A preference is kept where a pairing that keeps the rules allows.")
        .errors(errors);
    radios.legend_classes = Some("govuk-fieldset__legend--s");
    radios
}

fn date_input(name: &str, label: &str, value: &str, errors: &FormErrors) -> TextInput {
    TextInput::new(name, label)
        .hint("For example, 15/10/2026")
        .classes("govuk-input--width-10")
        .value(value)
        .errors(errors)
}

async fn cycle_form(
    state: &AppState,
    visitor: &Visitor,
    existing: Option<ProgrammeActivityId>,
    answers: &CycleAnswers,
    errors: &FormErrors,
) -> Result<CycleFormPage, AppError> {
    let themes = state.store.themes().await?;
    let (heading, action) = match existing {
        None => (
            "Plan a biennial cycle".to_owned(),
            "/biennial/new".to_owned(),
        ),
        Some(id) => (
            "Change the cycle's details".to_owned(),
            format!("/biennial/{id}/edit"),
        ),
    };
    let priorities = (0..PRIORITY_SLOTS)
        .map(|slot| {
            let number = slot + 1;
            let (title, ticked) = answers.slot(slot);
            PrioritySlot {
                title: TextInput::new(&format!("priority_{number}"), &format!("Priority {number}"))
                    .hint(if slot == 0 {
                        "A priority agreed in advance, for example: Transition to adulthood"
                    } else {
                        "Optional"
                    })
                    .limit(limits::TITLE)
                    .value(title)
                    .errors(errors),
                themes: Checkboxes {
                    id_prefix: format!("priority_{number}_themes"),
                    name: format!("priority_{number}_themes"),
                    legend: format!("Practice themes for priority {number}"),
                    legend_classes: Some("govuk-fieldset__legend--s"),
                    hint: Some("Select all that apply.".into()),
                    error: errors.get(&format!("priority_{number}_themes")),
                    items: themes
                        .iter()
                        .map(|theme| CheckboxItem {
                            value: theme.code.as_str().to_owned(),
                            text: theme.label.clone(),
                            hint: None,
                            checked: ticked.iter().any(|t| t == theme.code.as_str()),
                        })
                        .collect(),
                },
            }
        })
        .collect();
    let areas = match existing {
        Some(_) => None,
        None => Some(Checkboxes {
            id_prefix: "areas".into(),
            name: "areas".into(),
            legend: "Areas taking part".into(),
            legend_classes: Some("govuk-fieldset__legend--m"),
            hint: Some("Every area takes part unless it opts out.".into()),
            error: errors.get("areas"),
            items: cycles::region_areas(state.scheme())
                .await
                .map_err(|why| AppError::Internal(why.to_string()))?
                .into_iter()
                .map(|(slug, name)| CheckboxItem {
                    checked: answers.areas.iter().any(|a| a == slug.as_str()),
                    value: slug.to_string(),
                    text: name,
                    hint: None,
                })
                .collect(),
        }),
    };
    Ok(CycleFormPage {
        chrome: Chrome::new(visitor, heading.clone(), NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        heading,
        action,
        year: TextInput::new("year", "Year")
            .classes("govuk-input--width-4")
            .value(&answers.year)
            .errors(errors),
        event_date: date_input(
            "event_date",
            "Day of the event",
            &answers.event_date,
            errors,
        ),
        venue: TextInput::new("venue", "Venue")
            .limit(limits::PLACE)
            .value(&answers.venue)
            .errors(errors),
        kloes_due: date_input("kloes_due", "KLOEs due", &answers.kloes_due, errors),
        actions_due: date_input(
            "actions_due",
            "Agreed actions due",
            &answers.actions_due,
            errors,
        ),
        priorities,
        reciprocal: Checkboxes {
            id_prefix: "reciprocal".into(),
            name: "reciprocal".into(),
            legend: "Reciprocal pairs".into(),
            legend_classes: Some("govuk-fieldset__legend--s"),
            hint: None,
            error: None,
            items: vec![CheckboxItem {
                value: "yes".into(),
                text: "Two areas may challenge each other".into(),
                hint: None,
                checked: answers.reciprocal == "yes",
            }],
        },
        triads: triad_radios(answers, errors),
        areas,
    })
}

pub async fn show_new_cycle(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<CycleFormPage, AppError> {
    visitor.authorise(&Action::ManageBiennial)?;
    let answers = CycleAnswers {
        areas: cycles::region_areas(state.scheme())
            .await
            .map_err(|why| AppError::Internal(why.to_string()))?
            .into_iter()
            .map(|(slug, _)| slug.to_string())
            .collect(),
        ..CycleAnswers::default()
    };
    cycle_form(&state, &visitor, None, &answers, &FormErrors::default()).await
}

/// A use case's refusal as the form's problems: answers next to their fields, anything else
/// against `field`.
fn problems_of(why: Refused, field: &str) -> Result<FormErrors, AppError> {
    Ok(match why {
        Refused::Invalid(problems) => FormErrors::from_problems(problems),
        other => {
            let mut errors = FormErrors::default();
            errors.add(field, refused(other)?);
            errors
        }
    })
}

pub async fn create_cycle(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(answers): Form<CycleAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    match cycles::create_cycle(state.scheme(), principal, &answers, Utc::now()).await {
        Ok(id) => Ok(see_other(&format!("/biennial/{id}?notice=created"))),
        Err(why) => {
            let errors = problems_of(why, "year")?;
            let page = cycle_form(&state, &visitor, None, &answers, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn load(
    state: &AppState,
    visitor: &Visitor,
    id: ProgrammeActivityId,
) -> Result<BiennialCycle, AppError> {
    visitor.authorise(&Action::ViewBiennial)?;
    state
        .store
        .biennial_cycle(id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show_edit_cycle(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<CycleFormPage, AppError> {
    visitor.authorise(&Action::ManageBiennial)?;
    let cycle = load(&state, &visitor, id).await?;
    cycle_form(
        &state,
        &visitor,
        Some(cycle.id),
        &CycleAnswers::of(&cycle.details),
        &FormErrors::default(),
    )
    .await
}

pub async fn update_cycle(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(answers): Form<CycleAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    let cycle = load(&state, &visitor, id).await?;
    match cycles::update_cycle(state.scheme(), principal, cycle.id, &answers, Utc::now()).await {
        Ok(()) => Ok(see_other(&format!("/biennial/{}?notice=updated", cycle.id))),
        Err(why) => {
            let status = match why {
                Refused::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::CONFLICT,
            };
            let errors = problems_of(why, "year")?;
            let page = cycle_form(&state, &visitor, Some(cycle.id), &answers, &errors).await?;
            Ok((status, page).into_response())
        }
    }
}

// ---- The cycle page ----------------------------------------------------------------------

struct PriorityView {
    title: String,
    themes: String,
}

struct PairRow {
    challenger: String,
    challenged: String,
    reason: String,
    overridden: Option<String>,
}

struct OptOutRow {
    area: String,
    reason: String,
}

/// The co-ordinator's forms, each present only when the cycle's state allows it.
struct Planning {
    seed: Option<TextInput>,
    swap: Option<(Select, Select, TextInput)>,
    may_publish: bool,
    next: Option<(&'static str, &'static str)>,
    opt_out: Option<(Select, TextInput)>,
    may_edit: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/biennial/show.html")]
pub struct CyclePage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    id: ProgrammeActivityId,
    title: String,
    state: &'static str,
    day: String,
    venue: String,
    kloes_due: String,
    actions_due: String,
    reciprocal: &'static str,
    triads: &'static str,
    priorities: Vec<PriorityView>,
    /// Each area taking part: its name and its page in this cycle.
    areas: Vec<(String, String)>,
    opt_outs: Vec<OptOutRow>,
    /// The pairing, once there is one the visitor may see (the co-ordinator sees a draft).
    pairs: Vec<PairRow>,
    /// Who offers whom support, for everyone who reads the cycle.
    support: Vec<SupportRow>,
    pairing_is_draft: bool,
    ring: Option<String>,
    planning: Option<Planning>,
    overview: Option<crate::pages::overview_files::OverviewDownloads>,
}

fn area_select(
    id: &str,
    label: &str,
    areas: &[(AuthoritySlug, String)],
    chosen: &str,
    errors: &FormErrors,
) -> Select {
    Select {
        id: id.into(),
        name: id.into(),
        label: label.into(),
        hint: None,
        error: errors.get(id),
        items: std::iter::once(SelectItem {
            value: String::new(),
            text: "Choose an area".into(),
            selected: chosen.is_empty(),
        })
        .chain(areas.iter().map(|(slug, name)| SelectItem {
            value: slug.to_string(),
            text: name.clone(),
            selected: chosen == slug.as_str(),
        }))
        .collect(),
    }
}

/// What the visitor typed into one of the page's forms, kept when it comes back with problems.
#[derive(Default)]
struct Typed {
    seed: String,
    swap: SwapAnswers,
    opt_out: OptOutAnswers,
}

async fn cycle_page(
    state: &AppState,
    visitor: &Visitor,
    cycle: &BiennialCycle,
    notice: &str,
    typed: &Typed,
    errors: &FormErrors,
) -> Result<CyclePage, AppError> {
    let names = state.store.authority_names().await?;
    let name = |slug: &AuthoritySlug| names.get(slug).cloned().unwrap_or_else(|| slug.to_string());
    let theme_labels: BTreeMap<ThemeCode, String> = state
        .store
        .themes()
        .await?
        .into_iter()
        .map(|t| (t.code, t.label))
        .collect();
    let manages = visitor.may(&Action::ManageBiennial);
    let shows_pairing = manages || cycle.state != CycleState::Planning;
    let pairs: Vec<PairRow> = if shows_pairing {
        cycle
            .pairs
            .iter()
            .map(|p| PairRow {
                challenger: name(&p.pair.challenger),
                challenged: name(&p.pair.challenged),
                reason: p.reason.clone(),
                overridden: p.overridden.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let ring = (!pairs.is_empty()).then(|| {
        let order: Vec<&AuthoritySlug> = cycle.areas.iter().collect();
        let index = |slug: &AuthoritySlug| order.iter().position(|a| *a == slug);
        let links: Vec<(usize, usize)> = cycle
            .pairs
            .iter()
            .filter_map(|p| Some((index(&p.pair.challenger)?, index(&p.pair.challenged)?)))
            .collect();
        documents::pairing_ring::pairing_ring(
            "pairing-ring",
            &format!("Who challenges whom in {}", cycle.title),
            &order.iter().map(|slug| name(slug)).collect::<Vec<_>>(),
            &links,
        )
    });
    let taking_part: Vec<(AuthoritySlug, String)> =
        cycle.areas.iter().map(|a| (a.clone(), name(a))).collect();
    let challengers: Vec<(AuthoritySlug, String)> = cycle
        .pairs
        .iter()
        .map(|p| (p.pair.challenger.clone(), name(&p.pair.challenger)))
        .collect();
    let seed_shown = if typed.seed.is_empty() {
        cycle
            .seed
            .unwrap_or(u64::try_from(cycle.details.year).unwrap_or(1))
            .to_string()
    } else {
        typed.seed.clone()
    };
    let planning = manages.then(|| {
        let pairing_open = cycle.state.may_change_pairing();
        Planning {
            seed: pairing_open.then(|| {
                TextInput::new("seed", "Seed")
                    .hint("The same seed and areas always give the same pairing; change it for another draw.")
                    .classes("govuk-input--width-10")
                    .value(&seed_shown)
                    .errors(errors)
            }),
            swap: (pairing_open && !cycle.pairs.is_empty()).then(|| {
                (
                    area_select("first", "This area's team", &challengers, &typed.swap.first, errors),
                    area_select("second", "swaps targets with this area's team", &challengers, &typed.swap.second, errors),
                    TextInput::new("swap_reason", "Reason, if the swap breaks a rule")
                        .hint("Needed only when the swap breaks a rule, such as repeating a pair from the last cycle. It is kept in the audit log.")
                        .limit(limits::SENTENCE)
                        .value(&typed.swap.swap_reason)
                        .errors(errors),
                )
            }),
            may_publish: pairing_open && !cycle.pairs.is_empty(),
            next: cycle
                .state
                .next()
                .filter(|next| *next != CycleState::PairingPublished)
                .map(|next| (next.code(), next.label())),
            opt_out: cycle.state.may_opt_out().then(|| {
                (
                    area_select("area", "Area opting out", &taking_part, &typed.opt_out.area, errors),
                    TextInput::new("opt_out_reason", "Why the area is opting out")
                        .limit(limits::SENTENCE)
                        .value(&typed.opt_out.opt_out_reason)
                        .errors(errors),
                )
            }),
            may_edit: cycle.state.may_edit_details(),
        }
    });
    let banner = match notice {
        "created" => Some("The cycle has been planned"),
        "updated" => Some("The cycle's details have been saved"),
        "paired" => Some("A pairing has been generated"),
        "swapped" => Some("The pairs have been swapped"),
        "published" => Some("The pairing has been published and every area's LA leads emailed"),
        "moved" => Some("The cycle has moved on"),
        "opted-out" => Some("The area has opted out"),
        _ => None,
    }
    .map(NotificationBanner::success);
    let day = |d| dates::date(d);
    Ok(CyclePage {
        chrome: Chrome::new(visitor, cycle.title.clone(), NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: cycle.id,
        title: cycle.title.clone(),
        state: cycle.state.label(),
        day: day(cycle.details.event_date),
        venue: cycle.details.venue.as_str().to_owned(),
        kloes_due: day(cycle.details.kloes_due),
        actions_due: day(cycle.details.actions_due),
        reciprocal: if cycle.details.allow_reciprocal {
            "Allowed"
        } else {
            "Not allowed"
        },
        triads: cycle.details.triads.label(),
        priorities: cycle
            .details
            .priorities
            .iter()
            .map(|p| PriorityView {
                title: p.title.as_str().to_owned(),
                themes: p
                    .themes
                    .iter()
                    .map(|t| {
                        theme_labels
                            .get(t)
                            .cloned()
                            .unwrap_or_else(|| t.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        areas: taking_part
            .into_iter()
            .map(|(slug, n)| (n, format!("/biennial/{}/areas/{slug}", cycle.id)))
            .collect(),
        opt_outs: cycle
            .opt_outs
            .iter()
            .map(|o| OptOutRow {
                area: name(&o.area),
                reason: o.reason.clone(),
            })
            .collect(),
        pairing_is_draft: cycle.state == CycleState::Planning,
        support: support_rows(state, cycle, None, &names).await?,
        pairs,
        ring,
        planning,
        overview: crate::pages::overview_files::cycle_downloads(visitor, cycle),
    })
}

pub async fn show_cycle(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Query(notice): Query<Notice>,
) -> Result<CyclePage, AppError> {
    let cycle = load(&state, &visitor, id).await?;
    cycle_page(
        &state,
        &visitor,
        &cycle,
        &notice.notice,
        &Typed::default(),
        &FormErrors::default(),
    )
    .await
}

/// After a use case: on to the cycle page with its notice, or the page again with the
/// problems next to the form's fields (`field` takes a refusal that names no field).
async fn answer(
    state: &AppState,
    visitor: &Visitor,
    cycle: &BiennialCycle,
    outcome: Result<(), Refused>,
    notice: &str,
    field: &str,
    typed: Typed,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "/biennial/{}?notice={notice}",
            cycle.id
        ))),
        Err(why) => {
            let status = match why {
                Refused::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::CONFLICT,
            };
            let errors = problems_of(why, field)?;
            let page = cycle_page(state, visitor, cycle, "", &typed, &errors).await?;
            Ok((status, page).into_response())
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SeedForm {
    #[serde(default)]
    seed: String,
}

pub async fn generate_pairing(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(form): Form<SeedForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    let cycle = load(&state, &visitor, id).await?;
    let outcome = match form.seed.trim().parse::<u64>() {
        Ok(seed) => {
            cycles::generate_pairing(state.scheme(), principal, &cycle, seed, Utc::now()).await
        }
        Err(_) => Err(Refused::Invalid(vec![domain::forms::FieldProblem::new(
            "seed",
            "Enter the seed as a whole number, like 2026",
        )])),
    };
    let typed = Typed {
        seed: form.seed,
        ..Typed::default()
    };
    answer(&state, &visitor, &cycle, outcome, "paired", "seed", typed).await
}

pub async fn swap_pairs(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(form): Form<SwapAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    let cycle = load(&state, &visitor, id).await?;
    let outcome = cycles::swap_pairs(state.scheme(), principal, &cycle, &form, Utc::now()).await;
    let typed = Typed {
        swap: form,
        ..Typed::default()
    };
    answer(&state, &visitor, &cycle, outcome, "swapped", "first", typed).await
}

pub async fn publish_pairing(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    let cycle = load(&state, &visitor, id).await?;
    let outcome = cycles::publish_pairing(state.scheme(), principal, &cycle, Utc::now()).await;
    answer(
        &state,
        &visitor,
        &cycle,
        outcome,
        "published",
        "publish",
        Typed::default(),
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    to: String,
}

pub async fn move_cycle(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    let cycle = load(&state, &visitor, id).await?;
    let outcome = match CycleState::parse(&form.to) {
        Some(to) => cycles::move_cycle(state.scheme(), principal, &cycle, to, Utc::now()).await,
        None => Err(Refused::Rule(
            "Choose the state to move the cycle to".into(),
        )),
    };
    answer(
        &state,
        &visitor,
        &cycle,
        outcome,
        "moved",
        "move",
        Typed::default(),
    )
    .await
}

pub async fn opt_out(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(form): Form<OptOutAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    let cycle = load(&state, &visitor, id).await?;
    let outcome = cycles::opt_out(state.scheme(), principal, &cycle, &form, Utc::now()).await;
    let typed = Typed {
        opt_out: form,
        ..Typed::default()
    };
    answer(
        &state,
        &visitor,
        &cycle,
        outcome,
        "opted-out",
        "area",
        typed,
    )
    .await
}

// ---- An area's page in a cycle: its team and KLOEs ---------------------------------------

struct MemberRow {
    name: String,
    partner: &'static str,
    team_lead: bool,
}

struct KloeView {
    id: BiennialKloeId,
    question: String,
    priority: String,
    themes: String,
    agreed: bool,
    comment: Option<String>,
    /// The co-ordinator's comment field and agree button, while KLOEs are open.
    review: Option<Textarea>,
    /// Where the challenging area changes its draft, until it is agreed.
    change_href: Option<String>,
}

/// One direction of the pair: the KLOEs `from` asks `to`, as this visitor may see them.
struct KloeSection {
    heading: String,
    kloes: Vec<KloeView>,
    /// Why nothing is shown, when nothing is.
    empty: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/biennial/area.html")]
pub struct AreaPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    cycle_id: ProgrammeActivityId,
    cycle_title: String,
    area: String,
    slug: String,
    challenges: Option<String>,
    challenged_by: Option<String>,
    /// The team, to the area's lead and the co-ordinator.
    team: Option<Vec<MemberRow>>,
    member_form: Option<(TextInput, TextInput, Radios, Checkboxes)>,
    sections: Vec<KloeSection>,
    kloe_form: Option<(Textarea, Radios, Checkboxes)>,
    /// Offers of support from and to this area: everyone who reads the cycle sees who helps whom.
    support: Vec<SupportRow>,
    support_form: Option<(Select, Textarea, TextInput, TextInput)>,
}

struct SupportRow {
    from: String,
    to: String,
    what: String,
    who: String,
    contact: String,
}

#[derive(Default)]
struct AreaTyped {
    member: MemberAnswers,
    kloe: KloeDraftAnswers,
    support: SupportOfferAnswers,
    comment: (Option<BiennialKloeId>, String),
}

#[allow(clippy::too_many_lines)]
async fn area_page(
    state: &AppState,
    visitor: &Visitor,
    cycle: &BiennialCycle,
    area: &AuthoritySlug,
    notice: &str,
    typed: &AreaTyped,
    errors: &FormErrors,
) -> Result<AreaPage, AppError> {
    let names = state.store.authority_names().await?;
    let name = |slug: &AuthoritySlug| names.get(slug).cloned().unwrap_or_else(|| slug.to_string());
    let theme_list = state.store.themes().await?;
    let theme_label = |code: &ThemeCode| {
        theme_list
            .iter()
            .find(|t| &t.code == code)
            .map_or_else(|| code.to_string(), |t| t.label.clone())
    };
    let manages = visitor.may(&Action::ManageBiennial);
    let pairing_seen = manages || cycle.state != CycleState::Planning;
    let target = cycle
        .pairs
        .iter()
        .find(|p| &p.pair.challenger == area)
        .filter(|_| pairing_seen)
        .map(|p| p.pair.challenged.clone());
    let source = cycle
        .pairs
        .iter()
        .find(|p| &p.pair.challenged == area)
        .filter(|_| pairing_seen)
        .map(|p| p.pair.challenger.clone());
    let names_team = visitor.may(&Action::NameBiennialTeam(area.clone()));
    let team = if names_team || manages {
        Some(
            state
                .store
                .biennial_members(cycle.id)
                .await?
                .into_iter()
                .filter(|m| &m.area == area)
                .map(|m| MemberRow {
                    name: m.member.name.as_str().to_owned(),
                    partner: m.member.partner.label(),
                    team_lead: m.member.team_lead,
                })
                .collect(),
        )
    } else {
        None
    };
    let member_form = (names_team && cycle.state.may_name_team() && target.is_some()).then(|| {
        let partners: Vec<(&str, &str)> = TeamPartner::ALL
            .iter()
            .map(|p| (p.code(), p.label()))
            .collect();
        (
            TextInput::new("name", "Full name")
                .autocomplete("off")
                .value(&typed.member.name)
                .errors(errors),
            TextInput::new("email", "Email address")
                .input_type("email")
                .autocomplete("off")
                .spellcheck(false)
                .value(&typed.member.email)
                .errors(errors),
            Radios::new(
                "partner",
                "Which partner they represent",
                &partners,
                &typed.member.partner,
            )
            .errors(errors),
            Checkboxes {
                id_prefix: "team_lead".into(),
                name: "team_lead".into(),
                legend: "Team lead".into(),
                legend_classes: Some("govuk-fieldset__legend--s"),
                hint: None,
                error: None,
                items: vec![CheckboxItem {
                    value: "yes".into(),
                    text: "They lead the team on the day".into(),
                    hint: None,
                    checked: typed.member.team_lead == "yes",
                }],
            },
        )
    });
    let kloes = state.store.biennial_kloes(cycle.id).await?;
    let shared = cycle.state.kloes_shared();
    let open = cycle.state.may_draft_kloes();
    let priority_title = |n: usize| {
        cycle
            .details
            .priorities
            .get(n)
            .map_or_else(String::new, |p| p.title.as_str().to_owned())
    };
    let section = |from: &AuthoritySlug, to: &AuthoritySlug, heading: String| {
        let drafts = visitor.may(&Action::ReadBiennialKloes {
            challenger: from.clone(),
            challenged: to.clone(),
            shared: false,
        });
        let agreed_only = !drafts
            && visitor.may(&Action::ReadBiennialKloes {
                challenger: from.clone(),
                challenged: to.clone(),
                shared,
            });
        let views: Vec<KloeView> = kloes
            .iter()
            .filter(|k| &k.challenger == from)
            .filter(|k| drafts || (agreed_only && k.status == KloeStatus::Agreed))
            .map(|k| KloeView {
                id: k.id,
                question: k.question.clone(),
                priority: priority_title(k.priority),
                themes: k
                    .themes
                    .iter()
                    .map(&theme_label)
                    .collect::<Vec<_>>()
                    .join(", "),
                agreed: k.status == KloeStatus::Agreed,
                change_href: (open
                    && k.status == KloeStatus::Draft
                    && visitor.may(&Action::DraftBiennialKloes(k.challenger.clone())))
                .then(|| format!("/biennial/{}/kloes/{}/edit", cycle.id, k.id)),
                comment: k.comment.clone(),
                review: (manages && open && k.status == KloeStatus::Draft).then(|| {
                    let field = format!("comment-{}", k.id);
                    let value = match &typed.comment {
                        (Some(id), text) if *id == k.id => text.as_str(),
                        _ => k.comment.as_deref().unwrap_or(""),
                    };
                    let mut area =
                        Textarea::new("comment", "Your comment", value).limit(limits::SHORT_NOTE);
                    area.id = field.clone();
                    area.error = errors.get(&field);
                    area.rows = 2;
                    area
                }),
            })
            .collect();
        KloeSection {
            heading,
            empty: if drafts || agreed_only {
                "None yet."
            } else {
                "These are shared with this area at the KLOE deadline."
            },
            kloes: views,
        }
    };
    let mut sections = Vec::new();
    if let Some(to) = &target {
        sections.push(section(
            area,
            to,
            format!("KLOEs {} will ask {}", name(area), name(to)),
        ));
    }
    if let Some(from) = &source {
        sections.push(section(
            from,
            area,
            format!("KLOEs {} will ask {}", name(from), name(area)),
        ));
    }
    let kloe_form =
        (visitor.may(&Action::DraftBiennialKloes(area.clone())) && open && target.is_some())
            .then(|| kloe_fields(cycle, &theme_list, &typed.kloe, errors));
    let support = support_rows(state, cycle, Some(area), &names).await?;
    let support_form = (visitor.may(&Action::OfferBiennialSupport(area.clone()))
        && cycle.state.may_offer_support())
    .then(|| {
        let others: Vec<(AuthoritySlug, String)> = cycle
            .areas
            .iter()
            .filter(|a| *a != area)
            .map(|a| (a.clone(), name(a)))
            .collect();
        (
            area_select("to", "Offer support to", &others, &typed.support.to, errors),
            Textarea::new("what", "What you offer", &typed.support.what)
                .limit(limits::STATEMENT)
                .errors(errors),
            TextInput::new("who", "Who offers it")
                .hint("A service or a role, such as: the SEND quality assurance team")
                .limit(limits::TITLE)
                .value(&typed.support.who)
                .errors(errors),
            TextInput::new("contact", "Contact email address")
                .input_type("email")
                .spellcheck(false)
                .value(&typed.support.contact)
                .errors(errors),
        )
    });
    let banner = match notice {
        "support" => Some("The offer of support has been recorded"),
        "member" => Some("The team member has been added and emailed the event's details"),
        "kloe" => Some("The KLOE has been saved as a draft"),
        "commented" => Some("Your comment has been saved"),
        "agreed" => Some("The KLOE has been agreed"),
        _ => None,
    }
    .map(NotificationBanner::success);
    Ok(AreaPage {
        chrome: Chrome::new(visitor, format!("{} in {}", name(area), cycle.title), NAV)
            .with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        cycle_id: cycle.id,
        cycle_title: cycle.title.clone(),
        area: name(area),
        slug: area.to_string(),
        challenges: target.as_ref().map(&name),
        challenged_by: source.as_ref().map(&name),
        team,
        member_form,
        sections,
        kloe_form,
        support,
        support_form,
    })
}

/// The cycle's offers of support, those from or to `area` when given.
async fn support_rows(
    state: &AppState,
    cycle: &BiennialCycle,
    area: Option<&AuthoritySlug>,
    names: &BTreeMap<AuthoritySlug, String>,
) -> Result<Vec<SupportRow>, AppError> {
    let name = |slug: &AuthoritySlug| names.get(slug).cloned().unwrap_or_else(|| slug.to_string());
    Ok(state
        .store
        .biennial_support_offers(cycle.id)
        .await?
        .into_iter()
        .filter(|o| area.is_none_or(|a| &o.from == a || &o.to == a))
        .map(|o| SupportRow {
            from: name(&o.from),
            to: name(&o.to),
            what: o.what,
            who: o.who,
            contact: o.contact,
        })
        .collect())
}

pub async fn offer_support(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, slug)): Id<(ProgrammeActivityId, String)>,
    Form(form): Form<SupportOfferAnswers>,
) -> Result<Response, AppError> {
    let (cycle, area) = load_area(&state, &visitor, id, &slug).await?;
    let principal = visitor.authorise(&Action::OfferBiennialSupport(area.clone()))?;
    let outcome =
        cycles::offer_support(state.scheme(), principal, &cycle, &area, &form, Utc::now()).await;
    let typed = AreaTyped {
        support: form,
        ..AreaTyped::default()
    };
    area_answer(
        &state,
        &visitor,
        (&cycle, &area),
        outcome,
        ("support", "to"),
        typed,
    )
    .await
}

async fn load_area(
    state: &AppState,
    visitor: &Visitor,
    id: ProgrammeActivityId,
    slug: &str,
) -> Result<(BiennialCycle, AuthoritySlug), AppError> {
    let cycle = load(state, visitor, id).await?;
    let area = AuthoritySlug::parse(slug).map_err(|_| AppError::NotFound)?;
    if !cycle.areas.contains(&area) {
        return Err(AppError::NotFound);
    }
    Ok((cycle, area))
}

pub async fn show_area(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, slug)): Id<(ProgrammeActivityId, String)>,
    Query(notice): Query<Notice>,
) -> Result<AreaPage, AppError> {
    let (cycle, area) = load_area(&state, &visitor, id, &slug).await?;
    area_page(
        &state,
        &visitor,
        &cycle,
        &area,
        &notice.notice,
        &AreaTyped::default(),
        &FormErrors::default(),
    )
    .await
}

/// After an area's use case: on to its page with a notice, or the page again with problems.
async fn area_answer(
    state: &AppState,
    visitor: &Visitor,
    (cycle, area): (&BiennialCycle, &AuthoritySlug),
    outcome: Result<(), Refused>,
    (notice, field): (&str, &str),
    typed: AreaTyped,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "/biennial/{}/areas/{area}?notice={notice}",
            cycle.id
        ))),
        Err(why) => {
            let status = match why {
                Refused::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::CONFLICT,
            };
            let errors = problems_of(why, field)?;
            let page = area_page(state, visitor, cycle, area, "", &typed, &errors).await?;
            Ok((status, page).into_response())
        }
    }
}

pub async fn add_member(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, slug)): Id<(ProgrammeActivityId, String)>,
    Form(form): Form<MemberAnswers>,
) -> Result<Response, AppError> {
    let (cycle, area) = load_area(&state, &visitor, id, &slug).await?;
    let principal = visitor.authorise(&Action::NameBiennialTeam(area.clone()))?;
    let outcome =
        cycles::add_member(state.scheme(), principal, &cycle, &area, &form, Utc::now()).await;
    let typed = AreaTyped {
        member: form,
        ..AreaTyped::default()
    };
    area_answer(
        &state,
        &visitor,
        (&cycle, &area),
        outcome,
        ("member", "name"),
        typed,
    )
    .await
}

pub async fn draft_kloe(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, slug)): Id<(ProgrammeActivityId, String)>,
    Form(form): Form<KloeDraftAnswers>,
) -> Result<Response, AppError> {
    let (cycle, area) = load_area(&state, &visitor, id, &slug).await?;
    let principal = visitor.authorise(&Action::DraftBiennialKloes(area.clone()))?;
    let outcome = cycles::draft_kloe(state.scheme(), principal, &cycle, &area, &form, Utc::now())
        .await
        .map(|_| ());
    let typed = AreaTyped {
        kloe: form,
        ..AreaTyped::default()
    };
    area_answer(
        &state,
        &visitor,
        (&cycle, &area),
        outcome,
        ("kloe", "question"),
        typed,
    )
    .await
}

/// The KLOE `kloe` of the cycle, with the area that drafted it.
async fn load_kloe(
    state: &AppState,
    visitor: &Visitor,
    id: ProgrammeActivityId,
    kloe: BiennialKloeId,
) -> Result<(BiennialCycle, BiennialKloeId, AuthoritySlug), AppError> {
    let cycle = load(state, visitor, id).await?;
    let challenger = state
        .store
        .biennial_kloes(cycle.id)
        .await?
        .into_iter()
        .find(|k| k.id == kloe)
        .map(|k| k.challenger);
    // A KLOE that does not exist is refused by the store with the cycle's state in mind; the
    // page shown back is the cycle's first area's.
    let area = challenger
        .or_else(|| cycle.areas.first().cloned())
        .ok_or(AppError::NotFound)?;
    Ok((cycle, kloe, area))
}

pub async fn comment_kloe(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, kloe)): Id<(ProgrammeActivityId, BiennialKloeId)>,
    Form(form): Form<CommentAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    let (cycle, kloe, area) = load_kloe(&state, &visitor, id, kloe).await?;
    let outcome = cycles::comment_kloe(state.scheme(), principal, &cycle, kloe, &form, Utc::now())
        .await
        .map_err(|why| match why {
            Refused::Invalid(problems) => Refused::Invalid(
                problems
                    .into_iter()
                    .map(|p| domain::forms::FieldProblem::new(format!("comment-{kloe}"), p.message))
                    .collect(),
            ),
            other => other,
        });
    let typed = AreaTyped {
        comment: (Some(kloe), form.comment),
        ..AreaTyped::default()
    };
    let field = format!("comment-{kloe}");
    area_answer(
        &state,
        &visitor,
        (&cycle, &area),
        outcome,
        ("commented", &field),
        typed,
    )
    .await
}

pub async fn agree_kloe(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, kloe)): Id<(ProgrammeActivityId, BiennialKloeId)>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageBiennial)?;
    let (cycle, kloe, area) = load_kloe(&state, &visitor, id, kloe).await?;
    let outcome = cycles::agree_kloe(state.scheme(), principal, &cycle, kloe, Utc::now()).await;
    let field = format!("comment-{kloe}");
    area_answer(
        &state,
        &visitor,
        (&cycle, &area),
        outcome,
        ("agreed", &field),
        AreaTyped::default(),
    )
    .await
}

/// A KLOE's fields as typed: the question, its priority and its themes; for a new draft on
/// the area's page and a change to one (`biennial_kloe_edit`).
pub(crate) fn kloe_fields(
    cycle: &BiennialCycle,
    theme_list: &[store::Theme],
    typed: &KloeDraftAnswers,
    errors: &FormErrors,
) -> (Textarea, Radios, Checkboxes) {
    let priorities: Vec<(String, String)> = cycle
        .details
        .priorities
        .iter()
        .enumerate()
        .map(|(n, p)| ((n + 1).to_string(), p.title.as_str().to_owned()))
        .collect();
    let options: Vec<(&str, &str)> = priorities
        .iter()
        .map(|(v, t)| (v.as_str(), t.as_str()))
        .collect();
    (
        Textarea::new("question", "Key line of enquiry", &typed.question)
            .hint("A question your team will pursue with the area it challenges.")
            .limit(limits::STATEMENT)
            .errors(errors),
        Radios::new(
            "priority",
            "The priority it is about",
            &options,
            &typed.priority,
        )
        .errors(errors),
        Checkboxes {
            id_prefix: "themes".into(),
            name: "themes".into(),
            legend: "Practice themes".into(),
            legend_classes: Some("govuk-fieldset__legend--s"),
            hint: Some("Select all that apply.".into()),
            error: errors.get("themes"),
            items: theme_list
                .iter()
                .map(|t| CheckboxItem {
                    value: t.code.as_str().to_owned(),
                    text: t.label.clone(),
                    hint: None,
                    checked: typed.themes.iter().any(|x| x == t.code.as_str()),
                })
                .collect(),
        },
    )
}
