//! An event's KLOEs: a draft rewritten until shared, shared not before its date (the event
//! moving on in the same transaction), and a change after sharing a new version, the old kept.

use domain::challenge::Kloe;
use store::KloesSaved;

use super::*;

fn kloe(question: &str) -> Vec<Kloe> {
    vec![Kloe {
        question: question.into(),
        themes: vec![
            ThemeCode::parse("PFA").expect("theme"),
            ThemeCode::parse("HEALTH").expect("theme"),
        ],
    }]
}

store_test!(
    kloes_are_shared_on_their_date_and_changed_as_new_versions,
    |store: Store| async move {
        let cora = coordinator(&store).await;
        let id = open_event(&store, &cora).await;
        let mail = || vec![confirmation("ann@derby.example.org")];
        assert_eq!(
            store
                .save_event_kloes(id, &kloe("First draft"), day(3, 6), mail(), &cora, at(2))
                .await
                .expect("saved"),
            KloesSaved::Draft
        );
        assert_eq!(
            store
                .save_event_kloes(id, &kloe("Second draft"), day(3, 6), mail(), &cora, at(3))
                .await
                .expect("saved"),
            KloesSaved::Draft
        );
        // Not before its date.
        assert!(
            !store
                .share_event_kloes(id, mail(), day(3, 5), None, at(4))
                .await
                .expect("not yet")
        );
        assert!(
            store
                .share_event_kloes(id, mail(), day(3, 6), None, at(5))
                .await
                .expect("shared")
        );
        assert!(
            !store
                .share_event_kloes(id, mail(), day(3, 6), None, at(6))
                .await
                .expect("once")
        );
        let event = store.event(id).await.expect("read").expect("event");
        assert_eq!(event.state, EventState::KloesShared);
        assert_eq!(
            store
                .save_event_kloes(
                    id,
                    &kloe("Changed after sharing"),
                    day(3, 6),
                    mail(),
                    &cora,
                    at(7)
                )
                .await
                .expect("saved"),
            KloesSaved::NewVersionSent(2)
        );
        let versions = store.event_kloes(id).await.expect("read");
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].version, 2);
        assert_eq!(versions[0].kloes, kloe("Changed after sharing"));
        assert_eq!(versions[1].kloes, kloe("Second draft"));
        assert!(versions.iter().all(|v| v.shared_at.is_some()));
        assert_eq!(
            store.outbox_emails(50).await.expect("outbox").len(),
            2,
            "shared once, resent once"
        );
    }
);
