//! An event's changes posted many times at once: the rules an event keeps (an area's places,
//! nobody named twice, one move from each state) hold however the requests interleave, on
//! both databases, and no request is told it made a change another made first.

use support::racing::{AT_ONCE, post_at_once, post_each_at_once};

use super::*;

/// A nominee's form for Derby, person `n`.
fn nominee(n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("name", format!("Officer Number{n}")),
        ("role", "Head of SEND".into()),
        ("organisation", "local_authority".into()),
        ("email", format!("officer{n}@derby.example.org")),
    ]
}

async fn nominations_of_derby(app: &TestApp, path: &str) -> usize {
    let id = path.rsplit('/').next().expect("the event's id");
    let event = id.parse().expect("an event id");
    app.store
        .nominations(event)
        .await
        .expect("nominations")
        .iter()
        .filter(|nomination| nomination.area.as_str() == "derby")
        .count()
}

async fn naming_many_at_once_never_passes_the_areas_places(app: TestApp) {
    let path = open_event(&app, future_weekday()).await;
    let forms: Vec<Vec<(&'static str, String)>> = (0..AT_ONCE).map(nominee).collect();
    let borrowed: Vec<Vec<(&str, &str)>> = forms.iter().map(|form| fields(form)).collect();
    let each: Vec<&[(&str, &str)]> = borrowed.iter().map(Vec::as_slice).collect();
    let answers = post_each_at_once(
        &app,
        Who::LeadOfDerby,
        &format!("{path}/nominations"),
        &each,
    )
    .await;

    // The event has two places per area.
    let named = answers.iter().filter(|a| a.status.as_u16() == 303).count();
    assert_eq!(named, 2, "two were told they were named");
    assert_eq!(nominations_of_derby(&app, &path).await, 2);
    for answer in &answers {
        assert!(
            !answer.status.is_server_error(),
            "{}: {}",
            answer.status,
            answer.body
        );
    }
}

crate::app_test!(
    naming_many_at_once_never_passes_the_areas_places,
    naming_many_at_once_never_passes_the_areas_places
);

async fn naming_one_person_at_once_names_them_once(app: TestApp) {
    let path = open_event(&app, future_weekday()).await;
    let form = nominee(1);
    let answers = post_at_once(
        &app,
        Who::LeadOfDerby,
        &format!("{path}/nominations"),
        &fields(&form),
    )
    .await;
    let named = answers.iter().filter(|a| a.status.as_u16() == 303).count();
    assert_eq!(named, 1, "one was told the person was named");
    assert_eq!(nominations_of_derby(&app, &path).await, 1);
    for answer in &answers {
        assert!(
            !answer.status.is_server_error(),
            "{}: {}",
            answer.status,
            answer.body
        );
    }
    // And the nominee was sent one confirmation.
    let confirmations = outbox_to(&app.store, "officer1@derby.example.org").await;
    assert_eq!(confirmations.len(), 1, "{confirmations:?}");
}

crate::app_test!(
    naming_one_person_at_once_names_them_once,
    naming_one_person_at_once_names_them_once
);

async fn cancelling_at_once_cancels_once_and_tells_nominees_once(app: TestApp) {
    let path = open_event(&app, future_weekday()).await;
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead
        .post(&format!("{path}/nominations"), &fields(&nominee(1)))
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);

    let answers = post_at_once(
        &app,
        Who::Coordinator,
        &format!("{path}/move"),
        &[("to", "cancelled")],
    )
    .await;
    let moved = answers
        .iter()
        .filter(|a| a.location.as_deref() == Some(path.as_str()))
        .count();
    assert_eq!(moved, 1, "one was told it cancelled the event");
    for answer in &answers {
        assert!(
            !answer.status.is_server_error(),
            "{}: {}",
            answer.status,
            answer.body
        );
    }
    let told = outbox_to(&app.store, "officer1@derby.example.org").await;
    assert_eq!(
        told.iter()
            .filter(|email| email.subject.to_lowercase().contains("cancel"))
            .count(),
        1,
        "{told:?}"
    );
}

crate::app_test!(
    cancelling_at_once_cancels_once_and_tells_nominees_once,
    cancelling_at_once_cancels_once_and_tells_nominees_once
);
