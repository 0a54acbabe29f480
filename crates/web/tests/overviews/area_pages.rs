//! An authority's page shows the thematic events and biennial cycles the area took part in,
//! each linked, as far as the visitor may see: its own lead and the board see its return and
//! progress, another area's lead sees the pairing and support but not its actions, and a
//! reviewer sees neither programme.

use crate::support;
use support::overview_fixture::{derby_cycle, published_event};
use support::{TestApp, Who};

async fn an_area_page_shows_its_events_and_cycles(app: TestApp) {
    let event = published_event(&app.store, "Preparation for adulthood", "Themes.").await;
    let cycle = derby_cycle(&app.store).await;

    let own = app
        .browser_as(Who::LeadOfDerby)
        .await
        .get("/authorities/derby")
        .await;
    let body = &own.body;
    assert!(
        body.contains(&format!("href=\"/events/{event}\"")),
        "{body}"
    );
    assert!(body.contains("Preparation for adulthood"));
    assert!(body.contains(">Submitted<"), "its return's state");
    assert!(body.contains("1 next step: 0 complete, 0 overdue"));
    assert!(body.contains(&format!("href=\"/biennial/{cycle}\"")));
    assert!(
        body.contains("Its team challenged</dt><dd class=\"govuk-summary-list__value\">Leicester<")
    );
    assert!(body.contains("Challenged by</dt><dd class=\"govuk-summary-list__value\">Nottingham<"));
    assert!(body.contains("BI-1: Joint commissioning of speech therapy (Amber)"));
    assert!(body.contains("To Leicester: Our transitions toolkit"));

    let board = app
        .browser_as(Who::Board)
        .await
        .get("/authorities/derby")
        .await;
    assert!(
        board
            .body
            .contains("BI-1: Joint commissioning of speech therapy")
    );
    assert!(board.body.contains("1 next step: 0 complete, 0 overdue"));

    let other = app
        .browser_as(Who::LeadOfDerby)
        .await
        .get("/authorities/leicester")
        .await;
    assert!(other.body.contains(&format!("href=\"/biennial/{cycle}\"")));
    assert!(other.body.contains("From Derby: Our transitions toolkit"));
    assert!(
        other
            .body
            .contains("Challenged by</dt><dd class=\"govuk-summary-list__value\">Derby<")
    );
    assert!(
        !other.body.contains("agreed action"),
        "another area's actions stay its own"
    );
    assert!(!other.body.contains(">Return<"), "and so does its return");

    let reviewer = app
        .browser_as(Who::Reviewer)
        .await
        .get("/authorities/derby")
        .await;
    assert!(reviewer.body.contains("Derby"));
    assert!(!reviewer.body.contains("Thematic events"));
    assert!(!reviewer.body.contains("Biennial peer challenges"));
}
app_test!(
    an_area_page_shows_its_events_and_cycles,
    an_area_page_shows_its_events_and_cycles
);
