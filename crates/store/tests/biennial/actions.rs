//! A biennial cycle's agreed actions as a return, on both databases: moving past the day
//! (to "event held") owes every area taking part a `BiennialActions` return due on the
//! cycle's actions date, in the move's transaction; moving on again owes nothing twice; a
//! return with no action, or after its date without an extension, is refused; an extension
//! lets it in; the actions are the area's next steps under the cycle, which the board's
//! programme filter finds.

use chrono::NaiveDate;
use domain::biennial::{CycleAnswers, CycleState, Pair};
use domain::next_steps::{ActionEntry, Rag};
use domain::{Programme, ReturnKind, ThemeCode};
use store::{NextStepFilter, ReturnFilter, Store, StoredPair, store_test};

use crate::support::challenge_walk::{assert_conflict, at, scheme, slug};

const AREAS: [&str; 3] = ["derby", "leicester", "rutland"];

fn stored(a: &str, b: &str) -> StoredPair {
    StoredPair {
        pair: Pair {
            challenger: slug(a),
            challenged: slug(b),
        },
        reason: "engine".into(),
        overridden: None,
    }
}

fn action(reference: &str) -> ActionEntry {
    let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).expect("date");
    ActionEntry {
        reference: reference.into(),
        answers: "P1: preparing for adulthood".into(),
        theme: ThemeCode::parse("PFA").expect("theme"),
        action: "Transition plans from year 9".into(),
        owner: "Head of SEND".into(),
        partners: String::new(),
        start: day(1, 1),
        due: day(9, 30),
        milestones: String::new(),
        baseline: String::new(),
        target: String::new(),
        rag: Rag::Amber,
        progress: Vec::new(),
        impact: String::new(),
    }
}

store_test!(
    a_cycle_past_its_day_owes_every_area_its_agreed_actions,
    |store: Store| async move {
        let s = scheme(&store).await;
        let details = CycleAnswers {
            year: "2026".into(),
            event_date: "15/10/2026".into(),
            venue: "East Midlands Conference Centre".into(),
            kloes_due: "01/10/2026".into(),
            actions_due: "30/11/2026".into(),
            priority_1: "Preparing for adulthood".into(),
            priority_1_themes: vec!["PFA".into()],
            ..CycleAnswers::default()
        }
        .check(&[ThemeCode::parse("PFA").expect("code")])
        .expect("valid");
        let areas: Vec<_> = AREAS.iter().map(|a| slug(a)).collect();
        let id = store
            .create_biennial_cycle(&details, &areas, &s.pm, at(0))
            .await
            .expect("created");
        let ring = [
            stored("derby", "leicester"),
            stored("leicester", "rutland"),
            stored("rutland", "derby"),
        ];
        store
            .save_biennial_pairing(
                id,
                &store::PairingChange {
                    seen: &[],
                    pairs: &ring,
                    seed: Some(1),
                    summary: "generated".into(),
                },
                &s.pm,
                at(1),
            )
            .await
            .expect("paired");
        store
            .publish_biennial_pairing(id, &ring, vec![], &s.pm, at(2))
            .await
            .expect("published");
        let owed = |store: Store| async move {
            store
                .returns(&ReturnFilter {
                    area: None,
                    programme: Some(Programme::Biennial),
                })
                .await
                .expect("returns")
        };
        store
            .move_biennial_cycle(
                id,
                CycleState::PairingPublished,
                CycleState::KloesShared,
                vec![],
                &s.pm,
                at(3),
            )
            .await
            .expect("moved");
        assert!(
            owed(store.clone()).await.is_empty(),
            "nothing owed before the day"
        );
        store
            .move_biennial_cycle(
                id,
                CycleState::KloesShared,
                CycleState::Held,
                vec![],
                &s.pm,
                at(4),
            )
            .await
            .expect("held");
        let returns = owed(store.clone()).await;
        assert_eq!(
            returns.iter().map(|r| r.area.clone()).collect::<Vec<_>>(),
            areas
        );
        for owed in &returns {
            assert_eq!(owed.kind, ReturnKind::BiennialActions);
            assert_eq!(owed.activity.id, id);
            assert_eq!(owed.due, details.actions_due);
        }
        store
            .move_biennial_cycle(
                id,
                CycleState::Held,
                CycleState::Actions,
                vec![],
                &s.pm,
                at(5),
            )
            .await
            .expect("actions");
        assert_eq!(owed(store.clone()).await.len(), 3, "owed once, not again");

        let derby = returns
            .iter()
            .find(|r| r.area == slug("derby"))
            .expect("derby's");
        assert_conflict(store.submit_return(derby.id, &s.pm, at(6)).await);
        store
            .save_next_step(id, &slug("derby"), None, &action("DER-1"), &s.pm, at(7))
            .await
            .expect("an agreed action");
        // The actions were due on 30 November 2026; it is February 2027.
        assert_conflict(store.submit_return(derby.id, &s.pm, at(8)).await);
        store
            .extend_return(
                derby.id,
                NaiveDate::from_ymd_opt(2027, 3, 1).expect("date"),
                "Board meeting moved",
                &s.pm,
                at(9),
            )
            .await
            .expect("extended");
        store
            .submit_return(derby.id, &s.pm, at(10))
            .await
            .expect("submitted");
        let steps = store
            .next_steps(&NextStepFilter {
                area: None,
                programme: Some(Programme::Biennial),
            })
            .await
            .expect("next steps");
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].activity.id, id);
        assert_eq!(steps[0].authority, slug("derby"));
        assert!(
            store
                .next_steps(&NextStepFilter {
                    area: None,
                    programme: Some(Programme::Thematic),
                })
                .await
                .expect("none")
                .is_empty()
        );
    }
);
