//! An area opting out through the router on both databases: after publishing, the pairing is
//! repaired with as few changes as possible (the area that challenged the leaver takes on the
//! leaver's target), the areas whose pair changed are told, the KLOEs of a team whose target
//! changed are cleared, and the leaver is listed with its reason. Refused without a reason.

use axum::http::StatusCode;
use chrono::Utc;
use domain::biennial::KloeDraftAnswers;
use domain::{AuthoritySlug, ThemeCode};

use crate::support::biennial_fixture::cycle_in_planning;
use crate::support::challenge_fixture::principal_of;
use crate::support::{TestApp, Who};

async fn opting_out_repairs_the_pairing(app: TestApp) {
    let id = cycle_in_planning(
        &app.store,
        2026,
        &[
            "derby",
            "leicester",
            "nottingham",
            "rutland",
            "lincolnshire",
        ],
    )
    .await;
    let path = format!("/biennial/{id}");
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    coordinator
        .post(&format!("{path}/pairing"), &[("seed", "5")])
        .await;
    assert_eq!(
        coordinator
            .post(&format!("{path}/publish"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let before = app
        .store
        .biennial_cycle(id)
        .await
        .expect("read")
        .expect("cycle");
    // Whoever challenges Rutland loses its target when Rutland leaves.
    let rutland = AuthoritySlug::parse("rutland").expect("slug");
    let orphan = before
        .pairs
        .iter()
        .find(|p| p.pair.challenged == rutland)
        .map(|p| p.pair.challenger.clone())
        .expect("someone challenges Rutland");
    let by = principal_of(&app.store, "coordinator@example.org").await;
    let draft = KloeDraftAnswers {
        question: "About Rutland".into(),
        priority: "1".into(),
        themes: vec!["PFA".into()],
    }
    .check(1, &[ThemeCode::parse("PFA").expect("code")])
    .expect("valid");
    app.store
        .draft_biennial_kloe(id, &orphan, &draft, &by, Utc::now())
        .await
        .expect("drafted");
    let outbox_before = app.store.outbox_emails(200).await.expect("outbox").len();

    let refused = coordinator
        .post(&format!("{path}/opt-out"), &[("area", "rutland")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Enter why the area is opting out"));
    let done = coordinator
        .post(
            &format!("{path}/opt-out"),
            &[
                ("area", "rutland"),
                ("opt_out_reason", "Inspection that week"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let after = app
        .store
        .biennial_cycle(id)
        .await
        .expect("read")
        .expect("cycle");
    assert_eq!(after.areas.len(), 4);
    assert_eq!(after.pairs.len(), 4);
    assert!(
        domain::biennial::pairing_breaches(&after.areas, &after.plain_pairs(), &[], false)
            .is_empty()
    );
    let changed = after
        .plain_pairs()
        .iter()
        .filter(|p| !before.plain_pairs().contains(p))
        .count();
    assert!(changed <= 2, "as few changes as possible: {changed}");
    assert!(
        app.store
            .biennial_kloes(id)
            .await
            .expect("kloes")
            .iter()
            .all(|k| k.challenger != orphan),
        "the orphan's KLOEs about Rutland are cleared"
    );
    // Only Derby has an LA lead account here: it hears if its pair changed.
    let derby = AuthoritySlug::parse("derby").expect("slug");
    let derby_changed = after.plain_pairs().iter().any(|p| {
        (p.challenger == derby || p.challenged == derby) && !before.plain_pairs().contains(p)
    });
    let told = app.store.outbox_emails(200).await.expect("outbox").len() - outbox_before;
    assert_eq!(told, usize::from(derby_changed));
    let page = coordinator.get(&path).await;
    assert!(page.body.contains("Inspection that week"));
}

app_test!(
    an_area_opting_out_after_publishing_is_re_paired_with_few_changes,
    opting_out_repairs_the_pairing
);
