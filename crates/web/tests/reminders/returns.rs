//! Reminders about returns through the same daily sweep: the area's LA lead hears before the
//! action plan is due and once it is overdue, each once per date; an extension earns fresh
//! ones; a submitted return none.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use services::reminders::send_return_reminders;

use super::*;

fn morning(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).expect("time"))
}

async fn return_emails(store: &Store) -> Vec<(String, String)> {
    store
        .outbox_emails(1000)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|email| email.subject.starts_with("Your area's action plan"))
        .map(|email| (email.to.as_str().to_owned(), email.subject))
        .collect()
}

async fn the_lead_hears_about_their_return_before_and_after_its_date(app: TestApp) {
    next_steps_challenge(&app.store, "derby").await;
    let owed = app
        .store
        .returns(&store::ReturnFilter::default())
        .await
        .expect("returns")
        .remove(0);
    let sweep = |day: NaiveDate| {
        let store = app.store.clone();
        let settings = app.settings.clone();
        async move {
            send_return_reminders(&store, settings.reminders, &settings.base_url, morning(day))
                .await
                .expect("swept")
        }
    };
    let soon = owed.due - Duration::days(i64::from(app.settings.reminders.due_soon_days) + 1);
    assert_eq!(sweep(soon).await, 0, "not yet");
    assert_eq!(sweep(soon + Duration::days(1)).await, 1, "due soon");
    assert_eq!(sweep(soon + Duration::days(2)).await, 0, "once");
    assert_eq!(sweep(owed.due + Duration::days(1)).await, 1, "overdue");
    assert_eq!(sweep(owed.due + Duration::days(2)).await, 0, "once");
    let emails = return_emails(&app.store).await;
    assert_eq!(emails.len(), 2);
    assert!(emails.iter().all(|(to, _)| to == LEAD), "{emails:?}");

    let coordinator = principal_of(&app.store, "coordinator@example.org").await;
    let later = owed.due + Duration::days(30);
    app.store
        .extend_return(owed.id, later, "Reason", &coordinator, morning(owed.due))
        .await
        .expect("extended");
    assert_eq!(
        sweep(later - Duration::days(1)).await,
        1,
        "fresh for the new date"
    );
    app.store
        .submit_return(owed.id, &coordinator, morning(later))
        .await
        .expect("submitted");
    assert_eq!(sweep(later + Duration::days(1)).await, 0, "submitted: none");
}

crate::app_test!(
    the_lead_hears_about_their_return_before_and_after_its_date,
    the_lead_hears_about_their_return_before_and_after_its_date
);

/// The area names which of its LA leads answers for the return: the page shows them, only
/// they hear its reminders, and someone who does not lead the area is refused next to the
/// field with nothing changed.
async fn the_named_owner_alone_hears_about_the_return(app: TestApp) {
    use axum::http::StatusCode;
    use domain::{AuthoritySlug, EmailAddress, NewPassword, PersonName, Role, RoleGrant};
    use support::Who;

    next_steps_challenge(&app.store, "derby").await;
    let owed = app
        .store
        .returns(&store::ReturnFilter::default())
        .await
        .expect("returns")
        .remove(0);
    let hash = NewPassword::parse(support::PASSWORD, support::PASSWORD)
        .expect("password")
        .hash();
    let deputy = app
        .store
        .ensure_user(
            &store::NewUser {
                name: PersonName::parse("Dee Deputy").expect("name"),
                email: EmailAddress::parse("deputy.derby@example.org").expect("email"),
                grants: vec![
                    RoleGrant::new(
                        Role::LaLead,
                        Some(AuthoritySlug::parse("derby").expect("slug")),
                    )
                    .expect("grant"),
                ],
            },
            &hash,
            Utc::now(),
        )
        .await
        .expect("deputy");
    let page_of_return = format!("/returns/{}", owed.id);
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let page = coordinator.get(&page_of_return).await;
    assert!(
        page.body.contains("Every LA lead of the area"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Dee Deputy"), "offered as owner");

    // Someone who does not lead Derby (the board's account) is refused, nothing changed.
    let staff = app.store.staff().await.expect("staff");
    let board = staff
        .iter()
        .find(|person| person.email.as_str() == "board@example.org")
        .expect("board");
    let refused = coordinator
        .post(
            &format!("{page_of_return}/owner"),
            &[("owner", &board.id.to_string())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Choose one of the area&#39;s LA leads")
    );
    assert!(
        refused.body.contains("href=\"#owner\""),
        "linked from the summary"
    );

    let saved = coordinator
        .post(
            &format!("{page_of_return}/owner"),
            &[("owner", &deputy.to_string())],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = coordinator.get(&page_of_return).await;
    assert!(page.body.contains("Dee Deputy (deputy.derby@example.org)"));

    let soon = owed.due - Duration::days(i64::from(app.settings.reminders.due_soon_days));
    let sent = send_return_reminders(
        &app.store,
        app.settings.reminders,
        &app.settings.base_url,
        morning(soon),
    )
    .await
    .expect("swept");
    assert_eq!(sent, 1);
    let emails = return_emails(&app.store).await;
    assert_eq!(
        emails.iter().map(|(to, _)| to.as_str()).collect::<Vec<_>>(),
        ["deputy.derby@example.org"],
        "the owner, not the other lead"
    );
}

crate::app_test!(
    the_named_owner_alone_hears_about_the_return,
    the_named_owner_alone_hears_about_the_return
);
