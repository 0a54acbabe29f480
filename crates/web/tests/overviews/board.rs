//! The board's list of events and cycles beside the regional progress page: under the
//! programme filter, each with its returns, its areas' actions and the overview's downloads.

use crate::support;
use support::overview_fixture::{derby_cycle, published_event};
use support::{TestApp, Who};

async fn the_board_lists_events_and_cycles_with_their_overviews(app: TestApp) {
    let event = published_event(&app.store, "Preparation for adulthood", "Themes.").await;
    let cycle = derby_cycle(&app.store).await;
    let mut board = app.browser_as(Who::Board).await;
    let region = board.get("/progress?programme=thematic").await;
    assert!(
        region
            .body
            .contains("href=\"/progress/programmes?programme=thematic\""),
        "the region page links on, keeping the filter"
    );

    let all = board.get("/progress/programmes").await;
    assert!(all.body.contains(&format!("href=\"/events/{event}\"")));
    assert!(all.body.contains(&format!("href=\"/biennial/{cycle}\"")));
    assert!(
        all.body
            .contains(&format!("href=\"/events/{event}/overview.docx\""))
    );
    assert!(
        all.body
            .contains(&format!("href=\"/biennial/{cycle}/overview.pptx\""))
    );
    assert!(all.body.contains("1 of 10 returned"), "{}", all.body);
    assert!(all.body.contains("1 action, 0 overdue"));

    let thematic = board.get("/progress/programmes?programme=thematic").await;
    assert!(thematic.body.contains(&format!("href=\"/events/{event}\"")));
    assert!(
        !thematic
            .body
            .contains(&format!("href=\"/biennial/{cycle}\""))
    );
    assert!(
        thematic
            .body
            .contains("<option value=\"thematic\" selected>")
    );
    let biennial = board.get("/progress/programmes?programme=biennial").await;
    assert!(!biennial.body.contains(&format!("href=\"/events/{event}\"")));
    assert!(
        biennial
            .body
            .contains(&format!("href=\"/biennial/{cycle}\""))
    );
}
app_test!(
    the_board_lists_events_and_cycles_with_their_overviews,
    the_board_lists_events_and_cycles_with_their_overviews
);
