//! Returns on both databases: a challenge reaching next steps owes its host's action plan;
//! extensions move its date later only, with the reason, audited; it is submitted once, and
//! only with an action; reminders are sent once per occasion; another programme's activity
//! owes returns of the areas it involves, and the list filters by programme and area.

use domain::programme::ReturnStanding;
use domain::{Programme, ReturnKind};
use store::ReturnFilter;

use super::*;

store_test!(
    a_challenge_owes_its_action_plan_as_a_return,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let owed = store
            .returns(&ReturnFilter {
                area: Some(slug("nottingham")),
                programme: Some(Programme::Challenge),
            })
            .await
            .expect("returns");
        assert_eq!(owed.len(), 1, "{owed:?}");
        let plan = owed[0].clone();
        assert_eq!(plan.kind, ReturnKind::ActionPlan);
        assert_eq!(plan.activity.challenge, Some(challenge));
        assert_eq!(plan.extended_to, None);
        assert!(matches!(
            plan.standing(plan.due - Duration::days(1)),
            ReturnStanding::Outstanding(_)
        ));
        assert_eq!(
            plan.standing(plan.due + Duration::days(1)),
            ReturnStanding::Overdue(plan.due)
        );

        assert_conflict(store.submit_return(plan.id, &s.pm, at(1)).await);
        assert_conflict(
            store
                .extend_return(plan.id, plan.due, "same day", &s.pm, at(1))
                .await,
        );
        let later = plan.due + Duration::days(14);
        store
            .extend_return(plan.id, later, "New director starts in May", &s.pm, at(2))
            .await
            .expect("extended");
        let extended = store.owed_return(plan.id).await.expect("read").expect("it");
        assert_eq!(extended.extended_to, Some(later));
        assert_eq!(
            extended.extension_reason.as_deref(),
            Some("New director starts in May")
        );
        assert_eq!(
            extended.standing(plan.due + Duration::days(1)),
            ReturnStanding::Outstanding(later)
        );
        assert_eq!(audit_of(&store, "return.extended").await.len(), 1);

        assert!(
            store
                .send_return_reminder_once(
                    plan.id,
                    "return_due_soon",
                    &later.to_string(),
                    vec![],
                    at(3)
                )
                .await
                .expect("first")
        );
        assert!(
            !store
                .send_return_reminder_once(
                    plan.id,
                    "return_due_soon",
                    &later.to_string(),
                    vec![],
                    at(4)
                )
                .await
                .expect("again")
        );

        save(
            &store,
            &s,
            challenge,
            None,
            &entry("NOT-1", Rag::Amber, day(6, 30)),
            at(5),
        )
        .await;
        store
            .submit_return(plan.id, &s.pm, at(6))
            .await
            .expect("submitted");
        let submitted = store.owed_return(plan.id).await.expect("read").expect("it");
        assert_eq!(
            submitted.standing(later + Duration::days(30)),
            ReturnStanding::Submitted
        );
        assert_eq!(
            submitted.submitted.map(|(_, by)| by),
            Some(s.pm.name.clone())
        );
        assert_conflict(store.submit_return(plan.id, &s.pm, at(7)).await);
        assert_conflict(
            store
                .extend_return(plan.id, later + Duration::days(7), "late", &s.pm, at(7))
                .await,
        );
        assert_eq!(audit_of(&store, "return.submitted").await.len(), 1);
    }
);

store_test!(
    another_programme_owes_returns_of_its_areas,
    |store: Store| async move {
        let s = scheme(&store).await;
        let event = store
            .create_programme_activity(
                Programme::Thematic,
                "Preparing for adulthood",
                &[slug("derby"), slug("leicester")],
                &s.pm,
                at(1),
            )
            .await
            .expect("event");
        let owe = |area: &'static str| {
            let store = store.clone();
            let pm = s.pm.clone();
            async move {
                store
                    .owe_return(
                        &store::NewReturn {
                            activity: event,
                            area: slug(area),
                            kind: ReturnKind::ActionPlan,
                            owner: None,
                            due: day(9, 1),
                        },
                        &pm,
                        at(2),
                    )
                    .await
            }
        };
        owe("derby").await.expect("derby owes");
        owe("leicester").await.expect("leicester owes");
        assert_conflict(owe("derby").await);
        assert_conflict(owe("rutland").await);
        let thematic = store
            .returns(&ReturnFilter {
                area: None,
                programme: Some(Programme::Thematic),
            })
            .await
            .expect("returns");
        assert_eq!(
            thematic
                .iter()
                .map(|r| r.area.to_string())
                .collect::<Vec<_>>(),
            ["derby", "leicester"]
        );
        assert!(
            store
                .returns(&ReturnFilter {
                    area: None,
                    programme: Some(Programme::Challenge),
                })
                .await
                .expect("returns")
                .is_empty()
        );
    }
);
