//! The programmes an area took part in, as a read model for its authority page: the thematic
//! events (its nominees, its return, its next steps' progress) and the biennial cycles (whom
//! it challenged, who challenged it, its agreed actions, the support it gave and received).
//! Each part is read only as far as the policy lets the principal see it, and every part is
//! read for all the area's events and cycles at once: the statements do not grow with them.

use chrono::NaiveDate;
use domain::biennial::CycleState;
use domain::events::EventState;
use domain::next_steps::Rag;
use domain::programme::ReturnStanding;
use domain::{Action, AuthoritySlug, Principal, Programme, ProgrammeActivityId, authorise};
use store::{
    BiennialSummary, NextStepFilter, OfferedSupport, PlannedAction, ReturnFilter, Store,
    ThematicEvent,
};

use crate::reads::Unreadable;

/// The area's events and cycles as the principal may see them.
#[derive(Debug)]
pub struct AreaProgrammes {
    /// None when the principal may not see events at all (reviewers).
    pub events: Option<Vec<AreaEvent>>,
    /// None when the principal may not see biennial cycles at all.
    pub cycles: Option<Vec<AreaCycle>>,
    /// Whether the principal may see the area's returns and its next steps' progress.
    pub sees_returns: bool,
    pub sees_progress: bool,
}

/// An event the area takes part in (neither a draft nor cancelled).
#[derive(Debug)]
pub struct AreaEvent {
    pub event: ThematicEvent,
    /// The people the area named, deputies left out.
    pub nominees: usize,
    /// The area's return for the event; None when the principal may not see returns.
    pub returned: Option<Returned>,
    /// The area's next steps for the event; None when the principal may not see progress.
    pub progress: Option<StepsTally>,
}

/// Where the area's return for an activity stands.
#[derive(Debug, PartialEq, Eq)]
pub enum Returned {
    NotOwedYet,
    Owed(ReturnStanding),
}

/// How many of an area's next steps for an activity there are, complete and overdue.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StepsTally {
    pub total: usize,
    pub complete: usize,
    pub overdue: usize,
}

/// A cycle the area takes part in.
#[derive(Debug)]
pub struct AreaCycle {
    pub cycle: BiennialSummary,
    /// The names of the area it challenges and of the area challenging it; None until the
    /// pairing is published (the co-ordinator sees the draft) or when it has no pair.
    pub challenges: Option<String>,
    pub challenged_by: Option<String>,
    /// The area's agreed actions, tallied; None when the principal may not see progress.
    pub actions: Option<(StepsTally, Vec<PlannedAction>)>,
    /// The support the area offered (to whom, by name) and received (from whom).
    pub support_given: Vec<(String, OfferedSupport)>,
    pub support_received: Vec<(String, OfferedSupport)>,
}

/// The panel's reading of `area` for `principal` on `today`.
pub async fn area_programmes(
    store: &Store,
    principal: Option<&Principal>,
    area: &AuthoritySlug,
    today: NaiveDate,
) -> Result<AreaProgrammes, Unreadable> {
    let may = |action: &Action| authorise(principal, action).is_ok();
    let sees_progress = may(&Action::ViewAreaProgress(area.clone()));
    let sees_returns = may(&Action::ViewAreaReturns(area.clone()));
    let steps = if sees_progress {
        store
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
    let names = store.authority_names().await?;
    let name = |slug: &AuthoritySlug| names.get(slug).cloned().unwrap_or_else(|| slug.to_string());

    let events = if may(&Action::ViewEvents) {
        let returns = if sees_returns {
            store
                .returns(&ReturnFilter {
                    area: Some(area.clone()),
                    programme: Some(Programme::Thematic),
                })
                .await?
        } else {
            Vec::new()
        };
        let nominees = store.nominee_counts(area).await?;
        let taking_part = store.events().await?.into_iter().filter(|event| {
            event.areas.contains(area)
                && !matches!(event.state, EventState::Draft | EventState::Cancelled)
        });
        Some(
            taking_part
                .map(|event| AreaEvent {
                    nominees: nominees.get(&event.id).copied().unwrap_or(0),
                    returned: sees_returns.then(|| {
                        returns
                            .iter()
                            .find(|r| r.activity.id == event.id)
                            .map_or(Returned::NotOwedYet, |r| Returned::Owed(r.standing(today)))
                    }),
                    progress: sees_progress.then(|| tally(&steps_of(event.id), today)),
                    event,
                })
                .collect(),
        )
    } else {
        None
    };

    let cycles = if may(&Action::ViewBiennial) {
        let manages = may(&Action::ManageBiennial);
        let cycles = store.area_biennial_cycles(area).await?;
        Some(
            cycles
                .into_iter()
                .map(|taken| {
                    let pairing_seen = taken.summary.state != CycleState::Planning || manages;
                    let challenges = taken
                        .pairs
                        .iter()
                        .find(|p| &p.challenger == area)
                        .map(|p| name(&p.challenged));
                    let challenged_by = taken
                        .pairs
                        .iter()
                        .find(|p| &p.challenged == area)
                        .map(|p| name(&p.challenger));
                    let (support_given, support_received) = taken.offers.into_iter().fold(
                        (Vec::new(), Vec::new()),
                        |(mut given, mut received), offer| {
                            if &offer.from == area {
                                given.push((name(&offer.to), offer.clone()));
                            }
                            if &offer.to == area {
                                received.push((name(&offer.from), offer));
                            }
                            (given, received)
                        },
                    );
                    AreaCycle {
                        challenges: challenges.filter(|_| pairing_seen),
                        challenged_by: challenged_by.filter(|_| pairing_seen),
                        actions: sees_progress.then(|| {
                            let mine = steps_of(taken.summary.id);
                            (tally(&mine, today), mine.into_iter().cloned().collect())
                        }),
                        support_given,
                        support_received,
                        cycle: taken.summary,
                    }
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(AreaProgrammes {
        events,
        cycles,
        sees_returns,
        sees_progress,
    })
}

/// How many `steps` there are, how many complete and how many overdue on `today`.
fn tally(steps: &[&PlannedAction], today: NaiveDate) -> StepsTally {
    StepsTally {
        total: steps.len(),
        complete: steps
            .iter()
            .filter(|s| s.entry.rag == Rag::Complete)
            .count(),
        overdue: steps.iter().filter(|s| s.entry.is_overdue(today)).count(),
    }
}

#[cfg(test)]
mod tests {
    use domain::biennial::{CycleAnswers, Pair};
    use domain::{Role, ThemeCode};
    use store::StoredPair;

    use super::*;
    use crate::read_model_fixtures::{account, day, grant, made_at, slug};

    /// A 2027 cycle of Derby, Leicester and Rutland, paired in a ring but still in planning.
    async fn cycle_paired_in_planning(store: &Store, by: &Principal) -> ProgrammeActivityId {
        let details = CycleAnswers {
            year: "2027".into(),
            event_date: "15/10/2027".into(),
            venue: "East Midlands Conference Centre".into(),
            kloes_due: "01/10/2027".into(),
            actions_due: "30/11/2027".into(),
            priority_1: "Preparing for adulthood".into(),
            priority_1_themes: vec!["PFA".into()],
            ..CycleAnswers::default()
        }
        .check(&[ThemeCode::parse("PFA").expect("code")])
        .expect("valid details");
        let areas = [slug("derby"), slug("leicester"), slug("rutland")];
        let id = store
            .create_biennial_cycle(&details, &areas, by, made_at())
            .await
            .expect("cycle");
        let ring: Vec<StoredPair> = [
            ("derby", "leicester"),
            ("leicester", "rutland"),
            ("rutland", "derby"),
        ]
        .into_iter()
        .map(|(challenger, challenged)| StoredPair {
            pair: Pair {
                challenger: slug(challenger),
                challenged: slug(challenged),
            },
            reason: "generated".into(),
            overridden: None,
        })
        .collect();
        store
            .save_biennial_pairing(
                id,
                &store::PairingChange {
                    seen: &[],
                    pairs: &ring,
                    seed: Some(1),
                    summary: "generated".into(),
                },
                by,
                made_at(),
            )
            .await
            .expect("paired");
        id
    }

    store::store_test!(
        each_part_is_read_only_as_far_as_the_principal_may_see_it,
        |store: Store| async move {
            let coordinator = account(
                &store,
                "Cora Ordinator",
                vec![grant(Role::Coordinator, None)],
            )
            .await;
            let board = account(&store, "Bo Ard", vec![grant(Role::Board, None)]).await;
            let other_lead = account(
                &store,
                "Lee Rutland",
                vec![grant(Role::LaLead, Some("rutland"))],
            )
            .await;
            let reviewer = account(&store, "Rae Viewer", vec![grant(Role::Reviewer, None)]).await;
            let cycle = cycle_paired_in_planning(&store, &coordinator).await;
            let derby = slug("derby");
            let today = day(7, 1);
            let read = |who: Principal| {
                let store = store.clone();
                let derby = derby.clone();
                async move {
                    area_programmes(&store, Some(&who), &derby, today)
                        .await
                        .expect("panel")
                }
            };

            // The co-ordinator runs the cycle, so sees the draft pairing.
            let seen = read(coordinator).await;
            assert!(seen.sees_progress && seen.sees_returns);
            let cycles = seen.cycles.expect("cycles");
            assert_eq!(cycles.len(), 1);
            assert_eq!(cycles[0].cycle.id, cycle);
            assert_eq!(cycles[0].challenges.as_deref(), Some("Leicester"));
            assert_eq!(cycles[0].challenged_by.as_deref(), Some("Rutland"));
            assert!(cycles[0].actions.is_some());

            // The board sees the area's progress but not a pairing still being drawn.
            let seen = read(board).await;
            assert!(seen.sees_progress && seen.sees_returns && seen.events.is_some());
            let cycles = seen.cycles.expect("cycles");
            assert_eq!(
                (
                    cycles[0].challenges.as_ref(),
                    cycles[0].challenged_by.as_ref()
                ),
                (None, None)
            );

            // Another area's lead sees the programmes but not Derby's returns or progress.
            let seen = read(other_lead).await;
            assert!(!seen.sees_progress && !seen.sees_returns);
            let cycles = seen.cycles.expect("cycles");
            assert!(cycles[0].actions.is_none());

            // A reviewer sees neither events nor cycles.
            let seen = read(reviewer).await;
            assert!(seen.events.is_none() && seen.cycles.is_none());
        }
    );
}
