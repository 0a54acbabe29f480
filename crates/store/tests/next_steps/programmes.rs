//! Next steps of a programme other than challenges: a thematic event involving two areas,
//! each area's next steps written under it, refused for an area it does not involve, and the
//! board's reads filtering by programme and area.

use domain::Programme;
use store::{ActionStanding, NextStepFilter, StoreError};

use super::*;

store_test!(
    a_thematic_event_s_next_steps_filter_by_programme,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        store
            .save_action(
                challenge,
                None,
                &entry("NOT-1", Rag::Amber, day(6, 30)),
                &s.pm,
                at(1),
            )
            .await
            .expect("challenge action");
        let event = store
            .create_programme_activity(
                Programme::Thematic,
                "Preparing for adulthood",
                &[slug("nottingham"), slug("derby")],
                &s.pm,
                at(2),
            )
            .await
            .expect("event");
        for (area, reference) in [
            ("nottingham", "PFA-1"),
            ("derby", "PFA-1"),
            ("derby", "PFA-2"),
        ] {
            store
                .save_next_step(
                    event,
                    &slug(area),
                    None,
                    &entry(reference, Rag::Green, day(9, 1)),
                    &s.pm,
                    at(3),
                )
                .await
                .expect("thematic next step");
        }
        let outsider = store
            .save_next_step(
                event,
                &slug("rutland"),
                None,
                &entry("PFA-1", Rag::Green, day(9, 1)),
                &s.pm,
                at(4),
            )
            .await;
        assert!(
            matches!(outsider, Err(StoreError::Conflict(_))),
            "{outsider:?}"
        );
        let duplicate = store
            .save_next_step(
                event,
                &slug("derby"),
                None,
                &entry("PFA-2", Rag::Green, day(9, 1)),
                &s.pm,
                at(4),
            )
            .await;
        assert!(
            matches!(duplicate, Err(StoreError::Conflict(_))),
            "{duplicate:?}"
        );

        let read = |area: Option<&str>, programme: Option<Programme>| {
            let store = store.clone();
            let filter = NextStepFilter {
                area: area.map(slug),
                programme,
            };
            async move {
                store
                    .next_steps(&filter)
                    .await
                    .expect("next steps")
                    .into_iter()
                    .map(|a| {
                        (
                            a.authority.to_string(),
                            a.activity.programme,
                            a.entry.reference,
                        )
                    })
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(read(None, None).await.len(), 4);
        assert_eq!(
            read(None, Some(Programme::Thematic)).await,
            [
                ("derby".into(), Programme::Thematic, "PFA-1".into()),
                ("derby".into(), Programme::Thematic, "PFA-2".into()),
                ("nottingham".into(), Programme::Thematic, "PFA-1".into()),
            ]
        );
        assert_eq!(
            read(Some("nottingham"), Some(Programme::Challenge)).await,
            [("nottingham".into(), Programme::Challenge, "NOT-1".into())]
        );
        assert!(read(None, Some(Programme::Annual)).await.is_empty());
        let filter = NextStepFilter {
            area: Some(slug("derby")),
            programme: Some(Programme::Thematic),
        };
        assert_eq!(
            store
                .next_step_rag_changes(&filter)
                .await
                .expect("chart")
                .len(),
            2
        );
        // The region's counts read only where each action stands: the same actions, the
        // same standing, as reading them whole.
        for filter in [
            NextStepFilter::default(),
            NextStepFilter {
                area: None,
                programme: Some(Programme::Thematic),
            },
            filter,
        ] {
            let whole = store.next_steps(&filter).await.expect("actions");
            let mut expected: Vec<ActionStanding> =
                whole.iter().map(ActionStanding::from).collect();
            expected
                .sort_by(|a, b| (&a.authority, &a.reference).cmp(&(&b.authority, &b.reference)));
            assert_eq!(
                store.next_step_standings(&filter).await.expect("standings"),
                expected
            );
        }

        let activity = store
            .programme_activity(event)
            .await
            .expect("read")
            .expect("event");
        assert_eq!(activity.activity.title, "Preparing for adulthood");
        assert_eq!(activity.activity.challenge, None);
        assert_eq!(activity.areas, [slug("derby"), slug("nottingham")]);
        // A challenge's activity is made with the challenge, never on its own.
        assert!(matches!(
            store
                .create_programme_activity(
                    Programme::Challenge,
                    "x",
                    &[slug("derby")],
                    &s.pm,
                    at(5)
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
    }
);

store_test!(
    a_lead_is_reminded_of_next_steps_due_from_every_programme,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let today = day(6, 20);
        for (reference, due) in [
            ("NOT-1", day(6, 10)),
            ("NOT-2", day(6, 25)),
            ("NOT-3", day(9, 1)),
        ] {
            store
                .save_action(
                    challenge,
                    None,
                    &entry(reference, Rag::Amber, due),
                    &s.pm,
                    at(1),
                )
                .await
                .expect("challenge action");
        }
        let event = store
            .create_programme_activity(
                Programme::Thematic,
                "Preparing for adulthood",
                &[slug("nottingham"), slug("derby")],
                &s.pm,
                at(2),
            )
            .await
            .expect("event");
        for (area, due) in [("nottingham", day(6, 15)), ("derby", day(6, 15))] {
            store
                .save_next_step(
                    event,
                    &slug(area),
                    None,
                    &entry("PFA-1", Rag::Red, due),
                    &s.pm,
                    at(3),
                )
                .await
                .expect("thematic next step");
        }
        let due = store
            .next_steps_due(&[slug("nottingham")], today)
            .await
            .expect("due");
        let mut seen: Vec<(Programme, usize, usize)> = due
            .iter()
            .map(|item| (item.activity.programme, item.due_soon, item.overdue))
            .collect();
        seen.sort_by_key(|(programme, ..)| programme.code());
        // The challenge: one overdue, one due within the fortnight, one later (not counted).
        // The event: Nottingham's own overdue step, not Derby's.
        assert_eq!(
            seen,
            [(Programme::Challenge, 1, 1), (Programme::Thematic, 0, 1)]
        );
        assert!(due.iter().all(|item| item.authority == slug("nottingham")));
    }
);

store_test!(
    every_activity_s_returns_and_actions_are_tallied_in_two_statements,
    |store: Store| async move {
        let s = scheme(&store).await;
        let areas = [slug("derby"), slug("nottingham")];
        let counted = store
            .create_programme_activity(Programme::Thematic, "Counted", &areas, &s.pm, at(1))
            .await
            .expect("event");
        let empty = store
            .create_programme_activity(Programme::Thematic, "Empty", &areas, &s.pm, at(1))
            .await
            .expect("event");
        for (area, reference, rag, due) in [
            ("derby", "PFA-1", Rag::Red, day(6, 1)),
            ("derby", "PFA-2", Rag::Complete, day(6, 1)),
            ("derby", "PFA-3", Rag::Red, day(6, 1)),
            ("nottingham", "PFA-1", Rag::Green, day(9, 1)),
            ("nottingham", "PFA-2", Rag::Amber, day(6, 30)),
        ] {
            store
                .save_next_step(
                    counted,
                    &slug(area),
                    None,
                    &entry(reference, rag, due),
                    &s.pm,
                    at(2),
                )
                .await
                .expect("next step");
        }
        let mut owed = Vec::new();
        for area in &areas {
            let new = store::NewReturn {
                activity: counted,
                area: area.clone(),
                kind: domain::ReturnKind::SelfAssessment,
                owner: None,
                due: day(9, 1),
            };
            owed.push(store.owe_return(&new, &s.pm, at(3)).await.expect("owed"));
        }
        store
            .submit_return(owed[0], &s.pm, at(4))
            .await
            .expect("submitted");

        let before = store.statements_run();
        let tallies = store.activity_tallies(day(7, 1)).await.expect("tallies");
        assert_eq!(store.statements_run() - before, 2);
        assert_eq!(
            tallies.get(&counted),
            Some(&store::ActivityTally {
                areas_owing: areas.to_vec(),
                returns_owed: 2,
                returns_received: 1,
                actions: 5,
                // Derby's two red actions past 1 June and Nottingham's amber one past 30 June;
                // the complete one is never overdue.
                overdue: 3,
            })
        );
        assert_eq!(tallies.get(&empty), None);
    }
);
