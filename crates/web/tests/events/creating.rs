//! Creating, changing and moving an event.

use super::*;

async fn bad_answers_are_shown_beside_their_fields_and_kept(app: TestApp) {
    let date = future_weekday();
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let mut form = event_form(date);
    for (name, value) in form.iter_mut() {
        match *name {
            "ends" => *value = "13:30".into(),
            "joining_link" => *value = "http://meet.example.org/pfa".into(),
            "capacity" => *value = "0".into(),
            _ => {}
        }
    }
    let page = coordinator.post("/events/new", &fields(&form)).await;
    assert_eq!(page.status.as_u16(), 422);
    for message in [
        "A thematic event lasts at most 3 hours",
        "The joining link must start with https://",
        "Each area may name between 1 and 20 people",
    ] {
        assert!(page.body.contains(message), "{message}");
    }
    assert!(page.body.contains("govuk-error-summary"));
    assert!(page.body.contains("href=\"#ends\""));
    assert_eq!(
        page.input_value("joining_link").as_deref(),
        Some("http://meet.example.org/pfa")
    );
    assert_eq!(page.input_value("ends").as_deref(), Some("13:30"));

    // A date in the past.
    let past = event_form(domain::clock::uk_date(chrono::Utc::now()) - Duration::days(1));
    let page = coordinator.post("/events/new", &fields(&past)).await;
    assert_eq!(page.status.as_u16(), 422);
    assert!(
        page.body
            .contains("The date of the event must be today or in the future")
    );
    assert!(app.store.events().await.expect("events").is_empty());
}
app_test!(
    bad_answers_are_shown_beside_their_fields_and_kept,
    bad_answers_are_shown_beside_their_fields_and_kept
);

async fn opening_an_event_asks_every_lead_for_names_and_every_move_is_audited(app: TestApp) {
    let date = future_weekday();
    let path = open_event(&app, date).await;
    let asked = outbox_to(&app.store, LEAD).await;
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0]
            .subject
            .starts_with("Name your officers for Preparation for adulthood")
    );
    assert!(asked[0].body_text.contains("/nominations"));

    let mut board = app.browser_as(Who::Board).await;
    let page = board.get(&path).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.body.contains("Open for nominations"));
    assert!(page.body.contains("https://meet.example.org/pfa"));
    // The board reads the event but neither moves it nor sees names.
    assert!(!page.body.contains("/move"));
    assert!(!page.body.contains("/nominations\""));

    // A skipped move is refused with the reason, and changes nothing.
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let page = coordinator
        .post(&format!("{path}/move"), &[("to", "held")])
        .await;
    assert_eq!(page.status.as_u16(), 409);
    assert!(page.body.contains("cannot be moved to held"));
    // Changing the title while open; then the KLOEs go out and the details are fixed.
    let mut form = event_form(date);
    form[0].1 = "Preparing for adulthood".into();
    let page = coordinator
        .post(&format!("{path}/edit"), &fields(&form))
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    // The KLOEs, shared today, move the event on.
    let today = uk(domain::clock::uk_date(chrono::Utc::now()));
    let kloes = [
        ("kloe_1", "How well are transitions planned?"),
        ("kloe_1_themes", "PFA"),
        ("share_on", today.as_str()),
    ];
    let page = coordinator.post(&format!("{path}/kloes"), &kloes).await;
    assert_eq!(page.status.as_u16(), 303);
    let page = coordinator
        .post(&format!("{path}/move"), &[("to", "kloes_shared")])
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let page = coordinator.get(&format!("{path}/edit")).await;
    assert_eq!(page.status.as_u16(), 303, "no form once the KLOEs are out");
    let page = coordinator.get("/events").await;
    assert!(page.body.contains("Preparing for adulthood"));
    assert!(page.body.contains("KLOEs shared"));
    let moves = app
        .store
        .audit_entries(
            &store::AuditFilter {
                action: Some("event.moved".into()),
                ..store::AuditFilter::default()
            },
            10,
        )
        .await
        .expect("audit");
    assert_eq!(
        moves.len(),
        1,
        "opened; sharing the KLOEs is audited as such"
    );
    let shared = app
        .store
        .audit_entries(
            &store::AuditFilter {
                action: Some("event.kloes_shared".into()),
                ..store::AuditFilter::default()
            },
            10,
        )
        .await
        .expect("audit");
    assert_eq!(shared.len(), 1);
}
app_test!(
    opening_an_event_asks_every_lead_for_names_and_every_move_is_audited,
    opening_an_event_asks_every_lead_for_names_and_every_move_is_audited
);
