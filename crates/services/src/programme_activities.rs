//! The board's list of thematic events and biennial cycles as a read model: each activity
//! with its returns and actions counted by the store in a fixed few grouped statements,
//! however many activities, returns and actions the region holds.

use chrono::NaiveDate;
use domain::{Action, Principal, Programme, authorise};
use store::{ActivityTally, BiennialSummary, Store, ThematicEvent};

use crate::reads::Unreadable;

/// The events and cycles of the programme chosen; None for a programme the filter leaves out.
#[derive(Debug)]
pub struct ProgrammeActivities {
    pub events: Option<Vec<(ThematicEvent, ActivityTally)>>,
    pub cycles: Option<Vec<(BiennialSummary, ActivityTally)>>,
}

/// Every event and cycle (of `programme`, or all) with its tally on `today`.
pub async fn programme_activities(
    store: &Store,
    principal: Option<&Principal>,
    programme: Option<Programme>,
    today: NaiveDate,
) -> Result<ProgrammeActivities, Unreadable> {
    authorise(principal, &Action::ViewRegionalProgress)?;
    let shows = |shown| programme.is_none() || programme == Some(shown);
    let tallies = store.activity_tallies(today).await?;
    let tally_of = |id| tallies.get(&id).cloned().unwrap_or_default();
    let events = if shows(Programme::Thematic) {
        let events = store.events().await?;
        Some(
            events
                .into_iter()
                .map(|event| {
                    let tally = tally_of(event.id);
                    (event, tally)
                })
                .collect(),
        )
    } else {
        None
    };
    let cycles = if shows(Programme::Biennial) {
        let cycles = store.biennial_cycles().await?;
        Some(
            cycles
                .into_iter()
                .map(|cycle| {
                    let tally = tally_of(cycle.id);
                    (cycle, tally)
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(ProgrammeActivities { events, cycles })
}
