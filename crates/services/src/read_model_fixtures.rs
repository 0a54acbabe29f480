//! Accounts, days, areas and an open thematic event for the read models' tests, made
//! through the real store.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::events::{EventAnswers, EventState};
use domain::{
    AuthoritySlug, EmailAddress, NewPassword, PersonName, Principal, Role, RoleGrant, ThemeCode,
};
use store::{NewUser, Store, ThematicEvent};

/// Nine o'clock on 1 February 2027, when the tests' accounts and activities are made.
pub fn made_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 2, 1, 9, 0, 0)
        .single()
        .expect("time")
}

/// A day of 2027.
pub fn day(month: u32, date: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, date).expect("date")
}

pub fn slug(text: &str) -> AuthoritySlug {
    AuthoritySlug::parse(text).expect("slug")
}

/// A grant of `role`, for `area` when it is an LA lead's.
pub fn grant(role: Role, area: Option<&str>) -> RoleGrant {
    RoleGrant::new(role, area.map(slug)).expect("grant")
}

/// An account named `name` holding `grants`, as the store reads it back.
pub async fn account(store: &Store, name: &str, grants: Vec<RoleGrant>) -> Principal {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let user = NewUser {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(&email).expect("email"),
        grants,
    };
    let hash = NewPassword::parse("a long test passphrase", "a long test passphrase")
        .expect("password")
        .hash();
    let id = store
        .ensure_user(&user, &hash, made_at())
        .await
        .expect("user");
    store
        .principal(id)
        .await
        .expect("principal")
        .expect("an account")
}

/// An open online event on 20 March 2027 for Derby and Nottingham, nominations closing on
/// the 13th, two places an area.
pub async fn open_event(store: &Store, by: &Principal) -> ThematicEvent {
    let details = EventAnswers {
        title: "EHC needs assessment timeliness".into(),
        theme: "EHCNA_TIMELINESS".into(),
        topic: "Meeting the 20-week timescale".into(),
        date: "20/03/2027".into(),
        starts: "10:00".into(),
        ends: "12:30".into(),
        format: "online".into(),
        joining_link: "https://meet.example.org/ehcna".into(),
        facilitator: "Regional SEND co-ordinator".into(),
        capacity: "2".into(),
        nominations_close: "13/03/2027".into(),
        returns_due: "17/04/2027".into(),
        ..EventAnswers::default()
    }
    .check(
        &[ThemeCode::parse("EHCNA_TIMELINESS").expect("theme")],
        Some(day(2, 1)),
    )
    .expect("valid event");
    let id = store
        .create_event(
            &details,
            &[slug("derby"), slug("nottingham")],
            by,
            made_at(),
        )
        .await
        .expect("created");
    store
        .move_event(
            id,
            EventState::Draft,
            EventState::Open,
            vec![],
            by,
            made_at(),
        )
        .await
        .expect("opened");
    store.event(id).await.expect("read").expect("an event")
}
