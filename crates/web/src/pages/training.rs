//! Training for the reviewer pool: the demand on the waiting list, sessions, invitations
//! (an email with an `.ics` calendar invitation each) and attendance.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::clock::uk_date;
use domain::pool::HomeArea;
use domain::training::{
    Attendance, PLACE_LIMIT, PlaceStatus, SessionAnswers, TITLE_LIMIT, TRAINER_LIMIT,
};
use domain::{Action, PoolMemberId, TrainingSessionId};
use serde::Deserialize;
use services::training_invitations;
use store::{
    NewTrainingSession, StoreError, Trainee, TrainingDemand, TrainingSession,
    TrainingSessionDetail, WaitingMember,
};

use crate::components::{
    CheckboxItem, Checkboxes, DateInput, ErrorSummary, NotificationBanner, Radios, TextInput,
    Textarea,
};
use crate::extract::Id;
use crate::forms::FormErrors;
use crate::pages::{Chrome, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// Every route of training for the pool, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/training", get(show_training)),
        route(Method::GET, "/training/new", get(show_new_session)),
        route(Method::POST, "/training/new", post(create_session)),
        route(Method::GET, "/training/{id}", get(show_session)),
        route(Method::POST, "/training/{id}/invite", post(invite)),
        route(
            Method::POST,
            "/training/{id}/attendance",
            post(record_attendance),
        ),
        route(
            Method::GET,
            "/training/{id}/invitation.ics",
            get(download_ics),
        ),
    ]
}

const NAV: &str = "/training";

async fn load(state: &AppState, id: TrainingSessionId) -> Result<TrainingSessionDetail, AppError> {
    state
        .store
        .training_session(id)
        .await?
        .ok_or(AppError::NotFound)
}

fn home_label(home: &HomeArea, authority_name: Option<&str>) -> String {
    match (home, authority_name) {
        (HomeArea::Authority(_), Some(name)) => name.to_owned(),
        (HomeArea::Authority(slug), None) => slug.to_string(),
        (HomeArea::OutsideRegion(region), _) => {
            format!("Outside the East Midlands ({region})")
        }
    }
}

fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_owned()
    } else {
        format!("{count} days")
    }
}

fn people(count: usize) -> String {
    if count == 1 {
        "1 person".to_owned()
    } else {
        format!("{count} people")
    }
}

/// Where the session is, in one line: the venue, the online link, or both.
fn place(session: &TrainingSession) -> String {
    match (&session.venue, &session.online_link) {
        (Some(venue), Some(_)) => format!("{venue} (or online)"),
        (Some(venue), None) => venue.clone(),
        (None, Some(_)) => "Online".to_owned(),
        (None, None) => String::new(),
    }
}

// ---- The training page: demand and sessions -------------------------------------------

struct CountRow {
    label: String,
    count: usize,
}

struct SessionRow {
    href: String,
    title: String,
    date: String,
    times: String,
    place: String,
    places: String,
    attended: usize,
}

impl From<&TrainingSession> for SessionRow {
    fn from(session: &TrainingSession) -> Self {
        Self {
            href: format!("/training/{}", session.id),
            title: session.title.clone(),
            date: dates::date(session.date()),
            times: training_invitations::times(session),
            place: place(session),
            places: format!("{} of {}", session.invited, session.capacity),
            attended: session.attended,
        }
    }
}

struct WaitingRow {
    name: String,
    role: &'static str,
    home: String,
    joined: String,
    waiting: String,
    invited: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/training/index.html")]
pub struct TrainingPage {
    chrome: Chrome,
    waiting: usize,
    invited: usize,
    longest_wait: Option<String>,
    by_type: Vec<CountRow>,
    by_home: Vec<CountRow>,
    sessions: Vec<SessionRow>,
    people: Vec<WaitingRow>,
}

fn demand_rows(demand: &TrainingDemand) -> (Vec<CountRow>, Vec<CountRow>) {
    let by_type = demand
        .by_type
        .iter()
        .map(|(kind, count)| CountRow {
            label: kind.label().to_owned(),
            count: *count,
        })
        .collect();
    let by_home = demand
        .by_home
        .iter()
        .map(|home| CountRow {
            label: home_label(&home.home, home.authority_name.as_deref()),
            count: home.count,
        })
        .collect();
    (by_type, by_home)
}

pub async fn show_training(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<TrainingPage, AppError> {
    visitor.authorise(&Action::ManageTraining)?;
    let now = Utc::now();
    let demand = state.store.training_demand(now).await?;
    let waiting = state.store.training_waiting_list(now).await?;
    let sessions = state.store.training_sessions().await?;
    let names = authority_names(&state).await?;
    let (by_type, by_home) = demand_rows(&demand);
    Ok(TrainingPage {
        chrome: Chrome::new(&visitor, "Training", NAV),
        waiting: demand.waiting,
        invited: demand.invited,
        longest_wait: demand.longest_wait_days.map(days),
        by_type,
        by_home,
        sessions: sessions.iter().map(SessionRow::from).collect(),
        people: waiting
            .iter()
            .map(|member| WaitingRow {
                name: member.trainee.name.to_string(),
                role: member.trainee.reviewer_type.label(),
                home: trainee_home(&member.trainee, &names),
                joined: dates::date(uk_date(member.trainee.joined_at)),
                waiting: days(member.days_waiting),
                invited: !member.invited_to.is_empty(),
            })
            .collect(),
    })
}

async fn authority_names(
    state: &AppState,
) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    Ok(state
        .store
        .authorities()
        .await?
        .into_iter()
        .map(|authority| (authority.slug.to_string(), authority.name))
        .collect())
}

fn trainee_home(trainee: &Trainee, names: &std::collections::BTreeMap<String, String>) -> String {
    let name = match &trainee.home {
        HomeArea::Authority(slug) => names.get(slug.as_str()).map(String::as_str),
        HomeArea::OutsideRegion(_) => None,
    };
    home_label(&trainee.home, name)
}

// ---- A new session ---------------------------------------------------------------------

#[derive(Clone, Debug, Default, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    title: String,
    #[serde(default, rename = "date-day")]
    day: String,
    #[serde(default, rename = "date-month")]
    month: String,
    #[serde(default, rename = "date-year")]
    year: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    online_link: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    trainer: String,
}

impl SessionForm {
    fn answers(&self) -> SessionAnswers {
        SessionAnswers {
            title: self.title.clone(),
            day: self.day.clone(),
            month: self.month.clone(),
            year: self.year.clone(),
            starts: self.starts.clone(),
            ends: self.ends.clone(),
            venue: self.venue.clone(),
            online_link: self.online_link.clone(),
            capacity: self.capacity.clone(),
            trainer: self.trainer.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/training/new.html")]
pub struct NewSessionPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    title: TextInput,
    date: DateInput,
    starts: TextInput,
    ends: TextInput,
    venue: Textarea,
    online_link: TextInput,
    capacity: TextInput,
    trainer: TextInput,
}

fn new_session_page(visitor: &Visitor, form: &SessionForm, errors: &FormErrors) -> NewSessionPage {
    let mut venue = Textarea::new("venue", "Venue", &form.venue)
        .hint(
            "The building and room, with the address. Leave this empty for an online-only session.",
        )
        .limit(PLACE_LIMIT)
        .errors(errors);
    venue.rows = 3;
    NewSessionPage {
        chrome: Chrome::new(visitor, "Arrange a training session", NAV)
            .with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::linking(errors, &["date"])),
        title: TextInput::new("title", "Title")
            .hint("For example, Reviewer training: peer challenge in practice.")
            .limit(TITLE_LIMIT)
            .value(&form.title)
            .errors(errors),
        date: DateInput::new(
            "date",
            "Date of the session",
            (form.day.as_str(), form.month.as_str(), form.year.as_str()),
        )
        .hint("For example, 27 3 2027")
        .errors(errors),
        starts: TextInput::new("starts", "Start time")
            .hint("Use the 24-hour clock, for example, 10:00")
            .classes("govuk-input--width-5")
            .spellcheck(false)
            .value(&form.starts)
            .errors(errors),
        ends: TextInput::new("ends", "End time")
            .hint("For example, 15:30")
            .classes("govuk-input--width-5")
            .spellcheck(false)
            .value(&form.ends)
            .errors(errors),
        venue,
        online_link: TextInput::new("online_link", "Online link (optional)")
            .hint("The address people use to join online, starting https://")
            .input_type("url")
            .spellcheck(false)
            .value(&form.online_link)
            .errors(errors),
        capacity: TextInput::new("capacity", "Capacity")
            .hint("How many people the session can take, from 1 to 100")
            .classes("govuk-input--width-3")
            .spellcheck(false)
            .value(&form.capacity)
            .errors(errors),
        trainer: TextInput::new("trainer", "Trainer")
            .hint("The name of the person running the session.")
            .limit(TRAINER_LIMIT)
            .value(&form.trainer)
            .errors(errors),
    }
}

pub async fn show_new_session(visitor: Visitor) -> Result<NewSessionPage, AppError> {
    visitor.authorise(&Action::ManageTraining)?;
    Ok(new_session_page(
        &visitor,
        &SessionForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn create_session(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SessionForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageTraining)?;
    let plan = match form.answers().check(state.today()) {
        Ok(plan) => plan,
        Err(problems) => {
            let errors = FormErrors::from_problems(problems);
            let page = new_session_page(&visitor, &form, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let id = state
        .store
        .create_training_session(
            &NewTrainingSession::from(&plan),
            principal.user_id,
            Utc::now(),
        )
        .await?;
    Ok(see_other(&format!("/training/{id}?created=1")))
}

// ---- One session: details, invitations and attendance -----------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct SessionNotice {
    created: Option<String>,
    invited: Option<usize>,
    attendance: Option<String>,
}

struct PlaceRow {
    name: String,
    role: &'static str,
    home: String,
    status: &'static str,
    tag: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/training/session.html")]
pub struct SessionPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    id: String,
    heading: String,
    date: String,
    times: String,
    venue: Option<String>,
    online_link: Option<String>,
    trainer: String,
    places: String,
    places_left: usize,
    invitees: Vec<PlaceRow>,
    /// None when nobody on the waiting list is left to invite.
    invite: Option<Checkboxes>,
    /// None before the day of the session, or with nobody invited.
    attendance: Vec<Radios>,
    attendance_opens: Option<String>,
}

/// What was typed into the forms on the page, kept when one of them has an error.
#[derive(Default)]
struct Typed<'a> {
    invite: &'a [String],
    attendance: &'a [(String, String)],
}

fn attendance_field(member: PoolMemberId) -> String {
    format!("attendance-{member}")
}

/// The session's page: its places, who could still be invited from the waiting list, and
/// attendance once the session's day has come.
async fn render_session(
    state: &AppState,
    visitor: &Visitor,
    detail: &TrainingSessionDetail,
    typed: &Typed<'_>,
    errors: &FormErrors,
    banner: Option<NotificationBanner>,
) -> Result<SessionPage, AppError> {
    let waiting = state.store.training_waiting_list(Utc::now()).await?;
    let names = &authority_names(state).await?;
    let today = state.today();
    let session = &detail.session;
    let date = dates::date(session.date());
    let invitable: Vec<&WaitingMember> = waiting
        .iter()
        .filter(|member| {
            !detail
                .places
                .iter()
                .any(|place| place.trainee.id == member.trainee.id)
        })
        .collect();
    let invite = (!invitable.is_empty() && session.places_left() > 0).then(|| Checkboxes {
        id_prefix: "members".into(),
        name: "members".into(),
        legend: "Who to invite from the waiting list".into(),
        legend_classes: Some("govuk-fieldset__legend--m"),
        hint: Some(format!(
            "{} left. Longest waiting first. Select all that apply.",
            match session.places_left() {
                1 => "There is 1 place".to_owned(),
                left => format!("There are {left} places"),
            }
        )),
        error: errors.get("members"),
        items: invitable
            .iter()
            .map(|member| {
                let mut hint = format!(
                    "{}, {}. Waiting {}.",
                    member.trainee.reviewer_type.label(),
                    trainee_home(&member.trainee, names),
                    days(member.days_waiting)
                );
                if let Some((_, starts)) = member.invited_to.first() {
                    hint.push_str(&format!(
                        " Already invited to training on {}.",
                        dates::date(uk_date(*starts))
                    ));
                }
                let value = member.trainee.id.to_string();
                CheckboxItem {
                    checked: typed.invite.contains(&value),
                    value,
                    text: member.trainee.name.to_string(),
                    hint: Some(hint),
                }
            })
            .collect(),
    });
    let open = today >= session.date();
    let attendance = if open {
        detail
            .places
            .iter()
            .map(|place| {
                let field = attendance_field(place.trainee.id);
                let chosen = typed
                    .attendance
                    .iter()
                    .find(|(key, _)| *key == field)
                    .map(|(_, value)| value.as_str())
                    .unwrap_or(match place.status {
                        PlaceStatus::Invited => "",
                        PlaceStatus::Attended => Attendance::Attended.code(),
                        PlaceStatus::Absent => Attendance::Absent.code(),
                    });
                let mut radios = Radios::new(
                    &field,
                    &format!("Did {} attend?", place.trainee.name),
                    &[
                        (Attendance::Attended.code(), "Attended"),
                        (Attendance::Absent.code(), "Did not attend"),
                    ],
                    chosen,
                )
                .errors(errors);
                radios.inline = true;
                radios.legend_classes = Some("govuk-fieldset__legend--s");
                radios
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(SessionPage {
        chrome: Chrome::new(visitor, &session.title, NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        id: session.id.to_string(),
        heading: session.title.clone(),
        date: date.clone(),
        times: training_invitations::times(session),
        venue: session.venue.clone(),
        online_link: session.online_link.clone(),
        trainer: session.trainer.clone(),
        places: format!(
            "{} invited of {} places, {} attended",
            session.invited, session.capacity, session.attended
        ),
        places_left: session.places_left(),
        invitees: detail
            .places
            .iter()
            .map(|place| PlaceRow {
                name: place.trainee.name.to_string(),
                role: place.trainee.reviewer_type.label(),
                home: trainee_home(&place.trainee, names),
                status: place.status.label(),
                tag: match place.status {
                    PlaceStatus::Invited => "govuk-tag--blue",
                    PlaceStatus::Attended => "govuk-tag--green",
                    PlaceStatus::Absent => "govuk-tag--grey",
                },
            })
            .collect(),
        invite,
        attendance,
        attendance_opens: (!open && !detail.places.is_empty()).then_some(date),
    })
}

pub async fn show_session(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<TrainingSessionId>,
    Query(notice): Query<SessionNotice>,
) -> Result<SessionPage, AppError> {
    visitor.authorise(&Action::ManageTraining)?;
    let detail = load(&state, id).await?;
    let banner = if notice.created.is_some() {
        Some(NotificationBanner::success("Training session created"))
    } else if let Some(count) = notice.invited {
        Some(NotificationBanner::success(format!(
            "Invitation sent to {}",
            people(count)
        )))
    } else {
        notice
            .attendance
            .map(|_| NotificationBanner::success("Attendance recorded"))
    };
    render_session(
        &state,
        &visitor,
        &detail,
        &Typed::default(),
        &FormErrors::default(),
        banner,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    members: Vec<String>,
}

pub async fn invite(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<TrainingSessionId>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageTraining)?;
    let mut errors = FormErrors::default();
    let members: Vec<PoolMemberId> = form
        .members
        .iter()
        .filter_map(|raw| raw.parse().ok())
        .collect();
    if members.is_empty() || members.len() != form.members.len() {
        errors.add("members", "Select who to invite");
    } else {
        let settings = state.settings.clone();
        let result = state
            .store
            .invite_to_training(
                id,
                &members,
                principal.user_id,
                Utc::now(),
                |session, person| {
                    training_invitations::invitation_email(&settings, session, person)
                },
            )
            .await;
        match result {
            Ok(count) => return Ok(see_other(&format!("/training/{id}?invited={count}"))),
            Err(StoreError::Conflict(message)) => errors.add("members", message),
            Err(other) => return Err(other.into()),
        }
    }
    let detail = load(&state, id).await?;
    let typed = Typed {
        invite: &form.members,
        ..Typed::default()
    };
    let page = render_session(&state, &visitor, &detail, &typed, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn record_attendance(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<TrainingSessionId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::ManageTraining)?;
    let detail = load(&state, id).await?;
    let mut errors = FormErrors::default();
    let mut outcomes = Vec::with_capacity(detail.places.len());
    for place in &detail.places {
        let field = attendance_field(place.trainee.id);
        let answer = fields
            .iter()
            .find(|(key, _)| *key == field)
            .and_then(|(_, value)| Attendance::parse(value));
        match answer {
            Some(attendance) => outcomes.push((place.trainee.id, attendance)),
            None => errors.add(
                field,
                format!("Select whether {} attended", place.trainee.name),
            ),
        }
    }
    if detail.places.is_empty() {
        errors.add("members", "Invite people before recording attendance");
    }
    if errors.is_empty() {
        let result = state
            .store
            .record_training_attendance(detail.session.id, &outcomes, principal.user_id, Utc::now())
            .await;
        match result {
            Ok(()) => {
                return Ok(see_other(&format!(
                    "/training/{}?attendance=1",
                    detail.session.id
                )));
            }
            Err(StoreError::Conflict(message)) => match detail.places.first() {
                Some(place) => errors.add(attendance_field(place.trainee.id), message),
                None => errors.add("members", message),
            },
            Err(other) => return Err(other.into()),
        }
    }
    let typed = Typed {
        attendance: &fields,
        ..Typed::default()
    };
    let page = render_session(&state, &visitor, &detail, &typed, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The session as a calendar file, for the project manager's own calendar or to forward.
pub async fn download_ics(
    State(state): State<AppState>,
    visitor: Visitor,
    Id(id): Id<TrainingSessionId>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ManageTraining)?;
    let detail = load(&state, id).await?;
    let session = &detail.session;
    let ics = training_invitations::session_calendar(&state.settings, session);
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        training_invitations::ics_file_name(session)
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (CONTENT_DISPOSITION, disposition),
        ],
        ics,
    )
        .into_response())
}
