//! Triangulation on the self-assessment pages: each section's self-rating beside its related
//! published figures and the standing inspection, with the flags where they disagree
//! (`domain::triangulation`), and each area's data pack for the triad conversation.

use axum::http::Method;
use domain::AuthoritySlug;
use domain::self_assessment_form::SelfAssessmentAnswers;
use services::triangulation::{RegionEvidence, SectionEvidence, as_of, region_evidence};
use store::AnnualCycle;

use crate::route::Route;
use crate::{AppError, AppState};

pub fn routes() -> Vec<Route> {
    let _ = Method::GET;
    Vec::new()
}

/// The region's evidence for a cycle's areas, loaded once.
pub async fn cycle_evidence(
    state: &AppState,
    cycle: &AnnualCycle,
) -> Result<RegionEvidence, AppError> {
    let all = state.store.authorities().await?;
    // The cycle names its region by slug; authorities carry the region's name.
    let region = cycle
        .areas
        .first()
        .and_then(|slug| all.iter().find(|a| &a.slug == slug))
        .map(|a| a.region.clone())
        .unwrap_or_default();
    Ok(region_evidence(&state.store, &region, &all).await?)
}

/// Each section of `answers` set against the evidence, for the area's page.
pub async fn section_evidence(
    state: &AppState,
    cycle: &AnnualCycle,
    area: &AuthoritySlug,
    answers: &SelfAssessmentAnswers,
) -> Result<Vec<SectionEvidence>, AppError> {
    let evidence = cycle_evidence(state, cycle).await?;
    Ok(evidence.sections(
        area,
        answers,
        as_of(cycle.year, Some(cycle.timetable.self_assessment_opens)),
    ))
}
