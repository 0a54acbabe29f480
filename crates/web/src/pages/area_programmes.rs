//! The programmes an area took part in, as a panel of its authority page: the thematic events
//! (its nominees, its return, its next steps' progress) and the biennial cycles (whom it
//! challenged, who challenged it, its agreed actions, the support it gave and received), each
//! linking to the event or cycle. Each part is shown only as far as the policy lets the
//! visitor see it.

use askama::Template;
use chrono::NaiveDate;
use domain::biennial::CycleState;
use domain::events::EventState;
use domain::{Action, AuthoritySlug, Programme, ProgrammeActivityId};
use store::{NextStepFilter, PlannedAction, ReturnFilter};

use crate::dates;
use crate::visitor::Visitor;
use crate::{AppError, AppState};

/// The panel, rendered inside the authority page.
#[derive(Template)]
#[template(path = "pages/area_programmes.html")]
pub struct AreaProgrammes {
    /// None when the visitor may not see events at all (reviewers).
    pub events: Option<Vec<EventLine>>,
    /// None when the visitor may not see biennial cycles at all.
    pub cycles: Option<Vec<CycleLine>>,
    /// Whether the events table has its return and next-steps columns.
    pub shows_returns: bool,
    pub shows_progress: bool,
}

pub struct EventLine {
    pub href: String,
    pub title: String,
    pub date: String,
    pub state: &'static str,
    pub nominees: usize,
    /// None when the visitor may not see the area's returns.
    pub returned: Option<String>,
    /// None when the visitor may not see the area's progress.
    pub progress: Option<String>,
}

pub struct CycleLine {
    pub href: String,
    pub title: String,
    pub date: String,
    pub state: &'static str,
    /// None until the pairing is published (the co-ordinator sees the draft).
    pub challenged: Option<String>,
    pub challenged_by: Option<String>,
    /// None when the visitor may not see the area's progress.
    pub actions: Option<Vec<String>>,
    pub support_given: Vec<String>,
    pub support_received: Vec<String>,
}

/// "3 next steps: 1 complete, 1 overdue", or that none are recorded yet.
fn progress(steps: &[&PlannedAction], today: NaiveDate, noun: &str) -> String {
    if steps.is_empty() {
        return format!("No {noun}s recorded yet");
    }
    let complete = steps
        .iter()
        .filter(|s| s.entry.rag == domain::next_steps::Rag::Complete)
        .count();
    let overdue = steps.iter().filter(|s| s.entry.is_overdue(today)).count();
    let total = if steps.len() == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", steps.len())
    };
    format!("{total}: {complete} complete, {overdue} overdue")
}

/// The panel for `area` as `visitor` may see it.
pub async fn area_programmes(
    state: &AppState,
    visitor: &Visitor,
    area: &AuthoritySlug,
) -> Result<AreaProgrammes, AppError> {
    let today = state.today();
    let sees_progress = visitor.may(&Action::ViewAreaProgress(area.clone()));
    let sees_returns = visitor.may(&Action::ViewAreaReturns(area.clone()));
    let steps = if sees_progress {
        state
            .store
            .next_steps(&NextStepFilter {
                area: Some(area.clone()),
                programme: None,
            })
            .await?
    } else {
        Vec::new()
    };
    let steps_of = |activity: ProgrammeActivityId| -> Vec<&PlannedAction> {
        steps.iter().filter(|s| s.activity.id == activity).collect()
    };
    let names = state.store.authority_names().await?;
    let name = |slug: &AuthoritySlug| names.get(slug).cloned().unwrap_or_else(|| slug.to_string());

    let events = if visitor.may(&Action::ViewEvents) {
        let returns = if sees_returns {
            state
                .store
                .returns(&ReturnFilter {
                    area: Some(area.clone()),
                    programme: Some(Programme::Thematic),
                })
                .await?
        } else {
            Vec::new()
        };
        let mut lines = Vec::new();
        for event in state.store.events().await? {
            if !event.areas.contains(area)
                || matches!(event.state, EventState::Draft | EventState::Cancelled)
            {
                continue;
            }
            let nominees = state
                .store
                .nominations(event.id)
                .await?
                .iter()
                .filter(|n| &n.area == area && !n.nominee.deputy)
                .count();
            let returned = sees_returns.then(|| {
                returns
                    .iter()
                    .find(|r| r.activity.id == event.id)
                    .map_or_else(
                        || "Not owed yet".to_owned(),
                        |r| r.standing(today).label().to_owned(),
                    )
            });
            lines.push(EventLine {
                href: format!("/events/{}", event.id),
                title: event.details.title.to_string(),
                date: dates::date(event.details.date),
                state: event.state.label(),
                nominees,
                returned,
                progress: sees_progress.then(|| progress(&steps_of(event.id), today, "next step")),
            });
        }
        Some(lines)
    } else {
        None
    };

    let cycles = if visitor.may(&Action::ViewBiennial) {
        let mut lines = Vec::new();
        for summary in state.store.biennial_cycles().await? {
            let Some(cycle) = state.store.biennial_cycle(summary.id).await? else {
                continue;
            };
            if !cycle.areas.contains(area) {
                continue;
            }
            let pairing_seen =
                cycle.state != CycleState::Planning || visitor.may(&Action::ManageBiennial);
            let pair_with =
                |mine: fn(&domain::biennial::Pair) -> &AuthoritySlug,
                 theirs: fn(&domain::biennial::Pair) -> &AuthoritySlug| {
                    pairing_seen
                        .then(|| {
                            cycle
                                .pairs
                                .iter()
                                .find(|p| mine(&p.pair) == area)
                                .map(|p| name(theirs(&p.pair)))
                        })
                        .flatten()
                };
            let offers = state.store.biennial_support_offers(cycle.id).await?;
            let actions = sees_progress.then(|| {
                let mine = steps_of(cycle.id);
                let mut list = vec![progress(&mine, today, "agreed action")];
                list.extend(mine.iter().map(|s| {
                    format!(
                        "{}: {} ({})",
                        s.entry.reference,
                        s.entry.action,
                        s.entry.rag.label()
                    )
                }));
                list
            });
            lines.push(CycleLine {
                href: format!("/biennial/{}", cycle.id),
                title: cycle.title.clone(),
                date: dates::date(cycle.details.event_date),
                state: cycle.state.label(),
                challenged: pair_with(|p| &p.challenger, |p| &p.challenged),
                challenged_by: pair_with(|p| &p.challenged, |p| &p.challenger),
                actions,
                support_given: offers
                    .iter()
                    .filter(|o| &o.from == area)
                    .map(|o| format!("To {}: {}", name(&o.to), o.what))
                    .collect(),
                support_received: offers
                    .iter()
                    .filter(|o| &o.to == area)
                    .map(|o| format!("From {}: {}", name(&o.from), o.what))
                    .collect(),
            });
        }
        Some(lines)
    } else {
        None
    };
    Ok(AreaProgrammes {
        events,
        cycles,
        shows_returns: sees_returns,
        shows_progress: sees_progress,
    })
}
