//! A challenge walked through the real store to a lifecycle state, by the store's own moves
//! and the way the pages walk it: the accounts and pool members of a small scheme, the time
//! the walk happens at, and the checks the tests make of the store's answers.

use std::fmt::Debug;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use domain::challenge::{
    ChallengeKind, ChallengeRequest, InvitationResponse, Kloe, SeatPlan, SeatRole, VisitFormat,
    VisitPlan, visit_days,
};
use domain::findings::ReportFormat;
use domain::lifecycle::{ChallengeState, check_transition, next_states};
use domain::pool::{HomeArea, MemberProfile, ReviewerType};
use domain::timetable::{ActivityKind, ActivityPlan};
use domain::{
    AuthoritySlug, ChallengeId, EmailAddress, NewPassword, PersonName, PoolMemberId, Principal,
    Role, RoleGrant, UserId,
};
use store::{AuditEntry, AuditFilter, Author, NewEmail, NewTeamMember, NewUser, Store, StoreError};

/// `minutes` after nine on 1 February 2027.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 2, 1, 9, 0, 0)
        .single()
        .expect("time")
        + Duration::minutes(minutes)
}

pub fn now() -> DateTime<Utc> {
    at(0)
}

/// A day of 2027.
pub fn day(month: u32, date: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, date).expect("date")
}

/// The first visit day, a Thursday.
pub fn first_visit_day() -> NaiveDate {
    day(3, 11)
}

pub fn slug(text: &str) -> AuthoritySlug {
    AuthoritySlug::parse(text).expect("slug")
}

pub async fn account(store: &Store, name: &str, grant: RoleGrant) -> Principal {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let user = NewUser {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(&email).expect("email"),
        grants: vec![grant],
    };
    let hash = NewPassword::parse("a long test passphrase", "a long test passphrase")
        .expect("password")
        .hash();
    let id = store.ensure_user(&user, &hash, now()).await.expect("user");
    store
        .principal(id)
        .await
        .expect("principal")
        .expect("an account")
}

/// Someone who writes evidence, findings or comments, as the store is told who they are.
pub fn author_of(person: &Principal) -> Author<'_> {
    Author {
        user: person.user_id,
        name: &person.name,
    }
}

/// A reviewer with an account and a place in the pool.
pub struct Reviewer {
    pub principal: Principal,
    pub member: PoolMemberId,
}

impl Reviewer {
    pub fn user(&self) -> UserId {
        self.principal.user_id
    }

    pub fn author(&self) -> Author<'_> {
        author_of(&self.principal)
    }
}

pub async fn reviewer(store: &Store, name: &str) -> Reviewer {
    let grant = RoleGrant::new(Role::Reviewer, None).expect("grant");
    let principal = account(store, name, grant).await;
    let profile = MemberProfile {
        name: PersonName::parse(name).expect("name"),
        email: principal.email.clone(),
        phone: None,
        reviewer_type: ReviewerType::LaOfficer,
        organisation: "Derby City Council".into(),
        home: HomeArea::Authority(slug("derby")),
        experience: String::new(),
        adjustments: String::new(),
        needs_training: false,
        trained_on: None,
        online_only: false,
        max_per_year: 4,
        expertise: vec![],
        unavailable: vec![],
        conflicts: vec![],
        travel_to: vec![],
    };
    let member = store
        .add_pool_member(&profile, Some(principal.user_id), None, now())
        .await
        .expect("member");
    Reviewer { principal, member }
}

/// The project manager who runs the challenges and keeps the plans, the two reviewers who
/// sit on every one of them, and, where the tests want one, Nottingham's LA lead who checks
/// the reports.
pub struct Scheme {
    pub pm: Principal,
    pub asha: Reviewer,
    pub ben: Reviewer,
    pub host: Option<Principal>,
}

impl Scheme {
    /// Nottingham's LA lead, for a scheme made with [`scheme_with_host`].
    pub fn host(&self) -> &Principal {
        self.host.as_ref().expect("a scheme with a host")
    }
}

/// The project manager and the two reviewers, with no LA lead.
pub async fn scheme(store: &Store) -> Scheme {
    let pm = RoleGrant::new(Role::ProjectManager, None).expect("grant");
    Scheme {
        pm: account(store, "Jo Bennett", pm).await,
        asha: reviewer(store, "Asha Patel").await,
        ben: reviewer(store, "Ben Carter").await,
        host: None,
    }
}

/// The project manager, the two reviewers and Nottingham's LA lead, made in that order.
pub async fn scheme_with_host(store: &Store) -> Scheme {
    let scheme = scheme(store).await;
    let lead = RoleGrant::new(Role::LaLead, Some(slug("nottingham"))).expect("grant");
    Scheme {
        host: Some(account(store, "Nadia Host", lead).await),
        ..scheme
    }
}

/// Panics unless the lifecycle says the challenge is ready to move.
pub async fn assert_ready(
    store: &Store,
    challenge: ChallengeId,
    from: ChallengeState,
    to: ChallengeState,
) {
    let readiness = store
        .readiness(challenge, first_visit_day(), None)
        .await
        .expect("readiness");
    if let Err(refused) = check_transition(from, to, &readiness) {
        panic!("{from:?} → {to:?} refused: {refused}");
    }
}

/// Move the challenge on, once the lifecycle says it is ready.
pub async fn advance(
    store: &Store,
    pm: &Principal,
    challenge: ChallengeId,
    from: ChallengeState,
    to: ChallengeState,
) {
    assert_ready(store, challenge, from, to).await;
    store
        .move_challenge(pm, challenge, from, to, None, now())
        .await
        .expect("moved");
}

/// The key lines of enquiry a walked challenge may ask, the first [`Walk::kloes`] of which
/// it does.
const KLOES: [&str; 2] = [
    "How well do young people prepare for adulthood?",
    "How timely are EHC plans?",
];

/// Which challenge to walk: the authority hosting it, how many days its visit runs and how
/// many of the key lines of enquiry (one or two) it asks.
#[derive(Debug, Clone, Copy)]
pub struct Walk {
    pub host: &'static str,
    pub kind: ChallengeKind,
    pub kloes: usize,
}

/// The challenge `walk` describes, with Asha and Ben on its team, walked from the request to
/// `target` the way the pages walk it.
pub async fn challenge_in(
    store: &Store,
    scheme: &Scheme,
    walk: Walk,
    target: ChallengeState,
) -> ChallengeId {
    let Walk { host, kind, kloes } = walk;
    let request = ChallengeRequest {
        kind,
        format: VisitFormat::OnSite,
        partners: vec![],
        windows: vec![],
        focus: "Preparing for adulthood".into(),
        kloes: KLOES[..kloes]
            .iter()
            .map(|question| Kloe {
                question: (*question).into(),
                themes: vec![],
            })
            .collect(),
    };
    let challenge = store
        .request_challenge(&scheme.pm, &slug(host), &request, now())
        .await
        .expect("request");
    let mut state = ChallengeState::Requested;
    while state != target {
        let next = next_states(state)[0];
        step(store, scheme, challenge, kind, state, next).await;
        state = next;
    }
    challenge
}

/// One move along the lifecycle of a `kind` challenge, with what must be done first.
pub async fn step(
    store: &Store,
    scheme: &Scheme,
    challenge: ChallengeId,
    kind: ChallengeKind,
    from: ChallengeState,
    to: ChallengeState,
) {
    let pm = &scheme.pm;
    match to {
        ChallengeState::Scoping => {
            store
                .agree_kloes(pm, challenge, now())
                .await
                .expect("agreed");
        }
        ChallengeState::TeamProposed => {
            let days = match kind {
                ChallengeKind::OneDay => 1,
                ChallengeKind::TwoDay => 2,
            };
            let plan = VisitPlan {
                days: visit_days(first_visit_day(), days),
                seats: vec![
                    SeatPlan::new(SeatRole::LeadReviewer, 1, 0),
                    SeatPlan::new(SeatRole::LaOfficer, 1, 0),
                ],
            };
            store
                .plan_visit(pm, challenge, &plan, now())
                .await
                .expect("visit planned");
            assert_ready(store, challenge, from, to).await;
            let seats = [
                (&scheme.asha, SeatRole::LeadReviewer),
                (&scheme.ben, SeatRole::LaOfficer),
            ]
            .map(|(person, seat_role)| NewTeamMember {
                member: person.member,
                seat_role,
                shadowing: false,
                reasons: "Chosen for the test".into(),
            });
            // Proposing the team is the move itself.
            store
                .save_proposal(pm, challenge, from, &seats, "{}".into(), now())
                .await
                .expect("proposed");
            return;
        }
        ChallengeState::TeamConfirmed => {
            assert_ready(store, challenge, from, to).await;
            let invitations = store
                .team(challenge)
                .await
                .expect("team")
                .into_iter()
                .map(|seat| {
                    let email = NewEmail::text(seat.email.clone(), "Invitation", "You are invited");
                    (seat.id, email)
                })
                .collect();
            // Inviting the team is the move itself.
            store
                .invite_team(pm, challenge, from, invitations, now())
                .await
                .expect("invited");
            return;
        }
        ChallengeState::Scheduled => {
            let team = store.team(challenge).await.expect("team");
            for seat in &team {
                let person = [&scheme.asha, &scheme.ben]
                    .into_iter()
                    .find(|person| person.member == seat.member)
                    .expect("a reviewer of the scheme");
                store
                    .respond_to_invitation(
                        &person.principal,
                        seat.id,
                        &InvitationResponse::Accept,
                        None,
                        now(),
                    )
                    .await
                    .expect("accepted");
            }
            let record = store
                .challenge(challenge)
                .await
                .expect("load")
                .expect("challenge");
            for day in record.visit_days {
                let activity = ActivityPlan {
                    day,
                    starts: NaiveTime::from_hms_opt(9, 30, 0).expect("time"),
                    ends: NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
                    kind: ActivityKind::CaseSampling,
                    title: "Case sampling".into(),
                    place: "Room 2, Loxley House".into(),
                    kloe: Some(1),
                    reviewers: team.iter().map(|seat| seat.id).collect(),
                };
                store
                    .add_activity(challenge, &activity, pm.user_id, now())
                    .await
                    .expect("activity");
            }
        }
        ChallengeState::NextSteps => {
            agree_report(store, scheme, challenge, ReportFormat::SlideDeck, now()).await;
        }
        _ => {}
    }
    advance(store, pm, challenge, from, to).await;
}

/// Make a version of `format` by Asha, share it and make it final, all at `when`.
pub async fn agree_report(
    store: &Store,
    scheme: &Scheme,
    challenge: ChallengeId,
    format: ReportFormat,
    when: DateTime<Utc>,
) {
    let made = store
        .add_report_version(
            challenge,
            format,
            b"agreed".to_vec(),
            scheme.asha.author(),
            when,
        )
        .await
        .expect("version made");
    let by = scheme.pm.user_id;
    store
        .share_report(challenge, made.id, by, when)
        .await
        .expect("shared");
    store
        .finalise_report(challenge, made.id, by, when)
        .await
        .expect("final");
}

pub fn assert_conflict<T: Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::Conflict(_))),
        "expected a conflict, got {result:?}"
    );
}

pub fn assert_not_found<T: Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::NotFound)),
        "expected not found, got {result:?}"
    );
}

/// The audit log's entries for `action`, at most a hundred of them.
pub async fn audit_of(store: &Store, action: &str) -> Vec<AuditEntry> {
    let filter = AuditFilter {
        action: Some(action.into()),
        ..AuditFilter::default()
    };
    store.audit_entries(&filter, 100).await.expect("audit")
}
