//! The daily sweep of next-steps reminders on both databases: an area's LA lead hears once
//! when an open action is due soon, when it is overdue and when it has gone without an
//! update; a complete action and an area with no lead send nothing.

use crate::support;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::ActionId;
use domain::next_steps::{ActionEntry, Rag};
use services::reminders::{RemindersSent, send_due_reminders};
use store::{OutboxEmail, Store};
use support::TestApp;
use support::challenge_fixture::principal_of;
use support::findings_fixture::{NextStepsFixture, next_steps_challenge};

const LEAD: &str = "lead.derby@example.org";

/// Nine in the morning on 1 June 2027, the day of the sweep.
fn sweep_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0)
        .single()
        .expect("time")
}

fn day(month: u32, date: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, date).expect("date")
}

/// Save `entry` as the challenge's action `existing` (or a new one) at `when`, which becomes
/// its last update.
async fn save_at(
    store: &Store,
    fixture: &NextStepsFixture,
    existing: Option<ActionId>,
    entry: &ActionEntry,
    when: DateTime<Utc>,
) -> ActionId {
    let coordinator = principal_of(store, "coordinator@example.org").await;
    let id = store
        .save_action(fixture.challenge, existing, entry, &coordinator, when)
        .await
        .expect("saved");
    let saved = store.action(id).await.expect("load").expect("the action");
    assert_eq!(saved.updated_at, when, "the save changed the action");
    id
}

/// The fixture's action (LEI-1) with this status and due date, last updated at `when`.
async fn set_fixture_action(
    store: &Store,
    fixture: &NextStepsFixture,
    rag: Rag,
    due: NaiveDate,
    when: DateTime<Utc>,
) -> ActionEntry {
    let current = store
        .action(fixture.action)
        .await
        .expect("load")
        .expect("the fixture's action");
    let entry = ActionEntry {
        rag,
        due,
        ..current.entry
    };
    save_at(store, fixture, Some(fixture.action), &entry, when).await;
    entry
}

async fn sweep(app: &TestApp, now: DateTime<Utc>) -> RemindersSent {
    send_due_reminders(
        &app.store,
        app.settings.reminders,
        &app.settings.base_url,
        now,
    )
    .await
    .expect("swept")
}

/// Every reminder in the outbox (the fixture's invitations are not).
async fn reminders(store: &Store) -> Vec<OutboxEmail> {
    store
        .outbox_emails(1000)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|email| email.subject.starts_with("Action "))
        .collect()
}

/// The recipient and subject of every reminder, sorted.
async fn sent(store: &Store) -> Vec<(String, String)> {
    let mut sent: Vec<(String, String)> = reminders(store)
        .await
        .into_iter()
        .map(|email| (email.to.as_str().to_owned(), email.subject))
        .collect();
    sent.sort();
    sent
}

fn to_lead(subject: &str) -> (String, String) {
    (LEAD.to_owned(), subject.to_owned())
}

app_test!(
    an_action_due_soon_reminds_the_areas_lead_once,
    |app: TestApp| async move {
        let fixture = next_steps_challenge(&app.store, "derby").await;
        let updated = sweep_day() - Duration::days(1);
        set_fixture_action(&app.store, &fixture, Rag::Amber, day(6, 10), updated).await;

        assert_eq!(
            sweep(&app, sweep_day()).await,
            RemindersSent {
                due_soon: 1,
                overdue: 0,
                no_update: 0
            }
        );
        let queued = reminders(&app.store).await;
        assert_eq!(queued.len(), 1, "{queued:?}");
        assert_eq!(queued[0].to.as_str(), LEAD);
        assert_eq!(queued[0].subject, "Action LEI-1 is due on 10 June 2027");
        let link = format!(
            "{}/challenges/{}/actions",
            app.settings.base_url, fixture.challenge
        );
        assert!(
            queued[0].body_text.contains(&link),
            "{}",
            queued[0].body_text
        );
        assert!(queued[0].body_text.contains("is due soon"));

        let later_that_day = sweep_day() + Duration::hours(8);
        assert_eq!(sweep(&app, later_that_day).await, RemindersSent::default());
        assert_eq!(reminders(&app.store).await.len(), 1);
    }
);

app_test!(
    overdue_and_long_unchanged_actions_are_reminded,
    |app: TestApp| async move {
        let fixture = next_steps_challenge(&app.store, "derby").await;
        let now = sweep_day();
        let entry = set_fixture_action(
            &app.store,
            &fixture,
            Rag::Red,
            day(5, 20),
            now - Duration::days(1),
        )
        .await;
        let no_update_days = i64::from(app.settings.reminders.no_update_days);
        let far_off = ActionEntry {
            rag: Rag::Green,
            due: day(12, 31),
            ..entry
        };
        let stale = ActionEntry {
            reference: "LEI-2".into(),
            ..far_off.clone()
        };
        save_at(
            &app.store,
            &fixture,
            None,
            &stale,
            now - Duration::days(no_update_days + 1),
        )
        .await;
        // Updated a day short of the period: not yet.
        let recent = ActionEntry {
            reference: "LEI-3".into(),
            ..far_off
        };
        save_at(
            &app.store,
            &fixture,
            None,
            &recent,
            now - Duration::days(no_update_days - 1),
        )
        .await;

        assert_eq!(
            sweep(&app, now).await,
            RemindersSent {
                due_soon: 0,
                overdue: 1,
                no_update: 1
            }
        );
        assert_eq!(
            sent(&app.store).await,
            [
                to_lead("Action LEI-1 was due on 20 May 2027"),
                to_lead("Action LEI-2 has had no update for a while"),
            ]
        );
        // The day after, LEI-3 has gone the whole period without an update; the others
        // have been told about this due date and this update already.
        assert_eq!(
            sweep(&app, now + Duration::days(1)).await,
            RemindersSent {
                due_soon: 0,
                overdue: 0,
                no_update: 1
            }
        );
        assert_eq!(sent(&app.store).await.len(), 3);
    }
);

app_test!(
    a_complete_action_is_never_reminded,
    |app: TestApp| async move {
        let fixture = next_steps_challenge(&app.store, "derby").await;
        let long_ago = sweep_day() - Duration::days(200);
        set_fixture_action(&app.store, &fixture, Rag::Complete, day(5, 1), long_ago).await;
        for days_on in [0, 30, 365] {
            let now = sweep_day() + Duration::days(days_on);
            assert_eq!(sweep(&app, now).await, RemindersSent::default());
        }
        assert!(reminders(&app.store).await.is_empty());
    }
);

app_test!(
    an_area_without_a_lead_hears_nothing,
    |app: TestApp| async move {
        let derby = next_steps_challenge(&app.store, "derby").await;
        let nottingham = next_steps_challenge(&app.store, "nottingham").await;
        let updated = sweep_day() - Duration::days(1);
        for fixture in [&derby, &nottingham] {
            set_fixture_action(&app.store, fixture, Rag::Amber, day(6, 10), updated).await;
        }

        // Both actions are due soon; only Derby has a lead to tell.
        assert_eq!(sweep(&app, sweep_day()).await.due_soon, 1);
        let queued = reminders(&app.store).await;
        assert_eq!(queued.len(), 1, "{queued:?}");
        assert_eq!(queued[0].to.as_str(), LEAD);
        assert!(
            queued[0]
                .body_text
                .contains(&format!("/challenges/{}/actions", derby.challenge))
        );
    }
);

#[path = "reminders/returns.rs"]
mod returns;
#[path = "reminders/upkeep.rs"]
mod upkeep;
