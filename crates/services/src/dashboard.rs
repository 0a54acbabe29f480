//! The signed-in home page as a read model: for each role the principal holds, what waits on
//! them now and the figures of the pages they keep coming back to. The page words and links
//! each part; what counts (which returns are still to send, whether a reviewer is on a team,
//! which roles see which part) is decided here.

use chrono::{DateTime, NaiveDate, Utc};
use domain::application::ApplicationStatus;
use domain::pool::MemberStatus;
use domain::programme::{ActivityRef, ReturnKind, ReturnStanding};
use domain::{Action, AuthoritySlug, Principal, Role, authorise};
use store::{
    ActionCounts, Authority, NextStepsDue, OverdueArea, OwedReturn, PoolFilter, ReturnFilter,
    Store, TrainingDemand, WorkItem,
};

use crate::reads::Unreadable;
use crate::view_cache::{ViewCache, ViewKey};

/// The dashboard of one principal: a part per role, in the order the principal holds them.
#[derive(Clone, Debug)]
pub struct Dashboard {
    pub name: String,
    pub roles: Vec<RoleWork>,
}

/// One role's part of the dashboard.
#[derive(Clone, Debug)]
pub enum RoleWork {
    Coordinator(CoordinatorWork),
    ProjectManager(ProjectManagerWork),
    LaLead(LeadWork),
    Reviewer(ReviewerWork),
    Board(BoardWork),
}

/// The co-ordinator runs the scheme: its to-do list, accounts, mail, guidance and the region.
#[derive(Clone, Debug)]
pub struct CoordinatorWork {
    pub to_do: Vec<WorkItem>,
    pub accounts: usize,
    /// Accounts whose invitation has not been accepted yet.
    pub invitations_waiting: usize,
    /// Failures among the newest emails the outbox page lists.
    pub failed_emails: usize,
    pub guidance_published: bool,
    pub region_actions: ActionCounts,
    /// Returns past their date (extended or not) and not sent, by activity: the co-ordinator
    /// chases them, whatever the programme.
    pub overdue_returns: Vec<OverdueReturns>,
}

/// One activity's return of one kind that areas have not sent by its date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverdueReturns {
    pub activity: ActivityRef,
    pub kind: ReturnKind,
    /// The areas that have not sent it, by name, longest overdue first.
    pub areas: Vec<String>,
}

/// The outbox page lists the newest 500 emails; the dashboard counts the failures among those.
const OUTBOX_PAGE_EMAILS: u64 = 500;

/// The project manager runs the pool: its to-do list, applications, members and training.
#[derive(Clone, Debug)]
pub struct ProjectManagerWork {
    pub to_do: Vec<WorkItem>,
    pub applications_waiting: usize,
    pub active_members: usize,
    pub training: TrainingDemand,
}

/// An LA lead's areas and what they owe.
#[derive(Clone, Debug)]
pub struct LeadWork {
    pub to_do: Vec<WorkItem>,
    /// The returns the lead's areas have not sent yet, soonest first.
    pub returns_to_send: Vec<ReturnToSend>,
    pub next_steps_due: Vec<NextStepsDue>,
    /// Each area the lead leads, in the region's order, with its open and overdue actions.
    pub areas: Vec<(Authority, ActionCounts)>,
}

/// A return not sent yet: due by `due` (its extended date if it has one), overdue once past.
#[derive(Clone, Debug)]
pub struct ReturnToSend {
    pub owed: OwedReturn,
    pub due: NaiveDate,
    pub overdue: bool,
}

/// A reviewer's to-do list, and whether they are on an open challenge's team at all.
#[derive(Clone, Debug)]
pub struct ReviewerWork {
    pub to_do: Vec<WorkItem>,
    pub on_a_team: bool,
}

/// The board watches the region: the areas with overdue actions and the region's counts.
#[derive(Clone, Debug)]
pub struct BoardWork {
    pub overdue_areas: Vec<OverdueArea>,
    pub region_actions: ActionCounts,
}

/// The principal's dashboard on `today` (`now` for how long people have waited for training),
/// kept until the data changes or the minute turns.
pub async fn dashboard(
    store: &Store,
    views: &ViewCache,
    principal: Option<&Principal>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Dashboard, Unreadable> {
    authorise(principal, &Action::ViewDashboard)?;
    let principal = principal.ok_or(domain::Denied::SignInRequired)?;
    let key = ViewKey::Dashboard {
        user: principal.user_id,
        today,
        minute: now.timestamp().div_euclid(60),
    };
    views
        .get_or_load(store, key, read_dashboard(store, principal, today, now))
        .await
}

async fn read_dashboard(
    store: &Store,
    principal: &Principal,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Dashboard, Unreadable> {
    let mut roles = Vec::new();
    for role in principal.roles() {
        roles.push(match role {
            Role::Coordinator => RoleWork::Coordinator(coordinator_work(store, today).await?),
            Role::ProjectManager => {
                RoleWork::ProjectManager(project_manager_work(store, now).await?)
            }
            Role::LaLead => RoleWork::LaLead(lead_work(store, principal, today).await?),
            Role::Reviewer => {
                RoleWork::Reviewer(ReviewerWork {
                    to_do: store.reviewer_work(principal.user_id, today).await?,
                    on_a_team: store.seats_of_user(principal.user_id).await?.iter().any(
                        |(challenge, seat)| challenge.state.is_open() && seat.status.is_on_team(),
                    ),
                })
            }
            Role::Board => RoleWork::Board(BoardWork {
                overdue_areas: store.overdue_areas(today).await?,
                region_actions: store.action_counts(None, today).await?,
            }),
        });
    }
    Ok(Dashboard {
        name: principal.name.clone(),
        roles,
    })
}

async fn coordinator_work(store: &Store, today: NaiveDate) -> Result<CoordinatorWork, Unreadable> {
    let (accounts, invitations_waiting) = store.account_counts().await?;
    let failed_emails = store.failed_among_latest(OUTBOX_PAGE_EMAILS).await?;
    let guidance_published = !store.guidance_versions().await?.is_empty();
    let region_actions = store.action_counts(None, today).await?;
    Ok(CoordinatorWork {
        to_do: store.scheme_work().await?,
        accounts,
        invitations_waiting,
        failed_emails,
        guidance_published,
        region_actions,
        overdue_returns: overdue_returns(store, today).await?,
    })
}

/// Every programme's returns that are overdue on `today`, gathered by activity and kind in the
/// order of their (extended) dates, the longest overdue first.
async fn overdue_returns(
    store: &Store,
    today: NaiveDate,
) -> Result<Vec<OverdueReturns>, Unreadable> {
    let names = store.authority_names().await?;
    let mut late: Vec<(NaiveDate, OwedReturn)> = store
        .returns(&ReturnFilter::default())
        .await?
        .into_iter()
        .filter_map(|owed| match owed.standing(today) {
            ReturnStanding::Overdue(due) => Some((due, owed)),
            ReturnStanding::Outstanding(_) | ReturnStanding::Submitted => None,
        })
        .collect();
    late.sort_by_key(|(due, owed)| (*due, owed.activity.title.clone()));
    let mut gathered: Vec<OverdueReturns> = Vec::new();
    for (_, owed) in late {
        let area = names
            .get(&owed.area)
            .cloned()
            .unwrap_or_else(|| owed.area.to_string());
        match gathered
            .iter_mut()
            .find(|seen| seen.activity.id == owed.activity.id && seen.kind == owed.kind)
        {
            Some(seen) => seen.areas.push(area),
            None => gathered.push(OverdueReturns {
                activity: owed.activity,
                kind: owed.kind,
                areas: vec![area],
            }),
        }
    }
    Ok(gathered)
}

async fn project_manager_work(
    store: &Store,
    now: DateTime<Utc>,
) -> Result<ProjectManagerWork, Unreadable> {
    let to_do = store.scheme_work().await?;
    let applications_waiting = store
        .applications(&[ApplicationStatus::Submitted])
        .await?
        .len();
    let active_members = store
        .search_pool(&PoolFilter {
            status: Some(MemberStatus::Active),
            ..PoolFilter::default()
        })
        .await?
        .len();
    Ok(ProjectManagerWork {
        to_do,
        applications_waiting,
        active_members,
        training: store.training_demand(now).await?,
    })
}

async fn lead_work(
    store: &Store,
    principal: &Principal,
    today: NaiveDate,
) -> Result<LeadWork, Unreadable> {
    let led: Vec<AuthoritySlug> = principal.led_authorities().cloned().collect();
    let mut areas = Vec::new();
    for authority in store.authorities().await? {
        if led.contains(&authority.slug) {
            let counts = store.action_counts(Some(&authority.slug), today).await?;
            areas.push((authority, counts));
        }
    }
    Ok(LeadWork {
        to_do: store.lead_work(principal.user_id, &led).await?,
        returns_to_send: returns_to_send(store, &led, today).await?,
        next_steps_due: store.next_steps_due(&led, today).await?,
        areas,
    })
}

/// The returns `areas` have not yet sent, from every programme, soonest first.
async fn returns_to_send(
    store: &Store,
    areas: &[AuthoritySlug],
    today: NaiveDate,
) -> Result<Vec<ReturnToSend>, Unreadable> {
    let mut owed = Vec::new();
    for area in areas {
        let filter = ReturnFilter {
            area: Some(area.clone()),
            programme: None,
        };
        owed.extend(store.returns(&filter).await?);
    }
    Ok(still_to_send(owed, today))
}

/// Of `owed`, those not submitted, soonest due first (by the extended date where there is one).
fn still_to_send(mut owed: Vec<OwedReturn>, today: NaiveDate) -> Vec<ReturnToSend> {
    owed.sort_by_key(|owed| owed.extended_to.unwrap_or(owed.due));
    owed.into_iter()
        .filter_map(|owed| {
            let (due, overdue) = match owed.standing(today) {
                ReturnStanding::Submitted => return None,
                ReturnStanding::Outstanding(due) => (due, false),
                ReturnStanding::Overdue(due) => (due, true),
            };
            Some(ReturnToSend { owed, due, overdue })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use domain::Programme;
    use store::NewReturn;

    use super::*;
    use crate::read_model_fixtures::{account, day, grant, made_at, slug};

    /// Derby owes a return of `kind` for a new thematic activity, due `due`.
    async fn owe(
        store: &Store,
        by: &Principal,
        title: &str,
        kind: ReturnKind,
        due: NaiveDate,
    ) -> OwedReturn {
        let activity = store
            .create_programme_activity(Programme::Thematic, title, &[slug("derby")], by, made_at())
            .await
            .expect("activity");
        let new = NewReturn {
            activity,
            area: slug("derby"),
            kind,
            owner: None,
            due,
        };
        let id = store.owe_return(&new, by, made_at()).await.expect("owed");
        store
            .owed_return(id)
            .await
            .expect("read")
            .expect("a return")
    }

    store::store_test!(
        a_lead_sends_what_is_not_submitted_soonest_first_overdue_past_any_extension,
        |store: Store| async move {
            let pm = account(
                &store,
                "Jo Bennett",
                vec![grant(Role::ProjectManager, None)],
            )
            .await;
            let lead = account(&store, "Dev Lead", vec![grant(Role::LaLead, Some("derby"))]).await;
            let later = owe(&store, &pm, "Later", ReturnKind::SelfAssessment, day(9, 10)).await;
            let extended = owe(
                &store,
                &pm,
                "Extended",
                ReturnKind::SelfAssessment,
                day(6, 1),
            )
            .await;
            store
                .extend_return(extended.id, day(9, 5), "a new director", &pm, made_at())
                .await
                .expect("extended");
            let late = owe(&store, &pm, "Late", ReturnKind::SelfAssessment, day(6, 15)).await;
            let sent = owe(&store, &pm, "Sent", ReturnKind::SelfAssessment, day(5, 1)).await;
            store
                .submit_return(sent.id, &lead, made_at())
                .await
                .expect("submitted");

            let today = day(7, 1);
            let board = dashboard(&store, &ViewCache::default(), Some(&lead), today, made_at())
                .await
                .expect("dashboard");
            let [RoleWork::LaLead(work)] = board.roles.as_slice() else {
                panic!("an LA lead sees the lead's part only: {:?}", board.roles);
            };
            let sending: Vec<_> = work
                .returns_to_send
                .iter()
                .map(|r| (r.owed.id, r.due, r.overdue))
                .collect();
            assert_eq!(
                sending,
                [
                    (late.id, day(6, 15), true),
                    (extended.id, day(9, 5), false),
                    (later.id, day(9, 10), false),
                ]
            );
            assert_eq!(
                work.areas
                    .iter()
                    .map(|(area, _)| area.slug.to_string())
                    .collect::<Vec<_>>(),
                ["derby"]
            );
        }
    );

    store::store_test!(
        the_coordinator_chases_every_programme_s_overdue_returns_by_activity,
        |store: Store| async move {
            let coordinator = account(
                &store,
                "Cora Ordinator",
                vec![grant(Role::Coordinator, None)],
            )
            .await;
            let lead = account(&store, "Dev Lead", vec![grant(Role::LaLead, Some("derby"))]).await;
            let late = owe(
                &store,
                &coordinator,
                "Late",
                ReturnKind::ThematicNextSteps,
                day(6, 1),
            )
            .await;
            let later = owe(
                &store,
                &coordinator,
                "Later",
                ReturnKind::SelfAssessment,
                day(6, 20),
            )
            .await;
            let extended = owe(
                &store,
                &coordinator,
                "Extended",
                ReturnKind::SelfAssessment,
                day(6, 1),
            )
            .await;
            store
                .extend_return(
                    extended.id,
                    day(9, 5),
                    "a new director",
                    &coordinator,
                    made_at(),
                )
                .await
                .expect("extended");
            let sent = owe(
                &store,
                &coordinator,
                "Sent",
                ReturnKind::SelfAssessment,
                day(5, 1),
            )
            .await;
            store
                .submit_return(sent.id, &lead, made_at())
                .await
                .expect("submitted");
            let _not_yet = owe(
                &store,
                &coordinator,
                "Not yet",
                ReturnKind::SelfAssessment,
                day(8, 1),
            )
            .await;

            let seen = dashboard(
                &store,
                &ViewCache::default(),
                Some(&coordinator),
                day(7, 1),
                made_at(),
            )
            .await
            .expect("dashboard");
            let [RoleWork::Coordinator(work)] = seen.roles.as_slice() else {
                panic!("the co-ordinator's part only: {:?}", seen.roles);
            };
            assert_eq!(
                work.overdue_returns,
                [
                    OverdueReturns {
                        activity: late.activity,
                        kind: ReturnKind::ThematicNextSteps,
                        areas: vec!["Derby".into()],
                    },
                    OverdueReturns {
                        activity: later.activity,
                        kind: ReturnKind::SelfAssessment,
                        areas: vec!["Derby".into()],
                    },
                ]
            );
        }
    );

    store::store_test!(
        each_role_held_has_its_part_in_order_and_nobody_signed_out_has_one,
        |store: Store| async move {
            let both = account(
                &store,
                "Sam Both",
                vec![grant(Role::Board, None), grant(Role::Reviewer, None)],
            )
            .await;
            let today = day(7, 1);
            let seen = dashboard(&store, &ViewCache::default(), Some(&both), today, made_at())
                .await
                .expect("dashboard");
            assert_eq!(seen.name, "Sam Both");
            let parts: Vec<_> = seen
                .roles
                .iter()
                .map(|part| match part {
                    RoleWork::Coordinator(_) => "coordinator",
                    RoleWork::ProjectManager(_) => "project manager",
                    RoleWork::LaLead(_) => "lead",
                    RoleWork::Reviewer(work) => {
                        assert!(!work.on_a_team, "a reviewer with no seat is on no team");
                        "reviewer"
                    }
                    RoleWork::Board(_) => "board",
                })
                .collect();
            let expected: Vec<_> = both
                .roles()
                .into_iter()
                .map(|role| match role {
                    Role::Board => "board",
                    Role::Reviewer => "reviewer",
                    other => panic!("{other:?} was not granted"),
                })
                .collect();
            assert_eq!(expected.len(), 2);
            assert_eq!(parts, expected);
            assert!(matches!(
                dashboard(&store, &ViewCache::default(), None, today, made_at()).await,
                Err(Unreadable::Denied(domain::Denied::SignInRequired))
            ));
        }
    );

    store::store_test!(
        a_kept_dashboard_is_its_owners_and_sees_a_new_account_at_once,
        |store: Store| async move {
            let coordinator =
                account(&store, "Co Ordinator", vec![grant(Role::Coordinator, None)]).await;
            let board = account(&store, "Bo Ard", vec![grant(Role::Board, None)]).await;
            let views = ViewCache::default();
            let accounts = |seen: &Dashboard| match seen.roles.as_slice() {
                [RoleWork::Coordinator(work)] => work.accounts,
                other => panic!("the co-ordinator's part only: {other:?}"),
            };
            let look = async |who: &Principal| {
                dashboard(&store, &views, Some(who), day(7, 1), made_at())
                    .await
                    .expect("dashboard")
            };

            assert_eq!(accounts(&look(&coordinator).await), 2);
            let before = store.statements_run();
            assert_eq!(accounts(&look(&coordinator).await), 2);
            assert_eq!(store.statements_run() - before, 1, "kept: one read");
            // The board's dashboard is the board's, not the co-ordinator's kept one.
            assert!(matches!(
                look(&board).await.roles.as_slice(),
                [RoleWork::Board(_)]
            ));

            account(&store, "New Person", vec![grant(Role::Reviewer, None)]).await;
            assert_eq!(accounts(&look(&coordinator).await), 3);
        }
    );
}
