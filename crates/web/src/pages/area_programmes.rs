//! The programmes an area took part in, as a panel of its authority page: the thematic events
//! (its nominees, its return, its next steps' progress) and the biennial cycles (whom it
//! challenged, who challenged it, its agreed actions, the support it gave and received), each
//! linking to the event or cycle. Each part is shown only as far as the policy lets the
//! visitor see it: `services::area_programmes` reads it so.

use askama::Template;
use domain::AuthoritySlug;
use services::area_programmes::{Returned, StepsTally};

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
fn progress(steps: &StepsTally, noun: &str) -> String {
    if steps.total == 0 {
        return format!("No {noun}s recorded yet");
    }
    let total = if steps.total == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", steps.total)
    };
    format!(
        "{total}: {} complete, {} overdue",
        steps.complete, steps.overdue
    )
}

/// The panel for `area` as `visitor` may see it.
pub async fn area_programmes(
    state: &AppState,
    visitor: &Visitor,
    area: &AuthoritySlug,
) -> Result<AreaProgrammes, AppError> {
    let seen = services::area_programmes::area_programmes(
        &state.store,
        visitor.principal.as_ref(),
        area,
        state.today(),
    )
    .await?;
    let events = seen.events.map(|events| {
        events
            .into_iter()
            .map(|line| EventLine {
                href: format!("/events/{}", line.event.id),
                title: line.event.details.title.to_string(),
                date: dates::date(line.event.details.date),
                state: line.event.state.label(),
                nominees: line.nominees,
                returned: line.returned.map(|returned| match returned {
                    Returned::NotOwedYet => "Not owed yet".to_owned(),
                    Returned::Owed(standing) => standing.label().to_owned(),
                }),
                progress: line.progress.map(|steps| progress(&steps, "next step")),
            })
            .collect()
    });
    let cycles = seen.cycles.map(|cycles| {
        cycles
            .into_iter()
            .map(|line| CycleLine {
                href: format!("/biennial/{}", line.cycle.id),
                title: store::cycle_title(line.cycle.year),
                date: dates::date(line.cycle.event_date),
                state: line.cycle.state.label(),
                challenged: line.challenges,
                challenged_by: line.challenged_by,
                actions: line.actions.map(|(steps, actions)| {
                    std::iter::once(progress(&steps, "agreed action"))
                        .chain(actions.iter().map(|s| {
                            format!(
                                "{}: {} ({})",
                                s.entry.reference,
                                s.entry.action,
                                s.entry.rag.label()
                            )
                        }))
                        .collect()
                }),
                support_given: line
                    .support_given
                    .iter()
                    .map(|(to, offer)| format!("To {to}: {}", offer.what))
                    .collect(),
                support_received: line
                    .support_received
                    .iter()
                    .map(|(from, offer)| format!("From {from}: {}", offer.what))
                    .collect(),
            })
            .collect()
    });
    Ok(AreaProgrammes {
        events,
        cycles,
        shows_returns: seen.sees_returns,
        shows_progress: seen.sees_progress,
    })
}
