//! Triangulation on the self-assessment pages: each section's self-rating beside its related
//! published figures and the standing inspection, with the flags where they disagree
//! (`domain::triangulation`), each area's data pack for the triad conversation, and the
//! authority page's panel of where the area stands in its region.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::self_assessment::cycle_title;
use domain::self_assessment_form::{SelfAssessmentAnswers, SelfAssessmentStatus};
use domain::{Action, AuthoritySlug};
use services::triangulation::{
    FlagsFrom, IndicatorLine, RegionEvidence, SectionEvidence, as_of, region_evidence,
};
use store::{AnnualCycle, Authority};

use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

pub fn routes() -> Vec<Route> {
    vec![
        route(
            Method::GET,
            "/self-assessment/{year}/areas/{area}/data-pack.pptx",
            get(download_pptx),
        ),
        route(
            Method::GET,
            "/self-assessment/{year}/areas/{area}/data-pack.docx",
            get(download_docx),
        ),
    ]
}

const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The data pack as `kind`'s bytes, for whoever may download it: the flags come from the
/// version the visitor may read (the area's own lead: its latest, draft included; anyone else:
/// the latest submitted one).
async fn data_pack(
    state: &AppState,
    visitor: &Visitor,
    year: &str,
    area: &str,
    pptx: bool,
) -> Result<Response, AppError> {
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let cycle = state
        .store
        .annual_cycle(year)
        .await?
        .ok_or(AppError::NotFound)?;
    let area = AuthoritySlug::parse(area).map_err(|_| AppError::NotFound)?;
    if !cycle.areas.contains(&area) {
        return Err(AppError::NotFound);
    }
    visitor.authorise(&Action::DownloadDataPack {
        area: area.clone(),
        same_triad: crate::pages::self_assessments::same_triad(visitor, &cycle, &area),
    })?;
    let versions = state
        .store
        .self_assessment_versions(cycle.id, &area)
        .await?;
    let own = visitor.may(&Action::EditSelfAssessment(area.clone()));
    let version = if own {
        versions.first()
    } else {
        versions
            .iter()
            .find(|v| v.status != SelfAssessmentStatus::Draft)
    };
    let evidence = cycle_evidence(state, &cycle).await?;
    let pack = evidence
        .data_pack(
            &area,
            &cycle_title(cycle.year),
            version.map(|v| FlagsFrom {
                answers: &v.answers,
                described: format!("version {}, {}", v.version, v.status.label().to_lowercase()),
            }),
            as_of(cycle.year, Some(cycle.timetable.self_assessment_opens)),
            state.today(),
        )
        .ok_or(AppError::NotFound)?;
    let (content_type, extension, bytes) = if pptx {
        (PPTX, "pptx", documents::pptx::data_pack(&pack))
    } else {
        (DOCX, "docx", documents::data_pack::data_pack_docx(&pack))
    };
    let bytes = bytes.map_err(|error| AppError::Internal(error.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"data-pack-{area}-{year}.{extension}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn download_pptx(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
) -> Result<Response, AppError> {
    data_pack(&state, &visitor, &year, &area, true).await
}

pub async fn download_docx(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((year, area)): Path<(String, String)>,
) -> Result<Response, AppError> {
    data_pack(&state, &visitor, &year, &area, false).await
}

/// Whether the visitor may download the area's data pack, for the page's links.
pub fn may_download(visitor: &Visitor, cycle: &AnnualCycle, area: &AuthoritySlug) -> bool {
    visitor.may(&Action::DownloadDataPack {
        area: area.clone(),
        same_triad: crate::pages::self_assessments::same_triad(visitor, cycle, area),
    })
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

/// The authority page's panel: where the area stands among its region's areas on each
/// indicator in the latest period (its own template, beside `pages::indicators`' evidence).
#[derive(Template)]
#[template(path = "pages/triangulation/authority_standing.html")]
pub struct StandingPanel {
    pub name: String,
    pub lines: Vec<IndicatorLine>,
}

/// The panel for a current authority; empty for a former one (it has no place in today's
/// region) or one without figures.
pub async fn authority_standing(
    state: &AppState,
    authority: &Authority,
    all: &[Authority],
) -> Result<StandingPanel, AppError> {
    let lines = if authority.valid_to.is_none() {
        region_evidence(&state.store, &authority.region, all)
            .await?
            .standings(&authority.slug)
    } else {
        Vec::new()
    };
    Ok(StandingPanel {
        name: authority.name.clone(),
        lines,
    })
}
