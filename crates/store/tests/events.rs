//! Thematic events on both databases: an event is written with its programme activity,
//! changed while a draft or open, moved one step at a time by conditional updates (audited);
//! each area's nominations are held to the event's rules inside the writing transaction, with
//! the nominee's confirmation queued in it; reminders go once.

use crate::support;

#[path = "events/documents.rs"]
mod documents;
#[path = "events/kloes.rs"]
mod kloes;
#[path = "events/lifecycle.rs"]
mod lifecycle;
#[path = "events/nominations.rs"]
mod nominations;

use domain::events::{EventAnswers, EventDetails, EventState, NominationAnswers, Nominee};
use domain::{
    AuthoritySlug, EmailAddress, Principal, ProgrammeActivityId, Role, RoleGrant, ThemeCode,
};
use store::{NewEmail, Store, store_test};
use support::challenge_walk::{account, assert_conflict, at, audit_of, day, slug};

const AREAS: [&str; 3] = ["derby", "nottingham", "leicestershire"];

fn areas() -> Vec<AuthoritySlug> {
    AREAS.iter().map(|a| slug(a)).collect()
}

/// An online event on 20 March 2027, nominations closing on the 13th, three places an area.
fn answers() -> EventAnswers {
    EventAnswers {
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
}

fn details(answers: &EventAnswers) -> EventDetails {
    let themes = vec![ThemeCode::parse("EHCNA_TIMELINESS").expect("theme")];
    answers
        .check(&themes, Some(day(2, 1)))
        .expect("valid event")
}

async fn coordinator(store: &Store) -> Principal {
    account(
        store,
        "Cora Ordinator",
        RoleGrant::new(Role::Coordinator, None).expect("grant"),
    )
    .await
}

/// A new event by `by`, moved on to open.
async fn open_event(store: &Store, by: &Principal) -> ProgrammeActivityId {
    let id = store
        .create_event(&details(&answers()), &areas(), by, at(0))
        .await
        .expect("created");
    store
        .move_event(id, EventState::Draft, EventState::Open, vec![], by, at(1))
        .await
        .expect("opened");
    id
}

fn nominee(name: &str, email: &str, deputy: bool) -> Nominee {
    NominationAnswers {
        name: name.into(),
        role: "Head of SEND".into(),
        organisation: "local_authority".into(),
        email: email.into(),
        deputy: if deputy { "yes".into() } else { String::new() },
    }
    .check()
    .expect("valid nominee")
}

fn confirmation(to: &str) -> NewEmail {
    NewEmail::text(
        EmailAddress::parse(to).expect("email"),
        "Named",
        "You are named",
    )
}
