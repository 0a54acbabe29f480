//! The statements a signed-in page sends to the database, counted by the store: the board's and
//! the co-ordinator's progress and dashboard pages stay within a fixed number of queries, and
//! that number does not grow with the challenges or actions the region holds (no query per row);
//! an area's page and the board's list of events and cycles do not grow with those either.

use axum::http::StatusCode;
use domain::lifecycle::ChallengeState;

use super::challenge_on_the_day;
use super::support::biennial_fixture::cycle_in_planning;
use super::support::challenge_fixture::challenge_in;
use super::support::findings_fixture::next_steps_challenge;
use super::support::overview_fixture::open_event;
use super::support::{Browser, TestApp, Who};

/// The statements one GET of `path` sends, after checking it answers 200.
async fn statements_of(app: &TestApp, browser: &mut Browser<'_>, path: &str) -> u64 {
    let before = app.store.statements_run();
    let page = browser.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    app.store.statements_run() - before
}

/// Each page's statement count for the board and the co-ordinator.
async fn counts(app: &TestApp) -> Vec<(&'static str, &'static str, u64)> {
    let mut counts = Vec::new();
    for (who, name) in [(Who::Board, "board"), (Who::Coordinator, "co-ordinator")] {
        let mut browser = app.browser_as(who).await;
        for path in ["/progress", "/dashboard"] {
            counts.push((name, path, statements_of(app, &mut browser, path).await));
        }
    }
    counts
}

crate::app_test!(
    signed_in_pages_send_a_fixed_few_statements,
    |app: TestApp| async move {
        next_steps_challenge(&app.store, "leicester").await;
        challenge_in(&app.store, "derby", ChallengeState::TeamProposed).await;
        let few = counts(&app).await;
        // Before: 3 statements to read the session, the region's actions read whole (with
        // their progress notes and activities) twice on the board's dashboard, every account
        // and 500 emails with their attachments read to count them, and statements per open
        // challenge on the co-ordinator's dashboard: 10 for /progress, 10 and 14 for the
        // board's and co-ordinator's dashboards here (measured). The co-ordinator's also reads
        // every programme's overdue returns with their activities and the areas' names (5).
        // Each page reads the data version first (1), to know whether a kept view is current.
        for (who, path, statements) in &few {
            let bound = match (*who, *path) {
                (_, "/progress") => 9,
                ("board", _) => 5,
                _ => 17,
            };
            assert!(
                *statements <= bound,
                "{who}'s {path} sent {statements} statements, more than {bound}: {few:?}"
            );
        }

        // Nothing changed: each page is the view kept at this data version, so the session and
        // the data version are all it reads.
        for (who, path, statements) in counts(&app).await {
            assert_eq!(statements, 2, "{who}'s {path} again, kept");
        }

        // More of everything: the same statements.
        next_steps_challenge(&app.store, "nottingham").await;
        challenge_in(&app.store, "rutland", ChallengeState::TeamProposed).await;
        challenge_in(&app.store, "lincolnshire", ChallengeState::TeamConfirmed).await;
        challenge_in(&app.store, "leicestershire", ChallengeState::Scoping).await;
        let more = counts(&app).await;
        assert_eq!(few, more, "statements grew with the rows");
    }
);

/// The board's statements for an area's page (with its events and cycles panel) and for the
/// list of events and cycles.
async fn programme_counts(app: &TestApp) -> Vec<(&'static str, u64)> {
    let mut browser = app.browser_as(Who::Board).await;
    let mut counts = Vec::new();
    for path in ["/authorities/derby", "/progress/programmes"] {
        counts.push((path, statements_of(app, &mut browser, path).await));
    }
    counts
}

crate::app_test!(
    the_programme_pages_send_the_same_statements_however_many_events_and_cycles,
    |app: TestApp| async move {
        open_event(&app.store, "Preparing for adulthood").await;
        cycle_in_planning(&app.store, 2026, &["derby", "leicester", "rutland"]).await;
        let few = programme_counts(&app).await;

        // Before the read models: the area's panel read each event's nominations and each
        // cycle whole with its offers, one activity at a time.
        open_event(&app.store, "Early help").await;
        open_event(&app.store, "Alternative provision").await;
        cycle_in_planning(&app.store, 2028, &["derby", "nottingham", "rutland"]).await;
        let more = programme_counts(&app).await;
        assert_eq!(few, more, "statements grew with the events and cycles");
    }
);

// The returns list names each row's area: from one map of the areas' names, not a statement
// per row (it read each area on its own before: 1 more statement for every return listed).
crate::app_test!(
    the_returns_list_sends_the_same_statements_however_many_returns,
    |app: TestApp| async move {
        next_steps_challenge(&app.store, "leicester").await;
        let mut browser = app.browser_as(Who::Coordinator).await;
        let one = statements_of(&app, &mut browser, "/returns").await;
        next_steps_challenge(&app.store, "nottingham").await;
        next_steps_challenge(&app.store, "derby").await;
        let three = statements_of(&app, &mut browser, "/returns").await;
        assert_eq!(one, three, "statements grew with the returns");
    }
);

// A reviewer's evidence note during the visit, the write people make most: the statements
// its POST sends (the browser's first POST also fetches a form token, so the second counts).
// Before the challenge was kept (`challenge_view`): 15, the challenge, its team, timetable and
// cases read again for every note; then 4, the challenge's version read first. Now: the
// session, and in the write the note (inserted only while the challenge is open and its
// version is the one it was kept at) and its audit entry.
crate::app_test!(
    an_evidence_note_sends_a_fixed_few_statements,
    |app: TestApp| async move {
        let (challenge, activity) = challenge_on_the_day(&app.store).await;
        let evidence = format!("/challenges/{challenge}/evidence");
        let mut author = app.browser_as(Who::Coordinator).await;
        author.get(&evidence).await;
        let mut counts = Vec::new();
        for n in 0..2 {
            let before = app.store.statements_run();
            let page = author
                .post(
                    &evidence,
                    &[
                        ("activity", &activity.to_string()),
                        ("kloe", "1"),
                        ("kind", "strength"),
                        ("note", &format!("The SENCO walked us through plan {n}")),
                        ("save", "record"),
                    ],
                )
                .await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
            counts.push(app.store.statements_run() - before);
        }
        assert!(
            counts[1] <= 3,
            "an evidence note sent {counts:?} statements"
        );
    }
);
