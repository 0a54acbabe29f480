//! A challenge that has reached reporting, with one recorded evidence note and one finding
//! written by the co-ordinator and a slide deck version shared with the host: what the
//! findings and reports pages need to open, added through the store as the pages add them;
//! and one moved on to next steps with an action in its plan.

use chrono::Utc;
use domain::findings::{EvidenceEntry, EvidenceKind, FindingEntry, FindingKind, ReportFormat};
use domain::lifecycle::ChallengeState;
use domain::next_steps::ActionAnswers;
use domain::{ActionId, ChallengeId, EvidenceId, FindingId, ReportVersionId, ThemeCode};
use store::{Author, Store};

use super::challenge_fixture::{ChallengeFixture, challenge_in};

pub struct FindingsFixture {
    pub challenge: ChallengeId,
    pub note: EvidenceId,
    pub finding: FindingId,
    pub version: ReportVersionId,
}

/// A one-day challenge hosted by `host`, moved on to reporting (the store moves it as the
/// lifecycle allows; readiness is the pages' check, not needed here).
pub async fn reporting_challenge(store: &Store, host: &str) -> FindingsFixture {
    let ChallengeFixture {
        challenge,
        coordinator,
        ..
    } = challenge_in(store, host, ChallengeState::TeamConfirmed).await;
    let now = Utc::now();
    for (from, to) in [
        (ChallengeState::TeamConfirmed, ChallengeState::Scheduled),
        (ChallengeState::Scheduled, ChallengeState::Visit),
        (ChallengeState::Visit, ChallengeState::Reporting),
    ] {
        store
            .move_challenge(&coordinator, challenge, from, to, None, now)
            .await
            .expect("move on");
    }
    let author = Author {
        user: coordinator.user_id,
        name: &coordinator.name,
    };
    let entry = EvidenceEntry {
        activity: None,
        kloe: Some(1),
        case_reference: None,
        kind: Some(EvidenceKind::Strength),
        note: "Plans are written with families".into(),
    };
    let note = store
        .save_evidence(challenge, None, &entry, true, author, None, now)
        .await
        .expect("evidence");
    let finding = store
        .add_finding(
            challenge,
            &FindingEntry {
                kloe: 1,
                kind: FindingKind::Strength,
                text: "Families help write plans".into(),
                evidence: vec![note],
            },
            coordinator.user_id,
            now,
        )
        .await
        .expect("finding");
    let version = store
        .add_report_version(
            challenge,
            ReportFormat::SlideDeck,
            b"slides".to_vec(),
            author,
            now,
        )
        .await
        .expect("version")
        .id;
    store
        .share_report(challenge, version, coordinator.user_id, now)
        .await
        .expect("share");
    FindingsFixture {
        challenge,
        note,
        finding,
        version,
    }
}

/// A challenge moved on to next steps, with one action in its plan written by the co-ordinator.
pub struct NextStepsFixture {
    pub challenge: ChallengeId,
    pub action: ActionId,
}

pub async fn next_steps_challenge(store: &Store, host: &str) -> NextStepsFixture {
    let reporting = reporting_challenge(store, host).await;
    let coordinator = store
        .principal(
            store
                .staff()
                .await
                .expect("staff")
                .into_iter()
                .find(|person| person.email.as_str() == "coordinator@example.org")
                .expect("the test co-ordinator")
                .id,
        )
        .await
        .expect("load")
        .expect("the co-ordinator");
    let now = Utc::now();
    store
        .move_challenge(
            &coordinator,
            reporting.challenge,
            ChallengeState::Reporting,
            ChallengeState::NextSteps,
            None,
            now,
        )
        .await
        .expect("next steps");
    let entry = ActionAnswers {
        reference: "LEI-1".into(),
        answers: "Recommendation 1".into(),
        theme: "EHCP_QUALITY".into(),
        action: "Agree a timetable for health advice".into(),
        owner: "Head of SEND".into(),
        start: "01/01/2027".into(),
        due: "30/06/2027".into(),
        rag: "amber".into(),
        ..ActionAnswers::default()
    }
    .check(
        &[ThemeCode::parse("EHCP_QUALITY").expect("theme")],
        now.date_naive(),
    )
    .expect("a valid action");
    let action = store
        .save_action(reporting.challenge, None, &entry, &coordinator, now)
        .await
        .expect("action");
    NextStepsFixture {
        challenge: reporting.challenge,
        action,
    }
}
