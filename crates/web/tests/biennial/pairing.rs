//! The biennial cycle through the router on both databases: the co-ordinator plans a cycle
//! (a bad form shown back with its answers and its problems), generates the pairing (a draft
//! no LA lead sees), swaps two pairs (a swap that breaks a rule needs a reason, then shows it
//! overridden), and publishes it, emailing each area's LA leads; the lead of Derby then reads
//! it. With two areas and no reciprocal pairs the engine says which rule binds and what would
//! relax it.

use axum::http::StatusCode;
use domain::ProgrammeActivityId;

use crate::support::biennial_fixture::cycle_in_planning;
use crate::support::{TestApp, Who};

fn cycle_path(page_location: Option<&str>) -> String {
    page_location
        .expect("a redirect")
        .split('?')
        .next()
        .expect("a path")
        .to_owned()
}

async fn plans_generates_and_publishes(app: TestApp) {
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    // A bad form comes back with what was typed and each problem by its field.
    let bad = coordinator
        .post(
            "/biennial/new",
            &[
                ("year", "2026"),
                ("event_date", "15/10/2026"),
                ("venue", ""),
                ("kloes_due", "20/10/2026"),
                ("actions_due", "30/11/2026"),
                ("priority_1", "Preparing for adulthood"),
                ("areas", "derby"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Enter the venue",
        "KLOEs must be due before the day of the event",
        "Select at least one theme for priority 1",
        "Select at least two areas",
    ] {
        assert!(bad.body.contains(message), "{message}");
    }
    assert!(bad.body.contains("govuk-error-summary"));
    assert_eq!(
        bad.input_value("priority_1").as_deref(),
        Some("Preparing for adulthood")
    );
    let made = coordinator
        .post(
            "/biennial/new",
            &[
                ("year", "2026"),
                ("event_date", "15/10/2026"),
                ("venue", "East Midlands Conference Centre"),
                ("kloes_due", "01/10/2026"),
                ("actions_due", "30/11/2026"),
                ("priority_1", "Preparing for adulthood"),
                ("priority_1_themes", "PFA"),
                ("areas", "derby"),
                ("areas", "leicester"),
                ("areas", "nottingham"),
                ("areas", "rutland"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let path = cycle_path(made.location());
    let page = coordinator.get(&path).await;
    assert!(page.body.contains("Biennial peer challenge 2026"));
    assert!(page.body.contains("Rutland"));
    let paired = coordinator
        .post(&format!("{path}/pairing"), &[("seed", "7")])
        .await;
    assert_eq!(paired.status, StatusCode::SEE_OTHER);
    let page = coordinator.get(&path).await;
    assert!(page.body.contains("This is a draft"));
    assert!(page.body.contains("have not been paired this way before"));
    assert!(page.body.contains("<svg"));
    assert!(page.body.contains("challenges"));
    // The draft stays with the co-ordinator.
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let draft = lead.get(&path).await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(
        draft
            .body
            .contains("The pairing has not been published yet")
    );
    assert!(!draft.body.contains("<svg"));
    let published = coordinator.post(&format!("{path}/publish"), &[]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let emails = app.store.outbox_emails(50).await.expect("outbox");
    let to_derby: Vec<_> = emails
        .iter()
        .filter(|e| e.to.as_str() == "lead.derby@example.org")
        .collect();
    assert_eq!(to_derby.len(), 1);
    assert!(to_derby[0].body_text.contains("Derby's team challenges"));
    assert!(to_derby[0].body_text.contains("Derby is challenged by"));
    let read = lead.get(&path).await;
    assert!(read.body.contains("<svg"));
    assert!(read.body.contains("Pairing published"));
    // Published: no second draw.
    let again = coordinator
        .post(&format!("{path}/pairing"), &[("seed", "8")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

app_test!(
    a_coordinator_plans_generates_and_publishes_a_pairing,
    plans_generates_and_publishes
);

async fn swap_needs_a_reason_to_break_a_rule(app: TestApp) {
    let id: ProgrammeActivityId =
        cycle_in_planning(&app.store, 2026, &["derby", "nottingham", "rutland"]).await;
    let path = format!("/biennial/{id}");
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let paired = coordinator
        .post(&format!("{path}/pairing"), &[("seed", "1")])
        .await;
    assert_eq!(paired.status, StatusCode::SEE_OTHER);
    // Three areas in a ring: any swap makes an area challenge itself.
    let swap = [("first", "derby"), ("second", "nottingham")];
    let refused = coordinator.post(&format!("{path}/swap"), &swap).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("This swap breaks a rule"));
    assert!(refused.body.contains("would challenge itself"));
    let kept = coordinator
        .post(
            &format!("{path}/swap"),
            &[
                ("first", "derby"),
                ("second", "nottingham"),
                ("swap_reason", "Agreed at the directors' meeting"),
            ],
        )
        .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER);
    let page = coordinator.get(&path).await;
    assert!(page.body.contains("Rule overridden"));
    assert!(
        page.body.contains("Agreed at the directors&#x27; meeting")
            || page.body.contains("Agreed at the directors&#39; meeting")
    );
}

app_test!(
    a_swap_that_breaks_a_rule_needs_a_reason,
    swap_needs_a_reason_to_break_a_rule
);

async fn no_pairing_says_which_rule_binds(app: TestApp) {
    let id = cycle_in_planning(&app.store, 2026, &["derby", "rutland"]).await;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let refused = coordinator
        .post(&format!("/biennial/{id}/pairing"), &[("seed", "1")])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("No pairing keeps the rules"));
    assert!(refused.body.contains("allow reciprocal pairs"));
}

app_test!(
    with_two_areas_and_no_reciprocal_pairs_the_binding_rule_is_named,
    no_pairing_says_which_rule_binds
);
