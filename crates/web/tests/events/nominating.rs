//! Each area's nominations, the co-ordinator's view of who comes from where, and the emails
//! nominees receive.

use services::upkeep::Upkeep;

use super::*;

fn nominee(name: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.into()),
        ("role", "Head of SEND".into()),
        ("organisation", "local_authority".into()),
        ("email", email.into()),
    ]
}

async fn a_lead_names_their_officers_within_the_rules_and_each_is_confirmed_with_an_invitation(
    app: TestApp,
) {
    let date = future_weekday();
    let path = open_event(&app, date).await;
    let nominations = format!("{path}/nominations");

    // Before Derby names anyone, the co-ordinator sees it among those who have not, and
    // reminds its lead.
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let page = coordinator.get(&nominations).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.body.contains("Areas that have named nobody"));
    assert!(page.body.contains("<li>Derby</li>"));
    let page = coordinator.post(&format!("{path}/remind"), &[]).await;
    assert_eq!(page.status.as_u16(), 303);
    let asked = outbox_to(&app.store, LEAD).await;
    assert!(
        asked
            .iter()
            .any(|e| e.subject.starts_with("Reminder: name your officers")),
        "{asked:?}"
    );

    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead.get(&nominations).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.body.contains("For Derby."));
    for (name, email) in [
        ("Ann Officer", "ann@derby.example.org"),
        ("Bo Officer", "bo@derby.example.org"),
    ] {
        let page = lead
            .post(&nominations, &fields(&nominee(name, email)))
            .await;
        assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    }
    // Full: a third is refused with the reason, the answers kept.
    let page = lead
        .post(
            &nominations,
            &fields(&nominee("Cy Officer", "cy@derby.example.org")),
        )
        .await;
    assert_eq!(page.status.as_u16(), 422);
    assert!(
        page.body
            .contains("as many people as the event has places for")
    );
    assert_eq!(
        page.input_value("email").as_deref(),
        Some("cy@derby.example.org")
    );
    // A deputy takes no place; the same person twice is refused.
    let mut deputy = nominee("Di Deputy", "di@derby.example.org");
    deputy.push(("deputy", "yes".into()));
    assert_eq!(
        lead.post(&nominations, &fields(&deputy))
            .await
            .status
            .as_u16(),
        303
    );
    let page = lead
        .post(
            &nominations,
            &fields(&nominee("Ann Officer", "Ann@Derby.example.org")),
        )
        .await;
    assert_eq!(page.status.as_u16(), 422);
    assert!(page.body.contains("already been named"));
    // A lead cannot name for another area, whatever the form says.
    let mut elsewhere = nominee("Ed Else", "ed@nottingham.example.org");
    elsewhere.push(("area", "nottingham".into()));
    let page = lead.post(&nominations, &fields(&elsewhere)).await;
    assert_eq!(page.status.as_u16(), 422, "{}", page.body);
    let named = app
        .store
        .nominations(path.trim_start_matches("/events/").parse().expect("id"))
        .await
        .expect("read");
    assert!(
        named.iter().all(|n| n.area.as_str() == "derby"),
        "{named:?}"
    );
    assert_eq!(named.len(), 3);

    // Each nominee had their confirmation with the calendar invitation.
    let ann = outbox_to(&app.store, "ann@derby.example.org").await;
    assert_eq!(ann.len(), 1);
    assert!(ann[0].subject.contains("Preparation for adulthood"));
    assert!(ann[0].body_text.contains("https://meet.example.org/pfa"));
    let ics = String::from_utf8(ann[0].attachments[0].bytes.clone()).expect("text");
    assert_eq!(ann[0].attachments[0].file_name, "invitation.ics");
    assert!(ics.contains("METHOD:REQUEST"));
    assert!(ics.contains(&format!("DTSTART:{}", date.format("%Y%m%d"))));

    // The co-ordinator sees who comes from where; Derby is no longer missing.
    let page = coordinator.get(&nominations).await;
    assert!(page.body.contains("Derby: 2 of 2 named"));
    assert!(page.body.contains("Ann Officer"));
    assert!(!page.body.contains("<li>Derby</li>"));

    // Withdrawn by the lead, freeing a place.
    let ann_id = named
        .iter()
        .find(|n| n.nominee.name.as_str() == "Ann Officer")
        .expect("ann")
        .id;
    let page = lead
        .post(&format!("{nominations}/{ann_id}/withdraw"), &[])
        .await;
    assert_eq!(page.status.as_u16(), 303);
    let page = lead
        .post(
            &nominations,
            &fields(&nominee("Cy Officer", "cy@derby.example.org")),
        )
        .await;
    assert_eq!(page.status.as_u16(), 303);
}
app_test!(
    a_lead_names_their_officers_within_the_rules_and_each_is_confirmed_with_an_invitation,
    a_lead_names_their_officers_within_the_rules_and_each_is_confirmed_with_an_invitation
);

async fn nominees_are_reminded_a_week_and_a_day_before_by_the_daily_job(app: TestApp) {
    let date = future_weekday();
    let path = open_event(&app, date).await;
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead
        .post(
            &format!("{path}/nominations"),
            &fields(&nominee("Ann Officer", "ann@derby.example.org")),
        )
        .await;
    assert_eq!(page.status.as_u16(), 303);
    let morning = |day: NaiveDate| {
        chrono::TimeZone::from_utc_datetime(&chrono::Utc, &day.and_hms_opt(9, 0, 0).expect("time"))
    };
    let upkeep = Upkeep::new(app.store.clone(), app.settings.clone());
    for day in [
        date - Duration::days(8),
        date - Duration::days(7),
        date - Duration::days(1),
    ] {
        // A fresh instance each day: the job is due again a day later.
        upkeep.run_pending(morning(day)).await.expect("sweep");
    }
    // Run twice on the last day: nothing goes twice.
    services::events::send_event_reminders(&app.store, morning(date - Duration::days(1)))
        .await
        .expect("sweep");
    let ann = outbox_to(&app.store, "ann@derby.example.org").await;
    let subjects: Vec<_> = ann.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(
        subjects[1].starts_with("Reminder: Preparation for adulthood on"),
        "{subjects:?}"
    );
    assert_eq!(subjects[2], "Tomorrow: Preparation for adulthood");
    assert!(ann[2].body_text.contains("https://meet.example.org/pfa"));
}
app_test!(
    nominees_are_reminded_a_week_and_a_day_before_by_the_daily_job,
    nominees_are_reminded_a_week_and_a_day_before_by_the_daily_job
);
