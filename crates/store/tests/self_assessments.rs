//! Self-assessments on both databases: owed as a return when the cycle's triads are
//! published, a draft rewritten on every save, submitted (the return with it), signed off
//! with who signed and when, and a new version over a signed one with the signed one kept.

use crate::support;

use domain::self_assessment::{CycleTimetable, propose_triads};
use domain::self_assessment_form::{SelfAssessmentAnswers, SelfAssessmentStatus, SignOff};
use domain::{Programme, ReturnKind};
use store::{ReturnFilter, Store, store_test};
use support::annual;
use support::challenge_walk::{assert_conflict, at, day, slug};

fn answers(summary: &str) -> SelfAssessmentAnswers {
    SelfAssessmentAnswers {
        summary: summary.to_owned(),
        ..SelfAssessmentAnswers::default()
    }
}

store_test!(
    a_self_assessment_is_owed_saved_submitted_signed_and_versioned,
    |store: Store| async move {
        let coordinator = annual::coordinator(&store).await;
        let lead = annual::lead_of_derby(&store).await;
        let areas: Vec<_> = [
            "derby",
            "derbyshire",
            "leicester",
            "nottingham",
            "rutland",
            "lincolnshire",
        ]
        .into_iter()
        .map(slug)
        .collect();
        let triads = propose_triads(&areas, &[]);
        let timetable = CycleTimetable::usual(2026).expect("timetable");
        let cycle = annual::cycle_2026(&store, &coordinator, &areas, &triads).await;
        store
            .publish_triads(cycle, &coordinator, vec![], at(1))
            .await
            .expect("published");
        let owed = store
            .returns(&ReturnFilter {
                area: Some(slug("derby")),
                programme: Some(Programme::Annual),
            })
            .await
            .expect("returns");
        assert_eq!(owed.len(), 1);
        assert_eq!(owed[0].kind, ReturnKind::SelfAssessment);
        assert_eq!(owed[0].due, timetable.self_assessment_due);
        assert!(owed[0].submitted.is_none());

        let derby = slug("derby");
        assert_conflict(
            store
                .submit_self_assessment(cycle, &derby, &lead, at(2))
                .await,
        );
        assert_eq!(
            store
                .save_self_assessment(cycle, &derby, &answers("first"), &lead, at(2))
                .await
                .expect("save"),
            1
        );
        assert_eq!(
            store
                .save_self_assessment(cycle, &derby, &answers("second"), &lead, at(3))
                .await
                .expect("save"),
            1,
            "a draft is rewritten, not versioned"
        );
        let draft = store
            .self_assessment(cycle, &derby)
            .await
            .expect("read")
            .expect("draft");
        assert_eq!(draft.answers.summary, "second");
        assert_eq!(draft.status, SelfAssessmentStatus::Draft);
        assert!(
            store
                .submitted_self_assessments(cycle)
                .await
                .expect("read")
                .is_empty()
        );

        assert_conflict(
            store
                .sign_off_self_assessment(cycle, &derby, &sign_off(), &lead, at(4))
                .await,
        );
        store
            .submit_self_assessment(cycle, &derby, &lead, at(4))
            .await
            .expect("submit");
        let owed = store
            .returns(&ReturnFilter {
                area: Some(derby.clone()),
                programme: Some(Programme::Annual),
            })
            .await
            .expect("returns");
        assert!(
            owed[0].submitted.is_some(),
            "the return is submitted with it"
        );
        store
            .sign_off_self_assessment(cycle, &derby, &sign_off(), &lead, at(5))
            .await
            .expect("signed");

        assert_eq!(
            store
                .save_self_assessment(cycle, &derby, &answers("third"), &lead, at(6))
                .await
                .expect("save"),
            2,
            "editing after sign-off starts a new version"
        );
        let versions = store
            .self_assessment_versions(cycle, &derby)
            .await
            .expect("versions");
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].status, SelfAssessmentStatus::Draft);
        assert_eq!(versions[1].status, SelfAssessmentStatus::SignedOff);
        assert_eq!(
            versions[1].answers.summary, "second",
            "the signed version is kept"
        );
        assert_eq!(versions[1].sign_off, Some(sign_off()));
        assert_eq!(
            versions[1].sign_off_recorded_by.as_deref(),
            Some("Lee Derby")
        );
        let read = store.submitted_self_assessments(cycle).await.expect("read");
        assert_eq!(read.len(), 1);
        assert_eq!(
            read[0].version, 1,
            "others read the signed version, not the new draft"
        );
    }
);

fn sign_off() -> SignOff {
    SignOff {
        for_authority: "Director of Children's Services".into(),
        for_health: "ICB Designated Clinical Officer".into(),
        for_forum: "Forum chair".into(),
        on: day(1, 20),
    }
}
