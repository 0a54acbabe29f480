//! A challenge that has reached reporting, with one recorded evidence note and one finding
//! written by the co-ordinator and a slide deck version shared with the host: what the
//! findings and reports pages need to open, added through the store as the pages add them.

use chrono::Utc;
use domain::findings::{EvidenceEntry, EvidenceKind, FindingEntry, FindingKind, ReportFormat};
use domain::lifecycle::ChallengeState;
use domain::{ChallengeId, EvidenceId, FindingId, ReportVersionId};
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
        .save_evidence(challenge, None, &entry, true, author, now)
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
