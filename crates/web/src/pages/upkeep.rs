//! The co-ordinator's view of the scheduled upkeep jobs: when each last ran, how it ended and
//! when it runs next, so a job that keeps failing is seen rather than silently missed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::Method;
use axum::routing::get;
use chrono::Utc;
use domain::Action;
use domain::upkeep::RunOutcome;
use store::UpkeepJobStatus;

use crate::pages::Chrome;
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// Every route of scheduled upkeep, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![route(Method::GET, "/admin/upkeep", get(show_upkeep))]
}

struct JobCard {
    label: &'static str,
    last_run: String,
    outcome: &'static str,
    tag_class: &'static str,
    summary: String,
    next_run: String,
}

impl From<UpkeepJobStatus> for JobCard {
    fn from(status: UpkeepJobStatus) -> Self {
        let (outcome, tag_class) = match (&status.last_outcome, status.running) {
            (_, true) => ("Running", "govuk-tag--blue"),
            (None, false) => ("Not run yet", "govuk-tag--grey"),
            (Some(RunOutcome::Succeeded(_)), false) => ("Succeeded", "govuk-tag--green"),
            (Some(RunOutcome::Failed(_)), false) => ("Failed", "govuk-tag--red"),
        };
        let mut summary = status
            .last_outcome
            .as_ref()
            .map(|outcome| outcome.summary().to_owned())
            .unwrap_or_default();
        if status.failures_in_a_row > 1 {
            summary = format!(
                "{summary} ({} failures in a row; retried with a growing wait)",
                status.failures_in_a_row
            );
        }
        Self {
            label: status.job.label(),
            last_run: status
                .last_finished_at
                .map_or_else(|| "Never".to_owned(), dates::date_time),
            outcome,
            tag_class,
            summary,
            next_run: dates::date_time(status.next_run_at),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/upkeep.html")]
pub struct UpkeepPage {
    chrome: Chrome,
    jobs: Vec<JobCard>,
}

pub async fn show_upkeep(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<UpkeepPage, AppError> {
    visitor.authorise(&Action::ViewUpkeep)?;
    let jobs = state.store.upkeep_jobs(Utc::now()).await?;
    Ok(UpkeepPage {
        chrome: Chrome::new(&visitor, "Scheduled jobs", "/admin/upkeep"),
        jobs: jobs.into_iter().map(JobCard::from).collect(),
    })
}
