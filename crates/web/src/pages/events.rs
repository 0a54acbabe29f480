//! Thematic events under `/events`: the list, the co-ordinator's form to create and change an
//! event, each event's page with its moves (POST forms), and the nominations page: an LA
//! lead names and withdraws their own area's officers; the co-ordinator sees who comes from
//! where, which areas have named nobody, and reminds them.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::challenge::KloeAnswers;
use domain::events::{
    EventAnswers, EventFormat, EventState, NominationAnswers, Organisation, Place,
};
use domain::ids::NominationId;
use domain::{Action, AuthoritySlug, ProgrammeActivityId};
use services::events as use_cases;
use services::journey::Refused;
use services::{event_next_steps, event_nominations};
use store::ThematicEvent;

use crate::components::{
    CheckboxItem, Checkboxes, ErrorSummary, Radios, Select, SelectItem, TextInput, Textarea,
};
use crate::error::refused;
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::{Chrome, Notice, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

pub(crate) const NAV: &str = "/events";

pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/events", get(list_events)),
        route(Method::GET, "/events/new", get(show_new_event)),
        route(Method::POST, "/events/new", post(create_event)),
        route(Method::GET, "/events/{id}", get(show_event)),
        route(Method::GET, "/events/{id}/edit", get(show_edit_event)),
        route(Method::POST, "/events/{id}/edit", post(update_event)),
        route(Method::POST, "/events/{id}/move", post(move_event)),
        route(
            Method::GET,
            "/events/{id}/nominations",
            get(show_nominations),
        ),
        route(Method::POST, "/events/{id}/nominations", post(nominate)),
        route(
            Method::POST,
            "/events/{id}/nominations/{nomination}/withdraw",
            post(withdraw),
        ),
        route(Method::POST, "/events/{id}/remind", post(remind_areas)),
        route(Method::GET, "/events/{id}/kloes", get(show_kloes)),
        route(
            Method::POST,
            "/events/{id}/attendance",
            post(record_attendance),
        ),
        route(Method::GET, "/events/{id}/overview", get(show_overview)),
        route(Method::POST, "/events/{id}/overview", post(save_overview)),
        route(
            Method::GET,
            "/events/{id}/breakouts.csv",
            get(download_breakouts),
        ),
        route(Method::POST, "/events/{id}/kloes", post(save_kloes)),
        route(
            Method::GET,
            "/events/{id}/next-steps/{area}",
            get(show_next_steps),
        ),
        route(
            Method::GET,
            "/events/{id}/next-steps/{area}/template.xlsx",
            get(download_next_steps),
        ),
        route(
            Method::POST,
            "/events/{id}/next-steps/{area}/upload",
            post(upload_next_steps).layer(axum::extract::DefaultBodyLimit::max(
                plan_max_bytes() + 64 * 1024,
            )),
        ),
    ]
}

fn state_tag(state: EventState) -> &'static str {
    match state {
        EventState::Draft => "govuk-tag--grey",
        EventState::Open | EventState::KloesShared => "govuk-tag--blue",
        EventState::Held | EventState::Returns => "govuk-tag--yellow",
        EventState::OverviewPublished | EventState::Closed => "govuk-tag--green",
        EventState::Cancelled => "govuk-tag--red",
    }
}

fn time_span(event: &ThematicEvent) -> String {
    format!(
        "{} to {}",
        event.details.starts.format("%H:%M"),
        event.details.ends.format("%H:%M")
    )
}

/// An event the visitor may read (`ViewEvents`); also for its files' page module.
pub(crate) async fn load(
    state: &AppState,
    visitor: &Visitor,
    id: ProgrammeActivityId,
) -> Result<ThematicEvent, AppError> {
    visitor.authorise(&Action::ViewEvents)?;
    state.store.event(id).await?.ok_or(AppError::NotFound)
}

// The list.

struct EventRow {
    href: String,
    title: String,
    date: String,
    format: &'static str,
    state: &'static str,
    tag: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/events/list.html")]
pub struct EventsPage {
    chrome: Chrome,
    rows: Vec<EventRow>,
    may_create: bool,
}

pub async fn list_events(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<EventsPage, AppError> {
    visitor.authorise(&Action::ViewEvents)?;
    let rows = state
        .store
        .events()
        .await?
        .into_iter()
        .map(|event| EventRow {
            href: format!("/events/{}", event.id),
            title: event.details.title.to_string(),
            date: crate::dates::date(event.details.date),
            format: event.details.place.format().label(),
            state: event.state.label(),
            tag: state_tag(event.state),
        })
        .collect();
    Ok(EventsPage {
        chrome: Chrome::new(&visitor, "Thematic events", NAV),
        rows,
        may_create: visitor.may(&Action::ManageEvents),
    })
}

// The form to create or change an event.

#[derive(Template, WebTemplate)]
#[template(path = "pages/events/form.html")]
pub struct EventFormPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    heading: &'static str,
    action: String,
    back: String,
    title: TextInput,
    theme: Select,
    topic: Textarea,
    date: TextInput,
    starts: TextInput,
    ends: TextInput,
    format: Radios,
    venue: TextInput,
    address: Textarea,
    accessibility: Textarea,
    joining_link: TextInput,
    facilitator: TextInput,
    capacity: TextInput,
    nominations_close: TextInput,
    returns_due: TextInput,
}

async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    existing: Option<&ThematicEvent>,
    answers: &EventAnswers,
    errors: &FormErrors,
) -> Result<EventFormPage, AppError> {
    let themes = state.store.themes().await?;
    let mut theme_items = vec![SelectItem {
        value: String::new(),
        text: "Choose an area of practice".into(),
        selected: answers.theme.is_empty(),
    }];
    theme_items.extend(themes.into_iter().map(|theme| SelectItem {
        selected: theme.code.as_str() == answers.theme,
        value: theme.code.to_string(),
        text: theme.label,
    }));
    let date_hint = "For example, 14/03/2027";
    let limits = domain::limits::TITLE;
    let formats: Vec<(&str, &str)> = EventFormat::ALL
        .iter()
        .map(|f| (f.code(), f.label()))
        .collect();
    let (heading, action, back) = match existing {
        Some(event) => (
            "Change the event",
            format!("/events/{}/edit", event.id),
            format!("/events/{}", event.id),
        ),
        None => (
            "Create a thematic event",
            "/events/new".into(),
            "/events".into(),
        ),
    };
    Ok(EventFormPage {
        chrome: Chrome::new(visitor, heading, NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        heading,
        action,
        back,
        title: TextInput::new("title", "Title")
            .limit(limits)
            .value(&answers.title)
            .errors(errors),
        theme: Select {
            id: "theme".into(),
            name: "theme".into(),
            label: "Area of practice".into(),
            hint: Some("An event focuses on one area of practice.".into()),
            error: errors.get("theme"),
            items: theme_items,
        },
        topic: Textarea::new("topic", "Topic", &answers.topic)
            .hint("What the event will look at, for the areas to choose who comes.")
            .limit(domain::limits::STATEMENT)
            .errors(errors),
        date: TextInput::new("date", "Date of the event")
            .hint(date_hint)
            .classes("govuk-input--width-10")
            .value(&answers.date)
            .errors(errors),
        starts: TextInput::new("starts", "Start time")
            .hint("For example, 10:00")
            .classes("govuk-input--width-5")
            .value(&answers.starts)
            .errors(errors),
        ends: TextInput::new("ends", "End time")
            .hint("An event lasts at most 3 hours.")
            .classes("govuk-input--width-5")
            .value(&answers.ends)
            .errors(errors),
        format: Radios::new("format", "Where is it?", &formats, &answers.format).errors(errors),
        venue: TextInput::new("venue", "Venue (face to face)")
            .value(&answers.venue)
            .errors(errors),
        address: Textarea::new("address", "Address (face to face)", &answers.address)
            .errors(errors),
        accessibility: Textarea::new(
            "accessibility",
            "Accessibility notes (face to face, optional)",
            &answers.accessibility,
        )
        .hint("Step-free access, parking, hearing loops, quiet rooms.")
        .errors(errors),
        joining_link: TextInput::new("joining_link", "Joining link (online)")
            .hint("A web address starting https://")
            .input_type("url")
            .spellcheck(false)
            .value(&answers.joining_link)
            .errors(errors),
        facilitator: TextInput::new("facilitator", "Facilitator")
            .value(&answers.facilitator)
            .errors(errors),
        capacity: TextInput::new("capacity", "Places per area")
            .hint("How many officers each area may name, besides a deputy.")
            .classes("govuk-input--width-3")
            .value(&answers.capacity)
            .errors(errors),
        nominations_close: TextInput::new("nominations_close", "Nominations close on")
            .hint("Before the day of the event.")
            .classes("govuk-input--width-10")
            .value(&answers.nominations_close)
            .errors(errors),
        returns_due: TextInput::new("returns_due", "Next steps due on")
            .hint("After the event: when each area returns its next steps.")
            .classes("govuk-input--width-10")
            .value(&answers.returns_due)
            .errors(errors),
    })
}

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

pub async fn show_new_event(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<EventFormPage, AppError> {
    visitor.authorise(&Action::ManageEvents)?;
    form_page(
        &state,
        &visitor,
        None,
        &EventAnswers::default(),
        &FormErrors::default(),
    )
    .await
}

pub async fn create_event(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(answers): Form<EventAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?;
    let today = state.today();
    match use_cases::create_event(state.scheme(), principal, &answers, today, Utc::now()).await {
        Ok(id) => Ok(see_other(&format!("/events/{id}"))),
        Err(why) => {
            let errors = problems_of(why, "title")?;
            let page = form_page(&state, &visitor, None, &answers, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn show_edit_event(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ManageEvents)?;
    let event = load(&state, &visitor, id).await?;
    if !event.state.may_edit() {
        return Ok(see_other(&format!("/events/{}", event.id)));
    }
    let answers = event.details.answers();
    Ok(form_page(
        &state,
        &visitor,
        Some(&event),
        &answers,
        &FormErrors::default(),
    )
    .await?
    .into_response())
}

pub async fn update_event(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(answers): Form<EventAnswers>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?;
    let event = load(&state, &visitor, id).await?;
    let today = state.today();
    match use_cases::update_event(
        state.scheme(),
        principal,
        &event,
        &answers,
        today,
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("/events/{}", event.id))),
        Err(why) => {
            let errors = problems_of(why, "title")?;
            let page = form_page(&state, &visitor, Some(&event), &answers, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

// The event's page.

struct Detail {
    key: &'static str,
    value: String,
}

struct MoveButton {
    to: &'static str,
    label: &'static str,
    warning: bool,
}

struct AreaCount {
    area: String,
    named: usize,
    deputies: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/events/show.html")]
pub struct EventPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    notice: Option<String>,
    id: ProgrammeActivityId,
    title: String,
    state: &'static str,
    tag: &'static str,
    details: Vec<Detail>,
    joining_link: Option<String>,
    may_edit: bool,
    moves: Vec<MoveButton>,
    /// Where the visitor names or sees nominations, if they may.
    nominations_href: Option<String>,
    counts: Vec<AreaCount>,
    overview: Option<crate::pages::overview_files::OverviewDownloads>,
}

async fn event_page(
    state: &AppState,
    visitor: &Visitor,
    event: &ThematicEvent,
    notice: Option<String>,
    errors: &FormErrors,
) -> Result<EventPage, AppError> {
    let d = &event.details;
    let view =
        event_nominations::event_view(&state.store, visitor.principal.as_ref(), event).await?;
    let theme = view.theme;
    let mut details = vec![
        Detail {
            key: "Area of practice",
            value: theme,
        },
        Detail {
            key: "Topic",
            value: d.topic.to_string(),
        },
        Detail {
            key: "Date",
            value: crate::dates::date(d.date),
        },
        Detail {
            key: "Time",
            value: time_span(event),
        },
        Detail {
            key: "Format",
            value: d.place.format().label().to_owned(),
        },
    ];
    let mut joining_link = None;
    match &d.place {
        Place::FaceToFace {
            venue,
            address,
            accessibility,
        } => {
            details.push(Detail {
                key: "Venue",
                value: format!("{venue}, {}", address.as_str().replace('\n', ", ")),
            });
            if !accessibility.is_empty() {
                details.push(Detail {
                    key: "Accessibility",
                    value: accessibility.to_string(),
                });
            }
        }
        Place::Online { joining_link: link } => joining_link = Some(link.clone()),
    }
    details.extend([
        Detail {
            key: "Facilitator",
            value: d.facilitator.to_string(),
        },
        Detail {
            key: "Places per area",
            value: d.capacity.to_string(),
        },
        Detail {
            key: "Nominations close",
            value: crate::dates::date(d.nominations_close),
        },
        Detail {
            key: "Next steps due",
            value: crate::dates::date(d.returns_due),
        },
    ]);
    let mut moves = Vec::new();
    if let Some(next) = view.next_move {
        moves.push(MoveButton {
            to: next.code(),
            label: next.move_label(),
            warning: false,
        });
    }
    if view.may_cancel {
        moves.push(MoveButton {
            to: EventState::Cancelled.code(),
            label: EventState::Cancelled.move_label(),
            warning: true,
        });
    }
    // How many each area has named: numbers only, for everyone who reads the event.
    let counts = view
        .counts
        .into_iter()
        .map(|count| AreaCount {
            area: count.area,
            named: count.named,
            deputies: count.deputies,
        })
        .collect();
    Ok(EventPage {
        chrome: Chrome::new(visitor, d.title.to_string(), NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        notice,
        id: event.id,
        title: d.title.to_string(),
        state: event.state.label(),
        tag: state_tag(event.state),
        details,
        joining_link,
        may_edit: view.manages && event.state.may_edit(),
        moves,
        nominations_href: view
            .may_see_nominations
            .then(|| format!("/events/{}/nominations", event.id)),
        counts,
        overview: crate::pages::overview_files::event_downloads(visitor, event),
    })
}

pub async fn show_event(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    axum::extract::Query(notice): axum::extract::Query<Notice>,
) -> Result<EventPage, AppError> {
    let event = load(&state, &visitor, id).await?;
    let notice = match notice.notice.as_str() {
        "reminded" => Some("The areas that have named nobody have been reminded".to_owned()),
        _ => None,
    };
    event_page(&state, &visitor, &event, notice, &FormErrors::default()).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    to: String,
}

pub async fn move_event(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?;
    let event = load(&state, &visitor, id).await?;
    let outcome = match EventState::parse(&form.to) {
        Some(to) => use_cases::move_event(state.scheme(), principal, &event, to, Utc::now()).await,
        None => Err(Refused::Rule("Choose where to move the event".into())),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/events/{}", event.id))),
        Err(why) => {
            let status = if matches!(why, Refused::Rule(_)) && EventState::parse(&form.to).is_some()
            {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let errors = problems_of(why, "moves")?;
            let page = event_page(&state, &visitor, &event, None, &errors).await?;
            Ok((status, page).into_response())
        }
    }
}

// Nominations.

struct NomineeRow {
    id: NominationId,
    name: String,
    role: String,
    organisation: &'static str,
    email: String,
    deputy: bool,
    attended: Option<bool>,
}

struct AreaSection {
    area: String,
    caption_id: String,
    rows: Vec<NomineeRow>,
    named: usize,
    may_withdraw: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/events/nominations.html")]
pub struct NominationsPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: ProgrammeActivityId,
    title: String,
    date: String,
    capacity: u32,
    close: String,
    open: bool,
    sections: Vec<AreaSection>,
    /// The co-ordinator's view: areas that have named nobody, and the remind form.
    manages: bool,
    missing: Vec<String>,
    /// The co-ordinator records attendance once the event has been held.
    attendance: bool,
    /// The form, while nominations are open, for those who may name someone.
    area_choice: Option<Select>,
    area_fixed: Option<(String, String)>,
    name: TextInput,
    role: TextInput,
    organisation: Radios,
    email: TextInput,
    deputy: Checkboxes,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NominationForm {
    #[serde(default)]
    area: String,
    #[serde(flatten)]
    answers: NominationAnswers,
}

async fn nominations_page(
    state: &AppState,
    visitor: &Visitor,
    event: &ThematicEvent,
    form: &NominationForm,
    errors: &FormErrors,
) -> Result<NominationsPage, AppError> {
    let view = event_nominations::nominations_view(
        &state.store,
        visitor.principal.as_ref(),
        event,
        state.today(),
    )
    .await?;
    let sections = view
        .sections
        .into_iter()
        .enumerate()
        .map(|(index, section)| AreaSection {
            area: section.name,
            caption_id: format!("area-{index}"),
            named: section.named,
            rows: section
                .nominations
                .into_iter()
                .map(|n| NomineeRow {
                    id: n.id,
                    name: n.nominee.name.to_string(),
                    role: n.nominee.role.to_string(),
                    organisation: n.nominee.organisation.label(),
                    email: n.nominee.email.to_string(),
                    deputy: n.nominee.deputy,
                    attended: n.attended,
                })
                .collect(),
            may_withdraw: section.may_withdraw,
        })
        .collect();
    let (area_choice, area_fixed) = match view.naming.as_slice() {
        [(only, name)] => (None, Some((only.to_string(), name.clone()))),
        many => {
            let mut items = vec![SelectItem {
                value: String::new(),
                text: "Choose an area".into(),
                selected: form.area.is_empty(),
            }];
            items.extend(many.iter().map(|(area, name)| SelectItem {
                value: area.to_string(),
                text: name.clone(),
                selected: area.as_str() == form.area,
            }));
            (
                Some(Select {
                    id: "area".into(),
                    name: "area".into(),
                    label: "Area".into(),
                    hint: None,
                    error: errors.get("area"),
                    items,
                }),
                None,
            )
        }
    };
    let organisations: Vec<(&str, &str)> = Organisation::ALL
        .iter()
        .map(|o| (o.code(), o.label()))
        .collect();
    let a = &form.answers;
    Ok(NominationsPage {
        chrome: Chrome::new(
            visitor,
            format!("Nominations: {}", event.details.title),
            NAV,
        )
        .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: event.id,
        title: event.details.title.to_string(),
        date: crate::dates::date(event.details.date),
        capacity: event.details.capacity,
        close: crate::dates::date(event.details.nominations_close),
        open: view.open,
        sections,
        attendance: view.attendance,
        manages: view.manages,
        missing: view.missing,
        area_choice,
        area_fixed,
        name: TextInput::new("name", "Full name")
            .autocomplete("off")
            .value(&a.name)
            .errors(errors),
        role: TextInput::new("role", "Role")
            .hint("For example, Head of SEND or Designated Clinical Officer")
            .value(&a.role)
            .errors(errors),
        organisation: Radios::new(
            "organisation",
            "Organisation",
            &organisations,
            &a.organisation,
        )
        .errors(errors),
        email: TextInput::new("email", "Email address")
            .hint("Their confirmation, the KLOEs and reminders go here. They need no account.")
            .input_type("email")
            .spellcheck(false)
            .value(&a.email)
            .errors(errors),
        deputy: Checkboxes {
            id_prefix: "deputy".into(),
            name: "deputy".into(),
            legend: "Deputy".into(),
            legend_classes: Some("govuk-fieldset__legend--s"),
            hint: Some("A deputy comes if a named officer cannot, and takes no place.".into()),
            error: None,
            items: vec![CheckboxItem {
                value: "yes".into(),
                text: "This person is the area's deputy".into(),
                hint: None,
                checked: a.deputy == "yes",
            }],
        },
    })
}

pub async fn show_nominations(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<NominationsPage, AppError> {
    let event = load(&state, &visitor, id).await?;
    nominations_page(
        &state,
        &visitor,
        &event,
        &NominationForm::default(),
        &FormErrors::default(),
    )
    .await
}

pub async fn nominate(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(form): Form<NominationForm>,
) -> Result<Response, AppError> {
    let event = load(&state, &visitor, id).await?;
    let principal = visitor.authorise(&Action::ViewEvents)?;
    let naming: Vec<AuthoritySlug> = event
        .areas
        .iter()
        .filter(|area| visitor.may(&Action::NominateForEvent((*area).clone())))
        .cloned()
        .collect();
    if naming.is_empty() {
        return Err(AppError::Forbidden);
    }
    // A lead of one area names for it; anyone else chooses among theirs.
    let area = match naming.as_slice() {
        [only] => Some(only.clone()),
        _ => naming.iter().find(|a| a.as_str() == form.area).cloned(),
    };
    let errors = match area {
        None => {
            let mut errors = FormErrors::default();
            errors.add("area", "Choose the area naming this person");
            if let Err(problems) = form.answers.check() {
                for problem in problems {
                    errors.push(problem);
                }
            }
            errors
        }
        Some(area) => {
            match use_cases::nominate(
                state.scheme(),
                principal,
                &event,
                &area,
                &form.answers,
                state.today(),
                Utc::now(),
            )
            .await
            {
                Ok(_) => return Ok(see_other(&format!("/events/{}/nominations", event.id))),
                Err(why) => problems_of(why, "name")?,
            }
        }
    };
    let page = nominations_page(&state, &visitor, &event, &form, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, nomination_id)): Id<(ProgrammeActivityId, NominationId)>,
) -> Result<Response, AppError> {
    let event = load(&state, &visitor, id).await?;
    let nomination = state
        .store
        .nomination(nomination_id)
        .await?
        .filter(|n| n.event == event.id)
        .ok_or(AppError::NotFound)?;
    let principal = visitor.authorise(&Action::NominateForEvent(nomination.area.clone()))?;
    let outcome = use_cases::withdraw(
        state.scheme(),
        principal,
        &nomination,
        state.today(),
        Utc::now(),
    )
    .await;
    back_to_nominations(&state, &visitor, &event, outcome).await
}

/// After a change on the nominations page: back to it, or the page again with the refusal.
async fn back_to_nominations(
    state: &AppState,
    visitor: &Visitor,
    event: &ThematicEvent,
    outcome: Result<(), Refused>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(see_other(&format!("/events/{}/nominations", event.id))),
        Err(why) => {
            let errors = problems_of(why, "name")?;
            let page = nominations_page(state, visitor, event, &NominationForm::default(), &errors)
                .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

pub async fn remind_areas(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?;
    let event = load(&state, &visitor, id).await?;
    match use_cases::remind_areas(state.scheme(), principal, &event, Utc::now()).await {
        Ok(_) => Ok(see_other(&format!("/events/{}?notice=reminded", event.id))),
        Err(why) => {
            let errors = problems_of(why, "moves")?;
            let page = event_page(&state, &visitor, &event, None, &errors).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}

// Key lines of enquiry.

/// The KLOE slots and sharing date as posted: `kloe_N`, `kloe_N_themes` (repeated) and
/// `share_on`.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct KloesForm {
    #[serde(default)]
    kloe_1: String,
    #[serde(default)]
    kloe_2: String,
    #[serde(default)]
    kloe_3: String,
    #[serde(default)]
    kloe_1_themes: Vec<String>,
    #[serde(default)]
    kloe_2_themes: Vec<String>,
    #[serde(default)]
    kloe_3_themes: Vec<String>,
    #[serde(default)]
    share_on: String,
}

impl KloesForm {
    fn answers(&self) -> KloeAnswers {
        KloeAnswers {
            questions: [
                self.kloe_1.clone(),
                self.kloe_2.clone(),
                self.kloe_3.clone(),
            ],
            themes: [
                self.kloe_1_themes.clone(),
                self.kloe_2_themes.clone(),
                self.kloe_3_themes.clone(),
            ],
        }
    }
}

struct KloeSlot {
    question: Textarea,
    themes: Checkboxes,
    /// The themes start shown when any is ticked or in error, so nothing is hidden.
    open: bool,
}

struct VersionView {
    heading: String,
    kloes: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/events/kloes.html")]
pub struct KloesPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: ProgrammeActivityId,
    title: String,
    versions: Vec<VersionView>,
    /// The co-ordinator's form, while the KLOEs may change.
    slots: Vec<KloeSlot>,
    share_on: Option<TextInput>,
    shared_already: bool,
    /// The pre-reading files sent with the KLOEs.
    documents: crate::pages::event_documents::DocumentsSection,
}

pub(crate) async fn kloes_page(
    state: &AppState,
    visitor: &Visitor,
    event: &ThematicEvent,
    form: Option<&KloesForm>,
    errors: &FormErrors,
) -> Result<KloesPage, AppError> {
    let manages = visitor.may(&Action::ManageEvents);
    let themes: Vec<(domain::ThemeCode, String)> = state
        .store
        .themes()
        .await?
        .into_iter()
        .map(|t| (t.code, t.label))
        .collect();
    let label_of = |code: &domain::ThemeCode| {
        themes
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_string(), |(_, l)| l.clone())
    };
    let versions = state.store.event_kloes(event.id).await?;
    let shared_already = versions.iter().any(|v| v.shared_at.is_some());
    let views = versions
        .iter()
        // Only the co-ordinator sees a draft: the rest read what the nominees were sent.
        .filter(|v| manages || v.shared_at.is_some())
        .map(|v| VersionView {
            heading: match v.shared_at {
                Some(at) => format!(
                    "Version {}, shared {}",
                    v.version,
                    crate::dates::date_time(at)
                ),
                None => format!("Draft, to be shared on {}", crate::dates::date(v.share_on)),
            },
            kloes: v
                .kloes
                .iter()
                .map(|k| {
                    (
                        k.question.clone(),
                        k.themes
                            .iter()
                            .map(&label_of)
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                })
                .collect(),
        })
        .collect();
    let may_change = manages
        && matches!(
            event.state,
            EventState::Draft | EventState::Open | EventState::KloesShared
        );
    let (answers, share_on) = match form {
        Some(form) => (form.answers(), form.share_on.clone()),
        None => match versions.first() {
            Some(latest) => (
                KloeAnswers::from_kloes(&latest.kloes),
                latest.share_on.format("%d/%m/%Y").to_string(),
            ),
            None => (KloeAnswers::default(), String::new()),
        },
    };
    let slots = if may_change {
        (0..domain::challenge::KLOE_SLOTS)
            .map(|slot| {
                let number = slot + 1;
                let mut question = Textarea::new(
                    &format!("kloe_{number}"),
                    &format!("KLOE {number}"),
                    &answers.questions[slot],
                )
                .hint("A question for the areas, for example: How well do partners plan the move to adult health services?")
                .errors(errors);
                question.rows = 3;
                KloeSlot {
                    question,
                    open: !answers.themes[slot].is_empty()
                        || errors.get(&format!("kloe_{number}_themes")).is_some(),
                    themes: Checkboxes {
                        id_prefix: format!("kloe_{number}_themes"),
                        name: format!("kloe_{number}_themes"),
                        legend: format!("Practice themes for KLOE {number}"),
                        legend_classes: Some("govuk-fieldset__legend--s"),
                        hint: Some("Select all that apply.".into()),
                        error: errors.get(&format!("kloe_{number}_themes")),
                        items: themes
                            .iter()
                            .map(|(code, label)| CheckboxItem {
                                value: code.as_str().to_owned(),
                                text: label.clone(),
                                hint: None,
                                checked: answers.themes[slot].iter().any(|t| t == code.as_str()),
                            })
                            .collect(),
                    },
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(KloesPage {
        chrome: Chrome::new(visitor, format!("KLOEs: {}", event.details.title), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: event.id,
        title: event.details.title.to_string(),
        versions: views,
        share_on: may_change.then(|| {
            TextInput::new("share_on", "Share with the nominees on")
                .hint("They are not sent before this date. For example, 06/03/2027")
                .classes("govuk-input--width-10")
                .value(&share_on)
                .errors(errors)
        }),
        slots,
        shared_already,
        documents: crate::pages::event_documents::section(
            state,
            visitor,
            event,
            shared_already,
            errors,
        )
        .await?,
    })
}

pub async fn show_kloes(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<KloesPage, AppError> {
    let event = load(&state, &visitor, id).await?;
    kloes_page(&state, &visitor, &event, None, &FormErrors::default()).await
}

pub async fn save_kloes(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<KloesForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?;
    let event = load(&state, &visitor, id).await?;
    match use_cases::save_kloes(
        state.scheme(),
        principal,
        &event,
        &form.answers(),
        &form.share_on,
        Utc::now(),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/events/{}/kloes", event.id))),
        Err(why) => {
            let errors = problems_of(why, "kloe_1")?;
            let page = kloes_page(&state, &visitor, &event, Some(&form), &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

// Each area's next steps for the event: its return, filled in as the `.xlsx` template and
// checked whole before anything is applied.

/// The largest next-steps file accepted, in bytes.
fn plan_max_bytes() -> usize {
    usize::try_from(documents::action_plan::UPLOAD_LIMITS.max_bytes).unwrap_or(usize::MAX)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Problems listed under a refused upload; the rest are counted.
const PROBLEMS_SHOWN: usize = 50;

struct StepRow {
    reference: String,
    action: String,
    owner: String,
    due: String,
    rag: &'static str,
}

struct SheetProblem {
    row: usize,
    column: &'static str,
    message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/events/next_steps.html")]
pub struct NextStepsPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: ProgrammeActivityId,
    title: String,
    area: String,
    slug: String,
    rows: Vec<StepRow>,
    may_upload: bool,
    upload_problems: Vec<SheetProblem>,
    upload_error: Option<String>,
    return_href: Option<String>,
}

async fn load_area(
    state: &AppState,
    visitor: &Visitor,
    id: ProgrammeActivityId,
    area: &str,
) -> Result<(ThematicEvent, AuthoritySlug), AppError> {
    let event = load(state, visitor, id).await?;
    let area = AuthoritySlug::parse(area).map_err(|_| AppError::NotFound)?;
    if !event.areas.contains(&area) {
        return Err(AppError::NotFound);
    }
    visitor.authorise(&Action::ViewAreaProgress(area.clone()))?;
    Ok((event, area))
}

async fn next_steps_page(
    state: &AppState,
    visitor: &Visitor,
    event: &ThematicEvent,
    area: &AuthoritySlug,
    errors: &FormErrors,
    problems: Vec<SheetProblem>,
) -> Result<NextStepsPage, AppError> {
    let read =
        event_next_steps::area_next_steps(&state.store, visitor.principal.as_ref(), event, area)
            .await?;
    Ok(NextStepsPage {
        chrome: Chrome::new(visitor, format!("Next steps: {}", event.details.title), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: event.id,
        title: event.details.title.to_string(),
        area: read.area_name,
        slug: area.to_string(),
        rows: read
            .plan
            .iter()
            .map(|a| StepRow {
                reference: a.entry.reference.clone(),
                action: a.entry.action.clone(),
                owner: a.entry.owner.clone(),
                due: crate::dates::date(a.entry.due),
                rag: a.entry.rag.label(),
            })
            .collect(),
        may_upload: read.may_upload,
        upload_problems: problems,
        upload_error: errors.get("plan"),
        return_href: read.owed.map(|r| format!("/returns/{}", r.id)),
    })
}

pub async fn show_next_steps(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, area)): Id<(ProgrammeActivityId, String)>,
) -> Result<NextStepsPage, AppError> {
    let (event, area) = load_area(&state, &visitor, id, &area).await?;
    next_steps_page(
        &state,
        &visitor,
        &event,
        &area,
        &FormErrors::default(),
        Vec::new(),
    )
    .await
}

pub async fn download_next_steps(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, area)): Id<(ProgrammeActivityId, String)>,
) -> Result<Response, AppError> {
    let (event, area) = load_area(&state, &visitor, id, &area).await?;
    let read =
        event_next_steps::area_next_steps(&state.store, visitor.principal.as_ref(), &event, &area)
            .await?;
    let themes: Vec<(domain::ThemeCode, String)> = state
        .store
        .themes()
        .await?
        .into_iter()
        .map(|t| (t.code, t.label))
        .collect();
    let bytes = crate::action_plans::area_workbook(&read.area_name, &read.plan, &themes)
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, XLSX.to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{area}-next-steps.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The uploaded file, or why there is none.
async fn read_upload(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Vec<u8>, String> {
    let mut multipart = multipart.map_err(|_| "Choose a spreadsheet to upload".to_owned())?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("plan") {
            let named = field.file_name().is_some_and(|name| !name.is_empty());
            let bytes = field.bytes().await.map_err(|error| {
                if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    documents::upload::UploadProblem::TooLarge {
                        limit: documents::upload::Size(
                            documents::action_plan::UPLOAD_LIMITS.max_bytes,
                        ),
                    }
                    .to_string()
                } else {
                    "The file could not be read: try again".to_owned()
                }
            })?;
            if named && !bytes.is_empty() {
                return Ok(bytes.to_vec());
            }
        }
    }
    Err("Choose a spreadsheet to upload".to_owned())
}

pub async fn upload_next_steps(
    State(state): State<AppState>,
    visitor: Visitor,
    Id((id, area)): Id<(ProgrammeActivityId, String)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let (event, area) = load_area(&state, &visitor, id, &area).await?;
    let principal = visitor.authorise(&Action::KeepNextSteps(area.clone()))?;
    let mut errors = FormErrors::default();
    let mut listed = Vec::new();
    let rows = read_upload(multipart)
        .await
        .and_then(|bytes| crate::action_plans::read_plan(&bytes));
    match rows {
        Err(message) => errors.add("plan", message),
        Ok(rows) => {
            let themes: Vec<domain::ThemeCode> = state
                .store
                .themes()
                .await?
                .into_iter()
                .map(|t| t.code)
                .collect();
            match domain::next_steps::check_plan(&rows, &themes, state.today()) {
                Ok(entries) => {
                    match state
                        .store
                        .apply_next_steps(event.id, &area, &entries, principal, Utc::now())
                        .await
                    {
                        Ok(_) => {
                            return Ok(see_other(&format!(
                                "/events/{}/next-steps/{area}",
                                event.id
                            )));
                        }
                        Err(store::StoreError::Conflict(why)) => errors.add("plan", why),
                        Err(other) => return Err(other.into()),
                    }
                }
                Err(problems) => {
                    errors.add(
                        "plan",
                        format!(
                            "The spreadsheet has {} problem(s), listed below: nothing was changed",
                            problems.len()
                        ),
                    );
                    listed = problems
                        .into_iter()
                        .take(PROBLEMS_SHOWN)
                        .map(|(row, problem)| SheetProblem {
                            row,
                            column: crate::action_plans::column_heading(&problem.field),
                            message: problem.message,
                        })
                        .collect();
                }
            }
        }
    }
    let page = next_steps_page(&state, &visitor, &event, &area, &errors, listed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// On the day: attendance and breakout groups.

#[derive(Debug, Default, serde::Deserialize)]
pub struct AttendanceForm {
    #[serde(default)]
    attended: Vec<String>,
}

pub async fn record_attendance(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<AttendanceForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?;
    let event = load(&state, &visitor, id).await?;
    let outcome = use_cases::record_attendance(
        state.scheme(),
        principal,
        &event,
        &form.attended,
        Utc::now(),
    )
    .await;
    back_to_nominations(&state, &visitor, &event, outcome).await
}

pub async fn download_breakouts(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ManageEvents)?;
    let event = load(&state, &visitor, id).await?;
    let bytes = use_cases::breakout_csv(&state.store, &event).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"breakout-groups.csv\"".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}

// The overview of emerging themes and next steps.

#[derive(Template, WebTemplate)]
#[template(path = "pages/events/overview.html")]
pub struct OverviewPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    id: ProgrammeActivityId,
    title: String,
    /// The published overview, as the board reads it: paragraphs of lines.
    published: Option<Vec<Vec<String>>>,
    /// The co-ordinator's form while the event is at returns.
    form: Option<Textarea>,
}

async fn overview_page(
    state: &AppState,
    visitor: &Visitor,
    event: &ThematicEvent,
    typed: Option<&str>,
    errors: &FormErrors,
) -> Result<OverviewPage, AppError> {
    let saved = state.store.event_overview(event.id).await?;
    let is_published = matches!(
        event.state,
        EventState::OverviewPublished | EventState::Closed
    );
    let editing = visitor.may(&Action::ManageEvents) && event.state == EventState::Returns;
    let form = if editing {
        let text = match (typed, &saved) {
            (Some(typed), _) => typed.to_owned(),
            (None, Some(saved)) => saved.clone(),
            (None, None) => use_cases::draft_overview(&state.store, event).await?,
        };
        let mut area = Textarea::new("overview", "Overview of emerging themes and next steps", &text)
            .hint("Drafted from the areas' returns: edit it into the overview the board reads, then publish it from the event's page.")
            .limit(domain::limits::NARRATIVE)
            .errors(errors);
        area.rows = 20;
        Some(area)
    } else {
        None
    };
    Ok(OverviewPage {
        chrome: Chrome::new(visitor, format!("Overview: {}", event.details.title), NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: event.id,
        title: event.details.title.to_string(),
        published: saved.filter(|_| is_published).map(|text| {
            text.split("\n\n")
                .map(|para| para.lines().map(str::to_owned).collect())
                .collect()
        }),
        form,
    })
}

pub async fn show_overview(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
) -> Result<OverviewPage, AppError> {
    let event = load(&state, &visitor, id).await?;
    overview_page(&state, &visitor, &event, None, &FormErrors::default()).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct OverviewForm {
    #[serde(default)]
    overview: String,
}

pub async fn save_overview(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<ProgrammeActivityId>,
    Form(form): Form<OverviewForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageEvents)?;
    let event = load(&state, &visitor, id).await?;
    match use_cases::save_overview(
        state.scheme(),
        principal,
        &event,
        &form.overview,
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("/events/{}/overview", event.id))),
        Err(why) => {
            let status = if matches!(why, Refused::Invalid(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            let errors = problems_of(why, "overview")?;
            let page =
                overview_page(&state, &visitor, &event, Some(&form.overview), &errors).await?;
            Ok((status, page).into_response())
        }
    }
}
