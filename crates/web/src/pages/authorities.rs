//! The local authorities of the region and their reference facts.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::routing::get;
use domain::{Action, AuthoritySlug};
use store::Authority;

use crate::pages::Chrome;
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// Every route of the local authorities, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/authorities", get(list_authorities)),
        route(Method::GET, "/authorities/{slug}", get(show_authority)),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/authorities.html")]
pub struct AuthoritiesPage {
    chrome: Chrome,
    current: Vec<Authority>,
    former: Vec<Authority>,
}

pub async fn list_authorities(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<AuthoritiesPage, AppError> {
    visitor.authorise(&Action::ViewAuthorities)?;
    let today = state.today();
    let (current, former) = state
        .store
        .authorities()
        .await?
        .into_iter()
        .partition(|a| a.is_current(today));
    Ok(AuthoritiesPage {
        chrome: Chrome::new(&visitor, "Local authorities", "/authorities"),
        current,
        former,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/authority.html")]
pub struct AuthorityPage {
    chrome: Chrome,
    authority: Authority,
    predecessor: Option<Authority>,
    successors: Vec<Authority>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    /// Its published figures and inspections (`pages::indicators`).
    evidence: crate::pages::indicators::EvidencePanel,
    /// Where it stands in its region (`pages::triangulation`).
    standing: crate::pages::triangulation::StandingPanel,
    /// The events and biennial cycles it took part in (`pages::area_programmes`).
    programmes: crate::pages::area_programmes::AreaProgrammes,
}

pub async fn show_authority(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<AuthorityPage, AppError> {
    let slug = AuthoritySlug::parse(&slug).map_err(|_| AppError::NotFound)?;
    visitor.authorise(&Action::ViewAuthority(slug.clone()))?;
    let all = state.store.authorities().await?;
    let authority = all
        .iter()
        .find(|a| a.slug == slug)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let predecessor = authority
        .predecessor
        .as_ref()
        .and_then(|p| all.iter().find(|a| &a.slug == p))
        .cloned();
    let successors = all
        .iter()
        .filter(|a| a.predecessor.as_ref() == Some(&slug))
        .cloned()
        .collect();
    let evidence = crate::pages::indicators::EvidencePanel {
        evidence: services::indicators::area_evidence(&state.store, &authority, &all).await?,
        slug: authority.slug.to_string(),
        may_record: visitor.may(&Action::ManageInspections),
    };
    let standing =
        crate::pages::triangulation::authority_standing(&state, &authority, &all).await?;
    let programmes =
        crate::pages::area_programmes::area_programmes(&state, &visitor, &authority.slug).await?;
    Ok(AuthorityPage {
        standing,
        programmes,
        evidence,
        chrome: Chrome::new(&visitor, authority.name.clone(), "/authorities"),
        valid_from: authority.valid_from.map(dates::date),
        valid_to: authority.valid_to.map(dates::date),
        authority,
        predecessor,
        successors,
    })
}
