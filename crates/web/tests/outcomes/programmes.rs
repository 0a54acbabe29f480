//! The board's progress pages across programmes: a challenge's action plan and a thematic
//! event's next steps side by side, the area page grouping them by activity, and the GET
//! filter by programme keeping the choice (and carrying it to the area pages).

use domain::Programme;
use domain::next_steps::ActionEntry;

use super::*;

async fn the_board_filters_next_steps_by_programme(app: TestApp) {
    let derby = next_steps_challenge(&app.store, "derby").await;
    let coordinator = principal_of(&app.store, COORDINATOR).await;
    let challenge = app
        .store
        .challenge(derby.challenge)
        .await
        .expect("read")
        .expect("challenge");
    let event = app
        .store
        .create_programme_activity(
            Programme::Thematic,
            "Preparing for adulthood event",
            &[AuthoritySlug::parse("derby").expect("slug")],
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("event");
    let plan = app.store.action_plan(derby.challenge).await.expect("plan");
    let thematic = ActionEntry {
        reference: "PFA-1".into(),
        action: "Map transition pathways with health".into(),
        ..plan[0].entry.clone()
    };
    app.store
        .save_next_step(
            event,
            &AuthoritySlug::parse("derby").expect("slug"),
            None,
            &thematic,
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("thematic next step");
    let mut board = app.browser_as(Who::Board).await;

    // Unfiltered: both programmes count; the filter offers every programme.
    let page = board.get("/progress").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("<form method=\"get\" action=\"/progress\"")
    );
    assert!(
        page.body
            .contains("<option value=\"\" selected>All programmes</option>")
    );
    let counts = |page: &Page| -> Vec<String> {
        element_around(page, "tr", "/progress/areas/derby")
            .split("govuk-table__cell--numeric\">")
            .skip(1)
            .map(|cell| cell[..cell.find('<').unwrap_or(cell.len())].to_owned())
            .collect()
    };
    assert_eq!(counts(&page)[0], "2");

    // Filtered by thematic: one action, the choice kept and carried to the area's link.
    let page = board.get("/progress?programme=thematic").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("<option value=\"thematic\" selected>Thematic events</option>"),
        "the choice is kept"
    );
    assert!(
        page.body
            .contains("href=\"/progress/areas/derby?programme=thematic\"")
    );
    assert_eq!(counts(&page)[0], "1");

    // The downloads carry the choice: the workbook and the board pack hold the thematic
    // next steps only, and say so.
    assert!(
        page.body
            .contains("href=\"/progress.xlsx?programme=thematic\"")
    );
    assert!(
        page.body
            .contains("href=\"/progress/board-pack.pptx?programme=thematic\"")
    );
    let workbook = download(&board, "/progress.xlsx?programme=thematic").await;
    assert_eq!(workbook.status, StatusCode::OK);
    let rows = sheet_rows(&workbook.bytes);
    assert_eq!(rows.len(), 2, "a header and the thematic action: {rows:?}");
    assert_eq!(rows[1][1], "Thematic events");
    assert_eq!(rows[1][2], "Preparing for adulthood event");
    assert_eq!(rows[1][3], "PFA-1");
    let everything = sheet_rows(&download(&board, "/progress.xlsx").await.bytes);
    assert_eq!(everything.len(), 3, "both programmes when unfiltered");
    let pack = download(&board, "/progress/board-pack.pptx?programme=thematic").await;
    assert_eq!(pack.status, StatusCode::OK);
    let first = &slides(&pack.bytes)[0];
    assert!(first.contains("next steps from thematic events"), "{first}");

    // The area page lists next steps grouped by activity, each under its own caption.
    let area = board.get("/progress/areas/derby").await;
    assert_eq!(area.status, StatusCode::OK);
    let challenge_group = element_around(&area, "table", &challenge.reference);
    assert!(challenge_group.contains("Peer challenges"));
    assert!(challenge_group.contains("LEI-1"));
    assert!(!challenge_group.contains("PFA-1"));
    let event_group = element_around(&area, "table", "Preparing for adulthood event");
    assert!(event_group.contains("Thematic events"));
    assert!(event_group.contains("PFA-1"));
    assert!(!event_group.contains("LEI-1"));

    let only_challenges = board.get("/progress/areas/derby?programme=challenge").await;
    assert!(only_challenges.body.contains("LEI-1"));
    assert!(!only_challenges.body.contains("PFA-1"));
    assert!(
        only_challenges
            .body
            .contains("<option value=\"challenge\" selected>Peer challenges</option>")
    );

    // The LA lead's redirect keeps the choice too.
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let redirect = lead.get("/progress?programme=thematic").await;
    assert_redirect(&redirect, "/progress/areas/derby?programme=thematic");
}

app_test!(
    the_board_filters_next_steps_by_programme,
    the_board_filters_next_steps_by_programme
);

/// An LA lead's dashboard lists what their area owes from every programme: each return not
/// yet sent (linked to it) and each activity's next steps with actions due (a thematic
/// event's linked to the area's progress for that programme). It counted only challenge
/// plans before.
async fn a_leads_dashboard_lists_returns_and_next_steps_from_every_programme(app: TestApp) {
    let derby = AuthoritySlug::parse("derby").expect("slug");
    let fixture = next_steps_challenge(&app.store, "derby").await;
    let coordinator = principal_of(&app.store, COORDINATOR).await;
    let event = app
        .store
        .create_programme_activity(
            Programme::Thematic,
            "Preparing for adulthood event",
            std::slice::from_ref(&derby),
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("event");
    let plan = app
        .store
        .action_plan(fixture.challenge)
        .await
        .expect("plan");
    let due_soon = ActionEntry {
        reference: "PFA-1".into(),
        due: app.state.today() + chrono::Duration::days(5),
        ..plan[0].entry.clone()
    };
    app.store
        .save_next_step(event, &derby, None, &due_soon, &coordinator, Utc::now())
        .await
        .expect("thematic next step");
    let owed = app
        .store
        .returns(&store::ReturnFilter {
            area: Some(derby.clone()),
            programme: None,
        })
        .await
        .expect("returns");
    assert_eq!(owed.len(), 1, "the challenge's action plan is owed");

    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    let send = element_around(&page, "li", &format!("/returns/{}", owed[0].id));
    assert!(send.contains("Send your action plan"), "{send}");
    let due = element_around(&page, "li", "/progress/areas/derby?programme=thematic");
    assert!(
        due.contains("Actions due: Preparing for adulthood event"),
        "{due}"
    );
    assert!(due.contains("1 due within a fortnight."), "{due}");
}

app_test!(
    a_leads_dashboard_lists_returns_and_next_steps_from_every_programme,
    a_leads_dashboard_lists_returns_and_next_steps_from_every_programme
);

/// The co-ordinator's to-do list has every programme's returns that are past their date:
/// here a thematic event's next steps Derby has not sent, gone once Derby has more time.
async fn the_coordinators_dashboard_chases_overdue_returns_from_every_programme(app: TestApp) {
    let derby = AuthoritySlug::parse("derby").expect("slug");
    let coordinator = principal_of(&app.store, COORDINATOR).await;
    let event = app
        .store
        .create_programme_activity(
            Programme::Thematic,
            "Preparing for adulthood event",
            std::slice::from_ref(&derby),
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("event");
    let owed = app
        .store
        .owe_return(
            &store::NewReturn {
                activity: event,
                area: derby.clone(),
                kind: domain::ReturnKind::ThematicNextSteps,
                owner: None,
                due: app.state.today() - chrono::Duration::days(3),
            },
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("owed");

    let mut browser = app.browser_as(Who::Coordinator).await;
    let page = browser.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    let chase = element_around(
        &page,
        "li",
        "Preparing for adulthood event: Next steps overdue",
    );
    assert!(chase.contains("href=\"/returns\""), "{chase}");
    assert!(chase.contains("Not sent yet by Derby."), "{chase}");

    // Given more time, Derby's return is outstanding again, not overdue.
    app.store
        .extend_return(
            owed,
            app.state.today() + chrono::Duration::days(14),
            "a new head of service",
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("extended");
    let page = browser.get("/dashboard").await;
    assert!(!page.body.contains("Next steps overdue"), "{}", page.body);
}

app_test!(
    the_coordinators_dashboard_chases_overdue_returns_from_every_programme,
    the_coordinators_dashboard_chases_overdue_returns_from_every_programme
);
