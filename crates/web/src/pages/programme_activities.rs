//! The board's list of thematic events and biennial cycles (`/progress/programmes`), beside
//! the regional progress page and under its programme filter: each activity's state, returns
//! received of expected, its areas' actions and the overview's downloads. A page of its own
//! keeps the region page's statements fixed; this one reads a fixed few too
//! (`services::programme_activities`, the store counting every activity at once).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::routing::get;
use services::programme_activities::programme_activities;
use store::ActivityTally;

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

fn returns_of(tally: &ActivityTally) -> String {
    match tally.returns_owed {
        0 => "None owed yet".to_owned(),
        owed => format!("{} of {owed} returned", tally.returns_received),
    }
}

fn actions_of(tally: &ActivityTally) -> String {
    let overdue = tally.overdue;
    match tally.actions {
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
    let listed = programme_activities(
        &state.store,
        visitor.principal.as_ref(),
        query.programme(),
        state.today(),
    )
    .await?;
    let events = listed.events.map(|events| {
        events
            .iter()
            .map(|(event, tally)| ActivityRow {
                href: format!("/events/{}", event.id),
                title: event.details.title.to_string(),
                date: dates::date(event.details.date),
                state: event.state.label(),
                returns: returns_of(tally),
                actions: actions_of(tally),
                overview: crate::pages::overview_files::event_downloads(&visitor, event),
            })
            .collect()
    });
    let cycles = listed.cycles.map(|cycles| {
        cycles
            .into_iter()
            .map(|(cycle, tally)| ActivityRow {
                href: format!("/biennial/{}", cycle.id),
                title: store::cycle_title(cycle.year),
                date: dates::date(cycle.event_date),
                state: cycle.state.label(),
                returns: returns_of(&tally),
                actions: actions_of(&tally),
                overview: crate::pages::overview_files::summary_downloads(
                    &visitor,
                    &cycle,
                    tally.areas_owing,
                ),
            })
            .collect()
    });
    Ok(ProgrammeActivitiesPage {
        chrome: Chrome::new(&visitor, "Thematic events and biennial cycles", "/progress"),
        filter_action: "/progress/programmes".into(),
        programmes: query.items(),
        suffix: query.suffix(),
        events,
        cycles,
    })
}
