//! The board's view of next steps as read models: the region's areas by RAG status with their
//! overdue actions and the months for the chart, one area's actions grouped by the activity
//! they answer, and one action with its history. Which view a principal gets (an LA lead is
//! sent to their own area) and what counts as overdue are decided here; the pages word,
//! link and draw them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::next_steps::{ProgressNote, Rag, rag_by_month};
use domain::programme::ActivityRef;
use domain::{Action, ActionId, AuthoritySlug, ChallengeId, Principal, Programme, authorise};
use store::{ActionChange, ActionStanding, Authority, NextStepFilter, PlannedAction, Store};

use crate::action_plans::{AreaSummary, progress_svg};
use crate::dates::date;
use crate::reads::Unreadable;
use crate::view_cache::{ViewCache, ViewKey};

/// Each month end's count of actions by RAG status, as `rag_by_month` gives them.
pub type Months = Vec<(NaiveDate, [usize; 4])>;

/// What `/progress` shows the principal: the region, or (to an LA lead, who may not see the
/// region) their own area's page to go to instead.
#[derive(Debug)]
pub enum ProgressView {
    Region(RegionProgress),
    OwnArea(AuthoritySlug),
}

/// The region's next steps of a programme (or all): each current area's summary, the totals
/// and the months for the chart.
#[derive(Clone, Debug)]
pub struct RegionProgress {
    pub areas: Vec<AreaSummary>,
    pub totals: AreaSummary,
    pub months: Months,
    /// The months drawn as the page's chart (an `<svg>`, or a sentence when there are none),
    /// drawn once for as long as the view is kept.
    pub chart: String,
}

/// The region's chart's title, which the page shows and a screen reader reads.
const REGION_CHART_TITLE: &str = "Actions across the region by RAG status, month by month";

/// The region's next steps for `/progress`, or the lead's own area to go to.
pub async fn progress(
    store: &Store,
    views: &ViewCache,
    principal: Option<&Principal>,
    programme: Option<Programme>,
    today: NaiveDate,
) -> Result<ProgressView, Unreadable> {
    authorise(principal, &Action::ViewProgress)?;
    if authorise(principal, &Action::ViewRegionalProgress).is_err() {
        let own = principal.and_then(|p| p.led_authorities().next().cloned());
        return own
            .map(ProgressView::OwnArea)
            .ok_or(Unreadable::Denied(domain::Denied::Forbidden));
    }
    Ok(ProgressView::Region(
        region_progress(store, views, principal, programme, today).await?,
    ))
}

/// The region's next steps, for those who may see the region (the page and the board pack),
/// kept until the data changes.
pub async fn region_progress(
    store: &Store,
    views: &ViewCache,
    principal: Option<&Principal>,
    programme: Option<Programme>,
    today: NaiveDate,
) -> Result<RegionProgress, Unreadable> {
    authorise(principal, &Action::ViewRegionalProgress)?;
    let key = ViewKey::RegionProgress { programme, today };
    views
        .get_or_load(store, key, read_region_progress(store, programme, today))
        .await
}

async fn read_region_progress(
    store: &Store,
    programme: Option<Programme>,
    today: NaiveDate,
) -> Result<RegionProgress, Unreadable> {
    let filter = NextStepFilter {
        area: None,
        programme,
    };
    let standings = store.next_step_standings(&filter).await?;
    let areas: Vec<AreaSummary> = current_authorities(store)
        .await?
        .iter()
        .map(|area| summarise(area, &standings, today))
        .collect();
    let months = months(store, &filter, today).await?;
    Ok(RegionProgress {
        totals: AreaSummary::total_of(&areas),
        areas,
        chart: progress_svg(&months, REGION_CHART_TITLE),
        months,
    })
}

/// The region's actions of a programme (or all) with each current area's name by slug: the
/// board's workbook.
pub async fn region_actions(
    store: &Store,
    principal: Option<&Principal>,
    programme: Option<Programme>,
) -> Result<(Vec<PlannedAction>, BTreeMap<String, String>), Unreadable> {
    authorise(principal, &Action::ViewRegionalProgress)?;
    let actions = store
        .next_steps(&NextStepFilter {
            area: None,
            programme,
        })
        .await?;
    let names = current_authorities(store)
        .await?
        .into_iter()
        .map(|area| (area.slug.to_string(), area.name))
        .collect();
    Ok((actions, names))
}

/// One area's next steps of a programme (or all).
#[derive(Clone, Debug)]
pub struct AreaProgress {
    pub area: Authority,
    pub summary: AreaSummary,
    /// The area's actions by the activity they answer, in the store's order.
    pub activities: Vec<ActivityActions>,
    pub months: Months,
    /// The months drawn as the page's chart (an `<svg>`, or a sentence when there are none),
    /// drawn once for as long as the view is kept.
    pub chart: String,
    /// Whether the principal may go back to the region's page.
    pub sees_region: bool,
}

/// One activity's actions on an area's page, each with whether it is overdue.
#[derive(Clone, Debug)]
pub struct ActivityActions {
    pub activity: ActivityRef,
    pub actions: Vec<(PlannedAction, bool)>,
}

/// The area's next steps for `/progress/areas/{slug}`, kept until the data changes;
/// `NotFound` for no such area.
pub async fn area_progress(
    store: &Store,
    views: &ViewCache,
    principal: Option<&Principal>,
    area: &AuthoritySlug,
    programme: Option<Programme>,
    today: NaiveDate,
) -> Result<AreaProgress, Unreadable> {
    authorise(principal, &Action::ViewAreaProgress(area.clone()))?;
    let key = ViewKey::AreaProgress {
        area: area.clone(),
        programme,
        today,
    };
    let kept = views
        .get_or_load(
            store,
            key,
            read_area_progress(store, area, programme, today),
        )
        .await?;
    // Whose page it is not part of the kept view: the same view serves the board and the lead.
    Ok(AreaProgress {
        sees_region: authorise(principal, &Action::ViewRegionalProgress).is_ok(),
        ..kept
    })
}

/// The area's page as kept: `sees_region` is the asker's, set by `area_progress`.
async fn read_area_progress(
    store: &Store,
    area: &AuthoritySlug,
    programme: Option<Programme>,
    today: NaiveDate,
) -> Result<AreaProgress, Unreadable> {
    let authority = store.authority(area).await?.ok_or(Unreadable::NotFound)?;
    let filter = NextStepFilter {
        area: Some(area.clone()),
        programme,
    };
    let actions = store.next_steps(&filter).await?;
    let months = months(store, &filter, today).await?;
    Ok(AreaProgress {
        summary: summarise(
            &authority,
            &actions.iter().map(ActionStanding::from).collect::<Vec<_>>(),
            today,
        ),
        chart: progress_svg(
            &months,
            &format!("{}: actions by RAG status, month by month", authority.name),
        ),
        months,
        activities: by_activity(actions, today),
        area: authority,
        sees_region: false,
    })
}

/// One action as its page shows it.
#[derive(Debug)]
pub struct ActionProgress {
    pub action: PlannedAction,
    /// The area's name (its slug if the area is gone).
    pub area_name: String,
    /// The theme's label (its code if the theme is gone).
    pub theme: String,
    pub overdue: bool,
    /// Newest first.
    pub progress: Vec<ProgressNote>,
    /// Newest first.
    pub history: Vec<ActionChange>,
    /// The challenge whose plan the principal keeps this action in: those who keep the
    /// area's next steps are sent on to the plan; others only read it here.
    pub kept_in_plan: Option<ChallengeId>,
}

/// The action for `/progress/actions/{id}`; `NotFound` for no such action.
pub async fn action_progress(
    store: &Store,
    principal: Option<&Principal>,
    id: ActionId,
    today: NaiveDate,
) -> Result<ActionProgress, Unreadable> {
    let action = store.action(id).await?.ok_or(Unreadable::NotFound)?;
    authorise(
        principal,
        &Action::ViewAreaProgress(action.authority.clone()),
    )?;
    let area_name = store
        .authority(&action.authority)
        .await?
        .map_or_else(|| action.authority.to_string(), |a| a.name);
    let theme = store
        .themes()
        .await?
        .into_iter()
        .find(|theme| theme.code == action.entry.theme)
        .map_or_else(|| action.entry.theme.to_string(), |theme| theme.label);
    let history = store.action_history(id).await?;
    let keeps_plan = authorise(principal, &Action::KeepNextSteps(action.authority.clone())).is_ok();
    Ok(ActionProgress {
        area_name,
        theme,
        overdue: action.entry.is_overdue(today),
        progress: action.entry.progress.iter().rev().cloned().collect(),
        history: history.into_iter().rev().collect(),
        kept_in_plan: action.activity.challenge.filter(|_| keeps_plan),
        action,
    })
}

/// The region's current authorities (not the county Northamptonshire was before 2021).
async fn current_authorities(store: &Store) -> Result<Vec<Authority>, Unreadable> {
    Ok(store
        .authorities()
        .await?
        .into_iter()
        .filter(|authority| authority.valid_to.is_none())
        .collect())
}

/// The actions' RAG status at each month end, from their history.
async fn months(
    store: &Store,
    filter: &NextStepFilter,
    today: NaiveDate,
) -> Result<Months, Unreadable> {
    let changes: Vec<(ActionId, NaiveDate, Rag)> = store
        .next_step_rag_changes(filter)
        .await?
        .into_iter()
        .map(|(action, at, rag)| (action, at.date_naive(), rag))
        .collect();
    Ok(rag_by_month(&changes, today))
}

/// `area`'s share of `actions`: how many in each RAG status, and the overdue ones by name.
fn summarise(area: &Authority, actions: &[ActionStanding], today: NaiveDate) -> AreaSummary {
    let mine: Vec<&ActionStanding> = actions
        .iter()
        .filter(|a| a.authority == area.slug)
        .collect();
    let count = |rag: Rag| mine.iter().filter(|a| a.rag == rag).count();
    AreaSummary {
        slug: area.slug.to_string(),
        name: area.name.clone(),
        total: mine.len(),
        red: count(Rag::Red),
        amber: count(Rag::Amber),
        green: count(Rag::Green),
        complete: count(Rag::Complete),
        overdue: mine
            .iter()
            .filter(|a| a.rag.is_overdue(a.due, today))
            .map(|a| format!("{}: {} (due {})", a.reference, a.action, date(a.due)))
            .collect(),
    }
}

/// The actions grouped by the activity they answer, in the order they came.
fn by_activity(actions: Vec<PlannedAction>, today: NaiveDate) -> Vec<ActivityActions> {
    let mut groups: Vec<ActivityActions> = Vec::new();
    for planned in actions {
        let overdue = planned.entry.is_overdue(today);
        match groups
            .iter_mut()
            .find(|group| group.activity.id == planned.activity.id)
        {
            Some(group) => group.actions.push((planned, overdue)),
            None => groups.push(ActivityActions {
                activity: planned.activity.clone(),
                actions: vec![(planned, overdue)],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use domain::next_steps::ActionEntry;
    use domain::{Role, ThemeCode};

    use super::*;
    use crate::read_model_fixtures::{account, day, grant, made_at, slug};

    fn entry(reference: &str, rag: Rag, due: NaiveDate) -> ActionEntry {
        ActionEntry {
            reference: reference.into(),
            answers: "Recommendation 1".into(),
            theme: ThemeCode::parse("PFA").expect("theme"),
            action: format!("Action {reference}"),
            owner: "Head of SEND".into(),
            partners: String::new(),
            start: day(1, 1),
            due,
            milestones: String::new(),
            baseline: String::new(),
            target: String::new(),
            rag,
            progress: Vec::new(),
            impact: String::new(),
        }
    }

    store::store_test!(
        the_board_sees_each_area_counted_and_a_lead_is_sent_to_their_own,
        |store: Store| async move {
            let pm = account(
                &store,
                "Jo Bennett",
                vec![grant(Role::ProjectManager, None)],
            )
            .await;
            let board = account(&store, "Bo Ard", vec![grant(Role::Board, None)]).await;
            let lead = account(&store, "Dev Lead", vec![grant(Role::LaLead, Some("derby"))]).await;
            let reviewer = account(&store, "Rae Viewer", vec![grant(Role::Reviewer, None)]).await;
            let areas = [slug("derby"), slug("nottingham")];
            let first = store
                .create_programme_activity(Programme::Thematic, "First", &areas, &pm, made_at())
                .await
                .expect("activity");
            let second = store
                .create_programme_activity(Programme::Thematic, "Second", &areas, &pm, made_at())
                .await
                .expect("activity");
            for (activity, reference, rag, due) in [
                (first, "PFA-1", Rag::Red, day(6, 1)),
                (first, "PFA-2", Rag::Complete, day(6, 1)),
                (second, "PFA-1", Rag::Green, day(9, 1)),
            ] {
                store
                    .save_next_step(
                        activity,
                        &slug("derby"),
                        None,
                        &entry(reference, rag, due),
                        &pm,
                        made_at(),
                    )
                    .await
                    .expect("next step");
            }
            let today = day(7, 1);

            let ProgressView::Region(region) =
                progress(&store, &ViewCache::default(), Some(&board), None, today)
                    .await
                    .expect("the region")
            else {
                panic!("the board sees the region");
            };
            let derby = region
                .areas
                .iter()
                .find(|area| area.slug == "derby")
                .expect("Derby's summary");
            assert_eq!(
                (derby.total, derby.red, derby.green, derby.complete),
                (3, 1, 1, 1)
            );
            // Open and past its date is overdue; a complete action never is.
            assert_eq!(derby.overdue.len(), 1);
            assert!(derby.overdue[0].starts_with("PFA-1: Action PFA-1"));
            assert_eq!(region.totals.total, 3);

            assert!(matches!(
                progress(&store, &ViewCache::default(), Some(&lead), None, today).await,
                Ok(ProgressView::OwnArea(area)) if area == slug("derby")
            ));
            assert!(matches!(
                progress(&store, &ViewCache::default(), Some(&reviewer), None, today).await,
                Err(Unreadable::Denied(_))
            ));

            let area = area_progress(
                &store,
                &ViewCache::default(),
                Some(&lead),
                &slug("derby"),
                None,
                today,
            )
            .await
            .expect("Derby's page");
            assert!(!area.sees_region);
            let grouped: Vec<_> = area
                .activities
                .iter()
                .map(|group| {
                    (
                        group.activity.id,
                        group
                            .actions
                            .iter()
                            .map(|(action, overdue)| (action.entry.reference.clone(), *overdue))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            let mut expected = vec![
                (
                    first,
                    vec![("PFA-1".to_owned(), true), ("PFA-2".to_owned(), false)],
                ),
                (second, vec![("PFA-1".to_owned(), false)]),
            ];
            // The store orders activities by id, so either may come first.
            if grouped.first().map(|(id, _)| *id) == Some(second) {
                expected.reverse();
            }
            assert_eq!(grouped, expected);
            assert!(matches!(
                area_progress(
                    &store,
                    &ViewCache::default(),
                    Some(&lead),
                    &slug("nottingham"),
                    None,
                    today
                )
                .await,
                Err(Unreadable::Denied(_))
            ));
        }
    );

    store::store_test!(
        a_kept_region_is_answered_with_one_read_until_an_action_changes,
        |store: Store| async move {
            let pm = account(
                &store,
                "Jo Bennett",
                vec![grant(Role::ProjectManager, None)],
            )
            .await;
            let board = account(&store, "Bo Ard", vec![grant(Role::Board, None)]).await;
            let reviewer = account(&store, "Rae Viewer", vec![grant(Role::Reviewer, None)]).await;
            let activity = store
                .create_programme_activity(
                    Programme::Thematic,
                    "First",
                    &[slug("derby")],
                    &pm,
                    made_at(),
                )
                .await
                .expect("activity");
            let save = |reference: &'static str, rag: Rag| {
                let (store, pm) = (store.clone(), pm.clone());
                async move {
                    store
                        .save_next_step(
                            activity,
                            &slug("derby"),
                            None,
                            &entry(reference, rag, day(9, 1)),
                            &pm,
                            made_at(),
                        )
                        .await
                        .expect("next step")
                }
            };
            save("PFA-1", Rag::Red).await;
            let views = ViewCache::default();
            let today = day(7, 1);
            let reds = |region: &RegionProgress| (region.totals.total, region.totals.red);

            let first = region_progress(&store, &views, Some(&board), None, today)
                .await
                .expect("the region");
            assert_eq!(reds(&first), (1, 1));
            let before = store.statements_run();
            let again = region_progress(&store, &views, Some(&board), None, today)
                .await
                .expect("the region again");
            assert_eq!(reds(&again), (1, 1));
            assert_eq!(
                store.statements_run() - before,
                1,
                "a kept view costs the data version's read alone"
            );

            // Kept for whoever may see it, never for whoever may not.
            assert!(matches!(
                region_progress(&store, &views, Some(&reviewer), None, today).await,
                Err(Unreadable::Denied(_))
            ));
            // Another programme is another view.
            let biennial = region_progress(
                &store,
                &views,
                Some(&board),
                Some(Programme::Biennial),
                today,
            )
            .await
            .expect("the biennial region");
            assert_eq!(reds(&biennial), (0, 0));

            save("PFA-2", Rag::Red).await;
            let changed = region_progress(&store, &views, Some(&board), None, today)
                .await
                .expect("the region after a change");
            assert_eq!(reds(&changed), (2, 2), "a change is seen at once");
        }
    );

    store::store_test!(
        a_kept_area_page_is_read_once_and_each_asker_is_told_where_they_may_go_back,
        |store: Store| async move {
            let pm = account(
                &store,
                "Jo Bennett",
                vec![grant(Role::ProjectManager, None)],
            )
            .await;
            let board = account(&store, "Bo Ard", vec![grant(Role::Board, None)]).await;
            let lead = account(&store, "Dev Lead", vec![grant(Role::LaLead, Some("derby"))]).await;
            let other = account(
                &store,
                "Not Ts",
                vec![grant(Role::LaLead, Some("nottingham"))],
            )
            .await;
            let activity = store
                .create_programme_activity(
                    Programme::Thematic,
                    "First",
                    &[slug("derby")],
                    &pm,
                    made_at(),
                )
                .await
                .expect("activity");
            store
                .save_next_step(
                    activity,
                    &slug("derby"),
                    None,
                    &entry("PFA-1", Rag::Red, day(9, 1)),
                    &pm,
                    made_at(),
                )
                .await
                .expect("next step");
            let views = ViewCache::default();
            let today = day(7, 1);
            let derby = async |who: &Principal| {
                area_progress(&store, &views, Some(who), &slug("derby"), None, today).await
            };

            let for_lead = derby(&lead).await.expect("the lead's area");
            assert!(!for_lead.sees_region);
            let before = store.statements_run();
            let for_board = derby(&board).await.expect("the board's view of it");
            assert_eq!(store.statements_run() - before, 1, "kept: one read");
            assert!(for_board.sees_region, "the board goes back to the region");
            assert_eq!(for_board.summary, for_lead.summary);
            assert!(matches!(derby(&other).await, Err(Unreadable::Denied(_))));
        }
    );
}
