//! The pairing's softer preferences through the router, on both databases: with six areas
//! under three NHS boards, the co-ordinator's generated pairing never pairs two areas served
//! by the same board, whatever the seed, and the pairing page gives each pair's reason.

use axum::http::StatusCode;

use crate::support::biennial_fixture::cycle_in_planning;
use crate::support::{TestApp, Who};

const SIX: [&str; 6] = [
    "derby",
    "derbyshire",
    "leicester",
    "leicestershire",
    "nottingham",
    "nottinghamshire",
];

fn board(slug: &str) -> &'static str {
    match slug {
        "derby" | "derbyshire" => "Derby and Derbyshire",
        "leicester" | "leicestershire" => "Leicester",
        _ => "Nottingham",
    }
}

async fn generated_pairs_cross_nhs_boards(app: TestApp) {
    let id = cycle_in_planning(&app.store, 2026, &SIX).await;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    for seed in ["1", "2", "3", "4"] {
        let page = coordinator
            .post(&format!("/biennial/{id}/pairing"), &[("seed", seed)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let cycle = app
            .store
            .biennial_cycle(id)
            .await
            .expect("read")
            .expect("cycle");
        assert_eq!(cycle.pairs.len(), 6);
        for stored in &cycle.pairs {
            assert_ne!(
                board(stored.pair.challenger.as_str()),
                board(stored.pair.challenged.as_str()),
                "seed {seed}: {}",
                stored.reason
            );
            assert!(
                stored.reason.contains("different NHS boards"),
                "{}",
                stored.reason
            );
        }
    }
    let page = coordinator.get(&format!("/biennial/{id}")).await;
    assert!(page.body.contains("different NHS boards"), "{}", page.body);
}

app_test!(
    the_generated_pairing_keeps_areas_from_their_own_nhs_board,
    generated_pairs_cross_nhs_boards
);
