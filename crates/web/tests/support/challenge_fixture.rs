//! A challenge with a confirmed team, walked by the use cases the pages call
//! (`services::scenario`): requested, KLOEs agreed, moved to scoping, visit planned, team
//! proposed by hand and confirmed, every move checked as the pages check it. Nobody among the
//! test accounts is on its team unless a test gives them a seat, so by default only the people
//! who run the scheme may see it.

use chrono::{Datelike, Duration, Utc, Weekday};
use domain::challenge::{
    ChallengeKind, ChallengeRequest, Kloe, SeatPlan, SeatRole, VisitFormat, VisitPlan, visit_days,
};
use domain::lifecycle::ChallengeState;
use domain::pool::{HomeArea, MemberProfile, ReviewerType};
use domain::{
    AuthoritySlug, ChallengeId, EmailAddress, PersonName, PoolMemberId, Principal, TeamMemberId,
    ThemeCode, UserId,
};
use services::Settings;
use services::journey::Scheme;
use services::scenario::ChallengeWalk;
use store::{NewTeamMember, Store};

pub struct ChallengeFixture {
    pub challenge: ChallengeId,
    /// The team's seats, in the order of `members`.
    pub team: Vec<TeamMemberId>,
    pub members: Vec<PoolMemberId>,
    pub coordinator: Principal,
}

fn slug(text: &str) -> AuthoritySlug {
    AuthoritySlug::parse(text).expect("slug")
}

pub fn member_profile(name: &str, kind: ReviewerType, home: &str) -> MemberProfile {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    MemberProfile {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(&email).expect("email"),
        phone: None,
        reviewer_type: kind,
        organisation: "Example Council".into(),
        home: HomeArea::Authority(slug(home)),
        experience: "Two peer reviews".into(),
        adjustments: String::new(),
        needs_training: false,
        trained_on: Some(Utc::now().date_naive() - Duration::days(100)),
        online_only: false,
        max_per_year: 4,
        expertise: vec![(
            ThemeCode::parse("EHCP_QUALITY").expect("theme"),
            domain::pool::ExpertiseLevel::Strong,
        )],
        unavailable: vec![],
        conflicts: vec![],
        travel_to: vec![],
    }
}

pub async fn principal_of(store: &Store, email: &str) -> Principal {
    let staff = store.staff().await.expect("staff");
    let user = staff
        .iter()
        .find(|s| s.email.as_str() == email)
        .expect("test account");
    store
        .principal(user.id)
        .await
        .expect("principal")
        .expect("exists")
}

pub async fn principal_of_user(store: &Store, user: UserId) -> Principal {
    store
        .principal(user)
        .await
        .expect("principal")
        .expect("exists")
}

/// The next weekday at least three weeks away.
pub fn future_weekday() -> chrono::NaiveDate {
    let mut day = Utc::now().date_naive() + Duration::days(21);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day += Duration::days(1);
    }
    day
}

/// A one-day challenge for `host` in `target` state (requested, scoping, team proposed or
/// team confirmed), with a three-person team from other authorities.
pub async fn challenge_in(store: &Store, host: &str, target: ChallengeState) -> ChallengeFixture {
    challenge_with_accounts(store, host, target, [None; 3]).await
}

/// As `challenge_in`, with the team's three people (lead reviewer, LA officer, parent carer)
/// signing in with `accounts` where given.
pub async fn challenge_with_accounts(
    store: &Store,
    host: &str,
    target: ChallengeState,
    accounts: [Option<UserId>; 3],
) -> ChallengeFixture {
    let now = Utc::now();
    let settings = Settings::default();
    let walk = |id| {
        ChallengeWalk::new(
            Scheme {
                store,
                settings: &settings,
            },
            id,
        )
    };
    let coordinator = principal_of(store, "coordinator@example.org").await;
    let request = ChallengeRequest {
        kind: ChallengeKind::OneDay,
        format: VisitFormat::OnSite,
        partners: vec![],
        windows: vec![],
        focus: "EHC plan quality".into(),
        kloes: vec![Kloe {
            question: "How good are EHC plans?".into(),
            themes: vec![ThemeCode::parse("EHCP_QUALITY").expect("theme")],
        }],
    };
    let challenge = store
        .request_challenge(&coordinator, &slug(host), &request, now)
        .await
        .expect("request");
    let mut fixture = ChallengeFixture {
        challenge,
        team: vec![],
        members: vec![],
        coordinator: coordinator.clone(),
    };
    if target == ChallengeState::Requested {
        return fixture;
    }
    walk(challenge)
        .agree_kloes(&coordinator, now)
        .await
        .expect("KLOEs agreed");
    walk(challenge)
        .move_to(&coordinator, ChallengeState::Scoping, None, now)
        .await
        .expect("scoping");
    let seats = vec![
        SeatPlan::new(SeatRole::LeadReviewer, 1, 0),
        SeatPlan::new(SeatRole::LaOfficer, 1, 0),
        SeatPlan::new(SeatRole::ParentCarer, 1, 0),
    ];
    let plan = VisitPlan {
        days: visit_days(future_weekday(), 1),
        seats,
    };
    store
        .plan_visit(&coordinator, challenge, &plan, now)
        .await
        .expect("visit");
    if target == ChallengeState::Scoping {
        return fixture;
    }
    // Each from an authority other than the host's, so the team keeps the composition rules.
    let mut homes = ["derby", "leicester", "rutland", "lincolnshire"]
        .into_iter()
        .filter(|home| *home != host);
    let mut home = || homes.next().expect("an authority other than the host's");
    let people = [
        (
            "Lena Lead",
            ReviewerType::LaOfficer,
            home(),
            SeatRole::LeadReviewer,
        ),
        (
            "Omar Officer",
            ReviewerType::LaOfficer,
            home(),
            SeatRole::LaOfficer,
        ),
        (
            "Pat Parent",
            ReviewerType::ParentCarer,
            home(),
            SeatRole::ParentCarer,
        ),
    ];
    let mut proposed = Vec::new();
    for ((name, kind, home, role), account) in people.into_iter().zip(accounts) {
        let member = store
            .add_pool_member(
                &member_profile(&format!("{name} {host}"), kind, home),
                account,
                None,
                now,
            )
            .await
            .expect("member");
        fixture.members.push(member);
        proposed.push(NewTeamMember {
            member,
            seat_role: role,
            shadowing: false,
            reasons: "Chosen for the test".into(),
        });
    }
    store
        .save_proposal(
            &coordinator,
            challenge,
            ChallengeState::Scoping,
            &proposed,
            "{}".into(),
            now,
        )
        .await
        .expect("proposal");
    let team = store.team(challenge).await.expect("team");
    fixture.team = fixture
        .members
        .iter()
        .filter_map(|m| team.iter().find(|t| t.member == *m).map(|t| t.id))
        .collect();
    if target == ChallengeState::TeamProposed {
        return fixture;
    }
    walk(challenge)
        .confirm_team(&coordinator, now)
        .await
        .expect("team confirmed");
    fixture
}
