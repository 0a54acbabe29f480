//! Each area's nominations, held to the event's rules in the writing transaction.

use domain::ids::NominationId;
use store::{OutboxStatus, StoreError};

use super::*;

store_test!(
    nominations_keep_to_capacity_the_close_date_and_one_each,
    |store: Store| async move {
        let cora = coordinator(&store).await;
        let id = open_event(&store, &cora).await;
        let derby = slug("derby");
        let before_close = day(3, 13);
        for (name, email) in [
            ("Ann One", "ann@derby.example.org"),
            ("Bo Two", "bo@derby.example.org"),
        ] {
            store
                .nominate(
                    id,
                    &derby,
                    &nominee(name, email, false),
                    confirmation(email),
                    before_close,
                    &cora,
                    at(5),
                )
                .await
                .expect("named");
        }
        // Full: a third officer is refused, a deputy is not.
        assert_conflict(
            store
                .nominate(
                    id,
                    &derby,
                    &nominee("Cy Three", "cy@derby.example.org", false),
                    confirmation("cy@derby.example.org"),
                    before_close,
                    &cora,
                    at(6),
                )
                .await,
        );
        store
            .nominate(
                id,
                &derby,
                &nominee("Di Deputy", "di@derby.example.org", true),
                confirmation("di@derby.example.org"),
                before_close,
                &cora,
                at(6),
            )
            .await
            .expect("deputy named");
        // The same person twice, whatever the case of the address or the area naming them.
        assert_conflict(
            store
                .nominate(
                    id,
                    &slug("nottingham"),
                    &nominee("Ann One", "ANN@derby.example.org", false),
                    confirmation("ann@derby.example.org"),
                    before_close,
                    &cora,
                    at(7),
                )
                .await,
        );
        // After the close date.
        assert_conflict(
            store
                .nominate(
                    id,
                    &slug("nottingham"),
                    &nominee("Ed Late", "ed@nottingham.example.org", false),
                    confirmation("ed@nottingham.example.org"),
                    day(3, 14),
                    &cora,
                    at(7),
                )
                .await,
        );
        // An area that takes no part.
        assert_conflict(
            store
                .nominate(
                    id,
                    &slug("rutland"),
                    &nominee("Fay Far", "fay@rutland.example.org", false),
                    confirmation("fay@rutland.example.org"),
                    before_close,
                    &cora,
                    at(7),
                )
                .await,
        );
        let named = store.nominations(id).await.expect("read");
        assert_eq!(named.len(), 3);
        assert!(named.iter().all(|n| n.area == derby));
        // Each one named had their confirmation queued with the nomination; no refused one did.
        let outbox = store.outbox_emails(50).await.expect("outbox");
        assert_eq!(outbox.len(), 3, "{outbox:?}");
        assert!(outbox.iter().all(|e| e.status == OutboxStatus::Queued));

        // Withdrawn while open; then one more fits.
        let ann = named
            .iter()
            .find(|n| n.nominee.name.as_str() == "Ann One")
            .expect("ann");
        store
            .withdraw_nomination(ann.id, before_close, &cora, at(8))
            .await
            .expect("withdrawn");
        store
            .nominate(
                id,
                &derby,
                &nominee("Cy Three", "cy@derby.example.org", false),
                confirmation("cy@derby.example.org"),
                before_close,
                &cora,
                at(9),
            )
            .await
            .expect("named in the freed place");
        assert_eq!(audit_of(&store, "event.nominated").await.len(), 4);
    }
);

store_test!(
    a_draft_takes_no_nominations_and_a_reminder_goes_once,
    |store: Store| async move {
        let cora = coordinator(&store).await;
        let draft = store
            .create_event(&details(&answers()), &areas(), &cora, at(0))
            .await
            .expect("created");
        assert_conflict(
            store
                .nominate(
                    draft,
                    &slug("derby"),
                    &nominee("Ann One", "ann@derby.example.org", false),
                    confirmation("ann@derby.example.org"),
                    day(3, 1),
                    &cora,
                    at(1),
                )
                .await,
        );
        let id = open_event(&store, &cora).await;
        let ann = store
            .nominate(
                id,
                &slug("derby"),
                &nominee("Ann One", "ann@derby.example.org", false),
                confirmation("ann@derby.example.org"),
                day(3, 1),
                &cora,
                at(1),
            )
            .await
            .expect("named");
        let reminder = domain::events::EventReminder::WeekBefore;
        assert!(
            store
                .send_event_reminder_once(
                    ann,
                    reminder,
                    confirmation("ann@derby.example.org"),
                    at(2)
                )
                .await
                .expect("sent")
        );
        assert!(
            !store
                .send_event_reminder_once(
                    ann,
                    reminder,
                    confirmation("ann@derby.example.org"),
                    at(3)
                )
                .await
                .expect("not again")
        );
        assert_eq!(store.outbox_emails(50).await.expect("outbox").len(), 2);
    }
);

store_test!(
    a_late_thematic_return_needs_an_extension_first,
    |store: Store| async move {
        use domain::events::EventState as S;
        use domain::next_steps::{ActionEntry, Rag};
        let cora = coordinator(&store).await;
        let id = open_event(&store, &cora).await;
        for (from, to) in [
            (S::Open, S::KloesShared),
            (S::KloesShared, S::Held),
            (S::Held, S::Returns),
        ] {
            store
                .move_event(id, from, to, vec![], &cora, at(2))
                .await
                .expect("moved");
        }
        let owed = store
            .returns(&store::ReturnFilter {
                area: Some(slug("derby")),
                programme: None,
            })
            .await
            .expect("returns");
        assert_eq!(owed.len(), 1);
        let owed = &owed[0];
        assert_eq!(owed.due, day(4, 17));
        let entry = ActionEntry {
            reference: "DER-T1".into(),
            answers: "KLOE 1".into(),
            theme: ThemeCode::parse("EHCNA_TIMELINESS").expect("theme"),
            action: "Weekly panel".into(),
            owner: "Head of SEND".into(),
            partners: String::new(),
            start: day(3, 21),
            due: day(9, 1),
            milestones: String::new(),
            baseline: String::new(),
            target: String::new(),
            rag: Rag::Green,
            progress: vec![],
            impact: String::new(),
        };
        store
            .apply_next_steps(id, &slug("derby"), &[entry], &cora, at(3))
            .await
            .expect("applied");
        let late = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 4, 18, 12, 0, 0)
            .single()
            .expect("time");
        assert_conflict(store.submit_return(owed.id, &cora, late).await);
        store
            .extend_return(owed.id, day(5, 1), "Sickness", &cora, late)
            .await
            .expect("extended");
        store
            .submit_return(owed.id, &cora, late)
            .await
            .expect("in time now");
    }
);

/// Each of `people` named for `area` at once, each in a task of its own; what each was told.
async fn nominate_at_once(
    store: &Store,
    by: &Principal,
    event: ProgrammeActivityId,
    area: &str,
    people: Vec<(String, String)>,
) -> Vec<Result<NominationId, StoreError>> {
    let mut requests = tokio::task::JoinSet::new();
    for (name, email) in people {
        let (store, by, area) = (store.clone(), by.clone(), slug(area));
        requests.spawn(async move {
            store
                .nominate(
                    event,
                    &area,
                    &nominee(&name, &email, false),
                    confirmation(&email),
                    day(3, 13),
                    &by,
                    at(5),
                )
                .await
        });
    }
    requests.join_all().await
}

/// Exactly `made` of `answers` made the change; every other was refused with the rule.
fn made_and_refused(answers: &[Result<NominationId, StoreError>], made: usize) {
    assert_eq!(answers.iter().filter(|answer| answer.is_ok()).count(), made);
    for refused in answers.iter().filter(|answer| answer.is_err()) {
        assert!(
            matches!(refused, Err(StoreError::Conflict(_))),
            "a refusal names its rule: {refused:?}"
        );
    }
}

store_test!(
    nominations_made_at_once_keep_to_capacity_and_one_each,
    |store: Store| async move {
        let cora = coordinator(&store).await;
        let id = open_event(&store, &cora).await;
        // Twelve officers at once, and the same person six times at once: the checks in the
        // writing transaction must see each other's rows however the requests interleave.
        let officers = (0..12)
            .map(|n| {
                (
                    format!("Officer Number{n}"),
                    format!("o{n}@derby.example.org"),
                )
            })
            .collect();
        made_and_refused(
            &nominate_at_once(&store, &cora, id, "derby", officers).await,
            2,
        );
        let twice = vec![
            (
                "Ann One".to_owned(),
                "ann@nottingham.example.org".to_owned()
            );
            6
        ];
        made_and_refused(
            &nominate_at_once(&store, &cora, id, "nottingham", twice).await,
            1,
        );
        let nominations = store.nominations(id).await.expect("nominations");
        assert_eq!(nominations.len(), 3);
    }
);

store_test!(
    an_area_s_nominees_are_counted_for_every_event_in_one_statement,
    |store: Store| async move {
        let cora = coordinator(&store).await;
        let first = open_event(&store, &cora).await;
        let second = open_event(&store, &cora).await;
        let before_close = day(3, 13);
        for (event, area, name, email, deputy) in [
            (first, "derby", "Ann One", "ann@derby.example.org", false),
            (first, "derby", "Di Deputy", "di@derby.example.org", true),
            (
                first,
                "nottingham",
                "Bo Two",
                "bo@nottingham.example.org",
                false,
            ),
            (second, "derby", "Cy Three", "cy@derby.example.org", false),
        ] {
            store
                .nominate(
                    event,
                    &slug(area),
                    &nominee(name, email, deputy),
                    confirmation(email),
                    before_close,
                    &cora,
                    at(5),
                )
                .await
                .expect("named");
        }
        let before = store.statements_run();
        let derby = store.nominee_counts(&slug("derby")).await.expect("counts");
        assert_eq!(store.statements_run() - before, 1);
        // The deputy takes no place, so is not counted.
        assert_eq!(derby, [(first, 1), (second, 1)].into_iter().collect());
        assert!(
            store
                .nominee_counts(&slug("leicestershire"))
                .await
                .expect("counts")
                .is_empty()
        );
    }
);
