//! Triad scrutiny on both databases: partners' comments only on a submitted self-assessment,
//! a triad's conversation recorded once published (owing its areas their development plans,
//! due on the cycle's date, once however often it is corrected), the development plan kept as
//! next steps under the cycle and submitted as the return, requests and offers, and evidence
//! documents whose every download is audit-logged.

use crate::support;

use domain::next_steps::{ActionEntry, Rag};
use domain::self_assessment::CycleTimetable;
use domain::self_assessment_form::SelfAssessmentAnswers;
use domain::triads::{
    CommentSection, Conversation, ScrutinyComment, ScrutinyKind, Support, SupportKind,
};
use domain::{MultiLine, OneLine, Programme, ReturnKind, ThemeCode};
use store::{AuditFilter, NewEvidenceDocument, ReturnFilter, Store, store_test};
use support::annual;
use support::challenge_walk::{assert_conflict, at, day, slug};

fn comment(text: &str) -> ScrutinyComment {
    ScrutinyComment {
        section: CommentSection::Overall,
        kind: ScrutinyKind::Question,
        text: MultiLine::parse("Comment", text, 2_000).expect("text"),
    }
}

fn plan_entry() -> ActionEntry {
    ActionEntry {
        reference: "DER-1".into(),
        answers: "Triad: timeliness of assessments".into(),
        theme: ThemeCode::parse("EHCP_QUALITY").expect("theme"),
        action: "Weekly panel for new requests".into(),
        owner: "Head of SEND".into(),
        partners: "ICB".into(),
        start: day(3, 1),
        due: day(9, 30),
        milestones: String::new(),
        baseline: "48% in 20 weeks".into(),
        target: "70%".into(),
        rag: Rag::Amber,
        progress: vec![],
        impact: String::new(),
    }
}

store_test!(
    a_triad_scrutinises_meets_and_owes_its_development_plans,
    |store: Store| async move {
        let coordinator = annual::coordinator(&store).await;
        let derby_lead = annual::lead_of_derby(&store).await;
        let (derby, nottingham, rutland) = (slug("derby"), slug("nottingham"), slug("rutland"));
        let areas = vec![
            derby.clone(),
            nottingham.clone(),
            rutland.clone(),
            slug("leicester"),
            slug("lincolnshire"),
            slug("derbyshire"),
        ];
        let triads = vec![areas[..3].to_vec(), areas[3..].to_vec()];
        let timetable = CycleTimetable::usual(2026).expect("timetable");
        let cycle = annual::cycle_2026(&store, &coordinator, &areas, &triads).await;

        // Nothing to scrutinise until Nottingham submits.
        assert_conflict(
            store
                .add_triad_comment(
                    cycle,
                    &nottingham,
                    &comment("Why?"),
                    &derby,
                    &derby_lead,
                    at(1),
                )
                .await,
        );
        let conversation = Conversation {
            held_on: day(1, 20),
            attended: vec![
                (
                    derby.clone(),
                    OneLine::parse("x", "Director", 500).expect("line"),
                ),
                (
                    nottingham.clone(),
                    OneLine::parse("x", "", 500).expect("line"),
                ),
            ],
            agreed: MultiLine::parse("x", "Share the audit tool", 10_000).expect("text"),
        };
        // Nor a conversation before the triads are published.
        assert_conflict(
            store
                .record_triad_conversation(cycle, 1, &conversation, &derby_lead, at(1))
                .await,
        );
        store
            .publish_triads(cycle, &coordinator, vec![], at(2))
            .await
            .expect("published");
        store
            .save_self_assessment(
                cycle,
                &nottingham,
                &SelfAssessmentAnswers::default(),
                &coordinator,
                at(3),
            )
            .await
            .expect("draft");
        store
            .submit_self_assessment(cycle, &nottingham, &coordinator, at(4))
            .await
            .expect("submitted");
        store
            .add_triad_comment(
                cycle,
                &nottingham,
                &comment("What does the audit show?"),
                &derby,
                &derby_lead,
                at(5),
            )
            .await
            .expect("comment");
        let comments = store
            .triad_comments(cycle, &nottingham)
            .await
            .expect("comments");
        assert_eq!(comments.len(), 1);
        assert_eq!(comments[0].author_area, derby);
        assert_eq!(comments[0].text, "What does the audit show?");
        assert!(
            store
                .triad_comments(cycle, &derby)
                .await
                .expect("none")
                .is_empty()
        );

        // The conversation names only its triad's areas.
        let mut outsider = conversation.clone();
        outsider.attended.push((
            slug("leicester"),
            OneLine::parse("x", "Someone", 500).expect("line"),
        ));
        assert_conflict(
            store
                .record_triad_conversation(cycle, 1, &outsider, &derby_lead, at(6))
                .await,
        );
        store
            .record_triad_conversation(cycle, 1, &conversation, &derby_lead, at(6))
            .await
            .expect("recorded");
        let owed = store
            .returns(&ReturnFilter {
                area: None,
                programme: Some(Programme::Annual),
            })
            .await
            .expect("returns");
        let plans: Vec<_> = owed
            .iter()
            .filter(|r| r.kind == ReturnKind::AnnualDevelopmentPlan)
            .collect();
        assert_eq!(plans.len(), 3, "each area of triad 1 owes its plan");
        assert!(plans.iter().all(|r| r.due == timetable.plans_due));
        // A correction changes the record and owes nothing twice.
        let mut corrected = conversation.clone();
        corrected.agreed =
            MultiLine::parse("x", "Share the audit tool by March", 10_000).expect("text");
        store
            .record_triad_conversation(cycle, 1, &corrected, &coordinator, at(7))
            .await
            .expect("corrected");
        let recorded = store
            .triad_conversation(cycle, 1)
            .await
            .expect("read")
            .expect("recorded");
        assert_eq!(recorded.agreed, "Share the audit tool by March");
        assert_eq!(recorded.attended[0], (derby.clone(), "Director".to_owned()));
        assert_eq!(recorded.recorded_by, "Cora Ordinator");
        assert!(
            store
                .triad_conversation(cycle, 2)
                .await
                .expect("read")
                .is_none()
        );
        let again = store
            .returns(&ReturnFilter {
                area: Some(derby.clone()),
                programme: Some(Programme::Annual),
            })
            .await
            .expect("returns");
        assert_eq!(
            again
                .iter()
                .filter(|r| r.kind == ReturnKind::AnnualDevelopmentPlan)
                .count(),
            1
        );
        let audit = store
            .audit_entries(
                &AuditFilter {
                    action: Some("triad.conversation_corrected".into()),
                    ..AuditFilter::default()
                },
                10,
            )
            .await
            .expect("audit");
        assert_eq!(audit.len(), 1);

        // The plan is Derby's next steps under the cycle; the return needs one first.
        let derby_plan = plans.iter().find(|r| r.area == derby).expect("derby's");
        assert_conflict(store.submit_return(derby_plan.id, &derby_lead, at(8)).await);
        store
            .save_next_step(cycle, &derby, None, &plan_entry(), &derby_lead, at(8))
            .await
            .expect("next step");
        store
            .submit_return(derby_plan.id, &derby_lead, at(9))
            .await
            .expect("submitted");
        let steps = store
            .next_steps(&store::NextStepFilter {
                area: Some(derby.clone()),
                programme: Some(Programme::Annual),
            })
            .await
            .expect("steps");
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].activity.id, cycle);

        // Requests and offers, to an area or the region.
        for (kind, with) in [
            (SupportKind::Request, None),
            (SupportKind::Offer, Some(rutland.clone())),
        ] {
            store
                .record_support(
                    cycle,
                    &derby,
                    &Support {
                        kind,
                        with,
                        text: MultiLine::parse("x", "Transitions support", 2_000).expect("text"),
                    },
                    &derby_lead,
                    at(10),
                )
                .await
                .expect("support");
        }
        let support = store.triad_support(cycle).await.expect("support");
        assert_eq!(support.len(), 2);
        assert_eq!(support[1].with, Some(rutland));
    }
);

store_test!(
    reading_a_self_assessments_evidence_document_is_audit_logged,
    |store: Store| async move {
        let coordinator = annual::coordinator(&store).await;
        let areas: Vec<_> = ["derby", "nottingham", "rutland"]
            .into_iter()
            .map(slug)
            .collect();
        let cycle =
            annual::cycle_2026(&store, &coordinator, &areas, std::slice::from_ref(&areas)).await;
        let derby = slug("derby");
        let id = store
            .upload_self_assessment_document(
                cycle,
                &derby,
                &NewEvidenceDocument {
                    section: "right_help".into(),
                    file_name: "audit.txt".into(),
                    content_type: "text/plain".into(),
                    content: b"Audit of plans".to_vec(),
                },
                &coordinator,
                at(1),
            )
            .await
            .expect("uploaded");
        let listed = store
            .self_assessment_documents(cycle, &derby)
            .await
            .expect("listed");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].size_bytes, 14);
        // Another area's path finds nothing and records nothing.
        assert!(
            store
                .download_self_assessment_document(cycle, &slug("rutland"), id, &coordinator, at(2))
                .await
                .expect("read")
                .is_none()
        );
        let (_, bytes) = store
            .download_self_assessment_document(cycle, &derby, id, &coordinator, at(2))
            .await
            .expect("read")
            .expect("found");
        assert_eq!(bytes, b"Audit of plans");
        let reads = store
            .audit_entries(
                &AuditFilter {
                    action: Some("self_assessment.document_downloaded".into()),
                    ..AuditFilter::default()
                },
                10,
            )
            .await
            .expect("audit");
        assert_eq!(reads.len(), 1);
    }
);

store_test!(
    people_recording_one_triads_conversation_at_once_owe_each_plan_once,
    |store: Store| async move {
        let coordinator = annual::coordinator(&store).await;
        let areas: Vec<_> = ["derby", "nottingham", "rutland"]
            .into_iter()
            .map(slug)
            .collect();
        let cycle =
            annual::cycle_2026(&store, &coordinator, &areas, std::slice::from_ref(&areas)).await;
        store
            .publish_triads(cycle, &coordinator, vec![], at(1))
            .await
            .expect("published");
        let mut writers = tokio::task::JoinSet::new();
        for writer in 0..8 {
            let store = store.clone();
            let coordinator = coordinator.clone();
            let derby = areas[0].clone();
            writers.spawn(async move {
                let conversation = Conversation {
                    held_on: day(1, 20),
                    attended: vec![(
                        derby,
                        OneLine::parse("x", &format!("Writer {writer}"), 500).expect("line"),
                    )],
                    agreed: MultiLine::parse("x", "Agreed", 100).expect("text"),
                };
                store
                    .record_triad_conversation(cycle, 1, &conversation, &coordinator, at(2))
                    .await
            });
        }
        for result in writers.join_all().await {
            result.expect("every writer is answered with success");
        }
        let owed = store
            .returns(&ReturnFilter {
                area: None,
                programme: Some(Programme::Annual),
            })
            .await
            .expect("returns");
        assert_eq!(
            owed.iter()
                .filter(|r| r.kind == ReturnKind::AnnualDevelopmentPlan)
                .count(),
            3
        );
    }
);
