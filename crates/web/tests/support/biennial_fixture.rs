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
