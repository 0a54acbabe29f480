//! The timetable of the visit days: the page by day with its clashes flagged, the activity
//! form (new and edit), deleting, a printable view and a calendar file. A clash is flagged,
//! never refused: the lead fixes it by editing, often after rooms and people are confirmed.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use chrono::{NaiveDate, NaiveTime, Utc};
use documents::ics::{CalendarEvent, CalendarMethod, calendar};
use domain::clock::uk_to_utc;
use domain::timetable::{
    ActivityAnswers, ActivityKind, Clash, PLACE_LIMIT, TITLE_LIMIT, find_clashes,
};
use domain::{Action, ActivityId, ChallengeId, TeamMemberId};

use crate::extract::Id;
use serde::Deserialize;
use store::{Activity, StoreError, TeamMember};

use super::{NAV, Notice, after_delete, caption, closed_banner, may_change};
use crate::components::{
    CheckboxItem, Checkboxes, ErrorSummary, NotificationBanner, RadioItem, Radios, TextInput,
};
use crate::forms::FormErrors;
use crate::pages::Chrome;
use crate::pages::challenges::LoadedChallenge;
use crate::pages::delete::{DeleteForm, DeletePage};
use crate::pages::see_other;
use crate::visitor::Visitor;
use crate::{AppError, AppState, Settings};

fn timetable_href(loaded: &LoadedChallenge) -> String {
    format!("{}/timetable", loaded.href())
}

/// "9:30am", as GOV.UK writes times.
fn clock(time: NaiveTime) -> String {
    format!("{}{}", time.format("%-I:%M"), time.format("%P"))
}

/// "Thursday 11 March 2027".
fn long_day(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// The people who may be chosen for an activity: everyone holding a seat, told or not yet.
fn seat_holders(team: &[TeamMember]) -> Vec<&TeamMember> {
    team.iter()
        .filter(|member| member.status.holds_seat())
        .collect()
}

/// Each seat's name as the timetable shows it; someone who has left the team says so.
fn reviewer_names(team: &[TeamMember]) -> HashMap<TeamMemberId, String> {
    team.iter()
        .map(|member| {
            let name = if member.status.holds_seat() {
                member.name.clone()
            } else {
                format!("{} ({})", member.name, member.status.label().to_lowercase())
            };
            (member.id, name)
        })
        .collect()
}

fn names_of(ids: &[TeamMemberId], names: &HashMap<TeamMemberId, String>) -> String {
    ids.iter()
        .map(|id| {
            names
                .get(id)
                .cloned()
                .unwrap_or_else(|| "A former reviewer".into())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn kloe_label(kloe: Option<u8>) -> String {
    kloe.map_or_else(|| "None".to_owned(), |number| format!("KLOE {number}"))
}

/// A place that is a link is offered as one; anything else is text.
fn is_link(place: &str) -> bool {
    place.starts_with("https://") || place.starts_with("http://")
}

fn activity_anchor(id: ActivityId) -> String {
    format!("activity-{id}")
}

// ---- The timetable page ------------------------------------------------------------------

struct ActivityRow {
    anchor: String,
    times: String,
    kind: &'static str,
    title: String,
    place: String,
    place_is_link: bool,
    reviewers: String,
    kloe: String,
    clashes: Vec<String>,
    edit_href: Option<String>,
}

struct DayView {
    heading: String,
    not_visit_day: bool,
    rows: Vec<ActivityRow>,
}

struct ClashLink {
    href: String,
    text: String,
}

/// The visit days (each shown, even empty) and any other day an activity is on, in order,
/// each with its activities and the clashes that involve them.
fn day_views(
    loaded: &LoadedChallenge,
    activities: &[Activity],
    clashes: &[Clash],
    editable: bool,
) -> (Vec<DayView>, Vec<ClashLink>) {
    let names = reviewer_names(&loaded.team);
    let titles: HashMap<ActivityId, String> = activities
        .iter()
        .map(|activity| (activity.id, activity.title.clone()))
        .collect();
    let describe = |clash: &Clash| {
        clash.describe(
            |id| titles.get(&id).cloned().unwrap_or_default(),
            |id| {
                names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| "A reviewer".into())
            },
        )
    };
    let mut by_activity: HashMap<ActivityId, Vec<String>> = HashMap::new();
    let mut links = Vec::new();
    for clash in clashes {
        let text = describe(clash);
        let involved = clash.activities();
        if let Some(first) = involved.first() {
            links.push(ClashLink {
                href: format!("#{}", activity_anchor(*first)),
                text: text.clone(),
            });
        }
        for id in involved {
            by_activity.entry(id).or_default().push(text.clone());
        }
    }
    let mut days: BTreeMap<NaiveDate, Vec<ActivityRow>> = loaded
        .record
        .visit_days
        .iter()
        .map(|day| (*day, Vec::new()))
        .collect();
    for activity in activities {
        days.entry(activity.day).or_default().push(ActivityRow {
            anchor: activity_anchor(activity.id),
            times: format!("{} to {}", clock(activity.starts), clock(activity.ends)),
            kind: activity.kind.label(),
            title: activity.title.clone(),
            place: activity.place.clone(),
            place_is_link: is_link(&activity.place),
            reviewers: names_of(&activity.reviewers, &names),
            kloe: kloe_label(activity.kloe),
            clashes: by_activity.remove(&activity.id).unwrap_or_default(),
            edit_href: editable.then(|| format!("{}/{}", timetable_href(loaded), activity.id)),
        });
    }
    let views = days
        .into_iter()
        .map(|(day, rows)| DayView {
            heading: long_day(day),
            not_visit_day: !loaded.record.visit_days.contains(&day),
            rows,
        })
        .collect();
    (views, links)
}

fn clashes_of(loaded: &LoadedChallenge, activities: &[Activity]) -> Vec<Clash> {
    let scheduled: Vec<_> = activities.iter().map(Activity::scheduled).collect();
    find_clashes(&loaded.record.visit_days, &scheduled)
}

fn kloe_questions(loaded: &LoadedChallenge) -> Vec<String> {
    loaded
        .record
        .kloes
        .iter()
        .map(|kloe| kloe.question.clone())
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/visit/timetable.html")]
pub struct TimetablePage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    back: String,
    caption: String,
    id: String,
    kloes: Vec<String>,
    days: Vec<DayView>,
    clashes: Vec<ClashLink>,
    may_change: bool,
    may_add: bool,
    closed: bool,
}

fn banner(notice: &str) -> Option<NotificationBanner> {
    let heading = match notice {
        "added" => "The activity has been added to the timetable",
        "changed" => "The activity has been changed",
        "deleted" => "The activity has been deleted",
        other => return closed_banner(other),
    };
    Some(NotificationBanner::success(heading))
}

pub async fn show_timetable(
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<TimetablePage, AppError> {
    visitor.authorise(&Action::ViewChallenge(loaded.access.clone()))?;
    let activities = &loaded.timetable;
    let clashes = clashes_of(&loaded, activities);
    let editable = may_change(&loaded, &visitor);
    let (days, clashes) = day_views(&loaded, activities, &clashes, editable);
    Ok(TimetablePage {
        chrome: Chrome::new(&visitor, "Timetable", NAV),
        banner: banner(&notice.notice),
        back: loaded.href(),
        caption: caption(&loaded),
        id: loaded.record.id.to_string(),
        kloes: kloe_questions(&loaded),
        may_add: editable && !day_options(&loaded, "").is_empty(),
        may_change: editable,
        closed: !loaded.record.state.may_prepare_visit(),
        days,
        clashes,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/visit/print.html")]
pub struct PrintablePage {
    back: String,
    caption: String,
    authority: String,
    kloes: Vec<String>,
    days: Vec<DayView>,
    clash_count: usize,
}

/// The timetable on its own: no navigation, no links to change it, each day on its own page
/// when printed (see the print rules in `application.scss`).
pub async fn show_printable(
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<PrintablePage, AppError> {
    visitor.authorise(&Action::ViewChallenge(loaded.access.clone()))?;
    let activities = &loaded.timetable;
    let clashes = clashes_of(&loaded, activities);
    let (days, links) = day_views(&loaded, activities, &clashes, false);
    Ok(PrintablePage {
        back: timetable_href(&loaded),
        caption: caption(&loaded),
        authority: loaded.record.authority_name.clone(),
        kloes: kloe_questions(&loaded),
        days,
        clash_count: links.len(),
    })
}

// ---- The calendar file -------------------------------------------------------------------

/// Stable for the life of the activity, so a calendar that imports the file again updates
/// its events rather than adding copies.
fn calendar_uid(settings: &Settings, id: ActivityId) -> String {
    settings.calendar_uid(&format!("activity-{id}"))
}

fn activity_event(
    settings: &Settings,
    loaded: &LoadedChallenge,
    activity: &Activity,
    names: &HashMap<TeamMemberId, String>,
) -> CalendarEvent {
    let record = &loaded.record;
    let mut description = format!(
        "{} for {} ({}).",
        activity.kind.label(),
        record.authority_name,
        record.reference
    );
    if let Some(question) = activity
        .kloe
        .and_then(|number| record.kloes.get(usize::from(number).saturating_sub(1)))
    {
        description.push_str(&format!(
            "\nKLOE {}: {}",
            activity.kloe.unwrap_or_default(),
            question.question
        ));
    }
    if !activity.reviewers.is_empty() {
        description.push_str(&format!(
            "\nReviewers: {}",
            names_of(&activity.reviewers, names)
        ));
    }
    description.push_str(&format!(
        "\nTimetable: {}",
        settings.link(&timetable_href(loaded))
    ));
    CalendarEvent {
        uid: calendar_uid(settings, activity.id),
        sequence: 0,
        starts: uk_to_utc(activity.day.and_time(activity.starts)),
        ends: uk_to_utc(activity.day.and_time(activity.ends)),
        summary: format!("{} ({})", activity.title, record.reference),
        description,
        location: Some(activity.place.clone()),
        url: is_link(&activity.place).then(|| activity.place.clone()),
        organizer: None,
        attendees: Vec::new(),
        // A download is published, not sent: the version is when the activity last changed.
        created: activity.updated_at,
    }
}

/// The signed-in person's activities as a calendar: a reviewer gets the ones they are in;
/// those who build the timetable get all of it.
pub async fn download_ics(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::ViewChallenge(loaded.access.clone()))?;
    let everything = loaded.may(&visitor, &Action::PrepareVisit(loaded.access.clone()));
    let mine = loaded.membership.as_ref().map(|seat| seat.id);
    let names = reviewer_names(&loaded.team);
    let events: Vec<CalendarEvent> = state
        .store
        .timetable(loaded.record.id)
        .await?
        .iter()
        .filter(|activity| {
            everything || mine.is_some_and(|seat| activity.reviewers.contains(&seat))
        })
        .map(|activity| activity_event(&state.settings, &loaded, activity, &names))
        .collect();
    let ics = calendar(CalendarMethod::Publish, &events);
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"timetable-{}.ics\"",
        loaded.record.reference
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

// ---- The activity form -------------------------------------------------------------------

/// The KLOE radios' value for "None": a value of its own, so nothing is selected until the
/// person chooses.
const NO_KLOE: &str = "none";

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    kloe: String,
    #[serde(default)]
    reviewers: Vec<String>,
}

impl ActivityForm {
    fn answers(&self) -> ActivityAnswers {
        ActivityAnswers {
            day: self.day.clone(),
            starts: self.starts.clone(),
            ends: self.ends.clone(),
            kind: self.kind.clone(),
            title: self.title.clone(),
            place: self.place.clone(),
            kloe: if self.kloe == NO_KLOE {
                String::new()
            } else {
                self.kloe.clone()
            },
            reviewers: self.reviewers.clone(),
        }
    }

    /// The saved activity as its form, keeping only reviewers who still hold a seat (the
    /// page says who will be taken off).
    fn from_activity(activity: &Activity, holders: &[&TeamMember]) -> Self {
        Self {
            day: activity.day.to_string(),
            starts: activity.starts.format("%-H:%M").to_string(),
            ends: activity.ends.format("%-H:%M").to_string(),
            kind: activity.kind.code().to_owned(),
            title: activity.title.clone(),
            place: activity.place.clone(),
            kloe: activity
                .kloe
                .map_or_else(|| NO_KLOE.to_owned(), |number| number.to_string()),
            reviewers: activity
                .reviewers
                .iter()
                .filter(|id| holders.iter().any(|member| member.id == **id))
                .map(ToString::to_string)
                .collect(),
        }
    }
}

/// The days to choose from: the visit days, and the day typed or saved if it is another
/// (dates move; the activity keeps its day until the lead changes it).
fn day_options(loaded: &LoadedChallenge, typed: &str) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = loaded
        .record
        .visit_days
        .iter()
        .map(|day| (day.to_string(), long_day(*day)))
        .collect();
    if let Ok(day) = NaiveDate::parse_from_str(typed, "%Y-%m-%d")
        && !loaded.record.visit_days.contains(&day)
    {
        options.push((
            day.to_string(),
            format!("{} (not a visit day)", long_day(day)),
        ));
    }
    options
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/visit/activity.html")]
pub struct ActivityPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    heading: &'static str,
    action: String,
    button: &'static str,
    /// None when there are no visit days to choose from yet.
    day: Option<Radios>,
    starts: TextInput,
    ends: TextInput,
    kind: Radios,
    title: TextInput,
    place: TextInput,
    kloe: Option<Radios>,
    reviewers: Option<Checkboxes>,
    /// People on the saved activity who have left the team.
    leaving: Vec<String>,
    delete_href: Option<String>,
}

fn radios(name: &str, legend: &str, options: &[(String, String)], selected: &str) -> Radios {
    Radios {
        id_prefix: name.to_owned(),
        name: name.to_owned(),
        legend: legend.to_owned(),
        legend_classes: Some("govuk-fieldset__legend--s"),
        items: options
            .iter()
            .map(|(value, text)| RadioItem {
                value: value.clone(),
                text: text.clone(),
                hint: None,
                checked: value == selected,
            })
            .collect(),
        ..Radios::default()
    }
}

/// The form page, new (`editing` None) or an edit, with what was typed and any errors.
fn activity_page(
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    editing: Option<&Activity>,
    form: &ActivityForm,
    errors: &FormErrors,
) -> ActivityPage {
    let timetable = timetable_href(loaded);
    let days = day_options(loaded, &form.day);
    let day = (!days.is_empty()).then(|| radios("day", "Day", &days, &form.day).errors(errors));
    let kinds: Vec<(String, String)> = ActivityKind::ALL
        .iter()
        .map(|kind| (kind.code().to_owned(), kind.label().to_owned()))
        .collect();
    let kloe = (!loaded.record.kloes.is_empty()).then(|| {
        let mut options: Vec<(String, String)> = loaded
            .record
            .kloes
            .iter()
            .enumerate()
            .map(|(index, kloe)| {
                (
                    (index + 1).to_string(),
                    format!("KLOE {}: {}", index + 1, kloe.question),
                )
            })
            .collect();
        options.push((NO_KLOE.to_owned(), "None".to_owned()));
        radios("kloe", "Key line of enquiry", &options, &form.kloe)
            .hint("Which KLOE the activity gathers evidence for")
            .errors(errors)
    });
    let holders = seat_holders(&loaded.team);
    let reviewers = (!holders.is_empty()).then(|| Checkboxes {
        id_prefix: "reviewers".into(),
        name: "reviewers".into(),
        legend: "Reviewers".into(),
        legend_classes: Some("govuk-fieldset__legend--s"),
        hint: Some("Select everyone from the team who takes part. Select all that apply.".into()),
        error: errors.get("reviewers"),
        items: holders
            .iter()
            .map(|member| {
                let value = member.id.to_string();
                CheckboxItem {
                    checked: form.reviewers.contains(&value),
                    value,
                    text: member.name.clone(),
                    hint: Some(format!(
                        "{}, {}",
                        member.seat_role.label(),
                        member.status.label().to_lowercase()
                    )),
                }
            })
            .collect(),
    });
    let leaving = editing
        .map(|activity| {
            loaded
                .team
                .iter()
                .filter(|member| {
                    !member.status.holds_seat() && activity.reviewers.contains(&member.id)
                })
                .map(|member| member.name.clone())
                .collect()
        })
        .unwrap_or_default();
    let (heading, action, button, delete_href) = match editing {
        Some(activity) => (
            "Change an activity",
            format!("{timetable}/{}", activity.id),
            "Save changes",
            Some(format!("{timetable}/{}/delete", activity.id)),
        ),
        None => (
            "Add an activity",
            format!("{timetable}/new"),
            "Add activity",
            None,
        ),
    };
    ActivityPage {
        chrome: Chrome::new(visitor, heading, NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: timetable,
        caption: caption(loaded),
        heading,
        action,
        button,
        day,
        starts: TextInput::new("starts", "Start time")
            .hint("For example, 9:30 or 14:00")
            .classes("govuk-input--width-5")
            .spellcheck(false)
            .value(&form.starts)
            .errors(errors),
        ends: TextInput::new("ends", "End time")
            .hint("For example, 10:30 or 15:00")
            .classes("govuk-input--width-5")
            .spellcheck(false)
            .value(&form.ends)
            .errors(errors),
        kind: radios("kind", "Type of activity", &kinds, &form.kind).errors(errors),
        title: TextInput::new("title", "Title")
            .hint("For example, Case sampling with the SEND casework team. Do not name children or families.")
            .limit(TITLE_LIMIT)
            .value(&form.title)
            .errors(errors),
        place: TextInput::new("place", "Room, place or online link")
            .hint("For example, Room 2, Loxley House, or the meeting link starting https://.")
            .limit(PLACE_LIMIT)
            .spellcheck(false)
            .value(&form.place)
            .errors(errors),
        kloe,
        reviewers,
        leaving,
        delete_href,
    }
}

async fn load_activity(
    state: &AppState,
    loaded: &LoadedChallenge,
    id: ActivityId,
) -> Result<Activity, AppError> {
    state
        .store
        .activity(loaded.record.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Where a change goes when the challenge has moved past preparation meanwhile.
fn closed(loaded: &LoadedChallenge) -> Response {
    see_other(&format!("{}?notice=closed", timetable_href(loaded)))
}

pub async fn show_new_activity(
    visitor: Visitor,
    loaded: LoadedChallenge,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let page = activity_page(
        &visitor,
        &loaded,
        None,
        &ActivityForm::default(),
        &FormErrors::default(),
    );
    Ok(page.into_response())
}

/// Check the form and save it, or show it again with every answer and every problem.
async fn save(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    editing: Option<&Activity>,
    form: &ActivityForm,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(loaded));
    }
    let allowed: Vec<TeamMemberId> = seat_holders(&loaded.team)
        .iter()
        .map(|member| member.id)
        .collect();
    let errors = match form.answers().check(loaded.record.kloes.len(), &allowed) {
        Ok(plan) => {
            let now = Utc::now();
            let challenge = loaded.record.id;
            let result = match editing {
                Some(activity) => state
                    .store
                    .update_activity(challenge, activity.id, &plan, principal.user_id, now)
                    .await
                    .map(|()| "changed"),
                None => state
                    .store
                    .add_activity(challenge, &plan, principal.user_id, now)
                    .await
                    .map(|_| "added"),
            };
            match result {
                Ok(notice) => {
                    return Ok(see_other(&format!(
                        "{}?notice={notice}",
                        timetable_href(loaded)
                    )));
                }
                Err(StoreError::Conflict(message)) => {
                    let mut errors = FormErrors::default();
                    errors.add("reviewers", message);
                    errors
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(problems) => FormErrors::from_problems(problems),
    };
    let page = activity_page(visitor, loaded, editing, form, &errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn add_activity(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<ActivityForm>,
) -> Result<Response, AppError> {
    save(&state, &visitor, &loaded, None, &form).await
}

pub async fn show_activity(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, activity)): Id<(ChallengeId, ActivityId)>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let activity = load_activity(&state, &loaded, activity).await?;
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let form = ActivityForm::from_activity(&activity, &seat_holders(&loaded.team));
    let page = activity_page(
        &visitor,
        &loaded,
        Some(&activity),
        &form,
        &FormErrors::default(),
    );
    Ok(page.into_response())
}

pub async fn change_activity(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, activity)): Id<(ChallengeId, ActivityId)>,
    Form(form): Form<ActivityForm>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let activity = load_activity(&state, &loaded, activity).await?;
    save(&state, &visitor, &loaded, Some(&activity), &form).await
}

// ---- Deleting ------------------------------------------------------------------------------

fn delete_page(visitor: &Visitor, loaded: &LoadedChallenge, activity: &Activity) -> DeletePage {
    let timetable = timetable_href(loaded);
    DeletePage {
        chrome: Chrome::new(visitor, "Delete an activity", NAV),
        caption: caption(loaded),
        heading: "Are you sure you want to delete this activity?".into(),
        details: vec![
            ("Activity".into(), activity.title.clone()),
            ("Type".into(), activity.kind.label().into()),
            (
                "When".into(),
                format!(
                    "{}, {} to {}",
                    long_day(activity.day),
                    clock(activity.starts),
                    clock(activity.ends)
                ),
            ),
            ("Place".into(), activity.place.clone()),
        ],
        warning: "The activity will be taken off the timetable and out of the reviewers' calendars.",
        action: format!("{timetable}/{}/delete", activity.id),
        back: format!("{timetable}/{}", activity.id),
        button: "Delete activity",
    }
}

pub async fn show_delete_activity(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, activity)): Id<(ChallengeId, ActivityId)>,
) -> Result<Response, AppError> {
    visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let activity = load_activity(&state, &loaded, activity).await?;
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    Ok(delete_page(&visitor, &loaded, &activity).into_response())
}

pub async fn delete_activity(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, activity)): Id<(ChallengeId, ActivityId)>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::PrepareVisit(loaded.access.clone()))?;
    let activity = load_activity(&state, &loaded, activity).await?;
    let timetable = timetable_href(&loaded);
    if !form.confirmed() {
        return Ok(see_other(&format!("{timetable}/{}/delete", activity.id)));
    }
    if !loaded.record.state.may_prepare_visit() {
        return Ok(closed(&loaded));
    }
    let result = state
        .store
        .delete_activity(loaded.record.id, activity.id, principal.user_id, Utc::now())
        .await;
    after_delete(result, &timetable)
}
