//! Thematic events through the router on both databases: the co-ordinator creates an event
//! (bad answers shown back beside their fields), opens it (the LA leads are asked for names),
//! an LA lead names their own area's officers (each confirmed with an `.ics` invitation read
//! from the outbox) within the event's rules, the co-ordinator sees who comes from where and
//! reminds areas that named nobody, and the daily job reminds nominees a week and a day before.

use crate::support;

#[path = "events/creating.rs"]
mod creating;
#[path = "events/kloes.rs"]
mod kloes;
#[path = "events/next_step_form.rs"]
mod next_step_form;
#[path = "events/nominating.rs"]
mod nominating;
#[path = "events/pre_reading.rs"]
mod pre_reading;
#[path = "events/racing.rs"]
mod racing;
#[path = "events/returns.rs"]
mod returns;

use chrono::{Duration, NaiveDate};
use store::{OutboxEmail, Store};
use support::challenge_fixture::future_weekday;
use support::{TestApp, Who};

const LEAD: &str = "lead.derby@example.org";

fn uk(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// A good online event's form fields on `date`.
fn event_form(date: NaiveDate) -> Vec<(&'static str, String)> {
    vec![
        ("title", "Preparation for adulthood".into()),
        ("theme", "PFA".into()),
        ("topic", "Moving to adult services".into()),
        ("date", uk(date)),
        ("starts", "10:00".into()),
        ("ends", "12:30".into()),
        ("format", "online".into()),
        ("joining_link", "https://meet.example.org/pfa".into()),
        ("facilitator", "Regional SEND co-ordinator".into()),
        ("capacity", "2".into()),
        ("nominations_close", uk(date - Duration::days(7))),
        ("returns_due", uk(date + Duration::days(28))),
    ]
}

fn fields<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The co-ordinator creates an event through the form and opens it; its path.
async fn open_event(app: &TestApp, date: NaiveDate) -> String {
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let page = coordinator
        .post("/events/new", &fields(&event_form(date)))
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let path = page.location().expect("to the event").to_owned();
    let page = coordinator
        .post(&format!("{path}/move"), &[("to", "open")])
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    path
}

async fn outbox_to(store: &Store, to: &str) -> Vec<OutboxEmail> {
    let mut emails: Vec<OutboxEmail> = store
        .outbox_emails(1000)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|email| email.to.as_str() == to)
        .collect();
    emails.sort_by_key(|email| email.created_at);
    emails
}
