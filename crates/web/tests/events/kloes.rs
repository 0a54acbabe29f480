//! The event's KLOEs: tagged with themes, shared with every nominee on the date the
//! co-ordinator sets and not before; a change after sharing is a new version, sent, the old
//! kept.

use super::*;

fn kloes_form(question: &str, share_on: NaiveDate) -> Vec<(&'static str, String)> {
    vec![
        ("kloe_1", question.into()),
        ("kloe_1_themes", "PFA".into()),
        ("kloe_1_themes", "HEALTH".into()),
        ("share_on", uk(share_on)),
    ]
}

async fn kloes_go_to_every_nominee_on_their_date_and_a_change_is_a_new_version(app: TestApp) {
    let date = future_weekday();
    let path = open_event(&app, date).await;
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead
        .post(
            &format!("{path}/nominations"),
            &fields(&[
                ("name", "Ann Officer".to_owned()),
                ("role", "Head of SEND".to_owned()),
                ("organisation", "health".to_owned()),
                ("email", "ann@derby.example.org".to_owned()),
            ]),
        )
        .await;
    assert_eq!(page.status.as_u16(), 303);

    let mut coordinator = app.browser_as(Who::Coordinator).await;
    // Untagged, and dated after the event: both refused beside their fields.
    let page = coordinator
        .post(
            &format!("{path}/kloes"),
            &[
                ("kloe_1", "How well are transitions planned?"),
                ("share_on", &uk(date + Duration::days(1))),
            ],
        )
        .await;
    assert_eq!(page.status.as_u16(), 422);
    assert!(
        page.body
            .contains("Select at least one practice theme for KLOE 1")
    );
    assert!(
        page.body
            .contains("Share the KLOEs on or before the day of the event")
    );
    assert!(page.body.contains("How well are transitions planned?"));

    // A draft to be shared in a week: the lead and the board do not see it yet, and sharing
    // it now is refused with its date.
    let share_on = domain::clock::uk_date(chrono::Utc::now()) + Duration::days(7);
    let form = kloes_form(
        "How well are transitions to adult health services planned?",
        share_on,
    );
    let page = coordinator
        .post(&format!("{path}/kloes"), &fields(&form))
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    assert!(
        !lead
            .get(&format!("{path}/kloes"))
            .await
            .body
            .contains("adult health services")
    );
    let page = coordinator
        .post(&format!("{path}/move"), &[("to", "kloes_shared")])
        .await;
    assert_eq!(page.status.as_u16(), 409);
    assert!(page.body.contains("not before"));
    assert!(
        outbox_to(&app.store, "ann@derby.example.org").await.len() == 1,
        "only the confirmation"
    );

    // The daily job on the date shares them and the event moves on.
    let morning = chrono::TimeZone::from_utc_datetime(
        &chrono::Utc,
        &share_on.and_hms_opt(9, 0, 0).expect("time"),
    );
    assert_eq!(
        services::events::share_due_kloes(&app.store, morning)
            .await
            .expect("shared"),
        1
    );
    let ann = outbox_to(&app.store, "ann@derby.example.org").await;
    assert_eq!(ann.len(), 2);
    assert!(
        ann[1]
            .subject
            .starts_with("Key lines of enquiry: Preparation for adulthood")
    );
    assert!(
        ann[1]
            .body_text
            .contains("1. How well are transitions to adult health services planned?")
    );
    let page = lead.get(&format!("{path}/kloes")).await;
    assert!(page.body.contains("Version 1, shared"));
    assert!(coordinator.get(&path).await.body.contains("KLOEs shared"));

    // A change after sharing is version 2, sent at once; version 1 stays on the page.
    let form = kloes_form(
        "How well do partners plan the move to adult health services?",
        share_on,
    );
    let page = coordinator
        .post(&format!("{path}/kloes"), &fields(&form))
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let ann = outbox_to(&app.store, "ann@derby.example.org").await;
    assert_eq!(ann.len(), 3);
    assert!(
        ann.iter()
            .any(|e| e.subject.starts_with("Updated key lines of enquiry")
                && e.body_text.contains("These replace the ones sent before"))
    );
    let page = app
        .browser_as(Who::Board)
        .await
        .get(&format!("{path}/kloes"))
        .await;
    assert!(page.body.contains("Version 2, shared"));
    assert!(page.body.contains("Version 1, shared"));
    assert!(
        page.body
            .contains("How well are transitions to adult health services planned?")
    );
    assert!(
        page.body.contains("Preparation for adulthood"),
        "themes named by label"
    );
}
app_test!(
    kloes_go_to_every_nominee_on_their_date_and_a_change_is_a_new_version,
    kloes_go_to_every_nominee_on_their_date_and_a_change_is_a_new_version
);
