//! The dashboard's to-do lists on both databases: each item appears when its task waits and
//! goes once it is done, for the reviewers, the host's LA lead and the project manager.

use domain::challenge::{InvitationResponse, MemberStatus, SeatRole};
use domain::findings::{FindingEntry, FindingKind};
use domain::{AuthoritySlug, ChallengeId, UserId};
use store::{NewTeamMember, Store, WorkTask, store_test};

use super::support::challenge_walk::{
    Scheme, advance, agree_report, author_of, first_visit_day, now, reviewer,
};
use super::*;

fn today() -> chrono::NaiveDate {
    now().date_naive()
}

async fn reviewer_tasks(store: &Store, user: UserId, challenge: ChallengeId) -> Vec<WorkTask> {
    store
        .reviewer_work(user, today())
        .await
        .expect("reviewer work")
        .into_iter()
        .filter(|item| item.challenge == challenge)
        .map(|item| item.task)
        .collect()
}

async fn lead_tasks(store: &Store, scheme: &Scheme, challenge: ChallengeId) -> Vec<WorkTask> {
    let areas = [AuthoritySlug::parse("nottingham").expect("slug")];
    store
        .lead_work(scheme.host().user_id, &areas)
        .await
        .expect("lead work")
        .into_iter()
        .filter(|item| item.challenge == challenge)
        .map(|item| item.task)
        .collect()
}

async fn scheme_tasks(store: &Store, challenge: ChallengeId) -> Vec<WorkTask> {
    store
        .scheme_work()
        .await
        .expect("scheme work")
        .into_iter()
        .filter(|item| item.challenge == challenge)
        .map(|item| item.task)
        .collect()
}

async fn each_role_sees_what_waits_and_not_what_is_done(store: Store) {
    let scheme = scheme_with_host(&store).await;
    let (asha, ben) = (scheme.asha.user(), scheme.ben.user());

    // Requested: the scheme scopes it, the host agrees its KLOEs; no reviewer hears of it.
    let id = challenge_in(&store, &scheme, ONE_DAY, ChallengeState::Requested).await;
    assert_eq!(scheme_tasks(&store, id).await, [WorkTask::ScopeRequest]);
    assert_eq!(
        lead_tasks(&store, &scheme, id).await,
        [WorkTask::AgreeKloes]
    );
    assert!(reviewer_tasks(&store, asha, id).await.is_empty());
    let other_lead = store
        .lead_work(
            scheme.host().user_id,
            &[AuthoritySlug::parse("derby").expect("slug")],
        )
        .await
        .expect("lead work");
    assert!(other_lead.is_empty(), "another area's lead sees nothing");

    // On to the visit, item by item.
    support::challenge_walk::step(
        &store,
        &scheme,
        id,
        ChallengeKind::OneDay,
        ChallengeState::Requested,
        ChallengeState::Scoping,
    )
    .await;
    assert_eq!(scheme_tasks(&store, id).await, [WorkTask::ProposeTeam]);
    assert!(
        lead_tasks(&store, &scheme, id).await.is_empty(),
        "KLOEs agreed"
    );
    for (from, to) in [
        (ChallengeState::Scoping, ChallengeState::TeamProposed),
        (ChallengeState::TeamProposed, ChallengeState::TeamConfirmed),
    ] {
        support::challenge_walk::step(&store, &scheme, id, ChallengeKind::OneDay, from, to).await;
    }
    assert!(scheme_tasks(&store, id).await.is_empty());
    assert_eq!(
        lead_tasks(&store, &scheme, id).await,
        [WorkTask::BuildTimetable]
    );
    assert_eq!(
        reviewer_tasks(&store, asha, id).await,
        [WorkTask::AnswerInvitation]
    );

    // Ben declines: his invitation goes, and the scheme re-composes until someone is proposed.
    let team = store.team(id).await.expect("team");
    let seat_of = |member| {
        team.iter()
            .find(|seat| seat.member == member && seat.status == MemberStatus::Invited)
            .expect("seat")
            .id
    };
    store
        .respond_to_invitation(
            &scheme.ben.principal,
            seat_of(scheme.ben.member),
            &InvitationResponse::Decline("Away that week".into()),
            None,
            now(),
        )
        .await
        .expect("declined");
    assert!(reviewer_tasks(&store, ben, id).await.is_empty());
    assert_eq!(scheme_tasks(&store, id).await, [WorkTask::RecomposeTeam]);
    let cara = reviewer(&store, "Cara Jones").await;
    store
        .add_team_member(
            &scheme.pm,
            id,
            &NewTeamMember {
                member: cara.member,
                seat_role: SeatRole::LaOfficer,
                shadowing: false,
                reasons: "In Ben's place".into(),
            },
            None,
            now(),
        )
        .await
        .expect("proposed");
    assert!(
        scheme_tasks(&store, id).await.is_empty(),
        "seat filled again"
    );

    // Asha accepts: her invitation becomes her coming visit.
    store
        .respond_to_invitation(
            &scheme.asha.principal,
            seat_of(scheme.asha.member),
            &InvitationResponse::Accept,
            None,
            now(),
        )
        .await
        .expect("accepted");
    assert_eq!(
        reviewer_tasks(&store, asha, id).await,
        [WorkTask::ComingVisit(first_visit_day())]
    );
}

store_test!(
    each_role_sees_what_waits_and_not_what_is_done,
    each_role_sees_what_waits_and_not_what_is_done
);

async fn the_visit_and_reporting_wait_until_done(store: Store) {
    let scheme = scheme_with_host(&store).await;
    let asha = scheme.asha.user();
    let id = challenge_in(&store, &scheme, ONE_DAY, ChallengeState::Visit).await;
    assert_eq!(
        reviewer_tasks(&store, asha, id).await,
        [WorkTask::RecordEvidence]
    );
    let note = store
        .save_evidence(
            id,
            None,
            &EvidenceEntry {
                activity: None,
                kloe: Some(1),
                case_reference: None,
                kind: Some(EvidenceKind::Strength),
                note: "Plans are written with families".into(),
            },
            true,
            scheme.asha.author(),
            None,
            now(),
        )
        .await
        .expect("recorded");
    assert!(
        reviewer_tasks(&store, asha, id).await.is_empty(),
        "recorded"
    );

    advance(
        &store,
        &scheme.pm,
        id,
        ChallengeState::Visit,
        ChallengeState::Reporting,
    )
    .await;
    assert_eq!(scheme_tasks(&store, id).await, [WorkTask::FinishReport]);
    assert!(
        reviewer_tasks(&store, asha, id).await.is_empty(),
        "no findings yet"
    );
    let finding = store
        .add_finding(
            id,
            &FindingEntry {
                kloe: 1,
                kind: FindingKind::Strength,
                text: "Families help write plans".into(),
                evidence: vec![note],
            },
            scheme.pm.user_id,
            now(),
        )
        .await
        .expect("finding");
    assert_eq!(
        reviewer_tasks(&store, asha, id).await,
        [WorkTask::CommentOnFindings]
    );
    store
        .comment_on_finding(id, finding, "Agreed", scheme.asha.author(), now())
        .await
        .expect("commented");
    assert!(
        reviewer_tasks(&store, asha, id).await.is_empty(),
        "commented"
    );

    // A version shared with the host waits for their check until they comment.
    assert!(lead_tasks(&store, &scheme, id).await.is_empty());
    let shared = store
        .add_report_version(
            id,
            ReportFormat::SlideDeck,
            b"slides".to_vec(),
            scheme.asha.author(),
            now(),
        )
        .await
        .expect("made");
    store
        .share_report(id, shared.id, scheme.pm.user_id, now())
        .await
        .expect("shared");
    assert_eq!(
        lead_tasks(&store, &scheme, id).await,
        [WorkTask::CheckReport]
    );
    store
        .comment_on_report(
            id,
            shared.id,
            "Page 2: it is 40 plans",
            author_of(scheme.host()),
            now(),
        )
        .await
        .expect("commented");
    assert!(lead_tasks(&store, &scheme, id).await.is_empty(), "checked");

    agree_report(&store, &scheme, id, ReportFormat::SlideDeck, now()).await;
    assert!(
        scheme_tasks(&store, id).await.is_empty(),
        "the report is final"
    );
}

store_test!(
    the_visit_and_reporting_wait_until_done,
    the_visit_and_reporting_wait_until_done
);
