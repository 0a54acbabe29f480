//! One activity, one case and one document on a challenge, added through the store as the
//! visit pages add them, for tests (the authorisation walk among them) that need objects to
//! open.

use chrono::{NaiveTime, Utc};
use domain::case_sample::CaseAnswers;
use domain::timetable::{ActivityKind, ActivityPlan};
use domain::{ActivityId, CaseId, ChallengeId, DocumentId, TeamMemberId, UserId};
use store::{DocumentKind, NewDocument, Store};

pub struct VisitFixture {
    pub activity: ActivityId,
    pub case: CaseId,
    pub document: DocumentId,
}

/// The co-ordinator's account, who stands in for the host in these fixtures.
async fn coordinator(store: &Store) -> UserId {
    store
        .staff()
        .await
        .expect("staff")
        .into_iter()
        .find(|person| person.email.as_str() == "coordinator@example.org")
        .expect("the test co-ordinator")
        .id
}

/// A small PDF: enough for the upload's signature check.
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Add a case-sampling activity on the first visit day (9:30 to 11:00, with all of `team`,
/// for KLOE 1 when there is one), case NOT-2027-01 and a self-evaluation PDF.
pub async fn add_visit_fixtures(
    store: &Store,
    challenge: ChallengeId,
    team: &[TeamMemberId],
) -> VisitFixture {
    let by = coordinator(store).await;
    let now = Utc::now();
    let record = store
        .challenge(challenge)
        .await
        .expect("load")
        .expect("the challenge");
    let day = record
        .visit_days
        .first()
        .copied()
        .unwrap_or_else(|| now.date_naive());
    let plan = ActivityPlan {
        day,
        starts: NaiveTime::from_hms_opt(9, 30, 0).expect("time"),
        ends: NaiveTime::from_hms_opt(11, 0, 0).expect("time"),
        kind: ActivityKind::CaseSampling,
        title: "Case sampling with the SEND casework team".into(),
        place: "Room 2, Loxley House".into(),
        kloe: (!record.kloes.is_empty()).then_some(1),
        reviewers: team.to_vec(),
    };
    let activity = store
        .add_activity(challenge, &plan, by, now)
        .await
        .expect("activity");
    let entry = CaseAnswers {
        reference: "NOT-2027-01".into(),
        age_band: "11-15".into(),
        need_type: "ASD".into(),
        setting_type: "mainstream_secondary".into(),
        notes: "Annual review due in the spring term".into(),
    }
    .check()
    .expect("a valid case");
    let case = store
        .add_case(challenge, &entry, by, now)
        .await
        .expect("case");
    let document = store
        .upload_pre_reading(
            challenge,
            &NewDocument {
                kind: DocumentKind::SelfEvaluation,
                file_name: "Self-evaluation 2027.pdf".into(),
                content_type: "application/pdf".into(),
                content: PDF.to_vec(),
            },
            by,
            now,
        )
        .await
        .expect("document");
    VisitFixture {
        activity,
        case,
        document,
    }
}
