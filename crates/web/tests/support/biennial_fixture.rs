//! A biennial cycle for router tests: planned by the co-ordinator through the store, with
//! every current area of the region taking part and no pairing yet.

use chrono::Utc;
use domain::biennial::CycleAnswers;
use domain::{ProgrammeActivityId, ThemeCode};
use store::Store;

use super::challenge_fixture::principal_of;

/// The answers of a good 2026 cycle, with `areas` ticked.
pub fn answers(year: i32, areas: &[&str]) -> CycleAnswers {
    CycleAnswers {
        year: year.to_string(),
        event_date: format!("15/10/{year}"),
        venue: "East Midlands Conference Centre".into(),
        kloes_due: format!("01/10/{year}"),
        actions_due: format!("30/11/{year}"),
        priority_1: "Preparing for adulthood".into(),
        priority_1_themes: vec!["PFA".into()],
        areas: areas.iter().map(|a| (*a).to_owned()).collect(),
        ..CycleAnswers::default()
    }
}

/// A cycle for `year` in planning with `areas` taking part.
pub async fn cycle_in_planning(store: &Store, year: i32, areas: &[&str]) -> ProgrammeActivityId {
    let coordinator = principal_of(store, "coordinator@example.org").await;
    let details = answers(year, areas)
        .check(&[ThemeCode::parse("PFA").expect("code")])
        .expect("valid");
    let areas: Vec<_> = areas
        .iter()
        .map(|a| domain::AuthoritySlug::parse(a).expect("slug"))
        .collect();
    store
        .create_biennial_cycle(&details, &areas, &coordinator, Utc::now())
        .await
        .expect("cycle")
}

/// A cycle for `year` past its day ("event held"): Derby, Leicester and Rutland take part,
/// Rutland challenges Derby, and Rutland's KLOE for Derby ("How well are young people
/// prepared for adult health services?", priority 1) was agreed and shared. Moving past the
/// day owes every area its agreed actions. The cycle's id and Derby's return.
pub async fn cycle_held(store: &Store, year: i32) -> (ProgrammeActivityId, domain::ReturnId) {
    use domain::biennial::{CycleState, KloeDraftAnswers, Pair};
    let id = cycle_in_planning(store, year, &["derby", "leicester", "rutland"]).await;
    let coordinator = principal_of(store, "coordinator@example.org").await;
    let slug = |a: &str| domain::AuthoritySlug::parse(a).expect("slug");
    let pair = |a: &str, b: &str| store::StoredPair {
        pair: Pair {
            challenger: slug(a),
            challenged: slug(b),
        },
        reason: "The engine's choice".into(),
        overridden: None,
    };
    let ring = [
        pair("derby", "leicester"),
        pair("leicester", "rutland"),
        pair("rutland", "derby"),
    ];
    let now = Utc::now();
    store
        .save_biennial_pairing(
            id,
            &store::PairingChange {
                seen: &[],
                pairs: &ring,
                seed: Some(1),
                summary: "generated".into(),
            },
            &coordinator,
            now,
        )
        .await
        .expect("paired");
    store
        .publish_biennial_pairing(id, &ring, vec![], &coordinator, now)
        .await
        .expect("published");
    let draft = KloeDraftAnswers {
        question: "How well are young people prepared for adult health services?".into(),
        priority: "1".into(),
        themes: vec!["PFA".into()],
    }
    .check(1, &[ThemeCode::parse("PFA").expect("code")])
    .expect("draft");
    let kloe = store
        .draft_biennial_kloe(id, &slug("rutland"), &draft, &coordinator, now)
        .await
        .expect("drafted");
    store
        .agree_biennial_kloe(id, kloe, &coordinator, now)
        .await
        .expect("agreed");
    for (from, to) in [
        (CycleState::PairingPublished, CycleState::KloesShared),
        (CycleState::KloesShared, CycleState::Held),
    ] {
        store
            .move_biennial_cycle(id, from, to, vec![], &coordinator, now)
            .await
            .expect("moved");
    }
    let owed = store
        .returns(&store::ReturnFilter {
            area: Some(slug("derby")),
            programme: Some(domain::Programme::Biennial),
        })
        .await
        .expect("returns");
    (id, owed[0].id)
}
