//! Accounts, days and areas for the read models' tests, made through the real store.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::{AuthoritySlug, EmailAddress, NewPassword, PersonName, Principal, Role, RoleGrant};
use store::{NewUser, Store};

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
