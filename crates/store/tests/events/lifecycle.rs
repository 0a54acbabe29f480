//! An event's activity, details and moves.

use domain::Programme;

use super::*;

store_test!(
    an_event_is_a_thematic_activity_of_every_area_and_moves_one_step_at_a_time,
    |store: Store| async move {
        let cora = coordinator(&store).await;
        let id = store
            .create_event(&details(&answers()), &areas(), &cora, at(0))
            .await
            .expect("created");
        let activity = store
            .programme_activity(id)
            .await
            .expect("read")
            .expect("activity");
        assert_eq!(activity.activity.programme, Programme::Thematic);
        assert_eq!(activity.areas.len(), 3);
        let event = store.event(id).await.expect("read").expect("event");
        assert_eq!(event.state, EventState::Draft);
        assert_eq!(event.details, details(&answers()));

        // Changed while a draft; the activity's title follows.
        let renamed = EventAnswers {
            title: "EHCNA timeliness".into(),
            ..answers()
        };
        store
            .update_event(id, EventState::Draft, &details(&renamed), &cora, at(1))
            .await
            .expect("changed");
        let activity = store
            .programme_activity(id)
            .await
            .expect("read")
            .expect("a");
        assert_eq!(activity.activity.title, "EHCNA timeliness");

        // A skipped step, and a move from a state it has left, are refused.
        assert_conflict(
            store
                .move_event(
                    id,
                    EventState::Draft,
                    EventState::Held,
                    vec![],
                    &cora,
                    at(2),
                )
                .await,
        );
        store
            .move_event(
                id,
                EventState::Draft,
                EventState::Open,
                vec![],
                &cora,
                at(2),
            )
            .await
            .expect("opened");
        assert_conflict(
            store
                .move_event(
                    id,
                    EventState::Draft,
                    EventState::Open,
                    vec![],
                    &cora,
                    at(3),
                )
                .await,
        );
        store
            .move_event(
                id,
                EventState::Open,
                EventState::KloesShared,
                vec![],
                &cora,
                at(3),
            )
            .await
            .expect("shared");
        // Fixed once the KLOEs are out.
        assert_conflict(
            store
                .update_event(
                    id,
                    EventState::KloesShared,
                    &details(&answers()),
                    &cora,
                    at(4),
                )
                .await,
        );
        store
            .move_event(
                id,
                EventState::KloesShared,
                EventState::Cancelled,
                vec![],
                &cora,
                at(4),
            )
            .await
            .expect("cancelled");
        assert_eq!(audit_of(&store, "event.moved").await.len(), 3);
        assert_eq!(audit_of(&store, "event.created").await.len(), 1);
        assert_eq!(audit_of(&store, "event.changed").await.len(), 1);
        assert_eq!(store.events().await.expect("list").len(), 1);
    }
);

store_test!(
    a_face_to_face_event_keeps_its_venue_address_and_access_notes,
    |store: Store| async move {
        let cora = coordinator(&store).await;
        let face = EventAnswers {
            format: "face_to_face".into(),
            joining_link: String::new(),
            venue: "County Hall".into(),
            address: "Glen Road\nOadby".into(),
            accessibility: "Step-free entrance".into(),
            ..answers()
        };
        let id = store
            .create_event(&details(&face), &areas(), &cora, at(0))
            .await
            .expect("created");
        let event = store.event(id).await.expect("read").expect("event");
        assert_eq!(event.details.answers(), face);
    }
);
