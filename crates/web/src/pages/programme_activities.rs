//! The board's list of thematic events and biennial cycles (`/progress/programmes`), beside
//! the regional progress page and under its programme filter: each activity's state, returns
//! received of expected, its areas' actions and the overview's downloads. A page of its own
//! keeps the region page's statements fixed; this one reads a fixed few too.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::routing::get;
use domain::{Action, Programme, ProgrammeActivityId};
use store::{NextStepFilter, OwedReturn, PlannedAction, ReturnFilter};

use crate::components::SelectItem;
use crate::dates;
use crate::pages::Chrome;
use crate::pages::overview_files::OverviewDownloads;
use crate::pages::progress::ProgrammeQuery;
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

pub fn routes() -> Vec<Route> {
    vec![route(
        Method::GET,
        "/progress/programmes",
        get(show_programme_activities),
    )]
}

pub struct ActivityRow {
    pub href: String,
    pub title: String,
    pub date: String,
    pub state: &'static str,
    pub returns: String,
    pub actions: String,
    pub overview: Option<OverviewDownloads>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/programme_activities.html")]
pub struct ProgrammeActivitiesPage {
    chrome: Chrome,
    filter_action: String,
    programmes: Vec<SelectItem>,
    suffix: String,
    /// None when the filter leaves the programme out.
    events: Option<Vec<ActivityRow>>,
    cycles: Option<Vec<ActivityRow>>,
}

fn returns_of(owed: &[OwedReturn], activity: ProgrammeActivityId) -> String {
    let mine: Vec<_> = owed.iter().filter(|r| r.activity.id == activity).collect();
    if mine.is_empty() {
        return "None owed yet".to_owned();
    }
    let received = mine.iter().filter(|r| r.submitted.is_some()).count();
    format!("{received} of {} returned", mine.len())
}

fn actions_of(
    steps: &[PlannedAction],
    activity: ProgrammeActivityId,
    today: chrono::NaiveDate,
) -> String {
    let mine: Vec<_> = steps.iter().filter(|s| s.activity.id == activity).collect();
    let overdue = mine.iter().filter(|s| s.entry.is_overdue(today)).count();
    match mine.len() {
        0 => "None yet".to_owned(),
        1 => format!("1 action, {overdue} overdue"),
        n => format!("{n} actions, {overdue} overdue"),
    }
}

pub async fn show_programme_activities(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ProgrammeQuery>,
) -> Result<ProgrammeActivitiesPage, AppError> {
    visitor.authorise(&Action::ViewRegionalProgress)?;
    let today = state.today();
    let chosen = query.programme();
    let shows = |programme| chosen.is_none() || chosen == Some(programme);
    let owed = state.store.returns(&ReturnFilter::default()).await?;
    let steps = state.store.next_steps(&NextStepFilter::default()).await?;
    let areas_of = |activity: ProgrammeActivityId| {
        owed.iter()
            .filter(|r| r.activity.id == activity)
            .map(|r| r.area.clone())
            .collect::<Vec<_>>()
    };
    let events = if shows(Programme::Thematic) {
        let mut rows = Vec::new();
        for event in state.store.events().await? {
            rows.push(ActivityRow {
                href: format!("/events/{}", event.id),
                title: event.details.title.to_string(),
                date: dates::date(event.details.date),
                state: event.state.label(),
                returns: returns_of(&owed, event.id),
                actions: actions_of(&steps, event.id, today),
                overview: crate::pages::overview_files::event_downloads(&visitor, &event),
            });
        }
        Some(rows)
    } else {
        None
    };
    let cycles = if shows(Programme::Biennial) {
        let mut rows = Vec::new();
        for cycle in state.store.biennial_cycles().await? {
            rows.push(ActivityRow {
                href: format!("/biennial/{}", cycle.id),
                title: store::cycle_title(cycle.year),
                date: dates::date(cycle.event_date),
                state: cycle.state.label(),
                returns: returns_of(&owed, cycle.id),
                actions: actions_of(&steps, cycle.id, today),
                overview: crate::pages::overview_files::summary_downloads(
                    &visitor,
                    &cycle,
                    areas_of(cycle.id),
                ),
            });
        }
        Some(rows)
    } else {
        None
    };
    Ok(ProgrammeActivitiesPage {
        chrome: Chrome::new(&visitor, "Thematic events and biennial cycles", "/progress"),
        filter_action: "/progress/programmes".into(),
        programmes: query.items(),
        suffix: query.suffix(),
        events,
        cycles,
    })
}
