//! The challenge pages as read models: the list (an LA lead's own area only, the scheme's
//! filtered by any current authority, counted by state), one challenge's page (which moves
//! and steps the principal is offered, how its team stands, its timeline newest first) and its
//! KLOEs page (every version, whether the principal may change or agree the draft). The pages
//! word and link what these decide.

use chrono::NaiveDate;
use domain::challenge::{ChallengeKind, MemberStatus};
use domain::lifecycle::{ChallengeState, next_states, transition};
use domain::{Action, AuthoritySlug, Principal, ThemeCode, authorise};
use store::{ChallengeEvent, ChallengeFilter, ChallengeSummary, KloeVersion, Store, TeamMember};

use crate::journey::OnChallenge;
use crate::reads::Unreadable;

/// What the list was asked for; an unknown value is no filter.
#[derive(Debug, Default)]
pub struct ListFilter {
    pub state: Option<ChallengeState>,
    pub authority: Option<AuthoritySlug>,
    pub kind: Option<ChallengeKind>,
}

/// The challenges the principal may list.
#[derive(Debug)]
pub struct ChallengeList {
    pub challenges: Vec<ChallengeSummary>,
    /// How many are listed in each state, in the order the states are first met.
    pub counts: Vec<(ChallengeState, usize)>,
    /// Whether the principal runs the scheme (composes teams): they filter by any current
    /// authority and plan what-if staffing.
    pub runs_scheme: bool,
    /// The current authorities to filter by, slug and name; empty unless the principal runs
    /// the scheme.
    pub authorities: Vec<(AuthoritySlug, String)>,
    /// Whether the list is the principal's own area's only (an LA lead's).
    pub own_area_only: bool,
    /// Whether the principal may request a challenge for their area.
    pub may_request: bool,
}

/// The challenges list for `principal` on `today`: an LA lead sees their own area's whatever
/// the authority asked for.
pub async fn challenge_list(
    store: &Store,
    principal: Option<&Principal>,
    asked: ListFilter,
    today: NaiveDate,
) -> Result<ChallengeList, Unreadable> {
    authorise(principal, &Action::ListChallenges)?;
    let principal = principal.ok_or(domain::Denied::SignInRequired)?;
    let runs_scheme = authorise(Some(principal), &Action::ComposeTeam).is_ok();
    let own = principal.led_authorities().next().cloned();
    let filter = ChallengeFilter {
        state: asked.state,
        authority: if runs_scheme {
            asked.authority
        } else {
            own.clone()
        },
        kind: asked.kind,
    };
    let challenges = store.challenges(&filter).await?;
    let mut counts: Vec<(ChallengeState, usize)> = Vec::new();
    for challenge in &challenges {
        match counts
            .iter_mut()
            .find(|(state, _)| *state == challenge.state)
        {
            Some((_, count)) => *count += 1,
            None => counts.push((challenge.state, 1)),
        }
    }
    let authorities = if runs_scheme {
        store
            .authorities()
            .await?
            .into_iter()
            .filter(|a| a.is_current(today))
            .map(|a| (a.slug, a.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ChallengeList {
        challenges,
        counts,
        runs_scheme,
        authorities,
        own_area_only: own.is_some() && !runs_scheme,
        may_request: own.is_some_and(|slug| {
            authorise(Some(principal), &Action::RequestChallenge(slug)).is_ok()
        }),
    })
}

/// A page of what the challenge found or what follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Evidence,
    Findings,
    Reports,
    ActionPlan,
}

/// How the seats stand: those holding one, by their answer so far.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TeamStanding {
    pub holding: usize,
    pub proposed: usize,
    pub invited: usize,
    pub accepted: usize,
}

/// One challenge's page as the principal may see it.
#[derive(Debug)]
pub struct ChallengeView {
    /// Every theme's code and label, to name the KLOEs' themes.
    pub themes: Vec<(ThemeCode, String)>,
    /// Each move the principal may make from here other than the team's own (proposing and
    /// confirming live on the team page) and cancelling: the state and the button's words.
    pub moves: Vec<(ChallengeState, &'static str)>,
    pub may_cancel: bool,
    pub may_edit_kloes: bool,
    pub may_plan_visit: bool,
    pub may_see_team_page: bool,
    pub reads_pre_reading: bool,
    /// The outcome pages reached and open to the principal, in the journey's order.
    pub outcomes: Vec<Outcome>,
    pub team: TeamStanding,
    /// The timeline, newest first.
    pub timeline: Vec<ChallengeEvent>,
}

/// The challenge page of `on` for a principal who may view it; `membership` is their seat.
pub async fn challenge_view(
    store: &Store,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    membership: Option<&TeamMember>,
    team: &[TeamMember],
) -> Result<ChallengeView, Unreadable> {
    let access = on.access;
    authorise(principal, &Action::ViewChallenge(access.clone()))?;
    let may = |action: &Action| authorise(principal, action).is_ok();
    let record = on.record;
    let themes = store.theme_labels().await?;
    let events = store.challenge_events(record.id).await?;
    let may_move = |to: ChallengeState| {
        may(&Action::MoveChallenge {
            access: access.clone(),
            from: record.state,
            to,
        })
    };
    let moves = next_states(record.state)
        .into_iter()
        .filter(|to| *to != ChallengeState::TeamProposed && *to != ChallengeState::TeamConfirmed)
        .filter(|to| may_move(*to))
        .filter_map(|to| transition(record.state, to).map(|t| (to, t.action)))
        .collect();
    let runs_scheme = may(&Action::ComposeTeam);
    Ok(ChallengeView {
        themes,
        moves,
        may_cancel: record.state.is_open() && may_move(ChallengeState::Cancelled),
        may_edit_kloes: record.state.may_edit_kloes() && may(&Action::DraftKloes(access.clone())),
        may_plan_visit: runs_scheme && record.state.may_plan_visit(),
        may_see_team_page: runs_scheme
            || membership.is_some()
            || may(&Action::PrepareVisit(access.clone())),
        reads_pre_reading: may(&Action::ReadPreReading(access.clone())),
        outcomes: outcomes(principal, on),
        team: standing(team),
        timeline: events.into_iter().rev().collect(),
    })
}

/// The pages of what the challenge found and what follows, each once the challenge has
/// reached it and only to those the policy lets in.
fn outcomes(principal: Option<&Principal>, on: OnChallenge<'_>) -> Vec<Outcome> {
    use ChallengeState as S;
    let state = on.record.state;
    let access = on.access;
    let reached = |from: S| state >= from && state != S::Cancelled;
    let may = |actions: &[Action]| {
        actions
            .iter()
            .any(|action| authorise(principal, action).is_ok())
    };
    let mut outcomes = Vec::new();
    if reached(S::Visit) {
        if may(&[
            Action::RecordEvidence(access.clone()),
            Action::ViewEvidence(access.clone()),
        ]) {
            outcomes.push(Outcome::Evidence);
        }
        if may(&[
            Action::DiscussFindings(access.clone()),
            Action::WriteFindings(access.clone()),
        ]) {
            outcomes.push(Outcome::Findings);
        }
    }
    if reached(S::Reporting) && may(&[Action::ViewReports(access.clone())]) {
        outcomes.push(Outcome::Reports);
    }
    if reached(S::NextSteps)
        && may(&[
            Action::ViewAreaProgress(on.record.authority.clone()),
            Action::ManageActionPlan(access.clone()),
        ])
    {
        outcomes.push(Outcome::ActionPlan);
    }
    outcomes
}

/// How the team's seats stand: only those holding a seat count.
fn standing(team: &[TeamMember]) -> TeamStanding {
    team.iter().filter(|m| m.status.holds_seat()).fold(
        TeamStanding::default(),
        |mut standing, member| {
            standing.holding += 1;
            match member.status {
                MemberStatus::Proposed => standing.proposed += 1,
                MemberStatus::Invited => standing.invited += 1,
                MemberStatus::Accepted => standing.accepted += 1,
                _ => {}
            }
            standing
        },
    )
}

/// The KLOEs page of a challenge as the principal may see it.
#[derive(Debug)]
pub struct KloesView {
    /// Every theme's code and label, for the form's checkboxes.
    pub themes: Vec<(ThemeCode, String)>,
    /// Every saved version, newest first.
    pub history: Vec<KloeVersion>,
    /// Whether the principal may change the draft now: the challenge allows it, the KLOEs are
    /// not yet agreed and drafting them is the principal's part.
    pub editable: bool,
    /// Whether the principal may agree them now.
    pub may_agree: bool,
}

/// The KLOEs page of `on` for a principal who may view the challenge.
pub async fn kloes_view(
    store: &Store,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
) -> Result<KloesView, Unreadable> {
    authorise(principal, &Action::ViewChallenge(on.access.clone()))?;
    let may = |action: &Action| authorise(principal, action).is_ok();
    let record = on.record;
    let themes = store.theme_labels().await?;
    let history = store.kloe_history(record.id).await?;
    let editable = record.state.may_edit_kloes()
        && !record.kloes_agreed()
        && may(&Action::DraftKloes(on.access.clone()));
    Ok(KloesView {
        themes,
        history,
        editable,
        may_agree: editable && may(&Action::AgreeKloes),
    })
}

#[cfg(test)]
mod tests {
    use domain::Role;
    use domain::challenge::{ChallengeRequest, Kloe, VisitFormat};

    use super::*;
    use crate::read_model_fixtures::{account, day, grant, made_at, slug};

    fn request() -> ChallengeRequest {
        ChallengeRequest {
            kind: ChallengeKind::OneDay,
            format: VisitFormat::OnSite,
            partners: vec![],
            windows: vec![],
            focus: "EHC plan quality".into(),
            kloes: vec![Kloe {
                question: "How good are EHC plans?".into(),
                themes: vec![ThemeCode::parse("EHCP_QUALITY").expect("theme")],
            }],
        }
    }

    store::store_test!(
        a_lead_lists_their_own_area_whatever_they_ask_and_the_scheme_filters_any,
        |store: Store| async move {
            let pm = account(
                &store,
                "Jo Bennett",
                vec![grant(Role::ProjectManager, None)],
            )
            .await;
            let lead = account(&store, "Dev Lead", vec![grant(Role::LaLead, Some("derby"))]).await;
            let derby = store
                .request_challenge(&pm, &slug("derby"), &request(), made_at())
                .await
                .expect("derby's");
            let nottingham = store
                .request_challenge(&pm, &slug("nottingham"), &request(), made_at())
                .await
                .expect("nottingham's");
            let asking_for_nottingham = || ListFilter {
                authority: Some(slug("nottingham")),
                ..ListFilter::default()
            };
            let today = day(2, 1);

            let leads = challenge_list(&store, Some(&lead), asking_for_nottingham(), today)
                .await
                .expect("list");
            let ids: Vec<_> = leads.challenges.iter().map(|c| c.id).collect();
            assert_eq!(ids, [derby]);
            assert!(leads.own_area_only && !leads.runs_scheme);
            assert!(leads.authorities.is_empty());

            let schemes = challenge_list(&store, Some(&pm), asking_for_nottingham(), today)
                .await
                .expect("list");
            let ids: Vec<_> = schemes.challenges.iter().map(|c| c.id).collect();
            assert_eq!(ids, [nottingham]);
            assert!(!schemes.own_area_only && schemes.runs_scheme && !schemes.may_request);
            assert_eq!(schemes.counts, [(ChallengeState::Requested, 1)]);
            assert!(
                schemes
                    .authorities
                    .iter()
                    .any(|(area, _)| area == &slug("nottingham"))
            );
        }
    );

    store::store_test!(
        the_host_drafts_the_kloes_and_only_the_coordinator_agrees_them,
        |store: Store| async move {
            let coordinator = account(
                &store,
                "Cora Ordinator",
                vec![grant(Role::Coordinator, None)],
            )
            .await;
            let lead = account(&store, "Dev Lead", vec![grant(Role::LaLead, Some("derby"))]).await;
            let other = account(
                &store,
                "Ned Lead",
                vec![grant(Role::LaLead, Some("nottingham"))],
            )
            .await;
            let id = store
                .request_challenge(&lead, &slug("derby"), &request(), made_at())
                .await
                .expect("requested");
            let record = store
                .challenge(id)
                .await
                .expect("read")
                .expect("a challenge");
            let read = |who: Principal| {
                let store = store.clone();
                let record = record.clone();
                async move {
                    let (access, _) = crate::journey::access_of(&who, &record, &[]);
                    let on = OnChallenge {
                        record: &record,
                        access: &access,
                    };
                    kloes_view(&store, Some(&who), on).await
                }
            };
            let hosts = read(lead).await.expect("the host's KLOEs");
            assert!(hosts.editable && !hosts.may_agree);
            assert_eq!(hosts.history.len(), 1, "the request's KLOEs are version 1");
            let coordinators = read(coordinator).await.expect("the co-ordinator's");
            assert!(coordinators.editable && coordinators.may_agree);
            assert!(matches!(read(other).await, Err(Unreadable::Denied(_))));
        }
    );
}
