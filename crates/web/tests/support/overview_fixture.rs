//! Programme activities whose overview has gone to the board: a thematic event with Derby's
//! next steps returned and Rutland's outstanding, and biennial cycles moved on to "overview
//! published" with a pairing, an agreed action and an offer of support.

use chrono::{Duration, NaiveDate, Utc};
use domain::biennial::{CycleState, SupportOfferAnswers};
use domain::events::{EventAnswers, EventState};
use domain::next_steps::{ActionEntry, Rag};
use domain::{AuthoritySlug, ProgrammeActivityId, ThemeCode};
use store::Store;

use super::biennial_fixture::cycle_in_planning;
use super::challenge_fixture::{future_weekday, principal_of};

pub const COORDINATOR: &str = "coordinator@example.org";

fn slug(area: &str) -> AuthoritySlug {
    AuthoritySlug::parse(area).expect("slug")
}

/// An action answering `answers`, due in `days`.
pub fn action(reference: &str, action: &str, answers: &str) -> ActionEntry {
    let today = Utc::now().date_naive();
    ActionEntry {
        reference: reference.into(),
        answers: answers.into(),
        theme: ThemeCode::parse("PFA").expect("code"),
        action: action.into(),
        owner: "Head of SEND".into(),
        partners: String::new(),
        start: today,
        due: today + Duration::days(60),
        milestones: String::new(),
        baseline: String::new(),
        target: String::new(),
        rag: Rag::Amber,
        progress: Vec::new(),
        impact: String::new(),
    }
}

/// An online event for every current area, three weeks or more away, open for nominations.
pub async fn open_event(store: &Store, title: &str) -> ProgrammeActivityId {
    let coordinator = principal_of(store, COORDINATOR).await;
    let date: NaiveDate = future_weekday();
    let answers = EventAnswers {
        title: title.into(),
        theme: "PFA".into(),
        topic: "Moving to adult services".into(),
        date: date.format("%d/%m/%Y").to_string(),
        starts: "10:00".into(),
        ends: "12:30".into(),
        format: "online".into(),
        joining_link: "https://meet.example.org/pfa".into(),
        facilitator: "Regional SEND co-ordinator".into(),
        capacity: "2".into(),
        nominations_close: (date - Duration::days(7)).format("%d/%m/%Y").to_string(),
        returns_due: (date + Duration::days(28)).format("%d/%m/%Y").to_string(),
        ..EventAnswers::default()
    };
    let themes: Vec<_> = store
        .themes()
        .await
        .expect("themes")
        .into_iter()
        .map(|t| t.code)
        .collect();
    let details = answers.check(&themes, None).expect("valid event");
    let areas: Vec<_> = store
        .authorities()
        .await
        .expect("areas")
        .into_iter()
        .filter(|a| a.valid_to.is_none())
        .map(|a| a.slug)
        .collect();
    let now = Utc::now();
    let id = store
        .create_event(&details, &areas, &coordinator, now)
        .await
        .expect("created");
    store
        .move_event(
            id,
            EventState::Draft,
            EventState::Open,
            vec![],
            &coordinator,
            now,
        )
        .await
        .expect("opened");
    id
}

/// An event for every area taken to "overview published": Derby returned one next step,
/// the others did not; the co-ordinator's overview says `overview`.
pub async fn published_event(store: &Store, title: &str, overview: &str) -> ProgrammeActivityId {
    let coordinator = principal_of(store, COORDINATOR).await;
    let id = open_event(store, title).await;
    let now = Utc::now();
    let states = [
        EventState::Open,
        EventState::KloesShared,
        EventState::Held,
        EventState::Returns,
    ];
    for step in states.windows(2) {
        store
            .move_event(id, step[0], step[1], vec![], &coordinator, now)
            .await
            .expect("moved on");
    }
    store
        .save_next_step(
            id,
            &slug("derby"),
            None,
            &action(
                "PFA-1",
                "Map transition pathways with adult health",
                "KLOE 1",
            ),
            &coordinator,
            now,
        )
        .await
        .expect("next step");
    let owed = store
        .returns(&store::ReturnFilter {
            area: Some(slug("derby")),
            programme: None,
        })
        .await
        .expect("returns");
    let derby = owed
        .iter()
        .find(|r| r.activity.id == id)
        .expect("Derby owes its next steps");
    store
        .submit_return(derby.id, &coordinator, now)
        .await
        .expect("submitted");
    store
        .save_event_overview(id, overview, &coordinator, now)
        .await
        .expect("overview");
    store
        .move_event(
            id,
            EventState::Returns,
            EventState::OverviewPublished,
            vec![],
            &coordinator,
            now,
        )
        .await
        .expect("published");
    id
}

/// A cycle of `areas` for `year`, with `pairs` (challenger, challenged) published, an agreed
/// action for the first area and an offer of support from it to the second, moved on to
/// "overview published".
pub async fn published_cycle(
    store: &Store,
    year: i32,
    areas: &[&str],
    pairs: &[(&str, &str)],
) -> ProgrammeActivityId {
    let coordinator = principal_of(store, COORDINATOR).await;
    let id = cycle_in_planning(store, year, areas).await;
    let now = Utc::now();
    let pairs: Vec<store::StoredPair> = pairs
        .iter()
        .map(|(from, to)| store::StoredPair {
            pair: domain::biennial::Pair {
                challenger: slug(from),
                challenged: slug(to),
            },
            reason: "Not paired in the last cycle".into(),
            overridden: None,
        })
        .collect();
    store
        .save_biennial_pairing(
            id,
            &store::PairingChange {
                seen: &[],
                pairs: &pairs,
                seed: Some(7),
                summary: "drawn".into(),
            },
            &coordinator,
            now,
        )
        .await
        .expect("pairing");
    store
        .move_biennial_cycle(
            id,
            CycleState::Planning,
            CycleState::PairingPublished,
            vec![],
            &coordinator,
            now,
        )
        .await
        .expect("published pairing");
    store
        .save_next_step(
            id,
            &slug(areas[0]),
            None,
            &action(
                "BI-1",
                "Joint commissioning of speech therapy",
                "Priority 1",
            ),
            &coordinator,
            now,
        )
        .await
        .expect("agreed action");
    let offer = SupportOfferAnswers {
        to: areas[1].into(),
        what: "Our transitions toolkit".into(),
        who: "Jo Bloggs".into(),
        contact: "jo@example.org".into(),
    }
    .check(
        &slug(areas[0]),
        &areas.iter().map(|a| slug(a)).collect::<Vec<_>>(),
    )
    .expect("offer");
    store
        .offer_biennial_support(id, &slug(areas[0]), &offer, &coordinator, now)
        .await
        .expect("support");
    store
        .move_biennial_cycle(
            id,
            CycleState::PairingPublished,
            CycleState::OverviewPublished,
            vec![],
            &coordinator,
            now,
        )
        .await
        .expect("overview published");
    id
}

/// The 2030 cycle of Derby, Leicester and Nottingham, each challenging the next.
pub async fn derby_cycle(store: &Store) -> ProgrammeActivityId {
    published_cycle(
        store,
        2030,
        &["derby", "leicester", "nottingham"],
        &[
            ("derby", "leicester"),
            ("leicester", "nottingham"),
            ("nottingham", "derby"),
        ],
    )
    .await
}
