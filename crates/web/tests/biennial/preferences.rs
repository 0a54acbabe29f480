//! The pairing's softer preferences through the router, on both databases: with six areas
//! under three NHS boards, the co-ordinator's generated pairing never pairs two areas served
//! by the same board, whatever the seed, and the pairing page gives each pair's reason; with
//! the year's triads set and "outside its triad" chosen on the cycle's form, no area
//! challenges one of its own triad.

use axum::http::StatusCode;

use crate::support::biennial_fixture::cycle_in_planning;
use crate::support::{Browser, TestApp, Who};

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

/// The co-ordinator generates the pairing with `seed`; the six pairs saved.
async fn generate(
    app: &TestApp,
    coordinator: &mut Browser<'_>,
    id: domain::ProgrammeActivityId,
    seed: &str,
) -> Vec<store::StoredPair> {
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
    cycle.pairs
}

async fn generated_pairs_cross_nhs_boards(app: TestApp) {
    let id = cycle_in_planning(&app.store, 2026, &SIX).await;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    for seed in ["1", "2", "3", "4"] {
        for stored in generate(&app, &mut coordinator, id, seed).await {
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

async fn generated_pairs_leave_the_triads(app: TestApp) {
    let id = cycle_in_planning(&app.store, 2026, &SIX).await;
    let slug = |a: &str| domain::AuthoritySlug::parse(a).expect("slug");
    let triads: Vec<Vec<domain::AuthoritySlug>> = [
        ["derby", "leicester", "nottingham"],
        ["derbyshire", "leicestershire", "nottinghamshire"],
    ]
    .iter()
    .map(|triad| triad.iter().map(|a| slug(a)).collect())
    .collect();
    let coordinator =
        crate::support::challenge_fixture::principal_of(&app.store, "coordinator@example.org")
            .await;
    app.store
        .create_annual_cycle(
            2026,
            domain::self_assessment::CycleTimetable::usual(2026).expect("timetable"),
            &triads.concat(),
            &triads,
            &coordinator,
            chrono::Utc::now(),
        )
        .await
        .expect("annual cycle");
    let triad_of = |area: &str| triads.iter().position(|t| t.contains(&slug(area)));

    let mut browser = app.browser_as(Who::Coordinator).await;
    let path = format!("/biennial/{id}");
    let page = browser.get(&format!("{path}/edit")).await;
    assert!(
        page.body
            .contains("name=\"triads\" type=\"radio\" value=\"outside\""),
        "{}",
        page.body
    );
    let answers = crate::support::biennial_fixture::answers(2026, &SIX);
    let page = browser
        .post(
            &format!("{path}/edit"),
            &[
                ("year", answers.year.as_str()),
                ("event_date", answers.event_date.as_str()),
                ("venue", answers.venue.as_str()),
                ("kloes_due", answers.kloes_due.as_str()),
                ("actions_due", answers.actions_due.as_str()),
                ("priority_1", answers.priority_1.as_str()),
                ("priority_1_themes", "PFA"),
                ("triads", "outside"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = browser.get(&path).await;
    assert!(shown.body.contains("Prefer an area outside its triad"));

    for seed in ["1", "2", "3"] {
        for stored in generate(&app, &mut browser, id, seed).await {
            let (challenger, challenged) = (
                stored.pair.challenger.as_str(),
                stored.pair.challenged.as_str(),
            );
            assert_ne!(triad_of(challenger), triad_of(challenged), "seed {seed}");
            assert_ne!(board(challenger), board(challenged), "seed {seed}");
            assert!(
                stored.reason.contains("in different triads, as preferred"),
                "{}",
                stored.reason
            );
        }
    }
}

app_test!(
    the_generated_pairing_keeps_areas_out_of_their_own_triad_when_asked,
    generated_pairs_leave_the_triads
);
