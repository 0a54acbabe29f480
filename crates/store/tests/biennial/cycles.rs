//! Biennial cycles on both databases: a cycle made with its areas and priorities, its details
//! (the triad preference among them) changed only while planning, a pairing saved and published with its emails in the same
//! transaction (a second publish refused), moves made only from the state they start at, an
//! opt-out after publishing replacing the pairing, and the history the engine reads.

use chrono::NaiveDate;
use domain::biennial::{CycleAnswers, CycleState, Pair, TriadPairing};
use domain::{EmailAddress, Programme, ProgrammeActivityId, ThemeCode};
use store::{NewEmail, Store, StoredPair, store_test};

use crate::support::challenge_walk::{assert_conflict, at, audit_of, scheme, slug};

fn details(year: i32) -> domain::biennial::CycleDetails {
    CycleAnswers {
        year: year.to_string(),
        event_date: format!("15/10/{year}"),
        venue: "East Midlands Conference Centre".into(),
        kloes_due: format!("01/10/{year}"),
        actions_due: format!("30/11/{year}"),
        priority_1: "Preparing for adulthood".into(),
        priority_1_themes: vec!["PFA".into()],
        ..CycleAnswers::default()
    }
    .check(&[ThemeCode::parse("PFA").expect("code")])
    .expect("valid details")
}

fn stored(a: &str, b: &str) -> StoredPair {
    StoredPair {
        pair: Pair {
            challenger: slug(a),
            challenged: slug(b),
        },
        reason: format!("{a} has not challenged {b} before"),
        overridden: None,
    }
}

const AREAS: [&str; 4] = ["derby", "leicester", "nottingham", "rutland"];

fn ring() -> Vec<StoredPair> {
    vec![
        stored("derby", "leicester"),
        stored("leicester", "nottingham"),
        stored("nottingham", "rutland"),
        stored("rutland", "derby"),
    ]
}

/// A cycle of `year` in planning with the ring drawn.
async fn ring_drawn(store: &Store, by: &domain::Principal, year: i32) -> ProgrammeActivityId {
    let areas: Vec<_> = AREAS.iter().map(|a| slug(a)).collect();
    let id = store
        .create_biennial_cycle(&details(year), &areas, by, at(0))
        .await
        .expect("created");
    let drawn = store::PairingChange {
        seen: &[],
        pairs: &ring(),
        seed: Some(1),
        summary: "drawn".into(),
    };
    store
        .save_biennial_pairing(id, &drawn, by, at(1))
        .await
        .expect("paired");
    id
}

store_test!(
    a_cycle_is_planned_paired_published_and_moved,
    |store: Store| async move {
        let s = scheme(&store).await;
        let areas: Vec<_> = AREAS.iter().map(|a| slug(a)).collect();
        let id = store
            .create_biennial_cycle(&details(2026), &areas, &s.pm, at(0))
            .await
            .expect("created");
        assert_conflict(
            store
                .create_biennial_cycle(&details(2026), &areas, &s.pm, at(1))
                .await,
        );
        let activity = store
            .programme_activity(id)
            .await
            .expect("read")
            .expect("activity");
        assert_eq!(activity.activity.programme, Programme::Biennial);
        assert_eq!(activity.areas, areas);
        let mut changed = details(2026);
        changed.event_date = NaiveDate::from_ymd_opt(2026, 10, 20).expect("date");
        changed.triads = TriadPairing::OutsideTriad;
        store
            .update_biennial_cycle(id, &changed, &s.pm, at(2))
            .await
            .expect("updated");
        store
            .save_biennial_pairing(
                id,
                &store::PairingChange {
                    seen: &[],
                    pairs: &ring(),
                    seed: Some(7),
                    summary: "generated".into(),
                },
                &s.pm,
                at(3),
            )
            .await
            .expect("paired");
        let cycle = store
            .biennial_cycle(id)
            .await
            .expect("read")
            .expect("cycle");
        assert_eq!(cycle.details, changed);
        assert_eq!(cycle.state, CycleState::Planning);
        assert_eq!(cycle.pairs, ring());
        assert_eq!(cycle.seed, Some(7));
        let email = NewEmail::text(
            EmailAddress::parse("lead@derby.gov.uk").expect("email"),
            "Your pairing",
            "Derby challenges Leicester",
        );
        store
            .publish_biennial_pairing(id, &ring(), vec![email.clone()], &s.pm, at(4))
            .await
            .expect("published");
        assert_conflict(
            store
                .publish_biennial_pairing(id, &ring(), vec![email], &s.pm, at(5))
                .await,
        );
        assert_eq!(store.outbox_emails(10).await.expect("outbox").len(), 1);
        // Fixed once published: no edits, no new pairing.
        assert_conflict(
            store
                .update_biennial_cycle(id, &changed, &s.pm, at(6))
                .await,
        );
        assert_conflict(
            store
                .save_biennial_pairing(
                    id,
                    &store::PairingChange {
                        seen: &ring(),
                        pairs: &ring(),
                        seed: Some(8),
                        summary: "again".into(),
                    },
                    &s.pm,
                    at(6),
                )
                .await,
        );
        assert_conflict(
            store
                .move_biennial_cycle(
                    id,
                    CycleState::KloesShared,
                    CycleState::Held,
                    vec![],
                    &s.pm,
                    at(7),
                )
                .await,
        );
        store
            .move_biennial_cycle(
                id,
                CycleState::PairingPublished,
                CycleState::KloesShared,
                vec![],
                &s.pm,
                at(7),
            )
            .await
            .expect("moved");
        // Rutland leaves: Nottingham takes on Derby.
        let repaired = vec![
            stored("derby", "leicester"),
            stored("leicester", "nottingham"),
            stored("nottingham", "derby"),
        ];
        store
            .opt_out_of_biennial(
                id,
                &slug("rutland"),
                "Inspection that week",
                Some(&repaired),
                vec![],
                &s.pm,
                at(8),
            )
            .await
            .expect("opted out");
        let cycle = store
            .biennial_cycle(id)
            .await
            .expect("read")
            .expect("cycle");
        assert_eq!(cycle.state, CycleState::KloesShared);
        assert_eq!(cycle.areas.len(), 3);
        assert_eq!(cycle.opt_outs[0].area, slug("rutland"));
        assert_eq!(cycle.pairs, repaired);
        for action in [
            "biennial.created",
            "biennial.updated",
            "biennial.pairing_generated",
            "biennial.pairing_published",
            "biennial.moved",
            "biennial.opted_out",
        ] {
            assert_eq!(audit_of(&store, action).await.len(), 1, "{action}");
        }
        // The engine's history: published cycles before the year asked about.
        let later = store
            .create_biennial_cycle(&details(2028), &areas, &s.pm, at(9))
            .await
            .expect("created");
        let history = store.biennial_history(2028).await.expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].year, 2026);
        assert_eq!(history[0].pairs.len(), 3);
        assert!(store.biennial_history(2026).await.expect("none").is_empty());
        let list = store.biennial_cycles().await.expect("list");
        assert_eq!(list.iter().map(|c| c.id).collect::<Vec<_>>(), [later, id]);
    }
);

store_test!(
    an_opt_out_while_planning_clears_the_pairing,
    |store: Store| async move {
        let s = scheme(&store).await;
        let id = ring_drawn(&store, &s.pm, 2026).await;
        store
            .opt_out_of_biennial(
                id,
                &slug("derby"),
                "Not this time",
                None,
                vec![],
                &s.pm,
                at(2),
            )
            .await
            .expect("opted out");
        assert_conflict(
            store
                .opt_out_of_biennial(id, &slug("derby"), "Twice", None, vec![], &s.pm, at(3))
                .await,
        );
        let cycle = store
            .biennial_cycle(id)
            .await
            .expect("read")
            .expect("cycle");
        assert!(cycle.pairs.is_empty());
        assert_conflict(
            store
                .publish_biennial_pairing(id, &[], vec![], &s.pm, at(4))
                .await,
        );
    }
);

store_test!(
    an_area_s_cycles_come_with_only_its_pairs_and_offers_in_four_statements,
    |store: Store| async move {
        let s = scheme(&store).await;
        let areas: Vec<_> = AREAS.iter().map(|a| slug(a)).collect();
        let taken = ring_drawn(&store, &s.pm, 2026).await;
        store
            .publish_biennial_pairing(taken, &ring(), vec![], &s.pm, at(2))
            .await
            .expect("published");
        for (minute, from, to) in [
            (3, "derby", "leicester"),
            (4, "leicester", "rutland"),
            (5, "nottingham", "derby"),
        ] {
            let offer = domain::biennial::SupportOffer {
                to: slug(to),
                what: domain::MultiLine::parse("what", "Our SENCo network", 500).expect("what"),
                who: domain::OneLine::parse("who", "Sam Lee", 100).expect("who"),
                contact: EmailAddress::parse("sam@example.org").expect("email"),
            };
            store
                .offer_biennial_support(taken, &slug(from), &offer, &s.pm, at(minute))
                .await
                .expect("offered");
        }
        let without_derby: Vec<_> = areas[1..].to_vec();
        store
            .create_biennial_cycle(&details(2028), &without_derby, &s.pm, at(6))
            .await
            .expect("created");
        let planning = store
            .create_biennial_cycle(&details(2024), &areas, &s.pm, at(7))
            .await
            .expect("created");

        let before = store.statements_run();
        let derby = store
            .area_biennial_cycles(&slug("derby"))
            .await
            .expect("cycles");
        assert_eq!(store.statements_run() - before, 4);
        assert_eq!(
            derby
                .iter()
                .map(|cycle| (cycle.summary.id, cycle.summary.year))
                .collect::<Vec<_>>(),
            [(taken, 2026), (planning, 2024)]
        );
        assert_eq!(
            derby[0].pairs,
            [
                stored("derby", "leicester").pair,
                stored("rutland", "derby").pair
            ]
        );
        assert_eq!(
            derby[0]
                .offers
                .iter()
                .map(|offer| (offer.from.to_string(), offer.to.to_string()))
                .collect::<Vec<_>>(),
            [
                ("derby".to_owned(), "leicester".to_owned()),
                ("nottingham".to_owned(), "derby".to_owned())
            ]
        );
        assert!(derby[1].pairs.is_empty() && derby[1].offers.is_empty());
    }
);

/// The ring with Derby and Nottingham swapping whom they challenge.
fn swapped() -> Vec<StoredPair> {
    vec![
        stored("derby", "rutland"),
        stored("leicester", "nottingham"),
        stored("nottingham", "leicester"),
        stored("rutland", "derby"),
    ]
}

store_test!(
    a_pairing_changed_since_it_was_read_is_neither_saved_over_nor_published,
    |store: Store| async move {
        let s = scheme(&store).await;
        let id = ring_drawn(&store, &s.pm, 2026).await;
        // A page opened before the pairing was drawn: its change would overwrite it unseen.
        assert_conflict(
            store
                .save_biennial_pairing(
                    id,
                    &store::PairingChange {
                        seen: &[],
                        pairs: &swapped(),
                        seed: None,
                        summary: "swap".into(),
                    },
                    &s.pm,
                    at(2),
                )
                .await,
        );
        // Emails written from another pairing than the one stored are never sent.
        assert_conflict(
            store
                .publish_biennial_pairing(id, &swapped(), vec![], &s.pm, at(3))
                .await,
        );
        let cycle = store
            .biennial_cycle(id)
            .await
            .expect("read")
            .expect("cycle");
        assert_eq!((cycle.state, cycle.pairs), (CycleState::Planning, ring()));
        store
            .publish_biennial_pairing(id, &ring(), vec![], &s.pm, at(4))
            .await
            .expect("published as read");
    }
);

store_test!(
    a_swap_and_the_publishing_asked_at_once_never_both_happen,
    |store: Store| async move {
        let s = scheme(&store).await;
        for round in 0..6 {
            let id = ring_drawn(&store, &s.pm, 2030 + round).await;
            // Both read the ring; whichever commits first changes what the other read.
            let (read, change) = (ring(), swapped());
            let swap = store::PairingChange {
                seen: &read,
                pairs: &change,
                seed: None,
                summary: "swap".into(),
            };
            let (swap, publish) = tokio::join!(
                store.save_biennial_pairing(id, &swap, &s.pm, at(2)),
                store.publish_biennial_pairing(id, &read, vec![], &s.pm, at(2)),
            );
            let cycle = store
                .biennial_cycle(id)
                .await
                .expect("read")
                .expect("cycle");
            match (swap, publish) {
                (Ok(()), Err(refused)) => {
                    assert_conflict::<()>(Err(refused));
                    assert_eq!(
                        (cycle.state, cycle.pairs),
                        (CycleState::Planning, swapped())
                    );
                }
                (Err(refused), Ok(())) => {
                    assert_conflict::<()>(Err(refused));
                    assert_eq!(
                        (cycle.state, cycle.pairs),
                        (CycleState::PairingPublished, ring()),
                        "what is published is what the emails were written from"
                    );
                }
                (swap, publish) => panic!("round {round}: swap {swap:?}, publish {publish:?}"),
            }
        }
    }
);
